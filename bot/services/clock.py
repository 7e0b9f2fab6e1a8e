"""Clocks: the system clock, a frozen clock for tests and a simulated clock for demonstrations."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current aware time."""

    def now(self) -> datetime:
        """Returns the current time, aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Returns the current UTC time."""
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        """Returns the frozen time."""
        return self._at

    def set(self, at: datetime) -> None:
        """Moves the clock to a given time."""
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Moves the clock forward."""
        self._at += delta


class SimulatedClock:
    """A clock that starts at a chosen moment and runs `speed` times faster (demonstrations)."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._origin = time.monotonic()

    def now(self) -> datetime:
        """Returns the simulated time."""
        elapsed = (time.monotonic() - self._origin) * self._speed
        return self._start + timedelta(seconds=elapsed)
