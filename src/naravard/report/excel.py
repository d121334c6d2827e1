"""The xlsx tables as a colleague can forward them: the region's and the national alike.

Both files get the same column order and widths, a bold frozen header with a filter, each
number at its indicator's published decimals (87,0 stays 87,0), Ja/Nej for yes and no, a
landscape page one column wide, and a sheet "Om tabellen" saying where the numbers come from,
when they were fetched, which naravard made the file and when. Text cells are made inert
(naravard.core.export_safety) before anything is written.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from importlib import metadata

import pandas as pd

from naravard.core import clock
from naravard.core.export_safety import finish_xlsx, neutralise, neutralise_frame
from naravard.wording import text

# Imports marked "slow import: see top" load openpyxl (0,18 s, measured December 2026) when a
# workbook is written, not when a kernel imports the report modules.

# openpyxl writes its XML through lxml where lxml is installed (the test environment) and
# through the standard library otherwise (the report environment), and the bytes differ
# ("<x/>" or "<x />"): the standard library always, so a workbook does not depend on which
# packages happen to be installed. openpyxl reads this when it is first imported.
os.environ.setdefault("OPENPYXL_LXML", "False")

ABOUT_SHEET = "Om tabellen"
YES, NO = "Ja", "Nej"

# Every column either table may have, in the order both show them: who and what, the value
# and how it compares, the change and the trend, the target, then notes and the source.
ORDER = (
    "Region",
    "Regionkod",
    "Område",
    "Indikator",
    "Indikator-id",
    "År",
    "Värde",
    "Enhet",
    "Riket",
    "Skillnad mot riket (riktningsjusterad)",
    "Jämfört med riket",
    "Placering",
    "Placering till",
    "Delar placering med antal regioner",
    "Delar placering med",
    "Antal regioner",
    "Läge bland regionerna",
    "Föregående år",
    "Förändring",
    "Minsta förändring som räknas",
    "Förändringen räknas",
    "Bedömning",
    "Tidsseriebrott",
    "Trend",
    "Trend sedan år",
    "Trendens form",
    "Trendens första år",
    "Nivåskifte från år",
    "Nivåskifte till år",
    "Trend i förra årets uppföljning",
    "Mål",
    "Når målet",
    "Andel av målvärdet (%)",
    "Måluppfyllelse",
    "Måluppfyllelse i förra årets uppföljning",
    "Om målet",
    "Kvinnor",
    "Män",
    "Jämförbarhet",
    "Rimlighet",
    "Kontrollera",
    "Publicering",
    "Källa",
)
# Numbers in the indicator's own unit: shown with its published decimals, row by row.
MEASURES = (
    "Värde",
    "Riket",
    "Skillnad mot riket (riktningsjusterad)",
    "Förändring",
    "Minsta förändring som räknas",
    "Kvinnor",
    "Män",
)
# Whole numbers: years, places and counts (a year has no thousands separator).
WHOLE = (
    "År",
    "Föregående år",
    "Placering",
    "Placering till",
    "Delar placering med antal regioner",
    "Antal regioner",
    "Trend sedan år",
    "Trendens första år",
    "Nivåskifte från år",
    "Nivåskifte till år",
)
SHARE_FORMAT = {"Andel av målvärdet (%)": "0.0"}
# Column widths in characters; a column not named here gets DEFAULT_WIDTH.
WIDTHS = {
    "Region": 18,
    "Regionkod": 10,
    "Område": 24,
    "Indikator": 48,
    "Indikator-id": 26,
    "Enhet": 16,
    "Delar placering med": 30,
    "Läge bland regionerna": 20,
    "Mål": 16,
    "Om målet": 50,
    "Jämförbarhet": 40,
    "Kontrollera": 50,
    "Publicering": 40,
    "Källa": 50,
    "Bedömning": 22,
    "Trend": 18,
    "Jämfört med riket": 16,
}
DEFAULT_WIDTH = 13
ABOUT_WIDTHS = (24, 100)


def measure_format(decimals: int) -> str:
    """Excel's number format for `decimals` places, with a thousands separator (28 100)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns in `ORDER`; any other column follows, as it came."""
    known = [c for c in ORDER if c in frame.columns]
    return frame[known + [c for c in frame.columns if c not in ORDER]]


def _yes_no(value: object) -> object:
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return YES if value else NO
    return value


def yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """True/False (and None) as Ja/Nej (and empty) in every column holding only those."""
    out = frame.copy()
    for column in out.columns:
        values = out[column].dropna()
        if len(values) and all(isinstance(v, bool) or type(v).__name__ == "bool_" for v in values):
            out[column] = out[column].map(_yes_no).astype(object).where(out[column].notna(), "")
    return out


def about_rows(
    table: str, sources: str, origin: str, retrieved: str | None
) -> list[tuple[str, str]]:
    """The sheet "Om tabellen": what the table is, where it comes from, who made it when."""
    try:
        version = metadata.version("naravard")
    except metadata.PackageNotFoundError:
        version = "okänd version"
    return [
        ("Tabell", table),
        ("Källa", sources),
        ("Underlag", origin),
        (
            "Uppgifterna hämtade",
            text.fmt_date(retrieved) if retrieved else "framgår inte av underlaget",
        ),
        ("Rapportens datum", text.fmt_date(clock.now().date().isoformat())),
        ("Gjord med", f"naravard {version}"),
        (
            "Decimaler",
            "Varje värde visas med så många decimaler som källan publicerar för "
            "indikatorn; bakom visningen står samma avrundade tal.",
        ),
        (
            "Ja/Nej",
            "Ja och Nej svarar på kolumnens fråga; en tom cell betyder att uppgiften "
            "saknas eller inte går att bedöma.",
        ),
    ]


def workbook_bytes(
    frame: pd.DataFrame,
    *,
    sheet: str,
    decimals: Sequence[int],
    about: list[tuple[str, str]],
    more: Callable[[pd.ExcelWriter], None] | None = None,
) -> bytes:
    """The table as an xlsx ready to forward; `decimals` holds each row's indicator decimals.
    `more` adds the report's further sheets (the region's goals, the kommuner) before the
    "Om tabellen" sheet."""
    frame = neutralise_frame(ordered(yes_no(frame.reset_index(drop=True))))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        _format_table(writer.sheets[sheet], list(frame.columns), list(decimals))
        if more is not None:
            more(writer)
        about_frame = pd.DataFrame(
            [(k, neutralise(v)) for k, v in about], columns=["Uppgift", "Värde"]
        )
        about_frame.to_excel(writer, index=False, sheet_name=ABOUT_SHEET)
        _format_about(writer.sheets[ABOUT_SHEET])
    return finish_xlsx(buf.getvalue())


def plain_sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, name: str) -> None:
    """A further sheet of text and numbers: bold frozen header, filter, readable widths."""
    frame.to_excel(writer, index=False, sheet_name=name)
    ws = writer.sheets[name]
    _header(
        ws, [min(60, max(10, max(len(str(c.value or "")) for c in col) + 2)) for col in ws.columns]
    )
    ws.auto_filter.ref = ws.dimensions


def _header(ws: object, widths: Sequence[float]) -> None:
    from openpyxl.styles import Alignment, Font  # slow import: see top
    from openpyxl.utils import get_column_letter  # slow import: see top

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _format_table(ws: object, columns: list[str], decimals: list[int]) -> None:
    _header(ws, [WIDTHS.get(c, DEFAULT_WIDTH) for c in columns])
    ws.auto_filter.ref = ws.dimensions
    formats = {
        i: fmt
        for i, c in enumerate(columns, start=1)
        for fmt in [("0" if c in WHOLE else SHARE_FORMAT.get(c))]
        if fmt
    }
    measures = [i for i, c in enumerate(columns, start=1) if c in MEASURES]
    for r, places in enumerate(decimals, start=2):
        number = measure_format(int(places))
        for i in measures:
            ws.cell(row=r, column=i).number_format = number
        for i, fmt in formats.items():
            ws.cell(row=r, column=i).number_format = fmt


def _format_about(ws: object) -> None:
    from openpyxl.styles import Alignment  # slow import: see top

    _header(ws, ABOUT_WIDTHS)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
