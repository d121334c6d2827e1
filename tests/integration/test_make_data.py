"""`make data`: the snapshot refreshed whole from a good answer, or left exactly as it was.

`naravard data download` runs against a little Kolada on 127.0.0.1 (tests/kolada_server.py)
that answers from the committed snapshot, well or with one fault; the refresh writes into a
copy of the snapshot, never into data/kolada.
"""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest
import responses
from conftest import SNAPSHOT
from kolada_server import FAULTS, Answers, KoladaServer

from naravard import cli
from naravard.sources.kolada_client import KoladaClient
from naravard.sources.refresh import refresh_snapshot
from naravard.report import exports

DEADLINE = "6"  # seconds: bounds every endless fault (page loops, slow drips, retries)


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def dest(tmp_path: Path) -> Path:
    copy = tmp_path / "kolada"
    shutil.copytree(SNAPSHOT, copy)
    return copy


@pytest.fixture()
def kolada(request, monkeypatch):
    """Start a server with the test's fault (request.param) and point the client at it."""
    fault = getattr(request, "param", None)
    server = KoladaServer(SNAPSHOT, fault).start()
    monkeypatch.setenv("NARAVARD_KOLADA_URL", server.url)
    if fault:
        monkeypatch.setenv("NARAVARD_KOLADA_DEADLINE", DEADLINE)
    yield server
    server.stop()


def download(dest: Path, capsys) -> tuple[int, str, str]:
    code = cli.main(["data", "download", "--dest", str(dest)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_untouched(code: int, err: str, dest: Path, before: dict[str, bytes]) -> str:
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("fel: "), err
    assert files_of(dest) == before
    assert [p.name for p in dest.parent.iterdir()] == ["kolada"]  # no staging left
    return lines[0]


@pytest.mark.parametrize("kolada", FAULTS, indirect=True)
def test_each_fault_is_one_line_and_the_snapshot_stays(kolada, dest, capsys):
    before = files_of(dest)
    code, _, err = download(dest, capsys)
    line = assert_untouched(code, err, dest, before)
    assert "Kolada" in line or "nätverket" in line
    assert "rättigheter" not in line and "utrymme" not in line  # not told as the disk
    assert kolada.requests < 200


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ("next_other_host", "annan adress (next_url"),
        ("redirect_other_host", "annan adress (omdirigering"),
        ("next_bad_url", "trasig next_url"),
        ("next_increment", "6 s"),
        ("retry_after_long", "bad oss vänta 480 s (Retry-After)"),
        ("huge", "mer än 50 MB"),
        ("slow_drip", "blev inte klar inom 6 s"),
        ("poison_range", "kan inte vara mindre än 0"),
        ("empty_all", "saknar värden som ögonblicksbilden har för 29 av katalogens nyckeltal"),
        ("truncated_json", "avkortad JSON"),
    ],
)
def test_the_line_says_what_went_wrong(fault, said, dest, capsys, monkeypatch):
    server = KoladaServer(SNAPSHOT, fault).start()
    try:
        monkeypatch.setenv("NARAVARD_KOLADA_URL", server.url)
        monkeypatch.setenv("NARAVARD_KOLADA_DEADLINE", DEADLINE)
        before = files_of(dest)
        code, _, err = download(dest, capsys)
    finally:
        server.stop()
    assert said in assert_untouched(code, err, dest, before)


def test_without_network_one_line(dest, capsys, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("NARAVARD_KOLADA_URL", f"http://127.0.0.1:{port}/v3")
    before = files_of(dest)
    code, _, err = download(dest, capsys)
    assert "nätverket: Kolada (127.0.0.1) kunde inte nås" in assert_untouched(
        code, err, dest, before
    )


def test_a_good_answer_replaces_the_snapshot_whole_and_says_what_changed(dest, capsys, monkeypatch):
    revise = {("N79173", "0024", 2023): 99.9, ("N79173", "0001", 2024): 11.1}
    server = KoladaServer(SNAPSHOT, revise=revise).start()
    try:
        monkeypatch.setenv("NARAVARD_KOLADA_URL", server.url)
        before = files_of(dest)
        code, out, err = download(dest, capsys)
    finally:
        server.stop()
    assert code == 0, err
    after = files_of(dest)
    # the KPIs, README.md and kommun/ all kept; the kommuner's population (Invånare totalt,
    # N01951, for the kommun chapter's small-kommun cautions) is the one file a refresh adds
    assert set(before) <= set(after)
    assert set(after) - set(before) <= {"kommun/data/N01951.json"}
    changed = {k for k in before if after[k] != before[k]}
    assert {"retrieved.json", "data/N79173.json"} <= changed
    assert not {k for k in changed if k.startswith("data/")} - {"data/N79173.json"}
    assert not {k for k in changed if k.startswith("kommun/data/") or k == "README.md"}
    assert "kommun/retrieved.json" in changed  # the kommun part was fetched anew too
    assert re.search(
        r"reviderade: N79173 \(medicinsk_bedomning_3d\): 2 värden, störst "
        r"0001 2024: [\d,]+ → 11,1",
        out,
    ), out
    assert "Checka in" in out
    assert [p.name for p in dest.parent.iterdir()] == ["kolada"]


def test_a_later_year_is_listed_as_new(dest, capsys, kolada):
    import json

    for path in (dest / "data").glob("*.json"):  # the snapshot as it was before 2024 came
        payload = json.loads(path.read_text(encoding="utf-8"))
        payload["values"] = [v for v in payload["values"] if int(v["period"]) != 2024]
        path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    code, out, err = download(dest, capsys)
    assert code == 0, err
    assert "nytt år 2024: N79173 (medicinsk_bedomning_3d)" in out


@responses.activate
def test_recorded_answers_in_process(dest, capsys):
    """The same refresh on recorded responses (no socket): KPIs retired and renamed."""
    answers = Answers(SNAPSHOT)
    base = "https://kolada.example/v3"

    def callback(request):
        import json
        from urllib.parse import urlsplit

        payload = answers(urlsplit(request.url).path)
        if "/kpi/" in request.url and "/data/" not in request.url:
            payload["values"] = [
                dict(v, title="Nytt namn") if v["id"] == "N79179" else v
                for v in payload["values"]
                if v["id"] != "N61603"
            ]
        return 200, {}, json.dumps(payload)

    responses.add_callback(responses.GET, re.compile(re.escape(base) + ".*"), callback=callback)
    client = KoladaClient(base, progress=False, max_requests_per_second=0)
    assert refresh_snapshot(dest, client=client) == 0
    out = capsys.readouterr().out
    assert "nyckeltalet finns inte längre i Kolada: N61603" in out
    assert "nytt namn: N79179 (telefon_samma_dag):" in out and "→ 'Nytt namn'" in out


# --- a report whose Kolada values would all disappear is not published ---------------------


def test_a_report_without_its_kolada_values_does_not_replace_the_published_one(project_tmp):
    import dataclasses

    from naravard.build import pipeline
    from naravard.report import region as report
    from naravard.core.errors import NaravardError
    from naravard.core.paths import output_dir
    from naravard.sources.table import load_observations

    obs = load_observations()
    good = report.prepare("Västerbotten", 2024, obs=obs, figures=None, previous=None)
    published = output_dir() / "vasterbotten" / "2024"
    published.mkdir(parents=True)
    (published / "indikatorer.csv").write_bytes(exports.region_csv_bytes(good))
    assert pipeline.region_job(good, None).out_dir == published  # the same values: published

    frame = obs.frame.copy()
    frame.loc[frame["source"] == "Kolada", "value"] = float("nan")  # an all-empty answer
    empty = report.prepare(
        "Västerbotten", 2024, obs=dataclasses.replace(obs, frame=frame), figures=None, previous=None
    )
    with pytest.raises(
        NaravardError,
        match=r"den publicerade rapporten har \d+ värden från "
        r"Kolada, den nya skulle inte ha något.*FORCE=1",
    ):
        pipeline.region_job(empty, None)
    assert pipeline.region_job(empty, None, force=True).out_dir == published


def test_make_data_without_network_leaves_git_status_clean():
    """The acceptance as typed: `make data` on the committed snapshot, Kolada unreachable."""
    import os
    import subprocess

    from conftest import REPO

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    status = ["git", "-C", str(REPO), "status", "--porcelain", "--", "data/kolada"]
    before = subprocess.run(status, capture_output=True, text=True, check=True).stdout
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {"NARAVARD_KOLADA_URL": f"http://127.0.0.1:{port}/v3"}
    env.pop("DATA", None)
    proc = subprocess.run(
        ["make", "-s", "--no-print-directory", "data"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    fel = [line for line in proc.stderr.splitlines() if not line.startswith("make")]
    assert len(fel) == 1 and fel[0].startswith("fel: nätverket: Kolada (127.0.0.1)"), proc.stderr
    assert subprocess.run(status, capture_output=True, text=True, check=True).stdout == before
