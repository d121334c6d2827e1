"""`make report` end to end: real renders checked against numbers computed from the data.

Each real report is rendered once per module, by `naravard report` in a subprocess: the
Västerbotten render (real snapshot) and the Örebro län render (no data, no network, so
example data) run side by side, and every e2e test below reads their outputs. Tests that
need no render (questionnaire chapter, escaping, export determinism) are not marked e2e.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from pdf_layout import a4_numbered_pages
from renders import EPOCH, Render, norm
from svg_text import assert_draws
from pypdf import PdfReader

from naravard.report import region as report
from naravard.wording import text
from naravard.config.catalog import AREAS, load_catalog
from naravard.report import exports, related

BANNER = "EXEMPELDATA – inte verkliga värden"
OUTPUT_FILES = (
    "rapport.pdf",
    "rapport.html",
    "rapport.ipynb",
    "indikatorer.csv",
    "indikatorer.xlsx",
    "manifest.json",
)


# --- the renders (started once per session by conftest.renders) --------------------------


@pytest.fixture(scope="module")
def vb(renders, snapshot_dir) -> Render:
    return renders.region()


@pytest.fixture(scope="module")
def vb_pages(vb) -> list[str]:
    return vb.pages()


@pytest.fixture(scope="module")
def orebro(renders) -> Render:
    return renders.orebro_example()


@pytest.fixture(scope="module")
def orebro_pages(orebro) -> list[str]:
    return orebro.pages()


@pytest.fixture(scope="module")
def snapshot_obs(snapshot_dir):
    from naravard.sources.table import load_observations

    return load_observations(snapshot_dir)


def expected(obs, indicator_id: str, code: str, year: int = 2024) -> dict:
    """Value, Riket and rank computed here from the tidy table, not by naravard.analysis.indicators."""
    cat = load_catalog()
    ind = cat.get(indicator_id)
    f = obs.frame
    f = f[
        (f["indicator_id"] == indicator_id)
        & (f["year"] == year)
        & (f["gender"] == "T")
        & f["value"].notna()
    ]
    regions = f[f["region_code"] != "0000"]
    mine = float(regions.loc[regions["region_code"] == code, "value"].iloc[0])
    better = regions["value"] > mine if ind.direction == "higher" else regions["value"] < mine
    riket = float(f.loc[f["region_code"] == "0000", "value"].iloc[0])
    return {
        "value": norm(text.fmt_percent(mine, ind.decimals)),
        "riket": norm(text.fmt_percent(riket, ind.decimals)),
        "rank": int(better.sum()) + 1,
        "n": len(regions),
    }


# --- a failing notebook -------------------------------------------------------------------


def _broken_notebooks(tmp: Path) -> Path:
    from naravard.core.paths import notebooks_dir

    nb = nbformat.read(notebooks_dir() / "regionrapport.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "blocks.summary(rep)" in c.source)
    cell.source = 'raise RuntimeError("trasig testcell")\n' + cell.source
    folder = tmp / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "regionrapport.ipynb")
    return folder


@pytest.mark.e2e
def test_failing_cell_is_one_line_keeps_partial_notebook_and_old_report(
    renders, project_tmp, snapshot_dir, tmp_path, monkeypatch, capsys
):
    # Requesting `renders` starts the module's two renders in the background now, so that
    # they run while this test and the fast ones below do their own work.
    from naravard.build import pipeline
    from naravard.cli import main

    broken = _broken_notebooks(tmp_path)
    monkeypatch.setattr(pipeline, "notebooks_dir", lambda: broken)
    out = project_tmp / "output" / "gotland" / "2024"
    figs = project_tmp / "figures" / "gotland" / "2024"
    out.mkdir(parents=True)
    figs.mkdir(parents=True)
    old = {
        "rapport.pdf": b"%PDF-1.7 tidigare godkand rapport\n",
        "rapport.html": b"<html>gammal",
        "indikatorer.csv": b"\xef\xbb\xbfgammal;tabell\n",
    }
    for name, content in old.items():
        (out / name).write_bytes(content)
    (figs / "gammal.png").write_bytes(b"\x89PNG old")

    code = main(["report", "--region", "Gotland", "--year", "2024", "--data", str(snapshot_dir)])
    _, err = capsys.readouterr()

    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, lines
    failed = out / "rapport.failed.ipynb"
    assert failed.is_file()
    nb = nbformat.read(failed, as_version=4)
    bad = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert len(bad) == 1 and bad[0].execution_count
    assert re.match(
        rf"fel: cell {bad[0].execution_count}: RuntimeError: trasig testcell", lines[0]
    ), lines[0]
    assert "rapport.failed.ipynb" in lines[0]
    for name, content in old.items():
        assert (out / name).read_bytes() == content, f"{name} changed"
    assert sorted(p.name for p in out.iterdir()) == sorted([*old, "rapport.failed.ipynb"])
    assert [p.name for p in figs.iterdir()] == ["gammal.png"]
    leftovers = [
        p for base in (out.parent, figs.parent) for p in base.iterdir() if p.name.startswith(".")
    ]
    assert leftovers == []


# --- fast: the questionnaire chapter without rendering ------------------------------------


@pytest.fixture(scope="module")
def orebro_rep(snapshot_dir):
    return report.prepare("Örebro län", 2024, snapshot_dir, figures=None)


def _item(html: str, qid: str) -> str:
    start = html.index(f'id="fraga-{qid}"')
    end = html.find('class="q-item', start + 10)
    return html[start : end if end > 0 else None]


def test_questionnaire_html_has_question_numbers_and_answers(orebro_rep):
    html = report.questionnaire_html(orebro_rep)
    assert 'id="socialstyrelsen">Bilaga: Redovisning till Socialstyrelsen' in html
    assert "Fråga 5." in _item(html, "5") and "<strong>Nej</strong>" in _item(html, "5")
    assert "<strong>Ja</strong>" in _item(html, "6")
    assert "46" in norm(_item(html, "35")) and "46 %" in norm(_item(html, "35"))


def test_region_without_answer_file_gets_a_note(snapshot_dir):
    from naravard.report import questionnaire as q

    assert not q.answers_path("gotland", 2024).exists()
    rep = report.prepare("Gotland", 2024, snapshot_dir, figures=None)
    html = report.questionnaire_html(rep)
    assert "Redovisning till Socialstyrelsen" in html
    assert "innehåller inte Gotlands svar på Socialstyrelsens enkät" in html
    assert "naravard" not in html.lower()  # reader text: no tool name, no command
    assert "Fråga" not in html
    assert related.related_answers_html(rep, ["medicinsk_bedomning_3d"]) == ""


def test_free_text_answers_are_escaped(orebro_rep, tmp_path):
    from naravard.report import questionnaire as q
    from naravard.core.paths import questionnaire_dir

    evil = '<script>alert("x")</script> & <b>fet</b>'
    raw = yaml.safe_load(
        (questionnaire_dir() / "answers" / "orebro-lan" / "2024.yaml").read_text(encoding="utf-8")
    )
    raw["answers"]["1a"]["answer"] = evil
    raw["answers"]["34"]["other"] = evil
    path = tmp_path / "answers" / "orebro-lan" / "2024.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    rep = dataclasses.replace(
        orebro_rep, answers=q.read_answers(path, structure=orebro_rep.structure)
    )
    html = report.questionnaire_html(rep) + related.related_answers_html(
        rep, [i.id for i in rep.catalog]
    )
    assert "<script" not in html and "<b>fet</b>" not in html
    assert html.count("&lt;script&gt;alert(") >= 2


def test_example_data_banner_block_only_for_example_data(orebro_rep):
    assert report.banner_html(orebro_rep) == ""
    fake = dataclasses.replace(orebro_rep, obs=dataclasses.replace(orebro_rep.obs, is_example=True))
    assert BANNER in report.banner_html(fake) and BANNER in report.title_html(fake)


def test_csv_export_is_deterministic_and_rounded(snapshot_dir, monkeypatch):
    from naravard.sources.table import clear_memo, load_observations

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = exports.region_csv_bytes(
        report.prepare("Västerbotten", 2024, snapshot_dir, figures=None)
    )
    clear_memo()
    again = report.prepare("Västerbotten", 2024, obs=load_observations(snapshot_dir), figures=None)
    assert exports.region_csv_bytes(again) == first
    assert b"0000000" not in first and b"9999999" not in first  # no float noise
    assert report.overview_html(again) == report.overview_html(
        report.prepare("Västerbotten", 2024, snapshot_dir, figures=None)
    )


# --- Västerbotten 2024, real snapshot -----------------------------------------------------


@pytest.mark.e2e
def test_every_output_file_is_written(vb):
    for name in OUTPUT_FILES:
        path = vb.out / name
        assert path.is_file() and path.stat().st_size > 0, name
    assert not (vb.out / "rapport.failed.ipynb").exists()
    assert not [p for p in vb.out.parent.iterdir() if p.name.startswith(".")], "staging left"
    assert not [p for p in vb.out.iterdir() if p.name.startswith(".")], "a hidden working file"
    assert "Västerbotten: klar" in vb.text and "Traceback" not in vb.text


@pytest.mark.e2e
def test_figures_as_png_and_svg(vb):
    for stem in ("medicinsk_bedomning_3d", "telefon_samma_dag"):
        png, svg = vb.figures / f"{stem}.png", vb.figures / f"{stem}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in svg.read_text(encoding="utf-8")[:2000]
        assert_draws(svg.read_bytes(), "Västerbotten", "Riket")
    pngs = {p.stem for p in vb.figures.glob("*.png") if not p.stem.endswith("-stor")}
    svgs = {p.stem for p in vb.figures.glob("*.svg")}
    assert pngs == svgs and len(pngs) > 10


@pytest.mark.e2e
def test_pdf_values_riket_and_rank_match_the_snapshot(vb_pages, snapshot_obs):
    full = " ".join(vb_pages)
    assert "Västerbotten" in full
    assert "79,5 %" in full  # medicinsk bedömning inom tre dagar (the region's own report)
    assert "73,1 %" in full  # telefon samma dag
    for ind_id, shown in (("medicinsk_bedomning_3d", "79,5 %"), ("telefon_samma_dag", "73,1 %")):
        exp = expected(snapshot_obs, ind_id, "0024")
        assert exp["value"] == shown
        assert exp["riket"] in full, (ind_id, exp)
        assert f"plats {exp['rank']} av {exp['n']}" in full, (ind_id, exp)
        # the overview table row: value … Riket  rank
        row = re.search(
            re.escape(shown)
            + r".{0,80}?"
            + re.escape(exp["riket"])
            + r"\s+"
            + re.escape(f"{exp['rank']} av {exp['n']}"),
            full,
        )
        assert row, (ind_id, exp)


@pytest.mark.e2e
def test_pdf_has_no_missing_value_placeholders(vb_pages):
    full = " ".join(vb_pages)
    assert not re.search(r"\b(nan|NaN|None|NaT|inf)\b", full), re.findall(
        r".{40}\b(?:nan|NaN|None|NaT|inf)\b.{40}", full
    )[:3]
    assert "<NA>" not in full


@pytest.mark.e2e
def test_pdf_is_a4_with_page_numbers(vb):
    n = a4_numbered_pages(vb.out / "rapport.pdf")
    assert n > 5
    assert re.search(rf"Västerbotten\s+klar\s+[\d.]+\s+{n}\n", vb.text), vb.text[-2000:]


@pytest.mark.e2e
def test_pdf_has_every_chapter_and_real_data_has_no_banner(vb_pages):
    full = " ".join(vb_pages)
    for title in (
        "Det viktigaste",
        "Översikt",
        *AREAS.values(),
        "Regionens egna uppgifter",
        "Bilaga: Redovisning till Socialstyrelsen",
        "Om underlaget",
    ):
        assert title in full, title
    assert BANNER not in full
    assert "1 januari 2025" in vb_pages[0]  # SOURCE_DATE_EPOCH


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def vb_html(vb) -> tuple[str, _Html]:
    raw = (vb.out / "rapport.html").read_text(encoding="utf-8")
    parsed = _Html()
    parsed.feed(raw)
    return raw, parsed


@pytest.mark.e2e
def test_html_is_swedish_self_contained_and_accessible(vb_html):
    raw, parsed = vb_html
    assert re.search(r"<html[^>]*\blang=\"sv\"", raw)
    assert not re.search(r"<script[^>]*\bsrc=", raw, re.I)
    for tag, attrs in parsed.tags:
        if tag in ("script", "link", "img", "iframe"):
            for key in ("src", "href"):
                assert not re.match(r"\s*(https?:)?//", attrs.get(key) or "", re.I), (tag, attrs)
    imgs = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(imgs) > 10
    for attrs in imgs:
        assert (attrs.get("alt") or "").strip(), attrs.get("src", "")[:60]
        assert attrs["src"].startswith("data:image/")


@pytest.mark.e2e
def test_every_link_inside_the_report_has_its_target(vb_html):
    """Issue 19: the overview linked to #ind-listade_per_specialist, an own figure without
    values that the report does not show."""
    _, parsed = vb_html
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    targets = {
        attrs["href"][1:]
        for tag, attrs in parsed.tags
        if tag == "a" and (attrs.get("href") or "").startswith("#")
    }
    assert targets and targets - ids == set()


@pytest.mark.e2e
def test_html_has_no_code_prompts_or_placeholders(vb_html):
    raw, parsed = vb_html
    assert "¶" not in raw
    classes = " ".join(attrs.get("class") or "" for _, attrs in parsed.tags).split()
    for code_class in (
        "jp-InputArea",
        "jp-InputPrompt",
        "jp-Cell-inputWrapper",
        "jp-OutputPrompt",
        "highlight",
        "jp-CodeMirrorEditor",
    ):
        assert code_class not in classes, code_class
    assert "report.prepare" not in raw and "display(HTML" not in raw
    visible = norm(" ".join(parsed.text))
    assert "79,5 %" in visible and "Västerbotten" in visible
    assert not re.search(r"\b(nan|NaN|None|NaT)\b", visible)
    assert "Traceback" not in visible


@pytest.mark.e2e
def test_csv_is_swedish_excel_with_one_row_per_indicator(vb, snapshot_obs):
    import csv

    raw = (vb.out / "indikatorer.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert {"Indikator-id", "Värde", "Riket", "Placering", "Källa"} <= set(header)
    catalog = load_catalog()
    ids = [r[header.index("Indikator-id")] for r in body]
    assert ids == [i.id for i in catalog]
    by_id = {r[header.index("Indikator-id")]: dict(zip(header, r)) for r in body}
    med = by_id["medicinsk_bedomning_3d"]
    exp = expected(snapshot_obs, "medicinsk_bedomning_3d", "0024")
    assert med["Värde"] == "79,5"
    assert med["Riket"] == exp["riket"].removesuffix(" %")
    assert (med["Placering"], med["Antal regioner"]) == (str(exp["rank"]), str(exp["n"]))
    for ind in catalog:  # decimal comma, at most the indicator's own decimals
        for col in ("Värde", "Förändring", "Riket", "Kvinnor", "Män"):
            cell = by_id[ind.id][col]
            pattern = r"-?\d+" + (rf"(,\d{{1,{ind.decimals}}})?" if ind.decimals else "")
            assert cell == "" or re.fullmatch(pattern, cell), (ind.id, col, cell)
    assert "nan" not in raw.decode("utf-8-sig").lower().split(";")


@pytest.mark.e2e
def test_xlsx_has_the_same_rows(vb):
    import openpyxl

    sheet = openpyxl.load_workbook(vb.out / "indikatorer.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(load_catalog()) + 1
    col = rows[0].index("Värde")
    med = next(r for r in rows if "medicinsk_bedomning_3d" in r)
    assert med[col] == pytest.approx(79.5)


@pytest.mark.e2e
def test_manifest_records_parameters_origin_hashes_and_versions(vb, snapshot_dir):
    m = json.loads((vb.out / "manifest.json").read_text(encoding="utf-8"))
    assert m["parameters"]["region"] == "0024" and m["parameters"]["year"] == 2024
    assert m["parameters"]["data"] == str(snapshot_dir)
    assert "Kolada" in m["data_origin"]
    inputs = m["inputs"]
    kpi_file = next(k for k in inputs if k.endswith("N79173.json"))
    digest = hashlib.sha256((snapshot_dir / "data" / "N79173.json").read_bytes()).hexdigest()
    assert inputs[kpi_file] == digest
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in inputs.values())
    assert any(k.endswith("regionrapport.ipynb") for k in inputs)
    assert any(k.endswith("answers/vasterbotten/2024.yaml") for k in inputs)
    for package in ("naravard", "pandas", "papermill", "nbconvert", "weasyprint"):
        assert m["packages"].get(package), package


@pytest.mark.e2e
def test_same_inputs_same_outputs(vb, snapshot_dir, monkeypatch):
    """A second, independent run in this process gives the render's CSV and content exactly.

    Rendering twice would cost another ~40 s, so the second run computes the report blocks
    and the CSV here and compares them with the executed notebook's outputs and the
    published CSV byte for byte.
    """
    from naravard.report import goals as own_goals
    from naravard.report import kommun
    from naravard.report.cells import is_published
    from naravard.sources.table import clear_memo, load_observations

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    clear_memo()
    rep = report.prepare(
        "Västerbotten", 2024, obs=load_observations(snapshot_dir), figures=None, previous=None
    )  # the render had no earlier version
    assert exports.region_csv_bytes(rep) == (vb.out / "indikatorer.csv").read_bytes()
    blocks = [
        report.title_html(rep) + report.toc_html(rep),
        report.summary_html(rep),
        report.overview_html(rep),
        *(report.area_html(rep, a) for a in AREAS),
        report.regional_html(rep),
        kommun.chapter_html(rep),
        report.about_html(rep),
        kommun.appendix_html(rep),
        report.questionnaire_html(rep),
        own_goals.chapter_html(rep),
    ]
    nb = nbformat.read(vb.out / "rapport.ipynb", as_version=4)
    shown = [
        "".join(o["data"]["text/html"])
        for c in nb.cells
        if c.cell_type == "code" and is_published(c)
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    assert len(shown) == len(blocks)
    for i, (mine, theirs) in enumerate(zip(blocks, shown)):
        assert f'<div class="naravard-block">{mine}</div>' == theirs, (
            f"block {i} differs between two runs"
        )


# --- Örebro län 2024 without data or network: example data -----------------------------


@pytest.mark.e2e
def test_example_data_banner_on_every_page(orebro, orebro_pages):
    assert len(orebro_pages) > 5
    for k, page in enumerate(orebro_pages, start=1):
        assert BANNER in page, f"page {k} lacks the example-data banner"
    assert "Exempeldata" in orebro.text
    m = json.loads((orebro.out / "manifest.json").read_text(encoding="utf-8"))
    assert "xempeldata" in m["data_origin"]
    assert "output/exempeldata/" in orebro.out.as_posix()
    assert not (orebro.root / "output" / "orebro-lan").exists()  # a real report's place
    assert list(orebro.cache.iterdir()) == []  # the failed download left no half cache
    html = (orebro.out / "rapport.html").read_text(encoding="utf-8")
    assert BANNER in html
    csv_text = (orebro.out / "indikatorer.csv").read_bytes().decode("utf-8-sig")
    assert "exempeldata" in csv_text


def _answer_segment(full: str, label: str) -> str:
    """The PDF text from "Fråga <label>." up to the next question."""
    start = full.index(f"Fråga {label}. ")
    nxt = full.find("Fråga ", start + 8)
    return full[start : nxt if nxt > 0 else None]


@pytest.mark.e2e
def test_questionnaire_chapter_shows_orebros_answers(orebro_pages):
    full = " ".join(orebro_pages)
    chapter = [p for p in orebro_pages if "Bilaga: Redovisning till Socialstyrelsen Regionens" in p]
    assert chapter, "no page opens the appendix Bilaga: Redovisning till Socialstyrelsen"
    body = full[full.index(chapter[0]) :]
    assert _answer_segment(body, "5").rstrip().endswith("Nej")
    assert _answer_segment(body, "6").rstrip().endswith("Ja")
    assert "46 %" in _answer_segment(body, "35")
    assert "Region Örebro läns redovisning" in body


@pytest.mark.e2e
def test_pdf_text_is_reproducible_from_the_html(vb, vb_pages, tmp_path):
    """Printing the published HTML again gives the published PDF's text, page for page."""
    from naravard.core.paths import notebooks_dir
    from naravard.build.render import html_to_pdf

    html = (vb.out / "rapport.html").read_text(encoding="utf-8")
    again = tmp_path / "again.pdf"
    html_to_pdf(html, again, base_url=notebooks_dir())
    assert [norm(p.extract_text()) for p in PdfReader(again).pages] == vb_pages
