"""Queries of the berita acara's confirmations (kept apart from `db.repositories`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import BaConfirmation, User, UserRole


class ConfirmationRepo:
    """The parties' confirmations of a berita acara and the people who may give them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: BaConfirmation) -> None:
        """Adds a new confirmation (requested or given)."""
        self.session.add(row)

    async def flush(self) -> None:
        """Flushes pending changes so generated ids are known."""
        await self.session.flush()

    async def get(self, confirmation_id: int) -> BaConfirmation | None:
        """Returns one confirmation."""
        return await self.session.get(BaConfirmation, confirmation_id)

    async def for_report(self, report_id: int) -> Sequence[BaConfirmation]:
        """Returns the confirmations of one repair report, by party."""
        stmt = (
            select(BaConfirmation)
            .where(BaConfirmation.repair_report_id == report_id)
            .order_by(BaConfirmation.id)
        )
        return (await self.session.scalars(stmt)).unique().all()

    async def pending(self, since: datetime, limit: int) -> Sequence[BaConfirmation]:
        """Returns confirmations still awaited that were requested since a moment, oldest
        first."""
        stmt = (
            select(BaConfirmation)
            .where(BaConfirmation.confirmed_at.is_(None), BaConfirmation.requested_at >= since)
            .order_by(BaConfirmation.requested_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).unique().all()

    async def complete(self, confirmation_id: int, values: dict[str, object]) -> bool:
        """Records an awaited confirmation; False if it was given meanwhile (a double tap)."""
        stmt = (
            update(BaConfirmation)
            .where(BaConfirmation.id == confirmation_id, BaConfirmation.confirmed_at.is_(None))
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )
        result = await self.session.execute(stmt)
        return getattr(result, "rowcount", 0) == 1

    async def opd_people(self, opd_id: int, reporter_role: str) -> Sequence[User]:
        """Returns the active people registered for an OPD, by name."""
        stmt = (
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.opd_id == opd_id, User.active.is_(True), UserRole.role == reporter_role)
            .order_by(User.full_name, User.id)
        )
        return (await self.session.scalars(stmt)).unique().all()
