"""`/profil`: a registered person (OPD staff or Kominfo) sees their profile and changes one
field at a time from its field menu: the name with titles, NIP, jabatan, pangkat/golongan and
phone that the berita acara prints. Each change is checked and saved at once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import profiles
from bot.services.profiles import Field, Profile
from bot.texts import profile as t

PROFILE = "profile"


async def _open(turn: w.Turn) -> w.Opening:
    async with turn.services.uow() as uow:
        shown = await profiles.show(uow, turn.services.context(turn.actor))
    # Reviewed from the start: the profile is shown first, its fields only from the menu.
    return w.Opening({PROFILE: asdict(shown), w.REVIEWED: True})


async def _save(turn: w.Turn, field: Field, value: str | None) -> w.Move:
    async with turn.services.uow() as uow:
        shown = await profiles.change(uow, turn.services.context(turn.actor), field, value)
    turn.draft[PROFILE] = asdict(shown)
    return None


def _saver(field: Field) -> w.Then:
    async def save(turn: w.Turn, text: str) -> w.Move:
        return await _save(turn, field, text)

    return save


def _clearer(field: Field) -> w.Action:
    async def clear(turn: w.Turn) -> w.Move:
        await turn.clear_buttons()
        return await _save(turn, field, None)

    return clear


def _field(field: Field, ask: str, clear: str = "") -> w.Step:
    """A field asked from the menu; `clear` labels the button that empties it."""
    rows = [[w.Button(clear, "clear", run=_clearer(field))]] if clear else []
    return w.Step(
        field.value,
        ask,
        text=str,
        then=_saver(field),
        buttons=rows,
        when=lambda draft: bool(draft.get(w.REVIEWED)),
    )


async def _done(turn: w.Turn) -> w.Move:
    return w.Finish(t.CLOSED)


def _summary(draft: w.Draft) -> str:
    return t.show(Profile(**draft[PROFILE]))


def _buttons(draft: w.Draft) -> w.Rows:
    return [[w.Button(t.EDIT, w.EDIT)], [w.Button(t.DONE, w.SEND)]]


FLOW = w.Flow(
    name="profile",
    title=t.TITLE,
    entries=[w.command("profil", _open)],
    restart=True,
    action=callbacks.PROFILE_FORM,
    steps=[
        _field(Field.NAME, t.ASK_NAME),
        _field(Field.NIP, t.ASK_NIP, t.CLEAR_NIP),
        _field(Field.POSITION, t.ASK_POSITION),
        _field(Field.RANK, t.ASK_RANK, t.CLEAR_RANK),
        _field(Field.PHONE, t.ASK_PHONE),
    ],
    summary=w.Summary(
        _summary,
        _done,
        send=t.DONE,
        cancel=t.DONE,
        hint=t.NEED_BUTTON,
        menu=w.Menu(t.EDIT, t.ASK_FIELD, t.FIELDS, t.BACK),
        buttons=_buttons,
    ),
    hint=t.NEED_TEXT,
    refusal=t.refusal,
    cancelled=t.CLOSED,
    timed_out=t.TIMED_OUT,
    lost=t.LOST,
    busy=t.BUSY,
    updated=t.SAVED,
    replace_summary=True,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent /profil conversation."""
    return w.build(FLOW, settings)
