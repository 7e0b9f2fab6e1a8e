"""What the wizard engine does for every flow on it: one form at a time, blank text, double taps,
every press answered once, buttons of older versions of a flow."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot import callbacks
from bot.services import tickets
from bot.services.domain import Actor, Category, Impact
from bot.services.tickets import ReportDraft
from bot.texts import registration as rt
from bot.texts import report as t
from bot.texts import wizards as wt
from bot.texts.common import REFUSALS
from db.models import Ticket
from tests.factories import Person
from tests.fakebot import BOT_USERNAME, ApiCall
from tests.harness import ADMIN, Harness

SITI = Person(2001, "Siti", "Aminah")
RINA = Person(2002, "Rina")
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with a registered reporter."""
    await harness.reporter(SITI)
    return harness


def _with_button(h: Harness, person: Person, label: str) -> ApiCall:
    for call in reversed(h.replies_to(person)):
        if label in dict(call.buttons):
            return call
    raise AssertionError(f"no message with button {label!r}")


async def _choose(h: Harness, person: Person, label: str) -> None:
    await h.press(person, _with_button(h, person, label), label)


def _answers(h: Harness) -> list[ApiCall]:
    return h.api.by_method("answerCallbackQuery")


async def _invite(h: Harness) -> str:
    await h.say(ADMIN, "/undang dinkes")
    match = LINK.search(h.last_reply(ADMIN).text)
    assert match is not None
    return match.group(1)


async def _letter_follows(h: Harness) -> int:
    """A report of Siti's whose request letter follows later."""
    s = h.services
    draft = ReportDraft(
        Category.WIFI, Impact.ONE_ROOM, "Aula", "Wi-Fi aula tidak ada sinyal.", "0812"
    )
    async with s.uow() as uow:
        view = await tickets.create_report(
            uow, Actor(SITI.id), draft, now=s.now(), calendar=s.calendar, settings=s.settings
        )
    await h.delivery.wait_idle()
    return int(view.id)


async def _fill_until_summary(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await _choose(h, SITI, "Wi-Fi")
    await _choose(h, SITI, "Satu ruangan")
    await h.say(SITI, "Aula")
    await h.say(SITI, "Wi-Fi aula tidak ada sinyal sejak pagi.")
    await _choose(h, SITI, "Lewati")
    await _choose(h, SITI, "Menyusul")
    await h.say(SITI, "081234567890")


# --- one form at a time ----------------------------------------------------------------------


async def test_an_invite_link_during_a_report_does_not_open_a_second_form(h: Harness) -> None:
    token = await _invite(h)
    await h.say(SITI, "/lapor")
    await _choose(h, SITI, "Wi-Fi")

    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    assert "registration" not in h.app.user_data[SITI.id]
    await _choose(h, SITI, "Satu ruangan")  # the report goes on where it was
    assert h.last_reply(SITI).text == t.ASK_LOCATION

    await h.say(SITI, "/batal")
    await h.say(SITI, f"/start {token}")
    assert "nama lengkap" in h.last_reply(SITI).text


async def test_the_letter_button_during_a_report_is_refused_with_an_alert(h: Harness) -> None:
    ticket_id = await _letter_follows(h)
    await h.say(SITI, "/lapor")

    await h.press_data(SITI, callbacks.make(callbacks.LETTER_ADD, ticket_id), SITI.id)

    (answer,) = _answers(h)
    assert answer.params["text"] == wt.form_open(t.TITLE) and answer.params["show_alert"]
    assert len(answer.params["text"]) <= 200  # what Telegram shows in an alert
    assert h.last_reply(SITI).text == t.ASK_CATEGORY


async def test_lapor_while_a_letter_is_awaited_is_refused_and_the_letter_still_taken(
    h: Harness,
) -> None:
    ticket_id = await _letter_follows(h)
    await h.press_data(SITI, callbacks.make(callbacks.LETTER_ADD, ticket_id), SITI.id)

    await h.say(SITI, "/lapor")

    assert h.last_reply(SITI).text == wt.form_open(wt.LETTER_TITLE)
    await h.process(h.updates.document(SITI, "surat-1"))
    assert h.last_reply(SITI).text == wt.LETTER_SAVED.format(number="BN-2026-00001")
    async with h.services.uow() as uow:
        (ticket,) = (await uow.session.scalars(select(Ticket))).all()
    assert ticket.letter_status == "attached"
    assert h.app.user_data[SITI.id] == {}
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == t.ASK_CATEGORY


async def test_the_open_form_is_remembered_across_a_restart(h: Harness) -> None:
    token = await _invite(h)
    await h.say(SITI, "/lapor")
    await _choose(h, SITI, "Wi-Fi")
    await h.restart()

    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    await _choose(h, SITI, "Satu ruangan")
    assert h.last_reply(SITI).text == t.ASK_LOCATION


# --- blank text ------------------------------------------------------------------------------


async def test_text_of_only_blanks_and_zero_width_characters_is_empty(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await _choose(h, SITI, "Wi-Fi")
    await _choose(h, SITI, "Satu ruangan")

    await h.say(SITI, f"{ZERO_WIDTH} \u200b")
    assert "Lokasi harus 2 sampai 200 karakter" in h.last_reply(SITI).text
    await h.say(SITI, "Aula")
    await h.say(SITI, ZERO_WIDTH * 3)
    assert "Uraian harus 10 sampai 2000 karakter" in h.last_reply(SITI).text
    assert "description" not in h.app.user_data[SITI.id]["report"]


async def test_a_zero_width_position_is_refused_at_registration(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(RINA, f"/start {token}")
    await h.say(RINA, "Rina Wati")
    await h.process(h.updates.contact(RINA, "081234567890"))
    await h.say(RINA, rt.SKIP_BUTTON)

    await h.say(RINA, "\u200b\u2060")

    assert h.last_reply(RINA).text == rt.INVALID["position"]
    assert "position" not in h.app.user_data[RINA.id]["registration"]


# --- double taps and answers -----------------------------------------------------------------


async def test_a_double_tap_on_the_field_menu_edits_once(h: Harness) -> None:
    await _fill_until_summary(h)
    summary = _with_button(h, SITI, t.EDIT)
    seen = len(_answers(h))

    edits = len(h.api.by_method("editMessageText"))

    await h.press(SITI, summary, t.EDIT)
    await h.press(SITI, summary, t.EDIT)

    assert len(h.api.by_method("editMessageText")) == edits + 1
    menu = h.api.by_method("editMessageText")[-1]
    assert menu.text == t.ASK_EDIT
    assert [a.params.get("text") for a in _answers(h)[seen:]] == [None, None]

    menu.message_id, menu.params["chat_id"] = summary.message_id, SITI.id
    await h.press(SITI, menu, t.BACK)
    await h.press(SITI, menu, t.BACK)
    assert len(h.api.by_method("editMessageText")) == edits + 2
    assert "Periksa kembali" in h.api.by_method("editMessageText")[-1].text

    await h.press(SITI, summary, t.EDIT)  # the menu again after the way back: a real change
    assert len(h.api.by_method("editMessageText")) == edits + 3


async def test_a_double_tap_on_ubah_data_edits_once(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(RINA, f"/start {token}")
    await h.say(RINA, "Rina Wati")
    await h.process(h.updates.contact(RINA, "081234567890"))
    await h.say(RINA, rt.SKIP_BUTTON)
    await h.say(RINA, "Staf")
    summary = h.last_reply(RINA)

    await h.press(RINA, summary, rt.EDIT_BUTTON)
    await h.press(RINA, summary, rt.EDIT_BUTTON)

    assert len(h.api.by_method("editMessageText")) == 1
    assert len(_answers(h)) == 2


async def test_every_press_of_a_whole_report_is_answered_once(h: Harness) -> None:
    await _fill_until_summary(h)
    summary = _with_button(h, SITI, t.SEND)
    await h.press(SITI, summary, t.SEND)
    await h.press(SITI, summary, t.SEND)  # the form is gone: stale

    presses = [line for line in h.transcript if " presses [" in line]
    answers = _answers(h)
    assert len(answers) == len(presses) == 6
    assert answers[-1].params["text"] == REFUSALS["stale_button"]


@pytest.mark.parametrize(
    "data", ["v1:rp_cat:abcdef_wifi", "v1:rp_sum:abcdef_send", "v1:reg_ok:3", "v1:reg_field:nip"]
)
async def test_buttons_of_older_versions_of_a_flow_are_answered_as_stale(
    h: Harness, data: str
) -> None:
    await h.press_data(SITI, data, SITI.id)
    (answer,) = _answers(h)
    assert answer.params["text"] == REFUSALS["stale_button"]

    await h.say(SITI, "/lapor")
    await h.press_data(SITI, data, SITI.id)
    assert _answers(h)[-1].params["text"] == REFUSALS["stale_button"]
    assert h.last_reply(SITI).text == t.ASK_CATEGORY
