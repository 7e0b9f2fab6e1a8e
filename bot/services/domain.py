"""Domain vocabulary: roles, ticket states, categories, and the views services return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.services.calendar import Remaining


class Role(StrEnum):
    """Roles a user can hold (DESIGN §2)."""

    REPORTER = "reporter"
    TECHNICIAN = "technician"
    COORDINATOR = "coordinator"
    OFFICIAL = "official"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Status(StrEnum):
    """Fault ticket states (DESIGN §3)."""

    NEW = "NEW"
    DISPOSED = "DISPOSED"
    CHECKING = "CHECKING"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    REPAIRING = "REPAIRING"
    REPAIRED = "REPAIRED"
    ON_HOLD = "ON_HOLD"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


OPEN_STATES: tuple[str, ...] = tuple(
    s.value for s in Status if s not in (Status.CLOSED, Status.CANCELLED)
)


class Category(StrEnum):
    """What kind of fault the OPD reports."""

    INTERNET_DOWN = "internet_down"
    SLOW = "slow"
    WIFI = "wifi"
    DEVICE = "device"
    OTHER = "other"


class Impact(StrEnum):
    """How much of the office the fault affects."""

    ONE_DEVICE = "one_device"
    ONE_ROOM = "one_room"
    WHOLE_OFFICE = "whole_office"


class LetterStatus(StrEnum):
    """Whether the OPD's request letter (surat permohonan) is attached or follows later."""

    ATTACHED = "attached"
    FOLLOWS = "follows"


class Media(StrEnum):
    """How a file reached Telegram (decides which send method shows it)."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class FileRef:
    """A file held by Telegram, referenced by its ids."""

    file_id: str
    file_unique_id: str
    media: Media
    mime_type: str | None = None
    file_size: int | None = None


@dataclass(frozen=True)
class Actor:
    """The person acting, as Telegram identifies them."""

    telegram_id: int
    display_name: str = ""


@dataclass(frozen=True)
class OpdView:
    """An OPD as shown to users."""

    id: int
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class UserView:
    """A registered user as shown to users."""

    id: int
    telegram_id: int
    full_name: str
    phone: str | None
    nip: str | None
    position: str | None
    opd: OpdView | None
    roles: frozenset[str]

    def has(self, role: Role) -> bool:
        """Tells whether the user holds a role."""
        return role.value in self.roles


@dataclass(frozen=True)
class EventView:
    """One timeline entry."""

    at: datetime
    kind: str
    actor_name: str | None
    from_status: str | None
    to_status: str | None
    note: str | None


@dataclass(frozen=True)
class SlaInfo:
    """Working time left on a ticket's clocks, and whether its deadline is at risk or missed."""

    target: Remaining
    deadline: Remaining
    at_risk: bool
    breached: bool


@dataclass(frozen=True)
class TicketView:
    """A fault ticket as shown to users."""

    id: int
    number: str
    status: Status
    opd_name: str
    category: Category
    impact: Impact
    location: str
    description: str
    contact_phone: str
    reporter_name: str
    reporter_telegram_id: int
    assignee_name: str | None
    assignee_telegram_id: int | None
    letter_status: LetterStatus
    received_at: datetime
    claimed_at: datetime | None
    target_due_at: datetime
    deadline_due_at: datetime
    photos: tuple[FileRef, ...] = ()
    letter: FileRef | None = None
    events: tuple[EventView, ...] = field(default=())
    sla: SlaInfo | None = None
    opens_at: datetime | None = None  # next office opening when the office is closed now
    classification: str | None = None  # "light" or "heavy" once diagnosed
    disposition_note: str | None = None
    reopen_count: int = 0
    previous_status: Status | None = None  # the state an ON_HOLD ticket resumes to
    rating: int | None = None
    has_berita_acara: bool = False
    after_photos: tuple[FileRef, ...] = ()  # taken by the technician after the repair
    letter_number: str | None = None  # the request letter's own number and date, if given
    letter_date: date | None = None


class Classification(StrEnum):
    """Light faults are fixed directly; heavy ones need approved equipment (procedure 5-6)."""

    LIGHT = "light"
    HEAVY = "heavy"


class Decision(StrEnum):
    """What the penanggung jawab decides on a material request."""

    APPROVE = "approve"
    REJECT = "reject"
    REVISE = "revise"


@dataclass(frozen=True)
class MaterialLine:
    """One requested item: name, specification, quantity and unit."""

    name: str
    specification: str
    quantity: int
    unit: str


@dataclass(frozen=True)
class MaterialRequestView:
    """A material request as shown to the technician and the penanggung jawab."""

    id: int
    ticket_id: int
    ticket_number: str
    opd_name: str
    technician_name: str
    technician_telegram_id: int
    reason: str
    items: tuple[MaterialLine, ...]
    status: str
    submitted_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_note: str | None = None
    photos: tuple[FileRef, ...] = ()


@dataclass(frozen=True)
class ReplacedLine:
    """One replaced piece of equipment with the serial numbers of the old and the new unit."""

    name: str
    quantity: int
    unit: str
    old_serial: str | None = None
    new_serial: str | None = None


@dataclass(frozen=True)
class Signatory:
    """Who signs the berita acara for the OPD."""

    name: str
    nip: str | None
    position: str


@dataclass(frozen=True)
class BeritaAcaraView:
    """A generated berita acara (the PDF bytes stay in the database until sent)."""

    id: int
    number: str
    ticket_id: int
    ticket_number: str
    signed_at: datetime
    verification_code: str
