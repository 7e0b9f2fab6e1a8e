"""The escalation ladder: each step once, at its moment, only in office hours, as digests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services import attachments, sla, tickets, workflow
from bot.services.berita_acara.confirmations import SignerChoice, SignerKind
from bot.services.context import Context
from bot.services.domain import Actor, Category, Decision, Impact, MaterialLine, Role
from bot.services.tickets import ReportDraft
from bot.texts import tickets as ticket_texts
from db.models import SlaFiring, Ticket, TicketEvent
from tests.factories import Person
from tests.harness import GROUP_ID, Harness

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

WIB = ZoneInfo("Asia/Jakarta")
SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
KOORD = Person(4001, "Koordinator")
KABID = Person(5001, "Kabid")


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


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
            services.context(Actor(SITI.id)),
            ReportDraft(
                Category.INTERNET_DOWN,
                Impact.WHOLE_OFFICE,
                "Ruang server",
                "Internet mati sejak pagi, modem merah.",
                "081234567890",
                # With its letter: the letter's reminders are tested in test_letters.py.
                letter=attachments.photo("letter-1", "u-letter-1", 1000),
            ),
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
    assert "Sisa waktu target: 2 hari kerja" in card.text
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
    assert "Sisa waktu target" in h.api.by_method("editMessageText")[-1].text

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
            services.context(Actor(SITI.id)),
            ReportDraft(
                Category.WIFI, Impact.ONE_ROOM, "Aula", "Wi-Fi aula tidak tersambung.", "0812345"
            ),
        )
    text = ticket_texts.receipt(view, services.settings.deadline_working_days)
    assert "di luar jam layanan" in text
    assert "diproses mulai Senin, 7 Desember 2026 pukul 08.00 WIB" in text

    h.clock.set(wib(2026, 12, 7, 9, 0))
    async with services.uow() as uow:
        inside = await tickets.detail(uow, services.context(Actor(SITI.id)), view.number)
    assert "di luar jam layanan" not in ticket_texts.receipt(inside, 5)


# --- stage steps: the approval wait and the unconfirmed repair ------------------------------

LADDER = "Pengingat dan eskalasi waktu layanan"
APPROVAL_LATE = "terlalu lama menunggu persetujuan"
UNCONFIRMED = "OPD belum mengonfirmasi hasil perbaikan"
ASKED = "menunggu jawaban Anda"


def _ctx(h: Harness, person: Person | None = None) -> Context:
    return h.services.context(Actor(person.id) if person else None)


async def _call(h: Harness, fn: Any, *args: Any, **kwargs: Any) -> Any:
    async with h.services.uow() as uow:
        result = await fn(uow, *args, **kwargs)
    await h.delivery.wait_idle()
    return result


async def _claimed(h: Harness) -> tuple[int, str]:
    """Reports at the current time (auto disposition) and lets Budi claim it."""
    h.services.settings.auto_disposition = True
    number = await _report(h)
    s = h.services
    async with s.uow() as uow:
        ticket = await uow.tickets.by_number(number)
        assert ticket is not None
        ticket_id = ticket.id
    await _call(h, tickets.claim, s.context(Actor(BUDI.id)), ticket_id)
    return ticket_id, number


async def _request(h: Harness, ticket_id: int) -> int:
    view = await _call(
        h,
        workflow.submit_material_request,
        _ctx(h, BUDI),
        ticket_id,
        [MaterialLine("Switch 24 port", "Managed", 1, "unit")],
        "Switch terbakar",
        [],
    )
    return int(view.id)


async def _repair(h: Harness, ticket_id: int) -> None:
    await _call(
        h,
        workflow.report_repair,
        _ctx(h, BUDI),
        ticket_id,
        diagnosis="Kabel patch putus",
        actions="Mengganti kabel patch",
        items=[],
        photos=[],
    )


def _ladder(h: Harness, chat: int, phrase: str) -> list[str]:
    """Returns the SLA digests to a chat whose ladder section mentions a phrase."""
    return [t for t in _texts(h, chat) if phrase in t]


async def _firings(h: Harness, ticket_id: int) -> list[tuple[str, int]]:
    async with h.services.uow() as uow:
        rows = await uow.sla.firings_for(ticket_id)
        return [(f.step, f.entry_id) for f in rows]


async def _sla_events(h: Harness, ticket_id: int) -> list[str]:
    async with h.services.uow() as uow:
        return [
            e.kind for e in await uow.events.for_ticket(ticket_id) if e.kind.startswith("sla:")
        ]


async def test_the_approval_wait_escalates_once_per_request(harness: Harness) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 9, 0))  # Monday
    ticket_id, number = await _claimed(h)
    h.clock.set(wib(2026, 11, 30, 10, 0))
    first = await _request(h, ticket_id)
    await h.run_job("sla-sweep")
    h.api.clear()

    await _sweep_at(h, wib(2026, 11, 30, 14, 29))
    assert _ladder(h, KOORD.id, APPROVAL_LATE) == []
    await _sweep_at(h, wib(2026, 11, 30, 14, 30))  # 4 working hours, across the lunch break
    (escalation,) = _ladder(h, KOORD.id, APPROVAL_LATE)
    assert number in escalation and LADDER in escalation
    assert _ladder(h, BUDI.id, APPROVAL_LATE) == _ladder(h, KABID.id, APPROVAL_LATE) == []
    await _sweep_at(h, wib(2026, 11, 30, 14, 31))
    assert len(_ladder(h, KOORD.id, APPROVAL_LATE)) == 1

    h.clock.set(wib(2026, 11, 30, 14, 40))
    await _call(h, workflow.decide_material, _ctx(h, KOORD), first, Decision.REVISE, "Merek?")
    h.clock.set(wib(2026, 11, 30, 14, 50))
    second = await _request(h, ticket_id)  # due Tuesday 11:05 if still waiting
    h.clock.set(wib(2026, 12, 1, 9, 0))
    await _call(h, workflow.decide_material, _ctx(h, KOORD), second, Decision.REVISE, "Tipe?")
    h.clock.set(wib(2026, 12, 1, 9, 30))
    await _request(h, ticket_id)  # due Tuesday 14:00
    await _sweep_at(h, wib(2026, 12, 1, 11, 5))  # the second request was decided in time
    await _sweep_at(h, wib(2026, 12, 1, 13, 59))
    assert len(_ladder(h, KOORD.id, APPROVAL_LATE)) == 1
    await _sweep_at(h, wib(2026, 12, 1, 14, 0))  # the third request waits too long: again
    assert len(_ladder(h, KOORD.id, APPROVAL_LATE)) == 2
    assert number in _ladder(h, KOORD.id, APPROVAL_LATE)[-1]
    await h.restart()
    await _sweep_at(h, wib(2026, 12, 1, 14, 5))
    assert len(_ladder(h, KOORD.id, APPROVAL_LATE)) == 2

    firings = [f for f in await _firings(h, ticket_id) if f[0] == "approval_waiting"]
    assert len(firings) == 2 and firings[0][1] != firings[1][1]
    assert (await _sla_events(h, ticket_id)).count("sla:approval_waiting") == 2

    async with h.services.uow() as uow:
        request = await uow.workflow.material_request(first)
        assert request is not None and request.decided_at is not None
        waited = sla.approval_wait_minutes(
            request.submitted_at, request.decided_at, h.services.calendar
        )
    assert waited == 250  # 10:00-12:00 and 12:30-14:40; the break does not count


async def test_an_unconfirmed_repair_reminds_the_reporter_then_the_coordinators(
    harness: Harness,
) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 9, 0))  # Monday
    ticket_id, number = await _claimed(h)
    await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    h.clock.set(wib(2026, 11, 30, 14, 0))
    await _repair(h, ticket_id)
    h.api.clear()

    await _sweep_at(h, wib(2026, 12, 1, 15, 44))
    assert _ladder(h, SITI.id, ASKED) == []
    await h.restart()
    await _sweep_at(h, wib(2026, 12, 1, 15, 45))  # one working day, at closing: held
    assert _ladder(h, SITI.id, ASKED) == []
    await _sweep_at(h, wib(2026, 12, 2, 8, 0))  # delivered at the next opening
    (reminder,) = _ladder(h, SITI.id, ASKED)
    assert number in reminder and "sudah normal" in reminder and "Sudah normal" in reminder
    assert LADDER not in reminder  # the reporter is asked, not sent the staff's list
    assert _ladder(h, KOORD.id, UNCONFIRMED) == []
    await h.restart()
    await _sweep_at(h, wib(2026, 12, 2, 8, 1))
    assert len(_ladder(h, SITI.id, ASKED)) == 1

    await _sweep_at(h, wib(2026, 12, 2, 15, 44))
    assert _ladder(h, KOORD.id, UNCONFIRMED) == []
    await h.restart()
    await _sweep_at(h, wib(2026, 12, 3, 8, 0))  # two working days, delivered at opening
    (escalation,) = _ladder(h, KOORD.id, UNCONFIRMED)
    assert number in escalation
    await _sweep_at(h, wib(2026, 12, 3, 9, 0))
    assert len(_ladder(h, KOORD.id, UNCONFIRMED)) == 1
    assert len(_ladder(h, SITI.id, ASKED)) == 1
    assert [f for f, _ in await _firings(h, ticket_id) if f.startswith("repaired")] == [
        "repaired_reminder",
        "repaired_escalation",
    ]
    events = await _sla_events(h, ticket_id)
    assert events.count("sla:repaired_reminder") == events.count("sla:repaired_escalation") == 1


async def test_a_confirmation_in_time_stops_the_reminders_and_a_new_repair_restarts_them(
    harness: Harness,
) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 9, 0))  # Monday
    ticket_id, number = await _claimed(h)
    await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    h.clock.set(wib(2026, 11, 30, 14, 0))
    await _repair(h, ticket_id)
    await _sweep_at(h, wib(2026, 12, 2, 8, 0))
    assert len(_ladder(h, SITI.id, ASKED)) == 1  # the first round's reminder

    h.clock.set(wib(2026, 12, 2, 9, 0))
    await _call(h, workflow.not_fixed, _ctx(h, SITI), ticket_id, "Masih putus")
    await _sweep_at(h, wib(2026, 12, 3, 8, 0))  # the first round's escalation: not any more
    assert _ladder(h, KOORD.id, UNCONFIRMED) == []
    h.clock.set(wib(2026, 12, 3, 9, 0))
    await _repair(h, ticket_id)  # a new round: reminder due Friday 11:00 (closing)
    await _sweep_at(h, wib(2026, 12, 4, 10, 59))
    assert len(_ladder(h, SITI.id, ASKED)) == 1
    await _sweep_at(h, wib(2026, 12, 7, 8, 0))  # Monday's opening: the new round's reminder
    assert len(_ladder(h, SITI.id, ASKED)) == 2 and number in _ladder(h, SITI.id, ASKED)[-1]

    h.clock.set(wib(2026, 12, 7, 9, 0))  # the OPD confirms before the escalation
    await _call(
        h,
        workflow.confirm_fixed,
        _ctx(h, SITI),
        ticket_id,
        SignerChoice(SignerKind.SELF),
    )
    for at in (wib(2026, 12, 8, 8, 0), wib(2026, 12, 9, 8, 0)):
        await _sweep_at(h, at)
    assert _ladder(h, KOORD.id, UNCONFIRMED) == []
    assert len(_ladder(h, SITI.id, ASKED)) == 2
    reminders = [e for f, e in await _firings(h, ticket_id) if f == "repaired_reminder"]
    assert len(reminders) == 2 and len(set(reminders)) == 2
    async with h.services.uow() as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None and ticket.status == "CLOSED" and ticket.next_check_at is None


async def test_a_repair_confirmed_the_same_day_sends_no_reminder(harness: Harness) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 9, 0))
    ticket_id, _ = await _claimed(h)
    await _call(h, workflow.classify_light, _ctx(h, BUDI), ticket_id)
    h.clock.set(wib(2026, 11, 30, 14, 0))
    await _repair(h, ticket_id)
    h.clock.set(wib(2026, 12, 1, 10, 0))
    await _call(
        h,
        workflow.confirm_fixed,
        _ctx(h, SITI),
        ticket_id,
        SignerChoice(SignerKind.SELF),
    )
    for at in (wib(2026, 12, 2, 8, 0), wib(2026, 12, 3, 8, 0), wib(2026, 12, 4, 8, 0)):
        await _sweep_at(h, at)
    assert _ladder(h, SITI.id, ASKED) == []
    assert _ladder(h, KOORD.id, UNCONFIRMED) == []
    assert [f for f, _ in await _firings(h, ticket_id) if f.startswith("repaired")] == []


async def test_a_hold_keeps_the_stage_and_its_approval_wait(harness: Harness) -> None:
    h = harness
    await _team(h)
    h.clock.set(wib(2026, 11, 30, 9, 0))
    ticket_id, number = await _claimed(h)
    h.clock.set(wib(2026, 11, 30, 10, 0))
    await _request(h, ticket_id)
    async with h.services.uow() as uow:
        entered = await uow.tickets.get(ticket_id)
        assert entered is not None
        stage = (entered.state_entry_id, entered.state_entered_at)
    assert stage[1] == wib(2026, 11, 30, 10, 0)
    h.clock.set(wib(2026, 11, 30, 11, 0))
    await _call(h, workflow.hold, _ctx(h, BUDI), ticket_id, "Menunggu OPD")
    await _sweep_at(h, wib(2026, 11, 30, 14, 30))  # held: nothing fires
    assert _ladder(h, KOORD.id, APPROVAL_LATE) == []
    h.clock.set(wib(2026, 11, 30, 15, 0))
    await _call(h, workflow.resume, _ctx(h, BUDI), ticket_id)
    async with h.services.uow() as uow:
        resumed = await uow.tickets.get(ticket_id)
        assert resumed is not None and resumed.status == "AWAITING_APPROVAL"
        assert (resumed.state_entry_id, resumed.state_entered_at) == stage
    await _sweep_at(h, wib(2026, 11, 30, 15, 1))  # the same request, still waiting: due now
    (escalation,) = _ladder(h, KOORD.id, APPROVAL_LATE)
    assert number in escalation
