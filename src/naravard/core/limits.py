"""Length limits for free text that reaches a report, in one place.

A paragraph of tens of thousands of characters, or one unbroken "word" of thousands, makes
WeasyPrint's line breaking take minutes; no real note, source or answer is that long. Text
over its limit is refused when it is read, with a line naming where it is and the limit.
(Long words that are allowed still break: the stylesheet sets `overflow-wrap: break-word`.)
"""

from __future__ import annotations

import re
import math

from naravard.core.errors import NaravardError

# The longest text in the project's own files is about a quarter of each limit.
MAX_CHARS = {
    "regional_note": 500,  # data/regional/<slug>.csv, column note
    "regional_source": 300,  # data/regional/<slug>.csv, column source
    "answer": 3000,  # questionnaire answers: answer, details, comment, other, source
    "catalog": 1000,  # data/catalog/indicators.yaml: every text field
    "comment_author": 200,  # data/kommentarer/<slug>/<year>.md, författare:
    "comment_section": 6000,  # one `## ` section of a comment file (two pages of prose)
    "goal": 400,  # data/mal/<slug>.yaml: a goal's text, decision, wording (the longest is ~200)
}

# A region's own goals: a nämnd's verksamhetsplan has 15–25; more would not fit the report's
# compact chapter (about a page), and thousands would only be a mistake.
MAX_GOALS = 40

# A comment file's structure: Markdown nested thousands of levels deep (`>>>>…`, indented
# lists) or tens of thousands of lines takes the Markdown parser and WeasyPrint minutes.
MAX_LINES = 2000
MAX_DEPTH = 8


# WeasyPrint's time to break one unbroken word grows much faster than its length (1 000
# characters in a table cell: ~15 s; 3 000: minutes); 200 covers any real word or web address.
MAX_WORD = 200


def check_length(text: str, kind: str, where: str) -> str:
    """`text` unchanged, or NaravardError when it is longer than `MAX_CHARS[kind]` or holds
    a word (a run without spaces) longer than `MAX_WORD`."""
    limit = MAX_CHARS[kind]
    if len(text) > limit:
        raise NaravardError(
            f"{where}: texten är {len(text)} tecken lång, högst {limit} är tillåtet; "
            "korta texten (längre resonemang hör hemma i en egen bilaga)"
        )
    return check_words(text, where)


def check_words(text: str, where: str) -> str:
    """`text` unchanged, or NaravardError when a word in it is longer than `MAX_WORD`."""
    longest = max((len(word) for word in text.split()), default=0)
    if longest > MAX_WORD:
        raise NaravardError(
            f"{where}: texten har ett ord på {longest} tecken utan mellanslag, högst {MAX_WORD} "
            "är tillåtet; dela ordet eller adressen med mellanslag"
        )
    return text


# --- characters that must not reach a page or a terminal -------------------------------------

# C0 and C1 controls (tab and line breaks aside) and the bidi controls that reorder what a
# reader sees (U+202A–U+202E, U+2066–U+2069, U+061C, U+200E/U+200F): a NUL byte in the HTML,
# a right-to-left override that shows "fdp.exe" as "exe.pdf", an escape sequence that
# rewrites the terminal.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# an escape sequence as a whole (CSI, OSC, …), so that stripping leaves no "[2J" behind
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def control_problem(text: str) -> str | None:
    """What is wrong with the first control character in `text` (Swedish), or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    kind = (
        "styr skrivriktningen"
        if char in "\u061c\u200e\u200f"
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
        else "är ett styrtecken"
    )
    return f"tecknet U+{ord(char):04X} {kind}"


def printable(text: object) -> str:
    """`text` with every control character and escape sequence removed, for the terminal."""
    return _CONTROL.sub("", _ESCAPE.sub("", str(text)))


# --- value ranges per unit ------------------------------------------------------------------

# Every unit in the catalogue counts or shares something, so none can be negative; a share
# cannot pass 100 %. The upper bound for the rest only catches absurd values (1e308, a
# misplaced exponent) that would otherwise break number formatting in the report.
ABSURD = 1e9
VALUE_RANGES: dict[str, tuple[float, float]] = {"procent": (0.0, 100.0)}
DEFAULT_RANGE = (0.0, ABSURD)


def value_range(unit: str) -> tuple[float, float]:
    """The smallest and largest value an indicator measured in `unit` can have."""
    return VALUE_RANGES.get(unit, DEFAULT_RANGE)


def span_text(unit: str) -> str:
    """The allowed range as a reader writes it: "0–100"."""
    low, high = value_range(unit)
    return f"{low:,.0f}–{high:,.0f}".replace(",", " ")


def range_problem(value: float, unit: str) -> str | None:
    """Why `value` cannot be a value in `unit` (Swedish), or None when it can."""

    if not math.isfinite(value):
        return "är inget ändligt tal"
    low, high = value_range(unit)
    if value < low:
        return "är negativt men kan inte vara mindre än 0"
    if value > high:
        return (
            "är en andel över 100 procent"
            if unit == "procent"
            else f"är orimligt stort (över {span_text(unit).split('–')[1]})"
        )
    return None
