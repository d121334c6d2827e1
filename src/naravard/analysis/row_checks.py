"""The plausibility columns of a table row: which checks a value fails and what the row says.

Shared by the region table and the national table (naravard.analysis.indicators); the
checks themselves are naravard.analysis.plausibility's.
"""

from __future__ import annotations

import pandas as pd

from naravard.analysis import judgements as J
from naravard.analysis import plausibility as P
from naravard.config.catalog import Catalog, Indicator


def break_years(ind: Indicator) -> list[int]:
    """The years where the indicator's series breaks (a new definition or source)."""
    return [b.year for b in ind.series_breaks]


def checks(
    ind: Indicator, points: dict[int, float], riket: dict[int, float], year: int, value: float
) -> tuple[bool, bool, bool]:
    """(jump, at its bound, a large change) for one region's value (naravard.analysis.plausibility)."""
    if ind.source != "kolada" or pd.isna(value):
        return False, False, False
    breaks = break_years(ind)
    return (
        P.is_jump(points, year, ind.min_change, riket=riket, breaks=breaks),
        P.at_bound(value, ind.unit, ind.decimals, [v for y, v in points.items() if y < year]),
        P.large_change(points, year, ind.min_change, breaks),
    )


def shown(value: float, ind: Indicator) -> str:
    """The value as the caution quotes it ("100,0 %")."""
    if pd.isna(value):
        return ""
    shown = f"{J.published(value, ind.decimals):.{ind.decimals}f}".replace(".", ",")
    return shown + ("\u00a0%" if ind.unit == "procent" else "")


def flag_rows(
    rows: list[dict], checks: dict[str, tuple[bool, bool, bool]], catalog: Catalog, year: int
) -> None:
    """Write the plausibility verdict into the rows; a flagged change is not judged plainly."""
    swing = P.together((i, catalog.get(i).primary_source) for i, c in checks.items() if c[2])
    for row in rows:
        jump, bound, _ = checks.get(row["indicator_id"], (False, False, False))
        ind = catalog.get(row["indicator_id"])
        mark(
            row,
            P.verdict(
                jump,
                bound,
                row["indicator_id"] in swing,
                shown(row["value"], ind),
                year,
                ind.primary_source,
            ),
        )


def mark(row: dict, found: P.Verdict) -> None:
    """A row's plausibility columns; a flagged change is not judged plainly (both tables)."""
    row["plausibility"], row["plausibility_note"] = found.flag, found.note
    if found.flag and row["change_judgement"]:
        row["change_judgement"], row["change_counts"] = P.JUDGEMENT, False
