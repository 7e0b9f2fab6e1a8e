"""Queries of the SKM survey (kept apart from `db.repositories`): anonymous questionnaires and,
separately, who was offered the survey or answered it in a quarter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SkmParticipation, SkmResponse


class SkmRepo:
    """Questionnaires (no user column) and participations (no answers)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answers(
        self, columns: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[int, ...]]:
        """Returns the answers (these element columns) of the questionnaires sent in
        [start, end)."""
        stmt = select(*(getattr(SkmResponse, column) for column in columns)).where(
            SkmResponse.answered_day >= start, SkmResponse.answered_day < end
        )
        return [tuple(row) for row in await self.session.execute(stmt)]

    async def participation(self, user_id: int, quarter: str) -> SkmParticipation | None:
        """Returns a person's standing in a quarter (offered, declined, answered), if any."""
        stmt = select(SkmParticipation).where(
            SkmParticipation.user_id == user_id, SkmParticipation.quarter == quarter
        )
        return (await self.session.scalars(stmt)).one_or_none()

    def add_participation(self, row: SkmParticipation) -> None:
        """Adds a person's standing in a quarter."""
        self.session.add(row)

    async def response_id_taken(self, response_id: int) -> bool:
        """Tells whether a questionnaire already has this id."""
        return await self.session.get(SkmResponse, response_id) is not None

    def add_response(self, row: SkmResponse) -> None:
        """Adds an anonymous questionnaire."""
        self.session.add(row)
