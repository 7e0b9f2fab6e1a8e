"""Texts of the repair procedure: job-card buttons, coordinator cards, notices, reason prompts."""

from __future__ import annotations

from bot.services.domain import MaterialLine, MaterialRequestView, ReplacedLine, TicketView
from bot.texts import letters
from bot.texts.common import CATEGORY, IMPACT, esc, when
from bot.texts.fit import CAPTION_LIMIT, CUT_ABOVE, CUT_BELOW, Clip, Field, Fitted, fit
from bot.texts.refusals import REFUSALS as REFUSALS

# Job-card buttons (technician group).
LIGHT = "Ringan"
HEAVY = "Berat (ajukan peralatan)"
HOLD = "Tunda (menunggu OPD)"
RESUME = "Lanjutkan"
REASSIGN = "Alihkan"
CANCEL = "Batalkan tiket"
REPAIR = "Laporkan perbaikan"
BACK = "« Kembali"

# Coordinator cards.
DISPOSE_TEAM = "Disposisikan kepada tim teknis"
DISPOSE_PICK = "Disposisikan kepada teknisi tertentu"
REJECT_REPORT = "Tolak (bukan gangguan Batik.Net)"
APPROVE = "Setujui"
REJECT_MATERIAL = "Tolak"
REVISE = "Minta revisi"
NO_NOTE = "Tanpa catatan"

# Reporter.
FIXED = "Sudah normal"
NOT_FIXED = "Belum normal"
BA_RESEND = "Kirim ulang berita acara"
LETTER_ADD = "Kirim surat permohonan"

PICK_TECHNICIAN = "Pilih teknisi untuk <b>{number}</b>:"
NO_TECHNICIANS = "Belum ada teknisi terdaftar. Beri peran dengan /peran."

EVENT = {
    "rejected": "Ditolak saat disposisi",
    "classified_light": "Gangguan ringan, langsung diperbaiki",
    "material_requested": "Pengajuan peralatan (gangguan berat)",
    "material_approved": "Pengajuan peralatan disetujui",
    "material_rejected": "Pengajuan peralatan ditolak",
    "material_revision": "Pengajuan peralatan diminta revisi",
    "held": "Ditunda menunggu OPD",
    "resumed": "Dilanjutkan",
    "reassigned": "Dialihkan ke teknisi",
    "cancelled": "Dibatalkan",
    "repaired": "Perbaikan dilaporkan",
    "reopened": "OPD: belum normal, dibuka kembali",
    "confirmed": "OPD mengonfirmasi dan menandatangani berita acara",
    "rated": "Penilaian layanan",
    "letter_added": "Surat permohonan menyusul diterima",
    **letters.EVENT,
}

PROMPTS = {
    "reject_report": "Tuliskan <b>alasan penolakan</b> laporan {number} (disampaikan ke OPD):",
    "hold": "Tuliskan <b>alasan penundaan</b> {number} (apa yang ditunggu dari OPD):",
    "cancel": "Tuliskan <b>alasan pembatalan</b> {number}:",
    "material_reject": "Tuliskan <b>alasan penolakan</b> pengajuan peralatan {number}:",
    "material_revise": "Tuliskan <b>catatan revisi</b> pengajuan peralatan {number}:",
    "not_fixed": "Mohon jelaskan <b>apa yang masih bermasalah</b> pada {number}:",
    "dispose_team": "Catatan disposisi untuk {number} (opsional), atau tekan «Tanpa catatan»:",
    "dispose_tech": "Catatan disposisi untuk {number} (opsional), atau tekan «Tanpa catatan»:",
    "withdraw": letters.PROMPT_WITHDRAW,
}

DONE = {
    "reject_report": "Laporan {number} ditolak; OPD telah diberi tahu.",
    "hold": "Tiket {number} ditunda; OPD telah diberi tahu.",
    "cancel": "Tiket {number} dibatalkan.",
    "material_reject": "Pengajuan peralatan {number} ditolak.",
    "material_revise": "Pengajuan peralatan {number} dikembalikan untuk revisi.",
    "not_fixed": "Terima kasih. Tiket {number} dibuka kembali dan teknisi telah diberi tahu.",
    "dispose_team": "Tiket {number} didisposisikan kepada tim teknis.",
    "dispose_tech": "Tiket {number} didisposisikan kepada {name}.",
    "withdraw": letters.DONE_WITHDRAW,
}

NEED_TEXT = "Mohon jawab dengan pesan teks, atau ketik /batal."
CANCELLED = "Dibatalkan; tidak ada yang diubah."
TIMED_OUT = "Waktu pengisian habis; tidak ada yang diubah."
LIGHT_DONE = "{number}: gangguan ringan. Lakukan perbaikan, lalu tekan «Laporkan perbaikan»."
RESUMED = "{number} dilanjutkan."
APPROVED = "Pengajuan peralatan {number} disetujui; perbaikan diperintahkan."
REASSIGNED = "{number} dialihkan kepada {name}."
OPEN_PRIVATE = "Lanjutkan di chat pribadi dengan bot."


# Labels of the free-text fields, as the message with a cut text whole names them.
OPD_LABEL = "OPD"
LOCATION_LABEL = "Lokasi"
DESCRIPTION_LABEL = "Uraian gangguan"
REPORTER_LABEL = "Pelapor"
NOTE_LABEL = "Catatan disposisi"
TECHNICIAN_LABEL = "Teknisi"
REASON_LABEL = "Alasan pengajuan"
ITEMS_LABEL = "Daftar kebutuhan"
ACTIONS_LABEL = "Tindakan perbaikan"
REPLACED_LABEL = "Peralatan yang diganti"


def _header(ticket: TicketView, clip: Clip) -> list[str]:
    location = clip.name(ticket.location, LOCATION_LABEL)
    return [
        f"<b>{ticket.number}</b> · {clip.name(ticket.opd_name, OPD_LABEL)}",
        f"{CATEGORY[ticket.category]} · {IMPACT[ticket.impact]} · {location}",
        f"Uraian: {clip(ticket.description, DESCRIPTION_LABEL)}",
        f"Pelapor: {clip.name(ticket.reporter_name, REPORTER_LABEL)}, {esc(ticket.contact_phone)}",
    ]


def disposition_card(ticket: TicketView) -> Fitted:
    """The coordinator's card for a new report (procedure 2); cut texts are sent before it."""

    def build(clip: Clip) -> str:
        return "\n".join(
            [
                "<b>Laporan gangguan baru menunggu disposisi</b>",
                *_header(ticket, clip),
                *letters.disposition_lines(ticket),
                f"Diterima: {when(ticket.received_at)}",
                f"Batas waktu: {when(ticket.deadline_due_at)}",
            ]
        )

    return fit(build, note=CUT_ABOVE)


def disposition_done(ticket: TicketView, text: str) -> str:
    """The coordinator's card after the decision."""
    return fit(lambda clip: "\n".join([*_header(ticket, clip), "", f"✅ {text}"])).text


def assigned(ticket: TicketView) -> Fitted:
    """Tells a technician a ticket was given to them; cut texts follow it."""

    def build(clip: Clip) -> str:
        note = ticket.disposition_note
        note = f"\nCatatan disposisi: {clip(note, NOTE_LABEL)}" if note else ""
        return "\n".join(
            [
                f"Anda ditugaskan menangani tiket berikut.{note}",
                *_header(ticket, clip),
                f"Batas waktu: {when(ticket.deadline_due_at)}",
            ]
        )

    return fit(build, note=CUT_BELOW)


def _item(field: Field, numbered: tuple[int, MaterialLine]) -> str:
    n, i = numbered
    return f"{n}. {field(i.name)} ({field(i.specification)}): {i.quantity} {field(i.unit)}"


def _approval_lines(ticket: TicketView, request: MaterialRequestView, clip: Clip) -> list[str]:
    return [
        "<b>Pengajuan peralatan (gangguan berat)</b>",
        *_header(ticket, clip),
        f"Teknisi: {clip.name(request.technician_name, TECHNICIAN_LABEL)}",
        f"Alasan: {clip(request.reason, REASON_LABEL)}",
        "",
        "<b>Daftar kebutuhan</b>",
        *clip.lines(ITEMS_LABEL, enumerate(request.items, 1), _item),
        f"Diajukan: {when(request.submitted_at)}",
    ]


def approval_card(ticket: TicketView, request: MaterialRequestView) -> Fitted:
    """The coordinator's approval card for a material request (procedure 6-7); cut texts
    (the reason, the whole list) are sent before it."""
    return fit(lambda clip: "\n".join(_approval_lines(ticket, request, clip)), note=CUT_ABOVE)


def approval_done(ticket: TicketView, request: MaterialRequestView) -> str:
    """The approval card after the decision."""
    label = {"approved": "✅ Disetujui", "rejected": "❌ Ditolak", "revision": "↩️ Revisi"}

    def build(clip: Clip) -> str:
        note = f" — {clip(request.decision_note, 'Catatan')}" if request.decision_note else ""
        decided = clip.name(request.decided_by or "-", "Penanggung jawab")
        return "\n".join(
            [
                *_approval_lines(ticket, request, clip),
                "",
                f"{label.get(request.status, request.status)} oleh {decided}{note}",
            ]
        )

    return fit(build, note=CUT_ABOVE).text


def material_decided(request: MaterialRequestView) -> str:
    """Tells the technician the decision on the material request."""
    if request.status == "approved":
        head = (
            f"Pengajuan peralatan untuk <code>{request.ticket_number}</code> <b>disetujui</b> "
            f"oleh {esc(request.decided_by or '-')}. Silakan lakukan perbaikan."
        )
    elif request.status == "rejected":
        head = (
            f"Pengajuan peralatan untuk <code>{request.ticket_number}</code> <b>ditolak</b>. "
            "Tiket kembali ke tahap pengecekan."
        )
    else:
        head = (
            f"Pengajuan peralatan untuk <code>{request.ticket_number}</code> <b>perlu revisi</b>. "
            "Tiket kembali ke tahap pengecekan; ajukan kembali melalui tombol «Berat»."
        )
    note = f"\nCatatan: {esc(request.decision_note)}" if request.decision_note else ""
    return head + note


def _replaced(field: Field, line: ReplacedLine) -> str:
    return f"• {field(line.name)} ({line.quantity} {field(line.unit)})"


def repair_confirm(ticket: TicketView, actions: str, items: tuple[ReplacedLine, ...]) -> Fitted:
    """Asks the reporter whether the network works again (procedure 9-10); cut texts (the
    actions, the whole list) are sent before it."""

    def build(clip: Clip) -> str:
        replaced = (
            "\n".join(clip.lines(REPLACED_LABEL, items, _replaced))
            if items
            else "Tidak ada peralatan yang diganti."
        )
        technician = clip.name(ticket.assignee_name or "-", TECHNICIAN_LABEL)
        return (
            f"Teknisi <b>{technician}</b> melaporkan bahwa gangguan <code>{ticket.number}</code> "
            "telah diperbaiki.\n\n"
            f"Tindakan: {clip(actions, ACTIONS_LABEL)}\nPeralatan yang diganti:\n{replaced}\n\n"
            "Apakah jaringan di kantor Anda <b>sudah normal kembali</b>? Bila sudah, Anda akan "
            "diminta mengonfirmasi penandatangan berita acara penggantian peralatan jaringan "
            "lokal."
        )

    return fit(build, note=CUT_ABOVE)


def berita_acara_caption(ticket: TicketView, number: str) -> str:
    """Caption of the berita acara PDF."""
    return fit(
        lambda clip: (
            f"Berita acara <b>{clip.name(number, 'Nomor')}</b> untuk <code>{ticket.number}</code> "
            f"({clip.name(ticket.opd_name, OPD_LABEL)}). Tiket ditutup."
        ),
        CAPTION_LIMIT,
    ).text


def letter_added(ticket: TicketView) -> str:
    """Caption of a request letter sent later."""
    return fit(
        lambda clip: (
            f"Surat permohonan (menyusul) {ticket.number} "
            f"({clip.name(ticket.opd_name, OPD_LABEL)})"
        ),
        CAPTION_LIMIT,
    ).text


def prompt(action: str, number: str, mention: str | None) -> str:
    """Asks for a reason or note; in groups it names who is asked."""
    text = PROMPTS[action].format(number=number)
    return f"{mention}, {text}" if mention else text


PROMPT_ENDED = (
    "Permintaan alasan atau catatan untuk {number} diakhiri karena ada tindakan lain; "
    "tidak ada yang diubah. Tekan kembali tombolnya bila masih diperlukan."
)


def prompt_ended(number: str) -> str:
    """Replaces a reason prompt that ended because its person did something else."""
    return PROMPT_ENDED.format(number=number)
