"""The analyst's own analysis: own charts in the report's style, and `notebooks/egna/<slug>.ipynb`.

`figure(fig, caption=…, source=…, alt=…)` places any matplotlib figure in the report as the
generated charts are placed (caption, source line, alt text) and saves it as PNG and SVG under
`figures/<slug>/<year>/`. A region's own notebook `notebooks/egna/<slug>.ipynb` is run cell by
cell in the report's kernel, with the same parameters (region, year, data, figures_dir and the
prepared `rep`), by `chapter(rep)`; its published cells become the chapter "Egen analys" of
that region's report only.

Which of its cells are published is decided by cell tags, as in every report notebook
(see `naravard.report.cells`).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
import sys

from IPython.display import HTML, display
from IPython import get_ipython
import matplotlib

from naravard import charts
from naravard.config.regions import slugify
from naravard.core.errors import NaravardError
from naravard.core.paths import display_path
from naravard.report import own_limits
from naravard.report.blocks import Block
from naravard.report.cells import is_published, read_notebook, runs_in_report, tags
from naravard.report.commentary import text_cell_html
from naravard.report.example_mark import mark_example
from naravard.report import figure_files

CHAPTER_ID = "egen-analys"
CHAPTER_TITLE = "Egen analys"

_STATE: dict[str, Any] = {"rep": None, "heading": False, "names": set()}


# --- the chapter -----------------------------------------------------------------------------


def _heading() -> str:
    """The chapter heading, once per report, before the first own output."""
    if _STATE["heading"]:
        return ""
    _STATE["heading"] = True
    return f'<h1 id="{CHAPTER_ID}" class="own-analysis">{CHAPTER_TITLE}</h1>'


def start(rep: Any) -> None:
    """Begin a report's own analysis: the heading is not shown yet, no figure names taken."""
    _STATE.update(rep=rep, heading=False, names=set())


def chapter(rep: Any) -> Any:
    """Start the chapter "Egen analys" and run the region's own notebook in this kernel.

    Displays the heading (when the report has the chapter) and every published cell of
    `notebooks/egna/<slug>.ipynb`; returns None so the cell shows nothing more.
    """

    start(rep)
    if rep.own_analysis:
        display(HTML(_heading()))
    if rep.own_notebook is not None:
        run_notebook(Path(rep.own_notebook))
    return None


def run_notebook(path: Path) -> None:
    """Run each cell of an own notebook in the current kernel, showing the published ones.

    The notebook's own `parameters` cell is skipped: the report's values are already set.
    An error names the notebook and cell and stops the report, as an error in the report's
    own notebook would.
    """

    shell = get_ipython()
    if shell is None:
        raise NaravardError("egna notebookar körs i rapportens Jupyter-kärna")
    seconds = own_limits.timeout_seconds()
    budget = own_limits.OutputBudget()
    with own_limits.memory_limit():
        for number, cell in _cells(path):
            source = cell["source"]
            kind = cell.get("cell_type")
            if kind == "markdown":
                if is_published(cell) and source.strip():
                    display(HTML(text_cell_html(source)))
                continue
            if (
                kind != "code"
                or "parameters" in tags(cell)
                or not runs_in_report(cell)
                or not source.strip()
            ):
                continue
            try:
                with own_limits.cell_time_limit(seconds), _silenced(shell, "_showtraceback"):
                    if is_published(cell):
                        with budget.counting(shell):
                            result = shell.run_cell(source, store_history=False)
                    else:
                        with (
                            own_limits.muted(),
                            contextlib.redirect_stdout(io.StringIO()),
                            _silenced(shell.display_pub, "publish"),
                        ):
                            result = shell.run_cell(source, store_history=False, silent=True)
                error = result.error_before_exec or result.error_in_exec
            except own_limits.OwnLimit as exc:  # a BaseException: IPython lets it through
                error = exc
            if error is not None:
                raise OwnNotebookError(
                    f"{display_path(path)}, cell {number}: {own_limits.describe(error)}"
                )


def _cells(path: Path) -> list[tuple[int, dict]]:
    """The notebook's cells, numbered as Jupyter shows them, each with its source as text;
    a notebook that is not nbformat 4 JSON is one line naming it."""
    nb = read_notebook(path)
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or nb.get("nbformat") != 4:
        raise OwnNotebookError(
            f"{display_path(path)} är ingen Jupyter-notebook i format 4; "
            "spara den på nytt i JupyterLab"
        )
    numbered = []
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise OwnNotebookError(
                f"{display_path(path)}, cell {number}: cellens källtext "
                "är inte text; spara notebooken på nytt i JupyterLab"
            )
        numbered.append((number, {**cell, "source": source}))
    return numbered


class OwnNotebookError(NaravardError):
    """A cell of a region's own notebook failed; names the notebook and cell."""


@contextlib.contextmanager
def _silenced(owner: Any, name: str) -> Iterator[None]:
    """`owner.name` does nothing while inside: `display_pub.publish` for an unpublished cell
    (run for its side effects only), and `shell._showtraceback` for every own cell, since
    papermill reports a cell's first error output, which would be the bare error without the
    own notebook's name and cell (OwnNotebookError has both)."""
    saved = getattr(owner, name)
    setattr(owner, name, lambda *args, **kwargs: None)
    try:
        yield
    finally:
        setattr(owner, name, saved)


# --- own charts ------------------------------------------------------------------------------


def style() -> contextlib.AbstractContextManager:
    """Matplotlib settings of the report's own charts (font, sizes, colours, no top spine)."""

    return matplotlib.rc_context(charts.RC)


def new_figure(height_cm: float = 7.0) -> Any:
    """An empty figure of the report's chart width, drawn in the report's style."""
    with style():
        return charts.new_figure(height_cm)


def _name(caption: str) -> str:
    slug = slugify(caption)[:40].strip("-") or "figur"
    base = slug if slug.startswith("egen-") else f"egen-{slug}"
    name, n = base, 2
    while name in _STATE["names"]:
        name, n = f"{base}-{n}", n + 1
    _STATE["names"].add(name)
    return name


def figure(
    fig: Any, *, caption: str, source: str, alt: str, name: str | None = None, rep: Any = None
) -> Any:
    """Place an own matplotlib figure in the report: captioned, sourced, with alt text.

    Saves `<name>.png` and `<name>.svg` beside the report's charts (figures/<slug>/<year>/)
    and returns a display block (its `.figure` is `fig`). Caption, source and alt text are
    required: a reader of the PDF must know what the chart shows and where it comes from.
    """
    for label, value in (("caption", caption), ("source", source), ("alt", alt)):
        if not str(value or "").strip():
            raise NaravardError(
                f"own.figure: ange {label}=… (bildtext, källa och alternativtext "
                "krävs för varje diagram i rapporten)"
            )
    rep = rep if rep is not None else _STATE["rep"]
    chart = charts.Chart(
        fig=fig,
        alt=alt.strip(),
        name=re.sub(r"[^a-z0-9_-]", "-", name) if name else _name(caption),
        caption=caption.strip(),
    )
    if getattr(getattr(rep, "obs", None), "is_example", False):
        mark_example(chart)
    with style():
        html = charts.chart_html(chart, source)
        if rep is not None and getattr(rep, "figures", None) is not None:
            figure_files.save(chart, rep.figures, source=source)
    _forget(fig)
    return Block(html, figure=fig)


def _forget(fig: Any) -> None:
    """Take a pyplot figure out of pyplot's registry, so the notebook's inline backend does not
    show it a second time, without caption or source, at the end of the cell."""

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
