"""What charts read: indicator attributes, values formatted as the text formats them, and
the observations cleaned to total-gender numeric rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import pandas as pd

from naravard.config.regions import slugify
from naravard.wording.text import fmt_value, is_missing


class IndicatorLike(Protocol):
    """What a chart reads from an indicator (naravard.config.catalog.Indicator has it)."""

    name: str
    unit: str
    direction: str
    decimals: int
    primary_source: str


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """`obj.name`, or `default` where it is missing or None: charts take any indicator-like."""
    value = getattr(obj, name, default)
    return default if value is None else value


def ind_decimals(indicator: Any) -> int:
    """The published decimals (1 when the indicator does not say)."""
    value = attr(indicator, "decimals", 1)
    return 1 if is_missing(value) else int(value)


def ind_id(indicator: Any) -> str:
    """The indicator's id as a file-name part."""
    return slugify(str(attr(indicator, "id", "") or attr(indicator, "name", "indikator")))


def fmt(indicator: Any, x: Any) -> str:
    """A value as the text writes it (alt texts)."""
    return fmt_value(x, str(attr(indicator, "unit", "")), ind_decimals(indicator))


def fmt_short(indicator: Any, x: Any) -> str:
    """A value as a label in the chart writes it ("79,5 %")."""
    return fmt_value(x, str(attr(indicator, "unit", "")), ind_decimals(indicator), short=True)


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Total-gender rows with a numeric value, year as int and region_code as str."""
    data = frame.copy()
    if "gender" in data.columns:
        data = data[data["gender"].astype(str) == "T"]
    data = data.assign(
        region_code=data["region_code"].astype(str),
        year=pd.to_numeric(data["year"], errors="coerce"),
        value=pd.to_numeric(data["value"], errors="coerce"),
    )
    data = data.dropna(subset=["year", "value"])
    return data.assign(year=data["year"].astype(int))


def year_breaks(breaks: Iterable[Any] | None) -> list[tuple[int, str]]:
    """Series breaks as (year, reason), from tuples or catalogue objects."""
    out: list[tuple[int, str]] = []
    for b in breaks or ():
        if isinstance(b, tuple):
            year, reason = b[0], b[1] if len(b) > 1 else ""
        else:
            year, reason = b.year, getattr(b, "reason", "")
        out.append((int(year), str(reason or "")))
    return out
