"""Berita acara penggantian peralatan jaringan lokal: the PDF an OPD signs when a fault is closed.

Step 10 of the published service standard: once a local network fault is repaired, the OPD
that reported it signs minutes (berita acara) of the replaced equipment. The bot produces them
after the OPD confirms the repair electronically. Pure domain code (standard library + fpdf2):
the numbering, the Indonesian number and date wording, a verification code and the rendering.
The fault categories' Indonesian names live here too: the document prints them, and the chat
texts show the same words.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import string
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from bot.services.domain import Category

__all__ = [
    "CATEGORY",
    "DEFAULT_NUMBER_TEMPLATE",
    "MAX_ITEM_NAME",
    "MAX_ITEM_UNIT",
    "MAX_SERIAL",
    "TECHNICIAN_POSITION",
    "TITLE",
    "BeritaAcaraData",
    "Party",
    "ReplacedItem",
    "approval_reference",
    "date_in_words",
    "fault",
    "format_moment",
    "format_number",
    "is_valid_code",
    "render",
    "roman_month",
    "signed_note",
    "terbilang",
    "verification_code",
]

DEFAULT_NUMBER_TEMPLATE = "BA/{seq}/KOMINFO/{roman_month}/{year}"
TITLE = "BERITA ACARA PENGGANTIAN PERALATAN JARINGAN LOKAL"
AUTHOR = "Dinas Kominfo Kota Pekalongan"
FONTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT = "DejaVu"
# Longest texts of a replaced item (characters); see ReplacedItem for why there is a bound.
MAX_ITEM_NAME = 200
MAX_ITEM_UNIT = 30
MAX_SERIAL = 100

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
CATEGORY = {
    Category.INTERNET_DOWN: "Internet mati total",
    Category.SLOW: "Lambat atau putus-putus",
    Category.WIFI: "Wi-Fi",
    Category.DEVICE: "Perangkat/kabel",
    Category.OTHER: "Lainnya",
}
# Printed for a technician whose profile names no position.
TECHNICIAN_POSITION = "Teknisi"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# Scale words from the largest down; Indonesian groups by thousands like English.
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
_TERBILANG_LIMIT = 10**15
_TEMPLATE_FIELDS = frozenset({"seq", "roman_month", "month", "year"})
# Bidirectional overrides and isolates are invisible yet reorder what a reader sees; on a
# signed document they could make a name or serial number read as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

# Layout, in millimetres and points (A4 portrait).
_MARGIN = 20.0
_LINE = 6.0
_BODY_PT = 11.0
_SMALL_PT = 8.0
_LABEL_W = 42.0
_COLON_W = 4.0
_INDENT = 6.0
_SIGNATURE_SPACE = 22.0
_TABLE_COLUMNS = (0.07, 0.35, 0.16, 0.21, 0.21)
_TABLE_HEADER = ("No", "Nama perangkat", "Jumlah", "No. seri lama", "No. seri baru")


@dataclass(frozen=True)
class Party:
    """A signatory of the berita acara: the Kominfo technician or the OPD's official."""

    name: str
    nip: str | None
    position: str | None
    institution: str


@dataclass(frozen=True)
class ReplacedItem:
    """One piece of equipment replaced during the repair."""

    name: str
    quantity: int
    unit: str
    old_serial: str | None
    new_serial: str | None

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
        )
        for field, value, limit in limits:
            if len(value) > limit:
                raise ValueError(f"{field} is longer than {limit} characters")


@dataclass(frozen=True)
class BeritaAcaraData:
    """Everything printed on one berita acara."""

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

    def __post_init__(self) -> None:
        """Rejects a naive signing time, which has no date in any particular zone."""
        _require_aware(self.signed_at)


def roman_month(month: int) -> str:
    """Returns the Roman numeral of a month (1..12), as used in Indonesian letter numbers."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be within 1..12, got {month}")
    return _ROMAN[month - 1]


def terbilang(n: int) -> str:
    """Spells a non-negative integer below 10**15 in Indonesian words."""
    if n < 0:
        raise ValueError(f"terbilang needs a non-negative number, got {n}")
    if n >= _TERBILANG_LIMIT:
        raise ValueError(f"terbilang supports numbers below {_TERBILANG_LIMIT}, got {n}")
    if n == 0:
        return _DIGITS[0]
    words: list[str] = []
    for scale, name in _SCALES:
        group, n = divmod(n, scale)
        if group == 0:
            continue
        # "seribu", not "satu ribu"; every larger scale keeps "satu" ("satu juta").
        words.append(
            "seribu" if group == 1 and scale == 1000 else f"{_below_thousand(group)} {name}"
        )
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_DIGITS[hundreds]} ratus")
    if rest:
        words.append(_below_hundred(rest))
    return " ".join(words)


def _below_hundred(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_DIGITS[n - 10]} belas"
    tens, ones = divmod(n, 10)
    return f"{_DIGITS[tens]} puluh" + (f" {_DIGITS[ones]}" if ones else "")


def date_in_words(moment: datetime, timezone: str) -> str:
    """Returns the opening date phrase of a berita acara for the local date in the zone."""
    local = _local(moment, timezone)
    return (
        f"Pada hari ini {DAYS[local.weekday()]} tanggal {terbilang(local.day)} "
        f"bulan {MONTHS[local.month - 1]} tahun {terbilang(local.year)}"
    )


def format_moment(moment: datetime, timezone: str) -> str:
    """Returns a local timestamp such as "Senin, 30 November 2026 pukul 14.05 WIB"."""
    local = _local(moment, timezone)
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} {local.tzname()}"
    )


def fault(category: Category, description: str) -> str:
    """Returns the fault as the berita acara states it: the category's name and the report."""
    return f"{CATEGORY[category]}: {description}"


def approval_reference(approver: str, approved_at: datetime, timezone: str) -> str:
    """Returns the line that cites the penanggung jawab's approval of the equipment."""
    return f"Persetujuan penanggung jawab {approver}, {format_moment(approved_at, timezone)}"


def signed_note(signatory: str) -> str:
    """Returns the ticket log's note of the OPD's signature."""
    return f"ditandatangani {signatory}"


def format_number(template: str, seq: int, moment: datetime, timezone: str) -> str:
    """Fills a numbering template with the sequence number and the local month and year."""
    if seq < 0:
        raise ValueError(f"sequence number must not be negative, got {seq}")
    _check_template(template)
    local = _local(moment, timezone)
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


def verification_code(number: str, ticket_number: str, signed_at: datetime, secret: str) -> str:
    """Returns the short code ("XXXXX-XXXXX") that proves the bot issued this berita acara."""
    if not secret:
        raise ValueError("verification secret must not be empty")
    _require_aware(signed_at)
    # JSON keeps the fields apart unambiguously; UTC makes the code independent of the zone
    # the moment happens to be expressed in.
    message = json.dumps([number, ticket_number, signed_at.astimezone(UTC).isoformat()])
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    head = base64.b32encode(digest).decode("ascii")[:10]
    return f"{head[:5]}-{head[5:]}"


def is_valid_code(
    code: str, number: str, ticket_number: str, signed_at: datetime, secret: str
) -> bool:
    """Tells whether a code read off a printed berita acara matches its fields."""
    typed = code.strip().upper().replace(" ", "").replace("-", "")
    expected = verification_code(number, ticket_number, signed_at, secret).replace("-", "")
    return hmac.compare_digest(typed.encode(), expected.encode())


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the moment must be timezone-aware")


def _local(moment: datetime, timezone: str) -> datetime:
    _require_aware(moment)
    return moment.astimezone(ZoneInfo(timezone))


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


class _Document(FPDF):
    """A4 page set with the berita acara's fonts and the verification footer on every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer_text = footer_text
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN)
        self.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))

    def footer(self) -> None:
        """Prints the verification code and page number at the bottom of each page."""
        self.set_y(-_MARGIN + 6)
        self.set_font(FONT, "", _SMALL_PT)
        self.cell(
            0, 4, f"{self._footer_text}    Halaman {self.page_no()} dari {{nb}}", align=Align.C
        )


def render(data: BeritaAcaraData) -> bytes:
    """Renders the berita acara as an A4 PDF; the same data always gives the same bytes."""
    pdf = _Document(f"Kode verifikasi: {_clean(data.verification_code)}")
    number = _clean(data.number)
    pdf.set_title(f"Berita Acara Penggantian Peralatan Jaringan Lokal {number}")
    pdf.set_author(AUTHOR)
    pdf.set_subject(f"Tiket {_clean(data.ticket_number)}")
    pdf.set_creator("Bot Telegram Batik.Net")
    pdf.set_lang("id")
    # fpdf2 otherwise stamps the current time, which would make every rendering differ.
    pdf.set_creation_date(data.signed_at)
    pdf.add_page()

    _letterhead(pdf, data.header_lines)
    _title(pdf, number)
    _paragraph(
        pdf,
        f"{date_in_words(data.signed_at, data.timezone)}, bertempat di {_clean(data.opd_name)}, "
        "kami yang bertanda tangan di bawah ini:",
    )
    _party(pdf, 1, data.first_party, "PIHAK PERTAMA")
    _party(pdf, 2, data.second_party, "PIHAK KEDUA")
    _paragraph(
        pdf,
        "PIHAK PERTAMA telah melaksanakan penanganan gangguan jaringan lokal Batik.Net "
        "dengan rincian sebagai berikut:",
    )
    details = [
        ("Nomor tiket", _clean(data.ticket_number)),
        ("Lokasi", _clean(data.location, multiline=True)),
        ("Gangguan", _clean(data.fault, multiline=True)),
        ("Hasil diagnosis", _clean(data.diagnosis, multiline=True)),
        ("Tindakan perbaikan", _clean(data.actions, multiline=True)),
    ]
    if data.approval_reference is not None:
        # Heavy faults need the penanggung jawab's approval before work starts (the standard).
        details.append(("Dasar persetujuan", _clean(data.approval_reference, multiline=True)))
    for label, value in details:
        _field(pdf, label, value, indent=_INDENT)
    pdf.ln(2)
    _items(pdf, data.items)
    _paragraph(
        pdf,
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
        "sebagaimana mestinya.",
    )
    _signatures(pdf, data)
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, lines: tuple[str, ...]) -> None:
    # Letterheads print the government and office names in capitals and the address in
    # ordinary case; everything before the first line with a lower-case letter is a name.
    cleaned = [_clean(line) for line in lines]
    names = len(cleaned)
    for index, line in enumerate(cleaned):
        if line != line.upper():
            names = index
            break
    for index, line in enumerate(cleaned):
        if index < names:
            pdf.set_font(FONT, "B", 14 if index == names - 1 else 12)
            height = 7.0
        else:
            pdf.set_font(FONT, "", 9)
            height = 4.5
        pdf.multi_cell(0, height, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if cleaned:
        pdf.ln(1.5)
        y = pdf.get_y()
        right = pdf.w - pdf.r_margin
        pdf.set_line_width(0.8)
        pdf.line(pdf.l_margin, y, right, y)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, y + 1.0, right, y + 1.0)
        pdf.set_y(y + 6.0)


def _title(pdf: FPDF, number: str) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6.5, TITLE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.multi_cell(
        0, _LINE, f"Nomor: {number}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.multi_cell(0, _LINE, text, align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _field(pdf: FPDF, label: str, value: str, *, indent: float) -> None:
    """Prints one "label : value" row whose value wraps within its own column."""
    pdf.set_font(FONT, "", _BODY_PT)
    # Keep the label with at least the first line of its value.
    if pdf.will_page_break(_LINE):
        pdf.add_page()
    pdf.set_x(pdf.l_margin + indent)
    pdf.cell(_LABEL_W, _LINE, label)
    pdf.cell(_COLON_W, _LINE, ":")
    pdf.multi_cell(0, _LINE, value or "-", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _party(pdf: FPDF, ordinal: int, party: Party, role: str) -> None:
    pdf.set_font(FONT, "", _BODY_PT)
    # A party's identity reads as one block; start it on a new page rather than split it.
    if pdf.will_page_break(5 * _LINE):
        pdf.add_page()
    pdf.cell(_INDENT, _LINE, f"{ordinal}.")
    _field(pdf, "Nama", _or_dash(party.name), indent=_INDENT)
    _field(pdf, "NIP", _or_dash(party.nip), indent=_INDENT)
    _field(pdf, "Jabatan", _or_dash(party.position), indent=_INDENT)
    _field(pdf, "Instansi", _or_dash(party.institution), indent=_INDENT)
    pdf.set_x(pdf.l_margin + _INDENT)
    pdf.write(_LINE, "selanjutnya disebut ")
    pdf.set_font(FONT, "B", _BODY_PT)
    pdf.write(_LINE, role)
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.write(_LINE, ".")
    pdf.ln(_LINE + 2)


def _items(pdf: FPDF, items: tuple[ReplacedItem, ...]) -> None:
    pdf.set_font(FONT, "", _BODY_PT)
    if not items:
        _paragraph(pdf, "Dalam penanganan ini tidak terdapat peralatan yang diganti.")
        return
    _paragraph(pdf, "Adapun peralatan yang diganti adalah sebagai berikut:")
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=_TABLE_COLUMNS,
        text_align=(Align.C, Align.L, Align.C, Align.L, Align.L),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5.5,
        padding=1.5,
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for title in _TABLE_HEADER:
            header.cell(title, align=Align.C)
        for index, item in enumerate(items, start=1):
            row = table.row()
            row.cell(str(index))
            row.cell(_or_dash(item.name))
            row.cell(f"{item.quantity} {_clean(item.unit)}".strip())
            row.cell(_or_dash(item.old_serial))
            row.cell(_or_dash(item.new_serial))
    pdf.ln(4)


def _signatures(pdf: FPDF, data: BeritaAcaraData) -> None:
    """Prints both signature blocks side by side: the OPD on the left, Kominfo on the right."""
    gap = 10.0
    width = (pdf.epw - gap) / 2
    columns = (pdf.l_margin, pdf.l_margin + width + gap)
    blocks = (
        _signature_lines(data.second_party, "PIHAK KEDUA"),
        _signature_lines(data.first_party, "PIHAK PERTAMA"),
    )
    confirmed = (
        "Dikonfirmasi secara elektronik melalui bot Telegram Batik.Net pada "
        f"{format_moment(data.signed_at, data.timezone)}"
    )
    # Names and NIPs line up across both columns, whatever the length of each position.
    position_height = max(
        _text_height(pdf, b.position, width, "", _BODY_PT, _LINE) for b in blocks
    )
    name_height = max(_text_height(pdf, b.name, width, "B", _BODY_PT, _LINE) for b in blocks)
    height = (
        _LINE
        + position_height
        + _SIGNATURE_SPACE
        + name_height
        + _LINE
        + 2
        + _text_height(pdf, confirmed, width, "", _SMALL_PT, 4.0)
    )
    # A signature must stay on one page with its name.
    if pdf.will_page_break(height + 2):
        pdf.add_page()
    top = pdf.get_y() + 2
    for x, block in zip(columns, blocks, strict=True):
        _centred(pdf, x, top, width, block.role, "B", _BODY_PT, _LINE)
        if block.position:
            _centred(pdf, x, top + _LINE, width, block.position, "", _BODY_PT, _LINE)
        name_top = top + _LINE + position_height + _SIGNATURE_SPACE
        # Signed names are underlined, as on printed Indonesian official documents.
        _centred(pdf, x, name_top, width, block.name, "BU", _BODY_PT, _LINE)
        _centred(pdf, x, name_top + name_height, width, f"NIP. {block.nip}", "", _BODY_PT, _LINE)
    below = top + _LINE + position_height + _SIGNATURE_SPACE + name_height + _LINE + 2
    _centred(pdf, columns[0], below, width, confirmed, "", _SMALL_PT, 4.0)
    pdf.set_x(pdf.l_margin)


@dataclass(frozen=True)
class _SignatureLines:
    role: str
    position: str
    name: str
    nip: str


def _signature_lines(party: Party, role: str) -> _SignatureLines:
    position = _clean(party.position) if party.position else ""
    return _SignatureLines(
        role=role, position=position, name=_or_dash(party.name), nip=_or_dash(party.nip)
    )


def _text_height(
    pdf: FPDF, text: str, width: float, style: str, size: float, line: float
) -> float:
    """Returns the height a centred multi-line text would take in a column."""
    if not text:
        return 0.0
    pdf.set_font(FONT, style, size)
    height = pdf.multi_cell(width, line, text, dry_run=True, output=MethodReturnValue.HEIGHT)
    if not isinstance(height, int | float):  # the return type depends on `output`
        raise TypeError(f"fpdf2 returned {type(height).__name__} for a height")
    return float(height)


def _centred(
    pdf: FPDF, x: float, y: float, width: float, text: str, style: str, size: float, line: float
) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(width, line, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
