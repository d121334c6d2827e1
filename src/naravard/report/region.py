"""The region report's content as HTML blocks; `notebooks/regionrapport.ipynb` displays them.

Each function returns one self-contained HTML fragment (Swedish, escaped), so the notebook
stays thin and the same blocks can be tested without running a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from naravard.analysis import plausibility as P
from naravard.analysis import revisions
from naravard.analysis.indicators import POSITION_LABELS, available_years, indicator_table, series
from naravard.analysis.judgements import published
from naravard.config.catalog import AREAS, Catalog, Indicator, load_catalog
from naravard.config.regions import RIKET_CODE, Region, all_regions, get_region
from naravard.core import clock
from naravard.core.errors import NaravardError
from naravard.core.paths import report_roots, scratch_dir
from naravard.report import cells, changes, commentary, kommun, peers, related
from naravard.report import goals as own_goals
from naravard.report import questionnaire as q
from naravard.report.chapter_order import region_chapters
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
from naravard.report.exports import region_csv_bytes
from naravard.sources.table import load_observations
from naravard.wording import highlights, summary, templating, text

POSITION_SYMBOLS = {"övre": "▲", "mellersta": "●", "nedre": "▼"}
# The arrow shows which way the value moved; the word says whether that is better or worse.
VALUE_ARROWS = {1: "↑", -1: "↓", 0: "→"}


@dataclass
class RegionReport:
    """Everything one region-year report is computed from, loaded and validated once."""

    region: Region
    year: int
    obs: object  # naravard.sources.table.Observations
    catalog: Catalog
    table: pd.DataFrame
    figures: Path | None = None  # where chart PNG/SVG files go; None: do not save
    structure: object = None  # the questionnaire's structure for the year, if naravard has it
    answers: object = None  # the region's questionnaire answers, if it has filed them
    comments: object = None  # naravard.report.commentary.Commentary: the analyst's comments, if any
    changes: object = None  # naravard.analysis.revisions.Changes since the previous version, if any
    own_notebook: Path | None = None  # notebooks/egna/<slug>.ipynb, when the region has one
    own_analysis: bool = False  # the report has a chapter "Egen analys"
    peers: object = None  # naravard.config.peer_groups.PeerGroup: whom the region is placed among
    goals: object = None  # naravard.config.goals.Goals: the region's own goals, if it has a file
    # naravard.report.kommun: the län's kommun indicators (empty: no kommun chapter)
    kommun_items: list = field(default_factory=list)

    @property
    def region_names(self) -> dict[str, str]:
        return {r.code: r.name for r in all_regions(include_riket=True)}

    def row(self, indicator_id: str) -> pd.Series:
        return self.table.set_index("indicator_id").loc[indicator_id]


def prepare(
    region: str,
    year: object,
    data: object = None,
    *,
    figures: Path | None | str = "auto",
    obs: object = None,
    catalog: Catalog | None = None,
    comments: bool = True,
    previous: Path | str | None = "auto",
    jamfor: str | None = None,
) -> RegionReport:
    """Validate the parameters against the data and compute the indicator table.

    Raises NaravardError for an unknown region, a year the data lacks, a year in which the
    region has no values at all, or a faulty comment file, before anything is written.
    `figures` "auto" is the scratch folder (scratch/figures/<slug>/<year>/): only make report's
    staged publish writes into figures/. `previous` is the folder of the report's earlier
    version ("auto": output/<slug>/<year>/, or under output/exempeldata/ for example data),
    whose values the chapter Om underlaget compares with. `jamfor`: the analyst's comparison
    group (naravard.config.peer_groups); None: data/jamforelsegrupper.yaml or the sjukvårdsregion.
    """
    reg = get_region(region)
    catalog = catalog or load_catalog()
    if obs is None:
        obs = load_observations(data, catalog=catalog)
    observations_loaded(obs)
    year_int = parse_year(year, available_years(obs))
    region_years = available_years(obs, reg.code)
    if year_int not in region_years:
        span = ", ".join(str(y) for y in region_years) or "inga"
        raise NaravardError(
            f"{reg.name} har inga värden för {year_int} i underlaget; år med värden: {span}"
        )
    table = indicator_table(obs, catalog, reg.code, year_int)
    if figures == "auto":  # a notebook run of its own: never file by file into figures/
        figures = scratch_dir() / "figures" / reg.slug / str(year_int)
    structure, answers = _questionnaire(reg, year_int)
    rep = RegionReport(
        reg, year_int, obs, catalog, table, Path(figures) if figures else None, structure, answers
    )
    peers.attach(rep, jamfor)
    rep.goals = own_goals.load(reg.slug, catalog)  # data/mal/<slug>.yaml, validated now
    rep.kommun_items = kommun.find_items(obs, reg)
    _analyst_parts(rep, comments, previous)
    return rep


def _analyst_parts(rep: RegionReport, comments: bool, previous: Path | str | None) -> None:
    """The analyst's comments, the changes since the last version and the own notebook."""
    if comments and not is_example(rep):  # comments are on real values
        rep.comments = commentary.load(rep.region.slug, rep.year, rep.catalog, rep.table)
    if previous == "auto":  # example data is compared only with an example report
        previous = report_roots(rep.obs)[0] / rep.region.slug / str(rep.year)
    if previous:
        rep.changes = revisions.changes_since(Path(previous), region_csv_bytes(rep))
    rep.own_notebook, rep.own_analysis = cells.plan(rep.region.slug)


def _questionnaire(region: Region, year: int) -> tuple[object, object]:
    """The year's questionnaire and the region's answers; (None, None) when there is no form."""
    if year not in q.available_years():
        return None, None
    structure = q.load_structure(year)
    return structure, q.load_answers(region.slug, year, structure=structure)


# --- small formatting helpers -------------------------------------------------------------


def _value(row: pd.Series | dict, key: str = "value", short: bool = True) -> str:
    if short:  # HTML table cell: the rate's unit on its own line under the number
        number, label = text.cell_parts(row[key], row["unit"], int(row["decimals"]))
        return Markup("{}<br><small>{}</small>").format(number, label) if label else number
    return text.fmt_value(row[key], row["unit"], int(row["decimals"]))


def _change_cell(row: pd.Series) -> dict[str, str]:
    """Arrow = direction of the value, word = the judgement; nothing judged across a break."""
    out = {"change": "–", "symbol": "", "change_word": "", "change_class": ""}
    if pd.isna(row["change"]):
        # both values but no change: they are measured differently (indicator_table)
        if not pd.isna(row["value"]) and not pd.isna(row["prev_value"]):
            out["change_word"] = "annan definition, jämförs inte"
        return out
    out["change"] = text.fmt_change(row["change"], row["unit"], int(row["decimals"]), short=True)
    shown = published(float(row["change"]), int(row["decimals"]))
    out["symbol"] = VALUE_ARROWS[(shown > 0) - (shown < 0)]
    judgement = row["change_judgement"]
    if row["break_between"]:
        out["change_word"] = "tidsseriebrott, bedöms inte"
    elif judgement in ("förbättring", "försämring"):
        out |= {"change_class": judgement, "change_word": judgement}
    elif judgement == "ingen tydlig förändring":
        out["change_word"] = judgement
    elif row.get("plausibility"):
        out["change_word"] = P.JUDGEMENT
    # the column is "sedan föregående år": a change from an earlier year names that year
    prev_year, year = row.get("prev_year"), row.get("year")
    if not pd.isna(prev_year) and not pd.isna(year) and int(prev_year) != int(year) - 1:
        out["change_word"] = ", ".join(
            w for w in (f"sedan {int(prev_year)}", out["change_word"]) if w
        )
    return out


def _rank_cell(row: pd.Series) -> tuple[str, bool]:
    """The place for a table cell and whether it is shared ("1–6", True)."""
    place = text.place_text(row)
    if place.startswith("delad plats "):
        return place.removeprefix("delad plats "), True
    return place.removeprefix("plats ") or "–", False


# --- blocks --------------------------------------------------------------------------------


def banner_html(rep: RegionReport) -> str:
    """The example-data banner that the print CSS repeats on every page; empty for real data."""
    if not is_example(rep):
        return ""
    return templating.render("_banner.html.j2", text=EXAMPLE_BANNER)


def title_html(rep: RegionReport) -> str:
    about = [
        f"Rapporten är framtagen {text.fmt_date(clock.today().isoformat())}.",
        *data_sentences(rep.obs, available_years(rep.obs)),
    ]
    return templating.render(
        "region/title.html.j2",
        banner_text=EXAMPLE_BANNER if is_example(rep) else "",
        region=rep.region.full_name,
        year=rep.year,
        title=TITLE,
        about=about,
        notes=[n for n in getattr(rep.obs, "notes", []) if is_example(rep)],
    )


def chapters(rep: RegionReport) -> list[tuple[str, str]]:
    """(anchor id, heading) for the table of contents: the chapters this report has."""
    present = {
        "blocks.title(rep)": False,  # the page the table of contents is on
        "blocks.kommuner(rep)": kommun.has_chapter(rep),  # when the data has kommun values
        "own.chapter(rep)": bool(rep.own_analysis),
        "blocks.kommun_appendix(rep)": kommun.has_chapter(rep),
        "blocks.questionnaire(rep)": rep.structure is not None,  # no form for the year: none
        "blocks.goals(rep)": own_goals.has_chapter(rep),
    }
    return [
        (c.anchor, c.title)
        for c in region_chapters()
        if present.get(c.call, True)
        and (c.area is None or any(i.source == "kolada" for i in rep.catalog.in_area(c.area)))
    ]


def toc_html(rep: RegionReport) -> str:
    return templating.render("toc.html.j2", items=chapters(rep))


def summary_messages(rep: RegionReport) -> list[highlights.Message]:
    """The messages of "Det viktigaste" (naravard.wording.highlights has the rules)."""
    return peers.annotate(
        rep,
        highlights.select(
            rep.table, rep.obs, rep.catalog, rep.region.code, rep.region.name, rep.year
        ),
    )


def summary_html(rep: RegionReport, *, comment: str = "") -> str:
    """ "Det viktigaste": three to five messages, each with its number and its comparison."""
    messages = summary_messages(rep)
    comment = comment or _comment(rep, commentary.SUMMARY)
    return templating.render(
        "region/summary.html.j2",
        messages=messages,
        comment=templating.safe(comment),
        lead=f"Det här är de tydligaste resultaten för {rep.region.name} {rep.year} bland "
        "rapportens nationella indikatorer. Siffrorna och diagrammen finns i kapitlen "
        "som följer; hur budskapen väljs står i Om underlaget.",
        empty=f"Inga indikatorer för {rep.region.name} {rep.year} uppfyller reglerna för "
        "ett budskap.",
    )


def overview_row(row: pd.Series, year: int) -> dict:
    """One indicator's row of the overview table (the report and the board pack's slides)."""
    rank, shared = _rank_cell(row)
    value = _value(row)
    if int(row["year"]) != year:  # not yet published: the latest year, marked
        value = Markup("{} <small>({})</small>").format(value, int(row["year"]))
    position = "" if row.get("plausibility") else row["position"] or ""
    return (
        {
            "id": row["indicator_id"],
            "name": row["name"],
            "value": value,
            "riket": _value(row, "riket"),
            "rank": rank,
            "rank_shared": shared,
            "position": position,
            "position_symbol": POSITION_SYMBOLS.get(position, ""),
            # a value to check gets no coloured place (plausibility)
            "position_label": POSITION_LABELS.get(
                position, "osäkert värde" if row.get("plausibility") else ""
            ),
        }
        | _change_cell(row)
        | peers.cell(row)
    )


def _regional_shown(row: pd.Series) -> bool:
    """Whether the region's own figures list this row (and so have its `#ind-` anchor)."""
    return not (pd.isna(row["value"]) and pd.isna(row["prev_value"]))


OVERVIEW_LEGEND = (
    "Läge: ▲ övre, ● mellersta, ▼ nedre tredjedelen bland regionerna med värde (plats 1 = "
    "bäst, med hänsyn till om högt eller lågt värde är bättre; regioner med samma publicerade "
    "värde delar plats, t.ex. 1–6). Indikatorer utan bättre riktning rangordnas inte. Pilen "
    "visar åt vilket håll värdet har gått sedan föregående år (↑ upp, ↓ ned); ordet säger om "
    "det är en förbättring, en försämring eller ingen tydlig förändring. – = värde saknas."
)


def overview_html(rep: RegionReport) -> str:
    regional = {i.id for i in rep.catalog.regional()}
    groups = []
    for area, title in AREAS.items():
        rows = rep.table[rep.table["area"] == area]
        if not rows.empty:
            # a link only to a place in the report: an own figure without values has none
            groups.append(
                {
                    "title": title,
                    "rows": [
                        overview_row(r, rep.year)
                        | {"link": r["indicator_id"] not in regional or _regional_shown(r)}
                        for _, r in rows.iterrows()
                    ],
                }
            )
    return templating.render(
        "region/overview.html.j2",
        year=rep.year,
        groups=groups,
        legend=OVERVIEW_LEGEND,
        peer_header=peers.header(rep),
        sentences=summary.summary_sentences(rep.table, rep.region.name, rep.year),
    )


# Chart sizes in cm: two charts side by side across the 17,4 cm text width, or a chart
# beside its text for an indicator without a ranked chart.
PAIR = (8.55, 7.4)
SIDE = (9.3, 6.0)


def _facts(ind: Indicator, row: pd.Series) -> list[tuple[str, str]]:
    facts = [
        ("Definition", ind.definition),
        ("Riktning", f"{text.direction_label(ind.direction)}: {ind.direction_reason}"),
    ]
    if ind.target_text:
        facts.append(("Mål", f"{text.unit_with_number(ind.target_text)}. {row['target_note']}"))
    if ind.min_change:
        facts.append(
            (
                "Minsta tydliga förändring",
                f"{text.threshold_text(row)}: {ind.min_change_reason or ''}",
            )
        )
    for brk in ind.series_breaks:
        facts.append((f"Tidsseriebrott {brk.year}", brk.reason))
    return facts


def indicator_html(rep: RegionReport, ind: Indicator, *, comment: str = "") -> str:
    """One indicator: heading, generated sentences, trend (and ranked) chart, definition, source."""
    from naravard import charts  # matplotlib: see report/common.py

    row = rep.row(ind.id)
    comment = comment or _comment(rep, ind.id)
    sentences = text.indicator_sentences(row.to_dict() | {"indicator_id": ind.id}, rep.region.name)
    sentences = peers.with_sentence(rep, row, sentences)
    data = series(rep.obs, ind.id)
    src = source_line(ind, rep.obs)
    breaks = [(b.year, b.reason) for b in ind.series_breaks]
    trend = ranked = None
    missing = ""
    wide = ind.main and not pd.isna(row["value"])
    if not data[data["region_code"] == rep.region.code].empty:
        # shared: the chart goes to files and HTML only, so it may draw on the background
        # that an earlier region's chart of this indicator built (a batch kernel's reports)
        chart = charts.trend_chart(
            data,
            ind,
            rep.region.code,
            rep.region.name,
            breaks=breaks,
            size=PAIR if wide else SIDE,
            shared=True,
        )
        trend = figure(rep, chart, src, ind.id)
        if wide:
            shown = int(row["year"])  # an earlier year when the source has not published yet
            chart = charts.ranked_chart(
                data[data["year"] == shown],
                ind,
                rep.region.code,
                shown,
                rep.region_names,
                size=PAIR,
                shared=True,
                **peers.chart_marks(rep),
            )
            ranked = figure(rep, chart, src, f"{ind.id}-regioner")
    else:
        missing = f"{rep.region.name} saknar värden för denna indikator i underlaget."
    return templating.render(
        "region/indicator.html.j2",
        id=ind.id,
        name=ind.name,
        sentences=sentences,
        trend=trend,
        ranked=ranked,
        missing=missing,
        comment=templating.safe(comment),
        facts=_facts(ind, row),
        related=related.related_questions(rep, [ind.id]),
        goal=own_goals.indicator_line(rep, ind.id),
    )


def area_html(rep: RegionReport, area: str, *, comment: str = "") -> str:
    """One development area's chapter with every Kolada indicator in it."""
    inds = [i for i in rep.catalog.in_area(area) if i.source == "kolada"]
    if not inds:
        return ""
    comment = comment or _comment(rep, area)
    blocks = [templating.safe(indicator_html(rep, ind)) for ind in inds]
    return templating.render(
        "region/area.html.j2",
        area=area,
        title=AREAS[area],
        indicators=blocks,
        comment=templating.safe(comment),
    )


def _regional_source(rep: RegionReport, indicator_id: str, year: object) -> str:
    """The source of the region's own figure for one year (each row may have its own)."""
    if year is None or pd.isna(year):
        return ""
    frame = rep.obs.frame
    sel = frame[
        (frame["region_code"] == rep.region.code)
        & (frame["year"] == int(year))
        & (frame["indicator_id"] == indicator_id)
        & frame["value"].notna()
    ]
    return "; ".join(dict.fromkeys(str(s) for s in sel["source"] if s and str(s) != "nan"))


def regional_html(rep: RegionReport, *, comment: str = "") -> str:
    """The region's own figures: a table with a source on every row, then sentences that each
    start from the figure they are about."""
    inds = rep.catalog.regional()
    rows = []
    sources: list[str] = []

    def note(source: str) -> int | None:
        if not source:
            return None
        if source not in sources:
            sources.append(source)
        return sources.index(source) + 1

    for ind in inds:
        row = rep.row(ind.id)
        if not _regional_shown(row):
            continue
        prev = (
            "–"
            if pd.isna(row["prev_value"])
            else f"{_value(row, 'prev_value')} ({row['prev_year']})"
        )
        sentences = (
            []
            if pd.isna(row["value"])
            else text.indicator_sentences(row.to_dict() | {"indicator_id": ind.id}, rep.region.name)
        )
        rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "value": _value(row),
                "prev": prev,
                "target": text.unit_with_number(ind.target_text or "–"),
                "met": row["target_status"] or "–",
                "notes": [
                    n
                    for n in (
                        note(_regional_source(rep, ind.id, rep.year)),
                        note(_regional_source(rep, ind.id, row["prev_year"])),
                    )
                    if n
                ],
                "sentences": sentences,
            }
        )
    # one table, many figures: each comment names its figure
    comment = comment or "".join(_comment(rep, i.id, about=i.name) for i in inds)
    return templating.render(
        "region/regional.html.j2",
        rows=rows,
        sources=sources,
        comment=templating.safe(comment),
        intro=f"Uppgifter som {rep.region.name} själv har lämnat, bredvid de nationella "
        "målen där sådana finns. Siffran efter värdet hänvisar till källan under tabellen.",
        empty=f"Det finns inga egna uppgifter för {rep.region.name} {rep.year} i underlaget "
        "till den här rapporten.",
        related=related.related_questions(rep, [i.id for i in inds]),
    )


def questionnaire_html(rep: RegionReport) -> str:
    """The appendix: Socialstyrelsen's questionnaire answers, or a short note when there are none."""
    note = intro = ""
    answers = ""
    if rep.structure is None:  # Socialstyrelsen has not sent the year's questionnaire yet
        return ""
    if rep.answers is None:
        # how to add the answers is the analyst's business (README), not the reader's
        note = (
            f"Underlaget till rapporten innehåller inte {rep.region.name}s svar på "
            f"Socialstyrelsens enkät om god och nära vård {rep.year}."
        )
    else:
        intro = (
            "Regionens svar på Socialstyrelsens enkät om omställningen till en god och "
            "nära vård, med enkätens numrering. Flervalssvaren står i en tabell per del; "
            "fritextsvaren är korta sammanfattningar och står en gång, efter tabellen."
        )
        answers = q.answers_html(rep.structure, rep.answers, indicator_table=rep.table)
    return templating.render(
        "region/questionnaire.html.j2", note=note, intro=intro, answers=templating.safe(answers)
    )


def about_html(rep: RegionReport) -> str:
    missing = rep.table[rep.table["value"].isna()]["name"].tolist()
    primaries = sorted({i.primary_source for i in rep.catalog if i.source == "kolada"})
    paragraphs = [
        *data_sentences(rep.obs, available_years(rep.obs)),
        "Kolada återpublicerar indikatorerna från primärkällorna: "
        + "; ".join(primaries)
        + ". Förändringar, placeringar, lägen och måluppfyllelse är beräknade för den här "
        "rapporten och ska inte tillskrivas Kolada.",
        (f"Indikatorer utan värde för regionen {rep.year}: " + ", ".join(missing) + ".")
        if missing
        else f"Alla indikatorer har värden för {rep.year}.",
    ]
    paragraphs += [line for line in (own_goals.about_line(rep), kommun.about_line(rep)) if line]
    if rep.table[["kvinnor", "man"]].isna().all().all():
        paragraphs.append(
            "Underlaget innehåller inga värden uppdelade på kvinnor och män, så "
            "jämställdhetsperspektivet kan inte redovisas i den här rapporten."
        )
    rules = [
        *judgement_rules(rep.catalog),
        *newer_rules(),
        ("Det viktigaste", highlights.RULES_TEXT),
        *peers.rules(rep),
    ]
    return templating.render(
        "region/about.html.j2",
        paragraphs=paragraphs,
        rules=rules,
        changes=templating.safe(changes.changes_html(rep)),
    )


def _comment(rep: RegionReport, key: str, about: str = "") -> str:
    """The analyst's comment on one part of the report (summary, area or indicator), or ''.

    Blocks take it through their template's `comment` slot; a caller may pass its own.
    """
    return commentary.section_html(rep.comments, key, about)


__all__ = [
    "RegionReport",
    "prepare",
    "title_html",
    "toc_html",
    "summary_html",
    "overview_html",
    "area_html",
    "regional_html",
    "questionnaire_html",
    "about_html",
    "RIKET_CODE",
]
