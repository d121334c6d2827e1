"""How much room a text needs on a slide, so that nothing runs off it.

A slide's text box does not grow: PowerPoint and LibreOffice draw what does not fit below
the slide's edge. naravard therefore measures every text before placing it, with Arial's
advance widths (Liberation Sans, which LibreOffice uses for Arial, has the same ones), wraps
it by words as the programs do, and leaves a margin for a template with a wider font.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Advance widths in thousandths of an em (Arial/Helvetica regular).
_WIDTHS: dict[str, int] = {
    " ": 278,
    "!": 278,
    '"': 355,
    "#": 556,
    "$": 556,
    "%": 889,
    "&": 667,
    "'": 191,
    "(": 333,
    ")": 333,
    "*": 389,
    "+": 584,
    ",": 278,
    "-": 333,
    ".": 278,
    "/": 278,
    ":": 278,
    ";": 278,
    "<": 584,
    "=": 584,
    ">": 584,
    "?": 556,
    "@": 1015,
    "A": 667,
    "B": 667,
    "C": 722,
    "D": 722,
    "E": 667,
    "F": 611,
    "G": 778,
    "H": 722,
    "I": 278,
    "J": 500,
    "K": 667,
    "L": 556,
    "M": 833,
    "N": 722,
    "O": 778,
    "P": 667,
    "Q": 778,
    "R": 722,
    "S": 667,
    "T": 611,
    "U": 722,
    "V": 667,
    "W": 944,
    "X": 667,
    "Y": 667,
    "Z": 611,
    "a": 556,
    "b": 556,
    "c": 500,
    "d": 556,
    "e": 556,
    "f": 278,
    "g": 556,
    "h": 556,
    "i": 222,
    "j": 222,
    "k": 500,
    "l": 222,
    "m": 833,
    "n": 556,
    "o": 556,
    "p": 556,
    "q": 556,
    "r": 333,
    "s": 500,
    "t": 278,
    "u": 556,
    "v": 500,
    "w": 722,
    "x": 500,
    "y": 500,
    "z": 500,
    "Å": 667,
    "Ä": 667,
    "Ö": 778,
    "É": 667,
    "å": 556,
    "ä": 556,
    "ö": 556,
    "é": 556,
    "ü": 556,
    "\u00a0": 278,
    "\u2013": 556,
    "\u2014": 1000,
    "\u2212": 584,
    "·": 278,
    "•": 350,
    "…": 1000,
}
_DIGIT = 556
_OTHER = 1000  # arrows, ▲ ▼ ●: from a fallback font, counted as a full em
BOLD = 1.07  # Arial Bold is about this much wider
MARGIN = 1.08  # room for a template whose font runs wider than Arial
LINE = 1.2  # line height as a multiple of the font size
PT_PER_INCH = 72


@lru_cache(maxsize=4096)
def _units(word: str) -> int:
    return sum(_DIGIT if c.isdigit() else _WIDTHS.get(c, _OTHER) for c in word)


def width_pt(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` in points at font `size`."""
    return _units(text) * size / 1000 * (BOLD if bold else 1.0) * MARGIN


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width` points, by words (a word longer than
    a line stands alone on its line, as the programs break it by character)."""
    scale = size / 1000 * (BOLD if bold else 1.0) * MARGIN
    limit = width / scale  # in font units
    space = _WIDTHS[" "]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0
        for word in paragraph.split(" "):
            units = _units(word)
            if words and used + space + units > limit:
                lines.append(" ".join(words))
                lines += [word] * int(units // max(limit, 1))  # a word wider than the line
                words, used = [word], units
            else:
                used += (space if words else 0) + units
                words.append(word)
        lines.append(" ".join(words))
    return lines


@dataclass(frozen=True)
class Block:
    """A paragraph to measure: its text, size, weight and the space before it."""

    text: str
    size: float
    bold: bool = False
    space_before: float = 0.0  # points


def height_pt(blocks: Iterable[Block], width: float) -> float:
    """The height in points that `blocks` need in a box `width` points wide."""
    total = 0.0
    for n, b in enumerate(blocks):
        lines = len(wrap(b.text, b.size, width, b.bold))
        total += lines * b.size * LINE + (b.space_before if n else 0.0)
    return total


def fits(blocks: Sequence[Block], width: float, height: float) -> bool:
    return height_pt(blocks, width) <= height


def scaled(blocks: Sequence[Block], factor: float) -> list[Block]:
    return [
        Block(b.text, round(b.size * factor, 1), b.bold, b.space_before * factor) for b in blocks
    ]


def fit_scale(
    blocks: Sequence[Block], width: float, height: float, smallest: float = 0.75
) -> float | None:
    """The largest of 1, 0,95 … `smallest` at which `blocks` fit; None when none does."""
    factor = 1.0
    while factor >= smallest - 1e-9:
        if fits(scaled(blocks, factor), width, height):
            return factor
        factor = round(factor - 0.05, 2)
    return None
