"""JobQueue callbacks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.context import DELIVERY_KEY, BotContext
from bot.handlers import reports as report_handlers
from bot.outbox import OutboxDelivery
from bot.services import complaints, sla
from bot.services.berita_acara import confirmations
from bot.services.context import Context
from bot.services.uow import UnitOfWork


async def retry_outbox(context: BotContext) -> None:
    """Delivers queued messages whose retry time has come (and any left over by a restart)."""
    delivery = context.application.bot_data[DELIVERY_KEY]
    assert isinstance(delivery, OutboxDelivery)  # noqa: S101 - set by build_application
    delivery.kick()


async def _sweep(
    context: BotContext, sweep: Callable[[UnitOfWork, Context], Awaitable[object]]
) -> None:
    """Runs one sweep in its own unit of work, the admins' calendar loaded first."""
    services = context.services
    if not services.calendar_loaded:
        await services.refresh_calendar()
    async with services.uow() as uow:
        await sweep(uow, services.context())


async def sweep_sla(context: BotContext) -> None:
    """Fires due SLA reminders and escalations and the morning digest (office hours only)."""
    # The berita acara's awaited confirmations have their own rung (one reminder a working
    # day, then the coordinators), fired and committed with the ladder.
    await _sweep(context, lambda uow, ctx: sla.sweep(uow, ctx, also=(confirmations.remind,)))


async def sweep_complaints(context: BotContext) -> None:
    """Escalates complaints whose response or resolution time passed (office hours only)."""
    await _sweep(context, complaints.sweep)


async def send_reports(context: BotContext) -> None:
    """Sends the quarterly pack and the monthly summary when due (office hours only)."""
    await report_handlers.send_scheduled(context)
