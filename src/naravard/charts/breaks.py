"""Lines over the years that stop at a series break.

A statistician reads a line joining two years as a comparable change; across a series break
the years are not comparable, so no line segment may join them. The markers stay: the values
are still published, only the line between them is cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def crosses(break_years: Iterable[int], earlier: float, later: float) -> bool:
    """True when a series starts anew after year `earlier` and by year `later`."""
    return any(earlier < b <= later for b in break_years)


def cut_at_breaks(
    years: Sequence[float], values: Sequence[float], break_years: Iterable[int]
) -> tuple[np.ndarray, np.ndarray]:
    """`years`, `values` (sorted by year) with a NaN point wherever a break falls between
    two neighbours: matplotlib lifts the pen at NaN, so one Line2D draws the pieces."""
    breaks = sorted(set(int(b) for b in break_years))
    xs, ys = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    if not breaks or len(xs) < 2:
        return xs, ys
    out_x: list[float] = [float(xs[0])]
    out_y: list[float] = [float(ys[0])]
    for x0, x, y in zip(xs[:-1], xs[1:], ys[1:], strict=True):
        if crosses(breaks, x0, x):
            out_x.append(np.nan)
            out_y.append(np.nan)
        out_x.append(float(x))
        out_y.append(float(y))
    return np.array(out_x), np.array(out_y)


def pieces(
    years: Sequence[float], values: Sequence[float], break_years: Iterable[int]
) -> list[np.ndarray]:
    """One (n, 2) array of points per stretch between breaks (for a LineCollection)."""
    xs, ys = cut_at_breaks(years, values, break_years)
    cuts = np.flatnonzero(np.isnan(xs))
    stretches = zip(np.split(xs, cuts), np.split(ys, cuts), strict=True)
    # every stretch after the first starts with the NaN that cut it
    return [np.column_stack([px, py])[~np.isnan(px)] for px, py in stretches]
