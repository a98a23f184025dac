"""Typed words that act like buttons, matched without regard to diacritics or case."""

from __future__ import annotations

import re

from consultations.text import fold

# Folded phrase -> action. "góp ý", "gop y", "GÓP Ý" and "/comment" all fold alike.
GLOBAL_WORDS: dict[str, str] = {
    **dict.fromkeys(["menu", "trang chu", "bat dau", "start", "0", "quay lai", "back"], "menu"),
    **dict.fromkeys(
        ["xem du thao", "du thao", "doc", "doc du thao", "drafts", "draft", "read", "danh sach"],
        "rounds",
    ),
    **dict.fromkeys(["gop y", "y kien", "binh luan", "comment", "gui gop y"], "comment"),
    **dict.fromkeys(["hoi", "cau hoi", "dat cau hoi", "ask", "question", "hoi dap"], "ask"),
    **dict.fromkeys(
        ["cua toi", "gop y cua toi", "mine", "my comments", "tra loi", "ket qua"], "mine"
    ),
    **dict.fromkeys(["theo doi", "follow", "dang ky", "subscribe"], "follow"),
    **dict.fromkeys(["english", "tieng anh"], "lang:en"),
    **dict.fromkeys(["tieng viet", "vietnamese"], "lang:vi"),
    **dict.fromkeys(
        ["quyen rieng tu", "du lieu cua toi", "xoa du lieu", "privacy", "forget me", "bao mat"],
        "privacy",
    ),
    **dict.fromkeys(["tro giup", "giup", "huong dan", "help", "?"], "help"),
    **dict.fromkeys(["huy", "huy bo", "cancel", "thoat", "stop"], "cancel"),
}

# Numbered menu items ("1" .. "8") when the menu is what was shown last.
MENU_NUMBERS = {
    "1": "rounds",
    "2": "comment",
    "3": "ask",
    "4": "mine",
    "5": "follow",
    "6": "lang",
    "7": "privacy",
    "8": "help",
}

# Words that only mean something at one step.
STEP_WORDS: dict[str, dict[str, str]] = {
    "compose_stance": {
        "1": "st:support",
        "2": "st:oppose",
        "3": "st:suggest",
        "4": "st:other",
        "dong tinh": "st:support",
        "ung ho": "st:support",
        "support": "st:support",
        "khong dong tinh": "st:oppose",
        "phan doi": "st:oppose",
        "oppose": "st:oppose",
        "de nghi sua doi": "st:suggest",
        "sua doi": "st:suggest",
        "de xuat": "st:suggest",
        "suggest": "st:suggest",
        "khac": "st:other",
        "y kien khac": "st:other",
        "other": "st:other",
    },
    "compose_confirm": {
        **dict.fromkeys(["gui", "ok", "co", "dong y", "yes", "send", "xac nhan"], "send"),
        **dict.fromkeys(["sua", "sua noi dung", "edit"], "edit"),
    },
    "dup_offer": {
        **dict.fromkeys(["rieng", "gui rieng", "own", "gop y rieng"], "own"),
    },
    "forget_confirm": {**dict.fromkeys(["co", "yes", "dong y", "xoa"], "forget:yes")},
    "reading": {
        **dict.fromkeys(["tiep", "tiep theo", "sau", "next", ">"], "next"),
        **dict.fromkeys(["truoc", "prev", "previous", "<"], "prev"),
    },
}

ARTICLE_PATTERN = re.compile(r"(?:dieu|article|art|d)\s*\.?\s*(\d{1,4}[a-z]?)")
CONSENT_WORDS = {"dong y", "toi dong y", "co", "yes", "i agree", "agree", "ok"}


def match_step(step: str, text: str) -> str | None:
    """An action for a word that is meaningful at this step only."""
    return STEP_WORDS.get(step, {}).get(fold(text))


def match_global(text: str, *, at_menu: bool) -> str | None:
    key = fold(text)
    if at_menu and key in MENU_NUMBERS:
        return MENU_NUMBERS[key]
    return GLOBAL_WORDS.get(key)


def match_article(text: str) -> str | None:
    """'Điều 5', 'dieu 5a', 'article 12' -> the article number typed."""
    match = ARTICLE_PATTERN.fullmatch(fold(text))
    return match.group(1) if match else None


def is_consent(text: str) -> bool:
    return fold(text) in CONSENT_WORDS


def looks_like_content(text: str) -> bool:
    """Long enough to be a comment rather than a mistyped command."""
    return len(text) >= 20 or len(text.split()) >= 4
