"""Tests for the business calendar: worked examples from the service standard and properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.calendar import (
    DEFAULT_SCHEDULE,
    BusinessCalendar,
    Remaining,
    ScheduleOverride,
    Segment,
    WeeklySchedule,
)

WIB = ZoneInfo("Asia/Jakarta")
RAMADAN_2027 = ScheduleOverride(
    start=date(2027, 2, 8),
    end=date(2027, 3, 9),
    schedule=WeeklySchedule.parse("mon-thu 08:00-14:00; fri 08:00-11:00"),
    name="Ramadan 1448 H",
)
EXTRA_HOLIDAY = date(2026, 4, 1)  # a Wednesday
REMOVED_HOLIDAY = date(2026, 12, 24)  # Thursday, Cuti Bersama Hari Raya Natal


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


PLAIN = BusinessCalendar()
CAL = BusinessCalendar(
    extra_holidays={EXTRA_HOLIDAY: "Hari Jadi Kota Pekalongan"},
    removed_holidays=[REMOVED_HOLIDAY],
    overrides=[RAMADAN_2027],
)


# --- an independent reference model of the office hours of CAL, written from the standard ---

_PACKAGE_HOLIDAYS = set(
    holidays.country_holidays(
        "ID", years=range(2024, 2031), categories=("public", "government"), language="id"
    )
)
REFERENCE_HOLIDAYS = (_PACKAGE_HOLIDAYS | {EXTRA_HOLIDAY}) - {REMOVED_HOLIDAY}
_NORMAL_HOURS = {
    0: [(time(8), time(12)), (time(12, 30), time(15, 45))],
    1: [(time(8), time(12)), (time(12, 30), time(15, 45))],
    2: [(time(8), time(12)), (time(12, 30), time(15, 45))],
    3: [(time(8), time(12)), (time(12, 30), time(15, 45))],
    4: [(time(8), time(11))],
}
_RAMADAN_HOURS = {0: [(time(8), time(14))], 1: [(time(8), time(14))], 2: [(time(8), time(14))]}
_RAMADAN_HOURS |= {3: [(time(8), time(14))], 4: [(time(8), time(11))]}


def reference_segments(day: date) -> list[tuple[datetime, datetime]]:
    if day in REFERENCE_HOLIDAYS:
        return []
    in_ramadan = date(2027, 2, 8) <= day <= date(2027, 3, 9)
    hours = (_RAMADAN_HOURS if in_ramadan else _NORMAL_HOURS).get(day.weekday(), [])
    return [
        (datetime.combine(day, s, tzinfo=WIB), datetime.combine(day, e, tzinfo=WIB))
        for s, e in hours
    ]


def reference_minutes(a: datetime, b: datetime) -> float:
    total = timedelta()
    day = a.astimezone(WIB).date()
    while day <= b.astimezone(WIB).date():
        for start, end in reference_segments(day):
            total += max(timedelta(), min(end, b) - max(start, a))
        day += timedelta(days=1)
    return total / timedelta(minutes=1)


def same_instant(a: datetime, b: datetime) -> bool:
    # Inter-zone == is always False for ambiguous or imaginary local times (PEP 495), and
    # hypothesis generates those in Berlin and New York, so instants are compared in UTC.
    return a.astimezone(UTC) == b.astimezone(UTC)


def reference_open(at: datetime) -> bool:
    return any(s <= at < e for s, e in reference_segments(at.astimezone(WIB).date()))


# --- strategies --------------------------------------------------------------------------

ZONES = [WIB, ZoneInfo("UTC"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]
BOUNDARIES = [time(7, 59), time(8), time(11), time(12), time(12, 30), time(14), time(15, 45)]

random_instants = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive by contract
    max_value=datetime(2028, 12, 31, 23, 59, 59),  # noqa: DTZ001
    timezones=st.sampled_from(ZONES),
)
boundary_instants = st.builds(
    lambda day, moment: datetime.combine(day, moment, tzinfo=WIB),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    st.sampled_from(BOUNDARIES),
)
instants = st.one_of(random_instants, boundary_instants)
minute_counts = st.integers(min_value=0, max_value=5000)
positive_minutes = st.integers(min_value=1, max_value=5000)

PROPERTY = settings(max_examples=200, deadline=None)


# --- properties --------------------------------------------------------------------------


@PROPERTY
@given(start=instants, minutes=minute_counts)
def test_added_minutes_land_inside_office_hours(start: datetime, minutes: int) -> None:
    result = CAL.add_working_minutes(start, minutes)
    assert result.tzinfo is CAL.tz
    if minutes == 0:
        assert same_instant(result, start)
        return
    assert result > start
    segments = reference_segments(result.date())
    assert any(s < result <= e for s, e in segments), result
    assert result.date() not in REFERENCE_HOLIDAYS
    assert CAL.is_open(result - timedelta(microseconds=1))


@PROPERTY
@given(start=instants, x=minute_counts, y=minute_counts)
def test_adding_minutes_is_monotonic(start: datetime, x: int, y: int) -> None:
    low, high = sorted((x, y))
    if low == high:
        assert CAL.add_working_minutes(start, low) == CAL.add_working_minutes(start, high)
    else:
        assert CAL.add_working_minutes(start, low) < CAL.add_working_minutes(start, high)


@PROPERTY
@given(start=instants, x=positive_minutes, y=positive_minutes)
def test_adding_minutes_is_additive(start: datetime, x: int, y: int) -> None:
    stepwise = CAL.add_working_minutes(CAL.add_working_minutes(start, x), y)
    assert stepwise == CAL.add_working_minutes(start, x + y)


@PROPERTY
@given(start=instants, minutes=st.floats(min_value=0, max_value=5000))
def test_minutes_between_inverts_adding(start: datetime, minutes: float) -> None:
    end = CAL.add_working_minutes(start, minutes)
    assert CAL.working_minutes_between(start, end) == pytest.approx(minutes, abs=1e-6)


@PROPERTY
@given(a=instants, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)))
def test_minutes_between_matches_reference(a: datetime, span: timedelta) -> None:
    b = a + span
    assert CAL.working_minutes_between(a, b) == pytest.approx(reference_minutes(a, b), abs=1e-9)
    assert CAL.working_minutes_between(b, a) == 0.0


@PROPERTY
@given(at=instants)
def test_is_open_and_next_opening_match_reference(at: datetime) -> None:
    assert CAL.is_open(at) == reference_open(at)
    opening = CAL.next_opening(at)
    assert opening.tzinfo is CAL.tz
    assert opening >= at
    assert reference_open(opening)
    assert reference_minutes(at, opening) == 0
    if reference_open(at):
        assert same_instant(opening, at)


@PROPERTY
@given(received=instants, days=st.integers(min_value=1, max_value=10))
def test_working_days_close_on_nth_working_day(received: datetime, days: int) -> None:
    due = CAL.add_working_days(received, days)
    segments = reference_segments(due.date())
    assert segments and due == segments[-1][1]
    first = received.astimezone(WIB).date() + timedelta(days=1)
    working = [
        first + timedelta(days=n)
        for n in range((due.date() - first).days + 1)
        if reference_segments(first + timedelta(days=n))
    ]
    assert len(working) == days


@PROPERTY
@given(
    week=st.lists(
        st.lists(
            st.tuples(st.integers(0, 23 * 60 + 58), st.integers(1, 120)),
            max_size=3,
        ),
        min_size=7,
        max_size=7,
    )
)
def test_schedule_describe_round_trips(week: list[list[tuple[int, int]]]) -> None:
    days: list[tuple[Segment, ...]] = []
    for raw in week:
        segments: list[Segment] = []
        cursor = 0
        for offset, length in sorted(raw):
            start = max(offset, cursor)
            end = min(start + length, 23 * 60 + 59)
            if start >= end:
                continue
            segments.append(Segment(time(start // 60, start % 60), time(end // 60, end % 60)))
            cursor = end
        days.append(tuple(segments))
    schedule = WeeklySchedule(tuple(days))
    assert WeeklySchedule.parse(schedule.describe()) == schedule


# --- worked examples: the service standard -----------------------------------------------


def test_package_holidays_march_2026_are_as_expected() -> None:
    march = sorted(d for d in _PACKAGE_HOLIDAYS if d.year == 2026 and d.month == 3)
    assert march == [date(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)]
    assert PLAIN.holiday_name(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert PLAIN.holiday_name(date(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert PLAIN.holiday_name(date(2026, 3, 17)) is None


def test_five_working_days_across_nyepi_and_idul_fitri() -> None:
    due = PLAIN.add_working_days(wib(2026, 3, 17, 10), 5)
    assert due == wib(2026, 3, 31, 15, 45)
    assert due.tzinfo is PLAIN.tz


def test_two_working_days_target() -> None:
    assert PLAIN.add_working_days(wib(2026, 3, 17, 10), 2) == wib(2026, 3, 26, 15, 45)


def test_day_of_receipt_never_counts() -> None:
    # Received before opening on a working day: that day still does not count.
    assert PLAIN.add_working_days(wib(2026, 3, 17, 7), 1) == wib(2026, 3, 25, 15, 45)
    # Received late at night in UTC terms is already the next local day in Jakarta.
    received = datetime(2026, 3, 26, 18, 0, tzinfo=UTC)  # Fri 27 Mar 01:00 WIB
    assert PLAIN.add_working_days(received, 1) == wib(2026, 3, 30, 15, 45)
    # The N-th day being a Friday ends at Friday's closing time.
    assert PLAIN.add_working_days(wib(2026, 3, 26, 9), 1) == wib(2026, 3, 27, 11)


def test_friday_just_before_and_after_closing() -> None:
    before, after = wib(2026, 11, 27, 10, 55), wib(2026, 11, 27, 11, 5)
    assert PLAIN.is_open(before)
    assert not PLAIN.is_open(after)
    assert not PLAIN.is_open(wib(2026, 11, 27, 11))
    assert PLAIN.next_opening(before) == before
    assert PLAIN.next_opening(after) == wib(2026, 11, 30, 8)
    assert PLAIN.add_working_minutes(before, 10) == wib(2026, 11, 30, 8, 5)
    assert PLAIN.add_working_minutes(after, 10) == wib(2026, 11, 30, 8, 10)


def test_minutes_may_end_exactly_at_closing() -> None:
    assert PLAIN.add_working_minutes(wib(2026, 11, 27, 10, 55), 5) == wib(2026, 11, 27, 11)
    assert PLAIN.add_working_minutes(wib(2026, 11, 26, 15), 45) == wib(2026, 11, 26, 15, 45)


def test_zero_minutes_returns_start_even_when_closed() -> None:
    sunday_utc = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    result = PLAIN.add_working_minutes(sunday_utc, 0)
    assert result == wib(2026, 11, 29, 10)
    assert result.tzinfo is PLAIN.tz


def test_lunch_break_is_skipped() -> None:
    monday = (2026, 11, 30)
    assert PLAIN.add_working_minutes(wib(*monday, 11, 50), 20) == wib(*monday, 12, 40)
    assert PLAIN.working_minutes_between(wib(*monday, 11), wib(*monday, 13)) == 90
    assert not PLAIN.is_open(wib(*monday, 12, 15))
    assert PLAIN.next_opening(wib(*monday, 12, 15)) == wib(*monday, 12, 30)
    assert PLAIN.is_working_day(date(*monday))
    assert PLAIN.working_day_length(date(*monday)) == 435


def test_minutes_between_is_exact_and_zero_backwards() -> None:
    a, b = wib(2026, 11, 30, 8, 0, 0), wib(2026, 11, 30, 8, 0, 30)
    assert PLAIN.working_minutes_between(a, b) == 0.5
    assert PLAIN.working_minutes_between(b, a) == 0
    # Mon 08:00 to next Mon 08:00 = 4 x 435 + 180 minutes.
    assert PLAIN.working_minutes_between(a, wib(2026, 12, 7, 8)) == 1920
    assert PLAIN.add_working_minutes(a, 0.5) == b


def test_segments_on_are_aware_local_datetimes() -> None:
    assert PLAIN.segments_on(date(2026, 11, 30)) == [
        (wib(2026, 11, 30, 8), wib(2026, 11, 30, 12)),
        (wib(2026, 11, 30, 12, 30), wib(2026, 11, 30, 15, 45)),
    ]
    assert PLAIN.segments_on(date(2026, 11, 27)) == [(wib(2026, 11, 27, 8), wib(2026, 11, 27, 11))]
    assert PLAIN.segments_on(date(2026, 11, 28)) == []  # Saturday
    assert PLAIN.segments_on(date(2026, 3, 19)) == []  # Nyepi
    assert PLAIN.working_day_length(date(2026, 11, 27)) == 180
    assert PLAIN.working_day_length(date(2026, 3, 19)) == 0


def test_results_are_in_calendar_zone_for_foreign_inputs() -> None:
    at = datetime(2026, 11, 27, 4, 5, tzinfo=UTC)  # Fri 11:05 WIB
    opening = PLAIN.next_opening(at)
    assert opening == wib(2026, 11, 30, 8)
    assert opening.tzinfo is PLAIN.tz
    assert opening.utcoffset() == timedelta(hours=7)
    berlin = datetime(2026, 11, 30, 2, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 08:00 WIB
    assert PLAIN.add_working_minutes(berlin, 60) == wib(2026, 11, 30, 9)
    assert BusinessCalendar(tz=WIB).tz is WIB


# --- admin changes -----------------------------------------------------------------------


def test_extra_holiday_added_by_admin() -> None:
    assert CAL.holiday_name(EXTRA_HOLIDAY) == "Hari Jadi Kota Pekalongan"
    assert not CAL.is_working_day(EXTRA_HOLIDAY)
    received = wib(2026, 3, 31, 9)
    assert PLAIN.add_working_days(received, 1) == wib(2026, 4, 1, 15, 45)
    # 1 Apr is now a holiday and 3 Apr is Good Friday.
    assert CAL.add_working_days(received, 1) == wib(2026, 4, 2, 15, 45)
    assert CAL.add_working_days(received, 2) == wib(2026, 4, 6, 15, 45)


def test_removed_package_holiday_becomes_working_day() -> None:
    assert PLAIN.holiday_name(REMOVED_HOLIDAY) == "Cuti Bersama Hari Raya Natal"
    assert CAL.holiday_name(REMOVED_HOLIDAY) is None
    assert CAL.is_working_day(REMOVED_HOLIDAY)
    received = wib(2026, 12, 23, 10)
    assert PLAIN.add_working_days(received, 1) == wib(2026, 12, 28, 15, 45)
    assert CAL.add_working_days(received, 1) == wib(2026, 12, 24, 15, 45)


def test_removal_beats_an_extra_holiday_on_the_same_date() -> None:
    calendar = BusinessCalendar(
        extra_holidays={date(2026, 11, 30): "x"}, removed_holidays=[date(2026, 11, 30)]
    )
    assert calendar.holiday_name(date(2026, 11, 30)) is None


def test_national_holidays_can_be_switched_off() -> None:
    calendar = BusinessCalendar(
        use_national_holidays=False, extra_holidays={date(2026, 3, 25): "x"}
    )
    assert calendar.holiday_name(date(2026, 3, 19)) is None
    assert calendar.add_working_days(wib(2026, 3, 17, 10), 2) == wib(2026, 3, 19, 15, 45)
    assert calendar.add_working_days(wib(2026, 3, 24, 10), 1) == wib(2026, 3, 26, 15, 45)


def test_ramadan_override_changes_closing_time() -> None:
    monday = date(2027, 2, 15)
    assert PLAIN.working_day_length(monday) == 435
    assert CAL.working_day_length(monday) == 360
    assert CAL.segments_on(monday) == [(wib(2027, 2, 15, 8), wib(2027, 2, 15, 14))]
    assert CAL.is_open(wib(2027, 2, 15, 12, 15))  # no break during Ramadan hours
    assert not CAL.is_open(wib(2027, 2, 15, 14))
    assert CAL.add_working_minutes(wib(2027, 2, 15, 13, 30), 60) == wib(2027, 2, 16, 8, 30)
    # Fri 5 Feb (cuti bersama Imlek) -> first working day is Mon 8 Feb, first override day.
    assert CAL.add_working_days(wib(2027, 2, 5, 10), 1) == wib(2027, 2, 8, 14)
    assert PLAIN.add_working_days(wib(2027, 2, 5, 10), 1) == wib(2027, 2, 8, 15, 45)
    # After Nyepi, Idul Fitri and cuti bersama the normal schedule is back on Tue 16 Mar.
    assert CAL.add_working_days(wib(2027, 3, 5, 10), 1) == wib(2027, 3, 16, 15, 45)


def test_later_override_wins() -> None:
    short = ScheduleOverride(
        date(2027, 2, 15), date(2027, 2, 15), WeeklySchedule.parse("mon 09:00-10:00")
    )
    calendar = BusinessCalendar(overrides=[RAMADAN_2027, short])
    assert calendar.working_day_length(date(2027, 2, 15)) == 60
    assert calendar.working_day_length(date(2027, 2, 16)) == 360


# --- remaining ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due", "expected", "text"),
    [
        # 315 (rest of Tue) + 435 (Wed 25) + 435 (Thu 26) = 1185 = 2 x 435 + 315.
        (wib(2026, 3, 17, 10), wib(2026, 3, 26, 15, 45), Remaining(False, 2, 5, 15),
         "2 hari kerja 5 jam 15 menit"),
        (wib(2026, 3, 17, 15, 45), wib(2026, 3, 26, 15, 45), Remaining(False, 2, 0, 0),
         "2 hari kerja"),
        # 435 (Thu) + 180 (Fri) = 615 = 435 + 180.
        (wib(2026, 3, 26, 8), wib(2026, 3, 27, 11), Remaining(False, 1, 3, 0),
         "1 hari kerja 3 jam"),
        (wib(2026, 3, 30, 11, 15), wib(2026, 3, 30, 12), Remaining(False, 0, 0, 45), "45 menit"),
        (wib(2026, 3, 30, 8), wib(2026, 3, 30, 8, 1, 59), Remaining(False, 0, 0, 1), "1 menit"),
        (wib(2026, 3, 30, 8), wib(2026, 3, 30, 8, 0, 59), Remaining(False, 0, 0, 0),
         "kurang dari 1 menit"),
        (wib(2026, 3, 30, 9), wib(2026, 3, 30, 9), Remaining(False, 0, 0, 0),
         "kurang dari 1 menit"),
        # Due Thu 15:45, now Fri 10:00: two working hours late.
        (wib(2026, 3, 27, 10), wib(2026, 3, 26, 15, 45), Remaining(True, 0, 2, 0),
         "terlambat 2 jam"),
        # Due Tue 17 Mar 10:00, now Fri 27 Mar 09:30: 315 + 435 + 435 + 90 = 1275 = 870 + 405.
        (wib(2026, 3, 27, 9, 30), wib(2026, 3, 17, 10), Remaining(True, 2, 6, 45),
         "terlambat 2 hari kerja 6 jam 45 menit"),
        # Late in real time, but no working time has passed since the deadline.
        (wib(2026, 3, 27, 14), wib(2026, 3, 27, 11), Remaining(True, 0, 0, 0),
         "terlambat kurang dari 1 menit"),
    ],
)  # fmt: skip
def test_remaining(now: datetime, due: datetime, expected: Remaining, text: str) -> None:
    result = PLAIN.remaining(now, due)
    assert result == expected
    assert result.describe() == text


def test_remaining_describe_directly() -> None:
    assert Remaining(True, 0, 3, 0).describe() == "terlambat 3 jam"
    assert Remaining(False, 1, 0, 5).describe() == "1 hari kerja 5 menit"


def test_remaining_total_minutes() -> None:
    result = PLAIN.remaining(wib(2026, 3, 30, 8), wib(2026, 3, 30, 8, 0, 30))
    assert result.total_minutes == 0.5


# --- schedules ---------------------------------------------------------------------------


def test_default_schedule_describes_the_standard() -> None:
    assert DEFAULT_SCHEDULE.describe() == "mon-thu 08:00-12:00,12:30-15:45; fri 08:00-11:00"
    assert WeeklySchedule.parse(DEFAULT_SCHEDULE.describe()) == DEFAULT_SCHEDULE
    assert DEFAULT_SCHEDULE.days[5] == () and DEFAULT_SCHEDULE.days[6] == ()
    assert DEFAULT_SCHEDULE.days[4] == (Segment(time(8), time(11)),)


def test_parse_is_lenient_about_case_order_and_spacing() -> None:
    spec = " FRI 08:00-11:00 ;Mon-Wed 12:30-15:45, 08:00-12:00; thu 08:00-12:00,12:30-15:45; "
    assert WeeklySchedule.parse(spec) == DEFAULT_SCHEDULE
    mixed = WeeklySchedule.parse("mon,wed-thu 08:00-09:00; sat 10:00:30-11:00")
    assert mixed.describe() == "mon 08:00-09:00; wed-thu 08:00-09:00; sat 10:00:30-11:00"
    assert WeeklySchedule.parse(mixed.describe()) == mixed
    assert WeeklySchedule.parse("").days == ((),) * 7


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("mon-thu 08:00-12:00,11:00-13:00", "overlapping"),
        ("mun 08:00-12:00", "unknown day"),
        ("mon 12:00-08:00", "start before"),
        ("mon 08:00-08:00", "start before"),
        ("garbage", "needs days and segments"),
        ("mon", "needs days and segments"),
        ("mon 8-12", "invalid time"),
        ("mon 08:00", "invalid segment"),
        ("mon 08:00-12:00,", "invalid segment"),
        ("mon 25:00-26:00", "out of range"),
        ("thu-mon 08:00-12:00", "run forward"),
        ("mon 08:00-12:00; mon-tue 13:00-14:00", "twice"),
        ("mon,mon 08:00-12:00", "twice"),
        ("every day 08:00-12:00", "unknown day"),
    ],
)
def test_parse_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeeklySchedule.parse(spec)


def test_invalid_structures_are_rejected() -> None:
    with pytest.raises(ValueError):
        Segment(time(12), time(8))
    with pytest.raises(ValueError):
        WeeklySchedule(((),) * 6)
    with pytest.raises(ValueError):
        ScheduleOverride(date(2027, 3, 9), date(2027, 2, 8), DEFAULT_SCHEDULE)
    with pytest.raises(ValueError, match="no open segment"):
        BusinessCalendar(schedule=WeeklySchedule.parse(""))


# --- guards ------------------------------------------------------------------------------


def test_searches_are_capped_when_nothing_ever_opens() -> None:
    closed = ScheduleOverride(date(2026, 1, 1), date(2045, 12, 31), WeeklySchedule.parse(""))
    calendar = BusinessCalendar(overrides=[closed])
    start = wib(2026, 3, 2, 9)
    with pytest.raises(ValueError, match="no working day"):
        calendar.next_opening(start)
    with pytest.raises(ValueError, match="no working day"):
        calendar.add_working_minutes(start, 1)
    with pytest.raises(ValueError, match="no working day"):
        calendar.add_working_days(start, 1)


def test_long_horizons_are_fast_and_correct() -> None:
    # About ten years of working days: must walk day by day, not minute by minute.
    due = PLAIN.add_working_days(wib(2026, 1, 2, 9), 2400)
    assert 2035 <= due.year <= 2037
    assert due == PLAIN.segments_on(due.date())[-1][1]
    start = wib(2026, 1, 5, 8)
    minutes = 2400 * 435
    end = PLAIN.add_working_minutes(start, minutes)
    assert PLAIN.working_minutes_between(start, end) == minutes


@pytest.mark.parametrize("bad", [-1, -0.5, float("nan"), float("inf")])
def test_bad_minute_counts_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError):
        PLAIN.add_working_minutes(wib(2026, 3, 30, 9), bad)


@pytest.mark.parametrize("bad", [0, -1])
def test_bad_day_counts_are_rejected(bad: int) -> None:
    with pytest.raises(ValueError):
        PLAIN.add_working_days(wib(2026, 3, 30, 9), bad)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 3, 30, 9)  # noqa: DTZ001 - deliberately naive
    aware = wib(2026, 3, 30, 9)
    calls: list[Callable[[], object]] = [
        lambda: PLAIN.is_open(naive),
        lambda: PLAIN.next_opening(naive),
        lambda: PLAIN.add_working_minutes(naive, 10),
        lambda: PLAIN.add_working_minutes(naive, 0),
        lambda: PLAIN.working_minutes_between(naive, aware),
        lambda: PLAIN.working_minutes_between(aware, naive),
        lambda: PLAIN.add_working_days(naive, 1),
        lambda: PLAIN.remaining(naive, aware),
        lambda: PLAIN.remaining(aware, naive),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="timezone-aware"):
            call()
