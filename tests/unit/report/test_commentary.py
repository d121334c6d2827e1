"""The analyst's comment files: strict parsing, Markdown subset, stale values, the template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from naravard.report import commentary
from naravard.config.catalog import load_catalog
from naravard.core.errors import NaravardError

GOOD = """---
författare: Analysenheten, Region Västerbotten
datum: 2025-03-01
---
## Det viktigaste
Tillgängligheten är **regionens största utmaning**.

- en punkt
- [SKR](https://skr.se) och <b>fet</b> <script>alert(1)</script>

## tillganglighet
Om området.

## medicinsk_bedomning_3d (79,5 % 2024)
Bättre än förra året.
"""


def write(tmp_path: Path, content: str | bytes, name: str = "2024.md") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def table(value: float | None = 79.5) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "medicinsk_bedomning_3d",
                "value": value,
                "unit": "procent",
                "decimals": 1,
            }
        ]
    )


def test_a_good_file_parses_into_sections(tmp_path):
    com = commentary.parse(write(tmp_path, GOOD), load_catalog())
    assert com.author == "Analysenheten, Region Västerbotten"
    assert com.date == dt.date(2025, 3, 1)
    assert list(com.sections) == ["Det viktigaste", "tillganglighet", "medicinsk_bedomning_3d"]
    section = com.sections["medicinsk_bedomning_3d"]
    assert (section.recorded_value, section.recorded_year, section.line) == ("79,5 %", 2024, 14)
    assert section.body == "Bättre än förra året."


@pytest.mark.parametrize(
    "content, line, words",
    [
        (
            GOOD.replace("## tillganglighet", "## medicinsk_bedomning_3dd"),
            11,
            ["okänt avsnitt 'medicinsk_bedomning_3dd'", "menade du medicinsk_bedomning_3d"],
        ),
        (GOOD.replace("## tillganglighet", "## tillganglighett"), 11, ["menade du tillganglighet"]),
        (GOOD.replace("## tillganglighet", "## kontinuitet"), 11, ["inget eget kapitel"]),
        (GOOD.replace("(79,5 % 2024)", "(79,5 %)"), 14, ["värde och år"]),
        (GOOD.replace("## tillganglighet", "# tillganglighet"), 11, ["två #"]),
        (GOOD.replace("## tillganglighet", "##tillganglighet"), 11, ["två #"]),
        (GOOD.replace("---\n## Det", "---\nLös text\n## Det"), 5, ["text före första rubriken"]),
        (
            GOOD.replace("## tillganglighet\nOm", "## Det viktigaste\nOm"),
            11,
            ["finns redan på rad 5"],
        ),
        (GOOD.replace("datum: 2025-03-01", "datum: 1 mars"), 3, ["ÅÅÅÅ-MM-DD"]),
        (
            GOOD.replace("författare: Analysenheten, Region Västerbotten", "författare:"),
            2,
            ["ange författare"],
        ),
        (GOOD.replace("datum:", "status: klar\ndatum:"), 2, ["okänt fält 'status'"]),
        (GOOD.replace("---\n", "", 1), 1, ["ska börja med en rad '---'"]),
    ],
)
def test_mistakes_name_file_and_line(tmp_path, content, line, words):
    path = write(tmp_path, content)
    with pytest.raises(NaravardError) as err:
        commentary.parse(path, load_catalog())
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}, rad {line}: "), message
    for word in words:
        assert word in message


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    content = GOOD.encode("utf-8").replace("Om området.".encode(), "Om området.".encode("cp1252"))
    path = write(tmp_path, content)
    with pytest.raises(NaravardError, match=r", rad 12: filen är inte UTF-8"):
        commentary.parse(path, load_catalog())


def test_html_is_text_and_the_markdown_subset_renders(tmp_path):
    com = commentary.parse(write(tmp_path, GOOD), load_catalog())
    html = commentary.section_html(com, "Det viktigaste")
    assert "<strong>regionens största utmaning</strong>" in html
    assert "<li>en punkt</li>" in html
    assert '<a href="https://skr.se">SKR</a>' in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<script>" not in html and "<b>" not in html
    assert "Analytikerns kommentar · Analysenheten, Region Västerbotten, 1 mars 2025" in html


def test_links_only_to_the_web_and_images_as_text():
    html = commentary.markdown_html(
        "[x](javascript:alert(1)) [f](file:///etc/passwd) "
        "![bild](file:///etc/passwd) [m](mailto:a@b.se)"
    )
    assert "javascript" not in html and "file:" not in html and "<img" not in html
    assert '<a href="mailto:a@b.se">m</a>' in html


def test_a_comment_on_the_current_value_is_not_stale(tmp_path):
    com = commentary.parse(write(tmp_path, GOOD), load_catalog())
    commentary.check_values(com, table(79.5), 2024)
    assert com.stale() == []
    assert commentary.stale_warnings(com, 2024) == []
    assert "Skriven när" not in commentary.section_html(com, "medicinsk_bedomning_3d")


@pytest.mark.parametrize(
    "value, year, now", [(80.1, 2024, "80,1 %"), (None, 2024, "–"), (79.5, 2025, "79,5 %")]
)
def test_a_comment_on_another_value_warns_and_is_marked(tmp_path, value, year, now):
    com = commentary.parse(write(tmp_path, GOOD), load_catalog())
    commentary.check_values(com, table(value), year)
    [warning] = commentary.stale_warnings(com, year)
    assert "rad 14" in warning and "medicinsk_bedomning_3d" in warning
    assert "79,5 % (2024)" in warning and f"nu är det {now} ({year})" in warning
    html = commentary.section_html(com, "medicinsk_bedomning_3d")
    assert "Skriven när värdet var 79,5 % (2024)" in html


def test_spaces_and_minus_signs_as_typed_match_the_formatted_value(tmp_path):
    path = write(tmp_path, GOOD.replace("(79,5 % 2024)", "(79,5\u00a0% 2024)"))
    com = commentary.parse(path, load_catalog())
    commentary.check_values(com, table(79.5), 2024)
    assert com.stale() == []


def test_the_template_has_every_section_with_its_value_and_parses(tmp_path, monkeypatch):
    cat = load_catalog()
    rows = pd.DataFrame(
        [
            {"indicator_id": i.id, "value": 12.345, "unit": i.unit, "decimals": i.decimals}
            for i in cat
        ]
    )
    body = commentary.template_text("Region Test", 2024, cat, rows, dt.date(2025, 3, 1))
    assert "## Det viktigaste" in body and "## tillganglighet" in body
    assert "## kontinuitet\n" not in body  # no chapter of its own
    for ind in cat:
        assert f"## {ind.id} (" in body
    assert "## medicinsk_bedomning_3d (12,3 % 2024)" in body
    com = commentary.parse(write(tmp_path, body), cat)
    commentary.check_values(com, rows, 2024)
    assert com.stale() == [] and com.get("Det viktigaste") is None


def test_kommentar_writes_a_template_once_and_never_overwrites(
    project_tmp, snapshot_dir, monkeypatch, capsys
):
    from naravard.cli import main

    monkeypatch.setenv("NARAVARD_COMMENTARY_DIR", str(project_tmp / "kommentarer"))
    args = ["kommentar", "--region", "Västerbotten", "--year", "2024", "--data", str(snapshot_dir)]
    assert main(args) == 0
    path = project_tmp / "kommentarer" / "vasterbotten" / "2024.md"
    assert "## medicinsk_bedomning_3d (79,5 % 2024)" in path.read_text(encoding="utf-8")
    path.write_text(GOOD, encoding="utf-8")
    assert main(args) == 2
    assert "finns redan" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize(
    "change, words",
    [
        (
            ("## tillganglighet", "## tilgangligheten"),
            ["rad 11", "okänt avsnitt", "tillganglighet"],
        ),
        (("(79,5 % 2024)", "(79,5 % år 2024"), ["rad 14", "går inte att läsa"]),
    ],
)
def test_a_faulty_comment_file_stops_the_report_before_anything_is_written(
    project_tmp, snapshot_dir, monkeypatch, capsys, change, words
):
    from naravard.cli import main

    folder = project_tmp / "kommentarer" / "vasterbotten"
    folder.mkdir(parents=True)
    (folder / "2024.md").write_text(GOOD.replace(*change), encoding="utf-8")
    monkeypatch.setenv("NARAVARD_COMMENTARY_DIR", str(project_tmp / "kommentarer"))
    code = main(
        ["report", "--region", "Västerbotten", "--year", "2024", "--data", str(snapshot_dir)]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("fel: ")
    assert str(folder / "2024.md") in err
    for word in words:
        assert word in err
    assert list((project_tmp / "output").iterdir()) == []
    assert list((project_tmp / "figures").iterdir()) == []


def test_a_comment_in_a_shared_place_names_what_it_is_about(tmp_path):
    body = GOOD.replace("## tillganglighet", "## fast_lakarkontakt_andel")
    com = commentary.parse(write(tmp_path, body), load_catalog())
    html = commentary.section_html(com, "fast_lakarkontakt_andel", "Fast <läkarkontakt>")
    assert "Analytikerns kommentar om Fast &lt;läkarkontakt&gt; · Analysenheten" in html


# --- issue 19: dates, limits and characters that must not reach the page ---------------------


@pytest.mark.parametrize(
    "date, words",
    [
        ("2025-13-45", ["rad 3", "'2025-13-45' är inget giltigt datum", "ÅÅÅÅ-MM-DD"]),
        ("2024-02-30", ["rad 3", "inget giltigt datum"]),
        ("20250301", ["rad 3", "ÅÅÅÅ-MM-DD"]),
        ("2025-W10-1", ["rad 3", "ÅÅÅÅ-MM-DD"]),
    ],
)
def test_an_impossible_or_odd_date_is_one_line(tmp_path, date, words):
    path = write(tmp_path, GOOD.replace("2025-03-01", date))
    with pytest.raises(NaravardError) as err:
        commentary.parse(path, load_catalog())
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message, message


def test_an_author_that_is_a_list_is_refused(tmp_path):
    path = write(
        tmp_path,
        GOOD.replace("författare: Analysenheten, Region Västerbotten", "författare: [a, b]"),
    )
    with pytest.raises(NaravardError, match="ska bara ha raderna 'författare"):
        commentary.parse(path, load_catalog())


def _body(text: str) -> str:
    return GOOD.replace("Om området.", text)


@pytest.mark.parametrize(
    "content, words",
    [
        # a 150 000-character author (words of 10, so that the field's own limit speaks)
        (
            GOOD.replace("Analysenheten, Region Västerbotten", "AAAAAAAAA " * 15_000),
            ["författare", "högst 200"],
        ),
        (GOOD.replace("Analysenheten, Region Västerbotten", "A" * 150_000), ["rad 2", "högst 200"]),
        (_body(">" * 20_000 + " text"), ["rad 12", "nästlad i 20000 nivåer", "högst 8"]),
        (_body("> " * 9 + "text"), ["rad 12", "nästlad i 9 nivåer"]),
        (_body(" " * 40 + "- text"), ["rad 12", "nästlad i 20 nivåer"]),
        (_body("\n".join(["- a"] * 45_000)), ["45", "rader", "högst 2000"]),
        (_body("- a\n" * 1900), ["avsnittet tillganglighet", "högst 6000"]),
        (_body("x" * 50_000), ["rad 12", "ord på 50000 tecken", "högst 200"]),
        (_body("a\x00b"), ["rad 12", "U+0000"]),
        (_body("fil \u202efdp.exe"), ["rad 12", "U+202E", "skrivriktningen"]),
        (_body("\x1b]0;titel\x07"), ["rad 12", "U+001B"]),
    ],
)
def test_comment_files_are_held_to_the_limits_of_free_text(tmp_path, content, words):
    path = write(tmp_path, content)
    with pytest.raises(NaravardError) as err:
        commentary.parse(path, load_catalog())
    message = str(err.value)
    assert "\n" not in message and str(path) in message and len(message) < 400
    for word in words:
        assert word in message, message
