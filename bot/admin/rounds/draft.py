"""Import a round's draft from a .docx or pasted text, preview the articles, then save.

The text box always holds what will be imported: a .docx upload is turned into
text and shown there, so a misread heading can be corrected and previewed again
before "save" replaces the round's articles. A file is always previewed first,
never saved unseen. Saving is allowed until the round opens
(consultations.sections.import_draft refuses after that).
"""

from __future__ import annotations

from aiohttp import web

from bot.admin.forms import MAX_UPLOAD_BYTES, Upload, read_form
from bot.admin.render import error_text, page, redirect, text
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.work import unit, user_of
from consultations import sections
from consultations.console import drafts
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.console.docx_text import docx_to_text
from consultations.console.drafts import DraftPreview
from consultations.console.rounds import RoundDetail
from consultations.errors import DomainError, InvalidInput

DOCX_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",
    "application/zip",
    "",
}


def _upload_text(upload: Upload) -> str:
    """The text of an uploaded Word file, or InvalidInput explaining what is wrong with it."""
    if upload.too_large:
        raise InvalidInput("draft.file_too_large", max_mb=MAX_UPLOAD_BYTES // 2**20)
    if not upload.filename.lower().endswith(".docx") or upload.content_type not in DOCX_TYPES:
        raise InvalidInput("draft.wrong_type")
    return docx_to_text(upload.data)


def _preview_or_none(draft: str) -> DraftPreview | None:
    try:
        return drafts.preview(draft) if draft else None
    except DomainError:
        return None


def _render(request: web.Request, detail: RoundDetail, draft: str, *, status: int = 200,
            preview: DraftPreview | None = None, error: str | None = None,
            note: str | None = None) -> web.StreamResponse:
    return page(request, "rounds/draft.html", status=status, round=detail, draft=draft,
                preview=preview, error=error, note=note,
                editable=detail.status in console_rounds.EDITABLE)


@requires(Permission.ROUNDS_VIEW)
async def draft_form(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        draft = await console_rounds.draft_text(uow, detail.id)
    return _render(request, detail, draft, preview=_preview_or_none(draft))


@requires(Permission.ROUNDS_EDIT)
async def draft_submit(request: web.Request) -> web.StreamResponse:
    form = await read_form(request)
    upload = form.upload("file")
    draft = form.get("draft").replace("\r\n", "\n")
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        try:
            if upload is not None:
                draft = _upload_text(upload)
            preview = drafts.preview(draft)
        except DomainError as refused:
            return _render(request, detail, draft, status=400, error=error_text(request, refused))
        if upload is not None or form.get("action") != "save":
            note = text(request, "admin.draft.from_file", name=upload.filename) if upload else None
            return _render(request, detail, draft, preview=preview, note=note)
        try:
            count = await sections.import_draft(uow, detail.id, draft,
                                                actor=user_of(request).actor)
        except DomainError as refused:
            return _render(request, detail, draft, status=400, preview=preview,
                           error=error_text(request, refused))
        await uow.commit()
    flash(request, "admin.draft.saved", count=count)
    return redirect(f"/admin/rounds/{detail.id}")
