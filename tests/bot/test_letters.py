"""The request letter followed up (issue 11 §4): reminders to the reporter at the next openings
(once per working day, at most three, only in office hours, across restarts), the letter form
with its number and date, the letter forwarded to the coordinator and the job card, the
disposition card with the report's photos and letter, and a ticket closed without it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services import attachments, workflow
from bot.services.berita_acara.confirmations import SignerChoice, SignerKind
from bot.services.domain import Actor, Role
from bot.texts import letters as tl
from bot.texts import workflow as tw
from db.models import SlaFiring
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import GROUP_ID, Harness
from tests.stories import (
    BUDI,
    INTERNET_DOWN,
    PJ,
    SITI,
    claimed,
    file_report,
    load_ticket,
    repaired,
)

WIB = ZoneInfo("Asia/Jakarta")
REMINDER = "Pengingat surat permohonan</b>"


def wib(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition, with a reporter, a technician and a coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


def _reminders(h: Harness) -> list[ApiCall]:
    return [c for c in h.api.to_chat(SITI.id, "sendMessage") if REMINDER in c.text]


async def _sweep_at(h: Harness, at: datetime) -> None:
    h.clock.set(at)
    await h.run_job("sla-sweep")


async def test_reminders_fire_once_per_working_day_at_most_three_in_office_hours(
    h: Harness,
) -> None:
    ticket_id = await claimed(h)  # reported Monday 30 November 09:00, letter "menyusul"
    await _sweep_at(h, wib(30, 15, 0, month=11))
    assert _reminders(h) == []  # not on the day of the report
    await _sweep_at(h, wib(1, 7, 59))  # Tuesday, before the opening: the office is closed
    assert _reminders(h) == []

    await _sweep_at(h, wib(1, 8, 0))  # the next opening
    (first,) = _reminders(h)
    assert "(1/3)" in first.text and "BN-2026-00001" in first.text
    assert tw.LETTER_ADD in dict(first.buttons)
    await _sweep_at(h, wib(1, 10, 0))
    await h.restart()  # the firing is recorded: a restarted bot does not send it again
    await _sweep_at(h, wib(1, 15, 0))
    assert len(_reminders(h)) == 1

    await _sweep_at(h, wib(2, 8, 0))  # Wednesday
    await _sweep_at(h, wib(2, 9, 0))
    assert len(_reminders(h)) == 2 and "(2/3)" in _reminders(h)[-1].text
    await _sweep_at(h, wib(3, 8, 0))  # Thursday: the last one
    assert len(_reminders(h)) == 3 and "pengingat terakhir" in _reminders(h)[-1].text
    for at in (wib(4, 8, 0), wib(7, 8, 0), wib(8, 8, 0)):
        await _sweep_at(h, at)
    assert len(_reminders(h)) == 3

    async with h.services.uow() as uow:
        steps = (await uow.session.scalars(select(SlaFiring.step))).all()
        kinds = [e.kind for e in await uow.events.for_ticket(ticket_id)]
    assert [s for s in steps if s.startswith("letter")] == [
        "letter_reminder_1",
        "letter_reminder_2",
        "letter_reminder_3",
    ]
    assert kinds.count("sla:letter_reminder_1") == 1
    await h.say(SITI, "/tiket BN-2026-00001")
    assert "Pengingat surat permohonan ke pelapor (3, terakhir)" in h.last_reply(SITI).text


async def test_after_days_without_a_sweep_only_the_latest_reminder_goes(h: Harness) -> None:
    await claimed(h)
    await _sweep_at(h, wib(3, 20, 0))  # Thursday night: closed, nothing
    assert _reminders(h) == []
    await _sweep_at(h, wib(4, 8, 30))  # Friday: three were due; one message
    (only,) = _reminders(h)
    assert "(3/3)" in only.text


async def test_no_reminder_for_a_report_with_its_letter(h: Harness) -> None:
    letter = attachments.photo("surat-0", "surat-0-u", 100_000)
    await file_report(h, SITI, INTERNET_DOWN)
    await file_report(h, SITI, replace(INTERNET_DOWN, letter=letter))
    await _sweep_at(h, wib(1, 8, 0))
    (reminder,) = _reminders(h)
    assert "BN-2026-00001" in reminder.text


async def test_the_letter_with_its_number_and_date_reaches_the_coordinator_and_the_card(
    h: Harness,
) -> None:
    ticket_id = await claimed(h)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[0]
    await _sweep_at(h, wib(1, 8, 0))
    await h.press(SITI, _reminders(h)[-1], tw.LETTER_ADD)
    await h.process(h.updates.document(SITI, "surat-9"))
    assert h.last_reply(SITI).text == tl.ASK_NUMBER
    await h.say(SITI, "005/123/Dinkes/XI/2026")
    assert h.last_reply(SITI).text == tl.ASK_DATE
    for bad, says in (
        ("31-02-2026", "Tanggal tidak dikenali"),
        ("kemarin", "Tanggal tidak dikenali"),
        ("2 Desember 2026", "tidak boleh melewati hari ini"),
        ("28/11/2024", "lebih dari setahun"),
    ):
        await h.say(SITI, bad)
        reply = h.last_reply(SITI)
        assert says in reply.text and tl.SKIP in dict(reply.buttons), bad
    assert (await load_ticket(h, ticket_id)).letter_status == "follows"  # nothing stored yet
    h.api.clear()
    await h.say(SITI, "28 November 2026")

    ticket = await load_ticket(h, ticket_id)
    assert ticket.letter_status == "attached"
    assert (ticket.letter_number, ticket.letter_date) == (
        "005/123/Dinkes/XI/2026",
        date(2026, 11, 28),
    )
    assert "diteruskan kepada penanggung jawab dan tim teknis" in h.last_reply(SITI).text
    (to_pj,) = h.api.to_chat(PJ.id, "sendDocument")
    (to_group,) = h.api.to_chat(GROUP_ID, "sendDocument")
    for call in (to_pj, to_group):
        assert call.params["document"] == "surat-9"
        assert "005/123/Dinkes/XI/2026" in call.text and "28 November 2026" in call.text
    # In the group, as a reply to the job card; the card says the letter is there.
    assert to_group.params["reply_parameters"]["message_id"] == card.message_id
    edit = h.api.to_chat(GROUP_ID, "editMessageText")[-1]
    assert edit.params["message_id"] == card.message_id
    assert "Surat permohonan: terlampir" in edit.text

    await _sweep_at(h, wib(2, 8, 0))  # the reminders stop
    assert _reminders(h) == []
    await h.say(SITI, "/tiket BN-2026-00001")
    detail = h.last_reply(SITI)
    assert "Surat permohonan: terlampir. Surat nomor 005/123/Dinkes/XI/2026" in detail.text
    assert tw.LETTER_ADD not in dict(detail.buttons)


async def test_number_and_date_may_be_skipped(h: Harness) -> None:
    ticket_id = await claimed(h)
    await h.say(SITI, "/tiket BN-2026-00001")
    await h.press(SITI, h.last_reply(SITI), tw.LETTER_ADD)
    await h.process(h.updates.photo(SITI, "surat-foto"))
    await h.choose(SITI, tl.SKIP)
    await h.choose(SITI, tl.SKIP)
    ticket = await load_ticket(h, ticket_id)
    assert ticket.letter_status == "attached"
    assert (ticket.letter_number, ticket.letter_date) == (None, None)
    assert "diterima dan diteruskan" in h.last_reply(SITI).text


async def test_a_new_report_s_letter_goes_to_the_coordinator_only(h: Harness) -> None:
    ticket = await file_report(h)  # waiting for disposition: no job card yet
    label = "Disposisikan kepada tim teknis"
    disposition = h.with_button(PJ.id, label)
    h.api.clear()
    await h.say(SITI, f"/tiket {ticket.number}")
    await h.press(SITI, h.last_reply(SITI), tw.LETTER_ADD)
    await h.process(h.updates.document(SITI, "surat-2"))
    await h.choose(SITI, tl.SKIP)
    await h.choose(SITI, tl.SKIP)
    assert len(h.api.to_chat(PJ.id, "sendDocument")) == 1
    assert h.api.to_chat(GROUP_ID) == []
    # Dispositioned now, the job card comes with the letter below it.
    await h.press(PJ, disposition, label)
    await h.press(PJ, h.with_button(PJ.id, "Tanpa catatan"), "Tanpa catatan")
    assert [c.params.get("document") for c in h.api.to_chat(GROUP_ID, "sendDocument")] == [
        "surat-2"
    ]


async def test_the_disposition_card_shows_the_photos_and_the_letter_or_that_it_follows(
    h: Harness,
) -> None:
    photos = tuple(attachments.photo(f"foto-{n}", f"foto-{n}-u", 100_000) for n in range(2))
    letter = attachments.document(
        "surat-x",
        "surat-x-u",
        "application/pdf",
        "surat.pdf",
        9000,
        allowed=attachments.LETTER_TYPES,
    )
    await file_report(h, SITI, replace(INTERNET_DOWN, photos=photos))
    calls = h.replies_to(PJ)
    assert [c.method for c in calls] == ["sendMediaGroup", "sendMessage"]
    assert "Surat permohonan: <b>menyusul</b>" in calls[-1].params["text"]
    assert "Foto gangguan: 2 (di atas)" in calls[-1].text
    h.api.clear()

    await file_report(h, SITI, replace(INTERNET_DOWN, photos=photos[:1], letter=letter))
    calls = h.replies_to(PJ)
    assert [c.method for c in calls] == ["sendPhoto", "sendDocument", "sendMessage"]
    assert calls[1].params["document"] == "surat-x"
    assert "Surat permohonan: terlampir (di atas)" in calls[-1].text
    assert "Disposisikan kepada tim teknis" in dict(calls[-1].buttons)


async def test_a_ticket_closed_without_its_letter_says_so_in_tiket(h: Harness) -> None:
    ticket_id = await repaired(h)
    async with h.services.uow() as uow:
        await workflow.confirm_fixed(
            uow,
            h.services.context(Actor(SITI.id)),
            ticket_id,
            SignerChoice(SignerKind.SELF),
        )
    await h.delivery.wait_idle()
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"
    await h.say(SITI, "/tiket BN-2026-00001")
    detail = h.last_reply(SITI)
    assert "ditutup tanpa surat permohonan" in detail.text
    assert tw.LETTER_ADD not in dict(detail.buttons)
    await _sweep_at(h, wib(1, 8, 0))
    assert _reminders(h) == []  # a closed ticket is not reminded


async def test_another_opd_cannot_send_the_letter(h: Harness) -> None:
    ani = Person(2101, "Ani", "Kusuma")
    await h.reporter(ani, "dinkominfo")
    ticket_id = await claimed(h)
    await h.press_data(ani, f"v1:letter:{ticket_id}", ani.id)
    alert = h.api.by_method("answerCallbackQuery")[-1].params.get("text", "")
    assert "tidak ditemukan" in alert


async def test_fewer_reminders_when_configured(h: Harness) -> None:
    h.services.settings.sla_letter_reminders = 1
    await claimed(h)
    for day in (1, 2, 3):
        await _sweep_at(h, wib(day, 8, 0))
    (only,) = _reminders(h)
    assert "(1/1)" in only.text and "pengingat terakhir" in only.text


async def test_a_held_ticket_is_still_reminded_and_a_withdrawn_one_no_more(h: Harness) -> None:
    held = await claimed(h)
    async with h.services.uow() as uow:
        await workflow.hold(uow, h.services.context(Actor(BUDI.id)), held, "menunggu surat")
    await h.delivery.wait_idle()
    other = await claimed(h)
    async with h.services.uow() as uow:
        await workflow.withdraw(uow, h.services.context(Actor(SITI.id)), other, "salah lapor")
    await h.delivery.wait_idle()
    await _sweep_at(h, wib(1, 8, 0))
    (reminder,) = _reminders(h)
    assert "BN-2026-00001" in reminder.text
