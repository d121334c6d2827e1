"""The trend rule names the shape a chart shows (issue 18, item 1).

Hand-made series for each shape, and the series the 2024 review found described against
their charts, each with the sentence the report now prints (real snapshot).
"""

from __future__ import annotations

import pytest

from naravard.analysis import judgements as J
from naravard.report import region as report
from naravard.wording import text


def _series(start: int, values: list[float]) -> dict[int, float]:
    return {start + i: v for i, v in enumerate(values)}


def _trend(
    values: list[float], min_change: float = 2.0, direction: str = "higher", start: int = 2016
) -> J.Trend:
    points = _series(start, values)
    return J.trend(points, max(points), direction, min_change, 1)


# --- hand-made shapes ------------------------------------------------------------------------


def test_flat_with_noise_is_no_clear_trend():
    got = _trend([60.0, 61.5, 59.0, 60.5, 59.5, 61.0, 60.0, 61.2, 59.8], min_change=3.0)
    assert (got.judgement, got.shape, got.from_year) == ("ingen tydlig trend", "none", 2016)


@pytest.mark.parametrize(
    "values",
    [
        [60.0, 60.0, 67.0, 60.0, 61.0, 60.0, 60.0],  # one high year in the middle
        [60.0, 60.0, 67.0, 60.0, 60.0],  # the same in five years
        [60.0, 61.0, 60.0, 52.0, 60.0, 61.0, 60.0],  # one low year
        [60.0, 60.5, 60.0, 60.5, 60.0, 60.0, 67.0],  # one high last year
    ],
)
def test_one_outlier_year_is_no_clear_trend(values):
    got = _trend(values, min_change=3.0)
    assert (got.judgement, got.shape) == ("ingen tydlig trend", "none")


def test_a_v_is_a_turn_judged_from_the_turn():
    got = _trend([60.0, 55.0, 50.0, 45.0, 50.0, 55.0, 60.0], direction="lower")
    assert got.shape == "turn"
    assert (got.judgement, got.from_year, got.from_value) == ("försämring", 2019, 45.0)
    assert (got.before, got.start_year, got.start_value) == ("förbättring", 2016, 60.0)


def test_a_shallow_v_within_min_change_is_no_clear_trend():
    got = _trend([60.0, 59.0, 58.5, 58.0, 58.5, 59.0, 60.0], min_change=3.0)
    assert (got.judgement, got.shape) == ("ingen tydlig trend", "none")


def test_a_step_is_a_level_shift_with_its_two_years():
    got = _trend([40.0, 41.0, 40.0, 40.5, 50.0, 50.5, 49.5, 50.0])
    assert (got.shape, got.judgement) == ("shift", "förbättring")
    assert (got.shift_from, got.shift_to, got.from_year) == (2019, 2020, 2016)


def test_a_step_that_then_drifts_away_is_not_a_level_shift():
    got = _trend([40.0, 41.0, 40.0, 50.0, 52.5, 55.0, 57.0])
    assert got.shape != "shift"


def test_a_slow_rise_in_small_steps_is_steady_not_a_shift():
    got = _trend([66.0, 67.0, 67.0, 68.0, 69.0, 69.0], min_change=2.0, start=2019)
    assert (got.shape, got.judgement) == ("steady", "förbättring")


def test_mann_kendall_and_theil_sen_on_known_values():
    s, p = J.mann_kendall([1, 2, 3, 4, 5])
    assert s == 10 and p == pytest.approx(0.0275, abs=1e-3)  # z = 9 / sqrt(50 / 3)
    assert J.mann_kendall([5, 5, 5, 5, 5]) == (0, 1.0)
    # one wild year does not move the median slope
    assert J.theil_sen(list(range(2019, 2025)), [1.0, 3.0, 5.0, 7.0, 9.0, 100.0]) == 2.0


def test_last_years_trend_is_said_when_it_differs():
    row = {
        "unit": "procent",
        "decimals": 1,
        "value": 18.3,
        "trend": "försämring",
        "trend_shape": "steady",
        "trend_from_year": 2016,
        "trend_start_year": 2016,
        "trend_from_value": 47.3,
        "prev_trend": "förbättring",
        "prev_trend_shape": "turn",
        "prev_trend_from_year": 2021,
    }
    said = text.trend_sentence(row, lambda x: text.fmt_value(x, "procent", 1), "Andelen")
    assert said.endswith(
        "en försämring över tid (i förra årets uppföljning: en förbättring sedan 2021)."
    )
    same = text.trend_sentence(
        row | {"prev_trend": "försämring", "prev_trend_shape": "steady"},
        lambda x: text.fmt_value(x, "procent", 1),
        "Andelen",
    )
    assert "förra året" not in same


# --- the series the review named -----------------------------------------------------------

NAMED = [
    (
        "Västerbotten",
        "overbelaggningar",
        "Värdet minskade från 4,1 (2016) till 2,1 (2020) och har sedan ökat till 11,2 per 100 "
        "vårdplatser, en försämring sedan 2020.",
    ),
    (
        "Västerbotten",
        "utskrivningsklara_65",
        "Värdet minskade från 224,7 (2016) till 98,9 (2020) och har sedan ökat till 157,1 per "
        "1 000 invånare 65 år och äldre, en försämring sedan 2020.",
    ),
    (
        "Västerbotten",
        "hsv_kostnad_strukturjusterad",
        "Värdet minskade från 27 246 kr (2019) till 26 266 kr (2021) och har sedan ökat till "
        "35 310 kr.",
    ),
    ("Örebro län", "hsv_kostnad_strukturjusterad", "Sedan 2019 har värdet ökat från 26 787 kr."),
    ("Örebro län", "bup_30d", "Sedan 2016 har andelen minskat från 93,3 %, en försämring över tid"),
    (
        "Örebro län",
        "psykiatri_forsta_besok_90d",
        "Sedan 2016 har andelen minskat från 94,4 %, en försämring över tid",
    ),
]


@pytest.fixture(scope="module")
def tables(snapshot_dir):
    return {
        name: report.prepare(name, 2024, snapshot_dir, figures=None).table.set_index("indicator_id")
        for name in ("Västerbotten", "Örebro län")
    }


@pytest.mark.parametrize("region,ident,expected", NAMED, ids=[f"{r}-{i}" for r, i, _ in NAMED])
def test_named_series_get_a_sentence_that_agrees_with_the_chart(tables, region, ident, expected):
    row = tables[region].loc[ident].to_dict()
    said = " ".join(text.indicator_sentences(row, region)).replace(text.NBSP, " ")
    assert expected in said
    assert "ingen tydlig trend" not in said


def test_shape_is_data_in_the_table(tables):
    row = tables["Västerbotten"].loc["overbelaggningar"]
    assert (row["trend_shape"], row["trend_from_year"], row["trend_start_year"]) == (
        "turn",
        2020,
        2016,
    )
    assert row["trend_before"] == "förbättring" and row["trend"] == "försämring"


def test_last_years_verdict_on_the_snapshot(tables):
    # 2016–2023 ended 15,8 → 20,7 → 26,8: a turn upwards from 2021; 18,3 in 2024 breaks it
    row = tables["Västerbotten"].loc["bup_30d"]
    assert (row["prev_trend"], row["prev_trend_shape"], row["prev_trend_from_year"]) == (
        "förbättring",
        "turn",
        2021,
    )
    said = " ".join(text.indicator_sentences(row.to_dict(), "Västerbotten"))
    assert "en försämring över tid (i förra årets uppföljning: en förbättring sedan 2021)" in said
    same = tables["Västerbotten"].loc["overbelaggningar"]
    assert same["prev_trend"] == same["trend"]
    assert "förra årets" not in " ".join(text.indicator_sentences(same.to_dict(), "Västerbotten"))
