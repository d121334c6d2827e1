"""What every CSV/XLSX writer does last: text cells made inert, workbook dates reproducible.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel
(and LibreOffice) as a formula: a catalogue name, a regional note or a questionnaire answer
such as `=HYPERLINK("http://…")` would run when a colleague opens the table. Following
OWASP's CSV-injection rule, such a cell gets a leading `'`, which spreadsheets show as text;
numbers written as text ("-3,2", "+4") are left alone. Writers call `neutralise_frame` on the
finished frame, so columns added later are covered without anyone remembering to.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

import pandas as pd

from naravard.core import clock

if TYPE_CHECKING:  # type hints only: the writers pass pandas frames
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d[\d\u00a0 ]*)?([.,]\d+)?([eE][+-]?\d+)?\s*%?")


def neutralise(value: Any) -> Any:
    """`value`, with a `'` in front when it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    stripped = value.strip()
    if stripped and any(c.isdigit() for c in stripped) and _NUMBER.fullmatch(stripped):
        return value
    return "'" + value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and column name) passed through `neutralise`."""

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def finish_xlsx(data: bytes) -> bytes:
    """The xlsx bytes, with every date in them set to SOURCE_DATE_EPOCH when it is set.

    openpyxl stamps the workbook's created/modified properties and each zip member with the
    time of saving; with SOURCE_DATE_EPOCH two runs on the same inputs give identical files.
    """
    if clock.source_epoch() is None:
        return data
    when = clock.now()
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            content = zin.read(item)
            if item.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{iso}\g<2>", text
                    )
                content = text.encode("utf-8")
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            zout.writestr(info, content)
    return out.getvalue()
