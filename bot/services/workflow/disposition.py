"""Procedure 2-5: the disposition of a report, the light diagnosis, holds, hand-overs and
cancellations. Each use case runs one row of the transition table (`ticket_flow`)."""

from __future__ import annotations

from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import Classification, Role, TicketView
from bot.services.errors import InvalidState, NotFound
from bot.services.notices import (
    Assigned,
    ReportRejected,
    TicketCancelled,
    TicketClaimed,
    TicketHeld,
    TicketResumed,
)
from bot.services.tickets import commit_move, current_view, post_job_card
from bot.services.uow import UnitOfWork
from db.models import User

Action = flow.Action


async def _technician(uow: UnitOfWork, technician_id: int) -> User:
    technician = await uow.users.get(technician_id)
    if technician is None or Role.TECHNICIAN.value not in technician.roles:
        raise NotFound(what="technician")
    return technician


async def dispose(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    *,
    technician_id: int | None = None,
    note: str | None = None,
) -> TicketView:
    """Dispositions a new report to the technical team, or directly to one technician."""
    action = Action.DISPOSE_TEAM if technician_id is None else Action.DISPOSE_TECH
    coordinator, ticket = await flow.begin(uow, ctx, action, ticket_id)
    note = flow.typed_note(action, note)
    technician = None if technician_id is None else await _technician(uow, technician_id)
    # Given straight to a technician, the ticket is theirs at once, as if they had claimed it.
    claimed = {} if technician is None else {"assignee_id": technician.id, "claimed_at": ctx.now}
    await flow.move(
        uow, ctx, coordinator, ticket, action, note=note, disposition_note=note, **claimed
    )
    view = await current_view(uow, ticket.id, ctx)
    await post_job_card(uow, view, ctx.settings)
    if technician is not None:
        uow.notify(Assigned(technician.telegram_id, view))
        uow.notify(TicketClaimed(view.reporter_telegram_id, view))
    await uow.commit()
    return view


async def reject_report(uow: UnitOfWork, ctx: Context, ticket_id: int, reason: str) -> TicketView:
    """Rejects a new report as not a Batik.Net fault; the reporter is told why."""
    coordinator, ticket = await flow.begin(uow, ctx, Action.REJECT_REPORT, ticket_id)
    note = await flow.move(
        uow, ctx, coordinator, ticket, Action.REJECT_REPORT, note=reason, closed_at=ctx.now
    )
    view = await current_view(uow, ticket.id, ctx)
    uow.notify(ReportRejected(view.reporter_telegram_id, view, note or ""))
    await uow.commit()
    return view


async def technicians(
    uow: UnitOfWork, ctx: Context, ticket_id: int, action: flow.Action
) -> tuple[str, list[tuple[int, str]]]:
    """Returns a ticket's number and the technicians a coordinator can give it to now."""
    ticket = await flow.precheck(uow, ctx, action, ticket_id)
    people = await uow.users.with_role(Role.TECHNICIAN.value)
    return ticket.number, [(u.id, u.full_name) for u in people if u.id != ticket.assignee_id]


async def classify_light(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Marks the fault light: the same technician repairs it directly (procedure 5)."""
    technician, ticket = await flow.begin(uow, ctx, Action.CLASSIFY_LIGHT, ticket_id)
    await flow.move(
        uow,
        ctx,
        technician,
        ticket,
        Action.CLASSIFY_LIGHT,
        classification=Classification.LIGHT.value,
    )
    return await commit_move(uow, ticket.id, ctx)


async def hold(uow: UnitOfWork, ctx: Context, ticket_id: int, reason: str) -> TicketView:
    """Puts a ticket on hold while the OPD is awaited (clocks pause); the reporter is told."""
    user, ticket = await flow.begin(uow, ctx, Action.HOLD, ticket_id)
    note = await flow.move(uow, ctx, user, ticket, Action.HOLD, note=reason)
    return await commit_move(
        uow, ticket.id, ctx, lambda view: TicketHeld(view.reporter_telegram_id, view, note or "")
    )


async def resume(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Resumes a held ticket in the state it was in before the hold."""
    user, ticket = await flow.begin(uow, ctx, Action.RESUME, ticket_id)
    await flow.move(uow, ctx, user, ticket, Action.RESUME)
    return await commit_move(
        uow, ticket.id, ctx, lambda view: TicketResumed(view.reporter_telegram_id, view)
    )


async def reassign(
    uow: UnitOfWork, ctx: Context, ticket_id: int, technician_id: int
) -> TicketView:
    """Gives a ticket in work to another technician (coordinators only)."""
    coordinator, ticket = await flow.begin(uow, ctx, Action.REASSIGN, ticket_id)
    technician = await _technician(uow, technician_id)
    if ticket.assignee_id == technician.id:
        raise InvalidState("same_assignee", name=technician.full_name)
    await flow.move(
        uow,
        ctx,
        coordinator,
        ticket,
        Action.REASSIGN,
        note=technician.full_name,
        assignee_id=technician.id,
    )
    return await commit_move(
        uow, ticket.id, ctx, lambda view: Assigned(technician.telegram_id, view)
    )


async def cancel(uow: UnitOfWork, ctx: Context, ticket_id: int, reason: str) -> TicketView:
    """Cancels a ticket that is not yet in repair (coordinators only, reason required)."""
    coordinator, ticket = await flow.begin(uow, ctx, Action.CANCEL, ticket_id)
    note = await flow.move(
        uow, ctx, coordinator, ticket, Action.CANCEL, note=reason, closed_at=ctx.now
    )
    return await commit_move(
        uow,
        ticket.id,
        ctx,
        lambda view: TicketCancelled(view.reporter_telegram_id, view, note or ""),
    )
