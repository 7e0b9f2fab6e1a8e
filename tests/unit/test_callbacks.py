"""The callback data codec: `v1:<action>:<id>`, at most 64 bytes, forgeries refused."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.callbacks import BadCallback

TELEGRAM_LIMIT = 64  # bytes of callback_data the Bot API accepts


@pytest.mark.parametrize("ident", [1, 42, 2_147_483_647, "BN_2026_00001", "x", "a1b2c3_4"])
def test_round_trip(ident: int | str) -> None:
    """What `make` encodes, `parse` gives back for the same action."""
    data = callbacks.make(callbacks.CLAIM, ident)

    assert data.startswith("v1:claim:")
    assert callbacks.parse(data, callbacks.CLAIM) == str(ident)


def test_round_trip_of_a_number() -> None:
    """`parse_int` returns the numeric id as an int."""
    assert callbacks.parse_int(callbacks.make(callbacks.CLAIM, 1234), callbacks.CLAIM) == 1234


def test_longest_data_fits_telegram_limit() -> None:
    """The longest action and id the codec accepts still fit in 64 bytes."""
    data = callbacks.make("a" * 20, "z" * 32)

    assert len(data.encode("utf-8")) <= TELEGRAM_LIMIT


@pytest.mark.parametrize(
    ("action", "ident"),
    [
        ("a" * 21, 1),  # action too long
        ("claim", "9" * 33),  # id too long
        ("claim", 2_147_483_648),  # no database id is that large
        ("claim", "1_2147483648"),
        ("Claim", 1),  # upper case action
        ("claim", "1:2"),  # separator inside the id
        ("claim", "tiket-1"),  # character outside the alphabet
        ("claim", ""),
        ("", 1),
    ],
)
def test_make_refuses_parts_that_would_not_parse(action: str, ident: int | str) -> None:
    """The encoder refuses anything it could not decode again (or that could outgrow 64 bytes)."""
    with pytest.raises(ValueError, match="bad callback parts"):
        callbacks.make(action, ident)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "claim:1",  # no version
        "v2:claim:1",  # another version
        "v1:claim:",  # no id
        "v1:claim:1:extra",
        "v1:claim:1\n",
        " v1:claim:1",
        "v1:claim:" + "9" * 33,
        "v1:claim:" + "9" * 32,  # fits the pattern, but no database id is that large
        "v1:claim:2147483648",
        "v1:claim:7_99999999999",
        "v1:claim:1; DROP TABLE ticket",
        "v1:claim:１",  # full-width digit
        "\x00v1:claim:1",
    ],
)
def test_forged_or_malformed_data_is_refused(data: str | None) -> None:
    """Anything not produced by `make` raises BadCallback."""
    with pytest.raises(BadCallback):
        callbacks.parse(data, callbacks.CLAIM)


def test_data_for_another_action_is_refused() -> None:
    """A well-formed button of another action does not pass as this one."""
    data = callbacks.make("release", 7)

    with pytest.raises(BadCallback):
        callbacks.parse(data, callbacks.CLAIM)


@pytest.mark.parametrize("ident", ["abc", "9" * 13, "2147483648", "1_2"])
def test_parse_int_refuses_non_numeric_or_huge_ids(ident: str) -> None:
    """`parse_int` refuses ids that are not a plausible database id."""
    data = f"v1:claim:{ident}"  # built by hand: `make` refuses the huge ones already

    with pytest.raises(BadCallback):
        callbacks.parse_int(data, callbacks.CLAIM)


def test_bad_callback_is_a_value_error() -> None:
    """Handlers that catch ValueError also catch a forged button."""
    assert issubclass(BadCallback, ValueError)


def test_pattern_routes_only_its_action() -> None:
    """The handler pattern matches this action's data and not a prefix-sharing action."""
    import re

    pattern = re.compile(callbacks.pattern(callbacks.CLAIM))

    assert pattern.match(callbacks.make(callbacks.CLAIM, 1))
    assert not pattern.match(callbacks.make("claim_x", 1))
    assert not pattern.match(callbacks.make("release", 1))
