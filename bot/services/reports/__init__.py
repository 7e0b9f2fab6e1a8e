"""Supervision and evaluation: the figures of a period (/laporan), as a message, an XLSX
workbook and a PDF, and the quarterly pack and monthly summary sent on their own.

No Telegram here: the bot layer renders the chat message from :class:`Report` and sends the
documents; building them is CPU work the bot layer runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from bot.services import berita_acara
from bot.services.calendar import BusinessCalendar
from bot.services.context import Context
from bot.services.domain import Role
from bot.services.errors import NotAllowed
from bot.services.reports import skm_adapter
from bot.services.reports.figures import Clockwork, Report, compute
from bot.services.reports.people import Letterhead, Signer
from bot.services.reports.period import Period, Preset, parse, preset
from bot.services.uow import UnitOfWork
from bot.services.users import find_user
from db.reports import ReportRepo
from db.sqlite_inline import offloaded

__all__ = [
    "REPORT_ROLES",
    "Documents",
    "Letterhead",
    "Period",
    "Preset",
    "Report",
    "Signer",
    "build_documents",
    "clockwork",
    "for_period",
    "parse",
    "preset",
    "report_of",
]

# Who may ask for /laporan: the kabid (role supervisor), the coordinator and the admins.
REPORT_ROLES = frozenset({Role.SUPERVISOR.value, Role.COORDINATOR.value, Role.ADMIN.value})


@dataclass(frozen=True)
class Documents:
    """The report's files and the name each is sent under."""

    xlsx: bytes
    xlsx_name: str
    pdf: bytes
    pdf_name: str


@dataclass(frozen=True)
class Prepared:
    """A computed report with what its documents need besides the figures."""

    report: Report
    letterhead: Letterhead
    signer: Signer


async def authorize(uow: UnitOfWork, ctx: Context) -> None:
    """Refuses everyone but the kabid, coordinators and admins (bootstrap admins included)."""
    if ctx.who.telegram_id in ctx.settings.admin_ids:
        return
    user = await find_user(uow, ctx.who)
    if user is None or not (user.roles & REPORT_ROLES):
        raise NotAllowed("report_roles")


def clockwork(calendar: BusinessCalendar, settings: Settings) -> Clockwork:
    """Returns the working-time arithmetic of the reports for the calendar and SLA settings."""
    return Clockwork(calendar, settings.target_working_days, settings.deadline_working_days)


async def report_of(uow: UnitOfWork, ctx: Context, period: Period) -> Report:
    """Computes the report of a period from the database (no role check)."""
    repo = ReportRepo(uow.session)
    start, end = period.bounds(ctx.calendar.tz)
    with offloaded():  # a quarter's rows: read in a worker thread, the loop stays free
        tickets = await repo.tickets(start, end)
        events = await repo.events(start, end)
        complaints = await repo.complaints(start, end)
        skm = await skm_adapter.figures(uow, start, end)
    # The figures of a quarter are half a second of arithmetic: in a worker thread too, so
    # the updates of others are answered meanwhile.
    clocks = clockwork(ctx.calendar, ctx.settings)
    return await asyncio.to_thread(
        compute, period, tickets, events, complaints, clocks, ctx.now, skm
    )


async def _signer(uow: UnitOfWork) -> Signer:
    """Returns the kabid who signs: the only active supervisor, else blank lines."""
    supervisors = await uow.users.with_role(Role.SUPERVISOR.value)
    if len(supervisors) != 1:
        return Signer()
    return Signer(supervisors[0].full_name, supervisors[0].nip)


async def prepare(uow: UnitOfWork, ctx: Context, period: Period) -> Prepared:
    """Returns the report of a period with its letterhead and signer (no role check)."""
    settings = ctx.settings
    logo = await asyncio.to_thread(berita_acara.load_logo, settings.logo_path)
    letterhead = Letterhead(
        tuple(p.strip() for p in settings.institution_header.split("|") if p.strip()),
        settings.institution_address,
        logo,
    )
    return Prepared(await report_of(uow, ctx, period), letterhead, await _signer(uow))


async def for_period(uow: UnitOfWork, ctx: Context, period: Period) -> Prepared:
    """Returns the report of a period for someone allowed to see it."""
    await authorize(uow, ctx)
    return await prepare(uow, ctx, period)


def today(ctx: Context) -> date:
    """Returns the local date of the context's now."""
    return ctx.now.astimezone(ctx.calendar.tz).date()


def file_stem(period: Period) -> str:
    """Returns the base name of the report's files, e.g. ``laporan-2026-07-01_2026-09-30``."""
    return f"laporan-{period.first.isoformat()}_{period.last.isoformat()}"


def build_documents(
    prepared: Prepared, calendar: BusinessCalendar, settings: Settings
) -> Documents:
    """Builds the XLSX and the PDF (CPU work: run it in a worker thread). The document
    libraries (openpyxl, fpdf2, matplotlib) are imported here, on first use, not at start."""
    from bot.services.reports import document, workbook

    report, tz = prepared.report, calendar.tz
    target, deadline = settings.target_working_days, settings.deadline_working_days
    stem = file_stem(report.period)
    return Documents(
        xlsx=workbook.build(report, tz, target, deadline),
        xlsx_name=f"{stem}.xlsx",
        pdf=document.build(report, prepared.letterhead, prepared.signer, tz, target, deadline),
        pdf_name=f"{stem}.pdf",
    )


async def typed(uow: UnitOfWork, ctx: Context, args: list[str]) -> Prepared:
    """Returns the report of ``/laporan YYYY-MM-DD YYYY-MM-DD`` (the role is checked first)."""
    await authorize(uow, ctx)
    return await prepare(uow, ctx, parse(args))


async def of_preset(uow: UnitOfWork, ctx: Context, kind: Preset) -> Prepared:
    """Returns the report of a period button, seen from today."""
    await authorize(uow, ctx)
    return await prepare(uow, ctx, preset(kind, today(ctx)))
