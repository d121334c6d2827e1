"""`make bench`: the naive per-report command chain against `naravard reports`, same machine, same run.

(a) naive: for each region, `papermill` → `jupyter nbconvert --to html --no-input` →
    `weasyprint`, three fresh processes per report, one report after the other;
(b) naravard: `naravard reports` for the same regions, from a cold start (new processes, an
    empty output folder).
Writes output/bench/bench.json and prints `speedup: X.XX (naive S1 s, naravard S2 s, N reports)`.
Peak memory is the largest summed RSS of the whole process tree, sampled every 200 ms (a
sample costs a few ms of CPU: sampling more often would slow what it measures).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "kolada"


class PeakMemory:
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._procs: list[psutil.Process] = []

    def watch(self, proc: psutil.Process) -> None:
        self._procs.append(proc)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for root in list(self._procs):
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(cmd: list[str], mem: PeakMemory, env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    mem.watch(psutil.Process(proc.pid))
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"fel: {' '.join(cmd[:3])} … misslyckades:\n{err[-2000:]}")


def naive(
    regions: list[str], year: int, data: Path, work: Path, env: dict[str, str]
) -> tuple[float, int]:
    notebook = REPO / "notebooks" / "regionrapport.ipynb"
    with PeakMemory() as mem:
        start = time.perf_counter()
        for region in regions:
            out = work / region
            out.mkdir(parents=True)
            executed = out / "rapport.ipynb"
            run(
                [
                    str(VENV_BIN / "papermill"),
                    str(notebook),
                    str(executed),
                    "-k",
                    "naravard",
                    "-p",
                    "region",
                    region,
                    "-p",
                    "year",
                    str(year),
                    "-p",
                    "data",
                    str(data),
                    "-p",
                    "figures_dir",
                    str(out / "figures"),
                    "--no-progress-bar",
                    "--cwd",
                    str(REPO / "notebooks"),
                ],
                mem,
                env,
            )
            run(
                [
                    str(VENV_BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(executed),
                ],
                mem,
                env,
            )
            run(
                [str(VENV_BIN / "weasyprint"), str(out / "rapport.html"), str(out / "rapport.pdf")],
                mem,
                env,
            )
        seconds = time.perf_counter() - start
    return seconds, mem.peak


def naravard(
    regions: list[str], year: int, data: Path, env: dict[str, str], jobs: int | None
) -> tuple[float, int]:
    cmd = [
        str(VENV_BIN / "naravard"),
        "reports",
        "--year",
        str(year),
        "--data",
        str(data),
        "--no-national",
        "--force",
        "--regions",
        *regions,
    ]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    with PeakMemory() as mem:
        start = time.perf_counter()
        run(cmd, mem, env)
        seconds = time.perf_counter() - start
    return seconds, mem.peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="all 21 regions (default 6)")
    parser.add_argument("-n", type=int, default=6, help="number of regions (default 6)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--data", type=Path, default=None, help="Kolada snapshot directory")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    from naravard.config.regions import all_regions

    data = (args.data or Path(os.environ.get("NARAVARD_DATA", DEFAULT_DATA))).resolve()
    if not (data / "data").is_dir():
        print(f"fel: ingen Kolada-ögonblicksbild i {data}; ange DATA=<katalog>", file=sys.stderr)
        return 2
    regions = [r.name for r in all_regions()][: 21 if args.all else args.n]
    out_dir = REPO / "output" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="naravard-bench-") as tmp:
        tmp_path = Path(tmp)
        env = os.environ | {"NARAVARD_ROOT": str(tmp_path / "root"), "PYTHONHASHSEED": "0"}
        (tmp_path / "root" / "output").mkdir(parents=True)
        (tmp_path / "root" / "figures").mkdir(parents=True)
        print(
            f"Bänk: {len(regions)} regionrapporter {args.year}, {os.cpu_count()} kärnor", flush=True
        )
        print("  (a) naiv kedja papermill → nbconvert → weasyprint …", flush=True)
        naive_s, naive_mem = naive(regions, args.year, data, tmp_path / "naive", env)
        print(f"      {naive_s:.1f} s", flush=True)
        print("  (b) naravard reports …", flush=True)
        ours_s, ours_mem = naravard(regions, args.year, data, env, args.jobs)
        print(f"      {ours_s:.1f} s", flush=True)
        shutil.rmtree(tmp_path, ignore_errors=True)

    n = len(regions)
    result = {
        "reports": n,
        "year": args.year,
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "naive": {
            "seconds": round(naive_s, 2),
            "seconds_per_report": round(naive_s / n, 2),
            "peak_memory_mb": round(naive_mem / 2**20, 1),
        },
        "naravard": {
            "seconds": round(ours_s, 2),
            "seconds_per_report": round(ours_s / n, 2),
            "peak_memory_mb": round(ours_mem / 2**20, 1),
        },
        "speedup": round(naive_s / ours_s, 2),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    (out_dir / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"peak memory: naive {result['naive']['peak_memory_mb']} MB, "
        f"naravard {result['naravard']['peak_memory_mb']} MB; "
        f"per report: naive {result['naive']['seconds_per_report']} s, "
        f"naravard {result['naravard']['seconds_per_report']} s"
    )
    print(
        f"speedup: {result['speedup']:.2f} (naive {naive_s:.1f} s, naravard {ours_s:.1f} s, "
        f"{n} reports)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
