"""Berita acara: the PDF an OPD signs when a local network fault is closed.

Step 10 of the published service standard: once a local network fault is repaired, the OPD
that reported it signs minutes (berita acara): "penggantian peralatan" when equipment was
replaced, "penanganan gangguan" otherwise. The bot produces them after the OPD confirms the
repair and both parties confirm it. Pure domain code (standard library and fpdf2): the data
printed, the numbering and the rendering; the Indonesian number and date words are in `words`,
the verification code and its QR code in `codes`. The fault categories' Indonesian names live
here too: the document prints them, and the chat texts show the same words.
"""

from __future__ import annotations

import logging
import string
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.services.berita_acara.codes import (
    CODE_PATTERN,
    is_valid_code,
    normalise_code,
    qr_png,
    verification_code,
    verification_payload,
)
from bot.services.berita_acara.words import (
    date_in_words,
    format_date,
    format_moment,
    local_time,
    require_aware,
    roman_month,
    short_moment,
    terbilang,
)
from bot.services.domain import Category

__all__ = [
    "CATEGORY",
    "CODE_PATTERN",
    "DEFAULT_NUMBER_TEMPLATE",
    "DISPOSITIONS",
    "KABID_POSITION",
    "MAX_ITEM_NAME",
    "MAX_ITEM_SPEC",
    "MAX_ITEM_UNIT",
    "MAX_SERIAL",
    "TECHNICIAN_POSITION",
    "TITLE_HANDLING",
    "TITLE_REPLACEMENT",
    "AnnexPhoto",
    "BeritaAcaraData",
    "Confirmation",
    "LetterReference",
    "Party",
    "ReplacedItem",
    "approval_reference",
    "confirmation_note",
    "date_in_words",
    "fault",
    "format_date",
    "format_moment",
    "format_number",
    "is_valid_code",
    "load_logo",
    "normalise_code",
    "qr_png",
    "render",
    "roman_month",
    "signed_note",
    "terbilang",
    "title_for",
    "verification_code",
    "verification_payload",
]

log = logging.getLogger(__name__)

DEFAULT_NUMBER_TEMPLATE = "BA/{seq}/KOMINFO/{roman_month}/{year}"
# The standard's procedure 10 names the document after the replaced equipment; a repair that
# replaced nothing is minuted as the handling of the fault.
TITLE_REPLACEMENT = "Berita Acara Penggantian Peralatan Jaringan Lokal"
TITLE_HANDLING = "Berita Acara Penanganan Gangguan Jaringan Lokal"
# The official who supervises the service in the standard ("Mengetahui" on the document).
KABID_POSITION = "Kepala Bidang Infrastruktur dan Statistik"
AUTHOR = "Dinas Kominfo Kota Pekalongan"
FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "DejaVu"
# Longest texts of a replaced item (characters); see ReplacedItem for why there is a bound.
MAX_ITEM_NAME = 200
MAX_ITEM_UNIT = 30
MAX_SERIAL = 100
MAX_ITEM_SPEC = 200

CATEGORY = {
    Category.INTERNET_DOWN: "Internet mati total",
    Category.SLOW: "Lambat atau putus-putus",
    Category.WIFI: "Wi-Fi",
    Category.DEVICE: "Perangkat/kabel",
    Category.OTHER: "Lainnya",
}
# What becomes of a replaced (old) device, as the technician records it in the repair report.
DISPOSITIONS = {
    "returned": "dikembalikan kepada OPD",
    "stored": "disimpan di Dinas Kominfo",
    "written_off": "dihapus dari inventaris",
}
# Printed for a technician whose profile names no position.
TECHNICIAN_POSITION = "Teknisi"
_TEMPLATE_FIELDS = frozenset({"seq", "roman_month", "month", "year"})
# Bidirectional overrides and isolates are invisible yet reorder what a reader sees; on a
# signed document they could make a name or serial number read as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

# Layout, in millimetres and points (A4 portrait). The sizes are chosen so that the usual
# berita acara (up to five items, descriptions of a few lines) fits on one page.
_MARGIN = 20.0
_TOP = 12.0
_BOTTOM = 16.0
_LINE = 4.5
_BODY_PT = 10.0
_SMALL_PT = 7.5
_TABLE_PT = 9.0
_LABEL_W = 38.0
_COLON_W = 4.0
_INDENT = 6.0
_GAP = 1.5
_SIGNATURE_SPACE = 16.0
_LOGO_H = 22.0
_QR_SIZE = 20.0
_TABLE_COLUMNS = (8.0, 54.0, 38.0, 16.0, 27.0, 27.0)
_TABLE_HEADER = (
    "No",
    "Nama perangkat",
    "Spesifikasi",
    "Jumlah",
    "No. seri lama",
    "No. seri baru",
)
# Rows of the table that go over with the closing when it does not fit below the table.
_CARRY = 2
_BLANK_NAME = "(" + "." * 40 + ")"
# The photo annex: at most six photos, two a row, each in a box of the page's half width.
ANNEX_MAX = 6
_ANNEX_H = 62.0
_ANNEX_CAPTION = 5.0
_ANNEX_GAP = 6.0
_BLANK_NIP = "." * 30


@dataclass(frozen=True)
class Confirmation:
    """A party's electronic confirmation: the Telegram account that gave it and when."""

    telegram_id: int
    username: str | None
    at: datetime


@dataclass(frozen=True)
class Party:
    """A signatory of the berita acara: the Kominfo technician or the OPD's official.

    `on_behalf` is the position (and `on_behalf_name` the name) of the official the signatory
    signs for ("a.n." as Indonesian letters write it); `confirmed` the electronic confirmation.
    """

    name: str
    nip: str | None
    position: str | None
    institution: str
    confirmed: Confirmation | None = None
    on_behalf: str | None = None
    on_behalf_name: str | None = None
    rank: str | None = None


@dataclass(frozen=True)
class ReplacedItem:
    """One piece of equipment replaced during the repair, with its specification if known."""

    name: str
    quantity: int
    unit: str
    old_serial: str | None
    new_serial: str | None
    specification: str | None = None
    disposition: str | None = None  # a key of DISPOSITIONS: what becomes of the old device

    def __post_init__(self) -> None:
        """Rejects a non-positive quantity and texts too long for a table row."""
        if self.quantity < 1:
            raise ValueError(f"quantity must be at least 1, got {self.quantity}")
        # A table row cannot continue on the next page; these bounds keep every row well
        # within one page (and no real device name or serial number comes near them).
        limits = (
            ("name", self.name, MAX_ITEM_NAME),
            ("unit", self.unit, MAX_ITEM_UNIT),
            ("old_serial", self.old_serial or "", MAX_SERIAL),
            ("new_serial", self.new_serial or "", MAX_SERIAL),
            ("specification", self.specification or "", MAX_ITEM_SPEC),
        )
        for field, value, limit in limits:
            if len(value) > limit:
                raise ValueError(f"{field} is longer than {limit} characters")


@dataclass(frozen=True)
class AnnexPhoto:
    """A photo of the ticket printed on the annex page, with its caption."""

    caption: str
    data: bytes


@dataclass(frozen=True)
class LetterReference:
    """The OPD's request letter (surat permohonan) as the berita acara cites it."""

    # Whether the letter reached the bot (attached to the ticket), and what the OPD's letter
    # says of itself when that is known.
    received: bool = False
    number: str | None = None
    dated: date | None = None


@dataclass(frozen=True)
class BeritaAcaraData:
    """Everything printed on one berita acara.

    `mengetahui` is the Kepala Bidang who countersigns ("Mengetahui"); None leaves the block
    out, a party with an empty name prints blank lines to be filled in by hand.
    """

    number: str
    header_lines: tuple[str, ...]
    signed_at: datetime
    timezone: str
    ticket_number: str
    opd_name: str
    location: str
    fault: str
    diagnosis: str
    actions: str
    items: tuple[ReplacedItem, ...]
    approval_reference: str | None
    first_party: Party
    second_party: Party
    verification_code: str
    letter: LetterReference = LetterReference()
    mengetahui: Party | None = None
    address: str = ""
    logo: bytes | None = None
    bot_username: str | None = None
    photos: tuple[AnnexPhoto, ...] = ()  # the annex page (lampiran foto); none: no annex

    def __post_init__(self) -> None:
        """Rejects a naive signing time, which has no date in any particular zone."""
        require_aware(self.signed_at)

    @property
    def title(self) -> str:
        """Returns the document's title: equipment replaced or a fault handled."""
        return title_for(bool(self.items))


def title_for(replaced: bool) -> str:
    """Returns the title of a berita acara with (True) or without replaced equipment."""
    return TITLE_REPLACEMENT if replaced else TITLE_HANDLING


def fault(category: Category, description: str) -> str:
    """Returns the fault as the berita acara states it: the category's name and the report."""
    # A dash, not a colon: the document prints it after "Gangguan :".
    return f"{CATEGORY[category]} — {description}"


def approval_reference(approver: str, approved_at: datetime, timezone: str) -> str:
    """Returns the words that cite the penanggung jawab's approval of the equipment."""
    return f"disetujui penanggung jawab {approver} pada {format_moment(approved_at, timezone)}"


def signed_note(signatory: str) -> str:
    """Returns the ticket log's note of the OPD's signature."""
    return f"ditandatangani {signatory}"


def format_number(template: str, seq: int, moment: datetime, timezone: str) -> str:
    """Fills a numbering template with the sequence number and the local month and year."""
    if seq < 0:
        raise ValueError(f"sequence number must not be negative, got {seq}")
    _check_template(template)
    local = local_time(moment, timezone)
    return template.format(
        seq=seq, roman_month=roman_month(local.month), month=local.month, year=local.year
    )


def _check_template(template: str) -> None:
    # The template comes from configuration; allowing only bare known names keeps str.format
    # from reaching attributes or items ("{seq.__class__}") and fails early on a typo.
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ValueError(f"malformed number template {template!r}: {error}") from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in _TEMPLATE_FIELDS:
            allowed = ", ".join(sorted(_TEMPLATE_FIELDS))
            raise ValueError(f"number template field {field!r} is not one of {allowed}")
        if conversion or (spec and "{" in spec):
            raise ValueError(f"number template field {field!r} has an unsupported format")
    try:
        template.format(seq=1, roman_month="I", month=1, year=2000)
    except ValueError as error:  # e.g. "{roman_month:03d}"
        raise ValueError(f"number template {template!r} cannot be formatted: {error}") from None


def load_logo(path: str) -> bytes | None:
    """Returns the letterhead logo's bytes, or None (logged) when it cannot be printed."""
    if not path:
        return None
    try:
        logo = Path(path).read_bytes()
        # A logo that fpdf2 cannot place must not keep a berita acara from being issued.
        from bot.services.berita_acara import drawing

        drawing.logo_usable(logo)
    except Exception:  # any file or image error: the document goes out without the logo
        log.warning("the letterhead logo %s cannot be used", path, exc_info=True)
        return None
    return logo


def _clean(text: str, *, multiline: bool = False) -> str:
    """Strips control characters from user text, keeping line breaks where they are allowed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    for char in text:
        if char == "\n":
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs"}:
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    if multiline:
        return "\n".join(line.strip() for line in cleaned.split("\n")).strip()
    return " ".join(cleaned.split())


def _or_dash(text: str | None) -> str:
    cleaned = _clean(text) if text is not None else ""
    return cleaned or "-"


def render(data: BeritaAcaraData) -> bytes:
    """Renders the berita acara as an A4 PDF; the same data always gives the same bytes."""
    # fpdf2 (with Pillow, NumPy, fontTools) is imported when the first document is drawn.
    from bot.services.berita_acara import drawing

    return drawing.render(data)


def confirmation_note(confirmed: Confirmation, timezone: str) -> str:
    """Returns the line printed under a signature confirmed in the bot."""
    account = f"@{_clean(confirmed.username)} " if confirmed.username else ""
    return (
        f"Dikonfirmasi secara elektronik melalui akun Telegram {account}"
        f"(id {confirmed.telegram_id}) pada {short_moment(confirmed.at, timezone)}"
    )


clean = _clean  # shared with the evaluation report (bot/services/reports/document.py)
