"""Texts of `/verifikasi`: whether a printed berita acara was issued by the bot."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.verification import TRIES_PER_MINUTE, VerifiedBeritaAcara
from bot.texts import berita_acara as ba_texts
from bot.texts.common import DAYS, MONTHS, esc, when

USAGE = (
    "Kirim kode verifikasi yang tercetak di bagian bawah berita acara, misalnya:\n"
    "<code>/verifikasi ABCDE-FGHIJ</code>\n\n"
    "Kode juga dapat dibaca dengan memindai kode QR pada berita acara."
)

# One answer for every code that is not on record: it never tells which part was wrong.
UNKNOWN = (
    "❌ Kode verifikasi tidak dikenali.\n\n"
    "Periksa kembali kode yang tercetak pada berita acara. Berita acara yang kodenya tidak "
    "dikenali tidak dapat dipastikan keasliannya; hubungi Dinas Kominfo untuk memastikannya."
)

TOO_MANY = (
    f"Percobaan verifikasi terlalu banyak (paling banyak {TRIES_PER_MINUTE} kali per menit). "
    "Silakan coba lagi setelah satu menit."
)


def valid(found: VerifiedBeritaAcara, tz: str) -> str:
    """Confirms a berita acara on record, with what the paper must show."""
    return "\n".join(
        [
            "✅ <b>Berita acara sah</b>",
            f"Kode <code>{esc(found.code)}</code> tercatat untuk berita acara yang diterbitkan "
            "melalui bot Telegram Batik.Net.",
            "",
            f"<b>{esc(found.title)}</b>",
            f"Nomor: {esc(found.number)}",
            f"Tiket: {esc(found.ticket_number)}",
            f"Tanggal: {_day(found.signed_at, tz)}",
            f"PIHAK PERTAMA: {esc(found.first_party)} ({esc(found.first_institution)})",
            f"PIHAK KEDUA: {esc(found.second_party)}, {esc(found.second_position)} "
            f"({esc(found.opd_name)})",
            "",
            *(
                [ba_texts.confirmation_line(c, tz) for c in found.confirmations]
                or [
                    f"Dikonfirmasi secara elektronik oleh {esc(found.confirmed_by)} melalui "
                    f"akun Telegram pada {when(found.confirmed_at, tz)}."
                ]
            ),
            "",
            "Pastikan isi berita acara yang Anda pegang sama dengan keterangan di atas.",
        ]
    )


def _day(at: datetime, tz: str) -> str:
    local = at.astimezone(ZoneInfo(tz))
    return f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year}"
