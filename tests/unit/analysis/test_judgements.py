"""Each rule of naravard.analysis.judgements on hand-made numbers, and the rules as indicator_table
applies them (series break in the trend window, two definitions of one regional figure)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from naravard.analysis import judgements as J
from naravard.config.catalog import Catalog, Indicator, SeriesBreak
from naravard.analysis.indicators import indicator_table, national_table
from naravard.config.regions import region_codes

# --- ties ----------------------------------------------------------------------------------


def test_ties_at_the_top_share_the_first_place():
    # six regions at 15 % (lower is better), as återinskrivning 2024
    values = {f"r{i}": 15.0 for i in range(6)} | {"a": 16.0, "b": 17.0}
    places = J.ranks(values, "lower", 0)
    assert places["r0"] == J.Rank(rank=1, rank_to=6, n_tied=5, n_ranked=8)
    assert places["a"] == J.Rank(7, 7, 0, 8) and places["b"] == J.Rank(8, 8, 0, 8)


def test_ties_in_the_middle_and_at_the_bottom():
    values = {"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0, "e": 60.0, "f": 60.0}
    places = J.ranks(values, "higher", 0)
    assert (places["b"].rank, places["b"].rank_to, places["b"].n_tied) == (2, 3, 1)
    assert places["d"] == J.Rank(4, 4, 0, 6)
    assert (places["e"].rank, places["e"].rank_to) == (5, 6)  # "plats 5–6, delad med f"
    assert places["f"].shared and not places["a"].shared


def test_ties_are_judged_at_the_published_precision():
    # 70,4 and 69,6 are both published as 70 by a source that gives whole percent
    places = J.ranks({"a": 70.4, "b": 69.6, "c": 75.0}, "higher", 0)
    assert places["a"] == places["b"] == J.Rank(2, 3, 1, 3)
    # with one decimal they differ
    assert J.ranks({"a": 70.4, "b": 69.6}, "higher", 1)["b"].rank == 2
    assert J.published(14.5, 0) == 15.0  # half up, as Swedish statistics round


def test_neutral_indicators_get_no_places_but_a_spread():
    assert J.ranks({"a": 1.0, "b": 2.0}, "neutral", 1) == {}
    spread = J.spread([2.5, 1.5, 2.0, math.nan])
    assert (spread.low, spread.median, spread.high, spread.n) == (1.5, 2.0, 2.5, 3)
    assert J.spread([]) is None


@pytest.mark.parametrize(
    "rank,n,expected", [(1, 21, "övre"), (7, 21, "övre"), (8, 21, "mellersta"), (15, 21, "nedre")]
)
def test_thirds(rank, n, expected):
    assert J.third(rank, n) == expected


# --- change -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change,direction,expected",
    [
        (-0.6, "higher", ("ingen tydlig förändring", False)),  # a survey: margin of 3 points
        (2.94, "higher", ("ingen tydlig förändring", False)),  # shown as 2,9
        (2.96, "higher", ("förbättring", True)),  # shown as 3,0: what the reader sees counts
        (3.0, "higher", ("förbättring", True)),  # exactly the threshold counts
        (-3.4, "higher", ("försämring", True)),
        (-3.4, "lower", ("förbättring", True)),
        (4.0, "neutral", ("ökning", True)),
        (0.0, "higher", ("ingen tydlig förändring", False)),
        (math.nan, "higher", ("", False)),
    ],
)
def test_change_below_and_above_min_change(change, direction, expected):
    assert J.change_judgement(change, direction, 3.0, 1) == expected


def test_change_across_a_break_or_definition_is_not_judged():
    assert J.change_judgement(10.0, "higher", 1.0, 1, comparable=False) == ("", False)
    assert J.break_between([2024], 2023, 2024) and not J.break_between([2024], 2024, 2025)
    assert not J.break_between([2024], None, 2024)
    assert J.same_definition("", None) and J.same_definition("Fast X", "fast x ")
    assert not J.same_definition("fast vårdkontakt", "")


# --- trend ------------------------------------------------------------------------------------


def test_steady_rise_over_five_years_is_a_trend():
    points = {2020: 60.0, 2021: 62.0, 2022: 64.5, 2023: 66.0, 2024: 68.0}
    got = J.trend(points, 2024, "higher", 2.0, 1)
    assert (got.judgement, got.from_year, got.from_value, got.n_years, got.shape) == (
        "förbättring",
        2020,
        60.0,
        5,
        "steady",
    )
    assert (got.start_year, got.start_value) == (2020, 60.0)
    assert J.trend(points, 2024, "lower", 2.0, 1).judgement == "försämring"
    assert J.trend(points, 2024, "neutral", 2.0, 1).judgement == "ökning"


def test_one_years_jump_at_the_end_is_not_a_trend():
    points = {2020: 60.0, 2021: 60.5, 2022: 60.0, 2023: 60.5, 2024: 70.0}
    got = J.trend(points, 2024, "higher", 2.0, 1)
    assert (got.judgement, got.shape) == ("ingen tydlig trend", "none")


def test_movement_smaller_than_min_change_is_no_trend():
    small = {2020: 60.0, 2021: 60.5, 2022: 61.0, 2023: 61.2, 2024: 61.5}
    assert J.trend(small, 2024, "higher", 2.0, 1).judgement == "ingen tydlig trend"


def test_fewer_than_five_comparable_years_is_not_judged():
    points = {2021: 50.0, 2022: 55.0, 2023: 60.0, 2024: 65.0}
    assert J.trend(points, 2024, "higher", 1.0, 1) == J.Trend("", n_years=4)


def test_a_series_break_inside_the_window_starts_the_trend_anew():
    points = {y: 50.0 + 3 * (y - 2016) for y in range(2016, 2025)}
    whole = J.trend(points, 2024, "higher", 1.0, 1)
    assert whole.judgement == "förbättring" and whole.from_year == 2016
    after = J.trend(points, 2024, "higher", 1.0, 1, breaks=[2020])
    assert after.from_year == 2020 and after.n_years == 5
    # a break in 2022 leaves three comparable years: no trend is said
    assert J.trend(points, 2024, "higher", 1.0, 1, breaks=[2022]).judgement == ""
    # a break after the report year does not matter
    assert J.trend(points, 2021, "higher", 1.0, 1, breaks=[2022]).from_year == 2016


# --- targets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        (56.0, "uppfylls"),
        (55.0, "uppfylls"),
        (54.96, "uppfylls"),  # published as 55,0
        (54.9, "uppfylls delvis"),
        (44.0, "uppfylls delvis"),  # 80 % of 55
        (53.5, "uppfylls delvis"),
        (43.9, "uppfylls inte"),  # 79,8 % of the target
        (0.0, "uppfylls inte"),
        (None, "kan inte bedömas"),
    ],
)
def test_target_status_is_the_share_of_the_target(value, expected):
    assert J.target_status(value, 55.0, "min", decimals=1) == expected


def test_target_status_ignores_last_year_and_min_change():
    # the earlier rule gave "delvis" for moving towards the target; the regions' rule does not
    assert J.target_status(
        46.0, 55.0, "min", 2.0, prev_value=40.0, comparable=True, decimals=0
    ) == J.target_status(46.0, 55.0, "min", decimals=0)
    assert J.target_status(50.0, None, "min") == ""


def test_a_ceiling_is_mirrored_as_target_over_value():
    # högst 1 100: met up to 1 100, partly up to 1 100 / 0,8 = 1 375, not met above
    assert J.target_status(1100.4, 1100, "max", decimals=0) == "uppfylls"
    assert J.target_status(1375.0, 1100, "max", decimals=0) == "uppfylls delvis"
    assert J.target_status(1376.0, 1100, "max", decimals=0) == "uppfylls inte"
    assert J.target_status(0.0, 10, "max", decimals=0) == "uppfylls"
    assert J.target_share(1375.0, 1100, "max", 0) == pytest.approx(0.8)


@pytest.mark.parametrize(
    "kind,target", [("min", 96.0), ("min", 55.0), ("max", 10.0), ("max", 1100.0)]
)
def test_target_status_is_monotone_in_the_value(kind, target):
    order = {"uppfylls inte": 0, "uppfylls delvis": 1, "uppfylls": 2}
    values = [x / 10 for x in range(0, 30000, 7)]
    levels = [order[J.target_status(v, target, kind, decimals=1)] for v in values]
    if kind == "max":
        levels = levels[::-1]
    assert levels == sorted(levels)


def test_a_target_for_an_earlier_year_says_so():
    who = "överenskommelsen om god och nära vård 2021–2022 mellan staten och SKR"
    late = J.target_note(who, 2022, 2024)
    assert late.startswith(f"Målet gällde 2022 enligt {who}")
    assert "här jämförs 2024 års värde med det" in late
    assert "jämförs" not in J.target_note(who, 2022, 2024, has_value=False)
    assert J.target_note(who, 2022, 2022) == f"Målet gäller 2022 enligt {who}."
    assert "tills vidare" in J.target_note("Socialstyrelsen", None, 2024)
    assert J.target_note(None, None, 2024) == ""


# --- the rules as indicator_table applies them ------------------------------------------------


def _ind(id_, direction="higher", source="kolada", **kw) -> Indicator:
    return Indicator(
        id=id_,
        name=id_.title(),
        definition="d",
        unit="procent",
        direction=direction,
        direction_reason="r",
        area="kontinuitet",
        source=source,
        kolada_id="N00001" if source == "kolada" else None,
        primary_source="Källa " + id_,
        **kw,
    )


def _obs(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "region_code", "year", "gender", "value", "status", "source"]
    )
    frame["retrieved"] = ""
    return frame


def test_two_definitions_of_one_regional_figure_are_never_subtracted():
    andel = _ind(
        "andel",
        source="regional",
        target=55.0,
        target_kind="min",
        target_text="minst 55 %",
        target_source="överenskommelsen 2021–2022",
        target_for=2022,
        min_change=2.0,
        decimals=0,
    )
    other = _ind("andel_annan", source="regional", same_as="andel", decimals=0)
    catalog = Catalog((andel, other), path=None)  # type: ignore[arg-type]
    obs = _obs(
        [
            ("andel", "0024", 2023, "T", 10.0, "fast vårdkontakt", "Region, fråga 35"),
            ("andel", "0024", 2024, "T", 10.0, "", "Region, fråga 36"),
            ("andel_annan", "0024", 2024, "T", 18.0, "", "Region, fråga 35"),
            ("andel", "0018", 2023, "T", 44.0, "", "Örebro"),
            ("andel", "0018", 2024, "T", 46.0, "", "Örebro"),
        ]
    )
    vb = indicator_table(obs, catalog, "0024", 2024).set_index("indicator_id")
    assert vb.loc["andel", "prev_value"] == 10.0 and pd.isna(vb.loc["andel", "change"])
    assert vb.loc["andel", "change_judgement"] == "" and not vb.loc["andel", "change_counts"]
    note = vb.loc["andel", "comparability_note"]
    assert "Värdet 2023 avser fast vårdkontakt, så 2023 och 2024 jämförs inte." in note
    assert "Samma sak mätt på annat sätt: 18 % (Källa andel_annan)." in note
    assert "10 % (Källa andel)" in vb.loc["andel_annan", "comparability_note"]
    assert vb.loc["andel", "target_status"] == "uppfylls inte"
    assert "Målet gällde 2022" in vb.loc["andel", "target_note"]
    # the same definition in both years: the change is computed and judged
    ore = indicator_table(obs, catalog, "0018", 2024).set_index("indicator_id")
    assert ore.loc["andel", "change"] == 2.0
    assert ore.loc["andel", "change_judgement"] == "förbättring"
    assert ore.loc["andel", "comparability_note"] == ""


def _national_rows(ind_id: str, values: dict[int, list[float]]) -> list[tuple]:
    codes = region_codes()
    return [
        (ind_id, code, year, "T", vals[i], "", "Kolada")
        for year, vals in values.items()
        for i, code in enumerate(codes)
    ]


def test_table_ties_neutral_and_series_break_in_the_trend_window():
    codes = region_codes()
    n = len(codes)
    tied = _ind("tied", direction="lower", decimals=0, min_change=2.0)
    neutral = _ind("neutral", direction="neutral", decimals=1, min_change=0.1)
    broken = _ind(
        "broken", decimals=1, min_change=1.0, series_breaks=(SeriesBreak(2022, "Ny källa."),)
    )
    catalog = Catalog((tied, neutral, broken), path=None)  # type: ignore[arg-type]
    years = range(2016, 2025)
    rows = _national_rows(
        "tied", {2024: [15.0] * 6 + [16.0 + i for i in range(n - 6)], 2023: [15.0] * n}
    )
    rows += _national_rows("neutral", {2024: [1.0 + 0.1 * i for i in range(n)], 2023: [1.0] * n})
    rows += _national_rows("broken", {y: [50.0 + 3 * (y - 2016)] * n for y in years})
    obs = _obs(rows)
    focus = codes[2]  # one of the six at 15 %
    table = indicator_table(obs, catalog, focus, 2024).set_index("indicator_id")
    row = table.loc["tied"]
    assert (row["rank"], row["rank_to"], row["n_tied"], row["n_ranked"]) == (1, 6, 5, n)
    assert row["change_judgement"] == "ingen tydlig förändring"
    assert len(row["tied_with"].split(", ")) == 5
    neu = table.loc["neutral"]
    assert pd.isna(neu["rank"]) and neu["position"] == ""
    assert (neu["spread_min"], neu["spread_max"]) == (1.0, pytest.approx(1.0 + 0.1 * (n - 1)))
    assert neu["change_judgement"] == "ökning"
    br = table.loc["broken"]
    assert br["trend"] == "" and pd.isna(br["trend_from_year"])  # 2022–2024: 3 years
    assert not br["break_between"]
    assert br["change_judgement"] == "förbättring"
    national = national_table(obs, catalog, 2024)
    nat = national[(national["indicator_id"] == "tied") & (national["region_code"] == focus)]
    assert (int(nat["rank"].iloc[0]), int(nat["rank_to"].iloc[0])) == (1, 6)
    assert national[national["indicator_id"] == "neutral"]["rank"].isna().all()
