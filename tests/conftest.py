"""Shared fixtures: the real Kolada snapshot in ../shared when it is there."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]


# CI (.ci/run) sets these, so that a missing snapshot or browser fails the run instead of
# quietly skipping half the suite; a newcomer without them gets skips that say why.
REQUIRE_SHARED = "NARAVARD_REQUIRE_SHARED"
REQUIRE_BROWSER = "NARAVARD_REQUIRE_BROWSER"


def required(variable: str) -> bool:
    return os.environ.get(variable, "").strip() not in ("", "0")


def skip_or_fail(reason: str, variable: str) -> None:
    """Skip with `reason`, or fail when `variable` says this run must not skip it."""
    if required(variable):
        pytest.fail(f"{reason} ({variable}=1: CI must not skip this)", pytrace=False)
    pytest.skip(reason)


def shared_dir() -> Path:
    return Path(os.environ.get("NARAVARD_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The real Kolada snapshot; tests that need it skip, saying why, when it is absent."""
    path = shared_dir() / "data" / "kolada"
    if not (path / "data").is_dir():
        skip_or_fail(f"the Kolada snapshot is not at {path} (clone with ../shared beside it)",
                     REQUIRE_SHARED)
    return path


@pytest.fixture()
def project_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway project root: output/, figures/ and data/cache/ go there, not into the repo."""
    monkeypatch.setenv("NARAVARD_ROOT", str(tmp_path))
    monkeypatch.delenv("NARAVARD_DATA", raising=False)
    monkeypatch.delenv("NARAVARD_CACHE", raising=False)
    (tmp_path / "output").mkdir()
    (tmp_path / "figures").mkdir()
    return tmp_path


@pytest.fixture(scope="session")
def session_renders(tmp_path_factory: pytest.TempPathFactory, snapshot_dir: Path):
    """Västerbotten and the national report, rendered once per session (tests/renders.py)."""
    from renders import SessionRenders

    renders = SessionRenders(tmp_path_factory.mktemp("renders"), snapshot_dir)
    yield renders
    renders.stop()
# --- whole reports rendered once per test session ------------------------------------------
# test_e2e_report.py reads Västerbotten (real snapshot) and Örebro län (example data, no
# network); test_layout.py reads Västerbotten, Örebro län (real snapshot) and the national
# report. All start together the first time a test asks for `renders`.

EPOCH = "1735689600"  # 2025-01-01: the report date in every render
RENDER_TIMEOUT = 900

# The national report alone, through the same pipeline as `make reports`.
_NATIONAL = """
import sys, tempfile
from pathlib import Path
from naravard import national, pipeline
from naravard.catalog import load_catalog
from naravard.table import load_observations, save_observations
data = sys.argv[1]
cat = load_catalog()
obs = load_observations(data, catalog=cat)
rep = national.prepare(2024, obs=obs, catalog=cat, figures=None)
with tempfile.TemporaryDirectory() as tmp:
    f = Path(tmp) / "obs.pkl"
    save_observations(obs, f)
    pipeline.run_job(pipeline.national_job(rep, data), obs, f)
"""


def norm(s: str) -> str:
    """Whitespace (no-break spaces, line breaks from PDF layout) collapsed to one space."""
    return " ".join(s.split())


@dataclass
class Render:
    name: str
    root: Path
    out: Path
    figures: Path
    proc: subprocess.Popen
    log: Path
    cache: Path
    pdf_name: str = "rapport.pdf"

    def wait(self) -> Render:
        try:
            code = self.proc.wait(timeout=RENDER_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"{self.name}: the render took more than {RENDER_TIMEOUT} s")
        log = self.log.read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"{self.name}: naravard report exited {code}:\n{log}"
        return self

    def pages(self) -> list[str]:
        return [norm(p.extract_text()) for p in PdfReader(self.pdf).pages]

    @property
    def pdf(self) -> Path:
        return self.out / self.pdf_name


def _start(tmp: Path, name: str, region: str | None, data: Path | None, *,
           offline: bool) -> Render:
    """Start one render in a subprocess with its own project root; region None: national."""
    root = tmp / name
    for sub in ("output", "figures"):
        (root / sub).mkdir(parents=True)
    cache = tmp / f"{name}-cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NARAVARD_DATA", "NO_PROXY", "no_proxy")}
    env |= {"NARAVARD_ROOT": str(root), "NARAVARD_CACHE": str(cache),
            "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}
    if offline:  # Kolada unreachable even on a machine with network: a dead local proxy
        dead = "http://127.0.0.1:9"
        env |= {"HTTPS_PROXY": dead, "HTTP_PROXY": dead, "https_proxy": dead,
                "http_proxy": dead}
    if region is None:
        cmd = [sys.executable, "-c", _NATIONAL, str(data)]
    else:
        cmd = [sys.executable, "-m", "naravard.cli", "report", "--region", region, "--year",
               "2024"] + (["--data", str(data)] if data is not None else [])
    log = tmp / f"{name}.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    from naravard.regions import get_region

    slug = get_region(region).slug if region else "riket"
    # without data a report is made from example data, which never replaces a real report
    slug = slug if data is not None else f"exempeldata/{slug}"
    return Render(name, root, root / "output" / slug / "2024",
                  root / "figures" / slug / "2024", proc, log, cache,
                  "rapport.pdf" if region else "riksrapport.pdf")


def _snapshot() -> Path | None:
    path = shared_dir() / "data" / "kolada"
    return path if (path / "data").is_dir() else None


@pytest.fixture(scope="session")
def renders(tmp_path_factory: pytest.TempPathFactory):
    """Start every render at once (they mostly wait on a kernel and WeasyPrint)."""
    tmp = tmp_path_factory.mktemp("e2e")
    started: dict[str, Render] = {}
    snapshot = _snapshot()
    if snapshot is not None:
        started["vasterbotten"] = _start(tmp, "vasterbotten", "Västerbotten", snapshot,
                                         offline=False)
        started["orebro_real"] = _start(tmp, "orebro_real", "Örebro län", snapshot,
                                        offline=False)
        started["national"] = _start(tmp, "national", None, snapshot, offline=False)
    started["orebro"] = _start(tmp, "orebro", "Örebro län", None, offline=True)
    yield started
    for r in started.values():  # only the processes this fixture started
        if r.proc.poll() is None:
            r.proc.kill()
            r.proc.wait()


