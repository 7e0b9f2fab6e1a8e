"""The repair procedure through the real Application: coordinator cards, job-card buttons,
reason prompts, the reporter's question and the berita acara in the group."""

from __future__ import annotations

import pytest

from bot.services import workflow
from bot.services.berita_acara.confirmations import SignerChoice, SignerKind
from bot.services.context import Context
from bot.services.domain import (
    Actor,
    MaterialLine,
    ReplacedLine,
    Role,
)
from tests.factories import Person
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, load_ticket, reported

ANDI = Person(3002, "Andi", "Wijaya")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition, with a reporter, two technicians and a coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(ANDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


def _ctx(h: Harness, person: Person | None = None) -> Context:
    return h.services.context(Actor(person.id) if person else None)


async def _dispose_to_team(h: Harness) -> int:
    ticket_id = await reported(h)
    await h.press(
        PJ,
        h.with_button(PJ.id, "Disposisikan kepada tim teknis"),
        "Disposisikan kepada tim teknis",
    )
    await h.press(PJ, h.with_button(PJ.id, "Tanpa catatan"), "Tanpa catatan")
    return ticket_id


async def _claimed(h: Harness) -> int:
    ticket_id = await _dispose_to_team(h)
    await h.press(BUDI, h.with_button(GROUP_ID, "Ambil"), "Ambil")
    return ticket_id


def _alerts(h: Harness) -> list[str]:
    return [str(c.params.get("text", "")) for c in h.api.by_method("answerCallbackQuery")]


async def test_coordinator_dispositions_to_the_team(h: Harness) -> None:
    ticket_id = await reported(h)
    assert h.api.to_chat(GROUP_ID) == []  # nothing reaches the group before the disposition
    card = h.with_button(PJ.id, "Disposisikan kepada tim teknis")
    assert "menunggu disposisi" in card.text
    assert [label for label, _ in card.buttons] == [
        "Disposisikan kepada tim teknis",
        "Disposisikan kepada teknisi tertentu",
        "Tolak (bukan gangguan Batik.Net)",
    ]

    await h.press(PJ, card, "Disposisikan kepada tim teknis")
    assert "opsional" in h.last_reply(PJ).text
    await h.say(PJ, "Mohon diprioritaskan, pelayanan puskesmas terganggu")

    assert (await load_ticket(h, ticket_id)).status == "DISPOSED"
    job = h.with_button(GROUP_ID, "Ambil")
    assert "BN-2026-00001" in job.text
    assert "Catatan disposisi: Mohon diprioritaskan" in job.text
    assert any("didisposisikan kepada tim teknis" in c.text for c in h.replies_to(PJ))
    edits = h.api.to_chat(PJ.id, "editMessageReplyMarkup")
    assert edits and edits[-1].params["message_id"] == card.message_id
    await h.say(SITI, "/tiket BN-2026-00001")
    assert "Mohon diprioritaskan" in h.last_reply(SITI).text


async def test_disposition_to_a_named_technician(h: Harness) -> None:
    ticket_id = await reported(h)
    await h.press(
        PJ,
        h.with_button(PJ.id, "Disposisikan kepada teknisi tertentu"),
        "Disposisikan kepada teknisi tertentu",
    )
    await h.press(PJ, h.with_button(PJ.id, "Andi"), "Andi")
    await h.press(PJ, h.with_button(PJ.id, "Tanpa catatan"), "Tanpa catatan")

    ticket = await load_ticket(h, ticket_id)
    assert ticket.status == "CHECKING"
    assert "Anda ditugaskan" in h.last_reply(ANDI).text
    assert any("Andi" in c.text for c in h.replies_to(SITI))
    assert "Ringan" in dict(h.api.to_chat(GROUP_ID, "sendMessage")[0].buttons)


async def test_reject_at_disposition_tells_the_reporter_why(h: Harness) -> None:
    ticket_id = await reported(h)
    await h.press(
        PJ,
        h.with_button(PJ.id, "Tolak (bukan gangguan Batik.Net)"),
        "Tolak (bukan gangguan Batik.Net)",
    )
    await h.say(PJ, "ok")  # too short: asked again
    assert "alasan" in h.last_reply(PJ).text.lower()
    await h.say(PJ, "Gangguan berasal dari provider internet mandiri OPD")

    assert (await load_ticket(h, ticket_id)).status == "CANCELLED"
    told = h.last_reply(SITI).text
    assert "tidak dapat ditindaklanjuti" in told and "provider internet mandiri" in told
    assert h.api.to_chat(GROUP_ID) == []


async def test_light_fault_hold_resume_and_reopen(h: Harness) -> None:
    ticket_id = await _claimed(h)
    await h.press(ANDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    assert "Hanya teknisi yang menangani" in _alerts(h)[-1]
    await h.press(SITI, h.with_button(GROUP_ID, "Tunda (menunggu OPD)"), "Tunda (menunggu OPD)")
    assert "tidak berwenang" in _alerts(h)[-1]

    await h.press(BUDI, h.with_button(GROUP_ID, "Tunda (menunggu OPD)"), "Tunda (menunggu OPD)")
    prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "alasan penundaan" in prompt.text and "tg://user?id=3001" in prompt.text
    assert prompt.params["reply_markup"]["force_reply"] is True
    await h.reply(BUDI, prompt, "Ruang server dikunci, menunggu kunci dari OPD")
    assert (await load_ticket(h, ticket_id)).status == "ON_HOLD"
    assert "ditunda" in h.last_reply(SITI).text
    card = h.api.to_chat(GROUP_ID, "editMessageText")[-1]
    assert [label for label, _ in card.buttons] == ["Lanjutkan"]

    await h.press(BUDI, card, "Lanjutkan")
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    assert (await load_ticket(h, ticket_id)).status == "REPAIRING"

    async with h.services.uow() as uow:
        await workflow.report_repair(
            uow,
            _ctx(h, BUDI),
            ticket_id,
            diagnosis="Konektor RJ45 longgar",
            actions="Mengganti konektor",
            items=[],
            photos=[],
        )
    await h.delivery.wait_idle()
    question = h.with_button(SITI.id, "Belum normal")
    assert "sudah normal kembali" in question.text
    await h.press(SITI, question, "Belum normal")
    await h.say(SITI, "Masih putus-putus di lantai 2")

    ticket = await load_ticket(h, ticket_id)
    assert ticket.status == "REPAIRING" and ticket.reopen_count == 1
    assert "belum normal" in h.last_reply(BUDI).text
    await h.press(SITI, question, "Belum normal")  # the old question again
    assert "saat ini berstatus «Perbaikan»" in _alerts(h)[-1]


async def test_heavy_fault_request_decisions_and_the_berita_acara(h: Harness) -> None:
    ticket_id = await _claimed(h)
    await h.press(
        BUDI, h.with_button(GROUP_ID, "Berat (ajukan peralatan)"), "Berat (ajukan peralatan)"
    )
    answer = h.api.by_method("answerCallbackQuery")[-1]
    assert answer.params["url"] == f"https://t.me/batiknet_test_bot?start=mr_{ticket_id}"

    async def submit() -> None:
        async with h.services.uow() as uow:
            await workflow.submit_material_request(
                uow,
                _ctx(h, BUDI),
                ticket_id,
                [MaterialLine("Switch 24 port", "Managed gigabit", 1, "unit")],
                "Switch terbakar akibat petir",
                [],
            )
        await h.delivery.wait_idle()

    await submit()
    card = h.with_button(PJ.id, "Minta revisi")
    assert "Switch 24 port" in card.text and "Budi" in card.text
    await h.press(PJ, card, "Minta revisi")
    await h.say(PJ, "Cantumkan merek dan harga perkiraan")
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    assert "perlu revisi" in h.last_reply(BUDI).text
    await h.press(PJ, card, "Setujui")  # the old card
    assert "sudah diputuskan" in _alerts(h)[-1]

    await submit()
    second = h.with_button(PJ.id, "Setujui")
    await h.press(BUDI, second, "Setujui")
    assert "tidak berwenang" in _alerts(h)[-1]
    await h.press(PJ, second, "Setujui")
    assert (await load_ticket(h, ticket_id)).status == "REPAIRING"
    assert "disetujui" in h.last_reply(BUDI).text

    async with h.services.uow() as uow:
        await workflow.report_repair(
            uow,
            _ctx(h, BUDI),
            ticket_id,
            diagnosis="Switch rusak",
            actions="Mengganti switch",
            items=[ReplacedLine("Switch 24 port", 1, "unit", "SW-OLD", "SW-NEW")],
            photos=[],
        )
    async with h.services.uow() as uow:
        await workflow.confirm_fixed(uow, _ctx(h, SITI), ticket_id, SignerChoice(SignerKind.SELF))
    await h.delivery.wait_idle()
    (document,) = h.api.to_chat(GROUP_ID, "sendDocument")
    assert "BA/1/KOMINFO/XI/2026" in document.text
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"


async def test_coordinator_reassigns_and_cancels_from_the_group(h: Harness) -> None:
    ticket_id = await _claimed(h)
    await h.press(BUDI, h.with_button(GROUP_ID, "Alihkan"), "Alihkan")
    assert "tidak berwenang" in _alerts(h)[-1]
    await h.press(PJ, h.with_button(GROUP_ID, "Alihkan"), "Alihkan")
    await h.press(PJ, h.with_button(GROUP_ID, "Andi"), "Andi")
    assert (await load_ticket(h, ticket_id)).assignee_id is not None
    assert "Anda ditugaskan" in h.last_reply(ANDI).text

    await h.press(PJ, h.with_button(GROUP_ID, "Batalkan tiket"), "Batalkan tiket")
    await h.say(PJ, "/batal", chat_id=GROUP_ID)
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    await h.press(PJ, h.with_button(GROUP_ID, "Batalkan tiket"), "Batalkan tiket")
    prompt = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    await h.reply(PJ, prompt, "Laporan ganda dengan BN-2026-00002")
    assert (await load_ticket(h, ticket_id)).status == "CANCELLED"
    assert "dibatalkan" in h.last_reply(SITI).text


async def test_material_request_rejected_with_a_reason(h: Harness) -> None:
    ticket_id = await _claimed(h)
    async with h.services.uow() as uow:
        await workflow.submit_material_request(
            uow,
            _ctx(h, BUDI),
            ticket_id,
            [MaterialLine("Router inti", "-", 1, "unit")],
            "Router lama lambat",
            [],
        )
    await h.delivery.wait_idle()
    card = h.with_button(PJ.id, "Tolak")
    await h.press(PJ, card, "Tolak")
    await h.process(h.updates.sticker(PJ))
    assert "teks" in h.last_reply(PJ).text
    await h.say(PJ, "Router masih layak; cukup konfigurasi ulang")

    assert (await load_ticket(h, ticket_id)).status == "CHECKING"
    told = h.last_reply(BUDI).text
    assert "ditolak" in told and "konfigurasi ulang" in told
    assert "Ringan" in dict(h.api.to_chat(GROUP_ID, "editMessageText")[-1].buttons)
    await h.press(PJ, card, "Tolak")
    assert "sudah diputuskan" in _alerts(h)[-1]
