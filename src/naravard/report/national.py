"""The national comparison report's content: all regions side by side for one year.

`notebooks/riksrapport.ipynb` displays these blocks; like region.py each returns escaped HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from naravard.analysis.indicators import available_years, indicator_table, national_table, series
from naravard.analysis.judgements import published
from naravard.config.catalog import AREAS, Catalog, Indicator, load_catalog
from naravard.config.regions import all_regions
from naravard.core import clock
from naravard.core.errors import NaravardError
from naravard.core.paths import scratch_dir
from naravard.report import questionnaire as q
from naravard.report.chapter_order import national_chapters
from naravard.report.common import (
    EXAMPLE_BANNER,
    TITLE,
    data_sentences,
    figure,
    is_example,
    judgement_rules,
    newer_rules,
    observations_loaded,
    parse_year,
    source_line,
)
from naravard.report.national_facts import (
    area_inds,
    fmt,
    indicator_sentences,
    shown_year,
    summary_sentences,
)
from naravard.sources.table import load_observations
from naravard.wording import highlights, summary, templating, text
from naravard.config import units
from naravard.report import national_peers

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


def prepare(
    year: object,
    data: object = None,
    *,
    figures: Path | None | str = "auto",
    obs: object = None,
    catalog: Catalog | None = None,
) -> NationalReport:
    catalog = catalog or load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    observations_loaded(obs)
    year_int = parse_year(year, available_years(obs))
    if figures == "auto":  # a notebook run of its own: never file by file into figures/
        figures = scratch_dir() / "figures" / "riket" / str(year_int)
    return NationalReport(
        year_int,
        obs,
        catalog,
        national_table(obs, catalog, year_int),
        Path(figures) if figures else None,
    )


def chapters(rep: NationalReport) -> list[tuple[str, str]]:
    """(anchor id, heading) for the table of contents: the chapters this report has."""
    present = {
        "title_html": False,  # the page the table of contents is on
        "questionnaire_html": _has_questionnaire(rep.year),
    }
    return [
        (c.anchor, c.title)
        for c in national_chapters()
        if present.get(c.call, True) and (c.area is None or area_inds(rep, c.area))
    ]


def _has_questionnaire(year: int) -> bool:
    """Whether naravard has Socialstyrelsen's questionnaire for the year (a later year's
    comes when Socialstyrelsen sends it: until then the chapter is left out)."""
    return year in q.available_years()


def title_html(rep: NationalReport) -> str:
    about = [
        f"Rapporten är framtagen {text.fmt_date(clock.today().isoformat())}.",
        *data_sentences(rep.obs, available_years(rep.obs)),
    ]
    return templating.render(
        "national/title.html.j2",
        banner_text=EXAMPLE_BANNER if is_example(rep) else "",
        year=rep.year,
        title=NATIONAL_TITLE,
        subtitle=f"{TITLE}, uppföljningsår {rep.year}",
        about=about,
        chapters=chapters(rep),
    )


def summary_html(rep: NationalReport) -> str:
    return templating.render("national/summary.html.j2", sentences=summary_sentences(rep))


def _heat_rows(
    rep: NationalReport, inds: list[Indicator]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Scores (colour strength), printed values and `versus_riket` verdicts per cell; a value
    to check (plausibility) gets `charts.TO_CHECK` and is not judged."""
    from naravard.charts import TO_CHECK  # matplotlib: see report/common.py

    regions = all_regions()
    rel = pd.DataFrame(index=[r.name for r in regions], columns=[i.name for i in inds], dtype=float)
    labels = pd.DataFrame(index=rel.index, columns=rel.columns, dtype=object)
    verdicts = pd.DataFrame("", index=rel.index, columns=rel.columns, dtype=object)
    for ind in inds:
        sub = rep.table[rep.table["indicator_id"] == ind.id].set_index("region_code")
        riket = sub["riket"].iloc[0] if len(sub) else np.nan
        for r in regions:
            value = sub.loc[r.code, "value"] if r.code in sub.index else np.nan
            scale = abs(riket) if riket and not pd.isna(riket) else np.nan
            flagged = r.code in sub.index and bool(sub.loc[r.code, "plausibility"])
            rel.loc[r.name, ind.name] = (
                sub.loc[r.code, "relative"] / scale * 100
                if r.code in sub.index and not pd.isna(scale) and not flagged
                else np.nan
            )
            labels.loc[r.name, ind.name] = fmt(value, ind)
            if r.code in sub.index:  # a value to check is not judged
                verdicts.loc[r.name, ind.name] = (
                    TO_CHECK if flagged else sub.loc[r.code, "versus_riket"]
                )
    return rel, labels, verdicts


def heatmap_html(rep: NationalReport) -> str:
    """Regions × indicators, one heat map per development area so each stays readable at A4."""
    from naravard import charts  # matplotlib: see report/common.py

    figs = []
    for area, title in AREAS.items():
        inds = area_inds(rep, area)
        if not inds:
            continue
        rel, labels, verdicts = _heat_rows(rep, inds)
        chart = charts.heatmap_chart(
            rel,
            labels,
            title=f"{title}: regionerna jämfört med riket {rep.year}",
            name=f"varmekarta-{area}",
            verdicts=verdicts,
        )
        figs.append(figure(rep, chart, _sources(rep, inds)))
    return templating.render(
        "national/heatmaps.html.j2",
        figures=figs,
        intro="Färgen visar om regionen ligger bättre (lila, ▲) eller sämre (orange, ▼) än "
        "riket, med hänsyn till indikatorns riktning; talet i rutan är regionens värde. "
        "Bättre eller sämre står bara där skillnaden mot riket är minst den minsta "
        "förändring som räknas för indikatorn; en mindre skillnad är nära riket (vit, ≈). "
        "Grå utan pil: indikatorn är neutral eller riket saknar värde att jämföra med. "
        "Grå, prickig ruta med ? före talet: värdet avviker kraftigt från regionens "
        "tidigare år och bedöms inte. "
        "Kartorna i nästa kapitel använder samma färger.",
    )


def _sources(rep: NationalReport, inds: list[Indicator]) -> str:
    if is_example(rep):
        return source_line(inds[0], rep.obs)
    primaries = sorted({i.primary_source for i in inds})
    line = source_line(inds[0], rep.obs)
    return line.replace(inds[0].primary_source, "; ".join(primaries), 1)


MAP_SIZE = (8.5, 11.0)


def maps_html(rep: NationalReport) -> str:
    from naravard import charts  # matplotlib: see report/common.py

    regions = all_regions()
    figs = []
    for ind in [i for i in rep.catalog.kolada() if i.main]:
        sub = rep.table[rep.table["indicator_id"] == ind.id]
        values = {c: float(v) for c, v in zip(sub["region_code"], sub["value"]) if not pd.isna(v)}
        if not values:
            continue
        riket = sub["riket"].iloc[0]
        to_check = sub.loc[sub["plausibility"].fillna("") != "", "region_code"]
        chart = charts.tile_map_chart(
            values,
            ind,
            regions,
            year=shown_year(rep, ind),
            size=MAP_SIZE,
            to_check=to_check,
            riket=None if pd.isna(riket) else float(riket),
            name=f"{ind.id}-karta",
        )
        figs.append(figure(rep, chart, source_line(ind, rep.obs)))
    return templating.render(
        "national/maps.html.j2",
        figures=figs,
        intro="Varje ruta är en region, placerad ungefär som på kartan; talet är regionens "
        "värde. Lila och ▲ betyder bättre än riket och orange och ▼ sämre, ju starkare "
        "färg desto större skillnad; vit och ≈ betyder nära riket, en skillnad mindre än "
        "den minsta som räknas; en grå, streckad ruta saknar värde; en grå, prickig ruta "
        "med ? före talet har ett värde att kontrollera, som inte bedöms.",
    )


RANKED_SIZE = (9.3, 8.2)


CHANGE_COLUMNS = 4  # indicators in one change table at most


def even_parts(items: list, most: int) -> list[list]:
    """`items` in as few parts of at most `most` as possible, as even as can be (8 by 4 as
    4 + 4, 7 as 4 + 3, 9 as 3 + 3 + 3). Change tables of six columns ran into each other,
    and a last table of one column held a page of its own."""
    if not items:
        return []
    size = math.ceil(len(items) / math.ceil(len(items) / most))
    return [items[i : i + size] for i in range(0, len(items), size)]


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
            cells.append(
                {
                    "text": arrow
                    + text.fmt_change(row["change"], ind.unit, ind.decimals, short=True)
                    + word,
                    "cls": f"change-{(judged or 'neutral').replace(' ', '-')}",
                }
            )
        rows.append({"name": r.name, "cells": cells})
    return {
        "columns": [f"{i.name} ({_unit_heading(i)})" for i in inds],
        "rows": rows,
        "caption": f"Förändring sedan {rep.year - 1}: pilen visar åt vilket håll värdet "
        "gick; bättre/sämre står bara där förändringen är minst den minsta "
        "förändring som räknas; brott = tidsseriebrott, bedöms inte"
        + (
            "; kontrollera = avviker kraftigt från regionens tidigare år"
            if any(c["cls"] == "change-kontrollera" for r in rows for c in r["cells"])
            else ""
        ),
    }


def _unit_heading(ind: Indicator) -> str:
    words = getattr(units.get(ind.unit), "change", None)
    return words.many if words is not None else text.unit_label(ind.unit).lower()


def area_html(rep: NationalReport, area: str) -> str:
    from naravard import charts  # matplotlib: see report/common.py

    inds = area_inds(rep, area)
    if not inds:
        return ""
    sections = []
    for ind in inds:
        data = series(rep.obs, ind.id)
        year = shown_year(rep, ind)
        year_data = data[data["year"] == year]
        fig = None
        if not year_data.empty:
            chart = charts.ranked_chart(year_data, ind, None, year, rep.names, size=RANKED_SIZE)
            chart.name = f"{ind.id}-regioner"  # as in the region reports; never "None"
            fig = figure(rep, chart, source_line(ind, rep.obs))
        sections.append(
            {
                "id": ind.id,
                "name": ind.name,
                "figure": fig,
                "sentences": indicator_sentences(rep, ind),
                "missing": f"Inga värden för {rep.year}." if fig is None else "",
            }
        )
    tables = [_change_table(rep, part) for part in even_parts(inds, CHANGE_COLUMNS)]
    return templating.render(
        "national/area.html.j2", area=area, title=AREAS[area], sections=sections, tables=tables
    )


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
            cells.append(
                {
                    "text": f"{status} ({fmt(row['value'], ind)}{star})",
                    "cls": f"target-{status.replace(' ', '-')}",
                }
            )
        rows.append({"name": r.name, "cells": cells})
    items = []
    for ind in inds:
        c = counts[ind.id]
        have = sum(c.values())
        if not have:
            items.append(f"{ind.name}: ingen region har värde {rep.year}. {notes.get(ind.id, '')}")
            continue
        items.append(
            f"{ind.name}: av {text.plural(have, 'region', 'regioner')} med värde "
            f"uppfylls målet av {c['uppfylls']}, delvis av {c['uppfylls delvis']} och "
            f"inte av {c['uppfylls inte']}. {notes.get(ind.id, '')}"
        )
    footnote = (
        (
            "* Mätt på annat sätt än indikatorn avser, så värdet kan inte ställas "
            "bredvid de andra som likvärdigt: " + "; ".join(marked) + "."
        )
        if marked
        else ""
    )
    return templating.render(
        "national/targets.html.j2",
        counts=items,
        rows=rows,
        footnote=footnote,
        columns=[(i.name, text.unit_with_number(i.target_text or "")) for i in inds],
        intro="Mål anges bara där en offentlig källa anger ett. Uppgifterna om fast "
        "läkarkontakt har regionerna själva lämnat; – betyder att uppgift saknas. "
        "Regeln för uppfylls delvis står i Om underlaget.",
    )


def region_profile(rep: NationalReport, code: str) -> dict:
    """Half a page about one region: strongest and weakest positions, clearest changes,
    targets and whether it has filed questionnaire answers."""
    name = rep.names[code]
    table = rep.region_table(code)
    best, worst = highlights.profile_positions(table)

    def pos(rows: list) -> str:
        return text.join_sv(
            f"{text.lower_first(r['name'])} ({highlights.rank_words(r)})" for r in rows
        )

    lines = []
    if best:
        lines.append(("Starkast", f"{pos(best)}."))
    if worst:
        lines.append(("Svagast", f"{pos(worst)}."))
    messages = highlights.select(
        table, rep.obs, rep.catalog, code, name, rep.year, max_messages=4, values=_values(rep)
    )
    changes = [m.line for m in messages if m.kind in ("forsamring", "forbattring")]
    if changes:
        lines.append(("Tydligaste förändringar", " ".join(changes)))
    targets = summary.target_status_words(table)
    if targets:
        lines.append(("Mål", targets))
    answers = _filed_answers(rep).get(name)
    if answers:
        lines.append(("Enkätsvar", answers))
    return {"code": code, "name": name, "lines": lines}


def _values(rep: NationalReport):
    if "_values" not in rep._region_tables:
        rep._region_tables["_values"] = highlights.Values.of(rep.obs)
    return rep._region_tables["_values"]


def _filed_answers(rep: NationalReport) -> dict[str, str]:
    """Region name → a one-line summary of its choice answers, for regions with a file."""
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
                out[region] = (
                    f"{yes} Ja och {no} Nej bland {len(row)} svarsalternativ i "
                    "enkätens flervalsfrågor; se kapitlet Enkätsvar."
                )
        rep._region_tables[key] = out
    return rep._region_tables[key]


def profiles_html(rep: NationalReport) -> str:
    """A short profile of each of the 21 regions (Socialstyrelsen's overview is the model),
    after a paragraph per sjukvårdsregion (naravard.report.national_peers)."""

    return templating.render(
        "national/profiles.html.j2",
        profiles=[region_profile(rep, r.code) for r in all_regions()],
        sjukvardsregioner=national_peers.summaries(rep),
        intro="För varje region: de indikatorer där regionen har sin bästa och sämsta "
        "placering (plats 1 = bäst), de tydligaste förändringarna enligt samma regler "
        'som regionrapporternas "Det viktigaste" (med de år de gäller), '
        "måluppfyllelsen och, för de regioner vars svar rapporten innehåller, regionens "
        "svar på Socialstyrelsens enkät.",
    )


def questionnaire_html(rep: NationalReport, *, regions_per_table: int = 6) -> str:
    """The choice questions of Socialstyrelsen's questionnaire for the regions that have filed
    answers (in tables of a few regions, so the page stays readable at A4); the others are
    named once."""
    if not _has_questionnaire(rep.year):
        return ""
    try:
        overview = q.national_overview(rep.year)
    except NaravardError as exc:
        return templating.render(
            "national/questionnaire.html.j2", note=str(exc), intro="", tables=[]
        )
    labels = overview.attrs.get("labels", {})
    filed = [r for r in overview.index if (overview.loc[r] != "–").any()]
    missing = [r for r in overview.index if r not in filed]
    intro = (
        f"Rapporten innehåller enkätsvaren från {len(filed)} av {len(overview.index)} "
        "regioner"
        + (
            f"; svaren från {text.join_sv(missing)} ingår inte"
            if missing and len(missing) <= 5
            else ""
        )
        + ". Tabellen visar svaren på enkätens flervalsfrågor; fritextsvaren finns i "
        "respektive regions rapport."
    )
    tables = []
    for start in range(0, len(filed), regions_per_table):
        chunk = filed[start : start + regions_per_table]
        rows = [
            {"label": labels.get(col, col), "cells": [str(overview.loc[r, col]) for r in chunk]}
            for col in overview.columns
        ]
        tables.append({"regions": chunk, "rows": rows})
    return templating.render(
        "national/questionnaire.html.j2",
        note="" if filed else "Rapporten innehåller inga regioners enkätsvar.",
        intro=intro if filed else "",
        tables=tables,
    )


def about_html(rep: NationalReport) -> str:
    primaries = sorted({i.primary_source for i in rep.catalog.kolada()})
    paragraphs = [
        *data_sentences(rep.obs, available_years(rep.obs)),
        "Kolada återpublicerar indikatorerna från " + "; ".join(primaries) + ". Placeringar, "
        "jämförelser med riket och förändringar är beräknade för den här rapporten. "
        "Placering 1 är bäst med hänsyn till om högt eller lågt värde är bättre; bättre "
        "eller sämre än riket kräver minst den minsta förändring som räknas, annars nära riket.",
    ]
    return templating.render(
        "national/about.html.j2",
        paragraphs=paragraphs,
        rules=[*judgement_rules(rep.catalog), *newer_rules()],
    )
