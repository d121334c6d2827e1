"""Golden backtest: Västerbotten 2024's indikatorer.csv from the real snapshot, byte for byte.

Every number, rank, judgement and source in the region's table is compared with the file
checked in under tests/golden/, so any change in what the report says shows up as a diff to
review. When a change is intended (a new column, a corrected rule), regenerate and review:

    NARAVARD_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_golden.py
    git diff tests/golden/

The "hämtad" date changes with every `make data` (data/kolada/retrieved.json), and a snapshot
without retrieved.json gives the files' date; the backtest fixes it to RETRIEVED, the one
thing that is not compared.
"""

from __future__ import annotations

import dataclasses
import os
import re

import pytest
from conftest import REPO

from naravard.report import region as report
from naravard.report import exports

GOLDEN = REPO / "tests" / "golden" / "vasterbotten-2024-indikatorer.csv"
RETRIEVED = "2025-05-01"
RETRIEVED_TEXT = "hämtad 1 maj 2025"
EPOCH = "1735689600"


def _csv(snapshot_dir) -> bytes:
    from naravard.sources.table import load_observations

    obs = load_observations(snapshot_dir)
    # as if fetched live on RETRIEVED (the shipped copy's own date says only when it was copied)
    obs = dataclasses.replace(
        obs, retrieved=RETRIEVED, origin_label=f"Kolada, ögonblicksbild (hämtad {RETRIEVED})"
    )
    return exports.region_csv_bytes(report.prepare("Västerbotten", 2024, obs=obs, figures=None))


def _compare(made: bytes) -> None:
    if os.environ.get("NARAVARD_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_bytes(made)
        pytest.skip(f"regenerated {GOLDEN.relative_to(REPO)}: review `git diff` and commit it")
    golden = GOLDEN.read_bytes()
    if made != golden:
        old, new = golden.decode("utf-8-sig").splitlines(), made.decode("utf-8-sig").splitlines()
        changed = [f"- {a}\n+ {b}" for a, b in zip(old, new) if a != b][:5]
        pytest.fail(
            f"indikatorer.csv differs from {GOLDEN.name} ({len(old)} vs {len(new)} "
            "lines); if intended, regenerate (see this module's docstring):\n" + "\n".join(changed),
            pytrace=False,
        )


def test_vasterbotten_2024_table_equals_the_golden_file(snapshot_dir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # a snapshot's file date is not a retrieval date, so no machine-dependent date is exported
    _compare(_csv(snapshot_dir))


def test_golden_file_agrees_with_the_snapshot_where_it_is_plain(snapshot_dir):
    """The golden file itself is right, not just stable: a few values read from Kolada's
    JSON here (medicinsk bedömning 79,5; telefon 73,1 with Riket 87,0)."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(GOLDEN.read_bytes().decode("utf-8-sig")), delimiter=";"))
    by_id = {r["Indikator-id"]: r for r in rows}
    assert by_id["medicinsk_bedomning_3d"]["Värde"] == "79,5"
    assert (by_id["telefon_samma_dag"]["Värde"], by_id["telefon_samma_dag"]["Riket"]) == (
        "73,1",
        "87,0",
    )
    assert all(r["År"] == "2024" for r in rows)


@pytest.mark.e2e
def test_published_csv_is_the_golden_file(renders):
    """What `make reports` published, with its machine-dependent "hämtad" date fixed (the
    shipped copy names none: its sources end "via Kolada")."""
    published = (renders.region().out / "indikatorer.csv").read_bytes().decode("utf-8-sig")
    fixed = re.sub(r"hämtad \d{1,2} \w+ \d{4}", RETRIEVED_TEXT, published)
    # the source column is no longer the last (the region's own goals follow it)
    fixed = re.sub(r"via Kolada(?=;|\r?$)", f"via Kolada, {RETRIEVED_TEXT}", fixed, flags=re.M)
    _compare(fixed.encode("utf-8-sig"))
