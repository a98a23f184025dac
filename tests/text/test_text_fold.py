"""fold / words: menu words must match with or without diacritics."""

from __future__ import annotations

import pytest

from consultations.text import fold, words

FOLD_CASES = [
    # (typed by a citizen, key)
    ("Góp ý", "gop y"),
    ("GÓP Ý", "gop y"),
    ("gop y", "gop y"),
    ("gop  y", "gop y"),
    ("  Góp ý!  ", "gop y"),
    ("«Góp ý»", "gop y"),
    ("Điều 2", "dieu 2"),
    ("ĐIỀU 2.", "dieu 2"),
    ("đường", "duong"),
    ("Hòa", "hoa"),
    ("Hoà", "hoa"),
    ("người", "nguoi"),
    ("Nguyễn Thị Ánh", "nguyen thi anh"),
    ("góp\u200bý", "gopy"),
    ("Góp\tý\nkiến", "gop y kien"),
    ("１２", "12"),  # full-width digits from some Zalo keyboards
    ("Dự thảo Luật Đất đai sửa đổi.", "du thao luat dat dai sua doi"),
    ("...", ""),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "key"), FOLD_CASES)
def test_fold_ignores_case_diacritics_spacing_and_edge_punctuation(typed: str, key: str) -> None:
    assert fold(typed) == key


def test_fold_is_stable_when_applied_twice() -> None:
    for typed, key in FOLD_CASES:
        assert fold(key) == key, typed


@pytest.mark.parametrize(
    ("typed", "tokens"),
    [
        ("Góp ý về Điều 12, khoản 3.", ["gop", "y", "ve", "dieu", "12", "khoan", "3"]),
        ("Luật số 64/2025/QH15", ["luat", "so", "64", "2025", "qh15"]),
        ("đ*t", ["d", "t"]),
        ("snake_case", ["snake", "case"]),
        ("", []),
    ],
)
def test_words_are_folded_letter_and_digit_runs(typed: str, tokens: list[str]) -> None:
    assert words(typed) == tokens
