"""Texts of the registration of OPD staff through an invite link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.services.domain import UserView
from bot.services.errors import DomainError, InvalidInput
from bot.texts import refusals
from bot.texts.common import esc
from bot.texts.help import help_for

INTRO = (
    "Selamat datang di layanan pelaporan gangguan jaringan <b>Batik.Net</b> "
    "Dinas Komunikasi dan Informatika Kota Pekalongan.\n\n"
    "Anda akan didaftarkan sebagai pelapor gangguan untuk <b>{opd}</b>. "
    "Pendaftaran terdiri atas empat pertanyaan singkat; ketik /batal kapan saja untuk "
    "membatalkan."
)
ASK_NAME = (
    "<b>Langkah 1 dari 4.</b> Silakan ketik <b>nama lengkap</b> Anda beserta gelar, bila ada."
)
ASK_PHONE = (
    "<b>Langkah 2 dari 4.</b> Silakan kirim <b>nomor telepon/WhatsApp</b> Anda dengan menekan "
    "tombol «{button}» di bawah, atau ketik nomornya (contoh: 081234567890)."
)
ASK_NIP = (
    "<b>Langkah 3 dari 4.</b> Silakan ketik <b>NIP</b> Anda (18 digit angka). Apabila Anda "
    "tidak memiliki NIP atau tidak ingin mengisinya, tekan «{button}»."
)
ASK_POSITION = (
    "<b>Langkah 4 dari 4.</b> Silakan ketik <b>jabatan</b> Anda "
    "(contoh: Pranata Komputer, Kepala Subbagian Umum)."
)
CONTACT_BUTTON = "📱 Kirim nomor saya"
SKIP_BUTTON = "Lewati"
SKIP_WORDS = frozenset({"lewati", "-", "skip", "tidak ada"})

WRONG_TYPE = "Mohon maaf, jawaban untuk pertanyaan ini harus berupa teks."
WRONG_TYPE_PHONE = (
    "Mohon maaf, kirimkan nomor telepon melalui tombol di bawah atau ketik nomornya."
)
IN_PROGRESS = (
    "Pendaftaran Anda sedang berjalan. Jawablah pertanyaan berikut, atau ketik /batal untuk "
    "membatalkan pendaftaran."
)
INVALID = {
    code: refusals.refusal(InvalidInput(code), refusals.Situation.AT_STEP)
    for code in ("name", "phone", "contact_not_own", "nip", "position")
}
USE_BUTTONS = "Silakan pilih salah satu tombol pada ringkasan berikut."

SUMMARY_TITLE = "<b>Ringkasan pendaftaran</b>"
NOTE_MOVE = (
    "Catatan: akun Anda saat ini terdaftar pada <b>{old}</b>. Dengan konfirmasi ini, akun Anda "
    "dipindahkan ke <b>{new}</b> dan tidak lagi menjadi pelapor {old}."
)
NOTE_UPDATE = "Catatan: Anda sudah terdaftar pada OPD ini; konfirmasi akan memperbarui data Anda."
CONFIRM_QUESTION = "Apakah data di atas sudah benar?"
CONFIRM_BUTTON = "✅ Benar, daftarkan"
EDIT_BUTTON = "✏️ Ubah data"
CANCEL_BUTTON = "❌ Batalkan"
CHOOSE_FIELD = "Data mana yang ingin Anda ubah?"
FIELD_BUTTONS = {
    "name": "Nama lengkap",
    "phone": "Nomor telepon",
    "nip": "NIP",
    "position": "Jabatan",
}
BACK_BUTTON = "« Kembali ke ringkasan"
UPDATED = "Data telah diperbarui."

CONFIRMED = "✅ Data pendaftaran telah dikonfirmasi."
WELCOME = (
    "Terima kasih, {name}, Anda telah terdaftar sebagai pelapor gangguan Batik.Net untuk "
    "<b>{opd}</b>.\n\n"
    "Untuk melaporkan gangguan jaringan, kirim /lapor. Daftar perintah yang dapat Anda "
    "gunakan:\n\n{help}"
)
CANCELLED = (
    "Pendaftaran dibatalkan. Anda dapat membuka kembali tautan undangan selama tautan tersebut "
    "masih berlaku."
)
TIMED_OUT = (
    "Pendaftaran dibatalkan karena tidak ada jawaban selama {minutes} menit. Silakan buka "
    "kembali tautan undangan untuk memulai lagi."
)
DRAFT_LOST = (
    "Data pendaftaran Anda tidak ditemukan atau sudah kedaluwarsa. Silakan buka kembali tautan "
    "undangan untuk memulai lagi."
)
INVITE_UNKNOWN = refusals.REFUSALS["not_found:invite"]


def intro(opd_name: str) -> str:
    """The greeting at the start of registration."""
    return INTRO.format(opd=esc(opd_name))


def summary(draft: Mapping[str, Any], *, question: bool = True) -> str:
    """The collected data for the user to confirm, with a note when they change OPD."""
    lines = [
        SUMMARY_TITLE,
        "",
        f"OPD: <b>{esc(draft['opd_name'])}</b>",
        f"Nama lengkap: {esc(draft['full_name'])}",
        f"Nomor telepon: {esc(draft['phone'])}",
        f"NIP: {esc(draft['nip']) if draft.get('nip') else '—'}",
        f"Jabatan: {esc(draft['position'])}",
        "",
    ]
    previous = draft.get("previous_opd_id")
    if previous is not None and previous != draft["opd_id"]:
        old, new = esc(draft["previous_opd_name"]), esc(draft["opd_name"])
        lines.extend([NOTE_MOVE.format(old=old, new=new), ""])
    elif previous is not None:
        lines.extend([NOTE_UPDATE, ""])
    if question:
        lines.append(CONFIRM_QUESTION)
    return "\n".join(lines).rstrip()


def invalid(reason: str) -> str:
    """Why an answer was not accepted."""
    return refusals.refusal(InvalidInput(reason), refusals.Situation.AT_STEP)


def welcome(user: UserView) -> str:
    """The welcome after registration, with the commands of the user's roles."""
    opd = user.opd.name if user.opd else ""
    return WELCOME.format(name=esc(user.full_name), opd=esc(opd), help=help_for(user.roles))


def refusal(error: DomainError) -> str:
    """Returns the message for an unusable invite or a refused registration."""
    return refusals.refusal(error)
