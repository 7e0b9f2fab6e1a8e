"""A revoked bot token is replaced by a new one: buttons, drafts and cards keep working."""

from __future__ import annotations

from dataclasses import replace

from pydantic import SecretStr
from sqlalchemy import select

from bot.services.domain import Role
from db.models import CalendarOverride, Ticket
from tests.factories import Person
from tests.harness import ADMIN, GROUP_ID, Harness
from tests.stories import INTERNET_DOWN, file_report

SITI = Person(2201, "Siti", "Aminah")
BUDI = Person(3301, "Budi")


async def test_buttons_and_pending_questions_survive_a_new_token(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI)
    await h.staff(BUDI, Role.TECHNICIAN)
    await file_report(h, SITI, replace(INTERNET_DOWN, contact_phone="08123456789"))
    card = h.api.to_chat(GROUP_ID, "sendMessage")[-1]
    await h.say(ADMIN, "/libur jam 2026-12-07 2026-12-07 tutup Rapat")
    question = h.last_reply(ADMIN)

    # BotFather's "revoke" keeps the bot (its id and username), only the secret part changes.
    h.services.settings = h.services.settings.model_copy(
        update={"bot_token": SecretStr("123456:ROTATED-TOKEN")}
    )
    await h.restart()
    assert h.app.bot.token == "123456:ROTATED-TOKEN"

    await h.press(BUDI, card, "Ambil")
    await h.press(ADMIN, question, "Ya, simpan")

    async with h.services.uow() as uow:
        (ticket,) = (await uow.session.scalars(select(Ticket))).all()
        overrides = (await uow.session.scalars(select(CalendarOverride))).all()
    assert ticket.assignee_id is not None
    assert len(overrides) == 1
    texts = [c.params.get("text", "") for c in h.api.by_method("answerCallbackQuery")]
    assert "Tombol ini sudah tidak berlaku." not in texts
