"""The escalation ladder: each step once, at its moment, only in office hours, as digests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services import tickets
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from bot.texts import tickets as ticket_texts
from db.models import SlaFiring, Ticket, TicketEvent
from tests.factories import Person
from tests.harness import GROUP_ID, Harness

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
KOORD = Person(4001, "Koordinator")
KABID = Person(5001, "Kabid")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


async def _team(h: Harness) -> None:
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.staff(KOORD, Role.COORDINATOR)
    await h.staff(KABID, Role.SUPERVISOR)


async def _report(h: Harness) -> str:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            Actor(SITI.id),
            ReportDraft(
                Category.INTERNET_DOWN,
                Impact.WHOLE_OFFICE,
                "Ruang server",
                "Internet mati sejak pagi, modem merah.",
                "081234567890",
            ),
            now=services.now(),
            calendar=services.calendar,
            settings=services.settings,
        )
    await h.delivery.wait_idle()
    return view.number


def _texts(h: Harness, chat: int) -> list[str]:
    return [call.text for call in h.api.to_chat(chat, "sendMessage")]


async def _sweep_at(h: Harness, at: datetime) -> None:
    h.clock.set(at)
    await h.run_job("sla-sweep")


async def test_each_step_fires_once_at_its_moment_to_its_audience(harness: Harness) -> None:
    h = harness
    await _team(h)
    number = await _report(h)  # Monday 30 November 2026, 09:00
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "sisa 2 hari kerja" in card.text
    await h.run_job("sla-sweep")  # the morning digest of Monday
    h.api.clear()

    await _sweep_at(h, wib(2026, 11, 30, 10, 59))
    assert _texts(h, GROUP_ID) == []
    await _sweep_at(h, wib(2026, 11, 30, 11, 0))  # half of 4 working hours
    (reminder,) = _texts(h, GROUP_ID)
    assert number in reminder and "separuh waktu respons" in reminder
    await h.run_job("sla-sweep")
    assert len(_texts(h, GROUP_ID)) == 1

    await _sweep_at(h, wib(2026, 11, 30, 13, 29))
    assert _texts(h, KOORD.id) == []
    await _sweep_at(h, wib(2026, 11, 30, 13, 30))  # 4 working hours, across the break
    (escalation,) = _texts(h, KOORD.id)
    assert number in escalation and "waktu respons terlampaui" in escalation

    h.clock.set(wib(2026, 11, 30, 13, 31))
    await h.press(BUDI, card, "Ambil")
    assert "sisa" in h.api.by_method("editMessageText")[-1].text

    await _sweep_at(h, wib(2026, 12, 1, 12, 37))
    assert _texts(h, BUDI.id) == []
    await _sweep_at(h, wib(2026, 12, 1, 12, 37, 30))  # half the target's working time
    (target_reminder,) = _texts(h, BUDI.id)
    assert "separuh waktu target" in target_reminder

    await _sweep_at(h, wib(2026, 12, 2, 15, 45))  # target due at closing: held overnight
    await _sweep_at(h, wib(2026, 12, 2, 20, 0))
    assert len(_texts(h, KOORD.id)) == 1
    await _sweep_at(h, wib(2026, 12, 3, 8, 0))
    assert "target penyelesaian terlampaui" in _texts(h, KOORD.id)[-1]

    kabid_before = len(_texts(h, KABID.id))
    await _sweep_at(h, wib(2026, 12, 4, 8, 41))
    assert len(_texts(h, KABID.id)) == kabid_before + 1  # Friday's morning digest only
    await _sweep_at(h, wib(2026, 12, 4, 8, 41, 15))  # 75% of the deadline's working time
    assert "batas waktu layanan hampir habis" in _texts(h, KABID.id)[-1]

    await _sweep_at(h, wib(2026, 12, 7, 15, 45))
    await _sweep_at(h, wib(2026, 12, 8, 8, 0))
    last = _texts(h, KABID.id)[-1]
    assert "Ringkasan pagi" in last and "batas waktu layanan terlampaui" in last
    async with h.services.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
        assert ticket.breached_at == wib(2026, 12, 7, 15, 45)
        assert ticket.next_check_at is None
        steps = (await uow.session.scalars(select(SlaFiring.step).order_by(SlaFiring.id))).all()
        events = (
            await uow.session.scalars(select(TicketEvent.kind).order_by(TicketEvent.id))
        ).all()
    assert steps == [
        "response_reminder",
        "response_passed",
        "target_reminder",
        "target_passed",
        "deadline_warning",
        "deadline_passed",
    ]
    assert [e for e in events if e.startswith("sla:")] == [f"sla:{s}" for s in steps]

    await h.say(KABID, f"/tiket {number}")
    assert "Melewati batas waktu layanan" in h.last_reply(KABID).text


async def test_what_falls_due_overnight_arrives_as_one_digest_at_opening(
    harness: Harness,
) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 13, 45))
    first = await _report(h)
    second = await _report(h)
    await h.run_job("sla-sweep")  # Monday's morning digest
    h.api.clear()

    for at in (wib(2026, 11, 30, 15, 45), wib(2026, 11, 30, 22, 0), wib(2026, 12, 1, 7, 59)):
        await _sweep_at(h, at)
    assert h.api.by_method("sendMessage") == []  # nothing outside office hours

    await _sweep_at(h, wib(2026, 12, 1, 8, 0))
    (digest,) = _texts(h, GROUP_ID)
    assert "Ringkasan pagi" in digest
    assert digest.count("separuh waktu respons") == 2
    assert first in digest and second in digest


async def test_a_second_sweep_or_a_restart_sends_nothing_twice(harness: Harness) -> None:
    h = harness
    await _team(h)
    await _report(h)
    await h.run_job("sla-sweep")
    h.api.clear()
    h.clock.set(wib(2026, 11, 30, 11, 0))

    await h.run_job("sla-sweep")
    await h.run_job("sla-sweep")
    await h.restart()
    h.advance(minutes=1)
    await h.run_job("sla-sweep")
    assert len(_texts(h, GROUP_ID)) == 1


async def test_the_morning_digest_goes_once_per_working_day(harness: Harness) -> None:
    h = harness
    await _team(h)
    number = await _report(h)
    h.api.clear()

    await h.run_job("sla-sweep")
    h.advance(minutes=5)
    await h.run_job("sla-sweep")
    group = [t for t in _texts(h, GROUP_ID) if "Ringkasan pagi" in t]
    assert len(group) == 1 and number in group[0] and "Belum diambil teknisi" in group[0]
    (kabid,) = _texts(h, KABID.id)
    assert "Tiket terbuka: 1" in kabid
    assert _texts(h, KOORD.id) == []

    await _sweep_at(h, wib(2026, 12, 5, 9, 0))  # Saturday: closed
    assert len(_texts(h, KABID.id)) == 1
    await _sweep_at(h, wib(2026, 12, 1, 8, 0))
    assert len(_texts(h, KABID.id)) == 2


async def test_a_report_outside_office_hours_names_the_next_opening(harness: Harness) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 12, 5, 10, 0))  # Saturday
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            Actor(SITI.id),
            ReportDraft(
                Category.WIFI, Impact.ONE_ROOM, "Aula", "Wi-Fi aula tidak tersambung.", "0812345"
            ),
            now=services.now(),
            calendar=services.calendar,
            settings=services.settings,
        )
    text = ticket_texts.receipt(view)
    assert "di luar jam layanan" in text
    assert "diproses mulai Senin, 7 Desember 2026 pukul 08.00 WIB" in text

    h.clock.set(wib(2026, 12, 7, 9, 0))
    async with services.uow() as uow:
        inside = await tickets.detail(uow, Actor(SITI.id), view.number)
    assert "di luar jam layanan" not in ticket_texts.receipt(inside)
