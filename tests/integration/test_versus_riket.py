"""Better/worse than Riket only beyond the indicator's min_change; otherwise "nära riket"."""

from __future__ import annotations

import math

import pytest

from naravard.analysis import judgements as J
from naravard.report import exports


@pytest.mark.parametrize(
    "value, riket, direction, expected",
    [
        (87.2, 87.0, "higher", J.NEAR_RIKET),  # 0,2 p.e.: the heat map marked this better
        (86.0, 87.0, "higher", J.WORSE_THAN_RIKET),  # exactly min_change counts
        (88.0, 87.0, "higher", J.BETTER_THAN_RIKET),
        (88.0, 87.0, "lower", J.WORSE_THAN_RIKET),
        (86.0, 87.0, "lower", J.BETTER_THAN_RIKET),
        (87.0, 87.0, "higher", J.NEAR_RIKET),
        (95.0, 87.0, "neutral", ""),
        (math.nan, 87.0, "higher", ""),
        (87.0, None, "higher", ""),
    ],
)
def test_versus_riket_counts_only_beyond_min_change(value, riket, direction, expected):
    assert J.versus_riket(value, riket, direction, 1.0, 1) == expected


def test_versus_riket_compares_published_values():
    # 15 % against 16,4 % published as 16 %: one point, which counts at min_change 1
    assert J.versus_riket(15.0, 16.4, "higher", 1.0, 0) == J.WORSE_THAN_RIKET
    # 15,4 and 16,4 shown as 15 and 16 %, but 15,6 → 16: the same published value
    assert J.versus_riket(15.6, 16.4, "higher", 1.0, 0) == J.NEAR_RIKET


def test_versus_riket_is_monotone_in_the_value():
    order = {J.WORSE_THAN_RIKET: 0, J.NEAR_RIKET: 1, J.BETTER_THAN_RIKET: 2}
    for direction, sign in (("higher", 1), ("lower", -1)):
        seen = [
            order[J.versus_riket(50 + sign * x / 10, 50.0, direction, 2.0, 1)]
            for x in range(-50, 51)
        ]
        assert seen == sorted(seen)


def test_national_heat_map_maps_and_export_say_the_same(snapshot_dir):
    """Dalarna's 87,2 % answered calls against Riket's 87,0 % (min_change 1 p.e.) was marked
    better than Riket in the heat map; the export, the heat map's cells and the tile map now
    all say "nära riket", from one judgement."""
    from naravard.report import national

    rep = national.prepare(2024, snapshot_dir, figures=None)
    frame = exports.national_frame(rep)
    row = frame[
        (frame["Indikator-id"] == "telefon_samma_dag") & (frame["Region"] == "Dalarna")
    ].iloc[0]
    assert (row["Värde"], row["Riket"], row["Jämfört med riket"]) == (87.2, 87.0, J.NEAR_RIKET)
    inds = [i for i in rep.catalog.kolada() if i.id == "telefon_samma_dag"]
    _rel, labels, verdicts = national._heat_rows(rep, inds)
    assert verdicts.loc["Dalarna", inds[0].name] == J.NEAR_RIKET
    for ind in rep.catalog.kolada():  # every cell the judgement's, neutral ones unjudged
        sub = frame[frame["Indikator-id"] == ind.id]
        for value, riket, said in zip(sub["Värde"], sub["Riket"], sub["Jämfört med riket"]):
            assert said == J.versus_riket(
                value, riket, ind.direction, ind.min_change, ind.decimals
            ), (ind.id, value, riket)
        if ind.direction == "neutral":
            assert set(sub["Jämfört med riket"]) == {""}
