"""A private message that no form or command takes gets a short hint; groups stay quiet
(issue 14, item 8)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from telegram import Update

from bot.services.domain import Role
from bot.texts import help as th
from bot.texts import report as tr
from bot.texts import workflow as tw
from db.models import Ticket
from tests.factories import Person
from tests.fakebot import ApiCall
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import BUDI, PJ, SITI, file_report

TAMU = Person(5001, "Tamu")
REJECT = "Tolak (bukan gangguan Batik.Net)"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A reporter, a technician and a coordinator; reports wait for the coordinator."""
    await harness.reporter(SITI)
    await harness.staff(BUDI, Role.TECHNICIAN)
    await harness.staff(PJ, Role.COORDINATOR)
    return harness


def _sent(h: Harness) -> list[ApiCall]:
    """Returns what the bot did in chats (no start-up calls like getMe)."""
    return [c for c in h.api.calls if c.chat_id is not None]


def _stray(h: Harness) -> list[ApiCall]:
    """Returns every hint the bot sent, wherever it went."""
    lead = th.STRAY.split("{", 1)[0]
    return [c for c in h.api.calls if c.text.startswith(lead)]


async def test_a_stray_text_gets_the_commands_of_the_persons_roles(h: Harness) -> None:
    await h.say(SITI, "selamat pagi, internet kantor mati")
    assert len(h.replies_to(SITI)) == 1
    hint = h.last_reply(SITI).text
    assert hint == th.stray_hint(["reporter"])
    for command in ("/lapor", "/status", "/tiket", "/aduan", "/bantuan"):
        assert command in hint
    assert "tidak ada isian yang sedang berjalan" in hint

    await h.say(BUDI, "halo")
    hint = h.last_reply(BUDI).text
    assert "/status — pekerjaan Anda" in hint and "/catat_aduan" in hint
    assert "/lapor" not in hint  # a technician does not report


async def test_a_stranger_is_told_how_to_register(h: Harness) -> None:
    await h.say(TAMU, "halo")
    hint = h.last_reply(TAMU).text
    assert hint == th.stray_hint([])
    assert "tautan undangan" in hint and "/aduan" in hint and "/bantuan" in hint
    assert "/lapor" not in hint


async def test_an_admin_is_answered_briefly(h: Harness) -> None:
    await h.say(ADMIN, "tes")
    hint = h.last_reply(ADMIN).text
    assert hint == th.stray_hint(["admin"])
    assert "/undang" not in hint  # the admin's tools are in /bantuan, not in the hint
    assert len(hint) < len(th.help_for(["admin"]))


@pytest.mark.parametrize("kind", ["photo", "document", "voice", "sticker", "contact"])
async def test_a_stray_file_or_other_message_gets_the_hint(h: Harness, kind: str) -> None:
    u = h.updates
    make: dict[str, Callable[[], Update]] = {
        "photo": lambda: u.photo(SITI, "foto-lepas"),
        "document": lambda: u.document(SITI, "surat-lepas"),
        "voice": lambda: u.voice(SITI),
        "sticker": lambda: u.sticker(SITI),
        "contact": lambda: u.contact(SITI, "081234567890"),
    }
    await h.process(make[kind]())
    assert [c.text for c in h.replies_to(SITI)] == [th.stray_hint(["reporter"])]


async def test_the_group_stays_quiet(h: Harness) -> None:
    u = h.updates
    await h.say(BUDI, "siap, saya ke lokasi", chat_id=GROUP_ID)
    await h.say(SITI, "terima kasih", chat_id=GROUP_ID)
    await h.process(u.photo(BUDI, "foto-grup", chat_id=GROUP_ID))
    await h.process(u.sticker(BUDI, chat_id=GROUP_ID))
    await h.process(u.voice(BUDI, chat_id=GROUP_ID))
    await h.process(u.document(BUDI, "dok-grup", chat_id=GROUP_ID))
    await h.process(u.text(BUDI, "balasan", GROUP_ID, reply_to=(77, "Kartu tiket")))
    assert _sent(h) == []


async def test_a_text_during_lapor_goes_to_the_form(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == tr.ASK_CATEGORY
    await h.say(SITI, "internet mati")  # a text where a button is asked: the form answers
    assert h.last_reply(SITI).text != th.stray_hint(["reporter"])
    await h.process(h.updates.sticker(SITI))
    assert _stray(h) == []

    category = next(c for c in reversed(h.replies_to(SITI)) if c.buttons)
    await h.press(SITI, category, "Internet mati total")
    impact = h.last_reply(SITI)
    await h.press(SITI, impact, "Seluruh kantor")
    await h.say(SITI, "Ruang server lantai 2")  # the location step takes it
    assert h.last_reply(SITI).text == tr.ASK_DESCRIPTION
    assert _stray(h) == []

    await h.say(SITI, "/batal")
    await h.say(SITI, "Ruang server lantai 2")  # the form is gone: now it is stray
    assert h.last_reply(SITI).text == th.stray_hint(["reporter"])


async def test_a_text_for_a_pending_reason_goes_to_the_prompt(h: Harness) -> None:
    s = h.services
    view = await file_report(h)
    card = next(c for c in reversed(h.replies_to(PJ)) if REJECT in dict(c.buttons))
    await h.press(PJ, card, REJECT)
    await h.say(PJ, "Gangguan listrik gedung, bukan jaringan Batik.Net.")

    done = tw.DONE["reject_report"].format(number=view.number, name="-")
    assert h.api.to_chat(PJ.id, "sendMessage")[-1].text == done
    assert _stray(h) == []
    async with s.uow() as uow:
        ticket = (await uow.session.scalars(select(Ticket))).one()
    assert ticket.status == "CANCELLED"  # a rejected report ends cancelled


async def test_an_edited_message_is_no_question(h: Harness) -> None:
    u = h.updates
    message = u.text(SITI, "halo").to_dict()["message"]
    message["edit_date"] = message["date"] + 5
    edited = Update.de_json({"update_id": 999_001, "edited_message": message}, h.app.bot)
    assert edited is not None
    await h.process(edited)
    assert _sent(h) == []
