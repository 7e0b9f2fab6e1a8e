"""Admin changes to the business calendar: added and removed holidays, schedule overrides.

The effective calendar is the settings' weekly schedule and the national holidays, adjusted by
these database rows. Every change recomputes the due dates of open tickets in the same commit
and returns the new calendar, so the caller can swap its cached copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.config import Settings
from bot.services import sla
from bot.services.calendar import BusinessCalendar, ScheduleOverride, WeeklySchedule
from bot.services.context import Context
from bot.services.errors import DomainError, InvalidInput, NotFound
from bot.services.uow import UnitOfWork
from bot.services.users import require_admin
from bot.services.validation import within
from db.models import CalendarOverride

UPCOMING_DAYS = 90
NAME_MAX = 100
SPEC_MAX = 200
# An override is for a season (Ramadan, a move); a year-long change belongs in OFFICE_HOURS, and
# a longer range is far more likely a mistyped year than an intent.
OVERRIDE_DAYS_MAX = 366


class ClosesWorkingDays(DomainError):
    """The override would close days that are working days now; it needs the admin's consent."""

    code = "closes_working_days"

    def __init__(self, code: str | None = None, *, days: tuple[date, ...] = ()) -> None:
        super().__init__(code, count=len(days))
        self.days = days


@dataclass(frozen=True)
class HolidayView:
    """One upcoming holiday."""

    day: date
    name: str
    added: bool  # added by an admin rather than a national holiday


@dataclass(frozen=True)
class OverrideView:
    """One schedule override."""

    id: int
    start: date
    end: date
    spec: str
    name: str


@dataclass(frozen=True)
class CalendarOverview:
    """What `/libur` lists."""

    start: date
    end: date
    holidays: tuple[HolidayView, ...]
    overrides: tuple[OverrideView, ...]
    removed: tuple[date, ...]


@dataclass(frozen=True)
class CalendarChange:
    """The result of a change: the new calendar and how many open tickets were recomputed."""

    calendar: BusinessCalendar
    recomputed: int


async def load_calendar(uow: UnitOfWork, settings: Settings) -> BusinessCalendar:
    """Returns the effective calendar: settings plus the holidays and overrides in the DB."""
    extra = {row.day: row.name for row in await uow.calendar.holidays()}
    removed = [row.day for row in await uow.calendar.removed()]
    overrides = [
        ScheduleOverride(row.start_day, row.end_day, WeeklySchedule.parse(row.spec), row.name)
        for row in await uow.calendar.overrides()
    ]
    return BusinessCalendar(
        tz=settings.timezone,
        schedule=WeeklySchedule.parse(settings.office_hours),
        extra_holidays=extra,
        removed_holidays=removed,
        overrides=overrides,
    )


def _clean_name(name: str) -> str:
    return within(name, 0, NAME_MAX, "calendar_name", one_line=True)


async def overview(uow: UnitOfWork, ctx: Context) -> CalendarOverview:
    """Returns the holidays of the next 90 days and every override (admins only)."""
    await require_admin(uow, ctx)
    calendar = await load_calendar(uow, ctx.settings)
    added = set(calendar.extra_holidays)
    start = ctx.now.astimezone(calendar.tz).date()
    end = start + timedelta(days=UPCOMING_DAYS)
    holidays: list[HolidayView] = []
    day = start
    while day <= end:
        name = calendar.holiday_name(day)
        if name is not None:
            holidays.append(HolidayView(day, name, day in added))
        day += timedelta(days=1)
    overrides = tuple(
        OverrideView(row.id, row.start_day, row.end_day, row.spec, row.name)
        for row in await uow.calendar.overrides()
    )
    removed = tuple(d for d in sorted(calendar.removed_holidays) if d >= start)
    return CalendarOverview(start, end, tuple(holidays), overrides, removed)


async def _apply(uow: UnitOfWork, ctx: Context) -> CalendarChange:
    await uow.calendar.flush()
    calendar = await load_calendar(uow, ctx.settings)
    count = await sla.recompute_open(uow, replace(ctx, calendar=calendar))
    await uow.commit()
    return CalendarChange(calendar, count)


async def add_holiday(uow: UnitOfWork, ctx: Context, day: date, name: str) -> CalendarChange:
    """Adds a holiday (admins only) and recomputes the due dates of open tickets."""
    await require_admin(uow, ctx)
    cleaned = _clean_name(name)
    if not cleaned:
        raise InvalidInput("calendar_name")
    await uow.calendar.set_holiday(day, cleaned)
    return await _apply(uow, ctx)


async def remove_holiday(uow: UnitOfWork, ctx: Context, day: date) -> CalendarChange:
    """Removes an added holiday, or makes a national holiday a working day (admins only)."""
    await require_admin(uow, ctx)
    if not await uow.calendar.drop_holiday(day):
        calendar = await load_calendar(uow, ctx.settings)
        if calendar.holiday_name(day) is None:
            raise NotFound("not_a_holiday", day=day.isoformat())
        await uow.calendar.remove_national(day)
    return await _apply(uow, ctx)


async def add_override(
    uow: UnitOfWork,
    ctx: Context,
    start: date,
    end: date,
    spec: str,
    name: str,
    *,
    confirmed: bool = False,
) -> CalendarChange:
    """Replaces the weekly schedule for a date range (admins only), e.g. Ramadan hours.

    An empty spec closes the office. Unless ``confirmed``, an override under which a day of the
    range that is a working day now would be closed is refused with ClosesWorkingDays.
    """
    await require_admin(uow, ctx)
    if start > end:
        raise InvalidInput("override_range")
    if (end - start).days >= OVERRIDE_DAYS_MAX:
        raise InvalidInput("override_too_long", days=OVERRIDE_DAYS_MAX)
    if len(spec) > SPEC_MAX:
        raise InvalidInput("schedule_spec")
    try:
        schedule = WeeklySchedule.parse(spec)
    except ValueError:
        raise InvalidInput("schedule_spec") from None
    if not confirmed:
        calendar = await load_calendar(uow, ctx.settings)
        closed = _closed_working_days(calendar, schedule, start, end)
        if closed:
            raise ClosesWorkingDays(days=closed)
    uow.calendar.add_override(
        CalendarOverride(
            start_day=start, end_day=end, spec=schedule.describe(), name=_clean_name(name)
        )
    )
    return await _apply(uow, ctx)


def _closed_working_days(
    calendar: BusinessCalendar, schedule: WeeklySchedule, start: date, end: date
) -> tuple[date, ...]:
    """Returns the days of the range that are working days now and the schedule closes."""
    closed: list[date] = []
    day = start
    while day <= end:
        if not schedule.days[day.weekday()] and calendar.is_working_day(day):
            closed.append(day)
        day += timedelta(days=1)
    return tuple(closed)


async def remove_override(uow: UnitOfWork, ctx: Context, override_id: int) -> CalendarChange:
    """Deletes a schedule override (admins only)."""
    await require_admin(uow, ctx)
    if not await uow.calendar.drop_override(override_id):
        raise NotFound("override_not_found", id=override_id)
    return await _apply(uow, ctx)
