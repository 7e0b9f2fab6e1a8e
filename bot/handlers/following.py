"""Following up: /status and /tiket."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext, use_case
from bot.handlers.support import on_command
from bot.keyboards import tickets as ticket_keyboards
from bot.services import complaints, tickets
from bot.services.complaints import ComplaintView
from bot.services.context import Context
from bot.services.errors import DomainError
from bot.services.uow import UnitOfWork
from bot.texts import common as tc
from bot.texts import complaints as tcomp
from bot.texts import tickets as t


async def show_status(update: Update, context: BotContext) -> None:
    """Lists the tickets the user follows."""
    if update.effective_message is None:
        return
    async with context.services.uow() as uow:
        own = await complaints.mine(uow, use_case(update, context))

    def refusal(error: DomainError) -> str:
        # Someone with complaints but no ticket role still follows their complaints here.
        return tcomp.status_section(own) if own else tc.refusal(error)

    done = await on_command(
        update, context, lambda uow, ctx: tickets.overview(uow, ctx.who), refusal
    )
    if done is not None:
        message, data = done
        text = t.overview(data)
        await message.reply_text(f"{text}\n\n{tcomp.status_section(own)}" if own else text)


async def show_ticket(update: Update, context: BotContext) -> None:
    """Shows one ticket with its timeline."""
    message = update.effective_message
    if message is None:
        return
    if not context.args:
        await message.reply_text(t.TIKET_USAGE)
        return
    number = context.args[0]
    if complaints.is_complaint_number(number):
        await _show_complaint(update, context, message, number)
        return
    done = await on_command(
        update, context, lambda uow, ctx: tickets.detail(uow, ctx.who, number, ctx)
    )
    if done is not None:
        _, ticket = done
        await message.reply_text(t.detail(ticket), reply_markup=ticket_keyboards.detail(ticket))


async def _show_complaint(
    update: Update, context: BotContext, message: Message, number: str
) -> None:
    """Shows one complaint with its timeline to the complainant or staff; in a group, whoever
    asks, without the complainant's identity."""
    shared = message.chat.type != ChatType.PRIVATE

    async def detail(uow: UnitOfWork, ctx: Context) -> ComplaintView:
        return await complaints.detail(uow, ctx, number, shared=shared)

    done = await on_command(update, context, detail, tcomp.refusal)
    if done is not None:
        await message.reply_text(tcomp.detail(done[1]))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("status", show_status), CommandHandler("tiket", show_ticket)]
