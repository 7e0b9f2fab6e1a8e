"""Procedure 6-7: a heavy fault's material request and the penanggung jawab's decision."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services import attachments
from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import (
    Classification,
    Decision,
    FileRef,
    MaterialLine,
    MaterialRequestView,
    Role,
    TicketView,
)
from bot.services.errors import InvalidState, NotFound, found
from bot.services.notices import ApprovalRequest, MaterialDecided
from bot.services.tech_group import tech_group_id
from bot.services.tickets import add_attachments, commit_move, refresh_card, ticket_view
from bot.services.uow import UnitOfWork
from bot.services.workflow.validation import (
    clean_equipment,
    clean_long_text,
    clean_material_line,
)
from db.models import Attachment, MaterialItem, MaterialRequest, Ticket

Action = flow.Action
# The action of each decision, and the status the request is left in.
DECISIONS = {
    Decision.APPROVE: (Action.MATERIAL_APPROVE, "approved"),
    Decision.REJECT: (Action.MATERIAL_REJECT, "rejected"),
    Decision.REVISE: (Action.MATERIAL_REVISE, "revision"),
}


def _request_view(
    request: MaterialRequest, ticket: Ticket, photos: Sequence[Attachment] = ()
) -> MaterialRequestView:
    return MaterialRequestView(
        id=request.id,
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        opd_name=ticket.opd.name,
        technician_name=request.technician.full_name,
        technician_telegram_id=request.technician.telegram_id,
        reason=request.reason,
        items=tuple(
            MaterialLine(i.name, i.specification, i.quantity, i.unit) for i in request.items
        ),
        status=request.status,
        submitted_at=request.submitted_at,
        decided_at=request.decided_at,
        decided_by=request.decided_by.full_name if request.decided_by else None,
        decision_note=request.decision_note,
        photos=tuple(attachments.stored(a) for a in photos),
    )


async def submit_material_request(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    items: Sequence[MaterialLine],
    reason: str,
    photos: Sequence[FileRef],
) -> MaterialRequestView:
    """Files the equipment a heavy fault needs; the penanggung jawab gets an approval card."""
    technician, ticket = await flow.begin(uow, ctx, Action.REQUEST_MATERIAL, ticket_id)
    lines = clean_equipment(items, clean_material_line, photos, required=True)
    reason = clean_long_text(reason, "reason")
    await flow.move(
        uow,
        ctx,
        technician,
        ticket,
        Action.REQUEST_MATERIAL,
        note=reason,
        classification=Classification.HEAVY.value,
    )
    request = MaterialRequest(
        ticket_id=ticket.id,
        technician_id=technician.id,
        reason=reason,
        status="pending",
        submitted_at=ctx.now,
    )
    request.items = [
        MaterialItem(name=i.name, specification=i.specification, quantity=i.quantity, unit=i.unit)
        for i in lines
    ]
    uow.workflow.add(request)
    stored = add_attachments(
        uow, ticket.id, technician, [("material", ref) for ref in photos], ctx.now
    )
    await uow.tickets.flush()
    fresh = await uow.workflow.material_request(request.id)
    assert fresh is not None  # noqa: S101 - just written
    view = _request_view(fresh, ticket, stored)
    card = await refresh_card(uow, ticket.id, ctx)
    coordinators = [u.telegram_id for u in await uow.users.with_role(Role.COORDINATOR.value)]
    group = await tech_group_id(uow, ctx.settings)
    # Without a registered penanggung jawab the request would wait for nobody: the group sees it.
    for chat in coordinators or ([group] if group is not None else []):
        uow.notify(ApprovalRequest(chat, card, view))
    await uow.commit()
    return view


async def _pending(uow: UnitOfWork, request_id: int) -> tuple[MaterialRequest, Ticket]:
    request = found(await uow.workflow.material_request(request_id), NotFound(what="request"))
    ticket = await flow.load(uow, request.ticket_id)
    if request.status != "pending":
        raise InvalidState("already_decided", number=ticket.number)
    return request, ticket


async def precheck_decision(
    uow: UnitOfWork, ctx: Context, action: Action, request_id: int
) -> TicketView:
    """Refuses a decision early (before its reason is asked) and returns the ticket."""
    user = await flow.permit(uow, ctx, action)
    _request, ticket = await _pending(uow, request_id)
    flow.relate(user, ticket, action)
    flow.check(ticket, action)
    return ticket_view(ticket)


async def decide_material(
    uow: UnitOfWork,
    ctx: Context,
    request_id: int,
    decision: Decision,
    note: str | None = None,
) -> MaterialRequestView:
    """Approves (orders the repair), rejects or sends back a material request."""
    action, outcome = DECISIONS[decision]
    coordinator = await flow.permit(uow, ctx, action)
    request, ticket = await _pending(uow, request_id)
    flow.relate(coordinator, ticket, action)
    note = await flow.move(uow, ctx, coordinator, ticket, action, note=note)
    won = await uow.workflow.decide(request.id, outcome, coordinator.id, ctx.now, note)
    if not won:
        raise InvalidState("already_decided", number=ticket.number)
    await uow.tickets.flush()
    fresh = await uow.workflow.material_request(request.id, refresh=True)
    assert fresh is not None  # noqa: S101 - just read
    view = _request_view(fresh, ticket)
    await commit_move(
        uow, ticket.id, ctx, lambda card: MaterialDecided(view.technician_telegram_id, card, view)
    )
    return view


async def approved_items(uow: UnitOfWork, ticket_id: int) -> tuple[MaterialLine, ...]:
    """Returns the items of the ticket's approved material request (the repair's start list)."""
    request = await uow.workflow.approved_request(ticket_id)
    if request is None:
        return ()
    return tuple(MaterialLine(i.name, i.specification, i.quantity, i.unit) for i in request.items)
