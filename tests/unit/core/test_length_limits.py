"""Length limits on free text: a long word, source, answer or catalogue text is refused at
once, in one line; what is allowed still prints quickly."""

from __future__ import annotations

import time

from bad_input import SRC, regional, one_line_error
from naravard.config.catalog import load_catalog
from naravard.sources.regional import read_regional_file


# --- length limits on free text -----------------------------------------------------------


def test_a_ten_thousand_character_word_in_a_note_is_refused_at_once(tmp_path, catalog):
    path = regional(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};" + "x" * 10_000)
    started = time.perf_counter()
    message = one_line_error(read_regional_file, path, catalog)
    assert time.perf_counter() - started < 5
    assert "rad 2, kolumnen note" in message and "10000 tecken" in message


def test_a_word_too_long_to_break_quickly_is_refused(tmp_path, catalog):
    path = regional(tmp_path, f"fast_lakarkontakt_andel;2024;T;46;{SRC};Se " + "y" * 201)
    message = one_line_error(read_regional_file, path, catalog)
    assert "201 tecken utan mellanslag" in message


def test_a_long_source_is_refused(tmp_path, catalog):
    path = regional(tmp_path, "fast_lakarkontakt_andel;2024;T;46;" + "källa " * 100 + ";")
    assert "kolumnen source" in one_line_error(read_regional_file, path, catalog)


def test_a_long_answer_text_is_refused(tmp_path):
    from naravard.report.questionnaire import load_structure, validate_answers

    data = {
        "region": "vasterbotten",
        "year": 2024,
        "answers": {"35": {"answer": 18, "source": "y" * 10_000}},
    }
    message = one_line_error(validate_answers, data, load_structure(2024))
    assert "fråga 35" in message and "source" in message


def test_a_long_catalogue_text_is_refused(tmp_path):
    from naravard.core.paths import catalog_path

    text = catalog_path().read_text(encoding="utf-8")
    bad = tmp_path / "indicators.yaml"
    bad.write_text(text.replace("    name: ", "    name: " + "z" * 5000 + " ", 1), encoding="utf-8")
    message = one_line_error(load_catalog, bad)
    assert "fältet name" in message and "högst 1000" in message


def test_the_stylesheet_lets_long_words_break():
    from naravard.core.paths import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "naravard" / "static" / "naravard.css").read_text(encoding="utf-8")
    assert "overflow-wrap: break-word" in css


def test_a_long_but_allowed_word_prints_quickly(tmp_path):
    import nbformat

    from naravard.build.render import html_to_pdf, notebook_to_html

    from naravard.core.limits import MAX_WORD, check_length

    word = ("Regionfullmäktigesbeslut" * 20)[:MAX_WORD]  # the longest word allowed
    check_length(f"Se {word}", "regional_note", "x")
    html = f"<p>{word}</p><table><tr><td>{word}</td></tr></table>"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[nbformat.v4.new_output("display_data", {"text/html": html})]
            )
        ]
    )
    started = time.perf_counter()
    pages = html_to_pdf(notebook_to_html(nb, title="t"), tmp_path / "x.pdf")
    assert pages <= 2 and time.perf_counter() - started < 60
