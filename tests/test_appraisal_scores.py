"""The appraisal arithmetic of seed 001, table-driven, at every band boundary, in exact Decimal."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import PositionType, Staff
from models.appraisal import (
    BANDS,
    CORE_COMPETENCIES,
    MANAGERIAL_COMPETENCIES,
    ScoreError,
    achievement_score,
    band_for,
    competencies_for,
    competency_score,
    kpi_level,
    overall_score,
    shown,
)

D = Decimal


@pytest.mark.parametrize(("score", "band"), [
    ("100", "ดีเด่น"), ("90", "ดีเด่น"), ("90.00", "ดีเด่น"), ("89.9999", "ดีมาก"),
    ("89.99", "ดีมาก"), ("89.995", "ดีมาก"), ("80", "ดีมาก"), ("79.99", "ดี"), ("70", "ดี"),
    ("69.99", "พอใช้"), ("60", "พอใช้"), ("60.0000", "พอใช้"), ("59.99", "ต้องปรับปรุง"),
    ("59.9999", "ต้องปรับปรุง"), ("0", "ต้องปรับปรุง"),
])
def test_bands_at_every_boundary(score: str, band: str) -> None:
    assert band_for(D(score)) == band


@pytest.mark.parametrize("score", ["-0.01", "100.01", "150"])
def test_a_score_outside_0_to_100_is_refused(score: str) -> None:
    with pytest.raises(ScoreError):
        band_for(D(score))


def test_the_band_table_is_the_seeds() -> None:
    assert [(str(lower), band) for lower, band in BANDS] == [
        ("90", "ดีเด่น"), ("80", "ดีมาก"), ("70", "ดี"), ("60", "พอใช้"), ("0", "ต้องปรับปรุง")]


RISING = (D(60), D(70), D(80), D(90), D(100))
FALLING = (D(7), D(6), D(5), D(4), D(3))  # วันทำการ: fewer is better


@pytest.mark.parametrize(("levels", "result", "level"), [
    (RISING, None, 0), (RISING, "0", 0), (RISING, "59.99", 0), (RISING, "60", 1),
    (RISING, "69.99", 1), (RISING, "70", 2), (RISING, "80", 3), (RISING, "89.99", 3),
    (RISING, "90", 4), (RISING, "100", 5), (RISING, "130", 5),
    (FALLING, "8", 0), (FALLING, "7", 1), (FALLING, "6.5", 1), (FALLING, "5", 3),
    (FALLING, "3", 5), (FALLING, "1", 5),
])
def test_a_result_is_placed_on_its_five_levels(levels: tuple[Decimal, ...], result: str | None,
                                               level: int) -> None:
    assert kpi_level(levels, None if result is None else D(result)) == level


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(30, 5), (20, 5), (20, 5), (15, 5), (15, 5)], "100"),
    ([(30, 0), (20, 0), (20, 0), (15, 0), (15, 0)], "0"),
    ([(30, 4), (20, 4), (20, 4), (15, 4), (15, 4)], "80"),
    ([(30, 3), (20, 2), (20, 4), (15, 5), (15, 1)], "60"),  # 18 + 8 + 16 + 15 + 3
    ([(33.33, 5), (33.33, 4), (33.34, 4)], "86.666"),
    ([(D("0.1"), 5)] * 10 + [(99, 0)], "1.0"),  # 0.1 ten times is exactly 1
])
def test_achievement_is_the_weighted_sum_of_levels_over_five(pairs: list[tuple[object, int]],
                                                             expected: str) -> None:
    assert achievement_score((D(str(w)), lvl) for w, lvl in pairs) == D(expected)


def test_a_level_outside_0_to_5_is_refused() -> None:
    with pytest.raises(ScoreError):
        achievement_score([(D(100), 6)])


@pytest.mark.parametrize(("scores", "expected"), [
    ([5, 5, 5, 5, 5], "100.00"), ([1, 1, 1, 1, 1], "20.00"), ([3, 3, 3, 3, 4], "64.00"),
    ([4] * 11, "80.00"), ([5] * 10 + [4], "98.18"),  # 54 × 100 / 55 = 98.1818…
    ([3] * 5 + [4] * 6, "70.91"),  # 39 × 100 / 55 = 70.909…
])
def test_competency_score_is_the_mean_over_five_in_percent(scores: list[int],
                                                          expected: str) -> None:
    assert competency_score(scores) == D(expected)


@pytest.mark.parametrize("scores", [[], [0, 3], [6, 3]])
def test_competency_scores_outside_1_to_5_are_refused(scores: list[int]) -> None:
    with pytest.raises(ScoreError):
        competency_score(scores)


@pytest.mark.parametrize(("achievement", "competency", "weights", "overall", "band"), [
    ("100", "100", (70, 30), "100", "ดีเด่น"),
    ("90", "90", (70, 30), "90", "ดีเด่น"),
    ("100", "66.66", (70, 30), "89.998", "ดีมาก"),  # never rounded up into ดีเด่น
    ("100", "66.67", (70, 30), "90.001", "ดีเด่น"),
    ("80", "80", (70, 30), "80", "ดีมาก"),
    ("74", "83.33", (70, 30), "76.799", "ดี"),
    ("60", "60", (70, 30), "60", "พอใช้"),
    ("57.14", "66.66", (70, 30), "59.996", "ต้องปรับปรุง"),
    ("40", "60", (70, 30), "46", "ต้องปรับปรุง"),
    ("100", "0", (80, 20), "80", "ดีมาก"),
    ("50", "100", (60, 40), "70", "ดี"),
])
def test_overall_mixes_by_the_agency_weights_exactly(achievement: str, competency: str,
                                                     weights: tuple[int, int], overall: str,
                                                     band: str) -> None:
    score = overall_score(D(achievement), D(competency), *weights)
    assert score == D(overall)
    assert band_for(score) == band


def test_weights_must_sum_to_100() -> None:
    with pytest.raises(ScoreError):
        overall_score(D(80), D(80), 70, 20)


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=5, max_size=5),
       st.lists(st.integers(min_value=1, max_value=5), min_size=5, max_size=11))
def test_scores_stay_in_range_and_bands_follow_the_table(levels: list[int],
                                                         scores: list[int]) -> None:
    weights = [D(30), D(20), D(20), D(15), D(15)]
    achievement = achievement_score(zip(weights, levels, strict=True))
    overall = overall_score(achievement, competency_score(scores), 70, 30)
    assert D(0) <= overall <= D(100)
    expected = next(band for lower, band in BANDS if overall >= lower)
    assert band_for(overall) == expected


def test_shown_cuts_to_two_decimals_without_rounding_up() -> None:
    assert shown(D("89.998")) == "89.99"
    assert shown(D("60")) == "60.00"
    assert shown(None) == "-"


@pytest.mark.parametrize(("position_type", "count"), [
    (PositionType.GENERAL, 5), (PositionType.ACADEMIC, 5), (PositionType.DIRECTOR, 11),
    (PositionType.EXECUTIVE, 11)])
def test_managerial_posts_add_six_competencies(position_type: str, count: int) -> None:
    staff = Staff(position_type=position_type)
    assert len(competencies_for(staff)) == count
    assert competencies_for(staff)[:5] == CORE_COMPETENCIES
    if count == 11:
        assert competencies_for(staff)[5:] == MANAGERIAL_COMPETENCIES
