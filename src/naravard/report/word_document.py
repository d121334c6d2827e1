"""rapport.docx: the report's text to paste into a tjänsteskrivelse, editable, with real
headings (Rubrik 1/2 in Swedish Word) and the PDF's numbers.

Det viktigaste, the overview table, the targets, the analyst's comments and where the
numbers come from; charts stay in the PDF and bildspel.pptx.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.shared import Cm, Pt

from naravard.report.board_pack import BoardPack, Comment, OverviewRow
from naravard.report.plain_text import Para

OVERVIEW_HEADER = (
    "Indikator",
    "Värde",
    "Förändring sedan föregående år",
    "Riket",
    "Placering",
    "Läge",
)
OVERVIEW_WIDTHS = (4.8, 2.2, 2.6, 2.2, 2.1, 2.1)  # cm, 16 cm: A4 less 2,5 cm margins
GOAL_HEADER = ("Indikator eller mål", "Målvärde", "Värde", "Måluppfyllelse", "Källa")
GOAL_WIDTHS = (4.8, 3.4, 1.8, 2.4, 3.6)


def _runs(paragraph: Any, para: Para) -> None:
    for piece in para.runs:
        run = paragraph.add_run(piece.text)
        run.bold = piece.bold or None
        run.italic = piece.italic or None


def _comment(doc: Any, comment: Comment) -> None:
    label = doc.add_paragraph()
    label.add_run(comment.label).bold = True
    for para in comment.paragraphs:
        _runs(doc.add_paragraph(style=doc.styles["List Bullet"] if para.bullet else None), para)
    if comment.stale:
        doc.add_paragraph().add_run(comment.stale).italic = True


def _table(
    doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text  # "\n" becomes a line break, as in the PDF's cells
    for column, width in zip(table.columns, widths):
        for cell in column.cells:  # Word reads the cells' widths, LibreOffice the columns'
            cell.width = Cm(width)
        column.width = Cm(width)


def _overview_rows(rows: Sequence[OverviewRow]) -> list[list[str]]:
    return [[r.name, r.value, r.change, r.riket, r.rank, r.position] for r in rows]


def build(pack: BoardPack) -> bytes:
    """The Word file as bytes."""

    doc = Document()
    doc.styles["Table Grid"].font.size = Pt(9)  # the overview's six columns on A4
    for section in doc.sections:  # A4 with 2,5 cm margins, as a Swedish office prints
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
    doc.core_properties.title = f"{pack.title} – {pack.subject}"
    doc.core_properties.language = "sv-SE"
    if pack.banner:
        doc.add_paragraph().add_run(pack.banner).bold = True
    doc.add_heading(pack.title, level=0)
    doc.add_paragraph(pack.subject)
    doc.add_paragraph(pack.made)

    numbered, bullet = doc.styles["List Number"], doc.styles["List Bullet"]
    doc.add_heading("Det viktigaste", level=1)
    if pack.summary_comment:
        _comment(doc, pack.summary_comment)
    doc.add_paragraph(pack.lead)
    if not pack.messages:
        doc.add_paragraph(pack.empty)
    for m in pack.messages:
        item = doc.add_paragraph(style=numbered)
        if m.headline:
            item.add_run(m.headline).bold = True
            item.add_run().add_break()
        item.add_run(m.figures)
        for together in m.together:
            item.add_run().add_break()
            item.add_run(together)
    if pack.messages_source:
        doc.add_paragraph(pack.messages_source)

    doc.add_heading(pack.overview_title, level=1)
    for sentence in pack.overview_sentences:
        doc.add_paragraph(sentence, style=bullet)
    for title, rows in pack.overview:
        doc.add_heading(title, level=2)
        _table(doc, OVERVIEW_HEADER, _overview_rows(rows), OVERVIEW_WIDTHS)
    doc.add_paragraph(pack.legend)

    if pack.goals:
        doc.add_heading("Mål", level=1)
        _table(
            doc,
            GOAL_HEADER,
            [[g.name, g.target, g.value, g.status, g.source] for g in pack.goals],
            GOAL_WIDTHS,
        )

    if pack.comments:
        doc.add_heading("Analytikerns kommentarer", level=1)
        for c in pack.comments:
            doc.add_heading(c.about, level=2)
            _comment(doc, c)

    doc.add_heading("Om underlaget", level=1)
    for sentence in pack.about:
        doc.add_paragraph(sentence)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
