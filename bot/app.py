"""Builds the PTB Application: wiring only."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    BaseRateLimiter,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot import jobs, render
from bot.answers import AnsweredQueries
from bot.context import DELIVERY_KEY, SERVICES_KEY, BotApp, BotContext
from bot.conversations import (
    ba_confirm,
    complaint_answer,
    complaint_file,
    letter,
    material_request,
    profile,
    reason,
    registration,
    repair_report,
    report_fault,
    sign_off,
    survey,
    ticket_message,
    wizard,
)
from bot.handlers import (
    admin,
    calendar_admin,
    common,
    documents,
    following,
    opd_ticket,
    queues,
    technician_group,
    ticket_messages,
    verification,
    workflow,
)
from bot.handlers import complaints as complaint_handlers
from bot.handlers import info as info_handlers
from bot.handlers import reports as report_handlers
from bot.handlers import skm as skm_handlers
from bot.ops import backup, dedupe
from bot.outbox import OutboxDelivery, duplicate_card_handler
from bot.pacing import PacedLimiter, Pacer
from bot.persistence import DatabasePersistence
from bot.services.container import Services
from bot.texts import help as help_texts

OUTBOX_RETRY_SECONDS = 15


def build_application(
    services: Services,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    persistence_interval: float = 5,
    pacer: Pacer | None = None,
) -> BotApp:
    """Creates the Application with handlers, jobs, persistence and the outbox."""
    settings = services.settings
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    pacer = pacer or Pacer()
    builder = (
        Application.builder()
        # Skips an update processed before (Telegram redelivers what was not confirmed).
        .application_class(dedupe.DedupingApplication)
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.timezone)))
        .context_types(ContextTypes(context=BotContext))
        # Every request passes the rate limiter; the wrapper notes which presses were answered.
        # Direct replies go at once; the outbox waits for the pacer's slots (bot/pacing.py).
        .rate_limiter(AnsweredQueries(rate_limiter or PacedLimiter(pacer)))
        .persistence(DatabasePersistence(services, update_interval=persistence_interval))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: BotApp = builder.build()

    delivery = OutboxDelivery(services, app.bot, pacer)
    services.renderer = render.render
    services.on_commit = delivery.kick
    app.bot_data[SERVICES_KEY] = services
    app.bot_data[DELIVERY_KEY] = delivery

    # Group -3 runs before everything: no handler ever sees a control character (NUL breaks
    # PostgreSQL).
    app.add_handler(common.first_of_all(), group=-3)
    # A press on a copy of a card (a post repeated after a timeout) deletes the copy and goes
    # no further; every other press passes this earlier group untouched.
    app.add_handler(duplicate_card_handler(), group=-2)
    # Order matters: conversations first, so their steps see text before the general handlers;
    # the catch-alls for unknown commands and leftover button presses come last.
    app.add_handlers(verification.handlers())  # before the invite link takes `/start ba_...`
    app.add_handler(registration.conversation(settings))
    app.add_handler(report_fault.conversation(settings))
    # The private wizards of the repair procedure; the sign-off's rating buttons and the
    # berita acara resend also work outside a conversation (after the wizards, same group).
    app.add_handler(material_request.conversation(settings))
    app.add_handler(repair_report.conversation(settings))
    app.add_handler(wizard.build(sign_off.FLOW, settings))
    app.add_handler(letter.conversation(settings))
    app.add_handler(ticket_message.conversation(settings))
    app.add_handler(ba_confirm.conversation(settings))
    app.add_handler(profile.conversation(settings))
    app.add_handlers(sign_off.handlers())
    app.add_handlers(documents.handlers())
    app.add_handler(complaint_file.conversation(settings))
    app.add_handler(complaint_answer.conversation(settings))
    # The SKM survey (/survei, or the offer after the rating); «Lain kali» and /skm after it.
    app.add_handler(survey.conversation(settings))
    app.add_handlers(skm_handlers.handlers())
    app.add_handlers(admin.handlers())
    app.add_handlers(technician_group.handlers())
    app.add_handlers(workflow.handlers())
    app.add_handlers(following.handlers())
    app.add_handlers(opd_ticket.handlers())
    app.add_handlers(queues.handlers())  # /status, /cari
    app.add_handlers(complaint_handlers.handlers())
    app.add_handlers(info_handlers.handlers())
    app.add_handlers(report_handlers.handlers())
    app.add_handlers(calendar_admin.handlers())
    # Replies to a ticket's messages and messages in its topic: before the catch-alls.
    app.add_handlers(ticket_messages.handlers())
    app.add_handlers(common.handlers())
    # Last of all: a press that no handler above took is still answered.
    app.add_handler(common.last_resort())
    # ... and a private message that no form or command took gets the person's main commands.
    app.add_handler(common.stray())
    # A pending reason prompt sees its person's next update before any other handler: it
    # takes the answer, or ends and lets a command, button or form go on (its own group).
    app.add_handler(reason.conversation(settings), group=reason.GROUP)
    # Notes which groups are forums (a ticket gets its topic there); its own group sees all.
    app.add_handler(ticket_messages.forum_watch(), group=ticket_messages.FORUM_WATCH_GROUP)
    app.add_error_handler(common.on_error)

    assert app.job_queue is not None  # noqa: S101 - the job-queue extra is a dependency
    app.job_queue.run_repeating(
        jobs.retry_outbox, interval=OUTBOX_RETRY_SECONDS, first=1, name="outbox-retry"
    )
    app.job_queue.run_repeating(jobs.sweep_sla, interval=60, first=2, name="sla-sweep")
    app.job_queue.run_repeating(
        jobs.sweep_complaints, interval=60, first=3, name="complaint-sweep"
    )
    app.job_queue.run_repeating(jobs.send_reports, interval=60, first=4, name="report-schedule")
    app.job_queue.run_repeating(dedupe.prune, interval=3600, first=60, name="update-prune")
    if settings.backup_dir:
        app.job_queue.run_daily(backup.daily_backup, time=settings.backup_time, name="backup")
    return app


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publishes the command menu."""
    commands = [BotCommand(name, text) for name, text in help_texts.MENU]
    await app.bot.set_my_commands(commands)


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Lets a running delivery pass finish."""
    delivery = app.bot_data.get(DELIVERY_KEY)
    if isinstance(delivery, OutboxDelivery):
        await delivery.wait_idle()
