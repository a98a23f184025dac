"""Sample drafts shipped with the bot, so demos and tests need no real government text."""

from importlib.resources import files

SAMPLE_DRAFT_FILE = "du_thao_mau.md"


def sample_draft_text() -> str:
    """Return the fictional sample draft (tỉnh Minh Sơn), read as package data.

    Why importlib.resources: it works the same from a checkout, a wheel or a zip.
    """
    return files(__package__).joinpath(SAMPLE_DRAFT_FILE).read_text(encoding="utf-8")
