"""How the regions answered the choice questions, side by side, for the national report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from naravard.report.questionnaire.answers import Answers, is_answered, load_answers
from naravard.report.questionnaire.structure import (
    SINGLE_CHOICE,
    Question,
    Questionnaire,
    load_structure,
)
from naravard.config.regions import all_regions, get_region

NO_FILE = "–"
UNANSWERED = "obesvarad"
UNCLEAR = "oklart"
COUNT_COLUMNS = ["Ja", "Nej", "Delvis", "annat svar", "obesvarad", "ingen svarsfil"]


def choice_columns(structure: Questionnaire) -> dict[str, str]:
    """Column key → readable label, for every single choice, grid row and checkbox option."""
    cols: dict[str, str] = {}
    for q in structure.answerable():
        if q.type in SINGLE_CHOICE:
            cols[q.id] = f"{q.label}. {q.title}"
        elif q.type == "grid":
            for r in q.rows:
                cols[f"{q.id}:{r.id}"] = f"{q.label}. {q.title}: {r.label}"
        elif q.type == "checkboxes":
            for o in q.options:
                cols[f"{q.id}:{o.id}"] = f"{q.label}. {q.title}: {o.label}"
    return cols


def _cells(q: Question, answers: Answers) -> dict[str, str]:
    a = answers.get(q.id)
    if q.type in SINGLE_CHOICE:
        return {q.id: a.value if a is not None and a.value is not None else UNANSWERED}
    if q.type == "grid":
        values = a.value if a is not None and isinstance(a.value, dict) else {}
        return {f"{q.id}:{r.id}": values.get(r.id) or UNANSWERED for r in q.rows}
    if q.type == "checkboxes":
        answered = a is not None and is_answered(q, a)
        out = {}
        for o in q.options:
            if not answered:
                out[f"{q.id}:{o.id}"] = UNANSWERED
            elif o.id in a.unclear:
                out[f"{q.id}:{o.id}"] = UNCLEAR
            else:
                out[f"{q.id}:{o.id}"] = "Ja" if o.id in a.value else "Nej"
        return out
    return {}


def national_overview(
    year: int | str, regions: Iterable[str] | None = None, *, answers_dir: Path | str | None = None
) -> pd.DataFrame:
    """Regions (rows, by name) × choice questions (columns) with the answer in words.

    A region without an answer file gets "–" in every column; a question left open in a file
    gets "obesvarad"; a checkbox option reads "Ja" when ticked and "Nej" when not.
    `attrs["labels"]` maps each column key ("8:samverkan") to its readable label.
    """
    structure = load_structure(year)
    chosen = [get_region(r) for r in regions] if regions is not None else all_regions()
    columns = choice_columns(structure)
    rows = {}
    for region in chosen:
        answers = load_answers(
            region.slug, structure.year, answers_dir=answers_dir, structure=structure
        )
        if answers is None:
            rows[region.name] = {c: NO_FILE for c in columns}
            continue
        cells: dict[str, str] = {}
        for q in structure.answerable():
            cells.update(_cells(q, answers))
        rows[region.name] = cells
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(columns), dtype=object)
    frame.index.name = "region"
    frame.attrs["labels"] = columns
    frame.attrs["year"] = structure.year
    return frame


def national_counts(overview: pd.DataFrame) -> pd.DataFrame:
    """Per column of the overview: how many regions answered Ja, Nej, Delvis, something else,
    left it open (or unreadable), or have no answer file."""
    labels = overview.attrs.get("labels", {})
    records = []
    for col in overview.columns:
        values = overview[col].tolist()
        counts = dict.fromkeys(COUNT_COLUMNS, 0)
        for v in values:
            if v in ("Ja", "Nej", "Delvis"):
                counts[v] += 1
            elif v == NO_FILE:
                counts["ingen svarsfil"] += 1
            elif v in (UNANSWERED, UNCLEAR, None) or (isinstance(v, float) and pd.isna(v)):
                counts["obesvarad"] += 1
            else:
                counts["annat svar"] += 1
        records.append({"fråga": col, "rubrik": labels.get(col, col)} | counts)
    frame = pd.DataFrame.from_records(records, columns=["fråga", "rubrik", *COUNT_COLUMNS])
    return frame.set_index("fråga")
