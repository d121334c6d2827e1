"""A report is published as one unit: example data never replaces a real report, a failure
leaves the old report, skipping trusts the outputs' hashes, leftovers of killed runs go,
and outputs are readable as the umask allows."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from bad_input import one_line_error, tree, fake_execute, fake_report
from naravard.config.catalog import load_catalog


# --- example data never replaces a real report ----------------------------------------------


@pytest.fixture(scope="module")
def example_rep():
    from naravard.report import region as report
    from naravard.sources.table import _example_observations, validate

    catalog = load_catalog()
    obs = _example_observations(catalog)
    obs.frame = validate(obs.frame, catalog)
    return report.prepare("Västerbotten", 2024, obs=obs, catalog=catalog, figures=None)


def test_an_example_data_report_goes_under_exempeldata(project_tmp, example_rep, evil_rep):
    from naravard.report import national
    from naravard.build import pipeline
    from naravard.core.paths import figures_dir, output_dir

    job = pipeline.region_job(example_rep, None)
    assert job.out_dir == output_dir() / "exempeldata" / "vasterbotten" / "2024"
    assert job.figures == figures_dir() / "exempeldata" / "vasterbotten" / "2024"
    nat = national.prepare(2024, obs=example_rep.obs, catalog=example_rep.catalog, figures=None)
    assert (
        pipeline.national_job(nat, None).out_dir == output_dir() / "exempeldata" / "riket" / "2024"
    )
    real = pipeline.region_job(evil_rep, "snapshot")
    assert real.out_dir == output_dir() / "vasterbotten" / "2024"


def test_a_real_report_stays_untouched_and_current(project_tmp, example_rep, evil_rep, monkeypatch):
    """The real report and its manifest are neither replaced nor made stale for `make reports`."""
    from naravard.build import batch, pipeline

    real = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    before = tree(project_tmp)
    assert batch.up_to_date(real)

    example = pipeline.region_job(example_rep, None)
    monkeypatch.setattr("naravard.build.render.execute_notebook", fake_execute)
    pipeline.run_job(example, Path("unused.pkl"))
    assert (example.out_dir / "rapport.pdf").is_file()
    after = tree(project_tmp)
    assert {k: v for k, v in after.items() if "exempeldata" not in k} == before
    assert batch.up_to_date(real)


# --- a report is published as one unit -------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rapport.pdf", "manifest.json", "indikatorer.csv", "bildspel.pptx", "rapport.docx"]
)
def test_a_folder_where_a_report_file_goes_is_refused_before_any_work(
    project_tmp, evil_rep, monkeypatch, name
):
    from naravard.build import pipeline

    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    (job.out_dir / name).unlink()
    (job.out_dir / name).mkdir()
    before = tree(project_tmp)
    monkeypatch.setattr(
        "naravard.build.render.execute_notebook",
        lambda *a, **k: pytest.fail("rendered despite a blocked destination"),
    )
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert f"2024/{name} är en mapp" in message
    assert tree(project_tmp) == before
    assert not [p for p in job.out_dir.parent.iterdir() if p.name.startswith(".")]


def test_a_full_disk_while_rendering_names_the_report_folder(project_tmp, evil_rep, monkeypatch):
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


def test_figures_being_a_file_is_one_line(project_tmp, evil_rep, monkeypatch):
    from naravard.build import pipeline

    job = pipeline.region_job(evil_rep, "snapshot")
    (project_tmp / "figures").rmdir()
    (project_tmp / "figures").write_text("inte en mapp", encoding="utf-8")
    monkeypatch.setattr(
        "naravard.build.render.execute_notebook",
        lambda *a, **k: pytest.fail("rendered despite a blocked destination"),
    )
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert "figures är en fil" in message


def test_a_failure_while_swapping_leaves_the_old_report_and_figures(
    project_tmp, evil_rep, monkeypatch
):
    from naravard.build import pipeline

    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    before = tree(project_tmp)
    real_rename = os.rename

    def failing_rename(src, dst):
        if ".staging-" in str(src) and Path(dst) == job.figures:
            raise OSError(28, "No space left on device", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    monkeypatch.setattr("naravard.build.render.execute_notebook", fake_execute)
    message = one_line_error(pipeline.run_job, job, Path("unused.pkl"))
    assert "den förra är kvar" in message
    assert tree(project_tmp) == before
    leftovers = [
        p
        for base in (job.out_dir.parent, job.figures.parent)
        for p in base.iterdir()
        if p.name.startswith(".")
    ]
    assert leftovers == []


def test_files_the_user_put_in_the_report_folder_stay(project_tmp, evil_rep):
    from naravard.build import pipeline

    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    (job.out_dir / "min-anteckning.txt").write_text("behåll", encoding="utf-8")
    (job.figures / "gammalt-diagram.svg").write_text("<svg/>", encoding="utf-8")
    fake_report(job)
    assert (job.out_dir / "min-anteckning.txt").read_text(encoding="utf-8") == "behåll"
    assert not (job.figures / "gammalt-diagram.svg").exists()  # figures are all generated


# --- skipping trusts the outputs' hashes ------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "indikatorer.csv",
        "indikatorer.xlsx",
        "rapport.ipynb",
        "bildspel.pptx",
        "rapport.docx",
        "figures/diagram.svg",
        "edit:rapport.pdf",
        "edit:figures",
    ],
)
def test_a_missing_or_changed_output_is_rendered_again(project_tmp, evil_rep, damage):
    from naravard.build import batch, pipeline

    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
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


def test_the_manifest_lists_every_output_with_its_hash(project_tmp, evil_rep):
    from naravard.build import pipeline
    from naravard.build.manifest import sha256_file

    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    outputs = json.loads((job.out_dir / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert set(outputs) == {
        "indikatorer.csv",
        "indikatorer.xlsx",
        "rapport.html",
        "rapport.ipynb",
        "rapport.pdf",
        "figures/diagram.svg",
        "bildspel.pptx",
        "rapport.docx",
        "kommuner.csv",
    }  # Västerbotten has Kommunerna i länet
    assert outputs["rapport.pdf"] == sha256_file(job.out_dir / "rapport.pdf")


# --- leftovers of killed runs are removed -------------------------------------------------


def test_staging_folders_of_dead_processes_are_removed(project_tmp, evil_rep):
    from naravard.build import pipeline

    proc = subprocess.Popen(["true"])
    proc.wait()
    job = pipeline.region_job(evil_rep, "snapshot")
    stale = [
        job.out_dir.parent / f".2024.staging-{proc.pid}-abc",
        job.figures.parent / f".2024.trash-{proc.pid}-abc",
    ]
    live = job.out_dir.parent / f".2024.staging-{os.getppid()}-abc"
    for folder in [*stale, live]:
        folder.mkdir(parents=True)
        (folder / "rapport.pdf").write_bytes(b"halv")
    fake_report(job)
    assert [p.exists() for p in stale] == [False, False]
    assert live.exists()  # a running process's staging folder is left alone


def test_staging_folders_of_older_naravard_versions_are_removed_when_a_day_old(tmp_path):
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


@pytest.mark.parametrize(
    ("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)]
)
def test_outputs_are_readable_as_the_umask_allows(project_tmp, evil_rep, umask, folder, file):
    from naravard.build import pipeline
    from naravard.core import publish

    old = os.umask(umask)
    publish._umask.cache_clear()
    try:
        job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    finally:
        os.umask(old)
        publish._umask.cache_clear()
    for path in (job.out_dir, job.figures):
        assert path.stat().st_mode & 0o777 == folder, path
    for path in [*job.out_dir.iterdir(), *job.figures.iterdir()]:
        assert path.stat().st_mode & 0o777 == file, path


def test_the_manifest_honours_source_date_epoch(project_tmp, evil_rep, monkeypatch):
    from naravard.build import pipeline

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    job = fake_report(pipeline.region_job(evil_rep, "snapshot"))
    manifest = json.loads((job.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["created"] == "2025-01-01T00:00:00+00:00"
