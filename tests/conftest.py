"""Shared fixtures: the real Kolada snapshot in ../shared when it is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
def renders(tmp_path_factory: pytest.TempPathFactory):
    """Every whole report the tests read, each rendered once per session (tests/renders.py).

    The first test that asks starts them all; they run while the fast tests run.
    """
    from renders import Renders

    path = shared_dir() / "data" / "kolada"
    started = Renders(tmp_path_factory.mktemp("renders"), path if (path / "data").is_dir() else None)
    yield started
    started.stop()
