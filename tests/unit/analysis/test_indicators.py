"""Change, rank, position and target logic on hand-made numbers, and golden values on the snapshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from naravard.config.catalog import Catalog, Indicator, SeriesBreak
from naravard.analysis.indicators import (
    indicator_table,
    judge_change,
    national_table,
    position_of,
    rank_values,
)
from naravard.config.regions import region_codes


def _ind(id_, direction="higher", unit="procent", source="kolada", **kw) -> Indicator:
    return Indicator(
        id=id_,
        name=id_.title(),
        definition="d",
        unit=unit,
        direction=direction,
        direction_reason="r",
        area="tillganglighet",
        source=source,
        kolada_id="N00001" if source == "kolada" else None,
        primary_source="Källa",
        **kw,
    )


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator_id", "region_code", "year", "gender", "value"])
    frame["status"], frame["source"], frame["retrieved"] = "", "Kolada", ""
    return frame


REGIONS = region_codes()


def _ranked_rows(ind_id: str, year: int) -> list[tuple]:
    # region i gets value 50 + i: the last region has the highest value
    return [(ind_id, code, year, "T", 50.0 + i) for i, code in enumerate(REGIONS)]


def test_rank_is_direction_aware_and_ties_share_the_better_rank():
    values = pd.Series({"a": 10.0, "b": 20.0, "c": 20.0, "d": 5.0})
    assert rank_values(values, "higher").to_dict() == {"a": 3, "b": 1, "c": 1, "d": 4}
    assert rank_values(values, "lower").to_dict() == {"a": 2, "b": 3, "c": 3, "d": 1}


@pytest.mark.parametrize(
    "rank,n,expected",
    [
        (1, 21, "övre"),
        (7, 21, "övre"),
        (8, 21, "mellersta"),
        (14, 21, "mellersta"),
        (15, 21, "nedre"),
        (21, 21, "nedre"),
        (None, 21, ""),
        (2, 2, "nedre"),
    ],
)
def test_position_thirds(rank, n, expected):
    assert position_of(rank, n) == expected


@pytest.mark.parametrize(
    "change,direction,expected",
    [
        (1.2, "higher", "förbättring"),
        (-1.2, "higher", "försämring"),
        (-1.2, "lower", "förbättring"),
        (1.2, "lower", "försämring"),
        (0.04, "higher", "ingen tydlig förändring"),
        (np.nan, "higher", ""),
        (2.0, "neutral", "ökning"),
    ],
)
def test_change_judgement(change, direction, expected):
    assert judge_change(change, direction, 1) == expected


def test_indicator_table_values_change_riket_rank_target():
    ind = _ind("x", target=55.0, target_kind="min", target_text="minst 55 %")
    rows = _ranked_rows("x", 2024) + [
        ("x", REGIONS[0], 2022, "T", 40.0),
        ("x", "0000", 2024, "T", 60.0),
        ("x", REGIONS[0], 2024, "K", 52.0),
        ("x", REGIONS[0], 2024, "M", 48.0),
    ]
    table = indicator_table(_frame(rows), Catalog((ind,), Path("x.yaml")), REGIONS[0], 2024)
    row = table.iloc[0]
    assert row["value"] == 50.0
    assert row["prev_year"] == 2022 and row["prev_value"] == 40.0  # latest earlier year, not 2023
    assert row["change"] == pytest.approx(10.0) and row["change_judgement"] == "förbättring"
    assert row["riket"] == 60.0
    assert (row["rank"], row["n_ranked"], row["position"]) == (21, 21, "nedre")
    assert row["meets_target"] is False and row["target_gap"] == pytest.approx(-5.0)
    assert row["kvinnor"] == 52.0 and row["man"] == 48.0 and row["gender_gap"] == pytest.approx(4.0)


def test_lower_is_better_ranks_lowest_first_and_max_target():
    ind = _ind("w", direction="lower", unit="antal", target=1100.0, target_kind="max")
    table = indicator_table(
        _frame(_ranked_rows("w", 2024)), Catalog((ind,), Path("x")), REGIONS[0], 2024
    )
    row = table.iloc[0]
    assert row["rank"] == 1 and row["position"] == "övre" and row["meets_target"] is True


def test_missing_values_stay_missing_never_zero():
    ind = _ind("y")
    table = indicator_table(
        _frame([("y", REGIONS[1], 2024, "T", 70.0)]), Catalog((ind,), Path("x")), REGIONS[0], 2024
    )
    row = table.iloc[0]
    assert np.isnan(row["value"]) and pd.isna(row["rank"]) and row["change_judgement"] == ""
    assert np.isnan(row["riket"]) and row["meets_target"] is None and row["position"] == ""


def test_series_break_between_years_suppresses_the_judgement():
    ind = _ind("z", series_breaks=(SeriesBreak(2024, "ny källa"),))
    rows = [("z", REGIONS[0], 2023, "T", 70.0), ("z", REGIONS[0], 2024, "T", 60.0)]
    row = indicator_table(_frame(rows), Catalog((ind,), Path("x")), REGIONS[0], 2024).iloc[0]
    assert row["break_between"] and row["change_judgement"] == "" and row["change"] == -10.0


def test_regional_indicators_are_not_ranked():
    ind = _ind("r", source="regional")
    rows = [("r", code, 2024, "T", 40.0 + i) for i, code in enumerate(REGIONS[:3])]
    row = indicator_table(_frame(rows), Catalog((ind,), Path("x")), REGIONS[0], 2024).iloc[0]
    assert row["value"] == 40.0 and pd.isna(row["rank"])


def test_national_table_relative_position_is_direction_aware():
    up, down = _ind("up"), _ind("down", direction="lower")
    rows = (
        _ranked_rows("up", 2024)
        + _ranked_rows("down", 2024)
        + [("up", "0000", 2024, "T", 60.0), ("down", "0000", 2024, "T", 60.0)]
    )
    nat = national_table(_frame(rows), Catalog((up, down), Path("x")), 2024)
    first = nat[nat["region_code"] == REGIONS[0]].set_index("indicator_id")
    assert first.loc["up", "relative"] == -10.0  # 50 vs 60, higher is better: worse
    assert first.loc["down", "relative"] == 10.0  # 50 vs 60, lower is better: better
    assert first.loc["down", "rank"] == 1 and first.loc["up", "rank"] == 21
