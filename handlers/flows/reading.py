"""Reading: the open rounds, a round's summary, and its draft article by article."""

from __future__ import annotations

from consultations import sections, subscriptions
from consultations.errors import NotFound
from consultations.views import RoundView, SectionView
from consultations.vocab import FollowTarget, RoundStatus
from handlers import actions
from handlers.flows.context import Conversation
from handlers.flows.menu import show_menu
from handlers.messages import Button
from handlers.paging import split_pages

PUBLIC_STATUSES = (RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.REPORTED)


async def public_round(conv: Conversation, round_id: int) -> RoundView:
    """A round citizens may see; drafts not yet published are 'not found' to them."""
    found = await conv.round(round_id)
    if found.status not in PUBLIC_STATUSES:
        raise NotFound("round.not_found")
    return found


async def show_rounds(conv: Conversation) -> None:
    open_rounds = await conv.open_rounds()
    if not open_rounds:
        conv.say(
            conv.text("rounds.none"),
            [[conv.button("menu.follow", "follow"), conv.button("button.menu", "menu")]],
        )
        return
    lines = [conv.text("rounds.title")]
    buttons: list[list[Button]] = []
    for n, item in enumerate(open_rounds, start=1):
        lines.append(
            conv.text("rounds.item", n=n, title=item.title, closes=conv.date(item.closes_at))
        )
        buttons.append([Button(f"{n}. {_short(item.title)}", actions.make("r", item.id))])
    buttons.append([conv.button("button.menu", "menu")])
    conv.say("\n".join(lines), buttons)


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


async def show_round(conv: Conversation, round_id: int) -> None:
    item = await public_round(conv, round_id)
    text = conv.text(
        "round.summary",
        title=item.title,
        agency=item.agency_name,
        opens=conv.date(item.opens_at),
        closes=conv.date(item.closes_at),
        articles=item.article_count,
        summary=item.summary,
    ).rstrip()
    rows = [[conv.button("round.read", actions.make("rd", item.id, 0, 0))]]
    if item.status == RoundStatus.OPEN:
        rows.append(
            [
                conv.button("round.comment", actions.make("c", item.id)),
                conv.button("round.ask", actions.make("q", item.id)),
            ]
        )
        rows.append([await _follow_button(conv, item.id)])
    else:
        text += "\n\n" + conv.text("round.status.closed")
    rows.append([conv.button("button.menu", "menu")])
    if conv.participant is not None:
        conv.goto("reading", round_id=item.id)
    conv.say(text, rows)


async def _follow_button(conv: Conversation, round_id: int) -> Button:
    following = conv.participant is not None and await subscriptions.is_following(
        conv.uow, conv.participant.id, FollowTarget.ROUND, round_id
    )
    if following:
        return conv.button("round.unfollow", actions.make("uf", "round", round_id))
    return conv.button("round.follow", actions.make("f", "round", round_id))


def _article_text(article: SectionView) -> str:
    heading = (
        f"{article.label}. {article.heading}".rstrip(". ") if article.heading else article.label
    )
    return f"{heading}\n\n{article.body}".strip()


async def show_article(conv: Conversation, round_id: int, index: int, part: int = 0) -> None:
    """One page of one article, with the buttons to move on or comment on it."""
    item = await public_round(conv, round_id)
    articles = await sections.list_articles(conv.uow, round_id)
    if not 0 <= index < len(articles):
        raise NotFound("section.not_found")
    article = articles[index]
    pages = split_pages(_article_text(article), conv.settings.page_chars)
    part = min(max(part, 0), len(pages) - 1)
    part_note = conv.text("read.part", part=part + 1, parts=len(pages)) if len(pages) > 1 else ""
    text = conv.text(
        "read.page",
        title=item.title,
        path=article.path,
        text=pages[part],
        index=index + 1,
        total=len(articles),
        part=part_note,
    )
    conv.say(
        text.replace("\n\n\n", "\n\n"),
        _article_buttons(conv, item, articles, index, part, len(pages)),
        edit_previous=conv.inbound.action is not None,
    )
    if conv.participant is not None:
        conv.goto("reading", round_id=round_id, section_id=article.id, index=index)


def _article_buttons(
    conv: Conversation,
    item: RoundView,
    articles: list[SectionView],
    index: int,
    part: int,
    parts: int,
) -> list[list[Button]]:
    nav: list[Button] = []
    if index > 0:
        nav.append(conv.button("read.prev", actions.make("rd", item.id, index - 1, 0)))
    if part + 1 < parts:
        nav.append(conv.button("read.more", actions.make("rd", item.id, index, part + 1)))
    elif index + 1 < len(articles):
        nav.append(conv.button("read.next", actions.make("rd", item.id, index + 1, 0)))
    rows = [nav]
    if item.status == RoundStatus.OPEN:
        rows.append([conv.button("read.comment", actions.make("c", item.id, articles[index].id))])
    rows.append(
        [conv.button("button.back", actions.make("r", item.id)), conv.button("button.menu", "menu")]
    )
    return rows


async def jump_to_article(conv: Conversation, number: str) -> None:
    """'điều 5' typed: open that article of the round being read, or of the only open round."""
    round_id = conv.dialog.data.get("round_id")
    if not isinstance(round_id, int):
        open_rounds = await conv.open_rounds()
        if len(open_rounds) != 1:
            await show_rounds(conv)
            return
        round_id = open_rounds[0].id
    articles = await sections.list_articles(conv.uow, round_id)
    wanted = number.lower()
    for index, article in enumerate(articles):
        if article.label.lower().split()[-1] == wanted:
            await show_article(conv, round_id, index)
            return
    conv.say(
        conv.text("read.no_article", label=f"Điều {number}"),
        [[conv.button("round.read", actions.make("rd", round_id, 0, 0))]],
    )


async def step_article(conv: Conversation, delta: int) -> None:
    """'tiếp' / 'trước' typed while reading."""
    round_id, index = conv.dialog.data.get("round_id"), conv.dialog.data.get("index")
    if not isinstance(round_id, int) or not isinstance(index, int):
        show_menu(conv)
        return
    total = len(await sections.list_articles(conv.uow, round_id))
    await show_article(conv, round_id, min(max(index + delta, 0), max(total - 1, 0)))
