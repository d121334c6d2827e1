"""The notebook as a workbench: display blocks, publish tags, Markdown cells, the notebook."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from naravard.report import blocks, cells, own
from naravard.build import render
from naravard.report.chapter_order import region_chapters
from naravard.core.paths import repo_root

NOTEBOOKS = repo_root() / "notebooks"


@pytest.fixture(scope="module")
def rep(snapshot_dir):
    from naravard.report import region as report

    return report.prepare("Västerbotten", 2024, snapshot_dir, figures=None, previous=None)


def test_a_block_is_its_html_and_computes_its_data_once():
    calls = []

    def table():
        calls.append(1)
        return pd.DataFrame({"a": [1]})

    block = blocks.Block("<p>x</p>", table=table, title="T")
    assert block == "<p>x</p>" and isinstance(block, str) and "<b>" + block == "<b><p>x</p>"
    assert block._repr_html_() == '<div class="naravard-block"><p>x</p></div>'
    assert calls == []
    assert block.table["a"].tolist() == [1] and block.table is block.table
    assert calls == [1]
    assert block.figure is None


def test_chapter_blocks_carry_their_numbers_and_charts(rep):
    summary = blocks.summary(rep)
    assert summary.startswith('<section class="chapter viktigaste">')
    assert len(summary.table) == len(rep.table)
    area = blocks.area(rep, "tillganglighet")
    assert set(area.table["Indikator-id"]) == {
        i.id for i in rep.catalog.in_area("tillganglighet") if i.source == "kolada"
    }
    ind = blocks.indicator(rep, "medicinsk_bedomning_3d")
    assert ind.table.loc[2024, "0024"] == pytest.approx(79.5)
    assert hasattr(ind.figure, "savefig")
    assert blocks.about(rep).table.empty
    assert list(blocks.questionnaire(rep).table.columns) == ["Fråga", "Rubrik", "Svar"]


def test_the_notebook_style_is_the_report_css_scoped_to_blocks():
    css = blocks.scoped_css()
    assert "@page" not in css and "bookmark-level" not in css
    assert ".naravard-block aside.analyst-comment" in css
    assert ".naravard-block h1" in css
    for rule in css.split("}"):
        head = rule.split("{")[0].strip()
        if head and not head.startswith("@"):
            assert all(s.strip().startswith(".naravard-block") for s in head.split(",")), head


def test_a_notebook_printed_or_exported_may_break_an_output_across_pages():
    """JupyterLab's print CSS keeps an output on one page; with a chapter as one output,
    WeasyPrint looped forever on `jupyter nbconvert --to html` of Östergötland 2024."""
    style = str(blocks.notebook_style())
    assert style.index(blocks.PRINT_FROM_NOTEBOOK) > style.index(".naravard-block")
    assert "@media print { .jp-OutputArea-child { break-inside: auto; } }" in style


def _nb(*cells) -> nbformat.NotebookNode:
    return new_notebook(cells=list(cells))


def _html_cell(html: str, **meta) -> nbformat.NotebookNode:
    return new_code_cell(metadata=meta, outputs=[new_output("display_data", {"text/html": html})])


def test_tags_decide_what_reaches_the_report_and_markdown_cells_do():
    nb = _nb(
        new_markdown_cell("# Bara för notebooken", metadata={"tags": ["utelämna"]}),
        new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        _html_cell("<p>PUBLICERAD</p>"),
        _html_cell("<p>DOLD</p>", tags=["utelämna"]),
        _html_cell("<p>DOLD2</p>", tags=["remove-cell"]),
        new_markdown_cell("## Egen rubrik\n\nText med **fet** och <script>x</script>."),
    )
    html = render.notebook_to_html(nb, title="t")
    assert "PUBLICERAD" in html and "DOLD" not in html and "Bara för notebooken" not in html
    assert "<h3" in html and "Egen rubrik" in html and "<strong>fet</strong>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html


def test_example_cells_do_not_run_in_a_report(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(
        _nb(new_code_cell("a = 1"), new_code_cell("b = 2", metadata={"tags": ["exempel"]})), path
    )
    assert [c.source for c in render._report_run(path).cells] == ["a = 1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.ipynb"]  # no working copy


def test_the_chapter_egen_analys_is_planned_from_the_notebooks(tmp_path, monkeypatch):
    monkeypatch.setenv("NARAVARD_NOTEBOOKS_DIR", str(tmp_path))
    shared = json.loads((NOTEBOOKS / "regionrapport.ipynb").read_text(encoding="utf-8"))
    (tmp_path / "regionrapport.ipynb").write_text(json.dumps(shared), encoding="utf-8")
    assert cells.plan("vasterbotten") == (None, False)  # the example alone publishes nothing
    (tmp_path / "egna").mkdir()
    nbformat.write(_nb(new_markdown_cell("x")), tmp_path / "egna" / "vasterbotten.ipynb")
    assert cells.plan("vasterbotten") == (tmp_path / "egna" / "vasterbotten.ipynb", True)
    assert cells.plan("orebro-lan") == (None, False)
    for cell in shared["cells"]:
        if cells.SECTION_TAG in cell["metadata"].get("tags", []):
            cell["metadata"]["tags"] = [cells.SECTION_TAG]
    (tmp_path / "regionrapport.ipynb").write_text(json.dumps(shared), encoding="utf-8")
    assert cells.plan("orebro-lan") == (None, True)


def test_own_figure_needs_caption_source_and_alt():
    from naravard.core.errors import NaravardError

    fig = own.new_figure()
    with pytest.raises(NaravardError, match="alt"):
        own.figure(fig, caption="Bildtext", source="Källa: x", alt=" ")


def test_own_figure_is_placed_like_the_report_charts_and_saved(tmp_path):
    from types import SimpleNamespace

    fig = own.new_figure(5)
    fig.subplots().plot([1, 2], [3, 4])
    own.start(SimpleNamespace(figures=tmp_path, own_analysis=True))
    block = own.figure(fig, caption="Väntan i norr", source="Egen mätning", alt="Linje <3>")
    assert block.figure is fig
    assert '<figure class="chart"><img alt="Linje &lt;3&gt;"' in block
    assert "Väntan i norr" in block and "Källa: Egen mätning" in block
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "egen-vantan-i-norr-stor.png",
        "egen-vantan-i-norr.png",
        "egen-vantan-i-norr.svg",
        "figurer.csv",
    ]


# --- the notebook itself ----------------------------------------------------------------------


def _cells(name: str) -> list[dict]:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def test_regionrapport_has_one_cell_per_chapter_in_order_each_after_a_heading():
    cells = _cells("regionrapport.ipynb")
    assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")
    chapter_calls = [
        c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code"
        and ("blocks." in "".join(c["source"]) or "own.chapter" in "".join(c["source"]))
        and "notebook_style" not in "".join(c["source"])
    ]
    expected = [c.call for c in region_chapters()]  # the one chapter order
    assert chapter_calls == expected
    titles = {c.call: c.title for c in region_chapters() if c.title}
    headings = {
        "".join(cells[i + 1]["source"]): "".join(c["source"]).splitlines()[0]
        for i, c in enumerate(cells[:-1])
        if c["cell_type"] == "markdown"
    }
    assert all(headings[call] == f"## {title}" for call, title in titles.items())
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        if src in expected and src != "own.chapter(rep)":
            before = cells[i - 1]
            assert before["cell_type"] == "markdown" and "".join(before["source"]).startswith("## ")
            assert "utelämna" in before["metadata"]["tags"]  # the block has its own heading


def test_notebook_notes_for_the_analyst_never_reach_a_report():
    for name in ("regionrapport.ipynb", "riksrapport.ipynb"):
        for cell in _cells(name):
            if cell["cell_type"] == "markdown":
                assert not cells.is_published(cell), (name, "".join(cell["source"])[:40])


def test_an_own_notebook_runs_in_the_kernel_and_its_errors_name_notebook_and_cell(tmp_path, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    path = tmp_path / "vasterbotten.ipynb"
    nbformat.write(
        _nb(
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            new_code_cell("svar = 6 * 7"),
            new_code_cell('print("SYNS")'),
            new_code_cell('print("DOLD")', metadata={"tags": ["utelämna"]}),
            new_code_cell('raise SystemError("exempel")', metadata={"tags": ["exempel"]}),
        ),
        path,
    )
    try:
        own.run_notebook(path)
        out = capsys.readouterr().out
        assert "SYNS" in out and "DOLD" not in out
        assert shell.user_ns["svar"] == 42 and "x" not in shell.user_ns
        nbformat.write(_nb(new_code_cell("y = 1"), new_code_cell("1 / 0")), path)
        with pytest.raises(
            own.OwnNotebookError,
            match=r"vasterbotten.ipynb, cell 2: "
            r"ZeroDivisionError: division by zero",
        ):
            own.run_notebook(path)
    finally:
        InteractiveShell.clear_instance()


def test_det_viktigaste_puts_the_comment_first_and_its_rules_in_om_underlaget(rep):
    from naravard.report import region as report

    html = report.summary_html(rep, comment="<aside>KOMMENTAR</aside>")
    assert html.index("KOMMENTAR") < html.index("Det här är de tydligaste")
    assert "message-headline" in html
    assert "Tre till fem budskap väljs" not in html
    assert "Tre till fem budskap väljs" in report.about_html(rep)
