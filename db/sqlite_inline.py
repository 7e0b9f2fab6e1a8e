"""aiosqlite connections whose calls run on the event loop's own thread.

aiosqlite runs every call of a connection (cursor, execute, fetch, close, commit) in a thread of
its own and hands the result back through the event loop: four to five thread hops per
statement, each a wake-up of that thread and one of the loop (measured: about half of a
read-only update's time went to them, `bench/throughput.py`). SQLite in WAL mode with
``synchronous=NORMAL`` answers the small statements of an update in microseconds and commits
without an fsync, so the bot runs them where it stands instead.

Two things the thread gave are kept:

- **Waiting for the write lock does not block the loop.** SQLite's own busy handler would sleep
  in the loop's thread while the holder of the lock (another task of the same loop) could not
  run: the connection is opened with ``busy_timeout=0`` and a call refused with SQLITE_BUSY is
  retried after an ``asyncio.sleep`` (1 ms, doubling up to 50 ms) until ``busy_timeout`` has
  passed, as SQLite's handler would.
- **Long reads can still leave the loop.** Inside :func:`offloaded` (the quarterly report's
  reads, the SLA sweep's batch) the calls go to a worker thread, one at a time, as aiosqlite
  would send them.

The connection is an ``aiosqlite.Connection`` (SQLAlchemy's aiosqlite dialect drives it as it
drives any other), so ``sqlite+aiosqlite://`` URLs and everything built on them are unchanged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiosqlite

# SQLite's primary result code and the extended one a reader can get while a WAL is recovered.
_BUSY_CODES = frozenset({5, 261})  # SQLITE_BUSY, SQLITE_BUSY_RECOVERY
_FIRST_WAIT = 0.001
_LONGEST_WAIT = 0.05

_offloaded: ContextVar[bool] = ContextVar("sqlite_offloaded", default=False)


@contextmanager
def offloaded() -> Iterator[None]:
    """Runs the SQLite calls made inside (by this task) in a worker thread."""
    token = _offloaded.set(True)
    try:
        yield
    finally:
        _offloaded.reset(token)


class _RunNow:
    """Stands in for aiosqlite's queue to its thread: runs what it is given at once.

    SQLAlchemy's adapter puts some calls on that queue itself (setting ``isolation_level``),
    awaiting the future it passes; here the future is done before it is awaited.
    """

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # handed to the awaiting caller, as the thread would
            if future is not None and not future.done():
                future.set_exception(error)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its thread (see the module's docstring)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], busy_timeout: float) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]
        self._busy_timeout = busy_timeout

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # no thread to start

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        offload = _offloaded.get()
        wait, waited = _FIRST_WAIT, 0.0
        while True:
            try:
                if offload:
                    return await asyncio.to_thread(fn, *args, **kwargs)
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode not in _BUSY_CODES or waited >= self._busy_timeout:
                    raise
            await asyncio.sleep(wait)  # the holder of the lock runs meanwhile
            waited += wait
            wait = min(wait * 2, _LONGEST_WAIT)


def inline_creator(
    args: Sequence[Any], options: Mapping[str, Any], busy_timeout: float
) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``: connections of this module, opened
    with the arguments SQLAlchemy's dialect derives from the URL (its path made absolute, URI
    filenames, ``?mode=ro`` and the like)."""

    def connector() -> sqlite3.Connection:
        # check_same_thread=False: offloaded calls run in worker threads (one at a time).
        connection: sqlite3.Connection = sqlite3.connect(
            *args, **{**options, "check_same_thread": False}
        )
        connection.execute("PRAGMA busy_timeout=0")
        return connection

    async def create() -> aiosqlite.Connection:
        return await InlineConnection(connector, busy_timeout)

    return create
