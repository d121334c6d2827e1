"""Kolada v3: one parser for the shared snapshot, our download cache and the live API.

The live API's client and the download are naravard.sources.kolada_client.

Kolada's own response JSON is the on-disk format, so a snapshot, a cache and a live answer can
never drift apart: everything goes through `parse_data_payload`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from naravard.core import paths
from naravard.core.errors import NaravardError, excerpt

KOLADA_BASE_URL = "https://api.kolada.se/v3"
KOLADA_COLUMNS = ["kpi", "region_code", "year", "gender", "value", "status"]
RETRIEVED_FILE = "retrieved.json"
GENDERS = ("T", "K", "M")
V3_SHAPE = 'väntade Koladas v3-format {"values": [{"kpi", "municipality", "period", "values": [{"gender", "status", "value"}]}]}'


class KoladaUnavailable(NaravardError):
    """Kolada could not be reached, kept failing, or answered what cannot be used.

    Its message always says whether the network or Kolada failed, never the disk."""


@dataclass
class KoladaData:
    frame: pd.DataFrame  # KOLADA_COLUMNS
    directory: Path
    retrieved: str | None  # ISO 8601, from retrieved.json in our cache; None for a snapshot
    files: list[Path]  # every file read, for manifests and up-to-date checks
    missing_kpis: list[str]  # requested KPI ids with no data/<KPI>.json
    kpi_meta: dict[str, dict] = field(
        default_factory=dict
    )  # kpi.json by id (title, description, …)
    # retrieved.json's "copied": the date is when a copy of an export entered the project, not
    # when Kolada answered (the shipped snapshot until the first `make data`)
    copied: bool = False


# ---------------------------------------------------------------------------------------------
# Parsing


def _shape_error(where: str, field_name: str, problem: str) -> NaravardError:
    return NaravardError(f"{where}: fältet {field_name} {problem}; {V3_SHAPE}")


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _year(raw: Any, where: str, field_name: str) -> int:
    """A four-digit year; anything else (10**30, "20x4") is a broken file, not a year."""
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 4:
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
        return raw
    raise _shape_error(where, field_name, f"är {excerpt(raw)}, inte ett årtal")


def parse_data_payload(payload: Any, where: str) -> list[dict]:
    """Flatten one v3 data response to rows; strict, because a silent misread becomes a wrong report."""
    if not isinstance(payload, dict):
        raise _shape_error(where, "(svaret)", f"är {type_name(payload)}, inte ett JSON-objekt")
    values = payload.get("values")
    if not isinstance(values, list):
        problem = "saknas" if "values" not in payload else f"är {type_name(values)}, inte en lista"
        raise _shape_error(where, "values", problem)
    rows: list[dict] = []
    append = rows.append
    for i, item in enumerate(values):
        at = f"values[{i}]"
        if not isinstance(item, dict):
            raise _shape_error(where, at, f"är {type_name(item)}, inte ett objekt")
        kpi = item.get("kpi")
        if not isinstance(kpi, str) or not kpi:
            raise _shape_error(where, f"{at}.kpi", f"är {excerpt(kpi)}, inte ett nyckeltals-id")
        region = item.get("municipality")
        if not isinstance(region, str) or not region:
            raise _shape_error(
                where, f"{at}.municipality", f'är {excerpt(region)}, inte ett id som "0024"'
            )
        year = _year(item.get("period"), where, f"{at}.period")
        inner = item.get("values")
        if not isinstance(inner, list):
            raise _shape_error(where, f"{at}.values", f"är {type_name(inner)}, inte en lista")
        for j, entry in enumerate(inner):
            at_j = f"{at}.values[{j}]"
            if not isinstance(entry, dict):
                raise _shape_error(where, at_j, f"är {type_name(entry)}, inte ett objekt")
            gender = entry.get("gender")
            if gender not in GENDERS:
                raise _shape_error(
                    where, f"{at_j}.gender", f"är {excerpt(gender)}, inte T, K eller M"
                )
            value = entry.get("value")
            if value is None:
                number = float("nan")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                number = float(value)
                if not math.isfinite(number):  # JSON's Infinity, NaN or 1e999
                    raise _shape_error(
                        where, f"{at_j}.value", f"är {excerpt(value)}, inte ett ändligt tal"
                    )
            else:
                raise _shape_error(
                    where, f"{at_j}.value", f"är {excerpt(value)}, inte ett tal eller null"
                )
            status = entry.get("status")
            if status is None:
                status = ""
            elif not isinstance(status, str):
                raise _shape_error(where, f"{at_j}.status", f"är {excerpt(status)}, inte en text")
            append(
                {
                    "kpi": kpi,
                    "region_code": region,
                    "year": year,
                    "gender": gender,
                    "value": number,
                    "status": status,
                }
            )
    return rows


def _empty_frame() -> pd.DataFrame:
    return _frame_from_rows([])


def _frame_from_rows(rows: list[dict]) -> pd.DataFrame:
    """Build the frame once, column by column, with the contract's dtypes."""
    frame = pd.DataFrame(
        {
            "kpi": pd.Series([r["kpi"] for r in rows], dtype=str),
            "region_code": pd.Series([r["region_code"] for r in rows], dtype=str),
            "year": pd.Series([r["year"] for r in rows], dtype="int64"),
            "gender": pd.Series([r["gender"] for r in rows], dtype=str),
            "value": pd.Series([r["value"] for r in rows], dtype="float64"),
            "status": pd.Series([r["status"] for r in rows], dtype=str),
        }
    )
    return frame.sort_values(["kpi", "region_code", "year", "gender"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Reading a snapshot or our cache


def _fix_hint(is_cache: bool) -> str:
    if is_cache:
        return "återställ den med git checkout eller hämta den igen med make data"
    return "ersätt filen med en hel kopia av ögonblicksbilden"


def _load_json(path: Path, is_cache: bool) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except RecursionError:
        raise NaravardError(
            f"{path}: JSON-strukturen är för djupt nästlad för att vara ett "
            f"svar från Kolada; {_fix_hint(is_cache)}"
        ) from None
    except json.JSONDecodeError as exc:
        raise NaravardError(
            f"{path}: trasig eller avkortad JSON (rad {exc.lineno}, kolumn {exc.colno}: {exc.msg}); "
            f"{_fix_hint(is_cache)}"
        ) from None
    except UnicodeDecodeError:
        raise NaravardError(
            f"{path}: filen är inte UTF-8-kodad JSON; {_fix_hint(is_cache)}"
        ) from None
    except OSError as exc:
        raise NaravardError(
            f"{path}: kan inte läsas ({exc.strerror}); kontrollera filens rättigheter"
        ) from None


def _layout_hint(directory: Path) -> str:
    return (
        f"väntade Koladas layout {directory}/data/<KPI>.json (t.ex. data/N79173.json) med "
        "kpi.json och municipality.json bredvid; ange katalogen med ögonblicksbilden "
        "(t.ex. DATA=../shared/data/kolada) eller hämta data med make data"
    )


def read_kolada_dir(directory: Path | str, kpi_ids: Iterable[str] | None = None) -> KoladaData:
    """Read a snapshot or our cache; both share Kolada's v3 layout, so one reader serves both."""
    directory = Path(directory)
    if not directory.exists():
        raise NaravardError(f"{directory}: katalogen finns inte; {_layout_hint(directory)}")
    if not directory.is_dir():
        raise NaravardError(f"{directory}: är en fil, inte en katalog; {_layout_hint(directory)}")
    data_dir = directory / "data"
    if not data_dir.is_dir():
        raise NaravardError(f"{directory}: mappen data/ saknas; {_layout_hint(directory)}")
    available = {p.stem: p for p in data_dir.glob("*.json") if p.is_file()}
    if not available:
        raise NaravardError(f"{data_dir}: inga filer <KPI>.json; {_layout_hint(directory)}")

    retrieved_path = directory / RETRIEVED_FILE
    is_cache = retrieved_path.is_file() or _same_path(directory, paths.snapshot_dir())
    files: list[Path] = []
    retrieved: str | None = None
    copied = False
    if retrieved_path.is_file():
        info = _load_json(retrieved_path, True)
        stamp = info.get("retrieved") if isinstance(info, dict) else None
        if not isinstance(stamp, str) or not stamp:
            raise NaravardError(
                f"{retrieved_path}: fältet retrieved saknas eller är tomt; "
                "hämta cachen igen med make data"
            )
        retrieved = stamp
        copied = info.get("copied") is True
        files.append(retrieved_path)

    if kpi_ids is None:
        wanted = sorted(available)
        missing: list[str] = []
    else:
        wanted = list(dict.fromkeys(str(k).strip() for k in kpi_ids))
        missing = [k for k in wanted if k not in available]

    rows: list[dict] = []
    for kpi in wanted:
        path = available.get(kpi)
        if path is None:
            continue
        payload = _load_json(path, is_cache)
        try:
            rows.extend(parse_data_payload(payload, str(path)))
        except NaravardError as exc:
            raise NaravardError(f"{exc}; {_fix_hint(is_cache)}") from None
        files.append(path)

    kpi_meta: dict[str, dict] = {}
    kpi_path = directory / "kpi.json"
    if kpi_path.is_file():
        meta = _load_json(kpi_path, is_cache)
        values = meta.get("values") if isinstance(meta, dict) else None
        if not isinstance(values, list):
            raise NaravardError(
                f"{kpi_path}: fältet values saknas eller är ingen lista; {_fix_hint(is_cache)}"
            )
        kpi_meta = {
            v["id"]: v for v in values if isinstance(v, dict) and isinstance(v.get("id"), str)
        }
        files.append(kpi_path)
    municipality_path = directory / "municipality.json"
    if municipality_path.is_file():
        files.append(municipality_path)

    return KoladaData(
        frame=_frame_from_rows(rows),
        directory=directory,
        retrieved=retrieved,
        files=files,
        missing_kpis=missing,
        kpi_meta=kpi_meta,
        copied=copied,
    )


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# Writing Kolada's format (the download, naravard.sources.kolada_client; make data)


def write_json(path: Path, payload: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=1)  # as the committed snapshot
        handle.write("\n")


def as_page(values: list[dict]) -> dict:
    return {"values": values, "count": len(values), "next_url": None, "previous_url": None}
