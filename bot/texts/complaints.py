"""Texts of complaints (pengaduan): the forms, receipts, cards, threads and notices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from bot.services.attachments import FILE_TYPE
from bot.services.complaints import (
    FILES_MAX,
    REASON_MAX,
    REASON_MIN,
    TEXT_MAX,
    TEXT_MIN,
    Channel,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintView,
)
from bot.services.domain import EventView
from bot.services.errors import DomainError
from bot.texts import records, refusals
from bot.texts.common import REFUSALS, esc, short_when, when
from bot.texts.fit import CUT_ABOVE, CUT_KEPT, Clip, Fitted, fit

CATEGORY = {
    ComplaintCategory.SLOW: "Layanan lambat",
    ComplaintCategory.UNHANDLED: "Gangguan tidak ditangani",
    ComplaintCategory.BEHAVIOUR: "Perilaku petugas",
    ComplaintCategory.INFORMATION: "Informasi",
    ComplaintCategory.OTHER: "Lainnya",
}

CHANNEL = {
    Channel.BOT: "Bot Telegram",
    Channel.PHONE: "Telepon",
    Channel.EMAIL: "Email",
    Channel.WEBSITE: "Website",
    Channel.TWITTER: "Twitter",
    Channel.INSTAGRAM: "Instagram",
    Channel.IN_PERSON: "Langsung kepada petugas",
}

STATUS = {
    ComplaintStatus.NEW: "Diterima, menunggu petugas",
    ComplaintStatus.IN_PROGRESS: "Ditangani petugas",
    ComplaintStatus.RESPONDED: "Sudah dijawab",
    ComplaintStatus.ESCALATED: "Diteruskan ke pejabat pengaduan",
    ComplaintStatus.RESOLVED: "Selesai",
    ComplaintStatus.CLOSED: "Ditutup",
}

EVENT = {
    "filed": "Pengaduan diterima",
    "recorded": "Pengaduan dicatat petugas",
    "escalated_behaviour": "Diteruskan langsung ke pejabat pengaduan (perilaku petugas)",
    "taken": "Ditangani petugas",
    "responded": "Dijawab",
    "forwarded": "Diteruskan petugas ke pejabat pengaduan",
    "confirmed_solved": "Pengadu menyatakan selesai",
    "not_solved": "Pengadu menyatakan belum selesai; diteruskan ke pejabat pengaduan",
    "resolved": "Dinyatakan selesai",
    "closed": "Ditutup",
    "due:response_passed": "Batas waktu tanggapan terlampaui; diteruskan ke pejabat pengaduan",
    "due:resolution_passed": "Batas waktu penyelesaian terlampaui",
}

# --- buttons ------------------------------------------------------------------------------

TAKE_BUTTON = "Tangani"
ANSWER_BUTTON = "Jawab"
FORWARD_BUTTON = "Teruskan ke pejabat"
SOLVED_BUTTON = "Selesai, terima kasih"
NOT_SOLVED_BUTTON = "Belum selesai"
RESOLVE_BUTTON = "Nyatakan selesai"
CLOSE_BUTTON = "Tutup aduan"
SKIP = "Lewati"
DONE = "Selesai"
YES = "Ya, rahasiakan identitas saya"
NO = "Tidak perlu"
SEND = "Kirim pengaduan"
SEND_ANSWER = "Kirim jawaban"
CANCEL = "Batalkan"

# --- the filing form ----------------------------------------------------------------------

TITLE = "pengaduan"
CHANNEL_LABEL = "Saluran"
CATEGORY_LABEL = "Jenis pengaduan"
CONFIDENTIAL_LABEL = "Kerahasiaan"
START_FILE = (
    "<b>Pengaduan layanan Batik.Net</b>\n"
    "Sampaikan pengaduan, saran, atau masukan Anda. Pengaduan ditanggapi petugas dan, bila "
    "belum terselesaikan, diteruskan kepada pejabat pengaduan Dinas Kominfo.\n"
    "Isian dapat dibatalkan kapan saja dengan /batal."
)
START_RECORD = (
    "<b>Pencatatan pengaduan</b> yang diterima melalui telepon, email, website, media sosial, "
    "atau secara langsung. Isian dapat dibatalkan kapan saja dengan /batal."
)
ASK_CHANNEL = "Melalui <b>saluran</b> apa pengaduan diterima?"
ASK_NAME = "Tuliskan <b>nama lengkap</b> pengadu."
ASK_CONTACT = (
    "Tuliskan <b>kontak</b> pengadu: nomor telepon (contoh 081234567890) atau alamat email."
)
ASK_CATEGORY = "Pilih <b>jenis pengaduan</b>:"
ASK_TICKET = (
    "Bila pengaduan berkaitan dengan tiket gangguan, tuliskan <b>nomor tiketnya</b> "
    f"(contoh BN-2026-00012). Bila tidak, tekan «{SKIP}»."
)
ASK_TEXT = (
    f"Uraikan <b>pengaduan</b> Anda ({TEXT_MIN} sampai {TEXT_MAX} karakter): apa yang terjadi, "
    "kapan, dan harapan Anda."
)
ASK_FILES = (
    f"Bila ada, kirim <b>foto atau berkas PDF</b> pendukung (paling banyak {FILES_MAX}). "
    f"Tekan «{SKIP}» bila tidak ada."
)
ASK_CONFIDENTIAL = (
    "Apakah <b>identitas pengadu</b> perlu dirahasiakan? Bila ya, identitas hanya terlihat oleh "
    "pejabat pengaduan Dinas Kominfo, tidak oleh tim teknis."
)


def chosen(label: str, value: str) -> str:
    """Replaces a question once it was answered with a button."""
    return f"{label}: <b>{esc(value)}</b>"


def file_received(count: int) -> str:
    """Acknowledges one accepted file with the running count."""
    return (
        f"Lampiran {count} dari paling banyak {FILES_MAX} diterima. Kirim lagi atau tekan "
        f"«{DONE}»."
    )


def summary(draft: dict[str, Any], recording: bool) -> str:
    """The summary checked before the complaint is sent."""
    category = ComplaintCategory(str(draft["category"]))
    lines = ["<b>Periksa kembali pengaduan</b>"]
    if recording:
        lines.append(f"Saluran: {CHANNEL[Channel(str(draft['channel']))]}")
    lines += [
        f"Pengadu: {esc(draft.get('name') or '-')} ({esc(draft.get('contact') or '-')})",
        f"Jenis: {CATEGORY[category]}",
        f"Tiket terkait: {esc(draft.get('ticket') or '-')}",
        f"Uraian: {esc(draft['text'])}",
        f"Lampiran: {len(draft.get('files') or []) or 'tidak ada'}",
        f"Identitas dirahasiakan: {'ya' if draft.get('confidential') else 'tidak'}",
    ]
    if category is ComplaintCategory.BEHAVIOUR:
        lines.append(
            "Pengaduan tentang perilaku petugas langsung diteruskan ke pejabat pengaduan."
        )
    lines += ["", f"Tekan «{SEND}» bila sudah benar."]
    return "\n".join(lines)


NEED_BUTTON = "Silakan pilih salah satu tombol di bawah."
NEED_TEXT = "Mohon jawab dengan pesan teks."
NEED_FILE = f"Mohon kirim foto atau berkas PDF, atau tekan «{SKIP}» / «{DONE}»."
BUSY = (
    "Anda sedang mengisi pengaduan. Selesaikan isian ini atau ketik /batal dulu sebelum "
    "menjalankan perintah lain."
)
CANCELLED = "Pengaduan dibatalkan; isian tidak disimpan. Ketik /aduan untuk memulai lagi."
RECORD_CANCELLED = "Pencatatan pengaduan dibatalkan; isian tidak disimpan."
TIMED_OUT = (
    "Isian pengaduan dihentikan karena tidak ada jawaban cukup lama. Ketik /aduan untuk memulai "
    "lagi."
)
DRAFT_LOST = "Maaf, isian tidak ditemukan lagi. Silakan mulai lagi."
STALE_BUTTON = REFUSALS["stale_button"]
FILE_TYPE_TEXT = refusals.TEMPLATES[FILE_TYPE, refusals.Situation.COMPLAINT]


def refusal(error: DomainError) -> str:
    """Returns the message for a refused complaint action or invalid input."""
    return refusals.refusal(error, refusals.Situation.COMPLAINT)


# --- receipts and views -------------------------------------------------------------------


# Labels of the free-text fields, as the message with a cut text whole names them.
NAME_LABEL = "Nama pengadu"
CONTACT_LABEL = "Kontak pengadu"
TEXT_LABEL = "Uraian pengaduan"
RESPONSE_LABEL = "Jawaban"
DELIVERY_LABEL = "Cara penyampaian"
STAFF_LABEL = "Petugas"
OFFICIAL_LABEL = "Pejabat pengaduan"
# A message that must stay one (the official's thread, the answer form) shows the latest
# entries of the timeline; /tiket shows all of them.
TIMELINE_MAX = 12


def _who(view: ComplaintView, clip: Clip) -> str:
    if view.identity_hidden:
        return "<i>dirahasiakan</i>"
    name = clip.name(view.complainant_name or "-", NAME_LABEL)
    return f"{name} ({clip.name(view.complainant_contact or '-', CONTACT_LABEL)})"


def _lines(view: ComplaintView, clip: Clip) -> list[str]:
    lines = [
        f"Jenis: {CATEGORY[view.category]}",
        f"Saluran: {CHANNEL[view.channel]}",
        f"Pengadu: {_who(view, clip)}",
    ]
    if view.ticket_number:
        lines.append(f"Tiket terkait: <code>{view.ticket_number}</code>")
    lines.append(f"Uraian: {clip(view.text, TEXT_LABEL)}")
    if view.files:
        lines.append(f"Lampiran: {len(view.files)} (menyusul di bawah)")
    return lines


def _titled_lines(view: ComplaintView, clip: Clip) -> list[str]:
    return [f"<b>{view.number}</b> · {STATUS[view.status]}", *_lines(view, clip)]


def outside_hours(opens_at: datetime) -> str:
    """Tells a complainant the complaint came outside office hours and when it is handled."""
    return f"Pengaduan diterima di luar jam layanan; ditindaklanjuti mulai {when(opens_at)}."


def receipt(view: ComplaintView) -> str:
    """The receipt after filing or recording a complaint."""
    tail = [
        f"Batas waktu tanggapan: {when(view.response_due_at)}",
        f"Batas waktu penyelesaian: {when(view.resolution_due_at)}",
    ]
    if view.status is ComplaintStatus.ESCALATED:
        tail.append("Pengaduan ini langsung diteruskan kepada pejabat pengaduan Dinas Kominfo.")
    if view.confidential:
        tail.append("Identitas pengadu dirahasiakan dari tim teknis.")
    tail += ["", f"Pantau dengan /aduan_saya atau /tiket {view.number}. Layanan ini gratis."]
    head = ["<b>Pengaduan telah diterima.</b>", f"Nomor pengaduan: <code>{view.number}</code>"]
    return records.receipt(view, head, outside_hours, partial(_lines, view), tail)


NO_GROUP_NOTE = (
    "<i>Grup teknisi belum dipasang; kartu pengaduan ini dikirim kepada pejabat pengaduan.</i>"
)


def _card_state(view: ComplaintView) -> str | None:
    """What the card says about the next step, by state."""
    status = view.status
    if status is ComplaintStatus.NEW:
        return f"Belum ada petugas. Tekan «{TAKE_BUTTON}» untuk menangani."
    if status is ComplaintStatus.CLOSED:
        return "Berkas pengaduan ditutup."
    if status is ComplaintStatus.RESOLVED:
        return (
            "Pengaduan selesai." if view.escalated else "Pengaduan selesai; berkas dapat ditutup."
        )
    if view.escalated:
        return "Ditangani pejabat pengaduan Dinas Kominfo; tim teknis tidak perlu menindaklanjuti."
    if status is ComplaintStatus.RESPONDED:
        if view.complainant_in_bot:
            return "Jawaban telah dikirim; menunggu tanggapan pengadu."
        return f"Jawaban telah dicatat. Tekan «{RESOLVE_BUTTON}» bila pengaduan sudah tuntas."
    return None


def _card_more(view: ComplaintView, officials: bool, clip: Clip) -> list[str]:
    lines = []
    if view.officer_name:
        lines.append(f"Petugas: {clip.name(view.officer_name, STAFF_LABEL)}")
    if view.official_name:
        lines.append(f"Pejabat pengaduan: {clip.name(view.official_name, OFFICIAL_LABEL)}")
    state = _card_state(view)
    if state:
        lines.append(state)
    if officials:
        lines += ["", NO_GROUP_NOTE]
    return lines


def card(view: ComplaintView, *, officials: bool = False) -> Fitted:
    """The complaint's one card: in the technician group, or the officials' without a group.

    It is edited in place as the complaint moves: current state, who handles it, next step.
    A cut text follows the card when it is posted, and /tiket shows it whole.
    """
    return records.card(
        view,
        f"<b>Pengaduan {view.number}</b> · {STATUS[view.status]}",
        partial(_lines, view),
        [
            ("Batas tanggapan", view.response_due_at),
            ("Batas penyelesaian", view.resolution_due_at),
        ],
        partial(_card_more, view, officials),
    )


EARLIER = "… {count} catatan sebelumnya; riwayat lengkap dengan /tiket {number}"


def _event_line(event: EventView, clip: Clip) -> str:
    by_complainant = event.kind in ("filed", "confirmed_solved", "not_solved")
    nobody = "Pengadu" if by_complainant else "Sistem"
    label = EVENT.get(event.kind, event.kind)
    return records.event_line(event, label, clip, nobody=nobody, note_break="\n  ")


def timeline(view: ComplaintView, clip: Clip | None = None, *, latest: int = 0) -> list[str]:
    """Returns the timeline lines of a complaint (only the `latest` entries when given)."""
    clip = clip or Clip()
    events = view.events[-latest:] if latest else view.events
    lines = [_event_line(event, clip) for event in events]
    if len(events) < len(view.events):
        earlier = len(view.events) - len(events)
        lines.insert(0, EARLIER.format(count=earlier, number=view.number))
    return lines


THREAD_HEAD = {
    "new_behaviour": "Pengaduan tentang perilaku petugas, langsung kepada pejabat pengaduan",
    "forwarded": "Pengaduan diteruskan petugas kepada pejabat pengaduan",
    "not_solved": "Pengadu menyatakan jawaban belum menyelesaikan pengaduan",
    "due:response_passed": "Batas waktu tanggapan terlampaui; pengaduan diteruskan kepada Anda",
    "due:resolution_passed": "Batas waktu penyelesaian pengaduan terlampaui",
}


def thread(view: ComplaintView, what: str) -> Fitted:
    """The whole complaint for the complaints official; cut texts are sent before it."""

    def build(clip: Clip) -> str:
        lines = [
            f"<b>{THREAD_HEAD.get(what, 'Pengaduan')}</b>",
            *_titled_lines(view, clip),
            f"Identitas dirahasiakan dari tim teknis: {'ya' if view.confidential else 'tidak'}",
            *records.timing(view, [("Batas penyelesaian", view.resolution_due_at)]),
            f"Petugas: {records.person(clip, view.officer_name, STAFF_LABEL)}",
            "",
            "<b>Riwayat</b>",
            *timeline(view, clip, latest=TIMELINE_MAX),
        ]
        if view.status is ComplaintStatus.ESCALATED:
            lines += ["", f"Tekan «{ANSWER_BUTTON}» untuk menjawab pengadu melalui bot."]
        return "\n".join(lines)

    return fit(build, note=CUT_ABOVE)


def response_for_complainant(view: ComplaintView, official: bool) -> Fitted:
    """The answer as the complainant receives it; a cut answer is sent whole before it."""
    who = "pejabat pengaduan Dinas Kominfo" if official else "petugas Dinas Kominfo"
    return fit(
        lambda clip: (
            f"<b>Jawaban atas pengaduan {view.number}</b> dari {who}:\n\n"
            f"{clip(view.response or '', RESPONSE_LABEL)}\n\n"
            f"Apakah jawaban ini menyelesaikan pengaduan Anda? Tekan «{SOLVED_BUTTON}» atau "
            f"«{NOT_SOLVED_BUTTON}»; pengaduan yang belum selesai diteruskan kepada pejabat "
            "pengaduan."
        ),
        note=CUT_ABOVE,
    )


def info(view: ComplaintView, what: str) -> str:
    """A short update about a complaint for one person."""
    number = f"<code>{view.number}</code>"
    match what:
        case "taken":
            officer = esc(view.officer_name or "-")
            return f"Pengaduan {number} sedang ditangani oleh petugas {officer}."
        case "escalated":
            return (
                f"Pengaduan {number} diteruskan kepada pejabat pengaduan Dinas Kominfo untuk "
                "diselesaikan. Anda akan menerima jawabannya melalui bot ini."
            )
        case "resolved":
            return f"Pengaduan {number} dinyatakan selesai. Terima kasih atas masukan Anda."
        case "closed":
            return f"Pengaduan {number} telah ditutup. Terima kasih atas masukan Anda."
        case "solved":
            return (
                f"Pengadu menyatakan pengaduan {number} selesai. Tekan «{CLOSE_BUTTON}» untuk "
                "menutup berkasnya."
            )
        case "not_solved":
            return (
                f"Pengadu menyatakan jawaban atas pengaduan {number} belum menyelesaikan "
                "masalahnya; pengaduan diteruskan kepada pejabat pengaduan."
            )
        case "official_responded":
            return f"Pengaduan {number} telah dijawab oleh {esc(view.official_name or '-')}."
        case "due:response_passed" | "due:resolution_passed":
            return (
                f"Batas waktu pengaduan {number} terlampaui; pengaduan diteruskan kepada "
                "pejabat pengaduan."
            )
    return f"Pengaduan {number}: {STATUS[view.status]}."


def _detail_lines(view: ComplaintView, clip: Clip) -> list[str]:
    lines = [
        *_titled_lines(view, clip),
        f"Petugas: {records.person(clip, view.officer_name, STAFF_LABEL)}",
        f"Pejabat pengaduan: {records.person(clip, view.official_name, OFFICIAL_LABEL)}",
        *records.timing(
            view,
            [
                ("Batas waktu tanggapan", view.response_due_at),
                ("Batas waktu penyelesaian", view.resolution_due_at),
            ],
        ),
    ]
    if view.response:
        delivery = view.response_delivery
        delivery = f" ({clip.name(delivery, DELIVERY_LABEL)})" if delivery else ""
        lines.append(f"Jawaban terakhir: {clip(view.response, RESPONSE_LABEL)}{delivery}")
    return lines


def detail(view: ComplaintView) -> list[str]:
    """The `/tiket ADU-...` answer: details and the timeline over as many messages as they
    need, then the texts that had to be cut, whole."""
    return records.details(view.number, partial(_detail_lines, view), view.events, _event_line)


def _line(view: ComplaintView) -> str:
    return (
        f"• <code>{view.number}</code> {STATUS[view.status]}\n"
        f"  {CATEGORY[view.category]} · diterima {short_when(view.received_at)}"
    )


def mine(views: Sequence[ComplaintView]) -> str:
    """The `/aduan_saya` answer."""
    if not views:
        return "Anda belum pernah menyampaikan pengaduan. Sampaikan pengaduan dengan /aduan."
    return "\n".join(
        ["<b>Pengaduan Anda</b>", *(_line(v) for v in views), "", "Rincian: /tiket NOMOR"]
    )


def status_section(views: Sequence[ComplaintView]) -> str:
    """The complaints section appended to `/status`."""
    return "\n".join(["<b>Pengaduan Anda</b>", *(_line(v) for v in views)])


def files_caption(view: ComplaintView) -> str:
    """Caption of a complaint's attachment."""
    return f"Lampiran pengaduan {view.number}"


# --- the answer conversation --------------------------------------------------------------


ANSWER_CUT = (
    "<i>Teks bertanda … dipotong karena terlalu panjang; teks lengkapnya ada pada pesan "
    "pengaduan yang Anda terima sebelumnya, dan pada /tiket {number} setelah isian ini "
    "selesai.</i>"
)


def ask_answer(view: ComplaintView, official: bool) -> str:
    """Opens the answer: the complaint and what to write."""
    who = "pejabat pengaduan" if official else "petugas"

    def build(clip: Clip) -> str:
        lines = [
            *_detail_lines(view, clip),
            "",
            "<b>Riwayat</b>",
            *timeline(view, clip, latest=TIMELINE_MAX),
        ]
        return (
            f"Anda menjawab pengaduan sebagai {who}.\n\n" + "\n".join(lines) + "\n\n"
            f"Tuliskan <b>jawaban</b> untuk pengadu ({TEXT_MIN} sampai {TEXT_MAX} karakter). "
            "Batalkan dengan /batal."
        )

    return fit(build, note=ANSWER_CUT.format(number=view.number)).text


ASK_DELIVERY = (
    "Pengadu tidak menggunakan bot ini. Tuliskan <b>bagaimana jawaban disampaikan</b>, contoh: "
    "disampaikan via telepon pada pukul 10.00."
)


def ask_forward(view: ComplaintView) -> str:
    """Opens forwarding to the official: the reason is required."""
    return (
        f"Meneruskan pengaduan <code>{view.number}</code> kepada pejabat pengaduan.\n"
        f"Tuliskan <b>alasan</b> petugas tidak dapat menyelesaikannya ({REASON_MIN} sampai "
        f"{REASON_MAX} karakter). Batalkan dengan /batal."
    )


def ask_not_solved(view: ComplaintView) -> str:
    """Asks the complainant why the answer did not solve the complaint."""
    return (
        f"Mohon tuliskan <b>mengapa</b> jawaban atas pengaduan <code>{view.number}</code> belum "
        f"menyelesaikan masalah Anda ({REASON_MIN} sampai {REASON_MAX} karakter). Pengaduan "
        "akan diteruskan kepada pejabat pengaduan Dinas Kominfo. Batalkan dengan /batal."
    )


def answer_summary(number: str, text: str, delivery: str | None) -> str:
    """The answer checked before it is sent."""

    def build(clip: Clip) -> str:
        lines = [f"<b>Jawaban atas pengaduan {number}</b>", "", clip(text, RESPONSE_LABEL)]
        if delivery:
            lines += ["", f"Cara penyampaian: {clip.name(delivery, DELIVERY_LABEL)}"]
        lines += ["", f"Tekan «{SEND_ANSWER}» untuk mengirim."]
        return "\n".join(lines)

    return fit(build, note=CUT_KEPT).text


def answered(view: ComplaintView) -> str:
    """Confirms a sent answer to the officer or official."""
    if view.complainant_in_bot:
        return f"Jawaban atas pengaduan {view.number} telah dikirim kepada pengadu."
    return f"Jawaban atas pengaduan {view.number} telah dicatat."


def forwarded(view: ComplaintView) -> str:
    """Confirms forwarding to the officer."""
    return f"Pengaduan {view.number} telah diteruskan kepada pejabat pengaduan."


def not_solved_sent(view: ComplaintView) -> str:
    """Confirms the complainant's "not solved" with the next step."""
    return (
        f"Terima kasih. Pengaduan {view.number} diteruskan kepada pejabat pengaduan Dinas "
        "Kominfo, yang akan menyelesaikannya sampai tuntas."
    )


def solved_thanks(view: ComplaintView) -> str:
    """Thanks the complainant who confirmed the answer solved the complaint."""
    return f"Terima kasih. Pengaduan {view.number} dinyatakan selesai."


def taken_alert(view: ComplaintView) -> str:
    """Confirms the take to the officer who pressed the button."""
    return f"Anda menangani {view.number}. Tekan «{ANSWER_BUTTON}» untuk menjawab."


def settled_alert(view: ComplaintView) -> str:
    """Confirms resolving or closing."""
    return f"{view.number}: {STATUS[view.status]}."


ANSWER_CANCELLED = "Dibatalkan; tidak ada yang dikirim."
NEED_ANSWER_BUTTON = f"Tekan «{SEND_ANSWER}» atau «{CANCEL}»."
ANSWER_TITLE = "tanggapan pengaduan"
# What a command gets while an answer or a reason is awaited: the text that follows is still
# taken for that form, so the person is told plainly that it is open.
ANSWER_BUSY = (
    "Isian tanggapan pengaduan Anda masih terbuka, sehingga perintah tadi tidak dijalankan. "
    "Selesaikan isian tersebut atau ketik /batal untuk membatalkannya."
)
ANSWER_TIMED_OUT = "Isian jawaban pengaduan dihentikan karena tidak ada jawaban cukup lama."
