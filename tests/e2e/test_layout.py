"""The printed reports read back page by page: a nämnd member's complaints as tests.

Each check reads a rendered PDF (pypdf) and fails on: more pages than the budget, a section
heading whose chart starts on the next page, a page less than half full that does not end a
chapter, and a page that holds only a caption or source line. The renders are shared with
test_e2e_report.py (conftest.renders: each report is rendered once per session).
"""

from __future__ import annotations

import pytest
from pdf_layout import (
    CONTENT_TOP,
    Heading,
    Layout,
    Page,
    caption_only_pages,
    half_empty_pages,
    read_layout,
    stranded_headings,
)

# Renders method -> pages. Västerbotten without kommun data: 31 pages; Kommunerna i länet adds 5
# (its seven indicators about 3,5 pages, its appendix table 1): 36; Örebro län 34.
BUDGETS = {"region": 35, "orebro": 36, "national": 50}


@pytest.fixture(scope="module", params=list(BUDGETS))
def layout(request, renders, snapshot_dir) -> tuple[str, Layout]:
    render = getattr(renders, request.param)()
    return request.param, read_layout(render.pdf)


@pytest.mark.e2e
def test_page_budget(layout):
    name, lay = layout
    assert len(lay.pages) <= BUDGETS[name], f"{name}: {len(lay.pages)} pages"


@pytest.mark.e2e
def test_no_section_heading_apart_from_its_chart(layout):
    name, lay = layout
    assert len([h for h in lay.headings if h.level >= 2]) >= 20  # the check has sections
    assert stranded_headings(lay) == []


@pytest.mark.e2e
def test_no_half_empty_page_mid_chapter(layout):
    _, lay = layout
    assert half_empty_pages(lay) == []


@pytest.mark.e2e
def test_no_page_with_only_a_caption_or_source_line(layout):
    _, lay = layout
    assert caption_only_pages(lay) == []


@pytest.mark.e2e
def test_no_page_ends_with_the_name_of_a_regional_figure(renders, snapshot_dir):
    """Under the region's own figures, each figure's name (bold) is followed by its
    sentences; a name was seen as the last line of a page, its sentences on the next."""
    from naravard.config.catalog import load_catalog

    names = {ind.name for ind in load_catalog().regional()}
    lay = read_layout(renders.region().pdf)
    assert any(name in page.text for page in lay.pages for name in names)  # the check applies
    for page in lay.pages[:-1]:
        last = min(page.lines)[1].strip() if page.lines else ""
        assert last not in names, (page.number, last)


@pytest.mark.e2e
def test_det_viktigaste_is_page_two_of_a_region_report(renders, snapshot_dir):
    lay = read_layout(renders.region().pdf)
    chapters = [h for h in lay.headings if h.level == 1]
    assert chapters[1].title == "Det viktigaste" and chapters[1].page == 2
    assert chapters[2].page == 3  # one page


@pytest.mark.e2e
def test_national_targets_table_and_its_note_fit_one_page(renders, snapshot_dir):
    """The targets chapter is one table of 21 rows and a note: a page holding only its last
    rows, or only the note, is a page a reader turns for nothing."""
    lay = read_layout(renders.national().pdf)
    chapters = [h for h in lay.headings if h.level == 1]
    at = [h.title for h in chapters].index("Nationella mål")
    assert chapters[at + 1].page == chapters[at].page + 1


@pytest.mark.e2e
def test_national_report_has_21_profiles_and_a_sentence_per_indicator(renders, snapshot_dir):
    from naravard.config.catalog import load_catalog
    from naravard.config.regions import all_regions

    render = renders.national()
    lay = read_layout(render.pdf)
    titles = {h.title for h in lay.headings if h.level == 2}
    assert all(r.name in titles for r in all_regions())
    text = " ".join(" ".join(render.pages()).split())
    for ind in load_catalog().kolada():
        start = text.index(ind.name + " ", text.index("Tillgänglighet Telefonsamtal"))
        assert (
            "Bäst 2024 ligger" in text[start : start + 900]
            or "Högst värde 2024 har" in text[start : start + 900]
        ), ind.name


# --- the checks themselves can fail (synthetic pages) -----------------------------------------


def _layout(pages: list[Page], headings: list[Heading]) -> Layout:
    return Layout(pages, headings)


def test_checks_find_a_stranded_heading():
    pages = [
        Page(1, [(700, "x" * 100)]),
        Page(2, [(100, "Rubrik")], [(500, 700)]),
        Page(3, [(300, "text")], [(400, 780)]),
    ]
    heads = [
        Heading(1, "Kapitel", 2, CONTENT_TOP),
        Heading(2, "Avsnitt A", 2, 760),
        Heading(2, "Avsnitt B", 2, 120),
    ]
    assert stranded_headings(_layout(pages, heads)) == [
        "p. 2: 'Avsnitt B' – its chart starts on p. 3"
    ]


def test_checks_find_a_half_empty_page_mid_chapter_but_not_a_chapter_end():
    pages = [Page(1, [(600, "kort")]), Page(2, [(600, "kort")]), Page(3, [(100, "full")])]
    heads = [Heading(1, "A", 1, CONTENT_TOP), Heading(1, "B", 3, CONTENT_TOP)]
    found = [p.split(":")[0] for p in half_empty_pages(_layout(pages, heads))]
    assert found == ["p. 1"]  # p. 2 ends chapter A
    heads = [Heading(1, "A", 1, CONTENT_TOP)]
    assert [p.split(":")[0] for p in half_empty_pages(_layout(pages, heads))] == ["p. 1", "p. 2"]


def test_checks_find_a_page_with_only_a_source_line():
    pages = [
        Page(1, [(700, "Källa: Väntetider i vården, SKR, via Kolada")]),
        Page(2, [(700, "Ett stycke med riktig text " * 5)]),
    ]
    assert caption_only_pages(_layout(pages, [])) == [
        "p. 1: only 'Källa: Väntetider i vården, SKR, via Kolada'"
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["region", "national"])
def test_reader_text_has_no_working_notes_tool_name_or_paths(renders, snapshot_dir, name):
    text = " ".join(getattr(renders, name)().pages())
    for note in (
        "Anmärkning",
        "tolkat som",
        "framgår av rubriken",
        "naravard",
        "/work",
        "data/",
        "fildatum",
        "mäter samma sak",
        "Valda:",
    ):
        assert note not in text, note
    # a note that applies to the whole report stands once
    assert text.count("uppdelade på kvinnor och män") <= 1
