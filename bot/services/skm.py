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

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from fractions import Fraction

from sqlalchemy.exc import IntegrityError

from bot.services.context import Context
from bot.services.domain import Role
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotRegistered
from bot.services.uow import UnitOfWork
from bot.services.users import find_user
from db.models import SkmParticipation, SkmResponse, User

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
    return compute(await uow.skm.answers([code.lower() for code in CODES], start, end))


# --- the survey: who may answer, once per quarter, anonymously -------------------------------

# The respondent profile of the regulation's questionnaire (all optional). Age is asked as a
# bracket, not in years, so that a small group of respondents stays anonymous.
AGE_BRACKETS = ("lt25", "25_34", "35_44", "45_54", "ge55")
SEXES = ("l", "p")
EDUCATIONS = ("sd", "smp", "sma", "s1", "s2", "s3")
OCCUPATIONS = ("pns", "tni", "polri", "swasta", "wirausaha", "lainnya")
PROFILE: dict[str, tuple[str, ...]] = {
    "age_bracket": AGE_BRACKETS,
    "sex": SEXES,
    "education": EDUCATIONS,
    "occupation": OCCUPATIONS,
}


class Participation(StrEnum):
    """Where a reporter stands with the survey in a quarter."""

    OFFERED = "offered"
    ANSWERED = "answered"
    DECLINED = "declined"


@dataclass(frozen=True)
class SurveyAnswers:
    """One questionnaire: the nine values (U1..U9, 1-4) and the optional profile codes."""

    values: tuple[int, ...]
    age_bracket: str | None = None
    sex: str | None = None
    education: str | None = None
    occupation: str | None = None


def quarter_of(day: date) -> str:
    """Returns the quarter of a day as stored: `2026-Q4`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.calendar.tz).date()


async def _reporter(uow: UnitOfWork, ctx: Context) -> User:
    """Returns the acting registered reporter (an OPD user); others are refused."""
    user = await find_user(uow, ctx.who)
    if user is None or not user.active:
        raise NotRegistered()
    if Role.REPORTER.value not in user.roles or user.opd is None:
        raise NotAllowed("skm_reporter_only")
    return user


async def _participation(uow: UnitOfWork, user_id: int, quarter: str) -> SkmParticipation | None:
    return await uow.skm.participation(user_id, quarter)


async def offer_after_rating(uow: UnitOfWork, ctx: Context) -> bool:
    """Records that the survey is offered to the acting reporter after a rating, and says
    whether to offer it: at most once per reporter per quarter, never to others."""
    user = await find_user(uow, ctx.who)
    if user is None or Role.REPORTER.value not in user.roles or user.opd is None:
        return False
    quarter = quarter_of(_today(ctx))
    if await _participation(uow, user.id, quarter) is not None:
        return False
    uow.skm.add_participation(
        SkmParticipation(user_id=user.id, quarter=quarter, status=Participation.OFFERED.value)
    )
    try:
        await uow.commit()
    except IntegrityError:  # a second rating at the same moment offered it already
        await uow.rollback()
        return False
    return True


async def decline(uow: UnitOfWork, ctx: Context) -> Participation | None:
    """Records that the reporter declined this quarter's offer («Lain kali»); an answered
    survey stays answered. Returns the reporter's standing before: None if not offered, the
    same standing again for a second press."""
    user = await _reporter(uow, ctx)
    quarter = quarter_of(_today(ctx))
    row = await _participation(uow, user.id, quarter)
    before = Participation(row.status) if row is not None else None
    if row is None:
        row = SkmParticipation(user_id=user.id, quarter=quarter, status="")
        uow.skm.add_participation(row)
    if before in (Participation.ANSWERED, Participation.DECLINED):
        return before
    row.status = Participation.DECLINED.value
    await uow.commit()
    return before


async def begin(uow: UnitOfWork, ctx: Context) -> None:
    """Checks that the acting reporter may fill the survey now: not answered this quarter."""
    user = await _reporter(uow, ctx)
    quarter = quarter_of(_today(ctx))
    row = await _participation(uow, user.id, quarter)
    if row is not None and row.status == Participation.ANSWERED.value:
        raise InvalidState("skm_answered", quarter=_quarter_label(quarter))


def _quarter_label(quarter: str) -> str:
    year, _, number = quarter.partition("-Q")
    return f"{number}/{year}"


def check_answers(answers: SurveyAnswers) -> SurveyAnswers:
    """Returns the answers if every value is 1-4 and every profile code known."""
    if len(answers.values) != len(ELEMENTS) or any(v not in VALUES for v in answers.values):
        raise InvalidInput("skm_answers")
    for field, codes in PROFILE.items():
        value = getattr(answers, field)
        if value is not None and value not in codes:
            raise InvalidInput("skm_answers")
    return answers


async def submit(uow: UnitOfWork, ctx: Context, answers: SurveyAnswers) -> None:
    """Saves one anonymous questionnaire and marks the reporter as answered this quarter.

    The response row gets a random id (no order to match against the participation rows) and
    only the start of the local day, not the time it was sent.
    """
    check_answers(answers)
    user = await _reporter(uow, ctx)
    today = _today(ctx)
    quarter = quarter_of(today)
    row = await _participation(uow, user.id, quarter)
    if row is not None and row.status == Participation.ANSWERED.value:
        raise InvalidState("skm_answered", quarter=_quarter_label(quarter))
    if row is None:
        row = SkmParticipation(user_id=user.id, quarter=quarter, status="")
        uow.skm.add_participation(row)
    row.status = Participation.ANSWERED.value
    day_start = datetime.combine(today, time(0), ctx.calendar.tz).astimezone(UTC)
    uow.skm.add_response(
        SkmResponse(
            id=await _free_id(uow),
            answered_day=day_start,
            **{code.lower(): value for code, value in zip(CODES, answers.values, strict=True)},
            age_bracket=answers.age_bracket,
            sex=answers.sex,
            education=answers.education,
            occupation=answers.occupation,
        )
    )
    try:
        await uow.commit()
    except IntegrityError:  # the same reporter sent it twice at once: the first one counts
        await uow.rollback()
        raise InvalidState("skm_answered", quarter=_quarter_label(quarter)) from None


async def _free_id(uow: UnitOfWork) -> int:
    while True:
        candidate = secrets.randbelow(2_000_000_000) + 1
        if not await uow.skm.response_id_taken(candidate):
            return candidate


# --- /skm: the result of a period for the kabid and the admins -------------------------------


class PeriodKind(StrEnum):
    """The periods `/skm` offers by name, and a typed date range."""

    MONTH = "bulan"
    QUARTER = "triwulan"
    YEAR = "tahun"
    RANGE = "rentang"


@dataclass(frozen=True)
class SkmPeriod:
    """A period of local days [first, last] and its instants [start, end) in UTC."""

    kind: PeriodKind
    first: date
    last: date
    start: datetime
    end: datetime


RANGE_MAX_DAYS = 366
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def period(ctx: Context, words: Sequence[str]) -> SkmPeriod:
    """Returns the period of `/skm` words: none (this quarter), `bulan`, `triwulan`, `tahun`
    (optionally followed by `ini`), or two dates `YYYY-MM-DD YYYY-MM-DD` (both included, at
    most 366 days); anything else is refused with the usage."""
    today = _today(ctx)
    named = [w.lower() for w in words]
    if named and named[-1] == "ini" and len(named) == 2:
        named = named[:1]
    if not named or named == [PeriodKind.QUARTER.value]:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return _period(ctx, PeriodKind.QUARTER, first, _add_months(first, 3))
    if named == [PeriodKind.MONTH.value]:
        first = today.replace(day=1)
        return _period(ctx, PeriodKind.MONTH, first, _add_months(first, 1))
    if named == [PeriodKind.YEAR.value]:
        first = date(today.year, 1, 1)
        return _period(ctx, PeriodKind.YEAR, first, date(today.year + 1, 1, 1))
    if len(named) == 2 and all(_DATE.fullmatch(w) for w in named):
        try:
            first, last = (date.fromisoformat(w) for w in named)
        except ValueError:
            raise InvalidInput("skm_period") from None
        if first <= last and (last - first).days < RANGE_MAX_DAYS:
            return _period(ctx, PeriodKind.RANGE, first, last + timedelta(days=1))
    raise InvalidInput("skm_period")


def _add_months(first: date, months: int) -> date:
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1)


def _period(ctx: Context, kind: PeriodKind, first: date, after: date) -> SkmPeriod:
    tz = ctx.calendar.tz
    start = datetime.combine(first, time(0), tz).astimezone(UTC)
    end = datetime.combine(after, time(0), tz).astimezone(UTC)
    return SkmPeriod(kind, first, after - timedelta(days=1), start, end)


async def check_viewer(uow: UnitOfWork, ctx: Context) -> None:
    """Lets only the kabid (role supervisor) and admins see SKM results."""
    if ctx.who.telegram_id in ctx.settings.admin_ids:
        return
    user = await find_user(uow, ctx.who)
    allowed = {Role.SUPERVISOR.value, Role.ADMIN.value}
    if user is None or not user.active or not allowed & user.roles:
        raise NotAllowed("skm_staff_only")


async def skm_report(
    uow: UnitOfWork, ctx: Context, words: Sequence[str]
) -> tuple[SkmPeriod, SkmResult]:
    """Returns the SKM result of the period `/skm` names, for the kabid and admins."""
    await check_viewer(uow, ctx)
    chosen = period(ctx, words)
    return chosen, await skm_result(uow, chosen.start, chosen.end)
