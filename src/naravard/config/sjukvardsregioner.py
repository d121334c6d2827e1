"""The six sjukvårdsregioner as data (data/catalog/sjukvardsregioner.yaml), read and checked once.

A region report places the region among its sjukvårdsregion's regions, so the file must name
every region, and a region in two of them (Halland) must say so in both (`delvis`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from naravard.config.regions import all_regions, get_region
from naravard.core import safe_yaml
from naravard.core.errors import NaravardError, excerpt
from naravard.core.paths import catalog_path
from naravard.core.paths import display_path

MAX_ENTRIES = 20  # six exist; a longer file is a mistake, not a bigger country


@dataclass(frozen=True)
class Sjukvardsregion:
    name: str  # "Norra sjukvårdsregionen"
    members: tuple[str, ...]  # region codes, in Kolada code order
    partly: tuple[tuple[str, str], ...] = ()  # (code, "norra delen") for a region in two


def default_path() -> Path:
    return catalog_path().with_name("sjukvardsregioner.yaml")


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise NaravardError(
            f"{where}: ska vara en lista med regionnamn, t.ex. [Norrbotten, Västerbotten]"
        )
    return value


def _code(name: str, where: str) -> str:
    try:
        return get_region(name).code
    except NaravardError as exc:
        raise NaravardError(f"{where}: {exc}") from None


def _entry(raw: Any, where: str) -> Sjukvardsregion:
    if not isinstance(raw, dict) or not isinstance(raw.get("namn"), str) or not raw["namn"]:
        raise NaravardError(f"{where}: varje sjukvårdsregion behöver `namn` och `regioner`")
    unknown = set(raw) - {"namn", "regioner", "delvis"}
    if unknown:
        raise NaravardError(
            f"{where}: okänt fält {excerpt(sorted(unknown)[0])}; tillåtna: namn, regioner, delvis"
        )
    where = f"{where} ({raw['namn']})"
    codes = [
        _code(n, f"{where} regioner") for n in _strings(raw.get("regioner"), f"{where} regioner")
    ]
    if len(set(codes)) != len(codes):
        raise NaravardError(f"{where}: en region står två gånger i `regioner`; ta bort den ena")
    partly_raw = raw.get("delvis") or {}
    if not isinstance(partly_raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in partly_raw.items()
    ):
        raise NaravardError(
            f"{where} delvis: skriv `Region: vilken del`, t.ex. `Halland: norra delen`"
        )
    partly = tuple(sorted((_code(k, f"{where} delvis"), v) for k, v in partly_raw.items()))
    if not {c for c, _ in partly} <= set(codes):
        raise NaravardError(f"{where} delvis: regionen måste också stå i `regioner`")
    return Sjukvardsregion(raw["namn"], tuple(sorted(codes)), partly)


def parse(data: Any, where: str) -> tuple[Sjukvardsregion, ...]:
    """The entries of a parsed file; every region once, or twice when both entries say `delvis`."""
    if not isinstance(data, dict) or not isinstance(data.get("sjukvardsregioner"), list):
        raise NaravardError(f"{where}: filen ska ha en lista `sjukvardsregioner:`")
    raw = data["sjukvardsregioner"]
    if len(raw) > MAX_ENTRIES:
        raise NaravardError(f"{where}: {len(raw)} sjukvårdsregioner, högst {MAX_ENTRIES}")
    entries = tuple(_entry(e, f"{where} post {i}") for i, e in enumerate(raw, 1))
    for region in all_regions():
        homes = [e for e in entries if region.code in e.members]
        if not homes:
            raise NaravardError(
                f"{where}: {region.name} står inte i någon sjukvårdsregion; "
                "lägg till den under `regioner`"
            )
        if len(homes) > 1 and not all(region.code in dict(e.partly) for e in homes):
            raise NaravardError(
                f"{where}: {region.name} står i {' och '.join(e.name for e in homes)}; "
                f"skriv `delvis: {{{region.name}: …}}` i båda, eller ta bort den ena"
            )
    return entries


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime: int) -> tuple[Sjukvardsregion, ...]:
    where = display_path(path)
    return parse(safe_yaml.load_file(path, where), where)


def load(path: Path | None = None) -> tuple[Sjukvardsregion, ...]:
    """All sjukvårdsregioner from the file (default data/catalog/sjukvardsregioner.yaml)."""
    path = Path(path or default_path())
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0  # load_file says what is wrong
    return _load(path, mtime)


def of_region(code: str, path: Path | None = None) -> tuple[Sjukvardsregion, ...]:
    """The sjukvårdsregion(er) a region belongs to: one, or two for Halland."""
    return tuple(e for e in load(path) if code in e.members)
