"""The XLSX workbook of a report (openpyxl, write-only so a quarter of 10,000 tickets is quick).

Cells hold real numbers and dates (local time of the calendar, as Excel has no time zones);
every sheet has its header row frozen and its column widths set.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.services.reports import words as w
from bot.services.reports.figures import Group, Report, Summary

DATE_TIME = "dd/mm/yyyy hh:mm"
DATE = "dd/mm/yyyy"
NUMBER = "0.00"
PERCENT = "0.0"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP = Alignment(wrap_text=True, vertical="top")

Value = str | int | float | datetime | date | None


class _Sheet:
    """A write-only sheet with a styled, frozen header row and set widths."""

    def __init__(
        self, book: Workbook, title: str, headers: Sequence[str], widths: Sequence[float]
    ) -> None:
        sheet = book.create_sheet(title)
        assert isinstance(sheet, WriteOnlyWorksheet)  # noqa: S101 - the book is write-only
        self.sheet = sheet
        sheet.freeze_panes = "A2"
        # The stubs miss the write-only sheet's column_dimensions (set before any row).
        dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
        for index, width in enumerate(widths, start=1):
            dimensions[get_column_letter(index)].width = width
        header = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
            header.append(cell)
        sheet.append(header)

    def row(self, values: Iterable[Any], formats: Sequence[str | None] = ()) -> None:
        """Appends a row; a format applies to the value in the same column."""
        if not formats:
            self.sheet.append(list(values))
            return
        cells: list[Any] = []
        for index, value in enumerate(values):
            fmt = formats[index] if index < len(formats) else None
            if fmt is None or value is None:
                cells.append(value)
            else:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = fmt
                cells.append(cell)
        self.sheet.append(cells)


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _summary_rows(
    s: Summary, report: Report, target: int, deadline: int
) -> list[tuple[str, Value, str]]:
    c = report.complaints
    rows: list[tuple[str, Value, str]] = [
        (w.RECEIVED, s.received, w.UNIT_TICKETS),
        (w.CLOSED, s.closed, w.UNIT_TICKETS),
        (w.CANCELLED, s.cancelled, w.UNIT_TICKETS),
        (w.OPEN, s.open_at_end, w.UNIT_TICKETS),
        (w.RESPONSE_MEDIAN, _round(s.response_hours.median), w.UNIT_HOURS),
        (w.RESPONSE_P90, _round(s.response_hours.p90), w.UNIT_HOURS),
        (w.REPAIR_MEDIAN, _round(s.repair_days.median), w.UNIT_DAYS),
        (w.REPAIR_P90, _round(s.repair_days.p90), w.UNIT_DAYS),
        (w.CLOSING_MEDIAN, _round(s.closing_days.median), w.UNIT_DAYS),
        (w.CLOSING_P90, _round(s.closing_days.p90), w.UNIT_DAYS),
        (w.WITHIN_TARGET.format(days=target), s.within_target, w.UNIT_TICKETS),
        (w.WITHIN_TARGET.format(days=target), _round(s.target_share, 1), w.UNIT_PERCENT),
        (w.WITHIN_DEADLINE.format(days=deadline), s.within_deadline, w.UNIT_TICKETS),
        (w.WITHIN_DEADLINE.format(days=deadline), _round(s.deadline_share, 1), w.UNIT_PERCENT),
        (w.BREACHES, s.breaches, w.UNIT_TICKETS),
        (w.REOPENS, s.reopens, w.UNIT_TIMES),
        (w.REOPEN_RATE, _round(s.reopen_rate, 1), w.UNIT_PERCENT),
        (w.HOLDS, s.holds, w.UNIT_TIMES),
        (w.PAUSED, _round(s.paused_hours), w.UNIT_HOURS),
        (w.LIGHT, s.light, w.UNIT_TICKETS),
        (w.HEAVY, s.heavy, w.UNIT_TICKETS),
        (w.UNCLASSIFIED, s.unclassified, w.UNIT_TICKETS),
        (w.MATERIAL_REQUESTED, s.material_requested, w.UNIT_REQUESTS),
        (w.MATERIAL_APPROVED, s.material_approved, w.UNIT_REQUESTS),
        (w.MATERIAL_REJECTED, s.material_rejected, w.UNIT_REQUESTS),
        (w.MATERIAL_REVISED, s.material_revised, w.UNIT_REQUESTS),
        (w.RATING_COUNT, s.ratings.count, w.UNIT_TICKETS),
        (w.RATING_AVERAGE, _round(s.ratings.average), w.UNIT_SCORE),
        *(
            (w.RATING_SCORE.format(score=score), count, w.UNIT_TICKETS)
            for score, count in s.ratings.distribution.items()
        ),
        (w.COMPLAINTS_RECEIVED, c.received, w.UNIT_COMPLAINTS),
        (w.COMPLAINTS_ANSWERED, c.answered_in_time, w.UNIT_COMPLAINTS),
        (w.COMPLAINTS_RESOLVED, c.resolved_in_time, w.UNIT_COMPLAINTS),
        (w.COMPLAINTS_ESCALATED, c.escalated, w.UNIT_COMPLAINTS),
        (w.COMPLAINTS_OPEN, c.still_open, w.UNIT_COMPLAINTS),
    ]
    return rows


def summary_rows(report: Report, target: int, deadline: int) -> list[tuple[str, Value, str]]:
    """Returns the Ringkasan rows (label, value, unit); the PDF prints the same."""
    return _summary_rows(report.summary, report, target, deadline)


def _group_sheet(
    book: Workbook,
    title: str,
    first: str,
    groups: Sequence[Group],
    names: dict[str, str] | None = None,
) -> None:
    sheet = _Sheet(book, title, (first, *w.GROUP_HEADERS), (34, *(12,) * len(w.GROUP_HEADERS)))
    formats = (None, None, None, None, None, PERCENT, None, PERCENT, None, None, NUMBER, NUMBER)
    for g in groups:
        sheet.row(
            (
                (names or {}).get(g.name, g.name),
                g.received,
                g.closed,
                g.open,
                g.within_target,
                _round(g.target_share, 1),
                g.within_deadline,
                _round(g.deadline_share, 1),
                g.breaches,
                g.reopens,
                _round(g.rating_average),
                _round(g.closing_median_days),
            ),
            formats,
        )


def build(report: Report, tz: ZoneInfo, target: int, deadline: int) -> bytes:
    """Returns the workbook of a report as XLSX bytes."""
    book = Workbook(write_only=True)
    summary = _Sheet(book, w.SHEETS[0], (w.FIGURE, w.VALUE, w.UNIT), (62, 14, 14))
    summary.row((w.PERIOD, report.period.first, ""), (None, DATE))
    summary.row(("", report.period.last, ""), (None, DATE))
    summary.row((w.AS_OF, _local(report.as_of, tz), ""), (None, DATE_TIME))
    for label, value, unit in summary_rows(report, target, deadline):
        summary.row((label, value, unit), (None, NUMBER if isinstance(value, float) else None))
    summary.row((w.BASIS, None, None))

    _group_sheet(book, w.SHEETS[1], w.OPD, report.per_opd)
    _group_sheet(book, w.SHEETS[2], w.TECHNICIAN, report.per_technician)
    categories = {key.value: label for key, label in w.FAULT_CATEGORY.items()}
    _group_sheet(book, w.SHEETS[3], w.CATEGORY, report.per_category, categories)

    tickets = _Sheet(
        book,
        w.SHEETS[4],
        w.TICKET_HEADERS,
        (16, 30, 22, 11, 22, 20, *(16,) * 7, *(12,) * 10),
    )
    # One row per ticket: plain values (openpyxl gives dates their date format), since a styled
    # cell per value would triple the time of a quarter's 10,000 rows.
    for t in report.tickets:
        tickets.row(
            (
                t.number,
                t.opd,
                categories.get(t.category, t.category),
                w.CLASSIFICATION.get(t.classification or "", None),
                w.STATUS.get(t.status, t.status),
                t.technician,
                _local(t.received_at, tz),
                _local(t.claimed_at, tz),
                _local(t.repaired_at, tz),
                _local(t.closed_at, tz),
                _local(t.cancelled_at, tz),
                _local(t.target_due, tz),
                _local(t.deadline_due, tz),
                _round(t.response_hours),
                _round(t.repair_days),
                _round(t.closing_days),
                t.holds,
                _round(t.paused_hours),
                t.reopens,
                int(t.within_target),
                int(t.within_deadline),
                int(t.breached),
                t.rating,
            )
        )

    complaints = _Sheet(
        book, w.SHEETS[5], w.COMPLAINT_HEADERS, (16, 22, 24, 20, *(16,) * 5, *(12,) * 4)
    )
    c_formats = (None, None, None, None, *(DATE_TIME,) * 5)
    for c in report.complaints.lines:
        complaints.row(
            (
                c.number,
                w.CHANNEL.get(c.channel, c.channel),
                w.COMPLAINT_CATEGORY.get(c.category, c.category),
                w.COMPLAINT_STATUS.get(c.status, c.status),
                _local(c.received_at, tz),
                _local(c.response_due, tz),
                _local(c.resolution_due, tz),
                _local(c.responded_at, tz),
                _local(c.resolved_at, tz),
                int(c.answered_in_time),
                int(c.resolved_in_time),
                int(c.escalated),
                int(c.open_at_end),
            ),
            c_formats,
        )
    complaints.row(())
    complaints.row((w.CHANNEL_HEADER,))
    for channel, count in report.complaints.by_channel.items():
        complaints.row((w.CHANNEL.get(channel, channel), count))
    complaints.row((w.CATEGORY_HEADER,))
    for category, count in report.complaints.by_category.items():
        complaints.row((w.COMPLAINT_CATEGORY.get(category, category), count))

    skm = _Sheet(book, w.SHEETS[6], w.SKM_HEADERS, (6, 52, 12, 16))
    result = report.skm
    if result is None or not result.respondents:
        skm.row(("", w.SKM_NONE))
    else:
        for index, element in enumerate(result.elements, start=1):
            skm.row(
                (index, element.name, round(element.nrr, 2), round(element.weighted, 3)),
                (None, None, NUMBER, "0.000"),
            )
        skm.row(("", w.SKM_RESPONDENTS, result.respondents))
        skm.row(("", w.SKM_IKM, round(result.ikm, 3)), (None, None, "0.000"))
        skm.row(("", w.SKM_CONVERTED, round(result.converted, 2)), (None, None, NUMBER))
        skm.row(("", w.SKM_GRADE, result.grade))
        skm.row(("", w.SKM_PERFORMANCE, result.performance))
    skm.row(("", w.SKM_BASIS))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
