"""The services object the bot layer carries: settings, database, clock, calendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.services.calendar import BusinessCalendar, WeeklySchedule
from bot.services.calendar_admin import load_calendar
from bot.services.clock import Clock, SimulatedClock, SystemClock
from bot.services.context import Context
from bot.services.domain import Actor
from bot.services.notices import NoticeRenderer
from bot.services.uow import UnitOfWork
from db.repositories import SettingsCache
from db.session import create_engine, create_session_factory


@dataclass
class Services:
    """Everything a use case needs from the outside world, injected once at start."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    clock: Clock
    calendar: BusinessCalendar
    renderer: NoticeRenderer | None = None
    on_commit: Callable[[], None] | None = field(default=None)
    calendar_loaded: bool = False
    # The technician group's settings, read by every job card: kept between units of work.
    settings_cache: SettingsCache = field(default_factory=SettingsCache)

    def uow(self) -> UnitOfWork:
        """Opens a unit of work (one session per update or job)."""
        return UnitOfWork(
            self.session_factory,
            self.clock,
            self.renderer,
            self.on_commit,
            settings_cache=self.settings_cache,
        )

    def now(self) -> datetime:
        """Returns the current time from the injected clock."""
        return self.clock.now()

    def context(self, actor: Actor | None = None) -> Context:
        """Returns the use-case context for now, optionally for an acting user."""
        return Context(self.clock.now(), self.calendar, self.settings, actor)

    async def refresh_calendar(self) -> BusinessCalendar:
        """Reloads the calendar from settings and the database rows admins maintain."""
        async with self.uow() as uow:
            self.use_calendar(await load_calendar(uow, self.settings))
        return self.calendar

    def use_calendar(self, calendar: BusinessCalendar) -> None:
        """Replaces the cached calendar (after an admin changed it)."""
        self.calendar = calendar
        self.calendar_loaded = True

    async def close(self) -> None:
        """Releases database connections."""
        await self.engine.dispose()


def build_calendar(settings: Settings) -> BusinessCalendar:
    """Builds the business calendar from the settings."""
    return BusinessCalendar(
        tz=settings.timezone, schedule=WeeklySchedule.parse(settings.office_hours)
    )


def build_clock(settings: Settings) -> Clock:
    """Returns the simulated clock when configured, else the system clock."""
    if settings.clock_start is not None:
        return SimulatedClock(settings.clock_start, settings.clock_speed)
    return SystemClock()


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Creates the services for a settings object."""
    engine = create_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        clock=clock or build_clock(settings),
        calendar=build_calendar(settings),
    )
