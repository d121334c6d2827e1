"""`naravard data status`: one summary per origin, in Swedish, never a download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naravard import cli
from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError
from naravard.sources import kolada_client
from naravard.sources.status import print_status


@pytest.fixture(autouse=True)
def no_download(monkeypatch):
    monkeypatch.setattr(
        kolada_client, "download_catalog", lambda *a, **k: pytest.fail("no download")
    )


def _has_values(snapshot: Path, kpi: str) -> bool:
    """Read from the snapshot's JSON here, not through naravard, so the count is independent."""
    path = snapshot / "data" / f"{kpi}.json"
    if not path.is_file():
        return False
    rows = json.loads(path.read_text(encoding="utf-8")).get("values", [])
    return any(v.get("value") is not None for row in rows for v in row.get("values", []))


def test_status_of_the_snapshot(project_tmp, snapshot_dir, capsys):
    assert print_status(snapshot_dir) == 0
    out = capsys.readouterr().out
    assert "21 regioner + riket" in out
    assert "2016–2024" in out
    wanted = load_catalog().kolada()
    with_values = [i for i in wanted if _has_values(snapshot_dir, i.kolada_id)]
    assert len(wanted) >= 29 and len(with_values) == len(wanted)  # the snapshot has them all
    assert f"indikatorer: {len(with_values)} av {len(wanted)} Kolada-indikatorer" in out
    assert "Projektets ögonblicksbild:" in out
    assert "vasterbotten.csv" in out and "orebro-lan.csv" in out
    assert "Exempeldata: tillgänglig" in out and "DATA=exempel" in out
    assert "Rapporterna använder: den angivna ögonblicksbilden" in out


def test_status_lists_indicators_without_values(project_tmp, snapshot_dir, tmp_path, capsys):
    import shutil

    snap = tmp_path / "snap"
    (snap / "data").mkdir(parents=True)
    shutil.copy(snapshot_dir / "data" / "N79179.json", snap / "data")
    assert print_status(snap) == 0
    out = capsys.readouterr().out
    assert "1 av" in out and "medicinsk_bedomning_3d" in out  # listed under "utan värden"


def test_status_without_data_says_what_reports_will_use(project_tmp, capsys):
    assert print_status() == 0
    out = capsys.readouterr().out
    assert "Rapporterna använder: projektets ögonblicksbild data/kolada" in out
    assert "hämtad: 2026-12-02" in out
    assert "21 regioner + riket" in out and "2016–2024" in out


def test_status_says_when_the_committed_snapshot_is_missing(
    project_tmp, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("NARAVARD_SNAPSHOT", str(tmp_path / "borta"))
    assert print_status() == 0
    assert "saknas; återställ med git checkout -- data/kolada" in capsys.readouterr().out


def test_bad_data_dir_is_an_error(project_tmp, tmp_path):
    with pytest.raises(NaravardError, match="finns inte"):
        print_status(tmp_path / "nope")


def test_cli_prints_fel_and_exits_2(project_tmp, tmp_path, capsys):
    assert cli.main(["data", "status", "--data", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("fel: ")
