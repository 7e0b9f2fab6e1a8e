"""The request letter's number and date as the OPD types them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services import letters
from bot.services.errors import InvalidInput

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "28-11-2026",
        "28/11/2026",
        "28.11.2026",
        "2026-11-28",
        "28 November 2026",
        "28 nopember 2026",
        " 28  Nov.  2026 ",
    ],
)
def test_a_letter_date_is_read_in_the_usual_forms(typed: str) -> None:
    assert letters.parse_date(typed, TODAY) == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31-02-2026", "letter_date"),  # no such day
        ("29-02-2025", "letter_date"),
        ("28 Brumaire 2026", "letter_date"),
        ("kemarin", "letter_date"),
        ("", "letter_date"),
        ("2-12-2026", "letter_date_future"),
        ("29-11-2025", "letter_date_old"),
        ("01-01-0001", "letter_date_old"),
    ],
)
def test_a_wrong_letter_date_is_refused_with_its_reason(typed: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        letters.parse_date(typed, TODAY)
    assert caught.value.code == code


def test_today_and_a_year_ago_are_accepted() -> None:
    assert letters.parse_date("1-12-2026", TODAY) == TODAY
    assert letters.parse_date("1-12-2025", TODAY) == date(2025, 12, 1)


def test_a_letter_number_is_one_line_of_bounded_length() -> None:
    assert letters.clean_number("  005/123/Dinkes/XI/2026 ") == "005/123/Dinkes/XI/2026"
    assert letters.clean_number("005 /\n123") == "005 / 123"
    for bad in ("", "   ", "x" * (letters.NUMBER_MAX + 1)):
        with pytest.raises(InvalidInput):
            letters.clean_number(bad)
