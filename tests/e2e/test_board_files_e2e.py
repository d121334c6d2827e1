"""bildspel.pptx and rapport.docx from the session's real renders, read back, and the slides
drawn by LibreOffice (issue 23, items 1, 2 and 6)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from docx import Document
from pptx import Presentation

from conftest import skip_or_fail
from renders import Render, norm

REQUIRE_OFFICE = "NARAVARD_REQUIRE_OFFICE"
PICTURE = 13  # MSO_SHAPE_TYPE.PICTURE


@pytest.fixture(scope="module")
def vb(renders) -> Render:
    return renders.region()


@pytest.fixture(scope="module")
def deck(vb):
    return Presentation(str(vb.out / "bildspel.pptx"))


def _texts(slide) -> list[str]:
    return [norm(s.text_frame.text) for s in slide.shapes if s.has_text_frame]


def _title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


@pytest.mark.e2e
def test_both_files_are_published_with_the_report_and_in_its_manifest(vb, renders):
    from naravard.build.manifest import sha256_file

    for render in (vb, renders.orebro()):  # make reports and make report alike
        outputs = json.loads((render.out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        for name in ("bildspel.pptx", "rapport.docx"):
            assert outputs[name] == sha256_file(render.out / name), (render.name, name)
    assert "bildspel.pptx" in vb.text or "klar" in vb.text


@pytest.mark.e2e
def test_slides_det_viktigaste_pictures_with_alt_text_and_sources(vb, deck):
    assert len(deck.slides) >= 6
    assert deck.slide_width * 9 == deck.slide_height * 16
    titles = [_title(s) for s in deck.slides]
    assert "Det viktigaste" in titles
    pdf = " ".join(vb.pages())
    viktigaste = " ".join(_texts(deck.slides[titles.index("Det viktigaste")]))
    assert "Telefonsvar samma dag: bland de svagaste i landet" in viktigaste
    assert "73,1 % 2024 (riket 87,0 %), plats 16 av 17." in viktigaste
    pictures = 0
    for slide in deck.slides:
        pics = [s for s in slide.shapes if s.shape_type == PICTURE]
        for pic in pics:
            alt = pic._element.nvPicPr.cNvPr.get("descr") or ""
            assert len(alt) > 40 and norm(alt)[:60] in norm(vb.html()), _title(slide)
        if pics:  # the source under the PDF's chart is on the slide
            sources = [t for t in _texts(slide) if t.startswith("Källa: ")]
            assert sources and sources[0] in pdf, _title(slide)
        pictures += len(pics)
    assert pictures >= 8
    telefon = deck.slides[titles.index("Telefonsamtal till primärvården besvarade samma dag")]
    assert any("plats 16 av 17" in t for t in _texts(telefon))  # its place among the regions


@pytest.mark.e2e
def test_docx_det_viktigaste_is_the_pdfs_and_the_overview_has_79_5(vb):
    doc = Document(str(vb.out / "rapport.docx"))
    paras = [(p.style.name, norm(p.text)) for p in doc.paragraphs]
    assert ("Heading 1", "Det viktigaste") in paras and ("Heading 1", "Översikt 2024") in paras
    start = paras.index(("Heading 1", "Det viktigaste"))
    end = paras.index(("Heading 1", "Översikt 2024"))
    viktigaste = " ".join(t for _, t in paras[start:end])
    page = next(p for p in vb.pages() if "Det viktigaste" in p and "Samtidigt" in p)
    for s, t in paras[start:end]:
        if s == "List Number":  # each message word for word as the PDF prints it
            assert t in page, t
    assert "plats 16 av 17" in viktigaste
    cells = [norm(c.text) for t in doc.tables for row in t.rows for c in row.cells]
    assert "79,5 %" in cells and "79,5 %" in " ".join(vb.pages()[2:4])


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        skip_or_fail(
            "LibreOffice saknas (soffice): `make office` installerar Debians "
            "libreoffice-impress; bildspelet ritas då inte upp i testet",
            REQUIRE_OFFICE,
        )
    return found


@pytest.mark.e2e
def test_national_slides_have_the_summary_charts_and_sources_and_no_docx(renders):
    nat = renders.national()
    deck = Presentation(str(nat.out / "bildspel.pptx"))
    titles = [_title(s) for s in deck.slides]
    assert titles[1] == "Sammanfattning" and "Om underlaget" in titles
    pdf = " ".join(nat.pages())
    for slide in deck.slides:
        pics = [s for s in slide.shapes if s.shape_type == PICTURE]
        for pic in pics:
            assert (pic._element.nvPicPr.cNvPr.get("descr") or "").startswith(
                ("Stapeldiagram", "Punktdiagram")
            ), _title(slide)
        if pics:
            sources = [t for t in _texts(slide) if t.startswith("Källa: ")]
            assert sources and sources[0] in pdf, _title(slide)
    outputs = json.loads((nat.out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert "bildspel.pptx" in outputs and not (nat.out / "rapport.docx").exists()


@pytest.mark.e2e
@pytest.mark.parametrize("which", ["region", "national"])
def test_libreoffice_draws_every_slide_inside_the_page(renders, which, tmp_path):
    import pypdfium2
    from pypdf import PdfReader

    vb = renders.region() if which == "region" else renders.national()
    deck = Presentation(str(vb.out / "bildspel.pptx"))
    soffice = _soffice()
    profile = tmp_path / "profil"  # its own profile: another soffice may be running
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(vb.out / "bildspel.pptx"),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env=os.environ | {"HOME": str(tmp_path)},
    )
    pdf = tmp_path / "bildspel.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == len(deck.slides)
    for page, slide in zip(reader.pages, deck.slides):
        low: list[float] = []

        def visit(text, cm, tm, font, size, low=low):
            if text.strip():
                low.append(tm[5] * cm[3] + cm[5])  # the baseline's height on the page

        text = norm(page.extract_text(visitor_text=visit))
        assert norm(_title(slide))[:30] in text
        assert min(low) >= 0, f"{_title(slide)}: text below the slide's edge"
    doc = pypdfium2.PdfDocument(str(pdf))
    for n in range(len(doc)):
        image = doc[n].render(scale=0.5).to_pil().convert("L")
        assert image.getextrema()[0] < 128, f"slide {n + 1} is blank"
