"""The private wizards of the repair procedure: material request, repair report, sign-off with
the berita acara and the rating, a letter sent later, the berita acara sent again."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot import callbacks
from bot.services import profiles, tickets, workflow
from bot.services.context import Context
from bot.services.domain import (
    Actor,
    Category,
    Decision,
    Impact,
    MaterialLine,
    ReplacedLine,
    Role,
)
from bot.services.tickets import ReportDraft
from bot.texts import berita_acara as bt
from bot.texts import report as rt
from bot.texts import wizards as t
from db.models import (
    Attachment,
    BaConfirmation,
    BeritaAcara,
    MaterialRequest,
    RepairReport,
)
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import GROUP_ID, Harness
from tests.stories import load_ticket

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
JOKO = Person(2003, "Joko")
BUDI = Person(3001, "Budi", "Santoso")
ANDI = Person(3002, "Andi")
PJ = Person(4001, "Pak", "Koordinator")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A harness whose reports go straight to the group, with the people of the procedure."""
    await harness.reporter(SITI, "dinkes")
    await harness.reporter(JOKO, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(ANDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    for technician in (BUDI, ANDI):  # their profiles hold what the berita acara prints
        async with harness.services.uow() as uow:
            ctx = harness.services.context(Actor(technician.id))
            await profiles.change(uow, ctx, profiles.Field.POSITION, "Teknisi Jaringan")
    return harness


# --- arranging through services --------------------------------------------------------------


def _ctx(h: Harness, person: Person | None = None) -> Context:
    return h.services.context(Actor(person.id) if person else None)


async def _call(h: Harness, fn: Any, *args: Any, **kwargs: Any) -> Any:
    async with h.services.uow() as uow:
        result = await fn(uow, *args, **kwargs)
    await h.delivery.wait_idle()  # the notices reach their chats as after an update
    return result


async def _checking(h: Harness) -> int:
    """A report of Siti's OPD, claimed by Budi."""
    s = h.services
    draft = ReportDraft(
        Category.DEVICE, Impact.ONE_ROOM, "Ruang TU", "Switch mati total.", "081234567890"
    )
    view = await _call(h, tickets.create_report, s.context(Actor(SITI.id)), draft)
    await _call(h, tickets.claim, s.context(Actor(BUDI.id)), view.id)
    return int(view.id)


APPROVED = [
    MaterialLine("Switch 24 port", "Managed, gigabit", 1, "unit"),
    MaterialLine("Patch cord", "Cat6 1 m", 4, "buah"),
]


async def _repairing(h: Harness, heavy: bool = False) -> int:
    ticket_id = await _checking(h)
    if heavy:
        request = await _call(
            h,
            workflow.submit_material_request,
            _ctx(h, BUDI),
            ticket_id,
            APPROVED,
            "Switch terbakar",
            [],
        )
        await _call(h, workflow.decide_material, _ctx(h, PJ), request.id, Decision.APPROVE)
    else:
        await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    return ticket_id


async def _repaired(h: Harness) -> int:
    ticket_id = await _repairing(h)
    await _call(
        h,
        workflow.report_repair,
        _ctx(h, BUDI),
        ticket_id,
        diagnosis="Adaptor switch rusak",
        actions="Mengganti adaptor switch",
        items=[ReplacedLine("Adaptor switch 12V", 1, "unit", "AD-OLD-1", "AD-NEW-9")],
        photos=[],
    )
    return ticket_id


async def _rows(h: Harness, model: Any) -> list[Any]:
    async with h.services.uow() as uow:
        return list((await uow.session.scalars(select(model).order_by(model.id))).unique().all())


# --- acting through the bot ------------------------------------------------------------------


def _last_answer(h: Harness) -> str:
    return str(h.api.by_method("answerCallbackQuery")[-1].params.get("text") or "")


def _pdf_text(call: ApiCall) -> str:
    ((name, content),) = call.files.values()
    assert name.endswith(".pdf")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def _draft(h: Harness, person: Person, key: str) -> object:
    return h.app.user_data.get(person.id, {}).get(key)


# --- material request (procedure 6) ----------------------------------------------------------


async def test_material_request_with_two_items_and_a_photo(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    assert "BN-2026-00001" in h.replies_to(BUDI)[-2].text
    assert "Barang ke-1" in h.last_reply(BUDI).text
    await h.say(BUDI, "Switch 24 port")
    await h.say(BUDI, "Managed, gigabit")
    await h.say(BUDI, "satu")
    assert t.QUANTITY_ERROR in h.last_reply(BUDI).text
    await h.say(BUDI, "1")
    assert [label for label, _ in h.last_reply(BUDI).buttons] == list(t.UNITS)
    await h.choose(BUDI, "unit")
    listing = h.last_reply(BUDI)
    assert "1. Switch 24 port (Managed, gigabit): 1 unit" in listing.text
    await h.press(BUDI, listing, t.ADD_ITEM)
    assert "Barang ke-2" in h.last_reply(BUDI).text
    await h.say(BUDI, "Kabel UTP Cat6")
    await h.say(BUDI, "-")
    await h.say(BUDI, "2")
    await h.say(BUDI, "box")  # a unit without a button is typed
    assert "2. Kabel UTP Cat6: 2 box" in h.last_reply(BUDI).text
    await h.choose(BUDI, t.DONE)
    assert h.last_reply(BUDI).text == t.ASK_REASON
    await h.say(BUDI, "Switch terbakar tersambar petir; kabel uplink putus.")
    assert h.last_reply(BUDI).text == t.ASK_MR_PHOTOS
    await h.process(h.updates.photo(BUDI, "foto-switch"))
    assert "Foto 1 dari" in h.last_reply(BUDI).text
    await h.choose(BUDI, t.DONE)
    summary = h.last_reply(BUDI)
    assert "Switch 24 port" in summary.text and "Kabel UTP Cat6" in summary.text
    assert "Foto: 1" in summary.text
    assert [label for label, _ in summary.buttons] == [
        t.MR_SEND,
        t.ADD_ITEM_SHORT,
        t.MR_DROP_LAST,
        t.MR_EDIT_REASON,
        t.CANCEL,
    ]

    await h.press(BUDI, summary, t.MR_SEND)

    assert "dikirim dan menunggu persetujuan" in h.last_reply(BUDI).text
    assert (await load_ticket(h, ticket_id)).status == "AWAITING_APPROVAL"
    (request,) = await _rows(h, MaterialRequest)
    assert request.reason.startswith("Switch terbakar") and request.status == "pending"
    assert [(i.name, i.specification, i.quantity, i.unit) for i in request.items] == [
        ("Switch 24 port", "Managed, gigabit", 1, "unit"),
        ("Kabel UTP Cat6", "-", 2, "box"),
    ]
    photos = [a for a in await _rows(h, Attachment) if a.kind == "material"]
    assert [a.file_id for a in photos] == ["foto-switch"]
    assert h.replies_to(PJ), "the penanggung jawab receives the approval card"
    assert await _draft(h, BUDI, "material") is None
    # The summary's buttons are gone with the draft.
    await h.press_data(BUDI, dict(summary.buttons)[t.MR_SEND], BUDI.id)
    assert _last_answer(h) == t.STALE_BUTTON
    assert len(await _rows(h, MaterialRequest)) == 1


async def test_material_summary_drops_the_last_item_and_changes_the_reason(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    for name, quantity in (("Switch 24 port", "1"), ("Access point", "3")):
        await h.say(BUDI, name)
        await h.say(BUDI, "-")
        await h.say(BUDI, quantity)
        await h.choose(BUDI, "unit")
        await h.choose(BUDI, t.ADD_ITEM if name == "Switch 24 port" else t.DONE)
    await h.say(BUDI, "Perangkat rusak total.")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.MR_DROP_LAST)
    edited = h.api.by_method("editMessageText")[-1]
    assert "Switch 24 port" in edited.text and "Access point" not in edited.text
    await h.choose(BUDI, t.MR_EDIT_REASON)
    await h.say(BUDI, "Switch mati setelah lonjakan listrik.")
    summary = h.last_reply(BUDI)
    assert "lonjakan listrik" in summary.text and "Foto: tidak ada" in summary.text
    await h.press(BUDI, summary, t.MR_SEND)
    (request,) = await _rows(h, MaterialRequest)
    assert [i.name for i in request.items] == ["Switch 24 port"]
    assert request.reason == "Switch mati setelah lonjakan listrik."


async def test_material_wizard_reprompts_wrong_input_and_cancels(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    await h.process(h.updates.sticker(BUDI))
    assert h.last_reply(BUDI).text.startswith(t.NEED_TEXT)
    await h.process(h.updates.document(BUDI, "doc-1"))
    assert h.last_reply(BUDI).text.startswith(t.NEED_TEXT)
    await h.say(BUDI, "x")
    assert h.last_reply(BUDI).text.startswith(t.ITEM_NAME_ERROR)
    await h.say(BUDI, "Switch")
    await h.say(BUDI, "-")
    await h.say(BUDI, "20000")
    assert h.last_reply(BUDI).text.startswith(t.QUANTITY_ERROR)
    await h.say(BUDI, "1")
    await h.say(BUDI, "satuan yang terlalu panjang sekali")
    assert h.last_reply(BUDI).text.startswith(t.UNIT_ERROR)
    await h.process(h.updates.voice(BUDI))
    assert h.last_reply(BUDI).text.startswith(t.NEED_TEXT)
    await h.choose(BUDI, "set")
    await h.say(BUDI, "Halo")
    assert h.last_reply(BUDI).text.startswith(t.NEED_BUTTON)
    await h.choose(BUDI, t.DONE)
    await h.say(BUDI, "ok")
    assert "Alasan kebutuhan harus" in h.last_reply(BUDI).text
    await h.say(BUDI, "Switch rusak.")
    await h.say(BUDI, "foto menyusul")
    assert h.last_reply(BUDI).text == t.NEED_PHOTO + "\n\n" + t.ASK_MR_PHOTOS
    await h.process(h.updates.document(BUDI, "zip-1", "application/zip", file_name="a.zip"))
    assert h.last_reply(BUDI).text == t.PHOTO_FILE_TYPE
    await h.say(BUDI, "/status")
    assert h.last_reply(BUDI).text == t.BUSY

    await h.say(BUDI, "/batal")

    assert h.last_reply(BUDI).text == t.MR_CANCELLED
    assert await _draft(h, BUDI, "material") is None
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    assert await _rows(h, MaterialRequest) == []


async def test_material_draft_survives_a_restart(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    await h.say(BUDI, "Switch 24 port")
    await h.restart()
    await h.say(BUDI, "Managed")
    assert h.last_reply(BUDI).text == t.ASK_QUANTITY


async def test_the_material_links_refuse_everyone_but_the_assignee(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(ANDI, f"/start mr_{ticket_id}")
    assert "ditangani teknisi lain" in h.last_reply(ANDI).text
    await h.say(ANDI, f"/start rr_{ticket_id}")
    assert "ditangani teknisi lain" in h.last_reply(ANDI).text
    await h.say(SITI, f"/start mr_{ticket_id}")
    assert "tidak berwenang" in h.last_reply(SITI).text
    await h.say(BUDI, "/start mr_999999")
    assert "tidak ditemukan" in h.last_reply(BUDI).text
    await h.say(BUDI, f"/start rr_{ticket_id}")  # not yet in repair
    assert "Pengecekan dan diagnosis" in h.last_reply(BUDI).text
    assert await _draft(h, ANDI, "material") is None
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"


# --- repair report (procedure 8-9) -----------------------------------------------------------


async def test_light_repair_report_without_replacement(h: Harness) -> None:
    ticket_id = await _repairing(h)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    assert h.last_reply(BUDI).text == t.ASK_DIAGNOSIS
    await h.say(BUDI, "Konektor RJ45 longgar")
    await h.say(BUDI, "Mengganti konektor dan merapikan kabel")
    await h.choose(BUDI, t.SKIP)
    ask = h.last_reply(BUDI)
    assert [label for label, _ in ask.buttons] == [t.ADD_DEVICE, t.NO_REPLACEMENT]
    await h.press(BUDI, ask, t.NO_REPLACEMENT)
    summary = h.last_reply(BUDI)
    assert "Perangkat diganti:\ntidak ada" in summary.text

    await h.press(BUDI, summary, t.RR_SEND)

    assert "Laporan perbaikan tiket BN-2026-00001 terkirim" in h.last_reply(BUDI).text
    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"
    (report,) = await _rows(h, RepairReport)
    assert report.diagnosis == "Konektor RJ45 longgar" and report.items == []
    assert "Sudah normal" in dict(h.with_button(SITI.id, "Sudah normal").buttons)


async def test_heavy_repair_report_takes_over_the_approved_list(h: Harness) -> None:
    ticket_id = await _repairing(h, heavy=True)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, "Switch terbakar tersambar petir")
    await h.say(BUDI, "Mengganti switch dan patch cord")
    await h.process(h.updates.photo(BUDI, "foto-setelah"))
    await h.choose(BUDI, t.DONE)
    ask = h.last_reply(BUDI)
    assert "Switch 24 port" in ask.text
    assert [label for label, _ in ask.buttons] == [t.USE_APPROVED, t.ADD_DEVICE, t.NO_REPLACEMENT]
    await h.press(BUDI, ask, t.USE_APPROVED)
    assert "Perangkat 1 dari 2: <b>Switch 24 port</b>" in h.last_reply(BUDI).text
    await h.say(BUDI, "tanpa pemisah")
    assert h.last_reply(BUDI).text.startswith(t.SERIAL_PAIR_ERROR)
    await h.say(BUDI, "SW-OLD-1 / SW-NEW-2")
    assert "Perangkat 2 dari 2" in h.last_reply(BUDI).text
    await h.say(BUDI, "-")
    listing = h.last_reply(BUDI)
    assert "no. seri lama SW-OLD-1, baru SW-NEW-2" in listing.text
    assert [label for label, _ in listing.buttons] == [t.ADD_DEVICE, t.DONE]
    await h.press(BUDI, listing, t.ADD_DEVICE)
    await h.say(BUDI, "Adaptor 12V")
    await h.say(BUDI, "1")
    await h.choose(BUDI, "buah")
    await h.say(BUDI, "AD-1")
    await h.say(BUDI, "x" * 65)
    assert h.last_reply(BUDI).text.startswith(t.SERIAL_ERROR)
    await h.say(BUDI, "AD-2")
    await h.choose(BUDI, t.DONE)
    assert h.last_reply(BUDI).text == bt.ASK_DISPOSITION
    await h.choose(BUDI, bt.DISPOSITION_BUTTONS["stored"])
    summary = h.last_reply(BUDI)
    assert "Foto setelah perbaikan: 1" in summary.text
    assert "Perangkat lama: disimpan di Dinas Kominfo." in summary.text
    assert "mengonfirmasi isi berita acara" in summary.text

    await h.press(BUDI, summary, t.RR_SEND)

    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"
    (report,) = await _rows(h, RepairReport)
    assert [(i.name, i.quantity, i.unit, i.old_serial, i.new_serial) for i in report.items] == [
        ("Switch 24 port", 1, "unit", "SW-OLD-1", "SW-NEW-2"),
        ("Patch cord", 4, "buah", None, None),
        ("Adaptor 12V", 1, "buah", "AD-1", "AD-2"),
    ]
    assert {i.disposition for i in report.items} == {"stored"}
    (confirmed,) = await _rows(h, BaConfirmation)
    assert (confirmed.party, confirmed.telegram_id) == ("technician", BUDI.id)
    assert confirmed.confirmed_at is not None and confirmed.position == "Teknisi Jaringan"
    after = [a.file_id for a in await _rows(h, Attachment) if a.kind == "after"]
    assert after == ["foto-setelah"]


async def test_repair_summary_edits_a_field(h: Harness) -> None:
    ticket_id = await _repairing(h)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, "Kabel putus")
    await h.say(BUDI, "Menyambung kabel")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.NO_REPLACEMENT)
    await h.choose(BUDI, t.RR_EDIT)
    menu = h.api.by_method("editMessageText")[-1]
    assert [label for label, _ in menu.buttons] == [*t.RR_EDIT_FIELDS.values(), t.BACK]
    await h.choose(BUDI, "Tindakan")
    assert h.last_reply(BUDI).text == t.ASK_ACTIONS
    await h.say(BUDI, "Mengganti kabel UTP sepanjang 20 meter")
    summary = h.last_reply(BUDI)
    assert "Tindakan: Mengganti kabel UTP" in summary.text
    await h.press(BUDI, summary, t.RR_SEND)
    (report,) = await _rows(h, RepairReport)
    assert report.actions == "Mengganti kabel UTP sepanjang 20 meter"


# --- what the engine does for both forms -----------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def _answers(h: Harness) -> list[ApiCall]:
    return h.api.by_method("answerCallbackQuery")


def _edits(h: Harness) -> list[ApiCall]:
    return h.api.to_chat(BUDI.id, "editMessageText")


async def _material_until_summary(h: Harness, *names: str) -> ApiCall:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    for index, name in enumerate(names):
        if index:
            await h.choose(BUDI, t.ADD_ITEM)
        await h.say(BUDI, name)
        await h.say(BUDI, "-")
        await h.say(BUDI, "1")
        await h.choose(BUDI, "unit")
    await h.choose(BUDI, t.DONE)
    await h.say(BUDI, "Perangkat rusak total.")
    await h.choose(BUDI, t.SKIP)
    return h.last_reply(BUDI)


async def test_a_second_form_is_refused_while_the_material_form_is_open(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")
    await h.say(BUDI, "Switch 24 port")

    await h.say(BUDI, "/lapor")

    assert h.last_reply(BUDI).text == t.form_open(t.MR_TITLE)
    assert set(h.app.user_data[BUDI.id]) == {"material", "form"}
    await h.say(BUDI, f"/start rr_{ticket_id}")  # the other technician's form: a command here
    assert h.last_reply(BUDI).text == t.BUSY
    await h.say(BUDI, "Managed")  # the request goes on where it was
    assert h.last_reply(BUDI).text == t.ASK_QUANTITY


async def test_the_material_link_is_refused_while_a_repair_report_is_open(h: Harness) -> None:
    repairing = await _repairing(h)
    checking = await _checking(h)
    await h.say(BUDI, f"/start rr_{repairing}")
    await h.say(BUDI, "Konektor RJ45 longgar")

    await h.say(BUDI, f"/start mr_{checking}")

    assert h.last_reply(BUDI).text == t.form_open(t.RR_TITLE)
    assert await _draft(h, BUDI, "material") is None
    await h.say(BUDI, "Mengganti konektor")
    assert h.last_reply(BUDI).text == t.ASK_RR_PHOTOS
    await h.say(BUDI, "/batal")
    await h.say(BUDI, f"/start mr_{checking}")
    assert "Barang ke-1" in h.last_reply(BUDI).text


async def test_zero_width_text_is_refused_at_the_material_text_steps(h: Harness) -> None:
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")

    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.ITEM_NAME_ERROR
    await h.say(BUDI, "Switch 24 port")
    await h.say(BUDI, f" {ZERO_WIDTH} ")
    assert h.last_reply(BUDI).text == t.SPEC_ERROR
    await h.say(BUDI, "-")
    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.QUANTITY_ERROR
    await h.say(BUDI, "1")
    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.UNIT_ERROR
    await h.choose(BUDI, "unit")
    await h.choose(BUDI, t.DONE)
    await h.say(BUDI, ZERO_WIDTH * 4)
    assert "Alasan kebutuhan harus" in h.last_reply(BUDI).text
    draft = await _draft(h, BUDI, "material")
    assert isinstance(draft, dict) and "reason" not in draft
    assert draft["items"] == [
        {"name": "Switch 24 port", "spec": "-", "quantity": 1, "unit": "unit"}
    ]


async def test_zero_width_text_is_refused_at_the_repair_text_steps(h: Harness) -> None:
    ticket_id = await _repairing(h, heavy=True)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, ZERO_WIDTH * 4)
    assert "Hasil diagnosis harus" in h.last_reply(BUDI).text
    await h.say(BUDI, "Switch terbakar")
    await h.say(BUDI, "Mengganti switch")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.USE_APPROVED)
    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.SERIAL_PAIR_ERROR
    await h.say(BUDI, "-")
    await h.say(BUDI, "-")
    await h.choose(BUDI, t.ADD_DEVICE)
    await h.say(BUDI, "Adaptor 12V")
    await h.say(BUDI, "1")
    await h.choose(BUDI, "buah")
    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.SERIAL_ERROR
    await h.say(BUDI, "AD-1")
    await h.say(BUDI, ZERO_WIDTH)
    assert h.last_reply(BUDI).text == t.SERIAL_ERROR
    await h.say(BUDI, "-")
    assert "no. seri lama AD-1, baru -" in h.last_reply(BUDI).text


async def test_a_double_tap_on_drop_last_drops_one_item_and_edits_once(h: Harness) -> None:
    summary = await _material_until_summary(h, "Switch 24 port", "Access point", "Patch cord")
    edits = len(_edits(h))

    await h.press(BUDI, summary, t.MR_DROP_LAST)
    await h.press(BUDI, summary, t.MR_DROP_LAST)  # sent before the new buttons arrived

    assert len(_edits(h)) == edits + 1
    redrawn = _edits(h)[-1]
    assert "Access point" in redrawn.text and "Patch cord" not in redrawn.text
    assert [a.params.get("text") for a in _answers(h)[-2:]] == [None, t.STALE_BUTTON]
    await h.press(BUDI, redrawn, t.MR_DROP_LAST)  # a press on the new buttons counts
    assert "Access point" not in _edits(h)[-1].text
    await h.choose(BUDI, t.MR_SEND)
    (request,) = await _rows(h, MaterialRequest)
    assert [i.name for i in request.items] == ["Switch 24 port"]


async def test_a_double_tap_on_the_repair_field_menu_edits_once(h: Harness) -> None:
    ticket_id = await _repairing(h)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, "Kabel putus")
    await h.say(BUDI, "Menyambung kabel")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.NO_REPLACEMENT)
    summary = h.last_reply(BUDI)
    seen = len(_answers(h))

    await h.press(BUDI, summary, t.RR_EDIT)
    await h.press(BUDI, summary, t.RR_EDIT)

    assert len(_edits(h)) == 1
    assert _edits(h)[0].text == t.ASK_EDIT
    assert [a.params.get("text") for a in _answers(h)[seen:]] == [None, None]


async def test_every_press_of_both_forms_is_answered_once(h: Harness) -> None:
    summary = await _material_until_summary(h, "Switch 24 port", "Access point")
    await h.press(BUDI, summary, t.MR_SEND)
    await h.press(BUDI, summary, t.MR_SEND)  # the form is gone: stale
    await _call(h, workflow.decide_material, _ctx(h, PJ), 1, Decision.APPROVE)
    await h.say(BUDI, "/start rr_1")
    await h.say(BUDI, "Switch rusak")
    await h.say(BUDI, "Mengganti switch")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.USE_APPROVED)
    await h.say(BUDI, "-")
    await h.say(BUDI, "-")
    await h.choose(BUDI, t.DONE)
    await h.choose(BUDI, bt.DISPOSITION_BUTTONS["returned"])
    await h.choose(BUDI, t.RR_SEND)

    presses = [
        line for line in h.transcript if line.startswith(">>> Budi") and " presses [" in line
    ]
    assert len(_answers(h)) == len(presses) == 12
    assert [a.params.get("text") for a in _answers(h)].count(t.STALE_BUTTON) == 1
    assert (await load_ticket(h, 1)).status == "REPAIRED"


@pytest.mark.parametrize("data", ["v1:wz_mr:abcdef_done", "v1:wz_rr:abcdef_send"])
async def test_buttons_of_the_forms_before_the_engine_are_stale(h: Harness, data: str) -> None:
    await h.press_data(BUDI, data, BUDI.id)
    assert _last_answer(h) == t.STALE_BUTTON
    ticket_id = await _checking(h)
    await h.say(BUDI, f"/start mr_{ticket_id}")

    await h.press_data(BUDI, data, BUDI.id)

    assert _last_answer(h) == t.STALE_BUTTON
    assert "Barang ke-1" in h.last_reply(BUDI).text


# --- sign-off, berita acara and rating (procedure 10) ----------------------------------------


async def test_sign_off_with_the_prefilled_signatory_then_rating_with_comment(
    h: Harness,
) -> None:
    ticket_id = await _repaired(h)
    question = h.with_button(SITI.id, "Sudah normal")
    await h.press(SITI, question, "Sudah normal")
    confirm = h.last_reply(SITI)
    assert "Nama: Siti Aminah" in confirm.text and "Jabatan: Pranata Komputer" in confirm.text
    assert [label for label, _ in confirm.buttons] == [t.SIGN, t.EDIT_SIGNATORY]

    await h.press(SITI, confirm, t.SIGN)

    ticket = await load_ticket(h, ticket_id)
    assert ticket.status == "CLOSED"
    (ba,) = await _rows(h, BeritaAcara)
    assert ba.signatory_name == "Siti Aminah" and ba.signatory_nip is None
    (document,) = h.api.to_chat(SITI.id, "sendDocument")
    assert ba.number in document.text
    text = _pdf_text(document)
    assert ba.number in text and "Siti Aminah" in text
    cleared = h.api.by_method("editMessageReplyMarkup")[-1]
    assert cleared.params["message_id"] == question.message_id
    rating = h.last_reply(SITI)
    assert [label for label, _ in rating.buttons] == list(t.RATINGS.values())
    assert dict(rating.buttons)["Sangat baik"] == callbacks.make(callbacks.RATE, f"{ticket_id}_4")
    await h.press(SITI, rating, "Sangat baik")
    assert "Sangat baik" in h.last_reply(SITI).text
    await h.say(SITI, "Pelayanan cepat dan ramah")
    assert "Sangat baik" in h.last_reply(SITI).text and "dicatat" in h.last_reply(SITI).text
    ticket = await load_ticket(h, ticket_id)
    assert ticket.rating == 4 and ticket.rating_comment == "Pelayanan cepat dan ramah"
    assert await _draft(h, SITI, "sign_off") is None


async def test_a_rating_pressed_later_still_counts_once(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    await h.say(SITI, "/batal")
    assert h.last_reply(SITI).text == t.RATING_LATER
    rating = h.with_button(SITI.id, "Kurang baik")

    await h.press(SITI, rating, "Kurang baik")

    assert h.last_reply(SITI).text == t.thanks("BN-2026-00001", 2)
    assert (await load_ticket(h, ticket_id)).rating == 2
    await h.press(SITI, rating, "Sangat baik")
    assert "sudah diberikan" in _last_answer(h)
    assert (await load_ticket(h, ticket_id)).rating == 2
    await h.press_data(JOKO, callbacks.make(callbacks.RATE, f"{ticket_id}_1"), JOKO.id)
    assert "tidak ditemukan" in _last_answer(h)
    await h.press_data(SITI, "v1:rate:abc_9", SITI.id)
    assert _last_answer(h) == t.STALE_BUTTON


async def test_a_score_pressed_before_the_timeout_is_kept(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    await h.choose(SITI, "Baik")
    assert h.app.job_queue is not None
    (job,) = h.app.job_queue.get_jobs_by_name("_trigger_timeout")

    await job.run(h.app)
    await h.delivery.wait_idle()

    assert (await load_ticket(h, ticket_id)).rating == 3
    assert await _draft(h, SITI, "sign_off") is None


async def test_sign_off_refusals_change_nothing(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.press_data(JOKO, callbacks.make(callbacks.FIXED, ticket_id), JOKO.id)
    assert "tidak ditemukan" in _last_answer(h)
    await h.press_data(BUDI, callbacks.make(callbacks.FIXED, ticket_id), BUDI.id)
    assert "tidak berwenang" in _last_answer(h)
    await h.press_data(SITI, "v1:fix_ok:abc", SITI.id)
    assert _last_answer(h) == t.STALE_BUTTON
    await h.choose(SITI, "Sudah normal")
    confirm = h.last_reply(SITI)
    await h.press_data(SITI, "v1:wz_sg:ffffff_sign", SITI.id)  # forged nonce
    assert _last_answer(h) == t.STALE_BUTTON
    await h.say(SITI, "ya")
    assert h.last_reply(SITI).text.startswith(t.NEED_SIGN)
    await h.say(SITI, "/batal")
    assert h.last_reply(SITI).text == t.SIGN_CANCELLED
    await h.press(SITI, confirm, t.SIGN)  # the confirmation of the cancelled sign-off
    assert _last_answer(h) == t.STALE_BUTTON
    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"
    assert await _rows(h, BeritaAcara) == []
    await h.choose(SITI, "Sudah normal")  # the question still works
    await h.choose(SITI, t.SIGN)
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"
    await h.choose(SITI, "Sudah normal")  # pressed again after closing
    assert "Selesai" in _last_answer(h)


async def test_a_second_form_is_refused_while_the_sign_off_is_open(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")

    await h.say(SITI, "/lapor")

    assert h.last_reply(SITI).text == t.form_open(t.SIGN_TITLE)
    assert "report" not in h.app.user_data[SITI.id]
    await h.choose(SITI, t.SIGN)  # the sign-off goes on where it was
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"
    await h.say(SITI, "/lapor")  # still open while the rating is asked
    assert h.last_reply(SITI).text == t.form_open(t.SIGN_TITLE)
    await h.choose(SITI, "Baik")
    await h.choose(SITI, t.SKIP)
    assert (await load_ticket(h, ticket_id)).rating == 3
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == rt.ASK_CATEGORY


async def test_sudah_normal_during_a_report_is_refused_with_an_alert(h: Harness) -> None:
    ticket_id = await _repaired(h)
    question = h.with_button(SITI.id, "Sudah normal")
    await h.say(SITI, "/lapor")

    await h.press(SITI, question, "Sudah normal")

    answer = h.api.by_method("answerCallbackQuery")[-1]
    assert answer.params["text"] == t.form_open(rt.TITLE) and answer.params["show_alert"]
    assert await _draft(h, SITI, "sign_off") is None
    assert h.last_reply(SITI).text == rt.ASK_CATEGORY
    await h.say(SITI, "/batal")
    await h.press(SITI, question, "Sudah normal")
    assert "Nama: Siti Aminah" in h.last_reply(SITI).text
    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"


async def test_a_double_tap_on_sign_signs_and_edits_once(h: Harness) -> None:
    await _repaired(h)
    question = h.with_button(SITI.id, "Sudah normal")
    await h.press(SITI, question, "Sudah normal")
    confirm = h.last_reply(SITI)
    edits = len(h.api.by_method("editMessageReplyMarkup"))

    await h.press(SITI, confirm, t.SIGN)
    await h.press(SITI, confirm, t.SIGN)

    cleared = h.api.by_method("editMessageReplyMarkup")[edits:]
    assert [c.params["message_id"] for c in cleared] == [confirm.message_id, question.message_id]
    assert _last_answer(h) == t.STALE_BUTTON
    assert len(await _rows(h, BeritaAcara)) == 1
    assert len(h.api.to_chat(SITI.id, "sendDocument")) == 1
    assert h.last_reply(SITI).text == t.ask_rating("BN-2026-00001")


async def test_a_double_tap_on_a_rating_asks_for_the_comment_once(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    rating = h.last_reply(SITI)
    edits = len(h.api.by_method("editMessageReplyMarkup"))
    sent = len(h.api.to_chat(SITI.id, "sendMessage"))

    await h.press(SITI, rating, "Baik")
    await h.press(SITI, rating, "Baik")

    assert len(h.api.by_method("editMessageReplyMarkup")) == edits + 1
    assert [c.text for c in h.api.to_chat(SITI.id, "sendMessage")[sent:]] == [t.ask_comment(3)]
    assert [a.params.get("text") for a in h.api.by_method("answerCallbackQuery")[-2:]] == [
        None,
        None,
    ]
    await h.say(SITI, "Cepat")
    assert (await load_ticket(h, ticket_id)).rating_comment == "Cepat"


# --- the letter sent later and the berita acara again ----------------------------------------


async def test_a_letter_sent_later_reaches_the_group(h: Harness) -> None:
    ticket_id = await _checking(h)
    assert (await load_ticket(h, ticket_id)).letter_status == "follows"
    button = callbacks.make(callbacks.LETTER_ADD, ticket_id)
    await h.press_data(SITI, button, SITI.id)
    assert h.last_reply(SITI).text == t.ASK_LETTER
    await h.say(SITI, "suratnya besok")
    assert h.last_reply(SITI).text == t.NEED_LETTER
    await h.process(h.updates.document(SITI, "zip", "application/zip", file_name="surat.zip"))
    assert h.last_reply(SITI).text == t.LETTER_FILE_TYPE
    await h.process(h.updates.document(SITI, "big", size=30 * 1024 * 1024))
    assert "melebihi batas 20 MB" in h.last_reply(SITI).text
    seen = len(h.api.to_chat(GROUP_ID))

    await h.process(h.updates.document(SITI, "surat-1"))
    await h.choose(SITI, "Lewati")  # its number
    await h.choose(SITI, "Lewati")  # its date

    assert "BN-2026-00001</code> diterima dan diteruskan" in h.last_reply(SITI).text
    assert (await load_ticket(h, ticket_id)).letter_status == "attached"
    letters = [a.file_id for a in await _rows(h, Attachment) if a.kind == "letter"]
    assert letters == ["surat-1"]
    assert any(c.params.get("document") == "surat-1" for c in h.api.to_chat(GROUP_ID)[seen:])
    # Refused at the press, before anyone is asked for a file.
    await h.press_data(SITI, button, SITI.id)
    assert "sudah terlampir" in _last_answer(h)
    await h.press_data(JOKO, button, JOKO.id)
    assert "tidak ditemukan" in _last_answer(h)
    await h.process(h.updates.photo(JOKO, "surat-3"))
    assert len([a for a in await _rows(h, Attachment) if a.kind == "letter"]) == 1


async def test_the_berita_acara_is_sent_again_to_those_who_may_see_it(h: Harness) -> None:
    ticket_id = await _repaired(h)
    button = callbacks.make(callbacks.BA_RESEND, ticket_id)
    await h.press_data(SITI, button, SITI.id)
    assert "tidak ditemukan" in _last_answer(h)  # not signed yet
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    (ba,) = await _rows(h, BeritaAcara)

    await h.press_data(SITI, button, SITI.id)

    document = h.api.to_chat(SITI.id, "sendDocument")[-1]
    assert len(h.api.to_chat(SITI.id, "sendDocument")) == 2
    assert ba.number in _pdf_text(document)
    await h.press_data(BUDI, button, BUDI.id)
    assert ba.number in _pdf_text(h.api.to_chat(BUDI.id, "sendDocument")[-1])
    await h.press_data(JOKO, button, JOKO.id)
    assert "tidak ditemukan" in _last_answer(h)
    assert h.api.to_chat(JOKO.id, "sendDocument") == []
    await h.press_data(SITI, "v1:ba_send:x", SITI.id)
    assert _last_answer(h) == t.STALE_BUTTON
