"""`naravard report` with bad input: one `fel:` line, exit code 2, and nothing written.

Parameters are validated before a kernel starts, so none of these tests renders anything.
Most cases use a tiny Kolada snapshot built in tmp; the corrupt-file case copies the real one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import skip_unless_make_is_ready
from naravard.cli import main

REPO = Path(__file__).resolve().parents[2]
KPI = "N79173"  # medicinsk_bedomning_3d in the catalogue


def write_snapshot(directory: Path, rows: list[tuple[str, int, float]], kpi: str = KPI) -> Path:
    """A minimal snapshot in Kolada's v3 layout: one KPI, (region_code, year, value) rows."""
    (directory / "data").mkdir(parents=True, exist_ok=True)
    values = [
        {
            "kpi": kpi,
            "municipality": code,
            "period": year,
            "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
        }
        for code, year, value in rows
    ]
    page = {"values": values, "count": len(values), "next_url": None, "previous_url": None}
    (directory / "data" / f"{kpi}.json").write_text(json.dumps(page), encoding="utf-8")
    municipalities = [
        {"id": "0000", "title": "Riket", "type": "L"},
        {"id": "0001", "title": "Stockholm", "type": "L"},
        {"id": "0009", "title": "Gotland", "type": "L"},
    ]
    (directory / "municipality.json").write_text(
        json.dumps({"values": municipalities, "count": 3}), encoding="utf-8"
    )
    return directory


# Gotland (0009) has 2022 only; Stockholm and Riket also have 2023.
TINY_ROWS = [
    ("0000", 2022, 80.0),
    ("0000", 2023, 81.0),
    ("0001", 2022, 74.0),
    ("0001", 2023, 75.0),
    ("0009", 2022, 70.0),
]


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return write_snapshot(tmp_path / "tiny", TINY_ROWS)


@pytest.fixture()
def project(project_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway project root whose cache is empty, so no test can fall back to old data."""
    monkeypatch.setenv("NARAVARD_CACHE", str(tmp_path / "empty-cache"))
    return project_tmp


def data_years(data: Path, region: str = "gotland") -> tuple[int, int]:
    """First and last year with any value in what a report for `region` reads (Kolada and
    that region's own figures), straight from the observations table."""
    from naravard.sources.table import load_observations

    frame = load_observations(data, regions=[region]).frame
    years = frame.loc[frame["value"].notna(), "year"]
    assert 2022 in set(years)
    return int(years.min()), int(years.max())


def written(root: Path) -> list[Path]:
    return sorted(p for sub in ("output", "figures") for p in (root / sub).rglob("*"))


def run_report(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(code: int, err: str, root: Path) -> str:
    """Exit 2, exactly one stderr line starting `fel:`, no traceback, nothing on disk."""
    lines = err.splitlines()
    assert code == 2, err
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("fel: "), lines[0]
    assert "Traceback" not in err
    assert written(root) == [], f"bad input wrote files: {written(root)}"
    return lines[0]


def test_unknown_region_lists_closest_matches(project, tiny, capsys):
    code, _, err = run_report(capsys, "--region", "Atlantis", "--year", "2022", "--data", str(tiny))
    line = assert_user_error(code, err, project)
    assert "Atlantis" in line
    assert "närmast" in line


def test_close_misspelling_suggests_the_region(project, tiny, capsys):
    code, _, err = run_report(
        capsys, "--region", "Västerbotn", "--year", "2022", "--data", str(tiny)
    )
    line = assert_user_error(code, err, project)
    assert "Västerbotten" in line.split("Västerbotn", 1)[1]


@pytest.mark.parametrize("region", ["../../etc", "/etc/passwd", "vasterbotten/../../x", ""])
def test_path_like_or_empty_region_is_rejected(project, tiny, capsys, region):
    code, _, err = run_report(capsys, "--region", region, "--year", "2022", "--data", str(tiny))
    assert_user_error(code, err, project)
    assert not (project.parent / "etc").exists()


def test_riket_is_not_a_region(project, tiny, capsys):
    code, _, err = run_report(capsys, "--region", "Riket", "--year", "2022", "--data", str(tiny))
    assert "riket" in assert_user_error(code, err, project).lower()


@pytest.mark.parametrize("year", ["1999", "abc", "2022.5", "3000"])
def test_year_outside_the_data_lists_available_years(project, tiny, capsys, year):
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", year, "--data", str(tiny))
    line = assert_user_error(code, err, project)
    assert year in line
    first, last = data_years(tiny)  # the region's own figures (data/regional) add years
    assert f"{first}–{last}" in line


def test_year_outside_the_real_snapshot_lists_its_years(project, snapshot_dir, capsys):
    code, _, err = run_report(
        capsys, "--region", "Västerbotten", "--year", "1999", "--data", str(snapshot_dir)
    )
    line = assert_user_error(code, err, project)
    first, last = data_years(snapshot_dir)
    assert f"{first}–{last}" in line


def test_year_the_region_lacks_names_the_years_it_has(project, tiny, capsys):
    # Riket and Stockholm have 2023, Gotland does not: a report would be empty.
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", "2023", "--data", str(tiny))
    line = assert_user_error(code, err, project)
    assert "Gotland" in line and "2023" in line
    assert "2022" in line


def test_missing_data_dir(project, tmp_path, capsys):
    missing = tmp_path / "finns-inte"
    code, _, err = run_report(
        capsys, "--region", "Gotland", "--year", "2022", "--data", str(missing)
    )
    assert str(missing) in assert_user_error(code, err, project)


def test_data_is_a_file(project, tmp_path, capsys):
    file = tmp_path / "data.json"
    file.write_text("{}", encoding="utf-8")
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", "2022", "--data", str(file))
    assert str(file) in assert_user_error(code, err, project)


@pytest.mark.parametrize("layout", ["empty", "empty-data-folder"])
def test_data_dir_without_kolada_files(project, tmp_path, capsys, layout):
    directory = tmp_path / "snap"
    (directory / "data" if layout == "empty-data-folder" else directory).mkdir(parents=True)
    code, _, err = run_report(
        capsys, "--region", "Gotland", "--year", "2022", "--data", str(directory)
    )
    assert str(directory) in assert_user_error(code, err, project)


def test_missing_naravard_data_is_named(project, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NARAVARD_DATA", str(tmp_path / "borta"))
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", "2022")
    assert "NARAVARD_DATA" in assert_user_error(code, err, project)


def test_truncated_json_in_a_copy_of_the_snapshot(project, snapshot_dir, tmp_path, capsys):
    broken = tmp_path / "kolada"
    shutil.copytree(snapshot_dir, broken)
    target = broken / "data" / f"{KPI}.json"
    target.write_bytes(target.read_bytes()[:100])
    code, _, err = run_report(
        capsys, "--region", "Västerbotten", "--year", "2024", "--data", str(broken)
    )
    assert f"{KPI}.json" in assert_user_error(code, err, project)


@pytest.mark.parametrize(
    "payload, field",
    [
        ("[]", "list"),
        (
            '{"values": [{"kpi": "N79173", "municipality": "0009", "period": 2022,'
            ' "values": [{"gender": "T", "value": "abc"}]}]}',
            "abc",
        ),
        (
            '{"values": [{"kpi": "N79173", "municipality": "0009", "period": "x",'
            ' "values": [{"gender": "T", "value": 5}]}]}',
            "period",
        ),
    ],
)
def test_wrong_shape_json_names_file_and_field(project, tiny, capsys, payload, field):
    (tiny / "data" / f"{KPI}.json").write_text(payload, encoding="utf-8")
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", "2022", "--data", str(tiny))
    line = assert_user_error(code, err, project)
    assert f"{KPI}.json" in line and field in line


def test_percentage_out_of_range_is_a_user_error(project, tmp_path, capsys):
    snap = write_snapshot(tmp_path / "snap", [("0009", 2022, 250.0), ("0001", 2022, 70.0)])
    code, _, err = run_report(capsys, "--region", "Gotland", "--year", "2022", "--data", str(snap))
    assert "250" in assert_user_error(code, err, project)


def test_makefile_propagates_the_failure(project, tiny):
    """`make report` with an unknown region exits non-zero and shows the one-line error."""
    skip_unless_make_is_ready()
    env = dict(os.environ, NARAVARD_ROOT=str(project))
    proc = subprocess.run(
        ["make", "--no-print-directory", "report", "REGION=Atlantis", "YEAR=2022", f"DATA={tiny}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    fel = [line for line in proc.stderr.splitlines() if line.startswith("fel:")]
    assert len(fel) == 1 and "Atlantis" in fel[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert written(project) == []


@pytest.mark.parametrize("missing", ["REGION", "YEAR"])
def test_makefile_requires_region_and_year(project, missing):
    skip_unless_make_is_ready()
    args = {"REGION": "REGION=Gotland", "YEAR": "YEAR=2022"}
    args.pop(missing)
    env = dict(os.environ, NARAVARD_ROOT=str(project))
    proc = subprocess.run(
        ["make", "--no-print-directory", "report", *args.values()],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert f"ange {missing}" in proc.stderr


def test_reports_with_a_missing_data_dir_fail_before_any_worker_starts(
    project, tmp_path, capsys, monkeypatch
):
    from naravard.build import batch

    monkeypatch.setattr(batch, "_start_pool", lambda n: pytest.fail("workers were started"))
    missing = tmp_path / "finns-inte"
    code = main(["reports", "--year", "2024", "--data", str(missing)])
    _, err = capsys.readouterr()
    assert str(missing) in assert_user_error(code, err, project)


def test_the_command_keeps_its_exit_code_and_its_message_when_it_skips_the_teardown(tmp_path):
    """`naravard` leaves through os._exit (cli.run): the code and the buffered line still
    reach a caller that reads them through pipes."""
    import sys

    env = dict(os.environ, NARAVARD_ROOT=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "naravard.cli", "report", "--region", "Atlantis", "--year", "2024"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("fel: ") and "Atlantis" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def _commands(parser, path=("naravard",)):
    """(command path, parser) for the program and every subcommand, however deep."""
    import argparse

    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, (*path, name))


def test_version_is_the_one_in_pyproject(capsys):
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"naravard {declared['project']['version']}"


def test_every_command_help_ends_with_examples_that_parse(capsys):
    """Each --help shows examples of that very command, and each example is a valid call."""
    import shlex

    from naravard.cli import build_parser

    commands = list(_commands(build_parser()))
    assert len(commands) == 12  # naravard, data (status, download), report, reports, …
    for path, _ in commands:
        with pytest.raises(SystemExit) as stop:
            main([*path[1:], "--help"])
        assert stop.value.code == 0
        text = capsys.readouterr().out
        assert "Exempel:" in text, path
        examples = [
            line.split("  ")[1]
            for line in text.split("Exempel:")[1].splitlines()
            if line.startswith("  naravard ") and "<" not in line
        ]
        assert examples, path
        for example in examples:
            words = shlex.split(example)
            assert words[: len(path)] == list(path), (path, example)
            build_parser().parse_args(words[1:])  # SystemExit here: the example is stale
