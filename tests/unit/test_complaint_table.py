"""The complaint's transition table: the buttons on complaint messages are moves it allows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards import complaints as kb
from bot.services.complaints import (
    TRANSITIONS,
    Action,
    Channel,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintView,
)
from bot.services.complaints.table import permit, takes_first
from bot.services.domain import Role
from bot.services.errors import DomainError
from db.models import Complaint, User, UserRole

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ACTIONS = {
    callbacks.COMPLAINT_TAKE: Action.TAKE,
    callbacks.COMPLAINT_ANSWER: Action.ANSWER,
    callbacks.COMPLAINT_FORWARD: Action.FORWARD,
    callbacks.COMPLAINT_SOLVED: Action.SOLVED,
    callbacks.COMPLAINT_NOT_SOLVED: Action.NOT_SOLVED,
    callbacks.COMPLAINT_RESOLVE: Action.RESOLVE,
    callbacks.COMPLAINT_CLOSE: Action.CLOSE,
}


def _user(user_id: int, *roles: Role) -> User:
    return User(id=user_id, role_rows=[UserRole(role=r.value) for r in roles])


COMPLAINANT = _user(1)
HANDLER = _user(2, Role.TECHNICIAN)  # the officer who took the complaint
OTHER = _user(3, Role.TECHNICIAN)
OFFICIAL = _user(4, Role.OFFICIAL)
CASES = list(itertools.product(ComplaintStatus, (False, True), (False, True)))


def _complaint(status: ComplaintStatus, escalated: bool, in_bot: bool) -> Complaint:
    return Complaint(
        id=7,
        number="ADU-2026-00007",
        status=status.value,
        escalated=escalated,
        officer_id=None if status is ComplaintStatus.NEW else HANDLER.id,
        complainant_id=COMPLAINANT.id if in_bot else None,
        response_count=1,
    )


def _view(complaint: Complaint) -> ComplaintView:
    return ComplaintView(
        id=complaint.id,
        number=complaint.number,
        status=ComplaintStatus(complaint.status),
        category=ComplaintCategory.OTHER,
        channel=Channel.BOT,
        complainant_name=None,
        complainant_contact=None,
        identity_hidden=True,
        complainant_in_bot=complaint.complainant_id is not None,
        confidential=True,
        escalated=complaint.escalated,
        ticket_number=None,
        text="Layanan lambat sekali.",
        files=(),
        officer_name=None,
        official_name=None,
        recorded_by_name=None,
        received_at=NOW,
        response_due_at=NOW,
        resolution_due_at=NOW,
        response="Jawaban petugas.",
        response_delivery=None,
        response_count=complaint.response_count,
    )


def _actions(markup: InlineKeyboardMarkup | None) -> list[Action]:
    buttons = [b for row in markup.inline_keyboard for b in row] if markup else []
    return [ACTIONS[str(b.callback_data).split(":")[1]] for b in buttons]


def _permitted(complaint: Complaint, action: Action, readers: tuple[User, ...]) -> bool:
    """Tells whether one of the readers passes the services' own guard for the action."""
    status = ComplaintStatus(complaint.status)
    if takes_first(status, complaint.escalated, action):
        action = Action.TAKE  # «Jawab» on a new complaint takes it first
    for reader in readers:
        try:
            permit(complaint, action, reader)
        except DomainError:
            continue
        return True
    return False


@pytest.mark.parametrize(("status", "escalated", "in_bot"), CASES)
def test_every_button_on_a_complaint_message_is_a_move_the_table_allows(
    status: ComplaintStatus, escalated: bool, in_bot: bool
) -> None:
    complaint = _complaint(status, escalated, in_bot)
    view = _view(complaint)
    handler = (OFFICIAL,) if escalated else (HANDLER,)
    messages = {
        "card": (kb.card(view), (HANDLER, OTHER)),
        "thread": (kb.thread(view), (OFFICIAL,)),
        "verdict": (kb.verdict(view), (COMPLAINANT,)),
        "handler": (kb.handler(view), handler),
    }
    for name, (markup, readers) in messages.items():
        for action in _actions(markup):
            assert _permitted(complaint, action, readers), (
                f"the {name} of a {status} complaint (escalated={escalated}) offers {action}, "
                "which the table refuses its readers"
            )


def test_the_card_offers_what_an_officer_may_do_in_each_state() -> None:
    def card(
        status: ComplaintStatus, escalated: bool = False, in_bot: bool = True
    ) -> list[Action]:
        return _actions(kb.card(_view(_complaint(status, escalated, in_bot))))

    assert card(ComplaintStatus.NEW) == [Action.TAKE, Action.ANSWER, Action.FORWARD]
    assert card(ComplaintStatus.IN_PROGRESS) == [Action.ANSWER, Action.FORWARD]
    assert card(ComplaintStatus.RESPONDED) == [Action.FORWARD]  # the complainant decides
    assert card(ComplaintStatus.RESPONDED, in_bot=False) == [Action.RESOLVE, Action.FORWARD]
    assert card(ComplaintStatus.RESOLVED) == [Action.CLOSE]
    assert card(ComplaintStatus.CLOSED) == []
    for status in (ComplaintStatus.ESCALATED, ComplaintStatus.RESPONDED, ComplaintStatus.RESOLVED):
        assert card(status, escalated=True) == []  # with the official: the thread acts


def test_every_state_can_reach_closed_and_closed_is_final() -> None:
    targets: dict[ComplaintStatus, set[ComplaintStatus]] = {s: set() for s in ComplaintStatus}
    for row in TRANSITIONS:
        targets[row.source].add(row.target)
    assert targets[ComplaintStatus.CLOSED] == set()
    for start in ComplaintStatus:
        seen, todo = {start}, [start]
        while todo:
            for nxt in targets[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert ComplaintStatus.CLOSED in seen, start
