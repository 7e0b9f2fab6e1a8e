"""Migration 0007: the key of the berita acara codes is generated once, at install."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from sqlalchemy import text

from db.migrate import alembic_config, upgrade_async
from db.session import create_engine


async def _keys(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = text("SELECT value FROM app_setting WHERE key = 'ba_secret'")
            rows = await conn.execute(query)
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


async def test_the_key_is_generated_once_and_survives_a_downgrade(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'key.db'}"
    await upgrade_async(url, "0006")
    assert await _keys(url) == []

    await upgrade_async(url)
    (key,) = await _keys(url)
    assert len(key) >= 40

    await asyncio.to_thread(command.downgrade, alembic_config(url), "0006")
    await upgrade_async(url)
    assert await _keys(url) == [key]  # printed codes stay checkable with the same key


async def test_every_database_gets_its_own_key(tmp_path: Path) -> None:
    first, second = (f"sqlite+aiosqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    await upgrade_async(first)
    await upgrade_async(second)

    assert await _keys(first) != await _keys(second)
