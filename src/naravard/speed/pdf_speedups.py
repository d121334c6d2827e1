"""Two shortcuts in WeasyPrint's PDF writing, for a third of a report's PDF time.

1. Images: WeasyPrint decodes every PNG and compresses it again before embedding it. A plain
   8-bit, non-interlaced RGB or grey PNG (our charts) already holds exactly what a PDF image
   stream with FlateDecode and a PNG predictor wants: the IDAT data, a filter byte per row.
   For such images the original data is used; every other image takes WeasyPrint's own path.
2. Fonts: without the system's HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools,
   which reads the OpenType layout tables (GSUB, GPOS: DejaVu's are large) before dropping
   them, since a PDF needs only glyphs. The tables are removed first, once per font file.

Both leave the PDF's content as it was. `install` applies each only when the installed
WeasyPrint is in the tested range and the methods it replaces have the expected shape
(`naravard.speed.shortcuts`); otherwise, or with NARAVARD_NO_SPEEDUPS=1, WeasyPrint runs unchanged.
"""

from __future__ import annotations

import inspect
import io
import struct
from functools import lru_cache
from typing import Any

from naravard.speed import shortcuts

# Imports marked "slow import: see top" load WeasyPrint's parts (0,46 s in all) or fontTools
# (0,03 s, measured December 2026) when a PDF is printed: a worker imports this module at start.

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_GREY, _RGB = 0, 2  # PNG colour types


def png_idat(data: bytes) -> bytes | None:
    """The concatenated IDAT data of a PNG a PDF can embed unchanged, else None."""
    if len(data) < 33 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    bit_depth, colour_type, interlace = data[24], data[25], data[28]
    if bit_depth != 8 or colour_type not in (_GREY, _RGB) or interlace != 0:
        return None
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack("!I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(chunks) or None


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def png_internals_ok(images_module: Any) -> bool:
    """WeasyPrint's RasterImage still has the static `_get_png_data(pillow_image)` we wrap."""
    raster = getattr(images_module, "RasterImage", None)
    method = vars(raster).get("_get_png_data") if raster is not None else None
    return isinstance(method, staticmethod) and _parameters(method.__func__) == ["pillow_image"]


def font_internals_ok(fonts_module: Any) -> bool:
    """WeasyPrint's Font still subsets through `_fonttools_subset(self, to_unicode, hinting)`
    reading `self.file_content`, and `subset` still calls it."""
    font_class = getattr(fonts_module, "Font", None)
    method = getattr(font_class, "_fonttools_subset", None)
    if method is None or getattr(method, "_naravard", False):
        return method is not None
    return (
        _parameters(method) == ["self", "to_unicode", "hinting"]
        and "self.file_content" in inspect.getsource(method)
        and "_fonttools_subset" in inspect.getsource(font_class.subset)
    )


def install() -> dict[str, bool]:
    """Apply the shortcuts that fit the imported WeasyPrint (idempotent); says which apply."""
    import weasyprint.images  # slow import: see top
    import weasyprint.pdf.fonts  # slow import: see top
    import weasyprint.text.ffi  # slow import: see top

    applied = {"pdf-png": False, "pdf-fonts": False}
    if shortcuts.allowed("pdf-png", lambda: png_internals_ok(weasyprint.images)):
        embed_png_as_is(weasyprint.images)
        applied["pdf-png"] = True
    if not getattr(weasyprint.text.ffi, "harfbuzz_subset", None) and shortcuts.allowed(
        "pdf-fonts", lambda: font_internals_ok(weasyprint.pdf.fonts)
    ):
        subset_without_layout_tables(weasyprint.pdf.fonts)
        applied["pdf-fonts"] = True
    return applied


def embed_png_as_is(images_module: Any) -> bool:
    """Teach WeasyPrint's raster images to reuse PNG data; False when its internals differ."""
    raster = getattr(images_module, "RasterImage", None)
    original = getattr(raster, "_get_png_data", None)
    if original is None or getattr(original, "_naravard", False):
        return False

    def get_png_data(pillow_image: Any) -> bytes:
        fp = getattr(pillow_image, "fp", None)
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(fp, io.BytesIO):
            data = png_idat(fp.getvalue())
            if data is not None:
                return data
        return original(pillow_image)

    get_png_data._naravard = True  # type: ignore[attr-defined]
    raster._get_png_data = staticmethod(get_png_data)
    return True


_LAYOUT_TABLES = ("GSUB", "GPOS", "JSTF", "BASE")


@lru_cache(maxsize=16)
def without_layout_tables(content: bytes, index: int = 0) -> bytes:
    """The font file without its OpenType layout tables; other tables are copied unread."""
    from fontTools.ttLib import TTFont, TTLibError  # slow import: see top

    try:
        font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
        present = [tag for tag in _LAYOUT_TABLES if tag in font]
        if not present:
            return content
        for tag in present:
            del font[tag]
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()
    except (TTLibError, OSError, ValueError, KeyError):
        return content


def subset_without_layout_tables(fonts_module: Any) -> bool:
    """Teach WeasyPrint's fontTools subsetting to skip reading tables it drops anyway."""
    font_class = getattr(fonts_module, "Font", None)
    original = getattr(font_class, "_fonttools_subset", None)
    if original is None or getattr(original, "_naravard", False):
        return False

    def _fonttools_subset(self: Any, to_unicode: Any, hinting: Any) -> None:
        content = getattr(self, "file_content", None)
        if isinstance(content, bytes):
            self.file_content = without_layout_tables(content, getattr(self, "index", 0) or 0)
        original(self, to_unicode, hinting)

    _fonttools_subset._naravard = True  # type: ignore[attr-defined]
    font_class._fonttools_subset = _fonttools_subset
    return True
