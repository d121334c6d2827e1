"""Built-in example data: complete, deterministic, plausible, and always labelled as example."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from conftest import child_path

from naravard.config.catalog import load_catalog
from naravard.config.regions import region_codes
from naravard.sources.example import EXAMPLE_SOURCE, generate_example
from naravard.sources.table import COLUMNS, validate


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def example(catalog) -> pd.DataFrame:
    return generate_example(catalog)


def test_covers_every_indicator_region_year_and_gender(catalog, example):
    assert list(example.columns) == COLUMNS
    assert set(example["indicator_id"]) == {i.id for i in catalog}
    assert set(example["region_code"]) == set(region_codes(include_riket=True))
    assert sorted(example["year"].unique()) == list(range(2016, 2025))
    assert set(example["gender"]) == {"T", "K", "M"}
    assert len(example) == len(catalog) * 22 * 9 * 3
    assert example["value"].notna().all()


def test_every_row_says_exempeldata_and_passes_validation(catalog, example):
    assert (example["source"] == EXAMPLE_SOURCE).all()
    validate(example, catalog)


def test_deterministic_within_and_across_processes(catalog, example):
    pd.testing.assert_frame_equal(example, generate_example(catalog))
    code = (
        "from naravard.config.catalog import load_catalog;"
        "from naravard.sources.example import generate_example;"
        "f = generate_example(load_catalog());"
        "print(repr(round(float(f['value'].sum()), 6)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""} | child_path(),
    )
    assert float(out.stdout) == pytest.approx(round(float(example["value"].sum()), 6))


def test_years_argument(catalog):
    frame = generate_example(catalog, years=[2023, 2024])
    assert sorted(frame["year"].unique()) == [2023, 2024]


def test_values_are_plausible(catalog, example):
    for indicator in catalog:
        values = example.loc[example["indicator_id"] == indicator.id, "value"]
        if indicator.is_percent:
            assert values.between(0, 100).all(), indicator.id
            assert (values < 100).mean() > 0.9, indicator.id  # not pinned at the ceiling
        else:
            assert (values > 0).all(), indicator.id


def test_total_is_mean_of_women_and_men(example):
    wide = example.pivot_table(
        index=["indicator_id", "region_code", "year"], columns="gender", values="value"
    )
    mean = (wide["K"] + wide["M"]) / 2
    assert ((wide["T"] - mean).abs() <= 0.51).all()


def test_riket_is_close_to_the_mean_of_regions(catalog, example):
    totals = example[(example["gender"] == "T") & (example["indicator_id"] == "telefon_samma_dag")]
    riket = totals[totals["region_code"] == "0000"].set_index("year")["value"]
    regions = totals[totals["region_code"] != "0000"].groupby("year")["value"].mean()
    assert (riket - regions).abs().max() < 0.1


def test_trends_are_smooth(example):
    series = example[
        (example["gender"] == "T")
        & (example["region_code"] == "0024")
        & (example["indicator_id"] == "fortroende_vc")
    ].sort_values("year")["value"]
    assert series.diff().abs().max() < 6
