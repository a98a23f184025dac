"""References that look like headings, inserted articles, numbering slips and bad input."""

import unicodedata
from collections.abc import Callable

import pytest

from consultations.drafts import DraftParseError, parse_draft
from consultations.samples import sample_draft_text

Reader = Callable[[str], str]


def test_references_to_articles_inside_sentences_do_not_start_articles(
    fixture_text: Reader,
) -> None:
    draft = parse_draft(fixture_text("references.txt"))
    labels = [a.label for a in draft.articles]
    assert labels == ["Điều 4", "Điều 5", "Điều 5a", "Điều 6"], (
        f"a mid-sentence or wrapped 'Điều N ...' reference was taken as a heading: {labels}"
    )


def test_line_starting_with_dieu_nay_stays_a_clause(fixture_text: Reader) -> None:
    clause = parse_draft(fixture_text("references.txt")).articles[0].clauses[0]
    assert clause.text.startswith("Điều này áp dụng"), f"'Điều này' line lost: {clause!r}"


def test_wrapped_line_starting_with_dieu_5_cua_luat_nay_is_joined(fixture_text: Reader) -> None:
    clauses = parse_draft(fixture_text("references.txt")).articles[0].clauses
    assert clauses[1].text.endswith(
        "theo quy định tại Điều 5 của Luật này quy định về nguyên tắc ưu tiên."
    ), f"'Điều 5 của Luật này' at line start split the clause: {clauses[1].text!r}"
    assert clauses[2].text == (
        "Việc thử nghiệm không áp dụng các quy định tại Điều 12 Luật Đầu tư và "
        "Điều 6 - 8 của Luật này."
    ), f"'Điều 12 Luật ...' or 'Điều 6 - 8' at line start was not joined: {clauses[2].text!r}"
    assert clauses[3].text == (
        "Thủ tục thực hiện theo Mục 2 Chương III Luật Đầu tư và hướng dẫn của Bộ Tài chính."
    ), f"'Mục 2 Chương III ...' at line start was taken as a heading: {clauses[3].text!r}"


def test_inserted_article_5a_keeps_its_letter_and_order(fixture_text: Reader) -> None:
    draft = parse_draft(fixture_text("references.txt"))
    inserted = draft.articles[2]
    assert (inserted.label, inserted.number) == ("Điều 5a", "5a"), f"got {inserted.label!r}"
    assert inserted.heading == "Thử nghiệm trong lĩnh vực ngân hàng"
    assert inserted.body.startswith("Điều 5 của Luật này cũng áp dụng"), (
        f"a body line starting 'Điều 5 của' was lost from Điều 5a: {inserted.body!r}"
    )
    assert draft.warnings == [], f"Điều 5a between 5 and 6 is in order, got {draft.warnings}"


def test_points_follow_the_vietnamese_alphabet_with_d_stroke(fixture_text: Reader) -> None:
    article = parse_draft(fixture_text("points_d_stroke.txt")).articles[0]
    letters = [p.letter for p in article.clauses[0].points]
    assert letters == ["a", "b", "c", "d", "đ", "e", "g"], f"points parsed as {letters}"
    assert article.clauses[0].points[4].text == "Báo cáo đánh giá tác động;"
    assert [c.number for c in article.clauses] == ["1", "2"], "khoản 2 after points was lost"


def test_duplicate_and_out_of_order_articles_warn_instead_of_failing(
    fixture_text: Reader,
) -> None:
    draft = parse_draft(fixture_text("numbering_slips.txt"))
    assert [a.label for a in draft.articles] == ["Điều 1", "Điều 2", "Điều 2", "Điều 4", "Điều 3"]
    assert draft.warnings == [
        "duplicate_article: Điều 2 appears more than once",
        "article_out_of_order: Điều 3 follows Điều 4",
    ], f"numbering slips not reported as expected: {draft.warnings}"


def test_decomposed_unicode_is_normalised_but_original_kept() -> None:
    nfd = unicodedata.normalize("NFD", sample_draft_text())
    draft = parse_draft(nfd)
    assert len(draft.articles) == 15, f"NFD text parsed into {len(draft.articles)} articles"
    assert draft.articles[0].heading == "Phạm vi điều chỉnh", "heading not NFC-normalised"
    assert draft.original == nfd, "ParsedDraft.original must be the NFD input, not normalised"


def test_sample_original_is_kept_byte_for_byte() -> None:
    text = sample_draft_text()
    assert parse_draft(text).original.encode("utf-8") == text.encode("utf-8")


def test_bare_article_number_takes_a_short_next_line_as_title() -> None:
    draft = parse_draft("Điều 1\nPhạm vi điều chỉnh\nNghị định này quy định về thử nghiệm.\n")
    article = draft.articles[0]
    assert article.heading == "Phạm vi điều chỉnh", f"title on next line lost: {article!r}"
    assert article.body == "Nghị định này quy định về thử nghiệm."


def test_bare_article_number_does_not_swallow_a_sentence_as_title() -> None:
    article = parse_draft("Điều 1\nNghị định này quy định về thử nghiệm.\n").articles[0]
    assert article.heading == "", f"a body sentence became the title: {article.heading!r}"
    assert article.body == "Nghị định này quy định về thử nghiệm."


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t\u00a0\n", "\ufeff"])
def test_empty_text_raises_draft_parse_error(text: str) -> None:
    with pytest.raises(DraftParseError) as caught:
        parse_draft(text)
    assert caught.value.message_key == "drafts.empty", f"wrong key {caught.value.message_key}"


def test_text_without_any_article_raises_draft_parse_error(fixture_text: Reader) -> None:
    with pytest.raises(DraftParseError) as caught:
        parse_draft(fixture_text("no_articles.txt"))
    assert caught.value.message_key == "drafts.no_articles", (
        f"a draft whose only 'Điều 5' is a mid-sentence reference must be rejected, "
        f"got {caught.value.message_key}"
    )
    assert caught.value.detail, "DraftParseError should explain what is missing"
