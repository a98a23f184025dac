"""A digest reads well on each channel: split below the limit, HTML escaped, the spreadsheet
safe to open, both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl

from consultations.digests.content import (
    DigestContent,
    Period,
    QuestionItem,
    QuestionsDigest,
    RoundDigest,
    RoundTotals,
    Satisfaction,
    Theme,
)
from consultations.digests.export import ExportRow, PeriodComments
from consultations.digests.store import DigestRecord
from handlers import digest_render, digest_xlsx
from handlers.digest_delivery import email_payload

START, END = datetime(2026, 11, 28, 0, 30, tzinfo=UTC), datetime(2026, 11, 29, 0, 30, tzinfo=UTC)


def content(themes: int = 1, questions: int = 1) -> DigestContent:
    part = RoundDigest(
        round_id=1,
        title="Dự thảo <b>thử</b> & mẫu",
        status="open",
        closes_at=END,
        new_comments=12,
        new_cosignatures=3,
        by_article=[],
        by_stance={"oppose": 12},
        by_kind={"citizen": 15},
        themes=[Theme(f"chủ đề {n}", 4, n, "Ví dụ " * 30) for n in range(themes)],
        campaigns=[],
        cosigned=[],
        totals=RoundTotals(40, 9),
        sampled=12,
    )
    items = [QuestionItem(n, "Câu hỏi dài " * 20, END, None) for n in range(questions)]
    return DigestContent(
        agency_id=1,
        agency_code="SO-TEST",
        agency_name="Sở Thử nghiệm",
        kind="daily",
        period=Period(START, END),
        rounds=[part],
        questions=QuestionsDigest(items, [], items, questions, 0, questions, 0, questions),
        satisfaction=Satisfaction(2, 1, 10, 8),
    )


def test_a_long_digest_is_split_into_numbered_parts_within_the_channel_limit() -> None:
    long = content(themes=5, questions=10)
    parts = digest_render.chat_parts(long, 600, "vi")
    assert len(parts) > 2 and all(len(p) <= 600 for p in parts), [len(p) for p in parts]
    assert [p.split("\n", 1)[0] for p in parts[:2]] == [
        f"(phần 1/{len(parts)})",
        f"(phần 2/{len(parts)})",
    ]
    joined = "\n".join(p.split("\n", 1)[1] for p in parts)
    assert "/answer 9 <nội dung>" in joined and "Trong kỳ: 1/2 (50%)" in joined


def test_a_short_digest_is_one_message_and_english_reads_as_english() -> None:
    [only] = digest_render.chat_parts(content(), 4000, "en")
    assert only.startswith("📊 Consultation digest (daily) – Sở Thử nghiệm")
    assert "By stance: oppose 12" in only and "To date: 8/10 (80%)" in only


def test_the_email_html_escapes_what_people_typed_and_names_the_spreadsheet() -> None:
    record = DigestRecord(7, 1, "daily", Period(START, END), content(), END)
    payload = email_payload(record, "vi")
    assert "&lt;b&gt;thử&lt;/b&gt; &amp; mẫu" in payload["html"] and "<b>thử" not in payload["html"]
    assert payload["attachment"] == {
        "kind": "digest_xlsx",
        "digest_id": 7,
        "locale": "vi",
        "name": "gop-y-SO-TEST-daily-29-11-2026.xlsx",
    }
    assert "Tệp đính kèm: danh sách 12 góp ý" in payload["text"]


def test_the_spreadsheet_keeps_formulas_as_text_and_says_when_it_is_cut() -> None:
    rows = [
        ExportRow(
            1,
            START,
            "Dự thảo",
            "Điều 1",
            "oppose",
            "business",
            "Công ty A",
            2,
            "visible",
            '=HYPERLINK("http://x","bấm")',
        )
    ]
    record = DigestRecord(7, 1, "daily", Period(START, END), content(), END)
    data = digest_xlsx.xlsx_bytes(PeriodComments(record, rows, total=3), "vi")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][9] == '\'=HYPERLINK("http://x","bấm")', "a comment became a formula"
    assert values[1][4:6] == ("không đồng tình", "doanh nghiệp")
    assert values[1][1] == datetime(2026, 11, 28, 7, 30), "times are shown in Hanoi time"
    assert values[-1][2] == "… còn 2 góp ý không có trong tệp này."
