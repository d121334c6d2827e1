"""What the region and the national report share: titles, the report date, where the
numbers come from, the judgement rules, and how a report's charts are saved and shown.

A report object here is anything with `obs` (the observations) and `figures` (the folder
for its chart files, or None): `region.RegionReport` and `national.NationalReport`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from naravard.analysis import plausibility
from naravard.config.catalog import Catalog, Indicator
from naravard.core.errors import NaravardError
from naravard.report.example_mark import mark_example
from naravard.sources import COPIED_LABEL
from naravard.wording import text
from naravard.wording.rules import rules

if TYPE_CHECKING:
    # Imported where a chart is drawn, not here: naravard.charts loads matplotlib, about 0,5 s
    # (python -X importtime), and the process that prepares a report and prints its PDF
    # imports the report modules but never draws. The same holds in region.py and national.py.
    from naravard import charts

TITLE = "Uppföljning av omställningen till en god och nära vård"
EXAMPLE_BANNER = "EXEMPELDATA – inte verkliga värden"

# Called with the observations each time a report has loaded them (`observations_loaded`).
# Empty here: a kernel naravard starts for reports adds its heap settling
# (naravard.build.in_kernel), so the report stages never import naravard.speed.
AFTER_LOAD: list[Callable[[object], object]] = []


def observations_loaded(obs: object) -> None:
    """Tell the hooks in AFTER_LOAD that a report's observations are loaded."""
    for hook in AFTER_LOAD:
        hook(obs)


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


def is_example(rep: Any) -> bool:
    """Whether the report is made from example data (banner, marked charts, no comments)."""
    return bool(getattr(rep.obs, "is_example", False))


def retrieved_date(obs: object) -> str | None:
    """The day the Kolada values were fetched, when the data says so; a file date is not one."""
    retrieved = getattr(obs, "retrieved", None)
    label = getattr(obs, "origin_label", "") or ""
    if not retrieved or "fildatum" in label or COPIED_LABEL in label:
        return None
    return retrieved


def copied_date(obs: object) -> str | None:
    """The day a copy of a Kolada export entered the project, when that is all that is known."""
    label = getattr(obs, "origin_label", "") or ""
    return getattr(obs, "retrieved", None) if COPIED_LABEL in label else None


def source_line(ind: Indicator, obs: object) -> str:
    """ "Källa: <primary source> via Kolada, hämtad …" — processed figures never credit Kolada."""
    if getattr(obs, "is_example", False):
        return "Källa: exempeldata, inte verkliga värden"
    if ind.source == "regional":
        return f"Källa: {ind.primary_source} (regionens egna uppgifter)"
    retrieved = retrieved_date(obs)
    when = f", hämtad {text.fmt_date(retrieved)}" if retrieved else ""
    return f"Källa: {ind.primary_source}, via Kolada{when}"


def data_sentences(obs: object, years: list[int]) -> list[str]:
    """Where the numbers come from and when they were fetched, in words (cover, Om underlaget)."""
    if getattr(obs, "is_example", False):
        return [
            "Rapporten bygger på påhittade exempeldata, inte på verkliga värden. "
            "Den visar hur rapporten ser ut när riktiga uppgifter saknas."
        ]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    out = [
        f"Siffrorna kommer från Kolada, Rådet för främjande av kommunala analysers "
        f"databas, som samlar uppgifter från bland andra SKR, Socialstyrelsen och SCB "
        f"({span})."
    ]
    retrieved = retrieved_date(obs)
    if retrieved:
        out.append(f"Uppgifterna hämtades från Kolada den {text.fmt_date(retrieved)}.")
    elif copied_date(obs):
        out.append(
            f"Uppgifterna är en sparad kopia av Kolada, inlagd i rapportverktyget den "
            f"{text.fmt_date(copied_date(obs))}; när kopian hämtades från Kolada framgår "
            "inte av underlaget."
        )
    elif getattr(obs, "origin", "") == "snapshot":
        out.append(
            "Uppgifterna kommer från en sparad kopia av Kolada; när den hämtades "
            "framgår inte av underlaget."
        )
    return out


def judgement_rules(catalog: Catalog) -> list[tuple[str, str]]:
    """The judgement rules (wording.rules) as (title, text); directions come from the catalogue."""
    directions: dict[str, list[str]] = {}
    for ind in catalog:
        directions.setdefault(ind.direction, []).append(ind.name)
    return rules(directions)


def newer_rules() -> list[tuple[str, str]]:
    """Values to check and indicators not yet published, for both reports' Om underlaget."""
    return [
        ("Värden att kontrollera", plausibility.RULES_TEXT),
        ("Ännu inte publicerat", plausibility.PUBLICATION_RULE),
    ]


def save_chart(rep: Any, chart: charts.Chart, name: str | None = None, *, source: str = "") -> None:
    """Write the chart's files into the report's figures folder (none: not saved), marked as
    example data where the report is made from it; `name` is the file stem. The folder also
    gets the large PNG with `source` inside and the chart's row in figurer.csv
    (naravard.report.figure_files)."""
    if name is not None:
        chart.name = name
    if is_example(rep):
        mark_example(chart)
    if rep.figures is not None:
        from naravard.report import figure_files  # matplotlib: see the TYPE_CHECKING import above

        figure_files.save(chart, rep.figures, source=source)


def figure(rep: Any, chart: charts.Chart, source: str, name: str | None = None) -> dict:
    """The chart saved (`save_chart`) and ready for a report template (`charts.figure`)."""
    from naravard import charts  # matplotlib: see the TYPE_CHECKING import above

    save_chart(rep, chart, name, source=source)
    return charts.figure(chart, source)
