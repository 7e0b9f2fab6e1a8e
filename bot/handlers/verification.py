"""`/verifikasi KODE` and the QR code's `/start ba_<code>`: is this berita acara genuine?

Open to everyone in a private chat, registered or not (an auditor, the head of an OPD); the
answer never goes to a group, as it names people.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext, use_case
from bot.services import verification
from bot.texts import verification as t

# The QR code opens the bot with this payload (see berita_acara.verification_payload).
LINK = r"^/start(@\w+)?\s+ba_\S*\s*$"


class Verifier:
    """The two ways in, sharing one count of tries per person."""

    def __init__(self) -> None:
        self.tries = verification.TryCounter()

    async def by_command(self, update: Update, context: BotContext) -> None:
        """Checks the code typed after /verifikasi, or explains the command."""
        message = update.effective_message
        if message is None:
            return
        if not context.args:
            await message.reply_text(t.USAGE)
            return
        await self._check(message, update, context, " ".join(context.args))

    async def by_link(self, update: Update, context: BotContext) -> None:
        """Checks the code carried by the QR code's deep link."""
        message = update.effective_message
        if message is None or not context.args:
            return
        await self._check(message, update, context, context.args[0])

    async def _check(
        self, message: Message, update: Update, context: BotContext, typed: str
    ) -> None:
        ctx = use_case(update, context)
        try:
            async with context.services.uow() as uow:
                found = await verification.check(uow, self.tries, typed, ctx)
        except verification.TooManyTries:
            await message.reply_text(t.TOO_MANY)
            return
        if found is None:
            await message.reply_text(t.UNKNOWN)
        else:
            await message.reply_text(t.valid(found, ctx.settings.timezone))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers (before the registration, which takes other payloads)."""
    verifier = Verifier()
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("verifikasi", verifier.by_command, filters=private),
        CommandHandler("start", verifier.by_link, filters=private & filters.Regex(LINK)),
    ]
