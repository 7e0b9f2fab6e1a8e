"""The `/lapor` conversation: a reporter files a fault report step by step."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import AIORateLimiter

from bot import callbacks
from bot.app import build_application
from bot.context import DELIVERY_KEY, BotApp
from bot.outbox import OutboxDelivery
from bot.services import state
from bot.services.domain import Role
from bot.texts import help as th
from bot.texts import report as t
from bot.texts.common import when
from db.models import Attachment, Ticket, TicketEvent
from tests.factories import Person, UpdateFactory
from tests.harness import GROUP_ID, Harness
from tests.stories import fill_report_form

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
STRANGER = Person(4001, "Tamu")
MB = 1024 * 1024
LOCATION = "Ruang server lantai 2"
DESCRIPTION = "Internet mati sejak pagi, lampu modem berkedip merah."


@pytest.fixture
async def h(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with a registered reporter."""
    await harness.reporter(SITI)
    yield harness


async def _start_jobs(app: BotApp) -> None:
    # PTB ignores conversation timeouts (with a warning) unless the scheduler runs; paused,
    # it holds the jobs without firing them, so tests run them by hand.
    assert app.job_queue is not None
    app.job_queue.scheduler.start(paused=True)


def _texts(h: Harness, person: Person) -> list[str]:
    return [call.text for call in h.replies_to(person)]


async def _fill_until_photos(h: Harness, person: Person = SITI) -> None:
    await h.say(person, "/lapor")
    await h.choose(person, "Internet mati total")
    await h.choose(person, "Seluruh kantor")
    await h.say(person, LOCATION)
    await h.say(person, DESCRIPTION)


async def _fill_until_summary(h: Harness, person: Person = SITI) -> None:
    await _fill_until_photos(h, person)
    await h.choose(person, "Lewati")
    await h.choose(person, "Menyusul")
    await h.say(person, "Gunakan 081234567890")


async def _tickets(h: Harness) -> list[Ticket]:
    async with h.services.uow() as uow:
        return list((await uow.session.scalars(select(Ticket))).all())


async def _draft(h: Harness, person: Person) -> object:
    return h.app.user_data.get(person.id, {}).get("report")


async def test_a_full_report_with_two_photos_and_a_pdf_letter(h: Harness) -> None:
    await h.staff(BUDI, Role.TECHNICIAN)
    await h.say(SITI, "/lapor")
    assert "Dinas Kesehatan" in _texts(h, SITI)[-2]
    ask = h.last_reply(SITI)
    assert [label for label, _ in ask.buttons] == [
        "Internet mati total",
        "Lambat atau putus-putus",
        "Wi-Fi",
        "Perangkat/kabel",
        "Lainnya",
    ]
    await h.press(SITI, ask, "Internet mati total")
    assert h.api.by_method("answerCallbackQuery")
    assert "Internet mati total" in h.api.by_method("editMessageText")[-1].text
    await h.choose(SITI, "Seluruh kantor")
    await h.say(SITI, LOCATION)
    await h.say(SITI, DESCRIPTION)
    await h.process(h.updates.photo(SITI, "foto-1"))
    assert "Foto 1 dari" in h.last_reply(SITI).text
    await h.process(h.updates.photo(SITI, "foto-2"))
    assert "Foto 2 dari" in h.last_reply(SITI).text
    await h.choose(SITI, "Selesai")
    await h.process(h.updates.document(SITI, "surat-1", "application/pdf", 300_000))
    phone_ask = h.last_reply(SITI)
    assert phone_ask.keyboard == ["Gunakan 081234567890", "Kirim kontak Telegram saya"]
    await h.say(SITI, "Gunakan 081234567890")
    summary = h.last_reply(SITI)
    assert "Periksa kembali" in summary.text and "Foto: 2" in summary.text
    assert "Surat permohonan: terlampir" in summary.text

    await h.press(SITI, summary, "Kirim laporan")

    receipt = h.last_reply(SITI)
    assert "BN-2026-00001" in receipt.text
    (ticket,) = await _tickets(h)
    assert when(ticket.target_due_at) in receipt.text
    assert when(ticket.deadline_due_at) in receipt.text
    assert "Rabu, 2 Desember 2026 pukul 15.45 WIB" in receipt.text
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "BN-2026-00001" in card.text and [b for b, _ in card.buttons] == ["Ambil"]
    assert ticket.category == "internet_down" and ticket.impact == "whole_office"
    assert ticket.location == LOCATION and ticket.description == DESCRIPTION
    assert ticket.contact_phone == "081234567890" and ticket.letter_status == "attached"
    async with h.services.uow() as uow:
        files = (await uow.session.scalars(select(Attachment).order_by(Attachment.id))).all()
        kinds = (await uow.session.scalars(select(TicketEvent.kind))).all()
    assert [(a.kind, a.file_id, a.media) for a in files] == [
        ("photo", "foto-1", "photo"),
        ("photo", "foto-2", "photo"),
        ("letter", "surat-1", "document"),
    ]
    assert sorted(kinds) == ["disposed", "reported"]
    assert await _draft(h, SITI) is None


async def test_two_photos_reach_the_group_as_one_album(h: Harness) -> None:
    await _fill_until_photos(h)
    await h.process(h.updates.photo(SITI, "foto-1"))
    await h.process(h.updates.photo(SITI, "foto-2"))
    await h.choose(SITI, "Selesai")
    await h.process(h.updates.document(SITI, "surat-1"))
    await h.say(SITI, "Gunakan 081234567890")
    await h.choose(SITI, "Kirim laporan")

    (album,) = h.api.to_chat(GROUP_ID, "sendMediaGroup")
    assert [m["media"] for m in album.params["media"]] == ["foto-1", "foto-2"]
    (letter,) = h.api.to_chat(GROUP_ID, "sendDocument")
    assert letter.params["document"] == "surat-1"


async def test_one_photo_and_the_letter_follow_the_job_card(h: Harness) -> None:
    await _fill_until_photos(h)
    await h.process(h.updates.photo(SITI, "foto-1"))
    await h.choose(SITI, "Selesai")
    await h.process(h.updates.document(SITI, "surat-1", "application/pdf", 300_000))
    await h.say(SITI, "Gunakan 081234567890")
    await h.choose(SITI, "Kirim laporan")

    methods = [c.method for c in h.api.to_chat(GROUP_ID)]
    assert methods == ["sendMessage", "sendPhoto", "sendDocument"]
    (photo,) = h.api.to_chat(GROUP_ID, "sendPhoto")
    assert photo.params["photo"] == "foto-1" and "BN-2026-00001" in photo.text
    (letter,) = h.api.to_chat(GROUP_ID, "sendDocument")
    assert letter.params["document"] == "surat-1" and "Surat permohonan" in letter.text


async def test_the_letter_can_follow_later_and_the_contact_can_be_shared(h: Harness) -> None:
    await _fill_until_photos(h)
    await h.choose(SITI, "Lewati")
    await h.choose(SITI, "Menyusul")
    await h.process(h.updates.contact(SITI, "+62 811-2222-3333"))
    summary = h.last_reply(SITI)
    assert "Surat permohonan: menyusul" in summary.text and "Foto: tidak ada" in summary.text
    await h.press(SITI, summary, "Kirim laporan")

    assert "BN-2026-00001" in h.last_reply(SITI).text
    (ticket,) = await _tickets(h)
    assert ticket.letter_status == "follows" and ticket.contact_phone == "081122223333"
    assert h.api.to_chat(GROUP_ID, "sendDocument") == []
    assert h.api.to_chat(GROUP_ID, "sendMediaGroup") == []


async def test_user_text_is_escaped_in_the_summary(h: Harness) -> None:
    await fill_report_form(
        h,
        SITI,
        "Lainnya",
        "Satu perangkat",
        "Ruang <b>IT</b> & arsip",
        DESCRIPTION,
        "081234567890",
    )
    assert "Lokasi: Ruang &lt;b&gt;IT&lt;/b&gt; &amp; arsip" in h.last_reply(SITI).text


async def test_a_typed_phone_number_is_normalised_and_a_bad_one_refused(h: Harness) -> None:
    await _fill_until_photos(h)
    await h.choose(SITI, "Lewati")
    await h.choose(SITI, "Menyusul")
    await h.say(SITI, "telepon kantor")
    assert "Nomor telepon tidak valid" in h.last_reply(SITI).text
    await h.say(SITI, "+62 857-1234-5678")
    assert "Nomor kontak: 085712345678" in h.last_reply(SITI).text


async def test_fields_can_be_changed_from_the_summary(h: Harness) -> None:
    await _fill_until_summary(h)
    await h.choose(SITI, "Ubah isian")
    menu = h.api.by_method("editMessageText")[-1]
    assert "Lokasi" in dict(menu.buttons)

    await h.choose(SITI, "Lokasi")
    assert h.last_reply(SITI).text == t.ASK_LOCATION
    await h.say(SITI, "Aula lantai 1")
    summary = h.last_reply(SITI)
    assert "Lokasi: Aula lantai 1" in summary.text

    await h.choose(SITI, "Ubah isian")
    await h.choose(SITI, "Kategori")
    await h.choose(SITI, "Wi-Fi")
    assert "Jenis gangguan: Wi-Fi" in h.last_reply(SITI).text

    await h.choose(SITI, "Ubah isian")
    await h.choose(SITI, "Foto")
    await h.process(h.updates.photo(SITI, "foto-baru"))
    await h.choose(SITI, "Selesai")
    assert "Foto: 1" in h.last_reply(SITI).text

    await h.choose(SITI, "Kirim laporan")
    (ticket,) = await _tickets(h)
    assert ticket.location == "Aula lantai 1" and ticket.category == "wifi"
    assert ticket.description == DESCRIPTION and ticket.impact == "whole_office"


async def test_back_from_the_field_menu_shows_the_summary_again(h: Harness) -> None:
    await _fill_until_summary(h)
    await h.choose(SITI, "Ubah isian")
    await h.press(SITI, h.api.by_method("editMessageText")[-1], "« Kembali ke ringkasan")
    back = h.api.by_method("editMessageText")[-1]
    assert "Periksa kembali" in back.text and "Kirim laporan" in dict(back.buttons)


async def test_batal_cancels_at_any_step_and_lapor_starts_afresh(h: Harness) -> None:
    await _fill_until_photos(h)
    await h.process(h.updates.photo(SITI, "foto-1"))
    await h.say(SITI, "/batal")
    assert h.last_reply(SITI).text == t.CANCELLED
    assert await _draft(h, SITI) is None
    await h.say(SITI, "Ruang rapat")  # no longer an answer to anything
    assert h.last_reply(SITI).text == th.stray_hint(["reporter"])

    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == t.ASK_CATEGORY
    assert await _tickets(h) == []


async def test_cancel_button_on_the_summary_files_nothing(h: Harness) -> None:
    await _fill_until_summary(h)
    await h.choose(SITI, "Batalkan")
    assert h.last_reply(SITI).text == t.CANCELLED
    assert await _tickets(h) == []
    await h.say(SITI, "/batal")
    assert "Tidak ada isian" in h.last_reply(SITI).text


async def test_a_report_left_alone_times_out_politely(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    assert h.app.job_queue is not None
    (job,) = h.app.job_queue.get_jobs_by_name("_trigger_timeout")
    assert job.next_t is not None
    left = job.next_t - datetime.now(UTC)
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    await h.app.update_persistence()  # the draft is stored before the timeout fires

    await job.run(h.app)

    assert h.last_reply(SITI).text == t.TIMED_OUT
    assert await _draft(h, SITI) is None
    await h.app.update_persistence()
    async with h.services.uow() as uow:
        assert str(SITI.id) not in await state.load(uow, "user")
        assert await state.load(uow, "conv:report") == {}
    await h.choose(SITI, "Seluruh kantor")  # the impact question of the dropped report
    answer = h.api.by_method("answerCallbackQuery")[-1]
    assert answer.params["text"] == t.STALE_BUTTON
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == t.ASK_CATEGORY


async def test_a_half_filled_report_survives_a_restart(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Lambat atau putus-putus")
    await h.choose(SITI, "Satu ruangan")
    await h.say(SITI, LOCATION)
    await h.say(SITI, DESCRIPTION)
    await h.process(h.updates.photo(SITI, "foto-1"))
    await h.app.update_persistence()
    await h.delivery.wait_idle()
    assert h.app.job_queue is not None
    await h.app.job_queue.stop(wait=False)
    await h.app.shutdown()

    app2 = build_application(
        h.services,
        request=h.api,
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0),
    )
    await app2.initialize()
    await _start_jobs(app2)
    updates = UpdateFactory(app2.bot)

    async def process(update: Update) -> None:
        await app2.process_update(update)
        delivery = app2.bot_data[DELIVERY_KEY]
        assert isinstance(delivery, OutboxDelivery)
        await delivery.wait_idle()

    try:
        await process(updates.photo(SITI, "foto-2"))
        assert "Foto 2 dari" in h.last_reply(SITI).text
        done = h.with_button(SITI.id, "Selesai")
        assert done.message_id is not None
        await process(updates.press(SITI, dict(done.buttons)["Selesai"], done.message_id, SITI.id))
        await process(updates.document(SITI, "surat-1", "image/png", file_name="surat.png"))
        await process(updates.text(SITI, "0812 9999 8888"))
        summary = h.last_reply(SITI)
        assert summary.message_id is not None
        send = dict(summary.buttons)["Kirim laporan"]
        await process(updates.press(SITI, send, summary.message_id, SITI.id))
    finally:
        assert app2.job_queue is not None
        await app2.job_queue.stop(wait=False)
        await app2.shutdown()

    assert "BN-2026-00001" in h.last_reply(SITI).text
    (ticket,) = await _tickets(h)
    assert ticket.category == "slow" and ticket.impact == "one_room"
    assert ticket.location == LOCATION and ticket.description == DESCRIPTION
    assert ticket.contact_phone == "081299998888" and ticket.letter_status == "attached"
    async with h.services.uow() as uow:
        files = (await uow.session.scalars(select(Attachment.file_id))).all()
    assert sorted(files) == ["foto-1", "foto-2", "surat-1"]


async def test_wrong_input_where_a_button_is_expected_shows_the_buttons_again(
    h: Harness,
) -> None:
    await h.say(SITI, "/lapor")
    await h.process(h.updates.sticker(SITI))
    again = h.last_reply(SITI)
    assert again.text.startswith(t.NEED_BUTTON) and len(again.buttons) == 5
    await h.say(SITI, "internet mati")
    assert h.last_reply(SITI).text.startswith(t.NEED_BUTTON)
    await h.choose(SITI, "Wi-Fi")
    await h.process(h.updates.voice(SITI))
    assert [b for b, _ in h.last_reply(SITI).buttons] == [
        "Satu perangkat",
        "Satu ruangan",
        "Seluruh kantor",
    ]


async def test_wrong_input_where_text_is_expected_is_refused_helpfully(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    await h.choose(SITI, "Satu perangkat")
    await h.process(h.updates.voice(SITI))
    assert h.last_reply(SITI).text.startswith(t.NEED_TEXT)
    await h.process(h.updates.document(SITI, "x", "application/pdf"))
    assert h.last_reply(SITI).text.startswith(t.NEED_TEXT)
    await h.say(SITI, "x" * 201)
    assert "Lokasi harus 2 sampai 200 karakter" in h.last_reply(SITI).text
    await h.say(SITI, LOCATION)
    await h.say(SITI, "mati")
    assert "Uraian harus 10 sampai 2000 karakter" in h.last_reply(SITI).text
    await h.process(h.updates.sticker(SITI))
    assert h.last_reply(SITI).text.startswith(t.NEED_TEXT)
    await h.say(SITI, DESCRIPTION)
    assert h.last_reply(SITI).text == t.ASK_PHOTOS


async def test_bad_files_and_a_sixth_photo_are_refused(h: Harness) -> None:
    await _fill_until_photos(h)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    await h.process(h.updates.document(SITI, "doc", docx, file_name="laporan.docx"))
    assert h.last_reply(SITI).text == t.PHOTO_FILE_TYPE
    await h.process(h.updates.photo(SITI, "besar", size=21 * MB))
    assert "melebihi batas 20 MB" in h.last_reply(SITI).text
    await h.say(SITI, "sudah")
    assert h.last_reply(SITI).text.startswith(t.NEED_PHOTO)
    await h.process(h.updates.document(SITI, "png-1", "image/png", file_name="layar.png"))
    for i in range(2, 6):
        await h.process(h.updates.photo(SITI, f"foto-{i}"))
    assert "Foto 5 dari" in h.last_reply(SITI).text
    await h.process(h.updates.photo(SITI, "foto-6"))
    assert "Foto ini tidak disimpan" in h.last_reply(SITI).text
    await h.choose(SITI, "Selesai")

    await h.process(h.updates.document(SITI, "exe", "application/x-msdownload", 1000, "a.exe"))
    assert h.last_reply(SITI).text == t.LETTER_FILE_TYPE
    assert "Menyusul" in dict(h.last_reply(SITI).buttons)
    await h.process(h.updates.document(SITI, "besar", "application/pdf", 25 * MB))
    assert "melebihi batas 20 MB" in h.last_reply(SITI).text
    await h.process(h.updates.sticker(SITI))
    assert h.last_reply(SITI).text.startswith(t.NEED_LETTER)
    await h.process(h.updates.photo(SITI, "surat-foto"))
    assert h.last_reply(SITI).keyboard
    await h.say(SITI, "Gunakan 081234567890")
    await h.choose(SITI, "Kirim laporan")

    async with h.services.uow() as uow:
        files = (await uow.session.scalars(select(Attachment).order_by(Attachment.id))).all()
    assert [(a.kind, a.file_id) for a in files] == [
        ("photo", "png-1"),
        *[("photo", f"foto-{i}") for i in range(2, 6)],
        ("letter", "surat-foto"),
    ]
    assert files[0].media == "document" and files[0].mime_type == "image/png"


async def test_other_commands_mid_way_are_held_back(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    await h.say(SITI, "/status")
    assert h.last_reply(SITI).text == t.BUSY
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == t.BUSY
    await h.choose(SITI, "Satu ruangan")
    assert h.last_reply(SITI).text == t.ASK_LOCATION


async def test_buttons_of_an_earlier_report_or_step_change_nothing(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    old_question = h.last_reply(SITI)
    await h.say(SITI, "/batal")
    await h.say(SITI, "/lapor")
    await h.press(SITI, old_question, "Wi-Fi")
    assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == t.STALE_BUTTON
    assert h.api.by_method("editMessageText") == []

    await h.choose(SITI, "Perangkat/kabel")
    await h.press(SITI, h.last_reply(SITI), "Satu perangkat")
    # The category question is answered; pressing one of its copies now is stale.
    again = h.api.by_method("sendMessage")[-1]
    assert again.text == t.ASK_LOCATION
    await h.press_data(SITI, callbacks.make(callbacks.REPORT, "abcdef_1_wifi"), SITI.id)
    assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == t.STALE_BUTTON
    await h.say(SITI, LOCATION)
    assert h.last_reply(SITI).text == t.ASK_DESCRIPTION


async def test_the_send_button_of_a_filed_report_is_stale(h: Harness) -> None:
    await _fill_until_summary(h)
    summary = h.with_button(SITI.id, "Kirim laporan")
    await h.press(SITI, summary, "Kirim laporan")
    await h.press(SITI, summary, "Kirim laporan")
    assert h.api.by_method("answerCallbackQuery")[-1].params["text"] == t.STALE_BUTTON
    assert len(await _tickets(h)) == 1


async def test_unregistered_users_and_non_reporters_are_refused(h: Harness) -> None:
    await h.say(STRANGER, "/lapor")
    assert "belum terdaftar" in h.last_reply(STRANGER).text
    assert h.api.to_chat(STRANGER.id, "sendMessage")[-1].buttons == []
    await h.say(STRANGER, "Ruang server")
    assert h.last_reply(STRANGER).text == th.stray_hint([])  # no conversation was started

    await h.staff(BUDI, Role.TECHNICIAN)
    await h.say(BUDI, "/lapor")
    assert h.last_reply(BUDI).text == t.NOT_REPORTER


async def test_lapor_in_a_group_does_not_start_a_report(h: Harness) -> None:
    await h.say(SITI, "/lapor", chat_id=GROUP_ID)
    assert h.api.to_chat(GROUP_ID) == []
    assert h.replies_to(SITI) == []
