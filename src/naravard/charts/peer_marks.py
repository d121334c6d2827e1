"""Marking the focus region's peers in a ranked chart so that the marks survive grey print.

A peer's row gets its name and value in bold and its bar a dark outline (a dot a dark ring):
three cues that need no colour, drawn over the plain row like the focus region's own marks
(foreground artists over their twins, so the shared background stays the same for all).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.patches

from naravard.charts.fit import bold_copy
from naravard.charts.style import TEXT

OUTLINE = "#1A1A1A"  # near black: an outline reads in grey print where a hue would not


def mark_peers(
    ax: Any, plain: Any, codes: Sequence[str], peers: Sequence[str], focus: str | None, dots: bool
) -> tuple[list[Any], list[Any]]:
    """(foreground artists, the plain artists they cover) for every peer with a value."""
    foreground: list[Any] = []
    twins: list[Any] = []
    for code in peers:
        if code == focus or code not in codes:
            continue
        row = codes.index(code)
        bar, name, value = plain.bars[row], plain.names[row], plain.values[row]
        if dots:
            x, y = bar.get_data()
            drawn = ax.plot(
                x,
                y,
                linestyle="none",
                marker="o",
                markersize=bar.get_markersize() + 1.0,
                color=bar.get_color(),
                markeredgecolor=OUTLINE,
                markeredgewidth=1.3,
                zorder=6,
            )[0]
        else:
            drawn = ax.add_patch(
                matplotlib.patches.Rectangle(
                    bar.get_xy(),
                    bar.get_width(),
                    bar.get_height(),
                    facecolor=bar.get_facecolor(),
                    edgecolor=OUTLINE,
                    linewidth=1.1,
                    zorder=2,
                )
            )
        texts = [bold_copy(ax, artist, color=TEXT, zorder=6, pad=0.1) for artist in (name, value)]
        for artist, twin in zip((drawn, *texts), (bar, name, value)):
            artist.set_gid(twin.get_gid())
            foreground.append(artist)
            twins.append(twin)
    return foreground, twins
