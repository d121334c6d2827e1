"""What a report kernel switches on (naravard.build.in_kernel.install), and where it doesn't."""

from __future__ import annotations

import pytest

from naravard import charts
from naravard.build import in_kernel
from naravard.charts import slide
from naravard.report import common, figure_files
from naravard.speed import forked


@pytest.fixture
def kernel_state(monkeypatch):
    """install() changes process-wide state: give it fresh copies and put them back."""
    monkeypatch.setattr(common, "AFTER_LOAD", [])
    monkeypatch.setattr(figure_files, "EACH", slide.in_turn)
    monkeypatch.delenv("NARAVARD_NO_SPEEDUPS", raising=False)
    monkeypatch.setenv("NARAVARD_REPORT_KERNEL", "1")
    yield monkeypatch
    charts.defer_svgs(False)


def test_a_single_reports_kernel_shares_the_large_pngs_with_a_forked_copy(kernel_state):
    kernel_state.delenv("NARAVARD_KERNEL_SHARES_CORES", raising=False)
    assert in_kernel.install()
    assert figure_files.EACH is forked.each
    assert in_kernel.settle_heap in common.AFTER_LOAD and charts.deferring()


def test_a_batch_kernel_draws_its_large_pngs_itself(kernel_state):
    """make reports keeps both cores busy with its kernels and workers: a copy only adds memory."""
    kernel_state.setenv("NARAVARD_KERNEL_SHARES_CORES", "1")
    assert in_kernel.install()
    assert figure_files.EACH is slide.in_turn
    assert in_kernel.settle_heap in common.AFTER_LOAD and charts.deferring()


def test_the_batch_starts_its_kernels_as_sharing_the_cores(monkeypatch):
    from naravard.build import batch

    seen = {}
    monkeypatch.setattr(batch, "start_report_kernel", lambda cwd, **kw: seen.update(kw) or object())
    monkeypatch.setattr(batch.mp_util, "Finalize", lambda *a, **k: None)
    batch._start_kernel()
    assert seen == {"shares_cores": True}
