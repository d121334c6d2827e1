"""The 21 regions and Riket: codes, names, slugs, and what analysts type to name them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from naravard.core.errors import NaravardError

RIKET_CODE = "0000"


@dataclass(frozen=True)
class Region:
    code: str  # Kolada municipality id, "0024"
    name: str  # short name as Kolada titles it, "Västerbotten"
    full_name: str  # the organisation, "Region Västerbotten"
    lan_code: str  # two-digit län code, "24"
    slug: str  # file-system-safe, "vasterbotten"
    tile: tuple[int, int]  # (column, row) on the tile map of Sweden, row 0 at the top

    @property
    def is_riket(self) -> bool:
        return self.code == RIKET_CODE


def slugify(text: str) -> str:
    """`Örebro län` → `orebro-lan`: ASCII, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _region(code: str, name: str, full_name: str, tile: tuple[int, int]) -> Region:
    return Region(code, name, full_name, code[2:], slugify(name), tile)


RIKET = Region(RIKET_CODE, "Riket", "Riket", "00", "riket", (-1, -1))

_REGIONS: tuple[Region, ...] = (
    _region("0001", "Stockholm", "Region Stockholm", (3, 5)),
    _region("0003", "Uppsala", "Region Uppsala", (3, 4)),
    _region("0004", "Sörmland", "Region Sörmland", (2, 5)),
    _region("0005", "Östergötland", "Region Östergötland", (1, 5)),
    _region("0006", "Jönköpings län", "Region Jönköpings län", (1, 6)),
    _region("0007", "Kronoberg", "Region Kronoberg", (1, 7)),
    _region("0008", "Kalmar", "Region Kalmar län", (2, 6)),
    _region("0009", "Gotland", "Region Gotland", (3, 6)),
    _region("0010", "Blekinge", "Region Blekinge", (2, 7)),
    _region("0012", "Skåne", "Region Skåne", (0, 7)),
    _region("0013", "Halland", "Region Halland", (0, 6)),
    _region("0014", "Västra Götaland", "Västra Götalandsregionen", (0, 5)),
    _region("0017", "Värmland", "Region Värmland", (0, 4)),
    _region("0018", "Örebro län", "Region Örebro län", (1, 4)),
    _region("0019", "Västmanland", "Region Västmanland", (2, 4)),
    _region("0020", "Dalarna", "Region Dalarna", (1, 3)),
    _region("0021", "Gävleborg", "Region Gävleborg", (2, 3)),
    _region("0022", "Västernorrland", "Region Västernorrland", (2, 2)),
    _region("0023", "Jämtland Härjedalen", "Region Jämtland Härjedalen", (1, 2)),
    _region("0024", "Västerbotten", "Region Västerbotten", (2, 1)),
    _region("0025", "Norrbotten", "Region Norrbotten", (3, 0)),
)

# Other names analysts use, including Kolada's own titles where they differ from ours.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "0004": ("Södermanland", "Södermanlands län"),
    "0006": ("Jönköping",),
    "0008": ("Kalmar län",),
    "0014": ("Västra Götalandsregionen", "VGR"),
    "0018": ("Örebro",),
    "0023": ("Jämtland", "Region Jämtland"),
    "0000": ("Sverige", "Hela riket", "Riket"),
}


def all_regions(include_riket: bool = False) -> list[Region]:
    """The 21 regions in Kolada code order, optionally preceded by Riket."""
    return ([RIKET] if include_riket else []) + list(_REGIONS)


def region_codes(include_riket: bool = False) -> list[str]:
    return [r.code for r in all_regions(include_riket)]


def _key(text: str) -> str:
    return slugify(text).replace("-", "")


def _build_aliases() -> dict[str, Region]:
    aliases: dict[str, Region] = {}
    for region in all_regions(include_riket=True):
        names = [
            region.name,
            region.full_name,
            region.slug,
            region.code,
            region.lan_code,
            region.lan_code.lstrip("0"),
            *_EXTRA_ALIASES.get(region.code, ()),
        ]
        # The län itself: "Västerbottens län", "Dalarnas län", "Skåne län".
        bases = [region.name, *_EXTRA_ALIASES.get(region.code, ())]
        names += [
            b + suffix
            for b in bases
            if not b.endswith("län") and not region.is_riket
            for suffix in (" län", "s län")
        ]
        for name in names:
            aliases.setdefault(_key(name), region)
    return aliases


_ALIASES = _build_aliases()
_BY_CODE = {r.code: r for r in all_regions(include_riket=True)}


def get_region(text: str | int, allow_riket: bool = False) -> Region:
    """Resolve what an analyst typed (`Västerbotten`, `Region Västerbotten`, `0024`, `24`).

    An unknown name is an error that lists the closest matches, so a typo costs one retry.
    """
    raw = str(text).strip()
    key = _key(raw)
    # Digits mixed with other characters ("2.4", "-1") are not a code; never strip them into one.
    if any(c.isdigit() for c in raw) and not raw.isdigit():
        key = ""
    region = _ALIASES.get(key) if key else None
    if region is None and key.isdigit():
        region = _ALIASES.get(key.lstrip("0") or "0")
    if region is not None and (allow_riket or not region.is_riket):
        return region
    if region is not None:
        raise NaravardError(f"REGION={raw!r} är riket, inte en region; välj en av de 21 regionerna")
    if raw.isdigit():
        codes = region_codes(include_riket=allow_riket)
        raise NaravardError(
            f"okänd regionkod REGION={raw!r}; giltiga koder: {', '.join(codes)} "
            "(eller länskod, t.ex. 24)"
        )
    raise NaravardError(f"okänd region REGION={raw!r}; {closest_hint(raw, allow_riket)}")


def closest_names(text: str, allow_riket: bool = False, n: int = 3) -> list[str]:
    """The regions whose names (or other names) lie closest to what was typed (difflib)."""
    candidates = {k: r for k, r in _ALIASES.items() if allow_riket or not r.is_riket}
    close = difflib.get_close_matches(_key(text), list(candidates), n=8, cutoff=0.5)
    names: list[str] = []
    for match in close:
        name = candidates[match].name
        if name not in names:
            names.append(name)
    return names[:n]


def closest_hint(text: str, allow_riket: bool = False) -> str:
    """ "närmast: Norrbotten" or, with nothing close, every valid name."""
    names = closest_names(text, allow_riket)
    return (
        ("närmast: " + ", ".join(names))
        if names
        else ("giltiga: " + ", ".join(r.name for r in _REGIONS))
    )


def by_code(code: str) -> Region:
    """The region with this Kolada code; KeyError for an unknown code (a programming error)."""
    return _BY_CODE[code]


def by_slug(slug: str) -> Region:
    for region in all_regions(include_riket=True):
        if region.slug == slug:
            return region
    raise NaravardError(
        f"okänt regionnamn {slug!r} i filnamnet; använd en av: "
        + ", ".join(r.slug for r in _REGIONS)
    )
