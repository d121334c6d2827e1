"""The module-level caches of the layered drawing, and how their keys are made.

A report kernel draws about 40 charts per report and a batch kernel report after report:
what is the same for every region (an indicator's background) is built and drawn once.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

import pandas as pd

# Drawn backgrounds of layered charts, by background key and dpi. A batch worker's kernel
# renders report after report: each indicator's background (axes, ticks, every region faint,
# Riket) is then drawn once, not once per region. 1.4–4 MB each (one or two layers).
BACKGROUNDS: OrderedDict[tuple[str, int, tuple[float, ...]], Any] = OrderedDict()
MAX_ENTRIES = 64


# Backgrounds of shared charts (figure and axes, with what a ranked chart needs to mark its
# region), by background key: in a report kernel each region's chart of an indicator adds
# its own artists to the same figure instead of building the figure again.
SKELETONS: OrderedDict[str, Any] = OrderedDict()


def key(*parts: Any) -> str:
    """A background key: a digest of everything that shapes the shared drawing."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of a chart's data, independent of row order."""
    rows = frame[["region_code", "year", "value"]].sort_values(["region_code", "year"])
    return hashlib.sha256(
        pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes()
    ).hexdigest()


def remember(store: OrderedDict, key: Any, make: Any) -> Any:
    """`store[key]`, made on first use; the least recently used entries go past the limit."""
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = store[key] = make()
    while len(store) > MAX_ENTRIES:
        store.popitem(last=False)
    return value


# The SVG twin of BACKGROUNDS: the background's markup and the renderer's bookkeeping
# (clip paths, marker definitions, group numbers) that the region's own artists continue.
SVG_BACKGROUNDS: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
