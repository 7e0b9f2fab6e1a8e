"""What users send, made safe once before any handler reads it: no control characters.

PostgreSQL refuses a NUL character in text (the whole use case fails), and the other C0 control
characters are invisible garbage in names, reports and printed documents. Every incoming text
passes through `clean_update` in the first handler group, so no validator has to remember it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import Message, MessageEntity, TelegramObject, Update

# C0 controls except tab and line feed; a CR of a CRLF simply goes, leaving the LF.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")


def strip_controls(text: str) -> str:
    """Returns the text without C0 control characters (tab and newline are kept)."""
    return _CONTROLS.sub("", text)


def clean_update(update: Update) -> bool:
    """Strips control characters from every user-written text of an update; True if any."""
    changed = False
    message = update.message or update.edited_message
    if message is not None:
        changed |= _clean_message(message)
    user = update.effective_user
    if user is not None:
        changed |= _clean_fields(user, ("first_name", "last_name", "username"))
    return changed


def _clean_message(message: Message) -> bool:
    changed = _clean_text(message, "text", "entities")
    changed |= _clean_text(message, "caption", "caption_entities")
    if message.contact is not None:
        changed |= _clean_fields(
            message.contact, ("phone_number", "first_name", "last_name", "vcard")
        )
    if message.document is not None:
        changed |= _clean_fields(message.document, ("file_name",))
    return changed


def _clean_fields(obj: TelegramObject, names: Sequence[str]) -> bool:
    changed = False
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, str) and _CONTROLS.search(value):
            # PTB objects are frozen; this is PTB's own way to change one after creation.
            with obj._unfrozen():
                setattr(obj, name, strip_controls(value))
            changed = True
    return changed


def _clean_text(message: Message, field: str, entities_field: str) -> bool:
    text = getattr(message, field)
    if not isinstance(text, str) or not _CONTROLS.search(text):
        return False
    removed = _removed_offsets(text)
    entities = tuple(
        moved
        for entity in getattr(message, entities_field)
        if (moved := _shift(entity, removed)) is not None
    )
    with message._unfrozen():
        setattr(message, field, strip_controls(text))
        setattr(message, entities_field, entities)
    return True


def _removed_offsets(text: str) -> list[int]:
    """Returns the UTF-16 offsets (Telegram's unit for entities) of the characters removed."""
    offsets: list[int] = []
    position = 0
    for char in text:
        if _CONTROLS.match(char):
            offsets.append(position)
        position += 2 if ord(char) > 0xFFFF else 1
    return offsets


def _shift(entity: MessageEntity, removed: list[int]) -> MessageEntity | None:
    """Returns the entity moved over the removed characters (None when nothing of it is left)."""
    start, end = entity.offset, entity.offset + entity.length
    before = sum(1 for offset in removed if offset < start)
    inside = sum(1 for offset in removed if start <= offset < end)
    if entity.length - inside <= 0:
        return None
    if not before and not inside:
        return entity
    data = entity.to_dict()
    data["offset"] = start - before
    data["length"] = entity.length - inside
    return MessageEntity.de_json(data)
