"""The checks on attached files: allowed types, the 20 MB limit, the photo count."""

from __future__ import annotations

import json

import pytest

from bot.services import attachments
from bot.services.domain import FileRef, Media
from bot.services.errors import InvalidInput
from bot.texts import report as t

MB = 1024 * 1024


def test_a_photo_within_the_limit_becomes_a_jpeg_reference() -> None:
    ref = attachments.photo("p1", "p1-u", 3 * MB)
    assert ref == FileRef("p1", "p1-u", Media.PHOTO, "image/jpeg", 3 * MB)


def test_a_photo_over_20_mb_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        attachments.photo("p1", "p1-u", 20 * MB + 1)
    assert caught.value.code == attachments.FILE_TOO_LARGE
    assert "20 MB" in t.input_error(caught.value)


def test_exactly_20_mb_and_an_unknown_size_pass() -> None:
    attachments.check_size(20 * MB)
    attachments.check_size(None)


@pytest.mark.parametrize(
    ("mime", "name"),
    [
        ("application/pdf", "surat.pdf"),
        ("image/jpeg", "surat.JPG"),
        ("image/jpeg", "scan.jpeg"),
        ("image/png", "surat.png"),
        ("application/pdf", None),
    ],
)
def test_letters_may_be_pdf_jpeg_or_png(mime: str, name: str | None) -> None:
    ref = attachments.document("d", "d-u", mime, name, MB, allowed=attachments.LETTER_TYPES)
    assert ref.media is Media.DOCUMENT and ref.mime_type == mime


@pytest.mark.parametrize(
    ("mime", "name"),
    [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.docx"),
        ("application/x-msdownload", "setup.exe"),
        (None, "surat.pdf"),
        ("application/pdf", "surat.exe"),  # the name contradicts the claimed type
        ("image/gif", "a.gif"),
    ],
)
def test_other_documents_are_refused(mime: str | None, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        attachments.document("d", "d-u", mime, name, MB, allowed=attachments.LETTER_TYPES)
    assert caught.value.code == attachments.FILE_TYPE


def test_a_pdf_is_not_a_photo() -> None:
    with pytest.raises(InvalidInput) as caught:
        attachments.document(
            "d", "d-u", "application/pdf", "a.pdf", MB, allowed=attachments.IMAGE_TYPES
        )
    assert t.input_error(caught.value) == t.PHOTO_FILE_TYPE
    assert t.input_error(caught.value, t.LETTER_FILE_TYPE) == t.LETTER_FILE_TYPE


def test_an_oversized_pdf_is_refused_for_its_size() -> None:
    with pytest.raises(InvalidInput) as caught:
        attachments.document(
            "d", "d-u", "application/pdf", "a.pdf", 25 * MB, allowed=attachments.LETTER_TYPES
        )
    assert caught.value.code == attachments.FILE_TOO_LARGE


def test_a_report_holds_at_most_five_photos() -> None:
    photos: tuple[FileRef, ...] = ()
    for i in range(5):
        photos = attachments.add_photo(photos, attachments.photo(f"p{i}", f"u{i}", MB))
    assert len(photos) == 5
    with pytest.raises(InvalidInput) as caught:
        attachments.add_photo(photos, attachments.photo("p6", "u6", MB))
    assert caught.value.code == attachments.TOO_MANY_PHOTOS


def test_references_survive_a_json_round_trip() -> None:
    refs = [
        attachments.photo("p1", "p1-u", 1234),
        FileRef("d1", "d1-u", Media.DOCUMENT, None, None),
    ]
    for ref in refs:
        stored = json.loads(json.dumps(attachments.to_json(ref)))
        assert attachments.from_json(stored) == ref
