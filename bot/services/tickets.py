"""Fault tickets: reporting, claiming, following up (procedure steps 1-4 of the standard)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.config import Settings
from bot.services import attachments, history, sla, ticket_messages
from bot.services import ticket_flow as flow
from bot.services.attachments import PHOTOS_MAX as PHOTOS_MAX  # the texts read it here
from bot.services.context import Context
from bot.services.domain import (
    Category,
    FileRef,
    Impact,
    LetterStatus,
    Role,
    Status,
    TicketView,
)
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.notices import (
    DispositionRequest,
    JobCard,
    JobCardUpdate,
    NoTechGroup,
    Notice,
    TicketClaimed,
)
from bot.services.tech_group import tech_group_id as tech_group_id  # complaints read it here
from bot.services.uow import UnitOfWork
from bot.services.users import admin_chats, require_role, require_user
from bot.services.validation import record_number, within
from db.models import Attachment, Ticket, TicketEvent, User

LOCATION_MAX = 200
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000
LIST_LIMIT = 15
TECH_GROUP_KEY = "tech_group_id"
AUTO_NOTE = "disposisi otomatis kepada tim teknis"
NO_COORDINATOR_NOTE = "disposisi otomatis: belum ada penanggung jawab terdaftar"
STAFF_ROLES = frozenset(
    {Role.TECHNICIAN, Role.COORDINATOR, Role.OFFICIAL, Role.SUPERVISOR, Role.ADMIN}
)


@dataclass(frozen=True)
class ReportDraft:
    """What the reporting conversation collected."""

    category: Category
    impact: Impact
    location: str
    description: str
    contact_phone: str
    photos: tuple[FileRef, ...] = ()
    letter: FileRef | None = None


def clean_location(text: str) -> str:
    """Validates the location inside the OPD (room, floor)."""
    return within(text, 2, LOCATION_MAX, "location", one_line=True)


def clean_description(text: str) -> str:
    """Validates the fault description."""
    return within(text, DESCRIPTION_MIN, DESCRIPTION_MAX, "description")


def ticket_view(ticket: Ticket, events: Sequence[TicketEvent] = ()) -> TicketView:
    """Returns the view of a ticket (with its timeline when events are given)."""
    photos = tuple(attachments.stored(a) for a in ticket.attachments if a.kind == "photo")
    letters = [a for a in ticket.attachments if a.kind == "letter"]
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        status=Status(ticket.status),
        opd_name=ticket.opd.name,
        category=Category(ticket.category),
        impact=Impact(ticket.impact),
        location=ticket.location,
        description=ticket.description,
        contact_phone=ticket.contact_phone,
        reporter_name=ticket.reporter.full_name,
        reporter_telegram_id=ticket.reporter.telegram_id,
        assignee_name=ticket.assignee.full_name if ticket.assignee else None,
        assignee_telegram_id=ticket.assignee.telegram_id if ticket.assignee else None,
        letter_status=LetterStatus(ticket.letter_status),
        received_at=ticket.received_at,
        claimed_at=ticket.claimed_at,
        target_due_at=ticket.target_due_at,
        deadline_due_at=ticket.deadline_due_at,
        photos=photos,
        letter=attachments.stored(letters[-1]) if letters else None,
        classification=ticket.classification,
        disposition_note=ticket.disposition_note,
        reopen_count=ticket.reopen_count or 0,
        rating=ticket.rating,
        after_photos=tuple(attachments.stored(a) for a in ticket.attachments if a.kind == "after"),
        letter_number=ticket.letter_number,
        letter_date=ticket.letter_date,
        events=tuple(history.view(e, e.actor.full_name if e.actor else None) for e in events),
    )


def add_attachments(
    uow: UnitOfWork,
    ticket_id: int,
    user: User,
    files: Sequence[tuple[str, FileRef]],
    now: datetime,
) -> list[Attachment]:
    """Stores files sent for a ticket, each with its kind (photo, letter, material, after)."""
    rows = [
        Attachment(
            ticket_id=ticket_id,
            kind=kind,
            **attachments.to_json(ref),
            uploaded_by_id=user.id,
            created_at=now,
        )
        for kind, ref in files
    ]
    for row in rows:
        uow.tickets.add_attachment(row)
    return rows


async def current_view(
    uow: UnitOfWork,
    ticket_id: int,
    ctx: Context,
    events: Sequence[TicketEvent] = (),
    *,
    loaded: Ticket | None = None,
) -> TicketView:
    """Returns a ticket as it stands now: SLA marks, timeline (when given), berita acara.

    `loaded` is the ticket when the use case holds it up to date already (read or moved in
    this unit of work); otherwise it is read afresh.
    """
    ticket = loaded if loaded is not None else await flow.load(uow, ticket_id)
    view = sla.annotate(ticket_view(ticket, events), ctx)
    # A berita acara is made only by the sign-off that closes a ticket (CONFIRM_FIXED), and a
    # closed ticket never reopens: an open ticket has none, no need to ask.
    has_ba = view.status == Status.CLOSED and await uow.workflow.has_berita_acara(ticket_id)
    return replace(view, has_berita_acara=has_ba)


async def create_report(uow: UnitOfWork, ctx: Context, draft: ReportDraft) -> TicketView:
    """Files a fault report: number, audit trail, due dates and the job card, in one commit."""
    now, calendar, settings = ctx.now, ctx.calendar, ctx.settings
    reporter = await require_role(uow, ctx.who, Role.REPORTER)
    if reporter.opd_id is None or reporter.opd is None or not reporter.opd.active:
        raise NotAllowed("no_opd")
    if len(draft.photos) > PHOTOS_MAX:
        raise InvalidInput("photos")
    year = now.astimezone(calendar.tz).year
    seq = await uow.counters.next_value("ticket", year)
    coordinators = (
        []
        if settings.auto_disposition
        else [u.telegram_id for u in await uow.users.with_role(Role.COORDINATOR.value)]
    )
    # Procedure 2: Kominfo dispositions each report; the bot does it when so configured, or
    # when no penanggung jawab is registered (a report must never wait for nobody).
    auto = settings.auto_disposition or not coordinators
    note = AUTO_NOTE if settings.auto_disposition else NO_COORDINATOR_NOTE
    files = [("photo", ref) for ref in draft.photos]
    if draft.letter is not None:
        files.append(("letter", draft.letter))
    # Written whole in one go, its people and files set here: nothing is read back for the
    # view.
    ticket = Ticket(
        number=f"BN-{year}-{seq:05d}",
        opd=reporter.opd,
        reporter=reporter,
        assignee=None,
        attachments=[
            Attachment(
                kind=kind, **attachments.to_json(ref), uploaded_by_id=reporter.id, created_at=now
            )
            for kind, ref in files
        ],
        status=(Status.DISPOSED if auto else Status.NEW).value,
        disposition_note=note if auto else None,
        category=draft.category.value,
        impact=draft.impact.value,
        location=clean_location(draft.location),
        description=clean_description(draft.description),
        contact_phone=draft.contact_phone,
        letter_status=(LetterStatus.ATTACHED if draft.letter else LetterStatus.FOLLOWS).value,
        received_at=now,
        target_due_at=calendar.add_working_days(now, settings.target_working_days),
        deadline_due_at=calendar.add_working_days(now, settings.deadline_working_days),
        updated_at=now,
    )
    uow.tickets.add(ticket)
    await uow.tickets.flush()
    entries = [
        history.entry(
            TicketEvent, now, reporter, "reported", None, Status.NEW.value, ticket_id=ticket.id
        )
    ]
    if auto:
        entries.append(
            history.entry(
                TicketEvent,
                now,
                None,
                "disposed",
                Status.NEW.value,
                Status.DISPOSED.value,
                note,
                ticket_id=ticket.id,
            )
        )
    for entry in entries:
        uow.events.add(entry)
    await uow.tickets.flush()
    ticket.state_entered_at, ticket.state_entry_id = now, entries[-1].id
    await sla.reschedule(uow, ticket, ctx, events=entries, new_ticket=True)
    view = sla.annotate(ticket_view(ticket), ctx)
    if auto:
        await post_job_card(uow, view, settings)
    else:
        for chat in coordinators:
            uow.notify(DispositionRequest(chat, view))
    await uow.commit()
    return view


async def post_job_card(uow: UnitOfWork, view: TicketView, settings: Settings) -> None:
    """Queues the job card for the technician group (or tells admins there is no group)."""
    group = await tech_group_id(uow, settings)
    if group is not None:
        uow.notify(JobCard(group, view, await ticket_messages.is_forum(uow, group)))
    else:
        for admin in await admin_chats(uow, settings):
            uow.notify(NoTechGroup(admin, view))


async def update_job_card(uow: UnitOfWork, view: TicketView, settings: Settings) -> None:
    """Queues the edit of the job card in the technician group (the outbox retries it)."""
    group = await tech_group_id(uow, settings)
    if group is not None:
        uow.notify(JobCardUpdate(group, view, await ticket_messages.is_forum(uow, group)))


async def refresh_card(
    uow: UnitOfWork, ticket_id: int, ctx: Context, *, loaded: Ticket | None = None
) -> TicketView:
    """Returns a ticket as it stands now and queues the edit of its job card to match."""
    view = await current_view(uow, ticket_id, ctx, loaded=loaded)
    # The card changes with the ticket, in the same commit: a failed edit is retried.
    await update_job_card(uow, view, ctx.settings)
    return view


async def commit_move(
    uow: UnitOfWork,
    ticket_id: int,
    ctx: Context,
    *tell: Callable[[TicketView], Notice | None],
    moved: Ticket | None = None,
) -> TicketView:
    """Commits a ticket's move with the card's edit and the notices made from its fresh view
    (`moved`: the ticket as :func:`ticket_flow.move` left it, not read again)."""
    # A notice maker returns None where nobody is to be told.
    view = await refresh_card(uow, ticket_id, ctx, loaded=moved)
    for notice in (make(view) for make in tell):
        if notice is not None:
            uow.notify(notice)
    await uow.commit()
    return view


async def claim(uow: UnitOfWork, ctx: Context, ticket_id: int) -> TicketView:
    """Assigns a dispositioned ticket to the technician who claims it; exactly one wins."""
    technician, ticket = await flow.begin(uow, ctx, flow.Action.CLAIM, ticket_id)
    await flow.move(
        uow,
        ctx,
        technician,
        ticket,
        flow.Action.CLAIM,
        assignee_id=technician.id,
        claimed_at=ctx.now,
    )
    return await commit_move(
        uow,
        ticket.id,
        ctx,
        lambda view: TicketClaimed(view.reporter_telegram_id, view),
        moved=ticket,
    )


@dataclass(frozen=True)
class StatusOverview:
    """What `/status` shows: the OPD's tickets for reporters, own jobs for technicians."""

    opd_name: str | None
    opd_tickets: tuple[TicketView, ...]
    jobs: tuple[TicketView, ...]
    unclaimed: tuple[TicketView, ...]
    is_reporter: bool
    is_technician: bool


def normalise_number(text: str) -> str:
    """Normalises a typed ticket number (`bn-2026-1` becomes `BN-2026-00001`)."""
    return record_number(text, "BN", "ticket_number")


async def detail(uow: UnitOfWork, ctx: Context, number: str) -> TicketView:
    """Returns a ticket with its timeline and SLA marks."""
    view, _, _ = await detail_rows(uow, ctx, number)
    return view


async def detail_rows(
    uow: UnitOfWork, ctx: Context, number: str
) -> tuple[TicketView, User, Ticket]:
    """Returns a ticket's view with the viewer and the ticket row it was read from, so a caller
    can decide what else to offer without reading them again."""
    user = await require_user(uow, ctx.who)
    ticket = await uow.tickets.to_show(normalise_number(number))
    if ticket is None or not can_see(user, ticket):
        # The same answer for "missing" and "not yours": numbers of other OPDs stay private.
        raise NotFound(what="ticket")
    events = await uow.events.timeline(ticket.id)
    if not ticket_messages.may_read(user, ticket):
        # The ticket's conversation is for its OPD, the technicians and the coordinators only.
        events = [e for e in events if not e.kind.startswith(ticket_messages.EVENT_PREFIX)]
    view = await current_view(uow, ticket.id, ctx, events, loaded=ticket)
    return view, user, ticket


def can_see(user: User, ticket: Ticket) -> bool:
    """Tells whether a user may see a ticket: staff see all, reporters their own OPD's."""
    if user.roles & {role.value for role in STAFF_ROLES}:
        return True
    return Role.REPORTER.value in user.roles and user.opd_id == ticket.opd_id
