"""The report's words outside HTML: the analyst's Markdown and the blocks' HTML cells as plain
runs and lines, for the slides and the Word file.

Both formats must say what the PDF says: a comment keeps its paragraphs, lists, bold and
italics (links keep their text and address), and a table cell keeps its line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from typing import Any

import mistune


@dataclass(frozen=True)
class Run:
    """A piece of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph, or one item of a list (`bullet`)."""

    runs: tuple[Run, ...]
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def plain(text: str) -> Para:
    return Para((Run(text),))


@lru_cache(maxsize=1)
def _parser() -> Any:
    return mistune.create_markdown(renderer=None, plugins=["strikethrough"])


def _inline(tokens: list[dict], bold: bool = False, italic: bool = False) -> list[Run]:
    runs: list[Run] = []
    for tok in tokens:
        kind = tok.get("type")
        if kind in ("text", "codespan"):
            runs.append(Run(tok.get("raw", ""), bold, italic))
        elif kind in ("softbreak", "linebreak"):
            runs.append(Run(" " if kind == "softbreak" else "\n", bold, italic))
        elif kind == "strong":
            runs += _inline(tok.get("children", []), True, italic)
        elif kind == "emphasis":
            runs += _inline(tok.get("children", []), bold, True)
        elif kind == "link":
            runs += _inline(tok.get("children", []), bold, italic)
            url = tok.get("attrs", {}).get("url", "")
            label = "".join(r.text for r in _inline(tok.get("children", [])))
            if url and url != label:
                runs.append(Run(f" ({url})", bold, italic))
        elif kind == "image":  # shown as its text, as in the PDF
            runs += _inline(tok.get("children", []), bold, italic)
        else:  # strikethrough and anything else: the words, plainly
            runs += (
                _inline(tok.get("children", []), bold, italic)
                if "children" in tok
                else [Run(tok.get("raw", ""), bold, italic)]
            )
    return runs


def _blocks(tokens: list[dict], bullet: bool = False) -> list[Para]:
    out: list[Para] = []
    for tok in tokens:
        kind = tok.get("type")
        if kind in ("paragraph", "block_text", "heading"):
            runs = _inline(tok.get("children", []), bold=kind == "heading")
            if "".join(r.text for r in runs).strip():
                out.append(Para(tuple(runs), bullet))
        elif kind in ("list", "list_item", "block_quote"):
            out += _blocks(tok.get("children", []), bullet or kind == "list_item")
        elif kind == "block_code":
            out += [
                Para((Run(line),), bullet)
                for line in tok.get("raw", "").splitlines()
                if line.strip()
            ]
    return out


def markdown_paras(source: str) -> list[Para]:
    """The analyst's Markdown (naravard.report.commentary's subset) as paragraphs of runs."""
    return _blocks(_parser()(source))


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\n]+")  # not the no-break space that keeps "79,5 %" together


def html_text(fragment: object) -> str:
    """An HTML table cell as text, `<br>` as a line break: "13 010,8\\nper 100 000 inv."."""
    lines = [
        _SPACE.sub(" ", unescape(_TAG.sub("", part))).strip(" ")
        for part in _BREAK.split(str(fragment))
    ]
    return "\n".join(line for line in lines if line)
