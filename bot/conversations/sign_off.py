"""The OPD's sign-off (procedure 10): the reporter confirms the network works again, checks the
signatory of the berita acara, signs, receives the PDF, and rates the service.

Opened by «Sudah normal» (`callbacks.FIXED`) on the repair question; «Belum normal» is the
reason prompt's. A rating button also works after the conversation (see `handlers`).
"""

from __future__ import annotations

import io
import logging
from enum import IntEnum
from typing import Any

from telegram import InputFile, Update
from telegram.error import TelegramError
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
from bot.conversations import wizard as w
from bot.keyboards import wizards as kb
from bot.services import users, workflow
from bot.services.domain import Signatory
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t

log = logging.getLogger(__name__)

END = w.END
DRAFT = "sign_off"
ACTION = callbacks.WIZARD_SIGN
# Keys of the draft (JSON values only).
SIGNER = "signer"  # {"name", "nip", "position"}
EDITED = "edited"  # the signatory being typed anew
QUESTION = "question"  # chat and message id of the question with «Sudah normal»
NUMBER = "number"  # the ticket number, known once signed
SCORE = "score"

Draft = w.Draft
StepResult = w.StepResult
draft_step = w.with_draft(DRAFT, t.DRAFT_LOST)


class Step(IntEnum):
    """The conversation's states: confirm (or retype) the signatory, then rate."""

    CONFIRM = 1
    NAME = 2
    NIP = 3
    POSITION = 4
    RATING = 5
    COMMENT = 6


def _signer(draft: Draft) -> Signatory:
    data = draft[SIGNER]
    return Signatory(data["name"], data.get("nip"), data["position"])


def _prompt_of(draft: Draft, step: Step) -> tuple[str, w.Markup | None]:
    nonce = str(draft[w.NONCE])
    match step:
        case Step.CONFIRM:
            return t.signatory(_signer(draft)), kb.signatory(nonce)
        case Step.NAME:
            return t.ASK_SIGNER_NAME, None
        case Step.NIP:
            return t.ASK_SIGNER_NIP, kb.skip(ACTION, nonce)
        case Step.POSITION:
            return t.ASK_SIGNER_POSITION, None
        case Step.RATING:
            return t.ask_rating(draft[NUMBER]), kb.rating(int(draft[w.TICKET]))
        case Step.COMMENT:
            return t.ask_comment(int(draft[SCORE])), kb.skip(ACTION, nonce)


async def _prompt(update: Update, draft: Draft, step: Step, hint: str = "") -> int:
    """Asks for a step (after a hint about what went wrong) and enters its state."""
    text, markup = _prompt_of(draft, step)
    await w.say(update, f"{hint}\n\n{text}" if hint else text, markup)
    return step


def _reprompt(step: Step, hint: str) -> w.Callback:
    """Returns the handler that answers wrong input at a step with a hint and the question."""

    @draft_step
    async def reprompt(update: Update, context: BotContext, draft: Draft) -> StepResult:
        return await _prompt(update, draft, step, hint)

    return reprompt


def _rating_of(data: str | None) -> tuple[int, int]:
    """Returns the ticket and the score of a rating button (`<ticket>_<score>`)."""
    ticket, _, score = callbacks.parse(data, callbacks.RATE).partition("_")
    if not ticket.isdigit() or len(ticket) > 9 or not score.isdigit() or len(score) > 1:
        raise callbacks.BadCallback(data)
    return int(ticket), int(score)


# --- entry, cancel, timeout ------------------------------------------------------------------


async def start_sign_off(update: Update, context: BotContext) -> StepResult:
    """Shows the prefilled signatory to the reporter who pressed «Sudah normal»."""
    query = update.callback_query
    if query is None:
        return END
    try:
        ticket_id = callbacks.parse_int(query.data, callbacks.FIXED)
    except callbacks.BadCallback:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return END
    try:
        async with context.services.uow() as uow:
            signer = await workflow.signatory_defaults(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return END
    await query.answer()
    question = query.message
    draft = w.new_draft(
        context,
        DRAFT,
        ticket_id,
        **{
            SIGNER: {"name": signer.name, "nip": signer.nip, "position": signer.position},
            EDITED: {},
            QUESTION: [question.chat.id, question.message_id] if question else None,
            NUMBER: None,
            SCORE: None,
        },
    )
    return await _prompt(update, draft, Step.CONFIRM)


async def _rate(
    update: Update, context: BotContext, ticket_id: int, score: int, comment: str | None
) -> str:
    """Records a rating and returns the thanks (or the refusal) to show."""
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.rate(
                uow, actor_of(update), ticket_id, score, comment, w.ctx(services)
            )
    except DomainError as error:
        return t.refusal(error)
    log.info("rating %s recorded for %s", score, view.number)
    return t.thanks(view.number, score)


async def cancel_sign_off(update: Update, context: BotContext) -> StepResult:
    """Ends on /batal: before signing nothing changes; a pressed score is kept."""
    draft = w.user_data(context).get(DRAFT)
    w.forget(context, DRAFT)
    if isinstance(draft, dict) and draft.get(SCORE) is not None:
        text = await _rate(update, context, int(draft[w.TICKET]), int(draft[SCORE]), None)
    elif isinstance(draft, dict) and draft.get(NUMBER) is not None:
        text = t.RATING_LATER
    else:
        text = t.SIGN_CANCELLED
    await w.say(update, text)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Drops the draft after the timeout; a pressed score is still recorded."""
    draft = w.user_data(context).get(DRAFT)
    w.forget(context, DRAFT)
    if update.effective_user is not None:
        # A job, not an update, runs this: PTB would not save the emptied user_data by itself.
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    if not isinstance(draft, dict):
        return
    if draft.get(SCORE) is not None:
        await w.say(
            update, await _rate(update, context, int(draft[w.TICKET]), int(draft[SCORE]), None)
        )
    elif draft.get(NUMBER) is None:
        await w.say(update, t.SIGN_TIMED_OUT)
    # Signed but not rated: the rating buttons stay usable, no need to say more.


# --- the signatory ---------------------------------------------------------------------------


@draft_step
async def choose_on_confirm(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Signs with the shown signatory, or starts retyping it."""
    choice = await w.pressed(update, draft, ACTION, {kb.SIGN, kb.EDIT})
    if choice is None:
        return None
    await w.clear_buttons(update)
    if choice == kb.EDIT:
        draft[EDITED] = {}
        return await _prompt(update, draft, Step.NAME)
    return await _sign(update, context, draft)


async def _sign(update: Update, context: BotContext, draft: Draft) -> StepResult:
    services = context.services
    ticket_id = int(draft[w.TICKET])
    try:
        async with services.uow() as uow:
            ba = await workflow.confirm_fixed(
                uow, actor_of(update), ticket_id, _signer(draft), w.ctx(services)
            )
    except InvalidInput as error:
        draft[EDITED] = {}
        return await _prompt(update, draft, Step.NAME, f"{t.SIGNER_INVALID} {t.refusal(error)}")
    except DomainError as error:
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    log.info("berita acara %s signed for %s", ba.number, ba.ticket_number)
    draft[NUMBER] = ba.ticket_number
    await _retire_question(context, draft)
    try:
        async with services.uow() as uow:
            _, pdf = await workflow.berita_acara_pdf(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await w.say(update, t.refusal(error))
    else:
        await w.chat(update).send_document(
            InputFile(io.BytesIO(pdf), filename=t.ba_file_name(ba.number)),
            caption=t.ba_caption(ba.number, ba.ticket_number, ba.verification_code),
        )
    return await _prompt(update, draft, Step.RATING)


async def _retire_question(context: BotContext, draft: Draft) -> None:
    """Removes «Sudah normal»/«Belum normal» from the answered question."""
    question = draft.get(QUESTION)
    if not question:
        return
    try:
        await context.bot.edit_message_reply_markup(question[0], question[1], reply_markup=None)
    except TelegramError:
        # The question may be too old to edit or already changed; its buttons refuse anyway.
        log.debug("could not clear the repair question's buttons", exc_info=True)


@draft_step
async def take_name(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the signatory's name."""
    try:
        draft[EDITED]["name"] = users.clean_name(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.NAME, t.SIGNER_ERRORS["name"])
    return await _prompt(update, draft, Step.NIP)


async def _set_nip(update: Update, draft: Draft, nip: str | None) -> StepResult:
    draft[EDITED]["nip"] = nip
    return await _prompt(update, draft, Step.POSITION)


@draft_step
async def take_nip(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the signatory's NIP."""
    try:
        nip = users.clean_nip(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.NIP, t.SIGNER_ERRORS["nip"])
    return await _set_nip(update, draft, nip)


@draft_step
async def skip_nip(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Leaves the NIP empty (not every signatory is a civil servant)."""
    if await w.pressed(update, draft, ACTION, {kb.SKIP}) is None:
        return None
    await w.clear_buttons(update)
    return await _set_nip(update, draft, None)


@draft_step
async def take_position(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the signatory's position and shows the signatory again."""
    try:
        position = users.clean_position(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.POSITION, t.SIGNER_ERRORS["position"])
    edited = draft[EDITED]
    if "name" not in edited or "nip" not in edited:
        return await _prompt(update, draft, Step.NAME)
    draft[SIGNER] = {"name": edited["name"], "nip": edited["nip"], "position": position}
    draft[EDITED] = {}
    return await _prompt(update, draft, Step.CONFIRM)


# --- the rating ------------------------------------------------------------------------------


@draft_step
async def choose_rating(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Takes a score for this ticket and asks for a comment; another ticket's is rated now."""
    query = update.callback_query
    if query is None:
        return None
    try:
        ticket_id, score = _rating_of(query.data)
    except callbacks.BadCallback:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return None
    if ticket_id != int(draft[w.TICKET]) or score not in t.RATINGS:
        await rate_later(update, context)
        return None
    await query.answer()
    await w.clear_buttons(update)
    draft[SCORE] = score
    return await _prompt(update, draft, Step.COMMENT)


async def _finish_rating(
    update: Update, context: BotContext, draft: Draft, comment: str | None
) -> StepResult:
    ticket_id, score = int(draft[w.TICKET]), int(draft[SCORE])
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.rate(
                uow, actor_of(update), ticket_id, score, comment, w.ctx(services)
            )
    except InvalidInput as error:
        if error.code == "comment":
            return await _prompt(update, draft, Step.COMMENT, t.refusal(error))
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    except DomainError as error:
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    w.forget(context, DRAFT)
    log.info("rating %s recorded for %s", score, view.number)
    await w.say(update, t.thanks(view.number, score))
    return END


@draft_step
async def take_comment(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the rating with the typed comment."""
    return await _finish_rating(update, context, draft, w.message(update).text or "")


@draft_step
async def skip_comment(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the rating without a comment."""
    if await w.pressed(update, draft, ACTION, {kb.SKIP}) is None:
        return None
    await w.clear_buttons(update)
    return await _finish_rating(update, context, draft, None)


async def rate_later(update: Update, context: BotContext) -> None:
    """Records a rating pressed outside the sign-off (without a comment)."""
    query = update.callback_query
    if query is None:
        return
    try:
        ticket_id, score = _rating_of(query.data)
    except callbacks.BadCallback:
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.rate(
                uow, actor_of(update), ticket_id, score, None, w.ctx(services)
            )
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    log.info("rating %s recorded for %s", score, view.number)
    await query.answer()
    await w.clear_buttons(update)
    await w.say(update, t.thanks(view.number, score))


# --- the handlers ----------------------------------------------------------------------------


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent sign-off conversation handler."""
    new = filters.UpdateType.MESSAGE
    text = new & filters.TEXT & ~filters.COMMAND
    other = new & ~filters.COMMAND
    buttons = callbacks.pattern(ACTION)
    rating = callbacks.pattern(callbacks.RATE)

    def button(callback: w.Callback, pattern: str = buttons) -> BaseHandler[Update, Any, object]:
        return CallbackQueryHandler(callback, pattern=pattern)

    def typed(step: Step, callback: w.Callback) -> list[BaseHandler[Update, Any, object]]:
        return [
            MessageHandler(text, callback),
            MessageHandler(other, _reprompt(step, t.NEED_TEXT)),
        ]

    states: dict[object, list[BaseHandler[Update, Any, object]]] = {
        Step.CONFIRM: [
            button(choose_on_confirm),
            MessageHandler(other, _reprompt(Step.CONFIRM, t.NEED_SIGN)),
        ],
        Step.NAME: typed(Step.NAME, take_name),
        Step.NIP: [button(skip_nip), *typed(Step.NIP, take_nip)],
        Step.POSITION: typed(Step.POSITION, take_position),
        Step.RATING: [
            button(choose_rating, rating),
            MessageHandler(other, _reprompt(Step.RATING, t.NEED_RATING)),
        ],
        Step.COMMENT: [
            button(skip_comment),
            button(choose_rating, rating),
            *typed(Step.COMMENT, take_comment),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(start_sign_off, pattern=callbacks.pattern(callbacks.FIXED))
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel_sign_off),
            MessageHandler(filters.COMMAND, w.refuse_command),
            CallbackQueryHandler(w.refuse_stale_button, pattern=buttons),
        ],
        name="sign_off",
        persistent=True,
        # «Sudah normal» pressed again (or on another ticket) starts afresh.
        allow_reentry=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns the handlers of rating and sign-off buttons pressed outside the conversation."""
    return [
        CallbackQueryHandler(rate_later, pattern=callbacks.pattern(callbacks.RATE)),
        CallbackQueryHandler(w.refuse_stale_button, pattern=callbacks.pattern(ACTION)),
    ]
