"""How fast the synthesis report is built for a large round, and how much memory it takes.

    .venv/bin/python bench/report_synthesis.py --comments 100000 [--database URL]

Seeds one round (a third of the comments are copies of a few petitions with
small changes, the rest distinct), then times the near-duplicate grouping and
each file format, and prints the figures. DOCX is timed on its own smaller
round (--docx-comments), since Word documents are built in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from consultations import agencies, reports, rounds, sections
from consultations.text import fingerprint, normalize_text
from consultations.text.minhash import lsh_bands
from storage import migrate
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import Comment, CommentBand
from storage.uow import UnitOfWorkFactory

DRAFT = "\n\n".join(f"Điều {n}. Quy định số {n}\nNội dung điều {n}." for n in range(1, 21))
WORDS = [
    "đề",
    "nghị",
    "quy",
    "định",
    "thời",
    "hạn",
    "doanh",
    "nghiệp",
    "hộ",
    "kinh",
    "doanh",
    "cơ",
    "quan",
    "thủ",
    "tục",
    "hồ",
    "sơ",
    "phí",
    "lệ",
    "phí",
    "cấp",
    "phép",
    "kiểm",
    "tra",
    "thanh",
    "tra",
    "xử",
    "phạt",
    "vi",
    "phạm",
    "hành",
    "chính",
    "giấy",
    "phép",
    "đăng",
    "ký",
    "thuế",
    "đất",
    "đai",
    "xây",
    "dựng",
    "môi",
    "trường",
    "lao",
    "động",
    "bảo",
    "hiểm",
    "xã",
    "hội",
    "người",
    "dân",
    "chính",
    "quyền",
    "địa",
    "phương",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thị",
    "trấn",
    "sửa",
    "đổi",
    "bổ",
    "sung",
    "bãi",
    "bỏ",
    "làm",
    "rõ",
    "khái",
    "niệm",
    "điều",
    "kiện",
    "tiêu",
    "chuẩn",
]
PETITIONS = [" ".join(random.Random(seed).choices(WORDS, k=40)) for seed in range(5)]


def _text(rng: random.Random, n: int) -> str:
    if n % 3 == 0:  # a petition copy: a greeting, maybe a signature
        base = PETITIONS[rng.randrange(len(PETITIONS))]
        return f"Kính gửi Sở, {base}. Người gửi số {n}."
    return " ".join(rng.choices(WORDS, k=rng.randint(15, 40)))


async def _seed(factory: UnitOfWorkFactory, count: int) -> int:
    async with factory() as uow:
        agency = await agencies.add_agency(
            uow, f"BENCH-{count}-{time.time_ns() % 10**9}", "Sở Thử tải"
        )
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Dự thảo thử tải", document_type="legal"
        )
        await sections.import_draft(uow, made.id, DRAFT, actor="bench")
        await rounds.open_now(uow, made.id, actor="bench")
        await uow.commit()
        articles = [a.id for a in await sections.list_articles(uow, made.id)]
    rng, start = random.Random(1), datetime(2026, 11, 27, tzinfo=UTC)
    for first in range(0, count, 5000):
        rows, bands = [], []
        for n in range(first, min(count, first + 5000)):
            body = normalize_text(_text(rng, n))
            rows.append(_row(made.id, n, body, articles, start))
            bands.append(lsh_bands(body))
        async with factory() as uow:
            ids = (await uow.session.execute(insert(Comment).returning(Comment.id), rows)).scalars()
            pairs = [
                {"comment_id": cid, "band": band, "round_id": made.id}
                for cid, keys in zip(ids.all(), bands, strict=True)
                for band in keys
            ]
            await uow.session.execute(insert(CommentBand), pairs)
            await uow.commit()
    return made.id


def _row(round_id: int, n: int, body: str, articles: list[int], start: datetime) -> dict[str, Any]:
    petition = n % 3 == 0
    return {
        "round_id": round_id,
        "section_id": articles[0] if petition else articles[n % 20],
        "participant_id": None,
        "channel": "webchat",
        "respondent_kind": "citizen",
        "organisation": None,
        "stance": "suggest" if petition else "other",
        "body": body,
        "attachments": [],
        "moderation": "visible",
        "fingerprint": fingerprint(body),
        "cosign_count": 0,
        "outcome": "explained" if petition else None,
        "outcome_note": "Đã giải trình." if petition else None,
        "created_at": start + timedelta(seconds=n),
    }


async def _time(label: str, work: Any, comments: int) -> None:
    began = time.perf_counter()
    rows, size = await work()
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<10} {comments:>9,} comments -> {rows:>8,} rows  {took:7.2f} s  "
        f"{comments / took:>9,.0f} comments/s  {size / 1e6:7.1f} MB  peak RSS {peak:6.0f} MB"
    )


async def _measure(factory: UnitOfWorkFactory, round_id: int, count: int, fmts: list[str]) -> None:
    async def grouping() -> tuple[int, int]:
        async with factory() as uow:
            found = await reports.group_near_duplicates(uow, round_id)
        return count - found.folded_count, 0

    await _time("grouping", grouping, count)
    for fmt in fmts:

        async def write(fmt: str = fmt) -> tuple[int, int]:
            with tempfile.TemporaryFile() as out:  # a real file: memory must not grow with it
                async with factory() as uow:
                    written = await reports.write_report(uow, round_id, fmt, out)
                return written.rows, out.tell()

        await _time(fmt, write, count)


async def run(url: str, args: argparse.Namespace) -> None:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    factory = UnitOfWorkFactory(session_factory(engine), FixedClock(datetime.now(UTC)))
    try:
        began = time.perf_counter()
        big = await _seed(factory, args.comments)
        small = await _seed(factory, args.docx_comments)
        print(f"backend {engine.dialect.name}; seeded in {time.perf_counter() - began:.1f} s")
        await _measure(factory, big, args.comments, ["csv", "json", "xlsx"])
        await _measure(factory, small, args.docx_comments, ["docx"])
    finally:
        await engine.dispose()


def main(args: argparse.Namespace) -> None:
    if args.database:
        asyncio.run(run(args.database, args))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite+aiosqlite:///{folder}/bench.db", args))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--docx-comments", type=int, default=5_000)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    main(parser.parse_args())
