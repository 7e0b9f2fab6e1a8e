"""The words the report's documents print (XLSX sheets and the PDF), in formal Indonesian.

Like the berita acara's (bot/services/berita_acara.py), these are the words of a printed
document rather than of the chat, so they live with the code that lays the document out; the
chat messages of /laporan are in bot/texts/reports.py.
"""

from __future__ import annotations

from bot.services.berita_acara import CATEGORY as FAULT_CATEGORY
from bot.services.berita_acara import KABID_POSITION, MONTHS
from bot.services.domain import Status

__all__ = [
    "CHANNEL",
    "CLASSIFICATION",
    "COMPLAINT_CATEGORY",
    "FAULT_CATEGORY",
    "KABID_POSITION",
    "MONTHS",
    "STATUS",
    "TITLE",
]

TITLE = "Laporan Evaluasi Kinerja Pelayanan Penanganan Lokal"
SERVICE = "Pelayanan Penanganan Lokal Jaringan Batik.Net"
BASIS = (
    "Sebuah tiket dihitung pada periode tanggal laporan gangguan diterima. Keadaan setiap tiket "
    "dan pengaduan dihitung sampai dengan akhir periode (atau sampai saat laporan dibuat bila "
    "periode belum berakhir). Semua durasi dihitung dalam waktu kerja kalender layanan, "
    "dikurangi waktu kerja selama tiket ditunda (menunggu OPD). Median dan persentil ke-90 "
    "dihitung dengan interpolasi linear antarperingkat (metode PERCENTILE.INC)."
)

STATUS = {
    Status.NEW.value: "Baru",
    Status.DISPOSED.value: "Didisposisikan",
    Status.CHECKING.value: "Pengecekan",
    Status.AWAITING_APPROVAL.value: "Menunggu persetujuan",
    Status.REPAIRING.value: "Perbaikan",
    Status.REPAIRED.value: "Menunggu konfirmasi OPD",
    Status.ON_HOLD.value: "Ditunda",
    Status.CLOSED.value: "Selesai",
    Status.CANCELLED.value: "Dibatalkan",
}
CLASSIFICATION = {"light": "Ringan", "heavy": "Berat"}
COMPLAINT_CATEGORY = {
    "slow_service": "Layanan lambat",
    "unhandled_fault": "Gangguan tidak ditangani",
    "staff_behaviour": "Perilaku petugas",
    "information": "Informasi",
    "other": "Lainnya",
}
CHANNEL = {
    "bot": "Bot Telegram",
    "phone": "Telepon",
    "email": "Email",
    "website": "Website",
    "twitter": "Twitter",
    "instagram": "Instagram",
    "in_person": "Langsung kepada petugas",
}
COMPLAINT_STATUS = {
    "NEW": "Diterima",
    "IN_PROGRESS": "Ditangani petugas",
    "RESPONDED": "Sudah dijawab",
    "ESCALATED": "Diteruskan ke pejabat",
    "RESOLVED": "Terselesaikan",
    "CLOSED": "Ditutup",
}

SHEETS = ("Ringkasan", "Per OPD", "Per teknisi", "Per kategori", "Tiket", "Pengaduan", "SKM")

# Rows of the summary (label, unit); the values come from figures.Summary in this order.
RECEIVED = "Laporan gangguan diterima"
CLOSED = "Selesai (dikonfirmasi OPD)"
CANCELLED = "Dibatalkan atau ditolak"
OPEN = "Masih terbuka pada akhir periode"
RESPONSE_MEDIAN = "Waktu respons (diterima s.d. ditangani), median"
RESPONSE_P90 = "Waktu respons, persentil ke-90"
REPAIR_MEDIAN = "Waktu penyelesaian (diterima s.d. laporan perbaikan), median"
REPAIR_P90 = "Waktu penyelesaian s.d. laporan perbaikan, persentil ke-90"
CLOSING_MEDIAN = "Waktu penyelesaian (diterima s.d. selesai), median"
CLOSING_P90 = "Waktu penyelesaian s.d. selesai, persentil ke-90"
WITHIN_TARGET = "Selesai dalam target ({days} hari kerja)"
WITHIN_DEADLINE = "Selesai dalam batas standar ({days} hari kerja)"
BREACHES = "Melewati batas waktu standar"
REOPENS = "Dibuka kembali (kali)"
REOPEN_RATE = "Tiket dibuka kembali dari yang sudah diperbaiki"
HOLDS = "Penundaan (menunggu OPD)"
PAUSED = "Waktu kerja tertunda"
LIGHT = "Gangguan ringan"
HEAVY = "Gangguan berat"
UNCLASSIFIED = "Belum diklasifikasi"
MATERIAL_REQUESTED = "Pengajuan peralatan"
MATERIAL_APPROVED = "Pengajuan peralatan disetujui"
MATERIAL_REJECTED = "Pengajuan peralatan ditolak"
MATERIAL_REVISED = "Pengajuan peralatan dikembalikan untuk revisi"
RATING_AVERAGE = "Rata-rata penilaian OPD (1-4)"
RATING_COUNT = "Penilaian diberikan"
RATING_SCORE = "Penilaian {score}"
COMPLAINTS_RECEIVED = "Pengaduan diterima"
COMPLAINTS_ANSWERED = "Dijawab dalam waktu respons"
COMPLAINTS_RESOLVED = "Diselesaikan dalam waktu penyelesaian"
COMPLAINTS_ESCALATED = "Diteruskan kepada pejabat pengaduan"
COMPLAINTS_OPEN = "Pengaduan masih terbuka"

UNIT_TICKETS = "tiket"
UNIT_HOURS = "jam kerja"
UNIT_DAYS = "hari kerja"
UNIT_PERCENT = "%"
UNIT_TIMES = "kali"
UNIT_REQUESTS = "pengajuan"
UNIT_SCORE = "nilai"
UNIT_COMPLAINTS = "pengaduan"

FIGURE = "Uraian"
VALUE = "Nilai"
UNIT = "Satuan"
NO = "No."

GROUP_HEADERS = (
    "Diterima",
    "Selesai",
    "Terbuka",
    "Dalam target",
    "% dalam target",
    "Dalam batas waktu",
    "% dalam batas waktu",
    "Melewati batas",
    "Dibuka kembali",
    "Rata-rata penilaian",
    "Median penyelesaian (hari kerja)",
)
OPD = "OPD"
TECHNICIAN = "Teknisi"
CATEGORY = "Kategori"

TICKET_HEADERS = (
    "Nomor",
    "OPD",
    "Kategori",
    "Klasifikasi",
    "Status akhir periode",
    "Teknisi",
    "Diterima",
    "Ditangani",
    "Laporan perbaikan",
    "Selesai",
    "Dibatalkan",
    "Target",
    "Batas waktu",
    "Respons (jam kerja)",
    "s.d. perbaikan (hari kerja)",
    "s.d. selesai (hari kerja)",
    "Penundaan",
    "Tertunda (jam kerja)",
    "Dibuka kembali",
    "Dalam target",
    "Dalam batas waktu",
    "Melewati batas",
    "Penilaian",
)
COMPLAINT_HEADERS = (
    "Nomor",
    "Saluran",
    "Jenis",
    "Status",
    "Diterima",
    "Batas respons",
    "Batas penyelesaian",
    "Dijawab",
    "Diselesaikan",
    "Dijawab tepat waktu",
    "Diselesaikan tepat waktu",
    "Diteruskan ke pejabat",
    "Terbuka akhir periode",
)
CHANNEL_HEADER = "Per saluran"
CATEGORY_HEADER = "Per jenis"
YES = "Ya"
NO_ANSWER = "Tidak"

SKM_HEADERS = ("No.", "Unsur pelayanan", "NRR", "NRR tertimbang")
SKM_RESPONDENTS = "Jumlah responden"
SKM_IKM = "IKM (jumlah NRR tertimbang)"
SKM_CONVERTED = "IKM konversi (x 25)"
SKM_GRADE = "Mutu pelayanan"
SKM_PERFORMANCE = "Kinerja unit pelayanan"
SKM_NONE = "Belum ada responden SKM pada periode ini."
SKM_BASIS = (
    "Survei Kepuasan Masyarakat menurut Peraturan Menteri PANRB Nomor 14 Tahun 2017: NRR per "
    "unsur = jumlah nilai / jumlah responden; NRR tertimbang = NRR x 1/9; IKM = jumlah NRR "
    "tertimbang; IKM konversi = IKM x 25. Jawaban responden bersifat anonim."
)

# The PDF's sections and captions.
PERIOD = "Periode"
GENERATED = "Dibuat"
AS_OF = "Keadaan per"
SECTION_SUMMARY = "A. Ringkasan kinerja"
SECTION_TREND = "B. Tiket per {unit}"
SECTION_OPD = "C. Kinerja per OPD"
SECTION_TECHNICIAN = "D. Beban kerja dan kepatuhan per teknisi"
SECTION_CATEGORY = "E. Per kategori gangguan"
SECTION_COMPLAINTS = "F. Pengaduan"
SECTION_RATINGS = "G. Penilaian OPD"
SECTION_SKM = "H. Survei Kepuasan Masyarakat (SKM)"
WEEK = "minggu"
MONTH = "bulan"
CHART_RECEIVED = "Diterima"
CHART_CLOSED = "Selesai"
CHART_TARGET = "% dalam target"
CHART_DEADLINE = "% dalam batas waktu"
CHART_HANDLED = "Ditangani"
CHART_SHARE = "Persen"
CHART_COUNT = "Jumlah tiket"
CHART_NRR = "NRR"
NOTHING = "Tidak ada data pada periode ini."
WEEK_OF = "Mg {day}"
SIGN_PLACE = "Pekalongan"
SIGN_BLANK_NAME = "(" + "." * 40 + ")"
SIGN_NIP = "NIP. " + "." * 30
PAGE = "Halaman {page} dari {{nb}}"
FOOTER = "{title} - periode {period}"
