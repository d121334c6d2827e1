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


def _commit_msg(tmp_path, text: str) -> int:
    import subprocess

    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(text, encoding="utf-8")
    return subprocess.run(
        [str(REPO / ".githooks" / "commit-msg"), str(message)], capture_output=True, check=False
    ).returncode


def test_commit_msg_hook_wants_a_short_subject_and_a_body(tmp_path):
    assert _commit_msg(tmp_path, "Short subject\n\nWhy: the reason.\n") == 0
    assert _commit_msg(tmp_path, "x" * 73 + "\n\nWhy.\n") == 1
    assert _commit_msg(tmp_path, "Short subject\n") == 1
    assert _commit_msg(tmp_path, "Short subject\n# a git comment\n") == 1
    assert _commit_msg(tmp_path, "Short subject\nno blank line\n") == 1
    assert _commit_msg(tmp_path, "Merge branch 'x'\n") == 0
