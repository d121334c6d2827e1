"""Whole reports rendered once per test session, in subprocesses, for the tests that read them.

`naravard reports --regions Västerbotten` renders Västerbotten and the national report the
way `make reports` does (batch workers, warm kernels, every shortcut on);
`naravard report --region Västerbotten` with NARAVARD_NO_SPEEDUPS=1 renders the same report
with every shortcut off. They start together the first time a test asks for one of them.
While working on these tests, NARAVARD_REUSE_RENDERS=<folder> reads the renders an earlier
session left in <folder> (batch/, plain/, e.g. a copy of pytest's basetemp) instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

EPOCH = "1735689600"  # 2025-01-01: the same report date in every render
TIMEOUT = 1200


@dataclass
class Rendered:
    """One finished render: where its outputs are and what it printed."""

    out: Path  # output/<slug>/2024
    figures: Path
    log: str


@dataclass
class _Run:
    name: str
    root: Path
    proc: subprocess.Popen
    log: Path

    def wait(self) -> str:
        try:
            code = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"{self.name}: the render took more than {TIMEOUT} s")
        text = self.log.read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"{self.name} exited {code}:\n{text[-3000:]}"
        return text


class SessionRenders:
    """The session's renders; `region()`, `region_plain()` and `national()` wait for theirs."""

    def __init__(self, tmp: Path, snapshot: Path) -> None:
        self.tmp, self.snapshot = tmp, snapshot
        self._runs: dict[str, _Run] = {}
        self._logs: dict[str, str] = {}
        reuse = os.environ.get("NARAVARD_REUSE_RENDERS")
        if reuse:
            self.tmp = Path(reuse)
            self._logs = {name: (self.tmp / f"{name}.log").read_text(encoding="utf-8")
                          for name in ("batch", "plain")}
            return
        self._start("batch", ["reports", "--year", "2024", "--data", str(snapshot),
                              "--regions", "Västerbotten", "--jobs", "2"], {})
        self._start("plain", ["report", "--region", "Västerbotten", "--year", "2024",
                              "--data", str(snapshot)], {"NARAVARD_NO_SPEEDUPS": "1"})

    def _start(self, name: str, args: list[str], extra_env: dict[str, str]) -> None:
        root = self.tmp / name
        for sub in ("output", "figures"):
            (root / sub).mkdir(parents=True)
        env = {k: v for k, v in os.environ.items()
               if k not in ("NARAVARD_DATA", "NARAVARD_NO_SPEEDUPS")}
        env |= {"NARAVARD_ROOT": str(root), "NARAVARD_CACHE": str(self.tmp / f"{name}-cache"),
                "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"} | extra_env
        log = self.tmp / f"{name}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "naravard.cli", *args], env=env,
                                    stdout=fh, stderr=subprocess.STDOUT)
        self._runs[name] = _Run(name, root, proc, log)

    def _done(self, name: str, slug: str) -> Rendered:
        if name not in self._logs:
            self._logs[name] = self._runs[name].wait()
        root = self.tmp / name
        return Rendered(root / "output" / slug / "2024", root / "figures" / slug / "2024",
                        self._logs[name])

    def region(self) -> Rendered:
        """Västerbotten 2024 from `naravard reports` (shortcuts on)."""
        return self._done("batch", "vasterbotten")

    def national(self) -> Rendered:
        """The national report 2024 from the same `naravard reports` run."""
        return self._done("batch", "riket")

    def region_plain(self) -> Rendered:
        """Västerbotten 2024 from `naravard report` with NARAVARD_NO_SPEEDUPS=1."""
        return self._done("plain", "vasterbotten")

    def stop(self) -> None:
        for run in self._runs.values():  # only the processes this object started
            if run.proc.poll() is None:
                run.proc.kill()
                run.proc.wait()
