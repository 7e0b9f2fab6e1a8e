"""Texts about fault tickets: receipt, job card, notices, status lists, timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from bot.services.berita_acara.confirmations import Awaited
from bot.services.domain import EventView, Status, TicketView
from bot.services.notices import (
    NoTechGroup,
    ReasonNotice,
    Reopened,
    ReportRejected,
    TicketCancelled,
    TicketClaimed,
    TicketHeld,
    TicketNotice,
    TicketResumed,
)
from bot.services.tickets import StatusOverview
from bot.texts import berita_acara as ba_texts
from bot.texts import letters, records
from bot.texts import sla as ts
from bot.texts import ticket_messages as tm
from bot.texts import workflow as tw
from bot.texts.common import CATEGORY, EVENT, IMPACT, LETTER, STATUS, esc, short_when, when
from bot.texts.fit import CAPTION_LIMIT, Clip, Fitted, fit, preview

CLAIM_BUTTON = "Ambil"

# Labels of the free-text fields, as the follow-up with a cut text names them.
OPD_LABEL = "OPD"
LOCATION_LABEL = "Lokasi"
DESCRIPTION_LABEL = "Uraian gangguan"
CONTACT_LABEL = "Kontak"
TECHNICIAN_LABEL = "Teknisi"
NOTE_LABEL = "Catatan disposisi"
# A line of a list (`/status`) shows this much of a location; `/tiket` shows it whole.
LIST_FIELD = 80


def _summary_lines(ticket: TicketView, clip: Clip, letter: str | None = None) -> list[str]:
    return [
        f"OPD: {clip.name(ticket.opd_name, OPD_LABEL)}",
        f"Kategori: {CATEGORY[ticket.category]}",
        f"Dampak: {IMPACT[ticket.impact]}",
        f"Lokasi: {clip.name(ticket.location, LOCATION_LABEL)}",
        f"Uraian: {clip(ticket.description, DESCRIPTION_LABEL)}",
        f"Kontak: {clip.name(ticket.reporter_name, CONTACT_LABEL)}, {esc(ticket.contact_phone)}",
        letter or f"Surat permohonan: {LETTER[ticket.letter_status]}",
    ]


def receipt(ticket: TicketView, deadline_days: int) -> str:
    """The reporter's receipt after filing, with the deadline's working days from settings."""
    number = ticket.number
    return records.receipt(
        ticket,
        ["<b>Laporan gangguan telah diterima.</b>", f"Nomor tiket: <code>{number}</code>"],
        ts.outside_hours,
        partial(_summary_lines, ticket),
        [
            f"Target penyelesaian: {when(ticket.target_due_at)}",
            f"Batas waktu layanan ({deadline_days} hari kerja): {when(ticket.deadline_due_at)}",
            "",
            f"Pantau perkembangan dengan /status atau /tiket {number}. Layanan ini gratis.",
        ],
    )


def _card_more(ticket: TicketView, clip: Clip) -> list[str]:
    lines = ts.sla_lines(ticket.sla) if ticket.sla else []
    if ticket.disposition_note:
        lines.append(f"Catatan disposisi: {clip(ticket.disposition_note, NOTE_LABEL)}")
    if ticket.reopen_count:
        lines.append(f"Dibuka kembali: {ticket.reopen_count} kali")
    if ticket.photos:
        lines.append(f"Foto: {len(ticket.photos)} (menyusul di bawah)")
    if ticket.assignee_name:
        lines.append(f"Teknisi: {clip.name(ticket.assignee_name, TECHNICIAN_LABEL)}")
    else:
        lines.append("Belum ada teknisi. Tekan «Ambil» untuk menangani.")
    return lines


def job_card_fit(ticket: TicketView) -> Fitted:
    """The job card in the technician group, fitted, with the texts it had to cut."""
    return records.card(
        ticket,
        f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
        partial(_summary_lines, ticket),
        [("Target", ticket.target_due_at), ("Batas", ticket.deadline_due_at)],
        partial(_card_more, ticket),
    )


def job_card(ticket: TicketView) -> str:
    """The job card in the technician group."""
    return job_card_fit(ticket).text


def letter_caption(ticket: TicketView) -> str:
    """Caption of the OPD's request letter posted below the job card."""
    return fit(
        lambda clip: f"Surat permohonan {ticket.number} ({clip.name(ticket.opd_name, OPD_LABEL)})",
        CAPTION_LIMIT,
    ).text


def photos_caption(ticket: TicketView) -> str:
    """Caption of the photos posted below the job card."""
    return f"Foto gangguan {ticket.number}"


# The one-message news a notice brings about a ticket, by its kind: `{number}` is the ticket's,
# `{technician}` who handles it, `{reopened}` how often it was reopened, `{reason}` the reason
# or note the actor gave.
NEWS: Mapping[type[TicketNotice], str] = {
    TicketClaimed: (
        "Tiket <code>{number}</code> sedang ditangani oleh teknisi <b>{technician}</b> (tahap "
        "pengecekan dan diagnosis)."
    ),
    NoTechGroup: (
        "Tiket <code>{number}</code> masuk, tetapi grup teknisi belum dipasang. Tambahkan bot ke "
        "grup teknisi lalu kirim /pasang_grup di grup tersebut."
    ),
    TicketResumed: "Penanganan tiket <code>{number}</code> dilanjutkan.",
    ReportRejected: (
        "Laporan <code>{number}</code> tidak dapat ditindaklanjuti sebagai gangguan jaringan "
        "Batik.Net.\nAlasan: {reason}\n\nApabila Anda keberatan, sampaikan melalui kanal "
        "pengaduan Dinas Kominfo."
    ),
    TicketHeld: (
        "Penanganan tiket <code>{number}</code> <b>ditunda</b> menunggu OPD.\nKeterangan: "
        "{reason}\nWaktu tunda tidak dihitung dalam batas waktu layanan."
    ),
    TicketCancelled: "Tiket <code>{number}</code> dibatalkan.\nAlasan: {reason}",
    Reopened: (
        "OPD menyatakan gangguan <code>{number}</code> <b>belum normal</b> (dibuka kembali "
        "ke-{reopened}).\nKeterangan: {reason}"
    ),
}


def news(notice: TicketNotice) -> str:
    """The one-message news a notice brings about a ticket (see `NEWS`)."""
    ticket = notice.ticket
    return NEWS[type(notice)].format(
        number=ticket.number,
        technician=esc(ticket.assignee_name or "-"),
        reopened=ticket.reopen_count,
        reason=esc(notice.reason) if isinstance(notice, ReasonNotice) else "",
    )


def claimed_alert(ticket: TicketView) -> str:
    """Confirms the claim to the technician who pressed the button."""
    return f"Anda menangani {ticket.number}."


def delivery_failed(chat_id: int, reason: str) -> str:
    """Tells admins a message could not be delivered."""
    return (
        f"Pesan ke chat <code>{chat_id}</code> gagal dikirim dan tidak akan dicoba lagi: "
        f"{esc(reason)}. Periksa apakah pengguna memblokir bot atau bot dikeluarkan dari grup."
    )


def _line(ticket: TicketView) -> str:
    who = f" · {preview(ticket.assignee_name, LIST_FIELD)}" if ticket.assignee_name else ""
    return (
        f"• <code>{ticket.number}</code> {STATUS[ticket.status]}{who}\n"
        f"  {CATEGORY[ticket.category]}, {preview(ticket.location, LIST_FIELD)} · batas "
        f"{short_when(ticket.deadline_due_at)}"
    )


def overview(data: StatusOverview) -> str:
    """The `/status` answer."""
    parts: list[str] = []
    if data.is_reporter:
        parts.append(f"<b>Tiket {esc(data.opd_name or '')}</b>")
        parts.extend(_line(t) for t in data.opd_tickets)
        if not data.opd_tickets:
            parts.append("Belum ada laporan gangguan. Laporkan dengan /lapor.")
    if data.is_technician:
        if parts:
            parts.append("")
        parts.append("<b>Pekerjaan Anda</b>")
        parts.extend(_line(t) for t in data.jobs)
        if not data.jobs:
            parts.append("Tidak ada pekerjaan aktif.")
        if data.unclaimed:
            parts.append("")
            parts.append("<b>Belum diambil teknisi</b>")
            parts.extend(_line(t) for t in data.unclaimed)
    parts.append("")
    parts.append("Rincian dan riwayat: /tiket NOMOR")
    return "\n".join(parts)


def _event_line(event: EventView, clip: Clip) -> str:
    kind = event.kind
    label = EVENT.get(kind) or tw.EVENT.get(kind) or tm.EVENT.get(kind) or ts.EVENT.get(kind, kind)
    return records.event_line(event, label, clip)


def _detail_lines(ticket: TicketView, clip: Clip) -> list[str]:
    return [
        f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
        *_summary_lines(ticket, clip, letters.letter_line(ticket)),
        f"Teknisi: {records.person(clip, ticket.assignee_name, TECHNICIAN_LABEL)}",
        *letters.after_lines(ticket),
        *records.timing(
            ticket, [("Target", ticket.target_due_at), ("Batas waktu", ticket.deadline_due_at)]
        ),
        *(ts.sla_lines(ticket.sla) if ticket.sla else []),
    ]


def detail(ticket: TicketView, waiting: Sequence[Awaited] = ()) -> list[str]:
    """The `/tiket` answer: details and the timeline over as many messages as they need, then
    the texts that had to be cut, whole; below, who the berita acara waits for."""
    closed = ticket.status in (Status.CLOSED, Status.CANCELLED)
    closing = ["\nTiket ini sudah ditutup."] if closed else []
    if waiting:
        closing.append(ba_texts.waiting_line(waiting))
    return records.details(
        ticket.number,
        partial(_detail_lines, ticket),
        ticket.events,
        _event_line,
        closing,
    )


TIKET_USAGE = "Tulis nomor tiket setelah perintah, contoh: /tiket BN-2026-00012"


def chat_moved(old_chat_id: int, new_chat_id: int, moved: int, reposted: int, tech: bool) -> str:
    """Tells admins that Telegram upgraded a group to a supergroup with a new id."""
    which = "Grup teknisi" if tech else "Grup"
    lines = [
        f"{which} <code>{old_chat_id}</code> telah menjadi supergrup Telegram dengan id baru "
        f"<code>{new_chat_id}</code>.",
        f"{moved} pesan yang masih menunggu dialihkan ke id baru dan {reposted} kartu yang masih "
        "berjalan dikirim ulang di sana; kartu lama di riwayat grup tidak diperbarui lagi.",
    ]
    if tech:
        lines.append(
            "Bot kini memakai id baru sebagai grup teknisi. Jika TECH_GROUP_ID diisi di "
            f"konfigurasi, ganti nilainya menjadi <code>{new_chat_id}</code>."
        )
    return "\n".join(lines)


DUPLICATE_CARD = (
    "Kartu ini salinan ganda (terkirim dua kali karena gangguan jaringan) dan sudah dihapus. "
    "Gunakan kartu yang sama yang masih ada di grup."
)
