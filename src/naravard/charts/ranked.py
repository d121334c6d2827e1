"""The ranked chart: every region in one year, best first, the focus region marked."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import matplotlib
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from naravard.analysis import judgements as J
from naravard.charts import cache, peer_marks
from naravard.charts.chart import Chart
from naravard.charts.fit import bold_copy, fixed_margins, ticks_inside
from naravard.charts.line_labels import labels_over_rows
from naravard.charts.inputs import IndicatorLike, attr, clean, fmt, fmt_short, ind_decimals, ind_id
from naravard.charts.style import (
    BAR_GREY,
    BLUE,
    CM,
    GREEN,
    NARROW,
    RC,
    RIKET_CODE,
    TEXT,
    VERMILLION,
    WIDTH,
    SwedishFormatter,
    decimals_for,
    new_figure,
    row_labels,
    title,
    zero_note,
)
from naravard.wording import chart_text
from naravard.wording import peers as peer_words
from naravard.wording.text import fmt_number, fmt_value, is_missing, unit_label


def _place(rank: Any) -> str:
    """ "5" or "1–6" for a shared place."""
    return f"{rank.rank}\u2013{rank.rank_to}" if rank.shared else str(rank.rank)


def _sort_best_first(values: pd.Series, direction: str) -> pd.Series:
    ascending = direction == "lower"
    return values.sort_values(ascending=ascending, kind="mergesort")


def ranked_chart(
    frame: pd.DataFrame,
    indicator: IndicatorLike,
    region_code: str,
    year: int,
    region_names: Mapping[str, str],
    *,
    riket_code: str = RIKET_CODE,
    size: tuple[float, float] | None = None,
    shared: bool = False,
    peers: Sequence[str] = (),
    peer_label: str = "",
) -> Chart:
    """All regions in one year, best first, with the focus region and Riket marked: bars
    from zero, or dots where the values lie close together (`ranked_dots`).

    `size` is (width, height) in cm; the default is the full text width and a height that
    grows with the number of regions. `shared`: as for `trend_chart`. `peers` (region codes)
    are marked without colour and named `peer_label` in the caption (charts.peer_marks).
    """
    with matplotlib.rc_context(RC):
        return _ranked_chart(
            frame,
            indicator,
            region_code,
            int(year),
            region_names,
            riket_code,
            size,
            shared,
            tuple(peers),
            peer_label,
        )


# A ranked chart shows dots instead of bars when its values lie closer together than this
# share of the highest one: bars from zero would all look alike, and bars from a cut axis
# exaggerate (21 % drawn three times as long as 15 %).
DOTS_SPREAD = 0.25


def ranked_dots(values: Sequence[float]) -> bool:
    """Whether a ranked chart draws dots on a cut axis rather than bars from zero.

    Bars always start at zero, so their lengths compare as the values do; only where every
    value is positive and the spread is under `DOTS_SPREAD` of the highest do dots (whose
    position, not length, carries the value) on an axis starting near the values say more.
    """
    finite = [float(v) for v in values if not is_missing(v) and math.isfinite(float(v))]
    if not finite or min(finite) <= 0:
        return False
    return max(finite) - min(finite) < DOTS_SPREAD * max(finite)


def axis_start(values: Sequence[float]) -> float:
    """Where a dot plot's or a trend's value axis starts: at zero, unless every value is
    positive and the spread is narrow against the level (then all would look the same).

    The start is a round number below the smallest value; the chart says so in a note.
    """
    finite = [float(v) for v in values if not is_missing(v) and math.isfinite(float(v))]
    if not finite or min(finite) <= 0:
        return 0.0
    lo, hi = min(finite), max(finite)
    if (hi - lo) > 0.5 * hi:
        return 0.0
    step = 10 ** math.floor(math.log10(max(hi - lo, 1e-9)))
    start = math.floor((lo - 0.5 * (hi - lo)) / step) * step
    return max(0.0, start)


def _ranked_chart(
    frame,
    indicator,
    region_code,
    year,
    region_names,
    riket_code,
    size=None,
    shared=False,
    peers=(),
    peer_label="",
):
    name = str(attr(indicator, "name", ""))
    direction = str(attr(indicator, "direction", "neutral"))
    data = clean(frame)
    data = data[data["year"] == year]
    riket_rows = data[data["region_code"] == riket_code]
    riket_value = float(riket_rows["value"].iloc[0]) if len(riket_rows) else math.nan
    regions = data[data["region_code"] != riket_code].drop_duplicates("region_code")
    values = _sort_best_first(regions.set_index("region_code")["value"], direction)
    codes = list(values.index)
    focus_name = region_names.get(region_code, region_code)
    n = len(codes)

    width_cm, height_cm = size or (WIDTH / CM, max(5.0, 1.8 + 0.5 * max(n, 1)))
    narrow = width_cm < NARROW
    # Places at the published precision, shared ones shown as such ("1–6") on every tied bar,
    # so the chart says what the text says (naravard.analysis.judgements.ranks).
    places = J.ranks(values.to_dict(), direction, ind_decimals(indicator))
    labels = [str(region_names.get(c, c)) for c in codes]
    if places:
        labels = [f"{_place(places[c])}  {label}" for c, label in zip(codes, labels)]
    target = attr(indicator, "target")
    target = None if is_missing(target) else float(target)
    background = cache.key(
        "ranked",
        name,
        year,
        direction,
        str(attr(indicator, "unit", "")),
        ind_decimals(indicator),
        target,
        attr(indicator, "target_text"),
        riket_value,
        list(zip(codes, labels, values.tolist())),
        width_cm,
        height_cm,
        bool(places),
    )

    def build() -> SimpleNamespace:
        return _ranked_background(
            indicator, year, values, labels, riket_value, target, width_cm, height_cm, places
        )

    plain = cache.remember(cache.SKELETONS, background, build) if shared else build()
    fig, ax, vmin, dots = plain.fig, plain.ax, plain.vmin, plain.dots

    # The focus region's bar or dot, name and value are drawn over its plain row ("twins",
    # left out of a full drawing): the plain chart is the same for all 21 regions.
    foreground: list[Any] = []
    twins: list[Any] = []
    focus = codes.index(region_code) if region_code in codes else None
    if focus is not None:
        value = float(values.iloc[focus])
        twins += [plain.bars[focus], plain.names[focus], plain.values[focus]]
        bar = plain.bars[focus]
        if dots:
            foreground += ax.plot(
                [value],
                [focus],
                linestyle="none",
                marker="D",
                markersize=_DOT_SIZE[narrow] + 1.5,
                color=BLUE,
                markeredgecolor="white",
                markeredgewidth=0.6,
                zorder=7,
            )  # on top: it may overlap a neighbour's dot
        else:
            foreground.append(
                ax.add_patch(
                    matplotlib.patches.Rectangle(
                        bar.get_xy(),
                        bar.get_width(),
                        bar.get_height(),
                        facecolor=BLUE,
                        edgecolor="white",
                        linewidth=0.6,
                        zorder=2,
                        hatch="////",
                    )
                )
            )
        label = plain.names[focus]
        foreground.append(bold_copy(ax, label, color=BLUE, zorder=7, pad=0.6))
        foreground.append(bold_copy(ax, plain.values[focus], color=BLUE, zorder=7, pad=0.4))
        for artist, twin in zip(foreground, twins):  # its place in the layered SVG
            artist.set_gid(twin.get_gid())

    if peers:
        more, covered = peer_marks.mark_peers(ax, plain, codes, peers, region_code, dots)
        foreground += more
        twins += covered
    if region_code is not None and region_code not in codes:  # None: the national report
        foreground.append(
            ax.text(
                0.99,
                0.02,
                chart_text.value_missing_label(focus_name, year),
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=8,
                fontweight="bold",
                color=BLUE,
                zorder=7,
            )
        )
    if shared:  # they join the shared background only while this chart is drawn
        for artist in foreground:
            artist.remove()
    mine = places.get(region_code) if places else None
    alt, caption = chart_text.ranked_texts(
        name=name,
        year=year,
        n=n,
        judged=direction in ("higher", "lower"),
        dots=dots,
        focus=None if region_code is None else focus_name,
        focus_value=fmt(indicator, values[region_code]) if region_code in codes else None,
        place=None
        if mine is None
        else (_place(mine), mine.n_ranked, mine.n_tied if mine.shared else 0),
        riket=None if math.isnan(riket_value) else fmt(indicator, riket_value),
        top=(region_names.get(codes[0], codes[0]), fmt(indicator, values[codes[0]])) if n else None,
        bottom=(region_names.get(codes[-1], codes[-1]), fmt(indicator, values[codes[-1]]))
        if n
        else None,
        absent=[str(nm) for c, nm in region_names.items() if c != riket_code and c not in codes],
        target=None if target is None else attr(indicator, "target_text") or fmt(indicator, target),
        axis_start=None if plain.zero_note is None else fmt_number(vmin, decimals_for([vmin])),
    )
    if peers:
        alt += peer_words.peer_alt(peers, codes, dict(region_names), places, peer_label)
        caption += peer_words.peer_caption(peers, codes, peer_label)
    stem = f"rank-{ind_id(indicator)}-{region_code}-{year}"
    return Chart(
        fig=fig,
        alt=alt,
        name=stem,
        caption=caption,
        foreground=foreground,
        twins=twins,
        background_key=background,
        layered_svg=True,
        shared=shared,
    )


def _ranked_background(
    indicator: Any,
    year: int,
    values: pd.Series,
    labels: list[str],
    riket_value: float,
    target: float | None,
    width_cm: float,
    height_cm: float,
    places: Mapping[str, Any],
) -> SimpleNamespace:
    """A ranked chart with every row plain: what is the same for every region, with the
    rows' bars, names and values for the focus region's chart to draw over."""
    name = str(attr(indicator, "name", ""))
    n = len(values)
    narrow = width_cm < NARROW
    if narrow:  # inside the caller's rc_context: restored afterwards
        matplotlib.rcParams["ytick.labelsize"] = 6.5
        matplotlib.rcParams["xtick.labelsize"] = 7
        matplotlib.rcParams["axes.labelsize"] = 7
    fig = new_figure(height_cm, width_cm, constrained=False)
    ax = fig.add_subplot()
    positions = np.arange(n)
    candidates = [0.0, *values.tolist()]
    if not math.isnan(riket_value):
        candidates.append(riket_value)
    if target is not None:
        candidates.append(target)
    dots = ranked_dots(candidates[1:])
    vmax = max(candidates) if candidates else 1.0
    # bars from zero (or from below it); dots from a round number under the values
    vmin = min(axis_start(candidates[1:]) if dots else 0.0, *candidates[1:]) if n else 0.0
    width = (vmax - vmin) or 1.0
    gap = 0.08 if dots else 0.05  # between the values' column and the last bar or dot
    right = vmax + ((0.22 if narrow else 0.16) + gap - 0.02) * width
    # Dots lie above Riket's and the target's lines (zorder 3 and 4); the focus dot, larger,
    # lies above them all, in a whole drawing as in the layered SVG.
    if dots:  # a faint guide along each row leads the eye from the name to its dot
        ax.hlines(positions, vmin, vmax, colors="#E5E5E5", linewidth=0.6, zorder=1)
        bars = [
            ax.plot(
                [value],
                [pos],
                linestyle="none",
                marker="o",
                markersize=_DOT_SIZE[narrow],
                color=DOT_GREY,
                zorder=4.5,
            )[0]
            for pos, value in zip(positions, values)
        ]
    else:
        bars = list(
            ax.barh(
                positions,
                values.to_numpy(),
                color=BAR_GREY,
                height=0.72,
                edgecolor="white",
                linewidth=0.6,
                zorder=2,
            )
        )
    names = row_labels(ax, positions, labels, [False] * n)
    ax.invert_yaxis()
    ax.spines["left"].set_visible(False)
    ax.set_xlim(vmin, right)
    note = zero_note(fig, ax, vmin)
    ax.set_ylim(max(n, 1) - 0.35, -1.85)  # until labels_over_rows has measured the labels
    # the values in a column right of every bar, dot and line: Riket's and the target's
    # lines ran through the labels of the rows ending near them (R p.14: "17 %")
    column = vmax + gap * width
    texts = [
        ax.text(
            column,
            pos,
            fmt_short(indicator, value),
            va="center",
            ha="left",
            fontsize=6.5 if narrow else 7.5,
            color=TEXT,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4},
        )
        for pos, value in zip(positions, values)
    ]
    for row, artists in enumerate(zip(bars, names, texts)):  # named in the SVG: see twins
        for part, artist in zip(("stapel", "namn", "varde"), artists):
            artist.set_gid(f"rad{row}-{part}")

    line_labels = []  # over the first row, placed by labels_over_rows
    if not math.isnan(riket_value):
        ax.axvline(riket_value, color=VERMILLION, linestyle="--", linewidth=1.4, zorder=3)
        line_labels.append(
            ax.text(
                riket_value,
                -1.25,  # placed by labels_over_rows
                f"Riket {fmt_short(indicator, riket_value)}",
                color=VERMILLION,
                ha="center",
                va="center",
                fontsize=7.5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                zorder=6,
            )
        )
    if target is not None:
        target_text = attr(indicator, "target_text") or fmt_value(
            target, str(attr(indicator, "unit", "")), ind_decimals(indicator), short=True
        )
        ax.axvline(target, color=GREEN, linestyle=":", linewidth=1.8, zorder=4)
        line_labels.append(
            ax.text(
                target,
                -1.25,
                f"Mål: {target_text}",
                color=GREEN,
                ha="center",
                va="center",
                fontsize=7.5,
                fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                zorder=6,
            )
        )
    ax.xaxis.set_major_formatter(SwedishFormatter())
    if vmax >= 1000:  # "30 000" is wider than matplotlib's tick spacing assumes: fewer ticks
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if narrow else 6, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(unit_label(str(attr(indicator, "unit", ""))))
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    title(ax, f"{name} {year}", 34 if narrow else 62, size=8 if narrow else None)
    margins = dict(
        left=(3.6 if places else 2.6) if narrow else (4.3 if places else 3.3),
        right=0.25,
        bottom=1.1 if narrow else 1.25,
        top=0.65 if narrow else 0.75,
    )
    fig = fixed_margins(fig, **margins, row_names=names, row_values=texts)
    labels_over_rows(
        ax,
        line_labels,
        first_row=[*names[:1], *texts[:1]],
        last_row=[*names[-1:], *texts[-1:]],
        last=max(n - 1, 0),
    )
    ticks_inside(ax)
    return SimpleNamespace(
        fig=fig, ax=ax, bars=bars, names=names, values=texts, vmin=vmin, zero_note=note, dots=dots
    )


DOT_GREY = "#767676"  # 4,5:1 against white: a dot is seen without its colour
_DOT_SIZE = {False: 5.5, True: 4.5}  # points, by narrow
