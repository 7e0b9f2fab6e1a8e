"""The figures of a period, computed from the ticket and complaint rows and the event log.

Pure code: no database, no Telegram. Every duration is working time of the business calendar
with the paused working time of holds (ON_HOLD) taken out, as the SLA clocks count it
(DESIGN §4). A ticket or complaint belongs to the period in which it was received; what
happened to it is counted up to the end of the period (or up to now, for a period that has
not ended yet), so a report of a past period always gives the same figures.

Percentiles (median = 50th, and the 90th) use linear interpolation between the closest ranks,
the method of Excel's PERCENTILE.INC and numpy's default: for n sorted values x[0..n-1] the
p-th percentile is x[k] + f * (x[k+1] - x[k]) with k + f = (n - 1) * p / 100.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.services.calendar import BusinessCalendar
from bot.services.domain import Status
from bot.services.reports.period import Period
from db.reports import ComplaintRow, EventRow, TicketRow

# Event kinds of the ticket log (bot/services/ticket_flow.py TABLE) the report counts.
REPAIRED = "repaired"
REOPENED = "reopened"
HELD = "held"
MATERIAL_REQUESTED = "material_requested"
MATERIAL_APPROVED = "material_approved"
MATERIAL_REJECTED = "material_rejected"
MATERIAL_REVISION = "material_revision"
ON_HOLD = Status.ON_HOLD.value
RATINGS = (1, 2, 3, 4)
# A period up to this long is charted per week, a longer one per month.
WEEKLY_MAX_DAYS = 92
_MINUTE = timedelta(minutes=1)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Returns the p-th percentile by linear interpolation (PERCENTILE.INC), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def share(part: int, whole: int) -> float | None:
    """Returns part / whole as a percentage, None when there is nothing to divide."""
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class Spread:
    """How many durations were measured, their median and 90th percentile."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """Returns the spread of the values."""
        return cls(len(values), percentile(values, 50), percentile(values, 90))


@dataclass(frozen=True)
class TicketLine:
    """One ticket of the period: its timestamps, clocks, durations and outcome."""

    number: str
    opd: str
    category: str
    classification: str | None
    status: str  # at the end of the period
    technician: str | None
    received_at: datetime
    claimed_at: datetime | None
    repaired_at: datetime | None  # the last repair report
    closed_at: datetime | None
    cancelled_at: datetime | None
    target_due: datetime
    deadline_due: datetime
    response_hours: float | None
    repair_days: float | None
    closing_days: float | None
    holds: int
    paused_hours: float
    reopens: int
    within_target: bool
    within_deadline: bool
    breached: bool
    rating: int | None
    material: Mapping[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """Whether the ticket was closed (confirmed by the OPD) by the end of the period."""
        return self.closed_at is not None

    @property
    def cancelled(self) -> bool:
        """Whether the ticket was cancelled or rejected by the end of the period."""
        return self.cancelled_at is not None


@dataclass(frozen=True)
class Group:
    """The figures of one OPD, technician or category."""

    name: str
    received: int
    closed: int
    open: int
    within_target: int
    within_deadline: int
    breaches: int
    reopens: int
    rating_average: float | None
    closing_median_days: float | None

    @property
    def target_share(self) -> float | None:
        """Returns the share of closed tickets closed within the target, in percent."""
        return share(self.within_target, self.closed)

    @property
    def deadline_share(self) -> float | None:
        """Returns the share of closed tickets closed within 5 working days, in percent."""
        return share(self.within_deadline, self.closed)


@dataclass(frozen=True)
class Ratings:
    """The OPDs' 1-4 ratings of closed tickets."""

    count: int
    average: float | None
    distribution: Mapping[int, int]


@dataclass(frozen=True)
class Summary:
    """The headline figures of the period's tickets."""

    received: int
    closed: int
    cancelled: int
    open_at_end: int
    response_hours: Spread
    repair_days: Spread
    closing_days: Spread
    within_target: int
    within_deadline: int
    breaches: int
    reopens: int
    reopened_tickets: int
    repaired_tickets: int
    holds: int
    held_tickets: int
    paused_hours: float
    light: int
    heavy: int
    unclassified: int
    material_requested: int
    material_approved: int
    material_rejected: int
    material_revised: int
    ratings: Ratings

    @property
    def target_share(self) -> float | None:
        """Returns the share of closed tickets closed within the target, in percent."""
        return share(self.within_target, self.closed)

    @property
    def deadline_share(self) -> float | None:
        """Returns the share of closed tickets closed within the deadline, in percent."""
        return share(self.within_deadline, self.closed)

    @property
    def reopen_rate(self) -> float | None:
        """Returns the share of repaired tickets the OPD reopened at least once, in percent."""
        return share(self.reopened_tickets, self.repaired_tickets)


@dataclass(frozen=True)
class ComplaintLine:
    """One complaint of the period and its outcome."""

    number: str
    channel: str
    category: str
    status: str
    received_at: datetime
    response_due: datetime
    resolution_due: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    answered_in_time: bool
    resolved_in_time: bool
    escalated: bool
    open_at_end: bool


@dataclass(frozen=True)
class Complaints:
    """The complaints (pengaduan) received in the period."""

    received: int
    by_channel: Mapping[str, int]
    by_category: Mapping[str, int]
    answered_in_time: int
    resolved_in_time: int
    escalated: int
    still_open: int
    lines: tuple[ComplaintLine, ...]


@dataclass(frozen=True)
class Bucket:
    """Tickets received and closed in one week or month of the period (for the chart)."""

    first: date
    received: int
    closed: int


@dataclass(frozen=True)
class SkmElement:
    """One element of the SKM: its name, NRR and weighted NRR."""

    name: str
    nrr: float
    weighted: float


@dataclass(frozen=True)
class SkmFigures:
    """The SKM/IKM result of the period (PermenPANRB 14/2017), as the report prints it."""

    respondents: int
    elements: tuple[SkmElement, ...]
    ikm: float
    converted: float
    grade: str
    performance: str


@dataclass(frozen=True)
class Report:
    """Everything /laporan shows of a period."""

    period: Period
    as_of: datetime
    generated_at: datetime
    summary: Summary
    per_opd: tuple[Group, ...]
    per_technician: tuple[Group, ...]
    per_category: tuple[Group, ...]
    tickets: tuple[TicketLine, ...]
    complaints: Complaints
    weekly: bool
    buckets: tuple[Bucket, ...]
    skm: SkmFigures | None = None


# --- one ticket ------------------------------------------------------------------------------


def hold_intervals(events: Iterable[EventRow], until: datetime) -> list[tuple[datetime, datetime]]:
    """Returns the ON_HOLD intervals in order; a hold still running lasts until ``until``."""
    intervals: list[tuple[datetime, datetime]] = []
    since: datetime | None = None
    for event in events:
        if event.to_status == ON_HOLD and since is None:
            since = event.at
        elif event.from_status == ON_HOLD and since is not None:
            intervals.append((since, event.at))
            since = None
    if since is not None:
        intervals.append((since, max(since, until)))
    return intervals


class Clockwork:
    """Working-time arithmetic of one report (the calendar, the SLA settings)."""

    def __init__(self, calendar: BusinessCalendar, target_days: int, deadline_days: int) -> None:
        self.calendar = calendar
        self.target_days = target_days
        self.deadline_days = deadline_days
        self.day_minutes = calendar.standard_day / _MINUTE
        # Working minutes are read as differences of a running total from an origin day, so
        # each duration costs a dictionary look-up instead of a walk over the days between.
        self._origin: date | None = None
        self._before: dict[date, float] = {}
        self._segments: dict[date, list[tuple[datetime, datetime]]] = {}

    def _day(self, day: date) -> list[tuple[datetime, datetime]]:
        segments = self._segments.get(day)
        if segments is None:
            segments = self._segments[day] = [
                (start.astimezone(UTC), end.astimezone(UTC))
                for start, end in self.calendar.segments_on(day)
            ]
        return segments

    def _total_before(self, day: date) -> float:
        """Returns the working minutes from the origin day's midnight to the day's midnight."""
        known = self._before.get(day)
        if known is not None:
            return known
        assert self._origin is not None  # noqa: S101 - set by _position before any look-up
        last = max(d for d in self._before if d <= day)
        total = self._before[last]
        while last < day:
            total += sum((end - start) / _MINUTE for start, end in self._day(last))
            last += timedelta(days=1)
            self._before[last] = total
        return total

    def _position(self, moment: datetime) -> float | None:
        day = moment.astimezone(self.calendar.tz).date()
        if self._origin is None:
            self._origin = day
            self._before[day] = 0.0
        if day < self._origin:
            return None
        utc = moment.astimezone(UTC)
        within = sum(
            (min(utc, end) - start) / _MINUTE for start, end in self._day(day) if utc > start
        )
        return self._total_before(day) + within

    def minutes(self, a: datetime, b: datetime) -> float:
        """Returns the working minutes from a to b (0 when b is not after a)."""
        if b <= a:
            return 0.0
        low, high = self._position(a), self._position(b)
        if low is None or high is None:
            return self.calendar.working_minutes_between(a, b)
        return high - low

    def net(self, a: datetime, b: datetime, holds: Sequence[tuple[datetime, datetime]]) -> float:
        """Returns the working minutes from a to b less the paused working time within."""
        total = self.minutes(a, b)
        for start, end in holds:
            low, high = max(a, start), min(b, end)
            if low < high:
                total -= self.minutes(low, high)
        return max(total, 0.0)

    def due(
        self, received: datetime, days: int, holds: Sequence[tuple[datetime, datetime]]
    ) -> datetime:
        """Returns the due moment of an N-working-day clock pushed back by the holds."""
        due = self.calendar.add_working_days(received, days)
        for start, end in holds:
            if start < due:
                due = self.calendar.add_working_minutes(due, self.minutes(start, end))
        return due


def ticket_line(
    row: TicketRow, events: Sequence[EventRow], clock: Clockwork, as_of: datetime
) -> TicketLine:
    """Returns one ticket's figures as of a moment (events after it are not seen)."""
    seen = [event for event in events if event.at <= as_of]
    holds = hold_intervals(seen, as_of)
    kinds = Counter(event.kind for event in seen)
    claimed = row.claimed_at if row.claimed_at is not None and row.claimed_at <= as_of else None
    repaired = next((e.at for e in reversed(seen) if e.kind == REPAIRED), None)
    ended = row.closed_at is not None and row.closed_at <= as_of
    closed = row.closed_at if ended and row.status == Status.CLOSED.value else None
    cancelled = row.closed_at if ended and row.status == Status.CANCELLED.value else None
    if closed is not None or cancelled is not None:
        status = row.status
    else:
        status = next((e.to_status for e in reversed(seen) if e.to_status), Status.NEW.value)
        if status in (Status.CLOSED.value, Status.CANCELLED.value):
            status = Status.REPAIRED.value  # the closing lies after the period
    target = clock.due(row.received_at, clock.target_days, holds)
    deadline = clock.due(row.received_at, clock.deadline_days, holds)
    finished = closed or cancelled or as_of
    day = clock.day_minutes
    return TicketLine(
        number=row.number,
        opd=row.opd_name,
        category=row.category,
        classification=row.classification,
        status=status,
        technician=row.assignee_name,
        received_at=row.received_at,
        claimed_at=claimed,
        repaired_at=repaired,
        closed_at=closed,
        cancelled_at=cancelled,
        target_due=target,
        deadline_due=deadline,
        response_hours=None
        if claimed is None
        else clock.net(row.received_at, claimed, holds) / 60,
        repair_days=None
        if repaired is None
        else clock.net(row.received_at, repaired, holds) / day,
        closing_days=None if closed is None else clock.net(row.received_at, closed, holds) / day,
        holds=len(holds),
        paused_hours=sum(clock.minutes(a, b) for a, b in holds) / 60,
        reopens=kinds[REOPENED],
        within_target=closed is not None and closed <= target,
        within_deadline=closed is not None and closed <= deadline,
        breached=cancelled is None and finished > deadline,
        rating=row.rating if closed is not None else None,
        material={
            kind: kinds[kind]
            for kind in (
                MATERIAL_REQUESTED,
                MATERIAL_APPROVED,
                MATERIAL_REJECTED,
                MATERIAL_REVISION,
            )
        },
    )


# --- the period ------------------------------------------------------------------------------


def ratings(lines: Iterable[TicketLine]) -> Ratings:
    """Returns the count, average and distribution of the ratings."""
    given = [line.rating for line in lines if line.rating is not None]
    counted = Counter(given)
    return Ratings(
        count=len(given),
        average=sum(given) / len(given) if given else None,
        distribution={score: counted[score] for score in RATINGS},
    )


def summary(lines: Sequence[TicketLine]) -> Summary:
    """Returns the headline figures of the tickets."""

    def count(test: Callable[[TicketLine], bool]) -> int:
        return sum(1 for line in lines if test(line))

    def values(pick: Callable[[TicketLine], float | None]) -> list[float]:
        return [v for line in lines if (v := pick(line)) is not None]

    def material(kind: str) -> int:
        return sum(line.material.get(kind, 0) for line in lines)

    return Summary(
        received=len(lines),
        closed=count(lambda line: line.closed),
        cancelled=count(lambda line: line.cancelled),
        open_at_end=count(lambda line: not line.closed and not line.cancelled),
        response_hours=Spread.of(values(lambda line: line.response_hours)),
        repair_days=Spread.of(values(lambda line: line.repair_days)),
        closing_days=Spread.of(values(lambda line: line.closing_days)),
        within_target=count(lambda line: line.within_target),
        within_deadline=count(lambda line: line.within_deadline),
        breaches=count(lambda line: line.breached),
        reopens=sum(line.reopens for line in lines),
        reopened_tickets=count(lambda line: line.reopens > 0),
        repaired_tickets=count(lambda line: line.repaired_at is not None),
        holds=sum(line.holds for line in lines),
        held_tickets=count(lambda line: line.holds > 0),
        paused_hours=sum(line.paused_hours for line in lines),
        light=count(lambda line: line.classification == "light"),
        heavy=count(lambda line: line.classification == "heavy"),
        unclassified=count(lambda line: line.classification is None),
        material_requested=material(MATERIAL_REQUESTED),
        material_approved=material(MATERIAL_APPROVED),
        material_rejected=material(MATERIAL_REJECTED),
        material_revised=material(MATERIAL_REVISION),
        ratings=ratings(lines),
    )


def groups(
    lines: Iterable[TicketLine], key: Callable[[TicketLine], str | None]
) -> tuple[Group, ...]:
    """Returns the figures per value of a key (lines whose key is None are left out), by name."""
    grouped: dict[str, list[TicketLine]] = defaultdict(list)
    for line in lines:
        name = key(line)
        if name is not None:
            grouped[name].append(line)
    result = []
    for name in sorted(grouped):
        members = grouped[name]
        rated = [line.rating for line in members if line.rating is not None]
        result.append(
            Group(
                name=name,
                received=len(members),
                closed=sum(1 for line in members if line.closed),
                open=sum(1 for line in members if not line.closed and not line.cancelled),
                within_target=sum(1 for line in members if line.within_target),
                within_deadline=sum(1 for line in members if line.within_deadline),
                breaches=sum(1 for line in members if line.breached),
                reopens=sum(line.reopens for line in members),
                rating_average=sum(rated) / len(rated) if rated else None,
                closing_median_days=percentile(
                    [line.closing_days for line in members if line.closing_days is not None], 50
                ),
            )
        )
    return tuple(result)


def complaint_line(row: ComplaintRow, as_of: datetime) -> ComplaintLine:
    """Returns one complaint's outcome as of a moment."""
    responded = row.responded_at if row.responded_at and row.responded_at <= as_of else None
    resolved = row.resolved_at if row.resolved_at and row.resolved_at <= as_of else None
    closed = row.closed_at is not None and row.closed_at <= as_of
    return ComplaintLine(
        number=row.number,
        channel=row.channel,
        category=row.category,
        status=row.status,
        received_at=row.received_at,
        response_due=row.response_due_at,
        resolution_due=row.resolution_due_at,
        responded_at=responded,
        resolved_at=resolved,
        answered_in_time=responded is not None and responded <= row.response_due_at,
        resolved_in_time=resolved is not None and resolved <= row.resolution_due_at,
        escalated=row.escalated,
        open_at_end=resolved is None and not closed,
    )


def complaints(rows: Iterable[ComplaintRow], as_of: datetime) -> Complaints:
    """Returns the complaint figures of the period."""
    lines = tuple(complaint_line(row, as_of) for row in rows)
    return Complaints(
        received=len(lines),
        by_channel=dict(sorted(Counter(line.channel for line in lines).items())),
        by_category=dict(sorted(Counter(line.category for line in lines).items())),
        answered_in_time=sum(1 for line in lines if line.answered_in_time),
        resolved_in_time=sum(1 for line in lines if line.resolved_in_time),
        escalated=sum(1 for line in lines if line.escalated),
        still_open=sum(1 for line in lines if line.open_at_end),
        lines=lines,
    )


def buckets(
    lines: Iterable[TicketLine], period: Period, local: Callable[[datetime], date]
) -> tuple[bool, tuple[Bucket, ...]]:
    """Returns whether the chart is weekly and the received/closed count per week or month.

    A week starts on Monday (the first week may begin before the period); closings are counted
    in the bucket of the ticket's receipt.
    """
    weekly = period.days <= WEEKLY_MAX_DAYS

    def start(day: date) -> date:
        if weekly:
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    firsts: list[date] = []
    day = start(period.first)
    while day <= period.last:
        firsts.append(day)
        if weekly:
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    received: Counter[date] = Counter()
    closed: Counter[date] = Counter()
    for line in lines:
        first = start(local(line.received_at))
        received[first] += 1
        if line.closed:
            closed[first] += 1
    return weekly, tuple(Bucket(first, received[first], closed[first]) for first in firsts)


def compute(
    period: Period,
    tickets: Sequence[TicketRow],
    events: Sequence[EventRow],
    complaint_rows: Sequence[ComplaintRow],
    clock: Clockwork,
    now: datetime,
    skm: SkmFigures | None = None,
) -> Report:
    """Returns the report of a period from its rows (events ordered per ticket)."""
    tz = clock.calendar.tz
    _, end = period.bounds(tz)
    as_of = min(end, now)
    by_ticket: dict[int, list[EventRow]] = defaultdict(list)
    for event in events:
        by_ticket[event.ticket_id].append(event)
    lines = tuple(ticket_line(row, by_ticket.get(row.id, []), clock, as_of) for row in tickets)
    weekly, series = buckets(lines, period, lambda moment: moment.astimezone(tz).date())
    return Report(
        period=period,
        as_of=as_of,
        generated_at=now,
        summary=summary(lines),
        per_opd=groups(lines, lambda line: line.opd),
        per_technician=groups(lines, lambda line: line.technician),
        per_category=groups(lines, lambda line: line.category),
        tickets=lines,
        complaints=complaints(complaint_rows, as_of),
        weekly=weekly,
        buckets=series,
        skm=skm,
    )
