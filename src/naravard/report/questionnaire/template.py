"""An empty answer file to fill in: every question, its title and its allowed answers."""

from __future__ import annotations

from pathlib import Path

from naravard.core.errors import NaravardError
from naravard.report.questionnaire.answers import answers_path, show
from naravard.report.questionnaire.structure import SINGLE_CHOICE, Question, load_structure
from naravard.config.regions import get_region

_HEADER = """\
# Svar på {title}
# {full_name}. Fyll i svaren under answer och kontrollera filen med:
#   naravard questionnaire check {shown}
# Lämna answer tomt för en fråga som inte är besvarad. Fritext skrivs efter "answer: |"
# på nya rader med två extra blanksteg. details = regionens egen förklaring till ett val,
# comment = en anmärkning om svaret, source = källan till ett tal.
region: {slug}
year: {year}
source:     # dokumentet svaren kommer från, t.ex. regionens redovisning till Socialstyrelsen
answers:
"""


def write_template(
    region: str, year: int, out: str | Path | None = None, force: bool = False
) -> Path:
    """Write an empty answer file; refuses to overwrite one that exists unless `force`."""
    reg = get_region(region)
    structure = load_structure(year)
    path = Path(out) if out else answers_path(reg.slug, structure.year)
    if path.is_dir():
        raise NaravardError(
            f"{show(path)} är en mapp; ange en fil med --out, t.ex. "
            f"--out {show(path / f'{structure.year}.yaml')}"
        )
    if path.exists() and not force:
        raise NaravardError(
            f"{show(path)} finns redan; använd --force för att skriva över den "
            f"eller --out för att skriva till en annan fil"
        )
    lines = [
        _HEADER.format(
            title=structure.title,
            full_name=reg.full_name,
            shown=show(path),
            slug=reg.slug,
            year=structure.year,
        )
    ]
    for part in structure.parts:
        lines.append(f"\n  # ==== {part.title} ====\n")
        for section in part.sections:
            lines.append(f"\n  # --- {section.title} ---\n")
            for q in section.questions:
                lines.append(_question_block(q))
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True) if tmp.is_file() else None
        raise NaravardError(
            f"{show(path)}: kan inte skrivas ({exc.strerror}); välj en annan "
            "fil med --out eller ändra rättigheterna"
        ) from None
    return path


def _question_block(q: Question) -> str:
    head = f"  # {q.label}. {q.title}"
    if not q.answerable:
        return f"\n{head} (rubrik, besvaras i delfrågorna)\n"
    out = [f"\n{head}\n"]
    if q.note:
        out.append(f"  # {q.note}\n")
    if q.only_if:
        row = f", raden {q.only_if.row}" if q.only_if.row else ""
        out.append(
            f"  # Besvaras om svaret på fråga {q.only_if.question}{row} är {q.only_if.answer}.\n"
        )
    if q.optional:
        out.append("  # Frivilligt.\n")
    qid = f'"{q.id}"'
    if q.type in SINGLE_CHOICE:
        out.append(f"  # Välj ett: {' | '.join(q.choices)}\n")
        out.append(f"  {qid}:\n    answer:\n")
    elif q.type == "grid":
        out.append(f"  # Varje rad: {' | '.join(q.choices)}\n")
        out.append(f"  {qid}:\n    answer:\n")
        width = max(len(r.id) for r in q.rows) + 1
        for r in q.rows:
            out.append(f"      {(r.id + ':').ljust(width)}   # {r.label}\n")
    elif q.type == "checkboxes":
        out.append(
            "  # Lista de valda alternativens nycklar i answer, t.ex. "
            f"[{q.options[0].id}]. Alternativ:\n"
        )
        for o in q.options:
            extra = (
                " (skriv vad i other)"
                if o.other
                else (" (inte tillsammans med andra)" if o.exclusive else "")
            )
            out.append(f"  #   {o.id}: {o.label}{extra}\n")
        out.append(f"  {qid}:\n    answer: []\n")
        if any(o.other for o in q.options):
            out.append("    other:\n")
    elif q.type == "number":
        unit = "procent, 0–100" if q.unit == "procent" else "antal"
        out.append(
            f"  # Ett tal ({unit}), utan enhet. Om det inte går: not_available: true "
            f"({q.not_available}).\n"
        )
        out.append(f"  {qid}:\n    answer:\n    not_available: false\n    source:\n")
    else:  # text
        out.append(f"  {qid}:\n    answer:\n")
    return "".join(out)
