"""`consultbot report ROUND` (synthesis report or open data) and `consultbot outcomes publish`."""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.cli import Command, _with_uow
from bot.settings import Settings
from consultations import reports
from consultations.errors import InvalidInput
from handlers.outcome_notes import publish_outcomes
from storage.uow import UnitOfWork

# --format with --open-data -> the open data file; the first is the default.
_OPEN_DATA_KIND = {"csv": "comments.csv", "json": "json", "articles-csv": "articles.csv"}


def register(subparsers: Any) -> dict[tuple[str, ...], Command]:
    report = subparsers.add_parser(
        "report",
        help="write a round's synthesis report (tổng hợp, tiếp thu, giải trình) or open data",
    )
    report.add_argument("round_id", type=int, metavar="ROUND", help="round id")
    report.add_argument(
        "--format",
        choices=[*reports.FORMATS, "articles-csv"],
        help="report: docx (default), xlsx, csv or json; open data: csv (default), json or "
        "articles-csv",
    )
    report.add_argument("--output", type=Path, help="file to write (default: a name in .)")
    report.add_argument(
        "--open-data",
        action="store_true",
        help="write the open data of a closed round instead (csv, json or articles-csv)",
    )
    outcomes = subparsers.add_parser("outcomes", help="what became of comments").add_subparsers(
        dest="outcomes", required=True
    )
    publish = outcomes.add_parser(
        "publish",
        help="mark a closed round reported and queue each commenter a note about their comments",
    )
    publish.add_argument("round_id", type=int, metavar="ROUND", help="round id")
    publish.add_argument(
        "--missing",
        type=int,
        default=0,
        metavar="N",
        help="publish although exactly N comments have no outcome yet",
    )
    return {("report",): _report, ("outcomes", "publish"): _publish}


def _place(settings: Settings) -> str:
    """'Minh Sơn' from 'tỉnh Minh Sơn': the place on a document's date line."""
    name = settings.province_name.strip()
    for prefix in ("tỉnh ", "thành phố "):
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name


def _default_name(args: argparse.Namespace) -> Path:
    if not args.open_data:
        return Path(reports.report_filename(args.round_id, args.format))
    base = f"du-lieu-mo-round-{args.round_id}"
    kind = _OPEN_DATA_KIND[args.format]
    return Path(f"{base}.json" if kind == "json" else f"{base}-{kind}")


def _check_format(args: argparse.Namespace) -> None:
    """--format articles-csv is open data only; docx and xlsx are the report only."""
    allowed = tuple(_OPEN_DATA_KIND) if args.open_data else reports.FORMATS
    args.format = args.format or allowed[0]
    if args.format not in allowed:
        raise InvalidInput("report.bad_format", formats=", ".join(allowed))


async def _write(args: argparse.Namespace, settings: Settings, uow: UnitOfWork, out: Any) -> str:
    if args.open_data:
        count = await reports.write_open_data(
            uow, args.round_id, _OPEN_DATA_KIND[args.format], out, tz_name=settings.tz_name
        )
        return f"{count} rows of open data"
    written = await reports.write_report(
        uow, args.round_id, args.format, out, tz_name=settings.tz_name, place=_place(settings)
    )
    header = written.header
    return (
        f"{written.rows} rows for {header.comments} comments "
        f"({header.near_duplicates} near-duplicates folded)"
    )


async def _report(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        _check_format(args)
        target: Path = args.output or _default_name(args)
        # Written beside the target and renamed at the end: a failed report leaves no half file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                summary = await _write(args, settings, uow, out)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return f"Wrote {target}: {summary}."

    return await _with_uow(settings, work)


async def _publish(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        result = await publish_outcomes(uow, args.round_id, "cli", missing_ok=args.missing)
        state = "published" if result.first_time else "was already published"
        return (
            f"Round {result.round_id} {state}: {result.queued} new notes queued for "
            f"{result.recipients} reachable people; the running service sends them."
        )

    return await _with_uow(settings, work)
