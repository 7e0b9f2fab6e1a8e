"""/libur: admins maintain holidays and special office hours; everyone else is refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.services.domain import Role
from db.models import CalendarHoliday, CalendarOverride, RemovedHoliday
from tests.factories import Person
from tests.harness import ADMIN, Harness

BUDI = Person(3001, "Budi")


async def test_admin_adds_lists_and_removes_a_holiday(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/libur tambah 2026-12-02 Hari Jadi <Kota>")
    assert "Rabu, 2 Desember 2026 ditetapkan sebagai hari libur" in h.last_reply(ADMIN).text
    assert "Hari Jadi &lt;Kota&gt;" in h.last_reply(ADMIN).text
    assert not h.services.calendar.is_working_day(date(2026, 12, 2))

    await h.say(ADMIN, "/libur")
    listing = h.last_reply(ADMIN).text
    assert "2026-12-02" in listing and "(ditambahkan admin)" in listing
    assert "Cuti Bersama Hari Raya Natal" in listing

    await h.say(ADMIN, "/libur hapus 2026-12-02")
    await h.say(ADMIN, "/libur hapus 2026-12-24")
    assert "kini hari kerja" in h.last_reply(ADMIN).text
    async with h.services.uow() as uow:
        assert (await uow.session.scalars(select(CalendarHoliday))).all() == []
        removed = (await uow.session.scalars(select(RemovedHoliday.day))).all()
    assert [d.isoformat() for d in removed] == ["2026-12-24"]


async def test_admin_adds_and_removes_a_schedule_override(harness: Harness) -> None:
    h = harness
    await h.say(
        ADMIN, "/libur jam 2027-02-08 2027-03-09 mon-thu 08:00-14:00; fri 08:00-11:00 Ramadan 1448"
    )
    assert "Jam layanan khusus berlaku" in h.last_reply(ADMIN).text
    async with h.services.uow() as uow:
        (row,) = (await uow.session.scalars(select(CalendarOverride))).all()
    assert row.spec == "mon-thu 08:00-14:00; fri 08:00-11:00"
    assert row.name == "Ramadan 1448"

    await h.say(ADMIN, "/libur")
    assert f"No. {row.id} Ramadan 1448" in h.last_reply(ADMIN).text

    await h.say(ADMIN, f"/libur hapus_jam {row.id}")
    assert "dihapus" in h.last_reply(ADMIN).text
    await h.say(ADMIN, f"/libur hapus_jam {row.id}")
    assert "tidak ditemukan" in h.last_reply(ADMIN).text


async def test_non_admins_are_refused(harness: Harness) -> None:
    h = harness
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.say(BUDI, "/libur tambah 2026-12-02 Libur")
    assert "tidak berwenang" in h.last_reply(BUDI).text
    await h.say(BUDI, "/libur")
    assert "tidak berwenang" in h.last_reply(BUDI).text
    async with h.services.uow() as uow:
        assert (await uow.session.scalars(select(CalendarHoliday))).all() == []


async def test_bad_input_gets_a_clear_usage_message(harness: Harness) -> None:
    h = harness
    for text in (
        "/libur tambah 2026-13-45 Libur",
        "/libur tambah 2026-12-02",
        "/libur entah",
        "/libur hapus_jam satu",
    ):
        await h.say(ADMIN, text)
        assert "Penggunaan /libur" in h.last_reply(ADMIN).text, text
    await h.say(ADMIN, "/libur jam 2027-02-08 2027-03-09 mon 25:00-26:00")
    assert "Format jam layanan tidak dikenali" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/libur jam 2027-03-09 2027-02-08 mon 08:00-12:00")
    assert "Tanggal mulai harus sebelum" in h.last_reply(ADMIN).text
    await h.say(ADMIN, "/libur hapus 2026-12-03")
    assert "bukan hari libur" in h.last_reply(ADMIN).text


async def test_bantuan_lists_libur_for_admins_only(harness: Harness) -> None:
    h = harness
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.say(ADMIN, "/bantuan")
    assert "/libur" in h.last_reply(ADMIN).text
    await h.say(BUDI, "/bantuan")
    assert "/libur" not in h.last_reply(BUDI).text
