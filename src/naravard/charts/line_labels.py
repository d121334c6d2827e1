"""Labels of a ranked chart's vertical lines (Riket's, the target's) in a band over the rows.

The target's label sat under the last row, on the value axis and next to its tick labels
(riksrapporten 2024, HbA1c: "Mål: högst 10 %" over the axis line and "10,0"); a label on
a fixed row offset cannot know how tall it is against rows of a few millimetres. Here the
band is measured: as tall as its labels, each at its line, apart from each other, inside
the figure, and clear of the first row's name and value, bold or not.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from naravard.charts.fit import at_dpi, edge_room, wrap_to_width
from naravard.charts.style import DPI, RC

_GAP_PT = 2.0  # between a label and the row under it, and between stacked labels
_BOLD_PAD_PT = 0.6  # the white box of the focus region's bold copy of a row's text


def labels_over_rows(
    ax: Any, labels: Sequence[Any], *, first_row: Sequence[Any], last_row: Sequence[Any], last: int
) -> None:
    """Set the y-limits of a chart whose rows run downwards from 0 to `last` so that a band
    over row 0 holds `labels` (texts at their lines' x, in data coordinates), and the last
    row's texts, bold or not, end over the value axis.

    Labels are centred over their lines, or end there near an edge; two that would touch
    stand on either side of their lines, or else one over the other.
    """
    fig = ax.figure
    with matplotlib.rc_context(RC), at_dpi(fig, DPI):
        renderer = fig.canvas.get_renderer()
        pt = fig.dpi / 72
        for label in labels:
            label.set_multialignment("center")
            wrap_to_width(label, fig.bbox.width - 2 * edge_room(fig), renderer)
        rows = _rows(fig, list(labels), renderer)
        heights = [max(_height(t, renderer) for t in row) for row in rows]
        clear = _half(first_row, renderer) + _GAP_PT * pt
        top = clear + sum(heights) + _GAP_PT * pt * max(len(rows) - 1, 0)
        under = _half(last_row, renderer) + _GAP_PT * pt / 2
        room = ax.get_window_extent(renderer).height
        pitch = (room - top) / (last + _LAST_ROW_ROOM)  # pixels per row
        if under > _LAST_ROW_ROOM * pitch and last > 0:
            pitch = (room - top - under) / last
        pitch = max(pitch, room / (4 * (last + 1)))  # never upside down, however tall
        ax.set_ylim(last + max(under / pitch, _LAST_ROW_ROOM), -top / pitch)
        cursor = clear
        for row, height in zip(reversed(rows), reversed(heights)):  # the first label on top
            for label in row:
                label.set_va("center")
                label.set_y(-(cursor + height / 2) / pitch)
            cursor += height + _GAP_PT * pt


_LAST_ROW_ROOM = 0.65  # rows: under the last one's middle at least, for its bar or dot


def _half(texts: Sequence[Any], renderer: Any) -> float:
    """Half the height of a row's tallest text with the white box of its bold copy."""
    pad = _BOLD_PAD_PT * renderer.dpi / 72 if texts else 0.0
    return max((t.get_window_extent(renderer).height / 2 for t in texts), default=0.0) + pad


def _pad(text: Any) -> float:
    """The white box's pad around a text, in pixels."""
    patch = text.get_bbox_patch()
    if patch is None:
        return 0.0
    return patch.get_boxstyle().pad * text.get_fontsize() * text.figure.dpi / 72


def _box(text: Any, renderer: Any) -> tuple[float, float, float, float]:
    """A text's extent with its white box, in pixels."""
    box = text.get_window_extent(renderer)
    pad = _pad(text)
    return box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad


def _height(text: Any, renderer: Any) -> float:
    """A text's height with its white box, in pixels."""
    _x0, y0, _x1, y1 = _box(text, renderer)
    return y1 - y0


def _fits(fig: Figure, labels: Sequence[Any], renderer: Any) -> bool:
    """Whether the labels, in one row, end inside the figure, keep apart, and stand in the
    order of their lines."""
    room = edge_room(fig)
    by_line = sorted(labels, key=lambda t: t.get_position()[0])
    spans = [(x0, x1) for x0, _y0, x1, _y1 in (_box(t, renderer) for t in by_line)]
    if spans and (
        min(a for a, _b in spans) < room or max(b for _a, b in spans) > fig.bbox.width - room
    ):
        return False
    gap = _GAP_PT * fig.dpi / 72
    return all(left[1] + gap <= right[0] for left, right in zip(spans, spans[1:]))


def _rows(fig: Figure, labels: list[Any], renderer: Any) -> list[list[Any]]:
    """The labels in rows of the band, first row on top: in one row if some alignment fits
    (centred over its line preferred, else ending or starting there), else one a row."""
    if not labels:
        return []
    choices = sorted(
        itertools.product(("center", "right", "left"), repeat=len(labels)),
        key=lambda has: sum(ha != "center" for ha in has),
    )
    for has in choices:
        for label, ha in zip(labels, has):
            label.set_ha(ha)
        if _fits(fig, labels, renderer):
            return [labels]
    for label in labels:
        label.set_ha("center")
        x0, _y0, x1, _y1 = _box(label, renderer)
        if x1 > fig.bbox.width - edge_room(fig):
            label.set_ha("right")
        elif x0 < edge_room(fig):
            label.set_ha("left")
    return [[label] for label in labels]
