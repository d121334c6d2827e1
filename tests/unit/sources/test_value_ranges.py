"""Values must be finite and inside their unit's range, in a region's own file and in Kolada's
JSON; an error names the file."""

from __future__ import annotations

import pytest

from bad_input import SRC, regional, one_line_error, kolada_page, tiny_snapshot
from naravard.sources.regional import read_regional_file


# --- finite values and unit ranges ------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e308", "Infinity", "inf", "NaN", "-3", "1e12"])
def test_absurd_regional_values_are_refused(tmp_path, catalog, value):
    path = regional(tmp_path, f"fast_lakarkontakt_antal;2024;T;{value};{SRC};")
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message and "value" in message


@pytest.mark.parametrize("value", ["Infinity", "NaN", "-Infinity", "1e999"])
def test_non_finite_kolada_values_are_refused_with_the_file(tmp_path, value):
    from naravard.sources.kolada import read_kolada_dir

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text(kolada_page(value), encoding="utf-8")
    message = one_line_error(read_kolada_dir, tmp_path)
    assert "N79173.json" in message and "value" in message


@pytest.mark.parametrize(
    ("kpi", "value"), [("N79173", 140.0), ("N79173", -2.0), ("U20462", -5.0), ("U20462", 1e300)]
)
def test_impossible_kolada_values_name_the_source_file(tmp_path, project_tmp, kpi, value):
    from naravard.sources.table import clear_memo, load_observations

    clear_memo()
    snap = tiny_snapshot(tmp_path / "snap", [(kpi, "0001", 2023, value), (kpi, "0009", 2023, 10.0)])
    message = one_line_error(load_observations, snap)
    assert f"{kpi}.json" in message and "observationstabellen" not in message
