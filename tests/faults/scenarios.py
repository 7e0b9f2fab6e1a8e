"""Fault-injection scenarios against the real Application: each returns a row of counts (what
was injected, how many notifications were expected, lost and sent twice)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import importlib
import json
import os
import pkgutil
import re
import secrets
import shutil
import sqlite3
import time
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, make_url, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning

from bot import callbacks, conversations, render
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import sla, tickets
from bot.services.clock import FrozenClock
from bot.services.container import build_services
from bot.services.domain import Actor, Role
from bot.services.outbox import JOB_CARD
from bot.texts.refusals import GENERIC_ERROR
from db.migrate import upgrade_async
from db.models import Base, BotState, OutboxMessage, SlaFiring, Ticket, TicketEvent
from tests.factories import Person
from tests.fakebot import ApiCall, FakeBotApi
from tests.harness import ADMIN, GROUP_ID, Harness, running
from tests.stories import INTERNET_DOWN, file_report

# Monday 30 November 2026, 09:00 WIB: inside office hours.
START = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
REPORTERS = [Person(2100 + i, f"Pelapor{i}") for i in range(5)]
TECHNICIANS = [Person(3100 + i, f"Teknisi{i}") for i in range(50)]
REPORTS_EACH = 4
_NUMBER = re.compile(r"BN-\d{4}-\d{5}")
# Outbox methods: everything the story sends is delivered through the outbox.
MESSAGE_METHODS = {"sendMessage", "editMessageText", "sendPhoto", "sendDocument", "copyMessage"}


@dataclass(frozen=True)
class Outcome:
    """One line of the fault table."""

    scenario: str
    injected: str
    expected: int
    lost: int
    duplicated: int
    note: str = ""
    # Repeats the Bot API makes unavoidable (a post delivered but its answer lost).
    unavoidable: int = 0


@asynccontextmanager
async def bot(folder: Path, database_url: str | None = None) -> AsyncIterator[Harness]:
    """The real Application against the fake Bot API, with reports going to the technician
    group straight away: on a fresh migrated SQLite database, or on `database_url` (migrated
    and seeded already, e.g. a PostgreSQL database of the caller's own)."""
    url = database_url or f"sqlite+aiosqlite:///{folder / 'faults.db'}"
    if database_url is None:
        await upgrade_async(url)
    settings = Settings(
        _env_file=None,
        bot_token="123456:FAULTS-TOKEN",
        database_url=url,
        admin_ids=[ADMIN.id],
        tech_group_id=GROUP_ID,
        auto_disposition=True,
    )
    clock = FrozenClock(START)
    services = build_services(settings, clock=clock)
    try:
        async with running(services, FakeBotApi(), clock) as h:
            yield h
    finally:
        await services.close()


async def _cast(h: Harness, technicians: int = 3) -> None:
    for person in REPORTERS:
        await h.reporter(person)
    for person in TECHNICIANS[:technicians]:
        await h.staff(person, Role.TECHNICIAN)


async def _busy_story(h: Harness) -> None:
    """Every reporter files reports, ten minutes pass (the outbox retries what is due), the
    technicians claim each card that has shown up; at the end the outbox drains and the last
    cards are claimed too."""
    for round_ in range(REPORTS_EACH):
        for person in REPORTERS:
            await file_report(h, person, INTERNET_DOWN)
        h.advance(minutes=10)
        await h.run_job("outbox-retry")
        await _claim_all(h, round_)
    await _drain(h)
    await _claim_all(h, REPORTS_EACH)


async def _claim_all(h: Harness, round_: int) -> None:
    for i, card in enumerate(_unclaimed_cards(h)):
        await h.press(TECHNICIANS[(i + round_) % 3], card, "Ambil")


def _unclaimed_cards(h: Harness) -> list[ApiCall]:
    cards = [c for c in h.api.to_chat(GROUP_ID, "sendMessage") if "Ambil" in dict(c.buttons)]
    edited = {c.params.get("message_id") for c in h.api.to_chat(GROUP_ID, "editMessageText")}
    return [
        c
        for c in cards
        if c.message_id not in edited
        and c.message_id is not None
        and h.api.shows(GROUP_ID, c.message_id)  # a copy deleted at its first press is gone
    ]


async def _drain(h: Harness, rounds: int = 200) -> None:
    """Lets the outbox retry until nothing is pending: the bot's clock jumps to the moment the
    next chat may be sent to (see `_released_at`) and the retry job runs."""
    for _ in range(rounds):
        async with h.services.uow() as uow:
            pending = list(
                await uow.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.status == "pending")
                )
            )
        if not pending:
            return
        h.clock.set(max(h.clock.now(), _released_at(pending, h.clock.now())))
        await h.run_job("outbox-retry")
    raise AssertionError("the outbox did not drain")


def _released_at(pending: list[OutboxMessage], now: datetime) -> datetime:
    """Returns when the first chat's next call becomes due.

    A chat that Telegram asked to wait (a 429, "RetryAfter") is held whole until its wait is
    over (OutboxRepo.due_lanes), even the calls queued behind the refused one whose own backoff
    has long passed; any other chat's call is due at its next_attempt_at."""
    chats: dict[int, list[OutboxMessage]] = {}
    for row in pending:
        chats.setdefault(row.chat_id, []).append(row)
    moments = []
    for rows in chats.values():
        holds = [
            row.next_attempt_at
            for row in rows
            if (row.last_error or "").startswith("RetryAfter") and row.next_attempt_at > now
        ]
        moments.append(max(holds) if holds else min(row.next_attempt_at for row in rows))
    return min(moments)


async def _count(h: Harness) -> tuple[int, int, int]:
    """Returns (expected, lost, duplicated) comparing the outbox with what Telegram received.

    A job card is counted per ticket: its post may show a later state than the row first held
    (edits waiting for the post are folded into it), so one post per ticket is expected, found
    by the ticket number."""
    async with h.services.uow() as uow:
        rows = list(await uow.session.scalars(select(OutboxMessage)))
        numbers = set(await uow.session.scalars(select(Ticket.number)))
    expected: Counter[tuple[int, str, str]] = Counter()
    lost = 0
    for row in rows:
        if row.status == "merged":  # folded into a card post that shows its latest state
            continue
        if row.status != "sent":
            lost += 1
            continue
        if row.purpose == JOB_CARD and row.method == "sendMessage":
            continue  # counted per ticket below
        expected[(row.chat_id, row.method, _text(row.payload))] += 1
    calls = [c for c in h.api.calls if c.method in MESSAGE_METHODS and c.chat_id is not None]
    card_posts = Counter(
        match.group(0)
        for c in calls
        if c.chat_id == GROUP_ID and c.method == "sendMessage" and c.buttons
        for match in [_NUMBER.search(c.text)]
        if match is not None
    )
    received: Counter[tuple[int, str, str]] = Counter(
        (c.chat_id or 0, c.method, _text(c.params)) for c in calls
    )
    lost += sum((expected - received).values()) + len(numbers - set(card_posts))
    # Replies to the person acting are not outbox rows: only outbox messages can be repeated.
    duplicated = sum(max(0, received[key] - n) for key, n in expected.items())
    duplicated += sum(n - 1 for n in card_posts.values())
    return sum(expected.values()) + len(numbers), lost, duplicated


def _text(payload: dict[str, object]) -> str:
    return str(payload.get("text") or payload.get("caption") or "")


async def _claims_once(h: Harness) -> int:
    """Returns how many tickets were claimed more than once (should be none)."""
    async with h.services.uow() as uow:
        kinds = Counter(
            e.ticket_id
            for e in await uow.session.scalars(
                select(TicketEvent).where(TicketEvent.kind == "claimed")
            )
        )
    return sum(1 for n in kinds.values() if n > 1)


async def telegram_trouble(
    folder: Path, name: str, injected: str, inject: Callable[[FakeBotApi], None]
) -> Outcome:
    """A busy story while Telegram misbehaves as `inject` arranges; then the outbox drains.
    `injected` is formatted with `hit`, the number of calls that met the trouble."""
    async with bot(folder) as h:
        await _cast(h)
        inject(h.api)
        started = h.clock.now()
        await _busy_story(h)
        await _drain(h)
        expected, lost, duplicated = await _count(h)
        assert await _claims_once(h) == 0
        hit = sum(1 for c in h.api.calls if c.method.endswith("!failed") or c.timed_out)
        minutes = (h.clock.now() - started).total_seconds() / 60
        note = f"{minutes:.0f} min (frozen clock)"
        copies = len(h.api.by_method("deleteMessage"))
        if duplicated:
            note += (
                f"; the Bot API has no idempotency key: a post whose answer was lost is sent "
                f"again; {copies} card copies deleted at their first press"
            )
        lost_answers = sum(1 for c in h.api.calls if c.timed_out and c.method == "sendMessage")
        return Outcome(
            name, injected.format(hit=hit), expected, lost, duplicated, note, lost_answers
        )


def server_errors(api: FakeBotApi) -> None:
    """5xx answers: the next 30 posts and 30 edits to the group, 10 messages to reporters."""
    api.fail("sendMessage", status=502, description="Bad Gateway", chat_id=GROUP_ID, times=30)
    api.fail("editMessageText", status=500, chat_id=GROUP_ID, times=30)
    for person in REPORTERS:
        api.fail(
            "sendMessage",
            status=503,
            description="Service Unavailable",
            chat_id=person.id,
            times=2,
        )


def flood_storm(api: FakeBotApi) -> None:
    """429 storms: 40 posts and 40 edits to the group told to wait 60-300 s."""
    api.fail(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 300",
        retry_after=300,
        chat_id=GROUP_ID,
        times=40,
    )
    api.fail(
        "editMessageText",
        status=429,
        description="Too Many Requests: retry after 60",
        retry_after=60,
        chat_id=GROUP_ID,
        times=40,
    )


def lost_answers(api: FakeBotApi) -> None:
    """Timeouts after Telegram did the call (the answer is lost): 10 card posts to the group,
    5 messages to reporters."""
    api.time_out("sendMessage", chat_id=GROUP_ID, times=10)
    for person in REPORTERS:
        api.time_out("sendMessage", chat_id=person.id, times=1)


async def concurrent_claims(
    folder: Path, technicians: int = 50, database_url: str | None = None
) -> Outcome:
    """`technicians` press «Ambil» on one card at the same moment: exactly one wins. On
    SQLite unless `database_url` names another (migrated, seeded) database."""
    backend = "PostgreSQL" if database_url and "postgresql" in database_url else "SQLite"
    async with bot(folder, database_url) as h:
        await _cast(h, technicians)
        await file_report(h, REPORTERS[0], INTERNET_DOWN)
        (card,) = _unclaimed_cards(h)
        assert card.message_id is not None and card.chat_id is not None
        presses = [
            h.updates.press(
                person, dict(card.buttons)["Ambil"], card.message_id, GROUP_ID, card.text
            )
            for person in TECHNICIANS[:technicians]
        ]
        await asyncio.gather(*(h.app.process_update(p) for p in presses))
        await h.delivery.wait_idle()
        async with h.services.uow() as uow:
            (ticket,) = await uow.session.scalars(select(Ticket))
            claims = list(
                await uow.session.scalars(select(TicketEvent).where(TicketEvent.kind == "claimed"))
            )
        answered = len(h.api.by_method("answerCallbackQuery"))
        assert ticket.assignee_id is not None and answered == technicians
        expected, lost, duplicated = await _count(h)
        return Outcome(
            f"{technicians} concurrent claims of one card ({backend})",
            f"{technicians} presses at once",
            expected,
            lost,
            duplicated,
            f"winners: {len(claims)}",
        )


OUTAGE = timedelta(seconds=30)
OUTAGE_TICK = timedelta(seconds=5)


async def database_down(folder: Path) -> Outcome:
    """The database refuses every statement for 30 s of the bot's clock (simulated: the frozen
    clock moves 5 s between updates; every statement meanwhile fails as a lost connection
    does). Meanwhile reporters open /lapor, a technician presses «Ambil», a reporter in the
    middle of /lapor answers a step, and the outbox and SLA jobs run. Each person is told to
    try again, nothing is half-written; once the 30 s are over, nobody switches anything back:
    the same actions simply work, without a restart."""
    async with bot(folder) as h:
        await _cast(h)
        await file_report(h, REPORTERS[0], INTERNET_DOWN)
        (card,) = _unclaimed_cards(h)
        typing = REPORTERS[1]
        await h.say(typing, "/lapor")
        await h.press(
            typing, h.with_button(typing.id, "Internet mati total"), "Internet mati total"
        )
        await h.press(typing, h.with_button(typing.id, "Seluruh kantor"), "Seluruh kantor")
        at_location = _state_of(h, typing)
        before = await _table_counts(h)
        until = h.clock.now() + OUTAGE
        refused = 0
        looking = False  # the scenario's own reads go through

        def refuse(*_: object) -> None:
            nonlocal refused
            if h.clock.now() < until and not looking:
                refused += 1
                raise OperationalError("statement", {}, OSError("database unreachable"))

        event.listen(h.services.engine.sync_engine, "before_cursor_execute", refuse)
        seen = len(h.api.calls)
        actions: list[Callable[[], Awaitable[None]]] = [
            *(functools.partial(h.say, p, "/lapor") for p in REPORTERS[2:]),
            functools.partial(h.press, TECHNICIANS[0], card, "Ambil"),
            functools.partial(h.say, typing, "Ruang server lantai 2"),
            functools.partial(h.say, REPORTERS[0], "/lapor"),
        ]
        for action in actions:  # one update every 5 s, the jobs in between
            await action()
            await _run_failing_job(h, "outbox-retry")
            await _run_failing_job(h, "sla-sweep")
            h.clock.advance(OUTAGE_TICK)
        during = h.api.calls[seen:]
        # Those whose update needs the database; the form step of `typing` needs none.
        people = {p.id for p in (*REPORTERS[2:], REPORTERS[0], TECHNICIANS[0])}
        apologies = {
            c.chat_id for c in during if GENERIC_ERROR in _text(c.params) and c.chat_id in people
        }
        if any(
            c.method == "answerCallbackQuery" and GENERIC_ERROR in _text(c.params) for c in during
        ):
            apologies.add(TECHNICIANS[0].id)  # the press is answered with the apology
        step_went_on = any(
            c.chat_id == typing.id and "Langkah 4" in _text(c.params) for c in during
        ) and not any(c.chat_id == typing.id and GENERIC_ERROR in _text(c.params) for c in during)
        looking = True
        unchanged = await _table_counts(h) == before
        stored_before = await _stored_location(h, typing)
        looking = False
        h.clock.set(max(h.clock.now(), until))
        await h.run_job("outbox-retry")
        await h.run_job("sla-sweep")
        await h.app.update_persistence()  # the periodic flush (every few seconds)
        flushed = await _stored_location(h, typing)
        seen = len(h.api.calls)
        for person in (*REPORTERS[2:], REPORTERS[0]):
            await h.say(person, "/lapor")
        await h.press(TECHNICIANS[0], card, "Ambil")
        await h.say(typing, INTERNET_DOWN.description)
        went_on = _state_of(h, typing)[1] not in (None, at_location[1])
        stored_after = await _stored_location(h, typing)
        await _drain(h)
        event.remove(h.services.engine.sync_engine, "before_cursor_execute", refuse)
        forms = sum(
            1
            for p in (*REPORTERS[2:], REPORTERS[0])
            if any(
                c.chat_id == p.id and "Internet mati total" in dict(c.buttons)
                for c in h.api.calls[seen:]
            )
        )
        expected, lost, duplicated = await _count(h)
        return Outcome(
            "Database unreachable for 30 s",
            f"{refused} statements refused over 30 s of the bot's clock (simulated): "
            f"{len(actions)} updates, the outbox and SLA jobs every 5 s",
            expected,
            lost + (len(people) - len(apologies)) + (not unchanged),
            duplicated,
            f"told to try again: {len(apologies)}/{len(people)} people; tables unchanged: "
            f"{unchanged}; a form step needing no database went on: {step_went_on}, its draft "
            f"stored: during the outage {stored_before}, at the next flush {flushed}, with the "
            f"person's next update {stored_after}; afterwards "
            f"forms opened: {forms}/4, claims: {await _claims(h)}, the form went on: {went_on}",
        )


async def _stored_location(h: Harness, person: Person) -> bool:
    """Whether the stored drafts (bot_state) hold the location the person typed."""
    async with h.services.uow() as uow:
        states = list(await uow.session.scalars(select(BotState)))
    return any(
        str(person.id) in state.key and "Ruang server lantai 2" in json.dumps(state.data)
        for state in states
    )


async def _run_failing_job(h: Harness, name: str) -> None:
    """Runs a job whose statements fail: PTB hands the error to the error handler in a task,
    and warns that the harness's application (initialised, not running) will not await it;
    the handler only logs (a job has no one to apologise to)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
        await h.run_job(name)
        await asyncio.sleep(0)


def _state_of(h: Harness, person: Person) -> tuple[dict[Any, Any], object]:
    """The person's /lapor draft and conversation state, as the bot holds them."""
    handlers = [
        handler
        for group in h.app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.name == "report"
    ]
    data = h.app.user_data.get(person.id, {})
    states = handlers[0]._conversations.get((person.id, person.id))
    return copy.deepcopy(dict(data)), states


FORGERIES = ("999999", "99999999999", "x", "1_999_0", "")
STRANGER = Person(9001, "Tamu")


async def forged_presses(folder: Path) -> Outcome:
    """Every button kind pressed with forged or stale data, by a stranger in a private chat and
    by a technician in the group: each press answered once, nothing written, no crash."""
    async with bot(folder) as h:
        await _cast(h)
        await file_report(h, REPORTERS[0], INTERNET_DOWN)
        actions = sorted(
            value
            for name, value in vars(callbacks).items()
            if name.isupper() and isinstance(value, str) and name not in {"VERSION"}
        )
        before = await _table_counts(h)
        presses = 0
        seen = len(h.api.calls)
        for action in actions:
            for ident in FORGERIES:
                for person, chat in ((STRANGER, STRANGER.id), (TECHNICIANS[0], GROUP_ID)):
                    await h.press_data(person, f"v1:{action}:{ident}", chat)
                    presses += 1
                await h.press_data(STRANGER, f"v0:{action}:1", STRANGER.id)  # an old version
                presses += 1
        answers = [c for c in h.api.calls[seen:] if c.method == "answerCallbackQuery"]
        apologies = sum(1 for c in h.api.calls[seen:] if GENERIC_ERROR in _text(c.params))
        after = await _table_counts(h)
        changed = sorted(name for name in before if before[name] != after[name])
        return Outcome(
            "Forged and stale button data",
            f"{presses} presses: {len(actions)} button kinds x {len(FORGERIES)} forgeries x "
            "2 people, and an old version",
            0,
            0,
            0,
            f"answered: {len(answers)}/{presses}; system errors: {apologies}; tables changed: "
            f"{', '.join(changed) or 'none'}",
        )


async def _table_counts(h: Harness) -> dict[str, int]:
    """Row counts of every table but the bookkeeping of updates and drafts."""
    counts: dict[str, int] = {}
    async with h.services.uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name in {"processed_update", "bot_state"}:
                continue
            counts[table.name] = int(
                await uow.session.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts


async def _snapshot(h: Harness) -> tuple[int, int, int]:
    async with h.services.uow() as uow:
        tickets = list(await uow.session.scalars(select(Ticket)))
        events = list(await uow.session.scalars(select(TicketEvent)))
        outbox = list(await uow.session.scalars(select(OutboxMessage)))
    return len(tickets), len(events), len(outbox)


async def _claims(h: Harness) -> int:
    async with h.services.uow() as uow:
        return len(
            list(
                await uow.session.scalars(select(TicketEvent).where(TicketEvent.kind == "claimed"))
            )
        )


def killed_mid_delivery(folder: Path, reports: int = 6) -> Outcome:
    """A real bot process (SQLite) is killed with SIGKILL while it delivers job cards to a slow
    group; the next process delivers the rest."""
    from tests.ops_fakeapi import serve_fake_telegram
    from tests.test_ops_processes import GROUP_ID as PROCESS_GROUP
    from tests.test_ops_processes import SITI_ID, Bot, bot_env, register_siti

    url = f"sqlite+aiosqlite:///{folder / 'delivery.db'}"
    with serve_fake_telegram() as (root, api):
        api.slow_chats[PROCESS_GROUP] = 1.5
        env = bot_env(root, url)
        first = Bot(env, folder / "first.log")
        second: Bot | None = None
        try:
            first.wait_log("bot running (long polling)")
            asyncio.run(register_siti(url))
            asyncio.run(_file_reports(url, SITI_ID, PROCESS_GROUP, reports))
            api.wait_for(lambda: len(api.sent(PROCESS_GROUP)) >= 2)
            first.kill()  # in the middle of the pass: two cards out, the third on its way
            killed_after = len(api.sent(PROCESS_GROUP))
            second = Bot(env, folder / "second.log")
            api.wait_for(lambda: len(_card_numbers(api.sent(PROCESS_GROUP))) == reports, 90)
            time.sleep(2)  # let a (wrong) extra delivery show itself
        finally:
            if second is not None:
                second.stop()
            if first.process.poll() is None:
                first.kill()
        cards = Counter(_card_numbers(api.sent(PROCESS_GROUP)))
        return Outcome(
            "SIGKILL during a delivery pass, restart",
            f"kill -9 while job card {killed_after} of {reports} awaits its answer (1.5 s)",
            reports,
            reports - len(cards),
            sum(n - 1 for n in cards.values()),
            "the card in flight when killed may go out twice (sent, not yet marked)",
            unavoidable=1,
        )


# The sweep: reports filed at Monday's opening, the bot started at 14:00 the same day, when
# every one of them is past its response reminder and its response time (two rungs each).
SWEEP_FILED = START.replace(hour=8)
SWEEP_AT = START.replace(hour=14)


def killed_mid_sweep(folder: Path, delivering: bool = False) -> Outcome:
    """A real bot process (SQLite, its simulated clock at 14:00) with 200 overdue tickets is
    killed with SIGKILL during its first SLA sweep, then a new process starts. Two moments:
    before the sweep commits (the database is held from here, so the sweep waits inside its
    job and is killed there), or after it committed, while its digest is on its way to a slow
    group. Compared with a sweep run on a copy of the database taken before: no rung skipped,
    none fired twice, every digest sent (the one in the air when killed may go twice)."""
    from tests.ops_fakeapi import serve_fake_telegram
    from tests.test_ops_processes import GROUP_ID as PROCESS_GROUP
    from tests.test_ops_processes import SITI_ID, Bot, bot_env, register_siti

    reports = sla.SWEEP_LIMIT
    path = folder / "sweep.db"
    url = f"sqlite+aiosqlite:///{path}"
    asyncio.run(upgrade_async(url))
    asyncio.run(register_siti(url))
    asyncio.run(_file_reports(url, SITI_ID, PROCESS_GROUP, reports, SWEEP_FILED))
    last_before = _sqlite_count(path, "SELECT max(id) FROM outbox")
    oracle = folder / "oracle.db"
    shutil.copy(path, oracle)
    due = asyncio.run(_sweep_until_quiet(f"sqlite+aiosqlite:///{oracle}", PROCESS_GROUP))
    with serve_fake_telegram() as (root, api):
        env = {**bot_env(root, url), "CLOCK_START": SWEEP_AT.isoformat()}
        if delivering:
            api.slow_chats[PROCESS_GROUP] = 3.0
        first = Bot(env, folder / "first.log")
        second: Bot | None = None
        try:
            first.wait_log("bot running (long polling)")
            if delivering:
                api.wait_for(lambda: bool(api.sent(PROCESS_GROUP)), 60)
                first.kill()  # the digest's post is in the air (3 s), not yet marked
            else:
                with _write_lock(path):
                    time.sleep(5)  # the sweep (first after 2 s) waits for the database
                    first.kill()
            committed = _sqlite_count(path, "SELECT count(*) FROM sla_firing")
            second = Bot(env, folder / "second.log")
            second.wait_log("bot running (long polling)")
            api.wait_for(lambda: _swept(path, len(due)), 120)
            time.sleep(2)  # let a (wrong) extra delivery show itself
        finally:
            if second is not None:
                second.stop()
            if first.process.poll() is None:
                first.kill()
        fired = asyncio.run(_firings(url))
        rows = asyncio.run(_outbox_after(url, last_before))
        lost = len(due - fired) + sum(
            1 for row in rows if row.status != "sent" or _copies(api, row) == 0
        )
        duplicated = len(fired - due) + sum(max(0, _copies(api, row) - 1) for row in rows)
        moment = (
            f"kill -9 after the sweep of {reports} overdue tickets committed, its digest in "
            "the air (3 s)"
            if delivering
            else f"kill -9 while the sweep of {reports} overdue tickets waits for the database "
            "(held from outside), before its commit"
        )
        return Outcome(
            "SIGKILL after an SLA sweep committed, restart"
            if delivering
            else "SIGKILL during an SLA sweep, restart",
            f"{moment}: {committed} rungs committed at the kill",
            len(due) + len(rows),
            lost,
            duplicated,
            f"rungs fired: {len(fired)}/{len(due)} (as a sweep of a copy fires), digests "
            f"sent: {sum(1 for row in rows if row.status == 'sent')}/{len(rows)}"
            + ("; the digest in the air when killed may go out twice" if delivering else ""),
            unavoidable=1 if delivering else 0,
        )


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Holds the SQLite database's write lock (as a long transaction elsewhere would)."""
    with contextlib.closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            con.execute("ROLLBACK")


def _copies(api: Any, row: OutboxMessage) -> int:
    body = _text(row.payload)
    return sum(1 for c in api.sent(row.chat_id, row.method) if c.text == body)


def _sqlite_count(path: Path, query: str) -> int:
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as con:
        value = con.execute(query).fetchone()[0]
    return int(value or 0)


def _swept(path: Path, due: int) -> bool:
    return (
        _sqlite_count(path, "SELECT count(*) FROM sla_firing") >= due
        and _sqlite_count(path, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 0
    )


async def _sweep_until_quiet(url: str, group: int) -> set[tuple[int, str, int]]:
    """Sweeps a copy of the database at SWEEP_AT until nothing more fires; returns the rungs."""
    settings = Settings(
        _env_file=None, database_url=url, tech_group_id=group, auto_disposition=True
    )
    services = build_services(settings, clock=FrozenClock(SWEEP_AT))
    services.renderer = render.render
    try:
        await services.refresh_calendar()
        for _ in range(20):
            async with services.uow() as uow:
                result = await sla.sweep(uow, services.context())
            if not result.fired:
                break
    finally:
        await services.close()
    return await _firings(url)


async def _firings(url: str) -> set[tuple[int, str, int]]:
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            return {
                (row.ticket_id, row.step, row.entry_id)
                for row in await session.scalars(select(SlaFiring))
            }
    finally:
        await engine.dispose()


async def _outbox_after(url: str, last: int) -> list[OutboxMessage]:
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            return list(
                await session.scalars(select(OutboxMessage).where(OutboxMessage.id > last))
            )
    finally:
        await engine.dispose()


def _card_numbers(calls: list[Any]) -> list[str]:
    return [m.group(0) for c in calls for m in [_NUMBER.search(c.text)] if m is not None]


async def _file_reports(
    url: str, reporter: int, group: int, count: int, at: datetime | None = None
) -> None:
    """Files reports through the services, as the bot would, outbox rows included; with `at`,
    filed at that moment and their messages counted as out already (the story starts later)."""
    settings = Settings(
        _env_file=None, database_url=url, tech_group_id=group, auto_disposition=True
    )
    services = build_services(settings, clock=FrozenClock(at) if at else None)
    services.renderer = render.render
    try:
        for _ in range(count):
            async with services.uow() as uow:
                await tickets.create_report(uow, services.context(Actor(reporter)), INTERNET_DOWN)
        if at is not None:
            async with services.uow() as uow:
                await uow.session.execute(
                    update(OutboxMessage).values(status="sent", sent_at=at, attempts=1)
                )
                await uow.session.commit()
    finally:
        await services.close()


def killed_mid_wizard(folder: Path) -> Outcome:
    """A real bot process (SQLite) is killed with SIGKILL in the middle of /lapor; a new one
    starts on the same database and the reporter goes on where she was."""
    from tests.ops_fakeapi import serve_fake_telegram
    from tests.test_ops_processes import GROUP_ID as PROCESS_GROUP
    from tests.test_ops_processes import Bot, Siti, bot_env, register_siti, rows

    url = f"sqlite+aiosqlite:///{folder / 'killed.db'}"
    with serve_fake_telegram() as (root, api):
        env = bot_env(root, url)
        first = Bot(env, folder / "first.log")
        second: Bot | None = None
        try:
            first.wait_log("bot running (long polling)")
            asyncio.run(register_siti(url))
            siti = Siti(api, url)
            siti.say("/lapor")
            siti.choose("Internet mati total")
            siti.choose("Seluruh kantor")
            siti.say("Ruang server lantai 2")
            first.kill()
            second = Bot(env, folder / "second.log")
            second.wait_log("bot running (long polling)")
            siti.say("Internet mati sejak pagi, lampu modem berkedip merah.")
            siti.choose("Lewati")
            siti.choose("Menyusul")
            siti.say("081234567890")
            siti.choose("Kirim laporan")
            api.wait_for(lambda: any("00001" in c.text for c in api.sent(PROCESS_GROUP)))
        finally:
            if second is not None:
                second.stop()
            if first.process.poll() is None:
                first.kill()
        ids, outbox, tickets = asyncio.run(rows(url))
        expected: Counter[tuple[int, str, str]] = Counter(
            (row.chat_id, row.method, _text(row.payload)) for row in outbox
        )
        received: Counter[tuple[int, str, str]] = Counter(
            (c.chat_id, c.method, c.text) for c in api.sent() if c.chat_id is not None
        )
        lost = sum(1 for row in outbox if row.status != "sent") + sum(
            (expected - received).values()
        )
        # Direct replies to Siti are not outbox rows: only repeated outbox messages count.
        duplicated = sum(max(0, received[key] - n) for key, n in expected.items())
        updates_twice = len(ids) - len(set(ids))
        missing_updates = len(set(siti.pushed) - set(ids))
        return Outcome(
            "SIGKILL in the middle of /lapor, restart",
            "kill -9 after step 4 of 8",
            sum(expected.values()),
            lost,
            duplicated,
            f"tickets: {tickets}; updates not handled: {missing_updates}, twice: {updates_twice}",
        )


@asynccontextmanager
async def pg_database(base_url: str) -> AsyncIterator[str]:
    """A PostgreSQL database of this run's own (a unique name), migrated and seeded, dropped
    afterwards; `base_url` names the server (its database is only used to create ours)."""
    base = make_url(base_url)
    name = f"{base.database or 'test'}_faults_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = base.set(database=base.database or "postgres")

    async def admin(statement: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await engine.dispose()

    await admin(f'CREATE DATABASE "{name}"')
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        await upgrade_async(url)
        yield url
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def concurrent_claims_pg(folder: Path) -> Outcome:
    """The 50 concurrent claims on PostgreSQL (TEST_DATABASE_URL names the server)."""
    async with pg_database(PG_URL) as url:
        return await concurrent_claims(folder, database_url=url)


PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()

# --- oversized and malformed input at every text step -----------------------------------------

# A message as long as Telegram allows; a blank one (only zero-width characters, which the
# engine turns into ""); only spaces and line breaks; only control characters.
TEXT_PROBES = {
    "oversized": "A" * 4096,
    "zero-width": "\u200b\u200c\u2060",
    "whitespace": " \n\t \n",
    "control": "\x00\x07\x1b\x7f",
}
# What a draft holds once the form has reached its text steps, for the flows whose questions
# or answers read it (the first ticket, filed by Siti; a complaint answer being written; the
# sign-off's signer and score; a repair report's approved list). Keys as the flows name them.
SEED_DRAFT: dict[str, Any] = {
    w.TICKET: 1,
    "id": 1,
    "number": "BN-2026-00001",
    "round": 1,
    "mode": "answer",
    "prompt": "Tuliskan jawaban Anda.",
    "needs_delivery": True,
    "text": "Jaringan sudah normal kembali sejak pukul 10.00.",
    "signer": {"name": "Pelapor0", "nip": None, "position": "Pranata Komputer"},
    "score": 4,
    "approved": [{"name": "Switch 8 port", "quantity": 1, "unit": "unit"}],
    "items": [{"name": "Switch 8 port", "quantity": 1, "unit": "unit", "old": None, "new": None}],
    "serial_at": 0,
}


def wizard_flows() -> list[w.Flow]:
    """Every Flow declared in bot/conversations (module-level objects), by name."""
    found: dict[str, w.Flow] = {}
    for info in pkgutil.iter_modules(conversations.__path__):
        module = importlib.import_module(f"{conversations.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, w.Flow):
                found[value.name] = value
    return [found[name] for name in sorted(found)]


def text_steps() -> list[tuple[w.Flow, int, w.Step]]:
    """Every step (flow, state, step) that takes a text message, from the declarations."""
    return [
        (flow, state, step)
        for flow in wizard_flows()
        for state, step in enumerate(flow.steps, 1)
        if step.text is not None
    ]


@dataclass(frozen=True)
class TextProbe:
    """What one probe at one text step did."""

    flow: str
    step: str
    probe: str
    refused: bool  # a reply other than the system error, the step asked no further
    unchanged: bool  # the draft, the state and every table as before
    reply: str


async def text_probes(folder: Path) -> tuple[Outcome, list[TextProbe]]:
    """Sends each probe at each text step of each flow (the form put at that step with a
    fresh draft, as the engine keeps it) and looks at the answer, the draft, the state and
    the tables."""
    async with bot(folder) as h:
        await _cast(h)
        person = REPORTERS[0]
        await file_report(h, person, INTERNET_DOWN)
        handlers = {
            handler.name: handler
            for group in h.app.handlers.values()
            for handler in group
            if isinstance(handler, ConversationHandler)
        }
        results: list[TextProbe] = []
        steps = text_steps()
        for flow, state, step in steps:
            handler = handlers[flow.name]
            for probe, text_ in TEXT_PROBES.items():
                draft: dict[str, Any] = {w.NONCE: "abc123", **copy.deepcopy(SEED_DRAFT)}
                draft.update({s.key: [] for s in flow.steps if s.collect and s.key not in draft})
                data = h.app.user_data[person.id]
                data.clear()
                data[flow.key] = draft
                data[w.FORM] = flow.name
                handler._conversations[(person.id, person.id)] = state
                before = (copy.deepcopy(draft), await _table_counts(h))
                seen = len(h.api.calls)
                await h.say(person, text_)
                replies = [_text(c.params) for c in h.api.calls[seen:] if c.chat_id == person.id]
                after_state = handler._conversations.get((person.id, person.id))
                after = (h.app.user_data[person.id].get(flow.key), await _table_counts(h))
                reply = "\n".join(replies)
                results.append(
                    TextProbe(
                        flow.name,
                        step.key,
                        probe,
                        bool(replies) and GENERIC_ERROR not in reply and after_state == state,
                        after == before and after_state == state,
                        reply,
                    )
                )
                handler._conversations.pop((person.id, person.id), None)
        h.app.user_data[person.id].clear()
        flows = {flow.name for flow, _, _ in steps}
        refused = sum(r.refused for r in results)
        unchanged = sum(r.unchanged for r in results)
        taken: dict[str, list[str]] = {}
        for r in results:
            if not r.refused:
                taken.setdefault(r.probe, []).append(f"{r.flow}.{r.step}")
        outcome = Outcome(
            "Oversized and malformed text at every text step",
            f"{len(results)} messages: {len(steps)} text steps of {len(flows)} flows x "
            f"{len(TEXT_PROBES)} probes ({', '.join(TEXT_PROBES)})",
            0,
            0,
            0,
            f"refused with a message, state unchanged: {refused}/{len(results)} "
            f"({unchanged} unchanged)"
            + "".join(f"; {probe} taken at {', '.join(at)}" for probe, at in taken.items()),
        )
        return outcome, results


async def text_steps_outcome(folder: Path) -> Outcome:
    """The table row of `text_probes`."""
    return (await text_probes(folder))[0]


Scenario = Callable[[Path], Awaitable[Outcome]]

SCENARIOS: list[tuple[str, Scenario]] = [
    (
        "5xx",
        lambda folder: telegram_trouble(
            folder, "Telegram 5xx during a busy story", "{hit} answers 500/502/503", server_errors
        ),
    ),
    (
        "429",
        lambda folder: telegram_trouble(
            folder,
            "429 storm (flood control)",
            "{hit} answers 429 (retry after 60-300 s)",
            flood_storm,
        ),
    ),
    (
        "timeouts",
        lambda folder: telegram_trouble(
            folder,
            "Answers lost after delivery (timeouts)",
            "{hit} posts delivered, answer timed out",
            lost_answers,
        ),
    ),
    ("claims", concurrent_claims),
    *([("claims-pg", concurrent_claims_pg)] if PG_URL else []),
    ("database", database_down),
    ("forged", forged_presses),
    ("text", text_steps_outcome),
    ("sigkill", lambda folder: asyncio.to_thread(killed_mid_wizard, folder)),
    ("delivery", lambda folder: asyncio.to_thread(killed_mid_delivery, folder)),
    ("sweep", lambda folder: asyncio.to_thread(killed_mid_sweep, folder)),
    ("sweep-delivery", lambda folder: asyncio.to_thread(killed_mid_sweep, folder, True)),
]
