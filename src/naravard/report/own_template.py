"""`make egen REGION=…`: start a region's own notebook from the template `notebooks/egna/mall.ipynb`.

The copy becomes `notebooks/egna/<slug>.ipynb`, which `make report` appends to that region's
report as the chapter "Egen analys". An existing notebook is never overwritten: it holds the
analyst's work.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from naravard.core.errors import NaravardError
from naravard.core.paths import display_path, own_notebooks_dir
from naravard.config.regions import get_region

TEMPLATE = "mall.ipynb"


def copy_template(region: str) -> Path:
    """Copy the template for `region`; refuse when the region's notebook exists."""
    reg = get_region(region)
    folder = own_notebooks_dir()
    template = folder / TEMPLATE
    if not template.is_file():
        raise NaravardError(f"{display_path(template)} saknas; återställ den med git checkout")
    dest = folder / f"{reg.slug}.ipynb"
    if dest.exists():
        raise NaravardError(
            f"{display_path(dest)} finns redan; öppna den i make lab, eller "
            "flytta den först om du vill börja om från mallen"
        )
    text = template.read_text(encoding="utf-8").replace(
        'region = \\"Västerbotten\\"', f'region = \\"{reg.name}\\"', 1
    )
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.link(tmp, dest)  # fails if it appeared meanwhile: never overwrite
    except FileExistsError:
        raise NaravardError(f"{display_path(dest)} finns redan") from None
    except OSError as exc:
        raise NaravardError(
            f"{display_path(dest)}: kan inte skrivas ({exc.strerror}); "
            "kontrollera rättigheter och ledigt utrymme"
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if len(args) != 1 or not args[0].strip():
            raise NaravardError("ange REGION, t.ex. make egen REGION=Västerbotten")
        dest = copy_template(args[0])
    except NaravardError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return 2
    print(
        f"Skrev {display_path(dest)}: öppna den med make lab. Mallens celler har taggen "
        "exempel; ta bort taggen från dem du vill ha i rapportens kapitel Egen analys."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
