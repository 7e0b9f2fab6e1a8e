"""Rendering of the berita acara's confirmation requests, reminders and waits (issue 12)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.render.common import message
from bot.services.notices import BaConfirmRequest, BaWaiting, OutboxDraft, ProfileNeeded
from bot.texts import berita_acara as t


def confirm_request(notice: BaConfirmRequest) -> list[OutboxDraft]:
    """Asks a party privately to confirm, with the button that opens the confirmation."""
    text = t.request(
        notice.ticket,
        notice.party,
        notice.requested_by,
        notice.actions,
        notice.items,
        notice.reminder,
    )
    markup = InlineKeyboardMarkup(
        [[button(t.OPEN_REQUEST, callbacks.BA_CONFIRM, notice.confirmation_id)]]
    )
    return [message(notice.chat_id, text, markup)]


def waiting(notice: BaWaiting) -> list[OutboxDraft]:
    """Tells a coordinator that a berita acara still waits after the reminders."""
    text = t.awaiting_coordinator(
        notice.ticket, notice.awaited_name, notice.party, notice.since, notice.timezone
    )
    return [message(notice.chat_id, text)]


def profile_needed(notice: ProfileNeeded) -> list[OutboxDraft]:
    """Asks the Kepala Bidang once to complete the NIP shown under "Mengetahui"."""
    return [message(notice.chat_id, t.kabid_profile(notice.berita_acara_number))]
