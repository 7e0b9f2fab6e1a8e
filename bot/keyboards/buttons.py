"""The pieces every inline keyboard is made of: a button with its callback data, and the rows
of a layout reduced to the buttons on offer."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks

A = TypeVar("A")


def button(label: str, action: str, ident: int | str) -> InlineKeyboardButton:
    """Returns an inline button that sends `action` with `ident` (see `bot.callbacks`)."""
    return InlineKeyboardButton(label, callback_data=callbacks.make(action, ident))


def offered_rows(
    layout: Iterable[Iterable[A]],
    offered: Container[A],
    make: Callable[[A], InlineKeyboardButton],
) -> InlineKeyboardMarkup | None:
    """Returns the layout's rows with only the offered buttons; None when none is left."""
    rows = [[make(action) for action in row if action in offered] for row in layout]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None
