"""One safe YAML loader for every file: anchors, aliases and duplicate keys are refused,
and an error quotes only a short excerpt."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bad_input import one_line_error


# --- one safe YAML loader ------------------------------------------------------------

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(12)
    ]
)


def test_an_alias_bomb_in_answers_is_refused_quickly(tmp_path):
    from naravard.report.questionnaire import check_file

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text(
        'region: vasterbotten\nyear: 2024\nanswers:\n  "5":\n    answer: Ja\n'
        "    comment: "
        + "&x hej\n"
        + '  "6":\n    answer: Ja\n    comment: *x\n'
        + "# "
        + BOMB.replace("\n", "\n# ")
        + "\n",
        encoding="utf-8",
    )
    message = one_line_error(check_file, path)
    assert "2024.yaml rad" in message and "alias" in message


@pytest.mark.parametrize("loader", ["catalog", "structure", "answers"])
def test_anchors_and_aliases_are_refused_everywhere(tmp_path, loader):
    from naravard.core import safe_yaml

    path = tmp_path / "x.yaml"
    path.write_text(BOMB + "\n", encoding="utf-8")
    started = time.perf_counter()
    message = one_line_error(safe_yaml.load_file, path)
    assert time.perf_counter() - started < 2
    assert "x.yaml rad 1" in message


def test_every_yaml_read_goes_through_the_safe_loader():
    """No module but safe_yaml parses YAML, so no reader can miss the checks."""
    import naravard

    root = Path(naravard.__file__).parent
    parse = re.compile(r"(?<![\w.])yaml\.(safe_|full_|unsafe_)?load")
    offenders = [
        p.name
        for p in root.rglob("*.py")
        if p.name != "safe_yaml.py" and parse.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_duplicate_key_in_answers_is_refused(tmp_path):
    from naravard.report.questionnaire import read_answers

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text(
        'region: vasterbotten\nyear: 2024\nanswers:\n  "5":\n    answer: Ja\n'
        '  "5":\n    answer: Nej\n',
        encoding="utf-8",
    )
    message = one_line_error(read_answers, path)
    assert "2024.yaml rad 6" in message and "två gånger" in message


def test_a_duplicate_key_in_the_questionnaire_structure_is_refused(tmp_path):
    from naravard.report.questionnaire.structure import read_yaml

    path = tmp_path / "2024.yaml"
    path.write_text("title: a\ntitle: b\n", encoding="utf-8")
    assert "rad 2" in one_line_error(read_yaml, path)


def test_an_error_quotes_only_a_short_excerpt(tmp_path):
    from naravard.report.questionnaire import load_structure, validate_answers

    data = {"region": "vasterbotten", "year": 2024, "answers": {"5": {"answer": "J" * 100_000}}}
    message = one_line_error(validate_answers, data, load_structure(2024))
    assert len(message) < 400
