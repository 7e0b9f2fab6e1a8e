"""Every press is answered once; no id a database column cannot hold ever reaches a query."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from bot import callbacks
from bot.services.domain import Role
from bot.texts.common import GENERIC_ERROR, REFUSALS
from db.models import CalendarOverride
from tests.factories import Person
from tests.harness import ADMIN, GROUP_ID, Harness

EKO = Person(3101, "Eko", "Serbabisa")
STALE = REFUSALS["stale_button"]

# Every action the codec knows: the module's constants that are action names (the `..._`
# constants are deep-link and pattern prefixes, not actions).
ACTIONS = sorted(
    {
        value
        for name, value in vars(callbacks).items()
        if name.isupper()
        and isinstance(value, str)
        and re.fullmatch(r"[a-z_]{1,20}", value)
        and not value.endswith("_")
    }
)
# 12 digits overflow PostgreSQL's integer; 32 digits overflow SQLite's 64-bit integer too.
HUGE_IDS = ["999999999999", "9" * 32, "2147483648_1", "1_99999999999"]


@contextmanager
def too_large_for_the_database(h: Harness) -> Iterator[list[int]]:
    """Collects every integer sent to the database that PostgreSQL's `integer` cannot hold.

    SQLite stores 64-bit integers, so without this a test on SQLite would not notice a number
    that overflows an `integer` column on PostgreSQL. (Telegram user and chat ids are bigint
    columns; the test users' ids are small and chat ids negative.)
    """
    found: list[int] = []

    def record(*args: Any) -> None:
        parameters = args[3]
        rows = parameters if isinstance(parameters, list) else [parameters]
        for row in rows:
            values = row.values() if isinstance(row, dict) else row
            found.extend(
                v
                for v in values
                if isinstance(v, int) and not isinstance(v, bool) and v > callbacks.DB_ID_MAX
            )

    engine = h.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_every_action_is_collected() -> None:
    """The list the presses below run over is the codec's whole vocabulary."""
    assert {callbacks.CLAIM, callbacks.NO_NOTE, callbacks.RATE, callbacks.WIZARD_SIGN} <= set(
        ACTIONS
    )
    assert len(ACTIONS) >= 40


async def _everything(h: Harness) -> None:
    """Makes one person hold every role, so no press is refused merely for the role."""
    await h.reporter(EKO)
    await h.staff(EKO, *Role)


def _answers_since(h: Harness, seen: int) -> int:
    return sum(1 for call in h.api.calls[seen:] if call.method == "answerCallbackQuery")


@pytest.mark.parametrize("action", ACTIONS)
async def test_a_press_with_an_id_out_of_range_is_answered_as_stale(
    harness: Harness, action: str, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await _everything(h)
    caplog.set_level(logging.ERROR)
    with too_large_for_the_database(h) as overflowing:
        for chat_id in (EKO.id, GROUP_ID):
            for ident in HUGE_IDS:
                seen = len(h.api.calls)
                await h.press_data(EKO, callbacks.VERSION + f":{action}:{ident}", chat_id)
                answers = [c for c in h.api.calls[seen:] if c.method == "answerCallbackQuery"]
                assert len(answers) == 1, (action, ident, chat_id)
                assert answers[0].params.get("text") == STALE, (action, ident, chat_id)
                assert GENERIC_ERROR not in [c.text for c in h.api.calls[seen:]]
    assert overflowing == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    "data",
    [
        "v2:claim:1",  # a button of another (future or past) version
        "v1:unknown_action:1",
        "garbage",
        "v1:claim:1\n",
        "",
    ],
)
async def test_a_press_nobody_knows_is_answered(harness: Harness, data: str) -> None:
    h = harness
    await _everything(h)
    for chat_id in (EKO.id, GROUP_ID):
        seen = len(h.api.calls)
        await h.press_data(EKO, data, chat_id)
        assert _answers_since(h, seen) == 1
        assert h.api.calls[-1].params.get("text") == STALE


async def test_no_note_outside_its_prompt_is_answered(harness: Harness) -> None:
    h = harness
    await _everything(h)
    seen = len(h.api.calls)
    await h.press_data(EKO, callbacks.make(callbacks.NO_NOTE, "1"), GROUP_ID)
    assert _answers_since(h, seen) == 1
    assert h.api.calls[-1].params.get("text") == STALE


@pytest.mark.parametrize("payload", ["adu_99999999999", "adu_2147483648_t", "adu_0"])
async def test_a_deep_link_with_an_id_out_of_range_is_refused(
    harness: Harness, payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await h.staff(EKO, Role.OFFICIAL)
    caplog.set_level(logging.ERROR)
    with too_large_for_the_database(h) as overflowing:
        await h.say(EKO, f"/start {payload}")
    assert overflowing == []
    reply = h.last_reply(EKO).text
    assert reply != GENERIC_ERROR
    assert "tidak ditemukan" in reply
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("number", ["9" * 23, "2147483648", "0"])
async def test_removing_an_override_by_a_number_out_of_range_is_refused(
    harness: Harness, number: str
) -> None:
    h = harness
    with too_large_for_the_database(h) as overflowing:
        await h.say(ADMIN, f"/libur hapus_jam {number}")
    assert overflowing == []
    reply = h.last_reply(ADMIN).text
    assert "Penggunaan /libur" in reply
    async with h.services.uow() as uow:
        assert (await uow.session.scalars(select(CalendarOverride))).all() == []


def test_db_id_takes_only_numbers_a_database_id_can_be() -> None:
    assert callbacks.db_id("1") == 1
    assert callbacks.db_id("2147483647") == callbacks.DB_ID_MAX
    for text in ("0", "2147483648", "9" * 32, "", "-1", "1a", "１", " 1"):
        assert callbacks.db_id(text) is None, text
