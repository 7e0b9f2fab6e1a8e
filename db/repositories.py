"""Repositories: the only place that builds queries. They never commit; the use case does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defaultload, defer, joinedload, raiseload
from sqlalchemy.orm.attributes import set_committed_value

from db.models import (
    AppSetting,
    Attachment,
    BeritaAcara,
    BotState,
    CalendarHoliday,
    CalendarOverride,
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    ComplaintFiring,
    Counter,
    Invite,
    MaterialRequest,
    Opd,
    OutboxMessage,
    RemovedHoliday,
    RepairReport,
    SlaDigest,
    SlaFiring,
    Ticket,
    TicketEvent,
    TicketMessage,
    TicketPost,
    User,
    UserRole,
)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # noqa: S101 - a declarative model maps one table
    return table


@dataclass(frozen=True, slots=True)
class DueTicket:
    """What the SLA sweep reads of a due ticket: its clocks and what an alert shows."""

    id: int
    number: str
    status: str
    received_at: datetime
    response_due_at: datetime | None
    target_due_at: datetime
    deadline_due_at: datetime
    opd_name: str
    assignee_name: str | None
    assignee_chat: int | None
    reporter_chat: int
    state_entered_at: datetime | None
    state_entry_id: int | None
    letter_status: str = "attached"


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def flush(self) -> None:
        """Flushes pending changes so generated ids are known."""
        await self.session.flush()

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


# The roles in the same query: every update starts with this lookup. Built once: building the
# statement and its cache key cost about as much as running it.
_USER_BY_TELEGRAM_ID = (
    select(User)
    .where(User.telegram_id == bindparam("telegram_id"))
    .options(joinedload(User.role_rows))
)


class UserRepo(_Repo):
    """Users and roles."""

    async def get(self, user_id: int) -> User | None:
        """Returns the user with this id."""
        return await self.session.get(User, user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """Returns the user with this Telegram id."""
        result = await self.session.scalars(_USER_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
        return result.unique().one_or_none()

    async def with_role(self, role: str) -> Sequence[User]:
        """Returns active users holding a role."""
        stmt = (
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.id)
        )
        return (await self.session.scalars(stmt)).unique().all()

    async def chats_with_role(self, role: str) -> list[int]:
        """Returns the Telegram ids of active users holding a role, in user order."""
        stmt = (
            select(User.telegram_id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.id)
        )
        return list((await self.session.scalars(stmt)).all())

    def add(self, user: User) -> None:
        """Adds a new user."""
        self.session.add(user)


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


# One ticket in one query: its files and the roles of its people joined in (the few rows this
# multiplies cost less than a query each; the roles must be there, since a reporter or an
# assignee is often the acting user too, refreshed by the ticket's load).
_ONE_TICKET = (
    joinedload(Ticket.attachments),
    defaultload(Ticket.reporter).joinedload(User.role_rows),
    defaultload(Ticket.assignee).joinedload(User.role_rows),
)

# Statements run by every /tiket and most presses, built once (building one with its eager
# loads, and its cache key, costs about as much as running it).
_TICKET_BY_ID = (
    select(Ticket)
    .where(Ticket.id == bindparam("ticket_id"))
    .options(*_ONE_TICKET)
    .execution_options(populate_existing=True)
)
_TICKET_BY_NUMBER = (
    select(Ticket).where(Ticket.number == bindparam("number")).options(*_ONE_TICKET)
)
_EVENTS_OF_TICKET = (
    select(TicketEvent)
    .where(TicketEvent.ticket_id == bindparam("ticket_id"))
    .order_by(TicketEvent.id)
    .options(defaultload(TicketEvent.actor).joinedload(User.role_rows))
)
# What a view of a ticket shows (/tiket): the people by name only. Their roles and OPDs are
# not read (each a join multiplying the rows to turn into objects); touching them raises.
_PEOPLE_BY_NAME = (raiseload(User.role_rows), raiseload(User.opd))
_TICKET_TO_SHOW = (
    select(Ticket)
    .where(Ticket.number == bindparam("number"))
    .options(
        joinedload(Ticket.attachments),
        defaultload(Ticket.reporter).options(*_PEOPLE_BY_NAME),
        defaultload(Ticket.assignee).options(*_PEOPLE_BY_NAME),
    )
)
_TIMELINE_OF_TICKET = (
    select(TicketEvent)
    .where(TicketEvent.ticket_id == bindparam("ticket_id"))
    .order_by(TicketEvent.id)
    .options(defaultload(TicketEvent.actor).options(*_PEOPLE_BY_NAME))
)


def _literal(values: Sequence[str]) -> BindParameter[Any]:
    """A list written into the statement: a partial index (db.models.OPEN_TICKET) serves only
    a query that spells out its WHERE term."""
    return bindparam("literal_list", list(values), expanding=True, literal_execute=True)


@cache
def _transition(columns: tuple[str, ...], unassigned: bool) -> Any:
    """The conditional UPDATE of a move writing these columns (parameters `ticket_id`,
    `from_state` and `new_<column>`); built once a set of columns."""
    table = _table(Ticket)
    stmt = update(Ticket).where(
        Ticket.id == bindparam("ticket_id"), Ticket.status == bindparam("from_state")
    )
    if unassigned:
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    values = {key: bindparam(f"new_{key}", type_=table.c[key].type) for key in columns}
    return stmt.values(values).execution_options(synchronize_session=False)


class TicketRepo(_Repo):
    """Fault tickets and their attachments."""

    def add(self, ticket: Ticket) -> None:
        """Adds a new ticket."""
        self.session.add(ticket)

    def add_attachment(self, attachment: Attachment) -> None:
        """Adds an attachment."""
        self.session.add(attachment)

    async def get(self, ticket_id: int) -> Ticket | None:
        """Returns the ticket with this id, freshly loaded."""
        result = await self.session.scalars(_TICKET_BY_ID, {"ticket_id": ticket_id})
        return result.unique().one_or_none()

    async def by_number(self, number: str) -> Ticket | None:
        """Returns the ticket with this number."""
        result = await self.session.scalars(_TICKET_BY_NUMBER, {"number": number})
        return result.unique().one_or_none()

    async def to_show(self, number: str) -> Ticket | None:
        """Returns the ticket with this number for a view: its reporter and assignee by name
        only (their roles and OPDs are not loaded)."""
        result = await self.session.scalars(_TICKET_TO_SHOW, {"number": number})
        return result.unique().one_or_none()

    async def transition(
        self,
        ticket_id: int,
        from_state: str,
        to_state: str,
        now: datetime,
        *,
        unassigned: bool = False,
        **values: Any,
    ) -> bool:
        """Moves a ticket still in `from_state` (and unassigned, for a claim); False otherwise.

        The loaded ticket is not touched: the caller brings it up to date (:meth:`moved`)."""
        written = {"status": to_state, "updated_at": now, **values}
        stmt = _transition(tuple(sorted(written)), unassigned)
        parameters = {f"new_{key}": value for key, value in written.items()}
        parameters |= {"ticket_id": ticket_id, "from_state": from_state}
        result: CursorResult[Any] = await self.session.execute(stmt, parameters)  # type: ignore[assignment]
        return result.rowcount == 1

    async def moved(self, ticket: Ticket, to_state: str, now: datetime, **values: Any) -> None:
        """Brings a loaded ticket up to a :meth:`transition` that matched, without reading it
        again: the UPDATE wrote exactly these values (a new assignee comes from the session,
        where the use case has usually loaded them already)."""
        changed: dict[str, Any] = {"status": to_state, "updated_at": now, **values}
        if "assignee_id" in values:
            assignee_id = values["assignee_id"]
            changed["assignee"] = (
                None if assignee_id is None else await self.session.get(User, assignee_id)
            )
        for key, value in changed.items():
            set_committed_value(ticket, key, value)

    async def for_opd(
        self, opd_id: int, open_states: Sequence[str], limit: int
    ) -> Sequence[Ticket]:
        """Returns an OPD's tickets, open ones first, newest first."""
        is_open = Ticket.status.in_(open_states)
        stmt = (
            select(Ticket)
            .where(Ticket.opd_id == opd_id)
            .order_by(is_open.desc(), Ticket.received_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def for_assignee(
        self, user_id: int, open_states: Sequence[str], limit: int
    ) -> Sequence[Ticket]:
        """Returns a technician's open jobs, oldest first."""
        stmt = (
            select(Ticket)
            .where(Ticket.assignee_id == user_id, Ticket.status.in_(_literal(open_states)))
            .order_by(Ticket.received_at, Ticket.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def unclaimed(self, states: Sequence[str], limit: int) -> Sequence[Ticket]:
        """Returns tickets waiting for a technician, oldest first."""
        stmt = (
            select(Ticket)
            .where(Ticket.status.in_(states), Ticket.assignee_id.is_(None))
            .order_by(Ticket.received_at, Ticket.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()


class EventRepo(_Repo):
    """The append-only audit trail."""

    def add(self, event: TicketEvent) -> None:
        """Appends an event."""
        self.session.add(event)

    async def add_many(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Appends events given as column values, in order, in one executemany."""
        if rows:
            await self.session.execute(_table(TicketEvent).insert(), list(rows))

    async def for_ticket(self, ticket_id: int) -> Sequence[TicketEvent]:
        """Returns a ticket's events in order."""
        result = await self.session.scalars(_EVENTS_OF_TICKET, {"ticket_id": ticket_id})
        return result.unique().all()

    async def timeline(self, ticket_id: int) -> Sequence[TicketEvent]:
        """Returns a ticket's events in order for a view: the actors by name only."""
        result = await self.session.scalars(_TIMELINE_OF_TICKET, {"ticket_id": ticket_id})
        return result.unique().all()


def _due_lanes() -> Any:
    """The first `per_chat` due messages of every chat not held by a 429 (parameters `now`,
    `per_chat`, `limit`); built once, it is read at every delivery pass."""
    now = bindparam("now", type_=OutboxMessage.next_attempt_at.type)
    held = select(OutboxMessage.chat_id).where(
        OutboxMessage.status == "pending",
        OutboxMessage.next_attempt_at > now,
        OutboxMessage.last_error.like("RetryAfter%"),
    )
    ranked = (
        select(
            OutboxMessage.id,
            func.row_number()
            .over(partition_by=OutboxMessage.chat_id, order_by=OutboxMessage.id)
            .label("rank"),
        )
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.chat_id.not_in(held),
        )
        .subquery()
    )
    return (
        select(OutboxMessage)
        .join(ranked, ranked.c.id == OutboxMessage.id)
        .where(ranked.c.rank <= bindparam("per_chat"))
        .order_by(OutboxMessage.id)
        .limit(bindparam("limit"))
    )


_DUE_LANES = _due_lanes()
_MARK_SENT = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("message_id"))
    .values(
        status="sent",
        sent_at=bindparam("now", type_=OutboxMessage.sent_at.type),
        attempts=bindparam("attempts"),
    )
    .execution_options(synchronize_session=False)
)


class OutboxRepo(_Repo):
    """Queued messages to other chats."""

    def add(self, message: OutboxMessage) -> None:
        """Queues a message."""
        self.session.add(message)

    async def add_many(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Queues many messages in one statement (their ids are not needed)."""
        if rows:
            await self.session.execute(insert(cast(Table, OutboxMessage.__table__)), list(rows))

    async def due(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        """Returns pending messages whose time has come, in the order they were queued."""
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def due_lanes(self, now: datetime, per_chat: int, limit: int) -> Sequence[OutboxMessage]:
        """Returns the first `per_chat` due messages of every chat, in queue order.

        A chat that Telegram asked to wait (a pending 429, "RetryAfter") is left out whole, so
        nothing queued after the message it refused overtakes it, even across a restart.
        """
        parameters = {"now": now, "per_chat": per_chat, "limit": limit}
        return (await self.session.scalars(_DUE_LANES, parameters)).all()

    async def mark_sent(self, message_id: int, now: datetime, attempts: int) -> bool:
        """Marks a queued message delivered (one UPDATE); False if it is gone."""
        parameters = {"message_id": message_id, "now": now, "attempts": attempts}
        result: CursorResult[Any] = await self.session.execute(_MARK_SENT, parameters)  # type: ignore[assignment]
        return result.rowcount == 1

    async def get(self, message_id: int) -> OutboxMessage | None:
        """Returns one queued message."""
        return await self.session.get(OutboxMessage, message_id)

    async def pending_card_post(
        self,
        chat_id: int,
        purpose: str,
        before_id: int,
        *,
        ticket_id: int | None,
        complaint_id: int | None,
    ) -> OutboxMessage | None:
        """Returns a card post still waiting for delivery, queued before a given row."""
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.method == "sendMessage",
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.purpose == purpose,
                OutboxMessage.id < before_id,
                OutboxMessage.ticket_id == ticket_id
                if ticket_id is not None
                else OutboxMessage.ticket_id.is_(None),
                OutboxMessage.complaint_id == complaint_id
                if complaint_id is not None
                else OutboxMessage.complaint_id.is_(None),
            )
            .order_by(OutboxMessage.id)
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def pending_count(self) -> int:
        """Returns how many messages wait for delivery."""
        stmt = select(func.count()).where(OutboxMessage.status == "pending")
        return int(await self.session.scalar(stmt) or 0)

    async def move_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> int:
        """Readdresses every pending message of a chat to its new id, due now; returns how
        many."""
        stmt = (
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.status == "pending")
            .values(chat_id=new_chat_id, next_attempt_at=now)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return int(result.rowcount or 0)

    @staticmethod
    def _card(
        chat_id: int, purpose: str, ticket_id: int | None, complaint_id: int | None
    ) -> list[ColumnElement[bool]]:
        return [
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.purpose == purpose,
            OutboxMessage.ticket_id == ticket_id
            if ticket_id is not None
            else OutboxMessage.ticket_id.is_(None),
            OutboxMessage.complaint_id == complaint_id
            if complaint_id is not None
            else OutboxMessage.complaint_id.is_(None),
        ]

    async def card_pending(
        self, chat_id: int, purpose: str, *, ticket_id: int | None, complaint_id: int | None
    ) -> bool:
        """Tells whether a post or an edit of a card waits for delivery in a chat."""
        stmt = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == "pending",
                *self._card(chat_id, purpose, ticket_id, complaint_id),
            )
            .limit(1)
        )
        return await self.session.scalar(stmt) is not None

    async def card_shown(
        self, chat_id: int, purpose: str, *, ticket_id: int | None, complaint_id: int | None
    ) -> dict[str, Any] | None:
        """Returns the payload of the last delivered post or edit of a card in a chat."""
        stmt = (
            select(OutboxMessage.payload)
            .where(
                OutboxMessage.status == "sent",
                OutboxMessage.method.in_(("sendMessage", "editMessageText")),
                *self._card(chat_id, purpose, ticket_id, complaint_id),
            )
            .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
            .limit(1)
        )
        payload = await self.session.scalar(stmt)
        return dict(payload) if payload is not None else None


@cache
def _post_insert(dialect: str) -> Any:
    """INSERT of a ticket_post that leaves a recorded (chat, message) as it is; built once."""
    table = _table(TicketPost)
    stmt = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    return stmt.on_conflict_do_nothing(index_elements=[table.c.chat_id, table.c.message_id])


class TicketMessageRepo(_Repo):
    """Cards posted about tickets (job cards) and complaints (complaint cards).

    A card belongs to exactly one ticket or one complaint: pass ``ticket_id`` or
    ``complaint_id``.
    """

    @staticmethod
    def _owner(ticket_id: int | None, complaint_id: int | None) -> ColumnElement[bool]:
        if (ticket_id is None) == (complaint_id is None):
            raise ValueError("a card belongs to exactly one ticket or one complaint")
        if ticket_id is not None:
            return TicketMessage.ticket_id == ticket_id
        return TicketMessage.complaint_id == complaint_id

    async def get(
        self,
        chat_id: int,
        purpose: str,
        *,
        ticket_id: int | None = None,
        complaint_id: int | None = None,
    ) -> TicketMessage | None:
        """Returns the recorded card of a ticket or complaint in a chat."""
        stmt = select(TicketMessage).where(
            self._owner(ticket_id, complaint_id),
            TicketMessage.chat_id == chat_id,
            TicketMessage.purpose == purpose,
        )
        return await self.session.scalar(stmt)

    async def post_at(self, chat_id: int, message_id: int) -> TicketPost | None:
        """Returns the recorded message about a ticket at this place, if any."""
        stmt = select(TicketPost).where(
            TicketPost.chat_id == chat_id, TicketPost.message_id == message_id
        )
        return await self.session.scalar(stmt)

    async def recorded_at(
        self, chat_id: int, purpose: str, message_id: int
    ) -> TicketMessage | None:
        """Returns what is recorded for this purpose under this message id (a forum topic's
        thread id, say) in a chat, if anything."""
        stmt = select(TicketMessage).where(
            TicketMessage.chat_id == chat_id,
            TicketMessage.purpose == purpose,
            TicketMessage.message_id == message_id,
        )
        return await self.session.scalar(stmt)

    async def add_post(
        self, ticket_id: int, chat_id: int, message_id: int, note_id: int | None = None
    ) -> None:
        """Records a message about a ticket (a reply to it writes to the ticket); one already
        recorded stays as it is."""
        row = {"ticket_id": ticket_id, "chat_id": chat_id, "message_id": message_id}
        stmt = _post_insert(self.session.get_bind().dialect.name)
        await self.session.execute(stmt, {**row, "note_id": note_id})

    async def save(
        self,
        chat_id: int,
        purpose: str,
        message_id: int,
        *,
        ticket_id: int | None = None,
        complaint_id: int | None = None,
    ) -> None:
        """Records (or replaces) the card of a ticket or complaint in a chat."""
        existing = await self.get(chat_id, purpose, ticket_id=ticket_id, complaint_id=complaint_id)
        if existing is None:
            self.session.add(
                TicketMessage(
                    ticket_id=ticket_id,
                    complaint_id=complaint_id,
                    chat_id=chat_id,
                    purpose=purpose,
                    message_id=message_id,
                )
            )
        else:
            existing.message_id = message_id

    async def forget(
        self,
        chat_id: int,
        purpose: str,
        *,
        ticket_id: int | None = None,
        complaint_id: int | None = None,
    ) -> None:
        """Drops the record of a card that no longer exists."""
        await self.session.execute(
            delete(TicketMessage).where(
                self._owner(ticket_id, complaint_id),
                TicketMessage.chat_id == chat_id,
                TicketMessage.purpose == purpose,
            )
        )

    async def in_chat(self, chat_id: int) -> Sequence[TicketMessage]:
        """Returns every card recorded in a chat."""
        stmt = select(TicketMessage).where(TicketMessage.chat_id == chat_id)
        return (await self.session.scalars(stmt.order_by(TicketMessage.id))).all()

    async def forget_chat(self, chat_id: int) -> None:
        """Drops the records of every card in a chat (a chat that no longer exists)."""
        await self.session.execute(delete(TicketMessage).where(TicketMessage.chat_id == chat_id))


class SettingsCache:
    """Settings read by prefix, kept across units of work of one process (one per Services).

    A unit of work that writes a setting clears it, again once it committed (a reader that
    overlapped the write cannot keep what it read: the generation it started at has passed).
    Rows that a unit of work wrote itself, not yet committed, never enter it.
    """

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.prefixes: set[str] = set()
        self.generation = 0

    def invalidate(self) -> None:
        """Forgets everything (a setting was written)."""
        self.values.clear()
        self.prefixes.clear()
        self.generation += 1


class SettingRepo(_Repo):
    """Run-time settings."""

    def __init__(self, session: AsyncSession, cache: SettingsCache | None = None) -> None:
        super().__init__(session)
        # Prefixes whose every row this unit of work has read, and those rows (held here: the
        # session's identity map keeps no row alive): a key under such a prefix that is not
        # among them is known to be missing, without asking the database again.
        self._read_prefixes: set[str] = set()
        self._read: dict[str, str] = {}
        self._rows: dict[str, AppSetting] = {}
        self._cache = cache
        self.wrote = False

    def _prefetched(self, key: str) -> bool:
        return any(key.startswith(prefix) for prefix in self._read_prefixes)

    async def get(self, key: str) -> str | None:
        """Returns a run-time setting."""
        if self._prefetched(key):
            return self._read.get(key)
        row = await self.session.get(AppSetting, key)
        return row.value if row else None

    async def read_prefixes(self, *prefixes: str) -> None:
        """Reads every setting whose key starts with one of the prefixes, in one statement (or
        none, while the process's cache holds them), so later look-ups under them (present or
        missing) need none."""
        wanted = [p for p in prefixes if p not in self._read_prefixes]
        cache = self._cache
        if cache is not None and not self.wrote and wanted and set(wanted) <= cache.prefixes:
            self._read.update(
                (k, v) for k, v in cache.values.items() if k.startswith(tuple(wanted))
            )
            self._read_prefixes.update(wanted)
            return
        if not wanted:
            return
        generation = cache.generation if cache is not None else 0
        escaped = [p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for p in wanted]
        condition = or_(*(AppSetting.key.like(f"{p}%", escape="\\") for p in escaped))
        rows = (await self.session.scalars(select(AppSetting).where(condition))).all()
        self._rows.update((row.key, row) for row in rows)
        self._read.update((row.key, row.value) for row in rows)
        self._read_prefixes.update(wanted)
        if cache is not None and not self.wrote and cache.generation == generation:
            cache.values.update((row.key, row.value) for row in rows)
            cache.prefixes.update(wanted)

    async def set(self, key: str, value: str) -> None:
        """Stores a run-time setting."""
        self.wrote = True
        if self._cache is not None:
            self._cache.invalidate()
        row = self._rows.get(key)
        if row is None and not (self._prefetched(key) and key not in self._read):
            # Unless read as missing just now: a key read from the cache has no row here.
            row = await self.session.get(AppSetting, key)
        if row is None:
            row = AppSetting(key=key, value=value)
            self.session.add(row)
        else:
            row.value = value
        self._rows[key] = row
        if self._prefetched(key):
            self._read[key] = value


@cache
def _state_upsert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (namespace, key) DO UPDATE of bot_state, built once a dialect."""
    table = _table(BotState)
    stmt = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.namespace, table.c.key], set_={"data": stmt.excluded.data}
    )


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

    async def store_many(self, rows: Mapping[tuple[str, str], dict[str, Any] | None]) -> None:
        """Writes (or with None deletes) many entries, keyed by (namespace, key): the new values
        in one upsert, the deletions in one DELETE per namespace (a wizard step: one
        statement)."""
        table = _table(BotState)
        gone: dict[str, list[str]] = {}
        values = []
        for (namespace, key), data in rows.items():
            if data is None:
                gone.setdefault(namespace, []).append(key)
            else:
                values.append({"namespace": namespace, "key": key, "data": data})
        for namespace, names in gone.items():
            for start in range(0, len(names), 500):  # bound the number of bound parameters
                await self.session.execute(
                    delete(table).where(
                        table.c.namespace == namespace,
                        table.c.key.in_(names[start : start + 500]),
                    )
                )
        if values:
            await self.session.execute(_state_upsert(self.session.get_bind().dialect.name), values)


class CalendarRepo(_Repo):
    """Admin changes to the business calendar: holidays, removed holidays, overrides."""

    async def holidays(self) -> Sequence[CalendarHoliday]:
        """Returns the added holidays by date."""
        stmt = select(CalendarHoliday).order_by(CalendarHoliday.day)
        return (await self.session.scalars(stmt)).all()

    async def removed(self) -> Sequence[RemovedHoliday]:
        """Returns the removed national holidays by date."""
        stmt = select(RemovedHoliday).order_by(RemovedHoliday.day)
        return (await self.session.scalars(stmt)).all()

    async def overrides(self) -> Sequence[CalendarOverride]:
        """Returns the schedule overrides in the order they were added."""
        stmt = select(CalendarOverride).order_by(CalendarOverride.id)
        return (await self.session.scalars(stmt)).all()

    async def set_holiday(self, day: date, name: str) -> None:
        """Adds (or renames) a holiday and forgets any removal of that date."""
        await self.session.execute(delete(RemovedHoliday).where(RemovedHoliday.day == day))
        row = await self.session.get(CalendarHoliday, day)
        if row is None:
            self.session.add(CalendarHoliday(day=day, name=name))
        else:
            row.name = name

    async def drop_holiday(self, day: date) -> bool:
        """Deletes an added holiday; returns False when there was none."""
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            delete(CalendarHoliday).where(CalendarHoliday.day == day)
        )
        return result.rowcount == 1

    async def remove_national(self, day: date) -> None:
        """Records that a national holiday is a working day after all."""
        if await self.session.get(RemovedHoliday, day) is None:
            self.session.add(RemovedHoliday(day=day))

    def add_override(self, override: CalendarOverride) -> None:
        """Adds a schedule override."""
        self.session.add(override)

    async def drop_override(self, override_id: int) -> bool:
        """Deletes a schedule override; returns False when there was none."""
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            delete(CalendarOverride).where(CalendarOverride.id == override_id)
        )
        return result.rowcount == 1


class SlaRepo(_Repo):
    """The SLA schedule: due tickets, fired ladder steps and daily digests."""

    async def due(self, now: datetime, limit: int) -> list[DueTicket]:
        """Returns tickets whose next check time has come, earliest first.

        Only the columns the sweep reads, in one query through the ``next_check_at`` index:
        no ORM objects, relationships or attachments are loaded.
        """
        reporter = aliased(User)
        stmt = (
            select(
                Ticket.id,
                Ticket.number,
                Ticket.status,
                Ticket.received_at,
                Ticket.response_due_at,
                Ticket.target_due_at,
                Ticket.deadline_due_at,
                Opd.name.label("opd_name"),
                User.full_name.label("assignee_name"),
                User.telegram_id.label("assignee_chat"),
                reporter.telegram_id.label("reporter_chat"),
                Ticket.state_entered_at,
                Ticket.state_entry_id,
                Ticket.letter_status,
            )
            .join(Opd, Opd.id == Ticket.opd_id)
            .join(reporter, reporter.id == Ticket.reporter_id)
            .outerjoin(User, User.id == Ticket.assignee_id)
            .where(Ticket.next_check_at <= now)
            .order_by(Ticket.next_check_at)
            .limit(limit)
        )
        return [DueTicket(**row._asdict()) for row in await self.session.execute(stmt)]

    async def fired(self, ticket_ids: Sequence[int]) -> set[tuple[int, str, int]]:
        """Returns the (ticket, step, entry) keys already fired among the tickets."""
        if not ticket_ids:
            return set()
        stmt = select(SlaFiring.ticket_id, SlaFiring.step, SlaFiring.entry_id).where(
            SlaFiring.ticket_id.in_(ticket_ids)
        )
        return {(row[0], row[1], row[2]) for row in await self.session.execute(stmt)}

    async def record(
        self, firings: Sequence[tuple[int, str, int]], now: datetime
    ) -> set[tuple[int, str, int]]:
        """Inserts firings, skipping existing ones; returns the keys this call inserted.

        One executemany, which SQLAlchemy sends as batched multi-row INSERT ... RETURNING
        from a statement compiled once (no new SQL per number of rows).
        """
        if not firings:
            return set()
        table = _table(SlaFiring)
        stmt = (
            self._insert(table)
            .on_conflict_do_nothing()
            .returning(table.c.ticket_id, table.c.step, table.c.entry_id)
        )
        rows = [{"ticket_id": t, "step": s, "entry_id": e, "fired_at": now} for t, s, e in firings]
        return {(row[0], row[1], row[2]) for row in await self.session.execute(stmt, rows)}

    async def set_next_checks(self, values: Sequence[dict[str, Any]]) -> None:
        """Updates tickets by id in one executemany (rows of id plus the same columns to set)."""
        if not values:
            return
        keys = [key for key in values[0] if key != "id"]
        table = _table(Ticket)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("ticket_id"))
            .values({key: bindparam(f"new_{key}") for key in keys})
        )
        rows = [
            {"ticket_id": row["id"], **{f"new_{key}": row[key] for key in keys}} for row in values
        ]
        await self.session.execute(stmt, rows)

    async def claim_digest(self, day: date, now: datetime) -> bool:
        """Records the morning digest of a day; returns False when it was already recorded."""
        stmt = (
            self._insert(SlaDigest)
            .values(day=day, sent_at=now)
            .on_conflict_do_nothing()
            .returning(SlaDigest.day)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def open_tickets(self, states: Sequence[str], limit: int) -> Sequence[Ticket]:
        """Returns open tickets, oldest first."""
        stmt = (
            select(Ticket)
            .where(Ticket.status.in_(states))
            .order_by(Ticket.received_at, Ticket.id)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def firings_for(self, ticket_id: int) -> Sequence[SlaFiring]:
        """Returns the fired steps of a ticket in order."""
        stmt = select(SlaFiring).where(SlaFiring.ticket_id == ticket_id).order_by(SlaFiring.id)
        return (await self.session.scalars(stmt)).all()


class ComplaintRepo(_Repo):
    """Complaints (pengaduan), their files, events and fired due-time steps."""

    def add(self, complaint: Complaint) -> None:
        """Adds a new complaint."""
        self.session.add(complaint)

    def add_file(self, file: ComplaintFile) -> None:
        """Adds a file of a complaint."""
        self.session.add(file)

    def add_event(self, event: ComplaintEvent) -> None:
        """Appends an event to a complaint's audit trail."""
        self.session.add(event)

    async def get(self, complaint_id: int) -> Complaint | None:
        """Returns the complaint with this id, freshly loaded."""
        return await self.session.get(Complaint, complaint_id, populate_existing=True)

    async def by_number(self, number: str) -> Complaint | None:
        """Returns the complaint with this number."""
        return await self.session.scalar(select(Complaint).where(Complaint.number == number))

    async def transition(
        self,
        complaint_id: int,
        from_states: Sequence[str],
        to_state: str,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Moves a complaint only if it is still in one of `from_states`; False otherwise."""
        stmt = (
            update(Complaint)
            .where(Complaint.id == complaint_id, Complaint.status.in_(from_states))
            .values(status=to_state, updated_at=now, **values)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return result.rowcount == 1

    async def events_for(self, complaint_id: int) -> Sequence[ComplaintEvent]:
        """Returns a complaint's events in order."""
        stmt = (
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint_id)
            .order_by(ComplaintEvent.id)
        )
        return (await self.session.scalars(stmt)).all()

    async def for_complainant(self, user_id: int, limit: int) -> Sequence[Complaint]:
        """Returns a person's complaints, newest first."""
        stmt = (
            select(Complaint)
            .where(Complaint.complainant_id == user_id)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def count_open(
        self, open_states: Sequence[str], *, user_id: int | None, contact: str | None
    ) -> int:
        """Counts the open complaints of a bot user, or else of a contact."""
        stmt = select(func.count()).select_from(Complaint).where(Complaint.status.in_(open_states))
        if user_id is not None:
            stmt = stmt.where(Complaint.complainant_id == user_id)
        else:
            stmt = stmt.where(Complaint.complainant_contact == contact)
        return int(await self.session.scalar(stmt) or 0)

    async def due(self, now: datetime, limit: int) -> Sequence[Complaint]:
        """Returns complaints whose next check time has come, earliest first."""
        stmt = (
            select(Complaint)
            .where(Complaint.next_check_at <= now)
            .order_by(Complaint.next_check_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def fired(self, complaint_id: int) -> set[str]:
        """Returns the due-time steps already fired for a complaint."""
        stmt = select(ComplaintFiring.step).where(ComplaintFiring.complaint_id == complaint_id)
        return set((await self.session.scalars(stmt)).all())

    async def record_firing(self, complaint_id: int, step: str, now: datetime) -> bool:
        """Records a fired step; returns False when it was already recorded (never twice)."""
        stmt = (
            self._insert(ComplaintFiring)
            .values(complaint_id=complaint_id, step=step, fired_at=now)
            .on_conflict_do_nothing()
            .returning(ComplaintFiring.id)
        )
        return (await self.session.execute(stmt)).first() is not None


class WorkflowRepo(_Repo):
    """Material requests, repair reports and berita acara."""

    def add(self, row: MaterialRequest | RepairReport | BeritaAcara) -> None:
        """Adds a new row."""
        self.session.add(row)

    async def material_request(
        self, request_id: int, *, refresh: bool = False
    ) -> MaterialRequest | None:
        """Returns a material request with its items."""
        return await self.session.get(MaterialRequest, request_id, populate_existing=refresh)

    async def decide(
        self, request_id: int, status: str, by_id: int, now: datetime, note: str | None
    ) -> bool:
        """Records a decision on a pending request; False if someone decided first."""
        stmt = (
            update(MaterialRequest)
            .where(MaterialRequest.id == request_id, MaterialRequest.status == "pending")
            .values(status=status, decided_by_id=by_id, decided_at=now, decision_note=note)
        )
        result: CursorResult[Any] = await self.session.execute(stmt)  # type: ignore[assignment]
        return result.rowcount == 1

    async def approved_request(self, ticket_id: int) -> MaterialRequest | None:
        """Returns the ticket's latest approved material request."""
        stmt = (
            select(MaterialRequest)
            .where(MaterialRequest.ticket_id == ticket_id, MaterialRequest.status == "approved")
            .order_by(MaterialRequest.id.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def latest_repair(self, ticket_id: int) -> RepairReport | None:
        """Returns the ticket's latest repair report."""
        stmt = (
            select(RepairReport)
            .where(RepairReport.ticket_id == ticket_id)
            .order_by(RepairReport.id.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def has_berita_acara(self, ticket_id: int) -> bool:
        """Tells whether the ticket has a berita acara (without reading the document)."""
        stmt = select(BeritaAcara.id).where(BeritaAcara.ticket_id == ticket_id).limit(1)
        return await self.session.scalar(stmt) is not None

    async def berita_acara_for(self, ticket_id: int) -> BeritaAcara | None:
        """Returns the ticket's berita acara."""
        return await self.session.scalar(
            select(BeritaAcara).where(BeritaAcara.ticket_id == ticket_id)
        )

    async def berita_acara(self, berita_acara_id: int) -> BeritaAcara | None:
        """Returns one berita acara."""
        return await self.session.get(BeritaAcara, berita_acara_id)

    async def berita_acara_by_code(self, code: str) -> BeritaAcara | None:
        """Returns the berita acara printed with a verification code, without its PDF."""
        stmt = (
            select(BeritaAcara)
            .where(BeritaAcara.verification_code == code)
            .options(defer(BeritaAcara.pdf, raiseload=True))
            .order_by(BeritaAcara.id)
            .limit(1)
        )
        return await self.session.scalar(stmt)


__all__ = [
    "CalendarRepo",
    "ComplaintRepo",
    "CounterRepo",
    "DueTicket",
    "EventRepo",
    "InviteRepo",
    "OpdRepo",
    "OutboxRepo",
    "SettingRepo",
    "SlaRepo",
    "StateRepo",
    "TicketMessageRepo",
    "TicketRepo",
    "UserRepo",
    "WorkflowRepo",
]
