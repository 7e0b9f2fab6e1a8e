"""Complaint use cases against a real database: numbers, roles, states, the sweep."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services import complaints
from bot.services.complaints import Channel, ComplaintCategory, ComplaintDraft
from bot.services.context import Context
from bot.services.domain import Actor, Role
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from db.models import ComplaintEvent
from tests.factories import Person
from tests.harness import Harness

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
PEJABAT = Person(5001, "Drajat")
TEXT = "Layanan sangat lambat ditanggapi petugas."


def _as(h: Harness, person: Person) -> Context:
    """Returns the use-case context of a person acting now."""
    return h.services.context(Actor(person.id))


@pytest.fixture
async def h(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with a reporter, a technician and an official."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    yield harness


async def _file(h: Harness, category: ComplaintCategory = ComplaintCategory.SLOW) -> int:
    s = h.services
    async with s.uow() as uow:
        view = await complaints.file_complaint(uow, _as(h, SITI), ComplaintDraft(category, TEXT))
    return view.id


async def _record(h: Harness, contact: str = "081311112222") -> str:
    s = h.services
    async with s.uow() as uow:
        view = await complaints.record_complaint(
            uow,
            _as(h, BUDI),
            ComplaintDraft(
                ComplaintCategory.OTHER,
                TEXT,
                complainant_name="Warga Kota",
                complainant_contact=contact,
                channel=Channel.PHONE,
            ),
        )
    return view.number


async def test_numbers_run_per_year_in_jakarta_time(h: Harness) -> None:
    assert await _record(h) == "ADU-2026-00001"
    h.clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=WIB))
    assert await _record(h, "081399998888") == "ADU-2027-00001"


async def test_only_officers_record_and_only_known_channels(h: Harness) -> None:
    s = h.services
    draft = ComplaintDraft(
        ComplaintCategory.OTHER, TEXT, complainant_name="Warga", complainant_contact="0812345678"
    )
    async with s.uow() as uow:
        with pytest.raises(NotAllowed):
            await complaints.record_complaint(uow, _as(h, SITI), draft)
    async with s.uow() as uow:
        with pytest.raises(InvalidInput):
            await complaints.record_complaint(uow, _as(h, BUDI), draft)


async def test_the_cap_counts_a_contact_for_recorded_complaints(h: Harness) -> None:
    for _ in range(3):
        await _record(h)
    with pytest.raises(InvalidInput) as refused:
        await _record(h)
    assert refused.value.code == "complaint_cap_recorded"
    await _record(h, "warga@contoh.id")


async def test_illegal_transitions_are_refused_and_leave_no_event(h: Harness) -> None:
    s = h.services
    complaint_id = await _file(h)
    async with s.uow() as uow:
        with pytest.raises(InvalidState):
            await complaints.respond(
                uow, _as(h, PEJABAT), complaint_id, "Jawaban yang cukup panjang.", None
            )
    async with s.uow() as uow:
        with pytest.raises(InvalidState):
            await complaints.close(uow, _as(h, PEJABAT), complaint_id)
    async with s.uow() as uow:
        with pytest.raises(NotAllowed):
            await complaints.take(uow, _as(h, SITI), complaint_id)
    async with s.uow() as uow:
        with pytest.raises(NotAllowed):
            await complaints.confirm_solved(uow, _as(h, BUDI), complaint_id, 0)
    async with s.uow() as uow:
        await complaints.take(uow, _as(h, BUDI), complaint_id)
    async with s.uow() as uow:
        with pytest.raises(InvalidState):
            await complaints.resolve(uow, _as(h, BUDI), complaint_id)
    async with s.uow() as uow:
        events = (
            await uow.session.scalars(
                select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
            )
        ).all()
        assert [(e.kind, e.from_status, e.to_status) for e in events] == [
            ("filed", None, "NEW"),
            ("taken", "NEW", "IN_PROGRESS"),
        ]
        assert events[1].actor is not None and events[1].actor.telegram_id == BUDI.id


async def test_detail_is_for_the_complainant_and_staff_only(h: Harness) -> None:
    s = h.services
    await _file(h)
    stranger = Person(9001, "Orang")
    await h.reporter(stranger, opd_code="dinkominfo")
    async with s.uow() as uow:
        with pytest.raises(NotFound):
            await complaints.detail(uow, _as(h, stranger), "ADU-2026-00001")
    async with s.uow() as uow:
        view = await complaints.detail(uow, _as(h, BUDI), "ADU-2026-00001")
    assert view.complainant_name == "Siti Aminah"


async def test_a_firing_is_recorded_once(h: Harness) -> None:
    s = h.services
    complaint_id = await _file(h)
    async with s.uow() as uow:
        assert await uow.complaints.record_firing(complaint_id, "response_passed", s.now())
        assert not await uow.complaints.record_firing(complaint_id, "response_passed", s.now())
        await uow.commit()
    h.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=WIB))
    async with s.uow() as uow:
        fired = await complaints.sweep(uow, s.context())
    assert fired == 0  # the response step was already recorded; resolution is not due yet
