"""The validated table and load_observations: golden values, origins, fallbacks, errors."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from naravard.sources import table
from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError
from naravard.sources import kolada_client
from naravard.sources.table import (
    COLUMNS,
    Observations,
    load_observations,
    save_observations,
    validate,
)
from naravard.report import common

SRC = "Region Västerbottens redovisning till Socialstyrelsen 2024, fråga 35"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(autouse=True)
def fresh_memo():
    table.clear_memo()
    yield
    table.clear_memo()


def value(obs: Observations, code: str, ident: str, year: int, gender: str = "T") -> float:
    f = obs.frame
    rows = f[
        (f.region_code == code)
        & (f.indicator_id == ident)
        & (f.year == year)
        & (f.gender == gender)
    ]
    assert len(rows) == 1, (code, ident, year, gender)
    return float(rows["value"].iloc[0])


def good_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["telefon_samma_dag", "fast_lakarkontakt_antal"],
            "region_code": ["0024", "0000"],
            "year": pd.Series([2024, 2024], dtype="int64"),
            "gender": ["T", "K"],
            "value": [73.1, np.nan],
            "status": ["", "saknas"],
            "source": ["Kolada", SRC],
            "retrieved": ["2025-05-01", ""],
        }
    )[COLUMNS]


def small_snapshot(
    tmp_path: Path, snapshot_dir: Path, kpis=("N79179", "N79173"), retrieved: str | None = None
) -> Path:
    dest = tmp_path / "snap"
    (dest / "data").mkdir(parents=True)
    for kpi in kpis:
        shutil.copy(snapshot_dir / "data" / f"{kpi}.json", dest / "data")
    shutil.copy(snapshot_dir / "kpi.json", dest)
    if retrieved:
        (dest / "retrieved.json").write_text(json.dumps({"retrieved": retrieved}))
    return dest


# --- golden values on the real snapshot ---------------------------------------------------


def test_golden_values_from_the_snapshot(snapshot_dir, catalog):
    obs = load_observations(snapshot_dir, catalog=catalog)
    assert obs.origin == "snapshot" and not obs.is_example
    assert value(obs, "0024", "medicinsk_bedomning_3d", 2024) == 79.5
    assert value(obs, "0024", "telefon_samma_dag", 2024) == 73.1
    assert value(obs, "0000", "telefon_samma_dag", 2024) == 87.0
    kolada_rows = obs.frame[obs.frame["source"] == "Kolada"]
    assert kolada_rows["region_code"].nunique() == 22
    assert obs.years() == list(range(2016, 2025))
    assert set(kolada_rows["indicator_id"]) == {i.id for i in catalog.kolada()}
    assert list(obs.frame.columns) == COLUMNS


def test_snapshot_label_input_files_and_regional_figures(snapshot_dir, catalog):
    obs = load_observations(snapshot_dir, catalog=catalog)
    assert obs.origin_label.startswith("Kolada, ögonblicksbild i ")
    # data/kolada/retrieved.json: a copy of an export, dated when it entered the project
    assert obs.origin_label.endswith("(inlagd som kopia 2026-12-02)")
    assert obs.retrieved == "2026-12-02"
    names = {p.name for p in obs.input_files}
    assert {
        "N79179.json",
        "kpi.json",
        "retrieved.json",
        "vasterbotten.csv",
        "indicators.yaml",
    } <= names
    assert value(obs, "0024", "egen_medicinsk_bedomning_3d", 2024) == 80
    regional = obs.frame[obs.frame["indicator_id"] == "fast_lakarkontakt_andel"]
    assert regional["source"].str.contains("Socialstyrelsen 2024").all()


def test_kpis_outside_the_catalogue_are_dropped(tmp_path, snapshot_dir, catalog):
    snap = small_snapshot(tmp_path, snapshot_dir, kpis=("N79179", "N61603"))
    obs = load_observations(snap, catalog=catalog, regional_dir=tmp_path / "none")
    assert set(obs.frame["indicator_id"]) == {"telefon_samma_dag"}
    assert any("saknas" in note for note in obs.notes)


def test_retrieved_json_gives_hamtad_date(tmp_path, snapshot_dir, catalog):
    snap = small_snapshot(tmp_path, snapshot_dir, retrieved="2025-05-01T08:00:00Z")
    obs = load_observations(snap, catalog=catalog, regional_dir=tmp_path / "none")
    assert obs.origin_label.endswith("(hämtad 2025-05-01)")
    assert obs.retrieved == "2025-05-01"
    assert set(obs.frame["retrieved"]) == {"2025-05-01"}


def test_environment_variable_names_the_snapshot(tmp_path, snapshot_dir, catalog, monkeypatch):
    snap = small_snapshot(tmp_path, snapshot_dir)
    monkeypatch.setenv("NARAVARD_DATA", str(snap))
    obs = load_observations(catalog=catalog, regional_dir=tmp_path / "none")
    assert obs.origin == "snapshot"


# --- the committed snapshot and example data on request ---------------------------------


def test_the_committed_snapshot_is_the_default(project_tmp, catalog, monkeypatch):
    from conftest import SNAPSHOT

    monkeypatch.setattr(
        kolada_client, "download_catalog", lambda *a, **k: pytest.fail("no download")
    )
    obs = load_observations(catalog=catalog, regional_dir=project_tmp / "none")
    assert obs.origin == "snapshot" and not obs.is_example
    assert (
        obs.origin_label == "Kolada, ögonblicksbild i …/data/kolada (inlagd som kopia 2026-12-02)"
    )
    assert obs.retrieved == "2026-12-02"
    assert SNAPSHOT / "data" / "N79173.json" in obs.input_files
    assert value(obs, "0024", "medicinsk_bedomning_3d", 2024) == 79.5


def test_a_missing_default_snapshot_is_one_line_not_example_data(
    project_tmp, catalog, monkeypatch, tmp_path
):
    monkeypatch.setenv("NARAVARD_SNAPSHOT", str(tmp_path / "borta"))
    with pytest.raises(NaravardError, match="ögonblicksbild saknas; återställ"):
        load_observations(catalog=catalog)


@pytest.mark.parametrize("word", ["exempel", "Exempeldata"])
def test_example_data_only_on_request(project_tmp, catalog, monkeypatch, word):
    obs = load_observations(word, catalog=catalog)
    assert obs.origin == "example" and obs.is_example
    assert obs.origin_label == "Exempeldata (inte verkliga värden)"
    assert obs.notes[0].startswith("Rapporten gjordes med DATA=exempel")
    assert (obs.frame["source"] == "exempeldata").all()
    # the regional files do not mix real figures into example data
    assert set(obs.frame["indicator_id"]) == {i.id for i in catalog}
    assert obs.input_files == [catalog.path]
    monkeypatch.setenv("NARAVARD_DATA", word)
    assert load_observations(catalog=catalog).is_example


def test_missing_explicit_dir_is_an_error_not_a_fallback(tmp_path, catalog, monkeypatch):
    monkeypatch.setattr(
        kolada_client, "download_catalog", lambda *a, **k: pytest.fail("no fallback")
    )
    with pytest.raises(NaravardError, match="finns inte"):
        load_observations(tmp_path / "nope", catalog=catalog)
    monkeypatch.setenv("NARAVARD_DATA", str(tmp_path / "nope"))
    with pytest.raises(NaravardError, match="NARAVARD_DATA"):
        load_observations(catalog=catalog)


def test_corrupt_explicit_dir_is_an_error(tmp_path, snapshot_dir, catalog):
    snap = small_snapshot(tmp_path, snapshot_dir)
    (snap / "data" / "N79179.json").write_text('{"values": [')
    with pytest.raises(NaravardError) as info:
        load_observations(snap, catalog=catalog)
    assert "N79179.json" in str(info.value)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NaravardError, match="data/"):
        load_observations(empty, catalog=catalog)


def test_bad_regional_file_stops_the_load(tmp_path, snapshot_dir, catalog):
    snap = small_snapshot(tmp_path, snapshot_dir)
    regional = tmp_path / "regional"
    regional.mkdir()
    (regional / "vasterbotten.csv").write_text(
        f"indicator_id;year;gender;value;source;note\nfast_lakarkontakt_andel;2024;T;140;{SRC};\n",
        encoding="utf-8",
    )
    with pytest.raises(NaravardError, match="rad 2"):
        load_observations(snap, catalog=catalog, regional_dir=regional)


# --- pickle and memo ----------------------------------------------------------------------


def test_pickle_round_trip(tmp_path, snapshot_dir, catalog):
    obs = load_observations(small_snapshot(tmp_path, snapshot_dir), catalog=catalog)
    path = save_observations(obs, tmp_path / "obs.pkl")
    back = load_observations(path)
    pd.testing.assert_frame_equal(back.frame, obs.frame)
    assert back.origin_label == obs.origin_label and back.input_files == obs.input_files
    with pytest.raises(NaravardError, match="finns inte"):
        load_observations(tmp_path / "other.pkl")
    (tmp_path / "junk.pkl").write_bytes(b"not a pickle")
    with pytest.raises(NaravardError, match="junk.pkl"):
        load_observations(tmp_path / "junk.pkl")


def test_memo_returns_independent_copies_and_notices_changes(tmp_path, snapshot_dir, catalog):
    snap = small_snapshot(tmp_path, snapshot_dir)
    regional = tmp_path / "regional"
    regional.mkdir()
    first = load_observations(snap, catalog=catalog, regional_dir=regional)
    first.frame.loc[:, "value"] = -1.0
    second = load_observations(snap, catalog=catalog, regional_dir=regional)
    assert (second.frame["value"] != -1.0).any()
    (regional / "vasterbotten.csv").write_text(
        f"indicator_id;year;gender;value;source;note\nfast_lakarkontakt_andel;2024;T;12,5;{SRC};\n",
        encoding="utf-8",
    )
    third = load_observations(snap, catalog=catalog, regional_dir=regional)
    assert value(third, "0024", "fast_lakarkontakt_andel", 2024) == 12.5


# --- the schema ---------------------------------------------------------------------------


def test_valid_frame_passes_and_nan_is_allowed(catalog):
    out = validate(good_frame(), catalog)
    assert math.isnan(out["value"].iloc[1])


@pytest.mark.parametrize(
    "column, bad, words",
    [
        ("gender", "X", ["gender", '"X"', "T (totalt)"]),
        ("region_code", "0099", ["region_code", "0099"]),
        ("indicator_id", "okand", ["indicator_id", "okand"]),
        ("value", 140.0, ["value", "140", "0–100"]),
    ],
)
def test_schema_failures_are_one_line(catalog, column, bad, words):
    frame = good_frame()
    frame.loc[0, column] = bad
    with pytest.raises(NaravardError) as info:
        validate(frame, catalog)
    message = str(info.value)
    assert "\n" not in message and "rad 0" in message
    for word in words:
        assert word in message, (word, message)


def test_schema_rejects_bad_year_and_duplicates(catalog):
    frame = good_frame()
    frame.loc[0, "year"] = 1850
    with pytest.raises(NaravardError, match="year"):
        validate(frame, catalog)
    frame = pd.concat([good_frame(), good_frame().iloc[:1]], ignore_index=True)
    with pytest.raises(NaravardError, match="mer än en gång"):
        validate(frame, catalog)


def test_count_above_100_is_fine(catalog):
    frame = good_frame()
    frame.loc[1, "value"] = 140441.0
    out = validate(frame, catalog)
    assert out["value"].iloc[1] == 140441.0 and len(out) == len(frame)


def test_a_copied_snapshot_claims_no_retrieval_date(tmp_path, snapshot_dir, catalog):
    """retrieved.json with "copied": the cover says when the copy came in, and no source line
    says "hämtad", since nobody knows when the export was fetched from Kolada."""
    from naravard.sources.kolada import RETRIEVED_FILE

    dest = tmp_path / "kopia"
    shutil.copytree(snapshot_dir, dest)
    (dest / RETRIEVED_FILE).write_text(json.dumps({"retrieved": "2026-01-15", "copied": True}))
    obs = load_observations(dest, catalog=catalog)
    assert common.retrieved_date(obs) is None
    cover = " ".join(common.data_sentences(obs, [2016, 2024]))
    assert "inlagd i rapportverktyget den 15 januari 2026" in cover
    assert "hämtades från Kolada den" not in cover
    assert "hämtad" not in common.source_line(catalog.get("medicinsk_bedomning_3d"), obs)
    (dest / RETRIEVED_FILE).write_text(json.dumps({"retrieved": "2026-01-15"}))
    obs = load_observations(dest, catalog=catalog)
    assert "hämtades från Kolada den 15 januari 2026" in " ".join(
        common.data_sentences(obs, [2016, 2024])
    )
