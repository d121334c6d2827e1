"""Every chart in the reports, with Swedish alt text; PNG/SVG files and HTML figures.

Figures are built on `matplotlib.figure.Figure` with the Agg canvas, never through pyplot:
nothing is registered globally, so a batch run of many reports does not accumulate open
figures, and no GUI backend is ever touched. Colour is never the only cue: the focus
region has markers, bold lines, hatching and direct labels; heat and tile maps print ▲/▼/≈.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import textwrap
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

import matplotlib
import matplotlib.cm
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, TwoSlopeNorm, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator
from PIL import Image

from naravard.analysis import judgements as J
from naravard.config.regions import slugify
from naravard.wording.text import (DASH, fmt_number, fmt_value, is_missing,
                           unit_label)

RIKET_CODE = "0000"

# Okabe–Ito, the colour-blind-safe palette.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#E69F00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
CONTEXT_GREY = "#C8C8C8"
BAR_GREY = "#B8B8B8"
MISSING_GREY = "#E6E6E6"
TEXT = "#222222"

CM = 1 / 2.54
# Sharp at the 16 cm print width (about 820 px) while keeping a report's ~40 charts quick to
# draw, encode and lay out in the PDF.
DPI = 130
WIDTH = 16 * CM  # fits A4 with 2.5 cm margins

_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    # A fixed title position: matplotlib's automatic one measures every tick label on each
    # draw, which cost more than a third of a chart's drawing time.
    "axes.titley": 1.0,
    "axes.labelsize": 8.5,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.prop_cycle": matplotlib.cycler(
        color=[BLUE, VERMILLION, GREEN, ORANGE, SKY, PURPLE, "#000000"]),
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "naravard",
    "svg.fonttype": "none",  # text stays text: editable in slides, and faster
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "axes.unicode_minus": True,
}


class IndicatorLike(Protocol):
    name: str
    unit: str
    direction: str
    decimals: int
    primary_source: str


@dataclass
class Chart:
    fig: Figure
    alt: str  # Swedish, states the key numbers
    name: str  # file stem
    caption: str
    # Artists that differ between regions, and a key naming everything else: charts whose
    # backgrounds are equal share one drawing of it (see `_render_layered`).
    foreground: list[Any] = field(default_factory=list)
    background_key: str | None = None
    # Background artists that a foreground artist covers: drawn in the shared background,
    # left out when the chart is drawn whole (so an SVG holds each label once).
    twins: list[Any] = field(default_factory=list)
    # Whether the SVG can reuse the background's markup too: the foreground lies above
    # everything else (trend charts), or a foreground artist takes its twin's place in the
    # markup, found by the gid they share (ranked charts). Otherwise the SVG is drawn whole.
    layered_svg: bool = False
    # A shared chart's `fig` is the background that every region's chart of the same
    # indicator draws on (see `_SKELETONS`); its foreground artists join it only while the
    # chart is drawn. Such a Chart is for files and reports, not for an analyst's `fig`.
    shared: bool = False


# --------------------------------------------------------------------------- helpers


def _figure(height_cm: float, width_cm: float = WIDTH / CM, *, constrained: bool = True) -> Figure:
    fig = Figure(figsize=(width_cm * CM, height_cm * CM),
                 layout="constrained" if constrained else None)
    FigureCanvasAgg(fig)
    if constrained:
        fig.get_layout_engine().set(w_pad=0.06, h_pad=0.06)
    return fig


class SwedishFormatter(Formatter):
    """Tick labels with decimal comma, no-break thousands space and U+2212 minus.

    The number of decimals is chosen once per axis from the tick step, so every label on an
    axis has the same number of decimals ("0,5  1,0  1,5", not "0,5  1  1,5").
    """

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        self.decimals = _decimals_for(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt_number(x, self.decimals) + self.suffix


def _decimals_for(locs: Sequence[float]) -> int:
    values = [float(v) for v in locs if not is_missing(v)]
    for decimals in range(0, 4):
        if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6 for v in values):
            return decimals
    return 3


def _year_axis(axis: Any, years: Sequence[int] = (), max_ticks: int = 10) -> None:
    """Whole years only, and only the years the data covers (not the label margin)."""
    if years:
        lo, hi = int(min(years)), int(max(years))
        step = max(1, math.ceil((hi - lo + 1) / max_ticks))
        axis.set_major_locator(FixedLocator(list(range(hi, lo - 1, -step))[::-1]))
    else:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{int(round(x))}"))


def _finish(fig: Figure) -> Figure:
    """Run the constrained layout once and freeze it.

    Saving a figure with a layout engine draws it twice (a dry run for the layout, then the
    real one) for every file; freezing makes each PNG/SVG a single draw.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def _fixed_margins(fig: Figure, *, left: float, right: float, bottom: float,
                   top: float = 0.75, row_names: Sequence[Any] = (),
                   row_values: Sequence[Any] = (), line_labels: Sequence[Any] = ()) -> Figure:
    """Place the axes with margins in cm, measured once from the constrained layout.

    The per-chart charts of a region report (about 40 of them) are the hot path of a batch
    run; the constrained layout's text measuring cost more than drawing the chart itself.
    The left margin widens where the value axis's label and numbers or a row name would
    start outside the figure, the right one where a row's value (in bold, for the region's
    own row) would end outside it; titles are wrapped to end inside it, and extra title
    lines widen the top margin. A label centred over a line (`line_labels`) near an edge
    ends, or starts, at its line instead.
    """
    width, height = (v / CM for v in fig.get_size_inches())
    fig.subplots_adjust(left=left / width, right=1 - right / width,
                        bottom=bottom / height, top=1 - top / height)
    # measured as drawn: the tick spacing reads the rc's label size, and text is relatively
    # wider at the PNG's resolution than at the figure's own
    with matplotlib.rc_context(_RC), _at_dpi(fig, DPI):
        _fit_margins(fig, height, top, row_names, row_values)
        _keep_inside(fig, line_labels)
    return fig


_BOLD_WIDER = 1.12  # bold text is about a tenth wider than the plain text it covers
_EDGE_ROOM_PX = 3  # at 100 dpi: what texts keep free of the figure's edges


def _edge_room(fig: Figure) -> float:
    """`_EDGE_ROOM_PX` in the figure's pixels at its current dpi."""
    return _EDGE_ROOM_PX * fig.dpi / 100


def _keep_inside(fig: Figure, labels: Sequence[Any]) -> None:
    renderer = fig.canvas.get_renderer()
    for label in labels:
        box = label.get_window_extent(renderer)
        if box.x1 > fig.bbox.width - _edge_room(fig):
            label.set_ha("right")
        elif box.x0 < _edge_room(fig):
            label.set_ha("left")


def _fit_margins(fig: Figure, height: float, top: float, row_names: Sequence[Any],
                 row_values: Sequence[Any]) -> None:
    renderer = fig.canvas.get_renderer()
    room = _edge_room(fig)
    for _ in range(3):  # a wider margin may wrap a title, whose lines change the ticks
        _fit_titles(fig)
        lines = max((ax.get_title(loc="left").count("\n") for ax in fig.axes), default=0)
        fig.subplots_adjust(top=1 - (top + 0.44 * lines) / height)
        starts = [box.x1 - _BOLD_WIDER * box.width  # right-aligned; the region's is bold
                  for box in (name.get_window_extent(renderer) for name in row_names)]
        starts += [ax.yaxis.get_tightbbox(renderer).x0 for ax in fig.axes
                   if ax.yaxis.get_label().get_text()]
        ends = [box.x0 + _BOLD_WIDER * box.width
                for box in (value.get_window_extent(renderer) for value in row_values)]
        short = room - min(starts, default=math.inf)
        over = max(ends, default=-math.inf) - (fig.bbox.width - room)
        if short < 0.5 and over < 0.5:
            break
        pars = fig.subplotpars
        fig.subplots_adjust(left=pars.left + max(short, 0) / fig.bbox.width,
                            right=pars.right - max(over, 0) / fig.bbox.width)


TITLE_GID = "titel"


def _balanced(words: str, chars: int) -> str:
    """`words` wrapped at `chars` or fewer characters a line, as evenly as the same number of
    lines allows: no year or short word left alone on the last line."""
    lines = len(textwrap.wrap(words, chars))
    while chars > 12 and len(textwrap.wrap(words, chars - 1)) == lines:
        chars -= 1
    return "\n".join(textwrap.wrap(words, chars))


def _fit_titles(fig: Figure) -> None:
    """Wrap each title more narrowly until it ends inside the figure.

    A title starts at the axes' left edge, right of the row names, and may reach the
    figure's right edge; wrapped by a count of characters, a long name in a narrow chart ran
    past that edge and was cut off ("Medicinsk bedömning i primärv").
    """
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        room = fig.bbox.width * (1 - ax.get_position().x0) - _edge_room(fig)
        for title in [t for t in ax.get_children() if t.get_gid() == TITLE_GID]:
            words = " ".join(title.get_text().split())
            chars = max(len(line) for line in title.get_text().split("\n"))
            while chars > 12 and title.get_window_extent(renderer).width > room:
                chars -= 2
                title.set_text("\n".join(textwrap.wrap(words, chars)))
            title.set_text(_balanced(words, chars))


def _row_labels(ax: Any, positions: Sequence[float], labels: Sequence[str],
                bold: Sequence[bool]) -> list[Any]:
    """Row names drawn where zero-length y ticks would put their labels, as plain text.

    A matplotlib tick is five artists and is measured on every draw; the 21 rows of a
    ranked chart made ticks the largest part of its drawing time. Bold rows are blue.
    """
    ax.set_yticks([])
    _no_axis_label(ax.yaxis)
    transform, va, ha = ax.get_yaxis_text1_transform(matplotlib.rcParams["ytick.major.pad"])
    size = matplotlib.rcParams["ytick.labelsize"]
    return [ax.text(0, pos, label, transform=transform, va=va, ha=ha, fontsize=size,
                    color=BLUE if strong else matplotlib.rcParams["ytick.color"],
                    fontweight="bold" if strong else "normal")
            for pos, label, strong in zip(positions, labels, bold)]


def _no_axis_label(axis: Any) -> None:
    """An axis without a label: a fixed label position spares measuring the tick labels
    again on every draw just to place an empty label."""
    axis.set_label_coords(0.5, 0.5)


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    value = getattr(obj, name, default)
    return default if value is None else value


def _ind_decimals(indicator: Any) -> int:
    value = _attr(indicator, "decimals", 1)
    return 1 if is_missing(value) else int(value)


def _ind_id(indicator: Any) -> str:
    return slugify(str(_attr(indicator, "id", "") or _attr(indicator, "name", "indikator")))


def _fmt(indicator: Any, x: Any) -> str:
    return fmt_value(x, str(_attr(indicator, "unit", "")), _ind_decimals(indicator))


def _fmt_short(indicator: Any, x: Any) -> str:
    return fmt_value(x, str(_attr(indicator, "unit", "")), _ind_decimals(indicator), short=True)


def _title(ax: Any, text: str, width: int = 62, size: float | None = None) -> None:
    """The chart's title, left-aligned; `_fixed_margins` wraps it more narrowly if needed."""
    title = ax.set_title("\n".join(textwrap.wrap(text, width)) or text, loc="left", pad=8,
                         **({"fontsize": size} if size else {}))
    title.set_gid(TITLE_GID)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Total-gender rows with a numeric value, year as int and region_code as str."""
    data = frame.copy()
    if "gender" in data.columns:
        data = data[data["gender"].astype(str) == "T"]
    data = data.assign(
        region_code=data["region_code"].astype(str),
        year=pd.to_numeric(data["year"], errors="coerce"),
        value=pd.to_numeric(data["value"], errors="coerce"),
    )
    data = data.dropna(subset=["year", "value"])
    return data.assign(year=data["year"].astype(int))


def _breaks(breaks: Iterable[Any] | None) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for b in breaks or ():
        if isinstance(b, tuple):
            year, reason = b[0], b[1] if len(b) > 1 else ""
        else:
            year, reason = b.year, getattr(b, "reason", "")
        out.append((int(year), str(reason or "")))
    return out


def _spread(positions: dict[str, float], gap: float) -> dict[str, float]:
    """Push label positions (axes fraction) apart so direct labels never overlap."""
    items = sorted(positions.items(), key=lambda kv: kv[1])
    for i in range(1, len(items)):
        if items[i][1] - items[i - 1][1] < gap:
            items[i] = (items[i][0], items[i - 1][1] + gap)
    overflow = items[-1][1] - 0.98 if items else 0
    if overflow > 0:
        items = [(k, v - overflow) for k, v in items]
    return dict(items)


# --------------------------------------------------------------------------- trend


def trend_chart(frame: pd.DataFrame, indicator: IndicatorLike, region_code: str,
                region_name: str, *, riket_code: str = RIKET_CODE,
                years: Iterable[int] | None = None,
                breaks: Iterable[Any] | None = None,
                size: tuple[float, float] | None = None, shared: bool = False) -> Chart:
    """The region over time against Riket, with every other region faint for context.

    `size` is (width, height) in cm; the default is the full text width. A target in the
    indicator (`target`, `target_text`) is drawn as a green dotted line. `shared`: build on
    the background an earlier region's chart of the same indicator built (a report kernel's
    charts, see `Chart.shared`); the drawing is the same.
    """
    with matplotlib.rc_context(_RC):
        return _trend_chart(frame, indicator, region_code, region_name, riket_code,
                            years, breaks, size, shared)


NARROW = 10.0  # cm: charts narrower than this get smaller text and tighter margins
ZERO_NOTE = "Axeln börjar inte vid noll."


def _zero_note(fig: Figure, ax: Any, low: float) -> Any | None:
    """A visible note under the plot when a value axis does not start at zero."""
    if low <= 0:
        return None
    # an axes child placed in figure coordinates: the layered drawing only knows axes artists
    return ax.text(0.01, 0.01, ZERO_NOTE, fontsize=6.5, color="#444444", ha="left",
                   va="bottom", transform=fig.transFigure)


def _trend_chart(frame, indicator, region_code, region_name, riket_code, years, breaks,
                 size=None, shared=False):
    name = str(_attr(indicator, "name", ""))
    unit = str(_attr(indicator, "unit", ""))
    data = _clean(frame)
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
    target = _attr(indicator, "target")
    target = None if is_missing(target) else float(target)
    # only breaks inside the drawn years: a break before the first year has nothing to split
    found_breaks = [(y, r) for y, r in _breaks(breaks)
                    if all_years and all_years[0] < y <= all_years[-1]]
    background = _key("trend", name, unit, _frame_digest(data), found_breaks, target,
                      _attr(indicator, "target_text"), _ind_decimals(indicator),
                      width_cm, height_cm)

    def build() -> tuple[Any, Any]:
        return _trend_background(data, indicator, riket_code, all_years, found_breaks, target,
                                 width_cm, height_cm)

    fig, ax = _remember(_SKELETONS, background, build) if shared else build()

    foreground: list[Any] = []
    if len(region):
        foreground += ax.plot(region["year"], region["value"], color=BLUE, linewidth=2.6,
                              marker="o", markersize=6, zorder=4)
    # Direct labels at the last point of each highlighted line, kept apart.
    y0, y1 = ax.get_ylim()
    # a label too long for the room right of its line's end takes two lines ("Jämtland
    # Härjedalen" / "14 125,4"), and keeps further apart from the other label
    font_size = 6.5 if narrow else label_size
    # both labels start right of the later line's end: Riket's label for an older year
    # ("Riket 1,9 (2023)") sat under the region's newest marker
    label_x = max([float(line["year"].iloc[-1]) for line in (region, riket) if len(line)],
                  default=0.0)
    labels: dict[str, tuple[float, float, str, str, str]] = {}
    if len(region):
        last = region.iloc[-1]
        labels["region"] = (label_x, last["value"],
                            _fit_label(ax, label_x, region_name,
                                       _fmt_short(indicator, last["value"]), font_size, "bold"),
                            BLUE, "bold")
    if len(riket):
        last = riket.iloc[-1]
        # the label names its year when Riket's last value is older than the region's, so
        # the chart never shows a Riket figure that the table shows as missing
        when = "" if not len(region) or int(last["year"]) == int(region.iloc[-1]["year"]) \
            else f" ({int(last['year'])})"
        labels["riket"] = (label_x, last["value"],
                           _fit_label(ax, label_x, "Riket",
                                      f"{_fmt_short(indicator, last['value'])}{when}",
                                      font_size, "normal"), VERMILLION, "normal")
    lines = max((label[2].count("\n") + 1 for label in labels.values()), default=1)
    spread = _spread({k: (v[1] - y0) / (y1 - y0) for k, v in labels.items()},
                     gap=(0.1 if narrow else 0.075) * (1 + 0.5 * (lines - 1)))
    for key, (x, _y, text, colour, weight) in labels.items():
        foreground.append(
            ax.annotate(text, xy=(x, y0 + spread[key] * (y1 - y0)), xytext=(5, 0),
                        textcoords="offset points", ha="left", va="center", color=colour,
                        fontweight=weight, fontsize=font_size, annotation_clip=False,
                        zorder=5))
    if shared:  # they join the shared background only while this chart is drawn
        for artist in foreground:
            artist.remove()

    # Alt text and caption.
    period = f"{all_years[0]}–{all_years[-1]}" if len(all_years) > 1 else (
        str(all_years[0]) if all_years else "")
    parts = [f"Linjediagram: {name} i {region_name} {period}".rstrip()]
    if len(region) >= 2:
        first, last = region.iloc[0], region.iloc[-1]
        parts[0] += (f", från {_fmt(indicator, first['value'])} ({int(first['year'])}) "
                     f"till {_fmt(indicator, last['value'])} ({int(last['year'])})")
    elif len(region) == 1:
        last = region.iloc[-1]
        parts[0] += f", {_fmt(indicator, last['value'])}"
        if len(all_years) > 1:
            parts[0] += f" ({int(last['year'])})"
    else:
        parts[0] += f"; {region_name} saknar värden"
    if len(riket):
        last = riket.iloc[-1]
        parts.append(f"riket {_fmt(indicator, last['value'])} {int(last['year'])}")
    alt = "; ".join(parts) + "."
    n_context = others["region_code"].nunique()
    if n_context:
        alt += f" Övriga {n_context} regioner visas som tunna grå linjer."
    if found_breaks:
        alt += " Tidsseriebrott " + ", ".join(
            f"{y}" + (f" ({r})" if r else "") for y, r in found_breaks) + "."
    caption = f"{name}: {region_name} (blå, heldragen) och riket (streckad) {period}".rstrip()
    caption += ", övriga regioner i grått." if n_context else "."
    stem = f"trend-{_ind_id(indicator)}-{region_code}"
    if target is not None:
        alt += f" Målet, {_attr(indicator, 'target_text') or _fmt(indicator, target)}, " \
               "visas som en grön prickad linje."
        caption += " Grön prickad linje: målet."
    return Chart(fig=fig, alt=alt, name=stem, caption=caption, foreground=foreground,
                 background_key=background, layered_svg=True, shared=shared)


def _trend_background(data: pd.DataFrame, indicator: Any, riket_code: str,
                      all_years: list[int], found_breaks: list[tuple[int, str]],
                      target: float | None, width_cm: float, height_cm: float) -> tuple[Any, Any]:
    """A trend chart without its region: what is the same for every region (figure, axes)."""
    name = str(_attr(indicator, "name", ""))
    unit = str(_attr(indicator, "unit", ""))
    narrow = width_cm < NARROW
    label_size = 7.0 if narrow else 8.5
    if narrow:  # inside the caller's rc_context: restored afterwards
        matplotlib.rcParams["xtick.labelsize"] = 7
        matplotlib.rcParams["ytick.labelsize"] = 7
    riket = data[data["region_code"] == riket_code].sort_values("year")
    # Every region is drawn faint, the focus region too (hidden under its own bold line):
    # the background is then the same for all 21 regions and is drawn once per batch worker.
    context = data[data["region_code"] != riket_code]
    fig = _figure(height_cm, width_cm, constrained=False)
    ax = fig.add_subplot()
    # one collection, not 21 lines: a fraction of the time to build and to draw
    context = context.sort_values(["region_code", "year"], kind="mergesort")
    traces = [np.column_stack([g["year"].to_numpy(float), g["value"].to_numpy(float)])
              for _code, g in context.groupby("region_code", sort=True)]
    if traces:
        ax.add_collection(LineCollection(traces, colors=CONTEXT_GREY, linewidths=0.8,
                                         zorder=1, label="_övriga regioner"), autolim=True)
        ax.autoscale_view()
    if len(riket):
        ax.plot(riket["year"], riket["value"], color=VERMILLION, linestyle="--", linewidth=1.8,
                marker="s", markersize=4.5, zorder=3)

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
    _year_axis(ax.xaxis, all_years, 5 if narrow else 10)
    _no_axis_label(ax.xaxis)
    ax.yaxis.set_major_formatter(SwedishFormatter())
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    _title(ax, name, 40 if narrow else 62, size=label_size + 1 if narrow else None)
    y0, _y1 = ax.get_ylim()
    if target is not None:
        target_text = _attr(indicator, "target_text") or fmt_value(
            target, unit, _ind_decimals(indicator), short=True)
        ax.text(ax.get_xlim()[0], target, f" Mål: {target_text}", color=GREEN, fontsize=6.5,
                fontweight="bold", ha="left", va="bottom", zorder=2)
    _zero_note(fig, ax, y0)
    for year, reason in found_breaks:
        ax.axvline(year - 0.5, color="#555555", linestyle=":", linewidth=1.2, zorder=2)
        # the reason is printed under the chart; a short label keeps inside the plot area
        ax.text(year - 0.55, 0.99, f"Brott {year}" if narrow else f"Tidsseriebrott {year}",
                transform=ax.get_xaxis_transform(),
                fontsize=6.5 if narrow else 7, va="top", ha="right", color="#444444",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})
    # room on the left for the unit label's lines and the widest tick label ("5 000")
    wide_ticks = len(data) and float(data["value"].abs().max()) >= 1000
    left = 1.15 + 0.3 * ylabel.count("\n") + (0.3 if wide_ticks else 0.0)
    margins = dict(left=left, right=2.45, bottom=1.0, top=0.65) if narrow else \
        dict(left=2.7, right=2.1, bottom=0.7)
    return _fixed_margins(fig, **margins), ax


def _fit_label(ax: Any, x: float, name: str, value: str, size: float, weight: str) -> str:
    """A line's end label 5 points right of `x`: "name value", or name and value on two
    lines when one line would run past the figure's right edge."""
    fig = ax.figure
    text = f"{name} {value}"
    with _at_dpi(fig, DPI):  # as in the PNG: text is relatively wider there
        width, _h, _d = fig.canvas.get_renderer().get_text_width_height_descent(
            text, FontProperties(size=size, weight=weight), ismath=False)
        start = ax.transData.transform((x, 0))[0] + 5 * fig.dpi / 72
        fits = start + width <= fig.bbox.width - _edge_room(fig)
    return text if fits else f"{name}\n{value}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --------------------------------------------------------------------------- ranked bars


def _place(rank: Any) -> str:
    """"5" or "1–6" for a shared place."""
    return f"{rank.rank}\u2013{rank.rank_to}" if rank.shared else str(rank.rank)


def _sort_best_first(values: pd.Series, direction: str) -> pd.Series:
    ascending = direction == "lower"
    return values.sort_values(ascending=ascending, kind="mergesort")


def ranked_chart(frame: pd.DataFrame, indicator: IndicatorLike, region_code: str, year: int,
                 region_names: Mapping[str, str], *, riket_code: str = RIKET_CODE,
                 size: tuple[float, float] | None = None, shared: bool = False,
                 peers: Sequence[str] = (), peer_label: str = "") -> Chart:
    """All regions in one year, best first, with the focus region and Riket marked: bars
    from zero, or dots where the values lie close together (`ranked_dots`).

    `size` is (width, height) in cm; the default is the full text width and a height that
    grows with the number of regions. `shared`: as for `trend_chart`. `peers` (region codes)
    are marked without colour and named `peer_label` in the caption (charts.peer_marks).
    """
    with matplotlib.rc_context(_RC):
        return _ranked_chart(frame, indicator, region_code, int(year), region_names, riket_code,
                             size, shared, tuple(peers), peer_label)


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


def _ranked_chart(frame, indicator, region_code, year, region_names, riket_code, size=None,
                  shared=False, peers=(), peer_label=""):
    name = str(_attr(indicator, "name", ""))
    direction = str(_attr(indicator, "direction", "neutral"))
    data = _clean(frame)
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
    places = J.ranks(values.to_dict(), direction, _ind_decimals(indicator))
    labels = [str(region_names.get(c, c)) for c in codes]
    if places:
        labels = [f"{_place(places[c])}  {label}" for c, label in zip(codes, labels)]
    target = _attr(indicator, "target")
    target = None if is_missing(target) else float(target)
    background = _key("ranked", name, year, direction, str(_attr(indicator, "unit", "")),
                      _ind_decimals(indicator), target, _attr(indicator, "target_text"),
                      riket_value, list(zip(codes, labels, values.tolist())),
                      width_cm, height_cm, bool(places))

    def build() -> SimpleNamespace:
        return _ranked_background(indicator, year, values, labels, riket_value, target,
                                  width_cm, height_cm, places)

    plain = _remember(_SKELETONS, background, build) if shared else build()
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
            foreground += ax.plot([value], [focus], linestyle="none", marker="D",
                                  markersize=_DOT_SIZE[narrow] + 1.5, color=BLUE,
                                  markeredgecolor="white", markeredgewidth=0.6,
                                  zorder=7)  # on top: it may overlap a neighbour's dot
        else:
            foreground.append(ax.add_patch(matplotlib.patches.Rectangle(
                bar.get_xy(), bar.get_width(), bar.get_height(), facecolor=BLUE,
                edgecolor="white", linewidth=0.6, zorder=2, hatch="////")))
        label = plain.names[focus]
        foreground.append(ax.text(*label.get_position(), label.get_text(),
                                  transform=label.get_transform(), va=label.get_va(),
                                  ha=label.get_ha(), fontsize=label.get_fontsize(), color=BLUE,
                                  fontweight="bold", zorder=7,
                                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6}))
        foreground.append(ax.text(*plain.values[focus].get_position(),
                                  _fmt_short(indicator, value),
                                  va="center", ha="left", fontsize=6.5 if narrow else 7.5,
                                  fontweight="bold", color=BLUE, zorder=7,
                                  bbox={"facecolor": "white", "edgecolor": "none",
                                        "pad": 0.4}))
        for artist, twin in zip(foreground, twins):  # its place in the layered SVG
            artist.set_gid(twin.get_gid())

    if peers:
        from naravard.charts import peer_marks

        more, covered = peer_marks.mark_peers(ax, plain, codes, peers, region_code, dots)
        foreground += more
        twins += covered
    order = "från bäst till sämst" if direction in ("higher", "lower") else "från högst till lägst"
    kind = "Punktdiagram" if dots else "Stapeldiagram"
    alt = f"{kind}: {name} {year} för {n} regioner, sorterade {order}"
    if region_code in codes:
        focus_value = _fmt(indicator, values[region_code])
        if places:
            mine = places[region_code]
            shared_place = (f" (delad med {mine.n_tied} {'annan' if mine.n_tied == 1 else 'andra'})"
                            if mine.shared else "")
            alt += (f". {focus_name} ligger på plats {_place(mine)} av {mine.n_ranked}"
                    f"{shared_place} med {focus_value}")
        else:
            alt += f". {focus_name} har {focus_value}"
    elif region_code is not None:  # None: the national report, no region in focus
        alt += f". {focus_name} saknar värde {year}"
        foreground.append(ax.text(0.99, 0.02, f"{focus_name}: värde saknas {year}",
                                  transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
                                  fontweight="bold", color=BLUE, zorder=7))
    if shared:  # they join the shared background only while this chart is drawn
        for artist in foreground:
            artist.remove()
    alt += f"; riket {_fmt(indicator, riket_value)}." if not math.isnan(riket_value) else "."
    if n:
        first, last = codes[0], codes[-1]
        alt += (f" Överst {region_names.get(first, first)} {_fmt(indicator, values[first])},"
                f" nederst {region_names.get(last, last)} {_fmt(indicator, values[last])}.")
    absent = [str(nm) for c, nm in region_names.items() if c != riket_code and c not in codes]
    if absent and n:
        alt += " Värde saknas för " + ", ".join(absent) + "."
    if peers:
        alt += peer_marks.peer_alt(peers, codes, dict(region_names), places, peer_label)
    if target is not None:
        alt += f" Målet är {_attr(indicator, 'target_text') or _fmt(indicator, target)}."
    caption = f"{name} {year}, alla regioner sorterade {order}"
    if region_code is not None:
        caption += (f". {focus_name} är markerad med blå romb" if dots
                    else f". {focus_name} är markerad med blå, randig stapel")
    # the line is named only where it is drawn: Riket may lack a value for the year
    caption += "." if math.isnan(riket_value) else "; riket med streckad linje."
    if peers:
        caption += peer_marks.peer_caption(peers, codes, peer_label)
    if dots:
        caption += " Punkter i stället för staplar, eftersom värdena ligger nära varandra."
    stem = f"rank-{_ind_id(indicator)}-{region_code}-{year}"
    if plain.zero_note is not None:
        alt += f" Axeln börjar vid {fmt_number(vmin, _decimals_for([vmin]))}, inte vid noll."
    return Chart(fig=fig, alt=alt, name=stem, caption=caption, foreground=foreground,
                 twins=twins, background_key=background, layered_svg=True, shared=shared)


def _ranked_background(indicator: Any, year: int, values: pd.Series, labels: list[str],
                       riket_value: float, target: float | None, width_cm: float,
                       height_cm: float, places: Mapping[str, Any]) -> SimpleNamespace:
    """A ranked chart with every row plain: what is the same for every region, with the
    rows' bars, names and values for the focus region's chart to draw over."""
    name = str(_attr(indicator, "name", ""))
    n = len(values)
    narrow = width_cm < NARROW
    if narrow:  # inside the caller's rc_context: restored afterwards
        matplotlib.rcParams["ytick.labelsize"] = 6.5
        matplotlib.rcParams["xtick.labelsize"] = 7
        matplotlib.rcParams["axes.labelsize"] = 7
    fig = _figure(height_cm, width_cm, constrained=False)
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
        bars = [ax.plot([value], [pos], linestyle="none", marker="o",
                        markersize=_DOT_SIZE[narrow], color=DOT_GREY, zorder=4.5)[0]
                for pos, value in zip(positions, values)]
    else:
        bars = list(ax.barh(positions, values.to_numpy(), color=BAR_GREY, height=0.72,
                            edgecolor="white", linewidth=0.6, zorder=2))
    names = _row_labels(ax, positions, labels, [False] * n)
    ax.invert_yaxis()
    ax.spines["left"].set_visible(False)
    ax.set_xlim(vmin, right)
    zero_note = _zero_note(fig, ax, vmin)
    target_row = (n - 0.5 if n else 0.5) + 0.55
    # Room above the first bar for Riket's label, below the last for the target's.
    ax.set_ylim(target_row + (0.5 if target is not None else -0.4), -1.85)
    # the values in a column right of every bar, dot and line: Riket's and the target's
    # lines ran through the labels of the rows ending near them (R p.14: "17 %")
    column = vmax + gap * width
    texts = [ax.text(column, pos, _fmt_short(indicator, value), va="center",
                     ha="left", fontsize=6.5 if narrow else 7.5, color=TEXT, zorder=5,
                     bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
             for pos, value in zip(positions, values)]
    for row, artists in enumerate(zip(bars, names, texts)):  # named in the SVG: see twins
        for part, artist in zip(("stapel", "namn", "varde"), artists):
            artist.set_gid(f"rad{row}-{part}")

    line_labels = []  # centred over their lines, or ending there when near the edge
    if not math.isnan(riket_value):
        ax.axvline(riket_value, color=VERMILLION, linestyle="--", linewidth=1.4, zorder=3)
        line_labels.append(ax.text(
            riket_value, -1.25, f"Riket {_fmt_short(indicator, riket_value)}",
            color=VERMILLION, ha="center", va="center", fontsize=7.5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0}, zorder=6))
    if target is not None:
        target_text = _attr(indicator, "target_text") or fmt_value(
            target, str(_attr(indicator, "unit", "")), _ind_decimals(indicator), short=True)
        ax.axvline(target, color=GREEN, linestyle=":", linewidth=1.8, zorder=4)
        line_labels.append(ax.text(
            target, target_row, f"Mål: {target_text}", color=GREEN, ha="center",
            va="center", fontsize=7.5, fontweight="bold",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0}, zorder=6))
    ax.xaxis.set_major_formatter(SwedishFormatter())
    if vmax >= 1000:  # "30 000" is wider than matplotlib's tick spacing assumes: fewer ticks
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if narrow else 6,
                                               steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(unit_label(str(_attr(indicator, "unit", ""))))
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    _title(ax, f"{name} {year}", 34 if narrow else 62, size=8 if narrow else None)
    margins = dict(left=(3.6 if places else 2.6) if narrow else (4.3 if places else 3.3),
                   right=0.25, bottom=1.1 if narrow else 1.25, top=0.65 if narrow else 0.75)
    fig = _fixed_margins(fig, **margins, row_names=names, row_values=texts,
                         line_labels=line_labels)
    return SimpleNamespace(fig=fig, ax=ax, bars=bars, names=names, values=texts,
                           vmin=vmin, zero_note=zero_note, dots=dots)


DOT_GREY = "#767676"  # 4,5:1 against white: a dot is seen without its colour
_DOT_SIZE = {False: 5.5, True: 4.5}  # points, by narrow


# --------------------------------------------------------------------------- gender


def gender_chart(frame: pd.DataFrame, indicator: IndicatorLike, region_code: str,
                 region_name: str, year: int, *, riket_code: str = RIKET_CODE) -> Chart | None:
    """Women and men side by side for the region and Riket; None when K/M are missing."""
    with matplotlib.rc_context(_RC):
        return _gender_chart(frame, indicator, region_code, region_name, int(year), riket_code)


def _gender_chart(frame, indicator, region_code, region_name, year, riket_code):
    if "gender" not in frame.columns:
        return None
    data = frame.assign(region_code=frame["region_code"].astype(str),
                        value=pd.to_numeric(frame["value"], errors="coerce"))
    data = data[(pd.to_numeric(data["year"], errors="coerce") == year)
                & data["gender"].isin(["K", "M"]) & data["value"].notna()]
    values: dict[tuple[str, str], float] = {
        (r.region_code, r.gender): float(r.value) for r in data.itertuples()}
    if (region_code, "K") not in values or (region_code, "M") not in values:
        return None
    name = str(_attr(indicator, "name", ""))
    groups = [(region_code, region_name)]
    if (riket_code, "K") in values and (riket_code, "M") in values:
        groups.append((riket_code, "Riket"))

    fig = _figure(6.5)
    ax = fig.add_subplot()
    styles = {"K": ("Kvinnor", ORANGE, "...."), "M": ("Män", SKY, "////")}
    height = 0.36
    vmax = max([0.0, *values.values()])
    for i, (code, label) in enumerate(groups):
        for j, gender in enumerate(("K", "M")):
            text, colour, hatch = styles[gender]
            y = i + (j - 0.5) * height * 1.05
            value = values[(code, gender)]
            ax.barh(y, value, height=height, color=colour, hatch=hatch, edgecolor="#333333",
                    linewidth=0.5)
            ax.text(value + vmax * 0.01, y, f"{text} {_fmt_short(indicator, value)}",
                    va="center", ha="left", fontsize=7.5)
    ax.set_yticks(range(len(groups)), [g[1] for g in groups])
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, *values.values()), vmax * 1.35 or 1.0)
    ax.xaxis.set_major_formatter(SwedishFormatter())
    ax.set_xlabel(unit_label(str(_attr(indicator, "unit", ""))))
    ax.tick_params(axis="y", length=0)
    _title(ax, f"{name} {year}, kvinnor och män")
    alt = (f"Stapeldiagram: {name} {year} i {region_name}: kvinnor "
           f"{_fmt(indicator, values[(region_code, 'K')])}, män "
           f"{_fmt(indicator, values[(region_code, 'M')])}")
    if len(groups) > 1:
        alt += (f"; riket kvinnor {_fmt(indicator, values[(riket_code, 'K')])}, män "
                f"{_fmt(indicator, values[(riket_code, 'M')])}")
    caption = f"{name} {year} för kvinnor (prickig stapel) och män (randig stapel)."
    return Chart(fig=_finish(fig), alt=alt + ".", name=f"gender-{_ind_id(indicator)}-{region_code}-{year}",
                 caption=caption)


# --------------------------------------------------------------------------- heatmap


def heatmap_scores(values: pd.DataFrame, riket: Mapping[str, float] | pd.Series,
                   directions: Mapping[str, str] | pd.Series) -> pd.DataFrame:
    """Direction-aware position relative to Riket, in percent of Riket's value.

    Positive means better than Riket (higher for "higher", lower for "lower"); neutral
    indicators are kept with the raw sign. values: regions × indicators.
    """
    scores = pd.DataFrame(index=values.index, columns=values.columns, dtype=float)
    for column in values.columns:
        base = riket.get(column) if hasattr(riket, "get") else None
        if is_missing(base) or float(base) == 0:
            continue
        sign = -1.0 if directions.get(column) == "lower" else 1.0
        col = pd.to_numeric(values[column], errors="coerce")
        scores[column] = sign * (col - float(base)) / abs(float(base)) * 100
    return scores


def heatmap_chart(matrix: pd.DataFrame, value_labels: pd.DataFrame | None = None, *,
                  title: str = "Regionerna jämfört med riket", name: str = "heatmap",
                  caption: str | None = None, neutral: Iterable[str] = (),
                  highlight: str | None = None, limit: float | None = None,
                  verdicts: pd.DataFrame | None = None) -> Chart:
    """Regions (rows) × indicators (columns) coloured by position relative to Riket.

    matrix: direction-aware scores (positive = better than Riket, e.g. from
    `heatmap_scores`); value_labels: the text printed in each cell (same shape; formatted
    values). verdicts: `judgements.versus_riket` per cell (same shape): a cell "nära riket"
    is left uncoloured and marked ≈, so the colours say what the text says; without them
    the sign of the score decides. A cell whose verdict is `TO_CHECK` (a value
    `naravard.analysis.plausibility` flags) is grey, dotted and marked ?: it is not judged. Cells get ▲ (better) / ▼ (worse) so the colour is never
    the only cue; neutral columns are coloured grey-free (no judgement), without arrows.
    """
    with matplotlib.rc_context(_RC):
        return _heatmap_chart(matrix, value_labels, title, name, caption, set(neutral),
                              highlight, limit, verdicts)


NEAR_FACE = "#F7F7F7"  # PuOr's own centre: "nära riket" in heat and tile maps
NEAR_MARK = "≈"
VERDICT_MARKS = {J.BETTER_THAN_RIKET: "▲", J.WORSE_THAN_RIKET: "▼", J.NEAR_RIKET: NEAR_MARK}
# A value to check (naravard.analysis.plausibility): not judged, and it must not look like "nära riket"
TO_CHECK = "att kontrollera"
CHECK_FACE, CHECK_HATCH, CHECK_MARK = "#C8C8C8", "...", "?"
CHECK_KEY = f"{CHECK_MARK} värde att kontrollera (grå, prickig)"
CHECK_CAPTION = (f" Grå, prickig och {CHECK_MARK}: värde att kontrollera, det avviker kraftigt "
                 "från regionens tidigare år och bedöms inte.")


def _checked_alt(n: int) -> str:
    """The alt text's count of values to check ("" when there are none)."""
    if not n:
        return ""
    return (f" {n} {'värde' if n == 1 else 'värden'} att kontrollera ({CHECK_MARK}) "
            "bedöms inte.")


def _verdict(score: float, verdicts: pd.DataFrame | None, i: int, j: int) -> str:
    """The cell's better/worse/near, from `judgements.versus_riket` where it was passed."""
    if verdicts is not None:
        verdict = verdicts.iat[i, j]
        return verdict if isinstance(verdict, str) else ""
    rounded = round(score, 6)
    return (J.BETTER_THAN_RIKET if rounded > 0 else J.WORSE_THAN_RIKET) if rounded else ""


def _heatmap_chart(matrix, value_labels, title, name, caption, neutral, highlight, limit,
                   verdicts=None):
    scores = matrix.apply(pd.to_numeric, errors="coerce").astype(float)
    rows, cols = list(scores.index), list(scores.columns)
    n_rows, n_cols = len(rows), len(cols)
    judged = scores[[c for c in cols if c not in neutral]]
    finite = np.abs(judged.to_numpy()[np.isfinite(judged.to_numpy())])
    if limit is None:
        limit = float(np.nanpercentile(finite, 95)) if finite.size else 1.0
    limit = max(limit, 1e-9)
    cmap = matplotlib.colormaps["PuOr"]  # orange = worse, purple = better; CB-safe
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit)

    header_font = 6.5
    # characters per header line that fit a column (about 12.5 cm for all of them); when
    # there are many columns or a word is longer than that, headers turn upright instead
    fits = max(8, int(12.5 / max(n_cols, 1) * 28.35 / (0.6 * header_font)))
    longest = max((len(w) for c in cols for w in str(c).split()), default=0)
    rotate = n_cols > 8 or longest > fits
    label_width = 32 if rotate else fits
    # Shrink cell text so the widest "▲ 1 234,5" fits its column (about 12 cm for all);
    # with many columns the arrow goes on its own line above the value.
    widest = max([len(str(v)) for v in np.ravel(value_labels.to_numpy())]
                 if value_labels is not None and value_labels.size else [4])
    widest += 0 if rotate else 2
    cell_font = max(4.5, min(7.0, 12 * 28.35 / max(n_cols, 1) / (widest * 0.64)))
    row_cm = 0.75 if rotate else 0.55
    separator = "\n" if rotate else " "
    col_labels = [_header(str(c), label_width, 4 if rotate else 6) for c in cols]
    header_lines = max([lab.count("\n") + 1 for lab in col_labels] or [1])
    fig = _figure(2.2 + row_cm * n_rows + (4.2 if rotate else 0.32 * header_lines))
    ax = fig.add_subplot()
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    better = {r: 0 for r in rows}
    counted = {r: 0 for r in rows}
    near_cells = check_cells = 0
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            score = scores.iat[i, j]
            label = "" if value_labels is None else value_labels.iat[i, j]
            label = DASH if label is None or (not isinstance(label, str) and is_missing(label)) \
                else str(label)
            has_value = value_labels is not None and label not in ("", DASH)
            if has_value and verdicts is not None and verdicts.iat[i, j] == TO_CHECK:
                face, hatch, prefix = CHECK_FACE, CHECK_HATCH, CHECK_MARK + separator
                check_cells += 1
            elif is_missing(score) and not has_value:
                face, hatch, prefix, label = MISSING_GREY, "///", "", DASH
            elif col in neutral or is_missing(score):  # a value but nothing to judge it by
                face, hatch, prefix = "#F4F4F4", "", ""
            else:
                verdict = _verdict(score, verdicts, i, j)
                near = verdict == J.NEAR_RIKET
                near_cells += near
                face = NEAR_FACE if near else _judged_colour(cmap, norm(max(-limit, min(limit,
                                                                                     score))))
                hatch = ""
                mark = VERDICT_MARKS.get(verdict, "")
                prefix = mark + separator if mark else ""
                counted[row] += 1
                better[row] += verdict == J.BETTER_THAN_RIKET
            ax.add_patch(matplotlib.patches.Rectangle(
                (j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="white", linewidth=1.2,
                hatch=hatch))
            ax.text(j, i, (prefix + label) if label else prefix.strip() or DASH,
                    ha="center", va="center", fontsize=cell_font, color=_text_colour(face),
                    fontweight="bold" if row == highlight else "normal", linespacing=1.0)
    if rotate:
        ax.set_xticks(range(n_cols), col_labels, fontsize=header_font, rotation=90,
                      ha="center", va="bottom")
    else:
        ax.set_xticks(range(n_cols), col_labels, fontsize=header_font)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), [str(r) for r in rows])
    if highlight in rows:
        label = ax.get_yticklabels()[rows.index(highlight)]
        label.set_fontweight("bold")
        ax.add_patch(matplotlib.patches.Rectangle(
            (-0.5, rows.index(highlight) - 0.5), n_cols, 1, fill=False, edgecolor="black",
            linewidth=1.6, zorder=5))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # above the column headers: a figure title, for which the constrained layout makes room
    # (an axes title at the fixed rc position would overlap the top tick labels)
    fig.suptitle(title, x=0.01, ha="left", fontsize=matplotlib.rcParams["axes.titlesize"],
                 fontweight="bold")
    near_key = f"    {NEAR_MARK} nära riket (vit)" if verdicts is not None else ""
    check_key = f"\n{CHECK_KEY}" if check_cells else ""
    fig.supxlabel(f"▲ bättre än riket (lila)    ▼ sämre än riket (orange){near_key}    "
                  f"– värde saknas (grå, randig){check_key}", fontsize=7.5, color="#444444")

    near_alt = f", {NEAR_MARK} nära riket" if verdicts is not None else ""
    check_alt = f", {CHECK_MARK} värde att kontrollera" if check_cells else ""
    alt = (f"Värmekarta: {n_rows} regioner och {n_cols} indikatorer; färg och tecken visar "
           f"läget jämfört med riket (▲ bättre, ▼ sämre{near_alt}{check_alt}).")
    with_counts = [r for r in rows if counted[r]]
    if with_counts:
        top = max(with_counts, key=lambda r: (better[r] / counted[r], better[r]))
        low = min(with_counts, key=lambda r: (better[r] / counted[r], better[r]))
        alt += (f" Flest bättre än riket: {top} ({better[top]} av {counted[top]});"
                f" färst: {low} ({better[low]} av {counted[low]}).")
        if highlight in with_counts and highlight not in (top, low):
            alt += f" {highlight}: {better[highlight]} av {counted[highlight]} bättre än riket."
    if near_cells:
        alt += f" {near_cells} {'ruta' if near_cells == 1 else 'rutor'} ligger nära riket."
    alt += _checked_alt(check_cells)
    caption = caption or ("Regionerna jämfört med riket per indikator. Lila och ▲ betyder "
                          "bättre än riket, orange och ▼ sämre, med hänsyn till om höga eller "
                          "låga värden är bäst." + (
                              f" Vit och {NEAR_MARK}: nära riket, en skillnad mindre än den "
                              "minsta som räknas." if verdicts is not None else "")
                          + (CHECK_CAPTION if check_cells else ""))
    return Chart(fig=_finish(fig), alt=alt, name=slugify(name) or "heatmap", caption=caption)


def _header(text: str, width: int, max_lines: int) -> str:
    """A column header wrapped to its column; an ellipsis says when words were left out."""
    lines = textwrap.wrap(text, width, break_long_words=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _short(lines[-1] + " …", width + 1)
    return "\n".join(lines)


def _text_colour(face: Any) -> str:
    """Black or white text, whichever contrasts more with the cell (WCAG luminance)."""
    r, g, b = (_linear(c) for c in to_rgb(face))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


# --------------------------------------------------------------------------- tile map

_TILE_LABELS = {
    "Jämtland Härjedalen": "Jämtland\nHärjedalen",
    "Västra Götaland": "Västra\nGötaland",
    "Västernorrland": "Väster-\nnorrland",
    "Västerbotten": "Väster-\nbotten",
    "Östergötland": "Öster-\ngötland",
    "Jönköpings län": "Jönköping",
    "Örebro län": "Örebro",
    "Västmanland": "Väst-\nmanland",
}


def tile_map_chart(values: Mapping[str, float], indicator: IndicatorLike,
                   region_info: Sequence[Any], *, year: int | None = None,
                   highlight: str | None = None, name: str | None = None,
                   riket: float | None = None,
                   size: tuple[float, float] | None = None,
                   to_check: Iterable[str] = ()) -> Chart:
    """Sweden's 21 regions as equal squares at their tile positions, coloured by value.

    With Riket's value and a direction, the colours and marks are the heat map's: purple and
    ▲ better than Riket, orange and ▼ worse, stronger the further away, white and ≈ "nära
    riket" (`judgements.versus_riket` with the indicator's `min_change`). Neutral indicators
    are shades of grey. The colour bar spans the values drawn (to half a published unit), and
    its colours are the tiles' at the published precision. `to_check`: region codes whose
    value `naravard.analysis.plausibility` flags: grey, dotted, marked ?, not judged.
    """
    with matplotlib.rc_context(_RC):
        return _tile_map_chart(values, indicator, region_info, year, highlight, name, riket,
                               size, set(to_check))


HEAT_CMAP = "PuOr"  # orange = worse, purple = better; colour-blind safe; heat map and maps


def _tile_map_chart(values, indicator, region_info, year, highlight, name, riket=None,
                    size=None, to_check=frozenset()):
    ind_name = str(_attr(indicator, "name", ""))
    direction = str(_attr(indicator, "direction", "neutral"))
    regions = [r for r in region_info if tuple(getattr(r, "tile", (-1, -1)))[0] >= 0]
    present = {r.code: float(values[r.code]) for r in regions
               if r.code in values and not is_missing(values[r.code])}
    cols = max([r.tile[0] for r in regions] or [0]) + 1
    n_rows = max([r.tile[1] for r in regions] or [0]) + 1

    width_cm, height_cm = size or (11.5, 15.5)
    fig = _figure(height_cm, width_cm)
    grid = fig.add_gridspec(1, 2, width_ratios=[cols, 0.25])
    ax = fig.add_subplot(grid[0, 0])
    cax = fig.add_subplot(grid[0, 1])
    lo = min(present.values()) if present else 0.0
    hi = max(present.values()) if present else 1.0
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    # a value is shown rounded: the bar reaches half a published unit past the extremes, so
    # a tile at the extreme finds its colour on the bar
    half = 0.5 * 10 ** -_ind_decimals(indicator)
    lo, hi = lo - half, hi + half
    judged = direction in ("higher", "lower") and riket is not None and not is_missing(riket)
    verdicts: dict[str, str] = {}
    if judged:
        cmap = matplotlib.colormaps[HEAT_CMAP]
        if direction == "lower":
            cmap = cmap.reversed()  # purple = better in both directions
        riket = float(riket)
        min_change = float(_attr(indicator, "min_change", 0.0))
        verdicts = {code: J.versus_riket(value, riket, direction, min_change,
                                         _ind_decimals(indicator))
                    for code, value in present.items() if code not in to_check}
        reach = max(abs(hi - riket), abs(lo - riket), 1e-9)
        norm = TwoSlopeNorm(vcenter=riket, vmin=riket - reach, vmax=riket + reach)
        lo, hi = min(lo, riket), max(hi, riket)
    else:
        cmap = matplotlib.colors.LinearSegmentedColormap.from_list(
            "greys", ["#F2F2F2", "#6E6E6E"])
        norm = Normalize(vmin=lo, vmax=hi)
    for r in regions:
        col, row = r.tile
        value = present.get(r.code)
        verdict = verdicts.get(r.code, "")
        check = value is not None and r.code in to_check
        face = MISSING_GREY if value is None else CHECK_FACE if check \
            else NEAR_FACE if verdict == J.NEAR_RIKET \
            else _judged_colour(cmap, norm(value)) if judged else cmap(norm(value))
        ax.add_patch(matplotlib.patches.Rectangle(
            (col + 0.04, row + 0.04), 0.92, 0.92, facecolor=face,
            edgecolor="#888888" if value is None or check else "#B0B0B0" if face == NEAR_FACE
            else "white",
            hatch="///" if value is None else CHECK_HATCH if check else "", linewidth=0.8))
        if r.code == highlight:
            ax.add_patch(matplotlib.patches.Rectangle(
                (col + 0.04, row + 0.04), 0.92, 0.92, fill=False, edgecolor="black",
                linewidth=2.6, zorder=5))
        colour = _text_colour(face)
        label = _TILE_LABELS.get(r.name, r.name)
        ax.text(col + 0.5, row + 0.36, label, ha="center", va="center",
                fontsize=6.8 if width_cm > 10 else 5.4,
                color=colour, fontweight="bold" if r.code == highlight else "normal",
                linespacing=1.05)
        mark = CHECK_MARK if check else VERDICT_MARKS.get(verdict, "")
        ax.text(col + 0.5, row + 0.74,
                DASH if value is None else f"{mark}\u202f{_fmt_short(indicator, value)}".strip(),
                ha="center", va="center", fontsize=8 if width_cm > 10 else 6.3,
                fontweight="bold", color=colour)
    ax.set_xlim(0, cols)
    ax.set_ylim(n_rows, 0)  # row 0 at the top
    ax.set_aspect("equal")
    ax.axis("off")
    suffix = f" {year}" if year is not None else ""
    fig.suptitle("\n".join(textwrap.wrap(f"{ind_name}{suffix}", 48 if width_cm > 10 else 38)),
                 x=0.02, ha="left", fontsize=9.5 if width_cm > 10 else 8, fontweight="bold")

    if judged:  # the bar shows the band of "nära riket" in its colour
        cmap = _with_near_band(cmap, norm, riket, indicator)
    scalar = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(scalar, cax=cax)
    # only the values drawn: a symmetric scale around Riket reached "105 Procent"
    cax.set_ylim(lo, hi)
    bar.ax.yaxis.set_major_formatter(SwedishFormatter())
    bar.set_label(unit_label(str(_attr(indicator, "unit", ""))))
    bar.outline.set_edgecolor("#B0B0B0")  # the white band of "nära riket" keeps its edge
    bar.outline.set_linewidth(0.5)
    cax.set_box_aspect(12)

    alt = f"Karta med rutor: {ind_name}{suffix} i {len(present)} av {len(regions)} regioner."
    if present:
        ordered = sorted(present.items(), key=lambda kv: kv[1])
        by_code = {r.code: r.name for r in regions}
        (lo_code, lo_val), (hi_code, hi_val) = ordered[0], ordered[-1]
        alt += (f" Högst {by_code[hi_code]} {_fmt(indicator, hi_val)},"
                f" lägst {by_code[lo_code]} {_fmt(indicator, lo_val)}.")
        if highlight in present:
            alt += f" {by_code[highlight]} {_fmt(indicator, present[highlight])}."
    missing = [r.name for r in regions if r.code not in present]
    if missing:
        alt += " Värde saknas för " + ", ".join(missing) + "."
    checked = sorted(r.name for r in regions if r.code in to_check and r.code in present)
    if judged:
        counts = {v: sum(1 for x in verdicts.values() if x == v) for v in VERDICT_MARKS}
        alt += (f" Jämfört med riket ({_fmt(indicator, riket)}): {counts[J.BETTER_THAN_RIKET]}"
                f" bättre, {counts[J.NEAR_RIKET]} nära riket, {counts[J.WORSE_THAN_RIKET]}"
                " sämre.")
    if checked:
        alt += _checked_alt(len(checked)).rstrip(".") + ": " + ", ".join(checked) + "."
    caption = (f"{ind_name}{suffix}. Lila ▲ bättre än riket ({_fmt_short(indicator, riket)}), "
               f"orange ▼ sämre, vit {NEAR_MARK} nära riket." if judged
               else f"{ind_name}{suffix} per region; mörkare ruta: högre värde.")
    if missing:
        caption += " Grå randig ruta: värde saknas."
    if checked:
        caption += CHECK_CAPTION
    stem = name or f"karta-{_ind_id(indicator)}" + (f"-{year}" if year is not None else "")
    return Chart(fig=_finish(fig), alt=alt, name=stem, caption=caption)


_FAINTEST = 0.12  # how far from the diverging map's white centre a judged colour starts


def _judged_colour(cmap: Any, x: float) -> Any:
    """The colour at `x` (0–1, Riket at 0,5) of a value judged better or worse than Riket:
    never paler than `_FAINTEST` from the centre, so it stands apart from "nära riket"."""
    d = float(x) - 0.5
    return cmap(0.5 + math.copysign(_FAINTEST + (1 - 2 * _FAINTEST) * abs(d), d))


def _with_near_band(cmap: Any, norm: Any, riket: float, indicator: Any) -> Any:
    """The tiles' colours as a colour bar: each value judged as a tile of that value is
    (`judgements.versus_riket` at the published precision), "nära riket" in its colour."""
    samples = np.linspace(0, 1, 1024)
    values = np.atleast_1d(norm.inverse(samples))
    direction = str(_attr(indicator, "direction", "neutral"))
    min_change = float(_attr(indicator, "min_change", 0.0))
    decimals = _ind_decimals(indicator)
    colours = [NEAR_FACE if J.versus_riket(float(v), riket, direction, min_change, decimals)
               == J.NEAR_RIKET else _judged_colour(cmap, x) for x, v in zip(samples, values)]
    return matplotlib.colors.ListedColormap(colours)


# --------------------------------------------------------------------------- output


def chart_png(chart: Chart, dpi: int = DPI) -> bytes:
    """The PNG bytes, drawn once per chart and dpi: the file and the HTML embed share them."""
    cache = chart.__dict__.setdefault("_png_cache", {})
    if dpi not in cache:
        cache[dpi] = _render_png(chart, dpi)
    return cache[dpi]


# Drawn backgrounds of layered charts, by background key and dpi. A batch worker's kernel
# renders report after report: each indicator's background (axes, ticks, every region faint,
# Riket) is then drawn once, not once per region. 1.4–4 MB each (one or two layers).
_BACKGROUNDS: OrderedDict[tuple[str, int, tuple[float, ...]], Any] = OrderedDict()
_BACKGROUNDS_MAX = 64


# Backgrounds of shared charts (figure and axes, with what a ranked chart needs to mark its
# region), by background key: in a report kernel each region's chart of an indicator adds
# its own artists to the same figure instead of building the figure again.
_SKELETONS: OrderedDict[str, Any] = OrderedDict()


def _key(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a chart's data, independent of row order."""
    rows = frame[["region_code", "year", "value"]].sort_values(["region_code", "year"])
    return hashlib.sha256(
        pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes()).hexdigest()


def _render_layered(chart: Chart, dpi: int) -> Any:
    """Compose the chart from cached background layers and its own foreground artists.

    The foreground artists' z-orders cut the background into layers: what lies below the
    lowest foreground artist (opaque), what lies between it and the next (transparent), and
    so on. Layers are drawn once per background key; each chart then draws only its own
    artists between them. Returns the Agg renderer holding the finished image.
    """
    tiers = sorted({artist.get_zorder() for artist in chart.foreground})
    key = (chart.background_key or "", dpi, tuple(tiers))  # the tiers decide the layers
    with _at_dpi(chart.fig, dpi):
        layers = _remember(_BACKGROUNDS, key, lambda: _draw_layers(chart, tiers))
        renderer = chart.fig.canvas.get_renderer()
        pixels = np.asarray(renderer.buffer_rgba())
        pixels[...] = layers[0]
        for tier, layer in zip(tiers, layers[1:]):
            for artist in chart.foreground:
                if artist.get_zorder() == tier:
                    artist.draw(renderer)
            if layer is not None:
                _over(pixels, layer)
        return renderer


def _remember(store: OrderedDict, key: Any, make: Any) -> Any:
    """`store[key]`, made on first use; the least recently used entries go past the limit."""
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = store[key] = make()
    while len(store) > _BACKGROUNDS_MAX:
        store.popitem(last=False)
    return value


@contextmanager
def _at_dpi(fig: Figure, dpi: float) -> Iterator[None]:
    old = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = old


@contextmanager
def _hidden(artists: Iterable[Any]) -> Iterator[None]:
    """Artists left out of a drawing, then shown (or not) as they were before."""
    artists = list(artists)
    shown = [artist.get_visible() for artist in artists]
    for artist in artists:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist, visible in zip(artists, shown):
            artist.set_visible(visible)


def _background_artists(chart: Chart) -> list[Any]:
    """The axes' artists that are not the chart's own (its foreground)."""
    own = {id(a) for a in chart.foreground}
    return [a for ax in chart.fig.axes for a in ax.get_children() if id(a) not in own]


def _draw_layers(chart: Chart, tiers: list[float]) -> list[Any]:
    """The background layers of a layered chart: the first opaque, the others transparent
    (None when empty)."""
    fig = chart.fig
    artists = _background_artists(chart)
    shown = {id(a): a.get_visible() for a in [*artists, fig.patch]}
    patches = {id(fig.patch), *(id(ax.patch) for ax in fig.axes)}
    bounds = [-math.inf, *tiers, math.inf]
    layers: list[Any] = []
    with _hidden([*chart.foreground, *artists, fig.patch]):
        for i, (low, high) in enumerate(zip(bounds, bounds[1:])):
            if i == 0:  # the opaque bottom: the axes' face and all below the first tier
                members = [a for a in artists if shown[id(a)] and (
                    id(a) in patches or a.get_zorder() <= high)]
            else:
                members = [a for a in artists if shown[id(a)] and id(a) not in patches
                           and low < a.get_zorder() <= high]
            if i and not members:
                layers.append(None)
                continue
            wanted = {id(a) for a in members}
            for artist in artists:
                artist.set_visible(id(artist) in wanted)
            fig.patch.set_visible(i == 0 and shown[id(fig.patch)])
            fig.canvas.draw()
            layers.append(np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy())
    return layers


def _over(base: Any, layer: Any) -> None:
    """Paint an RGBA layer (straight alpha) over an opaque RGBA image, in place."""
    alpha = layer[..., 3]
    covered = alpha > 0
    if not covered.any():
        return
    a = alpha[covered].astype(np.uint32)[:, None]
    top = layer[covered][:, :3].astype(np.uint32)
    below = base[covered][:, :3].astype(np.uint32)
    mixed = base[covered]
    mixed[:, :3] = (top * a + below * (255 - a) + 127) // 255
    base[covered] = mixed


@contextmanager
def _attached(chart: Chart) -> Iterator[None]:
    """A shared chart's own artists on the shared background while the chart is drawn."""
    if not chart.shared:
        yield
        return
    ax = chart.fig.axes[0]
    for artist in chart.foreground:
        # add_artist clips to the axes what was not clipped: labels reach past the axes
        clip = (artist.get_clip_path(), artist.get_clip_box())
        ax.add_artist(artist)
        if clip[0] is None:
            artist.set_clip_path(None)
            artist.set_clip_box(clip[1])
    try:
        yield
    finally:
        for artist in chart.foreground:
            artist.remove()


def _whole(chart: Chart) -> Any:
    """The chart as drawn whole: without the background twins its foreground covers."""
    return _hidden(chart.twins)


def _render_png(chart: Chart, dpi: int) -> bytes:
    """An opaque RGB PNG: the figure is white, so the alpha channel carried nothing, and
    without it WeasyPrint re-encodes each image once instead of twice (colour and mask)."""
    with matplotlib.rc_context(_RC), _attached(chart):
        if chart.background_key is not None:
            renderer = _render_layered(chart, dpi)
            raw: Any = renderer.buffer_rgba()
        else:
            buffer_ = io.BytesIO()
            with _whole(chart):
                chart.fig.savefig(buffer_, format="rgba", dpi=dpi, facecolor="white")
            renderer = chart.fig.canvas.renderer  # the one the savefig drew with, at `dpi`
            raw = buffer_.getbuffer()
    image = Image.frombuffer("RGBA", (int(renderer.width), int(renderer.height)),
                             raw, "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1, dpi=(dpi, dpi))
    return buffer.getvalue()


_SVG_METADATA = {"Date": None, "Creator": None}


def chart_svg(chart: Chart) -> bytes:
    with matplotlib.rc_context(_RC), _attached(chart):
        if chart.background_key is not None and chart.layered_svg and svg_layers_allowed():
            layered = _render_svg_layered(chart)
            if layered is not None:
                return layered.encode("utf-8")
        buffer = io.BytesIO()
        with _whole(chart):
            chart.fig.savefig(buffer, format="svg", facecolor="white", metadata=_SVG_METADATA)
        return buffer.getvalue()


# The SVG twin of _BACKGROUNDS: the background's markup and the renderer's bookkeeping
# (clip paths, marker definitions, group numbers) that the region's own artists continue.
_SVG_BACKGROUNDS: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
_SVG_STATE = ("_groupd", "_clipd", "_markers", "_hatchd")


def _svg_state_ok() -> bool:
    """matplotlib's RendererSVG still keeps its bookkeeping in the dicts `_SVG_STATE` names."""
    from matplotlib.backends.backend_svg import RendererSVG

    probe = RendererSVG(10, 10, io.StringIO())
    return all(isinstance(getattr(probe, name, None), dict) for name in _SVG_STATE)


def svg_layers_allowed() -> bool:
    """The layered SVG copies private renderer state: only on a tested matplotlib."""
    from naravard.speed import shortcuts

    return shortcuts.allowed("svg-layers", _svg_state_ok)


def _render_svg_layered(chart: Chart) -> str | None:
    """The SVG with the background's markup reused and only the region's artists drawn.

    Same structure as matplotlib's own `print_svg`: the figure at 72 dpi on an SVG renderer
    inside a MixedModeRenderer. The region's artists follow the background, as a whole draw
    would have them, when they lie above all of it (trend charts; a ranked chart's blue name
    and value, whose grey twins are taken out). An artist on its twin's level takes the
    twin's place in the markup instead (a ranked chart's blue bar, under Riket's line). So
    the SVG names the region once and prints like the whole draw. `finalize` writes every
    clip path and hatch either part used. None when that order cannot be kept: the whole
    draw is made then.
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    fig, key = chart.fig, chart.background_key or ""
    twins = {twin.get_gid(): twin.get_zorder() for twin in chart.twins}
    if None in twins:  # a twin the markup cannot be told apart by
        return None
    in_place = [a for a in chart.foreground if twins.get(a.get_gid()) == a.get_zorder()]
    on_top = [a for a in chart.foreground if a not in in_place]
    highest = max((a.get_zorder() for a in _background_artists(chart) if a.get_visible()),
                  default=-math.inf)
    if any(a.get_zorder() < highest for a in on_top):
        return None
    with _at_dpi(fig, 72):
        width, height = fig.get_size_inches()
        out = io.StringIO()
        svg = RendererSVG(width * 72, height * 72, out, image_dpi=DPI, metadata=_SVG_METADATA)
        renderer = MixedModeRenderer(fig, width, height, DPI, svg)
        start = out.tell()

        def draw_background() -> tuple[str, dict[str, Any]]:
            with _hidden(chart.foreground):
                fig.draw(renderer)
            return (out.getvalue()[start:],
                    {name: dict(getattr(svg, name)) for name in _SVG_STATE})

        drawn_before = key in _SVG_BACKGROUNDS
        markup, state = _remember(_SVG_BACKGROUNDS, key, draw_background)
        if drawn_before:
            out.write(markup)
            for name, value in state.items():
                setattr(svg, name, dict(value))
        pieces: list[str] = []
        for artist in sorted(chart.foreground, key=lambda a: a.get_zorder()):
            at = out.tell()
            artist.draw(renderer)
            piece = out.getvalue()[at:]
            if artist.get_gid() in twins:
                markup = _replace_group(markup, artist.get_gid(),
                                        piece.strip() if artist in in_place else "")
                if markup is None:
                    return None
            if artist in on_top:
                pieces.append(piece)
        end = out.tell()
        renderer.finalize()
        whole = out.getvalue()
        return whole[:start] + markup + "".join(pieces) + whole[end:]


_GROUP_TAGS = re.compile(r"<g[\s>]|</g>")


def _replace_group(markup: str, gid: str, replacement: str) -> str | None:
    """`markup` with the group `<g id="gid">…</g>` (nested groups and all) replaced; None
    when there is no such group."""
    start = markup.find(f'<g id="{gid}"')
    if start < 0:
        return None
    depth = 0
    for tag in _GROUP_TAGS.finditer(markup, start):
        depth += -1 if tag.group() == "</g>" else 1
        if depth == 0:
            return markup[:start] + replacement + markup[tag.end():]
    return None


def save_chart(chart: Chart, directory: Path | str, dpi: int = DPI, *,
               svg_later: bool = False) -> tuple[Path, Path]:
    """Write `<name>.png` and `<name>.svg`; the same chart gives byte-identical files.

    `svg_later`: write the SVG only when `write_deferred_svgs` runs. A report kernel does
    that after its notebook, while the process that started it prints the PDF (only the
    PNG goes into the report), so the SVGs cost no time on the way to the PDF.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{chart.name}.png"
    svg = directory / f"{chart.name}.svg"
    png.write_bytes(chart_png(chart, dpi))
    if svg_later:
        _DEFERRED_SVGS.append((chart, svg))
    else:
        svg.write_bytes(chart_svg(chart))
    return png, svg


# The SVGs save_chart(svg_later=True) left for write_deferred_svgs, in the order they came.
_DEFERRED_SVGS: list[tuple[Chart, Path]] = []


def write_deferred_svgs() -> int:
    """Write every SVG left for later, in order; returns how many were written.

    An SVG whose folder is gone is dropped: it belonged to a report that failed, whose
    staging folder was removed, and a kernel that runs report after report must not bring
    that folder back.
    """
    written = 0
    while _DEFERRED_SVGS:
        chart, path = _DEFERRED_SVGS.pop(0)
        if path.parent.is_dir():
            path.write_bytes(chart_svg(chart))
            written += 1
    return written


def chart_html(chart: Chart, source_line: str, dpi: int = DPI) -> str:
    """The chart as a self-contained `<figure>` with alt text, caption and source."""
    from naravard.wording import templating

    return templating.render("figure.html.j2", fig=figure(chart, source_line, dpi),
                             cls="chart")


def figure(chart: Chart, source_line: str, dpi: int = DPI) -> dict[str, Any]:
    """What a report template needs to show a chart: PNG bytes, alt text, caption, source."""
    source = source_line.strip()
    if source and not source.lower().startswith("källa"):
        source = f"Källa: {source}"
    return {"png": chart_png(chart, dpi), "alt": chart.alt, "caption": chart.caption,
            "source": source}


def warm_up() -> None:
    """Draw one small chart, so fonts and caches are loaded before the first real report."""
    frame = pd.DataFrame({"region_code": ["0001", "0001", RIKET_CODE, RIKET_CODE],
                          "year": [2023, 2024, 2023, 2024], "value": [1.5, 2.5, 2.0, 2.0]})
    indicator = SimpleNamespace(id="warm", name="Åäö", unit="percent", direction="higher",
                                decimals=1, primary_source="")
    chart = trend_chart(frame, indicator, "0001", "Region")
    chart_png(chart)
    chart_svg(chart)
    close_chart(chart)


def close_chart(chart: Chart) -> None:
    """Release the figure's drawing memory once nothing more will be rendered from it.

    Charts never enter pyplot's registry, so dropping the Chart is enough; this only frees
    memory early in long loops. A shared chart's figure belongs to every region's chart of its
    indicator and stays.
    """
    if not chart.shared:
        chart.fig.clear()
