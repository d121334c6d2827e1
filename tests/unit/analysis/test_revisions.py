"""Changes since the previous version: compare two indikatorer.csv by column name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from naravard.analysis import revisions
from naravard.core.errors import NaravardError
from naravard.core.paths import repo_root

HEAD = "Område;Indikator;Indikator-id;År;Värde;Placering;Källa"


def csv(*rows: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode("utf-8-sig")


def folder(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.mkdir()
    (path / "indikatorer.csv").write_bytes(content)
    return path


OLD = csv(
    "A;Medicinsk bedömning;med;2024;79,5;14;Väntetider i vården",
    "A;BUP;bup;2024;18,3;20;Väntetider i vården",
    "A;Egen;egen;2024;46;;Regionens redovisning (regionens egna uppgifter)",
    "A;Saknas;saknas;2024;;;x",
    "A;Borttagen;gammal;2024;1,0;1;x",
)


def test_each_kind_of_change_gets_its_reason():
    new = csv(
        "A;Medicinsk bedömning;med;2024;80,1;13;Väntetider i vården",
        "A;BUP;bup;2024;18,3;19;Väntetider i vården",
        "A;Egen;egen;2024;47;;Regionens redovisning (regionens egna uppgifter)",
        "A;Saknas;saknas;2024;5,0;3;x",
        "A;Ny;ny;2024;2,0;4;x",
    )
    frame = revisions.compare(revisions.read_table(OLD), revisions.read_table(new))
    reasons = dict(zip(frame["Indikator-id"], frame["Orsak"]))
    assert reasons == {
        "med": revisions.REVISED,
        "bup": revisions.OTHERS,
        "egen": revisions.REVISED_OWN,
        "saknas": revisions.NEW_VALUE,
        "ny": revisions.NEW_INDICATOR,
        "gammal": revisions.GONE_INDICATOR,
    }
    med = frame.set_index("Indikator-id").loc["med"]
    assert (
        med["Tidigare värde"],
        med["Nytt värde"],
        med["Tidigare placering"],
        med["Ny placering"],
    ) == ("79,5", "80,1", "14", "13")


def test_nothing_changed_gives_no_rows_even_with_extra_columns_and_another_order():
    head = "Trend;Placering;Indikator-id;Värde;År;Indikator;Ny kolumn;Källa"
    same = csv(
        "ökning;14;med;79,5;2024;Medicinsk bedömning;x;Väntetider i vården",
        "ökning;20;bup;18,3;2024;BUP;y;Väntetider i vården",
        "ökning;;egen;46;2024;Egen;;Regionens redovisning (regionens egna uppgifter)",
        ";;saknas;;2024;Saknas;;x",
        ";1;gammal;1,0;2024;Borttagen;;x",
        head=head,
    )
    assert revisions.compare(revisions.read_table(OLD), revisions.read_table(same)).empty


def test_another_year_is_a_new_year():
    new = OLD.replace(b";2024;79,5;", b";2025;81,0;")
    frame = revisions.compare(revisions.read_table(OLD), revisions.read_table(new))
    assert list(frame["Orsak"]) == [revisions.NEW_YEAR]


def test_a_table_without_the_needed_columns_is_refused():
    with pytest.raises(NaravardError, match="saknar kolumnen 'Värde'"):
        revisions.read_table(csv("A;x;x;2024", head="Område;Indikator;Indikator-id;År"))


def test_changes_since_a_folder_and_the_csv(tmp_path):
    assert revisions.changes_since(tmp_path / "saknas", OLD) is None
    prev = folder(tmp_path, "mars", OLD)
    (prev / "manifest.json").write_text('{"created": "2025-03-14T10:00:00+01:00"}')
    new = OLD.replace(b";79,5;14;", b";80,1;14;")
    changes = revisions.changes_since(prev, new)
    assert changes.previous_date.isoformat() == "2025-03-14"
    assert list(changes.frame["Indikator-id"]) == ["med"]
    text = revisions.csv_bytes(changes).decode("utf-8-sig").splitlines()
    assert text[0] == ";".join(revisions.COLUMNS)
    assert text[1] == "Medicinsk bedömning;med;2024;79,5;80,1;14;14;reviderat av källan"
    assert (
        revisions.describe(changes.frame.iloc[0])
        == "Medicinsk bedömning 2024: 79,5 → 80,1 (reviderat av källan)"
    )


def test_diff_lists_the_changes_between_two_folders(tmp_path, capsys):
    from naravard.cli import main

    a = folder(tmp_path, "a", OLD)
    b = folder(tmp_path, "b", OLD.replace(b";18,3;20;", b";19,0;18;"))
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "1 ändring från" in out
    assert "BUP 2024: 18,3 → 19,0, placering 20 → 18 (reviderat av källan)" in out
    assert main(["diff", str(a), str(a)]) == 0
    assert "Inga ändrade värden" in capsys.readouterr().out


def test_diff_of_a_folder_without_a_report_says_so(tmp_path, capsys):
    from naravard.cli import main

    a = folder(tmp_path, "a", OLD)
    assert main(["diff", str(a), str(tmp_path / "finns-inte")]) == 2
    err = capsys.readouterr().err
    assert "finns-inte/indikatorer.csv finns inte" in err and len(err.splitlines()) == 1


def test_comments_and_own_notebooks_are_inputs_and_a_change_re_renders(
    project_tmp, snapshot_dir, monkeypatch
):
    """`make reports` skips a report only while its comment file and own notebook are unchanged,
    and lists the values revised since the report already in output/."""
    from naravard.report import region as report
    from naravard.build.batch import up_to_date
    from naravard.build.manifest import write_manifest
    from naravard.build.pipeline import job_manifest, output_hashes, region_job

    comments = project_tmp / "kommentarer" / "vasterbotten"
    comments.mkdir(parents=True)
    comment = comments / "2024.md"
    comment.write_text(
        "---\nförfattare: A\ndatum: 2025-03-01\n---\n## Det viktigaste\nText.\n", encoding="utf-8"
    )
    monkeypatch.setenv("NARAVARD_COMMENTARY_DIR", str(project_tmp / "kommentarer"))
    rep = report.prepare("Västerbotten", 2024, snapshot_dir, figures=None)
    job = region_job(rep, snapshot_dir)
    assert comment.resolve() in [p.resolve() for p in job.inputs]
    assert job.revised == [] and "andringar.csv" not in job.extra_files
    job.out_dir.mkdir(parents=True)
    job.figures.mkdir(parents=True)
    for name in ("rapport.pdf", "rapport.html"):
        (job.out_dir / name).write_bytes(b"x")
    csv = job.extra_files["indikatorer.csv"].replace(b";79,5;", b";79,4;")
    (job.out_dir / "indikatorer.csv").write_bytes(csv)
    write_manifest(
        job.out_dir / "manifest.json",
        job_manifest(job, {}, outputs=output_hashes(job.out_dir, job.figures)),
    )
    assert up_to_date(job)

    comment.write_text(comment.read_text(encoding="utf-8") + "Mer.\n", encoding="utf-8")
    assert not up_to_date(job)
    write_manifest(
        job.out_dir / "manifest.json",
        job_manifest(job, {}, outputs=output_hashes(job.out_dir, job.figures)),
    )
    assert up_to_date(job)
    own = project_tmp / "notebooks"
    shutil.copytree(repo_root() / "notebooks", own)
    (own / "egna").mkdir(exist_ok=True)  # the template mall.ipynb is there
    (own / "egna" / "vasterbotten.ipynb").write_text('{"cells": []}', encoding="utf-8")
    monkeypatch.setenv("NARAVARD_NOTEBOOKS_DIR", str(own))
    job = region_job(report.prepare("Västerbotten", 2024, snapshot_dir, figures=None), snapshot_dir)
    assert (own / "egna" / "vasterbotten.ipynb") in job.inputs
    assert not up_to_date(job)
    assert job.revised == ["Medicinsk bedömning i primärvården inom tre dagar"]
    assert b"79,4;79,5" in job.extra_files["andringar.csv"]


def test_an_earlier_table_that_is_not_naravards_is_not_compared(tmp_path, capsys):
    prev = folder(tmp_path, "gammal", csv("x;y", head="Kolumn;Annan"))
    assert revisions.changes_since(prev, OLD) is None
    assert capsys.readouterr().err == ""  # the report runs; its one error line stays its own


def test_make_diff_compares_two_folders_and_asks_for_both(tmp_path):
    import os
    import subprocess

    from conftest import skip_unless_make_is_ready

    skip_unless_make_is_ready()
    a = folder(tmp_path, "a b", OLD)  # a space in the path: passed through the environment
    b = folder(tmp_path, "c", OLD.replace(b";18,3;20;", b";19,0;18;"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "--no-print-directory", "diff", *args],
            cwd=repo_root(),
            env=dict(os.environ),
            text=True,
            capture_output=True,
            timeout=300,
        )

    proc = run(f"A={a}", f"B={b}")
    assert proc.returncode == 0, proc.stderr
    assert "BUP 2024: 18,3 → 19,0, placering 20 → 18 (reviderat av källan)" in proc.stdout
    proc = run(f"A={a}")
    assert proc.returncode != 0 and "ange A och B" in proc.stderr


def test_a_run_without_changes_leaves_no_earlier_list_of_changes(project_tmp, monkeypatch):
    """andringar.csv lists the changes of the latest run only: a run that changed nothing
    removes the list an earlier run left."""
    from naravard.build import pipeline, render

    out = project_tmp / "output" / "gotland" / "2024"
    out.mkdir(parents=True)
    (out / "andringar.csv").write_bytes(b"gammal lista")
    (project_tmp / "in.txt").write_text("x")

    def fake_render(notebook, params, out_dir, *, stem, title, extra_files, km=None, finish=None):
        paths = render.publish(dict(extra_files) | {f"{stem}.pdf": b"%PDF"}, out_dir)
        return render.RenderResult(notebook, out_dir / "x.html", out_dir / "x.pdf", 1, paths)

    monkeypatch.setattr(render, "render_notebook_report", fake_render)
    job = pipeline.Job(
        "Gotland",
        Path("n.ipynb"),
        "rapport",
        "t",
        out,
        project_tmp / "figures" / "gotland" / "2024",
        {},
        {"kind": "region"},
        [project_tmp / "in.txt"],
        "test",
        None,
        {"indikatorer.csv": b"a;b\n"},
    )
    pipeline.run_job(job, project_tmp / "obs.pkl")
    assert not (out / "andringar.csv").exists() and (out / "indikatorer.csv").exists()
    job.extra_files["andringar.csv"] = b"ny lista"
    pipeline.run_job(job, project_tmp / "obs.pkl")
    assert (out / "andringar.csv").read_bytes() == b"ny lista"
