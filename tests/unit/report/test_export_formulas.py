"""Tables for Excel: text a spreadsheet would run as a formula gets a quote, numbers stay
numbers, and the workbook is identical under SOURCE_DATE_EPOCH."""

from __future__ import annotations

import re
import time

import pytest

from bad_input import EVIL, xlsx_cells
from naravard.report import exports


# --- formula injection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        (EVIL, "'" + EVIL),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", None),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3,2", "-3,2"),
        ("+4", "+4"),
        ("-0.5 %", "-0.5 %"),
        ("Ja", "Ja"),
        (12.5, 12.5),
        ("-", "'-"),
    ],
)
def test_text_cells_that_spreadsheets_run_get_a_quote(cell, safe):
    from naravard.core.export_safety import neutralise

    assert neutralise(cell) == (safe if safe is not None else "'" + cell)


def test_a_catalogue_name_reaches_csv_and_xlsx_as_text(evil_rep):

    csv_text = exports.region_csv_bytes(evil_rep).decode("utf-8-sig")
    assert f"'{EVIL}" in csv_text.replace('""', '"')
    assert not any(line.split(";")[1].startswith("=") for line in csv_text.splitlines()[1:])
    cells = xlsx_cells(exports.region_xlsx_bytes(evil_rep))
    assert "'" + EVIL in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_the_national_workbook_is_neutralised(evil_rep):
    from naravard.report import national

    nat = national.prepare(2024, obs=evil_rep.obs, catalog=evil_rep.catalog, figures=None)
    cells = xlsx_cells(exports.national_xlsx_bytes(nat))
    assert "'" + EVIL in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_columns_added_later_are_covered_by_the_writers(evil_rep, monkeypatch):
    """A regional note and a questionnaire answer, in columns the writers do not know."""

    original = exports.region_frame

    def with_more(rep):
        frame = original(rep)
        frame["Anmärkning"] = "-1+1 @ regionens not"
        frame["Svar"] = "@SUM(1+1)*cmd|' /C calc'!A0"
        return frame

    monkeypatch.setattr(exports, "region_frame", with_more)
    csv_text = exports.region_csv_bytes(evil_rep).decode("utf-8-sig")
    assert ";'-1+1 @ regionens not;'@SUM" in csv_text
    values = [c.value for c in xlsx_cells(exports.region_xlsx_bytes(evil_rep))]
    assert "'-1+1 @ regionens not" in values and "-1+1 @ regionens not" not in values


def test_negative_numbers_stay_numbers_in_the_csv(evil_rep):

    csv_text = exports.region_csv_bytes(evil_rep).decode("utf-8-sig")
    assert ";'-" not in csv_text  # no number got a quote
    assert re.search(r";-\d", csv_text)


# --- SOURCE_DATE_EPOCH in the workbooks -----------------------------------------------------


def test_xlsx_is_identical_under_source_date_epoch(evil_rep, monkeypatch):

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    first = exports.region_xlsx_bytes(evil_rep)
    time.sleep(2.1)  # the zip format's clock ticks in 2 s steps
    assert exports.region_xlsx_bytes(evil_rep) == first
    import io
    import zipfile

    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert core.count("2025-01-01T00:00:00Z") == 2
