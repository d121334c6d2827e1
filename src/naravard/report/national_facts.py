"""The national report's facts and sentences: who leads and trails, the spread between the
regions, Riket's change under the regions' rule, and the year each indicator is shown for.

`national.py` turns them into the report's blocks; tests read them here directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from naravard.analysis.indicators import series
from naravard.analysis.judgements import change_judgement
from naravard.config import units
from naravard.config.catalog import Indicator
from naravard.config.regions import RIKET_CODE
from naravard.wording import text

if TYPE_CHECKING:  # type hints only: national.py imports this module
    from naravard.report.national import NationalReport


def fmt(value: float, ind: Indicator, short: bool = True) -> str:
    """A value as the national report writes it, at the indicator's precision."""
    return text.fmt_value(value, ind.unit, ind.decimals, short=short)


def _abbreviated(unit: str) -> bool:
    """Whether a change has its own short word (`+1,2 p.e.`), written instead of the full one."""
    return getattr(units.get(unit), "change", None) is not None


def area_inds(rep: NationalReport, area: str) -> list[Indicator]:
    """The Kolada indicators of a development area (the regional ones have no national view)."""
    return [i for i in rep.catalog.in_area(area) if i.source == "kolada"]


def leaders(rep: NationalReport) -> pd.DataFrame:
    """Per region: how many indicators it has in the top and bottom third (direction-aware)."""
    t = rep.table[rep.table["rank"].notna()].copy()
    t = t[t["plausibility"].fillna("") == ""]  # a value to check counts in no third
    directional = {i.id for i in rep.catalog.kolada() if i.direction != "neutral"}
    t = t[t["indicator_id"].isin(directional)]
    third = np.ceil(3 * t["rank"].astype(float) / t["n_ranked"].astype(float))
    t["top"], t["bottom"] = third == 1, third == 3
    out = t.groupby("region_code").agg(
        top=("top", "sum"), bottom=("bottom", "sum"), n=("rank", "size")
    )
    out["name"] = [rep.names[c] for c in out.index]
    return out.sort_values(["top", "bottom"], ascending=[False, True])


def spread(rep: NationalReport) -> pd.DataFrame:
    """Spread between regions per indicator, relative to Riket so units compare."""
    rows = []
    for ind in rep.catalog.kolada():
        vals = rep.table[rep.table["indicator_id"] == ind.id].dropna(subset=["value"])
        vals = vals[vals["plausibility"].fillna("") == ""]  # values to check are no extremes
        if len(vals) < 2:
            continue
        lo, hi = vals["value"].min(), vals["value"].max()
        riket = vals["riket"].iloc[0]
        rel = (hi - lo) / abs(riket) if riket and not pd.isna(riket) else np.nan
        rows.append(
            {
                "indicator_id": ind.id,
                "name": ind.name,
                "min": lo,
                "max": hi,
                "riket": riket,
                "relative_spread": rel,
                "min_region": rep.names[vals.loc[vals["value"].idxmin(), "region_code"]],
                "max_region": rep.names[vals.loc[vals["value"].idxmax(), "region_code"]],
            }
        )
    return pd.DataFrame(rows).sort_values("relative_spread", ascending=False)


def with_ties(frame: pd.DataFrame, column: str, n: int = 3) -> pd.DataFrame:
    """The first `n` rows and every later row tied with the n:th on `column`."""
    if len(frame) <= n:
        return frame
    return frame[frame[column] >= frame[column].iloc[n - 1]]


def summary_sentences(rep: NationalReport) -> list[str]:
    """The national summary; ties are named, nothing is judged across a series break."""
    out: list[str] = []
    lead = leaders(rep)
    if not lead.empty:
        top = with_ties(lead, "top")
        out.append(
            "Flest indikatorer i den övre tredjedelen har "
            + text.join_sv([f"{r.name} ({int(r.top)} av {int(r.n)})" for r in top.itertuples()])
            + "."
        )
        bottom = with_ties(lead.sort_values(["bottom", "top"], ascending=[False, True]), "bottom")
        out.append(
            "Flest indikatorer i den nedre tredjedelen har "
            + text.join_sv(
                [f"{r.name} ({int(r.bottom)} av {int(r.n)})" for r in bottom.itertuples()]
            )
            + "."
        )
    sp = spread(rep)
    if not sp.empty:
        widest = sp.head(3)
        parts = []
        for r in widest.itertuples():
            ind = rep.catalog.get(r.indicator_id)
            parts.append(
                f"{r.name.lower()} (från {fmt(r.min, ind, False)} i {r.min_region} "
                f"till {fmt(r.max, ind, False)} i {r.max_region})"
            )
        out.append("Skillnaderna mellan regionerna är störst för " + text.join_sv(parts) + ".")
    out += riket_change_sentences(rep)
    flagged = rep.table[rep.table["plausibility"].fillna("") != ""]
    if len(flagged):
        inds = {i.id: i for i in rep.catalog.kolada()}
        parts = [
            f"{rep.names[code]} ({text.join_sv(inds[i].short for i in sub['indicator_id'])})"
            for code, sub in flagged.groupby("region_code", sort=True)
        ]
        out.append(
            "Värden som avviker kraftigt från regionens tidigare år, vilket kan bero på "
            "ändrad registrering eller i en enkät på urvalet, har "
            + text.join_sv(parts)
            + "; de bedöms inte och räknas inte som bäst eller "
            "sämst."
        )
    lag = unpublished_sentence(rep)
    return out + ([lag] if lag else [])


def shown_year(rep: NationalReport, ind: Indicator) -> int:
    """The year an indicator is shown for: the report year, or the latest published one when
    no region has a value yet (indicators.national_table's publication lag)."""
    sub = rep.table[rep.table["indicator_id"] == ind.id]
    return int(sub["year"].iloc[0]) if len(sub) and "year" in sub else rep.year


def unpublished_sentence(rep: NationalReport) -> str:
    """ "Ännu inte publicerat för 2025; senaste år 2024 visas: …" ("" when all are published)."""
    lagged = [i for i in rep.catalog.kolada() if shown_year(rep, i) != rep.year]
    if not lagged:
        return ""
    years = text.join_sv(sorted({str(shown_year(rep, i)) for i in lagged}))
    return (
        f"Ännu inte publicerat för {rep.year}; senaste år {years} visas för "
        + text.join_sv(text.lower_first(i.name) for i in lagged)
        + "."
    )


@dataclass(frozen=True)
class RiketChange:
    """Riket's value in the report year and the year before, and how the change is judged."""

    now: float
    before: float | None  # None: no value the year before
    broken: bool  # a series break between the two years: not judged
    judged: str  # judgements.change_judgement's word ("" when not judged)
    counts: bool  # at least the indicator's minimal change (min_change_riket when set)


def riket_change(rep: NationalReport, ind: Indicator) -> RiketChange | None:
    """Riket's change since the year before under the same rule as the regions' (None: no
    value in the report year)."""
    s = series(rep.obs, ind.id)
    rk = s[s["region_code"] == RIKET_CODE].set_index("year")["value"]
    year = shown_year(rep, ind)
    prev = year - 1
    if year not in rk.index:
        return None
    now = float(rk[year])
    if prev not in rk.index:
        return RiketChange(now, None, False, "", False)
    before = float(rk[prev])
    broken = any(prev < b.year <= year for b in ind.series_breaks)
    threshold = ind.min_change if ind.min_change_riket is None else ind.min_change_riket
    judged, counts = change_judgement(
        now - before, ind.direction, threshold, ind.decimals, comparable=not broken
    )
    return RiketChange(now, before, broken, judged, counts)


def riket_change_sentences(rep: NationalReport) -> list[str]:
    """Riket's counted improvements and deteriorations since the year before, over every
    judged indicator by one rule (`riket_change`), so the summary picks no side."""
    counted: dict[str, list[str]] = {"förbättring": [], "försämring": []}
    unclear, broken = 0, []
    for ind in rep.catalog.kolada():
        if ind.direction == "neutral" or shown_year(rep, ind) != rep.year:
            continue  # neutral: no better or worse; not yet published: said apart
        rc = riket_change(rep, ind)
        if rc is None or rc.before is None:
            continue
        if rc.broken:
            broken.append(f"{ind.short} ({fmt(rc.now, ind, False)})")
        elif rc.counts and rc.judged in counted:
            size = text.fmt_change(
                rc.now - rc.before, ind.unit, ind.decimals, short=_abbreviated(ind.unit)
            )
            counted[rc.judged].append(f"{ind.short} ({size})")
        else:
            unclear += 1
    better, worse = counted["förbättring"], counted["försämring"]
    judged = len(better) + len(worse) + unclear
    prev = rep.year - 1
    out = []
    if judged:
        out.append(
            f"I riket förbättrades {len(better)} och försämrades {len(worse)} av "
            f"{judged} indikatorer mellan {prev} och {rep.year}, räknat där "
            "förändringen är minst den minsta som räknas för indikatorn i riket; "
            f"för {unclear} syns ingen tydlig förändring."
        )
    if better:
        out.append(f"Förbättring i riket sedan {prev}: " + text.join_sv(better) + ".")
    if worse:
        out.append(f"Försämring i riket sedan {prev}: " + text.join_sv(worse) + ".")
    if broken:
        out.append(
            f"Tidsseriebrott {rep.year}, så förändringen i riket bedöms inte, för "
            + text.join_sv(broken)
            + "."
        )
    return out


def indicator_sentences(rep: NationalReport, ind: Indicator) -> list[str]:
    """Who leads, who trails, the spread and Riket's change, for one indicator.

    Ties are named together; a change across a series break is not judged; neutral
    indicators are described as highest and lowest, not best and worst. A value that
    naravard.analysis.plausibility flags is never called best or worst: it is named with its caution.
    An indicator no region has a value for yet is shown for its latest published year.
    """
    year = shown_year(rep, ind)
    out = (
        [f"Ännu inte publicerat för {rep.year}; senaste år {year} visas."]
        if year != rep.year
        else []
    )
    sub = rep.table[rep.table["indicator_id"] == ind.id].dropna(subset=["value"])
    if sub.empty:
        return [f"Inga regioner har värde för {rep.year}."]
    names = rep.names
    flagged = sub[sub["plausibility"].fillna("") != ""] if "plausibility" in sub else sub[:0]
    values = sub[~sub.index.isin(flagged.index)].set_index("region_code")["value"].astype(float)
    if not values.empty:
        rounded = values.round(ind.decimals)
        hi, lo = rounded.max(), rounded.min()
        at_hi = text.join_sv(sorted(names[c] for c in rounded.index[rounded == hi]))
        at_lo = text.join_sv(sorted(names[c] for c in rounded.index[rounded == lo]))
        if ind.direction == "neutral":
            out.append(
                f"Högst värde {year} har {at_hi} ({fmt(hi, ind, False)}) och lägst "
                f"{at_lo} ({fmt(lo, ind, False)})."
            )
        else:
            best, worst = (hi, lo) if ind.direction == "higher" else (lo, hi)
            at_best, at_worst = (at_hi, at_lo) if ind.direction == "higher" else (at_lo, at_hi)
            among = ", bortsett från värden att kontrollera" if len(flagged) else ""
            out.append(
                f"Bäst {year} ligger {at_best} ({fmt(best, ind, False)}) och "
                f"sämst {at_worst} ({fmt(worst, ind, False)}){among}; {len(sub)} av "
                "21 regioner har värde."
            )
    for r in flagged.itertuples():
        out.append(f"{names[r.region_code]}: {r.plausibility_note}")
    rc = riket_change(rep, ind)
    prev = year - 1
    if rc is None:
        return out
    now = fmt(rc.now, ind, False)
    if rc.before is None:
        out.append(f"Riket låg på {now}.")
    elif rc.broken:
        out.append(
            f"Riket låg på {now}; ett tidsseriebrott mellan {prev} och {year} gör "
            "att förändringen inte bedöms."
        )
    elif not rc.counts:
        out.append(f"Riket låg på {now}, i stort sett som {prev} ({fmt(rc.before, ind, False)}).")
    else:
        verb = "ökade" if rc.now > rc.before else "minskade"
        out.append(f"Riket {verb} från {fmt(rc.before, ind, False)} {prev} till {now} {year}.")
    return out
