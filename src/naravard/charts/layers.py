"""Drawing a Chart into PNG or SVG bytes: `draw`, the one way a chart becomes a file.

Charts with a background key are composed from cached background layers (cache.BACKGROUNDS,
cache.SVG_BACKGROUNDS) and their own foreground artists, so a report kernel draws an
indicator's background once for all regions; the others are drawn whole. The layered SVG
copies matplotlib's private SVG renderer state, so it runs only where `svg_layers_allowed`
(naravard.speed.shortcuts checks the tested matplotlib).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from PIL import Image

from naravard.charts import cache
from naravard.charts.chart import Chart
from naravard.charts.fit import at_dpi
from naravard.charts.style import DPI, RC
from naravard.speed import shortcuts


def draw(chart: Chart, fmt: str, dpi: int = DPI) -> bytes:
    """The chart as "png" (at `dpi`) or "svg" bytes; the same chart gives the same bytes."""
    if fmt == "png":
        return _render_png(chart, dpi)
    if fmt == "svg":
        return _render_svg(chart)
    raise ValueError(f"unknown chart format {fmt!r}")


def _render_layered(chart: Chart, dpi: int) -> Any:
    """Compose the chart from cached background layers and its own foreground artists.

    The foreground artists' z-orders cut the background into layers: what lies below the
    lowest foreground artist (opaque), what lies between it and the next (transparent), and
    so on. Layers are drawn once per background key; each chart then draws only its own
    artists between them. Returns the Agg renderer holding the finished image.
    """
    tiers = sorted({artist.get_zorder() for artist in chart.foreground})
    key = (chart.background_key or "", dpi, tuple(tiers))  # the tiers decide the layers
    with at_dpi(chart.fig, dpi):
        layers = cache.remember(cache.BACKGROUNDS, key, lambda: _draw_layers(chart, tiers))
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


@contextmanager
def hidden(artists: Iterable[Any]) -> Iterator[None]:
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
    with hidden([*chart.foreground, *artists, fig.patch]):
        for i, (low, high) in enumerate(zip(bounds, bounds[1:])):
            if i == 0:  # the opaque bottom: the axes' face and all below the first tier
                members = [
                    a
                    for a in artists
                    if shown[id(a)] and (id(a) in patches or a.get_zorder() <= high)
                ]
            else:
                members = [
                    a
                    for a in artists
                    if shown[id(a)] and id(a) not in patches and low < a.get_zorder() <= high
                ]
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
def attached(chart: Chart) -> Iterator[None]:
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


def whole(chart: Chart) -> Any:
    """The chart as drawn whole: without the background twins its foreground covers."""
    return hidden(chart.twins)


def _render_png(chart: Chart, dpi: int) -> bytes:
    """An opaque RGB PNG: the figure is white, so the alpha channel carried nothing, and
    without it WeasyPrint re-encodes each image once instead of twice (colour and mask)."""
    with matplotlib.rc_context(RC), attached(chart):
        if chart.background_key is not None:
            renderer = _render_layered(chart, dpi)
            raw: Any = renderer.buffer_rgba()
        else:
            buffer_ = io.BytesIO()
            with whole(chart):
                chart.fig.savefig(buffer_, format="rgba", dpi=dpi, facecolor="white")
            renderer = chart.fig.canvas.renderer  # the one the savefig drew with, at `dpi`
            raw = buffer_.getbuffer()
    image = Image.frombuffer(
        "RGBA", (int(renderer.width), int(renderer.height)), raw, "raw", "RGBA", 0, 1
    ).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1, dpi=(dpi, dpi))
    return buffer.getvalue()


_SVG_METADATA = {"Date": None, "Creator": None}


def _render_svg(chart: Chart) -> bytes:
    """The SVG, layered where the order of the chart's artists allows it, else drawn whole."""
    with matplotlib.rc_context(RC), attached(chart):
        if chart.background_key is not None and chart.layered_svg and svg_layers_allowed():
            layered = _render_svg_layered(chart)
            if layered is not None:
                return layered.encode("utf-8")
        buffer = io.BytesIO()
        with whole(chart):
            chart.fig.savefig(buffer, format="svg", facecolor="white", metadata=_SVG_METADATA)
        return buffer.getvalue()


_SVG_STATE = ("_groupd", "_clipd", "_markers", "_hatchd")


def _svg_state_ok() -> bool:
    """matplotlib's RendererSVG still keeps its bookkeeping in the dicts `_SVG_STATE` names."""
    probe = RendererSVG(10, 10, io.StringIO())
    return all(isinstance(getattr(probe, name, None), dict) for name in _SVG_STATE)


def svg_layers_allowed() -> bool:
    """The layered SVG copies private renderer state: only on a tested matplotlib."""
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
    fig, key = chart.fig, chart.background_key or ""
    twins = {twin.get_gid(): twin.get_zorder() for twin in chart.twins}
    if None in twins:  # a twin the markup cannot be told apart by
        return None
    in_place = [a for a in chart.foreground if twins.get(a.get_gid()) == a.get_zorder()]
    on_top = [a for a in chart.foreground if a not in in_place]
    highest = max(
        (a.get_zorder() for a in _background_artists(chart) if a.get_visible()), default=-math.inf
    )
    if any(a.get_zorder() < highest for a in on_top):
        return None
    with at_dpi(fig, 72):
        width, height = fig.get_size_inches()
        out = io.StringIO()
        svg = RendererSVG(width * 72, height * 72, out, image_dpi=DPI, metadata=_SVG_METADATA)
        renderer = MixedModeRenderer(fig, width, height, DPI, svg)
        start = out.tell()

        def draw_background() -> tuple[str, dict[str, Any]]:
            with hidden(chart.foreground):
                fig.draw(renderer)
            return (out.getvalue()[start:], {name: dict(getattr(svg, name)) for name in _SVG_STATE})

        drawn_before = key in cache.SVG_BACKGROUNDS
        markup, state = cache.remember(cache.SVG_BACKGROUNDS, key, draw_background)
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
                markup = _replace_group(
                    markup, artist.get_gid(), piece.strip() if artist in in_place else ""
                )
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
            return markup[:start] + replacement + markup[tag.end() :]
    return None
