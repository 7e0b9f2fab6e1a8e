"""The OPD's request letter sent after the report (marked "menyusul" when reporting)."""

from __future__ import annotations

from datetime import date

from bot.services import history, letters, sla
from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import FileRef, Role, Status, TicketView
from bot.services.errors import InvalidState
from bot.services.notices import LetterAdded
from bot.services.tickets import add_attachments, current_view, ticket_view, update_job_card
from bot.services.uow import UnitOfWork
from db.models import Ticket, TicketEvent

_ENDED = (Status.CLOSED.value, Status.CANCELLED.value)


def _awaited(ticket: Ticket) -> None:
    """Refuses unless the ticket still awaits its letter (marked "menyusul", not ended)."""
    if ticket.letter_status != "follows":
        raise InvalidState("letter_present", number=ticket.number)
    if ticket.status in _ENDED:
        raise InvalidState(number=ticket.number, status=ticket.status)


async def check_letter(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Checks that the actor may send the late request letter of the ticket now."""
    _reporter, ticket = await flow.begin(uow, ctx, flow.Who.OPD_REPORTER, ticket_id)
    _awaited(ticket)
    return ticket_view(ticket)


async def add_letter(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    letter: FileRef,
    *,
    number: str | None = None,
    dated: date | None = None,
) -> TicketView:
    """Attaches the OPD's request letter that was marked "menyusul", with its number and date
    when given; it goes to the coordinators and to the job card in the technician group."""
    reporter, ticket = await flow.begin(uow, ctx, flow.Who.OPD_REPORTER, ticket_id)
    _awaited(ticket)
    number = letters.clean_number(number) if number is not None else None
    dated = letters.parse_date(dated.isoformat(), letters.local_today(ctx)) if dated else None
    ticket.letter_status = "attached"
    ticket.letter_number, ticket.letter_date = number, dated
    ticket.updated_at = ctx.now
    add_attachments(uow, ticket.id, reporter, [("letter", letter)], ctx.now)
    uow.events.add(
        history.entry(
            TicketEvent, ctx.now, reporter, "letter_added", note=number, ticket_id=ticket.id
        )
    )
    await uow.tickets.flush()
    # The reminders of the letter end here.
    await sla.reschedule(uow, await flow.load(uow, ticket.id), ctx)
    view = await current_view(uow, ticket.id, ctx)
    # A new report has no job card yet: the card posted at its disposition carries the letter.
    if view.status is not Status.NEW:
        place = await letters.group_place(uow, ctx.settings, ticket.id)
        if place is not None:
            uow.notify(LetterAdded(place.chat_id, view, place.reply_to, place.thread_id))
        await update_job_card(uow, view, ctx.settings)
    for chat in await uow.users.chats_with_role(Role.COORDINATOR.value):
        uow.notify(LetterAdded(chat, view))
    await uow.commit()
    return view
