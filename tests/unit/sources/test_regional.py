"""data/regional/<slug>.csv: what Excel writes loads; every mistake gets one line with row and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from naravard.core import paths
from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError
from naravard.sources.regional import read_regional_dir, read_regional_file
from naravard.sources.table import COLUMNS

HEADER = "indicator_id;year;gender;value;source;note"
SRC = "Region Västerbottens redovisning till Socialstyrelsen 2024, fråga 35"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def write(
    tmp_path: Path,
    body: str,
    name: str = "vasterbotten.csv",
    encoding: str = "utf-8",
    header: str = HEADER,
) -> Path:
    path = tmp_path / name
    path.write_bytes((header + "\n" + body).encode(encoding) if header else body.encode(encoding))
    return path


def error(path: Path, catalog) -> str:
    with pytest.raises(NaravardError) as info:
        read_regional_file(path, catalog)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_reads_tidy_rows_with_region_from_file_name(tmp_path, catalog):
    path = write(
        tmp_path,
        f"fast_lakarkontakt_andel;2024;T;46;{SRC};mätt som 2023\n"
        f"fast_lakarkontakt_antal;2024;T;28 100;{SRC};\n",
        name="orebro-lan.csv",
    )
    frame = read_regional_file(path, catalog)
    assert list(frame.columns) == COLUMNS
    assert set(frame["region_code"]) == {"0018"}
    assert frame["value"].tolist() == [46.0, 28100.0]
    assert frame["source"].tolist() == [f"{SRC}; mätt som 2023", SRC]
    assert set(frame["retrieved"]) == {""} and set(frame["status"]) == {""}
    assert frame["year"].dtype == "int64"


def test_definition_column_is_kept_with_the_row(tmp_path, catalog):
    path = write(
        tmp_path,
        f"fast_lakarkontakt_andel;2023;T;10;{SRC};;fast vårdkontakt\n"
        f"fast_lakarkontakt_andel;2024;T;10;{SRC};;\n",
        header=HEADER + ";definition",
    )
    frame = read_regional_file(path, catalog)
    # the tidy `status` of a region's own row is its definition ("" = the catalogue's)
    assert frame["status"].tolist() == ["fast vårdkontakt", ""]


def test_decimal_comma_and_point(tmp_path, catalog):
    path = write(
        tmp_path,
        f"fast_lakarkontakt_andel;2023;T;55,3;{SRC};\nfast_lakarkontakt_andel;2024;T;56.7;{SRC};\n",
    )
    assert read_regional_file(path, catalog)["value"].tolist() == [55.3, 56.7]


def test_excel_bom_loads(tmp_path, catalog):
    path = write(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_regional_file(path, catalog)["value"].tolist() == [46.0]


def test_cp1252_from_swedish_excel_loads(tmp_path, catalog):
    path = write(
        tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};särskilt år\r\n", encoding="cp1252"
    )
    frame = read_regional_file(path, catalog)
    assert frame["source"].iloc[0] == f"{SRC}; särskilt år"


def test_quoted_field_with_semicolon(tmp_path, catalog):
    path = write(tmp_path, f'fast_lakarkontakt_andel;2024;T;46;"{SRC}; bilaga";\n')
    assert read_regional_file(path, catalog)["source"].iloc[0] == f"{SRC}; bilaga"


def test_empty_gender_means_total(tmp_path, catalog):
    path = write(tmp_path, f"fast_lakarkontakt_andel;2024;;46;{SRC};\n")
    assert read_regional_file(path, catalog)["gender"].tolist() == ["T"]


@pytest.mark.parametrize(
    "body, expected",
    [
        (f"fast_lakarkontakt_andel;2024;T;abc;{SRC};", ["rad 2", "value", '"abc"', "inte ett tal"]),
        (f"fast_lakarkontakt_andel;2024;T;;{SRC};", ["rad 2", "value", "inte ett tal"]),
        (f"fast_lakarkontakt_andel;2024;T;140;{SRC};", ["rad 2", "value", "140", "0–100"]),
        (f"fast_lakarkontakt_antal;2024;T;-5;{SRC};", ["rad 2", "value", "negativ"]),
        (
            f"fast_lakarkontakt_andl;2024;T;46;{SRC};",
            ["rad 2", "indicator_id", "fast_lakarkontakt_andel"],
        ),
        (f"telefon_samma_dag;2024;T;46;{SRC};", ["rad 2", "indicator_id", "Kolada"]),
        (f"N79179;2024;T;46;{SRC};", ["rad 2", "indicator_id", "Kolada", "telefon_samma_dag"]),
        (f"fast_lakarkontakt_andel;2024;X;46;{SRC};", ["rad 2", "gender", "T (totalt)"]),
        (f"fast_lakarkontakt_andel;tjugo;T;46;{SRC};", ["rad 2", "year", "årtal"]),
        (f"fast_lakarkontakt_andel;1850;T;46;{SRC};", ["rad 2", "year"]),
        ("fast_lakarkontakt_andel;2024;T;46;;", ["rad 2", "source", "källan saknas"]),
    ],
)
def test_bad_rows_name_row_column_and_fix(tmp_path, catalog, body, expected):
    message = error(write(tmp_path, body + "\n"), catalog)
    assert message.startswith("vasterbotten.csv") or "vasterbotten.csv" in message
    for part in expected:
        assert part in message, (part, message)
    assert ";" in message  # problem; fix


def test_row_numbers_count_like_a_spreadsheet(tmp_path, catalog):
    body = (
        f"fast_lakarkontakt_andel;2023;T;40;{SRC};\n\nfast_lakarkontakt_andel;2024;T;abc;{SRC};\n"
    )
    assert "rad 4" in error(write(tmp_path, body), catalog)


def test_duplicate_row_names_both_lines(tmp_path, catalog):
    body = f"fast_lakarkontakt_andel;2024;T;40;{SRC};\nfast_lakarkontakt_andel;2024;T;41;{SRC};\n"
    message = error(write(tmp_path, body), catalog)
    assert "rad 3" in message and "rad 2" in message and "ta bort" in message


def test_same_indicator_year_other_gender_is_not_duplicate(tmp_path, catalog):
    body = f"fast_lakarkontakt_andel;2024;K;40;{SRC};\nfast_lakarkontakt_andel;2024;M;41;{SRC};\n"
    assert len(read_regional_file(write(tmp_path, body), catalog)) == 2


def test_missing_column_lists_expected_header(tmp_path, catalog):
    path = write(
        tmp_path,
        f"fast_lakarkontakt_andel;2024;T;{SRC}\n",
        header="indicator_id;year;gender;source",
    )
    message = error(path, catalog)
    assert "value" in message and HEADER in message and "rad 1" in message


def test_unknown_region_file_name_lists_slugs(tmp_path, catalog):
    message = error(
        write(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};\n", name="lappland.csv"), catalog
    )
    assert "vasterbotten.csv" in message and "orebro-lan.csv" in message


def test_region_name_instead_of_slug_suggests_the_slug(tmp_path, catalog):
    message = error(
        write(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};\n", name="Örebro län.csv"),
        catalog,
    )
    assert "orebro-lan.csv" in message


def test_empty_file(tmp_path, catalog):
    path = tmp_path / "vasterbotten.csv"
    path.write_bytes(b"\xef\xbb\xbf \n")
    assert "tom" in error(path, catalog)


def test_header_only_file_gives_no_rows(tmp_path, catalog):
    assert read_regional_file(write(tmp_path, ""), catalog).empty


def test_read_dir_collects_files_and_missing_dir_is_empty(tmp_path, catalog):
    write(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};\n", name="orebro-lan.csv")
    write(tmp_path, f"fast_lakarkontakt_andel;2024;T;10;{SRC};\n")
    frame, files = read_regional_dir(tmp_path, catalog)
    assert [p.name for p in files] == ["orebro-lan.csv", "vasterbotten.csv"]
    assert sorted(frame["region_code"]) == ["0018", "0024"]
    frame, files = read_regional_dir(tmp_path / "nothing", catalog)
    assert frame.empty and files == [] and list(frame.columns) == COLUMNS


def test_shipped_regional_files_hold_the_seed_figures(catalog):
    frame, files = read_regional_dir(paths.regional_dir(), catalog)
    assert {p.name for p in files} >= {"vasterbotten.csv", "orebro-lan.csv"}

    def value(code: str, ident: str, year: int) -> float:
        rows = frame[
            (frame.region_code == code)
            & (frame.indicator_id == ident)
            & (frame.year == year)
            & (frame.gender == "T")
        ]
        assert len(rows) == 1, (code, ident, year)
        return float(rows["value"].iloc[0])

    assert value("0024", "egen_telefon_samma_dag", 2024) == 76
    assert value("0024", "egen_telefon_samma_dag", 2023) == 73
    assert value("0024", "egen_medicinsk_bedomning_3d", 2024) == 80
    assert value("0024", "egen_medicinsk_bedomning_3d", 2023) == 77
    assert value("0024", "fast_lakarkontakt_antal", 2024) == 28100
    assert value("0018", "fast_lakarkontakt_andel", 2024) == 46
    assert value("0018", "fast_lakarkontakt_antal", 2024) == 140441
    assert value("0018", "fast_lakarkontakt_sabo_andel", 2024) == 100
    assert frame["source"].str.contains("redovisning till Socialstyrelsen 2024, fråga").all()
