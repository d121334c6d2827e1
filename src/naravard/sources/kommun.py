"""Kommun data beside a Kolada snapshot: the kommuner's values, names, län and kommungrupp.

Layout (what `make data` writes and the project ships): `<snapshot>/kommun/` in Kolada's v3
layout (data/<KPI>.json, kpi.json, municipality.json), with `kommun_lan.csv` and
`municipality_groups.json` beside. A snapshot whose own data files also hold kommun rows (a
live answer for kommun ids) is read the same way. Values go through the one v3 parser
(naravard.sources.kolada), so nulls with a status, K/M-only rows and extra fields mean the
same here as for regions.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from naravard.config.catalog import Catalog
from naravard.config.regions import region_codes
from naravard.core.errors import NaravardError
from naravard.core.limits import range_problem
from naravard.sources.kolada import read_kolada_dir

SUBDIR = "kommun"
LAN_FILE = "kommun_lan.csv"
GROUPS_FILE = "municipality_groups.json"
SKR_KIND = "skr-kommungrupp"
COLUMNS = ["indicator_id", "code", "year", "gender", "value", "status"]
# Kolada's "Invånare totalt, antal": when the kommun part has it (make data fetches it), the
# report gives a small kommun's size beside the caution about its values
POPULATION_KPI = "N01951"


@dataclass
class KommunData:
    """The kommuner's values under kommun-catalogue ids, plus Riket's and the län's rows."""

    frame: pd.DataFrame  # COLUMNS; code is a kommun id, a region code or Riket (0000)
    names: dict[str, str]  # kommun id → name ("2480" → "Umeå")
    lan: dict[str, str]  # kommun id → region code ("2480" → "0024")
    groups: dict[str, str]  # kommun id → SKR kommungrupp ("Större stad")
    directory: Path
    retrieved: str | None
    files: list[Path] = field(default_factory=list)
    population: dict[str, tuple[int, int]] = field(default_factory=dict)  # id → (year, inv.)

    def kommuner(self, region_code: str) -> list[str]:
        """The län's kommuner that the data has values for, in id order."""
        have = set(self.frame["code"])
        return sorted(k for k, r in self.lan.items() if r == region_code and k in have)

    def all_in_lan(self, region_code: str) -> list[str]:
        """Every kommun of the län the map names, with or without values."""
        return sorted(k for k, r in self.lan.items() if r == region_code)


def kommun_dir(snapshot: Path) -> Path | None:
    """Where a snapshot keeps its kommun data, or None."""
    sub = snapshot / SUBDIR
    if (sub / "data").is_dir():
        return sub
    return None


def lan_of(kommun_id: str) -> str:
    """A kommun's region code from its id: the first two digits are the län (SCB's code)."""
    return "00" + kommun_id[:2]


def _names(directory: Path) -> dict[str, str]:
    path = directory / "municipality.json"
    if not path.is_file():
        return {}
    try:
        values = json.loads(path.read_text(encoding="utf-8")).get("values", [])
    except (OSError, ValueError, AttributeError):
        raise NaravardError(
            f"{path}: trasig JSON; ersätt filen med en hel kopia av "
            "ögonblicksbilden eller hämta den igen med make data"
        ) from None
    return {
        str(v["id"]): str(v["title"])
        for v in values
        if isinstance(v, dict) and v.get("type") == "K" and "id" in v and "title" in v
    }


def _lan_map(directory: Path) -> tuple[dict[str, str], dict[str, str]]:
    """kommun → region code and kommun → name, from kommun_lan.csv."""
    path = directory / LAN_FILE
    if not path.is_file():
        return {}, {}
    lan: dict[str, str] = {}
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            kommun, region = (
                (row.get("kommun_id") or "").strip(),
                (row.get("region_id") or "").strip(),
            )
            if not (kommun.isdigit() and len(kommun) == 4 and region.isdigit()):
                raise NaravardError(
                    f"{path}: rad {n}: kommun_id {kommun!r} eller region_id "
                    f"{region!r} är inget id; väntade t.ex. 2480,Umeå,24,0024,…"
                )
            lan[kommun] = region.zfill(4)
            names[kommun] = (row.get("kommun") or kommun).strip()
    return lan, names


def _skr_groups(directory: Path) -> dict[str, str]:
    path = directory / GROUPS_FILE
    if not path.is_file():
        return {}
    try:
        values = json.loads(path.read_text(encoding="utf-8")).get("values", [])
    except (OSError, ValueError, AttributeError):
        return {}
    out: dict[str, str] = {}
    for group in values:
        if not isinstance(group, dict) or group.get("kind") != SKR_KIND:
            continue
        title = str(group.get("title", "")).replace(" (ovägt medel)", "")
        for member in group.get("members") or []:
            if isinstance(member, dict) and "id" in member:
                out[str(member["id"])] = title
    return out


def _check_ranges(frame: pd.DataFrame, catalog: Catalog, directory: Path) -> None:
    """A value its unit cannot have (a share over 100) is a broken file: one line, no report."""
    units = {i.id: i.unit for i in catalog}
    for row in frame.dropna(subset=["value"]).itertuples():
        problem = range_problem(float(row.value), units[row.indicator_id])
        if problem:
            kpi = catalog.get(row.indicator_id).kolada_id
            raise NaravardError(
                f"{directory / 'data' / f'{kpi}.json'}: kommun {row.code} "
                f"{row.year} ({row.gender}): värdet {row.value:g} {problem}; "
                "ersätt filen med en hel kopia eller hämta den igen med make data"
            )


def read_kommun(snapshot: Path | str, catalog: Catalog) -> KommunData | None:
    """The kommun data of a snapshot, or None when it has none (the report then says so)."""
    snapshot = Path(snapshot)
    sub = kommun_dir(snapshot)
    directory = sub or snapshot
    kpis = [i.kolada_id for i in catalog.kolada()]
    available = (
        {p.stem for p in (directory / "data").glob("*.json")}
        if (directory / "data").is_dir()
        else set()
    )
    if not available & set(kpis):
        return None
    data = read_kolada_dir(directory, [k for k in kpis if k in available])
    mapping = {i.kolada_id: i.id for i in catalog.kolada()}
    raw = data.frame[data.frame["kpi"].isin(mapping)]
    lan, csv_names = _lan_map(directory)
    names = csv_names | _names(directory)
    regions = set(region_codes(include_riket=True))
    codes = raw["region_code"].astype(str)
    is_kommun = codes.str.fullmatch(r"\d{4}") & ~codes.isin(regions)
    if sub is None and not is_kommun.any():
        return None  # a region snapshot without kommun rows
    for code in sorted(set(codes[is_kommun])):
        lan.setdefault(code, lan_of(code))
        names.setdefault(code, code)
    frame = pd.DataFrame(
        {
            "indicator_id": raw["kpi"].map(mapping).astype(str),
            "code": codes,
            "year": raw["year"].astype("int64"),
            "gender": raw["gender"].astype(str),
            "value": raw["value"].astype("float64"),
            "status": raw["status"].fillna("").astype(str),
        }
    ).reset_index(drop=True)
    _check_ranges(frame, catalog, directory)
    files = list(data.files) + [
        p for p in (directory / LAN_FILE, directory / GROUPS_FILE) if p.is_file()
    ]
    population, population_files = _population(directory)
    return KommunData(
        frame=frame,
        names=names,
        lan=lan,
        groups=_skr_groups(directory),
        directory=directory,
        retrieved=data.retrieved,
        files=files + population_files,
        population=population,
    )


def _population(directory: Path) -> tuple[dict[str, tuple[int, int]], list[Path]]:
    """Each kommun's latest population (Kolada N01951), when the kommun part has it."""
    if not (directory / "data" / f"{POPULATION_KPI}.json").is_file():
        return {}, []
    data = read_kolada_dir(directory, [POPULATION_KPI])
    rows = data.frame[(data.frame["gender"] == "T") & data.frame["value"].notna()]
    latest = rows.sort_values("year").groupby("region_code").tail(1)
    return (
        {str(r.region_code): (int(r.year), int(round(r.value))) for r in latest.itertuples()},
        [p for p in data.files if p.parent.name == "data"],
    )
