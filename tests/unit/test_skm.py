"""The SKM/IKM computation of PermenPANRB 14/2017: hand-computed examples, the grade table's
boundaries, and properties of the index."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services import skm

Questionnaire = tuple[int, ...]


def with_total(respondents: int, total: int) -> list[Questionnaire]:
    """Returns questionnaires whose 9 x respondents values (1-4) add up to `total`."""
    cells = [1] * (9 * respondents)
    extra = total - len(cells)
    for i in range(len(cells)):
        step = min(3, extra)
        cells[i] += step
        extra -= step
    assert extra == 0
    return [tuple(cells[r * 9 : r * 9 + 9]) for r in range(respondents)]


questionnaire = st.tuples(*[st.integers(1, 4)] * 9)


def test_a_hand_computed_period() -> None:
    """Four respondents, worked out by hand: NRR per element, IKM 117/36 = 3.25, 81.25, B."""
    result = skm.compute(
        [
            (4, 4, 3, 4, 3, 3, 4, 3, 3),
            (3, 3, 3, 4, 3, 3, 3, 3, 3),
            (4, 3, 2, 4, 3, 4, 4, 2, 3),
            (3, 3, 3, 4, 4, 3, 4, 3, 2),
        ]
    )
    assert result.respondents == 4
    assert [e.code for e in result.elements] == [f"U{n}" for n in range(1, 10)]
    assert [e.nrr for e in result.elements] == [3.5, 3.25, 2.75, 4.0, 3.25, 3.25, 3.75, 2.75, 2.75]
    assert result.elements[0].weighted_nrr == pytest.approx(3.5 / 9)
    assert result.elements[3].name == "Biaya/Tarif"
    assert result.ikm == 3.25
    assert result.converted == 81.25
    assert (result.grade, result.performance) == ("B", "Baik")


def test_no_respondents_has_no_grade() -> None:
    """A period without questionnaires has zeros and no grade, not an error."""
    result = skm.compute([])
    assert (result.respondents, result.ikm, result.converted) == (0, 0.0, 0.0)
    assert (result.grade, result.performance) == (None, None)
    assert len(result.elements) == 9


def test_the_extremes_are_the_table_ends() -> None:
    """All lowest answers are 25.00 (D), all highest 100.00 (A): the exact weight 1/9 spans the
    table; 0.111 would give 24.975 and 99.90."""
    lowest, highest = skm.compute([(1,) * 9]), skm.compute([(4,) * 9] * 3)
    assert (lowest.converted, lowest.grade, lowest.performance) == (25.0, "D", "Tidak Baik")
    assert (highest.converted, highest.grade, highest.performance) == (100.0, "A", "Sangat Baik")
    assert 25 * 4 * Fraction("0.111") * 9 == Fraction("99.9")


@pytest.mark.parametrize(
    ("respondents", "total", "converted", "grade", "with_0111"),
    [
        # 117 / 45 = 2.6 exactly -> 65.00, the lowest C; with 0.111: 64.935 -> D.
        (5, 117, 65.0, "C", 64.94),
        # 889 / 342 = 2.59942 -> 64.99, the highest D.
        (38, 889, 64.99, "D", 64.92),
        # 717 / 234 = 3.06410 -> 76.60, the highest C.
        (26, 717, 76.6, "C", 76.53),
        # 524 / 171 = 3.06433 -> 76.608 -> 76.61, the lowest B; with 0.111: 76.53 -> C.
        (19, 524, 76.61, "B", 76.53),
        # 604 / 171 = 3.53216 -> 88.30, the highest B.
        (19, 604, 88.3, "B", 88.22),
        # 763 / 216 = 3.53241 -> 88.31, the lowest A; with 0.111: 88.22 -> B.
        (24, 763, 88.31, "A", 88.22),
    ],
)
def test_the_boundaries_of_the_table(
    respondents: int, total: int, converted: float, grade: str, with_0111: float
) -> None:
    """Periods that land on each side of every boundary, and what 0.111 would have made of them."""
    result = skm.compute(with_total(respondents, total))
    assert (result.converted, result.grade) == (converted, grade)
    rounded_0111 = round(float(Fraction(total, respondents) * Fraction("0.111") * 25), 2)
    assert rounded_0111 == with_0111


@pytest.mark.parametrize(
    ("hundredths", "grade"),
    [
        (2500, "D"),
        (6499, "D"),
        (6500, "C"),
        (7660, "C"),
        (7661, "B"),
        (8830, "B"),
        (8831, "A"),
        (10000, "A"),
    ],
)
def test_grade_of_the_printed_bounds(hundredths: int, grade: str) -> None:
    """Every bound printed in the converted column belongs to its own row."""
    assert skm.grade_of(hundredths)[0] == grade


def test_a_converted_value_outside_the_table_is_an_error() -> None:
    """Below 25.00 or above 100.00 cannot come from values 1-4."""
    with pytest.raises(ValueError, match="out of the table"):
        skm.grade_of(2499)
    with pytest.raises(ValueError, match="out of the table"):
        skm.grade_of(10001)


def test_the_two_interval_columns_agree() -> None:
    """The Lampiran's 1-4 intervals x 25 are exactly its converted intervals, and the rows
    leave no gap at two decimals."""
    for (low, high), (c_low, c_high, _, _) in zip(skm.INTERVALS, skm.GRADES, strict=True):
        assert Fraction(low, 10000) * 25 == Fraction(c_low, 100)
        assert Fraction(high, 10000) * 25 == Fraction(c_high, 100)
    for (_, high, _, _), (low, _, _, _) in zip(skm.GRADES, skm.GRADES[1:], strict=False):
        assert low == high + 1


def test_rounding_is_half_up_at_the_boundary() -> None:
    """76.605 exactly is reported 76.61 and graded B; 64.995 is 65.00 and graded C."""
    assert skm.converted_hundredths(Fraction("76.605") / 25) == 7661
    assert skm.converted_hundredths(Fraction("64.995") / 25) == 6500
    assert skm.converted_hundredths(Fraction("64.9949") / 25) == 6499


def test_bad_questionnaires_are_refused() -> None:
    """A value outside 1-4 or a questionnaire without nine values is a programming error."""
    with pytest.raises(ValueError, match="nine values"):
        skm.compute([(5,) * 9])
    with pytest.raises(ValueError, match="nine values"):
        skm.compute([(3,) * 8])


@given(st.lists(questionnaire, min_size=1, max_size=40))
def test_ikm_is_the_mean_value_and_grade_follows_the_table(rows: list[Questionnaire]) -> None:
    """With the weight 1/9 the IKM is the mean of all values; the grade is the table's row of
    the converted IKM rounded to two decimals."""
    result = skm.compute(rows)
    mean = Fraction(sum(map(sum, rows)), 9 * len(rows))
    assert result.ikm == pytest.approx(float(mean))
    assert result.ikm == pytest.approx(sum(e.weighted_nrr for e in result.elements))
    assert 25 <= result.converted <= 100
    hundredths = round(result.converted * 100)
    expected = next(g for low, high, g, _ in skm.GRADES if low <= hundredths <= high)
    assert result.grade == expected
    for element in result.elements:
        assert 1 <= element.nrr <= 4
        assert element.weighted_nrr == pytest.approx(element.nrr / 9)


@given(st.lists(questionnaire, min_size=1, max_size=20), st.randoms())
def test_order_of_respondents_does_not_matter(
    rows: list[Questionnaire], rnd: random.Random
) -> None:
    """Answers are anonymous: the result depends on the set of questionnaires only."""
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert skm.compute(shuffled) == skm.compute(rows)


@given(st.lists(questionnaire, min_size=1, max_size=20), st.integers(0, 8))
def test_a_better_answer_never_lowers_the_grade(rows: list[Questionnaire], element: int) -> None:
    """Raising one value (where below 4) never lowers the converted IKM or the grade."""
    first = list(rows[0])
    if first[element] == 4:
        return
    first[element] += 1
    before, after = skm.compute(rows), skm.compute([tuple(first), *rows[1:]])
    assert after.converted >= before.converted
    order = "DCBA"
    assert order.index(str(after.grade)) >= order.index(str(before.grade))
