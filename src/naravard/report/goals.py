"""The chapter "Regionens egna mål", an indicator's line about them, and their export columns.

`naravard.report.region` calls these from small hook-ins (prepare, chapters, the indicator
block, the export), so the feature lives here. The goals file is read and validated in
`config.goals`, judged in `analysis.goal_status` and put into words in `wording.goals`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from naravard.analysis.goal_status import JUDGED, GoalStatus, assess, by_indicator
from naravard.config import goals as config
from naravard.config.catalog import Catalog
from naravard.wording import goals as words
from naravard.wording import templating

ANCHOR, TITLE = "egna-mal", "Bilaga: Regionens egna mål"
NO_GOALS = (
    "Regionens egna mål ingår inte i underlaget till den här rapporten; förs de in "
    "redovisas de med regionens bedömning i en egen bilaga."
)
# The export's goal columns, one row per catalogue indicator (indikatorer.csv / .xlsx).
COLUMNS = (
    "Regionens mål",
    "Regionens bedömning",
    "Regionens målvärde",
    "Andel av regionens målvärde (%)",
    "Regionens mål, beräknad måluppfyllelse",
    "Skiljer sig från regionens bedömning",
)


def load(slug: str, catalog: Catalog) -> config.Goals | None:
    """The region's validated goals file, or None (a bad file: NaravardError, nothing written)."""
    return config.load(slug, catalog)


def statuses(rep: Any) -> list[GoalStatus]:
    """The report year's goals of `rep` (a RegionReport) with their computed statuses,
    computed once per report (every indicator section asks)."""
    cached = getattr(rep, "_goal_statuses", None)
    if cached is None or cached[0] is not getattr(rep, "goals", None):
        found = assess(getattr(rep, "goals", None), rep.obs, rep.catalog, rep.region.code, rep.year)
        cached = (getattr(rep, "goals", None), found)
        rep._goal_statuses = cached
    return cached[1]


def has_chapter(rep: Any) -> bool:
    return bool(statuses(rep))


def _decision_text(decision: config.Decision) -> str:
    when = f" ({decision.date})" if decision.date else " (datum anges inte)"
    return decision.document + when


def _groups(found: list[GoalStatus], year: int) -> tuple[list[dict], list[str]]:
    """The goals grouped under their regionmål or level, and the decisions they cite."""
    decisions: list[str] = []
    groups: list[dict] = []
    for st in found:
        decision = _decision_text(st.goal.decision)
        if decision not in decisions:
            decisions.append(decision)
        title = words.group_title(st)
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "rows": []})
        groups[-1]["rows"].append(
            {
                "text": st.goal.text,
                "level": st.goal.level,
                "decision": f"[{decisions.index(decision) + 1}]",
                "region": words.region_cell(st),
                "note": words.region_note(st),
                "measure": words.measure_line(st, year),
                "computed": words.computed_cell(st),
                "differs": st.differs,
            }
        )
    for group in groups:  # level and decision once per group when the group shares them
        rows = group["rows"]
        shared = [key for key in ("level", "decision") if len({r[key] for r in rows}) == 1]
        # a group named after its level ("Uppdrag") need not say the level again
        said = [
            key
            for key in shared
            if not (key == "level" and group["title"] == words.LEVEL_GROUPS[rows[0][key]])
        ]
        group["shared"] = (
            f"beslut {rows[0]['decision']}"
            if said == ["decision"]
            else " ".join(rows[0][key] for key in said)
        )
        for row in rows:
            row["meta"] = ", ".join(
                filter(
                    None,
                    [
                        " ".join(row[key] for key in ("level", "decision") if key not in shared),
                        row["note"],
                    ],
                )
            )
    return groups, decisions


def chapter_html(rep: Any) -> str:
    """The chapter, or "" when the region has no goals for the year."""
    found = statuses(rep)
    if not found:
        return ""
    groups, decisions = _groups(found, rep.year)
    source = getattr(rep.goals, "source", None)
    return templating.render(
        "region/goals.html.j2",
        title=TITLE,
        intro=words.intro(source, rep.region.name, rep.year, any(st.goal.part_of for st in found)),
        groups=groups,
        decisions=decisions,
        differ=words.differ_paragraph(found),
    )


def indicator_line(rep: Any, indicator_id: str) -> str:
    """The one short line an indicator's section gets about the region's goals on the same
    thing (full width under the section, like its related questions); "" when none."""
    return words.indicator_line(by_indicator(statuses(rep)).get(indicator_id, []))


def _differs_cell(st: GoalStatus | None) -> str:
    """ "Ja"/"Nej" when both the region and the rule judged the goal, else ""."""
    if st is None or st.status not in JUDGED or st.region_status not in JUDGED:
        return ""
    return "Ja" if st.differs else "Nej"


def export_columns(rep: Any, indicator_ids: list[str]) -> pd.DataFrame:
    """COLUMNS for each indicator id (in that order): the goals that name it, joined by "; "."""
    linked = by_indicator(statuses(rep))
    rows = []
    for ident in indicator_ids:
        found = linked.get(ident, [])
        own = [st for st in found if st.goal.indicator and st.goal.indicator.id == ident]
        first = own[0] if own else None
        rows.append(
            {
                COLUMNS[0]: "; ".join(st.goal.text for st in found),
                COLUMNS[1]: "; ".join(words.region_words(st) for st in found),
                COLUMNS[2]: words.target_words(first) if first else "",
                COLUMNS[3]: words.share_percent(first.share) if first else None,
                COLUMNS[4]: words.STATUS_WORDS.get(first.status, "") if first else "",
                COLUMNS[5]: _differs_cell(first),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def goals_frame(rep: Any) -> pd.DataFrame:
    """Every goal of the year as a table (the xlsx sheet "Regionens mål")."""
    rows = []
    for st in statuses(rep):
        goal = st.goal
        rows.append(
            {
                "Mål": goal.text,
                "Nivå": goal.level,
                "Regionmål": goal.part_of or "",
                "Beslut": _decision_text(goal.decision),
                "År": goal.year,
                "Regionens bedömning": words.region_words(st),
                "Indikator": st.name or "",
                "Indikator-id": goal.indicator.id if goal.indicator and goal.indicator.id else "",
                "Värde": st.value,
                "Målvärde": words.target_words(st),
                "Andel av målvärdet (%)": words.share_percent(st.share),
                "Beräknad måluppfyllelse": words.STATUS_WORDS.get(st.status, ""),
                "Skiljer sig från regionens bedömning": _differs_cell(st),
                "Närliggande indikatorer": ", ".join(goal.related),
            }
        )
    return pd.DataFrame(rows)


def about_line(rep: Any) -> str:
    """Om underlaget's one line when the region has no goals for the year; "" otherwise."""
    return "" if has_chapter(rep) else NO_GOALS


__all__ = [
    "ANCHOR",
    "TITLE",
    "chapter_html",
    "indicator_line",
    "export_columns",
    "goals_frame",
    "about_line",
    "load",
    "statuses",
]
