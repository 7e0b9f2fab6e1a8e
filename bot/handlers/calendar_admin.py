"""Admin command /libur: holidays and special office hours of the business calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext, actor_of
from bot.services import calendar_admin
from bot.services.errors import DomainError
from bot.texts import sla as t


def _date(text: str) -> date:
    return date.fromisoformat(text)


async def manage_calendar(update: Update, context: BotContext) -> None:
    """Lists or changes holidays and schedule overrides (admins only)."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    now = services.now()
    actor = actor_of(update)
    settings = services.settings
    try:
        async with services.uow() as uow:
            if not args:
                data = await calendar_admin.overview(uow, actor, now=now, settings=settings)
                await message.reply_text(t.calendar_overview(data))
                return
            if action == "tambah" and len(args) >= 3:
                day = _date(args[1])
                name = " ".join(args[2:])
                change = await calendar_admin.add_holiday(
                    uow, actor, day, name, now=now, settings=settings
                )
                reply = t.holiday_added(day, name, change)
            elif action == "hapus" and len(args) == 2:
                day = _date(args[1])
                change = await calendar_admin.remove_holiday(
                    uow, actor, day, now=now, settings=settings
                )
                reply = t.holiday_removed(day, change)
            elif action == "jam" and len(args) >= 5:
                start, end = _date(args[1]), _date(args[2])
                # The spec itself contains a space ("mon-thu 08:00-14:00;fri ..."), so the
                # name is whatever follows the last clause's segments.
                spec_words, name_words = _split_spec(args[3:])
                change = await calendar_admin.add_override(
                    uow,
                    actor,
                    start,
                    end,
                    " ".join(spec_words),
                    " ".join(name_words),
                    now=now,
                    settings=settings,
                )
                reply = t.override_added(start, end, change)
            elif (
                action == "hapus_jam"
                and len(args) == 2
                and (override_id := callbacks.db_id(args[1])) is not None
            ):
                change = await calendar_admin.remove_override(
                    uow, actor, override_id, now=now, settings=settings
                )
                reply = t.override_removed(override_id, change)
            else:
                await message.reply_text(t.USAGE)
                return
    except ValueError:
        await message.reply_text(t.USAGE)
        return
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    services.use_calendar(change.calendar)
    await message.reply_text(reply)


def _split_spec(words: list[str]) -> tuple[list[str], list[str]]:
    """Splits `mon-thu 08:00-14:00;fri 08:00-11:00 Ramadan 1448` into spec and name words."""
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
            return spec, words[index:]
        spec.append(word)
    return spec, []


def _is_day(word: str) -> bool:
    head = word.split("-")[0].split(",")[0].lower()
    return head in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return [CommandHandler("libur", manage_calendar)]
