"""What an SVG chart shows, read back: its words (text stays text, svg.fonttype none) and
how many shapes it draws. A test of an SVG file asserts these, so an SVG holding only its
header, or nothing, fails it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def svg_words(data: bytes | str) -> list[str]:
    """Every <text> element's words, whitespace collapsed, in document order."""
    root = ET.fromstring(data)
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]


def svg_shapes(data: bytes | str) -> int:
    """How many paths and marker uses the SVG draws."""
    root = ET.fromstring(data)
    return sum(1 for _ in root.iter(f"{SVG}path")) + sum(1 for _ in root.iter(f"{SVG}use"))


def assert_draws(data: bytes | str, *words: str, shapes: int = 20) -> None:
    """The SVG draws a chart: each of `words` in its text and at least `shapes` shapes."""
    shown = " | ".join(svg_words(data))
    for word in words:
        assert word in shown, (word, shown[:500])
    assert svg_shapes(data) >= shapes, svg_shapes(data)
