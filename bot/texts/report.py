"""Texts of the `/lapor` fault-report conversation."""

from __future__ import annotations

from bot.services.attachments import FILE_TYPE
from bot.services.domain import Category, Impact
from bot.services.errors import DomainError
from bot.services.tickets import DESCRIPTION_MAX, DESCRIPTION_MIN, LOCATION_MAX, PHOTOS_MAX
from bot.texts.common import CATEGORY, IMPACT, esc
from bot.texts.refusals import REFUSALS, TEMPLATES, Situation, refusal

# --- buttons ---------------------------------------------------------------------------------

PHOTOS_SKIP = "Lewati"
PHOTOS_DONE = "Selesai"
LETTER_LATER = "Menyusul"
SHARE_CONTACT = "Kirim kontak Telegram saya"
SEND = "Kirim laporan"
EDIT = "Ubah isian"
CANCEL = "Batalkan"
BACK = "« Kembali ke ringkasan"
EDIT_FIELDS = {
    "cat": "Kategori",
    "imp": "Dampak",
    "loc": "Lokasi",
    "desc": "Uraian",
    "pho": "Foto",
    "let": "Surat permohonan",
    "tel": "Nomor kontak",
}


def use_phone(phone: str) -> str:
    """Label of the reply button that keeps the profile's phone number."""
    return f"Gunakan {phone}"


# --- prompts ---------------------------------------------------------------------------------

START = (
    "<b>Laporan gangguan Batik.Net</b>\nOPD: {opd}\n\n"
    "Isian dapat dibatalkan kapan saja dengan /batal."
)
ASK_CATEGORY = "Langkah 1 dari 7. Pilih <b>jenis gangguan</b>:"
ASK_IMPACT = "Langkah 2 dari 7. Seberapa luas <b>dampak</b> gangguan?"
ASK_LOCATION = (
    "Langkah 3 dari 7. Tuliskan <b>lokasi</b> gangguan di kantor Anda "
    f"(gedung, lantai, ruangan; paling banyak {LOCATION_MAX} karakter)."
)
ASK_DESCRIPTION = (
    "Langkah 4 dari 7. Uraikan <b>gangguan</b> yang terjadi: sejak kapan, apa yang terlihat, "
    f"apa yang sudah dicoba ({DESCRIPTION_MIN} sampai {DESCRIPTION_MAX} karakter)."
)
ASK_PHOTOS = (
    f"Langkah 5 dari 7. Kirim <b>foto</b> kondisi perangkat atau pesan galat (paling banyak "
    f"{PHOTOS_MAX} foto; boleh juga berkas JPEG/PNG). Tekan «{PHOTOS_SKIP}» bila tidak ada foto."
)
ASK_PHOTOS_AGAIN = (
    f"Foto sebelumnya dihapus. Kirim ulang foto (paling banyak {PHOTOS_MAX}), lalu tekan "
    f"«{PHOTOS_DONE}». Tekan «{PHOTOS_SKIP}» bila tanpa foto."
)
ASK_LETTER = (
    "Langkah 6 dari 7. Kirim <b>surat permohonan</b> perbaikan dari OPD Anda, berupa foto atau "
    f"berkas PDF/JPEG/PNG. Bila surat belum tersedia, tekan «{LETTER_LATER}»."
)
ASK_PHONE = (
    "Langkah 7 dari 7. <b>Nomor telepon</b> yang dapat dihubungi teknisi: tekan tombol di bawah, "
    "atau ketik nomor lain (contoh 081234567890)."
)
ASK_EDIT = "Pilih isian yang ingin diubah:"


def chosen(label: str, value: str) -> str:
    """Replaces a question once the user answered it with a button."""
    return f"{label}: <b>{esc(value)}</b>"


CATEGORY_LABEL = "Jenis gangguan"
IMPACT_LABEL = "Dampak"
LETTER_FOLLOWS_NOTE = chosen("Surat permohonan", "menyusul")


def photo_received(count: int) -> str:
    """Acknowledges one accepted photo with the running count."""
    return (
        f"Foto {count} dari paling banyak {PHOTOS_MAX} diterima. Kirim foto lain atau tekan "
        f"«{PHOTOS_DONE}»."
    )


LETTER_RECEIVED = "Surat permohonan diterima."


def phone_noted(phone: str) -> str:
    """Confirms the contact number before the summary."""
    return f"Nomor kontak: <b>{esc(phone)}</b>"


def summary(
    opd_name: str,
    category: Category,
    impact: Impact,
    location: str,
    description: str,
    photos: int,
    letter: bool,
    phone: str,
) -> str:
    """The summary the reporter checks before sending."""
    lines = [
        "<b>Periksa kembali laporan Anda</b>",
        f"OPD: {esc(opd_name)}",
        f"Jenis gangguan: {CATEGORY[category]}",
        f"Dampak: {IMPACT[impact]}",
        f"Lokasi: {esc(location)}",
        f"Uraian: {esc(description)}",
        f"Foto: {photos if photos else 'tidak ada'}",
        f"Surat permohonan: {'terlampir' if letter else 'menyusul'}",
        f"Nomor kontak: {esc(phone)}",
        "",
        f"Tekan «{SEND}» bila sudah benar.",
    ]
    return "\n".join(lines)


# --- refusals and bad input ------------------------------------------------------------------

NOT_REPORTER = TEMPLATES["not_allowed", Situation.REPORT_START]

PHOTO_FILE_TYPE = TEMPLATES[FILE_TYPE]
LETTER_FILE_TYPE = TEMPLATES[FILE_TYPE, Situation.LETTER]


def input_error(error: DomainError, file_type: str = PHOTO_FILE_TYPE) -> str:
    """Returns the message for input that failed validation at a step."""
    return file_type if error.code == FILE_TYPE else refusal(error, Situation.AT_STEP)


def start_refusal(error: DomainError) -> str:
    """Returns why the conversation does not start for this user."""
    return refusal(error, Situation.REPORT_START)


NEED_BUTTON = "Silakan pilih salah satu tombol di bawah."
NEED_TEXT = "Mohon jawab dengan pesan teks."
NEED_PHOTO = f"Mohon kirim foto, atau tekan «{PHOTOS_DONE}» / «{PHOTOS_SKIP}»."
NEED_LETTER = f"Mohon kirim surat permohonan (foto atau berkas PDF), atau tekan «{LETTER_LATER}»."
NEED_PHONE = "Mohon ketik nomor telepon, atau tekan tombol di bawah."
NEED_SUMMARY = f"Laporan belum terkirim. Tekan «{SEND}», «{EDIT}», atau «{CANCEL}»."
BUSY = (
    "Anda sedang mengisi laporan gangguan. Selesaikan isian ini atau ketik /batal dulu "
    "sebelum menjalankan perintah lain."
)
STALE_BUTTON = REFUSALS["stale_button"]

# --- endings ---------------------------------------------------------------------------------

CANCELLED = "Laporan dibatalkan; isian tidak disimpan. Ketik /lapor untuk memulai lagi."
TIMED_OUT = (
    "Isian laporan gangguan dihentikan karena tidak ada jawaban cukup lama. "
    "Ketik /lapor untuk memulai lagi."
)
DRAFT_LOST = "Maaf, isian laporan tidak ditemukan lagi. Ketik /lapor untuk memulai lagi."
