"""Who sees what of a complaint: identity visibility, and where its card, thread and news go.

A confidential complainant is known to themselves, the complaints officials and the admins
only. Everyone else (the technician group, an officer's private chat) gets the identity-hidden
view, which also leaves out the related ticket: its number would lead to the ticket's reporter.
A complaint shown in a group because someone typed a command there never carries the
complainant's identity, whoever typed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import Settings
from bot.services import attachments, history
from bot.services.complaints.model import (
    IDENTITY_ROLES,
    Channel,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintView,
)
from bot.services.domain import Role
from bot.services.errors import NotFound, found
from bot.services.notices import (
    ComplaintCard,
    ComplaintCardUpdate,
    ComplaintInfo,
    ComplaintNews,
    ComplaintThread,
)
from bot.services.tickets import tech_group_id
from bot.services.uow import UnitOfWork
from bot.services.users import admin_chats
from db.models import Complaint, ComplaintEvent, User

# --- identity -----------------------------------------------------------------------------


def sees_identity(user: User | None, complaint: Complaint) -> bool:
    """Tells whether a user may see who filed a complaint (confidential: official, admin)."""
    if not complaint.confidential:
        return True
    if user is None:
        return False
    if complaint.complainant_id is not None and complaint.complainant_id == user.id:
        return True
    return bool(user.roles & IDENTITY_ROLES)


def _actor_name(event: ComplaintEvent, complaint: Complaint, identity: bool) -> str | None:
    if event.actor is None:
        return None
    if not identity and event.actor_id == complaint.complainant_id:
        return None  # a confidential complainant's own actions stay anonymous
    return event.actor.full_name


def complaint_view(
    complaint: Complaint, events: Sequence[ComplaintEvent] = (), *, identity: bool
) -> ComplaintView:
    """Returns the view of a complaint, with or without the complainant's identity."""
    return ComplaintView(
        id=complaint.id,
        number=complaint.number,
        status=ComplaintStatus(complaint.status),
        category=ComplaintCategory(complaint.category),
        channel=Channel(complaint.channel),
        complainant_name=complaint.complainant_name if identity else None,
        complainant_contact=complaint.complainant_contact if identity else None,
        identity_hidden=not identity,
        complainant_in_bot=complaint.complainant_id is not None,
        confidential=complaint.confidential,
        escalated=complaint.escalated,
        # The related ticket names its reporter: without the identity, no ticket number either.
        ticket_number=complaint.ticket.number if complaint.ticket and identity else None,
        text=complaint.text,
        files=tuple(attachments.stored(f) for f in complaint.files),
        officer_name=complaint.officer.full_name if complaint.officer else None,
        official_name=complaint.official.full_name if complaint.official else None,
        recorded_by_name=complaint.recorded_by.full_name if complaint.recorded_by else None,
        received_at=complaint.received_at,
        response_due_at=complaint.response_due_at,
        resolution_due_at=complaint.resolution_due_at,
        response=complaint.response,
        response_delivery=complaint.response_delivery,
        response_count=complaint.response_count,
        events=tuple(history.view(e, _actor_name(e, complaint, identity)) for e in events),
    )


async def load(uow: UnitOfWork, complaint_id: int) -> Complaint:
    """Returns the complaint, freshly loaded, or refuses it as not found."""
    return found(await uow.complaints.get(complaint_id), NotFound(what="complaint"))


async def views(
    uow: UnitOfWork, complaint_id: int
) -> tuple[Complaint, ComplaintView, ComplaintView]:
    """Returns the fresh complaint with its full and its identity-hidden view (whole thread)."""
    await uow.complaints.flush()
    fresh = await load(uow, complaint_id)
    events = await uow.complaints.events_for(complaint_id)
    full = complaint_view(fresh, events, identity=True)
    hidden = complaint_view(fresh, events, identity=not fresh.confidential)
    return fresh, full, hidden


def staff_view(user: User | None, full: ComplaintView, hidden: ComplaintView) -> ComplaintView:
    """Returns the view a staff member gets in a private chat."""
    return full if user is not None and user.roles & IDENTITY_ROLES else hidden


# --- where news goes ----------------------------------------------------------------------


async def official_chats(uow: UnitOfWork, settings: Settings) -> list[int]:
    """Returns the officials' chats; without any official, the admins' (nothing is lost)."""
    chats = await uow.users.chats_with_role(Role.OFFICIAL.value)
    if chats:
        return chats
    return await admin_chats(uow, settings)


async def tell_officials(
    uow: UnitOfWork, full: ComplaintView, settings: Settings, news: ComplaintNews
) -> None:
    """Sends the whole thread to every official."""
    for chat in await official_chats(uow, settings):
        uow.notify(ComplaintThread(chat, full, news))


def tell(uow: UnitOfWork, user: User | None, view: ComplaintView, news: ComplaintNews) -> None:
    """Sends a short update to one person, if there is one."""
    if user is not None:
        uow.notify(ComplaintInfo(user.telegram_id, view, news))


def tell_officer(
    uow: UnitOfWork, complaint: Complaint, hidden: ComplaintView, news: ComplaintNews
) -> None:
    """Tells the officer who handled the complaint that it went on to the official."""
    if complaint.officer is not None and not complaint.officer.roles & IDENTITY_ROLES:
        tell(uow, complaint.officer, hidden, news)


async def _card_chats(
    uow: UnitOfWork, full: ComplaintView, hidden: ComplaintView, settings: Settings
) -> list[tuple[int, ComplaintView, bool]]:
    """Returns where the complaint's card lives: the technician group (identity hidden when
    confidential), else the officials' chats (identity shown); with whether it is the latter."""
    group = await tech_group_id(uow, settings)
    if group is not None:
        return [(group, hidden, False)]
    return [(chat, full, True) for chat in await official_chats(uow, settings)]


async def post_card(
    uow: UnitOfWork, full: ComplaintView, hidden: ComplaintView, settings: Settings
) -> None:
    """Posts the complaint's one card."""
    for chat, view, officials in await _card_chats(uow, full, hidden, settings):
        uow.notify(ComplaintCard(chat, view, officials))


async def update_card(
    uow: UnitOfWork,
    complaint: Complaint,
    full: ComplaintView,
    hidden: ComplaintView,
    settings: Settings,
) -> None:
    """Edits the complaint's one card in place (through the outbox) to its current state."""
    if complaint.category == ComplaintCategory.BEHAVIOUR.value:
        return  # it went straight to the official and never had a card
    for chat, view, officials in await _card_chats(uow, full, hidden, settings):
        uow.notify(ComplaintCardUpdate(chat, view, officials))
