"""The period of a report: whole local days, from the presets or two dates typed by the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.services.errors import InvalidInput

MAX_DAYS = 366


class Preset(StrEnum):
    """The periods offered as buttons (values travel in callback data)."""

    THIS_MONTH = "tm"
    LAST_MONTH = "lm"
    THIS_QUARTER = "tq"
    LAST_QUARTER = "lq"
    THIS_YEAR = "ty"


@dataclass(frozen=True)
class Period:
    """The local days ``first`` to ``last`` (both inclusive)."""

    first: date
    last: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Returns [start, end) of the period as UTC instants (local midnights)."""
        start = datetime.combine(self.first, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(), tzinfo=tz)
        return start, end.astimezone(UTC)

    @property
    def days(self) -> int:
        """Returns the number of days of the period."""
        return (self.last - self.first).days + 1


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_of(day: date) -> Period:
    """Returns the calendar month that holds the day."""
    return Period(day.replace(day=1), _month_end(day.year, day.month))


def quarter_of(day: date) -> Period:
    """Returns the calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) that holds the day."""
    first_month = (day.month - 1) // 3 * 3 + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + 2))


def previous_month(day: date) -> Period:
    """Returns the month before the one that holds the day."""
    return month_of(day.replace(day=1) - timedelta(days=1))


def previous_quarter(day: date) -> Period:
    """Returns the quarter before the one that holds the day."""
    return quarter_of(quarter_of(day).first - timedelta(days=1))


def preset(kind: Preset, today: date) -> Period:
    """Returns the period a button names, seen from a local day."""
    match kind:
        case Preset.THIS_MONTH:
            return month_of(today)
        case Preset.LAST_MONTH:
            return previous_month(today)
        case Preset.THIS_QUARTER:
            return quarter_of(today)
        case Preset.LAST_QUARTER:
            return previous_quarter(today)
        case Preset.THIS_YEAR:
            return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def parse(args: list[str]) -> Period:
    """Returns the period of ``/laporan YYYY-MM-DD YYYY-MM-DD``.

    Refuses (``report_usage``) anything but two existing dates in order spanning at most
    366 days.
    """
    if len(args) != 2:
        raise InvalidInput("report_usage")
    try:
        first, last = (date.fromisoformat(arg) for arg in args)
    except ValueError:
        raise InvalidInput("report_usage") from None
    if any(len(arg) != 10 for arg in args):  # fromisoformat also takes 20261130
        raise InvalidInput("report_usage")
    period = Period(first, last)
    if last < first or period.days > MAX_DAYS:
        raise InvalidInput("report_usage")
    return period
