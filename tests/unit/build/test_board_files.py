"""bildspel.pptx and rapport.docx without a render: content, fitting, templates (issue 23).

The files from a whole render are read back in tests/e2e/test_board_files_e2e.py.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import pickle
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu

from naravard.build import board_files
from naravard.core.errors import NaravardError
from naravard.report import region as report
from naravard.report import slide_fit, slides, word_document
from naravard.report.board_pack import Comment, Figure, Goal, region_pack
from naravard.report.plain_text import html_text, markdown_paras
from naravard.report.slide_template import BUILTIN, make_template, open_template

PNG = base64.b64decode(  # 1 × 1 px
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)

COMMENTS = """---
författare: Anna Analytiker
datum: 2025-01-10
---

## Det viktigaste

Väntetiderna är **nämndens** fråga i år.

## medicinsk_bedomning_3d (79,5 % 2024)

Förbättringen följer *den nya* bemanningen.

## tillganglighet

- Telefonin byter system 2025.
- Följs upp i mars.
"""


@pytest.fixture(scope="module")
def rep(snapshot_dir, tmp_path_factory):
    from naravard.report import commentary

    rep = report.prepare("Västerbotten", 2024, snapshot_dir, figures=None, previous=None)
    path = tmp_path_factory.mktemp("kommentarer") / "2024.md"
    path.write_text(COMMENTS, encoding="utf-8")
    rep.comments = commentary.parse(path, rep.catalog)
    commentary.check_values(rep.comments, rep.table, rep.year)
    return rep


@pytest.fixture(scope="module")
def pack(rep):
    return region_pack(rep)


def _docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    doc = Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def _docx_tables(data: bytes) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in t.rows] for t in Document(io.BytesIO(data)).tables
    ]


# --- the content is the PDF's ------------------------------------------------------------------


def test_messages_are_det_viktigaste_of_the_pdf(rep, pack):
    pdf = report.summary_messages(rep)
    assert [(m.headline, m.figures, m.together) for m in pack.messages] == [
        (m.headline, m.figures, tuple(m.together)) for m in pdf
    ]
    assert len(pack.messages) >= 3


def test_overview_cells_are_the_pdf_table_cells(rep, pack):
    html = report.overview_html(rep)
    rows = [r for _, group in pack.overview for r in group]
    assert len(rows) == len(rep.table)
    medicinsk = next(r for r in rows if r.name.startswith("Medicinsk bedömning i primärvården"))
    assert medicinsk.value == "79,5\u00a0%" and medicinsk.rank == "14 av 21"
    assert "förbättring" in medicinsk.change and "79,5\u00a0%" in html
    for r in rows:  # every cell the Word table shows is printed in the PDF's table
        for cell in (r.value, r.riket):
            assert cell.split("\n")[0] in html, (r.name, cell)


def test_main_indicators_carry_value_place_and_caveats(pack):
    ids = [p.id for p in pack.indicators]
    assert "telefon_samma_dag" in ids and "medicinsk_bedomning_3d" in ids
    telefon = pack.indicators[ids.index("telefon_samma_dag")]
    shown = [telefon.sentences[i] for i in telefon.required]
    assert any("plats 16 av 17" in s for s in shown)
    assert any(s.startswith("Tidsseriebrott 2024") for s in shown)  # the caveat stays
    assert telefon.source.startswith("Källa: ")


def test_goals_have_the_pdf_statuses_and_own_goals_hook(rep):
    pack = region_pack(
        rep,
        own_goals=[
            Goal("Egen mottagning", "minst 90 %", "93 %", "uppfylls", "Regionens verksamhetsplan")
        ],
    )
    statuses = {g.name: g.status for g in pack.goals}
    assert statuses["Högt blodsocker (HbA1c över 70) vid diabetes i primärvården"] == "uppfylls"
    assert statuses["Invånare med fast läkarkontakt i primärvården"] == "uppfylls inte"
    assert pack.goals[-1].name == "Egen mottagning"
    assert "Regionens verksamhetsplan" in pack.goals_source
    assert "Nationella diabetesregistret, via Kolada" in pack.goals_source


def test_the_regions_own_goals_follow_the_official_targets(rep, pack):
    from naravard.report import goals as chapter

    own = chapter.statuses(rep)
    assert own, "Västerbotten has a goals file (data/mal/vasterbotten.yaml)"
    assert [g.name for g in pack.goals[-len(own) :]] == [st.goal.text for st in own]
    assert any(g.status.startswith("regionen: ") and "beräknat: " in g.status for g in pack.goals)


def test_comments_keep_their_words_author_and_order(pack):
    assert pack.summary_comment is not None
    assert pack.summary_comment.label == "Analytikerns kommentar · Anna Analytiker, 10 januari 2025"
    assert pack.summary_comment.text == "Väntetiderna är nämndens fråga i år."
    assert [c.key for c in pack.comments] == ["tillganglighet", "medicinsk_bedomning_3d"]
    assert [p.bullet for p in pack.comments[0].paragraphs] == [True, True]


def test_the_pack_travels_to_a_batch_worker(pack):
    assert pickle.loads(pickle.dumps(pack)) == pack


def test_markdown_and_cells_as_plain_text():
    (para,) = markdown_paras("En **fet** och *kursiv* [länk](https://x.se) <b>html</b>")
    assert para.text == "En fet och kursiv länk (https://x.se) <b>html</b>"
    assert [r.text for r in para.runs if r.bold] == ["fet"]
    assert html_text("13 010,8<br><small>per 100 000 inv.</small>") == "13 010,8\nper 100 000 inv."
    assert html_text("79,5\u00a0%") == "79,5\u00a0%"  # the no-break space stays


# --- rapport.docx ---------------------------------------------------------------------------


def test_docx_has_real_headings_and_the_numbers(pack):
    data = word_document.build(pack)
    paras = _docx_paragraphs(data)
    headings = {t for s, t in paras if s == "Heading 1"}
    assert {
        "Det viktigaste",
        "Översikt 2024",
        "Mål",
        "Analytikerns kommentarer",
        "Om underlaget",
    } <= headings
    assert ("Heading 2", "Tillgänglighet") in paras
    viktigaste = [t for s, t in paras if s == "List Number"]
    assert [t.split("\n")[0] for t in viktigaste] == [m.headline for m in pack.messages]
    assert all(m.figures in t for m, t in zip(pack.messages, viktigaste))
    cells = [c for t in _docx_tables(data) for row in t for c in row]
    assert "79,5\u00a0%" in cells  # Medicinsk bedömning inom tre dagar, as in the PDF's table
    assert "Väntetiderna är nämndens fråga i år." in [t for _, t in paras]


# --- bildspel.pptx ----------------------------------------------------------------------------


def _with_figures(pack):
    fig = Figure(PNG, "Linjediagram: alt", "Bildtext.", "Källa: Testkälla, via Kolada")
    return dataclasses.replace(pack, figures={p.id: [fig, fig] for p in pack.indicators})


def _deck(pack, template: Path = BUILTIN):
    return Presentation(io.BytesIO(slides.build(pack, template)))


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_deck_slides_alt_texts_and_sources(pack):
    prs = _deck(_with_figures(pack))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    assert len(prs.slides) >= 6
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "Det viktigaste" in titles and "Om underlaget" in titles and "Mål" in titles
    pictures = 0
    for slide in prs.slides:
        pics = [s for s in slide.shapes if s.shape_type == 13]
        for pic in pics:
            assert pic._element.nvPicPr.cNvPr.get("descr") == "Linjediagram: alt"
        if pics:
            assert "Källa: Testkälla, via Kolada" in _texts(slide)
        pictures += len(pics)
        assert any(
            t.startswith(("Källa", "Källor", "Siffrorna", "Kommentarerna")) for t in _texts(slide)
        ), slide.shapes.title.text
    assert pictures == 2 * len(pack.indicators)


def test_comments_short_on_the_slide_long_in_the_notes(pack):
    prs = _deck(pack)
    viktigaste = next(s for s in prs.slides if s.shapes.title.text == "Det viktigaste")
    assert any("Väntetiderna är nämndens fråga i år." in t for t in _texts(viktigaste))
    long = Comment(
        "Det viktigaste",
        "Det viktigaste",
        "Analytikerns kommentar · A",
        tuple(markdown_paras("\n\n".join(["Ett långt resonemang om läget. " * 12] * 6))),
    )
    prs = _deck(dataclasses.replace(pack, summary_comment=long))
    viktigaste = next(s for s in prs.slides if s.shapes.title.text == "Det viktigaste")
    assert not any("långt resonemang" in t for t in _texts(viktigaste))
    assert "långt resonemang" in viktigaste.notes_slide.notes_text_frame.text


def _assert_nothing_overflows(prs) -> None:
    """Every text box holds its text as measured, and every shape lies on the slide."""
    height, width = prs.slide_height, prs.slide_width
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.top + shape.height <= height and shape.left + shape.width <= width, (
                n,
                shape.name,
            )
            if not shape.has_text_frame or shape.is_placeholder:
                continue
            blocks = [
                slide_fit.Block(
                    p.text,
                    p.runs[0].font.size.pt if p.runs else 10,
                    bool(p.runs and p.runs[0].font.bold),
                    p.space_before.pt if p.space_before else 0,
                )
                for p in shape.text_frame.paragraphs
            ]
            need = slide_fit.height_pt(blocks, shape.width / slides.EMU_PER_PT)
            assert need <= shape.height / slides.EMU_PER_PT + 1, (n, shape.text_frame.text[:60])


def test_nothing_overflows_even_with_long_texts(pack):
    _assert_nothing_overflows(_deck(_with_figures(pack)))
    long_messages = [dataclasses.replace(m, together=(m.figures * 4,)) for m in pack.messages]
    long_name = [dataclasses.replace(p, name=p.name * 3) for p in pack.indicators]
    prs = _deck(
        _with_figures(dataclasses.replace(pack, messages=long_messages * 2, indicators=long_name))
    )
    _assert_nothing_overflows(prs)
    titles = [s.shapes.title.text for s in prs.slides]
    assert "Det viktigaste (2 av 2)" in titles or "Det viktigaste (2 av 3)" in titles


def test_many_goals_continue_on_the_next_slide(pack):
    many = [
        Goal(
            f"Mål nummer {n} med ett ganska långt namn på indikatorn",
            "minst 80 %",
            "81 %",
            "uppfylls",
            "Regionens plan",
        )
        for n in range(14)
    ]
    prs = _deck(dataclasses.replace(pack, goals=many))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "Mål" in titles and "Mål (forts.)" in titles
    rows = sum(
        len(s.shapes[-1].table.rows) - 1
        for s in prs.slides
        if s.shapes.title.text.startswith("Mål") and s.shapes[-1].has_table
    )
    assert rows == 14
    _assert_nothing_overflows(prs)


def test_slide_fit_wraps_by_words():
    assert slide_fit.wrap("ett två tre", 18, 10_000) == ["ett två tre"]
    lines = slide_fit.wrap("ord " * 40, 18, 200)
    assert len(lines) > 3 and all(slide_fit.width_pt(line, 18) <= 200 for line in lines)
    assert slide_fit.fit_scale([slide_fit.Block("x " * 500, 18)], 300, 50) is None


# --- templates ----------------------------------------------------------------------------


def test_builtin_template_is_16_9_and_remade_the_same(tmp_path):
    made = Presentation(str(make_template(tmp_path / "mall.pptx")))
    builtin = Presentation(str(BUILTIN))
    assert (made.slide_width, made.slide_height) == (builtin.slide_width, builtin.slide_height)
    assert builtin.slide_width * 9 == builtin.slide_height * 16


def test_a_region_template_is_used_and_its_own_slides_dropped(pack, tmp_path, monkeypatch):
    from pptx import Presentation as New

    own = New()  # 4:3, with an example slide of its own
    own.slides.add_slide(own.slide_layouts[1]).shapes.title.text = "Regionens exempelbild"
    (tmp_path / "vasterbotten").mkdir()
    own.save(str(tmp_path / "vasterbotten" / "bildspel.pptx"))
    monkeypatch.setenv("NARAVARD_MALLAR_DIR", str(tmp_path))
    from naravard.report.slide_template import template_path

    path = template_path("vasterbotten")
    assert path == tmp_path / "vasterbotten" / "bildspel.pptx"
    prs = _deck(_with_figures(pack), path)
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "Regionens exempelbild" not in titles and "Det viktigaste" in titles
    assert prs.slide_width == own.slide_width
    _assert_nothing_overflows(prs)


def test_a_broken_template_is_one_line_naming_the_file(tmp_path, monkeypatch):
    bad = tmp_path / "bildspel.pptx"
    bad.write_bytes(b"inte en pptx")
    with pytest.raises(NaravardError) as err:
        open_template(bad)
    assert "bildspel.pptx" in str(err.value) and "\n" not in str(err.value)


def test_a_broken_template_stops_the_job_before_the_notebook(rep, tmp_path, monkeypatch):
    from naravard.build import pipeline

    (tmp_path / "bildspel.pptx").write_bytes(b"PK\x03\x04trasig")
    monkeypatch.setenv("NARAVARD_MALLAR_DIR", str(tmp_path))
    with pytest.raises(NaravardError, match="bildspelsmallen"):
        pipeline.region_job(rep, "snapshot")


# --- the charts come from the report's HTML --------------------------------------------------


def test_figures_are_read_from_the_report_html():
    png = base64.b64encode(PNG).decode()
    html = (
        f'<section class="indicator" id="ind-a"><h2>A</h2><figure class="chart">'
        f'<img alt="Alt &amp; text" src="data:image/png;base64,{png}"><figcaption>Bild '
        f'A. <span class="source">Källa: X, via Kolada</span></figcaption></figure>'
        '</section><section id="oversikt"><figure><img src="x.png"></figure></section>'
    )
    figures = board_files.figures_by_indicator(html)
    assert list(figures) == ["a"]
    (fig,) = figures["a"]
    assert (fig.png, fig.alt, fig.caption, fig.source) == (
        PNG,
        "Alt & text",
        "Bild A.",
        "Källa: X, via Kolada",
    )


def test_slides_take_the_large_pngs_of_the_figures_folder(tmp_path):
    big = PNG + b"stor"  # the same header, other bytes
    (tmp_path / "a-stor.png").write_bytes(big)
    (tmp_path / "figurer.csv").write_text(
        "\ufeffFil;SVG;Titel;Bildtext;Alternativtext;Källa\n"
        "a-stor.png;a.svg;A;Bild A.;Alt  text a;Källa: X\n",
        encoding="utf-8",
    )
    one = Figure(PNG, "Alt text a", "Bild A.", "Källa: X")
    other = Figure(PNG, "Annan bild", "Bild B.", "Källa: X")
    found = board_files.large_pictures({"a": [one, other]}, tmp_path)
    assert [f.png for f in found["a"]] == [big, PNG]  # a chart without a large PNG keeps its own
    assert found["a"][0].alt == "Alt text a"
    assert board_files.large_pictures({"a": [one]}, None) == {"a": [one]}
