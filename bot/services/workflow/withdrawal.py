"""The OPD withdraws a report it filed by mistake, until the repair starts (issue 11 §5)."""

from __future__ import annotations

from bot.services import letters
from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import Role, Status, TicketView
from bot.services.notices import TicketWithdrawn
from bot.services.tickets import current_view, update_job_card
from bot.services.uow import UnitOfWork

Action = flow.Action


async def withdraw(uow: UnitOfWork, ctx: Context, ticket_id: int, reason: str) -> TicketView:
    """Cancels the report at the OPD's request (a reporter of its OPD, reason required): the job
    card shows it, the technician group, the assigned technician and the coordinators are told.
    """
    reporter, ticket = await flow.begin(uow, ctx, Action.WITHDRAW, ticket_id)
    before = Status(ticket.status)
    note = await flow.move(
        uow, ctx, reporter, ticket, Action.WITHDRAW, note=reason, closed_at=ctx.now
    )
    view = await current_view(uow, ticket.id, ctx)

    def told(chat: int, place: letters.GroupPlace | None = None) -> TicketWithdrawn:
        reply_to, thread = (place.reply_to, place.thread_id) if place else (None, None)
        return TicketWithdrawn(chat, view, note or "", reporter.full_name, reply_to, thread)

    # A new report has no job card yet: only its coordinators know of it.
    if before is not Status.NEW:
        await update_job_card(uow, view, ctx.settings)
        place = await letters.group_place(uow, ctx.settings, ticket.id)
        if place is not None:
            uow.notify(told(place.chat_id, place))
    if view.assignee_telegram_id is not None:
        uow.notify(told(view.assignee_telegram_id))
    for chat in await uow.users.chats_with_role(Role.COORDINATOR.value):
        if chat != view.assignee_telegram_id:
            uow.notify(told(chat))
    await uow.commit()
    return view
