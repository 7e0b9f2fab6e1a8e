"""The `/aduan` and `/catat_aduan` conversations: a complaint (pengaduan) step by step.

`/aduan` is for everyone in a private chat: registered users file with their profile, anyone
else gives a name and a contact first. `/catat_aduan` lets an officer record a complaint that
came by phone, e-mail, website, Twitter, Instagram or in person. The draft lives in
`user_data` as plain JSON data, so the persistence keeps it across a restart; every inline
button carries the draft's nonce, so buttons of an earlier form are stale.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Coroutine
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks
from bot.config import Settings
from bot.context import BotContext, use_case
from bot.keyboards import complaints as kb
from bot.services import attachments, complaints
from bot.services.complaints import Channel, ComplaintCategory, ComplaintDraft
from bot.services.domain import FileRef
from bot.services.errors import DomainError, InvalidInput
from bot.texts import complaints as t

log = logging.getLogger(__name__)

END = ConversationHandler.END
DRAFT = "complaint"
Draft = dict[str, Any]
StepResult = int | None
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, StepResult]]
DraftCallback = Callable[[Update, BotContext, Draft], Coroutine[Any, Any, StepResult]]


class Step(IntEnum):
    """The conversation's states, in the order they are met."""

    CHANNEL = 1
    NAME = 2
    CONTACT = 3
    CATEGORY = 4
    TICKET = 5
    TEXT = 6
    FILES = 7
    CONFIDENTIAL = 8
    SUMMARY = 9


# --- plumbing -----------------------------------------------------------------------------


def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


def _message(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("update without a message")
    return message


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    await chat.send_message(text, reply_markup=markup)


def _forget(context: BotContext) -> None:
    _user_data(context).pop(DRAFT, None)


def _with_draft(func: DraftCallback) -> Callback:
    """Hands the draft to a step; a state without its draft ends politely."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> StepResult:
        draft = _user_data(context).get(DRAFT)
        if not isinstance(draft, dict):
            if update.callback_query is not None:
                await update.callback_query.answer()
            await _say(update, t.DRAFT_LOST)
            return END
        return await func(update, context, draft)

    return wrapper


def _steps(draft: Draft) -> list[Step]:
    steps = [Step.CHANNEL] if draft["recording"] else []
    if draft.get("ask_identity"):
        steps += [Step.NAME, Step.CONTACT]
    return [*steps, Step.CATEGORY, Step.TICKET, Step.TEXT, Step.FILES, Step.CONFIDENTIAL]


def _next(draft: Draft, step: Step) -> Step:
    steps = _steps(draft)
    index = steps.index(step) + 1
    return steps[index] if index < len(steps) else Step.SUMMARY


def _prompt_of(draft: Draft, step: Step) -> tuple[str, InlineKeyboardMarkup | None]:
    nonce = str(draft["nonce"])
    match step:
        case Step.CHANNEL:
            return t.ASK_CHANNEL, kb.channels(nonce)
        case Step.NAME:
            return t.ASK_NAME, None
        case Step.CONTACT:
            return t.ASK_CONTACT, None
        case Step.CATEGORY:
            return t.ASK_CATEGORY, kb.categories(nonce)
        case Step.TICKET:
            return t.ASK_TICKET, kb.skip(nonce)
        case Step.TEXT:
            return t.ASK_TEXT, None
        case Step.FILES:
            return t.ASK_FILES, kb.files(nonce, len(draft["files"]))
        case Step.CONFIDENTIAL:
            return t.ASK_CONFIDENTIAL, kb.confidential(nonce)
        case Step.SUMMARY:
            return t.summary(draft, bool(draft["recording"])), kb.summary(nonce)


async def _prompt(update: Update, draft: Draft, step: Step, hint: str = "") -> int:
    """Asks for a step (after a hint about what went wrong) and enters its state."""
    text, markup = _prompt_of(draft, step)
    await _say(update, f"{hint}\n\n{text}" if hint else text, markup)
    return step


async def _pressed(update: Update, draft: Draft, action: str, choices: set[str]) -> str | None:
    """Returns the choice of a pressed button of this form; answers stale ones itself."""
    query = update.callback_query
    if query is None:
        return None
    try:
        nonce, _, choice = callbacks.parse(query.data, action).partition("_")
    except callbacks.BadCallback:
        nonce, choice = "", ""
    if nonce != draft.get("nonce") or choice not in choices:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return None
    await query.answer()
    return choice


def _reprompt(step: Step, hint: str) -> Callback:
    """Returns the handler that answers wrong input at a step with a hint and the question."""

    @_with_draft
    async def reprompt(update: Update, context: BotContext, draft: Draft) -> StepResult:
        return await _prompt(update, draft, step, hint)

    return reprompt


# --- entry, cancel, timeout ---------------------------------------------------------------


def _new_draft(recording: bool) -> Draft:
    return {
        "nonce": secrets.token_hex(3),
        "recording": recording,
        "channel": Channel.BOT.value,
        "files": [],
        "ticket": None,
        "confidential": False,
    }


async def start_filing(update: Update, context: BotContext) -> StepResult:
    """Starts `/aduan`: with the profile for registered users, else asking name and contact."""
    try:
        async with context.services.uow() as uow:
            known = await complaints.filing_start(uow, use_case(update, context))
    except DomainError as error:
        await _say(update, t.refusal(error))
        return END
    draft = _new_draft(recording=False)
    draft["name"], draft["contact"] = known.name, known.contact
    draft["ask_identity"] = known.name is None
    _user_data(context)[DRAFT] = draft
    await _say(update, t.START_FILE)
    return await _prompt(update, draft, _steps(draft)[0])


async def start_recording(update: Update, context: BotContext) -> StepResult:
    """Starts `/catat_aduan` for officers."""
    try:
        async with context.services.uow() as uow:
            await complaints.recording_start(uow, use_case(update, context))
    except DomainError as error:
        await _say(update, t.refusal(error))
        return END
    draft = _new_draft(recording=True)
    draft["ask_identity"] = True
    _user_data(context)[DRAFT] = draft
    await _say(update, t.START_RECORD)
    return await _prompt(update, draft, Step.CHANNEL)


@_with_draft
async def cancel(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Drops the draft on /batal."""
    _forget(context)
    await _say(update, t.RECORD_CANCELLED if draft["recording"] else t.CANCELLED)
    return END


async def refuse_command(update: Update, context: BotContext) -> StepResult:
    """Answers other commands while a complaint is being filled."""
    await _say(update, t.BUSY)
    return None


async def refuse_stale_button(update: Update, context: BotContext) -> StepResult:
    """Answers a button of an earlier form or step; nothing changes."""
    if update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)
    return None


async def refuse_stale_outside(update: Update, context: BotContext) -> StepResult:
    """Answers a form button pressed when no form runs (END: no timeout for nothing)."""
    await refuse_stale_button(update, context)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the user the unfinished complaint was dropped after the timeout."""
    _forget(context)
    if update.effective_user is not None:
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await _say(update, t.TIMED_OUT)


# --- steps --------------------------------------------------------------------------------


async def _choose(
    update: Update, draft: Draft, step: Step, key: str, labels: dict[Any, str], label: str
) -> StepResult:
    choice = await _pressed(update, draft, callbacks.COMPLAINT_FORM, {k.value for k in labels})
    if choice is None or update.callback_query is None:
        return None
    draft[key] = choice
    value = next(v for k, v in labels.items() if k.value == choice)
    await update.callback_query.edit_message_text(t.chosen(label, value))
    return await _prompt(update, draft, _next(draft, step))


@_with_draft
async def choose_channel(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the channel the complaint came through (recording only)."""
    channels = {c: t.CHANNEL[c] for c in complaints.RECORDED_CHANNELS}
    return await _choose(update, draft, Step.CHANNEL, "channel", channels, "Saluran")


@_with_draft
async def choose_category(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the complaint category."""
    return await _choose(update, draft, Step.CATEGORY, "category", t.CATEGORY, "Jenis pengaduan")


async def _take_text(
    update: Update, draft: Draft, step: Step, key: str, clean: Callable[[str], str]
) -> StepResult:
    try:
        draft[key] = clean(_message(update).text or "")
    except InvalidInput as error:
        await _say(update, t.refusal(error))
        return None
    return await _prompt(update, draft, _next(draft, step))


@_with_draft
async def take_name(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the complainant's name."""
    return await _take_text(update, draft, Step.NAME, "name", complaints.clean_complainant_name)


@_with_draft
async def take_contact(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the complainant's phone number or e-mail address."""
    return await _take_text(update, draft, Step.CONTACT, "contact", complaints.clean_contact)


@_with_draft
async def take_text(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the complaint text."""
    return await _take_text(update, draft, Step.TEXT, "text", complaints.clean_text)


@_with_draft
async def take_ticket(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a related ticket number the user may see."""
    try:
        async with context.services.uow() as uow:
            draft["ticket"] = await complaints.check_ticket(
                uow, use_case(update, context), _message(update).text or ""
            )
    except DomainError as error:
        await _say(update, t.refusal(error), kb.skip(draft["nonce"]))
        return None
    return await _prompt(update, draft, _next(draft, Step.TICKET))


@_with_draft
async def skip_ticket(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Goes on without a related ticket."""
    if await _pressed(update, draft, callbacks.COMPLAINT_FORM, {kb.SKIP}) is None:
        return None
    draft["ticket"] = None
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)
    return await _prompt(update, draft, _next(draft, Step.TICKET))


async def _add_file(update: Update, draft: Draft, read: Callable[[], FileRef]) -> StepResult:
    files = [attachments.from_json(item) for item in draft["files"]]
    try:
        files = list(attachments.add_photo(files, read()))
    except InvalidInput as error:
        await _say(update, t.refusal(error), kb.files(draft["nonce"], len(files)))
        return None
    draft["files"] = [attachments.to_json(ref) for ref in files]
    await _say(update, t.file_received(len(files)), kb.files(draft["nonce"], len(files)))
    return None


@_with_draft
async def take_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds a photo."""
    message = _message(update)
    size = message.photo[-1]
    return await _add_file(
        update, draft, lambda: attachments.photo(size.file_id, size.file_unique_id, size.file_size)
    )


@_with_draft
async def take_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds a PDF, JPEG or PNG file."""
    document = _message(update).document
    if document is None:
        return None
    return await _add_file(
        update,
        draft,
        lambda: attachments.document(
            document.file_id,
            document.file_unique_id,
            document.mime_type,
            document.file_name,
            document.file_size,
            allowed=attachments.LETTER_TYPES,
        ),
    )


@_with_draft
async def finish_files(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Ends the attachment step."""
    if await _pressed(update, draft, callbacks.COMPLAINT_FORM, {kb.DONE}) is None:
        return None
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)
    return await _prompt(update, draft, _next(draft, Step.FILES))


@_with_draft
async def choose_confidential(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records whether the complainant's identity stays hidden from the technicians."""
    choice = await _pressed(update, draft, callbacks.COMPLAINT_FORM, {kb.YES, kb.NO})
    if choice is None or update.callback_query is None:
        return None
    draft["confidential"] = choice == kb.YES
    label = t.YES if draft["confidential"] else t.NO
    await update.callback_query.edit_message_text(t.chosen("Kerahasiaan", label))
    return await _prompt(update, draft, Step.SUMMARY)


@_with_draft
async def act_on_summary(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Sends or cancels the complaint."""
    choice = await _pressed(update, draft, callbacks.COMPLAINT_SEND, {kb.SEND, kb.CANCEL})
    query = update.callback_query
    if choice is None or query is None:
        return None
    await query.edit_message_reply_markup(None)
    _forget(context)
    if choice == kb.CANCEL:
        await _say(update, t.RECORD_CANCELLED if draft["recording"] else t.CANCELLED)
        return END
    complaint = ComplaintDraft(
        category=ComplaintCategory(draft["category"]),
        text=draft["text"],
        confidential=bool(draft["confidential"]),
        ticket_number=draft.get("ticket"),
        files=tuple(attachments.from_json(item) for item in draft["files"]),
        complainant_name=draft.get("name"),
        complainant_contact=draft.get("contact"),
        channel=Channel(draft["channel"]),
    )
    submit = complaints.record_complaint if draft["recording"] else complaints.file_complaint
    try:
        async with context.services.uow() as uow:
            view = await submit(uow, use_case(update, context), complaint)
    except DomainError as error:
        await _say(update, t.refusal(error))
        return END
    log.info("complaint filed as %s", view.number)
    await _say(update, t.receipt(view))
    return END


# --- the handler --------------------------------------------------------------------------


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent complaint filing conversation handler."""
    new = filters.UpdateType.MESSAGE
    text = new & filters.TEXT & ~filters.COMMAND
    other = new & ~filters.COMMAND
    private = filters.ChatType.PRIVATE
    form_buttons = (
        rf"^{callbacks.VERSION}:({callbacks.COMPLAINT_FORM}|{callbacks.COMPLAINT_SEND}):"
    )

    def form(callback: Callback) -> BaseHandler[Update, Any, object]:
        return CallbackQueryHandler(callback, pattern=callbacks.pattern(callbacks.COMPLAINT_FORM))

    states: dict[object, list[BaseHandler[Update, Any, object]]] = {
        Step.CHANNEL: [
            form(choose_channel),
            MessageHandler(other, _reprompt(Step.CHANNEL, t.NEED_BUTTON)),
        ],
        Step.NAME: [
            MessageHandler(text, take_name),
            MessageHandler(other, _reprompt(Step.NAME, t.NEED_TEXT)),
        ],
        Step.CONTACT: [
            MessageHandler(text, take_contact),
            MessageHandler(other, _reprompt(Step.CONTACT, t.NEED_TEXT)),
        ],
        Step.CATEGORY: [
            form(choose_category),
            MessageHandler(other, _reprompt(Step.CATEGORY, t.NEED_BUTTON)),
        ],
        Step.TICKET: [
            MessageHandler(text, take_ticket),
            form(skip_ticket),
            MessageHandler(other, _reprompt(Step.TICKET, t.NEED_TEXT)),
        ],
        Step.TEXT: [
            MessageHandler(text, take_text),
            MessageHandler(other, _reprompt(Step.TEXT, t.NEED_TEXT)),
        ],
        Step.FILES: [
            MessageHandler(new & filters.PHOTO, take_photo),
            MessageHandler(new & filters.Document.ALL, take_document),
            form(finish_files),
            MessageHandler(other, _reprompt(Step.FILES, t.NEED_FILE)),
        ],
        Step.CONFIDENTIAL: [
            form(choose_confidential),
            MessageHandler(other, _reprompt(Step.CONFIDENTIAL, t.NEED_BUTTON)),
        ],
        Step.SUMMARY: [
            CallbackQueryHandler(
                act_on_summary, pattern=callbacks.pattern(callbacks.COMPLAINT_SEND)
            ),
            MessageHandler(other, _reprompt(Step.SUMMARY, t.NEED_BUTTON)),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    return ConversationHandler(
        entry_points=[
            CommandHandler("aduan", start_filing, filters=private),
            CommandHandler("catat_aduan", start_recording, filters=private),
            CallbackQueryHandler(refuse_stale_outside, pattern=form_buttons),
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel),
            MessageHandler(filters.COMMAND, refuse_command),
            CallbackQueryHandler(refuse_stale_button, pattern=form_buttons),
        ],
        name="complaint",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
