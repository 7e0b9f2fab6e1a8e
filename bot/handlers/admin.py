"""Admin commands: /undang (invite links), /opd (the OPD list), /peran (roles)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import BotContext
from bot.handlers.support import edit_unless_shown, on_button, on_command, remember_shown
from bot.keyboards import admin as keyboards
from bot.services import opds, users
from bot.services.context import Context
from bot.services.domain import OpdView
from bot.services.uow import UnitOfWork
from bot.services.users import InviteView
from bot.texts import admin as t

TELEGRAM_ID_MAX_DIGITS = 15


async def _active_opds(uow: UnitOfWork, ctx: Context) -> list[OpdView]:
    return await opds.list_opds(uow, ctx, active_only=True)


def _picker_page(active: list[OpdView], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Returns the text and buttons of one page of the OPD picker."""
    page = keyboards.clamp_page(active, page)
    text = t.CHOOSE_OPD.format(page=page + 1, pages=keyboards.page_count(active))
    return text, keyboards.opd_picker(active, page)


def _invite_text(invite: InviteView, context: BotContext) -> str:
    return t.invite_created(invite, context.bot.username, context.services.settings.timezone)


async def create_invite(update: Update, context: BotContext) -> None:
    """Shows the OPD picker, or with `/undang KODE` creates the invite link directly."""
    if context.args:
        await _invite_by_code(update, context, context.args[0])
        return
    done = await on_command(update, context, _active_opds, t.refusal)
    if done is None:
        return
    message, active = done
    if not active:
        await message.reply_text(t.NO_ACTIVE_OPD)
        return
    text, markup = _picker_page(active, 0)
    sent = await message.reply_text(text, reply_markup=markup)
    remember_shown(context.chat_data, sent, text, markup)


async def _invite_by_code(update: Update, context: BotContext, code: str) -> None:
    """Creates the invite link of the OPD with this code."""

    async def invite(uow: UnitOfWork, ctx: Context) -> InviteView:
        return await opds.invite_for_code(uow, ctx, code)

    done = await on_command(update, context, invite, t.refusal)
    if done is not None:
        message, created = done
        await message.reply_text(_invite_text(created, context))


async def turn_invite_page(update: Update, context: BotContext) -> None:
    """Shows another page of the OPD picker (a double tap leaves the page as it is)."""

    async def active(uow: UnitOfWork, ctx: Context, _page: int) -> list[OpdView]:
        return await _active_opds(uow, ctx)

    done = await on_button(update, context, callbacks.INVITE_PAGE, active, t.refusal)
    if done is None:
        return
    query, page, listed = done
    await query.answer()
    text, markup = _picker_page(listed, page)
    await edit_unless_shown(query, context.chat_data, text, markup)


async def pick_invite_opd(update: Update, context: BotContext) -> None:
    """Creates the invite link for the OPD picked from the list."""
    done = await on_button(update, context, callbacks.INVITE_OPD, users.create_invite, t.refusal)
    if done is not None:
        query, _, created = done
        await query.answer()
        await query.edit_message_text(_invite_text(created, context))


async def manage_opds(update: Update, context: BotContext) -> None:
    """Lists OPDs, or adds, renames, deactivates or reactivates one (`/opd SUB KODE [NAMA]`)."""
    args = context.args or []
    action = t.OPD_SUBCOMMANDS.get(args[0].lower()) if args else "list"
    needs_name = action in ("add", "rename")
    if action is None or (action != "list" and len(args) < (3 if needs_name else 2)):
        await _refuse_or_usage(update, context)
        return

    async def apply(uow: UnitOfWork, ctx: Context) -> list[str]:
        if action == "list":
            return t.opd_list(await opds.list_opds(uow, ctx))
        if action == "add":
            added = await opds.add_opd(uow, ctx, args[1], " ".join(args[2:]))
            return [t.opd_added(added)]
        if action == "rename":
            renamed = await opds.rename_opd(uow, ctx, args[1], " ".join(args[2:]))
            return [t.opd_renamed(renamed)]
        changed = await opds.set_opd_active(uow, ctx, args[1], action == "activate")
        return [t.opd_active_changed(changed)]

    done = await on_command(update, context, apply, t.refusal)
    if done is not None:
        message, texts = done
        for text in texts:
            await message.reply_text(text)


async def _refuse_or_usage(update: Update, context: BotContext) -> None:
    """Shows the /opd usage to admins and the refusal to everyone else."""
    done = await on_command(update, context, opds.check_admin, t.refusal)
    if done is not None:
        await done[0].reply_text(t.OPD_USAGE)


async def manage_roles(update: Update, context: BotContext) -> None:
    """Shows (`/peran ID`), grants (`/peran ID PERAN`) or revokes (`... cabut`) a user's roles."""
    args = context.args or []
    target = _telegram_id(args[0]) if args else None
    role = t.parse_role(args[1]) if len(args) >= 2 else None
    revoke = len(args) == 3 and args[2].lower() in t.REVOKE_WORDS
    well_formed = target is not None and (
        len(args) == 1 or (role is not None and (len(args) == 2 or revoke))
    )

    async def apply(uow: UnitOfWork, ctx: Context) -> str:
        if not well_formed or target is None:
            await opds.check_admin(uow, ctx)
            return t.peran_usage()
        if role is None:
            return t.user_roles(await users.describe_user(uow, ctx, target))
        view = await users.set_role(uow, ctx, target, role, not revoke)
        return t.role_changed(view, role, not revoke)

    done = await on_command(update, context, apply, t.refusal)
    if done is not None:
        message, text = done
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
