"""The indicator catalogue: data/catalog/indicators.yaml, validated once and then trusted.

Adding an indicator is one YAML entry; every mistake in an entry is caught here, on load, with
a one-line Swedish message, so that nothing downstream has to second-guess the catalogue.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import Any


from naravard.config import areas, units
from naravard.config.listfile import LazyMap
from naravard.core import paths
from naravard.core.errors import NaravardError
from naravard.core.limits import check_length
from naravard.core.errors import excerpt
from naravard.core import safe_yaml

# The areas in report order and each unit's suffix, from data/catalog/areas.yaml and units.yaml
AREAS: Mapping[str, str] = LazyMap(areas.load)
UNITS: Mapping[str, str] = LazyMap(lambda: {k: u.symbol for k, u in units.load().items()})

DIRECTIONS = ("higher", "lower", "neutral")
SOURCES = ("kolada", "regional")
TARGET_KINDS = ("min", "max")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KOLADA_ID_RE = re.compile(r"^[NU]\d{5}$")


@dataclass(frozen=True)
class SeriesBreak:
    """A year from which values are not comparable with earlier years."""

    year: int  # the first year of the new series
    reason: str  # Swedish, shown to the reader


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str
    unit: str
    direction: str
    direction_reason: str
    area: str
    source: str
    kolada_id: str | None
    primary_source: str
    target: float | None = None
    target_text: str | None = None
    target_source: str | None = None
    target_kind: str | None = None
    series_breaks: tuple[SeriesBreak, ...] = ()
    main: bool = False
    decimals: int = 1  # the precision the source publishes; shown, ranked and tied at it
    min_change: float = 0.0  # smallest change that counts, in the indicator's unit
    min_change_reason: str | None = None  # one line: survey margin, rounding, small numbers
    min_change_riket: float | None = None  # for Riket's own figure, when its margin is smaller
    rolling_mean: str | None = None  # e.g. "treårsmedelvärde": each value averages years
    target_for: int | None = None  # the year the target was set for; None: no end year
    same_as: str | None = None  # another indicator measuring the same thing another way
    short_name: str | None = None  # a few words for "Det viktigaste" ("överbeläggningar")

    @property
    def short(self) -> str:
        """The short name a headline sentence uses; the full name when there is none."""
        return self.short_name or self.name

    @property
    def is_percent(self) -> bool:
        return self.unit == "procent"

    @property
    def unit_label(self) -> str:
        """The Swedish suffix to print after a value ("%", "per 1 000 invånare", "")."""
        return UNITS[self.unit]

    @property
    def area_title(self) -> str:
        return AREAS[self.area]


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    path: Path

    def get(self, id: str) -> Indicator:
        """The indicator with this catalogue id; a typo gets the closest ids in the message."""
        for indicator in self.indicators:
            if indicator.id == id:
                return indicator
        ids = [i.id for i in self.indicators]
        close = difflib.get_close_matches(str(id), ids, n=3, cutoff=0.5)
        hint = ("närmast: " + ", ".join(close)) if close else f"se {paths.display_path(self.path)}"
        raise NaravardError(f"okänd indikator {id!r}; {hint}")

    def by_kolada_id(self, kpi: str) -> Indicator | None:
        for indicator in self.indicators:
            if indicator.kolada_id == kpi:
                return indicator
        return None

    def kolada(self) -> list[Indicator]:
        return [i for i in self.indicators if i.source == "kolada"]

    def regional(self) -> list[Indicator]:
        return [i for i in self.indicators if i.source == "regional"]

    def in_area(self, area: str) -> list[Indicator]:
        if area not in AREAS:
            raise NaravardError(f"okänt utvecklingsområde {area!r}; giltiga: {', '.join(AREAS)}")
        return [i for i in self.indicators if i.area == area]

    def kolada_ids(self) -> list[str]:
        """Every Kolada KPI the catalogue needs, in catalogue order (what to download)."""
        return [i.kolada_id for i in self.indicators if i.kolada_id]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)


# --- loading and validation ---------------------------------------------------------------

_FIELDS = {f.name: f for f in dataclasses.fields(Indicator)}
_REQUIRED = [
    name for name, f in _FIELDS.items() if f.default is dataclasses.MISSING and name != "kolada_id"
]
_BREAK_FIELDS = ("year", "reason")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _read_yaml(path: Path) -> Any:
    where = paths.display_path(path)
    if not Path(path).exists():
        raise NaravardError(
            f"{where}: indikatorkatalogen finns inte; återställ filen från git "
            "eller ange rätt sökväg"
        )
    return safe_yaml.load_file(path, where)


class _Entry:
    """Validation context for one entry: every message names file, entry and field."""

    def __init__(self, where: str, position: int, raw: dict) -> None:
        self.where = where
        self.raw = raw
        ident = raw.get("id")
        self.label = (
            f"indikator {ident!r}"
            if isinstance(ident, str) and ident
            else f"indikator nr {position}"
        )

    def fail(self, field: str, problem: str, fix: str) -> NaravardError:
        return NaravardError(f"{self.where}: {self.label}, fältet {field}: {problem}; {fix}")

    def text(self, field: str, *, optional: bool = False) -> str | None:
        value = self.raw.get(field)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"värdet {excerpt(value)} är ingen text", "skriv en text")
        return check_length(value.strip(), "catalog", f"{self.where}: {self.label}, fältet {field}")

    def choice(self, field: str, allowed: Any) -> str:
        value = self.raw.get(field)
        if value not in allowed:
            raise self.fail(
                field, f"okänt värde {excerpt(value)}", "använd en av: " + ", ".join(allowed)
            )
        return value


def _indicator(entry: _Entry) -> Indicator:
    raw = entry.raw
    unknown = [k for k in raw if k not in _FIELDS]
    if unknown:
        raise entry.fail(str(unknown[0]), "okänt fält", "tillåtna fält: " + ", ".join(_FIELDS))
    for name in _REQUIRED:
        if raw.get(name) is None:
            raise entry.fail(name, "saknas", f"lägg till {name}: … i posten")

    ident = entry.text("id")
    if not _ID_RE.match(ident):
        raise entry.fail(
            "id",
            f"{ident!r} är inte snake_case",
            "använd små bokstäver a–z, siffror och _ (t.ex. telefon_samma_dag)",
        )
    source = entry.choice("source", SOURCES)
    kolada_id = raw.get("kolada_id")
    if source == "kolada":
        if kolada_id is None:
            raise entry.fail(
                "kolada_id",
                "saknas för source: kolada",
                "ange Koladas nyckeltals-id, t.ex. kolada_id: N79173",
            )
        if not isinstance(kolada_id, str) or not _KOLADA_ID_RE.match(kolada_id):
            raise entry.fail(
                "kolada_id",
                f"{kolada_id!r} är inget Kolada-id",
                "skriv N eller U följt av fem siffror, t.ex. N79173",
            )
    elif kolada_id is not None:
        raise entry.fail(
            "kolada_id",
            f"anges men source är {source!r}",
            "ta bort kolada_id eller sätt source: kolada",
        )

    target = raw.get("target")
    target_kind = raw.get("target_kind")
    if target is not None:
        if (
            isinstance(target, bool)
            or not isinstance(target, (int, float))
            or not math.isfinite(target)
        ):
            raise entry.fail("target", f"{target!r} är inget tal", "skriv ett tal, t.ex. 55")
        if target_kind is None:
            raise entry.fail(
                "target_kind",
                "saknas när target är satt",
                "skriv target_kind: min (värdet ska nå upp till målet) "
                "eller max (värdet ska hållas under)",
            )
        entry.choice("target_kind", TARGET_KINDS)
        for name in ("target_text", "target_source"):
            if raw.get(name) is None:
                raise entry.fail(
                    name,
                    "saknas när target är satt",
                    f"lägg till {name}: … (hur målet lyder och vem som anger det)",
                )
    else:
        for name in ("target_kind", "target_text", "target_source"):
            if raw.get(name) is not None:
                raise entry.fail(
                    name, "anges utan target", f"lägg till target: <tal> eller ta bort {name}"
                )

    breaks = raw.get("series_breaks") or []
    if not isinstance(breaks, list):
        raise entry.fail(
            "series_breaks",
            "ska vara en lista",
            "skriv - year: 2024 och reason: … för varje seriebrott",
        )
    series_breaks = []
    for n, item in enumerate(breaks, start=1):
        field = f"series_breaks[{n}]"
        if not isinstance(item, dict):
            raise entry.fail(
                field, f"{item!r} är ingen post", "skriv year: <år> och reason: <orsak>"
            )
        extra = [k for k in item if k not in _BREAK_FIELDS]
        if extra:
            raise entry.fail(f"{field}.{extra[0]}", "okänt fält", "tillåtna fält: year, reason")
        year = item.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            raise entry.fail(
                f"{field}.year",
                f"{year!r} är inget årtal",
                "skriv året som ett heltal, t.ex. year: 2024",
            )
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise entry.fail(
                f"{field}.reason",
                "saknas eller är tom",
                "beskriv kort på svenska varför serien bryts",
            )
        series_breaks.append(SeriesBreak(year, reason.strip()))

    main = raw.get("main", False)
    if not isinstance(main, bool):
        raise entry.fail("main", f"{main!r} är inte true/false", "skriv main: true eller false")
    decimals = raw.get("decimals", 1)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise entry.fail(
            "decimals",
            f"{decimals!r} är inget heltal 0–4",
            "skriv t.ex. decimals: 1 för procent och 0 för antal",
        )

    min_change = raw.get("min_change", 0)
    if (
        isinstance(min_change, bool)
        or not isinstance(min_change, (int, float))
        or not (math.isfinite(min_change) and min_change >= 0)
    ):
        raise entry.fail(
            "min_change",
            f"{min_change!r} är inget tal ≥ 0",
            "skriv den minsta förändring som räknas, i indikatorns enhet, t.ex. 2",
        )
    if min_change and raw.get("min_change_reason") is None:
        raise entry.fail(
            "min_change_reason",
            "saknas när min_change är satt",
            "skriv på en rad varför (felmarginal, avrundning, små tal)",
        )
    min_change_riket = raw.get("min_change_riket")
    if min_change_riket is not None and (
        isinstance(min_change_riket, bool)
        or not isinstance(min_change_riket, (int, float))
        or not (math.isfinite(min_change_riket) and min_change_riket >= 0)
    ):
        raise entry.fail(
            "min_change_riket",
            f"{min_change_riket!r} är inget tal ≥ 0",
            "skriv den minsta förändring som räknas för riket, t.ex. 1",
        )
    target_for = raw.get("target_for")
    if target_for is not None and (
        isinstance(target_for, bool)
        or not isinstance(target_for, int)
        or not 1900 <= target_for <= 2100
    ):
        raise entry.fail(
            "target_for",
            f"{target_for!r} är inget årtal",
            "skriv året målet gäller, t.ex. target_for: 2022",
        )
    if target_for is not None and target is None:
        raise entry.fail("target_for", "anges utan target", "ta bort target_for")

    return Indicator(
        id=ident,
        name=entry.text("name"),
        definition=entry.text("definition"),
        unit=entry.choice("unit", UNITS),
        direction=entry.choice("direction", DIRECTIONS),
        direction_reason=entry.text("direction_reason"),
        area=entry.choice("area", AREAS),
        source=source,
        kolada_id=kolada_id,
        primary_source=entry.text("primary_source"),
        target=float(target) if target is not None else None,
        target_text=entry.text("target_text", optional=True),
        target_source=entry.text("target_source", optional=True),
        target_kind=target_kind,
        series_breaks=tuple(sorted(series_breaks, key=lambda b: b.year)),
        main=main,
        decimals=decimals,
        min_change=float(min_change),
        min_change_reason=entry.text("min_change_reason", optional=True),
        rolling_mean=entry.text("rolling_mean", optional=True),
        min_change_riket=float(min_change_riket) if min_change_riket is not None else None,
        target_for=target_for,
        same_as=entry.text("same_as", optional=True),
        short_name=entry.text("short_name", optional=True),
    )


def _parse(path: Path) -> Catalog:
    where = paths.display_path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict) or "indicators" not in data:
        raise NaravardError(
            f"{where}: saknar listan indicators:; filen ska börja med raden indicators:"
        )
    extra = [k for k in data if k != "indicators"]
    if extra:
        raise NaravardError(
            f"{where}: okänd nyckel {extra[0]!r} på översta nivån; bara indicators: är tillåten"
        )
    entries = data["indicators"]
    if not isinstance(entries, list) or not entries:
        raise NaravardError(
            f"{where}: indicators är tom eller ingen lista; skriv en post per indikator "
            "som börjar med - id: …"
        )
    indicators: list[Indicator] = []
    seen_ids: dict[str, int] = {}
    seen_kpis: dict[str, str] = {}
    for position, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise NaravardError(
                f"{where}: indikator nr {position} är ingen post ({_one_line(repr(raw))[:40]}); "
                "skriv fälten som id: …, name: … under ett -"
            )
        entry = _Entry(where, position, raw)
        indicator = _indicator(entry)
        if indicator.id in seen_ids:
            raise entry.fail(
                "id",
                f"samma id som indikator nr {seen_ids[indicator.id]}",
                "ge varje indikator ett eget id",
            )
        seen_ids[indicator.id] = position
        if indicator.kolada_id is not None:
            if indicator.kolada_id in seen_kpis:
                raise entry.fail(
                    "kolada_id",
                    f"{indicator.kolada_id} används redan av {seen_kpis[indicator.kolada_id]!r}",
                    "varje Kolada-id får förekomma en gång",
                )
            seen_kpis[indicator.kolada_id] = indicator.id
        indicators.append(indicator)
    for position, indicator in enumerate(indicators, start=1):
        if indicator.same_as is not None and indicator.same_as not in seen_ids:
            raise _Entry(where, position, entries[position - 1]).fail(
                "same_as",
                f"{indicator.same_as!r} finns inte i katalogen",
                "skriv id för indikatorn som mäter samma sak",
            )
    return Catalog(tuple(indicators), path)


@functools.lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return _parse(paths.catalog_path())


def load_catalog(path: Path | None = None) -> Catalog:
    """The validated catalogue; the default file is read once per process, a given path always."""
    if path is None:
        return _default_catalog()
    return _parse(Path(path))
