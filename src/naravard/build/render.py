"""Notebook → executed notebook → self-contained HTML → PDF, published all at once.

papermill runs the report notebook, nbconvert turns its HTML outputs into one offline page
with the `templates/naravard` template, and WeasyPrint prints that page to A4. Outputs are
staged beside the destination and renamed into place only when every step succeeded, so a
failed run never leaves a half-written report nor replaces an earlier good one.
"""

from __future__ import annotations

import base64
import copy
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
import warnings
from urllib.parse import unquote, urlsplit

import nbformat

from naravard.build import kernels
from naravard.build.kernels import KERNEL_ARGUMENTS, default_kernel_name, kernel_config, stop_kernel
from naravard.build.manifest import read_manifest
from naravard.core import clock, publish as unit
from naravard.core.errors import NaravardError, naming
from naravard.core.paths import TEMPLATES_DIR
from naravard.report.cells import is_published, runs_in_report
from naravard.speed import pdf_speedups

# Imports marked "slow import: see top" load pandas with the Kolada tables, papermill
# (0,24 s), nbconvert (0,31 s) or WeasyPrint (0,46 s, measured December 2026): the batch's
# workers import this module at start and each step loads only what it runs.

TEMPLATE_NAME = "naravard"

# Output kinds a report may show; everything else (stderr, warnings, bare reprs) is dropped.
# The cached exporter and WeasyPrint's font configuration are not made for concurrent use.
_EXPORT_LOCK = threading.Lock()
_PRINT_LOCK = threading.Lock()

_SHOWN_MIMETYPES = ("text/html", "image/png", "image/jpeg", "image/svg+xml", "text/markdown")

OWN_NOTEBOOK_ERROR = "OwnNotebookError"  # naravard.report.own's error, raised in the kernel


class NotebookFailed(NaravardError):
    """A notebook cell raised; names the cell, the error and where the partial notebook is."""

    def __init__(self, cell: int | None, ename: str, evalue: str, saved: Path | None) -> None:
        self.cell, self.ename, self.evalue, self.saved = cell, ename, evalue, saved
        where = f"cell {cell}" if cell is not None else "notebooken"
        value = " ".join(str(evalue).split())
        if len(value) > 300:
            value = value[:297] + "..."
        text = f"{where}: {ename}: {value}" if value else f"{where}: {ename}"
        if ename == OWN_NOTEBOOK_ERROR:  # it names the own notebook and its own cell
            text = value
        elif ename == "DeadKernelError":
            text = (
                "rapportens Jupyter-kärna dog medan notebooken kördes (den avslutade sig "
                "själv, t.ex. os._exit i en egen notebook, dödades utifrån eller fick slut "
                "på minne); ingen rapport ändrades"
            )
        if saved is not None:
            text += f" (ofullständig notebook sparad i {saved})"
        super().__init__(text)

    def saved_at(self, path: Path) -> NotebookFailed:
        """The same failure, told with the partial notebook's final location."""
        return NotebookFailed(self.cell, self.ename, self.evalue, path)


@dataclass
class RenderResult:
    """What one rendered report wrote and how long each step took (seconds)."""

    notebook: Path
    html: Path
    pdf: Path
    pages: int
    paths: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# --- papermill ------------------------------------------------------------------------------


def _parameter_value(value: Any) -> Any:
    """papermill writes unknown types with repr(); paths must arrive as strings."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {k: _parameter_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_parameter_value(v) for v in value]
    return value


# The random parts of a run's temporary paths: the observations file's folder and the
# staging folders (core.publish), as papermill records them in the parameters
_RUN_PATH = re.compile(r"(naravard-(?:report|batch)-|\.staging-)\d+-[A-Za-z0-9_]+")


def reproducible(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The executed notebook as published under SOURCE_DATE_EPOCH: papermill's and the
    kernel's timestamps set to the epoch (durations left out), the injected parameters cell's
    random id fixed and the run's temporary paths without their random parts, so that two
    runs on the same inputs publish the same file."""
    when = clock.now().isoformat()

    def settle(meta: Any) -> None:
        meta.pop("execution", None)
        run = meta.get("papermill")
        if isinstance(run, dict):
            run.pop("duration", None)
            for key in ("start_time", "end_time"):
                if run.get(key) is not None:
                    run[key] = when

    settle(nb.metadata)
    for cell in nb.cells:
        settle(cell.metadata)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    return nbformat.reads(_RUN_PATH.sub(r"\1run", nbformat.writes(nb)), as_version=4)


def execute_notebook(
    notebook: Path,
    parameters: dict,
    output_path: Path,
    *,
    kernel_name: str | None = None,
    cwd: Path | None = None,
    km: Any = None,
) -> nbformat.NotebookNode:
    """Run `notebook` with `parameters`; on a failing cell keep the partial notebook.

    `cwd` defaults to the notebook's folder, as in Jupyter, so relative paths in the
    notebook mean the same in both. `km` is a started kernel to run it in
    (naravard.build.kernels); without one, papermill starts and stops its own.
    """
    import papermill as pm  # slow import: see top
    from jupyter_client.kernelspec import NoSuchKernel  # slow import: see top
    from nbclient.exceptions import CellTimeoutError, DeadKernelError  # slow import: see top
    from papermill.exceptions import PapermillExecutionError  # slow import: see top

    notebook, output_path = Path(notebook), Path(output_path)
    if not notebook.is_file():
        raise NaravardError(f"notebooken {notebook} finns inte; kontrollera sökvägen")
    output_path.parent.mkdir(parents=True, exist_ok=True)
    source = _report_run(notebook)
    engine_kwargs: dict[str, Any] = (
        {"km": km}
        if km is not None
        else {"config": kernel_config(), "extra_arguments": KERNEL_ARGUMENTS}
    )
    # a dead kernel or a failing cell is told in one line by NotebookFailed, not logged
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    try:
        return pm.execute_notebook(
            source,
            str(output_path),
            parameters={k: _parameter_value(v) for k, v in (parameters or {}).items()},
            kernel_name=kernel_name or default_kernel_name(),
            cwd=str(cwd or notebook.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            **engine_kwargs,
        )
    except PapermillExecutionError as exc:
        raise NotebookFailed(
            exc.exec_count if exc.exec_count is not None else exc.cell_index + 1,
            exc.ename,
            exc.evalue,
            output_path,
        ) from None
    except (DeadKernelError, CellTimeoutError) as exc:
        raise NotebookFailed(
            None, type(exc).__name__, str(exc), output_path if output_path.exists() else None
        ) from None
    except NoSuchKernel as exc:
        raise NaravardError(
            f"Jupyter-kärnan {exc.args[0] if exc.args else kernel_name!r} finns inte; "
            "kör `make env` (installerar kärnan naravard)"
        ) from None
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM) while a cell runs: stop the kernel before the caller
        # removes the staging folders it is writing into
        if km is not None:
            stop_kernel(km)
        raise


def _report_run(notebook: Path) -> nbformat.NotebookNode:
    """The notebook as `make report` runs it: without cells tagged `exempel` (examples that
    run only when an analyst runs them in JupyterLab). Handed to papermill in memory, so no
    working copy can end up among the published files."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [c for c in nb.cells if runs_in_report(c)]
    return nb


# --- nbconvert ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _exporter() -> Any:
    """One HTMLExporter per process: building it (templates, preprocessors) is the slow part."""
    from nbconvert import HTMLExporter  # slow import: see top

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        # report_cells turns published Markdown cells into HTML outputs; raw cells never print
        exclude_markdown=True,
        exclude_raw=True,
        language_code="sv",
    )


def _shown(output: Mapping) -> bool:
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("name") == "stdout"
    if kind in ("display_data", "execute_result"):
        return any(m in output.get("data", {}) for m in _SHOWN_MIMETYPES)
    return False  # errors are never shown: a failed run is not published


def _markdown_output(cell: Mapping) -> nbformat.NotebookNode:
    """A Markdown cell as the HTML output the report prints: the same Markdown subset as the
    analysts' comments, HTML in the text shown as text."""
    from naravard.report.commentary import text_cell_html  # slow import: see top

    html = text_cell_html("".join(cell.get("source", "")))
    return nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data", {"text/html": html})]
    )


def report_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `nb` holding only what a reader should see: published cells (see
    `naravard.report.cells.is_published`: tags decide), their shown outputs (no stderr, no bare
    reprs), and Markdown cells as text."""
    clean = copy.deepcopy(nb)
    cells = []
    for cell in clean.cells:
        if not is_published(cell):
            continue
        if cell.get("cell_type") == "markdown":
            if "".join(cell.get("source", "")).strip():
                cells.append(_markdown_output(cell))
            continue
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = [o for o in cell.get("outputs", []) if _shown(o)]
        if cell["outputs"]:
            cells.append(cell)
    clean.cells = cells
    return clean


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """The executed notebook as one self-contained Swedish HTML page (no code, no CDN)."""
    resources = {
        "naravard": {"title": title, "created": clock.now().isoformat(timespec="seconds")},
        "metadata": {"name": title},
    }
    clean = report_cells(nb)
    with _EXPORT_LOCK:
        body, _ = _exporter().from_notebook_node(clean, resources=resources)
    return body


# --- WeasyPrint -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    """Import WeasyPrint once, without its notice that HarfBuzz-Subset will become required,
    and with the shortcuts of `naravard.speed.pdf_speedups` (chart images, font subsetting)."""

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import weasyprint  # slow import: see top; inside, so its notice is silenced
        import weasyprint.text.fonts  # noqa: F401
        import weasyprint.urls  # noqa: F401

    pdf_speedups.install()
    return weasyprint


@lru_cache(maxsize=1)
def _font_config() -> Any:
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration  # slow import: see top

    return FontConfiguration()


# A report's charts reach the HTML as data: URLs, about 2 MB of base64. WeasyPrint's HTML
# parser reads that character by character (a fifth of a second per report), so the page it
# prints names each image instead (`image_names`) and its fetcher hands over the bytes.
_DATA_PNG = re.compile(r'(<img\b[^<>]*?\ssrc=")data:image/png;base64,([A-Za-z0-9+/=]+)(")')
IMAGE_SCHEME = "naravard-bild"


def image_names(html: str) -> tuple[str, dict[str, bytes]]:
    """`html` with each embedded PNG replaced by a short name, and the PNGs by name (equal
    images share one name, as equal data: URLs share one image in WeasyPrint)."""
    names: dict[str, str] = {}
    images: dict[str, bytes] = {}

    def name(match: re.Match[str]) -> str:
        data = match.group(2)
        if data not in names:
            try:
                png = base64.b64decode(data, validate=True)
            except ValueError:  # not an image after all: WeasyPrint says so, as before
                return match.group(0)
            names[data] = f"{IMAGE_SCHEME}:{len(names)}"
            images[names[data]] = png
        return match.group(1) + names[data] + match.group(3)

    return _DATA_PNG.sub(name, html), images


def _url_fetcher(images: Mapping[str, bytes], folder: Path | None = None) -> Any:
    """The named images from memory, data: URLs, and files inside `folder` (the report's
    own staging folder); nothing else. Raw HTML that reaches a page (an own notebook may
    display any) can then neither wait on the network nor embed a local file such as
    /etc/shadow in the PDF."""
    _weasyprint()

    from weasyprint.urls import URLFetcher, URLFetcherResponse  # slow import: see top

    inside = Path(folder).resolve() if folder is not None else None

    class ReportFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url in images:
                return URLFetcherResponse(url, images[url], {"Content-Type": "image/png"})
            if url.lower().startswith("file:"):
                parts = urlsplit(url)
                path = Path(unquote(parts.path)).resolve()
                if (
                    inside is None
                    or parts.netloc not in ("", "localhost")
                    or not path.is_relative_to(inside)
                ):
                    raise ValueError(f"naravard hämtar inga filer utanför rapporten: {url[:80]}")
            return super().fetch(url, headers)

    return ReportFetcher(allowed_protocols={"data", "file"}, timeout=2)


def warm_up() -> None:
    """Build the exporter and print a tiny page once, so a batch worker's first report does
    not pay for templates, fonts and imports."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output("display_data", {"text/html": "<p>Åäö 1 234,5 %</p>"})
                ]
            )
        ]
    )
    html = notebook_to_html(nb, title="naravard")
    # the pid in the name: a killed run's folder is removed by the next (publish.remove_stale)
    with tempfile.TemporaryDirectory(prefix=f"naravard-warm-{os.getpid()}-") as tmp:
        html_to_pdf(html, Path(tmp) / "warm.pdf")


def html_to_pdf(
    html: str, pdf_path: Path, *, base_url: Path | None = None, tagged: bool = True
) -> int:
    """Print `html` to an A4 PDF at `pdf_path`; returns the page count.

    `tagged` writes PDF/UA-1 (a tagged, accessible PDF with title and language). Files
    are read only inside `base_url` (none without it); images come as data: URLs.
    """
    HTML = _weasyprint().HTML
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    base = str(base_url) if base_url is not None else str(Path.cwd())
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    page, images = image_names(html)
    with _PRINT_LOCK:
        document = HTML(
            string=page, base_url=base, url_fetcher=_url_fetcher(images, base_url)
        ).render(font_config=_font_config(), **options)
        with naming(pdf_path):
            document.write_pdf(pdf_path, **options)
    return len(document.pages)


# --- atomic publishing ----------------------------------------------------------------------


def _check_name(name: str) -> None:
    if not name or Path(name).name != name or name in (".", ".."):
        raise NaravardError(
            f"ogiltigt filnamn för en rapportfil: {name!r}; använd ett namn utan mappar"
        )


def _write_file(target: Path, content: bytes | str | Path) -> None:
    if isinstance(content, (bytes, bytearray)):
        data = bytes(content)
    elif isinstance(content, str):
        data = content.encode("utf-8")
    else:
        data = None
    with naming(target), open(target, "wb") as out:
        if data is not None:
            out.write(data)
        else:
            with open(content, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
        out.flush()
        os.fsync(out.fileno())


def _write_all(outputs: Mapping[str, bytes | str | Path], folder: Path) -> None:
    for name, content in outputs.items():
        target = folder / name
        if isinstance(content, Path) and content.resolve() == target.resolve():
            continue  # already in place
        _write_file(target, content)


def publish(outputs: Mapping[str, bytes | str | Path], destination_dir: Path) -> list[Path]:
    """Put every output into `destination_dir` at once; other files there stay.

    The new folder is built beside the old one and swapped in (naravard.core.publish): if any
    output cannot be written, nothing in `destination_dir` changes. Returns the final paths
    in the order given.
    """
    destination_dir = Path(destination_dir)
    for name in outputs:
        _check_name(name)
    unit.check_destination(destination_dir, outputs)
    staging = unit.staging_dir(destination_dir)
    try:
        _write_all(outputs, staging)
        unit.swap_in([(staging, destination_dir, lambda entry: True)])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [destination_dir / name for name in outputs]


# --- the whole chain ------------------------------------------------------------------------

Finish = Callable[[Path, dict], Sequence[tuple[Path, Path, Any]]]


def _keep_for(stem: str) -> Callable[[Path], bool]:
    """Which entries of the old report folder the new one keeps: what the user put there.

    naravard's own earlier outputs (listed in the old manifest) and a stale
    `<stem>.failed.ipynb` go; anything else (a note, a signed copy) is carried over.
    """

    def keep(entry: Path) -> bool:
        if entry.name in (f"{stem}.failed.ipynb", "manifest.json"):
            return False

        old = read_manifest(entry.parent / "manifest.json") or {}
        return entry.name not in set(old.get("outputs") or {})

    return keep


def render_notebook_report(
    notebook: Path,
    parameters: dict,
    out_dir: Path,
    *,
    stem: str = "rapport",
    title: str,
    extra_files: Mapping[str, bytes] | None = None,
    kernel_name: str | None = None,
    km: Any = None,
    finish: Finish | None = None,
) -> RenderResult:
    """Execute, convert, print and publish `<stem>.ipynb/.html/.pdf` (+ extra files).

    Everything is built in a staging folder beside `out_dir` and swapped in as one unit.
    `finish(staging, timings)` may add files to the staging folder (the manifest) and return
    more (staging, target, keep) folders to swap in with it (the figures). On failure the
    partial notebook is kept as `<out_dir>/<stem>.failed.ipynb` and nothing else under
    `out_dir` changes; on success a stale `.failed.ipynb` is removed.
    """
    notebook, out_dir = Path(notebook), Path(out_dir)
    _check_name(f"{stem}.ipynb")
    for name in extra_files or {}:
        _check_name(name)
    names = [f"{stem}.ipynb", f"{stem}.html", f"{stem}.pdf", *(extra_files or {})]
    unit.check_destination(out_dir, names)  # before minutes of work, and again at the swap
    timings: dict[str, float] = {}
    staging = unit.staging_dir(out_dir)
    try:
        executed = staging / f"{stem}.ipynb"
        started = time.perf_counter()
        try:
            nb = execute_notebook(notebook, parameters, executed, kernel_name=kernel_name, km=km)
        except NotebookFailed as exc:
            failed = out_dir / f"{stem}.failed.ipynb"
            if executed.exists():
                out_dir.mkdir(parents=True, exist_ok=True)
                os.replace(executed, failed)
                raise exc.saved_at(failed) from None
            raise exc.saved_at(None) from None
        timings["execute"] = round(time.perf_counter() - started, 3)
        if clock.source_epoch() is not None:
            nb = reproducible(nb)
            nbformat.write(nb, str(executed))

        # the kernel writes the charts' SVG files meanwhile (naravard.build.kernels.AFTER_NOTEBOOK)
        after = kernels.Background(km, kernels.AFTER_NOTEBOOK) if km is not None else None
        try:
            started = time.perf_counter()
            html = notebook_to_html(nb, title=title)
            timings["html"] = round(time.perf_counter() - started, 3)

            started = time.perf_counter()
            pdf = staging / f"{stem}.pdf"
            pages = html_to_pdf(html, pdf, base_url=staging)  # the only files it may read
            timings["pdf"] = round(time.perf_counter() - started, 3)

            if after is not None:
                started = time.perf_counter()
                after.wait()
                after = None
                timings["svg_wait"] = round(time.perf_counter() - started, 3)
        finally:
            if after is not None:  # failed or interrupted while the kernel still writes
                after.cancel()

        started = time.perf_counter()
        outputs: dict[str, bytes | str | Path] = dict(extra_files or {})
        outputs |= {
            f"{stem}.ipynb": executed,
            f"{stem}.html": html.encode("utf-8"),
            f"{stem}.pdf": pdf,
        }
        _write_all(outputs, staging)
        more = list(finish(staging, timings)) if finish is not None else []
        unit.swap_in([(staging, out_dir, _keep_for(stem)), *more])
        paths = [out_dir / name for name in outputs]
        timings["publish"] = round(time.perf_counter() - started, 3)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(
        notebook=out_dir / f"{stem}.ipynb",
        html=out_dir / f"{stem}.html",
        pdf=out_dir / f"{stem}.pdf",
        pages=pages,
        paths=paths,
        timings=timings,
    )
