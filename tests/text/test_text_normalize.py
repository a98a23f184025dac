"""normalize_text / normalize_line: one stored spelling per sentence."""

from __future__ import annotations

import random
import time
import unicodedata

import pytest

from consultations.text import normalize_line, normalize_text

TONE_PLACEMENT = [
    # (typed, stored) - old-style and new-style spellings must store identically.
    ("hòa", "hoà"),
    ("hoà", "hoà"),
    ("Hòa", "Hoà"),
    ("Hoà", "Hoà"),
    ("HÒA", "HOÀ"),
    ("HOÀ", "HOÀ"),
    ("hÒa", "hOà"),
    ("thủy", "thuỷ"),
    ("thuỷ", "thuỷ"),
    ("THỦY LỢI", "THUỶ LỢI"),
    ("khỏe", "khoẻ"),
    ("khoẻ", "khoẻ"),
    ("ủy ban", "uỷ ban"),
    ("Ủy ban nhân dân", "Uỷ ban nhân dân"),
    ("qúy", "quý"),
    ("quý", "quý"),
    ("QÚY", "QUÝ"),
    ("tòa án", "toà án"),
    ("hóa đơn", "hoá đơn"),
    ("thỏa thuận", "thoả thuận"),
    ("gịa", "giạ"),
    # Syllables whose placement does not depend on the convention stay as they are.
    ("hoàng", "hoàng"),
    ("quà", "quà"),
    ("giữa", "giữa"),
    ("người", "người"),
    ("Nguyễn", "Nguyễn"),
    ("ngoài", "ngoài"),
    ("khuỷu", "khuỷu"),
    ("chuyện", "chuyện"),
    ("thuở", "thuở"),
    ("quốc", "quốc"),
    ("gì", "gì"),
    ("gìn giữ", "gìn giữ"),
    ("mùa", "mùa"),
    ("mía", "mía"),
    ("huỳnh", "huỳnh"),
    ("toán", "toán"),
    ("ĐIỀU", "ĐIỀU"),
    # Not Vietnamese syllables: left exactly as typed.
    ("café", "café"),
    ("résumé", "résumé"),
    ("naïve", "naïve"),
    ("José", "José"),
]


@pytest.mark.parametrize(("typed", "stored"), TONE_PLACEMENT)
def test_tone_mark_goes_on_the_main_vowel_new_style(typed: str, stored: str) -> None:
    assert normalize_text(typed) == stored


def test_decomposed_input_is_stored_precomposed() -> None:
    decomposed = unicodedata.normalize("NFD", "Hòa Bình, thủy lợi")
    assert normalize_text(decomposed) == "Hoà Bình, thuỷ lợi"


WHITESPACE_AND_INVISIBLES = [
    # (bug report, typed, stored)
    ("zero-width space split a word", "Góp\u200b ý", "Góp ý"),
    ("zero-width joiner inside a word", "dự\u200dthảo", "dựthảo"),
    ("BOM at the start of a pasted text", "\ufeffKính gửi", "Kính gửi"),
    ("word joiner", "Điều\u20602", "Điều2"),
    ("bidi override reversed a phone number", "\u202e0912\u202c", "0912"),
    ("bidi isolates from a web form", "\u2066tên\u2069", "tên"),
    ("soft hyphen from Word", "thủ\u00adtục", "thủtục"),
    ("NUL and escape bytes", "a\x00b\x1bc", "abc"),
    ("C1 control", "a\x90b", "ab"),
    ("Windows line endings", "dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),
    ("old Mac line endings", "dòng 1\rdòng 2", "dòng 1\ndòng 2"),
    ("unicode line separator", "a\u2028b", "a\nb"),
    ("tab becomes a space", "a\tb", "a b"),
    ("runs of spaces and tabs", "a  \t  b", "a b"),
    ("no-break and ideographic spaces", "a\u00a0\u3000b", "a b"),
    ("trailing spaces on each line", "a   \nb\t\n", "a\nb"),
    ("leading/trailing blank lines", "\n\n  a  \n\n", "a"),
    ("three or more newlines collapse to a blank line", "a\n\n\n\n\nb", "a\n\nb"),
    ("whitespace-only lines count as blank", "a\n \n\t\n \nb", "a\n\nb"),
    ("two newlines are kept", "a\n\nb", "a\n\nb"),
    ("HTML stays literal text", "<b>Điều 1</b> & <i>x</i>", "<b>Điều 1</b> & <i>x</i>"),
    ("punctuation kept", "“Điều 5”, khoản 2 (a); 50%!?", "“Điều 5”, khoản 2 (a); 50%!?"),
    ("emoji kept", "Đồng ý 👍🇻🇳", "Đồng ý 👍🇻🇳"),
    ("empty text", "", ""),
    ("only invisibles", "\u200b\ufeff \t\r\n", ""),
]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [case[1:] for case in WHITESPACE_AND_INVISIBLES],
    ids=[case[0] for case in WHITESPACE_AND_INVISIBLES],
)
def test_whitespace_controls_and_invisible_characters(typed: str, stored: str) -> None:
    assert normalize_text(typed) == stored


def test_invisible_character_inside_a_syllable_does_not_block_tone_normalisation() -> None:
    assert normalize_text("ho\u200bà h\u200dòa") == "hoà hoà"


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("Nguyễn\nVăn  An", "Nguyễn Văn An"),
        ("a\n\n\nb", "a b"),
        ("a\n b", "a b"),
        ("  Hòa\r\n", "Hoà"),
    ],
)
def test_normalize_line_puts_everything_on_one_line(typed: str, line: str) -> None:
    assert normalize_line(typed) == line


def test_mixed_script_text_is_untouched_apart_from_vietnamese_tones() -> None:
    text = "Hòa bình 和平 мир σειρά سلام café Straße 123"
    assert normalize_text(text) == "Hoà bình 和平 мир σειρά سلام café Straße 123"


def test_ten_thousand_characters_are_fast() -> None:
    text = ("Kính gửi Ban soạn thảo, tôi đề nghị sửa Điều 12 về hòa giải.\u200b\r\n\t" * 200)[
        :10_000
    ]
    started = time.perf_counter()
    result = normalize_text(text)
    assert time.perf_counter() - started < 0.5
    assert "hoà giải" in result
    assert "hòa" not in result
    assert "\u200b" not in result and "\r" not in result and "\t" not in result


FIXED_IDEMPOTENCE = [
    "hòa HÒA Hoà thủy khỏe qúy",
    "  Kính gửi\u200b Ban\t\tsoạn thảo,\r\n\r\n\r\n\r\nTôi   đồng ý.  ",
    "a\n \n \n \n b",
    "\u202eabc\u202c\x00",
    unicodedata.normalize("NFD", "người Việt Nam, gìn giữ hoà bình"),
    "café naïve résumé 和平",
    "",
]


@pytest.mark.parametrize("text", FIXED_IDEMPOTENCE)
def test_normalize_is_idempotent_on_known_tricky_texts(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize_line(normalize_line(text)) == normalize_line(text)


SYLLABLES = [
    "hòa", "hoà", "thủy", "thuỷ", "khỏe", "khoẻ", "qúy", "quý", "hoàng", "quà", "giữa",
    "người", "gì", "gìn", "Nguyễn", "ngoài", "khuỷu", "chuyện", "thuở", "quốc", "mùa",
    "mía", "huỳnh", "toán", "điều", "luật", "dự", "thảo", "góp", "ý", "ủy", "uỷ", "tòa",
    "toà", "xóa", "xoá", "giặt", "quyển", "khuya", "ươu", "gịa", "café",
]  # fmt: skip
SEPARATORS = [" ", "  ", "\t", "\n", "\r\n", "\n\n\n", "\u200b", "\ufeff", ", ", ".", "", "\x00"]


def _random_text(rng: random.Random) -> str:
    """Random mix of syllables (random case, random composition) and separators."""
    parts: list[str] = []
    for _ in range(rng.randint(0, 12)):
        syllable = rng.choice(SYLLABLES)
        syllable = rng.choice([syllable, syllable.upper(), syllable.capitalize()])
        syllable = unicodedata.normalize(rng.choice(["NFC", "NFD"]), syllable)
        parts += [syllable, rng.choice(SEPARATORS)]
    return "".join(parts)


def test_normalize_is_idempotent_on_random_syllable_soup() -> None:
    rng = random.Random(20251127)
    for _ in range(3000):
        text = _random_text(rng)
        once = normalize_text(text)
        assert normalize_text(once) == once, repr(text)
        assert normalize_line(once) == normalize_line(normalize_line(text)), repr(text)


@pytest.mark.parametrize(("old_style", "new_style"), [("hòa", "hoà"), ("thủy", "thuỷ")])
def test_old_and_new_style_agree_in_any_case(old_style: str, new_style: str) -> None:
    for transform in (str.lower, str.upper, str.capitalize, str.title):
        assert normalize_text(transform(old_style)) == normalize_text(transform(new_style))
