"""The use-case context: who acts, when, by which calendar and settings.

Every use case is called as ``(uow, ctx, ...)``: the bot layer builds the context from the
update, a job builds one with no actor. The acting user is ``ctx.who`` (the ticket, complaint,
user, OPD and calendar services alike); pure helpers such as the SLA maths take only the parts
they read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.config import Settings
from bot.services.calendar import BusinessCalendar
from bot.services.domain import Actor


@dataclass(frozen=True)
class Context:
    """The clock's now, the business calendar, the settings and the acting user (if any)."""

    now: datetime
    calendar: BusinessCalendar
    settings: Settings
    actor: Actor | None = None

    def acting(self, actor: Actor) -> Context:
        """Returns the same context for another actor."""
        return replace(self, actor=actor)

    @property
    def who(self) -> Actor:
        """Returns the acting user; a use case that needs one is never run without it."""
        if self.actor is None:
            raise ValueError("this use case needs an actor")
        return self.actor
