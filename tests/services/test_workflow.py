"""The repair procedure as service calls against a real database (steps 2 to 10)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.services import tickets, workflow
from bot.services.berita_acara.confirmations import SignerChoice, SignerKind
from bot.services.context import Context
from bot.services.domain import (
    Actor,
    Category,
    Decision,
    Impact,
    MaterialLine,
    ReplacedLine,
    Role,
    Status,
)
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.services.tickets import ReportDraft
from db.models import Ticket, TicketEvent
from tests.factories import Person
from tests.harness import Harness

SITI = Person(2001, "Siti", "Aminah")
JOKO = Person(2003, "Joko")
BUDI = Person(3001, "Budi", "Santoso")
ANDI = Person(3002, "Andi")
PJ = Person(4001, "Pak", "Koordinator")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A harness with manual disposition, a reporter, two technicians and a coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI, "dinkes")
    await harness.reporter(JOKO, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(ANDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


def _ctx(h: Harness, person: Person | None = None) -> Context:
    return h.services.context(Actor(person.id) if person else None)


async def _report(h: Harness) -> int:
    s = h.services
    async with s.uow() as uow:
        view = await tickets.create_report(
            uow,
            s.context(Actor(SITI.id)),
            ReportDraft(
                Category.DEVICE, Impact.ONE_ROOM, "Ruang TU", "Switch mati total.", "081234567890"
            ),
        )
    return view.id


async def _call(h: Harness, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    async with h.services.uow() as uow:
        return await fn(uow, *args, **kwargs)


async def _status(h: Harness, ticket_id: int) -> str:
    async with h.services.uow() as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket.status


async def _to_checking(h: Harness) -> int:
    ticket_id = await _report(h)
    assert await _status(h, ticket_id) == "NEW"
    await _call(h, workflow.dispose, _ctx(h, PJ), ticket_id, note="Segera dicek")
    await _call(h, tickets.claim, _ctx(h, BUDI), ticket_id)
    return ticket_id


async def test_light_fault_to_signed_berita_acara(h: Harness) -> None:
    ticket_id = await _to_checking(h)
    await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    assert await _status(h, ticket_id) == "REPAIRING"
    await _call(
        h,
        workflow.report_repair,
        _ctx(h, BUDI),
        ticket_id,
        diagnosis="Adaptor switch rusak",
        actions="Mengganti adaptor switch",
        items=[ReplacedLine("Adaptor switch 12V", 1, "unit", "AD-OLD-1", "AD-NEW-9")],
        photos=[],
    )
    assert await _status(h, ticket_id) == "REPAIRED"

    signer = await _call(h, workflow.signatory_defaults, _ctx(h, SITI), ticket_id)
    assert signer.name == "Siti Aminah"
    outcome = await _call(
        h,
        workflow.confirm_fixed,
        _ctx(h, SITI),
        ticket_id,
        SignerChoice(SignerKind.SELF),
    )
    ba = outcome.berita_acara
    assert ba is not None and ba.number == "BA/1/KOMINFO/XI/2026"
    assert await _status(h, ticket_id) == "CLOSED"
    _, pdf = await _call(h, workflow.berita_acara_pdf, _ctx(h, SITI), ticket_id)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "BA/1/KOMINFO/XI/2026" in text and "AD-NEW-9" in text and "Siti Aminah" in text

    await _call(h, workflow.rate, _ctx(h, SITI), ticket_id, 4, "Cepat")
    with pytest.raises(InvalidState):
        await _call(h, workflow.rate, _ctx(h, SITI), ticket_id, 3, None)


async def test_heavy_fault_rejected_then_revised_then_approved(h: Harness) -> None:
    ticket_id = await _to_checking(h)
    items = [MaterialLine("Switch 24 port", "Managed, gigabit", 1, "unit")]
    request = await _call(
        h, workflow.submit_material_request, _ctx(h, BUDI), ticket_id, items, "Switch terbakar", []
    )
    assert await _status(h, ticket_id) == "AWAITING_APPROVAL"
    with pytest.raises(InvalidInput):  # a rejection needs a reason
        await _call(h, workflow.decide_material, _ctx(h, PJ), request.id, Decision.REJECT)
    await _call(
        h, workflow.decide_material, _ctx(h, PJ), request.id, Decision.REVISE, "Sebutkan merek"
    )
    assert await _status(h, ticket_id) == "CHECKING"
    with pytest.raises(InvalidState):  # the old request cannot be decided twice
        await _call(h, workflow.decide_material, _ctx(h, PJ), request.id, Decision.APPROVE)
    second = await _call(
        h,
        workflow.submit_material_request,
        _ctx(h, BUDI),
        ticket_id,
        items,
        "Switch terbakar, merek X",
        [],
    )
    with pytest.raises(NotAllowed):
        await _call(h, workflow.decide_material, _ctx(h, BUDI), second.id, Decision.APPROVE)
    await _call(h, workflow.decide_material, _ctx(h, PJ), second.id, Decision.APPROVE)
    assert await _status(h, ticket_id) == "REPAIRING"
    assert await _call(h, workflow.approved_items, ticket_id) == tuple(items)


async def test_hold_resume_reopen_and_refusals(h: Harness) -> None:
    ticket_id = await _to_checking(h)
    with pytest.raises(NotAllowed):
        await _call(h, workflow.hold, _ctx(h, ANDI), ticket_id, "Menunggu")
    await _call(h, workflow.hold, _ctx(h, BUDI), ticket_id, "Ruangan dikunci")
    assert await _status(h, ticket_id) == "ON_HOLD"
    await _call(h, workflow.resume, _ctx(h, BUDI), ticket_id)
    assert await _status(h, ticket_id) == "CHECKING"
    await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    await _call(
        h,
        workflow.report_repair,
        _ctx(h, BUDI),
        ticket_id,
        diagnosis="Kabel lepas",
        actions="Memasang ulang kabel",
        items=[],
        photos=[],
    )
    with pytest.raises(NotFound):  # another OPD's reporter
        await _call(h, workflow.not_fixed, _ctx(h, JOKO), ticket_id, "Masih mati")
    await _call(h, workflow.not_fixed, _ctx(h, SITI), ticket_id, "Masih putus-putus")
    async with h.services.uow() as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None and ticket.status == "REPAIRING" and ticket.reopen_count == 1
    with pytest.raises(InvalidState):  # a second press of the same button
        await _call(h, workflow.not_fixed, _ctx(h, SITI), ticket_id, "Masih")


async def test_reject_at_disposition_and_cancel(h: Harness) -> None:
    first = await _report(h)
    await _call(h, workflow.reject_report, _ctx(h, PJ), first, "Gangguan listrik PLN")
    assert await _status(h, first) == "CANCELLED"
    second = await _report(h)
    await _call(h, workflow.dispose, _ctx(h, PJ), second, technician_id=None)
    with pytest.raises(NotAllowed):
        await _call(h, workflow.cancel, _ctx(h, BUDI), second, "Dobel")
    await _call(h, workflow.cancel, _ctx(h, PJ), second, "Laporan ganda")
    assert await _status(h, second) == "CANCELLED"
    async with h.services.uow() as uow:
        kinds = (
            await uow.session.scalars(
                select(TicketEvent.kind)
                .where(TicketEvent.ticket_id == second)
                .order_by(TicketEvent.id)
            )
        ).all()
    assert kinds == ["reported", "disposed", "cancelled"]


async def test_dispose_to_a_named_technician_assigns_directly(h: Harness) -> None:
    ticket_id = await _report(h)
    async with h.services.uow() as uow:
        andi = await uow.users.by_telegram_id(ANDI.id)
        assert andi is not None
    await _call(h, workflow.dispose, _ctx(h, PJ), ticket_id, technician_id=andi.id)
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
        assert ticket.status == Status.CHECKING.value and ticket.assignee_id == andi.id
