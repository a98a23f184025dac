"""The wording of the synthesis report: the official Vietnamese terms of the legal form.

The report is a public administrative document the drafting agency files with
the draft (Luật Ban hành văn bản quy phạm pháp luật), so it is written in
Vietnamese whatever language a citizen chats in. The wording lives here, in
the domain, because the file writers are domain code and may not reach up to
the chat catalogs in handlers/.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from consultations.reports.data import PENDING, ArticleSummary, ReportHeader, SynthesisRow
from consultations.vocab import Outcome, RespondentKind, Stance

TITLE = "BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN"
SUBTITLE = "đối với {title}"
PROVISIONAL = "(Bản tạm: đợt lấy ý kiến chưa kết thúc)"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
WHOLE_DRAFT = "Toàn bộ dự thảo"
CITIZEN = "Công dân"
BUSINESS = "Tổ chức, doanh nghiệp"
SUMMARY_HEADING = "I. TỔNG HỢP Ý KIẾN THEO ĐIỀU KHOẢN"
TABLE_HEADING = "II. NỘI DUNG Ý KIẾN VÀ VIỆC TIẾP THU, GIẢI TRÌNH"
TABLE_SHEET = "Tổng hợp ý kiến"
SUMMARY_SHEET = "Theo điều khoản"

OUTCOMES: Mapping[str | None, str] = {
    Outcome.ACCEPTED: "Tiếp thu",
    Outcome.PARTLY_ACCEPTED: "Tiếp thu một phần",
    Outcome.EXPLAINED: "Giải trình",
    None: "Chưa xử lý",
}
STANCES: Mapping[str, str] = {
    Stance.SUPPORT: "Đồng tình",
    Stance.OPPOSE: "Không đồng tình",
    Stance.SUGGEST: "Đề nghị sửa đổi",
    Stance.OTHER: "Ý kiến khác",
}
KINDS: Mapping[str, str] = {RespondentKind.CITIZEN: CITIZEN, RespondentKind.BUSINESS: BUSINESS}

# The synthesis table, in column order.
TABLE_COLUMNS = (
    "STT",
    "Số góp ý",
    "Chủ thể góp ý",
    "Điều khoản",
    "Quan điểm",
    "Nội dung góp ý",
    "Số ý kiến tương tự (trùng lặp + đồng ký)",
    "Kết quả",
    "Lý do tiếp thu, giải trình",
)
SUMMARY_COLUMNS = (
    "Điều khoản",
    "Số ý kiến",
    *STANCES.values(),
    "Lượt đồng ký",
    *OUTCOMES.values(),
)


def local_date(when: datetime | None, tz_name: str) -> str:
    """dd/mm/yyyy in the display time zone, as Vietnamese documents write dates."""
    return when.astimezone(ZoneInfo(tz_name)).strftime("%d/%m/%Y") if when else "…"


def dateline(when: datetime, tz_name: str, place: str | None) -> str:
    """'Minh Sơn, ngày 27 tháng 11 năm 2026': the place-and-date line of a document."""
    day = when.astimezone(ZoneInfo(tz_name))
    text = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def header_lines(header: ReportHeader, tz_name: str) -> list[str]:
    """The paragraph under the title: who, when, how many, and how they were handled."""
    kinds = header.respondents
    excluded = sum(header.excluded.values())
    outcomes = "; ".join(
        f"{label.lower()}: {header.outcomes.get(code or PENDING, 0)}"
        for code, label in OUTCOMES.items()
    )
    return [
        f"Cơ quan chủ trì soạn thảo: {header.agency_name}.",
        f"Thời gian lấy ý kiến: từ ngày {local_date(header.opens_at, tz_name)} "
        f"đến ngày {local_date(header.closes_at, tz_name)}.",
        f"Tổng số ý kiến: {header.comments}, thể hiện trong {header.rows} dòng của bảng "
        f"({header.near_duplicates} ý kiến trùng lặp được gộp vào ý kiến đầu tiên cùng nội "
        f"dung); {header.cosignatures} lượt đồng ký.",
        f"Chủ thể góp ý: {kinds.get(RespondentKind.CITIZEN, 0)} công dân, "
        f"{kinds.get(RespondentKind.BUSINESS, 0)} tổ chức, doanh nghiệp.",
        f"Kết quả xem xét: {outcomes}.",
        f"Ý kiến không đưa vào bảng (vi phạm quy định hoặc chờ kiểm duyệt): {excluded}.",
    ]


def article_title(label: str | None, heading: str | None) -> str:
    """'Điều 2. Đối tượng áp dụng', or 'Toàn bộ dự thảo' for a comment on the whole draft."""
    if not label:
        return WHOLE_DRAFT
    return f"{label}. {heading}" if heading else label


def row_values(row: SynthesisRow) -> list[str | int]:
    """One table row's cells, in TABLE_COLUMNS order, as every format prints them."""
    return [
        row.ordinal,
        row.comment_id,
        row.commenter,
        row.article,
        STANCES.get(row.stance, row.stance),
        row.comment,
        row.similar,
        OUTCOMES.get(row.outcome, row.outcome or ""),
        row.reason,
    ]


def summary_values(article: ArticleSummary) -> list[str | int]:
    """One per-article summary row's cells, in SUMMARY_COLUMNS order."""
    return [
        article_title(article.label, article.heading),
        article.comments,
        *(article.by_stance.get(code, 0) for code in STANCES),
        article.cosignatures,
        *(article.by_outcome.get(code or PENDING, 0) for code in OUTCOMES),
    ]
