"""The region report's chapters in order, defined once.

The table of contents (`region.chapters`) lists the chapters a report has in this order, and a
test checks that the notebook's cells (notebooks/regionrapport.ipynb) call the blocks in it; the
areas come from data/catalog/areas.yaml in that file's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from naravard.config.catalog import AREAS
from naravard.report import goals as own_goals
from naravard.report import kommun


@dataclass(frozen=True)
class Chapter:
    call: str  # the notebook cell that renders it: blocks.summary(rep)
    anchor: str  # the heading's id, the table of contents' link
    title: str


def region_chapters() -> list[Chapter]:
    """Every chapter a region report can have, in report order (the title page first)."""
    return [
        Chapter("blocks.title(rep)", "", ""),  # the title page holds the table of contents
        Chapter("blocks.summary(rep)", "viktigaste", "Det viktigaste"),
        Chapter("blocks.overview(rep)", "oversikt", "Översikt"),
        *(Chapter(f'blocks.area(rep, "{k}")', f"omrade-{k}", t) for k, t in AREAS.items()),
        Chapter("blocks.regional(rep)", "egna-uppgifter", "Regionens egna uppgifter"),
        Chapter("blocks.kommuner(rep)", *kommun.CHAPTER),
        Chapter("own.chapter(rep)", "egen-analys", "Egen analys"),
        Chapter("blocks.about(rep)", "om-underlaget", "Om underlaget"),
        Chapter("blocks.kommun_appendix(rep)", *kommun.APPENDIX),
        Chapter(
            "blocks.questionnaire(rep)",
            "socialstyrelsen",
            "Bilaga: Redovisning till Socialstyrelsen",
        ),
        # last: it follows the appendix on its last page
        Chapter("blocks.goals(rep)", own_goals.ANCHOR, own_goals.TITLE),
    ]
