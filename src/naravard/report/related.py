"""The questionnaire's questions that concern an indicator, named beside it in the report."""

from __future__ import annotations

from typing import Any

from naravard.report import questionnaire as q
from naravard.wording import templating


def related_questions(rep: Any, indicator_ids: list[str]) -> list[dict[str, str]]:
    """The questions in the appendix that concern these indicators: id, label and, for a
    closed question, its short answer ("Ja", "46 %"); free text is read in the appendix."""
    if rep.answers is None or rep.structure is None:
        return []
    wanted = set(indicator_ids)
    out = []
    for qu in rep.structure:
        if not (wanted & set(qu.related_indicators)) or not qu.answerable:
            continue
        answer = rep.answers.get(qu.id)
        short = ""
        if qu.type not in ("text", "grid", "checkboxes"):
            short = q.answer_text(qu, answer)
            short = "" if len(short) > 20 else short
        out.append({"id": qu.id, "label": qu.label, "short": short})
    return out


def related_answers_html(rep: Any, indicator_ids: list[str]) -> str:
    """One line beside an indicator: the related questions in the appendix, or ""."""
    related = related_questions(rep, indicator_ids)
    if not related:
        return ""
    return templating.render("region/related.html.j2", related=related)
