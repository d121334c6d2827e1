"""The region report's content as HTML blocks; `notebooks/regionrapport.ipynb` displays them.

Each function returns one self-contained HTML fragment (Swedish, escaped), so the notebook
stays thin and the same blocks can be tested without running a kernel.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from naravard import charts, commentary, text
from naravard.catalog import AREAS, Catalog, Indicator, load_catalog
from naravard.errors import NaravardError
from naravard.indicators import POSITION_LABELS, available_years, indicator_table, series
from naravard.paths import figures_dir
from naravard.regions import RIKET_CODE, Region, all_regions, get_region

TITLE = "Uppföljning av omställningen till en god och nära vård"
EXAMPLE_BANNER = "EXEMPELDATA – inte verkliga värden"
POSITION_SYMBOLS = {"övre": "▲", "mellersta": "●", "nedre": "▼"}
JUDGEMENT_SYMBOLS = {"förbättring": "↑", "försämring": "↓", "oförändrad": "→",
                     "ökning": "↗", "minskning": "↘"}


def report_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH when set, so that two runs can produce identical text."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def settle_heap() -> None:
    """Move what is loaded so far out of the garbage collector's sight.

    The observations and catalogue live as long as the kernel; without this, every full
    collection while ~40 charts are drawn rescans them (about a second per report).
    """
    import gc

    gc.collect()
    gc.freeze()


def parse_year(year: object, years: list[int]) -> int:
    """The report year as int, or an error listing the years the data has."""
    span = f"{years[0]}–{years[-1]}" if years else "inga"
    try:
        value = int(str(year).strip())
    except ValueError:
        raise NaravardError(f"YEAR={year!r} är inte ett årtal; tillgängliga år: {span}") from None
    if value not in years:
        raise NaravardError(f"YEAR={value} finns inte i underlaget; tillgängliga år: {span}")
    return value


@dataclass
class RegionReport:
    """Everything one region-year report is computed from, loaded and validated once."""

    region: Region
    year: int
    obs: object  # naravard.table.Observations
    catalog: Catalog
    table: pd.DataFrame
    figures: Path | None = None  # where chart PNG/SVG files go; None: do not save
    structure: object = None  # the questionnaire's structure for the year, if naravard has it
    answers: object = None  # the region's questionnaire answers, if it has filed them
    comments: object = None  # naravard.commentary.Commentary: the analyst's comments, if any
    changes: object = None  # naravard.revisions.Changes since the previous version, if any
    own_notebook: Path | None = None  # notebooks/egna/<slug>.ipynb, when the region has one
    own_analysis: bool = False  # the report has a chapter "Egen analys"

    @property
    def region_names(self) -> dict[str, str]:
        return {r.code: r.name for r in all_regions(include_riket=True)}

    def row(self, indicator_id: str) -> pd.Series:
        return self.table.set_index("indicator_id").loc[indicator_id]


def prepare(region: str, year: object, data: object = None, *, figures: Path | None | str = "auto",
            obs: object = None, catalog: Catalog | None = None, comments: bool = True,
            previous: Path | str | None = "auto") -> RegionReport:
    """Validate the parameters against the data and compute the indicator table.

    Raises NaravardError for an unknown region, a year the data lacks, a year in which the
    region has no values at all, or a faulty comment file, before anything is written.
    `previous` is the folder of the report's earlier version ("auto": output/<slug>/<year>/),
    whose values the chapter Om underlaget compares with.
    """
    from naravard.table import load_observations

    reg = get_region(region)
    catalog = catalog or load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    settle_heap()
    year_int = parse_year(year, available_years(obs))
    region_years = available_years(obs, reg.code)
    if year_int not in region_years:
        span = ", ".join(str(y) for y in region_years) or "inga"
        raise NaravardError(f"{reg.name} har inga värden för {year_int} i underlaget; "
                            f"år med värden: {span}")
    table = indicator_table(obs, catalog, reg.code, year_int)
    if figures == "auto":
        figures = figures_dir() / reg.slug / str(year_int)
    structure, answers = _questionnaire(reg, year_int)
    rep = RegionReport(reg, year_int, obs, catalog, table, Path(figures) if figures else None,
                       structure, answers)
    _analyst_parts(rep, comments, previous)
    return rep


def _analyst_parts(rep: RegionReport, comments: bool, previous: Path | str | None) -> None:
    """The analyst's comments, the changes since the last version and the own notebook."""
    from naravard import cells, revisions
    from naravard.paths import output_dir

    if comments:
        rep.comments = commentary.load(rep.region.slug, rep.year, rep.catalog, rep.table)
    if previous == "auto":
        previous = output_dir() / rep.region.slug / str(rep.year)
    if previous:
        rep.changes = revisions.changes_since(Path(previous), export_csv_bytes(rep))
    rep.own_notebook, rep.own_analysis = cells.plan(rep.region.slug)


def _questionnaire(region: Region, year: int) -> tuple[object, object]:
    """The year's questionnaire and the region's answers; (None, None) when there is no form."""
    from naravard import questionnaire as q

    if year not in q.available_years():
        return None, None
    structure = q.load_structure(year)
    return structure, q.load_answers(region.slug, year, structure=structure)


def related_answers_html(rep: RegionReport, indicator_ids: list[str]) -> str:
    """The region's answers to the questions that concern these indicators, one line each.

    The full answers, free text included, stand in the chapter "Redovisning till
    Socialstyrelsen"; here a reader sees the choice next to the numbers and where to read more.
    """
    if rep.answers is None:
        return ""
    from naravard import questionnaire as q

    wanted = set(indicator_ids)
    lines = []
    for qu in rep.structure:
        if not (wanted & set(qu.related_indicators)) or not qu.answerable:
            continue
        answer = rep.answers.get(qu.id)
        if qu.type == "text":
            shown = "fritextsvar, se kapitlet Redovisning till Socialstyrelsen" \
                if q.is_answered(qu, answer) else q.answer_text(qu, answer)
        else:
            shown = q.answer_text(qu, answer)
        lines.append(f'<li><a href="#fraga-{escape(qu.id)}">Fråga {escape(qu.label)}</a> '
                     f"({escape(qu.title)}): <b>{escape(shown)}</b></li>")
    if not lines:
        return ""
    return ('<aside class="related-answers"><p class="aside-title">Regionens svar till '
            f"Socialstyrelsen {rep.year}</p><ul>{''.join(lines)}</ul></aside>")


# --- small formatting helpers -------------------------------------------------------------

def _value(row: pd.Series | dict, key: str = "value", short: bool = True) -> str:
    return text.fmt_value(row[key], row["unit"], int(row["decimals"]), short=short)


def _status_cell(row: pd.Series) -> str:
    pos = row["position"]
    if not pos:
        return "–"
    return f'<span class="status status-{pos}">{POSITION_SYMBOLS[pos]} {POSITION_LABELS[pos]}</span>'


def _change_cell(row: pd.Series) -> str:
    if pd.isna(row["change"]):
        return "–"
    change = text.fmt_change(row["change"], row["unit"], int(row["decimals"]), short=True)
    judgement = row["change_judgement"]
    if row["break_between"]:
        return f"{change} <small>(tidsseriebrott)</small>"
    if judgement in ("förbättring", "försämring"):
        return (f'<span class="change-{judgement}">{JUDGEMENT_SYMBOLS[judgement]} {change} '
                f"<small>{judgement}</small></span>")
    return change


def _rank_cell(row: pd.Series) -> str:
    return text.fmt_rank(row["rank"], row["n_ranked"]) if not pd.isna(row["rank"]) else "–"


def source_line(ind: Indicator, obs: object) -> str:
    """"Källa: <primary source> via Kolada, hämtad …" — processed figures never credit Kolada."""
    if getattr(obs, "is_example", False):
        return "Källa: exempeldata genererade av naravard – inte verkliga värden"
    if ind.source == "regional":
        return f"Källa: {ind.primary_source} (regionens egna uppgifter)"
    retrieved = getattr(obs, "retrieved", None)
    when = f", hämtad {text.fmt_date(retrieved)}" if retrieved else ""
    return f"Källa: {ind.primary_source}, via Kolada{when}"


# --- blocks --------------------------------------------------------------------------------

def banner_html(rep: RegionReport) -> str:
    """The example-data banner that the print CSS repeats on every page; empty for real data."""
    if not getattr(rep.obs, "is_example", False):
        return ""
    return f'<div class="exempeldata" role="note">{EXAMPLE_BANNER}</div>'


def title_html(rep: RegionReport) -> str:
    obs = rep.obs
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in getattr(obs, "notes", []))
    return (
        banner_html(rep)
        + '<header class="title-page">'
        f'<p class="kicker">{escape(rep.region.full_name)} · {rep.year}</p>'
        f'<h1 id="titel" class="report-title">{TITLE}</h1>'
        f'<p class="subtitle">{escape(rep.region.full_name)}, uppföljningsår {rep.year}</p>'
        f'<p class="meta">Framtagen {text.fmt_date(report_date().isoformat())} med naravard. '
        f"Underlag: {escape(getattr(obs, 'origin_label', ''))}.</p>"
        f"{notes}</header>"
    )


def chapters(rep: RegionReport) -> list[tuple[str, str]]:
    """(anchor id, heading) for the table of contents, in report order."""
    items = [("sammanfattning", "Sammanfattning"), ("oversikt", "Översikt")]
    items += [(f"omrade-{key}", title) for key, title in AREAS.items()
              if any(i.source == "kolada" for i in rep.catalog.in_area(key))]
    items += [("egna-uppgifter", "Regionens egna uppgifter")]
    if rep.own_analysis:
        items.append(("egen-analys", "Egen analys"))
    items += [("om-underlaget", "Om underlaget"),
              ("socialstyrelsen", "Redovisning till Socialstyrelsen")]  # the appendix, last
    return items


def toc_html(rep: RegionReport) -> str:
    links = "".join(f'<li><a href="#{anchor}">{escape(title)}</a></li>'
                    for anchor, title in chapters(rep))
    return f'<nav class="toc" aria-label="Innehåll"><h2 class="toc-title">Innehåll</h2><ol>{links}</ol></nav>'


def summary_html(rep: RegionReport) -> str:
    sentences = text.summary_sentences(rep.table, rep.region.name, rep.year)
    items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return (f'<section class="chapter"><h1 id="sammanfattning">Sammanfattning</h1>'
            f'<ul class="summary">{items}</ul>{_comment(rep, commentary.SUMMARY)}</section>')


def overview_frame(rep: RegionReport) -> pd.DataFrame:
    """The report's table in plain text, one row per indicator (also exported as CSV/XLSX)."""
    rows = []
    for _, row in rep.table.iterrows():
        rows.append({
            "Område": AREAS[row["area"]],
            "Indikator": row["name"],
            "Indikator-id": row["indicator_id"],
            "År": rep.year,
            "Värde": row["value"],
            "Enhet": text.unit_label(row["unit"]),
            "Föregående år": row["prev_year"],
            "Förändring": row["change"],
            "Bedömning": row["change_judgement"],
            "Riket": row["riket"],
            "Placering": row["rank"],
            "Antal regioner": row["n_ranked"] or pd.NA,
            "Läge bland regionerna": POSITION_LABELS.get(row["position"], ""),
            "Mål": row["target_text"] or "",
            "Når målet": {True: "Ja", False: "Nej"}.get(row["meets_target"], ""),
            "Kvinnor": row["kvinnor"],
            "Män": row["man"],
        })
    return pd.DataFrame(rows)


def overview_html(rep: RegionReport) -> str:
    head = ("<thead><tr><th scope='col'>Indikator</th><th scope='col'>Värde</th>"
            "<th scope='col'>Förändring sedan föregående år</th><th scope='col'>Riket</th>"
            "<th scope='col'>Placering</th><th scope='col'>Läge</th></tr></thead>")
    body = []
    for area, title in AREAS.items():
        rows = rep.table[rep.table["area"] == area]
        if rows.empty:
            continue
        body.append(f"<tr class='group'><th colspan='6' scope='rowgroup'>{escape(title)}</th></tr>")
        for _, row in rows.iterrows():
            body.append(
                f"<tr><th scope='row'>{escape(row['name'])}</th><td class='num'>{_value(row)}</td>"
                f"<td class='num'>{_change_cell(row)}</td><td class='num'>{_value(row, 'riket')}</td>"
                f"<td class='num'>{_rank_cell(row)}</td><td>{_status_cell(row)}</td></tr>")
    legend = ("<p class='legend'>Läge: ▲ övre, ● mellersta, ▼ nedre tredjedelen bland regionerna med "
              "värde (plats 1 = bäst, med hänsyn till om högt eller lågt värde är bättre). "
              "↑ förbättring, ↓ försämring sedan föregående år med värde. – = värde saknas.</p>")
    return (f'<section class="chapter"><h1 id="oversikt">Översikt {rep.year}</h1>'
            f'<table class="overview">{head}<tbody>{"".join(body)}</tbody></table>{legend}</section>')


def _save(rep: RegionReport, chart: charts.Chart, name: str) -> None:
    """Write the chart as figures/<slug>/<year>/<name>.png and .svg (the folder is the region-year)."""
    chart.name = name
    if rep.figures is not None:
        charts.save_chart(chart, rep.figures)


def indicator_html(rep: RegionReport, ind: Indicator) -> str:
    """One indicator: heading, generated sentences, trend (and ranked) chart, definition, source."""
    row = rep.row(ind.id)
    parts = [f'<section class="indicator" id="ind-{ind.id}"><h3>{escape(ind.name)}</h3>']
    sentences = text.indicator_sentences(row.to_dict() | {"indicator_id": ind.id}, rep.region.name)
    parts.append("".join(f"<p>{escape(s)}</p>" for s in sentences))
    parts.append(_comment(rep, ind.id))
    data = series(rep.obs, ind.id)
    src = source_line(ind, rep.obs)
    breaks = [(b.year, b.reason) for b in ind.series_breaks]
    if not data[data["region_code"] == rep.region.code].empty:
        chart = charts.trend_chart(data, ind, rep.region.code, rep.region.name, breaks=breaks)
        _save(rep, chart, ind.id)
        parts.append(charts.chart_html(chart, src))
        if ind.main and not pd.isna(row["value"]):
            ranked = charts.ranked_chart(data[data["year"] == rep.year], ind, rep.region.code,
                                         rep.year, rep.region_names)
            _save(rep, ranked, f"{ind.id}-regioner")
            parts.append(charts.chart_html(ranked, src))
    else:
        parts.append(f"<p class='missing'>{escape(rep.region.name)} saknar värden för "
                     "denna indikator i underlaget.</p>")
    facts = [f"<dt>Definition</dt><dd>{escape(ind.definition)}</dd>",
             f"<dt>Riktning</dt><dd>{escape(text.direction_label(ind.direction))}: "
             f"{escape(ind.direction_reason)}</dd>"]
    if ind.target_text:
        facts.append(f"<dt>Mål</dt><dd>{escape(ind.target_text)}"
                     f"{' (' + escape(ind.target_source) + ')' if ind.target_source else ''}</dd>")
    for brk in ind.series_breaks:
        facts.append(f"<dt>Tidsseriebrott {brk.year}</dt><dd>{escape(brk.reason)}</dd>")
    parts.append(f"<dl class='facts'>{''.join(facts)}</dl>")
    parts.append(related_answers_html(rep, [ind.id]) + "</section>")
    return "".join(parts)


def area_html(rep: RegionReport, area: str) -> str:
    """One development area's chapter with every Kolada indicator in it."""
    inds = [i for i in rep.catalog.in_area(area) if i.source == "kolada"]
    if not inds:
        return ""
    rows = rep.table[rep.table["indicator_id"].isin([i.id for i in inds])]
    gender_note = ""
    if rows[["kvinnor", "man"]].isna().all().all():
        gender_note = ("<p class='note'>Underlaget innehåller inga värden uppdelade på kvinnor och "
                       "män för indikatorerna i detta kapitel, så jämställdhetsperspektivet kan "
                       "inte redovisas här.</p>")
    body = "".join(indicator_html(rep, ind) for ind in inds)
    return (f'<section class="chapter"><h1 id="omrade-{area}">{escape(AREAS[area])}</h1>'
            f"{_comment(rep, area)}{gender_note}{body}</section>")


def regional_html(rep: RegionReport) -> str:
    inds = rep.catalog.regional()
    rows = rep.table[rep.table["indicator_id"].isin([i.id for i in inds])]
    head = '<section class="chapter"><h1 id="egna-uppgifter">Regionens egna uppgifter</h1>'
    if rows["value"].isna().all():
        return (head + f"<p class='note'>Det finns inga egna uppgifter för {escape(rep.region.name)} "
                f"{rep.year} i naravard. Lägg regionens siffror (t.ex. andel invånare med fast "
                f"läkarkontakt och listade per specialist i allmänmedicin) i "
                f"<code>data/regional/{rep.region.slug}.csv</code> för att redovisa dem här och "
                "jämföra dem med de nationella målen.</p></section>")
    table = ["<table class='regional'><thead><tr><th scope='col'>Uppgift</th>"
             "<th scope='col'>Värde</th><th scope='col'>Föregående</th>"
             "<th scope='col'>Mål</th><th scope='col'>Når målet</th></tr></thead><tbody>"]
    for ind in inds:
        row = rep.row(ind.id)
        prev = ("–" if pd.isna(row["prev_value"]) else
                f"{_value(row, 'prev_value')} ({row['prev_year']})")
        met = {True: "Ja", False: "Nej"}.get(row["meets_target"], "–")
        table.append(f"<tr><th scope='row'>{escape(ind.name)}</th><td class='num'>{_value(row)}</td>"
                     f"<td class='num'>{prev}</td><td>{escape(ind.target_text or '–')}</td>"
                     f"<td>{met}</td></tr>")
    table.append("</tbody></table>")
    sentences = []
    for ind in inds:
        row = rep.row(ind.id)
        if not pd.isna(row["value"]):
            sentences += text.indicator_sentences(row.to_dict() | {"indicator_id": ind.id},
                                                  rep.region.name)
    sources = sorted({s for s in _regional_sources(rep) if s})
    src = "".join(f"<li>{escape(s)}</li>" for s in sources)
    comments = "".join(_comment(rep, i.id, about=i.name) for i in inds)  # one table, many
    return (head + "".join(table) + "".join(f"<p>{escape(s)}</p>" for s in sentences) + comments
            + (f"<p class='source'>Källor:</p><ul class='sources'>{src}</ul>" if src else "")
            + related_answers_html(rep, [i.id for i in inds]) + "</section>")


def _regional_sources(rep: RegionReport) -> list[str]:
    frame = rep.obs.frame
    ids = [i.id for i in rep.catalog.regional()]
    sel = frame[(frame["region_code"] == rep.region.code) & frame["indicator_id"].isin(ids)]
    return list(sel["source"].unique())


def questionnaire_html(rep: RegionReport) -> str:
    """Socialstyrelsen's questionnaire answers, or a short note when the region has none."""
    from naravard import questionnaire as q

    head = ('<section class="chapter"><h1 id="socialstyrelsen">Redovisning till Socialstyrelsen</h1>')
    if rep.structure is None:
        return (head + f"<p class='note'>naravard har ingen enkätstruktur för {rep.year}; "
                "enkätsvaren kan inte visas.</p></section>")
    if rep.answers is None:
        return (head + f"<p class='note'>{escape(rep.region.name)} har ingen svarsfil för "
                f"Socialstyrelsens enkät {rep.year}. Skapa en med <code>naravard questionnaire "
                f"template --region {escape(rep.region.slug)} --year {rep.year}</code>.</p></section>")
    intro = ("<p>Regionens svar på Socialstyrelsens enkät om omställningen till en god och nära "
             "vård, med enkätens numrering. Fritextsvaren är korta sammanfattningar. Där en fråga "
             "och en indikator gäller samma sak visas svaret också vid indikatorn.</p>")
    return (head + intro + q.answers_html(rep.structure, rep.answers, indicator_table=rep.table)
            + "</section>")


def about_html(rep: RegionReport) -> str:
    obs = rep.obs
    missing = rep.table[rep.table["value"].isna()]["name"].tolist()
    missing_html = ("<p>Indikatorer utan värde för regionen " + str(rep.year) + ": "
                    + escape(", ".join(missing)) + ".</p>") if missing else \
        f"<p>Alla indikatorer har värden för {rep.year}.</p>"
    primaries = sorted({i.primary_source for i in rep.catalog if i.source == "kolada"})
    return (
        '<section class="chapter"><h1 id="om-underlaget">Om underlaget</h1>'
        f"<p>Underlag: {escape(getattr(obs, 'origin_label', ''))}.</p>"
        "<p>De nationella indikatorerna kommer från Kolada (RKA), som återpublicerar dem från "
        "primärkällorna: " + escape("; ".join(primaries)) + ". Beräkningarna i rapporten "
        "(förändring, placering, läge och måluppfyllelse) är naravards egna och ska inte "
        "tillskrivas Kolada.</p>"
        + missing_html +
        "<h2 id='berakningar'>Så beräknas jämförelserna</h2><ul>"
        "<li><b>Förändring</b>: värdet för uppföljningsåret minus värdet för det senaste "
        "tidigare året med värde. Om ett tidsseriebrott ligger mellan åren bedöms inte "
        "förändringen.</li>"
        "<li><b>Bedömning</b>: förbättring eller försämring utifrån indikatorns riktning (för "
        "väntetider och överbeläggningar är lägre bättre). Förändringar som avrundas till noll "
        "räknas som oförändrade.</li>"
        "<li><b>Placering</b>: plats bland de regioner som har ett värde samma år; plats 1 är "
        "bäst. Lika värden delar placering. Neutrala indikatorer rangordnas efter högsta "
        "värde utan bedömning.</li>"
        "<li><b>Läge</b>: övre, mellersta eller nedre tredjedelen av placeringarna.</li>"
        "<li><b>Mål</b>: anges bara där en offentlig källa anger ett mål eller riktvärde.</li>"
        "</ul>" + changes_html(rep) + "</section>")


def changes_html(rep: RegionReport) -> str:
    """"Ändrat sedan förra versionen (datum)": the values that differ from the report already
    published for this region and year; empty when nothing changed or there was none."""
    from naravard import revisions

    changes = rep.changes
    if changes is None or changes.empty:
        return ""
    when = f" ({text.fmt_date(changes.previous_date)})" if changes.previous_date else ""
    shown = changes.frame.head(12)
    items = "".join(f"<li>{escape(revisions.describe(row))}</li>" for _, row in shown.iterrows())
    more = len(changes.frame) - len(shown)
    tail = (f"<p>… och {more} till; alla ändringar står i andringar.csv.</p>" if more else
            "<p>Ändringarna står också i andringar.csv bredvid rapporten.</p>")
    return (f"<h2 id='andrat'>Ändrat sedan förra versionen{when}</h2>"
            "<p>Jämfört med den förra versionen av rapporten för samma år har dessa värden "
            f"eller placeringar ändrats:</p><ul class='changes'>{items}</ul>{tail}")


def _comment(rep: RegionReport, key: str, about: str = "") -> str:
    """The analyst's comment on one part of the report (summary, area or indicator), or ''.

    Placed at the function boundary until the report's templates give it a `comment` slot.
    """
    return commentary.section_html(rep.comments, key, about)


# Columns holding an indicator's own numbers, shown with the indicator's decimals.
MEASURE_COLUMNS = ("Värde", "Förändring", "Riket", "Kvinnor", "Män")


def export_frame(rep: RegionReport) -> pd.DataFrame:
    """The exported indikatorer table: overview rows with a source column.

    Numbers are rounded to each indicator's decimals, so a change of 79,5 − 75,3 reads 4,2
    and not 4,200000000000003 in Excel.
    """
    frame = overview_frame(rep)
    decimals = [int(d) for d in rep.table["decimals"]]
    for col in MEASURE_COLUMNS:
        frame[col] = [x if pd.isna(x) else round(float(x), d)
                      for x, d in zip(frame[col], decimals)]
    frame["Källa"] = [source_line(rep.catalog.get(i), rep.obs).removeprefix("Källa: ")
                      for i in frame["Indikator-id"]]
    return frame


def _csv_number(x: object, decimals: int) -> str:
    return "" if pd.isna(x) else f"{float(x):.{decimals}f}".replace(".", ",")


def export_csv_bytes(rep: RegionReport) -> bytes:
    """`;`-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly.

    Each number is written with its indicator's decimals (`28100`, `79,5`), no thousands
    separator, so Excel reads it as a number.
    """
    frame = export_frame(rep)
    decimals = [int(d) for d in rep.table["decimals"]]
    for col in MEASURE_COLUMNS:
        frame[col] = [_csv_number(x, d) for x, d in zip(frame[col], decimals)]
    return frame.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def export_xlsx_bytes(rep: RegionReport) -> bytes:
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        export_frame(rep).to_excel(writer, index=False, sheet_name="Indikatorer")
        sheet = writer.sheets["Indikatorer"]
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return buf.getvalue()


__all__ = [
    "RegionReport", "prepare", "title_html", "toc_html", "summary_html", "overview_html",
    "area_html", "regional_html", "questionnaire_html", "about_html", "export_csv_bytes",
    "export_xlsx_bytes", "RIKET_CODE", "TITLE",
]
