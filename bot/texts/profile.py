"""Texts of `/profil`: the profile a registered person keeps for the berita acara (issue 12)."""

from __future__ import annotations

from bot.services.errors import DomainError
from bot.services.profiles import Profile
from bot.texts import refusals
from bot.texts.common import esc

TITLE = "profil"
EDIT = "Ubah data"
DONE = "Selesai"
BACK = "« Kembali ke profil"
ASK_FIELD = "Pilih data yang ingin diubah:"
FIELDS = {
    "full_name": "Nama lengkap dan gelar",
    "nip": "NIP",
    "position": "Jabatan",
    "rank": "Pangkat/golongan",
    "phone": "Nomor telepon",
}
ASK_NAME = (
    "Tuliskan <b>nama lengkap</b> Anda beserta gelar sebagaimana dicetak pada berita acara, "
    "misalnya «Budi Santoso, S.Kom.»."
)
ASK_NIP = (
    "Tuliskan <b>NIP</b> Anda (18 digit; spasi boleh), atau tekan «Hapus NIP» bila Anda bukan ASN."
)
CLEAR_NIP = "Hapus NIP"
ASK_POSITION = "Tuliskan <b>jabatan</b> Anda, misalnya «Pranata Komputer Ahli Pertama»."
ASK_RANK = (
    "Tuliskan <b>pangkat/golongan</b> Anda, misalnya «Penata Muda, III/a», atau tekan «Kosongkan»."
)
CLEAR_RANK = "Kosongkan"
ASK_PHONE = "Tuliskan <b>nomor telepon</b> Anda, misalnya 081234567890."
NEED_TEXT = "Mohon jawab dengan pesan teks."
NEED_BUTTON = f"Tekan «{EDIT}» untuk mengubah data, atau «{DONE}»."
SAVED = "Perubahan disimpan."
CLOSED = "Profil ditutup."
TIMED_OUT = "Profil ditutup karena tidak ada jawaban cukup lama. Ketik /profil untuk membuka lagi."
LOST = "Maaf, isian tidak ditemukan lagi. Ketik /profil untuk membuka lagi."
BUSY = "Profil sedang dibuka. Selesaikan dulu atau ketik /batal sebelum menjalankan perintah lain."


def _or_dash(value: str | None) -> str:
    return esc(value) if value else "-"


def show(profile: Profile) -> str:
    """The profile with what the berita acara prints."""
    lines = [
        "<b>Profil Anda</b>",
        f"Nama: {esc(profile.full_name)}",
        f"NIP: {_or_dash(profile.nip)}",
        f"Jabatan: {_or_dash(profile.position)}",
        f"Pangkat/golongan: {_or_dash(profile.rank)}",
        f"Telepon: {_or_dash(profile.phone)}",
    ]
    if profile.opd_name:
        lines.append(f"OPD: {esc(profile.opd_name)}")
    lines += [
        "",
        "Nama, NIP, jabatan dan pangkat dicetak pada berita acara yang Anda tandatangani.",
    ]
    return "\n".join(lines)


def refusal(error: DomainError) -> str:
    """The words of a refusal at a step of the profile: what is wrong, then to send again."""
    return refusals.refusal(error)
