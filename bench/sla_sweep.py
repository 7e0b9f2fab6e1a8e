"""Benchmark of the SLA sweep (`make bench`); a measurement, not a test.

What is timed: the sweep's work on due tickets, that is :func:`bot.services.sla.recipients`
(the audiences, once per sweep) plus :func:`bot.services.sla.due_alerts` (select the due
tickets through the ``next_check_at`` index, read their fired steps, evaluate the ladder on
the business calendar, record firings, events, breaches and next check times, and build the
alerts per chat). Not timed: rendering, the outbox and sending, the morning digest, commit.

Each scenario is a migrated SQLite file with ``open`` tickets whose next check lies in the
future plus ``due`` tickets whose next check has come (mixed states, received over the last
week, some with an assignee; those awaiting approval or repaired entered their state a few hours
after receipt, for the stage steps). Every run is rolled back, so all runs see the same
database; the first ``WARMUP`` runs (statement compilation, cold caches) are discarded and the
median of the next ``RUNS`` is reported. The cost should follow the due tickets, not the open ones.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert

from bot.config import Settings
from bot.services import sla
from bot.services.calendar import BusinessCalendar
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.services.domain import Role
from db.migrate import upgrade
from db.models import Ticket, User, UserRole

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 3, 13, 30, tzinfo=WIB)  # Thursday, office open
WARMUP = 2
RUNS = 9
CHUNK = 5_000
TARGET_MS = 50.0
DUE_FROM = 10_000_000  # ids of due tickets, kept apart from the open ones
STATES = ("DISPOSED", "REPAIRING", "CHECKING", "NEW", "AWAITING_APPROVAL", "REPAIRED")
ASSIGNED = ("REPAIRING", "CHECKING", "AWAITING_APPROVAL", "REPAIRED")
# (open tickets not due, due tickets): growth with the open tickets, then with the due ones.
SCENARIOS = ((1_000, 100), (10_000, 100), (100_000, 100), (100_000, 10), (100_000, 1_000))


@functools.cache
def _clocks(received: datetime, calendar: BusinessCalendar) -> tuple[datetime, ...]:
    settings = _settings()
    return (
        calendar.add_working_minutes(received, settings.response_working_minutes),
        calendar.add_working_days(received, settings.target_working_days),
        calendar.add_working_days(received, settings.deadline_working_days),
    )


@functools.cache
def _settings() -> Settings:
    return Settings(_env_file=None)


def _row(ticket_id: int, due: bool, calendar: BusinessCalendar) -> dict[str, Any]:
    # Received at a different minute over the last week, so the calendar sees many moments.
    received = (NOW - timedelta(minutes=7 * ticket_id % (7 * 24 * 60))).replace(second=0)
    response, target, deadline = _clocks(received, calendar)
    status = STATES[ticket_id % len(STATES)]
    assigned = status in ASSIGNED
    # The stage began some working time after receipt (stage steps: approval wait, repaired).
    entered = min(NOW, received + timedelta(hours=ticket_id % 8))
    return {
        "id": ticket_id,
        "number": f"BN-{ticket_id:012d}",
        "opd_id": 1,  # seeded by the migrations
        "reporter_id": 1,
        "assignee_id": 2 if assigned else None,
        "status": status,
        "category": "slow",
        "impact": "one_room",
        "location": "Lt. 1",
        "description": "bench",
        "contact_phone": "0812",
        "letter_status": "follows",
        "received_at": received,
        "claimed_at": received if assigned else None,
        "response_due_at": response,
        "target_due_at": target,
        "deadline_due_at": deadline,
        "updated_at": received,
        "state_entered_at": entered,
        "state_entry_id": ticket_id,
        "next_check_at": NOW - timedelta(minutes=1 + ticket_id % 600)
        if due
        else NOW + timedelta(days=1, minutes=ticket_id % 600),
    }


async def _insert(services: Services, ids: range, *, due: bool) -> None:
    async with services.uow() as uow:
        for start in range(ids.start, ids.stop, CHUNK):
            rows = [
                _row(i, due, services.calendar) for i in range(start, min(start + CHUNK, ids.stop))
            ]
            await uow.session.execute(insert(Ticket), rows)
        await uow.commit()


async def _seed(services: Services) -> None:
    async with services.uow() as uow:
        session = uow.session
        users = [
            (1, 101, "Pelapor"),
            (2, 102, "Teknisi"),
            (3, 103, "Koordinator"),
            (4, 104, "Kabid"),
        ]
        for user_id, chat, name in users:
            await session.execute(
                insert(User).values(id=user_id, telegram_id=chat, full_name=name, created_at=NOW)
            )
        for user_id, role in ((2, Role.TECHNICIAN), (3, Role.COORDINATOR), (4, Role.SUPERVISOR)):
            await session.execute(insert(UserRole).values(user_id=user_id, role=role.value))
        await uow.commit()


async def _time(services: Services, due_count: int) -> tuple[list[float], int]:
    timings: list[float] = []
    fired = 0
    for _ in range(WARMUP + RUNS):
        async with services.uow() as uow:
            began = time.perf_counter()
            to = await sla.recipients(uow, services.settings)
            fired, _alerts = await sla.due_alerts(uow, to, services.context(), due_count)
            timings.append((time.perf_counter() - began) * 1000)
            await uow.rollback()
    return timings[WARMUP:], fired


async def main() -> None:
    """Prints the sweep timings for growing numbers of open and of due tickets."""
    print(
        f"SLA sweep on due tickets, SQLite; median of {RUNS} runs after {WARMUP} warm-up runs"
        " (discarded); each run rolled back"
    )
    print(
        f"{'open (not due)':>14} {'due':>5} {'fired':>6} {'median ms':>10} {'min ms':>7}"
        f" {'max ms':>7}  target"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(_env_file=None, database_url=url, tech_group_id=-100)
        services = build_services(settings, clock=FrozenClock(NOW))
        try:
            await _seed(services)
            loaded = 0
            for open_count, due_count in SCENARIOS:
                if open_count > loaded:
                    await _insert(services, range(loaded + 1, open_count + 1), due=False)
                    loaded = open_count
                await _insert(services, range(DUE_FROM, DUE_FROM + due_count), due=True)
                timings, fired = await _time(services, due_count)
                async with services.uow() as uow:
                    await uow.session.execute(delete(Ticket).where(Ticket.id >= DUE_FROM))
                    await uow.commit()
                median = statistics.median(timings)
                verdict = "ok" if median <= TARGET_MS or due_count > 100 else "OVER"
                print(
                    f"{open_count:>14,} {due_count:>5,} {fired:>6,} {median:>10.1f}"
                    f" {min(timings):>7.1f} {max(timings):>7.1f}  "
                    + (f"<= {TARGET_MS:.0f} ms: {verdict}" if due_count <= 100 else "-")
                )
        finally:
            await services.close()


if __name__ == "__main__":
    asyncio.run(main())
