"""The SKM/IKM result of a period as the report prints it, from bot/services/skm.py.

The SKM module owns the survey and the computation (PermenPANRB 14/2017); the report only
needs what it prints (:class:`SkmFigures`), so this small adapter is the one place that knows
both shapes.
"""

from __future__ import annotations

from datetime import datetime

from bot.services import skm
from bot.services.reports.figures import SkmElement, SkmFigures
from bot.services.uow import UnitOfWork


def convert(result: skm.SkmResult) -> SkmFigures:
    """Returns the figures the report prints from an ``SkmResult``."""
    return SkmFigures(
        respondents=result.respondents,
        elements=tuple(SkmElement(e.name, e.nrr, e.weighted_nrr) for e in result.elements),
        ikm=result.ikm,
        converted=result.converted,
        grade=result.grade or "-",
        performance=result.performance or "-",
    )


async def figures(uow: UnitOfWork, start: datetime, end: datetime) -> SkmFigures:
    """Returns the SKM result of the questionnaires sent in [start, end)."""
    return convert(await skm.skm_result(uow, start, end))
