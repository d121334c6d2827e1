"""A year the product has not seen (2025, built by tests/later_year.py from the real snapshot):
a journal-system swing, a share of 100,0 % and indicators not yet published, in the tables,
the sentences, Det viktigaste, and the region and national reports read back."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from later_year import ONLY_MISSING, SWING, SWING_VALUES, UNPUBLISHED, YEAR, build
from naravard.wording import highlights, text
from naravard.wording.summary import summary_sentences
from naravard.analysis import plausibility
from naravard.config.catalog import load_catalog
from naravard.analysis.indicators import indicator_table, national_table
from renders import EPOCH, norm
from naravard.report import national_facts

CAUTION = plausibility.CAUTION
LAG = "Ännu inte publicerat för 2025; senaste år 2024 visas"


@pytest.fixture(scope="module")
def later(snapshot_dir, tmp_path_factory) -> Path:
    return build(snapshot_dir, tmp_path_factory.mktemp("later") / "kolada")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def obs(later, catalog):
    from naravard.sources.table import load_observations

    return load_observations(later, catalog=catalog)


@pytest.fixture(scope="module")
def table(obs, catalog):
    return indicator_table(obs, catalog, SWING, YEAR).set_index("indicator_id")


def test_the_swing_is_a_value_to_check_not_a_change(table):
    for ind in SWING_VALUES:
        row = table.loc[ind]
        assert row["plausibility"], ind
        assert row["change_judgement"] == plausibility.JUDGEMENT and not row["change_counts"]
        assert CAUTION in row["plausibility_note"]
    assert "Väntetider i vården, SKR)" in table.loc["bup_30d", "plausibility_note"]
    # the other indicators moved within their noise: nothing to check
    others = table.drop(index=list(SWING_VALUES))
    assert set(others["plausibility"]) <= {""}


def test_not_yet_published_shows_the_latest_year_and_only_the_region_gap_is_missing(table):
    for ind in UNPUBLISHED:
        row = table.loc[ind]
        assert int(row["year"]) == 2024 and row["published_note"].startswith(LAG), ind
        assert row["value"] == row["value"]  # a value, not NaN
    own_gap = table.loc[ONLY_MISSING]
    assert own_gap["value"] != own_gap["value"] and not own_gap["published_note"]
    words = text.indicator_sentences(
        own_gap.to_dict() | {"indicator_id": ONLY_MISSING}, "Västerbotten"
    )
    assert words[0] == "Inget värde finns för Västerbotten 2025."


def test_sentences_say_what_to_check_and_name_the_year_shown(table):
    swing = " ".join(
        text.indicator_sentences(table.loc["psykiatri_forsta_besok_90d"].to_dict(), "Västerbotten")
    )
    assert "100,0\xa0%" in swing and CAUTION in swing
    assert "förbättring" not in swing
    eye = text.indicator_sentences(table.loc["ogonbotten_diabetes"].to_dict(), "Västerbotten")
    assert eye[0] == LAG + "." and "2025" not in " ".join(eye[1:])
    summary = " ".join(summary_sentences(table.reset_index(), "Västerbotten", YEAR))
    assert "7 indikatorer är ännu inte publicerade för 2025" in summary
    assert "jämförs med 2025 års" not in summary
    assert (
        "Första besök i allmänpsykiatrin"
        not in summary.split("Starkast placering")[1].split(".")[0]
    )  # 100,0 % is no strongest place


def test_det_viktigaste_tells_the_swing_as_one_caution(table, obs, catalog):
    msgs = highlights.select(table.reset_index(), obs, catalog, SWING, "Västerbotten", YEAR)
    assert 3 <= len(msgs) <= 5
    check = [m for m in msgs if m.kind == "kontroll"]
    assert len(check) == 1 and CAUTION in check[0].text
    assert all(m.indicator_id not in SWING_VALUES for m in msgs if m.kind != "kontroll")
    page = " ".join(x for m in msgs for x in (m.headline, m.text, *m.together))
    assert "förbättring" not in page.lower()
    for m in msgs:  # an indicator not yet published is told with its own year
        if m.indicator_id in UNPUBLISHED:
            assert "2024" in m.text and "2025" not in m.text


def test_national_table_and_sentences(obs, catalog):
    from naravard.report import national

    frame = national_table(obs, catalog, YEAR)
    mine = frame[(frame["region_code"] == SWING)].set_index("indicator_id")
    assert all(mine.loc[i, "plausibility"] for i in SWING_VALUES)
    lagged = frame[frame["indicator_id"].isin(UNPUBLISHED)]
    assert set(lagged["year"]) == {2024} and set(lagged["published_note"]) == {LAG + "."}
    rep = national.prepare(YEAR, obs=obs, catalog=catalog, figures=None)
    psyk = " ".join(
        national_facts.indicator_sentences(rep, catalog.get("psykiatri_forsta_besok_90d"))
    )
    assert not re.search(r"Bäst 2025[^.;]*Västerbotten", psyk)
    assert "Västerbotten: Värdet 2025 (100,0\xa0%)" in psyk and CAUTION in psyk
    eye = national_facts.indicator_sentences(rep, catalog.get("ogonbotten_diabetes"))
    assert eye[0] == LAG + "." and eye[1].startswith("Bäst 2024")
    assert any(s.startswith(LAG + " för ") for s in national_facts.summary_sentences(rep))
    # the heat map colours no value to check as better or worse than Riket
    ind = catalog.get("psykiatri_forsta_besok_90d")
    rel, labels, verdicts = national._heat_rows(rep, [ind])
    assert (
        rel.isna().loc["Västerbotten", ind.name] and "100,0" in labels.loc["Västerbotten", ind.name]
    )
    # neither better, worse nor near: a value to check, drawn as such
    from naravard.charts import TO_CHECK

    assert verdicts.loc["Västerbotten", ind.name] == TO_CHECK
    assert rel[ind.name].notna().sum() == 20


# --------------------------------------------------------------------------- whole reports


@pytest.fixture(scope="module")
def rendered(later, tmp_path_factory) -> Path:
    """`naravard reports --year 2025` for Västerbotten and the national report."""
    import os

    root = tmp_path_factory.mktemp("later-render")
    for sub in ("output", "figures", "cache"):
        (root / sub).mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("NARAVARD_DATA",)}
    env |= {
        "NARAVARD_ROOT": str(root),
        "NARAVARD_CACHE": str(root / "cache"),
        "SOURCE_DATE_EPOCH": EPOCH,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "naravard.cli",
            "reports",
            "--year",
            "2025",
            "--data",
            str(later),
            "--regions",
            "Västerbotten",
            "--jobs",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return root / "output"


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [norm(p.extract_text()) for p in PdfReader(pdf).pages]


DEVELOPER_WORDS = (
    "nan",
    "None",
    "NaN",
    "True",
    "False",
    "plausibility",
    "published_note",
    "enkätstruktur",
    "indicator_id",
)


def _reads_cleanly(pages: list[str], html: str) -> None:
    whole = " ".join(pages)
    for word in DEVELOPER_WORDS:
        assert not re.search(rf"\b{word}\b", whole), word
    assert "jämförs med 2025 års" not in whole
    # "från 17 % till 17 %": a change between equal values
    number = r"(−?\d+(?:\u00a0\d{3})*(?:,\d+)?(?:\u00a0%)?)"
    for a, b in re.findall(
        rf"från {number} (?:\(\d{{4}}\) |år \d{{4}} |\d{{4}} )?till {number}", html
    ):
        assert a.strip() != b.strip(), (a, b)
    # no heading over nothing
    assert not re.search(r"</h[1-3]>\s*(<h[1-3][ >]|</section>)", html)
    # no sentence said twice in a row
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|<[^>]+>", html) if len(s.strip()) > 30]
    assert not [a for a, b in zip(sentences, sentences[1:]) if a == b]


def _read(rendered: Path, slug: str, pdf: str) -> list[str]:
    """The report's pages, once they have passed the checks every later-year report must."""
    out = rendered / slug / "2025"
    pages = _pages(out / pdf)
    _reads_cleanly(pages, (out / pdf).with_suffix(".html").read_text(encoding="utf-8"))
    assert LAG in " ".join(pages) and norm(CAUTION) in " ".join(pages)
    return pages


@pytest.mark.e2e
def test_region_report_on_a_later_year(rendered):
    pages = _read(rendered, "vasterbotten", "rapport.pdf")
    whole = " ".join(pages)
    assert "Osäkra värden: 4 avviker kraftigt från tidigare år" in pages[1]  # Det viktigaste
    assert whole.count("Inget värde finns för Västerbotten 2025") == 1  # only its own gap
    assert "Redovisning till Socialstyrelsen" not in whole


@pytest.mark.e2e
def test_national_report_on_a_later_year(rendered):
    whole = " ".join(_read(rendered, "riket", "riksrapport.pdf"))
    assert "Inga regioner har värde för 2025" not in whole
    assert "Enkätsvar till Socialstyrelsen" not in whole
    assert "Värden som avviker kraftigt från regionens tidigare år" in whole


def test_national_change_table_marks_a_value_to_check(obs, catalog):
    from naravard.report import national

    rep = national.prepare(YEAR, obs=obs, catalog=catalog, figures=None)
    table = national._change_table(rep, [catalog.get("bup_30d")])
    cell = next(r["cells"][0] for r in table["rows"] if r["name"] == "Västerbotten")
    assert cell["text"].endswith(" kontrollera") and "bättre" not in cell["text"]
    assert "kontrollera = avviker kraftigt" in table["caption"]
    calm = national._change_table(rep, [catalog.get("fortroende_vc")])
    assert "kontrollera" not in calm["caption"]
