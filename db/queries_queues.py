"""Read-only queries of the work queues, the supervisor's overview and `/cari`.

Each query selects only the columns its list shows, in one statement (joins, no ORM objects,
no relationship loads), so a `/status` section costs a fixed number of statements whatever the
number of tickets. Rows come back as dictionaries keyed by the names of the views they fill.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Complaint, MaterialRequest, Opd, SlaFiring, Ticket, User

Row = dict[str, Any]
AnySelect = Select[*tuple[Any, ...]]
LIKE_ESCAPE = "\\"


def like_pattern(word: str) -> str:
    """Returns `%word%` with LIKE's wildcards in the word taken literally."""
    escaped = word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, word: str) -> ColumnElement[bool]:
    # ILIKE on PostgreSQL, lower() LIKE lower() on SQLite: case-insensitive on both.
    result: ColumnElement[bool] = column.ilike(like_pattern(word), escape=LIKE_ESCAPE)
    return result


def _literal(values: Sequence[str]) -> BindParameter[Any]:
    """A list of states written into the statement (not bound): SQLite and PostgreSQL use a
    partial index (db.models.OPEN_TICKET, DONE_TICKET) only for a query that spells out its
    WHERE term, and a bound list hides it from them. The states are the code's own constants."""
    return bindparam("states", list(values), expanding=True, literal_execute=True, unique=True)


@cache  # built once: a Select is immutable, and building it (the aliases) costs ~1 ms
def _ticket_select() -> AnySelect:
    """Returns the columns of a ticket's list line (the fields of a `TicketView`)."""
    reporter = aliased(User)
    assignee = aliased(User)
    return (
        select(
            Ticket.id,
            Ticket.number,
            Ticket.status,
            Opd.name.label("opd_name"),
            Ticket.category,
            Ticket.impact,
            Ticket.location,
            Ticket.description,
            Ticket.contact_phone,
            reporter.full_name.label("reporter_name"),
            reporter.telegram_id.label("reporter_telegram_id"),
            assignee.full_name.label("assignee_name"),
            assignee.telegram_id.label("assignee_telegram_id"),
            Ticket.letter_status,
            Ticket.received_at,
            Ticket.claimed_at,
            Ticket.target_due_at,
            Ticket.deadline_due_at,
            Ticket.classification,
            Ticket.disposition_note,
            Ticket.reopen_count,
            Ticket.rating,
        )
        .join(Opd, Opd.id == Ticket.opd_id)
        .join(reporter, reporter.id == Ticket.reporter_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )


_OLDEST = (Ticket.received_at, Ticket.id)


@cache  # built once per pair of state lists: the union's column collections cost ~1 ms
def _opd_lists(open_states: tuple[str, ...], done_states: tuple[str, ...]) -> Any:
    """Returns an OPD's newest open tickets and its newest finished ones (parameters `opd_id`
    and `limit`), each part read in order from its partial index."""
    newest = (Ticket.received_at.desc(), Ticket.id.desc())
    parts = [
        _ticket_select()
        .where(Ticket.opd_id == bindparam("opd_id"), Ticket.status.in_(_literal(states)))
        .order_by(*newest)
        .limit(bindparam("limit"))
        .subquery()
        for states in (open_states, done_states)
    ]
    return union_all(*(select(part) for part in parts))


# The lists of every /status, built once (per list of states): building a statement and its
# cache key costs about as much as running it.


@cache
def _assigned(open_states: tuple[str, ...]) -> AnySelect:
    return (
        _ticket_select()
        .where(
            Ticket.assignee_id == bindparam("user_id"), Ticket.status.in_(_literal(open_states))
        )
        .order_by(*_OLDEST)
        .limit(bindparam("limit"))
    )


@cache
def _unassigned(states: tuple[str, ...]) -> AnySelect:
    return (
        _ticket_select()
        .where(Ticket.status.in_(states), Ticket.assignee_id.is_(None))
        .order_by(*_OLDEST)
        .limit(bindparam("limit"))
    )


@cache
def _complaints_of() -> AnySelect:
    return (
        _complaint_select()
        .where(Complaint.complainant_id == bindparam("user_id"))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(bindparam("limit"))
    )


class QueueQueries:
    """The queries of the queues over one session (never writes)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, stmt: AnySelect, parameters: dict[str, Any] | None = None) -> list[Row]:
        return [dict(row._mapping) for row in await self.session.execute(stmt, parameters)]

    async def tickets_in(self, states: Sequence[str], limit: int) -> list[Row]:
        """Returns tickets in some states, oldest first."""
        stmt = _ticket_select().where(Ticket.status.in_(states)).order_by(*_OLDEST).limit(limit)
        return await self._rows(stmt)

    async def opd_tickets(
        self, opd_id: int, open_states: Sequence[str], done_states: Sequence[str], limit: int
    ) -> list[Row]:
        """Returns an OPD's tickets, open ones first, newest first (one statement).

        The newest `limit` open ones and the newest `limit` finished ones, each read in order
        from its partial index (ix_ticket_opd_open, ix_ticket_opd_done), instead of sorting all
        of the OPD's tickets.
        """
        stmt = _opd_lists(tuple(open_states), tuple(done_states))
        result = await self.session.execute(stmt, {"opd_id": opd_id, "limit": limit})
        rows = [dict(row._mapping) for row in result]
        opened = frozenset(open_states)
        rows.sort(key=lambda r: (r["status"] in opened, r["received_at"], r["id"]), reverse=True)
        return rows[:limit]

    async def assigned(self, user_id: int, open_states: Sequence[str], limit: int) -> list[Row]:
        """Returns a technician's open jobs, oldest first."""
        stmt = _assigned(tuple(open_states))
        return await self._rows(stmt, {"user_id": user_id, "limit": limit})

    async def unassigned(self, states: Sequence[str], limit: int) -> list[Row]:
        """Returns tickets waiting for a technician, oldest first."""
        return await self._rows(_unassigned(tuple(states)), {"limit": limit})

    async def pending_requests(self, limit: int) -> list[Row]:
        """Returns material requests waiting for approval with their tickets, oldest first."""
        technician = aliased(User)
        stmt = (
            _ticket_select()
            .add_columns(
                MaterialRequest.id.label("request_id"),
                MaterialRequest.submitted_at.label("request_submitted_at"),
                technician.full_name.label("request_technician"),
            )
            .join(MaterialRequest, MaterialRequest.ticket_id == Ticket.id)
            .join(technician, technician.id == MaterialRequest.technician_id)
            .where(MaterialRequest.status == "pending")
            .order_by(MaterialRequest.submitted_at, MaterialRequest.id)
            .limit(limit)
        )
        return await self._rows(stmt)

    async def fired_on_open(
        self, steps: Sequence[str], open_states: Sequence[str], limit: int
    ) -> list[Row]:
        """Returns fired ladder steps of open tickets with the tickets, oldest ticket first.

        A step fired for an earlier stage (its entry is not the ticket's current one) is left
        out: it was about a stage the ticket has left.
        """
        stmt = (
            _ticket_select()
            .add_columns(SlaFiring.step, SlaFiring.fired_at)
            .join(SlaFiring, SlaFiring.ticket_id == Ticket.id)
            .where(
                SlaFiring.step.in_(steps),
                Ticket.status.in_(open_states),
                or_(SlaFiring.entry_id == 0, SlaFiring.entry_id == Ticket.state_entry_id),
            )
            .order_by(*_OLDEST, SlaFiring.id)
            .limit(limit)
        )
        return await self._rows(stmt)

    async def count_by_status(self, states: Sequence[str]) -> list[Row]:
        """Returns the number of tickets in each of some states (and of them, unassigned)."""
        unassigned = func.sum(case((Ticket.assignee_id.is_(None), 1), else_=0))
        stmt = (
            select(Ticket.status, func.count().label("count"), unassigned.label("unassigned"))
            .where(Ticket.status.in_(states))
            .group_by(Ticket.status)
        )
        return await self._rows(stmt)

    async def complaint_counts(self, open_states: Sequence[str]) -> list[Row]:
        """Returns the number of open complaints per state and escalation."""
        stmt = (
            select(Complaint.status, Complaint.escalated, func.count().label("count"))
            .where(Complaint.status.in_(open_states))
            .group_by(Complaint.status, Complaint.escalated)
        )
        return await self._rows(stmt)

    async def escalated_complaints(self, states: Sequence[str], limit: int) -> list[Row]:
        """Returns escalated complaints still in some states, the earliest due first."""
        stmt = (
            _complaint_select()
            .where(Complaint.escalated.is_(True), Complaint.status.in_(states))
            .order_by(Complaint.resolution_due_at, Complaint.id)
            .limit(limit)
        )
        return await self._rows(stmt)

    async def complaints_of(self, user_id: int, limit: int) -> list[Row]:
        """Returns a person's own complaints, newest first."""
        return await self._rows(_complaints_of(), {"user_id": user_id, "limit": limit})

    async def search_tickets(
        self, words: Sequence[str], numbers: Sequence[str], opd_id: int | None, limit: int
    ) -> list[Row]:
        """Returns tickets matching every word (number, OPD name or code, description,
        location), newest first; only the OPD's when one is given."""
        conditions = [
            or_(
                _contains(Ticket.number, word),
                _contains(Opd.name, word),
                _contains(Opd.code, word),
                _contains(Ticket.description, word),
                _contains(Ticket.location, word),
                Ticket.number.in_(numbers) if numbers else false(),
            )
            for word in words
        ]
        stmt = _ticket_select().where(and_(*conditions))
        if opd_id is not None:
            stmt = stmt.where(Ticket.opd_id == opd_id)
        stmt = stmt.order_by(Ticket.received_at.desc(), Ticket.id.desc()).limit(limit)
        return await self._rows(stmt)

    async def search_complaints(
        self, words: Sequence[str], numbers: Sequence[str], limit: int
    ) -> list[Row]:
        """Returns complaints matching every word (number, text, the related ticket's number
        and OPD), newest first. Never the complainant's name: it may be confidential."""
        conditions = [
            or_(
                _contains(Complaint.number, word),
                _contains(Complaint.text, word),
                _contains(Ticket.number, word),
                _contains(Opd.name, word),
                _contains(Opd.code, word),
                Complaint.number.in_(numbers) if numbers else false(),
            )
            for word in words
        ]
        stmt = (
            _complaint_select()
            .outerjoin(Opd, Opd.id == Ticket.opd_id)
            .where(and_(*conditions))
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
        return await self._rows(stmt)


@cache  # built once, as _ticket_select
def _complaint_select() -> AnySelect:
    """Returns the columns of a complaint's list line (a `ComplaintView` without identity)."""
    officer = aliased(User)
    official = aliased(User)
    recorder = aliased(User)
    return (
        select(
            Complaint.id,
            Complaint.number,
            Complaint.status,
            Complaint.category,
            Complaint.channel,
            Complaint.complainant_id,
            Complaint.confidential,
            Complaint.escalated,
            Ticket.number.label("ticket_number"),
            Complaint.text,
            officer.full_name.label("officer_name"),
            official.full_name.label("official_name"),
            recorder.full_name.label("recorded_by_name"),
            Complaint.received_at,
            Complaint.response_due_at,
            Complaint.resolution_due_at,
            Complaint.response,
            Complaint.response_delivery,
            Complaint.response_count,
        )
        .outerjoin(Ticket, Ticket.id == Complaint.ticket_id)
        .outerjoin(officer, officer.id == Complaint.officer_id)
        .outerjoin(official, official.id == Complaint.official_id)
        .outerjoin(recorder, recorder.id == Complaint.recorded_by_id)
    )
