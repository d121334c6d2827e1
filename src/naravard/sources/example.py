"""Built-in example data: a full, plausible table so that every report can be built offline.

The values are invented. Every row says so (source "exempeldata"), the loader marks the whole
table as example data, and the report prints that on every page; the numbers only have to look
like real ones closely enough for charts and text to be exercised.
Randomness is seeded from zlib.crc32 of the ids (never Python's salted hash()), so two runs,
on any machine, give the same table.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from naravard.sources import COLUMNS
from naravard.config.catalog import Catalog, Indicator
from naravard.config.regions import RIKET_CODE, all_regions

EXAMPLE_SOURCE = "exempeldata"
DEFAULT_YEARS = range(2016, 2025)

# (level around 2020, spread between regions, change per year). For percentages the spread and
# change are percentage points; otherwise they are relative (0.15 = 15 %). Levels are rounded
# from the national picture so that example charts look like real ones.
_PROFILES: dict[str, tuple[float, float, float]] = {
    "telefon_samma_dag": (86, 6, 0.1),
    "medicinsk_bedomning_3d": (81, 7, 0.5),
    "forsta_kontakt_90d": (80, 7, -0.4),
    "operation_90d": (78, 9, -0.4),
    "bup_30d": (62, 15, -1.5),
    "psykiatri_forsta_besok_90d": (86, 8, -1.0),
    "rimlig_vantetid_vc": (67, 6, 0.2),
    "tillgang_till_vard": (86, 3, 0.3),
    "fortroende_vc": (63, 5, 0.3),
    "fortroende_sjukvarden": (65, 7, 0.6),
    "npe_helhetsintryck_pv": (80, 2.5, 0.1),
    "positiv_1177_etjanster": (79, 2.5, -0.3),
    "positiv_digital_vard": (44, 3, 0.0),
    "positiv_vard_hemma_digitalt": (56, 3.5, -0.5),
    "aterinskrivning_30d": (17.4, 1.8, 0.0),
    "paverkbar_slutenvard": (630, 0.15, -0.02),
    "utskrivningsklara_65": (120, 0.4, -0.05),
    "vardplatser_utskrivningsklara": (5, 2, -0.2),
    "akutbesok_80": (645, 0.15, -0.01),
    "vardtillfallen": (14400, 0.12, -0.015),
    "tio_lakemedel_aldre": (14, 1.3, 0.1),
    "hba1c_over_70": (8.5, 1.5, -0.1),
    "blodtryck_diabetes": (71, 3, 0.2),
    "fotundersokning_diabetes": (78, 7, -0.3),
    "ogonbotten_diabetes": (76.5, 8, 0.0),
    "fallskador_65": (3200, 0.15, 0.005),
    "hsv_kostnad_strukturjusterad": (28000, 0.1, 0.04),
    "vardplatser": (2.1, 0.12, -0.02),
    "overbelaggningar": (4.3, 0.5, 0.03),
    "fast_lakarkontakt_andel": (40, 15, 1.5),
    "fast_lakarkontakt_sabo_andel": (85, 10, 0.5),
    "listade_per_specialist": (1600, 0.2, -0.015),
    "egen_telefon_samma_dag": (80, 8, 0.5),
    "egen_medicinsk_bedomning_3d": (80, 7, 0.5),
}
_DEFAULT_PERCENT = (60.0, 8.0, 0.0)
_DEFAULT_OTHER = (100.0, 0.15, 0.0)

# Absolute counts of people: derived from a share and the population, summed for Riket.
_COUNT_OF_SHARE = {"fast_lakarkontakt_antal": "fast_lakarkontakt_andel"}

# Rounded populations (thousands) so that example counts have the right size per region.
_POPULATION_K = {
    "0001": 2470,
    "0003": 400,
    "0004": 300,
    "0005": 470,
    "0006": 370,
    "0007": 205,
    "0008": 247,
    "0009": 61,
    "0010": 157,
    "0012": 1420,
    "0013": 345,
    "0014": 1760,
    "0017": 284,
    "0018": 306,
    "0019": 279,
    "0020": 288,
    "0021": 288,
    "0022": 243,
    "0023": 132,
    "0024": 278,
    "0025": 249,
}


def _rng(*parts: object) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("|".join(map(str, parts)).encode("utf-8")))


def _profile(indicator: Indicator) -> tuple[float, float, float]:
    default = _DEFAULT_PERCENT if indicator.is_percent else _DEFAULT_OTHER
    return _PROFILES.get(indicator.id, default)


def _series(indicator: Indicator, region_code: str, years: list[int]) -> np.ndarray:
    """One region's total (T) over the years: a level, a trend and small year-to-year noise."""
    level, spread, slope = _profile(indicator)
    rng = _rng("example", indicator.id, region_code)
    t = np.array(years, dtype=float) - 2020.0
    offset = rng.normal(0.0, 1.0)
    own_slope = slope * rng.uniform(0.3, 1.7)
    noise = np.cumsum(rng.normal(0.0, 0.35, len(years))) * 0.6 + rng.normal(0.0, 0.4, len(years))
    if indicator.is_percent:
        values = level + spread * offset + own_slope * t + noise * max(spread / 6, 0.3)
        return np.clip(values, 1.5, 98.5)
    return level * np.exp(spread * offset + own_slope * t + noise * spread / 8)


def _gender_gaps(indicator: Indicator, region_code: str, totals: np.ndarray) -> np.ndarray:
    """Half the difference between women and men per year; T is exactly their mean."""
    draw = _rng("gender", indicator.id, region_code).normal(0.0, 1.0)
    if indicator.is_percent:
        bound = np.minimum(totals, 100.0 - totals)
        return np.clip(1.5 + 1.5 * draw, -bound, bound)
    return totals * float(np.clip(0.04 + 0.04 * draw, -0.5, 0.5))


def generate_example(catalog: Catalog, years: Iterable[int] = DEFAULT_YEARS) -> pd.DataFrame:
    """Every catalogue indicator for every region and Riket, every year, T/K/M."""
    years = sorted({int(y) for y in years})
    regions = [r.code for r in all_regions()]
    totals: dict[tuple[str, str], np.ndarray] = {}
    indicators = list(catalog)
    by_id = {i.id: i for i in indicators}

    for indicator in indicators:
        if indicator.id in _COUNT_OF_SHARE:
            continue
        for code in regions:
            totals[(indicator.id, code)] = _series(indicator, code, years)
    for count_id, share_id in _COUNT_OF_SHARE.items():
        if count_id not in by_id:
            continue
        for code in regions:
            share = totals.get((share_id, code))
            if share is None:
                share = _series(
                    by_id[share_id] if share_id in by_id else by_id[count_id], code, years
                )
            totals[(count_id, code)] = share / 100.0 * _POPULATION_K[code] * 1000

    rows: list[tuple] = []
    for indicator in indicators:
        decimals = indicator.decimals
        regional_totals = []
        regional_gaps = []
        for code in regions:
            series = np.round(totals[(indicator.id, code)], decimals)
            regional_totals.append(series)
            gaps = np.round(_gender_gaps(indicator, code, series), decimals)
            for year, total, gap in zip(years, series, gaps):
                rows.extend(
                    _three_rows(
                        indicator.id,
                        code,
                        year,
                        float(total),
                        float(gap),
                        decimals,
                        indicator.is_percent,
                    )
                )
            regional_gaps.append(gaps)
        stacked = np.vstack(regional_totals)
        riket = stacked.sum(axis=0) if indicator.id in _COUNT_OF_SHARE else stacked.mean(axis=0)
        riket_gap = np.array(regional_gaps).mean(axis=0)
        if indicator.id in _COUNT_OF_SHARE:
            riket_gap = np.array(regional_gaps).sum(axis=0)
        for year, total, gap in zip(years, riket, riket_gap):
            rows.extend(
                _three_rows(
                    indicator.id,
                    RIKET_CODE,
                    year,
                    round(float(total), decimals),
                    round(float(gap), decimals),
                    decimals,
                    indicator.is_percent,
                )
            )

    frame = pd.DataFrame(rows, columns=["indicator_id", "region_code", "year", "gender", "value"])
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = ""
    frame["source"] = EXAMPLE_SOURCE
    frame["retrieved"] = ""
    return frame[COLUMNS]


def _three_rows(
    indicator_id: str, code: str, year: int, total: float, gap: float, decimals: int, percent: bool
) -> list[tuple]:
    women = round(total + gap, decimals)
    men = round(total - gap, decimals)
    if percent:  # rounding may push a value a hair past 100
        women, men = min(max(women, 0.0), 100.0), min(max(men, 0.0), 100.0)
    return [
        (indicator_id, code, year, "T", total),
        (indicator_id, code, year, "K", women),
        (indicator_id, code, year, "M", men),
    ]
