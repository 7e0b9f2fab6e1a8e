"""Texts of /start, /bantuan and the command menu."""

from __future__ import annotations

from collections.abc import Iterable

from bot.texts.common import ROLE, esc

MENU: list[tuple[str, str]] = [
    ("lapor", "Laporkan gangguan jaringan Batik.Net"),
    ("status", "Tiket OPD Anda, pekerjaan Anda, atau antrean peran Anda"),
    ("cari", "Cari tiket dan pengaduan"),
    ("tiket", "Rincian dan riwayat satu tiket"),
    ("aduan", "Sampaikan pengaduan, saran, atau masukan"),
    ("aduan_saya", "Pengaduan Anda dan statusnya"),
    ("kontak", "Saluran pengaduan Dinas Kominfo"),
    ("info", "Standar pelayanan penanganan lokal"),
    ("verifikasi", "Periksa keaslian berita acara"),
    ("bantuan", "Daftar perintah"),
    ("batal", "Batalkan isian yang sedang berjalan"),
]

START_UNKNOWN = (
    "Selamat datang di layanan pelaporan gangguan jaringan <b>Batik.Net</b> "
    "Dinas Komunikasi dan Informatika Kota Pekalongan.\n\n"
    "Untuk melaporkan gangguan, akun Anda perlu didaftarkan melalui tautan undangan OPD. "
    "Mintalah tautan undangan kepada admin Dinas Kominfo, lalu buka tautan tersebut.\n\n"
    "Petugas Dinas Kominfo: sampaikan ID Telegram Anda <code>{telegram_id}</code> kepada admin "
    "agar diberi peran."
)

START_KNOWN = "Selamat datang kembali, {name}.\n\n{help}"

# The commands of each role, as /start and /bantuan list them: plain data, so the wording and
# the order can be adjusted here without touching code. A line that starts with a command is
# also offered by the short hint for stray messages.
SECTIONS: dict[str, list[str]] = {
    "reporter": [
        "/lapor — laporkan gangguan jaringan Batik.Net",
        "/status — daftar tiket OPD Anda",
        "/tiket NOMOR — rincian dan riwayat tiket; di sana juga «Kirim surat permohonan» bila "
        "surat menyusul, «Lihat foto hasil perbaikan», dan «Batalkan laporan» selama perbaikan "
        "belum dimulai",
        "/cari KATA — cari tiket OPD Anda menurut nomor, lokasi, atau uraian",
        "/survei — isi Survei Kepuasan Masyarakat (anonim, sekali setiap triwulan)",
    ],
    "technician": [
        "/status — pekerjaan Anda dan tiket yang belum diambil",
        "/tiket NOMOR — rincian dan riwayat tiket",
        "/cari KATA — cari tiket dan pengaduan menurut nomor, OPD, lokasi, atau uraian",
        "Tombol pada kartu tiket di grup teknisi: «Ambil», «Ringan», «Berat (ajukan peralatan)», "
        "«Laporkan perbaikan», «Tunda (menunggu OPD)», «Lanjutkan»",
        "/catat_aduan — catat pengaduan dari telepon, email, website, media sosial, atau langsung",
        "Tombol «Tangani», «Jawab», «Teruskan ke pejabat» pada kartu pengaduan di grup teknisi",
    ],
    "coordinator": [
        "/status — antrean Anda: laporan menunggu disposisi, pengajuan peralatan menunggu "
        "persetujuan, eskalasi yang masih terbuka (dengan tombol tindakannya)",
        "/tiket NOMOR — rincian dan riwayat tiket",
        "/cari KATA — cari tiket dan pengaduan menurut nomor, OPD, lokasi, atau uraian",
        "/laporan — laporan kinerja layanan suatu periode (pesan, XLSX, PDF)",
        "Kartu disposisi laporan baru: «Disposisikan kepada tim teknis», «Disposisikan kepada "
        "teknisi tertentu», «Tolak»",
        "Kartu pengajuan peralatan: «Setujui», «Tolak», «Minta revisi»",
        "Pada kartu tiket di grup teknisi: «Alihkan», «Batalkan tiket»",
    ],
    "official": [
        "/status — pengaduan yang diteruskan kepada Anda, dengan batas waktunya dan tombol "
        "«Jawab»",
        "/tiket ADU-TTTT-NNNNN — rincian dan riwayat pengaduan",
        "/cari KATA — cari tiket dan pengaduan",
        "/catat_aduan — catat pengaduan dari saluran lain",
        "Pengaduan yang diteruskan kepada Anda: tombol «Jawab», «Nyatakan selesai», «Tutup aduan»",
    ],
    "supervisor": [
        "/status — ikhtisar layanan: tiket terbuka per tahap, belum diambil, berisiko, "
        "terlambat, ditunda, pengaduan, dan tiket terlama",
        "/tiket NOMOR — rincian dan riwayat tiket atau pengaduan",
        "/cari KATA — cari tiket dan pengaduan menurut nomor, OPD, lokasi, atau uraian",
        "/laporan — laporan kinerja layanan suatu periode (pesan, XLSX, PDF)",
        "/skm [PERIODE] — hasil Survei Kepuasan Masyarakat (IKM): bulan, triwulan, tahun, "
        "atau YYYY-MM-DD YYYY-MM-DD",
    ],
    "admin": [
        "/status — ikhtisar layanan dan tiket terlama",
        "/laporan — laporan kinerja layanan suatu periode (pesan, XLSX, PDF)",
        "/skm [PERIODE] — hasil Survei Kepuasan Masyarakat (IKM): bulan, triwulan, tahun, "
        "atau YYYY-MM-DD YYYY-MM-DD",
        "/undang — buat tautan undangan pendaftaran untuk OPD",
        "/opd — kelola daftar OPD",
        "/peran — beri atau cabut peran pengguna",
        "/pasang_grup — jadikan grup ini grup teknisi (kirim di grup)",
        "/libur — hari libur dan jam layanan khusus (ketik /libur untuk daftar dan cara pakai)",
    ],
}
# The order in which a person with several roles reads their sections.
ROLE_ORDER = ("reporter", "technician", "coordinator", "official", "supervisor", "admin")

COMMON = [
    "/aduan — sampaikan pengaduan, saran, atau masukan",
    "/aduan_saya — pengaduan Anda dan statusnya",
    "/kontak — saluran pengaduan Dinas Kominfo",
    "/info — standar pelayanan penanganan lokal",
    "/verifikasi KODE — periksa keaslian berita acara",
    "/profil — nama, NIP, jabatan dan pangkat Anda untuk berita acara",
    "/bantuan — daftar perintah",
    "/batal — batalkan isian yang sedang berjalan",
]


def help_for(roles: Iterable[str]) -> str:
    """Returns the command list for a user's roles."""
    lines: list[str] = []
    for role in ROLE_ORDER:
        if role in roles:
            lines.append(f"<b>{esc(ROLE[role])}</b>")
            lines.extend(SECTIONS[role])
            lines.append("")
    lines.extend(COMMON)
    return "\n".join(lines)


UNKNOWN_COMMAND = "Perintah tidak dikenal. Ketik /bantuan untuk melihat daftar perintah."
NOTHING_TO_CANCEL = "Tidak ada isian yang sedang berjalan."
GROUP_SET = (
    "Grup ini sekarang menjadi grup teknisi Batik.Net. Kartu tiket baru akan dikirim ke sini."
)
GROUP_ONLY = "Perintah ini dikirim di dalam grup teknisi."

STRAY = (
    "Mohon maaf, pesan Anda tidak dapat kami proses karena saat ini tidak ada isian yang sedang "
    "berjalan. Silakan gunakan salah satu perintah berikut:\n\n{commands}"
)
STRAY_UNREGISTERED = (
    "Untuk melaporkan gangguan, akun Anda perlu didaftarkan melalui tautan undangan OPD. "
    "Ketik /start untuk keterangan."
)
STRAY_HELP = "/bantuan — daftar lengkap perintah"


def stray_hint(roles: Iterable[str]) -> str:
    """Returns the short answer to a private message no form waits for: the person's commands."""
    roles = set(roles)
    lines: list[str] = []
    seen: set[str] = set()
    # The commands of the person's roles (not the buttons, not the admin's tools: /bantuan has
    # the whole list), each command once.
    for role in ("reporter", "technician", "coordinator", "official", "supervisor"):
        if role not in roles:
            continue
        for line in SECTIONS[role]:
            command = line.split()[0]
            if line.startswith("/") and command not in seen:
                seen.add(command)
                lines.append(line)
    lines.extend(line for line in COMMON if line.startswith("/aduan "))
    lines.append(STRAY_HELP)
    text = STRAY.format(commands="\n".join(lines))
    return text if roles else f"{text}\n\n{STRAY_UNREGISTERED}"
