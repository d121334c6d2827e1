"""The national report's notebook and table of contents follow report/chapter_order.py (the
region report's notebook is checked in test_blocks.py)."""

from __future__ import annotations

import ast
import json

from naravard.config.catalog import AREAS
from naravard.core.paths import repo_root
from naravard.report import national
from naravard.report.chapter_order import national_chapters, region_chapters


def _national_calls() -> list[str]:
    """The national.*_html functions the notebook's cells call, in cell order."""
    path = repo_root() / "notebooks" / "riksrapport.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    calls = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "national"
                and node.attr.endswith("_html")
            ):
                calls.append(node.attr)
    return calls


def test_riksrapport_calls_the_chapters_in_order() -> None:
    order = list(dict.fromkeys(c.call for c in national_chapters()))  # area_html once: a loop
    assert _national_calls() == order
    assert all(hasattr(national, call) for call in order)


def test_both_orders_have_every_area_in_the_files_order() -> None:
    for chapters in (region_chapters(), national_chapters()):
        assert [c.area for c in chapters if c.area] == list(AREAS)
        anchors = [c.anchor for c in chapters if c.anchor]
        assert len(anchors) == len(set(anchors))
