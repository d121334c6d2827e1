"""The reports' tables for Excel: the region report's indikatorer.csv/.xlsx and the national
report's riksrapport.xlsx, with the numbers at each indicator's published precision.

Every judgement a sentence is made from is a column, so a reader can check each one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from naravard.analysis.indicators import POSITION_LABELS, rounded
from naravard.analysis.judgements import SHAPE_LABELS
from naravard.config.catalog import AREAS, Catalog
from naravard.core.export_safety import neutralise_frame
from naravard.report import goals as own_goals
from naravard.report import kommun, peers
from naravard.report import excel
from naravard.report.common import copied_date, retrieved_date, source_line
from naravard.wording import text

if TYPE_CHECKING:  # type hints only: the report modules import this one
    from naravard.report.national import NationalReport
    from naravard.report.region import RegionReport

# Columns holding an indicator's own numbers, shown with the indicator's decimals.
MEASURE_COLUMNS = ("Värde", "Förändring", "Riket", "Kvinnor", "Män", "Minsta förändring som räknas")


def overview_frame(rep: RegionReport) -> pd.DataFrame:
    """The region report's table in plain text, one row per indicator (also exported as
    CSV/XLSX).

    It carries every judgement a sentence is made from, so a reader can check each one.
    """
    rows = []
    peer_export = peers.export_columns(rep)
    for _, row in rep.table.iterrows():
        rows.append(
            {
                "Område": AREAS[row["area"]],
                "Indikator": row["name"],
                "Indikator-id": row["indicator_id"],
                "År": int(row["year"]),  # an earlier year for an indicator not yet published
                "Värde": row["value"],
                "Enhet": text.unit_label(row["unit"]),
                "Föregående år": row["prev_year"],
                "Förändring": row["change"],
                "Minsta förändring som räknas": row["min_change"],
                "Förändringen räknas": "Ja" if row["change_counts"] else "Nej",
                "Bedömning": row["change_judgement"],
                "Trend": row["trend"],
                "Trend sedan år": row["trend_from_year"],
                "Trendens form": SHAPE_LABELS.get(row["trend_shape"], ""),
                "Trendens första år": row["trend_start_year"],
                "Nivåskifte från år": row["trend_shift_from"],
                "Nivåskifte till år": row["trend_shift_to"],
                "Trend i förra årets uppföljning": row["prev_trend"],
                "Riket": row["riket"],
                "Placering": row["rank"],
                "Placering till": row["rank_to"],
                "Delar placering med antal regioner": row["n_tied"],
                "Delar placering med": row["tied_with"],
                "Antal regioner": row["n_ranked"] or pd.NA,
                "Läge bland regionerna": POSITION_LABELS.get(row["position"], ""),
                **{k: v[len(rows)] for k, v in peer_export.items()},
                "Mål": row["target_text"] or "",
                "Andel av målvärdet (%)": row["target_share"],
                "Måluppfyllelse": row["target_status"],
                "Måluppfyllelse i förra årets uppföljning": row["prev_target_status"],
                "Om målet": row["target_note"],
                "Jämförbarhet": row["comparability_note"],
                "Kontrollera": row["plausibility_note"],
                "Publicering": row["published_note"],
                "Kvinnor": row["kvinnor"],
                "Män": row["man"],
            }
        )
    return pd.DataFrame(rows)


def region_frame(rep: RegionReport) -> pd.DataFrame:
    """The exported indikatorer table: overview rows with a source column.

    Numbers are rounded to each indicator's decimals, so a change of 79,5 − 75,3 reads 4,2
    and not 4,200000000000003 in Excel.
    """
    frame = overview_frame(rep)
    for col in MEASURE_COLUMNS:
        frame[col] = rounded(frame[col], rep.table["decimals"])
    frame["Källa"] = [
        source_line(rep.catalog.get(i), rep.obs).removeprefix("Källa: ")
        for i in frame["Indikator-id"]
    ]
    return pd.concat([frame, own_goals.export_columns(rep, list(frame["Indikator-id"]))], axis=1)


def _csv_number(x: object, decimals: int) -> str:
    return "" if pd.isna(x) else f"{float(x):.{decimals}f}".replace(".", ",")


def region_csv_bytes(rep: RegionReport) -> bytes:
    """`;`-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly.

    Each number is written with its indicator's decimals (`28100`, `79,5`), no thousands
    separator, so Excel reads it as a number.
    """
    frame = region_frame(rep)
    decimals = [int(d) for d in rep.table["decimals"]]
    for col in MEASURE_COLUMNS:
        frame[col] = [_csv_number(x, d) for x, d in zip(frame[col], decimals)]
    return neutralise_frame(frame).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def region_xlsx_bytes(rep: RegionReport) -> bytes:
    """indikatorer.xlsx, formatted to forward as it is (naravard.report.excel), with the
    region's own goals and the län's kommuner on sheets of their own when the report has them."""
    frame = region_frame(rep)
    about = excel.about_rows(
        f"Indikatorer för {rep.region.full_name} {rep.year}",
        table_sources(rep.catalog, rep.obs),
        rep.obs.origin_label,
        retrieved_date(rep.obs) or copied_date(rep.obs),
    )

    def more_sheets(writer: pd.ExcelWriter) -> None:
        goals = own_goals.goals_frame(rep)
        if not goals.empty:
            excel.plain_sheet(writer, neutralise_frame(goals), "Regionens mål")
        kommun.add_sheet(rep, writer)

    return excel.workbook_bytes(
        frame,
        sheet="Indikatorer",
        about=about,
        decimals=[rep.catalog.get(i).decimals for i in frame["Indikator-id"]],
        more=more_sheets,
    )


def table_sources(catalog: Catalog, obs: object, *, own: bool = True) -> str:
    """The tables' sources in one line: Kolada and the primary sources it republishes."""
    if getattr(obs, "is_example", False):
        return "Exempeldata, inte verkliga värden"
    primaries = sorted({i.primary_source for i in catalog if i.source == "kolada"})
    return (
        "Kolada (Rådet för främjande av kommunala analyser), som återpublicerar "
        + "; ".join(primaries)
        + "."
        + (" Regionens egna uppgifter har sin källa i kolumnen Källa." if own else "")
    )


def national_frame(rep: NationalReport) -> pd.DataFrame:
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
    return frame.rename(
        columns={
            "region_code": "Regionkod",
            "indicator_id": "Indikator-id",
            "value": "Värde",
            "riket": "Riket",
            "relative": "Skillnad mot riket (riktningsjusterad)",
            "versus_riket": "Jämfört med riket",
            "rank": "Placering",
            "rank_to": "Placering till",
            "n_tied": "Delar placering med antal regioner",
            "n_ranked": "Antal regioner",
            "change": "Förändring",
            "change_counts": "Förändringen räknas",
            "change_judgement": "Bedömning",
            "break_between": "Tidsseriebrott",
            "trend": "Trend",
            "trend_from_year": "Trend sedan år",
            "trend_shape": "Trendens form",
            "meets_target": "Når målet",
            "target_share": "Andel av målvärdet (%)",
            "target_status": "Måluppfyllelse",
            "target_note": "Om målet",
            "comparability_note": "Jämförbarhet",
            "plausibility": "Rimlighet",
            "plausibility_note": "Kontrollera",
            "published_note": "Publicering",
        }
    )


def national_xlsx_bytes(rep: NationalReport) -> bytes:
    """riksrapport.xlsx, formatted as the regions' indikatorer.xlsx (naravard.report.excel)."""
    frame = national_frame(rep)
    inds = [rep.catalog.get(i) for i in frame["Indikator-id"]]
    frame["Enhet"] = [text.unit_label(i.unit) for i in inds]
    frame["Källa"] = [source_line(i, rep.obs).removeprefix("Källa: ") for i in inds]
    about = excel.about_rows(
        f"Alla regioners värden {rep.year}",
        table_sources(rep.catalog, rep.obs, own=False),
        rep.obs.origin_label,
        retrieved_date(rep.obs) or copied_date(rep.obs),
    )
    return excel.workbook_bytes(
        frame, sheet="Regioner", about=about, decimals=[i.decimals for i in inds]
    )
