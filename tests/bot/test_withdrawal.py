"""The OPD withdraws a report until the repair starts (issue 11 §5): «Batalkan laporan» on the
reporter's messages and in /tiket, a reason asked, the ticket CANCELLED, the job card updated,
the group, the technician and the coordinator told; after the repair started nothing moves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot import callbacks
from bot.services.domain import Role
from bot.texts import letters as tl
from db.models import Ticket, TicketEvent
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, claimed, fill_report_form, load_ticket

RINA = Person(2002, "Rina", "Lestari")  # another reporter of Siti's OPD
ANI = Person(2101, "Ani", "Kusuma")  # a reporter of another OPD


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition: two reporters of one OPD, one of another, a technician and a
    coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI, "dinkes")
    await harness.reporter(RINA, "dinkes")
    await harness.reporter(ANI, "dinkominfo")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


async def load_ticket_by_number(h: Harness, number: str) -> Ticket:
    async with h.services.uow() as uow:
        ticket = await uow.tickets.by_number(number)
    assert ticket is not None
    return ticket


async def _events(h: Harness, ticket_id: int) -> int:
    async with h.services.uow() as uow:
        count = await uow.session.scalar(
            select(func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        )
    return int(count or 0)


async def _tiket(h: Harness, person: Person, number: str) -> ApiCall:
    await h.say(person, f"/tiket {number}")
    return h.last_reply(person)


async def test_a_claimed_report_is_withdrawn_from_tiket_by_another_reporter_of_the_opd(
    h: Harness,
) -> None:
    ticket_id = await claimed(h)  # dispositioned to Budi: the job card is in the group
    number = (await load_ticket(h, ticket_id)).number
    # Siti was told Budi handles it, with the button to withdraw under the news.
    assert tl.WITHDRAW in dict(h.with_button(SITI.id, tl.WITHDRAW).buttons)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[0]
    h.api.clear()

    detail = await _tiket(h, RINA, number)
    await h.press(RINA, detail, tl.WITHDRAW)
    assert "alasan pembatalan" in h.last_reply(RINA).text
    await h.say(RINA, "Ternyata kabel LAN tercabut, sudah normal kembali.")

    ticket = await load_ticket(h, ticket_id)
    assert ticket.status == "CANCELLED" and ticket.closed_at is not None
    assert "dibatalkan atas permintaan OPD" in h.replies_to(RINA)[-2].text
    # The /tiket message loses its buttons once the action ran.
    assert h.api.to_chat(RINA.id, "editMessageReplyMarkup")[-1].params["message_id"] == (
        detail.message_id
    )
    # The job card shows the cancellation, without buttons.
    edit = h.api.to_chat(GROUP_ID, "editMessageText")[-1]
    assert edit.params["message_id"] == card.message_id and "Dibatalkan" in edit.text
    assert edit.buttons == []
    # The group (as a reply to the job card), Budi and the coordinator are told, with the reason.
    (note,) = h.api.to_chat(GROUP_ID, "sendMessage")
    assert note.params["reply_parameters"]["message_id"] == card.message_id
    for call in (note, h.last_reply(BUDI), h.last_reply(PJ)):
        assert "dibatalkan oleh OPD" in call.text and "Rina Lestari" in call.text
        assert "kabel LAN tercabut" in call.text
    async with h.services.uow() as uow:
        kinds = [e.kind for e in await uow.events.for_ticket(ticket_id)]
    assert kinds[-1] == "withdrawn"

    # Afterwards /tiket offers it no more.
    detail = await _tiket(h, SITI, number)
    assert tl.WITHDRAW not in dict(detail.buttons)
    assert "Laporan dibatalkan oleh OPD" in detail.text


async def test_a_new_report_is_withdrawn_from_the_receipt_and_only_the_coordinator_hears(
    h: Harness,
) -> None:
    await fill_report_form(
        h,
        SITI,
        "Internet mati total",
        "Seluruh kantor",
        "Aula",
        "Internet mati sejak pagi.",
        "081234567890",
    )
    await h.choose(SITI, "Kirim laporan")
    receipt = h.last_reply(SITI)
    assert "Laporan gangguan telah diterima" in receipt.text
    await h.press(SITI, receipt, tl.WITHDRAW)
    await h.say(SITI, "Salah lapor, gangguan di kantor lain.")
    ticket_id = (await load_ticket_by_number(h, "BN-2026-00001")).id
    assert (await load_ticket(h, ticket_id)).status == "CANCELLED"
    assert h.api.to_chat(GROUP_ID) == []  # no job card existed: none is posted now
    assert "dibatalkan oleh OPD" in h.last_reply(PJ).text
    # The disposition card's buttons now refuse.
    label = "Disposisikan kepada tim teknis"
    await h.press(PJ, h.with_button(PJ.id, label), label)
    alert = h.api.by_method("answerCallbackQuery")[-1].params.get("text", "")
    assert "Dibatalkan" in alert


async def test_after_the_repair_started_the_button_is_gone_and_a_forged_press_refused(
    h: Harness,
) -> None:
    ticket_id = await claimed(h)
    number = (await load_ticket(h, ticket_id)).number
    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")  # the repair starts
    assert (await load_ticket(h, ticket_id)).status == "REPAIRING"
    assert tl.WITHDRAW not in dict((await _tiket(h, SITI, number)).buttons)
    events = await _events(h, ticket_id)
    earlier = h.with_button(SITI.id, tl.WITHDRAW)  # the news that Budi took the ticket
    h.api.clear()

    # The button of an earlier message (or forged data) is refused before any reason is asked.
    await h.press(SITI, earlier, tl.WITHDRAW)
    alert = h.api.by_method("answerCallbackQuery")[-1].params.get("text", "")
    assert "Perbaikan" in alert and "tidak dapat dilakukan" in alert
    await h.say(SITI, "Sudah normal, batalkan saja.")
    assert (await load_ticket(h, ticket_id)).status == "REPAIRING"
    assert await _events(h, ticket_id) == events
    assert h.api.to_chat(PJ.id) == [] and h.api.to_chat(BUDI.id) == []


async def test_only_reporters_of_the_opd_may_withdraw(h: Harness) -> None:
    ticket_id = await claimed(h)
    number = (await load_ticket(h, ticket_id)).number
    # Staff see the ticket in /tiket without the OPD's button.
    assert tl.WITHDRAW not in dict((await _tiket(h, BUDI, number)).buttons)
    events = await _events(h, ticket_id)
    for person in (ANI, BUDI, PJ):
        await h.press_data(person, callbacks.make(callbacks.WITHDRAW, ticket_id), person.id)
        alert = h.api.by_method("answerCallbackQuery")[-1].params.get("text", "")
        assert alert, f"{person.first_name} was not refused"
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    assert await _events(h, ticket_id) == events
