"""Issue 19, F3 and F4: a report kernel that dies, and an own notebook that loops, prints
without end or takes the machine's memory, each end the run with one line.

Every case runs in a fresh interpreter under a subprocess timeout: a regression is a failed
test, never a hung test run. No assertion is on speed (that is `make bench`'s).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from naravard.core.paths import repo_root

BOUND = 150  # seconds a case may take before it counts as hung

# A report notebook whose one cell runs an own notebook, as the shared notebook's chapter does.
RUN = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from naravard.build import kernels, render
    folder, own = Path(sys.argv[1]), sys.argv[2]
    nb = folder / "report.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(
        f"from pathlib import Path\\nfrom naravard.report import own\\nown.run_notebook(Path({own!r}))")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}}), nb)
    km = kernels.start_report_kernel(folder)
    try:
        render.execute_notebook(nb, {}, folder / "out.ipynb", km=km)
        print(json.dumps({"ok": True}))
    except render.NotebookFailed as exc:
        print(json.dumps({"ok": False, "message": str(exc), "ename": exc.ename}))
    finally:
        kernels.stop_kernel(km)
""")


def _own(tmp_path: Path, *sources: str) -> Path:
    path = tmp_path / "egna" / "vasterbotten.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(
        new_notebook(cells=[new_markdown_cell("# Egen"), *(new_code_cell(s) for s in sources)]),
        path,
    )
    return path


def _run_own(tmp_path: Path, *sources: str, **env: str) -> dict:
    own = _own(tmp_path, *sources)
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path), str(own)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        env=os.environ | env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("source", ["import os; os._exit(0)", "import os; os.kill(os.getpid(), 9)"])
def test_f3_a_kernel_that_dies_is_an_error_not_a_wait(tmp_path, source):
    result = _run_own(tmp_path, "x = 1", source)
    assert not result["ok"]
    assert "Jupyter-kärna dog" in result["message"], result


def test_f3_a_kernel_killed_from_outside_is_an_error_not_a_wait(tmp_path):
    """As the OOM killer does: SIGKILL from another process while a cell sleeps."""
    result = _run_own(
        tmp_path,
        "import os, subprocess, time\n"
        "subprocess.Popen(['sh', '-c', f'sleep 1; kill -9 {os.getpid()}'])\n"
        "time.sleep(600)",
    )
    assert not result["ok"] and "Jupyter-kärna dog" in result["message"], result


def test_f4_a_looping_cell_is_stopped_at_the_time_limit(tmp_path):
    loop = "while True:\n    try:\n        pass\n    except Exception:\n        pass"
    result = _run_own(tmp_path, "x = 1", loop, NARAVARD_OWN_TIMEOUT="2")
    assert not result["ok"]
    message = result["message"]
    assert "egna/vasterbotten.ipynb, cell 3: cellen körde längre än 2 s" in message, message
    assert "NARAVARD_OWN_TIMEOUT" in message and "cell 1:" not in message


def test_f4_endless_printing_is_stopped_at_the_output_bound(tmp_path):
    result = _run_own(tmp_path, "for i in range(200_000):\n    print('rad', i)")
    assert "egna/vasterbotten.ipynb, cell 2: notebooken skriver ut mer än" in result["message"]


def test_f4_an_oversized_figure_meets_the_memory_bound(tmp_path):
    figure = (
        "import matplotlib.pyplot as plt\nfrom naravard.report import own\n"
        "fig, ax = plt.subplots()\nfig.set_size_inches(300, 300)\nax.plot([1, 2])\n"
        "own.figure(fig, caption='a', source='b', alt='c')"
    )
    result = _run_own(tmp_path, figure, NARAVARD_OWN_MEMORY_MB="400")
    message = result["message"]
    assert (
        "egna/vasterbotten.ipynb, cell 2: cellen behövde mer minne än de 400 MB" in message
        or "Jupyter-kärna dog" in message
    ), message


def test_f4_an_own_cell_error_names_the_own_notebook_and_its_cell(tmp_path):
    result = _run_own(tmp_path, "x = 1", "y = undefined_name")
    message = result["message"]
    assert message.startswith(f"{tmp_path / 'egna' / 'vasterbotten.ipynb'}, cell 3: NameError")
    assert "cell 1" not in message


def test_f4_the_limits_end_with_the_notebook(tmp_path):
    """The time limit and the memory cap hold only while the own notebook runs."""
    result = _run_own(
        tmp_path,
        "import resource, signal\n"
        "assert signal.getitimer(signal.ITIMER_REAL)[0] > 0\n"
        "assert resource.getrlimit(resource.RLIMIT_AS)[0] > 0",
        NARAVARD_OWN_TIMEOUT="60",
    )
    assert result["ok"], result


@pytest.mark.parametrize(
    "content, words",
    [
        ({"cells": {}, "nbformat": 4}, ["ingen Jupyter-notebook i format 4"]),
        ({"cells": [], "nbformat": 3}, ["ingen Jupyter-notebook i format 4"]),
        (
            {"cells": [{"cell_type": "code", "source": 5}], "nbformat": 4},
            ["cell 1: cellens källtext är inte text"],
        ),
    ],
)
def test_a_malformed_own_notebook_is_one_line(tmp_path, content, words):
    from naravard.report import own

    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(own.OwnNotebookError) as err:
        own._cells(path)
    for word in words:
        assert word in str(err.value)


# --- the whole run: the previous report stays whole ---------------------------------------------


def _project(tmp_path: Path, own_source: str) -> tuple[Path, dict]:
    root = tmp_path / "root"
    for sub in ("output", "figures"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    notebooks = tmp_path / "notebooks"
    (notebooks / "egna").mkdir(parents=True, exist_ok=True)
    shutil.copy(repo_root() / "notebooks" / "regionrapport.ipynb", notebooks)
    nbformat.write(
        new_notebook(cells=[new_code_cell(own_source)]), notebooks / "egna" / "gotland.ipynb"
    )
    env = os.environ | {
        "NARAVARD_ROOT": str(root),
        "NARAVARD_NOTEBOOKS_DIR": str(notebooks),
        "PYTHONUNBUFFERED": "1",
    }
    return root, env


def _report(env: dict, snapshot: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "naravard.cli",
            "report",
            "--region",
            "Gotland",
            "--year",
            "2024",
            "--data",
            str(snapshot),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _published(root: Path) -> dict[str, bytes]:
    folder = root / "output" / "gotland" / "2024"
    return {
        p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "rapport.failed.ipynb"
    }


@pytest.mark.e2e
def test_f3_f4_a_dead_kernel_and_sigterm_in_a_loop_leave_the_report_whole(tmp_path, snapshot_dir):
    root, env = _project(tmp_path, "print('egen')")
    first = _report(env, snapshot_dir)
    _, err = first.communicate(timeout=BOUND)
    assert first.returncode == 0, err[-3000:]
    before = _published(root)

    own = tmp_path / "notebooks" / "egna" / "gotland.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("import os; os._exit(0)")]), own)
    dead = _report(env, snapshot_dir)
    _, err = dead.communicate(timeout=BOUND)
    assert dead.returncode == 2
    assert err.strip().startswith("fel: ") and len(err.strip().splitlines()) == 1, err[-3000:]
    assert "Jupyter-kärna dog" in err
    assert _published(root) == before

    marker = tmp_path / "looping"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell(f"open({str(marker)!r}, 'w').close()\nwhile True:\n    pass")]
        ),
        own,
    )
    looping = _report(env, snapshot_dir)
    deadline = time.monotonic() + BOUND
    while not marker.exists() and looping.poll() is None:
        assert time.monotonic() < deadline, "the own notebook never started"
        time.sleep(0.1)
    looping.send_signal(signal.SIGTERM)
    _, err = looping.communicate(timeout=30)  # docs/anvandarguide.md promises a few seconds
    assert looping.returncode in (143, -15), err[-3000:]
    assert err.splitlines() == ["avbrutet; ingen rapport ändrades"]
    assert _published(root) == before


def test_the_cell_time_limit_stops_and_leaves_no_timer_behind():
    code = textwrap.dedent("""
        import signal
        from naravard.report.own_limits import OwnLimit, cell_time_limit
        for _ in range(3):
            try:
                with cell_time_limit(1):
                    while True:
                        try:
                            pass
                        except Exception:
                            pass
            except OwnLimit:
                print("stopped")
        print(signal.getitimer(signal.ITIMER_REAL)[0], signal.getsignal(signal.SIGALRM) == signal.SIG_DFL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["stopped"] * 3 + ["0.0", "True"], proc.stderr


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("NARAVARD_OWN_TIMEOUT", "tre minuter", ["NARAVARD_OWN_TIMEOUT='tre minuter'", "heltal"]),
        ("NARAVARD_OWN_MEMORY_MB", "0", ["NARAVARD_OWN_MEMORY_MB=0", "för litet"]),
    ],
)
def test_a_bad_limit_setting_is_one_line_before_the_run(monkeypatch, name, value, words):
    from naravard.core.errors import NaravardError
    from naravard.report.own_limits import check_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(NaravardError) as err:
        check_settings()
    for word in words:
        assert word in str(err.value)


def test_printing_to_stderr_counts_too(tmp_path):
    result = _run_own(
        tmp_path, "import sys\nfor i in range(200_000):\n    print('rad', i, file=sys.stderr)"
    )
    assert "cell 2: notebooken skriver ut mer än" in result["message"], result


def test_a_subprocess_printing_counts_too(tmp_path, monkeypatch):
    """Output written to the kernel's file descriptors (a subprocess, C code) reaches the
    report through ipykernel's pipe-watching thread, not through sys.stdout's write: in
    December 2026 `os.system('seq 1 30000')` published a 548-page report. (ipykernel does
    not watch the descriptors when it sees PYTEST_CURRENT_TEST, so the kernel must not.)"""
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    result = _run_own(tmp_path, "import os\nos.system('seq 1 300000')\nprint('efter')")
    assert "cell 2: notebooken skriver ut mer än" in result["message"], result


def test_an_unpublished_cell_publishes_no_subprocess_output(tmp_path, monkeypatch):
    """A cell tagged `utelämna` runs but is not in the report; what a subprocess in it
    printed reached the report through ipykernel's pipe-watching thread (548 pages)."""
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)  # see the test above
    own = _own(tmp_path, "import os\nos.system('seq 1 30000')", "print('synlig')")
    nb = nbformat.read(own, as_version=4)
    nb.cells[1].metadata["tags"] = ["utelämna"]
    nbformat.write(nb, own)
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path), str(own)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        env=os.environ,
    )
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"ok": True}, proc.stderr[-3000:]
    published = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert "synlig" in published and "29999" not in published
