"""Registration of OPD staff through an invite deep link (`/start TOKEN`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from enum import IntEnum
from typing import Any

from telegram import Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
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
from bot.keyboards import registration as keyboards
from bot.services import users
from bot.services.errors import DomainError, InvalidInput
from bot.texts import common as tc
from bot.texts import registration as t

DRAFT_KEY = "registration"
END = ConversationHandler.END


class Step(IntEnum):
    """The questions of the registration, in order, then the summary."""

    NAME = 1
    PHONE = 2
    NIP = 3
    POSITION = 4
    CONFIRM = 5


_NEXT = {Step.NAME: Step.PHONE, Step.PHONE: Step.NIP, Step.NIP: Step.POSITION}
_FIELD_STEP = {"name": Step.NAME, "phone": Step.PHONE, "nip": Step.NIP, "position": Step.POSITION}
_ACTIONS = (
    callbacks.REG_CONFIRM,
    callbacks.REG_EDIT,
    callbacks.REG_FIELD,
    callbacks.REG_BACK,
    callbacks.REG_CANCEL,
)
_ANY_ACTION = rf"^{callbacks.VERSION}:({'|'.join(map(re.escape, _ACTIONS))}):"
# Only `/start TOKEN` (an invite deep link) starts the conversation; a bare /start is greeted
# by the common handlers.
_START_WITH_TOKEN = re.compile(r"^/start(@\w+)?\s+(?!(?:adu|mr|rr)_)\S+")


# --- the draft (JSON only: persistence stores it in the database) ------------------------------


def _draft(context: BotContext) -> dict[str, Any] | None:
    data = context.user_data
    draft = data.get(DRAFT_KEY) if data is not None else None
    return draft if isinstance(draft, dict) else None


def _drop(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id


def _markup(step: Step) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if step is Step.PHONE:
        return keyboards.share_contact()
    if step is Step.NIP:
        return keyboards.skip_nip()
    return keyboards.remove()


def _prompt(step: Step) -> str:
    return {
        Step.NAME: t.ASK_NAME,
        Step.PHONE: t.ASK_PHONE.format(button=t.CONTACT_BUTTON),
        Step.NIP: t.ASK_NIP.format(button=t.SKIP_BUTTON),
        Step.POSITION: t.ASK_POSITION,
    }[step]


async def _ask(context: BotContext, chat_id: int, draft: dict[str, Any], step: Step) -> Step:
    """Sends the question (or the summary) of a step and remembers where the user is."""
    draft["step"] = int(step)
    if step is Step.CONFIRM:
        await context.bot.send_message(
            chat_id, t.summary(draft), reply_markup=keyboards.summary(draft["revision"])
        )
    else:
        await context.bot.send_message(chat_id, _prompt(step), reply_markup=_markup(step))
    return step


async def _advance(update: Update, context: BotContext, draft: dict[str, Any], step: Step) -> Step:
    """Moves to the next question, or back to the summary after an edit or the last answer."""
    chat_id = _chat_id(update)
    if draft.get("editing") or step is Step.POSITION:
        if draft.get("editing"):
            await context.bot.send_message(chat_id, t.UPDATED, reply_markup=keyboards.remove())
        draft["editing"] = False
        draft["revision"] = int(draft.get("revision", 0)) + 1
        return await _ask(context, chat_id, draft, Step.CONFIRM)
    return await _ask(context, chat_id, draft, _NEXT[step])


async def _lost(message: Message, context: BotContext) -> int:
    """Ends a conversation whose draft disappeared (e.g. cleared data)."""
    _drop(context)
    await message.reply_text(t.DRAFT_LOST, reply_markup=keyboards.remove())
    return END


# --- entry -------------------------------------------------------------------------------------


async def start_registration(update: Update, context: BotContext) -> int:
    """Checks the invite of `/start TOKEN` and asks the first question."""
    message = update.effective_message
    if message is None:
        return END
    token = context.args[0] if context.args else ""
    services = context.services
    try:
        async with services.uow() as uow:
            begun = await users.begin_registration(uow, actor_of(update), token, services.now())
    except DomainError as error:
        _drop(context)
        await message.reply_text(t.refusal(error), reply_markup=keyboards.remove())
        return END
    previous = begun.previous_opd
    draft: dict[str, Any] = {
        "token": token,
        "opd_id": begun.opd.id,
        "opd_name": begun.opd.name,
        "previous_opd_id": previous.id if previous else None,
        "previous_opd_name": previous.name if previous else None,
        "revision": 0,
        "editing": False,
    }
    assert context.user_data is not None  # noqa: S101 - private chats always have a user
    context.user_data[DRAFT_KEY] = draft
    await message.reply_text(t.intro(begun.opd.name))
    return await _ask(context, _chat_id(update), draft, Step.NAME)


# --- answers -----------------------------------------------------------------------------------


def _answer_handler(
    step: Step, field: str, clean: Callable[[Update, Message], str | None]
) -> Callable[[Update, BotContext], Coroutine[Any, Any, int | None]]:
    """Builds the handler that validates one answer, stores it and moves on."""

    async def handle(update: Update, context: BotContext) -> int | None:
        message = update.effective_message
        if message is None:
            return None
        draft = _draft(context)
        if draft is None:
            return await _lost(message, context)
        try:
            draft[field] = clean(update, message)
        except InvalidInput as error:
            await message.reply_text(t.invalid(error.code), reply_markup=_markup(step))
            return None
        return await _advance(update, context, draft, step)

    handle.__doc__ = f"Stores the {field} answer and asks the next question."
    handle.__name__ = f"got_{field}"
    return handle


def _name(update: Update, message: Message) -> str:
    return users.clean_name(message.text or "")


def _phone(update: Update, message: Message) -> str:
    return users.clean_phone(message.text or "")


def _contact(update: Update, message: Message) -> str:
    contact = message.contact
    if contact is None:
        raise InvalidInput("phone")
    return users.clean_contact(contact.phone_number, contact.user_id, actor_of(update))


def _nip(update: Update, message: Message) -> str | None:
    text = (message.text or "").strip()
    if text.lower() in t.SKIP_WORDS:
        return None
    return users.clean_nip(text)


def _position(update: Update, message: Message) -> str:
    return users.clean_position(message.text or "")


# --- the summary -------------------------------------------------------------------------------


async def confirm(update: Update, context: BotContext) -> int | None:
    """Registers the user with the confirmed data and welcomes them."""
    query = update.callback_query
    if query is None:
        return None
    draft = _draft(context)
    try:
        revision = callbacks.parse_int(query.data, callbacks.REG_CONFIRM)
    except callbacks.BadCallback:
        revision = -1
    if draft is None or revision != draft.get("revision"):
        # A summary shown before the last edit must not confirm data the user did not see.
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None
    services = context.services
    data = users.Registration(
        full_name=draft["full_name"],
        phone=draft["phone"],
        nip=draft.get("nip"),
        position=draft["position"],
    )
    try:
        async with services.uow() as uow:
            view = await users.register(
                uow,
                actor_of(update),
                draft["token"],
                data,
                services.now(),
                admin_ids=services.settings.admin_ids,
            )
    except DomainError as error:
        _drop(context)
        await query.answer()
        await query.edit_message_text(t.refusal(error))
        return END
    _drop(context)
    await query.answer()
    await query.edit_message_text(f"{t.summary(draft, question=False)}\n\n{t.CONFIRMED}")
    await context.bot.send_message(_chat_id(update), t.welcome(view))
    return END


async def choose_field(update: Update, context: BotContext) -> int | None:
    """Shows which answer the user can change."""
    query = update.callback_query
    draft = _draft(context)
    if query is None:
        return None
    if draft is None:
        await stale_press(update, context)
        return END
    await query.answer()
    await query.edit_message_text(t.CHOOSE_FIELD, reply_markup=keyboards.fields(draft["revision"]))
    return None


async def back_to_summary(update: Update, context: BotContext) -> int | None:
    """Shows the summary again without changes."""
    query = update.callback_query
    draft = _draft(context)
    if query is None:
        return None
    if draft is None:
        await stale_press(update, context)
        return END
    await query.answer()
    await query.edit_message_text(
        t.summary(draft), reply_markup=keyboards.summary(draft["revision"])
    )
    return None


async def edit_field(update: Update, context: BotContext) -> int | None:
    """Asks one question again; the answer leads back to the summary."""
    query = update.callback_query
    draft = _draft(context)
    if query is None:
        return None
    if draft is None:
        await stale_press(update, context)
        return END
    try:
        step = _FIELD_STEP[callbacks.parse(query.data, callbacks.REG_FIELD)]
    except (callbacks.BadCallback, KeyError):
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    draft["editing"] = True
    return await _ask(context, _chat_id(update), draft, step)


async def cancel_by_button(update: Update, context: BotContext) -> int:
    """Cancels the registration from the summary."""
    query = update.callback_query
    _drop(context)
    if query is not None:
        await query.answer()
        await query.edit_message_text(t.CANCELLED)
    return END


# --- fallbacks ---------------------------------------------------------------------------------


async def cancel(update: Update, context: BotContext) -> int:
    """Cancels the registration (/batal)."""
    _drop(context)
    if update.effective_message:
        await update.effective_message.reply_text(t.CANCELLED, reply_markup=keyboards.remove())
    return END


async def reprompt(update: Update, context: BotContext) -> int | None:
    """Explains what is expected when the answer is of the wrong kind or a command."""
    message = update.effective_message
    if message is None:
        return None
    draft = _draft(context)
    if draft is None:
        return await _lost(message, context)
    step = Step(int(draft.get("step", Step.NAME)))
    if message.text and message.text.startswith("/"):
        hint = t.IN_PROGRESS
    elif step is Step.CONFIRM:
        hint = t.USE_BUTTONS
    elif step is Step.PHONE:
        hint = t.WRONG_TYPE_PHONE
    else:
        hint = t.WRONG_TYPE
    await message.reply_text(hint)
    await _ask(context, _chat_id(update), draft, step)
    return None


async def stale_press(update: Update, context: BotContext) -> None:
    """Answers a registration button that no longer applies (the conversation goes on)."""
    if update.callback_query is not None:
        await update.callback_query.answer(tc.REFUSALS["stale_button"], show_alert=True)


async def stale_press_outside(update: Update, context: BotContext) -> int:
    """Answers a registration button pressed when no registration runs."""
    await stale_press(update, context)
    # END, not None: None would start a timeout for a conversation that does not exist.
    return END


async def timed_out(update: Update, context: BotContext) -> None:
    """Tells the user that the registration ended for lack of answers."""
    _drop(context)
    minutes = context.services.settings.conversation_timeout_minutes
    await context.bot.send_message(
        _chat_id(update), t.TIMED_OUT.format(minutes=minutes), reply_markup=keyboards.remove()
    )


def _start_handler(new: filters.BaseFilter) -> BaseHandler[Update, BotContext, object]:
    """Returns the handler of `/start TOKEN`, both entry point and restart in the middle."""
    return CommandHandler(
        "start", start_registration, filters=new & filters.Regex(_START_WITH_TOKEN)
    )


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the registration conversation handler."""
    new = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    text = new & filters.TEXT & ~filters.COMMAND
    start = _start_handler(new)

    answer = _answer_handler
    return ConversationHandler(
        entry_points=[start, CallbackQueryHandler(stale_press_outside, pattern=_ANY_ACTION)],
        states={
            Step.NAME: [MessageHandler(text, answer(Step.NAME, "full_name", _name))],
            Step.PHONE: [
                MessageHandler(new & filters.CONTACT, answer(Step.PHONE, "phone", _contact)),
                MessageHandler(text, answer(Step.PHONE, "phone", _phone)),
            ],
            Step.NIP: [MessageHandler(text, answer(Step.NIP, "nip", _nip))],
            Step.POSITION: [MessageHandler(text, answer(Step.POSITION, "position", _position))],
            Step.CONFIRM: [
                CallbackQueryHandler(confirm, pattern=callbacks.pattern(callbacks.REG_CONFIRM)),
                CallbackQueryHandler(choose_field, pattern=callbacks.pattern(callbacks.REG_EDIT)),
                CallbackQueryHandler(edit_field, pattern=callbacks.pattern(callbacks.REG_FIELD)),
                CallbackQueryHandler(
                    back_to_summary, pattern=callbacks.pattern(callbacks.REG_BACK)
                ),
                CallbackQueryHandler(
                    cancel_by_button, pattern=callbacks.pattern(callbacks.REG_CANCEL)
                ),
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        fallbacks=[
            CommandHandler("batal", cancel),
            start,
            CallbackQueryHandler(stale_press, pattern=_ANY_ACTION),
            MessageHandler(new, reprompt),
        ],
        name="registration",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
