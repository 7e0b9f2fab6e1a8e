"""The fault-injection suite's assertions: nothing lost, nothing sent twice, one winner."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.faults import scenarios
from tests.faults.scenarios import Outcome


async def _run(key: str, folder: Path) -> Outcome:
    (scenario,) = [run for name, run in scenarios.SCENARIOS if name == key]
    return await scenario(folder)


@pytest.mark.parametrize("key", ["5xx", "429"])
async def test_telegram_failing_loses_and_repeats_nothing(key: str, tmp_path: Path) -> None:
    """5xx answers and 429 storms during a busy story: every notification once."""
    outcome = await _run(key, tmp_path)

    assert outcome.expected == 60  # 20 job cards, 20 card edits, 20 notices to reporters
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_lost_answers_repeat_only_the_posts_whose_answer_was_lost(tmp_path: Path) -> None:
    """A post delivered but not confirmed is sent again (no idempotency key in the Bot API):
    nothing is lost, and no message is repeated more often than its answer was lost."""
    outcome = await _run("timeouts", tmp_path)

    assert outcome.lost == 0
    assert outcome.duplicated == outcome.unavoidable == 15
    assert "15 posts delivered, answer timed out" in outcome.injected


async def test_fifty_concurrent_claims_have_one_winner(tmp_path: Path, database_url: str) -> None:
    """Fifty technicians press «Ambil» at once: one claim, everyone answered (on SQLite, and
    on PostgreSQL when TEST_DATABASE_URL is set)."""
    outcome = await scenarios.concurrent_claims(tmp_path, database_url=database_url)

    assert outcome.note == "winners: 1"
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_a_bot_killed_mid_form_resumes_and_sends_once(tmp_path: Path) -> None:
    """SIGKILL in the middle of /lapor: the next process goes on with the form; one ticket,
    every update handled once, the job card posted once."""
    outcome = await asyncio.to_thread(scenarios.killed_mid_wizard, tmp_path)

    assert outcome.note == "tickets: 1; updates not handled: 0, twice: 0"
    assert outcome.expected >= 1
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_an_unreachable_database_apologises_and_recovers(tmp_path: Path) -> None:
    """While every statement fails, each user is told to try again and nothing is written;
    afterwards the same actions work, without a restart."""
    outcome = await _run("database", tmp_path)

    assert outcome.note == (
        "apologies: 6/6; state unchanged: True; afterwards forms opened: 5/5, claims: 1"
    )
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_a_bot_killed_mid_delivery_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL while job cards go out: the next process sends the rest; only the card that was
    in flight (sent, not yet marked) may go out a second time."""
    outcome = await asyncio.to_thread(scenarios.killed_mid_delivery, tmp_path)

    assert outcome.lost == 0
    assert outcome.duplicated <= outcome.unavoidable == 1


async def test_forged_and_stale_presses_are_refused_without_effect(tmp_path: Path) -> None:
    """Every button kind with forged, oversized, malformed or old-version data: each press is
    answered once, no system error, no table changes."""
    outcome = await _run("forged", tmp_path)

    presses = int(outcome.injected.split()[0])
    assert presses >= 630  # 42 button kinds when the suite was written; more since
    assert outcome.note == (
        f"answered: {presses}/{presses}; system errors: 0; tables changed: none"
    )
