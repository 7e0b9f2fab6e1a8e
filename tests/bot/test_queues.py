"""`/status` as each staff role reads it: the coordinator's, the official's and the kabid's
queues with their card buttons and pages, a person with several roles, and the statements each
section costs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import event

from bot.services import complaints, queues, workflow
from bot.services.complaints import ComplaintCategory, ComplaintDraft
from bot.services.context import Context
from bot.services.domain import Actor, Category, Impact, MaterialLine, Role
from bot.services.tickets import ReportDraft
from bot.services.uow import UnitOfWork
from bot.texts import queues as tq
from bot.texts.fit import TEXT_LIMIT, shown
from db.models import User
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, file_report, load_ticket

JOKO = Person(2003, "Joko")  # a reporter of another OPD
PEJABAT = Person(5001, "Drajat", "Pejabat")
KABID = Person(6001, "Kepala", "Bidang")
SERBA = Person(7001, "Serba", "Bisa")  # technician, coordinator, official and kabid at once
NOBODY = Person(8001, "Tanpa", "Peran")
COMPLAINT = "Petugas yang datang kemarin tidak sopan kepada staf kami."


def _draft(location: str, description: str = "Internet mati sejak pagi hari ini.") -> ReportDraft:
    return ReportDraft(
        Category.INTERNET_DOWN, Impact.ONE_ROOM, location, description, "0812345678"
    )


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition: a reporter, a technician, the coordinator, the official, the kabid."""
    await harness.reporter(SITI)
    await harness.reporter(JOKO, "dinhub")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    await harness.staff(PEJABAT, Role.OFFICIAL)
    await harness.staff(KABID, Role.SUPERVISOR)
    return harness


def _ctx(h: Harness, person: Person) -> Context:
    return h.services.context(Actor(person.id))


async def _dispose_to_budi(h: Harness, ticket_id: int) -> None:
    async with h.services.uow() as uow:
        budi = await uow.users.by_telegram_id(BUDI.id)
        assert budi is not None
        await workflow.dispose(uow, _ctx(h, PJ), ticket_id, technician_id=budi.id)
    await h.delivery.wait_idle()


async def _request_material(h: Harness, ticket_id: int) -> None:
    async with h.services.uow() as uow:
        await workflow.submit_material_request(
            uow,
            _ctx(h, BUDI),
            ticket_id,
            [MaterialLine("Switch 24 port", "Managed gigabit", 1, "unit")],
            "Switch terbakar akibat petir",
            [],
        )
    await h.delivery.wait_idle()


async def _behaviour_complaint(h: Harness) -> str:
    async with h.services.uow() as uow:
        view = await complaints.file_complaint(
            uow, _ctx(h, SITI), ComplaintDraft(ComplaintCategory.BEHAVIOUR, COMPLAINT)
        )
    await h.delivery.wait_idle()
    return view.number


async def _status(h: Harness, person: Person) -> list[ApiCall]:
    seen = len(h.api.calls)
    await h.say(person, "/status")
    return [c for c in h.api.calls[seen:] if c.chat_id == person.id and c.method == "sendMessage"]


def _alerts(h: Harness) -> list[str]:
    return [str(c.params.get("text", "")) for c in h.api.by_method("answerCallbackQuery")]


async def test_the_coordinator_acts_from_the_queue_with_the_buttons_of_the_cards(
    h: Harness,
) -> None:
    waiting = await file_report(h, draft=_draft("Ruang TU"))
    heavy = await file_report(h, draft=_draft("Ruang server"))
    await _dispose_to_budi(h, heavy.id)
    await _request_material(h, heavy.id)

    (page,) = await _status(h, PJ)

    assert "Antrean penanggung jawab" in page.text
    assert "Menunggu disposisi: 1 · menunggu persetujuan: 1 · eskalasi terbuka: 0" in page.text
    disposition, approval = page.text.split("Pengajuan peralatan menunggu persetujuan")
    assert waiting.number in disposition and heavy.number not in disposition
    assert heavy.number in approval and "Budi" in approval
    labels = [label for label, _ in page.buttons]
    assert tq.action_button(waiting.number, "Disposisikan kepada tim teknis") in labels
    assert tq.action_button(waiting.number, "Tolak (bukan gangguan Batik.Net)") in labels
    assert tq.action_button(heavy.number, "Setujui") in labels
    assert tq.action_button(heavy.number, "Minta revisi") in labels
    assert tq.open_button(waiting.number) in labels

    # The buttons are the cards' own: the same handlers run, with the same checks.
    await h.press(BUDI, page, tq.action_button(heavy.number, "Setujui"))
    assert "tidak berwenang" in _alerts(h)[-1]
    await h.press(PJ, page, tq.action_button(waiting.number, "Disposisikan kepada tim teknis"))
    await h.press(PJ, h.with_button(PJ.id, "Tanpa catatan"), "Tanpa catatan")
    assert (await load_ticket(h, waiting.id)).status == "DISPOSED"
    # Done, the page's buttons go as a card's do (`/status` shows the queue as it is now).
    assert h.api.by_method("editMessageReplyMarkup")[-1].params["message_id"] == page.message_id

    (page,) = await _status(h, PJ)
    assert "Menunggu disposisi: 0 · menunggu persetujuan: 1" in page.text
    await h.press(PJ, page, tq.action_button(heavy.number, "Setujui"))
    assert (await load_ticket(h, heavy.id)).status == "REPAIRING"

    (page,) = await _status(h, PJ)
    assert "Menunggu disposisi: 0 · menunggu persetujuan: 0" in page.text
    assert "Tidak ada laporan, pengajuan, atau eskalasi" in page.text


async def test_an_item_opens_as_tiket_shows_it(h: Harness) -> None:
    report = await file_report(h, draft=_draft("Ruang TU"))
    (page,) = await _status(h, PJ)

    await h.press(PJ, page, tq.open_button(report.number))

    detail = h.last_reply(PJ).text
    assert f"<b>{report.number}</b>" in detail and "Riwayat" in detail
    assert "Ruang TU" in detail


async def test_escalations_that_still_hold_are_listed_until_they_are_dealt_with(
    h: Harness,
) -> None:
    report = await file_report(h, draft=_draft("Ruang TU"))
    dispose = "Disposisikan kepada tim teknis"
    await h.press(PJ, h.with_button(PJ.id, dispose), dispose)
    await h.press(PJ, h.with_button(PJ.id, "Tanpa catatan"), "Tanpa catatan")
    h.advance(hours=5)  # Monday 14:00: the response time (4 working hours) has passed
    await h.run_job("sla-sweep")

    (page,) = await _status(h, PJ)
    assert "eskalasi terbuka: 1" in page.text
    assert "waktu respons terlampaui, belum diambil teknisi" in page.text
    labels = [label for label, _ in page.buttons]
    # The job card's buttons a coordinator may press; the technician's stay in the group.
    assert tq.open_button(report.number) in labels
    assert not any("Ambil" in label for label in labels)

    await h.press(BUDI, h.with_button(GROUP_ID, "Ambil"), "Ambil")
    (page,) = await _status(h, PJ)
    assert "eskalasi terbuka: 0" in page.text  # claimed: the escalation no longer holds

    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    h.advance(days=3)  # Thursday 14:00: the target (close of Wednesday) has passed
    await h.run_job("sla-sweep")
    (page,) = await _status(h, PJ)
    assert "target penyelesaian terlampaui" in page.text
    labels = [label for label, _ in page.buttons]
    assert tq.action_button(report.number, "Alihkan") in labels
    assert tq.action_button(report.number, "Tunda (menunggu OPD)") in labels
    assert not any("Laporkan perbaikan" in label for label in labels)

    # A hold from the queue asks its reason in the private chat, as from the job card.
    await h.press(PJ, page, tq.action_button(report.number, "Tunda (menunggu OPD)"))
    await h.say(PJ, "Menunggu ruang server dibuka")
    assert (await load_ticket(h, report.id)).status == "ON_HOLD"
    (page,) = await _status(h, PJ)
    assert "target penyelesaian terlampaui" in page.text  # held, the escalation still holds
    await h.press(PJ, page, tq.action_button(report.number, "Lanjutkan"))
    assert (await load_ticket(h, report.id)).status == "REPAIRING"


async def test_the_official_sees_escalated_complaints_with_due_times_and_answers(
    h: Harness,
) -> None:
    number = await _behaviour_complaint(h)  # about staff behaviour: straight to the official

    (page,) = await _status(h, PEJABAT)

    assert "Pengaduan yang diteruskan kepada pejabat pengaduan" in page.text
    assert number in page.text and "Perilaku petugas" in page.text
    assert "batas jawaban" in page.text and "batas penyelesaian" in page.text
    assert "Siti" not in page.text  # a list never names the complainant
    # «Jawab» opens the answer form as on the thread: through the bot's deep link.
    await h.press(PEJABAT, page, tq.action_button(number, "Jawab"))
    answer = h.api.by_method("answerCallbackQuery")[-1]
    assert str(answer.params["url"]).endswith("?start=adu_1")
    await h.say(PEJABAT, "/start adu_1")
    assert "Anda menjawab pengaduan sebagai pejabat pengaduan" in h.last_reply(PEJABAT).text
    await h.say(PEJABAT, "/batal")

    h.advance(days=2)  # past the response time
    (page,) = await _status(h, PEJABAT)
    assert "(terlampaui)" in page.text
    await h.press(PEJABAT, page, tq.open_button(number))
    assert "Riwayat" in h.last_reply(PEJABAT).text


async def test_the_kabid_overview_counts_open_work_and_pages_the_oldest_tickets(
    h: Harness,
) -> None:
    reports = [await file_report(h, draft=_draft(f"Ruang {n}")) for n in range(7)]
    await _dispose_to_budi(h, reports[0].id)
    async with h.services.uow() as uow:
        await workflow.hold(uow, _ctx(h, PJ), reports[0].id, "menunggu kunci ruang server")
    await h.delivery.wait_idle()
    await _behaviour_complaint(h)
    h.advance(days=3)  # Thursday 09:00: the target of every report has passed

    (page,) = await _status(h, KABID)

    text = page.text
    assert "Tiket terbuka: <b>7</b>" in text
    assert "  Baru: 6" in text and "  Ditunda (menunggu OPD): 1" in text
    assert "Belum diambil teknisi: 6" in text
    assert "Target terlampaui: 6" in text and "Ditunda (menunggu OPD): 1" in text
    assert "Pengaduan terbuka: 1 · diteruskan ke pejabat pengaduan: 1" in text
    assert "(halaman 1 dari 2)" in text
    assert all(r.number in text for r in reports[:5])
    assert reports[5].number not in text

    await h.press(KABID, page, tq.NEXT_PAGE)
    edit = h.api.by_method("editMessageText")[-1]
    assert "(halaman 2 dari 2)" in edit.text
    assert reports[5].number in edit.text and reports[6].number in edit.text
    assert reports[0].number not in edit.text
    previous = dict(edit.buttons)[tq.PREVIOUS_PAGE]
    assert page.message_id is not None
    await h.press_data(KABID, previous, KABID.id, page.message_id)
    assert reports[0].number in h.api.by_method("editMessageText")[-1].text

    h.advance(days=5)  # Tuesday 09:00: past the deadline (close of Monday) too
    (page,) = await _status(h, KABID)
    assert "Melewati batas waktu layanan: 6" in page.text


async def test_a_person_with_several_roles_gets_each_section(h: Harness) -> None:
    await h.staff(SERBA, Role.TECHNICIAN, Role.COORDINATOR, Role.OFFICIAL, Role.SUPERVISOR)
    report = await file_report(h, draft=_draft("Ruang TU"))
    number = await _behaviour_complaint(h)

    messages = await _status(h, SERBA)

    assert [m.text.split("\n", 1)[0] for m in messages] == [
        "<b>Pekerjaan Anda</b>",
        "<b>Antrean penanggung jawab</b>",
        "<b>Pengaduan yang diteruskan kepada pejabat pengaduan</b>",
        "<b>Ikhtisar layanan</b>",
    ]
    assert messages[0].buttons == []  # the technician's list is as before
    assert report.number in messages[1].text and number in messages[2].text
    assert report.number in messages[3].text
    assert all(shown(m.text) <= TEXT_LIMIT for m in messages)


async def test_an_admin_gets_the_overview(h: Harness) -> None:
    report = await file_report(h, draft=_draft("Ruang TU"))
    (page,) = await _status(h, ADMIN)
    assert page.text.startswith("<b>Ikhtisar layanan</b>") and report.number in page.text


async def test_reporters_and_technicians_keep_their_lists(h: Harness) -> None:
    report = await file_report(h, draft=_draft("Ruang TU"))
    (siti,) = await _status(h, SITI)
    assert "Tiket Dinas Kesehatan" in siti.text and report.number in siti.text
    assert siti.buttons == []
    (budi,) = await _status(h, BUDI)
    assert "Pekerjaan Anda" in budi.text and budi.buttons == []


async def test_people_without_a_queue_and_stale_or_forged_pages_are_told(h: Harness) -> None:
    await h.staff(NOBODY)
    await h.say(NOBODY, "/status")
    assert "untuk pelapor OPD dan petugas Dinas Kominfo" in h.last_reply(NOBODY).text

    (page,) = await _status(h, KABID)
    await h.press_data(KABID, "v1:q_pg:9_0", KABID.id)
    assert _alerts(h)[-1] == "Tombol ini sudah tidak berlaku."
    await h.press_data(BUDI, "v1:q_pg:3_1", BUDI.id)  # not a kabid
    assert "tidak berwenang" in _alerts(h)[-1]
    await h.press_data(KABID, "v1:q_tkt:999", KABID.id)
    assert "tidak ditemukan" in _alerts(h)[-1]
    assert page.buttons == []  # nothing open: no items and no pages


async def test_a_reporter_cannot_open_another_opds_ticket_from_a_forged_button(
    h: Harness,
) -> None:
    other = await file_report(h, reporter=JOKO, draft=_draft("Terminal"))
    await h.press_data(SITI, f"v1:q_tkt:{other.id}", SITI.id)
    assert "tidak ditemukan" in _alerts(h)[-1]
    assert not any(other.number in c.text for c in h.replies_to(SITI))


# --- the statements each section costs ------------------------------------------------------


async def _statements(
    h: Harness, person: Person, section: Callable[[UnitOfWork, Context, User], Awaitable[object]]
) -> list[str]:
    statements: list[str] = []

    def count(*args: object) -> None:
        if not str(args[2]).startswith("BEGIN"):
            statements.append(str(args[2]))

    async with h.services.uow() as uow:
        user = await uow.users.by_telegram_id(person.id)
        assert user is not None
        _ = user.roles
        connection = (await uow.session.connection()).sync_connection
        assert connection is not None
        event.listen(connection, "before_cursor_execute", count)
        try:
            await section(uow, _ctx(h, person), user)
        finally:
            event.remove(connection, "before_cursor_execute", count)
    return statements


SECTIONS: dict[str, Callable[[UnitOfWork, Context, User], Awaitable[object]]] = {
    "tickets": lambda uow, ctx, user: queues.tickets_section(uow, user),
    "own complaints": lambda uow, ctx, user: queues.own_complaints(uow, user),
    "coordinator": lambda uow, ctx, user: queues.coordinator_queue(uow, ctx),
    "official": lambda uow, ctx, user: queues.official_queue(uow, ctx),
    "supervisor": lambda uow, ctx, user: queues.supervisor_overview(uow, ctx),
}


async def test_every_section_costs_at_most_three_statements_whatever_the_numbers(
    h: Harness,
) -> None:
    await h.reporter(SERBA)
    async with h.services.uow() as uow:
        await complaints.file_complaint(
            uow, _ctx(h, SERBA), ComplaintDraft(ComplaintCategory.OTHER, COMPLAINT)
        )
    await h.staff(SERBA, Role.TECHNICIAN, Role.COORDINATOR)

    async def costs() -> dict[str, list[str]]:
        return {name: await _statements(h, SERBA, run) for name, run in SECTIONS.items()}

    first = await file_report(h, draft=_draft("Ruang TU"))
    await _dispose_to_budi(h, first.id)
    await _request_material(h, first.id)
    await _behaviour_complaint(h)
    h.advance(hours=5)
    await h.run_job("sla-sweep")
    few = await costs()
    for n in range(6):
        report = await file_report(h, draft=_draft(f"Gudang {n}"))
        if n % 2:
            await _dispose_to_budi(h, report.id)
            await _request_material(h, report.id)
        if n < 2:
            await _behaviour_complaint(h)
    h.advance(days=3)
    await h.run_job("sla-sweep")
    many = await costs()

    for name in SECTIONS:
        assert 1 <= len(few[name]) <= 3, (name, few[name])
        assert [s.split()[:3] for s in few[name]] == [s.split()[:3] for s in many[name]], name


async def test_bantuan_and_start_show_the_commands_of_the_staff_roles(h: Harness) -> None:
    await h.say(KABID, "/bantuan")
    kabid = h.last_reply(KABID).text
    assert "<b>Kepala bidang</b>" in kabid and "/status — ikhtisar layanan" in kabid
    assert "/laporan" in kabid and "/skm" in kabid and "/cari" in kabid
    await h.say(PJ, "/start")
    coordinator = h.last_reply(PJ).text
    assert "<b>Penanggung jawab</b>" in coordinator and "/status — antrean Anda" in coordinator
    await h.say(PEJABAT, "/bantuan")
    assert "/status — pengaduan yang diteruskan kepada Anda" in h.last_reply(PEJABAT).text
    await h.say(SITI, "/bantuan")
    reporter = h.last_reply(SITI).text
    assert "/survei" in reporter and "/profil" in reporter and "/laporan" not in reporter
