"""Benchmark of the SLA sweep (`make bench`): selection and evaluation of due tickets.

Builds a temporary, migrated SQLite database with many open tickets whose next check lies in
the future and a few that are due, then times :func:`bot.services.sla.evaluate_due` (no
message sending; each run is rolled back). The cost should follow the due tickets, not the
open ones, because the sweep reads ``ticket.next_check_at`` through its index.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.config import Settings
from bot.services import sla
from bot.services.clock import FrozenClock
from bot.services.container import build_services
from db.migrate import upgrade
from db.models import Ticket, User

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 13, 30, tzinfo=WIB)
RECEIVED = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
RUNS = 5
CHUNK = 5_000


def _row(index: int, due: bool, settings: Settings, calendar: Any) -> dict[str, Any]:
    return {
        "number": f"BN-2026-{index:06d}"[:16],
        "opd_id": 1,
        "reporter_id": 1,
        "status": "DISPOSED",
        "category": "slow",
        "impact": "one_room",
        "location": "Lt. 1",
        "description": "bench",
        "contact_phone": "0812",
        "letter_status": "follows",
        "received_at": RECEIVED,
        "response_due_at": calendar.add_working_minutes(
            RECEIVED, settings.response_working_minutes
        ),
        "target_due_at": calendar.add_working_days(RECEIVED, settings.target_working_days),
        "deadline_due_at": calendar.add_working_days(RECEIVED, settings.deadline_working_days),
        "updated_at": RECEIVED,
        "next_check_at": NOW - timedelta(minutes=1) if due else NOW + timedelta(days=1),
    }


async def _measure(open_count: int, due_count: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(_env_file=None, database_url=url)
        services = build_services(settings, clock=FrozenClock(NOW))
        calendar = services.calendar
        try:
            async with services.uow() as uow:
                await uow.session.execute(
                    insert(User).values(telegram_id=1, full_name="Bench", created_at=NOW)
                )
                rows = [
                    _row(i, i < due_count, settings, calendar)
                    for i in range(open_count + due_count)
                ]
                for start in range(0, len(rows), CHUNK):
                    await uow.session.execute(insert(Ticket), rows[start : start + CHUNK])
                await uow.commit()
            timings: list[float] = []
            fired = 0
            for _ in range(RUNS):
                async with services.uow() as uow:
                    began = time.perf_counter()
                    result = await sla.evaluate_due(
                        uow, now=NOW, calendar=calendar, settings=settings, limit=due_count
                    )
                    timings.append((time.perf_counter() - began) * 1000)
                    fired = len(result)
                    await uow.rollback()
            return statistics.median(timings), fired
        finally:
            await services.close()


async def main() -> None:
    """Prints the sweep timings for several database sizes."""
    print("open (not due)  due  fired  median ms  (target <= 50 ms)")
    for open_count, due_count in ((10_000, 100), (100_000, 100), (100_000, 1_000)):
        median, fired = await _measure(open_count, due_count)
        print(f"{open_count:>14,} {due_count:>4} {fired:>6} {median:>10.1f}")


if __name__ == "__main__":
    asyncio.run(main())
