"""Limits and validators of what the repair procedure's forms collect."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.services.domain import FileRef, MaterialLine, ReplacedLine, Signatory
from bot.services.errors import InvalidInput
from bot.services.ticket_flow import NOTE_MAX as NOTE_MAX
from bot.services.ticket_flow import TEXT_MIN as TEXT_MIN
from bot.services.ticket_flow import clean_note as clean_note
from bot.services.users import clean_name, clean_nip, clean_position
from bot.services.validation import within

LONG_TEXT_MAX = 2000
ITEM_NAME_MAX = 100
SPEC_MAX = 200
UNIT_MAX = 20
SERIAL_MAX = 64
QUANTITY_MAX = 10_000
ITEMS_MAX = 20
PHOTOS_MAX = 5

Line = TypeVar("Line", MaterialLine, ReplacedLine)


def clean_long_text(text: str, code: str) -> str:
    """Validates a longer text (diagnosis, actions, reason)."""
    return within(text, TEXT_MIN, LONG_TEXT_MAX, code)


def clean_material_line(line: MaterialLine) -> MaterialLine:
    """Validates one requested item."""
    name = " ".join(line.name.split())
    spec = " ".join(line.specification.split())
    unit = " ".join(line.unit.split())
    if not (2 <= len(name) <= ITEM_NAME_MAX) or len(spec) > SPEC_MAX:
        raise InvalidInput("item")
    if not (1 <= line.quantity <= QUANTITY_MAX) or not (1 <= len(unit) <= UNIT_MAX):
        raise InvalidInput("item")
    return MaterialLine(name, spec or "-", line.quantity, unit)


def clean_replaced_line(line: ReplacedLine) -> ReplacedLine:
    """Validates one replaced piece of equipment."""
    name = " ".join(line.name.split())
    unit = " ".join(line.unit.split())
    if not (2 <= len(name) <= ITEM_NAME_MAX) or not (1 <= len(unit) <= UNIT_MAX):
        raise InvalidInput("item")
    if not (1 <= line.quantity <= QUANTITY_MAX):
        raise InvalidInput("item")
    serials: list[str | None] = []
    for serial in (line.old_serial, line.new_serial):
        value = (serial or "").strip()
        if value in ("", "-"):
            serials.append(None)
        elif len(value) > SERIAL_MAX:
            raise InvalidInput("serial")
        else:
            serials.append(value)
    return ReplacedLine(name, line.quantity, unit, serials[0], serials[1])


def clean_equipment(
    items: Sequence[Line],
    clean: Callable[[Line], Line],
    photos: Sequence[FileRef],
    *,
    required: bool,
) -> list[Line]:
    """Validates a form's equipment lines (at most ITEMS_MAX) and the number of its photos."""
    lines = [clean(line) for line in items]
    if (required and not lines) or len(lines) > ITEMS_MAX:
        raise InvalidInput("items")
    if len(photos) > PHOTOS_MAX:
        raise InvalidInput("photos")
    return lines


def clean_signatory(signatory: Signatory) -> Signatory:
    """Validates the signatory's name, NIP (optional) and position."""
    return Signatory(
        name=clean_name(signatory.name),
        nip=clean_nip(signatory.nip) if signatory.nip else None,
        position=clean_position(signatory.position),
    )
