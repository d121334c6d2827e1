"""Which regions a region report compares the region with: its sjukvårdsregion, or a group.

The analyst names a jämförelsegrupp on the command line (`JAMFOR="Norrbotten, Gotland"`) or
per region in data/jamforelsegrupper.yaml; otherwise the region's sjukvårdsregion is used
(Halland: both of its sjukvårdsregioner together, which the report says). The region itself
is always in its group. A group that names an unknown region, no region, or only the region
itself is refused with one line naming the value and the closest names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from naravard.config import sjukvardsregioner
from naravard.config.regions import Region, by_code, closest_hint, get_region
from naravard.core import safe_yaml
from naravard.core.errors import NaravardError, excerpt
from naravard.core.paths import display_path, peer_groups_path

SJUKVARDSREGION = "sjukvårdsregion"
JAMFORELSEGRUPP = "jämförelsegrupp"
GROUP_NAME = "jämförelsegruppen"  # "2 av 4 i jämförelsegruppen"
MAX_CHARS = 600  # 20 region names with room to spare
MAX_DEFAULTS = 50


@dataclass(frozen=True)
class PeerGroup:
    """The regions one report compares the region with (the region included)."""

    kind: str  # SJUKVARDSREGION or JAMFORELSEGRUPP
    name: str  # "Norra sjukvårdsregionen", "jämförelsegruppen"
    region_code: str
    members: tuple[str, ...]  # region codes, the region's own included, in code order
    note: str = ""  # said in the report: Halland's two sjukvårdsregioner
    source: str = ""  # where the group came from: JAMFOR, a file

    @property
    def member_names(self) -> list[str]:
        return [by_code(c).name for c in self.members]

    @property
    def others(self) -> list[str]:
        return [by_code(c).name for c in self.members if c != self.region_code]

    @property
    def is_chosen(self) -> bool:
        return self.kind == JAMFORELSEGRUPP

    @property
    def jamfor(self) -> str | None:
        """The group as a JAMFOR value (the notebook's parameter); None for a sjukvårdsregion."""
        return ", ".join(self.others) if self.is_chosen else None

    def manifest(self) -> dict[str, Any]:
        """What manifest.json records: a change re-renders the report."""
        return {"typ": self.kind, "namn": self.name, "regioner": list(self.members)}


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def _is_riket(text: str) -> bool:
    try:
        return get_region(text, allow_riket=True).is_riket
    except NaravardError:
        return False


def from_names(region: Region, names: str | Iterable[str], where: str) -> PeerGroup:
    """The analyst's group for `region`; `where` ("JAMFOR", a file and key) starts any error."""
    shown = names if isinstance(names, str) else ", ".join(str(n) for n in names)
    if len(shown) > MAX_CHARS:
        raise NaravardError(
            f"{where}: gruppen är {len(shown)} tecken lång, högst {MAX_CHARS}; "
            "ange regionerna med namn, åtskilda med kommatecken"
        )
    items = _split(names) if isinstance(names, str) else [str(n).strip() for n in names]
    items = [i for i in items if i]
    if not items:
        raise NaravardError(
            f"{where}={excerpt(shown)}: gruppen är tom; ange minst en region att "
            'jämföra med, t.ex. JAMFOR="Norrbotten, Gotland"'
        )
    codes = {region.code}
    for item in items:
        try:
            codes.add(get_region(item).code)
        except NaravardError:
            what = (
                "är riket, inte en region; jämförelsen med riket finns redan i rapporten"
                if _is_riket(item)
                else f"är ingen region; {closest_hint(item)}"
            )
            raise NaravardError(f"{where}={excerpt(shown)}: {excerpt(item)} {what}") from None
    if codes == {region.code}:
        raise NaravardError(
            f"{where}={excerpt(shown)}: gruppen består bara av {region.name} "
            "själv; ange minst en annan region att jämföra med"
        )
    return PeerGroup(JAMFORELSEGRUPP, GROUP_NAME, region.code, tuple(sorted(codes)), source=where)


def defaults_path() -> Path:
    return peer_groups_path()


def load_defaults(path: Path | None = None) -> dict[str, tuple[str, str | list[str]]]:
    """data/jamforelsegrupper.yaml: region code → (where, the group as written); {} without file."""
    path = Path(path or defaults_path())
    if not path.exists():
        return {}
    where = display_path(path)
    data = safe_yaml.load_file(path, where)
    raw = data.get("jamforelsegrupper") if isinstance(data, dict) else None
    if raw is None and isinstance(data, dict) and set(data) <= {"jamforelsegrupper"}:
        return {}
    if not isinstance(raw, dict):
        raise NaravardError(
            f"{where}: filen ska ha `jamforelsegrupper:` med en rad per region, "
            "t.ex. `Västerbotten: Norrbotten, Jämtland Härjedalen`"
        )
    if len(raw) > MAX_DEFAULTS:
        raise NaravardError(f"{where}: {len(raw)} grupper, högst {MAX_DEFAULTS}")
    out: dict[str, tuple[str, str | list[str]]] = {}
    for key, value in raw.items():
        try:
            region = get_region(str(key))
        except NaravardError:
            raise NaravardError(
                f"{where}: okänd region {excerpt(str(key))} före kolonet; {closest_hint(str(key))}"
            ) from None
        if region.code in out:
            raise NaravardError(f"{where}: {region.name} har två grupper; ta bort den ena")
        if not (
            isinstance(value, str)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            raise NaravardError(
                f"{where} {region.name}: skriv regionerna efter kolonet, åtskilda med kommatecken"
            )
        out[region.code] = (f"{where} {region.name}", value)
    return out


def _sjukvardsregion(region: Region) -> PeerGroup:
    homes = sjukvardsregioner.of_region(region.code)
    where = "data/catalog/sjukvardsregioner.yaml"
    if len(homes) == 1:
        return PeerGroup(
            SJUKVARDSREGION, homes[0].name, region.code, homes[0].members, source=where
        )
    members = tuple(sorted({c for h in homes for c in h.members}))
    short = [h.name.removesuffix(" sjukvårdsregionen") for h in homes]
    name = (
        " och ".join(short) + " sjukvårdsregionerna"
        if all(s != h.name for s, h in zip(short, homes))
        else " och ".join(h.name for h in homes)
    )
    parts = [f"{dict(h.partly).get(region.code, 'en del')} till {h.name}" for h in homes]
    note = (
        f"{region.name} hör till två sjukvårdsregioner: {' och '.join(parts)}. Rapporten "
        f"jämför därför {region.name} med regionerna i båda."
    )
    return PeerGroup(SJUKVARDSREGION, name, region.code, members, note=note, source=where)


def resolve(
    region: Region, jamfor: str | None = None, *, defaults: Path | None = None
) -> PeerGroup:
    """The report's group: JAMFOR when given, else the region's line in
    data/jamforelsegrupper.yaml, else its sjukvårdsregion."""
    if jamfor is not None:
        return from_names(region, jamfor, "JAMFOR")
    chosen = load_defaults(defaults).get(region.code)
    if chosen is not None:
        return from_names(region, chosen[1], chosen[0])
    return _sjukvardsregion(region)


def check_all(regions: Iterable[Region], jamfor: str | None = None) -> None:
    """Every report's group, before anything is written (`make reports`): the first bad one
    is an error."""
    for region in regions:
        resolve(region, jamfor)
