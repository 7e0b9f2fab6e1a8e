"""The SKM survey against a real database: the result of a period, participation per quarter."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import skm
from bot.services.container import Services
from db.models import SkmResponse

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
