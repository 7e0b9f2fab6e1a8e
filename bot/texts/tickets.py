"""Texts about fault tickets: receipt, job card, notices, status lists, timeline."""

from __future__ import annotations

from bot.services.domain import Status, TicketView
from bot.services.tickets import StatusOverview
from bot.texts import sla as ts
from bot.texts import workflow as tw
from bot.texts.common import CATEGORY, EVENT, IMPACT, LETTER, STATUS, esc, short_when, when

CLAIM_BUTTON = "Ambil"


def _summary_lines(ticket: TicketView) -> list[str]:
    return [
        f"OPD: {esc(ticket.opd_name)}",
        f"Kategori: {CATEGORY[ticket.category]}",
        f"Dampak: {IMPACT[ticket.impact]}",
        f"Lokasi: {esc(ticket.location)}",
        f"Uraian: {esc(ticket.description)}",
        f"Kontak: {esc(ticket.reporter_name)}, {esc(ticket.contact_phone)}",
        f"Surat permohonan: {LETTER[ticket.letter_status]}",
    ]


def receipt(ticket: TicketView, deadline_days: int) -> str:
    """The reporter's receipt after filing, with the deadline's working days from settings."""
    lines = [
        "<b>Laporan gangguan telah diterima.</b>",
        f"Nomor tiket: <code>{ticket.number}</code>",
        f"Diterima: {when(ticket.received_at)}",
        *([ts.outside_hours(ticket.opens_at)] if ticket.opens_at else []),
        "",
        *_summary_lines(ticket),
        "",
        f"Target penyelesaian: {when(ticket.target_due_at)}",
        f"Batas waktu layanan ({deadline_days} hari kerja): {when(ticket.deadline_due_at)}",
        "",
        f"Pantau perkembangan dengan /status atau /tiket {ticket.number}. Layanan ini gratis.",
    ]
    return "\n".join(lines)


def job_card(ticket: TicketView) -> str:
    """The job card in the technician group."""
    lines = [
        f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
        *_summary_lines(ticket),
        f"Diterima: {short_when(ticket.received_at)}",
        f"Target: {short_when(ticket.target_due_at)} · "
        f"Batas: {short_when(ticket.deadline_due_at)}",
        *(ts.sla_lines(ticket.sla) if ticket.sla else []),
    ]
    if ticket.disposition_note:
        lines.append(f"Catatan disposisi: {esc(ticket.disposition_note)}")
    if ticket.reopen_count:
        lines.append(f"Dibuka kembali: {ticket.reopen_count} kali")
    if ticket.photos:
        lines.append(f"Foto: {len(ticket.photos)} (menyusul di bawah)")
    if ticket.assignee_name:
        lines.append(f"Teknisi: {esc(ticket.assignee_name)}")
    else:
        lines.append("Belum ada teknisi. Tekan «Ambil» untuk menangani.")
    return "\n".join(lines)


def letter_caption(ticket: TicketView) -> str:
    """Caption of the OPD's request letter posted below the job card."""
    return f"Surat permohonan {ticket.number} ({esc(ticket.opd_name)})"


def photos_caption(ticket: TicketView) -> str:
    """Caption of the photos posted below the job card."""
    return f"Foto gangguan {ticket.number}"


def claimed_for_reporter(ticket: TicketView) -> str:
    """Tells the reporter who handles the ticket."""
    return (
        f"Tiket <code>{ticket.number}</code> sedang ditangani oleh teknisi "
        f"<b>{esc(ticket.assignee_name or '-')}</b> (tahap pengecekan dan diagnosis)."
    )


def claimed_alert(ticket: TicketView) -> str:
    """Confirms the claim to the technician who pressed the button."""
    return f"Anda menangani {ticket.number}."


def no_tech_group(ticket: TicketView) -> str:
    """Tells admins a report has no technician group to go to."""
    return (
        f"Tiket <code>{ticket.number}</code> masuk, tetapi grup teknisi belum dipasang. "
        "Tambahkan bot ke grup teknisi lalu kirim /pasang_grup di grup tersebut."
    )


def delivery_failed(chat_id: int, reason: str) -> str:
    """Tells admins a message could not be delivered."""
    return (
        f"Pesan ke chat <code>{chat_id}</code> gagal dikirim dan tidak akan dicoba lagi: "
        f"{esc(reason)}. Periksa apakah pengguna memblokir bot atau bot dikeluarkan dari grup."
    )


def _line(ticket: TicketView) -> str:
    who = f" · {esc(ticket.assignee_name)}" if ticket.assignee_name else ""
    return (
        f"• <code>{ticket.number}</code> {STATUS[ticket.status]}{who}\n"
        f"  {CATEGORY[ticket.category]}, {esc(ticket.location)} · batas "
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


def detail(ticket: TicketView) -> str:
    """The `/tiket` answer: details and the timeline."""
    lines = [
        f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
        *_summary_lines(ticket),
        f"Teknisi: {esc(ticket.assignee_name) if ticket.assignee_name else '-'}",
        f"Diterima: {when(ticket.received_at)}",
        f"Target: {when(ticket.target_due_at)}",
        f"Batas waktu: {when(ticket.deadline_due_at)}",
        *(ts.sla_lines(ticket.sla) if ticket.sla else []),
        "",
        "<b>Riwayat</b>",
    ]
    for event in ticket.events:
        actor = esc(event.actor_name) if event.actor_name else "Sistem"
        label = (
            EVENT.get(event.kind)
            or tw.EVENT.get(event.kind)
            or ts.EVENT.get(event.kind, event.kind)
        )
        note = f" — {esc(event.note)}" if event.note else ""
        lines.append(f"• {short_when(event.at)} {label} ({actor}){note}")
    if ticket.status in (Status.CLOSED, Status.CANCELLED):
        lines.append("")
        lines.append("Tiket ini sudah ditutup.")
    return "\n".join(lines)


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
