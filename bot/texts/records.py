"""The layout a fault ticket and a complaint share: the receipt, the card, and the `/tiket`
answer with its timeline. Each record's module fills in its own fields and words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from bot.services.complaints import ComplaintView
from bot.services.domain import EventView, TicketView
from bot.texts.common import short_when, when
from bot.texts.fit import (
    CUT_BELOW,
    TEXT_LIMIT,
    Clip,
    Fitted,
    continued,
    cut_see,
    fit,
    full_texts,
    pages,
    shown,
    subject,
    timeline_blocks,
)

# One timeline entry of `/tiket` takes at most this much of a message; a longer note is cut and
# follows whole.
EVENT_LIMIT = 2500
ACTOR_LABEL = "Pelaku"

# The lines of a message that hold free text, built with the message's `Clip`.
Lines = Callable[[Clip], list[str]]
# A fault ticket or a complaint.
Record = TicketView | ComplaintView


def receipt(
    record: Record,
    head: Sequence[str],
    outside_hours: Callable[[datetime], str],
    fields: Lines,
    tail: Sequence[str],
) -> str:
    """A receipt after filing: `head` (what was received) and when, the fields as filed, then
    `tail` (deadlines and what comes next); a cut text is read whole with `/tiket`."""
    opens_at = record.opens_at

    def build(clip: Clip) -> str:
        lines = [
            *head,
            f"Diterima: {when(record.received_at)}",
            *([outside_hours(opens_at)] if opens_at else []),
            "",
            *fields(clip),
            "",
            *tail,
        ]
        return "\n".join(lines)

    return fit(build, note=cut_see(record.number)).text


def card(
    record: Record, title: str, fields: Lines, dues: Sequence[tuple[str, datetime]], more: Lines
) -> Fitted:
    """A card, edited in place as its record moves: the title, the fields, when it came and is
    due, then `more` (who handles it, what is next). Its note about cut texts points to what
    always works, `/tiket`."""

    def build(clip: Clip) -> str:
        return "\n".join([title, *fields(clip), *timing(record, dues, short=True), *more(clip)])

    return fit(build, note=cut_see(record.number))


def timing(
    record: Record, dues: Sequence[tuple[str, datetime]], *, short: bool = False
) -> list[str]:
    """Returns when a record came and when it is due, a line each (short: the dues on one)."""
    received = f"Diterima: {when(record.received_at, short=short)}"
    due = [f"{label}: {when(at, short=short)}" for label, at in dues]
    return [received, " · ".join(due)] if short else [received, *due]


def person(clip: Clip, name: str | None, label: str) -> str:
    """Returns a person's name as a field of the message, or "-" when nobody is named."""
    return clip.name(name, label) if name else "-"


def event_line(
    event: EventView, label: str, clip: Clip, *, nobody: str = "Sistem", note_break: str = " — "
) -> str:
    """A timeline entry: when, what and who (`nobody` when no person is named), then its note."""
    actor = clip.name(event.actor_name, ACTOR_LABEL) if event.actor_name else nobody
    what = f"Riwayat {short_when(event.at)}, {label}"
    note = f"{note_break}{clip(event.note, what)}" if event.note else ""
    return f"• {short_when(event.at)} {label} ({actor}){note}"


def details(
    number: str,
    summary: Lines,
    events: Sequence[EventView],
    entry: Callable[[EventView, Clip], str],
    closing: Sequence[str] = (),
) -> list[str]:
    """The `/tiket` answer: the details and the timeline over as many messages as they need,
    `closing` below the last entry, then the texts that had to be cut, whole."""
    head = continued(f"<b>{number}</b>")
    # Room for the head of a next message, so no line of the first one ever has to break.
    shown_summary = fit(lambda clip: "\n".join(summary(clip)), TEXT_LIMIT - shown(head) - 1)
    entries = [fit(partial(entry, event), EVENT_LIMIT) for event in events]
    cuts = [*shown_summary.cuts, *(cut for fitted in entries for cut in fitted.cuts)]
    tail = [*closing, *([f"\n{CUT_BELOW}"] if cuts else [])]
    blocks = timeline_blocks(shown_summary.text, [fitted.text for fitted in entries], tail)
    return [*pages(blocks, head=head), *full_texts(subject(number), cuts)]
