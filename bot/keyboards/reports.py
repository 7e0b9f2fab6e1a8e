"""The /laporan period buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button
from bot.services.reports.period import Preset
from bot.texts import reports as t


def periods() -> InlineKeyboardMarkup:
    """Returns the period buttons: this and last month, this and last quarter, this year."""
    b = {kind: button(t.PRESETS[kind], callbacks.REPORT_PERIOD, kind.value) for kind in Preset}
    return InlineKeyboardMarkup(
        [
            [b[Preset.THIS_MONTH], b[Preset.LAST_MONTH]],
            [b[Preset.THIS_QUARTER], b[Preset.LAST_QUARTER]],
            [b[Preset.THIS_YEAR]],
        ]
    )
