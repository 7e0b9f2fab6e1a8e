"""The buttons of every ticket card come from the transition table, and only allowed ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.conversations import reason
from bot.keyboards import tickets as ticket_keyboards
from bot.keyboards import workflow as workflow_keyboards
from bot.services import ticket_flow as flow
from bot.services.domain import (
    Category,
    Impact,
    LetterStatus,
    MaterialRequestView,
    Status,
    TicketView,
)
from bot.services.ticket_flow import Action, Card

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

# What each button runs, as the handlers route it (written out here, not read from the
# keyboards, so a button wired to the wrong action fails this test).
ROUTES = {
    callbacks.DISPOSE_TEAM: Action.DISPOSE_TEAM,
    callbacks.DISPOSE_PICK: Action.DISPOSE_TECH,
    callbacks.REJECT_REPORT: Action.REJECT_REPORT,
    callbacks.CLAIM: Action.CLAIM,
    callbacks.LIGHT: Action.CLASSIFY_LIGHT,
    callbacks.HEAVY: Action.REQUEST_MATERIAL,
    callbacks.MATERIAL_APPROVE: Action.MATERIAL_APPROVE,
    callbacks.MATERIAL_REJECT: Action.MATERIAL_REJECT,
    callbacks.MATERIAL_REVISE: Action.MATERIAL_REVISE,
    callbacks.HOLD: Action.HOLD,
    callbacks.RESUME: Action.RESUME,
    callbacks.REASSIGN: Action.REASSIGN,
    callbacks.CANCEL_TICKET: Action.CANCEL,
    callbacks.REPAIR: Action.REPORT_REPAIR,
    callbacks.NOT_FIXED: Action.NOT_FIXED,
    callbacks.FIXED: Action.CONFIRM_FIXED,
    callbacks.WITHDRAW: Action.WITHDRAW,
}


def _ticket(status: Status, *, assigned: bool) -> TicketView:
    return TicketView(
        id=7,
        number="BN-2026-00007",
        status=status,
        opd_name="Dinas Kesehatan",
        category=Category.WIFI,
        impact=Impact.ONE_ROOM,
        location="Aula",
        description="Wi-Fi aula tidak tersambung.",
        contact_phone="081234567890",
        reporter_name="Siti",
        reporter_telegram_id=2001,
        assignee_name="Budi" if assigned else None,
        assignee_telegram_id=3001 if assigned else None,
        letter_status=LetterStatus.ATTACHED,
        received_at=NOW,
        claimed_at=NOW if assigned else None,
        target_due_at=NOW,
        deadline_due_at=NOW,
    )


def _request(status: str) -> MaterialRequestView:
    return MaterialRequestView(
        id=11,
        ticket_id=7,
        ticket_number="BN-2026-00007",
        opd_name="Dinas Kesehatan",
        technician_name="Budi",
        technician_telegram_id=3001,
        reason="Switch rusak",
        items=(),
        status=status,
        submitted_at=NOW,
    )


def _actions(markup: InlineKeyboardMarkup | None) -> list[Action]:
    if markup is None:
        return []
    actions = []
    for row in markup.inline_keyboard:
        for button in row:
            assert isinstance(button.callback_data, str)
            action = button.callback_data.split(":")[1]
            assert action in ROUTES, f"button {button.text!r} starts no action of the table"
            actions.append(ROUTES[action])
    return actions


def _cards(status: Status, assigned: bool) -> dict[Card, list[Action]]:
    """Every card as it would be rendered for a ticket in the state."""
    ticket = _ticket(status, assigned=assigned)
    approval = (
        workflow_keyboards.approval(_request("pending"))
        if status is Status.AWAITING_APPROVAL
        else None
    )
    return {
        Card.JOB: _actions(ticket_keyboards.job_card(ticket)),
        Card.DISPOSITION: _actions(workflow_keyboards.disposition(ticket)),
        Card.APPROVAL: _actions(approval),
        Card.REPAIR_CONFIRM: _actions(workflow_keyboards.repair_confirm(ticket)),
        Card.REPORTER: _actions(ticket_keyboards.reporter(ticket)),
    }


STATES = [(status, assigned) for status in Status for assigned in (False, True)]


@pytest.mark.parametrize(("status", "assigned"), STATES)
def test_every_button_on_every_card_is_allowed_in_that_state(
    status: Status, assigned: bool
) -> None:
    for card, actions in _cards(status, assigned).items():
        for action in actions:
            assert flow.allows(action, status, assigned=assigned), (
                f"the {card} card offers {action} in {status} (assigned={assigned})"
            )
            assert flow.TABLE[action].card is card


@pytest.mark.parametrize(("status", "assigned"), STATES)
def test_each_card_shows_what_the_table_offers_once(status: Status, assigned: bool) -> None:
    for card, actions in _cards(status, assigned).items():
        if card is Card.APPROVAL and status is not Status.AWAITING_APPROVAL:
            continue  # an approval card exists only for a request awaiting its decision
        assert len(actions) == len(set(actions))
        assert set(actions) == flow.offered(card, status, assigned=assigned)


def test_the_cards_show_the_procedure_as_before() -> None:
    """The table reproduces the cards' buttons state by state (DESIGN §3)."""
    job = {s: _cards(s, True)[Card.JOB] for s in Status}  # with a technician assigned
    assert _cards(Status.DISPOSED, False)[Card.JOB] == [Action.CLAIM]
    assert job[Status.DISPOSED] == []  # already taken: nothing to claim
    assert job[Status.CHECKING] == [
        Action.CLASSIFY_LIGHT,
        Action.REQUEST_MATERIAL,
        Action.HOLD,
        Action.REASSIGN,
        Action.CANCEL,
    ]
    assert job[Status.AWAITING_APPROVAL] == [Action.HOLD, Action.REASSIGN]
    assert job[Status.REPAIRING] == [Action.REPORT_REPAIR, Action.HOLD, Action.REASSIGN]
    assert job[Status.ON_HOLD] == [Action.RESUME]
    for done in (Status.NEW, Status.REPAIRED, Status.CLOSED, Status.CANCELLED):
        assert job[done] == []
    assert _cards(Status.NEW, False)[Card.DISPOSITION] == [
        Action.DISPOSE_TEAM,
        Action.DISPOSE_TECH,
        Action.REJECT_REPORT,
    ]
    assert _cards(Status.REPAIRED, True)[Card.REPAIR_CONFIRM] == [
        Action.CONFIRM_FIXED,
        Action.NOT_FIXED,
    ]
    assert workflow_keyboards.approval(_request("approved")) is None
    # The OPD may withdraw its report until the repair starts, not after.
    reporter = {s: _cards(s, True)[Card.REPORTER] for s in Status}
    before = (Status.NEW, Status.DISPOSED, Status.CHECKING, Status.AWAITING_APPROVAL)
    assert [s for s in Status if reporter[s]] == list(before)
    assert all(reporter[s] == [Action.WITHDRAW] for s in before)


def test_the_reason_prompts_ask_for_what_the_table_says() -> None:
    """A button that asks for a reason runs the same action the table and the card name."""
    for button, action in reason.ACTIONS.items():
        if button != callbacks.DISPOSE_TECH:  # the picked technician's button, not a card's
            assert ROUTES[button] is action
        assert flow.TABLE[action].note is not flow.Note.NONE
