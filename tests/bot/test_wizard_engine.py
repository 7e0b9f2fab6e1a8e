"""What the wizard engine does for every flow on it: one form at a time, blank text, double taps,
every press answered once, buttons of older versions of a flow."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.conversations import wizard as w
from bot.services import tickets
from bot.services.clock import FrozenClock
from bot.services.container import Services
from bot.services.domain import Actor, Category, Impact
from bot.services.tickets import ReportDraft
from bot.texts import registration as rt
from bot.texts import report as t
from bot.texts import wizards as wt
from bot.texts.common import REFUSALS
from db.models import Ticket
from tests.factories import Person
from tests.fakebot import BOT_USERNAME, ApiCall, FakeBotApi
from tests.harness import ADMIN, Harness, running
from tests.stories import fill_report_form

SITI = Person(2001, "Siti", "Aminah")
RINA = Person(2002, "Rina")
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with a registered reporter."""
    await harness.reporter(SITI)
    return harness


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
        view = await tickets.create_report(uow, s.context(Actor(SITI.id)), draft)
    await h.delivery.wait_idle()
    return int(view.id)


async def _fill_until_summary(h: Harness) -> None:
    await fill_report_form(
        h,
        SITI,
        "Wi-Fi",
        "Satu ruangan",
        "Aula",
        "Wi-Fi aula tidak ada sinyal sejak pagi.",
        "081234567890",
    )


# --- one form at a time ----------------------------------------------------------------------


async def test_an_invite_link_during_a_report_does_not_open_a_second_form(h: Harness) -> None:
    token = await _invite(h)
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")

    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    assert "registration" not in h.app.user_data[SITI.id]
    await h.choose(SITI, "Satu ruangan")  # the report goes on where it was
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
    await h.choose(SITI, "Lewati")  # its number
    await h.choose(SITI, "Lewati")  # its date
    assert "BN-2026-00001</code> diterima dan diteruskan" in h.last_reply(SITI).text
    async with h.services.uow() as uow:
        (ticket,) = (await uow.session.scalars(select(Ticket))).all()
    assert ticket.letter_status == "attached"
    assert h.app.user_data[SITI.id] == {}
    await h.say(SITI, "/lapor")
    assert h.last_reply(SITI).text == t.ASK_CATEGORY


async def test_the_open_form_is_remembered_across_a_restart(h: Harness) -> None:
    token = await _invite(h)
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    await h.restart()

    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    await h.choose(SITI, "Satu ruangan")
    assert h.last_reply(SITI).text == t.ASK_LOCATION


# --- blank text ------------------------------------------------------------------------------


async def test_text_of_only_blanks_and_zero_width_characters_is_empty(h: Harness) -> None:
    await h.say(SITI, "/lapor")
    await h.choose(SITI, "Wi-Fi")
    await h.choose(SITI, "Satu ruangan")

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
    summary = h.with_button(SITI.id, t.EDIT)
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
    summary = h.with_button(SITI.id, t.SEND)
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


# --- what the flows still to port need: a flow declared here ----------------------------------


MARK_7 = "v1:zz_mark:7"


async def _survey_open(turn: w.Turn) -> w.Opening:
    return w.Opening({"count": 0}, "Survei dimulai.")


async def _mark(turn: w.Turn) -> w.Move:
    turn.draft["mark"] = callbacks.parse_int(turn.data, "zz_mark")
    return None


async def _count(turn: w.Turn) -> w.Move:
    turn.draft["count"] += 1
    return w.REFRESH


async def _survey_sent(turn: w.Turn) -> w.Move:
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Lihat", url="https://example.org")]])
    return w.Finish("Terkirim.", markup=link)


async def _survey_cancelled(turn: w.Turn) -> str:
    return f"Survei dibatalkan pada hitungan {turn.draft.get('count')}."


SURVEY = w.Flow(
    name="survey_test",
    title="survei",
    entries=[w.command("survei", _survey_open)],
    action="zz",
    steps=[
        w.Step("kind", "Pilih jenis.", buttons=w.column({"a": "Jenis A", "b": "Jenis B"})),
        w.Step("detail", "Rinciannya?", text=str.strip, when=lambda draft: draft["kind"] == "b"),
        w.Step(
            "mark",
            "Beri tanda di kartu.",
            "Tekan tanda.",
            keyboard=InlineKeyboardMarkup([[InlineKeyboardButton("7", callback_data=MARK_7)]]),
            actions={"zz_mark": _mark},
        ),
    ],
    summary=w.Summary(
        lambda draft: (
            f"Ringkasan {draft['kind']} {draft.get('detail')} {draft['mark']} {draft['count']}"
        ),
        _survey_sent,
        send="Kirim",
        cancel="Batal",
        hint="Tekan tombol.",
        buttons=lambda draft: [
            [w.Button("Kirim", w.SEND), w.Button("Tambah", "count", run=_count)],
            [w.Button("Batal", w.CANCEL)],
        ],
    ),
    refusal=lambda error: "ditolak",
    cancelled=_survey_cancelled,
    timed_out="Survei habis waktu.",
    lost="Survei hilang.",
    busy="Survei sedang berjalan.",
)


@pytest.fixture
async def survey(
    services: Services, api: FakeBotApi, clock: FrozenClock
) -> AsyncIterator[Harness]:
    """The application with one more flow on the engine, first among the handlers."""
    async with running(services, api, clock, w.build(SURVEY, services.settings)) as harness:
        await harness.reporter(SITI)
        yield harness


async def test_a_declared_flow_skips_steps_takes_other_buttons_and_redraws(
    survey: Harness,
) -> None:
    h = survey
    await h.say(SITI, "/survei")
    assert [c.text for c in h.replies_to(SITI)] == ["Survei dimulai.", "Pilih jenis."]
    await h.choose(SITI, "Jenis A")
    assert h.last_reply(SITI).text == "Beri tanda di kartu."  # «detail» only for Jenis B

    await h.say(SITI, "/lapor")  # the survey comes first among the handlers: it answers
    assert h.last_reply(SITI).text == "Survei sedang berjalan."
    await h.say(SITI, "tanda")
    question = h.last_reply(SITI)
    assert question.text == "Tekan tanda.\n\nBeri tanda di kartu."
    assert question.buttons == [("7", MARK_7)]  # a step's inline keyboard of another action
    await h.press(SITI, question, "7")
    summary = h.last_reply(SITI)
    assert summary.text == "Ringkasan a None 7 0"
    assert [label for label, _ in summary.buttons] == ["Kirim", "Tambah", "Batal"]

    await h.press(SITI, summary, "Tambah")
    await h.press(SITI, summary, "Tambah")
    edits = h.api.by_method("editMessageText")
    assert [e.text for e in edits[-2:]] == ["Ringkasan a None 7 1", "Ringkasan a None 7 2"]
    assert len(_answers(h)) == 4 and all("text" not in a.params for a in _answers(h))

    await h.press(SITI, summary, "Kirim")
    done = h.last_reply(SITI)
    assert done.text == "Terkirim." and done.buttons == [("Lihat", "https://example.org")]
    assert h.app.user_data[SITI.id] == {}


async def test_a_declared_flow_asks_a_step_that_applies_and_cancels_its_own_way(
    survey: Harness,
) -> None:
    h = survey
    await h.say(SITI, "/lapor")
    await h.say(SITI, "/survei")
    assert h.last_reply(SITI).text == wt.form_open(t.TITLE)
    await h.say(SITI, "/batal")

    await h.say(SITI, "/survei")
    await h.choose(SITI, "Jenis B")
    assert h.last_reply(SITI).text == "Rinciannya?"
    await h.say(SITI, "Rinci sekali")
    await h.press_data(SITI, "v1:zz_mark:x", SITI.id)
    assert _answers(h)[-1].params["text"] == REFUSALS["stale_button"]

    await h.say(SITI, "/batal")

    assert h.last_reply(SITI).text == "Survei dibatalkan pada hitungan 0."
    assert h.app.user_data[SITI.id] == {}


# --- a redraw with new buttons ----------------------------------------------------------------


async def _count_renewed(turn: w.Turn) -> w.Move:
    turn.draft["count"] += 1
    return w.RENEW


assert SURVEY.summary is not None
RENEWING = dataclasses.replace(
    SURVEY,
    name="survey_renew",
    summary=dataclasses.replace(
        SURVEY.summary,
        buttons=lambda draft: [
            [w.Button("Kirim", w.SEND), w.Button("Tambah", "count", run=_count_renewed)]
        ],
    ),
)


@pytest.fixture
async def renewing(
    services: Services, api: FakeBotApi, clock: FrozenClock
) -> AsyncIterator[Harness]:
    """The application with a survey whose «Tambah» redraws the summary with new buttons."""
    async with running(services, api, clock, w.build(RENEWING, services.settings)) as harness:
        await harness.reporter(SITI)
        yield harness


async def test_a_renewing_redraw_makes_a_second_tap_of_the_old_buttons_stale(
    renewing: Harness,
) -> None:
    h = renewing
    await h.say(SITI, "/survei")
    await h.choose(SITI, "Jenis A")
    await h.press_data(SITI, "v1:zz_mark:7", SITI.id)
    summary = h.last_reply(SITI)

    await h.press(SITI, summary, "Tambah")
    await h.press(SITI, summary, "Tambah")  # a double tap: sent before the new buttons arrived

    (redrawn,) = h.api.by_method("editMessageText")
    assert redrawn.text == "Ringkasan a None 7 1"
    assert dict(redrawn.buttons)["Tambah"] != dict(summary.buttons)["Tambah"]
    assert [a.params.get("text") for a in _answers(h)[-2:]] == [None, REFUSALS["stale_button"]]
    await h.press(SITI, redrawn, "Tambah")  # the new buttons work
    again = h.api.by_method("editMessageText")[-1]
    assert again.text == "Ringkasan a None 7 2"
    await h.press(SITI, again, "Kirim")
    assert h.last_reply(SITI).text == "Terkirim."
