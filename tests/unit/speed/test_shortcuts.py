"""The shortcuts into other libraries' internals cannot break a report.

Each checks the library version and the internals' shape before patching and says in one
line when it stays off; NARAVARD_NO_SPEEDUPS=1 turns all off; and a report rendered with
them looks exactly like the same report rendered without them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from svg_text import assert_draws

from naravard.speed import shortcuts


@pytest.fixture()
def fresh_status(monkeypatch):
    monkeypatch.setattr(shortcuts, "STATUS", {})
    monkeypatch.delenv(shortcuts.OFF_SWITCH, raising=False)


@pytest.mark.parametrize(
    "version, expected",
    [
        ("70.0", True),
        ("70.2.1", True),
        ("71.0", False),
        ("69.9", False),
        ("71.0rc1", False),
        ("70.1.dev3", True),
        ("", False),
        ("unknown", False),
    ],
)
def test_version_in_range(version, expected):
    assert shortcuts.version_in_range(version, "70.0", "71") is expected


def test_every_shortcut_is_on_with_the_locked_environment(fresh_status):
    """Fails after `make lock` moves a library out of a tested range: re-test, then widen."""
    from naravard import charts
    from naravard.speed import pdf_speedups
    from naravard.build.render import _weasyprint

    weasyprint = _weasyprint()
    assert shortcuts.allowed("pdf-png", lambda: pdf_speedups.png_internals_ok(weasyprint.images))
    assert shortcuts.allowed(
        "pdf-fonts", lambda: pdf_speedups.font_internals_ok(weasyprint.pdf.fonts)
    )
    assert charts.svg_layers_allowed()
    assert set(shortcuts.STATUS) == set(shortcuts.TESTED)
    assert set(shortcuts.STATUS.values()) == {"på"}


def test_untested_version_stays_off_and_says_so_once(fresh_status, monkeypatch, capsys):
    monkeypatch.setitem(shortcuts.TESTED, "pdf-png", ("weasyprint", "1.0", "2"))
    assert not shortcuts.allowed("pdf-png", lambda: True)
    assert not shortcuts.allowed("pdf-png", lambda: True)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert (
        "pdf-png" in lines[0] and "inte testad" in lines[0] and "NARAVARD_NO_SPEEDUPS" in lines[0]
    )


def test_the_kernels_svg_shortcut_is_announced_where_the_user_sees_it(
    fresh_status, monkeypatch, capsys
):
    """The kernel's own notice goes unseen: `make report`/`make reports` tell it themselves."""
    from naravard.build import pipeline

    monkeypatch.setitem(shortcuts.TESTED, "svg-layers", ("matplotlib", "1.0", "2"))
    pipeline.announce_shortcuts()
    err = capsys.readouterr().err
    assert "svg-layers" in err and "inte testad" in err


def test_unexpected_internals_stay_off(fresh_status, capsys):
    def broken() -> bool:
        raise AttributeError("no such method")

    assert not shortcuts.allowed("svg-layers", broken)
    assert not shortcuts.allowed("pdf-fonts", lambda: False)
    err = capsys.readouterr().err
    assert err.count("ser inte ut som väntat") == 2


def test_off_switch_turns_every_shortcut_off_silently(fresh_status, monkeypatch, capsys):
    monkeypatch.setenv(shortcuts.OFF_SWITCH, "1")
    for name in shortcuts.TESTED:
        assert not shortcuts.allowed(name, lambda: True)
    assert capsys.readouterr().err == ""


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in (shortcuts.OFF_SWITCH, shortcuts.REPORT_KERNEL)
    } | env
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


# lark is what rfc3987_syntax compiles its grammar with: present only if it was imported
IRI_CHECK = (
    "import sys, nbformat; nbformat.validate(nbformat.v4.new_notebook()); "
    "print(repr(sys.modules.get('rfc3987_syntax', 'absent')), 'lark' in sys.modules)"
)


def test_rendering_never_compiles_the_iri_grammar():
    """The report environment has no JupyterLab, so nbformat's jsonschema finds no
    rfc3987_syntax and no render process pays its 2–3 s grammar (once a shortcut's job)."""
    rendering = _python("import naravard.build.render, naravard.report.region; " + IRI_CHECK)
    assert rendering.stdout.split() == ["'absent'", "False"], rendering.stderr


def test_heap_is_frozen_only_in_report_kernels():
    """A report kernel freezes what it loaded and collects less often; an analyst's kernel
    keeps Python's defaults (a young collection every 700 allocations)."""
    code = (
        "import gc; from naravard.build.in_kernel import settle_heap; obs = object(); "
        "print(settle_heap(obs), gc.get_freeze_count() > 0, gc.get_threshold()[0])"
    )
    assert _python(code).stdout.split() == ["False", "False", "700"]  # an analyst's kernel
    assert _python(code, NARAVARD_REPORT_KERNEL="1").stdout.split() == ["True", "True", "20000"]
    off = _python(code, NARAVARD_REPORT_KERNEL="1", NARAVARD_NO_SPEEDUPS="1")
    assert off.stdout.split() == ["False", "False", "700"]


def test_the_naravard_command_collects_less_often_and_importing_naravard_does_not():
    imported = _python(
        "import gc; from naravard import cli; from naravard.speed import heap; "
        "from naravard.report import region; from naravard.build import render, batch; "
        "print(gc.get_threshold()[0], gc.get_freeze_count())"
    )
    assert imported.stdout.split() == ["700", "0"]  # imports change nothing
    command = (
        "import gc; from naravard import cli; code = cli.main(['data', 'status']); "
        "print(code, gc.get_threshold())"
    )
    assert _python(command).stdout.split("\n")[-2].endswith("(20000, 10, 10)")
    off = _python(command, NARAVARD_NO_SPEEDUPS="1")
    assert off.stdout.split("\n")[-2].endswith("(700, 10, 10)")


def test_heap_is_frozen_once_per_observations():
    """A batch kernel's later reports share the observations: no collection per report, and
    nothing a report leaves behind is frozen for good."""
    code = (
        "import gc; from naravard.build.in_kernel import settle_heap; obs = object(); "
        "first = settle_heap(obs); frozen = gc.get_freeze_count(); leftovers = [[] for _ in range(1000)]; "
        "print(first, settle_heap(obs), gc.get_freeze_count() == frozen, settle_heap(object()))"
    )
    assert _python(code, NARAVARD_REPORT_KERNEL="1").stdout.split() == [
        "True",
        "False",
        "True",
        "True",
    ]


def test_report_kernels_are_started_with_the_report_flag(monkeypatch, tmp_path):
    from jupyter_client.manager import KernelManager

    from naravard.build import kernels

    seen = {}

    def start_kernel(self, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr(KernelManager, "start_kernel", start_kernel)
    kernels.start_report_kernel(tmp_path)
    assert seen["env"][shortcuts.REPORT_KERNEL] == "1"


def test_report_kernels_use_the_one_socket_config(monkeypatch, tmp_path):
    """Curve-encrypted sockets only where pyzmq has Curve: without it a report kernel still
    starts (asking for "auto" there is an error in jupyter_client)."""
    import zmq
    from jupyter_client.manager import KernelManager

    from naravard.build import kernels

    monkeypatch.setattr(KernelManager, "start_kernel", lambda self, **kwargs: None)
    kernels.kernel_config.cache_clear()
    monkeypatch.setattr(zmq, "has", lambda feature: feature != "curve")
    try:
        assert kernels.start_report_kernel(tmp_path).transport_encryption == "disabled"
    finally:
        kernels.kernel_config.cache_clear()


# --- the same report with and without them -------------------------------------------------


def _page_images(pdf: Path, dpi: int = 60) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"), dtype=np.int16)
            for page in doc
        ]
    finally:
        doc.close()


def _assert_same_pages(with_: Path, without: Path, *, tolerance: int = 0) -> None:
    """Every page equal; `tolerance`: by how many of 255 levels a pixel may differ."""
    ours, plain = _page_images(with_), _page_images(without)
    assert len(ours) == len(plain) > 5
    differing = [
        n
        for n, (a, b) in enumerate(zip(ours, plain), start=1)
        if a.shape != b.shape or np.abs(a - b).max() > tolerance
    ]
    assert not differing, f"pages that differ: {differing}"


@pytest.mark.e2e
def test_report_pages_are_the_same_without_the_shortcuts(renders):
    ours, plain = renders.orebro_batch(), renders.orebro()
    assert "genvägen" not in ours.text and "genvägen" not in plain.text  # none said it was off
    assert (ours.out / "rapport.html").read_bytes() == (plain.out / "rapport.html").read_bytes()
    _assert_same_pages(ours.out / "rapport.pdf", plain.out / "rapport.pdf")


@pytest.mark.e2e
def test_chart_svgs_look_the_same_without_the_layering(renders, tmp_path):
    """The layered SVGs differ in grouping, not in what they draw: printed, they are equal."""
    from naravard.build.render import html_to_pdf

    ours, plain = renders.orebro_batch().figures, renders.orebro().figures
    names = sorted(p.name for p in ours.glob("*.svg"))
    assert names == sorted(p.name for p in plain.glob("*.svg")) and len(names) > 10
    for name in names:  # equal pages of empty SVGs would prove nothing
        assert_draws((ours / name).read_bytes(), "Örebro", shapes=10)
    printed = {}
    for label, folder in (("ours", ours), ("plain", plain)):
        page = "".join(
            f"<img style='display:block; width:16cm; break-after:page' src='{name}' alt=''>"
            for name in names
        )
        printed[label] = tmp_path / f"{label}.pdf"
        html_to_pdf(
            f"<html lang='sv'><body>{page}</body></html>",
            printed[label],
            base_url=folder,
            tagged=False,
        )
    # The layered SVG draws the same shapes in another order (a peer's bar in its grey
    # twin's place, not on top): where antialiased edges of a clipped bold row and a bar
    # meet, the rasteriser's blending can then differ by one level (3 pixels of a 2024
    # ranked chart at 60 dpi). A shape drawn differently differs by far more.
    _assert_same_pages(printed["ours"], printed["plain"], tolerance=2)
