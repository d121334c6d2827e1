"""Which notebook cells run and which reach the report: decided by cell tags.

In every report notebook a cell tagged `utelämna` (or `remove-cell`, as Jupyter Book writes it)
runs but never reaches the report; a cell tagged `exempel` runs only when an analyst runs it in
JupyterLab (`make report` skips it); Markdown cells without these tags are printed as text.
The shared notebook's cells tagged `egen-analys` belong to the chapter "Egen analys".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from naravard.core.errors import NaravardError
from naravard.core.paths import display_path, notebooks_dir, own_notebooks_dir

REGION_NOTEBOOK = "regionrapport.ipynb"
# Tags that keep a cell out of the report (it still runs).
EXCLUDE_TAGS = frozenset({"utelämna", "remove-cell", "remove_cell"})
# Cells tagged so run only when an analyst runs them in JupyterLab, never in `make report`:
# examples that would otherwise save figures for every region.
EXAMPLE_TAGS = frozenset({"exempel"})
# The shared notebook's own-analysis cells carry this tag: when one of them is published, the
# report has the chapter "Egen analys" for every region.
SECTION_TAG = "egen-analys"


def tags(cell: Mapping) -> set[str]:
    """A cell's tags, compared without case."""
    return {str(t).strip().lower() for t in (cell.get("metadata", {}) or {}).get("tags", [])}


def is_published(cell: Mapping) -> bool:
    """A cell reaches the report unless a tag keeps it out; raw cells and parameters never do."""
    if cell.get("cell_type") == "raw":
        return False
    cell_tags = tags(cell)
    return not (cell_tags & EXCLUDE_TAGS or {"parameters", "injected-parameters"} & cell_tags)


def runs_in_report(cell: Mapping) -> bool:
    """False for example cells (tag `exempel`): `make report` does not run them."""
    return not tags(cell) & EXAMPLE_TAGS


def read_notebook(path: Path) -> dict:
    """A notebook's JSON, or one line naming the file when it cannot be read."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NaravardError(
            f"notebooken {display_path(path)} går inte att läsa: {' '.join(str(exc).split())[:200]}"
        ) from None


def plan(slug: str) -> tuple[Path | None, bool]:
    """(the region's own notebook or None, whether the report has the chapter "Egen analys")."""
    own = own_notebooks_dir() / f"{slug}.ipynb"
    own_path = own if own.is_file() else None
    shared = notebooks_dir() / REGION_NOTEBOOK
    published = False
    if shared.is_file():
        published = any(
            SECTION_TAG in tags(c) and is_published(c) and runs_in_report(c)
            for c in read_notebook(shared).get("cells", [])
        )
    return own_path, own_path is not None or published
