"""Actions that ask the actor for a reason (or an optional note) before they run."""

from __future__ import annotations

from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import Actor, Decision, MaterialRequestView, TicketView
from bot.services.uow import UnitOfWork
from bot.services.workflow import disposition, material, repair

Action = flow.Action
# The decisions on a material request: their id is the request's, not the ticket's.
_DECISIONS = {
    Action.MATERIAL_APPROVE: Decision.APPROVE,
    Action.MATERIAL_REJECT: Decision.REJECT,
    Action.MATERIAL_REVISE: Decision.REVISE,
}


async def precheck(uow: UnitOfWork, actor: Actor, action: Action, ident: int) -> str:
    """Refuses early (before asking for text) and returns the ticket number to name."""
    if action in _DECISIONS:
        return await material.precheck_decision(uow, actor, action, ident)
    return (await flow.precheck(uow, actor, action, ident)).number


async def run_prompted(
    uow: UnitOfWork,
    actor: Actor,
    action: Action,
    ident: int,
    text: str | None,
    ctx: Context,
    technician_id: int | None = None,
) -> TicketView | MaterialRequestView:
    """Runs a prompted action with the text the actor gave."""
    match action:
        case Action.DISPOSE_TEAM:
            return await disposition.dispose(uow, actor, ident, ctx, note=text)
        case Action.DISPOSE_TECH:
            return await disposition.dispose(
                uow, actor, ident, ctx, technician_id=technician_id, note=text
            )
        case Action.REJECT_REPORT:
            return await disposition.reject_report(uow, actor, ident, text or "", ctx)
        case Action.HOLD:
            return await disposition.hold(uow, actor, ident, text or "", ctx)
        case Action.CANCEL:
            return await disposition.cancel(uow, actor, ident, text or "", ctx)
        case Action.MATERIAL_APPROVE | Action.MATERIAL_REJECT | Action.MATERIAL_REVISE:
            return await material.decide_material(uow, actor, ident, _DECISIONS[action], ctx, text)
        case Action.NOT_FIXED:
            return await repair.not_fixed(uow, actor, ident, text or "", ctx)
    raise ValueError(f"{action} asks for no text")
