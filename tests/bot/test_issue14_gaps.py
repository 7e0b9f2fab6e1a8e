"""Sub-cases of issue 14 that no other test covered: zero-width (and other invisible) text at the
reason prompt (in the group and privately), the complainant's "not solved" reason and the sign-off
comment; a technician's material link while a complaint is being filed; out-of-range ids in the
technicians' links."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.handlers.workflow import refusal
from bot.services import workflow
from bot.services.domain import Actor, MaterialLine, ReplacedLine, Role
from bot.services.errors import InvalidInput
from bot.texts import complaints as tc
from bot.texts import wizards as wt
from bot.texts.common import GENERIC_ERROR
from db.models import Complaint, TicketEvent
from tests.bot.test_button_guard import too_large_for_the_database
from tests.factories import Person
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, claimed, load_ticket, repaired, reported

PEJABAT = Person(5001, "Drajat", "Pejabat")
# Nothing a reader sees: zero-width space, non-joiner, joiner, word joiner, byte order mark.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
NO_REASON = refusal(InvalidInput("reason"))
REASON = "Ruang server dikunci, menunggu kunci dari OPD"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition, with a reporter, a technician, a coordinator and an official."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    return harness


# --- arranging -------------------------------------------------------------------------------


async def _awaiting_approval(h: Harness) -> int:
    ticket_id = await claimed(h)
    async with h.services.uow() as uow:
        await workflow.submit_material_request(
            uow,
            h.services.context(Actor(BUDI.id)),
            ticket_id,
            [MaterialLine("Router inti", "-", 1, "unit")],
            "Router lama lambat",
            [],
        )
    await h.delivery.wait_idle()
    return ticket_id


async def _repaired(h: Harness) -> int:
    return await repaired(h, [ReplacedLine("Konektor RJ45", 2, "buah", None, None)])


# --- zero-width text at the reason prompt ----------------------------------------------------


async def _reject_report(h: Harness) -> tuple[int, str]:
    ticket_id = await reported(h)
    label = "Tolak (bukan gangguan Batik.Net)"
    await h.press(PJ, h.with_button(PJ.id, label), label)
    return ticket_id, "CANCELLED"


async def _reject_material(h: Harness) -> tuple[int, str]:
    ticket_id = await _awaiting_approval(h)
    await h.press(PJ, h.with_button(PJ.id, "Tolak"), "Tolak")
    return ticket_id, "CHECKING"


async def _revise_material(h: Harness) -> tuple[int, str]:
    ticket_id = await _awaiting_approval(h)
    await h.press(PJ, h.with_button(PJ.id, "Minta revisi"), "Minta revisi")
    return ticket_id, "CHECKING"


async def _not_fixed(h: Harness) -> tuple[int, str]:
    ticket_id = await _repaired(h)
    await h.press(SITI, h.with_button(SITI.id, "Belum normal"), "Belum normal")
    return ticket_id, "REPAIRING"


@pytest.mark.parametrize(
    ("person", "open_prompt"),
    [
        (PJ, _reject_report),
        (PJ, _reject_material),
        (PJ, _revise_material),
        (SITI, _not_fixed),
    ],
    ids=["reject_report", "material_reject", "material_revise", "not_fixed"],
)
async def test_zero_width_text_is_no_reason_in_a_private_prompt(
    h: Harness, person: Person, open_prompt: Callable[[Harness], Awaitable[tuple[int, str]]]
) -> None:
    ticket_id, after = await open_prompt(h)
    before = (await load_ticket(h, ticket_id)).status
    events = await _event_count(h)

    await h.say(person, ZERO_WIDTH * 4)  # 20 characters, none of them visible
    await h.say(person, f" {ZERO_WIDTH}\n{ZERO_WIDTH} ")

    assert h.last_reply(person).text == NO_REASON
    assert (await load_ticket(h, ticket_id)).status == before
    assert await _event_count(h) == events
    await h.say(person, REASON)  # the prompt is still open and takes a real reason
    assert (await load_ticket(h, ticket_id)).status == after


@pytest.mark.parametrize(
    ("person", "label", "after"),
    [(BUDI, "Tunda (menunggu OPD)", "ON_HOLD"), (PJ, "Batalkan tiket", "CANCELLED")],
    ids=["hold", "cancel"],
)
async def test_zero_width_text_is_no_reason_in_the_group(
    h: Harness, person: Person, label: str, after: str
) -> None:
    ticket_id = await claimed(h)
    await h.press(person, h.with_button(GROUP_ID, label), label)
    prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]

    await h.reply(person, prompt, ZERO_WIDTH * 3)

    again = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert again.text == NO_REASON and again.params["reply_markup"]["force_reply"]
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    await h.reply(person, again, REASON)
    assert (await load_ticket(h, ticket_id)).status == after


async def test_a_zero_width_disposition_note_is_no_note(h: Harness) -> None:
    ticket_id = await reported(h)
    label = "Disposisikan kepada tim teknis"
    await h.press(PJ, h.with_button(PJ.id, label), label)

    await h.say(PJ, ZERO_WIDTH * 4)

    ticket = await load_ticket(h, ticket_id)
    assert ticket.status == "DISPOSED" and ticket.disposition_note is None
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "Catatan disposisi" not in card.text and "\u200b" not in card.text


async def _event_count(h: Harness) -> int:
    async with h.services.uow() as uow:
        return len((await uow.session.scalars(select(TicketEvent))).all())


# --- zero-width text in the complaint and sign-off forms -------------------------------------


async def _file_complaint(h: Harness) -> None:
    await h.say(SITI, "/aduan")
    await h.press(
        SITI, h.with_button(SITI.id, "Gangguan tidak ditangani"), "Gangguan tidak ditangani"
    )
    await h.press(SITI, h.with_button(SITI.id, tc.SKIP), tc.SKIP)
    await h.say(SITI, "Laporan gangguan kami tiga hari belum ditangani petugas.")
    await h.press(SITI, h.with_button(SITI.id, tc.SKIP), tc.SKIP)
    await h.press(SITI, h.with_button(SITI.id, tc.NO), tc.NO)
    await h.press(SITI, h.with_button(SITI.id, tc.SEND), tc.SEND)


async def test_zero_width_text_is_no_not_solved_reason(h: Harness) -> None:
    await _file_complaint(h)
    await h.say(BUDI, "/start adu_1")
    await h.say(BUDI, "Mohon maaf, teknisi dijadwalkan datang besok pagi pukul 08.00.")
    await h.press(BUDI, h.with_button(BUDI.id, tc.SEND_ANSWER), tc.SEND_ANSWER)
    await h.press(SITI, h.with_button(SITI.id, tc.NOT_SOLVED_BUTTON), tc.NOT_SOLVED_BUTTON)

    await h.say(SITI, ZERO_WIDTH * 6)

    assert h.last_reply(SITI).text == tc.refusal(InvalidInput("complaint_reason"))
    async with h.services.uow() as uow:
        (complaint,) = (await uow.session.scalars(select(Complaint))).all()
    assert complaint.status == "RESPONDED"
    await h.say(SITI, "Teknisi belum datang sampai sore ini.")
    async with h.services.uow() as uow:
        (complaint,) = (await uow.session.scalars(select(Complaint))).all()
    assert complaint.status != "RESPONDED"


async def test_a_zero_width_rating_comment_is_no_comment(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.press(SITI, h.with_button(SITI.id, "Sudah normal"), "Sudah normal")
    await h.press(SITI, h.with_button(SITI.id, wt.SIGN), wt.SIGN)
    await h.press(SITI, h.with_button(SITI.id, "Sangat baik"), "Sangat baik")

    await h.say(SITI, ZERO_WIDTH * 3)

    ticket = await load_ticket(h, ticket_id)
    assert ticket.rating == 4 and ticket.rating_comment is None
    assert "\u200b" not in h.last_reply(SITI).text


# --- one form at a time ----------------------------------------------------------------------


async def test_the_material_link_during_aduan_opens_no_second_form(h: Harness) -> None:
    ticket_id = await claimed(h)
    await h.say(BUDI, "/aduan")
    await h.say(BUDI, "Budi Santoso")  # staff without an OPD: the complainant's name and contact
    await h.say(BUDI, "081298765432")
    await h.press(BUDI, h.with_button(BUDI.id, "Layanan lambat"), "Layanan lambat")

    await h.say(BUDI, f"/start mr_{ticket_id}")

    assert h.last_reply(BUDI).text == wt.form_open(tc.TITLE)
    assert "material" not in h.app.user_data[BUDI.id]
    await h.press(BUDI, h.with_button(BUDI.id, tc.SKIP), tc.SKIP)  # the complaint goes on
    assert h.last_reply(BUDI).text == tc.ASK_TEXT


async def test_a_complaint_answer_link_during_the_material_form_opens_no_second_form(
    h: Harness,
) -> None:
    await _file_complaint(h)
    ticket_id = await claimed(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    await h.say(BUDI, "Switch 24 port")

    await h.say(BUDI, "/start adu_1")

    assert h.last_reply(BUDI).text == wt.BUSY  # as any other command while the form is open
    assert "complaint_answer" not in h.app.user_data[BUDI.id]
    await h.say(BUDI, "Managed")  # the request goes on where it was
    assert h.last_reply(BUDI).text == wt.ASK_QUANTITY


# --- ids out of range in the technicians' links ----------------------------------------------


@pytest.mark.parametrize("payload", ["mr_99999999999", "rr_2147483648", "mr_" + "9" * 32, "rr_0"])
async def test_a_technician_link_with_an_id_out_of_range_is_answered(
    h: Harness, payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    with too_large_for_the_database(h) as overflowing:
        await h.say(BUDI, f"/start {payload}")
    assert overflowing == []
    reply = h.last_reply(BUDI).text
    assert reply != GENERIC_ERROR
    assert set(h.app.user_data.get(BUDI.id, {})) <= {"form"}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# Other characters that show nothing: a direction mark, a soft hyphen, the Hangul filler and the
# Braille blank (the usual ways to send a "blank" Telegram message), an invisible separator.
INVISIBLE = "\u200e\u00ad\u3164\u2800\u2063\u180e"


async def test_text_of_other_invisible_characters_is_no_reason_and_no_report_text(
    h: Harness,
) -> None:
    ticket_id, _ = await _reject_report(h)
    await h.say(PJ, INVISIBLE * 3)
    assert h.last_reply(PJ).text == NO_REASON
    assert (await load_ticket(h, ticket_id)).status == "NEW"

    await h.say(SITI, "/lapor")
    await h.press(SITI, h.with_button(SITI.id, "Wi-Fi"), "Wi-Fi")
    await h.press(SITI, h.with_button(SITI.id, "Satu ruangan"), "Satu ruangan")
    await h.say(SITI, "Aula")
    await h.say(SITI, INVISIBLE * 2)
    assert "Uraian harus 10 sampai 2000 karakter" in h.last_reply(SITI).text
    assert "description" not in h.app.user_data[SITI.id]["report"]
