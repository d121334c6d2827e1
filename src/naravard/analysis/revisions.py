"""What changed since the previous version of a report: `andringar.csv` and `naravard diff`.

Kolada's sources revise published values, and a report is often re-run after it was sent. The
comparison reads two `indikatorer.csv` files by column name (other columns may come and go)
and compares the numbers as they were published (the CSV text, rounded to each indicator's
decimals), so float noise is never a change and a change is exactly what a reader would see.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from naravard.core.errors import NaravardError
from naravard.core.limits import printable
from naravard.core.paths import display_path
from naravard.core.export_safety import neutralise_frame
from naravard.core.paths import archive_dir

CSV_NAME = "indikatorer.csv"
CHANGES_NAME = "andringar.csv"
ID, NAME, YEAR, VALUE, RANK, SOURCE = (
    "Indikator-id",
    "Indikator",
    "År",
    "Värde",
    "Placering",
    "Källa",
)
NEEDED = (ID, NAME, YEAR, VALUE)
COLUMNS = [
    "Indikator",
    "Indikator-id",
    "År",
    "Tidigare värde",
    "Nytt värde",
    "Tidigare placering",
    "Ny placering",
    "Orsak",
]

REVISED = "reviderat av källan"
REVISED_OWN = "ändrat i regionens egna uppgifter"
NEW_VALUE = "nytt värde: uppgiften har kommit"
GONE_VALUE = "värdet saknas nu"
NEW_INDICATOR = "ny indikator"
GONE_INDICATOR = "indikatorn finns inte längre"
NEW_YEAR = "nytt år"
OTHERS = "andra regioners värden har ändrats"


@dataclass
class Changes:
    """The rows that differ and when the compared (earlier) version was made."""

    frame: pd.DataFrame
    previous_date: dt.date | None
    previous_dir: Path

    @property
    def empty(self) -> bool:
        return self.frame.empty


def read_table(source: Path | bytes, *, name: str = CSV_NAME) -> pd.DataFrame:
    """An indikatorer.csv as text, one row per indicator; extra columns are kept, not needed."""
    try:
        frame = pd.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            sep=";",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise NaravardError(
            f"{name} går inte att läsa som naravards indikatortabell: "
            f"{' '.join(str(exc).split())[:200]}"
        ) from None
    missing = [c for c in NEEDED if c not in frame.columns]
    if missing:
        raise NaravardError(
            f"{name} saknar kolumnen {missing[0]!r}; jämför bara mappar som "
            "naravard har skrivit (med indikatorer.csv)"
        )
    for col in (RANK, SOURCE):
        if col not in frame.columns:
            frame[col] = ""
    return frame.drop_duplicates(ID, keep="last").set_index(ID)


def _reason(old: pd.Series | None, new: pd.Series | None) -> str | None:
    """Why the row differs, or None when it does not."""
    if old is None:
        return NEW_INDICATOR
    if new is None:
        return GONE_INDICATOR
    same_value, same_rank = old[VALUE] == new[VALUE], old[RANK] == new[RANK]
    if same_value and same_rank:
        return None
    if old[YEAR] != new[YEAR]:
        return NEW_YEAR
    if same_value:
        return OTHERS
    if not old[VALUE]:
        return NEW_VALUE
    if not new[VALUE]:
        return GONE_VALUE
    return REVISED_OWN if "regionens egna uppgifter" in str(new[SOURCE]) else REVISED


def compare(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator whose value or rank differs, in the current table's order."""
    rows = []
    for ind in [*current.index, *(i for i in previous.index if i not in current.index)]:
        old = previous.loc[ind] if ind in previous.index else None
        new = current.loc[ind] if ind in current.index else None
        reason = _reason(old, new)
        if reason is None:
            continue
        either = new if new is not None else old
        rows.append(
            {
                "Indikator": either[NAME],
                "Indikator-id": ind,
                "År": either[YEAR],
                "Tidigare värde": "" if old is None else old[VALUE],
                "Nytt värde": "" if new is None else new[VALUE],
                "Tidigare placering": "" if old is None else old[RANK],
                "Ny placering": "" if new is None else new[RANK],
                "Orsak": reason,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def is_archived(folder: Path) -> bool:
    """Whether `folder` is a version kept by `make arkivera` (arkiv/<region>/<år>/<datum>/)."""
    try:
        return Path(folder).resolve().is_relative_to(archive_dir().resolve())
    except OSError:
        return False


def archived_on(folder: Path) -> dt.date | None:
    """The day an archived version was kept (its folder's name), None for any other folder."""
    try:
        return dt.date.fromisoformat(Path(folder).name[:10]) if is_archived(folder) else None
    except ValueError:
        return None


def folder_date(folder: Path) -> dt.date | None:
    """When the report in `folder` was made: its manifest's date, else the CSV's file time."""
    try:
        created = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["created"]
        return dt.date.fromisoformat(str(created)[:10])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        return dt.datetime.fromtimestamp((folder / CSV_NAME).stat().st_mtime).date()
    except OSError:
        return None


def _table_in(folder: Path) -> pd.DataFrame:
    path = Path(folder) / CSV_NAME
    if not path.is_file():
        raise NaravardError(
            f"{display_path(path)} finns inte; ange en rapportmapp, t.ex. output/vasterbotten/2024"
        )
    return read_table(path, name=display_path(path))


def changes_since(previous_dir: Path | None, current_csv: bytes) -> Changes | None:
    """The changes from the report already in `previous_dir`; None when there is none there.

    Called before the new report is published, so the folder still holds the earlier version.
    """
    if previous_dir is None or not (Path(previous_dir) / CSV_NAME).is_file():
        return None
    try:
        previous = _table_in(Path(previous_dir))
    except NaravardError:  # not a table naravard can compare: no earlier version to speak of
        return None
    current = read_table(current_csv, name="den nya indikatortabellen")
    return Changes(compare(previous, current), folder_date(Path(previous_dir)), Path(previous_dir))


def _report_of(folder: Path) -> tuple[str, str] | None:
    """Which report a folder holds, (region, year) from its manifest; None when it does not say."""
    try:
        params = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["parameters"]
        return str(params.get("region") or params.get("kind")), str(params["year"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _same_report(dir_a: Path, dir_b: Path) -> None:
    """Refuse two different reports: between regions or years every difference would be
    called a revision by the source."""
    a, b = _report_of(dir_a), _report_of(dir_b)
    if a is None or b is None or a == b:
        return
    what = "regioner" if a[0] != b[0] else "år"
    raise NaravardError(
        f"{display_path(dir_a)} (region {printable(a[0])}, {printable(a[1])}) och "
        f"{display_path(dir_b)} (region {printable(b[0])}, {printable(b[1])}) är rapporter för "
        f"olika {what}; naravard diff jämför två versioner av samma rapport"
    )


def _kolada_values(table: pd.DataFrame) -> int:
    """How many indicators show a value from Kolada (the source column names it)."""
    has_value = table[VALUE].str.strip() != ""
    return int((has_value & table[SOURCE].str.contains("Kolada", regex=False)).sum())


def vanished_kolada_values(previous_dir: Path | None, current_csv: bytes) -> int:
    """The published report's Kolada values when the new one has none at all, else 0.

    An empty or broken download must not silently replace a good report by an empty one.
    """
    if previous_dir is None or not (Path(previous_dir) / CSV_NAME).is_file():
        return 0
    try:
        before = _kolada_values(_table_in(Path(previous_dir)))
    except NaravardError:
        return 0
    after = _kolada_values(read_table(current_csv, name="den nya indikatortabellen"))
    return before if before and not after else 0


def compare_folders(dir_a: Path, dir_b: Path) -> Changes:
    """`naravard diff`: what changed from the report in `dir_a` to the one in `dir_b`
    (two versions of one region's report for one year)."""
    _same_report(Path(dir_a), Path(dir_b))
    return Changes(
        compare(_table_in(Path(dir_a)), _table_in(Path(dir_b))),
        folder_date(Path(dir_a)),
        Path(dir_a),
    )


def csv_bytes(changes: Changes) -> bytes:
    """andringar.csv: like indikatorer.csv (`;`, decimal comma as published, UTF-8 with BOM)."""
    return neutralise_frame(changes.frame).to_csv(sep=";", index=False).encode("utf-8-sig")


def describe(row: pd.Series | dict) -> str:
    """One line: `Medicinsk bedömning … 2024: 79,5 → 80,1 (reviderat av källan)`."""
    parts = []
    if row["Tidigare värde"] != row["Nytt värde"]:
        parts.append(f"{row['Tidigare värde'] or '–'} → {row['Nytt värde'] or '–'}")
    if row["Tidigare placering"] != row["Ny placering"]:
        parts.append(f"placering {row['Tidigare placering'] or '–'} → {row['Ny placering'] or '–'}")
    return f"{row['Indikator']} {row['År']}: {', '.join(parts)} ({row['Orsak']})"


def print_changes(changes: Changes, dir_b: Path) -> None:
    """The diff as a reader wants it on a terminal."""
    a, b = display_path(changes.previous_dir), display_path(Path(dir_b))
    if changes.empty:
        print(printable(f"Inga ändrade värden eller placeringar mellan {a} och {b}."))
        return
    n = len(changes.frame)
    print(printable(f"{n} {'ändring' if n == 1 else 'ändringar'} från {a} till {b}:"))
    for _, row in changes.frame.iterrows():  # the tables' text is data: no escape sequences
        print(f"  {printable(describe(row))}")
