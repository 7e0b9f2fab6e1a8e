"""The persistence writes what changed since its last flush, in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.factories import Person
from tests.harness import Harness

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(2002, "Budi", "Santoso")


@contextmanager
def statements(h: Harness) -> Iterator[list[str]]:
    """Collects every statement sent to the database while the block runs, and a "checkout"
    for each connection taken from the pool (one per unit of work, so per transaction)."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(str(args[2]))

    def checkout(*_args: Any) -> None:
        sent.append("checkout")

    engine = h.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "checkout", checkout)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "checkout", checkout)


def _transactions(sent: list[str]) -> int:
    """Counts the units of work (connections taken from the pool)."""
    return sent.count("checkout")


async def test_two_wizards_are_flushed_in_one_transaction_and_an_unchanged_one_not_at_all(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    await h.reporter(BUDI)
    await h.app.update_persistence()
    # Each update's own changes are written right after it, under its exactly-once record
    # (bot/ops/dedupe.py): the flush that follows finds nothing left to write.
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    await h.say(BUDI, "/lapor")
    with statements(h) as sent:
        await h.app.update_persistence()
    assert sent == []
    # Changes made outside an update (a job's, say) wait for the flush: two people's at once
    # are written in one transaction.
    h.app.user_data[SITI.id]["seen_help"] = True
    h.app.user_data[BUDI.id]["seen_help"] = True
    h.app.mark_data_for_update_persistence(user_ids=[SITI.id, BUDI.id])
    with statements(h) as sent:
        await h.app.update_persistence()
    assert any("bot_state" in s for s in sent)
    assert _transactions(sent) == 1

    await h.say(SITI, "/lapor")  # the form is open: the same question again, nothing changes
    with statements(h) as sent:
        await h.app.update_persistence()
    assert sent == []

    await h.restart()  # what was flushed is what a new process finds
    await h.choose(SITI, "Satu ruangan")
    assert "Langkah 3" in h.last_reply(SITI).text
