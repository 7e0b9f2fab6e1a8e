"""The check most typed answers go through: trimmed, of a length within bounds, else refused."""

from __future__ import annotations

from bot.services.errors import InvalidInput


def within(
    text: str, low: int, high: int, code: str, *, one_line: bool = False, letter: bool = False
) -> str:
    """Returns the text trimmed (with runs of white space folded to one space when it is one
    line), refused as `code` unless it has low..high characters (and a letter, when asked)."""
    value = " ".join(text.split()) if one_line else text.strip()
    if not low <= len(value) <= high or (letter and not any(ch.isalpha() for ch in value)):
        raise InvalidInput(code)
    return value
