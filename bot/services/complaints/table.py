"""The complaint's transition table (DESIGN §3): state x action -> next state, who, note.

    NEW -> IN_PROGRESS (an officer took it) -> RESPONDED -> RESOLVED -> CLOSED
                                                \\-> ESCALATED -> (official) RESPONDED -> ...

A complaint about staff behaviour goes straight to the official; a complainant who is not
satisfied with an answer, an officer who cannot solve it, or a missed due time escalates it.
The services execute these rows (:mod:`bot.services.complaints.transitions`), and the keyboards
offer exactly the buttons the rows allow the people who see them, so every guard lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.services.complaints.model import (
    OFFICER_ROLES,
    ComplaintStatus,
    ComplaintView,
    Step,
    clean_answer,
    clean_reason,
)
from bot.services.domain import Role
from bot.services.errors import DomainError, InvalidState, NotAllowed
from db.models import Complaint, User


class Action(StrEnum):
    """What can happen to a complaint: a person's button or form, or the system's doing.

    Each value is the kind of the complaint event the action records.
    """

    TAKE = "taken"
    ANSWER = "responded"
    FORWARD = "forwarded"
    SOLVED = "confirmed_solved"  # the complainant: the answer solved it
    NOT_SOLVED = "not_solved"  # the complainant: it did not
    RESOLVE = "resolved"
    CLOSE = "closed"
    BEHAVIOUR = "escalated_behaviour"  # filing: a complaint about staff behaviour
    RESPONSE_DUE = Step.RESPONSE_PASSED.event  # the sweep: the response time passed
    RESOLUTION_DUE = Step.RESOLUTION_PASSED.event  # the sweep: the resolution time passed


class Who(StrEnum):
    """Who may take a row's action: a role, or a relation to the complaint.

    The relations apply to officers: the services refuse anyone else before they look.
    """

    OFFICER = "officer"  # any officer (petugas)
    HANDLER = "handler"  # an officer, unless another officer handles it
    ASSIGNED = "assigned"  # the officer who handles it
    OFFICIAL = "official"  # a complaints official (pejabat pengaduan)
    SETTLER = "settler"  # an official or admin; before escalation, the officer handling it
    COMPLAINANT = "complainant"  # the person who filed it in the bot
    SYSTEM = "system"  # the filing and the due-time sweep, never a person


class Note(StrEnum):
    """What a row requires the actor to write."""

    NONE = "none"
    ANSWER = "answer"  # the answer to the complainant
    REASON = "reason"  # why the complaint goes to the official


class Audience(StrEnum):
    """Who reads a message with buttons: it offers what one of them may do in that role."""

    OFFICER = "officer"  # officers handling it: the card, an officer's private chat
    OFFICIAL = "official"  # the complaints official: the thread, the official's private chat
    COMPLAINANT = "complainant"  # under an answer


@dataclass(frozen=True)
class Transition:
    """One row: in `source`, `action` by `who` moves the complaint to `target`."""

    source: ComplaintStatus
    action: Action
    target: ComplaintStatus
    who: Who
    note: Note = Note.NONE
    before_escalation: bool = False  # only while the complaint was never escalated


_T, _S, _A, _W, _N = Transition, ComplaintStatus, Action, Who, Note

# fmt: off
# Aligned by hand as the table it is. Each row records the event named by its action.
# "before esc.": only while the complaint was never escalated.
TRANSITIONS: tuple[Transition, ...] = (
    #  source          action             target          who             note       before esc.
    _T(_S.NEW,         _A.TAKE,           _S.IN_PROGRESS, _W.OFFICER),
    _T(_S.IN_PROGRESS, _A.ANSWER,         _S.RESPONDED,   _W.ASSIGNED,    _N.ANSWER),
    _T(_S.ESCALATED,   _A.ANSWER,         _S.RESPONDED,   _W.OFFICIAL,    _N.ANSWER),
    _T(_S.NEW,         _A.FORWARD,        _S.ESCALATED,   _W.OFFICER,     _N.REASON),
    _T(_S.IN_PROGRESS, _A.FORWARD,        _S.ESCALATED,   _W.HANDLER,     _N.REASON),
    _T(_S.RESPONDED,   _A.FORWARD,        _S.ESCALATED,   _W.HANDLER,     _N.REASON, True),
    _T(_S.RESPONDED,   _A.SOLVED,         _S.RESOLVED,    _W.COMPLAINANT),
    _T(_S.RESPONDED,   _A.NOT_SOLVED,     _S.ESCALATED,   _W.COMPLAINANT, _N.REASON),
    _T(_S.RESPONDED,   _A.RESOLVE,        _S.RESOLVED,    _W.SETTLER),
    _T(_S.RESOLVED,    _A.CLOSE,          _S.CLOSED,      _W.SETTLER),
    # The standard: complaints about staff behaviour go to the Kominfo official directly.
    _T(_S.NEW,         _A.BEHAVIOUR,      _S.ESCALATED,   _W.SYSTEM),
    # A missed due time hands the complaint to the official; once there, it only reminds.
    _T(_S.NEW,         _A.RESPONSE_DUE,   _S.ESCALATED,   _W.SYSTEM),
    _T(_S.IN_PROGRESS, _A.RESPONSE_DUE,   _S.ESCALATED,   _W.SYSTEM),
    _T(_S.NEW,         _A.RESOLUTION_DUE, _S.ESCALATED,   _W.SYSTEM),
    _T(_S.IN_PROGRESS, _A.RESOLUTION_DUE, _S.ESCALATED,   _W.SYSTEM),
    _T(_S.RESPONDED,   _A.RESOLUTION_DUE, _S.ESCALATED,   _W.SYSTEM),
)
# fmt: on

# «Jawab» on a new complaint takes it first; the answer itself then leaves IN_PROGRESS.
TAKES_FIRST = frozenset({Action.ANSWER})

_BY_ACTION: dict[Action, tuple[Transition, ...]] = {
    action: tuple(r for r in TRANSITIONS if r.action is action) for action in Action
}
_SETTLER_ROLES = frozenset({Role.OFFICIAL.value, Role.ADMIN.value})
_NOTES: dict[Note, Callable[[str], str]] = {Note.ANSWER: clean_answer, Note.REASON: clean_reason}


def rule_for(status: ComplaintStatus, escalated: bool, action: Action) -> Transition | None:
    """Returns the row for an action in a state, or None when the action does not apply."""
    for rule in _BY_ACTION[action]:
        if rule.source is status and not (rule.before_escalation and escalated):
            return rule
    return None


def allows(status: ComplaintStatus, escalated: bool, action: Action) -> bool:
    """Tells whether the action applies in the state (a new complaint's answer takes it first)."""
    return rule_for(status, escalated, action) is not None or takes_first(
        status, escalated, action
    )


def takes_first(status: ComplaintStatus, escalated: bool, action: Action) -> bool:
    """Tells whether the action must take the complaint before it can happen."""
    return (
        action in TAKES_FIRST
        and rule_for(status, escalated, action) is None
        and rule_for(status, escalated, Action.TAKE) is not None
    )


# --- guards -------------------------------------------------------------------------------


def is_officer(user: User | None) -> bool:
    """Tells whether a user is an officer (petugas)."""
    return user is not None and bool(user.roles & OFFICER_ROLES)


def admits(who: Who, user: User | None, complaint: Complaint) -> bool:
    """Tells whether the user is who a row names, for this complaint."""
    if who is Who.SYSTEM or user is None:
        return who is Who.SYSTEM and user is None
    match who:
        case Who.OFFICER:
            return is_officer(user)
        case Who.HANDLER:
            return complaint.officer_id in (None, user.id)
        case Who.ASSIGNED:
            return complaint.officer_id == user.id
        case Who.OFFICIAL:
            return Role.OFFICIAL.value in user.roles
        case Who.SETTLER:
            return bool(user.roles & _SETTLER_ROLES) or (
                not complaint.escalated and complaint.officer_id == user.id
            )
        case Who.COMPLAINANT:
            return complaint.complainant_id is not None and complaint.complainant_id == user.id
    return False


def refusal(who: Who, complaint: Complaint | None = None) -> DomainError:
    """Returns the refusal for someone who is not who a row names."""
    number = complaint.number if complaint is not None else ""
    match who:
        case Who.OFFICER:
            return NotAllowed("complaint_officers_only")
        case Who.HANDLER | Who.ASSIGNED:
            name = complaint.officer.full_name if complaint and complaint.officer else "-"
            return NotAllowed("complaint_not_yours", number=number, by=name)
        case Who.OFFICIAL | Who.SETTLER:
            return NotAllowed("complaint_official_only", number=number)
        case Who.COMPLAINANT:
            return NotAllowed("complaint_not_complainant")
    return NotAllowed()


def permit(complaint: Complaint, action: Action, user: User | None) -> Transition:
    """Returns the row that lets the user take the action now, or raises the refusal.

    When the action does not apply in the complaint's state, the complaint moved on; but when
    the action names the same person in every state and the user is not that person, that is
    the answer (the wrong person pressing a stale button learns it was never theirs).
    """
    rule = rule_for(ComplaintStatus(complaint.status), complaint.escalated, action)
    if rule is None:
        whos = {r.who for r in _BY_ACTION[action]}
        if len(whos) == 1 and not admits(next(iter(whos)), user, complaint):
            raise refusal(next(iter(whos)), complaint)
        if action is Action.TAKE and complaint.officer is not None:
            raise InvalidState(
                "complaint_taken", number=complaint.number, by=complaint.officer.full_name
            )
        raise InvalidState("complaint_moved", number=complaint.number)
    if not admits(rule.who, user, complaint):
        raise refusal(rule.who, complaint)
    return rule


def clean_note(rule: Transition, text: str | None) -> str | None:
    """Validates the note a row requires (None for rows without one)."""
    if rule.note is Note.NONE:
        return None
    return _NOTES[rule.note](text or "")  # a missing note is refused as a too short one


# --- buttons ------------------------------------------------------------------------------


def _offers(who: Who, audience: Audience, view: ComplaintView) -> bool:
    """Tells whether the readers of a message may be who a row names (the guards of
    :func:`admits`, asked of everyone who reads it)."""
    match who:
        case Who.OFFICER | Who.HANDLER | Who.ASSIGNED:
            return audience is Audience.OFFICER
        case Who.OFFICIAL:
            return audience is Audience.OFFICIAL
        case Who.SETTLER:
            return audience is Audience.OFFICIAL or (
                audience is Audience.OFFICER and not view.escalated
            )
        case Who.COMPLAINANT:
            return audience is Audience.COMPLAINANT and view.complainant_in_bot
    return False


def offered(view: ComplaintView, audience: Audience) -> frozenset[Action]:
    """Returns the actions the audience may take on the complaint now: the buttons it sees."""
    found: set[Action] = set()
    for action in Action:
        rule = rule_for(view.status, view.escalated, action)
        if rule is None and takes_first(view.status, view.escalated, action):
            rule = rule_for(view.status, view.escalated, Action.TAKE)
        if rule is None or not _offers(rule.who, audience, view):
            continue
        if action is Action.RESOLVE and audience is Audience.OFFICER and view.complainant_in_bot:
            continue  # an officer leaves the verdict to a complainant who can give it in the bot
        found.add(action)
    return frozenset(found)
