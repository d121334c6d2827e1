"""`make report`: validate parameters, load data once, run the notebook, publish atomically.

Parameters are checked against the data before a kernel starts, so bad input costs a second
and writes nothing; the notebook gets the already-validated table as a pickle.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from naravard import report
from naravard.catalog import load_catalog
from naravard.errors import NaravardError
from naravard.paths import catalog_path, figures_dir, notebooks_dir, output_dir, regional_dir

REGION_NOTEBOOK = "regionrapport.ipynb"


@dataclass
class ReportOutcome:
    """What one report run wrote, for the console summary and the batch table."""

    label: str
    out_dir: Path
    paths: list[Path] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    skipped: bool = False


def swap_dir(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` so readers see the old or the new folder, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup, ignore_errors=True)


def input_files(obs: object, notebook: Path) -> list[Path]:
    """Every file whose content decides the report, hashed into the manifest."""
    from naravard import questionnaire

    files = [notebook, catalog_path(), *getattr(obs, "input_files", [])]
    qdir = questionnaire.questionnaire_root() if hasattr(questionnaire, "questionnaire_root") \
        else None
    if qdir and qdir.is_dir():
        files += sorted(p for p in qdir.rglob("*.yaml"))
    files += sorted(regional_dir().glob("*.csv"))
    unique: list[Path] = []
    for f in files:
        if Path(f).is_file() and Path(f) not in unique:
            unique.append(Path(f))
    return unique


def build_region_report(region: str, year: object, data: str | Path | None = None, *,
                        obs: object = None, obs_file: Path | None = None,
                        quiet: bool = False) -> ReportOutcome:
    """Everything `make report` writes for one region and year, or nothing at all."""
    from naravard.manifest import build_manifest
    from naravard.render import render_notebook_report
    from naravard.table import load_observations, save_observations

    started = time.perf_counter()
    catalog = load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    rep = report.prepare(region, year, obs=obs, catalog=catalog, figures=None)
    slug, year_int = rep.region.slug, rep.year
    out = output_dir() / slug / str(year_int)
    fig_final = figures_dir() / slug / str(year_int)
    fig_final.parent.mkdir(parents=True, exist_ok=True)
    notebook = notebooks_dir() / REGION_NOTEBOOK
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    log(f"Rapport för {rep.region.full_name} {year_int} ({obs.origin_label})")

    with tempfile.TemporaryDirectory(prefix=f".{year_int}-", dir=fig_final.parent) as tmp:
        tmp_path = Path(tmp)
        if obs_file is None:
            obs_file = tmp_path / "observations.pkl"
            save_observations(obs, obs_file)
        staging_figs = tmp_path / "figures"
        staging_figs.mkdir()
        params = {"region": rep.region.name, "year": year_int, "data": str(obs_file),
                  "figures_dir": str(staging_figs)}
        extra = {"indikatorer.csv": report.export_csv_bytes(rep),
                 "indikatorer.xlsx": report.export_xlsx_bytes(rep)}
        manifest = build_manifest(
            parameters={"region": rep.region.code, "year": year_int,
                        "data": str(data) if data else None},
            data_origin=obs.origin_label, retrieved=obs.retrieved,
            input_files=input_files(obs, notebook), timings={}, extra={"kind": "region"})
        log("  kör notebooken, skapar HTML och PDF …")
        result = render_notebook_report(
            notebook, params, out, stem="rapport",
            title=f"{report.TITLE} – {rep.region.full_name} {year_int}",
            extra_files=extra, manifest=manifest)
        swap_dir(staging_figs, fig_final)
    outcome = ReportOutcome(f"{rep.region.name}", out, list(result.paths), result.pages,
                            time.perf_counter() - started)
    outcome.paths.append(fig_final)
    if not quiet:
        log(f"Klart på {outcome.seconds:.1f} s, {outcome.pages} sidor:")
        for p in outcome.paths:
            log(f"  {p}")
    return outcome


def ensure_notebook(name: str) -> Path:
    path = notebooks_dir() / name
    if not path.is_file():
        raise NaravardError(f"notebooken {path} saknas; återställ den från git")
    return path
