"""A snapshot's weak spots: years outside the range are left out with a note, and another
region's broken file does not block a report."""

from __future__ import annotations

from bad_input import HEADER, tiny_snapshot, cli


# --- weak spots ---------------------------------------------------------------------------------


def test_years_outside_the_range_in_a_snapshot_are_left_out_with_a_note(tmp_path, project_tmp):
    from naravard.sources.table import clear_memo, load_observations

    clear_memo()
    snap = tiny_snapshot(
        tmp_path / "snap",
        [
            ("N79173", "0001", 1999, 60.0),
            ("N79173", "0001", 2023, 70.0),
            ("N79173", "0009", 2023, 72.0),
        ],
    )
    obs = load_observations(snap)
    assert 1999 not in obs.years() and 2023 in obs.years()
    assert any("1999" in note and "togs inte med" in note for note in obs.notes)


def test_another_regions_broken_file_does_not_block_a_report(
    tmp_path, project_tmp, monkeypatch, capsys
):
    import shutil

    from naravard.core.paths import repo_root

    regional_copy = tmp_path / "regional"
    shutil.copytree(repo_root() / "data" / "regional", regional_copy)
    (regional_copy / "orebro-lan.csv").write_text(
        HEADER + '\nfast_lakarkontakt_andel;"2024\n', encoding="utf-8"
    )
    monkeypatch.setenv("NARAVARD_REGIONAL_DIR", str(regional_copy))
    snap = tiny_snapshot(
        tmp_path / "snap", [("N79173", "0001", 2023, 70.0), ("N79173", "0024", 2023, 72.0)]
    )
    # YEAR=2030 fails after the data has loaded, before anything renders
    code, err = cli(
        capsys, "report", "--region", "Västerbotten", "--year", "2030", "--data", str(snap)
    )
    assert code == 2 and "YEAR=2030" in err and "orebro-lan.csv" not in err
    code, err = cli(
        capsys, "report", "--region", "Örebro län", "--year", "2030", "--data", str(snap)
    )
    assert code == 2 and "orebro-lan.csv rad 2" in err
