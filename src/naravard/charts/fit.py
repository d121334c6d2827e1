"""Fitting a chart to its figure: margins in cm measured once, titles wrapped to end inside
the figure, end-of-line labels that keep inside it and apart from each other."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import matplotlib.patches
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import blended_transform_factory

from naravard.charts.style import CM, DPI, RC, TITLE_GID


def finish(fig: Figure) -> Figure:
    """Run the constrained layout once and freeze it.

    Saving a figure with a layout engine draws it twice (a dry run for the layout, then the
    real one) for every file; freezing makes each PNG/SVG a single draw.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def fixed_margins(
    fig: Figure,
    *,
    left: float,
    right: float,
    bottom: float,
    top: float = 0.75,
    row_names: Sequence[Any] = (),
    row_values: Sequence[Any] = (),
    line_labels: Sequence[Any] = (),
) -> Figure:
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
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    # measured as drawn: the tick spacing reads the rc's label size, and text is relatively
    # wider at the PNG's resolution than at the figure's own
    with matplotlib.rc_context(RC), at_dpi(fig, DPI):
        _fit_margins(fig, height, top, row_names, row_values)
        _keep_inside(fig, line_labels)
    return fig


_BOLD_WIDER = 1.12  # bold text is about a tenth wider than the plain text it covers
_EDGE_ROOM_PX = 3  # at 100 dpi: what texts keep free of the figure's edges


def edge_room(fig: Figure) -> float:
    """`_EDGE_ROOM_PX` in the figure's pixels at its current dpi."""
    return _EDGE_ROOM_PX * fig.dpi / 100


def _keep_inside(fig: Figure, labels: Sequence[Any]) -> None:
    renderer = fig.canvas.get_renderer()
    for label in labels:
        box = label.get_window_extent(renderer)
        if box.x1 > fig.bbox.width - edge_room(fig):
            label.set_ha("right")
        elif box.x0 < edge_room(fig):
            label.set_ha("left")


def _fit_margins(
    fig: Figure, height: float, top: float, row_names: Sequence[Any], row_values: Sequence[Any]
) -> None:
    renderer = fig.canvas.get_renderer()
    room = edge_room(fig)
    for _ in range(3):  # a wider margin may wrap a title, whose lines change the ticks
        _fit_titles(fig)
        lines = max((ax.get_title(loc="left").count("\n") for ax in fig.axes), default=0)
        fig.subplots_adjust(top=1 - (top + 0.44 * lines) / height)
        starts = [
            box.x1 - _BOLD_WIDER * box.width  # right-aligned; the region's is bold
            for box in (name.get_window_extent(renderer) for name in row_names)
        ]
        starts += [
            ax.yaxis.get_tightbbox(renderer).x0
            for ax in fig.axes
            if ax.yaxis.get_label().get_text()
        ]
        ends = [
            box.x0 + _BOLD_WIDER * box.width
            for box in (value.get_window_extent(renderer) for value in row_values)
        ]
        short = room - min(starts, default=math.inf)
        over = max(ends, default=-math.inf) - (fig.bbox.width - room)
        if short < 0.5 and over < 0.5:
            break
        pars = fig.subplotpars
        fig.subplots_adjust(
            left=pars.left + max(short, 0) / fig.bbox.width,
            right=pars.right - max(over, 0) / fig.bbox.width,
        )


def ticks_inside(ax: Any) -> None:
    """Leave out the value axis's ticks whose labels would end outside the figure: the
    last one of a ranked chart, at the values' column, was cut off ("15,(")."""
    fig = ax.figure
    with matplotlib.rc_context(RC), at_dpi(fig, DPI):
        renderer = fig.canvas.get_renderer()
        ax.xaxis.get_tightbbox(renderer)  # places the ticks and sets their labels
        lo, hi = sorted(ax.get_xlim())
        room = edge_room(fig)
        kept = [
            tick.get_loc()
            for tick in ax.xaxis.get_major_ticks()
            if lo <= tick.get_loc() <= hi
            and _inside(tick.label1.get_window_extent(renderer), room, fig.bbox.width - room)
        ]
        if len(kept) < len([t for t in ax.get_xticks() if lo <= t <= hi]):
            ax.set_xticks(kept)


def _inside(box: Any, left: float, right: float) -> bool:
    return left <= box.x0 and box.x1 <= right


def _balanced(words: str, chars: int) -> str:
    """`words` wrapped at `chars` or fewer characters a line, as evenly as the same number of
    lines allows: no year or short word left alone on the last line."""
    lines = len(textwrap.wrap(words, chars))
    while chars > 12 and len(textwrap.wrap(words, chars - 1)) == lines:
        chars -= 1
    return "\n".join(textwrap.wrap(words, chars))


def wrap_to_width(text: Any, width: float, renderer: Any) -> None:
    """Wrap a drawn text, as evenly as its lines allow, until it is at most `width` pixels
    wide: a long target ("riktvärde 1 100 invånare per specialist …") ran off both edges."""
    words = " ".join(text.get_text().split())
    chars = len(words)
    while chars > 12 and text.get_window_extent(renderer).width > width:
        chars -= 2
        text.set_text(_balanced(words, chars))


def _fit_titles(fig: Figure) -> None:
    """Wrap each title more narrowly until it ends inside the figure.

    A title starts at the axes' left edge, right of the row names, and may reach the
    figure's right edge; wrapped by a count of characters, a long name in a narrow chart ran
    past that edge and was cut off ("Medicinsk bedömning i primärv").
    """
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        room = fig.bbox.width * (1 - ax.get_position().x0) - edge_room(fig)
        for title in [t for t in ax.get_children() if t.get_gid() == TITLE_GID]:
            words = " ".join(title.get_text().split())
            chars = max(len(line) for line in title.get_text().split("\n"))
            while chars > 12 and title.get_window_extent(renderer).width > room:
                chars -= 2
                title.set_text("\n".join(textwrap.wrap(words, chars)))
            title.set_text(_balanced(words, chars))


def spread_labels(positions: dict[str, float], gap: float) -> dict[str, float]:
    """Push label positions (axes fraction) apart so direct labels never overlap."""
    items = sorted(positions.items(), key=lambda kv: kv[1])
    for i in range(1, len(items)):
        if items[i][1] - items[i - 1][1] < gap:
            items[i] = (items[i][0], items[i - 1][1] + gap)
    overflow = items[-1][1] - 0.98 if items else 0
    if overflow > 0:
        items = [(k, v - overflow) for k, v in items]
    return dict(items)


def fit_label(ax: Any, x: float, name: str, value: str, size: float, weight: str) -> str:
    """A line's end label 5 points right of `x`: "name value", or name and value on two
    lines when one line would run past the figure's right edge."""
    fig = ax.figure
    text = f"{name} {value}"
    with at_dpi(fig, DPI):  # as in the PNG: text is relatively wider there
        width, _h, _d = fig.canvas.get_renderer().get_text_width_height_descent(
            text, FontProperties(size=size, weight=weight), ismath=False
        )
        start = ax.transData.transform((x, 0))[0] + 5 * fig.dpi / 72
        fits = start + width <= fig.bbox.width - edge_room(fig)
    return text if fits else f"{name}\n{value}"


@contextmanager
def at_dpi(fig: Figure, dpi: float) -> Iterator[None]:
    """The figure at `dpi` for a measurement or a drawing, then at its own again."""
    old = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = old


_ROW_CLIP = 0.55  # rows: half a row each way, and a little for a bold "J"'s descender


def bold_copy(ax: Any, label: Any, *, color: str, zorder: float, pad: float) -> Any:
    """A bold copy of a drawn text (a bar's name or value) on a white box, drawn over it: how
    the focus region's and its peers' rows stand out without colour.

    Text and box are clipped to their row (rows one data unit apart, downwards): the box is
    as tall as the font, taller than a row of a 21-row chart, and hid the neighbours' names
    ("15  Uppsala" under "14  Västerbotten").
    """
    row = label.get_position()[1]
    band = matplotlib.patches.Rectangle(  # the figure's width, the row's height
        (0, row - _ROW_CLIP),
        1,
        2 * _ROW_CLIP,
        transform=blended_transform_factory(ax.figure.transFigure, ax.transData),
    )
    copy = ax.text(
        *label.get_position(),
        label.get_text(),
        transform=label.get_transform(),
        va=label.get_va(),
        ha=label.get_ha(),
        fontsize=label.get_fontsize(),
        color=color,
        fontweight="bold",
        zorder=zorder,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": pad},
        clip_on=True,
    )
    copy.set_clip_path(band)  # not the axes: a row's name lies left of them
    return copy
