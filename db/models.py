"""SQLAlchemy 2 models. Domain words keep their Indonesian names (OPD = perangkat daerah)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with constraint naming conventions (stable Alembic diffs)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Opd(Base):
    """A city agency (Organisasi Perangkat Daerah) connected to Batik.Net."""

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """A Telegram user known to the bot."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    nip: Mapped[str | None] = mapped_column(String(18))
    position: Mapped[str | None] = mapped_column(String(100))
    # Pangkat/golongan (e.g. "Penata Muda, III/a"), optional; printed under the NIP if given.
    rank: Mapped[str | None] = mapped_column(String(60))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    opd: Mapped[Opd | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def roles(self) -> frozenset[str]:
        """Returns the role codes this user holds."""
        return frozenset(row.role for row in self.role_rows)


class UserRole(Base):
    """One role held by a user (roles live in the database, never only in chat membership)."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class Invite(Base):
    """A per-OPD registration deep link created by an admin."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    opd: Mapped[Opd] = relationship(lazy="joined")


class Counter(Base):
    """A per-year sequence (ticket numbers, complaint numbers, minutes numbers)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


# The open states (bot.services.domain.OPEN_STATES, in its order) as the lists of open tickets
# spell them: SQLite uses a partial index only for a query that repeats its WHERE term.
OPEN_TICKET = (
    "status IN ('NEW', 'DISPOSED', 'CHECKING', 'AWAITING_APPROVAL', 'REPAIRING', 'REPAIRED', "
    "'ON_HOLD')"
)
UNASSIGNED = "assignee_id IS NULL"
# The finished states (the complement of OPEN_TICKET), for an OPD's list of older tickets.
DONE_TICKET = "status IN ('CLOSED', 'CANCELLED')"


class Ticket(Base):
    """A Batik.Net fault report (`BN-YYYY-NNNNN`)."""

    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_opd_status", "opd_id", "status"),
        # Partial indexes for the lists of open tickets (/status), read in their order.
        Index(
            "ix_ticket_open_assignee",
            "assignee_id",
            "received_at",
            "id",
            sqlite_where=text(OPEN_TICKET),
            postgresql_where=text(OPEN_TICKET),
        ),
        Index(
            "ix_ticket_unassigned",
            "status",
            "received_at",
            "id",
            sqlite_where=text(UNASSIGNED),
            postgresql_where=text(UNASSIGNED),
        ),
        # An OPD's list (a reporter's /status): its open tickets, then its finished ones,
        # newest first, each read from its own index (migration 0016).
        Index(
            "ix_ticket_opd_open",
            "opd_id",
            "received_at",
            "id",
            sqlite_where=text(OPEN_TICKET),
            postgresql_where=text(OPEN_TICKET),
        ),
        Index(
            "ix_ticket_opd_done",
            "opd_id",
            "received_at",
            "id",
            sqlite_where=text(DONE_TICKET),
            postgresql_where=text(DONE_TICKET),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    category: Mapped[str] = mapped_column(String(24))
    impact: Mapped[str] = mapped_column(String(24))
    location: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact_phone: Mapped[str] = mapped_column(String(20))
    letter_status: Mapped[str] = mapped_column(String(12))
    # The request letter's own number and date, as the OPD gives them (both optional).
    letter_number: Mapped[str | None] = mapped_column(String(80))
    letter_date: Mapped[date | None]
    received_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    target_due_at: Mapped[datetime]
    deadline_due_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)
    response_due_at: Mapped[datetime | None]
    breached_at: Mapped[datetime | None]
    classification: Mapped[str | None] = mapped_column(String(8))
    disposition_note: Mapped[str | None] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    # The current stage of the workflow: when the ticket entered its state and the id of the
    # event that moved it there. A hold and its resume keep the stage (the ticket resumes the
    # same stage); a re-entry (a new material request, a new repair report) starts a new one.
    state_entered_at: Mapped[datetime | None]
    state_entry_id: Mapped[int | None] = mapped_column(Integer)

    opd: Mapped[Opd] = relationship(lazy="joined")
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    attachments: Mapped[list[Attachment]] = relationship(lazy="selectin", order_by="Attachment.id")


class Attachment(Base):
    """A file sent to the bot for a ticket, kept as Telegram file ids."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    media: Mapped[str] = mapped_column(String(12))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]


class TicketEvent(Base):
    """One append-only audit entry of a ticket: who did what, when, from which state to which."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


class TicketMessage(Base):
    """A card the bot posted about a ticket (the job card) or a complaint (the complaint card),
    so it can be edited in place later. Exactly one of ``ticket_id`` and ``complaint_id`` is set.
    """

    __tablename__ = "ticket_message"
    __table_args__ = (
        UniqueConstraint("ticket_id", "chat_id", "purpose"),
        UniqueConstraint("complaint_id", "chat_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(24))


class TicketNote(Base):
    """A message written inside a ticket (OPD to technicians or back), relayed by copyMessage.

    The original stays in the sender's chat (``source_chat_id``, ``source_message_id``): the
    relay and a later resend copy it from there, so no file is ever downloaded.
    """

    __tablename__ = "ticket_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_event.id"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    side: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(12))
    excerpt: Mapped[str | None] = mapped_column(Text)
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    # The note this one answers (its writer receives the answer).
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_note.id"))
    at: Mapped[datetime]

    sender: Mapped[User] = relationship(lazy="joined")


class TicketPost(Base):
    """A message in a chat known to be about a ticket: a bot message (card, notice, relayed
    note) or a note's original. A reply to it is a message to the ticket."""

    __tablename__ = "ticket_post"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_note.id"))


class OutboxMessage(Base):
    """A message to another chat, written with the state change and delivered after commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    purpose: Mapped[str | None] = mapped_column(String(24))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AppSetting(Base):
    """A setting changed at run time by an admin (e.g. the technician group chat)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class BotState(Base):
    """Persisted conversation state and drafts, so a half-filled wizard survives a restart."""

    __tablename__ = "bot_state"

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[dict[str, Any]]


class ProcessedUpdate(Base):
    """A Telegram update already handled, written in the same commit as its effects, so an
    update Telegram delivers again is skipped (pruned after some days)."""

    __tablename__ = "processed_update"
    __table_args__ = (Index("ix_processed_update_processed_at", "processed_at"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime]


class CalendarHoliday(Base):
    """A holiday an admin added to the business calendar."""

    __tablename__ = "calendar_holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class RemovedHoliday(Base):
    """A national holiday an admin declared a working day."""

    __tablename__ = "removed_holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class CalendarOverride(Base):
    """A date range with its own weekly schedule (e.g. Ramadan office hours)."""

    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)
    spec: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100), default="")


class SlaFiring(Base):
    """One fired step of a ticket's escalation ladder; the unique key makes it fire once.

    ``entry_id`` is 0 for the steps of the ticket's clocks (once per ticket) and the ticket's
    ``state_entry_id`` for the steps of a stage (once per entry into the state).
    """

    __tablename__ = "sla_firing"
    __table_args__ = (UniqueConstraint("ticket_id", "step", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    step: Mapped[str] = mapped_column(String(24))
    entry_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fired_at: Mapped[datetime]


class SlaDigest(Base):
    """The morning digest of one working day, recorded so it is sent once."""

    __tablename__ = "sla_digest"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime]


class MaterialRequest(Base):
    """Equipment and materials a technician needs for a heavy fault (procedure 6-7)."""

    __tablename__ = "material_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    submitted_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    technician: Mapped[User] = relationship(foreign_keys=[technician_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")
    items: Mapped[list[MaterialItem]] = relationship(
        lazy="selectin", order_by="MaterialItem.id", cascade="all, delete-orphan"
    )


class MaterialItem(Base):
    """One line of a material request."""

    __tablename__ = "material_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("material_request.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    specification: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))


class RepairReport(Base):
    """The technician's report of a repair (procedure 9)."""

    __tablename__ = "repair_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    diagnosis: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]

    technician: Mapped[User] = relationship(lazy="joined")
    items: Mapped[list[ReplacedEquipment]] = relationship(
        lazy="selectin", order_by="ReplacedEquipment.id", cascade="all, delete-orphan"
    )


class ReplacedEquipment(Base):
    """One piece of equipment replaced in a repair."""

    __tablename__ = "replaced_equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("repair_report.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    old_serial: Mapped[str | None] = mapped_column(String(64))
    new_serial: Mapped[str | None] = mapped_column(String(64))
    # What becomes of the old device: returned, stored at Kominfo or written off (or unknown).
    disposition: Mapped[str | None] = mapped_column(String(16))


class BeritaAcara(Base):
    """The signed minutes of replaced local network equipment (procedure 10)."""

    __tablename__ = "berita_acara"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    signatory_name: Mapped[str] = mapped_column(String(100))
    signatory_nip: Mapped[str | None] = mapped_column(String(18))
    signatory_position: Mapped[str] = mapped_column(String(100))
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime]
    verification_code: Mapped[str] = mapped_column(String(16), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class BaConfirmation(Base):
    """One party's electronic confirmation of a berita acara's content (or the wait for it).

    A row is requested (``confirmed_at`` empty) for the person whose confirmation is awaited and
    completed with the Telegram account, name and time when they confirm. ``party`` is
    ``technician`` (PIHAK PERTAMA) or ``opd`` (PIHAK KEDUA); ``on_behalf_*`` name the official
    the OPD's signatory signs for ("a.n."). One row per party and repair report.
    """

    __tablename__ = "ba_confirmation"
    __table_args__ = (UniqueConstraint("repair_report_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    repair_report_id: Mapped[int] = mapped_column(ForeignKey("repair_report.id"))
    party: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None] = mapped_column(index=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    username: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(100))
    nip: Mapped[str | None] = mapped_column(String(18))
    position: Mapped[str | None] = mapped_column(String(100))
    rank: Mapped[str | None] = mapped_column(String(60))
    on_behalf_name: Mapped[str | None] = mapped_column(String(100))
    on_behalf_position: Mapped[str | None] = mapped_column(String(100))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Complaint(Base):
    """A complaint (pengaduan) about the service: `ADU-YYYY-NNNNN`."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    complainant_name: Mapped[str] = mapped_column(String(100))
    complainant_contact: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    text: Mapped[str] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    received_at: Mapped[datetime]
    response_due_at: Mapped[datetime]
    resolution_due_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)
    response: Mapped[str | None] = mapped_column(Text)
    response_delivery: Mapped[str | None] = mapped_column(String(200))
    response_count: Mapped[int] = mapped_column(Integer, default=0)

    complainant: Mapped[User | None] = relationship(foreign_keys=[complainant_id], lazy="joined")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id], lazy="joined")
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id], lazy="joined")
    official: Mapped[User | None] = relationship(foreign_keys=[official_id], lazy="joined")
    ticket: Mapped[Ticket | None] = relationship(lazy="joined")
    files: Mapped[list[ComplaintFile]] = relationship(lazy="selectin", order_by="ComplaintFile.id")


class ComplaintFile(Base):
    """A photo or PDF attached to a complaint, kept as Telegram file ids."""

    __tablename__ = "complaint_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    media: Mapped[str] = mapped_column(String(12))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ComplaintEvent(Base):
    """One append-only audit entry of a complaint: who did what, when, from which state."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


class ComplaintFiring(Base):
    """One fired due-time step of a complaint; the unique key makes it fire once."""

    __tablename__ = "complaint_firing"
    __table_args__ = (UniqueConstraint("complaint_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    step: Mapped[str] = mapped_column(String(24))
    fired_at: Mapped[datetime]


class ReportFiring(Base):
    """A scheduled report (the quarterly pack, the monthly summary) of one period, fired once.

    The unique (kind, period_start) key makes it fire once whatever restarts or sweeps happen.
    """

    __tablename__ = "report_firing"
    __table_args__ = (UniqueConstraint("kind", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    fired_at: Mapped[datetime]


class ReportDelivery(Base):
    """The documents (XLSX, PDF) of a fired report still to be sent to one chat.

    The summary message travels through the outbox; the files are built and sent by the report
    job, which marks each row sent (or failed) so a restart sends what is left, once.
    """

    __tablename__ = "report_delivery"
    __table_args__ = (UniqueConstraint("firing_id", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firing_id: Mapped[int] = mapped_column(ForeignKey("report_firing.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None]

    firing: Mapped[ReportFiring] = relationship(lazy="joined")


class SkmResponse(Base):
    """One anonymous questionnaire of the Survei Kepuasan Masyarakat (PermenPANRB 14/2017).

    No user, ticket or time of day is kept: only the start of the (local) day it was sent, the
    nine element values (1-4, `u1` persyaratan ... `u9` sarana dan prasarana) and the optional
    respondent profile of the regulation's questionnaire. Who took part is in `SkmParticipation`,
    which holds no answers, so the two cannot be joined.
    """

    __tablename__ = "skm_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    answered_day: Mapped[datetime] = mapped_column(index=True)
    u1: Mapped[int] = mapped_column(Integer)
    u2: Mapped[int] = mapped_column(Integer)
    u3: Mapped[int] = mapped_column(Integer)
    u4: Mapped[int] = mapped_column(Integer)
    u5: Mapped[int] = mapped_column(Integer)
    u6: Mapped[int] = mapped_column(Integer)
    u7: Mapped[int] = mapped_column(Integer)
    u8: Mapped[int] = mapped_column(Integer)
    u9: Mapped[int] = mapped_column(Integer)
    age_bracket: Mapped[str | None] = mapped_column(String(8))
    sex: Mapped[str | None] = mapped_column(String(8))
    education: Mapped[str | None] = mapped_column(String(8))
    occupation: Mapped[str | None] = mapped_column(String(12))


class SkmParticipation(Base):
    """Whether a reporter was offered, answered or declined the survey in a quarter (`2026-Q4`):
    at most once per reporter per quarter. Holds no answers (see `SkmResponse`)."""

    __tablename__ = "skm_participation"
    __table_args__ = (UniqueConstraint("user_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    quarter: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10))
