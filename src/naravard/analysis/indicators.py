"""Per region and year: value, change, Riket, rank, position, target — the numbers a report states.

Every comparison here is direction-aware (a fall in waiting is an improvement), and missing
values stay missing (NaN/None), never 0, so the text layer can say "saknas" instead of lying.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from naravard.analysis import judgements as J
from naravard.analysis import plausibility as P
from naravard.analysis import row_checks
from naravard.config.catalog import Catalog, Indicator
from naravard.config.regions import RIKET_CODE, region_codes
from naravard.config.regions import by_code

TABLE_COLUMNS = [
    "indicator_id",
    "name",
    "area",
    "unit",
    "direction",
    "decimals",
    "source",
    "year",
    "value",
    "prev_year",
    "prev_value",
    "change",
    "change_judgement",
    "change_counts",
    "min_change",
    "break_between",
    "trend",
    "trend_from_year",
    "trend_from_value",
    "trend_shape",
    "trend_start_year",
    "trend_start_value",
    "trend_shift_from",
    "trend_shift_to",
    "trend_shift_from_value",
    "trend_shift_to_value",
    "trend_before",
    "trend_p",
    "prev_trend",
    "prev_trend_shape",
    "prev_trend_from_year",
    "prev_target_status",
    "riket",
    "riket_prev",
    "versus_riket",
    "rank",
    "rank_to",
    "n_tied",
    "tied_with",
    "n_ranked",
    "position",
    "spread_min",
    "spread_median",
    "spread_max",
    "target",
    "target_text",
    "target_kind",
    "meets_target",
    "target_gap",
    "target_share",
    "target_status",
    "target_for",
    "target_note",
    "definition",
    "comparability_note",
    "kvinnor",
    "man",
    "gender_gap",
    "plausibility",
    "plausibility_note",
    "published_note",
]

POSITION_LABELS = {
    "övre": "Övre tredjedelen",
    "mellersta": "Mellersta tredjedelen",
    "nedre": "Nedre tredjedelen",
}


def rounded(values: Iterable[object], decimals: Iterable[int]) -> list[object]:
    """Each value at its indicator's published precision, missing values as they are: an
    exported change of 79,5 − 75,3 reads 4,2, not 4,200000000000003, in Excel."""
    return [x if pd.isna(x) else round(float(x), int(d)) for x, d in zip(values, decimals)]


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
    return (
        vals[vals["indicator_id"] == indicator_id][["region_code", "year", "value"]]
        .sort_values(["region_code", "year"])
        .reset_index(drop=True)
    )


def rank_values(values: pd.Series, direction: str, decimals: int = 4) -> pd.Series:
    """Rank 1 = best at the published precision; ties share the better rank; neutral: none."""
    places = J.ranks(values.to_dict(), direction, decimals)
    return pd.Series(
        {k: places[k].rank if k in places else pd.NA for k in values.index}, dtype="Int64"
    )


def position_of(rank: float | None, n: int) -> str:
    """Which third of the regions a rank falls in: "övre", "mellersta" or "nedre"."""
    if rank is None or pd.isna(rank) or n <= 0:
        return ""
    return J.third(int(rank), n)


def judge_change(
    change: float | None, direction: str, decimals: int, min_change: float = 0.0
) -> str:
    """The judgement word for a comparable change (see judgements.change_judgement)."""
    return J.change_judgement(change, direction, min_change, decimals)[0]


def meets(value: float | None, ind: Indicator) -> bool | None:
    """Whether the value, at its published precision, reaches the target (None: no target/value)."""
    if ind.target is None or value is None or pd.isna(value):
        return None
    shown = J.published(value, ind.decimals)
    return bool(shown >= ind.target) if ind.target_kind == "min" else bool(shown <= ind.target)


def trend_columns(trend: J.Trend, points: dict[int, float]) -> dict[str, Any]:
    """The trend as table columns (TABLE_COLUMNS), so sentences and exports share it."""

    def at(y: int | None) -> float:
        return float(points[y]) if y is not None and y in points else np.nan

    return {
        "trend": trend.judgement,
        "trend_from_year": trend.from_year,
        "trend_from_value": trend.from_value if trend.judgement else np.nan,
        "trend_shape": trend.shape,
        "trend_start_year": trend.start_year,
        "trend_start_value": trend.start_value if trend.shape else np.nan,
        "trend_shift_from": trend.shift_from,
        "trend_shift_to": trend.shift_to,
        "trend_shift_from_value": at(trend.shift_from),
        "trend_shift_to_value": at(trend.shift_to),
        "trend_before": trend.before,
        "trend_p": trend.p_value if trend.p_value is not None else np.nan,
    }


def _share(value: float | None, ind: Indicator) -> float:
    """The share of the target reached, in percent (100 = reached; NaN without target/value)."""
    share = J.target_share(value, ind.target, ind.target_kind, ind.decimals)
    return np.nan if share is None else round(100 * min(share, 10.0), 1)


def _break_between(ind: Indicator, prev_year: int | None, year: int) -> bool:
    return J.break_between(row_checks.break_years(ind), prev_year, year)


def _lookup(vals: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    return dict(
        zip(
            zip(vals["indicator_id"], vals["region_code"], vals["year"].astype(int)),
            vals["value"].astype(float),
        )
    )


def _definitions(obs: Any, region_code: str) -> dict[tuple[str, int], str]:
    """(indicator, year) → how the region's own figure is defined ("" = as the catalogue says).

    The regional reader stores a row's `definition` in the tidy `status` column.
    """
    frame = _frame(obs)
    sel = frame[
        (frame["region_code"] == region_code)
        & (frame["gender"] == "T")
        & frame["value"].notna()
        & (frame["source"] != "")
    ]
    return {
        (i, int(y)): str(st or "")
        for i, y, st in zip(sel["indicator_id"], sel["year"], sel["status"])
    }


def _comparability(
    ind: Indicator,
    catalog: Catalog,
    lookup: dict,
    definitions: dict,
    region_code: str,
    year: int,
    prev_year: int | None,
    broken: bool,
    value: float,
) -> tuple[str, str, bool]:
    """(definition of this year's value, the comparability note, whether prev is comparable)."""
    notes = []
    definition = definitions.get((ind.id, year), "") if ind.source == "regional" else ""
    prev_def = (
        definitions.get((ind.id, prev_year), "") if (ind.source == "regional" and prev_year) else ""
    )
    if definition:
        notes.append(f"Värdet {year} avser {definition}.")
    same = J.same_definition(definition, prev_def)
    if prev_year and not same:
        notes.append(
            f"Värdet {prev_year} avser {prev_def or 'indikatorns vanliga definition'}, "
            f"så {prev_year} och {year} jämförs inte."
        )
    if broken:
        first = max(b for b in row_checks.break_years(ind) if prev_year < b <= year)  # type: ignore[operator]
        notes.append(f"Tidsseriebrott {first}: förändringen från {prev_year} bedöms inte.")
    if ind.rolling_mean:
        notes.append(f"Varje värde är ett {ind.rolling_mean}.")
    partners = [
        i for i in catalog if i.id != ind.id and (i.same_as == ind.id or ind.same_as == i.id)
    ]
    for other in partners:
        other_value = lookup.get((other.id, region_code, year))
        if other_value is not None and not pd.isna(value):
            shown = f"{J.published(other_value, other.decimals):.{other.decimals}f}"
            notes.append(
                f"Samma sak mätt på annat sätt: {shown.replace('.', ',')} "
                f"{other.unit_label} ({other.primary_source})."
            )
    return definition, " ".join(notes), same


def _tied_with(values: dict[str, float], region_code: str, decimals: int) -> str:
    """The other regions with the same published value, by name ("Gävleborg, Kalmar")."""
    mine = J.published(values[region_code], decimals)
    return ", ".join(
        sorted(
            by_code(c).name
            for c, v in values.items()
            if c != region_code and J.published(v, decimals) == mine
        )
    )


def indicator_table(obs: Any, catalog: Catalog, region_code: str, year: int) -> pd.DataFrame:
    """One row per catalogue indicator for one region and year (columns: TABLE_COLUMNS).

    Every judgement column comes from naravard.analysis.judgements, so sentences, tables and the
    exported files say the same thing.
    """
    year = int(year)
    totals = values_frame(obs, "T")
    lookup = _lookup(totals)
    by_gender = {g: _lookup(values_frame(obs, g)) for g in ("K", "M")}
    regions = region_codes()
    definitions = _definitions(obs, region_code)
    years_by_ind = (
        totals[totals["region_code"] == region_code]
        .groupby("indicator_id")["year"]
        .apply(lambda s: sorted(int(y) for y in s))
        .to_dict()
    )

    rows = []
    checks = {}
    riket_series: dict[str, dict[int, float]] = {}
    for (i, c, y), v in lookup.items():
        if c == RIKET_CODE:
            riket_series.setdefault(i, {})[y] = v
    for ind in catalog:
        value = lookup.get((ind.id, region_code, year), np.nan)
        own_years = years_by_ind.get(ind.id, [])
        earlier = [y for y in own_years if y < year]
        prev_year = earlier[-1] if earlier else None
        prev_value = lookup.get((ind.id, region_code, prev_year), np.nan) if prev_year else np.nan
        broken = _break_between(ind, prev_year, year)
        definition, note, same_def = _comparability(
            ind, catalog, lookup, definitions, region_code, year, prev_year, broken, value
        )
        change = value - prev_value if prev_year and same_def else np.nan
        judgement, counts = J.change_judgement(
            change, ind.direction, ind.min_change, ind.decimals, comparable=not broken
        )
        points = {
            y: lookup[(ind.id, region_code, y)]
            for y in own_years
            if J.same_definition(definitions.get((ind.id, y), ""), definition)
        }
        trend = J.trend(
            points, year, ind.direction, ind.min_change, ind.decimals, row_checks.break_years(ind)
        )
        # last year's verdicts by the same rules, so a chapter can say when they differ
        last_trend = J.trend(
            points,
            year - 1,
            ind.direction,
            ind.min_change,
            ind.decimals,
            row_checks.break_years(ind),
        )
        last_value = points.get(year - 1, np.nan)

        year_vals = {c: lookup[(ind.id, c, year)] for c in regions if (ind.id, c, year) in lookup}
        place = None
        if ind.source == "kolada" and not pd.isna(value):
            place = J.ranks(year_vals, ind.direction, ind.decimals).get(region_code)
        spread = J.spread(list(year_vals.values())) if ind.source == "kolada" else None
        status = J.target_status(value, ind.target, ind.target_kind, decimals=ind.decimals)
        target_note = (
            J.target_note(ind.target_source, ind.target_for, year, not pd.isna(value))
            if ind.target is not None
            else ""
        )

        checks[ind.id] = row_checks.checks(ind, points, riket_series.get(ind.id, {}), year, value)
        kvinnor = by_gender["K"].get((ind.id, region_code, year), np.nan)
        man = by_gender["M"].get((ind.id, region_code, year), np.nan)
        rows.append(
            {
                "indicator_id": ind.id,
                "name": ind.name,
                "area": ind.area,
                "unit": ind.unit,
                "direction": ind.direction,
                "decimals": ind.decimals,
                "source": ind.source,
                "year": year,
                "value": value,
                "prev_year": prev_year,
                "prev_value": prev_value,
                "change": change,
                "change_judgement": judgement,
                "change_counts": counts,
                "min_change": ind.min_change,
                "break_between": broken,
                **trend_columns(trend, points),
                "prev_trend": last_trend.judgement,
                "prev_trend_shape": last_trend.shape,
                "prev_trend_from_year": last_trend.from_year,
                "prev_target_status": J.target_status(
                    last_value, ind.target, ind.target_kind, decimals=ind.decimals
                )
                if not pd.isna(last_value)
                else "",
                "riket": lookup.get((ind.id, RIKET_CODE, year), np.nan),
                "riket_prev": lookup.get((ind.id, RIKET_CODE, prev_year), np.nan)
                if prev_year
                else np.nan,
                "versus_riket": J.versus_riket(
                    value,
                    lookup.get((ind.id, RIKET_CODE, year)),
                    ind.direction,
                    ind.min_change,
                    ind.decimals,
                ),
                "rank": place.rank if place else pd.NA,
                "rank_to": place.rank_to if place else pd.NA,
                "n_tied": place.n_tied if place else pd.NA,
                "tied_with": _tied_with(year_vals, region_code, ind.decimals) if place else "",
                "n_ranked": len(year_vals) if ind.source == "kolada" and not pd.isna(value) else 0,
                "position": J.third(place.rank, place.n_ranked) if place else "",
                "spread_min": spread.low if spread else np.nan,
                "spread_median": spread.median if spread else np.nan,
                "spread_max": spread.high if spread else np.nan,
                "target": ind.target,
                "target_text": ind.target_text,
                "target_kind": ind.target_kind,
                "meets_target": meets(value, ind),
                "target_gap": (value - ind.target) if ind.target is not None else np.nan,
                "target_share": _share(value, ind),
                "target_status": status,
                "target_for": ind.target_for,
                "target_note": target_note,
                "definition": definition,
                "comparability_note": note,
                "kvinnor": kvinnor,
                "man": man,
                "gender_gap": kvinnor - man,
            }
        )
    row_checks.flag_rows(rows, checks, catalog, year)
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for col in (
        "prev_year",
        "rank",
        "rank_to",
        "n_tied",
        "trend_from_year",
        "target_for",
        "trend_start_year",
        "trend_shift_from",
        "trend_shift_to",
        "prev_trend_from_year",
    ):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
    table["meets_target"] = pd.Series([r["meets_target"] for r in rows], dtype=object)
    return _latest_published(table, obs, catalog, region_code, year)


def unpublished(obs: Any, catalog: Catalog, year: int) -> dict[str, int]:
    """Kolada indicators that no region has a value for in `year` but for an earlier year:
    id → the latest year with values (publication lag: the source has not published yet)."""
    totals = values_frame(obs, "T")
    regions = set(region_codes())
    sel = totals[totals["region_code"].isin(regions)]
    years = sel.groupby("indicator_id")["year"].apply(lambda s: sorted({int(y) for y in s}))
    out = {}
    for ind in catalog.kolada():
        have = years.get(ind.id, [])
        earlier = [y for y in have if y < year]
        if year not in have and earlier:
            out[ind.id] = earlier[-1]
    return out


def published_note(year: int, latest: int) -> str:
    return f"Ännu inte publicerat för {year}; senaste år {latest} visas."


def _latest_published(
    table: pd.DataFrame, obs: Any, catalog: Catalog, region_code: str, year: int
) -> pd.DataFrame:
    """Rows of indicators not yet published for `year` show their latest published year,
    saying so in `published_note`; an indicator only this region lacks stays missing."""
    lag = unpublished(obs, catalog, year)
    table["published_note"] = ""
    if not lag:
        return table
    for latest in sorted(set(lag.values())):
        ids = [i for i, y in lag.items() if y == latest]
        earlier = indicator_table(obs, catalog, region_code, latest).set_index("indicator_id")
        for ind_id in ids:
            at = table.index[table["indicator_id"] == ind_id][0]
            row = earlier.loc[ind_id]
            for col in TABLE_COLUMNS[1:]:
                table.at[at, col] = row[col]
            table.at[at, "published_note"] = published_note(year, latest)
    return table


def national_table(obs: Any, catalog: Catalog, year: int) -> pd.DataFrame:
    """Every region × Kolada indicator in one year: value, Riket, rank, relative position, change.

    `relative` is direction-aware: positive means better than Riket, in the indicator's unit;
    neutral indicators get NaN there (and no rank) because "better" has no meaning for them.
    Ranks and changes follow naravard.analysis.judgements, as in the region report.
    """
    year = int(year)
    totals = values_frame(obs, "T")
    lookup = _lookup(totals)
    regions = region_codes()
    by_series: dict[tuple[str, str], dict[int, float]] = {}
    for (i, c, y), v in lookup.items():
        by_series.setdefault((i, c), {})[y] = v
    rows = []
    large: dict[str, list[tuple[str, str]]] = {}  # region → (indicator, source) moving a lot
    lag = unpublished(obs, catalog, year)
    report_year = year
    for ind in catalog.kolada():
        year = lag.get(ind.id, report_year)  # not yet published: the latest year with values
        current = {c: lookup[(ind.id, c, year)] for c in regions if (ind.id, c, year) in lookup}
        places = J.ranks(current, ind.direction, ind.decimals)
        riket = lookup.get((ind.id, RIKET_CODE, year), np.nan)
        sign = {"higher": 1.0, "lower": -1.0}.get(ind.direction, np.nan)
        broken = _break_between(ind, year - 1, year)
        note = f"Tidsseriebrott {year}: förändringen bedöms inte." if broken else ""
        if ind.rolling_mean:
            note = f"{note} Varje värde är ett {ind.rolling_mean}.".strip()
        checks = {
            code: row_checks.checks(
                ind,
                by_series.get((ind.id, code), {}),
                by_series.get((ind.id, RIKET_CODE), {}),
                year,
                current.get(code, np.nan),
            )
            for code in regions
        }
        for code in regions:
            if checks[code][2]:
                large.setdefault(code, []).append((ind.id, ind.primary_source))
            value = current.get(code, np.nan)
            prev = lookup.get((ind.id, code, year - 1), np.nan)
            place = places.get(code)
            judgement, counts = J.change_judgement(
                value - prev, ind.direction, ind.min_change, ind.decimals, comparable=not broken
            )
            points = by_series.get((ind.id, code), {})
            trend = J.trend(
                points,
                year,
                ind.direction,
                ind.min_change,
                ind.decimals,
                row_checks.break_years(ind),
            )
            rows.append(
                {
                    "indicator_id": ind.id,
                    "region_code": code,
                    "year": year,
                    "value": value,
                    "riket": riket,
                    "relative": (value - riket) * sign,
                    "versus_riket": J.versus_riket(
                        value, riket, ind.direction, ind.min_change, ind.decimals
                    ),
                    "rank": place.rank if place else pd.NA,
                    "rank_to": place.rank_to if place else pd.NA,
                    "n_tied": place.n_tied if place else pd.NA,
                    "n_ranked": len(current),
                    "change": value - prev,
                    "change_judgement": judgement,
                    "change_counts": counts,
                    "break_between": broken,
                    "trend": trend.judgement,
                    "trend_from_year": trend.from_year if trend.judgement else pd.NA,
                    "trend_shape": trend.shape,
                    "meets_target": meets(value, ind),
                    "target_share": _share(value, ind),
                    "target_status": J.target_status(
                        value, ind.target, ind.target_kind, decimals=ind.decimals
                    ),
                    "target_note": J.target_note(
                        ind.target_source, ind.target_for, year, not pd.isna(value)
                    )
                    if ind.target is not None
                    else "",
                    "comparability_note": note,
                    "plausibility": "",
                    "plausibility_note": "",  # set by _mark below
                    "published_note": published_note(report_year, year)
                    if year != report_year
                    else "",
                }
            )
            row_checks.mark(
                rows[-1],
                P.verdict(
                    checks[code][0],
                    checks[code][1],
                    False,
                    row_checks.shown(value, ind),
                    year,
                    ind.primary_source,
                ),
            )
    for row in rows:  # a source swinging as a whole, as in indicator_table
        if row["indicator_id"] in P.together(large.get(row["region_code"], [])):
            ind = catalog.get(row["indicator_id"])
            row_checks.mark(
                row,
                P.verdict(
                    False,
                    False,
                    True,
                    row_checks.shown(row["value"], ind),
                    row["year"],
                    ind.primary_source,
                ),
            )
    frame = pd.DataFrame(rows)
    for col in ("rank", "rank_to", "n_tied"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    frame["meets_target"] = pd.Series([r["meets_target"] for r in rows], dtype=object)
    return frame


def available_years(obs: Any, region_code: str | None = None) -> list[int]:
    """Years with at least one total value (for the region, when given)."""
    totals = values_frame(obs, "T")
    if region_code is not None:
        totals = totals[totals["region_code"] == region_code]
    return sorted(int(y) for y in totals["year"].unique())
