"""SQLite calls on the loop's thread (db/sqlite_inline.py): no thread per connection, a writer
waiting for the lock leaves the loop free, a reader takes no lock, the wait ends after the busy
timeout, and offloaded calls run in a worker thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import READ_ONLY, create_engine
from db.sqlite_inline import offloaded


async def _engine(tmp_path: Path, busy_timeout: float = 5.0) -> AsyncEngine:
    engine = create_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}", sqlite_busy_timeout=busy_timeout
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _thread_function(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread_ident", 0, threading.get_ident)

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE item (name TEXT NOT NULL)"))
    return engine


async def _hold_the_lock(engine: AsyncEngine, holding: asyncio.Event, done: asyncio.Event) -> None:
    """Takes the write lock (an insert not yet committed) until `done` is set."""
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO item VALUES ('first')"))
        holding.set()
        await done.wait()


async def test_statements_run_on_the_loops_thread_without_a_thread_of_their_own(
    tmp_path: Path,
) -> None:
    threads = threading.active_count()
    engine = await _engine(tmp_path)
    try:
        async with engine.connect() as connection:
            ident = await connection.scalar(text("SELECT thread_ident()"))
        assert ident == threading.get_ident()
        assert threading.active_count() == threads
    finally:
        await engine.dispose()


async def test_offloaded_calls_run_in_a_worker_thread(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        async with engine.connect() as connection:
            with offloaded():
                ident = await connection.scalar(text("SELECT thread_ident()"))
            again = await connection.scalar(text("SELECT thread_ident()"))
        assert ident != threading.get_ident()
        assert again == threading.get_ident()
    finally:
        await engine.dispose()


async def test_a_writer_waiting_for_the_lock_leaves_the_loop_to_the_holder(
    tmp_path: Path,
) -> None:
    # If the waiting writer slept in the loop's thread (SQLite's own busy handler), the holder
    # could never commit and the waiter would fail after its timeout.
    engine = await _engine(tmp_path)
    holding = asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with engine.begin() as connection:  # BEGIN IMMEDIATE: the write lock
            await connection.execute(text("INSERT INTO item VALUES ('first')"))
            holding.set()
            for _ in range(5):
                await asyncio.sleep(0.01)  # the waiter is retrying meanwhile
            order.append("holder commits")

    async def waiter() -> None:
        await holding.wait()
        async with engine.begin() as connection:
            order.append("waiter has the lock")
            await connection.execute(text("INSERT INTO item VALUES ('second')"))

    try:
        await asyncio.gather(holder(), waiter())
        async with engine.connect() as connection:
            names = list(await connection.scalars(text("SELECT name FROM item ORDER BY rowid")))
    finally:
        await engine.dispose()
    assert order == ["holder commits", "waiter has the lock"]
    assert names == ["first", "second"]


async def test_a_reader_begins_without_the_write_lock_and_a_writer_waits_the_busy_timeout(
    tmp_path: Path,
) -> None:
    # db/session.py: BEGIN for a unit of work that declared itself a reader, BEGIN IMMEDIATE
    # for any other, sent by the dialect's do_begin; the writer gives up after the timeout.
    engine = await _engine(tmp_path, busy_timeout=0.05)
    holding, done = asyncio.Event(), asyncio.Event()
    seen: list[str] = []

    async def others() -> None:
        await holding.wait()
        try:
            async with engine.connect() as connection:
                reader = await connection.execution_options(**{READ_ONLY: True})
                async with reader.begin():
                    count = await reader.scalar(text("SELECT count(*) FROM item"))
                    seen.append(f"reader saw {count}")  # the snapshot before the insert
            with pytest.raises(OperationalError, match="database is locked"):
                async with engine.begin():
                    pass
            seen.append("writer waited")
        finally:
            done.set()

    try:
        await asyncio.gather(_hold_the_lock(engine, holding, done), others())
    finally:
        await engine.dispose()
    assert seen == ["reader saw 0", "writer waited"]


async def test_the_urls_options_reach_the_connection(tmp_path: Path) -> None:
    # The dialect's reading of the URL is kept: a URI filename opened read-only refuses writes.
    made = await _engine(tmp_path)
    await made.dispose()
    engine = create_engine(f"sqlite+aiosqlite:///file:{tmp_path / 'inline.db'}?mode=ro&uri=true")
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM item")) == 0
        with pytest.raises(OperationalError, match="readonly"):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO item VALUES ('x')"))
    finally:
        await engine.dispose()
