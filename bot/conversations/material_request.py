"""The material request (procedure 6): the technician of a heavy fault lists the equipment
needed, with the reason and photos, for the penanggung jawab to approve.

Opened by the deep link `/start mr_<ticket id>` behind the «Berat» button of the job card. The
draft lives in `user_data` as JSON, so a half-filled request survives a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from telegram import Update
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
from bot.services import attachments, workflow
from bot.services.domain import FileRef, MaterialLine
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)

END = w.END
DRAFT = "material"
ACTION = callbacks.WIZARD_MATERIAL
# Keys of the draft (JSON values only).
NUMBER = "number"
ITEMS = "items"
ITEM = "item"
REASON = "reason"
PHOTOS = "photos"
REVIEWED = "reviewed"  # the summary was shown once: later changes return to it

Draft = w.Draft
StepResult = w.StepResult
draft_step = w.with_draft(DRAFT, t.DRAFT_LOST)


class Step(IntEnum):
    """The conversation's states, in the order the technician meets them."""

    ITEM_NAME = 1
    ITEM_SPEC = 2
    ITEM_QUANTITY = 3
    ITEM_UNIT = 4
    MORE = 5
    REASON = 6
    PHOTOS = 7
    SUMMARY = 8


# --- the draft -------------------------------------------------------------------------------


def _lines(draft: Draft) -> list[MaterialLine]:
    return [MaterialLine(i["name"], i["spec"], i["quantity"], i["unit"]) for i in draft[ITEMS]]


def _prompt_of(draft: Draft, step: Step) -> tuple[str, w.Markup | None]:
    nonce = str(draft[w.NONCE])
    count = len(draft[ITEMS])
    match step:
        case Step.ITEM_NAME:
            return t.ask_item_name(count + 1), None
        case Step.ITEM_SPEC:
            return t.ASK_SPEC, None
        case Step.ITEM_QUANTITY:
            return t.ASK_QUANTITY, None
        case Step.ITEM_UNIT:
            return t.ASK_UNIT, kb.units(ACTION, nonce)
        case Step.MORE:
            return t.item_added(_lines(draft)), kb.material_more(nonce, count)
        case Step.REASON:
            return t.ASK_REASON, None
        case Step.PHOTOS:
            return t.ASK_MR_PHOTOS, kb.photos(ACTION, nonce, len(draft[PHOTOS]))
        case Step.SUMMARY:
            text = t.material_summary(
                draft[NUMBER], _lines(draft), draft[REASON] or "", len(draft[PHOTOS])
            )
            return text, kb.material_summary(nonce, count)


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


# Each field is checked with the service's own validation of a whole line; the other fields
# get harmless placeholders.
def _name(text: str) -> str:
    return workflow.clean_material_line(MaterialLine(text, "", 1, "unit")).name


def _spec(text: str) -> str:
    value = "" if text.strip() == "-" else text
    return workflow.clean_material_line(MaterialLine("barang", value, 1, "unit")).specification


def _quantity(text: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or len(raw) > len(str(workflow.QUANTITY_MAX)):
        raise InvalidInput("item")
    return workflow.clean_material_line(MaterialLine("barang", "", int(raw), "unit")).quantity


def _unit(text: str) -> str:
    return workflow.clean_material_line(MaterialLine("barang", "", 1, text)).unit


def _field(
    step: Step, key: str, check: Callable[[str], Any], error: str, then: Step
) -> w.Callback:
    """Returns the handler that records one typed field of the item being described."""

    @draft_step
    async def take(update: Update, context: BotContext, draft: Draft) -> StepResult:
        try:
            value = check(w.message(update).text or "")
        except InvalidInput:
            return await _prompt(update, draft, step, error)
        draft[ITEM][key] = value
        return await _prompt(update, draft, then)

    return take


# --- entry, cancel, timeout ------------------------------------------------------------------


async def start_request(update: Update, context: BotContext) -> StepResult:
    """Starts a material request for the assigned technician of a ticket under diagnosis."""
    ticket_id = w.start_payload_id(context, callbacks.START_MATERIAL)
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.check_heavy(uow, actor_of(update), ticket_id)
    except DomainError as error:
        await w.say(update, t.refusal(error))
        return END
    draft = w.new_draft(
        context,
        DRAFT,
        ticket_id,
        **{NUMBER: view.number, ITEMS: [], ITEM: {}, REASON: None, PHOTOS: [], REVIEWED: False},
    )
    await w.say(update, t.MR_START.format(number=esc(view.number), opd=esc(view.opd_name)))
    return await _prompt(update, draft, Step.ITEM_NAME)


async def cancel_request(update: Update, context: BotContext) -> StepResult:
    """Drops the draft on /batal."""
    w.forget(context, DRAFT)
    await w.say(update, t.MR_CANCELLED)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the technician the unfinished request was dropped after the timeout."""
    w.forget(context, DRAFT)
    if update.effective_user is not None:
        # A job, not an update, runs this: PTB would not save the emptied user_data by itself.
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await w.say(update, t.MR_TIMED_OUT)


async def stale_outside(update: Update, context: BotContext) -> StepResult:
    """Answers a button of a finished request; no conversation starts."""
    await w.refuse_stale_button(update, context)
    return END


# --- items -----------------------------------------------------------------------------------

take_name = _field(Step.ITEM_NAME, "name", _name, t.ITEM_NAME_ERROR, Step.ITEM_SPEC)
take_spec = _field(Step.ITEM_SPEC, "spec", _spec, t.SPEC_ERROR, Step.ITEM_QUANTITY)
take_quantity = _field(Step.ITEM_QUANTITY, "quantity", _quantity, t.QUANTITY_ERROR, Step.ITEM_UNIT)


async def _finish_item(update: Update, draft: Draft, unit: str) -> StepResult:
    item = draft[ITEM]
    try:
        line = workflow.clean_material_line(
            MaterialLine(item.get("name", ""), item.get("spec", ""), item.get("quantity", 0), unit)
        )
    except InvalidInput:
        # Only a lost field gets here: the item is asked again from its name.
        draft[ITEM] = {}
        return await _prompt(update, draft, Step.ITEM_NAME, t.refusal(InvalidInput("item")))
    draft[ITEMS].append(
        {"name": line.name, "spec": line.specification, "quantity": line.quantity, "unit": unit}
    )
    draft[ITEM] = {}
    return await _prompt(update, draft, Step.MORE)


@draft_step
async def take_unit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a typed unit and completes the item."""
    try:
        unit = _unit(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.ITEM_UNIT, t.UNIT_ERROR)
    return await _finish_item(update, draft, unit)


@draft_step
async def choose_unit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a unit chosen with a button and completes the item."""
    choice = await w.pressed(update, draft, ACTION, kb.UNIT_CHOICES)
    if choice is None:
        return None
    await w.clear_buttons(update)
    return await _finish_item(update, draft, kb.UNIT_CHOICES[choice])


@draft_step
async def choose_more(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds another item, or goes on to the reason (or back to the summary)."""
    allowed = {kb.DONE} | ({kb.ADD} if len(draft[ITEMS]) < workflow.ITEMS_MAX else set())
    choice = await w.pressed(update, draft, ACTION, allowed)
    if choice is None:
        return None
    await w.clear_buttons(update)
    if choice == kb.ADD:
        return await _prompt(update, draft, Step.ITEM_NAME)
    return await _prompt(update, draft, Step.SUMMARY if draft[REVIEWED] else Step.REASON)


# --- reason and photos -----------------------------------------------------------------------


@draft_step
async def take_reason(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records why the equipment is needed (the diagnosis)."""
    try:
        draft[REASON] = workflow.clean_long_text(w.message(update).text or "", "reason")
    except InvalidInput as error:
        return await _prompt(update, draft, Step.REASON, t.refusal(error))
    return await _prompt(update, draft, Step.SUMMARY if draft[REVIEWED] else Step.PHOTOS)


async def _add_photo(update: Update, draft: Draft, read: Callable[[], FileRef]) -> StepResult:
    photos = [attachments.from_json(item) for item in draft[PHOTOS]]
    markup = kb.photos(ACTION, draft[w.NONCE], len(photos))
    try:
        photos = list(attachments.add_photo(photos, read()))
    except InvalidInput as error:
        await w.say(update, t.file_error(error), markup)
        return None
    draft[PHOTOS] = [attachments.to_json(ref) for ref in photos]
    markup = kb.photos(ACTION, draft[w.NONCE], len(photos))
    await w.say(update, t.photo_received(len(photos)), markup)
    return None


@draft_step
async def take_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds a photo message to the request."""
    return await _add_photo(update, draft, lambda: w.photo_ref(w.message(update)))


@draft_step
async def take_photo_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds an image sent as a file (JPEG/PNG) to the request."""
    source = w.message(update)
    return await _add_photo(update, draft, lambda: w.document_ref(source, attachments.IMAGE_TYPES))


@draft_step
async def finish_photos(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Ends the photo step and shows the summary."""
    choice = await w.pressed(update, draft, ACTION, {kb.DONE})
    if choice is None:
        return None
    await w.clear_buttons(update)
    draft[REVIEWED] = True
    return await _prompt(update, draft, Step.SUMMARY)


# --- summary ---------------------------------------------------------------------------------


@draft_step
async def act_on_summary(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Sends the request, adds or drops an item, changes the reason, or cancels."""
    count = len(draft[ITEMS])
    allowed = {kb.SEND, kb.DROP_LAST, kb.EDIT_REASON, kb.CANCEL}
    if count < workflow.ITEMS_MAX:
        allowed.add(kb.ADD)
    choice = await w.pressed(update, draft, ACTION, allowed)
    query = update.callback_query
    if choice is None or query is None:
        return None
    if choice == kb.DROP_LAST:
        draft[ITEMS].pop()
        if not draft[ITEMS]:
            await w.clear_buttons(update)
            return await _prompt(update, draft, Step.ITEM_NAME, t.ITEMS_EMPTY)
        text = t.material_summary(
            draft[NUMBER], _lines(draft), draft[REASON] or "", len(draft[PHOTOS])
        )
        markup = kb.material_summary(draft[w.NONCE], len(draft[ITEMS]))
        await query.edit_message_text(text, reply_markup=markup)
        return None
    await w.clear_buttons(update)
    if choice == kb.CANCEL:
        return await cancel_request(update, context)
    if choice == kb.ADD:
        return await _prompt(update, draft, Step.ITEM_NAME)
    if choice == kb.EDIT_REASON:
        return await _prompt(update, draft, Step.REASON)
    return await _submit(update, context, draft)


async def _submit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    services = context.services
    photos = [attachments.from_json(item) for item in draft[PHOTOS]]
    try:
        async with services.uow() as uow:
            view = await workflow.submit_material_request(
                uow,
                actor_of(update),
                int(draft[w.TICKET]),
                _lines(draft),
                draft[REASON] or "",
                photos,
                w.ctx(services),
            )
    except InvalidInput as error:
        return await _prompt(update, draft, Step.SUMMARY, t.refusal(error))
    except DomainError as error:
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    w.forget(context, DRAFT)
    log.info("material request %s filed for %s", view.id, view.ticket_number)
    await w.say(update, t.MR_SENT.format(number=esc(view.ticket_number)))
    return END


# --- the handler -----------------------------------------------------------------------------


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent material-request conversation handler."""
    new = filters.UpdateType.MESSAGE
    text = new & filters.TEXT & ~filters.COMMAND
    other = new & ~filters.COMMAND
    buttons = callbacks.pattern(ACTION)

    def button(callback: w.Callback) -> BaseHandler[Update, Any, object]:
        return CallbackQueryHandler(callback, pattern=buttons)

    def typed(step: Step, callback: w.Callback) -> list[BaseHandler[Update, Any, object]]:
        return [
            MessageHandler(text, callback),
            MessageHandler(other, _reprompt(step, t.NEED_TEXT)),
        ]

    states: dict[object, list[BaseHandler[Update, Any, object]]] = {
        Step.ITEM_NAME: typed(Step.ITEM_NAME, take_name),
        Step.ITEM_SPEC: typed(Step.ITEM_SPEC, take_spec),
        Step.ITEM_QUANTITY: typed(Step.ITEM_QUANTITY, take_quantity),
        Step.ITEM_UNIT: [button(choose_unit), *typed(Step.ITEM_UNIT, take_unit)],
        Step.MORE: [
            button(choose_more),
            MessageHandler(other, _reprompt(Step.MORE, t.NEED_BUTTON)),
        ],
        Step.REASON: typed(Step.REASON, take_reason),
        Step.PHOTOS: [
            MessageHandler(new & filters.PHOTO, take_photo),
            MessageHandler(new & filters.Document.ALL, take_photo_document),
            button(finish_photos),
            MessageHandler(other, _reprompt(Step.PHOTOS, t.NEED_PHOTO)),
        ],
        Step.SUMMARY: [
            button(act_on_summary),
            MessageHandler(other, _reprompt(Step.SUMMARY, t.NEED_MR_SUMMARY)),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    start = filters.ChatType.PRIVATE & filters.Regex(
        rf"^/start\s+{callbacks.START_MATERIAL}\d{{1,9}}$"
    )
    return ConversationHandler(
        entry_points=[
            CommandHandler("start", start_request, filters=start),
            CallbackQueryHandler(stale_outside, pattern=buttons),
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel_request),
            MessageHandler(filters.COMMAND, w.refuse_command),
            CallbackQueryHandler(w.refuse_stale_button, pattern=buttons),
        ],
        name="material_request",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
