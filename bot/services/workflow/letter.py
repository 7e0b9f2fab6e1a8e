"""The OPD's request letter sent after the report (marked "menyusul" when reporting)."""

from __future__ import annotations

from bot.services import history
from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import FileRef, TicketView
from bot.services.errors import InvalidState
from bot.services.notices import LetterAdded
from bot.services.tech_group import tech_group_id
from bot.services.tickets import (
    add_attachments,
    current_view,
    ticket_view,
    update_job_card,
)
from bot.services.uow import UnitOfWork
from db.models import TicketEvent


async def check_letter(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Checks that the actor may send the late request letter of the ticket now."""
    _reporter, ticket = await flow.begin(uow, ctx, flow.Who.OPD_REPORTER, ticket_id)
    if ticket.letter_status != "follows":
        raise InvalidState("letter_present", number=ticket.number)
    return ticket_view(ticket)


async def add_letter(uow: UnitOfWork, ctx: Context, ticket_id: int, letter: FileRef) -> TicketView:
    """Attaches the OPD's request letter that was marked "menyusul"; the group receives it."""
    reporter, ticket = await flow.begin(uow, ctx, flow.Who.OPD_REPORTER, ticket_id)
    if ticket.letter_status != "follows":
        raise InvalidState("letter_present", number=ticket.number)
    ticket.letter_status = "attached"
    ticket.updated_at = ctx.now
    add_attachments(uow, ticket.id, reporter, [("letter", letter)], ctx.now)
    uow.events.add(
        history.entry(TicketEvent, ctx.now, reporter, "letter_added", ticket_id=ticket.id)
    )
    await uow.tickets.flush()
    view = await current_view(uow, ticket.id, ctx)
    group = await tech_group_id(uow, ctx.settings)
    if group is not None:
        uow.notify(LetterAdded(group, view))
    await update_job_card(uow, view, ctx.settings)
    await uow.commit()
    return view
