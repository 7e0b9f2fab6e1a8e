"""/libur jam: a schedule typo never closes the office; closing working days needs a «Ya»."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.services.domain import Role
from db.models import CalendarOverride
from tests.factories import Person
from tests.harness import ADMIN, Harness

BUDI = Person(3201, "Budi")
ANI = Person(3202, "Ani")
USAGE = "Penggunaan /libur"


async def _overrides(h: Harness) -> list[CalendarOverride]:
    async with h.services.uow() as uow:
        return list((await uow.session.scalars(select(CalendarOverride))).all())


async def test_a_schedule_that_does_not_parse_is_refused_with_the_usage(harness: Harness) -> None:
    h = harness
    for text in (
        "/libur jam 2026-12-01 2026-12-31 xyz 08:00-12:00 Hari aneh",
        "/libur jam 2026-12-01 2026-12-31 08:00-12:00 Hari aneh",
        "/libur jam 2026-12-01 2026-12-31 Senin 08:00-12:00",
    ):
        await h.say(ADMIN, text)
        reply = h.last_reply(ADMIN)
        assert "tidak dikenali" in reply.text, text
        assert USAGE in reply.text, text
        assert reply.buttons == [], text
    assert await _overrides(h) == []
    assert h.services.calendar.is_working_day(date(2026, 12, 1))


async def test_closing_the_office_asks_first_and_yes_stores_it(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/libur jam 2026-12-07 2026-12-11 tutup Pindah kantor")
    question = h.last_reply(ADMIN)
    assert "menutup layanan pada 5 hari kerja" in question.text
    assert "Senin, 7 Desember 2026" in question.text
    assert [label for label, _ in question.buttons] == ["Ya, simpan", "Batal"]
    assert await _overrides(h) == []

    await h.press(ADMIN, question, "Ya, simpan")
    (row,) = await _overrides(h)
    assert (row.start_day, row.end_day, row.spec, row.name) == (
        date(2026, 12, 7),
        date(2026, 12, 11),
        "",
        "Pindah kantor",
    )
    assert not h.services.calendar.is_working_day(date(2026, 12, 8))
    answers = h.api.by_method("answerCallbackQuery")
    assert len(answers) == 1
    edit = h.api.by_method("editMessageText")[-1]
    assert "Jam layanan khusus berlaku" in edit.params["text"]

    # The question's buttons are spent: a second «Ya» stores nothing twice.
    await h.press(ADMIN, question, "Ya, simpan")
    assert len(await _overrides(h)) == 1
    assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == (
        "Tombol ini sudah tidak berlaku."
    )


async def test_batal_stores_nothing(harness: Harness) -> None:
    h = harness
    # Mondays to Thursdays only: the Fridays of the range would close.
    await h.say(ADMIN, "/libur jam 2027-02-08 2027-03-09 mon-thu 08:00-14:00 Ramadan")
    question = h.last_reply(ADMIN)
    assert "menutup layanan pada 4 hari kerja" in question.text
    assert "Jumat, 12 Februari 2027" in question.text
    await h.press(ADMIN, question, "Batal")
    assert await _overrides(h) == []
    assert "tidak disimpan" in h.api.by_method("editMessageText")[-1].params["text"]
    assert h.services.calendar.is_working_day(date(2027, 2, 12))


async def test_an_override_that_keeps_every_working_day_open_is_stored_at_once(
    harness: Harness,
) -> None:
    h = harness
    await h.say(ADMIN, "/libur jam 2027-02-08 2027-03-09 mon-thu 08:00-14:00;fri 08:00-11:00 R")
    assert "Jam layanan khusus berlaku" in h.last_reply(ADMIN).text
    assert len(await _overrides(h)) == 1
    # A closed range over days that are closed anyway (a weekend) needs no question either.
    await h.say(ADMIN, "/libur jam 2026-12-05 2026-12-06 tutup Akhir pekan")
    assert "Jam layanan khusus berlaku" in h.last_reply(ADMIN).text
    assert len(await _overrides(h)) == 2


async def test_only_the_admin_who_asked_can_confirm(harness: Harness) -> None:
    h = harness
    await h.staff(ANI, Role.ADMIN)
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.say(ADMIN, "/libur jam 2026-12-07 2026-12-07 tutup")
    question = h.last_reply(ADMIN)
    for person in (ANI, BUDI):
        await h.process(
            h.updates.press(
                person, question.buttons[0][1], question.message_id or 0, ADMIN.id, question.text
            )
        )
        assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == (
            "Tombol ini sudah tidak berlaku."
        )
    assert await _overrides(h) == []


async def test_a_range_longer_than_a_year_is_refused(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/libur jam 2027-02-08 2062-03-09 mon-thu 08:00-14:00;fri 08:00-11:00 R")
    assert "paling lama 366 hari" in h.last_reply(ADMIN).text
    assert await _overrides(h) == []
