"""naravard's own plain slide template, `templates/bildspel/mall.pptx`, and how to pick layouts
from any template (the region's own, in `data/mallar/`).

The committed template is python-pptx's default made 16:9, with Arial as its theme font (the
font the slides' text is measured for, see naravard.report.slide_fit). Remake it with
`python -m naravard.report.slide_template src/naravard/templates/bildspel/mall.pptx`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from naravard.core.errors import NaravardError
from naravard.core.paths import TEMPLATES_DIR, display_path, mallar_dir

# Imports marked "slow import: see top" load python-pptx (0,08 s, measured December 2026):
# the batch parent imports this module to name the template and opens none.

BUILTIN = TEMPLATES_DIR / "bildspel" / "mall.pptx"
TEMPLATE_NAME = "bildspel.pptx"
WIDE = (12192000, 6858000)  # 16:9, 33,867 × 19,05 cm, in EMU


def template_path(slug: str) -> Path:
    """The region's template (`data/mallar/<region>/bildspel.pptx`), the project's
    (`data/mallar/bildspel.pptx`), or naravard's own."""
    for path in (mallar_dir() / slug / TEMPLATE_NAME, mallar_dir() / TEMPLATE_NAME):
        if path.is_file():
            return path
    return BUILTIN


def open_template(path: Path) -> Any:
    """The template as an empty presentation (slides it holds are removed), or one line that
    says what is wrong with the file."""
    from pptx import Presentation  # slow import: see top
    from pptx.exc import PackageNotFoundError  # slow import: see top

    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise NaravardError(
            f"{display_path(path)}: bildspelsmallen går inte att läsa som "
            f"PowerPoint-fil (.pptx) ({type(exc).__name__}); spara mallen som "
            ".pptx eller ta bort filen så används naravards egen"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a broken zip or XML is the file's fault
        raise NaravardError(
            f"{display_path(path)}: bildspelsmallen är skadad ({exc}); spara "
            "om den i PowerPoint eller ta bort filen"
        ) from None
    ids = prs.slides._sldIdLst  # a template's own example slides do not belong in the deck
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    if not len(prs.slide_layouts):
        raise NaravardError(
            f"{display_path(path)}: bildspelsmallen har inga layouter; "
            "använd en mall med minst en layout med rubrik"
        )
    return prs


def _placeholder_types(layout: Any) -> set[int]:
    return {int(ph.placeholder_format.type) for ph in layout.placeholders}


def title_layout(prs: Any) -> Any:
    """The layout with a centred title (PowerPoint's "Rubrikbild"), else the first."""
    from pptx.enum.shapes import PP_PLACEHOLDER  # slow import: see top

    for layout in prs.slide_layouts:
        if int(PP_PLACEHOLDER.CENTER_TITLE) in _placeholder_types(layout):
            return layout
    return prs.slide_layouts[0]


def content_layout(prs: Any) -> Any:
    """The layout with a title and the fewest other placeholders ("Endast rubrik")."""
    from pptx.enum.shapes import PP_PLACEHOLDER  # slow import: see top

    furniture = {
        int(PP_PLACEHOLDER.DATE),
        int(PP_PLACEHOLDER.FOOTER),
        int(PP_PLACEHOLDER.SLIDE_NUMBER),
    }
    titled = [
        lay for lay in prs.slide_layouts if int(PP_PLACEHOLDER.TITLE) in _placeholder_types(lay)
    ]
    if not titled:
        return prs.slide_layouts[len(prs.slide_layouts) - 1]
    return min(titled, key=lambda lay: len(_placeholder_types(lay) - furniture))


def make_template(path: Path) -> Path:
    """Write naravard's plain 16:9 template from python-pptx's default."""
    from pptx import Presentation  # slow import: see top
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT  # slow import: see top

    prs = Presentation()
    factor = WIDE[0] / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.placeholders:
            if shape._element.xfrm is not None:  # its own place, not the master's
                shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    from pptx.enum.shapes import PP_PLACEHOLDER  # slow import: see top

    for shape in prs.slide_master.placeholders:  # room for two lines of an indicator's name
        if shape.placeholder_format.type == PP_PLACEHOLDER.TITLE:
            shape.top, shape.height = 228600, 960120
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = re.sub(
        rb'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rb'\1Arial"', theme.blob
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


if __name__ == "__main__":
    print(make_template(Path(sys.argv[1] if len(sys.argv) > 1 else BUILTIN)))
