"""Complaints (pengaduan) as the service standard handles them.

Indirect complaints (phone, e-mail, website, Twitter, Instagram, in person) are recorded by an
officer; direct ones are filed in the bot. An officer responds until the complaint is solved;
what the officer cannot solve goes to the Kominfo complaints official (pejabat pengaduan), who
resolves it completely. State machine (DESIGN §3)::

    NEW -> IN_PROGRESS (officer took it) -> RESPONDED -> RESOLVED -> CLOSED
                                             \\-> ESCALATED -> (official) RESPONDED -> ...

Every transition is one call that checks role and state, moves the row with one conditional
UPDATE, appends a ``complaint_event`` and queues notices. The due times (response and
resolution, :func:`bot.services.sla.complaint_clocks`) are swept in office hours; each firing
is recorded under a unique (complaint, step) key so it never repeats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.config import Settings
from bot.services import sla
from bot.services.calendar import BusinessCalendar
from bot.services.domain import Actor, EventView, FileRef, Media, Role
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.services.notices import (
    ComplaintCard,
    ComplaintCardUpdate,
    ComplaintInfo,
    ComplaintNews,
    ComplaintResponse,
    ComplaintThread,
)
from bot.services.tickets import can_see, normalise_number, tech_group_id
from bot.services.uow import UnitOfWork
from bot.services.users import NAME_MAX, clean_name, clean_phone, find_user
from db.models import Complaint, ComplaintEvent, ComplaintFile, User

TEXT_MIN = 10
TEXT_MAX = 2000
REASON_MIN = 10
REASON_MAX = 1000
DELIVERY_MAX = 200
CONTACT_MAX = 100
FILES_MAX = 5
LIST_LIMIT = 15
SWEEP_LIMIT = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ComplaintStatus(StrEnum):
    """Complaint states (DESIGN §3)."""

    NEW = "NEW"
    IN_PROGRESS = "IN_PROGRESS"
    RESPONDED = "RESPONDED"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


OPEN_STATES: tuple[str, ...] = (
    ComplaintStatus.NEW.value,
    ComplaintStatus.IN_PROGRESS.value,
    ComplaintStatus.RESPONDED.value,
    ComplaintStatus.ESCALATED.value,
)


class ComplaintCategory(StrEnum):
    """What the complaint is about."""

    SLOW = "slow_service"
    UNHANDLED = "unhandled_fault"
    BEHAVIOUR = "staff_behaviour"
    INFORMATION = "information"
    OTHER = "other"


class Channel(StrEnum):
    """How the complaint reached Dinas Kominfo."""

    BOT = "bot"
    PHONE = "phone"
    EMAIL = "email"
    WEBSITE = "website"
    TWITTER = "twitter"
    INSTAGRAM = "instagram"
    IN_PERSON = "in_person"


RECORDED_CHANNELS: tuple[Channel, ...] = tuple(c for c in Channel if c is not Channel.BOT)
# Who counts as an officer (petugas): records complaints, takes and answers them.
OFFICER_ROLES = frozenset(
    {Role.TECHNICIAN.value, Role.COORDINATOR.value, Role.OFFICIAL.value, Role.ADMIN.value}
)
STAFF_ROLES = OFFICER_ROLES | {Role.SUPERVISOR.value}
# Who sees the identity of a confidential complainant besides the complainant.
IDENTITY_ROLES = frozenset({Role.OFFICIAL.value, Role.ADMIN.value})


class Step(StrEnum):
    """Due-time steps of the complaint sweep (unique keys of firings and event kinds)."""

    RESPONSE_PASSED = "response_passed"
    RESOLUTION_PASSED = "resolution_passed"


@dataclass(frozen=True)
class ComplaintDraft:
    """What the filing or recording conversation collected."""

    category: ComplaintCategory
    text: str
    confidential: bool = False
    ticket_number: str | None = None
    files: tuple[FileRef, ...] = ()
    complainant_name: str | None = None
    complainant_contact: str | None = None
    channel: Channel = Channel.BOT


@dataclass(frozen=True)
class ComplaintView:
    """A complaint as shown to one audience (identity hidden where it must be)."""

    id: int
    number: str
    status: ComplaintStatus
    category: ComplaintCategory
    channel: Channel
    complainant_name: str | None  # None: hidden from this audience
    complainant_contact: str | None
    identity_hidden: bool
    complainant_in_bot: bool
    confidential: bool
    escalated: bool
    ticket_number: str | None
    text: str
    files: tuple[FileRef, ...]
    officer_name: str | None
    official_name: str | None
    recorded_by_name: str | None
    received_at: datetime
    response_due_at: datetime
    resolution_due_at: datetime
    response: str | None
    response_delivery: str | None
    response_count: int
    events: tuple[EventView, ...] = ()
    opens_at: datetime | None = None


@dataclass(frozen=True)
class FilingStart:
    """What `/aduan` knows before it asks: the profile's name and contact, if any."""

    name: str | None
    contact: str | None


@dataclass(frozen=True)
class AnswerStart:
    """What the answer conversation needs: the complaint, who answers, and how it is delivered."""

    complaint: ComplaintView
    as_official: bool
    needs_delivery: bool


# --- validation ---------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Validates the complaint text."""
    value = text.strip()
    if len(value) < TEXT_MIN or len(value) > TEXT_MAX:
        raise InvalidInput("complaint_text")
    return value


def clean_reason(text: str) -> str:
    """Validates a reason (forwarding, not solved) or an answer note."""
    value = text.strip()
    if len(value) < REASON_MIN or len(value) > REASON_MAX:
        raise InvalidInput("complaint_reason")
    return value


def clean_answer(text: str) -> str:
    """Validates an officer's or official's answer."""
    value = text.strip()
    if len(value) < TEXT_MIN or len(value) > TEXT_MAX:
        raise InvalidInput("complaint_answer")
    return value


def clean_delivery(text: str) -> str:
    """Validates how an answer reached a complainant outside the bot."""
    value = " ".join(text.split())
    if len(value) < 5 or len(value) > DELIVERY_MAX:
        raise InvalidInput("complaint_delivery")
    return value


def clean_contact(text: str) -> str:
    """Validates a contact: an Indonesian phone number or an e-mail address."""
    value = text.strip()
    if "@" in value:
        if len(value) > CONTACT_MAX or not _EMAIL.match(value):
            raise InvalidInput("complaint_contact")
        return value.lower()
    try:
        return clean_phone(value)
    except InvalidInput:
        raise InvalidInput("complaint_contact") from None


def clean_complainant_name(text: str) -> str:
    """Validates a complainant's name."""
    return clean_name(text)


def normalise_complaint_number(text: str) -> str:
    """Normalises a typed complaint number (`adu-2026-1` becomes `ADU-2026-00001`)."""
    parts = text.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != "ADU" or not parts[1].isdigit() or not parts[2].isdigit():
        raise InvalidInput("complaint_number")
    if len(parts[1]) != 4 or len(parts[2]) > 5:
        raise InvalidInput("complaint_number")
    return f"ADU-{parts[1]}-{int(parts[2]):05d}"


def is_complaint_number(text: str) -> bool:
    """Tells whether a typed number looks like a complaint number."""
    return text.strip().upper().startswith("ADU-")


# --- views --------------------------------------------------------------------------------


def _file_ref(row: ComplaintFile) -> FileRef:
    return FileRef(row.file_id, row.file_unique_id, Media(row.media), row.mime_type, row.file_size)


def sees_identity(user: User | None, complaint: Complaint) -> bool:
    """Tells whether a user may see who filed a complaint (confidential: official, admin)."""
    if not complaint.confidential:
        return True
    if user is None:
        return False
    if complaint.complainant_id is not None and complaint.complainant_id == user.id:
        return True
    return bool(user.roles & IDENTITY_ROLES)


def complaint_view(
    complaint: Complaint, events: Sequence[ComplaintEvent] = (), *, identity: bool
) -> ComplaintView:
    """Returns the view of a complaint, with or without the complainant's identity."""
    event_views = tuple(
        EventView(
            at=e.at,
            kind=e.kind,
            actor_name=_actor_name(e, complaint, identity),
            from_status=e.from_status,
            to_status=e.to_status,
            note=e.note,
        )
        for e in events
    )
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
        ticket_number=complaint.ticket.number if complaint.ticket else None,
        text=complaint.text,
        files=tuple(_file_ref(f) for f in complaint.files),
        officer_name=complaint.officer.full_name if complaint.officer else None,
        official_name=complaint.official.full_name if complaint.official else None,
        recorded_by_name=complaint.recorded_by.full_name if complaint.recorded_by else None,
        received_at=complaint.received_at,
        response_due_at=complaint.response_due_at,
        resolution_due_at=complaint.resolution_due_at,
        response=complaint.response,
        response_delivery=complaint.response_delivery,
        response_count=complaint.response_count,
        events=event_views,
    )


def _actor_name(event: ComplaintEvent, complaint: Complaint, identity: bool) -> str | None:
    if event.actor is None:
        return None
    if not identity and event.actor_id == complaint.complainant_id:
        return None  # a confidential complainant's own actions stay anonymous
    return event.actor.full_name


# --- helpers ------------------------------------------------------------------------------


async def _load(uow: UnitOfWork, complaint_id: int) -> Complaint:
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None:
        raise NotFound(what="complaint")
    return complaint


async def _officer(uow: UnitOfWork, actor: Actor) -> User:
    user = await find_user(uow, actor)
    if user is None or not user.roles & OFFICER_ROLES:
        raise NotAllowed("complaint_officers_only")
    return user


def _is_official(user: User) -> bool:
    return Role.OFFICIAL.value in user.roles


def _event(
    complaint: Complaint,
    now: datetime,
    actor: User | None,
    kind: str,
    before: str | None,
    after: str | None,
    note: str | None = None,
) -> ComplaintEvent:
    return ComplaintEvent(
        complaint_id=complaint.id,
        at=now,
        actor_id=actor.id if actor else None,
        kind=kind,
        from_status=before,
        to_status=after,
        note=note,
    )


async def _move(
    uow: UnitOfWork,
    complaint: Complaint,
    from_states: Iterable[ComplaintStatus],
    to_state: ComplaintStatus,
    now: datetime,
    **values: object,
) -> str:
    """Moves the complaint with one conditional UPDATE; refuses when it moved on meanwhile."""
    before = complaint.status
    states = [s.value for s in from_states]
    if before not in states or not await uow.complaints.transition(
        complaint.id, states, to_state.value, now, **values
    ):
        raise InvalidState("complaint_moved", number=complaint.number)
    return before


async def _official_chats(uow: UnitOfWork, settings: Settings) -> list[int]:
    """Returns the officials' chats; without any official, the admins' (nothing is lost)."""
    chats = await uow.users.chats_with_role(Role.OFFICIAL.value)
    if chats:
        return chats
    admins = set(await uow.users.chats_with_role(Role.ADMIN.value)) | set(settings.admin_ids)
    return sorted(admins)


async def _views(
    uow: UnitOfWork, complaint_id: int
) -> tuple[Complaint, ComplaintView, ComplaintView]:
    """Returns the fresh complaint with its full and its identity-free view (whole thread)."""
    await uow.complaints.flush()
    fresh = await _load(uow, complaint_id)
    events = await uow.complaints.events_for(complaint_id)
    full = complaint_view(fresh, events, identity=True)
    hidden = complaint_view(fresh, events, identity=not fresh.confidential)
    return fresh, full, hidden


async def _tell_officials(
    uow: UnitOfWork, full: ComplaintView, settings: Settings, what: str
) -> None:
    for chat in await _official_chats(uow, settings):
        uow.notify(ComplaintThread(chat, full, ComplaintNews(what)))


def _tell(uow: UnitOfWork, user: User | None, view: ComplaintView, what: str) -> None:
    if user is not None:
        uow.notify(ComplaintInfo(user.telegram_id, view, ComplaintNews(what)))


def _staff_view(user: User | None, full: ComplaintView, hidden: ComplaintView) -> ComplaintView:
    return full if user is not None and user.roles & IDENTITY_ROLES else hidden


async def _card_chats(
    uow: UnitOfWork, full: ComplaintView, hidden: ComplaintView, settings: Settings
) -> list[tuple[int, ComplaintView, bool]]:
    """Returns where the complaint's card lives: the technician group (identity hidden when
    confidential), else the officials' chats (identity shown); with whether it is the latter."""
    group = await tech_group_id(uow, settings)
    if group is not None:
        return [(group, hidden, False)]
    return [(chat, full, True) for chat in await _official_chats(uow, settings)]


async def _post_card(
    uow: UnitOfWork, full: ComplaintView, hidden: ComplaintView, settings: Settings
) -> None:
    for chat, view, officials in await _card_chats(uow, full, hidden, settings):
        uow.notify(ComplaintCard(chat, view, officials))


async def _update_card(
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


async def _schedule(uow: UnitOfWork, complaint: Complaint, calendar: BusinessCalendar) -> None:
    """Sets when the sweep next looks at the complaint (None once nothing can fall due)."""
    fired = await uow.complaints.fired(complaint.id)
    status = ComplaintStatus(complaint.status)
    moments: list[datetime] = []
    if (
        status in (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS)
        and complaint.responded_at is None
        and Step.RESPONSE_PASSED.value not in fired
    ):
        moments.append(complaint.response_due_at)
    if status.value in OPEN_STATES and Step.RESOLUTION_PASSED.value not in fired:
        moments.append(complaint.resolution_due_at)
    complaint.next_check_at = calendar.next_opening(min(moments)) if moments else None


# --- filing -------------------------------------------------------------------------------


async def _check_cap(
    uow: UnitOfWork, settings: Settings, *, user_id: int | None, contact: str | None
) -> None:
    if user_id is None and contact is None:
        return
    count = await uow.complaints.count_open(OPEN_STATES, user_id=user_id, contact=contact)
    if count >= settings.complaint_open_max:
        code = "complaint_cap" if user_id is not None else "complaint_cap_recorded"
        raise InvalidInput(code, max=settings.complaint_open_max)


async def filing_start(uow: UnitOfWork, actor: Actor, *, settings: Settings) -> FilingStart:
    """Tells `/aduan` what it already knows of the complainant, refusing above the cap."""
    user = await find_user(uow, actor)
    if user is not None:
        await _check_cap(uow, settings, user_id=user.id, contact=None)
    if user is not None and user.phone:
        return FilingStart(name=user.full_name, contact=user.phone)
    return FilingStart(name=None, contact=None)


async def recording_start(uow: UnitOfWork, actor: Actor) -> None:
    """Refuses `/catat_aduan` to anyone but an officer."""
    await _officer(uow, actor)


async def check_ticket(uow: UnitOfWork, actor: Actor, text: str) -> str:
    """Returns the normalised number of a related ticket the actor may see, or refuses."""
    number = normalise_number(text)
    user = await find_user(uow, actor)
    ticket = await uow.tickets.by_number(number)
    if user is None or ticket is None or not can_see(user, ticket):
        # The same answer for "missing" and "not yours": numbers of other OPDs stay private.
        raise NotFound("complaint_ticket", number=number)
    return number


async def _complainant_user(uow: UnitOfWork, actor: Actor, now: datetime) -> User:
    user = await uow.users.by_telegram_id(actor.telegram_id)
    if user is None:
        user = User(
            telegram_id=actor.telegram_id,
            full_name=(actor.display_name or str(actor.telegram_id))[:NAME_MAX],
            created_at=now,
            active=True,
        )
        user.role_rows = []
        uow.users.add(user)
        await uow.users.flush()
    return user


async def file_complaint(
    uow: UnitOfWork,
    actor: Actor,
    draft: ComplaintDraft,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Files a complaint from the bot: number, receipt data, routing, all in one commit."""
    user = await _complainant_user(uow, actor, now)
    if not user.active:
        raise NotAllowed()
    name, contact = draft.complainant_name, draft.complainant_contact
    if user.phone and not name:
        name, contact = user.full_name, user.phone
    if not name or not contact:
        raise InvalidInput("complaint_identity")
    await _check_cap(uow, settings, user_id=user.id, contact=None)
    return await _create(
        uow,
        actor,
        replace(draft, channel=Channel.BOT),
        complainant=user,
        recorder=None,
        name=clean_complainant_name(name),
        contact=clean_contact(contact),
        now=now,
        calendar=calendar,
        settings=settings,
    )


async def record_complaint(
    uow: UnitOfWork,
    actor: Actor,
    draft: ComplaintDraft,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Records a complaint an officer received by phone, e-mail, web, social media or in person."""
    officer = await _officer(uow, actor)
    if draft.channel not in RECORDED_CHANNELS:
        raise InvalidInput("complaint_channel")
    if not draft.complainant_name or not draft.complainant_contact:
        raise InvalidInput("complaint_identity")
    contact = clean_contact(draft.complainant_contact)
    await _check_cap(uow, settings, user_id=None, contact=contact)
    return await _create(
        uow,
        actor,
        draft,
        complainant=None,
        recorder=officer,
        name=clean_complainant_name(draft.complainant_name),
        contact=contact,
        now=now,
        calendar=calendar,
        settings=settings,
    )


async def _create(
    uow: UnitOfWork,
    actor: Actor,
    draft: ComplaintDraft,
    *,
    complainant: User | None,
    recorder: User | None,
    name: str,
    contact: str,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    if len(draft.files) > FILES_MAX:
        raise InvalidInput("complaint_files")
    ticket_id = None
    if draft.ticket_number:
        number = await check_ticket(uow, actor, draft.ticket_number)
        ticket = await uow.tickets.by_number(number)
        ticket_id = ticket.id if ticket else None
    year = now.astimezone(calendar.tz).year
    seq = await uow.counters.next_value("complaint", year)
    clocks = sla.complaint_clocks(now, calendar, settings)
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
            ComplaintFile(
                complaint_id=complaint.id,
                media=ref.media.value,
                file_id=ref.file_id,
                file_unique_id=ref.file_unique_id,
                mime_type=ref.mime_type,
                file_size=ref.file_size,
                created_at=now,
            )
        )
    kind = "filed" if recorder is None else "recorded"
    uow.complaints.add_event(
        _event(complaint, now, complainant or recorder, kind, None, ComplaintStatus.NEW.value)
    )
    if draft.category is ComplaintCategory.BEHAVIOUR:
        # The standard: complaints about staff behaviour go to the Kominfo official directly.
        complaint.status = ComplaintStatus.ESCALATED.value
        complaint.escalated = True
        uow.complaints.add_event(
            _event(
                complaint,
                now,
                None,
                "escalated_behaviour",
                ComplaintStatus.NEW.value,
                ComplaintStatus.ESCALATED.value,
            )
        )
    await uow.complaints.flush()
    fresh, full, hidden = await _views(uow, complaint.id)
    await _schedule(uow, fresh, calendar)
    if fresh.status == ComplaintStatus.ESCALATED.value:
        await _tell_officials(uow, full, settings, "new_behaviour")
    else:
        await _post_card(uow, full, hidden, settings)
    await uow.commit()
    opens_at = None if calendar.is_open(now) else calendar.next_opening(now)
    return replace(full, opens_at=opens_at)


# --- handling -----------------------------------------------------------------------------


async def take(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Assigns a new complaint to the officer who takes it («Tangani»); exactly one wins."""
    officer = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    if complaint.status != ComplaintStatus.NEW.value and complaint.officer is not None:
        raise InvalidState(
            "complaint_taken", number=complaint.number, by=complaint.officer.full_name
        )
    before = await _move(
        uow,
        complaint,
        [ComplaintStatus.NEW],
        ComplaintStatus.IN_PROGRESS,
        now,
        officer_id=officer.id,
    )
    uow.complaints.add_event(
        _event(complaint, now, officer, "taken", before, ComplaintStatus.IN_PROGRESS.value)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    _tell(uow, fresh.complainant, full, "taken")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return _staff_view(officer, full, hidden)


async def begin_answer(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> AnswerStart:
    """Checks that the actor may answer now; an officer answering a new complaint takes it."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    status = ComplaintStatus(complaint.status)
    if status is ComplaintStatus.NEW and not complaint.escalated:
        view = await take(uow, actor, complaint_id, now=now, calendar=calendar, settings=settings)
        return AnswerStart(view, False, not view.complainant_in_bot)
    _may_answer(user, complaint)
    events = await uow.complaints.events_for(complaint_id)
    view = complaint_view(complaint, events, identity=sees_identity(user, complaint))
    return AnswerStart(view, status is ComplaintStatus.ESCALATED, not view.complainant_in_bot)


def _may_answer(user: User, complaint: Complaint) -> None:
    status = ComplaintStatus(complaint.status)
    if status is ComplaintStatus.ESCALATED:
        if not _is_official(user):
            raise NotAllowed("complaint_official_only", number=complaint.number)
        return
    if status is ComplaintStatus.IN_PROGRESS:
        if complaint.officer_id != user.id:
            name = complaint.officer.full_name if complaint.officer else "-"
            raise NotAllowed("complaint_not_yours", number=complaint.number, by=name)
        return
    raise InvalidState("complaint_moved", number=complaint.number)


async def respond(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    text: str,
    delivery: str | None,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Records the answer of the officer (or, after escalation, the official) and sends it."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    _may_answer(user, complaint)
    answer = clean_answer(text)
    if complaint.complainant_id is None:
        if not delivery:
            raise InvalidInput("complaint_delivery")
        delivery = clean_delivery(delivery)
    else:
        delivery = None
    as_official = complaint.status == ComplaintStatus.ESCALATED.value
    values: dict[str, object] = {
        "response": answer,
        "response_delivery": delivery,
        "responded_at": now,
        "response_count": complaint.response_count + 1,
    }
    if as_official:
        values["official_id"] = user.id
    before = await _move(
        uow,
        complaint,
        [ComplaintStatus.ESCALATED if as_official else ComplaintStatus.IN_PROGRESS],
        ComplaintStatus.RESPONDED,
        now,
        **values,
    )
    note = answer if delivery is None else f"{answer}\n({delivery})"
    uow.complaints.add_event(
        _event(complaint, now, user, "responded", before, ComplaintStatus.RESPONDED.value, note)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    if fresh.complainant is not None:
        uow.notify(ComplaintResponse(fresh.complainant.telegram_id, full, as_official))
    if as_official:
        # The other officials see that it was answered, so nobody answers twice.
        for chat in await _official_chats(uow, settings):
            if chat != user.telegram_id:
                uow.notify(ComplaintInfo(chat, full, ComplaintNews.OFFICIAL_RESPONDED))
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return _staff_view(user, full, hidden)


async def begin_forward(uow: UnitOfWork, actor: Actor, complaint_id: int) -> ComplaintView:
    """Checks that the actor may forward the complaint to the official."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    _may_forward(user, complaint)
    return complaint_view(complaint, identity=sees_identity(user, complaint))


def _may_forward(user: User, complaint: Complaint) -> None:
    status = ComplaintStatus(complaint.status)
    if complaint.escalated or status not in (
        ComplaintStatus.NEW,
        ComplaintStatus.IN_PROGRESS,
        ComplaintStatus.RESPONDED,
    ):
        raise InvalidState("complaint_moved", number=complaint.number)
    if status is not ComplaintStatus.NEW and complaint.officer_id not in (None, user.id):
        name = complaint.officer.full_name if complaint.officer else "-"
        raise NotAllowed("complaint_not_yours", number=complaint.number, by=name)


async def forward(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    reason: str,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Forwards a complaint the officer cannot solve to the Kominfo official (reason required)."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    _may_forward(user, complaint)
    note = clean_reason(reason)
    before = await _move(
        uow,
        complaint,
        [ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESPONDED],
        ComplaintStatus.ESCALATED,
        now,
        escalated=True,
        officer_id=complaint.officer_id or user.id,
    )
    uow.complaints.add_event(
        _event(complaint, now, user, "forwarded", before, ComplaintStatus.ESCALATED.value, note)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    await _tell_officials(uow, full, settings, "forwarded")
    _tell(uow, fresh.complainant, full, "escalated")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return _staff_view(user, full, hidden)


# --- the complainant's verdict ------------------------------------------------------------


async def _own_responded(
    uow: UnitOfWork, actor: Actor, complaint_id: int, round_: int
) -> tuple[User, Complaint]:
    user = await find_user(uow, actor)
    complaint = await _load(uow, complaint_id)
    if user is None or complaint.complainant_id != user.id:
        raise NotAllowed("complaint_not_complainant")
    if complaint.status != ComplaintStatus.RESPONDED.value or complaint.response_count != round_:
        raise InvalidState("complaint_moved", number=complaint.number)
    return user, complaint


async def begin_not_solved(
    uow: UnitOfWork, actor: Actor, complaint_id: int, round_: int
) -> ComplaintView:
    """Checks that the complainant may still say the answer did not solve the complaint."""
    _, complaint = await _own_responded(uow, actor, complaint_id, round_)
    return complaint_view(complaint, identity=True)


async def confirm_solved(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    round_: int,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Records that the complainant is satisfied with the answer: the complaint is resolved."""
    user, complaint = await _own_responded(uow, actor, complaint_id, round_)
    before = await _move(
        uow, complaint, [ComplaintStatus.RESPONDED], ComplaintStatus.RESOLVED, now, resolved_at=now
    )
    uow.complaints.add_event(
        _event(complaint, now, user, "confirmed_solved", before, ComplaintStatus.RESOLVED.value)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    handler = fresh.official or fresh.officer
    _tell(uow, handler, _staff_view(handler, full, hidden), "solved")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return full


async def not_solved(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    round_: int,
    reason: str,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Escalates to the official because the complainant says the answer did not solve it."""
    user, complaint = await _own_responded(uow, actor, complaint_id, round_)
    note = clean_reason(reason)
    before = await _move(
        uow, complaint, [ComplaintStatus.RESPONDED], ComplaintStatus.ESCALATED, now, escalated=True
    )
    uow.complaints.add_event(
        _event(complaint, now, user, "not_solved", before, ComplaintStatus.ESCALATED.value, note)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    await _tell_officials(uow, full, settings, "not_solved")
    if fresh.officer is not None and not fresh.officer.roles & IDENTITY_ROLES:
        _tell(uow, fresh.officer, hidden, "not_solved")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return full


# --- resolving and closing ----------------------------------------------------------------


def _may_settle(user: User, complaint: Complaint) -> None:
    if _is_official(user) or Role.ADMIN.value in user.roles:
        return
    if complaint.escalated or complaint.officer_id != user.id:
        raise NotAllowed("complaint_official_only", number=complaint.number)


async def resolve(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Declares an answered complaint resolved (the official; the officer before escalation)."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    _may_settle(user, complaint)
    before = await _move(
        uow, complaint, [ComplaintStatus.RESPONDED], ComplaintStatus.RESOLVED, now, resolved_at=now
    )
    uow.complaints.add_event(
        _event(complaint, now, user, "resolved", before, ComplaintStatus.RESOLVED.value)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    _tell(uow, fresh.complainant, full, "resolved")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return _staff_view(user, full, hidden)


async def close(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    settings: Settings,
) -> ComplaintView:
    """Closes a resolved complaint's file; the complainant is told."""
    user = await _officer(uow, actor)
    complaint = await _load(uow, complaint_id)
    _may_settle(user, complaint)
    before = await _move(
        uow, complaint, [ComplaintStatus.RESOLVED], ComplaintStatus.CLOSED, now, closed_at=now
    )
    uow.complaints.add_event(
        _event(complaint, now, user, "closed", before, ComplaintStatus.CLOSED.value)
    )
    fresh, full, hidden = await _views(uow, complaint_id)
    await _schedule(uow, fresh, calendar)
    _tell(uow, fresh.complainant, full, "closed")
    await _update_card(uow, fresh, full, hidden, settings)
    await uow.commit()
    return _staff_view(user, full, hidden)


# --- following ----------------------------------------------------------------------------


async def mine(uow: UnitOfWork, actor: Actor) -> tuple[ComplaintView, ...]:
    """Returns the actor's own complaints, newest first (empty for unknown people)."""
    user = await find_user(uow, actor)
    if user is None:
        return ()
    rows = await uow.complaints.for_complainant(user.id, LIST_LIMIT)
    return tuple(complaint_view(c, identity=True) for c in rows)


async def detail(
    uow: UnitOfWork, actor: Actor, number: str, *, now: datetime, calendar: BusinessCalendar
) -> ComplaintView:
    """Returns a complaint with its timeline to the complainant or staff."""
    user = await find_user(uow, actor)
    complaint = await uow.complaints.by_number(normalise_complaint_number(number))
    if (
        user is None
        or complaint is None
        or not (complaint.complainant_id == user.id or user.roles & STAFF_ROLES)
    ):
        raise NotFound(what="complaint")
    events = await uow.complaints.events_for(complaint.id)
    return complaint_view(complaint, events, identity=sees_identity(user, complaint))


# --- the sweep ----------------------------------------------------------------------------


async def sweep(
    uow: UnitOfWork, *, now: datetime, calendar: BusinessCalendar, settings: Settings
) -> int:
    """Escalates complaints whose response or resolution time passed (office hours only)."""
    if not calendar.is_open(now):
        return 0
    fired = 0
    for complaint in await uow.complaints.due(now, SWEEP_LIMIT):
        for step in _due_steps(complaint, now):
            if not await uow.complaints.record_firing(complaint.id, step.value, now):
                continue  # another sweep fired it
            fired += 1
            await _fire(uow, complaint, step, now=now, settings=settings)
            complaint = await _load(uow, complaint.id)
        await _schedule(uow, complaint, calendar)
    await uow.commit()
    return fired


def _due_steps(complaint: Complaint, now: datetime) -> list[Step]:
    steps: list[Step] = []
    status = complaint.status
    if (
        status in (ComplaintStatus.NEW.value, ComplaintStatus.IN_PROGRESS.value)
        and complaint.responded_at is None
        and complaint.response_due_at <= now
    ):
        steps.append(Step.RESPONSE_PASSED)
    if status in OPEN_STATES and complaint.resolution_due_at <= now:
        steps.append(Step.RESOLUTION_PASSED)
    return steps


async def _fire(
    uow: UnitOfWork, complaint: Complaint, step: Step, *, now: datetime, settings: Settings
) -> None:
    kind = f"due:{step.value}"
    if complaint.status == ComplaintStatus.ESCALATED.value:
        # Already with the official: the missed time is recorded and the officials reminded.
        uow.complaints.add_event(_event(complaint, now, None, kind, None, None))
        _, full, _ = await _views(uow, complaint.id)
        await _tell_officials(uow, full, settings, kind)
        return
    before = complaint.status
    moved = await uow.complaints.transition(
        complaint.id, [before], ComplaintStatus.ESCALATED.value, now, escalated=True
    )
    if not moved:
        return
    uow.complaints.add_event(
        _event(complaint, now, None, kind, before, ComplaintStatus.ESCALATED.value)
    )
    fresh, full, hidden = await _views(uow, complaint.id)
    await _tell_officials(uow, full, settings, kind)
    _tell(uow, fresh.complainant, full, "escalated")
    if fresh.officer is not None and not fresh.officer.roles & IDENTITY_ROLES:
        _tell(uow, fresh.officer, hidden, kind)
    await _update_card(uow, fresh, full, hidden, settings)
