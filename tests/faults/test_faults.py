"""The fault-injection suite's assertions: nothing lost, nothing sent twice, one winner."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.texts.refusals import GENERIC_ERROR
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
    """For 30 s of the bot's clock every statement fails: each person whose update needs the
    database is told to try again, nothing is written; a form step that needs none goes on
    (its draft is stored with the person's next update: PTB drops a failed persistence
    write). Once the 30 s are over the same actions work, without a restart or a switch."""
    outcome = await _run("database", tmp_path)

    assert outcome.note == (
        "told to try again: 5/5 people; tables unchanged: True; a form step needing no "
        "database went on: True, its draft stored: during the outage False, at the next flush "
        "False, with the person's next update True; afterwards forms opened: 4/4, claims: 1, "
        "the form went on: True"
    )
    # Every statement of the 30 s was refused (how many depends on the statements per update).
    refused = int(outcome.injected.split()[0])
    assert refused > 0 and " statements refused over 30 s" in outcome.injected
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_a_bot_killed_mid_delivery_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL while job cards go out: the next process sends the rest; only the card that was
    in flight (sent, not yet marked) may go out a second time."""
    outcome = await asyncio.to_thread(scenarios.killed_mid_delivery, tmp_path)

    assert outcome.lost == 0
    assert outcome.duplicated <= outcome.unavoidable == 1


async def test_a_bot_killed_during_a_sweep_neither_repeats_nor_skips_a_reminder(
    tmp_path: Path,
) -> None:
    """SIGKILL while the first SLA sweep of 200 overdue tickets waits inside its job: nothing
    of it was committed; the next process fires every rung once, exactly as a sweep of a copy
    of the database does, and sends each digest once."""
    outcome = await asyncio.to_thread(scenarios.killed_mid_sweep, tmp_path)

    assert outcome.injected.endswith(": 0 rungs committed at the kill")
    assert outcome.note == "rungs fired: 400/400 (as a sweep of a copy fires), digests sent: 2/2"
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_a_bot_killed_after_a_sweep_committed_repeats_no_rung(tmp_path: Path) -> None:
    """SIGKILL after the sweep committed, its digest in the air: the next process fires no
    rung again; only the digest that was in the air (sent, not yet marked) may go twice."""
    outcome = await asyncio.to_thread(scenarios.killed_mid_sweep, tmp_path, True)

    assert outcome.injected.endswith(": 400 rungs committed at the kill")
    assert outcome.note.startswith("rungs fired: 400/400")
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


# A blank comment on a rating is no comment (as «Lewati»): taken on purpose.
BLANK_MEANS_NONE = {("sign_off", "comment")}


async def test_oversized_and_blank_text_is_refused_at_every_text_step(tmp_path: Path) -> None:
    """Every text step of every wizard Flow (read from the declarations): a 4096-character
    message and blank ones (zero-width only, whitespace only) are refused with the step's own
    message, not the system error; the draft, the state and every table stay as they were."""
    outcome, results = await scenarios.text_probes(tmp_path)
    flows = {r.flow for r in results}
    probed = [r for r in results if r.probe != "control"]

    assert len(flows) >= 10 and len(results) == 4 * len(scenarios.text_steps())
    assert all(r.refused and r.unchanged for r in probed if r.probe == "oversized")
    assert [
        (r.flow, r.step)
        for r in probed
        if not (r.refused and r.unchanged) and (r.flow, r.step) not in BLANK_MEANS_NONE
    ] == []
    assert all(GENERIC_ERROR not in r.reply for r in probed)
    assert (outcome.lost, outcome.duplicated) == (0, 0)


async def test_control_characters_only_are_refused_at_every_text_step(tmp_path: Path) -> None:
    """A message of control characters only is blank to the engine, like zero-width text: no
    answer at any step (the rating's comment takes it as no comment, as «Lewati»)."""
    _, results = await scenarios.text_probes(tmp_path)
    control = [r for r in results if r.probe == "control"]

    assert control and all(r.unchanged or (r.flow, r.step) in BLANK_MEANS_NONE for r in control)
    assert [
        (r.flow, r.step)
        for r in control
        if not r.refused and (r.flow, r.step) not in BLANK_MEANS_NONE
    ] == []
