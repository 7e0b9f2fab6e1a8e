"""Benchmark of /laporan for a quarter of 10,000 tickets (`make bench`); a measurement, not a test.

What is timed: :func:`bot.services.reports.prepare` (the period's tickets, events and complaints
read from SQLite, every figure computed in working time) plus
:func:`bot.services.reports.build_documents` (the XLSX workbook and the PDF with its charts), that
is everything /laporan does besides sending. The quarter holds ``TICKETS`` tickets over 40 OPDs
and 12 technicians, each with its claim, repair and closing events and every tenth with a hold,
and ``COMPLAINTS`` complaints. The first run (imports, statement compilation, cold caches) is
discarded and the median of the next ``RUNS`` is reported against the 5 s target.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bot.config import Settings
from bot.services import reports
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.services.domain import Role
from bot.services.reports.period import Period
from db.migrate import upgrade
from db.models import Complaint, Opd, Ticket, TicketEvent, User, UserRole

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 10, 1, 8, 0, tzinfo=WIB)  # first working day after the quarter
QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))
TICKETS = 10_000
COMPLAINTS = 300
TECHNICIANS = 12
RUNS = 3
TARGET_S = 5.0
CHUNK = 5_000
CATEGORIES = ("internet_down", "slow", "wifi", "device", "other")


def _tickets(opds: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    start = datetime(2026, 7, 1, 8, 0, tzinfo=WIB)
    span = (datetime(2026, 9, 30, 15, 0, tzinfo=WIB) - start).total_seconds()
    tickets: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for i in range(1, TICKETS + 1):
        received = start + timedelta(seconds=span * i / TICKETS)
        claimed = received + timedelta(minutes=30 + i % 240)
        repaired = claimed + timedelta(hours=2 + i % 70)
        closed = repaired + timedelta(hours=1 + i % 20)
        done = closed < NOW and i % 17 != 0
        tickets.append(
            {
                "id": i,
                "number": f"BN-2026-{i:05d}",
                "opd_id": opds[i % len(opds)],
                "reporter_id": 1,
                "assignee_id": 10 + i % TECHNICIANS,
                "status": "CLOSED" if done else "REPAIRING",
                "category": CATEGORIES[i % len(CATEGORIES)],
                "impact": "one_room",
                "location": "Lt. 1",
                "description": "bench",
                "contact_phone": "0812",
                "letter_status": "follows",
                "received_at": received,
                "claimed_at": claimed,
                "target_due_at": received,
                "deadline_due_at": received,
                "closed_at": closed if done else None,
                "updated_at": received,
                "classification": "heavy" if i % 5 == 0 else "light",
                "reopen_count": 1 if i % 23 == 0 else 0,
                "rating": 1 + i % 4 if done else None,
            }
        )
        steps = [(received, "reported", None, "NEW"), (claimed, "claimed", "DISPOSED", "CHECKING")]
        if i % 10 == 0:
            steps += [
                (claimed + timedelta(minutes=20), "held", "CHECKING", "ON_HOLD"),
                (claimed + timedelta(hours=5), "resumed", "ON_HOLD", "CHECKING"),
            ]
        steps.append((repaired, "repaired", "REPAIRING", "REPAIRED"))
        if done:
            steps.append((closed, "confirmed", "REPAIRED", "CLOSED"))
        events += [
            {"ticket_id": i, "at": at, "kind": kind, "from_status": a, "to_status": b}
            for at, kind, a, b in steps
        ]
    return tickets, events


def _complaints() -> list[dict[str, Any]]:
    start = datetime(2026, 7, 1, 9, 0, tzinfo=WIB)
    rows = []
    for i in range(1, COMPLAINTS + 1):
        received = start + timedelta(hours=7 * i)
        rows.append(
            {
                "number": f"ADU-2026-{i:05d}",
                "status": "CLOSED" if i % 3 else "ESCALATED",
                "category": "slow_service",
                "channel": ("bot", "phone", "email")[i % 3],
                "complainant_name": "Warga",
                "text": "bench",
                "escalated": i % 3 == 0,
                "received_at": received,
                "response_due_at": received + timedelta(days=1),
                "resolution_due_at": received + timedelta(days=3),
                "responded_at": received + timedelta(hours=i % 40),
                "resolved_at": received + timedelta(hours=i % 90) if i % 3 else None,
                "updated_at": received,
            }
        )
    return rows


async def _seed(services: Services) -> None:
    async with services.uow() as uow:
        session = uow.session
        opds = list((await session.scalars(select(Opd.id).order_by(Opd.id).limit(40))).all())
        people = [(1, 101, "Pelapor"), (2, 102, "Kabid")] + [
            (10 + t, 1000 + t, f"Teknisi {t + 1:02d}") for t in range(TECHNICIANS)
        ]
        await session.execute(
            insert(User),
            [{"id": i, "telegram_id": c, "full_name": n, "created_at": NOW} for i, c, n in people],
        )
        await session.execute(insert(UserRole).values(user_id=2, role=Role.SUPERVISOR.value))
        tickets, events = _tickets(opds)
        for first in range(0, len(tickets), CHUNK):
            await session.execute(insert(Ticket), tickets[first : first + CHUNK])
        for first in range(0, len(events), CHUNK):
            await session.execute(insert(TicketEvent), events[first : first + CHUNK])
        await session.execute(insert(Complaint), _complaints())
        await uow.commit()


async def _run(services: Services) -> tuple[float, float, float, int, int]:
    began, cpu = time.perf_counter(), time.process_time()
    async with services.uow() as uow:
        prepared = await reports.prepare(uow, services.context(), QUARTER)
    computed = time.perf_counter()
    documents = await asyncio.to_thread(
        reports.build_documents, prepared, services.calendar, services.settings
    )
    done = time.perf_counter()
    used = time.process_time() - cpu
    return computed - began, done - began, used, len(documents.xlsx), len(documents.pdf)


async def main() -> None:
    """Prints the time of a quarter's report with 10,000 tickets."""
    print(
        f"/laporan of a quarter, {TICKETS:,} tickets and {COMPLAINTS} complaints, SQLite; "
        f"median of {RUNS} runs after 1 warm-up run (discarded)"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(_env_file=None, database_url=url)
        services = build_services(settings, clock=FrozenClock(NOW))
        try:
            await _seed(services)
            runs = [await _run(services) for _ in range(RUNS + 1)][1:]
        finally:
            await services.close()
    figures = statistics.median(r[0] for r in runs)
    total = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    verdict = "ok" if total <= TARGET_S else "OVER"
    print(
        f"{'figures s':>10} {'with files s':>13} {'cpu s':>6} {'xlsx KB':>8} {'pdf KB':>7}  target"
    )
    print(
        f"{figures:>10.2f} {total:>13.2f} {cpu:>6.2f} {runs[-1][3] // 1024:>8}"
        f" {runs[-1][4] // 1024:>7}  <= {TARGET_S:.0f} s: {verdict}"
    )
    print(f"(load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    asyncio.run(main())
