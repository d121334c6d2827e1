"""Answers as words: accessible HTML for the report and a flat table for export.

Every choice is written out ("Ja", "☒ Läkare (valt)"), never shown as a symbol alone, and every
piece of text that came from an answer file is HTML-escaped.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from naravard.report.questionnaire.answers import Answer, Answers, is_answered, is_expected
from naravard.report.questionnaire.structure import SINGLE_CHOICE, Question, Questionnaire
from naravard.wording.text import fmt_value, unit_suffix
from naravard.wording import templating

UNANSWERED = "Obesvarad"
NOT_EXPECTED = "Besvaras inte (villkoret för följdfrågan är inte uppfyllt)"
TABLE_COLUMNS = [
    "del",
    "avsnitt",
    "fråga",
    "rubrik",
    "typ",
    "område",
    "rad",
    "svar",
    "beskrivning",
    "kommentar",
    "källa",
]


def fmt_answer_number(q: Question, value: float) -> str:
    """46 → `46 %`, 140441 → `140 441` (Swedish digit grouping, decimal comma)."""
    text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
    text = text.replace(",", "\u00a0").replace(".", ",")
    return text + unit_suffix(q.unit or "")


def answer_text(q: Question, a: Answer | None) -> str:
    """The whole answer as one plain line (grids and boxes joined), for tables and overviews."""
    if a is None or (not is_answered(q, a) and not _partly(q, a)):
        return UNANSWERED
    if q.type in SINGLE_CHOICE:
        return a.value
    if q.type == "grid":
        return "; ".join(f"{r.label}: {a.value.get(r.id) or UNANSWERED.lower()}" for r in q.rows)
    if q.type == "checkboxes":
        parts = ["Valda: " + (", ".join(_option_label(q, o, a) for o in a.value) or "inga")]
        if a.unclear:
            parts.append("oklart om valt: " + ", ".join(q.item(o).label for o in a.unclear))
        return "; ".join(parts)
    if q.type == "number":
        return q.not_available if a.not_available else fmt_answer_number(q, a.value)
    return a.value


def _partly(q: Question, a: Answer | None) -> bool:
    return (
        q.type == "grid"
        and a is not None
        and isinstance(a.value, dict)
        and any(v is not None for v in a.value.values())
    )


def _option_label(q: Question, option_id: str, a: Answer) -> str:
    opt = q.item(option_id)
    return f"{opt.label}: {a.other}" if opt.other and a.other else opt.label


# --- HTML --------------------------------------------------------------------------------------


def _paragraphs(text: str | None) -> list[str]:
    """Blank-line separated paragraphs, each on one line (the answer files wrap at 100)."""
    if not text:
        return []
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [" ".join(b.split()) for b in blocks]


def _select(
    structure: Questionnaire, area: str | None, questions: list[str] | None
) -> list[Question]:
    wanted = {str(q) for q in questions} if questions is not None else None
    chosen = []
    for q in structure:
        if area is not None and q.area != area:
            continue
        if wanted is not None and q.id not in wanted:
            continue
        chosen.append(q)
    return chosen


def _unanswered_text(q: Question, answers: Answers) -> str:
    return NOT_EXPECTED if q.only_if and not is_expected(q, answers) else UNANSWERED


def _checkbox_lines(q: Question, a: Answer) -> tuple[str, list[str]]:
    """ "Valt: A, B" and the lines for what was not chosen or is unclear — each option once."""
    chosen = [_option_label(q, o, a) for o in a.value]
    unclear = [q.item(o).label for o in a.unclear]
    rest = [o.label for o in q.options if o.id not in a.value and o.id not in a.unclear]
    lines = []
    if unclear:
        lines.append("Oklart om valt: " + ", ".join(unclear))
    if rest:
        lines.append("Inte valt: " + ", ".join(rest))
    return "Valt: " + (", ".join(chosen) or "inget alternativ"), lines


def _closed_item(
    q: Question, a: Answer | None, answers: Answers, indicator_table: pd.DataFrame | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": q.id,
        "label": q.label,
        "title": q.shown_title,
        "sub": bool(q.parent),
        "grid": None,
        "strong": False,
        "lines": [],
        "details": _paragraphs(a.details) if a else [],
        "related": _related_values(q, indicator_table),
    }
    if a is None or not (is_answered(q, a) or _partly(q, a)):
        item["answer"] = _unanswered_text(q, answers)
    elif q.type == "grid":
        item["grid"] = [(r.label, a.value.get(r.id) or UNANSWERED) for r in q.rows]
    elif q.type == "checkboxes":
        item["answer"], item["lines"] = _checkbox_lines(q, a)
    elif q.type == "number":
        item["answer"] = q.not_available if a.not_available else fmt_answer_number(q, a.value)
        item["strong"] = True
        if a.source:
            item["lines"].append(f"Källa: {a.source}")
    else:
        item["answer"], item["strong"] = a.value, True
    return item


def _text_item(
    q: Question, a: Answer | None, answers: Answers, indicator_table: pd.DataFrame | None
) -> dict[str, Any]:
    answered = a is not None and is_answered(q, a)
    return {
        "id": q.id,
        "label": q.label,
        "title": q.shown_title,
        "sub": bool(q.parent),
        "paragraphs": _paragraphs(a.value) if answered else [],
        "unanswered": "" if answered else _unanswered_text(q, answers),
        "details": _paragraphs(a.details) if a else [],
        "related": _related_values(q, indicator_table),
    }


# Sentences in an answer file's `comment` that are notes for whoever transcribed the form
# ("Svaret framgår av rubriken.", "tolkat som Ja", line references): they stay in the file.
_WORKING_NOTE = re.compile(
    r"framgår av (rubriken|texten)|tolkat som|ingen kryssruta|inte kryssade|^\s*$", re.I
)
_LINE_REF = re.compile(r"\s*\(L\d+(?:[-–]\d+)?\)")


def interpretations(structure: Questionnaire, answers: Answers) -> list[str]:
    """The appendix's "Tolkningar": what a reader needs to know about how answers were read.

    Answers read from the region's headings or text (no ticked box) are named once in one
    line; the rest of each comment is kept, without the transcriber's working notes.
    """
    from_text: list[str] = []
    lines: list[str] = []
    for q in structure.answerable():
        a = answers.get(q.id)
        if a is None or not a.comment:
            continue
        kept = []
        for part in re.split(r"(?<=[.;])\s+", " ".join(a.comment.split())):
            part = _LINE_REF.sub("", part).strip().rstrip(";.").strip()
            if _WORKING_NOTE.search(part):
                if q.label not in from_text:
                    from_text.append(q.label)
                continue
            if part:
                kept.append(part[0].upper() + part[1:])
        if kept:
            lines.append(f"Fråga {q.label}: " + ". ".join(kept) + ".")
    if from_text:
        lines.insert(
            0,
            "Svaren på "
            + ("fråga " if len(from_text) == 1 else "frågorna ")
            + _join(from_text)
            + " är utlästa ur regionens rubriker och text, "
            "där formulärets kryssrutor inte användes.",
        )
    return lines


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _related_values(q: Question, indicator_table: pd.DataFrame | None) -> list[str]:
    if indicator_table is None or not q.related_indicators or indicator_table.empty:
        return []
    table = (
        indicator_table.set_index("indicator_id")
        if "indicator_id" in indicator_table
        else indicator_table
    )
    items = []
    for ind in q.related_indicators:
        if ind not in table.index:
            continue
        row = table.loc[ind]
        if pd.isna(row.get("value")):
            continue  # an empty line per missing figure is noise beside a written answer
        items.append(f"{row.get('name', ind)} {_indicator_value(row)}")
    return items


def _indicator_value(row: Any) -> str:
    value = row.get("value")
    try:
        text = fmt_value(value, str(row.get("unit", "")), int(row.get("decimals", 1)))
    except Exception:  # formatting is a nicety; never lose the answer section over it
        text = f"{value}"
    year = row.get("year")
    return f"{text} ({int(year)})" if year is not None and not pd.isna(year) else text


def answers_html(
    structure: Questionnaire,
    answers: Answers,
    *,
    area: str | None = None,
    questions: list[str] | None = None,
    indicator_table: pd.DataFrame | None = None,
    heading_level: int = 2,
    show_interpretations: bool = True,
) -> str:
    """The answers grouped by part: closed answers as one compact table per part, each
    free-text answer once after it, and a short "Tolkningar" list; "" when nothing matches.

    `area` or `questions` select a subset; `indicator_table` (indicators.indicator_table)
    adds the related indicators' values in one line under a question.
    """
    chosen = _select(structure, area, questions)
    if not chosen:
        return ""
    chosen_ids = {q.id for q in chosen}
    parts = []
    for part in structure.parts:
        qs = [q for s in part.sections for q in s.questions if q.id in chosen_ids and q.answerable]
        if not qs:
            continue
        closed = [
            _closed_item(q, answers.get(q.id), answers, indicator_table)
            for q in qs
            if q.type != "text"
        ]
        texts = [
            _text_item(q, answers.get(q.id), answers, indicator_table)
            for q in qs
            if q.type == "text"
        ]
        # an unanswered free-text field says nothing: it is left out, not printed "Obesvarad"
        texts = [t for t in texts if t["paragraphs"] or t["details"]]
        parts.append({"title": part.title, "closed": closed, "texts": texts})
    return templating.render(
        "questionnaire/answers.html.j2",
        source=answers.source or "",
        parts=parts,
        h=min(4, heading_level),
        interpretations=interpretations(structure, answers)
        if show_interpretations and questions is None and area is None
        else [],
    )


# --- flat table --------------------------------------------------------------------------------


def answers_table(structure: Questionnaire, answers: Answers) -> pd.DataFrame:
    """One row per answer cell (grid rows and checkbox options get their own rows)."""
    records: list[dict[str, Any]] = []
    parts = {p.id: p.title for p in structure.parts}
    sections = {s.id: s.title for p in structure.parts for s in p.sections}
    for q in structure.answerable():
        a = answers.get(q.id)
        base = {
            "del": parts[q.part],
            "avsnitt": sections[q.section],
            "fråga": q.id,
            "rubrik": q.title,
            "typ": q.type,
            "område": q.area,
            "beskrivning": (a.details if a else None) or "",
            "kommentar": (a.comment if a else None) or "",
            "källa": (a.source if a else None) or "",
        }
        if q.type == "grid":
            values = a.value if a and isinstance(a.value, dict) else {}
            for r in q.rows:
                records.append(base | {"rad": r.label, "svar": values.get(r.id) or UNANSWERED})
        elif q.type == "checkboxes":
            if a is None or not is_answered(q, a):
                records.append(base | {"rad": "", "svar": UNANSWERED})
                continue
            for o in q.options:
                state = (
                    "valt" if o.id in a.value else ("oklart" if o.id in a.unclear else "inte valt")
                )
                label = (
                    f"{o.label}: {a.other}" if o.other and a.other and o.id in a.value else o.label
                )
                records.append(base | {"rad": label, "svar": state})
        else:
            records.append(base | {"rad": "", "svar": answer_text(q, a)})
    return pd.DataFrame.from_records(records, columns=TABLE_COLUMNS)
