"""Texts of the ticket as a conversation: the header of a relayed message, the prompt of
«Kirim pesan», the list of a ticket's messages and their timeline labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.services.ticket_messages import EVENT_PREFIX, Kind, NoteView, Side
from bot.texts.common import esc, short_when
from bot.texts.fit import preview

WRITE = "Kirim pesan"
ANSWER = "Jawab"
RESUME = "Lanjutkan"
LIST = "Daftar pesan"
TITLE = "pesan tiket"

KIND: Mapping[Kind, str] = {
    Kind.TEXT: "teks",
    Kind.PHOTO: "foto",
    Kind.DOCUMENT: "dokumen",
    Kind.VOICE: "pesan suara",
    Kind.VIDEO: "video",
    Kind.AUDIO: "audio",
    Kind.VIDEO_NOTE: "video singkat",
    Kind.ANIMATION: "animasi",
    Kind.LOCATION: "lokasi",
    Kind.OTHER: "pesan",
}
# Timeline labels of the `msg_<kind>` events.
EVENT: Mapping[str, str] = {f"{EVENT_PREFIX}{k.value}": f"Pesan ({v})" for k, v in KIND.items()}
EXCERPT = 80  # characters of a message's text shown in the list


def _writer(note: NoteView) -> str:
    if note.side is Side.OPD:
        return f"{esc(note.sender_name)} ({esc(note.opd_name)})"
    return f"{esc(note.sender_name)} (Dinas Kominfo)"


def header(note: NoteView, *, group: bool, forum: bool = False, held: bool = False) -> str:
    """The line above a relayed message: the ticket, who wrote and how to answer."""
    head = (
        f"<b>Pesan tiket <code>{note.ticket_number}</code></b> #{note.number} "
        f"({KIND[note.kind]}) dari {_writer(note)}:"
    )
    if note.side is Side.STAFF:
        how = "Untuk menjawab, balas (reply) pesan di bawah atau tekan «Kirim pesan»."
    elif not group:
        how = "Jawab dengan membalas (reply) pesan di bawah atau tombol «Kirim pesan»."
    elif forum:
        how = "Jawab OPD dengan menulis di topik ini atau membalas (reply) pesan di bawah."
    else:
        how = "Jawab OPD dengan membalas (reply) pesan di bawah."
    if held:
        how += " Tiket sedang ditunda menunggu OPD; bila pesan ini jawabannya, tekan «Lanjutkan»."
    return f"{head}\n<i>{how}</i>"


def ask(number: str) -> str:
    """The prompt of «Kirim pesan»."""
    return (
        f"Tulis pesan untuk tiket <code>{number}</code>. Anda dapat mengirim teks, foto, "
        "dokumen, pesan suara atau video; pesan diteruskan apa adanya.\n/batal untuk membatalkan."
    )


HINT = "Kirim satu pesan: teks, foto, dokumen, pesan suara atau video."
CANCELLED = "Pengiriman pesan dibatalkan."
TIMED_OUT = "Pesan tidak jadi dikirim karena terlalu lama tidak ada jawaban."


def sent(number: str, recipients: int) -> str:
    """Confirms a message was passed on."""
    if recipients == 0:
        return f"Pesan dicatat pada tiket <code>{number}</code>."
    return f"Pesan diteruskan ke tiket <code>{number}</code>."


def listing(number: str, notes: Sequence[NoteView]) -> str:
    """The list of a ticket's last messages, each to be sent again with its button."""
    if not notes:
        return f"Belum ada pesan pada tiket <code>{number}</code>."
    lines = [f"<b>Pesan tiket <code>{number}</code></b>"]
    for note in notes:
        text = f": {preview(note.excerpt, EXCERPT)}" if note.excerpt else ""
        lines.append(
            f"#{note.number} {short_when(note.at)} · {_writer(note)} · {KIND[note.kind]}{text}"
        )
    lines.append("\nTekan nomor pesan untuk menerimanya lagi.")
    return "\n".join(lines)


def again(note: NoteView) -> str:
    """The button that sends a listed message again."""
    return f"#{note.number} kirim ulang"


GONE = "Pesan aslinya sudah dihapus oleh pengirimnya; hanya cuplikannya yang tercatat."
