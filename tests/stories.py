"""Shared arranging steps for the story tests: the usual cast, a filed report, a report
dispositioned to the technician and a look-up of a ticket."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.services import tickets, workflow
from bot.services.domain import Actor, Category, Impact, ReplacedLine, TicketView
from bot.services.tickets import ReportDraft
from bot.texts import report as report_texts
from db.models import Ticket
from tests.factories import Person
from tests.harness import GROUP_ID, Harness

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi", "Santoso")
PJ = Person(4001, "Pak", "Koordinator")
INTERNET_DOWN = ReportDraft(
    Category.INTERNET_DOWN,
    Impact.WHOLE_OFFICE,
    "Ruang server",
    "Internet mati sejak pagi.",
    "081234567890",
)


async def file_report(
    h: Harness, reporter: Person = SITI, draft: ReportDraft = INTERNET_DOWN
) -> TicketView:
    """Files a report (by default Siti's internet-down one) and waits until its messages are
    out."""
    s = h.services
    async with s.uow() as uow:
        view = await tickets.create_report(uow, s.context(Actor(reporter.id)), draft)
    await h.delivery.wait_idle()
    return view


async def reported(h: Harness) -> int:
    """Returns the id of a freshly filed internet-down report by Siti."""
    return (await file_report(h)).id


async def claimed(h: Harness) -> int:
    """Returns the id of a report the coordinator dispositioned to Budi (job card in the group)."""
    ticket_id = await reported(h)
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        assert budi is not None
        await workflow.dispose(
            uow, h.services.context(Actor(PJ.id)), ticket_id, technician_id=budi.id
        )
    await h.delivery.wait_idle()
    return ticket_id


async def repaired(h: Harness, items: Sequence[ReplacedLine] = ()) -> int:
    """Returns the id of a claimed report that Budi took as a light fault and reported repaired
    (the RJ45 connector story), with these replaced items."""
    ticket_id = await claimed(h)
    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    async with h.services.uow() as uow:
        await workflow.report_repair(
            uow,
            h.services.context(Actor(BUDI.id)),
            ticket_id,
            diagnosis="Konektor RJ45 longgar",
            actions="Mengganti konektor",
            items=items,
            photos=[],
        )
    await h.delivery.wait_idle()
    return ticket_id


async def fill_report_form(
    h: Harness,
    person: Person,
    category: str,
    impact: str,
    location: str,
    description: str,
    phone: str,
) -> None:
    """Fills the /lapor form up to its summary: the choices and texts given, no photos, the
    letter later."""
    await h.say(person, "/lapor")
    await h.choose(person, category)
    await h.choose(person, impact)
    await h.say(person, location)
    await h.say(person, description)
    await h.choose(person, report_texts.PHOTOS_SKIP)
    await h.choose(person, report_texts.LETTER_LATER)
    await h.say(person, phone)


async def load_ticket(h: Harness, ticket_id: int) -> Ticket:
    """Returns the ticket row as the database holds it now."""
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket).where(Ticket.id == ticket_id))).one()
        return ticket
