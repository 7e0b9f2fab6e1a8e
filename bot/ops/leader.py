"""Who may run the bot: one leader per database.

PostgreSQL: a session advisory lock held on a connection of its own; standbys try again every
two seconds and take over when the leader's connection dies (PostgreSQL releases the lock with
its session). SQLite: an exclusive lock on a file next to the database; a second process refuses
to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# Any 64-bit number unlikely to be used by another application on the same database.
LOCK_KEY = 0x4261_7469_6B4E_6574  # "BatikNet"
RETRY_SECONDS = 2.0
CHECK_SECONDS = 2.0
CHECK_TIMEOUT = 4.0


class DatabaseInUse(Exception):
    """Another process already runs the bot on this SQLite database."""


class Leadership(Protocol):
    """Decides whether this process leads; `lost` is set when leadership ends unasked."""

    lost: asyncio.Event

    async def acquire(self, stop: asyncio.Event) -> bool:
        """Waits until this process leads (True) or `stop` is set (False)."""
        ...

    async def release(self) -> None:
        """Gives leadership up."""
        ...


def for_database(url: str) -> Leadership:
    """Returns the leadership strategy for a database URL (SQLite: may raise DatabaseInUse)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SqliteLock(parsed.database or "")
    return AdvisoryLock(url)


class SqliteLock:
    """An exclusive `flock` on `<database>.lock`: one process per SQLite file."""

    def __init__(self, database: str) -> None:
        self.lost = asyncio.Event()
        self._file: IO[str] | None = None
        if not database or database == ":memory:":
            return
        path = Path(f"{database}.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DatabaseInUse(str(path)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    async def acquire(self, stop: asyncio.Event) -> bool:
        """The lock was taken when this object was made."""
        return not stop.is_set()

    async def release(self) -> None:
        """Closes the lock file, which releases the lock."""
        if self._file is not None:
            self._file.close()
            self._file = None


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a dedicated connection kept open."""

    def __init__(self, url: str, retry_seconds: float = RETRY_SECONDS) -> None:
        self.lost = asyncio.Event()
        self._engine = create_async_engine(url, poolclass=NullPool)
        self._conn: AsyncConnection | None = None
        self._watch: asyncio.Task[None] | None = None
        self._retry = retry_seconds

    async def acquire(self, stop: asyncio.Event) -> bool:
        """Tries the lock every few seconds until it is ours or `stop` is set."""
        announced = False
        while not stop.is_set():
            try:
                if await self._try():
                    log.info("leader lock taken: this process is the leader")
                    self._watch = asyncio.create_task(self._watch_connection(), name="leader")
                    return True
                if not announced:
                    log.info("another process leads; standing by")
                    announced = True
            except Exception as error:  # database down: keep trying like a standby
                log.warning("leader lock not available (%s); retrying", type(error).__name__)
                await self._close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._retry)
        return False

    async def _try(self) -> bool:
        if self._conn is None:
            self._conn = await self._engine.connect()
        # Autocommit-like: the lock is the session's, not a transaction's.
        got = await self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
        await self._conn.commit()
        return bool(got.scalar())

    async def _watch_connection(self) -> None:
        """Checks the lock's connection; if it breaks, the lock may be someone else's now."""
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                assert self._conn is not None  # noqa: S101 - set by acquire
                await asyncio.wait_for(self._conn.execute(text("SELECT 1")), CHECK_TIMEOUT)
                await self._conn.commit()
            except Exception as error:
                log.error("leader lock connection lost (%s): stepping down", type(error).__name__)
                self.lost.set()
                return

    async def release(self) -> None:
        """Stops watching and closes the connection (PostgreSQL drops the lock with it)."""
        if self._watch is not None:
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
            self._watch = None
        await self._close()
        await self._engine.dispose()

    async def _close(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.close()
            except Exception:  # a broken connection may fail to close; it is gone anyway
                log.debug("closing the leader lock connection failed", exc_info=True)
            self._conn = None
