"""`make reports`: one region's broken data does not stop the others; unchanged reports are skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from naravard.build import batch
from naravard.config.catalog import load_catalog
from naravard.core.paths import repo_root


@pytest.fixture()
def regional_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of data/regional that the batch runner reads instead of the repo's."""
    target = tmp_path / "regional"
    shutil.copytree(repo_root() / "data" / "regional", target)
    monkeypatch.setenv("NARAVARD_REGIONAL_DIR", str(target))
    return target


def _python(code: str, cwd: Path, **env: str) -> str:
    """Run `code` in a fresh interpreter (its imports and process state its own); stdout."""
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        env=dict(os.environ, **env),
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout if not out.stderr else out.stdout + "\nstderr: " + out.stderr


def _corrupt(path: Path) -> None:
    path.write_text(
        "indicator_id;year;gender;value;source;note\nfast_lakarkontakt_andel;2024;T;abc;x;\n",
        encoding="utf-8",
    )


def test_a_broken_regional_file_is_set_aside_for_its_region_only(
    snapshot_dir: Path, regional_copy: Path, project_tmp: Path
) -> None:
    _corrupt(regional_copy / "vasterbotten.csv")
    obs, bad = batch._load_tolerant(snapshot_dir, load_catalog())
    assert list(bad) == ["vasterbotten"]
    assert "vasterbotten.csv" in bad["vasterbotten"] and "abc" in bad["vasterbotten"]
    frame = obs.frame
    assert (
        not frame[frame["region_code"] == "0018"]
        .query("indicator_id == 'fast_lakarkontakt_andel'")
        .empty
    )  # Örebro's file still loaded
    assert regional_copy / "orebro-lan.csv" in [Path(p) for p in obs.input_files]


def test_summary_table_lists_every_report() -> None:
    text = batch._summary(
        [
            batch.TaskResult("Gotland", "klar", 12.34, 40),
            batch.TaskResult("Västerbotten", "fel", 0.1, error="x"),
            batch.TaskResult("Riket (jämförelse)", "aktuell"),
        ]
    )
    lines = text.splitlines()
    assert lines[0].split() == ["Rapport", "Status", "Sekunder", "Sidor"]
    assert "12.3" in lines[1] and "40" in lines[1]
    assert "fel" in lines[2] and "aktuell" in lines[3]


@pytest.mark.e2e
def test_batch_renders_the_others_names_the_failure_and_skips_what_is_up_to_date(
    snapshot_dir: Path, regional_copy: Path, project_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corrupt(regional_copy / "vasterbotten.csv")
    code = batch.run_batch(
        2024,
        snapshot_dir,
        jobs=2,
        regions=["Gotland", "Västerbotten"],
        national_report=False,
        progress=False,
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert "fel: Västerbotten:" in err and "vasterbotten.csv" in err
    gotland = project_tmp / "output" / "gotland" / "2024"
    for name in (
        "rapport.pdf",
        "rapport.html",
        "rapport.ipynb",
        "indikatorer.csv",
        "indikatorer.xlsx",
        "manifest.json",
    ):
        assert (gotland / name).is_file(), name
    assert not (project_tmp / "output" / "vasterbotten").exists()
    manifest = json.loads((gotland / "manifest.json").read_text(encoding="utf-8"))
    pdf_mtime = (gotland / "rapport.pdf").stat().st_mtime_ns

    # unchanged inputs: nothing is rendered again
    code = batch.run_batch(
        2024, snapshot_dir, jobs=2, regions=["Gotland"], national_report=False, progress=False
    )
    out, _ = capsys.readouterr()
    assert code == 0 and "aktuell" in out
    assert (gotland / "rapport.pdf").stat().st_mtime_ns == pdf_mtime

    # a new input for Gotland (its own regional file) re-renders Gotland
    (regional_copy / "gotland.csv").write_text(
        "indicator_id;year;gender;value;source;note\n"
        "fast_lakarkontakt_andel;2024;T;41;Testkälla;\n",
        encoding="utf-8",
    )
    code = batch.run_batch(
        2024, snapshot_dir, jobs=1, regions=["Gotland"], national_report=False, progress=False
    )
    out, _ = capsys.readouterr()
    assert code == 0 and "klar" in out
    new_manifest = json.loads((gotland / "manifest.json").read_text(encoding="utf-8"))
    assert new_manifest["fingerprint"] != manifest["fingerprint"]
    assert ";41;" in (gotland / "indikatorer.csv").read_text(encoding="utf-8-sig")


def test_a_batch_worker_runs_its_jobs_without_pandas_or_matplotlib(tmp_path: Path) -> None:
    """Only the kernel computes and draws; the worker executes, converts and prints. Loading
    pandas and matplotlib there cost every worker about a second before its first report."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from naravard.build import batch, kernels, manifest, pipeline, render\n"
        "from naravard.core import publish\n"
        "from naravard.sources.observation_key import use_observations_key\n"
        "use_observations_key('k')\n"
        "job = pipeline.Job('X', Path('n.ipynb'), 'rapport', 't', Path('o'), Path('f'), {}, {},\n"
        "                   [], 'Kolada', None)\n"
        "pipeline.job_manifest(job, {'total': 1.0}, outputs={})\n"
        "render.warm_up()\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))\n"
    )
    assert _python(code, tmp_path).strip() == "[]"


def test_a_worker_stopped_by_the_parent_leaves_no_library_message(tmp_path: Path) -> None:
    """Ctrl-C: the parent stops each worker (SIGTERM) and prints the one line. The worker's
    papermill then logged "Kernel died while waiting for execute reply." as the worker's kernel
    was stopped under it; once the worker is told to stop, such messages are not shown."""
    code = (
        "import logging, signal\n"
        "from naravard.build import batch\n"
        "try:\n"
        "    batch._exit_worker(signal.SIGTERM, None)\n"
        "except SystemExit as exc:\n"
        "    print(exc.code)\n"
        "logging.getLogger('papermill').error('Kernel died while waiting for execute reply.')\n"
        "logging.getLogger('nbclient').error('nbclient noise')\n"
        "logging.getLogger('asyncio').error('Task was destroyed but it is pending!')\n"
        "import warnings; warnings.warn('coroutine was never awaited', RuntimeWarning)\n"
    )
    assert _python(code, tmp_path) == "143\n"  # and nothing on stderr


def test_a_warmed_worker_freezes_what_it_loaded_and_collects_less_often(tmp_path: Path) -> None:
    """A worker prints PDF after PDF: what it loaded while warming (nbconvert, WeasyPrint)
    lives as long as it does and leaves the collector's sight."""
    code = (
        "import gc\n"
        "from naravard.build import batch, render\n"
        "batch._kernel = lambda: None\n"  # no kernel: this test is about the worker's heap
        "batch.wait_until_ready = lambda km: None\n"
        "render.warm_up = lambda: None\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n"
        "batch._worker_init('k')\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n"
    )
    assert _python(code, tmp_path).split("\n")[:2] == ["700 False", "20000 True"]


def test_the_parent_prepares_its_jobs_without_matplotlib(
    tmp_path: Path, snapshot_dir: Path
) -> None:
    """The parent loads the data and prepares every job while the workers warm up on the
    same two cores; only kernels draw, so it leaves matplotlib (0,7 s of imports) to them."""
    code = (
        "import sys\n"
        "from naravard.build import pipeline\n"
        "from naravard.report import national, region as report\n"
        "from naravard.sources.table import load_observations\n"
        f"obs = load_observations({str(snapshot_dir)!r})\n"
        "rep = report.prepare('Uppsala', 2024, obs=obs, figures=None, previous=None)\n"
        "pipeline.region_job(rep, None)\n"
        "pipeline.national_job(national.prepare(2024, obs=obs, figures=None), None)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    assert _python(code, tmp_path, NARAVARD_ROOT=str(tmp_path)).strip() == "False"
