"""The words of a refusal: one table from a domain error's code to the sentence the user reads.

Services raise a `DomainError` with a `code` and `params` and never word it; `refusal` picks the
template, escapes the params and fills them in. A key of the table is

- a code, e.g. ``"already_claimed"``;
- ``"code:what"`` for an error naming what it is about, e.g. ``NotFound(what="invite")``;
- ``(key, Situation.X)`` where a flow needs its own sentence for the same error.

The most specific key wins. An error whose code has no text (or whose params do not fill it) gets
the text of its class's code, e.g. `not_allowed`, and failing that the one fallback,
`GENERIC_ERROR`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType

from bot.services import complaints, letters, profiles, tickets, users, workflow
from bot.services.attachments import FILE_TOO_LARGE, FILE_TYPE, MAX_FILE_MB, TOO_MANY_PHOTOS
from bot.services.errors import DomainError
from bot.texts.labels import esc, status


class Situation(StrEnum):
    """Where a refusal is shown, for the few flows that need their own sentence."""

    REPORT_START = "report_start"  # `/lapor` refused before its first question
    AT_STEP = "at_step"  # a form step refused the typed answer; the step's «Lewati» is at hand
    WIZARD = "wizard"  # the private forms of the repair procedure (material request, repair...)
    COMPLAINT = "complaint"  # complaint forms: attachments are photos or PDF files
    LETTER = "letter"  # a step that takes the OPD's request letter


Key = str | tuple[str, Situation]

GENERIC_ERROR = (
    "Maaf, terjadi gangguan pada sistem. Silakan coba lagi beberapa saat lagi. "
    "Apabila berulang, hubungi admin Dinas Kominfo."
)

_SKIP = "Lewati"
_DONE = "Selesai"


def _length(label: str, low: int, high: int) -> str:
    return f"{label} harus {low} sampai {high} karakter. Silakan tulis ulang."


TEMPLATES: Mapping[Key, str] = MappingProxyType(
    {
        # --- any flow -----------------------------------------------------------------------
        "not_registered": (
            "Anda belum terdaftar. Mintalah tautan undangan kepada admin Dinas Kominfo, "
            "lalu buka tautan tersebut."
        ),
        "not_allowed": "Maaf, Anda tidak berwenang melakukan tindakan ini.",
        ("not_allowed", Situation.REPORT_START): (
            "Perintah /lapor hanya untuk pelapor OPD yang terdaftar. Bila Anda staf OPD, "
            "mintalah tautan undangan kepada admin Dinas Kominfo."
        ),
        "no_opd": "Akun Anda belum terhubung dengan OPD yang aktif. Hubungi admin Dinas Kominfo.",
        "no_tickets_role": "Perintah ini untuk pelapor OPD dan petugas Dinas Kominfo.",
        # /cari (issue 10)
        "no_search_role": "Pencarian untuk pelapor OPD dan petugas Dinas Kominfo.",
        "search_query": (
            "Tulis kata yang dicari (3 sampai 100 karakter) setelah perintah, contoh: "
            "<code>/cari BN-2026-00012</code>, <code>/cari dinkes</code>, "
            "<code>/cari ruang server</code>"
        ),
        "not_found": "Data tidak ditemukan atau tidak dapat Anda akses.",
        "not_found:invite": (
            "Tautan undangan tidak dikenal atau sudah tidak berlaku. Pastikan Anda membuka "
            "tautan lengkap yang diberikan admin, atau mintalah tautan baru kepada admin Dinas "
            "Kominfo."
        ),
        "not_found:opd": (
            "OPD tidak ditemukan atau sedang nonaktif. Lihat daftar kode OPD dengan /opd."
        ),
        "not_found:user": (
            "Pengguna dengan ID tersebut belum dikenal bot. Mintalah yang bersangkutan membuka "
            "bot dan mengirim /start terlebih dahulu, lalu ulangi perintah ini."
        ),
        "not_found:technician": "Teknisi tersebut tidak ditemukan.",
        "not_found:repair_photos": "Tidak ada foto hasil perbaikan untuk tiket ini.",
        "invalid_state": (
            "Tiket {number} saat ini berstatus «{status}»; tindakan ini tidak dapat dilakukan "
            "pada tahap tersebut."
        ),
        "invalid_input": "Isian tidak valid.",
        # --- /laporan -------------------------------------------------------------------------
        "report_roles": "Perintah /laporan hanya untuk kepala bidang, penanggung jawab dan admin.",
        "report_usage": (
            "Gunakan /laporan lalu pilih periode, atau tuliskan tanggal awal dan akhir: "
            "<code>/laporan 2026-07-01 2026-09-30</code> (tanggal yang ada, awal tidak setelah "
            "akhir, paling lama 366 hari)."
        ),
        "stale_button": "Tombol ini sudah tidak berlaku.",
        # --- registration and people --------------------------------------------------------
        "invite_expired": (
            "Tautan undangan ini sudah kedaluwarsa. Mintalah tautan baru kepada admin."
        ),
        "invite_used": (
            "Tautan undangan ini sudah habis dipakai. Mintalah tautan baru kepada admin."
        ),
        "name": (
            f"Nama lengkap harus terdiri atas 3 sampai {users.NAME_MAX} karakter dan memuat huruf."
        ),
        "phone": (
            "Nomor telepon tidak valid. Gunakan nomor Indonesia, misalnya 081234567890 atau "
            "+6281234567890."
        ),
        "contact_not_own": (
            "Kontak yang dikirim bukan kontak Anda sendiri. Tekan tombol «Kirim nomor saya» "
            "untuk mengirim nomor Anda, atau ketik nomor Anda."
        ),
        "nip": f"NIP harus terdiri atas {users.NIP_DIGITS} digit angka.",
        ("nip", Situation.AT_STEP): (
            f"NIP harus terdiri atas {users.NIP_DIGITS} digit angka. Periksa kembali, atau tekan "
            f"«{_SKIP}»."
        ),
        "position": f"Jabatan harus terdiri atas 2 sampai {users.POSITION_MAX} karakter.",
        # --- /profil and the berita acara's confirmations (issue 12) -------------------------
        "nip_birth": (
            "Delapan digit pertama NIP (tanggal lahir, tahun-bulan-tanggal) bukan tanggal yang "
            "benar. Periksa kembali NIP Anda."
        ),
        "nip_tmt": (
            "Digit ke-9 sampai ke-14 NIP (TMT pengangkatan, tahun-bulan) tidak memuat bulan yang "
            "benar. Periksa kembali NIP Anda."
        ),
        "nip_tmt_early": (
            "TMT pengangkatan pada NIP (digit ke-9 sampai ke-14) terlalu dekat dengan tanggal "
            "lahir. Periksa kembali NIP Anda."
        ),
        "nip_tmt_future": (
            "TMT pengangkatan pada NIP (digit ke-9 sampai ke-14) belum terjadi. Periksa kembali "
            "NIP Anda."
        ),
        "nip_sex": ("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2. Periksa kembali NIP Anda."),
        "nip_sequence": (
            "Tiga digit terakhir NIP (nomor urut) tidak boleh 000. Periksa kembali NIP Anda."
        ),
        "rank": f"Pangkat/golongan harus terdiri atas 2 sampai {profiles.RANK_MAX} karakter.",
        "on_behalf": (
            "Nama dan jabatan pejabat yang diwakili harus diisi (a.n.). Silakan tulis ulang."
        ),
        "not_awaited": "Konfirmasi berita acara ini tidak sedang menunggu Anda.",
        "signatory": "Orang yang dipilih tidak lagi terdaftar aktif pada OPD ini.",
        # --- fault reports and tickets ------------------------------------------------------
        "ticket_closed_note": (
            "Tiket {number} sudah selesai atau dibatalkan dan tidak menerima pesan lagi. "
            "Gangguan baru: laporkan dengan /lapor. Keluhan atas layanan: sampaikan dengan /aduan."
        ),
        "note_flood": (
            "Terlalu banyak pesan ke tiket {number}: paling banyak {limit} pesan per menit. "
            "Pesan ini tidak diteruskan; tunggu sebentar lalu kirim lagi."
        ),
        "ticket_number": "Nomor tiket tidak dikenali. Contoh penulisan: BN-2026-00012.",
        "already_claimed": "Tiket {number} sudah diambil oleh {by}.",
        "location": (
            f"Lokasi harus 2 sampai {tickets.LOCATION_MAX} karakter. Silakan tulis ulang."
        ),
        "description": (
            f"Uraian harus {tickets.DESCRIPTION_MIN} sampai {tickets.DESCRIPTION_MAX} karakter "
            "agar teknisi dapat memahami gangguannya. Silakan tulis ulang."
        ),
        "photos": f"Foto paling banyak {tickets.PHOTOS_MAX}.",
        ("photos", Situation.WIZARD): f"Foto paling banyak {workflow.PHOTOS_MAX}.",
        # --- files --------------------------------------------------------------------------
        FILE_TYPE: (
            "Jenis berkas ini tidak dapat diterima. Kirim foto, atau gambar JPEG/PNG sebagai "
            "berkas."
        ),
        (FILE_TYPE, Situation.LETTER): (
            "Jenis berkas ini tidak dapat diterima. Surat permohonan dikirim sebagai foto atau "
            "berkas PDF, JPEG, atau PNG."
        ),
        (FILE_TYPE, Situation.COMPLAINT): (
            "Jenis berkas ini tidak dapat diterima. Kirim foto, atau berkas PDF/JPEG/PNG."
        ),
        FILE_TOO_LARGE: (
            f"Ukuran berkas melebihi batas {MAX_FILE_MB} MB. Perkecil berkasnya (misalnya kirim "
            "sebagai foto atau pindai ulang dengan resolusi lebih rendah), lalu kirim lagi."
        ),
        TOO_MANY_PHOTOS: (
            f"Foto sudah {tickets.PHOTOS_MAX}, jumlah paling banyak. Foto ini tidak disimpan; "
            f"tekan «{_DONE}» untuk melanjutkan."
        ),
        (TOO_MANY_PHOTOS, Situation.COMPLAINT): (
            f"Lampiran sudah {complaints.FILES_MAX}, jumlah paling banyak. Berkas ini tidak "
            f"disimpan; tekan «{_DONE}» untuk melanjutkan."
        ),
        # --- the repair procedure -----------------------------------------------------------
        "not_assignee": (
            "Tiket {number} ditangani teknisi lain. Hanya teknisi yang menangani tiket tersebut "
            "yang dapat melakukan tindakan ini."
        ),
        "same_assignee": "Tiket sudah ditangani oleh {name}.",
        "already_decided": "Pengajuan peralatan untuk {number} sudah diputuskan.",
        "already_rated": "Penilaian untuk tiket {number} sudah diberikan. Terima kasih.",
        "letter_present": (
            "Surat permohonan tiket {number} sudah terlampir; tidak perlu dikirim lagi."
        ),
        "letter_number": _length("Nomor surat", 1, letters.NUMBER_MAX),
        "letter_date": (
            "Tanggal tidak dikenali. Ketik tanggal surat seperti <code>28-11-2026</code> atau "
            "<code>28 November 2026</code>, atau tekan «Lewati»."
        ),
        "letter_date_future": (
            "Tanggal surat tidak boleh melewati hari ini. Periksa kembali tanggalnya, atau tekan "
            "«Lewati»."
        ),
        "letter_date_old": (
            "Tanggal surat lebih dari setahun yang lalu. Periksa kembali tahunnya, atau tekan "
            "«Lewati»."
        ),
        "reason": (
            f"Mohon tuliskan alasan yang jelas ({workflow.TEXT_MIN} sampai {workflow.NOTE_MAX} "
            "karakter)."
        ),
        # The material request's reason is a long text, not a short note.
        ("reason", Situation.WIZARD): _length(
            "Alasan kebutuhan", workflow.TEXT_MIN, workflow.LONG_TEXT_MAX
        ),
        "note": (
            "Catatan terlalu pendek atau terlalu panjang "
            f"({workflow.TEXT_MIN} sampai {workflow.NOTE_MAX} karakter)."
        ),
        "item": (
            "Data barang tidak lengkap atau tidak valid. Periksa nama, jumlah, dan satuannya."
        ),
        "serial": f"Nomor seri paling banyak {workflow.SERIAL_MAX} karakter.",
        "items": f"Daftar barang harus berisi 1 sampai {workflow.ITEMS_MAX} barang.",
        "diagnosis": _length("Hasil diagnosis", workflow.TEXT_MIN, workflow.LONG_TEXT_MAX),
        "actions": _length("Uraian tindakan", workflow.TEXT_MIN, workflow.LONG_TEXT_MAX),
        "rating": "Nilai penilaian tidak dikenali. Pilih salah satu tombol penilaian.",
        "comment": f"Komentar harus {workflow.TEXT_MIN} sampai {workflow.NOTE_MAX} karakter.",
        # --- complaints (pengaduan) ---------------------------------------------------------
        "complaint_text": _length("Uraian pengaduan", complaints.TEXT_MIN, complaints.TEXT_MAX),
        "complaint_answer": _length("Jawaban", complaints.TEXT_MIN, complaints.TEXT_MAX),
        "complaint_reason": _length("Alasan", complaints.REASON_MIN, complaints.REASON_MAX),
        "complaint_delivery": (
            f"Tuliskan cara jawaban disampaikan (5 sampai {complaints.DELIVERY_MAX} karakter), "
            "contoh: disampaikan via telepon."
        ),
        "complaint_contact": (
            "Kontak tidak dikenali. Tulis nomor telepon (contoh 081234567890) atau alamat email "
            "(contoh nama@contoh.id)."
        ),
        "complaint_channel": "Saluran pengaduan tidak dikenali. Pilih salah satu tombol saluran.",
        "complaint_files": f"Lampiran pengaduan paling banyak {complaints.FILES_MAX}.",
        "complaint_ticket": (
            "Tiket {number} tidak ditemukan atau tidak dapat Anda akses. Periksa nomornya, atau "
            f"tekan «{_SKIP}»."
        ),
        "complaint_cap": (
            "Anda masih memiliki {max} pengaduan yang belum selesai, jumlah paling banyak yang "
            "dapat diproses bersamaan. Pantau dengan /aduan_saya; pengaduan baru dapat "
            "disampaikan setelah salah satunya selesai. Hal mendesak dapat disampaikan melalui "
            "saluran di /kontak."
        ),
        "complaint_cap_recorded": (
            "Pengadu dengan kontak ini masih memiliki {max} pengaduan yang belum selesai."
        ),
        "complaint_officers_only": (
            "Perintah ini untuk petugas Dinas Kominfo (teknisi, pejabat pengaduan, atau admin)."
        ),
        "complaint_official_only": (
            "Pengaduan {number} sedang ditangani pejabat pengaduan; hanya pejabat pengaduan yang "
            "dapat menindaklanjutinya."
        ),
        "complaint_not_yours": "Pengaduan {number} sedang ditangani oleh {by}.",
        "complaint_taken": "Pengaduan {number} sudah ditangani oleh {by}.",
        "complaint_moved": (
            "Pengaduan {number} sudah berpindah tahap; tindakan tersebut tidak berlaku lagi."
        ),
        "complaint_not_complainant": "Tombol ini hanya untuk pengadu.",
        "complaint_number": "Nomor pengaduan tidak dikenali. Contoh penulisan: ADU-2026-00012.",
        "complaint_identity": "Nama dan kontak pengadu wajib diisi.",
        # --- the SKM survey (PermenPANRB 14/2017) -----------------------------------------
        "skm_reporter_only": (
            "Survei Kepuasan Masyarakat diisi oleh pelapor OPD yang terdaftar. Bila Anda staf "
            "OPD, mintalah tautan undangan kepada admin Dinas Kominfo."
        ),
        "skm_answered": (
            "Anda sudah mengisi Survei Kepuasan Masyarakat pada triwulan {quarter}. Terima "
            "kasih; survei dapat diisi lagi pada triwulan berikutnya."
        ),
        "skm_answers": "Jawaban survei tidak lengkap. Silakan jawab setiap pertanyaan.",
        "skm_staff_only": (
            "Hasil Survei Kepuasan Masyarakat hanya untuk Kepala Bidang dan admin Dinas Kominfo."
        ),
        "skm_period": (
            "Periode tidak dikenali. Penggunaan: <code>/skm</code> (triwulan ini), "
            "<code>/skm bulan</code>, <code>/skm tahun</code>, atau "
            "<code>/skm YYYY-MM-DD YYYY-MM-DD</code> (tanggal awal dan akhir, paling lama 366 "
            "hari)."
        ),
        # --- administration ---------------------------------------------------------------
        "opd_code": (
            "Kode OPD tidak valid. Gunakan 2–32 huruf kecil, angka atau tanda hubung, "
            "misalnya <code>dinkes</code>."
        ),
        "opd_name": "Nama OPD harus terdiri atas 3–150 karakter dan memuat huruf.",
        "opd_code_taken": "Kode OPD <code>{opd_code}</code> sudah dipakai. Gunakan kode lain.",
        "opd_name_taken": "Nama OPD «{name}» sudah terdaftar.",
        "opd_inactive": (
            "OPD <b>{name}</b> sedang nonaktif, sehingga tidak dapat diberi tautan undangan. "
            "Aktifkan kembali dengan <code>/opd aktif KODE</code> bila diperlukan."
        ),
        "opd_already_active": "OPD <b>{name}</b> sudah aktif.",
        "opd_already_inactive": "OPD <b>{name}</b> sudah nonaktif.",
        # --- the service calendar (/libur) ------------------------------------------------
        "calendar_name": "Nama hari libur terlalu panjang (maksimal 100 karakter) atau kosong.",
        "override_range": "Tanggal mulai harus sebelum atau sama dengan tanggal selesai.",
        "closes_working_days": (
            "Pengaturan ini menutup layanan pada {count} hari kerja, sehingga perlu dikonfirmasi "
            "terlebih dahulu."
        ),
        "override_too_long": (
            "Jam layanan khusus berlaku paling lama {days} hari. Periksa kembali tahun pada "
            "tanggal yang Anda ketik; perubahan jam layanan yang tetap diatur melalui konfigurasi "
            "OFFICE_HOURS."
        ),
        "schedule_spec": (
            "Format jam layanan tidak dikenali. Contoh: "
            "<code>mon-thu 08:00-14:00;fri 08:00-11:00</code>"
        ),
        "not_a_holiday": "Tanggal {day} bukan hari libur.",
        "override_not_found": "Pengaturan jam layanan nomor {id} tidak ditemukan.",
    }
)

REFUSALS: Mapping[str, str] = MappingProxyType(
    {key: text for key, text in TEMPLATES.items() if isinstance(key, str)}
)
"""The texts of the codes themselves, without the situations (for a text shown as it is)."""


def _codes(error: DomainError, code: str) -> Iterator[str]:
    what = error.params.get("what")
    if what:
        yield f"{code}:{what}"
    yield code


def _find(codes: Iterator[str], situation: Situation | None) -> str | None:
    for code in codes:
        if situation is not None and (code, situation) in TEMPLATES:
            return TEMPLATES[code, situation]
        if code in TEMPLATES:
            return TEMPLATES[code]
    return None


def template(error: DomainError, situation: Situation | None = None) -> str | None:
    """Returns the template written for the error's own code, or None when it has none."""
    return _find(_codes(error, error.code), situation)


def _params(error: DomainError) -> dict[str, str]:
    return {
        key: esc(status(value) if key == "status" else value)
        for key, value in error.params.items()
    }


def refusal(error: DomainError, situation: Situation | None = None) -> str:
    """Returns the message for a refused action, in the situation's words where it has its own."""
    params = _params(error)
    for code in dict.fromkeys((error.code, type(error).code)):
        text = _find(_codes(error, code), situation)
        if text is None:
            continue
        try:
            return text.format(**params)
        except (KeyError, IndexError):
            continue
    return GENERIC_ERROR
