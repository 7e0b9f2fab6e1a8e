"""Keyboards of the admin commands: the OPD picker of /undang, the /libur confirmation."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.services.domain import OpdView
from bot.texts import admin as t

PAGE_SIZE = 8


def page_count(opds: Sequence[OpdView]) -> int:
    """Returns how many pages the OPD picker has."""
    return max(1, -(-len(opds) // PAGE_SIZE))


def clamp_page(opds: Sequence[OpdView], page: int) -> int:
    """Returns a page number that exists (an old button may point past the end)."""
    return min(max(page, 0), page_count(opds) - 1)


def opd_picker(opds: Sequence[OpdView], page: int) -> InlineKeyboardMarkup:
    """Returns one page of OPD buttons with previous/next buttons."""
    page = clamp_page(opds, page)
    start = page * PAGE_SIZE
    rows = [
        [button(opd.name, callbacks.INVITE_OPD, opd.id)] for opd in opds[start : start + PAGE_SIZE]
    ]
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(button(t.PREVIOUS_PAGE, callbacks.INVITE_PAGE, page - 1))
    if page < page_count(opds) - 1:
        nav.append(button(t.NEXT_PAGE, callbacks.INVITE_PAGE, page + 1))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def confirm_override(nonce: str) -> InlineKeyboardMarkup:
    """Returns the Ya/Batal buttons of an override that closes working days."""
    return InlineKeyboardMarkup(
        [
            [
                button(t.OVERRIDE_YES, callbacks.CALENDAR_CONFIRM, nonce),
                button(t.OVERRIDE_NO, callbacks.CALENDAR_CANCEL, nonce),
            ]
        ]
    )
