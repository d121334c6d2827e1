"""The region among its peers: sjukvårdsregioner as data, JAMFOR groups, places, words, charts.

Hand-derived values: Västerbotten's 2024 values beside Norra's other three regions come from
the issue's reading of Kolada (utskrivningsklara 65+ 157 against 46 in Jämtland Härjedalen;
överbeläggningar 11,2 against 8,9 in Norrbotten), checked against the snapshot's raw files.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from naravard.analysis.peers import group_bests, group_thirds, peer_columns
from naravard.cli import main
from naravard.config import peer_groups as G
from naravard.config import sjukvardsregioner as S
from naravard.config.regions import by_code, get_region
from naravard.core.errors import NaravardError
from naravard.wording import peers as W

REPO = Path(__file__).resolve().parents[3]


def codes(*names: str) -> tuple[str, ...]:
    return tuple(sorted(get_region(n).code for n in names))


# --- sjukvårdsregioner as data ----------------------------------------------------------------


def test_the_six_sjukvardsregioner_as_targets_md_lists_them():
    entries = {e.name: e.members for e in S.load()}
    assert len(entries) == 6
    assert entries["Norra sjukvårdsregionen"] == codes(
        "Norrbotten", "Västerbotten", "Jämtland Härjedalen", "Västernorrland"
    )
    assert entries["Uppsala–Örebro sjukvårdsregion"] == codes(
        "Uppsala", "Sörmland", "Värmland", "Örebro län", "Västmanland", "Dalarna", "Gävleborg"
    )
    assert entries["Stockholm–Gotlands sjukvårdsregion"] == codes("Stockholm", "Gotland")
    assert entries["Sydöstra sjukvårdsregionen"] == codes(
        "Östergötland", "Jönköpings län", "Kalmar"
    )
    assert entries["Västra sjukvårdsregionen"] == codes("Västra Götaland", "Halland")
    assert entries["Södra sjukvårdsregionen"] == codes("Skåne", "Blekinge", "Kronoberg", "Halland")


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FULL = """sjukvardsregioner:
  - namn: Alla
    regioner: [Stockholm, Uppsala, Sörmland, Östergötland, Jönköpings län, Kronoberg, Kalmar,
               Gotland, Blekinge, Skåne, Halland, Västra Götaland, Värmland, Örebro län,
               Västmanland, Dalarna, Gävleborg, Västernorrland, Jämtland Härjedalen,
               Västerbotten, Norrbotten]
"""


@pytest.mark.parametrize(
    "text, words",
    [
        (FULL.replace("Norrbotten]", "Norrboten]"), ["Norrboten", "närmast", "Norrbotten"]),
        (FULL.replace(", Norrbotten]", "]"), ["Norrbotten står inte i någon"]),
        (FULL + "  - namn: Extra\n    regioner: [Gotland]\n", ["Gotland står i", "delvis"]),
        (FULL.replace("regioner: [Stockholm,", "regioner: [Stockholm, Stockholm,"), ["två gånger"]),
        ("sjukvardsregioner: {}\n", ["lista"]),
    ],
)
def test_a_faulty_sjukvardsregioner_file_is_one_line_naming_the_file(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(NaravardError) as err:
        S.load(path)
    message = str(err.value)
    assert "\n" not in message and "s.yaml" in message
    for word in words:
        assert word in message


def test_halland_is_compared_with_both_of_its_sjukvardsregioner_and_says_so():
    group = G.resolve(get_region("Halland"), defaults=Path("/nonexistent"))
    assert group.members == codes("Västra Götaland", "Halland", "Skåne", "Blekinge", "Kronoberg")
    assert group.name == "Västra och Södra sjukvårdsregionerna"
    assert "två sjukvårdsregioner" in group.note
    assert "norra delen till Västra" in group.note and "södra delen till Södra" in group.note


# --- JAMFOR groups ----------------------------------------------------------------------------


def test_a_group_always_holds_the_region_and_lists_each_member_once():
    vb = get_region("Västerbotten")
    group = G.from_names(vb, "Norrbotten, gotland; Region Gotland", "JAMFOR")
    assert group.members == codes("Västerbotten", "Norrbotten", "Gotland")
    assert group.kind == G.JAMFORELSEGRUPP and group.name == "jämförelsegruppen"
    assert group.jamfor == "Gotland, Norrbotten"
    assert G.from_names(vb, "Västerbotten, Norrbotten", "JAMFOR").members == codes(
        "Västerbotten", "Norrbotten"
    )


@pytest.mark.parametrize(
    "value, words",
    [
        ("Norrboten, Gotland", ["'Norrboten'", "närmast: Norrbotten"]),
        ("", ["tom"]),
        (" , ; ", ["tom"]),
        ("Västerbotten", ["bara av Västerbotten själv"]),
        ("region västerbotten, 24", ["bara av Västerbotten själv"]),
        ("Riket", ["riket, inte en region"]),
        ("Norrbotten, " * 100, ["högst"]),
    ],
)
def test_a_bad_group_is_refused_with_the_value_and_the_closest_names(value, words):
    with pytest.raises(NaravardError) as err:
        G.resolve(get_region("Västerbotten"), value)
    message = str(err.value)
    assert message.startswith("JAMFOR") and "\n" not in message
    for word in words:
        assert word in message


def test_jamfor_beats_the_defaults_file_which_beats_the_sjukvardsregion(tmp_path):
    defaults = _write(
        tmp_path, "jamforelsegrupper:\n  Västerbotten: Dalarna, Gotland\n", "jamforelsegrupper.yaml"
    )
    vb = get_region("Västerbotten")
    assert G.resolve(vb, "Skåne", defaults=defaults).members == codes("Västerbotten", "Skåne")
    from_file = G.resolve(vb, defaults=defaults)
    assert from_file.members == codes("Västerbotten", "Dalarna", "Gotland")
    assert "jamforelsegrupper.yaml" in from_file.source
    other = G.resolve(get_region("Norrbotten"), defaults=defaults)
    assert other.kind == G.SJUKVARDSREGION and other.name == "Norra sjukvårdsregionen"


def test_the_shipped_defaults_file_is_valid_and_empty():
    assert G.load_defaults() == {}


@pytest.mark.parametrize(
    "text, words",
    [
        ("jamforelsegrupper:\n  Västerbotn: Gotland\n", ["Västerbotn", "närmast: Västerbotten"]),
        ("jamforelsegrupper:\n  Västerbotten: Gotlnd\n", ["Västerbotten", "Gotlnd", "Gotland"]),
        ("jamforelsegrupper:\n  Västerbotten: Gotland\n  '0024': Skåne\n", ["två grupper"]),
        ("jamforelsegrupper:\n  Västerbotten: ''\n", ["tom"]),
        ("jamforelsegrupper: [Gotland]\n", ["en rad per region"]),
    ],
)
def test_a_faulty_defaults_file_is_one_line_naming_file_and_region(tmp_path, text, words):
    defaults = _write(tmp_path, text, "jamforelsegrupper.yaml")
    with pytest.raises(NaravardError) as err:
        G.resolve(get_region("Västerbotten"), defaults=defaults)
    message = str(err.value)
    assert "jamforelsegrupper.yaml" in message and "\n" not in message
    for word in words:
        assert word in message


# --- places among the peers -------------------------------------------------------------------


def _obs(values: dict[str, float], indicator: str = "x", year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"indicator_id": indicator, "region_code": c, "year": year, "value": v, "gender": "T"}
            for c, v in values.items()
        ]
    )


def _table(value: float, position: str, direction: str = "higher") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "x",
                "year": 2024,
                "source": "kolada",
                "value": value,
                "plausibility": "",
                "direction": direction,
                "decimals": 1,
                "position": position,
            }
        ]
    )


# 21 regions: Norra's four (0022–0025) placed by hand among 17 others with values 50..66
OTHERS = {
    c: 50.0 + i
    for i, c in enumerate(
        [
            "0001",
            "0003",
            "0004",
            "0005",
            "0006",
            "0007",
            "0008",
            "0009",
            "0010",
            "0012",
            "0013",
            "0014",
            "0017",
            "0018",
            "0019",
            "0020",
            "0021",
        ]
    )
}
NORRA = codes("Norrbotten", "Västerbotten", "Jämtland Härjedalen", "Västernorrland")


def test_places_among_the_peers_share_ties_as_the_national_place_does():
    values = OTHERS | {"0022": 40.0, "0023": 45.04, "0024": 45.0, "0025": 70.0}
    row = peer_columns(_table(45.0, "nedre"), _obs(values), NORRA, "0024").iloc[0]
    # 70 > 45,0 = 45,0 (45,04 published at one decimal) > 40: places 1, 2–3, 2–3, 4
    assert (row["peer_rank"], row["peer_rank_to"], row["peer_n_ranked"]) == (2, 3, 4)
    assert row["peer_n_tied"] == 1 and row["peer_tied_with"] == "Jämtland Härjedalen"
    assert W.place_cell(row) == ("2\u20133 av 4", True)
    assert (
        W.place_phrase(row, "Norra sjukvårdsregionen")
        == "delad plats 2\u20133 av 4 i Norra sjukvårdsregionen"
    )


@pytest.mark.parametrize(
    "norra, position, contrast",
    [
        ({"0022": 40.0, "0023": 41.0, "0024": 42.0, "0025": 43.0}, "nedre", "all_low"),
        ({"0022": 80.0, "0023": 81.0, "0024": 82.0, "0025": 83.0}, "övre", "all_high"),
        ({"0022": 40.0, "0023": 41.0, "0024": 58.0, "0025": 43.0}, "mellersta", "best"),
        ({"0022": 80.0, "0023": 81.0, "0024": 58.0, "0025": 83.0}, "mellersta", "worst"),
        (
            {"0022": 40.0, "0023": 41.0, "0024": 80.0, "0025": 43.0},
            "övre",
            "",
        ),  # best as nationally
        ({"0022": 40.0, "0023": 58.0, "0024": 58.0, "0025": 43.0}, "mellersta", ""),  # best, shared
    ],
)
def test_the_peer_contrast_is_said_only_where_it_adds_to_the_national_place(
    norra, position, contrast
):
    table = _table(norra["0024"], position)
    row = peer_columns(table, _obs(OTHERS | norra), NORRA, "0024").iloc[0]
    assert row["peer_contrast"] == contrast
    sentence = W.peer_sentence(row, "Västerbotten", "Norra sjukvårdsregionen", 4)
    assert bool(sentence) == bool(contrast)
    if contrast == "all_low":
        assert sentence == (
            "Alla fyra regionerna i Norra sjukvårdsregionen ligger i landets "
            "nedre tredjedel, Västerbotten på plats 2 av 4."
        )
    if contrast == "best":
        assert sentence == (
            "Västerbotten har det bästa värdet i Norra sjukvårdsregionen "
            "(plats 1 av 4) men ligger i landets mellersta tredjedel."
        )


def test_lower_is_better_and_a_value_to_check_gets_no_place():
    values = OTHERS | {"0022": 40.0, "0023": 41.0, "0024": 42.0, "0025": 43.0}
    row = peer_columns(_table(42.0, "övre", "lower"), _obs(values), NORRA, "0024").iloc[0]
    assert (row["peer_rank"], row["peer_n_ranked"]) == (3, 4)
    flagged = _table(42.0, "övre")
    flagged["plausibility"] = "hopp"
    row = peer_columns(flagged, _obs(values), NORRA, "0024").iloc[0]
    assert pd.isna(row["peer_rank"]) and W.place_cell(row) == ("", False)


def test_group_bests_counts_a_shared_best_for_each():
    national = pd.DataFrame(
        [
            {"indicator_id": i, "region_code": c, "rank": r, "n_ranked": 21, "plausibility": p}
            for i, c, r, p in (
                ("x", "0022", 3, ""),
                ("x", "0023", 3, ""),
                ("x", "0024", 9, ""),
                ("y", "0024", 2, ""),
                ("y", "0025", 5, ""),
                ("z", "0025", 1, "hopp"),
                ("z", "0024", 4, ""),
            )
        ]
    )
    bests, n = group_bests(national, NORRA)
    assert n == 2  # z: one member left once the value to check is set aside
    assert bests == {"0022": 1, "0023": 1, "0024": 1, "0025": 0}


def test_group_thirds_counts_the_members_in_each_third():
    national = pd.DataFrame(
        [
            {"indicator_id": "x", "region_code": c, "rank": r, "n_ranked": 21, "plausibility": ""}
            for c, r in (("0022", 21), ("0023", 20), ("0024", 15), ("0025", 1))
        ]
    )
    row = group_thirds(national, NORRA).iloc[0]
    assert (row["n"], row["ovre"], row["nedre"]) == (4, 1, 3)


# --- the real data: Västerbotten among Norra, Örebro län among Uppsala–Örebro ------------------


@pytest.fixture(scope="module")
def reports(snapshot_dir):
    from naravard.report import region

    return {
        name: region.prepare(name, 2024, snapshot_dir, figures=None, comments=False, previous=None)
        for name in ("Västerbotten", "Örebro län")
    }


def test_vasterbotten_is_placed_among_the_four_of_norra(reports):
    rep = reports["Västerbotten"]
    assert rep.peers.name == "Norra sjukvårdsregionen" and len(rep.peers.members) == 4
    t = rep.table.set_index("indicator_id")
    # utskrivningsklara 65+: 157 dygn per 1 000 against 46 in Jämtland Härjedalen; lower is better
    assert (
        t.at["utskrivningsklara_65", "peer_rank"],
        t.at["utskrivningsklara_65", "peer_n_ranked"],
    ) == (4, 4)
    # överbeläggningar 11,2 against 8,9 in Norrbotten: the last of four
    assert t.at["overbelaggningar", "peer_rank"] == 4
    assert set(t["peer_n_ranked"].dropna()) <= {0, 1, 2, 3, 4}


def test_orebro_lan_is_placed_among_the_seven_of_uppsala_orebro(reports):
    rep = reports["Örebro län"]
    assert rep.peers.name == "Uppsala–Örebro sjukvårdsregion" and len(rep.peers.members) == 7
    assert rep.table["peer_n_ranked"].max() == 7


def test_the_overview_export_and_manifest_carry_the_group(reports):
    from naravard.build.pipeline import region_job
    from naravard.report import exports, region

    rep = reports["Västerbotten"]
    html = region.overview_html(rep)
    assert "(i Norra)" in html and "(4 av 4)" in html
    about = region.about_html(rep)  # the group's regions, named once in Om underlaget
    assert "Norra sjukvårdsregionen: Västernorrland, Jämtland Härjedalen" in about
    frame = exports.region_frame(rep)
    row = frame.set_index("Indikator-id").loc["overbelaggningar"]
    assert row["Placering i gruppen"] == 4 and row["Antal i gruppen med värde"] == 4
    assert row["Jämförs med"].startswith("Norra sjukvårdsregionen (")
    job = region_job(rep, None)
    assert job.manifest_parameters["jamforelse"]["regioner"] == list(NORRA)
    assert job.parameters["jamfor"] is None


def test_a_new_group_makes_the_report_out_of_date(snapshot_dir, project_tmp):
    """make reports skips a report only when its manifest's inputs are the same: the group
    is one of them (build.batch.up_to_date)."""
    from naravard.build.manifest import same_inputs
    from naravard.build.pipeline import job_manifest, region_job
    from naravard.report import region

    def manifest(jamfor):
        rep = region.prepare(
            "Västerbotten",
            2024,
            snapshot_dir,
            figures=None,
            comments=False,
            previous=None,
            jamfor=jamfor,
        )
        return region_job(rep, None), job_manifest(region_job(rep, None), {})

    _, plain = manifest(None)
    job, chosen = manifest("Norrbotten, Gotland")
    assert job.parameters["jamfor"] == "Gotland, Norrbotten"
    assert chosen["parameters"]["jamforelse"]["typ"] == "jämförelsegrupp"
    assert not same_inputs(plain, chosen)
    assert same_inputs(chosen, manifest("Gotland, Norrbotten")[1])


def test_the_ranked_chart_marks_the_peers_without_colour(snapshot_dir, reports):
    from naravard import charts
    from naravard.analysis.indicators import series

    rep = reports["Västerbotten"]
    ind = rep.catalog.get("overbelaggningar")
    data = series(rep.obs, ind.id)
    data = data[data["year"] == 2024]
    chart = charts.ranked_chart(
        data,
        ind,
        "0024",
        2024,
        rep.region_names,
        peers=["0022", "0023", "0025"],
        peer_label="Norra sjukvårdsregionen",
    )
    bold = [
        a.get_text()
        for a in chart.foreground
        if hasattr(a, "get_fontweight") and a.get_fontweight() == "bold"
    ]
    for name in ("Norrbotten", "Västernorrland", "Jämtland Härjedalen"):
        assert any(name in t for t in bold), name
    assert "Övriga regioner i Norra sjukvårdsregionen har fet stil och svart kant" in chart.caption
    assert "Övriga i Norra sjukvårdsregionen: " in chart.alt
    plain = charts.ranked_chart(data, ind, "0024", 2024, rep.region_names)
    assert "Övriga" not in plain.caption and len(plain.foreground) < len(chart.foreground)
    assert charts.chart_png(chart)  # draws


def test_the_national_report_summarises_each_sjukvardsregion(snapshot_dir):
    from naravard.report import national, national_peers

    rep = national.prepare(2024, snapshot_dir, figures=None)
    found = national_peers.summaries(rep)
    assert [s["name"] for s in found][0] == "Norra sjukvårdsregionen"
    assert len(found) == 6
    south = next(s for s in found if s["name"] == "Södra sjukvårdsregionen")
    assert "Halland (södra delen)" in south["regions"]
    north = found[0]["lines"][-1]
    assert north.startswith("Det bästa värdet i sjukvårdsregionen har oftast ")
    html = national.profiles_html(rep)
    assert "Sjukvårdsregionerna" in html and "Uppsala–Örebro sjukvårdsregion" in html


# --- the command line: bad groups refused, nothing written -------------------------------------


def _state(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns)
        for sub in ("output", "figures")
        for p in (root / sub).rglob("*")
    }


@pytest.mark.parametrize("command", ["report", "reports"])
@pytest.mark.parametrize("value", ["Norrboten, Gotland", "", "Västerbotten"])
def test_a_bad_group_is_one_line_exit_2_and_the_output_untouched(
    project_tmp, capsys, monkeypatch, command, value
):
    from naravard.build import batch

    monkeypatch.setattr(batch, "_start_pool", lambda *a: pytest.fail("workers were started"))
    published = project_tmp / "output" / "vasterbotten" / "2024"
    published.mkdir(parents=True)
    (published / "rapport.pdf").write_bytes(b"%PDF the good one")
    before = _state(project_tmp)
    args = (
        ["report", "--region", "Västerbotten"]
        if command == "report"
        else ["reports", "--regions", "Västerbotten"]
    )
    code = main([*args, "--year", "2024", "--jamfor", value])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fel: JAMFOR="), err
    assert "Traceback" not in err
    assert _state(project_tmp) == before
    if value.startswith("Norrboten"):
        assert "Norrboten" in lines[0] and "närmast: Norrbotten" in lines[0]


def test_make_passes_jamfor_through_the_environment_only():
    """A value with shell syntax stays data (USER_VARS); JAMFOR= given empty is passed on."""
    env = dict(os.environ)
    env.pop("JAMFOR", None)

    def recipe(*args: str) -> str:
        proc = subprocess.run(
            ["make", "-n", "--no-print-directory", "report", "REGION=x", "YEAR=1", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return proc.stdout  # the naravard command, however many lines the recipe takes

    assert "--jamfor" not in recipe()
    assert '--jamfor "$JAMFOR"' in recipe("JAMFOR=")
    hostile = recipe("JAMFOR=a; `touch /tmp/x` $(id)")
    assert '--jamfor "$JAMFOR"' in hostile and "touch" not in hostile


def test_the_notebook_has_the_jamfor_parameter():
    nb = json.loads((REPO / "notebooks" / "regionrapport.ipynb").read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert "jamfor = None" in "".join(params["source"])
    assert by_code("0024").name == "Västerbotten"


def test_det_viktigaste_adds_the_peer_sentence_to_a_message_where_it_has_one(reports):
    from naravard.report import peers
    from naravard.wording.highlights import Message

    rep = reports["Västerbotten"]
    # första kontakt inom 90 dagar: 76,9 % is Norra's best (Norrbotten has no value) while
    # Västerbotten lies in the bottom third nationally (plats 13 av 19)
    messages = [
        Message("avstand", "forsta_kontakt_90d", "x", 1.0, headline="h"),
        Message("avstand", "overbelaggningar", "y", 1.0, headline="h"),
    ]
    first, second = peers.annotate(rep, messages)
    assert first.together == (
        "Västerbotten har det bästa värdet i Norra sjukvårdsregionen "
        "(plats 1 av 3) men ligger i landets nedre tredjedel.",
    )
    assert second.together == ()
    rules = dict(peers.rules(rep))
    assert "delar plats" in rules["Placering i sjukvårdsregionen"]


def test_make_reports_gives_every_region_the_jamfor_group(
    project_tmp, snapshot_dir, monkeypatch, capsys
):
    """`make reports JAMFOR=…`: each region's job carries the group with the region added
    (the jobs are only planned here: up_to_date says every report is current)."""
    from naravard.build import batch

    seen = {}

    def current(job):
        seen[job.label] = (
            job.parameters.get("jamfor"),
            job.manifest_parameters["jamforelse"]["regioner"],
        )
        return True

    monkeypatch.setattr(batch, "up_to_date", current)
    monkeypatch.setattr(batch, "_expected_jobs", lambda *a: 0)
    monkeypatch.setattr(batch, "_start_pool", lambda *a: pytest.fail("workers were started"))
    code = batch.run_batch(
        2024,
        snapshot_dir,
        regions=["Västerbotten", "Gotland"],
        national_report=False,
        jamfor="Norrbotten, Gotland",
        progress=False,
    )
    capsys.readouterr()
    assert code == 0
    assert seen == {
        "Västerbotten": (
            "Gotland, Norrbotten",
            list(codes("Västerbotten", "Norrbotten", "Gotland")),
        ),
        "Gotland": ("Norrbotten", list(codes("Gotland", "Norrbotten"))),
    }
