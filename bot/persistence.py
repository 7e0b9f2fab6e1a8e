"""PTB persistence in the database: conversation states and user drafts survive a restart."""

from __future__ import annotations

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


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Keeps user_data (wizard drafts, JSON only) and conversation states in `bot_state`."""

    def __init__(self, services: Services, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._services = services

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Loads every user's draft data."""
        async with self._services.uow() as uow:
            rows = await state.load(uow, USER)
        return {int(key): dict(value) for key, value in rows.items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Stores one user's draft data (an empty dict deletes it)."""
        async with self._services.uow() as uow:
            await state.store(uow, USER, str(user_id), dict(data) or None)

    async def drop_user_data(self, user_id: int) -> None:
        """Deletes one user's draft data."""
        async with self._services.uow() as uow:
            await state.store(uow, USER, str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: the bot is the only writer."""

    async def get_conversations(self, name: str) -> ConversationDict:
        """Loads the states of one conversation handler."""
        async with self._services.uow() as uow:
            rows = await state.load(uow, f"conv:{name}")
        return {tuple(json.loads(key)): value["state"] for key, value in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Stores (or with None deletes) one conversation's state."""
        data = None if new_state is None else {"state": new_state}
        async with self._services.uow() as uow:
            await state.store(uow, f"conv:{name}", json.dumps(list(key)), data)

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
        """Everything is written as it changes."""
