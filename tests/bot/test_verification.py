"""The story's berita acara as a kabid reads it, and `/verifikasi` as anyone holding it uses it.

The repair story (tests/bot/test_story.py) runs through `process_update`; the document is read
back from the database with pypdf (text per page) and zxing-cpp (the QR code).
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pydantic import SecretStr
from pypdf import PdfReader
from sqlalchemy import delete, select

from bot.config import Settings
from bot.services import berita_acara, verification
from bot.services.domain import Role
from bot.services.verification import CODE_KEY_SETTING
from bot.texts import verification as t
from db.models import AppSetting, BeritaAcara
from tests.bot.test_story import BUDI, SITI, run_repair_story
from tests.factories import Person
from tests.fakebot import BOT_USERNAME
from tests.harness import GROUP_ID, Harness

KABID = Person(5001, "Bambang Wicaksono")  # staff are named by their Telegram first name
STRANGER = Person(9001, "Auditor", "Inspektorat")  # never registered
OTHER = Person(9002, "Warga")
TOKEN = "123456:TEST-TOKEN"  # the `settings` fixture's


async def _story(h: Harness, *, kabid: bool = True) -> BeritaAcara:
    if kabid:
        await h.staff(KABID, Role.SUPERVISOR)
    await run_repair_story(h)
    async with h.services.uow() as uow:
        return (await uow.session.scalars(select(BeritaAcara))).one()


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _qr_codes(pdf: bytes) -> list[str]:
    found: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data))
            found += [result.text for result in zxingcpp.read_barcodes(picture)]
    return found


async def _stored_key(h: Harness) -> str | None:
    async with h.services.uow() as uow:
        return await uow.settings.get(CODE_KEY_SETTING)


# --- the document of the story ---------------------------------------------------------------


async def test_the_story_berita_acara_fits_one_page_with_its_signatures(
    harness: Harness,
) -> None:
    """One page; the OPD's, the technician's and the kabid's names beside "Demikian"."""
    ba = await _story(harness)
    (page,) = _pages(ba.pdf)

    closing = page[page.index("Demikian berita acara ini dibuat") :]
    for name in ("Siti Aminah", "Budi Santoso", "Bambang Wicaksono"):
        assert name in closing, name
    assert "Mengetahui, Kepala Bidang Infrastruktur dan Statistik Bambang Wicaksono" in closing
    assert berita_acara.TITLE_REPLACEMENT.upper() in page
    # The letter was marked "menyusul" and never sent; the approved item's specification.
    assert "(surat permohonan belum diterima)" in page
    assert "Gangguan : Perangkat/kabel — Switch di ruang rapat mati" in page
    assert "1 Switch 8 port Unmanaged, gigabit 1 unit SW8-OLD-123 SW8-NEW-456" in page
    assert "disetujui penanggung jawab Rahmat Hidayat pada Senin, 30 November 2026" in page


async def test_the_qr_code_opens_the_bot_with_the_printed_code(harness: Harness) -> None:
    """The QR code is the deep link to this bot with the code the footer prints."""
    ba = await _story(harness)

    assert _qr_codes(ba.pdf) == [f"https://t.me/{BOT_USERNAME}?start=ba_{ba.verification_code}"]
    assert f"Kode verifikasi: {ba.verification_code}" in _pages(ba.pdf)[0]


async def test_mengetahui_switched_off_or_without_a_kabid(harness: Harness) -> None:
    """BA_MENGETAHUI=false leaves the block out; with no supervisor it has lines to sign."""
    h = harness
    h.services.settings.ba_mengetahui = False
    ba = await _story(h, kabid=False)

    assert "Mengetahui" not in _pages(ba.pdf)[0]


async def test_mengetahui_without_a_supervisor_prints_lines_to_fill_in(harness: Harness) -> None:
    """No user holds the role supervisor: the block stays, to be signed by hand."""
    ba = await _story(harness, kabid=False)
    (page,) = _pages(ba.pdf)

    assert "Mengetahui, Kepala Bidang Infrastruktur dan Statistik (....." in page


# --- /verifikasi -----------------------------------------------------------------------------


async def test_anyone_verifies_the_code_and_learns_what_the_paper_must_show(
    harness: Harness,
) -> None:
    """An unregistered person sends the code as printed and gets the document's particulars."""
    h = harness
    ba = await _story(h)

    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")

    answer = h.last_reply(STRANGER).text
    assert answer.startswith("✅ <b>Berita acara sah</b>")
    for needle in (
        f"<code>{ba.verification_code}</code>",
        "<b>Berita Acara Penggantian Peralatan Jaringan Lokal</b>",
        "Nomor: BA/1/KOMINFO/XI/2026",
        "Tiket: BN-2026-00001",
        "Tanggal: Senin, 30 November 2026",
        "PIHAK PERTAMA: Budi Santoso (Dinas Komunikasi dan Informatika Kota Pekalongan)",
        "PIHAK KEDUA: Siti Aminah, Pranata Komputer (Dinas Kesehatan)",
        f"PIHAK PERTAMA (teknisi): Budi Santoso, Pranata Komputer Ahli Muda — dikonfirmasi "
        f"melalui akun Telegram (id {BUDI.id}) pada Senin, 30 November 2026 pukul",
        f"PIHAK KEDUA (OPD): Siti Aminah, Pranata Komputer — dikonfirmasi melalui akun "
        f"Telegram (id {SITI.id}) pada Senin, 30 November 2026 pukul",
    ):
        assert needle in answer, needle
    assert "081234567890" not in answer  # no contact data, only what the paper shows


async def test_the_qr_deep_link_and_a_typed_code_in_any_case_check_too(harness: Harness) -> None:
    """`/start ba_<code>` (the QR code) and the code typed lower case without the dash."""
    h = harness
    ba = await _story(h)

    await h.say(STRANGER, f"/start ba_{ba.verification_code}")
    assert h.last_reply(STRANGER).text.startswith("✅ <b>Berita acara sah</b>")

    await h.say(OTHER, f"/verifikasi {ba.verification_code.replace('-', '').lower()}")
    assert "Nomor: BA/1/KOMINFO/XI/2026" in h.last_reply(OTHER).text


async def test_a_tampered_code_is_not_recognised(harness: Harness) -> None:
    """One character changed, or no code at all: "tidak dikenali", nothing more."""
    h = harness
    ba = await _story(h)
    code = ba.verification_code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")

    for typed in (tampered, "BA/1/KOMINFO/XI/2026", "12345-67890"):
        await h.say(STRANGER, f"/verifikasi {typed}")
        assert h.last_reply(STRANGER).text == t.UNKNOWN
    await h.say(STRANGER, f"/start ba_{tampered}")
    assert h.last_reply(STRANGER).text == t.UNKNOWN


async def test_verifikasi_without_a_code_explains_itself_and_groups_get_nothing(
    harness: Harness,
) -> None:
    """The bare command shows its use; in the technician group the bot stays quiet."""
    h = harness
    ba = await _story(h)

    await h.say(STRANGER, "/verifikasi")
    assert h.last_reply(STRANGER).text == t.USAGE

    before = len(h.api.to_chat(GROUP_ID))
    await h.say(BUDI, f"/verifikasi {ba.verification_code}", chat_id=GROUP_ID)
    assert len(h.api.to_chat(GROUP_ID)) == before


async def test_at_most_ten_tries_a_minute_per_person(harness: Harness) -> None:
    """The eleventh try within a minute is refused, even with the right code; others and the
    next minute are not affected."""
    h = harness
    ba = await _story(h)

    for n in range(10):
        await h.say(STRANGER, f"/verifikasi AAAAA-AAAA{'ABCDEFGHIJ'[n]}")
        assert h.last_reply(STRANGER).text == t.UNKNOWN
    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")
    assert h.last_reply(STRANGER).text == t.TOO_MANY
    await h.say(STRANGER, f"/start ba_{ba.verification_code}")
    assert h.last_reply(STRANGER).text == t.TOO_MANY

    await h.say(OTHER, f"/verifikasi {ba.verification_code}")
    assert h.last_reply(OTHER).text.startswith("✅")

    h.advance(seconds=61)
    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")
    assert h.last_reply(STRANGER).text.startswith("✅")


# --- the key ---------------------------------------------------------------------------------


async def test_the_key_is_kept_in_the_database_and_is_not_the_token(harness: Harness) -> None:
    """Without BA_SECRET the code is keyed with the stored key, never with the bot token."""
    h = harness
    ba = await _story(h)
    key = await _stored_key(h)

    assert key is not None and key != TOKEN
    async with h.services.uow() as uow:
        assert await verification.secret(uow, h.services.settings) == key  # the same, kept
    args = (ba.number, "BN-2026-00001", ba.signed_at)
    assert ba.verification_code == berita_acara.verification_code(*args, key)
    assert ba.verification_code != berita_acara.verification_code(*args, TOKEN)


async def test_a_missing_key_is_generated_with_the_first_berita_acara(harness: Harness) -> None:
    """Should the stored key be gone, the first signature creates a new one (not the token)."""
    h = harness
    async with h.services.uow() as uow:
        await uow.session.execute(delete(AppSetting).where(AppSetting.key == CODE_KEY_SETTING))
        await uow.commit()
    ba = await _story(h)

    key = await _stored_key(h)
    assert key is not None and key != TOKEN and len(key) >= 40
    assert ba.verification_code == berita_acara.verification_code(
        ba.number, "BN-2026-00001", ba.signed_at, key
    )


async def test_a_configured_secret_keys_the_code(harness: Harness) -> None:
    """BA_SECRET, when set, is the key."""
    h = harness
    h.services.settings.ba_secret = SecretStr("kunci-rahasia-kominfo")
    ba = await _story(h)

    assert ba.verification_code == berita_acara.verification_code(
        ba.number, "BN-2026-00001", ba.signed_at, "kunci-rahasia-kominfo"
    )


def test_the_bot_token_is_refused_as_the_secret() -> None:
    """Revoking a leaked token must not void the printed codes: the two never coincide."""
    with pytest.raises(ValueError, match="BA_SECRET must not be the bot token"):
        Settings(_env_file=None, bot_token=TOKEN, ba_secret=TOKEN)


async def test_a_new_bot_token_keeps_every_printed_code_valid(harness: Harness) -> None:
    """BotFather's revoke changes the token; the berita acara still verifies."""
    h = harness
    ba = await _story(h)
    h.services.settings = h.services.settings.model_copy(
        update={"bot_token": SecretStr("123456:ROTATED-TOKEN")}
    )
    await h.restart()

    await h.say(STRANGER, f"/verifikasi {ba.verification_code}")
    assert h.last_reply(STRANGER).text.startswith("✅ <b>Berita acara sah</b>")


async def test_the_berita_acara_still_reaches_the_opd_and_the_group(harness: Harness) -> None:
    """The document goes out as before: to the reporter and to the technician group."""
    h = harness
    ba = await _story(h)

    (to_siti,) = h.api.to_chat(SITI.id, "sendDocument")
    assert ba.verification_code in to_siti.params.get("caption", "")
    assert len(h.api.to_chat(GROUP_ID, "sendDocument")) == 1


async def test_the_documentation_sample_is_the_one_page_story() -> None:
    """`make docs` renders the story with filled-in profiles: one page, every signatory."""
    from tests.docs_berita_acara import story_pdf

    (page,) = _pages(await story_pdf())

    for needle in ("Siti Aminah, S.Kom.", "Budi Santoso, A.Md.", "NIP. 197502101999031002"):
        assert needle in page
