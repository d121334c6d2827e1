"""Every file a report is made from is an input of its manifest: editing one renders it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from naravard.build.pipeline import national_inputs, region_inputs
from naravard.core.paths import catalog_path, data_dir


@pytest.mark.parametrize(
    "name",
    [
        "catalog/indicators.yaml",
        "catalog/units.yaml",
        "catalog/areas.yaml",
        "catalog/related.yaml",
        "catalog/sjukvardsregioner.yaml",
        "catalog/kommun_indicators.yaml",
        "jamforelsegrupper.yaml",
    ],
)
def test_region_and_national_reports_depend_on_each_catalogue_file(name: str) -> None:
    path = data_dir() / name
    assert path.is_file()
    assert path in region_inputs(None, "vasterbotten", 2024)
    assert path in national_inputs(None, 2024)


def test_a_new_catalogue_file_counts_without_a_code_change(tmp_path: Path, monkeypatch) -> None:
    catalog = tmp_path / "data" / "catalog"
    catalog.mkdir(parents=True)
    for source in catalog_path().parent.glob("*.yaml"):
        (catalog / source.name).write_bytes(source.read_bytes())
    (catalog / "ny.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr("naravard.core.paths.data_dir", lambda: tmp_path / "data")
    assert catalog / "ny.yaml" in region_inputs(None, "vasterbotten", 2024)
