"""A region's own goals judged with the one target rule, beside the region's own judgement.

The rule is `judgements.target_status` (helt at 100 % of the målvärde or more, delvis at
80–99 %, inte below; a ceiling mirrored as målvärde / value), the same function that judges
the national targets: one rule, so the report never speaks two languages about a målvärde.
The region judges a goal as a whole (several indicators and its activities); naravard can
judge only the one indicator with a målvärde, so a difference is stated, never resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from naravard.analysis import judgements as J
from naravard.analysis.indicators import series
from naravard.config.catalog import Catalog
from naravard.config.goals import Goal, Goals

# The region's words (helt / delvis / inte) as the rule's statuses.
REGION_STATUS = {"helt": J.MET, "delvis": J.PARTLY, "inte": J.NOT_MET}
JUDGED = (J.MET, J.PARTLY, J.NOT_MET)


@dataclass(frozen=True)
class GoalStatus:
    """One goal with the numbers its computed status is made from."""

    goal: Goal
    name: str | None = None  # the measure: the catalogue's name or the document's
    unit: str | None = None
    decimals: int = 0
    value: float | None = None
    value_year: int | None = None
    target: float | None = None
    target_kind: str | None = None
    share: float | None = None  # of the målvärde reached, 1.0 = reached (None: not computed)
    status: str = ""  # J.MET / J.PARTLY / J.NOT_MET / J.NOT_ASSESSED; "" without a målvärde
    region_status: str = ""  # the region's own judgement as one of JUDGED, "" when none

    @property
    def differs(self) -> bool:
        """Both judged, and not the same: the report says so."""
        return (
            self.status in JUDGED
            and self.region_status in JUDGED
            and self.status != self.region_status
        )


def _catalogue_value(obs: Any, indicator_id: str, region_code: str, year: int) -> float | None:
    data = series(obs, indicator_id)
    hit = data[(data["region_code"] == region_code) & (data["year"] == year)]
    return None if hit.empty else float(hit["value"].iloc[0])


def assess_goal(goal: Goal, obs: Any, catalog: Catalog, region_code: str, year: int) -> GoalStatus:
    """The goal's computed status for the report `year` (its own year when it has one)."""
    region = REGION_STATUS.get(goal.region_status or "", "")
    ind = goal.indicator
    if ind is None:
        return GoalStatus(goal, region_status=region)
    value_year = goal.year or year
    if ind.id is not None:
        entry = catalog.get(ind.id)
        name, unit, decimals = entry.name, entry.unit, entry.decimals
        value = _catalogue_value(obs, ind.id, region_code, value_year)
    else:
        name, unit, decimals, value = ind.name, ind.unit, ind.decimals, ind.value
    share = J.target_share(value, ind.target, ind.target_kind, decimals)
    status = J.target_status(value, ind.target, ind.target_kind, decimals=decimals)
    return GoalStatus(
        goal,
        name,
        unit,
        decimals,
        value,
        value_year if value is not None else None,
        ind.target,
        ind.target_kind,
        share,
        status,
        region,
    )


def assess(
    goals: Goals | None, obs: Any, catalog: Catalog, region_code: str, year: int
) -> list[GoalStatus]:
    """Every goal that belongs to the report `year`, in the file's order; [] without a file."""
    if goals is None:
        return []
    return [assess_goal(g, obs, catalog, region_code, year) for g in goals.for_year(year)]


def by_indicator(statuses: list[GoalStatus]) -> dict[str, list[GoalStatus]]:
    """catalogue id → the goals that name it (as their measure or as related)."""
    out: dict[str, list[GoalStatus]] = {}
    for st in statuses:
        for ident in st.goal.indicator_ids():
            out.setdefault(ident, []).append(st)
    return out
