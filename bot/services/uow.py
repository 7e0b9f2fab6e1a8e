"""Unit of work: one database session per update or job, with the outbox in the same commit."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import datetime
from types import TracebackType

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.notices import Notice, NoticeRenderer, OutboxDraft
from db.confirmations import ConfirmationRepo
from db.models import OutboxMessage, ProcessedUpdate
from db.notes import NoteRepo
from db.repositories import (
    CalendarRepo,
    ComplaintRepo,
    CounterRepo,
    EventRepo,
    InviteRepo,
    OpdRepo,
    OutboxRepo,
    SettingRepo,
    SettingsCache,
    SlaRepo,
    StateRepo,
    TicketMessageRepo,
    TicketRepo,
    UserRepo,
    WorkflowRepo,
)
from db.session import READ_ONLY
from db.skm import SkmRepo


@dataclass
class UpdateMark:
    """The Telegram update being handled; the first commit while it is handled records it."""

    update_id: int
    recorded: bool = False


# Set by the bot while it handles an update (bot/ops/dedupe.py): the update id is written in the
# same transaction as the update's first effects, so a redelivered update is never applied twice.
CURRENT_UPDATE: ContextVar[UpdateMark | None] = ContextVar("current_update", default=None)


class UnitOfWork:
    """Groups repositories over one session; notices become outbox rows on commit."""

    session: AsyncSession

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        renderer: NoticeRenderer | None = None,
        on_commit: Callable[[], None] | None = None,
        settings_cache: SettingsCache | None = None,
    ) -> None:
        self._factory = session_factory
        self._settings_cache = settings_cache
        self._clock = clock
        self._renderer = renderer
        self._on_commit = on_commit
        self._notices: list[Notice] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.opds = OpdRepo(self.session)
        self.users = UserRepo(self.session)
        self.workflow = WorkflowRepo(self.session)
        self.invites = InviteRepo(self.session)
        self.counters = CounterRepo(self.session)
        self.tickets = TicketRepo(self.session)
        self.events = EventRepo(self.session)
        self.outbox = OutboxRepo(self.session)
        self.ticket_messages = TicketMessageRepo(self.session)
        self.settings = SettingRepo(self.session, self._settings_cache)
        self.state = StateRepo(self.session)
        self.calendar = CalendarRepo(self.session)
        self.sla = SlaRepo(self.session)
        self.complaints = ComplaintRepo(self.session)
        self.confirmations = ConfirmationRepo(self.session)
        self.notes = NoteRepo(self.session)
        self.skm = SkmRepo(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches objects without expiring
        # them, so values read inside the unit of work stay readable afterwards.
        await self.session.close()

    async def read_only(self) -> None:
        """Declares a unit of work that only reads, before its first statement (later, nothing
        changes): on SQLite its transaction takes no write lock, so it neither waits for nor
        holds up writers. It must not write."""
        if not self.session.in_transaction():
            await self.session.connection(execution_options={READ_ONLY: True})

    def notify(self, notice: Notice) -> None:
        """Queues a notice to be written to the outbox with the next commit."""
        self._notices.append(notice)

    def queue(self, draft: OutboxDraft, now: datetime) -> None:
        """Adds a rendered Bot API call to the outbox, due at once (written by the commit)."""
        self.outbox.add(
            OutboxMessage(
                **asdict(draft), status="pending", attempts=0, next_attempt_at=now, created_at=now
            )
        )

    async def commit(self) -> None:
        """Writes queued notices to the outbox and commits everything in one transaction."""
        notices, self._notices = self._notices, []
        queued = 0
        if notices and self._renderer is not None:
            now = self._clock.now()
            rows = [
                {**asdict(draft), "status": "pending", "attempts": 0}
                | {"next_attempt_at": now, "created_at": now}
                for notice in notices
                for draft in self._renderer(notice)
            ]
            await self.outbox.add_many(rows)  # one INSERT, however many
            queued = len(rows)
        mark = CURRENT_UPDATE.get()
        records = mark is not None and not mark.recorded
        if mark is not None and records:
            # Claimed before the await: units of work committing side by side for one update
            # (PTB writes its persistence concurrently) must not both insert the id.
            mark.recorded = True
        try:
            if mark is not None and records:
                # A plain INSERT, not an object for the flush to work out.
                row = {"update_id": mark.update_id, "processed_at": self._clock.now()}
                await self.session.execute(insert(ProcessedUpdate), row)
            await self.session.commit()
        except BaseException:
            if mark is not None and records:
                mark.recorded = False
            raise
        if self.settings.wrote and self._settings_cache is not None:
            # Readers that overlapped the write may have cached the old values: gone now.
            self._settings_cache.invalidate()
        if queued and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        """Discards everything since the last commit, notices included."""
        self._notices.clear()
        await self.session.rollback()
