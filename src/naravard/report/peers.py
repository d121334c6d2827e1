"""The region report's comparison with its peers: the group, its columns and where they show.

region.py calls these at a few points (prepare, the overview, an indicator, the export), so
the peer comparison lives here in one piece: naravard.config.peer_groups says who the peers
are, naravard.analysis.peers places the region among them, naravard.wording.peers words it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from dataclasses import replace

import pandas as pd

from naravard.analysis.peers import peer_columns
from naravard.config.peer_groups import PeerGroup, resolve
from naravard.wording import peers as words
from naravard.wording.text import place_text

if TYPE_CHECKING:
    from naravard.report.region import RegionReport


def attach(rep: RegionReport, jamfor: str | None) -> None:
    """Resolve the report's group (JAMFOR, the defaults file, the sjukvårdsregion) and add
    the place among its regions to the indicator table."""
    rep.peers = resolve(rep.region, jamfor)
    rep.table = peer_columns(rep.table, rep.obs, rep.peers.members, rep.region.code)


def group(rep: RegionReport) -> PeerGroup | None:
    return getattr(rep, "peers", None)


def header(rep: RegionReport) -> str:
    """The overview's bracketed place under the national one, headed by the group's short
    name: "i Norra", "i jämförelsegruppen". The group and its regions are named in the chart
    captions, the indicator sentences and Om underlaget; a legend line under the overview
    would cost the report a page of its budget."""
    peers = group(rep)
    if peers is None:
        return ""
    if peers.is_chosen:
        return "i jämförelse\u00adgruppen"
    if peers.note:  # Halland: two sjukvårdsregioner
        return "i sjukvårds\u00adregio\u00adnerna"
    short = peers.name.removesuffix(" sjukvårdsregionen").removesuffix(" sjukvårdsregion")
    return f"i {short}"


def cell(row: pd.Series) -> dict[str, Any]:
    place, _ = words.place_cell(row)  # a shared place reads as its range, "1–2 av 4"
    return {"peer": place}


def sentence(rep: RegionReport, row: pd.Series) -> str:
    peers = group(rep)
    if peers is None:
        return ""
    return words.peer_sentence(row, rep.region.name, peers.name, len(peers.members))


def with_sentence(rep: RegionReport, row: pd.Series, sentences: list[str]) -> list[str]:
    """The chapter's sentences with the peer sentence joined to the one giving the national
    place (it qualifies that place, and a paragraph fewer keeps the page budget)."""
    extra = sentence(rep, row)
    if not extra:
        return sentences
    place = place_text(row)
    at = next((i for i, s in enumerate(sentences) if place and place in s), None)
    if at is None:
        return [*sentences, extra]
    return [*sentences[:at], f"{sentences[at]} {extra}", *sentences[at + 1 :]]


def chart_marks(rep: RegionReport) -> dict[str, Any]:
    """ranked_chart's arguments for marking the peers."""
    peers = group(rep)
    if peers is None:
        return {}
    return {"peers": [c for c in peers.members if c != rep.region.code], "peer_label": peers.name}


def export_columns(rep: RegionReport) -> dict[str, list[Any]]:
    """The place among the peers for indikatorer.csv/.xlsx, beside the national place."""
    peers = group(rep)
    if peers is None:
        return {}
    table = rep.table
    label = (
        f"{peers.kind}: {', '.join(peers.member_names)}"
        if peers.is_chosen
        else f"{peers.name} ({', '.join(peers.member_names)})"
    )
    return {
        "Jämförs med": [label] * len(table),
        "Placering i gruppen": list(table["peer_rank"]),
        "Placering i gruppen till": list(table["peer_rank_to"]),
        "Delar placering i gruppen med": list(table["peer_tied_with"]),
        "Antal i gruppen med värde": [n if n else pd.NA for n in table["peer_n_ranked"]],
    }


def manifest(rep: RegionReport) -> dict[str, Any]:
    peers = group(rep)
    return {"jamforelse": peers.manifest()} if peers else {}


def annotate(rep: RegionReport, messages: list) -> list:
    """Det viktigaste's messages, each with the peer sentence where its indicator has one:
    that all the group lies low, or that the region is its group's best or worst, is often
    what makes the national place clear to a nämnd (naravard.analysis.peers)."""

    if group(rep) is None:
        return messages
    rows = rep.table.set_index("indicator_id")
    out = []
    for m in messages:
        line = (
            sentence(rep, rows.loc[m.indicator_id])
            if m.indicator_id in rows.index and m.kind != "kontroll"
            else ""
        )
        out.append(replace(m, together=(*m.together, line)) if line else m)
    return out


def rules(rep: RegionReport) -> list[tuple[str, str]]:
    """The rule for the place among the peers, for Om underlaget (docs/metod.md says the same)."""
    peers = group(rep)
    if peers is None:
        return []
    title = "Placering i " + ("jämförelsegruppen" if peers.is_chosen else "sjukvårdsregionen")
    return [
        (
            title,
            f"{words.group_line(peers.kind, peers.name, peers.member_names, peers.is_chosen, peers.note)} "
            + words.RULE_TEXT,
        )
    ]
