"""Issue 19: faults found by trying the comment files, own notebooks, `make diff`, `make
kommentar` and kills as a hostile user would (../shared/reference/faults-2024-12.md).

Comment-file limits are tested in test_commentary.py, kernels and own notebooks in
test_own_limits.py.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from naravard.core.errors import NaravardError


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(NaravardError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message[:2000]
    return message


# --- F1: a date that does not exist, in any YAML file ------------------------------------------


@pytest.mark.parametrize(
    "value, problem",
    [("2025-13-45", "month must be in 1..12"), ("2024-02-30", "day is out of range")],
)
def test_f1_an_impossible_date_in_answers_is_one_line_with_the_line(tmp_path, value, problem):
    from naravard.report.questionnaire import check_file

    folder = tmp_path / "vasterbotten"
    folder.mkdir()
    path = folder / "2024.yaml"
    path.write_text(
        f"region: vasterbotten\nyear: 2024\nx: {value}\nanswers: {{}}\n", encoding="utf-8"
    )
    message = one_line_error(check_file, path)
    assert f"2024.yaml rad 3: '{value}' är inget giltigt datum ({problem}" in message


def test_f1_an_impossible_date_in_the_catalogue_reader_is_one_line(tmp_path):
    from naravard.core import safe_yaml

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - 2024-02-30\n", encoding="utf-8")
    assert "x.yaml rad 3: '2024-02-30' är inget giltigt datum" in one_line_error(
        safe_yaml.load_file, path
    )


def test_f1_real_dates_still_read_as_dates():
    import datetime as dt

    from naravard.core import safe_yaml

    assert safe_yaml.load_text("d: 2024-02-29", "x") == {"d": dt.date(2024, 2, 29)}


# --- F7: `make kommentar` on a full disk ------------------------------------------------------


def test_f7_kommentar_on_a_full_disk_names_the_path_and_leaves_no_file(
    project_tmp, snapshot_dir, monkeypatch, capsys
):
    import os

    from naravard.cli import main

    monkeypatch.setenv("NARAVARD_COMMENTARY_DIR", str(project_tmp / "kommentarer"))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    args = ["kommentar", "--region", "Västerbotten", "--year", "2024", "--data", str(snapshot_dir)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    path = project_tmp / "kommentarer" / "vasterbotten" / "2024.md"
    assert len(err.splitlines()) == 1 and err.startswith("fel: ")
    assert str(path) in err and os.strerror(errno.ENOSPC) in err
    assert list(path.parent.iterdir()) == []  # no empty 2024.md, no temporary file
    monkeypatch.undo()
    monkeypatch.setenv("NARAVARD_ROOT", str(project_tmp))
    monkeypatch.setenv("NARAVARD_COMMENTARY_DIR", str(project_tmp / "kommentarer"))
    assert main(args) == 0  # with room again: no "finns redan"
    assert "## Det viktigaste" in path.read_text(encoding="utf-8")


# --- F8 and diff across reports ---------------------------------------------------------------

HEAD = "Område;Indikator;Indikator-id;År;Värde;Placering;Källa"
ROW = "A;BUP;bup;2024;18,3;20;Väntetider i vården"
HOSTILE = "\x1b]0;HIJACKED-TITLE\x07\x1b[2J\x1b[31mRÖD TEXT\x1b[0m"


def report_folder(
    tmp_path: Path, name: str, *rows: str, region: str = "24", year: int = 2024
) -> Path:
    import json

    path = tmp_path / name
    path.mkdir()
    (path / "indikatorer.csv").write_bytes(("\n".join([HEAD, *rows]) + "\n").encode("utf-8-sig"))
    (path / "manifest.json").write_text(
        json.dumps(
            {
                "created": "2025-03-01T10:00:00+00:00",
                "parameters": {"kind": "region", "region": region, "year": year},
            }
        ),
        encoding="utf-8",
    )
    return path


def test_f8_diff_prints_no_escape_sequences_from_the_tables(tmp_path, capsys):
    from naravard.cli import main

    a = report_folder(tmp_path, "a", ROW, f'A;"{HOSTILE}";only_in_a;2024;1;1;x')
    b = report_folder(tmp_path, "b", ROW)
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "RÖD TEXT 2024" in out and "indikatorn finns inte längre" in out
    assert "\x1b" not in out and "\x07" not in out and "HIJACKED" not in out


def test_f8_printable_removes_controls_and_bidi_but_keeps_text():
    from naravard.core.limits import printable

    assert printable(f"a{HOSTILE} b\u202ec\x00d\ttab") == "aRÖD TEXT bcd\ttab"
    assert printable("Åäö – 79,5 %") == "Åäö – 79,5 %"


@pytest.mark.parametrize(
    "other, what", [({"region": "25"}, "olika regioner"), ({"year": 2023}, "olika år")]
)
def test_diff_across_regions_or_years_is_refused(tmp_path, capsys, other, what):
    from naravard.cli import main

    a = report_folder(tmp_path, "a", ROW)
    b = report_folder(tmp_path, "b", ROW.replace("18,3", "25,0"), **other)
    assert main(["diff", str(a), str(b)]) == 2
    captured = capsys.readouterr()
    assert what in captured.err and "reviderat av källan" not in captured.out
    assert len(captured.err.strip().splitlines()) == 1


def test_a_fel_line_carries_no_escape_sequences(capsys, monkeypatch):
    from naravard import cli

    def hostile(args):
        raise NaravardError(f"data/x.csv: {HOSTILE}")

    monkeypatch.setattr(cli, "_cmd_diff", hostile)
    assert cli.main(["diff", "a", "b"]) == 2
    assert "\x1b" not in capsys.readouterr().err


def test_a_reader_that_stops_reading_is_not_told_as_a_disk_problem(tmp_path):
    """`make diff … | head -3`: the closed pipe said "fel: Broken pipe; kontrollera
    rättigheter och ledigt utrymme". A reader that has what it wants is no error to report."""
    import subprocess
    import sys

    a = report_folder(tmp_path, "a", ROW, *(f"A;Namn {i};id_{i};2024;1;1;x" for i in range(3000)))
    b = report_folder(tmp_path, "b", ROW)
    proc = subprocess.run(
        f'"{sys.executable}" -m naravard.cli diff "{a}" "{b}" | head -2',
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert len(proc.stdout.splitlines()) == 2
    assert "rättigheter" not in proc.stderr and "fel:" not in proc.stderr, proc.stderr


# --- WeasyPrint reads no file outside the report and nothing from the network ------------------


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (40, 40), (200, 0, 0)).save(path)
    return path


def _images_in(pdf: Path) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(pdf).pages)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "file:///STAGING/../outside.png",
    ],
)
def test_the_pdf_fetcher_refuses_everything_outside_the_staging_folder(tmp_path, url):
    from naravard.build.render import _url_fetcher

    staging = tmp_path / "staging"
    staging.mkdir()
    _png(tmp_path / "outside.png")
    with pytest.raises(ValueError):
        _url_fetcher({}, staging).fetch(url.replace("/STAGING", str(staging)))


def test_a_local_file_in_raw_html_is_not_embedded_in_the_pdf(tmp_path):
    from naravard.build.render import html_to_pdf

    staging = tmp_path / "staging"
    staging.mkdir()
    outside = _png(tmp_path / "secret.png")
    inside = _png(staging / "own.png")
    page = (
        f'<html lang="sv"><body><img alt="a" src="file://{outside}">'
        f'<img alt="b" src="http://127.0.0.1:9/x.png"><p>text</p></body></html>'
    )
    html_to_pdf(page, tmp_path / "a.pdf", base_url=staging, tagged=False)
    assert _images_in(tmp_path / "a.pdf") == 0
    html_to_pdf(
        page.replace(str(outside), str(inside)), tmp_path / "b.pdf", base_url=staging, tagged=False
    )
    assert _images_in(tmp_path / "b.pdf") == 1  # the report's own folder is readable


# --- the small ones -------------------------------------------------------------------------------


def test_warm_up_folders_carry_the_pid_and_a_killed_runs_are_removed(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys
    import tempfile
    import time

    from naravard.core import publish
    from naravard.build import render

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen = []
    monkeypatch.setattr(render, "html_to_pdf", lambda html, pdf: seen.append(Path(pdf).parent))
    render.warm_up()
    assert seen[0].name.startswith(f"naravard-warm-{os.getpid()}-")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    killed = tmp_path / f"naravard-warm-{dead}-abcd1234"
    legacy = tmp_path / "naravard-warm-abcd1234"  # before the pid was in the name
    for folder in (killed, legacy):
        (folder / "x").mkdir(parents=True)
    day_old = time.time() - publish.LEGACY_AGE - 60
    os.utime(legacy, (day_old, day_old))
    assert sorted(publish.remove_stale(tmp_path)) == sorted([killed, legacy])


def test_one_changed_value_is_told_in_the_singular(capsys):
    from types import SimpleNamespace

    from naravard.build.pipeline import warn_analyst

    job = SimpleNamespace(revised=["x"], out_dir=Path("output/a/2024"))
    warn_analyst(SimpleNamespace(comments=None, year=2024), job)
    assert "1 värde eller placering har ändrats" in capsys.readouterr().err
    job.revised = ["x", "y"]
    warn_analyst(SimpleNamespace(comments=None, year=2024), job)
    assert "2 värden eller placeringar har ändrats" in capsys.readouterr().err


def test_a_full_disk_while_publishing_names_the_file(tmp_path, monkeypatch, capsys):
    import os

    from naravard import cli
    from naravard.build import render

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def publish_one(args):
        render.publish({"rapport.pdf": b"%PDF"}, tmp_path / "out")

    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.setattr(cli, "_cmd_diff", publish_one)
    assert cli.main(["diff", "a", "b"]) == 2
    err = capsys.readouterr().err
    assert "rapport.pdf: No space left on device" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_run_that_does_not_unwind_after_sigterm_ends_within_the_grace(tmp_path):
    """Whatever swallows the interruption (here a loop; in life a kernel call), the run ends
    GRACE seconds after SIGTERM with the one line and 143."""
    import signal
    import subprocess
    import sys
    import textwrap

    # the one KeyboardInterrupt is swallowed wherever it lands (two nested loops: between
    # the inner loop's `except` and its next `try`, the outer `try` still holds)
    code = textwrap.dedent("""
        import time
        from naravard import cli
        cli._Interrupted.install()
        def stubborn():
            print("ready", flush=True)
            while True:
                try:
                    time.sleep(0.1)
                except KeyboardInterrupt:
                    pass
        while True:
            try:
                stubborn()
            except KeyboardInterrupt:
                pass
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("SIGTERM did not end the run")
    assert proc.returncode == 143
    assert err.splitlines() == ["avbrutet; ingen rapport ändrades"]


def test_an_early_pool_may_grow_to_jobs(monkeypatch):
    """JOBS=2 with one report due at first: the pool starts one worker and may grow to two."""
    from naravard.build import batch

    made = {}

    class Pool:
        def __init__(self, max_workers, **kwargs):
            made["max_workers"], made["warm"] = max_workers, 0

        def submit(self, fn, *args):
            made["warm"] += 1

    monkeypatch.setattr(batch.cf, "ProcessPoolExecutor", Pool)
    batch._start_pool(1, 2)
    assert made == {"max_workers": 2, "warm": 1}


def test_f7_a_folder_without_hard_links_still_gets_the_comment_file(tmp_path, monkeypatch):
    import os

    from naravard.report import commentary

    def no_links(src, dst):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "vasterbotten" / "2024.md"
    commentary._write_new(path, "text\n")
    assert path.read_text(encoding="utf-8") == "text\n"
    assert [p.name for p in path.parent.iterdir()] == ["2024.md"]


def test_f8_a_questionnaire_title_with_escape_sequences_is_printed_clean(capsys, monkeypatch):
    from types import SimpleNamespace

    from naravard.report.questionnaire import answers

    question = SimpleNamespace(label="5", title=f"Fråga {HOSTILE}")
    monkeypatch.setattr(
        answers, "read_answers", lambda path: SimpleNamespace(year=2024, region_name="Västerbotten")
    )
    monkeypatch.setattr(answers, "load_structure", lambda year: [question])
    monkeypatch.setattr(answers, "unanswered", lambda structure, ans: [(question, "")])
    monkeypatch.setattr(answers, "is_expected", lambda q, ans: True)
    answers.check_file("x.yaml")
    out = capsys.readouterr().out
    assert "Fråga RÖD TEXT" in out and "\x1b" not in out
