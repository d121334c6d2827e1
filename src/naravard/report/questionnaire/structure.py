"""The questionnaire's form as data: data/questionnaire/<year>.yaml, validated on load.

The form changes a little every year, so its parts, sections, questions and answer types live
in a YAML file per year instead of in code; answers are then checked against that file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from naravard.core import paths
from naravard.config import areas
from naravard.config.listfile import LazyMap
from naravard.core.errors import NaravardError
from naravard.core import safe_yaml

TYPES = ("heading", "yes_no", "yes_no_partly", "grid", "checkboxes", "number", "text")
SINGLE_CHOICE = ("yes_no", "yes_no_partly")
DEFAULT_CHOICES = {
    "yes_no": ("Ja", "Nej"),
    "yes_no_partly": ("Ja", "Nej", "Delvis"),
    "grid": ("Ja", "Nej"),
}
# the catalogue's areas (data/catalog/areas.yaml) and "ovrigt"; read on first use
AREA_KEYS: Mapping[str, str] = LazyMap(lambda: {**areas.load(), "ovrigt": "Övrigt"})
NUMBER_UNITS = ("procent", "antal")  # the keys of data/catalog/units.yaml a number question uses

_QUESTION_KEYS = {
    "id",
    "type",
    "title",
    "area",
    "label",
    "parent",
    "only_if",
    "optional",
    "choices",
    "rows",
    "options",
    "unit",
    "min",
    "max",
    "not_available",
    "note",
    "related_indicators",
}


@dataclass(frozen=True)
class Item:
    """A grid row or a checkbox option."""

    id: str
    label: str
    other: bool = False  # the option asks for free text ("ange vad")
    exclusive: bool = False  # "Har inte genomfört några insatser": cannot go with others


@dataclass(frozen=True)
class Condition:
    """A follow-up is only expected when the main question got this answer."""

    question: str
    answer: str
    row: str | None = None


@dataclass(frozen=True)
class Question:
    id: str  # the form's numbering: "1a", "22", "35-kommentar"
    type: str  # one of TYPES
    title: str  # short Swedish title in our own words
    area: str  # key of AREA_KEYS
    part: str  # "A"
    section: str  # section id
    label: str  # how the number is shown: "18, kommentar"
    parent: str | None = None
    only_if: Condition | None = None
    optional: bool = False
    choices: tuple[str, ...] = ()
    rows: tuple[Item, ...] = ()
    options: tuple[Item, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    not_available: str | None = None  # "Andelen kan inte anges"
    note: str | None = None
    related_indicators: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type != "heading"

    def item(self, item_id: str) -> Item | None:
        for it in (*self.rows, *self.options):
            if it.id == item_id:
                return it
        return None

    @property
    def shown_title(self) -> str:
        """The title as a reader sees it beside the number: "" where it only repeats the
        number ("Kommentar till fråga 18" under "18, kommentar"), so no heading says it twice."""
        if not self.label.endswith(", kommentar"):
            return self.title
        rest = re.sub(r"^kommentar till fråga \S+\s*", "", self.title, flags=re.I)
        rest = rest.strip().removeprefix("(").removesuffix(")").strip()
        return rest[:1].upper() + rest[1:]

    def heading(self) -> str:
        """`18, kommentar` or `18. Läkare` style line for tables and lists."""
        return f"{self.label}. {self.shown_title}" if self.shown_title else self.label


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Questionnaire:
    year: int
    title: str
    parts: tuple[Part, ...]
    path: Path

    def __iter__(self) -> Iterator[Question]:
        for part in self.parts:
            for section in part.sections:
                yield from section.questions

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, qid: object) -> bool:
        return qid in self._index

    @functools.cached_property
    def _index(self) -> dict[str, Question]:
        return {q.id: q for q in self}

    def get(self, qid: str) -> Question:
        try:
            return self._index[str(qid)]
        except KeyError:
            raise NaravardError(f"enkäten {self.year} har ingen fråga {qid}") from None

    def answerable(self) -> list[Question]:
        return [q for q in self if q.answerable]

    def ids(self) -> list[str]:
        return [q.id for q in self]


def structure_path(year: int | str) -> Path:
    return paths.questionnaire_dir() / f"{int(year)}.yaml"


def available_years() -> list[int]:
    return sorted(int(p.stem) for p in paths.questionnaire_dir().glob("*.yaml") if p.stem.isdigit())


def read_yaml(path: Path) -> Any:
    """YAML with one-line Swedish errors that point at the line (naravard.core.safe_yaml)."""
    return safe_yaml.load_file(path)


def load_structure(year: int | str, path: Path | None = None) -> Questionnaire:
    """The form for `year`; raises NaravardError naming the years that do exist."""
    try:
        year_int = int(year)
    except (TypeError, ValueError):
        raise NaravardError(f"året {year!r} är inte ett årtal; skriv till exempel 2024") from None
    path = Path(path) if path else structure_path(year_int)
    if not path.is_file():
        years = ", ".join(map(str, available_years())) or "inga"
        raise NaravardError(
            f"{path}: naravard har ingen enkätstruktur för {year_int} (finns för: {years})"
        )
    return _load_cached(path.resolve(), path.stat().st_mtime_ns, year_int)


@functools.lru_cache(maxsize=16)
def _load_cached(path: Path, _mtime: int, year: int) -> Questionnaire:
    return parse_structure(read_yaml(path), path, year)


def parse_structure(raw: Any, path: Path, year: int | None = None) -> Questionnaire:
    if not isinstance(raw, dict) or "parts" not in raw:
        raise NaravardError(f"{path}: enkätstrukturen saknar nyckeln parts")
    file_year = raw.get("year")
    if not isinstance(file_year, int) or (year is not None and file_year != year):
        raise NaravardError(f"{path}: year är {file_year!r} men ska vara {year}")
    parts: list[Part] = []
    seen: dict[str, Question] = {}
    for p in raw["parts"] or []:
        sections = []
        for s in p.get("sections") or []:
            questions = []
            for q in s.get("questions") or []:
                question = _question(q, path, p["id"], s["id"])
                if question.id in seen:
                    raise NaravardError(f"{path}: fråga {question.id} finns två gånger")
                seen[question.id] = question
                questions.append(question)
            sections.append(Section(str(s["id"]), str(s["title"]), tuple(questions)))
        parts.append(Part(str(p["id"]), str(p["title"]), tuple(sections)))
    for q in seen.values():
        refs = [r for r in (q.parent, q.only_if.question if q.only_if else None) if r]
        for ref in refs:
            if ref not in seen:
                raise NaravardError(f"{path}: fråga {q.id} hänvisar till fråga {ref} som saknas")
    return Questionnaire(file_year, str(raw.get("title", "")), tuple(parts), path)


def _question(q: Any, path: Path, part: str, section: str) -> Question:
    if not isinstance(q, dict) or "id" not in q:
        raise NaravardError(f"{path}: en fråga i avsnittet {section} saknar id")
    qid = str(q["id"])
    where = f"{path}: fråga {qid}"
    unknown = set(q) - _QUESTION_KEYS
    if unknown:
        raise NaravardError(f"{where}: okänt fält {sorted(unknown)[0]}")
    qtype = q.get("type")
    if qtype not in TYPES:
        raise NaravardError(f"{where}: type {qtype!r} finns inte; välj en av {', '.join(TYPES)}")
    area = q.get("area")
    if area not in AREA_KEYS:
        raise NaravardError(f"{where}: area {area!r} finns inte; välj en av {', '.join(AREA_KEYS)}")
    if not q.get("title"):
        raise NaravardError(f"{where}: title saknas")
    choices: tuple[str, ...] = ()
    if qtype in (*SINGLE_CHOICE, "grid"):
        choices = tuple(str(c) for c in (q.get("choices") or DEFAULT_CHOICES[qtype]))
    rows = tuple(_item(r, where) for r in q.get("rows") or [])
    options = tuple(_item(o, where) for o in q.get("options") or [])
    if qtype == "grid" and not rows:
        raise NaravardError(f"{where}: en grid behöver rows")
    if qtype == "checkboxes" and not options:
        raise NaravardError(f"{where}: checkboxes behöver options")
    unit = q.get("unit")
    if qtype == "number" and unit not in NUMBER_UNITS:
        raise NaravardError(f"{where}: unit {unit!r} ska vara en av {', '.join(NUMBER_UNITS)}")
    only_if = None
    if q.get("only_if"):
        c = q["only_if"]
        only_if = Condition(
            str(c["question"]), str(c["answer"]), str(c["row"]) if c.get("row") else None
        )
    related = tuple(str(i) for i in q.get("related_indicators") or [])
    return Question(
        id=qid,
        type=qtype,
        title=str(q["title"]).strip(),
        area=area,
        part=str(part),
        section=str(section),
        label=str(q.get("label") or qid),
        parent=str(q["parent"]) if q.get("parent") else None,
        only_if=only_if,
        optional=bool(q.get("optional", False)),
        choices=choices,
        rows=rows,
        options=options,
        unit=unit,
        min=_num(q.get("min")),
        max=_num(q.get("max")),
        not_available=q.get("not_available"),
        note=q.get("note"),
        related_indicators=related,
    )


def _item(raw: Any, where: str) -> Item:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("label"):
        raise NaravardError(f"{where}: varje rad och alternativ behöver id och label")
    return Item(
        str(raw["id"]),
        str(raw["label"]),
        bool(raw.get("other", False)),
        bool(raw.get("exclusive", False)),
    )


def _num(x: Any) -> float | None:
    return None if x is None else float(x)
