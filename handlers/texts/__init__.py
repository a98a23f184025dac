"""The text catalog: every citizen-facing string, Vietnamese first, English too."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from typing import Any

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")


def _load_catalogs() -> dict[str, dict[str, str]]:
    """Merge every module here named vi, en, or <area>_vi / <area>_en (e.g. staff_vi).

    Each area of the product keeps its texts in its own module, so adding an
    area adds files rather than editing one long shared one.
    """
    catalogs: dict[str, dict[str, str]] = {locale: {} for locale in LOCALES}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        locale = module.name.rsplit("_", 1)[-1]
        if locale in catalogs:
            texts = importlib.import_module(f"{__name__}.{module.name}").TEXTS
            catalogs[locale].update(texts)
    return catalogs


CATALOGS = _load_catalogs()

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
