"""ADAPTER: the SKM/IKM result of a period, from bot/services/skm.py (built on the `skm` branch).

The report only needs what it prints (:class:`SkmFigures`); this module turns the SKM
module's ``SkmResult`` into that. Until the SKM module is merged, the report shows "no
respondents" instead of the SKM figures.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from bot.services.reports.figures import SkmElement, SkmFigures
from bot.services.uow import UnitOfWork


def convert(result: Any) -> SkmFigures:
    """Returns the figures the report prints from an ``SkmResult``."""
    raise NotImplementedError


async def figures(uow: UnitOfWork, start: datetime, end: datetime) -> SkmFigures | None:
    """Returns the SKM result of [start, end), or None while there is no SKM module."""
    try:
        module = importlib.import_module("bot.services.skm")
    except ModuleNotFoundError:
        return None
    return convert(await module.skm_result(uow, start, end))


_ = SkmElement
