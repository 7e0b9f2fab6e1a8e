"""Tests for the berita acara: Indonesian wording, numbering, verification codes and the PDF."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from bot.services.berita_acara import (
    DEFAULT_NUMBER_TEMPLATE,
    KABID_POSITION,
    MAX_ITEM_NAME,
    TITLE_HANDLING,
    TITLE_REPLACEMENT,
    BeritaAcaraData,
    Confirmation,
    LetterReference,
    Party,
    ReplacedItem,
    date_in_words,
    format_moment,
    format_number,
    is_valid_code,
    load_logo,
    normalise_code,
    qr_png,
    render,
    roman_month,
    terbilang,
    verification_code,
    verification_payload,
)

WIB = ZoneInfo("Asia/Jakarta")
JAKARTA = "Asia/Jakarta"
SECRET = "rahasia-uji"
# Monday 30 November 2026, 14:05 WIB.
SIGNED_AT = datetime(2026, 11, 30, 14, 5, tzinfo=WIB)

TECHNICIAN = Party(
    name="Agus Prasetyo",
    nip="198705122010011003",
    position="Teknisi Jaringan",
    institution="Dinas Komunikasi dan Informatika Kota Pekalongan",
    confirmed=Confirmation(3001, "agus_tkj", SIGNED_AT - timedelta(hours=3)),
)
OPD_OFFICIAL = Party(
    name="Dwi Ṡetyawan",
    nip="197903152006042011",
    position="Sekretaris Dinas",
    institution="Dinas Pendidikan Kota Pekalongan",
    confirmed=Confirmation(2001, None, SIGNED_AT),
)
SWITCH = ReplacedItem(
    name="Switch 24 port TP-Link TL-SG1024D",
    quantity=1,
    unit="unit",
    old_serial="SW-OLD-22331",
    new_serial="SW-NEW-99881",
    specification="Gigabit, unmanaged",
)
CABLE = ReplacedItem(
    name="Kabel UTP Cat6", quantity=15, unit="meter", old_serial=None, new_serial=None
)
HEADER = "No Nama perangkat Spesifikasi Jumlah No. seri lama No. seri baru"
CLOSING = "Demikian berita acara ini dibuat"
KABID = Party(
    name="Ir. Bambang Wicaksono, M.T.",
    nip="197005101995031002",
    position=KABID_POSITION,
    institution="Dinas Komunikasi dan Informatika Kota Pekalongan",
)
APPROVAL = "disetujui penanggung jawab Budi Santoso pada Senin, 30 November 2026 pukul 10.15 WIB"


def data(**changes: Any) -> BeritaAcaraData:
    """Returns a complete berita acara for ticket BN-2026-00001, with the given fields changed."""
    base = BeritaAcaraData(
        number="BA/7/KOMINFO/XI/2026",
        header_lines=(
            "PEMERINTAH KOTA PEKALONGAN",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
            "Jl. Mataram No. 1 Pekalongan 51111",
        ),
        signed_at=SIGNED_AT,
        timezone=JAKARTA,
        ticket_number="BN-2026-00001",
        opd_name="Dinas Pendidikan Kota Pekalongan",
        location="Ruang Tata Usaha, lantai 2",
        fault="Internet mati total — seluruh komputer di ruang TU tidak dapat terhubung.",
        diagnosis="Switch distribusi mati karena catu daya rusak.",
        actions="Switch diganti dan kabel uplink ditarik ulang.",
        items=(SWITCH, CABLE),
        approval_reference=APPROVAL,
        first_party=TECHNICIAN,
        second_party=OPD_OFFICIAL,
        verification_code=verification_code(
            "BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET
        ),
    )
    return dataclasses.replace(base, **changes)


def pages_text(pdf: bytes) -> list[str]:
    """Returns each page's extracted text with runs of whitespace (line wraps) made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    """Returns the whole document's text, pages joined."""
    return " ".join(pages_text(pdf))


@pytest.fixture(scope="module")
def full_pdf() -> bytes:
    """The complete berita acara, rendered once for the tests that only read it."""
    return render(data())


# --- wording -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (11, "XI"), (12, "XII")]
)
def test_roman_month(month: int, roman: str) -> None:
    """Months are numbered in Roman numerals, as in Indonesian letter numbers."""
    assert roman_month(month) == roman


@pytest.mark.parametrize("month", [0, 13, -1])
def test_roman_month_rejects_a_month_that_does_not_exist(month: int) -> None:
    """A month outside 1..12 is a programming error, not a numeral."""
    with pytest.raises(ValueError, match="month"):
        roman_month(month)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (30, "tiga puluh"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (2026, "dua ribu dua puluh enam"),
        (10_000, "sepuluh ribu"),
        (11_000, "sebelas ribu"),
        (21_000, "dua puluh satu ribu"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (
            123_456_789,
            "seratus dua puluh tiga juta empat ratus lima puluh enam ribu "
            "tujuh ratus delapan puluh sembilan",
        ),
        (
            999_999_999,
            "sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh "
            "sembilan ribu sembilan ratus sembilan puluh sembilan",
        ),
        (1_000_000_000, "satu miliar"),
        (2_000_000_000_005, "dua triliun lima"),
    ],
)
def test_terbilang(number: int, words: str) -> None:
    """Numbers are spelt the way Indonesian official documents write them."""
    assert terbilang(number) == words


@pytest.mark.parametrize("number", [-1, 10**15])
def test_terbilang_rejects_numbers_it_cannot_spell(number: int) -> None:
    """Negative numbers and numbers beyond the triliun range are refused."""
    with pytest.raises(ValueError, match="terbilang"):
        terbilang(number)


def test_date_in_words_spells_day_date_month_and_year() -> None:
    """The opening phrase names the weekday and spells the date and year in words."""
    assert date_in_words(SIGNED_AT, JAKARTA) == (
        "Pada hari ini Senin tanggal tiga puluh bulan November tahun dua ribu dua puluh enam"
    )


def test_date_in_words_uses_the_local_date() -> None:
    """New Year's Eve 20:00 UTC is already Friday 1 January 2027 in Pekalongan."""
    moment = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)

    assert date_in_words(moment, JAKARTA) == (
        "Pada hari ini Jumat tanggal satu bulan Januari tahun dua ribu dua puluh tujuh"
    )
    assert date_in_words(moment, "UTC").startswith("Pada hari ini Kamis tanggal tiga puluh satu")


def test_naive_moments_are_refused() -> None:
    """A naive datetime has no local date, so every date function refuses it."""
    naive = datetime(2026, 11, 30, 14, 5)  # noqa: DTZ001 - the point of the test

    with pytest.raises(ValueError, match="timezone-aware"):
        date_in_words(naive, JAKARTA)
    with pytest.raises(ValueError, match="timezone-aware"):
        verification_code("BA/1", "BN-1", naive, SECRET)
    with pytest.raises(ValueError, match="timezone-aware"):
        data(signed_at=naive)


def test_format_moment_shows_local_time_with_the_zone_name() -> None:
    """The confirmation time reads as Indonesian offices write it, in WIB."""
    assert format_moment(SIGNED_AT.astimezone(UTC), JAKARTA) == (
        "Senin, 30 November 2026 pukul 14.05 WIB"
    )
    assert format_moment(SIGNED_AT, "Asia/Makassar").endswith("pukul 15.05 WITA")


# --- numbering -----------------------------------------------------------------------------


def test_format_number_default_template() -> None:
    """The default number follows BA/<seq>/KOMINFO/<roman month>/<year>."""
    assert format_number(DEFAULT_NUMBER_TEMPLATE, 7, SIGNED_AT, JAKARTA) == (
        "BA/7/KOMINFO/XI/2026"
    )


def test_format_number_custom_template() -> None:
    """A configured template may pad the sequence and use the numeric month."""
    template = "{seq:03d}/BA-BN/{month:02d}.{roman_month}/{year}"

    assert format_number(template, 7, SIGNED_AT, JAKARTA) == "007/BA-BN/11.XI/2026"


def test_format_number_takes_month_and_year_from_the_local_date() -> None:
    """31 December 20:00 UTC is numbered in January of the next year (WIB)."""
    moment = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)

    assert format_number(DEFAULT_NUMBER_TEMPLATE, 1, moment, JAKARTA) == "BA/1/KOMINFO/I/2027"


@pytest.mark.parametrize(
    "template",
    [
        "BA/{nomor}/{year}",
        "BA/{0}/{year}",
        "BA/{seq.__class__}/{year}",
        "BA/{seq!r}/{year}",
        "BA/{seq:{year}}",
        "BA/{roman_month:03d}",
        "BA/{seq",
    ],
)
def test_format_number_rejects_bad_templates(template: str) -> None:
    """Unknown fields, attribute access, conversions and malformed braces are refused."""
    with pytest.raises(ValueError, match="template"):
        format_number(template, 7, SIGNED_AT, JAKARTA)


def test_format_number_rejects_a_negative_sequence() -> None:
    """Sequence numbers count up from zero."""
    with pytest.raises(ValueError, match="sequence"):
        format_number(DEFAULT_NUMBER_TEMPLATE, -1, SIGNED_AT, JAKARTA)


# --- verification code ---------------------------------------------------------------------


def test_verification_code_is_short_grouped_base32() -> None:
    """The code is two groups of five base32 characters."""
    code = verification_code("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET)

    assert re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", code)


def test_verification_code_is_stable_for_the_same_instant() -> None:
    """The same fields give the same code, whatever zone the moment is expressed in."""
    first = verification_code("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET)
    again = verification_code(
        "BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT.astimezone(UTC), SECRET
    )

    assert first == again


@pytest.mark.parametrize(
    ("number", "ticket", "moment", "secret"),
    [
        ("BA/8/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET),
        ("BA/7/KOMINFO/XI/2026", "BN-2026-00002", SIGNED_AT, SECRET),
        ("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT + timedelta(seconds=1), SECRET),
        ("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, "rahasia-lain"),
        # Moving a character between fields must not keep the code.
        ("BA/7/KOMINFO/XI/2026B", "N-2026-00001", SIGNED_AT, SECRET),
    ],
)
def test_verification_code_changes_with_any_field(
    number: str, ticket: str, moment: datetime, secret: str
) -> None:
    """Changing the number, ticket, time or secret gives a different code."""
    original = verification_code("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET)

    assert verification_code(number, ticket, moment, secret) != original


def test_verification_code_needs_a_secret() -> None:
    """An empty key would let anyone compute valid codes."""
    with pytest.raises(ValueError, match="secret"):
        verification_code("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, "")


def test_is_valid_code_accepts_the_code_as_people_type_it() -> None:
    """A code typed in lower case or without the dash still checks; a wrong one does not."""
    code = verification_code("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET)
    args = ("BA/7/KOMINFO/XI/2026", "BN-2026-00001", SIGNED_AT, SECRET)

    assert is_valid_code(code, *args)
    assert is_valid_code(f" {code.replace('-', '').lower()} ", *args)
    assert not is_valid_code("AAAAA-AAAAA", *args)
    assert not is_valid_code(code, "BA/7/KOMINFO/XI/2026", "BN-2026-00009", SIGNED_AT, SECRET)


# --- data ----------------------------------------------------------------------------------


def test_replaced_item_needs_a_positive_quantity() -> None:
    """An item replaced zero times is not an item."""
    with pytest.raises(ValueError, match="quantity"):
        ReplacedItem(name="Switch", quantity=0, unit="unit", old_serial=None, new_serial=None)


def test_replaced_item_name_is_bounded() -> None:
    """A table row cannot span pages, so item texts have a length limit."""
    ReplacedItem(
        name="x" * MAX_ITEM_NAME, quantity=1, unit="unit", old_serial=None, new_serial=None
    )
    with pytest.raises(ValueError, match="name"):
        ReplacedItem(
            name="x" * (MAX_ITEM_NAME + 1),
            quantity=1,
            unit="unit",
            old_serial=None,
            new_serial=None,
        )


# --- the PDF -------------------------------------------------------------------------------


def test_render_prints_title_number_and_ticket(full_pdf: bytes) -> None:
    """The heading, letterhead, number, ticket and verification code are on the document."""
    text = text_of(full_pdf)

    assert full_pdf.startswith(b"%PDF-")
    assert TITLE_REPLACEMENT.upper() in text
    assert "PEMERINTAH KOTA PEKALONGAN" in text
    assert "Nomor: BA/7/KOMINFO/XI/2026" in text
    assert "BN-2026-00001" in text
    assert f"Kode verifikasi: {data().verification_code}" in text


def test_render_opens_with_the_date_in_words_and_the_place(full_pdf: bytes) -> None:
    """The opening sentence carries the spelt-out date and the OPD as the place."""
    text = text_of(full_pdf)

    assert (
        "Pada hari ini Senin tanggal tiga puluh bulan November tahun dua ribu dua puluh enam, "
        "bertempat di Dinas Pendidikan Kota Pekalongan, "
        "kami yang bertanda tangan di bawah ini:"
    ) in text


def test_render_names_both_parties(full_pdf: bytes) -> None:
    """Both signatories appear with NIP, position and role, and under their signatures."""
    text = text_of(full_pdf)

    for party in (TECHNICIAN, OPD_OFFICIAL):
        assert party.nip is not None
        assert text.count(party.name) == 2  # identity block and signature block
        assert f"NIP : {party.nip}" in text
        assert f"NIP. {party.nip}" in text
        assert f"Instansi : {party.institution}" in text
    assert "selanjutnya disebut PIHAK PERTAMA" in text
    assert "selanjutnya disebut PIHAK KEDUA" in text
    assert "Dwi Ṡetyawan" in text  # a letter outside Latin-1 survives the embedded font


def test_render_lists_the_repair(full_pdf: bytes) -> None:
    """The details of the repair and the approval for a heavy fault are printed."""
    text = text_of(full_pdf)

    assert "Ruang Tata Usaha, lantai 2" in text
    assert "seluruh komputer di ruang TU tidak dapat terhubung" in text
    assert "Switch distribusi mati karena catu daya rusak." in text
    assert "Switch diganti dan kabel uplink ditarik ulang." in text
    assert f"Pengajuan peralatan : {APPROVAL}" in text


def test_render_tabulates_the_replaced_items(full_pdf: bytes) -> None:
    """Each replaced item is a table row with quantity, unit and both serials ("-" if none)."""
    text = text_of(full_pdf)

    assert HEADER in text
    assert (
        "1 Switch 24 port TP-Link TL-SG1024D Gigabit, unmanaged 1 unit SW-OLD-22331 SW-NEW-99881"
    ) in text
    assert "2 Kabel UTP Cat6 - 15 meter - -" in text
    assert "tidak terdapat peralatan yang diganti" not in text


def test_render_ends_with_closing_signatures_and_confirmation(full_pdf: bytes) -> None:
    """The closing formula, both signature roles and the electronic confirmation follow."""
    text = text_of(full_pdf)

    assert (
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
        "sebagaimana mestinya."
    ) in text
    for note in (
        "Dikonfirmasi secara elektronik melalui akun Telegram (id 2001) pada 30 November 2026 "
        "pukul 14.05 WIB",
        "Dikonfirmasi secara elektronik melalui akun Telegram @agus_tkj (id 3001) pada 30 "
        "November 2026 pukul 11.05 WIB",
    ):
        assert note in text
    closing = text.index("Demikian berita acara")
    assert text.index("PIHAK KEDUA", closing) < text.index("PIHAK PERTAMA", closing)


def test_render_prints_a_n_rank_and_the_old_devices_disposition() -> None:
    """An official signed for ("a.n."), the pangkat under a name, the old devices' fate."""
    opd = dataclasses.replace(
        OPD_OFFICIAL, on_behalf="Kepala Dinas Pendidikan", on_behalf_name="Drs. Slamet"
    )
    technician = dataclasses.replace(TECHNICIAN, rank="Penata Muda, III/a")
    items = (dataclasses.replace(SWITCH, disposition="returned"),)
    (page,) = pages_text(render(data(second_party=opd, first_party=technician, items=items)))

    assert "Atas nama : Kepala Dinas Pendidikan (Drs. Slamet)" in page
    closing = page[page.index(CLOSING) :]
    assert "a.n. Kepala Dinas Pendidikan Sekretaris Dinas" in closing
    assert "Penata Muda, III/a NIP. 198705122010011003" in closing
    assert "Perangkat lama yang diganti dikembalikan kepada OPD." in page
    mixed = (items[0], dataclasses.replace(CABLE, disposition="written_off"))
    (page,) = pages_text(render(data(items=mixed)))
    assert (
        "Perangkat lama yang diganti: nomor 1 dikembalikan kepada OPD; nomor 2 dihapus dari "
        "inventaris."
    ) in page


def test_render_without_items_says_nothing_was_replaced() -> None:
    """With no replaced equipment there is a sentence instead of a table."""
    text = text_of(render(data(items=(), approval_reference=None)))

    assert "Dalam penanganan ini tidak terdapat peralatan yang diganti." in text
    assert "Nama perangkat" not in text
    assert "No. seri lama" not in text
    assert "Pengajuan peralatan" not in text


def test_render_handles_non_latin_names_and_a_missing_nip() -> None:
    """Names in any alphabet render; a missing NIP and position print as "-"."""
    opd = Party(name="Łukasz Żółkiewski", nip=None, position=None, institution="Dinas Kesehatan")
    text = text_of(render(data(second_party=opd)))

    assert text.count("Łukasz Żółkiewski") == 2
    assert "NIP : - Jabatan : -" in text
    assert "NIP. -" in text


def test_render_wraps_a_long_description_over_pages() -> None:
    """A 3000-character description flows onto further pages and the signatures stay whole."""
    words = ("Koneksi jaringan di ruang rapat terputus berulang kali sejak pagi. " * 60)[:3000]
    fault = f"Lambat atau putus-putus — {words} AKHIR-URAIAN"
    pages = pages_text(render(data(fault=fault)))

    assert len(pages) >= 2
    text = " ".join(pages)
    assert "AKHIR-URAIAN" in text
    assert text.count("Koneksi jaringan di ruang rapat terputus") >= 40
    last = pages[-1]
    for needle in ("PIHAK KEDUA", "PIHAK PERTAMA", "NIP. 198705122010011003", "Dikonfirmasi"):
        assert needle in last
    assert all("Kode verifikasi" in page for page in pages)


def test_render_strips_control_characters() -> None:
    """Control and bidi-override characters from user text never reach the document."""
    pdf = render(data(location="Ruang\x00 server\x1b[31m\u202e lantai\t3", diagnosis="a\r\nb"))
    raw_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "Ruang server[31m lantai 3" in " ".join(raw_text.split())
    assert not {"\x00", "\x1b", "\u202e", "\r", "\t"} & set(raw_text)


def test_render_is_deterministic_and_carries_metadata(full_pdf: bytes) -> None:
    """The same data gives the same bytes; title, author and creation date are set."""
    assert render(data()) == full_pdf

    meta = PdfReader(io.BytesIO(full_pdf)).metadata
    assert meta is not None
    assert meta.title == f"{TITLE_REPLACEMENT} BA/7/KOMINFO/XI/2026"
    assert meta.author == "Dinas Kominfo Kota Pekalongan"
    assert meta.creation_date == SIGNED_AT
    assert meta.creation_date is not None
    assert meta.creation_date.utcoffset() == timedelta(hours=7)


def test_render_depends_on_the_data(full_pdf: bytes) -> None:
    """A different signing time gives a different document (the comparison above can fail)."""
    later = SIGNED_AT + timedelta(minutes=1)

    assert render(data(signed_at=later)) != full_pdf


def test_signing_time_in_another_zone_prints_in_wib() -> None:
    """The confirmation time is shown in the document's zone, whatever zone it arrives in."""
    moment = SIGNED_AT.astimezone(timezone(timedelta(hours=-5)))
    text = text_of(render(data(signed_at=moment, items=())))

    assert "pukul 14.05 WIB" in text
    assert "tanggal tiga puluh bulan November" in text


# --- one page, the closing kept together -------------------------------------------------


def _usual_items(count: int) -> tuple[ReplacedItem, ...]:
    """Returns `count` items of the lengths a technician usually types."""
    return tuple(
        dataclasses.replace(SWITCH, old_serial=f"SW-OLD-{n:05d}", new_serial=f"SW-NEW-{n:05d}")
        for n in range(1, count + 1)
    )


def _page_of(pages: list[str], needle: str) -> int:
    (index,) = [i for i, page in enumerate(pages) if needle in page]
    return index


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_usual_berita_acara_fits_one_page_with_every_block(count: int) -> None:
    """Up to five items, a Mengetahui block and the QR code: one A4 page."""
    pdf = render(data(items=_usual_items(count), mengetahui=KABID, bot_username="batiknet_bot"))
    (page,) = pages_text(pdf)

    for needle in (CLOSING, TECHNICIAN.name, OPD_OFFICIAL.name, KABID.name, "Mengetahui,"):
        assert needle in page


def test_twelve_items_flow_to_a_second_page_with_the_header_repeated() -> None:
    """The table continues under its header; the signatures are never without content."""
    pages = pages_text(render(data(items=_usual_items(12), mengetahui=KABID)))

    assert len(pages) == 2
    assert all(page.count(HEADER) == 1 for page in pages)
    assert "SW-OLD-00012" in pages[1]
    closing = _page_of(pages, CLOSING)
    assert closing == 1
    for party in (TECHNICIAN, OPD_OFFICIAL, KABID):
        assert f"NIP. {party.nip}" in pages[closing]
    # Numbering continues over the page: the carried rows keep their numbers.
    assert "12 Switch 24 port" in pages[1] and "1 Switch 24 port" in pages[0]


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    """Forty items take three pages, each with the table header on top."""
    pages = pages_text(render(data(items=_usual_items(40))))

    assert len(pages) >= 2
    assert all(HEADER in page for page in pages if "SW-OLD-" in page)
    assert _page_of(pages, CLOSING) == len(pages) - 1
    assert OPD_OFFICIAL.name in pages[-1] and TECHNICIAN.name in pages[-1]


def test_a_light_fault_with_a_long_report_keeps_the_closing_together() -> None:
    """Without a table the "nothing replaced" sentence goes over with the signatures."""
    actions = "Konfigurasi ulang access point dan pengujian koneksi di tiap ruangan. " * 22
    pages = pages_text(render(data(items=(), approval_reference=None, actions=actions)))

    closing = _page_of(pages, CLOSING)
    assert closing == 1  # the closing did not fit below the report
    assert "tidak terdapat peralatan yang diganti" in pages[closing]
    assert "PIHAK KEDUA menyatakan" in pages[closing]
    assert f"NIP. {OPD_OFFICIAL.nip}" in pages[closing]


# --- title, letter, Mengetahui -------------------------------------------------------------


def test_the_title_follows_whether_equipment_was_replaced() -> None:
    """Replaced equipment: "Penggantian Peralatan"; a light fault: "Penanganan Gangguan"."""
    light = render(data(items=(), approval_reference=None))
    text = text_of(light)

    assert TITLE_HANDLING.upper() in text
    assert "PENGGANTIAN" not in text
    assert PdfReader(io.BytesIO(light)).metadata.title == (  # type: ignore[union-attr]
        f"{TITLE_HANDLING} BA/7/KOMINFO/XI/2026"
    )
    assert "menerima hasil pekerjaan tersebut dengan baik" in text
    assert TITLE_REPLACEMENT.upper() in text_of(render(data()))


def test_the_acceptance_clause_of_pihak_kedua(full_pdf: bytes) -> None:
    """PIHAK KEDUA states that the network works again and accepts the work."""
    assert (
        "PIHAK KEDUA menyatakan bahwa jaringan lokal telah berfungsi normal kembali dan "
        "menerima hasil pekerjaan serta peralatan pengganti tersebut dalam keadaan baik."
    ) in text_of(full_pdf)


@pytest.mark.parametrize(
    ("letter", "cited"),
    [
        (
            LetterReference(),
            "laporan gangguan tiket BN-2026-00001 (surat permohonan belum diterima)",
        ),
        (
            LetterReference(received=True),
            "tiket BN-2026-00001 dan surat permohonan yang terlampir pada tiket,",
        ),
        (
            LetterReference(
                True, "005/123/Dinkes/2026", datetime(2026, 11, 27, tzinfo=WIB).date()
            ),
            "dan surat permohonan Nomor 005/123/Dinkes/2026 tanggal 27 November 2026,",
        ),
    ],
)
def test_the_opd_letter_is_cited(letter: LetterReference, cited: str) -> None:
    """The letter: by number and date when known, attached, or not received yet."""
    text = text_of(render(data(letter=letter)))

    assert cited in text
    assert ("belum diterima" in text) is (not letter.received)


def test_the_mengetahui_block_names_the_kepala_bidang() -> None:
    """The Kepala Bidang countersigns between the parties, with name and NIP."""
    (page,) = pages_text(render(data(mengetahui=KABID)))
    closing = page[page.index(CLOSING) :]

    assert (f"Mengetahui, {KABID_POSITION} {KABID.name} NIP. {KABID.nip} PIHAK PERTAMA") in closing
    assert closing.index("PIHAK KEDUA") < closing.index("Mengetahui,")


def test_a_mengetahui_without_a_known_kepala_bidang_leaves_lines_to_fill_in() -> None:
    """No supervisor registered: the block is there with dotted lines for a hand signature."""
    blank = Party(name="", nip=None, position=KABID_POSITION, institution="Dinas Kominfo")
    text = text_of(render(data(mengetahui=blank)))

    assert "Mengetahui," in text and KABID_POSITION in text
    assert "(" + "." * 40 + ")" in text
    assert "NIP. -" not in text


def test_without_mengetahui_there_is_no_third_signature(full_pdf: bytes) -> None:
    """The setting off (None): two signature blocks only."""
    assert "Mengetahui" not in text_of(full_pdf)


# --- QR code, verification code, letterhead ------------------------------------------------


def _qr_payloads(pdf: bytes) -> list[str]:
    """Decodes every QR code among the images of the document's pages."""
    found: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data))
            found += [result.text for result in zxingcpp.read_barcodes(picture)]
    return found


def test_the_qr_code_opens_the_bot_with_the_code() -> None:
    """The QR code holds the t.me deep link that starts the bot with `ba_<code>`."""
    code = data().verification_code
    pdf = render(data(bot_username="batiknet_bot"))

    assert _qr_payloads(pdf) == [f"https://t.me/batiknet_bot?start=ba_{code}"]
    assert f"/verifikasi {code} kepada @batiknet_bot" in text_of(pdf)


PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="needs pdftoppm (poppler-utils)")
def test_the_printed_qr_code_reads_from_the_rasterised_page(tmp_path: Path) -> None:
    """The page as a printer would see it at 100 dpi still gives the link."""
    source = tmp_path / "ba.pdf"
    source.write_bytes(render(data(bot_username="batiknet_bot", mengetahui=KABID)))
    assert PDFTOPPM is not None
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [PDFTOPPM, "-png", "-r", "100", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
    )
    (result,) = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))

    assert result.text == f"https://t.me/batiknet_bot?start=ba_{data().verification_code}"


def test_without_a_bot_username_the_qr_code_holds_the_code(full_pdf: bytes) -> None:
    """A document rendered without the bot's username still carries a checkable code."""
    assert _qr_payloads(full_pdf) == [data().verification_code]


def test_verification_payload_and_qr_png_round_trip() -> None:
    """The payload is a deep link with a username, the code without; the PNG decodes to it."""
    assert verification_payload("ABCDE-FGHIJ", "bot") == "https://t.me/bot?start=ba_ABCDE-FGHIJ"
    assert verification_payload("ABCDE-FGHIJ", None) == "ABCDE-FGHIJ"
    picture = Image.open(io.BytesIO(qr_png("https://t.me/bot?start=ba_ABCDE-FGHIJ")))
    (result,) = zxingcpp.read_barcodes(picture)
    assert result.text == "https://t.me/bot?start=ba_ABCDE-FGHIJ"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABCDE-FGHIJ", "ABCDE-FGHIJ"),
        (" abcde fghij ", "ABCDE-FGHIJ"),
        ("abcdefghij", "ABCDE-FGHIJ"),
        ("ba_ABCDE-FGHIJ", "ABCDE-FGHIJ"),
        ("ABCDE-FGHI", None),
        ("ABCDE-FGHIJK", None),
        ("ABCDE-FGH1J", None),  # 1 is not a base32 letter
        ("", None),
    ],
)
def test_normalise_code(typed: str, code: str | None) -> None:
    """Case, spaces, the dash and the QR prefix do not matter; other text is no code."""
    assert normalise_code(typed) == code


def test_the_letterhead_prints_the_address_and_the_logo(tmp_path: Path) -> None:
    """A logo file that can be printed is placed left of the letterhead; a bad one is left out."""
    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(qr_png("logo"))  # any PNG does
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")

    logo = load_logo(str(logo_file))
    assert logo is not None
    assert load_logo(str(broken)) is None
    assert load_logo(str(tmp_path / "missing.png")) is None
    assert load_logo("") is None

    pdf = render(data(logo=logo, address="Jl. Mataram No. 1 Pekalongan · Telepon (0285) 421243"))
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2  # the logo and the QR code
    assert "Jl. Mataram No. 1 Pekalongan · Telepon (0285) 421243" in text_of(pdf)
