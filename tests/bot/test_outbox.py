"""Delivery of messages to other chats: queued with the change, retried, never lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services import tickets, workflow
from bot.services.domain import Actor, Category, Impact, Role
from bot.services.tickets import ReportDraft
from bot.texts import complaints as tc
from db.models import OutboxMessage, TicketMessage
from tests.factories import Person
from tests.harness import ADMIN, GROUP_ID, Harness

# Reports go straight to the technician group here (not production's default).
pytestmark = pytest.mark.auto_disposition

SITI = Person(2001, "Siti", "Aminah")
BUDI = Person(3001, "Budi")
NEW_GROUP = -1009876543210
PJ = Person(4001, "Koordinator")


async def _with_coordinator(h: Harness) -> None:
    await h.reporter(SITI)
    await h.staff(PJ, Role.COORDINATOR)


async def _hold_first_ticket(h: Harness) -> None:
    """The coordinator puts the first ticket on hold, which edits its card in the group."""
    s = h.services
    async with s.uow() as uow:
        await workflow.hold(uow, s.context(Actor(PJ.id)), 1, "Menunggu kunci ruang server")
    await h.delivery.wait_idle()


async def _report(h: Harness) -> None:
    services = h.services
    async with services.uow() as uow:
        await tickets.create_report(
            uow,
            services.context(Actor(SITI.id)),
            ReportDraft(
                Category.WIFI,
                Impact.ONE_ROOM,
                "Aula",
                "Wi-Fi aula tidak tersambung.",
                "081234567890",
            ),
        )
    await h.delivery.wait_idle()


async def _outbox(h: Harness) -> list[OutboxMessage]:
    async with h.services.uow() as uow:
        return list(await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_server_errors_leave_the_card_queued_until_a_later_retry(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    h.api.fail("sendMessage", status=502, description="Bad Gateway", chat_id=GROUP_ID, times=2)

    await _report(h)

    (row,) = await _outbox(h)
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error is not None and "Bad Gateway" in row.last_error
    assert h.api.to_chat(GROUP_ID, "sendMessage") == []

    await h.run_job("outbox-retry")  # too early: the backoff has not passed
    assert len(h.api.to_chat(GROUP_ID, "sendMessage!failed")) == 1

    h.advance(seconds=11)
    await h.run_job("outbox-retry")  # second failure
    h.advance(seconds=30)
    await h.run_job("outbox-retry")

    (row,) = await _outbox(h)
    assert row.status == "sent" and row.attempts == 3
    (card,) = h.api.to_chat(GROUP_ID, "sendMessage")
    assert "Ambil" in dict(card.buttons)


async def test_retry_after_is_waited_out_without_counting_an_attempt(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    h.api.fail(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 40",
        retry_after=40,
        chat_id=GROUP_ID,
    )

    await _report(h)

    (row,) = await _outbox(h)
    assert row.status == "pending" and row.attempts == 0
    h.advance(seconds=39)
    await h.run_job("outbox-retry")
    assert h.api.to_chat(GROUP_ID, "sendMessage") == []
    h.advance(seconds=2)
    await h.run_job("outbox-retry")
    assert len(h.api.to_chat(GROUP_ID, "sendMessage")) == 1


async def test_forbidden_gives_up_with_a_reason_and_tells_the_admins(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await _report(h)
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    h.api.fail(
        "sendMessage",
        status=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=SITI.id,
    )

    await h.press(BUDI, card, "Ambil")

    rows = await _outbox(h)
    failed = [r for r in rows if r.chat_id == SITI.id]
    assert [r.status for r in failed] == ["failed"]
    assert failed[0].last_error is not None and "blocked" in failed[0].last_error
    alert = h.api.to_chat(ADMIN.id, "sendMessage")[-1]
    assert str(SITI.id) in alert.text and "gagal dikirim" in alert.text

    await h.run_job("outbox-retry")
    assert len(h.api.to_chat(SITI.id, "sendMessage!failed")) == 1  # never tried again


async def test_messages_queued_before_a_restart_are_delivered_after_it(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    h.api.fail("sendMessage", status=500, chat_id=GROUP_ID)
    await _report(h)
    assert h.api.to_chat(GROUP_ID, "sendMessage") == []
    await h.restart()
    h.advance(minutes=1)
    await h.run_job("outbox-retry")
    assert len(h.api.to_chat(GROUP_ID, "sendMessage")) == 1


async def test_an_edit_of_a_card_still_waiting_to_be_posted_is_folded_into_the_post(
    harness: Harness,
) -> None:
    h = harness
    await _with_coordinator(h)
    h.api.fail("sendMessage", status=502, description="Bad Gateway", chat_id=GROUP_ID)
    await _report(h)
    assert h.api.to_chat(GROUP_ID, "sendMessage") == []
    await _hold_first_ticket(h)
    h.advance(minutes=5)
    await h.run_job("outbox-retry")

    (card,) = h.api.to_chat(GROUP_ID, "sendMessage")
    assert "Ditunda" in card.text and [label for label, _ in card.buttons] == ["Lanjutkan"]
    assert h.api.to_chat(GROUP_ID, "editMessageText") == []
    statuses = {row.method: row.status for row in await _outbox(h) if row.chat_id == GROUP_ID}
    assert statuses == {"sendMessage": "sent", "editMessageText": "merged"}


async def _cards(h: Harness) -> list[tuple[int, int | None, int | None, int]]:
    async with h.services.uow() as uow:
        rows = await uow.session.scalars(select(TicketMessage).order_by(TicketMessage.id))
        return [(r.chat_id, r.ticket_id, r.complaint_id, r.message_id) for r in rows]


async def _complain(h: Harness, person: Person) -> None:
    await h.say(person, "/aduan")
    await h.press(
        person, h.with_button(person.id, "Gangguan tidak ditangani"), "Gangguan tidak ditangani"
    )
    await h.press(person, h.with_button(person.id, tc.SKIP), tc.SKIP)
    await h.say(person, "Laporan gangguan kami tiga hari belum ditangani petugas.")
    await h.press(person, h.with_button(person.id, tc.SKIP), tc.SKIP)
    await h.press(person, h.with_button(person.id, tc.NO), tc.NO)
    await h.press(person, h.with_button(person.id, tc.SEND), tc.SEND)


async def test_a_group_upgraded_to_a_supergroup_is_followed_and_the_admins_are_told(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await _report(h)  # BN-...-00001: its card waits for «Ambil» in the group
    await _report(h)
    async with h.services.uow() as uow:  # the second is cancelled: its card is history
        ticket = await uow.tickets.get(2)
        assert ticket is not None
        ticket.status = "CANCELLED"
        await uow.commit()
    await _complain(h, SITI)  # its card waits for «Ambil» too
    old_cards = h.api.to_chat(GROUP_ID, "sendMessage")
    assert len(old_cards) == 3

    h.api.clear()
    h.api.migrate(GROUP_ID, NEW_GROUP)
    await _report(h)  # the third ticket's card meets the upgrade

    assert [c.method for c in h.api.to_chat(GROUP_ID)] == ["sendMessage!failed"]
    posted = h.api.to_chat(NEW_GROUP, "sendMessage")
    assert len(posted) == 3
    (complaint_card,) = [c for c in posted if "ADU-2026-00001" in c.text]
    assert tc.TAKE_BUTTON in dict(complaint_card.buttons)
    assert sum("BN-2026-00001" in c.text for c in posted) == 1
    assert sum("BN-2026-00003" in c.text for c in posted) == 1
    assert not any("BN-2026-00002" in c.text for c in posted)
    (notice,) = h.api.to_chat(ADMIN.id, "sendMessage")
    assert str(GROUP_ID) in notice.text and str(NEW_GROUP) in notice.text
    assert "1 pesan" in notice.text and "2 kartu" in notice.text
    async with h.services.uow() as uow:
        assert await tickets.tech_group_id(uow, h.services.settings) == NEW_GROUP
    rows = await _outbox(h)
    assert {r.status for r in rows} == {"sent"}
    assert not [r for r in rows if r.chat_id == GROUP_ID and r.status != "sent"]
    assert {chat for chat, *_ in await _cards(h)} == {NEW_GROUP}

    # The re-posted card works in the new group, and what comes later goes there directly.
    card = next(c for c in posted if "BN-2026-00001" in c.text)
    await h.press(BUDI, card, "Ambil")
    assert "Budi" in h.api.to_chat(NEW_GROUP, "editMessageText")[-1].text
    await _report(h)
    assert [c.method for c in h.api.to_chat(GROUP_ID)] == ["sendMessage!failed"]
    assert "BN-2026-00004" in h.api.to_chat(NEW_GROUP, "sendMessage")[-1].text


async def test_a_card_posted_twice_after_a_timeout_loses_its_copy_when_pressed(
    harness: Harness,
) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    h.api.time_out("sendMessage", chat_id=GROUP_ID)  # Telegram posts it; the answer is lost

    await _report(h)

    (row,) = await _outbox(h)
    assert row.status == "pending" and row.last_error is not None
    assert "delivery uncertain" in row.last_error
    h.advance(seconds=11)
    await h.run_job("outbox-retry")
    copy, card = h.api.to_chat(GROUP_ID, "sendMessage")
    assert copy.timed_out and not card.timed_out and copy.text == card.text
    assert copy.message_id is not None and card.message_id is not None
    assert await _cards(h) == [(GROUP_ID, 1, None, card.message_id)]

    await h.press(BUDI, copy, "Ambil")  # the copy: deleted, nothing else happens

    assert not h.api.shows(GROUP_ID, copy.message_id)
    assert h.api.shows(GROUP_ID, card.message_id)
    answer = h.api.by_method("answerCallbackQuery")[-1]
    assert answer.params.get("show_alert") and "salinan ganda" in str(answer.params["text"])
    assert h.api.to_chat(GROUP_ID, "editMessageText") == []
    assert h.api.to_chat(SITI.id, "sendMessage") == []  # nobody claimed it

    await h.press(BUDI, card, "Ambil")  # the card of record works as ever

    (edit,) = h.api.to_chat(GROUP_ID, "editMessageText")
    assert int(edit.params["message_id"]) == card.message_id and "Budi" in edit.text
    assert h.api.shows(GROUP_ID, card.message_id)
    assert "Budi" in h.last_reply(SITI).text


async def test_a_copy_too_old_to_delete_loses_its_buttons(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    h.api.time_out("sendMessage", chat_id=GROUP_ID)
    await _report(h)
    h.advance(seconds=11)
    await h.run_job("outbox-retry")
    copy, _card = h.api.to_chat(GROUP_ID, "sendMessage")
    h.api.fail(
        "deleteMessage",
        status=400,
        description="Bad Request: message can't be deleted for everyone",
    )

    await h.press(BUDI, copy, "Ambil")

    (cleared,) = h.api.to_chat(GROUP_ID, "editMessageReplyMarkup")
    assert cleared.params["message_id"] == copy.message_id and cleared.buttons == []
    assert "salinan ganda" in str(h.api.by_method("answerCallbackQuery")[-1].params["text"])


async def test_an_edit_delivered_before_its_timeout_is_not_repeated_forever(
    harness: Harness,
) -> None:
    h = harness
    await _with_coordinator(h)
    await _report(h)
    (card,) = h.api.to_chat(GROUP_ID, "sendMessage")
    h.api.time_out("editMessageText", chat_id=GROUP_ID)
    await _hold_first_ticket(h)
    (edit,) = h.api.to_chat(GROUP_ID, "editMessageText")
    assert edit.timed_out and "Ditunda" in edit.text

    h.advance(seconds=11)
    with h.api.expect_refusal("message is not modified"):  # the retry finds it done
        await h.run_job("outbox-retry")

    assert {r.status for r in await _outbox(h)} == {"sent"}
    assert len(h.api.to_chat(GROUP_ID, "editMessageText")) == 1
    assert len(h.api.to_chat(GROUP_ID, "sendMessage")) == 1
    assert h.api.to_chat(GROUP_ID, "sendMessage") == [card]


async def test_a_card_edit_that_meets_the_upgrade_posts_the_card_once_in_the_new_group(
    harness: Harness,
) -> None:
    h = harness
    await _with_coordinator(h)
    await _report(h)
    h.api.clear()
    h.api.migrate(GROUP_ID, NEW_GROUP)
    await _hold_first_ticket(h)

    assert [c.method for c in h.api.to_chat(GROUP_ID)] == ["editMessageText!failed"]
    (card,) = h.api.to_chat(NEW_GROUP, "sendMessage")  # the queued edit, posted: no repost
    assert "Ditunda" in card.text and [label for label, _ in card.buttons] == ["Lanjutkan"]
    assert "1 pesan" in h.last_reply(ADMIN).text and "0 kartu" in h.last_reply(ADMIN).text
    assert await _cards(h) == [(NEW_GROUP, 1, None, card.message_id)]
    h.api.assert_no_refusals()
