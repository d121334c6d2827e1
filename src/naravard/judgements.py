"""The rules behind every statement: ties, meaningful change, trend, target status, definitions.

Pure functions on numbers (no catalogue, no text), so each rule is tested on hand-made data
and every sentence, table cell and export column is made from the same judgement. The rules,
in the words the report uses (README and "Om underlaget" repeat them):

- Values are compared at the precision the source publishes (`decimals`): 15 and 15 share a
  place; ranks are "competition" ranks (1, 2, 2, 4) and a shared place is reported as such.
- A change counts only when it is at least `min_change` (the indicator's smallest change that
  the measurement can tell apart) and no series break or change of definition lies between
  the two years; otherwise it is "ingen tydlig förändring" or not judged at all.
- A trend needs at least TREND_MIN_YEARS comparable years (after the last series break); see
  `trend()` for the three conditions.
- A target is "uppfylls" when reached, "uppfylls delvis" when not reached but within
  `min_change` of it or clearly improved towards it since the previous comparable year,
  otherwise "uppfylls inte".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

TREND_MIN_YEARS = 5
# A trend is not a trend when one year-on-year step carries more than this share of the
# whole movement from the first to the last year.
TREND_MAX_STEP_SHARE = 0.5

UNCLEAR_CHANGE = "ingen tydlig förändring"
UNCLEAR_TREND = "ingen tydlig trend"
MET, PARTLY, NOT_MET = "uppfylls", "uppfylls delvis", "uppfylls inte"


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def published(x: float, decimals: int) -> float:
    """`x` rounded half up to the published precision (what the reader sees and ties use)."""
    quantum = Decimal(1).scaleb(-int(decimals))
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def _sign(direction: str) -> float:
    """+1 when higher is better, −1 when lower is better, 0 for neutral indicators."""
    return {"higher": 1.0, "lower": -1.0}.get(direction, 0.0)


def direction_word(delta: float, direction: str) -> str:
    """The word for a movement that counts: better/worse, or up/down for neutral indicators."""
    sign = _sign(direction)
    if sign == 0:
        return "ökning" if delta > 0 else "minskning"
    return "förbättring" if delta * sign > 0 else "försämring"


# --- ranks with ties --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """A region's place among the regions with a value: `rank`–`rank_to` is a shared place."""

    rank: int
    rank_to: int
    n_tied: int  # how many OTHER regions share the value
    n_ranked: int

    @property
    def shared(self) -> bool:
        return self.n_tied > 0


def ranks(values: Mapping[str, float], direction: str, decimals: int) -> dict[str, Rank]:
    """Place of every region, best first, comparing values at the published precision.

    Neutral indicators have no better end, so they get no places (an empty dict).
    """
    sign = _sign(direction)
    clean = {k: published(v, decimals) for k, v in values.items() if not _missing(v)}
    if sign == 0 or not clean:
        return {}
    n = len(clean)
    out = {}
    for key, value in clean.items():
        better = sum(1 for v in clean.values() if (v - value) * sign > 0)
        same = sum(1 for v in clean.values() if v == value)
        out[key] = Rank(rank=better + 1, rank_to=better + same, n_tied=same - 1, n_ranked=n)
    return out


def third(rank: int, n: int) -> str:
    """Which third a place falls in ("övre", "mellersta", "nedre"); a shared place by its best."""
    if n <= 0:
        return ""
    part = math.ceil(3 * rank / n)
    return {1: "övre", 2: "mellersta"}.get(part, "nedre")


@dataclass(frozen=True)
class Spread:
    """Where the regions lie for an indicator with no better direction."""

    low: float
    median: float
    high: float
    n: int


def spread(values: Sequence[float]) -> Spread | None:
    vals = sorted(float(v) for v in values if not _missing(v))
    if not vals:
        return None
    return Spread(vals[0], float(np.median(vals)), vals[-1], len(vals))


# --- change ------------------------------------------------------------------------------------


def change_judgement(change: float | None, direction: str, min_change: float, decimals: int,
                     *, comparable: bool = True) -> tuple[str, bool]:
    """(judgement, counts) for a change between two years.

    Not comparable (series break, other definition) or missing: ("", False), no judgement.
    Smaller than `min_change` at the published precision: ("ingen tydlig förändring", False).
    """
    if not comparable or change is None or _missing(change):
        return "", False
    shown = published(float(change), decimals)
    if abs(shown) + 1e-9 < min_change or shown == 0:
        return UNCLEAR_CHANGE, False
    return direction_word(shown, direction), True


# --- trend --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    judgement: str  # direction_word(...) | "ingen tydlig trend" | "" (too few comparable years)
    from_year: int | None = None
    from_value: float | None = None
    n_years: int = 0


def trend(points: Mapping[int, float], year: int, direction: str, min_change: float,
          decimals: int, breaks: Sequence[int] = ()) -> Trend:
    """The movement over the comparable years up to `year`.

    Comparable years are those with a value from the last series break (its first year) up to
    `year`. With at least TREND_MIN_YEARS of them, the indicator has moved (risen/fallen,
    improved/worsened) since the first of them only when all three hold:
    1. last minus first is at least `min_change` (at the published precision);
    2. the least-squares slope over those years has the same sign;
    3. no single step from one year to the next is more than half of the whole movement
       (one year's jump is not a trend).
    Otherwise "ingen tydlig trend"; with fewer years "" (not judged).
    """
    start = max([b for b in breaks if b <= year], default=None)
    years = sorted(y for y, v in points.items()
                   if y <= year and (start is None or y >= start) and not _missing(v))
    if len(years) < TREND_MIN_YEARS or year not in years:
        return Trend("", n_years=len(years))
    vals = [float(points[y]) for y in years]
    first = years[0]
    total = published(vals[-1], decimals) - published(vals[0], decimals)
    slope = float(np.polyfit(np.array(years, dtype=float), np.array(vals), 1)[0])
    steps = [b - a for a, b in zip(vals, vals[1:])]
    biggest = max((abs(s) for s in steps if s * total > 0), default=0.0)
    clear = (abs(total) + 1e-9 >= min_change and total != 0 and slope * total > 0
             and biggest <= TREND_MAX_STEP_SHARE * abs(total) + 1e-9)
    word = direction_word(total, direction) if clear else UNCLEAR_TREND
    return Trend(word, first, float(points[first]), len(years))


# --- targets -------------------------------------------------------------------------------------


def target_status(value: float | None, target: float | None, kind: str | None, min_change: float,
                  *, prev_value: float | None = None, comparable: bool = False,
                  decimals: int = 1) -> str:
    """"uppfylls" / "uppfylls delvis" / "uppfylls inte"; "" without target or value.

    "Delvis": the target is not reached, but the value is within `min_change` of it, or it has
    moved towards the target by at least `min_change` since the previous comparable year.
    """
    if target is None or value is None or _missing(target) or _missing(value):
        return ""
    better = -1.0 if kind == "max" else 1.0  # which way is towards the target
    shown = published(float(value), decimals)
    gap = (shown - float(target)) * better
    if gap >= 0:
        return MET
    if -gap + 1e-9 <= min_change:
        return PARTLY
    if comparable and prev_value is not None and not _missing(prev_value):
        towards = (shown - published(float(prev_value), decimals)) * better
        if towards + 1e-9 >= min_change:
            return PARTLY
    return NOT_MET


def target_note(who: str | None, applies_to: int | None, year: int) -> str:
    """Who set the target and for which year; says so when it is applied to a later year."""
    if not who:
        return ""
    if applies_to is None:
        return f"Målet kommer från {who} och gäller tills vidare."
    if year > applies_to:
        return (f"Målet gällde {applies_to} enligt {who}; här jämförs {year} års värde med "
                "det eftersom inget senare mål finns.")
    return f"Målet gäller {applies_to} enligt {who}."


# --- comparability -------------------------------------------------------------------------------


def same_definition(a: str | None, b: str | None) -> bool:
    """Two rows compare only when they are measured the same way ("" = the catalogue's way)."""
    return (a or "").strip().lower() == (b or "").strip().lower()


def break_between(breaks: Sequence[int], earlier: int | None, later: int) -> bool:
    """True when a series starts anew after `earlier` and by `later`."""
    if earlier is None:
        return False
    return any(earlier < b <= later for b in breaks)
