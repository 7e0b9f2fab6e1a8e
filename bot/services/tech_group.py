"""The technician group: the one chat where job cards are posted and claimed."""

from __future__ import annotations

from bot.config import Settings
from bot.services.context import Context
from bot.services.uow import UnitOfWork
from bot.services.users import require_admin

TECH_GROUP_KEY = "tech_group_id"
FORUM_KEY = "forum:"  # + chat id: "1" while the chat is a forum supergroup


async def tech_group_id(uow: UnitOfWork, settings: Settings) -> int | None:
    """Returns the technician group chat: the one an admin set in the bot, else the setting."""
    # One statement for the group and whether it is a forum (the job card asks both).
    await uow.settings.read_prefixes(TECH_GROUP_KEY, FORUM_KEY)
    stored = await uow.settings.get(TECH_GROUP_KEY)
    if stored is not None:
        return int(stored)
    return settings.tech_group_id


async def set_tech_group(uow: UnitOfWork, ctx: Context, chat_id: int) -> None:
    """Makes a group chat the technician group (admins only)."""
    await require_admin(uow, ctx)
    await uow.settings.set(TECH_GROUP_KEY, str(chat_id))
    await uow.commit()
