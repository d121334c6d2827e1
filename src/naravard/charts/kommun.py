"""The kommuner of a län for one indicator: a dot plot that reads in grey.

One row per kommun, best first (highest first for a neutral indicator): a filled dot for the
latest year, an open dot for the start of the change, joined by a line; a dashed line for
the län and a dotted one for Riket; a kommun without a value keeps its row, with "–" and the
reason. Shapes and line styles carry the meaning, colour does not.
"""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from naravard.charts.breaks import crosses
from naravard.charts.chart import Chart
from naravard.charts.style import CM, TEXT, SwedishFormatter
from naravard.analysis import kommun as K
from naravard.wording import text

ROW_CM = 0.28
WIDTH_CM = 9.3  # beside its text (the region report's SIDE charts)
INK = TEXT
START_GREY = "#767676"  # 4,5:1 on white
_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "xtick.labelsize": 6.5,
    "ytick.labelsize": 6.5,
    "svg.hashsalt": "naravard",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "axes.unicode_minus": True,
}


def _fmt(item: K.KommunIndicator, x: float | None) -> str:
    ind = item.indicator
    return text.fmt_value(x, ind.unit, ind.decimals, short=True)


def kommun_chart(item: K.KommunIndicator, region_name: str) -> Chart:
    """The dot plot of one indicator across the län's kommuner (see module docstring)."""
    with matplotlib.rc_context(_RC):
        return _draw(item, region_name)


def _draw(item: K.KommunIndicator, region_name: str) -> Chart:
    ind = item.indicator
    rows = item.kommuner
    n = len(rows)
    fig = Figure(figsize=(WIDTH_CM * CM, (n * ROW_CM + 2.0) * CM), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    shown = [v for k in rows for v in (k.value, k.start_value) if v is not None]
    shown += [v for v in (item.lan, item.riket) if v is not None]
    low, high = min(shown), max(shown)
    pad = (high - low) * 0.06 or abs(high) * 0.1 or 1.0
    left = 0.0 if low >= 0 and low < (high - low) * 0.6 else low - pad
    ax.set_xlim(left, high + pad)
    break_years = [b.year for b in ind.series_breaks]
    for y, k in enumerate(rows):
        if k.value is None:
            ax.text(
                left + (high + pad - left) * 0.01,
                y,
                f"–  {k.reason}",
                va="center",
                ha="left",
                fontsize=6.5,
                color=INK,
                style="italic",
            )
            continue
        if k.start_value is not None:
            # no joining line across a series break: it would read as a comparable change
            if not crosses(break_years, k.start_year, item.year):
                ax.plot([k.start_value, k.value], [y, y], color="#9A9A9A", linewidth=1.0, zorder=2)
            ax.plot(
                k.start_value,
                y,
                marker="o",
                markersize=4.5,
                markerfacecolor="white",
                markeredgecolor=START_GREY,
                markeredgewidth=1.0,
                linestyle="none",
                zorder=3,
            )
        ax.plot(k.value, y, marker="o", markersize=5.5, color=INK, linestyle="none", zorder=4)
        ax.annotate(
            _fmt(item, k.value),
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=6.5,
        )
    labels = [f"{k.name}{' *' if k.unstable else ''}" for k in rows]
    ax.set_yticks(range(n), labels)
    ax.set_ylim(n - 0.4, -0.8)
    ax.tick_params(axis="y", length=0)
    lan_name = "Länet (ovägt medel)" if item.lan_label == K.LAN_MEAN_LABEL else item.lan_label
    for value, style, label in (
        (item.lan, (0, (4, 2)), lan_name),
        (item.riket, (0, (1, 1.5)), "Riket"),
    ):
        if value is None:
            continue
        ax.axvline(value, color="#444444", linestyle=style, linewidth=1.0, zorder=1)
    ax.xaxis.set_major_formatter(SwedishFormatter())
    ax.set_xlabel(text.unit_label(ind.unit), fontsize=6.5)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    starts = sorted({k.start_year for k in rows if k.start_year is not None})
    start_word = (
        (str(starts[0]) if len(starts) == 1 else f"{starts[0]}–{starts[-1]}") if starts else ""
    )
    handles = [
        matplotlib.lines.Line2D(
            [], [], marker="o", color=INK, linestyle="none", markersize=5.5, label=str(item.year)
        )
    ]
    if start_word:
        handles.append(
            matplotlib.lines.Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor=START_GREY,
                color="#9A9A9A",
                markersize=4.5,
                label=start_word,
            )
        )
    if item.lan is not None:
        handles.append(
            matplotlib.lines.Line2D(
                [],
                [],
                color="#444444",
                linestyle=(0, (4, 2)),
                label=f"{lan_name} {_fmt(item, item.lan)}",
            )
        )
    if item.riket is not None:
        handles.append(
            matplotlib.lines.Line2D(
                [],
                [],
                color="#444444",
                linestyle=(0, (1, 1.5)),
                label=f"Riket {_fmt(item, item.riket)}",
            )
        )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
        fontsize=6.5,
        handlelength=2.2,
        borderaxespad=0.2,
        columnspacing=1.0,
    )
    order = "bäst först" if ind.direction != "neutral" else "högst först"
    # the section's heading names the indicator: the caption says only how to read the chart
    caption = (
        f"{region_name}s kommuner: fylld punkt {item.year}, ofylld "
        f"{start_word or 'tidigare år'}; {order}."
        + (" * = värde saknas något av de senaste fem åren." if item.unstable else "")
        + (" – = inget värde det året." if item.missing else "")
    )
    alt = (
        f"Punktdiagram: {ind.name.lower()} {item.year} i {region_name}s {n} kommuner: "
        + "; ".join(
            f"{k.name} {_fmt(item, k.value) if k.value is not None else 'inget värde, ' + k.reason}"
            for k in rows
        )
        + (f". Länet {_fmt(item, item.lan)}" if item.lan is not None else "")
        + (f", riket {_fmt(item, item.riket)}" if item.riket is not None else "")
        + "."
    )
    return Chart(fig=fig, alt=alt, name=f"kommuner-{ind.id}", caption=caption)
