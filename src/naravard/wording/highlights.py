""" "Det viktigaste": the three to five messages a nämnd reads first, chosen by written rules.

Each message is a plain headline ("Överbeläggningar: sämst i landet") and one sentence of
numbers with the catalogue's short names. The rules (RULES_TEXT, printed in Om underlaget):

1. Position first: an indicator with a better direction where the region's place is in the
   worse third of the regions AND its value is worse than Riket's by at least the
   indicator's `min_change` (the worst places first; a shared place counts by its worst end).
2. Change: the trend verdict of `judgements.trend()` when it says better or worse (its window
   is the one named: "sedan 2020"), or the change since the previous year when it counts
   (`change_judgement`, at least `min_change`, no series break). The largest change measured
   against the spread between the regions first; one deterioration and one improvement.
3. A target that is not met (`target_status`) while at least one region meets it: a target
   no region reaches says nothing about this region.
4. A value that naravard.analysis.plausibility flags is never a plain förbättring/försämring: it is
   told with its caution, and a source swinging as a whole is one message.

Indicators that data/catalog/related.yaml groups together are told in the same message
("Samtidigt …"), each only when it passes the same tests (a change that counts or a trend
verdict, or a place in the worse third beyond `min_change` from Riket), and in the chapter's
own words and window, so a "Samtidigt" never says what its chapter does not. At most five
messages, each indicator once; the kinds in the order above.

Works on `indicators.indicator_table` rows (read with `row.get`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from naravard.analysis import plausibility as plaus
from naravard.analysis.indicators import values_frame
from naravard.analysis.judgements import BETTER_THAN_RIKET, WORSE_THAN_RIKET, versus_riket
from naravard.config.catalog import Catalog, load_catalog
from naravard.config.regions import region_codes
from naravard.core import safe_yaml
from naravard.core.errors import NaravardError
from naravard.core.paths import catalog_path, display_path
from naravard.wording import text
from naravard.wording.text import upper_first

MAX_MESSAGES = 5
DISTANCE_MIN = 1.0  # standard deviations of the regions' values worse than Riket
MIN_REGIONS = 5  # fewer regions with a value: no spread to measure against

RULES_TEXT = (
    "Tre till fem budskap väljs så här. Först de indikatorer där regionens placering ligger i "
    "den sämre tredjedelen och värdet är sämre än rikets med minst den minsta förändring som "
    "räknas och med minst en standardavvikelse av regionernas värden, eller där regionen "
    "ensam ligger sist (störst avstånd först). Sedan den tydligaste försämringen och "
    "förbättringen: trendens bedömning när den säger bättre eller sämre, annars förändringen sedan "
    "föregående år när den räknas, med de år som anges; en försämring väger tyngre ju längre "
    "värdet ligger från rikets. Sist ett officiellt mål som inte nås, "
    "när minst en region når det. Ett värde som avviker kraftigt från regionens tidigare år "
    "redovisas som något att kontrollera, inte som förbättring eller försämring. Indikatorer "
    'som hör ihop redovisas tillsammans ("Samtidigt …") bara när de klarar samma prov. '
    "Rapporten anger inga orsaker."
)


# --------------------------------------------------------------------------- related groups


def related_path() -> Path:
    return catalog_path().with_name("related.yaml")


@functools.lru_cache(maxsize=4)
def related_groups(
    path: Path | None = None, catalog: Catalog | None = None
) -> tuple[tuple[str, ...], ...]:
    """The groups of indicator ids that are told together; ids are checked against the
    catalogue so a typo fails with the file and the id named."""
    path = Path(path) if path is not None else related_path()
    if not path.exists():
        return ()
    where = display_path(path)
    data = safe_yaml.load_file(path, where)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise NaravardError(
            f"{where}: saknar listan groups:; skriv en grupp per rad, "
            "t.ex. - [vardplatser, overbelaggningar]"
        )
    known = {i.id for i in (catalog or load_catalog())}
    out = []
    for n, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise NaravardError(f"{where}: grupp nr {n} ska vara en lista med minst två id")
        for ind in group:
            if str(ind) not in known:
                raise NaravardError(
                    f"{where}: grupp nr {n}: {ind!r} finns inte i indikatorkatalogen; rätta id:t"
                )
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
class Values:
    """Every region's totals for the Kolada indicators: one lookup per (id, code, year)."""

    lookup: dict[tuple[str, str, int], float]
    regions: list[str]

    @classmethod
    def of(cls, obs: Any) -> Values:
        vals = values_frame(obs)
        return cls(
            dict(
                zip(
                    zip(vals["indicator_id"], vals["region_code"], vals["year"].astype(int)),
                    vals["value"].astype(float),
                )
            ),
            region_codes(),
        )

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


def _v(row: Mapping[str, Any], x: Any) -> str:
    return text.fmt_value(x, str(row.get("unit", "")), int(row.get("decimals", 1)))


def _vs(row: Mapping[str, Any], x: Any) -> str:
    """The number without a long unit (the sentence gives the unit once, on the first value)."""
    return text.fmt_value(x, str(row.get("unit", "")), int(row.get("decimals", 1)), short=True)


def _int(x: Any) -> int | None:
    return None if _missing(x) else int(x)


def _shown_year(row: Mapping[str, Any], year: int) -> int:
    """The row's own year: the latest published one for an indicator not yet published."""
    return _int(row.get("year")) or year


def _flagged(row: Mapping[str, Any]) -> bool:
    return not _missing(row.get("plausibility"))


def _versus_riket(row: Mapping[str, Any]) -> str:
    """The table's own rule (judgements.versus_riket): beyond min_change, at the published
    precision, or "nära riket"."""
    return versus_riket(
        row.get("value"),
        row.get("riket"),
        str(row.get("direction", "")),
        float(row.get("min_change") or 0),
        int(row.get("decimals", 1)),
    )


def _worse_than_riket(row: Mapping[str, Any]) -> bool:
    return _versus_riket(row) == WORSE_THAN_RIKET


def _better_than_riket(row: Mapping[str, Any]) -> bool:
    return _versus_riket(row) == BETTER_THAN_RIKET


def _relative_place(row: Mapping[str, Any]) -> float | None:
    """0 = best, 1 = worst, by the worst end of a shared place; None when not ranked."""
    rank, n = _int(row.get("rank")), _int(row.get("n_ranked"))
    if rank is None or not n or n < MIN_REGIONS:
        return None
    worst = _int(row.get("rank_to")) or rank
    return (worst - 1) / (n - 1)


def _weak_place(row: Mapping[str, Any]) -> bool:
    rel = _relative_place(row)
    return rel is not None and rel > 2 / 3 - 1e-9 and _worse_than_riket(row)


@dataclass(frozen=True)
class _Change:
    """A change the chapter itself states: its window and whether it is better or worse."""

    from_year: int
    before: float
    now: float
    word: str  # "förbättring" | "försämring" | "ökning" | "minskning"
    trend: bool  # the trend verdict (else the change since the previous year)


def _stated_change(row: Mapping[str, Any], year: int) -> _Change | None:
    """The change a message may tell: the trend verdict when it names a direction, else the
    change since the previous year when it counts. None for a flagged value (plausibility)."""
    value = row.get("value")
    if _missing(value) or _flagged(row):
        return None
    trend = row.get("trend")
    start, first = _int(row.get("trend_from_year")), row.get("trend_from_value")
    if (
        trend in ("förbättring", "försämring", "ökning", "minskning")
        and start is not None
        and not _missing(first)
        and start < year
    ):
        return _Change(start, float(first), float(value), str(trend), True)
    judged = row.get("change_judgement")
    prev_year, prev = _int(row.get("prev_year")), row.get("prev_value")
    if (
        judged in ("förbättring", "försämring", "ökning", "minskning")
        and row.get("change_counts")
        and prev_year is not None
        and not _missing(prev)
    ):
        return _Change(prev_year, float(prev), float(value), str(judged), False)
    return None


def _place_words(row: Mapping[str, Any]) -> str:
    """ "sämst i landet", "delad sista plats", "bland de svagaste i landet", "sämre än riket"."""
    rank, n = _int(row.get("rank")), _int(row.get("n_ranked"))
    worst = _int(row.get("rank_to")) or rank
    if rank is not None and n and worst == n:
        return "sämst i landet" if rank == n else "delad sista plats i landet"
    if _weak_place(row):
        return "bland de svagaste i landet"
    return "sämre än riket"


def numbers(
    row: Mapping[str, Any], year: int, change: _Change | None = None, *, place_inside: bool = False
) -> str:
    """ "11,2 per 100 vårdplatser 2024 (2,1 år 2020; riket 5,7), plats 21 av 21" (no full stop);
    `place_inside` puts the place in the brackets, for a part of a longer sentence."""
    out = f"{_v(row, row.get('value'))} {year}"
    inside = []
    if change is not None and change.from_year < year:
        inside.append(f"{_vs(row, change.before)} år {change.from_year}")
    if not _missing(row.get("riket")):
        inside.append(f"riket {_vs(row, row.get('riket'))}")
    place = text.place_text(row) if _sign(str(row.get("direction", ""))) else ""
    if place and place_inside:
        inside.append(place)
    if inside:
        out += f" ({'; '.join(inside)})"
    return out + (f", {place}" if place and not place_inside else "")


@dataclass(frozen=True)
class Message:
    """One message: a plain headline, one sentence of numbers, and related indicators."""

    kind: str  # "kontroll" | "avstand" | "forsamring" | "forbattring" | "mal"
    indicator_id: str
    text: str  # the sentence of numbers
    score: float
    together: tuple[str, ...] = field(default=())
    headline: str = ""

    @property
    def figures(self) -> str:
        """The sentence of numbers without the name the headline already gives."""
        name = self.headline.split(": ", 1)[0]  # a name may hold a colon ("1177:s")
        if self.headline and self.text.startswith(name + ": "):
            return self.text[len(name) + 2 :]
        return self.text

    @property
    def line(self) -> str:
        """Headline and numbers in one line (the national report's region profiles)."""
        return f"{self.headline} – {self.figures}" if self.headline else self.text


# --------------------------------------------------------------------------- candidates


def _position(row: Mapping[str, Any], ind: Any, values: Values, year: int) -> Message | None:
    """A weak place: in the worse third, worse than Riket by min_change and at least
    DISTANCE_MIN standard deviations of the regions (or alone in last place). A value to
    check (plausibility) is no place: it goes to the caution message."""
    if _flagged(row) or not _weak_place(row):
        return None
    sd = values.spread(ind.id, year) or 1.0
    sign = _sign(str(row.get("direction", ""))) or 1.0
    z = sign * (float(row["value"]) - float(row["riket"])) / sd
    last = _int(row.get("rank")) == _int(row.get("n_ranked"))
    if z > -DISTANCE_MIN and not last:
        return None
    change = _stated_change(row, year)
    if change is not None and change.word != "försämring":
        change = None  # history beside a weak place: only when it went the same way
    sentence = f"{upper_first(ind.short)}: {numbers(row, year, change)}"
    headline = f"{upper_first(ind.short)}: {_place_words(row)}"
    if change is not None:  # "förr" for a movement over years; one year is named
        headline += " och sämre än förr" if change.trend else f" och sämre än {change.from_year}"
    return Message("avstand", ind.id, sentence + ".", -z, headline=headline)


def _contradicted(row: Mapping[str, Any], change: _Change) -> bool:
    """A movement over years that the latest counted change goes against: "bättre än förr"
    beside a chapter that calls this year a försämring would read as a contradiction."""
    latest = row.get("change_judgement")
    return (
        change.trend
        and bool(row.get("change_counts"))
        and latest in OPPOSITE
        and OPPOSITE[latest] == change.word
    )


OPPOSITE = {
    "förbättring": "försämring",
    "försämring": "förbättring",
    "ökning": "minskning",
    "minskning": "ökning",
}


def _change(row: Mapping[str, Any], ind: Any, values: Values, year: int) -> Message | None:
    change = _stated_change(row, year)
    if (
        change is None
        or change.word not in ("förbättring", "försämring")
        or _contradicted(row, change)
    ):
        return None
    sd = values.spread(ind.id, year) or 1.0
    z = abs(change.now - change.before) / sd
    kind = "forbattring" if change.word == "förbättring" else "forsamring"
    if kind == "forsamring" and _worse_than_riket(row):
        # worse than before and than Riket: what a nämnd acts on first, the more so the
        # farther from Riket (in the regions' standard deviations), so BUP at a third of
        # Riket outweighs a small fall in a tightly clustered indicator
        sign = _sign(str(row.get("direction", ""))) or 1.0
        z += max(0.5, -sign * (float(row["value"]) - float(row["riket"])) / sd)
    since = f"sedan {change.from_year}"
    head = ("bättre än förr" if kind == "forbattring" else "sämre än förr") + f" ({since})"
    if kind == "forbattring" and _worse_than_riket(row):
        head += ", sämre än riket"
    elif kind == "forsamring" and _worse_than_riket(row):
        head = f"sämre än förr och än riket ({since})"
    elif kind == "forsamring" and _better_than_riket(row):
        head += ", bättre än riket"
    sentence = f"{upper_first(ind.short)}: {numbers(row, year, change)}."
    return Message(kind, ind.id, sentence, z, headline=f"{upper_first(ind.short)}: {head}")


def _target(row: Mapping[str, Any], ind: Any, values: Values, year: int) -> Message | None:
    if row.get("target_status") != "uppfylls inte" or _missing(row.get("value")):
        return None
    target, kind = row.get("target"), row.get("target_kind") or "min"
    if _missing(target):
        return None
    if ind.source == "kolada":  # a target no region reaches says nothing about this one
        reached = [
            v
            for v in values.year_values(ind.id, year)
            if (v >= float(target) if kind == "min" else v <= float(target))
        ]
        if not reached:
            return None
    sd = values.spread(ind.id, year) or 1.0
    target_text = row.get("target_text") or _v(row, target)
    sentence = f"{upper_first(ind.short)}: {numbers(row, year)} mot målet {target_text}"
    when = _int(row.get("target_for"))
    sentence += f" (för {when})." if when is not None and when < year else "."
    score = abs(float(row["value"]) - float(target)) / sd
    return Message(
        "mal", ind.id, sentence, score, headline=f"{upper_first(ind.short)}: målet nås inte"
    )


def _caution(rows: Sequence[Mapping[str, Any]], catalog: Catalog, year: int) -> Message | None:
    """One message when several values are flagged by naravard.analysis.plausibility (a source's
    swing, e.g. a new journal system): the nämnd should know that this year's figures are
    uncertain. A single doubtful value is told in its chapter, not on the first page."""
    flagged = [r for r in rows if _flagged(r) and not _missing(r.get("value"))]
    if len(flagged) < 2:
        return None
    parts = []
    for r in flagged[:4]:
        ind = catalog.get(str(r["indicator_id"]))
        prev = r.get("prev_value")
        part = f"{ind.short} {_v(r, r['value'])} {_shown_year(r, year)}"
        if not _missing(prev) and _int(r.get("prev_year")) is not None:
            part += f" ({_vs(r, prev)} år {_int(r.get('prev_year'))})"
        parts.append(part)
    more = len(flagged) - len(parts)
    sources = [catalog.get(str(r["indicator_id"])).primary_source for r in flagged]
    why = next(
        (plaus.caution(s) for s in sources if plaus.caution(s) == plaus.CAUTION),
        plaus.caution(sources[0]),
    )
    sentence = (
        upper_first(text.join_sv(parts))
        + (f" och {more} till" if more else "")
        + f": värdena {why}."
    )
    headline = f"Osäkra värden: {len(flagged)} avviker kraftigt från tidigare år"
    return Message("kontroll", str(flagged[0]["indicator_id"]), sentence, 100.0, headline=headline)


def _together_part(
    row: Mapping[str, Any], ind: Any, values: Values, year: int, kind: str
) -> tuple[str, str] | None:
    """A related indicator in the chapter's own words, when it passes the same test as the
    message it joins (`kind`): a weak place or a deterioration beside a weak place, the same
    direction beside a change; a neutral indicator when its movement counts. Returns (verb,
    the rest) so that parts join as one sentence."""
    if _missing(row.get("value")) or _flagged(row):
        return None
    change = _stated_change(row, year)
    if change is not None and _contradicted(row, change):
        change = None
    same_way = {
        "avstand": ("försämring",),
        "forsamring": ("försämring",),
        "forbattring": ("förbättring",),
        "mal": (),
    }.get(kind, ())
    if change is not None and change.word in (*same_way, "ökning", "minskning"):
        verb = "ökat" if change.now > change.before else "minskat"
        return "har", (
            f"{ind.short} {{}} {verb} från {_vs(row, change.before)} år "
            f"{change.from_year} till {_v(row, change.now)} {year}"
        )
    if kind == "avstand" and _position(row, ind, values, year) is not None:
        return "var", f"{ind.short} {{}} {numbers(row, year, place_inside=True)}"
    return None


def _together(parts: Sequence[tuple[str, str]]) -> str:
    """ "Samtidigt har vårdplatser minskat … och vårddygn … har ökat …" — side by side, no
    cause."""
    verb, rest = parts[0]
    first = "Samtidigt " + verb + " " + rest.replace(" {}", "", 1)
    others = [rest.replace("{}", v, 1) for v, rest in parts[1:]]
    return text.join_sv([first, *others]) + "."


# --------------------------------------------------------------------------- selection

QUOTA = (("avstand", 3), ("kontroll", 1), ("forsamring", 1), ("forbattring", 1), ("mal", 1))
MIN_MESSAGES = 3


def select(
    table: pd.DataFrame,
    obs: Any,
    catalog: Catalog,
    region_code: str,
    region_name: str,
    year: int,
    *,
    max_messages: int = MAX_MESSAGES,
    groups: Sequence[Sequence[str]] | None = None,
    values: Values | None = None,
) -> list[Message]:
    """The messages for one region and year, most important first (see the module doc)."""
    values = values or Values.of(obs)
    groups = related_groups() if groups is None else groups
    rows = {str(r["indicator_id"]): r for r in table.to_dict(orient="records")}
    kinds: dict[str, list[Message]] = {k: [] for k, _ in QUOTA}
    for ind in catalog.kolada():
        row = rows.get(ind.id)
        if row is None or _missing(row.get("value")):
            continue
        shown = _shown_year(row, year)  # an earlier year when not yet published
        for found in (
            _position(row, ind, values, shown),
            _change(row, ind, values, shown),
            _target(row, ind, values, shown),
        ):
            if found is not None:
                kinds[found.kind].append(found)
    for found in kinds.values():
        found.sort(key=lambda m: (-m.score, m.indicator_id))

    chosen: list[Message] = []
    told: set[str] = set()

    def take(m: Message) -> None:
        parts: list[tuple[str, str]] = []
        if m.kind != "kontroll":
            for p in _partners(m.indicator_id, groups):
                if p in told or p not in rows or len(parts) == 2:
                    continue
                part = _together_part(
                    rows[p], catalog.get(p), values, _shown_year(rows[p], year), m.kind
                )
                if part:
                    parts.append(part)
                    told.add(p)
        chosen.append(
            Message(
                m.kind,
                m.indicator_id,
                m.text,
                m.score,
                (_together(parts),) if parts else (),
                m.headline,
            )
        )
        told.add(m.indicator_id)

    for kind, n in QUOTA:
        if kind == "kontroll":  # the flagged values no message has told yet
            kinds[kind] = [
                m
                for m in [
                    _caution(
                        [rows[i.id] for i in catalog.kolada() if i.id in rows and i.id not in told],
                        catalog,
                        year,
                    )
                ]
                if m is not None
            ]
        for m in kinds[kind]:
            if n == 0 or len(chosen) == max_messages:
                break
            if m.indicator_id not in told:
                take(m)
                if kind == "kontroll":
                    told.update(i for i, r in rows.items() if _flagged(r))
                n -= 1
    rest = sorted(
        (m for k, ms in kinds.items() if k != "kontroll" for m in ms), key=lambda m: -m.score
    )
    for m in rest:  # fewer than three: the next strongest of any kind fill up
        if len(chosen) >= min(MIN_MESSAGES, max_messages):
            break
        if m.indicator_id not in told:
            take(m)
    order = {k: n for n, (k, _) in enumerate(QUOTA)}
    return sorted(chosen, key=lambda m: order[m.kind])


def profile_positions(table: pd.DataFrame, n: int = 2) -> tuple[list[Mapping], list[Mapping]]:
    """The region's strongest and weakest ranked positions (directional indicators only),
    with shared places kept shared: a tie never reads as a better or worse place."""
    rows = [
        r
        for r in table.to_dict(orient="records")
        if r.get("direction") in ("higher", "lower")
        and not _missing(r.get("rank"))
        and r.get("n_ranked")
        and not _flagged(r)
    ]  # a value to check is no best place

    def rel(r: Mapping[str, Any], worst: bool) -> float:
        rank = r.get("rank_to") if worst and not _missing(r.get("rank_to")) else r["rank"]
        return (float(rank) - 1) / max(1, int(r["n_ranked"]) - 1)

    best = sorted(rows, key=lambda r: (rel(r, False), r["name"]))[:n]
    worst = sorted((r for r in rows if r not in best), key=lambda r: (-rel(r, True), r["name"]))
    return best, worst[:n]


def rank_words(row: Mapping[str, Any]) -> str:
    """ "plats 3 av 21", or "delad plats 3–8 av 21" when regions share the value."""
    rank, n = int(row["rank"]), int(row["n_ranked"])
    to = row.get("rank_to")
    if not _missing(to) and int(to) != rank:
        return f"delad plats {rank}–{int(to)} av {n}"
    return f"plats {rank} av {n}"
