"""The fault ticket's transition table (DESIGN §3) and the one executor every move goes through.

The table says, for each action: the states it applies in, the state it leads to, who may take
it (a role, or a relation to the ticket such as "the assigned technician" or "a reporter of the
ticket's OPD"), whether the actor types a note with it, and which card offers it as a button.
Services run every status change through :func:`move`, which checks the table, moves the
ticket with a conditional UPDATE (a double press or a stale card changes nothing), appends the
event and reschedules the SLA clocks; the keyboards ask :func:`offered` which buttons a card
shows. So a guard lives here once, and a button is never shown for an action the service would
refuse in that state.

Rating a closed ticket and sending a late request letter change no status: they are not rows
of the table, but they check their actor with the same relations (:func:`begin`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from bot.services import history, sla
from bot.services.context import Context
from bot.services.domain import Role, Status
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound, found
from bot.services.uow import UnitOfWork
from bot.services.users import require_role, require_user
from bot.services.validation import within
from db.models import Ticket, TicketEvent, User

NOTE_MAX = 500
TEXT_MIN = 3  # the shortest note or text that says anything


class Action(StrEnum):
    """What can be done to a fault ticket (values are stored in pending reason prompts)."""

    DISPOSE_TEAM = "dispose_team"
    DISPOSE_TECH = "dispose_tech"
    REJECT_REPORT = "reject_report"
    CLAIM = "claim"
    CLASSIFY_LIGHT = "classify_light"
    REQUEST_MATERIAL = "request_material"
    MATERIAL_APPROVE = "material_approve"
    MATERIAL_REJECT = "material_reject"
    MATERIAL_REVISE = "material_revise"
    HOLD = "hold"
    RESUME = "resume"
    REASSIGN = "reassign"
    CANCEL = "cancel"
    REPORT_REPAIR = "report_repair"
    NOT_FIXED = "not_fixed"
    CONFIRM_FIXED = "confirm_fixed"
    WITHDRAW = "withdraw"


class Who(StrEnum):
    """Who may take an action: a role, or a relation of the user to the ticket."""

    COORDINATOR = "coordinator"  # a penanggung jawab
    TECHNICIAN = "technician"  # any technician (claiming an unassigned job)
    ASSIGNEE = "assignee"  # the technician the ticket is assigned to
    ASSIGNEE_OR_COORDINATOR = "assignee_or_coordinator"
    OPD_REPORTER = "opd_reporter"  # a reporter of the ticket's OPD


class Note(StrEnum):
    """Whether the actor types a short note with the action (asked for before it runs)."""

    NONE = "none"  # nothing typed; the use case may record its own event note
    OPTIONAL = "optional"
    REQUIRED = "required"


class Card(StrEnum):
    """The messages whose buttons start actions."""

    JOB = "job"  # the job card in the technician group
    DISPOSITION = "disposition"  # a coordinator's card of a new report
    APPROVAL = "approval"  # a coordinator's card of a material request
    REPAIR_CONFIRM = "repair_confirm"  # the reporter's "does the network work again?"
    REPORTER = "reporter"  # the reporter's messages about a ticket and /tiket


class Back(Enum):
    """Targets that depend on the ticket rather than being one state."""

    SAME = "same"  # the ticket stays where it is (a reassignment)
    BEFORE_HOLD = "before_hold"  # the state the hold interrupted (a resume)


@dataclass(frozen=True)
class Rule:
    """One row of the table: from which states, to which, by whom, with which note."""

    sources: frozenset[Status]
    to: Status | Back
    who: Who
    event: str  # the kind of the appended ticket event
    note: Note = Note.NONE
    card: Card | None = None
    shown: frozenset[Status] | None = None  # where the card offers it (default: every source)
    unassigned: bool = False  # only while no technician has the ticket

    @property
    def offered_in(self) -> frozenset[Status]:
        """Returns the states in which the card shows the action's button."""
        return self.sources if self.shown is None else self.shown


def _states(*states: Status) -> frozenset[Status]:
    return frozenset(states)


_WORKING = _states(Status.CHECKING, Status.AWAITING_APPROVAL, Status.REPAIRING)

TABLE: Mapping[Action, Rule] = {
    # Procedure 2: the penanggung jawab dispositions a report, or rejects it.
    Action.DISPOSE_TEAM: Rule(
        _states(Status.NEW),
        Status.DISPOSED,
        Who.COORDINATOR,
        "disposed",
        Note.OPTIONAL,
        Card.DISPOSITION,
    ),
    Action.DISPOSE_TECH: Rule(
        _states(Status.NEW),
        Status.CHECKING,
        Who.COORDINATOR,
        "disposed",
        Note.OPTIONAL,
        Card.DISPOSITION,
    ),
    Action.REJECT_REPORT: Rule(
        _states(Status.NEW),
        Status.CANCELLED,
        Who.COORDINATOR,
        "rejected",
        Note.REQUIRED,
        Card.DISPOSITION,
    ),
    # Procedure 3-6: a technician takes the job, checks, and classifies the fault.
    Action.CLAIM: Rule(
        _states(Status.DISPOSED),
        Status.CHECKING,
        Who.TECHNICIAN,
        "claimed",
        card=Card.JOB,
        unassigned=True,
    ),
    Action.CLASSIFY_LIGHT: Rule(
        _states(Status.CHECKING),
        Status.REPAIRING,
        Who.ASSIGNEE,
        "classified_light",
        card=Card.JOB,
    ),
    Action.REQUEST_MATERIAL: Rule(
        _states(Status.CHECKING),
        Status.AWAITING_APPROVAL,
        Who.ASSIGNEE,
        "material_requested",
        card=Card.JOB,
    ),
    # Procedure 7: the penanggung jawab decides on the equipment.
    Action.MATERIAL_APPROVE: Rule(
        _states(Status.AWAITING_APPROVAL),
        Status.REPAIRING,
        Who.COORDINATOR,
        "material_approved",
        Note.OPTIONAL,
        Card.APPROVAL,
    ),
    Action.MATERIAL_REJECT: Rule(
        _states(Status.AWAITING_APPROVAL),
        Status.CHECKING,
        Who.COORDINATOR,
        "material_rejected",
        Note.REQUIRED,
        Card.APPROVAL,
    ),
    Action.MATERIAL_REVISE: Rule(
        _states(Status.AWAITING_APPROVAL),
        Status.CHECKING,
        Who.COORDINATOR,
        "material_revision",
        Note.REQUIRED,
        Card.APPROVAL,
    ),
    # Waiting for the OPD pauses the clocks; the card offers it once someone works on it.
    Action.HOLD: Rule(
        _states(Status.DISPOSED, *_WORKING),
        Status.ON_HOLD,
        Who.ASSIGNEE_OR_COORDINATOR,
        "held",
        Note.REQUIRED,
        Card.JOB,
        shown=_WORKING,
    ),
    Action.RESUME: Rule(
        _states(Status.ON_HOLD),
        Back.BEFORE_HOLD,
        Who.ASSIGNEE_OR_COORDINATOR,
        "resumed",
        card=Card.JOB,
    ),
    Action.REASSIGN: Rule(_WORKING, Back.SAME, Who.COORDINATOR, "reassigned", card=Card.JOB),
    Action.CANCEL: Rule(
        _states(Status.NEW, Status.DISPOSED, Status.CHECKING),
        Status.CANCELLED,
        Who.COORDINATOR,
        "cancelled",
        Note.REQUIRED,
        Card.JOB,
        shown=_states(Status.CHECKING),
    ),
    # Procedure 8-10: the repair, and the OPD's answer to it.
    Action.REPORT_REPAIR: Rule(
        _states(Status.REPAIRING), Status.REPAIRED, Who.ASSIGNEE, "repaired", card=Card.JOB
    ),
    Action.NOT_FIXED: Rule(
        _states(Status.REPAIRED),
        Status.REPAIRING,
        Who.OPD_REPORTER,
        "reopened",
        Note.REQUIRED,
        Card.REPAIR_CONFIRM,
    ),
    Action.CONFIRM_FIXED: Rule(
        _states(Status.REPAIRED),
        Status.CLOSED,
        Who.OPD_REPORTER,
        "confirmed",
        card=Card.REPAIR_CONFIRM,
    ),
    # The OPD withdraws a report filed by mistake, as long as the repair has not started (a
    # heavy fault awaiting its equipment has not started either). A held ticket is not offered:
    # the hold may have interrupted the repair itself.
    Action.WITHDRAW: Rule(
        _states(Status.NEW, Status.DISPOSED, Status.CHECKING, Status.AWAITING_APPROVAL),
        Status.CANCELLED,
        Who.OPD_REPORTER,
        "withdrawn",
        Note.REQUIRED,
        Card.REPORTER,
    ),
}


def allows(action: Action, status: Status, *, assigned: bool) -> bool:
    """Tells whether the table lets an action run on a ticket in a state."""
    rule = TABLE[action]
    return status in rule.sources and not (rule.unassigned and assigned)


def offered(card: Card, status: Status, *, assigned: bool) -> frozenset[Action]:
    """Returns the actions whose buttons a card shows for a ticket in a state."""
    return frozenset(
        action
        for action, rule in TABLE.items()
        if rule.card is card
        and status in rule.offered_in
        and allows(action, status, assigned=assigned)
    )


# --- notes -------------------------------------------------------------------------------------


def clean_note(text: str | None, *, required: bool, code: str = "note") -> str | None:
    """Validates a short reason or note (required for refusals, holds, cancellations)."""
    note = " ".join((text or "").split())
    if not note:
        if required:
            raise InvalidInput(code)
        return None
    return within(note, TEXT_MIN, NOTE_MAX, code)


def typed_note(action: Action, text: str | None) -> str | None:
    """Validates the note typed with an action as its row requires ("reason" or "note")."""
    match TABLE[action].note:
        case Note.REQUIRED:
            return clean_note(text, required=True, code="reason")
        case Note.OPTIONAL:
            return clean_note(text, required=False)
        case Note.NONE:
            return text


# --- who may act ---------------------------------------------------------------------------


def _who(subject: Action | Who) -> Who:
    return subject if isinstance(subject, Who) else TABLE[subject].who


# The role each kind of actor must hold; the assignee-or-coordinator is decided by relation.
_ROLES = {
    Who.COORDINATOR: Role.COORDINATOR,
    Who.TECHNICIAN: Role.TECHNICIAN,
    Who.ASSIGNEE: Role.TECHNICIAN,
    Who.OPD_REPORTER: Role.REPORTER,
}


async def permit(uow: UnitOfWork, ctx: Context, subject: Action | Who) -> User:
    """Returns the acting user if they hold the role the action needs (before any ticket)."""
    role = _ROLES.get(_who(subject))
    return await require_role(uow, ctx.who, role) if role else await require_user(uow, ctx.who)


def authorize(user: User, ticket: Ticket, subject: Action | Who) -> None:
    """Refuses a user whose role or relation to the ticket does not allow the action."""
    role = _ROLES.get(_who(subject))
    if role is not None and role.value not in user.roles:
        raise NotAllowed(role=role.value)
    relate(user, ticket, subject)


def relate(user: User, ticket: Ticket, subject: Action | Who) -> None:
    """Refuses a user whose relation to the ticket does not allow the action."""
    match _who(subject):
        case Who.ASSIGNEE if ticket.assignee_id != user.id:
            raise NotAllowed("not_assignee", number=ticket.number)
        case Who.ASSIGNEE_OR_COORDINATOR if (
            ticket.assignee_id != user.id and Role.COORDINATOR.value not in user.roles
        ):
            raise NotAllowed()
        case Who.OPD_REPORTER if user.opd_id != ticket.opd_id:
            # The same answer as for a missing ticket: other OPDs' tickets stay private.
            raise NotFound(what="ticket")


async def load(uow: UnitOfWork, ticket_id: int) -> Ticket:
    """Returns a ticket, freshly read."""
    return found(await uow.tickets.get(ticket_id), NotFound(what="ticket"))


async def begin(
    uow: UnitOfWork, ctx: Context, subject: Action | Who, ticket_id: int
) -> tuple[User, Ticket]:
    """Returns the acting user and the ticket once the user may act on it."""
    user = await permit(uow, ctx, subject)
    ticket = await load(uow, ticket_id)
    relate(user, ticket, subject)
    return user, ticket


def _refusal(ticket: Ticket, rule: Rule) -> InvalidState:
    if rule.unassigned and ticket.assignee is not None:
        return InvalidState("already_claimed", by=ticket.assignee.full_name, number=ticket.number)
    return InvalidState(number=ticket.number, status=ticket.status)


def check(ticket: Ticket, action: Action) -> None:
    """Refuses an action the table does not allow in the ticket's current state."""
    if not allows(action, Status(ticket.status), assigned=ticket.assignee_id is not None):
        raise _refusal(ticket, TABLE[action])


async def precheck(uow: UnitOfWork, ctx: Context, action: Action, ticket_id: int) -> Ticket:
    """Refuses early (before a form or a prompt) what :func:`move` would refuse later."""
    _user, ticket = await begin(uow, ctx, action, ticket_id)
    check(ticket, action)
    return ticket


# --- the executor --------------------------------------------------------------------------


async def _target(uow: UnitOfWork, ticket: Ticket, to: Status | Back) -> Status:
    match to:
        case Back.SAME:
            return Status(ticket.status)
        case Back.BEFORE_HOLD:
            held = [e for e in await uow.events.for_ticket(ticket.id) if e.to_status == "ON_HOLD"]
            before = held[-1].from_status if held else None
            return Status(before) if before else Status.CHECKING
        case Status():
            return to


async def move(
    uow: UnitOfWork,
    ctx: Context,
    user: User,
    ticket: Ticket,
    action: Action,
    *,
    note: str | None = None,
    **values: Any,
) -> str | None:
    """Takes an action the table allows: moves the ticket, logs it, reschedules its clocks.

    The user's role and relation and the ticket's state are checked against the action's row
    (:func:`begin` checks the same earlier, with the database, before a use case reads more).
    The typed note is validated as the action's row says (a note of an action without one is
    the use case's own record, such as the new assignee's name). The UPDATE only matches while
    the ticket is still where it was read, so of two racing presses exactly one moves it.
    Returns the recorded note. Nothing is committed.
    """
    rule = TABLE[action]
    authorize(user, ticket, action)
    note = typed_note(action, note)
    check(ticket, action)
    current = Status(ticket.status)
    to = await _target(uow, ticket, rule.to)
    # The event first: its id is the new stage's entry, which the move's one UPDATE writes
    # with the new state and the clocks (a lost race rolls the event back with the rest).
    entry = history.entry(
        TicketEvent, ctx.now, user, rule.event, current.value, to.value, note, ticket_id=ticket.id
    )
    uow.events.add(entry)
    await uow.tickets.flush()
    new_entry = sla.starts_stage(current.value, to.value)
    stage = {"state_entered_at": ctx.now, "state_entry_id": entry.id} if new_entry else {}
    # The ticket as the move leaves it, in memory, for its clocks (a lost race reads it again).
    await uow.tickets.moved(ticket, to.value, ctx.now, **values, **stage)
    holds_unchanged = Status.ON_HOLD.value not in (current.value, to.value)
    await sla.reschedule(uow, ticket, ctx, new_entry=new_entry, holds_unchanged=holds_unchanged)
    clocks = {column: getattr(ticket, column) for column in sla.CLOCK_COLUMNS}
    with uow.session.no_autoflush:  # the clocks go with the move, not in an UPDATE of their own
        moved = await uow.tickets.transition(
            ticket.id,
            current.value,
            to.value,
            ctx.now,
            unassigned=rule.unassigned,
            **values,
            **stage,
            **clocks,
        )
    if not moved:
        raise _refusal(await load(uow, ticket.id), rule)
    # The UPDATE matched, so the ticket is now what it wrote: brought up to date in memory.
    await uow.tickets.moved(ticket, to.value, ctx.now, **values, **stage, **clocks)
    return note
