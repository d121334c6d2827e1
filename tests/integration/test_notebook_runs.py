"""A notebook run outside `make report` never writes into the published folders.

Run All in JupyterLab and `papermill notebooks/regionrapport.ipynb out.ipynb -p region …`
run the report notebook with its default parameters: the default snapshot, and charts saved
in scratch/, so figures/ and output/ stay byte for byte what `make report` made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def hashes(root: Path) -> dict[str, tuple[str, int, int]]:
    """Content, inode and mtime: the same bytes rewritten in place are a write too."""
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_ino,
            p.stat().st_mtime_ns,
        )
        for sub in ("output", "figures")
        for p in sorted((root / sub).rglob("*"))
        if p.is_file()
    }


def test_papermill_with_default_parameters_leaves_the_published_report(renders, tmp_path):
    made = renders.orebro()  # `naravard report --region "Örebro län" --year 2024`, no DATA
    root = tmp_path / "project"
    for sub in ("output", "figures"):
        shutil.copytree(made.root / sub, root / sub)
    before = hashes(root)
    assert any(k.startswith("figures/orebro-lan/2024/") and k.endswith(".png") for k in before)
    env = {k: v for k, v in os.environ.items() if k != "NARAVARD_DATA"}
    env |= {"NARAVARD_ROOT": str(root), "SOURCE_DATE_EPOCH": "1735689600"}
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(REPO / "notebooks" / "regionrapport.ipynb"),
            str(out),
            "-p",
            "region",
            "Örebro län",
            "-p",
            "year",
            "2024",
            "--cwd",
            str(REPO / "notebooks"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert hashes(root) == before
    scratch = root / "scratch" / "figures" / "orebro-lan" / "2024"
    assert sorted(p.name for p in scratch.glob("*.png"))  # the charts went to scratch/
    # the shipped copy's date is when it entered the project, and the cover says just that
    assert "sparad kopia av Kolada, inlagd i rapportverktyget den 2 december 2026" in out.read_text(
        encoding="utf-8"
    )


def test_make_egen_copies_the_template_once(tmp_path, monkeypatch, capsys):
    from naravard.report import own_template

    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks" / "egna", notebooks / "egna")
    monkeypatch.setenv("NARAVARD_NOTEBOOKS_DIR", str(notebooks))
    assert own_template.main(["Örebro län"]) == 0
    made = notebooks / "egna" / "orebro-lan.ipynb"
    assert 'region = \\"Örebro län\\"' in made.read_text(encoding="utf-8")
    assert "make lab" in capsys.readouterr().out
    made.write_text("analytikerns arbete", encoding="utf-8")
    assert own_template.main(["Örebro län"]) == 2  # never overwritten
    assert made.read_text(encoding="utf-8") == "analytikerns arbete"
    err = capsys.readouterr().err
    assert err.startswith("fel: ") and "orebro-lan.ipynb finns redan" in err
    assert own_template.main(["Atlantis"]) == 2
    assert sorted(p.name for p in (notebooks / "egna").iterdir()) == [
        "mall.ipynb",
        "orebro-lan.ipynb",
    ]


def test_the_template_runs_with_its_examples(tmp_path):
    """Run All on the template (its seaborn example included) on the default snapshot."""
    env = {k: v for k, v in os.environ.items() if k != "NARAVARD_DATA"}
    env |= {"NARAVARD_ROOT": str(tmp_path)}
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(REPO / "notebooks" / "egna" / "mall.ipynb"),
            str(out),
            "--cwd",
            str(REPO / "notebooks" / "egna"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    charts = list((tmp_path / "scratch" / "figures" / "vasterbotten" / "2024").glob("egen-*.png"))
    assert charts and not (tmp_path / "figures").exists()


def test_every_example_chart_carries_the_mark_in_png_and_svg(tmp_path):
    """Charts drawn from example data say so inside the image; real ones do not."""
    import numpy as np
    from PIL import Image

    from naravard.report import national, region as report
    from naravard.report.example_mark import MARK
    from naravard.sources.table import load_observations

    example = report.prepare(
        "Västerbotten", 2024, "exempel", figures=tmp_path / "ex", previous=None
    )
    real = report.prepare("Västerbotten", 2024, figures=tmp_path / "real", previous=None)
    ind = example.catalog.get("medicinsk_bedomning_3d")
    report.indicator_html(example, ind)
    report.indicator_html(real, ind)
    nat = national.prepare(2024, obs=load_observations("exempel"), figures=tmp_path / "nat")
    national.maps_html(nat)
    svgs = sorted((tmp_path / "ex").glob("*.svg")) + sorted((tmp_path / "nat").glob("*.svg"))
    assert len(svgs) >= 3
    for svg in svgs:
        text = svg.read_text(encoding="utf-8")
        assert all(line in text for line in MARK.splitlines()), svg.name
    for svg in (tmp_path / "real").glob("*.svg"):
        assert "EXEMPELDATA" not in svg.read_text(encoding="utf-8")

    # the PNG: the mark's pale red (its dark red at 35 % on white), not in the report's palette
    def reddish(path: Path) -> int:
        rgb = np.asarray(Image.open(path).convert("RGB")).astype(int)
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        return int(((r > 195) & (g > 150) & (g < 200) & (abs(g - b) < 12) & (r - g > 20)).sum())

    assert reddish(tmp_path / "ex" / "medicinsk_bedomning_3d.png") > 500
    assert reddish(tmp_path / "real" / "medicinsk_bedomning_3d.png") < 50


def test_an_own_chart_on_example_data_carries_the_mark(tmp_path):
    from naravard.report import own, region as report
    from naravard.report.example_mark import MARK

    rep = report.prepare("Västerbotten", 2024, "exempel", figures=tmp_path, previous=None)
    fig = own.new_figure(height_cm=5)
    fig.subplots().plot([2023, 2024], [1, 2])
    own.figure(fig, caption="Egen", source="Regionen", alt="Linje", rep=rep)
    assert MARK.splitlines()[0] in (tmp_path / "egen-egen.svg").read_text(encoding="utf-8")
