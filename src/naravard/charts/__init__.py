"""Every chart in the reports, with Swedish alt text; PNG/SVG files and HTML figures.

This module is the charts' public surface, what report/, build/ and the notebooks call
(`from naravard import charts; charts.trend_chart(…)`); the work is done in the modules:

- style: palette, rc settings, figures, Swedish tick labels, the verdict colours and marks
- inputs: what a chart reads from an indicator and the observations
- fit: margins, titles and labels fitted to the figure
- chart: the Chart (figure, alt text, caption, file stem, layering data)
- trend, ranked, heatmap, tilemap: one module per chart kind
- cache, layers: reused backgrounds and `layers.draw`, the one way a chart becomes bytes
- output: files (SVGs deferred in a report kernel), HTML figures, warming up, closing

Names not listed in `__all__` belong to their module; tests import them from there.
"""

from naravard.charts.chart import Chart
from naravard.charts.heatmap import heatmap_chart, heatmap_scores
from naravard.charts.layers import svg_layers_allowed
from naravard.charts.output import (
    chart_html,
    chart_png,
    chart_svg,
    close_chart,
    defer_svgs,
    deferring,
    figure,
    save_chart,
    warm_up,
    write_deferred_svgs,
)
from naravard.charts.ranked import ranked_chart
from naravard.charts.style import DPI, RC, TO_CHECK, new_figure
from naravard.charts.tilemap import tile_map_chart
from naravard.charts.trend import trend_chart

__all__ = [
    "Chart",
    "trend_chart",
    "ranked_chart",
    "heatmap_chart",
    "heatmap_scores",
    "tile_map_chart",
    "chart_png",
    "chart_svg",
    "save_chart",
    "write_deferred_svgs",
    "defer_svgs",
    "deferring",
    "chart_html",
    "figure",
    "warm_up",
    "close_chart",
    "svg_layers_allowed",
    "new_figure",
    "RC",
    "DPI",
    "TO_CHECK",
]
