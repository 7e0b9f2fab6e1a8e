"""JobQueue callbacks."""

from __future__ import annotations

from bot.context import DELIVERY_KEY, BotContext
from bot.outbox import OutboxDelivery


async def retry_outbox(context: BotContext) -> None:
    """Delivers queued messages whose retry time has come (and any left over by a restart)."""
    delivery = context.application.bot_data[DELIVERY_KEY]
    assert isinstance(delivery, OutboxDelivery)  # noqa: S101 - set by build_application
    delivery.kick()
