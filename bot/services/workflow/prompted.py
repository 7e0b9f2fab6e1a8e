"""Actions that ask the actor for a reason (or an optional note) or fill a form before they run:
the early check before the prompt or the form opens, and the run with the text given."""

from __future__ import annotations

from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import Decision, MaterialRequestView, TicketView
from bot.services.tickets import ticket_view
from bot.services.uow import UnitOfWork
from bot.services.workflow import disposition, material, repair, withdrawal

Action = flow.Action
# The decisions on a material request: their id is the request's, not the ticket's.
_DECISIONS = {
    Action.MATERIAL_APPROVE: Decision.APPROVE,
    Action.MATERIAL_REJECT: Decision.REJECT,
    Action.MATERIAL_REVISE: Decision.REVISE,
}


async def precheck(uow: UnitOfWork, ctx: Context, action: Action, ident: int) -> TicketView:
    """Refuses early (before asking for text or opening a form) and returns the ticket."""
    if action in _DECISIONS:
        return await material.precheck_decision(uow, ctx, action, ident)
    return ticket_view(await flow.precheck(uow, ctx, action, ident))


async def run_prompted(
    uow: UnitOfWork,
    ctx: Context,
    action: Action,
    ident: int,
    text: str | None,
    technician_id: int | None = None,
) -> TicketView | MaterialRequestView:
    """Runs a prompted action with the text the actor gave."""
    match action:
        case Action.DISPOSE_TEAM:
            return await disposition.dispose(uow, ctx, ident, note=text)
        case Action.DISPOSE_TECH:
            return await disposition.dispose(
                uow, ctx, ident, technician_id=technician_id, note=text
            )
        case Action.REJECT_REPORT:
            return await disposition.reject_report(uow, ctx, ident, text or "")
        case Action.HOLD:
            return await disposition.hold(uow, ctx, ident, text or "")
        case Action.CANCEL:
            return await disposition.cancel(uow, ctx, ident, text or "")
        case Action.MATERIAL_APPROVE | Action.MATERIAL_REJECT | Action.MATERIAL_REVISE:
            return await material.decide_material(uow, ctx, ident, _DECISIONS[action], text)
        case Action.NOT_FIXED:
            return await repair.not_fixed(uow, ctx, ident, text or "")
        case Action.WITHDRAW:
            return await withdrawal.withdraw(uow, ctx, ident, text or "")
    raise ValueError(f"{action} asks for no text")
