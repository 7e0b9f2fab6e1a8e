"""Texts about fault tickets: receipt, job card, notices, status lists, timeline."""

from __future__ import annotations

from functools import partial

from bot.services.domain import EventView, Status, TicketView
from bot.services.tickets import StatusOverview
from bot.texts import sla as ts
from bot.texts import workflow as tw
from bot.texts.common import CATEGORY, EVENT, IMPACT, LETTER, STATUS, esc, short_when, when
from bot.texts.fit import (
    CAPTION_LIMIT,
    CUT_BELOW,
    TEXT_LIMIT,
    Clip,
    Fitted,
    continued,
    cut_see,
    fit,
    full_texts,
    pages,
    preview,
    shown,
    subject,
    timeline_blocks,
)

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
# One timeline entry of `/tiket` takes at most this much of a message; a longer note is cut
# and follows whole.
EVENT_LIMIT = 2500


def _summary_lines(ticket: TicketView, clip: Clip) -> list[str]:
    return [
        f"OPD: {clip.name(ticket.opd_name, OPD_LABEL)}",
        f"Kategori: {CATEGORY[ticket.category]}",
        f"Dampak: {IMPACT[ticket.impact]}",
        f"Lokasi: {clip.name(ticket.location, LOCATION_LABEL)}",
        f"Uraian: {clip(ticket.description, DESCRIPTION_LABEL)}",
        f"Kontak: {clip.name(ticket.reporter_name, CONTACT_LABEL)}, {esc(ticket.contact_phone)}",
        f"Surat permohonan: {LETTER[ticket.letter_status]}",
    ]


def receipt(ticket: TicketView, deadline_days: int) -> str:
    """The reporter's receipt after filing, with the deadline's working days from settings."""

    def build(clip: Clip) -> str:
        lines = [
            "<b>Laporan gangguan telah diterima.</b>",
            f"Nomor tiket: <code>{ticket.number}</code>",
            f"Diterima: {when(ticket.received_at)}",
            *([ts.outside_hours(ticket.opens_at)] if ticket.opens_at else []),
            "",
            *_summary_lines(ticket, clip),
            "",
            f"Target penyelesaian: {when(ticket.target_due_at)}",
            f"Batas waktu layanan ({deadline_days} hari kerja): {when(ticket.deadline_due_at)}",
            "",
            f"Pantau perkembangan dengan /status atau /tiket {ticket.number}. Layanan ini gratis.",
        ]
        return "\n".join(lines)

    return fit(build, note=cut_see(ticket.number)).text


def job_card_fit(ticket: TicketView) -> Fitted:
    """The job card in the technician group, fitted, with the texts it had to cut."""

    def build(clip: Clip) -> str:
        lines = [
            f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
            *_summary_lines(ticket, clip),
            f"Diterima: {short_when(ticket.received_at)}",
            f"Target: {short_when(ticket.target_due_at)} · "
            f"Batas: {short_when(ticket.deadline_due_at)}",
            *(ts.sla_lines(ticket.sla) if ticket.sla else []),
        ]
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
        return "\n".join(lines)

    # The card is edited as the ticket moves: its note points to what always works.
    return fit(build, note=cut_see(ticket.number))


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


def _event_label(event: EventView) -> str:
    kind = event.kind
    return EVENT.get(kind) or tw.EVENT.get(kind) or ts.EVENT.get(kind, kind)


def _event_line(event: EventView, clip: Clip) -> str:
    label = _event_label(event)
    actor = clip.name(event.actor_name, "Pelaku") if event.actor_name else "Sistem"
    what = f"Riwayat {short_when(event.at)}, {label}"
    note = f" — {clip(event.note, what)}" if event.note else ""
    return f"• {short_when(event.at)} {label} ({actor}){note}"


def detail(ticket: TicketView) -> list[str]:
    """The `/tiket` answer: details and the timeline over as many messages as they need, then
    the texts that had to be cut, whole."""

    def build(clip: Clip) -> str:
        technician = ticket.assignee_name
        return "\n".join(
            [
                f"<b>{ticket.number}</b> · {STATUS[ticket.status]}",
                *_summary_lines(ticket, clip),
                f"Teknisi: {clip.name(technician, TECHNICIAN_LABEL) if technician else '-'}",
                f"Diterima: {when(ticket.received_at)}",
                f"Target: {when(ticket.target_due_at)}",
                f"Batas waktu: {when(ticket.deadline_due_at)}",
                *(ts.sla_lines(ticket.sla) if ticket.sla else []),
            ]
        )

    head = continued(f"<b>{ticket.number}</b>")
    # Room for the head of a next message, so no line of the first one ever has to break.
    summary = fit(build, TEXT_LIMIT - shown(head) - 1)
    events = [fit(partial(_event_line, event), EVENT_LIMIT) for event in ticket.events]
    cuts = [*summary.cuts, *(cut for event in events for cut in event.cuts)]
    tail = (
        ["\nTiket ini sudah ditutup."]
        if ticket.status in (Status.CLOSED, Status.CANCELLED)
        else []
    )
    if cuts:
        tail.append(f"\n{CUT_BELOW}")
    blocks = timeline_blocks(summary.text, [event.text for event in events], tail)
    return [*pages(blocks, head=head), *full_texts(subject(ticket.number), cuts)]


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
