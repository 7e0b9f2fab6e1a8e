"""Notices: what a use case wants other people told, one frozen dataclass per kind.

The bot layer renders them into Bot API calls for the outbox (`bot.render`), dispatching on the
type; a notice carries data only, never words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, dataclass_transform

from bot.services.domain import (
    BeritaAcaraView,
    MaterialRequestView,
    ReplacedLine,
    TicketView,
)

if TYPE_CHECKING:
    from bot.services.complaints import ComplaintView
    from bot.services.sla import Alert, Audience, MorningDigest


class ComplaintNews(StrEnum):
    """What happened to a complaint, as told to a person or to the officials."""

    TAKEN = "taken"
    ESCALATED = "escalated"
    SOLVED = "solved"
    NOT_SOLVED = "not_solved"
    RESOLVED = "resolved"
    CLOSED = "closed"
    OFFICIAL_RESPONDED = "official_responded"
    NEW_BEHAVIOUR = "new_behaviour"
    FORWARDED = "forwarded"
    RESPONSE_PASSED = "due:response_passed"
    RESOLUTION_PASSED = "due:resolution_passed"


@dataclass_transform(frozen_default=True)
class _Frozen:
    """Makes every subclass a frozen dataclass, so no kind of notice repeats the decorator."""

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        dataclass(frozen=True)(cls)


class Notice(_Frozen):
    """One message-worthy fact for one chat; subclasses say which."""

    chat_id: int


class TicketNotice(Notice):
    """A notice about one fault ticket."""

    ticket: TicketView


class JobCard(TicketNotice):
    """Post the job card (and its media) in the technician group (a forum: in its own topic)."""

    forum: bool = False


class JobCardUpdate(TicketNotice):
    """Edit the job card in place (a forum: its topic is closed with the ticket)."""

    forum: bool = False


class TicketClaimed(TicketNotice):
    """Tell the reporter who handles the ticket."""


class NoTechGroup(TicketNotice):
    """Tell an admin a ticket has no technician group to go to."""


class DispositionRequest(TicketNotice):
    """Ask a coordinator (penanggung jawab) to disposition a new report."""


class Assigned(TicketNotice):
    """Tell a technician the ticket was given to them (disposition or reassignment)."""


class ReasonNotice(TicketNotice):
    """A notice about one fault ticket that passes on the actor's reason (or note) for it."""

    reason: str


class ReportRejected(ReasonNotice):
    """Tell the reporter why the report is not a Batik.Net fault."""


class TicketHeld(ReasonNotice):
    """Tell the reporter the ticket waits for the OPD."""


class TicketResumed(TicketNotice):
    """Tell the reporter work on the ticket goes on."""


class TicketCancelled(ReasonNotice):
    """Tell the reporter the ticket was cancelled."""


class ApprovalRequest(TicketNotice):
    """Ask a coordinator to decide on a material request."""

    request: MaterialRequestView


class MaterialDecided(TicketNotice):
    """Tell the technician the decision on their material request."""

    request: MaterialRequestView


class RepairConfirm(TicketNotice):
    """Ask the reporter whether the network works again."""

    diagnosis: str
    actions: str
    items: tuple[ReplacedLine, ...]


class Reopened(ReasonNotice):
    """Tell the technician the OPD says the fault is not fixed."""


class BeritaAcaraReady(TicketNotice):
    """Send the signed minutes (berita acara) as a PDF."""

    berita_acara: BeritaAcaraView


class BaConfirmRequest(TicketNotice):
    """Ask a party to confirm the berita acara's content with their own account (issue 12).

    ``party`` is "technician" or "opd"; ``requested_by`` who named them (empty for the
    technician); ``reminder`` counts the reminders (0 for the first request)."""

    confirmation_id: int
    party: str
    requested_by: str
    diagnosis: str
    actions: str
    items: tuple[ReplacedLine, ...]
    reminder: int = 0


class BaWaiting(TicketNotice):
    """Tell a coordinator that a berita acara still waits for a party's confirmation."""

    awaited_name: str
    party: str
    since: datetime
    timezone: str


class ProfileNeeded(Notice):
    """Ask the Kepala Bidang once to complete the profile the berita acara prints."""

    berita_acara_number: str


class LetterAdded(TicketNotice):
    """Send a request letter that came later (to the technician group, as a reply to the job
    card, or to a coordinator)."""

    reply_to: int | None = None
    thread_id: int | None = None


class LetterReminder(Notice):
    """Remind the reporter that the request letter marked "menyusul" has not arrived."""

    ticket_id: int
    number: str
    round: int  # 1 to 3: the working day after the report
    rounds: int = 3  # how many reminders there are in all (the last one says so)


class TicketWithdrawn(ReasonNotice):
    """Tell the technician group, the assigned technician and a coordinator that the OPD
    withdrew its report."""

    by: str  # the reporter of the OPD who withdrew it
    reply_to: int | None = None  # in the technician group: the job card
    thread_id: int | None = None


class DeliveryFailed(Notice):
    """Tell an admin that a message to a chat could not be delivered."""

    failed_chat_id: int
    reason: str


class SlaDigest(Notice):
    """SLA reminders, escalations and the morning digest for one chat."""

    alerts: tuple[Alert, ...]
    morning: MorningDigest | None = None
    audience: Audience | None = None


class ComplaintNotice(Notice):
    """A notice about one complaint (pengaduan)."""

    complaint: ComplaintView


class ComplaintCard(ComplaintNotice):
    """Post a complaint's card (technician group, or the officials' chats)."""

    officials: bool


class ComplaintCardUpdate(ComplaintNotice):
    """Edit the complaint card in place."""

    officials: bool


class ComplaintThread(ComplaintNotice):
    """The whole complaint for an official."""

    news: ComplaintNews


class ComplaintResponse(ComplaintNotice):
    """An answer to the complainant, with the solved / not solved buttons."""

    official: bool


class ComplaintInfo(ComplaintNotice):
    """A short complaint update for one person."""

    news: ComplaintNews


@dataclass(frozen=True)
class OutboxDraft:
    """A rendered Bot API call waiting to be queued."""

    chat_id: int
    method: str
    payload: dict[str, Any]
    purpose: str | None = None
    ticket_id: int | None = None
    complaint_id: int | None = None


NoticeRenderer = Callable[[Notice], list[OutboxDraft]]


class ChatMoved(Notice):
    """Tell an admin that Telegram upgraded a group to a supergroup and where its messages went.

    ``moved`` pending messages were readdressed to the new id; ``reposted`` cards that were
    still in use were posted there again; ``tech_group`` says whether it was the technician
    group (whose stored id was changed).
    """

    old_chat_id: int
    new_chat_id: int
    moved: int
    reposted: int
    tech_group: bool
