"""The region's own figures: data/regional/<slug>.csv, one row per value.

Regions keep figures that no API publishes (fast läkarkontakt, their own accessibility
measurements) in a small spreadsheet. Analysts edit it in Excel, so the reader accepts what
Swedish Excel writes (cp1252 or UTF-8 with BOM, `;`, decimal comma) and rejects everything
else with one line naming file, row and column, counted as the spreadsheet counts them.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from naravard.core import paths
from naravard.sources import COLUMNS
from naravard.config.catalog import Catalog
from naravard.core.errors import NaravardError
from naravard.core.limits import check_length, range_problem, span_text
from naravard.config.regions import Region, all_regions, get_region

REQUIRED_COLUMNS = ["indicator_id", "year", "gender", "value", "source"]
HEADER = ["indicator_id", "year", "gender", "value", "source", "note", "definition"]
GENDERS = ("T", "K", "M")
YEAR_RANGE = (2000, 2100)


def _decode(raw: bytes, where: str) -> str:
    """UTF-8 (with or without Excel's BOM), else cp1252, which Swedish Excel writes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise NaravardError(
            f"{where}: teckenkodningen känns inte igen; spara filen som "
            '"CSV UTF-8 (kommaavgränsad)" eller "CSV (semikolonavgränsad)" i Excel'
        ) from None


def _q(text: str) -> str:
    return f'"{text}"' if text else "(tomt)"


def parse_number(text: str) -> float | None:
    """`55,3`, `55.3`, `28 100`, `46 %` → float; None when it is not a number."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.rstrip("%").replace("\u2212", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def _region_for(path: Path) -> Region:
    slug = path.stem.strip()
    region = next((r for r in all_regions() if r.slug == slug), None)
    if region is not None:
        return region
    try:
        guess = get_region(slug)
    except NaravardError:
        guess = None
    where = paths.display_path(path)
    if guess is not None:
        raise NaravardError(
            f"{where}: filnamnet ska vara regionens kortnamn; döp om filen till {guess.slug}.csv"
        )
    slugs = ", ".join(r.slug + ".csv" for r in all_regions())
    raise NaravardError(f"{where}: filnamnet anger ingen region; döp om filen till en av: {slugs}")


def _unknown_indicator(ident: str, catalog: Catalog) -> str:
    """Why `ident` cannot go in a regional file, and what to write instead."""
    by_kpi = catalog.by_kolada_id(ident.upper())
    known = {i.id: i for i in catalog}
    indicator = by_kpi or known.get(ident)
    regional = [i.id for i in catalog.regional()]
    if indicator is not None and indicator.source == "kolada":
        own = f"egen_{indicator.id}"
        fix = (
            f"för regionens egen mätning, skriv {own}"
            if own in regional
            else f"ta bort raden (här hör bara {', '.join(regional)} hemma)"
        )
        return (
            f"{_q(ident)} i kolumnen indicator_id är en Kolada-indikator ({indicator.id}, "
            f"{indicator.kolada_id}) som hämtas från Kolada och inte hör hemma i regionens "
            f"fil; {fix}"
        )
    close = difflib.get_close_matches(ident, regional, n=1, cutoff=0.4)
    hint = f"menade du {close[0]}? " if close else ""
    return (
        f"okänd indikator {_q(ident)} i kolumnen indicator_id; {hint}giltiga: {', '.join(regional)}"
    )


def _records(text: str, where: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) per record, parsed strictly.

    Every field of a regional file is one line of text, so a field holding a line break means
    a quote was opened and not closed where it should be: the rows after it would silently
    vanish into one field. That, and any other quoting error, is one line naming the row.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = str(exc)
            if "field larger than field limit" in problem:
                problem = "ett fält är orimligt långt"
            elif "unexpected end of data" in problem:
                problem = "ett citattecken öppnas men stängs aldrig"
            raise NaravardError(
                f"{where} rad {start}: raden kan inte läsas som CSV ({problem}); kontrollera "
                'citattecken på raden: en text inom "…" ska sluta med ett " och inget '
                "annat än ; får stå efter det"
            ) from None
        if any("\n" in f or "\r" in f for f in fields):
            raise NaravardError(
                f'{where} rad {start}: ett citattecken (") öppnas men stängs inte på samma rad '
                f"(raderna {start}–{reader.line_num} blev ett fält); ta bort citattecknet eller "
                "stäng det på raden"
            )
        yield start, fields
        start = reader.line_num + 1


def _header(fields: list[str], where: str, line: int) -> list[str]:
    header = [f.strip().lower() for f in fields]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise NaravardError(
            f"{where} rad {line}: kolumnen {missing[0]} saknas i rubrikraden; "
            f"rubrikraden ska vara {';'.join(HEADER)} (semikolonavgränsad)"
        )
    unknown = [c for c in header if c not in HEADER]
    if unknown:
        raise NaravardError(
            f"{where} rad {line}: okänd kolumn {_q(unknown[0][:40])} i rubrikraden; tillåtna "
            f"kolumner är {';'.join(HEADER)}"
        )
    twice = [c for c in header if header.count(c) > 1]
    if twice:
        raise NaravardError(
            f"{where} rad {line}: kolumnen {twice[0]} står två gånger i "
            "rubrikraden; ta bort den ena"
        )
    return header


def read_regional_file(path: Path, catalog: Catalog) -> pd.DataFrame:
    """One region's figures as tidy rows; the region comes from the file name."""
    path = Path(path)
    where = paths.display_path(path)
    region = _region_for(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NaravardError(
            f"{where}: kan inte läsas ({exc.strerror}); kontrollera filen"
        ) from None
    text = _decode(raw, where)
    if not text.strip():
        raise NaravardError(
            f"{where}: filen är tom; skriv rubrikraden {';'.join(HEADER)} och en rad per värde, "
            "eller ta bort filen"
        )

    header: list[str] | None = None
    positions: dict[str, int] = {}
    rows: list[dict] = []
    seen: dict[tuple[str, int, str], int] = {}
    indicators = {i.id: i for i in catalog.regional()}

    for line, fields in _records(text, where):
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = _header(fields, where, line)
            positions = {c: header.index(c) for c in HEADER if c in header}
            continue
        if len(fields) != len(header):
            raise NaravardError(
                f"{where} rad {line}: raden har {len(fields)} fält men rubrikraden "
                f"{len(header)}; ett semikolon i en text ska stå inom citattecken "
                f'("text; mer text"), och varje rad ska ha fälten {";".join(header)}'
            )

        def cell(column: str) -> str:
            index = positions.get(column)
            return "" if index is None else fields[index].strip()

        def fail(problem: str) -> NaravardError:
            return NaravardError(f"{where} rad {line}: {problem}")

        ident = cell("indicator_id")
        if not ident:
            raise fail("kolumnen indicator_id är tom; skriv en av " + ", ".join(indicators))
        indicator = indicators.get(ident)
        if indicator is None:
            raise fail(_unknown_indicator(ident, catalog))

        year_text = cell("year")
        year_value = parse_number(year_text)
        if (
            year_value is None
            or year_value != int(year_value)
            or not (YEAR_RANGE[0] <= year_value <= YEAR_RANGE[1])
        ):
            raise fail(
                f"{_q(year_text)} i kolumnen year är inget årtal; skriv året med fyra "
                "siffror, t.ex. 2024"
            )
        year = int(year_value)

        gender = cell("gender").upper() or "T"
        if gender not in GENDERS:
            raise fail(
                f"{_q(cell('gender'))} i kolumnen gender är inget kön; skriv T (totalt), "
                "K (kvinnor) eller M (män)"
            )

        value_text = cell("value")
        value = parse_number(value_text)
        if value is None:
            raise fail(
                f"värdet {_q(value_text)} i kolumnen value är inte ett tal; skriv ett tal som 55,3"
            )
        problem = range_problem(value, indicator.unit)
        if problem is not None:
            raise fail(
                f"värdet {_q(value_text)} i kolumnen value {problem} ({indicator.id}, "
                f"enhet {indicator.unit}); skriv ett tal i intervallet {span_text(indicator.unit)}"
                + (", t.ex. 46,5" if indicator.is_percent else "")
            )

        source = check_length(
            cell("source"), "regional_source", f"{where} rad {line}, kolumnen source"
        )
        if not source:
            raise fail(
                "kolumnen source är tom: källan saknas; skriv var värdet kommer ifrån, "
                f't.ex. "{region.full_name}s redovisning till Socialstyrelsen 2024, '
                'fråga 35"'
            )

        key = (ident, year, gender)
        if key in seen:
            raise fail(
                f"{ident} år {year} kön {gender} (kolumnerna indicator_id, year, gender) "
                f"står redan på rad {seen[key]}; ta bort en av raderna"
            )
        seen[key] = line

        note = check_length(cell("note"), "regional_note", f"{where} rad {line}, kolumnen note")
        rows.append(
            {
                "indicator_id": ident,
                "region_code": region.code,
                "year": year,
                "gender": gender,
                "value": float(value),
                # The tidy `status` of a region's own row is its definition: empty = measured as
                # the catalogue defines it; a text = measured otherwise (never compared across).
                "status": cell("definition"),
                "source": f"{source}; {note}" if note else source,
                "retrieved": "",
            }
        )

    if not rows:
        return _empty_frame()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def regional_files(directory: Path) -> list[Path]:
    """The CSV files in `directory`, sorted; nothing when the folder does not exist."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() == ".csv" and not p.name.startswith(".")
    )


def read_regional_dir(
    directory: Path, catalog: Catalog, regions: Iterable[str] | None = None
) -> tuple[pd.DataFrame, list[Path]]:
    """Every region's file in `directory` (missing folder: no rows) and the files read;
    with `regions` (slugs), only those regions' files."""
    files = regional_files(directory)
    if regions is not None:
        wanted = set(regions)
        files = [p for p in files if p.stem in wanted]
    frames = [read_regional_file(p, catalog) for p in files]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _empty_frame(), files
    return pd.concat(frames, ignore_index=True), files
