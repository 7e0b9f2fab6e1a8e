"""A bare PTB echo application on the fake Bot API: the yardstick of `make bench`.

It lives with the tests because only bot/ and tests/ may import telegram.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from tests.fakebot import FakeBotApi

TOKEN = "123456:ECHO-TOKEN"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a message with its text, a press with an answer and a message."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, "ok")
        return
    message = update.effective_message
    if message is not None:
        await message.reply_text(message.text or "ok")


def echo_app() -> Application[Any, Any, Any, Any, Any, Any]:
    """Returns an echo application over a fresh fake Bot API."""
    api = FakeBotApi()
    app = (
        Application.builder()
        .token(TOKEN)
        .request(api)
        .get_updates_request(api)
        .updater(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(echo))
    return app


async def replay(updates: Sequence[Update]) -> float:
    """Feeds updates (made for another bot) to a fresh echo app; returns the seconds taken."""
    app = echo_app()
    await app.initialize()
    bound = [Update.de_json(u.to_dict(), app.bot) for u in updates]
    began = time.perf_counter()
    for update in bound:
        if update is not None:
            await app.process_update(update)
    elapsed = time.perf_counter() - began
    await app.shutdown()
    return elapsed
