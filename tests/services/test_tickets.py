"""Ticket use cases against a real database."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services import tickets
from bot.services.domain import Actor, Category, Impact
from bot.services.errors import InvalidInput, NotAllowed, NotRegistered
from bot.services.tickets import ReportDraft, normalise_number
from tests.factories import Person
from tests.harness import Harness

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")


def _draft(
    description: str = "Internet mati total sejak pagi.", location: str = "Lt. 1"
) -> ReportDraft:
    return ReportDraft(
        Category.INTERNET_DOWN, Impact.WHOLE_OFFICE, location, description, "081234567890"
    )


async def _create(h: Harness, person: Person, draft: ReportDraft) -> str:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(uow, services.context(Actor(person.id)), draft)
    return view.number


@pytest.mark.auto_disposition
async def test_numbers_run_per_year_in_jakarta_time(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    assert await _create(h, SITI, _draft()) == "BN-2026-00001"
    assert await _create(h, SITI, _draft()) == "BN-2026-00002"
    # 1 January 2027 00:30 WIB is still 31 December 2026 in UTC: the year follows WIB.
    h.clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=WIB))
    assert await _create(h, SITI, _draft()) == "BN-2027-00001"


@pytest.mark.auto_disposition
async def test_invalid_reports_are_refused_and_leave_nothing(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    with pytest.raises(InvalidInput):
        await _create(h, SITI, _draft(description="pendek"))
    with pytest.raises(InvalidInput):
        await _create(h, SITI, _draft(location="x" * 201))
    assert await _create(h, SITI, _draft()) == "BN-2026-00001"


async def test_only_registered_reporters_can_report(harness: Harness) -> None:
    h = harness
    with pytest.raises(NotRegistered):
        await _create(h, Person(9999, "Asing"), _draft())
    await h.staff(Person(3001, "Budi"))
    with pytest.raises(NotAllowed):
        await _create(h, Person(3001, "Budi"), _draft())


def test_ticket_numbers_are_normalised() -> None:
    assert normalise_number(" bn-2026-12 ") == "BN-2026-00012"
    for bad in ("BN-26-1", "XX-2026-1", "BN-2026-123456", "BN-2026", "BN-2026-1a"):
        with pytest.raises(InvalidInput):
            normalise_number(bad)
