"""`/cari`: tickets and complaints by number, OPD, and words of description and location.

Every word must match (in any of the fields), case-insensitively; a typed number such as
`bn-2026-12` also finds `BN-2026-00012`. Staff search every ticket and complaint; a reporter
(OPD staff) searches only the tickets of their own OPD. Complaints are searched by number,
text and the related ticket, never by the complainant's name (it may be confidential).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from bot.services.complaints import ComplaintView
from bot.services.context import Context
from bot.services.domain import Role, TicketView
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.queues import Paging, complaint_from_row, paged, roles_of, ticket_from_row
from bot.services.tickets import STAFF_ROLES
from bot.services.uow import UnitOfWork
from bot.services.users import require_user
from bot.services.validation import record_number
from db.queries_queues import QueueQueries
from db.sqlite_inline import offloaded

QUERY_MIN = 3
QUERY_MAX = 100
WORDS_MAX = 6
PAGE_SIZE = 8
SCAN_LIMIT = 200  # per kind; more hits say "at least" and ask for more words


@dataclass(frozen=True)
class SearchHit:
    """A ticket or a complaint that matched (exactly one of the two is set)."""

    received_at: datetime
    ticket: TicketView | None = None
    complaint: ComplaintView | None = None


@dataclass(frozen=True)
class SearchPage:
    """One page of the hits of a search, newest first."""

    query: str
    paging: Paging
    total: int
    capped: bool  # more matched than were read: the total is a lower bound
    hits: tuple[SearchHit, ...]
    own_opd: str | None  # the OPD a reporter's search is limited to


def clean_query(text: str) -> str:
    """Validates a search: at least a few characters, at most a line of words."""
    query = " ".join(text.split())
    if len(query) < QUERY_MIN or len(query) > QUERY_MAX:
        raise InvalidInput("search_query")
    return query


def _numbers(words: list[str]) -> list[str]:
    """Returns the ticket and complaint numbers the words spell (`bn-2026-12` and the like)."""
    numbers: list[str] = []
    for word in words:
        with suppress(InvalidInput):
            numbers.append(record_number(word, "BN", "ticket_number"))
        with suppress(InvalidInput):
            numbers.append(record_number(word, "ADU", "complaint_number"))
    return numbers


async def search(uow: UnitOfWork, ctx: Context, text: str, page: int = 0) -> SearchPage:
    """Returns a page of the tickets (and for staff, complaints) matching every word."""
    await uow.read_only()
    user = await require_user(uow, ctx.who)
    staff = bool(roles_of(user, ctx) & {role.value for role in STAFF_ROLES})
    reporter = Role.REPORTER.value in user.roles and user.opd_id is not None
    if not staff and not reporter:
        raise NotAllowed("no_search_role")
    query = clean_query(text)
    words = query.split()[:WORDS_MAX]
    numbers = _numbers(words)
    q = QueueQueries(uow.session)
    opd_id = None if staff else user.opd_id
    with offloaded():  # a scan of every ticket: in a worker thread, the loop stays free
        tickets = await q.search_tickets(words, numbers, opd_id, SCAN_LIMIT)
        complaints = await q.search_complaints(words, numbers, SCAN_LIMIT) if staff else []
    hits = [SearchHit(r["received_at"], ticket=ticket_from_row(r)) for r in tickets]
    hits += [SearchHit(r["received_at"], complaint=complaint_from_row(r)) for r in complaints]
    hits.sort(key=lambda hit: hit.received_at, reverse=True)
    paging, shown = paged(hits, page, PAGE_SIZE)
    return SearchPage(
        query=query,
        paging=paging,
        total=len(hits),
        capped=len(tickets) >= SCAN_LIMIT or len(complaints) >= SCAN_LIMIT,
        hits=tuple(shown),
        own_opd=user.opd.name if not staff and user.opd else None,
    )
