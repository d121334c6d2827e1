"""Target status is one rule (issue 18, item 3): monotone in the value and the same in the
region report's table, its export, the national report's target table, its region profile
and the national export, for every region; and changes are named by their years (item 4).
"""

from __future__ import annotations

import pytest

from naravard.report import national, region as report
from naravard.wording import text
from naravard.wording.summary import summary_sentences
from naravard.config.regions import all_regions
from naravard.report import exports

ORDER = {"uppfylls inte": 0, "uppfylls delvis": 1, "uppfylls": 2}


@pytest.fixture(scope="module")
def nat(snapshot_dir):
    return national.prepare(2024, snapshot_dir, figures=None)


@pytest.fixture(scope="module")
def regions(nat, snapshot_dir):
    return {
        r.code: report.prepare(
            r.name,
            2024,
            obs=nat.obs,
            catalog=nat.catalog,
            figures=None,
            comments=False,
            previous=None,
        )
        for r in all_regions()
    }


def test_target_status_is_monotone_in_the_value_across_regions(nat, regions):
    for ind in (i for i in nat.catalog if i.target is not None):
        judged = sorted(
            (
                float(rep.table.set_index("indicator_id").loc[ind.id, "value"]),
                rep.table.set_index("indicator_id").loc[ind.id, "target_status"],
            )
            for rep in regions.values()
            if rep.table.set_index("indicator_id").loc[ind.id, "target_status"] in ORDER
        )
        levels = [ORDER[status] for _, status in judged]
        if ind.target_kind == "max":
            levels = levels[::-1]
        assert levels == sorted(levels), (ind.id, judged)


def test_target_status_is_the_same_in_every_table_and_export(nat, regions):
    national_export = exports.national_frame(nat).set_index(["Regionkod", "Indikator-id"])
    targets_page = national.targets_html(nat)
    for code, rep in regions.items():
        table = rep.table.set_index("indicator_id")
        exported = exports.region_frame(rep).set_index("Indikator-id")
        profile = " ".join(line for _, line in national.region_profile(nat, code)["lines"])
        for ind in (i for i in nat.catalog if i.target is not None):
            status = table.loc[ind.id, "target_status"]
            assert exported.loc[ind.id, "Måluppfyllelse"] == status
            assert (
                nat.region_table(code).set_index("indicator_id").loc[ind.id, "target_status"]
                == status
            )
            if ind.source == "kolada":
                assert national_export.loc[(code, ind.id), "Måluppfyllelse"] == status
            name = ind.name[:1].lower() + ind.name[1:]
            if status in ORDER:
                assert f"{status} för" in profile and name in profile, (code, ind.id)
        assert "nås inte" not in profile
    assert "kan inte bedömas (" not in targets_page


def test_no_value_is_not_assessed_and_never_compared(regions):
    vb = next(rep for rep in regions.values() if rep.region.name == "Västerbotten")
    row = vb.table.set_index("indicator_id").loc["fast_lakarkontakt_sabo_andel"].to_dict()
    assert row["target_status"] == "kan inte bedömas"
    said = " ".join(text.indicator_sentences(row, "Västerbotten"))
    assert "kan inte bedömas" in said and "jämförs" not in said
    summary = " ".join(summary_sentences(vb.table, "Västerbotten", 2024))
    assert (
        "boende i särskilt boende"
        not in summary.split("jämförs med 2024")[0].split("Målen för")[-1]
    )


def test_a_change_over_a_missing_year_names_the_year(regions):
    sthlm = next(rep for rep in regions.values() if rep.region.name == "Stockholm")
    row = sthlm.table.set_index("indicator_id").loc["vardplatser_utskrivningsklara"]
    assert int(row["prev_year"]) == 2022
    assert report._change_cell(row)["change_word"].startswith("sedan 2022")
    summary = " ".join(summary_sentences(sthlm.table, "Stockholm", 2024))
    assert "saknar värde 2023 och jämförs med 2022" in summary


def test_spread_values_give_monotone_identical_status_in_both_tables():
    """Every region at a different distance from the 65 % and 10 % targets (the snapshot's
    regions nearly all meet them, so this is where a non-monotone rule shows)."""
    import pandas as pd

    from naravard.config.catalog import load_catalog
    from naravard.analysis.indicators import indicator_table, national_table
    from naravard.config.regions import region_codes

    class Obs:
        def __init__(self, frame: pd.DataFrame) -> None:
            self.frame = frame

    codes = region_codes()
    rows = [
        {
            "indicator_id": ind,
            "region_code": code,
            "year": year,
            "gender": "T",
            "value": base + k * step + (year - 2023) * (-1) ** k * 3,
            "status": "",
            "source": "Kolada",
        }
        for ind, base, step in (("blodtryck_diabetes", 40.0, 1.5), ("hba1c_over_70", 6.0, 0.4))
        for k, code in enumerate(codes)
        for year in (2023, 2024)
    ]
    obs, catalog = Obs(pd.DataFrame(rows)), load_catalog()
    nat = national_table(obs, catalog, 2024).set_index(["region_code", "indicator_id"])
    for ind in ("blodtryck_diabetes", "hba1c_over_70"):
        seen = []
        for code in codes:
            row = indicator_table(obs, catalog, code, 2024).set_index("indicator_id").loc[ind]
            assert nat.loc[(code, ind), "target_status"] == row["target_status"]
            seen.append((row["value"], ORDER[row["target_status"]]))
        levels = [level for _, level in sorted(seen)]
        if ind == "hba1c_over_70":
            levels = levels[::-1]
        assert levels == sorted(levels) and len(set(levels)) == 3, (ind, sorted(seen))
