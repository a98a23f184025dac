"""Digest benchmark: one agency's digest for a round of a million comments.

    python -m bench.bench_digest --comments 1000000 --db sqlite|postgres [--url URL] [--reuse]

The data set is generated inside the database (bench/digest_seed.py). The digest is
then built in a fresh child process, so its peak memory (ru_maxrss) is the digest's
and not the generator's: for the worst case, a first digest whose period holds all
the comments, and for a normal day (the last of the round's 60 days). Rendering
(text for the chats, HTML for e-mail) and the spreadsheet of the period's comments
(capped at 20,000 rows) are timed too. Prints a table and writes JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.digest_seed import seed
from storage import migrate
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

OUT = Path(__file__).parent / "out"
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/cb_digest"
SCHEMA = "bench_digest"  # keeps the tests' tables (schema public) out of the way
END = datetime(2026, 11, 27, 0, 30, tzinfo=UTC)
TARGET_SECONDS = 2.0
TARGET_MB = 300
RUNS = 3


def _engine(url: str) -> AsyncEngine:
    if url.startswith("postgresql"):
        return create_async_engine(
            url, connect_args={"server_settings": {"search_path": SCHEMA}}, pool_size=2
        )
    return create_engine(url)


async def prepare(url: str, comments: int) -> dict[str, float]:
    """A fresh database with the generated round; returns how long each step took."""
    if url.startswith("postgresql"):
        admin = create_async_engine(url)
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        await admin.dispose()
    engine = _engine(url)
    started = time.perf_counter()
    await migrate.upgrade(engine)
    migrated = time.perf_counter()
    async with engine.begin() as conn:
        await seed(conn, comments, END)
    seeded = time.perf_counter()
    # Fresh statistics, and on PostgreSQL a visibility map so index-only scans stay index-only
    # (autovacuum does both in production).
    if url.startswith("postgresql"):
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    else:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    await engine.dispose()
    return {"migrate_s": migrated - started, "generate_s": seeded - migrated}


async def measure(url: str) -> dict[str, Any]:
    """Build the digests (full history and last day) several times; render and export once."""
    from consultations import digests
    from consultations.digests import export
    from consultations.digests.content import Period
    from handlers import digest_render, digest_xlsx

    engine = _engine(url)
    uows = UnitOfWorkFactory(session_factory(engine), FixedClock(END))
    async with uows() as uow:
        agency_id = int(await uow.session.scalar(text("SELECT min(id) FROM agencies")) or 0)
    result: dict[str, Any] = {}
    for name, start in (("full", END - timedelta(days=61)), ("day", END - timedelta(days=1))):
        times, content = [], None
        for _ in range(RUNS):
            async with uows() as uow:
                began = time.perf_counter()
                content = await digests.build(uow, agency_id, "daily", Period(start, END))
                times.append(time.perf_counter() - began)
        assert content is not None
        result[name] = {
            "first_s": times[0],
            "median_s": statistics.median(times),
            "comments": sum(r.new_comments for r in content.rounds),
            "themes": [t.phrase for r in content.rounds for t in r.themes],
            "campaigns": [c.comments for r in content.rounds for c in r.campaigns],
        }
    assert content is not None  # the last period's digest is the one rendered and stored
    began = time.perf_counter()
    body = digest_render.render_text(content, "vi")
    html = digest_render.render_html(content, "vi")
    result["render_s"] = time.perf_counter() - began
    result["render_chars"] = {"text": len(body), "html": len(html)}
    async with uows() as uow:
        record = await digests.save(uow, content)
        assert record is not None
        began = time.perf_counter()
        rows = await export.period_comments(uow, record.id)
        data = digest_xlsx.xlsx_bytes(rows, "vi")
        result["xlsx_s"] = time.perf_counter() - began
        result["xlsx"] = {"rows": len(rows.rows), "bytes": len(data)}
    await engine.dispose()
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _table(report: dict[str, Any]) -> str:
    m = report["measured"]
    rows = [
        (
            "digest, whole history (first build)",
            f"{m['full']['first_s']:.2f} s",
            f"< {TARGET_SECONDS:.0f} s",
        ),
        (
            "digest, whole history (median)",
            f"{m['full']['median_s']:.2f} s",
            f"< {TARGET_SECONDS:.0f} s",
        ),
        ("  comments in that period", f"{m['full']['comments']:,}", ""),
        ("digest, last day (median)", f"{m['day']['median_s']:.2f} s", f"< {TARGET_SECONDS:.0f} s"),
        ("  comments in that period", f"{m['day']['comments']:,}", ""),
        ("peak memory of the digest process", f"{m['peak_mb']:.0f} MB", f"< {TARGET_MB} MB"),
        ("render text + HTML", f"{m['render_s'] * 1000:.0f} ms", ""),
        (
            f"spreadsheet of {m['xlsx']['rows']:,} rows",
            f"{m['xlsx_s']:.2f} s",
            f"{m['xlsx']['bytes'] / 1e6:.1f} MB",
        ),
        ("generating the data set", f"{report['prepare'].get('generate_s', 0):.0f} s", ""),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"digest benchmark: {report['db']}, {report['comments']:,} comments"]
    lines += [f"  {name:<{width}}  {figure:>10}  {target}" for name, figure, target in rows]
    lines.append(f"  themes (last day): {', '.join(m['day']['themes']) or '-'}")
    lines.append(f"  campaigns (whole history): {m['full']['campaigns']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--url",
        help=f"database URL (default: a temporary SQLite file, or {POSTGRES} in schema {SCHEMA})",
    )
    parser.add_argument("--reuse", action="store_true", help="measure the data set already there")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.url))))
        return 0
    url = args.url or (
        POSTGRES
        if args.db == "postgres"
        else f"sqlite+aiosqlite:///{Path(tempfile.gettempdir()) / 'consultbot-digest-bench.db'}"
    )
    if url.startswith("sqlite") and not args.reuse:
        Path(url.split("///", 1)[1]).unlink(missing_ok=True)
    prepared = {} if args.reuse else asyncio.run(prepare(url, args.comments))
    child = subprocess.run(
        [sys.executable, "-m", "bench.bench_digest", "--measure", "--url", url],
        capture_output=True,
        text=True,
        check=True,
    )
    report = {
        "db": args.db,
        "comments": args.comments,
        "prepare": prepared,
        "measured": json.loads(child.stdout.strip().splitlines()[-1]),
        "targets": {"seconds": TARGET_SECONDS, "peak_mb": TARGET_MB},
    }
    print(_table(report))
    OUT.mkdir(exist_ok=True)
    path = OUT / f"digest-{args.db}-{args.comments}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
