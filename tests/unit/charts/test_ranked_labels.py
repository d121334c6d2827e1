"""Ranked charts: Riket's and the target's labels, the focus region's bold name and value,
and the value axis's numbers never overlap each other, the axis line or the figure's edge.

The reader's case (riksrapporten 2024, HbA1c): "Mål: högst 10 %" sat on the axis line next
to its "10,0"; the last tick label ran out of the figure ("15,(").
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from naravard import charts
from naravard.charts import fit, style
from naravard.config.regions import all_regions

NAMES = {r.code: r.name for r in all_regions()}
NATIONAL = (9.3, 8.2)  # report/national.py RANKED_SIZE
PAIR = (8.55, 7.4)  # report/region.py PAIR


def _ind(**changes) -> SimpleNamespace:
    """The riksrapport's HbA1c indicator, as the chart reads it, with `changes`."""
    fields = dict(
        id="hba1c_over_70",
        name="Högt blodsocker (HbA1c över 70) vid diabetes i primärvården",
        unit="procent",
        direction="lower",
        decimals=0,
        primary_source="Nationella diabetesregistret",
        target=10.0,
        target_text="högst 10 %",
    )
    return SimpleNamespace(**{**fields, **changes})


def _frame(values: list[float], riket: float) -> pd.DataFrame:
    codes = list(NAMES)
    rows = [{"region_code": c, "year": 2024, "value": v} for c, v in zip(codes, values)]
    rows.append({"region_code": "0000", "year": 2024, "value": riket})
    return pd.DataFrame(rows)


# the riksrapport's HbA1c values 2024: 5 to 12 %, Riket 8 %, the target 10 %
HBA1C = [5, 6, 6, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 10, 10, 12]
# dots: 67 to 80 %, Riket 72 %, the target 65 % (blodtryck vid diabetes)
PRESSURE = [80, 78, 76, 76, 75, 74, 73, 72, 72, 72, 71, 71, 70, 70, 70, 70, 69, 69, 69, 69, 67]
LONG = "riktvärde 1 100 invånare per specialist i allmänmedicin"

CASES = {
    "hba1c": (_ind(), HBA1C, 8.0),
    "riket-och-mal-lika": (_ind(), HBA1C, 10.0),
    "riket-nara-malet": (_ind(), HBA1C, 9.6),
    "mal-vid-hogsta-vardet": (_ind(target=12.0, target_text="högst 12 %"), HBA1C, 8.0),
    "mal-vid-noll": (_ind(target=0.0, target_text="0 %"), HBA1C, 8.0),
    "punkter": (_ind(direction="higher", target=65.0, target_text="minst 65 %"), PRESSURE, 72.0),
    "punkter-riket-vid-malet": (
        _ind(direction="higher", target=72.0, target_text="minst 72 %"),
        PRESSURE,
        72.0,
    ),
    "lang-maltext": (_ind(target=11.0, target_text=LONG), HBA1C, 8.0),
    "utan-mal": (_ind(target=None, target_text=None), HBA1C, 8.0),
}
# the national report's chart and a region's, its own row first, in the middle and last
FOCUS = [(None, NATIONAL), ("0001", PAIR), ("0024", PAIR), ("0025", PAIR), ("0003", PAIR)]


def _boxes(chart):
    """Every text drawn in the chart, as drawn at the PNG's resolution: (text, box) with its
    white box; the focus region's plain twins, under their bold copies, left out."""
    fig = chart.fig
    ax = fig.axes[0]
    twins = {id(t) for t in chart.twins}
    with fit.at_dpi(fig, style.DPI):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = []
        for t in ax.texts:
            if id(t) in twins or not t.get_visible() or not t.get_text():
                continue
            patch = t.get_bbox_patch()
            box = t.get_window_extent(renderer)
            if patch is not None:
                box = type(box).union([box, patch.get_window_extent(renderer)])
            texts.append((t.get_text(), box))
        lo, hi = sorted(ax.get_xlim())
        ticks = [
            (tick.label1.get_text(), tick.label1.get_window_extent(renderer))
            for tick in ax.xaxis.get_major_ticks()
            if lo <= tick.get_loc() <= hi and tick.label1.get_visible()
        ]
        return texts, ticks, ax.get_window_extent(renderer).frozen(), fig.bbox.frozen()


def _apart(a, b) -> bool:
    return a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


@pytest.mark.parametrize("focus,size", FOCUS, ids=lambda v: str(v))
@pytest.mark.parametrize("case", CASES)
def test_ranked_line_labels_keep_clear_of_every_other_text(case, focus, size):
    ind, values, riket = CASES[case]
    chart = charts.ranked_chart(_frame(values, riket), ind, focus, 2024, NAMES, size=size)
    texts, ticks, axes, figure = _boxes(chart)
    lines = [(s, b) for s, b in texts if s.startswith(("Riket ", "Mål: "))]
    assert len(lines) == 1 + (ind.target is not None)
    focus = {t.get_text() for t in chart.foreground if hasattr(t, "get_text")}
    bold = [(s, b) for s, b in texts if s in focus]
    for text, box in lines:
        for other, other_box in texts + ticks:
            if other_box is not box:
                assert _apart(box, other_box), f"{text!r} overlaps {other!r}"
    for text, box in bold:  # the focus row's name and value, on its first or last row too
        for other, other_box in lines + ticks:
            assert _apart(box, other_box), f"{text!r} overlaps {other!r}"
        if box.x1 > axes.x0:  # a value, over the axis line; a name ends left of it
            assert box.y0 > axes.y0, f"{text!r} on the value axis"
        assert box.y1 <= axes.y1, f"{text!r} over the plot area's top"
    for text, box in lines:
        assert box.y0 > axes.y0, f"{text!r} on the value axis"
        assert box.y1 <= axes.y1 + 1, f"{text!r} over the plot area's top"
    for text, box in lines + ticks:
        assert 0 <= box.x0 and box.x1 <= figure.width, f"{text!r} cut off at the edge"
    charts.close_chart(chart)


def test_a_long_target_text_is_wrapped_inside_the_figure():
    ind, values, riket = CASES["lang-maltext"]
    chart = charts.ranked_chart(_frame(values, riket), ind, None, 2024, NAMES, size=PAIR)
    (label,) = [t for t in chart.fig.axes[0].texts if t.get_text().startswith("Mål:")]
    assert "\n" in label.get_text()
    assert " ".join(label.get_text().split()) == f"Mål: {LONG}"  # nothing lost


@pytest.mark.parametrize("focus", ["0024", "0003"])
def test_the_focus_rows_white_boxes_keep_to_their_row(focus):
    """The bold copies' white boxes, as tall as the font, hid half the neighbours' names
    ("15  Uppsala" under "14  Västerbotten"); clipped to their row they cover at most a
    sliver over half a row each way."""
    ind, values, riket = CASES["hba1c"]
    chart = charts.ranked_chart(_frame(values, riket), ind, focus, 2024, NAMES, size=PAIR)
    fig, ax = chart.fig, chart.fig.axes[0]
    with fit.at_dpi(fig, style.DPI):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        pitch = abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
        for copy in [a for a in chart.foreground if hasattr(a, "get_text")]:
            assert copy.get_clip_on(), copy.get_text()
            band = copy.get_clip_box().frozen()  # matplotlib keeps a clip rectangle as a box
            drawn = copy.get_bbox_patch().get_window_extent(renderer)
            assert drawn.height > pitch  # the box alone would reach into the neighbours
            assert abs(band.height) <= 1.1 * pitch + 0.5, copy.get_text()
            centre = ax.transData.transform((0, copy.get_position()[1]))[1]
            assert min(band.y0, band.y1) <= centre <= max(band.y0, band.y1), copy.get_text()
    charts.close_chart(chart)
