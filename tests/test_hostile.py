"""Issue 19: faults found by trying the comment files, own notebooks, `make diff`, `make
kommentar` and kills as a hostile user would (../shared/reference/faults-2024-12.md).

Comment-file limits are tested in test_commentary.py, kernels and own notebooks in
test_own_limits.py.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from naravard.errors import NaravardError


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(NaravardError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message[:2000]
    return message


# --- F1: a date that does not exist, in any YAML file ------------------------------------------

@pytest.mark.parametrize("value, problem", [("2025-13-45", "month must be in 1..12"),
                                            ("2024-02-30", "day is out of range")])
def test_f1_an_impossible_date_in_answers_is_one_line_with_the_line(tmp_path, value, problem):
    from naravard.questionnaire import check_file

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text(f"region: vasterbotten\nyear: 2024\nx: {value}\nanswers: {{}}\n",
                    encoding="utf-8")
    message = one_line_error(check_file, path)
    assert f"2024.yaml rad 3: '{value}' är inget giltigt datum ({problem}" in message


def test_f1_an_impossible_date_in_the_catalogue_reader_is_one_line(tmp_path):
    from naravard import safe_yaml

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - 2024-02-30\n", encoding="utf-8")
    assert "x.yaml rad 3: '2024-02-30' är inget giltigt datum" in one_line_error(
        safe_yaml.load_file, path)


def test_f1_real_dates_still_read_as_dates():
    import datetime as dt

    from naravard import safe_yaml

    assert safe_yaml.load_text("d: 2024-02-29", "x") == {"d": dt.date(2024, 2, 29)}
