"""The queue and search pages fit one Telegram message and keyboard at their longest, and every
escalation the ladder sends to the coordinators has its place in the queue."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.config import Settings
from bot.keyboards import queues as kq
from bot.services import queues
from bot.services.complaints import ComplaintCategory, ComplaintStatus, ComplaintView
from bot.services.complaints.model import Channel
from bot.services.domain import Category, Impact, LetterStatus, Status, TicketView
from bot.services.queues import (
    CoordinatorItem,
    CoordinatorQueue,
    ItemKind,
    OfficialItem,
    OfficialQueue,
    Paging,
    SupervisorOverview,
)
from bot.services.search import PAGE_SIZE, QUERY_MAX, SearchHit, SearchPage
from bot.services.sla import StepCode
from bot.texts import help as th
from bot.texts import queues as tq
from bot.texts.fit import TEXT_LIMIT, shown

AT = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LONG = "𝕏" * 2000  # astral characters count twice in UTF-16


def _ticket(n: int, status: Status = Status.NEW) -> TicketView:
    return TicketView(
        id=n,
        number=f"BN-2026-{n:05d}",
        status=status,
        opd_name=LONG[:150],
        category=Category.OTHER,
        impact=Impact.WHOLE_OFFICE,
        location=LONG[:200],
        description=LONG,
        contact_phone="081234567890",
        reporter_name=LONG[:100],
        reporter_telegram_id=1,
        assignee_name=LONG[:100],
        assignee_telegram_id=2,
        letter_status=LetterStatus.FOLLOWS,
        received_at=AT,
        claimed_at=None,
        target_due_at=AT,
        deadline_due_at=AT,
    )


def _complaint(n: int) -> ComplaintView:
    return ComplaintView(
        id=n,
        number=f"ADU-2026-{n:05d}",
        status=ComplaintStatus.ESCALATED,
        category=ComplaintCategory.BEHAVIOUR,
        channel=Channel.BOT,
        complainant_name=None,
        complainant_contact=None,
        identity_hidden=True,
        complainant_in_bot=True,
        confidential=False,
        escalated=True,
        ticket_number=None,
        text=LONG,
        files=(),
        officer_name=None,
        official_name=None,
        recorded_by_name=None,
        received_at=AT,
        response_due_at=AT,
        resolution_due_at=AT,
        response=None,
        response_delivery=None,
        response_count=0,
    )


def _buttons(markup: object) -> list[tuple[str, str]]:
    rows = getattr(markup, "inline_keyboard", ())
    return [(b.text, str(b.callback_data)) for row in rows for b in row]


def _fits(text: str, markup: object) -> None:
    assert shown(text) <= TEXT_LIMIT
    buttons = _buttons(markup)
    assert len(buttons) <= 100  # Telegram's limit of buttons on one message
    assert all(len(data.encode()) <= 64 for _, data in buttons)


def test_a_coordinator_page_at_its_longest_fits() -> None:
    steps = tuple(c for c in StepCode if c in queues.STILL_OPEN)
    items = [
        CoordinatorItem(ItemKind.DISPOSITION, _ticket(1), AT, escalations=steps),
        CoordinatorItem(ItemKind.APPROVAL, _ticket(2, Status.AWAITING_APPROVAL), AT, 7, LONG),
        *(
            CoordinatorItem(
                ItemKind.ESCALATION, _ticket(n, Status.REPAIRING), AT, None, None, steps
            )
            for n in range(3, 6)
        ),
    ]
    queue = CoordinatorQueue(Paging(3, 9), 99_999, 99_999, 99_999, tuple(items))
    _fits(tq.coordinator(queue), kq.coordinator(queue))


def test_an_official_and_a_kabid_page_at_their_longest_fit() -> None:
    official = OfficialQueue(
        Paging(3, 9),
        99_999,
        tuple(OfficialItem(_complaint(n), True, True) for n in range(queues.PAGE_SIZE)),
    )
    _fits(tq.official(official), kq.official(official))
    overview = SupervisorOverview(
        Paging(3, 9),
        tuple((s, 99_999) for s in Status),
        99_999,
        99_999,
        99_999,
        99_999,
        99_999,
        99_999,
        99_999,
        99_999,
        tuple(_ticket(n, Status.CHECKING) for n in range(queues.PAGE_SIZE)),
    )
    _fits(tq.supervisor(overview), kq.supervisor(overview))


def test_a_search_page_at_its_longest_fits() -> None:
    hits = tuple(
        SearchHit(AT, ticket=_ticket(n)) if n % 2 else SearchHit(AT, complaint=_complaint(n))
        for n in range(PAGE_SIZE)
    )
    page = SearchPage(LONG[:QUERY_MAX], Paging(3, 9), 99_999, True, hits, LONG[:150])
    _fits(tq.search(page), kq.search(page, 999_999))


def test_every_escalation_to_the_coordinators_has_its_place_in_the_queue() -> None:
    codes = queues.coordinator_steps(Settings(_env_file=None, bot_token="1:X"))
    assert codes, "the ladder sends the coordinators nothing?"
    for code in codes:
        assert StepCode(code) in queues.STILL_OPEN, code
        assert StepCode(code) in tq.ESCALATION, code


def test_the_help_lists_the_staff_roles_commands() -> None:
    kabid = th.help_for(["supervisor"])
    assert "Kepala bidang" in kabid and "/status" in kabid and "/laporan" in kabid
    assert "/skm" in kabid and "/cari" in kabid
    assert "/laporan" in th.help_for(["coordinator"]) and "/status" in th.help_for(["official"])
    assert "/survei" in th.help_for(["reporter"]) and "/profil" in th.help_for([])
    assert "/laporan" in th.help_for(["admin"]) and "/skm" in th.help_for(["admin"])
    assert "/skm" not in th.help_for(["coordinator"])
    assert callbacks.SEARCH_PAGE  # the page turners have their own action
