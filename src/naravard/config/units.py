"""The units as data (data/catalog/units.yaml): every word the report writes about a unit.

A value's suffix, its axis label, its short table form, the word for a change ("procentenheter")
and the sentence subject ("Andelen") all come from one entry, so a new unit is one entry and
no module keeps a unit list of its own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from naravard.config.listfile import Entry, read_entries
from naravard.core.paths import units_path

_FIELDS = {
    "symbol": str,
    "label": str,
    "short": bool,
    "cell": str,
    "change": dict,
    "subject": str,
    "neuter": bool,
    "each_number": bool,
}
_CHANGE_FIELDS = {"many": str, "one": str, "short": str}


@dataclass(frozen=True)
class Change:
    """The words for a change when they are not the unit's symbol: procentenheter, p.e."""

    many: str
    one: str
    short: str


@dataclass(frozen=True)
class Unit:
    key: str
    symbol: str  # after a value in running text: "%", "per 1 000 invånare", "" (antal)
    label: str  # as an axis or column label: "Procent", "Per 1 000 invånare"
    short: bool = False  # a short symbol: glued to the number, kept in tables' short form
    cell: str | None = None  # a table cell's shortened symbol: "per 1 000 inv."
    change: Change | None = None  # a change's own words; None: the symbol
    subject: str = "Värdet"  # "Andelen ökade …"
    neuter: bool = True  # "oförändrat" (ett-ord) or "oförändrad"
    each_number: bool = False  # short enough to repeat after every number in a sentence


def default_path() -> Path:
    return units_path()


def _change(entry: Entry) -> Change | None:
    raw = entry.raw.get("change")
    if raw is None:
        return None
    for name, value in raw.items():
        if name not in _CHANGE_FIELDS:
            raise entry.fail(f"change.{name}", "okänt fält", "tillåtna fält: many, one, short")
        if not isinstance(value, str) or not value.strip():
            raise entry.fail(f"change.{name}", f"värdet {value!r} är ingen text", "skriv ett ord")
    missing = [n for n in _CHANGE_FIELDS if n not in raw]
    if missing:
        raise entry.fail(f"change.{missing[0]}", "saknas", "ange many, one och short")
    return Change(raw["many"].strip(), raw["one"].strip(), raw["short"].strip())


def _unit(entry: Entry) -> Unit:
    return Unit(
        key=entry.text("key"),
        symbol=entry.text("symbol", empty=True),
        label=entry.text("label"),
        short=entry.flag("short", False),
        cell=entry.text("cell") if entry.raw.get("cell") is not None else None,
        change=_change(entry),
        subject=entry.text("subject", "Värdet"),
        neuter=entry.flag("neuter", True),
        each_number=entry.flag("each_number", False),
    )


def parse(path: Path) -> dict[str, Unit]:
    """Every unit in the file, by key, validated."""
    return {u.key: u for u in map(_unit, read_entries(path, "units", "enhet", _FIELDS))}


@functools.lru_cache(maxsize=1)
def _default() -> dict[str, Unit]:
    return parse(default_path())


def load(path: Path | None = None) -> dict[str, Unit]:
    """The units; the project's file is read once per process, a given path always."""
    return _default() if path is None else parse(Path(path))


def get(key: str) -> Unit | None:
    """The unit with this key, or None for a key no catalogue uses (the caller writes no unit)."""
    return _default().get(key)
