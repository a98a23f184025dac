"""`consultbot digest ...` and `consultbot jobs ...`: run the scheduled work by hand.

Every command here queues messages and leaves sending them to the running service's
outbox dispatcher (`consultbot run`), so it is safe to run beside it, and safe to
run twice: digests are unique per period, reminders and announcements are marked.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from bot.app import build_context
from bot.cli import Command
from bot.context import AppContext
from bot.jobs import JOBS, JobDeps, send_now
from bot.jobs.digests import crontab_trigger
from bot.settings import Settings
from consultations import agencies
from consultations.digests import build, destinations, schedule, store
from consultations.errors import DomainError, NotFound
from handlers import digest_render
from handlers.texts import has, t


async def _with_context(settings: Settings, work: Callable[[AppContext], Awaitable[str]]) -> int:
    """Run one piece of work; domain refusals print a clear reason and exit with 2."""
    ctx = await build_context(settings)
    try:
        print(await work(ctx))
        return 0
    except DomainError as error:
        key = f"error.{error.key}"
        reason = t("en", key, **error.params) if has(key) else f"{error.key} {error.params or ''}"
        print(f"consultbot: {reason}", file=sys.stderr)
        return 2
    finally:
        await ctx.engine.dispose()


async def _agency_id(ctx: AppContext, code: str) -> int:
    async with ctx.uow() as uow:
        agency = await agencies.find_agency_by_code(uow, code)
    if agency is None:
        raise NotFound("agency.not_found")
    return agency.id


async def _send(args: argparse.Namespace, settings: Settings) -> int:
    async def work(ctx: AppContext) -> str:
        sent = await send_now(
            JobDeps.from_context(ctx), await _agency_id(ctx, args.agency), args.kind
        )
        if sent.digest_id is None:
            return str(sent)
        return f"{sent} queued; the running service sends them."

    return await _with_context(settings, work)


async def _show(args: argparse.Namespace, settings: Settings) -> int:
    """What the next digest would say now, without storing or sending anything."""

    async def work(ctx: AppContext) -> str:
        agency_id = await _agency_id(ctx, args.agency)
        async with ctx.uow() as uow:
            period = await store.next_period(uow, agency_id, args.kind, uow.now())
            if period is None:
                return "Nothing since the last digest."
            content = await build(uow, agency_id, args.kind, period)
        return digest_render.render_text(content, args.locale, settings.tz_name)

    return await _with_context(settings, work)


async def _schedule(args: argparse.Namespace, settings: Settings) -> int:
    async def work(ctx: AppContext) -> str:
        for expression in (args.daily, args.weekly):
            if expression:
                _check_cron(expression, settings)
        agency_id = await _agency_id(ctx, args.agency)
        async with ctx.uow() as uow:
            view = await schedule.set_schedule(
                uow,
                agency_id,
                daily_cron=args.daily,
                weekly_cron=args.weekly,
                no_weekly=args.no_weekly,
                send_empty=_yes_no(args.send_empty),
                actor="cli",
            )
            await uow.commit()
        weekly = view.weekly_cron or "off"
        return (
            f"{view.code}: daily {view.daily_cron!r}, weekly {weekly!r} ({settings.tz_name}); "
            f"empty periods: {'one line' if view.send_empty else 'nothing'}."
        )

    return await _with_context(settings, work)


def _check_cron(expression: str, settings: Settings) -> None:
    schedule.check_cron(expression)
    try:
        crontab_trigger(expression, settings.tz)
    except (ValueError, IndexError) as error:
        raise DomainError("digest.bad_cron", cron=expression) from error


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


async def _emails(args: argparse.Namespace, settings: Settings) -> int:
    async def work(ctx: AppContext) -> str:
        agency_id = await _agency_id(ctx, args.agency)
        async with ctx.uow() as uow:
            for address in args.add or []:
                await destinations.add_email(uow, agency_id, address, actor="cli")
            for address in args.remove or []:
                await destinations.remove_email(uow, agency_id, address, actor="cli")
            listed = await destinations.emails(uow, agency_id)
            await uow.commit()
        return "\n".join(listed) or "No e-mail addresses."

    return await _with_context(settings, work)


async def _jobs_list(_: argparse.Namespace, settings: Settings) -> int:
    async def work(ctx: AppContext) -> str:
        lines = [
            f"{spec.name:<22} {spec.trigger(settings.tz)!s:<40} {spec.description}"
            for spec in JOBS.values()
        ]
        async with ctx.uow() as uow:
            for sched in await schedule.schedules(uow):
                for kind in store.KINDS:
                    if sched.cron(kind):
                        name = f"digest {sched.code} {kind}"
                        lines.append(f"{name:<22} {sched.cron(kind)!s:<40} ({settings.tz_name})")
        return "\n".join(lines)

    return await _with_context(settings, work)


async def _jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(ctx: AppContext) -> str:
        spec = JOBS.get(args.name)
        if spec is None:
            raise DomainError("job.unknown", name=args.name)
        return await spec.run(JobDeps.from_context(ctx))

    return await _with_context(settings, work)


def register(subparsers: Any) -> dict[tuple[str, ...], Command]:
    """Add the `digest` and `jobs` command groups."""
    digest = subparsers.add_parser("digest", help="the agencies' digests").add_subparsers(
        dest="digest", required=True
    )
    send = digest.add_parser("send", help="send an agency's digest now (period: since the last)")
    show = digest.add_parser("show", help="print what the next digest would say, send nothing")
    for sub in (send, show):
        sub.add_argument("--agency", required=True, help="agency code, e.g. SO-TTTT")
        sub.add_argument("--kind", default="daily", choices=store.KINDS)
    show.add_argument("--locale", default="vi", choices=["vi", "en"])
    sched = digest.add_parser("schedule", help="when an agency gets its digests")
    sched.add_argument("--agency", required=True)
    sched.add_argument("--daily", help='crontab line, e.g. "30 7 * * *" (Asia/Ho_Chi_Minh)')
    weekly = sched.add_mutually_exclusive_group()
    weekly.add_argument("--weekly", help='crontab line, e.g. "0 8 * * mon"')
    weekly.add_argument("--no-weekly", action="store_true", help="no weekly digest")
    sched.add_argument("--send-empty", choices=["yes", "no"], help="one line for a quiet period")
    mails = digest.add_parser("emails", help="list, add or remove an agency's e-mail recipients")
    mails.add_argument("--agency", required=True)
    mails.add_argument("--add", action="append", metavar="ADDRESS")
    mails.add_argument("--remove", action="append", metavar="ADDRESS")
    jobs = subparsers.add_parser("jobs", help="the scheduled jobs").add_subparsers(
        dest="jobs", required=True
    )
    jobs.add_parser("list", help="every job and when it runs")
    run = jobs.add_parser("run", help="run one job now (a sweep: safe to repeat)")
    run.add_argument("name", help=", ".join(JOBS))
    return {
        ("digest", "send"): _send,
        ("digest", "show"): _show,
        ("digest", "schedule"): _schedule,
        ("digest", "emails"): _emails,
        ("jobs", "list"): _jobs_list,
        ("jobs", "run"): _jobs_run,
    }
