"""What the technician did is visible (issue 11 §3): the photos after the repair go to the
reporter with the "sudah normal?" question as an album, and /tiket lists and shows them."""

from __future__ import annotations

import pytest

from bot.services import attachments, workflow
from bot.services.domain import Actor, Role
from bot.texts import letters as tl
from tests.harness import GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, claimed, load_ticket


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Manual disposition, with a reporter, a technician and a coordinator."""
    harness.services.settings.auto_disposition = False
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


async def _repaired_with(h: Harness, photos: int) -> int:
    ticket_id = await claimed(h)
    await h.press(BUDI, h.with_button(GROUP_ID, "Ringan"), "Ringan")
    refs = [attachments.photo(f"after-{n}", f"after-{n}-u", 150_000) for n in range(photos)]
    h.api.clear()
    async with h.services.uow() as uow:
        await workflow.report_repair(
            uow,
            h.services.context(Actor(BUDI.id)),
            ticket_id,
            diagnosis="Konektor RJ45 longgar",
            actions="Mengganti konektor",
            items=(),
            photos=refs,
        )
    await h.delivery.wait_idle()
    return ticket_id


async def test_the_reporter_gets_the_photos_as_an_album_above_the_question(h: Harness) -> None:
    await _repaired_with(h, 3)
    calls = h.replies_to(SITI)
    assert [c.method for c in calls] == ["sendMediaGroup", "sendMessage"]
    album, question = calls
    media = album.params["media"]
    assert [m["media"] for m in media] == ["after-0", "after-1", "after-2"]
    assert media[0]["caption"] == "Foto hasil perbaikan BN-2026-00001"
    # An album carries no buttons: the question has its own message, the last in the chat.
    assert "sudah normal kembali" in question.text
    assert [label for label, _ in question.buttons] == ["Sudah normal", "Belum normal"]


async def test_one_photo_goes_as_a_photo_and_none_sends_only_the_question(h: Harness) -> None:
    await _repaired_with(h, 1)
    photo, question = h.replies_to(SITI)
    assert photo.method == "sendPhoto" and photo.params["photo"] == "after-0"
    assert "Sudah normal" in dict(question.buttons)


async def test_no_photo_sends_only_the_question(h: Harness) -> None:
    await _repaired_with(h, 0)
    (question,) = h.replies_to(SITI)
    assert "Sudah normal" in dict(question.buttons)


async def test_tiket_lists_the_photos_and_shows_them_on_request(h: Harness) -> None:
    ticket_id = await _repaired_with(h, 2)
    number = (await load_ticket(h, ticket_id)).number
    for person in (SITI, BUDI):
        await h.say(person, f"/tiket {number}")
        detail = h.last_reply(person)
        assert "Foto hasil perbaikan: 2" in detail.text
        h.api.clear()
        await h.press(person, detail, tl.AFTER_PHOTOS)
        (album,) = h.api.to_chat(person.id, "sendMediaGroup")
        assert len(album.params["media"]) == 2


async def test_a_ticket_without_repair_photos_offers_none(h: Harness) -> None:
    ticket_id = await claimed(h)
    number = (await load_ticket(h, ticket_id)).number
    await h.say(SITI, f"/tiket {number}")
    detail = h.last_reply(SITI)
    assert "Foto hasil perbaikan" not in detail.text
    assert tl.AFTER_PHOTOS not in dict(detail.buttons)
