"""The Survei Kepuasan Masyarakat (SKM) and its index (IKM) as PermenPANRB 14/2017 prescribes.

Source: Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran (the nine elements of the survey, the
questionnaire with four graded answers valued 1-4, the data processing method and the table of
perception values, intervals, converted intervals, service quality and unit performance).

The computation, per element U1..U9 over the questionnaires of a period:

    NRR            = sum of the element's values / respondents
    weighted NRR   = NRR x 1/9            (the weight: "jumlah bobot / jumlah unsur" = 1/9)
    IKM            = sum of the nine weighted NRR   (on the 1-4 scale)
    converted IKM  = IKM x 25               (on the 25-100 scale)

**The weight is 1/9 exactly, not 0.111.** The Lampiran defines the weight as the total weight
divided by the number of elements (1/9) and prints it rounded (0,11 / 0,111). With 0.111 the IKM
is 0.999 times the mean, so every respondent answering "sangat baik" everywhere would score 99.90,
never the 100.00 that tops the regulation's table, and all-lowest answers would score 24.975, below
its lowest bound 25.00 (outside the table). The table thus presupposes the exact weight. It also
moves the boundaries: a mean of 3.0644 is 76.61 (B, baik) with 1/9, but 76.53 (C) with 0.111.
Arithmetic is exact (fractions), so no float error decides a grade either.

**The grade table** (Lampiran, tabel nilai persepsi, interval nilai, interval konversi, mutu
pelayanan dan kinerja unit pelayanan):

    perception  interval (1-4)     converted (25-100)   quality  performance
    1           1,00   - 2,5996    25,00 - 64,99        D        tidak baik
    2           2,60   - 3,064     65,00 - 76,60        C        kurang baik
    3           3,0644 - 3,532     76,61 - 88,30        B        baik
    4           3,5324 - 4,00      88,31 - 100,00       A        sangat baik

The two interval columns agree exactly (each bound x 25 is the converted bound; a test checks it),
and both leave gaps (2,5996 < x < 2,60; 64,99 < x < 65,00; ...), because the converted bounds are
figures to two decimals. So the converted IKM is rounded half up to two decimals (as it is
reported) and then falls in exactly one row; the grade always agrees with the printed figure.
Equivalently, on the unrounded value: D below 64.995, C below 76.605, B below 88.305, else A.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select

from bot.services.uow import UnitOfWork
from db.models import SkmResponse

# The nine elements (unsur) of the Lampiran, in its order, with its names.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
)
CODES: tuple[str, ...] = tuple(code for code, _ in ELEMENTS)
VALUES = range(1, 5)  # a: 1 (tidak ...) .. d: 4 (sangat ...)
WEIGHT = Fraction(1, len(ELEMENTS))  # 1/9 exactly, see the module's docstring
SCALE = 25  # the converted IKM: IKM x 25

# The grade table in hundredths of the converted IKM: (lowest, highest, grade, performance).
GRADES: tuple[tuple[int, int, str, str], ...] = (
    (2500, 6499, "D", "Tidak Baik"),
    (6500, 7660, "C", "Kurang Baik"),
    (7661, 8830, "B", "Baik"),
    (8831, 10000, "A", "Sangat Baik"),
)
# The same table's interval column on the 1-4 scale (ten-thousandths), as printed.
INTERVALS: tuple[tuple[int, int], ...] = (
    (10000, 25996),
    (26000, 30640),
    (30644, 35320),
    (35324, 40000),
)


@dataclass(frozen=True)
class SkmElement:
    """One element's figures: its code (U1..U9), name, NRR and weighted NRR."""

    code: str
    name: str
    nrr: float
    weighted_nrr: float


@dataclass(frozen=True)
class SkmResult:
    """The SKM of a period: respondents, the nine elements, the IKM (1-4), the converted IKM
    (25-100, two decimals), the quality grade and the unit's performance (None without
    respondents)."""

    respondents: int
    elements: tuple[SkmElement, ...]
    ikm: float
    converted: float
    grade: str | None
    performance: str | None


# --- the pure computation --------------------------------------------------------------------


def converted_hundredths(ikm: Fraction) -> int:
    """Returns IKM x 25 in hundredths, rounded half up (exact: no float on the way)."""
    scaled = ikm * SCALE * 100
    return (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)


def grade_of(hundredths: int) -> tuple[str, str]:
    """Returns the quality grade and performance of a converted IKM in hundredths (2500-10000)."""
    for low, high, grade, performance in GRADES:
        if low <= hundredths <= high:
            return grade, performance
    raise ValueError(f"converted IKM out of the table: {hundredths / 100}")


def compute(questionnaires: Sequence[Sequence[int]]) -> SkmResult:
    """Returns the SKM of questionnaires, each the nine values (1-4) of U1..U9 in order."""
    for answers in questionnaires:
        if len(answers) != len(ELEMENTS) or any(v not in VALUES for v in answers):
            raise ValueError("a questionnaire has nine values from 1 to 4")
    respondents = len(questionnaires)
    if respondents == 0:
        empty = tuple(SkmElement(code, name, 0.0, 0.0) for code, name in ELEMENTS)
        return SkmResult(0, empty, 0.0, 0.0, None, None)
    nrrs = [
        Fraction(sum(answers[i] for answers in questionnaires), respondents)
        for i in range(len(ELEMENTS))
    ]
    ikm = sum((nrr * WEIGHT for nrr in nrrs), Fraction(0))
    hundredths = converted_hundredths(ikm)
    grade, performance = grade_of(hundredths)
    elements = tuple(
        SkmElement(code, name, float(nrr), float(nrr * WEIGHT))
        for (code, name), nrr in zip(ELEMENTS, nrrs, strict=True)
    )
    return SkmResult(respondents, elements, float(ikm), hundredths / 100, grade, performance)


async def skm_result(uow: UnitOfWork, start: datetime, end: datetime) -> SkmResult:
    """Returns the SKM of the questionnaires sent in [start, end); a questionnaire keeps only
    the start of its (local) day, so it counts where that day starts."""
    rows = await uow.session.execute(
        select(*(getattr(SkmResponse, code.lower()) for code in CODES)).where(
            SkmResponse.answered_day >= start, SkmResponse.answered_day < end
        )
    )
    return compute([tuple(row) for row in rows])
