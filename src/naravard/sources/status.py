"""`naravard data status`: what each data origin holds, before anyone builds a report on it.

Analysts run this to see whether the report will use the project's snapshot, another one or
example data,
how fresh the data is, and which catalogue indicators will be empty. It never downloads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from naravard.config.catalog import Catalog, load_catalog
from naravard.config.regions import RIKET_CODE, all_regions, by_code
from naravard.core import paths
from naravard.core.errors import NaravardError
from naravard.core.limits import printable
from naravard.core.settings import settings
from naravard.sources.example import DEFAULT_YEARS
from naravard.sources.regional import read_regional_dir
from naravard.sources.table import (
    explicit_dir,
    has_kolada_data,
    is_example_request,
    kolada_observations,
    validate,
)


def _years(frame: pd.DataFrame) -> str:
    years = sorted(int(y) for y in frame["year"].unique())
    if not years:
        return "inga"
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])


def _regions(frame: pd.DataFrame) -> str:
    codes = set(frame["region_code"].unique())
    n = len(codes - {RIKET_CODE})
    text = f"{n} regioner" if n != 1 else "1 region"
    text += " + riket" if RIKET_CODE in codes else " (riket saknas)"
    missing = [r.name for r in all_regions() if r.code not in codes]
    if missing and n:
        text += "; saknas: " + ", ".join(missing)
    return text


def _kolada_summary(label: str, directory: Path, catalog: Catalog) -> list[str]:
    obs = kolada_observations(directory, catalog, "snapshot")
    frame = validate(obs.frame, catalog)
    values = frame.dropna(subset=["value"])
    wanted = catalog.kolada()
    found = set(values["indicator_id"].unique())
    missing = [i.id for i in wanted if i.id not in found]
    lines = [
        f"{label}: {directory}",
        f"  källa: {obs.origin_label}",
        f"  indikatorer: {len(found)} av {len(wanted)} Kolada-indikatorer i katalogen",
        f"  regioner: {_regions(values)}",
        f"  år: {_years(values)}",
        (
            f"  hämtad: okänt (ingen retrieved.json); fildatum {obs.retrieved}"
            if "fildatum" in obs.origin_label
            else f"  hämtad: {obs.retrieved or 'okänt'}"
        ),
        "  utan värden: " + (", ".join(missing) if missing else "inga"),
    ]
    return lines


def _regional_summary(directory: Path, catalog: Catalog) -> list[str]:
    frame, files = read_regional_dir(directory, catalog)
    lines = [f"Regionens egna uppgifter: {directory}"]
    if not files:
        lines.append(
            "  inga filer; lägg regionens siffror i <region>.csv "
            "(rubrikrad indicator_id;year;gender;value;source;note)"
        )
        return lines
    for path in files:
        region_frame = frame[frame["region_code"] == _code_of(path)]
        ids = sorted(region_frame["indicator_id"].unique())
        name = by_code(_code_of(path)).name if _code_of(path) else path.stem
        lines.append(
            f"  {path.name} ({name}): {len(region_frame)} värden, "
            f"{len(ids)} indikatorer, år {_years(region_frame)}"
        )
    wanted = catalog.regional()
    found = set(frame["indicator_id"].unique())
    missing = [i.id for i in wanted if i.id not in found]
    lines.append("  utan värden i någon fil: " + (", ".join(missing) if missing else "inga"))
    return lines


def _code_of(path: Path) -> str:
    for region in all_regions():
        if region.slug == path.stem:
            return region.code
    return ""


def _example_summary(catalog: Catalog) -> list[str]:
    years = list(DEFAULT_YEARS)
    return [
        "Exempeldata: tillgänglig (inbyggd, inte verkliga värden)",
        f"  indikatorer: alla {len(catalog)} i katalogen; regioner: 21 regioner + riket; "
        f"år: {years[0]}–{years[-1]}",
        "  används bara på begäran: DATA=exempel",
    ]


def print_status(data: str | Path | None = None) -> int:
    """Print, in Swedish, what each origin holds; a bad data directory is an error."""
    catalog = load_catalog()
    blocks: list[list[str]] = []

    env = settings().data
    given = str(data).strip() if data is not None and str(data).strip() else ""
    example = is_example_request(data)
    if (given or env) and not example:
        path = Path(given or env).expanduser()
        if path.suffix == ".pkl":
            raise NaravardError(
                f"{path}: data status läser Kolada-kataloger, inte sparade "
                "observationer; ange katalogen med Kolada-data"
            )
        directory = explicit_dir(path, from_env=not given)
        blocks.append(_kolada_summary("Angiven ögonblicksbild", directory, catalog))

    snapshot = paths.snapshot_dir()
    if has_kolada_data(snapshot):
        try:
            blocks.append(_kolada_summary("Projektets ögonblicksbild", snapshot, catalog))
        except NaravardError as exc:
            blocks.append([f"Projektets ögonblicksbild: {snapshot}", f"  trasig: {exc}"])
    else:
        blocks.append(
            [
                f"Projektets ögonblicksbild: {snapshot}",
                "  saknas; återställ med git checkout -- data/kolada eller kör make data",
            ]
        )

    blocks.append(_regional_summary(paths.regional_dir(), catalog))
    blocks.append(_example_summary(catalog))

    if example:
        used = "exempeldata (DATA=exempel)"
    elif given or env:
        used = "den angivna ögonblicksbilden"
    else:
        used = "projektets ögonblicksbild data/kolada"
    blocks.append([f"Rapporterna använder: {used}"])

    # what the data files say reaches the terminal without control characters
    print("\n\n".join("\n".join(printable(line) for line in block) for block in blocks))
    return 0
