"""Storage of conversation states and drafts for the bot's persistence."""

from __future__ import annotations

from typing import Any

from bot.services.uow import UnitOfWork


async def load(uow: UnitOfWork, namespace: str) -> dict[str, dict[str, Any]]:
    """Returns every stored entry of a namespace."""
    return await uow.state.load(namespace)


async def store(uow: UnitOfWork, namespace: str, key: str, data: dict[str, Any] | None) -> None:
    """Writes (or with None deletes) one entry and commits."""
    await uow.state.store(namespace, key, data)
    await uow.commit()


async def store_many(uow: UnitOfWork, rows: dict[tuple[str, str], dict[str, Any] | None]) -> None:
    """Writes (or with None deletes) many entries, keyed by (namespace, key), and commits."""
    await uow.state.store_many(rows)
    await uow.commit()
