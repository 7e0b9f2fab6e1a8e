"""Texts of /laporan and of the quarterly pack and monthly summary (the chat side; the words
the XLSX and PDF print are in bot/services/reports/words.py)."""

from __future__ import annotations

from bot.services.reports.figures import Report, Spread
from bot.services.reports.people import number, period_text
from bot.services.reports.period import Period, Preset
from bot.texts.fit import shorten
from bot.texts.labels import esc

PICK = "Pilih periode laporan, atau kirim <code>/laporan TTTT-BB-HH TTTT-BB-HH</code>."
PRESETS = {
    Preset.THIS_MONTH: "Bulan ini",
    Preset.LAST_MONTH: "Bulan lalu",
    Preset.THIS_QUARTER: "Triwulan ini",
    Preset.LAST_QUARTER: "Triwulan lalu",
    Preset.THIS_YEAR: "Tahun ini",
}
BUILDING = "Berkas XLSX dan PDF sedang disusun; mohon tunggu sebentar."
PRIVATE_ONLY = (
    "Laporan kinerja memuat nama petugas dan OPD, sehingga hanya dikirim di obrolan pribadi "
    "dengan bot. Silakan kirim /laporan kepada bot secara pribadi."
)
QUARTERLY = "Paket evaluasi triwulanan"
MONTHLY = "Ringkasan bulanan"
XLSX_CAPTION = "Lampiran data (XLSX): {period}"
PDF_CAPTION = "Laporan Evaluasi Kinerja Pelayanan Penanganan Lokal: {period}"
MESSAGE_LIMIT = 4096


def _hours(spread: Spread) -> str:
    return f"median {number(spread.median, 2)}, P90 {number(spread.p90, 2)} jam kerja"


def _days(spread: Spread) -> str:
    return f"median {number(spread.median, 2)}, P90 {number(spread.p90, 2)} hari kerja"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{number(value)}%"


def period_label(period: Period) -> str:
    """Returns the period as a sentence part."""
    return period_text(period.first, period.last)


def summary(report: Report, target_days: int, deadline_days: int, heading: str = "") -> str:
    """Returns the short summary message of a report."""
    s, c, r = report.summary, report.complaints, report.summary.ratings
    lines = [
        f"<b>{esc(heading) + ': ' if heading else ''}Laporan kinerja pelayanan</b>",
        f"Periode {esc(period_label(report.period))}",
        "<i>Tiket dihitung pada periode diterimanya; keadaan sampai akhir periode; "
        "durasi dalam waktu kerja.</i>",
        "",
        f"Diterima: <b>{s.received}</b> · selesai {s.closed} · dibatalkan {s.cancelled} · "
        f"masih terbuka {s.open_at_end}",
        f"Waktu respons: {_hours(s.response_hours)}",
        f"Penyelesaian s.d. laporan perbaikan: {_days(s.repair_days)}",
        f"Penyelesaian s.d. selesai: {_days(s.closing_days)}",
        f"Selesai dalam target {target_days} hari kerja: {s.within_target} "
        f"({_share(s.target_share)})",
        f"Selesai dalam {deadline_days} hari kerja: {s.within_deadline} "
        f"({_share(s.deadline_share)})",
        f"Melewati batas waktu: {s.breaches}",
        f"Dibuka kembali: {s.reopens} kali ({_share(s.reopen_rate)} dari yang diperbaiki)",
        f"Penundaan: {s.holds} kali, {number(s.paused_hours, 2)} jam kerja tertunda",
        f"Ringan/berat: {s.light}/{s.heavy}",
        f"Pengajuan peralatan: disetujui {s.material_approved}, ditolak {s.material_rejected}, "
        f"dikembalikan {s.material_revised}",
        f"Penilaian OPD: rata-rata {number(r.average, 2)} dari {r.count} penilaian",
        f"Pengaduan: {c.received} diterima · dijawab tepat waktu {c.answered_in_time} · "
        f"diselesaikan tepat waktu {c.resolved_in_time} · diteruskan ke pejabat {c.escalated} "
        f"· masih terbuka {c.still_open}",
    ]
    if report.skm is not None and report.skm.respondents:
        k = report.skm
        lines.append(
            f"SKM: IKM {number(k.converted, 2)} ({esc(k.grade)}, {esc(k.performance)}), "
            f"{k.respondents} responden"
        )
    else:
        lines.append("SKM: belum ada responden pada periode ini")
    return shorten("\n".join(lines), MESSAGE_LIMIT)


def xlsx_caption(period: Period) -> str:
    """Returns the caption of the workbook."""
    return XLSX_CAPTION.format(period=esc(period_label(period)))


def pdf_caption(period: Period) -> str:
    """Returns the caption of the PDF."""
    return PDF_CAPTION.format(period=esc(period_label(period)))
