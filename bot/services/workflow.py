"""The repair procedure of the standard, steps 2 to 10: disposition, diagnosis, approval of
equipment for heavy faults, repair report, and the OPD's sign-off on the berita acara.

Every transition is one call: it checks the actor's role and the ticket's state, moves the ticket
with a conditional UPDATE (a double press or a stale card changes nothing), appends an event,
reschedules the SLA clocks and queues the notices, all in one commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.config import Settings
from bot.services import berita_acara, sla
from bot.services.context import Context
from bot.services.domain import (
    Actor,
    BeritaAcaraView,
    Classification,
    Decision,
    FileRef,
    MaterialLine,
    MaterialRequestView,
    ReplacedLine,
    Role,
    Signatory,
    Status,
    TicketView,
)
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.services.notices import (
    ApprovalRequest,
    Assigned,
    BeritaAcaraReady,
    JobCardUpdate,
    LetterAdded,
    MaterialDecided,
    Reopened,
    RepairConfirm,
    ReportRejected,
    TicketCancelled,
    TicketClaimed,
    TicketHeld,
    TicketResumed,
)
from bot.services.tickets import _event, _load, post_job_card, tech_group_id, ticket_view
from bot.services.uow import UnitOfWork
from bot.services.users import clean_name, clean_nip, clean_position, require_role, require_user
from db.models import (
    Attachment,
    BeritaAcara,
    MaterialItem,
    MaterialRequest,
    RepairReport,
    ReplacedEquipment,
    Ticket,
    User,
)

NOTE_MAX = 500
TEXT_MIN = 3
LONG_TEXT_MAX = 2000
ITEM_NAME_MAX = 100
SPEC_MAX = 200
UNIT_MAX = 20
SERIAL_MAX = 64
QUANTITY_MAX = 10_000
ITEMS_MAX = 20
PHOTOS_MAX = 5
HOLDABLE = (
    Status.DISPOSED,
    Status.CHECKING,
    Status.AWAITING_APPROVAL,
    Status.REPAIRING,
)
CANCELLABLE = (Status.NEW, Status.DISPOSED, Status.CHECKING)
REASSIGNABLE = (Status.CHECKING, Status.AWAITING_APPROVAL, Status.REPAIRING)


# --- validation ------------------------------------------------------------------------------


def clean_note(text: str | None, *, required: bool, code: str = "note") -> str | None:
    """Validates a reason or note (required for refusals, holds, cancellations)."""
    note = " ".join((text or "").split())
    if not note:
        if required:
            raise InvalidInput(code)
        return None
    if len(note) < TEXT_MIN or len(note) > NOTE_MAX:
        raise InvalidInput(code)
    return note


def clean_long_text(text: str, code: str) -> str:
    """Validates a longer text (diagnosis, actions, reason)."""
    value = text.strip()
    if len(value) < TEXT_MIN or len(value) > LONG_TEXT_MAX:
        raise InvalidInput(code)
    return value


def clean_material_line(line: MaterialLine) -> MaterialLine:
    """Validates one requested item."""
    name = " ".join(line.name.split())
    spec = " ".join(line.specification.split())
    unit = " ".join(line.unit.split())
    if not (2 <= len(name) <= ITEM_NAME_MAX) or len(spec) > SPEC_MAX:
        raise InvalidInput("item")
    if not (1 <= line.quantity <= QUANTITY_MAX) or not (1 <= len(unit) <= UNIT_MAX):
        raise InvalidInput("item")
    return MaterialLine(name, spec or "-", line.quantity, unit)


def clean_replaced_line(line: ReplacedLine) -> ReplacedLine:
    """Validates one replaced piece of equipment."""
    name = " ".join(line.name.split())
    unit = " ".join(line.unit.split())
    if not (2 <= len(name) <= ITEM_NAME_MAX) or not (1 <= len(unit) <= UNIT_MAX):
        raise InvalidInput("item")
    if not (1 <= line.quantity <= QUANTITY_MAX):
        raise InvalidInput("item")
    serials: list[str | None] = []
    for serial in (line.old_serial, line.new_serial):
        value = (serial or "").strip()
        if value in ("", "-"):
            serials.append(None)
        elif len(value) > SERIAL_MAX:
            raise InvalidInput("serial")
        else:
            serials.append(value)
    return ReplacedLine(name, line.quantity, unit, serials[0], serials[1])


# --- helpers ---------------------------------------------------------------------------------


async def _view(uow: UnitOfWork, ticket: Ticket, ctx: Context) -> TicketView:
    fresh = await _load(uow, ticket.id)
    view = sla.annotate(ticket_view(fresh), ctx.calendar, ctx.now, ctx.settings)
    has_ba = await uow.workflow.berita_acara_for(ticket.id) is not None
    return replace(view, has_berita_acara=has_ba)


async def _move(
    uow: UnitOfWork,
    ticket: Ticket,
    actor: User | None,
    kind: str,
    allowed: Sequence[Status],
    to: Status,
    ctx: Context,
    note: str | None = None,
    **values: Any,
) -> None:
    """Moves a ticket that is still in an allowed state, records the event, reschedules."""
    current = Status(ticket.status)
    if current not in allowed:
        raise InvalidState(number=ticket.number, status=ticket.status)
    if not await uow.tickets.transition(ticket.id, current.value, to.value, ctx.now, **values):
        raise InvalidState(number=ticket.number, status=ticket.status)
    event = _event(ticket.id, ctx.now, actor, kind, current.value, to.value, note)
    uow.events.add(event)
    await uow.tickets.flush()
    fresh = await _load(uow, ticket.id)
    if sla.starts_stage(current.value, to.value):
        fresh.state_entered_at = ctx.now
        fresh.state_entry_id = event.id
    await sla.reschedule(uow, fresh, now=ctx.now, calendar=ctx.calendar, settings=ctx.settings)


async def _card_update(uow: UnitOfWork, view: TicketView, settings: Settings) -> None:
    group = await tech_group_id(uow, settings)
    if group is not None:
        uow.notify(JobCardUpdate(group, view))


async def _coordinator_chats(uow: UnitOfWork) -> list[int]:
    return [u.telegram_id for u in await uow.users.with_role(Role.COORDINATOR.value)]


async def _ticket(uow: UnitOfWork, ticket_id: int) -> Ticket:
    return await _load(uow, ticket_id)


def _is_assignee(user: User, ticket: Ticket) -> bool:
    return ticket.assignee_id == user.id


async def _assignee_or_coordinator(uow: UnitOfWork, actor: Actor, ticket: Ticket) -> User:
    user = await require_user(uow, actor)
    if _is_assignee(user, ticket) or Role.COORDINATOR.value in user.roles:
        return user
    raise NotAllowed()


async def _assignee(uow: UnitOfWork, actor: Actor, ticket: Ticket) -> User:
    user = await require_role(uow, actor, Role.TECHNICIAN)
    if not _is_assignee(user, ticket):
        raise NotAllowed("not_assignee", number=ticket.number)
    return user


async def _opd_reporter(uow: UnitOfWork, actor: Actor, ticket: Ticket) -> User:
    user = await require_role(uow, actor, Role.REPORTER)
    if user.opd_id != ticket.opd_id:
        raise NotFound(what="ticket")
    return user


# --- disposition (procedure 2) ---------------------------------------------------------------


async def dispose(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: int,
    ctx: Context,
    *,
    technician_id: int | None = None,
    note: str | None = None,
) -> TicketView:
    """Dispositions a new report to the technical team, or directly to one technician."""
    coordinator = await require_role(uow, actor, Role.COORDINATOR)
    ticket = await _ticket(uow, ticket_id)
    note = clean_note(note, required=False)
    if technician_id is None:
        await _move(
            uow,
            ticket,
            coordinator,
            "disposed",
            (Status.NEW,),
            Status.DISPOSED,
            ctx,
            note,
            disposition_note=note,
        )
        view = await _view(uow, ticket, ctx)
        await post_job_card(uow, view, ctx.settings)
    else:
        technician = await uow.users.get(technician_id)
        if technician is None or Role.TECHNICIAN.value not in technician.roles:
            raise NotFound(what="technician")
        await _move(
            uow,
            ticket,
            coordinator,
            "disposed",
            (Status.NEW,),
            Status.CHECKING,
            ctx,
            note,
            disposition_note=note,
            assignee_id=technician.id,
            claimed_at=ctx.now,
        )
        view = await _view(uow, ticket, ctx)
        await post_job_card(uow, view, ctx.settings)
        uow.notify(Assigned(technician.telegram_id, view))
        uow.notify(TicketClaimed(view.reporter_telegram_id, view))
    await uow.commit()
    return view


async def reject_report(
    uow: UnitOfWork, actor: Actor, ticket_id: int, reason: str, ctx: Context
) -> TicketView:
    """Rejects a new report as not a Batik.Net fault; the reporter is told why."""
    coordinator = await require_role(uow, actor, Role.COORDINATOR)
    ticket = await _ticket(uow, ticket_id)
    note = clean_note(reason, required=True, code="reason")
    await _move(
        uow,
        ticket,
        coordinator,
        "rejected",
        (Status.NEW,),
        Status.CANCELLED,
        ctx,
        note,
        closed_at=ctx.now,
    )
    view = await _view(uow, ticket, ctx)
    uow.notify(ReportRejected(view.reporter_telegram_id, view, note or ""))
    await uow.commit()
    return view


async def technicians(
    uow: UnitOfWork, actor: Actor, ticket_id: int
) -> tuple[str, list[tuple[int, str]]]:
    """Returns a ticket's number and the technicians a coordinator can give it to."""
    await require_role(uow, actor, Role.COORDINATOR)
    ticket = await _ticket(uow, ticket_id)
    people = await uow.users.with_role(Role.TECHNICIAN.value)
    return ticket.number, [(u.id, u.full_name) for u in people if u.id != ticket.assignee_id]


# --- checking and diagnosis (procedure 3-5) --------------------------------------------------


async def classify_light(
    uow: UnitOfWork, actor: Actor, ticket_id: int, ctx: Context
) -> TicketView:
    """Marks the fault light: the same technician repairs it directly (procedure 5)."""
    ticket = await _ticket(uow, ticket_id)
    technician = await _assignee(uow, actor, ticket)
    await _move(
        uow,
        ticket,
        technician,
        "classified_light",
        (Status.CHECKING,),
        Status.REPAIRING,
        ctx,
        classification=Classification.LIGHT.value,
    )
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    await uow.commit()
    return view


async def check_heavy(uow: UnitOfWork, actor: Actor, ticket_id: int) -> TicketView:
    """Checks that the actor may file a material request for the ticket now."""
    ticket = await _ticket(uow, ticket_id)
    await _assignee(uow, actor, ticket)
    if ticket.status != Status.CHECKING.value:
        raise InvalidState(number=ticket.number, status=ticket.status)
    return ticket_view(ticket)


async def hold(
    uow: UnitOfWork, actor: Actor, ticket_id: int, reason: str, ctx: Context
) -> TicketView:
    """Puts a ticket on hold while the OPD is awaited (clocks pause); the reporter is told."""
    ticket = await _ticket(uow, ticket_id)
    user = await _assignee_or_coordinator(uow, actor, ticket)
    note = clean_note(reason, required=True, code="reason")
    await _move(uow, ticket, user, "held", HOLDABLE, Status.ON_HOLD, ctx, note)
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    uow.notify(TicketHeld(view.reporter_telegram_id, view, note or ""))
    await uow.commit()
    return view


async def resume(uow: UnitOfWork, actor: Actor, ticket_id: int, ctx: Context) -> TicketView:
    """Resumes a held ticket in the state it was in before the hold."""
    ticket = await _ticket(uow, ticket_id)
    user = await _assignee_or_coordinator(uow, actor, ticket)
    held = [e for e in await uow.events.for_ticket(ticket.id) if e.to_status == "ON_HOLD"]
    previous = Status(held[-1].from_status) if held and held[-1].from_status else Status.CHECKING
    await _move(uow, ticket, user, "resumed", (Status.ON_HOLD,), previous, ctx)
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    uow.notify(TicketResumed(view.reporter_telegram_id, view))
    await uow.commit()
    return view


async def reassign(
    uow: UnitOfWork, actor: Actor, ticket_id: int, technician_id: int, ctx: Context
) -> TicketView:
    """Gives a ticket in work to another technician (coordinators only)."""
    coordinator = await require_role(uow, actor, Role.COORDINATOR)
    ticket = await _ticket(uow, ticket_id)
    technician = await uow.users.get(technician_id)
    if technician is None or Role.TECHNICIAN.value not in technician.roles:
        raise NotFound(what="technician")
    if ticket.assignee_id == technician.id:
        raise InvalidState("same_assignee", name=technician.full_name)
    current = Status(ticket.status)
    if current not in REASSIGNABLE:
        raise InvalidState(number=ticket.number, status=ticket.status)
    await _move(
        uow,
        ticket,
        coordinator,
        "reassigned",
        (current,),
        current,
        ctx,
        technician.full_name,
        assignee_id=technician.id,
    )
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    uow.notify(Assigned(technician.telegram_id, view))
    await uow.commit()
    return view


async def cancel(
    uow: UnitOfWork, actor: Actor, ticket_id: int, reason: str, ctx: Context
) -> TicketView:
    """Cancels a ticket that is not yet in repair (coordinators only, reason required)."""
    coordinator = await require_role(uow, actor, Role.COORDINATOR)
    ticket = await _ticket(uow, ticket_id)
    note = clean_note(reason, required=True, code="reason")
    await _move(
        uow,
        ticket,
        coordinator,
        "cancelled",
        CANCELLABLE,
        Status.CANCELLED,
        ctx,
        note,
        closed_at=ctx.now,
    )
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    uow.notify(TicketCancelled(view.reporter_telegram_id, view, note or ""))
    await uow.commit()
    return view


# --- heavy faults: material request and approval (procedure 6-7) ------------------------------


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
        photos=tuple(
            FileRef(a.file_id, a.file_unique_id, _media(a.media), a.mime_type, a.file_size)
            for a in photos
        ),
    )


def _media(value: str) -> Any:
    from bot.services.domain import Media

    return Media(value)


async def submit_material_request(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: int,
    items: Sequence[MaterialLine],
    reason: str,
    photos: Sequence[FileRef],
    ctx: Context,
) -> MaterialRequestView:
    """Files the equipment a heavy fault needs; the penanggung jawab gets an approval card."""
    ticket = await _ticket(uow, ticket_id)
    technician = await _assignee(uow, actor, ticket)
    lines = [clean_material_line(line) for line in items]
    if not lines or len(lines) > ITEMS_MAX:
        raise InvalidInput("items")
    if len(photos) > PHOTOS_MAX:
        raise InvalidInput("photos")
    reason = clean_long_text(reason, "reason")
    await _move(
        uow,
        ticket,
        technician,
        "material_requested",
        (Status.CHECKING,),
        Status.AWAITING_APPROVAL,
        ctx,
        reason,
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
    stored = _attachments(uow, ticket.id, technician, photos, "material", ctx.now)
    await uow.tickets.flush()
    fresh = await uow.workflow.material_request(request.id)
    assert fresh is not None  # noqa: S101 - just written
    view = _request_view(fresh, ticket, stored)
    card = await _view(uow, ticket, ctx)
    await _card_update(uow, card, ctx.settings)
    coordinators = await _coordinator_chats(uow)
    group = await tech_group_id(uow, ctx.settings)
    # Without a registered penanggung jawab the request would wait for nobody: the group sees it.
    for chat in coordinators or ([group] if group is not None else []):
        uow.notify(ApprovalRequest(chat, card, view))
    await uow.commit()
    return view


def _attachments(
    uow: UnitOfWork, ticket_id: int, user: User, files: Sequence[FileRef], kind: str, now: datetime
) -> list[Attachment]:
    rows = [
        Attachment(
            ticket_id=ticket_id,
            kind=kind,
            media=ref.media.value,
            file_id=ref.file_id,
            file_unique_id=ref.file_unique_id,
            mime_type=ref.mime_type,
            file_size=ref.file_size,
            uploaded_by_id=user.id,
            created_at=now,
        )
        for ref in files
    ]
    for row in rows:
        uow.tickets.add_attachment(row)
    return rows


async def decide_material(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    decision: Decision,
    ctx: Context,
    note: str | None = None,
) -> MaterialRequestView:
    """Approves (orders the repair), rejects or sends back a material request."""
    coordinator = await require_role(uow, actor, Role.COORDINATOR)
    request = await uow.workflow.material_request(request_id)
    if request is None:
        raise NotFound(what="request")
    ticket = await _ticket(uow, request.ticket_id)
    if request.status != "pending":
        raise InvalidState("already_decided", number=ticket.number)
    note = clean_note(note, required=decision is not Decision.APPROVE, code="reason")
    to = Status.REPAIRING if decision is Decision.APPROVE else Status.CHECKING
    kind = {
        Decision.APPROVE: "material_approved",
        Decision.REJECT: "material_rejected",
        Decision.REVISE: "material_revision",
    }[decision]
    await _move(uow, ticket, coordinator, kind, (Status.AWAITING_APPROVAL,), to, ctx, note)
    won = await uow.workflow.decide(
        request.id,
        {Decision.APPROVE: "approved", Decision.REJECT: "rejected", Decision.REVISE: "revision"}[
            decision
        ],
        coordinator.id,
        ctx.now,
        note,
    )
    if not won:
        raise InvalidState("already_decided", number=ticket.number)
    await uow.tickets.flush()
    fresh = await uow.workflow.material_request(request.id, refresh=True)
    assert fresh is not None  # noqa: S101 - just read
    view = _request_view(fresh, ticket)
    card = await _view(uow, ticket, ctx)
    await _card_update(uow, card, ctx.settings)
    uow.notify(MaterialDecided(view.technician_telegram_id, card, view))
    await uow.commit()
    return view


async def approved_items(uow: UnitOfWork, ticket_id: int) -> tuple[MaterialLine, ...]:
    """Returns the items of the ticket's approved material request (the repair's start list)."""
    request = await uow.workflow.approved_request(ticket_id)
    if request is None:
        return ()
    return tuple(MaterialLine(i.name, i.specification, i.quantity, i.unit) for i in request.items)


# --- repair and result (procedure 8-9) -------------------------------------------------------


async def check_repair(uow: UnitOfWork, actor: Actor, ticket_id: int) -> TicketView:
    """Checks that the actor may report the repair of the ticket now."""
    ticket = await _ticket(uow, ticket_id)
    await _assignee(uow, actor, ticket)
    if ticket.status != Status.REPAIRING.value:
        raise InvalidState(number=ticket.number, status=ticket.status)
    return ticket_view(ticket)


async def report_repair(
    uow: UnitOfWork,
    actor: Actor,
    ticket_id: int,
    *,
    diagnosis: str,
    actions: str,
    items: Sequence[ReplacedLine],
    photos: Sequence[FileRef],
    ctx: Context,
) -> TicketView:
    """Records the repair; the reporter's OPD is asked whether the network works again."""
    ticket = await _ticket(uow, ticket_id)
    technician = await _assignee(uow, actor, ticket)
    diagnosis = clean_long_text(diagnosis, "diagnosis")
    actions = clean_long_text(actions, "actions")
    lines = [clean_replaced_line(line) for line in items]
    if len(lines) > ITEMS_MAX:
        raise InvalidInput("items")
    if len(photos) > PHOTOS_MAX:
        raise InvalidInput("photos")
    await _move(
        uow, ticket, technician, "repaired", (Status.REPAIRING,), Status.REPAIRED, ctx, actions
    )
    report = RepairReport(
        ticket_id=ticket.id,
        technician_id=technician.id,
        diagnosis=diagnosis,
        actions=actions,
        reported_at=ctx.now,
    )
    report.items = [
        ReplacedEquipment(
            name=i.name,
            quantity=i.quantity,
            unit=i.unit,
            old_serial=i.old_serial,
            new_serial=i.new_serial,
        )
        for i in lines
    ]
    uow.workflow.add(report)
    _attachments(uow, ticket.id, technician, photos, "after", ctx.now)
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    uow.notify(RepairConfirm(view.reporter_telegram_id, view, diagnosis, actions, tuple(lines)))
    await uow.commit()
    return view


# --- sign-off and berita acara (procedure 10) ------------------------------------------------


async def not_fixed(
    uow: UnitOfWork, actor: Actor, ticket_id: int, reason: str, ctx: Context
) -> TicketView:
    """The OPD says the network still fails: the ticket reopens to REPAIRING (counted)."""
    ticket = await _ticket(uow, ticket_id)
    reporter = await _opd_reporter(uow, actor, ticket)
    note = clean_note(reason, required=True, code="reason")
    await _move(
        uow,
        ticket,
        reporter,
        "reopened",
        (Status.REPAIRED,),
        Status.REPAIRING,
        ctx,
        note,
        reopen_count=(ticket.reopen_count or 0) + 1,
    )
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    if view.assignee_telegram_id is not None:
        uow.notify(Reopened(view.assignee_telegram_id, view, note or ""))
    await uow.commit()
    return view


async def signatory_defaults(uow: UnitOfWork, actor: Actor, ticket_id: int) -> Signatory:
    """Returns the prefilled signatory (the reporter's profile) if the ticket awaits sign-off."""
    ticket = await _ticket(uow, ticket_id)
    reporter = await _opd_reporter(uow, actor, ticket)
    if ticket.status != Status.REPAIRED.value:
        raise InvalidState(number=ticket.number, status=ticket.status)
    return Signatory(reporter.full_name, reporter.nip, reporter.position or "")


def clean_signatory(signatory: Signatory) -> Signatory:
    """Validates the signatory's name, NIP (optional) and position."""
    return Signatory(
        name=clean_name(signatory.name),
        nip=clean_nip(signatory.nip) if signatory.nip else None,
        position=clean_position(signatory.position),
    )


async def confirm_fixed(
    uow: UnitOfWork, actor: Actor, ticket_id: int, signatory: Signatory, ctx: Context
) -> BeritaAcaraView:
    """The OPD confirms the repair and signs: the berita acara is generated, the ticket closes."""
    ticket = await _ticket(uow, ticket_id)
    reporter = await _opd_reporter(uow, actor, ticket)
    signatory = clean_signatory(signatory)
    await _move(
        uow,
        ticket,
        reporter,
        "confirmed",
        (Status.REPAIRED,),
        Status.CLOSED,
        ctx,
        f"ditandatangani {signatory.name}",
        closed_at=ctx.now,
    )
    report = await uow.workflow.latest_repair(ticket.id)
    if report is None:
        raise InvalidState(number=ticket.number, status=ticket.status)
    approval = await uow.workflow.approved_request(ticket.id)
    settings = ctx.settings
    year = ctx.now.astimezone(ctx.calendar.tz).year
    seq = await uow.counters.next_value("berita_acara", year)
    number = berita_acara.format_number(
        settings.ba_number_template, seq, ctx.now, settings.timezone
    )
    secret = settings.ba_secret.get_secret_value() or (
        settings.bot_token.get_secret_value() if settings.bot_token else ""
    )
    code = berita_acara.verification_code(number, ticket.number, ctx.now, secret)
    technician = report.technician
    from bot.services.domain import Category
    from bot.texts.common import CATEGORY, when  # labels shared with the chat texts

    data = berita_acara.BeritaAcaraData(
        number=number,
        header_lines=tuple(p.strip() for p in settings.institution_header.split("|") if p.strip()),
        signed_at=ctx.now,
        timezone=settings.timezone,
        ticket_number=ticket.number,
        opd_name=ticket.opd.name,
        location=ticket.location,
        fault=f"{CATEGORY[Category(ticket.category)]}: {ticket.description}",
        diagnosis=report.diagnosis,
        actions=report.actions,
        items=tuple(
            berita_acara.ReplacedItem(i.name, i.quantity, i.unit, i.old_serial, i.new_serial)
            for i in report.items
        ),
        approval_reference=(
            f"Persetujuan penanggung jawab {approval.decided_by.full_name}, "
            f"{when(approval.decided_at, settings.timezone)}"
            if approval is not None and approval.decided_by and approval.decided_at
            else None
        ),
        first_party=berita_acara.Party(
            technician.full_name,
            technician.nip,
            technician.position or "Teknisi",
            settings.institution_name,
        ),
        second_party=berita_acara.Party(
            signatory.name, signatory.nip, signatory.position, ticket.opd.name
        ),
        verification_code=code,
    )
    row = BeritaAcara(
        ticket_id=ticket.id,
        number=number,
        signatory_name=signatory.name,
        signatory_nip=signatory.nip,
        signatory_position=signatory.position,
        signed_by_id=reporter.id,
        signed_at=ctx.now,
        verification_code=code,
        # Rendering takes a fifth of a second of CPU: keep the event loop free meanwhile.
        pdf=await asyncio.to_thread(berita_acara.render, data),
    )
    uow.workflow.add(row)
    await uow.tickets.flush()
    view = await _view(uow, ticket, ctx)
    await _card_update(uow, view, ctx.settings)
    ba = BeritaAcaraView(row.id, number, ticket.id, ticket.number, ctx.now, code)
    group = await tech_group_id(uow, ctx.settings)
    if group is not None:
        uow.notify(BeritaAcaraReady(group, view, ba))
    await uow.commit()
    return ba


async def berita_acara_pdf(
    uow: UnitOfWork, actor: Actor, ticket_id: int
) -> tuple[BeritaAcaraView, bytes]:
    """Returns a ticket's berita acara and its PDF, to people allowed to see the ticket."""
    from bot.services.tickets import can_see

    user = await require_user(uow, actor)
    ticket = await _ticket(uow, ticket_id)
    if not can_see(user, ticket):
        raise NotFound(what="ticket")
    row = await uow.workflow.berita_acara_for(ticket.id)
    if row is None:
        raise NotFound(what="berita_acara")
    view = BeritaAcaraView(
        row.id, row.number, ticket.id, ticket.number, row.signed_at, row.verification_code
    )
    return view, row.pdf


async def pdf_by_id(uow: UnitOfWork, berita_acara_id: int) -> tuple[str, bytes] | None:
    """Returns the file name and PDF of a berita acara (for the outbox)."""
    row = await uow.workflow.berita_acara(berita_acara_id)
    if row is None:
        return None
    return f"{row.number.replace('/', '-')}.pdf", row.pdf


RATING_MIN, RATING_MAX = 1, 4


async def rate(
    uow: UnitOfWork, actor: Actor, ticket_id: int, score: int, comment: str | None, ctx: Context
) -> TicketView:
    """Records the OPD's rating of the service (1 to 4) once the ticket is closed."""
    ticket = await _ticket(uow, ticket_id)
    reporter = await _opd_reporter(uow, actor, ticket)
    if not RATING_MIN <= score <= RATING_MAX:
        raise InvalidInput("rating")
    comment = clean_note(comment, required=False, code="comment")
    if ticket.status != Status.CLOSED.value:
        raise InvalidState(number=ticket.number, status=ticket.status)
    if ticket.rating is not None:
        raise InvalidState("already_rated", number=ticket.number)
    ticket.rating = score
    ticket.rating_comment = comment
    note = f"{score}" + (f": {comment}" if comment else "")
    uow.events.add(_event(ticket.id, ctx.now, reporter, "rated", None, None, note))
    await uow.tickets.flush()
    view = await _view(uow, ticket, ctx)
    await uow.commit()
    return view


async def check_letter(uow: UnitOfWork, actor: Actor, ticket_id: int) -> TicketView:
    """Checks that the actor may send the late request letter of the ticket now."""
    ticket = await _ticket(uow, ticket_id)
    await _opd_reporter(uow, actor, ticket)
    if ticket.letter_status != "follows":
        raise InvalidState("letter_present", number=ticket.number)
    return ticket_view(ticket)


async def add_letter(
    uow: UnitOfWork, actor: Actor, ticket_id: int, letter: FileRef, ctx: Context
) -> TicketView:
    """Attaches the OPD's request letter that was marked "menyusul"; the group receives it."""
    ticket = await _ticket(uow, ticket_id)
    reporter = await _opd_reporter(uow, actor, ticket)
    if ticket.letter_status != "follows":
        raise InvalidState("letter_present", number=ticket.number)
    ticket.letter_status = "attached"
    ticket.updated_at = ctx.now
    _attachments(uow, ticket.id, reporter, [letter], "letter", ctx.now)
    uow.events.add(_event(ticket.id, ctx.now, reporter, "letter_added", None, None))
    await uow.tickets.flush()
    view = await _view(uow, ticket, ctx)
    group = await tech_group_id(uow, ctx.settings)
    if group is not None:
        uow.notify(LetterAdded(group, view))
    await _card_update(uow, view, ctx.settings)
    await uow.commit()
    return view


# --- actions that ask for a reason or note first --------------------------------------------


class Prompted(StrEnum):
    """Transitions that ask the actor for a reason (or an optional note) before they run."""

    DISPOSE_TEAM = "dispose_team"
    DISPOSE_TECH = "dispose_tech"
    REJECT_REPORT = "reject_report"
    HOLD = "hold"
    CANCEL = "cancel"
    MATERIAL_REJECT = "material_reject"
    MATERIAL_REVISE = "material_revise"
    NOT_FIXED = "not_fixed"


NOTE_OPTIONAL = frozenset({Prompted.DISPOSE_TEAM, Prompted.DISPOSE_TECH})


async def precheck(uow: UnitOfWork, actor: Actor, action: Prompted, ident: int) -> str:
    """Refuses early (before asking for text) and returns the ticket number to name."""
    if action in (Prompted.MATERIAL_REJECT, Prompted.MATERIAL_REVISE):
        await require_role(uow, actor, Role.COORDINATOR)
        request = await uow.workflow.material_request(ident)
        if request is None:
            raise NotFound(what="request")
        ticket = await _ticket(uow, request.ticket_id)
        if request.status != "pending":
            raise InvalidState("already_decided", number=ticket.number)
        return ticket.number
    ticket = await _ticket(uow, ident)
    allowed: tuple[Status, ...]
    if action in (Prompted.DISPOSE_TEAM, Prompted.DISPOSE_TECH, Prompted.REJECT_REPORT):
        await require_role(uow, actor, Role.COORDINATOR)
        allowed = (Status.NEW,)
    elif action is Prompted.HOLD:
        await _assignee_or_coordinator(uow, actor, ticket)
        allowed = HOLDABLE
    elif action is Prompted.CANCEL:
        await require_role(uow, actor, Role.COORDINATOR)
        allowed = CANCELLABLE
    else:
        await _opd_reporter(uow, actor, ticket)
        allowed = (Status.REPAIRED,)
    if Status(ticket.status) not in allowed:
        raise InvalidState(number=ticket.number, status=ticket.status)
    return ticket.number


async def run_prompted(
    uow: UnitOfWork,
    actor: Actor,
    action: Prompted,
    ident: int,
    text: str | None,
    ctx: Context,
    technician_id: int | None = None,
) -> TicketView | MaterialRequestView:
    """Runs a prompted transition with the text the actor gave."""
    match action:
        case Prompted.DISPOSE_TEAM:
            return await dispose(uow, actor, ident, ctx, note=text)
        case Prompted.DISPOSE_TECH:
            return await dispose(uow, actor, ident, ctx, technician_id=technician_id, note=text)
        case Prompted.REJECT_REPORT:
            return await reject_report(uow, actor, ident, text or "", ctx)
        case Prompted.HOLD:
            return await hold(uow, actor, ident, text or "", ctx)
        case Prompted.CANCEL:
            return await cancel(uow, actor, ident, text or "", ctx)
        case Prompted.MATERIAL_REJECT:
            return await decide_material(uow, actor, ident, Decision.REJECT, ctx, text)
        case Prompted.MATERIAL_REVISE:
            return await decide_material(uow, actor, ident, Decision.REVISE, ctx, text)
        case Prompted.NOT_FIXED:
            return await not_fixed(uow, actor, ident, text or "", ctx)
