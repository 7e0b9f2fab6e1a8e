"""Files users attach (DESIGN §6): allowed types, the Bot API size limit, how many photos a
report holds, and a reference as plain data (a persisted draft, a stored row) and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.services.domain import FileRef, Media
from bot.services.errors import InvalidInput
from db.models import Attachment, ComplaintFile

# The Bot API lets a bot download files up to 20 MB; anything larger is unusable to the team.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
PHOTOS_MAX = 5  # photos of a fault report

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# Telegram re-encodes photos as JPEG.
PHOTO_MIME = JPEG
IMAGE_TYPES = frozenset({JPEG, PNG})
LETTER_TYPES = frozenset({PDF, JPEG, PNG})

_EXTENSIONS = {
    PDF: frozenset({".pdf"}),
    JPEG: frozenset({".jpg", ".jpeg"}),
    PNG: frozenset({".png"}),
}

FILE_TYPE = "file_type"
FILE_TOO_LARGE = "file_too_large"
TOO_MANY_PHOTOS = "too_many_photos"


def check_size(file_size: int | None) -> None:
    """Refuses a file larger than the Bot API download limit (an unknown size passes)."""
    if file_size is not None and file_size > MAX_FILE_BYTES:
        raise InvalidInput(FILE_TOO_LARGE, max_mb=MAX_FILE_MB)


def photo(file_id: str, file_unique_id: str, file_size: int | None) -> FileRef:
    """Returns the reference of a photo message after checking its size."""
    check_size(file_size)
    return FileRef(file_id, file_unique_id, Media.PHOTO, PHOTO_MIME, file_size)


def document(
    file_id: str,
    file_unique_id: str,
    mime_type: str | None,
    file_name: str | None,
    file_size: int | None,
    *,
    allowed: frozenset[str],
) -> FileRef:
    """Returns the reference of a document whose type is allowed and size fits."""
    mime = (mime_type or "").lower()
    if mime not in allowed:
        raise InvalidInput(FILE_TYPE)
    # The MIME type comes from the sender's client; a name that says otherwise is suspicious.
    if file_name and "." in file_name:
        extension = file_name[file_name.rindex(".") :].lower()
        if extension not in _EXTENSIONS[mime]:
            raise InvalidInput(FILE_TYPE)
    check_size(file_size)
    return FileRef(file_id, file_unique_id, Media.DOCUMENT, mime, file_size)


def add_photo(photos: Sequence[FileRef], ref: FileRef) -> tuple[FileRef, ...]:
    """Returns the photos with one more, refusing beyond the maximum a report holds."""
    if len(photos) >= PHOTOS_MAX:
        raise InvalidInput(TOO_MANY_PHOTOS, max=PHOTOS_MAX)
    return (*photos, ref)


def to_json(ref: FileRef) -> dict[str, Any]:
    """Returns a file reference as plain JSON data: a persisted draft's, a stored row's columns."""
    return {
        "file_id": ref.file_id,
        "file_unique_id": ref.file_unique_id,
        "media": ref.media.value,
        "mime_type": ref.mime_type,
        "file_size": ref.file_size,
    }


def from_json(data: dict[str, Any]) -> FileRef:
    """Returns the file reference stored by `to_json`."""
    size = data.get("file_size")
    mime = data.get("mime_type")
    return FileRef(
        file_id=str(data["file_id"]),
        file_unique_id=str(data["file_unique_id"]),
        media=Media(data["media"]),
        mime_type=str(mime) if mime is not None else None,
        file_size=int(size) if size is not None else None,
    )


def stored(row: Attachment | ComplaintFile) -> FileRef:
    """Returns the reference of a stored file (a ticket's attachment, a complaint's file)."""
    return FileRef(row.file_id, row.file_unique_id, Media(row.media), row.mime_type, row.file_size)
