"""Following up: /status for reporters and technicians, /tiket with the timeline."""

from __future__ import annotations

import pytest

from bot.services import tickets
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from tests.factories import Person
from tests.harness import GROUP_ID, Harness

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
RINA = Person(2002, "Rina")  # same OPD as Siti
JOKO = Person(2003, "Joko")  # another OPD
BUDI = Person(3001, "Budi")
STRANGER = Person(9009, "Orang", "Asing")


async def _report(h: Harness, person: Person, location: str) -> str:
    services = h.services
    async with services.uow() as uow:
        view = await tickets.create_report(
            uow,
            services.context(Actor(person.id)),
            ReportDraft(
                Category.SLOW,
                Impact.ONE_ROOM,
                location,
                "Koneksi lambat dan sering putus sejak kemarin.",
                "081234567890",
            ),
        )
    await h.delivery.wait_idle()
    return view.number


async def test_reporter_sees_own_opd_tickets_open_first(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI, "dinkes")
    await h.reporter(RINA, "dinkes")
    await h.reporter(JOKO, "dinhub")
    first = await _report(h, SITI, "Ruang TU")
    second = await _report(h, RINA, "Ruang Kepala Dinas")
    other = await _report(h, JOKO, "Terminal")

    await h.say(SITI, "/status")

    text = h.last_reply(SITI).text
    assert first in text and second in text
    assert other not in text
    assert "Dinas Kesehatan" in text


async def test_technician_sees_own_jobs_and_unclaimed_tickets(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    mine = await _report(h, SITI, "Ruang TU")
    waiting = await _report(h, SITI, "Gudang")
    card = next(c for c in h.api.to_chat(GROUP_ID, "sendMessage") if mine in c.text)
    await h.press(BUDI, card, "Ambil")

    await h.say(BUDI, "/status")

    text = h.last_reply(BUDI).text
    jobs, _, unclaimed = text.partition("Belum diambil teknisi")
    assert mine in jobs and waiting not in jobs
    assert waiting in unclaimed


async def test_ticket_detail_shows_the_timeline(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    number = await _report(h, SITI, "Ruang TU")
    await h.press(BUDI, h.api.to_chat(GROUP_ID, "sendMessage")[-1], "Ambil")

    await h.say(SITI, f"/tiket {number.lower()}")

    text = h.last_reply(SITI).text
    assert number in text
    assert "Pengecekan dan diagnosis" in text
    assert "Laporan diterima (Siti Aminah)" in text
    assert "Didisposisikan kepada tim teknis (Sistem)" in text
    assert "Ditangani teknisi (Budi)" in text
    assert "Senin, 30 November 2026 pukul 09.00 WIB" in text
    # 2 and 5 working days after Monday 30 November: Wed 2 and Mon 7 December 2026.
    assert "Target: Rabu, 2 Desember 2026 pukul 15.45 WIB" in text
    assert "Batas waktu: Senin, 7 Desember 2026 pukul 15.45 WIB" in text


async def test_ticket_of_another_opd_is_not_shown(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI, "dinkes")
    await h.reporter(JOKO, "dinhub")
    number = await _report(h, SITI, "Ruang TU")

    await h.say(JOKO, f"/tiket {number}")

    text = h.last_reply(JOKO).text
    assert number not in text
    assert "tidak ditemukan" in text


async def test_bad_numbers_and_strangers_get_clear_answers(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)

    await h.say(SITI, "/tiket")
    assert "contoh" in h.last_reply(SITI).text
    await h.say(SITI, "/tiket ABC-1")
    assert "tidak dikenali" in h.last_reply(SITI).text
    await h.say(SITI, "/tiket BN-2026-99999")
    assert "tidak ditemukan" in h.last_reply(SITI).text
    await h.say(STRANGER, "/status")
    assert "belum terdaftar" in h.last_reply(STRANGER).text
    await h.say(STRANGER, "/tiket BN-2026-00001")
    assert "belum terdaftar" in h.last_reply(STRANGER).text


async def test_html_in_user_text_is_escaped(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    number = await _report(h, SITI, "<b>Ruang</b> & Aula")

    await h.say(SITI, f"/tiket {number}")

    text = h.last_reply(SITI).text
    assert "&lt;b&gt;Ruang&lt;/b&gt; &amp; Aula" in text
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "&lt;b&gt;Ruang" in card.text
