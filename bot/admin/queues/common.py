"""What the work queues' pages share: reading filters, finding a comment in scope, redirects."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.scope import check_agency
from bot.admin.state import console_of
from consultations.console import moderation
from consultations.console.moderation import CommentFilter, QueueItem
from consultations.errors import NotFound
from consultations.vocab import Moderation, Outcome, Stance
from storage.uow import UnitOfWork

STANCES = [str(s) for s in Stance]
MODERATIONS = [str(m) for m in Moderation]
OUTCOMES = [str(o) for o in Outcome]
QUEUE = "/admin/work/comments"


def comment_filter(request: web.Request) -> CommentFilter:
    """The queue's filters from the query string; anything unexpected means "all"."""
    query = request.query
    article = query.get("article", "")
    if article != moderation.WHOLE_DRAFT and not (article.isdigit() and len(article) <= 9):
        article = ""
    stance = query.get("stance", "")
    status = query.get("moderation", "")
    return CommentFilter(
        article=article,
        stance=stance if stance in STANCES else "",
        moderation=status if status in MODERATIONS else "",
    )


def filter_query(flt: CommentFilter, page: int = 1) -> str:
    """The query string that shows the same filtered page again."""
    values = {"article": flt.article, "stance": flt.stance, "moderation": flt.moderation}
    if page > 1:
        values["page"] = str(page)
    return urlencode({k: v for k, v in values.items() if v})


def page_number(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


async def comment_in_scope(request: web.Request, uow: UnitOfWork, comment_id: int) -> QueueItem:
    """The comment if it exists and belongs to the person's agency; 404 otherwise (audited)."""
    try:
        item = await moderation.get_item(uow, comment_id)
    except NotFound as error:
        raise ConsoleError(404, "admin.error.not_found") from error
    check_agency(request, item.agency_id)
    return item


def back_to(value: str, default: str) -> str:
    """Where to go after an action: a page of the comment queue only, never another site."""
    if value.startswith(QUEUE) and not value.startswith("//") and "\\" not in value:
        return value
    return default


def clock_now(request: web.Request) -> datetime:
    """The service's clock (tests set it), for overdue marks and deadlines."""
    return console_of(request).ctx.uow.clock.now()
