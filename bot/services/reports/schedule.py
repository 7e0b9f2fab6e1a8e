"""The quarterly pack and the monthly summary, sent on their own (DESIGN §1 "Evaluasi").

On the first working day after a quarter ends, from the office's opening, every kabid (role
supervisor) and admin receives the previous quarter's report: the summary message and both
documents. On the first working day of a month the kabid receives the previous month's summary
message (``MONTHLY_SUMMARY``). If the bot was not running then, it catches up at the first
opening within ``CATCH_UP_DAYS`` days after that working day.

Each report is recorded in ``report_firing`` under a unique (kind, period) key, inserted with
ON CONFLICT DO NOTHING in the same transaction as its outbox messages and its pending document
deliveries, so a restart or a second sweep never sends it twice and never skips it. The
documents are built and sent afterwards from ``report_delivery``; a delivery not yet made when
the bot stops is made after the restart (in office hours only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.services.context import Context
from bot.services.domain import Role
from bot.services.reports import Prepared, prepare
from bot.services.reports.period import Period, previous_month, previous_quarter
from bot.services.uow import UnitOfWork
from bot.services.users import admin_chats
from db.reports import PendingDelivery, ReportRepo

CATCH_UP_DAYS = 7
MAX_ATTEMPTS = 5
DELIVERY_BATCH = 20


class Kind(StrEnum):
    """The scheduled reports."""

    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Fired:
    """A scheduled report that fired now: who gets its message (and files, when pending)."""

    kind: Kind
    prepared: Prepared
    chats: tuple[int, ...]


def window(ctx: Context) -> date | None:
    """Returns today when it lies from the month's first working day to the catch-up end."""
    calendar = ctx.calendar
    today = ctx.now.astimezone(calendar.tz).date()
    opening = today.replace(day=1)
    while opening.month == today.month and not calendar.is_working_day(opening):
        opening += timedelta(days=1)
    if opening.month != today.month or not opening <= today <= opening + timedelta(
        days=CATCH_UP_DAYS
    ):
        return None
    return today


async def _fire(
    uow: UnitOfWork, ctx: Context, kind: Kind, period: Period, chats: Sequence[int], files: bool
) -> Fired | None:
    repo = ReportRepo(uow.session)
    firing = await repo.fire(kind.value, period.first, period.last, ctx.now)
    if firing is None:
        return None
    unique = tuple(dict.fromkeys(chats))
    if files:
        for chat in unique:
            repo.add_delivery(firing, chat)
    return Fired(kind, await prepare(uow, ctx, period), unique)


async def fire_due(uow: UnitOfWork, ctx: Context) -> list[Fired]:
    """Records the scheduled reports due now (office hours only); nothing is committed.

    The caller queues each one's summary message to its chats and commits; the documents wait
    in ``report_delivery`` for :func:`pending`.
    """
    if not ctx.calendar.is_open(ctx.now):
        return []
    today = window(ctx)
    if today is None:
        return []
    supervisors = await uow.users.chats_with_role(Role.SUPERVISOR.value)
    fired: list[Fired] = []
    if today.month in (1, 4, 7, 10):
        chats = [*supervisors, *await admin_chats(uow, ctx.settings)]
        quarter = await _fire(uow, ctx, Kind.QUARTERLY, previous_quarter(today), chats, True)
        if quarter is not None:
            fired.append(quarter)
    if ctx.settings.monthly_summary:
        month = await _fire(uow, ctx, Kind.MONTHLY, previous_month(today), supervisors, False)
        if month is not None:
            fired.append(month)
    return fired


async def pending(uow: UnitOfWork, ctx: Context) -> list[PendingDelivery]:
    """Returns the document deliveries to make now (none outside office hours)."""
    if not ctx.calendar.is_open(ctx.now):
        return []
    return await ReportRepo(uow.session).pending(DELIVERY_BATCH)


async def delivered(uow: UnitOfWork, ctx: Context, delivery: PendingDelivery) -> None:
    """Records a delivery as made and commits."""
    await ReportRepo(uow.session).mark(delivery.id, "sent", ctx.now)
    await uow.commit()


async def failed(
    uow: UnitOfWork, ctx: Context, delivery: PendingDelivery, reason: str, *, final: bool
) -> None:
    """Records a failed attempt (given up when final or after MAX_ATTEMPTS) and commits."""
    attempts = delivery.attempts + 1
    status = "failed" if final or attempts >= MAX_ATTEMPTS else "pending"
    await ReportRepo(uow.session).mark(delivery.id, status, None, reason[:300], attempts)
    await uow.commit()
