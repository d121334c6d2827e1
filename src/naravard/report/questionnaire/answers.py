"""A region's answers: data/questionnaire/answers/<slug>/<year>.yaml, checked against the form.

Answers are typed so that the report can say "Ja" or list the ticked boxes, and so that a typo
("Jaa", a grid row that is not in the form, "46 %" for a number) is caught when the file is
written, with a one-line message naming file, question and field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
import difflib

from naravard.core import paths
from naravard.core.errors import NaravardError
from naravard.core.limits import check_length, printable
from naravard.report.questionnaire.structure import (
    SINGLE_CHOICE,
    Question,
    Questionnaire,
    load_structure,
    read_yaml,
)
from naravard.config.regions import by_slug, get_region
from naravard.core.errors import excerpt

TOP_KEYS = ("region", "year", "source", "answers")
_COMMON_FIELDS = ("answer", "comment")
_FIELDS = {
    "text": _COMMON_FIELDS,
    "yes_no": (*_COMMON_FIELDS, "details"),
    "yes_no_partly": (*_COMMON_FIELDS, "details"),
    "grid": (*_COMMON_FIELDS, "details"),
    "checkboxes": (*_COMMON_FIELDS, "details", "other", "unclear"),
    "number": (*_COMMON_FIELDS, "details", "not_available", "source"),
}
TYPE_WORDS = {
    "yes_no": "ett av valen",
    "yes_no_partly": "ett av valen",
    "grid": "en rad per fråga (rad: val)",
    "checkboxes": "en lista med alternativ",
    "number": "ett tal",
    "text": "en text",
}


@dataclass(frozen=True)
class Answer:
    """One question's answer. `value` depends on the question type:

    yes_no/yes_no_partly: the choice ("Ja") or None; grid: {row id: choice or None};
    checkboxes: tuple of ticked option ids; number: float or None; text: str or None.
    """

    question: str
    value: Any = None
    details: str | None = None  # the region's own elaboration of a choice or number
    comment: str | None = None  # a note on the answer itself (how it was read, uncertainty)
    other: str | None = None  # checkboxes: the "ange vad" text of the `other` option
    unclear: tuple[str, ...] = ()  # checkboxes: options whose box cannot be read
    not_available: bool = False  # number: "kan inte anges"
    source: str | None = None  # number: where the figure comes from


@dataclass(frozen=True)
class Answers:
    region: str  # slug, "orebro-lan"
    year: int
    answers: dict[str, Answer] = field(default_factory=dict)
    path: Path | None = None
    source: str | None = None  # the document the answers were taken from

    def get(self, qid: str) -> Answer | None:
        return self.answers.get(str(qid))

    @property
    def region_name(self) -> str:
        return by_slug(self.region).name if _slug_known(self.region) else self.region


def _slug_known(slug: str) -> bool:
    try:
        by_slug(slug)
        return True
    except (NaravardError, KeyError, LookupError):
        return False


# --- paths -------------------------------------------------------------------------------------


def answers_root() -> Path:
    return paths.questionnaire_dir() / "answers"


def questionnaire_root() -> Path:
    """Every questionnaire input (structures and answers); pipeline hashes it into manifests."""
    return paths.questionnaire_dir()


def answers_path(region: str, year: int | str, answers_dir: Path | str | None = None) -> Path:
    slug = get_region(region).slug
    return Path(answers_dir or answers_root()) / slug / f"{int(year)}.yaml"


def show(path: Path | str | None) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    if path is None:
        return "<svar>"
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# --- answered or not -------------------------------------------------------------------------


def is_answered(question: Question, answer: Answer | None) -> bool:
    if answer is None or not question.answerable:
        return False
    v = answer.value
    if question.type == "grid":
        return isinstance(v, dict) and all(v.get(r.id) is not None for r in question.rows)
    if question.type == "checkboxes":
        return bool(v) or bool(answer.unclear)
    if question.type == "number":
        return v is not None or answer.not_available
    if question.type == "text":
        return isinstance(v, str) and bool(v.strip())
    return v is not None


def is_expected(question: Question, answers: Answers) -> bool:
    """False for headings, optional comments and follow-ups whose condition was not met."""
    if not question.answerable or question.optional:
        return False
    cond = question.only_if
    if cond is None:
        return True
    main = answers.get(cond.question)
    if main is None or main.value is None:
        return True  # main question unanswered: the follow-up is still open
    got = main.value.get(cond.row) if cond.row and isinstance(main.value, dict) else main.value
    return got is None or got == cond.answer


def unanswered(structure: Questionnaire, answers: Answers) -> list[tuple[Question, str]]:
    """Expected questions without a complete answer, with a note on what is missing."""
    out = []
    for q in structure:
        if not is_expected(q, answers):
            continue
        a = answers.get(q.id)
        if is_answered(q, a):
            continue
        note = ""
        if q.type == "grid" and a is not None and isinstance(a.value, dict):
            missing = [r.label for r in q.rows if a.value.get(r.id) is None]
            if len(missing) < len(q.rows):
                note = "rader utan svar: " + ", ".join(missing)
        out.append((q, note))
    return out


# --- validation --------------------------------------------------------------------------------


def validate_answers(
    data: Any, structure: Questionnaire | None = None, *, path: Path | str | None = None
) -> Answers:
    """Parse a loaded answer file into Answers, or raise NaravardError on the first problem.

    `path` (when the data came from a file) must agree with the content: the region folder
    and the year in the file name.
    """
    where = show(path)
    if not isinstance(data, dict):
        raise NaravardError(f"{where}: filen ska innehålla nycklarna region, year och answers")
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise NaravardError(
            f"{where}: okänd nyckel {unknown[0]!r}; tillåtna är {', '.join(TOP_KEYS)}"
        )
    for key in ("region", "year"):
        if data.get(key) in (None, ""):
            raise NaravardError(
                f"{where}: fältet {key} saknas; skriv till exempel "
                f"{'region: vasterbotten' if key == 'region' else 'year: 2024'}"
            )
    try:
        region = get_region(data["region"])
    except NaravardError as exc:
        raise NaravardError(f"{where}: fältet region: {exc}") from None
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise NaravardError(
            f"{where}: fältet year ska vara ett årtal som 2024, inte {excerpt(year)}"
        )
    if path is not None:
        _check_path(Path(path), region.slug, year, where)
    if structure is None:
        structure = load_structure(year)
    elif structure.year != year:
        raise NaravardError(
            f"{where}: filen gäller {year} men enkätstrukturen gäller {structure.year}"
        )
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, dict):
        raise NaravardError(
            f'{where}: answers ska vara en lista av frågor som "5": '
            f"{{answer: Nej}}, inte {type(raw_answers).__name__}"
        )
    parsed: dict[str, Answer] = {}
    for key, entry in raw_answers.items():
        qid = str(key)
        if qid not in structure:
            near = _near(qid, structure.ids())
            raise NaravardError(
                f"{where}: fråga {qid} finns inte i enkäten {structure.year}"
                + (f"; menade du {near}?" if near else "")
            )
        parsed[qid] = _answer(structure.get(qid), entry, f"{where}: fråga {qid}")
    source = data.get("source")
    return Answers(
        region.slug,
        year,
        parsed,
        Path(path) if path else None,
        str(source).strip() if source else None,
    )


def _near(qid: str, ids: list[str]) -> str:
    hits = difflib.get_close_matches(qid, ids, n=1, cutoff=0.5)
    return hits[0] if hits else ""


def _check_path(path: Path, slug: str, year: int, where: str) -> None:
    if path.stem.isdigit() and int(path.stem) != year:
        raise NaravardError(
            f"{where}: filnamnet säger {path.stem} men year är {year}; "
            f"byt namn på filen eller rätta year"
        )
    folder = path.parent.name
    if _slug_known(folder) and folder != slug:
        raise NaravardError(
            f"{where}: mappen {folder} stämmer inte med region {slug}; "
            f"flytta filen till answers/{slug}/ eller rätta region"
        )


def _answer(q: Question, entry: Any, where: str) -> Answer:
    if not q.answerable:
        subs = f"; svara på {q.id}a–{q.id}d" if q.id == "1" else ""
        raise NaravardError(f"{where}: frågan är en rubrik utan eget svar{subs}")
    if not isinstance(entry, dict):
        entry = {"answer": entry}
    allowed = _FIELDS[q.type]
    for key in entry:
        if key not in allowed:
            raise NaravardError(
                f"{where}: okänt fält {excerpt(key)}; tillåtna fält för typen "
                f"{q.type} är {', '.join(allowed)}"
            )
    text_fields = {
        k: _text(entry.get(k), f"{where}, fältet {k}")
        for k in ("comment", "details", "other", "source")
        if k in allowed
    }
    value = entry.get("answer")
    kwargs: dict[str, Any] = {}
    if q.type == "text":
        value = _text(value, f"{where}, fältet answer")
    elif q.type in SINGLE_CHOICE:
        value = _choice(value, q.choices, f"{where}, fältet answer")
    elif q.type == "grid":
        value = _grid(q, value, f"{where}, fältet answer")
    elif q.type == "checkboxes":
        value = _checkboxes(q, value, f"{where}, fältet answer")
        unclear = _checkboxes(q, entry.get("unclear"), f"{where}, fältet unclear")
        both = [o for o in unclear if o in value]
        if both:
            raise NaravardError(
                f"{where}, fältet unclear: {both[0]} står både som valt och "
                f"oklart; ta bort det från en av listorna"
            )
        kwargs["unclear"] = unclear
        chosen_other = [o.id for o in q.options if o.other and o.id in value]
        if text_fields.get("other") and not chosen_other:
            names = ", ".join(o.id for o in q.options if o.other)
            raise NaravardError(
                f"{where}, fältet other: texten kräver att alternativet {names} är valt i answer"
            )
        exclusive = [o.id for o in q.options if o.exclusive and o.id in value]
        if exclusive and len(value) > 1:
            raise NaravardError(
                f"{where}, fältet answer: {exclusive[0]} (inga insatser) kan "
                f"inte kombineras med andra alternativ"
            )
    elif q.type == "number":
        value = _number(q, value, f"{where}, fältet answer")
        na = entry.get("not_available", False)
        if na is None:
            na = False
        if not isinstance(na, bool):
            raise NaravardError(
                f"{where}, fältet not_available: skriv true eller false, inte {excerpt(na)}"
            )
        if na and value is not None:
            raise NaravardError(
                f"{where}: både ett tal och not_available: true; ta bort det "
                f'ena ("{q.not_available}" betyder att inget tal lämnas)'
            )
        kwargs["not_available"] = na
    return Answer(
        q.id,
        value,
        details=text_fields.get("details"),
        comment=text_fields.get("comment"),
        other=text_fields.get("other"),
        source=text_fields.get("source"),
        **kwargs,
    )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"sanningsvärdet {value} (skriv Ja/Nej inom citattecken)"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en tabell med underfält"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    return f"{excerpt(value)}"


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise NaravardError(f"{where}: ska vara en text, inte {_kind(value)}")
    # Line breaks inside a paragraph are only wrapping; blank lines separate paragraphs.
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(value))]
    text = "\n\n".join(p for p in paragraphs if p)
    return check_length(text, "answer", where) or None


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str | None:
    if value is None or value == "":
        return None
    allowed = ", ".join(choices)
    if not isinstance(value, str):
        raise NaravardError(f"{where}: ska vara ett av valen {allowed}, inte {_kind(value)}")
    for c in choices:
        if c.casefold() == value.strip().casefold():
            return c
    raise NaravardError(f"{where}: {excerpt(value)} finns inte bland valen; tillåtna är {allowed}")


def _grid(q: Question, value: Any, where: str) -> dict[str, str | None] | None:
    if value is None:
        return None
    rows = ", ".join(r.id for r in q.rows)
    if not isinstance(value, dict):
        raise NaravardError(
            f"{where}: ska ange varje rad ({rows}) med ett val, inte {_kind(value)}"
        )
    out: dict[str, str | None] = {}
    for key, v in value.items():
        row = _find_item(q.rows, str(key))
        if row is None:
            raise NaravardError(f"{where}: raden {excerpt(key)} finns inte; raderna är {rows}")
        out[row.id] = _choice(v, q.choices, f"{where}, raden {row.id}")
    for r in q.rows:
        if r.id not in out:
            raise NaravardError(
                f"{where}: raden {r.id} ({r.label}) saknas; lägg till "
                f'"{r.id}:" och lämna den tom om den är obesvarad'
            )
    return out


def _checkboxes(q: Question, value: Any, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    ids = ", ".join(o.id for o in q.options)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise NaravardError(
            f"{where}: ska vara en lista med alternativ ({ids}), inte {_kind(value)}"
        )
    out: list[str] = []
    for v in value:
        if not isinstance(v, str):
            raise NaravardError(
                f"{where}: alternativet {excerpt(v)} är inte en text; tillåtna är {ids}"
            )
        opt = _find_item(q.options, v)
        if opt is None:
            raise NaravardError(f"{where}: alternativet {excerpt(v)} finns inte; tillåtna är {ids}")
        if opt.id not in out:
            out.append(opt.id)
    return tuple(o.id for o in q.options if o.id in out)  # the form's order


def _find_item(items: tuple[Any, ...], key: str) -> Any:
    k = key.strip().casefold()
    for it in items:
        if it.id.casefold() == k or it.label.casefold() == k:
            return it
    return None


def _number(q: Question, value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = " (skriv talet utan enhet och med punkt som decimaltecken, t.ex. 46 eller 46.5)"
        raise NaravardError(f"{where}: ska vara ett tal, inte {_kind(value)}{hint}")
    if isinstance(value, float) and math.isnan(value):
        return None
    number = float(value)
    if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
        lo = "" if q.min is None else f"{q.min:g}"
        hi = "" if q.max is None else f"{q.max:g}"
        span = f"{lo}–{hi}" if hi else f"minst {lo}"
        unit = " procent" if q.unit == "procent" else ""
        raise NaravardError(
            f"{where}: {value:g} ligger utanför det tillåtna intervallet {span}{unit}"
        )
    return number


# --- loading and checking ------------------------------------------------------------------


def read_answers(path: Path | str, structure: Questionnaire | None = None) -> Answers:
    """One answer file, validated; the structure defaults to the file's own year."""
    path = Path(path)
    if not path.is_file():
        raise NaravardError(f"{show(path)}: filen finns inte")
    return validate_answers(read_yaml(path), structure, path=path)


def load_answers(
    region: str,
    year: int | str,
    *,
    answers_dir: Path | str | None = None,
    structure: Questionnaire | None = None,
) -> Answers | None:
    """The region's answers for `year`, or None when it has not filed any."""
    path = answers_path(region, year, answers_dir)
    if not path.is_file():
        return None
    return read_answers(path, structure)


def check_file(path: str | Path) -> int:
    """`naravard questionnaire check`: validate, then list what is still unanswered."""
    answers = read_answers(path)
    structure = load_structure(answers.year)
    missing = unanswered(structure, answers)
    expected = sum(1 for q in structure if is_expected(q, answers))
    print(
        printable(
            f"OK: {show(path)} ({answers.region_name}, {answers.year}) följer enkätens struktur."
        )
    )
    if not missing:
        print(f"Alla {expected} frågor är besvarade.")
        return 0
    print(f"Obesvarade frågor ({len(missing)} av {expected}):")
    for q, note in missing:
        print(printable(f"  {q.label}. {q.title}" + (f" ({note})" if note else "")))
    return 0
