"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.sqlite_inline import inline_creator

# The key of the pool connection's info that carries the BEGIN statement to do_begin.
_BEGIN = "helpdesk_begin"

# How long a SQLite call waits for another connection's write lock (seconds).
SQLITE_BUSY_TIMEOUT = 10.0

# The execution option of a unit of work that only reads (see UnitOfWork.read_only).
READ_ONLY = "helpdesk_read_only"


def _prepare_sqlite(engine: AsyncEngine) -> None:
    """Configures SQLite for concurrent use: WAL, busy timeout, foreign keys, BEGIN IMMEDIATE."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write lock taken at BEGIN: read-then-write use cases cannot lose updates or deadlock
        # on lock upgrade; concurrent writers wait for busy_timeout instead. A unit of work that
        # declared itself a reader (READ_ONLY) takes no lock: in WAL mode it reads its snapshot
        # while a writer (the outbox, another update) holds the lock, instead of waiting for it.
        # The statement is chosen here and sent by the dialect's do_begin below.
        reader = conn.get_execution_options().get(READ_ONLY)
        conn.connection.info[_BEGIN] = "BEGIN" if reader else "BEGIN IMMEDIATE"

    def do_begin(dbapi_connection: Any) -> None:
        # Straight to the driver's cursor: BEGIN is sent by every unit of work, and a full
        # SQLAlchemy execute of it cost about a tenth of a read-only update. An error here is
        # wrapped by SQLAlchemy like any statement's.
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(dbapi_connection.info.pop(_BEGIN, "BEGIN IMMEDIATE"))
        finally:
            cursor.close()

    engine.sync_engine.dialect.do_begin = do_begin  # type: ignore[method-assign]


def create_engine(url: str, *, sqlite_busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> AsyncEngine:
    """Creates an async engine, preparing SQLite files and pragmas where needed.

    SQLite connections run their calls on the event loop's thread (db/sqlite_inline.py).
    """
    parsed = make_url(url)
    # SQLAlchemy puts a failed statement's parameters into the exception's text, and so into the
    # error log: a whole row of personal data (names, phones, complaint texts). Never.
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # The connection's arguments as the dialect reads them from the URL; a `?timeout=`
        # there is the wait for the write lock (seconds), as it would be for sqlite3.
        args, options = parsed.get_dialect()().create_connect_args(parsed)
        timeout = float(options.pop("timeout", sqlite_busy_timeout))
        engine = create_async_engine(
            url, hide_parameters=True, async_creator=inline_creator(args, options, timeout)
        )
        _prepare_sqlite(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Returns a session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
