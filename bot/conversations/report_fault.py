"""Placeholder until the conversation lands."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, MessageHandler, filters

from bot.config import Settings


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the conversation handler."""
    return MessageHandler(
        filters.UpdateType.EDITED_MESSAGE & filters.Regex("^$never"), lambda *a: None
    )  # type: ignore[arg-type]
