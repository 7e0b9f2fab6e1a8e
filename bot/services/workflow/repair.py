"""Procedure 8-10: the repair report, the OPD's answer, the signed berita acara and the rating."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services import berita_acara, history, profiles
from bot.services import ticket_flow as flow
from bot.services.berita_acara import confirmations
from bot.services.context import Context
from bot.services.domain import (
    BeritaAcaraView,
    FileRef,
    ReplacedLine,
    Signatory,
    Status,
    TicketView,
)
from bot.services.errors import InvalidInput, InvalidState, NotFound, found
from bot.services.notices import Reopened, RepairConfirm
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
)
from db.models import RepairReport, ReplacedEquipment, TicketEvent

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
    disposition: str | None = None,
    nip: str | None = None,
    position: str | None = None,
    username: str | None = None,
) -> TicketView:
    """Records the repair, confirmed by the technician as the berita acara's content (PIHAK
    PERTAMA), with the old devices' disposition and the NIP and jabatan the document needed;
    the reporter's OPD is asked whether the network works again."""
    technician, ticket = await flow.begin(uow, ctx, Action.REPORT_REPAIR, ticket_id)
    diagnosis = clean_long_text(diagnosis, "diagnosis")
    actions = clean_long_text(actions, "actions")
    lines = clean_equipment(items, clean_replaced_line, photos, required=False)
    if disposition is not None and disposition not in berita_acara.DISPOSITIONS:
        raise InvalidInput("item")
    profiles.apply_document_fields(technician, nip, position, ctx)
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
            disposition=disposition,
        )
        for i in lines
    ]
    uow.workflow.add(report)
    await uow.workflow.flush()
    account = confirmations.Account(ctx.who.telegram_id, username)
    confirmations.record(
        uow, report, confirmations.PartyCode.TECHNICIAN, technician, account, ctx.now
    )
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


async def sign_off_start(
    uow: UnitOfWork, ctx: Context, ticket_id: int
) -> confirmations.SignOffStart:
    """Returns the reporter's own signature and the other people of the OPD who may sign, if
    the ticket awaits the OPD's answer."""
    reporter, ticket = await flow.begin(uow, ctx, Action.CONFIRM_FIXED, ticket_id)
    flow.check(ticket, Action.CONFIRM_FIXED)
    return await confirmations.sign_off_start(uow, reporter, ticket)


async def confirm_fixed(
    uow: UnitOfWork,
    ctx: Context,
    ticket_id: int,
    choice: confirmations.SignerChoice,
    *,
    username: str | None = None,
    position: str | None = None,
    bot_username: str | None = None,
    photos: confirmations.PhotoLoader | None = None,
) -> confirmations.Outcome:
    """The OPD confirms the repair: the ticket closes, and the berita acara is issued once its
    signatory (the reporter, "a.n." an official, or another person of the OPD with their own
    account) and the technician have confirmed it.

    With the bot's username the QR code on the document opens the bot's verification; with
    `photos` (and BA_PHOTO_ANNEX) the ticket's photos are annexed.
    """
    reporter, ticket = await flow.begin(uow, ctx, Action.CONFIRM_FIXED, ticket_id)
    profiles.apply_document_fields(reporter, None, position, ctx)
    account = confirmations.Account(ctx.who.telegram_id, username)
    note = berita_acara.signed_note(reporter.full_name)
    await flow.move(uow, ctx, reporter, ticket, Action.CONFIRM_FIXED, note=note, closed_at=ctx.now)
    await confirmations.opd_confirms(uow, ctx, reporter, ticket, choice, account)
    await confirmations.technician_missing(uow, ctx, ticket)
    outcome = await confirmations.settle(uow, ctx, ticket, bot_username, photos=photos)
    await refresh_card(uow, ticket.id, ctx)
    await uow.commit()
    return outcome


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
