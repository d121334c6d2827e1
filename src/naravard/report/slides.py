"""bildspel.pptx: the report for the nämnd meeting, from the same run as the PDF.

A title slide; Det viktigaste with the analyst's comment; one slide per main indicator with
its charts (the PDF's own images and alt texts), the sentences that carry its value, place
and caveats, and its source; the targets; the other comments; where the numbers come from.
Every text is measured first (naravard.report.slide_fit): what does not fit at a readable
size moves to the next slide or, for a long comment, into the speaker notes. Every slide
names its source.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.dml.color import RGBColor

from naravard.report import slide_fit as fit
from naravard.report.board_pack import BoardPack, Comment, Figure, Goal, IndicatorPart
from naravard.report.plain_text import Para, Run, plain
from naravard.report.slide_template import content_layout, open_template, title_layout

EMU_PER_PT = 12700
MARGIN = 36.0  # points at the slide's sides and bottom
GAP = 8.0
SOURCE_SIZE = 11.0
TEXT = 18.0  # body text; shrinks to 75 % at most (13,5 pt) before anything moves
TITLE = 28.0
NOTES_HINT = "Analytikerns kommentar står i anteckningarna till bilden."


@dataclass(frozen=True)
class Line:
    """A paragraph on a slide: runs, size, bold and space before, as measured."""

    para: Para
    size: float
    bold: bool = False
    space_before: float = 0.0

    @property
    def block(self) -> fit.Block:
        bullet = "• " if self.para.bullet else ""
        bold = self.bold or all(r.bold for r in self.para.runs if r.text.strip())
        return fit.Block(bullet + self.para.text, self.size, bold, self.space_before)


def _scaled(lines: Sequence[Line], factor: float) -> list[Line]:
    return [
        Line(ln.para, round(ln.size * factor, 1), ln.bold, ln.space_before * factor) for ln in lines
    ]


def _comment_lines(comment: Comment, size: float = 16.0) -> list[Line]:
    lines = [Line(plain(comment.label), size - 3, True)]
    lines += [Line(p, size, space_before=4) for p in comment.paragraphs]
    if comment.stale:
        lines.append(Line(Para((Run(comment.stale, italic=True),)), size - 2, space_before=4))
    return lines


class Deck:
    """A presentation made from a template, with the few shapes the slides are built from."""

    def __init__(self, template: Path, banner: str = "") -> None:
        self.prs = open_template(template)
        self.width = self.prs.slide_width / EMU_PER_PT
        self.height = self.prs.slide_height / EMU_PER_PT
        self.title_layout = title_layout(self.prs)
        self.layout = content_layout(self.prs)
        self.banner = banner

    # --- slides --------------------------------------------------------------------------

    def _clear(self, slide: Any, keep: set[int]) -> None:
        """Remove placeholders that naravard does not fill (an empty "Klicka här" box)."""
        for ph in list(slide.placeholders):
            if int(ph.placeholder_format.type) not in keep:
                ph._element.getparent().remove(ph._element)

    def content(self, title: str) -> tuple[Any, float]:
        """A new slide with `title`; returns it and the top of the room below the title."""

        slide = self.prs.slides.add_slide(self.layout)
        self._clear(slide, {int(PP_PLACEHOLDER.TITLE)})
        box = slide.shapes.title
        if box is None:
            top = self.text(
                slide,
                [Line(plain(title), TITLE, True)],
                MARGIN,
                MARGIN,
                self.width - 2 * MARGIN,
                2 * TITLE * fit.LINE + 8,
            )
        else:
            _fill(box, title, TITLE)
            top = (box.top + box.height) / EMU_PER_PT
        self._banner(slide)
        return slide, top + GAP

    def title_slide(self, title: str, subtitle: str, source: str) -> Any:
        slide = self.prs.slides.add_slide(self.title_layout)
        self._clear(
            slide,
            {
                int(PP_PLACEHOLDER.CENTER_TITLE),
                int(PP_PLACEHOLDER.TITLE),
                int(PP_PLACEHOLDER.SUBTITLE),
            },
        )
        sub = next(
            (
                ph
                for ph in slide.placeholders
                if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE
            ),
            None,
        )
        if slide.shapes.title is not None:
            _fill(slide.shapes.title, title, 36)
        if sub is not None:
            _fill(sub, subtitle, 22)
        else:
            self.text(
                slide,
                [Line(plain(title), 36, True), Line(plain(subtitle), 22)],
                MARGIN,
                self.height / 3,
                self.width - 2 * MARGIN,
                self.height / 3,
            )
        self.source(slide, source)
        self._banner(slide)
        return slide

    # --- shapes --------------------------------------------------------------------------

    def text(
        self,
        slide: Any,
        lines: Sequence[Line],
        left: float,
        top: float,
        width: float,
        height: float,
    ) -> float:
        """A text box; returns the bottom of the text as measured (the caller has fitted it)."""

        box = slide.shapes.add_textbox(_pt(left), _pt(top), _pt(width), _pt(height))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = _pt(0)
        frame.margin_top = frame.margin_bottom = _pt(0)
        for n, line in enumerate(lines):
            p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            p.space_before = _pt(line.space_before) if n else _pt(0)
            runs = line.para.runs
            if line.para.bullet:
                runs = (Run("• "), *runs)
            for piece in runs:
                r = p.add_run()
                r.text = piece.text
                r.font.size = _pt(line.size)
                r.font.bold = line.bold or piece.bold or None
                r.font.italic = piece.italic or None
        return top + fit.height_pt([ln.block for ln in lines], width)

    def source(self, slide: Any, source: str) -> float:
        """The source line at the slide's foot; returns its top."""
        width = self.width - 2 * MARGIN
        lines = fit.wrap(source, SOURCE_SIZE, width)
        height = len(lines) * SOURCE_SIZE * fit.LINE
        top = self.height - MARGIN / 2 - height
        self.text(slide, [Line(plain(source), SOURCE_SIZE)], MARGIN, top, width, height + 2)
        return top

    def _banner(self, slide: Any) -> None:
        if not self.banner:
            return
        width = fit.width_pt(self.banner, 14, True) + 4
        box = slide.shapes.add_textbox(
            _pt(self.width - MARGIN / 2 - width), _pt(4), _pt(width), _pt(20)
        )
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = _pt(0)
        run = frame.paragraphs[0].add_run()
        run.text = self.banner
        run.font.size, run.font.bold = _pt(14), True
        run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)

    def picture(
        self, slide: Any, figure: Figure, left: float, top: float, width: float, height: float
    ) -> None:
        """The chart, as large as fits in the box and centred in it, with its alt text."""
        w, h = _png_size(figure.png)
        scale = min(width / w, height / h)
        pic = slide.shapes.add_picture(
            io.BytesIO(figure.png),
            _pt(left + (width - w * scale) / 2),
            _pt(top),
            _pt(w * scale),
            _pt(h * scale),
        )
        pic._element.nvPicPr.cNvPr.set("descr", figure.alt)
        pic.name = f"Diagram: {figure.caption[:80]}"

    @staticmethod
    def notes(slide: Any, parts: Sequence[str]) -> None:
        body = "\n\n".join(p for p in parts if p)
        if body:
            slide.notes_slide.notes_text_frame.text = body

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _fill(box: Any, text: str, size: float) -> None:
    """A placeholder's text at the largest size down to 70 % that fits its box (a title
    placeholder is bold in many templates: measured as bold)."""
    width = box.width / EMU_PER_PT - 14.4  # the box's own inner margins
    height = box.height / EMU_PER_PT - 7.2
    blocks = [fit.Block(line, size, True) for line in text.split("\n")]
    factor = fit.fit_scale(blocks, width, height, smallest=0.7) or 0.7
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    for p in box.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = _pt(size * factor)


def _pt(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header (IHDR)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("inte en PNG-bild")
    return struct.unpack(">II", png[16:24])


def _fitted(
    lines: Sequence[Line], width: float, height: float, smallest: float = 0.75
) -> list[Line] | None:
    factor = fit.fit_scale([ln.block for ln in lines], width, height, smallest)
    return None if factor is None else _scaled(lines, factor)


# --- the slides ------------------------------------------------------------------------------


def _message_lines(pack: BoardPack) -> list[list[Line]]:
    """Each message as the lines it takes: headline, numbers, "Samtidigt …"."""
    out = []
    for n, m in enumerate(pack.messages, start=1):
        if not m.headline:  # a sentence of the national summary
            out.append([Line(Para((Run(m.figures),), bullet=True), 18, space_before=10)])
            continue
        lines = [
            Line(plain(f"{n}. {m.headline}"), 20, True, 10),
            Line(plain(m.figures), 17, space_before=2),
        ]
        lines += [Line(plain(s), 15, space_before=2) for s in m.together]
        out.append(lines)
    return out


def _summary_slides(deck: Deck, pack: BoardPack) -> None:
    """Det viktigaste: the messages (over two slides when one cannot hold them), then the
    analyst's comment beside them, on a slide of its own, or in the notes."""
    width = deck.width - 2 * MARGIN
    foot = deck.height - MARGIN / 2 - 2 * SOURCE_SIZE * fit.LINE - GAP
    messages = _message_lines(pack) or [[Line(plain(pack.empty), TEXT)]]
    lead = [Line(plain(pack.lead), 16)]
    comment = _comment_lines(pack.summary_comment) if pack.summary_comment else []

    slide, top = deck.content(pack.summary_title)
    room = foot - top
    everything = [*lead, *[ln for m in messages for ln in m]]
    pages: list[list[Line]] = []
    if _fitted(everything, width, room):
        pages = [everything]
    else:  # split between messages, never inside one
        page: list[Line] = list(lead)
        for m in messages:
            if page and not _fitted([*page, *m], width, room):
                pages.append(page)
                page = []
            page += m
        pages.append(page)
    with_comment = (
        _fitted(
            [
                *pages[-1],
                *[Line(ln.para, ln.size, ln.bold, ln.space_before or 12) for ln in comment],
            ],
            width,
            room,
        )
        if comment
        else None
    )
    notes = [comment_note(pack.summary_comment)] if comment and not with_comment else []
    for n, lines in enumerate(pages):
        if n:
            slide, top = deck.content(f"{pack.summary_title} ({n + 1} av {len(pages)})")
        last = n == len(pages) - 1
        shown = with_comment if last and with_comment else _fitted(lines, width, room) or lines
        deck.text(slide, shown, MARGIN, top, width, room)
        deck.source(slide, pack.messages_source or " ".join(pack.data_sentences))
        deck.notes(slide, [pack.lead, *(notes if last else [])])
    if comment and not with_comment:
        own = _fitted(comment, width, room)
        if own:  # a slide of its own; the notes keep it too
            slide, top = deck.content(f"{pack.summary_title} – analytikerns kommentar")
            deck.text(slide, own, MARGIN, top, width, room)
            deck.source(slide, pack.summary_comment.label)


def comment_note(comment: Comment | None) -> str:
    if comment is None:
        return ""
    return f"{comment.label} ({comment.about}):\n{comment.text}"


def _indicator_slide(deck: Deck, part: IndicatorPart, figures: Sequence[Figure]) -> None:
    """One main indicator: the sentences the slide must carry (value, place, caveats) and
    the others while they fit; the PDF's charts side by side; the comment if it fits; the
    source at the foot."""
    slide, top = deck.content(part.name)
    width = deck.width - 2 * MARGIN
    source = figures[0].source if figures else part.source
    foot = deck.source(slide, source) - GAP
    chosen = set(part.required)
    room = 3 * TEXT * fit.LINE + 12  # at most a fifth of the slide for text

    def lines(ids: set[int]) -> list[Line]:
        return [
            Line(plain(s), TEXT, space_before=4) for i, s in enumerate(part.sentences) if i in ids
        ]

    for i in range(len(part.sentences)):  # the others while they fit at full size
        if i not in chosen and fit.fits([ln.block for ln in lines(chosen | {i})], width, room):
            chosen.add(i)
    shown = _fitted(lines(chosen), width, room) or lines(chosen)
    top = deck.text(slide, shown, MARGIN, top, width, room) + GAP

    comment = _comment_lines(part.comment, 14) if part.comment else []
    comment_room = 2.6 * 14 * fit.LINE + 16
    # beside the charts only at nearly full size: a smaller comment goes to the notes
    on_slide = _fitted(comment, width, comment_room, smallest=0.9) if comment else None
    if on_slide:
        height = fit.height_pt([ln.block for ln in on_slide], width)
        deck.text(slide, on_slide, MARGIN, foot - height, width, height + 2)
        foot -= height + GAP
    if figures:
        n = len(figures)
        each = (width - GAP * (n - 1)) / n
        for k, figure in enumerate(figures):
            deck.picture(slide, figure, MARGIN + k * (each + GAP), top, each, foot - top)
    notes = [
        "Text i rapporten: " + " ".join(part.sentences),
        *(f"Diagram: {f.caption}" for f in figures),
    ]
    if part.comment and not on_slide:
        notes.append(comment_note(part.comment))
    deck.notes(slide, notes)


GOAL_HEADER = ("Indikator eller mål", "Målvärde", "Värde", "Måluppfyllelse")
GOAL_WIDTHS = (0.40, 0.25, 0.15, 0.20)
GOAL_SIZE = 13.0


def _row_height(row: Sequence[str], cols: Sequence[float]) -> float:
    """A table row's height in points: its tallest cell, with the cell's margins."""
    lines = max(len(fit.wrap(c, GOAL_SIZE, w - 14.4)) for c, w in zip(row, cols))
    return lines * GOAL_SIZE * fit.LINE + 7.2 + 4


def _goal_pages(goals: Sequence[Goal], cols: Sequence[float], room: float) -> list[list[Goal]]:
    """The goals in slide-sized groups: as many rows as the room under the title holds."""
    pages: list[list[Goal]] = [[]]
    used = _row_height(GOAL_HEADER, cols)
    for g in goals:
        h = _row_height((g.name, g.target, g.value, g.status), cols)
        if pages[-1] and used + h > room:
            pages.append([])
            used = _row_height(GOAL_HEADER, cols)
        pages[-1].append(g)
        used += h
    return pages


def _goal_slides(deck: Deck, goals: Sequence[Goal], source: str) -> None:
    """The targets and whether they are met, as a table; more slides ("Mål (forts.)") when
    the rows do not fit under one title."""
    width = deck.width - 2 * MARGIN
    cols = [w * width for w in GOAL_WIDTHS]
    slide, top = deck.content("Mål")
    pages = _goal_pages(goals, cols, deck.source(slide, source) - GAP - top)
    for n, chunk in enumerate(pages):
        if n:
            slide, top = deck.content("Mål (forts.)")
            deck.source(slide, source)
        rows = [GOAL_HEADER, *[(g.name, g.target, g.value, g.status) for g in chunk]]
        heights = [_row_height(r, cols) for r in rows]
        table = slide.shapes.add_table(
            len(rows), 4, _pt(MARGIN), _pt(top), _pt(width), _pt(sum(heights))
        ).table
        for j, w in enumerate(cols):
            table.columns[j].width = _pt(w)
        for i, (row, h) in enumerate(zip(rows, heights)):
            table.rows[i].height = _pt(h)
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.text = value
                for r in cell.text_frame.paragraphs[0].runs:
                    r.font.size = _pt(GOAL_SIZE)
        deck.notes(
            slide,
            [
                f"{g.name}: mål {g.target}, värde {g.value}, {g.status}. Källa: {g.source}"
                for g in chunk
            ],
        )


def _comment_slides(deck: Deck, comments: Sequence[Comment], source: str) -> None:
    """Comments on areas and other indicators, as many to a slide as fit; a comment too
    long for a whole slide goes into the notes (its heading stays on the slide)."""
    if not comments:
        return
    width = deck.width - 2 * MARGIN
    slide = None
    page: list[Line] = []
    notes: list[str] = []
    top = room = 0.0

    def flush() -> None:
        if slide is not None:
            deck.text(slide, _fitted(page, width, room) or page, MARGIN, top, width, room)
            deck.notes(slide, notes)

    for c in comments:
        lines = [Line(plain(c.about), 18, True, 14), *_comment_lines(c)]
        if slide is not None and _fitted([*page, *lines], width, room):
            page += lines
            continue
        flush()
        slide, top = deck.content("Analytikerns kommentarer")
        room = deck.source(slide, source) - GAP - top
        page, notes = lines, []
        if not _fitted(lines, width, room):
            page = [lines[0], Line(plain(NOTES_HINT), 16, space_before=4)]
            notes = [comment_note(c)]
    flush()


def build(pack: BoardPack, template: Path) -> bytes:
    """The whole deck as .pptx bytes."""
    deck = Deck(template, pack.banner)
    deck.title_slide(pack.title, f"{pack.subject}\n{pack.made}", " ".join(pack.data_sentences))
    _summary_slides(deck, pack)
    for part in pack.indicators:
        _indicator_slide(deck, part, pack.figures.get(part.id, []))
    if pack.goals:
        _goal_slides(deck, pack.goals, pack.goals_source)
    main = {part.id for part in pack.indicators}
    _comment_slides(
        deck,
        [c for c in pack.comments if c.key not in main],
        "Kommentarerna är analytikerns egna; siffrorna de gäller står i rapporten.",
    )
    slide, top = deck.content("Om underlaget")
    width = deck.width - 2 * MARGIN
    room = deck.source(slide, " ".join(pack.data_sentences[:1])) - GAP - top
    lines = [Line(plain(s), 16, space_before=8) for s in [*pack.about[1:], pack.made]]
    deck.text(slide, _fitted(lines, width, room) or lines, MARGIN, top, width, room)
    return deck.save()
