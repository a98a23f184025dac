"""The shipped sample draft (tỉnh Minh Sơn) parses into the structure citizens will browse."""

import unicodedata

from consultations.drafts import parse_draft, render_article
from consultations.samples import sample_draft_text

EXPECTED_ARTICLES = [
    ("Điều 1", "Phạm vi điều chỉnh", ("Chương I",)),
    ("Điều 2", "Đối tượng áp dụng", ("Chương I",)),
    ("Điều 3", "Giải thích từ ngữ", ("Chương I",)),
    ("Điều 4", "Nguyên tắc tiếp nhận, xử lý phản ánh, kiến nghị", ("Chương I",)),
    ("Điều 5", "Các hành vi bị nghiêm cấm", ("Chương I",)),
    ("Điều 6", "Kênh tiếp nhận", ("Chương II", "Mục 1")),
    ("Điều 7", "Nội dung phản ánh, kiến nghị", ("Chương II", "Mục 1")),
    ("Điều 8", "Phân loại và chuyển xử lý", ("Chương II", "Mục 1")),
    ("Điều 9", "Thời hạn xử lý", ("Chương II", "Mục 2")),
    ("Điều 10", "Trả lời và công khai kết quả xử lý", ("Chương II", "Mục 2")),
    ("Điều 11", "Bảo vệ thông tin cá nhân", ("Chương II", "Mục 2")),
    ("Điều 12", "Trách nhiệm của Sở Khoa học và Công nghệ", ("Chương III",)),
    ("Điều 13", "Trách nhiệm của các cơ quan, đơn vị", ("Chương III",)),
    ("Điều 14", "Hiệu lực thi hành", ("Chương III",)),
    ("Điều 15", "Trách nhiệm thi hành", ("Chương III",)),
]


def test_sample_text_is_nfc_vietnamese() -> None:
    text = sample_draft_text()
    assert unicodedata.is_normalized("NFC", text), "sample draft is not NFC-normalised"
    assert "tỉnh Minh Sơn" in text, "sample draft lost its fictional province name"


def test_sample_parses_into_fifteen_articles_with_labels_headings_and_paths() -> None:
    draft = parse_draft(sample_draft_text())
    got = [(a.label, a.heading, a.path) for a in draft.articles]
    assert len(got) >= 12, f"sample should have at least 12 articles, parser found {len(got)}"
    assert got == EXPECTED_ARTICLES, f"sample articles parsed wrongly: {got}"
    assert draft.warnings == [], f"sample numbering is clean but got warnings {draft.warnings}"


def test_sample_has_three_chapters_and_two_sections_in_document_order() -> None:
    draft = parse_draft(sample_draft_text())
    headings = [(s.kind, s.label, s.heading) for s in draft.sections if s.kind != "article"]
    assert headings == [
        ("chapter", "Chương I", "QUY ĐỊNH CHUNG"),
        ("chapter", "Chương II", "TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ"),
        ("section", "Mục 1", "TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ"),
        ("section", "Mục 2", "XỬ LÝ VÀ TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ"),
        ("chapter", "Chương III", "TỔ CHỨC THỰC HIỆN"),
    ], f"chapter/section headings (title on the next line) parsed wrongly: {headings}"
    ordinals = [s.ordinal for s in draft.sections]
    assert ordinals == list(range(len(draft.sections))), f"ordinals not 0..n-1: {ordinals}"
    assert all(s.clauses == [] for s in draft.sections if s.kind != "article"), (
        "a chapter or section heading got clauses; only articles should have them"
    )


def test_sample_title_and_preamble_come_from_the_text_before_chapter_one() -> None:
    draft = parse_draft(sample_draft_text())
    assert draft.title is not None and draft.title.startswith("QUYẾT ĐỊNH Quy định về tiếp nhận"), (
        f"document title not found in the preamble, got {draft.title!r}"
    )
    assert draft.title.endswith("trên địa bàn tỉnh Minh Sơn"), f"title cut short: {draft.title!r}"
    assert "Căn cứ Luật Tổ chức chính quyền địa phương" in draft.preamble, "Căn cứ lines lost"
    assert "DỰ THẢO" in draft.preamble, "the DỰ THẢO marker should stay in the preamble"
    assert "Chương I" not in draft.preamble, "the preamble ran into the first chapter"


def test_sample_clauses_and_points_include_d_stroke_after_d() -> None:
    article = parse_draft(sample_draft_text()).articles[5]  # Điều 6
    assert [c.number for c in article.clauses] == ["1", "2", "3"], "Điều 6 clauses misnumbered"
    letters = [p.letter for p in article.clauses[0].points]
    assert letters == ["a", "b", "c", "d", "đ"], f"Điều 6 khoản 1 points wrong: {letters}"
    assert article.clauses[0].points[4].text == "Các kênh khác do Ủy ban nhân dân tỉnh công bố."


def test_sample_points_directly_under_an_article_go_into_an_unnumbered_clause() -> None:
    article = parse_draft(sample_draft_text()).articles[3]  # Điều 4: intro + a) .. e)
    assert article.intro.startswith("Việc tiếp nhận"), f"intro text lost: {article.intro!r}"
    assert [c.number for c in article.clauses] == [""], "points without khoản need one clause"
    letters = [p.letter for p in article.clauses[0].points]
    assert letters == ["a", "b", "c", "d", "đ", "e"], f"Điều 4 points wrong: {letters}"


def test_sample_wrapped_reference_to_article_five_stays_in_its_clause() -> None:
    draft = parse_draft(sample_draft_text())
    article_11 = draft.articles[10]
    assert article_11.clauses[1].text.startswith(
        "Người có hành vi vi phạm quy định tại Điều 5 Quyết định này thì"
    ), f"line starting 'Điều 5 Quyết định này' was split off: {article_11.clauses[1].text!r}"


def test_sample_closing_block_is_not_part_of_the_last_article() -> None:
    draft = parse_draft(sample_draft_text())
    last = draft.articles[-1]
    assert "Nơi nhận" not in last.body, f"closing block leaked into {last.label}: {last.body!r}"
    assert last.body.endswith("chịu trách nhiệm thi hành Quyết định này."), (
        f"end mark ./. not turned into a full stop: {last.body[-40:]!r}"
    )
    assert draft.closing.startswith("Nơi nhận:"), f"closing block lost: {draft.closing[:30]!r}"
    assert draft.closing.endswith("PHÓ CHỦ TỊCH"), f"signature lost: {draft.closing[-30:]!r}"


def test_render_article_shows_heading_blank_line_then_indented_points() -> None:
    article = parse_draft(sample_draft_text()).articles[6]  # Điều 7
    lines = render_article(article).split("\n")
    assert lines[0] == "Điều 7. Nội dung phản ánh, kiến nghị", f"bad heading line {lines[0]!r}"
    assert lines[1] == "", "heading and body should be separated by a blank line"
    assert lines[2].startswith("1. Phản ánh, kiến nghị gửi qua Nền tảng"), lines[2]
    assert lines[3].startswith(" a) Họ và tên"), f"point not indented under clause: {lines[3]!r}"
    assert article.body.split("\n")[1].startswith("a) Họ và tên"), "body points not on own line"
