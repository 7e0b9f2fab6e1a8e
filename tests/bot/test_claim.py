"""The job card in the technician group and the atomic claim."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.services import tickets
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from db.models import Ticket, TicketEvent
from tests.factories import Person
from tests.harness import GROUP_ID, Harness

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
ANDI = Person(3002, "Andi")


async def _report(h: Harness, person: Person) -> int:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            services.context(Actor(person.id)),
            ReportDraft(
                Category.INTERNET_DOWN,
                Impact.WHOLE_OFFICE,
                "Ruang server lt. 2",
                "Internet mati sejak pagi, lampu modem merah.",
                "081234567890",
            ),
        )
    await h.delivery.wait_idle()
    return view.id


async def test_job_card_is_posted_and_one_technician_claims_it(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await _report(h, SITI)

    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "BN-2026-00001" in card.text
    assert "Dinas Kesehatan" in card.text
    assert [label for label, _ in card.buttons] == ["Ambil"]

    await h.press(BUDI, card, "Ambil")

    (answer,) = h.api.by_method("answerCallbackQuery")
    assert "BN-2026-00001" in answer.params["text"]
    (edit,) = h.api.by_method("editMessageText")
    assert edit.params["message_id"] == card.message_id
    assert "Teknisi: Budi" in edit.text
    # The claim button is gone; the card now offers the diagnosis steps (procedure 3-5).
    labels = [label for label, _ in edit.buttons]
    assert "Ambil" not in labels and "Ringan" in labels and "Berat (ajukan peralatan)" in labels
    notice = h.last_reply(SITI)
    assert "sedang ditangani oleh teknisi <b>Budi</b>" in notice.text


async def test_a_non_technician_cannot_claim(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await _report(h, SITI)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]

    await h.press(SITI, card, "Ambil")

    (answer,) = h.api.by_method("answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert "tidak berwenang" in answer.params["text"]
    assert h.api.by_method("editMessageText") == []
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
        assert ticket.assignee_id is None and ticket.status == "DISPOSED"


async def test_simultaneous_claims_give_exactly_one_assignee(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    technicians = [Person(3100 + i, f"Teknisi{i}") for i in range(6)]
    for person in technicians:
        await h.staff(person, Role.TECHNICIAN)
    ticket_id = await _report(h, SITI)

    async def claim(person: Person) -> str:
        try:
            async with h.services.uow() as uow:
                view = await tickets.claim(uow, h.services.context(Actor(person.id)), ticket_id)
            return f"won:{view.assignee_name}"
        except Exception as error:
            return f"lost:{getattr(error, 'code', error)}"

    results = await asyncio.gather(*(claim(p) for p in technicians))

    winners = [r for r in results if r.startswith("won")]
    assert len(winners) == 1
    assert all(r == "lost:already_claimed" for r in results if not r.startswith("won"))
    async with h.services.uow() as uow:
        events = (
            await uow.session.scalars(select(TicketEvent).where(TicketEvent.kind == "claimed"))
        ).all()
        assert len(events) == 1


async def test_second_press_names_who_took_it(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.staff(ANDI, Role.TECHNICIAN)
    await _report(h, SITI)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]

    await h.press(BUDI, card, "Ambil")
    await h.press(ANDI, card, "Ambil")

    answers = h.api.by_method("answerCallbackQuery")
    assert "sudah diambil oleh Budi" in answers[-1].params["text"]
    assert len(h.api.by_method("editMessageText")) == 1


async def test_forged_button_data_is_refused(harness: Harness) -> None:
    h = harness
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.press_data(BUDI, "v1:claim:99999", GROUP_ID)
    await h.press_data(BUDI, "v9:claim:x';drop", GROUP_ID)
    answers = h.api.by_method("answerCallbackQuery")
    assert len(answers) == 2  # the malformed one is answered by the last-resort handler
    assert "tidak ditemukan" in answers[0].params["text"]
    assert answers[1].params["text"] == "Tombol ini sudah tidak berlaku."


async def test_a_failed_card_edit_after_a_claim_is_retried(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await _report(h, SITI)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    h.api.fail("editMessageText", status=502, description="Bad Gateway", chat_id=GROUP_ID)

    await h.press(BUDI, card, "Ambil")

    # The press is answered and the claim stands, although the card could not be edited.
    (answer,) = h.api.by_method("answerCallbackQuery")
    assert "BN-2026-00001" in answer.params["text"] and not answer.params.get("show_alert")
    assert "sedang ditangani oleh teknisi <b>Budi</b>" in h.last_reply(SITI).text
    assert len(h.api.to_chat(GROUP_ID, "editMessageText!failed")) == 1
    assert h.api.to_chat(GROUP_ID, "editMessageText") == []

    h.advance(seconds=11)  # past the first backoff
    await h.run_job("outbox-retry")

    (edit,) = h.api.to_chat(GROUP_ID, "editMessageText")
    assert edit.params["message_id"] == card.message_id
    assert "Teknisi: Budi" in edit.text
    labels = [label for label, _ in edit.buttons]
    assert "Ambil" not in labels and "Ringan" in labels
