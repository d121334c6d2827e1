"""Swedish number formatting and the report's generated sentences.

The machine has no sv_SE system locale, so everything goes through Babel. Numbers use a
no-break space as thousands separator (a number never wraps across lines), a decimal comma
and a real minus sign (U+2212); a missing value is always an en dash, never "nan" or "0".
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from naravard.config import units
from naravard.core.errors import NaravardError

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"  # en dash: the one sign for "no value"


# Suffixes after a value, by catalogue unit key (data/catalog/units.yaml). A leading NBSP keeps
# short units on the same line as their number.
def _suffix(label: str, short: bool = False) -> str:
    """ " per 1 000 invånare" with a no-break space inside the number, "%"/"kr" glued by NBSP."""
    label = label.replace("1 000", "1" + NBSP + "000").replace("100 000", "100" + NBSP + "000")
    if not label:
        return ""
    return (NBSP if short else " ") + label


def unit_suffix(unit: str) -> str:
    """What follows a value of this unit in running text: " per 1 000 invånare", NBSP + "%"."""
    found = units.get(unit)
    return _suffix(found.symbol, found.short) if found else ""


def _change_words(unit: str) -> units.Change | None:
    """The unit's own words for a change (procentenheter, p.e.), or None: its symbol serves."""
    found = units.get(unit)
    return found.change if found else None


def _keeps_short(unit: str) -> bool:
    """Whether a table's short form keeps the unit ("15 %", "3 kr"): only short symbols do."""
    found = units.get(unit)
    return bool(found and found.short)


# --------------------------------------------------------------------------- numbers


def is_missing(x: Any) -> bool:
    """True for None, NaN, pd.NA/NaT and anything that is not a number."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, bool):
        return False
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _rounded(x: Any, decimals: int) -> Decimal:
    """Round half up (as Swedish statistics do), not Babel's banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP)
    return value if value != 0 else abs(value)  # never "−0,0"


def _decimals(decimals: Any, default: int = 1) -> int:
    if is_missing(decimals):
        return default
    return max(0, int(decimals))


def fmt_number(x: Any, decimals: int = 1) -> str:
    """`1 234,5` (no-break space, decimal comma, U+2212 minus); missing → `–`."""
    if is_missing(x):
        return DASH
    decimals = _decimals(decimals)
    value = _rounded(x, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = _babel_format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    return text.replace("-", MINUS).replace("\u202f", NBSP).replace(" ", NBSP)


def fmt_percent(x: Any, decimals: int = 1) -> str:
    """`79,5 %` for x = 79.5 (x is already in percent)."""
    if is_missing(x):
        return DASH
    return fmt_number(x, decimals) + NBSP + "%"


def fmt_value(x: Any, unit: str, decimals: int = 1, *, short: bool = False) -> str:
    """A value with its unit: `12,3 per 1 000 invånare`; `short` drops long suffixes for tables."""
    if is_missing(x):
        return DASH
    suffix = "" if short and not _keeps_short(unit) else unit_suffix(unit)
    return fmt_number(x, _decimals(decimals)) + suffix


def cell_parts(x: Any, unit: str, decimals: int = 1) -> tuple[str, str]:
    """A table cell's value and its short rate unit, apart so a narrow cell can break between
    them: ("498,0", "per 100 000 inv."); "%" and "kr" stay with the number: ("15 %", "")."""
    if is_missing(x):
        return DASH, ""
    found = units.get(unit)
    if found and found.cell:
        return fmt_number(x, _decimals(decimals)), _suffix(found.cell).strip()
    return fmt_value(x, unit, decimals), ""


def fmt_cell(x: Any, unit: str, decimals: int = 1) -> str:
    """A value for a table cell: the unit shortened, never dropped; missing → `–`."""
    number, label = cell_parts(x, unit, decimals)
    return f"{number} {label}" if label else number


def unit_label(unit: str) -> str:
    """The unit as an axis or column label: `Procent`, `Per 1 000 invånare`."""
    found = units.get(unit)
    return _suffix(found.label).strip() if found else ""


DIRECTION_LABELS = {
    "higher": "Högre värde är bättre",
    "lower": "Lägre värde är bättre",
    "neutral": "Varken högre eller lägre värde är i sig bättre",
}


def direction_label(direction: str) -> str:
    return DIRECTION_LABELS.get(direction, "")


def _signed(delta: Any, decimals: int) -> tuple[str, bool]:
    """`+1,2` / `−1,2` / `±0,0`, and whether the rounded change is zero."""
    value = _rounded(delta, decimals)
    body = fmt_number(abs(value), decimals)
    if value == 0:
        return "±" + body, True
    return ("+" if value > 0 else MINUS) + body, False


def fmt_change(delta: Any, unit: str, decimals: int = 1, *, short: bool = False) -> str:
    """A change with its sign always shown: `+1,2 procentenheter`, `−3 kr`, `±0,0`."""
    if is_missing(delta):
        return DASH
    decimals = _decimals(decimals)
    text, _ = _signed(delta, decimals)
    words = _change_words(unit)
    if words is not None:
        return text + (NBSP + words.short if short else " " + words.many)
    return text + ("" if short and not _keeps_short(unit) else unit_suffix(unit))


def fmt_rank(rank: Any, n: Any) -> str:
    """`5 av 21`; `–` when either part is missing."""
    if is_missing(rank) or is_missing(n):
        return DASH
    return f"{int(rank)} av {int(n)}"


def fmt_date(iso: Any) -> str:
    """`1 maj 2025` from an ISO date or timestamp (or a date object); missing → `–`."""
    if (
        iso is None
        or (isinstance(iso, str) and not iso.strip())
        or (not isinstance(iso, (str, _dt.date)) and is_missing(iso))
    ):
        return DASH
    if isinstance(iso, _dt.datetime):
        day = iso.date()
    elif isinstance(iso, _dt.date):
        day = iso
    else:
        text = str(iso).strip()
        try:
            day = _dt.date.fromisoformat(text[:10])
        except ValueError:
            raise NaravardError(
                f"datumet {text!r} går inte att läsa; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2025-05-01"
            ) from None
    return _babel_format_date(day, format="d MMMM y", locale=LOCALE)


def plural(n: int, singular: str, plural_form: str) -> str:
    """`1 indikator`, `3 indikatorer` (the count formatted the Swedish way)."""
    return f"{fmt_number(n, 0)} {singular if int(n) == 1 else plural_form}"


def unit_with_number(words: str) -> str:
    """ "minst 55 %" with a no-break space before "%" and "kr", so a narrow table cell never
    ends a line with the number and starts the next with its unit."""
    return re.sub(r"(?<=\d) (?=%|kr\b)", NBSP, words)


def lower_first(name: str) -> str:
    """ "Telefonsamtal …" → "telefonsamtal …", but "BUP …" and "HbA1c …" stay as they are."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def join_sv(items: Iterable[str]) -> str:
    """`A, B och C`."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


# --------------------------------------------------------------------------- sentences


def cell_value(row: Mapping[str, Any], key: str) -> Any:
    """`row[key]`, or None where it is missing in any way (`is_missing_value`)."""
    value = row.get(key) if hasattr(row, "get") else None
    return None if is_missing_value(value) else value


def is_missing_value(value: Any) -> bool:
    """Missing for any cell type: None/NaN/NA, and empty strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (bool, int, float)):
        return isinstance(value, float) and math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _subject(unit: str) -> tuple[str, bool]:
    """The sentence subject and whether it is neuter (for `oförändrad`/`oförändrat`)."""
    found = units.get(unit)
    return (found.subject, found.neuter) if found else ("Värdet", True)


def as_int(x: Any) -> int | None:
    """A whole number, or None where the value is missing."""
    return None if is_missing(x) else int(x)


def count_word(n: int) -> str:
    """Small counts in words, as Swedish prose writes them ("fem andra regioner")."""
    words = [
        "ingen",
        "en",
        "två",
        "tre",
        "fyra",
        "fem",
        "sex",
        "sju",
        "åtta",
        "nio",
        "tio",
        "elva",
        "tolv",
    ]
    return words[n] if 0 <= n < len(words) else fmt_number(n, 0)


def place_text(row: Mapping[str, Any]) -> str:
    """ "plats 14 av 21", "delad plats 1–6 av 19" (the rank a tie shares is always said)."""
    rank, n = as_int(cell_value(row, "rank")), as_int(cell_value(row, "n_ranked"))
    if rank is None or not n:
        return ""
    rank_to = as_int(cell_value(row, "rank_to")) or rank
    if rank_to > rank:
        return f"delad plats {rank}{DASH}{rank_to} av {n}"
    return f"plats {rank} av {n}"


def rank_sentence(row: Mapping[str, Any], riket: str = "") -> str:
    """Where the region lies among the regions, ties named; "" when it is not ranked."""
    place = place_text(row)
    if not place:
        return ""
    tied = as_int(cell_value(row, "n_tied")) or 0
    tail = f"; riket låg på {riket}." if riket else "."
    if not tied:
        return f"Regionen ligger på {place}{tail}"
    names = str(cell_value(row, "tied_with") or "")
    others = (
        plural(tied, "annan region", "andra regioner")
        if tied > 9
        else f"{count_word(tied)} {'annan region' if tied == 1 else 'andra regioner'}"
    )
    who = f" ({names})" if names and tied <= 3 else ""
    return f"Regionen har {place}, lika med {others}{who}{tail}"


def change_sentence(row: Mapping[str, Any], v: Any, subject: str) -> str:
    """The change since the previous year as its judgement says, never across a break."""
    year, prev_year = as_int(cell_value(row, "year")), as_int(cell_value(row, "prev_year"))
    value, prev_value = cell_value(row, "value"), cell_value(row, "prev_value")
    judged = str(cell_value(row, "change_judgement") or "")
    change = cell_value(row, "change")
    if change is None or not judged:
        # not comparable (series break or another definition): both values, no comparison
        return f"{subject} var {v(value)} {year} och {v(prev_value)} {prev_year}."
    shown = _rounded(change, _decimals(cell_value(row, "decimals")))
    if judged == "ingen tydlig förändring":
        if shown == 0:
            return f"{subject} var {v(value)} både {prev_year} och {year}, ingen tydlig förändring."
        verb = "ökade" if shown > 0 else "minskade"
        return (
            f"{subject} {verb} från {v(prev_value)} ({prev_year}) till {v(value)} ({year}), "
            f"mindre än {threshold_text(row)} och därför ingen tydlig förändring."
        )
    verb = "ökade" if shown > 0 else "minskade"
    tail = f", en {judged}" if judged in ("förbättring", "försämring") else ""
    return f"{subject} {verb} från {v(prev_value)} ({prev_year}) till {v(value)} ({year}){tail}."


def threshold_text(row: Mapping[str, Any]) -> str:
    """The indicator's min_change as a reader reads it: "3 procentenheter", "0,5 per 100 …"."""
    size = float(cell_value(row, "min_change") or 0)
    decimals = next(d for d in range(4) if abs(size * 10**d - round(size * 10**d)) < 1e-9)
    unit = str(cell_value(row, "unit") or "")
    words = _change_words(unit)
    if words is not None:
        return f"{fmt_number(size, decimals)} {words.one if size == 1 else words.many}"
    return fmt_value(size, unit, decimals)


def _short(row: Mapping[str, Any]) -> Any:
    """A value without a long unit, for the first numbers of a sentence that ends with it."""
    unit, decimals = str(cell_value(row, "unit") or ""), _decimals(cell_value(row, "decimals"))
    return lambda x: fmt_value(x, unit, decimals, short=True)


def _moved(later: Any, earlier: Any) -> str:
    return "ökade" if float(later) > float(earlier) else "minskade"


def _last_year(row: Mapping[str, Any], key: str, now: str, words: Any = str) -> str:
    """ " (i förra årets uppföljning: …)" when the same rules said otherwise a year earlier."""
    before = str(cell_value(row, key) or "")
    if not before or not now or before == now:
        return ""
    return f" (i förra årets uppföljning: {words(before)})"


def _trend_words(word: str, since: int | None = None) -> str:
    """ "en förbättring över tid", "en försämring sedan 2020" (a turn), "ingen tydlig trend"."""
    if word == "ingen tydlig trend":
        return word
    return f"en {word} " + (f"sedan {since}" if since else "över tid")


def _last_trend(row: Mapping[str, Any]) -> str:
    """Last year's trend verdict as a clause when the same rules said another thing then."""
    since = (
        as_int(cell_value(row, "prev_trend_from_year"))
        if cell_value(row, "prev_trend_shape") == "turn"
        else None
    )
    return _last_year(
        row,
        "prev_trend",
        str(cell_value(row, "trend") or ""),
        lambda word: _trend_words(word, since),
    )


def trend_sentence(row: Mapping[str, Any], v: Any, subject: str) -> str:
    """What the chart of five or more comparable years shows; "" when there are fewer.

    The shape (indicators.trend_columns) decides the wording: a turn names the turn year
    and both arms, a level shift the two years it lies between, a steady movement its first
    year, otherwise "ingen tydlig trend". Says so when last year's verdict was another.
    """
    trend = str(cell_value(row, "trend") or "")
    start = as_int(cell_value(row, "trend_start_year")) or as_int(
        cell_value(row, "trend_from_year")
    )
    if not trend or start is None:
        return ""
    shape = str(cell_value(row, "trend_shape") or "")
    value = cell_value(row, "value")
    judged = trend in ("förbättring", "försämring")
    tail = f", {_trend_words(trend)}" if judged else ""
    last = _last_trend(row)
    short = _short(row)
    if trend == "ingen tydlig trend":
        return f"Sedan {start} finns ingen tydlig trend{last}."
    if shape == "turn":
        turn, at = as_int(cell_value(row, "trend_from_year")), cell_value(row, "trend_from_value")
        first = cell_value(row, "trend_start_value")
        tail = f", {_trend_words(trend, turn)}" if judged else ""
        return (
            f"{subject} {_moved(at, first)} från {short(first)} ({start}) till {short(at)} "
            f"({turn}) och har sedan {'ökat' if float(value) > float(at) else 'minskat'} till "
            f"{v(value)}{tail}{last}."
        )
    if shape == "shift":
        a, b = (
            as_int(cell_value(row, "trend_shift_from")),
            as_int(cell_value(row, "trend_shift_to")),
        )
        va, vb = cell_value(row, "trend_shift_from_value"), cell_value(row, "trend_shift_to_value")
        verb = "steg" if float(vb) > float(va) else "sjönk"
        tail = f", en {trend}" if judged else ""
        return (
            f"{subject} {verb} från {short(va)} ({a}) till {v(vb)} ({b}) och har sedan "
            f"legat kvar på den nivån{tail}{last}."
        )
    first = cell_value(row, "trend_from_value")
    verb = "ökat" if float(value) > float(first) else "minskat"
    return f"Sedan {start} har {subject.lower()} {verb} från {v(first)}{tail}{last}."


def spread_sentence(row: Mapping[str, Any], v: Any) -> str:
    """A neutral indicator: against Riket and the regions' spread, no rank, no better/worse."""
    low, high = cell_value(row, "spread_min"), cell_value(row, "spread_max")
    if low is None or high is None:
        return ""
    text = (
        f"Indikatorn har ingen bättre riktning och rangordnas inte; regionerna låg mellan "
        f"{v(low)} och {v(high)} (median {v(cell_value(row, 'spread_median'))})"
    )
    riket, value = cell_value(row, "riket"), cell_value(row, "value")
    decimals = _decimals(cell_value(row, "decimals"))
    if riket is not None and value is not None:
        diff = _rounded(value, decimals) - _rounded(riket, decimals)
        where = "samma som" if diff == 0 else ("över" if diff > 0 else "under")
        text += f", och regionen ligger {where} riket ({v(riket)})"
    return text + "."


def target_sentence(row: Mapping[str, Any], v: Any) -> str:
    """Status on three levels (share of the målvärde), the target's origin and year, and
    last year's status when it was another."""
    target = cell_value(row, "target")
    if target is None:
        return ""
    kind = str(cell_value(row, "target_kind") or "min")
    target_text = cell_value(row, "target_text") or (
        ("minst " if kind == "min" else "högst ") + v(target)
    )
    status = str(cell_value(row, "target_status") or "")
    note = str(cell_value(row, "target_note") or "")
    if not status or status == "kan inte bedömas":
        return f"Om målet ({target_text}) uppfylls kan inte bedömas utan värde. {note}".strip()
    share = cell_value(row, "target_share")
    of = (
        ""
        if share is None or status == "uppfylls"
        else (f" ({fmt_number(min(float(share), 999), 0)} % av målvärdet)")
    )
    last = _last_year(row, "prev_target_status", status)
    return f"Målet ({unit_with_number(target_text)}) {status}{of}{last}. {note}".strip()


def indicator_sentences(row: Mapping[str, Any], region_name: str) -> list[str]:
    """Short factual sentences about one indicator for one region, each from a judgement.

    The change, trend, place, target and comparability columns of indicators.indicator_table
    decide what is said (see naravard.analysis.judgements); this function only words them.
    """
    unit = str(cell_value(row, "unit") or "")
    decimals = _decimals(cell_value(row, "decimals"))
    direction = str(cell_value(row, "direction") or "neutral")
    year = as_int(cell_value(row, "year"))
    prev_year = as_int(cell_value(row, "prev_year"))
    value = cell_value(row, "value")
    prev_value = cell_value(row, "prev_value")
    subject, _ = _subject(unit)

    def v(x: Any) -> str:
        return fmt_value(x, unit, decimals)

    sentences: list[str] = [str(cell_value(row, "published_note") or "")]
    if value is None:
        sentences.append(
            f"Inget värde finns för {region_name} {year}."
            if year is not None
            else f"Inget värde finns för {region_name}."
        )
        if prev_value is not None:
            when = f" ({prev_year})" if prev_year is not None else ""
            sentences.append(f"Senaste värdet är {v(prev_value)}{when}.")
    elif prev_value is None:
        sentences.append(f"{subject} {year} var {v(value)}.")
        missing_year = prev_year if prev_year is not None else (year - 1 if year else None)
        if missing_year is not None:
            sentences.append(f"Inget värde finns för {missing_year}.")
    else:
        sentences.append(change_sentence(row, v, subject))
    sentences.append(str(cell_value(row, "plausibility_note") or ""))
    if value is not None:
        sentences.append(trend_sentence(row, v, subject))

    riket = cell_value(row, "riket")
    if value is not None and direction in ("higher", "lower") and as_int(cell_value(row, "rank")):
        sentences.append(rank_sentence(row, v(riket) if riket is not None else ""))
    elif value is not None and direction == "neutral" and cell_value(row, "spread_min") is not None:
        sentences.append(spread_sentence(row, v))
    elif riket is not None:
        sentences.append(f"Riket låg på {v(riket)}" + (f" {year}." if year else "."))

    sentences.append(target_sentence(row, v))
    sentences.append(str(cell_value(row, "comparability_note") or ""))

    women, men = cell_value(row, "kvinnor"), cell_value(row, "man")
    if women is not None and men is not None:
        gap = abs(_rounded(women, decimals) - _rounded(men, decimals))
        if gap == 0:
            gap_text = "ingen skillnad"
        elif (words := _change_words(unit)) is not None:
            gap_text = f"skillnaden är {fmt_number(gap, decimals)} {words.many}"
        else:
            gap_text = f"skillnaden är {v(gap)}"
        sentences.append(f"Kvinnor {v(women)}, män {v(men)}: {gap_text}.")
    return [s for s in sentences if s]
