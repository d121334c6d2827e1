"""Count a report's half-empty pages: the content ends above 60 % (and 70 %) of the page.

    .venv/bin/python bench/half_empty.py output/vasterbotten/2024/rapport.pdf …

A page that ends a chapter (the next page opens one: chapters start on a new page) is
counted apart, since its white is the forced break's, not the layout's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pdf_layout import A4_HEIGHT, read_layout  # noqa: E402


def main(pdfs: list[str]) -> None:
    for pdf in pdfs:
        lay = read_layout(pdf)
        print(f"{pdf}: {len(lay.pages)} pages")
        for limit in (0.6, 0.7):
            mid, ends = [], []
            for p in lay.pages:
                down = (A4_HEIGHT - p.lowest) / A4_HEIGHT  # how far down the content reaches
                if down < limit:
                    (ends if lay.chapter_end(p.number) else mid).append(f"{p.number} ({down:.0%})")
            print(
                f"  ends above {limit:.0%}: mid-chapter {len(mid)}: {', '.join(mid) or '–'}; "
                f"chapter ends {len(ends)}: {', '.join(ends) or '–'}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
