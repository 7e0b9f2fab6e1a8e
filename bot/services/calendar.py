"""Business calendar: office hours, Indonesian holidays and working-time arithmetic.

Pure domain code (standard library + ``holidays``). It implements the published service
standard of Dinas Kominfo Kota Pekalongan: faults are handled within 5 working days, office
hours are Mon-Thu 08:00-15:45 with a 12:00-12:30 break and Fri 08:00-11:00 (WIB).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_SCHEDULE",
    "BusinessCalendar",
    "Remaining",
    "ScheduleOverride",
    "Segment",
    "WeeklySchedule",
]

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Upper bound on consecutive closed days any search may walk through; ten years is far more
# than any real closure, so hitting it means the configuration is broken, not that we must
# keep looking.
MAX_CLOSED_DAYS = 3660

_ONE_MINUTE = timedelta(minutes=1)
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _format_time(value: time) -> str:
    if value.second:
        return value.strftime("%H:%M:%S")
    return value.strftime("%H:%M")


def _parse_time(text: str, spec: str) -> time:
    match = _TIME_RE.match(text.strip())
    if match is None:
        raise ValueError(f"invalid time {text.strip()!r} in schedule {spec!r} (expected HH:MM)")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"time out of range {text.strip()!r} in schedule {spec!r}")
    return time(hour, minute, second)


def _day_index(name: str, spec: str) -> int:
    try:
        return DAY_NAMES.index(name.strip().lower())
    except ValueError:
        raise ValueError(
            f"unknown day {name.strip()!r} in schedule {spec!r} (use {', '.join(DAY_NAMES)})"
        ) from None


@dataclass(frozen=True)
class Segment:
    """Represents one open interval [start, end) of a day in local time."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if value.tzinfo is not None:
                raise ValueError("segment times must be naive local times")
            if value.microsecond:
                raise ValueError("segment times must be whole seconds")
        if self.start >= self.end:
            raise ValueError(
                f"segment start {_format_time(self.start)} must be before "
                f"end {_format_time(self.end)}"
            )

    def describe(self) -> str:
        """Returns the segment as ``HH:MM-HH:MM``."""
        return f"{_format_time(self.start)}-{_format_time(self.end)}"

    @property
    def minutes(self) -> float:
        """Returns the length of the segment in minutes."""
        start = datetime.combine(date.min, self.start)
        end = datetime.combine(date.min, self.end)
        return (end - start) / _ONE_MINUTE


def _validate_day(segments: tuple[Segment, ...], label: str) -> None:
    for previous, current in itertools.pairwise(segments):
        if current.start < previous.end:
            raise ValueError(
                f"overlapping or unordered segments on {label}: "
                f"{previous.describe()} and {current.describe()}"
            )


@dataclass(frozen=True)
class WeeklySchedule:
    """Maps each weekday (0=Monday..6=Sunday) to its ordered, non-overlapping open segments."""

    days: tuple[tuple[Segment, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError(f"a weekly schedule needs 7 days, got {len(self.days)}")
        for index, segments in enumerate(self.days):
            _validate_day(segments, DAY_NAMES[index])

    @classmethod
    def parse(cls, spec: str) -> WeeklySchedule:
        """Returns the schedule described by a spec like ``mon-thu 08:00-12:00; fri 08:00-11:00``.

        Clauses are separated by ``;``; each names days (``mon``, ``mon-thu``, ``mon,wed``)
        followed by comma-separated ``HH:MM-HH:MM`` segments. Unnamed days are closed and an
        empty spec means closed every day. Raises ValueError on any malformed spec.
        """
        days: list[tuple[Segment, ...] | None] = [None] * 7
        for raw_clause in spec.split(";"):
            clause = raw_clause.strip()
            if not clause:
                continue
            parts = clause.split(None, 1)
            if len(parts) != 2:
                raise ValueError(
                    f"clause {clause!r} in schedule {spec!r} needs days and segments, "
                    "e.g. 'mon-thu 08:00-12:00,12:30-15:45'"
                )
            day_part, segment_part = parts
            indices = cls._parse_days(day_part, spec)
            segments = tuple(
                sorted(
                    (cls._parse_segment(text, spec) for text in segment_part.split(",")),
                    key=lambda segment: segment.start,
                )
            )
            for index in indices:
                if days[index] is not None:
                    raise ValueError(f"day {DAY_NAMES[index]!r} given twice in schedule {spec!r}")
                _validate_day(segments, DAY_NAMES[index])
                days[index] = segments
        return cls(tuple(segments or () for segments in days))

    @staticmethod
    def _parse_days(text: str, spec: str) -> list[int]:
        indices: list[int] = []
        for item in text.split(","):
            if "-" in item:
                first_name, _, last_name = item.partition("-")
                first, last = _day_index(first_name, spec), _day_index(last_name, spec)
                if first > last:
                    raise ValueError(
                        f"day range {item.strip()!r} in schedule {spec!r} must run forward "
                        "(mon..sun)"
                    )
                indices.extend(range(first, last + 1))
            else:
                indices.append(_day_index(item, spec))
        if len(set(indices)) != len(indices):
            raise ValueError(f"day named twice in {text!r} of schedule {spec!r}")
        return indices

    @staticmethod
    def _parse_segment(text: str, spec: str) -> Segment:
        start_text, separator, end_text = text.strip().partition("-")
        if not separator:
            raise ValueError(
                f"invalid segment {text.strip()!r} in schedule {spec!r} (expected HH:MM-HH:MM)"
            )
        start, end = _parse_time(start_text, spec), _parse_time(end_text, spec)
        if start >= end:
            raise ValueError(
                f"segment {text.strip()!r} in schedule {spec!r} must start before it ends"
            )
        return Segment(start, end)

    def open_runs(self) -> list[tuple[int, int, tuple[Segment, ...]]]:
        """Returns the open days as (first, last, segments), equal consecutive days as one run."""
        runs: list[tuple[int, int, tuple[Segment, ...]]] = []
        for segments, group in itertools.groupby(enumerate(self.days), key=lambda day: day[1]):
            weekdays = [index for index, _ in group]
            if segments:
                runs.append((weekdays[0], weekdays[-1], segments))
        return runs

    def describe(self) -> str:
        """Returns the canonical spec of the schedule, which parse() reads back unchanged."""
        clauses: list[str] = []
        for first, last, segments in self.open_runs():
            names = DAY_NAMES[first] if last == first else f"{DAY_NAMES[first]}-{DAY_NAMES[last]}"
            clauses.append(f"{names} {','.join(s.describe() for s in segments)}")
        return "; ".join(clauses)

    def day_minutes(self, weekday: int) -> float:
        """Returns the open minutes of the given weekday (0=Monday)."""
        return sum(segment.minutes for segment in self.days[weekday])

    def is_closed(self) -> bool:
        """Returns True when no day of the week has any open segment."""
        return not any(self.days)


DEFAULT_SCHEDULE: WeeklySchedule = WeeklySchedule.parse(
    "mon-thu 08:00-12:00,12:30-15:45; fri 08:00-11:00"
)


@dataclass(frozen=True)
class ScheduleOverride:
    """Replaces the weekly schedule for the dates start..end (both inclusive), e.g. Ramadan."""

    start: date
    end: date
    schedule: WeeklySchedule
    name: str = ""

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"override {self.name!r} starts {self.start} after it ends {self.end}"
            )

    def covers(self, day: date) -> bool:
        """Returns True when the day lies within the override."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Remaining:
    """Holds working time left until a due moment (or elapsed past it when overdue).

    ``days`` counts standard working days (the longest day of the base weekly schedule,
    7 h 15 min for the default one); ``hours`` and ``minutes`` hold the rest, minutes
    truncated. A Friday therefore counts as 3 hours, not as a day.
    """

    overdue: bool
    days: int
    hours: int
    minutes: int
    total_minutes: float = field(default=0.0, compare=False)

    def describe(self) -> str:
        """Returns Indonesian text such as ``1 hari kerja 3 jam`` or ``terlambat 45 menit``."""
        units = ((self.days, "hari kerja"), (self.hours, "jam"), (self.minutes, "menit"))
        text = " ".join(f"{count} {unit}" for count, unit in units if count)
        text = text or "kurang dari 1 menit"
        return f"terlambat {text}" if self.overdue else text


@functools.cache
def _national_holidays(year: int) -> Mapping[date, str]:
    # Building a holidays object is comparatively slow, so each year is built once per
    # process and shared by every calendar instance.
    table = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return MappingProxyType({day: str(name) for day, name in table.items() if day.year == year})


def _require_aware(value: datetime, label: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{label} must be a timezone-aware datetime, got naive {value!r}")


class BusinessCalendar:
    """Answers office-hours questions and does working-time arithmetic in one time zone."""

    tz: ZoneInfo

    def __init__(
        self,
        tz: ZoneInfo | str = "Asia/Jakarta",
        schedule: WeeklySchedule = DEFAULT_SCHEDULE,
        extra_holidays: Mapping[date, str] | None = None,
        removed_holidays: Iterable[date] = (),
        overrides: Sequence[ScheduleOverride] = (),
        use_national_holidays: bool = True,
    ) -> None:
        """Builds a calendar; raises ValueError if the weekly schedule has no open day.

        A date in ``removed_holidays`` is never a holiday, even if it is also in
        ``extra_holidays``. When overrides overlap, the later one in the sequence wins.
        """
        if schedule.is_closed():
            raise ValueError("the weekly schedule has no open segment on any day")
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.schedule = schedule
        self.extra_holidays: Mapping[date, str] = MappingProxyType(dict(extra_holidays or {}))
        self.removed_holidays: frozenset[date] = frozenset(removed_holidays)
        self.overrides: tuple[ScheduleOverride, ...] = tuple(overrides)
        self.use_national_holidays = use_national_holidays
        self._day_cache: dict[date, list[tuple[datetime, datetime]]] = {}
        self._total_cache: dict[date, timedelta] = {}
        self.standard_day: timedelta = max(
            timedelta(minutes=schedule.day_minutes(weekday)) for weekday in range(7)
        )

    # --- days -------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """Returns the holiday name of the day, or None if it is not a holiday."""
        if day in self.removed_holidays:
            return None
        extra = self.extra_holidays.get(day)
        if extra is not None:
            return extra
        if self.use_national_holidays:
            return _national_holidays(day.year).get(day)
        return None

    def schedule_on(self, day: date) -> WeeklySchedule:
        """Returns the weekly schedule in force on the day (the last matching override wins)."""
        for override in reversed(self.overrides):
            if override.covers(day):
                return override.schedule
        return self.schedule

    def _segments_utc(self, day: date) -> list[tuple[datetime, datetime]]:
        # The calendar never changes after construction, so each day is worked out once; the
        # SLA sweep asks about the same few days for every ticket.
        cached = self._day_cache.get(day)
        if cached is None:
            cached = self._day_cache[day] = self._compute_segments_utc(day)
        return cached

    def _compute_segments_utc(self, day: date) -> list[tuple[datetime, datetime]]:
        segments = self.schedule_on(day).days[day.weekday()]
        # The schedule is checked first so closed days never trigger a holiday-table build.
        if not segments or self.holiday_name(day) is not None:
            return []
        return [
            (
                datetime.combine(day, segment.start, tzinfo=self.tz).astimezone(UTC),
                datetime.combine(day, segment.end, tzinfo=self.tz).astimezone(UTC),
            )
            for segment in segments
        ]

    def segments_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """Returns the open intervals of the day as aware datetimes; empty when closed."""
        return [
            (start.astimezone(self.tz), end.astimezone(self.tz))
            for start, end in self._segments_utc(day)
        ]

    def is_working_day(self, day: date) -> bool:
        """Returns True when the office opens at all on the day."""
        return bool(self._segments_utc(day))

    def working_day_length(self, day: date) -> float:
        """Returns the open minutes of the day (0 on holidays and closed days)."""
        return (
            sum(((end - start) for start, end in self._segments_utc(day)), timedelta())
            / _ONE_MINUTE
        )

    # --- instants ---------------------------------------------------------------------------

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def _segments_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        # All arithmetic runs on UTC datetimes: Python subtracts same-zone aware datetimes as
        # wall-clock times, which is only safe in DST-free zones such as Asia/Jakarta.
        closed_run = 0
        while True:
            segments = self._segments_utc(day)
            if segments:
                closed_run = 0
                yield from segments
            else:
                closed_run += 1
                if closed_run > MAX_CLOSED_DAYS:
                    raise ValueError(
                        f"no working day within {MAX_CLOSED_DAYS} days before {day}; "
                        "check the schedule, overrides and holidays"
                    )
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        """Returns True when the instant lies within an open segment [start, end)."""
        _require_aware(at, "at")
        moment = at.astimezone(UTC)
        return any(
            start <= moment < end for start, end in self._segments_utc(self._local_date(at))
        )

    def next_opening(self, at: datetime) -> datetime:
        """Returns ``at`` in the calendar zone if open, else the start of the next segment."""
        _require_aware(at, "at")
        moment = at.astimezone(UTC)
        for start, end in self._segments_from(self._local_date(at)):
            if moment < end:
                return max(start, moment).astimezone(self.tz)
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_minutes(self, start: datetime, minutes: float | int) -> datetime:
        """Adds working minutes to ``start``, skipping time outside office hours.

        Zero minutes (or less than a microsecond) returns ``start`` unchanged in the calendar
        zone, even outside office hours. Otherwise the result lies in (segment start, segment
        end] of some working segment, so it may equal a closing time such as 15:45.
        """
        _require_aware(start, "start")
        if isinstance(minutes, bool) or not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite number >= 0, got {minutes!r}")
        left = timedelta(minutes=minutes)
        if not left:
            return start.astimezone(self.tz)
        moment = start.astimezone(UTC)
        for seg_start, seg_end in self._segments_from(self._local_date(start)):
            if moment >= seg_end:
                continue
            begin = max(seg_start, moment)
            available = seg_end - begin
            if left <= available:
                return (begin + left).astimezone(self.tz)
            left -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def _day_total(self, day: date) -> timedelta:
        cached = self._total_cache.get(day)
        if cached is None:
            cached = self._total_cache[day] = sum(
                ((end - start) for start, end in self._segments_utc(day)), timedelta()
            )
        return cached

    def _working_time(self, low: datetime, high: datetime) -> timedelta:
        total = timedelta()
        day, last_day = self._local_date(low), self._local_date(high)
        while day <= last_day:
            segments = self._segments_utc(day)
            if segments and low <= segments[0][0] and segments[-1][1] <= high:
                total += self._day_total(day)  # a whole working day lies inside
            else:
                for start, end in segments:
                    overlap = min(end, high) - max(start, low)
                    if overlap > timedelta():
                        total += overlap
            day += timedelta(days=1)
        return total

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Returns the working minutes from ``a`` to ``b`` (0 if ``b`` <= ``a``), unrounded."""
        _require_aware(a, "a")
        _require_aware(b, "b")
        low, high = a.astimezone(UTC), b.astimezone(UTC)
        if high <= low:
            return 0.0
        return self._working_time(low, high) / _ONE_MINUTE

    def add_working_days(self, received: datetime, days: int) -> datetime:
        """Returns the close of office on the N-th working day after the day of receipt.

        Per the service standard as applied here, the local calendar day of receipt never
        counts, whatever the hour, so a report on Tuesday 10:00 with N=1 is due at closing
        time of the next working day. Raises ValueError when ``days`` < 1.
        """
        _require_aware(received, "received")
        if isinstance(days, bool) or days < 1:
            raise ValueError(f"days must be an integer >= 1, got {days!r}")
        day = self._local_date(received)
        counted = 0
        closed_run = 0
        while True:
            day += timedelta(days=1)
            segments = self._segments_utc(day)
            if not segments:
                closed_run += 1
                if closed_run > MAX_CLOSED_DAYS:
                    raise ValueError(
                        f"no working day within {MAX_CLOSED_DAYS} days before {day}; "
                        "check the schedule, overrides and holidays"
                    )
                continue
            closed_run = 0
            counted += 1
            if counted == days:
                return segments[-1][1].astimezone(self.tz)

    def remaining(self, now: datetime, due: datetime) -> Remaining:
        """Returns the working time from ``now`` to ``due`` (or past it when overdue).

        Days are standard working days of ``standard_day`` (the longest day of the
        base weekly schedule, 7 h 15 min by default): the working minutes between the two
        instants are divided by that length and the rest is split into hours and whole
        minutes. ``overdue`` is True as soon as ``now`` is after ``due`` in real time.
        """
        _require_aware(now, "now")
        _require_aware(due, "due")
        low, high = now.astimezone(UTC), due.astimezone(UTC)
        overdue = low > high
        if overdue:
            low, high = high, low
        total = self._working_time(low, high)
        days, rest = divmod(total, self.standard_day)
        hours, minutes = divmod(rest // _ONE_MINUTE, 60)
        return Remaining(
            overdue=overdue,
            days=days,
            hours=hours,
            minutes=minutes,
            total_minutes=total / _ONE_MINUTE,
        )
