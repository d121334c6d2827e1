"""The national report's short summary per sjukvårdsregion: where all its regions lie together.

One paragraph per sjukvårdsregion (data/catalog/sjukvardsregioner.yaml): the indicators for
which every one of its regions lies in the top third, or every one in the bottom third,
among the regions (naravard.analysis.peers.group_thirds, the thirds of the region reports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from naravard.analysis.peers import group_bests, group_thirds
from naravard.config import sjukvardsregioner
from naravard.config.regions import by_code
from naravard.wording import text

if TYPE_CHECKING:
    from naravard.report.national import NationalReport

MAX_NAMED = 4  # indicators named per line; the rest are counted


def _names(rep: NationalReport, ids: list[str]) -> str:
    names = [text.lower_first(rep.catalog.get(i).name) for i in ids]
    if len(names) > MAX_NAMED:
        rest = len(names) - MAX_NAMED + 1
        names = names[: MAX_NAMED - 1] + [f"{rest} indikatorer till"]
    return text.join_sv(names)


def summaries(rep: NationalReport) -> list[dict[str, Any]]:
    """One entry per sjukvårdsregion: name, its regions, and the two lines (or one saying none)."""
    out = []
    for entry in sjukvardsregioner.load():
        members = entry.members
        counts = group_thirds(rep.table, members)
        full = counts[counts["n"] == len(members)]
        high = list(full[full["ovre"] == len(members)]["indicator_id"])
        low = list(full[full["nedre"] == len(members)]["indicator_id"])
        every = "båda" if len(members) == 2 else f"alla {text.count_word(len(members))}"
        lines = []
        if high:
            lines.append(f"I övre tredjedelen ligger {every} för {_names(rep, high)}.")
        if low:
            lines.append(f"I nedre tredjedelen ligger {every} för {_names(rep, low)}.")
        if not lines:
            lines.append(
                f"Det finns ingen indikator där {every} ligger i samma yttersta tredjedel."
            )
        bests, n_ranked = group_bests(rep.table, members)
        most = max(bests.values(), default=0)
        if n_ranked and most:
            leaders = [by_code(c).name for c in members if bests[c] == most]
            lines.append(
                f"Det bästa värdet i sjukvårdsregionen har oftast "
                f"{text.join_sv(leaders)} ({'vardera ' if len(leaders) > 1 else ''}"
                f"{most} av {n_ranked} indikatorer)."
            )
        regions = [
            by_code(c).name + (f" ({dict(entry.partly)[c]})" if c in dict(entry.partly) else "")
            for c in members
        ]
        out.append(
            {"name": entry.name, "regions": text.join_sv(regions), "lines": lines, "n": len(full)}
        )
    return out
