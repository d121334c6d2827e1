"""What a kernel naravard starts for reports does that an analyst's kernel does not.

It freezes its heap once a report's observations are loaded (naravard.speed.heap: they live
as long as the kernel) and leaves the charts' SVG files for after the notebook
(`kernels.AFTER_NOTEBOOK`), while the process that started it prints the PDF.
`kernels.WARM_UP` calls `install` as the kernel starts; nothing happens on import, and an
analyst's kernel never runs it. The report stages know nothing of this: they call their
hooks (naravard.report.common.AFTER_LOAD) and `charts.save_chart` as everywhere else.
"""

from __future__ import annotations

from naravard import charts
from naravard.core.settings import settings
from naravard.report import common, figure_files
from naravard.speed import forked, heap, shortcuts

# ids of the observations settle_heap has frozen (frozen objects are never freed: ids stay theirs)
_SETTLED: set[int] = set()


def settle_heap(obs: object) -> bool:
    """In a kernel naravard started for reports, move what is loaded so far (the
    observations `obs`, the catalogue, the imports) out of the collector's sight, once.

    They live as long as that kernel; without this, every full collection while ~40 charts
    are drawn rescans them (about a second per report). Once per observations: a batch
    kernel's later reports share them, and a collection per report cost a third of a second
    and froze the previous report's leftovers for good. Young collections then run less
    often too (naravard.speed.heap). An analyst's kernel is left alone: frozen objects are
    never freed there. True when frozen now.
    """
    if not shortcuts.in_report_kernel() or id(obs) in _SETTLED:
        return False
    heap.settle()
    _SETTLED.add(id(obs))
    return True


def install() -> bool:
    """Settle the heap after each report's load, defer the SVGs and share the large PNGs with
    a forked copy: in a report kernel only (NARAVARD_REPORT_KERNEL, and not switched off by
    NARAVARD_NO_SPEEDUPS). True when done."""
    if not shortcuts.in_report_kernel():
        return False
    if settle_heap not in common.AFTER_LOAD:
        common.AFTER_LOAD.append(settle_heap)
    charts.defer_svgs()
    # half the large PNGs in a forked copy of the kernel, while the PDF is printed; not in a
    # batch, whose kernels and workers keep both cores busy already (measured in docs/speed.md:
    # six reports 21,7–22,9 s without the copy, 23,3–23,4 s with it, and half the memory)
    if not settings().kernel_shares_cores:
        figure_files.EACH = forked.each
    return True
