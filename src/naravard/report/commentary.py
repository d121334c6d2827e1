"""The analyst's own comments: `data/kommentarer/<slug>/<year>.md`, checked and shown in the report.

An analyst writes plain Markdown in any editor. Front matter names the author and date; each
`## ` heading is "Det viktigaste", an area id or an indicator id from the catalogue, and an
indicator heading may record the value the comment was written for, e.g.
`## medicinsk_bedomning_3d (79,5 % 2024)`. When this run's value differs (the source revised
it, or new data arrived) the comment is *stale*: the run warns and the report marks it, so a
comment that no longer fits the numbers is never printed as if it did.

The file is strict: an unknown id, a malformed heading or front matter, or a file that is not
UTF-8 stops the run with one line naming the file and line. HTML in the text is shown as text;
paragraphs, lists, emphasis and links render.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
import errno
import os
import tempfile

import pandas as pd
import mistune

from naravard.config.catalog import AREAS, Catalog
from naravard.core import limits, safe_yaml
from naravard.core.errors import NaravardError
from naravard.core.paths import commentary_dir, display_path
from naravard.core.publish import make_readable
from naravard.wording import text

SUMMARY = "Det viktigaste"
LABEL = "Analytikerns kommentar"
MAX_BYTES = 200_000  # a comment file is prose; anything larger is a mistake
FRONT_KEYS = ("författare", "datum")

_HEADING = re.compile(r"^(#+)(\s*)(.*?)\s*$")  # any line starting with # is meant as a heading
_SECTION = re.compile(r"^(?P<key>[^()]+?)\s*(?:\((?P<recorded>[^()]*)\))?$")
_RECORDED = re.compile(r"^(?P<value>.+?)\s+(?P<year>\d{4})$")


@dataclass
class Section:
    """One `## ` section: what it comments on, its text, and the value it was written for."""

    key: str  # "Det viktigaste", an area id or an indicator id
    line: int  # the heading's line number, for messages
    body: str = ""
    recorded_value: str | None = None  # as written, e.g. "79,5 %"
    recorded_year: int | None = None
    current_value: str | None = None  # this run's value, formatted as the template writes it
    stale: bool = False

    @property
    def recorded(self) -> str | None:
        if self.recorded_value is None:
            return None
        return (
            f"{self.recorded_value} ({self.recorded_year})"
            if self.recorded_year is not None
            else self.recorded_value
        )


@dataclass
class Commentary:
    """A parsed comment file: author, date and the non-empty sections by key."""

    path: Path
    author: str
    date: dt.date | None
    sections: dict[str, Section] = field(default_factory=dict)

    def get(self, key: str) -> Section | None:
        section = self.sections.get(key)
        return section if section is not None and section.body.strip() else None

    def stale(self) -> list[Section]:
        return [s for s in self.sections.values() if s.stale and s.body.strip()]


def comment_path(slug: str, year: int) -> Path:
    return commentary_dir() / slug / f"{year}.md"


# --- parsing ---------------------------------------------------------------------------------


def _fail(path: Path, line: int | None, message: str) -> NaravardError:
    where = f"{display_path(path)}, rad {line}" if line else display_path(path)
    return NaravardError(f"{where}: {message}")


def chapter_areas(catalog: Catalog) -> list[str]:
    """The areas that have a chapter of their own (those with Kolada indicators)."""
    return [a for a in AREAS if any(i.source == "kolada" for i in catalog.in_area(a))]


def valid_keys(catalog: Catalog) -> dict[str, str]:
    """Every heading a comment may have, by its lower-case form."""
    keys = [SUMMARY, *chapter_areas(catalog), *(i.id for i in catalog)]
    return {k.lower(): k for k in keys}


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    """The `---` block's keys (strings only) and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        raise _fail(
            path,
            1,
            "filen ska börja med en rad '---' följd av författare: och datum: "
            "och en avslutande rad '---' (skapa en mall med `naravard kommentar`)",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise _fail(path, 1, "inledningen (front matter) avslutas inte med en rad '---'")
    # the one safe reader (no anchors, no duplicate keys); dates and numbers back to text.
    # The '---' line stays in as an empty line, so that YAML's line numbers are the file's.
    data = safe_yaml.load_text("\n" + "\n".join(lines[1:end]), display_path(path)) or {}
    if isinstance(data, dict) and all(
        isinstance(v, (str, int, dt.date)) or v is None for v in data.values()
    ):
        data = {str(k): str(v) if v is not None else "" for k, v in data.items()}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise _fail(
            path, 2, "inledningen ska bara ha raderna 'författare: …' och 'datum: ÅÅÅÅ-MM-DD'"
        )
    unknown = sorted(set(data) - set(FRONT_KEYS))
    if unknown:
        raise _fail(
            path, 2, f"okänt fält {unknown[0]!r} i inledningen; tillåtna: " + ", ".join(FRONT_KEYS)
        )
    return {k: v.strip() for k, v in data.items()}, end + 1


def _section_key(path: Path, line: int, title: str, keys: dict[str, str]) -> Section:
    match = _SECTION.match(title)
    if not match:
        raise _fail(
            path,
            line,
            f"rubriken '## {title}' går inte att läsa; skriv "
            "'## <id>' eller '## <id> (79,5 % 2024)'",
        )
    name = match["key"].strip()
    key = keys.get(name.lower())
    if key is None and name.lower() in AREAS:
        raise _fail(
            path,
            line,
            f"området {name!r} har inget eget kapitel i rapporten (dess "
            "indikatorer står under Regionens egna uppgifter); kommentera "
            "indikatorerna i stället",
        )
    if key is None:
        close = difflib.get_close_matches(name.lower(), list(keys), n=3, cutoff=0.5)
        hint = (
            ("; menade du " + " eller ".join(keys[c] for c in close) + "?")
            if close
            else "; rubriken ska vara 'Det viktigaste', ett område (t.ex. tillganglighet) eller "
            "ett indikator-id ur katalogen"
        )
        raise _fail(path, line, f"okänt avsnitt {name!r}{hint}")
    section = Section(key, line)
    if match["recorded"] is not None:
        recorded = _RECORDED.match(match["recorded"].strip())
        if not recorded:
            raise _fail(
                path,
                line,
                f"värdet inom parentes i '## {title}' ska vara värde och år, t.ex. '(79,5 % 2024)'",
            )
        section.recorded_value = recorded["value"].strip()
        section.recorded_year = int(recorded["year"])
    return section


def parse(path: Path, catalog: Catalog) -> Commentary:
    """Read and check a comment file; NaravardError naming file and line on any mistake."""
    path = Path(path)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise _fail(
            path,
            None,
            f"filen är större än {MAX_BYTES // 1000} kB; en kommentarsfil ska vara kort text",
        )
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(path, line, "filen är inte UTF-8; spara den som UTF-8 i din editor") from None
    lines = content.splitlines()
    _check_lines(path, lines)
    front, start = _front_matter(path, lines)
    limits.check_length(
        front.get("författare", ""),
        "comment_author",
        f"{display_path(path)}, inledningen, författare",
    )
    keys = valid_keys(catalog)
    sections: dict[str, Section] = {}
    current: Section | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            current.body = "\n".join(body).strip()

    for index in range(start, len(lines)):
        line_no, line = index + 1, lines[index]
        heading = _HEADING.match(line)
        if heading:
            if heading[1] != "##" or not heading[2] or not heading[3]:
                raise _fail(
                    path,
                    line_no,
                    "rubriker skrivs '## <avsnitt>' (två #, ett mellanslag); "
                    "använd fet stil för rubriker i texten",
                )
            close()
            current = _section_key(path, line_no, heading[3], keys)
            if current.key in sections:
                raise _fail(
                    path,
                    line_no,
                    f"avsnittet {current.key!r} finns redan på rad "
                    f"{sections[current.key].line}; slå ihop dem",
                )
            sections[current.key] = current
            body = []
        elif current is None:
            if line.strip():
                raise _fail(
                    path,
                    line_no,
                    "text före första rubriken; skriv den under "
                    "'## Det viktigaste' eller en annan rubrik",
                )
        else:
            body.append(line)
    close()
    for section in sections.values():
        limits.check_length(
            section.body,
            "comment_section",
            f"{display_path(path)}, rad {section.line}, avsnittet {section.key}",
        )
    commentary = Commentary(path, front.get("författare", ""), None, sections)
    if any(s.body for s in sections.values()):
        if not commentary.author:
            raise _fail(
                path,
                2,
                "ange författare i inledningen, t.ex. "
                "'författare: Analysenheten, Region Västerbotten'",
            )
        commentary.date = _date(path, front.get("datum", ""))
    return commentary


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_lines(path: Path, lines: list[str]) -> None:
    """Limits that keep a file the Markdown parser and WeasyPrint handle in seconds, and
    characters that must not reach the page (naravard.core.limits), each with its line."""
    if len(lines) > limits.MAX_LINES:
        raise _fail(
            path,
            None,
            f"filen har {len(lines)} rader, högst {limits.MAX_LINES} är "
            "tillåtet; en kommentarsfil ska vara kort text",
        )
    for number, line in enumerate(lines, start=1):
        problem = limits.control_problem(line)
        if problem is not None:
            raise _fail(
                path,
                number,
                f"{problem}, som inte får stå i en kommentar; ta bort "
                "det (det syns inte i alla editorer)",
            )
        prefix = _NESTING.match(line).group()
        # each '>' is a level, and each two spaces of indent after the last one
        depth = prefix.count(">") + len(prefix.rsplit(">", 1)[-1].expandtabs(4)) // 2
        if depth > limits.MAX_DEPTH:
            raise _fail(
                path,
                number,
                f"texten är nästlad i {depth} nivåer (citat '>' och "
                f"indrag), högst {limits.MAX_DEPTH} är tillåtet; "
                "skriv den med färre nivåer",
            )
        limits.check_words(line, f"{display_path(path)}, rad {number}")


_NESTING = re.compile(r"[ \t>]*")


def _date(path: Path, value: str) -> dt.date:
    try:
        if not _ISO_DATE.fullmatch(value):  # fromisoformat also takes 20250301 and 2025-W10-1
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(path, 3, f"datum {value!r} ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2025-03-01") from None


# --- values and stale comments -------------------------------------------------------------


def _norm(value: str) -> str:
    """Compare values as a reader would: any kind of space, '-' or '−' the same."""
    return " ".join(value.replace("\u2212", "-").split())


def value_text(row: Any) -> str:
    """An indicator's value as the template records it and an analyst types it: `79,5 %`
    with ordinary spaces and '-', `–` when missing."""
    value = text.fmt_value(row["value"], row["unit"], int(row["decimals"]), short=True)
    return value.replace("\u00a0", " ").replace("\u2212", "-")


def check_values(commentary: Commentary, table: pd.DataFrame, year: int) -> None:
    """Mark each section whose recorded value or year is not this run's."""
    rows = table.set_index("indicator_id")
    for section in commentary.sections.values():
        if section.key not in rows.index:
            continue
        section.current_value = value_text(rows.loc[section.key])
        if section.recorded_value is None:
            continue
        section.stale = (
            _norm(section.recorded_value) != _norm(section.current_value)
            or section.recorded_year != year
        )


def stale_warnings(commentary: Commentary | None, year: int) -> list[str]:
    """One line per stale section, for stderr: what it was written for and what it is now."""
    if commentary is None:
        return []
    return [
        f"varning: {display_path(commentary.path)}, rad {s.line}: kommentaren till "
        f"{s.key} skrevs när värdet var {s.recorded}; nu är det "
        f"{s.current_value} ({year}). Läs kommentaren och uppdatera värdet i rubriken."
        for s in commentary.stale()
    ]


def load(slug: str, year: int, catalog: Catalog, table: pd.DataFrame) -> Commentary | None:
    """The region-year's comment file, checked against this run's values; None when absent."""
    path = comment_path(slug, year)
    if not path.is_file():
        return None
    commentary = parse(path, catalog)
    check_values(commentary, table, year)
    return commentary


# --- Markdown subset → HTML ----------------------------------------------------------------

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@lru_cache(maxsize=2)
def _markdown(headings: bool) -> Any:
    class Renderer(mistune.HTMLRenderer):
        """HTML in the text stays text; links only to the web or e-mail; images as their text."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if not url.lower().startswith(_SAFE_SCHEMES):
                return text
            return super().link(text, url, title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return escape(text)

        def heading(self, text: str, level: int, **attrs: Any) -> str:
            if headings:
                return super().heading(text, min(6, level + 1), **attrs)
            return f"<p><strong>{text}</strong></p>\n"

    plugins = ["strikethrough", "table"] if headings else ["strikethrough"]
    return mistune.create_markdown(renderer=Renderer(escape=True), plugins=plugins)


def markdown_html(source: str, *, headings: bool = False) -> str:
    """The Markdown subset as HTML, every HTML tag in the source escaped.

    `headings` (notebook Markdown cells) keeps headings and tables, one level down so that a
    `#` in a cell never competes with the report's chapters.
    """
    return str(_markdown(headings)(source)).strip()


def text_cell_html(source: str) -> str:
    """A notebook's Markdown cell as the report prints it (headings and tables allowed)."""
    return f'<div class="own-text">{markdown_html(source, headings=True)}</div>'


def comment_html(section: Section | None, commentary: Commentary | None, about: str = "") -> str:
    """The comment as an aside marked with author and date; empty when there is none.
    `about` names what it comments on where the place alone does not say it."""
    if section is None or commentary is None:
        return ""
    label = f"{LABEL} om {escape(about)}" if about else LABEL
    when = f", {text.fmt_date(commentary.date)}" if commentary.date else ""
    stale = ""
    if section.stale:
        stale = (
            f'<p class="comment-stale">Skriven när värdet var '
            f"{escape(section.recorded or '')}; värdet är nu "
            f"{escape(section.current_value or '–')}.</p>"
        )
    return (
        f'<aside class="analyst-comment" aria-label="{LABEL}">'
        f'<p class="comment-label">{label} · {escape(commentary.author)}{when}</p>'
        f'<div class="comment-body">{markdown_html(section.body)}</div>{stale}</aside>'
    )


def section_html(commentary: Commentary | None, key: str, about: str = "") -> str:
    """The comment for one part of the report (summary, area or indicator), or ''."""
    if commentary is None:
        return ""
    return comment_html(commentary.get(key), commentary, about)


# --- the template ----------------------------------------------------------------------------


def template_text(
    region_name: str, year: int, catalog: Catalog, table: pd.DataFrame, today: dt.date
) -> str:
    """A comment file with every section and its current value, ready to fill in."""
    rows = table.set_index("indicator_id")
    lines = [
        "---",
        f"# Analytikerns kommentarer till rapporten för {region_name} {year}.",
        "# Skriv fri text under en rubrik; tomma avsnitt visas inte. Värdet inom parentes",
        "# är det värde kommentaren skrevs för: ändras det varnar naravard och rapporten",
        "# markerar kommentaren. Text: stycken, listor, *kursiv*, **fet**, [länk](https://…).",
        "författare: ",
        f"datum: {today.isoformat()}",
        "---",
        "",
        f"## {SUMMARY}",
        "",
    ]
    groups = [
        (area, [i for i in catalog.in_area(area) if i.source == "kolada"])
        for area in chapter_areas(catalog)
    ] + [(None, list(catalog.regional()))]
    for area, inds in groups:
        lines += [f"## {area}", ""] if area else []
        for ind in inds:
            if ind.id in rows.index:
                lines += [f"## {ind.id} ({value_text(rows.loc[ind.id])} {year})", ""]
    return "\n".join(lines) + "\n"


def write_template(rep: Any, date: dt.date) -> Path:
    """Write data/kommentarer/<slug>/<year>.md for a prepared region report unless it exists
    (never overwrites). The caller prepares `rep`, so that comments never import the report."""
    path = comment_path(rep.region.slug, rep.year)
    if path.exists():
        raise NaravardError(
            f"{display_path(path)} finns redan; naravard skriver aldrig över en "
            "kommentarsfil. Redigera den, eller flytta den först för en ny mall"
        )
    body = template_text(rep.region.full_name, rep.year, rep.catalog, rep.table, date)
    try:
        _write_new(path, body)
    except FileExistsError:
        raise NaravardError(
            f"{display_path(path)} skapades under tiden av någon annan; "
            "naravard skriver aldrig över en kommentarsfil"
        ) from None
    except OSError as exc:
        raise NaravardError(
            f"{display_path(path)} kunde inte skrivas ({exc.strerror or exc}); "
            "kontrollera rättigheter och ledigt utrymme"
        ) from None
    return path


def _write_new(path: Path, body: str) -> None:
    """Write `path` whole or not at all: through a temporary file beside it, linked into place
    only when complete (a full disk leaves no empty file that later runs would trip over),
    and never over a file that appeared meanwhile (link, unlike rename, does not replace)."""

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        make_readable(Path(tmp))
        try:
            os.link(tmp, path)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            # a shared drive without hard links: rename, after looking once more
            if path.exists():
                raise FileExistsError(errno.EEXIST, "finns redan", str(path)) from None
            os.rename(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
