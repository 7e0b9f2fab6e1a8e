"""Complaints (pengaduan) end to end: filing, recording, answering, escalating, resolving; the
forms on the wizard engine (one form at a time, blank text, presses, a prompt that stays open)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import callbacks
from bot.services import complaints, state, tickets
from bot.services.complaints import ComplaintCategory, ComplaintDraft
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.errors import InvalidInput
from bot.texts import complaints as t
from bot.texts import help as th
from bot.texts import report as rt
from bot.texts import wizards as wt
from db.models import Complaint, ComplaintEvent, ComplaintFile
from tests.factories import Person
from tests.fakebot import BOT_USERNAME, ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")
ANI = Person(2002, "Ani", "Lestari")
BUDI = Person(3001, "Budi", "Santoso")
ANTON = Person(3002, "Anton")
PEJABAT = Person(5001, "Drajat", "Pejabat")
WARGA = Person(4001, "Tamu")
TEXT = "Laporan gangguan kami tiga hari belum ditangani petugas."
ANSWER = "Mohon maaf, teknisi dijadwalkan datang besok pagi pukul 08.00."
PHONE = "081234567890"


@pytest.fixture
async def h(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with a reporter, a technician and a complaints official."""
    await harness.reporter(SITI, phone=PHONE)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    yield harness


def _alert(h: Harness) -> str:
    return str(h.api.by_method("answerCallbackQuery")[-1].params.get("text") or "")


async def _file(
    h: Harness,
    person: Person = SITI,
    category: str = "Gangguan tidak ditangani",
    *,
    confidential: bool = False,
    identity: tuple[str, str] | None = None,
    ticket: str | None = None,
) -> None:
    await h.say(person, "/aduan")
    if identity is not None:
        await h.say(person, identity[0])
        await h.say(person, identity[1])
    await h.choose(person, category)
    if ticket is None:
        await h.choose(person, t.SKIP)
    else:
        await h.say(person, ticket)
    await h.say(person, TEXT)
    await h.choose(person, t.SKIP)
    await h.choose(person, t.YES if confidential else t.NO)
    await h.choose(person, t.SEND)


async def _complaint(h: Harness, number: str = "ADU-2026-00001") -> Complaint:
    async with h.services.uow() as uow:
        row = await uow.complaints.by_number(number)
        assert row is not None
        return row


async def _events(h: Harness, complaint_id: int) -> list[str]:
    async with h.services.uow() as uow:
        stmt = (
            select(ComplaintEvent.kind)
            .where(ComplaintEvent.complaint_id == complaint_id)
            .order_by(ComplaintEvent.id)
        )
        return list((await uow.session.scalars(stmt)).all())


def _card(h: Harness) -> ApiCall:
    return next(c for c in reversed(h.api.to_chat(GROUP_ID, "sendMessage")) if "ADU-" in c.text)


def _labels(call: ApiCall) -> list[str]:
    return [label for label, _ in call.buttons]


def _card_now(h: Harness, card: ApiCall, chat_id: int = GROUP_ID) -> ApiCall:
    """Returns the latest edit of the card, checking that it was edited in place."""
    edits = [c for c in h.api.to_chat(chat_id, "editMessageText") if "ADU-" in c.text]
    assert edits, "the card was never edited"
    assert {int(c.params["message_id"]) for c in edits} == {card.message_id}
    cards = [c for c in h.api.to_chat(chat_id, "sendMessage") if "Pengaduan ADU-" in c.text]
    assert cards == [card]  # one card per complaint, never posted again
    return edits[-1]


async def _fill_until_text(h: Harness, person: Person = SITI) -> None:
    await h.say(person, "/aduan")
    await h.choose(person, "Layanan lambat")
    await h.choose(person, t.SKIP)


async def _answer(h: Harness, person: Person, complaint_id: int, delivery: str = "") -> None:
    await h.say(person, f"/start adu_{complaint_id}")
    await h.say(person, ANSWER)
    if delivery:
        await h.say(person, delivery)
    await h.choose(person, t.SEND_ANSWER)


async def test_a_complaint_solved_by_the_officer(h: Harness) -> None:
    await _file(h)

    receipt = h.last_reply(SITI)
    assert "<code>ADU-2026-00001</code>" in receipt.text
    assert "Batas waktu tanggapan: Selasa, 1 Desember 2026 pukul 15.45 WIB" in receipt.text
    assert "Batas waktu penyelesaian: Kamis, 3 Desember 2026 pukul 15.45 WIB" in receipt.text
    assert "di luar jam layanan" not in receipt.text
    card = _card(h)
    assert "ADU-2026-00001" in card.text and "Siti Aminah" in card.text
    assert [label for label, _ in card.buttons] == [
        t.TAKE_BUTTON,
        t.ANSWER_BUTTON,
        t.FORWARD_BUTTON,
    ]

    await h.press(BUDI, card, t.TAKE_BUTTON)
    now = _card_now(h, card)
    assert "Ditangani petugas" in now.text and "Petugas: Budi" in now.text
    assert _labels(now) == [t.ANSWER_BUTTON, t.FORWARD_BUTTON]
    assert "sedang ditangani oleh petugas Budi" in h.last_reply(SITI).text
    await h.press(BUDI, card, t.ANSWER_BUTTON)
    complaint = await _complaint(h)
    link = h.api.by_method("answerCallbackQuery")[-1].params["url"]
    assert link == f"https://t.me/{BOT_USERNAME}?start=adu_{complaint.id}"

    await _answer(h, BUDI, complaint.id)
    now = _card_now(h, card)
    assert "Sudah dijawab" in now.text and "menunggu tanggapan pengadu" in now.text
    assert _labels(now) == [t.FORWARD_BUTTON]
    response = h.last_reply(SITI)
    assert ANSWER in response.text
    assert [label for label, _ in response.buttons] == [t.SOLVED_BUTTON, t.NOT_SOLVED_BUTTON]
    await h.press(SITI, response, t.SOLVED_BUTTON)
    assert "dinyatakan selesai" in h.last_reply(SITI).text
    now = _card_now(h, card)
    assert "· Selesai" in now.text and _labels(now) == [t.CLOSE_BUTTON]
    await h.choose(BUDI, t.CLOSE_BUTTON)
    assert "telah ditutup" in h.last_reply(SITI).text
    now = _card_now(h, card)
    assert "· Ditutup" in now.text and "Petugas: Budi" in now.text
    assert _labels(now) == []

    complaint = await _complaint(h)
    assert complaint.status == "CLOSED" and complaint.response == ANSWER
    assert await _events(h, complaint.id) == [
        "filed",
        "taken",
        "responded",
        "confirmed_solved",
        "closed",
    ]
    await h.say(SITI, "/aduan_saya")
    assert "ADU-2026-00001" in h.last_reply(SITI).text and "Ditutup" in h.last_reply(SITI).text
    await h.say(SITI, "/tiket adu-2026-1")
    detail = h.last_reply(SITI).text
    assert "Riwayat" in detail and "Pengadu menyatakan selesai" in detail
    presses = [line for line in h.transcript if " presses [" in line]
    assert len(h.api.by_method("answerCallbackQuery")) == len(presses)


async def test_forwarded_by_the_officer_and_answered_by_the_official(h: Harness) -> None:
    await _file(h)
    card = _card(h)
    await h.press(BUDI, card, t.TAKE_BUTTON)
    await h.press(BUDI, card, t.FORWARD_BUTTON)
    complaint = await _complaint(h)
    assert (
        h.api.by_method("answerCallbackQuery")[-1]
        .params["url"]
        .endswith(f"start=adu_{complaint.id}_t")
    )
    await h.say(BUDI, f"/start adu_{complaint.id}_t")
    await h.say(BUDI, "pendek")
    assert "Alasan harus" in h.last_reply(BUDI).text
    await h.say(BUDI, "Perlu keputusan pimpinan soal jadwal kunjungan.")
    assert "diteruskan kepada pejabat pengaduan" in h.last_reply(BUDI).text
    thread = h.last_reply(PEJABAT)
    assert "diteruskan petugas" in thread.text and "Perlu keputusan pimpinan" in thread.text
    assert "Siti Aminah" in thread.text and [b for b, _ in thread.buttons] == [t.ANSWER_BUTTON]
    assert "diteruskan kepada pejabat pengaduan" in h.last_reply(SITI).text
    now = _card_now(h, card)
    assert "Diteruskan ke pejabat pengaduan" in now.text and "Petugas: Budi" in now.text
    assert _labels(now) == []  # the technicians have nothing left to press

    await _answer(h, PEJABAT, complaint.id)
    now = _card_now(h, card)
    assert "Sudah dijawab" in now.text and "Pejabat pengaduan: Drajat" in now.text
    assert _labels(now) == []
    response = h.last_reply(SITI)
    assert "pejabat pengaduan" in response.text and ANSWER in response.text
    await h.press(SITI, response, t.SOLVED_BUTTON)
    assert "· Selesai" in _card_now(h, card).text and _labels(_card_now(h, card)) == []
    await h.choose(PEJABAT, t.CLOSE_BUTTON)
    now = _card_now(h, card)
    assert "· Ditutup" in now.text and _labels(now) == []

    complaint = await _complaint(h)
    assert complaint.status == "CLOSED" and complaint.escalated
    assert await _events(h, complaint.id) == [
        "filed",
        "taken",
        "forwarded",
        "responded",
        "confirmed_solved",
        "closed",
    ]


async def test_not_solved_then_resolved_by_the_official(h: Harness) -> None:
    await _file(h)
    complaint = await _complaint(h)
    card = _card(h)
    await h.press(BUDI, card, t.TAKE_BUTTON)
    await _answer(h, BUDI, complaint.id)
    first_answer = h.last_reply(SITI)
    await h.press(SITI, first_answer, t.NOT_SOLVED_BUTTON)
    assert "mengapa" in h.last_reply(SITI).text
    await h.say(SITI, "Teknisi tidak datang sesuai jadwal yang dijanjikan.")
    assert "diteruskan kepada pejabat pengaduan" in h.last_reply(SITI).text
    now = _card_now(h, card)
    assert "Diteruskan ke pejabat pengaduan" in now.text and _labels(now) == []
    thread = h.last_reply(PEJABAT)
    assert "belum menyelesaikan" in thread.text and "Teknisi tidak datang" in thread.text
    assert ANSWER in thread.text  # the whole thread, the first answer included
    assert "belum menyelesaikan" in h.last_reply(BUDI).text

    await h.say(BUDI, f"/start adu_{complaint.id}")
    assert "hanya pejabat pengaduan" in h.last_reply(BUDI).text
    await _answer(h, PEJABAT, complaint.id)
    second = h.last_reply(SITI)
    # The buttons under the first answer belong to an earlier round.
    await h.press(SITI, first_answer, t.SOLVED_BUTTON)
    assert "sudah berpindah tahap" in _alert(h)
    assert (await _complaint(h)).status == "RESPONDED"

    await h.choose(PEJABAT, t.RESOLVE_BUTTON)
    assert "dinyatakan selesai" in h.last_reply(SITI).text
    now = _card_now(h, card)
    assert "· Selesai" in now.text and "Pejabat pengaduan: Drajat" in now.text
    assert _labels(now) == []
    await h.press(SITI, second, t.SOLVED_BUTTON)
    assert "sudah berpindah tahap" in _alert(h)
    close = h.api.by_method("editMessageReplyMarkup")[-1]
    await h.press(PEJABAT, close, t.CLOSE_BUTTON)

    complaint = await _complaint(h)
    assert complaint.status == "CLOSED" and complaint.official_id is not None
    assert "· Ditutup" in _card_now(h, card).text
    assert await _events(h, complaint.id) == [
        "filed",
        "taken",
        "responded",
        "not_solved",
        "responded",
        "resolved",
        "closed",
    ]


async def test_a_missed_response_time_escalates_once_in_office_hours(h: Harness) -> None:
    await _file(h)
    card = _card(h)
    h.api.clear()
    # Tuesday 20:00: the response time passed at 15.45, but the office is closed.
    h.clock.set(datetime(2026, 12, 1, 20, 0, tzinfo=WIB))
    await h.run_job("complaint-sweep")
    assert h.api.calls == []
    assert (await _complaint(h)).status == "NEW"

    h.clock.set(datetime(2026, 12, 2, 8, 1, tzinfo=WIB))
    await h.run_job("complaint-sweep")
    complaint = await _complaint(h)
    assert complaint.status == "ESCALATED" and complaint.escalated
    thread = h.last_reply(PEJABAT)
    assert "Batas waktu tanggapan terlampaui" in thread.text
    assert "diteruskan kepada pejabat pengaduan" in h.last_reply(SITI).text
    (edit,) = h.api.to_chat(GROUP_ID, "editMessageText")
    assert edit.message_id == card.message_id
    assert "Diteruskan ke pejabat pengaduan" in edit.text and _labels(edit) == []
    sent = len(h.api.calls)
    await h.run_job("complaint-sweep")
    assert len(h.api.calls) == sent
    assert await _events(h, complaint.id) == ["filed", "due:response_passed"]

    # The resolution time passes too: the official is reminded, once.
    h.clock.set(datetime(2026, 12, 4, 8, 0, tzinfo=WIB))
    await h.run_job("complaint-sweep")
    await h.run_job("complaint-sweep")
    reminders = [c for c in h.api.to_chat(PEJABAT.id) if "penyelesaian pengaduan" in c.text]
    assert len(reminders) == 1
    assert (await _complaint(h)).next_check_at is None


async def test_a_complaint_about_staff_behaviour_goes_straight_to_the_official(
    h: Harness,
) -> None:
    await _file(h, category="Perilaku petugas")

    assert "langsung diteruskan kepada pejabat" in h.last_reply(SITI).text
    assert h.api.to_chat(GROUP_ID) == []
    thread = h.last_reply(PEJABAT)
    assert "perilaku petugas" in thread.text and "Siti Aminah" in thread.text
    complaint = await _complaint(h)
    assert complaint.status == "ESCALATED"
    await h.say(BUDI, f"/start adu_{complaint.id}")
    assert "hanya pejabat pengaduan" in h.last_reply(BUDI).text
    await h.press(PEJABAT, thread, t.ANSWER_BUTTON)
    assert (
        h.api.by_method("answerCallbackQuery")[-1]
        .params["url"]
        .endswith(f"start=adu_{complaint.id}")
    )
    await _answer(h, PEJABAT, complaint.id)
    assert ANSWER in h.last_reply(SITI).text


async def test_a_confidential_complaint_never_shows_the_identity_to_technicians(
    h: Harness,
) -> None:
    await _file(h, confidential=True)
    complaint = await _complaint(h)
    card = _card(h)
    assert "dirahasiakan" in card.text
    await h.press(BUDI, card, t.TAKE_BUTTON)
    await _answer(h, BUDI, complaint.id)
    await h.press(SITI, h.last_reply(SITI), t.NOT_SOLVED_BUTTON)
    await h.say(SITI, "Jawaban tidak menjawab pertanyaan saya sama sekali.")
    await h.say(BUDI, "/tiket ADU-2026-00001")
    assert "dirahasiakan" in h.last_reply(BUDI).text

    to_technicians = h.api.to_chat(GROUP_ID) + h.api.to_chat(BUDI.id)
    to_technicians += [
        c
        for c in h.api.calls
        if c.method.startswith("edit")
        and c.chat_id
        in (
            GROUP_ID,
            BUDI.id,
        )
    ]
    assert to_technicians
    # The card followed every step, identity hidden each time.
    edits = h.api.to_chat(GROUP_ID, "editMessageText")
    assert len(edits) == 3 and all("dirahasiakan" in c.text for c in edits)
    assert "Diteruskan ke pejabat pengaduan" in edits[-1].text
    for call in to_technicians:
        for secret in ("Siti", "Aminah", PHONE):
            assert secret not in call.text, call.text
    thread = h.last_reply(PEJABAT)
    assert "Siti Aminah" in thread.text and PHONE in thread.text


async def _ticket_of(h: Harness, person: Person) -> str:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            services.context(Actor(person.id)),
            tickets.ReportDraft(
                Category.INTERNET_DOWN, Impact.WHOLE_OFFICE, "Lt. 1", "Internet mati.", PHONE
            ),
        )
    await h.delivery.wait_idle()
    return view.number


async def test_a_confidential_complaint_does_not_lead_technicians_to_its_ticket(
    h: Harness,
) -> None:
    # The related ticket's number would lead to its reporter: `/tiket BN-...` names them.
    ticket = await _ticket_of(h, SITI)
    await _file(h, confidential=True, ticket=ticket)
    complaint = await _complaint(h)
    card = _card(h)
    assert "dirahasiakan" in card.text and ticket not in card.text
    await h.press(BUDI, card, t.TAKE_BUTTON)
    await h.say(BUDI, f"/start adu_{complaint.id}")  # the answer form shows the complaint
    await h.say(BUDI, "/batal")
    await h.say(BUDI, "/tiket ADU-2026-00001")
    await h.say(BUDI, "/tiket ADU-2026-00001", chat_id=GROUP_ID)
    await h.press(BUDI, card, t.FORWARD_BUTTON)
    await h.say(BUDI, f"/start adu_{complaint.id}_t")
    await h.say(BUDI, "Perlu keputusan pejabat pengaduan.")

    about_it = [
        c for c in h.api.calls if c.chat_id in (GROUP_ID, BUDI.id) and complaint.number in c.text
    ]
    assert len(about_it) >= 6  # card, its edits, the answer form, both /tiket answers
    for call in about_it:
        for secret in (ticket, "Siti", PHONE):
            assert secret not in call.text, call.text
    thread = h.last_reply(PEJABAT)
    assert f"Tiket terkait: <code>{ticket}</code>" in thread.text and "Siti Aminah" in thread.text


@pytest.mark.parametrize("confidential", [True, False])
async def test_a_complaint_asked_for_in_a_group_never_shows_the_complainant(
    h: Harness, confidential: bool
) -> None:
    await h.staff(ADMIN, Role.ADMIN)
    ticket = await _ticket_of(h, SITI)
    await _file(h, confidential=confidential, ticket=ticket)

    for person in (PEJABAT, ADMIN, SITI):
        await h.say(person, "/tiket ADU-2026-00001", chat_id=GROUP_ID)
        answer = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
        assert "ADU-2026-00001" in answer.text and "Riwayat" in answer.text
        assert "Pengadu: <i>dirahasiakan</i>" in answer.text
        for secret in ("Siti", "Aminah", PHONE, ticket):
            assert secret not in answer.text, (person, answer.text)

    # In a private chat the official still sees who it is.
    await h.say(PEJABAT, "/tiket ADU-2026-00001")
    private = h.last_reply(PEJABAT).text
    assert f"Siti Aminah ({PHONE})" in private and ticket in private


async def test_a_person_who_is_not_registered_files_with_name_and_contact(h: Harness) -> None:
    await _file(h, WARGA, identity=("Tamu Warga", "warga@contoh.id"))

    assert "ADU-2026-00001" in h.last_reply(WARGA).text
    complaint = await _complaint(h)
    assert complaint.complainant_name == "Tamu Warga"
    assert complaint.complainant_contact == "warga@contoh.id"
    assert "Tamu Warga" in _card(h).text
    await _answer(h, BUDI, complaint.id)  # answering a new complaint takes it
    assert ANSWER in h.last_reply(WARGA).text
    await h.say(WARGA, "/aduan_saya")
    assert "Sudah dijawab" in h.last_reply(WARGA).text
    await h.say(WARGA, "/status")
    assert "ADU-2026-00001" in h.last_reply(WARGA).text


async def test_a_bad_contact_is_refused(h: Harness) -> None:
    await h.say(WARGA, "/aduan")
    await h.say(WARGA, "Tamu Warga")
    await h.say(WARGA, "bukan kontak")
    assert "Kontak tidak dikenali" in h.last_reply(WARGA).text
    await h.say(WARGA, "+62 813 1111 2222")
    assert h.last_reply(WARGA).text == t.ASK_CATEGORY


@pytest.mark.parametrize(
    ("channel", "label"),
    [
        ("phone", "Telepon"),
        ("email", "Email"),
        ("website", "Website"),
        ("twitter", "Twitter"),
        ("instagram", "Instagram"),
        ("in_person", "Langsung kepada petugas"),
    ],
)
async def test_an_officer_records_a_complaint_from_another_channel(
    h: Harness, channel: str, label: str
) -> None:
    await h.say(BUDI, "/catat_aduan")
    await h.choose(BUDI, label)
    await h.say(BUDI, "Bapak Warga Kota")
    await h.say(BUDI, "0285 421999")
    await h.choose(BUDI, "Layanan lambat")
    await h.choose(BUDI, t.SKIP)
    await h.say(BUDI, TEXT)
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.NO)
    summary = h.last_reply(BUDI)
    assert f"Saluran: {label}" in summary.text
    await h.choose(BUDI, t.SEND)

    assert "ADU-2026-00001" in h.last_reply(BUDI).text
    complaint = await _complaint(h)
    assert complaint.channel == channel and complaint.complainant_id is None
    assert complaint.complainant_name == "Bapak Warga Kota"
    assert complaint.complainant_contact == "0285421999"
    card = _card(h)
    assert f"Saluran: {label}" in card.text
    assert await _events(h, complaint.id) == ["recorded"]

    # The complainant is not in the bot: the officer records how the answer was delivered.
    await h.say(BUDI, f"/start adu_{complaint.id}")
    await h.say(BUDI, ANSWER)
    assert "bagaimana jawaban disampaikan" in h.last_reply(BUDI).text
    await h.say(BUDI, "disampaikan via telepon")
    await h.choose(BUDI, t.SEND_ANSWER)
    assert "telah dicatat" in h.last_reply(BUDI).text
    now = _card_now(h, card)
    assert "Jawaban telah dicatat" in now.text
    assert _labels(now) == [t.RESOLVE_BUTTON, t.FORWARD_BUTTON]
    await h.choose(BUDI, t.RESOLVE_BUTTON)
    complaint = await _complaint(h)
    assert complaint.status == "RESOLVED"
    assert complaint.response_delivery == "disampaikan via telepon"
    now = _card_now(h, card)
    assert "· Selesai" in now.text and _labels(now) == [t.CLOSE_BUTTON]
    # Closing from the group card: the outbox edits it, nothing else touches it.
    await h.press(BUDI, now, t.CLOSE_BUTTON)
    assert (await _complaint(h)).status == "CLOSED"
    assert _labels(_card_now(h, card)) == []
    assert h.api.to_chat(GROUP_ID, "editMessageReplyMarkup") == []


async def test_only_officers_record_complaints(h: Harness) -> None:
    await h.say(SITI, "/catat_aduan")
    assert "untuk petugas Dinas Kominfo" in h.last_reply(SITI).text
    await h.say(SITI, "Bapak Warga")
    assert len([c for c in h.replies_to(SITI) if "Bapak" in c.text]) == 0


@pytest.mark.auto_disposition
async def test_a_related_ticket_must_be_visible_to_the_complainant(h: Harness) -> None:
    await h.reporter(ANI, opd_code="dinkominfo")
    draft = tickets.ReportDraft(
        Category.INTERNET_DOWN, Impact.WHOLE_OFFICE, "Lt. 1", "Internet mati sejak pagi.", PHONE
    )
    services = h.services
    for person in (ANI, SITI):
        async with services.uow() as uow:
            await tickets.create_report(uow, services.context(Actor(person.id)), draft)
    await h.say(SITI, "/aduan")
    await h.choose(SITI, "Layanan lambat")
    await h.say(SITI, "BN-2026-00001")  # Ani's OPD
    assert "tidak ditemukan atau tidak dapat Anda akses" in h.last_reply(SITI).text
    await h.say(SITI, "bn-2026-2")
    assert h.last_reply(SITI).text == t.ASK_TEXT
    await h.say(SITI, TEXT)
    await h.choose(SITI, t.SKIP)
    await h.choose(SITI, t.NO)
    assert "Tiket terkait: BN-2026-00002" in h.last_reply(SITI).text
    await h.choose(SITI, t.SEND)
    assert "BN-2026-00002" in _card(h).text


async def test_the_wrong_person_and_stale_buttons_change_nothing(h: Harness) -> None:
    await h.staff(ANTON, Role.TECHNICIAN)
    await _file(h)
    complaint = await _complaint(h)
    card = _card(h)
    await h.press(BUDI, card, t.TAKE_BUTTON)
    await h.press(ANTON, card, t.TAKE_BUTTON)
    assert "sudah ditangani oleh Budi" in _alert(h)
    await h.say(ANTON, f"/start adu_{complaint.id}")
    assert "sedang ditangani oleh Budi" in h.last_reply(ANTON).text
    await h.say(SITI, f"/start adu_{complaint.id}")
    assert "untuk petugas" in h.last_reply(SITI).text
    await _answer(h, BUDI, complaint.id)
    response = h.last_reply(SITI)
    # Someone else presses the complainant's button (forged into their own chat).
    data = dict(response.buttons)[t.SOLVED_BUTTON]
    await h.press_data(ANTON, data, ANTON.id)
    assert "hanya untuk pengadu" in _alert(h)
    await h.press_data(SITI, callbacks.make(callbacks.COMPLAINT_SOLVED, "999_1"), SITI.id)
    assert "tidak ditemukan" in _alert(h)
    await h.press_data(SITI, "v1:ad_ok:x", SITI.id)
    assert _alert(h) == t.STALE_BUTTON
    await h.press(BUDI, card, t.TAKE_BUTTON)
    assert "sudah ditangani" in _alert(h)
    assert (await _complaint(h)).status == "RESPONDED"
    await h.press(SITI, response, t.SOLVED_BUTTON)
    await h.press(SITI, response, t.SOLVED_BUTTON)
    assert "sudah berpindah tahap" in _alert(h)
    assert await _events(h, complaint.id) == ["filed", "taken", "responded", "confirmed_solved"]


async def test_buttons_of_a_cancelled_form_are_stale(h: Harness) -> None:
    await h.say(SITI, "/aduan")
    old = h.last_reply(SITI)
    await h.say(SITI, "/status")
    assert h.last_reply(SITI).text == t.BUSY
    await h.say(SITI, "/batal")
    assert h.last_reply(SITI).text == t.CANCELLED
    await h.press(SITI, old, "Informasi")
    assert _alert(h) == t.STALE_BUTTON
    await h.say(SITI, "/aduan")
    await h.press(SITI, old, "Informasi")
    assert _alert(h) == t.STALE_BUTTON
    async with h.services.uow() as uow:
        assert (await uow.session.scalars(select(Complaint))).all() == []


async def test_the_cap_on_open_complaints(h: Harness) -> None:
    services = h.services
    for _ in range(3):
        async with services.uow() as uow:
            await complaints.file_complaint(
                uow,
                services.context(Actor(SITI.id)),
                ComplaintDraft(ComplaintCategory.OTHER, TEXT),
            )
    await h.say(SITI, "/aduan")
    assert "masih memiliki 3 pengaduan yang belum selesai" in h.last_reply(SITI).text
    await h.say(SITI, "Informasi")
    assert h.last_reply(SITI).text == th.stray_hint(["reporter"])  # no form started


async def test_a_complaint_outside_office_hours_names_the_next_opening(h: Harness) -> None:
    h.clock.set(datetime(2026, 12, 4, 14, 0, tzinfo=WIB))  # Friday afternoon, closed
    await _file(h)
    receipt = h.last_reply(SITI).text
    assert "di luar jam layanan" in receipt
    assert "Senin, 7 Desember 2026 pukul 08.00 WIB" in receipt


async def test_status_lists_complaints_besides_tickets(h: Harness) -> None:
    await _file(h)
    await h.say(SITI, "/status")
    text = h.last_reply(SITI).text
    assert "Tiket Dinas Kesehatan" in text and "Pengaduan Anda" in text
    assert "ADU-2026-00001" in text


async def test_a_half_filled_complaint_survives_a_restart(h: Harness) -> None:
    await _fill_until_text(h)
    await h.say(SITI, TEXT)
    assert h.last_reply(SITI).text == t.ASK_FILES
    await h.process(h.updates.photo(SITI, "bukti-1"))

    await h.restart()

    await h.process(h.updates.photo(SITI, "bukti-2"))
    assert "Lampiran 2 dari" in h.last_reply(SITI).text
    await h.choose(SITI, t.DONE)
    await h.choose(SITI, t.YES)
    summary = h.last_reply(SITI)
    assert "Layanan lambat" in summary.text and "Lampiran: 2" in summary.text
    await h.choose(SITI, t.SEND)

    assert "ADU-2026-00001" in h.last_reply(SITI).text
    complaint = await _complaint(h)
    assert complaint.category == "slow_service" and complaint.text == TEXT
    assert complaint.confidential
    async with h.services.uow() as uow:
        files = (await uow.session.scalars(select(ComplaintFile.file_id))).all()
    assert sorted(files) == ["bukti-1", "bukti-2"]
    assert h.app.user_data.get(SITI.id, {}).get("complaint") is None

    # The card posted before a restart is still the one edited after it.
    card = _card(h)
    await h.restart()
    await h.press(BUDI, card, t.TAKE_BUTTON)
    now = _card_now(h, card)
    assert "Petugas: Budi" in now.text and "dirahasiakan" in now.text


async def test_a_complaint_form_left_alone_times_out_politely(h: Harness) -> None:
    await h.say(SITI, "/aduan")
    await h.choose(SITI, "Informasi")
    assert h.app.job_queue is not None
    (job,) = h.app.job_queue.get_jobs_by_name("_trigger_timeout")
    assert job.next_t is not None
    left = job.next_t - datetime.now(UTC)
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    await h.app.update_persistence()  # the draft is stored before the timeout fires
    async with h.services.uow() as uow:
        assert await state.load(uow, "conv:complaint") != {}

    await job.run(h.app)

    assert h.last_reply(SITI).text == t.TIMED_OUT
    assert h.app.user_data.get(SITI.id, {}).get("complaint") is None
    await h.app.update_persistence()
    async with h.services.uow() as uow:
        assert "complaint" not in (await state.load(uow, "user")).get(str(SITI.id), {})
        assert await state.load(uow, "conv:complaint") == {}
    await h.choose(SITI, t.SKIP)  # the ticket question of the dropped form
    assert _alert(h) == t.STALE_BUTTON
    await h.say(SITI, TEXT)  # no longer an answer to anything
    await h.say(SITI, "/aduan")
    assert h.last_reply(SITI).text == t.ASK_CATEGORY
    async with h.services.uow() as uow:
        assert (await uow.session.scalars(select(Complaint))).all() == []


async def test_without_a_group_the_officials_card_follows_the_complaint(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(h.services.settings, "tech_group_id", None)
    await _file(h, confidential=True)

    assert h.api.to_chat(GROUP_ID) == []
    card = h.with_button(PEJABAT.id, t.TAKE_BUTTON)
    assert "Pengaduan ADU-2026-00001" in card.text and "Siti Aminah" in card.text
    assert "Grup teknisi belum dipasang" in card.text
    assert _labels(card) == [t.TAKE_BUTTON, t.ANSWER_BUTTON, t.FORWARD_BUTTON]

    await h.press(PEJABAT, card, t.TAKE_BUTTON)
    now = _card_now(h, card, PEJABAT.id)
    assert "Petugas: Drajat" in now.text and "Siti Aminah" in now.text
    assert _labels(now) == [t.ANSWER_BUTTON, t.FORWARD_BUTTON]
    complaint = await _complaint(h)
    await _answer(h, PEJABAT, complaint.id)
    now = _card_now(h, card, PEJABAT.id)
    assert "Sudah dijawab" in now.text and _labels(now) == [t.FORWARD_BUTTON]
    await h.press(SITI, h.last_reply(SITI), t.SOLVED_BUTTON)
    now = _card_now(h, card, PEJABAT.id)
    assert "· Selesai" in now.text and _labels(now) == [t.CLOSE_BUTTON]


# --- the forms on the wizard engine ---------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVITE = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


def _answers(h: Harness) -> list[ApiCall]:
    return h.api.by_method("answerCallbackQuery")


async def _filed(h: Harness, category: str = "Gangguan tidak ditangani") -> int:
    await _file(h, category=category)
    return int((await _complaint(h)).id)


async def _count(h: Harness, model: type[Complaint] | type[ComplaintEvent]) -> int:
    async with h.services.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


# --- one form at a time ----------------------------------------------------------------------


async def test_lapor_during_aduan_is_refused_and_the_complaint_goes_on(h: Harness) -> None:
    await h.say(SITI, "/aduan")
    await h.choose(SITI, "Layanan lambat")

    await h.say(SITI, "/lapor")

    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    assert "report" not in h.app.user_data[SITI.id]
    await h.choose(SITI, t.SKIP)  # the complaint goes on where it was
    assert h.last_reply(SITI).text == t.ASK_TEXT


async def test_an_invite_link_during_aduan_is_refused(h: Harness) -> None:
    await h.say(ADMIN, "/undang dinkes")
    match = INVITE.search(h.last_reply(ADMIN).text)
    assert match is not None
    rina = Person(2002, "Rina")
    await h.say(rina, "/aduan")
    await h.say(rina, "Rina Wati")

    await h.say(rina, f"/start {match.group(1)}")

    assert h.last_reply(rina).text == wt.form_open(t.TITLE)
    assert "registration" not in h.app.user_data[rina.id]
    await h.say(rina, "rina@contoh.id")  # still the complaint's contact question
    assert h.last_reply(rina).text == t.ASK_CATEGORY


async def test_aduan_during_lapor_is_refused(h: Harness) -> None:
    await h.say(SITI, "/lapor")

    await h.say(SITI, "/aduan")

    assert h.last_reply(SITI).text == rt.BUSY
    assert "complaint" not in h.app.user_data[SITI.id]


async def test_not_solved_while_filing_another_complaint_is_refused_with_an_alert(
    h: Harness,
) -> None:
    await _file(h)
    await h.say(BUDI, "/start adu_1")
    await h.say(BUDI, ANSWER)
    await h.choose(BUDI, t.SEND_ANSWER)
    answer = h.with_button(SITI.id, t.NOT_SOLVED_BUTTON)
    await h.say(SITI, "/aduan")

    await h.press(SITI, answer, t.NOT_SOLVED_BUTTON)

    alert = _answers(h)[-1].params
    assert alert["text"] == wt.form_open(t.TITLE) and alert["show_alert"]
    assert h.last_reply(SITI).text == t.ASK_CATEGORY
    await h.say(SITI, "/batal")
    await h.press(SITI, answer, t.NOT_SOLVED_BUTTON)  # the buttons are still there
    assert "mengapa" in h.last_reply(SITI).text


# --- blank text ------------------------------------------------------------------------------


async def test_zero_width_text_is_no_complaint_text(h: Harness) -> None:
    await _fill_until_text(h)
    assert h.last_reply(SITI).text == t.ASK_TEXT

    await h.say(SITI, ZERO_WIDTH * 10)  # 50 characters, none of them visible

    assert h.last_reply(SITI).text == t.refusal(InvalidInput("complaint_text"))
    assert "text" not in h.app.user_data[SITI.id]["complaint"]
    await h.say(SITI, TEXT)
    assert h.last_reply(SITI).text == t.ASK_FILES


async def test_zero_width_text_is_no_answer_and_no_reason(h: Harness) -> None:
    complaint_id = await _filed(h)
    await h.say(BUDI, f"/start adu_{complaint_id}")

    await h.say(BUDI, ZERO_WIDTH * 10)

    assert h.last_reply(BUDI).text == t.refusal(InvalidInput("complaint_answer"))
    assert "text" not in h.app.user_data[BUDI.id]["complaint_answer"]
    await h.say(BUDI, "/batal")
    await h.say(BUDI, f"/start adu_{complaint_id}_t")
    await h.say(BUDI, ZERO_WIDTH * 10)
    assert h.last_reply(BUDI).text == t.refusal(InvalidInput("complaint_reason"))
    async with h.services.uow() as uow:
        row = await uow.complaints.by_number("ADU-2026-00001")
        assert row is not None and row.status == "IN_PROGRESS"


# --- a prompt that stays open says so --------------------------------------------------------


async def test_the_answer_form_says_it_is_open_when_the_official_turns_elsewhere(
    h: Harness,
) -> None:
    complaint_id = await _filed(h, "Perilaku petugas")  # straight to the official
    thread = h.with_button(PEJABAT.id, t.ANSWER_BUTTON)
    await h.press(PEJABAT, thread, t.ANSWER_BUTTON)
    await h.say(PEJABAT, f"/start adu_{complaint_id}")
    events = await _count(h, ComplaintEvent)

    await h.say(PEJABAT, "/bantuan")
    assert h.last_reply(PEJABAT).text == t.ANSWER_BUSY  # not the help: the form is open
    await h.say(PEJABAT, "/aduan")
    assert h.last_reply(PEJABAT).text == wt.form_open(t.ANSWER_TITLE)
    await h.say(PEJABAT, "/lapor")
    assert h.last_reply(PEJABAT).text == wt.form_open(t.ANSWER_TITLE)
    to_siti = len(h.replies_to(SITI))

    await h.say(PEJABAT, "Terima kasih banyak atas bantuannya, Pak.")

    # The text is an answer only once the official checks it and presses «Kirim jawaban».
    summary = h.last_reply(PEJABAT)
    assert "Terima kasih banyak" in summary.text and t.SEND_ANSWER in dict(summary.buttons)
    assert len(h.replies_to(SITI)) == to_siti and await _count(h, ComplaintEvent) == events
    await h.say(PEJABAT, "/batal")
    assert h.last_reply(PEJABAT).text == t.ANSWER_CANCELLED
    await h.press(PEJABAT, summary, t.SEND_ANSWER)
    assert _answers(h)[-1].params["text"] == t.STALE_BUTTON
    assert len(h.replies_to(SITI)) == to_siti and await _count(h, ComplaintEvent) == events


async def test_input_of_the_wrong_kind_in_the_answer_form_gets_a_hint(h: Harness) -> None:
    complaint_id = await _filed(h)
    await h.say(BUDI, f"/start adu_{complaint_id}")
    prompts = len(h.replies_to(BUDI))

    await h.process(h.updates.photo(BUDI, "foto-1"))
    assert h.last_reply(BUDI).text == t.NEED_TEXT
    await h.say(BUDI, ANSWER)
    await h.say(BUDI, "sudah")
    assert h.last_reply(BUDI).text == t.NEED_ANSWER_BUTTON

    assert len(h.replies_to(BUDI)) == prompts + 3  # hints only: the thread is not repeated


# --- presses ---------------------------------------------------------------------------------


async def test_every_press_of_a_whole_complaint_is_answered_once(h: Harness) -> None:
    await h.say(SITI, "/aduan")
    question = h.with_button(SITI.id, "Informasi")
    await h.press(SITI, question, "Informasi")
    await h.press(SITI, question, "Informasi")  # a double tap: stale, nothing edited
    edits = h.api.by_method("editMessageText")
    assert [e.text for e in edits] == [t.chosen(t.CATEGORY_LABEL, "Informasi")]
    await h.choose(SITI, t.SKIP)
    await h.say(SITI, TEXT)
    await h.choose(SITI, t.SKIP)
    await h.choose(SITI, t.YES)
    summary = h.with_button(SITI.id, t.SEND)
    await h.press(SITI, summary, t.SEND)
    await h.press(SITI, summary, t.SEND)  # the form is gone: stale

    presses = [line for line in h.transcript if " presses [" in line]
    assert len(_answers(h)) == len(presses) == 7
    stale = t.STALE_BUTTON
    assert [a.params.get("text") for a in _answers(h)] == [None, stale, *[None] * 4, stale]
    assert await _count(h, Complaint) == 1
    card = next(c for c in h.api.to_chat(GROUP_ID) if "ADU-2026-00001" in c.text)
    assert "dirahasiakan" in card.text


@pytest.mark.parametrize(
    "data", ["v1:ad_send:abcdef_send", "v1:ad_form:abcdef_skip", "v1:ad_asend:abcdef_send"]
)
async def test_buttons_of_complaint_forms_before_the_engine_are_stale(
    h: Harness, data: str
) -> None:
    await h.press_data(SITI, data, SITI.id)
    assert _answers(h)[-1].params["text"] == t.STALE_BUTTON

    await h.say(SITI, "/aduan")
    await h.press_data(SITI, data, SITI.id)
    assert _answers(h)[-1].params["text"] == t.STALE_BUTTON
    assert h.last_reply(SITI).text == t.ASK_CATEGORY
    assert len(_answers(h)) == 2


async def test_a_not_solved_press_with_a_forged_round_is_stale(h: Harness) -> None:
    await h.press_data(SITI, callbacks.make(callbacks.COMPLAINT_NOT_SOLVED, "1_x"), SITI.id)
    assert _answers(h)[-1].params["text"] == t.STALE_BUTTON
    assert "complaint_answer" not in h.app.user_data.get(SITI.id, {})
