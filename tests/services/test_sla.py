"""SLA clocks derived from the event log, and recomputed when the calendar changes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from bot.services import attachments, calendar_admin, sla, tickets, workflow
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from tests.factories import Person
from tests.harness import ADMIN, Harness
from tests.stories import load_ticket

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")
KOORD = Person(4001, "Koordinator")


async def _report(h: Harness) -> int:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            services.context(Actor(SITI.id)),
            # With its letter: no letter reminders among the clocks' steps.
            ReportDraft(
                Category.SLOW,
                Impact.ONE_ROOM,
                "Ruang rapat",
                "Koneksi putus-putus.",
                "0812345678",
                letter=attachments.photo("letter-1", "u-letter-1", 1000),
            ),
        )
    return view.id


async def _hold(h: Harness, ticket_id: int, held: bool) -> None:
    """Holds or resumes the ticket as its penanggung jawab would."""
    await h.staff(KOORD, Role.COORDINATOR)
    services = h.services
    async with services.uow() as uow:
        if held:
            await workflow.hold(uow, services.context(Actor(KOORD.id)), ticket_id, "menunggu OPD")
        else:
            await workflow.resume(uow, services.context(Actor(KOORD.id)), ticket_id)


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


@pytest.mark.auto_disposition
async def test_a_hold_over_a_weekend_pushes_the_clocks_by_the_paused_working_time(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    h.clock.set(wib(2026, 12, 3, 9, 0))  # Thursday
    ticket_id = await _report(h)
    ticket = await load_ticket(h, ticket_id)
    assert ticket.target_due_at == wib(2026, 12, 7, 15, 45)
    assert ticket.deadline_due_at == wib(2026, 12, 10, 15, 45)
    assert ticket.response_due_at == wib(2026, 12, 3, 13, 30)
    assert ticket.next_check_at == wib(2026, 12, 3, 11, 0)  # half the response time

    h.clock.set(wib(2026, 12, 4, 10, 0))  # Friday 10:00, one office hour before closing
    await _hold(h, ticket_id, True)
    held = await load_ticket(h, ticket_id)
    assert held.status == "ON_HOLD"
    assert held.next_check_at is None  # a paused ticket has nothing to check

    h.clock.set(wib(2026, 12, 7, 9, 0))  # Monday 09:00: one more office hour paused
    await _hold(h, ticket_id, False)
    resumed = await load_ticket(h, ticket_id)
    assert resumed.status == "DISPOSED"
    # 120 paused working minutes: Friday 10-11 and Monday 8-9; the weekend costs nothing.
    assert resumed.target_due_at == wib(2026, 12, 8, 10, 0)
    assert resumed.deadline_due_at == wib(2026, 12, 11, 10, 0)
    # The response clock had run out on Thursday, before the hold: it does not move.
    assert resumed.response_due_at == wib(2026, 12, 3, 13, 30)
    async with h.services.uow() as uow:
        events = await uow.events.for_ticket(ticket_id)
        clocks = sla.derive(resumed.received_at, events, h.services.context())
    assert clocks.paused_minutes == 120


@pytest.mark.auto_disposition
async def test_adding_and_removing_a_holiday_recomputes_open_tickets(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    ticket_id = await _report(h)  # Monday 30 November 2026, 09:00
    before = await load_ticket(h, ticket_id)
    assert before.target_due_at == wib(2026, 12, 2, 15, 45)
    assert before.deadline_due_at == wib(2026, 12, 7, 15, 45)

    services = h.services
    async with services.uow() as uow:
        change = await calendar_admin.add_holiday(
            uow, services.context(Actor(ADMIN.id, "Admin")), date(2026, 12, 2), "Hari jadi kota"
        )
    assert change.recomputed == 1
    assert change.calendar.holiday_name(date(2026, 12, 2)) == "Hari jadi kota"
    after = await load_ticket(h, ticket_id)
    assert after.target_due_at == wib(2026, 12, 3, 15, 45)
    assert after.deadline_due_at == wib(2026, 12, 8, 15, 45)

    async with services.uow() as uow:
        await calendar_admin.remove_holiday(
            uow, services.context(Actor(ADMIN.id, "Admin")), date(2026, 12, 2)
        )
    restored = await load_ticket(h, ticket_id)
    assert restored.deadline_due_at == wib(2026, 12, 7, 15, 45)


async def test_a_removed_national_holiday_becomes_a_working_day(harness: Harness) -> None:
    h = harness
    services = h.services
    christmas_leave = date(2026, 12, 24)
    async with services.uow() as uow:
        change = await calendar_admin.remove_holiday(
            uow, services.context(Actor(ADMIN.id)), christmas_leave
        )
    assert change.calendar.holiday_name(christmas_leave) is None
    assert change.calendar.is_working_day(christmas_leave)
    async with services.uow() as uow:
        rebuilt = await calendar_admin.load_calendar(uow, services.settings)
    assert rebuilt.is_working_day(christmas_leave)


@pytest.mark.auto_disposition
async def test_the_sweep_runs_the_same_statements_for_one_due_ticket_as_for_many(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    for _ in range(6):
        await _report(h)  # Monday 09:00: half the response time is up at 11:00
    await h.delivery.wait_idle()
    h.clock.set(wib(2026, 11, 30, 11, 0))
    services = h.services
    statements: list[str] = []

    def count(*args: object) -> None:
        if not str(args[2]).startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE
            statements.append(str(args[2]))

    async def sweep_counting(limit: int) -> list[str]:
        statements.clear()
        async with services.uow() as uow:
            # Only this unit of work's connection: the outbox delivery may run alongside.
            connection = (await uow.session.connection()).sync_connection
            assert connection is not None
            event.listen(connection, "before_cursor_execute", count)
            try:
                fired = await sla.evaluate_due(uow, services.context(), limit)
            finally:
                event.remove(connection, "before_cursor_execute", count)
            assert [step.code for _, step in fired] == [sla.StepCode.RESPONSE_REMINDER] * limit
            await uow.rollback()
        return list(statements)

    one = await sweep_counting(1)
    many = await sweep_counting(6)
    # due tickets, fired steps, new firings, events, next checks: the same five for any count
    assert len(one) == len(many) == 5
    assert [s.split()[:3] for s in one] == [s.split()[:3] for s in many]


def test_complaint_clocks_count_working_days_from_receipt() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.config import Settings
    from bot.services.calendar import BusinessCalendar
    from bot.services.sla import complaint_clocks

    wib = ZoneInfo("Asia/Jakarta")
    settings = Settings(_env_file=None)
    # Thursday 17 December 2026 10:00; Christmas (24-25 Dec) lies between.
    clocks = complaint_clocks(
        datetime(2026, 12, 17, 10, 0, tzinfo=wib), BusinessCalendar(), settings
    )
    assert clocks.response_due_at == datetime(2026, 12, 18, 11, 0, tzinfo=wib)  # Friday close
    # Working days after the 17th: Fri 18, Mon 21, Tue 22 (Wed 23 would be the 4th).
    assert clocks.resolution_due_at == datetime(2026, 12, 22, 15, 45, tzinfo=wib)
