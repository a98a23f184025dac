"""Queueing a stored digest for each of its agency's destinations, rendered for the channel.

Chats get plain text split below their limit; e-mail gets a subject, text, HTML, and
the period's comments as a spreadsheet (named here, built when sent). Called in the
transaction that stored the digest; each message's dedupe key names the digest,
the destination and the part, so a retried run queues nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from consultations import outbox
from consultations.digests.export import MAX_ROWS
from consultations.digests.store import DigestRecord
from consultations.staff_links import Destination
from handlers.digest_render import (
    TZ_NAME,
    blocks,
    chat_parts,
    empty_line,
    html_of,
    subject,
    text_of,
    when,
)
from handlers.messages import Reply
from handlers.texts import t
from storage.uow import UnitOfWork

EMAIL = "email"
DEFAULT_LIMIT = 2000  # the shortest limit of our chat channels (Zalo)
DIGEST_LOCALE = "vi"  # digests go to groups and mailboxes: the agency's language


def place_key(destination: Destination) -> str:
    """A destination in a dedupe key: readable, or hashed when the address is long."""
    address = destination.address
    if len(address) > 120:
        address = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{destination.channel}:{address}"


def dedupe_key(digest_id: int, destination: Destination, part: int) -> str:
    """Unique per digest, destination and part."""
    return f"digest:{digest_id}:{place_key(destination)}:{part}"


def email_payload(record: DigestRecord, locale: str, tz_name: str = TZ_NAME) -> dict[str, Any]:
    """Subject, plain text and HTML of the same content, and the spreadsheet when there is one."""
    content = record.content
    laid_out = blocks(content, locale, tz_name)
    total = sum(part.new_comments for part in content.rounds)
    extra: list[str] = []
    attachment = None
    if total:
        day = when(content.period.end, tz_name, time=False).replace("/", "-")
        name = f"gop-y-{content.agency_code}-{content.kind}-{day}.xlsx"
        attachment = {"kind": "digest_xlsx", "digest_id": record.id, "name": name, "locale": locale}
        extra.append(t(locale, "digest.email.attachment", rows=min(total, MAX_ROWS)))
        if total > MAX_ROWS:
            extra.append(t(locale, "digest.email.truncated", rows=MAX_ROWS, total=total))
    extra.append(t(locale, "digest.email.footer"))
    payload = Reply(text_of(laid_out) + "\n\n" + "\n".join(extra), attachment=attachment)
    return {
        **payload.to_payload(),
        "subject": subject(content, locale, tz_name),
        "html": html_of(laid_out, extra),
    }


def payloads(
    record: DigestRecord, channel: str, limit: int, locale: str, tz_name: str = TZ_NAME
) -> list[dict[str, Any]]:
    """The messages one destination receives for this digest."""
    content = record.content
    if content.empty:
        line = empty_line(content, locale, tz_name)
        if channel == EMAIL:
            return [{**Reply(line).to_payload(), "subject": subject(content, locale, tz_name)}]
        return [Reply(line).to_payload()]
    if channel == EMAIL:
        return [email_payload(record, locale, tz_name)]
    return [Reply(part).to_payload() for part in chat_parts(content, limit, locale, tz_name)]


async def deliver(
    uow: UnitOfWork,
    record: DigestRecord,
    destinations: list[Destination],
    *,
    send_empty: bool,
    limits: Mapping[str, int],
    locale: str = DIGEST_LOCALE,
    tz_name: str = TZ_NAME,
) -> list[int]:
    """Queue the digest for every destination; an empty one only when the agency wants it."""
    if record.content.empty and not send_empty:
        return []
    queued = []
    for destination in destinations:
        limit = limits.get(destination.channel, DEFAULT_LIMIT)
        for part, payload in enumerate(
            payloads(record, destination.channel, limit, locale, tz_name)
        ):
            row = await outbox.enqueue(
                uow,
                channel=destination.channel,
                recipient=destination.address,
                payload=payload,
                dedupe_key=dedupe_key(record.id, destination, part),
            )
            if row is not None:
                queued.append(row.id)
    return queued
