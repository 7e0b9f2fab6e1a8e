"""SLA clocks and the escalation ladder of fault tickets (DESIGN §4).

Clocks run in working time of the business calendar: response (received -> claimed), target
and deadline (N working days). Time spent ON_HOLD, read from the event log, pushes every clock
back by the paused working time; the ``*_due_at`` columns of a ticket are only a cache of what
the log implies and are recomputed (never patched) by :func:`reschedule`.

The database is the schedule: every open ticket keeps ``next_check_at``, the moment its next
ladder step falls due, moved to the next office opening. The sweep selects due tickets, records
each step in ``sla_firing`` under a unique (ticket, step, entry) key with ON CONFLICT DO
NOTHING, and only the sweep that inserted a row sends it, so restarts and concurrent sweeps
neither repeat nor skip a step.

Besides the ticket's clocks (once per ticket, entry 0), some steps measure a stage of the
workflow: how long a material request has waited for approval, how long a repaired ticket has
waited for the OPD's confirmation. Those states can be entered again (a revised request, a
repair after "not fixed"), so such a step is keyed by the stage's entry (the id of the event that
entered the state, stored on the ticket with the entry time): it fires once per entry. A hold
and its resume keep the stage; the stage clock does not pause (approval time is measured, not
paused, DESIGN §4).

Delivery only in office hours: the sweep does nothing while the office is closed, and
``next_check_at`` always lies at an opening, so steps that fall due at closing time, at night
or over a holiday are all picked up by the first sweep after the next opening. Each sweep
groups what it fires per chat into one digest message, which is how an overnight backlog
arrives as one message per chat instead of a burst. The morning digest rides in the same
message, once per working day (``sla_digest`` keyed by date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.config import Settings
from bot.services.calendar import BusinessCalendar, Remaining
from bot.services.context import Context
from bot.services.domain import OPEN_STATES, Role, SlaInfo, Status, TicketView
from bot.services.notices import LetterReminder, SlaDigest
from bot.services.tech_group import tech_group_id
from bot.services.uow import UnitOfWork
from db.models import Ticket, TicketEvent
from db.repositories import DueTicket

SWEEP_LIMIT = 200
DIGEST_SCAN_LIMIT = 500
DIGEST_LIST_MAX = 10
EVENT_PREFIX = "sla:"


class ClockName(StrEnum):
    """The clocks of a fault ticket."""

    RESPONSE = "response"
    TARGET = "target"
    DEADLINE = "deadline"
    STAGE = "stage"  # time since the ticket entered its current state (once per entry)
    LETTER = "letter"  # openings after the report, while the request letter is awaited


class Audience(StrEnum):
    """Who a ladder step is addressed to."""

    GROUP = "group"  # the technician group
    COORDINATORS = "coordinators"  # penanggung jawab, privately
    ASSIGNEE = "assignee"  # the technician handling the ticket, privately
    SUPERVISORS = "supervisors"  # the head of division (kabid), privately
    REPORTER = "reporter"  # the ticket's reporter, privately


class StepCode(StrEnum):
    """Stable names of ladder steps: the unique key of a firing and its event kind."""

    RESPONSE_REMINDER = "response_reminder"
    RESPONSE_PASSED = "response_passed"
    TARGET_REMINDER = "target_reminder"
    TARGET_PASSED = "target_passed"
    DEADLINE_WARNING = "deadline_warning"
    DEADLINE_PASSED = "deadline_passed"
    APPROVAL_WAITING = "approval_waiting"
    REPAIRED_REMINDER = "repaired_reminder"
    REPAIRED_ESCALATION = "repaired_escalation"
    LETTER_REMINDER_1 = "letter_reminder_1"
    LETTER_REMINDER_2 = "letter_reminder_2"
    LETTER_REMINDER_3 = "letter_reminder_3"


# The request letter's reminders, in order: the n-th falls due at the opening of the n-th
# working day after the day of the report.
LETTER_REMINDERS = (
    StepCode.LETTER_REMINDER_1,
    StepCode.LETTER_REMINDER_2,
    StepCode.LETTER_REMINDER_3,
)


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: when (a share of a clock, or a time in a stage) and to whom.

    A STAGE step falls due ``minutes`` working minutes, or ``days`` working days (close of
    office of the N-th working day after the day of entry), after the ticket entered its state.
    """

    code: StepCode
    clock: ClockName
    percent: int
    audience: Audience
    breach: bool = False
    minutes: int = 0
    days: int = 0

    @property
    def per_entry(self) -> bool:
        """Whether the step fires once per entry into the state rather than once per ticket."""
        return self.clock is ClockName.STAGE


# Each ladder step's clock, its audience and whether it records the breach (DESIGN §4); the
# settings say when it falls due.
_RUNGS: Mapping[StepCode, tuple[ClockName, Audience, bool]] = {
    StepCode.RESPONSE_REMINDER: (ClockName.RESPONSE, Audience.GROUP, False),
    StepCode.RESPONSE_PASSED: (ClockName.RESPONSE, Audience.COORDINATORS, False),
    StepCode.TARGET_REMINDER: (ClockName.TARGET, Audience.ASSIGNEE, False),
    StepCode.TARGET_PASSED: (ClockName.TARGET, Audience.COORDINATORS, False),
    StepCode.DEADLINE_WARNING: (ClockName.DEADLINE, Audience.SUPERVISORS, False),
    StepCode.DEADLINE_PASSED: (ClockName.DEADLINE, Audience.SUPERVISORS, True),
    StepCode.APPROVAL_WAITING: (ClockName.STAGE, Audience.COORDINATORS, False),
    StepCode.REPAIRED_REMINDER: (ClockName.STAGE, Audience.REPORTER, False),
    StepCode.REPAIRED_ESCALATION: (ClockName.STAGE, Audience.COORDINATORS, False),
    **dict.fromkeys(LETTER_REMINDERS, (ClockName.LETTER, Audience.REPORTER, False)),
}


def _rung(
    code: StepCode, percent: int = 0, *, minutes: int = 0, days: int = 0
) -> tuple[Step, ...]:
    """Returns the step, or none where the settings switch it off (a share or a time of 0)."""
    if not (percent or minutes or days):
        return ()
    clock, audience, breach = _RUNGS[code]
    return (Step(code, clock, percent, audience, breach, minutes=minutes, days=days),)


def ladder(settings: Settings) -> Mapping[Status, tuple[Step, ...]]:
    """Returns the ladder steps that apply in each ticket state, as configured.

    States missing from the table (CLOSED, CANCELLED) run no clock, ON_HOLD only the request
    letter's reminders (every open state has them). AWAITING_APPROVAL adds the approval wait,
    REPAIRED the reminders while the OPD has not confirmed.
    """
    s = settings
    response = (
        *_rung(StepCode.RESPONSE_REMINDER, s.sla_response_reminder_percent),
        *_rung(StepCode.RESPONSE_PASSED, 100 if s.sla_response_escalation else 0),
    )
    target_reminder = _rung(StepCode.TARGET_REMINDER, s.sla_target_reminder_percent)
    common = (
        *_rung(StepCode.TARGET_PASSED, 100 if s.sla_target_escalation else 0),
        *_rung(StepCode.DEADLINE_WARNING, s.sla_deadline_warning_percent),
        # The breach is always recorded, whatever else is switched off.
        *_rung(StepCode.DEADLINE_PASSED, 100),
    )
    approval = _rung(StepCode.APPROVAL_WAITING, minutes=s.sla_approval_wait_working_minutes)
    repaired = (
        *_rung(StepCode.REPAIRED_REMINDER, days=s.sla_repaired_reminder_working_days),
        *_rung(StepCode.REPAIRED_ESCALATION, days=s.sla_repaired_escalation_working_days),
    )
    letter = tuple(
        step
        for day, code in enumerate(LETTER_REMINDERS[: s.sla_letter_reminders], 1)
        for step in _rung(code, days=day)
    )
    unclaimed = (*response, *common, *letter)
    working = (*target_reminder, *common, *letter)
    return {
        Status.NEW: unclaimed,
        Status.DISPOSED: unclaimed,
        Status.CHECKING: working,
        Status.AWAITING_APPROVAL: (*working, *approval),
        Status.REPAIRING: working,
        Status.REPAIRED: (*working, *repaired),
        Status.ON_HOLD: letter,
    }


def starts_stage(before: str | None, after: str) -> bool:
    """Whether a move starts a new stage: a change of state other than a hold or a resume.

    Where it does, the caller records the entry on the ticket (``state_entered_at`` and
    ``state_entry_id``, the id of the event of the move) before :func:`reschedule`.
    """
    return after != before and Status.ON_HOLD.value not in (before, after)


def approval_wait_minutes(
    request_submitted: datetime, decided_or_now: datetime, calendar: BusinessCalendar
) -> float:
    """Returns the working minutes a material request waited (or has waited) for a decision.

    Measured from submission to the decision (or to now while pending); holds do not count
    against it, as the approval time is measured separately and pauses nothing.
    """
    return calendar.working_minutes_between(request_submitted, decided_or_now)


@dataclass(frozen=True)
class Clocks:
    """The due moments of a ticket's clocks, derived from its received time and event log."""

    received_at: datetime
    response_due: datetime
    target_due: datetime
    deadline_due: datetime
    paused_minutes: float


def holds(events: Iterable[TicketEvent], now: datetime) -> list[tuple[datetime, datetime]]:
    """Returns the ON_HOLD intervals of a ticket in order (an ongoing hold lasts until now)."""
    intervals: list[tuple[datetime, datetime]] = []
    held_since: datetime | None = None
    for event in events:
        if event.to_status == Status.ON_HOLD.value and held_since is None:
            held_since = event.at
        elif event.from_status == Status.ON_HOLD.value and held_since is not None:
            intervals.append((held_since, event.at))
            held_since = None
    if held_since is not None:
        intervals.append((held_since, max(held_since, now)))
    return intervals


def _extend(
    due: datetime, intervals: Sequence[tuple[datetime, datetime]], calendar: BusinessCalendar
) -> datetime:
    # Only a hold that starts before the clock ran out pauses it; each one pushes the due
    # moment back by its working time, in order, so a later hold sees the moved due.
    for start, end in intervals:
        if start < due:
            due = calendar.add_working_minutes(due, calendar.working_minutes_between(start, end))
    return due


def derive(received_at: datetime, events: Iterable[TicketEvent], ctx: Context) -> Clocks:
    """Returns the clocks: received time plus working time plus paused working time."""
    calendar, settings = ctx.calendar, ctx.settings
    intervals = holds(events, ctx.now)
    return Clocks(
        received_at=received_at,
        response_due=_extend(
            calendar.add_working_minutes(received_at, settings.response_working_minutes),
            intervals,
            calendar,
        ),
        target_due=_extend(
            calendar.add_working_days(received_at, settings.target_working_days),
            intervals,
            calendar,
        ),
        deadline_due=_extend(
            calendar.add_working_days(received_at, settings.deadline_working_days),
            intervals,
            calendar,
        ),
        paused_minutes=sum(calendar.working_minutes_between(a, b) for a, b in intervals),
    )


class Clocked(Protocol):
    """What the ladder reads of a ticket: an ORM ticket or the sweep's lighter DueTicket."""

    @property
    def received_at(self) -> datetime: ...
    @property
    def response_due_at(self) -> datetime | None: ...
    @property
    def target_due_at(self) -> datetime: ...
    @property
    def deadline_due_at(self) -> datetime: ...
    @property
    def state_entered_at(self) -> datetime | None: ...
    @property
    def state_entry_id(self) -> int | None: ...
    @property
    def letter_status(self) -> str: ...


def _due(ticket: Clocked, clock: ClockName) -> datetime | None:
    match clock:
        case ClockName.RESPONSE:
            return ticket.response_due_at
        case ClockName.TARGET:
            return ticket.target_due_at
        case ClockName.DEADLINE:
            return ticket.deadline_due_at
        case ClockName.STAGE | ClockName.LETTER:
            return None


def entry_of(ticket: Clocked, step: Step) -> int:
    """Returns the entry a firing of the step is keyed by: the stage's, or 0 per ticket."""
    return (ticket.state_entry_id or 0) if step.per_entry else 0


def step_moment(ticket: Clocked, step: Step, calendar: BusinessCalendar) -> datetime | None:
    """Returns when a step falls due: its share of the working time from receipt to the due,
    or for a stage step its time after the ticket entered its state, or for a letter reminder
    the opening of its working day while the letter is awaited."""
    if step.clock is ClockName.LETTER:
        if ticket.letter_status != "follows":
            return None
        day = calendar.add_working_days(ticket.received_at, step.days)
        return calendar.segments_on(day.date())[0][0]
    if step.per_entry:
        entered = ticket.state_entered_at
        if entered is None or ticket.state_entry_id is None:
            return None
        if step.days:
            return calendar.add_working_days(entered, step.days)
        return calendar.add_working_minutes(entered, step.minutes)
    due = _due(ticket, step.clock)
    if due is None:
        return None
    if step.percent >= 100:
        return due
    span = calendar.working_minutes_between(ticket.received_at, due)
    return calendar.add_working_minutes(ticket.received_at, span * step.percent / 100)


def plan(
    ticket: Clocked,
    steps: Sequence[Step],
    fired: set[tuple[str, int]],
    calendar: BusinessCalendar,
    now: datetime,
) -> tuple[list[Step], datetime | None]:
    """Returns the steps due now and the next check time (at an opening), or None if done.

    ``fired`` holds the (step, entry) keys already recorded for the ticket.
    """
    due: list[Step] = []
    upcoming: datetime | None = None
    for step in steps:
        if (step.code.value, entry_of(ticket, step)) in fired:
            continue
        moment = step_moment(ticket, step, calendar)
        if moment is None:
            continue
        if moment <= now:
            due.append(step)
        elif upcoming is None or moment < upcoming:
            upcoming = moment
    if upcoming is None:
        return due, None
    return due, calendar.next_opening(upcoming)


# The columns :func:`reschedule` sets on a ticket.
CLOCK_COLUMNS = ("response_due_at", "target_due_at", "deadline_due_at", "next_check_at")


def _stored_clocks_hold(ticket: Ticket, ctx: Context) -> bool:
    """Whether the ticket's stored due dates are those of a log without holds (no hold moved
    them, and the settings and calendar are those they were computed with)."""
    plain = derive(ticket.received_at, (), ctx)
    return (plain.response_due, plain.target_due, plain.deadline_due) == (
        ticket.response_due_at,
        ticket.target_due_at,
        ticket.deadline_due_at,
    )


async def reschedule(
    uow: UnitOfWork,
    ticket: Ticket,
    ctx: Context,
    *,
    events: Sequence[TicketEvent] | None = None,
    new_ticket: bool = False,
    new_entry: bool = False,
    holds_unchanged: bool = False,
) -> None:
    """Recomputes a ticket's due dates from its event log and sets its next check time.

    A caller that holds the whole log (a new ticket) passes it. No firing can name a new
    ticket, nor (`new_entry`) the new entry of a ticket that has just entered its state. The
    changes to the ticket are written by the caller's next flush, as one UPDATE.

    Statements are spared where they cannot change the outcome. `holds_unchanged` (a move
    that neither starts nor ends a hold): the due dates depend on the log's holds only, so
    when the stored ones are those of a log without holds, the log is not read. And without
    holds a step that has fired is one whose moment has come (nothing moved it later): while
    no step is due, the fired steps are not read either. (Where a calendar change moved a
    fired step later, the next check may come at that step: the sweep then finds it fired and
    only sets the next check again.)
    """
    with uow.session.no_autoflush:  # the log and the firings do not depend on the changes
        if events is None and holds_unchanged and _stored_clocks_hold(ticket, ctx):
            events = ()
        if events is None:
            events = await uow.events.for_ticket(ticket.id)
        clocks = derive(ticket.received_at, events, ctx)
        ticket.response_due_at = clocks.response_due
        ticket.target_due_at = clocks.target_due
        ticket.deadline_due_at = clocks.deadline_due
        steps = ladder(ctx.settings).get(Status(ticket.status), ())
        unfired = new_ticket or (new_entry and all(step.per_entry for step in steps))
        due, upcoming = plan(ticket, steps, set(), ctx.calendar, ctx.now)
        if steps and not unfired and (due or clocks.paused_minutes or holds(events, ctx.now)):
            fired = {(f.step, f.entry_id) for f in await uow.sla.firings_for(ticket.id)}
            due, upcoming = plan(ticket, steps, fired, ctx.calendar, ctx.now)
    # Steps already due are left for the sweep, which records and delivers them.
    ticket.next_check_at = ctx.calendar.next_opening(ctx.now) if due else upcoming


async def recompute_open(uow: UnitOfWork, ctx: Context) -> int:
    """Recomputes the due dates of every open ticket (after a calendar change); no commit."""
    tickets = await uow.sla.open_tickets(OPEN_STATES, limit=1_000_000)
    for ticket in tickets:
        await reschedule(uow, ticket, ctx)
    return len(tickets)


def _deadline(
    calendar: BusinessCalendar, now: datetime, received_at: datetime, due: datetime, percent: int
) -> tuple[Remaining, bool]:
    """Returns the working time left to a deadline and whether it is at risk (`percent` used)."""
    left = calendar.remaining(now, due)
    span = calendar.working_minutes_between(received_at, due)
    used = calendar.working_minutes_between(received_at, now)
    return left, not left.overdue and span > 0 and used * 100 >= span * percent


def info(view: TicketView, calendar: BusinessCalendar, now: datetime, percent: int) -> SlaInfo:
    """Returns the working time left and the risk marks of a ticket at a moment."""
    deadline, at_risk = _deadline(calendar, now, view.received_at, view.deadline_due_at, percent)
    return SlaInfo(
        target=calendar.remaining(now, view.target_due_at),
        deadline=deadline,
        at_risk=at_risk,
        breached=deadline.overdue,
    )


def annotate(view: TicketView, ctx: Context) -> TicketView:
    """Returns the view with its SLA marks and, when the office is closed, the next opening."""
    calendar, now = ctx.calendar, ctx.now
    opens_at = None if calendar.is_open(now) else calendar.next_opening(now)
    if view.status in (Status.CLOSED, Status.CANCELLED, Status.ON_HOLD):
        return replace(view, opens_at=opens_at)
    return replace(
        view,
        sla=info(view, calendar, now, ctx.settings.sla_at_risk_percent),
        opens_at=opens_at,
    )


# --- the sweep ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """One fired ladder step, as the digest shows it."""

    number: str
    opd_name: str
    step: StepCode
    due_at: datetime
    assignee_name: str | None
    remaining: Remaining
    audience: Audience = Audience.GROUP
    ticket_id: int = 0


@dataclass(frozen=True)
class DigestTicket:
    """One open ticket in the morning digest."""

    number: str
    opd_name: str
    status: Status
    received_at: datetime
    assignee_name: str | None
    deadline: Remaining
    at_risk: bool
    breached: bool


@dataclass(frozen=True)
class MorningDigest:
    """The open work at opening time: what technicians and supervisors see each working day."""

    day: date
    open_count: int
    tickets: tuple[DigestTicket, ...]  # oldest first, at most DIGEST_LIST_MAX
    unclaimed: tuple[DigestTicket, ...]  # each list at most DIGEST_LIST_MAX ...
    at_risk: tuple[DigestTicket, ...]
    breached: tuple[DigestTicket, ...]
    unclaimed_count: int  # ... while the counts are of all open tickets
    at_risk_count: int
    breached_count: int


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: how many ladder steps fired and whether the morning digest went."""

    fired: int
    digest: bool


async def _morning_digest(uow: UnitOfWork, ctx: Context) -> MorningDigest:
    now, calendar, settings = ctx.now, ctx.calendar, ctx.settings
    rows = await uow.sla.open_tickets(OPEN_STATES, DIGEST_SCAN_LIMIT)
    items: list[DigestTicket] = []
    for ticket in rows:
        deadline, at_risk = _deadline(
            calendar, now, ticket.received_at, ticket.deadline_due_at, settings.sla_at_risk_percent
        )
        items.append(
            DigestTicket(
                number=ticket.number,
                opd_name=ticket.opd.name,
                status=Status(ticket.status),
                received_at=ticket.received_at,
                assignee_name=ticket.assignee.full_name if ticket.assignee else None,
                deadline=deadline,
                at_risk=at_risk,
                breached=deadline.overdue or ticket.breached_at is not None,
            )
        )
    unclaimed = [i for i in items if i.assignee_name is None]
    risky = [i for i in items if i.at_risk]
    breached = [i for i in items if i.breached]
    return MorningDigest(
        day=now.astimezone(calendar.tz).date(),
        open_count=len(items),
        tickets=tuple(items[:DIGEST_LIST_MAX]),
        unclaimed=tuple(unclaimed[:DIGEST_LIST_MAX]),
        at_risk=tuple(risky[:DIGEST_LIST_MAX]),
        breached=tuple(breached[:DIGEST_LIST_MAX]),
        unclaimed_count=len(unclaimed),
        at_risk_count=len(risky),
        breached_count=len(breached),
    )


@dataclass(frozen=True)
class Recipients:
    """The chats of the ladder's audiences, resolved once per sweep."""

    group: int | None
    coordinators: tuple[int, ...]
    supervisors: tuple[int, ...]


async def recipients(uow: UnitOfWork, settings: Settings) -> Recipients:
    """Returns the technician group and the coordinators' and supervisors' chats."""
    return Recipients(
        group=await tech_group_id(uow, settings),
        coordinators=tuple(await uow.users.chats_with_role(Role.COORDINATOR.value)),
        supervisors=tuple(await uow.users.chats_with_role(Role.SUPERVISOR.value)),
    )


async def evaluate_due(
    uow: UnitOfWork, ctx: Context, limit: int = SWEEP_LIMIT
) -> list[tuple[DueTicket, Step]]:
    """Fires the due steps of due tickets and moves their next check; returns what it fired.

    Records firings (ON CONFLICT DO NOTHING: only what this call inserted counts), ticket
    events and breaches, all uncommitted; sending is left to the caller. A constant number of
    statements whatever the number of due tickets: select the due tickets (columns only),
    their fired steps (one IN query), insert the firings, insert the events, update the
    tickets (executemany each).
    """
    now, calendar = ctx.now, ctx.calendar
    tickets = await uow.sla.due(now, limit)
    if not tickets:
        return []
    fired_of: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for ticket_id, code, entry in await uow.sla.fired([t.id for t in tickets]):
        fired_of[ticket_id].add((code, entry))
    steps_of = ladder(ctx.settings)
    wanted: list[tuple[DueTicket, Step]] = []
    updates: dict[int, dict[str, Any]] = {}
    for ticket in tickets:
        steps = steps_of.get(Status(ticket.status), ())
        due, upcoming = plan(ticket, steps, fired_of.get(ticket.id, set()), calendar, now)
        wanted.extend((ticket, step) for step in due)
        updates[ticket.id] = {"id": ticket.id, "next_check_at": upcoming}
    keys = [(t.id, s.code.value, entry_of(t, s)) for t, s in wanted]
    won = await uow.sla.record(keys, now)
    result = _latest_letter_reminder(
        [(t, s) for (t, s), key in zip(wanted, keys, strict=True) if key in won]
    )
    await uow.events.add_many(
        [
            {"ticket_id": ticket.id, "at": now, "kind": EVENT_PREFIX + step.code.value}
            for ticket, step in result
        ]
    )
    for ticket, step in result:
        if step.breach:
            updates[ticket.id]["breached_at"] = ticket.deadline_due_at
    # Rows differ in their keys (breached_at), so group them for executemany.
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for values in updates.values():
        by_keys[tuple(sorted(values))].append(values)
    for rows in by_keys.values():
        await uow.sla.set_next_checks(rows)
    return result


def _latest_letter_reminder(fired: list[tuple[DueTicket, Step]]) -> list[tuple[DueTicket, Step]]:
    """Keeps, of the letter reminders due at once for a ticket (the bot was down for days),
    only the latest: the earlier ones stay recorded as fired, so none comes later."""
    latest: dict[int, int] = {}
    for ticket, step in fired:
        if step.clock is ClockName.LETTER:
            latest[ticket.id] = max(latest.get(ticket.id, 0), step.days)
    return [
        (ticket, step)
        for ticket, step in fired
        if step.clock is not ClockName.LETTER or step.days == latest[ticket.id]
    ]


async def due_alerts(
    uow: UnitOfWork, to: Recipients, ctx: Context, limit: int = SWEEP_LIMIT
) -> tuple[int, dict[int, list[Alert]]]:
    """Fires what is due (:func:`evaluate_due`); returns the count and the alerts per chat."""
    fired = await evaluate_due(uow, ctx, limit)
    now, calendar = ctx.now, ctx.calendar
    alerts: dict[int, list[Alert]] = defaultdict(list)
    left: dict[datetime, Remaining] = {}  # a ticket's steps mostly share a due moment
    for ticket, step in fired:
        due_at = _due(ticket, step.clock) or ticket.deadline_due_at
        if due_at not in left:
            left[due_at] = calendar.remaining(now, due_at)
        alert = Alert(
            number=ticket.number,
            opd_name=ticket.opd_name,
            step=step.code,
            due_at=due_at,
            assignee_name=ticket.assignee_name,
            remaining=left[due_at],
            audience=step.audience,
            ticket_id=ticket.id,
        )
        chats: Sequence[int]
        match step.audience:
            case Audience.GROUP:
                chats = [to.group] if to.group is not None else []
            case Audience.COORDINATORS:
                chats = to.coordinators
            case Audience.ASSIGNEE:
                chats = [ticket.assignee_chat] if ticket.assignee_chat is not None else []
            case Audience.SUPERVISORS:
                chats = to.supervisors
            case Audience.REPORTER:
                chats = [ticket.reporter_chat]
        for chat in chats:
            alerts[chat].append(alert)
    return len(fired), alerts


# A ladder of another module run by the sweep (it notifies through the unit of work and
# returns how many steps it fired).
OwnRung = Callable[[UnitOfWork, Context], Awaitable[int]]


async def sweep(uow: UnitOfWork, ctx: Context, also: Sequence[OwnRung] = ()) -> SweepResult:
    """Runs one SLA sweep: the morning digest and due ladder steps, one message per chat.

    `also` are ladders of other modules that fire in the same sweep, in office hours, and
    commit with it (the berita acara's awaited confirmations: `confirmations.remind`); each
    returns how many steps it fired."""
    now, calendar, settings = ctx.now, ctx.calendar, ctx.settings
    if not calendar.is_open(now):
        return SweepResult(0, False)
    to = await recipients(uow, settings)
    morning: dict[int, tuple[MorningDigest, Audience]] = {}
    digest = False
    if settings.sla_morning_digest and await uow.sla.claim_digest(
        now.astimezone(calendar.tz).date(), now
    ):
        digest = True
        summary = await _morning_digest(uow, ctx)
        if to.group is not None:
            morning[to.group] = (summary, Audience.GROUP)
        for chat in to.supervisors:
            morning.setdefault(chat, (summary, Audience.SUPERVISORS))
    fired, alerts = await due_alerts(uow, to, ctx)
    for chat, chat_alerts in list(alerts.items()):
        # A letter reminder is its own message, with the button that sends the letter.
        for alert in chat_alerts:
            if alert.step in LETTER_REMINDERS:
                round_ = LETTER_REMINDERS.index(alert.step) + 1
                rounds = settings.sla_letter_reminders
                uow.notify(LetterReminder(chat, alert.ticket_id, alert.number, round_, rounds))
        rest = [alert for alert in chat_alerts if alert.step not in LETTER_REMINDERS]
        if rest:
            alerts[chat] = rest
        else:
            del alerts[chat]
    for rung in also:
        fired += await rung(uow, ctx)
    for chat in sorted(set(alerts) | set(morning)):
        summary_for = morning.get(chat)
        uow.notify(
            SlaDigest(
                chat,
                tuple(alerts.get(chat, ())),
                summary_for[0] if summary_for else None,
                summary_for[1] if summary_for else None,
            )
        )
    await uow.commit()
    return SweepResult(fired, digest)


@dataclass(frozen=True)
class ComplaintClocks:
    """Due times of a complaint (pengaduan): first response and resolution."""

    response_due_at: datetime
    resolution_due_at: datetime


def complaint_clocks(
    received_at: datetime, calendar: BusinessCalendar, settings: Settings
) -> ComplaintClocks:
    """Returns when a complaint must be answered and resolved, in working days."""
    return ComplaintClocks(
        response_due_at=calendar.add_working_days(
            received_at, settings.complaint_response_working_days
        ),
        resolution_due_at=calendar.add_working_days(
            received_at, settings.complaint_resolution_working_days
        ),
    )
