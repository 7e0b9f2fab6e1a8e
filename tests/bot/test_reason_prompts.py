"""Reason prompts end when their person does something else, time out, and in the group take
only a reply to the prompt (issue 14, item 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.domain import Role
from bot.texts import complaints as tc
from bot.texts import workflow as tw
from db.models import Ticket
from tests.fakebot import ApiCall
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, claimed, repaired, reported

REJECT = "Tolak (bukan gangguan Batik.Net)"
HOLD = "Tunda (menunggu OPD)"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition, with a reporter, a technician and a coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


async def _status(h: Harness, ticket_id: int) -> str:
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket).where(Ticket.id == ticket_id))).one()
        return ticket.status


def _ended(h: Harness, chat: int, prompt: ApiCall) -> bool:
    """Tells whether the prompt message was replaced by the "prompt ended" text."""
    return any(
        edit.params.get("message_id") == prompt.message_id
        and edit.text == tw.prompt_ended("BN-2026-00001")
        for edit in h.api.to_chat(chat, "editMessageText")
    )


async def test_a_command_ends_a_pending_rejection(h: Harness) -> None:
    ticket_id = await reported(h)
    await h.press(PJ, h.with_button(PJ.id, REJECT), REJECT)
    prompt = h.last_reply(PJ)
    assert "alasan penolakan" in prompt.text

    await h.say(PJ, "/bantuan")
    assert "/bantuan — daftar perintah" in h.last_reply(PJ).text  # the command still works
    await h.say(PJ, "terima kasih banyak")

    assert await _status(h, ticket_id) == "NEW"
    assert not any("tidak dapat ditindaklanjuti" in c.text for c in h.replies_to(SITI))
    assert _ended(h, PJ.id, prompt)


async def test_another_form_ends_a_pending_reason(h: Harness) -> None:
    ticket_id = await repaired(h)
    await h.press(SITI, h.with_button(SITI.id, "Belum normal"), "Belum normal")
    prompt = h.last_reply(SITI)

    await h.say(SITI, "/aduan")
    aduan = h.last_reply(SITI)
    await h.say(SITI, "Pelayanan lambat sekali minggu ini")

    assert await _status(h, ticket_id) == "REPAIRED"
    assert aduan.text == tc.ASK_CATEGORY and _ended(h, SITI.id, prompt)
    assert tc.ASK_CATEGORY in h.last_reply(SITI).text  # the form, not the prompt, got the text


async def test_another_button_ends_a_pending_hold(h: Harness) -> None:
    ticket_id = await claimed(h)
    await h.press(BUDI, h.with_button(GROUP_ID, HOLD), HOLD)
    prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "alasan penundaan" in prompt.text

    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    assert await _status(h, ticket_id) == "REPAIRING"
    await h.reply(BUDI, prompt, "Menunggu kunci ruang server dari OPD")

    assert await _status(h, ticket_id) == "REPAIRING"
    assert not any("ditunda" in c.text for c in h.replies_to(SITI))
    assert _ended(h, GROUP_ID, prompt)


async def test_in_the_group_only_a_reply_to_the_prompt_is_the_reason(h: Harness) -> None:
    ticket_id = await claimed(h)
    card = h.with_button(GROUP_ID, HOLD)
    await h.press(BUDI, card, HOLD)
    prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    sent = len(h.api.calls)

    await h.say(BUDI, "Siap, saya ke lokasi dulu", chat_id=GROUP_ID)
    await h.reply(BUDI, card, "Yang ini nanti saya cek")  # a reply, but to the job card
    assert await _status(h, ticket_id) == "CHECKING"
    assert h.api.calls[sent:] == []  # not taken, and not answered either

    await h.reply(BUDI, prompt, "ok")  # too short: asked again, with a new prompt to reply to
    again = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "alasan" in again.text.lower() and again.params["reply_markup"]["force_reply"]
    await h.reply(BUDI, again, "Ruang server dikunci, menunggu kunci dari OPD")

    assert await _status(h, ticket_id) == "ON_HOLD"
    assert "menunggu kunci dari OPD" in h.last_reply(SITI).text


async def test_a_pending_reason_times_out(h: Harness) -> None:
    ticket_id = await reported(h)
    await h.press(PJ, h.with_button(PJ.id, REJECT), REJECT)
    assert h.app.job_queue is not None
    (job,) = h.app.job_queue.get_jobs_by_name("_trigger_timeout")

    await job.run(h.app)
    await h.delivery.wait_idle()
    assert h.last_reply(PJ).text == tw.TIMED_OUT
    await h.say(PJ, "Gangguan berasal dari provider internet mandiri OPD")

    assert await _status(h, ticket_id) == "NEW"


async def test_a_timed_out_reason_stays_forgotten_after_a_restart(h: Harness) -> None:
    await reported(h)
    await h.press(PJ, h.with_button(PJ.id, REJECT), REJECT)
    await h.app.update_persistence()  # the periodic save, before the timeout
    assert h.app.job_queue is not None
    (job,) = h.app.job_queue.get_jobs_by_name("_trigger_timeout")
    await job.run(h.app)

    await h.restart()

    assert "prompt" not in h.app.user_data[PJ.id]
