"""Shared fixtures: the real Kolada snapshot in ../shared when it is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("NARAVARD_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The real Kolada snapshot; tests that need it skip, saying why, when it is absent."""
    path = shared_dir() / "data" / "kolada"
    if not (path / "data").is_dir():
        pytest.skip(f"the Kolada snapshot is not at {path} (clone with ../shared beside it)")
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
