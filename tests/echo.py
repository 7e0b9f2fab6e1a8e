"""A bare PTB echo application on the fake Bot API: the yardstick of `make bench`.

It lives with the tests because only bot/ and tests/ may import telegram.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from db.models import ProcessedUpdate, User
from db.session import create_engine, create_session_factory
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


_USER = select(User.id).where(User.telegram_id == bindparam("telegram_id"))


def _with_database(
    sessions: async_sessionmaker[AsyncSession], write: bool
) -> Any:  # the handler PTB calls
    """An echo handler that first reads the sender's user row in a session of its own and,
    with `write`, records the update id in another (what any handler of the project pays at
    least: the floor of the stack, SQLAlchemy's async session on SQLite)."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        sender = update.effective_user
        async with sessions() as session:
            await session.scalar(_USER, {"telegram_id": sender.id if sender else 0})
        if write:
            async with sessions() as session:
                row = {"update_id": update.update_id, "processed_at": datetime.now(UTC)}
                await session.execute(insert(ProcessedUpdate), row)
                await session.commit()
        await echo(update, context)

    return handler


def echo_app(
    sessions: async_sessionmaker[AsyncSession] | None = None, *, write: bool = False
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Returns an echo application over a fresh fake Bot API (with `sessions`, one that reads
    a row per update and, with `write`, writes one: see `_with_database`)."""
    api = FakeBotApi()
    app = (
        Application.builder()
        .token(TOKEN)
        .request(api)
        .get_updates_request(api)
        .updater(None)
        .build()
    )
    handler = echo if sessions is None else _with_database(sessions, write)
    app.add_handler(MessageHandler(filters.ALL, handler))
    app.add_handler(CallbackQueryHandler(handler))
    return app


async def replay(
    updates: Sequence[Update], database_url: str | None = None, *, write: bool = False
) -> float:
    """Feeds updates (made for another bot) to a fresh echo app; returns the seconds taken.

    With `database_url` (a migrated database) the app reads, and with `write` also writes, a
    row per update through the project's engine (db/session.py)."""
    engine = create_engine(database_url) if database_url else None
    sessions = create_session_factory(engine) if engine is not None else None
    app = echo_app(sessions, write=write)
    await app.initialize()
    bound = [Update.de_json(u.to_dict(), app.bot) for u in updates]
    began = time.perf_counter()
    for update in bound:
        if update is not None:
            await app.process_update(update)
    elapsed = time.perf_counter() - began
    await app.shutdown()
    if engine is not None:
        await engine.dispose()
    return elapsed
