"""The mark inside every chart drawn from example data: a PNG or SVG copied into slides on its
own must still say that its values are invented (the report's banner does not travel with it)."""

from __future__ import annotations

from typing import Any

MARK = "EXEMPELDATA\ninte verkliga värden"
GID = "exempeldata"

# The import marked "slow import: see top" loads matplotlib (0,2 s, measured December 2026):
# report.common imports this module, and the batch parent that prepares jobs never draws.


def mark_example(chart: Any) -> None:
    """Draw MARK across `chart` (once), and draw the chart whole from now on.

    The layered drawing reuses backgrounds between charts; a marked chart must not share
    one with an unmarked chart, nor lose its mark to the reuse.
    """
    from matplotlib.text import Text  # slow import: see top

    fig = chart.fig
    if any(getattr(a, "get_gid", lambda: None)() == GID for a in [*fig.texts, *chart.foreground]):
        return
    mark = Text(
        0.5,
        0.5,
        MARK,
        transform=fig.transFigure,
        ha="center",
        va="center",
        rotation=15,
        fontsize=13,
        fontweight="bold",
        color="#8a1c1c",
        alpha=0.35,
        linespacing=1.2,
        multialignment="center",
        zorder=1000,
        gid=GID,
    )
    if chart.shared:  # its figure is every region's background: attached only while drawn
        chart.foreground.append(mark)
    else:
        fig.add_artist(mark)
    chart.background_key = None
    chart.layered_svg = False
