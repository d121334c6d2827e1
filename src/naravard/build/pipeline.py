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
from typing import TYPE_CHECKING, Any
import threading
import sys

from naravard.build import board_files
from naravard.build.kernels import start_report_kernel, stop_kernel
from naravard.build.manifest import build_manifest, sha256_file, write_manifest
from naravard.config.regions import get_region
from naravard.core import publish
from naravard.core.errors import NaravardError
from naravard.core.limits import printable
from naravard.core.paths import (
    catalog_files,
    display_path,
    goals_dir,
    notebooks_dir,
    own_notebooks_dir,
    questionnaire_dir,
    regional_dir,
    report_roots,
)
from naravard.report.cells import REGION_NOTEBOOK
from naravard.report.own_limits import check_settings
from naravard.sources.observation_key import observations_key
from naravard.report.slide_template import template_path

# Imports marked "slow import: see top" load pandas, the report modules or nbformat (0,5–1,7 s
# each, measured December 2026): a batch worker runs jobs without them (its kernel loads
# them), so they are imported where a job needs them.

if TYPE_CHECKING:  # imported where used: a batch worker runs jobs without them
    from naravard.report import national, region as report

NATIONAL_NOTEBOOK = "riksrapport.ipynb"


@dataclass
class ReportOutcome:
    """What one report run wrote, for the console summary and the batch table."""

    label: str
    out_dir: Path
    paths: list[Path] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    skipped: bool = False


@dataclass
class Job:
    """One report to render: which notebook, with which parameters, into which folders."""

    label: str
    notebook: Path
    stem: str
    title: str
    out_dir: Path
    figures: Path
    parameters: dict[str, Any]  # notebook parameters, without data and figures_dir
    manifest_parameters: dict[str, Any]
    inputs: list[Path]
    data_origin: str  # the observations' origin_label and retrieved date, for the manifest
    retrieved: str | None
    extra_files: dict[str, bytes] = field(default_factory=dict)
    revised: list[str] = field(default_factory=list)  # changed since the previous version
    # bildspel.pptx: the report's content (naravard.report.board_pack) and the slide template
    pack: Any = None
    template: Path | None = None


def _existing(paths: list[Path]) -> list[Path]:
    unique: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_file() and p not in unique:
            unique.append(p)
    return unique


def _kolada_files(obs: Any) -> list[Path]:
    regional = regional_dir().resolve()
    return [
        Path(p) for p in getattr(obs, "input_files", []) if Path(p).resolve().parent != regional
    ]


def region_inputs(obs: Any, slug: str, year: int) -> list[Path]:
    """The files one region's report depends on: a change elsewhere does not re-render it."""
    from naravard.report.commentary import comment_path  # slow import: see top

    qdir = questionnaire_dir()
    return _existing(
        [
            notebooks_dir() / REGION_NOTEBOOK,
            *catalog_files(),
            *_kolada_files(obs),
            regional_dir() / f"{slug}.csv",
            goals_dir() / f"{slug}.yaml",
            qdir / f"{year}.yaml",
            qdir / "answers" / slug / f"{year}.yaml",
            comment_path(slug, year),
            own_notebooks_dir() / f"{slug}.ipynb",
        ]
    )


def national_inputs(obs: Any, year: int) -> list[Path]:
    qdir = questionnaire_dir()
    return _existing(
        [
            notebooks_dir() / NATIONAL_NOTEBOOK,
            *catalog_files(),
            *getattr(obs, "input_files", []),
            qdir / f"{year}.yaml",
            *sorted(qdir.glob(f"answers/*/{year}.yaml")),
        ]
    )


def region_job(
    rep: report.RegionReport, data: object, *, force: bool = False, since: str | Path | None = None
) -> Job:
    """The region's render job; refused when it would replace a published report that has
    Kolada values by one with none (an empty or broken download), unless `force`.

    Its "Ändrat sedan …" compares with `since` (SEDAN=), else the latest archived version,
    else the published one (naravard.build.archive.baseline); an archived table it compares
    with is one of its inputs, so a new archive makes the report render again.
    """
    from naravard.analysis import revisions  # slow import: see top
    from naravard.build import archive  # slow import: see top
    from naravard.report import common, exports, kommun, peers  # slow import: see top

    slug, year = rep.region.slug, rep.year
    if rep.own_notebook is not None:
        check_settings()  # a bad NARAVARD_OWN_TIMEOUT is one line now, not in the kernel
    out_root, fig_root = report_roots(rep.obs)
    out_dir = out_root / slug / str(year)
    csv = exports.region_csv_bytes(rep)
    gone = 0 if force else revisions.vanished_kolada_values(out_dir, csv)
    if gone:
        raise NaravardError(
            f"{display_path(out_dir)}: den publicerade rapporten har {gone} värden från Kolada, "
            f"den nya skulle inte ha något ({rep.obs.origin_label}); kontrollera underlaget "
            "(make data) eller publicera ändå med FORCE=1"
        )
    extra = {"indikatorer.csv": csv, "indikatorer.xlsx": exports.region_xlsx_bytes(rep)}
    kommun_csv = kommun.export_csv_bytes(rep)
    if kommun_csv is not None:
        extra[kommun.CSV_NAME] = kommun_csv
    pack, template = board_pack(rep)
    # read from the published folder before the new report replaces it
    previous = archive.baseline(slug, year, out_dir, since)
    changes = revisions.changes_since(previous, csv)
    if changes is not None and not changes.empty:
        extra[revisions.CHANGES_NAME] = revisions.csv_bytes(changes)
    return Job(
        label=rep.region.name,
        notebook=notebooks_dir() / REGION_NOTEBOOK,
        stem="rapport",
        title=f"{common.TITLE} – {rep.region.full_name} {year}",
        out_dir=out_dir,
        figures=fig_root / slug / str(year),
        parameters={
            "region": rep.region.name,
            "year": year,
            "previous_dir": str(previous),
            "jamfor": rep.peers.jamfor,
        },
        # the group decides the report's places: a new group re-renders it (make reports)
        manifest_parameters={
            "kind": "region",
            "region": rep.region.code,
            "year": year,
            "data": str(data) if data else None,
            **peers.manifest(rep),
        },
        inputs=region_inputs(rep.obs, slug, year)
        + _existing([template])
        + ([] if previous == out_dir else _existing([previous / revisions.CSV_NAME])),
        data_origin=rep.obs.origin_label,
        retrieved=rep.obs.retrieved,
        extra_files=extra,
        revised=[] if changes is None else list(changes.frame["Indikator"]),
        pack=pack,
        template=template,
    )


def board_pack(rep: report.RegionReport) -> tuple[Any, Path]:
    """The content of bildspel.pptx and rapport.docx, and the slide template (checked now:
    a broken template is one line before the notebook runs)."""
    from naravard.report.board_pack import region_pack  # slow import: see top

    template = template_path(rep.region.slug)
    board_files.check_template(template)
    return region_pack(rep), template


def national_job(rep: national.NationalReport, data: object) -> Job:
    from naravard.report import exports, national  # slow import: see top
    from naravard.report.slide_template import template_path  # slow import: see top

    year = rep.year
    out_root, fig_root = report_roots(rep.obs)
    template = template_path("riket")
    board_files.check_template(template)
    return Job(
        label="Riket (jämförelse)",
        notebook=notebooks_dir() / NATIONAL_NOTEBOOK,
        stem="riksrapport",
        title=f"{national.NATIONAL_TITLE} {year}",
        out_dir=out_root / "riket" / str(year),
        figures=fig_root / "riket" / str(year),
        parameters={"year": year},
        manifest_parameters={"kind": "national", "year": year, "data": str(data) if data else None},
        inputs=national_inputs(rep.obs, year) + _existing([template]),
        data_origin=rep.obs.origin_label,
        retrieved=rep.obs.retrieved,
        extra_files={"riksrapport.xlsx": exports.national_xlsx_bytes(rep)},
        pack=national_board_pack(rep),
        template=template,
    )


def national_board_pack(rep: national.NationalReport) -> Any:
    from naravard.report.board_pack import national_pack  # slow import: see top

    return national_pack(rep)


def job_manifest(
    job: Job, timings: dict[str, float], outputs: dict[str, str] | None = None
) -> dict:
    return build_manifest(
        parameters=job.manifest_parameters,
        data_origin=job.data_origin,
        retrieved=job.retrieved,
        input_files=job.inputs,
        timings=timings,
        extra={},
        outputs=outputs,
    )


def output_hashes(out_dir: Path, figures: Path) -> dict[str, str]:
    """sha256 of every file a report consists of: its folder's files and `figures/…`."""
    hashes = {
        p.name: sha256_file(p)
        for p in sorted(out_dir.iterdir())
        if p.is_file() and p.name != "manifest.json"
    }
    for p in sorted(figures.rglob("*")):
        if p.is_file():
            hashes[f"figures/{p.relative_to(figures).as_posix()}"] = sha256_file(p)
    return hashes


def run_job(job: Job, obs_file: Path, *, km: Any = None) -> ReportOutcome:
    """Render one job; its folder, manifest and figures appear all at once or not at all.

    Only the kernel reads the observations (`obs_file`): a batch worker that runs this needs
    neither pandas nor matplotlib.
    """
    from naravard.build.render import render_notebook_report  # slow import: see top

    started = time.perf_counter()
    for parent in (job.out_dir.parent, job.figures.parent):
        publish.remove_stale(parent)
    board = (
        [board_files.DECK_NAME, *([board_files.DOCUMENT_NAME] if job.pack.document else [])]
        if job.pack is not None
        else []
    )
    publish.check_destination(job.out_dir, ["manifest.json", *board])  # the rest: render's
    publish.check_destination(job.figures, [])
    staging = publish.staging_dir(job.figures)
    # the Word file is made while the kernel runs the notebook, when this process only waits
    document = board_files.Background(job.pack) if board_files.DOCUMENT_NAME in board else None

    def finish(out_staging: Path, timings: dict[str, float]) -> list[tuple[Path, Path, None]]:
        if job.pack is not None and job.template is not None:
            begun = time.perf_counter()
            if document is not None:
                document.write(out_staging)
            board_files.write_deck(job.pack, job.template, out_staging, job.stem, figures=staging)
            timings["slides"] = round(time.perf_counter() - begun, 3)
        seconds = round(time.perf_counter() - started, 3)
        manifest = job_manifest(
            job, dict(timings) | {"total": seconds}, outputs=output_hashes(out_staging, staging)
        )
        write_manifest(out_staging / "manifest.json", manifest)
        return [(staging, job.figures, None)]

    try:
        params = job.parameters | {"data": str(obs_file), "figures_dir": str(staging)}
        result = render_notebook_report(
            job.notebook,
            params,
            job.out_dir,
            stem=job.stem,
            title=job.title,
            extra_files=job.extra_files,
            km=km,
            finish=finish,
        )
    except OSError as exc:
        if exc.filename is None:  # papermill, WeasyPrint: a full disk said without a path
            exc.filename = display_path(job.out_dir)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if job.stem == "rapport" and "andringar.csv" not in job.extra_files:
        # nothing changed this time: an earlier run's list must not stay beside the new report
        (job.out_dir / "andringar.csv").unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    paths = [
        *result.paths,
        *(job.out_dir / name for name in board),
        job.out_dir / "manifest.json",
        job.figures,
    ]
    return ReportOutcome(job.label, job.out_dir, paths, result.pages, seconds)


def _print_outcome(outcome: ReportOutcome) -> None:
    print(f"Klart på {outcome.seconds:.1f} s, {outcome.pages} sidor. Skrev:", flush=True)
    for p in outcome.paths:
        print(f"  {p}", flush=True)


def build_region_report(
    region: str,
    year: object,
    data: str | Path | None = None,
    *,
    quiet: bool = False,
    force: bool = False,
    jamfor: str | None = None,
    since: str | Path | None = None,
) -> ReportOutcome:
    """Everything `make report` writes for one region and year, or nothing at all.

    The kernel starts first and warms up while this process loads the data, and WeasyPrint
    warms up here while the notebook runs: on two cores most of the start-up is hidden.
    `jamfor`: the comparison group (naravard.config.peer_groups), checked before anything starts.
    """
    from naravard.config.peer_groups import resolve  # slow import: see top

    resolve(get_region(region), jamfor)  # a bad group is one line, before any kernel starts
    observations_key()  # the kernel inherits it: it verifies the observation file with it
    km = start_report_kernel(notebooks_dir())
    try:
        return _build_region_report(
            region, year, data, quiet=quiet, km=km, force=force, jamfor=jamfor, since=since
        )
    finally:
        stop_kernel(km)


def _build_region_report(
    region: str,
    year: object,
    data: str | Path | None,
    *,
    quiet: bool,
    km: Any,
    force: bool = False,
    jamfor: str | None = None,
    since: str | Path | None = None,
) -> ReportOutcome:

    from naravard.build import render  # slow import: see top
    from naravard.report import region as report  # slow import: see top
    from naravard.config.catalog import load_catalog  # slow import: see top
    from naravard.sources.table import load_observations, save_observations  # slow import: see top

    catalog = load_catalog()
    slug = get_region(region).slug
    obs = load_observations(data, catalog=catalog, regions=[slug])
    # the comparison with the earlier version is region_job's (and the notebook's), once
    rep = report.prepare(
        region, year, obs=obs, catalog=catalog, figures=None, previous=None, jamfor=jamfor
    )
    job = region_job(rep, data, force=force, since=since)
    warn_analyst(rep, job)
    announce_shortcuts()
    if not quiet:
        print(
            f"Rapport för {rep.region.full_name} {rep.year}; underlag: {obs.origin_label}",
            flush=True,
        )
        print("  kör notebooken och skapar HTML, PDF och tabeller …", flush=True)
    publish.remove_stale(Path(tempfile.gettempdir()))
    threading.Thread(target=render.warm_up, name="naravard-warm-up", daemon=True).start()
    with tempfile.TemporaryDirectory(prefix=f"naravard-report-{os.getpid()}-") as tmp:
        obs_file = Path(tmp) / "observations.pkl"
        save_observations(obs, obs_file)
        outcome = run_job(job, obs_file, km=km)
    if not quiet:
        if obs.is_example:
            print(
                "Underlaget är exempeldata (DATA=exempel): rapporten skrevs under "
                "output/exempeldata/ och ersätter ingen rapport med verkliga värden. Utan DATA "
                "används projektets Kolada-ögonblicksbild data/kolada.",
                flush=True,
            )
        _print_outcome(outcome)
    return outcome


def announce_shortcuts() -> None:
    """Say here, on the user's terminal, when the kernels will draw SVGs without the layered
    shortcut (naravard.charts): a kernel's own notice goes unseen."""
    from naravard import charts  # slow import: see top

    charts.svg_layers_allowed()


def warn_analyst(rep: report.RegionReport, job: Job, prefix: str = "") -> None:
    """On stderr: comments written for other values, and values changed since last time."""

    from naravard.report.commentary import stale_warnings  # slow import: see top

    for line in stale_warnings(rep.comments, rep.year):
        print(printable(prefix + line), file=sys.stderr, flush=True)
    if job.revised:
        n = len(job.revised)
        what = "värde eller placering har" if n == 1 else "värden eller placeringar har"
        print(
            f"{prefix}{n} {what} ändrats sedan förra versionen; se {job.out_dir / 'andringar.csv'}",
            file=sys.stderr,
            flush=True,
        )


def ensure_notebook(name: str) -> Path:
    path = notebooks_dir() / name
    if not path.is_file():
        raise NaravardError(f"notebooken {path} saknas; återställ den från git")
    return path
