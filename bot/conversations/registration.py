"""Registration of OPD staff through an invite deep link (`/start TOKEN`); the link opened
again while registering starts afresh."""

from __future__ import annotations

from typing import Any

from telegram import Contact
from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.keyboards import registration as kb
from bot.services import profiles, users
from bot.services.domain import Actor
from bot.texts import registration as t

# Only `/start TOKEN` (an invite deep link) starts the conversation; a bare /start is greeted
# by the common handlers, and other payloads belong to other flows.
INVITE_LINK = r"^/start(@\w+)?\s+(?!(?:adu|mr|rr)_)\S+"


async def _open(turn: w.Turn) -> w.Opening:
    token = turn.args[0] if turn.args else ""
    async with turn.services.uow() as uow:
        begun = await users.begin_registration(uow, turn.services.context(turn.actor), token)
    previous = begun.previous_opd
    values = {
        "token": token,
        "opd_id": begun.opd.id,
        "opd_name": begun.opd.name,
        "previous_opd_id": previous.id if previous else None,
        "previous_opd_name": previous.name if previous else None,
    }
    return w.Opening(values, t.intro(begun.opd.name))


def _contact(contact: Contact, actor: Actor) -> str:
    return users.clean_contact(contact.phone_number, contact.user_id, actor)


def _nip(text: str) -> str | None:
    if text.strip().lower() in t.SKIP_WORDS:
        return None
    return users.clean_nip(text.strip())


async def _checked_nip(turn: w.Turn, nip: str | None) -> w.Move:
    """Checks the NIP's birth date, TMT and sex digit as /profil does (the TMT may not lie
    ahead of today), so the berita acara never prints an impossible NIP."""
    ctx = turn.services.context(turn.actor)
    today = ctx.now.astimezone(ctx.calendar.tz).date()
    turn.draft["nip"] = profiles.check_nip(nip, today) if nip else None
    return None


async def _register(turn: w.Turn) -> w.Move:
    """Registers the user with the confirmed data and welcomes them."""
    draft, services = turn.draft, turn.services
    data = users.Registration(
        full_name=draft["full_name"],
        phone=draft["phone"],
        nip=draft.get("nip"),
        position=draft["position"],
    )
    async with services.uow() as uow:
        view = await users.register(uow, services.context(turn.actor), draft["token"], data)
    return w.Finish(f"{t.summary(draft, question=False)}\n\n{t.CONFIRMED}", t.welcome(view))


async def _timed_out(turn: w.Turn) -> str:
    return t.TIMED_OUT.format(minutes=turn.services.settings.conversation_timeout_minutes)


FLOW = w.Flow(
    name="registration",
    title=t.TITLE,
    entries=[w.deep_link(INVITE_LINK, _open)],
    restart=True,
    action=callbacks.REGISTRATION,
    steps=[
        w.Step("full_name", t.ASK_NAME, text=users.clean_name, keyboard=kb.remove()),
        w.Step(
            "phone",
            t.ASK_PHONE.format(button=t.CONTACT_BUTTON),
            t.WRONG_TYPE_PHONE,
            text=users.clean_phone,
            contact=_contact,
            keyboard=kb.share_contact(),
        ),
        w.Step(
            "nip",
            t.ASK_NIP.format(button=t.SKIP_BUTTON),
            text=_nip,
            then=_checked_nip,
            keyboard=kb.skip_nip(),
        ),
        w.Step("position", t.ASK_POSITION, text=users.clean_position, keyboard=kb.remove()),
    ],
    summary=w.Summary(
        t.summary,
        _register,
        send=t.CONFIRM_BUTTON,
        cancel=t.CANCEL_BUTTON,
        hint=t.USE_BUTTONS,
        menu=w.Menu(t.EDIT_BUTTON, t.CHOOSE_FIELD, t.FIELD_BUTTONS, t.BACK_BUTTON),
    ),
    replace_summary=True,
    updated=t.UPDATED,
    hint=t.WRONG_TYPE,
    reask=w.Reask.SEPARATE,
    errors=lambda error: t.invalid(error.code),
    refusal=t.refusal,
    busy=t.IN_PROGRESS,
    busy_reasks=True,
    cancelled=t.CANCELLED,
    timed_out=_timed_out,
    lost=t.DRAFT_LOST,
    reply_keyboard=True,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent registration conversation handler."""
    return w.build(FLOW, settings)
