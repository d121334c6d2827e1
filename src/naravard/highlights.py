""""Det viktigaste": the three to five messages a nämnd reads first, chosen by written rules.

The rules (also printed under the messages, see RULES_TEXT):

1. Distance to Riket: for an indicator with a better direction, the region's value minus
   Riket's, turned so that negative is worse, divided by the standard deviation of the
   regions' values that year. A message when the region is at least one standard deviation
   worse than Riket (the largest distances first).
2. Change over several years: the region's value now against its value up to four years
   earlier (never across a series break), divided by the same standard deviation. A message
   for the clearest deterioration and the clearest improvement, when the change is at least
   half a standard deviation. When the statements module's `trend` column is present it
   decides whether there is a trend at all.
3. Targets: an official target that is not met (`target_status` when present, else
   `meets_target`).

At most two distances, one deterioration, one improvement and one missed target, each
indicator once, five messages at most. Indicators that data/catalog/related.yaml groups
together are told in the same message ("Samtidigt …"): side by side, never as a cause.

Works on `indicators.indicator_table` rows with or without the judgement columns that the
statements module adds (read with `row.get`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from naravard import text
from naravard.catalog import Catalog
from naravard.errors import NaravardError
from naravard.regions import RIKET_CODE, region_codes

DISTANCE_MIN = 1.0  # standard deviations worse than Riket
CHANGE_MIN = 0.5  # standard deviations of change over the window
WINDOW = 4  # years back for the multi-year change
MAX_MESSAGES = 5
MIN_REGIONS = 5  # fewer regions with a value: no spread to measure against

RULES_TEXT = (
    "Så väljs budskapen: de indikatorer där regionen ligger längst från riket åt det sämre "
    "hållet, mätt mot spridningen mellan regionerna (minst en standardavvikelse); de "
    "tydligaste förändringarna under de senaste upp till fyra åren (minst en halv "
    "standardavvikelse, aldrig över ett tidsseriebrott); och officiella mål som inte nås. "
    "Indikatorer som hör ihop redovisas tillsammans. Rapporten anger inga orsaker."
)


@dataclass(frozen=True)
class Message:
    """One message: its kind, the indicator it is about and the sentence(s) to print."""

    kind: str  # "avstand" | "forsamring" | "forbattring" | "mal"
    indicator_id: str
    text: str
    score: float
    together: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- related groups

def related_path() -> Path:
    from naravard.paths import catalog_path

    return catalog_path().with_name("related.yaml")


@functools.lru_cache(maxsize=4)
def related_groups(path: Path | None = None, catalog: Catalog | None = None
                   ) -> tuple[tuple[str, ...], ...]:
    """The groups of indicator ids that are told together; ids are checked against the
    catalogue so a typo fails with the file and the id named."""
    from naravard import safe_yaml
    from naravard.catalog import load_catalog
    from naravard.paths import display_path

    path = Path(path) if path is not None else related_path()
    if not path.exists():
        return ()
    where = display_path(path)
    data = safe_yaml.load_file(path, where)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise NaravardError(f"{where}: saknar listan groups:; skriv en grupp per rad, "
                            "t.ex. - [vardplatser, overbelaggningar]")
    known = {i.id for i in (catalog or load_catalog())}
    out = []
    for n, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise NaravardError(f"{where}: grupp nr {n} ska vara en lista med minst två id")
        for ind in group:
            if str(ind) not in known:
                raise NaravardError(f"{where}: grupp nr {n}: {ind!r} finns inte i "
                                    "indikatorkatalogen; rätta id:t")
        out.append(tuple(str(i) for i in group))
    return tuple(out)


def _partners(indicator_id: str, groups: Sequence[Sequence[str]]) -> list[str]:
    out: list[str] = []
    for group in groups:
        if indicator_id in group:
            out += [i for i in group if i != indicator_id and i not in out]
    return out


# --------------------------------------------------------------------------- values

@dataclass
class _Values:
    """Every region's totals for the Kolada indicators: one lookup per (id, code, year)."""

    lookup: dict[tuple[str, str, int], float]
    regions: list[str]

    @classmethod
    def of(cls, obs: Any) -> _Values:
        from naravard.indicators import values_frame

        vals = values_frame(obs)
        return cls(dict(zip(zip(vals["indicator_id"], vals["region_code"],
                                vals["year"].astype(int)), vals["value"].astype(float))),
                   region_codes())

    def get(self, ind: str, code: str, year: int) -> float | None:
        return self.lookup.get((ind, code, int(year)))

    def year_values(self, ind: str, year: int) -> list[float]:
        return [v for c in self.regions if (v := self.get(ind, c, year)) is not None]

    def spread(self, ind: str, year: int) -> float | None:
        vals = self.year_values(ind, year)
        if len(vals) < MIN_REGIONS:
            return None
        sd = float(pd.Series(vals).std(ddof=1))
        return sd if sd > 0 else None


def _missing(x: Any) -> bool:
    return text.is_missing_value(x)


def _sign(direction: str) -> float | None:
    return {"higher": 1.0, "lower": -1.0}.get(direction)


def lower_first(name: str) -> str:
    """"Telefonsamtal …" → "telefonsamtal …", but "BUP …" and "HbA1c …" stay as they are."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _v(row: Mapping[str, Any], x: Any) -> str:
    return text.fmt_value(x, str(row.get("unit", "")), int(row.get("decimals", 1)))


def _vs(row: Mapping[str, Any], x: Any) -> str:
    """The number without a long unit (the sentence gives the unit once, on the last value)."""
    return text.fmt_value(x, str(row.get("unit", "")), int(row.get("decimals", 1)), short=True)


def _start_year(ind: Any, values: _Values, code: str, year: int,
                row: Mapping[str, Any]) -> int | None:
    """The first year of the change window: up to WINDOW years back, after any series break."""
    from_year = row.get("trend_from_year")
    if not _missing(from_year):
        return int(from_year)
    floor = year - WINDOW
    for brk in getattr(ind, "series_breaks", ()):
        if floor < brk.year <= year:
            floor = max(floor, brk.year)
    years = [y for y in range(floor, year) if values.get(ind.id, code, y) is not None]
    if not years or year - years[0] < 2:
        return None
    return years[0]


# --------------------------------------------------------------------------- candidates

def _distance(row: Mapping[str, Any], ind: Any, values: _Values, code: str, year: int,
              region_name: str) -> Message | None:
    sign = _sign(str(row.get("direction", "")))
    value, riket = row.get("value"), row.get("riket")
    if sign is None or _missing(value) or _missing(riket):
        return None
    sd = values.spread(ind.id, year)
    if sd is None:
        return None
    z = sign * (float(value) - float(riket)) / sd
    if z > -DISTANCE_MIN:
        return None
    vals = values.year_values(ind.id, year)
    extreme = ""
    if float(value) == max(vals) and vals.count(max(vals)) == 1:
        extreme = f", högst av {len(vals)} regioner"
    elif float(value) == min(vals) and vals.count(min(vals)) == 1:
        extreme = f", lägst av {len(vals)} regioner"
    sentence = (f"{ind.name} i {region_name} var {_v(row, value)} {year} mot "
                f"{_v(row, riket)} i riket{extreme}.")
    return Message("avstand", ind.id, sentence, -z)


def _change_words(row: Mapping[str, Any], ind: Any, values: _Values, code: str, year: int
                  ) -> tuple[int, float, float] | None:
    start = _start_year(ind, values, code, year, row)
    now = values.get(ind.id, code, year)
    if start is None or now is None:
        return None
    before = values.get(ind.id, code, start)
    if before is None:
        before = row.get("trend_from_value")
        if _missing(before):
            return None
    return start, float(before), float(now)


def _change(row: Mapping[str, Any], ind: Any, values: _Values, code: str, year: int,
            region_name: str) -> Message | None:
    sign = _sign(str(row.get("direction", "")))
    if sign is None:
        return None
    trend = row.get("trend")
    if isinstance(trend, str) and trend and trend not in ("förbättring", "försämring"):
        return None  # the statements module found no clear trend
    found = _change_words(row, ind, values, code, year)
    sd = values.spread(ind.id, year)
    if found is None or sd is None:
        return None
    start, before, now = found
    z = sign * (now - before) / sd
    shown = round(now - before, int(row.get("decimals", 1)))
    if shown == 0 or (abs(z) < CHANGE_MIN and not trend):
        return None
    min_change = row.get("min_change")
    if not _missing(min_change) and abs(now - before) < float(min_change):
        return None
    kind = "forbattring" if z > 0 else "forsamring"
    word = "en förbättring" if z > 0 else "en försämring"
    verb = "ökade" if now > before else "minskade"
    sentence = (f"{ind.name} i {region_name} {verb} från {_vs(row, before)} till "
                f"{_v(row, now)} mellan {start} och {year}, {word}")
    r0, r1 = values.get(ind.id, RIKET_CODE, start), values.get(ind.id, RIKET_CODE, year)
    if r0 is not None and r1 is not None:
        sentence += f"; i riket från {_vs(row, r0)} till {_vs(row, r1)}"
    return Message(kind, ind.id, sentence + ".", abs(z))


def _target(row: Mapping[str, Any], ind: Any, values: _Values, year: int,
            region_name: str) -> Message | None:
    status = row.get("target_status")
    if isinstance(status, str) and status:
        missed = status == "uppfylls inte"
    else:
        met = row.get("meets_target")
        missed = met is not None and not _missing(met) and not bool(met)
    value = row.get("value")
    if not missed or _missing(value) or _missing(row.get("target")):
        return None
    sd = values.spread(ind.id, year) or 1.0
    target_text = row.get("target_text") or f"{_v(row, row.get('target'))}"
    sentence = (f"Målet för {lower_first(ind.name)} på {target_text} nås inte i "
                f"{region_name}: {_v(row, value)} {year}")
    riket = row.get("riket")
    if not _missing(riket):
        sentence += f", riket {_v(row, riket)}"
    note = row.get("target_note")
    sentence += "." + (f" {note}" if isinstance(note, str) and note.strip() else "")
    score = abs(float(value) - float(row.get("target"))) / sd
    return Message("mal", ind.id, sentence, score)


def _together(partner_row: Mapping[str, Any], ind: Any, values: _Values, code: str,
              year: int, start: int | None) -> str | None:
    """"Samtidigt minskade … från X 2020 till Y 2024." for a grouped indicator."""
    now = values.get(ind.id, code, year)
    if now is None:
        return None
    first = start if start is not None else year - WINDOW
    for brk in getattr(ind, "series_breaks", ()):
        if first < brk.year <= year:
            first = brk.year
    years = [y for y in range(first, year) if values.get(ind.id, code, y) is not None]
    if not years:
        return f"Samtidigt var {lower_first(ind.name)} {_v(partner_row, now)} {year}."
    before = values.get(ind.id, code, years[0])
    shown = round(now - before, int(partner_row.get("decimals", 1)))
    if shown == 0:
        return (f"Samtidigt låg {lower_first(ind.name)} kvar på {_v(partner_row, now)} "
                f"({years[0]} och {year}).")
    verb = "ökade" if shown > 0 else "minskade"
    return (f"Samtidigt {verb} {lower_first(ind.name)} från {_vs(partner_row, before)} "
            f"till {_v(partner_row, now)} mellan {years[0]} och {year}.")


# --------------------------------------------------------------------------- selection

def select(table: pd.DataFrame, obs: Any, catalog: Catalog, region_code: str,
           region_name: str, year: int, *, max_messages: int = MAX_MESSAGES,
           groups: Sequence[Sequence[str]] | None = None,
           values: _Values | None = None) -> list[Message]:
    """The messages for one region and year, most important first (see the module doc)."""
    values = values or _Values.of(obs)
    groups = related_groups() if groups is None else groups
    rows = {str(r["indicator_id"]): r for r in table.to_dict(orient="records")}
    kinds: dict[str, list[Message]] = {"avstand": [], "forsamring": [], "forbattring": [],
                                       "mal": []}
    for ind in catalog.kolada():
        row = rows.get(ind.id)
        if row is None or _missing(row.get("value")):
            continue
        for found in (_distance(row, ind, values, region_code, year, region_name),
                      _change(row, ind, values, region_code, year, region_name),
                      _target(row, ind, values, year, region_name)):
            if found is not None:
                kinds[found.kind].append(found)
    for found in kinds.values():
        found.sort(key=lambda m: (-m.score, m.indicator_id))

    quota = [("avstand", 2), ("forsamring", 1), ("mal", 1), ("forbattring", 1)]
    chosen: list[Message] = []
    told: set[str] = set()

    def take(m: Message) -> None:
        partners = [p for p in _partners(m.indicator_id, groups) if p in rows]
        start = None
        row = rows[m.indicator_id]
        found = _change_words(row, catalog.get(m.indicator_id), values, region_code, year)
        if found is not None:
            start = found[0]
        together = []
        for p in partners:
            if p in told or len(together) == 2:
                continue
            line = _together(rows[p], catalog.get(p), values, region_code, year, start)
            if line:
                together.append(line)
                told.add(p)
        chosen.append(Message(m.kind, m.indicator_id, m.text, m.score, tuple(together)))
        told.add(m.indicator_id)

    for kind, n in quota:
        for m in kinds[kind]:
            if n == 0 or len(chosen) == max_messages:
                break
            if m.indicator_id not in told:
                take(m)
                n -= 1
    rest = sorted((m for ms in kinds.values() for m in ms), key=lambda m: -m.score)
    for m in rest:  # a kind without a message leaves its place to the next strongest
        if len(chosen) >= max_messages:
            break
        if m.indicator_id not in told:
            take(m)
    order = {"avstand": 0, "forsamring": 1, "mal": 2, "forbattring": 3}
    return sorted(chosen, key=lambda m: order[m.kind])


def profile_positions(table: pd.DataFrame, n: int = 2) -> tuple[list[Mapping], list[Mapping]]:
    """The region's strongest and weakest ranked positions (directional indicators only),
    with shared places kept shared: a tie never reads as a better or worse place."""
    rows = [r for r in table.to_dict(orient="records")
            if r.get("direction") in ("higher", "lower") and not _missing(r.get("rank"))
            and r.get("n_ranked")]

    def rel(r: Mapping[str, Any], worst: bool) -> float:
        rank = r.get("rank_to") if worst and not _missing(r.get("rank_to")) else r["rank"]
        return (float(rank) - 1) / max(1, int(r["n_ranked"]) - 1)

    best = sorted(rows, key=lambda r: (rel(r, False), r["name"]))[:n]
    worst = sorted((r for r in rows if r not in best), key=lambda r: (-rel(r, True), r["name"]))
    return best, worst[:n]


def rank_words(row: Mapping[str, Any]) -> str:
    """"plats 3 av 21", or "delad plats 3–8 av 21" when regions share the value."""
    rank, n = int(row["rank"]), int(row["n_ranked"])
    to = row.get("rank_to")
    if not _missing(to) and int(to) != rank:
        return f"delad plats {rank}–{int(to)} av {n}"
    return f"plats {rank} av {n}"
