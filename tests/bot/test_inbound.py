"""Control characters never get past the first handler group; statement parameters never leak."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from telegram import Update

from bot import inbound
from bot.texts.common import GENERIC_ERROR
from db.models import CalendarHoliday, Ticket, User
from db.session import create_engine
from tests.factories import Person
from tests.harness import ADMIN, Harness
from tests.stories import fill_report_form

SITI = Person(2101, "Siti", "Aminah")


async def test_a_report_with_nul_characters_is_stored_without_them(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """The adversarial case of the issue: PostgreSQL would refuse the NUL and fail the report."""
    h = harness
    await h.reporter(SITI)
    caplog.set_level(logging.ERROR)
    await fill_report_form(
        h,
        SITI,
        "Internet mati total",
        "Seluruh kantor",
        "Ruang\x00 server\x1b lantai 2",
        "Internet mati\x00\x00 sejak pagi,\r\nlampu modem\tberkedip merah.",
        "Gunakan 081234567890",
    )
    await h.choose(SITI, "Kirim laporan")

    assert "BN-2026-00001" in h.last_reply(SITI).text
    async with h.services.uow() as uow:
        (ticket,) = (await uow.session.scalars(select(Ticket))).all()
    assert ticket.location == "Ruang server lantai 2"
    assert ticket.description == "Internet mati sejak pagi,\nlampu modem\tberkedip merah."
    assert GENERIC_ERROR not in [c.text for c in h.api.calls]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_command_argument_and_a_name_lose_their_control_characters(
    harness: Harness,
) -> None:
    h = harness
    await h.say(
        Person(ADMIN.id, "Ad\x00min", "Kominfo"), "/libur tambah 2026-12-02 Hari\x00Jadi\x07 Kota"
    )
    assert "ditetapkan sebagai hari libur: HariJadi Kota" in h.last_reply(ADMIN).text
    async with h.services.uow() as uow:
        (holiday,) = (await uow.session.scalars(select(CalendarHoliday))).all()
        admin = await uow.session.scalar(select(User).where(User.telegram_id == ADMIN.id))
    assert (holiday.day, holiday.name) == (date(2026, 12, 2), "HariJadi Kota")
    assert admin is not None and admin.full_name == "Admin Kominfo"


def test_entities_move_over_the_removed_characters(harness: Harness) -> None:
    """Telegram counts entity offsets in UTF-16 units; they must still point at their words."""
    raw = "\x00/cari\x00 a😀\x07b tebal"
    update = Update.de_json(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_780_000_000,
                "chat": {"id": 5, "type": "private", "first_name": "A"},
                "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "text": raw,
                "entities": [
                    {"type": "bot_command", "offset": 1, "length": 5},
                    {"type": "italic", "offset": 0, "length": 1},  # only a NUL: dropped
                    {"type": "bold", "offset": 8, "length": 5},  # "a😀\x07b"
                    {"type": "underline", "offset": 14, "length": 5},  # "tebal"
                ],
            },
        },
        harness.app.bot,
    )
    assert inbound.clean_update(update)
    message = update.message
    assert message is not None
    assert message.text == "/cari a😀b tebal"
    assert [(e.type, message.parse_entity(e)) for e in message.entities] == [
        ("bot_command", "/cari"),
        ("bold", "a😀b"),
        ("underline", "tebal"),
    ]
    assert not inbound.clean_update(update)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("baris\r\nbaru\ttab", "baris\nbaru\ttab"),
        ("\x01\x02\x1f", ""),
        ("biasa saja, é 😀", "biasa saja, é 😀"),
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert inbound.strip_controls(raw) == clean


async def test_a_failed_statement_does_not_carry_its_parameters(database_url: str) -> None:
    """What SQLAlchemy puts in the exception ends in the error log: no personal data there."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as failure:
                await connection.execute(
                    text("INSERT INTO no_such_table (phone) VALUES (:phone)"),
                    {"phone": "081234567890"},
                )
    finally:
        await engine.dispose()
    assert "081234567890" not in str(failure.value)
