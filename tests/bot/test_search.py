"""`/cari` as staff and reporters use it: by number, OPD, words of description and location,
newest first, paged; a reporter sees only their OPD's tickets; bad input gets the usage line."""

from __future__ import annotations

import pytest

from bot.services import complaints
from bot.services.complaints import ComplaintCategory, ComplaintDraft
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from bot.texts import queues as tq
from bot.texts.refusals import REFUSALS
from tests.factories import Person
from tests.harness import Harness
from tests.stories import BUDI, SITI, file_report

JOKO = Person(2003, "Joko")  # a reporter of Dinas Perhubungan
STRANGER = Person(9009, "Orang", "Asing")
USAGE = REFUSALS["search_query"]


def _draft(location: str, description: str) -> ReportDraft:
    return ReportDraft(Category.SLOW, Impact.ONE_ROOM, location, description, "0812345678")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Two OPDs' reporters and a technician; a few reports over a morning, and a complaint."""
    await harness.reporter(SITI)
    await harness.reporter(JOKO, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await file_report(harness, SITI, _draft("Ruang server", "Switch mati, lampu indikator padam."))
    harness.advance(minutes=10)
    await file_report(harness, SITI, _draft("Aula lantai 2", "Kecepatan turun 100% saat hujan."))
    harness.advance(minutes=10)
    await file_report(harness, JOKO, _draft("Terminal bus", "Wifi ruang tunggu tidak bisa."))
    harness.advance(minutes=10)
    async with harness.services.uow() as uow:
        await complaints.file_complaint(
            uow,
            harness.services.context(Actor(SITI.id)),
            ComplaintDraft(
                ComplaintCategory.BEHAVIOUR,
                "Petugas di ruang server tidak sopan.",
                confidential=True,
            ),
        )
    await harness.delivery.wait_idle()
    return harness


async def _find(h: Harness, person: Person, words: str) -> str:
    await h.say(person, f"/cari {words}".rstrip())
    return h.last_reply(person).text


def _numbers(text: str) -> list[str]:
    return [part.split("</code>")[0] for part in text.split("<code>")[1:]]


async def test_staff_find_tickets_and_complaints_by_every_field_newest_first(h: Harness) -> None:
    assert _numbers(await _find(h, BUDI, "bn-2026-2")) == ["BN-2026-00002"]
    assert _numbers(await _find(h, BUDI, "00003")) == ["BN-2026-00003"]
    assert _numbers(await _find(h, BUDI, "kesehatan")) == ["BN-2026-00002", "BN-2026-00001"]
    assert _numbers(await _find(h, BUDI, "DINHUB")) == ["BN-2026-00003"]
    assert _numbers(await _find(h, BUDI, "aula LANTAI")) == ["BN-2026-00002"]
    # Every word must match somewhere; the complaint's text counts, newest first.
    assert _numbers(await _find(h, BUDI, "ruang server")) == ["ADU-2026-00001", "BN-2026-00001"]
    assert _numbers(await _find(h, BUDI, "adu-2026-1")) == ["ADU-2026-00001"]
    text = await _find(h, BUDI, "sopan")
    assert "ADU-2026-00001" in text and "Siti" not in text  # confidential: no name anywhere
    assert "Tidak ada tiket atau pengaduan yang cocok" in await _find(h, BUDI, "gudang")


async def test_like_wildcards_are_taken_literally(h: Harness) -> None:
    assert _numbers(await _find(h, BUDI, "100%")) == ["BN-2026-00002"]
    assert _numbers(await _find(h, BUDI, "%%%")) == []
    assert _numbers(await _find(h, BUDI, "___")) == []
    assert _numbers(await _find(h, BUDI, "0_00")) == []  # `_` is no single-character wildcard


async def test_a_reporter_searches_only_the_tickets_of_their_opd(h: Harness) -> None:
    assert _numbers(await _find(h, SITI, "ruang")) == ["BN-2026-00001"]  # not Joko's, no ADU
    none = await _find(h, SITI, "terminal")
    assert "Tidak ada tiket Dinas Kesehatan yang cocok" in none
    assert _numbers(await _find(h, SITI, "bn-2026-3")) == []
    assert _numbers(await _find(h, JOKO, "wifi")) == ["BN-2026-00003"]
    await h.press_data(SITI, "v1:q_tkt:3", SITI.id)  # a forged «Rincian» of Joko's ticket
    assert "BN-2026-00003" not in h.last_reply(SITI).text


async def test_bad_input_gets_the_usage_line(h: Harness) -> None:
    assert await _find(h, BUDI, "") == USAGE
    assert await _find(h, BUDI, "ab") == USAGE
    assert await _find(h, BUDI, "x" * 101) == USAGE
    assert "belum terdaftar" in await _find(h, STRANGER, "ruang")
    await h.staff(Person(8001, "Tanpa", "Peran"))
    assert "Pencarian untuk pelapor OPD" in await _find(h, Person(8001, "Tanpa"), "ruang")


async def test_many_hits_are_paged_with_buttons_and_an_older_search_goes_stale(
    h: Harness,
) -> None:
    for n in range(10):
        h.advance(minutes=1)
        await file_report(h, SITI, _draft(f"Gudang {n}", "Kabel jaringan putus digigit tikus."))

    first = await _find(h, BUDI, "gudang")
    page = h.last_reply(BUDI)
    assert "(halaman 1 dari 2)" in first and ": 10" in first
    assert _numbers(first)[0] == "BN-2026-00013" and len(_numbers(first)) == 8
    await h.press(BUDI, page, tq.NEXT_PAGE)
    second = h.api.by_method("editMessageText")[-1]
    assert _numbers(second.text) == ["BN-2026-00005", "BN-2026-00004"]
    assert tq.PREVIOUS_PAGE in dict(second.buttons)
    await h.press(BUDI, page, tq.open_button("BN-2026-00013"))
    assert "<b>BN-2026-00013</b>" in h.last_reply(BUDI).text

    await _find(h, BUDI, "kabel")  # a new search: the old page's turners are stale
    await h.press(BUDI, page, tq.NEXT_PAGE)
    alert = h.api.by_method("answerCallbackQuery")[-1]
    assert alert.params["text"] == REFUSALS["stale_button"]
