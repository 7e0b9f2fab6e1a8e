"""Texts of `/kontak` and `/info`: what the published service standard tells the public."""

from __future__ import annotations

import itertools

from bot.config import Settings
from bot.services.calendar import Segment, WeeklySchedule
from bot.texts.common import DAYS, esc


def _segment(segment: Segment) -> str:
    return f"{segment.start:%H.%M}–{segment.end:%H.%M}"


def office_hours(schedule: WeeklySchedule) -> list[str]:
    """Returns the weekly office hours as lines, consecutive equal days grouped."""
    lines: list[str] = []
    for first, last, segments in schedule.open_runs():
        days = DAYS[first] if last == first else f"{DAYS[first]}–{DAYS[last]}"
        times = ", ".join(_segment(s) for s in segments)
        lines.append(f"• {days}: {times} WIB")
        if len(segments) > 1:
            breaks = ", ".join(
                f"{a.end:%H.%M}–{b.start:%H.%M}" for a, b in itertools.pairwise(segments)
            )
            lines.append(f"  (istirahat {breaks} WIB)")
    lines.append("• Sabtu, Minggu, dan hari libur: tutup" if not schedule.days[5] else "")
    return [line for line in lines if line]


def contacts(settings: Settings) -> str:
    """The `/kontak` answer: every complaint channel the standard publishes."""
    lines = ["<b>Saluran pengaduan, saran, dan masukan</b>", "", "<b>Tidak langsung</b>"]
    phones = [p.strip() for p in settings.complaint_phones.split(";") if p.strip()]
    if phones:
        lines.append(f"• Telepon: {esc(' ; '.join(phones))}")
    channels = (
        ("Email", settings.complaint_email),
        ("Website", settings.complaint_website),
        ("Twitter", settings.complaint_twitter),
        ("Instagram", settings.complaint_instagram),
    )
    lines += [f"• {name}: {esc(address)}" for name, address in channels if address]
    if settings.complaint_official_name:
        phone = (
            f", telepon {esc(settings.complaint_official_phone)}"
            if settings.complaint_official_phone
            else ""
        )
        lines.append(f"• Pejabat pengaduan: {esc(settings.complaint_official_name)}{phone}")
    else:
        lines.append(
            "• Pejabat pengaduan Dinas Kominfo: dapat dihubungi melalui saluran kantor di atas"
        )
    lines += [
        "• Melalui bot ini: /aduan",
        "",
        "<b>Langsung</b>",
        "1. Pemohon menyampaikan pengaduan langsung kepada petugas.",
        "2. Petugas merespons pengaduan sampai mendapatkan solusi.",
        "3. Apabila petugas tidak dapat menyelesaikan masalah, pengaduan diteruskan kepada "
        "pejabat Dinas Kominfo.",
        "4. Pejabat Dinas Kominfo menyelesaikan permasalahan sampai tuntas.",
        "",
        "Setiap pengaduan mendapat nomor <code>ADU-TTTT-NNNNN</code>; pantau dengan /aduan_saya.",
    ]
    return "\n".join(lines)


def standard(settings: Settings, schedule: WeeklySchedule) -> str:
    """The `/info` answer: the service standard "Pelayanan Penanganan Lokal" in plain words."""
    days = settings.deadline_working_days
    target = settings.target_working_days
    lines = [
        "<b>Standar Pelayanan: Penanganan Lokal jaringan Batik.Net</b>",
        "Dinas Komunikasi dan Informatika Kota Pekalongan",
        "",
        "<b>1. Persyaratan</b>",
        "• Terdapat gangguan jaringan Batik.Net di internal OPD.",
        "• Surat pemberitahuan gangguan jaringan Batik.Net dari OPD.",
        "",
        "<b>2. Prosedur</b>",
        "1. OPD pengguna jaringan mengirimkan surat permohonan perbaikan jaringan (/lapor).",
        "2. Dinas Kominfo menerima laporan gangguan dan memberikan disposisi.",
        "3. Tim teknis menindaklanjuti disposisi dengan pengecekan.",
        "4. Pemantauan dan diagnosis pada perangkat jaringan.",
        "5. Gangguan ringan langsung ditangani oleh pelaksana teknis.",
        "6. Kerusakan berat: pelaksana teknis melaporkan peralatan dan bahan yang diperlukan "
        "kepada penanggung jawab.",
        "7. Penanggung jawab menindaklanjuti laporan dan memerintahkan perbaikan.",
        "8. Petugas teknis memperbaiki kerusakan.",
        "9. Petugas teknis melaporkan hasil perbaikan.",
        "10. Perbaikan selesai; berita acara penggantian peralatan jaringan lokal "
        "ditandatangani oleh OPD pelapor.",
        "",
        "<b>3. Jangka waktu</b>",
        f"• Paling lama {days} hari kerja; target penyelesaian {target} hari kerja.",
        "• Jam layanan:",
        *office_hours(schedule),
        "",
        "<b>4. Biaya</b>: gratis.",
        "<b>5. Produk layanan</b>: layanan gangguan jaringan Batik.Net.",
        "",
        "<b>6. Penanganan pengaduan, saran, dan masukan</b>",
        "Pengaduan tidak langsung melalui telepon, email, website, Twitter, Instagram, atau "
        "pejabat pengaduan (lihat /kontak); pengaduan langsung kepada petugas atau melalui "
        "/aduan. "
        f"Tanggapan pertama paling lama {settings.complaint_response_working_days} hari kerja, "
        f"penyelesaian paling lama {settings.complaint_resolution_working_days} hari kerja. "
        "Pengaduan yang tidak dapat diselesaikan petugas diteruskan kepada pejabat Dinas "
        "Kominfo, yang menyelesaikannya sampai tuntas.",
        "",
        "<b>7. Dasar hukum</b>",
        "1. UU Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik.",
        "2. UU Nomor 16 Tahun 2016 tentang Informasi dan Transaksi Elektronik.",
        "3. PP Nomor 71 Tahun 2019 tentang Penyelenggaraan Sistem dan Transaksi Elektronik.",
        "4. Permenpan RB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan Standar Operasional "
        "Prosedur Administrasi Pemerintahan.",
        "5. Perda Kota Pekalongan Nomor 4 Tahun 2021 tentang Sistem Pemerintahan Berbasis "
        "Elektronik.",
        "6. Perwal Kota Pekalongan Nomor 59A Tahun 2012 tentang Pedoman Penyusunan Standar "
        "Operasional Prosedur Administrasi Pemerintahan di Lingkungan Pemerintah Kota "
        "Pekalongan.",
        "7. Perwal Kota Pekalongan Nomor 79 Tahun 2020 tentang Kedudukan, Susunan Organisasi, "
        "Tugas dan Fungsi serta Tata Kerja Dinas Komunikasi dan Informatika.",
        "",
        "<b>8. Sarana dan prasarana</b>: daftar dokumen, komputer, ruang tunggu/ruang tamu, "
        "ruang PPID tempat pelayanan.",
        "<b>9. Kompetensi pelaksana</b>: pendidikan minimal D3 berlatar belakang TI; mampu "
        "berkomunikasi dengan baik, ramah, sopan, jujur, dan teliti; berpengetahuan jaringan "
        "komputer.",
        "<b>10. Pengawasan internal</b>: Kepala Bidang Infrastruktur dan Statistik.",
        "<b>11. Jumlah pelaksana</b>: 4 (empat) orang.",
        "<b>12. Jaminan pelayanan</b>: layanan diberikan dengan sebaik-baiknya.",
        "<b>13. Jaminan keamanan dan keselamatan</b>: lingkungan aman, kondisi ruangan nyaman.",
        "<b>14. Evaluasi kinerja pelaksana</b>: setiap tiga bulan sekali oleh pimpinan.",
    ]
    return "\n".join(lines)
