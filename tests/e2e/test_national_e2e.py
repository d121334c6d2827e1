"""The national report end to end: riksrapport.ipynb run by `naravard reports`, read back.

The PDF's text (pages, chapters, every indicator), the charts' alt text in the PDF's
structure tree (each ranked chart's best and worst region with their values, and Riket) and
the xlsx (every region's value, Riket and rank) are checked against numbers computed here
from the snapshot's tidy table, not by naravard.analysis.indicators.
"""

from __future__ import annotations

import re

import nbformat
import pikepdf
import pytest

from naravard.report import national
from naravard.wording import text
from naravard.config.catalog import AREAS, load_catalog
from naravard.config.regions import RIKET_CODE, all_regions
from pdf_layout import a4_numbered_pages
from renders import norm

pytestmark = pytest.mark.e2e

YEAR = 2024


@pytest.fixture(scope="module")
def nat(renders):
    return renders.national()


@pytest.fixture(scope="module")
def pages(nat) -> list[str]:
    return nat.pages()


@pytest.fixture(scope="module")
def values(snapshot_dir) -> dict[str, dict[str, float]]:
    """indicator id -> region code -> 2024 value (totals), from the snapshot."""
    from naravard.sources.table import load_observations

    f = load_observations(snapshot_dir).frame
    f = f[(f["year"] == YEAR) & (f["gender"] == "T") & f["value"].notna()]
    out: dict[str, dict[str, float]] = {}
    for row in f.itertuples():
        out.setdefault(row.indicator_id, {})[row.region_code] = float(row.value)
    return out


def _kolada_with_data(values) -> list:
    return [
        i for i in load_catalog().kolada() if any(c != RIKET_CODE for c in values.get(i.id, {}))
    ]


def test_batch_ran_the_national_notebook_without_errors(nat):
    assert re.search(r"Riket \(jämförelse\)\s+klar", nat.text), nat.text[-2000:]
    nb = nbformat.read(nat.out / "riksrapport.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert sum("text/html" in o.get("data", {}) for o in outputs) >= len(AREAS)
    for name in ("riksrapport.pdf", "riksrapport.html", "riksrapport.xlsx", "manifest.json"):
        assert (nat.out / name).stat().st_size > 0, name


def test_pages_are_a4_numbered_and_hold_every_chapter(nat, pages, values):
    n = a4_numbered_pages(nat.out / "riksrapport.pdf")
    assert n == len(pages) > 10
    assert national.NATIONAL_TITLE in pages[0] and "1 januari 2025" in pages[0]
    full = " ".join(pages)
    areas = [AREAS[a] for a in AREAS if any(i.area == a for i in _kolada_with_data(values))]
    assert len(areas) >= 4
    for title in ("Sammanfattning", *areas, "Om underlaget"):
        assert title in pages[0], f"{title} not in the contents"
        assert full.count(title) >= 2, f"{title}: no chapter after the contents"
    for ind in _kolada_with_data(values):
        assert norm(ind.name) in full, ind.id
    assert not re.search(r"\b(nan|NaN|None|NaT|inf)\b", full)


def _fmt(value: float, ind) -> str:
    return norm(text.fmt_value(value, ind.unit, ind.decimals))


def test_ranked_charts_alt_text_names_best_worst_and_riket(nat, values):
    names = {r.code: r.name for r in all_regions()}
    from test_accessibility import _elements, _kind

    with pikepdf.open(nat.out / "riksrapport.pdf") as pdf:
        alts = [
            norm(str(e.get("/Alt", "")))
            for e in _elements(pdf.Root.StructTreeRoot, [])
            if _kind(e) == "Figure"
        ]
    checked = 0
    for ind in _kolada_with_data(values):
        if ind.direction not in ("higher", "lower"):
            continue
        alt = next(
            (
                a
                for a in alts
                if a.startswith(("Stapeldiagram", "Punktdiagram"))
                and f"{norm(ind.name)} {YEAR}" in a
            ),
            None,
        )
        assert alt, f"{ind.id}: no ranked chart alt text"
        regions = {c: v for c, v in values[ind.id].items() if c != RIKET_CODE}
        best = max(regions.values()) if ind.direction == "higher" else min(regions.values())
        worst = min(regions.values()) if ind.direction == "higher" else max(regions.values())
        for target in (best, worst):  # any of the regions sharing the value may be named
            tied = [names[c] for c, v in regions.items() if v == target]
            assert any(f"{name} {_fmt(target, ind)}" in alt for name in tied), (ind.id, alt)
        assert f"{len(regions)} regioner" in alt, (ind.id, alt)
        if RIKET_CODE in values[ind.id]:
            assert f"riket {_fmt(values[ind.id][RIKET_CODE], ind)}" in alt, (ind.id, alt)
        checked += 1
    assert checked >= 20


def test_xlsx_values_riket_and_ranks_match_the_snapshot(nat, values):
    import openpyxl

    sheet = openpyxl.load_workbook(nat.out / "riksrapport.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    head = {name: i for i, name in enumerate(rows[0])}
    catalog = {i.id: i for i in load_catalog().kolada()}
    seen = 0
    for row in rows[1:]:
        ind_id, code = row[head["Indikator-id"]], row[head["Regionkod"]]
        ind, mine = catalog[ind_id], values.get(ind_id, {})
        regions = {c: v for c, v in mine.items() if c != RIKET_CODE}
        value = row[head["Värde"]]
        if code not in regions:
            assert value is None, (ind_id, code, value)
            continue
        # the export is at the indicator's published precision (as the region's indikatorer)
        assert value == pytest.approx(round(regions[code], ind.decimals), abs=1e-9), (ind_id, code)
        if RIKET_CODE in mine:
            riket = pytest.approx(round(mine[RIKET_CODE], ind.decimals), abs=1e-9)
            assert row[head["Riket"]] == riket, (ind_id, code)
        else:
            assert row[head["Riket"]] is None, (ind_id, code)
        if ind.direction in ("higher", "lower"):
            better = sum(
                (v > regions[code]) if ind.direction == "higher" else (v < regions[code])
                for v in regions.values()
            )
            assert row[head["Placering"]] == better + 1, (ind_id, code)
            assert row[head["Antal regioner"]] == len(regions), (ind_id, code)
        seen += 1
    assert seen > 21 * 20
