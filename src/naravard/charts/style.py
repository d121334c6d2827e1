"""How every chart looks: palette, rc settings, figure, Swedish tick labels, titles, colours.

Figures are built on `matplotlib.figure.Figure` with the Agg canvas, never through pyplot:
nothing is registered globally, so a batch run of many reports does not accumulate open
figures, and no GUI backend is ever touched. Colour is never the only cue: the focus
region has markers, bold lines, hatching and direct labels; heat and tile maps print ▲/▼/≈.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from naravard.analysis import judgements as J
from naravard.wording.chart_text import BETTER_MARK, NEAR_MARK, WORSE_MARK, ZERO_NOTE
from naravard.wording.text import fmt_number, is_missing

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

# The reports' matplotlib settings: every chart is drawn inside `rc_context(RC)`.
RC: dict[str, Any] = {
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
        color=[BLUE, VERMILLION, GREEN, ORANGE, SKY, PURPLE, "#000000"]
    ),
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "naravard",
    "svg.fonttype": "none",  # text stays text: editable in slides, and faster
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "axes.unicode_minus": True,
}


def new_figure(
    height_cm: float, width_cm: float = WIDTH / CM, *, constrained: bool = True
) -> Figure:
    """A figure of the given size in cm on its own Agg canvas (never pyplot's registry);
    draw it inside `matplotlib.rc_context(RC)` to get the reports' look."""
    fig = Figure(
        figsize=(width_cm * CM, height_cm * CM), layout="constrained" if constrained else None
    )
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
        self.decimals = decimals_for(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt_number(x, self.decimals) + self.suffix


def decimals_for(locs: Sequence[float]) -> int:
    values = [float(v) for v in locs if not is_missing(v)]
    for decimals in range(0, 4):
        if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6 for v in values):
            return decimals
    return 3


def year_axis(axis: Any, years: Sequence[int] = (), max_ticks: int = 10) -> None:
    """Whole years only, and only the years the data covers (not the label margin)."""
    if years:
        lo, hi = int(min(years)), int(max(years))
        step = max(1, math.ceil((hi - lo + 1) / max_ticks))
        axis.set_major_locator(FixedLocator(list(range(hi, lo - 1, -step))[::-1]))
    else:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{int(round(x))}"))


TITLE_GID = "titel"  # the gid by which fit.fixed_margins finds a chart's titles


def row_labels(
    ax: Any, positions: Sequence[float], labels: Sequence[str], bold: Sequence[bool]
) -> list[Any]:
    """Row names drawn where zero-length y ticks would put their labels, as plain text.

    A matplotlib tick is five artists and is measured on every draw; the 21 rows of a
    ranked chart made ticks the largest part of its drawing time. Bold rows are blue.
    """
    ax.set_yticks([])
    no_axis_label(ax.yaxis)
    transform, va, ha = ax.get_yaxis_text1_transform(matplotlib.rcParams["ytick.major.pad"])
    size = matplotlib.rcParams["ytick.labelsize"]
    return [
        ax.text(
            0,
            pos,
            label,
            transform=transform,
            va=va,
            ha=ha,
            fontsize=size,
            color=BLUE if strong else matplotlib.rcParams["ytick.color"],
            fontweight="bold" if strong else "normal",
        )
        for pos, label, strong in zip(positions, labels, bold)
    ]


def no_axis_label(axis: Any) -> None:
    """An axis without a label: a fixed label position spares measuring the tick labels
    again on every draw just to place an empty label."""
    axis.set_label_coords(0.5, 0.5)


def title(ax: Any, text: str, width: int = 62, size: float | None = None) -> None:
    """The chart's title, left-aligned; `fixed_margins` wraps it more narrowly if needed."""
    artist = ax.set_title(
        "\n".join(textwrap.wrap(text, width)) or text,
        loc="left",
        pad=8,
        **({"fontsize": size} if size else {}),
    )
    artist.set_gid(TITLE_GID)


NARROW = 10.0  # cm: charts narrower than this get smaller text and tighter margins


def zero_note(fig: Figure, ax: Any, low: float) -> Any | None:
    """A visible note under the plot when a value axis does not start at zero."""
    if low <= 0:
        return None
    # an axes child placed in figure coordinates: the layered drawing only knows axes artists
    return ax.text(
        0.01,
        0.01,
        ZERO_NOTE,
        fontsize=6.5,
        color="#444444",
        ha="left",
        va="bottom",
        transform=fig.transFigure,
    )


NEAR_FACE = "#F7F7F7"  # PuOr's own centre: "nära riket" in heat and tile maps
VERDICT_MARKS = {
    J.BETTER_THAN_RIKET: BETTER_MARK,
    J.WORSE_THAN_RIKET: WORSE_MARK,
    J.NEAR_RIKET: NEAR_MARK,
}
# A value to check (naravard.analysis.plausibility): not judged, and it must not look like "nära riket"
TO_CHECK = "att kontrollera"
CHECK_FACE, CHECK_HATCH = "#C8C8C8", "..."


def text_colour(face: Any) -> str:
    """Black or white text, whichever contrasts more with the cell (WCAG luminance)."""
    r, g, b = (_linear(c) for c in to_rgb(face))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


HEAT_CMAP = "PuOr"  # orange = worse, purple = better; colour-blind safe; heat map and maps


_FAINTEST = 0.12  # how far from the diverging map's white centre a judged colour starts


def judged_colour(cmap: Any, x: float) -> Any:
    """The colour at `x` (0–1, Riket at 0,5) of a value judged better or worse than Riket:
    never paler than `_FAINTEST` from the centre, so it stands apart from "nära riket"."""
    d = float(x) - 0.5
    return cmap(0.5 + math.copysign(_FAINTEST + (1 - 2 * _FAINTEST) * abs(d), d))
