"""The kommuner of a län, indicator by indicator: values, change, distance to the län, K/M.

Judgements come from naravard.analysis.judgements with the kommun catalogue's `min_change`,
so "står ut" means the same as "nära riket" elsewhere: a distance smaller than the change the
measurement can tell apart is not a difference.

- The shown year is the latest year any kommun of the län has a value (`year`); a kommun
  without a value that year is kept, with the reason, and never compared.
- The change runs from the earliest year with a value among the WINDOW years up to `year`.
- The län's value is Kolada's own figure for the region where Kolada has one, otherwise the
  unweighted mean of the kommuner's values (our computation, labelled as such).
- A kommun is "unstable" for an indicator when Kolada left out its value in one of the
  WINDOW years while most of the län's kommuner had one: Kolada leaves out values that rest
  on too few people, so the years it does publish rest on few people too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from naravard.analysis import judgements as J
from naravard.config.catalog import Catalog, Indicator
from naravard.config.regions import RIKET_CODE

WINDOW = 5
LAN_MEAN_LABEL = "länets kommuner, ovägt medel"
ABOVE, BELOW, NEAR = "högre än länet", "lägre än länet", "nära länet"
BETTER, WORSE = "bättre än länet", "sämre än länet"
_VERSUS = {J.BETTER_THAN_RIKET: BETTER, J.WORSE_THAN_RIKET: WORSE, J.NEAR_RIKET: NEAR}
_NEUTRAL = {J.BETTER_THAN_RIKET: ABOVE, J.WORSE_THAN_RIKET: BELOW, J.NEAR_RIKET: NEAR}


@dataclass
class KommunValue:
    code: str
    name: str
    value: float | None  # at the shown year
    status: str  # Kolada's status for the shown year, if any
    reason: str  # why there is no value ("" when there is one)
    last_year: int | None  # the kommun's own latest year with a value (≤ year)
    last_value: float | None
    start_year: int | None  # start of the change
    start_value: float | None
    change: float | None
    change_judgement: str
    versus_lan: str  # BETTER/WORSE/NEAR, or ABOVE/BELOW/NEAR for a neutral indicator
    kvinnor: float | None
    man: float | None
    unstable: bool
    group: str = ""
    population: tuple[int, int] | None = None  # (year, inhabitants), when the data has it


@dataclass
class KommunIndicator:
    """One indicator across the län's kommuner in its latest year."""

    indicator: Indicator
    year: int
    kommuner: list[KommunValue]  # sorted: best (or highest) first, missing last
    lan: float | None
    lan_label: str  # the region's name (Kolada's figure) or LAN_MEAN_LABEL
    riket: float | None
    gender_counted: dict[str, list[str]] = field(default_factory=dict)  # "K"/"M" higher → names
    gender_compared: int = 0

    @property
    def with_value(self) -> list[KommunValue]:
        return [k for k in self.kommuner if k.value is not None]

    @property
    def missing(self) -> list[KommunValue]:
        return [k for k in self.kommuner if k.value is None]

    def standing_out(self, word: str) -> list[KommunValue]:
        return [k for k in self.kommuner if k.versus_lan == word]

    @property
    def unstable(self) -> list[KommunValue]:
        return [k for k in self.kommuner if k.unstable]


def _num(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _versus(value: float | None, lan: float | None, ind: Indicator) -> str:
    """The distance to the län by the rule for Riket (judgements.versus_riket)."""
    if ind.direction == "neutral":
        return _NEUTRAL.get(J.versus_riket(value, lan, "higher", ind.min_change, ind.decimals), "")
    return _VERSUS.get(J.versus_riket(value, lan, ind.direction, ind.min_change, ind.decimals), "")


def _reason(rows: pd.DataFrame, year: int, last_year: int | None) -> tuple[str, str]:
    """(status, reason) for a kommun without a total value in `year`."""
    here = rows[rows["year"] == year]
    status = ""
    total = here[here["gender"] == "T"]
    if not total.empty:
        status = str(total["status"].iloc[0] or "")
    if status:
        reason = f"Kolada: {status}"
    elif not total.empty:
        reason = "Kolada redovisar inget värde"
    elif here["value"].notna().any():
        reason = "bara uppdelat på kvinnor och män"
    else:
        reason = "inget värde i Kolada"
    if last_year is not None:
        reason += f", senast {last_year}"
    return status, reason


def _sort_key(ind: Indicator, k: KommunValue) -> tuple:
    if k.value is None:
        return (1, 0.0, k.name)
    shown = J.published(k.value, ind.decimals)
    return (0, shown if ind.direction == "lower" else -shown, k.name)


def kommun_indicator(
    frame: pd.DataFrame,
    ind: Indicator,
    region_code: str,
    kommuner: dict[str, str],
    region_name: str,
    groups: dict[str, str] | None = None,
    population: dict[str, tuple[int, int]] | None = None,
) -> KommunIndicator | None:
    """The indicator for the län's kommuner (`kommuner`: id → name); None without any value."""
    data = frame[frame["indicator_id"] == ind.id]
    local = data[data["code"].isin(kommuner)]
    totals = local[(local["gender"] == "T") & local["value"].notna()]
    if totals.empty:
        return None
    year = int(totals["year"].max())
    window = list(range(year - WINDOW + 1, year + 1))
    # years in which most of the län's kommuner have a value: a gap there is Kolada's omission
    per_year = totals.groupby("year")["code"].nunique()
    full_years = [y for y in window if per_year.get(y, 0) > len(kommuner) / 2]
    breaks = [b.year for b in ind.series_breaks]

    def at(code: str, gender: str = "T") -> float | None:
        sel = data[(data["code"] == code) & (data["year"] == year) & (data["gender"] == gender)]
        return _num(sel["value"].iloc[0]) if not sel.empty else None

    lan = at(region_code)
    lan_label = region_name
    values = totals[totals["year"] == year]
    if lan is None:
        lan = float(values["value"].mean())
        lan_label = LAN_MEAN_LABEL
    out: list[KommunValue] = []
    for code, name in kommuner.items():
        rows = local[local["code"] == code]
        mine = rows[(rows["gender"] == "T") & rows["value"].notna()].set_index("year")["value"]
        value = _num(mine.get(year))
        earlier = mine[mine.index <= year]
        last_year = int(earlier.index.max()) if not earlier.empty else None
        status, reason = ("", "") if value is not None else _reason(rows, year, last_year)
        in_window = mine[(mine.index >= window[0]) & (mine.index < year)]
        start_year = (
            int(in_window.index.min()) if value is not None and not in_window.empty else None
        )
        change = judgement = None
        if start_year is not None:
            start = float(in_window[start_year])
            change = J.published(value, ind.decimals) - J.published(start, ind.decimals)
            judgement, _ = J.change_judgement(
                change,
                ind.direction,
                ind.min_change,
                ind.decimals,
                comparable=not J.break_between(breaks, start_year, year),
            )
        out.append(
            KommunValue(
                code=code,
                name=name,
                value=value,
                status=status,
                reason=reason,
                last_year=last_year,
                last_value=_num(mine.get(last_year)) if last_year else None,
                start_year=start_year,
                start_value=float(in_window[start_year]) if start_year is not None else None,
                change=change,
                change_judgement=judgement or "",
                versus_lan=_versus(value, lan, ind),
                kvinnor=at(code, "K"),
                man=at(code, "M"),
                unstable=any(y not in mine.index for y in full_years),
                group=(groups or {}).get(code, ""),
                population=(population or {}).get(code),
            )
        )
    out.sort(key=lambda k: _sort_key(ind, k))
    result = KommunIndicator(ind, year, out, lan, lan_label, at(RIKET_CODE))
    _gender(result)
    return result


def _gender(result: KommunIndicator) -> None:
    """Kommuner where women and men differ by at least min_change, by which is higher."""
    ind = result.indicator
    counted: dict[str, list[str]] = {"K": [], "M": []}
    compared = 0
    for k in result.kommuner:
        if k.kvinnor is None or k.man is None:
            continue
        compared += 1
        gap = J.published(k.kvinnor, ind.decimals) - J.published(k.man, ind.decimals)
        if J.change_judgement(gap, "higher", ind.min_change, ind.decimals)[1]:
            counted["K" if gap > 0 else "M"].append(k.name)
    result.gender_counted, result.gender_compared = counted, compared


def lan_indicators(
    kommun_data: object, catalog: Catalog, region_code: str, region_name: str
) -> list[KommunIndicator]:
    """Every catalogue indicator with values for the län's kommuner, in catalogue order."""
    codes = kommun_data.all_in_lan(region_code)
    names = {c: kommun_data.names.get(c, c) for c in codes}
    out = []
    for ind in catalog:
        item = kommun_indicator(
            kommun_data.frame,
            ind,
            region_code,
            names,
            region_name,
            kommun_data.groups,
            kommun_data.population,
        )
        if item is not None:
            out.append(item)
    return out
