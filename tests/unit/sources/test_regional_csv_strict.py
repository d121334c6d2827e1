"""A region's own CSV file is parsed strictly: a stray quote, a field too many or too few,
text after a closing quote or a field over the size limit is one line naming the row."""

from __future__ import annotations

from bad_input import SRC, ROW, regional, one_line_error
from naravard.sources.regional import read_regional_file


# --- regional CSV parsed strictly -------------------------------------------------------


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path, catalog):
    path = regional(
        tmp_path,
        f'fast_lakarkontakt_andel;2023;T;44;"{SRC};',
        ROW,
        "fast_lakarkontakt_antal;2024;T;28100;x;",
    )
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message and "citattecken" in message


def test_a_quote_closed_rows_later_is_refused_too(tmp_path, catalog):
    path = regional(
        tmp_path,
        f'fast_lakarkontakt_andel;2023;T;44;"{SRC};',
        ROW,
        'fast_lakarkontakt_antal;2024;T;28100;x";',
    )
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 2" in message


def test_an_unquoted_semicolon_that_adds_a_field_is_refused(tmp_path, catalog):
    path = regional(tmp_path, ROW, f"fast_lakarkontakt_antal;2024;T;28100;{SRC};mätt; se bilaga")
    message = one_line_error(read_regional_file, path, catalog)
    assert "vasterbotten.csv rad 3" in message and "7 fält" in message


def test_a_row_with_too_few_fields_is_refused(tmp_path, catalog):
    path = regional(tmp_path, "fast_lakarkontakt_andel;2024;T;46")
    assert "rad 2" in one_line_error(read_regional_file, path, catalog)


def test_text_after_a_closing_quote_is_refused(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2024;T;46;"{SRC}" mer;')
    assert "rad 2" in one_line_error(read_regional_file, path, catalog)


def test_a_quoted_semicolon_is_fine(tmp_path, catalog):
    path = regional(tmp_path, f'fast_lakarkontakt_andel;2024;T;46;"{SRC}; tabell 3";')
    assert read_regional_file(path, catalog)["source"].tolist() == [f"{SRC}; tabell 3"]


def test_a_field_over_the_csv_size_limit_is_one_line(tmp_path, catalog):
    path = regional(tmp_path, 'fast_lakarkontakt_andel;2024;T;46;"' + "x" * 200_000)
    assert "vasterbotten.csv rad 2" in one_line_error(read_regional_file, path, catalog)
