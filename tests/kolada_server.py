"""A little Kolada on 127.0.0.1 that answers from a snapshot, well or with one fault.

Used by the `make data` tests: `naravard data download` is pointed at it with
NARAVARD_KOLADA_URL. It listens on 127.0.0.1 only, on a port the system picks; its thread is
a daemon, `stop()` ends it, and every endless mode is bounded by the client's own limits and
the test's deadline, so nothing runs on after a test.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FAULTS = (
    "http_500",  # every data request fails
    "truncated_json",  # the body stops halfway
    "html",  # a maintenance page instead of JSON
    "next_other_host",  # next_url to 127.0.0.2
    "redirect_other_host",  # 302 to 127.0.0.2
    "next_increment",  # an endless next_url ?page=n+1
    "next_bad_url",  # next_url "http://[::1"
    "retry_after_long",  # 503 with Retry-After: 480
    "huge",  # a 60 MB answer without Content-Length
    "slow_drip",  # a byte a second
    "poison_range",  # every value -5
    "empty_all",  # values: []
)


class _Handler(BaseHTTPRequestHandler):
    server: KoladaServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(
        self, status: int, body: bytes, headers: dict[str, str] | None = None, length: bool = True
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        srv = self.server
        srv.requests += 1
        parts = urlsplit(self.path)
        fault = srv.fault
        data = "/data/" in parts.path
        if data and fault == "http_500":
            return self._send(500, b"{}")
        if data and fault == "retry_after_long":
            return self._send(503, b"{}", {"Retry-After": "480"})
        if data and fault == "redirect_other_host":
            return self._send(302, b"", {"Location": f"http://127.0.0.2:{srv.port}{self.path}"})
        if data and fault == "html":
            body = b"<!doctype html><h1>Underh\xc3\xa5ll</h1>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        if data and fault == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(b'{"values": [' + b" " * (1 << 20))
                for _ in range(60):
                    self.wfile.write(b" " * (1 << 20))
            except OSError:
                pass
            self.close_connection = True
            return None
        if data and fault == "slow_drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(120):  # bounded: two minutes at most
                    if srv.stopping.is_set():
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            self.close_connection = True
            return None
        payload = srv.answer(parts.path)
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        if data and fault == "next_other_host":
            payload["next_url"] = f"http://127.0.0.2:{srv.port}{parts.path}?page=2"
        elif data and fault == "next_increment":
            payload = {"values": [], "count": 0, "next_url": f"{parts.path}?page={page + 1}"}
        elif data and fault == "next_bad_url":
            payload["next_url"] = "http://[::1"
        elif data and fault == "poison_range":
            for item in payload["values"]:
                for v in item["values"]:
                    v["value"] = -5
        elif data and fault == "empty_all":
            payload = {"values": [], "count": 0, "next_url": None}
        body = json.dumps(payload).encode()
        if data and fault == "truncated_json":
            self._send(200, body[: len(body) // 2])
            return None
        self._send(200, body)
        return None


class Answers:
    """Kolada's answers, recorded from a snapshot, optionally with some values revised."""

    def __init__(
        self,
        snapshot: Path,
        revise: dict[tuple[str, str, int], float] | None = None,
        drop_years: tuple[int, ...] = (),
    ) -> None:
        self.revise = revise or {}
        self.drop_years = drop_years

        def read(folder: Path) -> dict[str, list]:
            return {
                p.stem: json.loads(p.read_text(encoding="utf-8"))["values"]
                for p in (folder / "data").glob("*.json")
            }

        # a kommun query (it names kommuner) is answered from the kommun part, as live
        # Kolada answers each query for the municipalities it names
        self._regions, self._kommun = read(snapshot), read(snapshot / "kommun")
        kpis = [
            *json.loads((snapshot / "kpi.json").read_text(encoding="utf-8"))["values"],
            *json.loads((snapshot / "kommun" / "kpi.json").read_text(encoding="utf-8"))["values"],
        ]
        self._kpis = list({k["id"]: k for k in reversed(kpis)}.values())  # one per id: regions
        self._munis = json.loads((snapshot / "municipality.json").read_text(encoding="utf-8"))[
            "values"
        ]

    def __call__(self, path: str) -> dict:
        parts = path.split("/")
        if "data" in parts:
            kpis = parts[parts.index("kpi") + 1].split(",")
            munis = set(parts[parts.index("municipality") + 1].split(","))
            rows = []
            source = self._kommun if any(m[:2] != "00" for m in munis) else self._regions
            for kpi in kpis:
                for item in source.get(kpi, []):
                    if item["municipality"] in munis and int(item["period"]) not in self.drop_years:
                        item = json.loads(json.dumps(item))
                        key = (item["kpi"], item["municipality"], int(item["period"]))
                        if key in self.revise:
                            item["values"][0]["value"] = self.revise[key]
                        rows.append(item)
            return {"values": rows, "count": len(rows), "next_url": None}
        if "kpi" in parts:
            ids = set(parts[parts.index("kpi") + 1].split(","))
            rows = [k for k in self._kpis if k["id"] in ids]
            return {"values": rows, "count": len(rows), "next_url": None}
        return {"values": self._munis, "count": len(self._munis), "next_url": None}


class KoladaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, snapshot: Path, fault: str | None = None, **answers) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.port = self.server_address[1]
        self.fault = fault
        self.requests = 0
        self.stopping = threading.Event()
        self.answer = Answers(snapshot, **answers)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def start(self) -> KoladaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
