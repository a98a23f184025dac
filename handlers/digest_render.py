"""Digests as people read them: plain text for chats (split below each channel's limit),
HTML with a plain-text twin for e-mail.

A digest is first laid out as blocks (a heading, lines, bullet lines) in the
reader's language; text and HTML are two renderings of the same blocks, so the
e-mail and the chat say the same thing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from consultations.digests.content import DigestContent, QuestionItem, RoundDigest
from handlers.paging import split_pages
from handlers.texts import t

TZ_NAME = "Asia/Ho_Chi_Minh"
ARTICLES_SHOWN = 8
STANCES = ("support", "oppose", "suggest", "other")
BULLET = "• "
PART_RESERVE = 24  # room for "(phần 2/3)" above each part


@dataclass
class Block:
    """A paragraph of a digest: an optional heading, then lines (bullets start with •)."""

    heading: str | None = None
    lines: list[str] = field(default_factory=list)


def when(moment: datetime, tz_name: str = TZ_NAME, *, time: bool = True) -> str:
    local = moment.astimezone(ZoneInfo(tz_name))
    return local.strftime("%H:%M %d/%m/%Y" if time else "%d/%m/%Y")


def _share(satisfied: int, ratings: int, locale: str) -> dict[str, object]:
    share = f"{satisfied / ratings:.0%}" if ratings else t(locale, "digest.satisfaction.none")
    return {"satisfied": satisfied, "ratings": ratings, "share": share}


def _joined(counts: dict[str, int], prefix: str, order: tuple[str, ...], locale: str) -> str:
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return " · ".join(f"{t(locale, prefix + k)} {counts[k]}" for k in keys)


def heading(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> dict[str, str]:
    """The parameters every digest text shares: kind, agency, period."""
    return {
        "kind": t(locale, f"digest.kind.{content.kind}"),
        "agency": content.agency_name,
        "start": when(content.period.start, tz_name),
        "end": when(content.period.end, tz_name),
    }


def blocks(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> list[Block]:
    """The digest laid out in the reader's language."""
    common = heading(content, locale, tz_name)
    found = [Block(t(locale, "digest.title", **common), [t(locale, "digest.period", **common)])]
    for part in content.rounds:
        found.extend(_round_blocks(part, locale, tz_name))
    if not content.rounds:
        found.append(Block(None, [t(locale, "digest.no_rounds")]))
    found.append(_questions_block(content, locale, tz_name))
    s = content.satisfaction
    found.append(
        Block(
            t(locale, "digest.satisfaction.title"),
            [
                t(
                    locale,
                    "digest.satisfaction.period",
                    **_share(s.period_satisfied, s.period_ratings, locale),
                ),
                t(
                    locale,
                    "digest.satisfaction.total",
                    **_share(s.total_satisfied, s.total_ratings, locale),
                ),
            ],
        )
    )
    return found


def _round_blocks(part: RoundDigest, locale: str, tz_name: str) -> list[Block]:
    closes = (
        t(locale, "digest.round.closes", date=when(part.closes_at, tz_name))
        if part.status == "open" and part.closes_at
        else t(locale, "digest.round.closed")
        if part.status != "open"
        else ""
    )
    head = Block(
        t(locale, "digest.round.title", title=part.title), [line for line in [closes] if line]
    )
    if part.quiet:
        head.lines.append(t(locale, "digest.round.quiet"))
    else:
        head.lines.append(
            t(
                locale,
                "digest.round.new",
                comments=part.new_comments,
                cosignatures=part.new_cosignatures,
            )
        )
    head.lines.append(
        t(
            locale,
            "digest.round.totals",
            comments=part.totals.comments,
            cosignatures=part.totals.cosignatures,
        )
    )
    if part.quiet:
        return [head]
    return [head, *_activity_blocks(part, locale)]


def _activity_blocks(part: RoundDigest, locale: str) -> list[Block]:
    """Articles, stances and kinds always; themes, campaigns, co-signed when there are any."""
    found = [_articles_block(part, locale)]
    if part.themes:
        themes = Block(t(locale, "digest.themes.title"))
        themes.lines += [
            t(locale, "digest.themes.item", phrase=th.phrase, count=th.comments,
              id=th.example_id, example=th.example)
            for th in part.themes
        ]  # fmt: skip
        if part.sampled < part.new_comments:
            themes.lines.append(
                t(locale, "digest.themes.sampled", sampled=part.sampled, total=part.new_comments)
            )
        found.append(themes)
    if part.campaigns:
        groups = Block(t(locale, "digest.campaigns.title"))
        groups.lines += [
            t(locale, "digest.campaigns.item", count=c.comments, cosignatures=c.cosignatures,
              where=t(locale, "digest.campaigns.where", label=c.label) if c.label else "",
              id=c.example_id, example=c.example)
            for c in part.campaigns
        ]  # fmt: skip
        found.append(groups)
    if part.cosigned:
        cosigned = Block(t(locale, "digest.cosigned.title"))
        cosigned.lines += [
            t(locale, "digest.cosigned.item", id=c.comment_id, new=c.new_cosignatures,
              total=c.total_cosignatures, example=c.example)
            for c in part.cosigned
        ]  # fmt: skip
        found.append(cosigned)
    return found


def _articles_block(part: RoundDigest, locale: str) -> Block:
    """The most discussed articles, then the split by stance and by respondent kind."""
    block = Block(t(locale, "digest.articles.title"))
    for item in part.by_article[:ARTICLES_SHOWN]:
        label = item.label or t(locale, "digest.articles.whole")
        label = f"{label} ({item.heading})" if item.heading else label
        block.lines.append(
            t(locale, "digest.articles.item", label=label, comments=item.comments,
              cosignatures=item.cosignatures)
        )  # fmt: skip
    hidden = len(part.by_article) - ARTICLES_SHOWN
    if hidden > 0:
        block.lines.append(t(locale, "digest.articles.more", count=hidden))
    stances = _joined(part.by_stance, "digest.stance.", STANCES, locale)
    kinds = _joined(part.by_kind, "digest.kind_of.", ("citizen", "business"), locale)
    block.lines.append(t(locale, "digest.stances.title", items=stances))
    block.lines.append(t(locale, "digest.kinds.title", items=kinds))
    return block


def _questions_block(content: DigestContent, locale: str, tz_name: str) -> Block:
    q = content.questions
    block = Block(
        t(locale, "digest.questions.title"),
        [
            t(
                locale,
                "digest.questions.summary",
                new=q.new_count,
                days=content.due_soon_days,
                soon=q.due_soon_count,
                overdue=q.overdue_count,
                answered=q.answered_in_period,
                open=q.open_total,
            )
        ],
    )
    for key, items, count in (
        ("overdue", q.overdue, q.overdue_count),
        ("soon", q.due_soon, q.due_soon_count),
        ("new", q.new, q.new_count),
    ):
        if items:
            block.lines.append(t(locale, f"digest.questions.{key}"))
            block.lines += [question_line(item, locale, tz_name) for item in items]
            if count > len(items):
                block.lines.append(t(locale, "digest.questions.more", count=count - len(items)))
    return block


def question_line(item: QuestionItem, locale: str, tz_name: str = TZ_NAME) -> str:
    """A question with what staff need to answer it from a chat."""
    return t(
        locale,
        "digest.questions.item",
        id=item.id,
        due=when(item.due_at, tz_name, time=False),
        round=item.round_title or t(locale, "digest.questions.general"),
        text=item.text,
    )


def text_of(parts: list[Block]) -> str:
    return "\n\n".join("\n".join(([b.heading] if b.heading else []) + b.lines) for b in parts)


def html_of(parts: list[Block], extra: list[str] | None = None) -> str:
    """A self-contained HTML body (inline styles only: mail clients drop the rest)."""
    out = ['<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.45">']
    for index, block in enumerate(parts):
        if block.heading:
            tag = "h2" if index == 0 else "h3"
            out.append(f"<{tag}>{html.escape(block.heading)}</{tag}>")
        in_list = False
        for line in block.lines:
            bullet = line.startswith(BULLET)
            if bullet != in_list:
                out.append("<ul>" if bullet else "</ul>")
                in_list = bullet
            body = html.escape(line.removeprefix(BULLET)).replace("\n", "<br>")
            out.append(f"<li>{body}</li>" if bullet else f"<p>{body}</p>")
        if in_list:
            out.append("</ul>")
    out += [f'<p style="color:#555">{html.escape(line)}</p>' for line in extra or []]
    out.append("</div>")
    return "\n".join(out)


def render_text(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> str:
    return text_of(blocks(content, locale, tz_name))


def render_html(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> str:
    return html_of(blocks(content, locale, tz_name))


def chat_parts(
    content: DigestContent, limit: int, locale: str, tz_name: str = TZ_NAME
) -> list[str]:
    """The digest as chat messages, each within `limit` characters, numbered when several."""
    pages = split_pages(render_text(content, locale, tz_name), limit - PART_RESERVE)
    if len(pages) == 1:
        return pages
    return [
        f"{t(locale, 'digest.part', n=n, total=len(pages))}\n{page}"
        for n, page in enumerate(pages, start=1)
    ]


def empty_line(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> str:
    return t(locale, "digest.empty", **heading(content, locale, tz_name))


def subject(content: DigestContent, locale: str, tz_name: str = TZ_NAME) -> str:
    common = heading(content, locale, tz_name)
    return t(
        locale, "digest.subject", **{**common, "end": when(content.period.end, tz_name, time=False)}
    )
