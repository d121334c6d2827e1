"""What the nämnd gets besides the PDF (bildspel.pptx, rapport.docx), as plain data.

Everything here is taken from the same prepared report and the same functions the PDF's blocks
use (Det viktigaste's messages, the overview's cells, the indicator sentences, the source
lines, the analyst's comments), so the slides and the Word file say what the PDF says, number
for number. The data is plain strings: it travels to a batch worker with the render job, and
the formats only lay it out (naravard.report.slides, naravard.report.word_document).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from naravard.config.catalog import AREAS
from naravard.core import clock
from naravard.report import commentary, common
from naravard.report.plain_text import Para, html_text, markdown_paras
from naravard.wording import summary, text
from naravard.report.region import source_line
from naravard.report.region import overview_row
from naravard.report import goals as chapter
from naravard.wording import goals as words
from naravard.report import region as report
from naravard.analysis.indicators import available_years
from naravard.report import national, national_facts

if TYPE_CHECKING:
    from naravard.report.national import NationalReport
    from naravard.report.region import RegionReport


@dataclass(frozen=True)
class Comment:
    """The analyst's comment on one part of the report, as the PDF's aside shows it."""

    key: str  # the comment file's section: "Det viktigaste", an area id or an indicator id
    about: str  # "Det viktigaste", an area's title or an indicator's name
    label: str  # "Analytikerns kommentar · Anna Analytiker, 2 december 2026"
    paragraphs: tuple[Para, ...]
    stale: str = ""  # "Skriven när värdet var …; värdet är nu …." when the value changed

    @property
    def text(self) -> str:
        lines = [p.text if not p.bullet else f"• {p.text}" for p in self.paragraphs]
        return "\n".join([*lines, self.stale] if self.stale else lines)


@dataclass(frozen=True)
class Message:
    """One message of Det viktigaste (naravard.wording.highlights.Message, as printed)."""

    indicator_id: str
    headline: str
    figures: str
    together: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorPart:
    """A main indicator: its sentences (those for the slide marked), place and source."""

    id: str
    name: str
    area: str
    sentences: tuple[str, ...]
    required: tuple[int, ...]  # indexes of the sentences a slide must show
    place: str  # "plats 16 av 17", "" when the indicator is not ranked
    source: str  # "Källa: …", as under the PDF's charts
    comment: Comment | None = None


@dataclass(frozen=True)
class Goal:
    """A target and whether it is met: the catalogue's official targets and, when the region
    has them, its own goals (passed to `region_pack(own_goals=…)`)."""

    name: str
    target: str
    value: str
    status: str
    source: str = ""


@dataclass(frozen=True)
class OverviewRow:
    """One row of the PDF's overview table, its cells as text ("\\n" where the PDF breaks)."""

    name: str
    value: str
    change: str
    riket: str
    rank: str
    position: str


@dataclass
class BoardPack:
    """The report's content for the slides and the Word file."""

    title: str
    subject: str  # "Region Västerbotten 2024"
    made: str  # "Rapporten är framtagen 1 januari 2025."
    data_sentences: list[str]
    banner: str  # the example-data banner, "" for real data
    lead: str
    messages: list[Message]
    empty: str  # what Det viktigaste says when no message qualifies
    summary_comment: Comment | None
    messages_source: str
    overview_title: str
    overview_sentences: list[str]
    overview: list[tuple[str, list[OverviewRow]]]
    legend: str
    indicators: list[IndicatorPart]
    goals: list[Goal]
    goals_source: str
    comments: list[Comment]  # every comment but Det viktigaste's, in report order
    about: list[str]
    figures: dict[str, list[Figure]] = field(default_factory=dict)  # filled at publish time
    summary_title: str = "Det viktigaste"
    document: bool = True  # also rapport.docx (the national report has slides only)


@dataclass(frozen=True)
class Figure:
    """A chart as the PDF shows it: the PNG, its alt text, caption and source line."""

    png: bytes
    alt: str
    caption: str
    source: str


# --- from the prepared report ------------------------------------------------------------


def _comment(rep: RegionReport, key: str, about: str) -> Comment | None:
    comments = rep.comments
    section = comments.get(key) if comments is not None else None
    if section is None:
        return None
    when = f", {text.fmt_date(comments.date)}" if comments.date else ""
    stale = (
        f"Skriven när värdet var {section.recorded or ''}; värdet är nu "
        f"{section.current_value or '–'}."
        if section.stale
        else ""
    )
    return Comment(
        key,
        about,
        f"{commentary.LABEL} · {comments.author}{when}",
        tuple(markdown_paras(section.body)),
        stale,
    )


def _sources(rep: RegionReport, ids: Sequence[str]) -> str:
    """One "Källa:"/"Källor:" line for several indicators, each source once."""
    return _source_words(
        [source_line(rep.catalog.get(i), rep.obs).removeprefix("Källa: ") for i in ids]
    )


def _source_words(sources: Sequence[str]) -> str:
    parts = list(dict.fromkeys(s for s in sources if s))
    if not parts:
        return ""
    return ("Källa: " if len(parts) == 1 else "Källor: ") + "; ".join(parts)


def _indicator(rep: RegionReport, ind: object) -> IndicatorPart:
    row = rep.row(ind.id)
    sentences = text.indicator_sentences(row.to_dict() | {"indicator_id": ind.id}, rep.region.name)
    caveats = {
        str(row.get(k) or "") for k in ("published_note", "plausibility_note", "comparability_note")
    } - {""}
    place = text.place_text(row)
    # the value (and its change), the place among the regions and every caveat: a slide
    # never shows a number without what the PDF says about its comparability
    required = [i for i, s in enumerate(sentences) if s in caveats or (place and place in s)]
    first = next((i for i, s in enumerate(sentences) if s not in caveats), None)
    if first is not None:
        required.append(first)
    return IndicatorPart(
        ind.id,
        ind.name,
        AREAS[ind.area],
        tuple(sentences),
        tuple(sorted(set(required))),
        place,
        source_line(ind, rep.obs),
        _comment(rep, ind.id, ind.name),
    )


def _overview(rep: RegionReport) -> list[tuple[str, list[OverviewRow]]]:
    groups = []
    for area, title in AREAS.items():
        rows = rep.table[rep.table["area"] == area]
        if rows.empty:
            continue
        out = []
        for _, r in rows.iterrows():
            cell = overview_row(r, rep.year)
            change = " ".join(p for p in (cell["symbol"], cell["change"]) if p)
            position = (
                f"{cell['position_symbol']} {cell['position_label']}"
                if cell["position"]
                else cell["position_label"] or "–"
            )
            out.append(
                OverviewRow(
                    cell["name"],
                    html_text(cell["value"]),
                    "\n".join(p for p in (change, cell["change_word"]) if p),
                    html_text(cell["riket"]),
                    cell["rank"] + ("\ndelad" if cell["rank_shared"] else ""),
                    position,
                )
            )
        groups.append((title, out))
    return groups


def _has(x: object) -> bool:
    return not pd.isna(x) and bool(x)


def region_goals(rep: RegionReport) -> list[Goal]:
    """The catalogue's targets for this region-year, with the status the PDF gives."""
    goals = []
    for _, row in rep.table.iterrows():
        if not _has(row["target_text"]):
            continue
        ind = rep.catalog.get(row["indicator_id"])
        value = text.fmt_value(row["value"], row["unit"], int(row["decimals"]))
        if not pd.isna(row["value"]) and int(row["year"]) != rep.year:
            value += f" ({int(row['year'])})"
        goals.append(
            Goal(
                row["name"],
                text.unit_with_number(row["target_text"]),
                value,
                row["target_status"] or "–",
                source_line(ind, rep.obs).removeprefix("Källa: "),
            )
        )
    return goals


def region_own_goals(rep: RegionReport) -> list[Goal]:
    """The region's own goals (data/mal/<region>.yaml) with the statuses its chapter
    "Regionens egna mål" gives: the region's own judgement and the computed one."""
    source = getattr(getattr(rep, "goals", None), "source", None) or "Regionens egna mål"
    out = []
    for st in chapter.statuses(rep):
        value = (
            "–" if st.value is None else text.fmt_cell(st.value, st.unit or "antal", st.decimals)
        )
        out.append(
            Goal(
                st.goal.text,
                words.target_words(st) or "–",
                value,
                f"regionen: {words.region_words(st)}; beräknat: {words.computed_cell(st)}",
                source,
            )
        )
    return out


def _comments(rep: RegionReport) -> list[Comment]:
    """Every comment but Det viktigaste's, in report order: areas, their indicators, the
    region's own figures."""
    out = []
    for area, title in AREAS.items():
        inds = [i for i in rep.catalog.in_area(area) if i.source == "kolada"]
        if not inds:
            continue
        found = _comment(rep, area, title)
        out += [found] if found else []
        out += [c for i in inds if (c := _comment(rep, i.id, i.name))]
    out += [c for i in rep.catalog.regional() if (c := _comment(rep, i.id, i.name))]
    return out


def region_pack(rep: RegionReport, own_goals: Sequence[Goal] | None = None) -> BoardPack:
    """The region report's content for bildspel.pptx and rapport.docx.

    `own_goals`: the region's own goals with their status (default: those of its goals
    file, `region_own_goals(rep)`); they follow the catalogue's official targets on the goal slide
    and in the Word file.
    """
    messages = report.summary_messages(rep)
    main = [
        i
        for i in rep.catalog
        if i.main and i.source == "kolada" and i.id in set(rep.table["indicator_id"])
    ]
    own = region_own_goals(rep) if own_goals is None else own_goals
    goals = [*region_goals(rep), *own]
    year, name = rep.year, rep.region.name
    about = [
        *common.data_sentences(rep.obs, available_years(rep.obs)),
        "Kolada återpublicerar indikatorerna från primärkällorna. Förändringar, "
        "placeringar, lägen och måluppfyllelse är beräknade för den här rapporten och ska "
        "inte tillskrivas Kolada.",
        "Siffrorna, diagrammen och texten är desamma som i rapport.pdf, som också "
        "redovisar alla indikatorer, definitionerna och reglerna för bedömningarna.",
    ]
    return BoardPack(
        title=common.TITLE,
        subject=f"{rep.region.full_name} {year}",
        made=f"Rapporten är framtagen {text.fmt_date(clock.today().isoformat())}.",
        data_sentences=common.data_sentences(rep.obs, available_years(rep.obs)),
        banner=common.EXAMPLE_BANNER if getattr(rep.obs, "is_example", False) else "",
        lead=f"Det här är de tydligaste resultaten för {name} {year} bland rapportens "
        "nationella indikatorer.",
        messages=[
            Message(m.indicator_id, m.headline, m.figures, tuple(m.together)) for m in messages
        ],
        empty=f"Inga indikatorer för {name} {year} uppfyller reglerna för ett budskap.",
        summary_comment=_comment(rep, commentary.SUMMARY, commentary.SUMMARY),
        messages_source=_sources(rep, [m.indicator_id for m in messages]),
        overview_title=f"Översikt {year}",
        overview_sentences=summary.summary_sentences(rep.table, name, year),
        overview=_overview(rep),
        legend=report.OVERVIEW_LEGEND,
        indicators=[_indicator(rep, i) for i in main],
        goals=goals,
        goals_source=_source_words([g.source for g in goals]),
        comments=_comments(rep),
        about=about,
    )


def national_pack(rep: NationalReport) -> BoardPack:
    """The national comparison's slides: its summary, one slide per main indicator with the
    ranked chart, where the numbers come from. No Word file: it has no comments or targets
    of its own."""
    sentences = common.data_sentences(rep.obs, available_years(rep.obs))
    parts = []
    for ind in rep.catalog.kolada():
        if ind.main:
            said = national_facts.indicator_sentences(rep, ind)
            parts.append(
                IndicatorPart(
                    ind.id,
                    ind.name,
                    AREAS[ind.area],
                    tuple(said),
                    tuple(range(len(said))),
                    "",
                    common.source_line(ind, rep.obs),
                )
            )
    return BoardPack(
        title=national.NATIONAL_TITLE,
        subject=f"Alla regioner {rep.year}",
        made=f"Rapporten är framtagen {text.fmt_date(clock.today().isoformat())}.",
        data_sentences=sentences,
        banner="",
        lead=f"Sammanfattningen av regionernas värden {rep.year}, som i riksrapport.pdf.",
        messages=[Message("", "", s) for s in national_facts.summary_sentences(rep)],
        empty="",
        summary_comment=None,
        messages_source=" ".join(sentences[:1]),
        overview_title="",
        overview_sentences=[],
        overview=[],
        legend="",
        indicators=parts,
        goals=[],
        goals_source="",
        comments=[],
        about=[
            *sentences,
            "Siffrorna, diagrammen och texten är desamma som i riksrapport.pdf, "
            "som också redovisar alla indikatorer, värmekartan och regionprofilerna.",
        ],
        summary_title="Sammanfattning",
        document=False,
    )
