"""Admin command /libur: holidays and special office hours of the business calendar."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext, use_case
from bot.keyboards import admin as keyboards
from bot.services import calendar_admin
from bot.services.errors import DomainError
from bot.texts import admin as ta
from bot.texts import common as tc
from bot.texts import sla as t


def _date(text: str) -> date:
    return date.fromisoformat(text)


PENDING = "calendar_override"  # user_data: the override waiting for the admin's «Ya»


def _problem(error: ValueError | DomainError) -> str:
    """Returns the usage for a malformed change and the refusal for a refused one."""
    return ta.calendar_refusal(error) if isinstance(error, DomainError) else t.USAGE


async def manage_calendar(update: Update, context: BotContext) -> None:
    """Lists or changes holidays and schedule overrides (admins only)."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    if action == "jam" and len(args) >= 4:
        await _add_override(update, context, message, args[1:])
        return
    ctx = use_case(update, context)
    try:
        async with services.uow() as uow:
            if not args:
                data = await calendar_admin.overview(uow, ctx)
                await message.reply_text(t.calendar_overview(data))
                return
            if action == "tambah" and len(args) >= 3:
                day = _date(args[1])
                name = " ".join(args[2:])
                change = await calendar_admin.add_holiday(uow, ctx, day, name)
                reply = t.holiday_added(day, name, change)
            elif action == "hapus" and len(args) == 2:
                day = _date(args[1])
                change = await calendar_admin.remove_holiday(uow, ctx, day)
                reply = t.holiday_removed(day, change)
            elif (
                action == "hapus_jam"
                and len(args) == 2
                and (override_id := callbacks.db_id(args[1])) is not None
            ):
                change = await calendar_admin.remove_override(uow, ctx, override_id)
                reply = t.override_removed(override_id, change)
            else:
                await message.reply_text(t.USAGE)
                return
    except (ValueError, DomainError) as error:
        await message.reply_text(_problem(error))
        return
    services.use_calendar(change.calendar)
    await message.reply_text(reply)


async def _add_override(
    update: Update, context: BotContext, message: Message, args: list[str]
) -> None:
    """Stores `/libur jam START END SCHEDULE [name]`, or asks first if it closes working days."""
    try:
        start, end = _date(args[0]), _date(args[1])
    except ValueError:
        await message.reply_text(t.USAGE)
        return
    spec, name_words = _split_spec(args[2:])
    if spec is None:
        # Read as "closed every day", a typo would shut the office for the whole range.
        await message.reply_text(ta.schedule_not_understood(args[2:]))
        return
    pending = {
        "nonce": secrets.token_hex(3),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "spec": spec,
        "name": " ".join(name_words),
    }
    try:
        change = await _save_override(update, context, pending, confirmed=False)
    except calendar_admin.ClosesWorkingDays as question:
        _user_data(context)[PENDING] = pending
        await message.reply_text(
            ta.override_closes_days(start, end, spec, question.days),
            reply_markup=keyboards.confirm_override(pending["nonce"]),
        )
        return
    except (ValueError, DomainError) as error:
        await message.reply_text(_problem(error))
        return
    await message.reply_text(t.override_added(start, end, change))


async def _save_override(
    update: Update, context: BotContext, pending: dict[str, str], *, confirmed: bool
) -> calendar_admin.CalendarChange:
    """Stores a schedule override and swaps the cached calendar."""
    services = context.services
    async with services.uow() as uow:
        change = await calendar_admin.add_override(
            uow,
            use_case(update, context),
            _date(pending["start"]),
            _date(pending["end"]),
            pending["spec"],
            pending["name"],
            confirmed=confirmed,
        )
    services.use_calendar(change.calendar)
    return change


async def confirm_override(update: Update, context: BotContext) -> None:
    """Stores the override the admin confirmed with «Ya»."""
    query = update.callback_query
    if query is None:
        return
    pending = await _take_pending(query, context, callbacks.CALENDAR_CONFIRM)
    if pending is None:
        return
    try:
        change = await _save_override(update, context, pending, confirmed=True)
    except (DomainError, ValueError) as error:
        await query.answer()
        await query.edit_message_text(_problem(error))
        return
    await query.answer()
    await query.edit_message_text(
        t.override_added(_date(pending["start"]), _date(pending["end"]), change)
    )


async def cancel_override(update: Update, context: BotContext) -> None:
    """Drops the override the admin turned down with «Batal»."""
    query = update.callback_query
    if query is None:
        return
    if await _take_pending(query, context, callbacks.CALENDAR_CANCEL) is None:
        return
    await query.answer()
    await query.edit_message_text(ta.OVERRIDE_CANCELLED)


async def _take_pending(
    query: CallbackQuery, context: BotContext, action: str
) -> dict[str, str] | None:
    """Returns (and forgets) the pending override a press is for; answers stale presses."""
    try:
        nonce = callbacks.parse(query.data, action)
    except callbacks.BadCallback:
        nonce = ""
    data = _user_data(context)
    pending = data.get(PENDING)
    if not isinstance(pending, dict) or pending.get("nonce") != nonce:
        await query.answer(tc.REFUSALS["stale_button"], show_alert=True)
        return None
    del data[PENDING]
    return {str(key): str(value) for key, value in pending.items()}


def _user_data(context: BotContext) -> dict[Any, Any]:
    data = context.user_data
    if data is None:
        raise ValueError("update without a user")
    return data


def _split_spec(words: list[str]) -> tuple[str | None, list[str]]:
    """Splits `mon-thu 08:00-14:00;fri 08:00-11:00 Ramadan 1448` into the spec and name words.

    `tutup` stands for the closed schedule (an empty spec); None means no schedule was found.
    """
    if words and words[0].lower() == ta.CLOSED_WORD:
        return "", words[1:]
    spec: list[str] = []
    state = "day"
    for index, word in enumerate(words):
        if state == "day" and _is_day(word.lstrip(";")):
            state = "segments"
        elif state == "segments" and word[:1].isdigit():
            # "08:00-14:00;" ends a clause; "08:00-14:00;fri" already names the next days.
            state = "day" if word.endswith(";") else "segments" if ";" in word else "more"
        elif state == "more" and word.startswith(";"):
            state = "day" if word == ";" else "segments"
        else:
            return (" ".join(spec) if spec else None), words[index:]
        spec.append(word)
    return (" ".join(spec) if spec else None), []


def _is_day(word: str) -> bool:
    head = word.split("-")[0].split(",")[0].lower()
    return head in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    confirm, cancel = callbacks.CALENDAR_CONFIRM, callbacks.CALENDAR_CANCEL
    return [
        CommandHandler("libur", manage_calendar),
        CallbackQueryHandler(confirm_override, pattern=callbacks.pattern(confirm)),
        CallbackQueryHandler(cancel_override, pattern=callbacks.pattern(cancel)),
    ]
