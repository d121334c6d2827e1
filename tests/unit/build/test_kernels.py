"""naravard.build.kernels: report kernels and the work they do in the background; signal handlers
around a notebook run."""

from __future__ import annotations

import signal
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from naravard.build import kernels, render
from naravard.core.errors import NaravardError


@pytest.fixture(scope="module")
def km(tmp_path_factory: pytest.TempPathFactory):
    km = kernels.start_report_kernel(tmp_path_factory.mktemp("kernel"))
    kernels.wait_until_ready(km)
    yield km
    kernels.stop_kernel(km)


def _frame():
    import pandas as pd

    return pd.DataFrame(
        {
            "region_code": ["0001", "0001", "0000", "0000"],
            "year": [2023, 2024, 2023, 2024],
            "value": [1.0, 2.0, 1.5, 1.5],
        }
    )


def _indicator():
    from types import SimpleNamespace

    return SimpleNamespace(
        id="x", name="X", unit="percent", direction="higher", decimals=1, primary_source=""
    )


def _notebook(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "n.ipynb"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell(source)],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        path,
    )
    return path


def test_the_processs_own_signal_handlers_stay_after_a_notebook(tmp_path, km):
    """naravard's own handlers decide what Ctrl-C and SIGTERM mean (cli._Interrupted, the
    batch workers); running a notebook through papermill must leave them in place (nbclient's
    asynchronous path would put its own in and reset both to Python's defaults)."""

    def ours(signum, frame):  # pragma: no cover - never called
        raise AssertionError

    seen = {}
    before = {sig: signal.signal(sig, ours) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        render.execute_notebook(
            _notebook(tmp_path, "import signal, os\nx = 1"), {}, tmp_path / "ut.ipynb", km=km
        )
        seen = {sig: signal.getsignal(sig) for sig in before}
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    assert seen == {signal.SIGINT: ours, signal.SIGTERM: ours}


def test_a_report_kernel_keeps_no_earlier_outputs(tmp_path, km):
    """A block shown as a cell's result is not kept in IPython's output cache: a batch kernel
    would otherwise hold every earlier report's figures and tables."""
    nb = render.execute_notebook(_notebook(tmp_path, "[1, 2, 3]"), {}, tmp_path / "a.ipynb", km=km)
    assert nb.cells[-1].outputs[0]["output_type"] == "execute_result"  # still shown
    counted = render.execute_notebook(
        _notebook(tmp_path, "len(Out)"), {}, tmp_path / "b.ipynb", km=km
    )
    assert counted.cells[-1].outputs[0]["data"]["text/plain"] == "0"


def test_background_work_in_a_kernel_finishes_or_names_its_error(km):
    ok = kernels.Background(km, "y = 2")
    ok.wait()
    failing = kernels.Background(km, "raise ValueError('trasig')")
    with pytest.raises(NaravardError, match="ValueError: trasig"):
        failing.wait()
    assert km.is_alive()  # a failed task leaves the kernel usable for the next report


def test_a_report_kernel_leaves_svgs_for_after_the_notebook(tmp_path, km):
    """In a report kernel the report's charts' SVGs are written by AFTER_NOTEBOOK, not by
    the cell that draws them."""
    code = (
        "from naravard import charts\n"
        "import pandas as pd\n"
        "from types import SimpleNamespace\n"
        "frame = pd.DataFrame({'region_code': ['0001', '0001', '0000', '0000'],\n"
        "                      'year': [2023, 2024, 2023, 2024], 'value': [1.0, 2.0, 1.5, 1.5]})\n"
        "ind = SimpleNamespace(id='x', name='X', unit='percent', direction='higher',\n"
        "                      decimals=1, primary_source='')\n"
        f"charts.save_chart(charts.trend_chart(frame, ind, '0001', 'R'), {str(tmp_path)!r})\n"
    )
    kernels.Background(km, code).wait()
    assert [p.suffix for p in tmp_path.iterdir()] == [".png"]
    kernels.Background(km, kernels.AFTER_NOTEBOOK).wait()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".png", ".svg"]


def test_a_failed_reports_svgs_do_not_bring_its_staging_folder_back(tmp_path):
    """A report kernel runs report after report: the SVGs left by one whose notebook failed
    (its staging folder removed) are dropped, not written into a folder made anew."""
    from naravard import charts

    gone = tmp_path / ".2024.staging-1-x"
    chart = charts.trend_chart(_frame(), _indicator(), "0001", "R")
    charts.save_chart(chart, gone, svg_later=True)
    import shutil

    shutil.rmtree(gone)
    assert charts.write_deferred_svgs() == 0
    assert not gone.exists()


def test_a_dead_kernel_is_an_error_not_a_wait(tmp_path_factory):
    km = kernels.start_report_kernel(tmp_path_factory.mktemp("dead"))
    try:
        task = kernels.Background(km, "import os; os._exit(3)")
        with pytest.raises(NaravardError, match="kärnan avslutades"):
            task.wait()
    finally:
        kernels.stop_kernel(km)
