"""The README stays short and for the people who run naravard; the docs it points to exist."""

from __future__ import annotations

import re

from conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _targets() -> set[str]:
    """The Makefile's documented targets (`name: … ## help`)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z]+):.*## ", text, re.M))


def test_readme_is_short():
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 150


def test_every_relative_link_in_the_docs_resolves():
    broken = []
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", doc.read_text(encoding="utf-8")):
            if "://" not in target and not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(REPO)}: {target}")
    assert not broken


def test_readme_names_only_real_targets():
    named = set(re.findall(r"\bmake ([a-z]+)\b", (REPO / "README.md").read_text(encoding="utf-8")))
    assert {"report", "test", "data", "kommentar", "reports", "diff"} <= named
    assert named <= _targets(), named - _targets()


def test_user_guide_lists_every_target():
    guide = (REPO / "docs" / "anvandarguide.md").read_text(encoding="utf-8")
    missing = {t for t in _targets() if f"`make {t}" not in guide and t != "help"}
    assert not missing, f"docs/anvandarguide.md has no row for: {missing}"
