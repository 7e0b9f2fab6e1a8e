"""Outbox bookkeeping: what is due, what was delivered, what is retried or given up."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.services import sla, ticket_messages, tickets
from bot.services.context import Context
from bot.services.domain import OPEN_STATES
from bot.services.notices import ChatMoved, DeliveryFailed, JobCardUpdate, OutboxDraft
from bot.services.uow import UnitOfWork
from bot.services.users import admin_chats
from db.models import OutboxMessage

JOB_CARD = "job_card"
COMPLAINT_CARD = "complaint_card"
# Cards kept one per (ticket or complaint, chat, purpose) and edited in place.
CARD_PURPOSES = frozenset({JOB_CARD, COMPLAINT_CARD})
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
    complaint_id: int | None = None

    @property
    def is_card(self) -> bool:
        """Tells whether the call posts or edits the card of a ticket or a complaint."""
        return self.purpose in CARD_PURPOSES and (
            self.ticket_id is not None or self.complaint_id is not None
        )


async def due(uow: UnitOfWork, now: datetime, limit: int = 50) -> list[Pending]:
    """Returns queued calls whose time has come, in order (card edits not yet resolved)."""
    return [_pending(row) for row in await uow.outbox.due(now, limit)]


async def due_lanes(
    uow: UnitOfWork, now: datetime, per_chat: int = 5, limit: int = 500
) -> list[Pending]:
    """Returns the next due calls of every chat (a few each), in queue order; a chat held by
    Telegram's flood control is left out whole."""
    return [_pending(row) for row in await uow.outbox.due_lanes(now, per_chat, limit)]


def _pending(row: OutboxMessage) -> Pending:
    return Pending(
        row.id,
        row.chat_id,
        row.method,
        dict(row.payload),
        row.purpose,
        row.ticket_id,
        row.attempts,
        row.complaint_id,
    )


async def resolve(uow: UnitOfWork, item: Pending, now: datetime) -> Pending | None:
    """Resolves a card edit to the message it edits, just before the attempt.

    Resolving only now (not when the batch was read) lets a card posted earlier in the same
    pass be edited instead of posted twice. While the card's own post still waits for a retry,
    the edit is folded into that post (which then shows the latest state) and None is
    returned: one card, never a stale duplicate. A card that was never posted (or was lost)
    is posted afresh instead.
    """
    if item.method != "editMessageText" or not item.is_card or item.purpose is None:
        return item
    card = await uow.ticket_messages.get(
        item.chat_id, item.purpose, ticket_id=item.ticket_id, complaint_id=item.complaint_id
    )
    if card is not None:
        return replace(item, payload={**item.payload, "message_id": card.message_id})
    waiting = await uow.outbox.pending_card_post(
        item.chat_id,
        item.purpose,
        item.id,
        ticket_id=item.ticket_id,
        complaint_id=item.complaint_id,
    )
    if waiting is None:
        return replace(item, method="sendMessage")
    waiting.payload = {
        **waiting.payload,
        "text": item.payload.get("text", waiting.payload.get("text")),
        "reply_markup": item.payload.get("reply_markup", {"inline_keyboard": []}),
    }
    row = await uow.outbox.get(item.id)
    if row is not None:
        row.status = "merged"
        row.sent_at = now
        row.last_error = f"folded into the pending card post #{waiting.id}"
    await uow.commit()
    return None


async def forget_card(uow: UnitOfWork, item: Pending) -> None:
    """Forgets a card that can no longer be edited, so the next attempt posts a fresh one."""
    if item.is_card and item.purpose is not None:
        await uow.ticket_messages.forget(
            item.chat_id, item.purpose, ticket_id=item.ticket_id, complaint_id=item.complaint_id
        )


async def is_duplicate_card(
    uow: UnitOfWork,
    chat_id: int,
    message_id: int,
    purpose: str,
    *,
    ticket_id: int | None = None,
    complaint_id: int | None = None,
) -> bool:
    """Tells whether a message with a card's buttons is a copy: the chat has that card
    recorded under another message id."""
    card = await uow.ticket_messages.get(
        chat_id, purpose, ticket_id=ticket_id, complaint_id=complaint_id
    )
    return card is not None and card.message_id != message_id


async def mark_sent(uow: UnitOfWork, item: Pending, now: datetime, message_id: int | None) -> None:
    """Records a delivery (and remembers where a card was posted)."""
    if not await uow.outbox.mark_sent(item.id, now, item.attempts + 1):
        return
    if item.is_card and item.purpose and item.method == "sendMessage" and message_id:
        await uow.ticket_messages.save(
            item.chat_id,
            item.purpose,
            message_id,
            ticket_id=item.ticket_id,
            complaint_id=item.complaint_id,
        )
    # Topics, and the messages a reply to which writes to their ticket.
    await ticket_messages.remember(
        uow, item.method, item.chat_id, item.ticket_id, item.payload, message_id
    )
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


async def mark_failed(uow: UnitOfWork, ctx: Context, item: Pending, reason: str) -> None:
    """Gives a call up with its reason and tells the admins (unless that is what failed)."""
    row = await uow.outbox.get(item.id)
    if row is None:
        return
    row.status = "failed"
    row.attempts = item.attempts + 1
    row.last_error = reason[:300]
    row.sent_at = None
    if item.purpose != FAILURE_NOTICE:
        for admin in await admin_chats(uow, ctx.settings):
            if admin != item.chat_id:
                uow.notify(DeliveryFailed(admin, item.chat_id, reason[:200]))
    await uow.commit()


async def move_chat(uow: UnitOfWork, ctx: Context, old_chat_id: int, new_chat_id: int) -> int:
    """Follows a group that Telegram upgraded to a supergroup (a new chat id); returns how many
    pending calls were readdressed.

    The technician group's stored id becomes the new one, every pending call goes to the new
    id at once, and the cards still in use are posted there again: the old group accepts
    nothing any more, and the supergroup numbers its messages afresh, so the recorded cards
    can never be edited. Admins are told, since TECH_GROUP_ID in the configuration still names
    the old group.
    """
    tech_group = await tickets.tech_group_id(uow, ctx.settings) == old_chat_id
    if tech_group:
        # Not tickets.set_tech_group: that is an admin's act, this one is Telegram's.
        await uow.settings.set(tickets.TECH_GROUP_KEY, str(new_chat_id))
    moved = await uow.outbox.move_chat(old_chat_id, new_chat_id, ctx.now)
    reposted = 0
    for card in await uow.ticket_messages.in_chat(old_chat_id):
        owner = {"ticket_id": card.ticket_id, "complaint_id": card.complaint_id}
        if await uow.outbox.card_pending(new_chat_id, card.purpose, **owner):
            continue  # a queued post or edit of this card brings it to the new group anyway
        if await _repost(uow, card.purpose, old_chat_id, new_chat_id, ctx, **owner):
            reposted += 1
    await uow.ticket_messages.forget_chat(old_chat_id)
    for admin in await admin_chats(uow, ctx.settings):
        uow.notify(ChatMoved(admin, old_chat_id, new_chat_id, moved, reposted, tech_group))
    await uow.commit()
    return moved


async def _repost(
    uow: UnitOfWork,
    purpose: str,
    old_chat_id: int,
    new_chat_id: int,
    ctx: Context,
    *,
    ticket_id: int | None,
    complaint_id: int | None,
) -> bool:
    """Queues a card of the old group for the new one, if it is still in use."""
    if purpose == JOB_CARD and ticket_id is not None:
        # Rebuilt from the ticket: its current state is what the new group must see.
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or ticket.status not in OPEN_STATES:
            return False
        view = sla.annotate(tickets.ticket_view(ticket), ctx)
        uow.notify(JobCardUpdate(new_chat_id, view))  # no card there yet: posted afresh
        return True
    # Other cards (complaints) change only through the outbox: its last delivered post or edit
    # is what the card shows, as that group already saw it (a confidential complaint stays
    # so). A card without buttons has nothing left to do and stays in the history.
    shown = await uow.outbox.card_shown(
        old_chat_id, purpose, ticket_id=ticket_id, complaint_id=complaint_id
    )
    markup = (shown or {}).get("reply_markup") or {}
    if shown is None or not any(markup.get("inline_keyboard") or []):
        return False
    shown.pop("message_id", None)
    draft = OutboxDraft(new_chat_id, "sendMessage", shown, purpose, ticket_id, complaint_id)
    uow.queue(draft, ctx.now)
    return True


async def pending_count(uow: UnitOfWork) -> int:
    """Returns how many calls wait for delivery."""
    return await uow.outbox.pending_count()
