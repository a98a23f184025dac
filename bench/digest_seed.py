"""A consultation round with a million comments, generated inside the database.

Rows are made with INSERT ... SELECT over a number series (a recursive CTE on
SQLite, generate_series on PostgreSQL), so generating a million comments takes
seconds, not the hour that going through the domain would. The spread is meant to
look like a real busy round: 40 articles with a skewed interest (the first ones
most discussed), stances 40/30/20/10, one comment in ten from a business, three
campaigns of near-identical copies (2% of the comments each, sharing the campaign's
fingerprint and six of its eight LSH bands), co-signatures, questions and ratings.
The last day's comments talk about a topic ("phí trông giữ xe") rarely seen before,
so the themes have something to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.digest_texts import CAMPAIGN_TEXTS, texts
from storage.models.base import UTCDateTime

ARTICLES = 40
PARTICIPANTS = 20_000
CAMPAIGNS = 3


@dataclass(frozen=True)
class Seeded:
    agency_id: int
    round_id: int
    comments: int
    start: datetime
    end: datetime


def _series(dialect: str, count_param: str) -> str:
    if dialect == "sqlite":
        return (
            f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq "
            f"WHERE n + 1 < {count_param}) "
        )
    return f"WITH seq AS (SELECT generate_series(0, {count_param} - 1) AS n) "


def _sql(dialect: str) -> dict[str, str]:
    """The dialect's spelling of: random int below k, random hex, a time n steps after start."""
    if dialect == "sqlite":
        return {
            "rand": "(abs(random()) % {k})",
            "hex8": "printf('%08x', abs(random()) % 4294967296)",
            "at": "strftime('%Y-%m-%d %H:%M:%S', :start, '+' || (n * :step / 1000000) "
            "|| ' seconds') || '.' || printf('%06d', (n * :step) % 1000000)",
            "json": "'[]'",
        }
    return {
        "rand": "floor(random() * {k})::int",
        "hex8": "lpad(to_hex(floor(random() * 4294967296)::bigint), 8, '0')",
        "at": "CAST(:start AS timestamptz) "
        "+ (CAST(n AS bigint) * :step) * interval '1 microsecond'",
        "json": "CAST('[]' AS json)",
    }


async def seed(conn: AsyncConnection, comments: int, end: datetime) -> Seeded:
    """Agency, round, participants, comments, bands, co-signatures, questions, ratings."""
    dialect = conn.dialect.name
    start = end - timedelta(days=60)
    agency_id, round_id, first_section = await _round(conn, start, end)
    await _participants(conn, dialect, start)
    await _texts_table(conn, comments)
    await _comments(conn, dialect, round_id, first_section, comments, start, end)
    await _bands(conn, dialect, round_id)
    await _cosignatures(conn, dialect, round_id, comments, start, end)
    await _questions_and_ratings(conn, agency_id, round_id, end)
    return Seeded(agency_id, round_id, comments, start, end)


async def _round(conn: AsyncConnection, start: datetime, end: datetime) -> tuple[int, int, int]:
    created = start - timedelta(days=1)
    agency = await conn.scalar(
        _timed(
            "INSERT INTO agencies (code, name, digest_cron, send_empty_digest, created_at) "
            "VALUES ('SO-BENCH', 'Sở Đo đạc', '30 7 * * *', false, :at) RETURNING id",
            "at",
        ),
        {"at": created},
    )
    round_id = await conn.scalar(
        _timed(
            "INSERT INTO rounds (agency_id, document_type, title, summary, audience, status, "
            "opens_at, closes_at, draft_original, preamble, created_at) VALUES (:a, "
            "'business', 'Dự thảo đo hiệu năng', '', '', 'open', :s, :c, '', '', :s) "
            "RETURNING id",
            "s",
            "c",
        ),
        {"a": agency, "s": start, "c": end + timedelta(days=10)},
    )
    for ordinal in range(1, ARTICLES + 1):
        await conn.execute(
            text(
                "INSERT INTO sections (round_id, ordinal, kind, label, number, heading, body, "
                "path) VALUES (:r, :o, 'article', :l, :n, :h, 'Nội dung.', '')"
            ),
            {
                "r": round_id,
                "o": ordinal,
                "n": str(ordinal),
                "l": f"Điều {ordinal}",
                "h": f"Tiêu đề {ordinal}",
            },
        )
    first = await conn.scalar(
        text("SELECT min(id) FROM sections WHERE round_id = :r"), {"r": round_id}
    )
    return int(agency or 0), int(round_id or 0), int(first or 0)


async def _participants(conn: AsyncConnection, dialect: str, start: datetime) -> None:
    await conn.execute(
        _timed(
            _series(dialect, str(PARTICIPANTS))
            + "INSERT INTO participants (channel, channel_user_id, kind, locale, created_at, "
            "last_seen_at) SELECT 'telegram', CAST(n + 1000 AS TEXT), 'citizen', 'vi', :s, "
            ":s FROM seq",
            "s",
        ),
        {"s": start},
    )


async def _texts_table(conn: AsyncConnection, comments: int) -> None:
    """bench_texts(k, body, trend): the bodies comments are drawn from."""
    rng = random.Random(7)
    await conn.execute(text("DROP TABLE IF EXISTS bench_texts"))
    await conn.execute(
        text("CREATE TABLE bench_texts (k INTEGER PRIMARY KEY, body TEXT, trend INTEGER)")
    )
    rows = [{"k": k, "b": body, "t": 0} for k, body in enumerate(texts(rng, 4000, False))]
    rows += [{"k": 4000 + k, "b": body, "t": 1} for k, body in enumerate(texts(rng, 500, True))]
    await conn.execute(text("INSERT INTO bench_texts VALUES (:k, :b, :t)"), rows)


def _comments_sql(dialect: str, count: int) -> str:
    """INSERT ... SELECT of `count` comments: campaigns every 100th to 6th, the trend at the end."""
    f = _sql(dialect)
    rand = f["rand"].format
    trend_from = count - count // 60  # the last of 60 days
    body = (
        "CASE WHEN n % 100 < 6 THEN (CASE n % 3 "
        + " ".join(f"WHEN {i} THEN :camp{i}" for i in range(CAMPAIGNS))
        + " END) || ' Ký tên: người dân số ' || CAST(n AS TEXT) "
        f"WHEN n >= {trend_from} AND n % 3 = 0 THEN "
        "(SELECT body FROM bench_texts WHERE k = 4000 + n % 500) "
        "ELSE (SELECT body FROM bench_texts WHERE k = n % 4000) || ' (#' || CAST(n AS TEXT) "
        "|| ')' END"
    )
    fingerprint = (
        "CASE WHEN n % 100 < 6 THEN 'ca11ab1e0000000' || CAST(n % 3 AS TEXT) "
        f"ELSE {f['hex8']} || {f['hex8']} END"
    )
    stance = (
        "CASE WHEN (n / 7) % 10 < 4 THEN 'support' WHEN (n / 7) % 10 < 7 THEN 'oppose' "
        "WHEN (n / 7) % 10 < 9 THEN 'suggest' ELSE 'other' END"
    )
    return (
        _series(dialect, ":count")
        + "INSERT INTO comments (round_id, section_id, participant_id, channel, respondent_kind, "
        "organisation, stance, body, attachments, moderation, fingerprint, cosign_count, "
        f"created_at) SELECT :round, :section + ({rand(k=40)} * {rand(k=40)}) / 40, "
        f":pmin + n % {PARTICIPANTS}, 'telegram', "
        "CASE WHEN n % 10 = 3 THEN 'business' ELSE 'citizen' END, "
        "CASE WHEN n % 10 = 3 THEN 'Công ty số ' || CAST(n % 500 AS TEXT) ELSE NULL END, "
        f"{stance}, {body}, {f['json']}, 'visible', {fingerprint}, "
        f"CASE WHEN n % 97 = 0 THEN {rand(k=20)} ELSE 0 END, {f['at']} FROM seq"
    )


async def _comments(
    conn: AsyncConnection,
    dialect: str,
    round_id: int,
    first_section: int,
    count: int,
    start: datetime,
    end: datetime,
) -> None:
    pmin = await conn.scalar(text("SELECT min(id) FROM participants"))
    span = int((end - start).total_seconds() * 1_000_000)
    params: dict[str, object] = {f"camp{i}": t for i, t in enumerate(CAMPAIGN_TEXTS)}
    params |= {"count": count, "round": round_id, "section": first_section, "pmin": pmin}
    await conn.execute(
        _timed(_comments_sql(dialect, count), "start"),
        {**params, "start": start, "step": span // count},
    )


def _timed(sql: str, *names: str) -> TextClause:
    """A statement whose named parameters are times, bound as the models bind them."""
    return text(sql).bindparams(*(bindparam(name, type_=UTCDateTime()) for name in names))


async def _bands(conn: AsyncConnection, dialect: str, round_id: int) -> None:
    """Eight LSH keys per comment; a campaign's copies share six of their campaign's."""
    f = _sql(dialect)
    numbers = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(8))
    await conn.execute(
        text(
            "INSERT INTO comment_bands (comment_id, band, round_id) "
            "SELECT c.id, CAST(b.k AS TEXT) || ':' || CASE WHEN c.fingerprint LIKE 'ca11ab1e%' "
            "AND b.k < 6 THEN 'cafe' || substr(c.fingerprint, 16, 1) || CAST(b.k AS TEXT) || '00' "
            f"ELSE {f['hex8']} END, c.round_id FROM comments c CROSS JOIN ({numbers}) b "
            "WHERE c.round_id = :r"
        ),
        {"r": round_id},
    )


async def _cosignatures(
    conn: AsyncConnection,
    dialect: str,
    round_id: int,
    comments: int,
    start: datetime,
    end: datetime,
) -> None:
    count = comments // 10
    width = min(2000, comments)
    first = await conn.scalar(
        text("SELECT min(id) FROM comments WHERE round_id = :r"), {"r": round_id}
    )
    pmin = await conn.scalar(text("SELECT min(id) FROM participants"))
    span = int((end - start).total_seconds() * 1_000_000)
    await conn.execute(
        _timed(
            _series(dialect, ":count")
            + "INSERT INTO cosignatures (comment_id, participant_id, respondent_kind, created_at) "
            f"SELECT :first + ((n % {width}) * 499) % :comments, :pmin + n / {width}, 'citizen', "
            f"{_sql(dialect)['at']} FROM seq",
            "start",
        ),
        {
            "count": count,
            "first": first,
            "comments": comments,
            "pmin": pmin,
            "start": start,
            "step": span // max(count, 1),
        },
    )


async def _questions_and_ratings(
    conn: AsyncConnection, agency_id: int, round_id: int, end: datetime
) -> None:
    """300 questions, some overdue, a third answered; 1,000 ratings of them."""
    pmin = int(await conn.scalar(text("SELECT min(id) FROM participants")) or 0)
    rows = [
        {"a": agency_id, "r": round_id, "p": pmin + i, "b": f"Câu hỏi số {i} về thủ tục?",
         "s": "answered" if i % 3 == 0 else "open",
         "due": end + timedelta(hours=24 * (i % 20) - 96), "at": end - timedelta(hours=i)}
        for i in range(300)
    ]  # fmt: skip
    await conn.execute(
        _timed(
            "INSERT INTO questions (agency_id, round_id, participant_id, channel, body, "
            "status, due_at, created_at) VALUES (:a, :r, :p, 'telegram', :b, :s, :due, :at)",
            "due",
            "at",
        ),
        rows,
    )
    await _ratings(conn, pmin, end)


async def _ratings(conn: AsyncConnection, pmin: int, end: datetime) -> None:
    first = int(await conn.scalar(text("SELECT min(id) FROM questions")) or 0)
    ratings = [
        {"p": pmin + i, "t": first + i % 300, "s": 1 + i % 5, "at": end - timedelta(hours=i % 400)}
        for i in range(1000)
    ]
    await conn.execute(
        _timed(
            "INSERT INTO ratings (participant_id, target, target_id, score, created_at) "
            "VALUES (:p, 'question', :t, :s, :at)",
            "at",
        ),
        ratings,
    )
