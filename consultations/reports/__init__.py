"""The synthesis report (bản tổng hợp, tiếp thu, giải trình ý kiến), open data, publishing.

* synthesis: the table as data (near-duplicates folded, see grouping), built in SQL
  and streamed; export.write_report writes it as DOCX, XLSX, CSV or JSON.
* open_data: what a closed round publishes, with nothing that identifies anyone.
* publish: a round's outcomes become public, and who should be told what.
"""

from consultations.reports.data import (
    PENDING,
    ArticleSummary,
    OpenDataRow,
    ReportHeader,
    SynthesisRow,
)
from consultations.reports.export import (
    FORMATS,
    MEDIA_TYPES,
    WrittenReport,
    report_filename,
    write_report,
)
from consultations.reports.grouping import Grouping, group_near_duplicates
from consultations.reports.open_data import (
    KINDS as OPEN_DATA_KINDS,
)
from consultations.reports.open_data import (
    open_data_rows,
    open_data_summary,
    write_open_data,
)
from consultations.reports.publish import (
    NoteItem,
    NoteRecipient,
    Publication,
    missing_outcomes,
    note_recipients,
    publish,
)
from consultations.reports.synthesis import (
    Synthesis,
    article_summaries,
    prepare,
    synthesis_rows,
    synthesis_table,
)

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "OPEN_DATA_KINDS",
    "PENDING",
    "ArticleSummary",
    "Grouping",
    "NoteItem",
    "NoteRecipient",
    "OpenDataRow",
    "Publication",
    "ReportHeader",
    "Synthesis",
    "SynthesisRow",
    "WrittenReport",
    "article_summaries",
    "group_near_duplicates",
    "missing_outcomes",
    "note_recipients",
    "open_data_rows",
    "open_data_summary",
    "prepare",
    "publish",
    "report_filename",
    "synthesis_rows",
    "synthesis_table",
    "write_open_data",
    "write_report",
]
