"""Admin commands: /undang (invite links), /opd (the OPD list), /peran (roles)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import BotContext, actor_of
from bot.handlers.support import button_id
from bot.keyboards import admin as keyboards
from bot.services import opds, users
from bot.services.errors import DomainError
from bot.texts import admin as t

TELEGRAM_ID_MAX_DIGITS = 15


def _invite_limits(context: BotContext) -> tuple[timedelta, int]:
    settings = context.services.settings
    return timedelta(hours=settings.invite_ttl_hours), settings.invite_max_uses


def _bot_username(context: BotContext) -> str:
    return context.bot.username


async def create_invite(update: Update, context: BotContext) -> None:
    """Shows the OPD picker, or with `/undang KODE` creates the invite link directly."""
    message = update.effective_message
    if message is None:
        return
    if context.args:
        await _invite_by_code(update, context, message, context.args[0])
        return
    services = context.services
    try:
        async with services.uow() as uow:
            active = await opds.list_opds(
                uow,
                actor_of(update),
                now=services.now(),
                admin_ids=services.settings.admin_ids,
                active_only=True,
            )
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    if not active:
        await message.reply_text(t.NO_ACTIVE_OPD)
        return
    await message.reply_text(
        t.CHOOSE_OPD.format(page=1, pages=keyboards.page_count(active)),
        reply_markup=keyboards.opd_picker(active, 0),
    )


async def _invite_by_code(
    update: Update, context: BotContext, message: Message, code: str
) -> None:
    """Creates the invite link of the OPD with this code."""
    services = context.services
    ttl, max_uses = _invite_limits(context)
    try:
        async with services.uow() as uow:
            invite = await opds.invite_for_code(
                uow,
                actor_of(update),
                code,
                now=services.now(),
                ttl=ttl,
                max_uses=max_uses,
                admin_ids=services.settings.admin_ids,
            )
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    await message.reply_text(
        t.invite_created(invite, _bot_username(context), services.settings.timezone)
    )


async def turn_invite_page(update: Update, context: BotContext) -> None:
    """Shows another page of the OPD picker."""
    query = update.callback_query
    if query is None:
        return
    page = await button_id(query, callbacks.INVITE_PAGE)
    if page is None:
        return
    services = context.services
    try:
        async with services.uow() as uow:
            active = await opds.list_opds(
                uow,
                actor_of(update),
                now=services.now(),
                admin_ids=services.settings.admin_ids,
                active_only=True,
            )
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer()
    page = keyboards.clamp_page(active, page)
    await query.edit_message_text(
        t.CHOOSE_OPD.format(page=page + 1, pages=keyboards.page_count(active)),
        reply_markup=keyboards.opd_picker(active, page),
    )


async def pick_invite_opd(update: Update, context: BotContext) -> None:
    """Creates the invite link for the OPD picked from the list."""
    query = update.callback_query
    if query is None:
        return
    opd_id = await button_id(query, callbacks.INVITE_OPD)
    if opd_id is None:
        return
    services = context.services
    ttl, max_uses = _invite_limits(context)
    try:
        async with services.uow() as uow:
            invite = await users.create_invite(
                uow,
                actor_of(update),
                opd_id,
                now=services.now(),
                ttl=ttl,
                max_uses=max_uses,
                admin_ids=services.settings.admin_ids,
            )
    except DomainError as error:
        await query.answer(t.refusal(error), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(
        t.invite_created(invite, _bot_username(context), services.settings.timezone)
    )


async def manage_opds(update: Update, context: BotContext) -> None:
    """Lists OPDs, or adds, renames, deactivates or reactivates one (`/opd SUB KODE [NAMA]`)."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    action = t.OPD_SUBCOMMANDS.get(args[0].lower()) if args else "list"
    needs_name = action in ("add", "rename")
    if action is None or (action != "list" and len(args) < (3 if needs_name else 2)):
        await _refuse_or_usage(update, context, message)
        return
    services = context.services
    common: dict[str, Any] = {"now": services.now(), "admin_ids": services.settings.admin_ids}
    actor = actor_of(update)
    try:
        async with services.uow() as uow:
            if action == "list":
                texts = t.opd_list(await opds.list_opds(uow, actor, **common))
            elif action == "add":
                added = await opds.add_opd(uow, actor, args[1], " ".join(args[2:]), **common)
                texts = [t.opd_added(added)]
            elif action == "rename":
                renamed = await opds.rename_opd(uow, actor, args[1], " ".join(args[2:]), **common)
                texts = [t.opd_renamed(renamed)]
            else:
                changed = await opds.set_opd_active(
                    uow, actor, args[1], action == "activate", **common
                )
                texts = [t.opd_active_changed(changed)]
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    for text in texts:
        await message.reply_text(text)


async def _refuse_or_usage(update: Update, context: BotContext, message: Message) -> None:
    """Shows the /opd usage to admins and the refusal to everyone else."""
    services = context.services
    try:
        async with services.uow() as uow:
            await opds.check_admin(
                uow, actor_of(update), now=services.now(), admin_ids=services.settings.admin_ids
            )
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    await message.reply_text(t.OPD_USAGE)


async def manage_roles(update: Update, context: BotContext) -> None:
    """Shows (`/peran ID`), grants (`/peran ID PERAN`) or revokes (`... cabut`) a user's roles."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    target = _telegram_id(args[0]) if args else None
    role = t.parse_role(args[1]) if len(args) >= 2 else None
    revoke = len(args) == 3 and args[2].lower() in t.REVOKE_WORDS
    well_formed = target is not None and (
        len(args) == 1 or (role is not None and (len(args) == 2 or revoke))
    )
    services = context.services
    common: dict[str, Any] = {"now": services.now(), "admin_ids": services.settings.admin_ids}
    actor = actor_of(update)
    try:
        async with services.uow() as uow:
            if not well_formed or target is None:
                await opds.check_admin(uow, actor, **common)
                text = t.peran_usage()
            elif role is None:
                text = t.user_roles(await users.describe_user(uow, actor, target, **common))
            else:
                view = await users.set_role(uow, actor, target, role, not revoke, **common)
                text = t.role_changed(view, role, not revoke)
    except DomainError as error:
        await message.reply_text(t.refusal(error))
        return
    await message.reply_text(text)


def _telegram_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= TELEGRAM_ID_MAX_DIGITS else None


async def private_only(update: Update, context: BotContext) -> None:
    """Tells that admin commands work only in a private chat with the bot."""
    if update.effective_message:
        await update.effective_message.reply_text(t.PRIVATE_ONLY)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("undang", create_invite, filters=private),
        CommandHandler("opd", manage_opds, filters=private),
        CommandHandler("peran", manage_roles, filters=private),
        CommandHandler(["undang", "opd", "peran"], private_only, filters=filters.ChatType.GROUPS),
        CallbackQueryHandler(turn_invite_page, pattern=callbacks.pattern(callbacks.INVITE_PAGE)),
        CallbackQueryHandler(pick_invite_opd, pattern=callbacks.pattern(callbacks.INVITE_OPD)),
    ]
