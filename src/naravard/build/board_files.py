"""bildspel.pptx and rapport.docx inside the report's staged publish.

The Word file needs only the report's text: it is made in a thread while the kernel runs the
notebook, when the process that started it only waits. The slides also need the charts: they are taken from the report's own HTML in
the staging folder (each indicator's `<section id="ind-…">`), so every picture, alt text,
caption and source line on a slide is the one the PDF prints, from the same run. Both files
are then in the staging folder when the manifest hashes it: they appear with the report or
not at all, and a later run skips the report only while they are intact.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
import csv
from dataclasses import replace
import threading

from naravard.core.errors import naming
from naravard.report.slide_template import open_template

# Imports marked "slow import: see top" load the report modules with pandas (0,4–0,5 s),
# lxml.html (0,02 s), python-docx or python-pptx (measured December 2026): the batch parent
# imports this module, and only a worker writing a deck or document needs them.

DECK_NAME = "bildspel.pptx"
DOCUMENT_NAME = "rapport.docx"
_DATA_PNG = "data:image/png;base64,"


def figures_by_indicator(html: str) -> dict[str, list[Any]]:
    """The charts of each indicator section in the report's HTML, in the PDF's order."""
    import lxml.html  # slow import: see top

    from naravard.report.board_pack import Figure  # slow import: see top

    out: dict[str, list[Figure]] = {}
    tree = lxml.html.fromstring(html)
    for section in tree.iterfind(".//section"):
        ident = section.get("id") or ""
        if not ident.startswith("ind-"):
            continue
        found = []
        for fig in section.iterfind(".//figure"):
            img, caption = fig.find(".//img"), fig.find(".//figcaption")
            src = img.get("src", "") if img is not None else ""
            if not src.startswith(_DATA_PNG):
                continue
            source = caption.find(".//span[@class='source']") if caption is not None else None
            source_text = " ".join(source.text_content().split()) if source is not None else ""
            caption_text = " ".join(caption.text_content().split()) if caption is not None else ""
            caption_text = caption_text.removesuffix(source_text).strip()
            found.append(
                Figure(
                    base64.b64decode(src[len(_DATA_PNG) :]),
                    img.get("alt", ""),
                    caption_text,
                    source_text,
                )
            )
        if found:
            out[ident.removeprefix("ind-")] = found
    return out


def board_document(pack: Any) -> bytes:
    from naravard.report import word_document  # slow import: see top

    return word_document.build(pack)


class Background:
    """rapport.docx made in a thread of its own while the notebook runs in its kernel."""

    def __init__(self, pack: Any) -> None:
        self._data: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(pack,), daemon=True, name="naravard-docx"
        )
        self._thread.start()

    def _run(self, pack: Any) -> None:
        try:
            self._data = board_document(pack)
        except BaseException as exc:  # noqa: BLE001 - raised again in write, in the caller
            self._error = exc

    def write(self, out_staging: Path) -> Path:
        self._thread.join()
        if self._error is not None:
            raise self._error
        target = out_staging / DOCUMENT_NAME
        with naming(target):
            target.write_bytes(self._data or b"")
        return target


_CHECKED: set[tuple[str, int, int]] = set()


def check_template(template: Path) -> None:
    """Open the slide template now, so that a broken one fails before the notebook runs
    (once per file version: `make reports` checks the same template for every region)."""

    stat = template.stat()
    key = (str(template), stat.st_mtime_ns, stat.st_size)
    if key not in _CHECKED:
        open_template(template)
        _CHECKED.add(key)


def large_pictures(figures: dict[str, list[Any]], folder: Path | None) -> dict[str, list[Any]]:
    """The same charts as the large PNGs of the figures folder (at least 1 600 px wide, the
    source line inside), found by their alt text in its figurer.csv; a chart without one
    keeps the report's own PNG."""

    from naravard.report.figure_files import CSV_NAME, one_line  # slow import: see top

    listing = folder / CSV_NAME if folder is not None else None
    if listing is None or not listing.is_file():
        return figures
    with open(listing, encoding="utf-8-sig", newline="") as fh:
        files = {
            one_line(row.get("Alternativtext", "")): row.get("Fil", "")
            for row in csv.DictReader(fh, delimiter=";")
        }
    out = {}
    for key, found in figures.items():
        out[key] = []
        for fig in found:
            name = files.get(one_line(fig.alt), "")
            path = folder / name if name and "/" not in name else None
            out[key].append(
                replace(fig, png=path.read_bytes()) if path is not None and path.is_file() else fig
            )
    return out


def write_deck(
    pack: Any, template: Path, out_staging: Path, stem: str, figures: Path | None = None
) -> Path:
    """Write bildspel.pptx into the staging folder, from the report's HTML beside it and,
    where they are, the large PNGs in the figures staging folder `figures`."""

    from naravard.report import slides  # slow import: see top

    html = (out_staging / f"{stem}.html").read_text(encoding="utf-8")
    charts = large_pictures(figures_by_indicator(html), figures)
    deck = slides.build(replace(pack, figures=charts), template)
    target = out_staging / DECK_NAME
    with naming(target):
        target.write_bytes(deck)
    return target
