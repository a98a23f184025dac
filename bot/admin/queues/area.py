"""The work area of the console: comment queue, near-duplicates, questions, data requests."""

from __future__ import annotations

from aiohttp import web

from bot.admin.queues import comments, groups, privacy, questions
from bot.admin.state import Area, NavItem
from consultations.console.access import Permission

ID = "{id:[0-9]{1,9}}"
QUEUE = f"/work/comments/rounds/{ID}"
GROUP = QUEUE + "/groups/{rep:[0-9]{1,9}}"


def setup_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/work/comments", comments.overview)
    router.add_get(QUEUE, comments.queue_page)
    router.add_get(f"/work/comments/{ID}", comments.comment_page)
    router.add_post(f"/work/comments/{ID}/moderate", comments.moderate_one)
    router.add_post(f"/work/comments/{ID}/outcome", comments.outcome_one)
    router.add_get(QUEUE + "/groups", groups.groups_page)
    router.add_get(GROUP, groups.group_page)
    router.add_post(GROUP + "/moderate", groups.group_moderate)
    router.add_post(GROUP + "/outcome", groups.group_outcome)
    router.add_get("/work/questions", questions.inbox_page)
    router.add_get(f"/work/questions/{ID}", questions.question_page)
    router.add_post(f"/work/questions/{ID}/answer", questions.answer)
    router.add_get("/work/privacy", privacy.list_page)
    router.add_post("/work/privacy", privacy.record)
    router.add_get(f"/work/privacy/{ID}", privacy.request_page)
    router.add_post(f"/work/privacy/{ID}/export", privacy.export)
    router.add_post(f"/work/privacy/{ID}/erase", privacy.erase)


AREA = Area(
    name="work",
    setup_routes=setup_routes,
    nav=(
        NavItem("admin.nav.comments", "/admin/work/comments", Permission.COMMENTS_VIEW),
        NavItem("admin.nav.questions", "/admin/work/questions", Permission.QUESTIONS_ANSWER),
        NavItem("admin.nav.privacy", "/admin/work/privacy", Permission.PRIVACY_REQUESTS),
    ),
)
