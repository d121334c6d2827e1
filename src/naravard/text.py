"""Swedish number formatting and the report's generated sentences.

The machine has no sv_SE system locale, so everything goes through Babel. Numbers use a
no-break space as thousands separator (a number never wraps across lines), a decimal comma
and a real minus sign (U+2212); a missing value is always an en dash, never "nan" or "0".
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from naravard.catalog import UNITS
from naravard.errors import NaravardError

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"  # en dash: the one sign for "no value"

# Suffixes after a value, by catalogue unit key. A leading NBSP keeps short units on the
# same line as their number.
def _suffix(label: str) -> str:
    """" per 1 000 invånare" with a no-break space inside the number, "%"/"kr" glued by NBSP."""
    label = label.replace("1 000", "1" + NBSP + "000").replace("100 000", "100" + NBSP + "000")
    if not label:
        return ""
    return (NBSP if label in ("%", "kr") else " ") + label


# The catalogue owns the unit keys; the suffixes follow from its display strings.
_SUFFIX: dict[str, str] = {key: _suffix(label) for key, label in UNITS.items()}
# Units whose suffix is short enough to stay in a table cell.
_SHORT_KEEPS = {"procent", "kronor"}


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
    text = _babel_format_decimal(value, format=pattern, locale=LOCALE,
                                 decimal_quantization=True)
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
    suffix = _SUFFIX.get(unit, "")
    if short and unit not in _SHORT_KEEPS:
        suffix = ""
    return fmt_number(x, _decimals(decimals)) + suffix


def unit_label(unit: str) -> str:
    """The unit as an axis or column label: `Procent`, `Per 1 000 invånare`."""
    special = {"procent": "Procent", "kronor": "Kronor", "antal": "Antal", "index": "Index"}
    if unit in special:
        return special[unit]
    label = _SUFFIX.get(unit, "").strip()
    return label[:1].upper() + label[1:]


DIRECTION_LABELS = {"higher": "Högre värde är bättre", "lower": "Lägre värde är bättre",
                    "neutral": "Varken högre eller lägre värde är i sig bättre"}


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
    text, zero = _signed(delta, decimals)
    if unit == "procent":
        suffix = NBSP + "p.e." if short else " procentenheter"
    elif short and unit not in _SHORT_KEEPS:
        suffix = ""
    else:
        suffix = _SUFFIX.get(unit, "")
    if zero and unit != "procent" and suffix.strip() == "":
        return text
    return text + suffix


def fmt_rank(rank: Any, n: Any) -> str:
    """`5 av 21`; `–` when either part is missing."""
    if is_missing(rank) or is_missing(n):
        return DASH
    return f"{int(rank)} av {int(n)}"


def fmt_date(iso: Any) -> str:
    """`1 maj 2025` from an ISO date or timestamp (or a date object); missing → `–`."""
    if iso is None or (isinstance(iso, str) and not iso.strip()) or (
            not isinstance(iso, (str, _dt.date)) and is_missing(iso)):
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


def join_sv(items: Iterable[str]) -> str:
    """`A, B och C`."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


# --------------------------------------------------------------------------- sentences


def _get(row: Mapping[str, Any], key: str) -> Any:
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
    if unit == "procent":
        return "Andelen", False
    if unit == "antal":
        return "Antalet", True
    return "Värdet", True


def _judgement(direction: str, change: Decimal) -> str:
    if change == 0:
        return "oförändrad"
    if direction not in ("higher", "lower"):
        return ""
    better = (change > 0) == (direction == "higher")
    return "förbättring" if better else "försämring"


def _int(x: Any) -> int | None:
    return None if is_missing(x) else int(x)


def indicator_sentences(row: Mapping[str, Any], region_name: str) -> list[str]:
    """Short factual sentences about one indicator for one region.

    Judgement words follow the indicator's direction (for lower-is-better a decrease is a
    förbättring) and are left out for neutral indicators; a missing value is said to be
    missing, never shown as zero.
    """
    unit = str(_get(row, "unit") or "")
    decimals = _decimals(_get(row, "decimals"))
    direction = str(_get(row, "direction") or "neutral")
    year = _int(_get(row, "year"))
    prev_year = _int(_get(row, "prev_year"))
    value = _get(row, "value")
    prev_value = _get(row, "prev_value")
    subject, neuter = _subject(unit)
    unchanged_word = "oförändrat" if neuter else "oförändrad"

    def v(x: Any) -> str:
        return fmt_value(x, unit, decimals)

    sentences: list[str] = []
    if value is None:
        if year is not None:
            sentences.append(f"Inget värde finns för {region_name} {year}.")
        else:
            sentences.append(f"Inget värde finns för {region_name}.")
        if prev_value is not None:
            when = f" ({prev_year})" if prev_year is not None else ""
            sentences.append(f"Senaste värdet är {v(prev_value)}{when}.")
    else:
        when = f" {year}" if year is not None else ""
        if prev_value is None:
            sentences.append(f"{subject}{when} var {v(value)}.")
            missing_year = prev_year if prev_year is not None else (
                year - 1 if year is not None else None)
            if missing_year is not None:
                sentences.append(f"Inget värde finns för {missing_year}.")
        else:
            change = _get(row, "change")
            delta = float(change) if change is not None else float(value) - float(prev_value)
            shown = _rounded(delta, decimals)
            py = f" ({prev_year})" if prev_year is not None else ""
            yy = f" ({year})" if year is not None else ""
            judged_same = str(_get(row, "change_judgement") or "") == "oförändrad"
            if shown == 0:
                sentences.append(
                    f"{subject} var {unchanged_word}: {v(value)}{yy} jämfört med {v(prev_value)}{py}.")
            else:
                verb = "ökade" if shown > 0 else "minskade"
                if _get(row, "break_between"):
                    tail = (", men ett tidsseriebrott ligger mellan åren, så förändringen "
                            "bedöms inte")
                elif judged_same:
                    tail = f", i stort sett {unchanged_word}"
                else:
                    word = _judgement(direction, shown)
                    tail = f", en {word}" if word else ""
                sentences.append(
                    f"{subject} {verb} från {v(prev_value)}{py} till {v(value)}{yy}{tail}.")

    # Position among the regions and Riket.
    riket = _get(row, "riket")
    rank, n_ranked = _int(_get(row, "rank")), _int(_get(row, "n_ranked"))
    if value is not None and rank is not None and n_ranked and direction in ("higher", "lower"):
        text = f"Regionen ligger på plats {fmt_rank(rank, n_ranked)}"
        if riket is not None:
            text += f"; riket låg på {v(riket)}"
        sentences.append(text + ".")
    elif riket is not None:
        when = f" {year}" if year is not None else ""
        sentences.append(f"Riket låg på {v(riket)}{when}.")

    # Official target.
    target = _get(row, "target")
    if target is not None:
        kind = str(_get(row, "target_kind") or "min")
        target_text = _get(row, "target_text") or (
            ("minst " if kind == "min" else "högst ") + v(target))
        meets = _get(row, "meets_target")
        if value is None or meets is None:
            sentences.append(f"Om målet på {target_text} nås kan inte bedömas utan värde.")
        elif bool(meets):
            sentences.append(f"Målet på {target_text} nås.")
        else:
            sentences.append(f"Målet på {target_text} nås inte.")

    # Women and men.
    women, men = _get(row, "kvinnor"), _get(row, "man")
    if women is not None and men is not None:
        gap = abs(_rounded(women, decimals) - _rounded(men, decimals))
        if gap == 0:
            gap_text = "ingen skillnad"
        elif unit == "procent":
            gap_text = f"skillnaden är {fmt_number(gap, decimals)} procentenheter"
        else:
            gap_text = f"skillnaden är {v(gap)}"
        sentences.append(f"Kvinnor {v(women)}, män {v(men)}: {gap_text}.")
    return sentences


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in table.to_dict(orient="records")]


def summary_sentences(table: pd.DataFrame, region_name: str, year: int) -> list[str]:
    """The report's Sammanfattning: changes, strongest and weakest positions, targets.

    Neutral indicators are left out of every count that implies better or worse.
    """
    rows = _rows(table) if table is not None and len(table) else []
    with_value = [r for r in rows if _get(r, "value") is not None]
    sentences: list[str] = []
    if not with_value:
        return [f"Det finns inga värden för {region_name} {year}."]
    sentences.append(
        f"För {region_name} finns värden för {fmt_number(len(with_value), 0)} av "
        f"{plural(len(rows), 'indikator', 'indikatorer')} {year}.")

    # Changes since the year before, direction-aware.
    counts = {"förbättring": 0, "försämring": 0, "oförändrad": 0}
    compared = 0
    for r in with_value:
        direction = str(_get(r, "direction") or "neutral")
        if direction not in ("higher", "lower") or _get(r, "prev_value") is None:
            continue
        compared += 1
        judged = str(_get(r, "change_judgement") or "")
        if judged not in counts:
            change = _get(r, "change")
            delta = float(change) if change is not None else (
                float(r["value"]) - float(_get(r, "prev_value")))
            judged = _judgement(direction, _rounded(delta, _decimals(_get(r, "decimals"))))
        counts[judged] += 1
    if compared:
        sentences.append(
            f"Jämfört med föregående år har {counts['förbättring']} av "
            f"{plural(compared, 'jämförbar indikator', 'jämförbara indikatorer')} förbättrats, "
            f"{counts['försämring']} försämrats och {counts['oförändrad']} är oförändrade "
            "(indikatorer utan given riktning är inte medräknade).")
    else:
        sentences.append("Inga indikatorer med given riktning kan jämföras med föregående år.")

    # Strongest and weakest positions among the regions.
    ranked = [r for r in with_value
              if str(_get(r, "direction") or "") in ("higher", "lower")
              and _int(_get(r, "rank")) is not None and _int(_get(r, "n_ranked"))]

    def relative(r: Mapping[str, Any]) -> tuple[float, int, str]:
        n = int(r["n_ranked"])
        rank = int(r["rank"])
        return ((rank - 1) / (n - 1) if n > 1 else 0.0, rank, str(r.get("name", "")))

    def described(rs: Sequence[Mapping[str, Any]]) -> str:
        return join_sv(f"{r.get('name', '')} (plats {fmt_rank(r['rank'], r['n_ranked'])})"
                       for r in rs)

    if ranked:
        ordered = sorted(ranked, key=relative)
        best = ordered[:3]
        rest = [r for r in ordered if r not in best]
        worst = list(reversed(rest))[:3]
        sentences.append(f"Starkast placering bland regionerna: {described(best)}.")
        if worst:
            sentences.append(f"Svagast placering bland regionerna: {described(worst)}.")

    # Official targets.
    targeted = [r for r in rows if _get(r, "target") is not None]
    if targeted:
        met = [r for r in targeted if _get(r, "value") is not None
               and _get(r, "meets_target") is not None and bool(r["meets_target"])]
        missed = [r for r in targeted if _get(r, "value") is not None
                  and _get(r, "meets_target") is not None and not bool(r["meets_target"])]
        unknown = [r for r in targeted if r not in met and r not in missed]
        text = (f"Av {plural(len(targeted), 'indikator', 'indikatorer')} med ett "
                f"officiellt mål nås målet för {len(met)}")
        text += f" ({join_sv(str(r.get('name', '')) for r in met)})" if met else ""
        text += f" och nås inte för {len(missed)}"
        text += f" ({join_sv(str(r.get('name', '')) for r in missed)})" if missed else ""
        sentences.append(text + ".")
        if unknown:
            sentences.append(
                "Måluppfyllelsen kan inte bedömas för "
                f"{join_sv(str(r.get('name', '')) for r in unknown)} eftersom värde saknas.")
    return sentences
