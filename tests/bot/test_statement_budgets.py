"""SQL statements per update: each kind of update stays within its budget (issue 8).

Counted like the SLA sweep's (tests/services/test_sla.py): every statement the update's own
unit(s) of work send, BEGIN aside; the outbox delivery that follows a commit runs in its own
tasks and is not the update's cost.

Exactly-once (issue 13) adds to every update one INSERT of its id into `processed_update`, in
the transaction of the update's first commit, and writes the conversation state (PTB's
persistence) right after the update instead of on a five-second timer, so a step Telegram
counts as delivered is never lost in a crash. Those are the price of exactly-once, the same for
every kind of update: `own()` leaves them out of a budget, and each test checks that the update
paid exactly one record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bot.services.domain import Role
from bot.texts import report as report_texts
from db.session import READ_ONLY
from tests.factories import Person
from tests.harness import GROUP_ID, Harness
from tests.stories import fill_report_form

pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")


@contextmanager
def counting(h: Harness) -> Iterator[list[str]]:
    """Collects the statements sent while the block runs, outside the outbox's tasks."""
    statements: list[str] = []
    engine = h.services.engine.sync_engine

    def count(*args: Any) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name().startswith("outbox"):
            return
        if not str(args[2]).startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE
            statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


_BOOKKEEPING = ("processed_update", "bot_state")


def own(statements: list[str]) -> list[str]:
    """Returns the statements of the update's own work (without the exactly-once record and
    the conversation state written with it), after checking the update was recorded once."""
    records = [s for s in statements if s.startswith("INSERT INTO processed_update")]
    assert len(records) == 1, statements
    return [s for s in statements if not any(table in s for table in _BOOKKEEPING)]


async def _summary(h: Harness) -> None:
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await fill_report_form(
        h, SITI, "Wi-Fi", "Satu ruangan", "Aula", "Wi-Fi aula tidak tersambung.", "081234567890"
    )


async def test_submitting_a_report_takes_at_most_ten_statements(harness: Harness) -> None:
    h = harness
    await _summary(h)
    await h.choose(SITI, report_texts.SEND)  # the year's first number seeds its counter
    await fill_report_form(
        h, SITI, "Wi-Fi", "Satu ruangan", "Lobi", "Wi-Fi lobi tidak tersambung.", "081234567890"
    )
    with counting(h) as statements:
        await h.choose(SITI, report_texts.SEND)
    assert "BN-2026-00002" in h.api.to_chat(GROUP_ID, "sendMessage")[-1].text
    assert len(own(statements)) <= 10


# Issue 8 asks for six: the duplicate-card check of the press, the technician, the ticket, the
# event, the conditional UPDATE (with the clocks and the next check), the outbox. The log and the
# fired steps are not read while no hold has moved the clocks and no step is due; the technician
# group's setting comes from the process's settings cache (read by the submit before).
CLAIM_BUDGET = 6


async def test_claiming_a_ticket_stays_within_its_statement_budget(harness: Harness) -> None:
    h = harness
    await _summary(h)
    await h.choose(SITI, report_texts.SEND)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    # The bot has seen the group before (it notes once per run whether the group is a forum).
    await h.say(BUDI, "Siap, saya cek.", GROUP_ID)
    with counting(h) as statements:
        await h.press(BUDI, card, "Ambil")
    assert "Budi" in h.api.to_chat(GROUP_ID, "editMessageText")[-1].text
    assert len(own(statements)) <= CLAIM_BUDGET


async def test_looking_up_a_ticket_takes_at_most_four_statements(harness: Harness) -> None:
    h = harness
    await _summary(h)
    await h.choose(SITI, report_texts.SEND)
    with counting(h) as statements:
        await h.say(SITI, "/tiket BN-2026-00001")
    assert "BN-2026-00001" in h.last_reply(SITI).text
    assert len(own(statements)) <= 4


async def test_a_wizard_step_that_changes_no_state_sends_no_statement(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    with counting(h) as statements:
        await h.choose(SITI, "Satu ruangan")
    assert report_texts.ASK_LOCATION in h.last_reply(SITI).text
    assert own(statements) == []


async def test_status_and_tiket_read_without_the_write_lock(harness: Harness) -> None:
    h = harness
    await _summary(h)
    await h.choose(SITI, report_texts.SEND)
    if h.services.engine.dialect.name != "sqlite":
        pytest.skip("the write lock at BEGIN is SQLite's")
    begun: list[str] = []

    def keep(conn: Any) -> None:
        # db/session.py sends BEGIN for a reader, BEGIN IMMEDIATE otherwise (what each takes is
        # checked in tests/unit/test_sqlite_inline.py).
        begun.append("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

    engine = h.services.engine.sync_engine
    event.listen(engine, "begin", keep)
    try:
        await h.say(SITI, "/status")
        await h.say(SITI, "/tiket BN-2026-00001")
    finally:
        event.remove(engine, "begin", keep)
    assert "BN-2026-00001" in h.last_reply(SITI).text
    # Each reads in a deferred transaction; the writes that follow (the update's exactly-once
    # record, and /tiket's note of its answer with it) take the write lock.
    assert begun == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN", "BEGIN IMMEDIATE"]
