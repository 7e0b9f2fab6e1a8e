"""The one executor of the complaint's transition table (:mod:`.table`).

A move checks its row (state and who), moves the row in the database with one conditional
UPDATE, so a complaint that moved on meanwhile is refused and never moved twice, and appends
the complaint event.
"""

from __future__ import annotations

from datetime import datetime

from bot.services import history
from bot.services.complaints.model import ComplaintStatus
from bot.services.complaints.table import (
    Action,
    Transition,
    Who,
    clean_note,
    is_officer,
    permit,
    refusal,
)
from bot.services.domain import Actor
from bot.services.errors import InvalidState
from bot.services.uow import UnitOfWork
from bot.services.users import find_user
from db.models import Complaint, ComplaintEvent, User


async def load_officer(uow: UnitOfWork, actor: Actor) -> User:
    """Returns the acting officer, or refuses anyone who is not one."""
    user = await find_user(uow, actor)
    if user is None or not is_officer(user):
        raise refusal(Who.OFFICER)
    return user


def _stamps(target: ComplaintStatus, now: datetime) -> dict[str, object]:
    """Returns what reaching a state records besides the state itself."""
    match target:
        case ComplaintStatus.ESCALATED:
            return {"escalated": True}
        case ComplaintStatus.RESOLVED:
            return {"resolved_at": now}
        case ComplaintStatus.CLOSED:
            return {"closed_at": now}
    return {}


async def apply(
    uow: UnitOfWork,
    complaint: Complaint,
    rule: Transition,
    *,
    by: User | None,
    now: datetime,
    note: str | None = None,
    **values: object,
) -> None:
    """Executes a permitted row: the conditional UPDATE (refused when the complaint moved on
    meanwhile) and its event, with the row's note."""
    moved = await uow.complaints.transition(
        complaint.id,
        [rule.source.value],
        rule.target.value,
        now,
        **_stamps(rule.target, now),
        **values,
    )
    if not moved:
        raise InvalidState("complaint_moved", number=complaint.number)
    uow.complaints.add_event(
        history.entry(
            ComplaintEvent,
            now,
            by,
            rule.action.value,
            rule.source.value,
            rule.target.value,
            note,
            complaint_id=complaint.id,
        )
    )


async def move(
    uow: UnitOfWork,
    complaint: Complaint,
    action: Action,
    *,
    by: User | None,
    now: datetime,
    note: str | None = None,
    **values: object,
) -> Transition:
    """Checks the row for the action (state, who, note) and executes it."""
    rule = permit(complaint, action, by)
    await apply(uow, complaint, rule, by=by, now=now, note=clean_note(rule, note), **values)
    return rule
