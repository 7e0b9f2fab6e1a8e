"""The `/lapor` conversation: a reporter files a fault report step by step (procedure step 1)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import wizard as w
from bot.keyboards import report as kb
from bot.keyboards import tickets as ticket_keyboards
from bot.services import attachments, reporting, ticket_messages, tickets, users
from bot.services.container import Services
from bot.services.domain import Category, Impact
from bot.services.errors import DomainError
from bot.services.tickets import PHOTOS_MAX, ReportDraft
from bot.texts import report as t
from bot.texts import tickets as tt
from bot.texts.common import CATEGORY, IMPACT, esc

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only).
OPD = "opd"
DEFAULT_PHONE = "default_phone"
PHOTOS = "photos"
LETTER = "letter"
PHONE = "phone"


async def _open(turn: w.Turn) -> w.Opening:
    async with turn.services.uow() as uow:
        info = await reporting.reporter_info(uow, turn.services.context(turn.actor))
    values = {OPD: info.opd_name, DEFAULT_PHONE: info.phone, LETTER: None}
    return w.Opening(values, t.START.format(opd=esc(info.opd_name)))


async def _take_letter(turn: w.Turn, letter: dict[str, Any]) -> w.Move:
    turn.draft[LETTER] = letter
    await turn.say(t.LETTER_RECEIVED)
    return None


async def _take_phone(turn: w.Turn, raw: str) -> w.Move:
    """Takes a typed number, a shared contact's, or the profile's from its button."""
    default = turn.draft.get(DEFAULT_PHONE)
    phone = users.clean_phone(default if default and raw == t.use_phone(default) else raw)
    turn.draft[PHONE] = phone
    await turn.say(t.phone_noted(phone), kb.remove())
    return None


def _summary(draft: w.Draft) -> str:
    return t.summary(
        opd_name=draft[OPD],
        category=Category(draft["category"]),
        impact=Impact(draft["impact"]),
        location=draft["location"],
        description=draft["description"],
        photos=len(draft[PHOTOS]),
        letter=draft[LETTER] is not None,
        phone=draft[PHONE],
    )


async def _submit(turn: w.Turn) -> w.Move:
    draft, services = turn.draft, turn.services
    report = ReportDraft(
        category=Category(draft["category"]),
        impact=Impact(draft["impact"]),
        location=draft["location"],
        description=draft["description"],
        contact_phone=draft[PHONE],
        photos=tuple(attachments.from_json(item) for item in draft[PHOTOS]),
        letter=attachments.from_json(draft[LETTER]) if draft[LETTER] else None,
    )
    async with services.uow() as uow:
        view = await tickets.create_report(uow, services.context(turn.actor), report)
    log.info("fault report filed as %s", view.number)
    receipt = tt.receipt(view, services.settings.deadline_working_days)
    remember = functools.partial(_remember_receipt, services, view.id)
    return w.Finish(receipt, markup=ticket_keyboards.reporter(view), after=remember)


async def _remember_receipt(services: Services, ticket_id: int, chat_id: int, msg: int) -> None:
    """Records the receipt as a message about the ticket: a reply to it writes to the ticket."""
    async with services.uow() as uow:
        await ticket_messages.remember_direct(uow, ticket_id, chat_id, msg)


def _input_error(file_type: str = t.PHOTO_FILE_TYPE) -> Callable[[DomainError], str]:
    return lambda error: t.input_error(error, file_type)


def _choice(key: str, ask: str, options: Mapping[Any, str], label: str) -> w.Step:
    """A question answered with one button per option; the answer replaces the question."""
    echo = functools.partial(t.chosen, label)
    return w.Step(key, ask, t.NEED_BUTTON, buttons=w.column(options, echo))


FLOW = w.Flow(
    name="report",
    title=t.TITLE,
    entries=[w.command("lapor", _open)],
    action=callbacks.REPORT,
    steps=[
        _choice("category", t.ASK_CATEGORY, CATEGORY, t.CATEGORY_LABEL),
        _choice("impact", t.ASK_IMPACT, IMPACT, t.IMPACT_LABEL),
        w.Step("location", t.ASK_LOCATION, text=tickets.clean_location),
        w.Step("description", t.ASK_DESCRIPTION, text=tickets.clean_description),
        w.collect_files(
            PHOTOS,
            t.ASK_PHOTOS,
            t.NEED_PHOTO,
            types=attachments.IMAGE_TYPES,
            limit=PHOTOS_MAX,
            received=t.photo_received,
            buttons=(t.PHOTOS_DONE, t.PHOTOS_SKIP),
            # New photos replace the old ones: the simplest rule for a reporter to predict.
            reopen=t.ASK_PHOTOS_AGAIN,
        ),
        w.Step(
            LETTER,
            t.ASK_LETTER,
            t.NEED_LETTER,
            buttons=[[w.Button(t.LETTER_LATER, "later", None, t.LETTER_FOLLOWS_NOTE)]],
            files=attachments.LETTER_TYPES,
            then=_take_letter,
            errors=_input_error(t.LETTER_FILE_TYPE),
        ),
        w.Step(
            PHONE,
            t.ASK_PHONE,
            t.NEED_PHONE,
            text=str,
            contact=lambda contact, actor: contact.phone_number,
            then=_take_phone,
            keyboard=lambda draft: kb.phone(draft.get(DEFAULT_PHONE)),
        ),
    ],
    summary=w.Summary(
        _summary,
        _submit,
        send=t.SEND,
        cancel=t.CANCEL,
        hint=t.NEED_SUMMARY,
        menu=w.Menu(t.EDIT, t.ASK_EDIT, t.EDIT_FIELDS, t.BACK),
    ),
    hint=t.NEED_TEXT,
    refusal=t.start_refusal,
    errors=_input_error(),
    cancelled=t.CANCELLED,
    timed_out=t.TIMED_OUT,
    reply_keyboard=True,
    lost=t.DRAFT_LOST,
    busy=t.BUSY,
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent `/lapor` conversation handler."""
    return w.build(FLOW, settings)
