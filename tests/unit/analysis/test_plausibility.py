"""naravard.analysis.plausibility: which values a reader is told to check, on hand-made series."""

from __future__ import annotations

from naravard.analysis import plausibility as P

STEADY = {
    2016: 70.0,
    2017: 71.0,
    2018: 70.5,
    2019: 71.5,
    2020: 71.0,
    2021: 72.0,
    2022: 71.5,
    2023: 72.0,
}


def test_a_jump_far_outside_the_regions_history_is_flagged():
    assert P.is_jump(STEADY | {2024: 95.0}, 2024, 1.0)
    assert P.is_jump(STEADY | {2024: 50.0}, 2024, 1.0)


def test_an_ordinary_year_is_not_flagged():
    assert not P.is_jump(STEADY | {2024: 73.0}, 2024, 1.0)


def test_a_steady_fall_is_its_own_history_not_a_jump():
    """Örebro's medicinsk bedömning fell 3–6 points a year: 2024's −5,1 is not a jump."""
    falling = {2019: 85.0, 2020: 83.9, 2021: 79.9, 2022: 76.0, 2023: 75.1, 2024: 70.0}
    riket = {2019: 90.0, 2020: 91.1, 2021: 91.0, 2022: 91.1, 2023: 91.3, 2024: 91.3}
    assert not P.is_jump(falling, 2024, 1.0, riket=riket)


def test_a_shift_the_whole_country_makes_is_not_the_regions():
    riket = {y: v - 2.0 for y, v in STEADY.items()} | {2024: 48.0}
    assert not P.is_jump(STEADY | {2024: 50.0}, 2024, 1.0, riket=riket)


def test_never_across_a_series_break_and_never_a_change_below_twice_min_change():
    assert not P.is_jump(STEADY | {2024: 95.0}, 2024, 1.0, breaks=[2024])
    flat = {y: 50.0 for y in range(2016, 2024)}
    assert not P.is_jump(flat | {2024: 51.5}, 2024, 1.0)  # SD 0, but below 2 × min_change
    assert P.is_jump(flat | {2024: 52.5}, 2024, 1.0)


def test_too_short_a_history_is_not_judged():
    assert not P.is_jump({2022: 70.0, 2023: 71.0, 2024: 95.0}, 2024, 1.0)


def test_a_share_at_its_bound():
    assert P.at_bound(100.0, "procent", 1) and P.at_bound(99.96, "procent", 1)
    assert P.at_bound(0.0, "procent", 0)
    assert not P.at_bound(99.9, "procent", 1) and not P.at_bound(100.0, "per_1000", 1)


def test_several_indicators_of_one_source_moving_together():
    large = [("a", "Väntetider"), ("b", "Väntetider"), ("c", "Väntetider"), ("d", "Enkät")]
    assert P.together(large) == {"a", "b", "c"}
    assert P.together(large[1:]) == set()
    assert P.large_change({2023: 70.0, 2024: 90.0}, 2024, 2.0)
    assert not P.large_change({2023: 70.0, 2024: 78.0}, 2024, 2.0)


def test_the_caution_says_what_to_check():
    v = P.verdict(True, False, False, "95,0\u00a0%", 2025)
    assert v.flag == P.JUMP and v.note == (
        "Värdet 2025 (95,0\u00a0%) avviker kraftigt från tidigare år, vilket kan bero på ändrad "
        "registrering, t.ex. byte av vårdinformationssystem; förändringen bedöms därför inte."
    )
    # no journal system moves a survey: its caution names the sample instead
    survey = P.verdict(
        True, False, False, "88,5\u00a0%", 2024, "Hälso- och sjukvårdsbarometern, SKR"
    ).note
    assert "urvalet" in survey and "vårdinformationssystem" not in survey
    assert P.verdict(False, True, False, "100,0\u00a0%", 2025).flag == P.BOUND
    assert (
        "samma källa (Väntetider i vården)"
        in P.verdict(False, False, True, "60,0\u00a0%", 2025, "Väntetider i vården").note
    )
    assert P.verdict(False, False, False, "1", 2025) == P.Verdict("", "")


def test_a_bound_the_region_has_published_before_is_its_usual_level():
    assert P.at_bound(100.0, "procent", 1)
    assert not P.at_bound(100.0, "procent", 1, [95.4, 100.0, 98.0])  # Gotland's BUP, 2021
    assert P.at_bound(100.0, "procent", 1, [95.4, 99.96 - 0.1])
    assert not P.at_bound(100.0, "antal", 1)
