"""The NIP check of /profil: 18 digits whose parts (birth date, TMT, sex, sequence) are real."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.errors import InvalidInput
from bot.services.profiles import check_nip

TODAY = date(2026, 11, 30)


@st.composite
def nips(draw: st.DrawFn) -> str:
    """Returns a NIP whose every part is plausible on TODAY."""
    born = draw(st.dates(date(1950, 1, 1), date(2005, 1, 1)))
    first = (born.year + 18, born.month)
    months = (TODAY.year - first[0]) * 12 + TODAY.month - first[1]
    offset = draw(st.integers(0, months))
    year, month = divmod(first[0] * 12 + first[1] - 1 + offset, 12)
    sex = draw(st.sampled_from("12"))
    sequence = draw(st.integers(1, 999))
    return f"{born:%Y%m%d}{year:04d}{month + 1:02d}{sex}{sequence:03d}"


@given(nips())
def test_a_plausible_nip_passes_with_spaces_too(nip: str) -> None:
    assert check_nip(nip, TODAY) == nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert check_nip(spaced, TODAY) == nip


@given(nips(), st.sampled_from("03456789"))
def test_a_sex_digit_other_than_1_or_2_is_named(nip: str, digit: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_nip(nip[:14] + digit + nip[15:], TODAY)
    assert refused.value.code == "nip_sex"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19900315201503200", "nip"),  # 17 digits
        ("1990031520150320011", "nip"),  # 19 digits
        ("19900315201503200a", "nip"),
        ("１９９００３１５２０１５０３２００１", "nip"),  # full-width digits
        ("199002302015032001", "nip_birth"),  # 30 February
        ("199013152015032001", "nip_birth"),  # month 13
        (f"{TODAY + timedelta(days=1):%Y%m%d}2015032001", "nip_birth"),
        ("199003152015132001", "nip_tmt"),  # month 13
        ("199003152015002001", "nip_tmt"),  # month 0
        ("199003152006032001", "nip_tmt_early"),  # appointed at 16
        ("199003152027012001", "nip_tmt_future"),
        ("199003152015032000", "nip_sequence"),
    ],
)
def test_the_wrong_part_is_named(nip: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_nip(nip, TODAY)
    assert refused.value.code == code
