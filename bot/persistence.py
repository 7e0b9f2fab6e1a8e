"""PTB persistence in the database: conversation states and user drafts survive a restart."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.services import state
from bot.services.container import Services

USER = "user"

# The shapes BasePersistence documents for its hooks; PTB defines these aliases only in a private
# module (telegram.ext._utils.types), so they are spelled out here; mypy checks the overrides.
ConversationKey = tuple[int | str, ...]
ConversationDict = MutableMapping[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


Row = tuple[str, str]  # (namespace, key) of a bot_state row
_UNKNOWN = "\x00unknown"  # a row whose stored value is not known (a failed write)


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Keeps user_data (wizard drafts, JSON only) and conversation states in `bot_state`.

    PTB hands over every changed entry at once, one coroutine each (`update_persistence`).
    Here they meet in one batch that is written in one transaction (on SQLite, one write lock
    instead of a fight for it), and an entry equal to what was last written is left out.
    """

    def __init__(self, services: Services, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._services = services
        # What the table holds, as JSON text, per row this process loaded or wrote.
        self._written: dict[Row, str] = {}
        self._loaded: set[str] = set()
        self._pending: dict[Row, dict[str, Any] | None] = {}
        self._batch: asyncio.Task[None] | None = None

    async def _write(self, namespace: str, key: str, data: dict[str, Any] | None) -> None:
        """Joins the current batch of writes and returns when it is committed."""
        row = (namespace, key)
        encoded = None if data is None else json.dumps(data, sort_keys=True, default=str)
        known = self._written.get(row)
        if known == encoded or (known is None and encoded is None and namespace in self._loaded):
            self._pending.pop(row, None)
            return
        self._pending[row] = data
        if self._batch is None or self._batch.done():
            self._batch = asyncio.get_running_loop().create_task(self._commit_batch())
        await asyncio.shield(self._batch)

    async def _commit_batch(self) -> None:
        await asyncio.sleep(0)  # every write handed over in this round joins the batch
        batch, self._pending = self._pending, {}
        self._batch = None
        if not batch:
            return
        # Noted before the commit: a change handed over meanwhile compares with this batch.
        for row, data in batch.items():
            if data is None:
                self._written.pop(row, None)
            else:
                self._written[row] = json.dumps(data, sort_keys=True, default=str)
        try:
            async with self._services.uow() as uow:
                await state.store_many(uow, batch)
        except BaseException:
            for row in batch:
                self._written[row] = _UNKNOWN  # whatever comes next is written
            raise

    def _remember(self, namespace: str, rows: dict[str, dict[str, Any]]) -> None:
        self._loaded.add(namespace)
        for key, data in rows.items():
            self._written[(namespace, key)] = json.dumps(data, sort_keys=True, default=str)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Loads every user's draft data."""
        async with self._services.uow() as uow:
            rows = await state.load(uow, USER)
        self._remember(USER, rows)
        return {int(key): dict(value) for key, value in rows.items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Stores one user's draft data (an empty dict deletes it)."""
        await self._write(USER, str(user_id), dict(data) or None)

    async def drop_user_data(self, user_id: int) -> None:
        """Deletes one user's draft data."""
        await self._write(USER, str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: the bot is the only writer."""

    async def get_conversations(self, name: str) -> ConversationDict:
        """Loads the states of one conversation handler."""
        async with self._services.uow() as uow:
            rows = await state.load(uow, f"conv:{name}")
        self._remember(f"conv:{name}", rows)
        return {tuple(json.loads(key)): value["state"] for key, value in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Stores (or with None deletes) one conversation's state."""
        data = None if new_state is None else {"state": new_state}
        await self._write(f"conv:{name}", json.dumps(list(key)), data)

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Chat data is not persisted."""
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not persisted."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not persisted."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not persisted."""

    async def get_bot_data(self) -> dict[Any, Any]:
        """Bot data is not persisted (services live there)."""
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not persisted."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not persisted."""

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used."""
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        """Arbitrary callback data is not used."""

    async def flush(self) -> None:
        """Waits for the batch being written (every change is handed over before)."""
        if self._batch is not None:
            await asyncio.shield(self._batch)
