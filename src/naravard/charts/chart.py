"""The Chart: a figure with its Swedish alt text, caption and file name, and what the
layered drawing needs to reuse a background shared by every region's chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure


@dataclass
class Chart:
    """One chart: the figure, what a reader without the image is told, and its file stem."""

    fig: Figure
    alt: str  # Swedish, states the key numbers
    name: str  # file stem
    caption: str
    # Artists that differ between regions, and a key naming everything else: charts whose
    # backgrounds are equal share one drawing of it (see `naravard.charts.layers`).
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
    # indicator draws on (see `cache.SKELETONS`); its foreground artists join it only while the
    # chart is drawn. Such a Chart is for files and reports, not for an analyst's `fig`.
    shared: bool = False
