"""Queries of the evaluation reports: the period's rows, columns only, and the report schedule.

Rows become their dataclasses positionally: the select lists the columns in the field order.

Kept apart from ``db.repositories`` (the reports read many rows at once and never load ORM
objects with their relationships); like every repository it never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from db.models import (
    Complaint,
    Opd,
    ReportDelivery,
    ReportFiring,
    Ticket,
    TicketEvent,
    User,
)
from db.repositories import _Repo


@dataclass(frozen=True, slots=True)
class TicketRow:
    """The columns of a ticket the report reads."""

    id: int
    number: str
    opd_name: str
    category: str
    classification: str | None
    status: str
    assignee_name: str | None
    received_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None
    rating: int | None


@dataclass(frozen=True, slots=True)
class EventRow:
    """One ticket event: when, what, from which state to which."""

    ticket_id: int
    at: datetime
    kind: str
    from_status: str | None
    to_status: str | None


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    """The columns of a complaint the report reads."""

    number: str
    channel: str
    category: str
    status: str
    escalated: bool
    received_at: datetime
    response_due_at: datetime
    resolution_due_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    """A report's documents still to be sent to one chat."""

    id: int
    chat_id: int
    kind: str
    period_start: date
    period_end: date
    attempts: int


class ReportRepo(_Repo):
    """The rows of a period and the schedule of the quarterly pack and monthly summary."""

    async def tickets(self, start: datetime, end: datetime) -> list[TicketRow]:
        """Returns the tickets received in [start, end), oldest first."""
        assignee = aliased(User)
        stmt = (
            select(
                Ticket.id,
                Ticket.number,
                Opd.name.label("opd_name"),
                Ticket.category,
                Ticket.classification,
                Ticket.status,
                assignee.full_name.label("assignee_name"),
                Ticket.received_at,
                Ticket.claimed_at,
                Ticket.closed_at,
                Ticket.rating,
            )
            .join(Opd, Opd.id == Ticket.opd_id)
            .outerjoin(assignee, assignee.id == Ticket.assignee_id)
            .where(Ticket.received_at >= start, Ticket.received_at < end)
            .order_by(Ticket.received_at, Ticket.id)
        )
        return [TicketRow(*row) for row in await self.session.execute(stmt)]

    async def events(self, start: datetime, end: datetime) -> list[EventRow]:
        """Returns the events of the tickets received in [start, end), in order per ticket."""
        stmt = (
            select(
                TicketEvent.ticket_id,
                TicketEvent.at,
                TicketEvent.kind,
                TicketEvent.from_status,
                TicketEvent.to_status,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.received_at >= start, Ticket.received_at < end)
            .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
        )
        return [EventRow(*row) for row in await self.session.execute(stmt)]

    async def complaints(self, start: datetime, end: datetime) -> list[ComplaintRow]:
        """Returns the complaints received in [start, end), oldest first."""
        stmt = (
            select(
                Complaint.number,
                Complaint.channel,
                Complaint.category,
                Complaint.status,
                Complaint.escalated,
                Complaint.received_at,
                Complaint.response_due_at,
                Complaint.resolution_due_at,
                Complaint.responded_at,
                Complaint.resolved_at,
                Complaint.closed_at,
            )
            .where(Complaint.received_at >= start, Complaint.received_at < end)
            .order_by(Complaint.received_at, Complaint.id)
        )
        return [ComplaintRow(*row) for row in await self.session.execute(stmt)]

    async def fire(self, kind: str, first: date, last: date, now: datetime) -> int | None:
        """Records a scheduled report of a period; returns its id, or None if already fired."""
        stmt = (
            self._insert(ReportFiring)
            .values(kind=kind, period_start=first, period_end=last, fired_at=now)
            .on_conflict_do_nothing()
            .returning(ReportFiring.id)
        )
        return (await self.session.execute(stmt)).scalar()

    def add_delivery(self, firing_id: int, chat_id: int) -> None:
        """Queues a report's documents for one chat."""
        self.session.add(
            ReportDelivery(firing_id=firing_id, chat_id=chat_id, status="pending", attempts=0)
        )

    async def pending(self, limit: int) -> list[PendingDelivery]:
        """Returns the document deliveries still to be made, oldest first."""
        stmt = (
            select(
                ReportDelivery.id,
                ReportDelivery.chat_id,
                ReportFiring.kind,
                ReportFiring.period_start,
                ReportFiring.period_end,
                ReportDelivery.attempts,
            )
            .join(ReportFiring, ReportFiring.id == ReportDelivery.firing_id)
            .where(ReportDelivery.status == "pending")
            .order_by(ReportDelivery.id)
            .limit(limit)
        )
        return [PendingDelivery(**row._asdict()) for row in await self.session.execute(stmt)]

    async def mark(
        self,
        delivery_id: int,
        status: str,
        now: datetime | None,
        error: str | None = None,
        attempts: int | None = None,
    ) -> None:
        """Records the outcome of one delivery attempt."""
        values: dict[str, object] = {"status": status, "sent_at": now, "last_error": error}
        if attempts is not None:
            values["attempts"] = attempts
        await self.session.execute(
            update(ReportDelivery).where(ReportDelivery.id == delivery_id).values(values)
        )

    async def firings(self) -> Sequence[ReportFiring]:
        """Returns every recorded firing (tests and diagnostics)."""
        return (await self.session.scalars(select(ReportFiring).order_by(ReportFiring.id))).all()
