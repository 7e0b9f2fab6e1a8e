"""An invite admits a number of people: the same person opening it again uses up nothing."""

from __future__ import annotations

import re

from bot.texts import common as tc
from bot.texts import registration as t
from tests.factories import Person
from tests.fakebot import BOT_USERNAME
from tests.harness import ADMIN, Harness

SITI = Person(2301, "Siti", "Aminah")
RINA = Person(2302, "Rina", "Wati")
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


async def _invite(h: Harness) -> str:
    await h.say(ADMIN, "/undang dinkes")
    match = LINK.search(h.last_reply(ADMIN).text)
    assert match is not None
    return match.group(1)


async def _register(h: Harness, person: Person, token: str, phone: str) -> str:
    """Opens the link, answers every question, confirms; returns the bot's last answer."""
    await h.say(person, f"/start {token}")
    await h.say(person, f"{person.first_name} {person.last_name}")
    await h.say(person, phone)
    await h.say(person, t.SKIP_BUTTON)
    await h.say(person, "Pranata Komputer")
    await h.press(person, h.last_reply(person), t.CONFIRM_BUTTON)
    return h.api.by_method("editMessageText")[-1].text


async def _uses(h: Harness, token: str) -> int:
    async with h.services.uow() as uow:
        invite = await uow.invites.by_token(token)
        assert invite is not None
        return invite.uses


async def test_one_person_reopening_an_invite_five_times_counts_once(harness: Harness) -> None:
    h = harness
    token = await _invite(h)  # admits five people
    for attempt in range(5):
        answer = await _register(h, SITI, token, f"08123456789{attempt}")
        assert t.CONFIRMED in answer
    assert await _uses(h, token) == 1
    async with h.services.uow() as uow:
        siti = await uow.users.by_telegram_id(SITI.id)
    assert siti is not None and siti.phone == "081234567894"  # the last registration counts

    # The rest of the OPD can still use the link.
    assert t.CONFIRMED in await _register(h, RINA, token, "081111111111")
    assert await _uses(h, token) == 2


async def test_a_used_up_invite_still_lets_its_person_correct_the_data(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    async with h.services.uow() as uow:
        invite = await uow.invites.by_token(token)
        assert invite is not None
        invite.max_uses = 1
        await uow.commit()
    assert t.CONFIRMED in await _register(h, SITI, token, "081234567890")
    assert t.CONFIRMED in await _register(h, SITI, token, "081234567899")
    assert await _uses(h, token) == 1

    await h.say(RINA, f"/start {token}")
    assert h.last_reply(RINA).text == tc.REFUSALS["invite_used"]
