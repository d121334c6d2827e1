"""indikatorer.xlsx and riksrapport.xlsx, read back with openpyxl: ready to forward as they are."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from naravard.report import excel, exports, national, region as report


@pytest.fixture(scope="module")
def books():
    """Both workbooks from the committed snapshot, and the region report behind them."""
    rep = report.prepare("Västerbotten", 2024, figures=None, previous=None)
    nat = national.prepare(2024, obs=rep.obs, catalog=rep.catalog, figures=None)
    region_book = openpyxl.load_workbook(io.BytesIO(exports.region_xlsx_bytes(rep)))
    national_book = openpyxl.load_workbook(io.BytesIO(exports.national_xlsx_bytes(nat)))
    return rep, region_book, national_book


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _rows(ws) -> list[dict]:
    head = _header(ws)
    return [dict(zip(head, row)) for row in ws.iter_rows(min_row=2)]


def test_both_have_a_bold_frozen_filtered_header_and_print_one_column_wide(books):
    _, region_book, national_book = books
    # Västerbotten has goals of its own and the län's kommuner: a sheet each, formatted alike
    assert region_book.sheetnames == ["Indikatorer", "Regionens mål", "Kommuner", "Om tabellen"]
    assert national_book.sheetnames == ["Regioner", "Om tabellen"]
    for book, sheet in (
        (region_book, "Indikatorer"),
        (national_book, "Regioner"),
        (region_book, "Regionens mål"),
        (region_book, "Kommuner"),
    ):
        ws = book[sheet]
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.auto_filter.ref == ws.dimensions
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"  # the header on every printed page


def test_numbers_keep_each_indicators_published_decimals(books):
    rep, region_book, national_book = books
    by_id = {r["Indikator-id"].value: r for r in _rows(region_book["Indikatorer"])}
    for ind in rep.catalog:
        if ind.id not in by_id:
            continue
        cell = by_id[ind.id]["Värde"]
        assert cell.number_format == excel.measure_format(ind.decimals), ind.id
        assert by_id[ind.id]["Riket"].number_format == cell.number_format
    # telefon samma dag: riket 87,0 % is stored as 87 and shown with its one decimal
    riket = by_id["telefon_samma_dag"]["Riket"]
    assert riket.value == 87 and riket.number_format == "#,##0.0"
    assert by_id["telefon_samma_dag"]["År"].number_format == "0"  # no "2 024"
    for row in _rows(national_book["Regioner"]):
        decimals = rep.catalog.get(row["Indikator-id"].value).decimals
        assert row["Värde"].number_format == excel.measure_format(decimals)
        assert row["Placering"].number_format == "0"


def test_yes_and_no_are_ja_and_nej_in_both(books):
    _, region_book, national_book = books
    for ws in (region_book["Indikatorer"], national_book["Regioner"]):
        values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
        assert not any(isinstance(v, bool) for v in values)
        assert not {"True", "False"} & {v for v in values if isinstance(v, str)}
        counts = {c.value for c in [r["Förändringen räknas"] for r in _rows(ws)]}
        assert counts <= {"Ja", "Nej"} and counts
    reached = {r["Når målet"].value for r in _rows(national_book["Regioner"])}
    assert reached <= {"Ja", "Nej", None} and {"Ja", "Nej"} <= reached


def test_same_column_order_and_widths_in_both(books):
    _, region_book, national_book = books
    ours, theirs = region_book["Indikatorer"], national_book["Regioner"]
    shared = [c for c in _header(ours) if c in _header(theirs)]
    assert len(shared) > 15
    assert [c for c in _header(theirs) if c in shared] == shared
    assert _header(theirs)[:2] == ["Region", "Regionkod"]
    assert "Enhet" in shared and "Källa" in shared

    def widths(ws) -> dict[str, float]:
        return {cell.value: ws.column_dimensions[cell.column_letter].width for cell in ws[1]}

    assert {c: widths(ours)[c] for c in shared} == {c: widths(theirs)[c] for c in shared}


def test_om_tabellen_says_source_snapshot_version_and_date(books):
    _, region_book, national_book = books
    for book in (region_book, national_book):
        about = {k: v for k, v in book["Om tabellen"].iter_rows(min_row=2, values_only=True)}
        assert "Kolada" in about["Källa"]
        assert "ögonblicksbild" in about["Underlag"] or "Kolada" in about["Underlag"]
        assert about["Gjord med"].startswith("naravard ")
        assert about["Rapportens datum"] and about["Uppgifterna hämtade"]


def test_formulas_stay_text_and_dates_are_reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    frame = pd.DataFrame(
        {
            "Indikator": ['=HYPERLINK("http://x")'],
            "Indikator-id": ["x"],
            "Värde": [1.25],
            "Förändringen räknas": [True],
        }
    )
    about = excel.about_rows("T", "@SUM(A1)", "u", None)
    data = excel.workbook_bytes(frame, sheet="Indikatorer", decimals=[2], about=about)
    assert data == excel.workbook_bytes(frame, sheet="Indikatorer", decimals=[2], about=about)
    book = openpyxl.load_workbook(io.BytesIO(data))
    row = _rows(book["Indikatorer"])[0]
    assert row["Indikator"].value == '\'=HYPERLINK("http://x")'
    assert row["Värde"].number_format == "#,##0.00"
    assert row["Förändringen räknas"].value == "Ja"
    about_values = dict(book["Om tabellen"].iter_rows(min_row=2, values_only=True))
    assert about_values["Källa"] == "'@SUM(A1)"
    assert about_values["Rapportens datum"] == "1 januari 2025"


@pytest.mark.e2e
def test_the_rendered_reports_xlsx_are_the_formatted_ones(renders):
    for render, name in (
        (renders.region(), "indikatorer.xlsx"),
        (renders.national(), "riksrapport.xlsx"),
    ):
        book = openpyxl.load_workbook(render.out / name)
        ws = book.worksheets[0]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and "Om tabellen" in book.sheetnames
