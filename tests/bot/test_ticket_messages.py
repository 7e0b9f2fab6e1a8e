"""The ticket as a conversation through the real Application: the OPD and the technicians
write to each other inside a ticket (copyMessage relays), a forum topic per ticket, the answer
to a hold, the timeline, flood control and who may write at all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from telegram.error import BadRequest

from bot.services import workflow
from bot.services.domain import Actor, Role
from bot.services.ticket_messages import FLOOD_LIMIT
from bot.texts import report as report_texts
from db.models import TicketEvent, TicketNote
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, claimed, file_report, fill_report_form, load_ticket

RINA = Person(2002, "Rina", "Lestari")  # another reporter of Siti's OPD
JOKO = Person(2101, "Joko", "Susilo")  # a reporter of another OPD
TONO = Person(9001, "Tono")  # nobody the bot knows
KABID = Person(5001, "Pak", "Kabid")
WRITE = "Kirim pesan"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition: Siti and Rina report for Dinkes, Joko for another OPD; Budi is the
    technician and Pak Koordinator the coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI)
    await harness.reporter(RINA)
    await harness.reporter(JOKO, opd_code="setda")
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


def _copies(h: Harness, chat_id: int) -> list[ApiCall]:
    return h.api.to_chat(chat_id, "copyMessage")


def _photo(person: Person, file_id: str, caption: str) -> dict[str, Any]:
    size = {"file_id": file_id, "file_unique_id": f"{file_id}-u", "width": 1280, "height": 960}
    return {"photo": [size], "caption": caption}


async def test_a_photo_from_the_reporter_reaches_the_group_and_the_technician_and_back(
    h: Harness,
) -> None:
    ticket_id = await claimed(h)
    job_card = h.api.to_chat(GROUP_ID, "sendMessage")[0]
    # The news that Budi handles the ticket invites the OPD to write.
    await h.choose(SITI, WRITE)
    assert "Tulis pesan untuk tiket" in h.last_reply(SITI).text
    await h.process(h.updates.message(SITI, **_photo(SITI, "pic-1", "Lampu modem merah")))

    (to_group,) = _copies(h, GROUP_ID)
    assert to_group.params["from_chat_id"] == SITI.id
    # A plain group: the message answers the job card.
    assert to_group.params["reply_parameters"]["message_id"] == job_card.message_id
    header = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert "Pesan tiket" in header.text and "Siti Aminah" in header.text
    (to_budi,) = _copies(h, BUDI.id)
    assert to_budi.params["from_chat_id"] == SITI.id
    assert [label for label, _ in to_budi.buttons] == [WRITE]
    assert "diteruskan" in h.last_reply(SITI).text

    # Budi answers by replying to the copy in his private chat: Siti receives it.
    assert to_budi.message_id is not None
    await h.process(
        h.updates.message(BUDI, reply_to=to_budi.message_id, text="Ruang mana persisnya?")
    )
    (to_siti,) = _copies(h, SITI.id)
    assert to_siti.params["from_chat_id"] == BUDI.id
    assert "dari Budi" in h.api.to_chat(SITI.id, "sendMessage")[-1].text

    # Siti replies to that answer (no button): Budi and the group receive it.
    assert to_siti.message_id is not None
    await h.process(h.updates.message(SITI, reply_to=to_siti.message_id, text="Lantai 2"))
    assert len(_copies(h, BUDI.id)) == 2
    # A technician replying in the group reaches the reporter who wrote.
    await h.process(
        h.updates.message(BUDI, GROUP_ID, reply_to=to_group.message_id, text="Meluncur")
    )
    assert len(_copies(h, SITI.id)) == 2
    assert h.api.by_method("setMessageReaction")
    async with h.services.uow() as uow:
        notes = (await uow.session.scalars(select(TicketNote))).all()
    assert [(n.side, n.kind) for n in notes] == [
        ("opd", "photo"),
        ("staff", "text"),
        ("opd", "text"),
        ("staff", "text"),
    ]
    assert all(n.ticket_id == ticket_id for n in notes)


async def test_an_answer_reaches_the_opd_colleague_who_wrote(h: Harness) -> None:
    await claimed(h)
    claimed_news = h.with_button(SITI.id, WRITE)
    # Rina (same OPD) writes from /tiket.
    number = claimed_news.text.split("<code>")[1].split("</code>")[0]
    await h.say(RINA, f"/tiket {number}")
    await h.choose(RINA, WRITE)
    await h.say(RINA, "Saya yang di lokasi, hubungi saya")
    # A reply to the /tiket answer writes to the ticket as well.
    detail = h.with_button(RINA.id, WRITE)
    assert detail.message_id is not None
    await h.process(h.updates.message(RINA, reply_to=detail.message_id, text="Nomor 0812"))
    to_budi, _ = _copies(h, BUDI.id)
    assert to_budi.message_id is not None
    await h.process(h.updates.message(BUDI, reply_to=to_budi.message_id, text="Baik, Bu Rina"))
    assert len(_copies(h, RINA.id)) == 1
    # «Kirim pesan» under a relayed message answers that message's writer too.
    await h.press(BUDI, to_budi, WRITE)
    await h.say(BUDI, "Saya tiba pukul 10")
    assert len(_copies(h, RINA.id)) == 2
    assert not _copies(h, SITI.id)


async def test_strangers_and_other_opds_cannot_write_or_read(h: Harness) -> None:
    ticket_id = await claimed(h)
    for person, refusal in ((JOKO, "tidak ditemukan"), (TONO, "belum terdaftar")):
        for data in (f"v1:note:{ticket_id}", f"v1:note_list:{ticket_id}"):
            await h.press_data(person, data, person.id)
            answer = h.api.by_method("answerCallbackQuery")[-1]
            assert refusal in answer.params["text"]
    # Joko replies in his own chat to the id of a ticket message in Siti's chat: nothing.
    siti_news = h.with_button(SITI.id, WRITE)
    assert siti_news.message_id is not None
    await h.process(h.updates.message(JOKO, reply_to=siti_news.message_id, text="halo"))
    assert "Tulis pesan" not in h.last_reply(JOKO).text  # the usual answer to a stray message
    assert not h.api.by_method("copyMessage")
    async with h.services.uow() as uow:
        assert not (await uow.session.scalars(select(TicketNote))).all()


async def test_forum_group_gets_a_topic_per_ticket_closed_with_the_ticket(h: Harness) -> None:
    h.api.make_forum(GROUP_ID)
    h.updates.forums.add(GROUP_ID)
    # The bot learns the group is a forum from its updates (here the admin's /pasang_grup).
    await h.say(ADMIN, "/pasang_grup", GROUP_ID)
    ticket_id = await claimed(h)

    (topic,) = h.api.by_method("createForumTopic")
    assert topic.params["name"].startswith("BN-") and "Dinas Kesehatan" in topic.params["name"]
    thread = next(t for (chat, t) in h.api.topics if chat == GROUP_ID)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    assert card.params["message_thread_id"] == thread
    (pin,) = h.api.by_method("pinChatMessage")
    assert pin.params["message_id"] == card.message_id

    await h.choose(SITI, WRITE)
    await h.say(SITI, "Sudah dicoba restart")
    (to_group,) = _copies(h, GROUP_ID)
    assert to_group.params["message_thread_id"] == thread
    assert "reply_parameters" not in to_group.params

    # Budi simply writes in the topic: Siti receives it.
    await h.process(h.updates.message(BUDI, GROUP_ID, thread=thread, text="Saya cek sekarang"))
    (to_siti,) = _copies(h, SITI.id)
    assert to_siti.params["from_chat_id"] == GROUP_ID

    async with h.services.uow() as uow:
        await workflow.cancel(uow, h.services.context(Actor(PJ.id)), ticket_id, "Laporan ganda")
    await h.delivery.wait_idle()
    (closed,) = h.api.by_method("closeForumTopic")
    assert closed.params["message_thread_id"] == thread
    assert h.api.topics[(GROUP_ID, thread)] is True

    # A closed ticket takes no more messages: Siti is pointed to /lapor and /aduan.
    await h.process(h.updates.message(SITI, reply_to=to_siti.message_id, text="Masih ada?"))
    refusal = h.last_reply(SITI).text
    assert "/lapor" in refusal and "/aduan" in refusal
    assert len(_copies(h, GROUP_ID)) == 1
    # So does «Kirim pesan» on an old message.
    await h.choose(SITI, WRITE)
    alert = h.api.by_method("answerCallbackQuery")[-1].params["text"]
    assert "/lapor" in alert and "/aduan" in alert


async def test_the_fake_refuses_threads_and_topics_as_telegram_does(h: Harness) -> None:
    with h.api.expect_refusal("message thread not found"), pytest.raises(BadRequest):
        await h.app.bot.send_message(GROUP_ID, "x", message_thread_id=5)
    with h.api.expect_refusal("the chat is not a forum"), pytest.raises(BadRequest):
        await h.app.bot.create_forum_topic(GROUP_ID, "BN-2026-00001")
    h.api.make_forum(GROUP_ID)
    topic = await h.app.bot.create_forum_topic(GROUP_ID, "BN-2026-00001")
    await h.app.bot.close_forum_topic(GROUP_ID, topic.message_thread_id)
    with h.api.expect_refusal("TOPIC_CLOSED"), pytest.raises(BadRequest):
        await h.app.bot.send_message(GROUP_ID, "x", message_thread_id=topic.message_thread_id)
    with h.api.expect_refusal("message to pin not found"), pytest.raises(BadRequest):
        await h.app.bot.pin_chat_message(GROUP_ID, 99999)


async def test_the_opd_answers_a_hold_and_the_technician_resumes(h: Harness) -> None:
    ticket_id = await claimed(h)
    async with h.services.uow() as uow:
        await workflow.hold(
            uow, h.services.context(Actor(BUDI.id)), ticket_id, "Menunggu kunci ruang server"
        )
    await h.delivery.wait_idle()
    held = h.with_button(SITI.id, "Jawab")
    assert "ditunda" in held.text
    await h.press(SITI, held, "Jawab")
    await h.say(SITI, "Kunci sudah ada di resepsionis")
    (to_budi,) = _copies(h, BUDI.id)
    assert [label for label, _ in to_budi.buttons] == [WRITE, "Lanjutkan"]
    await h.press(BUDI, to_budi, "Lanjutkan")
    assert (await load_ticket(h, ticket_id)).status == "CHECKING"


async def test_the_timeline_lists_messages_and_sends_them_again(h: Harness) -> None:
    await claimed(h)
    await h.choose(SITI, WRITE)
    await h.process(h.updates.message(SITI, **_photo(SITI, "pic-9", "Kabel putus di ruang 3")))
    number = h.with_button(SITI.id, WRITE).text.split("<code>")[1].split("</code>")[0]
    await h.say(BUDI, f"/tiket {number}")
    detail = h.last_reply(BUDI)
    assert "Pesan (foto)" in detail.text and "Kabel putus di ruang 3" in detail.text
    await h.press(BUDI, detail, "Daftar pesan")
    listing = h.last_reply(BUDI)
    assert "#1" in listing.text and "Siti Aminah" in listing.text
    await h.press(BUDI, listing, "#1 kirim ulang")
    again = _copies(h, BUDI.id)[-1]
    assert again.params["from_chat_id"] == SITI.id
    async with h.services.uow() as uow:
        kinds = [e.kind for e in (await uow.session.scalars(select(TicketEvent))).all()]
    assert "msg_photo" in kinds
    # The head of division sees the ticket, not its conversation.
    await h.staff(KABID, Role.SUPERVISOR)
    await h.say(KABID, f"/tiket {number}")
    shown = h.last_reply(KABID)
    assert number in shown.text and "Pesan (foto)" not in shown.text
    assert "Kabel putus" not in shown.text


async def test_flood_control_refuses_the_twenty_first_message_in_a_minute(h: Harness) -> None:
    await claimed(h)
    news = h.with_button(SITI.id, WRITE)
    assert news.message_id is not None
    for i in range(FLOOD_LIMIT):
        await h.process(h.updates.message(SITI, reply_to=news.message_id, text=f"pesan {i}"))
    assert len(_copies(h, BUDI.id)) == FLOOD_LIMIT
    await h.process(h.updates.message(SITI, reply_to=news.message_id, text="satu lagi"))
    assert "Terlalu banyak pesan" in h.last_reply(SITI).text
    assert len(_copies(h, BUDI.id)) == FLOOD_LIMIT
    h.advance(minutes=1, seconds=1)
    await h.process(h.updates.message(SITI, reply_to=news.message_id, text="sudah semenit"))
    assert len(_copies(h, BUDI.id)) == FLOOD_LIMIT + 1


async def test_an_album_goes_whole_to_the_ticket(h: Harness) -> None:
    await claimed(h)
    await h.choose(SITI, WRITE)
    for i in range(3):
        photo = _photo(SITI, f"alb-{i}", "Tiga foto perangkat" if i == 0 else "")
        await h.process(h.updates.message(SITI, media_group_id="album-1", **photo))
    assert len(_copies(h, BUDI.id)) == 3
    assert len(_copies(h, GROUP_ID)) == 3
    assert sum("Pesan diteruskan ke tiket" in c.text for c in h.replies_to(SITI)) == 1
    # Another album, not written to a ticket, is a stray message as before.
    await h.process(h.updates.message(SITI, media_group_id="album-2", **_photo(SITI, "x", "")))
    assert len(_copies(h, BUDI.id)) == 3


async def test_before_the_disposition_the_coordinator_and_the_group_read_along(
    h: Harness,
) -> None:
    view = await file_report(h)
    await h.say(SITI, f"/tiket {view.number}")
    await h.choose(SITI, WRITE)
    await h.say(SITI, "Mohon segera, layanan puskesmas terganggu")
    assert len(_copies(h, PJ.id)) == 1
    assert len(_copies(h, GROUP_ID)) == 1
    assert not _copies(h, BUDI.id)


async def test_technicians_replying_to_the_job_card_talk_among_themselves(h: Harness) -> None:
    await claimed(h)
    card = h.with_button(GROUP_ID, "Ringan")
    assert card.message_id is not None
    await h.process(h.updates.message(BUDI, GROUP_ID, reply_to=card.message_id, text="Saya ya"))
    assert not h.api.by_method("copyMessage")


async def test_the_prompt_is_a_form_one_at_a_time_with_batal(h: Harness) -> None:
    await claimed(h)
    await h.choose(SITI, WRITE)
    await h.say(SITI, "/batal")
    assert "dibatalkan" in h.last_reply(SITI).text
    await h.say(SITI, "ini bukan pesan tiket")
    assert not h.api.by_method("copyMessage")
    # While another form is open, «Kirim pesan» says so instead of opening a second one.
    await h.say(SITI, "/lapor")
    await h.choose(SITI, WRITE)
    alert = h.api.by_method("answerCallbackQuery")[-1].params["text"]
    assert "/batal" in alert


async def test_without_topic_rights_the_card_goes_to_the_general_thread(h: Harness) -> None:
    h.api.make_forum(GROUP_ID)
    h.updates.forums.add(GROUP_ID)
    await h.say(ADMIN, "/pasang_grup", GROUP_ID)
    h.api.fail("createForumTopic", status=400, description="Bad Request: not enough rights")
    await claimed(h)
    (card,) = [c for c in h.api.to_chat(GROUP_ID, "sendMessage") if "<b>BN-" in c.text]
    assert "message_thread_id" not in card.params
    assert not h.api.by_method("pinChatMessage")
    assert "gagal dikirim" in h.last_reply(ADMIN).text
    await h.choose(SITI, WRITE)
    await h.say(SITI, "Tolong dicek")
    (to_group,) = _copies(h, GROUP_ID)
    assert to_group.params["reply_parameters"]["message_id"] == card.message_id


async def test_a_reply_to_the_report_receipt_writes_to_the_ticket(h: Harness) -> None:
    await fill_report_form(
        h, SITI, "Wi-Fi", "Satu ruangan", "Aula", "Wi-Fi aula tidak tersambung.", "081234567890"
    )
    await h.choose(SITI, report_texts.SEND)
    receipt = h.last_reply(SITI)
    assert "BN-2026-00001" in receipt.text and receipt.message_id is not None
    await h.process(h.updates.message(SITI, reply_to=receipt.message_id, text="Di aula lantai 2"))
    await h.delivery.wait_idle()
    # Waiting for disposition: the coordinator receives it, under a header naming the ticket.
    (copy,) = _copies(h, PJ.id)
    assert copy.params["from_chat_id"] == SITI.id
    assert any("BN-2026-00001" in c.text for c in h.api.to_chat(PJ.id, "sendMessage"))
