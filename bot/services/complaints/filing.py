"""Filing a complaint in the bot (`/aduan`) and recording one received elsewhere
(`/catat_aduan`): numbers, due times and routing, in one commit.

Indirect complaints (phone, e-mail, website, Twitter, Instagram, in person) are recorded by an
officer; direct ones are filed by the complainant. A new complaint gets its card where the
officers work, except one about staff behaviour, which goes straight to the official.
"""

from __future__ import annotations

from dataclasses import replace

from bot.config import Settings
from bot.services import attachments, history, sla
from bot.services.complaints.model import (
    FILES_MAX,
    OPEN_STATES,
    RECORDED_CHANNELS,
    Channel,
    ComplaintCategory,
    ComplaintDraft,
    ComplaintStatus,
    ComplaintView,
    FilingStart,
    clean_complainant_name,
    clean_contact,
    clean_text,
)
from bot.services.complaints.routing import post_card, tell_officials, views
from bot.services.complaints.sweep import schedule
from bot.services.complaints.table import Action
from bot.services.complaints.transitions import load_officer, move
from bot.services.context import Context
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.notices import ComplaintNews
from bot.services.tickets import can_see, normalise_number
from bot.services.uow import UnitOfWork
from bot.services.users import account, find_user
from db.models import Complaint, ComplaintEvent, ComplaintFile, User


async def _check_cap(
    uow: UnitOfWork, settings: Settings, *, user_id: int | None, contact: str | None
) -> None:
    if user_id is None and contact is None:
        return
    count = await uow.complaints.count_open(OPEN_STATES, user_id=user_id, contact=contact)
    if count >= settings.complaint_open_max:
        code = "complaint_cap" if user_id is not None else "complaint_cap_recorded"
        raise InvalidInput(code, max=settings.complaint_open_max)


async def filing_start(uow: UnitOfWork, ctx: Context) -> FilingStart:
    """Tells `/aduan` what it already knows of the complainant, refusing above the cap."""
    user = await find_user(uow, ctx.who)
    if user is not None:
        await _check_cap(uow, ctx.settings, user_id=user.id, contact=None)
    if user is not None and user.phone:
        return FilingStart(name=user.full_name, contact=user.phone)
    return FilingStart(name=None, contact=None)


async def recording_start(uow: UnitOfWork, ctx: Context) -> None:
    """Refuses `/catat_aduan` to anyone but an officer."""
    await load_officer(uow, ctx.who)


async def check_ticket(uow: UnitOfWork, ctx: Context, text: str) -> str:
    """Returns the normalised number of a related ticket the actor may see, or refuses."""
    number = normalise_number(text)
    user = await find_user(uow, ctx.who)
    ticket = await uow.tickets.by_number(number)
    if user is None or ticket is None or not can_see(user, ticket):
        # The same answer for "missing" and "not yours": numbers of other OPDs stay private.
        raise NotFound("complaint_ticket", number=number)
    return number


async def file_complaint(uow: UnitOfWork, ctx: Context, draft: ComplaintDraft) -> ComplaintView:
    """Files a complaint from the bot: number, receipt data, routing, all in one commit."""
    user = await account(uow, ctx.who, ctx.now)
    if not user.active:
        raise NotAllowed()
    name, contact = draft.complainant_name, draft.complainant_contact
    if user.phone and not name:
        name, contact = user.full_name, user.phone
    if not name or not contact:
        raise InvalidInput("complaint_identity")
    await _check_cap(uow, ctx.settings, user_id=user.id, contact=None)
    return await _create(
        uow,
        ctx,
        replace(draft, channel=Channel.BOT),
        complainant=user,
        recorder=None,
        name=clean_complainant_name(name),
        contact=clean_contact(contact),
    )


async def record_complaint(uow: UnitOfWork, ctx: Context, draft: ComplaintDraft) -> ComplaintView:
    """Records a complaint an officer received by phone, e-mail, web, social media or in person."""
    officer = await load_officer(uow, ctx.who)
    if draft.channel not in RECORDED_CHANNELS:
        raise InvalidInput("complaint_channel")
    if not draft.complainant_name or not draft.complainant_contact:
        raise InvalidInput("complaint_identity")
    contact = clean_contact(draft.complainant_contact)
    await _check_cap(uow, ctx.settings, user_id=None, contact=contact)
    return await _create(
        uow,
        ctx,
        draft,
        complainant=None,
        recorder=officer,
        name=clean_complainant_name(draft.complainant_name),
        contact=contact,
    )


async def _create(
    uow: UnitOfWork,
    ctx: Context,
    draft: ComplaintDraft,
    *,
    complainant: User | None,
    recorder: User | None,
    name: str,
    contact: str,
) -> ComplaintView:
    now, calendar = ctx.now, ctx.calendar
    if len(draft.files) > FILES_MAX:
        raise InvalidInput("complaint_files")
    ticket_id = None
    if draft.ticket_number:
        number = await check_ticket(uow, ctx, draft.ticket_number)
        ticket = await uow.tickets.by_number(number)
        ticket_id = ticket.id if ticket else None
    year = now.astimezone(calendar.tz).year
    seq = await uow.counters.next_value("complaint", year)
    clocks = sla.complaint_clocks(now, calendar, ctx.settings)
    complaint = Complaint(
        number=f"ADU-{year}-{seq:05d}",
        status=ComplaintStatus.NEW.value,
        category=draft.category.value,
        channel=draft.channel.value,
        complainant_id=complainant.id if complainant else None,
        complainant_name=name,
        complainant_contact=contact,
        recorded_by_id=recorder.id if recorder else None,
        ticket_id=ticket_id,
        text=clean_text(draft.text),
        confidential=draft.confidential,
        escalated=False,
        received_at=now,
        response_due_at=clocks.response_due_at,
        resolution_due_at=clocks.resolution_due_at,
        updated_at=now,
        response_count=0,
    )
    uow.complaints.add(complaint)
    await uow.complaints.flush()
    for ref in draft.files:
        uow.complaints.add_file(
            ComplaintFile(complaint_id=complaint.id, **attachments.to_json(ref), created_at=now)
        )
    kind = "filed" if recorder is None else "recorded"
    uow.complaints.add_event(
        history.entry(
            ComplaintEvent,
            now,
            complainant or recorder,
            kind,
            None,
            ComplaintStatus.NEW.value,
            complaint_id=complaint.id,
        )
    )
    if draft.category is ComplaintCategory.BEHAVIOUR:
        await move(uow, complaint, Action.BEHAVIOUR, by=None, now=now)
    fresh, full, hidden = await views(uow, complaint.id)
    await schedule(uow, fresh, calendar)
    if fresh.status == ComplaintStatus.ESCALATED.value:
        await tell_officials(uow, full, ctx.settings, ComplaintNews.NEW_BEHAVIOUR)
    else:
        await post_card(uow, full, hidden, ctx.settings)
    await uow.commit()
    opens_at = None if calendar.is_open(now) else calendar.next_opening(now)
    return replace(full, opens_at=opens_at)
