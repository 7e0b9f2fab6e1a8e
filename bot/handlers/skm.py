"""The SKM outside its form: «Lain kali» on the survey offer, and `/skm [period]`, the result
for the kabid and the admins (period buttons switch the shown period in place)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext
from bot.conversations import survey
from bot.handlers.support import (
    edit_unless_shown,
    on_button,
    on_command,
    remember_shown,
    run_use_case,
)
from bot.services import skm
from bot.services.context import Context
from bot.services.skm import Participation, PeriodKind, SkmPeriod, SkmResult
from bot.services.uow import UnitOfWork
from bot.texts import refusals
from bot.texts import skm as t

PERIOD = "skm_p"  # a period button under a result: `bulan`, `triwulan`, `tahun`


def _periods() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=callbacks.make(PERIOD, kind.value))
                for kind, label in t.PERIOD_BUTTONS.items()
            ]
        ]
    )


async def decline_survey(update: Update, context: BotContext) -> None:
    """Records «Lain kali» on the survey offer and takes the offer's buttons away."""

    async def declined(uow: UnitOfWork, ctx: Context, _: int) -> Participation | None:
        return await skm.decline(uow, ctx)

    done = await on_button(update, context, survey.LATER, declined, refusals.refusal)
    if done is None:
        return
    query, _, before = done
    if before is Participation.DECLINED:  # a second tap: the buttons are gone already
        await query.answer()
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.message is not None:
        text = t.ALREADY_ANSWERED if before is Participation.ANSWERED else t.DECLINED
        await query.message.chat.send_message(text)


async def show_skm(update: Update, context: BotContext) -> None:
    """Shows the SKM of a period (this quarter by default) to the kabid and admins."""
    words = list(context.args or [])
    done = await on_command(
        update, context, lambda uow, ctx: skm.skm_report(uow, ctx, words), refusals.refusal
    )
    if done is None:
        return
    message, (chosen, figures) = done
    text, markup = t.result(chosen, figures), _periods()
    sent = await message.reply_text(text, reply_markup=markup)
    remember_shown(context.chat_data, sent, text, markup)


async def switch_period(update: Update, context: BotContext) -> None:
    """Shows the result of the period pressed under an earlier result."""
    query = update.callback_query
    if query is None:
        return
    try:
        kind = PeriodKind(callbacks.parse(query.data, PERIOD))
    except ValueError:  # BadCallback is a ValueError too
        await query.answer(refusals.REFUSALS["stale_button"], show_alert=True)
        return

    async def report(uow: UnitOfWork, ctx: Context) -> tuple[SkmPeriod, SkmResult]:
        return await skm.skm_report(uow, ctx, [kind.value])

    async def alert(text: str) -> bool:
        return await query.answer(text, show_alert=True)

    done = await run_use_case(update, context, report, alert, refusals.refusal)
    if done is None:
        return
    chosen, figures = done[0]
    await query.answer()
    await edit_unless_shown(query, context.chat_data, t.result(chosen, figures), _periods())


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [
        CallbackQueryHandler(decline_survey, pattern=callbacks.pattern(survey.LATER)),
        CallbackQueryHandler(switch_period, pattern=callbacks.pattern(PERIOD)),
        CommandHandler("skm", show_skm),
    ]
