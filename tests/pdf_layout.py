"""Reading a rendered report's PDF back as a reader sees the pages: how full each page is,
where headings, text and pictures sit, and which pages open a chapter.

Used by test_layout.py; positions are PDF points from the bottom of the A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

A4 = (595.28, 841.89)  # points
A4_HEIGHT = A4[1]
MM = 72 / 25.4
CONTENT_TOP = A4_HEIGHT - 22 * MM  # the @page margins of naravard.css
CONTENT_BOTTOM = 20 * MM
CONTENT_HEIGHT = CONTENT_TOP - CONTENT_BOTTOM


@dataclass
class Page:
    number: int  # 1-based
    lines: list[tuple[float, str]] = field(default_factory=list)  # (y, text) of body text
    images: list[tuple[float, float]] = field(default_factory=list)  # (bottom, top)

    @property
    def text(self) -> str:
        return " ".join(t for _, t in sorted(self.lines, key=lambda yt: -yt[0]))

    @property
    def lowest(self) -> float:
        """The lowest point of the page's content (text baseline or picture bottom)."""
        ys = [y for y, _ in self.lines] + [b for b, _ in self.images]
        return min(ys) if ys else CONTENT_TOP

    @property
    def fill(self) -> float:
        """How much of the text area, from its top down, the content reaches (0–1)."""
        return (CONTENT_TOP - self.lowest) / CONTENT_HEIGHT


@dataclass
class Heading:
    level: int  # 1 = chapter (h1); deeper levels as the PDF outline nests them
    title: str
    page: int  # 1-based
    top: float


@dataclass
class Layout:
    pages: list[Page]
    headings: list[Heading]

    @property
    def chapter_starts(self) -> set[int]:
        return {h.page for h in self.headings if h.level == 1}

    def chapter_end(self, number: int) -> bool:
        """The page ends a chapter (the next opens one) or the report."""
        return number == len(self.pages) or (number + 1) in self.chapter_starts


def _in_body(y: float) -> bool:
    return CONTENT_BOTTOM - 2 < y < CONTENT_TOP + 2


def read_layout(pdf: Path | str) -> Layout:
    reader = PdfReader(str(pdf))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        info = Page(number)

        def on_text(text, cm, tm, _font, _size, info=info):
            if not text.strip():
                return
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if _in_body(y):
                info.lines.append((y, text.strip()))

        def on_op(op, _args, cm, _tm, info=info):
            if op == b"Do" and abs(cm[3]) > 5:  # a drawn picture (not a tiny glyph form)
                bottom, top = sorted((cm[5], cm[5] + cm[3]))
                info.images.append((bottom, top))

        page.extract_text(visitor_text=on_text, visitor_operand_before=on_op)
        pages.append(info)

    headings: list[Heading] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                headings.append(
                    Heading(
                        level,
                        str(item.title),
                        reader.get_destination_page_number(item) + 1,
                        float(item.get("/Top") or CONTENT_TOP),
                    )
                )

    walk(reader.outline, 1)
    return Layout(pages, headings)


# --- the checks: each returns the problems found, as readable lines ----------------------


def stranded_headings(layout: Layout) -> list[str]:
    """Section headings (below chapter level) with no picture under them on their page:
    the section's chart starts on the next page."""
    problems = []
    by_number = {p.number: p for p in layout.pages}
    for h in layout.headings:
        if h.level < 2 or h.page == 1:
            continue
        page = by_number[h.page]
        if any(top <= h.top + 1 for _, top in page.images):
            continue
        following = by_number.get(h.page + 1)
        if following is not None and following.images:
            problems.append(f"p. {h.page}: '{h.title}' – its chart starts on p. {h.page + 1}")
    return problems


def half_empty_pages(layout: Layout, minimum: float = 0.5) -> list[str]:
    """Pages filled less than `minimum` that do not end a chapter (or the report)."""
    return [
        f"p. {p.number}: {p.fill:.0%} full mid-chapter"
        for p in layout.pages
        if p.fill < minimum and not layout.chapter_end(p.number)
    ]


def caption_only_pages(layout: Layout) -> list[str]:
    """Pages whose body holds nothing but a caption or source line (or a few stray words)."""
    problems = []
    for p in layout.pages:
        if p.images:
            continue
        body = [t for _, t in p.lines]
        words = " ".join(body)
        if not body or all(t.startswith(("Källa", "Källor")) for t in body) or len(words) < 80:
            problems.append(f"p. {p.number}: only '{words[:60]}'")
    return problems


def a4_numbered_pages(pdf: Path | str) -> int:
    """Assert that every page is A4 and footed "Sida k av n"; return n."""
    reader = PdfReader(pdf)
    n = len(reader.pages)
    for k, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4, k
        assert f"Sida {k} av {n}" in " ".join(page.extract_text().split()), k
    return n
