"""The words for the region's place among its peers (naravard.analysis.peers decides what)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from naravard.wording.text import DASH, count_word, join_sv

THIRD_WORDS = {"all_low": "nedre", "all_high": "övre"}


def _int(x: Any) -> int | None:
    try:
        return None if x is None or x != x else int(x)  # NaN != NaN
    except (TypeError, ValueError):
        return None


def place_cell(row: Mapping[str, Any]) -> tuple[str, bool]:
    """("2 av 4", False), ("1–2 av 4", True) for a shared place, ("", False) for none.

    A group where only the region has a value has no place worth a cell.
    """
    rank, n = _int(row.get("peer_rank")), _int(row.get("peer_n_ranked"))
    if rank is None or not n or n < 2:
        return "", False
    rank_to = _int(row.get("peer_rank_to")) or rank
    if rank_to > rank:
        return f"{rank}{DASH}{rank_to} av {n}", True
    return f"{rank} av {n}", False


def place_phrase(row: Mapping[str, Any], group_name: str) -> str:
    """ "plats 2 av 4 i Norra sjukvårdsregionen", "delad plats 1–2 av 4 i jämförelsegruppen"."""
    cell, shared = place_cell(row)
    if not cell:
        return ""
    return f"{'delad plats' if shared else 'plats'} {cell} i {group_name}"


def _group_count(n: int) -> str:
    return "Båda" if n == 2 else f"Alla {count_word(n)}"


def peer_sentence(row: Mapping[str, Any], region_name: str, group_name: str, n_members: int) -> str:
    """One sentence where the peers tell more than the national place; "" otherwise."""
    contrast = str(row.get("peer_contrast") or "")
    place = place_phrase(row, group_name)
    if not contrast or not place:
        return ""
    national = str(row.get("position") or "")
    cell, shared = place_cell(row)
    if contrast in THIRD_WORDS:
        return (
            f"{_group_count(n_members)} regionerna i {group_name} ligger i landets "
            f"{THIRD_WORDS[contrast]} tredjedel, {region_name} på "
            f"{'delad plats' if shared else 'plats'} {cell}."
        )
    if contrast in ("best", "worst") and national:
        word = "bästa" if contrast == "best" else "sämsta"
        return (
            f"{region_name} har det {word} värdet i {group_name} (plats {cell}) men "
            f"ligger i landets {national} tredjedel."
        )
    return ""


def group_line(kind: str, name: str, members: Sequence[str], chosen: bool, note: str) -> str:
    """Who the group is, once per report: the legend under the overview and Om underlaget."""
    if chosen:
        return (
            f"Jämförelsegrupp (vald av analytikern i stället för sjukvårdsregionen): "
            f"{join_sv(members)}." + (f" {note}" if note else "")
        )
    return f"{name}: {join_sv(members)}." + (f" {note}" if note else "")


RULE_TEXT = (
    "Regionens placering bland regionerna i gruppen räknas som placeringen bland alla "
    "regioner: plats 1 = bäst, på det publicerade värdet, och regioner med samma värde delar "
    "plats; bara regioner med värde räknas. I översikten står den inom parentes under "
    "placeringen bland alla regioner, i diagrammen har gruppens regioner fet stil och svart "
    "kant. Gruppen nämns i en indikators text bara när den "
    "säger något som placeringen bland alla regioner inte säger: när alla regionerna i gruppen "
    "(minst tre, alla med värde) ligger i samma yttersta tredjedel bland landets regioner, "
    "eller när regionen ensam har gruppens bästa värde utan att ligga i den övre tredjedelen "
    "bland alla regioner (eller gruppens sämsta utan att ligga i den nedre). Samma mening "
    "kan stå vid ett budskap i Det viktigaste. Ett värde att kontrollera får ingen placering."
)


def peer_caption(peers: Sequence[str], codes: Sequence[str], label: str) -> str:
    """The ranked chart caption's sentence about the peer marks (naravard.charts.peer_marks);
    "" when no peer has a value."""
    if not any(c in codes for c in peers):
        return ""
    return f" Övriga regioner i {label} har fet stil och svart kant."


def peer_alt(
    peers: Sequence[str],
    codes: Sequence[str],
    names: dict[str, str],
    places: dict[str, Any],
    label: str,
) -> str:
    """The ranked chart alt text's sentence listing the peers with their places."""
    shown = [c for c in codes if c in peers]
    if not shown:
        return ""

    def where(code: str) -> str:
        place = places.get(code)
        if place is None:
            return names.get(code, code)
        span = f"{place.rank}{DASH}{place.rank_to}" if place.shared else str(place.rank)
        return f"{names.get(code, code)} plats {span}"

    return f" Övriga i {label}: " + ", ".join(where(c) for c in shown) + "."
