"""The whole first slice as its users live it: invite, registration, report, card, claim,
follow-up. Every step goes in through process_update; assertions read the Bot API calls."""

from __future__ import annotations

import re

import pytest

from bot.services.domain import Role
from bot.texts import registration as reg_texts
from bot.texts import report as report_texts
from tests.factories import Person
from tests.fakebot import BOT_USERNAME, ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import fill_report_form

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi", "Santoso")


async def run_story(h: Harness) -> None:
    """Plays the story; used by the test below and by scripts/transcript.py."""
    # An admin invites Dinas Kesehatan and makes Budi a technician.
    await h.say(ADMIN, "/undang dinkes")
    link = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=(\S+)", h.last_reply(ADMIN).text)
    assert link is not None, h.last_reply(ADMIN).text
    await h.say(BUDI, "/start")
    assert str(BUDI.id) in h.last_reply(BUDI).text
    await h.say(ADMIN, f"/peran {BUDI.id} teknisi")

    # Siti registers through the link.
    await h.say(SITI, f"/start {link.group(1)}")
    await h.say(SITI, "Siti Aminah, S.Kom.")
    await h.process(h.updates.contact(SITI, "+62 812-3456-7890"))
    await h.say(SITI, reg_texts.SKIP_BUTTON)
    await h.say(SITI, "Pranata Komputer Ahli Pertama")
    await h.choose(SITI, reg_texts.CONFIRM_BUTTON)

    # She reports a fault with two photos and the request letter.
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Internet mati total")
    await h.choose(SITI, "Seluruh kantor")
    await h.say(SITI, "Ruang server, lantai 2")
    await h.say(SITI, "Sejak pukul 07.30 semua komputer tidak bisa membuka internet.")
    await h.process(h.updates.photo(SITI, "foto-modem"))
    await h.process(h.updates.photo(SITI, "foto-rak"))
    await h.choose(SITI, report_texts.PHOTOS_DONE)
    await h.process(h.updates.document(SITI, "surat-permohonan", file_name="surat.pdf"))
    await h.say(SITI, "Gunakan 081234567890")
    await h.choose(SITI, report_texts.SEND)

    # The technician group gets the card; Budi claims it.
    card = next(c for c in h.api.to_chat(GROUP_ID, "sendMessage") if "BN-2026-00001" in c.text)
    await h.press(BUDI, card, "Ambil")

    # Siti follows up.
    await h.say(SITI, "/status")
    await h.say(SITI, "/tiket BN-2026-00001")
    await h.say(BUDI, "/status")


@pytest.mark.auto_disposition
async def test_invite_register_report_claim_follow(harness: Harness) -> None:
    h = harness
    await run_story(h)

    async with h.services.uow() as uow:
        siti = await uow.users.by_telegram_id(SITI.id)
        budi = await uow.users.by_telegram_id(BUDI.id)
        assert siti is not None and siti.opd is not None and budi is not None
        assert siti.opd.code == "dinkes" and siti.roles == {Role.REPORTER.value}
        assert Role.TECHNICIAN.value in budi.roles

    receipt = next(c for c in h.replies_to(SITI) if "Nomor tiket" in c.text)
    assert "<code>BN-2026-00001</code>" in receipt.text
    assert "Rabu, 2 Desember 2026 pukul 15.45 WIB" in receipt.text  # target, 2 working days
    assert "Senin, 7 Desember 2026 pukul 15.45 WIB" in receipt.text  # deadline, 5 working days

    group = h.api.to_chat(GROUP_ID)
    methods = [c.method for c in group]
    assert methods[:3] == ["sendMessage", "sendMediaGroup", "sendDocument"]
    assert len(group[1].params["media"]) == 2
    assert group[2].params["document"] == "surat-permohonan"
    edit = h.api.by_method("editMessageText")[-1]
    assert edit.params["message_id"] == group[0].message_id
    assert "Teknisi: Budi Santoso" in edit.text

    told = [c.text for c in h.replies_to(SITI)]
    assert any("sedang ditangani oleh teknisi <b>Budi Santoso</b>" in text for text in told)
    status, detail = told[-2:]
    assert "BN-2026-00001" in status and "Pengecekan dan diagnosis" in status
    assert "Riwayat" in detail and "Ditangani teknisi (Budi Santoso)" in detail
    assert "BN-2026-00001" in h.last_reply(BUDI).text
    # Every callback query was answered.
    presses = [line for line in h.transcript if " presses [" in line]
    assert len(h.api.by_method("answerCallbackQuery")) == len(presses)


PJ = Person(4001, "Rahmat", "Hidayat")


def _button_to(h: Harness, chat: int, label: str) -> ApiCall:
    for call in reversed(h.api.to_chat(chat)):
        if label in dict(call.buttons):
            return call
    raise AssertionError(f"no message to {chat} with button {label!r}")


async def run_repair_story(h: Harness) -> None:
    """Plays a heavy fault from report to signed berita acara, every step through updates."""
    from bot.texts import berita_acara as bt
    from bot.texts import wizards as wt

    h.services.settings.auto_disposition = False
    await h.reporter(SITI)
    for person, role in ((BUDI, "teknisi"), (PJ, "koordinator")):
        await h.say(person, "/start")
        await h.say(ADMIN, f"/peran {person.id} {role}")

    # Step 1: the report; step 2: the penanggung jawab dispositions it to the team.
    await fill_report_form(
        h,
        SITI,
        "Perangkat/kabel",
        "Satu ruangan",
        "Ruang rapat lantai 3",
        "Switch di ruang rapat mati, semua port tidak menyala.",
        "Gunakan 081234567890",
    )
    await h.choose(SITI, report_texts.SEND)
    await h.press(
        PJ,
        _button_to(h, PJ.id, "Disposisikan kepada tim teknis"),
        "Disposisikan kepada tim teknis",
    )
    await h.say(PJ, "Mohon segera, ada rapat pimpinan besok")

    # Steps 3-6: claim, heavy fault, material request in private.
    await h.press(BUDI, _button_to(h, GROUP_ID, "Ambil"), "Ambil")
    await h.press(
        BUDI, _button_to(h, GROUP_ID, "Berat (ajukan peralatan)"), "Berat (ajukan peralatan)"
    )
    await h.say(BUDI, "/start mr_1")
    await h.say(BUDI, "Switch 8 port")
    await h.say(BUDI, "Unmanaged, gigabit")
    await h.say(BUDI, "1")
    await h.choose(BUDI, "unit")
    await h.choose(BUDI, wt.DONE)
    await h.say(BUDI, "Switch lama mati total, adaptor sudah dicoba ganti.")
    await h.choose(BUDI, wt.SKIP)
    await h.choose(BUDI, wt.MR_SEND)

    # Step 7: approval; steps 8-9: repair report with the approved list.
    await h.press(PJ, _button_to(h, PJ.id, "Setujui"), "Setujui")
    await h.press(BUDI, _button_to(h, GROUP_ID, "Laporkan perbaikan"), "Laporkan perbaikan")
    await h.say(BUDI, "/start rr_1")
    await h.say(BUDI, "Switch rusak karena lonjakan listrik.")
    await h.say(BUDI, "Mengganti switch dan merapikan kabel.")
    await h.choose(BUDI, wt.SKIP)
    await h.choose(BUDI, wt.USE_APPROVED)
    await h.say(BUDI, "SW8-OLD-123 / SW8-NEW-456")
    await h.choose(BUDI, wt.DONE)
    # The old switch burned out; the document needs Budi's NIP and jabatan, asked once.
    await h.choose(BUDI, bt.DISPOSITION_BUTTONS["written_off"])
    if h.last_reply(BUDI).text == bt.ASK_TECH_NIP:  # a profile without them (not in docs/)
        await h.say(BUDI, "198503122010011002")
        await h.say(BUDI, "Pranata Komputer Ahli Muda")
    await h.choose(BUDI, wt.RR_SEND)

    # Step 10: the OPD confirms, signs, and rates.
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, wt.SIGN)
    await h.choose(SITI, wt.RATINGS[4])
    await h.say(SITI, "Terima kasih, cepat ditangani.")
    await h.say(SITI, "/tiket BN-2026-00001")


async def test_heavy_fault_from_report_to_signed_berita_acara(harness: Harness) -> None:
    h = harness
    await run_repair_story(h)

    from sqlalchemy import select

    from db.models import BeritaAcara, Ticket

    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
        ba = (await uow.session.scalars(select(BeritaAcara))).one()
    assert ticket.status == "CLOSED" and ticket.rating == 4
    assert ticket.disposition_note == "Mohon segera, ada rapat pimpinan besok"
    assert ba.number == "BA/1/KOMINFO/XI/2026"
    to_siti = h.api.to_chat(SITI.id, "sendDocument")
    to_group = h.api.to_chat(GROUP_ID, "sendDocument")
    assert len(to_siti) == 1 and len(to_group) == 1
    timeline = h.last_reply(SITI).text
    for label in (
        "Didisposisikan kepada tim teknis (Rahmat Hidayat)",
        "Pengajuan peralatan disetujui",
        "Perbaikan dilaporkan",
        "OPD mengonfirmasi",
        "Penilaian layanan",
    ):
        assert label in timeline, label
    assert [label for label, _ in h.last_reply(SITI).buttons] == ["Kirim ulang berita acara"]
