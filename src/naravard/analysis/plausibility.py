"""Values a reader should check before believing: a jump, a share at its bound, a source's swing.

A new year can carry what is not a change in care but in measurement: a region that changes
journal system gets one-year swings of 15–30 percentage points on several waiting-time
indicators at once, or a share of exactly 100 %. Such a value is reported with a caution
(CAUTION) instead of a plain förbättring/försämring or "bäst". Pure functions on numbers, so
each rule is tested on hand-made series; `indicators.indicator_table` and
`indicators.national_table` carry the verdict as the columns `plausibility` and
`plausibility_note`, and every sentence, table cell and export reads it from there.

The rules (docs/metod.md and "Om underlaget" say the same):

- Jump: the change from the previous year, less Riket's change the same year (so a shift the
  whole country makes is not the region's), lies more than JUMP_SD standard deviations from
  the mean of the region's earlier such one-year changes (at least MIN_HISTORY of them; a
  steady fall of 4–6 points a year is its own history, not a jump), and the change is at
  least twice the indicator's `min_change`. Never across a series break.
- Bound: a share published as exactly 0 % or 100 %, where the region never published that
  bound before.
- Together: at least TOGETHER indicators of one primary source change by more than
  TOGETHER_MIN_CHANGES times their `min_change` in the same year for one region: each of
  them is flagged, even where its own history is too short to judge a jump.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

JUMP_SD = 3.0
MIN_HISTORY = 3  # earlier one-year changes needed to measure the region's own variation
JUMP_MIN_CHANGES = 2.0  # and a jump is at least this many min_change
TOGETHER = 3  # indicators of one source
TOGETHER_MIN_CHANGES = 5.0  # each moving at least this many min_change

JUMP, BOUND, TOGETHER_FLAG = "hopp", "gränsvärde", "samma källa"
# What a reader is told of a flagged value: why it may not be a change in care, and that it is
# therefore not judged (the analyst checks it before signing; the reader needs no to-do).
CAUTION = (
    "avviker kraftigt från tidigare år, vilket kan bero på ändrad registrering, t.ex. "
    "byte av vårdinformationssystem; förändringen bedöms därför inte"
)
SURVEY_CAUTION = (
    "avviker kraftigt från tidigare år, vilket kan bero på urvalet eller "
    "svarsfrekvensen; förändringen bedöms därför inte"
)
BOUND_CAUTION = "är ett gränsvärde som sällan mäts exakt; placeringen bedöms därför inte"
# sources that are samples of people, where no journal system moves a value
SURVEY_SOURCES = ("Hälso- och sjukvårdsbarometern", "Nationell patientenkät")
JUDGEMENT = "avviker kraftigt, bedöms inte"  # the change judgement a flagged change gets


def _missing(x: object) -> bool:
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def one_year_change(
    points: Mapping[int, float], year: int, breaks: Sequence[int] = ()
) -> float | None:
    """The change from year − 1 to year, None when either is missing or a break lies between."""
    now, before = points.get(year), points.get(year - 1)
    if _missing(now) or _missing(before) or year in breaks:
        return None
    return float(now) - float(before)  # type: ignore[arg-type]


def is_jump(
    points: Mapping[int, float],
    year: int,
    min_change: float,
    *,
    riket: Mapping[int, float] | None = None,
    breaks: Sequence[int] = (),
) -> bool:
    """True when this year's change is far outside the region's own earlier changes."""
    change = one_year_change(points, year, breaks)
    if change is None or abs(change) + 1e-9 < JUMP_MIN_CHANGES * max(min_change, 1e-9):
        return False
    riket = riket or {}

    def relative(y: int) -> float | None:
        own = one_year_change(points, y, breaks)
        if own is None:
            return None
        national = one_year_change(riket, y, breaks)
        return own - (national or 0.0)

    start = max([b for b in breaks if b <= year - 1], default=None)
    history = [
        d
        for y in sorted(points)
        if y < year and (start is None or y > start) and (d := relative(y)) is not None
    ]
    now = relative(year)
    if len(history) < MIN_HISTORY or now is None:
        return False
    sd = float(np.std(history, ddof=1))
    return abs(now - float(np.mean(history))) > JUMP_SD * sd + 1e-9


def at_bound(value: float | None, unit: str, decimals: int, earlier: Iterable[float] = ()) -> bool:
    """A share published as 0 % or 100 % that the region had not published before: a small
    region always near 100 % (Gotland's BUP, 100 % in 2021 too) is at its usual level."""
    if unit != "procent" or _missing(value):
        return False
    shown = round(float(value), int(decimals))  # type: ignore[arg-type]
    if shown not in (0.0, 100.0):
        return False
    return not any(round(float(v), int(decimals)) == shown for v in earlier if not _missing(v))


def caution(source: str) -> str:
    """The caution for a jump, naming a cause the source can have."""
    survey = source_key(source).startswith(SURVEY_SOURCES)
    return SURVEY_CAUTION if survey else CAUTION


def large_change(
    points: Mapping[int, float], year: int, min_change: float, breaks: Sequence[int] = ()
) -> bool:
    """A one-year change of at least TOGETHER_MIN_CHANGES × min_change (for `together`)."""
    change = one_year_change(points, year, breaks)
    return (
        change is not None
        and min_change > 0
        and abs(change) + 1e-9 >= TOGETHER_MIN_CHANGES * min_change
    )


def source_key(source: str) -> str:
    """The producing source: "Väntetider i vården, SKR, via Vården i siffror" and
    "Väntetider i vården, SKR" are one source."""
    return re.split(r",? via ", source)[0].strip()


def together(large: Iterable[tuple[str, str]]) -> set[str]:
    """The indicator ids, among (id, source) pairs with a large change, whose source has at
    least TOGETHER of them."""
    pairs = list(large)
    by_source: dict[str, list[str]] = {}
    for ind, source in pairs:
        by_source.setdefault(source_key(source), []).append(ind)
    return {i for ids in by_source.values() if len(ids) >= TOGETHER for i in ids}


@dataclass(frozen=True)
class Verdict:
    flag: str  # "" (plausible) | JUMP | BOUND | TOGETHER_FLAG
    note: str  # the reader's caution ("" when plausible)


def verdict(
    jump: bool, bound: bool, with_source: bool, value_text: str, year: int, source: str = ""
) -> Verdict:
    """The flag and the caution sentence for one value; the source swing names its source."""
    if with_source:
        return Verdict(
            TOGETHER_FLAG,
            f"Värdet {year} ({value_text}) {caution(source)}. Flera "
            f"indikatorer från samma källa ({source_key(source)}) "
            "ändrades "
            "kraftigt samma år.",
        )
    if jump:
        return Verdict(JUMP, f"Värdet {year} ({value_text}) {caution(source)}.")
    if bound:
        return Verdict(BOUND, f"Värdet {year} ({value_text}) {BOUND_CAUTION}.")
    return Verdict("", "")


RULES_TEXT = (
    "Ett värde redovisas som osäkert, inte som förbättring eller försämring "
    "och inte som bäst, när förändringen sedan föregående år (jämfört med rikets förändring "
    f"samma år) ligger mer än {JUMP_SD:.0f} standardavvikelser från medelvärdet av regionens "
    "tidigare ettårsförändringar och är minst dubbelt så stor som den minsta förändring som räknas, "
    "när en andel är exakt 0 eller 100 % utan att regionen haft det värdet tidigare, eller när minst "
    f"{TOGETHER} indikatorer från samma källa ändras kraftigt samma år (minst "
    f"{TOGETHER_MIN_CHANGES:.0f} gånger den minsta förändring som räknas). Sådant kan bero på "
    "ändrad registrering, till exempel byte av vårdinformationssystem, eller i en enkät på "
    "urvalet. Analytikern kontrollerar sådana värden mot regionens egen statistik."
)
PUBLICATION_RULE = (
    "När ingen region har ett värde för uppföljningsåret har källan ännu inte publicerat "
    "det; då visas det senaste året med värden och det sägs vid indikatorn. Saknar bara "
    "regionen värde står det att värde saknas."
)
