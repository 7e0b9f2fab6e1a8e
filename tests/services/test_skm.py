"""The SKM survey against a real database: the result of a period, participation per quarter."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services import skm, users
from bot.services.container import Services
from bot.services.context import Context
from bot.services.domain import Actor
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotRegistered
from bot.services.users import Registration
from db.models import SkmParticipation, SkmResponse
from tests.harness import ADMIN

DAY = datetime(2026, 9, 30, 17, tzinfo=UTC)  # 1 October 00:00 in Jakarta


def _row(day: datetime, *values: int) -> SkmResponse:
    codes = {f"u{n}": value for n, value in enumerate(values, 1)}
    return SkmResponse(answered_day=day, **codes)


async def test_skm_result_counts_the_questionnaires_of_the_period(services: Services) -> None:
    """Questionnaires count where their day starts: [start, end) holds the first two only."""
    async with services.uow() as uow:
        uow.session.add_all(
            [
                _row(DAY, 4, 4, 3, 4, 3, 3, 4, 3, 3),
                _row(DAY.replace(day=1, month=10), 3, 3, 3, 4, 3, 3, 3, 3, 3),
                _row(DAY.replace(day=31, month=12), 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ]
        )
        await uow.commit()
    start, end = DAY, DAY.replace(day=31, month=12)
    async with services.uow() as uow:
        result = await skm.skm_result(uow, start, end)
        nothing = await skm.skm_result(uow, end.replace(year=2027), end.replace(year=2028))
    # U1 (4 + 3) / 2 = 3.5 ... total 59 / 18 -> IKM 3.2778, converted 81.94, B.
    assert result.respondents == 2
    assert [e.nrr for e in result.elements] == [3.5, 3.5, 3, 4, 3, 3, 3.5, 3, 3]
    assert round(result.converted, 2) == 81.94
    assert (result.grade, result.performance) == ("B", "Baik")
    assert (nothing.respondents, nothing.grade) == (0, None)


# --- participation and the questionnaire -----------------------------------------------------

SITI = Actor(2001, "Siti")
BUDI = Actor(3001, "Budi")
WIB = ZoneInfo("Asia/Jakarta")


async def _reporter(services: Services, actor: Actor) -> None:
    admin = services.context(Actor(ADMIN.id, "Admin"))
    async with services.uow() as uow:
        opd = await uow.opds.by_code("dinkes")
        assert opd is not None
        invite = await users.create_invite(uow, admin, opd.id)
    async with services.uow() as uow:
        await users.register(
            uow,
            services.context(actor),
            invite.token,
            Registration("Siti Aminah", "081234567890", None, "Pranata Komputer"),
        )


def _at(services: Services, actor: Actor, when: datetime) -> Context:
    return replace(services.context(actor), now=when)


async def test_offered_once_a_quarter_to_reporters_only(services: Services) -> None:
    await _reporter(services, SITI)
    async with services.uow() as uow:
        await users.touch_user(uow, services.context(BUDI))
    december = datetime(2026, 12, 31, 23, 30, tzinfo=WIB)
    async with services.uow() as uow:
        assert await skm.offer_after_rating(uow, services.context(SITI))
        assert not await skm.offer_after_rating(uow, _at(services, SITI, december))
        assert not await skm.offer_after_rating(uow, services.context(BUDI))
        # The quarter is the local one: 1 January 00:30 WIB is still 31 December in UTC.
        january = datetime(2027, 1, 1, 0, 30, tzinfo=WIB)
        assert await skm.offer_after_rating(uow, _at(services, SITI, january))


async def test_decline_and_submit_keep_one_row_per_quarter(services: Services) -> None:
    await _reporter(services, SITI)
    ctx = services.context(SITI)
    async with services.uow() as uow:
        assert await skm.offer_after_rating(uow, ctx)
    async with services.uow() as uow:
        assert await skm.decline(uow, ctx) is skm.Participation.OFFERED
        assert await skm.decline(uow, ctx) is skm.Participation.DECLINED
    async with services.uow() as uow:
        await skm.begin(uow, ctx)  # declined, not answered: may still answer
        await skm.submit(uow, ctx, skm.SurveyAnswers((4,) * 9, sex="p"))
    async with services.uow() as uow:
        with pytest.raises(InvalidState) as answered:
            await skm.begin(uow, ctx)
        assert answered.value.params == {"quarter": "4/2026"}
        with pytest.raises(InvalidState):
            await skm.submit(uow, ctx, skm.SurveyAnswers((1,) * 9))
        assert await skm.decline(uow, ctx) is skm.Participation.ANSWERED
    async with services.uow() as uow:
        taken = list(await uow.session.scalars(select(SkmParticipation)))
        responses = list(await uow.session.scalars(select(SkmResponse)))
    assert [(row.quarter, row.status) for row in taken] == [("2026-Q4", "answered")]
    assert len(responses) == 1 and responses[0].sex == "p" and responses[0].u1 == 4


async def test_only_reporters_answer_and_answers_are_checked(services: Services) -> None:
    await _reporter(services, SITI)
    async with services.uow() as uow:
        await users.touch_user(uow, services.context(BUDI))
    async with services.uow() as uow:
        with pytest.raises(NotAllowed, match="skm_reporter_only"):
            await skm.begin(uow, services.context(BUDI))
        with pytest.raises(NotRegistered):
            await skm.begin(uow, services.context(Actor(9999)))
        for bad in (
            skm.SurveyAnswers((4,) * 8),
            skm.SurveyAnswers((0,) + (4,) * 8),
            skm.SurveyAnswers((4,) * 9, education="tk"),
        ):
            with pytest.raises(InvalidInput, match="skm_answers"):
                await skm.submit(uow, services.context(SITI), bad)


@pytest.mark.parametrize(
    ("words", "kind", "first", "last"),
    [
        ([], skm.PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        (["triwulan", "ini"], skm.PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        (["Bulan"], skm.PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        (["tahun", "ini"], skm.PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
        (["2026-02-01", "2026-02-28"], skm.PeriodKind.RANGE, date(2026, 2, 1), date(2026, 2, 28)),
        (["2025-01-01", "2026-01-01"], skm.PeriodKind.RANGE, date(2025, 1, 1), date(2026, 1, 1)),
    ],
)
def test_periods_of_skm(
    services: Services, words: list[str], kind: skm.PeriodKind, first: date, last: date
) -> None:
    """Named periods are the local calendar's; a range includes both days (366 at most)."""
    chosen = skm.period(services.context(SITI), words)
    assert (chosen.kind, chosen.first, chosen.last) == (kind, first, last)
    assert chosen.start == datetime.combine(first, time(0), WIB)
    assert chosen.end == datetime.combine(last + timedelta(days=1), time(0), WIB)


@pytest.mark.parametrize(
    "words",
    [
        ["minggu"],
        ["bulan", "lalu"],
        ["2026-02-30", "2026-03-01"],
        ["2026-03-02", "2026-03-01"],
        ["2025-01-01", "2026-01-02"],
        ["2026-1-1", "2026-02-01"],
        ["2026-01-01"],
    ],
)
def test_bad_periods_are_refused(services: Services, words: list[str]) -> None:
    with pytest.raises(InvalidInput, match="skm_period"):
        skm.period(services.context(SITI), words)
