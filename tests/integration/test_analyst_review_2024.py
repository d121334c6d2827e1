"""The analyst's review of the rendered 2024 reports (issue 18): what a statistician would
not sign — values to check drawn as "nära riket", a one-sided national summary, working
notes in the text, a target split over two lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from naravard import charts
from naravard.charts import style
from naravard.config.regions import all_regions
from naravard.report import national_facts


@dataclass
class Ind:
    id: str = "aterinskrivning_30d"
    name: str = "Oplanerad återinskrivning inom 30 dagar"
    unit: str = "procent"
    direction: str = "lower"
    decimals: int = 0
    primary_source: str = "Patientregistret"
    target: float | None = None
    target_text: str | None = None
    min_change: float = 2.0


@pytest.fixture(scope="module")
def nat(snapshot_dir: Path):
    from naravard.report import national

    return national.prepare(2024, snapshot_dir, figures=None)


# --- 1. values to check have their own look ---------------------------------------------------


def test_heat_map_cell_to_check_is_grey_dotted_and_marked_not_near_riket():
    """N p.5: Östergötland's 14,2 % (a value to check) was as white as "nära riket"."""
    scores = pd.DataFrame({"A": [np.nan, 3.0, -40.0]}, index=["Öster", "Y", "Halland"])
    labels = pd.DataFrame({"A": ["14,2", "5,0", "7,4"]}, index=scores.index)
    verdicts = pd.DataFrame(
        {"A": [charts.TO_CHECK, "nära riket", "sämre än riket"]}, index=scores.index
    )
    chart = charts.heatmap_chart(scores, labels, title="T", verdicts=verdicts)
    ax = chart.fig.axes[0]
    cells = [p for p in ax.patches if p.get_width() == 1]
    assert [t.get_text() for t in ax.texts] == ["? 14,2", "≈ 5,0", "▼ 7,4"]
    assert np.allclose(cells[0].get_facecolor(), to_rgba(style.CHECK_FACE))
    assert cells[0].get_hatch() and not cells[1].get_hatch()
    assert not np.allclose(cells[0].get_facecolor(), to_rgba(style.NEAR_FACE))
    assert "? värde att kontrollera" in chart.fig.get_supxlabel()
    assert "värde att kontrollera" in chart.caption and "att kontrollera" in chart.alt


def test_tile_map_value_to_check_is_grey_dotted_and_marked():
    """N p.6: Gotland 77 % and Gävleborg 70 % (values to check) looked like any other tile."""
    regions = all_regions()
    values = {r.code: 17.0 for r in regions}
    values["0009"] = 25.0
    chart = charts.tile_map_chart(
        values, Ind(), regions, year=2024, riket=17.0, size=(8.5, 11.0), to_check=["0009"]
    )
    order = [r.code for r in regions if r.tile[0] >= 0]
    tiles = [p for p in chart.fig.axes[0].patches if p.get_fill()]
    gotland = tiles[order.index("0009")]
    assert np.allclose(gotland.get_facecolor(), to_rgba(style.CHECK_FACE))
    assert gotland.get_hatch()
    assert "?\u202f25\u00a0%" in {t.get_text() for t in chart.fig.axes[0].texts}
    assert "värde att kontrollera" in chart.caption
    assert "att kontrollera" in chart.alt and "Gotland" in chart.alt
    assert "0 bättre, 20 nära riket, 0 sämre" in chart.alt  # Gotland not judged


def test_tile_map_colour_bar_shows_each_tiles_colour():
    """N p.10: six tiles at 15 % were lila ▲ against Riket's 17 % (min_change 2, whole
    percent), while the colour bar showed 15–19 all white."""
    regions = all_regions()
    values = {r.code: [15.0, 17.0, 19.0, 16.0, 18.0, 21.0][i % 6] for i, r in enumerate(regions)}
    chart = charts.tile_map_chart(values, Ind(), regions, year=2024, riket=17.0, size=(8.5, 11.0))
    order = [r.code for r in regions if r.tile[0] >= 0]
    tiles = [p for p in chart.fig.axes[0].patches if p.get_fill()]
    mesh = chart.fig.axes[1]._colorbar  # the bar as drawn: its colours and scale
    lo, hi = chart.fig.axes[1].get_ylim()
    for code, tile in zip(order, tiles):
        assert lo <= values[code] <= hi
        on_bar = mesh.cmap(mesh.norm(values[code]))
        assert np.allclose(tile.get_facecolor(), on_bar, atol=0.02), (code, values[code])


def test_national_heat_rows_and_maps_mark_values_to_check(nat):
    from naravard.report import national

    ind = nat.catalog.get("vardplatser_utskrivningsklara")
    _rel, labels, verdicts = national._heat_rows(nat, [ind])
    assert verdicts.loc["Östergötland", ind.name] == charts.TO_CHECK
    assert labels.loc["Östergötland", ind.name].startswith("14,2")
    assert verdicts.loc["Halland", ind.name] != charts.TO_CHECK


# --- 2. the national summary counts both ways, by one rule -------------------------------------


def test_national_summary_counts_riket_improvements_and_deteriorations_by_one_rule(nat):
    """N p.2 listed five improvements for Riket, no deterioration, and not how they were
    chosen. Every judged indicator is counted by `riket_change` (change_judgement with
    min_change), both ways, and the rule is said."""
    from naravard.analysis.judgements import change_judgement

    sentences = national_facts.riket_change_sentences(nat)
    said = " ".join(sentences)
    better, worse, unclear = [], [], 0
    for ind in nat.catalog.kolada():
        rc = national_facts.riket_change(nat, ind)
        if ind.direction == "neutral" or rc is None or rc.before is None or rc.broken:
            continue
        threshold = ind.min_change if ind.min_change_riket is None else ind.min_change_riket
        word, counts = change_judgement(rc.now - rc.before, ind.direction, threshold, ind.decimals)
        if counts:
            (better if word == "förbättring" else worse).append(ind.short)
        else:
            unclear += 1
    assert worse, "the 2024 data has deteriorations in Riket; the summary must show them"
    assert sentences[0] == (
        f"I riket förbättrades {len(better)} och försämrades {len(worse)} av "
        f"{len(better) + len(worse) + unclear} indikatorer mellan 2023 och 2024, räknat där "
        "förändringen är minst den minsta som räknas för indikatorn i riket; "
        f"för {unclear} syns ingen tydlig förändring."
    )
    assert all(f"{name} (" in said for name in better + worse)
    improved = next(s for s in sentences if s.startswith("Förbättring i riket"))
    worsened = next(s for s in sentences if s.startswith("Försämring i riket"))
    assert "positiva till digital vård (−1,5\u00a0p.e.)" in worsened
    assert "positiva till digital vård" not in improved
    summary = national_facts.summary_sentences(nat)
    assert sentences[0] in summary and worsened in summary


# --- 3. no working-note words a reader must not see ---------------------------------------------

WORKING_NOTES = (
    "regionernas egna filer",
    "katalogens definition",
    "där en svarsfil finns",
    "har lämnat in sina svar",
    "Excelfilerna",
    "verksamhetsberättelse",
    "Region Västerbotten 2024",
    "Kommentar till fråga 18",
)


@pytest.fixture(scope="module")
def vb(snapshot_dir: Path):
    from naravard.report import region as report

    return report.prepare("Västerbotten", 2024, snapshot_dir, figures=None, previous=None)


def test_no_working_note_words_in_the_national_or_region_text(nat, vb):
    from naravard.report import blocks, national

    pages = {
        "targets": national.targets_html(nat),
        "profiles": national.profiles_html(nat),
        "questionnaire": national.questionnaire_html(nat),
        "about": national.about_html(nat),
        "region about": str(blocks.about(vb)),
        "regional": str(blocks.regional(vb)),
        "region questionnaire": str(blocks.questionnaire(vb)),
    }
    for where, html in pages.items():
        for words in WORKING_NOTES:
            assert words not in html, (where, words)
    assert "Rapporten innehåller enkätsvaren från" in pages["questionnaire"]
    assert "samma som regionerna använder för sina målvärden" in pages["about"]
    assert "tabellerna i Excel" in pages["about"]


def test_questionnaire_says_a_comment_heading_once_and_leaves_out_unanswered_free_text():
    """R p.28: "Fråga 18, kommentar. Kommentar till fråga 18" and "Fråga 22, övriga insatser
    … Obesvarad"."""
    from naravard.report.questionnaire import answers_html, load_answers, load_structure

    html = answers_html(load_structure(2024), load_answers("vasterbotten", 2024))
    assert "Fråga 18, kommentar.</h" in html or "Fråga 18, kommentar.</span></th>" in html
    assert "Kommentar till fråga" not in html
    assert "Fråga 35, kommentar. Jämförbarhet med föregående år och mätsätt" in html
    assert 'id="fraga-22-ovriga"' not in html
    assert not re.search(r'class="q-unanswered">Obesvarad', html)


# --- 4. a target's number keeps its unit -------------------------------------------------------


def test_target_keeps_its_percent_sign_on_the_numbers_line(nat, vb):
    """R p.23, O p.23: the region's own figures table wrapped "minst 55 / %"."""
    from naravard.report import blocks, national

    regional = str(blocks.regional(vb))
    assert "minst 55\u00a0%" in regional and "minst 55 %" not in regional
    targets = national.targets_html(nat)
    assert "minst 55\u00a0%" in targets and "minst 55 %" not in targets
