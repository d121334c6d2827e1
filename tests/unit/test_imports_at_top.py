"""Imports sit at the top of a module; one inside a function says why on its line or the line
above (a measured start-up cost, a Unix-only module, a cycle), so a reader never wonders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import naravard

PACKAGE = Path(naravard.__file__).parent


def unexplained_imports(source: str) -> list[int]:
    """Line numbers of imports inside a function with no comment on that line or just above."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                here = lines[node.lineno - 1]
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                if "#" not in here and not above.startswith("#"):
                    found.append(node.lineno)
    return sorted(set(found))


def test_every_import_inside_a_function_says_why() -> None:
    bad = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in unexplained_imports(path.read_text(encoding="utf-8"))
    ]
    assert not bad, "import inside a function without a comment saying why: " + ", ".join(bad)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    import json\n", [2]),
        ("def f():\n    import json  # slow import: see top\n", []),
        ("def f():\n    # Unix only\n    import termios\n", []),
        ("class C:\n    def m(self):\n        from os import path\n", [3]),
        ("import json\n\ndef f():\n    return json\n", []),
    ],
)
def test_the_check_finds_what_it_should(source: str, expected: list[int]) -> None:
    assert unexplained_imports(source) == expected
