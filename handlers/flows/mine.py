"""'My comments and answers': what became of what the participant sent."""

from __future__ import annotations

from consultations import comments, questions
from consultations.views import CommentView, QuestionView
from consultations.vocab import Moderation
from handlers.flows.context import Conversation

SNIPPET = 160


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


def _comment_status(conv: Conversation, item: CommentView) -> str:
    if item.moderation != Moderation.VISIBLE:
        key = "moderation.pending" if item.moderation == Moderation.PENDING else "moderation.hidden"
        return conv.text(key)
    if item.outcome is None:
        return conv.text("outcome.none")
    status = conv.text(f"outcome.{item.outcome}")
    return f"{status}: {item.outcome_note}" if item.outcome_note else status


def _question_status(conv: Conversation, item: QuestionView) -> str:
    if item.status == "answered":
        return conv.text("question.answered", answer=_snippet(item.answer or ""))
    if item.status == "open":
        return conv.text("question.open", due=conv.date(item.due_at))
    return conv.text("question.closed")


async def show(conv: Conversation) -> None:
    me = conv.me()
    mine_comments = await comments.list_mine(conv.uow, me.id)
    mine_questions = await questions.list_mine(conv.uow, me.id)
    menu = [[conv.button("button.menu", "menu")]]
    if not mine_comments and not mine_questions:
        conv.say(conv.text("mine.empty"), menu)
        return
    lines: list[str] = []
    if mine_comments:
        lines.append(conv.text("mine.comments"))
        for c in mine_comments:
            label = f" · {c.section_label}" if c.section_label else ""
            lines.append(
                conv.text(
                    "mine.comment",
                    id=c.id,
                    round=_snippet(c.round_title),
                    label=label,
                    body=_snippet(c.body),
                    status=_comment_status(conv, c),
                )
            )
    if mine_questions:
        lines.append("")
        lines.append(conv.text("mine.questions"))
        lines.extend(
            conv.text(
                "mine.question", id=q.id, body=_snippet(q.body), status=_question_status(conv, q)
            )
            for q in mine_questions
        )
    conv.say("\n".join(lines).strip(), menu)
