"""Throughput and delivery benchmark (`make bench`); a measurement, not a test.

Four parts, each printed with what it ran:

1. Throughput against a bare PTB echo application. The project's Application (built by
   `build_application`, SQLite in a temporary file) and an echo Application (one handler that
   answers every message and press, tests/echo.py) both run on the project's fake Bot API
   (tests/fakebot.py), in one process, interleaved: each repetition runs the project's flows,
   records the updates it was fed, and feeds the same updates to the echo app. A flow is a
   whole report: the /lapor wizard (8 updates), the submit, a technician's claim, /status and
   /tiket. The read mix is /status and /tiket of users with tickets. Each repetition gives the
   ratio echo time / project time (the project's throughput as a share of the echo's); the
   median and the spread (min-max) of the repetitions are printed. Both times are those of
   `process_update` calls alone, as the echo app's always were: the harness building the
   project's updates (de_json of each) is not counted. The project's time includes its outbox
   deliveries (awaited after each update, unpaced here) and a persistence flush after each
   flow. The same updates are then fed to two more echo apps that first read a row (the
   sender's user) and, the second, also write one (the update id) through the project's
   engine and SQLAlchemy's async session, each in a transaction of its own: the floor of the
   stack for a bot that reads and records every update, printed as a share of the echo app.
2. SQL statements per update kind (from the first repetition), counted on the engine; the
   outbox's own tasks are left out, as in tests/bot/test_statement_budgets.py.
3. 100,000 tickets: in a separate subprocess (so the peak RSS is its own), a database with
   100,000 tickets, the project's Application started on it, flows and /status run; the peak
   RSS of that process and the median time of /status (a technician's and a reporter's,
   through `process_update`, including rendering) are printed, the latter also without the
   time the fake Bot API spends on the answer (parsing its HTML, as Telegram would).
4. Burst delivery: 300 reports in 5 minutes (one a second), each queueing a job card for the
   technician group and a private notice for its reporter (100 reporters, three notices each),
   against the fake Bot API enforcing Telegram's limits (20 per minute to a group, 1 per second
   to a chat, 30 per second overall; a call over a limit is answered 429). The pacing runs on
   simulated time (bot.pacing.SimulatedTime), so the 15 minutes the group needs take seconds;
   the database work is real. Printed: 429 answers, order violations within a chat, the
   longest wait of a private notice after its commit, the cards per minute to the group.

`--part throughput|big|burst` (repeatable) runs only those parts.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, select

from bot.app import build_application
from bot.config import Settings
from bot.context import DELIVERY_KEY, BotApp
from bot.outbox import OutboxDelivery
from bot.pacing import NO_LIMITS, TELEGRAM, Pacer, SimulatedTime
from bot.services.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.services.domain import Role
from bot.services.notices import OutboxDraft
from bot.texts import report as report_texts
from db.migrate import upgrade
from db.models import Opd, Ticket
from tests.echo import replay
from tests.factories import Person
from tests.fakebot import FakeBotApi, TelegramLimits
from tests.harness import GROUP_ID, Harness, stop_application

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)  # Monday, office open
REPETITIONS = 7
FLOWS = 6  # whole reports per repetition
READS = 60  # /status + /tiket updates per repetition
TICKETS = 100_000
TECHNICIAN = Person(3001, "Budi", "Teknisi")
REPORTER = Person(5001, "Pelapor")
TOKEN = "123456:BENCH-TOKEN"  # noqa: S105 - a fake token for the fake Bot API


# --- the project's application, driven like the tests drive it -----------------------------


@dataclass
class Recorder:
    """Counts statements per update kind and keeps the updates fed to the project."""

    kind: str = "setup"
    updates: list[Any] = field(default_factory=list)  # telegram.Update (only tests/ import it)
    statements: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _current: int = 0

    def count(self, *args: Any) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name().startswith("outbox"):
            return
        if not str(args[2]).startswith("BEGIN"):
            self._current += 1

    @contextmanager
    def update(self, kind: str) -> Iterator[None]:
        self.kind, self._current = kind, 0
        yield
        self.statements[kind].append(self._current)


class Driver(Harness):
    """The tests' harness without its transcript, recording what it feeds the project."""

    def __init__(
        self, app: BotApp, api: FakeBotApi, services: Services, clock: FrozenClock
    ) -> None:
        super().__init__(app, api, services, clock)
        self.recorder = Recorder()
        self.kind = "wizard step"
        # Seconds spent processing updates (and the deliveries they caused): the project's
        # time, measured as the echo app's is, without the harness building the updates.
        self.busy = 0.0

    async def process(self, update: Any) -> None:
        """Processes one update and waits for the deliveries it caused."""
        self.recorder.updates.append(update)
        with self.recorder.update(self.kind):
            began = time.perf_counter()
            await self.app.process_update(update)
            await self.delivery.wait_idle()
            self.busy += time.perf_counter() - began


async def _project(
    url: str, *, pacer: Pacer | None = None, api: FakeBotApi | None = None
) -> tuple[Driver, FrozenClock]:
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=url,
        admin_ids=[1001],
        tech_group_id=GROUP_ID,
        auto_disposition=True,
    )
    clock = FrozenClock(START)
    services = build_services(settings, clock=clock)
    api = api or FakeBotApi()
    app = build_application(services, request=api, pacer=pacer or Pacer(NO_LIMITS))
    await app.initialize()
    # As the tests do: conversation timeouts need a scheduler; paused, it fires nothing.
    if app.job_queue is not None:
        app.job_queue.scheduler.start(paused=True)
    driver = Driver(app, api, services, clock)
    event.listen(services.engine.sync_engine, "before_cursor_execute", driver.recorder.count)
    return driver, clock


async def _close(driver: Driver) -> None:
    await driver.delivery.wait_idle()
    await stop_application(driver.app)
    await driver.services.close()


async def _flow(d: Driver, person: Person, number: int) -> None:
    """One whole report: the wizard, the submit, the claim, /status and /tiket."""
    d.kind = "wizard step"
    await d.say(person, "/lapor")
    await d.choose(person, "Wi-Fi")
    await d.choose(person, "Satu ruangan")
    await d.say(person, f"Aula lantai {number}")
    await d.say(person, "Wi-Fi aula tidak tersambung sejak pagi.")
    await d.choose(person, report_texts.PHOTOS_SKIP)
    await d.choose(person, report_texts.LETTER_LATER)
    await d.say(person, "081234567890")
    d.kind = "/lapor submit"
    await d.choose(person, report_texts.SEND)
    d.kind = "claim"
    card = d.api.to_chat(GROUP_ID, "sendMessage")[-1]
    await d.press(TECHNICIAN, card, "Ambil")
    d.kind = "/status"
    await d.say(person, "/status")
    d.kind = "/tiket"
    await d.say(person, f"/tiket BN-2026-{number:05d}")
    began = time.perf_counter()
    await d.app.update_persistence()
    d.busy += time.perf_counter() - began


async def throughput() -> None:
    """Parts 1 and 2: the ratios to the echo app and the statements per update kind."""
    flow_ratios: list[float] = []
    read_ratios: list[float] = []
    floor_read: list[float] = []
    floor_write: list[float] = []
    statements: dict[str, list[int]] | None = None
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.db"
        await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{template}")
        for repetition in range(REPETITIONS):
            url = f"sqlite+aiosqlite:///{Path(folder) / f'flow{repetition}.db'}"
            await asyncio.to_thread(upgrade, url)
            d, _clock = await _project(url)
            try:
                await d.staff(TECHNICIAN, Role.TECHNICIAN)
                people = [Person(5001 + n, f"Pelapor{n}") for n in range(FLOWS)]
                for person in people:
                    await d.reporter(person)
                d.recorder.updates.clear()
                d.busy = 0.0
                for number, person in enumerate(people, start=1):
                    await _flow(d, person, number)
                project_flow = d.busy
                flow_updates = list(d.recorder.updates)

                d.recorder.updates.clear()
                d.kind = "read mix"
                d.busy = 0.0
                for n in range(READS):
                    person = people[n % FLOWS]
                    if n % 2:
                        await d.say(person, f"/tiket BN-2026-{n % FLOWS + 1:05d}")
                    else:
                        await d.say(person, "/status")
                project_reads = d.busy
                read_updates = list(d.recorder.updates)
                if statements is None:
                    statements = dict(d.recorder.statements)
            finally:
                await _close(d)
            echo_flow = await replay(flow_updates)
            echo_reads = await replay(read_updates)
            flow_ratios.append(echo_flow / project_flow)
            read_ratios.append(echo_reads / project_reads)
            # The floor of the stack: the echo app with one read, and one read and one write,
            # per update through SQLAlchemy's async session (a fresh copy of the schema each).
            for write, ratios in ((False, floor_read), (True, floor_write)):
                copy = Path(folder) / f"floor{repetition}{int(write)}.db"
                shutil.copy(template, copy)
                floor_url = f"sqlite+aiosqlite:///{copy}"
                ratios.append(
                    (echo_flow + echo_reads)
                    / (await replay(flow_updates + read_updates, floor_url, write=write))
                )
            print(
                f"  repetition {repetition + 1}: flow {len(flow_updates)} updates"
                f" {project_flow * 1000:.0f} ms (echo {echo_flow * 1000:.0f} ms),"
                f" read mix {len(read_updates)} updates {project_reads * 1000:.0f} ms"
                f" (echo {echo_reads * 1000:.0f} ms)",
                flush=True,
            )
    print(f"Throughput as a share of the echo app ({REPETITIONS} repetitions, median [min-max]):")
    print(f"  full flow: {_spread(flow_ratios)}   target >= 0.15x")
    print(f"  read mix:  {_spread(read_ratios)}   target >= 0.15x")
    print("The stack's floor, the same updates (flow and read mix together):")
    print(f"  echo app + 1 read per update (SQLAlchemy async session):  {_spread(floor_read)}")
    print(f"  echo app + 1 read and 1 write transaction per update:     {_spread(floor_write)}")
    print("SQL statements per update (outbox tasks excluded; median [min-max] over updates):")
    for kind, counts in (statements or {}).items():
        if kind in ("setup",):
            continue
        print(f"  {kind:<14} {statistics.median(counts):>5.1f} [{min(counts)}-{max(counts)}]")


def _spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.3f}x [{min(ratios):.3f}-{max(ratios):.3f}]"


# --- 100,000 tickets, in a subprocess -------------------------------------------------------


async def _seed_tickets(d: Driver, count: int) -> None:
    services = d.services
    async with services.uow() as uow:
        opd_ids = list((await uow.session.scalars(select(Opd.id))).all())
        reporter = await uow.users.by_telegram_id(5001)
        technician = await uow.users.by_telegram_id(TECHNICIAN.id)
        if reporter is None or technician is None:
            raise RuntimeError("the reporter and the technician are registered first")
        states = ("CLOSED",) * 6 + ("DISPOSED", "CHECKING", "REPAIRING", "ON_HOLD")
        chunk = 5_000
        for start in range(0, count, chunk):
            rows = []
            for n in range(start, min(start + chunk, count)):
                status = states[n % len(states)]
                received = START - timedelta(minutes=n)
                assigned = status not in ("DISPOSED",) and n % 50 == 0
                rows.append(
                    {
                        "number": f"BN-2020-{n:07d}",
                        "opd_id": opd_ids[n % len(opd_ids)],
                        "reporter_id": reporter.id,
                        "assignee_id": technician.id if assigned else None,
                        "status": status,
                        "category": "wifi",
                        "impact": "one_room",
                        "location": "Aula",
                        "description": "bench",
                        "contact_phone": "0812",
                        "letter_status": "follows",
                        "received_at": received,
                        "target_due_at": received + timedelta(days=3),
                        "deadline_due_at": received + timedelta(days=7),
                        "updated_at": received,
                        "next_check_at": None if status == "CLOSED" else START + timedelta(days=1),
                    }
                )
            await uow.session.execute(insert(Ticket), rows)
        await uow.commit()


async def seed(path: str) -> None:
    """Part 3's database (in a process of its own): 100,000 tickets, a reporter, a technician."""
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url)
    d, _clock = await _project(url)
    try:
        await d.staff(TECHNICIAN, Role.TECHNICIAN)
        await d.reporter(REPORTER)
        await _seed_tickets(d, TICKETS)
    finally:
        await _close(d)


async def big(path: str) -> None:
    """Part 3 (in a process of its own, on the seeded file): RSS and /status."""
    d, _clock = await _project(f"sqlite+aiosqlite:///{path}")
    in_fake: list[float] = []
    do_request = d.api.do_request

    async def timed(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        # The fake Bot API parses the HTML it is sent (as Telegram would, on its side).
        began = time.perf_counter()
        try:
            return await do_request(*args, **kwargs)
        finally:
            in_fake.append(time.perf_counter() - began)

    d.api.do_request = timed  # type: ignore[method-assign]
    try:
        for number in range(1, 4):
            await _flow(d, REPORTER, number)
        timings: dict[str, list[float]] = {"technician": [], "reporter": []}
        fake: dict[str, list[float]] = {"technician": [], "reporter": []}
        for _ in range(15):
            for who, person in (("technician", TECHNICIAN), ("reporter", REPORTER)):
                update = d.updates.text(person, "/status")
                in_fake.clear()
                began = time.perf_counter()
                await d.app.process_update(update)
                timings[who].append((time.perf_counter() - began) * 1000)
                fake[who].append(sum(in_fake) * 1000)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        await _close(d)
    print(f"With {TICKETS:,} tickets (SQLite; the bot's own process, seeded by another):")
    print(f"  peak RSS: {rss_mb:.0f} MB   target <= 150 MB")
    for who, values in timings.items():
        own = [total - spent for total, spent in zip(values, fake[who], strict=True)]
        print(
            f"  /status of a {who}: median {statistics.median(values[3:]):.1f} ms"
            f" [{min(values[3:]):.1f}-{max(values[3:]):.1f}] (after 3 warm-up runs)"
            f"   target <= 5 ms; without the fake Bot API's own work on the answer:"
            f" {statistics.median(own[3:]):.1f} ms"
        )


# --- burst delivery on simulated time -------------------------------------------------------


async def burst(cards: int = 300, reporters: int = 100, every: float = 1.0) -> None:
    """Part 4: a mass outage against a fake Bot API that enforces Telegram's limits."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'burst.db'}"
        await asyncio.to_thread(upgrade, url)
        clock_holder: list[FrozenClock] = []
        sim = SimulatedTime(on_advance=lambda t: clock_holder[0].set(START + timedelta(seconds=t)))
        api = FakeBotApi(limits=TelegramLimits(clock=sim.monotonic))
        d, clock = await _project(url, pacer=Pacer(TELEGRAM, sim), api=api)
        clock_holder.append(clock)
        delivery = d.app.bot_data[DELIVERY_KEY]
        if not isinstance(delivery, OutboxDelivery):
            raise TypeError("build_application sets the outbox delivery")
        committed: dict[str, float] = {}
        services = d.services

        def report(number: int) -> None:
            async def commit() -> None:
                async with services.uow() as uow:
                    now = services.now()
                    card = OutboxDraft(GROUP_ID, "sendMessage", {"text": f"Kartu {number}"})
                    chat = 5001 + number % reporters
                    notice = OutboxDraft(chat, "sendMessage", {"text": f"Pemberitahuan {number}"})
                    uow.queue(card, now)
                    uow.queue(notice, now)
                    await uow.commit()
                committed[f"Pemberitahuan {number}"] = sim.now
                delivery.kick()

            sim.at(number * every, commit)

        for number in range(cards):
            report(number)
        began = time.perf_counter()
        try:
            while sim.pending:
                await delivery.wait_idle()
                if sim.pending:
                    await sim.run_next()
            await delivery.wait_idle()
        finally:
            wall = time.perf_counter() - began
            await _close(d)
    sent = [c for c in api.calls if c.method == "sendMessage" and c.at is not None]
    by_chat: dict[int, list[int]] = defaultdict(list)
    for call in sent:
        by_chat[call.chat_id or 0].append(int(call.text.split()[-1]))
    violations = sum(
        1 for numbers in by_chat.values() for a, b in itertools.pairwise(numbers) if b < a
    )
    waits = [(c.at or 0.0) - committed[c.text] for c in sent if c.text.startswith("Pemberitahuan")]
    group = [c.at for c in sent if c.chat_id == GROUP_ID and c.at is not None]
    per_minute = (len(group) - 1) * 60 / (group[-1] - group[0]) if len(group) > 1 else 0.0
    refused = Counter(c.method for c in api.calls if c.method.endswith("!failed"))
    refused_429 = api.limits.refused if api.limits is not None else 0
    print(
        f"Burst: {cards} job cards + {cards} private notices ({reporters} reporters), one report"
        f" every {every:g} s, against the limit-enforcing fake (simulated time):"
    )
    print(f"  answers 429: {refused_429}   target 0  ({dict(refused) or 'no failed calls'})")
    print(f"  order violations within a chat: {violations}   target 0")
    print(
        f"  private notices delivered: {len(waits)}; longest wait after commit:"
        f" {max(waits):.2f} s   target <= 2 s"
    )
    print(
        f"  cards to the group: {len(group)} in {(group[-1] - group[0]) / 60:.1f} simulated min,"
        f" {per_minute:.2f} per minute   target 19-20"
    )
    print(f"  (the burst took {wall:.1f} s of real time)")


def main() -> None:
    """Runs the parts; `--seed` and `--big` are part 3's subprocesses."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", metavar="DB", help="part 3's database (a subprocess)")
    parser.add_argument("--big", metavar="DB", help="part 3's measurement (a subprocess)")
    parser.add_argument(
        "--part",
        action="append",
        choices=("throughput", "big", "burst"),
        help="run only these parts (repeatable; default: all)",
    )
    args = parser.parse_args()
    if args.seed:
        asyncio.run(seed(args.seed))
        return
    if args.big:
        asyncio.run(big(args.big))
        return
    parts = args.part or ["throughput", "big", "burst"]
    if "throughput" in parts:
        print(f"Throughput: {FLOWS} whole reports and {READS} reads per repetition, SQLite")
        asyncio.run(throughput())
        print(flush=True)
    if "big" in parts:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "big.db")
            for part in ("--seed", "--big"):  # the bot's process only reads the tickets
                # This very module, run by the interpreter running it.
                subprocess.run(  # noqa: S603
                    [sys.executable, "-m", "bench.throughput", part, path], check=True
                )
        print(flush=True)
    if "burst" in parts:
        asyncio.run(burst())


if __name__ == "__main__":
    main()
