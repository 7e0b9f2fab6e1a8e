"""Complaint types and input validation: states, categories, channels, drafts, views, limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.services.domain import EventView, FileRef, Role
from bot.services.errors import InvalidInput
from bot.services.users import clean_name, clean_phone
from bot.services.validation import record_number, within

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

    @property
    def event(self) -> str:
        """Returns the event kind (and notice kind) recorded when this step fires."""
        return f"due:{self.value}"


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
    ticket_number: str | None  # None also when it would lead to a hidden complainant
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
    return within(text, TEXT_MIN, TEXT_MAX, "complaint_text")


def clean_reason(text: str) -> str:
    """Validates a reason (forwarding, not solved) or an answer note."""
    return within(text, REASON_MIN, REASON_MAX, "complaint_reason")


def clean_answer(text: str) -> str:
    """Validates an officer's or official's answer."""
    return within(text, TEXT_MIN, TEXT_MAX, "complaint_answer")


def clean_delivery(text: str) -> str:
    """Validates how an answer reached a complainant outside the bot."""
    return within(text, 5, DELIVERY_MAX, "complaint_delivery", one_line=True)


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
    return record_number(text, "ADU", "complaint_number")


def is_complaint_number(text: str) -> bool:
    """Tells whether a typed number looks like a complaint number."""
    return text.strip().upper().startswith("ADU-")
