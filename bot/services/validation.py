"""The check most typed answers go through: trimmed, of a length within bounds, else refused."""

from __future__ import annotations

from bot.services.errors import InvalidInput


def within(
    text: str, low: int, high: int, code: str, *, one_line: bool = False, letter: bool = False
) -> str:
    """Returns the trimmed text, refused as `code` unless it has low..high characters."""
    # One-line answers (names, places) have their runs of white space folded to one space;
    # names must also hold a letter.
    value = " ".join(text.split()) if one_line else text.strip()
    if not low <= len(value) <= high or (letter and not any(ch.isalpha() for ch in value)):
        raise InvalidInput(code)
    return value


def record_number(text: str, prefix: str, code: str) -> str:
    """Normalises a typed `<prefix>-<year>-<n>` (`bn-2026-1`: `BN-2026-00001`) or refuses it."""
    parts = text.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != prefix or not parts[1].isdigit() or not parts[2].isdigit():
        raise InvalidInput(code)
    if len(parts[1]) != 4 or len(parts[2]) > 5:
        raise InvalidInput(code)
    return f"{prefix}-{parts[1]}-{int(parts[2]):05d}"
