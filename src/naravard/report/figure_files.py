"""The figures folder as someone making slides wants it.

Each chart is written as `<name>.png` (the size in the report), `<name>.svg` and
`<name>-stor.png` (at least 1 600 px wide); the SVG and the large PNG carry the source line
inside the image. `figurer.csv` lists every chart with its title, caption, alt text and
source, so a chart can be found by what it shows and pasted with what must go with it.

In a report kernel the SVGs and large PNGs are written after the notebook
(`write_deferred`, naravard.build.kernels.AFTER_NOTEBOOK), while the parent process prints
the PDF: they cost no time on the way to the PDF.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from naravard import charts
from naravard.charts import slide
from naravard.core.export_safety import neutralise

CSV_NAME = "figurer.csv"
LARGE_SUFFIX = "-stor"
COLUMNS = ("Fil", "SVG", "Titel", "Bildtext", "Alternativtext", "Källa")


@dataclass
class _Entry:
    chart: charts.Chart
    folder: Path
    source: str


# How write_deferred shares the large PNGs out: here, or half in a forked copy of a report
# kernel (naravard.build.in_kernel sets naravard.speed.forked.each).
EACH: slide.Each = slide.in_turn

# What `save` left for `write_deferred`, and every folder's rows (by chart name).
_PENDING: list[_Entry] = []
_ROWS: dict[Path, dict[str, dict[str, str]]] = {}


def one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space; no-break spaces ("79,5 %") stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def source_text(source: str) -> str:
    """ "Källa: …", as under the chart in the report."""
    source = one_line(str(source or ""))
    if source and not source.lower().startswith("källa"):
        source = f"Källa: {source}"
    return source


# Where a caption's lead phrase ends: "X: Västerbotten (blå) …", "X 2024, alla regioner …",
# "X 2024. Lila ▲ …"; a comma inside a name ("Besök …, 80 år och äldre") is not an end.
_LEAD = re.compile(r":\s|\.\s|;\s|,\s(?=alla regioner)")


def title(chart: charts.Chart) -> str:
    """A short Swedish title: the chart's drawn title, else its caption's first phrase
    ("Telefonsamtal … samma dag" of "Telefonsamtal … samma dag: Västerbotten (blå) …")."""
    drawn = [one_line(ax.get_title()) for ax in chart.fig.axes]
    suptitle = getattr(chart.fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        drawn.insert(0, one_line(suptitle.get_text()))
    for text in drawn:
        if text:
            return text
    caption = one_line(chart.caption)
    return _LEAD.split(caption, maxsplit=1)[0].rstrip(".") or chart.name


def large_name(chart: charts.Chart) -> str:
    return f"{chart.name}{LARGE_SUFFIX}.png"


def save(
    chart: charts.Chart, folder: Path | str, *, source: str, later: bool | None = None
) -> None:
    """Write the chart's files into `folder` and list it in the folder's figurer.csv.

    `later`: leave the SVG, the large PNG and figurer.csv for `write_deferred` (a report
    kernel; None: as `charts.defer_svgs` set it for this process). The report-size PNG is
    written now; its bytes are the report's own.
    """
    later = charts.deferring() if later is None else later
    folder = Path(folder)
    source = source_text(source)
    charts.save_chart(chart, folder, svg_later=later)
    _ROWS.setdefault(folder, {})[chart.name] = {
        "Fil": large_name(chart),
        "SVG": f"{chart.name}.svg",
        "Titel": title(chart),
        "Bildtext": one_line(chart.caption),
        "Alternativtext": one_line(chart.alt),
        "Källa": source,
    }
    entry = _Entry(chart, folder, source)
    if later:
        _PENDING.append(entry)
    else:
        _finish(entry)
        write_csv(folder)


def _finish(entry: _Entry) -> None:
    _add_source(entry)
    slide.write_large([(entry.chart, entry.folder / large_name(entry.chart), entry.source)])


def _add_source(entry: _Entry) -> None:
    svg = entry.folder / f"{entry.chart.name}.svg"
    svg.write_bytes(slide.svg_with_source(svg.read_bytes(), entry.source))


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """`;`-separated, UTF-8 with BOM, text cells made inert: as indikatorer.csv."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(row[c]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def write_csv(folder: Path) -> None:
    rows = sorted(_ROWS.get(folder, {}).values(), key=lambda r: r["Fil"])
    (folder / CSV_NAME).write_bytes(csv_bytes(rows))


def write_deferred() -> int:
    """After a report kernel's notebook: the SVGs, then the large PNGs and figurer.csv.

    A folder that is gone belonged to a report that failed (its staging folder was removed):
    nothing is written into it, and a kernel that runs report after report forgets it.
    """
    pending = [entry for entry in _PENDING if entry.folder.is_dir()]
    folders = {entry.folder for entry in _PENDING}
    _PENDING.clear()
    written = 0

    def svgs() -> None:  # here, not in the forked copy: the SVG backgrounds' cache stays
        nonlocal written
        written = charts.write_deferred_svgs()
        for entry in pending:
            _add_source(entry)

    slide.write_large(
        [(e.chart, e.folder / large_name(e.chart), e.source) for e in pending],
        before=svgs,
        each=EACH,
    )
    for folder in folders:
        if folder.is_dir():
            write_csv(folder)
        _ROWS.pop(folder, None)
    return written
