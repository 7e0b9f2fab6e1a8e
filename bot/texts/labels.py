"""Names of domain values as users read them, and HTML escaping: the base every text module reads.

It imports nothing from `bot.texts`, so `refusals` can use the labels while `common` still
offers the refusal names to the modules that import them from there.
"""

from __future__ import annotations

from html import escape

from bot.services.berita_acara import CATEGORY as CATEGORY  # the words the document prints
from bot.services.domain import Impact, LetterStatus, Status

STATUS = {
    Status.NEW: "Baru",
    Status.DISPOSED: "Didisposisikan kepada tim teknis",
    Status.CHECKING: "Pengecekan dan diagnosis",
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
    "disposed": "Didisposisikan kepada tim teknis",
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


def esc(text: object) -> str:
    """Escapes user text for HTML parse mode."""
    return escape(str(text), quote=False)


def status(value: object) -> str:
    """Returns the label of a ticket state given as a `Status` or its stored value."""
    try:
        return STATUS[Status(str(value))]
    except ValueError:
        return str(value)
