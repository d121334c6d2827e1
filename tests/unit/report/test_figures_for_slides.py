"""The figures folder for slides: large PNGs and SVGs with the source inside, figurer.csv."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from naravard import charts
from naravard.charts import slide
from naravard.report import figure_files

SOURCE = "Källa: Väntetider i vården, SKR & <SCB>, via Kolada"


def _chart() -> charts.Chart:
    frame = pd.DataFrame(
        {
            "region_code": ["0024", "0024", "0000", "0000"],
            "year": [2023, 2024, 2023, 2024],
            "value": [70.0, 79.5, 88.0, 88.2],
        }
    )
    ind = SimpleNamespace(
        id="medicinsk_bedomning_3d",
        name="Medicinsk bedömning inom tre dagar",
        unit="procent",
        direction="higher",
        decimals=1,
        primary_source="SKR",
    )
    return charts.trend_chart(frame, ind, "0024", "Västerbotten")


def read_rows(folder: Path) -> list[dict[str, str]]:
    text = (folder / figure_files.CSV_NAME).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _source_strip_is_dark(png: Path, source: str) -> bool:
    """The source line is drawn in a strip below the chart, as tall as its wrapped lines:
    dark pixels there, and only white above the text (the strip is the image's own)."""
    image = Image.open(png)
    px = image.info["dpi"][0] / 72
    lines = slide.source_lines(source, image.width / px)
    height = math.ceil(slide._strip_pt(lines) * px)
    grey = np.asarray(image.convert("L"))
    strip = grey[-height:]
    top = strip[: int(slide.MARGIN_PT * px * 0.8)]
    return len(lines) > 0 and int(strip.min()) < 120 and int(top.min()) > 200


def test_a_chart_gets_a_large_png_and_an_svg_with_its_source(tmp_path):
    chart = _chart()
    chart.name = "medicinsk_bedomning_3d"
    figure_files.save(chart, tmp_path, source=SOURCE)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "figurer.csv",
        "medicinsk_bedomning_3d-stor.png",
        "medicinsk_bedomning_3d.png",
        "medicinsk_bedomning_3d.svg",
    ]
    large = Image.open(tmp_path / "medicinsk_bedomning_3d-stor.png")
    small = Image.open(tmp_path / "medicinsk_bedomning_3d.png")
    assert large.width >= 1600 and large.height > large.width * small.height / small.width
    assert _source_strip_is_dark(tmp_path / "medicinsk_bedomning_3d-stor.png", SOURCE)
    svg = (tmp_path / "medicinsk_bedomning_3d.svg").read_text(encoding="utf-8")
    assert "Väntetider i vården, SKR &amp; &lt;SCB&gt;, via Kolada" in svg  # escaped text
    assert svg.rstrip().endswith("</svg>") and svg.count("<svg") == 1
    [row] = read_rows(tmp_path)
    assert row == {
        "Fil": "medicinsk_bedomning_3d-stor.png",
        "SVG": "medicinsk_bedomning_3d.svg",
        "Titel": "Medicinsk bedömning inom tre dagar",
        "Bildtext": chart.caption,
        "Alternativtext": chart.alt,
        "Källa": SOURCE,
    }


def test_the_large_png_is_the_chart_drawn_large_not_stretched(tmp_path):
    chart = _chart()
    png = slide.slide_png(chart, "Källa: x")
    image = Image.open(io.BytesIO(png))
    assert image.width == slide.slide_dpi(chart) * chart.fig.get_size_inches()[0] // 1
    assert image.info["dpi"][0] == pytest.approx(slide.slide_dpi(chart), abs=0.01)
    # sharp: the large image has far more distinct greys at text edges than an upscaled one
    small = Image.open(io.BytesIO(charts.chart_png(chart))).resize(image.size)
    assert not np.array_equal(np.asarray(image.convert("RGB")), np.asarray(small.convert("RGB")))


def test_a_long_source_wraps_inside_the_image():
    lines = slide.source_lines("Källa: " + "Socialstyrelsen och SCB; " * 12, 240)
    assert len(lines) > 1
    font = slide._font(100)
    assert all(font.getlength(line) * slide.SOURCE_PT / 100 <= 240 for line in lines)


def test_in_a_report_kernel_the_large_files_wait_for_write_deferred(tmp_path):
    chart = _chart()
    chart.name = "x"
    figure_files.save(chart, tmp_path / "a", source="Källa: a", later=True)
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["x.png"]
    gone = tmp_path / ".2024.staging-1-x"  # a failed report's staging folder, removed
    other = _chart()
    other.name = "y"
    figure_files.save(other, gone, source="Källa: b", later=True)
    import shutil

    shutil.rmtree(gone)
    figure_files.write_deferred()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "figurer.csv",
        "x-stor.png",
        "x.png",
        "x.svg",
    ]
    assert not gone.exists()
    assert "Källa: a" in (tmp_path / "a" / "x.svg").read_text(encoding="utf-8")


def test_national_charts_have_meaningful_names_and_a_complete_list(tmp_path):
    from naravard.report import national

    rep = national.prepare(2024, figures=tmp_path)
    national.maps_html(rep)
    national.area_html(rep, "tillganglighet")
    _assert_complete(tmp_path)
    names = {p.stem for p in tmp_path.glob("*.svg")}
    assert "medicinsk_bedomning_3d-karta" in names and "medicinsk_bedomning_3d-regioner" in names


def _assert_complete(folder: Path) -> None:
    """Every chart has its three files and one row with all five texts; no 'None' anywhere."""
    svgs = sorted(p.stem for p in folder.glob("*.svg"))
    assert svgs and not [p.name for p in folder.iterdir() if "None" in p.name]
    rows = read_rows(folder)
    assert sorted(r["SVG"] for r in rows) == sorted(f"{s}.svg" for s in svgs)
    for row in rows:
        assert all(row[c].strip() for c in figure_files.COLUMNS), row
        assert row["Källa"].startswith("Källa: ")
        assert (folder / row["Fil"]).is_file() and (folder / row["SVG"]).is_file()
        svg = (folder / row["SVG"]).read_text(encoding="utf-8")
        # the SVG's source line is its own <text>: "&" and "<" escaped like the CSV's text
        assert row["Källa"].replace("&", "&amp;")[:40] in svg
    stems = {p.stem for p in folder.glob("*.png")}
    assert {f"{s}-stor" for s in svgs} <= stems


@pytest.mark.e2e
def test_the_rendered_reports_figures_are_ready_for_slides(renders):
    for render in (renders.region(), renders.national()):
        _assert_complete(render.figures)
        for row in read_rows(render.figures):
            png = render.figures / row["Fil"]
            assert Image.open(png).width >= 1600, png.name
            assert _source_strip_is_dark(png, row["Källa"]), png.name
