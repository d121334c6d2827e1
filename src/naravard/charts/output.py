"""Charts as files and HTML figures: PNG and SVG on disk (SVGs deferred in a report
kernel), the `<figure>` a report template shows, and releasing a figure's memory."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from naravard.charts import layers
from naravard.charts.chart import Chart
from naravard.charts.style import DPI, RIKET_CODE
from naravard.charts.trend import trend_chart
from naravard.wording import templating


def chart_png(chart: Chart, dpi: int = DPI) -> bytes:
    """The PNG bytes, drawn once per chart and dpi: the file and the HTML embed share them."""
    drawn = chart.__dict__.setdefault("_png_cache", {})
    if dpi not in drawn:
        drawn[dpi] = layers.draw(chart, "png", dpi)
    return drawn[dpi]


def chart_svg(chart: Chart) -> bytes:
    """The SVG bytes (text stays text: editable in slides)."""
    return layers.draw(chart, "svg")


def save_chart(
    chart: Chart, directory: Path | str, dpi: int = DPI, *, svg_later: bool | None = None
) -> tuple[Path, Path]:
    """Write `<name>.png` and `<name>.svg`; the same chart gives byte-identical files.

    `svg_later`: write the SVG only when `write_deferred_svgs` runs (None: as `defer_svgs`
    set it for this process). A report kernel does that after its notebook, while the
    process that started it prints the PDF (only the PNG goes into the report), so the SVGs
    cost no time on the way to the PDF.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{chart.name}.png"
    svg = directory / f"{chart.name}.svg"
    png.write_bytes(chart_png(chart, dpi))
    if _deferring if svg_later is None else svg_later:
        _DEFERRED_SVGS.append((chart, svg))
    else:
        svg.write_bytes(chart_svg(chart))
    return png, svg


# Whether save_chart leaves SVGs for later by default in this process (`defer_svgs`).
_deferring = False


def defer_svgs(on: bool = True) -> None:
    """Let `save_chart` leave every SVG for `write_deferred_svgs` from now on (a report kernel:
    naravard.build.in_kernel), or write them at once again."""
    global _deferring
    _deferring = on


def deferring() -> bool:
    """Whether `save_chart` leaves SVGs for later in this process (`defer_svgs`)."""
    return _deferring


# The SVGs save_chart left for write_deferred_svgs, in the order they came.
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
    return templating.render("figure.html.j2", fig=figure(chart, source_line, dpi), cls="chart")


def figure(chart: Chart, source_line: str, dpi: int = DPI) -> dict[str, Any]:
    """What a report template needs to show a chart: PNG bytes, alt text, caption, source."""
    source = source_line.strip()
    if source and not source.lower().startswith("källa"):
        source = f"Källa: {source}"
    return {
        "png": chart_png(chart, dpi),
        "alt": chart.alt,
        "caption": chart.caption,
        "source": source,
    }


def warm_up() -> None:
    """Draw one small chart, so fonts and caches are loaded before the first real report."""
    frame = pd.DataFrame(
        {
            "region_code": ["0001", "0001", RIKET_CODE, RIKET_CODE],
            "year": [2023, 2024, 2023, 2024],
            "value": [1.5, 2.5, 2.0, 2.0],
        }
    )
    indicator = SimpleNamespace(
        id="warm", name="Åäö", unit="percent", direction="higher", decimals=1, primary_source=""
    )
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
