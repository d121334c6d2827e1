"""The Makefile passes the user's variables as data: quotes, `;`, backticks and $(…) in
REGION, YEAR, DATA, JOBS or FORCE never run as commands."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]


# --- the Makefile passes variables as data ---------------------------------------------------


def _make(root: Path, *args: str) -> subprocess.CompletedProcess:
    from conftest import skip_unless_make_is_ready

    skip_unless_make_is_ready()
    env = dict(os.environ, NARAVARD_ROOT=str(root))
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("target", "template"),
    [
        ("report", ['REGION=x"; touch {m}; echo "', "YEAR=2024"]),
        ("report", ["REGION=Gotland", "YEAR=`touch {m}`2024"]),
        ("report", ["REGION=$(touch {m})", "YEAR=2024"]),
        ("report", ["REGION=Gotland", "YEAR=2024", "DATA=$(shell touch {m})"]),
        ("report", ["REGION=Gotland", "YEAR=2024", "DATA=x'; touch {m}; echo '"]),
        ("reports", ["YEAR=2024; touch {m}", "DATA=/finns-inte"]),
        ("reports", ["YEAR=2024", "JOBS=1 `touch {m}`"]),
        ("reports", ["YEAR=2024", "DATA=/finns-inte", "FORCE=1; touch {m}"]),
        ("data", ["DATA=`touch {m}`"]),
    ],
)
def test_make_variables_never_run_as_commands(project_tmp, tmp_path, target, template):
    marker = tmp_path / "injected"
    proc = _make(project_tmp, target, *[t.format(m=marker) for t in template])
    assert not marker.exists(), f"make {target} ran a command from a variable"
    assert proc.returncode != 0
    own = [
        line
        for line in proc.stderr.splitlines()
        if line.startswith("fel:") or "naravard" in line and "error" in line
    ]
    assert own, proc.stderr  # the program's own refusal, not the shell's
    assert "Traceback" not in proc.stderr
