"""Answers as words: accessible HTML for the report and a flat table for export.

Every choice is written out ("Ja", "☒ Läkare (valt)"), never shown as a symbol alone, and every
piece of text that came from an answer file is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from naravard.questionnaire.answers import Answer, Answers, is_answered, is_expected
from naravard.questionnaire.structure import SINGLE_CHOICE, Question, Questionnaire

UNANSWERED = "Obesvarad"
NOT_EXPECTED = "Besvaras inte (villkoret för följdfrågan är inte uppfyllt)"
TABLE_COLUMNS = ["del", "avsnitt", "fråga", "rubrik", "typ", "område", "rad", "svar",
                 "beskrivning", "kommentar", "källa"]


def fmt_answer_number(q: Question, value: float) -> str:
    """46 → `46 %`, 140441 → `140 441` (Swedish digit grouping, decimal comma)."""
    text = f"{value:,.1f}" if value % 1 else f"{value:,.0f}"
    text = text.replace(",", "\u00a0").replace(".", ",")
    return text + ("\u00a0%" if q.unit == "procent" else "")


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
    return (q.type == "grid" and a is not None and isinstance(a.value, dict)
            and any(v is not None for v in a.value.values()))


def _option_label(q: Question, option_id: str, a: Answer) -> str:
    opt = q.item(option_id)
    return f"{opt.label}: {a.other}" if opt.other and a.other else opt.label


# --- HTML --------------------------------------------------------------------------------------

def _paragraphs(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(f"<p{attr}>{escape(' '.join(b.split()))}</p>" for b in blocks)


def _select(structure: Questionnaire, area: str | None,
            questions: list[str] | None) -> list[Question]:
    wanted = {str(q) for q in questions} if questions is not None else None
    chosen = []
    for q in structure:
        if area is not None and q.area != area:
            continue
        if wanted is not None and q.id not in wanted:
            continue
        chosen.append(q)
    return chosen


def _answer_html(q: Question, a: Answer | None, answers: Answers) -> str:
    if a is None or not (is_answered(q, a) or _partly(q, a)):
        text = NOT_EXPECTED if q.only_if and not is_expected(q, answers) else UNANSWERED
        out = f'<p class="q-answer q-unanswered"><span class="q-label">Svar:</span> {text}</p>'
        return out + _notes_html(a)
    if q.type in SINGLE_CHOICE:
        out = (f'<p class="q-answer"><span class="q-label">Svar:</span> '
               f"<strong>{escape(a.value)}</strong></p>")
    elif q.type == "grid":
        rows = "".join(
            f'<tr><th scope="row">{escape(r.label)}</th>'
            f"<td>{escape(a.value.get(r.id) or UNANSWERED)}</td></tr>" for r in q.rows)
        out = (f'<table class="q-grid"><caption>Svar på fråga {escape(q.label)}: '
               f"{escape(q.title)}</caption><thead><tr><th scope=\"col\">Del av frågan</th>"
               f'<th scope="col">Svar</th></tr></thead><tbody>{rows}</tbody></table>')
    elif q.type == "checkboxes":
        items = []
        for o in q.options:
            label = escape(o.label)
            if o.id in a.value:
                if o.other and a.other:
                    label += ": " + escape(a.other)
                items.append(f'<li class="q-checked"><span aria-hidden="true">☒</span> '
                             f"{label} (valt)</li>")
            elif o.id in a.unclear:
                items.append(f'<li class="q-unclear"><span aria-hidden="true">?</span> '
                             f"{label} (oklart om valt)</li>")
            else:
                items.append(f'<li class="q-unchecked"><span aria-hidden="true">☐</span> '
                             f"{label} (inte valt)</li>")
        chosen = ", ".join(escape(q.item(o).label) for o in a.value) or "inga"
        out = (f'<p class="q-answer"><span class="q-label">Valda:</span> {chosen}</p>'
               f'<ul class="q-options" aria-label="Alternativ i fråga {escape(q.label)}">'
               + "".join(items) + "</ul>")
    elif q.type == "number":
        value = q.not_available if a.not_available else fmt_answer_number(q, a.value)
        out = (f'<p class="q-answer"><span class="q-label">Svar:</span> '
               f"<strong>{escape(value)}</strong></p>")
        if a.source:
            out += f'<p class="q-source">Källa: {escape(a.source)}</p>'
    else:
        out = f'<div class="q-text">{_paragraphs(a.value)}</div>'
    return out + _notes_html(a)


def _notes_html(a: Answer | None) -> str:
    if a is None:
        return ""
    out = ""
    if a.details:
        out += f'<div class="q-details">{_paragraphs(a.details)}</div>'
    if a.comment:
        out += (f'<p class="q-comment"><span class="q-label">Anmärkning:</span> '
                f"{escape(' '.join(a.comment.split()))}</p>")
    return out


def _related_html(q: Question, indicator_table: pd.DataFrame | None) -> str:
    if indicator_table is None or not q.related_indicators or indicator_table.empty:
        return ""
    table = indicator_table.set_index("indicator_id") if "indicator_id" in indicator_table \
        else indicator_table
    items = []
    for ind in q.related_indicators:
        if ind not in table.index:
            continue
        row = table.loc[ind]
        if pd.isna(row.get("value")):
            continue  # an empty line per missing figure is noise beside a written answer
        items.append(f"<li>{escape(str(row.get('name', ind)))}: {escape(_indicator_value(row))}"
                     "</li>")
    if not items:
        return ""
    return ('<div class="q-related"><p class="q-label">Indikatorer som mäter samma sak:</p>'
            f"<ul>{''.join(items)}</ul></div>")


def _indicator_value(row: Any) -> str:
    value = row.get("value")
    try:
        from naravard.text import fmt_value

        text = fmt_value(value, str(row.get("unit", "")), int(row.get("decimals", 1)))
    except Exception:  # formatting is a nicety; never lose the answer section over it
        text = f"{value}"
    year = row.get("year")
    return f"{text} ({int(year)})" if year is not None and not pd.isna(year) else text


def answers_html(structure: Questionnaire, answers: Answers, *, area: str | None = None,
                 questions: list[str] | None = None,
                 indicator_table: pd.DataFrame | None = None, heading_level: int = 2) -> str:
    """The answers grouped by part and section; empty string when no question matches.

    `area` or `questions` select a subset (to place answers beside an area's indicators);
    `indicator_table` (indicators.indicator_table) adds the related indicators' values.
    """
    chosen = _select(structure, area, questions)
    if not chosen:
        return ""
    chosen_ids = {q.id for q in chosen}
    h = [min(6, heading_level + i) for i in range(3)]
    out = ['<div class="questionnaire">']
    if answers.source:
        out.append(f'<p class="q-source">Svaren kommer från: {escape(answers.source)}.</p>')
    for part in structure.parts:
        part_qs = [q for s in part.sections for q in s.questions if q.id in chosen_ids]
        if not part_qs:
            continue
        out.append(f"<h{h[0]}>{escape(part.title)}</h{h[0]}>")
        for section in part.sections:
            qs = [q for q in section.questions if q.id in chosen_ids]
            if not qs:
                continue
            out.append(f'<section class="q-section"><h{h[1]}>{escape(section.title)}</h{h[1]}>')
            for q in qs:
                cls = "q-item q-sub" if q.parent else "q-item"
                out.append(f'<div class="{cls}" id="fraga-{escape(q.id)}">'
                           f"<h{h[2]}>Fråga {escape(q.label)}. {escape(q.title)}</h{h[2]}>")
                if q.answerable:
                    if q.note:
                        out.append(f'<p class="q-note">{escape(q.note)}</p>')
                    out.append(_answer_html(q, answers.get(q.id), answers))
                    out.append(_related_html(q, indicator_table))
                out.append("</div>")
            out.append("</section>")
    out.append("</div>")
    return "".join(out)


# --- flat table --------------------------------------------------------------------------------

def answers_table(structure: Questionnaire, answers: Answers) -> pd.DataFrame:
    """One row per answer cell (grid rows and checkbox options get their own rows)."""
    records: list[dict[str, Any]] = []
    parts = {p.id: p.title for p in structure.parts}
    sections = {s.id: s.title for p in structure.parts for s in p.sections}
    for q in structure.answerable():
        a = answers.get(q.id)
        base = {"del": parts[q.part], "avsnitt": sections[q.section], "fråga": q.id,
                "rubrik": q.title, "typ": q.type, "område": q.area,
                "beskrivning": (a.details if a else None) or "",
                "kommentar": (a.comment if a else None) or "",
                "källa": (a.source if a else None) or ""}
        if q.type == "grid":
            values = a.value if a and isinstance(a.value, dict) else {}
            for r in q.rows:
                records.append(base | {"rad": r.label, "svar": values.get(r.id) or UNANSWERED})
        elif q.type == "checkboxes":
            if a is None or not is_answered(q, a):
                records.append(base | {"rad": "", "svar": UNANSWERED})
                continue
            for o in q.options:
                state = "valt" if o.id in a.value else (
                    "oklart" if o.id in a.unclear else "inte valt")
                label = f"{o.label}: {a.other}" if o.other and a.other and o.id in a.value \
                    else o.label
                records.append(base | {"rad": label, "svar": state})
        else:
            records.append(base | {"rad": "", "svar": answer_text(q, a)})
    return pd.DataFrame.from_records(records, columns=TABLE_COLUMNS)
