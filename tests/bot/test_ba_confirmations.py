"""The berita acara as both parties confirm it (issue 12): /profil, the technician's NIP asked
once, the OPD's signatory (itself, another person of the OPD with their own account, or "a.n."),
the wait shown by /tiket, the reminders, and /verifikasi naming who confirmed when."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import delete

from bot.services import attachments, profiles, workflow
from bot.services.berita_acara.confirmations import SignerChoice, SignerKind
from bot.services.domain import Actor, Role
from bot.services.errors import InvalidInput, NotAllowed
from bot.texts import berita_acara as bt
from bot.texts import profile as pt
from bot.texts import wizards as t
from db.models import BaConfirmation, BeritaAcara, User
from tests.bot.test_wizards import (
    BUDI,
    JOKO,
    PJ,
    SITI,
    _call,
    _ctx,
    _last_answer,
    _repaired,
    _repairing,
    _rows,
)
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import Harness
from tests.stories import load_ticket

pytestmark = pytest.mark.auto_disposition

WIB = ZoneInfo("Asia/Jakarta")
STRANGER = Person(9001, "Auditor")


class Named(Person):
    """A person whose Telegram account has a username."""

    def as_dict(self) -> dict[str, Any]:
        """Returns the Bot API `User` object with the username."""
        return {**super().as_dict(), "username": "rina_w"}


RINA = Named(2002, "Rina", "Wati")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The people of the procedure, with a second person of Siti's OPD; technicians' profiles
    hold their jabatan (the first-time question has its own test)."""
    await harness.reporter(SITI, "dinkes")
    await harness.reporter(RINA, "dinkes")
    await harness.reporter(JOKO, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    async with harness.services.uow() as uow:
        ctx = harness.services.context(Actor(BUDI.id))
        await profiles.change(uow, ctx, profiles.Field.POSITION, "Teknisi Jaringan")
    return harness


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _pdf(call: ApiCall) -> bytes:
    ((_, content),) = call.files.values()
    return bytes(content)


async def _user(h: Harness, person: Person) -> User:
    async with h.services.uow() as uow:
        user = await uow.users.by_telegram_id(person.id)
        assert user is not None
        return user


def _texts(h: Harness, person: Person) -> list[str]:
    return [c.text for c in h.api.to_chat(person.id, "sendMessage")]


# --- /profil ---------------------------------------------------------------------------------


async def test_profil_shows_the_profile_and_changes_one_field_at_a_time(h: Harness) -> None:
    await h.say(SITI, "/profil")
    shown = h.last_reply(SITI)
    assert "Nama: Siti Aminah" in shown.text and "NIP: -" in shown.text
    assert [label for label, _ in shown.buttons] == [pt.EDIT, pt.DONE]

    await h.press(SITI, shown, pt.EDIT)
    menu = h.last_reply(SITI)
    assert [label for label, _ in menu.buttons] == [*pt.FIELDS.values(), pt.BACK]
    await h.press(SITI, menu, "NIP")
    assert h.last_reply(SITI).text == pt.ASK_NIP
    await h.say(SITI, "199013322015032001")  # no 32nd day
    assert "Delapan digit pertama NIP (tanggal lahir" in h.last_reply(SITI).text
    await h.say(SITI, "199003152015033001")  # a sex digit 3
    assert "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2" in h.last_reply(SITI).text
    await h.say(SITI, "199003152030012001")  # appointed in 2030
    assert "belum terjadi" in h.last_reply(SITI).text
    await h.say(SITI, "19900315 201503 2 001")
    saved = h.last_reply(SITI)
    assert "NIP: 199003152015032001" in saved.text
    assert pt.SAVED in _texts(h, SITI)

    await h.choose(SITI, pt.EDIT)
    await h.choose(SITI, "Pangkat/golongan")
    await h.say(SITI, "Penata Muda, III/a")
    await h.choose(SITI, pt.EDIT)
    await h.choose(SITI, "Nama lengkap dan gelar")
    await h.say(SITI, "Siti Aminah, S.Kom.")
    assert "Nama: Siti Aminah, S.Kom." in h.last_reply(SITI).text
    await h.choose(SITI, pt.DONE)

    assert h.api.by_method("editMessageText")[-1].params["text"] == pt.CLOSED
    user = await _user(h, SITI)
    assert (user.full_name, user.nip, user.rank) == (
        "Siti Aminah, S.Kom.",
        "199003152015032001",
        "Penata Muda, III/a",
    )


async def test_profil_is_for_registered_people_staff_included(h: Harness) -> None:
    await h.say(STRANGER, "/profil")
    assert "belum terdaftar" in h.last_reply(STRANGER).text

    await h.say(BUDI, "/profil")
    assert "Jabatan: Teknisi Jaringan" in h.last_reply(BUDI).text
    await h.choose(BUDI, pt.EDIT)
    await h.choose(BUDI, "NIP")
    await h.choose(BUDI, pt.CLEAR_NIP)
    assert "NIP: -" in h.last_reply(BUDI).text


# --- the technician: content confirmed, NIP and jabatan asked once -----------------------------


async def test_the_technician_is_asked_nip_and_jabatan_once_and_confirms(h: Harness) -> None:
    async with h.services.uow() as uow:
        user = await uow.users.by_telegram_id(BUDI.id)
        assert user is not None
        user.position = None
        await uow.commit()
    ticket_id = await _repairing(h)
    await h.say(BUDI, f"/start rr_{ticket_id}")
    await h.say(BUDI, "Konektor RJ45 longgar")
    await h.say(BUDI, "Mengganti konektor")
    await h.choose(BUDI, t.SKIP)
    await h.choose(BUDI, t.NO_REPLACEMENT)
    assert h.last_reply(BUDI).text == bt.ASK_TECH_NIP
    await h.say(BUDI, "198705122010013003")
    assert "Digit ke-15 NIP" in h.last_reply(BUDI).text
    await h.say(BUDI, "198705122000011003")  # appointed at 12
    assert "terlalu dekat dengan tanggal lahir" in h.last_reply(BUDI).text
    await h.say(BUDI, "198705122010011003")
    assert h.last_reply(BUDI).text == bt.ASK_TECH_POSITION
    await h.say(BUDI, "Pranata Komputer Ahli Muda")
    summary = h.last_reply(BUDI)
    assert "Jabatan Anda: Pranata Komputer Ahli Muda; NIP: 198705122010011003" in summary.text
    assert "PIHAK PERTAMA mengonfirmasi isi berita acara" in summary.text

    await h.press(BUDI, summary, t.RR_SEND)

    user = await _user(h, BUDI)
    assert (user.nip, user.position) == ("198705122010011003", "Pranata Komputer Ahli Muda")
    assert profiles.missing_for_document(user) == []  # not asked again
    (row,) = await _rows(h, BaConfirmation)
    assert (row.party, row.user_id, row.nip) == ("technician", user.id, "198705122010011003")


# --- the OPD's signatory ------------------------------------------------------------------------


async def test_another_person_of_the_opd_confirms_with_their_own_account(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.EDIT_SIGNATORY)
    who = h.last_reply(SITI)
    labels = [label for label, _ in who.buttons]
    assert labels == ["Rina Wati — Pranata Komputer", bt.OTHER_SIGNER, bt.BACK]
    await h.press(SITI, who, labels[0])
    assert "Rina Wati" in h.last_reply(SITI).text
    await h.choose(SITI, bt.SEND_TO_OTHER)
    await h.choose(SITI, "Baik")
    await h.choose(SITI, t.SKIP)

    # Closed for the OPD, but no berita acara until Rina confirms; Siti may rate already.
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"
    assert await _rows(h, BeritaAcara) == []
    assert any("menunggu konfirmasi Rina Wati" in text for text in _texts(h, SITI))
    await h.say(SITI, "/tiket BN-2026-00001")
    waiting = "Berita acara menunggu konfirmasi: Rina Wati (PIHAK KEDUA (OPD))."
    assert waiting in h.last_reply(SITI).text
    request = h.with_button(RINA.id, bt.OPEN_REQUEST)
    assert "menunggu konfirmasi Anda sebagai <b>PIHAK KEDUA (OPD)</b>" in request.text
    assert "Siti Aminah memilih Anda" in request.text
    await h.press(JOKO, request, bt.OPEN_REQUEST)  # another OPD's person: not theirs
    assert _last_answer(h) == t.refusal(_not_awaited())

    await h.press(RINA, request, bt.OPEN_REQUEST)
    assert "Dengan menekan «Konfirmasi»" in h.last_reply(RINA).text
    await h.choose(RINA, bt.CONFIRM)

    (ba,) = await _rows(h, BeritaAcara)
    assert ba.signatory_name == "Rina Wati" and ba.signed_by_id == (await _user(h, RINA)).id
    (to_rina,) = h.api.to_chat(RINA.id, "sendDocument")
    assert ba.verification_code in to_rina.params["caption"]
    (to_siti,) = h.api.to_chat(SITI.id, "sendDocument")
    (page,) = _pages(_pdf(to_siti))
    closing = page[page.index("Demikian") :]
    assert "Rina Wati" in closing and "Budi" in closing
    assert f"melalui akun Telegram @rina_w (id {RINA.id})" in closing
    assert f"melalui akun Telegram (id {BUDI.id})" in closing
    await h.say(SITI, "/tiket BN-2026-00001")
    assert "menunggu konfirmasi" not in h.last_reply(SITI).text
    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")
    answer = h.last_reply(STRANGER).text
    assert "PIHAK KEDUA (OPD): Rina Wati, Pranata Komputer — dikonfirmasi melalui akun " in answer
    assert "@rina_w" in answer and "PIHAK PERTAMA (teknisi): Budi, Teknisi Jaringan" in answer


def _not_awaited() -> NotAllowed:
    return NotAllowed("not_awaited")


async def test_a_n_when_the_named_official_is_not_registered(h: Harness) -> None:
    await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.EDIT_SIGNATORY)
    await h.choose(SITI, bt.OTHER_SIGNER)
    assert h.last_reply(SITI).text == bt.ASK_BEHALF_NAME
    await h.say(SITI, "\u200b\u2060")  # nothing to read
    assert "Nama lengkap harus" in h.last_reply(SITI).text
    await h.say(SITI, "dr. Hadi Prasetyo, M.Kes.")
    await h.say(SITI, "Kepala Dinas Kesehatan")
    shown = h.last_reply(SITI)
    assert "a.n. Kepala Dinas Kesehatan (dr. Hadi Prasetyo, M.Kes.)" in shown.text
    await h.press(SITI, shown, bt.SIGN_BEHALF)

    (ba,) = await _rows(h, BeritaAcara)
    # The person who confirmed signs, for the official: no one signs in another's name.
    assert ba.signatory_name == "Siti Aminah"
    (page,) = _pages(_pdf(h.api.to_chat(SITI.id, "sendDocument")[-1]))
    assert "Atas nama : Kepala Dinas Kesehatan (dr. Hadi Prasetyo, M.Kes.)" in page
    closing = page[page.index("Demikian") :]
    assert "a.n. Kepala Dinas Kesehatan Pranata Komputer Siti Aminah" in closing
    assert f"melalui akun Telegram (id {SITI.id})" in closing
    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")
    verified = h.last_reply(STRANGER).text
    assert (
        "PIHAK KEDUA (OPD): Siti Aminah, Pranata Komputer, a.n. Kepala Dinas Kesehatan" in verified
    )
    (opd,) = [r for r in await _rows(h, BaConfirmation) if r.party == "opd"]
    assert (opd.on_behalf_name, opd.on_behalf_position) == (
        "dr. Hadi Prasetyo, M.Kes.",
        "Kepala Dinas Kesehatan",
    )


async def test_a_repair_reported_before_confirmations_asks_the_technician(h: Harness) -> None:
    ticket_id = await _repaired(h)
    async with h.services.uow() as uow:
        await uow.session.execute(delete(BaConfirmation))
        await uow.commit()
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    assert await _rows(h, BeritaAcara) == []
    assert any("Budi (PIHAK PERTAMA (teknisi))" in text for text in _texts(h, SITI))

    await h.choose(BUDI, bt.OPEN_REQUEST)
    await h.choose(BUDI, bt.CONFIRM)

    (ba,) = await _rows(h, BeritaAcara)
    assert ba.ticket_id == ticket_id
    assert len(h.api.to_chat(SITI.id, "sendDocument")) == 1  # the reporter gets it now


# --- reminders ----------------------------------------------------------------------------------


def wib(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=WIB)


async def test_the_awaited_person_is_reminded_once_a_working_day_then_the_coordinator(
    h: Harness,
) -> None:
    ticket_id = await _repaired(h)  # Monday 30 November, 09:00
    rina = await _user(h, RINA)
    await _call(
        h,
        workflow.confirm_fixed,
        _ctx(h, SITI),
        ticket_id,
        _other(rina.id),
    )
    assert len(h.api.to_chat(RINA.id, "sendMessage")) == 1  # the request

    def reminders() -> list[str]:
        return [text for text in _texts(h, RINA) if text.startswith("Pengingat ke-")]

    for at, count in (
        (wib(1, 10), 0),  # Tuesday: the request is a day old only
        (wib(2, 8), 1),  # Wednesday's opening
        (wib(2, 14), 1),  # the same day: nothing more
        (wib(3, 8), 2),
        (wib(4, 8), 3),  # Friday
        (wib(5, 9), 3),  # Saturday: the office is closed
    ):
        h.clock.set(at)
        await h.run_job("sla-sweep")
        assert len(reminders()) == count, at
    assert not [text for text in _texts(h, PJ) if "setelah tiga kali pengingat" in text]
    h.clock.set(wib(7, 8))  # Monday
    await h.run_job("sla-sweep")
    h.clock.set(wib(8, 8))
    await h.run_job("sla-sweep")
    assert len(reminders()) == 3
    told = [text for text in _texts(h, PJ) if "setelah tiga kali pengingat" in text]
    assert len(told) == 1 and "Rina Wati" in told[0]


def _other(user_id: int) -> SignerChoice:
    return SignerChoice(SignerKind.OTHER, user_id)


async def test_a_signatory_of_another_opd_is_refused(h: Harness) -> None:
    ticket_id = await _repaired(h)
    joko = await _user(h, JOKO)
    with pytest.raises(InvalidInput) as refused:
        await _call(h, workflow.confirm_fixed, _ctx(h, SITI), ticket_id, _other(joko.id))
    assert refused.value.code == "signatory"
    assert (await load_ticket(h, ticket_id)).status == "REPAIRED"


# --- the photo annex (BA_PHOTO_ANNEX) -----------------------------------------------------------


async def test_the_photo_annex_prints_the_photos_on_a_second_page(h: Harness) -> None:
    h.services.settings.ba_photo_annex = True
    h.api.files["rusak"] = b"not an image"
    ticket_id = await _repairing(h)
    after = [attachments.photo(name, f"u-{name}", 1000) for name in ("sesudah", "rusak")]
    await _call(
        h,
        workflow.report_repair,
        _ctx(h, BUDI),
        ticket_id,
        diagnosis="Adaptor switch rusak",
        actions="Mengganti adaptor switch",
        items=[],
        photos=after,
    )
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)

    assert h.api.downloads == ["sesudah", "rusak"]  # downloaded by the bot, when issued
    first, annex = _pages(_pdf(h.api.to_chat(SITI.id, "sendDocument")[-1]))
    assert "Demikian berita acara" in first and "Siti Aminah" in first
    assert "LAMPIRAN FOTO" in annex and "Setelah perbaikan (1)" in annex
    assert "Setelah perbaikan (2)" in annex and "(foto tidak dapat ditampilkan)" in annex


async def test_without_the_setting_nothing_is_downloaded(h: Harness) -> None:
    ticket_id = await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    assert h.api.downloads == []
    assert len(_pages(_pdf(h.api.to_chat(SITI.id, "sendDocument")[-1]))) == 1
    assert (await load_ticket(h, ticket_id)).status == "CLOSED"


async def test_the_kabid_without_a_nip_is_asked_once_to_complete_the_profile(
    h: Harness,
) -> None:
    kabid = Person(5001, "Bambang")
    await h.staff(kabid, Role.SUPERVISOR)
    for _ in range(2):
        await _repaired(h)
        await h.choose(SITI, "Sudah normal")
        await h.choose(SITI, t.SIGN)
        await h.say(SITI, "/batal")  # the rating later

    (asked,) = _texts(h, kabid)
    assert "blok «Mengetahui»" in asked and "/profil" in asked
    first, second = await _rows(h, BeritaAcara)
    assert first.number in asked and second.number not in asked


async def test_a_signer_without_a_jabatan_is_asked_for_it_once(h: Harness) -> None:
    async with h.services.uow() as uow:
        siti = await uow.users.by_telegram_id(SITI.id)
        assert siti is not None
        siti.position = None
        await uow.commit()
    await _repaired(h)
    await h.choose(SITI, "Sudah normal")
    await h.choose(SITI, t.SIGN)
    assert h.last_reply(SITI).text == bt.ASK_OWN_POSITION

    await h.say(SITI, "Kepala Subbagian Umum")

    (ba,) = await _rows(h, BeritaAcara)
    assert ba.signatory_position == "Kepala Subbagian Umum"
    assert (await _user(h, SITI)).position == "Kepala Subbagian Umum"
