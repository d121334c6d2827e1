"""`make reports`: every region's report and the national report, in parallel, once each.

The naive chain starts processes and kernels, imports and loads the data again for every
report. Here data is loaded and validated once; worker processes and their kernels start (and
import, and draw a first chart) while the parent loads it; each worker keeps one warm Jupyter
kernel (papermill is handed its kernel manager), so charts' shared backgrounds stay drawn
from one report to the next, and one warm nbconvert/WeasyPrint; and a report whose inputs
have not changed since its manifest was written is not rendered again.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import multiprocessing.util as mp_util
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
import signal
import json

from naravard.build.kernels import start_report_kernel, stop_kernel, wait_until_ready
from naravard.build.manifest import outputs_intact, same_inputs
from naravard.build.pipeline import (
    announce_shortcuts,
    job_manifest,
    national_job,
    region_job,
    run_job,
    warn_analyst,
)
from naravard.config.regions import all_regions, get_region
from naravard.core.errors import NaravardError, quiet_unwinding
from naravard.core.limits import printable
from naravard.core.paths import notebooks_dir, output_dir, regional_dir
from naravard.core.publish import remove_stale
from naravard.sources.observation_key import observations_key, use_observations_key
from naravard.speed import heap

# Imports marked "slow import: see top" load pandas, the report modules or nbformat (0,5–1,7 s
# each, measured December 2026): the batch's parent and its workers run jobs without them
# (their kernels load them), so they are imported where a job needs them.

_WORKER: dict[str, Any] = {}


@dataclass
class TaskResult:
    label: str
    status: str  # "klar" | "aktuell" | "fel"
    seconds: float = 0.0
    pages: int = 0
    error: str = ""
    out_dir: str = ""


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


# --- the worker side ------------------------------------------------------------------------


def _start_kernel() -> Any:
    km = start_report_kernel(notebooks_dir(), shares_cores=True)
    # pool workers leave through os._exit, which skips atexit; Finalize runs before it
    mp_util.Finalize(km, stop_kernel, args=(km,), exitpriority=10)
    return km


def _worker_init(key: str) -> None:
    """Start and warm a kernel, nbconvert and WeasyPrint once per worker, not once per report.

    Workers start before the parent has loaded the data, so this overlaps with it. `key`
    verifies the parent's observation file (naravard.sources.table); the kernel inherits it.
    """

    # Ctrl-C reaches the whole process group: the parent stops the workers itself (SIGTERM),
    # which exits through SystemExit so the kernel's finaliser and every `finally` run.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_worker)
    use_observations_key(key)
    _WORKER["km"] = None
    try:
        from naravard.build import render  # slow import: see top

        km = _kernel()
        render.warm_up()
        wait_until_ready(km)
        heap.settle()  # what is loaded now lives as long as the worker
    except SystemExit:  # stopped while warming: leave quietly, without the pool's traceback
        if _WORKER.get("km") is not None:
            stop_kernel(_WORKER["km"])
        os._exit(0)
    except Exception:  # noqa: BLE001 - warming is an optimisation; a real run reports errors
        pass


def _exit_worker(signum: int, frame: object) -> None:
    """Stopped by the parent (an interrupted run): unwind quietly. The parent prints the one
    line; this worker's papermill would otherwise log its kernel's death as it is stopped."""
    quiet_unwinding()
    raise SystemExit(128 + signum)


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Stop at once (interrupted run): terminate the workers, which unwind their reports
    (SystemExit, see `_exit_worker`) and stop their kernels, and cancel what has not started.

    The workers are this process's only multiprocessing children; they are collected before
    `shutdown`, after which the pool no longer lists them.
    """
    workers = mp.active_children()
    for proc in workers:
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        proc.join(timeout=30)


def _warmed() -> None:
    """An empty task: submitting one per worker makes the pool start them all at once."""


def _kernel() -> Any:
    km = _WORKER.get("km")
    if km is None or not km.is_alive():
        km = _WORKER["km"] = _start_kernel()
    return km


def _run_one(job: Any, obs_file: str) -> TaskResult:
    started = time.perf_counter()
    try:
        outcome = run_job(job, Path(obs_file), km=_kernel())
        return TaskResult(
            job.label, "klar", outcome.seconds, outcome.pages, out_dir=str(job.out_dir)
        )
    except NaravardError as exc:
        return TaskResult(
            job.label,
            "fel",
            time.perf_counter() - started,
            error=str(exc),
            out_dir=str(job.out_dir),
        )
    except Exception as exc:  # noqa: BLE001 - one region's bug must not stop the others
        return TaskResult(
            job.label,
            "fel",
            time.perf_counter() - started,
            error=f"{type(exc).__name__}: {exc}",
            out_dir=str(job.out_dir),
        )


def _start_pool(n_jobs: int, max_jobs: int | None = None) -> cf.ProcessPoolExecutor:
    """A pool that starts `n_jobs` workers now and may grow to `max_jobs` when more reports
    turn out to be due (a pool not forking its workers starts them as tasks wait)."""
    ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")

    pool = cf.ProcessPoolExecutor(
        max_workers=max(n_jobs, max_jobs or 0),
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(observations_key(),),
    )
    for _ in range(n_jobs):
        pool.submit(_warmed)
    return pool


# --- the parent side --------------------------------------------------------------------------


def up_to_date(job: Any) -> bool:
    """True when the manifest beside the outputs was made from exactly these inputs, no input
    file has been touched since, and every output it lists is there with its hash."""

    manifest_path = job.out_dir / "manifest.json"
    if not manifest_path.is_file():
        return False
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not outputs_intact(old, job.out_dir, job.figures):
        return False
    return same_inputs(old, job_manifest(job, {}))


def _load_tolerant(data: Any, catalog: Any) -> tuple[Any, dict[str, str]]:
    """Load observations, setting aside regional files that fail validation.

    A broken file belongs to one region: that region fails with the file's error, the others
    are rendered from the rest.
    """
    from naravard.sources.regional import read_regional_file, regional_files  # slow import: see top
    from naravard.sources.table import load_observations  # slow import: see top

    bad: dict[str, str] = {}
    files = regional_files(regional_dir())
    for path in files:
        try:
            read_regional_file(path, catalog)
        except NaravardError as exc:
            bad[path.stem] = str(exc)
    good = [p.stem for p in files if p.stem not in bad]
    return load_observations(data, catalog=catalog, regions=good), bad


def _summary(results: list[TaskResult]) -> str:
    width = max(len(r.label) for r in results) + 2
    lines = [f"{'Rapport':<{width}}{'Status':<9}{'Sekunder':>9}{'Sidor':>7}"]
    for r in results:
        secs = f"{r.seconds:.1f}" if r.status != "aktuell" else "–"
        pages = str(r.pages) if r.pages else "–"
        lines.append(f"{r.label:<{width}}{r.status:<9}{secs:>9}{pages:>7}")
    return "\n".join(lines)


def run_batch(
    year: object,
    data: Any = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    regions: list[str] | None = None,
    national_report: bool = True,
    progress: bool | None = None,
    jamfor: str | None = None,
) -> int:
    """Render every region's report and the national report; 0 when all succeeded.

    `jamfor`: one comparison group for every region's report (each region added to it);
    every report's group is checked first, so a bad one stops the run before anything is written.
    """
    from naravard.config.peer_groups import check_all  # slow import: see top
    from naravard.sources.table import check_data_argument  # slow import: see top

    started = time.perf_counter()
    check_data_argument(data)  # a bad DATA fails in a moment, not after workers have started
    check_all([get_region(r) for r in regions] if regions else all_regions(), jamfor)
    remove_stale(Path(tempfile.gettempdir()))
    early = _expected_jobs(year, regions, force, national_report, jobs)
    pool = _start_pool(early, jobs or default_jobs()) if early else None
    try:
        results = _run(
            year,
            data,
            jobs=jobs,
            force=force,
            regions=regions,
            national_report=national_report,
            progress=progress,
            pool=pool,
            workers=early,
            jamfor=jamfor,
        )
    except BaseException:
        if pool is not None:
            _stop_pool(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    failures = [r for r in results if r.status == "fel"]
    total = time.perf_counter() - started
    print(
        f"Totalt {total:.1f} s; {sum(r.status == 'klar' for r in results)} skapade, "
        f"{sum(r.status == 'aktuell' for r in results)} aktuella, {len(failures)} fel.",
        flush=True,
    )
    for r in failures:
        print(printable(f"fel: {r.label}: {r.error}"), file=sys.stderr, flush=True)
    return 1 if failures else 0


def _expected_jobs(
    year: object, regions: list[str] | None, force: bool, national_report: bool, jobs: int | None
) -> int:
    """Workers worth starting before the data is loaded: 0 when the run will likely skip all.

    A report with no manifest yet (or FORCE) will be rendered, so its workers and kernels
    can start while the parent loads and validates the data.
    """
    try:
        year_dir = str(int(str(year)))
        wanted = [get_region(r) for r in regions] if regions else all_regions()
    except (NaravardError, ValueError):
        return 0
    dirs = [output_dir() / r.slug / year_dir for r in wanted]
    if national_report:
        dirs.append(output_dir() / "riket" / year_dir)
    fresh = len(dirs) if force else sum(not (d / "manifest.json").is_file() for d in dirs)
    return min(jobs or default_jobs(), fresh)


def _run(
    year: object,
    data: Any,
    *,
    jobs: int | None,
    force: bool,
    regions: list[str] | None,
    national_report: bool,
    progress: bool | None,
    pool: cf.ProcessPoolExecutor | None,
    workers: int,
    jamfor: str | None = None,
) -> list[TaskResult]:
    from tqdm import tqdm  # slow import (tqdm 0,04 s): only a batch that runs draws a bar

    from naravard.report import national, region as report  # slow import: see top
    from naravard.config.catalog import load_catalog  # slow import: see top
    from naravard.sources.table import save_observations  # slow import: see top

    catalog = load_catalog()
    obs, bad_files = _load_tolerant(data, catalog)
    wanted = [get_region(r) for r in regions] if regions else all_regions()
    nat = national.prepare(year, obs=obs, catalog=catalog, figures=None)

    results: list[TaskResult] = []
    todo = []
    for region in wanted:
        if region.slug in bad_files:
            results.append(TaskResult(region.name, "fel", error=bad_files[region.slug]))
            continue
        try:
            rep = report.prepare(
                region.code,
                nat.year,
                obs=obs,
                catalog=catalog,
                figures=None,
                previous=None,  # region_job compares with the earlier version
                jamfor=jamfor,
            )
            job = region_job(rep, data, force=force)
        except NaravardError as exc:
            results.append(TaskResult(region.name, "fel", error=str(exc)))
            continue
        warn_analyst(rep, job, prefix=f"{region.name}: ")
        todo.append(job)
    if national_report:
        todo.append(national_job(nat, data))
    announce_shortcuts()

    pending = [j for j in todo if force or not up_to_date(j)]
    for job in todo:
        if job not in pending:
            results.append(TaskResult(job.label, "aktuell", out_dir=str(job.out_dir)))

    # an early pool grows to this as the reports are submitted (see _start_pool)
    n_jobs = max(1, workers, min(jobs or default_jobs(), len(pending) or 1))
    print(
        f"{len(todo)} rapporter för {nat.year} ({obs.origin_label}); "
        f"{len(pending)} att skapa, {len(todo) - len(pending)} redan aktuella; "
        f"{n_jobs} {'parallell process' if n_jobs == 1 else 'parallella processer'}",
        flush=True,
    )
    if pending:
        with tempfile.TemporaryDirectory(prefix=f"naravard-batch-{os.getpid()}-") as tmp:
            obs_file = Path(tmp) / "observations.pkl"
            save_observations(obs, obs_file)
            if pool is None:
                pool = _start_pool(n_jobs)
            # the national report is the longest: it starts first so it does not finish last
            pending.sort(key=lambda j: j.stem != "riksrapport")
            show = sys.stderr.isatty() if progress is None else progress
            futures = [pool.submit(_run_one, job, str(obs_file)) for job in pending]
            bar = tqdm(total=len(futures), desc="Rapporter", unit="rapport", disable=not show)
            try:
                for fut in cf.as_completed(futures):
                    res = fut.result()
                    results.append(res)
                    bar.update(1)
                    if not show:
                        print(f"  {res.label}: {res.status} ({res.seconds:.1f} s)", flush=True)
            except BaseException:
                _stop_pool(pool)
                raise
            finally:
                bar.close()
                pool.shutdown(wait=True, cancel_futures=True)

    order = {j.label: i for i, j in enumerate(todo)}
    results.sort(key=lambda r: order.get(r.label, -1))
    print(_summary(results), flush=True)
    done = {r.label for r in results if r.status == "klar"}
    revised = [f"{j.label} ({len(j.revised)})" for j in todo if j.revised and j.label in done]
    if revised:
        print(
            "Ändrade värden sedan förra versionen (antal, se andringar.csv): " + ", ".join(revised),
            flush=True,
        )
    return results
