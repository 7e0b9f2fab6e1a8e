"""The executor of the transition table against a real database: every row, every state."""

from __future__ import annotations

import pytest

from bot.services import ticket_flow as flow
from bot.services import tickets
from bot.services.domain import Actor, Category, Impact, Role, Status
from bot.services.errors import InvalidState
from bot.services.ticket_flow import Action, Back
from bot.services.tickets import ReportDraft
from tests.factories import Person
from tests.harness import Harness

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
NOTE = "Alasan yang cukup jelas"


@pytest.fixture
async def ticket_id(harness: Harness) -> int:
    """A reported ticket and a technician to act on it."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN, Role.COORDINATOR)
    s = harness.services
    async with s.uow() as uow:
        view = await tickets.create_report(
            uow,
            Actor(SITI.id),
            ReportDraft(Category.WIFI, Impact.ONE_ROOM, "Aula", "Wi-Fi aula mati total.", "0812"),
            now=s.now(),
            calendar=s.calendar,
            settings=s.settings,
        )
    return view.id


async def _attempt(
    h: Harness, ticket_id: int, action: Action, status: Status, assigned: bool
) -> tuple[Status | InvalidState, int]:
    """Takes an action on the ticket put in a state; returns the outcome and the new events."""
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        assert budi is not None
        ticket = await flow.load(uow, ticket_id)
        ticket.status = status.value
        ticket.assignee_id = budi.id if assigned else None
        await uow.tickets.flush()
        ticket = await flow.load(uow, ticket_id)
        before = len(await uow.events.for_ticket(ticket_id))
        outcome: Status | InvalidState
        try:
            await flow.move(uow, h.services.context(), budi, ticket, action, note=NOTE)
        except InvalidState as error:
            outcome = error
        else:
            outcome = Status((await flow.load(uow, ticket_id)).status)
        added = len(await uow.events.for_ticket(ticket_id)) - before
        await uow.rollback()
    return outcome, added


async def test_every_action_outside_its_states_is_refused_and_changes_nothing(
    harness: Harness, ticket_id: int
) -> None:
    refused = 0
    for action in Action:
        for status in Status:
            for assigned in (False, True):
                if flow.allows(action, status, assigned=assigned):
                    continue
                outcome, added = await _attempt(harness, ticket_id, action, status, assigned)
                assert isinstance(outcome, InvalidState), (action, status, assigned, outcome)
                assert added == 0
                refused += 1
    assert refused > 200  # the table is a small part of all pairs


async def test_every_action_inside_its_states_moves_to_the_tables_target(
    harness: Harness, ticket_id: int
) -> None:
    for action, rule in flow.TABLE.items():
        for status in rule.sources:
            for assigned in (False, True):
                if not flow.allows(action, status, assigned=assigned):
                    continue
                outcome, added = await _attempt(harness, ticket_id, action, status, assigned)
                match rule.to:
                    case Back.SAME:
                        expected = status
                    case Back.BEFORE_HOLD:
                        expected = Status.CHECKING  # no hold in the log: the default
                    case Status():
                        expected = rule.to
                assert outcome == expected, (action, status, assigned)
                assert added == 1


async def test_a_claim_of_a_taken_ticket_names_who_has_it(
    harness: Harness, ticket_id: int
) -> None:
    outcome, _ = await _attempt(harness, ticket_id, Action.CLAIM, Status.DISPOSED, True)
    assert isinstance(outcome, InvalidState)
    assert outcome.code == "already_claimed" and outcome.params["by"] == "Budi"
