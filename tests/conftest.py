"""Fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
a frozen clock, the services, and the real Application talking to a fake Bot API."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from db.migrate import upgrade
from db.models import Base
from db.seed import opd_rows
from tests.fakebot import FakeBotApi
from tests.harness import ADMIN, GROUP_ID, Harness, running

WIB = ZoneInfo("Asia/Jakarta")
# Monday 30 November 2026, 09:00 WIB: inside office hours.
START = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """A PostgreSQL database of this run's own, created, migrated once and dropped at the end.

    The machine may run two suites at once: each run creates (and drops) only a database named
    for itself, never the one TEST_DATABASE_URL points at.
    """
    base = make_url(PG_URL)
    name = f"{base.database or 'test'}_run_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = base.set(database=base.database or "postgres")

    async def admin(statement: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _pg_clean(url: str) -> None:
    engine = create_async_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        opd = Base.metadata.tables["opd"]
        await conn.execute(opd.insert(), opd_rows())
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, seeded, empty database for one test."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_migrated")
    asyncio.run(_pg_clean(url))
    return url


@pytest.fixture
def clock() -> FrozenClock:
    """A clock frozen on a Monday morning in office hours."""
    return FrozenClock(START)


@pytest.fixture
def settings(database_url: str, request: pytest.FixtureRequest) -> Settings:
    """Settings for tests: no .env, a fake token, one admin, the technician group."""
    return Settings(
        _env_file=None,
        bot_token="123456:TEST-TOKEN",
        database_url=database_url,
        admin_ids=[ADMIN.id],
        tech_group_id=GROUP_ID,
        # Production's default unless a test asks for reports to go straight to the group.
        auto_disposition=request.node.get_closest_marker("auto_disposition") is not None,
    )


@pytest.fixture
async def services(settings: Settings, clock: FrozenClock) -> AsyncIterator[Services]:
    """The services over the test database."""
    services = build_services(settings, clock=clock)
    yield services
    await services.close()


@pytest.fixture
def api() -> FakeBotApi:
    """The fake Bot API."""
    return FakeBotApi()


@pytest.fixture
async def harness(
    services: Services, api: FakeBotApi, clock: FrozenClock
) -> AsyncIterator[Harness]:
    """The real Application, initialised against the fake Bot API."""
    async with running(services, api, clock) as harness:
        yield harness
