"""A region's own goal judged with the region's rule, through the goals' own code path.

helt at 100 % of the målvärde or more, delvis at 80–99 %, inte below 80 % (a ceiling mirrored
as målvärde / value): analysis.goal_status must use judgements.target_status, and the words
shown (wording.goals) must never show a share that contradicts the status.
"""

from __future__ import annotations

import pytest

from naravard.analysis import judgements as J
from naravard.analysis.goal_status import assess_goal
from naravard.config.catalog import load_catalog
from naravard.config.goals import Decision, Goal, GoalIndicator
from naravard.wording import goals as W


def goal(value, target, kind="min", region_status="delvis", decimals=None):
    decimals = (
        decimals
        if decimals is not None
        else (0 if float(value).is_integer() else len(repr(float(value)).split(".")[1]))
    )
    ind = GoalIndicator(
        name="Andel genomförda hälsosamtal",
        unit="procent",
        value=value,
        source="Verksamhetsberättelsen",
        target=target,
        target_kind=kind,
        decimals=decimals,
    )
    return Goal(
        1,
        "Hälsofrämjande insatser är prioriterade",
        "delmål",
        Decision("Nämndens verksamhetsplan för 2024"),
        year=2024,
        region_status=region_status,
        indicator=ind,
    )


def plain(text: str) -> str:
    """No-break spaces (before "%") as plain spaces, for readable expectations."""
    return text.replace("\u00a0", " ")


def judged(g):
    return assess_goal(g, obs=None, catalog=load_catalog(), region_code="0024", year=2024)


@pytest.mark.parametrize(
    ("value", "status", "shown"),
    [
        (63.92, J.NOT_MET, "79,9 %: inte"),  # 79,9 % of 80
        (64.0, J.PARTLY, "80,0 %: delvis"),  # 80 %
        (79.92, J.PARTLY, "99,9 %: delvis"),  # 99,9 %
        (80.0, J.MET, "100,0 %: helt"),  # 100 %
        (96.0, J.MET, "120,0 %: helt"),
    ],
)
def test_floor_boundaries(value, status, shown):
    st = judged(goal(value, 80))
    assert st.status == status
    assert plain(W.computed_cell(st)) == shown


@pytest.mark.parametrize(
    ("value", "status", "shown"),
    [
        (5.01, J.NOT_MET, "79,8 %: inte"),  # 4 / 5,01
        (5.0, J.PARTLY, "80,0 %: delvis"),  # 4 / 5 = 80 %: a ceiling is mirrored as target / value
        (4.13, J.PARTLY, "96,8 %: delvis"),  # Västerbotten's inhyrd personal
        (4.004, J.PARTLY, "99,9 %: delvis"),
        (4.0, J.MET, "100,0 %: helt"),
        (0.0, J.MET, "999,9 %: helt"),  # nothing at all meets any ceiling
    ],
)
def test_ceiling_boundaries(value, status, shown):
    st = judged(goal(value, 4, kind="max"))
    assert st.status == status
    assert plain(W.computed_cell(st)) == shown


def test_the_rule_is_the_one_in_judgements(monkeypatch):
    """Breaking judgements.target_status breaks the goals' status: there is no second rule."""
    monkeypatch.setattr(J, "target_status", lambda *a, **k: "uppfylls inte")
    assert judged(goal(80.0, 80)).status == J.NOT_MET


def test_the_published_precision_is_the_value_as_written():
    """79,95 of 80 is 99,9375 %: delvis, even though it would round to 80."""
    st = judged(goal(79.95, 80))
    assert st.status == J.PARTLY and plain(W.computed_cell(st)) == "99,9 %: delvis"


def test_no_value_cannot_be_judged_and_no_target_is_not_judged():
    no_value = goal(1.0, 85)
    no_value = Goal(
        **{
            **no_value.__dict__,
            "indicator": GoalIndicator(
                name="Hållbart medarbetarengagemang",
                unit="procent",
                source="VB",
                target=85,
                target_kind="min",
            ),
        }
    )
    st = judged(no_value)
    assert st.status == J.NOT_ASSESSED and not st.differs
    assert W.computed_cell(st) == "kan inte bedömas"
    bare = Goal(
        1,
        "Stärka barnets ställning som anhörig",
        "delmål",
        Decision("Plan"),
        region_status="delvis",
    )
    assert judged(bare).status == "" and W.computed_cell(judged(bare)) == "–"


def test_differs_only_when_both_judged_and_not_the_same():
    assert judged(goal(104.0, 80, region_status="delvis")).differs  # helt against delvis
    assert not judged(goal(70.0, 80, region_status="delvis")).differs  # both delvis
    assert not judged(goal(104.0, 80, region_status=None)).differs  # the region said nothing


def test_the_differ_statement_names_goal_both_judgements_and_the_share():
    text = plain(
        W.differ_paragraph(
            [
                judged(goal(32.5, 80, region_status="delvis")),
                judged(goal(70.0, 80, region_status="delvis")),
            ]
        )
    )
    assert text.startswith("För 1 mål skiljer sig rapportens beräkning från regionens bedömning:")
    assert (
        "”Hälsofrämjande insatser är prioriterade” (regionen: uppfylls delvis; andel "
        "genomförda hälsosamtal: 40,6 % av målvärdet, uppfylls inte)." in text
    )
    assert "gäller målet som helhet" in text
    assert W.differ_paragraph([judged(goal(70.0, 80))]) == ""
