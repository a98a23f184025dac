"""Reading a large query row by row without loading it, and without paying per row for it.

An async result hands rows over through a greenlet switch each; taking them a
batch at a time (`partitions`) makes a million-row report several times faster.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVarTuple

from sqlalchemy import Row, Select

from storage.uow import UnitOfWork

BATCH = 1000
Columns = TypeVarTuple("Columns")


async def stream_rows(
    uow: UnitOfWork, query: Select[*Columns], batch: int = BATCH
) -> AsyncIterator[Row[*Columns]]:
    """The query's rows in order, fetched `batch` at a time through a server-side cursor."""
    result = await uow.session.stream(query.execution_options(yield_per=batch))
    try:
        async for chunk in result.partitions():
            for row in chunk:
                yield row
    finally:
        await result.close()
