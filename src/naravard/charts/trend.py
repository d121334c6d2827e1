"""The trend chart: one region over the years against Riket, every other region faint."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.collections import LineCollection

from naravard.charts import cache
from naravard.charts.breaks import cut_at_breaks, pieces
from naravard.charts.chart import Chart
from naravard.charts.fit import fit_label, fixed_margins, spread_labels
from naravard.charts.inputs import (
    IndicatorLike,
    attr,
    clean,
    fmt,
    fmt_short,
    ind_decimals,
    ind_id,
    year_breaks,
)
from naravard.charts.style import (
    BLUE,
    CM,
    CONTEXT_GREY,
    GREEN,
    NARROW,
    RC,
    RIKET_CODE,
    VERMILLION,
    WIDTH,
    SwedishFormatter,
    new_figure,
    no_axis_label,
    title,
    year_axis,
    zero_note,
)
from naravard.wording import chart_text
from naravard.wording.text import fmt_value, is_missing, unit_label


def trend_chart(
    frame: pd.DataFrame,
    indicator: IndicatorLike,
    region_code: str,
    region_name: str,
    *,
    riket_code: str = RIKET_CODE,
    years: Iterable[int] | None = None,
    breaks: Iterable[Any] | None = None,
    size: tuple[float, float] | None = None,
    shared: bool = False,
) -> Chart:
    """The region over time against Riket, with every other region faint for context.

    `size` is (width, height) in cm; the default is the full text width. A target in the
    indicator (`target`, `target_text`) is drawn as a green dotted line. `shared`: build on
    the background an earlier region's chart of the same indicator built (a report kernel's
    charts, see `Chart.shared`); the drawing is the same.
    """
    with matplotlib.rc_context(RC):
        return _trend_chart(
            frame, indicator, region_code, region_name, riket_code, years, breaks, size, shared
        )


def _trend_chart(
    frame, indicator, region_code, region_name, riket_code, years, breaks, size=None, shared=False
):
    name = str(attr(indicator, "name", ""))
    unit = str(attr(indicator, "unit", ""))
    data = clean(frame)
    if years is not None:
        wanted = {int(y) for y in years}
        data = data[data["year"].isin(wanted)]
    region = data[data["region_code"] == region_code].sort_values("year")
    riket = data[data["region_code"] == riket_code].sort_values("year")
    others = data[~data["region_code"].isin([region_code, riket_code])]

    width_cm, height_cm = size or (WIDTH / CM, 8.5)
    narrow = width_cm < NARROW
    label_size = 7.0 if narrow else 8.5
    all_years = sorted(data["year"].unique().tolist())
    target = attr(indicator, "target")
    target = None if is_missing(target) else float(target)
    # only breaks inside the drawn years: a break before the first year has nothing to split
    found_breaks = [
        (y, r) for y, r in year_breaks(breaks) if all_years and all_years[0] < y <= all_years[-1]
    ]
    background = cache.key(
        "trend",
        name,
        unit,
        cache.frame_digest(data),
        found_breaks,
        target,
        attr(indicator, "target_text"),
        ind_decimals(indicator),
        width_cm,
        height_cm,
    )

    def build() -> tuple[Any, Any]:
        return _trend_background(
            data, indicator, riket_code, all_years, found_breaks, target, width_cm, height_cm
        )

    fig, ax = cache.remember(cache.SKELETONS, background, build) if shared else build()

    foreground: list[Any] = []
    break_years = [y for y, _r in found_breaks]
    if len(region):
        foreground += ax.plot(
            *cut_at_breaks(region["year"], region["value"], break_years),
            color=BLUE,
            linewidth=2.6,
            marker="o",
            markersize=6,
            zorder=4,
        )
    # Direct labels at the last point of each highlighted line, kept apart.
    y0, y1 = ax.get_ylim()
    # a label too long for the room right of its line's end takes two lines ("Jämtland
    # Härjedalen" / "14 125,4"), and keeps further apart from the other label
    font_size = 6.5 if narrow else label_size
    # both labels start right of the later line's end: Riket's label for an older year
    # ("Riket 1,9 (2023)") sat under the region's newest marker
    label_x = max(
        [float(line["year"].iloc[-1]) for line in (region, riket) if len(line)], default=0.0
    )
    labels: dict[str, tuple[float, float, str, str, str]] = {}
    if len(region):
        last = region.iloc[-1]
        labels["region"] = (
            label_x,
            last["value"],
            fit_label(
                ax, label_x, region_name, fmt_short(indicator, last["value"]), font_size, "bold"
            ),
            BLUE,
            "bold",
        )
    if len(riket):
        last = riket.iloc[-1]
        # the label names its year when Riket's last value is older than the region's, so
        # the chart never shows a Riket figure that the table shows as missing
        when = (
            ""
            if not len(region) or int(last["year"]) == int(region.iloc[-1]["year"])
            else f" ({int(last['year'])})"
        )
        labels["riket"] = (
            label_x,
            last["value"],
            fit_label(
                ax,
                label_x,
                "Riket",
                f"{fmt_short(indicator, last['value'])}{when}",
                font_size,
                "normal",
            ),
            VERMILLION,
            "normal",
        )
    lines = max((label[2].count("\n") + 1 for label in labels.values()), default=1)
    spread = spread_labels(
        {k: (v[1] - y0) / (y1 - y0) for k, v in labels.items()},
        gap=(0.1 if narrow else 0.075) * (1 + 0.5 * (lines - 1)),
    )
    for key, (x, _y, text, colour, weight) in labels.items():
        foreground.append(
            ax.annotate(
                text,
                xy=(x, y0 + spread[key] * (y1 - y0)),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                color=colour,
                fontweight=weight,
                fontsize=font_size,
                annotation_clip=False,
                zorder=5,
            )
        )
    if shared:  # they join the shared background only while this chart is drawn
        for artist in foreground:
            artist.remove()

    # the alt text's change runs from the first year of the last unbroken stretch: a
    # "från … till …" across a break would describe a change the years cannot show
    newest = int(region["year"].iloc[-1]) if len(region) else 0
    since = max((b for b in break_years if b <= newest), default=0)
    stretch = region[region["year"] >= since]
    ends = (
        [stretch.iloc[0], stretch.iloc[-1]]
        if len(stretch) >= 2
        else [stretch.iloc[-1]]
        if len(stretch)
        else []
    )
    alt, caption = chart_text.trend_texts(
        name,
        region_name,
        all_years,
        [(int(row["year"]), fmt(indicator, row["value"])) for row in ends],
        (int(riket.iloc[-1]["year"]), fmt(indicator, riket.iloc[-1]["value"]))
        if len(riket)
        else None,
        others["region_code"].nunique(),
        found_breaks,
        None if target is None else attr(indicator, "target_text") or fmt(indicator, target),
    )
    stem = f"trend-{ind_id(indicator)}-{region_code}"
    return Chart(
        fig=fig,
        alt=alt,
        name=stem,
        caption=caption,
        foreground=foreground,
        background_key=background,
        layered_svg=True,
        shared=shared,
    )


def _trend_background(
    data: pd.DataFrame,
    indicator: Any,
    riket_code: str,
    all_years: list[int],
    found_breaks: list[tuple[int, str]],
    target: float | None,
    width_cm: float,
    height_cm: float,
) -> tuple[Any, Any]:
    """A trend chart without its region: what is the same for every region (figure, axes)."""
    name = str(attr(indicator, "name", ""))
    unit = str(attr(indicator, "unit", ""))
    narrow = width_cm < NARROW
    label_size = 7.0 if narrow else 8.5
    if narrow:  # inside the caller's rc_context: restored afterwards
        matplotlib.rcParams["xtick.labelsize"] = 7
        matplotlib.rcParams["ytick.labelsize"] = 7
    riket = data[data["region_code"] == riket_code].sort_values("year")
    # Every region is drawn faint, the focus region too (hidden under its own bold line):
    # the background is then the same for all 21 regions and is drawn once per batch worker.
    context = data[data["region_code"] != riket_code]
    fig = new_figure(height_cm, width_cm, constrained=False)
    ax = fig.add_subplot()
    # one collection, not 21 lines: a fraction of the time to build and to draw
    context = context.sort_values(["region_code", "year"], kind="mergesort")
    # no segment joins the years either side of a series break (charts/breaks.py)
    break_years = [y for y, _r in found_breaks]
    traces = [
        piece
        for _code, g in context.groupby("region_code", sort=True)
        for piece in pieces(g["year"], g["value"], break_years)
    ]
    if traces:
        ax.add_collection(
            LineCollection(
                traces, colors=CONTEXT_GREY, linewidths=0.8, zorder=1, label="_övriga regioner"
            ),
            autolim=True,
        )
        ax.autoscale_view()
    # a year alone between breaks has no line to show it: a faint dot instead
    alone = [trace[0] for trace in traces if len(trace) == 1]
    if alone:
        ax.plot(
            *zip(*alone, strict=True),
            color=CONTEXT_GREY,
            marker="o",
            markersize=2.2,
            linestyle="none",
            zorder=1,
            label="_övriga regioner",
        )
    if len(riket):
        ax.plot(
            *cut_at_breaks(riket["year"], riket["value"], break_years),
            color=VERMILLION,
            linestyle="--",
            linewidth=1.8,
            marker="s",
            markersize=4.5,
            zorder=3,
        )

    if all_years:
        lo, hi = all_years[0], all_years[-1]
        span = max(hi - lo, 1)
        ax.set_xlim(lo - 0.25 - (0.5 if lo == hi else 0), hi + 0.25 * span + 0.6)
    if target is not None:
        # the target line is part of the picture: the axis always reaches it
        ax.axhline(target, color=GREEN, linestyle=":", linewidth=1.6, zorder=2)
        ax.update_datalim([(ax.get_xlim()[0], target)])
        ax.autoscale_view()
    ax.margins(y=0.1)
    ylabel = "\n".join(textwrap.wrap(unit_label(unit), 22 if narrow else 40))
    ax.set_ylabel(ylabel, fontsize=label_size)
    year_axis(ax.xaxis, all_years, 5 if narrow else 10)
    no_axis_label(ax.xaxis)
    ax.yaxis.set_major_formatter(SwedishFormatter())
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    title(ax, name, 40 if narrow else 62, size=label_size + 1 if narrow else None)
    y0, _y1 = ax.get_ylim()
    if target is not None:
        target_text = attr(indicator, "target_text") or fmt_value(
            target, unit, ind_decimals(indicator), short=True
        )
        ax.text(
            ax.get_xlim()[0],
            target,
            f" Mål: {target_text}",
            color=GREEN,
            fontsize=6.5,
            fontweight="bold",
            ha="left",
            va="bottom",
            zorder=2,
        )
    zero_note(fig, ax, y0)
    for year, reason in found_breaks:
        ax.axvline(year - 0.5, color="#555555", linestyle=":", linewidth=1.2, zorder=2)
        # the reason is printed under the chart; a short label keeps inside the plot area
        ax.text(
            year - 0.55,
            0.99,
            f"Brott {year}" if narrow else f"Tidsseriebrott {year}",
            transform=ax.get_xaxis_transform(),
            fontsize=6.5 if narrow else 7,
            va="top",
            ha="right",
            color="#444444",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
        )
    # room on the left for the unit label's lines and the widest tick label ("5 000")
    wide_ticks = len(data) and float(data["value"].abs().max()) >= 1000
    left = 1.15 + 0.3 * ylabel.count("\n") + (0.3 if wide_ticks else 0.0)
    margins = (
        dict(left=left, right=2.45, bottom=1.0, top=0.65)
        if narrow
        else dict(left=2.7, right=2.1, bottom=0.7)
    )
    return fixed_margins(fig, **margins), ax
