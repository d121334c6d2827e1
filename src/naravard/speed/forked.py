"""Work split with a forked child: a report kernel's files after its notebook, on two cores.

After the notebook the kernel writes the charts' large PNGs while its parent prints the PDF.
On a machine with cores to spare a forked copy of the kernel draws half of them: the charts
are already in memory (copy on write), and nothing is sent between the processes. The child
writes files only, never touches the kernel's sockets (its output goes to /dev/null) and
leaves with os._exit. naravard.build.in_kernel installs it in report kernels only; off with
NARAVARD_NO_SPEEDUPS=1, on one core, or where fork is missing.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from naravard.speed.shortcuts import switched_off

T = TypeVar("T")
MIN_ITEMS = 8  # fewer are not worth a process


def _may_fork(n: int) -> bool:
    return (
        n >= MIN_ITEMS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and not switched_off()
    )


def each(
    items: Sequence[T], work: Callable[[T], None], *, before: Callable[[], object] | None = None
) -> None:
    """`work(item)` for every item: every other item in a forked child when allowed. This
    process runs `before()` first (work whose caches it keeps), meanwhile the child starts.

    Raises RuntimeError when the child failed; its items are then not all written, and the
    report that needs them must fail, as it would have in this process.
    """
    items = list(items)
    if not _may_fork(len(items)):
        if before is not None:
            before()
        for item in items:
            work(item)
        return
    try:
        pid = os.fork()
    except OSError:  # no memory or process slots for a copy: all here, as without it
        pid = -1
    if pid == 0:  # the child: its half, then out without running the kernel's exit code
        code = 1
        try:
            devnull = open(os.devnull, "w")
            sys.stdout = sys.stderr = devnull
            for item in items[1::2]:
                work(item)
            code = 0
        except BaseException:
            traceback.print_exc(file=sys.__stderr__)
        finally:
            os._exit(code)
    mine = items if pid < 0 else items[0::2]
    try:
        if before is not None:
            before()
        for item in mine:
            work(item)
    finally:
        if pid > 0:
            _, status = os.waitpid(pid, 0)
    if pid > 0 and os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(
            "en kopia av rapportens Jupyter-kärna kunde inte skriva alla diagrammens filer"
        )
