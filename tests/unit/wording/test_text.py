"""Swedish number formatting and generated sentences."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from naravard.core.errors import NaravardError
from naravard.wording.summary import summary_sentences
from naravard.wording.text import (
    fmt_change,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_rank,
    fmt_value,
    indicator_sentences,
    join_sv,
    plural,
)

NB = "\u00a0"
MINUS = "\u2212"


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    "x, decimals, expected",
    [
        (1234.5, 1, f"1{NB}234,5"),
        (1234567.891, 1, f"1{NB}234{NB}567,9"),
        (1234567.891, 0, f"1{NB}234{NB}568"),
        (-1234.56, 1, f"{MINUS}1{NB}234,6"),
        (0.05, 1, "0,1"),  # half up, not banker's rounding
        (0.25, 1, "0,3"),
        (12, 1, "12,0"),
        (0, 1, "0,0"),
        (-0.04, 1, "0,0"),  # never "−0,0"
        (999, 0, "999"),
        (np.float64(79.456), 2, "79,46"),
    ],
)
def test_fmt_number(x, decimals, expected):
    assert fmt_number(x, decimals) == expected


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, float("nan"), "abc"])
def test_missing_is_an_en_dash_never_zero_or_nan(missing):
    for text in (
        fmt_number(missing),
        fmt_percent(missing),
        fmt_value(missing, "antal", 0),
        fmt_change(missing, "procent"),
    ):
        assert text == "–"


def test_no_ascii_hyphen_or_plain_space_in_numbers():
    text = fmt_number(-98765.4)
    assert "-" not in text and " " not in text
    assert text == f"{MINUS}98{NB}765,4"


def test_fmt_percent():
    assert fmt_percent(79.5) == f"79,5{NB}%"
    assert fmt_percent(79.5, 0) == f"80{NB}%"


@pytest.mark.parametrize(
    "unit, x, decimals, expected",
    [
        ("procent", 79.5, 1, f"79,5{NB}%"),
        ("antal", 1234, 0, f"1{NB}234"),
        ("per_1000", 12.34, 1, f"12,3 per 1{NB}000 invånare"),
        ("per_100000", 12.34, 1, f"12,3 per 100{NB}000 invånare"),
        ("kronor", 12345, 0, f"12{NB}345{NB}kr"),
        ("invanare_per_lakare", 1100, 0, f"1{NB}100 invånare per läkare"),
        ("index", 101.25, 1, "101,3"),
    ],
)
def test_fmt_value(unit, x, decimals, expected):
    assert fmt_value(x, unit, decimals) == expected


def test_fmt_value_short_drops_long_suffixes_only():
    assert fmt_value(12.34, "per_1000", 1, short=True) == "12,3"
    assert fmt_value(1100, "invanare_per_lakare", 0, short=True) == f"1{NB}100"
    assert fmt_value(79.5, "procent", 1, short=True) == f"79,5{NB}%"


def test_fmt_change():
    assert fmt_change(1.23, "procent") == "+1,2 procentenheter"
    assert fmt_change(1.23, "procent", short=True) == f"+1,2{NB}p.e."
    assert fmt_change(-3, "antal", 0) == f"{MINUS}3"
    assert fmt_change(-1500, "kronor", 0) == f"{MINUS}1{NB}500{NB}kr"
    assert fmt_change(0, "antal", 1) == "±0,0"
    assert fmt_change(0.01, "procent") == "±0,0 procentenheter"
    assert fmt_change(2.5, "per_1000", 1) == f"+2,5 per 1{NB}000 invånare"


def test_rank_date_plural_join():
    assert fmt_rank(5, 21) == "5 av 21"
    assert fmt_rank(5.0, 21.0) == "5 av 21"
    assert fmt_rank(None, 21) == "–"
    assert fmt_date("2025-05-01") == "1 maj 2025"
    assert fmt_date("2024-12-24T10:11:12+00:00") == "24 december 2024"
    assert fmt_date("") == "–"
    with pytest.raises(NaravardError, match="ÅÅÅÅ-MM-DD"):
        fmt_date("första maj")
    assert plural(1, "indikator", "indikatorer") == "1 indikator"
    assert plural(3, "indikator", "indikatorer") == "3 indikatorer"
    assert join_sv(["A", "B", "C"]) == "A, B och C"
    assert join_sv(["A"]) == "A"


# ------------------------------------------------------------------ indicator sentences


def _row(**over):
    row = dict(
        name="Medicinsk bedömning inom tre dagar",
        unit="procent",
        direction="higher",
        decimals=1,
        year=2024,
        value=79.5,
        prev_year=2023,
        prev_value=75.3,
        change=4.2,
        change_judgement="förbättring",
        riket=82.0,
        rank=6,
        n_ranked=21,
        target=math.nan,
        target_text=None,
        target_kind=None,
        meets_target=None,
        kvinnor=math.nan,
        man=math.nan,
        gender_gap=math.nan,
    )
    row.update(over)
    return row


def test_improvement_sentence_matches_the_house_style():
    assert indicator_sentences(_row(), "Västerbotten") == [
        f"Andelen ökade från 75,3{NB}% (2023) till 79,5{NB}% (2024), en förbättring.",
        f"Regionen ligger på plats 6 av 21; riket låg på 82,0{NB}%.",
    ]


def test_worsening_for_higher_is_better():
    text = " ".join(
        indicator_sentences(_row(value=70.0, change=-5.3, change_judgement="försämring"), "X")
    )
    assert "minskade från 75,3" in text and "en försämring" in text


def test_lower_is_better_decrease_is_an_improvement():
    row = _row(
        name="Återinskrivning inom 30 dagar",
        direction="lower",
        value=15.0,
        prev_value=17.0,
        change=-2.0,
        change_judgement="förbättring",
    )
    text = indicator_sentences(row, "X")[0]
    assert text.startswith("Andelen minskade från 17,0")
    assert text.endswith("en förbättring.")
    # The words come from the judgement (judgements.change_judgement), never from the sign.
    up = indicator_sentences(_row(direction="lower", change_judgement="försämring"), "X")[0]
    assert "ökade" in up and "försämring" in up


def test_neutral_has_no_judgement_words_and_no_rank():
    row = _row(
        unit="per_1000",
        direction="neutral",
        value=110.2,
        prev_value=100.0,
        change=10.2,
        change_judgement="ökning",
        rank=math.nan,
        spread_min=90.0,
        spread_median=101.0,
        spread_max=130.0,
    )
    text = " ".join(indicator_sentences(row, "X"))
    assert "Värdet ökade från 100,0 per 1" in text
    for word in ("förbättring", "försämring", "plats", "bättre än", "sämre"):
        assert word not in text
    assert "ingen bättre riktning och rangordnas inte" in text
    assert f"mellan 90,0 per 1{NB}000 invånare och 130,0 per 1{NB}000 invånare" in text
    assert f"median 101,0 per 1{NB}000 invånare" in text
    assert f"regionen ligger över riket (82,0 per 1{NB}000 invånare)" in text


def test_change_below_min_change_is_no_clear_change():
    row = _row(
        value=78.8,
        prev_value=79.4,
        change=-0.6,
        min_change=3.0,
        change_judgement="ingen tydlig förändring",
    )
    first = indicator_sentences(row, "X")[0]
    assert first == (
        f"Andelen minskade från 79,4{NB}% (2023) till 78,8{NB}% (2024), mindre än "
        "3 procentenheter och därför ingen tydlig förändring."
    )
    same = indicator_sentences(
        _row(
            unit="antal",
            decimals=0,
            value=10,
            prev_value=10,
            change=0,
            change_judgement="ingen tydlig förändring",
        ),
        "X",
    )[0]
    assert same == "Antalet var 10 både 2023 och 2024, ingen tydlig förändring."


def test_missing_previous_year():
    text = indicator_sentences(_row(prev_value=math.nan, change=math.nan), "X")
    assert text[0] == f"Andelen 2024 var 79,5{NB}%."
    assert text[1] == "Inget värde finns för 2023."


def test_missing_value_this_year_is_said_never_zero():
    text = indicator_sentences(_row(value=None, change=None, rank=None, n_ranked=None), "Gotland")
    assert text[0] == "Inget värde finns för Gotland 2024."
    assert text[1] == f"Senaste värdet är 75,3{NB}% (2023)."
    joined = " ".join(text)
    assert "nan" not in joined.lower() and " 0,0" not in joined and "plats" not in joined


def test_target_status_and_dated_note():
    met = indicator_sentences(
        _row(
            target=55.0,
            target_text="minst 55 %",
            target_kind="min",
            target_status="uppfylls",
            target_note="Målet gäller 2024.",
        ),
        "X",
    )
    assert f"Målet (minst 55{NB}%) uppfylls. Målet gäller 2024." in met
    late = indicator_sentences(
        _row(
            target=85.0,
            target_text=None,
            target_kind="min",
            target_status="uppfylls delvis",
            target_note="Målet gällde 2022 enligt Y; här jämförs.",
        ),
        "X",
    )
    assert (
        f"Målet (minst 85,0{NB}%) uppfylls delvis. Målet gällde 2022 enligt Y; här jämförs." in late
    )
    unknown = indicator_sentences(
        _row(value=None, target=55.0, target_text="minst 55 %", target_status=""), "X"
    )
    assert any("kan inte bedömas" in s for s in unknown)


def test_shared_place_is_said_with_how_many_and_who():
    six = indicator_sentences(
        _row(rank=1, rank_to=6, n_tied=5, n_ranked=19, tied_with="A, B, C, D, E"), "X"
    )
    assert (
        f"Regionen har delad plats 1–6 av 19, lika med fem andra regioner; riket låg på "
        f"82,0{NB}%." in six
    )
    two = indicator_sentences(
        _row(rank=20, rank_to=21, n_tied=1, n_ranked=21, tied_with="Gävleborg"), "X"
    )
    assert any("delad plats 20–21 av 21, lika med en annan region (Gävleborg)" in s for s in two)


def test_trend_sentence_only_when_judged():
    up = indicator_sentences(
        _row(trend="förbättring", trend_from_year=2016, trend_from_value=60.0), "X"
    )
    assert f"Sedan 2016 har andelen ökat från 60,0{NB}%, en förbättring över tid." in up
    flat = indicator_sentences(_row(trend="ingen tydlig trend", trend_from_year=2016), "X")
    assert "Sedan 2016 finns ingen tydlig trend." in flat
    assert not any("Sedan" in s for s in indicator_sentences(_row(trend=""), "X"))


def test_gender_gap_sentence():
    text = indicator_sentences(_row(kvinnor=81.2, man=77.0, gender_gap=4.2), "X")
    assert f"Kvinnor 81,2{NB}%, män 77,0{NB}%: skillnaden är 4,2 procentenheter." in text
    same = indicator_sentences(_row(kvinnor=80.0, man=80.01), "X")
    assert any("ingen skillnad" in s for s in same)


def test_accepts_a_pandas_row():
    series = pd.Series(_row())
    assert indicator_sentences(series, "X")[0].startswith("Andelen ökade")


# ------------------------------------------------------------------ summary


def _table():
    rows = [
        _row(name="A", change_judgement="förbättring", rank=1, n_ranked=21),
        _row(name="B", change_judgement="förbättring", rank=2, n_ranked=21),
        _row(
            name="C",
            direction="lower",
            value=10.0,
            prev_value=12.0,
            change=-2.0,
            change_judgement="förbättring",
            rank=3,
            n_ranked=20,
        ),
        _row(
            name="D",
            value=70.0,
            change=-5.3,
            change_judgement="försämring",
            rank=20,
            n_ranked=21,
            target=80.0,
            target_text="minst 80 %",
            target_kind="min",
            target_status="uppfylls inte",
            target_for=2022,
        ),
        _row(
            name="E",
            value=75.3,
            change=0.0,
            change_judgement="ingen tydlig förändring",
            rank=21,
            n_ranked=21,
            target=55.0,
            target_text="minst 55 %",
            target_kind="min",
            target_status="uppfylls",
        ),
        _row(name="F", direction="neutral", change_judgement="ökning", rank=math.nan, n_ranked=21),
        _row(
            name="G",
            value=math.nan,
            prev_value=math.nan,
            change=math.nan,
            rank=math.nan,
            n_ranked=math.nan,
            change_judgement="",
        ),
        _row(
            name="H",
            rank=12,
            n_ranked=21,
            prev_value=math.nan,
            change=math.nan,
            change_judgement="",
        ),
        _row(
            name="I",
            rank=5,
            rank_to=7,
            n_tied=2,
            n_ranked=21,
            change=0.5,
            change_judgement="",
            break_between=True,
        ),
    ]
    return pd.DataFrame(rows)


def test_summary_counts_judgements_and_leaves_out_breaks_and_neutral():
    sentences = summary_sentences(_table(), "Västerbotten", 2024)
    text = " ".join(sentences)
    assert sentences[0] == "För Västerbotten finns värden för 8 av 9 indikatorer 2024."
    assert (
        "har 3 av 5 jämförbara indikatorer förbättrats tydligt, 1 försämrats tydligt och "
        "1 har ingen tydlig förändring"
    ) in text
    assert "1 indikator med tidsseriebrott eller ändrad definition bedöms inte" in text


def test_summary_strongest_and_weakest_positions():
    text = " ".join(summary_sentences(_table(), "Västerbotten", 2024))
    assert (
        "Starkast placering bland regionerna: A (plats 1 av 21), B (plats 2 av 21) "
        "och C (plats 3 av 20)."
    ) in text
    assert (
        "Svagast placering bland regionerna: E (plats 21 av 21), D (plats 20 av 21) "
        "och H (plats 12 av 21)."
    ) in text
    assert "F (plats" not in text  # neutral indicators have no better or worse place


def test_summary_says_a_shared_place_is_shared():
    rows = [
        _row(name="Återinskrivning", rank=1, rank_to=6, n_tied=5, n_ranked=19),
        _row(name="Fot", rank=20, rank_to=21, n_tied=1, n_ranked=21),
    ]
    text = " ".join(summary_sentences(pd.DataFrame(rows), "X", 2024))
    assert "Starkast placering bland regionerna: Återinskrivning (delad plats 1–6 av 19)" in text
    assert "Svagast placering bland regionerna: Fot (delad plats 20–21 av 21)" in text


def test_summary_targets():
    text = " ".join(summary_sentences(_table(), "Västerbotten", 2024))
    assert (
        "Av 2 indikatorer med ett officiellt mål: målet uppfylls för E och uppfylls inte för D."
    ) in text
    assert "Målet för d gällde 2022 och jämförs med 2024 års värden" in text


def test_summary_without_values():
    assert summary_sentences(pd.DataFrame(columns=["name", "value"]), "Gotland", 2024) == [
        "Det finns inga värden för Gotland 2024."
    ]


def test_a_series_break_between_the_years_is_not_judged():
    row = {
        "name": "Telefon",
        "unit": "procent",
        "direction": "higher",
        "decimals": 1,
        "year": 2024,
        "value": 73.1,
        "prev_year": 2023,
        "prev_value": 72.6,
        "change": 0.5,
        "change_judgement": "",
        "break_between": True,
        "riket": 87.0,
        "rank": 16,
        "n_ranked": 17,
        "comparability_note": "Tidsseriebrott 2024: förändringen från 2023 bedöms inte.",
    }
    text = indicator_sentences(row, "Västerbotten")
    assert text[0] == f"Andelen var 73,1{NB}% 2024 och 72,6{NB}% 2023."
    assert "Tidsseriebrott 2024: förändringen från 2023 bedöms inte." in text
    joined = " ".join(text)
    for word in ("förbättring", "försämring", "oförändrad", "ingen tydlig"):
        assert word not in joined
