"""Buttons of the repair procedure that need no typing: job-card steps and coordinator picks."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import on_button, on_pair_button
from bot.keyboards import workflow as keyboards
from bot.services import workflow
from bot.services.context import Context
from bot.services.domain import Decision, MaterialRequestView, TicketView
from bot.services.errors import DomainError
from bot.services.ticket_flow import Action
from bot.services.uow import UnitOfWork
from bot.texts import workflow as t
from bot.texts.common import esc
from bot.texts.common import refusal as common_refusal


def refusal(error: DomainError) -> str:
    """Returns the message for a refused workflow action."""
    return common_refusal(error)


async def classify_light(update: Update, context: BotContext) -> None:
    """Marks the fault light: the technician repairs it directly."""
    done = await on_button(update, context, callbacks.LIGHT, workflow.classify_light, refusal)
    if done is not None:
        query, _, ticket = done
        await query.answer(t.LIGHT_DONE.format(number=ticket.number), show_alert=True)


# The job card's buttons that open a private form: the action checked first, the link's prefix.
FORMS = {
    callbacks.HEAVY: (Action.REQUEST_MATERIAL, callbacks.START_MATERIAL),
    callbacks.REPAIR: (Action.REPORT_REPAIR, callbacks.START_REPAIR),
}


async def _open_private(update: Update, context: BotContext, button: str) -> None:
    """Sends the technician to a private wizard through a t.me deep link."""
    action, prefix = FORMS[button]
    done = await on_button(
        update,
        context,
        button,
        lambda uow, ctx, ticket_id: workflow.precheck(uow, ctx, action, ticket_id),
        refusal,
    )
    if done is not None:
        query, ticket_id, _ = done
        # Telegram lets a callback answer open t.me/<bot>?start=... links directly.
        await query.answer(url=f"https://t.me/{context.bot.username}?start={prefix}{ticket_id}")


async def request_material(update: Update, context: BotContext) -> None:
    """Opens the material request wizard (heavy fault) in the technician's private chat."""
    await _open_private(update, context, callbacks.HEAVY)


async def report_repair(update: Update, context: BotContext) -> None:
    """Opens the repair report wizard in the technician's private chat."""
    await _open_private(update, context, callbacks.REPAIR)


async def resume_ticket(update: Update, context: BotContext) -> None:
    """Resumes a held ticket."""
    done = await on_button(update, context, callbacks.RESUME, workflow.resume, refusal)
    if done is not None:
        query, _, ticket = done
        await query.answer(t.RESUMED.format(number=ticket.number))


async def _show_technicians(
    update: Update, context: BotContext, button: str, action: Action, pick_button: str
) -> None:
    async def people(
        uow: UnitOfWork, ctx: Context, ticket_id: int
    ) -> tuple[str, list[tuple[int, str]]]:
        return await workflow.technicians(uow, ctx, ticket_id, action)

    done = await on_button(update, context, button, people, refusal)
    if done is None:
        return
    query, ticket_id, (number, technicians) = done
    if not technicians or query.message is None:
        await query.answer(t.NO_TECHNICIANS, show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(
        query.message.chat.id,
        t.PICK_TECHNICIAN.format(number=number),
        reply_markup=keyboards.technician_picker(ticket_id, technicians, pick_button),
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

    async def reassign(uow: UnitOfWork, ctx: Context, pair: tuple[int, int]) -> TicketView:
        ticket_id, technician_id = pair
        return await workflow.reassign(uow, ctx, ticket_id, technician_id)

    done = await on_pair_button(update, context, callbacks.REASSIGN_TO, reassign, refusal)
    if done is not None:
        query, _, ticket = done
        await query.answer()
        text = t.REASSIGNED.format(number=ticket.number, name=esc(ticket.assignee_name or "-"))
        await query.edit_message_text(text)


async def approve_material(update: Update, context: BotContext) -> None:
    """Approves a material request: the repair is ordered (procedure 7)."""

    async def approve(uow: UnitOfWork, ctx: Context, request_id: int) -> MaterialRequestView:
        return await workflow.decide_material(uow, ctx, request_id, Decision.APPROVE)

    done = await on_button(update, context, callbacks.MATERIAL_APPROVE, approve, refusal)
    if done is not None:
        query, _, request = done
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
