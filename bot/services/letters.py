"""The OPD's request letter (Persyaratan 2 of the standard) and where a ticket's news goes in
the technician group.

A report may say the letter follows ("menyusul"). The reporter is then reminded by the SLA
ladder (`sla.StepCode.LETTER_REMINDER_*`), and sends it with the letter form, which also asks
for the letter's own number and date: both optional, the date checked here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.config import Settings
from bot.services.context import Context
from bot.services.errors import InvalidInput
from bot.services.outbox import JOB_CARD
from bot.services.tech_group import tech_group_id
from bot.services.uow import UnitOfWork
from bot.services.validation import within

NUMBER_MAX = 80  # ticket.letter_number
# A request letter older than this is not the letter of a fault being reported now.
DATE_OLDEST = timedelta(days=366)
# The months as an OPD writes them in a letter's date line (Indonesian, and English names).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des", "dec", "december"),
        ),
        1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


def clean_number(text: str) -> str:
    """Validates the letter's number as the OPD typed it (e.g. `005/123/DINKES/XI/2026`)."""
    return within(text, 1, NUMBER_MAX, "letter_number", one_line=True)


def parse_date(text: str, today: date) -> date:
    """Returns the letter's date typed as `28-11-2026`, `28/11/2026`, `2026-11-28` or
    `28 November 2026`: a real date, not after today and not absurdly old."""
    value = " ".join(text.lower().split())
    day = month = year = 0
    if match := _NUMERIC.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _WORDS.match(value)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    try:
        dated = date(year, month, day)
    except ValueError:
        raise InvalidInput("letter_date") from None
    if dated > today:
        raise InvalidInput("letter_date_future")
    if dated < today - DATE_OLDEST:
        raise InvalidInput("letter_date_old")
    return dated


def local_today(ctx: Context) -> date:
    """Returns today's date in the calendar's time zone."""
    return ctx.now.astimezone(ctx.calendar.tz).date()


@dataclass(frozen=True)
class GroupPlace:
    """Where a ticket's news goes in the technician group: the chat and the job card it
    replies to (a forum topic, once tickets have their own, goes in `thread_id`)."""

    chat_id: int
    reply_to: int | None = None
    thread_id: int | None = None


async def group_place(uow: UnitOfWork, settings: Settings, ticket_id: int) -> GroupPlace | None:
    """Returns the ticket's place in the technician group: a reply to its job card once the
    card is posted, else the group itself; None without a group.

    The one place the letter and the withdrawal go through, so that the ticket's own forum
    topic can replace the reply here alone.
    """
    group = await tech_group_id(uow, settings)
    if group is None:
        return None
    card = await uow.ticket_messages.get(group, JOB_CARD, ticket_id=ticket_id)
    return GroupPlace(group, card.message_id if card is not None else None)
