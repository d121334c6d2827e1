"""The tile map: Sweden's 21 regions as equal squares, coloured by value or against Riket."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib
import matplotlib.cm
import matplotlib.patches
import numpy as np
from matplotlib.colors import Normalize, TwoSlopeNorm

from naravard.analysis import judgements as J
from naravard.charts.chart import Chart
from naravard.charts.fit import finish
from naravard.charts.inputs import IndicatorLike, attr, fmt, fmt_short, ind_decimals, ind_id
from naravard.charts.style import (
    CHECK_FACE,
    CHECK_HATCH,
    HEAT_CMAP,
    MISSING_GREY,
    NEAR_FACE,
    RC,
    VERDICT_MARKS,
    SwedishFormatter,
    judged_colour,
    new_figure,
    text_colour,
)
from naravard.wording import chart_text
from naravard.wording.chart_text import CHECK_MARK
from naravard.wording.text import DASH, is_missing, unit_label


def tile_map_chart(
    values: Mapping[str, float],
    indicator: IndicatorLike,
    region_info: Sequence[Any],
    *,
    year: int | None = None,
    highlight: str | None = None,
    name: str | None = None,
    riket: float | None = None,
    size: tuple[float, float] | None = None,
    to_check: Iterable[str] = (),
) -> Chart:
    """Sweden's 21 regions as equal squares at their tile positions, coloured by value.

    With Riket's value and a direction, the colours and marks are the heat map's: purple and
    ▲ better than Riket, orange and ▼ worse, stronger the further away, white and ≈ "nära
    riket" (`judgements.versus_riket` with the indicator's `min_change`). Neutral indicators
    are shades of grey. The colour bar spans the values drawn (to half a published unit), and
    its colours are the tiles' at the published precision. `to_check`: region codes whose
    value `naravard.analysis.plausibility` flags: grey, dotted, marked ?, not judged.
    """
    with matplotlib.rc_context(RC):
        return _tile_map_chart(
            values, indicator, region_info, year, highlight, name, riket, size, set(to_check)
        )


def _tile_map_chart(
    values,
    indicator,
    region_info,
    year,
    highlight,
    name,
    riket=None,
    size=None,
    to_check=frozenset(),
):
    ind_name = str(attr(indicator, "name", ""))
    direction = str(attr(indicator, "direction", "neutral"))
    regions = [r for r in region_info if tuple(getattr(r, "tile", (-1, -1)))[0] >= 0]
    present = {
        r.code: float(values[r.code])
        for r in regions
        if r.code in values and not is_missing(values[r.code])
    }
    cols = max([r.tile[0] for r in regions] or [0]) + 1
    n_rows = max([r.tile[1] for r in regions] or [0]) + 1

    width_cm, height_cm = size or (11.5, 15.5)
    fig = new_figure(height_cm, width_cm)
    grid = fig.add_gridspec(1, 2, width_ratios=[cols, 0.25])
    ax = fig.add_subplot(grid[0, 0])
    cax = fig.add_subplot(grid[0, 1])
    lo = min(present.values()) if present else 0.0
    hi = max(present.values()) if present else 1.0
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    # a value is shown rounded: the bar reaches half a published unit past the extremes, so
    # a tile at the extreme finds its colour on the bar
    half = 0.5 * 10 ** -ind_decimals(indicator)
    lo, hi = lo - half, hi + half
    judged = direction in ("higher", "lower") and riket is not None and not is_missing(riket)
    verdicts: dict[str, str] = {}
    if judged:
        cmap = matplotlib.colormaps[HEAT_CMAP]
        if direction == "lower":
            cmap = cmap.reversed()  # purple = better in both directions
        riket = float(riket)
        min_change = float(attr(indicator, "min_change", 0.0))
        verdicts = {
            code: J.versus_riket(value, riket, direction, min_change, ind_decimals(indicator))
            for code, value in present.items()
            if code not in to_check
        }
        reach = max(abs(hi - riket), abs(lo - riket), 1e-9)
        norm = TwoSlopeNorm(vcenter=riket, vmin=riket - reach, vmax=riket + reach)
        lo, hi = min(lo, riket), max(hi, riket)
    else:
        cmap = matplotlib.colors.LinearSegmentedColormap.from_list("greys", ["#F2F2F2", "#6E6E6E"])
        norm = Normalize(vmin=lo, vmax=hi)
    for r in regions:
        col, row = r.tile
        value = present.get(r.code)
        verdict = verdicts.get(r.code, "")
        check = value is not None and r.code in to_check
        face = (
            MISSING_GREY
            if value is None
            else CHECK_FACE
            if check
            else NEAR_FACE
            if verdict == J.NEAR_RIKET
            else judged_colour(cmap, norm(value))
            if judged
            else cmap(norm(value))
        )
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (col + 0.04, row + 0.04),
                0.92,
                0.92,
                facecolor=face,
                edgecolor="#888888"
                if value is None or check
                else "#B0B0B0"
                if face == NEAR_FACE
                else "white",
                hatch="///" if value is None else CHECK_HATCH if check else "",
                linewidth=0.8,
            )
        )
        if r.code == highlight:
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (col + 0.04, row + 0.04),
                    0.92,
                    0.92,
                    fill=False,
                    edgecolor="black",
                    linewidth=2.6,
                    zorder=5,
                )
            )
        colour = text_colour(face)
        label = chart_text.TILE_LABELS.get(r.name, r.name)
        ax.text(
            col + 0.5,
            row + 0.36,
            label,
            ha="center",
            va="center",
            fontsize=6.8 if width_cm > 10 else 5.4,
            color=colour,
            fontweight="bold" if r.code == highlight else "normal",
            linespacing=1.05,
        )
        mark = CHECK_MARK if check else VERDICT_MARKS.get(verdict, "")
        ax.text(
            col + 0.5,
            row + 0.74,
            DASH if value is None else f"{mark}\u202f{fmt_short(indicator, value)}".strip(),
            ha="center",
            va="center",
            fontsize=8 if width_cm > 10 else 6.3,
            fontweight="bold",
            color=colour,
        )
    ax.set_xlim(0, cols)
    ax.set_ylim(n_rows, 0)  # row 0 at the top
    ax.set_aspect("equal")
    ax.axis("off")
    suffix = f" {year}" if year is not None else ""
    fig.suptitle(
        "\n".join(textwrap.wrap(f"{ind_name}{suffix}", 48 if width_cm > 10 else 38)),
        x=0.02,
        ha="left",
        fontsize=9.5 if width_cm > 10 else 8,
        fontweight="bold",
    )

    if judged:  # the bar shows the band of "nära riket" in its colour
        cmap = _with_near_band(cmap, norm, riket, indicator)
    scalar = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(scalar, cax=cax)
    # only the values drawn: a symmetric scale around Riket reached "105 Procent"
    cax.set_ylim(lo, hi)
    bar.ax.yaxis.set_major_formatter(SwedishFormatter())
    bar.set_label(unit_label(str(attr(indicator, "unit", ""))))
    bar.outline.set_edgecolor("#B0B0B0")  # the white band of "nära riket" keeps its edge
    bar.outline.set_linewidth(0.5)
    cax.set_box_aspect(12)

    by_code = {r.code: r.name for r in regions}
    ordered = sorted(present.items(), key=lambda kv: kv[1])
    counts = {v: sum(1 for x in verdicts.values() if x == v) for v in VERDICT_MARKS}
    alt, caption = chart_text.tile_map_texts(
        title=f"{ind_name}{suffix}",
        n_present=len(present),
        n_regions=len(regions),
        highest=(by_code[ordered[-1][0]], fmt(indicator, ordered[-1][1])) if present else None,
        lowest=(by_code[ordered[0][0]], fmt(indicator, ordered[0][1])) if present else None,
        highlight=(by_code[highlight], fmt(indicator, present[highlight]))
        if highlight in present
        else None,
        missing=[r.name for r in regions if r.code not in present],
        versus_riket=(
            fmt(indicator, riket),
            fmt_short(indicator, riket),
            counts[J.BETTER_THAN_RIKET],
            counts[J.NEAR_RIKET],
            counts[J.WORSE_THAN_RIKET],
        )
        if judged
        else None,
        checked=sorted(r.name for r in regions if r.code in to_check and r.code in present),
    )
    stem = name or f"karta-{ind_id(indicator)}" + (f"-{year}" if year is not None else "")
    return Chart(fig=finish(fig), alt=alt, name=stem, caption=caption)


def _with_near_band(cmap: Any, norm: Any, riket: float, indicator: Any) -> Any:
    """The tiles' colours as a colour bar: each value judged as a tile of that value is
    (`judgements.versus_riket` at the published precision), "nära riket" in its colour."""
    samples = np.linspace(0, 1, 1024)
    values = np.atleast_1d(norm.inverse(samples))
    direction = str(attr(indicator, "direction", "neutral"))
    min_change = float(attr(indicator, "min_change", 0.0))
    decimals = ind_decimals(indicator)
    colours = [
        NEAR_FACE
        if J.versus_riket(float(v), riket, direction, min_change, decimals) == J.NEAR_RIKET
        else judged_colour(cmap, x)
        for x, v in zip(samples, values)
    ]
    return matplotlib.colors.ListedColormap(colours)
