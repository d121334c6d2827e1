"""The chapter "Kommunerna i länet", its appendix table and its export, for the region report.

naravard.report.region hooks these in: `chapters` adds the headings when `has_chapter`,
`about_line` gives Om underlaget its one line when there is no chapter, and the exports add
the kommun table. Judgements: naravard.analysis.kommun; sentences: naravard.wording.kommun;
chart: naravard.charts.kommun.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from markupsafe import Markup

from naravard.analysis import kommun as K
from naravard.config.catalog import Catalog
from naravard.config.kommun_catalog import load_kommun_catalog
from naravard.core.export_safety import neutralise_frame
from naravard.report import excel
from naravard.report.common import figure
from naravard.wording import kommun as W
from naravard.wording import templating, text
from naravard.report import questionnaire as q
from naravard.analysis.indicators import rounded

CHAPTER = ("kommuner", "Kommunerna i länet")
APPENDIX = ("bilaga-kommuner", "Bilaga: Kommunerna i länet, tabell")
ONE_KOMMUN = {
    "0009": "Gotland"
}  # a region that is a single kommun has no kommuner to set beside it
MARKS = {K.BETTER: "▲", K.WORSE: "▼", K.NEAR: "≈", K.ABOVE: "↑", K.BELOW: "↓"}
SHEET = "Kommuner"
CSV_NAME = "kommuner.csv"


def _catalog() -> Catalog:
    return load_kommun_catalog()


def find_items(obs: Any, region: Any) -> list[K.KommunIndicator]:
    """The chapter's indicators for the region's län (empty: no chapter); region.prepare
    computes them once, as `RegionReport.kommun_items`."""
    data = getattr(obs, "kommun", None)
    if data is None or region.code in ONE_KOMMUN:
        return []
    return K.lan_indicators(data, _catalog(), region.code, region.full_name)


def items(rep: Any) -> list[K.KommunIndicator]:
    """The chapter's indicators for the report's region (empty: no chapter)."""
    return rep.kommun_items


def has_chapter(rep: Any) -> bool:
    return bool(items(rep))


def about_line(rep: Any) -> str:
    """Om underlaget's line on the kommun data: where it comes from, or why there is no chapter."""
    if getattr(rep.obs, "is_example", False):
        return ""
    if rep.region.code in ONE_KOMMUN:
        return (
            f"{rep.region.name} är en enda kommun, och regionen har också kommunens ansvar "
            "för hälso- och sjukvård och omsorg; därför har rapporten inget kapitel om "
            "kommunerna i länet."
        )
    if has_chapter(rep):
        data = rep.obs.kommun
        years = data.frame["year"]
        when = (
            f"; underlaget anger {text.fmt_date(data.retrieved[:10])} som hämtningsdag"
            if data.retrieved
            else ""
        )
        return (
            f"Kommunernas värden i kapitlet Kommunerna i länet kommer också från Kolada "
            f"(åren {int(years.min())}–{int(years.max())}){when}. Länets medelvärden och "
            "kommunernas förändringar är beräknade för den här rapporten."
        )
    # how to add them is the analyst's business (README, Kommunerna i länet), not the reader's
    return (
        f"Kapitlet Kommunerna i länet bygger på Koladas värden för länets kommuner; "
        f"underlaget till den här rapporten har inga sådana värden för {rep.region.name}s "
        "kommuner, så kapitlet saknas."
    )


def latest_year(found: list[K.KommunIndicator]) -> int:
    return max(i.year for i in found)


def _source(item: K.KommunIndicator) -> str:
    own = (
        "; länets medel och förändringar egen beräkning"
        if item.lan_label == K.LAN_MEAN_LABEL
        else "; förändringar egen beräkning"
    )
    return f"Källa: {item.indicator.primary_source}, via Kolada{own}"


def _figure(rep: Any, item: K.KommunIndicator) -> dict:
    """Drawn, saved in figures/ as the region's own charts are, and shown."""
    from naravard.charts.kommun import kommun_chart  # matplotlib: only where a chart is made

    chart = kommun_chart(item, rep.region.name)
    return figure(rep, chart, _source(item), chart.name)


def _named(answer_text: str, names: list[str]) -> list[str]:
    # "Umeå", "Umeås", "Umeå kommun"; not "Örebro län", which is the region
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}s?(?!\w)(?! län)", answer_text)]


def questionnaire_links(rep: Any) -> tuple[list[dict[str, Any]], int]:
    """Each kommun of the län named in the questionnaire answers with the questions naming
    it, and how many answers mention kommuner at all."""
    if rep.answers is None or rep.structure is None:
        return [], 0

    data = rep.obs.kommun
    names = [data.names.get(c, c) for c in data.all_in_lan(rep.region.code)]
    by_name: dict[str, list[tuple[str, str]]] = {}
    mentions = 0
    for qu in rep.structure:
        if not qu.answerable:
            continue
        words = q.answer_text(qu, rep.answers.get(qu.id))
        answer = rep.answers.get(qu.id)
        words += " " + " ".join(
            x for x in (getattr(answer, "details", None), getattr(answer, "comment", None)) if x
        )
        if "kommun" in words.lower():
            mentions += 1
        for name in _named(words, names):
            by_name.setdefault(name, []).append((qu.id, qu.label))
    return [
        {"name": n, "questions": [{"id": i, "label": lb} for i, lb in qs]}
        for n, qs in by_name.items()
    ], mentions


def chapter_html(rep: Any) -> str:
    """The chapter, or "" when the region has none (Om underlaget then says why)."""
    found = items(rep)
    if not found:
        return ""
    year = latest_year(found)
    n = len(rep.obs.kommun.all_in_lan(rep.region.code))
    blocks = [
        {
            "id": i.indicator.id,
            "name": i.indicator.name,
            "year": i.year,
            "sentences": W.sentences(i),
            "figure": _figure(rep, i),
            "facts": [
                (
                    "Riktning",
                    f"{text.direction_label(i.indicator.direction)}: "
                    f"{i.indicator.direction_reason}",
                ),
                ("Minsta tydliga skillnad", f"{W.threshold(i)}: {i.indicator.min_change_reason}"),
            ],
        }
        for i in found
    ]
    links, mentions = questionnaire_links(rep)
    older = year < rep.year
    return templating.render(
        "region/kommun.html.j2",
        anchor=CHAPTER[0],
        title=CHAPTER[1],
        blocks=blocks,
        lead=[
            f"Nära vård har två huvudmän: regionen och länets {n} kommuner. Här står "
            f"kommunernas värden för {len(found)} nyckeltal om kommunernas hälso- och "
            "sjukvård och omsorg om äldre, bredvid länets och rikets.",
            f"Senaste år med uppgifter för kommunerna: {year}."
            + (
                f" Det är äldre än rapportåret {rep.year}: underlaget till rapporten har "
                "inga senare kommunvärden."
                if older
                else ""
            ),
            "En kommun räknas som högre eller lägre (bättre eller sämre) än länet först när "
            "skillnaden är minst lika stor som nyckeltalets minsta tydliga skillnad, som är "
            "större än för regionerna: i små kommuner bygger värdena på få personer, och ett "
            "par personer fler eller färre kan flytta ett värde mer än så. Kolada redovisar "
            "inte värden som bygger på för få personer eller som inte har rapporterats in; "
            "en kommun som saknar värde något av de senaste fem åren är märkt med *.",
        ],
        links=links,
        mentions=mentions,
        appendix=APPENDIX[0],
    )


def _cell(item: K.KommunIndicator, k: K.KommunValue | None) -> dict[str, str]:
    if k is None:
        return {"value": "", "mark": "", "note": ""}
    ind = item.indicator
    if k.value is None:
        return {"value": text.DASH, "mark": "", "note": ""}
    return {
        "value": text.fmt_value(k.value, ind.unit, ind.decimals, short=True),
        "mark": MARKS.get(k.versus_lan, ""),
        "note": "*" if k.unstable else "",
    }


def appendix_html(rep: Any) -> str:
    """Kommuner × indicators with a mark against the län: a page to hand a kommun."""
    found = items(rep)
    if not found:
        return ""
    data = rep.obs.kommun
    codes = sorted(data.all_in_lan(rep.region.code), key=lambda c: data.names.get(c, c))
    columns = [
        {
            "name": text.upper_first(i.indicator.short),
            "year": i.year,
            "unit": text.cell_parts(1, i.indicator.unit, 0)[1]
            or text.unit_label(i.indicator.unit).lower(),
        }
        for i in found
    ]
    rows = []
    for code in codes:
        cells = [_cell(i, next((k for k in i.kommuner if k.code == code), None)) for i in found]
        rows.append({"name": data.names.get(code, code), "cells": cells})

    def fmt(i: K.KommunIndicator, x: float | None) -> dict[str, str]:
        return {
            "value": text.fmt_value(x, i.indicator.unit, i.indicator.decimals, short=True),
            "mark": "",
            "note": "",
        }

    lan = {"name": "Länet", "cells": [fmt(i, i.lan) for i in found]}
    riket = {"name": "Riket", "cells": [fmt(i, i.riket) for i in found]}
    legend = (
        "▲ bättre, ▼ sämre, ≈ nära länet; ↑ högre, ↓ lägre än länet för nyckeltal utan "
        "bättre riktning (skillnad minst nyckeltalets minsta tydliga skillnad, se "
        "kapitlet). – = inget värde det året. * = Kolada saknar värde något av de senaste "
        "fem åren. Länet är Koladas värde för regionen där Kolada har ett, annars ett "
        "ovägt medel av kommunernas värden (egen beräkning)."
    )
    return templating.render(
        "region/kommun_appendix.html.j2",
        anchor=APPENDIX[0],
        title=APPENDIX[1],
        columns=columns,
        rows=rows,
        totals=[lan, riket],
        legend=legend,
        intro=f"Varje kommuns senaste värde och hur det står sig mot länet, "
        f"en rad per kommun i {rep.region.name}.",
    )


def export_frame(rep: Any) -> pd.DataFrame | None:
    """One row per indicator and kommun, with every number a sentence or mark is made from."""
    found = items(rep)
    if not found:
        return None
    data = rep.obs.kommun
    rows = []
    for i in found:
        ind = i.indicator
        for k in sorted(i.kommuner, key=lambda k: k.name):
            rows.append(
                {
                    "Indikator": ind.name,
                    "Indikator-id": ind.id,
                    "Kolada-id": ind.kolada_id,
                    "Kommun": k.name,
                    "Kommun-id": k.code,
                    "Kommungrupp (SKR)": data.groups.get(k.code, ""),
                    "År": i.year,
                    "Värde": k.value,
                    "Enhet": text.unit_label(ind.unit),
                    "Saknas": k.reason,
                    "Status i Kolada": k.status,
                    "Jämfört med länet": k.versus_lan,
                    "Länet": i.lan,
                    "Länets värde": "ovägt medel av kommunerna (egen beräkning)"
                    if i.lan_label == K.LAN_MEAN_LABEL
                    else f"{i.lan_label} (Kolada)",
                    "Riket": i.riket,
                    "Förändring från år": pd.NA if k.start_year is None else k.start_year,
                    "Värde då": k.start_value,
                    "Förändring": k.change,
                    "Bedömning": k.change_judgement,
                    "Minsta tydliga skillnad": ind.min_change,
                    "Kvinnor": k.kvinnor,
                    "Män": k.man,
                    "Värde saknas något av de fem senaste åren": "Ja" if k.unstable else "Nej",
                    "Källa": _source(i).removeprefix("Källa: "),
                    "_decimals": ind.decimals,
                }
            )
    frame = pd.DataFrame(rows)
    frame["Förändring från år"] = frame["Förändring från år"].astype("Int64")
    return frame


NUMBER_COLUMNS = (
    "Värde",
    "Länet",
    "Riket",
    "Värde då",
    "Förändring",
    "Kvinnor",
    "Män",
    "Minsta tydliga skillnad",
)


def rounded_frame(rep: Any) -> pd.DataFrame | None:
    """The export with each number at its indicator's published decimals (as in the report)."""
    frame = export_frame(rep)
    if frame is None:
        return None
    for col in NUMBER_COLUMNS:
        frame[col] = rounded(frame[col], frame["_decimals"])
    return frame


def table(rep: Any) -> pd.DataFrame | None:
    """The kommun table as the exports have it (a block's `.table` in the notebook)."""
    frame = rounded_frame(rep)
    return None if frame is None else frame.drop(columns="_decimals")


def export_csv_bytes(rep: Any) -> bytes | None:
    """kommuner.csv: `;`, decimal comma, UTF-8 with BOM, like indikatorer.csv."""
    frame = rounded_frame(rep)
    if frame is None:
        return None
    decimals = [int(d) for d in frame.pop("_decimals")]
    for col in NUMBER_COLUMNS:
        frame[col] = [
            "" if pd.isna(x) else f"{float(x):.{d}f}".replace(".", ",")
            for x, d in zip(frame[col], decimals)
        ]
    return neutralise_frame(frame).to_csv(sep=";", index=False).encode("utf-8-sig")


def add_sheet(rep: Any, writer: pd.ExcelWriter) -> None:
    """The kommun table as its own sheet of indikatorer.xlsx, when the report has the chapter."""
    frame = table(rep)
    if frame is not None:
        excel.plain_sheet(writer, neutralise_frame(frame), SHEET)


__all__ = [
    "has_chapter",
    "chapter_html",
    "appendix_html",
    "about_line",
    "export_csv_bytes",
    "add_sheet",
    "CHAPTER",
    "APPENDIX",
    "CSV_NAME",
    "Markup",
]
