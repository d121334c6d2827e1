"""Each report's chapters in order, defined once.

The tables of contents (`region.chapters`, `national.chapters`) list the chapters a report has
in this order, and tests check that the notebooks' cells (notebooks/regionrapport.ipynb,
riksrapport.ipynb) call the blocks in it; the areas come from data/catalog/areas.yaml in that
file's order.
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
    area: str | None = None  # the area's key (data/catalog/areas.yaml) for an area chapter


def region_chapters() -> list[Chapter]:
    """Every chapter a region report can have, in report order (the title page first)."""
    return [
        Chapter("blocks.title(rep)", "", ""),  # the title page holds the table of contents
        Chapter("blocks.summary(rep)", "viktigaste", "Det viktigaste"),
        Chapter("blocks.overview(rep)", "oversikt", "Översikt"),
        *(Chapter(f'blocks.area(rep, "{k}")', f"omrade-{k}", t, k) for k, t in AREAS.items()),
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


def national_chapters() -> list[Chapter]:
    """Every chapter of the national report, in report order; `call` names its function in
    naravard.report.national (area_html once per area)."""
    return [
        Chapter("title_html", "", ""),
        Chapter("summary_html", "sammanfattning", "Sammanfattning"),
        Chapter("heatmap_html", "oversikt", "Regionerna jämfört med riket"),
        Chapter("maps_html", "kartor", "Kartor"),
        *(Chapter("area_html", f"omrade-{k}", t, k) for k, t in AREAS.items()),
        Chapter("targets_html", "mal", "Nationella mål"),
        Chapter("profiles_html", "profiler", "Regionerna en och en"),
        Chapter("questionnaire_html", "enkaten", "Enkätsvar till Socialstyrelsen"),
        Chapter("about_html", "om-underlaget", "Om underlaget"),
    ]
