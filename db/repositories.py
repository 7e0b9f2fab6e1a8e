"""Repositories: the only place that builds queries. They never commit; the use case does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AppSetting,
    Attachment,
    BotState,
    Counter,
    Invite,
    Opd,
    OutboxMessage,
    Ticket,
    TicketEvent,
    TicketMessage,
    User,
    UserRole,
)


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        dialect = self.session.get_bind().dialect.name
        return pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)


class OpdRepo(_Repo):
    """OPDs."""

    async def get(self, opd_id: int) -> Opd | None:
        """Returns the OPD with this id."""
        return await self.session.get(Opd, opd_id)

    async def by_code(self, code: str) -> Opd | None:
        """Returns the OPD with this code."""
        return await self.session.scalar(select(Opd).where(Opd.code == code))

    async def by_name(self, name: str) -> Opd | None:
        """Returns the OPD with this name, case-insensitively."""
        return await self.session.scalar(select(Opd).where(func.lower(Opd.name) == name.lower()))

    async def list(self, *, active_only: bool = True) -> Sequence[Opd]:
        """Returns OPDs ordered by name."""
        stmt = select(Opd).order_by(Opd.name)
        if active_only:
            stmt = stmt.where(Opd.active.is_(True))
        return (await self.session.scalars(stmt)).all()

    async def count(self) -> int:
        """Returns how many OPDs exist."""
        return int(await self.session.scalar(select(func.count()).select_from(Opd)) or 0)

    def add(self, opd: Opd) -> None:
        """Adds a new OPD."""
        self.session.add(opd)


class UserRepo(_Repo):
    """Users and roles."""

    async def get(self, user_id: int) -> User | None:
        """Returns the user with this id."""
        return await self.session.get(User, user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """Returns the user with this Telegram id."""
        return await self.session.scalar(select(User).where(User.telegram_id == telegram_id))

    async def with_role(self, role: str) -> Sequence[User]:
        """Returns active users holding a role."""
        stmt = (
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.id)
        )
        return (await self.session.scalars(stmt)).unique().all()

    def add(self, user: User) -> None:
        """Adds a new user."""
        self.session.add(user)

    async def flush(self) -> None:
        """Flushes pending changes so generated ids are known."""
        await self.session.flush()


class InviteRepo(_Repo):
    """Registration invites."""

    def add(self, invite: Invite) -> None:
        """Adds a new invite."""
        self.session.add(invite)

    async def by_token(self, token: str) -> Invite | None:
        """Returns the invite with this token."""
        return await self.session.scalar(select(Invite).where(Invite.token == token))

    async def consume(self, invite_id: int, now: datetime) -> bool:
        """Counts one use of a valid invite; returns False when it is used up or expired."""
        stmt = (
            update(Invite)
            .where(
                Invite.id == invite_id,
                Invite.revoked.is_(False),
                Invite.expires_at > now,
                Invite.uses < Invite.max_uses,
            )
            .values(uses=Invite.uses + 1)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return result.rowcount == 1


class CounterRepo(_Repo):
    """Per-year sequences."""

    async def next_value(self, name: str, year: int) -> int:
        """Returns the next number of a yearly sequence, safe under concurrent writers."""
        bump = (
            update(Counter)
            .where(Counter.name == name, Counter.year == year)
            .values(value=Counter.value + 1)
            .returning(Counter.value)
        )
        value = (await self.session.execute(bump)).scalar_one_or_none()
        if value is None:
            seed = self._insert(Counter).values(name=name, year=year, value=0)
            await self.session.execute(seed.on_conflict_do_nothing())
            value = (await self.session.execute(bump)).scalar_one()
        return int(value)


class TicketRepo(_Repo):
    """Fault tickets and their attachments."""

    def add(self, ticket: Ticket) -> None:
        """Adds a new ticket."""
        self.session.add(ticket)

    def add_attachment(self, attachment: Attachment) -> None:
        """Adds an attachment."""
        self.session.add(attachment)

    async def flush(self) -> None:
        """Flushes pending changes so generated ids are known."""
        await self.session.flush()

    async def get(self, ticket_id: int) -> Ticket | None:
        """Returns the ticket with this id, freshly loaded."""
        return await self.session.get(Ticket, ticket_id, populate_existing=True)

    async def by_number(self, number: str) -> Ticket | None:
        """Returns the ticket with this number."""
        return await self.session.scalar(select(Ticket).where(Ticket.number == number))

    async def claim(
        self,
        ticket_id: int,
        user_id: int,
        from_states: Sequence[str],
        to_state: str,
        now: datetime,
    ) -> bool:
        """Assigns an unassigned ticket in one conditional UPDATE; False if someone was first."""
        stmt = (
            update(Ticket)
            .where(
                Ticket.id == ticket_id,
                Ticket.status.in_(from_states),
                Ticket.assignee_id.is_(None),
            )
            .values(status=to_state, assignee_id=user_id, claimed_at=now, updated_at=now)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return result.rowcount == 1

    async def transition(
        self, ticket_id: int, from_state: str, to_state: str, now: datetime, **values: Any
    ) -> bool:
        """Moves a ticket only if it is still in `from_state`; False if it moved on meanwhile."""
        stmt = (
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.status == from_state)
            .values(status=to_state, updated_at=now, **values)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return result.rowcount == 1

    async def for_opd(
        self, opd_id: int, open_states: Sequence[str], limit: int
    ) -> Sequence[Ticket]:
        """Returns an OPD's tickets, open ones first, newest first."""
        is_open = Ticket.status.in_(open_states)
        stmt = (
            select(Ticket)
            .where(Ticket.opd_id == opd_id)
            .order_by(is_open.desc(), Ticket.received_at.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def for_assignee(
        self, user_id: int, open_states: Sequence[str], limit: int
    ) -> Sequence[Ticket]:
        """Returns a technician's open jobs, oldest first."""
        stmt = (
            select(Ticket)
            .where(Ticket.assignee_id == user_id, Ticket.status.in_(open_states))
            .order_by(Ticket.received_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def unclaimed(self, states: Sequence[str], limit: int) -> Sequence[Ticket]:
        """Returns tickets waiting for a technician, oldest first."""
        stmt = (
            select(Ticket)
            .where(Ticket.status.in_(states), Ticket.assignee_id.is_(None))
            .order_by(Ticket.received_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()


class EventRepo(_Repo):
    """The append-only audit trail."""

    def add(self, event: TicketEvent) -> None:
        """Appends an event."""
        self.session.add(event)

    async def for_ticket(self, ticket_id: int) -> Sequence[TicketEvent]:
        """Returns a ticket's events in order."""
        stmt = (
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        )
        return (await self.session.scalars(stmt)).all()


class OutboxRepo(_Repo):
    """Queued messages to other chats."""

    def add(self, message: OutboxMessage) -> None:
        """Queues a message."""
        self.session.add(message)

    async def due(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        """Returns pending messages whose time has come, in the order they were queued."""
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def get(self, message_id: int) -> OutboxMessage | None:
        """Returns one queued message."""
        return await self.session.get(OutboxMessage, message_id)

    async def pending_count(self) -> int:
        """Returns how many messages wait for delivery."""
        stmt = select(func.count()).where(OutboxMessage.status == "pending")
        return int(await self.session.scalar(stmt) or 0)


class TicketMessageRepo(_Repo):
    """Messages posted about tickets (job cards)."""

    async def get(self, ticket_id: int, chat_id: int, purpose: str) -> TicketMessage | None:
        """Returns the recorded message of a ticket in a chat."""
        stmt = select(TicketMessage).where(
            TicketMessage.ticket_id == ticket_id,
            TicketMessage.chat_id == chat_id,
            TicketMessage.purpose == purpose,
        )
        return await self.session.scalar(stmt)

    async def save(self, ticket_id: int, chat_id: int, purpose: str, message_id: int) -> None:
        """Records (or replaces) the message of a ticket in a chat."""
        existing = await self.get(ticket_id, chat_id, purpose)
        if existing is None:
            self.session.add(
                TicketMessage(
                    ticket_id=ticket_id, chat_id=chat_id, purpose=purpose, message_id=message_id
                )
            )
        else:
            existing.message_id = message_id

    async def forget(self, ticket_id: int, chat_id: int, purpose: str) -> None:
        """Drops the record of a message that no longer exists."""
        await self.session.execute(
            delete(TicketMessage).where(
                TicketMessage.ticket_id == ticket_id,
                TicketMessage.chat_id == chat_id,
                TicketMessage.purpose == purpose,
            )
        )


class SettingRepo(_Repo):
    """Run-time settings."""

    async def get(self, key: str) -> str | None:
        """Returns a run-time setting."""
        row = await self.session.get(AppSetting, key)
        return row.value if row else None

    async def set(self, key: str, value: str) -> None:
        """Stores a run-time setting."""
        row = await self.session.get(AppSetting, key)
        if row is None:
            self.session.add(AppSetting(key=key, value=value))
        else:
            row.value = value


class StateRepo(_Repo):
    """Persisted bot state (conversations and drafts)."""

    async def load(self, namespace: str) -> dict[str, dict[str, Any]]:
        """Returns every entry of a namespace."""
        rows = await self.session.scalars(select(BotState).where(BotState.namespace == namespace))
        return {row.key: row.data for row in rows}

    async def store(self, namespace: str, key: str, data: dict[str, Any] | None) -> None:
        """Writes (or with None deletes) one entry."""
        await self.session.execute(
            delete(BotState).where(BotState.namespace == namespace, BotState.key == key)
        )
        if data is not None:
            self.session.add(BotState(namespace=namespace, key=key, data=data))


__all__ = [
    "CounterRepo",
    "EventRepo",
    "InviteRepo",
    "OpdRepo",
    "OutboxRepo",
    "SettingRepo",
    "StateRepo",
    "TicketMessageRepo",
    "TicketRepo",
    "UserRepo",
]
