"""The report's chapters as display objects: they show themselves and carry their data.

In JupyterLab a block looks as it does in the report (see `notebook_style`), and `.table`
gives its numbers as a DataFrame and `.figure` its matplotlib figure where it has one, so an
analyst can look behind a chapter without reading HTML. A block *is* the HTML string that
`naravard.report.region` made (a `str` subclass), so everything that took the string still works.
The data is computed only when asked for: rendering a report costs nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pandas as pd
import tinycss2

from naravard import charts
from naravard.analysis.indicators import series
from naravard.analysis.revisions import COLUMNS
from naravard.config.catalog import AREAS
from naravard.core.paths import TEMPLATES_DIR
from naravard.report import exports, questionnaire as q, region as report
from naravard.report import goals as own_goals
from naravard.report import kommun

SCOPE = "naravard-block"
STYLESHEETS = (
    "naravard.css",
    "analytiker.css",
)  # as templates/naravard/index.html.j2 includes them


class Block(str):
    """A chapter's HTML that displays itself (`_repr_html_`) and carries `.table`/`.figure`."""

    def __new__(
        cls,
        html: str,
        *,
        table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
        figure: Any = None,
        title: str = "",
    ) -> Block:
        block = super().__new__(cls, html)
        block._table, block._figure, block.title = table, figure, title
        return block

    @property
    def table(self) -> pd.DataFrame | None:
        """The block's numbers (computed on first use)."""
        if callable(self._table):
            self._table = self._table()
        return self._table

    @property
    def figure(self) -> Any:
        """The block's matplotlib figure, where it has one (drawn on first use)."""
        if callable(self._figure) and not hasattr(self._figure, "savefig"):
            self._figure = self._figure()
        return self._figure

    @property
    def html(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return f'<div class="{SCOPE}">{self}</div>'

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"<naravard-block {self.title or ''} ({len(self)} tecken HTML)>")


def _rows(rep: report.RegionReport, ids: list[str]) -> Callable[[], pd.DataFrame]:
    def table() -> pd.DataFrame:
        frame = exports.overview_frame(rep)
        return frame[frame["Indikator-id"].isin(ids)].reset_index(drop=True)

    return table


# --- one function per chapter, wrapping naravard.report.region's HTML ---------------------------


def title(rep: report.RegionReport) -> Block:
    return Block(
        report.title_html(rep) + report.toc_html(rep),
        title="Titel och innehåll",
        table=lambda: pd.DataFrame(report.chapters(rep), columns=["id", "Kapitel"]),
    )


def summary(rep: report.RegionReport) -> Block:
    return Block(
        report.summary_html(rep), title="Det viktigaste", table=lambda: exports.overview_frame(rep)
    )


def overview(rep: report.RegionReport) -> Block:
    return Block(
        report.overview_html(rep), title="Översikt", table=lambda: exports.overview_frame(rep)
    )


def goals(rep: report.RegionReport) -> Block:
    """Regionens egna mål; `.table` holds every goal with its computed status."""
    return Block(
        own_goals.chapter_html(rep), title=own_goals.TITLE, table=lambda: own_goals.goals_frame(rep)
    )


def area(rep: report.RegionReport, key: str) -> Block:
    ids = [i.id for i in rep.catalog.in_area(key) if i.source == "kolada"]
    return Block(report.area_html(rep, key), title=AREAS[key], table=_rows(rep, ids))


def indicator(rep: report.RegionReport, indicator_id: str) -> Block:
    """One indicator's section; `.table` is its series (years × regions), `.figure` its chart."""
    ind = rep.catalog.get(indicator_id)

    def table() -> pd.DataFrame:
        data = series(rep.obs, indicator_id)
        return data.pivot_table(index="year", columns="region_code", values="value")

    def figure() -> Any:
        data = series(rep.obs, indicator_id)
        breaks = [(b.year, b.reason) for b in ind.series_breaks]
        return charts.trend_chart(data, ind, rep.region.code, rep.region.name, breaks=breaks).fig

    return Block(report.indicator_html(rep, ind), title=ind.name, table=table, figure=figure)


def regional(rep: report.RegionReport) -> Block:
    return Block(
        report.regional_html(rep),
        title="Regionens egna uppgifter",
        table=_rows(rep, [i.id for i in rep.catalog.regional()]),
    )


def kommuner(rep: report.RegionReport) -> Block:
    """Kommunerna i länet (empty without kommun data); `.table` is the kommun table."""
    return Block(
        kommun.chapter_html(rep), title="Kommunerna i länet", table=lambda: kommun.table(rep)
    )


def kommun_appendix(rep: report.RegionReport) -> Block:
    return Block(
        kommun.appendix_html(rep),
        title="Bilaga: Kommunerna i länet",
        table=lambda: kommun.table(rep),
    )


def questionnaire(rep: report.RegionReport) -> Block:
    return Block(
        report.questionnaire_html(rep),
        title="Redovisning till Socialstyrelsen",
        table=lambda: _answers(rep),
    )


def _answers(rep: report.RegionReport) -> pd.DataFrame:
    if rep.structure is None or rep.answers is None:
        return pd.DataFrame(columns=["Fråga", "Rubrik", "Svar"])
    return pd.DataFrame(
        [
            {
                "Fråga": qu.label,
                "Rubrik": qu.title,
                "Svar": q.answer_text(qu, rep.answers.get(qu.id)),
            }
            for qu in rep.structure
            if qu.answerable
        ],
        columns=["Fråga", "Rubrik", "Svar"],
    )


def about(rep: report.RegionReport) -> Block:
    """Om underlaget; `.table` holds the changes since the previous version (may be empty)."""
    changes = rep.changes.frame if rep.changes is not None else pd.DataFrame(columns=COLUMNS)
    return Block(report.about_html(rep), title="Om underlaget", table=changes)


# --- the report's look in JupyterLab ---------------------------------------------------------


def _scoped(rules: list, prefix: str) -> str:
    """Serialise CSS rules with every selector under `prefix`; print-only rules dropped."""

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            scoped = []
            for sel in (s.strip() for s in selectors):
                if sel in ("html", "body", ":root", "main"):
                    scoped.append(prefix)
                else:
                    scoped.append(f"{prefix} {sel}")
            out.append(", ".join(scoped) + " {" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            query = tinycss2.serialize(rule.prelude).strip()
            if "print" in query:
                continue
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            out.append(f"@media {query} {{{_scoped(inner, prefix)}}}")
    return "\n".join(out)


@lru_cache(maxsize=1)
def scoped_css() -> str:
    """The report's stylesheet, limited to `.naravard-block` so JupyterLab keeps its own look."""

    static = TEMPLATES_DIR / "naravard" / "static"
    css = "\n".join((static / name).read_text(encoding="utf-8") for name in STYLESHEETS)
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return _scoped(rules, f".{SCOPE}")


# JupyterLab keeps each cell's output on one page when the notebook is printed or exported
# (`.jp-OutputArea-child { break-inside: avoid-page }`). A report chapter is one output of
# several pages, and WeasyPrint then lays such an export out forever (Kozea/WeasyPrint#255):
# printed from the notebook, an output may break across pages like any text.
PRINT_FROM_NOTEBOOK = "@media print { .jp-OutputArea-child { break-inside: auto; } }"


def notebook_style() -> Block:
    """Display once at the top of a notebook (in a cell tagged `utelämna`): blocks then look
    in JupyterLab as in the report, and nothing outside them changes on screen."""
    return Block(f"<style>{scoped_css()}\n{PRINT_FROM_NOTEBOOK}</style>", title="stil")
