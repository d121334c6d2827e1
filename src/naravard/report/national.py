"""The national comparison report's content: all regions side by side for one year.

`notebooks/riksrapport.ipynb` displays these blocks; like region.py each returns escaped HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from naravard.wording import templating, text
from naravard.config.catalog import AREAS, Catalog, Indicator, load_catalog
from naravard.analysis.indicators import (available_years, indicator_table, national_table, rounded,
                                  series)
from naravard.analysis.judgements import SHAPE_LABELS, change_judgement, published
from naravard.core.paths import scratch_dir
from naravard.config.regions import RIKET_CODE, all_regions
from naravard.report.region import (
    EXAMPLE_BANNER, TITLE, copied_date, data_sentences, judgement_rules, newer_rules, parse_year,
    report_date, retrieved_date, settle_heap, source_line, table_sources,
)
from naravard.speed.shortcuts import in_report_kernel

if TYPE_CHECKING:  # drawing loads matplotlib: only where a chart is made
    from naravard import charts

NATIONAL_TITLE = "Nationell jämförelse av regionernas omställning till en god och nära vård"


@dataclass
class NationalReport:
    year: int
    obs: object
    catalog: Catalog
    table: pd.DataFrame  # national_table(): region × Kolada indicator
    figures: Path | None
    _region_tables: dict = field(default_factory=dict, repr=False)

    @property
    def names(self) -> dict[str, str]:
        return {r.code: r.name for r in all_regions(include_riket=True)}

    def region_table(self, code: str) -> pd.DataFrame:
        """indicators.indicator_table for one region, computed once per report."""
        if code not in self._region_tables:
            self._region_tables[code] = indicator_table(self.obs, self.catalog, code, self.year)
        return self._region_tables[code]


def prepare(year: object, data: object = None, *, figures: Path | None | str = "auto",
            obs: object = None, catalog: Catalog | None = None) -> NationalReport:
    from naravard.sources.table import load_observations

    catalog = catalog or load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    settle_heap(obs)
    year_int = parse_year(year, available_years(obs))
    if figures == "auto":  # a notebook run of its own: never file by file into figures/
        figures = scratch_dir() / "figures" / "riket" / str(year_int)
    return NationalReport(year_int, obs, catalog, national_table(obs, catalog, year_int),
                          Path(figures) if figures else None)


def _save(rep: NationalReport, chart: charts.Chart, source: str) -> None:
    if getattr(rep.obs, "is_example", False):
        from naravard.report.example_mark import mark_example

        mark_example(chart)
    if rep.figures is not None:
        from naravard.report import figure_files

        figure_files.save(chart, rep.figures, source=source, later=in_report_kernel())


def _fig(rep: NationalReport, chart: charts.Chart, source: str) -> dict:
    from naravard import charts

    _save(rep, chart, source)
    return charts.figure(chart, source)


def _fmt(value: float, ind: Indicator, short: bool = True) -> str:
    return text.fmt_value(value, ind.unit, ind.decimals, short=short)


def chapters(rep: NationalReport) -> list[tuple[str, str]]:
    items = [("sammanfattning", "Sammanfattning"), ("oversikt", "Regionerna jämfört med riket"),
             ("kartor", "Kartor")]
    items += [(f"omrade-{key}", title) for key, title in AREAS.items() if _area_inds(rep, key)]
    items += [("mal", "Nationella mål"), ("profiler", "Regionerna en och en")]
    if _has_questionnaire(rep.year):
        items.append(("enkaten", "Enkätsvar till Socialstyrelsen"))
    return items + [("om-underlaget", "Om underlaget")]


def _has_questionnaire(year: int) -> bool:
    """Whether naravard has Socialstyrelsen's questionnaire for the year (a later year's
    comes when Socialstyrelsen sends it: until then the chapter is left out)."""
    from naravard.report import questionnaire as q

    return year in q.available_years()


def _area_inds(rep: NationalReport, area: str) -> list[Indicator]:
    return [i for i in rep.catalog.in_area(area) if i.source == "kolada"]


def title_html(rep: NationalReport) -> str:
    about = [f"Rapporten är framtagen {text.fmt_date(report_date().isoformat())}.",
             *data_sentences(rep.obs, available_years(rep.obs))]
    return templating.render(
        "national/title.html.j2", banner_text=EXAMPLE_BANNER if getattr(
            rep.obs, "is_example", False) else "",
        year=rep.year, title=NATIONAL_TITLE, subtitle=f"{TITLE}, uppföljningsår {rep.year}",
        about=about, chapters=chapters(rep))


def leaders(rep: NationalReport) -> pd.DataFrame:
    """Per region: how many indicators it has in the top and bottom third (direction-aware)."""
    t = rep.table[rep.table["rank"].notna()].copy()
    t = t[t["plausibility"].fillna("") == ""]  # a value to check counts in no third
    directional = {i.id for i in rep.catalog.kolada() if i.direction != "neutral"}
    t = t[t["indicator_id"].isin(directional)]
    third = np.ceil(3 * t["rank"].astype(float) / t["n_ranked"].astype(float))
    t["top"], t["bottom"] = third == 1, third == 3
    out = t.groupby("region_code").agg(top=("top", "sum"), bottom=("bottom", "sum"),
                                       n=("rank", "size"))
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
        rows.append({"indicator_id": ind.id, "name": ind.name, "min": lo, "max": hi,
                     "riket": riket, "relative_spread": rel,
                     "min_region": rep.names[vals.loc[vals["value"].idxmin(), "region_code"]],
                     "max_region": rep.names[vals.loc[vals["value"].idxmax(), "region_code"]]})
    return pd.DataFrame(rows).sort_values("relative_spread", ascending=False)


def _with_ties(frame: pd.DataFrame, column: str, n: int = 3) -> pd.DataFrame:
    """The first `n` rows and every later row tied with the n:th on `column`."""
    if len(frame) <= n:
        return frame
    return frame[frame[column] >= frame[column].iloc[n - 1]]


def summary_sentences(rep: NationalReport) -> list[str]:
    """The national summary; ties are named, nothing is judged across a series break."""
    out: list[str] = []
    lead = leaders(rep)
    if not lead.empty:
        top = _with_ties(lead, "top")
        out.append("Flest indikatorer i den övre tredjedelen har "
                   + text.join_sv([f"{r.name} ({int(r.top)} av {int(r.n)})"
                                   for r in top.itertuples()]) + ".")
        bottom = _with_ties(lead.sort_values(["bottom", "top"], ascending=[False, True]),
                            "bottom")
        out.append("Flest indikatorer i den nedre tredjedelen har "
                   + text.join_sv([f"{r.name} ({int(r.bottom)} av {int(r.n)})"
                                   for r in bottom.itertuples()]) + ".")
    sp = spread(rep)
    if not sp.empty:
        widest = sp.head(3)
        parts = []
        for r in widest.itertuples():
            ind = rep.catalog.get(r.indicator_id)
            parts.append(f"{r.name.lower()} (från {_fmt(r.min, ind, False)} i {r.min_region} "
                         f"till {_fmt(r.max, ind, False)} i {r.max_region})")
        out.append("Skillnaderna mellan regionerna är störst för " + text.join_sv(parts) + ".")
    out += riket_change_sentences(rep)
    flagged = rep.table[rep.table["plausibility"].fillna("") != ""]
    if len(flagged):
        inds = {i.id: i for i in rep.catalog.kolada()}
        parts = [f"{rep.names[code]} ({text.join_sv(inds[i].short for i in sub['indicator_id'])})"
                 for code, sub in flagged.groupby("region_code", sort=True)]
        out.append("Värden som avviker kraftigt från regionens tidigare år, vilket kan bero på "
                   "ändrad registrering eller i en enkät på urvalet, har "
                   + text.join_sv(parts) + "; de bedöms inte och räknas inte som bäst eller "
                   "sämst.")
    lag = unpublished_sentence(rep)
    return out + ([lag] if lag else [])


def shown_year(rep: NationalReport, ind: Indicator) -> int:
    """The year an indicator is shown for: the report year, or the latest published one when
    no region has a value yet (indicators.national_table's publication lag)."""
    sub = rep.table[rep.table["indicator_id"] == ind.id]
    return int(sub["year"].iloc[0]) if len(sub) and "year" in sub else rep.year


def unpublished_sentence(rep: NationalReport) -> str:
    """"Ännu inte publicerat för 2025; senaste år 2024 visas: …" ("" when all are published)."""
    lagged = [i for i in rep.catalog.kolada() if shown_year(rep, i) != rep.year]
    if not lagged:
        return ""
    years = text.join_sv(sorted({str(shown_year(rep, i)) for i in lagged}))
    return (f"Ännu inte publicerat för {rep.year}; senaste år {years} visas för "
            + text.join_sv(text.lower_first(i.name) for i in lagged) + ".")


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
    judged, counts = change_judgement(now - before, ind.direction, threshold, ind.decimals,
                                      comparable=not broken)
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
            broken.append(f"{ind.short} ({_fmt(rc.now, ind, False)})")
        elif rc.counts and rc.judged in counted:
            size = text.fmt_change(rc.now - rc.before, ind.unit, ind.decimals,
                                   short=ind.unit == "procent")
            counted[rc.judged].append(f"{ind.short} ({size})")
        else:
            unclear += 1
    better, worse = counted["förbättring"], counted["försämring"]
    judged = len(better) + len(worse) + unclear
    prev = rep.year - 1
    out = []
    if judged:
        out.append(f"I riket förbättrades {len(better)} och försämrades {len(worse)} av "
                   f"{judged} indikatorer mellan {prev} och {rep.year}, räknat där "
                   "förändringen är minst den minsta som räknas för indikatorn i riket; "
                   f"för {unclear} syns ingen tydlig förändring.")
    if better:
        out.append(f"Förbättring i riket sedan {prev}: " + text.join_sv(better) + ".")
    if worse:
        out.append(f"Försämring i riket sedan {prev}: " + text.join_sv(worse) + ".")
    if broken:
        out.append(f"Tidsseriebrott {rep.year}, så förändringen i riket bedöms inte, för "
                   + text.join_sv(broken) + ".")
    return out


def summary_html(rep: NationalReport) -> str:
    return templating.render("national/summary.html.j2", sentences=summary_sentences(rep))


def _heat_rows(rep: NationalReport, inds: list[Indicator]
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores (colour strength), printed values and `versus_riket` verdicts per cell; a value
    to check (plausibility) gets `charts.TO_CHECK` and is not judged."""
    from naravard.charts import TO_CHECK

    regions = all_regions()
    rel = pd.DataFrame(index=[r.name for r in regions], columns=[i.name for i in inds],
                       dtype=float)
    labels = pd.DataFrame(index=rel.index, columns=rel.columns, dtype=object)
    verdicts = pd.DataFrame("", index=rel.index, columns=rel.columns, dtype=object)
    for ind in inds:
        sub = rep.table[rep.table["indicator_id"] == ind.id].set_index("region_code")
        riket = sub["riket"].iloc[0] if len(sub) else np.nan
        for r in regions:
            value = sub.loc[r.code, "value"] if r.code in sub.index else np.nan
            scale = abs(riket) if riket and not pd.isna(riket) else np.nan
            flagged = r.code in sub.index and bool(sub.loc[r.code, "plausibility"])
            rel.loc[r.name, ind.name] = sub.loc[r.code, "relative"] / scale * 100 \
                if r.code in sub.index and not pd.isna(scale) and not flagged else np.nan
            labels.loc[r.name, ind.name] = _fmt(value, ind)
            if r.code in sub.index:  # a value to check is not judged
                verdicts.loc[r.name, ind.name] = TO_CHECK if flagged \
                    else sub.loc[r.code, "versus_riket"]
    return rel, labels, verdicts


def heatmap_html(rep: NationalReport) -> str:
    """Regions × indicators, one heat map per development area so each stays readable at A4."""
    from naravard import charts

    figs = []
    for area, title in AREAS.items():
        inds = _area_inds(rep, area)
        if not inds:
            continue
        rel, labels, verdicts = _heat_rows(rep, inds)
        chart = charts.heatmap_chart(rel, labels, title=f"{title}: regionerna jämfört med riket "
                                     f"{rep.year}", name=f"varmekarta-{area}", verdicts=verdicts)
        figs.append(_fig(rep, chart, _sources(rep, inds)))
    return templating.render(
        "national/heatmaps.html.j2", figures=figs,
        intro="Färgen visar om regionen ligger bättre (lila, ▲) eller sämre (orange, ▼) än "
              "riket, med hänsyn till indikatorns riktning; talet i rutan är regionens värde. "
              "Bättre eller sämre står bara där skillnaden mot riket är minst den minsta "
              "förändring som räknas för indikatorn; en mindre skillnad är nära riket (vit, ≈). "
              "Grå utan pil: indikatorn är neutral eller riket saknar värde att jämföra med. "
              "Grå, prickig ruta med ? före talet: värdet avviker kraftigt från regionens "
              "tidigare år och bedöms inte. "
              "Kartorna i nästa kapitel använder samma färger.")


def _sources(rep: NationalReport, inds: list[Indicator]) -> str:
    if getattr(rep.obs, "is_example", False):
        return source_line(inds[0], rep.obs)
    primaries = sorted({i.primary_source for i in inds})
    line = source_line(inds[0], rep.obs)
    return line.replace(inds[0].primary_source, "; ".join(primaries), 1)


MAP_SIZE = (8.5, 11.0)


def maps_html(rep: NationalReport) -> str:
    from naravard import charts

    regions = all_regions()
    figs = []
    for ind in [i for i in rep.catalog.kolada() if i.main]:
        sub = rep.table[rep.table["indicator_id"] == ind.id]
        values = {c: float(v) for c, v in zip(sub["region_code"], sub["value"]) if not pd.isna(v)}
        if not values:
            continue
        riket = sub["riket"].iloc[0]
        to_check = sub.loc[sub["plausibility"].fillna("") != "", "region_code"]
        chart = charts.tile_map_chart(values, ind, regions, year=shown_year(rep, ind),
                                      size=MAP_SIZE, to_check=to_check,
                                      riket=None if pd.isna(riket) else float(riket),
                                      name=f"{ind.id}-karta")
        figs.append(_fig(rep, chart, source_line(ind, rep.obs)))
    return templating.render(
        "national/maps.html.j2", figures=figs,
        intro="Varje ruta är en region, placerad ungefär som på kartan; talet är regionens "
              "värde. Lila och ▲ betyder bättre än riket och orange och ▼ sämre, ju starkare "
              "färg desto större skillnad; vit och ≈ betyder nära riket, en skillnad mindre än "
              "den minsta som räknas; en grå, streckad ruta saknar värde; en grå, prickig ruta "
              "med ? före talet har ett värde att kontrollera, som inte bedöms.")


def indicator_sentences(rep: NationalReport, ind: Indicator) -> list[str]:
    """Who leads, who trails, the spread and Riket's change, for one indicator.

    Ties are named together; a change across a series break is not judged; neutral
    indicators are described as highest and lowest, not best and worst. A value that
    naravard.analysis.plausibility flags is never called best or worst: it is named with its caution.
    An indicator no region has a value for yet is shown for its latest published year.
    """
    year = shown_year(rep, ind)
    out = [f"Ännu inte publicerat för {rep.year}; senaste år {year} visas."] \
        if year != rep.year else []
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
            out.append(f"Högst värde {year} har {at_hi} ({_fmt(hi, ind, False)}) och lägst "
                       f"{at_lo} ({_fmt(lo, ind, False)}).")
        else:
            best, worst = (hi, lo) if ind.direction == "higher" else (lo, hi)
            at_best, at_worst = (at_hi, at_lo) if ind.direction == "higher" else (at_lo, at_hi)
            among = ", bortsett från värden att kontrollera" if len(flagged) else ""
            out.append(f"Bäst {year} ligger {at_best} ({_fmt(best, ind, False)}) och "
                       f"sämst {at_worst} ({_fmt(worst, ind, False)}){among}; {len(sub)} av "
                       "21 regioner har värde.")
    for r in flagged.itertuples():
        out.append(f"{names[r.region_code]}: {r.plausibility_note}")
    rc = riket_change(rep, ind)
    prev = year - 1
    if rc is None:
        return out
    now = _fmt(rc.now, ind, False)
    if rc.before is None:
        out.append(f"Riket låg på {now}.")
    elif rc.broken:
        out.append(f"Riket låg på {now}; ett tidsseriebrott mellan {prev} och {year} gör "
                   "att förändringen inte bedöms.")
    elif not rc.counts:
        out.append(f"Riket låg på {now}, i stort sett som {prev} "
                   f"({_fmt(rc.before, ind, False)}).")
    else:
        verb = "ökade" if rc.now > rc.before else "minskade"
        out.append(f"Riket {verb} från {_fmt(rc.before, ind, False)} {prev} till {now} "
                   f"{year}.")
    return out


RANKED_SIZE = (9.3, 8.2)


CHANGE_COLUMNS = 4  # indicators in one change table at most


def even_parts(items: list, most: int) -> list[list]:
    """`items` in as few parts of at most `most` as possible, as even as can be (8 by 4 as
    4 + 4, 7 as 4 + 3, 9 as 3 + 3 + 3). Change tables of six columns ran into each other,
    and a last table of one column held a page of its own."""
    if not items:
        return []
    size = math.ceil(len(items) / math.ceil(len(items) / most))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _change_table(rep: NationalReport, inds: list[Indicator]) -> dict:
    rows = []
    by_key = rep.table.set_index(["indicator_id", "region_code"])
    for r in all_regions():
        cells = []
        for ind in inds:
            row = by_key.loc[(ind.id, r.code)]
            if pd.isna(row["change"]):
                cells.append({"text": "–", "cls": ""})
                continue
            judged = row["change_judgement"]
            shown = published(float(row["change"]), ind.decimals)
            arrow = {1: "↑ ", -1: "↓ ", 0: "→ "}[(shown > 0) - (shown < 0)]
            word = {"förbättring": " bättre", "försämring": " sämre"}.get(judged, "")
            if row["break_between"]:
                word = " brott"
            elif row["plausibility"]:
                word, judged = " kontrollera", "kontrollera"
            cells.append({"text": arrow + text.fmt_change(row["change"], ind.unit, ind.decimals,
                                                          short=True) + word,
                          "cls": f"change-{(judged or 'neutral').replace(' ', '-')}"})
        rows.append({"name": r.name, "cells": cells})
    return {"columns": [f"{i.name} ({_unit_heading(i)})" for i in inds], "rows": rows,
            "caption": f"Förändring sedan {rep.year - 1}: pilen visar åt vilket håll värdet "
                       "gick; bättre/sämre står bara där förändringen är minst den minsta "
                       "förändring som räknas; brott = tidsseriebrott, bedöms inte"
                       + ("; kontrollera = avviker kraftigt från regionens tidigare år"
                          if any(c["cls"] == "change-kontrollera" for r in rows
                                 for c in r["cells"]) else "")}


def _unit_heading(ind: Indicator) -> str:
    return "procentenheter" if ind.unit == "procent" else text.unit_label(ind.unit).lower()


def area_html(rep: NationalReport, area: str) -> str:
    from naravard import charts

    inds = _area_inds(rep, area)
    if not inds:
        return ""
    sections = []
    for ind in inds:
        data = series(rep.obs, ind.id)
        year = shown_year(rep, ind)
        year_data = data[data["year"] == year]
        fig = None
        if not year_data.empty:
            chart = charts.ranked_chart(year_data, ind, None, year, rep.names,
                                        size=RANKED_SIZE)
            chart.name = f"{ind.id}-regioner"  # as in the region reports; never "None"
            fig = _fig(rep, chart, source_line(ind, rep.obs))
        sections.append({"id": ind.id, "name": ind.name, "figure": fig,
                         "sentences": indicator_sentences(rep, ind),
                         "missing": f"Inga värden för {rep.year}." if fig is None else ""})
    tables = [_change_table(rep, part) for part in even_parts(inds, CHANGE_COLUMNS)]
    return templating.render("national/area.html.j2", area=area, title=AREAS[area],
                             sections=sections, tables=tables)


def targets_html(rep: NationalReport) -> str:
    """Which regions meet the official targets, on three levels, with each target's origin.

    A region's figure measured another way than the catalogue defines it is marked (*) and
    its definition listed, so different measures are not read as equal.
    """
    inds = [i for i in rep.catalog if i.target is not None]
    rows, marked = [], []
    counts = {i.id: {"uppfylls": 0, "uppfylls delvis": 0, "uppfylls inte": 0} for i in inds}
    notes: dict[str, str] = {}
    for r in all_regions():
        table = rep.region_table(r.code).set_index("indicator_id")
        cells = []
        for ind in inds:
            row = table.loc[ind.id]
            status = row["target_status"]
            # a region with a value has the note that compares; otherwise the target's origin
            if status in counts[ind.id] or ind.id not in notes:
                notes[ind.id] = row["target_note"]
            if status not in counts[ind.id]:  # no value: "kan inte bedömas"
                cells.append({"text": "–", "cls": ""})
                continue
            counts[ind.id][status] += 1
            star = ""
            if row["definition"]:
                star = "*"
                marked.append(f"{r.name}, {ind.name.lower()}: {row['definition']}")
            cells.append({"text": f"{status} ({_fmt(row['value'], ind)}{star})",
                          "cls": f"target-{status.replace(' ', '-')}"})
        rows.append({"name": r.name, "cells": cells})
    items = []
    for ind in inds:
        c = counts[ind.id]
        have = sum(c.values())
        if not have:
            items.append(f"{ind.name}: ingen region har värde {rep.year}. {notes.get(ind.id, '')}")
            continue
        items.append(f"{ind.name}: av {text.plural(have, 'region', 'regioner')} med värde "
                     f"uppfylls målet av {c['uppfylls']}, delvis av {c['uppfylls delvis']} och "
                     f"inte av {c['uppfylls inte']}. {notes.get(ind.id, '')}")
    footnote = ("* Mätt på annat sätt än indikatorn avser, så värdet kan inte ställas "
                "bredvid de andra som likvärdigt: " + "; ".join(marked) + ".") if marked else ""
    return templating.render(
        "national/targets.html.j2", counts=items, rows=rows, footnote=footnote,
        columns=[(i.name, text.unit_with_number(i.target_text or "")) for i in inds],
        intro="Mål anges bara där en offentlig källa anger ett. Uppgifterna om fast "
              "läkarkontakt har regionerna själva lämnat; – betyder att uppgift saknas. "
              "Regeln för uppfylls delvis står i Om underlaget.")


def region_profile(rep: NationalReport, code: str) -> dict:
    """Half a page about one region: strongest and weakest positions, clearest changes,
    targets and whether it has filed questionnaire answers."""
    from naravard.wording import highlights

    name = rep.names[code]
    table = rep.region_table(code)
    best, worst = highlights.profile_positions(table)

    def pos(rows: list) -> str:
        return text.join_sv(f"{text.lower_first(r['name'])} ({highlights.rank_words(r)})"
                            for r in rows)

    lines = []
    if best:
        lines.append(("Starkast", f"{pos(best)}."))
    if worst:
        lines.append(("Svagast", f"{pos(worst)}."))
    messages = highlights.select(table, rep.obs, rep.catalog, code, name, rep.year,
                                 max_messages=4, values=_values(rep))
    changes = [m.line for m in messages if m.kind in ("forsamring", "forbattring")]
    if changes:
        lines.append(("Tydligaste förändringar", " ".join(changes)))
    targets = text.target_status_words(table)
    if targets:
        lines.append(("Mål", targets))
    answers = _filed_answers(rep).get(name)
    if answers:
        lines.append(("Enkätsvar", answers))
    return {"code": code, "name": name, "lines": lines}


def _values(rep: NationalReport):
    from naravard.wording import highlights

    if "_values" not in rep._region_tables:
        rep._region_tables["_values"] = highlights._Values.of(rep.obs)
    return rep._region_tables["_values"]


def _filed_answers(rep: NationalReport) -> dict[str, str]:
    """Region name → a one-line summary of its choice answers, for regions with a file."""
    from naravard.report import questionnaire as q
    from naravard.core.errors import NaravardError

    key = "_filed"
    if key not in rep._region_tables:
        out: dict[str, str] = {}
        try:
            overview = q.national_overview(rep.year)
        except NaravardError:
            overview = None
        if overview is not None:
            for region in overview.index:
                row = overview.loc[region]
                if not (row != "–").any():
                    continue
                yes = int((row == "Ja").sum())
                no = int((row == "Nej").sum())
                out[region] = (f"{yes} Ja och {no} Nej bland {len(row)} svarsalternativ i "
                               "enkätens flervalsfrågor; se kapitlet Enkätsvar.")
        rep._region_tables[key] = out
    return rep._region_tables[key]


def profiles_html(rep: NationalReport) -> str:
    """A short profile of each of the 21 regions (Socialstyrelsen's overview is the model)."""
    return templating.render(
        "national/profiles.html.j2",
        profiles=[region_profile(rep, r.code) for r in all_regions()],
        intro="För varje region: de indikatorer där regionen har sin bästa och sämsta "
              "placering (plats 1 = bäst), de tydligaste förändringarna enligt samma regler "
              "som regionrapporternas \"Det viktigaste\" (med de år de gäller), "
              "måluppfyllelsen och, för de regioner vars svar rapporten innehåller, regionens "
              "svar på Socialstyrelsens enkät.")


def questionnaire_html(rep: NationalReport, *, regions_per_table: int = 6) -> str:
    """The choice questions of Socialstyrelsen's questionnaire for the regions that have filed
    answers (in tables of a few regions, so the page stays readable at A4); the others are
    named once."""
    from naravard.report import questionnaire as q
    from naravard.core.errors import NaravardError

    if not _has_questionnaire(rep.year):
        return ""
    try:
        overview = q.national_overview(rep.year)
    except NaravardError as exc:
        return templating.render("national/questionnaire.html.j2", note=str(exc), intro="",
                                 tables=[])
    labels = overview.attrs.get("labels", {})
    filed = [r for r in overview.index if (overview.loc[r] != "–").any()]
    missing = [r for r in overview.index if r not in filed]
    intro = (f"Rapporten innehåller enkätsvaren från {len(filed)} av {len(overview.index)} "
             "regioner" + (f"; svaren från {text.join_sv(missing)} ingår inte"
                           if missing and len(missing) <= 5 else "")
             + ". Tabellen visar svaren på enkätens flervalsfrågor; fritextsvaren finns i "
             "respektive regions rapport.")
    tables = []
    for start in range(0, len(filed), regions_per_table):
        chunk = filed[start:start + regions_per_table]
        rows = [{"label": labels.get(col, col),
                 "cells": [str(overview.loc[r, col]) for r in chunk]}
                for col in overview.columns]
        tables.append({"regions": chunk, "rows": rows})
    return templating.render("national/questionnaire.html.j2", note="" if filed else
                             "Rapporten innehåller inga regioners enkätsvar.",
                             intro=intro if filed else "", tables=tables)


def about_html(rep: NationalReport) -> str:
    primaries = sorted({i.primary_source for i in rep.catalog.kolada()})
    paragraphs = [
        *data_sentences(rep.obs, available_years(rep.obs)),
        "Kolada återpublicerar indikatorerna från " + "; ".join(primaries) + ". Placeringar, "
        "jämförelser med riket och förändringar är beräknade för den här rapporten. "
        "Placering 1 är bäst med hänsyn till om högt eller lågt värde är bättre; bättre "
        "eller sämre än riket kräver minst den minsta förändring som räknas, annars nära riket.",
    ]
    return templating.render("national/about.html.j2", paragraphs=paragraphs,
                             rules=[*judgement_rules(rep.catalog), *newer_rules()])


def export_frame(rep: NationalReport) -> pd.DataFrame:
    """One row per region and indicator: value, Riket, rank, change — the report's numbers."""
    names = rep.names
    inds = {i.id: i for i in rep.catalog.kolada()}
    frame = rep.table.copy()
    frame.insert(0, "Region", [names[c] for c in frame["region_code"]])
    frame.insert(1, "Indikator", [inds[i].name for i in frame["indicator_id"]])
    frame["Område"] = [AREAS[inds[i].area] for i in frame["indicator_id"]]
    frame["År"] = frame.pop("year")  # an earlier year where the source has not published yet
    frame["Mål"] = [inds[i].target_text or "" for i in frame["indicator_id"]]
    frame["Minsta förändring som räknas"] = [inds[i].min_change for i in frame["indicator_id"]]
    # at each indicator's published precision: a change reads -4,3 in Excel, not -4,2999…
    decimals = [inds[i].decimals for i in frame["indicator_id"]]
    for col in ("value", "riket", "relative", "change"):
        frame[col] = rounded(frame[col], decimals)
    frame["trend_shape"] = [SHAPE_LABELS.get(x, "") for x in frame["trend_shape"]]
    return frame.rename(columns={
        "region_code": "Regionkod", "indicator_id": "Indikator-id", "value": "Värde",
        "riket": "Riket", "relative": "Skillnad mot riket (riktningsjusterad)",
        "versus_riket": "Jämfört med riket",
        "rank": "Placering", "rank_to": "Placering till",
        "n_tied": "Delar placering med antal regioner", "n_ranked": "Antal regioner",
        "change": "Förändring", "change_counts": "Förändringen räknas",
        "change_judgement": "Bedömning", "break_between": "Tidsseriebrott",
        "trend": "Trend", "trend_from_year": "Trend sedan år", "trend_shape": "Trendens form",
        "meets_target": "Når målet", "target_share": "Andel av målvärdet (%)",
        "target_status": "Måluppfyllelse", "target_note": "Om målet",
        "comparability_note": "Jämförbarhet", "plausibility": "Rimlighet",
        "plausibility_note": "Kontrollera", "published_note": "Publicering"})


def export_xlsx_bytes(rep: NationalReport) -> bytes:
    """riksrapport.xlsx, formatted as the regions' indikatorer.xlsx (naravard.report.excel)."""
    from naravard.report import excel

    frame = export_frame(rep)
    inds = [rep.catalog.get(i) for i in frame["Indikator-id"]]
    frame["Enhet"] = [text.unit_label(i.unit) for i in inds]
    frame["Källa"] = [source_line(i, rep.obs).removeprefix("Källa: ") for i in inds]
    about = excel.about_rows(f"Alla regioners värden {rep.year}",
                             table_sources(rep.catalog, rep.obs, own=False), rep.obs.origin_label,
                             retrieved_date(rep.obs) or copied_date(rep.obs))
    return excel.workbook_bytes(frame, sheet="Regioner", about=about,
                                decimals=[i.decimals for i in inds])
