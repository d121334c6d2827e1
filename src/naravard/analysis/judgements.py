"""The rules behind every statement: ties, meaningful change, trend, target status, definitions.

Pure functions on numbers (no catalogue, no text), so each rule is tested on hand-made data
and every sentence, table cell and export column is made from the same judgement. The rules,
in the words the report uses (docs/metod.md and "Om underlaget" repeat them):

- Values are compared at the precision the source publishes (`decimals`): 15 and 15 share a
  place; ranks are "competition" ranks (1, 2, 2, 4) and a shared place is reported as such.
- A change counts only when it is at least `min_change` (the indicator's smallest change that
  the measurement can tell apart) and no series break or change of definition lies between
  the two years; otherwise it is "ingen tydlig förändring" or not judged at all.
- A trend needs at least TREND_MIN_YEARS comparable years (after the last series break) and
  names the shape the chart shows: a turn, a level shift, a steady rise or fall, or no
  clear movement (see `trend()`).
- A target is "uppfylls" at 100 % of the målvärde or more, "uppfylls delvis" at 80–99 %,
  otherwise "uppfylls inte" (mirrored for a ceiling, see `target_share`); with no value it
  "kan inte bedömas".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

TREND_MIN_YEARS = 5

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


def _counts(delta: float, min_change: float) -> bool:
    """A difference that counts: at least `min_change` and not zero (the one test behind a
    change, a trend's movement and a distance to Riket)."""
    return abs(delta) + 1e-9 >= min_change and delta != 0


def change_judgement(
    change: float | None,
    direction: str,
    min_change: float,
    decimals: int,
    *,
    comparable: bool = True,
) -> tuple[str, bool]:
    """(judgement, counts) for a change between two years.

    Not comparable (series break, other definition) or missing: ("", False), no judgement.
    Smaller than `min_change` at the published precision: ("ingen tydlig förändring", False).
    """
    if not comparable or change is None or _missing(change):
        return "", False
    shown = published(float(change), decimals)
    if not _counts(shown, min_change):
        return UNCLEAR_CHANGE, False
    return direction_word(shown, direction), True


# --- trend --------------------------------------------------------------------------------------

# Mann–Kendall's test for a monotone movement, two-sided, normal approximation with the
# continuity correction and the correction for tied values (Kendall 1975; as in Gilbert,
# Statistical Methods for Environmental Pollution Monitoring, 1987, ch. 16). 10 %, because
# with five to nine yearly values 5 % would need five years all in one direction: a rise
# of 70,6 → 72,5 → 76,4 → 75,3 → 79,5 (p = 0,086) would read as no trend.
TREND_ALPHA = 0.10
# An arm of a turn is a movement when at least this Kendall's tau holds within it: without
# ties, at least 80 % of its pairs of years go its way.
TURN_MIN_TAU = 0.6
# A level shift: the step is at least this many times the range within either level.
SHIFT_MIN_RATIO = 2.0

STEADY, SHIFT, TURN, NONE = "steady", "shift", "turn", "none"
# The shapes as table cells and exported columns say them.
SHAPE_LABELS = {STEADY: "jämn", SHIFT: "nivåskifte", TURN: "vändning", NONE: "ingen tydlig", "": ""}


@dataclass(frozen=True)
class Trend:
    """What the chart of the comparable years shows, as data sentences are made from.

    `judgement`, `from_year`, `from_value` describe the movement up to now: for a turn they
    start at the turn (the latest arm), otherwise at the first comparable year. `shape` says
    which of the four descriptions holds; `start_year`/`start_value` are always the first
    comparable year; `shift_from`–`shift_to` are the two years a level shift lies between;
    `before` is the earlier arm's word for a turn ("ökning", "förbättring" …).
    """

    judgement: str  # direction_word(...) | "ingen tydlig trend" | "" (too few comparable years)
    from_year: int | None = None
    from_value: float | None = None
    n_years: int = 0
    shape: str = ""  # "steady" | "shift" | "turn" | "none" | "" (not judged)
    start_year: int | None = None
    start_value: float | None = None
    shift_from: int | None = None
    shift_to: int | None = None
    before: str = ""
    p_value: float | None = None  # Mann–Kendall's, over all comparable years


def mann_kendall(values: Sequence[float]) -> tuple[int, float]:
    """(S, two-sided p) of Mann–Kendall's test; p = 1 for fewer than three values."""
    x = [float(v) for v in values]
    n = len(x)
    s = sum((x[j] > x[i]) - (x[j] < x[i]) for i in range(n) for j in range(i + 1, n))
    if n < 3:
        return s, 1.0
    ties = [x.count(v) for v in set(x)]
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if var <= 0 or s == 0:
        return s, 1.0
    z = (s - 1 if s > 0 else s + 1) / math.sqrt(var)
    return s, math.erfc(abs(z) / math.sqrt(2))


def kendall_tau(values: Sequence[float]) -> float:
    """Kendall's tau-a of values against time: +1 always rising, −1 always falling."""
    n = len(values)
    return mann_kendall(values)[0] / (n * (n - 1) / 2) if n > 1 else 0.0


def theil_sen(years: Sequence[int], values: Sequence[float]) -> float:
    """Theil–Sen slope per year: the median of the slopes between all pairs of years."""
    slopes = [
        (values[j] - values[i]) / (years[j] - years[i])
        for i in range(len(years))
        for j in range(i + 1, len(years))
    ]
    return float(np.median(slopes)) if slopes else 0.0


def _spike(vals: Sequence[float], i: int, min_change: float) -> bool:
    """Year `i` is a lone outlier: away from both neighbours, which lie close together, and
    without it the arms would not go opposite ways by `min_change` each."""
    if i <= 0 or i >= len(vals) - 1:
        return False
    left, right = vals[i] - vals[i - 1], vals[i] - vals[i + 1]
    lone = (
        left * right > 0
        and _counts(left, min_change)
        and _counts(right, min_change)
        and abs(vals[i + 1] - vals[i - 1]) < min(abs(left), abs(right)) / 2
    )
    earlier, later = vals[i - 1] - vals[0], vals[-1] - vals[i + 1]
    holds = earlier * later < 0 and _counts(earlier, min_change) and _counts(later, min_change)
    return lone and not holds


def _turn(vals: Sequence[float], min_change: float) -> int | None:
    """Index of the turn: the highest or lowest year with at least two years on each side,
    where the arms before and after go opposite ways by at least `min_change` each, each arm
    is a movement (Kendall's tau ≥ TURN_MIN_TAU) and the turn year is not a lone outlier.
    With both a highest and a lowest candidate, the later one (the movement up to now)."""
    inner = range(2, len(vals) - 2)
    if not inner:
        return None
    # the highest year is a peak (rose, then fell), the lowest a trough (fell, then rose)
    candidates = [
        (max(inner, key=lambda i: (vals[i], i)), 1.0),
        (min(inner, key=lambda i: (vals[i], -i)), -1.0),
    ]
    found = []
    for i, peak in candidates:
        earlier, later = vals[i] - vals[0], vals[-1] - vals[i]
        if (
            earlier * peak > 0 > later * peak
            and _counts(earlier, min_change)
            and _counts(later, min_change)
            and kendall_tau(vals[: i + 1]) * earlier >= TURN_MIN_TAU * abs(earlier)
            and kendall_tau(vals[i:]) * later >= TURN_MIN_TAU * abs(later)
            and not _spike(vals, i, min_change)
        ):
            found.append(i)
    return max(found) if found else None


def _shift(vals: Sequence[float], min_change: float) -> int | None:
    """Index of the first year after a level shift, or None.

    The split with the least squared deviation from the two levels' means (one change point
    in the mean, Hinkley 1970), with at least two years on each side, is a shift when every
    year after lies beyond every year before, the step between the two years and the
    difference of the means are at least `min_change`, the latter at least SHIFT_MIN_RATIO times the range within either level, and the
    later level has not moved by `min_change` from its first to its last year ("ligger kvar").
    """
    best, best_sse = None, math.inf
    for k in range(2, len(vals) - 1):
        a, b = np.array(vals[:k]), np.array(vals[k:])
        sse = float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
        if sse < best_sse - 1e-12:
            best, best_sse = k, sse
    if best is None:
        return None
    a, b = vals[:best], vals[best:]
    step = float(np.mean(b) - np.mean(a))
    apart = min(b) > max(a) if step > 0 else max(b) < min(a)
    level = max(max(a) - min(a), max(b) - min(b))
    jump = b[0] - a[-1]
    if (
        apart
        and _counts(step, min_change)
        and abs(step) >= SHIFT_MIN_RATIO * level
        and _counts(jump, min_change)
        and not _counts(b[-1] - b[0], min_change)
    ):
        return best
    return None


def trend(
    points: Mapping[int, float],
    year: int,
    direction: str,
    min_change: float,
    decimals: int,
    breaks: Sequence[int] = (),
) -> Trend:
    """What the chart of the comparable years up to `year` shows, in one of four shapes.

    Comparable years are those with a value from the last series break (its first year) up to
    `year`; with fewer than TREND_MIN_YEARS of them nothing is judged (""). Values are taken
    at the published precision, and `min_change` is the smallest movement that counts. In
    this order, the first that holds:
    1. a turn (`_turn`): rose to the highest year and has fallen since (or the reverse);
       judged by the later arm, from the turn year;
    2. a level shift (`_shift`): moved between two years and stayed at the new level;
    3. a steady movement: Mann–Kendall's test over all the years at TREND_ALPHA, with the
       Theil–Sen slope over the span and last minus first both at least `min_change` the
       same way;
    4. otherwise "ingen tydlig trend".
    """
    start = max([b for b in breaks if b <= year], default=None)
    years = sorted(
        y
        for y, v in points.items()
        if y <= year and (start is None or y >= start) and not _missing(v)
    )
    if len(years) < TREND_MIN_YEARS or year not in years:
        return Trend("", n_years=len(years))
    vals = [published(float(points[y]), decimals) for y in years]
    first, first_value = years[0], float(points[years[0]])
    _, p = mann_kendall(vals)
    common = {"n_years": len(years), "start_year": first, "start_value": first_value, "p_value": p}
    i = _turn(vals, min_change)
    if i is not None:
        return Trend(
            direction_word(vals[-1] - vals[i], direction),
            years[i],
            float(points[years[i]]),
            shape=TURN,
            before=direction_word(vals[i] - vals[0], direction),
            **common,
        )
    k = _shift(vals, min_change)
    if k is not None:
        return Trend(
            direction_word(vals[k] - vals[k - 1], direction),
            first,
            first_value,
            shape=SHIFT,
            shift_from=years[k - 1],
            shift_to=years[k],
            **common,
        )
    total = vals[-1] - vals[0]
    fitted = theil_sen(years, vals) * (years[-1] - years[0])
    if (
        p < TREND_ALPHA
        and _counts(total, min_change)
        and _counts(fitted, min_change)
        and fitted * total > 0
    ):
        return Trend(direction_word(total, direction), first, first_value, shape=STEADY, **common)
    return Trend(UNCLEAR_TREND, first, first_value, shape=NONE, **common)


# --- targets -------------------------------------------------------------------------------------


# The regions' own convention (Region Västerbotten, verksamhetsberättelse 2024, "Bedömning av
# indikator"): the målvärde is met helt at 100 % of it or more, delvis at 80–99 %, inte below.
TARGET_PARTLY_SHARE = 0.8
NOT_ASSESSED = "kan inte bedömas"


def target_share(
    value: float | None, target: float | None, kind: str | None, decimals: int = 1
) -> float | None:
    """How much of the target the published value reaches, as a share (1.0 = reached).

    A floor ("minst X"): value / X. A ceiling ("högst X"): X / value, as the regions' annual
    reports mirror it, so 1,25 × X is 80 % of a ceiling; a value of 0 meets any ceiling.
    None without value or target.
    """
    if target is None or value is None or _missing(target) or _missing(value):
        return None
    shown, goal = published(float(value), decimals), float(target)
    if kind == "max":
        return math.inf if shown <= 0 else goal / shown
    return shown / goal if goal > 0 else math.inf


def target_status(
    value: float | None,
    target: float | None,
    kind: str | None,
    min_change: float | None = None,
    *,
    prev_value: float | None = None,
    comparable: bool = False,
    decimals: int = 1,
) -> str:
    """ "uppfylls" / "uppfylls delvis" / "uppfylls inte" from the value and the target alone.

    Met at 100 % of the target or more, partly at 80–99 % (TARGET_PARTLY_SHARE), otherwise
    not (see `target_share` for a ceiling): monotone in the value, the same for every region.
    "kan inte bedömas" with a target but no value; "" without a target. `min_change`,
    `prev_value` and `comparable` belonged to the earlier rule and are not used.
    """
    if target is None or _missing(target):
        return ""
    share = target_share(value, target, kind, decimals)
    if share is None:
        return NOT_ASSESSED
    if share >= 1.0 - 1e-12:
        return MET
    if share >= TARGET_PARTLY_SHARE - 1e-12:
        return PARTLY
    return NOT_MET


def target_note(who: str | None, applies_to: int | None, year: int, has_value: bool = True) -> str:
    """Who set the target and for which year; says so when it is applied to a later year
    (and, with no value for the year, never that a value is compared with it)."""
    if not who:
        return ""
    if applies_to is None:
        return f"Målet kommer från {who} och gäller tills vidare."
    if year > applies_to and not has_value:
        return f"Målet gällde {applies_to} enligt {who}; inget senare mål finns."
    if year > applies_to:
        return (
            f"Målet gällde {applies_to} enligt {who}; här jämförs {year} års värde med "
            "det eftersom inget senare mål finns."
        )
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


# --- against Riket -------------------------------------------------------------------------------

BETTER_THAN_RIKET, WORSE_THAN_RIKET, NEAR_RIKET = "bättre än riket", "sämre än riket", "nära riket"


def versus_riket(
    value: float | None, riket: float | None, direction: str, min_change: float, decimals: int
) -> str:
    """ "bättre än riket" / "sämre än riket" / "nära riket"; "" when nothing can be judged.

    A distance to Riket smaller than `min_change` (at the published precision) is within what
    the measurement can tell apart, so it is "nära riket", as a change of that size is
    "ingen tydlig förändring". Neutral indicators, and a missing value or Riket, get "".
    """
    sign = _sign(direction)
    if sign == 0 or value is None or riket is None or _missing(value) or _missing(riket):
        return ""
    gap = published(float(value), decimals) - published(float(riket), decimals)
    if not _counts(gap, min_change):
        return NEAR_RIKET
    return BETTER_THAN_RIKET if gap * sign > 0 else WORSE_THAN_RIKET
