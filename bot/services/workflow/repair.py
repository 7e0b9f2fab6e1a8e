"""Procedure 8-10: the repair report, the OPD's answer, the signed berita acara and the rating."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.config import Settings
from bot.services import berita_acara, history, verification
from bot.services import ticket_flow as flow
from bot.services.context import Context
from bot.services.domain import (
    BeritaAcaraView,
    Category,
    FileRef,
    ReplacedLine,
    Role,
    Signatory,
    Status,
    TicketView,
)
from bot.services.errors import InvalidInput, InvalidState, NotFound, found
from bot.services.notices import BeritaAcaraReady, Reopened, RepairConfirm
from bot.services.tech_group import tech_group_id
from bot.services.tickets import (
    add_attachments,
    can_see,
    commit_move,
    current_view,
    refresh_card,
)
from bot.services.uow import UnitOfWork
from bot.services.users import require_user
from bot.services.workflow.validation import (
    clean_equipment,
    clean_long_text,
    clean_note,
    clean_replaced_line,
    clean_signatory,
)
from db.models import BeritaAcara, RepairReport, ReplacedEquipment, Ticket, TicketEvent, User

Action = flow.Action
RATING_MIN, RATING_MAX = 1, 4


async def report_repair(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    *,
    diagnosis: str,
    actions: str,
    items: Sequence[ReplacedLine],
    photos: Sequence[FileRef],
) -> TicketView:
    """Records the repair; the reporter's OPD is asked whether the network works again."""
    technician, ticket = await flow.begin(uow, ctx, Action.REPORT_REPAIR, ticket_id)
    diagnosis = clean_long_text(diagnosis, "diagnosis")
    actions = clean_long_text(actions, "actions")
    lines = clean_equipment(items, clean_replaced_line, photos, required=False)
    await flow.move(uow, ctx, technician, ticket, Action.REPORT_REPAIR, note=actions)
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
    add_attachments(uow, ticket.id, technician, [("after", ref) for ref in photos], ctx.now)
    return await commit_move(
        uow,
        ticket.id,
        ctx,
        lambda view: RepairConfirm(
            view.reporter_telegram_id, view, diagnosis, actions, tuple(lines)
        ),
    )


async def not_fixed(uow: UnitOfWork, ctx: Context, ticket_id: int, reason: str) -> TicketView:
    """The OPD says the network still fails: the ticket reopens to REPAIRING (counted)."""
    reporter, ticket = await flow.begin(uow, ctx, Action.NOT_FIXED, ticket_id)
    note = await flow.move(
        uow,
        ctx,
        reporter,
        ticket,
        Action.NOT_FIXED,
        note=reason,
        reopen_count=(ticket.reopen_count or 0) + 1,
    )

    def tell_technician(view: TicketView) -> Reopened | None:
        technician = view.assignee_telegram_id
        return None if technician is None else Reopened(technician, view, note or "")

    return await commit_move(uow, ticket.id, ctx, tell_technician)


async def signatory_defaults(uow: UnitOfWork, ctx: Context, ticket_id: int) -> Signatory:
    """Returns the prefilled signatory (the reporter's profile) if the ticket awaits sign-off."""
    reporter, ticket = await flow.begin(uow, ctx, Action.CONFIRM_FIXED, ticket_id)
    flow.check(ticket, Action.CONFIRM_FIXED)
    return Signatory(reporter.full_name, reporter.nip, reporter.position or "")


async def confirm_fixed(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    signatory: Signatory,
    *,
    bot_username: str | None = None,
) -> BeritaAcaraView:
    """The OPD confirms the repair and signs: the berita acara is generated, the ticket closes.

    With the bot's username the QR code on the document opens the bot's verification.
    """
    reporter, ticket = await flow.begin(uow, ctx, Action.CONFIRM_FIXED, ticket_id)
    signatory = clean_signatory(signatory)
    note = berita_acara.signed_note(signatory.name)
    await flow.move(uow, ctx, reporter, ticket, Action.CONFIRM_FIXED, note=note, closed_at=ctx.now)
    row = await _sign(uow, ticket, reporter, signatory, ctx, bot_username)
    view = await refresh_card(uow, ticket.id, ctx)
    ba = BeritaAcaraView(
        row.id, row.number, ticket.id, ticket.number, ctx.now, row.verification_code
    )
    group = await tech_group_id(uow, ctx.settings)
    if group is not None:
        uow.notify(BeritaAcaraReady(group, view, ba))
    await uow.commit()
    return ba


async def _sign(
    uow: UnitOfWork,
    ticket: Ticket,
    reporter: User,
    signatory: Signatory,
    ctx: Context,
    bot_username: str | None,
) -> BeritaAcara:
    """Numbers, renders and stores the berita acara of a repair the OPD just confirmed."""
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
    secret = await verification.secret(uow, settings)
    code = berita_acara.verification_code(number, ticket.number, ctx.now, secret)
    technician = report.technician
    # The approved request names each item's specification; the repair report copies the
    # names of the approved list, so an item is matched by its name.
    specs = {i.name.casefold(): i.specification for i in (approval.items if approval else [])}
    data = berita_acara.BeritaAcaraData(
        number=number,
        header_lines=tuple(p.strip() for p in settings.institution_header.split("|") if p.strip()),
        signed_at=ctx.now,
        timezone=settings.timezone,
        ticket_number=ticket.number,
        opd_name=ticket.opd.name,
        location=ticket.location,
        fault=berita_acara.fault(Category(ticket.category), ticket.description),
        diagnosis=report.diagnosis,
        actions=report.actions,
        items=tuple(
            berita_acara.ReplacedItem(
                i.name,
                i.quantity,
                i.unit,
                i.old_serial,
                i.new_serial,
                specs.get(i.name.casefold()) or None,
            )
            for i in report.items
        ),
        approval_reference=(
            berita_acara.approval_reference(
                approval.decided_by.full_name, approval.decided_at, settings.timezone
            )
            if approval is not None and approval.decided_by and approval.decided_at
            else None
        ),
        first_party=berita_acara.Party(
            technician.full_name,
            technician.nip,
            technician.position or berita_acara.TECHNICIAN_POSITION,
            settings.institution_name,
        ),
        second_party=berita_acara.Party(
            signatory.name, signatory.nip, signatory.position, ticket.opd.name
        ),
        verification_code=code,
        letter=berita_acara.LetterReference(
            received=ticket.letter_status == "attached",
            number=ticket.letter_number,
            dated=ticket.letter_date,
        ),
        mengetahui=await _mengetahui(uow, settings) if settings.ba_mengetahui else None,
        address=settings.institution_address,
        logo=await asyncio.to_thread(berita_acara.load_logo, settings.logo_path),
        bot_username=bot_username,
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
    return row


async def _mengetahui(uow: UnitOfWork, settings: Settings) -> berita_acara.Party:
    """Returns the Kepala Bidang who countersigns: the first supervisor, or blank lines."""
    supervisors = await uow.users.with_role(Role.SUPERVISOR.value)
    kabid = supervisors[0] if supervisors else None
    return berita_acara.Party(
        kabid.full_name if kabid else "",
        kabid.nip if kabid else None,
        berita_acara.KABID_POSITION,
        settings.institution_name,
    )


async def berita_acara_pdf(
    uow: UnitOfWork, ctx: Context, ticket_id: int
) -> tuple[BeritaAcaraView, bytes]:
    """Returns a ticket's berita acara and its PDF, to people allowed to see the ticket."""
    user = await require_user(uow, ctx.who)
    ticket = await flow.load(uow, ticket_id)
    if not can_see(user, ticket):
        raise NotFound(what="ticket")
    row = found(await uow.workflow.berita_acara_for(ticket.id), NotFound(what="berita_acara"))
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


async def rate(
    uow: UnitOfWork, ctx: Context, ticket_id: int, score: int, comment: str | None
) -> TicketView:
    """Records the OPD's rating of the service (1 to 4) once the ticket is closed."""
    reporter, ticket = await flow.begin(uow, ctx, flow.Who.OPD_REPORTER, ticket_id)
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
    uow.events.add(
        history.entry(TicketEvent, ctx.now, reporter, "rated", note=note, ticket_id=ticket.id)
    )
    await uow.tickets.flush()
    view = await current_view(uow, ticket.id, ctx)
    await uow.commit()
    return view
