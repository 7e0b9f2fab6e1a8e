"""The append-only logs of tickets and complaints: who changed what, when, from which state."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from bot.services.domain import EventView
from db.models import ComplaintEvent, TicketEvent, User

Entry = TypeVar("Entry", TicketEvent, ComplaintEvent)


def entry(
    log: type[Entry],
    now: datetime,
    actor: User | None,
    kind: str,
    before: str | None = None,
    after: str | None = None,
    note: str | None = None,
    **owner: int,
) -> Entry:
    """Returns a new entry of a log; `owner` names the ticket or complaint (`ticket_id=...`)."""
    return log(
        at=now,
        actor_id=actor.id if actor else None,
        kind=kind,
        from_status=before,
        to_status=after,
        note=note,
        **owner,
    )


def view(entry: TicketEvent | ComplaintEvent, actor_name: str | None) -> EventView:
    """Returns an entry as a timeline shows it, with the name its actor is shown under."""
    return EventView(
        entry.at, entry.kind, actor_name, entry.from_status, entry.to_status, entry.note
    )
