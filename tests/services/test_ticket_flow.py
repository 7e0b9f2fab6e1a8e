"""The executor of the transition table against a real database: every row, every state."""

from __future__ import annotations

import pytest

from bot.services import ticket_flow as flow
from bot.services import tickets
from bot.services.domain import Actor, Category, Impact, Role, Status
from bot.services.errors import DomainError, InvalidState, NotAllowed
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
            s.context(Actor(SITI.id)),
            ReportDraft(Category.WIFI, Impact.ONE_ROOM, "Aula", "Wi-Fi aula mati total.", "0812"),
        )
    return view.id


def _cases(allowed: bool) -> list[tuple[Action, Status, bool]]:
    """Every (action, state, assigned) the table allows, or every one it does not; an action
    of the assigned technician only with Budi assigned, so that the actor may take it."""
    return [
        (action, status, assigned)
        for action in Action
        for status in Status
        for assigned in (False, True)
        if flow.allows(action, status, assigned=assigned) is allowed
        and (assigned or flow.TABLE[action].who is not flow.Who.ASSIGNEE)
    ]


async def _attempt(
    h: Harness,
    ticket_id: int,
    action: Action,
    status: Status,
    assigned: bool,
    person: Person | None = None,
) -> tuple[Status | DomainError, int]:
    """Takes an action on the ticket put in a state, as someone who may take it (Siti for the
    OPD's actions, else Budi); returns the outcome and the number of new events."""
    if person is None:
        person = SITI if flow.TABLE[action].who is flow.Who.OPD_REPORTER else BUDI
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        user = await uow.users.by_telegram_id(person.id)
        assert budi is not None and user is not None
        ticket = await flow.load(uow, ticket_id)
        ticket.status = status.value
        ticket.assignee_id = budi.id if assigned else None
        await uow.tickets.flush()
        ticket = await flow.load(uow, ticket_id)
        before = len(await uow.events.for_ticket(ticket_id))
        outcome: Status | DomainError
        try:
            await flow.move(uow, h.services.context(), user, ticket, action, note=NOTE)
        except DomainError as error:
            outcome = error
        else:
            outcome = Status((await flow.load(uow, ticket_id)).status)
        added = len(await uow.events.for_ticket(ticket_id)) - before
        await uow.rollback()
    return outcome, added


async def test_every_action_outside_its_states_is_refused_and_changes_nothing(
    harness: Harness, ticket_id: int
) -> None:
    cases = _cases(allowed=False)
    assert len(cases) > 200  # the table is a small part of all pairs
    for action, status, assigned in cases:
        outcome, added = await _attempt(harness, ticket_id, action, status, assigned)
        assert isinstance(outcome, InvalidState), (action, status, assigned, outcome)
        assert added == 0


async def test_every_action_inside_its_states_moves_to_the_tables_target(
    harness: Harness, ticket_id: int
) -> None:
    for action, status, assigned in _cases(allowed=True):
        outcome, added = await _attempt(harness, ticket_id, action, status, assigned)
        match flow.TABLE[action].to:
            case Back.SAME:
                expected = status
            case Back.BEFORE_HOLD:
                expected = Status.CHECKING  # no hold in the log: the default
            case Status() as target:
                expected = target
        assert outcome == expected, (action, status, assigned, outcome)
        assert added == 1


async def test_the_executor_checks_who_acts_too(harness: Harness, ticket_id: int) -> None:
    """A use case cannot forget the guard: move() refuses the wrong person itself."""
    wrong = [
        (Action.CLASSIFY_LIGHT, Status.CHECKING, True, SITI),  # not a technician
        (Action.CLASSIFY_LIGHT, Status.CHECKING, False, BUDI),  # not the assigned one
        (Action.CANCEL, Status.CHECKING, True, SITI),  # not a coordinator
        (Action.NOT_FIXED, Status.REPAIRED, True, BUDI),  # not of the OPD
    ]
    for action, status, assigned, person in wrong:
        outcome, added = await _attempt(harness, ticket_id, action, status, assigned, person)
        assert isinstance(outcome, NotAllowed), (action, person, outcome)
        assert added == 0


async def test_a_claim_of_a_taken_ticket_names_who_has_it(
    harness: Harness, ticket_id: int
) -> None:
    outcome, _ = await _attempt(harness, ticket_id, Action.CLAIM, Status.DISPOSED, True)
    assert isinstance(outcome, InvalidState)
    assert outcome.code == "already_claimed" and outcome.params["by"] == "Budi"
