"""`make data` fetches the kommun part anew, with every KPI the kommun catalogue needs.

Against the little Kolada on 127.0.0.1 (tests/kolada_server.py), which answers a query that
names kommuner from the committed snapshot's kommun part, as live Kolada does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SNAPSHOT
from kolada_server import KoladaServer

from naravard import cli
from naravard.config.kommun_catalog import load_kommun_catalog
from naravard.sources.kommun import read_kommun


@pytest.fixture()
def kolada(monkeypatch):
    server = KoladaServer(SNAPSHOT).start()
    monkeypatch.setenv("NARAVARD_KOLADA_URL", server.url)
    yield server
    server.stop()


def test_a_catalogue_kpi_missing_from_the_kommun_part_is_fetched(kolada, tmp_path: Path, capsys):
    dest = tmp_path / "kolada"
    shutil.copytree(SNAPSHOT, dest)
    kpi_file = dest / "kommun" / "kpi.json"
    meta = json.loads(kpi_file.read_text(encoding="utf-8"))
    meta["values"] = [m for m in meta["values"] if m["id"] != "U21401"]
    kpi_file.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (dest / "kommun" / "data" / "U21401.json").unlink()

    assert cli.main(["data", "download", "--dest", str(dest)]) == 0
    capsys.readouterr()
    assert (dest / "kommun" / "data" / "U21401.json").is_file()
    ids = [m["id"] for m in json.loads(kpi_file.read_text(encoding="utf-8"))["values"]]
    assert "U21401" in ids
    data = read_kommun(dest, load_kommun_catalog())
    fetched = data.frame[data.frame["indicator_id"] == "k_personalkontinuitet"]
    assert set(fetched["code"]) >= {"2480", "2482", "1880"}
    assert json.loads((dest / "kommun" / "retrieved.json").read_text())["base_url"] == kolada.url
