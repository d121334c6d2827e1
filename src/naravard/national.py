"""The national comparison report's content: all regions side by side for one year.

`notebooks/riksrapport.ipynb` displays these blocks; like report.py each returns escaped HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from naravard import charts, text
from naravard.catalog import AREAS, Catalog, Indicator, load_catalog
from naravard.export_safety import finish_xlsx, neutralise_frame
from naravard.indicators import available_years, national_table, series
from naravard.judgements import change_judgement, published
from naravard.paths import figures_dir
from naravard.regions import RIKET_CODE, all_regions
from naravard.report import (
    EXAMPLE_BANNER, TITLE, parse_year, report_date, rules_html, settle_heap, source_line,
)

NATIONAL_TITLE = "Nationell jämförelse av regionernas omställning till en god och nära vård"


@dataclass
class NationalReport:
    year: int
    obs: object
    catalog: Catalog
    table: pd.DataFrame  # national_table(): region × Kolada indicator
    figures: Path | None

    @property
    def names(self) -> dict[str, str]:
        return {r.code: r.name for r in all_regions(include_riket=True)}


def prepare(year: object, data: object = None, *, figures: Path | None | str = "auto",
            obs: object = None, catalog: Catalog | None = None) -> NationalReport:
    from naravard.table import load_observations

    catalog = catalog or load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    settle_heap()
    year_int = parse_year(year, available_years(obs))
    if figures == "auto":
        figures = figures_dir() / "riket" / str(year_int)
    return NationalReport(year_int, obs, catalog, national_table(obs, catalog, year_int),
                          Path(figures) if figures else None)


def _save(rep: NationalReport, chart: charts.Chart) -> None:
    if rep.figures is not None:
        charts.save_chart(chart, rep.figures)


def _fmt(value: float, ind: Indicator, short: bool = True) -> str:
    return text.fmt_value(value, ind.unit, ind.decimals, short=short)


def chapters(rep: NationalReport) -> list[tuple[str, str]]:
    items = [("sammanfattning", "Sammanfattning"), ("oversikt", "Regionerna jämfört med riket"),
             ("kartor", "Kartor")]
    items += [(f"omrade-{key}", title) for key, title in AREAS.items() if _area_inds(rep, key)]
    items += [("mal", "Nationella mål"), ("enkaten", "Enkätsvar till Socialstyrelsen"),
              ("om-underlaget", "Om underlaget")]
    return items


def _area_inds(rep: NationalReport, area: str) -> list[Indicator]:
    return [i for i in rep.catalog.in_area(area) if i.source == "kolada"]


def title_html(rep: NationalReport) -> str:
    banner = (f'<div class="exempeldata" role="note">{EXAMPLE_BANNER}</div>'
              if getattr(rep.obs, "is_example", False) else "")
    links = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in chapters(rep))
    return (banner + '<header class="title-page">'
            f'<p class="kicker">Alla 21 regioner · {rep.year}</p>'
            f'<h1 id="titel" class="report-title">{NATIONAL_TITLE}</h1>'
            f'<p class="subtitle">{TITLE}, uppföljningsår {rep.year}</p>'
            f'<p class="meta">Framtagen {text.fmt_date(report_date().isoformat())} med naravard. '
            f"Underlag: {escape(getattr(rep.obs, 'origin_label', ''))}.</p></header>"
            f'<nav class="toc" aria-label="Innehåll"><h2 class="toc-title">Innehåll</h2>'
            f"<ol>{links}</ol></nav>")


def leaders(rep: NationalReport) -> pd.DataFrame:
    """Per region: how many indicators it has in the top and bottom third (direction-aware)."""
    t = rep.table[rep.table["rank"].notna()].copy()
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
    return out


def riket_change_sentences(rep: NationalReport) -> list[str]:
    """Riket's change since the year before for the main indicators, by judgement."""
    clear, unclear, broken = [], [], []
    for ind in rep.catalog.kolada():
        if not ind.main:
            continue
        s = series(rep.obs, ind.id)
        rk = s[s["region_code"] == RIKET_CODE].set_index("year")["value"]
        if rep.year not in rk.index or (rep.year - 1) not in rk.index:
            continue
        now = _fmt(rk[rep.year], ind, False)
        if any(b.year == rep.year for b in ind.series_breaks):
            broken.append(f"{ind.name.lower()} ({now})")
            continue
        delta = float(rk[rep.year] - rk[rep.year - 1])
        threshold = ind.min_change if ind.min_change_riket is None else ind.min_change_riket
        judged, counts = change_judgement(delta, ind.direction, threshold, ind.decimals)
        if not counts:
            unclear.append(f"{ind.name.lower()} ({now})")
            continue
        size = text.fmt_change(delta, ind.unit, ind.decimals)
        clear.append(f"{ind.name}: {now} i riket {rep.year}, {size} sedan {rep.year - 1} "
                     f"({judged}).")
    out = list(clear)
    if unclear:
        out.append(f"Ingen tydlig förändring i riket sedan {rep.year - 1} för "
                   + text.join_sv(unclear) + ".")
    if broken:
        out.append(f"Tidsseriebrott {rep.year}, så förändringen i riket bedöms inte, för "
                   + text.join_sv(broken) + ".")
    return out


def summary_html(rep: NationalReport) -> str:
    items = "".join(f"<li>{escape(s)}</li>" for s in summary_sentences(rep))
    return (f'<section class="chapter"><h1 id="sammanfattning">Sammanfattning</h1>'
            f'<ul class="summary">{items}</ul></section>')


def heatmap_html(rep: NationalReport) -> str:
    """Regions × indicators, one heat map per development area so each stays readable at A4."""
    parts = ['<section class="chapter"><h1 id="oversikt">Regionerna jämfört med riket</h1>'
             "<p>Färgen visar om regionen ligger bättre (lila, ▲) eller sämre (orange, ▼) än "
             "riket, med hänsyn till indikatorns riktning; talet i rutan är regionens värde. "
             "Grå utan pil: indikatorn är neutral eller riket saknar värde att jämföra med.</p>"]
    regions = [r for r in all_regions()]
    for area, title in AREAS.items():
        inds = [i for i in _area_inds(rep, area)]
        if not inds:
            continue
        rel = pd.DataFrame(index=[r.name for r in regions], columns=[i.name for i in inds],
                           dtype=float)
        labels = pd.DataFrame(index=rel.index, columns=rel.columns, dtype=object)
        for ind in inds:
            sub = rep.table[rep.table["indicator_id"] == ind.id].set_index("region_code")
            riket = sub["riket"].iloc[0] if len(sub) else np.nan
            for r in regions:
                value = sub.loc[r.code, "value"] if r.code in sub.index else np.nan
                scale = abs(riket) if riket and not pd.isna(riket) else np.nan
                rel.loc[r.name, ind.name] = sub.loc[r.code, "relative"] / scale * 100 \
                    if r.code in sub.index and not pd.isna(scale) else np.nan
                labels.loc[r.name, ind.name] = _fmt(value, ind)
        chart = charts.heatmap_chart(rel, labels, title=f"{title}: regionerna jämfört med riket "
                                     f"{rep.year}", name=f"heatmap-{area}")
        _save(rep, chart)
        parts.append(charts.chart_html(chart, _sources(rep, inds)))
    parts.append("</section>")
    return "".join(parts)


def _sources(rep: NationalReport, inds: list[Indicator]) -> str:
    if getattr(rep.obs, "is_example", False):
        return source_line(inds[0], rep.obs)
    primaries = sorted({i.primary_source for i in inds})
    line = source_line(inds[0], rep.obs)
    return line.replace(inds[0].primary_source, "; ".join(primaries), 1)


def maps_html(rep: NationalReport) -> str:
    parts = ['<section class="chapter"><h1 id="kartor">Kartor</h1>'
             "<p>Varje ruta är en region, placerad ungefär som på kartan. Talet är regionens "
             "värde; en grå, streckad ruta saknar värde.</p>"]
    regions = all_regions()
    for ind in [i for i in rep.catalog.kolada() if i.main]:
        sub = rep.table[rep.table["indicator_id"] == ind.id].set_index("region_code")["value"]
        values = {c: float(v) for c, v in sub.items() if not pd.isna(v)}
        if not values:
            continue
        chart = charts.tile_map_chart(values, ind, regions, year=rep.year)
        _save(rep, chart)
        parts.append(charts.chart_html(chart, source_line(ind, rep.obs)))
    parts.append("</section>")
    return "".join(parts)


def _change_table(rep: NationalReport, inds: list[Indicator]) -> str:
    head = "".join(f"<th scope='col'>{escape(i.name)}<br><small>"
                   f"{escape(text.unit_label(i.unit) if i.unit != 'procent' else 'Procentenheter')}"
                   "</small></th>" for i in inds)
    rows = []
    for r in all_regions():
        cells = []
        for ind in inds:
            row = rep.table[(rep.table["indicator_id"] == ind.id)
                            & (rep.table["region_code"] == r.code)].iloc[0]
            if pd.isna(row["change"]):
                cells.append("<td class='num'>–</td>")
                continue
            judged = row["change_judgement"]
            shown = published(float(row["change"]), ind.decimals)
            arrow = {1: "↑ ", -1: "↓ ", 0: "→ "}[(shown > 0) - (shown < 0)]
            word = {"förbättring": " bättre", "försämring": " sämre"}.get(judged, "")
            if row["break_between"]:
                word = " brott"
            cells.append(f"<td class='num change-{judged or 'neutral'}'>{arrow}"
                         f"{text.fmt_change(row['change'], ind.unit, ind.decimals, short=True)}"
                         f"<small>{word}</small></td>")
        rows.append(f"<tr><th scope='row'>{escape(r.name)}</th>{''.join(cells)}</tr>")
    return (f"<table class='changes'><caption>Förändring sedan {rep.year - 1}: pilen visar åt "
            "vilket håll värdet gick; bättre/sämre står bara där förändringen är minst den "
            "minsta förändring som räknas; brott = tidsseriebrott, bedöms inte</caption>"
            f"<thead><tr><th scope='col'>Region</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def area_html(rep: NationalReport, area: str) -> str:
    inds = _area_inds(rep, area)
    if not inds:
        return ""
    parts = [f'<section class="chapter"><h1 id="omrade-{area}">{escape(AREAS[area])}</h1>']
    for ind in inds:
        data = series(rep.obs, ind.id)
        year_data = data[data["year"] == rep.year]
        parts.append(f'<section class="indicator"><h2>{escape(ind.name)}</h2>')
        if year_data.empty:
            parts.append(f"<p class='missing'>Inga värden för {rep.year}.</p></section>")
            continue
        chart = charts.ranked_chart(year_data, ind, None, rep.year, rep.names)
        _save(rep, chart)
        parts.append(charts.chart_html(chart, source_line(ind, rep.obs)) + "</section>")
    for start in range(0, len(inds), 4):
        parts.append(_change_table(rep, inds[start:start + 4]))
    parts.append("</section>")
    return "".join(parts)


def targets_html(rep: NationalReport) -> str:
    """Which regions meet the official targets, on three levels, with each target's origin.

    A region's figure measured another way than the catalogue defines it is marked (*) and
    its definition listed, so different measures are not read as equal.
    """
    from naravard.indicators import indicator_table

    inds = [i for i in rep.catalog if i.target is not None]
    head = "".join(f"<th scope='col'>{escape(i.name)}<br><small>{escape(i.target_text or '')}"
                   "</small></th>" for i in inds)
    rows, marked = [], []
    counts = {i.id: {"uppfylls": 0, "uppfylls delvis": 0, "uppfylls inte": 0} for i in inds}
    notes: dict[str, str] = {}
    for r in all_regions():
        table = indicator_table(rep.obs, rep.catalog, r.code, rep.year).set_index("indicator_id")
        cells = []
        for ind in inds:
            row = table.loc[ind.id]
            notes[ind.id] = row["target_note"]
            status = row["target_status"]
            if not status:
                cells.append("<td>–</td>")
                continue
            counts[ind.id][status] += 1
            star = ""
            if row["definition"]:
                star = "*"
                marked.append(f"{r.name}, {ind.name.lower()}: {row['definition']}")
            cells.append(f"<td class='target-{status.replace(' ', '-')}'>{status} "
                         f"({_fmt(row['value'], ind)}{star})</td>")
        rows.append(f"<tr><th scope='row'>{escape(r.name)}</th>{''.join(cells)}</tr>")
    items = []
    for ind in inds:
        c = counts[ind.id]
        have = sum(c.values())
        if not have:
            items.append(f"<li>{escape(ind.name)}: ingen region har värde {rep.year} i "
                         f"naravard. {escape(notes[ind.id])}</li>")
            continue
        items.append(f"<li>{escape(ind.name)}: av {text.plural(have, 'region', 'regioner')} "
                     "med värde uppfylls målet av "
                     f"{c['uppfylls']}, delvis av {c['uppfylls delvis']} och inte av "
                     f"{c['uppfylls inte']}. {escape(notes[ind.id])}</li>")
    footnote = ("<p class='note'>* Mätt på annat sätt än katalogens definition, så värdet kan "
                "inte ställas bredvid de andra som likvärdigt: "
                + escape("; ".join(marked)) + ".</p>") if marked else ""
    return ('<section class="chapter"><h1 id="mal">Nationella mål</h1>'
            "<p>Mål anges bara där en offentlig källa anger ett. Uppgifterna om fast "
            "läkarkontakt och listade per läkare kommer från regionernas egna filer; – betyder "
            "att naravard saknar uppgift för regionen. Regeln för uppfylls delvis står i Om "
            "underlaget.</p>"
            f"<ul>{''.join(items)}</ul><table class='targets'><thead><tr><th scope='col'>Region"
            f"</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{footnote}</section>")


def questionnaire_html(rep: NationalReport, *, regions_per_table: int = 6) -> str:
    """Regions × choice questions of Socialstyrelsen's questionnaire, with counts per question.

    Only regions that have filed answers get a column (in tables of a few regions, so that the
    page stays readable at A4); the others are named once.
    """
    from naravard import questionnaire as q
    from naravard.errors import NaravardError

    head = '<section class="chapter"><h1 id="enkaten">Enkätsvar till Socialstyrelsen</h1>'
    try:
        overview = q.national_overview(rep.year)
    except NaravardError as exc:
        return head + f"<p class='note'>{escape(str(exc))}</p></section>"
    counts = q.national_counts(overview)
    labels = overview.attrs.get("labels", {})
    filed = [r for r in overview.index if (overview.loc[r] != "–").any()]
    missing = [r for r in overview.index if r not in filed]
    parts = [head, f"<p>{len(filed)} av {len(overview.index)} regioner har en svarsfil för "
             f"{rep.year} i naravard"
             + (f"; svar saknas för {escape(text.join_sv(missing))}" if missing else "")
             + ". Tabellen visar svaren på enkätens flervalsfrågor; fritextsvaren finns i "
             "respektive regions rapport.</p>"]
    count_cols = [c for c in ("Ja", "Nej", "Delvis", "annat svar", "obesvarad") if c in counts]
    count_head = "".join(f"<th scope='col'>{escape(c.capitalize())}</th>" for c in count_cols)
    parts.append("<table class='q-counts'><caption>Antal regioner per svar</caption><thead><tr>"
                 f"<th scope='col'>Fråga</th>{count_head}</tr></thead><tbody>")
    for qid, row in counts.iterrows():
        cells = "".join(f"<td class='num'>{int(row[c])}</td>" for c in count_cols)
        parts.append(f"<tr><th scope='row'>{escape(str(row['rubrik']))}</th>{cells}</tr>")
    parts.append("</tbody></table>")
    for start in range(0, len(filed), regions_per_table):
        chunk = filed[start:start + regions_per_table]
        region_head = "".join(f"<th scope='col'>{escape(r)}</th>" for r in chunk)
        parts.append("<table class='q-overview'><caption>Regionernas svar</caption><thead><tr>"
                     f"<th scope='col'>Fråga</th>{region_head}</tr></thead><tbody>")
        for col in overview.columns:
            cells = "".join(f"<td>{escape(str(overview.loc[r, col]))}</td>" for r in chunk)
            parts.append(f"<tr><th scope='row'>{escape(labels.get(col, col))}</th>{cells}</tr>")
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


def about_html(rep: NationalReport) -> str:
    primaries = sorted({i.primary_source for i in rep.catalog.kolada()})
    return ('<section class="chapter"><h1 id="om-underlaget">Om underlaget</h1>'
            f"<p>Underlag: {escape(getattr(rep.obs, 'origin_label', ''))}.</p>"
            "<p>Indikatorerna kommer från Kolada (RKA), som återpublicerar dem från "
            + escape("; ".join(primaries)) + ". Placeringar, jämförelser med riket och "
            "förändringar är naravards egna beräkningar. Jämförelsen med riket i värmekartorna "
            "är regionens avvikelse från riket i procent av rikets värde.</p>"
            "<h2 id='berakningar'>Så bedöms värdena</h2>" + rules_html(rep.catalog)
            + "</section>")


def export_frame(rep: NationalReport) -> pd.DataFrame:
    """One row per region and indicator: value, Riket, rank, change — the report's numbers."""
    names = rep.names
    inds = {i.id: i for i in rep.catalog.kolada()}
    frame = rep.table.copy()
    frame.insert(0, "Region", [names[c] for c in frame["region_code"]])
    frame.insert(1, "Indikator", [inds[i].name for i in frame["indicator_id"]])
    frame["Område"] = [AREAS[inds[i].area] for i in frame["indicator_id"]]
    frame["År"] = rep.year
    frame["Mål"] = [inds[i].target_text or "" for i in frame["indicator_id"]]
    frame["Minsta förändring som räknas"] = [inds[i].min_change for i in frame["indicator_id"]]
    return frame.rename(columns={
        "region_code": "Regionkod", "indicator_id": "Indikator-id", "value": "Värde",
        "riket": "Riket", "relative": "Skillnad mot riket (riktningsjusterad)",
        "rank": "Placering", "rank_to": "Placering till",
        "n_tied": "Delar placering med antal regioner", "n_ranked": "Antal regioner",
        "change": "Förändring", "change_counts": "Förändringen räknas",
        "change_judgement": "Bedömning", "break_between": "Tidsseriebrott",
        "trend": "Trend", "trend_from_year": "Trend sedan år", "meets_target": "Når målet",
        "target_status": "Måluppfyllelse", "target_note": "Om målet",
        "comparability_note": "Jämförbarhet"})


def export_xlsx_bytes(rep: NationalReport) -> bytes:
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_frame(export_frame(rep)).to_excel(writer, index=False, sheet_name="Regioner")
    return finish_xlsx(buf.getvalue())
