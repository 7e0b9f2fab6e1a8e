"""The figures of /laporan against a history worked out by hand, and the documents read back.

October 2026 has no holiday; a working day Mon-Thu is 435 minutes (08:00-12:00, 12:30-15:45),
Friday 180 minutes (08:00-11:00). Durations are net of holds. Percentiles interpolate linearly
between ranks (PERCENTILE.INC).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from bot.services import reports
from bot.services.clock import FrozenClock
from bot.services.container import Services
from bot.services.context import Context
from bot.services.errors import InvalidInput
from bot.services.reports import schedule
from bot.services.reports.figures import Report, percentile
from bot.services.reports.period import (
    Period,
    Preset,
    parse,
    preset,
    previous_month,
    previous_quarter,
)
from tests.reports_history import WIB, History, build, wib

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
DAY = 435.0


async def _report(services: Services, clock: FrozenClock, period: Period = OCTOBER) -> Report:
    clock.set(wib(11, 2, 9))
    async with services.uow() as uow:
        return await reports.report_of(uow, services.context(), period)


@pytest.fixture
async def history(services: Services) -> History:
    return await build(services)


def _close(value: float | None, expected: float) -> bool:
    return value is not None and value == pytest.approx(expected, abs=1e-6)


async def test_the_headline_figures_match_the_hand_computed_ones(
    services: Services, clock: FrozenClock, history: History
) -> None:
    report = await _report(services, clock)
    s = report.summary

    assert report.as_of == wib(11, 1)  # the end of October, not now
    assert (s.received, s.closed, s.cancelled, s.open_at_end) == (6, 3, 1, 2)
    # Response: T5 0 h, T1 1 h, T3 2.25 h (Thu 14:00-15:45 + Fri 08:00-08:30), T2 2.5 h.
    assert s.response_hours.count == 4
    assert _close(s.response_hours.median, 1.625)
    assert _close(s.response_hours.p90, 2.425)
    # To the (last) repair report: T1 330 min, T2 1245 - 195 held = 1050, T5 1980.
    assert _close(s.repair_days.median, 1050 / DAY)
    assert _close(s.repair_days.p90, (1050 + 0.8 * 930) / DAY)
    # To closing: T1 555, T2 1110, T5 2415.
    assert _close(s.closing_days.median, 1110 / DAY)
    assert _close(s.closing_days.p90, (1110 + 0.8 * 1305) / DAY)
    assert (s.within_target, s.within_deadline) == (2, 2)
    assert _close(s.target_share, 200 / 3)
    assert _close(s.deadline_share, 200 / 3)
    assert s.breaches == 2  # T3 open past its deadline, T5 closed after it
    assert (s.reopens, s.reopened_tickets, s.repaired_tickets) == (1, 1, 3)
    assert _close(s.reopen_rate, 100 / 3)
    assert (s.holds, s.held_tickets) == (1, 1)
    assert _close(s.paused_hours, 3.25)  # Mon 13:30-15:45 and Tue 08:00-09:00
    assert (s.light, s.heavy, s.unclassified) == (2, 2, 2)
    assert (s.material_requested, s.material_approved) == (3, 1)
    assert (s.material_rejected, s.material_revised) == (1, 1)
    assert s.ratings.count == 3
    assert _close(s.ratings.average, 3.0)
    assert dict(s.ratings.distribution) == {1: 0, 2: 1, 3: 1, 4: 1}


async def test_each_ticket_carries_its_clocks_and_durations(
    services: Services, clock: FrozenClock, history: History
) -> None:
    report = await _report(services, clock)
    lines = {line.number: line for line in report.tickets}

    assert sorted(lines) == [f"BN-2026-{n:05d}" for n in range(1, 7)]  # not 7 and 8
    t2 = lines["BN-2026-00002"]
    # Target: Wed 7 Oct 15:45 pushed by 195 paused minutes to Thu 11:15.
    assert t2.target_due == wib(10, 8, 11, 15)
    assert t2.deadline_due == wib(10, 13, 11, 15)
    assert t2.repaired_at == wib(10, 8, 9)  # the repair the OPD confirmed
    assert (t2.holds, t2.reopens, t2.within_target, t2.breached) == (1, 1, True, False)
    t3 = lines["BN-2026-00003"]
    assert (t3.status, t3.breached, t3.closed_at) == ("REPAIRING", True, None)
    assert t3.deadline_due == wib(10, 15, 15, 45)
    t5 = lines["BN-2026-00005"]
    assert (t5.within_target, t5.within_deadline, t5.breached) == (False, False, True)
    assert lines["BN-2026-00004"].cancelled_at == wib(10, 9, 10)
    assert not lines["BN-2026-00004"].breached
    assert lines["BN-2026-00006"].status == "NEW"


async def test_per_opd_technician_and_category(
    services: Services, clock: FrozenClock, history: History
) -> None:
    report = await _report(services, clock)
    opd = {g.name: g for g in report.per_opd}
    tech = {g.name: g for g in report.per_technician}
    category = {g.name: g for g in report.per_category}

    a, b = opd[history.opd_a], opd[history.opd_b]
    assert (a.received, a.closed, a.open, a.within_target, a.within_deadline) == (3, 3, 0, 2, 2)
    assert (a.breaches, a.reopens) == (1, 1)
    assert _close(a.rating_average, 3.0)
    assert _close(a.closing_median_days, 1110 / DAY)
    assert (b.received, b.closed, b.open, b.breaches, b.rating_average) == (3, 0, 2, 1, None)
    assert set(tech) == {history.budi, history.sari}  # unassigned tickets are nobody's
    budi, sari = tech[history.budi], tech[history.sari]
    assert (budi.received, budi.closed, budi.within_target, budi.breaches, budi.reopens) == (
        2,
        2,
        2,
        0,
        1,
    )
    assert _close(budi.rating_average, 3.5)
    assert (sari.received, sari.closed, sari.within_target, sari.breaches, sari.reopens) == (
        2,
        1,
        0,
        2,
        0,
    )
    assert _close(sari.rating_average, 2.0)
    assert {name: g.received for name, g in category.items()} == {
        "internet_down": 1,
        "other": 2,
        "slow": 2,
        "wifi": 1,
    }
    assert category["slow"].within_target == 1


async def test_complaints_of_the_period(
    services: Services, clock: FrozenClock, history: History
) -> None:
    c = (await _report(services, clock)).complaints

    assert c.received == 3
    assert dict(c.by_channel) == {"bot": 1, "email": 1, "phone": 1}
    assert dict(c.by_category) == {"slow_service": 2, "staff_behaviour": 1}
    assert (c.answered_in_time, c.resolved_in_time, c.escalated, c.still_open) == (1, 1, 1, 1)


async def test_the_weekly_series_counts_receipts_and_closings(
    services: Services, clock: FrozenClock, history: History
) -> None:
    report = await _report(services, clock)

    assert report.weekly
    weeks = {b.first: (b.received, b.closed) for b in report.buckets}
    assert weeks[date(2026, 9, 28)] == (0, 0)  # the week holding 1 October
    assert weeks[date(2026, 10, 5)] == (4, 2)
    assert weeks[date(2026, 10, 12)] == (1, 1)
    assert weeks[date(2026, 10, 26)] == (1, 0)
    assert sum(b.received for b in report.buckets) == 6


async def test_a_period_without_tickets_gives_zeros(
    services: Services, clock: FrozenClock, history: History
) -> None:
    report = await _report(services, clock, Period(date(2026, 1, 1), date(2026, 6, 30)))
    s = report.summary

    assert (s.received, s.closed, s.breaches, s.ratings.count) == (0, 0, 0, 0)
    assert s.response_hours.median is None and s.target_share is None
    assert report.complaints.received == 0
    assert not report.weekly and len(report.buckets) == 6  # half a year: per month
    async with services.uow() as uow:
        prepared = await reports.prepare(uow, services.context(), report.period)
    documents = reports.build_documents(prepared, services.calendar, services.settings)
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx))
    assert book["Tiket"].max_row == 1
    assert "Tidak ada data" in PdfReader(io.BytesIO(documents.pdf)).pages[1].extract_text() or (
        "Tidak ada data"
        in "".join(p.extract_text() for p in PdfReader(io.BytesIO(documents.pdf)).pages)
    )


async def test_the_workbook_holds_real_numbers_and_dates(
    services: Services, clock: FrozenClock, history: History
) -> None:
    clock.set(wib(11, 2, 9))
    async with services.uow() as uow:
        prepared = await reports.prepare(uow, services.context(), OCTOBER)
    documents = reports.build_documents(prepared, services.calendar, services.settings)
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx))

    assert documents.xlsx_name == "laporan-2026-10-01_2026-10-31.xlsx"
    assert book.sheetnames == [
        "Ringkasan",
        "Per OPD",
        "Per teknisi",
        "Per kategori",
        "Tiket",
        "Pengaduan",
        "SKM",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.column_dimensions["A"].width > 5, sheet.title
    tickets = book["Tiket"]
    header = [cell.value for cell in tickets[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in tickets.iter_rows(2, values_only=True)
    }
    assert len(rows) == 6
    t1 = rows["BN-2026-00001"]
    # Excel has no time zones: the cells hold the local time as a real date.
    assert t1["Diterima"] == wib(10, 5, 8).replace(tzinfo=None)
    assert t1["Selesai"] == wib(10, 6, 10).replace(tzinfo=None)
    assert isinstance(t1["Ditangani"], datetime)
    assert t1["Respons (jam kerja)"] == 1.0
    assert t1["s.d. selesai (hari kerja)"] == round(555 / DAY, 2)
    assert t1["Penilaian"] == 4
    received = tickets.cell(2, 7)
    assert isinstance(received, openpyxl.cell.Cell) and received.is_date
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(2, values_only=True)}
    assert summary["Laporan gangguan diterima"] == 6
    assert summary["Melewati batas waktu standar"] == 2
    assert isinstance(summary["Waktu respons (diterima s.d. ditangani), median"], float)
    opd = {row[0]: row for row in book["Per OPD"].iter_rows(2, values_only=True)}
    assert opd[history.opd_a][1:4] == (3, 3, 0)
    skm = {row[1]: row[2] for row in book["SKM"].iter_rows(2, values_only=True)}
    assert skm["Persyaratan"] == 3.5 and skm["Jumlah responden"] == 2
    assert skm["IKM konversi (x 25)"] == 88.89 and skm["Mutu pelayanan"] == "A"
    complaints = [row for row in book["Pengaduan"].iter_rows(2, values_only=True)]
    assert [row[0] for row in complaints[:3]] == [
        "ADU-2026-00009",
        "ADU-2026-00010",
        "ADU-2026-00011",
    ]


async def test_the_pdf_reads_as_the_evaluation_report_with_its_charts(
    services: Services, clock: FrozenClock, history: History
) -> None:
    clock.set(wib(11, 2, 9))
    async with services.uow() as uow:
        prepared = await reports.prepare(uow, services.context(), OCTOBER)
    documents = reports.build_documents(prepared, services.calendar, services.settings)
    pdf = PdfReader(io.BytesIO(documents.pdf))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())

    assert "LAPORAN EVALUASI KINERJA PELAYANAN PENANGANAN LOKAL" in text
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in text
    assert "Periode: 1 Oktober 2026 s.d. 31 Oktober 2026" in text
    assert "dihitung pada periode tanggal laporan gangguan diterima" in flat
    assert "Kepala Bidang Infrastruktur dan Statistik" in flat
    assert history.opd_a in flat
    assert "Budi Santoso" in text
    images = sum(len(page.images) for page in pdf.pages)
    # Tickets per week, share within target per OPD, technicians' workload, SKM per element.
    assert images == 4
    assert "Sangat Baik" in flat and "88,89" in flat


async def test_the_skm_of_the_period(
    services: Services, clock: FrozenClock, history: History
) -> None:
    skm = (await _report(services, clock)).skm

    assert skm is not None and skm.respondents == 2  # not the September questionnaire
    assert [e.nrr for e in skm.elements] == [3.5, 4, 3, 4, 3.5, 3, 4, 3.5, 3.5]
    assert _close(skm.elements[0].weighted, 3.5 / 9)
    assert _close(skm.ikm, 32 / 9)
    assert skm.converted == 88.89
    assert (skm.grade, skm.performance) == ("A", "Sangat Baik")


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([4.0], 90) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([10.0, 0.0, 20.0], 90) == pytest.approx(18.0)


def test_periods_from_buttons_and_typed_dates() -> None:
    today = date(2026, 11, 28)
    assert preset(Preset.THIS_MONTH, today) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert preset(Preset.LAST_MONTH, today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert preset(Preset.THIS_QUARTER, today) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert preset(Preset.LAST_QUARTER, today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert preset(Preset.THIS_YEAR, today) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert previous_quarter(date(2027, 1, 4)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert previous_month(date(2027, 3, 1)) == Period(date(2027, 2, 1), date(2027, 2, 28))
    assert parse(["2026-07-01", "2026-09-30"]) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert parse(["2024-01-01", "2024-12-31"]).days == 366


@pytest.mark.parametrize(
    "args",
    [
        ["2026-02-30", "2026-03-01"],  # no such date
        ["2026-09-30", "2026-07-01"],  # reversed
        ["2025-01-01", "2026-01-02"],  # 367 days
        ["2026-07-01"],
        ["20260701", "20260930"],
        ["kemarin", "hari ini"],
    ],
)
def test_bad_periods_get_the_usage_line(args: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(args)
    assert caught.value.code == "report_usage"


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2027, 1, 1, 9, 0, tzinfo=WIB), False),  # New Year's Day: a holiday
        (datetime(2027, 1, 4, 7, 59, tzinfo=WIB), False),  # the first working day, before opening
        (datetime(2027, 1, 4, 8, 0, tzinfo=WIB), True),  # ... at its opening
        (datetime(2027, 1, 6, 9, 0, tzinfo=WIB), True),  # catching up a few days later
        (datetime(2027, 1, 12, 9, 0, tzinfo=WIB), False),  # more than a week later: too late
    ],
)
def test_the_schedule_window_opens_on_the_first_working_day(
    services: Services, now: datetime, due: bool
) -> None:
    ctx = Context(now, services.calendar, services.settings)

    assert (schedule.window(ctx) is not None and ctx.calendar.is_open(now)) is due
