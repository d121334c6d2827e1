"""The one validated tidy table of observations, and where it comes from.

Every later step (indicators, charts, text) reads this table only, so the checks live here once:
a pandera schema joined with the catalogue. `load_observations` decides the origin (snapshot,
or example data on request), says which one in Swedish for the report, and lists the files
it read so that the manifest can hash them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
import hmac

import pandas as pd
import pandera.pandas as pa

from naravard.sources import COLUMNS
from naravard.config.catalog import Catalog, load_catalog
from naravard.config.regions import all_regions, region_codes
from naravard.core import paths
from naravard.core.errors import NaravardError, excerpt
from naravard.core.limits import range_problem, span_text, value_range
from naravard.core.settings import settings
from naravard.sources import COPIED_LABEL
from naravard.sources.example import generate_example
from naravard.sources.kolada import read_kolada_dir
from naravard.sources.observation_key import observations_key, signature
from naravard.sources.regional import read_regional_dir
from naravard.config.kommun_catalog import kommun_catalog_path, load_kommun_catalog
from naravard.sources.kommun import read_kommun

GENDERS = ("T", "K", "M")
YEARS = (2000, 2100)  # the years any value may have; a snapshot's others are left out
KEY = ["indicator_id", "region_code", "year", "gender"]
EXAMPLE_LABEL = "Exempeldata (inte verkliga värden)"
EXAMPLE_NOTE = (
    "Rapporten gjordes med DATA=exempel: den bygger på påhittade exempeldata, "
    "inte på verkliga värden"
)


def _bounds(df: pd.DataFrame, units: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Each row's allowed lowest and highest value, from its indicator's unit."""
    ranges = {i: value_range(u) for i, u in units.items()}
    ids = df["indicator_id"]
    low = ids.map(lambda i: ranges.get(i, (-math.inf, math.inf))[0]).astype("float64")
    high = ids.map(lambda i: ranges.get(i, (-math.inf, math.inf))[1]).astype("float64")
    return low, high


# --- the schema ---------------------------------------------------------------------------


def schema(catalog: Catalog) -> pa.DataFrameSchema:
    """Types and ranges; values are checked against their unit's range (naravard.core.limits)."""
    units = {i.id: i.unit for i in catalog}

    def value_in_range(df: pd.DataFrame) -> pd.Series:
        low, high = _bounds(df, units)
        return df["value"].isna() | df["value"].between(low, high)

    return pa.DataFrameSchema(
        {
            "indicator_id": pa.Column(str, pa.Check.isin([i.id for i in catalog])),
            "region_code": pa.Column(str, pa.Check.isin(region_codes(include_riket=True))),
            "year": pa.Column("int64", pa.Check.in_range(*YEARS)),
            "gender": pa.Column(str, pa.Check.isin(list(GENDERS))),
            "value": pa.Column("float64", nullable=True),
            "status": pa.Column(str),
            "source": pa.Column(str),
            "retrieved": pa.Column(str),
        },
        checks=[pa.Check(value_in_range, name="value_range")],
        unique=KEY,
        strict=True,
        ordered=False,
    )


_FIXES = {
    "indicator_id": "använd ett id ur data/catalog/indicators.yaml",
    "region_code": "använd en regionkod 0000–0025 (0000 är riket)",
    "year": "skriv ett årtal mellan 2000 och 2100",
    "gender": "skriv T (totalt), K (kvinnor) eller M (män)",
    "value": "skriv ett tal",
}


def _plain(value: object) -> str:
    """A value as a reader writes it: "X" for text, 140.0 for numbers (no numpy reprs)."""
    if hasattr(value, "item"):
        value = value.item()
    return f'"{value}"' if isinstance(value, str) else str(value)


def _describe_row(frame: pd.DataFrame, index: object) -> str:
    try:
        row = frame.loc[index]
    except (KeyError, TypeError):
        return f"rad {index}"
    parts = [f"{c}={row[c]}" for c in KEY if c in frame.columns]
    return f"rad {index} ({', '.join(parts)})"


Origin = Callable[[pd.Series], str]


def validate(frame: pd.DataFrame, catalog: Catalog, origin: Origin | None = None) -> pd.DataFrame:
    """The frame, checked; the first problem becomes one Swedish line naming column, value, row.

    `origin` names the file a row came from, so the line points at the file to fix rather than
    at a row of the combined table the user never sees.
    """
    try:
        return schema(catalog).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    if cases is None or len(cases) == 0:  # pragma: no cover - pandera always reports a case
        raise NaravardError("observationstabellen är ogiltig; kontrollera indata")
    case = cases.iloc[0]
    column, check, index = case.get("column"), str(case.get("check")), case.get("index")
    value = case.get("failure_case")
    if index is not None and not pd.isna(index) and column in frame.columns:
        try:
            value = frame.loc[index, column]
        except (KeyError, TypeError):
            pass
    where = _describe_row(frame, index) if index is not None and not pd.isna(index) else ""
    if where and origin is not None:
        try:
            where = f"{origin(frame.loc[index])}: {where.split(' ', 2)[-1].strip('()')}"
        except (KeyError, TypeError):
            pass
        else:
            raise _row_error(frame, index, check, column, value, where, catalog)
    if check == "value_range" and where:
        raise NaravardError(
            f"observationstabellen {where}: {_range_text(frame, index, catalog)}; "
            "rätta värdet i källfilen"
        )
    if "uniqueness" in check or check == "unique":
        raise NaravardError(
            f"observationstabellen {where}: samma indikator, region, år och kön står mer än en "
            "gång; ta bort dubbletten i källfilen"
        )
    if check == "column_in_dataframe":
        raise NaravardError(
            f"observationstabellen: kolumnen {value} saknas; kolumnerna ska vara "
            f"{', '.join(COLUMNS)}"
        )
    if check == "column_in_schema":
        raise NaravardError(
            f"observationstabellen: okänd kolumn {value}; kolumnerna ska vara {', '.join(COLUMNS)}"
        )
    if check.startswith("dtype") or check.startswith("coerce"):
        raise NaravardError(
            f"observationstabellen: kolumnen {column} har fel typ ({value}); "
            f"{_FIXES.get(str(column), 'rätta källdata')}"
        )
    if check == "not_nullable":
        raise NaravardError(
            f"observationstabellen {where}: kolumnen {column} saknar värde; "
            f"{_FIXES.get(str(column), 'fyll i värdet')}"
        )
    raise NaravardError(
        f"observationstabellen {where}: kolumnen {column} har det ogiltiga värdet {_plain(value)}; "
        f"{_FIXES.get(str(column), 'rätta källdata')}"
    )


def _range_text(frame: pd.DataFrame, index: object, catalog: Catalog) -> str:
    unit = catalog.get(str(frame.loc[index, "indicator_id"])).unit
    number = float(frame.loc[index, "value"])
    return (
        f"kolumnen value: {_plain(number)} {range_problem(number, unit)} (enhet {unit}, tillåtet "
        f"{span_text(unit)})"
    )


def _row_error(
    frame: pd.DataFrame,
    index: object,
    check: str,
    column: object,
    value: object,
    where: str,
    catalog: Catalog,
) -> NaravardError:
    """One line for a bad row whose source file is known: `<file>: <key>: problem; fix`."""
    if check == "value_range":
        return NaravardError(
            f"{where}: {_range_text(frame, index, catalog)}; rätta eller ta bort värdet i filen"
        )
    if "uniqueness" in check or check == "unique":
        return NaravardError(
            f"{where}: samma indikator, region, år och kön står mer än en "
            "gång; ta bort dubbletten i filen"
        )
    return NaravardError(
        f"{where}: kolumnen {column} har det ogiltiga värdet "
        f"{excerpt(value)}; {_FIXES.get(str(column), 'rätta värdet i filen')}"
    )


def empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


# --- observations -------------------------------------------------------------------------


@dataclass
class Observations:
    frame: pd.DataFrame
    origin: str  # "snapshot" | "cache" | "example" (a pickle keeps its own)
    origin_label: str
    retrieved: str | None
    is_example: bool
    input_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kommun: object = None  # naravard.sources.kommun.KommunData, when the snapshot has kommuner

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame["year"].unique())


# Only files this run wrote and signed are loaded (naravard.sources.observation_key says why).
_MAGIC = b"naravard-observations-v1\n"


def save_observations(obs: Observations, path: str | Path) -> Path:
    """Pickle `obs` (atomically, signed) so that many notebooks can share one load."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(obs, protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + signature(observations_key(), payload) + b"\n" + payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_saved_observations(path: Path) -> Observations:
    """Observations from a file `save_observations` wrote in this run, else NaravardError."""

    refused = NaravardError(
        f"{path}: naravard läser bara .pkl-filer som den själv har skrivit under körningen "
        "(en .pkl-fil kan köra godtycklig kod när den läses); ange katalogen med Kolada-data, "
        "t.ex. DATA=../shared/data/kolada"
    )
    if not path.is_file():
        raise NaravardError(f"{path}: filen finns inte; ange katalogen med Kolada-data")
    key = settings().observations_key
    with path.open("rb") as handle:
        head = handle.read(len(_MAGIC) + 65)
        payload = handle.read()
    if not key or not head.startswith(_MAGIC):
        raise refused
    if not hmac.compare_digest(head[len(_MAGIC) :].rstrip(b"\n"), signature(key, payload)):
        raise refused
    try:
        obs = pickle.loads(payload)  # noqa: S301 - signed above by this run's save_observations
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means the same thing
        raise NaravardError(
            f"{path}: kan inte läsas som sparade observationer "
            f"({type(exc).__name__}); kör rapporten igen"
        ) from None
    if not isinstance(obs, Observations):
        raise refused
    return obs


def has_kolada_data(directory: Path) -> bool:
    data = directory / "data"
    return data.is_dir() and any(data.glob("*.json"))


def _short(directory: Path) -> str:
    """`…/data/kolada`: enough to recognise the folder without printing a home directory."""
    parts = directory.resolve().parts
    return "…/" + "/".join(parts[-2:]) if len(parts) > 2 else str(directory)


def _file_date(files: list[Path]) -> str | None:
    stamps = [p.stat().st_mtime for p in files if p.exists()]
    if not stamps:
        return None
    return dt.datetime.fromtimestamp(max(stamps)).date().isoformat()


def _kolada_frame(directory: Path, catalog: Catalog):
    """Kolada values under catalogue ids, with the files read and the retrieval date."""
    data = read_kolada_dir(directory, [i.kolada_id for i in catalog.kolada()])
    mapping = {i.kolada_id: i.id for i in catalog.kolada()}
    raw = data.frame
    raw = raw[raw["kpi"].isin(mapping) & raw["region_code"].isin(region_codes(include_riket=True))]
    retrieved = data.retrieved[:10] if data.retrieved else None
    frame = pd.DataFrame(
        {
            "indicator_id": raw["kpi"].map(mapping).astype(str),
            "region_code": raw["region_code"].astype(str),
            "year": raw["year"].astype("int64"),
            "gender": raw["gender"].astype(str),
            "value": raw["value"].astype("float64"),
            "status": raw["status"].fillna("").astype(str),
            "source": "Kolada",
            "retrieved": retrieved or "",
        }
    )
    return frame.reset_index(drop=True), data


def _outside_years(frame: pd.DataFrame, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose year is outside YEARS left out, with a note saying how many and which years."""
    outside = ~frame["year"].between(*YEARS)
    if not outside.any():
        return frame, []
    years = sorted(int(y) for y in frame.loc[outside, "year"].unique())
    shown = ", ".join(str(y) for y in years[:5]) + (" …" if len(years) > 5 else "")
    note = (
        f"{int(outside.sum())} värden för år utanför {YEARS[0]}–{YEARS[1]} ({shown}) i "
        f"{where} togs inte med"
    )
    return frame.loc[~outside].reset_index(drop=True), [note]


def kolada_observations(directory: Path, catalog: Catalog, origin: str) -> Observations:
    frame, data = _kolada_frame(directory, catalog)
    frame, notes = _outside_years(frame, _short(directory))
    if data.retrieved and data.copied:
        date, how = data.retrieved[:10], COPIED_LABEL
    elif data.retrieved:
        date, how = data.retrieved[:10], "hämtad"
    else:
        date, how = _file_date(data.files), "fildatum"
        frame["retrieved"] = date or ""
    if origin == "snapshot":
        label = f"Kolada, ögonblicksbild i {_short(directory)}"
        label += f" ({how} {date})" if date else ""
    else:
        label = (
            f"Kolada, nedladdad {date}" if how == "hämtad" else f"Kolada, nedladdad ({how} {date})"
        )
    if data.missing_kpis:
        names = [catalog.by_kolada_id(k).id for k in data.missing_kpis if catalog.by_kolada_id(k)]
        notes.append(
            f"{len(names)} av katalogens Kolada-indikatorer saknas i {_short(directory)}: "
            + ", ".join(names)
        )
    return Observations(
        frame=frame,
        origin=origin,
        origin_label=label,
        retrieved=date,
        is_example=False,
        input_files=list(data.files),
        notes=notes,
    )


def _example_observations(catalog: Catalog) -> Observations:
    return Observations(
        frame=generate_example(catalog),
        origin="example",
        origin_label=EXAMPLE_LABEL,
        retrieved=None,
        is_example=True,
        input_files=[catalog.path],
        notes=[EXAMPLE_NOTE],
    )


def _with_regional(
    obs: Observations, catalog: Catalog, regional_dir: Path, regions: tuple[str, ...] | None = None
) -> Observations:
    regional, files = read_regional_dir(regional_dir, catalog, regions)
    if not regional.empty:
        obs.frame = pd.concat([obs.frame, regional[COLUMNS]], ignore_index=True)
    obs.input_files.extend(files)
    return obs


def _with_kommun(obs: Observations, directory: Path) -> None:
    """The snapshot's kommun data (naravard.sources.kommun), when it has any."""
    if not kommun_catalog_path().is_file():
        return
    catalog = load_kommun_catalog()
    obs.kommun = read_kommun(directory, catalog)
    if obs.kommun is not None:
        obs.input_files.extend([*obs.kommun.files, catalog.path])


def origin_of(kolada_dir: Path, regional: Path, catalog: Catalog) -> Origin:
    """The file a row of the combined table was read from, as the user knows it."""
    kpis = {i.id: i.kolada_id for i in catalog.kolada()}
    slugs = {r.code: r.slug for r in all_regions(include_riket=True)}

    def origin(row: pd.Series) -> str:
        kpi = kpis.get(row["indicator_id"])
        if row["source"] == "Kolada" and kpi:
            return paths.display_path(kolada_dir / "data" / f"{kpi}.json")
        return paths.display_path(regional / f"{slugs.get(row['region_code'], '?')}.csv")

    return origin


# --- memo ---------------------------------------------------------------------------------

_MEMO: dict[tuple, Observations] = {}


def _stamp(paths_: list[Path]) -> tuple:
    out = []
    for p in paths_:
        try:
            out.append((str(p), p.stat().st_mtime_ns))
        except OSError:
            out.append((str(p), None))
    return tuple(out)


def _dir_stamp(directory: Path) -> tuple:
    if not directory.is_dir():
        return ()
    files = [p for p in directory.iterdir() if p.is_file()]
    data = directory / "data"
    if data.is_dir():
        files += [p for p in data.iterdir() if p.is_file()]
    return _stamp(sorted(files))


def _catalog_key(catalog: Catalog) -> tuple:
    return (str(catalog.path), tuple((i.id, i.unit, i.kolada_id) for i in catalog))


def _copy(obs: Observations) -> Observations:
    return dataclasses.replace(
        obs, frame=obs.frame.copy(), input_files=list(obs.input_files), notes=list(obs.notes)
    )


def clear_memo() -> None:
    """Forget loaded tables (tests, or after downloading new data in the same process)."""
    _MEMO.clear()


# --- loading ------------------------------------------------------------------------------

EXAMPLE_WORDS = ("exempel", "exempeldata")  # DATA=exempel: the built-in example data


def explicit_dir(data: Path, from_env: bool) -> Path:
    where = f"NARAVARD_DATA={data}" if from_env else str(data)
    if not data.exists():
        raise NaravardError(
            f"{where}: datakatalogen finns inte; ange katalogen med Kolada-data "
            "(t.ex. DATA=../shared/data/kolada) eller utelämna den för projektets "
            "ögonblicksbild data/kolada"
        )
    if not data.is_dir():
        raise NaravardError(
            f"{where}: är en fil, inte en katalog; ange katalogen med Kolada-data "
            "(med data/<KPI>.json) eller en sparad observationsfil .pkl"
        )
    return data


def is_example_request(data: str | Path | None) -> bool:
    """True when the user asked for example data (`DATA=exempel`); never a fallback."""
    given = str(data).strip() if data is not None else ""
    given = given or settings().data
    return given.lower() in EXAMPLE_WORDS


def default_snapshot() -> Path:
    """The committed snapshot; missing only in a broken checkout, which is said in one line."""
    path = paths.snapshot_dir()
    if not has_kolada_data(path):
        raise NaravardError(
            f"{paths.display_path(path)}: projektets Kolada-ögonblicksbild saknas; återställ "
            "den med git checkout -- data/kolada, hämta en ny med make data eller ange DATA=<katalog>"
        )
    return path


def _resolve_origin(data: str | Path | None) -> tuple[str, Path | None]:
    if is_example_request(data):
        return "example", None
    if data is not None and str(data).strip():
        path = Path(data).expanduser()
        if path.suffix == ".pkl":
            return "pickle", path
        return "snapshot", explicit_dir(path, from_env=False)
    env = settings().data
    if env:
        path = Path(env).expanduser()
        if path.suffix == ".pkl":
            return "pickle", path
        return "snapshot", explicit_dir(path, from_env=True)
    return "snapshot", default_snapshot()


def check_data_argument(data: str | Path | None) -> None:
    """Fail at once on a DATA directory that does not exist, before a run starts workers."""
    _resolve_origin(data)


def load_observations(
    data: str | Path | None = None,
    *,
    catalog: Catalog | None = None,
    regional_dir: str | Path | None = None,
    regions: Iterable[str] | None = None,
) -> Observations:
    """The validated observations from the first origin that has data (see module docstring).

    Order: `data` (a Kolada directory, a .pkl from save_observations, or "exempel") →
    $NARAVARD_DATA → the committed snapshot `data/kolada/`. Example data only on request;
    a given directory that is missing or broken is an error, never a silent fallback.
    `regions` (slugs) limits which regional files are read: one region's report does not
    depend on, nor fail on, another region's file.
    """
    wanted = tuple(sorted(set(regions))) if regions is not None else None
    kind, path = _resolve_origin(data)
    if kind == "pickle":
        key = ("pickle", str(path.resolve()), _stamp([path]))
        if key not in _MEMO:
            _MEMO[key] = load_saved_observations(path)
        return _copy(_MEMO[key])

    catalog = catalog or load_catalog()
    regional = Path(regional_dir) if regional_dir is not None else paths.regional_dir()
    regional_key = (str(regional.resolve()), _dir_stamp(regional))
    cat_key = _catalog_key(catalog)

    if kind == "example":
        key = ("example", cat_key)
        if key not in _MEMO:
            obs = _example_observations(catalog)
            obs.frame = validate(obs.frame, catalog)
            _MEMO[key] = obs
        return _copy(_MEMO[key])

    key = (
        kind,
        str(path.resolve()),
        _dir_stamp(path),
        _dir_stamp(path / "kommun"),
        regional_key,
        cat_key,
        wanted,
    )
    if key not in _MEMO:
        obs = kolada_observations(path, catalog, "snapshot" if kind == "snapshot" else kind)
        obs = _with_regional(obs, catalog, regional, wanted)
        obs.input_files.append(catalog.path)
        obs.frame = validate(obs.frame, catalog, origin_of(path, regional, catalog))
        _with_kommun(obs, path)
        _MEMO[key] = obs
    return _copy(_MEMO[key])
