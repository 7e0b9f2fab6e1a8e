"""Shared date formatting, and the labels and refusal names other modules import from here.

The labels live in `labels` and the refusal texts in `refusals`; their names stay importable from
this module.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

# The day and month names the berita acara prints are the ones the chat shows.
from bot.services.berita_acara import DAYS as DAYS
from bot.services.berita_acara import MONTHS as MONTHS
from bot.services.errors import DomainError
from bot.texts import refusals
from bot.texts.labels import CATEGORY as CATEGORY
from bot.texts.labels import EVENT as EVENT
from bot.texts.labels import IMPACT as IMPACT
from bot.texts.labels import LETTER as LETTER
from bot.texts.labels import ROLE as ROLE
from bot.texts.labels import STATUS as STATUS
from bot.texts.labels import esc as esc
from bot.texts.refusals import GENERIC_ERROR as GENERIC_ERROR
from bot.texts.refusals import REFUSALS as REFUSALS

JAKARTA = "Asia/Jakarta"


def when(at: datetime, tz: ZoneInfo | str = JAKARTA, *, short: bool = False) -> str:
    """Formats a moment with its zone: `Senin, 30 November 2026 pukul 08.00 WIB`.

    Short, for cards and lists: `30/11/2026 08.00 WIB`.
    """
    local = at.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    if short:
        return f"{local:%d/%m/%Y %H.%M} {local.tzname()}"
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} {local.tzname()}"
    )


def short_when(at: datetime, tz: ZoneInfo | str = JAKARTA) -> str:
    """Formats a moment compactly: `30/11/2026 08.00 WIB`."""
    return when(at, tz, short=True)


def refusal(error: DomainError) -> str:
    """Returns the message for a refused action."""
    return refusals.refusal(error)
