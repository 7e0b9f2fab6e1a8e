"""What a ticket offers the person looking at it: the photos taken after the repair, and whether
the OPD may still withdraw its report (the `/tiket` buttons)."""

from __future__ import annotations

from bot.services import ticket_flow as flow
from bot.services.berita_acara import confirmations
from bot.services.berita_acara.confirmations import Awaited
from bot.services.context import Context
from bot.services.domain import Role, Status, TicketView
from bot.services.errors import NotFound
from bot.services.tickets import can_see, detail_rows, ticket_view
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


async def detail(
    uow: UnitOfWork, ctx: Context, number: str
) -> tuple[TicketView, bool, tuple[Awaited, ...]]:
    """Returns `/tiket`'s view of a ticket, whether it offers the viewer «Batalkan laporan»
    (to reporters of the ticket's OPD while the table still lets the OPD withdraw the report),
    and who its berita acara still waits for (only a closed ticket can have one waiting)."""
    await uow.read_only()
    view, user, ticket = await detail_rows(uow, ctx, number)
    waiting: tuple[Awaited, ...] = ()
    if view.status == Status.CLOSED and not view.has_berita_acara:
        waiting = await confirmations.waiting_for(uow, view.id)
    withdraw = (
        flow.allows(flow.Action.WITHDRAW, Status(view.status), assigned=False)
        and Role.REPORTER.value in user.roles
        and user.opd_id == ticket.opd_id
    )
    return view, withdraw, waiting
