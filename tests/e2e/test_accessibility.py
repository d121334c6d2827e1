"""Accessible output, as EN 301 549 asks of a public body: PDF/UA-1 and WCAG 2.1 AA HTML.

The PDF: its structure tree read back with pikepdf (language, title, PDF/UA identification,
headings without skipped levels, tables with header cells, every figure with alt text).
The HTML: loaded in headless Chromium, checked by axe-core (tests/vendor/axe-core) at WCAG
2.1 A and AA, and its first screen photographed and checked not blank.
Both for Västerbotten 2024 and the national report 2024 (tests/renders.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from conftest import REQUIRE_BROWSER, skip_or_fail

from naravard.report.national import NATIONAL_TITLE
from naravard.report.common import TITLE

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

REPORTS = {
    "region": ("rapport", f"{TITLE} – Region Västerbotten 2024"),
    "national": ("riksrapport", f"{NATIONAL_TITLE} 2024"),
}


@pytest.fixture(scope="module", params=sorted(REPORTS))
def rendered(request, renders):
    kind = request.param
    stem, title = REPORTS[kind]
    result = renders.region() if kind == "region" else renders.national()
    return kind, result.out / f"{stem}.pdf", result.out / f"{stem}.html", title


# --- the PDF ------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Headings, tables and images of the published HTML, to compare the PDF's tags with."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.tables = 0
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "img":
            self.alts.append(" ".join((dict(attrs).get("alt") or "").split()))


def _html_tags(html: Path) -> _Tags:
    tags = _Tags()
    tags.feed(html.read_text(encoding="utf-8"))
    return tags


def _elements(node, found: list) -> list:
    """Every structure element under `node`, in document order."""
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            _elements(kids, found)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            _elements(kid, found)
    return found


def _kind(element) -> str:
    return str(element.S)[1:]


def test_pdf_declares_pdf_ua_1_with_language_and_title(rendered):
    kind, pdf_path, _, title = rendered
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "sv"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True  # the title, not a file name
        assert "/StructTreeRoot" in root
        assert str(pdf.docinfo.Title) == title
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == title


def test_pdf_headings_are_tagged_in_order_without_skipped_levels(rendered):
    kind, pdf_path, html_path, _ = rendered
    with pikepdf.open(pdf_path) as pdf:
        elements = _elements(pdf.Root.StructTreeRoot, [])
        levels = [int(_kind(e)[1]) for e in elements if re.fullmatch(r"H[1-6]", _kind(e))]
    assert levels and levels[0] == 1
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not skips, f"{kind}: heading levels skipped (from, to): {Counter(skips)}"
    assert levels == _html_tags(html_path).headings  # every heading tagged, none invented


def test_pdf_tables_have_header_cells(rendered):
    kind, pdf_path, html_path, _ = rendered
    with pikepdf.open(pdf_path) as pdf:
        tables = [e for e in _elements(pdf.Root.StructTreeRoot, []) if _kind(e) == "Table"]
        assert len(tables) >= _html_tags(html_path).tables  # a table over two pages: two
        for number, table in enumerate(tables, start=1):
            cells = Counter(_kind(e) for e in _elements(table.get("/K"), []))
            assert cells["TH"] >= 1, f"{kind}: table {number} has no header cell"
            assert cells["TR"] >= 2, f"{kind}: table {number} has no rows"


def test_pdf_figures_carry_the_charts_alt_text(rendered):
    kind, pdf_path, html_path, _ = rendered
    with pikepdf.open(pdf_path) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot, []) if _kind(e) == "Figure"]
        alts = [" ".join(str(f.get("/Alt", "")).split()) for f in figures]
    html_alts = _html_tags(html_path).alts
    assert len(figures) >= 20
    assert all(alts), f"{kind}: {alts.count('')} figures without alt text"
    assert alts == html_alts  # the same words as the HTML, in the same order


def test_pdf_links_and_fonts_meet_pdf_ua(rendered):
    """Links in the tag tree with a description and tab order by structure; fonts embedded."""
    kind, pdf_path, _, _ = rendered
    links = 0
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            annots = page.obj.get("/Annots") or []
            if len(annots):
                assert page.obj.get("/Tabs") == "/S", f"{kind} page {number}"
            for annot in annots:
                if annot.get("/Subtype") == "/Link":
                    links += 1
                    assert "/StructParent" in annot and str(annot.get("/Contents", "")).strip()
            for name, font in (page.obj.Resources.get("/Font") or {}).items():
                descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    f"{kind} page {number}: font {font.get('/BaseFont')} not embedded"
                )
    assert links >= 5  # the table of contents links to every chapter


# --- the HTML in a real browser -------------------------------------------------------------


def _browser_paths() -> tuple[str, str]:
    browser = os.environ.get("NARAVARD_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    driver = os.environ.get("NARAVARD_CHROMEDRIVER") or shutil.which("chromedriver")
    if not browser or not driver:
        skip_or_fail(
            "headless Chromium is not installed (Debian: `make browser` as root, or "
            "apt-get install chromium chromium-driver)",
            REQUIRE_BROWSER,
        )
    return browser, driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    browser_path, driver_path = _browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(300)
    yield driver
    driver.quit()


_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({version: r.testEngine.version, passes: r.passes.length,
                   violations: r.violations.map(v => ({id: v.id, impact: v.impact,
                     help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))}))
  .catch(e => done({error: String(e)}));
"""


def test_html_has_no_wcag_21_aa_violations_in_chromium(rendered, browser):
    kind, _, html_path, title = rendered
    browser.get(html_path.as_uri())
    assert browser.title == title
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(_RUN_AXE, WCAG_TAGS)
    assert "error" not in result, result
    assert result["version"] == AXE_VERSION
    assert result["passes"] >= 10  # axe really ran its rules on the page
    assert result["violations"] == [], json.dumps(
        result["violations"], ensure_ascii=False, indent=1
    )


def test_first_screen_is_not_blank(rendered, browser, tmp_path):
    from PIL import Image

    kind, _, html_path, _ = rendered
    browser.get(html_path.as_uri())
    heading = browser.find_element("css selector", "h1")
    assert heading.is_displayed() and heading.location["y"] < 900
    png = browser.get_screenshot_as_png()
    (tmp_path / f"{kind}.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] >= 1000
    dark = sum(image.histogram()[:128]) / (image.size[0] * image.size[1])
    assert dark > 0.005, f"{kind}: the first screen is almost empty ({dark:.4f} dark)"
    assert len(image.getcolors(maxcolors=1 << 16) or range(21)) > 20  # not one flat fill
