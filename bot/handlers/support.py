"""Small helpers shared by handlers."""

from __future__ import annotations

from telegram import CallbackQuery

from bot import callbacks
from bot.texts import common as tc


async def button_id(query: CallbackQuery, action: str) -> int | None:
    """Returns the numeric id a pressed button carries, or answers that the button is stale."""
    try:
        return callbacks.parse_int(query.data, action)
    except callbacks.BadCallback:
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None
