"""Texts of the Survei Kepuasan Masyarakat (SKM): the questionnaire of PermenPANRB 14/2017 (its
nine questions and graded answers as the Lampiran's questionnaire words them), the offer after
the rating, and the `/skm` result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.services import skm
from bot.services.skm import PeriodKind, SkmPeriod, SkmResult
from bot.texts.common import MONTHS, esc

TITLE = "Survei Kepuasan Masyarakat"

# --- the offer after the rating --------------------------------------------------------------

OFFER_FILL = "Isi survei kepuasan"
OFFER_LATER = "Lain kali"
DECLINED = (
    "Baik, terima kasih. Survei Kepuasan Masyarakat dapat Anda isi kapan saja dengan /survei."
)
ALREADY_ANSWERED = "Anda sudah mengisi survei triwulan ini. Terima kasih."

# --- the questionnaire -----------------------------------------------------------------------

INTRO = (
    "<b>Survei Kepuasan Masyarakat (SKM)</b>\n"
    "Pelayanan Penanganan Lokal Batik.Net, Dinas Komunikasi dan Informatika Kota Pekalongan.\n\n"
    "Survei ini mengikuti Peraturan Menteri PANRB Nomor 14 Tahun 2017: sembilan pertanyaan "
    "dengan empat pilihan jawaban, didahului data responden yang boleh dilewati. "
    "<b>Jawaban Anda anonim</b>: tidak disimpan bersama nama, akun, atau tiket Anda, dan hasil "
    "survei hanya ditampilkan sebagai angka gabungan. Survei dapat diisi satu kali setiap "
    "triwulan. Ketik /batal untuk berhenti."
)

SKIP = "Lewati"
SKIP_PROFILE = "Lewati data responden"
PROFILE_NOTE = "Data responden (opsional)"

PROFILE_QUESTIONS: Mapping[str, str] = {
    "age_bracket": "Umur",
    "sex": "Jenis kelamin",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
}
PROFILE_OPTIONS: Mapping[str, Mapping[str, str]] = {
    "age_bracket": {
        "lt25": "Di bawah 25 tahun",
        "25_34": "25–34 tahun",
        "35_44": "35–44 tahun",
        "45_54": "45–54 tahun",
        "ge55": "55 tahun ke atas",
    },
    "sex": {"l": "Laki-laki", "p": "Perempuan"},
    "education": {"sd": "SD", "smp": "SMP", "sma": "SMA", "s1": "S1", "s2": "S2", "s3": "S3"},
    "occupation": {
        "pns": "PNS",
        "tni": "TNI",
        "polri": "POLRI",
        "swasta": "Swasta",
        "wirausaha": "Wirausaha",
        "lainnya": "Lainnya",
    },
}

# The nine questions and their answers a-d (values 1-4), in the order of the elements U1..U9.
# The Lampiran's sample questionnaire asks about sarana dan prasarana before the handling of
# complaints; here each question follows its element's number.
QUESTIONS: Mapping[str, tuple[str, tuple[str, str, str, str]]] = {
    "U1": (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "U2": (
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    "U3": (
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    "U4": (
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    "U5": (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "U6": (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    "U7": (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    "U8": (
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    "U9": (
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
}
LETTERS = "abcd"


def ask_profile(field: str) -> str:
    """Asks one optional profile question."""
    return f"<i>{PROFILE_NOTE}</i>\n<b>{PROFILE_QUESTIONS[field]}</b>"


def profile_echo(field: str, label: str) -> str:
    """Replaces an answered profile question."""
    return f"{PROFILE_QUESTIONS[field]}: <b>{esc(label)}</b>"


def ask(code: str) -> str:
    """Asks one of the nine questions (its four answers a-d are the buttons)."""
    number = skm.CODES.index(code) + 1
    return f"<b>{number}/9</b> {QUESTIONS[code][0]}"


def echo(code: str, value: int) -> str:
    """Replaces an answered question by the question and the chosen answer."""
    number = skm.CODES.index(code) + 1
    question, answers = QUESTIONS[code]
    return f"{number}/9 {question}\n<b>{LETTERS[value - 1]}. {answers[value - 1]}</b>"


NEED_BUTTON = "Silakan pilih salah satu tombol jawaban di atas, atau ketik /batal."
NEED_SUMMARY = "Periksa jawaban di atas, lalu tekan «Kirim», «Ubah jawaban», atau «Batal»."
SEND = "Kirim"
CANCEL = "Batal"
EDIT = "Ubah jawaban"
EDIT_QUESTION = "Jawaban mana yang hendak diubah?"
BACK = "Kembali"
NOT_FILLED = "-"


def summary(draft: Mapping[str, object]) -> str:
    """Shows every answer before sending."""
    lines = ["<b>Periksa jawaban survei Anda</b>", "", f"<i>{PROFILE_NOTE}</i>"]
    for field, question in PROFILE_QUESTIONS.items():
        code = draft.get(field)
        label = PROFILE_OPTIONS[field].get(str(code), NOT_FILLED) if code else NOT_FILLED
        lines.append(f"{question}: {label}")
    lines.append("")
    for number, (code, name) in enumerate(skm.ELEMENTS, 1):
        value = draft.get(code)
        answer = QUESTIONS[code][1][int(str(value)) - 1] if value else NOT_FILLED
        lines.append(f"{number}. {name}: <b>{answer}</b>")
    lines += ["", "Jawaban dikirim tanpa identitas Anda."]
    return "\n".join(lines)


def menu_fields() -> dict[str, str]:
    """Returns the field menu of the summary: step key -> button label."""
    fields = {code: f"{n}. {name}" for n, (code, name) in enumerate(skm.ELEMENTS, 1)}
    return {**dict(PROFILE_QUESTIONS), **fields}


THANKS = (
    "Terima kasih. Jawaban survei Anda telah disimpan secara anonim dan akan digunakan untuk "
    "meningkatkan kualitas pelayanan."
)
CANCELLED = (
    "Survei dibatalkan; jawaban tidak disimpan. Anda dapat mengisinya kapan saja dengan /survei."
)
TIMED_OUT = (
    "Survei ditutup karena lama tidak ada jawaban; jawaban tidak disimpan. Anda dapat mengisinya "
    "kapan saja dengan /survei."
)
LOST = "Isian survei tidak ditemukan lagi. Ketik /survei untuk memulai kembali."
BUSY = "Survei sedang diisi. Jawab pertanyaan di atas atau ketik /batal untuk berhenti."

# --- /skm ------------------------------------------------------------------------------------

USAGE = (
    "Penggunaan: <code>/skm</code> (triwulan ini), <code>/skm bulan</code>, "
    "<code>/skm tahun</code>, atau <code>/skm YYYY-MM-DD YYYY-MM-DD</code> "
    f"(rentang paling lama {skm.RANGE_MAX_DAYS} hari)."
)
PERIOD_BUTTONS: Mapping[PeriodKind, str] = {
    PeriodKind.MONTH: "Bulan ini",
    PeriodKind.QUARTER: "Triwulan ini",
    PeriodKind.YEAR: "Tahun ini",
}
_KIND = {
    PeriodKind.MONTH: "bulan ini",
    PeriodKind.QUARTER: "triwulan ini",
    PeriodKind.YEAR: "tahun ini",
}


def _day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _num(value: float, places: int) -> str:
    """Formats a figure with a decimal comma, as Indonesian documents do."""
    return f"{value:.{places}f}".replace(".", ",")


def period_label(chosen: SkmPeriod) -> str:
    """Names a period: `1 Oktober 2026 - 31 Desember 2026 (triwulan ini)`."""
    span = f"{_day(chosen.first)} – {_day(chosen.last)}"
    kind = _KIND.get(chosen.kind)
    return f"{span} ({kind})" if kind else span


def result(chosen: SkmPeriod, figures: SkmResult) -> str:
    """The SKM of a period: respondents, NRR per element, IKM, converted IKM, grade."""
    lines = [
        f"<b>{TITLE} (SKM)</b>",
        "Pelayanan Penanganan Lokal Batik.Net",
        f"Periode: {period_label(chosen)}",
        f"Jumlah responden: <b>{figures.respondents}</b>",
    ]
    if figures.respondents == 0:
        lines += ["", "Belum ada responden pada periode ini; IKM belum dapat dihitung."]
    else:
        lines += ["", "<b>Nilai rata-rata (NRR) per unsur</b> — NRR; NRR tertimbang (× 1/9)"]
        for element in figures.elements:
            lines.append(
                f"{element.code} {esc(element.name)}: {_num(element.nrr, 2)}; "
                f"{_num(element.weighted_nrr, 3)}"
            )
        lines += [
            "",
            f"IKM (skala 1–4): <b>{_num(figures.ikm, 3)}</b>",
            f"IKM konversi (× 25): <b>{_num(figures.converted, 2)}</b>",
            f"Mutu pelayanan: <b>{figures.grade}</b>",
            f"Kinerja unit pelayanan: <b>{figures.performance}</b>",
        ]
    lines += [
        "",
        "<i>Metode PermenPANRB 14/2017: NRR = jumlah nilai unsur ÷ jumlah responden; "
        "IKM = jumlah NRR × 1/9; konversi = IKM × 25. Jawaban responden anonim.</i>",
    ]
    return "\n".join(lines)
