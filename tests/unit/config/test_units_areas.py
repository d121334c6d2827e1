"""data/catalog/units.yaml and areas.yaml: the project's files load, each mistake is one line,
and the report's wording follows the data (no module keeps a unit or area list of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from naravard.config import areas, units
from naravard.config.catalog import AREAS, UNITS, load_catalog
from naravard.core.errors import NaravardError
from naravard.wording import kommun as kommun_words
from naravard.wording import text

_UNIT = {"key": "procent", "symbol": "%", "label": "Procent"}


def _file(tmp_path: Path, top: str, entries: object) -> Path:
    path = tmp_path / f"{top}.yaml"
    path.write_text(yaml.safe_dump({top: entries}, allow_unicode=True), encoding="utf-8")
    return path


def _error(parse, path: Path) -> str:
    with pytest.raises(NaravardError) as info:
        parse(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}:"), message
    return message


def test_the_projects_files_load_and_cover_the_catalogue() -> None:
    catalog = load_catalog()
    assert list(AREAS) == list(areas.load()) and AREAS["samverkan"].startswith("Samverkan")
    assert {i.area for i in catalog} <= set(AREAS)
    assert {i.unit for i in catalog} <= set(units.load())
    assert UNITS["procent"] == "%"
    assert units.get("procent").change.many == "procentenheter"


def test_a_minimal_file_loads_with_defaults(tmp_path: Path) -> None:
    loaded = units.load(
        _file(tmp_path, "units", [{"key": "dagar", "symbol": "dagar", "label": "Dagar"}])
    )
    day = loaded["dagar"]
    assert (day.short, day.cell, day.change, day.subject, day.neuter) == (
        False,
        None,
        None,
        "Värdet",
        True,
    )
    assert areas.load(_file(tmp_path, "areas", [{"key": "a", "title": "A"}])) == {"a": "A"}


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([{**_UNIT, "colour": "red"}], "enhet 'procent', fältet colour: okänt fält"),
        ([{**_UNIT, "short": "ja"}], "fältet short: värdet 'ja' är inte true eller false"),
        ([{**_UNIT, "label": ""}], "fältet label: saknas eller är tom"),
        ([{"key": "procent", "label": "Procent"}], "fältet symbol: saknas"),
        ([{**_UNIT, "key": "Pro Cent"}], "fältet key: 'Pro Cent' är inte snake_case"),
        ([_UNIT, dict(_UNIT)], "enhet 'procent', fältet key: står två gånger"),
        ([{**_UNIT, "change": {"many": "pe"}}], "fältet change.one: saknas"),
        (
            [{**_UNIT, "change": {"many": "a", "one": "b", "short": "c", "x": "d"}}],
            "fältet change.x: okänt fält",
        ),
        (
            [{**_UNIT, "change": "procentenheter"}],
            "fältet change: värdet 'procentenheter' är inte en post",
        ),
        (["procent"], "enhet nr 1 är ingen post"),
        ([], "units ska vara en lista"),
    ],
)
def test_each_bad_unit_value_is_one_line(tmp_path: Path, entries: object, expected: str) -> None:
    assert expected in _error(units.load, _file(tmp_path, "units", entries))


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([{"key": "resurser"}], "område 'resurser', fältet title: saknas"),
        ([{"key": "resurser", "title": 3}], "fältet title: värdet 3 är inte en text"),
        ([{"title": "Resurser"}], "område nr 1, fältet key: saknas"),
    ],
)
def test_each_bad_area_value_is_one_line(tmp_path: Path, entries: object, expected: str) -> None:
    assert expected in _error(areas.load, _file(tmp_path, "areas", entries))


def test_a_file_with_another_top_key_or_none_at_all(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text("enheter: []\n", encoding="utf-8")
    assert "en enda nyckel units:" in _error(units.load, path)
    assert "filen finns inte" in _error(units.load, tmp_path / "saknas.yaml")


@pytest.fixture
def edited_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """The project's units.yaml with the test's edits, in place of the real one."""
    data = yaml.safe_load(units.default_path().read_text(encoding="utf-8"))
    by_key = {u["key"]: u for u in data["units"]}
    path = tmp_path / "units.yaml"
    monkeypatch.setattr(units, "default_path", lambda: path)
    units._default.cache_clear()
    yield by_key
    units._default.cache_clear()


def _use(by_key: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump({"units": list(by_key.values())}, allow_unicode=True), "utf-8")
    units._default.cache_clear()


def test_wording_follows_the_units_file(edited_units: dict) -> None:
    path = units.default_path()
    edited_units["per_1000"]["cell"] = "per tusen inv."
    edited_units["per_1000"]["label"] = "Per tusen invånare"
    edited_units["procent"]["change"] = {"many": "procentenh.", "one": "procentenh.", "short": "pe"}
    edited_units["procent"]["subject"] = "Delen"
    edited_units["dagar"]["each_number"] = False
    edited_units["dagar"]["short"] = True
    _use(edited_units, path)
    assert text.fmt_cell(3.25, "per_1000") == "3,3 per tusen inv."
    assert text.unit_label("per_1000") == "Per tusen invånare"
    assert text.fmt_change(1.5, "procent") == "+1,5 procentenh."
    assert text.fmt_change(1.5, "procent", short=True) == "+1,5\u00a0pe"
    assert text._subject("procent") == ("Delen", False)
    assert text.fmt_value(2, "dagar", 0, short=True) == "2\u00a0dagar"
    assert not kommun_words._each_number("dagar")


def test_a_new_unit_is_one_entry(edited_units: dict) -> None:
    edited_units["timmar"] = {"key": "timmar", "symbol": "timmar", "label": "Timmar", "cell": "tim"}
    _use(edited_units, units.default_path())
    assert text.fmt_value(4, "timmar", 0) == "4 timmar"
    assert text.fmt_cell(4, "timmar", 0) == "4 tim"
    assert "timmar" in UNITS
