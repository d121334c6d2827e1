"""Shared fixtures: the committed Kolada snapshot, ../shared for held-back checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

# Every child process a test starts (naravard, papermill and its kernels, make) imports the
# checkout under test, whatever an environment's editable install points at: PYTHONPATH leads
# with this checkout's src/. A test that builds an environment from scratch passes
# `child_path()` on (tests/integration/test_environment.py checks both).
os.environ["PYTHONPATH"] = os.pathsep.join(
    [
        str(SRC),
        *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(SRC)),
    ]
)


def child_path() -> dict[str, str]:
    """PYTHONPATH for an environment made from scratch: this checkout's src/ first."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]}


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


# The committed, dated snapshot (data/kolada/): the same real values as ../shared/data/kolada,
# so tests of the default path need nothing beside the clone. The one place tests name it;
# held-back checks on data the product has never seen keep using shared_dir().
SNAPSHOT = REPO / "data" / "kolada"


def _snapshot_state() -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in SNAPSHOT.rglob("*")}


def skip_unless_make_is_ready() -> None:
    """Skip a test that runs `make` where make is missing or would first reinstall .venv."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    stamp = subprocess.run(
        ["make", "-q", ".venv/.naravard-installed"], cwd=REPO, capture_output=True
    )
    if stamp.returncode != 0:
        pytest.skip(".venv is out of date; `make report` would reinstall it first")


@pytest.fixture(scope="session", autouse=True)
def committed_snapshot_untouched():
    """No test may change data/kolada/: they refresh copies (NARAVARD_SNAPSHOT, --dest)."""
    before = _snapshot_state()
    yield
    assert _snapshot_state() == before, "a test changed the committed snapshot data/kolada/"


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The real Kolada snapshot the project ships (data/kolada/)."""
    if not (SNAPSHOT / "data").is_dir():
        pytest.fail(f"the committed snapshot {SNAPSHOT} is missing; git checkout -- data/kolada")
    return SNAPSHOT


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
def renders(tmp_path_factory: pytest.TempPathFactory):
    """Every whole report the tests read, each rendered once per session (tests/renders.py).

    The first test that asks starts them all; they run while the fast tests run.
    """
    from renders import Renders

    started = Renders(tmp_path_factory.mktemp("renders"), SNAPSHOT)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def catalog():
    """The committed indicator catalogue (files may define their own `catalog`)."""
    from naravard.config.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def evil_rep(snapshot_dir):
    """Västerbotten 2024 with a catalogue name that is a formula (tests/bad_input.py)."""
    from bad_input import evil_report

    return evil_report(snapshot_dir)
