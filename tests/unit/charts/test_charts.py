"""Charts: alt text with the key numbers, integer year ticks, files, HTML, determinism."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from naravard import charts
from svg_text import assert_draws
from naravard.charts import cache, fit, inputs, layers, style
from naravard.charts.ranked import axis_start, ranked_dots
from naravard.wording.chart_text import ZERO_NOTE
from naravard.wording.text import fmt_number
from naravard.config.regions import all_regions

NB = "\u00a0"


@dataclass(frozen=True)
class Ind:
    id: str = "medicinsk_bedomning_3d"
    name: str = "Medicinsk bedömning inom tre dagar"
    unit: str = "procent"
    direction: str = "higher"
    decimals: int = 1
    primary_source: str = "Väntetider i vården (SKR)"
    target: float | None = None
    target_text: str | None = None
    min_change: float = 0.0

    @property
    def is_percent(self) -> bool:
        return self.unit == "procent"


NAMES = {r.code: r.name for r in all_regions()}


def _frame(years=range(2019, 2025)) -> pd.DataFrame:
    """Every region and Riket; Västerbotten rises from 72.1 to 79.5, Riket ends at 82.0."""
    rows = []
    rng = np.random.default_rng(1)
    years = list(years)
    for i, code in enumerate(["0000", *NAMES]):
        for k, year in enumerate(years):
            if code == "0024":
                value = 72.1 + (79.5 - 72.1) * k / max(len(years) - 1, 1)
            elif code == "0000":
                value = 80.0 + 2.0 * k / max(len(years) - 1, 1)
            else:
                value = 40 + 2 * i + rng.normal(0, 2)
            rows.append({"region_code": code, "year": year, "gender": "T", "value": value})
    return pd.DataFrame(rows)


def _tight_frame() -> pd.DataFrame:
    """As `_frame`, but the other regions between 80 and 83: a ranked chart of dots."""
    frame = _frame()
    others = ~frame["region_code"].isin(["0024", "0000"])
    frame.loc[others, "value"] = 80 + (frame.index[others] % 4)
    return frame


RANKED_FRAMES = {"staplar": _frame, "punkter": _tight_frame}


def _tick_years(ax) -> list[float]:
    lo, hi = ax.get_xlim()
    return [t for t in ax.get_xticks() if lo <= t <= hi]


# ------------------------------------------------------------------ trend


def test_trend_chart_alt_states_region_and_numbers():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten")
    assert isinstance(chart.fig, Figure)
    assert chart.alt == (
        f"Linjediagram: Medicinsk bedömning inom tre dagar i Västerbotten 2019–2024, från "
        f"72,1{NB}% (2019) till 79,5{NB}% (2024); riket 82,0{NB}% 2024. "
        "Övriga 20 regioner visas som tunna grå linjer."
    )
    assert chart.name == "trend-medicinsk-bedomning-3d-0024"
    assert "Västerbotten" in chart.caption


def test_trend_chart_years_are_whole_numbers_within_the_data():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten")
    ax = chart.fig.axes[0]
    ticks = _tick_years(ax)
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert min(ticks) >= 2019 and max(ticks) <= 2024
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "2024" in labels and not any("," in label or "." in label for label in labels)


def test_trend_chart_y_axis_uses_decimal_comma():
    frame = _frame()
    frame["value"] = frame["value"] / 40  # small values, so ticks need decimals
    chart = charts.trend_chart(frame, Ind(), "0024", "Västerbotten")
    ax = chart.fig.axes[0]
    formatter = ax.yaxis.get_major_formatter()
    formatter.set_locs([1.5, 2.0, 2.5])
    assert [formatter(x) for x in (1.5, 2.0, 2.5)] == ["1,5", "2,0", "2,5"]
    assert formatter(-1.5) == "\u22121,5"


def test_trend_chart_direct_labels_and_breaks():
    chart = charts.trend_chart(
        _frame(), Ind(), "0024", "Västerbotten", breaks=[(2021, "ny mätmetod")]
    )
    texts = [t.get_text() for t in chart.fig.axes[0].texts]
    assert f"Västerbotten 79,5{NB}%" in texts
    assert f"Riket 82,0{NB}%" in texts
    assert "Tidsseriebrott 2021" in texts
    assert "Tidsseriebrott 2021 (ny mätmetod)" in chart.alt


def test_trend_chart_context_lines_are_grey_and_not_in_a_legend():
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten")
    ax = chart.fig.axes[0]
    assert ax.get_legend() is None
    (context,) = ax.collections
    assert {matplotlib.colors.to_hex(c) for c in context.get_colors()} == {
        style.CONTEXT_GREY.lower()
    }
    assert len(context.get_segments()) == 21  # the focus region's lies under its bold line
    assert "Övriga 20 regioner" in chart.alt
    region = [ln for ln in ax.lines if ln.get_color() == style.BLUE][0]
    riket = [ln for ln in ax.lines if ln.get_color() == style.VERMILLION][0]
    # Not colour alone: different markers and line styles.
    assert region.get_marker() != riket.get_marker()
    assert region.get_linestyle() != riket.get_linestyle()


def test_trend_chart_region_without_values_says_so():
    frame = _frame()
    frame = frame[frame["region_code"] != "0009"]
    chart = charts.trend_chart(frame, Ind(), "0009", "Gotland")
    assert "Gotland saknar värden" in chart.alt


def test_trend_chart_years_filter_and_nan_values():
    frame = _frame()
    frame.loc[(frame.region_code == "0024") & (frame.year == 2024), "value"] = math.nan
    chart = charts.trend_chart(frame, Ind(), "0024", "Västerbotten", years=[2022, 2023, 2024])
    assert "2022–2024" in chart.alt and "(2023)" in chart.alt and "nan" not in chart.alt


# ------------------------------------------------------------------ ranked


def test_ranked_chart_sorts_best_first_and_highlights_focus():
    chart = charts.ranked_chart(_frame(), Ind(), "0024", 2024, NAMES)
    ax = chart.fig.axes[0]
    # the region names are plain texts right-aligned at the axis (not tick labels); the focus
    # region's plain name is a twin under its bold one, left out of a whole drawing
    labels = [
        t
        for t in ax.texts
        if not any(t is twin for twin in chart.twins)
        and t.get_position()[0] == 0
        and t.get_horizontalalignment() == "right"
    ]
    labels.sort(key=lambda t: t.get_position()[1])
    names = [t.get_text().split("  ", 1)[1] for t in labels]
    places = [t.get_text().split("  ", 1)[0] for t in labels]
    assert places == [str(i) for i in range(1, 22)]  # every bar says its place
    assert [t.get_position()[1] for t in labels] == list(range(21))
    assert not ax.get_yticks().size
    values = [bar.get_width() for bar in ax.patches if bar.get_height() > 0.5][:21]
    assert len(names) == 21
    assert values == sorted(values, reverse=True)
    focus = labels[names.index("Västerbotten")]
    assert focus.get_fontweight() == "bold" and focus.get_color() == style.BLUE
    assert all(t.get_fontweight() == "normal" for t in labels if t is not focus)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1
    assert "Västerbotten ligger på plats" in chart.alt and f"79,5{NB}%" in chart.alt
    assert f"riket 82,0{NB}%" in chart.alt
    texts = [t.get_text() for t in ax.texts]
    assert f"79,5{NB}%" in texts and f"Riket 82,0{NB}%" in texts


def test_ranked_chart_lower_is_better_sorts_ascending_and_shows_target():
    ind = Ind(direction="lower", target=70.0, target_text="högst 70 %")
    chart = charts.ranked_chart(_frame(), ind, "0024", 2024, NAMES)
    ax = chart.fig.axes[0]
    values = [bar.get_width() for bar in ax.patches][:21]
    assert values == sorted(values)
    assert any(t.get_text() == "Mål: högst 70 %" for t in ax.texts)
    assert "Målet är högst 70 %." in chart.alt


def test_ranked_chart_rank_in_alt_is_direction_aware():
    frame = pd.DataFrame(
        {
            "region_code": ["0001", "0003", "0024", "0000"],
            "year": [2024] * 4,
            "value": [10.0, 20.0, 30.0, 18.0],
        }
    )
    higher = charts.ranked_chart(frame, Ind(), "0024", 2024, NAMES)
    lower = charts.ranked_chart(frame, Ind(direction="lower"), "0024", 2024, NAMES)
    assert "plats 1 av 3" in higher.alt
    assert "plats 3 av 3" in lower.alt
    tied = frame.assign(value=[10.0, 30.0, 30.0, 18.0])
    chart = charts.ranked_chart(tied, Ind(), "0024", 2024, NAMES)
    assert "plats 1–2 av 3 (delad med 1 annan)" in chart.alt
    # the tied bars carry the same place label, the third its own
    labels = sorted(t.get_text() for t in chart.fig.axes[0].texts if "  " in t.get_text())
    assert labels == ["1–2  Uppsala", "1–2  Västerbotten", "1–2  Västerbotten", "3  Stockholm"]
    # ties are judged at the published precision: 30,04 and 29,96 are both 30,0
    close = frame.assign(value=[10.0, 30.04, 29.96, 18.0])
    assert "plats 1–2 av 3" in charts.ranked_chart(close, Ind(), "0024", 2024, NAMES).alt
    neutral = charts.ranked_chart(frame, Ind(direction="neutral"), "0024", 2024, NAMES)
    assert "plats" not in neutral.alt and "från högst till lägst" in neutral.alt


def test_ranked_chart_alt_text_reads_as_sentences_with_and_without_a_focus_region():
    national = charts.ranked_chart(_frame(), Ind(), None, 2024, NAMES).alt
    assert (
        national.startswith("Stapeldiagram: ")
        and f"från bäst till sämst; riket 82,0{NB}%." in national
    )
    region = charts.ranked_chart(_frame(), Ind(), "0024", 2024, NAMES).alt
    assert "sämst. Västerbotten ligger på plats" in region
    for alt in (national, region):
        assert ".;" not in alt and ". ." not in alt and ".." not in alt


def test_ranked_chart_focus_missing():
    frame = _frame()
    frame = frame[frame["region_code"] != "0024"]
    chart = charts.ranked_chart(frame, Ind(), "0024", 2024, NAMES)
    assert "Västerbotten saknar värde 2024" in chart.alt
    assert "Värde saknas för Västerbotten." in chart.alt


# ------------------------------------------------------------------ heatmap, tiles


def _heat():
    values = pd.DataFrame(
        {"A": [80.0, 70.0, np.nan], "B": [10.0, 14.0, 12.0], "N": [5.0, 6.0, 7.0]},
        index=["Västerbotten", "Norrbotten", "Gotland"],
    )
    riket = pd.Series({"A": 75.0, "B": 12.0, "N": 6.0})
    scores = charts.heatmap_scores(values, riket, {"A": "higher", "B": "lower", "N": "neutral"})
    labels = values.map(lambda x: fmt_number(x, 1))
    return values, scores, labels


def test_heatmap_scores_are_direction_aware():
    _values, scores, _labels = _heat()
    assert scores.loc["Västerbotten", "A"] > 0  # higher and above Riket: better
    assert scores.loc["Västerbotten", "B"] > 0  # lower and below Riket: better
    assert scores.loc["Norrbotten", "B"] < 0
    assert math.isnan(scores.loc["Gotland", "A"])


def test_heatmap_chart_prints_symbols_and_values():
    _values, scores, labels = _heat()
    chart = charts.heatmap_chart(scores, labels, neutral=["N"], highlight="Västerbotten")
    texts = [t.get_text() for t in chart.fig.axes[0].texts]
    assert "▲ 80,0" in texts and "▼ 70,0" in texts and "▲ 10,0" in texts
    assert "5,0" in texts  # neutral: no arrow
    assert "–" in texts  # missing
    assert "3 regioner och 3 indikatorer" in chart.alt
    assert "Västerbotten (2 av 2)" in chart.alt


def test_heatmap_cells_near_riket_are_white_and_marked_as_such():
    """The heat map marked 0,2 p.e. from Riket as better: with the verdicts of
    judgements.versus_riket a cell within min_change is white with ≈, never ▲/▼."""
    scores = pd.DataFrame({"A": [0.25, 12.0, -9.0]}, index=["X", "Y", "Z"])
    labels = pd.DataFrame({"A": ["87,2 %", "97,5 %", "79,0 %"]}, index=scores.index)
    verdicts = pd.DataFrame(
        {"A": ["nära riket", "bättre än riket", "sämre än riket"]}, index=scores.index
    )
    chart = charts.heatmap_chart(scores, labels, title="T", verdicts=verdicts)
    ax = chart.fig.axes[0]
    cells = [p for p in ax.patches if p.get_width() == 1]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["≈ 87,2 %", "▲ 97,5 %", "▼ 79,0 %"]
    assert np.allclose(cells[0].get_facecolor(), to_rgba(style.NEAR_FACE))
    assert not np.allclose(cells[1].get_facecolor(), to_rgba(style.NEAR_FACE))
    assert "≈ nära riket" in chart.alt and "1 ruta ligger nära riket" in chart.alt
    assert "nära riket" in chart.caption
    assert "≈ nära riket" in chart.fig.get_supxlabel()


def test_tile_map_chart():
    values = {r.code: 60.0 + i for i, r in enumerate(all_regions())}
    values["0009"] = math.nan
    values["0024"] = 79.5
    chart = charts.tile_map_chart(values, Ind(), all_regions(), year=2024, highlight="0024")
    ax = chart.fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert f"79,5{NB}%" in texts and "–" in texts and "Gotland" in texts
    assert "Värde saknas för Gotland" in chart.alt and f"Västerbotten 79,5{NB}%" in chart.alt
    assert "i 20 av 21 regioner" in chart.alt
    # Row 0 is at the top: Norrbotten (row 0) is drawn above Skåne (row 7).
    y = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert ax.yaxis_inverted() and y["Norrbotten"] < y["Skåne"]


def test_text_colour_contrasts():
    assert style.text_colour("#000000") == "white"
    assert style.text_colour("#FFFFFF") == "black"
    assert style.text_colour("#FFE945") == "black"


# ------------------------------------------------------------------ output


def test_save_chart_writes_png_and_svg(tmp_path):
    chart = charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten")
    png, svg = charts.save_chart(chart, tmp_path / "figurer")
    assert png.name == "trend-medicinsk-bedomning-3d-0024.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert_draws(
        svg.read_bytes(),
        "Medicinsk bedömning inom tre dagar",
        "Västerbotten 79,5",
        "Riket 82,0",
        "2019",
        "2024",
    )


def test_png_is_opaque_rgb_at_the_print_resolution():
    """No alpha channel: WeasyPrint then re-encodes each chart once, not colour and mask."""
    import io

    from PIL import Image

    chart = charts.ranked_chart(_frame(), Ind(), "0024", 2024, NAMES)
    image = Image.open(io.BytesIO(charts.chart_png(chart)))
    width, height = chart.fig.get_size_inches()
    assert image.mode == "RGB"
    assert image.size == (int(width * charts.DPI), int(height * charts.DPI))
    assert round(image.info["dpi"][0]) == charts.DPI
    assert image.getpixel((0, 0)) == (255, 255, 255)  # white page, not transparent black
    assert charts.chart_png(chart, dpi=65) != charts.chart_png(chart)


def test_svg_is_deterministic(tmp_path):
    first = charts.save_chart(
        charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten"), tmp_path / "a"
    )
    second = charts.save_chart(
        charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten"), tmp_path / "b"
    )
    assert first[1].read_bytes() == second[1].read_bytes()
    assert first[0].read_bytes() == second[0].read_bytes()
    assert b"<dc:date>" not in first[1].read_bytes()
    assert_draws(first[1].read_bytes(), "Medicinsk bedömning inom tre dagar", "Västerbotten 79,5")


def test_svg_left_for_later_is_written_by_write_deferred_svgs_and_is_the_same(tmp_path):
    """A report kernel leaves the SVGs for after the notebook (naravard.build.kernels)."""
    now = charts.save_chart(
        charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten"), tmp_path / "nu"
    )
    png, svg = charts.save_chart(
        charts.trend_chart(_frame(), Ind(), "0024", "Västerbotten"),
        tmp_path / "sen",
        svg_later=True,
    )
    assert png.is_file() and not svg.exists()
    assert charts.write_deferred_svgs() == 1
    assert svg.read_bytes() == now[1].read_bytes()
    assert_draws(svg.read_bytes(), "Medicinsk bedömning inom tre dagar", "Västerbotten 79,5")
    assert charts.write_deferred_svgs() == 0


def test_chart_html_escapes_everything():
    frame = _frame()
    chart = charts.trend_chart(
        frame, Ind(name="<script>alert(1)</script>"), "0024", 'Väster"botten <b>'
    )
    out = charts.chart_html(chart, "Kolada & <SKR>")
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out
    assert "Källa: Kolada &amp; &lt;SKR&gt;" in out
    assert re.search(
        r'<img alt="[^"]*&#34;[^"]*" src="data:image/png;base64,[A-Za-z0-9+/=]+">', out
    )
    assert out.startswith('<figure class="chart">') and out.endswith("</figure>")
    # The figure stays usable after rendering (save after html must still work).
    assert charts.chart_png(chart)[:4] == b"\x89PNG"


def test_no_figures_leak_into_pyplot():
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    for _ in range(3):
        charts.chart_html(charts.ranked_chart(_frame(), Ind(), "0024", 2024, NAMES), "Kolada")
    assert len(plt.get_fignums()) == before


def test_real_snapshot_trend(snapshot_dir):
    payload = json.loads((snapshot_dir / "data" / "N79173.json").read_text(encoding="utf-8"))
    rows = [
        {
            "region_code": v["municipality"],
            "year": v["period"],
            "gender": x["gender"],
            "value": x["value"],
        }
        for v in payload["values"]
        for x in v["values"]
    ]
    frame = pd.DataFrame(rows)
    chart = charts.trend_chart(frame, Ind(), "0024", "Västerbotten")
    assert "Västerbotten" in chart.alt and re.search(r"\d+,\d\u00a0%", chart.alt)
    assert all(float(t).is_integer() for t in _tick_years(chart.fig.axes[0]))


@pytest.mark.parametrize("builder", ["trend", "ranked"])
def test_empty_frames_do_not_crash(builder):
    empty = pd.DataFrame(columns=["region_code", "year", "value"])
    if builder == "trend":
        chart = charts.trend_chart(empty, Ind(), "0024", "Västerbotten")
    else:
        chart = charts.ranked_chart(empty, Ind(), "0024", 2024, NAMES)
    assert "Västerbotten" in chart.alt
    assert charts.chart_png(chart)[:4] == b"\x89PNG"


# --- layered drawing: one background per indicator, the region's own artists on top --------


def _full_rgba(chart: charts.Chart) -> np.ndarray:
    """The chart drawn whole, as matplotlib's savefig does it."""
    import io

    raw = io.BytesIO()
    with matplotlib.rc_context(charts.RC):
        chart.fig.savefig(raw, format="rgba", dpi=charts.DPI, facecolor="white")
    r = chart.fig.canvas.renderer
    return np.frombuffer(raw.getvalue(), np.uint8).reshape(int(r.height), int(r.width), 4)


def _png_pixels(data: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


@pytest.mark.parametrize("breaks", [None, [(2021, "ny definition")]])
def test_layered_png_equals_a_full_draw_for_every_region(breaks):
    cache.BACKGROUNDS.clear()
    frame = _frame()
    for code in ["0024", "0001", "0025"]:  # the second and third reuse the background
        chart = charts.trend_chart(frame, Ind(), code, NAMES[code], breaks=breaks)
        twin = charts.trend_chart(frame, Ind(), code, NAMES[code], breaks=breaks)
        assert np.array_equal(_png_pixels(charts.chart_png(chart)), _full_rgba(twin)[..., :3])
    assert len(cache.BACKGROUNDS) == 1


@pytest.mark.parametrize("breaks", [None, [(2021, "ny definition")]])
def test_shared_trend_charts_draw_what_their_own_figures_draw(breaks):
    """Each region's chart adds its artists to one shared figure per indicator; drawn in any
    order, even after later regions' charts were built on it (deferred SVGs), every chart's
    PNG and SVG are those of a chart with a figure of its own."""
    cache.SKELETONS.clear()
    frame = _frame()
    codes = ["0024", "0001", "0025"]
    shared = [
        charts.trend_chart(frame, Ind(target=70.0), c, NAMES[c], breaks=breaks, shared=True)
        for c in codes
    ]
    assert len(cache.SKELETONS) == 1 and len({id(c.fig) for c in shared}) == 1
    for chart, code in zip([*shared[::-1], shared[1]], [*codes[::-1], codes[1]]):
        own = charts.trend_chart(frame, Ind(target=70.0), code, NAMES[code], breaks=breaks)
        assert layers.draw(chart, "png", charts.DPI) == layers.draw(own, "png", charts.DPI)
        assert charts.chart_svg(chart) == charts.chart_svg(own)
        children = chart.fig.axes[0].get_children()
        assert not any(a in children for c in shared for a in c.foreground)  # left again
        assert all(a in own.fig.axes[0].get_children() for a in own.foreground)


@pytest.mark.parametrize("drawn", RANKED_FRAMES)
def test_shared_ranked_charts_draw_what_their_own_figures_draw(drawn):
    """As for trend charts; the focus region missing (0001) is a note on the same plain rows."""
    cache.SKELETONS.clear()
    frame = RANKED_FRAMES[drawn]()
    frame = frame[(frame["year"] == 2024) & (frame["region_code"] != "0001")]
    codes = ["0024", "0025", "0001"]
    shared = [
        charts.ranked_chart(frame, Ind(target=70.0), c, 2024, NAMES, shared=True) for c in codes
    ]
    assert len(cache.SKELETONS) == 1
    for chart, code in zip(shared[::-1], codes[::-1]):
        own = charts.ranked_chart(frame, Ind(target=70.0), code, 2024, NAMES)
        assert layers.draw(chart, "png", charts.DPI) == layers.draw(own, "png", charts.DPI)
        assert charts.chart_svg(chart) == charts.chart_svg(own)
        assert (chart.alt, chart.caption) == (own.alt, own.caption)


def test_background_is_redrawn_when_any_region_changes():
    cache.BACKGROUNDS.clear()
    frame = _frame()
    first = charts.chart_png(charts.trend_chart(frame, Ind(), "0024", "Västerbotten"))
    changed = frame.copy()
    changed.loc[(changed["region_code"] == "0001") & (changed["year"] == 2022), "value"] += 9
    second = charts.trend_chart(changed, Ind(), "0024", "Västerbotten")
    assert np.array_equal(
        _png_pixels(charts.chart_png(second)),
        _full_rgba(charts.trend_chart(changed, Ind(), "0024", "Västerbotten"))[..., :3],
    )
    assert first != charts.chart_png(second)
    assert len(cache.BACKGROUNDS) == 2


@pytest.mark.parametrize("kind", ["trend", "ranked"])
def test_layered_svg_has_the_full_drawings_elements_and_valid_references(kind):
    import xml.etree.ElementTree as ET

    cache.SVG_BACKGROUNDS.clear()
    frame = _frame()
    for code in ["0024", "0001"]:
        chart = (
            charts.trend_chart(frame, Ind(), code, NAMES[code])
            if kind == "trend"
            else charts.ranked_chart(frame, Ind(target=70.0), code, 2024, NAMES)
        )
        layered = charts.chart_svg(chart).decode("utf-8")
        chart.background_key = None
        full = charts.chart_svg(chart).decode("utf-8")
        ET.fromstring(layered.encode("utf-8"))  # well-formed
        for tag in ("<path", "<text", "<use", "<clipPath"):
            assert layered.count(tag) == full.count(tag), tag
        texts = re.findall(r">([^<>]*)</text>", layered)
        assert sorted(texts) == sorted(re.findall(r">([^<>]*)</text>", full))
        mine = frame[(frame["region_code"] == code) & (frame["year"] == 2024)]["value"].iloc[0]
        label = f"{NAMES[code]} {mine:.1f}{NB}%" if kind == "trend" else f"{mine:.1f}{NB}%"
        assert label.replace(".", ",") in texts, texts
        ids = re.findall(r' id="([^"]+)"', layered)
        assert len(ids) == len(set(ids))
        refs = set(re.findall(r"url\(#([^)]+)\)", layered)) | set(
            re.findall(r'xlink:href="#([^"]+)"', layered)
        )
        assert refs <= set(ids)
    assert len(cache.SVG_BACKGROUNDS) == 1


@pytest.mark.parametrize("drawn", RANKED_FRAMES)
def test_layered_ranked_svg_stacks_the_focus_as_the_full_drawing_does(drawn):
    """The focus dot took its grey twin's place in the markup, under the target's line and
    the next row's dot, which a whole drawing puts under it: printed, they differed."""
    frame = RANKED_FRAMES[drawn]()
    code = "0010"  # Blekinge: a row in the middle, between two others
    chart = charts.ranked_chart(frame, Ind(target=70.0), code, 2024, NAMES)
    layered = charts.chart_svg(chart).decode("utf-8")
    chart.background_key = None
    full = charts.chart_svg(chart).decode("utf-8")

    def stacking(svg: str) -> list[str]:
        """Rows' parts and lines in drawing order; rows among themselves never overlap."""
        found = re.findall(r'<g id="rad\d+-(\w+)"|<g id="(line2d_\d+)"', svg)
        order = [part or line for part, line in found]
        return [x for i, x in enumerate(order) if i == 0 or x != order[i - 1]]

    assert stacking(layered) == stacking(full)
    if drawn == "punkter":  # dots of neighbouring rows may overlap: every row in order
        rows = r'<g id="(rad\d+-\w+)"'
        assert re.findall(rows, layered) == re.findall(rows, full)


@pytest.mark.parametrize("drawn", RANKED_FRAMES)
def test_layered_ranked_chart_looks_like_a_full_draw_for_every_focus(drawn):
    """Grey rows shared by all regions, the focus bar, name and value drawn over them; the
    focus-missing note has other layers, so it must not reuse the focus chart's."""
    cache.BACKGROUNDS.clear()
    frame = RANKED_FRAMES[drawn]()
    frame = frame[(frame["year"] == 2024) & (frame["region_code"] != "0001")]
    for code in ["0024", "0025", "0001"]:  # 0001 has no value: a note instead of a bar
        chart = charts.ranked_chart(frame, Ind(target=70.0), code, 2024, NAMES)
        twin = charts.ranked_chart(frame, Ind(target=70.0), code, 2024, NAMES)
        with layers.whole(twin):
            full = _full_rgba(twin)[..., :3].astype(int)
        layered = _png_pixels(charts.chart_png(chart)).astype(int)
        assert np.abs(layered - full).max() <= 3, code  # rounding where layers blend


@pytest.mark.parametrize("drawn", RANKED_FRAMES)
@pytest.mark.parametrize("layered", [True, False])
def test_ranked_svg_names_each_region_once(layered, drawn):
    frame = RANKED_FRAMES[drawn]()
    frame = frame[frame["year"] == 2024]
    chart = charts.ranked_chart(frame, Ind(target=70.0), "0024", 2024, NAMES)
    chart.layered_svg = layered
    svg = charts.chart_svg(chart).decode("utf-8")
    assert svg.count("Västerbotten<") == 1 and svg.count(f">79,5{NB}%<") == 1
    assert "font-weight: 700" in svg.split("Västerbotten<")[0].rsplit("<text", 1)[1]
    # the blue bar lies where its grey twin lay: under Riket's and the target's lines; the
    # blue dot lies on top of everything, as a whole drawing has it
    focus = [c for c in chart.twins if c.get_gid().endswith("-stapel")][0].get_gid()
    assert svg.count(f'<g id="{focus}"') == 1 and "Mål:" in svg
    under = drawn == "staplar"
    assert (svg.index(f'<g id="{focus}"') < svg.index(">Riket ")) == under
    assert (svg.index(f'<g id="{focus}"') < svg.index(">Mål: ")) == under
    # its name and value lie over everything, as drawn whole: their white boxes over the rows
    assert svg.index("Västerbotten<") > svg.index(">Riket ")


def test_a_layered_svg_without_its_twin_in_the_background_is_drawn_whole():
    frame = _frame()
    frame = frame[frame["year"] == 2024]
    chart = charts.ranked_chart(frame, Ind(), "0024", 2024, NAMES)
    whole = dataclasses.replace(chart, layered_svg=False)
    charts.chart_svg(chart)  # the background's markup is kept with the rows' gids
    for artist in (chart.twins[0], chart.foreground[0]):
        artist.set_gid("renamed")  # names no group of that markup
    assert charts.chart_svg(chart) == charts.chart_svg(whole)
    assert charts.chart_svg(chart).count(b'id="renamed"') == 1


def test_ranked_chart_without_a_focus_region_names_no_region():
    """The national report's ranked charts have no region in focus."""
    frame = _frame()
    chart = charts.ranked_chart(frame[frame["year"] == 2024], Ind(), None, 2024, NAMES)
    texts = [t.get_text() for t in chart.fig.axes[0].texts]
    assert "None" not in chart.alt + chart.caption + " ".join(texts)
    assert not any("saknas" in t for t in texts) and not chart.foreground
    assert chart.alt.startswith("Stapeldiagram:") and "riket 82,0" in chart.alt


def test_heatmap_cell_with_a_value_but_no_comparison_is_plain_grey_not_missing():
    scores = pd.DataFrame({"A": [1.0, np.nan, np.nan]}, index=["X", "Y", "Z"])
    labels = pd.DataFrame({"A": ["5,0 %", "7,0 %", None]}, index=scores.index)
    chart = charts.heatmap_chart(scores, labels, title="T")
    ax = chart.fig.axes[0]
    cells = [p for p in ax.patches if p.get_width() == 1]
    assert [bool(p.get_hatch()) for p in cells] == [False, False, True]
    texts = [t.get_text() for t in ax.texts]
    assert "7,0 %" in texts and any(t.startswith("▲") for t in texts)


def test_heatmap_headers_keep_every_word():
    long = "Utredning eller behandling i barn- och ungdomspsykiatrin inom 30 dagar"
    scores = pd.DataFrame({long: [1.0], "B": [2.0]}, index=["X"])
    chart = charts.heatmap_chart(scores, None, title="T")
    header = " ".join(t.get_text() for t in chart.fig.axes[0].get_xticklabels())
    assert "ungdomspsykiatrin inom 30 dagar" in " ".join(header.split())


# --- charts that read at a glance (issue 11) ---------------------------------------------------


def _texts(chart: charts.Chart) -> list[str]:
    return [t.get_text() for ax in chart.fig.axes for t in ax.texts]


def test_series_break_outside_the_drawn_years_is_not_drawn():
    chart = charts.trend_chart(
        _frame(),
        Ind(),
        "0024",
        "Västerbotten",
        breaks=[(2014, "ändrad kostnadsutjämning"), (2021, "ny källa")],
    )
    texts = " ".join(_texts(chart))
    assert "2021" in texts and "2014" not in texts
    assert "2014" not in chart.alt and "Tidsseriebrott 2021" in chart.alt


def test_trend_chart_draws_the_target_as_a_line():
    chart = charts.trend_chart(
        _frame(),
        Ind(target=90.0, target_text="minst 90 %"),
        "0024",
        "Västerbotten",
        size=(9.3, 6.0),
    )
    ax = chart.fig.axes[0]
    assert any(list(line.get_ydata()) == [90.0, 90.0] for line in ax.lines)
    assert ax.get_ylim()[1] >= 90.0  # the axis reaches the target
    assert "Mål: minst 90 %" in " ".join(_texts(chart))
    assert "Målet, minst 90 %" in chart.alt


def test_riket_label_names_its_year_when_older_than_the_regions_value():
    frame = _frame()
    frame = frame[~((frame["region_code"] == "0000") & (frame["year"] == 2024))]
    chart = charts.trend_chart(frame, Ind(), "0024", "Västerbotten")
    assert any(t.startswith("Riket ") and t.endswith("(2023)") for t in _texts(chart))


def test_a_narrow_spread_is_drawn_as_dots_on_a_cut_axis_and_says_so():
    assert axis_start([78.5, 83.0, 80.1]) > 70
    assert axis_start([10.0, 90.0]) == 0.0
    assert axis_start([-1.0, 5.0]) == 0.0
    assert ranked_dots([78.5, 83.0, 80.1]) and not ranked_dots([15.0, 21.0])
    ranked = charts.ranked_chart(_tight_frame(), Ind(), "0024", 2024, NAMES)
    ax = ranked.fig.axes[0]
    assert ax.get_xlim()[0] > 0
    assert not [
        p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle) and p is not ax.patch
    ]  # no bar on a cut axis
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(dots) == 21 and ranked.foreground[0].get_marker() == "D"
    assert ZERO_NOTE in _texts(ranked) and "inte vid noll" in ranked.alt
    assert ranked.alt.startswith("Punktdiagram:") and "blå romb" in ranked.caption
    assert "Punkter i stället för staplar" in ranked.caption


def test_ranked_bars_start_at_zero_so_lengths_compare_as_values():
    """R p.14: bars from 12,5 drew Gotland's 21 % three times Västerbotten's 15 %."""
    frame = _frame()
    frame = frame[frame["year"] == 2024].copy()
    frame["value"] = [
        17.0 if c == "0000" else 15.0 + (i % 7) for i, c in enumerate(frame["region_code"])
    ]
    chart = charts.ranked_chart(frame, Ind(unit="procent", decimals=0), "0024", 2024, NAMES)
    ax = chart.fig.axes[0]
    assert ax.get_xlim()[0] == 0 and ZERO_NOTE not in _texts(chart)
    bars = [b for b in chart.twins if isinstance(b, matplotlib.patches.Rectangle)]
    rows = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert bars and all(p.get_x() == 0 for p in rows)
    assert {round(p.get_width(), 6) for p in rows} <= set(frame["value"])
    assert chart.alt.startswith("Stapeldiagram:")


@pytest.mark.parametrize("drawn", RANKED_FRAMES)
@pytest.mark.parametrize("size", [(8.55, 7.4), None])
def test_riket_and_target_lines_never_run_through_a_value_label(drawn, size):
    """R p.6, 14, 15; N p.27: Riket's dashed line crossed "17 %" on the rows at Riket."""
    frame = RANKED_FRAMES[drawn]()
    frame = frame[frame["year"] == 2024].copy()
    riket = float(frame.loc[frame["region_code"] == "0000", "value"].iloc[0])
    # rows ending just left of Riket's line and of the target's: their labels would cross
    rows = frame["region_code"].isin(["0001", "0003", "0004"])
    frame.loc[rows, "value"] = [riket - 0.2, riket - 0.6, 75.9]
    ind = Ind(target=76.0, target_text="minst 76 %")
    for code in ("0001", "0024"):
        chart = charts.ranked_chart(frame, ind, code, 2024, NAMES, size=size)
        with layers.whole(chart), fit.at_dpi(chart.fig, charts.DPI):
            chart.fig.canvas.draw()
            renderer = chart.fig.canvas.get_renderer()
            ax = chart.fig.axes[0]
            lines = [ax.transData.transform((x, 0))[0] for x in (riket, 76.0)]
            labels = [
                t for t in ax.texts if re.fullmatch(r"[\d,]+\s%", t.get_text()) and t.get_visible()
            ]
            assert len(labels) == 21
            for label in labels:
                box = label.get_window_extent(renderer)
                assert not any(box.x0 - 1 <= x <= box.x1 + 1 for x in lines), label.get_text()


def test_riket_line_lies_under_opaque_value_labels():
    ranked = charts.ranked_chart(_frame(), Ind(), "0024", 2024, NAMES)
    ax = ranked.fig.axes[0]
    riket = [ln for ln in ax.lines if ln.get_color() == style.VERMILLION]
    labels = [
        t
        for t in ax.texts
        if t.get_text().endswith("%") and not t.get_text().startswith(("Riket", "Mål"))
    ]
    assert riket and labels
    assert all(t.get_zorder() > riket[0].get_zorder() for t in labels)
    assert all(t.get_bbox_patch().get_alpha() in (None, 1.0) for t in labels)


def test_tile_map_uses_the_heat_maps_colours_around_riket():
    values = {r.code: 50.0 + i for i, r in enumerate(all_regions())}
    chart = charts.tile_map_chart(
        values, Ind(), all_regions(), year=2024, riket=60.0, size=(8.5, 11.0)
    )
    assert "Lila ▲ bättre än riket" in chart.caption
    faces = [p.get_facecolor() for p in chart.fig.axes[0].patches]
    purple = matplotlib.colormaps[style.HEAT_CMAP](1.0)
    orange = matplotlib.colormaps[style.HEAT_CMAP](0.0)
    best, worst = max(values, key=values.get), min(values, key=values.get)
    order = [r.code for r in all_regions() if r.tile[0] >= 0]
    assert np.allclose(faces[order.index(best)], purple, atol=0.02)
    assert np.allclose(faces[order.index(worst)], orange, atol=0.02)


def test_tile_map_says_near_riket_within_min_change_and_keeps_its_bar_inside_the_values():
    """N p.8: a tile map's colour bar ended at "105 Procent", and 0,2 p.e. from Riket was
    coloured better or worse."""
    regions = all_regions()
    values = {r.code: 75.0 + i for i, r in enumerate(regions)}  # 75–95 %
    riket = 90.0
    chart = charts.tile_map_chart(
        values, Ind(min_change=2.0), regions, year=2024, riket=riket, size=(8.5, 11.0)
    )
    order = [r for r in regions if r.tile[0] >= 0]
    ax, cax = chart.fig.axes[0], chart.fig.axes[1]
    tiles = [p for p in ax.patches if p.get_fill()]
    texts = {t.get_text() for t in ax.texts}
    for r, tile in zip(order, tiles):
        near = abs(values[r.code] - riket) < 2.0
        assert np.allclose(tile.get_facecolor(), to_rgba(style.NEAR_FACE)) == near, r.name
        value = inputs.fmt_short(Ind(), values[r.code])
        mark = "≈" if near else ("▲" if values[r.code] > riket else "▼")
        assert f"{mark}\u202f{value}" in texts, r.name
    lo, hi = cax.get_ylim()
    # half a published unit (0,05) past the extremes: a tile at 75,0 finds its colour
    assert (lo, hi) == pytest.approx((74.95, 95.05))
    assert "nära riket" in chart.caption and "nära riket" in chart.alt


@pytest.mark.parametrize("size", [(8.55, 7.4), (9.3, 6.0), (9.3, 8.2), None])
@pytest.mark.parametrize("kind", ["trend", "ranked"])
@pytest.mark.parametrize("unit", ["procent", "per_100000"])
def test_every_text_ends_inside_the_chart(kind, size, unit):
    """Seen on the real data: long titles in narrow charts ran past the right edge ("Medicinsk
    bedömning i primärv"), unit labels beside wide numbers ("14 000") started left of the
    chart, "Jämtland Härjedalen 14 125,4" at a line's end ran off on the right, and the longest
    region name started a pixel left of a ranked chart. Drawn as the report draws them, every
    text now lies inside the chart."""
    frame = _frame()
    if unit != "procent":  # values like "36 312" (a year's cost per inhabitant)
        frame = frame.assign(value=frame["value"] * 300 + 12000)
    ind = Ind(
        name="Invånare som tycker att väntetiden till vårdcentralen är rimlig, "
        "medicinsk bedömning i primärvården inom tre dagar",
        unit=unit,
    )
    code = "0023"  # Jämtland Härjedalen: the longest name
    chart = (
        charts.trend_chart(frame, ind, code, NAMES[code], size=size)
        if kind == "trend"
        else charts.ranked_chart(frame[frame["year"] == 2024], ind, code, 2024, NAMES, size=size)
    )
    for dpi in (charts.DPI, 300):  # the PNG's, and about as wide as printed SVG text
        _assert_texts_inside(chart, dpi)
    assert any(NAMES[code] in t.get_text() for t in chart.foreground if hasattr(t, "get_text"))


def _assert_texts_inside(chart: charts.Chart, dpi: int) -> None:
    """Every text inside the chart drawn at `dpi`, and the value axis's numbers apart."""
    with (
        matplotlib.rc_context(charts.RC),
        layers.attached(chart),
        layers.whole(chart),
        fit.at_dpi(chart.fig, dpi),
    ):
        fig = chart.fig
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ticks = {
            id(label)
            for ax in fig.axes
            for axis in (ax.xaxis, ax.yaxis)
            for tick in axis.get_major_ticks()
            for label in (tick.label1, tick.label2)
        }
        texts = [
            t
            for t in fig.findobj(matplotlib.text.Text)
            if t.get_text().strip() and t.get_visible() and id(t) not in ticks
        ]
        assert any(t.get_gid() == style.TITLE_GID for t in texts)
        # the value axis's numbers ("30 000  32 000 …") keep apart
        for ax in fig.axes:
            boxes = sorted(
                (
                    label.get_window_extent(renderer)
                    for label in ax.get_xticklabels()
                    if label.get_text() and label.get_visible()
                ),
                key=lambda b: b.x0,
            )
            drawn = [b for b in boxes if 0 <= b.x0 and b.x1 <= fig.bbox.width]
            gaps = [right.x0 - left.x1 for left, right in zip(drawn, drawn[1:])]
            assert min(gaps, default=math.inf) >= 0.05 * dpi, gaps  # a good space apart
        for text in texts:
            box = text.get_window_extent(renderer)
            assert 0 <= box.x0 and box.x1 <= fig.bbox.width, (text.get_text(), box)
            assert 0 <= box.y0 and box.y1 <= fig.bbox.height, (text.get_text(), box)


def test_a_ranked_chart_names_riket_s_line_only_where_it_is_drawn():
    frame = _frame()
    frame = frame[frame["year"] == 2024]
    with_riket = charts.ranked_chart(frame, Ind(), "0024", 2024, NAMES)
    without = charts.ranked_chart(frame[frame["region_code"] != "0000"], Ind(), "0024", 2024, NAMES)
    national = charts.ranked_chart(frame[frame["region_code"] != "0000"], Ind(), None, 2024, NAMES)
    assert with_riket.caption.endswith("; riket med streckad linje.")
    assert "riket" not in without.caption.lower() and "riket" not in national.caption.lower()
    assert without.caption.endswith("randig stapel.") and national.caption.endswith(
        "bäst till sämst."
    )


@pytest.mark.parametrize(
    "name",
    [
        "Operation eller åtgärd i specialiserad vård inom 90 dagar",
        "Fallskador bland personer 65 år och äldre",
        "Medicinsk bedömning i primärvården inom tre dagar",
    ],
)
def test_no_title_leaves_a_short_word_alone_on_its_last_line(name):
    frame = _frame()
    for chart in (
        charts.ranked_chart(
            frame[frame["year"] == 2024], Ind(name=name), "0024", 2024, NAMES, size=size
        )
        for size in [(8.55, 7.4), (9.3, 6.0), None]
    ):
        title = [t for t in chart.fig.axes[0].get_children() if t.get_gid() == style.TITLE_GID][0]
        lines = title.get_text().split("\n")
        assert len(lines) == 1 or len(lines[-1]) >= 10, lines


def test_end_labels_start_right_of_the_later_line_end():
    """Riket's last value a year older than the region's: its label ("Riket … (2023)") sat
    under the region's 2024 marker; both labels now start right of 2024."""
    frame = _frame()
    frame = frame[~((frame["region_code"] == "0000") & (frame["year"] == 2024))]
    chart = charts.trend_chart(frame, Ind(), "0024", NAMES["0024"])
    labels = {
        a.get_text(): a.xy[0] for a in chart.foreground if isinstance(a, matplotlib.text.Annotation)
    }
    assert any("(2023)" in text for text in labels) and len(labels) == 2
    assert set(labels.values()) == {2024}
