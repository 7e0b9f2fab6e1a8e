"""/laporan as its users reach it, and the quarterly pack and monthly summary sent on their own."""

from __future__ import annotations

import asyncio
import io

import openpyxl
from pypdf import PdfReader
from sqlalchemy import select

from bot.handlers.reports import TASKS_KEY
from bot.services.domain import Role
from db.models import ReportDelivery, ReportFiring
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.reports_history import build, wib

KABID = Person(5001, "Kabid", "Infrastruktur")
KOORD = Person(4001, "Koordinator")
BUDI = Person(3001, "Budi")
SITI = Person(2001, "Siti", "Aminah")
STRANGER = Person(6001, "Orang", "Lain")
ROLES_ONLY = "Perintah /laporan hanya untuk kepala bidang, penanggung jawab dan admin."
USAGE = "Gunakan /laporan lalu pilih periode"


async def _team(h: Harness) -> None:
    await h.staff(KABID, Role.SUPERVISOR)
    await h.staff(KOORD, Role.COORDINATOR)
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.reporter(SITI)
    await build(h.services)
    h.clock.set(wib(11, 2, 9))  # Monday; "bulan lalu" is October


async def _files_sent(h: Harness) -> None:
    """Waits for the document builds the handlers started, as the bot would go on meanwhile."""
    tasks = list(h.app.bot_data.get(TASKS_KEY, ()))
    await asyncio.gather(*tasks)
    h.api.assert_no_refusals()


def _documents(h: Harness, chat_id: int) -> list[ApiCall]:
    return h.api.to_chat(chat_id, "sendDocument")


def _check_files(calls: list[ApiCall], stem: str) -> None:
    ((xlsx_name, xlsx),) = calls[0].files.values()
    ((pdf_name, pdf),) = calls[1].files.values()
    assert (xlsx_name, pdf_name) == (f"{stem}.xlsx", f"{stem}.pdf")
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames[0] == "Ringkasan"
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "LAPORAN EVALUASI KINERJA PELAYANAN PENANGANAN LOKAL" in first_page


async def test_the_kabid_picks_last_month_and_gets_the_summary_and_both_files(
    harness: Harness,
) -> None:
    h = harness
    await _team(h)

    await h.say(KABID, "/laporan")
    assert [label for label, _ in h.last_reply(KABID).buttons] == [
        "Bulan ini",
        "Bulan lalu",
        "Triwulan ini",
        "Triwulan lalu",
        "Tahun ini",
    ]
    await h.choose(KABID, "Bulan lalu")
    await _files_sent(h)

    summary = h.api.to_chat(KABID.id, "sendMessage")[-1].text
    assert "Periode 1 Oktober 2026 s.d. 31 Oktober 2026" in summary
    assert "Diterima: <b>6</b> · selesai 3 · dibatalkan 1 · masih terbuka 2" in summary
    assert "Melewati batas waktu: 2" in summary
    assert "Tiket dihitung pada periode diterimanya" in summary
    assert "Pengaduan: 3 diterima" in summary
    documents = _documents(h, KABID.id)
    assert len(documents) == 2
    _check_files(documents, "laporan-2026-10-01_2026-10-31")
    assert "Lampiran data (XLSX)" in documents[0].text


async def test_the_coordinator_and_the_admin_type_the_dates(harness: Harness) -> None:
    h = harness
    await _team(h)

    await h.say(KOORD, "/laporan 2026-10-01 2026-10-15")
    await h.say(ADMIN, "/laporan 2026-01-01 2026-03-31")
    await _files_sent(h)

    assert "Diterima: <b>5</b>" in h.api.to_chat(KOORD.id, "sendMessage")[-1].text
    _check_files(_documents(h, KOORD.id), "laporan-2026-10-01_2026-10-15")
    empty = h.api.to_chat(ADMIN.id, "sendMessage")[-1].text
    assert "Diterima: <b>0</b> · selesai 0 · dibatalkan 0 · masih terbuka 0" in empty
    _check_files(_documents(h, ADMIN.id), "laporan-2026-01-01_2026-03-31")


async def test_everyone_else_is_refused(harness: Harness) -> None:
    h = harness
    await _team(h)

    for person in (BUDI, SITI, STRANGER):
        await h.say(person, "/laporan")
        assert h.last_reply(person).text == ROLES_ONLY
        await h.say(person, "/laporan 2026-10-01 2026-10-31")
        assert h.last_reply(person).text == ROLES_ONLY
    # A period button reaching a technician (forwarded, or forged) is refused too.
    await h.press_data(BUDI, "v1:rpt:lm", BUDI.id)
    (answer,) = [c for c in h.api.by_method("answerCallbackQuery")]
    assert answer.params.get("text") == ROLES_ONLY
    assert _documents(h, BUDI.id) == []


async def test_the_report_is_never_posted_in_a_group(harness: Harness) -> None:
    h = harness
    await _team(h)

    await h.say(KOORD, "/laporan 2026-10-01 2026-10-31", chat_id=GROUP_ID)
    await _files_sent(h)

    (reply,) = h.api.to_chat(GROUP_ID)
    assert "hanya dikirim di obrolan pribadi" in reply.text
    assert "Diterima" not in reply.text
    assert h.api.by_method("sendDocument") == []


async def test_bad_dates_get_the_usage_line(harness: Harness) -> None:
    h = harness
    await _team(h)

    for args in (
        "2026-02-30 2026-03-01",
        "2026-09-30 2026-07-01",
        "2025-01-01 2026-01-02",
        "2026-07-01",
        "besok lusa",
    ):
        await h.say(KABID, f"/laporan {args}")
        assert USAGE in h.last_reply(KABID).text, args
    await _files_sent(h)
    assert _documents(h, KABID.id) == []


# --- the quarterly pack and the monthly summary ----------------------------------------------


async def _firings(h: Harness) -> list[tuple[str, str]]:
    async with h.services.uow() as uow:
        rows = (await uow.session.scalars(select(ReportFiring).order_by(ReportFiring.id))).all()
        return [(row.kind, row.period_start.isoformat()) for row in rows]


def _messages(h: Harness, chat_id: int) -> list[str]:
    return [c.text for c in h.api.to_chat(chat_id, "sendMessage")]


async def test_the_quarterly_pack_arrives_once_at_the_first_opening_after_the_quarter(
    harness: Harness,
) -> None:
    h = harness
    await h.staff(KABID, Role.SUPERVISOR)
    await build(h.services)

    h.clock.set(wib(10, 1, 7, 30))  # Thursday 1 October, before opening
    await h.run_job("report-schedule")
    assert _messages(h, KABID.id) == [] and await _firings(h) == []

    h.clock.set(wib(10, 1, 8, 0))
    await h.run_job("report-schedule")
    quarterly, monthly = _messages(h, KABID.id)
    assert "Paket evaluasi triwulanan" in quarterly
    assert "1 Juli 2026 s.d. 30 September 2026" in quarterly
    assert "Diterima: <b>1</b>" in quarterly  # the report of 30 September
    assert "Ringkasan bulanan" in monthly and "1 September 2026 s.d. 30 September" in monthly
    _check_files(_documents(h, KABID.id), "laporan-2026-07-01_2026-09-30")
    (admin_message,) = _messages(h, ADMIN.id)  # the pack only; the monthly summary is the kabid's
    assert "Paket evaluasi triwulanan" in admin_message
    _check_files(_documents(h, ADMIN.id), "laporan-2026-07-01_2026-09-30")
    assert await _firings(h) == [("quarterly", "2026-07-01"), ("monthly", "2026-09-01")]

    def sent() -> int:
        return len(h.api.by_method("sendMessage")) + len(h.api.by_method("sendDocument"))

    before = sent()
    h.advance(minutes=1)
    await h.run_job("report-schedule")
    await h.restart()
    h.advance(hours=1)
    await h.run_job("report-schedule")
    assert sent() == before  # never twice, restart or not
    h.clock.set(wib(11, 2, 9))  # the next month: only its summary, no pack
    await h.run_job("report-schedule")
    assert "1 Oktober 2026 s.d. 31 Oktober 2026" in _messages(h, KABID.id)[-1]
    assert len(_documents(h, KABID.id)) == 2


async def test_a_pack_missed_while_the_bot_was_down_comes_after_the_restart_in_office_hours(
    harness: Harness,
) -> None:
    h = harness
    await h.staff(KABID, Role.SUPERVISOR)

    await h.restart()  # the bot was not running on Thursday 1 October
    h.clock.set(wib(10, 1, 18, 0))  # back in the evening: the office is closed
    await h.run_job("report-schedule")
    assert _messages(h, KABID.id) == []

    h.clock.set(wib(10, 2, 8, 0))  # Friday's opening
    await h.run_job("report-schedule")
    assert len(_messages(h, KABID.id)) == 2
    assert len(_documents(h, KABID.id)) == 2
    assert "Diterima: <b>0</b>" in _messages(h, KABID.id)[0]  # an empty quarter: zeros


async def test_documents_not_delivered_before_a_restart_are_sent_after_it(
    harness: Harness,
) -> None:
    h = harness
    await h.staff(KABID, Role.SUPERVISOR)
    h.clock.set(wib(10, 1, 8, 0))
    h.api.fail("sendDocument", status=502, description="Bad Gateway", chat_id=KABID.id)

    await h.run_job("report-schedule")
    assert _documents(h, KABID.id) == []
    async with h.services.uow() as uow:
        (row,) = (
            await uow.session.scalars(
                select(ReportDelivery).where(ReportDelivery.chat_id == KABID.id)
            )
        ).all()
        assert (row.status, row.attempts) == ("pending", 1)

    await h.restart()
    h.advance(minutes=1)
    await h.run_job("report-schedule")
    assert len(_messages(h, KABID.id)) == 2  # the messages went once
    _check_files(_documents(h, KABID.id), "laporan-2026-07-01_2026-09-30")


async def test_the_monthly_summary_can_be_switched_off(harness: Harness) -> None:
    h = harness
    await h.staff(KABID, Role.SUPERVISOR)
    h.services.settings.monthly_summary = False
    h.clock.set(wib(11, 2, 8, 0))  # first working day of November

    await h.run_job("report-schedule")

    assert _messages(h, KABID.id) == []
    assert await _firings(h) == []
