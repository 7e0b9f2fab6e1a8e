"""Queries of the messages inside a ticket (kept apart from `db.repositories`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import TicketNote


class NoteRepo:
    """The notes written to a ticket (by its OPD, technicians or coordinators)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, note_id: int) -> TicketNote | None:
        """Returns one note."""
        return await self.session.get(TicketNote, note_id)

    async def add(self, note: TicketNote) -> None:
        """Adds a note and loads its sender (its id is known afterwards)."""
        self.session.add(note)
        await self.session.flush()
        await self.session.refresh(note, ["sender"])

    async def count_since(self, ticket_id: int, sender_id: int, since: datetime) -> int:
        """Returns how many notes a person wrote to a ticket after a moment."""
        stmt = select(func.count(TicketNote.id)).where(
            TicketNote.ticket_id == ticket_id,
            TicketNote.sender_id == sender_id,
            TicketNote.at > since,
        )
        return int(await self.session.scalar(stmt) or 0)

    async def position(self, ticket_id: int, note_id: int) -> int:
        """Returns a note's number within its ticket (1 for the first)."""
        stmt = select(func.count(TicketNote.id)).where(
            TicketNote.ticket_id == ticket_id, TicketNote.id <= note_id
        )
        return int(await self.session.scalar(stmt) or 0)

    async def last(self, ticket_id: int, limit: int) -> Sequence[TicketNote]:
        """Returns a ticket's last notes, newest first."""
        stmt = (
            select(TicketNote)
            .where(TicketNote.ticket_id == ticket_id)
            .order_by(TicketNote.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()
