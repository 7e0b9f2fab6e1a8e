"""What the standard publishes: /kontak, /info, and the help per role."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.services.domain import Role
from tests.factories import Person
from tests.harness import Harness

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
PEJABAT = Person(5001, "Drajat")
WARGA = Person(4001, "Tamu")


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings with the complaints official configured (personal data is configuration)."""
    from tests.harness import ADMIN, GROUP_ID

    return Settings(
        _env_file=None,
        bot_token="123456:TEST-TOKEN",
        database_url=database_url,
        admin_ids=[ADMIN.id],
        tech_group_id=GROUP_ID,
        complaint_official_name="Nama Pejabat, S.Kom.",
        complaint_official_phone="0856 0000 1111",
        office_hours="mon-thu 08:00-12:00,12:30-14:00; fri 08:00-11:00",
    )


@pytest.fixture
async def h(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with a reporter, a technician and an official."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    yield harness


async def test_kontak_lists_every_channel_from_the_settings(h: Harness) -> None:
    await h.say(WARGA, "/kontak")
    text = h.last_reply(WARGA).text
    for expected in (
        "(0285) 421243",
        "(0285) 420223",
        "diskominfo@gafe.pekalongankota",
        "http://kominfo.pekalongankota.go.id",
        "Twitter: @pkl.diskominfo",
        "Instagram: @pkl.diskominfo",
        "Nama Pejabat, S.Kom., telepon 0856 0000 1111",
        "/aduan",
        "diteruskan kepada pejabat Dinas Kominfo",
    ):
        assert expected in text, expected


async def test_kontak_without_an_official_configured(harness: Harness) -> None:
    harness.services.settings.complaint_official_name = ""
    await harness.say(WARGA, "/kontak")
    assert "melalui saluran kantor" in harness.last_reply(WARGA).text


async def test_info_shows_the_standard_with_the_configured_hours(h: Harness) -> None:
    await h.say(WARGA, "/info")
    text = h.last_reply(WARGA).text
    for expected in (
        "Persyaratan",
        "10. Perbaikan selesai; berita acara",
        "Paling lama 5 hari kerja; target penyelesaian 2 hari kerja",
        "Senin–Kamis: 08.00–12.00, 12.30–14.00 WIB",
        "(istirahat 12.00–12.30 WIB)",
        "Jumat: 08.00–11.00 WIB",
        "<b>4. Biaya</b>: gratis",
        "Produk layanan",
        "Dasar hukum",
        "Nomor 14 Tahun 2008",
        "Sarana dan prasarana",
        "Kompetensi pelaksana",
        "Kepala Bidang Infrastruktur dan Statistik",
        "Jaminan pelayanan",
        "setiap tiga bulan sekali",
    ):
        assert expected in text, expected


async def test_bantuan_lists_the_complaint_commands_per_role(h: Harness) -> None:
    await h.say(WARGA, "/bantuan")
    everyone = h.last_reply(WARGA).text
    assert "/aduan " in everyone and "/aduan_saya" in everyone and "/kontak" in everyone
    assert "/info" in everyone and "/catat_aduan" not in everyone
    await h.say(BUDI, "/bantuan")
    assert "/catat_aduan" in h.last_reply(BUDI).text
    assert "«Tangani»" in h.last_reply(BUDI).text
    await h.say(PEJABAT, "/bantuan")
    assert "Pejabat pengaduan" in h.last_reply(PEJABAT).text
    assert "«Nyatakan selesai»" in h.last_reply(PEJABAT).text
