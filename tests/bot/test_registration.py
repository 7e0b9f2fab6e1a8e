"""Registration of OPD staff: invite link, the conversation, bad input, cancel and timeout."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.services import users
from bot.services.domain import Actor
from bot.services.users import Registration
from bot.texts import common as tc
from bot.texts import help as th
from bot.texts import registration as t
from db.models import Invite, User
from tests.factories import Person
from tests.fakebot import BOT_USERNAME, ApiCall
from tests.harness import ADMIN, Harness

SITI = Person(2001, "Siti", "Aminah")
RINA = Person(2002, "Rina")
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


# The harness fixture runs the job scheduler paused (conftest): conversation timeouts are
# scheduled but fire only when a test runs them.


async def _invite(h: Harness, code: str = "dinkes") -> str:
    """Creates an invite the way an admin does and returns its token."""
    await h.say(ADMIN, f"/undang {code}")
    match = LINK.search(h.last_reply(ADMIN).text)
    assert match is not None, h.last_reply(ADMIN).text
    return match.group(1)


async def _fill_in(h: Harness, person: Person, token: str) -> ApiCall:
    """Answers every question with valid data and returns the summary message."""
    await h.say(person, f"/start {token}")
    await h.say(person, "Siti Aminah, S.Kom.")
    await h.process(h.updates.contact(person, "+62 812-3456-7890"))
    await h.say(person, t.SKIP_BUTTON)
    await h.say(person, "Pranata Komputer")
    return h.last_reply(person)


async def _db_user(h: Harness, person: Person) -> User | None:
    async with h.services.uow() as uow:
        return await uow.users.by_telegram_id(person.id)


async def _invite_uses(h: Harness, token: str) -> int:
    async with h.services.uow() as uow:
        invite = await uow.invites.by_token(token)
        assert invite is not None
        return invite.uses


def _registration_handler(h: Harness) -> ConversationHandler[BotContext]:
    for handler in h.app.handlers[0]:
        if isinstance(handler, ConversationHandler) and handler.name == "registration":
            return handler
    raise AssertionError("registration conversation is not registered")


async def test_admin_invite_link_registers_a_new_reporter(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/undang dinkes")
    invite_text = h.last_reply(ADMIN).text
    assert "Dinas Kesehatan" in invite_text
    assert "Berlaku sampai: Kamis, 3 Desember 2026 pukul 09.00 WIB" in invite_text
    assert "paling banyak: 5 orang" in invite_text
    token = await _invite(h)

    await h.say(SITI, f"/start {token}")
    intro, ask_name = h.replies_to(SITI)[-2:]
    assert "pelapor gangguan untuk <b>Dinas Kesehatan</b>" in intro.text
    assert "nama lengkap" in ask_name.text

    await h.say(SITI, "  Siti   Aminah, S.Kom. ")
    ask_phone = h.last_reply(SITI)
    assert "nomor telepon" in ask_phone.text
    assert ask_phone.keyboard == [t.CONTACT_BUTTON]
    markup = ask_phone.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert markup["keyboard"][0][0]["request_contact"] is True

    await h.process(h.updates.contact(SITI, "+62 812-3456-7890"))
    ask_nip = h.last_reply(SITI)
    assert "NIP" in ask_nip.text
    assert ask_nip.keyboard == [t.SKIP_BUTTON]

    await h.say(SITI, "Lewati")
    assert "jabatan" in h.last_reply(SITI).text

    await h.say(SITI, "Pranata Komputer")
    summary = h.last_reply(SITI)
    assert "Nama lengkap: Siti Aminah, S.Kom." in summary.text
    assert "Nomor telepon: 081234567890" in summary.text
    assert "NIP: —" in summary.text
    assert "Catatan" not in summary.text
    assert [label for label, _ in summary.buttons] == [
        t.CONFIRM_BUTTON,
        t.EDIT_BUTTON,
        t.CANCEL_BUTTON,
    ]

    await h.press(SITI, summary, t.CONFIRM_BUTTON)

    (answer,) = h.api.by_method("answerCallbackQuery")
    assert "text" not in answer.params
    (edit,) = h.api.by_method("editMessageText")
    assert t.CONFIRMED in edit.text and edit.buttons == []
    welcome = h.last_reply(SITI)
    assert "Anda telah terdaftar sebagai pelapor" in welcome.text
    assert "/lapor" in welcome.text and "/status" in welcome.text
    user = await _db_user(h, SITI)
    assert user is not None and user.opd is not None
    assert user.opd.code == "dinkes"
    assert user.roles == frozenset({"reporter"})
    assert (user.full_name, user.phone, user.nip) == ("Siti Aminah, S.Kom.", "081234567890", None)
    assert user.position == "Pranata Komputer"
    assert await _invite_uses(h, token) == 1
    assert "registration" not in h.app.user_data[SITI.id]


async def test_invite_picker_pages_through_the_opds(harness: Harness) -> None:
    h = harness
    await h.say(ADMIN, "/undang")
    picker = h.last_reply(ADMIN)
    assert "halaman 1 dari 4" in picker.text
    labels = [label for label, _ in picker.buttons]
    assert len(labels) == 9 and labels[-1] == "Berikutnya »"

    await h.press(ADMIN, picker, "Berikutnya »")
    page_two = h.api.by_method("editMessageText")[-1]
    assert "halaman 2 dari 4" in page_two.text
    assert [label for label, _ in page_two.buttons][-2:] == ["« Sebelumnya", "Berikutnya »"]
    first_on_page_two, _ = page_two.buttons[0]
    assert first_on_page_two not in labels

    page_two.message_id = picker.message_id
    page_two.params["chat_id"] = ADMIN.id
    await h.press(ADMIN, page_two, first_on_page_two)

    created = h.api.by_method("editMessageText")[-1]
    assert first_on_page_two in created.text
    assert LINK.search(created.text) is not None
    async with h.services.uow() as uow:
        assert len((await uow.session.scalars(select(Invite))).all()) == 1


async def test_expired_invite_is_refused(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    h.advance(hours=73)

    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == tc.REFUSALS["invite_expired"]
    assert await _db_user(h, SITI) is None


async def test_used_up_invite_is_refused(harness: Harness) -> None:
    h = harness
    services = h.services
    services.settings.invite_max_uses = 1
    async with services.uow() as uow:
        opd = await uow.opds.by_code("dinkes")
        assert opd is not None
        invite = await users.create_invite(uow, services.context(Actor(ADMIN.id)), opd.id)
    async with services.uow() as uow:
        await users.register(
            uow,
            services.context(Actor(RINA.id)),
            invite.token,
            Registration("Rina Wati", "081111111111", None, "Staf"),
        )

    await h.say(SITI, f"/start {invite.token}")

    assert h.last_reply(SITI).text == tc.REFUSALS["invite_used"]


async def test_invite_used_up_while_filling_in_is_refused_at_confirm(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    summary = await _fill_in(h, SITI, token)
    async with h.services.uow() as uow:
        invite = await uow.invites.by_token(token)
        assert invite is not None
        invite.uses = invite.max_uses
        await uow.commit()

    await h.press(SITI, summary, t.CONFIRM_BUTTON)

    assert h.api.by_method("editMessageText")[-1].text == tc.REFUSALS["invite_used"]
    user = await _db_user(h, SITI)
    assert user is None


@pytest.mark.parametrize("token", ["garbage", "x" * 100, "AbC-_123"])
async def test_unknown_invite_is_refused(harness: Harness, token: str) -> None:
    h = harness
    await h.say(SITI, f"/start {token}")

    assert h.last_reply(SITI).text == t.INVITE_UNKNOWN
    await h.say(SITI, "Siti Aminah")
    assert h.last_reply(SITI).text == th.stray_hint([])  # no conversation started


async def test_bare_start_is_left_to_the_greeting(harness: Harness) -> None:
    h = harness
    await h.say(SITI, "/start")
    assert "Mintalah tautan undangan" in h.last_reply(SITI).text
    assert f"<code>{SITI.id}</code>" in h.last_reply(SITI).text


async def test_bad_input_at_every_step_gets_a_helpful_reprompt(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(SITI, f"/start {token}")

    await h.process(h.updates.sticker(SITI))
    wrong, again = h.replies_to(SITI)[-2:]
    assert wrong.text == t.WRONG_TYPE and "nama lengkap" in again.text

    await h.say(SITI, "S" * 101)
    assert h.last_reply(SITI).text == t.INVALID["name"]
    await h.say(SITI, "12345")
    assert h.last_reply(SITI).text == t.INVALID["name"]

    await h.say(SITI, "/lapor")
    busy, again = h.replies_to(SITI)[-2:]
    assert busy.text == t.IN_PROGRESS and "nama lengkap" in again.text

    await h.say(SITI, "Siti Aminah")
    assert "nomor telepon" in h.last_reply(SITI).text

    await h.say(SITI, "12345")
    assert h.last_reply(SITI).text == t.INVALID["phone"]
    assert h.last_reply(SITI).keyboard == [t.CONTACT_BUTTON]
    await h.process(h.updates.contact(SITI, "081299998888", own=False))
    assert h.last_reply(SITI).text == t.INVALID["contact_not_own"]
    await h.process(h.updates.voice(SITI))
    assert h.replies_to(SITI)[-2].text == t.WRONG_TYPE_PHONE
    await h.say(SITI, "0812 3456 7890")
    assert "NIP" in h.last_reply(SITI).text

    await h.say(SITI, "1" * 17)
    assert h.last_reply(SITI).text == t.INVALID["nip"]
    await h.say(SITI, "198513012010012001")  # born in a thirteenth month
    assert "tanggal lahir" in h.last_reply(SITI).text
    await h.say(SITI, "198501012010013001")  # sex digit 3
    assert "jenis kelamin" in h.last_reply(SITI).text
    await h.say(SITI, "19850101 201001 2 001")
    assert "jabatan" in h.last_reply(SITI).text

    await h.process(h.updates.photo(SITI, "photo-1"))
    assert h.replies_to(SITI)[-2].text == t.WRONG_TYPE
    await h.say(SITI, "J" * 101)
    assert h.last_reply(SITI).text == t.INVALID["position"]
    await h.say(SITI, "Kepala Subbagian Umum")
    summary = h.last_reply(SITI)
    assert "NIP: 198501012010012001" in summary.text

    await h.say(SITI, "ya")
    hint, shown_again = h.replies_to(SITI)[-2:]
    assert hint.text == t.USE_BUTTONS and shown_again.text == summary.text

    await h.press(SITI, shown_again, t.CONFIRM_BUTTON)
    user = await _db_user(h, SITI)
    assert user is not None
    assert (user.phone, user.nip) == ("081234567890", "198501012010012001")
    assert user.roles == frozenset({"reporter"})


async def test_batal_midway_cancels_without_registering(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(SITI, f"/start {token}")
    await h.say(SITI, "Siti Aminah")

    await h.say(SITI, "/batal")

    cancelled = h.last_reply(SITI)
    assert cancelled.text == t.CANCELLED
    assert cancelled.params["reply_markup"] is not None  # the contact keyboard is removed
    assert await _db_user(h, SITI) is None
    assert await _invite_uses(h, token) == 0
    await h.say(SITI, "/batal")
    assert h.last_reply(SITI).text == "Tidak ada isian yang sedang berjalan."


async def test_cancel_button_on_the_summary(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    summary = await _fill_in(h, SITI, token)

    await h.press(SITI, summary, t.CANCEL_BUTTON)

    assert h.api.by_method("editMessageText")[-1].text == t.CANCELLED
    assert await _db_user(h, SITI) is None
    await h.press(SITI, summary, t.CONFIRM_BUTTON)
    assert (
        h.api.by_method("answerCallbackQuery")[-1].params["text"] == (tc.REFUSALS["stale_button"])
    )
    assert await _db_user(h, SITI) is None


async def test_editing_a_field_returns_to_a_new_summary(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    old_summary = await _fill_in(h, SITI, token)

    await h.press(SITI, old_summary, t.EDIT_BUTTON)
    fields = h.api.by_method("editMessageText")[-1]
    assert fields.text == t.CHOOSE_FIELD
    fields.message_id = old_summary.message_id
    fields.params["chat_id"] = SITI.id
    await h.press(SITI, fields, t.FIELD_BUTTONS["phone"])
    assert "nomor telepon" in h.last_reply(SITI).text

    await h.say(SITI, "+6285711112222")
    updated, new_summary = h.replies_to(SITI)[-2:]
    assert updated.text == t.UPDATED
    assert "Nomor telepon: 085711112222" in new_summary.text

    await h.press(SITI, old_summary, t.CONFIRM_BUTTON)
    assert h.api.by_method("answerCallbackQuery")[-1].params["show_alert"] is True
    assert await _db_user(h, SITI) is None

    await h.press(SITI, new_summary, t.CONFIRM_BUTTON)
    user = await _db_user(h, SITI)
    assert user is not None and user.phone == "085711112222"


async def test_registered_user_moving_to_another_opd_is_told(harness: Harness) -> None:
    h = harness
    await h.reporter(SITI, "dinkes")
    token = await _invite(h, "dindik")

    summary = await _fill_in(h, SITI, token)

    assert "dipindahkan ke <b>Dinas Pendidikan</b>" in summary.text
    assert "Dinas Kesehatan" in summary.text
    await h.press(SITI, summary, t.CONFIRM_BUTTON)
    user = await _db_user(h, SITI)
    assert user is not None and user.opd is not None and user.opd.code == "dindik"


async def test_silence_times_the_conversation_out(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(SITI, f"/start {token}")
    await h.say(SITI, "Siti Aminah")
    handler = _registration_handler(h)
    (job,) = handler.timeout_jobs.values()

    await job.run(h.app)

    assert h.last_reply(SITI).text == t.TIMED_OUT.format(minutes=30)
    assert "registration" not in h.app.user_data[SITI.id]
    await h.say(SITI, "081234567890")
    assert h.last_reply(SITI).text == th.stray_hint([])  # nobody asked anymore


async def test_draft_and_state_are_persisted_as_json(harness: Harness) -> None:
    h = harness
    token = await _invite(h)
    await h.say(SITI, f"/start {token}")
    await h.say(SITI, "Siti Aminah")

    await h.app.update_persistence()

    async with h.services.uow() as uow:
        drafts = await uow.state.load("user")
        states = await uow.state.load("conv:registration")
    assert drafts[str(SITI.id)]["registration"]["full_name"] == "Siti Aminah"
    assert list(states.values()) == [{"state": 2}]
