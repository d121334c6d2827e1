"""What the national report says, on the real snapshot: ties named, nothing judged across a
series break, no "0 av 0", differently measured figures marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from naravard.report import national
from naravard.report import exports, national_facts


@pytest.fixture(scope="module")
def rep(snapshot_dir: Path) -> national.NationalReport:
    return national.prepare(2024, snapshot_dir, figures=None)


def test_summary_names_every_region_tied_in_the_bottom_third(rep):
    text = " ".join(national_facts.summary_sentences(rep))
    # vårdtillfällen is neutral (not ranked) and a value to check (plausibility) is no place,
    # so Norrbotten has 22 places: 23 indicators less its flagged one
    assert "Norrbotten (14 av 22), Västernorrland (14 av 25) och Värmland (12 av 24)" in text


def test_riket_is_never_unchanged_across_a_series_break(rep):
    text = " ".join(national_facts.riket_change_sentences(rep))
    assert "oförändrad" not in text
    assert (
        "Tidsseriebrott 2024, så förändringen i riket bedöms inte, för telefonsvar samma "
        "dag (87,0 %), första kontakt inom 90 dagar (84,9 %), operation/åtgärd inom 90 "
        "dagar (83,8 %) och helhetsintryck av primärvården (80,1 %)."
    ).replace(" %", "\u00a0%") in text
    # Riket's survey has about 50 000 answers: +2,4 points counts there (min_change_riket),
    # while the same change would be inside the margin for one region
    assert "förtroende för vårdcentralerna (+2,4\u00a0p.e.)" in text
    # återinskrivning is published in whole percent: 16 → 17 can be rounding alone
    assert "återinskrivning" not in text


def test_targets_have_no_zero_of_zero_and_mark_other_definitions(rep):
    html = national.targets_html(rep)
    assert "0 av 0" not in html
    assert "Listade invånare per specialist i allmänmedicin: ingen region har värde 2024" in html
    assert "Målet gällde 2022 enligt överenskommelsen om god och nära vård 2021–2022" in html
    assert "(10\u00a0%*)" in html and "Västerbotten, invånare med fast läkarkontakt" in html
    assert "(46\u00a0%)" in html  # Örebro län, measured as the catalogue defines it


def test_export_has_the_judgement_columns(rep):
    frame = exports.national_frame(rep)
    for column in (
        "Placering",
        "Placering till",
        "Delar placering med antal regioner",
        "Förändringen räknas",
        "Bedömning",
        "Trend",
        "Måluppfyllelse",
        "Om målet",
        "Jämförbarhet",
        "Minsta förändring som räknas",
    ):
        assert column in frame.columns
    ater = frame[
        (frame["Indikator-id"] == "aterinskrivning_30d") & (frame["Region"] == "Västerbotten")
    ].iloc[0]
    assert (
        ater["Placering"],
        ater["Placering till"],
        ater["Delar placering med antal regioner"],
    ) == (1, 6, 5)
    neutral = frame[frame["Indikator-id"] == "vardplatser"]
    assert neutral["Placering"].isna().all()


def test_export_numbers_are_at_the_published_precision(rep):
    frame = exports.national_frame(rep)
    decimals = {i.id: i.decimals for i in rep.catalog.kolada()}
    for column in ("Värde", "Riket", "Skillnad mot riket (riktningsjusterad)", "Förändring"):
        for value, ind in zip(frame[column], frame["Indikator-id"]):
            if value == value:  # not NaN
                assert value == round(value, decimals[ind]), (column, ind, value)


def test_riket_in_the_indicator_sentences_follows_the_same_rule_as_the_summary(rep):
    """One rule for Riket's change: min_change_riket where set, series breaks not judged."""
    trust = " ".join(national_facts.indicator_sentences(rep, rep.catalog.get("fortroende_vc")))
    assert "Riket ökade från 60,6\u00a0% 2023 till 63,0\u00a0% 2024." in trust
    phone = " ".join(national_facts.indicator_sentences(rep, rep.catalog.get("telefon_samma_dag")))
    assert "tidsseriebrott mellan 2023 och 2024 gör att förändringen inte bedöms" in phone
    ater = " ".join(national_facts.indicator_sentences(rep, rep.catalog.get("aterinskrivning_30d")))
    assert "i stort sett som 2023" in ater
    for ind in rep.catalog.kolada():
        rc = national_facts.riket_change(rep, ind)
        if rc is None or rc.before is None or rc.broken:
            continue
        said = " ".join(national_facts.indicator_sentences(rep, ind))
        assert ("i stort sett som" in said) == (not rc.counts), ind.id


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (0, []),
        (1, [1]),
        (4, [4]),
        (5, [3, 2]),
        (6, [3, 3]),
        (7, [4, 3]),
        (8, [4, 4]),
        (9, [3, 3, 3]),
    ],
)
def test_change_tables_are_split_evenly_with_at_most_four_columns(n, sizes):
    """Six indicators a table ran into each other; a last table of one held a page alone."""
    parts = national.even_parts(list(range(n)), national.CHANGE_COLUMNS)
    assert [len(p) for p in parts] == sizes
    assert [i for p in parts for i in p] == list(range(n))
