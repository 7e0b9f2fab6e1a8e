"""Buttons of the repair procedure that need no typing: job-card steps and coordinator picks."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext, actor_of, use_case
from bot.keyboards import workflow as keyboards
from bot.services import workflow
from bot.services.domain import Decision
from bot.services.errors import DomainError
from bot.services.ticket_flow import Action
from bot.texts import workflow as t
from bot.texts.common import REFUSALS, esc
from bot.texts.common import refusal as common_refusal


def refusal(error: DomainError) -> str:
    """Returns the message for a refused workflow action."""
    return common_refusal(error)


async def _pair(query: CallbackQuery, action: str) -> tuple[int, int] | None:
    try:
        first, _, second = callbacks.parse(query.data, action).partition("_")
        return int(first), int(second)
    except (callbacks.BadCallback, ValueError):
        await query.answer(REFUSALS["stale_button"], show_alert=True)
        return None


async def _id(query: CallbackQuery, action: str) -> int | None:
    try:
        return callbacks.parse_int(query.data, action)
    except callbacks.BadCallback:
        await query.answer(REFUSALS["stale_button"], show_alert=True)
        return None


async def classify_light(update: Update, context: BotContext) -> None:
    """Marks the fault light: the technician repairs it directly."""
    query = update.callback_query
    if query is None or (ticket_id := await _id(query, callbacks.LIGHT)) is None:
        return
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            ticket = await workflow.classify_light(uow, ctx.who, ticket_id, ctx)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    await query.answer(t.LIGHT_DONE.format(number=ticket.number), show_alert=True)


async def _open_private(update: Update, context: BotContext, action: str, prefix: str) -> None:
    """Sends the technician to a private wizard through a t.me deep link."""
    query = update.callback_query
    if query is None or (ticket_id := await _id(query, action)) is None:
        return
    check = workflow.check_heavy if action == callbacks.HEAVY else workflow.check_repair
    try:
        async with context.services.uow() as uow:
            await check(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    # Telegram lets a callback answer open t.me/<bot>?start=... links directly.
    await query.answer(url=f"https://t.me/{context.bot.username}?start={prefix}{ticket_id}")


async def request_material(update: Update, context: BotContext) -> None:
    """Opens the material request wizard (heavy fault) in the technician's private chat."""
    await _open_private(update, context, callbacks.HEAVY, callbacks.START_MATERIAL)


async def report_repair(update: Update, context: BotContext) -> None:
    """Opens the repair report wizard in the technician's private chat."""
    await _open_private(update, context, callbacks.REPAIR, callbacks.START_REPAIR)


async def resume_ticket(update: Update, context: BotContext) -> None:
    """Resumes a held ticket."""
    query = update.callback_query
    if query is None or (ticket_id := await _id(query, callbacks.RESUME)) is None:
        return
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            ticket = await workflow.resume(uow, ctx.who, ticket_id, ctx)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    await query.answer(t.RESUMED.format(number=ticket.number))


async def _show_technicians(
    update: Update, context: BotContext, button: str, action: Action, pick_button: str
) -> None:
    query = update.callback_query
    if query is None or (ticket_id := await _id(query, button)) is None:
        return
    try:
        async with context.services.uow() as uow:
            number, people = await workflow.technicians(uow, actor_of(update), ticket_id, action)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    if not people or query.message is None:
        await query.answer(t.NO_TECHNICIANS, show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(
        query.message.chat.id,
        t.PICK_TECHNICIAN.format(number=number),
        reply_markup=keyboards.technician_picker(ticket_id, people, pick_button),
    )


async def pick_for_disposition(update: Update, context: BotContext) -> None:
    """Shows the technicians a coordinator can disposition a new report to."""
    await _show_technicians(
        update, context, callbacks.DISPOSE_PICK, Action.DISPOSE_TECH, callbacks.DISPOSE_TECH
    )


async def pick_for_reassignment(update: Update, context: BotContext) -> None:
    """Shows the technicians a coordinator can hand a ticket over to."""
    await _show_technicians(
        update, context, callbacks.REASSIGN, Action.REASSIGN, callbacks.REASSIGN_TO
    )


async def reassign_ticket(update: Update, context: BotContext) -> None:
    """Hands a ticket over to the technician picked by the coordinator."""
    query = update.callback_query
    if query is None or (pair := await _pair(query, callbacks.REASSIGN_TO)) is None:
        return
    ticket_id, technician_id = pair
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            ticket = await workflow.reassign(uow, ctx.who, ticket_id, technician_id, ctx)
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    await query.answer()
    text = t.REASSIGNED.format(number=ticket.number, name=esc(ticket.assignee_name or "-"))
    await query.edit_message_text(text)


async def approve_material(update: Update, context: BotContext) -> None:
    """Approves a material request: the repair is ordered (procedure 7)."""
    query = update.callback_query
    if query is None or (request_id := await _id(query, callbacks.MATERIAL_APPROVE)) is None:
        return
    ctx = use_case(update, context)
    try:
        async with context.services.uow() as uow:
            request = await workflow.decide_material(
                uow, ctx.who, request_id, Decision.APPROVE, ctx
            )
    except DomainError as error:
        await query.answer(refusal(error), show_alert=True)
        return
    await query.answer(t.APPROVED.format(number=request.ticket_number))
    await query.edit_message_reply_markup(reply_markup=None)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    routes = {
        callbacks.LIGHT: classify_light,
        callbacks.HEAVY: request_material,
        callbacks.REPAIR: report_repair,
        callbacks.RESUME: resume_ticket,
        callbacks.DISPOSE_PICK: pick_for_disposition,
        callbacks.REASSIGN: pick_for_reassignment,
        callbacks.REASSIGN_TO: reassign_ticket,
        callbacks.MATERIAL_APPROVE: approve_material,
    }
    return [
        CallbackQueryHandler(callback, pattern=callbacks.pattern(action))
        for action, callback in routes.items()
    ]
