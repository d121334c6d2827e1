"""A series break cuts every line of a trend chart: no segment joins the years either side.

A statistician reads a joined line as a comparable change; across a break it is not one.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from naravard import charts
from naravard.charts import breaks as B
from naravard.charts import cache
from naravard.config.regions import all_regions

CODES = ["0000", *(r.code for r in all_regions())]
YEARS = range(2019, 2025)


def Ind() -> SimpleNamespace:  # noqa: N802 (read as the indicator it stands for)
    return SimpleNamespace(
        id="telefon_samma_dag",
        name="Telefonsamtal till primärvården besvarade samma dag",
        unit="procent",
        direction="higher",
        decimals=1,
        primary_source="Väntetider i vården, SKR",
    )


def _frame() -> pd.DataFrame:
    rows = [
        {"region_code": code, "year": y, "gender": "T", "value": 50 + i + (y - 2019) * 2.0}
        for i, code in enumerate(CODES)
        for y in YEARS
    ]
    return pd.DataFrame(rows)


def _segments(chart: charts.Chart) -> list[tuple[float, float]]:
    """Every drawn line segment of the chart as (year from, year to)."""
    out = []
    for ax in chart.fig.axes:
        paths = [line.get_xydata() for line in ax.get_lines() if line.get_linestyle() != "None"]
        for coll in ax.collections:
            if isinstance(coll, LineCollection):
                paths += [seg for seg in coll.get_segments()]
        for xy in paths:
            xs = np.asarray(xy, dtype=float)[:, 0]
            out += [(a, b) for a, b in zip(xs[:-1], xs[1:], strict=True) if a == a and b == b]
    return out


def _series_segments(chart: charts.Chart) -> list[tuple[float, float]]:
    """As `_segments`, without the vertical break and horizontal target lines."""
    return [(a, b) for a, b in _segments(chart) if a != b and 2000 < min(a, b)]


@pytest.mark.parametrize("shared", [False, True])
def test_no_line_segment_spans_a_break(shared):
    cache.SKELETONS.clear()
    chart = charts.trend_chart(
        _frame(), Ind(), "0024", "Västerbotten", breaks=[(2024, "ny källa")], shared=shared
    )
    if shared:  # the region's own line joins the shared background only while drawn
        for artist in chart.foreground:
            chart.fig.axes[0].add_artist(artist)
    segments = _series_segments(chart)
    assert segments, "the chart draws lines"
    assert not [s for s in segments if B.crosses([2024], min(s), max(s))]
    # the years before the break are still joined: only the break cuts the line
    assert (2022, 2023) in segments
    charts.close_chart(chart)


def test_without_a_break_the_lines_run_through():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten")
    assert (2023, 2024) in _series_segments(chart)
    charts.close_chart(chart)


def test_markers_stay_on_both_sides_of_the_break():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten", breaks=[(2022, "")])
    region = chart.foreground[0]
    assert isinstance(region, Line2D) and region.get_marker() == "o"
    years = [x for x in region.get_xdata() if x == x]
    assert years == list(YEARS)
    charts.close_chart(chart)


def test_the_alt_text_describes_no_change_across_the_break():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten", breaks=[(2022, "ny")])
    assert "(2019)" not in chart.alt  # a change from 2019 would cross the break
    assert "från 76,0 % (2022) till 80,0 % (2024)" in chart.alt.replace("\u00a0", " ")
    assert "Tidsseriebrott 2022" in chart.alt
    charts.close_chart(chart)


def test_cut_at_breaks_and_pieces():
    xs, ys = B.cut_at_breaks([2019, 2020, 2021, 2022], [1, 2, 3, 4], [2021])
    assert np.isnan(xs[2]) and list(xs[[0, 1, 3, 4]]) == [2019, 2020, 2021, 2022]
    got = B.pieces([2019, 2020, 2021, 2022], [1, 2, 3, 4], [2021, 2022])
    assert [p[:, 0].tolist() for p in got] == [[2019, 2020], [2021], [2022]]
    # a gap year is no break: a missing 2020 still joins 2019 to 2021
    assert [p[:, 0].tolist() for p in B.pieces([2019, 2021], [1, 2], [])] == [[2019, 2021]]


def _kommun_item(break_year: int):
    from naravard.analysis.kommun import KommunIndicator, KommunValue

    ind = SimpleNamespace(
        id="vantetid",
        name="Väntetid",
        unit="procent",
        decimals=1,
        direction="higher",
        series_breaks=(SimpleNamespace(year=break_year, reason="ny källa"),),
    )
    rows = [
        KommunValue(
            code=f"24{n:02d}",
            name=f"Kommun {n}",
            value=60.0 + n,
            status="",
            reason="",
            last_year=2024,
            last_value=60.0 + n,
            start_year=2020,
            start_value=50.0 + n,
            change=None,
            change_judgement="",
            versus_lan="",
            kvinnor=None,
            man=None,
            unstable=False,
        )
        for n in range(3)
    ]
    return KommunIndicator(ind, 2024, rows, 61.0, "Västerbotten", 62.0)


@pytest.mark.parametrize("break_year, joined", [(2022, False), (2017, True)])
def test_kommun_chart_joins_start_and_latest_only_without_a_break_between(break_year, joined):
    from naravard.charts.kommun import kommun_chart

    chart = kommun_chart(_kommun_item(break_year), "Västerbotten")
    ax = chart.fig.axes[0]
    lines = [
        line
        for line in ax.get_lines()
        if line.get_linestyle() not in ("None", "none")
        and len(line.get_xdata()) == 2
        and line.get_ydata()[0] == line.get_ydata()[1]
        and line.get_xdata()[0] != line.get_xdata()[1]
    ]
    assert bool(lines) is joined
    charts.close_chart(chart)
