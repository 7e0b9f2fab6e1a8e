"""Every message fits Telegram's limits with every field at its limit at once (issue 14, item 2).

Each input is allowed on its own; a message puts several together. The recipient must still get
the card with its buttons, and every text the card had to shorten must reach them whole in a
message of its own. The strict fake refuses any text over 4,096 (caption over 1,024) UTF-16
units and any HTML Telegram rejects, and the harness fails the test on every refusal.

The texts mix words, HTML's special characters and emoji (two UTF-16 units each, so they count
more than their length in characters) and start with a word of their own, so each can be found
whole in what was received.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.conversations.reason import TEXT_MAX as HOLD_REASON_MAX
from bot.services import tickets, users, workflow
from bot.services.complaints import REASON_MAX, TEXT_MAX
from bot.services.domain import (
    Actor,
    Category,
    Decision,
    FileRef,
    Impact,
    MaterialLine,
    Media,
    Role,
)
from bot.services.opds import NAME_MAX as OPD_NAME_MAX
from bot.services.tickets import DESCRIPTION_MAX, LOCATION_MAX, ReportDraft
from bot.services.users import NAME_MAX
from bot.texts import berita_acara as ba_texts
from bot.texts import complaints as tc
from bot.texts import wizards as tz
from bot.texts.fit import CAPTION_LIMIT, TEXT_LIMIT
from tests.factories import Person
from tests.fakebot import ApiCall, parse_html
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import load_ticket

FILLER = "🙂🙂🙂🙂🙂🙂🙂🙂 <&> x "


def _long(length: int, word: str) -> str:
    """Returns exactly `length` characters that start with `word` and show longer than that."""
    text = (f"{word} " + FILLER * (length // len(FILLER) + 1))[:length]
    return text[:-1] + "." if text[-1] == " " else text


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# People whose names are as long as a name may be: first name, a space, last name.
FIRST, LAST = NAME_MAX // 2, NAME_MAX - NAME_MAX // 2 - 1
SITI = Person(2101, _long(FIRST, "Siti"), _long(LAST, "Aminah"))
BUDI = Person(3101, _long(FIRST, "Budi"), _long(LAST, "Santoso"))
PJ = Person(4101, _long(FIRST, "Koordinator"), _long(LAST, "Pak"))
PEJABAT = Person(5101, _long(FIRST, "Drajat"), _long(LAST, "Pejabat"))

OPD_CODE = "dinas-panjang"
OPD_NAME = _long(OPD_NAME_MAX, "Dinas")
LOCATION = _long(LOCATION_MAX, "Lokasi")
DESCRIPTION = _long(DESCRIPTION_MAX, "Uraian")
NOTE = _long(workflow.NOTE_MAX, "Catatan")


@pytest.fixture(autouse=True)
def no_last_guard(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails a test in which a text outgrew its own fitting and only the render guard saved it."""
    with caplog.at_level(logging.WARNING, logger="bot.render.common"):
        yield
    guarded = [r.getMessage() for r in caplog.records if r.name == "bot.render.common"]
    assert not guarded, guarded


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A reporter of an OPD with the longest name, a technician, a coordinator, an official."""
    await harness.say(ADMIN, f"/opd tambah {OPD_CODE} {OPD_NAME}")
    await harness.reporter(SITI, OPD_CODE)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    return harness


# --- reading what people received ------------------------------------------------------------


def _shown(call: ApiCall) -> str:
    """Returns what a message shows (its HTML parsed as Telegram does)."""
    media = call.params.get("media") or []
    parts = [(call.text, call.params.get("parse_mode"))]
    parts += [(str(m.get("caption") or ""), m.get("parse_mode")) for m in media]
    return "\n".join(parse_html(text)[0] if mode else text for text, mode in parts)


def _received(h: Harness, chat: int, since: int = 0) -> str:
    """Returns everything a chat was shown, from the call numbered `since` on."""
    return "\n".join(_shown(c) for c in h.api.calls[since:] if c.chat_id == chat)


def _fits(h: Harness) -> None:
    """Checks the limits on what was sent, as Telegram counts them."""
    for call in h.api.calls:
        shown = _shown(call).strip()
        limit = CAPTION_LIMIT if call.method in ("sendPhoto", "sendDocument") else TEXT_LIMIT
        assert _units(shown) <= limit or call.method == "sendMediaGroup", call.method
    h.api.assert_no_refusals()


# --- arranging ---------------------------------------------------------------------------------


async def _report(h: Harness, photos: int = 0) -> int:
    """A report with every field at its limit, filed through the service as /lapor does."""
    s = h.services
    refs = tuple(FileRef(f"foto-{n}", f"foto-{n}-u", Media.PHOTO) for n in range(photos))
    letter = FileRef("surat-1", "surat-1-u", Media.DOCUMENT, "application/pdf")
    async with s.uow() as uow:
        view = await tickets.create_report(
            uow,
            s.context(Actor(SITI.id)),
            ReportDraft(
                Category.DEVICE,
                Impact.WHOLE_OFFICE,
                LOCATION,
                DESCRIPTION,
                "081234567890123",
                refs,
                letter,
            ),
        )
    await h.delivery.wait_idle()
    h.api.assert_no_refusals()
    return view.id


async def _claimed(h: Harness, photos: int = 0) -> int:
    """The report, disposed to the team with the longest note, claimed by Budi."""
    ticket_id = await _report(h, photos)
    await h.choose(PJ, "Disposisikan kepada tim teknis")
    await h.say(PJ, NOTE)
    await h.choose(BUDI, "Ambil", GROUP_ID)
    return ticket_id


ITEMS = [
    MaterialLine(
        _long(workflow.ITEM_NAME_MAX, f"Barang{n}"),
        _long(workflow.SPEC_MAX, f"Spesifikasi{n}"),
        workflow.QUANTITY_MAX,
        _long(workflow.UNIT_MAX, f"sat{n}"),
    )
    for n in range(1, workflow.ITEMS_MAX + 1)
]
REASON = _long(workflow.LONG_TEXT_MAX, "Alasan")


async def _approved(h: Harness, ticket_id: int) -> None:
    """Budi's request of the longest list, approved by the coordinator."""
    s = h.services
    async with s.uow() as uow:
        request = await workflow.submit_material_request(
            uow, s.context(Actor(BUDI.id)), ticket_id, ITEMS, REASON, []
        )
    async with s.uow() as uow:
        await workflow.decide_material(uow, s.context(Actor(PJ.id)), request.id, Decision.APPROVE)
    await h.delivery.wait_idle()
    h.api.assert_no_refusals()


# --- the cases ---------------------------------------------------------------------------------


async def test_a_report_at_every_limit_reaches_the_coordinator_and_the_group_whole(
    h: Harness,
) -> None:
    seen = len(h.api.calls)
    ticket_id = await _report(h, photos=workflow.PHOTOS_MAX)

    card = h.with_button(PJ.id, "Disposisikan kepada tim teknis")
    assert card is h.api.to_chat(PJ.id)[-1], "the card with its buttons comes last"
    to_pj = _received(h, PJ.id, seen)
    assert DESCRIPTION in to_pj and LOCATION in to_pj and OPD_NAME in to_pj

    await h.press(PJ, card, "Disposisikan kepada tim teknis")
    await h.say(PJ, NOTE)

    job = h.with_button(GROUP_ID, "Ambil")
    group = _received(h, GROUP_ID)
    for field in (DESCRIPTION, LOCATION, OPD_NAME, NOTE):
        assert field in group
    assert "…" in _shown(job) and "/tiket BN-2026-00001" in _shown(job)
    album = h.api.to_chat(GROUP_ID, "sendMediaGroup")
    assert len(album) == 1 and len(album[0].params["media"]) == workflow.PHOTOS_MAX
    (letter,) = h.api.to_chat(GROUP_ID, "sendDocument")
    assert OPD_NAME in _shown(letter)

    await h.press(BUDI, job, "Ambil")
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    card_now = h.api.to_chat(GROUP_ID, "editMessageText")[-1]
    assert "Ringan" in dict(card_now.buttons) and BUDI.first_name[:20] in _shown(card_now)

    seen = len(h.api.calls)
    await h.say(BUDI, "/tiket BN-2026-00001", chat_id=GROUP_ID)
    answer = _received(h, GROUP_ID, seen)
    assert DESCRIPTION in answer and NOTE in answer
    _fits(h)


async def test_the_material_wizard_lists_twenty_items_at_their_limits_and_the_card_arrives(
    h: Harness,
) -> None:
    ticket_id = await _claimed(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    for n, item in enumerate(ITEMS, 1):
        await h.say(BUDI, item.name)
        await h.say(BUDI, item.specification)
        await h.say(BUDI, str(item.quantity))
        await h.say(BUDI, item.unit)
        listing = h.last_reply(BUDI)
        assert f"\n{n}. Barang{n} " in _shown(listing), f"the list shows item {n}"
        await h.press(BUDI, listing, tz.ADD_ITEM if n < workflow.ITEMS_MAX else tz.DONE)
    await h.say(BUDI, REASON)
    await h.choose(BUDI, tz.SKIP)
    summary = h.last_reply(BUDI)
    assert "\n20. Barang20 " in _shown(summary) and "Alasan: Alasan " in _shown(summary)
    seen = len(h.api.calls)

    await h.press(BUDI, summary, tz.MR_SEND)

    assert (await load_ticket(h, ticket_id)).status == "AWAITING_APPROVAL"
    card = h.with_button(PJ.id, "Setujui")
    assert [label for label, _ in card.buttons] == ["Setujui", "Tolak", "Minta revisi"]
    assert card is h.api.to_chat(PJ.id)[-1], "the card with its buttons comes last"
    to_pj = _received(h, PJ.id, seen)
    assert REASON in to_pj
    for item in ITEMS:
        assert f"{item.name} ({item.specification}): {item.quantity} {item.unit}" in to_pj

    await h.press(PJ, card, "Setujui")

    assert (await load_ticket(h, ticket_id)).status == "REPAIRING"
    _fits(h)


async def test_a_repair_report_at_every_limit_keeps_the_question_for_the_reporter(
    h: Harness,
) -> None:
    ticket_id = await _claimed(h)
    await _approved(h, ticket_id)
    diagnosis = _long(workflow.LONG_TEXT_MAX, "Diagnosis")
    actions = _long(workflow.LONG_TEXT_MAX, "Tindakan")
    serials = [
        (_long(workflow.SERIAL_MAX, f"LAMA{n}"), _long(workflow.SERIAL_MAX, f"BARU{n}"))
        for n in range(1, workflow.ITEMS_MAX + 1)
    ]
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, diagnosis)
    await h.say(BUDI, actions)
    for n in range(workflow.PHOTOS_MAX):
        await h.process(h.updates.photo(BUDI, f"setelah-{n}"))
    await h.choose(BUDI, tz.DONE)
    await h.choose(BUDI, tz.USE_APPROVED)
    for old, new in serials:
        await h.say(BUDI, f"{old} / {new}")
    listing = h.last_reply(BUDI)
    assert "\n20. Barang20 " in _shown(listing)
    await h.press(BUDI, listing, tz.DONE)
    await h.choose(BUDI, ba_texts.DISPOSITION_BUTTONS["written_off"])
    await h.choose(BUDI, ba_texts.NO_NIP)  # the berita acara's fields, asked this once
    await h.say(BUDI, _long(users.POSITION_MAX, "Jabatan"))
    summary = h.last_reply(BUDI)
    assert "Tindakan: Tindakan " in _shown(summary) and "\n20. Barang20 " in _shown(summary)
    seen = len(h.api.calls)

    await h.press(BUDI, summary, tz.RR_SEND)

    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"
    question = h.with_button(SITI.id, "Sudah normal")
    assert question is h.api.to_chat(SITI.id)[-1], "the question with its buttons comes last"
    to_siti = _received(h, SITI.id, seen)
    assert actions in to_siti
    for item in ITEMS:
        assert f"{item.name} ({item.quantity} {item.unit})" in to_siti

    await h.press(SITI, question, "Sudah normal")
    await h.choose(SITI, tz.SIGN)

    assert (await load_ticket(h, ticket_id)).status == "CLOSED"
    assert h.api.to_chat(SITI.id, "sendDocument"), "the reporter receives the berita acara"
    berita_acara = h.api.to_chat(GROUP_ID, "sendDocument")[-1]
    assert "Berita acara" in _shown(berita_acara) and OPD_NAME in _shown(berita_acara)
    _fits(h)


async def test_tiket_spreads_a_timeline_of_six_long_holds_over_messages(h: Harness) -> None:
    await _claimed(h)
    reasons = [_long(HOLD_REASON_MAX, f"Tunda{n}") for n in range(1, 7)]
    for reason in reasons:
        await h.choose(BUDI, "Tunda (menunggu OPD)", GROUP_ID)
        prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
        await h.reply(BUDI, prompt, reason)
        await h.choose(BUDI, "Lanjutkan", GROUP_ID)
    assert sum(_units(r) for r in reasons) + _units(DESCRIPTION) > TEXT_LIMIT

    for person, chat in ((SITI, SITI.id), (BUDI, GROUP_ID)):
        seen = len(h.api.calls)
        await h.say(person, "/tiket BN-2026-00001", chat_id=chat)
        answer = _received(h, chat, seen)
        assert len(h.api.calls) - seen > 1, "the answer takes several messages"
        assert DESCRIPTION in answer and NOTE in answer
        for reason in reasons:
            assert reason in answer
    _fits(h)


async def test_a_complaint_at_every_limit_reaches_the_group_the_official_and_the_complainant(
    h: Harness,
) -> None:
    text = _long(TEXT_MAX, "Pengaduan")
    answer = _long(TEXT_MAX, "Jawaban")
    why = _long(REASON_MAX, "Belum")
    final = _long(TEXT_MAX, "Akhir")
    await h.say(SITI, "/aduan")
    await h.choose(SITI, "Gangguan tidak ditangani")
    await h.choose(SITI, tc.SKIP)
    await h.say(SITI, text)
    await h.choose(SITI, tc.SKIP)
    await h.choose(SITI, tc.NO)
    await h.choose(SITI, tc.SEND)
    assert text in _received(h, GROUP_ID)
    await h.choose(BUDI, tc.TAKE_BUTTON, GROUP_ID)

    await h.say(BUDI, "/start adu_1")
    assert "Tuliskan <b>jawaban</b>" in h.last_reply(BUDI).text
    await h.say(BUDI, answer)
    await h.choose(BUDI, tc.SEND_ANSWER)
    verdict = h.with_button(SITI.id, tc.NOT_SOLVED_BUTTON)
    assert answer in _received(h, SITI.id)
    seen = len(h.api.calls)
    await h.press(SITI, verdict, tc.NOT_SOLVED_BUTTON)
    await h.say(SITI, why)

    thread = h.with_button(PEJABAT.id, tc.ANSWER_BUTTON)
    assert thread is h.api.to_chat(PEJABAT.id)[-1], "the thread with its button comes last"
    to_official = _received(h, PEJABAT.id, seen)
    for field in (text, answer, why):
        assert field in to_official

    await h.say(PEJABAT, "/start adu_1")
    assert "Tuliskan <b>jawaban</b>" in h.last_reply(PEJABAT).text
    await h.say(PEJABAT, final)
    await h.choose(PEJABAT, tc.SEND_ANSWER)
    assert final in _received(h, SITI.id)
    h.with_button(SITI.id, tc.SOLVED_BUTTON)

    for person, chat in ((PEJABAT, PEJABAT.id), (SITI, SITI.id), (BUDI, GROUP_ID)):
        seen = len(h.api.calls)
        await h.say(person, "/tiket ADU-2026-00001", chat_id=chat)
        shown = _received(h, chat, seen)
        for field in (text, answer, why, final):
            assert field in shown
    _fits(h)


@pytest.mark.auto_disposition
async def test_status_and_the_morning_digest_of_many_long_tickets_spread_over_messages(
    h: Harness,
) -> None:
    await h.staff(SITI, Role.TECHNICIAN)  # reporter and technician: every list of /status
    for _ in range(16):
        await _report(h)
    numbers = [f"BN-2026-{n:05d}" for n in range(1, 17)]
    # The first is claimed: the lists below leave it out.
    first = next(c for c in h.api.to_chat(GROUP_ID, "sendMessage") if numbers[0] in c.text)
    await h.press(BUDI, first, "Ambil")

    seen = len(h.api.calls)
    await h.say(SITI, "/status")
    answer = _received(h, SITI.id, seen)
    assert len(h.api.calls) - seen > 1, "the answer takes several messages"
    assert all(number in answer for number in numbers[1:])

    seen = len(h.api.calls)
    h.advance(hours=2)  # past half of the response time of all but the claimed one
    await h.run_job("sla-sweep")
    digest = _received(h, GROUP_ID, seen)
    assert len(h.api.calls) - seen > 1, "the digest takes several messages"
    # The counts are of all open tickets, though each list shows at most ten.
    assert "Tiket terbuka: 16 · belum diambil: 15 ·" in digest
    assert all(number in digest for number in numbers[1:])
    _fits(h)


async def test_lapor_with_every_field_at_its_limit_ends_with_the_receipt(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Perangkat/kabel")
    await h.choose(SITI, "Seluruh kantor")
    await h.say(SITI, LOCATION)
    await h.say(SITI, DESCRIPTION)
    for n in range(workflow.PHOTOS_MAX):
        await h.process(h.updates.photo(SITI, f"foto-{n}"))
    await h.choose(SITI, "Selesai")
    await h.process(h.updates.document(SITI, "surat-1"))
    await h.say(SITI, "Gunakan 081234567890")
    summary = h.last_reply(SITI)
    assert DESCRIPTION in _shown(summary)

    await h.press(SITI, summary, "Kirim laporan")

    receipt = h.last_reply(SITI)
    assert "Laporan gangguan telah diterima" in _shown(receipt)
    assert "…" in _shown(receipt) and "baca utuh dengan /tiket BN-2026-00001" in _shown(receipt)
    h.with_button(PJ.id, "Disposisikan kepada tim teknis")
    _fits(h)
