"""Outbox bookkeeping: what is due, what was delivered, what is retried or given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.services.domain import Role
from bot.services.notices import Notice, NoticeKind
from bot.services.uow import UnitOfWork

JOB_CARD = "job_card"
FAILURE_NOTICE = "delivery_failed"
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Pending:
    """A queued Bot API call ready to be attempted."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    purpose: str | None
    ticket_id: int | None
    attempts: int


async def due(uow: UnitOfWork, now: datetime, limit: int = 50) -> list[Pending]:
    """Returns queued calls whose time has come, resolving job-card edits to their message."""
    rows = await uow.outbox.due(now, limit)
    result: list[Pending] = []
    for row in rows:
        method, payload = row.method, dict(row.payload)
        if method == "editMessageText" and row.purpose == JOB_CARD and row.ticket_id:
            card = await uow.ticket_messages.get(row.ticket_id, row.chat_id, JOB_CARD)
            if card is None:
                # The card was never posted (or was lost): post a fresh one instead.
                method = "sendMessage"
            else:
                payload["message_id"] = card.message_id
        result.append(
            Pending(row.id, row.chat_id, method, payload, row.purpose, row.ticket_id, row.attempts)
        )
    return result


async def mark_sent(uow: UnitOfWork, item: Pending, now: datetime, message_id: int | None) -> None:
    """Records a delivery (and remembers where a job card was posted)."""
    row = await uow.outbox.get(item.id)
    if row is None:
        return
    row.status = "sent"
    row.sent_at = now
    row.attempts = item.attempts + 1
    if item.purpose == JOB_CARD and item.method == "sendMessage" and item.ticket_id and message_id:
        await uow.ticket_messages.save(item.ticket_id, item.chat_id, JOB_CARD, message_id)
    await uow.commit()


def backoff(attempts: int) -> timedelta:
    """Returns how long to wait after a number of failed attempts (exponential, capped)."""
    return min(timedelta(seconds=5 * 2 ** min(attempts, 12)), MAX_BACKOFF)


async def mark_retry(
    uow: UnitOfWork,
    item: Pending,
    now: datetime,
    error: str,
    delay: timedelta | None = None,
    *,
    count_attempt: bool = True,
) -> None:
    """Leaves a call queued for a later attempt."""
    row = await uow.outbox.get(item.id)
    if row is None:
        return
    if count_attempt:
        row.attempts = item.attempts + 1
    row.last_error = error[:300]
    row.next_attempt_at = now + (delay if delay is not None else backoff(row.attempts))
    await uow.commit()


async def mark_failed(
    uow: UnitOfWork, item: Pending, now: datetime, reason: str, settings: Settings
) -> None:
    """Gives a call up with its reason and tells the admins (unless that is what failed)."""
    row = await uow.outbox.get(item.id)
    if row is None:
        return
    row.status = "failed"
    row.attempts = item.attempts + 1
    row.last_error = reason[:300]
    row.sent_at = None
    if item.purpose != FAILURE_NOTICE:
        admins = {u.telegram_id for u in await uow.users.with_role(Role.ADMIN.value)}
        admins.update(settings.admin_ids)
        for admin in sorted(admins - {item.chat_id}):
            uow.notify(
                Notice(
                    NoticeKind.DELIVERY_FAILED,
                    admin,
                    extra={"chat_id": item.chat_id, "reason": reason[:200]},
                )
            )
    await uow.commit()


async def pending_count(uow: UnitOfWork) -> int:
    """Returns how many calls wait for delivery."""
    return await uow.outbox.pending_count()
