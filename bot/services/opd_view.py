"""What a ticket offers the person looking at it: the photos taken after the repair, and whether
the OPD may still withdraw its report (the `/tiket` buttons)."""

from __future__ import annotations

from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import Role, Status, TicketView
from bot.services.errors import NotFound
from bot.services.tickets import can_see, ticket_view
from bot.services.uow import UnitOfWork
from bot.services.users import require_user


async def repair_photos(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Returns a ticket with its photos after the repair, to people allowed to see it."""
    user = await require_user(uow, ctx.who)
    ticket = await flow.load(uow, ticket_id)
    if not can_see(user, ticket):
        raise NotFound(what="ticket")
    view = ticket_view(ticket)
    if not view.after_photos:
        raise NotFound(what="repair_photos")
    return view


async def may_withdraw(uow: UnitOfWork, ctx: Context, ticket: TicketView) -> bool:
    """Tells whether the actor is a reporter of the ticket's OPD and the table still lets the
    OPD withdraw the report (so /tiket offers «Batalkan laporan» to them only)."""
    if not flow.allows(flow.Action.WITHDRAW, Status(ticket.status), assigned=False):
        return False
    user = await uow.users.by_telegram_id(ctx.who.telegram_id)
    row = await uow.tickets.get(ticket.id)
    return (
        user is not None
        and row is not None
        and Role.REPORTER.value in user.roles
        and user.opd_id == row.opd_id
    )
