"""The `/aduan` and `/catat_aduan` forms: a complaint (pengaduan) step by step.

`/aduan` is for everyone in a private chat: registered users file with their profile, anyone
else gives a name and a contact first. `/catat_aduan` lets an officer record a complaint that
came by phone, e-mail, website, Twitter, Instagram or in person.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.services import attachments, complaints
from bot.services.complaints import RECORDED_CHANNELS, Channel, ComplaintCategory, ComplaintDraft
from bot.services.errors import NotFound
from bot.texts import complaints as t

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only; kept from before the engine, so saved drafts survive).
RECORDING = "recording"
IDENTITY = "ask_identity"
FILES = "files"
CHANNELS = {channel: t.CHANNEL[channel] for channel in RECORDED_CHANNELS}
_When = Callable[[w.Draft], bool] | None


def _opening(recording: bool, intro: str, identity: w.Draft) -> w.Opening:
    fresh = {RECORDING: recording, "channel": Channel.BOT.value, "ticket": None}
    return w.Opening({**fresh, "confidential": False, **identity}, intro)


async def _file(turn: w.Turn) -> w.Opening:
    """Opens `/aduan`: with the profile for registered users, else asking name and contact."""
    async with turn.services.uow() as uow:
        known = await complaints.filing_start(uow, turn.services.context(turn.actor))
    identity = {"name": known.name, "contact": known.contact, IDENTITY: known.name is None}
    return _opening(False, t.START_FILE, identity)


async def _record(turn: w.Turn) -> w.Opening:
    """Opens `/catat_aduan` for officers."""
    async with turn.services.uow() as uow:
        await complaints.recording_start(uow, turn.services.context(turn.actor))
    return _opening(True, t.START_RECORD, {IDENTITY: True})


async def _ticket(turn: w.Turn, text: str) -> w.Move:
    """Takes a related ticket number the complainant may see; another number is asked again."""
    try:
        async with turn.services.uow() as uow:
            ctx = turn.services.context(turn.actor)
            turn.draft["ticket"] = await complaints.check_ticket(uow, ctx, text)
    except NotFound as error:
        return w.Stay(t.refusal(error))
    return None


async def _submit(turn: w.Turn) -> w.Move:
    draft = turn.draft
    complaint = ComplaintDraft(
        category=ComplaintCategory(draft["category"]),
        text=draft["text"],
        confidential=bool(draft["confidential"]),
        ticket_number=draft.get("ticket"),
        files=tuple(attachments.from_json(item) for item in draft[FILES]),
        complainant_name=draft.get("name"),
        complainant_contact=draft.get("contact"),
        channel=Channel(draft["channel"]),
    )
    submit = complaints.record_complaint if draft[RECORDING] else complaints.file_complaint
    async with turn.services.uow() as uow:
        view = await submit(uow, turn.services.context(turn.actor), complaint)
    log.info("complaint filed as %s", view.number)
    return w.Finish(t.receipt(view))


def _summary(draft: w.Draft) -> str:
    return t.summary(draft, bool(draft[RECORDING]))


async def _cancelled(turn: w.Turn) -> str:
    return t.RECORD_CANCELLED if turn.draft.get(RECORDING) else t.CANCELLED


def _choice(
    key: str, ask: str, label: str, options: Mapping[Any, str], when: _When = None
) -> w.Step:
    """A question answered with a button; the answer replaces the question."""
    echo = functools.partial(t.chosen, label)
    return w.Step(key, ask, t.NEED_BUTTON, buttons=w.column(options, echo), when=when)


def _yes_no() -> w.Rows:
    echo = functools.partial(t.chosen, t.CONFIDENTIAL_LABEL)
    return [[w.Button(t.YES, "yes", True, echo(t.YES))], [w.Button(t.NO, "no", False, echo(t.NO))]]


def _files() -> w.Step:
    """The attachments: photos and PDF, JPEG or PNG files, as many as a complaint holds."""
    ask, hint, done = t.ASK_FILES, t.NEED_FILE, (t.DONE, t.SKIP)
    kinds, most = attachments.LETTER_TYPES, complaints.FILES_MAX
    return w.collect_files(
        FILES, ask, hint, types=kinds, limit=most, received=t.file_received, buttons=done
    )


def _identity(draft: w.Draft) -> bool:
    return bool(draft.get(IDENTITY))


FLOW = w.Flow(
    "complaint",
    t.TITLE,
    [w.command("aduan", _file), w.command("catat_aduan", _record)],
    [
        _choice("channel", t.ASK_CHANNEL, t.CHANNEL_LABEL, CHANNELS, lambda d: d[RECORDING]),
        w.Step("name", t.ASK_NAME, text=complaints.clean_complainant_name, when=_identity),
        w.Step("contact", t.ASK_CONTACT, text=complaints.clean_contact, when=_identity),
        _choice("category", t.ASK_CATEGORY, t.CATEGORY_LABEL, t.CATEGORY),
        w.Step(
            "ticket", t.ASK_TICKET, text=str, then=_ticket, buttons=[[w.Button(t.SKIP, "skip")]]
        ),
        w.Step("text", t.ASK_TEXT, text=complaints.clean_text),
        _files(),
        w.Step("confidential", t.ASK_CONFIDENTIAL, t.NEED_BUTTON, buttons=_yes_no()),
    ],
    t.refusal,
    _cancelled,
    t.TIMED_OUT,
    t.DRAFT_LOST,
    t.BUSY,
    hint=t.NEED_TEXT,
    summary=w.Summary(_summary, _submit, t.SEND, t.CANCEL, t.NEED_BUTTON),
    action=callbacks.COMPLAINT_FORM,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent complaint filing conversation handler."""
    return w.build(FLOW, settings)
