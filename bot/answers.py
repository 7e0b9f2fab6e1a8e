"""Remembers which button presses were answered, so that no press is ever answered twice.

Telegram takes one answer per callback query and refuses a second ("query is too old"). When a
handler fails after it answered the press, the error handler must apologise with a message
instead. Every Bot API call passes the application's rate limiter, so a thin wrapper around it
is the one place that sees every answer, whichever handler made it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import TimedOut
from telegram.ext import BaseRateLimiter, ExtBot

ANSWER = "answerCallbackQuery"
# Presses are answered within seconds of arriving; the newest few thousand are plenty.
REMEMBERED = 4096

Result = bool | dict[str, Any] | list[dict[str, Any]]


class AnsweredQueries(BaseRateLimiter[Any]):
    """Passes every request to the wrapped rate limiter and notes each answered press."""

    def __init__(self, inner: BaseRateLimiter[Any], remembered: int = REMEMBERED) -> None:
        self._inner = inner
        self._remembered = remembered
        self._ids: OrderedDict[str, None] = OrderedDict()

    async def initialize(self) -> None:
        """Initialises the wrapped rate limiter."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shuts the wrapped rate limiter down."""
        await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Result:
        """Sends the request through the wrapped limiter; an answer that went out is noted."""
        try:
            result = await self._inner.process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        except TimedOut:
            # Telegram may have taken the answer before the time ran out: a second one could
            # only be refused, so it counts as answered.
            self._note(endpoint, data)
            raise
        self._note(endpoint, data)
        return result

    def answered(self, query_id: str) -> bool:
        """Tells whether the press was answered (or its answer timed out on the way)."""
        return query_id in self._ids

    def _note(self, endpoint: str, data: dict[str, Any]) -> None:
        if endpoint != ANSWER or data.get("callback_query_id") is None:
            return
        self._ids[str(data["callback_query_id"])] = None
        while len(self._ids) > self._remembered:
            self._ids.popitem(last=False)


def was_answered(bot: Bot, query_id: str) -> bool:
    """Tells whether the bot already answered a press (False when it keeps no record)."""
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    return isinstance(limiter, AnsweredQueries) and limiter.answered(query_id)
