"""The region's own goals in words: table cells, the differ statement and an indicator's line.

Made from `analysis.goal_status.GoalStatus` only; the templates (region/goals.html.j2) lay
them out. The computed status uses the words regions use for a målvärde ("Målvärdet uppfylls helt /
delvis / inte", Region Västerbotten's verksamhetsberättelse), so the nämnd reads one language.
"""

from __future__ import annotations

import math

from naravard.analysis import judgements as J
from naravard.analysis.goal_status import GoalStatus
from naravard.wording import text

STATUS_WORDS = {
    J.MET: "uppfylls helt",
    J.PARTLY: "uppfylls delvis",
    J.NOT_MET: "uppfylls inte",
    J.NOT_ASSESSED: "kan inte bedömas",
}
REGION_WORDS = {"helt": "uppfylls helt", "delvis": "uppfylls delvis", "inte": "uppfylls inte"}
SHORT = {J.MET: "helt", J.PARTLY: "delvis", J.NOT_MET: "inte"}
LEVEL_GROUPS = {
    "regionmål": "Regionmål",
    "nämndmål": "Nämndmål",
    "delmål": "Delmål",
    "uppdrag": "Uppdrag",
}

GROUPED = "Delmålen står under det regionmål de hör till. "
RULE = (
    "Först står regionens bedömning (helt, delvis eller inte uppfyllt). Under ett mål med målvärde och utfall står rapportens "
    "beräkning, med samma regel som för de nationella målen: helt vid minst 100 procent av "
    "målvärdet, delvis vid 80–99, inte under 80 (ett tak: målvärdet delat med utfallet)."
)
WHOLE = (
    "Regionens bedömning gäller målet som helhet; rapporten beräknar bara den indikator "
    "som har ett målvärde."
)


def share_percent(share: float | None) -> float | None:
    """The share of the målvärde in percent, cut (not rounded) to one decimal, so a share
    shown as 100,0 % is always met and 80,0 % always at least partly met; at most 999,9."""
    if share is None:
        return None
    return min(999.9, math.floor(min(share, 10.0) * 1000 + 1e-6) / 10)


def _value(st: GoalStatus, x: float | None) -> str:
    return text.fmt_cell(x, st.unit or "antal", st.decimals)


def target_words(st: GoalStatus) -> str:
    """ "minst 80 %" / "högst 4 %"."""
    if st.target is None:
        return ""
    word = "högst" if st.target_kind == "max" else "minst"
    decimals = 0 if float(st.target).is_integer() else st.decimals
    return f"{word} {text.fmt_cell(st.target, st.unit or 'antal', decimals)}"


def measure_line(st: GoalStatus, year: int) -> str:
    """The measure, its value and its målvärde in one short line ("" without a measure)."""
    if st.goal.indicator is None or st.name is None:
        return ""
    if st.value is None:
        value = (
            "utfallet anges inte"
            if st.goal.indicator.id is None
            else f"inget värde för {st.goal.year or year}"
        )
    else:
        value = _value(st, st.value)
    target = f", målvärde {target_words(st)}" if st.target is not None else ""
    return f"{st.name}: {value}{target}"


def computed_cell(st: GoalStatus) -> str:
    """The computed status in a few words ("40,6 %: inte"); "–" when nothing is computed."""
    if not st.status:
        return "–"
    if st.status == J.NOT_ASSESSED:
        return "kan inte bedömas"
    share = text.fmt_percent(share_percent(st.share), 1)
    return f"{share}: {SHORT[st.status]}"


def region_words(st: GoalStatus) -> str:
    """The region's own judgement in its own words, or its status word; "–" when none."""
    goal = st.goal
    return goal.region_wording or REGION_WORDS.get(goal.region_status or "", "–")


def region_cell(st: GoalStatus) -> str:
    """The region's judgement as one word (helt / delvis / inte); "–" when it gave none."""
    return st.goal.region_status or "–"


def region_note(st: GoalStatus) -> str:
    """The region's own words when it judged without a status word ("Pågående"), else ""."""
    if st.goal.region_status or not st.goal.region_wording:
        return ""
    return f"regionen: {text.lower_first(st.goal.region_wording)}"


def group_title(st: GoalStatus) -> str:
    """The heading a goal stands under: its regionmål, or its level."""
    if st.goal.part_of:
        return st.goal.part_of
    return LEVEL_GROUPS[st.goal.level]


def differ_sentence(st: GoalStatus) -> str:
    """The goal, the region's judgement and the computed one, in a few words."""
    share = text.fmt_percent(share_percent(st.share), 1)
    return (
        f"”{st.goal.text.rstrip('.')}” (regionen: {REGION_WORDS[st.goal.region_status or '']}; "
        f"{text.lower_first(st.name or '')}: {share} av målvärdet, {STATUS_WORDS[st.status]})"
    )


def differ_paragraph(statuses: list[GoalStatus]) -> str:
    """Where the computed status differs from the region's, said once; "" when none does."""
    differing = [st for st in statuses if st.differs]
    if not differing:
        return ""
    count = text.plural(len(differing), "mål", "mål")
    return (
        f"För {count} skiljer sig rapportens beräkning från regionens bedömning: "
        + text.join_sv(differ_sentence(st) for st in differing)
        + ". "
        + WHOLE
    )


def indicator_line(statuses: list[GoalStatus]) -> str:
    """One short line under an indicator: the region's own goal(s) on the same thing."""
    parts = []
    for st in statuses:
        judged = st.goal.region_status or st.goal.region_wording
        parts.append(
            f"{st.goal.level} ”{st.goal.text.rstrip('.')}”"
            + (f" ({text.lower_first(judged)})" if judged else "")
        )
    return ("Regionens mål: " + "; ".join(parts) + ".") if parts else ""


def intro(source: str | None, region_name: str, year: int, grouped: bool = False) -> str:
    where = f" ({source})" if source else ""
    return (
        f"{region_name}s egna mål för {year} och regionens bedömning av dem{where}. "
        + (GROUPED if grouped else "")
        + RULE
    )
