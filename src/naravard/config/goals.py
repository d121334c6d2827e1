"""A region's own goals: data/mal/<slug>.yaml, validated once and then trusted.

The nämnd reads two documents about the same indicators: the region's verksamhetsberättelse,
which judges its own goals (helt / delvis / inte), and this report. The goals file carries
the first into the second. It is configuration an analyst writes by hand, checked like the
catalogue it refers to (hence this stage, next to the catalogue: every indicator a goal names
must be a catalogue id), and read through the one safe YAML reader. Every mistake is one
Swedish line naming the file, the goal, the field and how to fix it; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from naravard.config.catalog import UNITS, Catalog
from naravard.core import paths
from naravard.core.errors import NaravardError, excerpt
from naravard.core.limits import MAX_GOALS, check_length, control_problem, range_problem
from naravard.core import safe_yaml

LEVELS = ("regionmål", "nämndmål", "delmål", "uppdrag")
REGION_STATUSES = ("helt", "delvis", "inte")
TARGET_KINDS = ("min", "max")
YEAR_RANGE = (1990, 2100)

_TOP = ("region", "source", "goals")
_GOAL = (
    "text",
    "level",
    "part_of",
    "decision",
    "year",
    "region_status",
    "region_wording",
    "indicator",
    "related",
)
_DECISION = ("document", "date")
_INDICATOR = ("id", "name", "unit", "value", "source", "target", "target_kind")
_OWN_FIGURE = ("name", "unit", "value", "source")
_OWN_REQUIRED = ("name", "unit", "source")  # a document may give a målvärde but no outcome


@dataclass(frozen=True)
class Decision:
    """The decision a goal comes from, quoted as the region's document gives it."""

    document: str
    date: str | None = None  # "2024-06-18" or "2024"; None when the document does not say


@dataclass(frozen=True)
class GoalIndicator:
    """What a goal is measured by: a catalogue indicator (`id`), or a figure the region's
    document itself reports (`name`, `unit`, `value`, `source`), with an optional målvärde."""

    id: str | None = None
    name: str | None = None
    unit: str | None = None
    value: float | None = None
    source: str | None = None
    target: float | None = None
    target_kind: str | None = None  # "min" (a floor) or "max" (a ceiling)
    decimals: int = 0  # an own figure's decimals as written (32.5: 1); a catalogue id: its own


@dataclass(frozen=True)
class Goal:
    number: int  # its place in the file, 1 = first
    text: str
    level: str
    decision: Decision
    part_of: str | None = None  # the regionmål a delmål serves ("Mål 4. Tillgänglig vård …")
    year: int | None = None  # the year the goal, its målvärde and the region's status are for
    region_status: str | None = None  # "helt" | "delvis" | "inte", as the region judged it
    region_wording: str | None = None  # the region's own words ("Mål kommer delvis uppfyllas")
    indicator: GoalIndicator | None = None
    related: tuple[str, ...] = ()  # catalogue indicators about the same thing

    def applies_to(self, year: int) -> bool:
        """A goal with a year belongs to that year's report; one without, to every year's
        from the year of its decision on (when the decision's year is known)."""
        if self.year is not None:
            return self.year == year
        decided = self.decision.date
        return decided is None or int(decided[:4]) <= year

    def indicator_ids(self) -> tuple[str, ...]:
        """The catalogue indicators whose chapters name this goal."""
        own = (self.indicator.id,) if self.indicator and self.indicator.id else ()
        return tuple(dict.fromkeys(own + self.related))


@dataclass(frozen=True)
class Goals:
    region: str  # slug
    path: Path
    source: str | None
    goals: tuple[Goal, ...]

    def for_year(self, year: int) -> list[Goal]:
        return [g for g in self.goals if g.applies_to(year)]


def goals_path(slug: str) -> Path:
    return paths.goals_dir() / f"{slug}.yaml"


# --- validation -------------------------------------------------------------------------------


class _Goal:
    """Validation context for one goal: every message names file, goal and field."""

    def __init__(self, where: str, number: int, raw: dict) -> None:
        self.where, self.raw = where, raw
        text = raw.get("text")
        self.label = (
            f"mål nr {number} ({excerpt(text.strip(), 40)})"
            if isinstance(text, str) and text.strip()
            else f"mål nr {number}"
        )

    def fail(self, field: str, problem: str, fix: str) -> NaravardError:
        return NaravardError(f"{self.where}: {self.label}, fältet {field}: {problem}; {fix}")

    def keys(self, raw: dict, allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in raw:
            if key not in allowed:
                raise self.fail(
                    f"{prefix}{key}", "okänt fält", "tillåtna fält: " + ", ".join(allowed)
                )

    def text(
        self, raw: dict, field: str, prefix: str = "", *, optional: bool = False
    ) -> str | None:
        value = raw.get(field)
        name = f"{prefix}{field}"
        if value is None and optional:
            return None
        if value is None:
            raise self.fail(name, "saknas", f"lägg till {field}: … (se README, Regionens egna mål)")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, f"värdet {excerpt(value)} är ingen text", "skriv en text")
        problem = control_problem(value)
        if problem:
            raise self.fail(name, problem, "ta bort tecknet")
        text = " ".join(value.split())
        return check_length(text, "goal", f"{self.where}: {self.label}, fältet {name}")

    def choice(
        self,
        raw: dict,
        field: str,
        allowed: tuple[str, ...],
        prefix: str = "",
        *,
        optional: bool = False,
    ) -> str | None:
        value = raw.get(field)
        if value is None and optional:
            return None
        if value is None:
            raise self.fail(f"{prefix}{field}", "saknas", "använd en av: " + ", ".join(allowed))
        if value not in allowed:
            raise self.fail(
                f"{prefix}{field}",
                f"okänt värde {excerpt(value)}",
                "använd en av: " + ", ".join(allowed),
            )
        return value

    def year(self, raw: dict, field: str, prefix: str = "") -> int | None:
        value = raw.get(field)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (YEAR_RANGE[0] <= value <= YEAR_RANGE[1])
        ):
            raise self.fail(
                f"{prefix}{field}",
                f"{excerpt(value)} är inget årtal",
                "skriv året som ett heltal, t.ex. 2024",
            )
        return value

    def number(self, raw: dict, field: str, unit: str, prefix: str = "") -> float | None:
        value = raw.get(field)
        if value is None:
            return None
        name = f"{prefix}{field}"
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise self.fail(
                name,
                f"{excerpt(value)} är inget tal",
                "skriv ett tal med punkt som decimaltecken och utan enhet, t.ex. 80 eller 32.5",
            )
        problem = range_problem(float(value), unit)
        if problem:
            raise self.fail(name, f"{value} {problem}", "rätta talet")
        return float(value)


def _decimals(value: float | None) -> int:
    """How many decimals a figure was written with (32.5 → 1, 4.13 → 2, 26015 → 0)."""
    if value is None or float(value).is_integer():
        return 0
    return min(3, len(repr(float(value)).split(".")[1]))


def _decision(goal: _Goal) -> Decision:
    raw = goal.raw.get("decision")
    if raw is None:
        raise goal.fail(
            "decision",
            "saknas",
            "lägg till decision: med document: <beslutet som dokumentet anger det> "
            "och, om det är känt, date: ÅÅÅÅ-MM-DD",
        )
    if not isinstance(raw, dict):
        raise goal.fail(
            "decision",
            f"{excerpt(raw)} är ingen post",
            "skriv document: … och date: … på egna rader under decision:",
        )
    goal.keys(raw, _DECISION, "decision.")
    document = goal.text(raw, "document", "decision.")
    date = raw.get("date")
    if date is None:
        return Decision(document)
    if isinstance(date, dt.date) and not isinstance(date, dt.datetime):
        return Decision(document, date.isoformat())
    if (
        isinstance(date, int)
        and not isinstance(date, bool)
        and (YEAR_RANGE[0] <= date <= YEAR_RANGE[1])
    ):
        return Decision(document, str(date))
    raise goal.fail(
        "decision.date",
        f"{excerpt(date)} är inget datum",
        "skriv ÅÅÅÅ-MM-DD, eller bara året när dagen inte är känd",
    )


def _unknown_id(ident: object, catalog: Catalog) -> str:
    close = difflib.get_close_matches(str(ident), [i.id for i in catalog], n=3, cutoff=0.5)
    hint = (
        ("närmast: " + ", ".join(close))
        if close
        else (f"se id: i {paths.display_path(catalog.path)}")
    )
    return f"skriv ett id ur indikatorkatalogen ({hint})"


def _indicator(goal: _Goal, catalog: Catalog) -> GoalIndicator | None:
    raw = goal.raw.get("indicator")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise goal.fail(
            "indicator",
            f"{excerpt(raw)} är ingen post",
            "skriv id: … (eller name:, unit:, value:, source:) under indicator:",
        )
    goal.keys(raw, _INDICATOR, "indicator.")
    ident = raw.get("id")
    own = [k for k in _OWN_FIGURE if raw.get(k) is not None]
    if ident is None and not own:
        raise goal.fail(
            "indicator",
            "anger varken id eller ett eget värde",
            "skriv id: <indikator ur katalogen>, eller name:, unit:, value: och "
            "source: för en uppgift som regionens dokument själv redovisar",
        )
    if ident is not None:
        if own:
            raise goal.fail(
                f"indicator.{own[0]}",
                "anges tillsammans med id",
                "en katalogindikator hämtar namn, enhet och värde ur underlaget; "
                f"ta bort {own[0]} eller id",
            )
        if not isinstance(ident, str) or ident not in {i.id for i in catalog}:
            raise goal.fail(
                "indicator.id", f"okänd indikator {excerpt(ident)}", _unknown_id(ident, catalog)
            )
        unit, value, decimals = catalog.get(ident).unit, None, catalog.get(ident).decimals
        name = source = None
    else:
        for key in _OWN_REQUIRED:
            if raw.get(key) is None:
                raise goal.fail(
                    f"indicator.{key}",
                    "saknas för ett eget värde",
                    f"lägg till {key}: … (eller ange id: för en katalogindikator)",
                )
        name = goal.text(raw, "name", "indicator.")
        unit = goal.choice(raw, "unit", tuple(UNITS), "indicator.")
        source = goal.text(raw, "source", "indicator.")
        value = goal.number(raw, "value", unit, "indicator.")
        decimals = _decimals(value)
    target = goal.number(raw, "target", unit, "indicator.")
    kind = goal.choice(raw, "target_kind", TARGET_KINDS, "indicator.", optional=True)
    if target is not None and kind is None:
        raise goal.fail(
            "indicator.target_kind",
            "saknas när target är satt",
            "skriv target_kind: min (värdet ska nå upp till målvärdet) eller max "
            "(värdet ska hållas under det)",
        )
    if kind is not None and target is None:
        raise goal.fail(
            "indicator.target_kind",
            "anges utan target",
            "lägg till target: <målvärdet> eller ta bort target_kind",
        )
    return GoalIndicator(ident, name, unit, value, source, target, kind, decimals)


def _related(goal: _Goal, catalog: Catalog) -> tuple[str, ...]:
    raw = goal.raw.get("related")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise goal.fail(
            "related",
            f"{excerpt(raw)} är ingen lista",
            "skriv indikatorernas id som en lista, t.ex. related: [fallskador_65]",
        )
    known = {i.id for i in catalog}
    for n, ident in enumerate(raw, start=1):
        if not isinstance(ident, str) or ident not in known:
            raise goal.fail(
                f"related[{n}]", f"okänd indikator {excerpt(ident)}", _unknown_id(ident, catalog)
            )
    return tuple(dict.fromkeys(raw))


def _goal(goal: _Goal, number: int, catalog: Catalog) -> Goal:
    goal.keys(goal.raw, _GOAL)
    text = goal.text(goal.raw, "text")
    level = goal.choice(goal.raw, "level", LEVELS)
    return Goal(
        number=number,
        text=text,
        level=level,
        decision=_decision(goal),
        part_of=goal.text(goal.raw, "part_of", optional=True),
        year=goal.year(goal.raw, "year"),
        region_status=goal.choice(goal.raw, "region_status", REGION_STATUSES, optional=True),
        region_wording=goal.text(goal.raw, "region_wording", optional=True),
        indicator=_indicator(goal, catalog),
        related=_related(goal, catalog),
    )


def parse(path: Path, catalog: Catalog) -> Goals:
    """The validated goals file at `path` (its name is the region's slug)."""
    path = Path(path)
    where = paths.display_path(path)
    data = safe_yaml.load_file(path, where)
    if not isinstance(data, dict) or "goals" not in data:
        raise NaravardError(
            f"{where}: saknar listan goals:; skriv region: {path.stem} och "
            "goals: med ett - per mål (se README, Regionens egna mål)"
        )
    extra = [k for k in data if k not in _TOP]
    if extra:
        raise NaravardError(
            f"{where}: okänd nyckel {excerpt(extra[0])} på översta nivån; "
            "tillåtna: " + ", ".join(_TOP)
        )
    if data.get("region") != path.stem:
        raise NaravardError(
            f"{where}: region: är {excerpt(data.get('region'))} men filen heter "
            f"{path.name}; skriv region: {path.stem} (regionens kortnamn, "
            "samma som filnamnet)"
        )
    source = data.get("source")
    if source is not None:
        if not isinstance(source, str) or not source.strip():
            raise NaravardError(
                f"{where}: source: {excerpt(source)} är ingen text; skriv "
                "dokumentet målen är hämtade ur"
            )
        source = check_length(" ".join(source.split()), "goal", f"{where}: source")
    entries = data["goals"]
    if not isinstance(entries, list) or not entries:
        raise NaravardError(
            f"{where}: goals är tom eller ingen lista; skriv ett - text: … per "
            "mål, eller ta bort filen"
        )
    if len(entries) > MAX_GOALS:
        raise NaravardError(
            f"{where}: {len(entries)} mål, högst {MAX_GOALS} är tillåtet; ta med "
            "nämndens mål för året och lämna resten i regionens egna dokument"
        )
    goals = []
    for number, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise NaravardError(
                f"{where}: mål nr {number} är ingen post ({excerpt(raw, 40)}); "
                "skriv fälten text:, level:, decision: … under ett -"
            )
        goals.append(_goal(_Goal(where, number, raw), number, catalog))
    return Goals(path.stem, path, source, tuple(goals))


def load(slug: str, catalog: Catalog) -> Goals | None:
    """The region's goals, or None when it has no goals file."""
    path = goals_path(slug)
    if not path.exists():
        return None
    return parse(path, catalog)
