"""Following complaints: a complainant's own list and one complaint's details and timeline."""

from __future__ import annotations

from bot.services.complaints.model import (
    LIST_LIMIT,
    STAFF_ROLES,
    ComplaintView,
    normalise_complaint_number,
)
from bot.services.complaints.routing import complaint_view, sees_identity
from bot.services.context import Context
from bot.services.errors import NotFound
from bot.services.uow import UnitOfWork
from bot.services.users import find_user


async def mine(uow: UnitOfWork, ctx: Context) -> tuple[ComplaintView, ...]:
    """Returns the actor's own complaints, newest first (empty for unknown people)."""
    user = await find_user(uow, ctx.who)
    if user is None:
        return ()
    rows = await uow.complaints.for_complainant(user.id, LIST_LIMIT)
    return tuple(complaint_view(c, identity=True) for c in rows)


async def detail(
    uow: UnitOfWork, ctx: Context, number: str, *, shared: bool = False
) -> ComplaintView:
    """Returns a complaint with its timeline to the complainant or staff.

    `shared`: the answer is posted where others read it (a group): whoever asked, it never
    carries the complainant's identity there.
    """
    user = await find_user(uow, ctx.who)
    complaint = await uow.complaints.by_number(normalise_complaint_number(number))
    if (
        user is None
        or complaint is None
        or not (complaint.complainant_id == user.id or user.roles & STAFF_ROLES)
    ):
        raise NotFound(what="complaint")
    events = await uow.complaints.events_for(complaint.id)
    identity = sees_identity(user, complaint) and not shared
    return complaint_view(complaint, events, identity=identity)
