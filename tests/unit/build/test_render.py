"""Rendering: papermill → nbconvert (our template) → WeasyPrint, published atomically."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pdf_layout import A4
from pypdf import PdfReader

from naravard.build import kernels, render
from naravard.build import manifest as mf
from naravard.core.errors import NaravardError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notebooks"
TITLE = "Testrapport – Region Örebro län 2024"
BANNER = "EXEMPELDATA – inte verkliga värden"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[render.RenderResult, Path]:
    out = tmp_path_factory.mktemp("render") / "vasterbotten" / "2024"
    result = render.render_notebook_report(
        FIXTURES / "report.ipynb",
        {"chapters": 4},
        out,
        title=TITLE,
        extra_files={"indikatorer.csv": b"a;b\n"},
    )
    return result, out


@pytest.fixture(scope="module")
def pages_text(rendered) -> list[str]:
    result, _ = rendered
    return [page.extract_text() for page in PdfReader(result.pdf).pages]


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))
        if tag in ("script", "link"):
            self.scripts.append(dict(attrs))


# --- HTML ---------------------------------------------------------------------------------


def test_publishes_notebook_html_pdf_and_extra_files(rendered) -> None:
    result, out = rendered
    assert sorted(p.name for p in out.iterdir()) == [
        "indikatorer.csv",
        "rapport.html",
        "rapport.ipynb",
        "rapport.pdf",
    ]
    assert set(result.paths) == set(out.iterdir())
    assert (out / "indikatorer.csv").read_bytes() == b"a;b\n"
    executed = nbformat.read(out / "rapport.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    assert set(result.timings) == {"execute", "html", "pdf", "publish"}
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "staging left behind"


def test_html_is_swedish_self_contained_and_has_no_code(rendered) -> None:
    html = rendered[0].html.read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*lang="sv"', html)
    assert re.search(r'<meta charset="utf-8"', html, re.I)
    assert f"<title>{TITLE}</title>" in html
    parser = _Images()
    parser.feed(html)
    assert not [s for s in parser.scripts if s.get("src") or s.get("href")]
    for cdn in ("http://", "https://", "cdn", "require.js", "mathjax", "mermaid"):
        assert cdn not in html.lower(), cdn
    assert "¶" not in html
    for code in ("display(HTML", "import", "PNG =", "chapters = 4"):
        assert code not in html, code


def test_html_hides_stderr_warnings_reprs_and_markdown(rendered) -> None:
    html = rendered[0].html.read_text(encoding="utf-8")
    for noise in (
        "varning från beräkningen",
        "en varning som inte ska synas",
        "en strängrepresentation",
        "riktar sig till den som kör",
    ):
        assert noise not in html, noise
    assert "Kapitel 4: Tillgänglighet och väntetider" in html
    assert f'<div class="exempeldata" role="note">{BANNER}</div>' in html


def test_every_image_has_alt_text(rendered) -> None:
    parser = _Images()
    parser.feed(rendered[0].html.read_text(encoding="utf-8"))
    assert len(parser.imgs) == 4
    assert all(img.get("alt") for img in parser.imgs)


def test_bare_matplotlib_image_gets_alt_text() -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "fig",
                outputs=[
                    new_output(
                        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
                    )
                ],
            )
        ]
    )
    html = render.notebook_to_html(nb, title="Bild")
    assert re.search(r'<img [^>]*alt="Diagram"', html)
    assert "&lt;Figure&gt;" not in html


def test_omitted_markdown_and_plain_reprs_are_left_out() -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Instruktion till den som kör", metadata={"tags": ["utelämna"]}),
            new_code_cell(
                "x",
                outputs=[
                    new_output("execute_result", data={"text/plain": "42"}, execution_count=1)
                ],
            ),
            new_code_cell(
                "print()",
                outputs=[
                    new_output("stream", name="stderr", text="Traceback"),
                    new_output("error", ename="E", evalue="v", traceback=[]),
                ],
            ),
            new_code_cell(
                "y",
                outputs=[new_output("display_data", data={"text/html": "<p>Åsa ärver öar</p>"})],
            ),
        ]
    )
    html = render.notebook_to_html(nb, title="T")
    assert "<p>Åsa ärver öar</p>" in html
    for gone in ("Instruktion", ">42<", "Traceback", "jp-mod-noOutputs"):
        assert gone not in html, gone


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_is_a4_and_counts_pages(rendered, pages_text) -> None:
    result, _ = rendered
    reader = PdfReader(result.pdf)
    assert result.pages == len(reader.pages) == len(pages_text) >= 3
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_pdf_text_has_swedish_letters_and_page_footer(rendered, pages_text) -> None:
    n = rendered[0].pages
    assert "Uppföljningsår 2024" in pages_text[0]
    assert "väntetider" in pages_text[1]
    for number, text in enumerate(pages_text, 1):
        assert f"Sida {number} av {n}" in text


def test_example_banner_is_on_every_page(pages_text) -> None:
    assert len(pages_text) >= 3
    for number, text in enumerate(pages_text, 1):
        assert BANNER in text, f"sidan {number} saknar exempeldata-banderollen"


def test_running_header_shows_the_title_after_the_title_page(pages_text) -> None:
    assert TITLE not in pages_text[0]
    assert all(TITLE in text for text in pages_text[1:])


def test_toc_shows_the_page_of_each_chapter(pages_text) -> None:
    toc = dict(
        re.findall(r"(Kapitel \d): Tillgänglighet och väntetider\s*\.{3,}\s*(\d+)", pages_text[0])
    )
    assert len(toc) == 4
    for chapter, page in toc.items():
        assert pages_text[int(page) - 1].lstrip().startswith(chapter), (chapter, page)


def test_pdf_metadata_title_and_language(rendered) -> None:
    reader = PdfReader(rendered[0].pdf)
    assert reader.metadata.title == TITLE
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_no_banner_without_example_data(tmp_path: Path) -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output(
                        "display_data",
                        data={"text/html": "<h1 id='a'>Riktiga värden för Skåne</h1>"},
                    )
                ],
            )
        ]
    )
    pages = render.html_to_pdf(render.notebook_to_html(nb, title="Skåne"), tmp_path / "r.pdf")
    text = PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    assert pages == 1
    assert "Riktiga värden för Skåne" in text and "EXEMPELDATA" not in text
    assert "Sida 1 av 1" in text


def _png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(out, format="png")
    return out.getvalue()


def test_embedded_images_reach_weasyprint_by_name_not_as_base64() -> None:
    import base64

    red, blue = (base64.b64encode(_png(c)).decode() for c in ((200, 0, 0), (0, 0, 200)))
    text = f'<p>src="data:image/png;base64,{blue}"</p>'  # text, not an image
    html = (
        f'<img alt="a" src="data:image/png;base64,{red}">{text}'
        f'<img alt="b" class="x" src="data:image/png;base64,{blue}">'
        f'<img alt="c" src="data:image/png;base64,{red}">'
        '<img alt="d" src="data:image/png;base64,QQ">'
    )  # not base64 of anything
    page, images = render.image_names(html)
    assert "base64," + red not in page and text in page and page.count("base64," + blue) == 1
    assert page.count('src="naravard-bild:0"') == 2 and 'src="naravard-bild:1"' in page
    assert images == {"naravard-bild:0": _png((200, 0, 0)), "naravard-bild:1": _png((0, 0, 200))}
    assert '<img alt="d" src="data:image/png;base64,QQ">' in page


def test_the_pdf_shows_every_image_of_the_page(tmp_path: Path) -> None:
    import base64

    from pypdf import PdfReader

    html = "".join(
        f'<img alt="{i}" src="data:image/png;base64,'
        f'{base64.b64encode(_png((60 * i, 0, 0))).decode()}">'
        for i in range(3)
    )
    render.html_to_pdf(f"<html><body>{html}</body></html>", tmp_path / "r.pdf", tagged=False)
    shown = PdfReader(tmp_path / "r.pdf").pages[0].images
    assert sorted(img.image.getpixel((0, 0)) for img in shown) == [
        (0, 0, 0),
        (60, 0, 0),
        (120, 0, 0),
    ]


# --- failures and atomic publishing -------------------------------------------------------


def test_failing_notebook_keeps_partial_and_old_report(tmp_path: Path) -> None:
    out = tmp_path / "orebro" / "2024"
    out.mkdir(parents=True)
    old = {"rapport.pdf": b"%PDF-1.7 gammal rapport", "rapport.html": b"<html>gammal</html>"}
    for name, data in old.items():
        (out / name).write_bytes(data)

    with pytest.raises(NaravardError) as caught:
        render.render_notebook_report(
            FIXTURES / "failing.ipynb", {"year": 2024}, out, title="Misslyckas"
        )
    message = str(caught.value)
    failed = out / "rapport.failed.ipynb"
    assert "\n" not in message
    assert re.match(
        r"cell \d+: ValueError: året 2024 saknas i underlaget; välj ett annat år "
        r"\(ofullständig notebook sparad i .*rapport\.failed\.ipynb\)$",
        message,
    )
    assert str(failed) in message
    assert sorted(p.name for p in out.iterdir()) == [
        "rapport.failed.ipynb",
        "rapport.html",
        "rapport.pdf",
    ]
    for name, data in old.items():
        assert (out / name).read_bytes() == data
    partial = nbformat.read(failed, as_version=4)
    assert any(o.get("ename") == "ValueError" for c in partial.cells for o in c.get("outputs", []))
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "staging left behind"


def test_missing_notebook_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(NaravardError, match="finns inte"):
        render.execute_notebook(tmp_path / "saknas.ipynb", {}, tmp_path / "ut.ipynb")


def test_publish_writes_bytes_and_files(tmp_path: Path) -> None:
    src = tmp_path / "src.pdf"
    src.write_bytes(b"%PDF ny")
    dest = tmp_path / "ut" / "2024"
    paths = render.publish({"a.csv": b"x;y\n", "rapport.pdf": src}, dest)
    assert paths == [dest / "a.csv", dest / "rapport.pdf"]
    assert (dest / "rapport.pdf").read_bytes() == b"%PDF ny"
    assert src.exists()
    assert [p.name for p in (tmp_path / "ut").iterdir()] == ["2024"]


def test_publish_changes_nothing_when_an_output_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "ut"
    dest.mkdir()
    (dest / "rapport.pdf").write_bytes(b"gammal")
    real_write = render._write_file

    def flaky(target: Path, content) -> None:
        if target.name == "rapport.pdf":
            raise OSError("disken är full")
        real_write(target, content)

    monkeypatch.setattr(render, "_write_file", flaky)
    with pytest.raises(OSError):
        render.publish({"rapport.html": b"ny", "rapport.pdf": b"ny"}, dest)
    assert [p.name for p in dest.iterdir()] == ["rapport.pdf"]
    assert (dest / "rapport.pdf").read_bytes() == b"gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["ut"]


@pytest.mark.parametrize("name", ["../x.pdf", "sub/x.pdf", "", ".."])
def test_publish_refuses_names_with_folders(tmp_path: Path, name: str) -> None:
    with pytest.raises(NaravardError, match="filnamn"):
        render.publish({name: b"x"}, tmp_path / "ut")
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize(
    "specs, expected",
    [
        ({"python3": "/k/python3", "naravard": "/k/naravard"}, "naravard"),
        ({"python3": "/k/python3"}, "python3"),
        (RuntimeError("broken kernelspec dir"), "python3"),
    ],
)
def test_kernel_is_the_projects_own_when_installed(monkeypatch, specs, expected) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    def find(self):
        if isinstance(specs, Exception):
            raise specs
        return specs

    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", find)
    kernels.default_kernel_name.cache_clear()
    try:
        assert kernels.default_kernel_name() == expected
    finally:
        kernels.default_kernel_name.cache_clear()


def test_make_env_installs_the_naravard_kernel() -> None:
    import sys

    if not (Path(sys.prefix) / ".naravard-installed").exists():
        pytest.skip("not running in the environment `make env` creates")
    assert (Path(sys.prefix) / "share" / "jupyter" / "kernels" / "naravard").is_dir()
    assert kernels.default_kernel_name() == kernels.PREFERRED_KERNEL


# --- manifest -----------------------------------------------------------------------------
@pytest.fixture()
def inputs(tmp_path: Path) -> list[Path]:
    files = []
    for name, text in [
        ("regionrapport.ipynb", "{}"),
        ("indicators.yaml", "a: 1"),
        ("N79173.json", '{"values": []}'),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _build(inputs: list[Path], **changes) -> dict:
    args = dict(
        parameters={"kind": "region", "region": "0024", "year": 2024},
        data_origin="Kolada (ögonblicksbild, hämtad 2025-05-01)",
        retrieved="2025-05-01",
        input_files=inputs,
        timings={"execute": 1.5},
        extra={"pages": 12},
    )
    return mf.build_manifest(**(args | changes))


def test_manifest_hashes_every_input_and_lists_versions(inputs: list[Path]) -> None:
    m = _build(inputs)
    assert len(m["inputs"]) == 3
    for path in inputs:
        key = next(k for k in m["inputs"] if k.endswith(path.name))
        assert m["inputs"][key] == hashlib.sha256(path.read_bytes()).hexdigest()
    for package in (
        "naravard",
        "pandas",
        "matplotlib",
        "seaborn",
        "papermill",
        "nbconvert",
        "weasyprint",
        "python",
    ):
        assert m["packages"][package], package
    assert m["created"][:4].isdigit() and "T" in m["created"]
    assert m["fingerprint"] == mf.inputs_fingerprint(m)


def test_manifest_records_the_lock_the_environment_was_installed_from(inputs: list[Path]) -> None:
    lock = Path(__file__).resolve().parents[3] / "requirements.txt"
    m = _build(inputs)
    assert m["lock_sha256"] == hashlib.sha256(lock.read_bytes()).hexdigest()
    assert "--hash=sha256:" in lock.read_text(encoding="utf-8")  # a lock, not a wish list


def test_fingerprint_ignores_timings_creation_and_extra(inputs: list[Path]) -> None:
    a = _build(inputs)
    b = _build(inputs, timings={"execute": 99.0}, extra={"pages": 13})
    b["created"] = "1999-01-01T00:00:00+00:00"
    assert mf.inputs_fingerprint(a) == mf.inputs_fingerprint(b)


def test_fingerprint_changes_with_inputs_parameters_and_data(inputs: list[Path]) -> None:
    before = mf.inputs_fingerprint(_build(inputs))
    assert mf.inputs_fingerprint(_build(inputs, parameters={"year": 2023})) != before
    assert mf.inputs_fingerprint(_build(inputs, retrieved="2025-06-01")) != before
    assert mf.inputs_fingerprint(_build(inputs[:2])) != before
    inputs[2].write_text('{"values": [1]}', encoding="utf-8")
    assert mf.inputs_fingerprint(_build(inputs)) != before


def test_a_touched_input_is_not_current_though_its_content_is_the_same(inputs: list[Path]) -> None:
    import os

    before = _build(inputs)
    assert mf.same_inputs(before, _build(inputs))
    stat = inputs[0].stat()
    os.utime(inputs[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # `touch`
    touched = _build(inputs)
    assert touched["fingerprint"] == before["fingerprint"]  # the content is the same
    assert not mf.same_inputs(before, touched)  # but it is rendered again, as make would
    assert mf.same_inputs(touched, _build(inputs))  # and then it is current


def test_missing_input_file_is_a_one_line_error(inputs: list[Path], tmp_path: Path) -> None:
    with pytest.raises(NaravardError, match="saknas.json finns inte"):
        _build([*inputs, tmp_path / "saknas.json"])


def test_write_manifest_is_readable_utf8_json_and_leaves_no_temp(
    inputs: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "ut" / "manifest.json"
    m = _build(inputs, parameters={"region": "Västerbotten", "data": tmp_path})
    mf.write_manifest(out, m)
    mf.write_manifest(out, m)
    text = out.read_text(encoding="utf-8")
    assert "Västerbotten" in text and "ögonblicksbild" in text
    loaded = json.loads(text)
    assert loaded["parameters"]["data"] == str(tmp_path)
    assert mf.read_manifest(out)["fingerprint"] == m["fingerprint"]
    assert [p.name for p in out.parent.iterdir()] == ["manifest.json"]


def test_read_manifest_of_missing_or_broken_file_is_none(tmp_path: Path) -> None:
    assert mf.read_manifest(tmp_path / "saknas.json") is None
    (tmp_path / "trasig.json").write_text("{", encoding="utf-8")
    assert mf.read_manifest(tmp_path / "trasig.json") is None


def test_missing_kernel_names_the_make_target_that_installs_it(tmp_path: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), nb)
    with pytest.raises(NaravardError, match=r"kör `make env`") as info:
        render.execute_notebook(nb, {}, tmp_path / "ut.ipynb", kernel_name="finns-inte-13")
    assert "make install" not in str(info.value)
