"""Real drafts come in many typing styles; the parser must read them all the same way."""

from collections.abc import Callable

import pytest

from consultations.drafts import ParsedDraft, parse_draft

Reader = Callable[[str], str]

STYLE_FIXTURES = [
    "style_dot.txt",
    "style_colon.txt",
    "style_upper.txt",
    "style_dash_nospace.txt",
    "style_markdown_headings.md",
    "style_markdown_bold.md",
    "messy_whitespace.txt",
]


def _shape(draft: ParsedDraft) -> list[tuple[str, str, str, tuple[str, ...], list[str]]]:
    """Structure of a draft with headings case-folded, for comparing typing styles."""
    return [
        (s.kind, s.label, s.heading.casefold(), s.path, [c.number for c in s.clauses])
        for s in draft.sections
    ]


@pytest.mark.parametrize("name", STYLE_FIXTURES)
def test_every_numbering_style_yields_the_same_structure(name: str, fixture_text: Reader) -> None:
    expected = _shape(parse_draft(fixture_text("style_dot.txt")))
    draft = parse_draft(fixture_text(name))
    assert _shape(draft) == expected, f"{name} parsed differently from style_dot.txt"
    points = [p.letter for p in draft.articles[1].clauses[1].points]
    assert points == ["a", "b"], f"{name}: Điều 2 khoản 2 points wrong: {points}"
    assert draft.articles[0].body == (
        "Luật này quy định về hoạt động thử nghiệm có kiểm soát các giải pháp công nghệ mới "
        "trong cung cấp dịch vụ công."
    ), f"{name}: Điều 1 body not joined/normalised: {draft.articles[0].body!r}"


def test_style_dot_reads_chapter_title_from_the_next_line(fixture_text: Reader) -> None:
    chapter = parse_draft(fixture_text("style_dot.txt")).sections[0]
    assert (chapter.kind, chapter.label, chapter.number) == ("chapter", "Chương I", "I")
    assert chapter.heading == "NHỮNG QUY ĐỊNH CHUNG", f"chapter title lost: {chapter.heading!r}"


def test_upper_case_headings_keep_their_capitalisation(fixture_text: Reader) -> None:
    draft = parse_draft(fixture_text("style_upper.txt"))
    assert draft.sections[0].label == "Chương I", "CHƯƠNG I should be labelled 'Chương I'"
    assert draft.articles[0].label == "Điều 1", "ĐIỀU 1 should be labelled 'Điều 1'"
    assert draft.articles[0].heading == "PHẠM VI ĐIỀU CHỈNH", "heading capitalisation changed"


def test_crlf_line_endings_parse_like_lf(fixture_text: Reader) -> None:
    text = fixture_text("messy_whitespace.txt")
    crlf = parse_draft(text.replace("\n", "\r\n"))
    assert _shape(crlf) == _shape(parse_draft(text)), "CRLF draft parsed differently from LF"
    assert all("\r" not in s.body and "\r" not in s.heading for s in crlf.sections), (
        "carriage returns leaked into parsed text"
    )


def test_messy_whitespace_is_normalised_in_headings_and_bodies(fixture_text: Reader) -> None:
    draft = parse_draft(fixture_text("messy_whitespace.txt"))
    for section in draft.sections:
        for text in (section.heading, section.body):
            for bad in ("\t", "\u00a0", "\u200b", "\ufeff", "  "):
                assert bad not in text, f"{section.label}: {bad!r} left in {text!r}"
    assert draft.articles[0].heading == "Phạm vi điều chỉnh"


def test_messy_draft_original_is_kept_byte_for_byte(fixture_text: Reader) -> None:
    text = fixture_text("messy_whitespace.txt").replace("\n", "\r\n")
    draft = parse_draft(text)
    assert draft.original == text, "ParsedDraft.original differs from the input"
    assert draft.original.encode("utf-8") == text.encode("utf-8"), "original not byte-equal"


def test_wrapped_lines_join_with_a_space_and_blank_lines_split_paragraphs(
    fixture_text: Reader,
) -> None:
    article = parse_draft(fixture_text("wrapped_lines.txt")).articles[0]
    assert article.body == (
        "Nghị định này quy định chi tiết một số điều của Luật Thử nghiệm về trình tự, thủ tục "
        "cấp phép thử nghiệm có kiểm soát.\n"
        "Trường hợp điều ước quốc tế có quy định khác thì áp dụng điều ước quốc tế đó."
    ), f"wrapped lines / paragraphs handled wrongly: {article.body!r}"


def test_heading_wrapped_onto_a_lowercase_line_is_continued(fixture_text: Reader) -> None:
    article = parse_draft(fixture_text("wrapped_lines.txt")).articles[1]
    assert article.heading == (
        "Trách nhiệm của tổ chức thử nghiệm trong việc lưu trữ hồ sơ và báo cáo định kỳ"
    ), f"heading continuation lost: {article.heading!r}"


def test_wrapped_line_starting_with_a_year_is_not_a_clause(fixture_text: Reader) -> None:
    article = parse_draft(fixture_text("wrapped_lines.txt")).articles[1]
    assert [c.number for c in article.clauses] == ["1", "2"], (
        f"'2026.' at the start of a wrapped line became a clause: {article.clauses}"
    )
    assert article.clauses[0].text.startswith("Giấy phép thử nghiệm có thời hạn đến ngày 31")
    assert "năm 2026. Sau thời hạn này" in article.clauses[0].text


def test_wrapped_point_and_bullets_stay_inside_their_point(fixture_text: Reader) -> None:
    points = parse_draft(fixture_text("wrapped_lines.txt")).articles[1].clauses[1].points
    assert points[0].text == (
        "Đơn đề nghị theo Mẫu số 01 tại Phụ lục ban hành kèm theo Nghị định này;"
    ), f"wrapped point a) not joined: {points[0].text!r}"
    assert points[1].text == (
        "Báo cáo kết quả thử nghiệm, kèm theo:\n"
        "- Số liệu thống kê của kỳ thử nghiệm;\n"
        "- Ý kiến của cơ quan quản lý chuyên ngành."
    ), f"bullets under point b) should be separate lines: {points[1].text!r}"


def test_law_preamble_and_closing_are_kept_apart_from_articles(fixture_text: Reader) -> None:
    draft = parse_draft(fixture_text("law_preamble_closing.txt"))
    assert draft.title == "LUẬT THỬ NGHIỆM CÓ KIỂM SOÁT", f"wrong title {draft.title!r}"
    assert draft.preamble.startswith("QUỐC HỘI\n"), f"preamble start lost: {draft.preamble!r}"
    assert draft.preamble.endswith("Quốc hội ban hành Luật Thử nghiệm có kiểm soát.")
    assert "DỰ THẢO 2" in draft.preamble, "DỰ THẢO marker dropped from the preamble"
    last = draft.articles[-1]
    assert last.body == "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026.", (
        f"closing block leaked into {last.label}: {last.body!r}"
    )
    assert draft.closing.startswith("Luật này được Quốc hội"), f"closing: {draft.closing!r}"
    assert "CHỦ TỊCH QUỐC HỘI" in draft.closing, "signature missing from closing"
    assert [a.path for a in draft.articles] == [("Chương I",), ("Chương II",)]


def test_parts_chapters_sections_and_subsections_nest_in_paths(fixture_text: Reader) -> None:
    draft = parse_draft(fixture_text("parts_and_sections.txt"))
    got = [(s.kind, s.label, s.number, s.heading, s.path) for s in draft.sections]
    assert got == [
        ("part", "Phần thứ nhất", "1", "QUY ĐỊNH CHUNG", ()),
        ("chapter", "Chương I", "I", "PHẠM VI VÀ ĐỐI TƯỢNG", ("Phần thứ nhất",)),
        ("article", "Điều 1", "1", "Phạm vi điều chỉnh", ("Phần thứ nhất", "Chương I")),
        ("part", "Phần II", "II", "QUY ĐỊNH CỤ THỂ", ()),
        ("chapter", "Chương 2", "2", "THỦ TỤC", ("Phần II",)),
        ("section", "Mục 1", "1", "HỒ SƠ", ("Phần II", "Chương 2")),
        ("subsection", "Tiểu mục 1", "1", "NỘP HỒ SƠ", ("Phần II", "Chương 2", "Mục 1")),
        ("article", "Điều 2", "2", "Nộp hồ sơ", ("Phần II", "Chương 2", "Mục 1", "Tiểu mục 1")),
        ("section", "Mục 2", "2", "THẨM ĐỊNH", ("Phần II", "Chương 2")),
        ("article", "Điều 3", "3", "Thẩm định hồ sơ", ("Phần II", "Chương 2", "Mục 2")),
        ("part", "Phần 3", "3", "Điều khoản thi hành", ()),
        ("article", "Điều 4", "4", "Hiệu lực thi hành", ("Phần 3",)),
    ], f"hierarchy parsed wrongly: {got}"
