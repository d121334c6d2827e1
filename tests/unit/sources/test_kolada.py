"""Kolada: one parser for snapshot, cache and live API; the client's manners; atomic downloads."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
import responses

from naravard.core.errors import NaravardError
from naravard.sources import kolada
from naravard.sources import kolada_client
from naravard.sources.kolada import (
    KOLADA_BASE_URL,
    KOLADA_COLUMNS,
    KoladaUnavailable,
    parse_data_payload,
    read_kolada_dir,
)
from naravard.sources.kolada_client import KoladaClient, download_catalog

BASE = KOLADA_BASE_URL
DATA_RE = re.compile(re.escape(BASE) + r"/data/kpi/.*")


class FakeTime:
    """Stands in for time.sleep/time.monotonic: sleeping only advances the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture()
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture()
def client(fake_time: FakeTime) -> KoladaClient:
    return KoladaClient(
        retries=4, backoff=1.0, progress=False, sleep=fake_time.sleep, clock=fake_time.clock
    )


def row(
    kpi: str,
    region: str,
    year: int,
    value: float | None = 50.0,
    gender: str = "T",
    status: str | None = "",
) -> dict:
    return {
        "kpi": kpi,
        "municipality": region,
        "period": year,
        "values": [{"gender": gender, "count": 1, "status": status, "value": value}],
    }


def page(rows: list[dict], **extra) -> dict:
    return {"values": rows, "count": len(rows), "next_url": None, "previous_url": None, **extra}


# ---------------------------------------------------------------------------------------------
# parse_data_payload


def test_parse_genders_null_values_and_status() -> None:
    payload = page(
        [
            {
                "kpi": "U79049",
                "municipality": "0024",
                "period": 2023,
                "values": [
                    {"gender": "T", "count": 1, "status": "", "value": 61.2},
                    {"gender": "K", "count": 1, "status": "B", "value": None},
                    {"gender": "M", "count": 1, "status": None, "value": 58},
                ],
            }
        ]
    )
    rows = parse_data_payload(payload, "svar")
    assert [r["gender"] for r in rows] == ["T", "K", "M"]
    assert rows[0] == {
        "kpi": "U79049",
        "region_code": "0024",
        "year": 2023,
        "gender": "T",
        "value": 61.2,
        "status": "",
    }
    assert math.isnan(rows[1]["value"]) and rows[1]["status"] == "B"
    assert rows[2]["value"] == 58.0 and isinstance(rows[2]["value"], float)
    assert rows[2]["status"] == ""


def test_parse_accepts_string_period_and_empty_values() -> None:
    assert parse_data_payload(page([]), "x") == []
    rows = parse_data_payload(page([row("N79173", "0001", "2022")]), "x")  # type: ignore[arg-type]
    assert rows[0]["year"] == 2022


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([1, 2], "(svaret)"),
        ({"data": []}, "values"),
        ({"values": {}}, "values"),
        ({"values": [row("N1", "0001", 2020) | {"period": "tjugo"}]}, "values[0].period"),
        ({"values": [row("N1", "0001", 2020) | {"municipality": 24}]}, "values[0].municipality"),
        ({"values": [row("N1", "0001", 2020) | {"kpi": None}]}, "values[0].kpi"),
        ({"values": [row("N1", "0001", 2020, gender="X")]}, "values[0].values[0].gender"),
        ({"values": [row("N1", "0001", 2020, value="12,5")]}, "values[0].values[0].value"),  # type: ignore[arg-type]
        ({"values": [row("N1", "0001", 2020) | {"values": None}]}, "values[0].values"),
    ],
)
def test_parse_wrong_shape_names_where_and_field(payload: object, field: str) -> None:
    with pytest.raises(NaravardError) as info:
        parse_data_payload(payload, "data/N1.json")
    message = str(info.value)
    assert message.startswith("data/N1.json: ")
    assert f"fältet {field} " in message
    assert "\n" not in message


# ---------------------------------------------------------------------------------------------
# read_kolada_dir: the real snapshot


def test_read_snapshot_known_values(snapshot_dir: Path) -> None:
    data = read_kolada_dir(snapshot_dir)
    frame = data.frame
    assert list(frame.columns) == KOLADA_COLUMNS
    assert data.retrieved == "2026-12-02" and data.missing_kpis == []
    assert len(list((snapshot_dir / "data").glob("*.json"))) == frame["kpi"].nunique()

    def value(region: str, kpi: str, year: int = 2024) -> float:
        hit = frame[
            (frame.region_code == region)
            & (frame.kpi == kpi)
            & (frame.year == year)
            & (frame.gender == "T")
        ]
        assert len(hit) == 1
        return float(hit["value"].iloc[0])

    assert value("0024", "N79173") == 79.5
    assert value("0024", "N79179") == 73.1
    assert value("0000", "N79179") == 87.0
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    assert set(frame["gender"]) == {"T"} and set(frame["status"]) == {""}
    assert snapshot_dir / "data" / "N79173.json" in data.files
    assert "Källa" in data.kpi_meta["N79173"]["description"]


def test_read_snapshot_subset_reports_missing(snapshot_dir: Path) -> None:
    data = read_kolada_dir(snapshot_dir, ["N79173", "X00000", "N79173"])
    assert set(data.frame["kpi"]) == {"N79173"}
    assert data.missing_kpis == ["X00000"]
    assert snapshot_dir / "data" / "N79179.json" not in data.files


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage"])
def test_read_corrupt_file_names_it(snapshot_dir: Path, tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "kolada"
    shutil.copytree(snapshot_dir, copy)
    target = copy / "data" / "N79179.json"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        {"truncate": text[: len(text) // 2], "empty": "", "garbage": "<html>nej</html>"}[damage],
        encoding="utf-8",
    )
    with pytest.raises(NaravardError) as info:
        read_kolada_dir(copy)
    message = str(info.value)
    assert str(target) in message and "JSON" in message and "\n" not in message
    assert "git checkout" in message  # the project's snapshot: restore it or fetch it again


def test_read_corrupt_cache_suggests_make_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text('{"values": [', encoding="utf-8")
    (tmp_path / "retrieved.json").write_text(
        '{"retrieved": "2025-05-01T10:00:00Z"}', encoding="utf-8"
    )
    with pytest.raises(NaravardError, match=r"N79173\.json: trasig.*make data"):
        read_kolada_dir(tmp_path)


def test_read_wrong_shape_names_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "N79173.json").write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(NaravardError, match=r"N79173\.json: fältet values saknas"):
        read_kolada_dir(tmp_path)


def test_read_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(NaravardError, match="finns inte"):
        read_kolada_dir(tmp_path / "finns-ej")


def test_read_directory_without_data_folder(tmp_path: Path) -> None:
    (tmp_path / "kpi.json").write_text("{}", encoding="utf-8")
    with pytest.raises(NaravardError, match=r"mappen data/ saknas.*data/<KPI>\.json"):
        read_kolada_dir(tmp_path)


def test_read_data_folder_without_json(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NaravardError, match=r"inga filer <KPI>\.json"):
        read_kolada_dir(tmp_path)


def test_read_hand_made_cache_with_genders_and_retrieved(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    rows = [
        row("N79173", "0024", 2024, 80.0, "T"),
        row("N79173", "0024", 2024, 82.0, "K"),
        row("N79173", "0024", 2024, None, "M", status="Saknas"),
    ]
    (tmp_path / "data" / "N79173.json").write_text(json.dumps(page(rows)), encoding="utf-8")
    (tmp_path / "retrieved.json").write_text(
        json.dumps({"retrieved": "2025-05-01T10:00:00Z", "base_url": BASE}), encoding="utf-8"
    )
    data = read_kolada_dir(tmp_path)
    assert data.retrieved == "2025-05-01T10:00:00Z"
    by_gender = data.frame.set_index("gender")
    assert by_gender.loc["K", "value"] == 82.0
    assert math.isnan(by_gender.loc["M", "value"]) and by_gender.loc["M", "status"] == "Saknas"
    assert tmp_path / "retrieved.json" in data.files


# ---------------------------------------------------------------------------------------------
# KoladaClient


@responses.activate
def test_pagination_via_next_url(client: KoladaClient) -> None:
    first = f"{BASE}/data/kpi/N79173/municipality/0024"
    second = f"{BASE}/data/kpi/N79173/municipality/0024?page=2"
    responses.get(second, json=page([row("N79173", "0024", 2024)]))
    responses.get(first, json=page([row("N79173", "0024", 2023)], next_url=second))
    data = client.fetch_data(["N79173"], ["0024"])
    assert [r["period"] for r in data["N79173"]] == [2023, 2024]
    assert [c.request.url for c in responses.calls] == [first, second]


@responses.activate
def test_pagination_via_next_page_number_and_url(client: KoladaClient) -> None:
    first = f"{BASE}/data/kpi/N79173/municipality/0024"
    responses.get(
        f"{BASE}/data/kpi/N79173/municipality/0024?page=3",
        json={"values": [row("N79173", "0024", 2024)], "next_page": None},
    )
    responses.get(
        f"{BASE}/data/kpi/N79173/municipality/0024?page=2",
        json={
            "values": [row("N79173", "0024", 2023)],
            "next_page": f"{BASE}/data/kpi/N79173/municipality/0024?page=3",
        },
    )
    responses.get(first, json={"values": [row("N79173", "0024", 2022)], "next_page": 2})
    data = client.fetch_data(["N79173"], ["0024"])
    assert [r["period"] for r in data["N79173"]] == [2022, 2023, 2024]
    assert len(responses.calls) == 3


@responses.activate
def test_batching_30_kpis_makes_two_calls(client: KoladaClient) -> None:
    responses.get(DATA_RE, json=page([]))
    ids = [f"N{70000 + i}" for i in range(30)]
    data = client.fetch_data(ids, ["0000", "0024"], years=[2023, 2024])
    assert len(responses.calls) == 2
    paths = [urlsplit(c.request.url).path for c in responses.calls]
    assert paths[0] == f"/v3/data/kpi/{','.join(ids[:25])}/municipality/0000,0024/year/2023,2024"
    assert paths[1] == f"/v3/data/kpi/{','.join(ids[25:])}/municipality/0000,0024/year/2023,2024"
    assert set(data) == set(ids) and all(v == [] for v in data.values())


@responses.activate
def test_batching_municipalities_too(client: KoladaClient) -> None:
    responses.get(DATA_RE, json=page([]))
    client.fetch_data(["N79173"], [f"{i:04d}" for i in range(30)])
    assert len(responses.calls) == 2


@responses.activate
def test_throttle_spaces_requests(client: KoladaClient, fake_time: FakeTime) -> None:
    responses.get(DATA_RE, json=page([]))
    client.fetch_data([f"N{i}" for i in range(75)], ["0024"])  # three batches
    assert len(responses.calls) == 3
    assert fake_time.sleeps == [pytest.approx(0.2), pytest.approx(0.2)]


@responses.activate
def test_retry_on_429_honours_retry_after(client: KoladaClient, fake_time: FakeTime) -> None:
    url = f"{BASE}/data/kpi/N79173/municipality/0024"
    responses.get(url, status=429, headers={"Retry-After": "7"})
    responses.get(url, json=page([row("N79173", "0024", 2024, 79.5)]))
    data = client.fetch_data(["N79173"], ["0024"])
    assert data["N79173"][0]["values"][0]["value"] == 79.5
    assert 7.0 in fake_time.sleeps
    assert len(responses.calls) == 2


@responses.activate
def test_retry_on_500_then_success(client: KoladaClient, fake_time: FakeTime) -> None:
    url = f"{BASE}/data/kpi/N79173/municipality/0024"
    responses.get(url, status=500)
    responses.get(url, status=503)
    responses.get(url, json=page([row("N79173", "0024", 2024)]))
    assert len(client.fetch_data(["N79173"], ["0024"])["N79173"]) == 1
    assert fake_time.sleeps[:2] == [1.0, 2.0]  # exponential backoff


@responses.activate
def test_500_every_time_fails_after_retries(fake_time: FakeTime) -> None:
    client = KoladaClient(retries=2, progress=False, sleep=fake_time.sleep, clock=fake_time.clock)
    responses.get(DATA_RE, status=500)
    with pytest.raises(KoladaUnavailable, match=r"HTTP 500 efter 3 försök"):
        client.fetch_data(["N79173"], ["0024"])
    assert len(responses.calls) == 3


@responses.activate
def test_timeout_is_retried(client: KoladaClient) -> None:
    url = f"{BASE}/data/kpi/N79173/municipality/0024"
    responses.get(url, body=requests.exceptions.ReadTimeout("slow"))
    responses.get(url, json=page([row("N79173", "0024", 2024)]))
    assert len(client.fetch_data(["N79173"], ["0024"])["N79173"]) == 1
    assert len(responses.calls) == 2


@responses.activate
def test_connection_reset_is_retried(client: KoladaClient) -> None:
    url = f"{BASE}/data/kpi/N79173/municipality/0024"
    for _ in range(3):
        responses.get(
            url, body=requests.ConnectionError("('Connection aborted.', RemoteDisconnected())")
        )
    responses.get(url, json=page([row("N79173", "0024", 2024)]))
    assert len(client.fetch_data(["N79173"], ["0024"])["N79173"]) == 1
    assert len(responses.calls) == 4


@responses.activate
def test_offline_fails_fast(client: KoladaClient) -> None:
    responses.get(
        DATA_RE,
        body=requests.ConnectionError(
            "Failed to resolve 'api.kolada.se' ([Errno -2] Name or service not known)"
        ),
    )
    with pytest.raises(KoladaUnavailable) as info:
        client.fetch_data(["N79173"], ["0024"])
    assert str(info.value) == (
        "nätverket: Kolada (api.kolada.se) kunde inte nås – ingen "
        "nätverksanslutning? Försök igen senare; rapporterna använder "
        "ögonblicksbilden som den är."
    )
    assert isinstance(info.value, NaravardError)
    assert len(responses.calls) <= 2


@responses.activate
def test_malformed_json_is_a_clear_error(client: KoladaClient) -> None:
    responses.get(DATA_RE, body='{"values": [', content_type="application/json")
    with pytest.raises(
        NaravardError,
        match=r"trasig eller avkortad JSON .*https://api\.kolada\.se/v3/data/kpi/N79173",
    ):
        client.fetch_data(["N79173"], ["0024"])


@responses.activate
def test_html_body_is_a_clear_error(client: KoladaClient) -> None:
    responses.get(DATA_RE, body="<!doctype html><h1>Underhåll</h1>", content_type="text/html")
    with pytest.raises(NaravardError, match="HTML-sida i stället för JSON"):
        client.fetch_data(["N79173"], ["0024"])


@responses.activate
def test_wrong_shape_from_api_names_url(client: KoladaClient) -> None:
    responses.get(DATA_RE, json={"values": [{"kpi": "N79173", "municipality": "0024"}]})
    with pytest.raises(NaravardError, match=r"/municipality/0024: fältet values\[0\]\.period"):
        client.fetch_data(["N79173"], ["0024"])


@responses.activate
def test_404_is_empty(client: KoladaClient) -> None:
    responses.get(DATA_RE, status=404)
    assert client.fetch_data(["N79173"], ["0024"]) == {"N79173": []}
    assert len(responses.calls) == 1


@responses.activate
def test_other_4xx_is_not_retried(client: KoladaClient) -> None:
    responses.get(DATA_RE, status=400, body="bad id")
    with pytest.raises(NaravardError, match="HTTP 400: 'bad id'; kontrollera nyckeltalens id"):
        client.fetch_data(["N79173"], ["0024"])
    assert len(responses.calls) == 1


@responses.activate
def test_null_values_status_and_genders_from_api(client: KoladaClient) -> None:
    responses.get(
        DATA_RE,
        json=page(
            [
                {
                    "kpi": "U79049",
                    "municipality": "0024",
                    "period": 2024,
                    "values": [
                        {"gender": "K", "count": 1, "status": "Bortfall", "value": None},
                        {"gender": "M", "count": 1, "status": "", "value": 40.0},
                    ],
                }
            ]
        ),
    )
    raw = client.fetch_data(["U79049"], ["0024"])["U79049"]
    rows = parse_data_payload(page(raw), "svar")
    assert [(r["gender"], r["status"]) for r in rows] == [("K", "Bortfall"), ("M", "")]
    assert math.isnan(rows[0]["value"])


@responses.activate
def test_metadata(client: KoladaClient) -> None:
    responses.get(
        f"{BASE}/kpi/N79173,N79179",
        json=page([{"id": "N79173", "title": "a"}, {"id": "N79179", "title": "b"}]),
    )
    responses.get(
        f"{BASE}/municipality?type=L",
        json=page([{"id": "0024", "title": "Västerbotten", "type": "L"}]),
    )
    assert [k["id"] for k in client.fetch_kpis(["N79173", "N79179"])] == ["N79173", "N79179"]
    assert client.fetch_municipalities()[0]["title"] == "Västerbotten"


# ---------------------------------------------------------------------------------------------
# download_catalog


def stand_in_catalog(*ids: str | None) -> SimpleNamespace:
    indicators = [SimpleNamespace(kolada_id=i) for i in ids]
    return SimpleNamespace(kolada=lambda: indicators, path=Path("indicators.yaml"))


def mock_kolada(values: dict[str, float]) -> None:
    """A little Kolada answering every KPI in `values` for every requested region, 2023–2024."""

    def data_callback(request):
        parts = urlsplit(request.url).path.split("/")
        kpis, regions = (
            parts[parts.index("kpi") + 1].split(","),
            parts[parts.index("municipality") + 1].split(","),
        )
        rows = [
            row(k, r, y, values[k] + (y - 2024))
            for k in kpis
            if k in values
            for r in regions
            for y in (2023, 2024)
        ]
        return 200, {}, json.dumps(page(rows))

    def kpi_callback(request):
        ids = urlsplit(request.url).path.rsplit("/", 1)[1].split(",")
        return (
            200,
            {},
            json.dumps(
                page(
                    [
                        {"id": i, "title": f"Titel {i}", "description": "Text. Källa: SKR"}
                        for i in ids
                    ]
                )
            ),
        )

    responses.add_callback(responses.GET, DATA_RE, callback=data_callback)
    responses.add_callback(
        responses.GET, re.compile(re.escape(BASE) + r"/kpi/.*"), callback=kpi_callback
    )
    responses.get(
        f"{BASE}/municipality?type=L",
        json=page(
            [
                {"id": "0000", "title": "Riket", "type": "L"},
                {"id": "0024", "title": "Västerbotten", "type": "L"},
            ]
        ),
    )


def snapshot_of(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@responses.activate
def test_download_round_trip(client: KoladaClient, tmp_path: Path, capsys) -> None:
    mock_kolada({"N79173": 79.5, "N79179": 73.1, "U79049": 60.0})
    dest = tmp_path / "cache" / "kolada"
    catalog = stand_in_catalog("N79173", "N79179", None, "N79173", "X00001")
    assert download_catalog(dest, catalog=catalog, client=client) == dest

    assert sorted(p.name for p in (dest / "data").iterdir()) == [
        "N79173.json",
        "N79179.json",
        "X00001.json",
    ]
    assert (
        json.loads((dest / "data" / "N79173.json").read_text(encoding="utf-8"))["next_url"] is None
    )
    assert (
        json.loads((dest / "kpi.json").read_text(encoding="utf-8"))["values"][0]["id"] == "N79173"
    )
    assert (dest / "municipality.json").is_file()
    info = json.loads((dest / "retrieved.json").read_text(encoding="utf-8"))
    assert info["base_url"] == BASE and re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["retrieved"]
    )

    data = read_kolada_dir(dest)
    assert data.retrieved == info["retrieved"]
    frame = data.frame
    assert len(frame) == 2 * 22 * 2  # two KPIs with data × 22 regions incl. Riket × 2 years
    hit = frame[(frame.kpi == "N79173") & (frame.region_code == "0024") & (frame.year == 2024)]
    assert hit["value"].tolist() == [79.5]
    assert set(frame["region_code"]) >= {"0000", "0001", "0025"}
    assert data.kpi_meta["N79179"]["title"] == "Titel N79179"
    assert [p.name for p in dest.parent.iterdir()] == ["kolada"]  # no temp dirs left

    out = capsys.readouterr().out
    assert "3 nyckeltal" in out and "88 värden" in out and str(dest) in out and "X00001" in out


@responses.activate
def test_download_replaces_old_cache(client: KoladaClient, tmp_path: Path) -> None:
    dest = tmp_path / "kolada"
    (dest / "data").mkdir(parents=True)
    (dest / "data" / "OLD.json").write_text(json.dumps(page([])), encoding="utf-8")
    mock_kolada({"N79173": 79.5})
    download_catalog(dest, catalog=stand_in_catalog("N79173"), client=client)
    assert [p.name for p in (dest / "data").iterdir()] == ["N79173.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["kolada"]


def existing_cache(tmp_path: Path) -> Path:
    dest = tmp_path / "cache" / "kolada"
    (dest / "data").mkdir(parents=True)
    (dest / "data" / "N79173.json").write_text(
        json.dumps(page([row("N79173", "0024", 2020)])), encoding="utf-8"
    )
    (dest / "retrieved.json").write_text('{"retrieved": "2024-01-01T00:00:00Z"}', encoding="utf-8")
    return dest


@responses.activate
def test_download_http_failure_leaves_cache_untouched(fake_time: FakeTime, tmp_path: Path) -> None:
    dest = existing_cache(tmp_path)
    before = snapshot_of(dest)
    responses.get(DATA_RE, status=500)
    client = KoladaClient(retries=2, progress=False, sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(KoladaUnavailable):
        download_catalog(dest, catalog=stand_in_catalog("N79173"), client=client)
    assert snapshot_of(dest) == before
    assert [p.name for p in dest.parent.iterdir()] == ["kolada"]


@responses.activate
def test_download_failure_while_writing_leaves_cache_untouched(
    client: KoladaClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = existing_cache(tmp_path)
    before = snapshot_of(dest)
    mock_kolada({"N79173": 79.5})

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(kolada, "read_kolada_dir", broken)
    with pytest.raises(OSError):
        download_catalog(dest, catalog=stand_in_catalog("N79173"), client=client)
    assert snapshot_of(dest) == before
    assert [p.name for p in dest.parent.iterdir()] == ["kolada"]


@responses.activate
def test_download_offline_leaves_cache_untouched(client: KoladaClient, tmp_path: Path) -> None:
    dest = existing_cache(tmp_path)
    before = snapshot_of(dest)
    responses.get(DATA_RE, body=requests.ConnectionError("Failed to resolve 'api.kolada.se'"))
    with pytest.raises(KoladaUnavailable, match="kunde inte nås"):
        download_catalog(dest, catalog=stand_in_catalog("N79173"), client=client)
    assert snapshot_of(dest) == before


@responses.activate
def test_download_defaults_to_the_snapshot(
    client: KoladaClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARAVARD_SNAPSHOT", str(tmp_path / "c" / "kolada"))
    mock_kolada({"N79173": 79.5})
    assert (
        download_catalog(catalog=stand_in_catalog("N79173"), client=client)
        == tmp_path / "c" / "kolada"
    )
    assert (tmp_path / "c" / "kolada" / "data" / "N79173.json").is_file()


def test_download_without_kolada_indicators(client: KoladaClient, tmp_path: Path) -> None:
    with pytest.raises(NaravardError, match="kolada_id"):
        download_catalog(tmp_path / "k", catalog=stand_in_catalog(None), client=client)


# ---------------------------------------------------------------------------------------------
# limits: where the client goes, how long, how much


@responses.activate
def test_retry_after_is_capped_and_said(fake_time: FakeTime) -> None:
    said: list[str] = []
    client = KoladaClient(
        retries=1,
        progress=False,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        say=said.append,
        deadline=600,
    )
    url = f"{BASE}/data/kpi/N79173/municipality/0024"
    responses.get(url, status=503, headers={"Retry-After": "480"})
    responses.get(url, json=page([row("N79173", "0024", 2024)]))
    client.fetch_data(["N79173"], ["0024"])
    assert kolada_client.MAX_WAIT_SECONDS in fake_time.sleeps and 480 not in fake_time.sleeps
    assert said == [
        "Kolada svarade HTTP 503 och bad oss vänta 480 s (Retry-After); väntar 30 s, högst 30 s …"
    ]


@responses.activate
def test_page_limit_ends_an_endless_next_url(fake_time: FakeTime) -> None:
    client = KoladaClient(progress=False, sleep=fake_time.sleep, clock=fake_time.clock, max_pages=5)
    responses.add_callback(
        responses.GET,
        DATA_RE,
        callback=lambda req: (
            200,
            {},
            json.dumps(
                page([], next_url=req.url.split("?")[0] + f"?page={len(responses.calls) + 1}")
            ),
        ),
    )
    with pytest.raises(KoladaUnavailable, match="fler än 5 sidor"):
        client.fetch_data(["N79173"], ["0024"])
    assert len(responses.calls) == 5


@responses.activate
def test_deadline_ends_the_download(fake_time: FakeTime) -> None:
    client = KoladaClient(
        progress=False, sleep=fake_time.sleep, clock=fake_time.clock, deadline=10, retries=10
    )
    responses.get(DATA_RE, status=500)
    with pytest.raises(KoladaUnavailable, match="räcker inte till ett nytt försök"):
        client.fetch_data(["N79173"], ["0024"])
    assert sum(fake_time.sleeps) < 10


@pytest.mark.parametrize(
    "nxt",
    [
        "https://evil.example/v3/data?page=2",
        "http://api.kolada.se/v3/x",
        "//evil.example/v3/x",
        "https://api.kolada.se:8443/v3/x",
    ],
)
@responses.activate
def test_next_url_only_on_the_same_scheme_and_host(client: KoladaClient, nxt: str) -> None:
    responses.get(DATA_RE, json=page([row("N79173", "0024", 2024)], next_url=nxt))
    with pytest.raises(KoladaUnavailable, match="annan adress"):
        client.fetch_data(["N79173"], ["0024"])
    assert len(responses.calls) == 1


@responses.activate
def test_base_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime
) -> None:
    monkeypatch.setenv("NARAVARD_KOLADA_URL", "https://mirror.example/kolada/v3/")
    client = KoladaClient(progress=False, sleep=fake_time.sleep, clock=fake_time.clock)
    responses.get(
        re.compile(r"https://mirror\.example/kolada/v3/data/.*"),
        json=page([row("N79173", "0024", 2024)]),
    )
    assert client.fetch_data(["N79173"], ["0024"])["N79173"]
    monkeypatch.setenv("NARAVARD_KOLADA_URL", "file:///etc")
    with pytest.raises(NaravardError, match="NARAVARD_KOLADA_URL"):
        KoladaClient()
