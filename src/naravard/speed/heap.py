"""Python's garbage collector in naravard's own processes: fewer and smaller collections.

Drawing a chart or laying out a PDF allocates hundreds of thousands of short-lived objects.
With CPython's default a young collection runs every 700 allocations, and the full ones
rescan everything loaded so far (pandas, matplotlib, WeasyPrint, the observations): about
6 % of a report kernel's time and 8 % of a PDF's. Here young collections run every 20 000
allocations (a few MB of garbage at most waits for them), and what lives as long as the
process is frozen out of the collector's sight once it is loaded.

Only in the `naravard` command, its batch workers and the kernels it starts for reports
(callers decide; nothing happens on import), so an analyst's kernel or script keeps
Python's defaults. `NARAVARD_NO_SPEEDUPS=1` keeps them too.
"""

from __future__ import annotations

import gc

from naravard.speed.shortcuts import switched_off

YOUNG_COLLECTION_EVERY = 20_000


def collect_less_often() -> bool:
    """Raise the young generation's threshold; the older ones keep their ratios.
    False when the off switch keeps Python's defaults."""
    if switched_off():
        return False
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)
    return True


def settle() -> bool:
    """Collect once, freeze what survives (it lives as long as the process) and collect less
    often from here on. Objects frozen are never freed: call it once what is loaded is what
    the process keeps. False when the off switch keeps Python's defaults."""
    if switched_off():
        return False
    gc.collect()
    gc.freeze()
    return collect_less_often()
