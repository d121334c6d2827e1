"""Per region and year: value, change, Riket, rank, position, target — the numbers a report states.

Every comparison here is direction-aware (a fall in waiting is an improvement), and missing
values stay missing (NaN/None), never 0, so the text layer can say "saknas" instead of lying.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from naravard.catalog import Catalog, Indicator
from naravard.regions import RIKET_CODE, region_codes

TABLE_COLUMNS = [
    "indicator_id", "name", "area", "unit", "direction", "decimals", "source", "year", "value",
    "prev_year", "prev_value", "change", "change_judgement", "break_between", "riket",
    "riket_prev", "rank", "n_ranked", "position", "target", "target_text", "target_kind",
    "meets_target", "target_gap", "kvinnor", "man", "gender_gap",
]

POSITION_LABELS = {"övre": "Övre tredjedelen", "mellersta": "Mellersta tredjedelen",
                   "nedre": "Nedre tredjedelen"}


def _frame(obs: Any) -> pd.DataFrame:
    return obs.frame if hasattr(obs, "frame") else obs


def values_frame(obs: Any, gender: str = "T") -> pd.DataFrame:
    """Non-missing values of one gender as indicator_id, region_code, year, value."""
    frame = _frame(obs)
    sel = frame[(frame["gender"] == gender) & frame["value"].notna()]
    return sel[["indicator_id", "region_code", "year", "value"]]


def series(obs: Any, indicator_id: str, gender: str = "T") -> pd.DataFrame:
    """One indicator for every region and year: region_code, year, value (what charts draw)."""
    vals = values_frame(obs, gender)
    return vals[vals["indicator_id"] == indicator_id][["region_code", "year", "value"]] \
        .sort_values(["region_code", "year"]).reset_index(drop=True)


def rank_values(values: pd.Series, direction: str) -> pd.Series:
    """Rank 1 = best; ties share the better rank. Neutral indicators rank highest value first."""
    ascending = direction == "lower"
    return values.rank(ascending=ascending, method="min").astype("Int64")


def position_of(rank: float | None, n: int) -> str:
    """Which third of the regions a rank falls in: "övre", "mellersta" or "nedre"."""
    if rank is None or pd.isna(rank) or n <= 0:
        return ""
    third = math.ceil(3 * float(rank) / n)
    return {1: "övre", 2: "mellersta"}.get(third, "nedre")


def judge_change(change: float | None, direction: str, decimals: int) -> str:
    """"förbättring"/"försämring"/"oförändrad" for a change as it will be shown, "" if none."""
    if change is None or pd.isna(change):
        return ""
    shown = round(float(change), decimals)
    if shown == 0:
        return "oförändrad"
    if direction == "neutral":
        return "ökning" if shown > 0 else "minskning"
    better = shown > 0 if direction == "higher" else shown < 0
    return "förbättring" if better else "försämring"


def meets(value: float | None, ind: Indicator) -> bool | None:
    if ind.target is None or value is None or pd.isna(value):
        return None
    return bool(value >= ind.target) if ind.target_kind == "min" else bool(value <= ind.target)


def _break_between(ind: Indicator, prev_year: int | None, year: int) -> bool:
    if prev_year is None:
        return False
    return any(prev_year < b.year <= year for b in ind.series_breaks)


def _lookup(vals: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    return dict(zip(zip(vals["indicator_id"], vals["region_code"], vals["year"].astype(int)),
                    vals["value"].astype(float)))


def indicator_table(obs: Any, catalog: Catalog, region_code: str, year: int) -> pd.DataFrame:
    """One row per catalogue indicator for one region and year (columns: TABLE_COLUMNS)."""
    year = int(year)
    totals = values_frame(obs, "T")
    lookup = _lookup(totals)
    by_gender = {g: _lookup(values_frame(obs, g)) for g in ("K", "M")}
    regions = region_codes()
    years_by_ind = totals[totals["region_code"] == region_code].groupby("indicator_id")["year"] \
        .apply(lambda s: sorted(int(y) for y in s)).to_dict()

    rows = []
    for ind in catalog:
        value = lookup.get((ind.id, region_code, year), np.nan)
        earlier = [y for y in years_by_ind.get(ind.id, []) if y < year]
        prev_year = earlier[-1] if earlier else None
        prev_value = lookup.get((ind.id, region_code, prev_year), np.nan) if prev_year else np.nan
        change = value - prev_value if prev_year else np.nan
        broken = _break_between(ind, prev_year, year)
        judgement = "" if broken else judge_change(change, ind.direction, ind.decimals)

        rank, n_ranked = pd.NA, 0
        if ind.source == "kolada" and not pd.isna(value):
            year_vals = pd.Series({c: lookup[(ind.id, c, year)] for c in regions
                                   if (ind.id, c, year) in lookup})
            n_ranked = len(year_vals)
            rank = rank_values(year_vals, ind.direction).get(region_code, pd.NA)
        position = position_of(rank, n_ranked) if ind.direction != "neutral" else ""

        kvinnor = by_gender["K"].get((ind.id, region_code, year), np.nan)
        man = by_gender["M"].get((ind.id, region_code, year), np.nan)
        rows.append({
            "indicator_id": ind.id, "name": ind.name, "area": ind.area, "unit": ind.unit,
            "direction": ind.direction, "decimals": ind.decimals, "source": ind.source,
            "year": year, "value": value, "prev_year": prev_year, "prev_value": prev_value,
            "change": change, "change_judgement": judgement, "break_between": broken,
            "riket": lookup.get((ind.id, RIKET_CODE, year), np.nan),
            "riket_prev": lookup.get((ind.id, RIKET_CODE, prev_year), np.nan)
            if prev_year else np.nan,
            "rank": rank, "n_ranked": n_ranked, "position": position,
            "target": ind.target, "target_text": ind.target_text, "target_kind": ind.target_kind,
            "meets_target": meets(value, ind),
            "target_gap": (value - ind.target) if ind.target is not None else np.nan,
            "kvinnor": kvinnor, "man": man, "gender_gap": kvinnor - man,
        })
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["prev_year"] = table["prev_year"].astype("Int64")
    table["rank"] = table["rank"].astype("Int64")
    table["meets_target"] = pd.Series([r["meets_target"] for r in rows], dtype=object)
    return table


def national_table(obs: Any, catalog: Catalog, year: int) -> pd.DataFrame:
    """Every region × Kolada indicator in one year: value, Riket, rank, relative position, change.

    `relative` is direction-aware: positive means better than Riket, in the indicator's unit;
    neutral indicators get NaN there because "better" has no meaning for them.
    """
    year = int(year)
    totals = values_frame(obs, "T")
    lookup = _lookup(totals)
    regions = region_codes()
    rows = []
    for ind in catalog.kolada():
        current = pd.Series({c: lookup[(ind.id, c, year)] for c in regions
                             if (ind.id, c, year) in lookup}, dtype=float)
        ranks = rank_values(current, ind.direction) if len(current) else pd.Series(dtype="Int64")
        riket = lookup.get((ind.id, RIKET_CODE, year), np.nan)
        sign = {"higher": 1.0, "lower": -1.0}.get(ind.direction, np.nan)
        for code in regions:
            value = current.get(code, np.nan)
            prev = lookup.get((ind.id, code, year - 1), np.nan)
            rank = ranks.get(code, pd.NA)
            rows.append({
                "indicator_id": ind.id, "region_code": code, "value": value, "riket": riket,
                "relative": (value - riket) * sign, "rank": rank, "n_ranked": len(current),
                "change": value - prev,
                "change_judgement": "" if _break_between(ind, year - 1, year)
                else judge_change(value - prev, ind.direction, ind.decimals),
                "meets_target": meets(value, ind),
            })
    frame = pd.DataFrame(rows)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["meets_target"] = pd.Series([r["meets_target"] for r in rows], dtype=object)
    return frame


def available_years(obs: Any, region_code: str | None = None) -> list[int]:
    """Years with at least one total value (for the region, when given)."""
    totals = values_frame(obs, "T")
    if region_code is not None:
        totals = totals[totals["region_code"] == region_code]
    return sorted(int(y) for y in totals["year"].unique())
