"""Texts of the private wizards of the repair procedure: material request (procedure 6),
repair report (8-9), sign-off of the berita acara (10), a request letter sent later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.services.attachments import FILE_TYPE, MAX_FILE_MB
from bot.services.domain import MaterialLine, ReplacedLine, Signatory
from bot.services.errors import DomainError, InvalidInput
from bot.services.workflow import validation as limits
from bot.texts import refusals
from bot.texts.common import REFUSALS, esc
from bot.texts.fit import CUT_KEPT, PROMPT_LIMIT, Clip, Field, fit
from bot.texts.refusals import TEMPLATES, Situation

# --- shared ----------------------------------------------------------------------------------

STALE_BUTTON = REFUSALS["stale_button"]
NEED_TEXT = "Mohon jawab dengan pesan teks."
NEED_BUTTON = "Silakan pilih salah satu tombol di bawah."
BUSY = (
    "Anda sedang mengisi formulir. Selesaikan isian ini atau ketik /batal dulu sebelum "
    "menjalankan perintah lain."
)
SKIP = "Lewati"
DONE = "Selesai"
CANCEL = "Batalkan"
BACK = "« Kembali ke ringkasan"
UNITS = ("unit", "buah", "meter", "roll", "set")
NONE_TEXT = "tidak ada"
DRAFT_LOST = "Maaf, isian tidak ditemukan lagi. Silakan mulai lagi dari tombol semula."


def form_open(title: str) -> str:
    """Tells that another form is open and how to cancel it (fits an alert: 200 characters)."""
    return (
        f"Formulir {title} Anda masih terbuka. Selesaikan isian tersebut atau ketik /batal "
        "untuk membatalkannya sebelum memulai formulir lain."
    )


ASK_QUANTITY = f"Berapa <b>jumlahnya</b>? Ketik angka 1 sampai {limits.QUANTITY_MAX}."
ASK_UNIT = (
    f"Pilih <b>satuan</b>, atau ketik satuan lain (paling banyak {limits.UNIT_MAX} karakter)."
)
ITEM_NAME_ERROR = f"Nama barang harus 2 sampai {limits.ITEM_NAME_MAX} karakter."
QUANTITY_ERROR = f"Jumlah harus berupa angka bulat 1 sampai {limits.QUANTITY_MAX}."
UNIT_ERROR = f"Satuan harus 1 sampai {limits.UNIT_MAX} karakter."
# How long a longer text (diagnosis, actions, reason) may be.
LONG_TEXT_LENGTH = f"{limits.TEXT_MIN} sampai {limits.LONG_TEXT_MAX} karakter"


def long_text_error(label: str) -> str:
    """Tells the allowed length of a longer text (diagnosis, actions, reason)."""
    return f"{label} harus {LONG_TEXT_LENGTH}. Silakan tulis ulang."


def photo_received(count: int) -> str:
    """Acknowledges one accepted photo with the running count."""
    return (
        f"Foto {count} dari paling banyak {limits.PHOTOS_MAX} diterima. Kirim foto lain atau "
        f"tekan «{DONE}»."
    )


NEED_PHOTO = f"Mohon kirim foto, atau tekan «{DONE}» / «{SKIP}»."
PHOTO_FILE_TYPE = TEMPLATES[FILE_TYPE]
LETTER_FILE_TYPE = TEMPLATES[FILE_TYPE, Situation.LETTER]


def file_error(error: DomainError, file_type: str = PHOTO_FILE_TYPE) -> str:
    """Returns the message for a file that failed the checks."""
    return file_type if error.code == FILE_TYPE else refusal(error)


def _material_line(line: MaterialLine, field: Field = esc) -> str:
    spec = f" ({field(line.specification)})" if line.specification not in ("", "-") else ""
    return f"{field(line.name)}{spec}: {line.quantity} {field(line.unit)}"


def _replaced_line(line: ReplacedLine, field: Field = esc) -> str:
    old = field(line.old_serial) if line.old_serial else "-"
    new = field(line.new_serial) if line.new_serial else "-"
    name, unit = field(line.name), field(line.unit)
    return f"{name}: {line.quantity} {unit}; no. seri lama {old}, baru {new}"


def _numbered(lines: Sequence[str]) -> list[str]:
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


def _materials(clip: Clip, items: Sequence[MaterialLine]) -> list[str]:
    """Returns the numbered list of requested items, their texts sharing the message's room."""
    return _numbered(clip.lines("", items, lambda field, i: _material_line(i, field)))


def _replacements(clip: Clip, items: Sequence[ReplacedLine]) -> list[str]:
    """Returns the numbered list of replaced devices, their texts sharing the message's room."""
    return _numbered(clip.lines("", items, lambda field, i: _replaced_line(i, field)))


def _fit(build: Callable[[Clip], str]) -> str:
    """Fits a wizard's list or summary into one message, with room for a hint above it; the
    draft keeps every text whole."""
    return fit(build, PROMPT_LIMIT, CUT_KEPT).text


# --- refusals --------------------------------------------------------------------------------


def refusal(error: DomainError) -> str:
    """Returns the message for a refused wizard action (falls back to the common refusals)."""
    return refusals.refusal(error, Situation.WIZARD)


# --- material request (procedure 6) ----------------------------------------------------------

MR_TITLE = "pengajuan peralatan"
MR_START = (
    "<b>Pengajuan peralatan</b>\nTiket: {number} ({opd})\n\n"
    "Daftar kebutuhan diajukan kepada penanggung jawab untuk disetujui. "
    "Isian dapat dibatalkan kapan saja dengan /batal."
)


def ask_item_name(index: int) -> str:
    """Asks the name of the next requested item."""
    return (
        f"Barang ke-{index}. Tuliskan <b>nama barang</b> (2 sampai {limits.ITEM_NAME_MAX} "
        "karakter), misalnya «Switch 24 port»."
    )


ASK_SPEC = (
    "Tuliskan <b>spesifikasi</b> barang: merek, tipe, kapasitas (paling banyak "
    f"{limits.SPEC_MAX} karakter). Ketik - bila tidak ada."
)
SPEC_ERROR = f"Spesifikasi paling banyak {limits.SPEC_MAX} karakter. Ketik - bila tidak ada."
ADD_ITEM = "Tambah barang lain"
ADD_ITEM_SHORT = "Tambah barang"


def item_added(items: Sequence[MaterialLine]) -> str:
    """Shows the list so far and asks whether more items are needed."""

    def build(clip: Clip) -> str:
        lines = ["<b>Daftar barang</b>", *_materials(clip, items), ""]
        if len(items) >= limits.ITEMS_MAX:
            lines.append(f"Daftar sudah berisi {limits.ITEMS_MAX} barang, jumlah paling banyak.")
        else:
            lines.append(f"Tekan «{ADD_ITEM}» bila masih ada kebutuhan lain, atau «{DONE}».")
        return "\n".join(lines)

    return _fit(build)


ASK_REASON = (
    "Tuliskan <b>alasan kebutuhan</b>: hasil diagnosis dan mengapa peralatan ini diperlukan "
    f"({LONG_TEXT_LENGTH})."
)
ASK_MR_PHOTOS = (
    "Kirim <b>foto</b> kondisi perangkat sebagai pendukung (paling banyak "
    f"{limits.PHOTOS_MAX}; boleh juga berkas JPEG/PNG). Tekan «{SKIP}» bila tidak ada foto."
)
MR_SEND = "Kirim ke penanggung jawab"
MR_DROP_LAST = "Hapus barang terakhir"
MR_EDIT_REASON = "Ubah alasan"


def material_summary(number: str, items: Sequence[MaterialLine], reason: str, photos: int) -> str:
    """The summary the technician checks before the request goes to the penanggung jawab."""

    def build(clip: Clip) -> str:
        lines = [
            f"<b>Periksa kembali pengajuan peralatan tiket {esc(number)}</b>",
            "",
            "Barang yang dibutuhkan:",
            *_materials(clip, items),
            "",
            f"Alasan: {clip(reason, '')}",
            f"Foto: {photos if photos else NONE_TEXT}",
            "",
            f"Tekan «{MR_SEND}» bila sudah benar.",
        ]
        return "\n".join(lines)

    return _fit(build)


NEED_MR_SUMMARY = "Pengajuan belum terkirim. Pilih salah satu tombol di bawah, atau /batal."
ITEMS_EMPTY = "Daftar barang kosong; tambahkan paling sedikit satu barang."
MR_SENT = (
    "Pengajuan peralatan untuk tiket {number} telah dikirim dan menunggu persetujuan "
    "penanggung jawab. Anda akan diberi tahu setelah diputuskan."
)
MR_CANCELLED = "Pengajuan peralatan dibatalkan; isian tidak disimpan."
MR_TIMED_OUT = (
    "Isian pengajuan peralatan dihentikan karena tidak ada jawaban cukup lama. "
    "Tekan lagi tombol «Berat» pada kartu tiket untuk memulai ulang."
)

# --- repair report (procedure 8-9) -----------------------------------------------------------

RR_TITLE = "laporan perbaikan"
RR_START = (
    "<b>Laporan hasil perbaikan</b>\nTiket: {number} ({opd})\n\n"
    "Isian dapat dibatalkan kapan saja dengan /batal."
)
ASK_DIAGNOSIS = (
    "Langkah 1 dari 4. Tuliskan <b>hasil diagnosis</b>: penyebab gangguan yang ditemukan "
    f"({LONG_TEXT_LENGTH})."
)
ASK_ACTIONS = (
    "Langkah 2 dari 4. Tuliskan <b>tindakan perbaikan</b> yang telah dilakukan "
    f"({LONG_TEXT_LENGTH})."
)
ASK_RR_PHOTOS = (
    "Langkah 3 dari 4. Kirim <b>foto setelah perbaikan</b> (paling banyak "
    f"{limits.PHOTOS_MAX}; boleh juga berkas JPEG/PNG). Tekan «{SKIP}» bila tidak ada foto."
)
NO_REPLACEMENT = "Tidak ada penggantian"
ADD_DEVICE = "Tambah perangkat"
USE_APPROVED = "Pakai daftar yang disetujui"


def ask_replaced(items: Sequence[ReplacedLine], approved: Sequence[MaterialLine]) -> str:
    """Asks for the replaced equipment, showing what is listed so far."""

    def build(clip: Clip) -> str:
        lines = ["Langkah 4 dari 4. <b>Perangkat yang diganti</b>"]
        if items:
            lines += ["", *_replacements(clip, items), ""]
            if len(items) >= limits.ITEMS_MAX:
                lines.append(
                    f"Daftar sudah berisi {limits.ITEMS_MAX} perangkat, jumlah paling banyak."
                )
            lines.append(f"Tekan «{ADD_DEVICE}» untuk menambah, atau «{DONE}».")
        else:
            lines.append(
                f"Tekan «{ADD_DEVICE}» untuk mencatat perangkat yang diganti, atau "
                f"«{NO_REPLACEMENT}»."
            )
            if approved:
                lines += [
                    "",
                    "Peralatan yang disetujui penanggung jawab:",
                    *_materials(clip, approved),
                    f"Tekan «{USE_APPROVED}» untuk memakai daftar ini.",
                ]
        return "\n".join(lines)

    return _fit(build)


ASK_DEVICE_NAME = (
    f"Tuliskan <b>nama perangkat</b> yang diganti (2 sampai {limits.ITEM_NAME_MAX} karakter), "
    "misalnya «Adaptor switch 12V»."
)
ASK_OLD_SERIAL = (
    "Tuliskan <b>nomor seri perangkat lama</b> (yang dilepas). Ketik - bila tidak diketahui."
)
ASK_NEW_SERIAL = (
    "Tuliskan <b>nomor seri perangkat baru</b> (yang dipasang). Ketik - bila tidak diketahui."
)
SERIAL_ERROR = (
    f"Nomor seri paling banyak {limits.SERIAL_MAX} karakter. Ketik - bila tidak diketahui."
)


def ask_serials(line: ReplacedLine, index: int, total: int) -> str:
    """Asks the old and new serial numbers of one prefilled approved item."""
    return (
        f"Perangkat {index} dari {total}: <b>{esc(line.name)}</b> "
        f"({line.quantity} {esc(line.unit)}).\n"
        "Tuliskan nomor seri perangkat <b>lama / baru</b>, dipisahkan garis miring "
        "(contoh: SN-LAMA-1 / SN-BARU-9). Ketik - bila tidak diketahui."
    )


SERIAL_PAIR_ERROR = (
    "Tuliskan kedua nomor seri dipisahkan garis miring: lama / baru (contoh: SN-LAMA-1 / "
    f"SN-BARU-9), masing-masing paling banyak {limits.SERIAL_MAX} karakter. Ketik - bila tidak "
    "diketahui."
)
RR_SEND = "Kirim laporan"
RR_EDIT = "Ubah"
RR_EDIT_FIELDS = {
    "diagnosis": "Hasil diagnosis",
    "actions": "Tindakan",
    "photos": "Foto",
    "items": "Perangkat diganti",
}
ASK_EDIT = "Pilih isian yang ingin diubah:"
ASK_PHOTOS_AGAIN = (
    f"Foto sebelumnya dihapus. Kirim ulang foto (paling banyak {limits.PHOTOS_MAX}), lalu tekan "
    f"«{DONE}». Tekan «{SKIP}» bila tanpa foto."
)


def repair_summary(
    number: str, diagnosis: str, actions: str, photos: int, items: Sequence[ReplacedLine]
) -> str:
    """The summary the technician checks before the repair report is sent."""

    def build(clip: Clip) -> str:
        replaced = _replacements(clip, items) if items else [NONE_TEXT]
        lines = [
            f"<b>Periksa kembali laporan perbaikan tiket {esc(number)}</b>",
            "",
            f"Hasil diagnosis: {clip(diagnosis, '')}",
            f"Tindakan: {clip(actions, '')}",
            f"Foto setelah perbaikan: {photos if photos else NONE_TEXT}",
            "Perangkat diganti:",
            *replaced,
            "",
            f"Tekan «{RR_SEND}» bila sudah benar.",
        ]
        return "\n".join(lines)

    return _fit(build)


NEED_RR_SUMMARY = f"Laporan belum terkirim. Tekan «{RR_SEND}», «{RR_EDIT}», atau «{CANCEL}»."
RR_SENT = (
    "Laporan perbaikan tiket {number} terkirim. OPD pelapor diminta memastikan jaringan sudah "
    "normal dan menandatangani berita acara."
)
RR_CANCELLED = "Laporan perbaikan dibatalkan; isian tidak disimpan."
RR_TIMED_OUT = (
    "Isian laporan perbaikan dihentikan karena tidak ada jawaban cukup lama. "
    "Tekan lagi tombol «Laporkan perbaikan» pada kartu tiket untuk memulai ulang."
)

# --- sign-off of the berita acara (procedure 10) ----------------------------------------------

SIGN_TITLE = "konfirmasi perbaikan"
SIGN = "Benar, tandatangani"
EDIT_SIGNATORY = "Ubah penandatangan"


def signatory(person: Signatory) -> str:
    """Shows who signs the berita acara for the OPD and asks for confirmation."""
    return "\n".join(
        [
            "<b>Konfirmasi perbaikan dan penandatanganan berita acara</b>",
            "Dengan menandatangani, OPD menyatakan jaringan sudah normal kembali dan menyetujui "
            "berita acara penggantian peralatan jaringan lokal.",
            "",
            "Penandatangan:",
            f"Nama: {esc(person.name) or '-'}",
            f"NIP: {esc(person.nip) if person.nip else '-'}",
            f"Jabatan: {esc(person.position) or '-'}",
            "",
            f"Tekan «{SIGN}» bila data sudah benar, atau /batal bila belum.",
        ]
    )


ASK_SIGNER_NAME = "Tuliskan <b>nama lengkap</b> penandatangan (dengan gelar bila ada)."
ASK_SIGNER_NIP = f"Tuliskan <b>NIP</b> penandatangan (18 digit), atau tekan «{SKIP}»."
ASK_SIGNER_POSITION = "Tuliskan <b>jabatan</b> penandatangan, misalnya «Kepala Subbagian Umum»."
SIGNER_ERRORS = {
    field: refusals.refusal(InvalidInput(field), Situation.AT_STEP)
    for field in ("name", "nip", "position")
}
SIGNER_INVALID = "Data penandatangan belum lengkap atau tidak valid; silakan lengkapi."
NEED_SIGN = f"Tekan «{SIGN}» atau «{EDIT_SIGNATORY}», atau ketik /batal."
SIGN_CANCELLED = (
    "Konfirmasi dibatalkan; tiket belum ditutup. Tombol «Sudah normal» pada pesan sebelumnya "
    "masih dapat ditekan."
)
SIGN_TIMED_OUT = (
    "Konfirmasi perbaikan dihentikan karena tidak ada jawaban cukup lama. Tekan lagi tombol "
    "«Sudah normal» untuk melanjutkan."
)


def ba_caption(ba_number: str, ticket_number: str, code: str) -> str:
    """Caption of the berita acara PDF."""
    return (
        f"Berita acara <b>{esc(ba_number)}</b> untuk tiket {esc(ticket_number)}.\n"
        f"Kode verifikasi: <code>{esc(code)}</code>"
    )


def ba_file_name(ba_number: str) -> str:
    """File name of the berita acara PDF (slashes are not allowed in names)."""
    return f"{ba_number.replace('/', '-')}.pdf"


RATINGS = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}


def ask_rating(number: str) -> str:
    """Asks the reporter to rate the service once the ticket closed."""
    return (
        f"Tiket {esc(number)} telah selesai dan ditutup. Terima kasih.\n\n"
        "Bagaimana penilaian Anda atas layanan perbaikan ini?"
    )


def ask_comment(score: int) -> str:
    """Asks for an optional comment after a rating button."""
    return (
        f"Penilaian: <b>{RATINGS[score]}</b>.\nTuliskan komentar atau saran (opsional, "
        f"{limits.TEXT_MIN} sampai {limits.NOTE_MAX} karakter), atau tekan «{SKIP}»."
    )


NEED_RATING = "Silakan pilih salah satu tombol penilaian di atas, atau ketik /batal."
RATING_LATER = "Penilaian dapat diberikan nanti dengan tombol penilaian di atas."


def thanks(number: str, score: int) -> str:
    """Thanks the reporter for the rating."""
    return f"Terima kasih. Penilaian «{RATINGS[score]}» untuk tiket {esc(number)} telah dicatat."


# --- the request letter sent later, and the berita acara again --------------------------------

LETTER_TITLE = "surat permohonan"
ASK_LETTER = (
    "Kirim <b>surat permohonan</b> perbaikan dari OPD Anda, berupa foto atau berkas "
    f"PDF/JPEG/PNG (paling besar {MAX_FILE_MB} MB). Ketik /batal untuk membatalkan."
)
NEED_LETTER = "Mohon kirim surat permohonan sebagai foto atau berkas PDF/JPEG/PNG, atau /batal."
LETTER_CANCELLED = "Pengiriman surat permohonan dibatalkan."
LETTER_TIMED_OUT = (
    "Pengiriman surat permohonan dihentikan karena tidak ada jawaban cukup lama. "
    "Tekan lagi tombol «Kirim surat permohonan» untuk memulai ulang."
)
