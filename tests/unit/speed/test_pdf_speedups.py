"""The PDF shortcuts: chart PNGs embedded as they are, fonts subset without layout tables;
the PDF looks and reads the same."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from naravard.speed.pdf_speedups import png_idat, without_layout_tables
from naravard.build.render import html_to_pdf


def _png(mode: str, **save: object) -> bytes:
    rng = np.random.default_rng(7)
    shape = (37, 53, 3) if mode == "RGB" else (37, 53)
    image = Image.fromarray(rng.integers(0, 255, shape, dtype=np.uint8), mode)
    buffer = io.BytesIO()
    image.save(buffer, format="png", **save)
    return buffer.getvalue()


def test_idat_of_plain_rgb_and_grey_png_is_its_compressed_rows() -> None:
    for mode, bytes_per_pixel in (("RGB", 3), ("L", 1)):
        data = _png(mode, compress_level=1)
        rows = zlib.decompress(png_idat(data))
        assert len(rows) == 37 * (1 + 53 * bytes_per_pixel)  # a filter byte per row


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_pngs_a_pdf_cannot_take_as_they_are_are_left_to_weasyprint(mode: str) -> None:
    image = Image.new(mode, (4, 4))
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    assert png_idat(buffer.getvalue()) is None
    assert png_idat(_png("RGB", optimize=False)[:20]) is None  # truncated
    assert png_idat(b"GIF89a") is None


def test_interlaced_png_is_left_to_weasyprint() -> None:
    data = bytearray(_png("RGB"))
    data[28] = 1  # IHDR interlace method: Adam7 (Pillow does not write it)
    assert png_idat(bytes(data)) is None


def test_pdf_embeds_the_png_data_unchanged_and_the_pixels_survive(tmp_path: Path) -> None:
    data = _png("RGB", compress_level=1)
    src = base64.b64encode(data).decode("ascii")
    pdf = tmp_path / "bild.pdf"
    html_to_pdf(
        f'<html lang="sv"><body><img alt="brus" src="data:image/png;base64,{src}"></body></html>',
        pdf,
        tagged=False,
    )
    page = PdfReader(pdf).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    streams = [xobjects[name].get_object() for name in xobjects]
    images = [s for s in streams if s.get("/Subtype") == "/Image"]
    assert len(images) == 1
    assert images[0]._data == png_idat(data)  # noqa: SLF001 - the raw, still-compressed stream
    decoded = np.asarray(page.images[0].image.convert("RGB"))
    assert np.array_equal(decoded, np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))


def _dejavu() -> bytes:
    import matplotlib

    return (Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf").read_bytes()


def test_font_loses_only_its_layout_tables() -> None:
    from fontTools.ttLib import TTFont

    content = _dejavu()
    before = TTFont(io.BytesIO(content), lazy=True)
    assert "GPOS" in before and "GSUB" in before
    stripped = TTFont(io.BytesIO(without_layout_tables(content)))
    assert "GPOS" not in stripped and "GSUB" not in stripped
    assert sorted(set(before.keys()) - {"GPOS", "GSUB"}) == sorted(stripped.keys())
    assert stripped.getBestCmap()[ord("Å")] == before.getBestCmap()[ord("Å")]
    assert stripped["glyf"]["Aring"].numberOfContours == before["glyf"]["Aring"].numberOfContours


def test_font_that_is_not_a_font_is_left_alone() -> None:
    assert without_layout_tables(b"not a font") == b"not a font"


def test_pdf_text_reads_back_with_the_font_shortcut(tmp_path: Path, monkeypatch) -> None:
    """The fontTools path, forced even where WeasyPrint would use HarfBuzz-Subset."""
    from naravard.speed import pdf_speedups
    from naravard.build.render import _weasyprint

    fonts = _weasyprint().pdf.fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # Font.subset takes fontTools
    monkeypatch.setattr(fonts.Font, "_fonttools_subset", fonts.Font._fonttools_subset)
    assert pdf_speedups.font_internals_ok(fonts)
    pdf_speedups.subset_without_layout_tables(fonts)
    assert fonts.Font._fonttools_subset._naravard
    pdf_speedups.without_layout_tables.cache_clear()
    text = "Västerbotten 79,5 % – Åäö fi"
    pdf = tmp_path / "text.pdf"
    html_to_pdf(
        f'<html lang="sv"><body><p style="font-family: DejaVu Sans">{text}</p></body></html>',
        pdf,
        tagged=False,
    )
    assert text in " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert pdf_speedups.without_layout_tables.cache_info().currsize >= 1


def test_shortcuts_check_weasyprints_internals_before_patching() -> None:
    import types

    from naravard.speed import pdf_speedups
    from naravard.build.render import _weasyprint

    weasyprint = _weasyprint()
    assert pdf_speedups.png_internals_ok(weasyprint.images)
    assert pdf_speedups.font_internals_ok(weasyprint.pdf.fonts)

    class RasterImage:
        def _get_png_data(self, image, extra):  # a changed shape: not a staticmethod
            return b""

    class Font:
        def _fonttools_subset(self, glyphs):
            return None

        def subset(self, glyphs):
            return None

    assert not pdf_speedups.png_internals_ok(types.SimpleNamespace(RasterImage=RasterImage))
    assert not pdf_speedups.png_internals_ok(types.SimpleNamespace())
    assert not pdf_speedups.font_internals_ok(types.SimpleNamespace(Font=Font))


def test_font_shortcut_leaves_the_pages_as_they_were(tmp_path: Path, monkeypatch) -> None:
    """fontTools subsetting with and without the layout tables dropped first: same pixels."""
    import numpy as np
    import pypdfium2 as pdfium

    from naravard.speed import pdf_speedups
    from naravard.build.render import _weasyprint

    fonts = _weasyprint().pdf.fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # Font.subset takes fontTools
    original = fonts.Font._fonttools_subset
    monkeypatch.setattr(fonts.Font, "_fonttools_subset", original)
    if getattr(original, "_naravard", False):
        pytest.skip("the shortcut was installed before this test could keep the original")
    html = (
        "<html lang='sv'><body style='font-size: 14pt'>"
        "<p style='font-family: DejaVu Sans'>Västerbotten 79,5 % – Åäö fi ffl ≥ −2,1</p>"
        "<p style='font-family: DejaVu Sans; font-weight: bold'>Riket 82,0 % ▲ ▼ ↑</p>"
        "<p style='font-family: DejaVu Serif; font-style: italic'>Källa: Kolada</p>"
        "</body></html>"
    )

    def pixels(name: str) -> np.ndarray:
        pdf = tmp_path / name
        html_to_pdf(html, pdf, tagged=False)
        doc = pdfium.PdfDocument(str(pdf))
        try:
            return np.asarray(doc[0].render(scale=2).to_pil().convert("L"), dtype=np.int16)
        finally:
            doc.close()

    plain = pixels("plain.pdf")
    pdf_speedups.subset_without_layout_tables(fonts)
    pdf_speedups.without_layout_tables.cache_clear()
    shortcut = pixels("shortcut.pdf")
    assert pdf_speedups.without_layout_tables.cache_info().currsize >= 1
    assert plain.shape == shortcut.shape and (plain < 128).sum() > 1000
    assert np.abs(plain - shortcut).max() == 0
