"""data/mal/<slug>.yaml with bad input: one line naming file, goal and field, and how to fix it.

The loader (naravard.config.goals) is tested directly on hand-written files; one test runs
`naravard report` to see the same line as `fel:`, exit 2 and nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naravard.cli import main
from naravard.config import goals as G
from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError
from naravard.core.limits import MAX_GOALS

GOAL = """\
  - text: Fler barn får stöd i första linjen
    level: delmål
    decision:
      document: Nämndens verksamhetsplan för 2024
      date: 2024-01-30
    year: 2024
    region_status: delvis
"""


def write(directory: Path, body: str, slug: str = "gotland") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{slug}.yaml"
    path.write_text(f"region: {slug}\ngoals:\n{body}", encoding="utf-8")
    return path


def error(tmp_path: Path, body: str) -> str:
    with pytest.raises(NaravardError) as exc:
        G.parse(write(tmp_path, body), load_catalog())
    message = str(exc.value)
    assert "\n" not in message
    assert "gotland.yaml" in message  # names the file
    return message


def test_a_good_file_reads(tmp_path):
    goals = G.parse(
        write(
            tmp_path,
            GOAL
            + """\
    indicator:
      id: bup_30d
      target: 80
      target_kind: min
    related: [fallskador_65]
""",
        ),
        load_catalog(),
    )
    goal = goals.goals[0]
    assert (goal.level, goal.region_status, goal.decision.date) == (
        "delmål",
        "delvis",
        "2024-01-30",
    )
    assert goal.indicator.target == 80 and goal.indicator_ids() == ("bup_30d", "fallskador_65")


def test_missing_field_is_named(tmp_path):
    message = error(tmp_path, GOAL.replace("    level: delmål\n", ""))
    assert "mål nr 1" in message and "'Fler barn får stöd" in message
    assert "fältet level: saknas" in message and "regionmål, nämndmål, delmål" in message


def test_missing_decision_says_what_to_write(tmp_path):
    body = GOAL.split("    decision:")[0] + "    year: 2024\n"
    message = error(tmp_path, body)
    assert "fältet decision: saknas" in message and "document:" in message


def test_wrong_level_lists_the_levels(tmp_path):
    message = error(tmp_path, GOAL.replace("level: delmål", "level: nämnd"))
    assert "fältet level: okänt värde 'nämnd'" in message
    assert "använd en av: regionmål, nämndmål, delmål, uppdrag" in message


def test_unknown_indicator_id_gets_the_closest_ids(tmp_path):
    message = error(tmp_path, GOAL + "    indicator:\n      id: bup_30\n")
    assert "fältet indicator.id: okänd indikator 'bup_30'" in message
    assert "närmast: bup_30d" in message


def test_unknown_related_id_is_named(tmp_path):
    message = error(tmp_path, GOAL + "    related: [fallskador]\n")
    assert "fältet related[1]: okänd indikator 'fallskador'" in message


@pytest.mark.parametrize("target", ["'80 %'", "åttio", "true", ".nan"])
def test_target_not_a_number(tmp_path, target):
    message = error(
        tmp_path,
        GOAL + f"    indicator:\n      id: bup_30d\n      target: {target}\n"
        "      target_kind: min\n",
    )
    assert "fältet indicator.target:" in message and "är inget tal" in message
    assert "skriv ett tal" in message


def test_target_without_kind_says_floor_or_ceiling(tmp_path):
    message = error(tmp_path, GOAL + "    indicator:\n      id: bup_30d\n      target: 80\n")
    assert "fältet indicator.target_kind: saknas" in message and "min" in message


def test_a_share_over_100_is_refused(tmp_path):
    message = error(
        tmp_path,
        GOAL + "    indicator:\n      name: Andel\n      unit: procent\n"
        "      value: 130\n      source: Verksamhetsberättelsen\n",
    )
    assert "fältet indicator.value: 130 är en andel över 100 procent" in message


def test_too_many_goals(tmp_path):
    message = error(tmp_path, GOAL * (MAX_GOALS + 1))
    assert f"{MAX_GOALS + 1} mål, högst {MAX_GOALS}" in message


def test_a_long_text_is_refused_by_the_limit(tmp_path):
    message = error(tmp_path, GOAL.replace("Fler barn får stöd i första linjen", "ord " * 150))
    assert "fältet text" in message and "högst 400" in message


def test_the_region_must_match_the_file_name(tmp_path):
    path = write(tmp_path, GOAL)
    path.write_text(
        path.read_text(encoding="utf-8").replace("region: gotland", "region: skane"),
        encoding="utf-8",
    )
    with pytest.raises(NaravardError, match="region: är 'skane' men filen heter gotland.yaml"):
        G.parse(path, load_catalog())


def test_unknown_field_lists_the_fields(tmp_path):
    message = error(tmp_path, GOAL + "    status: delvis\n")
    assert "fältet status: okänt fält" in message and "region_status" in message


def test_the_safe_reader_refuses_aliases(tmp_path):
    message = error(tmp_path, GOAL.replace("text: Fler", "text: &a Fler") + "  - text: *a\n")
    assert "alias" in message


# --- through the command -----------------------------------------------------------------------


def _tiny_snapshot(directory: Path) -> Path:
    (directory / "data").mkdir(parents=True)
    values = [
        {
            "kpi": "N79173",
            "municipality": code,
            "period": 2023,
            "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
        }
        for code, value in (("0000", 81.0), ("0009", 70.0))
    ]
    (directory / "data" / "N79173.json").write_text(
        json.dumps({"values": values, "count": 2, "next_url": None, "previous_url": None}),
        encoding="utf-8",
    )
    (directory / "municipality.json").write_text(
        json.dumps(
            {
                "values": [
                    {"id": "0000", "title": "Riket", "type": "L"},
                    {"id": "0009", "title": "Gotland", "type": "L"},
                ],
                "count": 2,
            }
        ),
        encoding="utf-8",
    )
    return directory


def test_the_report_stops_with_one_line_and_writes_nothing(
    project_tmp, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("NARAVARD_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("NARAVARD_GOALS_DIR", str(tmp_path / "mal"))
    write(tmp_path / "mal", GOAL.replace("level: delmål", "level: delmal"))
    code = main(
        [
            "report",
            "--region",
            "Gotland",
            "--year",
            "2023",
            "--data",
            str(_tiny_snapshot(tmp_path / "tiny")),
        ]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith("fel: ") and "gotland.yaml: mål nr 1" in err[0]
    assert "fältet level: okänt värde 'delmal'" in err[0]
    written = [p for sub in ("output", "figures") for p in (project_tmp / sub).rglob("*")]
    assert written == []
