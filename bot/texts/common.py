"""Shared labels, formatting and refusal messages."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.services.berita_acara import CATEGORY as CATEGORY  # the words the document prints
from bot.services.domain import Impact, LetterStatus, Status
from bot.services.errors import DomainError

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

STATUS = {
    Status.NEW: "Baru",
    Status.DISPOSED: "Didisposisi ke tim teknis",
    Status.CHECKING: "Pengecekan dan diagnosa",
    Status.AWAITING_APPROVAL: "Menunggu persetujuan",
    Status.REPAIRING: "Perbaikan",
    Status.REPAIRED: "Selesai diperbaiki, menunggu konfirmasi OPD",
    Status.ON_HOLD: "Ditunda (menunggu OPD)",
    Status.CLOSED: "Selesai",
    Status.CANCELLED: "Dibatalkan",
}

IMPACT = {
    Impact.ONE_DEVICE: "Satu perangkat",
    Impact.ONE_ROOM: "Satu ruangan",
    Impact.WHOLE_OFFICE: "Seluruh kantor",
}

LETTER = {
    LetterStatus.ATTACHED: "terlampir",
    LetterStatus.FOLLOWS: "menyusul",
}

EVENT = {
    "reported": "Laporan diterima",
    "disposed": "Disposisi ke tim teknis",
    "claimed": "Ditangani teknisi",
}

ROLE = {
    "reporter": "Pelapor OPD",
    "technician": "Teknisi",
    "coordinator": "Penanggung jawab",
    "official": "Pejabat pengaduan",
    "supervisor": "Kepala bidang",
    "admin": "Admin",
}

REFUSALS = {
    "not_registered": (
        "Anda belum terdaftar. Mintalah tautan undangan kepada admin Dinas Kominfo, "
        "lalu buka tautan tersebut."
    ),
    "not_allowed": "Maaf, Anda tidak berwenang melakukan tindakan ini.",
    "no_opd": "Akun Anda belum terhubung dengan OPD yang aktif. Hubungi admin Dinas Kominfo.",
    "no_tickets_role": "Perintah ini untuk pelapor OPD dan teknisi.",
    "not_found": "Data tidak ditemukan atau tidak dapat Anda akses.",
    "invalid_state": "Tiket ini sudah berpindah tahap; tindakan tersebut tidak berlaku lagi.",
    "already_claimed": "Tiket {number} sudah diambil oleh {by}.",
    "invite_expired": "Tautan undangan ini sudah kedaluwarsa. Mintalah tautan baru kepada admin.",
    "invite_used": "Tautan undangan ini sudah habis dipakai. Mintalah tautan baru kepada admin.",
    "invalid_input": "Isian tidak valid.",
    "ticket_number": "Nomor tiket tidak dikenali. Contoh penulisan: BN-2026-00012.",
    "stale_button": "Tombol ini sudah tidak berlaku.",
}

GENERIC_ERROR = (
    "Maaf, terjadi gangguan pada sistem. Silakan coba lagi beberapa saat lagi. "
    "Apabila berulang, hubungi admin Dinas Kominfo."
)


def esc(text: object) -> str:
    """Escapes user text for HTML parse mode."""
    return escape(str(text), quote=False)


def when(at: datetime, tz: ZoneInfo | str = "Asia/Jakarta") -> str:
    """Formats a moment as offices write it: `Senin, 30 November 2026 pukul 08.00 WIB`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = at.astimezone(zone)
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} WIB"
    )


def short_when(at: datetime, tz: ZoneInfo | str = "Asia/Jakarta") -> str:
    """Formats a moment compactly: `30/11/2026 08.00`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return f"{at.astimezone(zone):%d/%m/%Y %H.%M}"


def refusal(error: DomainError) -> str:
    """Returns the message for a refused action."""
    template = REFUSALS.get(error.code, REFUSALS["invalid_input"])
    try:
        return template.format(**{k: esc(v) for k, v in error.params.items()})
    except (KeyError, IndexError):
        return REFUSALS.get(type(error).code, GENERIC_ERROR)
