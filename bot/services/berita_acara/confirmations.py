"""Who confirms the berita acara, and when it is final.

Two parties confirm the content electronically, each with their own Telegram account: the
technician (PIHAK PERTAMA) as the last step of the repair report, the OPD (PIHAK KEDUA) when it
answers «Sudah normal». The OPD's signatory is the person who answers, another registered
person of the same OPD (who then confirms with their own account), or the person who answers
signing "a.n." (atas nama) for an official not registered in the bot. Each confirmation keeps
the account, the name and the time, and the PDF prints them under the signature.

The berita acara is final, numbered and verifiable, only when both parties have confirmed; until
then `waiting_for` names who it waits for and `remind` (a rung of the SLA sweep) reminds them
once per working day, three times at most, then tells the coordinators.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.config import Settings
from bot.services import verification
from bot.services.berita_acara import document
from bot.services.context import Context
from bot.services.domain import BeritaAcaraView, Category, ReplacedLine, Role, TicketView
from bot.services.errors import InvalidInput, InvalidState, NotAllowed
from bot.services.notices import BaConfirmRequest, BaWaiting, BeritaAcaraReady, ProfileNeeded
from bot.services.profiles import apply_document_fields, missing_for_document
from bot.services.tech_group import tech_group_id
from bot.services.tickets import current_view
from bot.services.uow import UnitOfWork
from bot.services.users import clean_name, clean_position
from db.models import Attachment, BaConfirmation, BeritaAcara, RepairReport, Ticket, User

# Reminders of an awaited confirmation (one a working day), then the coordinators are told.
REMINDERS = 3
PENDING_SCAN = 200
PENDING_DAYS = timedelta(days=31)
STEP_PREFIX = "ba_wait_"
# The app_setting key (and user id) recording that the kabid was asked for the NIP.
KABID_ASKED = "ba_kabid_asked:"
# Other people of the OPD offered as signatory (buttons).
CANDIDATES_MAX = 8
# Photos of the annex (BA_PHOTO_ANNEX): the report's ("before") and the repair's ("after").
ANNEX_EACH = 3
_IMAGE_MIME = frozenset({"image/jpeg", "image/png"})

# Reads a photo's bytes by its Telegram file id (the bot layer downloads; None: not readable).
PhotoLoader = Callable[[str], Awaitable[bytes | None]]


class PartyCode(StrEnum):
    """The parties that confirm a berita acara."""

    TECHNICIAN = "technician"  # PIHAK PERTAMA
    OPD = "opd"  # PIHAK KEDUA


class SignerKind(StrEnum):
    """Who signs for the OPD."""

    SELF = "self"  # the person who answers «Sudah normal»
    OTHER = "other"  # another registered person of the OPD, who confirms with their account
    BEHALF = "behalf"  # the person who answers, "a.n." an official not registered


@dataclass(frozen=True)
class Account:
    """The Telegram account a confirmation comes from."""

    telegram_id: int
    username: str | None


@dataclass(frozen=True)
class SignerChoice:
    """The OPD's choice of signatory in the sign-off."""

    kind: SignerKind
    user_id: int | None = None
    behalf_name: str | None = None
    behalf_position: str | None = None


@dataclass(frozen=True)
class Candidate:
    """Another person of the OPD who may sign."""

    user_id: int
    name: str
    position: str | None


@dataclass(frozen=True)
class SignOffStart:
    """What the sign-off shows first: the person's own signature and the other candidates."""

    name: str
    nip: str | None
    position: str | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Awaited:
    """A party whose confirmation is awaited."""

    party: PartyCode
    name: str
    since: datetime


@dataclass(frozen=True)
class ConfirmationView:
    """A party's confirmation as /verifikasi and the sign-off show it."""

    party: PartyCode
    name: str
    position: str | None
    username: str | None
    telegram_id: int | None
    confirmed_at: datetime | None
    on_behalf_name: str | None
    on_behalf_position: str | None


@dataclass(frozen=True)
class Outcome:
    """The result of a confirmation: the final berita acara, or who it still waits for."""

    ticket_id: int
    ticket_number: str
    berita_acara: BeritaAcaraView | None
    waiting: tuple[Awaited, ...]


@dataclass(frozen=True)
class AwaitedRequest:
    """What the person asked to confirm sees before confirming."""

    confirmation_id: int
    ticket_number: str
    opd_name: str
    party: PartyCode
    requested_by: str
    diagnosis: str
    actions: str
    items: tuple[ReplacedLine, ...]
    needs: tuple[str, ...]  # profile fields the document needs and the person lacks


# --- recording --------------------------------------------------------------------------------


def _confirmed_values(user: User, account: Account, now: datetime) -> dict[str, object]:
    return {
        "confirmed_at": now,
        "telegram_id": account.telegram_id,
        "username": (account.username or None) and account.username[:32],
        "name": user.full_name,
        "nip": user.nip,
        "position": user.position,
        "rank": user.rank,
    }


def record(
    uow: UnitOfWork,
    report: RepairReport,
    party: PartyCode,
    user: User,
    account: Account,
    now: datetime,
    *,
    behalf: tuple[str, str] | None = None,
) -> BaConfirmation:
    """Records a confirmation given now by the person acting."""
    row = BaConfirmation(
        ticket_id=report.ticket_id,
        repair_report_id=report.id,
        party=party.value,
        user_id=user.id,
        requested_by_id=user.id,
        requested_at=now,
        on_behalf_name=behalf[0] if behalf else None,
        on_behalf_position=behalf[1] if behalf else None,
        **_confirmed_values(user, account, now),
    )
    uow.confirmations.add(row)
    return row


async def _request(
    uow: UnitOfWork,
    ctx: Context,
    ticket: Ticket,
    report: RepairReport,
    party: PartyCode,
    user: User,
    by: User | None,
) -> None:
    """Records that a person's confirmation is awaited and asks them privately."""
    row = BaConfirmation(
        ticket_id=ticket.id,
        repair_report_id=report.id,
        party=party.value,
        user_id=user.id,
        requested_by_id=by.id if by else None,
        requested_at=ctx.now,
    )
    uow.confirmations.add(row)
    await uow.confirmations.flush()
    view = await current_view(uow, ticket.id, ctx)
    uow.notify(_request_notice(user.telegram_id, view, row, report, by.full_name if by else ""))


def _lines(report: RepairReport) -> tuple[ReplacedLine, ...]:
    return tuple(
        ReplacedLine(i.name, i.quantity, i.unit, i.old_serial, i.new_serial) for i in report.items
    )


def _request_notice(
    chat: int,
    view: TicketView,
    row: BaConfirmation,
    report: RepairReport,
    by: str,
    reminder: int = 0,
) -> BaConfirmRequest:
    """Returns the request (or the n-th reminder) to confirm, with the content confirmed."""
    return BaConfirmRequest(
        chat,
        view,
        row.id,
        row.party,
        by,
        report.diagnosis,
        report.actions,
        _lines(report),
        reminder,
    )


# --- the OPD's sign-off ----------------------------------------------------------------------


async def sign_off_start(uow: UnitOfWork, reporter: User, ticket: Ticket) -> SignOffStart:
    """Returns the person's own signature and the other people of the OPD who may sign."""
    people = await uow.confirmations.opd_people(ticket.opd_id, Role.REPORTER.value)
    others = [p for p in people if p.id != reporter.id][:CANDIDATES_MAX]
    return SignOffStart(
        reporter.full_name,
        reporter.nip,
        reporter.position,
        tuple(Candidate(p.id, p.full_name, p.position) for p in others),
    )


def clean_behalf(name: str | None, position: str | None) -> tuple[str, str]:
    """Validates the official signed for ("a.n."): their name and position."""
    if not name or not position:
        raise InvalidInput("on_behalf")
    return clean_name(name), clean_position(position)


async def opd_confirms(
    uow: UnitOfWork,
    ctx: Context,
    reporter: User,
    ticket: Ticket,
    choice: SignerChoice,
    account: Account,
) -> None:
    """Records the OPD's confirmation (or asks the chosen signatory for it); no commit."""
    report = await uow.workflow.latest_repair(ticket.id)
    if report is None:
        raise InvalidState(number=ticket.number, status=ticket.status)
    if choice.kind is not SignerKind.OTHER and not reporter.position:
        raise InvalidInput("position")  # the signature block prints the signer's jabatan
    if choice.kind is SignerKind.OTHER:
        people = await uow.confirmations.opd_people(ticket.opd_id, Role.REPORTER.value)
        chosen = next((p for p in people if p.id == choice.user_id), None)
        if chosen is None or chosen.id == reporter.id:
            raise InvalidInput("signatory")
        await _request(uow, ctx, ticket, report, PartyCode.OPD, chosen, reporter)
        return
    behalf = None
    if choice.kind is SignerKind.BEHALF:
        behalf = clean_behalf(choice.behalf_name, choice.behalf_position)
    record(uow, report, PartyCode.OPD, reporter, account, ctx.now, behalf=behalf)


async def technician_missing(uow: UnitOfWork, ctx: Context, ticket: Ticket) -> None:
    """Asks the technician to confirm a repair reported before confirmations existed."""
    report = await uow.workflow.latest_repair(ticket.id)
    if report is None:
        return
    rows = await uow.confirmations.for_report(report.id)
    if not any(r.party == PartyCode.TECHNICIAN.value for r in rows):
        await _request(uow, ctx, ticket, report, PartyCode.TECHNICIAN, report.technician, None)


# --- the awaited confirmation ------------------------------------------------------------------


async def _awaited_row(uow: UnitOfWork, ctx: Context, confirmation_id: int) -> BaConfirmation:
    row = await uow.confirmations.get(confirmation_id)
    if row is None or row.user.telegram_id != ctx.who.telegram_id or not row.user.active:
        raise NotAllowed("not_awaited")
    if row.confirmed_at is not None:
        raise InvalidState("not_awaited")
    return row


async def open_awaited(uow: UnitOfWork, ctx: Context, confirmation_id: int) -> AwaitedRequest:
    """Returns what the awaited person confirms, if the confirmation waits for the actor."""
    row = await _awaited_row(uow, ctx, confirmation_id)
    report = await uow.workflow.latest_repair(row.ticket_id)
    ticket = await uow.tickets.get(row.ticket_id)
    if report is None or ticket is None or report.id != row.repair_report_id:
        raise InvalidState("not_awaited")
    by = await uow.users.get(row.requested_by_id) if row.requested_by_id else None
    return AwaitedRequest(
        row.id,
        ticket.number,
        ticket.opd.name,
        PartyCode(row.party),
        by.full_name if by else "",
        report.diagnosis,
        report.actions,
        _lines(report),
        tuple(missing_for_document(row.user)),
    )


async def confirm_awaited(
    uow: UnitOfWork,
    ctx: Context,
    confirmation_id: int,
    account: Account,
    *,
    nip: str | None = None,
    position: str | None = None,
    bot_username: str | None = None,
    photos: PhotoLoader | None = None,
) -> Outcome:
    """Records an awaited confirmation (with the NIP and jabatan asked for it) and issues the
    berita acara when it was the last one."""
    row = await _awaited_row(uow, ctx, confirmation_id)
    user = row.user
    apply_document_fields(user, nip, position, ctx)
    if row.party == PartyCode.OPD.value and not user.position:
        raise InvalidInput("position")
    await uow.users.flush()
    if not await uow.confirmations.complete(row.id, _confirmed_values(user, account, ctx.now)):
        raise InvalidState("not_awaited")
    ticket = await uow.tickets.get(row.ticket_id)
    assert ticket is not None  # noqa: S101 - a foreign key
    outcome = await settle(uow, ctx, ticket, bot_username, tell_reporter=True, photos=photos)
    await uow.commit()
    return outcome


# --- final ------------------------------------------------------------------------------------


async def settle(
    uow: UnitOfWork,
    ctx: Context,
    ticket: Ticket,
    bot_username: str | None,
    *,
    tell_reporter: bool = False,
    photos: PhotoLoader | None = None,
) -> Outcome:
    """Issues the berita acara when both parties confirmed; else returns who it waits for.

    No commit; the caller that moved the ticket refreshes its card. Issued, it goes to the
    technician group (and to the reporter when the last confirmation came from someone
    else)."""
    report = await uow.workflow.latest_repair(ticket.id)
    if report is None:
        raise InvalidState(number=ticket.number, status=ticket.status)
    rows = {r.party: r for r in await uow.confirmations.for_report(report.id)}
    waiting = tuple(
        Awaited(PartyCode(r.party), r.user.full_name, r.requested_at)
        for r in rows.values()
        if r.confirmed_at is None
    )
    both = {PartyCode.TECHNICIAN.value, PartyCode.OPD.value} <= set(rows)
    if waiting or not both or await uow.workflow.berita_acara_for(ticket.id) is not None:
        return Outcome(ticket.id, ticket.number, None, waiting)
    annex = await _annex(ticket, photos) if photos and ctx.settings.ba_photo_annex else ()
    row = await _issue(uow, ticket, report, rows, ctx, bot_username, annex)
    ba = BeritaAcaraView(
        row.id, row.number, ticket.id, ticket.number, row.signed_at, row.verification_code
    )
    view = await current_view(uow, ticket.id, ctx)
    group = await tech_group_id(uow, ctx.settings)
    if group is not None:
        uow.notify(BeritaAcaraReady(group, view, ba))
    if tell_reporter and ticket.reporter.telegram_id != ctx.who.telegram_id:
        uow.notify(BeritaAcaraReady(ticket.reporter.telegram_id, view, ba))
    return Outcome(ticket.id, ticket.number, ba, ())


def _party(row: BaConfirmation, institution: str, fallback_position: str | None) -> document.Party:
    assert row.confirmed_at is not None and row.telegram_id is not None  # noqa: S101 - settled
    return document.Party(
        row.name or row.user.full_name,
        row.nip,
        row.position or fallback_position,
        institution,
        confirmed=document.Confirmation(row.telegram_id, row.username, row.confirmed_at),
        on_behalf=row.on_behalf_position,
        on_behalf_name=row.on_behalf_name,
        rank=row.rank,
    )


async def _issue(
    uow: UnitOfWork,
    ticket: Ticket,
    report: RepairReport,
    rows: dict[str, BaConfirmation],
    ctx: Context,
    bot_username: str | None,
    annex: tuple[document.AnnexPhoto, ...] = (),
) -> BeritaAcara:
    """Numbers, renders and stores the berita acara once both parties confirmed."""
    approval = await uow.workflow.approved_request(ticket.id)
    settings = ctx.settings
    year = ctx.now.astimezone(ctx.calendar.tz).year
    seq = await uow.counters.next_value("berita_acara", year)
    number = document.format_number(settings.ba_number_template, seq, ctx.now, settings.timezone)
    secret = await verification.secret(uow, settings)
    code = document.verification_code(number, ticket.number, ctx.now, secret)
    # The approved request names each item's specification; the repair report copies the
    # names of the approved list, so an item is matched by its name.
    specs = {i.name.casefold(): i.specification for i in (approval.items if approval else [])}
    technician, opd = rows[PartyCode.TECHNICIAN.value], rows[PartyCode.OPD.value]
    data = document.BeritaAcaraData(
        number=number,
        header_lines=tuple(p.strip() for p in settings.institution_header.split("|") if p.strip()),
        signed_at=ctx.now,
        timezone=settings.timezone,
        ticket_number=ticket.number,
        opd_name=ticket.opd.name,
        location=ticket.location,
        fault=document.fault(Category(ticket.category), ticket.description),
        diagnosis=report.diagnosis,
        actions=report.actions,
        items=tuple(
            document.ReplacedItem(
                i.name,
                i.quantity,
                i.unit,
                i.old_serial,
                i.new_serial,
                specs.get(i.name.casefold()) or None,
                i.disposition,
            )
            for i in report.items
        ),
        approval_reference=(
            document.approval_reference(
                approval.decided_by.full_name, approval.decided_at, settings.timezone
            )
            if approval is not None and approval.decided_by and approval.decided_at
            else None
        ),
        first_party=_party(technician, settings.institution_name, document.TECHNICIAN_POSITION),
        second_party=_party(opd, ticket.opd.name, None),
        verification_code=code,
        letter=document.LetterReference(
            received=ticket.letter_status == "attached",
            number=ticket.letter_number,
            dated=ticket.letter_date,
        ),
        mengetahui=await _mengetahui(uow, settings, number) if settings.ba_mengetahui else None,
        address=settings.institution_address,
        logo=await asyncio.to_thread(document.load_logo, settings.logo_path),
        bot_username=bot_username,
        photos=annex,
    )
    row = BeritaAcara(
        ticket_id=ticket.id,
        number=number,
        signatory_name=opd.name or opd.user.full_name,
        signatory_nip=opd.nip,
        signatory_position=opd.position or "",
        signed_by_id=opd.user_id,
        signed_at=ctx.now,
        verification_code=code,
        # Rendering takes a fifth of a second of CPU: keep the event loop free meanwhile.
        pdf=await asyncio.to_thread(document.render, data),
    )
    uow.workflow.add(row)
    await uow.tickets.flush()
    return row


def _is_image(attachment: Attachment) -> bool:
    return attachment.media == "photo" or attachment.mime_type in _IMAGE_MIME


async def _annex(ticket: Ticket, load: PhotoLoader) -> tuple[document.AnnexPhoto, ...]:
    """Returns the photos of the annex: the report's and the repair's, those that load."""
    chosen: list[tuple[str, Attachment]] = []
    for kind, caption in (("photo", "Sebelum perbaikan"), ("after", "Setelah perbaikan")):
        found = [a for a in ticket.attachments if a.kind == kind and _is_image(a)]
        chosen += [(f"{caption} ({n})", a) for n, a in enumerate(found[:ANNEX_EACH], 1)]
    photos = []
    for caption, attachment in chosen:
        data = await load(attachment.file_id)
        if data:
            photos.append(document.AnnexPhoto(caption, data))
    return tuple(photos)


async def _mengetahui(uow: UnitOfWork, settings: Settings, number: str) -> document.Party:
    """Returns the Kepala Bidang who countersigns: the first supervisor, or blank lines.

    A kabid without a NIP on file is asked once, privately, to complete the profile: the
    kabid confirms nothing in the bot, so the first berita acara is where it is needed."""
    supervisors = await uow.users.with_role(Role.SUPERVISOR.value)
    kabid = supervisors[0] if supervisors else None
    asked = f"{KABID_ASKED}{kabid.id}" if kabid else ""
    if kabid is not None and not kabid.nip and not await uow.settings.get(asked):
        await uow.settings.set(asked, number[:200])
        uow.notify(ProfileNeeded(kabid.telegram_id, number))
    return document.Party(
        kabid.full_name if kabid else "",
        kabid.nip if kabid else None,
        document.KABID_POSITION,
        settings.institution_name,
        rank=kabid.rank if kabid else None,
    )


# --- reading ----------------------------------------------------------------------------------


async def waiting_for(uow: UnitOfWork, ticket_id: int) -> tuple[Awaited, ...]:
    """Returns who the ticket's berita acara waits for (nothing once it is issued)."""
    if await uow.workflow.berita_acara_for(ticket_id) is not None:
        return ()
    report = await uow.workflow.latest_repair(ticket_id)
    if report is None:
        return ()
    return tuple(
        Awaited(PartyCode(r.party), r.user.full_name, r.requested_at)
        for r in await uow.confirmations.for_report(report.id)
        if r.confirmed_at is None
    )


async def parties(uow: UnitOfWork, report_id: int) -> tuple[ConfirmationView, ...]:
    """Returns the confirmations of a repair report, the technician's first."""
    rows = sorted(
        await uow.confirmations.for_report(report_id),
        key=lambda r: r.party != PartyCode.TECHNICIAN.value,
    )
    return tuple(
        ConfirmationView(
            PartyCode(r.party),
            r.name or r.user.full_name,
            r.position,
            r.username,
            r.telegram_id,
            r.confirmed_at,
            r.on_behalf_name,
            r.on_behalf_position,
        )
        for r in rows
    )


# --- reminders (a rung of the SLA sweep) -------------------------------------------------------


def _reminder_moments(row: BaConfirmation, ctx: Context) -> list[datetime]:
    """Returns when the reminders fall due, then the coordinators' notice: one each working day
    after the day of the request (delivered at the next opening)."""
    return [ctx.calendar.add_working_days(row.requested_at, n) for n in range(1, REMINDERS + 2)]


async def remind(uow: UnitOfWork, ctx: Context) -> int:
    """Reminds the awaited people whose reminder is due, once per step (firing keys); after the
    last reminder the coordinators are told. Returns how many steps fired; no commit."""
    # Older requests have had every step (a month holds far more than four working days), so
    # the scan stays small and new requests are never crowded out by old ones.
    since = ctx.now - PENDING_DAYS
    rows: Sequence[BaConfirmation] = await uow.confirmations.pending(since, PENDING_SCAN)
    wanted: list[tuple[BaConfirmation, int]] = []
    for row in rows:
        for n, moment in enumerate(_reminder_moments(row, ctx), 1):
            if moment <= ctx.now:
                wanted.append((row, n))
    if not wanted:
        return 0
    keys = [(row.ticket_id, f"{STEP_PREFIX}{n}", row.id) for row, n in wanted]
    won = await uow.sla.record(keys, ctx.now)
    latest: dict[int, tuple[BaConfirmation, int]] = {}
    for (row, n), key in zip(wanted, keys, strict=True):
        if key in won and (row.id not in latest or latest[row.id][1] < n):
            latest[row.id] = (row, n)  # a backlog sends only its last step
    coordinators = await uow.users.chats_with_role(Role.COORDINATOR.value)
    for row, n in latest.values():
        report = await uow.workflow.latest_repair(row.ticket_id)
        if report is None or report.id != row.repair_report_id:
            continue  # a later repair report asks for its own confirmations
        view = await current_view(uow, row.ticket_id, ctx)
        if n > REMINDERS:
            for chat in coordinators:
                uow.notify(
                    BaWaiting(
                        chat,
                        view,
                        row.user.full_name,
                        row.party,
                        row.requested_at,
                        ctx.settings.timezone,
                    )
                )
            continue
        by = await uow.users.get(row.requested_by_id) if row.requested_by_id else None
        uow.notify(
            _request_notice(row.user.telegram_id, view, row, report, by.full_name if by else "", n)
        )
    return len(won)
