"""The `/lapor` conversation: a reporter files a fault report step by step (procedure step 1).

The draft lives in `user_data` as plain JSON data, so the persistence keeps a half-filled
report across a restart.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Collection, Coroutine
from enum import IntEnum
from typing import Any

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
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
from bot.context import BotContext, actor_of
from bot.keyboards import report as kb
from bot.services import attachments, reporting, tickets, users
from bot.services.domain import Category, FileRef, Impact
from bot.services.errors import DomainError, InvalidInput
from bot.services.tickets import ReportDraft
from bot.texts import report as t
from bot.texts import tickets as tt
from bot.texts.common import CATEGORY, IMPACT, esc, refusal

log = logging.getLogger(__name__)

END = ConversationHandler.END
DRAFT = "report"
# Keys of the draft in user_data (JSON values only).
NONCE = "nonce"
OPD = "opd"
DEFAULT_PHONE = "default_phone"
CATEGORY_KEY = "category"
IMPACT_KEY = "impact"
LOCATION = "location"
DESCRIPTION = "description"
PHOTOS = "photos"
LETTER = "letter"
PHONE = "phone"
EDITING = "editing"

Draft = dict[str, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
StepResult = int | None
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, StepResult]]
DraftCallback = Callable[[Update, BotContext, Draft], Coroutine[Any, Any, StepResult]]


class Step(IntEnum):
    """The conversation's states, in the order the reporter meets them."""

    CATEGORY = 1
    IMPACT = 2
    LOCATION = 3
    DESCRIPTION = 4
    PHOTOS = 5
    LETTER = 6
    PHONE = 7
    SUMMARY = 8


EDIT_TARGETS = {
    "cat": Step.CATEGORY,
    "imp": Step.IMPACT,
    "loc": Step.LOCATION,
    "desc": Step.DESCRIPTION,
    "pho": Step.PHOTOS,
    "let": Step.LETTER,
    "tel": Step.PHONE,
}


# --- plumbing --------------------------------------------------------------------------------


def _chat(update: Update) -> Chat:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat


def _message(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("update without a message")
    return message


async def _say(update: Update, text: str, markup: Markup | None = None) -> None:
    await _chat(update).send_message(text, reply_markup=markup)


def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


def _forget(context: BotContext) -> None:
    _user_data(context).pop(DRAFT, None)


def _with_draft(func: DraftCallback) -> Callback:
    """Hands the draft to a step; a state without its draft (lost data) ends politely."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> StepResult:
        draft = _user_data(context).get(DRAFT)
        if not isinstance(draft, dict):
            if update.callback_query is not None:
                await update.callback_query.answer()
            await _say(update, t.DRAFT_LOST, kb.remove())
            return END
        return await func(update, context, draft)

    return wrapper


async def _pressed(
    update: Update, draft: Draft, action: str, choices: Collection[str]
) -> str | None:
    """Returns the choice of a pressed button of this report; answers stale ones itself."""
    query = update.callback_query
    if query is None:
        return None
    try:
        nonce, _, choice = callbacks.parse(query.data, action).partition("_")
    except callbacks.BadCallback:
        nonce, choice = "", ""
    if nonce != draft.get(NONCE) or choice not in choices:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return None
    await query.answer()
    return choice


def _summary_text(draft: Draft) -> str:
    return t.summary(
        opd_name=draft[OPD],
        category=Category(draft[CATEGORY_KEY]),
        impact=Impact(draft[IMPACT_KEY]),
        location=draft[LOCATION],
        description=draft[DESCRIPTION],
        photos=len(draft[PHOTOS]),
        letter=draft[LETTER] is not None,
        phone=draft[PHONE],
    )


def _prompt_of(draft: Draft, step: Step) -> tuple[str, Markup | None]:
    nonce = str(draft[NONCE])
    match step:
        case Step.CATEGORY:
            return t.ASK_CATEGORY, kb.categories(nonce)
        case Step.IMPACT:
            return t.ASK_IMPACT, kb.impacts(nonce)
        case Step.LOCATION:
            return t.ASK_LOCATION, None
        case Step.DESCRIPTION:
            return t.ASK_DESCRIPTION, None
        case Step.PHOTOS:
            return t.ASK_PHOTOS, kb.photos(nonce, len(draft[PHOTOS]))
        case Step.LETTER:
            return t.ASK_LETTER, kb.letter(nonce)
        case Step.PHONE:
            return t.ASK_PHONE, kb.phone(draft.get(DEFAULT_PHONE))
        case Step.SUMMARY:
            return _summary_text(draft), kb.summary(nonce)


async def _prompt(update: Update, draft: Draft, step: Step, hint: str = "") -> int:
    """Asks for a step (after a hint about what went wrong) and enters its state."""
    text, markup = _prompt_of(draft, step)
    await _say(update, f"{hint}\n\n{text}" if hint else text, markup)
    return step


async def _advance(update: Update, draft: Draft, step: Step) -> int:
    """Goes on to the next step, or back to the summary when one field was being changed."""
    if draft.get(EDITING):
        draft[EDITING] = False
        return await _prompt(update, draft, Step.SUMMARY)
    return await _prompt(update, draft, step)


def _reprompt(step: Step, hint: str) -> Callback:
    """Returns the handler that answers wrong input at a step with a hint and the question."""

    @_with_draft
    async def reprompt(update: Update, context: BotContext, draft: Draft) -> StepResult:
        return await _prompt(update, draft, step, hint)

    return reprompt


def _photo_ref(message: Message) -> FileRef:
    size = message.photo[-1]
    return attachments.photo(size.file_id, size.file_unique_id, size.file_size)


def _document_ref(message: Message, allowed: frozenset[str]) -> FileRef:
    document = message.document
    if document is None:
        raise ValueError("message without a document")
    return attachments.document(
        document.file_id,
        document.file_unique_id,
        document.mime_type,
        document.file_name,
        document.file_size,
        allowed=allowed,
    )


# --- entry, cancel, timeout ------------------------------------------------------------------


async def start_report(update: Update, context: BotContext) -> StepResult:
    """Starts a report for a registered reporter; everyone else gets the refusal."""
    services = context.services
    try:
        async with services.uow() as uow:
            info = await reporting.reporter_info(uow, actor_of(update))
    except DomainError as error:
        await _say(update, t.start_refusal(error))
        return END
    draft: Draft = {
        NONCE: secrets.token_hex(3),
        OPD: info.opd_name,
        DEFAULT_PHONE: info.phone,
        PHOTOS: [],
        LETTER: None,
        EDITING: False,
    }
    _user_data(context)[DRAFT] = draft
    await _say(update, t.START.format(opd=esc(info.opd_name)))
    return await _prompt(update, draft, Step.CATEGORY)


async def cancel_report(update: Update, context: BotContext) -> StepResult:
    """Drops the draft on /batal."""
    _forget(context)
    await _say(update, t.CANCELLED, kb.remove())
    return END


async def refuse_command(update: Update, context: BotContext) -> StepResult:
    """Answers other commands while a report is being filled."""
    await _say(update, t.BUSY)
    return None


async def refuse_stale_button(update: Update, context: BotContext) -> StepResult:
    """Answers a button from an earlier report or an earlier step; nothing changes."""
    if update.callback_query is not None:
        await update.callback_query.answer(t.STALE_BUTTON, show_alert=True)
    return None


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the reporter the unfinished report was dropped after the timeout."""
    _forget(context)
    if update.effective_user is not None:
        # A job, not an update, runs this: PTB would not save the emptied user_data by itself.
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await _say(update, t.TIMED_OUT, kb.remove())


# --- steps -----------------------------------------------------------------------------------


@_with_draft
async def choose_category(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the fault category."""
    choice = await _pressed(update, draft, callbacks.REPORT_CATEGORY, set(Category))
    if choice is None or update.callback_query is None:
        return None
    category = Category(choice)
    draft[CATEGORY_KEY] = category.value
    await update.callback_query.edit_message_text(t.chosen(t.CATEGORY_LABEL, CATEGORY[category]))
    return await _advance(update, draft, Step.IMPACT)


@_with_draft
async def choose_impact(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records how much of the office is affected."""
    choice = await _pressed(update, draft, callbacks.REPORT_IMPACT, set(Impact))
    if choice is None or update.callback_query is None:
        return None
    impact = Impact(choice)
    draft[IMPACT_KEY] = impact.value
    await update.callback_query.edit_message_text(t.chosen(t.IMPACT_LABEL, IMPACT[impact]))
    return await _advance(update, draft, Step.LOCATION)


@_with_draft
async def take_location(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the location inside the OPD."""
    try:
        draft[LOCATION] = tickets.clean_location(_message(update).text or "")
    except InvalidInput as error:
        await _say(update, t.input_error(error))
        return None
    return await _advance(update, draft, Step.DESCRIPTION)


@_with_draft
async def take_description(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the description of the fault."""
    try:
        draft[DESCRIPTION] = tickets.clean_description(_message(update).text or "")
    except InvalidInput as error:
        await _say(update, t.input_error(error))
        return None
    return await _advance(update, draft, Step.PHOTOS)


async def _add_photo(update: Update, draft: Draft, read: Callable[[], FileRef]) -> StepResult:
    photos = [attachments.from_json(item) for item in draft[PHOTOS]]
    try:
        photos = list(attachments.add_photo(photos, read()))
    except InvalidInput as error:
        await _say(update, t.input_error(error), kb.photos(draft[NONCE], len(photos)))
        return None
    draft[PHOTOS] = [attachments.to_json(ref) for ref in photos]
    await _say(update, t.photo_received(len(photos)), kb.photos(draft[NONCE], len(photos)))
    return None


@_with_draft
async def take_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds a photo message to the report."""
    return await _add_photo(update, draft, lambda: _photo_ref(_message(update)))


@_with_draft
async def take_photo_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds an image sent as a file (JPEG/PNG) to the report."""
    message = _message(update)
    return await _add_photo(update, draft, lambda: _document_ref(message, attachments.IMAGE_TYPES))


@_with_draft
async def finish_photos(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Ends the photo step (with or without photos)."""
    choice = await _pressed(update, draft, callbacks.REPORT_PHOTOS_DONE, {kb.PHOTOS_DONE})
    if choice is None or update.callback_query is None:
        return None
    await update.callback_query.edit_message_reply_markup(None)
    return await _advance(update, draft, Step.LETTER)


async def _set_letter(update: Update, draft: Draft, read: Callable[[], FileRef]) -> StepResult:
    try:
        draft[LETTER] = attachments.to_json(read())
    except InvalidInput as error:
        await _say(update, t.input_error(error, t.LETTER_FILE_TYPE), kb.letter(draft[NONCE]))
        return None
    await _say(update, t.LETTER_RECEIVED)
    return await _advance(update, draft, Step.PHONE)


@_with_draft
async def take_letter_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Attaches a photo of the request letter."""
    return await _set_letter(update, draft, lambda: _photo_ref(_message(update)))


@_with_draft
async def take_letter_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Attaches the request letter sent as a PDF, JPEG or PNG file."""
    message = _message(update)
    return await _set_letter(
        update, draft, lambda: _document_ref(message, attachments.LETTER_TYPES)
    )


@_with_draft
async def letter_follows(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Marks the request letter as following later."""
    choice = await _pressed(update, draft, callbacks.REPORT_LETTER_LATER, {kb.LETTER_LATER})
    if choice is None or update.callback_query is None:
        return None
    draft[LETTER] = None
    await update.callback_query.edit_message_text(t.LETTER_FOLLOWS_NOTE)
    return await _advance(update, draft, Step.PHONE)


async def _set_phone(update: Update, draft: Draft, raw: str) -> StepResult:
    try:
        draft[PHONE] = users.clean_phone(raw)
    except InvalidInput as error:
        await _say(update, t.input_error(error), kb.phone(draft.get(DEFAULT_PHONE)))
        return None
    await _say(update, t.phone_noted(draft[PHONE]), kb.remove())
    return await _advance(update, draft, Step.SUMMARY)


@_with_draft
async def take_phone(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a typed phone number, or the profile's number from its button."""
    text = _message(update).text or ""
    default = draft.get(DEFAULT_PHONE)
    raw = default if default and text == t.use_phone(default) else text
    return await _set_phone(update, draft, raw)


@_with_draft
async def take_contact(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the phone number of a shared contact."""
    contact = _message(update).contact
    return await _set_phone(update, draft, contact.phone_number if contact else "")


@_with_draft
async def act_on_summary(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Sends, opens the field menu for, or cancels the report."""
    choice = await _pressed(update, draft, callbacks.REPORT_SUMMARY, {kb.SEND, kb.EDIT, kb.CANCEL})
    query = update.callback_query
    if choice is None or query is None:
        return None
    if choice == kb.EDIT:
        await query.edit_message_text(t.ASK_EDIT, reply_markup=kb.edit_fields(draft[NONCE]))
        return None
    await query.edit_message_reply_markup(None)
    if choice == kb.CANCEL:
        _forget(context)
        await _say(update, t.CANCELLED)
        return END
    return await _submit(update, context, draft)


async def _submit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    report = ReportDraft(
        category=Category(draft[CATEGORY_KEY]),
        impact=Impact(draft[IMPACT_KEY]),
        location=draft[LOCATION],
        description=draft[DESCRIPTION],
        contact_phone=draft[PHONE],
        photos=tuple(attachments.from_json(item) for item in draft[PHOTOS]),
        letter=attachments.from_json(draft[LETTER]) if draft[LETTER] else None,
    )
    services = context.services
    try:
        async with services.uow() as uow:
            view = await tickets.create_report(
                uow,
                actor_of(update),
                report,
                now=services.now(),
                calendar=services.calendar,
                settings=services.settings,
            )
    except DomainError as error:
        _forget(context)
        await _say(update, refusal(error))
        return END
    _forget(context)
    log.info("fault report filed as %s", view.number)
    await _say(update, tt.receipt(view, services.settings.deadline_working_days))
    return END


@_with_draft
async def choose_field(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Opens one field for change, or goes back to the summary."""
    choice = await _pressed(update, draft, callbacks.REPORT_EDIT, {*EDIT_TARGETS, kb.BACK})
    query = update.callback_query
    if choice is None or query is None:
        return None
    if choice == kb.BACK:
        await query.edit_message_text(_summary_text(draft), reply_markup=kb.summary(draft[NONCE]))
        return None
    await query.edit_message_reply_markup(None)
    draft[EDITING] = True
    step = EDIT_TARGETS[choice]
    if step is Step.PHOTOS:
        # New photos replace the old ones: the simplest rule for a reporter to predict.
        draft[PHOTOS] = []
        return await _prompt(update, draft, step, t.ASK_PHOTOS_AGAIN)
    return await _prompt(update, draft, step)


# --- the handler -----------------------------------------------------------------------------


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent `/lapor` conversation handler."""
    new = filters.UpdateType.MESSAGE
    text = new & filters.TEXT & ~filters.COMMAND
    other = new & ~filters.COMMAND
    photo = new & filters.PHOTO
    document = new & filters.Document.ALL
    any_report_button = rf"^{callbacks.VERSION}:{callbacks.REPORT_PREFIX}"

    def button(callback: Callback, action: str) -> BaseHandler[Update, Any, object]:
        return CallbackQueryHandler(callback, pattern=callbacks.pattern(action))

    states: dict[object, list[BaseHandler[Update, Any, object]]] = {
        Step.CATEGORY: [
            button(choose_category, callbacks.REPORT_CATEGORY),
            MessageHandler(other, _reprompt(Step.CATEGORY, t.NEED_BUTTON)),
        ],
        Step.IMPACT: [
            button(choose_impact, callbacks.REPORT_IMPACT),
            MessageHandler(other, _reprompt(Step.IMPACT, t.NEED_BUTTON)),
        ],
        Step.LOCATION: [
            MessageHandler(text, take_location),
            MessageHandler(other, _reprompt(Step.LOCATION, t.NEED_TEXT)),
        ],
        Step.DESCRIPTION: [
            MessageHandler(text, take_description),
            MessageHandler(other, _reprompt(Step.DESCRIPTION, t.NEED_TEXT)),
        ],
        Step.PHOTOS: [
            MessageHandler(photo, take_photo),
            MessageHandler(document, take_photo_document),
            button(finish_photos, callbacks.REPORT_PHOTOS_DONE),
            MessageHandler(other, _reprompt(Step.PHOTOS, t.NEED_PHOTO)),
        ],
        Step.LETTER: [
            MessageHandler(photo, take_letter_photo),
            MessageHandler(document, take_letter_document),
            button(letter_follows, callbacks.REPORT_LETTER_LATER),
            MessageHandler(other, _reprompt(Step.LETTER, t.NEED_LETTER)),
        ],
        Step.PHONE: [
            MessageHandler(new & filters.CONTACT, take_contact),
            MessageHandler(text, take_phone),
            MessageHandler(other, _reprompt(Step.PHONE, t.NEED_PHONE)),
        ],
        Step.SUMMARY: [
            button(act_on_summary, callbacks.REPORT_SUMMARY),
            button(choose_field, callbacks.REPORT_EDIT),
            MessageHandler(other, _reprompt(Step.SUMMARY, t.NEED_SUMMARY)),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    return ConversationHandler(
        entry_points=[
            CommandHandler("lapor", start_report, filters=filters.ChatType.PRIVATE),
            # Buttons of a finished report: refused here, since no conversation is running.
            CallbackQueryHandler(refuse_stale_button, pattern=any_report_button),
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel_report),
            MessageHandler(filters.COMMAND, refuse_command),
            CallbackQueryHandler(refuse_stale_button, pattern=any_report_button),
        ],
        name="report",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
