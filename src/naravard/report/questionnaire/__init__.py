"""Socialstyrelsen's questionnaire on god och nära vård: structure, answers, validation, output.

structure.py  the form per year (data/questionnaire/<year>.yaml)
answers.py    a region's answers (data/questionnaire/answers/<slug>/<year>.yaml), validation, check
template.py   an empty answer file to fill in
render.py     answers as accessible HTML and as a flat table
national.py   all regions' choice answers side by side, and counts per question
"""

from naravard.report.questionnaire.answers import (
    Answer,
    Answers,
    answers_path,
    answers_root,
    check_file,
    is_answered,
    is_expected,
    load_answers,
    questionnaire_root,
    read_answers,
    unanswered,
    validate_answers,
)
from naravard.report.questionnaire.national import (
    choice_columns,
    national_counts,
    national_overview,
)
from naravard.report.questionnaire.render import answer_text, answers_html, answers_table
from naravard.report.questionnaire.structure import (
    AREA_KEYS,
    TYPES,
    Condition,
    Item,
    Part,
    Question,
    Questionnaire,
    Section,
    available_years,
    load_structure,
)
from naravard.report.questionnaire.template import write_template

__all__ = [
    "AREA_KEYS",
    "TYPES",
    "Answer",
    "Answers",
    "Condition",
    "Item",
    "Part",
    "Question",
    "Questionnaire",
    "Section",
    "answer_text",
    "answers_html",
    "answers_path",
    "answers_root",
    "answers_table",
    "available_years",
    "check_file",
    "choice_columns",
    "is_answered",
    "is_expected",
    "load_answers",
    "load_structure",
    "national_counts",
    "national_overview",
    "questionnaire_root",
    "read_answers",
    "unanswered",
    "validate_answers",
    "write_template",
]
