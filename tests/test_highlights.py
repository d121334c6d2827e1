"""'Det viktigaste': the written rules choose the messages, on made-up data and the snapshot."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from naravard import highlights
from naravard.catalog import load_catalog
from naravard.errors import NaravardError
from naravard.indicators import indicator_table
from naravard.regions import RIKET_CODE, region_codes

YEAR = 2024


@dataclass
class FakeObs:
    frame: pd.DataFrame


def _obs(values: dict[str, dict[str, dict[int, float]]]) -> FakeObs:
    """values[indicator][region_code][year] = value, as a tidy observations frame."""
    rows = [{"indicator_id": ind, "region_code": code, "year": year, "gender": "T", "value": v,
             "status": "", "source": "Kolada"}
            for ind, by_code in values.items() for code, by_year in by_code.items()
            for year, v in by_year.items()]
    return FakeObs(pd.DataFrame(rows))


def _spread(base: float, step: float, years=(2020, 2024)) -> dict[str, dict[int, float]]:
    """Every region a different value (base + k * step), the same in each year."""
    return {code: {y: base + k * step for y in years}
            for k, code in enumerate(region_codes())}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


FOCUS = "0024"  # Västerbotten


def _messages(catalog, values, **kw):
    obs = _obs(values)
    table = indicator_table(obs, catalog, FOCUS, YEAR)
    return highlights.select(table, obs, catalog, FOCUS, "Västerbotten", YEAR, groups=(), **kw)


def test_far_worse_than_riket_is_a_message_with_its_numbers(catalog):
    bup = _spread(40, 1.0)
    bup[FOCUS] = {2020: 18.0, 2024: 18.0}
    bup[RIKET_CODE] = {2020: 52.0, 2024: 52.0}
    msgs = _messages(catalog, {"bup_30d": bup})
    assert [m.kind for m in msgs] == ["avstand"]
    assert msgs[0].text == ("Utredning eller behandling i barn- och ungdomspsykiatrin inom 30 "
                            "dagar i Västerbotten var 18,0\u00a0% 2024 mot 52,0\u00a0% i riket, "
                            "lägst av 21 regioner.")


def test_close_to_riket_is_no_message(catalog):
    bup = _spread(40, 1.0)
    bup[RIKET_CODE] = {2020: 52.0, 2024: 52.0}
    bup[FOCUS] = {2020: 51.0, 2024: 51.0}  # less than one standard deviation (about 6)
    assert _messages(catalog, {"bup_30d": bup}) == []


def test_lower_is_better_direction_is_respected(catalog):
    over = _spread(3, 0.1)
    over[RIKET_CODE] = {2020: 5.7, 2024: 5.7}
    over[FOCUS] = {2020: 11.2, 2024: 11.2}  # far above: worse, because lower is better
    msgs = _messages(catalog, {"overbelaggningar": over})
    assert msgs[0].kind == "avstand" and "högst av 21 regioner" in msgs[0].text


def test_multi_year_deterioration_and_improvement(catalog):
    worse = _spread(3, 0.1)
    worse[FOCUS] = {2020: 2.1, 2024: 4.5}
    worse[RIKET_CODE] = {2020: 3.0, 2024: 4.0}
    better = _spread(60, 0.5)
    better[FOCUS] = {2020: 55.0, 2024: 66.0}
    better[RIKET_CODE] = {2020: 63.0, 2024: 64.0}
    msgs = _messages(catalog, {"overbelaggningar": worse, "fortroende_vc": better})
    kinds = {m.indicator_id: m.kind for m in msgs}
    assert kinds == {"overbelaggningar": "forsamring", "fortroende_vc": "forbattring"}
    text = next(m.text for m in msgs if m.indicator_id == "overbelaggningar")
    assert "ökade från 2,1 till 4,5 per 100 vårdplatser mellan 2020 och 2024" in text
    assert "en försämring" in text and "i riket från 3,0 till 4,0" in text


def test_no_change_is_told_across_a_series_break(catalog):
    tel = _spread(80, 0.5)
    tel[FOCUS] = {2020: 60.0, 2024: 85.0}  # the 2024 break (new source) lies in between
    tel[RIKET_CODE] = {2020: 85.0, 2024: 85.0}
    msgs = _messages(catalog, {"telefon_samma_dag": tel})
    assert all(m.kind != "forbattring" for m in msgs)


def test_trend_column_when_present_decides(catalog):
    worse = _spread(3, 0.1)
    worse[FOCUS] = {2020: 2.1, 2024: 4.5}
    obs = _obs({"overbelaggningar": worse})
    table = indicator_table(obs, catalog, FOCUS, YEAR)
    table["trend"] = np.where(table["indicator_id"] == "overbelaggningar", "ingen tydlig trend", "")
    msgs = highlights.select(table, obs, catalog, FOCUS, "Västerbotten", YEAR, groups=())
    assert msgs == []


def test_missed_target_uses_target_status_when_present(catalog):
    pressure = _spread(49, 0.1)
    pressure[FOCUS] = {2020: 50.0, 2024: 50.0}  # 77 % of the 65 % målnivå: uppfylls inte
    pressure[RIKET_CODE] = {2020: 50.0, 2024: 50.0}
    obs = _obs({"blodtryck_diabetes": pressure})
    table = indicator_table(obs, catalog, FOCUS, YEAR)
    msgs = highlights.select(table, obs, catalog, FOCUS, "Västerbotten", YEAR, groups=())
    assert [m.kind for m in msgs] == ["mal"]
    assert msgs[0].text.startswith("Målet för blodtryck under 140/85 vid diabetes typ 2 i "
                                   "primärvården på minst 65 % nås inte i Västerbotten: 50\xa0%")
    table["target_status"] = np.where(table["indicator_id"] == "blodtryck_diabetes",
                                      "uppfylls delvis", "")
    assert highlights.select(table, obs, catalog, FOCUS, "Västerbotten", YEAR, groups=()) == []


def test_related_indicators_are_told_together_without_a_cause(catalog):
    over = _spread(3, 0.1)
    over[FOCUS] = {2020: 2.1, 2024: 11.2}
    beds = _spread(2, 0.05)
    beds[FOCUS] = {2020: 2.8, 2024: 2.0}
    obs = _obs({"overbelaggningar": over, "vardplatser": beds})
    table = indicator_table(obs, catalog, FOCUS, YEAR)
    msgs = highlights.select(table, obs, catalog, FOCUS, "Västerbotten", YEAR,
                             groups=[("vardplatser", "overbelaggningar")])
    assert len(msgs) == 1
    assert msgs[0].together == (
        "Samtidigt minskade disponibla vårdplatser i slutenvården från 2,8 till 2,0 per "
        "1\u00a0000 invånare mellan 2020 och 2024.",)
    words = " ".join([msgs[0].text, *msgs[0].together]).lower()
    assert not any(w in words for w in ("på grund av", "beror", "orsak", "därför", "ledde"))


def test_at_most_five_messages_each_indicator_once(catalog, snapshot_dir):
    from naravard.table import load_observations

    obs = load_observations(snapshot_dir)
    for code, name in (("0024", "Västerbotten"), ("0018", "Örebro län"), ("0001", "Stockholm")):
        table = indicator_table(obs, catalog, code, YEAR)
        msgs = highlights.select(table, obs, catalog, code, name, YEAR)
        ids = [m.indicator_id for m in msgs]
        assert 3 <= len(msgs) <= 5 and len(ids) == len(set(ids)), name
        for m in msgs:
            assert name in m.text and "2024" in m.text


def test_snapshot_vasterbotten_leads_with_the_largest_distances(catalog, snapshot_dir):
    from naravard.table import load_observations

    obs = load_observations(snapshot_dir)
    table = indicator_table(obs, catalog, "0024", YEAR)
    msgs = highlights.select(table, obs, catalog, "0024", "Västerbotten", YEAR)
    assert msgs[0].kind == "avstand"
    tel = next(m for m in msgs if m.indicator_id == "telefon_samma_dag")
    assert "73,1\xa0% 2024 mot 87,0\xa0% i riket" in tel.text
    assert any(m.together for m in msgs)  # related indicators told together


def test_related_file_ids_are_checked(tmp_path, catalog):
    bad = tmp_path / "related.yaml"
    bad.write_text("groups:\n  - [vardplatser, finns_inte]\n", encoding="utf-8")
    with pytest.raises(NaravardError, match="finns_inte"):
        highlights.related_groups(bad, catalog)
    assert highlights.related_groups(catalog=catalog)  # the shipped file is valid


def test_ties_are_told_as_shared_places():
    assert highlights.rank_words({"rank": 1, "rank_to": 6, "n_ranked": 19}) == \
        "delad plats 1–6 av 19"
    assert highlights.rank_words({"rank": 3, "rank_to": 3, "n_ranked": 21}) == "plats 3 av 21"
    assert highlights.lower_first("BUP-besök") == "BUP-besök"
    assert highlights.lower_first("Överbeläggningar") == "överbeläggningar"
