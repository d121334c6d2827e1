"""Whole reports rendered in subprocesses, each once per test session, for the tests that read
them (e2e, layout, accessibility, golden, shortcuts).

- `naravard reports --regions Västerbotten "Örebro län"` renders Västerbotten, Örebro län and
  the national report the way `make reports` does (batch workers, warm kernels, every
  shortcut on);
- `naravard report --region "Örebro län"` without DATA (the committed snapshot, as a new
  user types it) and with NARAVARD_NO_SPEEDUPS=1 (every shortcut off, the way `make report`
  does it, in one process and its kernel): the shortcut tests compare it with the batch's
  Örebro län;
- `naravard report --region "Örebro län" --data exempel` (example data).
Västerbotten is rendered once. The runs start together the first time a test asks for the
`renders` fixture. While working on these tests, NARAVARD_REUSE_RENDERS=<folder> reads the
renders an earlier session left in <folder> (e.g. a copy of pytest's basetemp/renders0).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

EPOCH = "1735689600"  # 2025-01-01: the same report date in every render
TIMEOUT = 1200


def norm(s: str) -> str:
    """Whitespace (no-break spaces, line breaks from PDF layout) collapsed to one space."""
    return " ".join(s.split())


@dataclass
class Render:
    """One render: where its outputs go, its process and what it printed."""

    name: str  # the run it belongs to (one run can hold several reports)
    root: Path  # its NARAVARD_ROOT
    out: Path  # output/<slug>/2024
    figures: Path
    proc: subprocess.Popen | None  # None: reused from an earlier session
    log: Path
    cache: Path
    pdf_name: str = "rapport.pdf"

    def wait(self) -> Render:
        if self.proc is not None:
            try:
                code = self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"{self.name}: the render took more than {TIMEOUT} s")
            assert code == 0, f"{self.name} exited {code}:\n{self.text[-3000:]}"
        return self

    @property
    def text(self) -> str:
        """What the run printed (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def pdf(self) -> Path:
        return self.out / self.pdf_name

    def pages(self) -> list[str]:
        return [norm(p.extract_text()) for p in PdfReader(self.pdf).pages]

    def html(self) -> str:
        return (self.out / self.pdf_name).with_suffix(".html").read_text(encoding="utf-8")


def start_cli(args: list[str], *, root: Path, log: Path, env: dict[str, str]) -> subprocess.Popen:
    """`naravard <args>` in a subprocess with its own project root; its output goes to `log`."""
    for sub in ("output", "figures"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "naravard.cli", *args],
            env=env | {"NARAVARD_ROOT": str(root), "PYTHONUNBUFFERED": "1"},
            stdout=fh,
            stderr=subprocess.STDOUT,
        )


class Renders:
    """The session's runs; `region()`, `national()`, `orebro_batch()`, `orebro()` and
    `orebro_example()` wait for theirs."""

    def __init__(self, tmp: Path, snapshot: Path | None) -> None:
        self.tmp, self.snapshot = tmp, snapshot
        self._procs: dict[str, subprocess.Popen | None] = {}
        reuse = os.environ.get("NARAVARD_REUSE_RENDERS")
        if reuse:
            self.tmp = Path(reuse)
            self._procs = dict.fromkeys(("batch", "orebro", "orebro_example"))
            return
        if snapshot is not None:
            self._start(
                "batch",
                [
                    "reports",
                    "--year",
                    "2024",
                    "--data",
                    str(snapshot),
                    "--regions",
                    "Västerbotten",
                    "Örebro län",
                    "--jobs",
                    "2",
                ],
            )
            # as a new user types it: no DATA, the committed snapshot is the default; and
            # without the shortcuts, to compare with the batch's Örebro län
            self._start(
                "orebro",
                ["report", "--region", "Örebro län", "--year", "2024"],
                {"NARAVARD_NO_SPEEDUPS": "1"},
            )
        # example data only on request
        self._start(
            "orebro_example",
            ["report", "--region", "Örebro län", "--year", "2024", "--data", "exempel"],
        )

    def _start(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> None:
        cache = self.tmp / f"{name}-cache"
        cache.mkdir()
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("NARAVARD_DATA", "NARAVARD_NO_SPEEDUPS", "NO_PROXY", "no_proxy")
        }
        env |= {"NARAVARD_CACHE": str(cache), "SOURCE_DATE_EPOCH": EPOCH} | (extra_env or {})
        self._procs[name] = start_cli(
            args, root=self.tmp / name, log=self.tmp / f"{name}.log", env=env
        )

    def _render(self, name: str, slug: str, pdf_name: str = "rapport.pdf") -> Render:
        if name not in self._procs:
            from conftest import REQUIRE_SHARED, skip_or_fail

            skip_or_fail(f"{name}: needs the Kolada snapshot in ../shared", REQUIRE_SHARED)
        root = self.tmp / name
        return Render(
            name,
            root,
            root / "output" / slug / "2024",
            root / "figures" / slug / "2024",
            self._procs[name],
            self.tmp / f"{name}.log",
            self.tmp / f"{name}-cache",
            pdf_name,
        ).wait()

    def region(self) -> Render:
        """Västerbotten 2024 from `naravard reports` (shortcuts on)."""
        return self._render("batch", "vasterbotten")

    def national(self) -> Render:
        """The national report 2024 from the same `naravard reports` run."""
        return self._render("batch", "riket", "riksrapport.pdf")

    def orebro(self) -> Render:
        """Örebro län 2024 from `naravard report` without DATA (the committed snapshot) and
        with NARAVARD_NO_SPEEDUPS=1."""
        return self._render("orebro", "orebro-lan")

    def orebro_batch(self) -> Render:
        """Örebro län 2024 from the `naravard reports` run (shortcuts on)."""
        return self._render("batch", "orebro-lan")

    def orebro_example(self) -> Render:
        """Örebro län from `naravard report --data exempel`: example data, which never
        replaces a real report, so it goes under output/exempeldata/."""
        return self._render("orebro_example", "exempeldata/orebro-lan")

    def stop(self) -> None:
        for proc in self._procs.values():  # only the processes this object started
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
