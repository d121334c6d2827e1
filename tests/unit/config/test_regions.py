"""Regions: what analysts type resolves to the right region, and nonsense fails helpfully."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naravard.core.errors import NaravardError
from naravard.config.regions import (
    RIKET,
    RIKET_CODE,
    all_regions,
    by_code,
    by_slug,
    get_region,
    region_codes,
    slugify,
)


@pytest.mark.parametrize(
    "text",
    [
        "Västerbotten",
        "Region Västerbotten",
        "vasterbotten",
        "VÄSTERBOTTEN",
        "västerBOTTEN",
        "region västerbotten",
        "  Västerbotten  ",
        "Västerbottens län",
        "0024",
        "24",
        24,
    ],
)
def test_get_region_accepts_the_usual_spellings(text: str | int) -> None:
    assert get_region(text).code == "0024"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Örebro län", "0018"),
        ("orebro-lan", "0018"),
        ("Örebro", "0018"),
        ("Västra Götalandsregionen", "0014"),
        ("VGR", "0014"),
        ("vastra-gotaland", "0014"),
        ("Södermanland", "0004"),
        ("Jämtland Härjedalen", "0023"),
        ("1", "0001"),
        ("Region Kalmar län", "0008"),
    ],
)
def test_get_region_aliases(text: str, code: str) -> None:
    assert get_region(text).code == code


@pytest.mark.parametrize("text", ["Atlantis", "../../etc", "Vasterboten", "2.4", "-1", "99", ""])
def test_unknown_region_is_a_one_line_error_with_suggestions(text: str) -> None:
    with pytest.raises(NaravardError) as info:
        get_region(text)
    message = str(info.value)
    assert "\n" not in message
    assert repr(text.strip()) in message
    assert any(r.name in message or r.code in message for r in all_regions())


def test_typo_suggests_the_intended_region() -> None:
    with pytest.raises(NaravardError, match="närmast: Västerbotten"):
        get_region("Vasterboten")


def test_riket_only_when_allowed() -> None:
    with pytest.raises(NaravardError, match="riket"):
        get_region("Riket")
    with pytest.raises(NaravardError, match="riket"):
        get_region(RIKET_CODE)
    assert get_region("riket", allow_riket=True) is RIKET
    assert get_region("0000", allow_riket=True).is_riket
    assert get_region("Sverige", allow_riket=True) is RIKET


def test_slugify() -> None:
    assert slugify("Örebro län") == "orebro-lan"
    assert slugify("Jämtland Härjedalen") == "jamtland-harjedalen"
    assert slugify("  Västra Götaland!! ") == "vastra-gotaland"


def test_21_regions_with_unique_codes_slugs_and_tiles() -> None:
    regions = all_regions()
    assert len(regions) == 21
    for attr in ("code", "slug", "tile", "name", "lan_code"):
        assert len({getattr(r, attr) for r in regions}) == 21, attr
    assert all(not r.is_riket for r in regions)
    assert all(r.code == "00" + r.lan_code for r in regions)
    assert all(r.slug == slugify(r.slug) for r in regions)
    assert all(r.tile[0] >= 0 and r.tile[1] >= 0 for r in regions)
    assert region_codes() == [r.code for r in regions]
    assert region_codes(include_riket=True) == [RIKET_CODE] + region_codes()
    assert all_regions(include_riket=True)[0] is RIKET


def test_by_code_and_by_slug() -> None:
    assert by_code("0024").name == "Västerbotten"
    assert by_slug("orebro-lan").code == "0018"
    with pytest.raises(KeyError):
        by_code("0099")
    with pytest.raises(NaravardError, match="vasterbotten"):
        by_slug("atlantis")


def test_names_match_kolada_municipality_titles(snapshot_dir: Path) -> None:
    payload = json.loads((snapshot_dir / "municipality.json").read_text("utf-8"))
    titles = {m["id"]: m["title"] for m in payload["values"]}
    assert set(titles) == set(region_codes(include_riket=True))
    for code, title in titles.items():
        assert get_region(title, allow_riket=True).code == code, title
    names = {r.code: r.name for r in all_regions()}
    differing = {c for c in names if names[c] != titles[c]}
    assert differing == {"0014"}  # Kolada says "Västra Götalandsregionen"; it still resolves
