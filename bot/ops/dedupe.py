"""Exactly-once updates: an update already recorded in `processed_update` is skipped.

The record is written by the first commit of a unit of work while the update is handled (see
`CURRENT_UPDATE` in bot/services/uow.py), in the same transaction as the update's effects. The
persistence (conversation states, drafts) is written right after each update, still under the
update's mark: a wizard step that commits nothing else is recorded with its new state. An update
that changes nothing at all is recorded on its own afterwards.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from telegram import Update
from telegram.ext import Application

from bot.context import SERVICES_KEY, BotContext
from bot.services.container import Services
from bot.services.uow import CURRENT_UPDATE, UpdateMark
from db.models import ProcessedUpdate

log = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for 24 hours; a week of ids is plenty.
KEEP = timedelta(days=7)

# The update types the handlers use (tests/bot/test_ops_webhook.py derives them from the
# handlers): polling and setWebhook ask Telegram for exactly these.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


class DedupingApplication(Application[Any, Any, Any, Any, Any, Any]):
    """The PTB Application that handles every update id at most once and notes when the last
    update arrived (for /healthz)."""

    last_update_at: float | None = None
    # The highest update id this process has handled or found recorded. Telegram numbers updates
    # in increasing order, so an id above it is new and needs no look-up; a redelivered one is
    # at or below it and is looked up. (The primary key of the record, written with the update's
    # effects, stays the guarantee should another process have recorded a higher id meanwhile.)
    highest_seen: int | None = None

    async def process_update(self, update: object) -> None:
        """Skips an update already processed; otherwise processes it with its id marked."""
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        self.last_update_at = time.monotonic()
        services = self.bot_data.get(SERVICES_KEY)
        if not isinstance(services, Services):
            await super().process_update(update)
            return
        if self.highest_seen is None:
            self.highest_seen = await _highest_recorded(services)
        fresh = self.highest_seen is not None and update.update_id > self.highest_seen
        if not fresh and await _already_processed(services, update.update_id):
            log.info("update %s was processed before; skipped", update.update_id)
            return
        if self.highest_seen is None or update.update_id > self.highest_seen:
            self.highest_seen = update.update_id
        mark = UpdateMark(update.update_id)
        token = CURRENT_UPDATE.set(mark)
        try:
            await super().process_update(update)
            # Now, not within the next five seconds: a step is not lost to a crash after its
            # update was recorded.
            try:
                await self.update_persistence()
            except Exception:  # the periodic flush tries again
                log.exception("persistence not written after update %s", update.update_id)
        finally:
            CURRENT_UPDATE.reset(token)
        if not mark.recorded:
            await _record(services, mark)


async def _highest_recorded(services: Services) -> int | None:
    """Returns the highest recorded update id, or None (nothing recorded, or no database)."""
    try:
        async with services.uow() as uow:
            return await uow.session.scalar(select(func.max(ProcessedUpdate.update_id)))
    except (SQLAlchemyError, OSError):
        log.warning("cannot read the highest processed update")
        return None


async def _already_processed(services: Services, update_id: int) -> bool:
    try:
        async with services.uow() as uow:
            found = await uow.session.get(ProcessedUpdate, update_id)
    except (SQLAlchemyError, OSError):
        # The handlers meet the same failure and tell the user to try again; no reason to drop
        # the update here.
        log.warning("cannot check update %s against processed updates", update_id)
        return False
    return found is not None


async def _record(services: Services, mark: UpdateMark) -> None:
    try:
        # One INSERT on a connection of its own: no session, no flush (an update that wrote
        # nothing, /status say, pays this every time).
        async with services.engine.begin() as connection:
            await connection.execute(
                insert(ProcessedUpdate),
                {"update_id": mark.update_id, "processed_at": services.now()},
            )
    except IntegrityError:
        pass  # another delivery of the same update got there first
    except (SQLAlchemyError, OSError):
        log.warning("cannot record update %s as processed", mark.update_id)
    mark.recorded = True


async def prune(context: BotContext) -> None:
    """Deletes processed-update records older than Telegram could redeliver."""
    services = context.services
    async with services.uow() as uow:
        cutoff = services.now() - KEEP
        await uow.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
        )
        await uow.session.commit()


async def processed_ids(services: Services) -> list[int]:
    """Returns the recorded update ids, oldest first (tests and diagnostics)."""
    async with services.uow() as uow:
        rows = await uow.session.scalars(
            select(ProcessedUpdate.update_id).order_by(ProcessedUpdate.update_id)
        )
        return list(rows)
