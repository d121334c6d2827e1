"""A chart for a slide: a large PNG and an SVG that carry their source line inside the image.

A slide keeps only the picture, so the "Källa: …" that the PDF prints under a chart must be in
the picture itself. The source goes into a strip below the chart, never into the figure's
layout: the chart is drawn exactly as in the report, only larger, and no label moves.
"""

from __future__ import annotations

import io
import math
import re
import struct
import textwrap
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageDraw, ImageFont

from naravard.charts import layers
from naravard.charts.chart import Chart
from naravard.charts.style import RC

SLIDE_WIDTH_PX = 1600  # sharp on a full-width 16:9 slide and a projector
SOURCE_PT = 7.5  # the size of the report's chart notes
SOURCE_COLOUR = "#444444"
MARGIN_PT = 4.0  # left and right of the source line, and above and below it
LINE_GAP = 1.3  # line height as a multiple of the font size


def slide_dpi(chart: Chart) -> int:
    """The dpi at which the chart is at least `SLIDE_WIDTH_PX` wide."""
    width_in = float(chart.fig.get_size_inches()[0])
    return math.ceil(SLIDE_WIDTH_PX / width_in)


@lru_cache(maxsize=8)
def _font(px: int) -> Any:
    path = findfont(FontProperties(family=RC["font.sans-serif"]))
    return ImageFont.truetype(path, px)


@lru_cache(maxsize=256)  # a report's charts share a few sources and widths
def source_lines(source: str, width_pt: float) -> tuple[str, ...]:
    """The source line wrapped to the chart's width (measured with the chart's font)."""
    font = _font(100)  # measured at 100 px: the width in points is then text length × size/100
    usable = max(width_pt - 2 * MARGIN_PT, 20.0)
    words = re.sub(r"[ \t\r\n]+", " ", source).strip()  # no-break spaces stay
    lines: list[str] = []
    # the longest wrap whose lines all fit, from at most what fits of the narrowest letters
    widest = min(len(words), int(usable / (SOURCE_PT * 0.25)) + 1)
    for chars in range(widest, 0, -1):
        lines = textwrap.wrap(words, chars, break_long_words=False)
        if all(font.getlength(line) * SOURCE_PT / 100 <= usable for line in lines):
            break
    return tuple(lines)


def _strip_pt(lines: Sequence[str]) -> float:
    return 2 * MARGIN_PT + len(lines) * SOURCE_PT * LINE_GAP if lines else 0.0


def _rgba(chart: Chart, dpi: int) -> np.ndarray:
    """The chart's pixels at `dpi` (height × width × RGBA), drawn whole.

    Not through the layered backgrounds (naravard.charts.layers): at this size a layer takes
    9 MB, and building the layers costs more than drawing the chart whole, which only a
    kernel running many regions would win back (measured in docs/speed.md).
    """
    buffer = io.BytesIO()
    original = chart.fig.canvas
    # a canvas of its own: its renderer (10–15 MB at this size) goes with it, instead of
    # staying with the figure, which a report kernel keeps (shared charts' backgrounds)
    canvas = FigureCanvasAgg(chart.fig)
    try:
        with matplotlib.rc_context(RC), layers.attached(chart), layers.whole(chart):
            chart.fig.savefig(buffer, format="rgba", dpi=dpi, facecolor="white")
            width, height = canvas.renderer.width, canvas.renderer.height
    finally:
        chart.fig.set_canvas(original)
    return np.frombuffer(buffer.getbuffer(), np.uint8).reshape(int(height), int(width), 4)


def slide_png(chart: Chart, source: str) -> bytes:
    """The chart at least 1 600 px wide with `source` in a strip below it, as PNG bytes."""
    dpi = slide_dpi(chart)
    drawn = _rgba(chart, dpi)
    height, width = drawn.shape[:2]
    px = dpi / 72
    lines = source_lines(source, width / px)
    strip = Image.new("RGB", (width, math.ceil(_strip_pt(lines) * px)), "white")
    draw = ImageDraw.Draw(strip)
    font = _font(round(SOURCE_PT * px))
    for i, line in enumerate(lines):
        draw.text(
            (MARGIN_PT * px, (MARGIN_PT + i * SOURCE_PT * LINE_GAP) * px),
            line,
            font=font,
            fill=SOURCE_COLOUR,
        )
    rows = np.empty((height + strip.height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # PNG filter "none" on every row
    pixels = rows[:, 1:].reshape(len(rows), width, 3)
    pixels[:height] = drawn[..., :3]  # the figure is opaque white: alpha carries nothing
    pixels[height:] = np.asarray(strip)
    return png_bytes(rows, width, dpi)


def png_bytes(rows: np.ndarray, width: int, dpi: int) -> bytes:
    """An RGB PNG of filtered `rows` (a filter byte, then the row's RGB): zlib's fastest level
    and no per-row filter search. PIL's encoder searches a filter for every row, which took
    twice as long for a chart (35 ms against 15 ms at 1 600 px) for 10 % smaller files."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(rows, 1)),
            chunk(b"IEND", b""),
        )
    )


_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_NUMBER = r"([0-9.]+)"


def svg_with_source(svg: bytes, source: str) -> bytes:
    """The SVG made taller by a strip below the chart holding `source` as text."""
    markup = svg.decode("utf-8")
    tag = _SVG_TAG.search(markup)
    view = re.search(rf'viewBox="0 0 {_NUMBER} {_NUMBER}"', tag.group()) if tag else None
    if tag is None or view is None or not source.strip():
        return svg
    width, height = float(view.group(1)), float(view.group(2))
    lines = source_lines(source, width)
    taller = height + _strip_pt(lines)
    new_tag = tag.group().replace(view.group(), f'viewBox="0 0 {width:g} {taller:g}"')
    new_tag = re.sub(r'height="[0-9.]+pt"', f'height="{taller:g}pt"', new_tag)
    texts = "".join(
        f'<text x="{MARGIN_PT:g}" y="{height + MARGIN_PT + (i + 0.8) * SOURCE_PT * LINE_GAP:g}" '
        f"style=\"font-family:'DejaVu Sans', sans-serif; font-size:{SOURCE_PT:g}px; "
        f'fill:{SOURCE_COLOUR}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    strip = (
        f'<g id="kalla"><rect x="0" y="{height:g}" width="{width:g}" '
        f'height="{taller - height:g}" style="fill:#ffffff"/>{texts}</g>\n'
    )
    end = markup.rstrip().rfind("</svg>")
    return (
        markup[: tag.start()] + new_tag + markup[tag.end() : end] + strip + markup[end:]
    ).encode("utf-8")


Each = Callable[..., None]  # (items, work, *, before): how the items are shared out


def in_turn(
    items: Sequence[Any], work: Callable[[Any], None], *, before: Callable[[], object] | None = None
) -> None:
    """`before()`, then `work(item)` for each item, here."""
    if before is not None:
        before()
    for item in items:
        work(item)


def write_large(
    jobs: Sequence[tuple[Chart, Path, str]],
    *,
    before: Callable[[], object] | None = None,
    each: Each = in_turn,
) -> None:
    """Write each (chart, path, source) as `slide_png`, after `before()`.

    `each` shares the charts out: a report kernel draws half of them in a forked copy of
    itself (naravard.speed.forked, set by naravard.build.in_kernel), since the large
    drawings are the slowest files of a report.
    """
    each(jobs, lambda job: job[1].write_bytes(slide_png(job[0], job[2])), before=before)
