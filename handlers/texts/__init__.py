"""The text catalog: every citizen-facing string, Vietnamese first, English too."""

from __future__ import annotations

import logging
from typing import Any

from handlers.texts import en, staff_en, staff_vi, vi

CATALOGS: dict[str, dict[str, str]] = {
    "vi": {**vi.TEXTS, **staff_vi.TEXTS},
    "en": {**en.TEXTS, **staff_en.TEXTS},
}
DEFAULT_LOCALE = "vi"
PROVINCE = "tỉnh"

log = logging.getLogger(__name__)


def t(locale: str, key: str, **params: Any) -> str:
    """The text for `key` in `locale`, falling back to Vietnamese, then to a generic error."""
    catalog = CATALOGS.get(locale, CATALOGS[DEFAULT_LOCALE])
    template = catalog.get(key) or CATALOGS[DEFAULT_LOCALE].get(key)
    if template is None:
        log.error("missing text key %s", key)
        template = catalog["error.generic"]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        log.error("text %s is missing a parameter", key)
        return template


def has(key: str) -> bool:
    return key in CATALOGS[DEFAULT_LOCALE]


def locale_of(hint: str | None) -> str:
    """The catalog for a platform's language hint: English when it says so, else Vietnamese."""
    return "en" if (hint or "").lower().startswith("en") else DEFAULT_LOCALE
