"""`make arkivera`: the sent version kept whole, never overwritten, and compared with later."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from naravard import cli
from naravard.analysis import revisions
from naravard.build import archive
from naravard.build.manifest import build_manifest, write_manifest
from naravard.build.pipeline import output_hashes
from naravard.core.errors import NaravardError
from naravard.core.paths import repo_root

EPOCH = "1735689600"  # 2025-01-01
HEAD = "Område;Indikator;Indikator-id;År;Värde;Placering;Källa"
TABLE = (
    HEAD + "\nA;Medicinsk bedömning;med;2024;79,5;14;Väntetider i vården, via Kolada\n"
    "A;BUP;bup;2024;18,3;20;Väntetider i vården, via Kolada\n"
)


def publish_fake(root: Path, table: str = TABLE) -> tuple[Path, Path]:
    """A published Västerbotten 2024 as run_job leaves it: files, figures, manifest."""
    out, figures = (
        root / "output" / "vasterbotten" / "2024",
        root / "figures" / "vasterbotten" / "2024",
    )
    out.mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)
    (out / "indikatorer.csv").write_bytes(table.encode("utf-8-sig"))
    (out / "rapport.pdf").write_bytes(b"%PDF-1.7 sent")
    (figures / "med-stor.png").write_bytes(b"\x89PNG large")
    (figures / "figurer.csv").write_text("Fil;Källa\n", encoding="utf-8")
    manifest = build_manifest(
        {"kind": "region", "region": "0024", "year": 2024},
        "test",
        None,
        [],
        outputs=output_hashes(out, figures),
    )
    write_manifest(out / "manifest.json", manifest)
    return out, figures


@pytest.fixture()
def root(project_tmp, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(project_tmp)
    return project_tmp


def test_arkivera_keeps_the_report_its_manifest_and_figures(root):
    out, figures = publish_fake(root)
    target = archive.archive("Västerbotten", 2024)
    assert target == root / "arkiv" / "vasterbotten" / "2024" / "2025-01-01"
    assert sorted(p.name for p in target.iterdir()) == [
        "figures",
        "indikatorer.csv",
        "manifest.json",
        "rapport.pdf",
    ]
    assert (target / "figures" / "med-stor.png").read_bytes() == b"\x89PNG large"
    assert (target / "rapport.pdf").read_bytes() == (out / "rapport.pdf").read_bytes()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no staging
    assert archive.archives("vasterbotten", 2024) == [target]


def test_an_archive_is_never_overwritten_one_fel_line_exit_2(root, capsys):
    publish_fake(root)
    target = archive.archive("Västerbotten", 2024)
    (root / "output" / "vasterbotten" / "2024" / "rapport.pdf").write_bytes(b"%PDF new")
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    code = cli.main(["arkivera", "--region", "Västerbotten", "--year", "2024"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("fel: ")
    # either refusal names the folder: the changed report, or the existing archive
    assert "arkiv" in err[0] or "manifest" in err[0]
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_the_same_day_again_is_refused_even_for_an_intact_report(root):
    publish_fake(root)
    archive.archive("Västerbotten", 2024)
    with pytest.raises(NaravardError, match="finns redan och skrivs aldrig över"):
        archive.archive("Västerbotten", 2024)


def test_nothing_half_written_when_copying_fails(root, monkeypatch):
    publish_fake(root)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.shutil, "copytree", broken)
    with pytest.raises(OSError):
        archive.archive("Västerbotten", 2024)
    folder = root / "arkiv" / "vasterbotten" / "2024"
    assert not list(folder.iterdir())  # neither the archive nor its staging folder


def test_a_report_changed_after_publishing_or_missing_is_not_archived(root):
    with pytest.raises(NaravardError, match="ingen publicerad rapport"):
        archive.archive("Västerbotten", 2024)
    out, _ = publish_fake(root)
    (out / "rapport.pdf").write_bytes(b"%PDF edited by hand")
    with pytest.raises(NaravardError, match="stämmer inte med manifest.json"):
        archive.archive("Västerbotten", 2024)
    assert not (root / "arkiv" / "vasterbotten" / "2024").exists() or not list(
        (root / "arkiv" / "vasterbotten" / "2024").iterdir()
    )


def test_diff_against_the_archive_says_what_changed_since_it_was_sent(root, capsys):
    publish_fake(root)
    target = archive.archive("Västerbotten", 2024)
    publish_fake(root, TABLE.replace("79,5;14", "80,1;13"))
    assert cli.main(["diff", str(target.relative_to(root)), "output/vasterbotten/2024"]) == 0
    said = capsys.readouterr().out
    assert "1 ändring från arkiv/vasterbotten/2024/2025-01-01" in said
    assert "79,5 → 80,1" in said and "placering 14 → 13" in said


def test_the_report_compares_with_sedan_else_the_latest_archive_else_the_published(root):
    out, _ = publish_fake(root)
    assert archive.baseline("vasterbotten", 2024, out) == out
    first = archive.archive("Västerbotten", 2024)
    assert archive.baseline("vasterbotten", 2024, out) == first
    later = first.with_name("2025-03-14")
    shutil.copytree(first, later)
    assert archive.baseline("vasterbotten", 2024, out) == later
    assert (
        archive.baseline("vasterbotten", 2024, out, "arkiv/vasterbotten/2024/2025-01-01") == first
    )
    with pytest.raises(NaravardError, match="SEDAN=.*indikatorer.csv saknas"):
        archive.baseline("vasterbotten", 2024, out, "arkiv/vasterbotten/2024/1999-01-01")


def test_changes_since_an_archive_are_headed_with_its_date(root):
    from naravard.report import changes, region as report

    publish_fake(root)
    target = archive.archive("Västerbotten", 2024)
    found = revisions.changes_since(target, TABLE.replace("79,5", "80,1").encode("utf-8-sig"))
    assert revisions.archived_on(found.previous_dir).isoformat() == "2025-01-01"
    rep = report.prepare("Västerbotten", 2024, figures=None, previous=None)
    rep.changes = found
    html = changes.changes_html(rep)
    assert "Ändrat sedan förra versionen (arkiverad 1 januari 2025)" in html
    assert "den arkiverade versionen av rapporten, den som skickades" in html


def test_region_job_takes_the_archive_as_baseline_and_input(root):
    from naravard.build.pipeline import region_job
    from naravard.report import region as report

    publish_fake(root)
    target = archive.archive("Västerbotten", 2024)
    rep = report.prepare("Västerbotten", 2024, figures=None, previous=None)
    job = region_job(rep, None)
    assert job.parameters["previous_dir"] == str(target)
    assert target / "indikatorer.csv" in job.inputs  # a new archive renders the report again
    plain = region_job(rep, None, since=str(root / "output" / "vasterbotten" / "2024"))
    assert target / "indikatorer.csv" not in plain.inputs


def test_make_arkivera_passes_hostile_values_as_data(root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env["NARAVARD_ROOT"] = str(root)
    marker = root / "pwned"
    result = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(repo_root()),
            "arkivera",
            f"REGION=x$(touch {marker})",
            f"YEAR=2024;touch {marker}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and not marker.exists()
    assert result.stderr.startswith("fel: okänd region")  # then make's own "Error 2" line
