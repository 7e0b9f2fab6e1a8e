"""Berita acara drawing: lays the document out with fpdf2 (imported only when one is drawn).

fpdf2 brings Pillow, NumPy and fontTools with it: about 40 MB the bot does not need until it
draws a berita acara, so `document.render` imports this module on first use.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace

from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from bot.services.berita_acara.codes import qr_png, verification_payload
from bot.services.berita_acara.document import (
    _ANNEX_CAPTION,
    _ANNEX_GAP,
    _ANNEX_H,
    _BLANK_NAME,
    _BLANK_NIP,
    _BODY_PT,
    _BOTTOM,
    _CARRY,
    _COLON_W,
    _GAP,
    _INDENT,
    _LABEL_W,
    _LINE,
    _LOGO_H,
    _MARGIN,
    _QR_SIZE,
    _SIGNATURE_SPACE,
    _SMALL_PT,
    _TABLE_COLUMNS,
    _TABLE_HEADER,
    _TABLE_PT,
    _TOP,
    ANNEX_MAX,
    AUTHOR,
    DISPOSITIONS,
    FONT,
    FONTS_DIR,
    AnnexPhoto,
    BeritaAcaraData,
    Party,
    ReplacedItem,
    _clean,
    _or_dash,
    confirmation_note,
)
from bot.services.berita_acara.words import date_in_words, format_date

# The logger of the module the drawing was split from, as before.
log = logging.getLogger("bot.services.berita_acara.document")


class _Document(FPDF):
    """A4 page set with the berita acara's fonts and the verification footer on every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer_text = footer_text
        # Set when the closing block did not fit below the content and began a new page.
        self.closing_moved = False
        self.set_margins(_MARGIN, _TOP, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_BOTTOM)
        # The condensed cut sets about as wide as Arial, the face of Indonesian official
        # letters, and fits a usual berita acara on one page.
        self.add_font(FONT, "", str(FONTS_DIR / "DejaVuSansCondensed.ttf"))
        self.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSansCondensed-Bold.ttf"))

    def discard(self) -> None:
        """Closes the font files of a layout that is thrown away (output() closes them)."""
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def footer(self) -> None:
        """Prints the verification code, how to check it and the page number on each page."""
        self.set_y(-_BOTTOM + 4)
        self.set_font(FONT, "", _SMALL_PT)
        self.multi_cell(
            0,
            3.4,
            f"{self._footer_text}\nHalaman {self.page_no()} dari {{nb}}",
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _compose(data: BeritaAcaraData, carry: int) -> _Document:
    """Lays the document out; the last `carry` items start a new page."""
    code = _clean(data.verification_code)
    where = f" kepada @{_clean(data.bot_username)}" if data.bot_username else ""
    pdf = _Document(
        f"Kode verifikasi: {code}. Keaslian berita acara ini dapat diperiksa dengan memindai "
        f"kode QR atau mengirim /verifikasi {code}{where} di Telegram."
    )
    number = _clean(data.number)
    pdf.set_title(f"{data.title} {number}")
    pdf.set_author(AUTHOR)
    pdf.set_subject(f"Tiket {_clean(data.ticket_number)}")
    pdf.set_creator("Bot Telegram Batik.Net")
    pdf.set_lang("id")
    # fpdf2 otherwise stamps the current time, which would make every rendering differ.
    pdf.set_creation_date(data.signed_at)
    pdf.add_page()

    _letterhead(pdf, data.header_lines, _clean(data.address), data.logo)
    _title(pdf, data.title.upper(), number)
    _paragraph(
        pdf,
        f"{date_in_words(data.signed_at, data.timezone)}, bertempat di {_clean(data.opd_name)}, "
        "kami yang bertanda tangan di bawah ini:",
    )
    _party(pdf, 1, data.first_party, "PIHAK PERTAMA")
    _party(pdf, 2, data.second_party, "PIHAK KEDUA")
    _paragraph(pdf, _basis(data))
    details = [
        ("Lokasi", _clean(data.location, multiline=True)),
        ("Gangguan", _clean(data.fault, multiline=True)),
        ("Hasil diagnosis", _clean(data.diagnosis, multiline=True)),
        ("Tindakan perbaikan", _clean(data.actions, multiline=True)),
    ]
    if data.approval_reference is not None:
        # Heavy faults need the penanggung jawab's approval before work starts (the standard).
        details.append(("Pengajuan peralatan", _clean(data.approval_reference, multiline=True)))
    for label, value in details:
        _field(pdf, label, value, indent=_INDENT)
    pdf.ln(_GAP)
    _items(pdf, data.items, carry)
    _closing(pdf, data)
    if data.photos:
        _annex(pdf, number, data.photos)
    return pdf


def _annex(pdf: FPDF, number: str, photos: tuple[AnnexPhoto, ...]) -> None:
    """Prints the photos on a page of their own, two a row, each with its caption."""
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6.0, "LAMPIRAN FOTO", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.multi_cell(
        0,
        _LINE,
        f"Lampiran berita acara Nomor: {number}",
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    top = pdf.get_y() + 4.0
    width = (pdf.epw - _ANNEX_GAP) / 2
    for index, photo in enumerate(photos[:ANNEX_MAX]):
        row, column = divmod(index, 2)
        x = pdf.l_margin + column * (width + _ANNEX_GAP)
        y = top + row * (_ANNEX_H + _ANNEX_CAPTION + _ANNEX_GAP)
        try:
            pdf.image(
                io.BytesIO(photo.data), x=x, y=y, w=width, h=_ANNEX_H, keep_aspect_ratio=True
            )
        except Exception:  # a file that is no image: its caption says so, the rest print
            log.warning("an annex photo of berita acara %s cannot be printed", number)
            _centred(pdf, x, y + _ANNEX_H / 2, width, "(foto tidak dapat ditampilkan)", "", 8, 4)
        _centred(pdf, x, y + _ANNEX_H + 1.0, width, _clean(photo.caption), "", _SMALL_PT, 3.4)


def _basis(data: BeritaAcaraData) -> str:
    """Returns the sentence that cites the report and the OPD's letter and opens the details."""
    ticket = _clean(data.ticket_number)
    letter = data.letter
    if letter.number or letter.dated:
        named = "".join(
            (
                f" Nomor {_clean(letter.number)}" if letter.number else "",
                f" tanggal {format_date(letter.dated)}" if letter.dated else "",
            )
        )
        basis = f"laporan gangguan tiket {ticket} dan surat permohonan{named}"
    elif letter.received:
        basis = f"laporan gangguan tiket {ticket} dan surat permohonan yang terlampir pada tiket"
    else:
        basis = f"laporan gangguan tiket {ticket} (surat permohonan belum diterima)"
    return (
        f"Berdasarkan {basis}, PIHAK PERTAMA telah melaksanakan penanganan gangguan jaringan "
        "lokal Batik.Net dengan rincian sebagai berikut:"
    )


def _letterhead(pdf: FPDF, lines: tuple[str, ...], address: str, logo: bytes | None) -> None:
    # Letterheads print the government and office names in capitals and the address in
    # ordinary case; everything before the first line with a lower-case letter is a name.
    cleaned = [_clean(line) for line in lines]
    names = len(cleaned)
    for index, line in enumerate(cleaned):
        if line != line.upper():
            names = index
            break
    if address:
        cleaned.append(address)
    if not cleaned and logo is None:
        return
    top = pdf.get_y()
    # The text is centred on the page; with a logo, both sides give way to it by its width.
    side = 0.0
    if logo is not None:
        info = pdf.image(io.BytesIO(logo), x=pdf.l_margin, y=top, h=_LOGO_H)
        side = float(info.rendered_width) + 3.0
    width = pdf.epw - 2 * side
    for index, line in enumerate(cleaned):
        if index < names:
            pdf.set_font(FONT, "B", 14 if index == names - 1 else 12)
            height = 6.5
        else:
            pdf.set_font(FONT, "", 8.5)
            height = 4.0
        pdf.set_x(pdf.l_margin + side)
        pdf.multi_cell(width, height, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = max(pdf.get_y(), top + _LOGO_H if logo is not None else 0.0) + 1.5
    right = pdf.w - pdf.r_margin
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, right, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.0, right, y + 1.0)
    pdf.set_y(y + 4.0)


def _title(pdf: FPDF, title: str, number: str) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6.0, title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.multi_cell(
        0, _LINE, f"Nomor: {number}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(3)


def _paragraph(pdf: FPDF, text: str, width: float = 0) -> None:
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.multi_cell(width, _LINE, text, align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(_GAP)


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
    if pdf.will_page_break((6 if party.on_behalf else 5) * _LINE):
        pdf.add_page()
    pdf.cell(_INDENT, _LINE, f"{ordinal}.")
    _field(pdf, "Nama", _or_dash(party.name), indent=_INDENT)
    _field(pdf, "NIP", _or_dash(party.nip), indent=_INDENT)
    _field(pdf, "Jabatan", _or_dash(party.position), indent=_INDENT)
    _field(pdf, "Instansi", _or_dash(party.institution), indent=_INDENT)
    if party.on_behalf:
        named = _clean(party.on_behalf_name or "")
        behalf = _clean(party.on_behalf) + (f" ({named})" if named else "")
        _field(pdf, "Atas nama", behalf, indent=_INDENT)
    pdf.set_x(pdf.l_margin + _INDENT)
    pdf.write(_LINE, "selanjutnya disebut ")
    pdf.set_font(FONT, "B", _BODY_PT)
    pdf.write(_LINE, role)
    pdf.set_font(FONT, "", _BODY_PT)
    pdf.write(_LINE, ".")
    pdf.ln(_LINE + _GAP)


def _items(pdf: FPDF, items: tuple[ReplacedItem, ...], carry: int) -> None:
    if not items:
        return  # the closing says so: it keeps that sentence with the signatures
    kept = len(items) - carry
    if kept == 0:
        pdf.add_page()
    _paragraph(pdf, "Adapun peralatan yang diganti adalah sebagai berikut:")
    if carry and kept:
        _table(pdf, items[:kept], 1)
        pdf.add_page()
        _table(pdf, items[kept:], kept + 1)
    else:
        _table(pdf, items, 1)
    pdf.ln(1.5)
    disposition = _disposition_line(items)
    if disposition:
        _paragraph(pdf, disposition)
    pdf.ln(1.5)


def _disposition_line(items: tuple[ReplacedItem, ...]) -> str:
    """Returns the sentence on what becomes of the old devices (by item number when mixed)."""
    chosen = [DISPOSITIONS.get(item.disposition or "") for item in items]
    if not any(chosen):
        return ""
    if len(set(chosen)) == 1:
        return f"Perangkat lama yang diganti {chosen[0]}."
    parts = [f"nomor {i} {what}" for i, what in enumerate(chosen, 1) if what]
    return "Perangkat lama yang diganti: " + "; ".join(parts) + "."


def _table(pdf: FPDF, items: tuple[ReplacedItem, ...], first: int) -> None:
    """Prints the items numbered from `first` under the table header."""
    pdf.set_font(FONT, "", _TABLE_PT)
    # A row never splits; a table longer than the page repeats its header on the next one.
    with pdf.table(
        width=pdf.epw,
        col_widths=_TABLE_COLUMNS,
        text_align=(Align.C, Align.L, Align.L, Align.C, Align.L, Align.L),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.0,
        padding=1.1,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        header = table.row()
        for title in _TABLE_HEADER:
            header.cell(title, align=Align.C)
        for index, item in enumerate(items, start=first):
            row = table.row()
            row.cell(str(index))
            row.cell(_or_dash(item.name))
            row.cell(_or_dash(item.specification))
            row.cell(f"{item.quantity} {_clean(item.unit)}".strip())
            row.cell(_or_dash(item.old_serial))
            row.cell(_or_dash(item.new_serial))


def _acceptance(data: BeritaAcaraData) -> str:
    accepted = (
        "menerima hasil pekerjaan serta peralatan pengganti tersebut dalam keadaan baik"
        if data.items
        else "menerima hasil pekerjaan tersebut dengan baik"
    )
    return (
        "PIHAK KEDUA menyatakan bahwa jaringan lokal telah berfungsi normal kembali dan "
        f"{accepted}."
    )


_NOTHING_REPLACED = "Dalam penanganan ini tidak terdapat peralatan yang diganti."
_CLOSING = (
    "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."
)


def _closing(pdf: _Document, data: BeritaAcaraData) -> None:
    """Prints the acceptance, the closing formula, the QR code and the signatures together.

    They stay on one page: a signature is never separated from the sentences it signs.
    """
    code = _clean(data.verification_code)
    payload = verification_payload(code, data.bot_username)
    text_width = pdf.epw - _QR_SIZE - 6.0
    acceptance = _acceptance(data)
    nothing = "" if data.items else _NOTHING_REPLACED
    lead = _text_height(pdf, nothing, pdf.epw, "", _BODY_PT, _LINE) + _GAP if nothing else 0.0
    text_height = (
        _text_height(pdf, acceptance, text_width, "", _BODY_PT, _LINE)
        + _GAP
        + _text_height(pdf, _CLOSING, text_width, "", _BODY_PT, _LINE)
    )
    top_height = max(text_height, _QR_SIZE) + 2.0
    signatures = _signature_columns(pdf, data)
    if pdf.will_page_break(lead + top_height + signatures.height):
        pdf.closing_moved = True
        pdf.add_page()
    if nothing:
        _paragraph(pdf, nothing)
    top = pdf.get_y()
    pdf.image(
        io.BytesIO(qr_png(payload)),
        x=pdf.w - pdf.r_margin - _QR_SIZE,
        y=top,
        w=_QR_SIZE,
        h=_QR_SIZE,
        alt_text=payload,
    )
    _paragraph(pdf, acceptance, text_width)
    _paragraph(pdf, _CLOSING, text_width)
    pdf.set_y(top + top_height)
    _print_signatures(pdf, signatures)


@dataclass(frozen=True)
class _Column:
    role: str
    position: str
    name: str
    nip: str
    note: str
    name_pt: float = _BODY_PT
    rank: str = ""


@dataclass(frozen=True)
class _Signatures:
    columns: tuple[_Column, ...]
    width: float
    gap: float
    position_height: float
    name_height: float
    note_height: float
    rank_height: float = 0.0

    @property
    def height(self) -> float:
        return (
            2.0
            + _LINE
            + self.position_height
            + _SIGNATURE_SPACE
            + self.name_height
            + self.rank_height
            + _LINE
            + (1.5 + self.note_height if self.note_height else 0.0)
        )


def _signature_columns(pdf: FPDF, data: BeritaAcaraData) -> _Signatures:
    """Lays out the signature blocks: the OPD on the left, Kominfo on the right, and the
    Kepala Bidang's "Mengetahui" between them."""
    columns = [_column(data.second_party, "PIHAK KEDUA", data.timezone)]
    if data.mengetahui is not None:
        columns.append(_column(data.mengetahui, "Mengetahui,", data.timezone))
    columns.append(_column(data.first_party, "PIHAK PERTAMA", data.timezone))
    gap = 2.0 if len(columns) == 3 else 20.0
    width = (pdf.epw - gap * (len(columns) - 1)) / len(columns)
    # A name with its academic titles reads best on one line: a long one is set smaller.
    columns = [replace(c, name_pt=_name_size(pdf, c.name, width)) for c in columns]
    return _Signatures(
        columns=tuple(columns),
        width=width,
        gap=gap,
        # Names and NIPs line up across the columns, whatever the length of each position.
        position_height=max(
            _text_height(pdf, c.position, width, "", _BODY_PT, _LINE) for c in columns
        ),
        name_height=max(_text_height(pdf, c.name, width, "BU", c.name_pt, _LINE) for c in columns),
        note_height=max(_text_height(pdf, c.note, width, "", _SMALL_PT, 3.4) for c in columns),
        rank_height=max(_text_height(pdf, c.rank, width, "", _BODY_PT, _LINE) for c in columns),
    )


def _name_size(pdf: FPDF, name: str, width: float) -> float:
    """Returns the largest size down to 8 pt at which a name fits one line of a column."""
    size = _BODY_PT
    while size > 8.0:
        pdf.set_font(FONT, "BU", size)
        if pdf.get_string_width(name) <= width - 2 * pdf.c_margin:
            break
        size -= 0.5
    return size


def _column(party: Party, role: str, timezone: str) -> _Column:
    note = confirmation_note(party.confirmed, timezone) if party.confirmed else ""
    position = _clean(party.position) if party.position else ""
    if party.on_behalf:
        # "a.n. Kepala Dinas ..." above the position of the one who signs for them.
        position = f"a.n. {_clean(party.on_behalf)}\n{position}".strip()
    name = _clean(party.name)
    if not name:  # to be filled in by hand
        return _Column(role, position, _BLANK_NAME, f"NIP. {_BLANK_NIP}", note)
    rank = _clean(party.rank) if party.rank else ""
    return _Column(role, position, name, f"NIP. {_or_dash(party.nip)}", note, rank=rank)


def _print_signatures(pdf: FPDF, layout: _Signatures) -> None:
    top = pdf.get_y() + 2.0
    name_top = top + _LINE + layout.position_height + _SIGNATURE_SPACE
    note_top = name_top + layout.name_height + layout.rank_height + _LINE + 1.5
    for index, column in enumerate(layout.columns):
        x = pdf.l_margin + index * (layout.width + layout.gap)
        _centred(pdf, x, top, layout.width, column.role, "B", _BODY_PT, _LINE)
        if column.position:
            _centred(pdf, x, top + _LINE, layout.width, column.position, "", _BODY_PT, _LINE)
        # Signed names are underlined, as on printed Indonesian official documents.
        style = "" if column.name == _BLANK_NAME else "BU"
        _centred(pdf, x, name_top, layout.width, column.name, style, column.name_pt, _LINE)
        if column.rank:
            rank_top = name_top + layout.name_height
            _centred(pdf, x, rank_top, layout.width, column.rank, "", _BODY_PT, _LINE)
        nip_top = name_top + layout.name_height + layout.rank_height
        _centred(pdf, x, nip_top, layout.width, column.nip, "", _BODY_PT, _LINE)
        if column.note:
            _centred(pdf, x, note_top, layout.width, column.note, "", _SMALL_PT, 3.4)
    pdf.set_xy(pdf.l_margin, top - 2.0 + layout.height)


def _text_height(
    pdf: FPDF, text: str, width: float, style: str, size: float, line: float
) -> float:
    """Returns the height a multi-line text would take in a column."""
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


def render(data: BeritaAcaraData) -> bytes:
    """Renders the berita acara as an A4 PDF; the same data always gives the same bytes."""
    pdf = _compose(data, carry=0)
    if pdf.closing_moved and data.items:
        # Keep with next: the last rows of the table go over with the closing, so the page
        # with the signatures also holds what they sign for.
        pdf.discard()
        pdf = _compose(data, carry=min(_CARRY, len(data.items)))
    return bytes(pdf.output())


def logo_usable(logo: bytes) -> None:
    """Raises when fpdf2 cannot place the logo."""
    probe = FPDF()
    probe.add_page()
    probe.image(io.BytesIO(logo), h=10)


# The page and letterhead of the berita acara, shared with the evaluation report
# (bot/services/reports/document.py) so both documents of the office look alike.
Document = _Document
draw_letterhead = _letterhead
