"""Pacing of Bot API sends at Telegram's limits: spaced per chat and overall, never in bursts.

Telegram allows a bot about 30 messages per second overall, one per second to one chat and 20
per minute to one group. PTB's AIORateLimiter lets a bucket's worth out at once and then
throttles; Telegram counts in shorter windows than the bucket, so the burst is answered with
429s. Here every send takes a slot: a chat's next slot is a fixed interval after its last send,
and the overall next slot 1/29 s after the last send anywhere, with a little margin on each so
that timer jitter never lands two sends inside one of Telegram's windows.

The outbox (bot/outbox.py) waits for its slots; replies sent directly to the person acting now
do not wait, but are noted (`PacedLimiter`), so the outbox plans around them.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import math
import time
from collections.abc import Callable, Collection, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from telegram.ext import BaseRateLimiter

# Set while the outbox sends: its slot is already taken, the limiter must not note it again.
OUTBOX_SEND: ContextVar[bool] = ContextVar("outbox_send", default=False)
# Bot API methods that put (or change) a message in a chat: the ones Telegram's limits count.
_COUNTED_PREFIXES = ("send", "copy", "forward", "edit")


@dataclass(frozen=True)
class Limits:
    """Seconds between two sends: to one group, to one private chat, and anywhere."""

    group: float = 60 / 20 + 0.05
    private: float = 1.0 + 0.05
    overall: float = 1 / 29
    # Sends in the air at once (to different chats; one chat never has two).
    in_flight: int = 8


TELEGRAM = Limits()
# Tests: no waiting, one send at a time, so the calls come out in queue order.
NO_LIMITS = Limits(0.0, 0.0, 0.0, 1)


class PaceClock(Protocol):
    """The time the pacer counts in: real (monotonic) time, or a simulated one (bench)."""

    def monotonic(self) -> float:
        """Returns the current time in seconds."""
        ...

    async def wait(
        self, seconds: float | None, wake: asyncio.Event, busy: Collection[asyncio.Task[None]]
    ) -> None:
        """Returns after `seconds` (None: no limit), or when `wake` is set or a busy task ends."""
        ...

    def call_later(self, seconds: float, callback: Callable[[], object]) -> None:
        """Calls `callback` after `seconds`."""
        ...


class RealClock:
    """Monotonic time and the event loop's timers."""

    def monotonic(self) -> float:
        """Returns the event loop's monotonic time."""
        return time.monotonic()

    async def wait(
        self, seconds: float | None, wake: asyncio.Event, busy: Collection[asyncio.Task[None]]
    ) -> None:
        """Waits for the first of: the time, the wake event, a busy task."""
        waiter = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait(
                {waiter, *busy},
                timeout=None if seconds is None else max(seconds, 0.0),
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()

    def call_later(self, seconds: float, callback: Callable[[], object]) -> None:
        """Schedules the callback on the running loop."""
        asyncio.get_running_loop().call_later(seconds, callback)


class Pacer:
    """Hands out send slots per chat and overall."""

    def __init__(self, limits: Limits = TELEGRAM, clock: PaceClock | None = None) -> None:
        self.limits = limits
        self.clock: PaceClock = clock or RealClock()
        self._next: dict[int, float] = {}
        self._overall = -math.inf

    def ready_at(self, chat_id: int) -> float:
        """Returns the earliest time a message to the chat may go."""
        return max(self._next.get(chat_id, -math.inf), self._overall)

    def take(self, chat_id: int) -> None:
        """Records a send to the chat now: its next slot and the overall one move on."""
        now = self.clock.monotonic()
        spacing = self.limits.group if chat_id < 0 else self.limits.private
        self._next[chat_id] = max(self._next.get(chat_id, -math.inf), now) + spacing
        self._overall = max(self._overall, now) + self.limits.overall
        if len(self._next) > 4096:
            # Chats whose slot has passed are as good as unknown: keep the map small.
            self._next = {chat: at for chat, at in self._next.items() if at > now}


class PacedLimiter(BaseRateLimiter[Any]):
    """PTB's rate limiter hook: direct replies go at once and are noted in the pacer."""

    def __init__(self, pacer: Pacer) -> None:
        self._pacer = pacer

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Sends the request; a message not sent by the outbox takes its chat's slot."""
        chat_id = data.get("chat_id")
        if (
            not OUTBOX_SEND.get()
            and endpoint.startswith(_COUNTED_PREFIXES)
            and isinstance(chat_id, int)
        ):
            self._pacer.take(chat_id)
        return await callback(*args, **kwargs)


class SimulatedTime:
    """Simulated time for the pacer (bench and tests): a wait moves the time on at once.

    Time moves only when the outbox has nothing to do but wait; calls in the air take no
    simulated time. Timers (`call_later`, `at`) fire as the time passes them; a timer may be a
    coroutine function (e.g. a commit that queues more), awaited when it fires.
    """

    def __init__(
        self, start: float = 0.0, on_advance: Callable[[float], None] | None = None
    ) -> None:
        self.now = start
        self._on_advance = on_advance
        self._timers: list[tuple[float, int, Callable[[], object]]] = []
        self._seq = 0

    def monotonic(self) -> float:
        """Returns the simulated time."""
        return self.now

    def call_later(self, seconds: float, callback: Callable[[], object]) -> None:
        """Schedules the callback `seconds` from now in simulated time."""
        self.at(self.now + seconds, callback)

    def at(self, when: float, callback: Callable[[], object]) -> None:
        """Schedules the callback at a simulated time."""
        self._seq += 1
        heapq.heappush(self._timers, (when, self._seq, callback))

    @property
    def pending(self) -> int:
        """Returns how many timers have not fired yet."""
        return len(self._timers)

    async def wait(
        self, seconds: float | None, wake: asyncio.Event, busy: Collection[asyncio.Task[None]]
    ) -> None:
        """Lets calls in the air finish first; otherwise moves the time on to the earlier of
        the end of the wait and the next timer (which fires)."""
        if busy:
            await asyncio.wait(busy, return_when=asyncio.FIRST_COMPLETED)
            return
        if wake.is_set():
            return
        target = math.inf if seconds is None else self.now + seconds
        if self._timers and self._timers[0][0] <= target:
            await self.run_next()
            return
        if target < math.inf:
            self._move(target)
        await asyncio.sleep(0)

    async def run_next(self) -> None:
        """Moves the time on to the next timer and fires it."""
        when, _, callback = heapq.heappop(self._timers)
        self._move(max(when, self.now))
        result = callback()
        if inspect.isawaitable(result):
            await result

    def _move(self, when: float) -> None:
        self.now = when
        if self._on_advance is not None:
            self._on_advance(when)
