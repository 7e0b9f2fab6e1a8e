"""A press whose handler fails is apologised for exactly once: as the press's answer when it was
not answered yet, else as a message to the person; never a second answer (Telegram refuses it)."""

from __future__ import annotations

from typing import NoReturn

import pytest
from sqlalchemy import select

from bot.services import workflow
from bot.services.domain import Actor, Role
from bot.texts.common import GENERIC_ERROR
from db.models import Ticket
from tests.fakebot import QUERY_TOO_OLD, ApiCall
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, file_report

REJECT = "Tolak (bukan gangguan Batik.Net)"
HOLD = "Tunda (menunggu OPD)"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A report waiting for the coordinator's disposition."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    await file_report(harness)
    return harness


def _answers(h: Harness) -> list[ApiCall]:
    """Returns every answer to a press that Telegram took."""
    return h.api.by_method("answerCallbackQuery")


def _apologies(h: Harness, chat: int) -> list[ApiCall]:
    return [c for c in h.api.to_chat(chat, "sendMessage") if c.text == GENERIC_ERROR]


async def test_a_failure_after_the_answer_is_apologised_for_by_message(h: Harness) -> None:
    card = h.with_button(PJ.id, REJECT)
    answered = len(_answers(h))
    h.api.fail("sendMessage", chat_id=PJ.id)  # the reason prompt, sent after the answer

    await h.press(PJ, card, REJECT)  # the harness fails on a refused second answer

    new = _answers(h)[answered:]
    assert len(new) == 1 and "text" not in new[0].params  # the handler's own, silent answer
    assert len(_apologies(h, PJ.id)) == 1
    assert h.api.by_method("answerCallbackQuery!refused") == []
    assert not any("alasan penolakan" in c.text for c in h.api.to_chat(PJ.id, "sendMessage"))


async def test_a_failed_press_in_the_group_is_apologised_for_in_private(h: Harness) -> None:
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        ticket_id = (await uow.session.scalars(select(Ticket.id))).one()
        assert budi is not None
        await workflow.dispose(
            uow, h.services.context(Actor(PJ.id)), ticket_id, technician_id=budi.id
        )
    await h.delivery.wait_idle()
    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    card = h.with_button(GROUP_ID, HOLD)
    h.api.fail("sendMessage", chat_id=GROUP_ID)  # the hold prompt in the group

    await h.press(BUDI, card, HOLD)

    assert len(_apologies(h, BUDI.id)) == 1
    assert _apologies(h, GROUP_ID) == []  # the group hears nothing of one person's trouble
    assert h.api.by_method("answerCallbackQuery!refused") == []


async def test_a_failure_before_the_answer_is_apologised_for_as_the_answer(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("database gone")

    monkeypatch.setattr(workflow, "precheck", broken)
    card = h.with_button(PJ.id, REJECT)
    answered = len(_answers(h))

    await h.press(PJ, card, REJECT)

    (answer,) = _answers(h)[answered:]
    assert answer.params["text"] == GENERIC_ERROR
    assert answer.params["show_alert"] is True
    assert _apologies(h, PJ.id) == []  # said once: as the alert


async def test_a_press_too_old_to_answer_is_apologised_for_by_message(h: Harness) -> None:
    card = h.with_button(PJ.id, REJECT)
    # The handler's answer and the error handler's are both refused (a slow update).
    h.api.fail("answerCallbackQuery", status=400, description=QUERY_TOO_OLD, times=2)

    await h.press(PJ, card, REJECT)

    assert len(h.api.by_method("answerCallbackQuery!failed")) == 2
    assert len(_apologies(h, PJ.id)) == 1


async def test_an_answer_that_timed_out_is_not_answered_again(h: Harness) -> None:
    card = h.with_button(PJ.id, REJECT)
    answered = len(_answers(h))
    h.api.time_out("answerCallbackQuery")  # delivered, but the bot hears a timeout

    await h.press(PJ, card, REJECT)  # the harness fails on a refused second answer

    assert len(_answers(h)[answered:]) == 1
    assert len(_apologies(h, PJ.id)) == 1


async def test_a_failed_text_gets_the_apology_alone(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await h.press(PJ, h.with_button(PJ.id, REJECT), REJECT)

    async def broken(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("database gone")

    monkeypatch.setattr(workflow, "run_prompted", broken)
    seen = len(h.api.calls)

    await h.say(PJ, "Gangguan listrik gedung, bukan jaringan Batik.Net.")

    # The reason prompt failed: the apology, and no later handler (the stray hint) on top.
    assert [c.text for c in h.api.calls[seen:]] == [GENERIC_ERROR]
