"""The analyst's voice end to end: comments, revisions, own charts and own notebooks, read back
from the rendered PDF and HTML.

Three renders by `naravard report` in subprocesses: Västerbotten 2024 with a comment file, an
own notebook (`notebooks/egna/vasterbotten.ipynb`) and the shared notebook's own-analysis
example published; Örebro län with the same notebooks (its report must not show
Västerbotten's notebook); then Västerbotten again on a copy of the snapshot in which one value
was revised, into the same output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from naravard.core.paths import repo_root
from renders import EPOCH, Render, norm, start_cli

pytestmark = pytest.mark.e2e

COMMENT = """---
författare: Analysenheten, Region Västerbotten
datum: 2025-03-01
---
## Det viktigaste
Sammanfattningen KOMSUMMA gäller **tillgängligheten** <b>inte</b> annat.

## tillganglighet
Områdets KOMAREA kommentar.

## medicinsk_bedomning_3d (79,5 % 2024)
Bedömningarna KOMIND blev fler.
"""
SHARED_TEXT = "Gemensam text DELADTEXT för alla regioner."
OWN_TEXT = "Regionens egen EGNATEXT i notebooken."
OWN_CAPTION = "Besök per vecka EGNAFIGUR"
OWN_ALT = "Stapeldiagram EGNAALT med två staplar"


def _notebooks(tmp: Path) -> Path:
    """The shared notebook with its own-analysis example published and a Markdown cell added,
    and an own notebook for Västerbotten."""
    folder = tmp / "notebooks"
    (folder / "egna").mkdir(parents=True)
    nb = nbformat.read(repo_root() / "notebooks" / "regionrapport.ipynb", as_version=4)
    example = next(i for i, c in enumerate(nb.cells) if "exempel" in c.metadata.get("tags", []))
    nb.cells[example].metadata["tags"] = ["egen-analys"]
    nb.cells.insert(
        example, new_markdown_cell(SHARED_TEXT + " <i>html</i>", metadata={"tags": ["egen-analys"]})
    )
    nbformat.write(nb, folder / "regionrapport.ipynb")
    own = new_notebook(
        cells=[
            new_code_cell(
                'region = "Västerbotten"\nyear = 2024\ndata = None',
                metadata={"tags": ["parameters"]},
            ),
            new_markdown_cell(f"### Egen uppföljning\n\n{OWN_TEXT}"),
            new_code_cell(
                "import matplotlib.pyplot as plt\nfrom naravard.report import own\n"
                "fig, ax = plt.subplots()\nax.bar(['v1', 'v2'], [3, 5])\n"
                f"own.figure(fig, caption={OWN_CAPTION!r}, source='Regionens bokning',"
                f" alt={OWN_ALT!r})"
            ),
            new_code_cell('print("DOLDCELL")', metadata={"tags": ["utelämna"]}),
            new_markdown_cell("DOLDTEXT", metadata={"tags": ["utelämna"]}),
        ]
    )
    nbformat.write(own, folder / "egna" / "vasterbotten.ipynb")
    return folder


def _revised_snapshot(snapshot: Path, tmp: Path) -> Path:
    copy = tmp / "kolada-reviderad"
    shutil.copytree(snapshot, copy)
    path = copy / "data" / "N79173.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for item in doc["values"]:
        if item["municipality"] == "0024" and item["period"] == 2024:
            item["values"][0]["value"] = 80.1
    path.write_text(json.dumps(doc), encoding="utf-8")
    return copy


def _start(root: Path, region: str, slug: str, data: Path, env: dict, log: Path) -> Render:
    proc = start_cli(
        ["report", "--region", region, "--year", "2024", "--data", str(data)],
        root=root,
        log=log,
        env=env,
    )
    return Render(
        slug,
        root,
        root / "output" / slug / "2024",
        root / "figures" / slug / "2024",
        proc,
        log,
        Path(env["NARAVARD_CACHE"]),
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory, snapshot_dir):
    tmp = tmp_path_factory.mktemp("analyst")
    comments = tmp / "kommentarer" / "vasterbotten"
    comments.mkdir(parents=True)
    (comments / "2024.md").write_text(COMMENT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NARAVARD_DATA"}
    env |= {
        "NARAVARD_NOTEBOOKS_DIR": str(_notebooks(tmp)),
        "SOURCE_DATE_EPOCH": EPOCH,
        "NARAVARD_COMMENTARY_DIR": str(tmp / "kommentarer"),
        "PYTHONUNBUFFERED": "1",
        "NARAVARD_CACHE": str(tmp / "cache"),
    }
    first = _start(tmp / "vb", "Västerbotten", "vasterbotten", snapshot_dir, env, tmp / "vb1.log")
    other = _start(tmp / "or", "Örebro län", "orebro-lan", snapshot_dir, env, tmp / "or.log")
    started = [first, other]
    try:
        first.wait()
        # the second run replaces the first's folders: keep them, as an analyst keeps what was sent
        sent = tmp / "skickad-i-mars"
        shutil.copytree(first.out, sent)
        shutil.copytree(first.figures, tmp / "figurer-mars")
        first.out, first.figures = sent, tmp / "figurer-mars"
        second = _start(
            tmp / "vb",
            "Västerbotten",
            "vasterbotten",
            _revised_snapshot(snapshot_dir, tmp),
            env,
            tmp / "vb2.log",
        )
        started.append(second)
        yield {"first": first, "other": other.wait(), "second": second.wait(), "sent": sent}
    finally:
        for run in started:  # only the processes this fixture started
            if run.proc.poll() is None:
                run.proc.kill()
                run.proc.wait()


def _page_with(pages: list[str], needle: str) -> int:
    hits = [i for i, p in enumerate(pages) if needle in p]
    assert hits, f"{needle!r} is on no page"
    return hits[0]


def test_comments_appear_beside_their_part_in_pdf_and_html(runs):
    from bs4 import BeautifulSoup

    first = runs["first"]
    soup = BeautifulSoup(first.html(), "html.parser")
    summary = soup.find(id="viktigaste").find_parent("section")
    assert "KOMSUMMA" in summary.get_text()
    words = summary.get_text()  # the analyst's comment goes first, before the messages
    assert words.index("KOMSUMMA") < words.index("Det här är de tydligaste")
    assert "<strong>tillgängligheten</strong>" in str(summary)
    assert "&lt;b&gt;inte&lt;/b&gt;" in str(summary)  # HTML in the comment is text
    area = soup.find(id="omrade-tillganglighet").find_parent("section")
    assert "KOMAREA" in area.find("aside", class_="analyst-comment").get_text()
    indicator = soup.find(id="ind-medicinsk_bedomning_3d")
    aside = indicator.find("aside", class_="analyst-comment")
    assert "KOMIND" in aside.get_text()
    assert "Analytikerns kommentar · Analysenheten, Region Västerbotten, 1 mars 2025" in norm(
        aside.get_text()
    )
    assert "Skriven när" not in first.html()
    assert "varning" not in first.text

    pages = first.pages()
    assert _page_with(pages, "KOMSUMMA") == _page_with(pages, "Det här är de tydligaste")
    ind_page = pages[_page_with(pages, "KOMIND")]
    assert "Medicinsk bedömning i primärvården inom tre dagar" in ind_page
    assert "Analytikerns kommentar · Analysenheten, Region Västerbotten, 1 mars 2025" in ind_page
    assert "<b>inte</b>" in pages[_page_with(pages, "KOMSUMMA")]


def test_own_chart_and_markdown_reach_the_pdf_in_the_chapter_egen_analys(runs):
    first = runs["first"]
    pages = first.pages()
    full = " ".join(pages)
    toc = pages[0]
    assert (
        toc.index("Egen analys")
        < toc.index("Om underlaget")
        < toc.index("Redovisning till Socialstyrelsen")
    )
    start = _page_with(pages[1:], "Egen analys") + 1
    assert pages[start].startswith("Egen analys")
    # Om underlaget may follow on the same page as the end of the chapter before it
    about = next(i for i, p in enumerate(pages) if i >= start and "Om underlaget" in p)
    appendix = next(
        i for i, p in enumerate(pages) if p.startswith("Bilaga: Redovisning till Socialstyrelsen")
    )
    assert start <= about < appendix
    chapter = " ".join(pages[start : about + 1])
    for needle in (
        OWN_TEXT,
        OWN_CAPTION,
        "Källa: Regionens bokning",
        SHARED_TEXT,
        "<i>html</i>",
        "Medicinsk bedömning i primärvården inom tre dagar, Västerbotten och riket",
        "egen bearbetning",
    ):
        assert needle in chapter, needle
    assert "DOLDCELL" not in full and "DOLDTEXT" not in full
    assert "Ändra parametrarna" not in full  # the notebook's own notes stay in the notebook

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(first.html(), "html.parser")
    figure = next(f for f in soup.find_all("figure") if OWN_CAPTION in f.get_text())
    assert figure.img["alt"] == OWN_ALT
    names = sorted(p.name for p in first.figures.iterdir() if p.name.startswith("egen-"))
    assert "egen-besok-per-vecka-egnafigur.png" in names
    assert "egen-besok-per-vecka-egnafigur.svg" in names
    manifest = json.loads((first.out / "manifest.json").read_text(encoding="utf-8"))
    assert any(k.endswith("egna/vasterbotten.ipynb") for k in manifest["inputs"])
    assert any(k.endswith("kommentarer/vasterbotten/2024.md") for k in manifest["inputs"])


def test_an_own_notebook_appears_only_in_its_regions_report(runs):
    other = runs["other"]
    full = " ".join(other.pages())
    assert OWN_TEXT not in full and OWN_CAPTION not in full
    assert SHARED_TEXT in full  # the shared notebook's own analysis is for every region
    assert "KOMSUMMA" not in full  # and Västerbotten's comments are Västerbotten's
    assert not [p for p in other.figures.iterdir() if "egnafigur" in p.name]


def test_a_revised_value_is_listed_warned_about_and_marked(runs):
    second = runs["second"]
    assert not (runs["sent"] / "andringar.csv").exists()  # the first run had no earlier version
    rows = (second.out / "andringar.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert rows == [
        "Indikator;Indikator-id;År;Tidigare värde;Nytt värde;Tidigare placering;Ny placering;Orsak",
        "Medicinsk bedömning i primärvården inom tre dagar;medicinsk_bedomning_3d;"
        "2024;79,5;80,1;14;14;reviderat av källan",
    ]
    log = second.text
    assert (
        "rad 11: kommentaren till medicinsk_bedomning_3d skrevs när värdet var 79,5 % (2024);"
        " nu är det 80,1 % (2024)"
    ) in log
    pages = second.pages()
    about = next(p for p in pages if "Ändrat sedan förra versionen" in p)
    assert (
        "Medicinsk bedömning i primärvården inom tre dagar 2024: 79,5 → 80,1 (reviderat av källan)"
    ) in about
    marked = pages[_page_with(pages, "KOMIND")]
    assert "Skriven när värdet var 79,5 % (2024); värdet är nu 80,1 %." in marked
    assert "Ändrat sedan förra versionen" not in " ".join(runs["first"].pages())


def test_diff_lists_the_revision_between_the_two_folders(runs):
    proc = subprocess.run(
        [sys.executable, "-m", "naravard.cli", "diff", str(runs["sent"]), str(runs["second"].out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 ändring från" in proc.stdout
    assert (
        "Medicinsk bedömning i primärvården inom tre dagar 2024: 79,5 → 80,1 (reviderat av källan)"
    ) in proc.stdout
