"""What scheduled jobs have done already: one row per done thing, so a sweep can rerun freely."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from storage.models import JobMark
from storage.uow import UnitOfWork

_CHUNK = 500


async def done(uow: UnitOfWork, job: str, keys: Collection[str]) -> set[str]:
    """Which of `keys` the job has marked done."""
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        rows = await uow.session.scalars(
            select(JobMark.key).where(
                JobMark.job == job, JobMark.key.in_(wanted[start : start + _CHUNK])
            )
        )
        found.update(rows)
    return found


async def mark(uow: UnitOfWork, job: str, keys: Collection[str]) -> None:
    """Mark keys done, in the caller's transaction (with the messages they stand for)."""
    fresh = set(keys) - await done(uow, job, keys)
    uow.session.add_all(JobMark(job=job, key=key, done_at=uow.now()) for key in sorted(fresh))
    await uow.session.flush()
