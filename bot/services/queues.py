"""The work queues of `/status`: what waits for each role, one section per role the user holds.

- reporter and technician: the OPD's tickets, the technician's jobs and unclaimed tickets
  (unchanged from before: :class:`bot.services.tickets.StatusOverview`);
- penanggung jawab (coordinator): reports waiting for disposition, material requests waiting
  for approval, and escalations the SLA ladder sent to coordinators that still hold (a passed
  response time or target, an approval waiting too long, a repair the OPD has not confirmed);
- complaints official: the escalated complaints still open, the earliest due first;
- kabid (role `supervisor`) and admin: the overview of open work and the oldest open tickets.

Every section reads its lists with at most three statements (columns only, no ORM objects:
:mod:`db.queries_queues`), and pages in memory over at most :data:`SCAN_LIMIT` rows per list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from bot.config import Settings
from bot.services import complaints, sla, tickets
from bot.services import ticket_flow as flow
from bot.services.complaints import ComplaintCategory, ComplaintStatus, ComplaintView
from bot.services.complaints.model import Channel
from bot.services.context import Context
from bot.services.domain import (
    OPEN_STATES,
    Category,
    Impact,
    LetterStatus,
    Role,
    Status,
    TicketView,
)
from bot.services.errors import NotAllowed, NotFound, found
from bot.services.sla import Audience, StepCode
from bot.services.tickets import LIST_LIMIT, StatusOverview
from bot.services.uow import UnitOfWork
from bot.services.users import require_user
from db.models import User
from db.queries_queues import QueueQueries, Row

PAGE_SIZE = 5
SCAN_LIMIT = 500
# The finished states, in Status's order (db.models.DONE_TICKET spells them the same way).
DONE_STATES: tuple[str, ...] = tuple(s.value for s in Status if s.value not in OPEN_STATES)


class Section(IntEnum):
    """The paged sections of `/status` (the number travels in the paging buttons)."""

    COORDINATOR = 1
    OFFICIAL = 2
    SUPERVISOR = 3


# Who sees which paged section.
SECTION_ROLES: Mapping[Section, frozenset[str]] = {
    Section.COORDINATOR: frozenset({Role.COORDINATOR.value}),
    Section.OFFICIAL: frozenset({Role.OFFICIAL.value}),
    Section.SUPERVISOR: frozenset({Role.SUPERVISOR.value, Role.ADMIN.value}),
}


class ItemKind(StrEnum):
    """Why an item waits in the coordinator's queue."""

    DISPOSITION = "disposition"
    APPROVAL = "approval"
    ESCALATION = "escalation"


# The states in which an escalation to the coordinators still holds: an unclaimed ticket is
# still unclaimed, a passed target still unrepaired, an approval still pending, a repair still
# unconfirmed (a hold keeps the stage, so a held ticket keeps its escalation).
STILL_OPEN: Mapping[StepCode, frozenset[str]] = {
    StepCode.RESPONSE_PASSED: frozenset({"NEW", "DISPOSED", "ON_HOLD"}),
    StepCode.TARGET_PASSED: frozenset(
        {"NEW", "DISPOSED", "CHECKING", "AWAITING_APPROVAL", "REPAIRING", "ON_HOLD"}
    ),
    StepCode.APPROVAL_WAITING: frozenset({"AWAITING_APPROVAL", "ON_HOLD"}),
    StepCode.REPAIRED_ESCALATION: frozenset({"REPAIRED", "ON_HOLD"}),
}


def coordinator_steps(settings: Settings) -> list[str]:
    """Returns the ladder steps addressed to the coordinators (as the ladder is configured)."""
    codes = {
        step.code.value
        for steps in sla.ladder(settings).values()
        for step in steps
        if step.audience is Audience.COORDINATORS
    }
    return sorted(codes)


@dataclass(frozen=True)
class Paging:
    """Which page of how many a section shows."""

    page: int
    pages: int


@dataclass(frozen=True)
class CoordinatorItem:
    """One item of the coordinator's queue: a ticket and why it waits for them."""

    kind: ItemKind
    ticket: TicketView
    since: datetime  # received, request submitted, or first escalation fired
    request_id: int | None = None
    technician_name: str | None = None
    escalations: tuple[StepCode, ...] = ()


@dataclass(frozen=True)
class CoordinatorQueue:
    """The penanggung jawab's queue: counts of each list and one page of items."""

    paging: Paging
    dispositions: int
    approvals: int
    escalations: int  # tickets with an escalation that holds (listed here or above)
    items: tuple[CoordinatorItem, ...]


@dataclass(frozen=True)
class OfficialItem:
    """An escalated complaint in the official's queue, with its due times' state."""

    complaint: ComplaintView
    response_overdue: bool
    resolution_overdue: bool


@dataclass(frozen=True)
class OfficialQueue:
    """The complaints official's queue: escalated complaints still open."""

    paging: Paging
    total: int
    items: tuple[OfficialItem, ...]


@dataclass(frozen=True)
class SupervisorOverview:
    """The kabid's overview of open work and one page of the oldest open tickets."""

    paging: Paging
    by_status: tuple[tuple[Status, int], ...]
    open_total: int
    unclaimed: int
    at_risk: int  # the target is near: most of its working time is used
    target_passed: int  # past the target (2 working days), within the deadline
    overdue: int  # past the deadline (5 working days)
    on_hold: int
    complaints_open: int
    complaints_escalated: int
    oldest: tuple[TicketView, ...]


@dataclass(frozen=True)
class StatusAnswer:
    """What `/status` shows a person: each section of each role they hold."""

    tickets: StatusOverview | None
    own_complaints: tuple[ComplaintView, ...]
    coordinator: CoordinatorQueue | None
    official: OfficialQueue | None
    supervisor: SupervisorOverview | None


# --- rows to views ---------------------------------------------------------------------------


def ticket_from_row(row: Row) -> TicketView:
    """Returns the view of a ticket read as columns (no photos, letter or timeline)."""
    return TicketView(
        id=row["id"],
        number=row["number"],
        status=Status(row["status"]),
        opd_name=row["opd_name"],
        category=Category(row["category"]),
        impact=Impact(row["impact"]),
        location=row["location"],
        description=row["description"],
        contact_phone=row["contact_phone"],
        reporter_name=row["reporter_name"],
        reporter_telegram_id=row["reporter_telegram_id"],
        assignee_name=row["assignee_name"],
        assignee_telegram_id=row["assignee_telegram_id"],
        letter_status=LetterStatus(row["letter_status"]),
        received_at=row["received_at"],
        claimed_at=row["claimed_at"],
        target_due_at=row["target_due_at"],
        deadline_due_at=row["deadline_due_at"],
        classification=row["classification"],
        disposition_note=row["disposition_note"],
        reopen_count=row["reopen_count"] or 0,
        rating=row["rating"],
    )


def complaint_from_row(row: Row) -> ComplaintView:
    """Returns a complaint read as columns, as staff see it in a list: without the
    complainant's identity (nor, for a confidential one, the ticket that leads to it)."""
    return ComplaintView(
        id=row["id"],
        number=row["number"],
        status=ComplaintStatus(row["status"]),
        category=ComplaintCategory(row["category"]),
        channel=Channel(row["channel"]),
        complainant_name=None,
        complainant_contact=None,
        identity_hidden=True,
        complainant_in_bot=row["complainant_id"] is not None,
        confidential=row["confidential"],
        escalated=row["escalated"],
        ticket_number=None if row["confidential"] else row["ticket_number"],
        text=row["text"],
        files=(),
        officer_name=row["officer_name"],
        official_name=row["official_name"],
        recorded_by_name=row["recorded_by_name"],
        received_at=row["received_at"],
        response_due_at=row["response_due_at"],
        resolution_due_at=row["resolution_due_at"],
        response=row["response"],
        response_delivery=row["response_delivery"],
        response_count=row["response_count"] or 0,
    )


def paged(items: Sequence[Any], page: int, size: int = PAGE_SIZE) -> tuple[Paging, list[Any]]:
    """Returns one page of a list (a page past the end shows the last one)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return Paging(page, pages), list(items[page * size : (page + 1) * size])


# --- the sections ----------------------------------------------------------------------------


async def tickets_section(uow: UnitOfWork, user: User) -> StatusOverview | None:
    """Returns the reporter's and the technician's lists (as before), or None for others."""
    roles = user.roles
    is_reporter = Role.REPORTER.value in roles and user.opd_id is not None
    is_technician = Role.TECHNICIAN.value in roles
    if not is_reporter and not is_technician:
        return None
    q = QueueQueries(uow.session)
    opd_rows: list[Row] = []
    jobs: list[Row] = []
    unclaimed: list[Row] = []
    if is_reporter and user.opd_id is not None:
        opd_rows = await q.opd_tickets(user.opd_id, OPEN_STATES, DONE_STATES, LIST_LIMIT)
    if is_technician:
        jobs = await q.assigned(user.id, OPEN_STATES, LIST_LIMIT)
        claimable = sorted(s.value for s in flow.TABLE[flow.Action.CLAIM].sources)
        unclaimed = await q.unassigned(claimable, LIST_LIMIT)
    return StatusOverview(
        opd_name=user.opd.name if user.opd and is_reporter else None,
        opd_tickets=tuple(ticket_from_row(r) for r in opd_rows),
        jobs=tuple(ticket_from_row(r) for r in jobs),
        unclaimed=tuple(ticket_from_row(r) for r in unclaimed),
        is_reporter=is_reporter,
        is_technician=is_technician,
    )


async def own_complaints(uow: UnitOfWork, user: User) -> tuple[ComplaintView, ...]:
    """Returns the person's own complaints, newest first, for their list (one statement)."""
    rows = await QueueQueries(uow.session).complaints_of(user.id, complaints.LIST_LIMIT)
    return tuple(complaint_from_row(r) for r in rows)


def _escalated_items(rows: Sequence[Row]) -> list[CoordinatorItem]:
    """Groups the fired steps that still hold by ticket, oldest ticket first."""
    steps: dict[int, list[StepCode]] = {}
    first: dict[int, tuple[Row, datetime]] = {}
    for row in rows:
        code = StepCode(row["step"])
        if row["status"] not in STILL_OPEN.get(code, frozenset()):
            continue
        steps.setdefault(row["id"], [])
        if code not in steps[row["id"]]:
            steps[row["id"]].append(code)
        if row["id"] not in first or row["fired_at"] < first[row["id"]][1]:
            first[row["id"]] = (row, row["fired_at"])
    return [
        CoordinatorItem(
            ItemKind.ESCALATION,
            ticket_from_row(row),
            since,
            escalations=tuple(steps[ticket_id]),
        )
        for ticket_id, (row, since) in first.items()
    ]


async def coordinator_queue(uow: UnitOfWork, ctx: Context, page: int = 0) -> CoordinatorQueue:
    """Returns the penanggung jawab's queue: three statements, whatever the numbers."""
    q = QueueQueries(uow.session)
    new = await q.tickets_in([Status.NEW.value], SCAN_LIMIT)
    pending = await q.pending_requests(SCAN_LIMIT)
    fired = await q.fired_on_open(coordinator_steps(ctx.settings), OPEN_STATES, SCAN_LIMIT)
    escalated = {item.ticket.id: item for item in _escalated_items(fired)}
    dispositions = [
        CoordinatorItem(
            ItemKind.DISPOSITION,
            ticket_from_row(r),
            r["received_at"],
            escalations=_steps_of(escalated, r["id"]),
        )
        for r in new
    ]
    approvals = [
        CoordinatorItem(
            ItemKind.APPROVAL,
            ticket_from_row(r),
            r["request_submitted_at"],
            request_id=r["request_id"],
            technician_name=r["request_technician"],
            escalations=_steps_of(escalated, r["id"]),
        )
        for r in pending
    ]
    # An escalation of a ticket listed above shows with it; the others are listed on their own.
    listed = {item.ticket.id for item in (*dispositions, *approvals)}
    escalations = [item for item in escalated.values() if item.ticket.id not in listed]
    paging, items = paged([*dispositions, *approvals, *escalations], page)
    # Only the shown items get their SLA marks (calendar maths per item).
    shown = tuple(_annotated(item, ctx) for item in items)
    return CoordinatorQueue(paging, len(dispositions), len(approvals), len(escalated), shown)


def _steps_of(escalated: Mapping[int, CoordinatorItem], ticket_id: int) -> tuple[StepCode, ...]:
    item = escalated.get(ticket_id)
    return item.escalations if item is not None else ()


def _annotated(item: CoordinatorItem, ctx: Context) -> CoordinatorItem:
    return CoordinatorItem(
        item.kind,
        sla.annotate(item.ticket, ctx),
        item.since,
        item.request_id,
        item.technician_name,
        item.escalations,
    )


ESCALATED_OPEN = (
    ComplaintStatus.ESCALATED.value,
    ComplaintStatus.RESPONDED.value,
    ComplaintStatus.RESOLVED.value,
)


async def official_queue(uow: UnitOfWork, ctx: Context, page: int = 0) -> OfficialQueue:
    """Returns the escalated complaints not yet closed, the earliest due first (one
    statement)."""
    rows = await QueueQueries(uow.session).escalated_complaints(ESCALATED_OPEN, SCAN_LIMIT)
    paging, shown = paged(rows, page)
    items = tuple(
        OfficialItem(
            view,
            response_overdue=view.response_count == 0 and view.response_due_at < ctx.now,
            resolution_overdue=view.status is not ComplaintStatus.RESOLVED
            and view.resolution_due_at < ctx.now,
        )
        for view in (complaint_from_row(r) for r in shown)
    )
    return OfficialQueue(paging, len(rows), items)


def _risk(view: TicketView, ctx: Context) -> tuple[bool, bool, bool]:
    """Returns (at risk, target passed, deadline passed) of a ticket whose clocks run."""
    now, calendar = ctx.now, ctx.calendar
    if view.deadline_due_at < now:
        return False, False, True
    if view.target_due_at < now:
        return False, True, False
    span = calendar.working_minutes_between(view.received_at, view.target_due_at)
    used = calendar.working_minutes_between(view.received_at, now)
    return span > 0 and used * 100 >= span * ctx.settings.sla_at_risk_percent, False, False


async def supervisor_overview(uow: UnitOfWork, ctx: Context, page: int = 0) -> SupervisorOverview:
    """Returns the kabid's overview: counts per state, risk, complaints, the oldest open tickets
    (three statements)."""
    q = QueueQueries(uow.session)
    counts = await q.count_by_status(OPEN_STATES)
    rows = await q.tickets_in(OPEN_STATES, SCAN_LIMIT)
    complaint_counts = await q.complaint_counts(complaints.OPEN_STATES)
    by_status = {Status(r["status"]): int(r["count"]) for r in counts}
    at_risk = target_passed = overdue = 0
    views = [ticket_from_row(r) for r in rows]
    for view in views:
        if view.status is Status.ON_HOLD:
            continue  # a hold pauses the clocks
        risky, passed, late = _risk(view, ctx)
        at_risk += risky
        target_passed += passed
        overdue += late
    paging, oldest = paged(views, page)
    return SupervisorOverview(
        paging=paging,
        by_status=tuple((s, by_status[s]) for s in Status if by_status.get(s)),
        open_total=sum(by_status.values()),
        unclaimed=sum(
            int(r["unassigned"] or 0)
            for r in counts
            if r["status"] in (Status.NEW.value, Status.DISPOSED.value)
        ),
        at_risk=at_risk,
        target_passed=target_passed,
        overdue=overdue,
        on_hold=by_status.get(Status.ON_HOLD, 0),
        complaints_open=sum(int(r["count"]) for r in complaint_counts),
        complaints_escalated=sum(int(r["count"]) for r in complaint_counts if r["escalated"]),
        oldest=tuple(sla.annotate(v, ctx) for v in oldest),
    )


# --- the use cases ---------------------------------------------------------------------------


def roles_of(user: User, ctx: Context) -> frozenset[str]:
    """Returns a user's roles, a bootstrap admin (`ADMIN_IDS`) an admin's too."""
    admin = user.telegram_id in ctx.settings.admin_ids
    return user.roles | {Role.ADMIN.value} if admin else user.roles


def _holds(user: User, ctx: Context, section: Section) -> bool:
    return bool(roles_of(user, ctx) & SECTION_ROLES[section])


async def status(uow: UnitOfWork, ctx: Context) -> StatusAnswer:
    """Returns every section of `/status` the actor's roles give them."""
    await uow.read_only()
    user = await require_user(uow, ctx.who)
    answer = StatusAnswer(
        tickets=await tickets_section(uow, user),
        own_complaints=await own_complaints(uow, user),
        coordinator=(
            await coordinator_queue(uow, ctx) if _holds(user, ctx, Section.COORDINATOR) else None
        ),
        official=await official_queue(uow, ctx) if _holds(user, ctx, Section.OFFICIAL) else None,
        supervisor=(
            await supervisor_overview(uow, ctx) if _holds(user, ctx, Section.SUPERVISOR) else None
        ),
    )
    if not (
        answer.tickets
        or answer.own_complaints
        or answer.coordinator
        or answer.official
        or answer.supervisor
    ):
        raise NotAllowed("no_tickets_role")
    return answer


async def section(
    uow: UnitOfWork, ctx: Context, which: Section, page: int
) -> CoordinatorQueue | OfficialQueue | SupervisorOverview:
    """Returns another page of a section, to someone who still holds its role."""
    user = await require_user(uow, ctx.who)
    if not _holds(user, ctx, which):
        raise NotAllowed()
    match which:
        case Section.COORDINATOR:
            return await coordinator_queue(uow, ctx, page)
        case Section.OFFICIAL:
            return await official_queue(uow, ctx, page)
        case Section.SUPERVISOR:
            return await supervisor_overview(uow, ctx, page)


async def open_ticket(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Returns a ticket of a list with its timeline, as `/tiket` shows it."""
    ticket = found(await uow.tickets.get(ticket_id), NotFound(what="ticket"))
    return await tickets.detail(uow, ctx, ticket.number)


async def open_complaint(uow: UnitOfWork, ctx: Context, complaint_id: int) -> ComplaintView:
    """Returns a complaint of a list with its timeline, as `/tiket ADU-...` shows it privately."""
    complaint = found(await uow.complaints.get(complaint_id), NotFound(what="complaint"))
    return await complaints.detail(uow, ctx, complaint.number)
