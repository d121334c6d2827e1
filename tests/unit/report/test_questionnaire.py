"""Socialstyrelsen's questionnaire: structure, shipped answers, validation, output, CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from naravard.core import paths
from naravard.cli import main
from naravard.core.errors import NaravardError
from naravard.report.questionnaire import (
    AREA_KEYS,
    answers_html,
    answers_table,
    check_file,
    load_answers,
    load_structure,
    national_counts,
    national_overview,
    read_answers,
    unanswered,
    validate_answers,
    write_template,
)

SHIPPED = {
    "vasterbotten": paths.questionnaire_dir() / "answers" / "vasterbotten" / "2024.yaml",
    "orebro-lan": paths.questionnaire_dir() / "answers" / "orebro-lan" / "2024.yaml",
}


@pytest.fixture(scope="module")
def structure():
    return load_structure(2024)


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _minimal(region: str = "orebro-lan", **answers) -> dict:
    return {"region": region, "year": 2024, "answers": answers}


def _fill(structure) -> dict:
    """A valid answer for every answerable question, built from the structure alone."""
    out = {}
    for q in structure.answerable():
        if q.type in ("yes_no", "yes_no_partly"):
            out[q.id] = {"answer": q.choices[0]}
        elif q.type == "grid":
            out[q.id] = {"answer": {r.id: q.choices[-1] for r in q.rows}}
        elif q.type == "checkboxes":
            other = next((o for o in q.options if o.other), None)
            first = q.options[0]
            entry = {"answer": [first.id] + ([other.id] if other else [])}
            if other:
                entry["other"] = "Något annat"
            out[q.id] = entry
        elif q.type == "number":
            out[q.id] = {"answer": 12.5}
        else:
            out[q.id] = {"answer": f"Svar på fråga {q.id}."}
    return out


# --- structure ---------------------------------------------------------------------------------


def test_structure_has_every_numbered_and_lettered_question(structure):
    ids = structure.ids()
    for n in range(1, 39):
        assert str(n) in ids
    for sub in ["1a", "1b", "1c", "1d", "2a", "7a", "8a", "10a", "20a", "29a", "30a"]:
        assert sub in ids
    assert {"22-ovriga", "18-kommentar", "35-kommentar"} <= set(ids)
    assert [p.id for p in structure.parts] == ["A", "B", "C"]
    assert structure.get("1").type == "heading"
    assert structure.get("13").choices == ("Ja", "Nej", "Delvis")
    assert structure.get("35").unit == "procent" and structure.get("35").max == 100
    assert structure.get("4").choices[-1].startswith("Nej, men")


def test_structure_related_indicators_exist_in_catalogue(structure):
    from naravard.config.catalog import load_catalog

    known = {i.id for i in load_catalog()}
    for q in structure:
        assert q.area in AREA_KEYS
        assert set(q.related_indicators) <= known, q.id
    assert structure.get("35").related_indicators[0] == "fast_lakarkontakt_andel"
    assert "listade_per_specialist" in structure.get("30").related_indicators


def test_unknown_year_is_a_clear_error():
    with pytest.raises(NaravardError, match="ingen enkätstruktur för 1999.*2024"):
        load_structure(1999)


# --- shipped answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_shipped_answers_validate(slug, structure, capsys):
    answers = load_answers(slug, 2024)
    assert answers is not None and answers.region == slug and answers.year == 2024
    assert check_file(SHIPPED[slug]) == 0
    assert capsys.readouterr().out.startswith("OK")


def test_orebro_answers_as_the_form_shows_them():
    a = load_answers("Örebro län", 2024)
    assert a.get("5").value == "Nej"
    assert a.get("6").value == "Ja"
    assert a.get("35").value == 46
    assert a.get("36").value == 140441
    assert a.get("13").value == {
        "fortsatt_vard": "Delvis",
        "bedomning_hemma": "Delvis",
        "utskrivning": "Ja",
    }
    assert a.get("8").value["samverkan"] == "Ja" and a.get("8").value["kontinuitet"] == "Nej"
    assert a.get("29a").value == ("spec_allmanmedicin", "spec_annan", "st_allmanmedicin", "annan")
    assert a.get("22").value["hembesok"] is None
    assert a.get("18").unclear == ("infort_brett",)


def test_vasterbotten_answers_record_what_the_text_supports():
    a = load_answers("vasterbotten", 2024)
    assert a.get("5").value == "Nej"
    assert a.get("28").value == "Nej"
    assert a.get("35").value == 18 and a.get("35").source
    assert a.get("38").not_available is True and a.get("38").value is None
    assert a.get("6").comment  # "i viss utsträckning" is flagged, not silently a plain Ja
    assert a.get("32").value is None and a.get("32").comment


def test_region_without_file_has_no_answers(tmp_path):
    assert load_answers("Stockholm", 2024, answers_dir=tmp_path) is None


# --- validation errors -------------------------------------------------------------------------

ERROR_CASES = [
    ("unknown question", {"99": {"answer": "Ja"}}, r"fråga 99 finns inte"),
    ("text for a number", {"35": {"answer": "46 %"}}, r"fråga 35, fältet answer: ska vara ett tal"),
    ("list for yes/no", {"5": {"answer": ["Ja"]}}, r"fråga 5, fältet answer: .*Ja, Nej.*lista"),
    ("unknown choice", {"5": {"answer": "Kanske"}}, r"fråga 5, .*'Kanske'.*tillåtna är Ja, Nej"),
    (
        "partly not allowed",
        {
            "8": {
                "answer": {
                    r: "Delvis"
                    for r in (
                        "samverkan",
                        "delaktighet",
                        "tillganglighet",
                        "kontinuitet",
                        "primarvarden_nav",
                        "halsoframjande",
                    )
                }
            }
        },
        r"fråga 8, .*raden samverkan.*tillåtna är Ja, Nej",
    ),
    (
        "unknown checkbox",
        {"34": {"answer": ["brev"]}},
        r"fråga 34, .*'brev' finns inte; tillåtna är via_1177, annat",
    ),
    (
        "grid row missing",
        {"33": {"answer": {"lakarkontakt": "Ja"}}},
        r"fråga 33, .*raden vardkontakt .* saknas",
    ),
    (
        "grid row unknown",
        {"33": {"answer": {"lakarkontakt": "Ja", "vardkontakt": "Nej", "tandvard": "Ja"}}},
        r"fråga 33, .*raden 'tandvard' finns inte; raderna är lakarkontakt, vardkontakt",
    ),
    ("percent above 100", {"35": {"answer": 146}}, r"fråga 35, .*146 ligger utanför.*0–100"),
    ("negative count", {"36": {"answer": -3}}, r"fråga 36, .*-3 ligger utanför"),
    (
        "number and not available",
        {"35": {"answer": 46, "not_available": True}},
        r"fråga 35: både ett tal och not_available",
    ),
    ("bool for yes/no", {"5": {"answer": True}}, r"fråga 5, .*sanningsvärdet"),
    ("heading answered", {"1": {"answer": "text"}}, r"fråga 1: .*rubrik.*1a–1d"),
    ("unknown field", {"5": {"answer": "Ja", "svar": "Nej"}}, r"fråga 5: okänt fält 'svar'"),
    (
        "exclusive option",
        {"18": {"answer": ["inga", "forsok"]}},
        r"fråga 18, .*inga .*kan inte kombineras",
    ),
    (
        "other without option",
        {"34": {"answer": ["via_1177"], "other": "brev"}},
        r"fråga 34, fältet other",
    ),
    ("dict for text", {"12": {"answer": {"a": 1}}}, r"fråga 12, fältet answer: ska vara en text"),
]


@pytest.mark.parametrize("name,answers,pattern", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_validation_errors_name_file_question_and_field(tmp_path, name, answers, pattern):
    path = _write(tmp_path / "orebro-lan" / "2024.yaml", _minimal(**answers))
    with pytest.raises(NaravardError) as info:
        read_answers(path)
    message = str(info.value)
    assert "\n" not in message
    assert "2024.yaml" in message
    assert re.search(pattern, message), message


def test_yaml_error_names_the_line(tmp_path):
    path = tmp_path / "2024.yaml"
    path.write_text(
        'region: orebro-lan\nyear: 2024\nanswers:\n  "5": [Ja\n  "6": Nej\n', encoding="utf-8"
    )
    with pytest.raises(NaravardError, match=r"2024.yaml rad \d+: ogiltig YAML"):
        read_answers(path)


def test_region_folder_must_match_content(tmp_path):
    path = _write(tmp_path / "vasterbotten" / "2024.yaml", _minimal("orebro-lan"))
    with pytest.raises(
        NaravardError, match="mappen vasterbotten stämmer inte med region orebro-lan"
    ):
        read_answers(path)


def test_year_in_file_name_must_match_content(tmp_path):
    path = _write(tmp_path / "orebro-lan" / "2023.yaml", _minimal())
    with pytest.raises(NaravardError, match="filnamnet säger 2023 men year är 2024"):
        read_answers(path)


def test_unknown_region_and_missing_year(tmp_path):
    with pytest.raises(NaravardError, match="fältet region: okänd region"):
        validate_answers({"region": "Atlantis", "year": 2024, "answers": {}})
    with pytest.raises(NaravardError, match="fältet year saknas"):
        validate_answers({"region": "orebro-lan", "answers": {}})


def test_choices_are_case_insensitive_and_keys_may_be_numbers(structure):
    a = validate_answers(
        {
            "region": "Örebro län",
            "year": 2024,
            "answers": {5: "nej", "34": {"answer": ["Via 1177.se"]}},
        },
        structure,
    )
    assert a.region == "orebro-lan"
    assert a.get("5").value == "Nej"
    assert a.get("34").value == ("via_1177",)


# --- rendering ---------------------------------------------------------------------------------


def test_html_escapes_everything_from_the_answer_file(structure):
    evil = "<script>alert('x')</script>"
    a = validate_answers(
        _minimal(
            **{
                "12": {"answer": evil},
                "5": {"answer": "Ja", "comment": evil, "details": evil},
                "34": {"answer": ["annat"], "other": evil},
                "35": {"answer": 46, "source": evil},
            }
        )
        | {"source": evil},
        structure,
    )
    html = answers_html(structure, a)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert html.count("&lt;script&gt;") >= 6


def test_html_writes_answers_in_words(structure):
    a = load_answers("orebro-lan", 2024)
    html = answers_html(structure, a)
    row5 = html[html.index('id="fraga-5"') :]
    row5 = row5[: row5.index("</tr>")]
    assert "Fråga 5.</span>" in row5 and "<strong>Nej</strong>" in row5
    assert "Delvis" in html
    # each option once, in words: what was chosen, what was not, what is unclear
    assert "Valt: Specialist i allmänmedicin" in html
    assert "Inte valt: " in html and "Hyrläkare" in html
    assert "Oklart om valt: " in html
    assert (
        html.count("Specialist i allmänmedicin,") + html.count("Specialist i allmänmedicin<") <= 2
    )
    assert '<th scope="row">Stöd när patienten skrivs ut från sjukhus</th><td>Ja</td>' in html
    assert "46\u00a0%" in html and "140\u00a0441" in html
    for part in ("Del A", "Del B", "Del C"):
        assert f"<h2>{part}" in html


def test_html_has_no_working_notes_and_lists_interpretations(structure):
    a = load_answers("vasterbotten", 2024)
    html = answers_html(structure, a)
    for note in ("Anmärkning", "framgår av rubriken", "tolkat som", "(L7", "ingen kryssruta"):
        assert note not in html, note
    assert html.count("Tolkningar") == 1
    assert "är utlästa ur regionens rubriker och text" in html
    assert "Fråga 6: Regionen skriver att den" in html  # the substance of the note stays
    free = a.get("1a").value.split()[0]
    assert html.count(free) == 1  # free text once


def test_html_selects_by_area_or_question(structure):
    a = load_answers("orebro-lan", 2024)
    html = answers_html(structure, a, area="kontinuitet")
    assert "Fråga 35." in html and "Fråga 5." not in html
    assert "Del A" in html  # 1c belongs to kontinuitet
    only = answers_html(structure, a, questions=["16"])
    assert "Fråga 16." in only and "Fråga 15." not in only and "Del A" not in only
    assert answers_html(structure, a, questions=[]) == ""


def test_html_shows_related_indicator_values(structure):
    a = load_answers("orebro-lan", 2024)
    table = pd.DataFrame(
        [
            {
                "indicator_id": "fast_lakarkontakt_andel",
                "name": "Fast läkarkontakt",
                "value": 44.5,
                "unit": "procent",
                "decimals": 1,
                "year": 2024,
            }
        ]
    )
    html = answers_html(structure, a, questions=["35"], indicator_table=table)
    assert "Relaterade indikatorer: Fast läkarkontakt 44,5\u00a0% (2024)" in html
    assert "mäter samma sak" not in html
    assert "Fast läkarkontakt" in html and "44,5" in html


def test_unanswered_follow_up_depends_on_main_answer(structure):
    a = validate_answers(_minimal(**{"2": "Nej", "7": "Ja"}), structure)
    missing = {q.id for q, _ in unanswered(structure, a)}
    assert "2a" not in missing  # Nej on 2: 2a is not expected
    assert "7a" in missing
    assert "18-kommentar" not in missing  # optional
    assert "1" not in missing  # heading


def test_answers_table_is_flat(structure):
    a = load_answers("orebro-lan", 2024)
    table = answers_table(structure, a)
    assert list(table.columns)[:3] == ["del", "avsnitt", "fråga"]
    row = table[
        (table["fråga"] == "13") & (table["rad"] == "Stöd när patienten skrivs ut från sjukhus")
    ]
    assert row["svar"].tolist() == ["Ja"]
    assert table.loc[table["fråga"] == "35", "svar"].tolist() == ["46\u00a0%"]
    assert set(table.loc[table["fråga"] == "29a", "svar"]) == {"valt", "inte valt"}
    assert not table["svar"].astype(str).str.contains("\n\n\n").any()


# --- template ----------------------------------------------------------------------------------


def test_template_round_trip(tmp_path, structure, capsys):
    path = write_template("Örebro län", 2024, out=tmp_path / "orebro-lan" / "2024.yaml")
    text = path.read_text(encoding="utf-8")
    assert "# 35. Andel av befolkningen" in text
    assert "Välj ett: Ja | Nej" in text
    assert "#   via_1177: Via 1177.se" in text

    assert check_file(path) == 0
    out = capsys.readouterr().out
    expected = [q for q in structure.answerable() if not q.optional]
    assert f"Obesvarade frågor ({len(expected)} av {len(expected)})" in out
    for q in expected:
        assert f"  {q.label}. {q.title}" in out

    data = yaml.safe_load(text)
    assert set(data["answers"]) == {q.id for q in structure.answerable()}
    data["answers"] = _fill(structure)
    _write(path, data)
    assert check_file(path) == 0
    out = capsys.readouterr().out
    assert "Alla" in out and "Obesvarade" not in out
    assert unanswered(structure, read_answers(path)) == []


def test_template_refuses_to_overwrite_without_force(tmp_path):
    path = write_template("vasterbotten", 2024, out=tmp_path / "mall.yaml")
    path.write_text("# ändrad\n", encoding="utf-8")
    with pytest.raises(NaravardError, match="finns redan; använd --force"):
        write_template("vasterbotten", 2024, out=path)
    assert path.read_text(encoding="utf-8") == "# ändrad\n"
    write_template("vasterbotten", 2024, out=path, force=True)
    assert "region: vasterbotten" in path.read_text(encoding="utf-8")


def test_template_default_path(tmp_path, monkeypatch):
    qdir = tmp_path / "questionnaire"
    qdir.mkdir()
    shutil.copy(paths.questionnaire_dir() / "2024.yaml", qdir / "2024.yaml")
    monkeypatch.setattr(paths, "questionnaire_dir", lambda: qdir)
    path = write_template("Gotland", 2024)
    assert path == qdir / "answers" / "gotland" / "2024.yaml"
    assert load_answers("gotland", 2024) is not None


# --- national ----------------------------------------------------------------------------------


def test_national_overview_and_counts(tmp_path, structure):
    _write(
        tmp_path / "orebro-lan" / "2024.yaml",
        _minimal(
            **{
                "5": "Nej",
                "6": "Ja",
                "4": "Nej, men förslag finns framtaget",
                "13": {
                    "answer": {
                        "fortsatt_vard": "Delvis",
                        "bedomning_hemma": "Ja",
                        "utskrivning": None,
                    }
                },
                "34": {"answer": ["via_1177"]},
            }
        ),
    )
    _write(
        tmp_path / "gotland" / "2024.yaml",
        _minimal(
            "gotland",
            **{
                "5": "Ja",
                "6": "Ja",
                "13": {
                    "answer": {
                        "fortsatt_vard": "Delvis",
                        "bedomning_hemma": "Nej",
                        "utskrivning": "Ja",
                    }
                },
            },
        ),
    )
    overview = national_overview(
        2024, regions=["Örebro län", "Gotland", "Stockholm"], answers_dir=tmp_path
    )
    assert list(overview.index) == ["Örebro län", "Gotland", "Stockholm"]
    assert overview.loc["Örebro län", "5"] == "Nej"
    assert overview.loc["Stockholm", "5"] == "–"
    assert overview.loc["Gotland", "7"] == "obesvarad"
    assert overview.loc["Örebro län", "13:utskrivning"] == "obesvarad"
    assert overview.loc["Örebro län", "34:via_1177"] == "Ja"
    assert overview.loc["Örebro län", "34:annat"] == "Nej"
    assert overview.loc["Gotland", "34:annat"] == "obesvarad"

    counts = national_counts(overview)
    assert counts.loc["5", ["Ja", "Nej", "Delvis", "obesvarad", "ingen svarsfil"]].tolist() == [
        1,
        1,
        0,
        0,
        1,
    ]
    assert counts.loc["6", "Ja"] == 2
    assert counts.loc["13:fortsatt_vard", "Delvis"] == 2
    assert counts.loc["13:utskrivning", ["Ja", "obesvarad"]].tolist() == [1, 1]
    assert counts.loc["4", "annat svar"] == 1
    assert counts.loc["5", "rubrik"].startswith("5. ")
    assert (
        counts[["Ja", "Nej", "Delvis", "annat svar", "obesvarad", "ingen svarsfil"]].sum(axis=1)
        == 3
    ).all()


def test_national_overview_default_is_all_regions():
    overview = national_overview(2024)
    assert len(overview) == 21
    assert overview.loc["Örebro län", "5"] == "Nej"
    assert overview.loc["Västerbotten", "37"] == "Nej"


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_check_shipped_files(capsys):
    for path in SHIPPED.values():
        assert main(["questionnaire", "check", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_cli_check_broken_file(tmp_path, capsys):
    path = _write(tmp_path / "orebro-lan" / "2024.yaml", _minimal(**{"5": "Kanske"}))
    assert main(["questionnaire", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fel: ") and "fråga 5" in err and err.count("\n") == 1


def test_cli_check_missing_file(tmp_path, capsys):
    assert main(["questionnaire", "check", str(tmp_path / "saknas.yaml")]) == 2
    assert "filen finns inte" in capsys.readouterr().err


def test_cli_template(tmp_path, capsys):
    out = tmp_path / "mall.yaml"
    assert (
        main(
            ["questionnaire", "template", "--region", "Skåne", "--year", "2024", "--out", str(out)]
        )
        == 0
    )
    assert out.is_file()
    assert (
        main(
            ["questionnaire", "template", "--region", "Skåne", "--year", "2024", "--out", str(out)]
        )
        == 2
    )
