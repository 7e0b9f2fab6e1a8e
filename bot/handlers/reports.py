"""/laporan: the figures of a period as a message, an XLSX workbook and a PDF; and the job that
sends the quarterly pack and the monthly summary on their own."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Coroutine
from typing import Any

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import on_command, run_use_case
from bot.keyboards import reports as keyboards
from bot.render.common import message as outbox_message
from bot.services import reports
from bot.services.container import Services
from bot.services.reports import schedule
from bot.services.reports.period import Period, Preset
from bot.texts import common as tc
from bot.texts import reports as t

log = logging.getLogger(__name__)

# bot_data key of the document builds still running (tests wait for them).
TASKS_KEY = "report_tasks"


def _track(context: BotContext, work: Coroutine[Any, Any, None]) -> None:
    """Runs the document build and upload as a task, so the bot goes on answering meanwhile."""
    tasks: set[asyncio.Task[None]] = context.application.bot_data.setdefault(TASKS_KEY, set())
    task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work, name="report")
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def _documents(services: Services, prepared: reports.Prepared) -> reports.Documents:
    return await asyncio.to_thread(
        reports.build_documents, prepared, services.calendar, services.settings
    )


async def _send_documents(
    bot: Any, chat_id: int, period: Period, documents: reports.Documents
) -> None:
    await bot.send_document(
        chat_id,
        InputFile(io.BytesIO(documents.xlsx), filename=documents.xlsx_name),
        caption=t.xlsx_caption(period),
    )
    await bot.send_document(
        chat_id,
        InputFile(io.BytesIO(documents.pdf), filename=documents.pdf_name),
        caption=t.pdf_caption(period),
    )


async def _reply(context: BotContext, chat_id: int, prepared: reports.Prepared) -> None:
    """Sends the summary now and the documents once built (in a worker thread)."""
    settings = context.services.settings
    report = prepared.report
    await context.bot.send_message(
        chat_id,
        t.summary(report, settings.target_working_days, settings.deadline_working_days)
        + "\n\n"
        + t.BUILDING,
    )

    async def files() -> None:
        try:
            documents = await _documents(context.services, prepared)
            await _send_documents(context.bot, chat_id, report.period, documents)
        except Exception:  # a lost upload must not pass silently: log it, tell the user
            log.exception("report documents for chat %s not sent", chat_id)
            await context.bot.send_message(chat_id, tc.GENERIC_ERROR)

    _track(context, files())


async def show_report(update: Update, context: BotContext) -> None:
    """/laporan: offers the period buttons, or reports the period typed as two dates."""
    args = list(context.args or [])
    if not args:
        done = await on_command(update, context, reports.authorize)
        if done is not None:
            await done[0].reply_text(t.PICK, reply_markup=keyboards.periods())
        return
    typed = await on_command(update, context, lambda uow, ctx: reports.typed(uow, ctx, args))
    if typed is not None:
        await _reply(context, typed[0].chat_id, typed[1])


async def pick_period(update: Update, context: BotContext) -> None:
    """A period button: reports the period it names."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        kind = Preset(callbacks.parse(query.data, callbacks.REPORT_PERIOD))
    except ValueError:  # BadCallback is a ValueError too
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return

    async def alert(text: str) -> bool:
        return await query.answer(text, show_alert=True)

    done = await run_use_case(
        update, context, lambda uow, ctx: reports.of_preset(uow, ctx, kind), alert, tc.refusal
    )
    if done is None:
        return
    await query.answer()
    await _reply(context, query.message.chat.id, done[0])


# --- the quarterly pack and the monthly summary -------------------------------------------


async def send_scheduled(context: BotContext) -> None:
    """Fires the scheduled reports due now and sends the documents still pending."""
    services = context.services
    if not services.calendar_loaded:
        await services.refresh_calendar()
    settings = services.settings
    async with services.uow() as uow:
        ctx = services.context()
        fired = await schedule.fire_due(uow, ctx)
        for item in fired:
            heading = t.QUARTERLY if item.kind is schedule.Kind.QUARTERLY else t.MONTHLY
            text = t.summary(
                item.prepared.report,
                settings.target_working_days,
                settings.deadline_working_days,
                heading,
            )
            for chat in item.chats:
                uow.queue(outbox_message(chat, text), ctx.now)
        if fired:
            await uow.commit()
            # Calls queued directly (not as notices) do not start the delivery themselves.
            if services.on_commit is not None:
                services.on_commit()
            log.info("scheduled reports fired: %s", ", ".join(f.kind.value for f in fired))
    await _deliver_pending(context)


async def _deliver_pending(context: BotContext) -> None:
    services = context.services
    async with services.uow() as uow:
        waiting = await schedule.pending(uow, services.context())
    built: dict[tuple[str, Period], reports.Documents] = {}
    for delivery in waiting:
        period = Period(delivery.period_start, delivery.period_end)
        key = (delivery.kind, period)
        try:
            if key not in built:
                async with services.uow() as uow:
                    prepared = await reports.prepare(uow, services.context(), period)
                built[key] = await _documents(services, prepared)
            await _send_documents(context.bot, delivery.chat_id, period, built[key])
        except (Forbidden, BadRequest) as error:
            async with services.uow() as uow:
                await schedule.failed(uow, services.context(), delivery, str(error), final=True)
            continue
        except TelegramError as error:
            async with services.uow() as uow:
                await schedule.failed(uow, services.context(), delivery, str(error), final=False)
            continue
        except (
            Exception
        ) as error:  # a report that cannot be built: tried a few times, then given up
            log.exception("report documents for chat %s not built", delivery.chat_id)
            async with services.uow() as uow:
                reason = f"{type(error).__name__}: {error}"
                await schedule.failed(uow, services.context(), delivery, reason, final=False)
            continue
        async with services.uow() as uow:
            await schedule.delivered(uow, services.context(), delivery)


async def private_only(update: Update, context: BotContext) -> None:
    """Tells that /laporan answers only in a private chat (its figures name people)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(t.PRIVATE_ONLY)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CommandHandler("laporan", show_report, filters=filters.ChatType.PRIVATE),
        CommandHandler("laporan", private_only, filters=filters.ChatType.GROUPS),
        CallbackQueryHandler(pick_period, pattern=callbacks.pattern(callbacks.REPORT_PERIOD)),
    ]
