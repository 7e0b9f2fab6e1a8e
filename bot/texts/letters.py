"""Texts of the request letter followed up, the repair photos shown to the OPD, and the OPD's
withdrawal of a report (issue 11 §3-5)."""

from __future__ import annotations

from datetime import date

from bot.services.domain import LetterStatus, Status, TicketView
from bot.services.notices import LetterAdded, LetterReminder, TicketWithdrawn
from bot.texts.common import MONTHS, esc
from bot.texts.fit import CAPTION_LIMIT, Clip, fit

# Buttons.
WITHDRAW = "Batalkan laporan"
AFTER_PHOTOS = "Lihat foto hasil perbaikan"
SKIP = "Lewati"

# The reason prompt of the withdrawal and its answer (`texts.workflow.PROMPTS` and `DONE`).
PROMPT_WITHDRAW = (
    "Tuliskan <b>alasan pembatalan</b> laporan {number} (disampaikan kepada teknisi dan "
    "penanggung jawab):"
)
DONE_WITHDRAW = (
    "Laporan {number} dibatalkan atas permintaan OPD; teknisi dan penanggung jawab telah "
    "diberi tahu."
)
EVENT = {
    "withdrawn": "Laporan dibatalkan oleh OPD",
    "sla:letter_reminder_1": "Pengingat surat permohonan ke pelapor (1)",
    "sla:letter_reminder_2": "Pengingat surat permohonan ke pelapor (2)",
    "sla:letter_reminder_3": "Pengingat surat permohonan ke pelapor (3, terakhir)",
}

# The letter form: after the file, its number and date (both may be skipped).
ASK_NUMBER = (
    "Surat diterima. <b>Nomor surat</b> permohonan? Ketik seperti tertulis pada surat, "
    "contoh: <code>005/123/Dinkes/XI/2026</code>. Tekan «Lewati» bila tidak ada."
)
ASK_DATE = (
    "<b>Tanggal surat</b>? Ketik seperti <code>28-11-2026</code> atau "
    "<code>28 November 2026</code>. Tekan «Lewati» bila tidak ada."
)
NEED_TEXT = "Mohon jawab dengan pesan teks, tekan «Lewati», atau ketik /batal."


def letter_saved(ticket: TicketView) -> str:
    """Confirms to the reporter that the letter arrived and went on."""
    return (
        f"Surat permohonan tiket <code>{ticket.number}</code> diterima dan diteruskan kepada "
        f"penanggung jawab dan tim teknis.{_reference(ticket, ' ')}"
    )


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _reference(ticket: TicketView, lead: str) -> str:
    parts = []
    if ticket.letter_number:
        parts.append(f"nomor {esc(ticket.letter_number)}")
    if ticket.letter_date:
        parts.append(f"tanggal {_long_date(ticket.letter_date)}")
    return f"{lead}Surat {', '.join(parts)}." if parts else ""


def letter_line(ticket: TicketView) -> str:
    """The line about the request letter in `/tiket` and the disposition card."""
    if ticket.letter_status is LetterStatus.ATTACHED:
        return f"Surat permohonan: terlampir.{_reference(ticket, ' ')}"
    if ticket.status is Status.CLOSED:
        return "Surat permohonan: <b>belum diterima</b> (tiket ditutup tanpa surat permohonan)."
    if ticket.status is Status.CANCELLED:
        return "Surat permohonan: belum diterima."
    return "Surat permohonan: <b>menyusul</b> (belum diterima)."


def disposition_lines(ticket: TicketView) -> list[str]:
    """The disposition card's lines about the report's photos and letter (sent above it)."""
    photos = [f"Foto gangguan: {len(ticket.photos)} (di atas)"] if ticket.photos else []
    if ticket.letter is not None:
        return [*photos, f"Surat permohonan: terlampir (di atas).{_reference(ticket, ' ')}"]
    return [*photos, "Surat permohonan: <b>menyusul</b> (belum diterima)."]


def letter_caption(notice: LetterAdded) -> str:
    """Caption of a request letter that came later, with its number and date when given."""
    ticket = notice.ticket
    return fit(
        lambda clip: (
            f"Surat permohonan (menyusul) <code>{ticket.number}</code> "
            f"({clip.name(ticket.opd_name, 'OPD')}).{_reference(ticket, chr(10))}"
        ),
        CAPTION_LIMIT,
    ).text


def letter_reminder(notice: LetterReminder) -> str:
    """Reminds the reporter of the request letter marked "menyusul"."""
    number, last = notice.number, notice.round >= notice.rounds
    lines = [
        f"<b>Pengingat surat permohonan</b> ({notice.round}/{notice.rounds})",
        f"Surat permohonan untuk laporan <code>{number}</code> belum kami terima. Sesuai "
        "standar pelayanan, laporan gangguan disertai surat permohonan dari OPD. Kirim foto "
        "atau berkas PDF surat tersebut dengan tombol di bawah.",
        "Penanganan gangguan tetap berjalan tanpa menunggu surat.",
    ]
    if last:
        lines.append(
            "Ini pengingat terakhir. Tiket yang ditutup tanpa surat dicatat sebagai "
            "«surat permohonan belum diterima» pada berita acara."
        )
    return "\n".join(lines)


def withdrawn(notice: TicketWithdrawn) -> str:
    """Tells the group, the technician and the coordinators that the OPD withdrew a report."""
    ticket = notice.ticket

    def build(clip: Clip) -> str:
        return (
            f"Laporan <code>{ticket.number}</code> ({clip.name(ticket.opd_name, 'OPD')}) "
            f"<b>dibatalkan oleh OPD</b> atas permintaan {clip.name(notice.by, 'Pelapor')}. "
            f"Tidak perlu ditindaklanjuti lagi.\nAlasan: {clip(notice.reason, 'Alasan')}"
        )

    return fit(build).text


# Photos after the repair.
def after_caption(ticket: TicketView) -> str:
    """Caption of the photos the technician took after the repair."""
    return f"Foto hasil perbaikan {ticket.number}"


def after_lines(ticket: TicketView) -> list[str]:
    """The `/tiket` line about the photos taken after the repair."""
    count = len(ticket.after_photos)
    return [f"Foto hasil perbaikan: {count} (tekan «{AFTER_PHOTOS}»)"] if count else []
