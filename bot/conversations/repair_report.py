"""The repair report (procedure 8-9): the technician records the diagnosis, the actions taken,
photos after the repair and the replaced equipment with serial numbers.

Opened by the deep link `/start rr_<ticket id>` behind «Laporkan perbaikan» on the job card.
For a heavy fault the approved material list can be taken over, asking only the serials.
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
from bot.services.domain import FileRef, MaterialLine, ReplacedLine
from bot.services.errors import DomainError, InvalidInput
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)

END = w.END
DRAFT = "repair"
ACTION = callbacks.WIZARD_REPAIR
# Keys of the draft (JSON values only).
NUMBER = "number"
APPROVED = "approved"  # the approved material list (offered while the list is empty)
DIAGNOSIS = "diagnosis"
ACTIONS = "actions"
PHOTOS = "photos"
ITEMS = "items"
DEVICE = "device"
SERIAL_AT = "serial_at"  # index of the taken-over item whose serials are asked
REVIEWED = "reviewed"

Draft = w.Draft
StepResult = w.StepResult
draft_step = w.with_draft(DRAFT, t.DRAFT_LOST)


class Step(IntEnum):
    """The conversation's states, in the order the technician meets them."""

    DIAGNOSIS = 1
    ACTIONS = 2
    PHOTOS = 3
    REPLACED = 4
    DEVICE_NAME = 5
    DEVICE_QUANTITY = 6
    DEVICE_UNIT = 7
    OLD_SERIAL = 8
    NEW_SERIAL = 9
    SERIALS = 10
    SUMMARY = 11


EDIT_TARGETS = {"diag": Step.DIAGNOSIS, "act": Step.ACTIONS, "pho": Step.PHOTOS}


# --- the draft -------------------------------------------------------------------------------


def _line(item: dict[str, Any]) -> ReplacedLine:
    return ReplacedLine(
        item["name"], item["quantity"], item["unit"], item.get("old"), item.get("new")
    )


def _lines(draft: Draft) -> list[ReplacedLine]:
    return [_line(item) for item in draft[ITEMS]]


def _approved(draft: Draft) -> list[MaterialLine]:
    return [MaterialLine(i["name"], "", i["quantity"], i["unit"]) for i in draft[APPROVED]]


def _summary_text(draft: Draft) -> str:
    return t.repair_summary(
        draft[NUMBER],
        draft[DIAGNOSIS] or "",
        draft[ACTIONS] or "",
        len(draft[PHOTOS]),
        _lines(draft),
    )


def _prompt_of(draft: Draft, step: Step) -> tuple[str, w.Markup | None]:
    nonce = str(draft[w.NONCE])
    match step:
        case Step.DIAGNOSIS:
            return t.ASK_DIAGNOSIS, None
        case Step.ACTIONS:
            return t.ASK_ACTIONS, None
        case Step.PHOTOS:
            return t.ASK_RR_PHOTOS, kb.photos(ACTION, nonce, len(draft[PHOTOS]))
        case Step.REPLACED:
            items = _lines(draft)
            return (
                t.ask_replaced(items, _approved(draft)),
                kb.replaced(nonce, len(items), bool(draft[APPROVED])),
            )
        case Step.DEVICE_NAME:
            return t.ASK_DEVICE_NAME, None
        case Step.DEVICE_QUANTITY:
            return t.ASK_QUANTITY, None
        case Step.DEVICE_UNIT:
            return t.ASK_UNIT, kb.units(ACTION, nonce)
        case Step.OLD_SERIAL:
            return t.ASK_OLD_SERIAL, None
        case Step.NEW_SERIAL:
            return t.ASK_NEW_SERIAL, None
        case Step.SERIALS:
            index = int(draft[SERIAL_AT])
            return t.ask_serials(_line(draft[ITEMS][index]), index + 1, len(draft[ITEMS])), None
        case Step.SUMMARY:
            return _summary_text(draft), kb.repair_summary(nonce)


async def _prompt(update: Update, draft: Draft, step: Step, hint: str = "") -> int:
    """Asks for a step (after a hint about what went wrong) and enters its state."""
    text, markup = _prompt_of(draft, step)
    await w.say(update, f"{hint}\n\n{text}" if hint else text, markup)
    return step


async def _advance(update: Update, draft: Draft, step: Step) -> int:
    """Goes on to the next step, or back to the summary when one field was being changed."""
    return await _prompt(update, draft, Step.SUMMARY if draft[REVIEWED] else step)


def _reprompt(step: Step, hint: str) -> w.Callback:
    """Returns the handler that answers wrong input at a step with a hint and the question."""

    @draft_step
    async def reprompt(update: Update, context: BotContext, draft: Draft) -> StepResult:
        return await _prompt(update, draft, step, hint)

    return reprompt


# Each field is checked with the service's validation of a whole line; the other fields get
# harmless placeholders.
def _name(text: str) -> str:
    return workflow.clean_replaced_line(ReplacedLine(text, 1, "unit")).name


def _quantity(text: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or len(raw) > len(str(workflow.QUANTITY_MAX)):
        raise InvalidInput("item")
    return workflow.clean_replaced_line(ReplacedLine("perangkat", int(raw), "unit")).quantity


def _unit(text: str) -> str:
    return workflow.clean_replaced_line(ReplacedLine("perangkat", 1, text)).unit


def _serial(text: str) -> str | None:
    return workflow.clean_replaced_line(ReplacedLine("perangkat", 1, "unit", text)).old_serial


def _serial_pair(text: str) -> tuple[str | None, str | None]:
    """Splits "lama / baru"; a lone "-" says both are unknown."""
    if text.strip() == "-":
        return None, None
    separator = " / " if " / " in text else "/"
    old, found, new = text.partition(separator)
    if not found or not old.strip() or not new.strip():
        raise InvalidInput("serial")
    return _serial(old), _serial(new)


def _field(
    step: Step, key: str, check: Callable[[str], Any], error: str, then: Step
) -> w.Callback:
    """Returns the handler that records one typed field of the device being described."""

    @draft_step
    async def take(update: Update, context: BotContext, draft: Draft) -> StepResult:
        try:
            value = check(w.message(update).text or "")
        except InvalidInput:
            return await _prompt(update, draft, step, error)
        draft[DEVICE][key] = value
        return await _prompt(update, draft, then)

    return take


# --- entry, cancel, timeout ------------------------------------------------------------------


async def start_report(update: Update, context: BotContext) -> StepResult:
    """Starts the repair report for the assigned technician of a ticket in repair."""
    ticket_id = w.start_payload_id(context, callbacks.START_REPAIR)
    services = context.services
    try:
        async with services.uow() as uow:
            view = await workflow.check_repair(uow, actor_of(update), ticket_id)
            approved = await workflow.approved_items(uow, ticket_id)
    except DomainError as error:
        await w.say(update, t.refusal(error))
        return END
    draft = w.new_draft(
        context,
        DRAFT,
        ticket_id,
        **{
            NUMBER: view.number,
            APPROVED: [{"name": i.name, "quantity": i.quantity, "unit": i.unit} for i in approved],
            DIAGNOSIS: None,
            ACTIONS: None,
            PHOTOS: [],
            ITEMS: [],
            DEVICE: {},
            SERIAL_AT: 0,
            REVIEWED: False,
        },
    )
    await w.say(update, t.RR_START.format(number=esc(view.number), opd=esc(view.opd_name)))
    return await _prompt(update, draft, Step.DIAGNOSIS)


async def cancel_report(update: Update, context: BotContext) -> StepResult:
    """Drops the draft on /batal."""
    w.forget(context, DRAFT)
    await w.say(update, t.RR_CANCELLED)
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """Tells the technician the unfinished report was dropped after the timeout."""
    w.forget(context, DRAFT)
    if update.effective_user is not None:
        # A job, not an update, runs this: PTB would not save the emptied user_data by itself.
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await w.say(update, t.RR_TIMED_OUT)


async def stale_outside(update: Update, context: BotContext) -> StepResult:
    """Answers a button of a finished report; no conversation starts."""
    await w.refuse_stale_button(update, context)
    return END


# --- diagnosis, actions, photos --------------------------------------------------------------


@draft_step
async def take_diagnosis(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the diagnosis."""
    try:
        draft[DIAGNOSIS] = workflow.clean_long_text(w.message(update).text or "", "diagnosis")
    except InvalidInput as error:
        return await _prompt(update, draft, Step.DIAGNOSIS, t.refusal(error))
    return await _advance(update, draft, Step.ACTIONS)


@draft_step
async def take_actions(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the actions taken."""
    try:
        draft[ACTIONS] = workflow.clean_long_text(w.message(update).text or "", "actions")
    except InvalidInput as error:
        return await _prompt(update, draft, Step.ACTIONS, t.refusal(error))
    return await _advance(update, draft, Step.PHOTOS)


async def _add_photo(update: Update, draft: Draft, read: Callable[[], FileRef]) -> StepResult:
    photos = [attachments.from_json(item) for item in draft[PHOTOS]]
    try:
        photos = list(attachments.add_photo(photos, read()))
    except InvalidInput as error:
        await w.say(update, t.file_error(error), kb.photos(ACTION, draft[w.NONCE], len(photos)))
        return None
    draft[PHOTOS] = [attachments.to_json(ref) for ref in photos]
    markup = kb.photos(ACTION, draft[w.NONCE], len(photos))
    await w.say(update, t.photo_received(len(photos)), markup)
    return None


@draft_step
async def take_photo(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds a photo after the repair."""
    return await _add_photo(update, draft, lambda: w.photo_ref(w.message(update)))


@draft_step
async def take_photo_document(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Adds an image sent as a file (JPEG/PNG)."""
    source = w.message(update)
    return await _add_photo(update, draft, lambda: w.document_ref(source, attachments.IMAGE_TYPES))


@draft_step
async def finish_photos(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Ends the photo step."""
    choice = await w.pressed(update, draft, ACTION, {kb.DONE})
    if choice is None:
        return None
    await w.clear_buttons(update)
    return await _advance(update, draft, Step.REPLACED)


# --- replaced equipment ----------------------------------------------------------------------


@draft_step
async def choose_replaced(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Takes over the approved list, adds a device, or ends the list (possibly empty)."""
    count = len(draft[ITEMS])
    allowed = {kb.ADD} if count < workflow.ITEMS_MAX else set()
    allowed |= {kb.DONE} if count else {kb.NONE} | ({kb.APPROVED} if draft[APPROVED] else set())
    choice = await w.pressed(update, draft, ACTION, allowed)
    if choice is None:
        return None
    await w.clear_buttons(update)
    if choice == kb.ADD:
        draft[DEVICE] = {}
        return await _prompt(update, draft, Step.DEVICE_NAME)
    if choice == kb.APPROVED:
        draft[ITEMS] = [dict(item, old=None, new=None) for item in draft[APPROVED]]
        draft[SERIAL_AT] = 0
        return await _prompt(update, draft, Step.SERIALS)
    draft[REVIEWED] = True
    return await _prompt(update, draft, Step.SUMMARY)


@draft_step
async def take_serials(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the old and new serial numbers of one taken-over approved item."""
    try:
        old, new = _serial_pair(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.SERIALS, t.SERIAL_PAIR_ERROR)
    index = int(draft[SERIAL_AT])
    draft[ITEMS][index].update(old=old, new=new)
    if index + 1 < len(draft[ITEMS]):
        draft[SERIAL_AT] = index + 1
        return await _prompt(update, draft, Step.SERIALS)
    return await _prompt(update, draft, Step.REPLACED)


take_device_name = _field(Step.DEVICE_NAME, "name", _name, t.ITEM_NAME_ERROR, Step.DEVICE_QUANTITY)
take_device_quantity = _field(
    Step.DEVICE_QUANTITY, "quantity", _quantity, t.QUANTITY_ERROR, Step.DEVICE_UNIT
)
take_old_serial = _field(Step.OLD_SERIAL, "old", _serial, t.SERIAL_ERROR, Step.NEW_SERIAL)


@draft_step
async def take_device_unit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a typed unit of the device."""
    try:
        draft[DEVICE]["unit"] = _unit(w.message(update).text or "")
    except InvalidInput:
        return await _prompt(update, draft, Step.DEVICE_UNIT, t.UNIT_ERROR)
    return await _prompt(update, draft, Step.OLD_SERIAL)


@draft_step
async def choose_device_unit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records a unit chosen with a button."""
    choice = await w.pressed(update, draft, ACTION, kb.UNIT_CHOICES)
    if choice is None:
        return None
    await w.clear_buttons(update)
    draft[DEVICE]["unit"] = kb.UNIT_CHOICES[choice]
    return await _prompt(update, draft, Step.OLD_SERIAL)


@draft_step
async def take_new_serial(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Records the new serial number and completes the device."""
    device = draft[DEVICE]
    try:
        new = _serial(w.message(update).text or "")
        line = workflow.clean_replaced_line(
            ReplacedLine(
                device.get("name", ""),
                device.get("quantity", 0),
                device.get("unit", ""),
                device.get("old"),
                new,
            )
        )
    except InvalidInput as error:
        if error.code == "serial":
            return await _prompt(update, draft, Step.NEW_SERIAL, t.SERIAL_ERROR)
        # Only a lost field gets here: the device is asked again from its name.
        draft[DEVICE] = {}
        return await _prompt(update, draft, Step.DEVICE_NAME, t.refusal(error))
    draft[ITEMS].append(
        {
            "name": line.name,
            "quantity": line.quantity,
            "unit": line.unit,
            "old": line.old_serial,
            "new": line.new_serial,
        }
    )
    draft[DEVICE] = {}
    return await _prompt(update, draft, Step.REPLACED)


# --- summary ---------------------------------------------------------------------------------


@draft_step
async def act_on_summary(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Sends the report, opens the field menu, or cancels."""
    choice = await w.pressed(update, draft, ACTION, {kb.SEND, kb.EDIT, kb.CANCEL})
    query = update.callback_query
    if choice is None or query is None:
        return None
    if choice == kb.EDIT:
        await query.edit_message_text(t.ASK_EDIT, reply_markup=kb.repair_fields(draft[w.NONCE]))
        return None
    await w.clear_buttons(update)
    if choice == kb.CANCEL:
        return await cancel_report(update, context)
    return await _submit(update, context, draft)


@draft_step
async def choose_field(update: Update, context: BotContext, draft: Draft) -> StepResult:
    """Opens one field for change, or goes back to the summary."""
    choice = await w.pressed(update, draft, ACTION, {*kb.EDIT_CHOICES, kb.BACK})
    query = update.callback_query
    if choice is None or query is None:
        return None
    if choice == kb.BACK:
        text = _summary_text(draft)
        await query.edit_message_text(text, reply_markup=kb.repair_summary(draft[w.NONCE]))
        return None
    await w.clear_buttons(update)
    field = kb.EDIT_CHOICES[choice]
    if field == "items":
        # The list is entered anew; the approved list can be taken over again.
        draft[ITEMS] = []
        return await _prompt(update, draft, Step.REPLACED)
    step = EDIT_TARGETS[field]
    if step is Step.PHOTOS:
        draft[PHOTOS] = []
        return await _prompt(update, draft, step, t.ASK_PHOTOS_AGAIN)
    return await _prompt(update, draft, step)


async def summary_buttons(update: Update, context: BotContext) -> StepResult:
    """Routes a press at the summary to the summary or to the field menu."""
    query = update.callback_query
    choice = (query.data or "").rpartition("_")[2] if query else ""
    if choice in kb.EDIT_CHOICES or choice == kb.BACK:
        return await choose_field(update, context)
    return await act_on_summary(update, context)


async def _submit(update: Update, context: BotContext, draft: Draft) -> StepResult:
    services = context.services
    photos = [attachments.from_json(item) for item in draft[PHOTOS]]
    try:
        async with services.uow() as uow:
            view = await workflow.report_repair(
                uow,
                actor_of(update),
                int(draft[w.TICKET]),
                diagnosis=draft[DIAGNOSIS] or "",
                actions=draft[ACTIONS] or "",
                items=_lines(draft),
                photos=photos,
                ctx=w.ctx(services),
            )
    except InvalidInput as error:
        return await _prompt(update, draft, Step.SUMMARY, t.refusal(error))
    except DomainError as error:
        w.forget(context, DRAFT)
        await w.say(update, t.refusal(error))
        return END
    w.forget(context, DRAFT)
    log.info("repair reported for %s", view.number)
    await w.say(update, t.RR_SENT.format(number=esc(view.number)))
    return END


# --- the handler -----------------------------------------------------------------------------


def conversation(settings: Settings) -> BaseHandler[Any, Any, Any]:
    """Returns the persistent repair-report conversation handler."""
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
        Step.DIAGNOSIS: typed(Step.DIAGNOSIS, take_diagnosis),
        Step.ACTIONS: typed(Step.ACTIONS, take_actions),
        Step.PHOTOS: [
            MessageHandler(new & filters.PHOTO, take_photo),
            MessageHandler(new & filters.Document.ALL, take_photo_document),
            button(finish_photos),
            MessageHandler(other, _reprompt(Step.PHOTOS, t.NEED_PHOTO)),
        ],
        Step.REPLACED: [
            button(choose_replaced),
            MessageHandler(other, _reprompt(Step.REPLACED, t.NEED_BUTTON)),
        ],
        Step.DEVICE_NAME: typed(Step.DEVICE_NAME, take_device_name),
        Step.DEVICE_QUANTITY: typed(Step.DEVICE_QUANTITY, take_device_quantity),
        Step.DEVICE_UNIT: [button(choose_device_unit), *typed(Step.DEVICE_UNIT, take_device_unit)],
        Step.OLD_SERIAL: typed(Step.OLD_SERIAL, take_old_serial),
        Step.NEW_SERIAL: typed(Step.NEW_SERIAL, take_new_serial),
        Step.SERIALS: typed(Step.SERIALS, take_serials),
        Step.SUMMARY: [
            button(summary_buttons),
            MessageHandler(other, _reprompt(Step.SUMMARY, t.NEED_RR_SUMMARY)),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    start = filters.ChatType.PRIVATE & filters.Regex(
        rf"^/start\s+{callbacks.START_REPAIR}\d{{1,9}}$"
    )
    return ConversationHandler(
        entry_points=[
            CommandHandler("start", start_report, filters=start),
            CallbackQueryHandler(stale_outside, pattern=buttons),
        ],
        states=states,
        fallbacks=[
            CommandHandler("batal", cancel_report),
            MessageHandler(filters.COMMAND, w.refuse_command),
            CallbackQueryHandler(w.refuse_stale_button, pattern=buttons),
        ],
        name="repair_report",
        persistent=True,
        conversation_timeout=settings.conversation_timeout_minutes * 60,
    )
