"""The region's place among its peers (sjukvårdsregion or jämförelsegrupp), as table columns.

The place uses the same rank rule as the national place (naravard.analysis.judgements.ranks:
published precision, shared places). `peer_contrast` is the judgement behind the one sentence
an indicator chapter says about the peers, only where they tell something the national place
does not:

- "all_low" / "all_high": every region of the group (at least three, all with a value) lies
  in the national bottom (top) third: a shared picture, not the region's alone;
- "best" / "worst": the region has the group's best (worst) value, unshared, while its national
  place is not in the top (bottom) third.

Neutral indicators, values marked to check and regional figures get no place and no contrast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from naravard.analysis import judgements as J
from naravard.analysis.indicators import values_frame
from naravard.config.regions import by_code, region_codes

PEER_COLUMNS = [
    "peer_rank",
    "peer_rank_to",
    "peer_n_tied",
    "peer_n_ranked",
    "peer_tied_with",
    "peer_contrast",
]
MIN_FOR_CONTRAST = 3


def _contrast(place: J.Rank, thirds: dict[str, str], region_code: str, n_members: int) -> str:
    """The judgement for one indicator (see the module docstring)."""
    if n_members < MIN_FOR_CONTRAST or place.n_ranked < MIN_FOR_CONTRAST:
        return ""
    if len(thirds) == n_members and set(thirds.values()) == {"nedre"}:
        return "all_low"
    if len(thirds) == n_members and set(thirds.values()) == {"övre"}:
        return "all_high"
    national = thirds.get(region_code, "")
    if place.rank == 1 and not place.shared and national != "övre":
        return "best"
    if place.rank_to == place.n_ranked and not place.shared and national != "nedre":
        return "worst"
    return ""


def peer_columns(
    table: pd.DataFrame, obs: Any, members: Sequence[str], region_code: str
) -> pd.DataFrame:
    """`table` (indicator_table) with PEER_COLUMNS added, for the year each row shows."""
    totals = values_frame(obs, "T")
    totals = totals[totals["region_code"].isin(set(region_codes()))]
    lookup = {
        (i, c, int(y)): float(v)
        for i, c, y, v in zip(
            totals["indicator_id"], totals["region_code"], totals["year"], totals["value"]
        )
    }
    regions = region_codes()
    out = {col: [] for col in PEER_COLUMNS}
    for _, row in table.iterrows():
        ind, year = row["indicator_id"], int(row["year"])
        place = None
        if row["source"] == "kolada" and not pd.isna(row["value"]) and not row["plausibility"]:
            every = {c: lookup[(ind, c, year)] for c in regions if (ind, c, year) in lookup}
            group = {c: v for c, v in every.items() if c in members}
            place = J.ranks(group, row["direction"], int(row["decimals"])).get(region_code)
        if place is None:
            for col, empty in zip(PEER_COLUMNS, (pd.NA, pd.NA, pd.NA, 0, "", "")):
                out[col].append(empty)
            continue
        national = J.ranks(every, row["direction"], int(row["decimals"]))
        thirds = {c: J.third(national[c].rank, national[c].n_ranked) for c in group}
        mine = J.published(group[region_code], int(row["decimals"]))
        out["peer_rank"].append(place.rank)
        out["peer_rank_to"].append(place.rank_to)
        out["peer_n_tied"].append(place.n_tied)
        out["peer_n_ranked"].append(place.n_ranked)
        out["peer_tied_with"].append(
            ", ".join(
                sorted(
                    by_code(c).name
                    for c, v in group.items()
                    if c != region_code and J.published(v, int(row["decimals"])) == mine
                )
            )
        )
        out["peer_contrast"].append(_contrast(place, thirds, region_code, len(members)))
    table = table.copy()
    for col in PEER_COLUMNS:
        table[col] = out[col]
    for col in ("peer_rank", "peer_rank_to", "peer_n_tied", "peer_n_ranked"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
    return table


def group_thirds(national: pd.DataFrame, members: Sequence[str]) -> pd.DataFrame:
    """Per ranked indicator of the national table: how many of `members` lie in each third.

    Columns indicator_id, n (members with a place), ovre, nedre (counts). What the national
    report's summary per sjukvårdsregion is made from.
    """
    sel = national[
        national["region_code"].isin(set(members))
        & national["rank"].notna()
        & (national["plausibility"] == "")
    ]
    rows = []
    for ind, part in sel.groupby("indicator_id", sort=False):
        thirds = [J.third(int(r), int(n)) for r, n in zip(part["rank"], part["n_ranked"])]
        rows.append(
            {
                "indicator_id": ind,
                "n": len(thirds),
                "ovre": thirds.count("övre"),
                "nedre": thirds.count("nedre"),
            }
        )
    return pd.DataFrame(rows, columns=["indicator_id", "n", "ovre", "nedre"])


def group_bests(national: pd.DataFrame, members: Sequence[str]) -> tuple[dict[str, int], int]:
    """How often each member has the group's best value (a shared best counts for each), and
    over how many ranked indicators. The national places already follow the rank rule, and
    the best in a group is the member with the best national place."""
    sel = national[
        national["region_code"].isin(set(members))
        & national["rank"].notna()
        & (national["plausibility"] == "")
    ]
    counts = {c: 0 for c in members}
    n = 0
    for _, part in sel.groupby("indicator_id", sort=False):
        if len(part) < 2:
            continue
        n += 1
        best = int(part["rank"].min())
        for code in part.loc[part["rank"] == best, "region_code"]:
            counts[code] += 1
    return counts, n
