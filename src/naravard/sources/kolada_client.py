"""Kolada v3's live API: a bounded client and the download of every catalogue KPI into a
snapshot folder, written in Kolada's own format and read back by naravard.sources.kolada.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import requests
from tqdm import tqdm

from naravard.config.catalog import load_catalog
from naravard.config.regions import region_codes
from naravard.core import paths
from naravard.core.errors import NaravardError, excerpt
from naravard.core.publish import make_readable
from naravard.core.settings import settings
from naravard.sources import kolada
from naravard.sources.kolada import (
    KOLADA_BASE_URL,
    RETRIEVED_FILE,
    V3_SHAPE,
    KoladaUnavailable,
    as_page,
    parse_data_payload,
    type_name,
    write_json,
)

MAX_BATCH = 25  # Kolada v3 rejects or truncates longer id lists
MAX_WAIT_SECONDS = 30.0  # cap on a server's Retry-After, so a bad header cannot hang a download
MAX_PAGES = 500  # pages of one query; Kolada pages 5000 rows, so more is a loop, not data
MAX_REDIRECTS = 5
MAX_BYTES = 50 * 1024 * 1024  # one answer; the whole snapshot is 5 MB
DEADLINE_SECONDS = 900.0  # the whole download; NARAVARD_KOLADA_DEADLINE sets it (seconds)
URL_ENV = "NARAVARD_KOLADA_URL"
DEADLINE_ENV = "NARAVARD_KOLADA_DEADLINE"


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _unique(items: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(i).strip() for i in items if i is not None and str(i).strip()))


def _is_offline(exc: requests.ConnectionError) -> bool:
    """True when the connection was never made (DNS, refused): retrying will not help."""
    text = repr(exc)
    if "Connection aborted" in text or "reset by peer" in text or "RemoteDisconnected" in text:
        return False  # broke mid-request: the host is there, a retry may well succeed
    return True


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def _with_page(url: str, page: int | str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _cut(response: requests.Response) -> None:
    """Shut the answer's socket so a blocked read returns (closing alone does not wake it)."""
    try:
        sock = response.raw._fp.fp.raw._sock  # urllib3 → http.client → SocketIO → socket
        sock.shutdown(socket.SHUT_RDWR)
    except (AttributeError, OSError):
        response.close()


def base_url_from_env() -> str:
    """Kolada's v3 address, or a mirror's (`NARAVARD_KOLADA_URL`, also for tests)."""
    return (settings().kolada_url or KOLADA_BASE_URL).rstrip("/")


def _deadline_from_env() -> float:
    raw = settings().kolada_deadline
    try:
        value = float(raw) if raw else DEADLINE_SECONDS
    except ValueError:
        raise NaravardError(
            f"{DEADLINE_ENV}={raw!r}: inget tal; ange sekunder, t.ex. 900"
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise NaravardError(f"{DEADLINE_ENV}={raw!r}: ange ett positivt antal sekunder, t.ex. 900")
    return value


def _origin_of(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


class KoladaClient:
    """Polite, bounded access to Kolada v3: batched ids, paginated, retried, throttled.

    Everything it follows (next_url, redirects) stays on the base URL's scheme and host; a
    query has at most MAX_PAGES pages, an answer at most MAX_BYTES, the whole client a
    deadline. `sleep` and `clock` are injectable so tests never wait.
    """

    def __init__(
        self,
        base_url: str | None = None,
        session: requests.Session | None = None,
        max_requests_per_second: float = 5,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float | tuple[float, float] = (5.0, 60.0),
        *,
        batch_size: int = MAX_BATCH,
        progress: bool | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        deadline: float | None = None,
        max_pages: int = MAX_PAGES,
        max_bytes: int = MAX_BYTES,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.base_url = (base_url or base_url_from_env()).rstrip("/")
        scheme, host, _ = _origin_of(self.base_url)
        if scheme not in ("http", "https") or not host:
            raise NaravardError(
                f"{URL_ENV}={self.base_url!r}: ingen http(s)-adress; ange t.ex. {KOLADA_BASE_URL}"
            )
        self.session = session or requests.Session()
        self.session.headers.setdefault("Accept", "application/json")
        self.min_interval = 1.0 / max_requests_per_second if max_requests_per_second > 0 else 0.0
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.timeout = timeout
        self.batch_size = max(1, min(int(batch_size), MAX_BATCH))
        self.progress = progress
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self._sleep = sleep
        self._clock = clock
        self._say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self._next_slot: float | None = None
        self.deadline_seconds = deadline if deadline is not None else _deadline_from_env()
        self._ends_at = clock() + self.deadline_seconds

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or self.base_url

    def _offline_message(self) -> str:
        return (
            f"nätverket: Kolada ({self.host}) kunde inte nås – ingen nätverksanslutning? "
            "Försök igen senare; rapporterna använder ögonblicksbilden som den är."
        )

    def _kolada_error(self, problem: str, url: str) -> KoladaUnavailable:
        return KoladaUnavailable(
            f"Kolada ({self.host}) {problem} ({excerpt(url)}); inget ändrades – försök igen senare"
        )

    def _left(self) -> float:
        return self._ends_at - self._clock()

    def _check_deadline(self, url: str) -> None:
        if self._left() <= 0:
            raise self._kolada_error(
                f"blev inte klar inom {self.deadline_seconds:g} s ({DEADLINE_ENV})", url
            )

    def _throttle(self) -> None:
        now = self._clock()
        if self._next_slot is not None and now < self._next_slot:
            self._sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + self.min_interval

    def _same_origin(self, url: str) -> bool:
        return _origin_of(url) == _origin_of(self.base_url)

    def _resolve(self, raw: str, current: str, what: str) -> str:
        """An address Kolada gave us, made absolute; only on the base URL's scheme and host."""
        try:
            url = urljoin(current, raw)
            _origin_of(url)  # .port raises on a bad port
        except ValueError:
            raise self._kolada_error(f"gav en trasig {what} {excerpt(raw)}", current) from None
        if not self._same_origin(url):
            raise self._kolada_error(
                f"skickade vidare till en annan adress ({what} "
                f"{excerpt(raw)}); bara {self.base_url} följs",
                current,
            )
        return url

    def _send(self, url: str) -> requests.Response:
        """One GET; redirects followed here, on the same scheme and host only."""
        for _ in range(MAX_REDIRECTS + 1):
            self._check_deadline(url)
            left = max(self._left(), 0.1)
            timeout = self.timeout
            if isinstance(timeout, tuple):
                timeout = (min(timeout[0], left), min(timeout[1], left))
            else:
                timeout = min(timeout, left)
            response = self.session.get(url, timeout=timeout, allow_redirects=False, stream=True)
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                url = self._resolve(location, url, "omdirigering")
                continue
            return response
        raise self._kolada_error(f"omdirigerade mer än {MAX_REDIRECTS} gånger", url)

    def _body(self, response: requests.Response, url: str) -> bytes:
        """The answer, read in chunks up to max_bytes: a 300 MB answer is refused, not read."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise self._kolada_error(
                f"skickade ett svar på {int(declared) // 1_048_576} MB, mer "
                f"än gränsen {self.max_bytes // 1_048_576} MB",
                url,
            )
        chunks: list[bytes] = []
        size = 0
        # a server dripping a byte at a time never trips the read timeout: cut it at the deadline
        watchdog = threading.Timer(max(self._left(), 0.0), _cut, args=(response,))
        watchdog.daemon = True
        watchdog.start()
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._kolada_error(
                        f"skickade mer än {self.max_bytes // 1_048_576} MB i ett svar", url
                    )
                self._check_deadline(url)
                chunks.append(chunk)
        except requests.RequestException:
            self._check_deadline(url)  # cut by the watchdog: say the deadline, not the symptom
            raise
        finally:
            watchdog.cancel()
            response.close()
        self._check_deadline(url)
        return b"".join(chunks)

    def get_json(self, url: str) -> dict:
        """One GET with retries; 404 is an empty answer, as Kolada uses it for 'no data'."""
        attempt = 0
        offline_failures = 0
        while True:
            self._throttle()
            retry_after: float | None = None
            try:
                response = self._send(url)
                status = response.status_code
                body = b"" if status == 404 or status == 429 or status >= 500 else None
                if body is None:
                    body = self._body(response, url)
                else:
                    response.close()
            except requests.Timeout:
                problem = "svarade inte i tid"
            except requests.ConnectionError as exc:
                if _is_offline(exc):
                    offline_failures += 1
                    if offline_failures > 1 or attempt >= self.retries:
                        raise KoladaUnavailable(self._offline_message()) from None
                problem = "bröt anslutningen"
            except requests.RequestException as exc:  # bad gzip, chunking, an odd URL: the network
                raise KoladaUnavailable(
                    f"nätverket: hämtningen från Kolada ({self.host}) "
                    f"misslyckades ({type(exc).__name__}); inget ändrades – "
                    "försök igen senare"
                ) from None
            else:
                if status == 404:
                    return {"values": [], "count": 0, "next_url": None}
                if status == 429 or status >= 500:
                    problem = f"svarade HTTP {status}"
                    retry_after = _retry_after(response)
                elif status >= 400:
                    raise self._kolada_error(
                        f"svarade HTTP {status}: {excerpt(body[:120].decode('utf-8', 'replace'))}; "
                        "kontrollera nyckeltalens id (kolada_id) i katalogen",
                        url,
                    )
                elif status >= 300:
                    raise self._kolada_error(f"svarade HTTP {status} utan giltig omdirigering", url)
                else:
                    return self._decode(body, response.headers.get("Content-Type", ""), url)
            if attempt >= self.retries:
                raise self._kolada_error(f"{problem} efter {attempt + 1} försök", url)
            wait = self.backoff * (2**attempt)
            if retry_after is not None:
                wait = min(retry_after, MAX_WAIT_SECONDS)
                problem += f" och bad oss vänta {retry_after:.0f} s (Retry-After)"
            if wait >= self._left():
                raise self._kolada_error(
                    f"{problem}; tiden för hämtningen, "
                    f"{self.deadline_seconds:g} s, räcker inte till ett nytt "
                    f"försök ({DEADLINE_ENV})",
                    url,
                )
            if retry_after is not None:
                capped = (
                    f", högst {MAX_WAIT_SECONDS:.0f} s" if retry_after > MAX_WAIT_SECONDS else ""
                )
                self._say(f"Kolada {problem}; väntar {wait:.0f} s{capped} …")
            self._sleep(wait)
            attempt += 1

    def _decode(self, body: bytes, ctype: str, url: str) -> dict:
        try:
            payload = json.loads(body)
        except RecursionError:
            raise self._kolada_error("svarade med för djupt nästlad JSON", url) from None
        except ValueError as exc:
            text = body[:200].decode("utf-8", "replace").lstrip()
            if "html" in ctype.lower() or text[:1] == "<":
                raise self._kolada_error(
                    "svarade med en HTML-sida i stället för JSON; tjänsten kan ha driftstörning",
                    url,
                ) from None
            raise self._kolada_error(
                f"svarade med trasig eller avkortad JSON ({' '.join(str(exc).split())[:80]})", url
            ) from None
        if not isinstance(payload, dict):
            raise self._kolada_error(
                f"svarade med {type_name(payload)}, inte ett JSON-objekt; {V3_SHAPE}", url
            )
        return payload

    def _next(self, payload: dict, current: str) -> str | None:
        nxt = payload.get("next_url")
        if nxt in (None, ""):
            nxt = payload.get("next_page")
        if nxt in (None, ""):
            return None
        if isinstance(nxt, int) and not isinstance(nxt, bool):
            return _with_page(current, nxt)
        if isinstance(nxt, str):
            if nxt.isdigit():
                return _with_page(current, nxt)
            return self._resolve(nxt, current, "next_url")
        raise self._kolada_error(f"gav next_url {excerpt(nxt)}, inte en adress eller null", current)

    def pages(self, url: str) -> Iterator[tuple[str, dict]]:
        """Every page of one query, following next_url or next_page until it is null."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen:
                raise self._kolada_error("pekar tillbaka på en sida den redan skickat", next_url)
            if len(seen) >= self.max_pages:
                raise self._kolada_error(
                    f"skickade fler än {self.max_pages} sidor för en fråga", url
                )
            seen.add(next_url)
            payload = self.get_json(next_url)
            yield next_url, payload
            next_url = self._next(payload, next_url)

    def _show_progress(self) -> bool:
        if self.progress is not None:
            return self.progress
        return sys.stderr.isatty()

    @staticmethod
    def _ids(ids: list[str]) -> str:
        return quote(",".join(ids), safe=",")

    def fetch_data(
        self,
        kpi_ids: Iterable[str],
        municipality_ids: Iterable[str],
        years: Iterable[int] | None = None,
    ) -> dict[str, list[dict]]:
        """Raw v3 data rows per KPI id (every requested id is a key, possibly empty)."""
        kpis = _unique(kpi_ids)
        munis = _unique(municipality_ids)
        year_list = _unique(years) if years is not None else []
        result: dict[str, list[dict]] = {k: [] for k in kpis}
        if not kpis or not munis:
            return result
        batches = [
            (kb, mb)
            for kb in _chunks(kpis, self.batch_size)
            for mb in _chunks(munis, self.batch_size)
        ]
        bar = tqdm(
            batches,
            desc="Hämtar från Kolada",
            unit="anrop",
            disable=not self._show_progress(),
            leave=False,
        )
        for kpi_batch, muni_batch in bar:
            url = f"{self.base_url}/data/kpi/{self._ids(kpi_batch)}/municipality/{self._ids(muni_batch)}"
            if year_list:
                url += f"/year/{self._ids(year_list)}"
            for page_url, payload in self.pages(url):
                try:  # validate before keeping anything
                    parse_data_payload(payload, page_url)
                except NaravardError as exc:
                    raise KoladaUnavailable(
                        f"Kolada svarade i fel format: {exc}; inget ändrades"
                    ) from None
                for item in payload["values"]:
                    result.setdefault(item["kpi"], []).append(item)
        for rows in result.values():  # one order whatever the batching: stable files, small diffs
            rows.sort(key=lambda item: (item["municipality"], int(item["period"])))
        return result

    def _metadata(self, url: str) -> list[dict]:
        out: list[dict] = []
        for page_url, payload in self.pages(url):
            values = payload.get("values")
            if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
                raise self._kolada_error(
                    "svarade i fel format: values saknas eller är ingen lista av objekt", page_url
                )
            out.extend(values)
        return out

    def fetch_kpis(self, ids: Iterable[str]) -> list[dict]:
        """KPI metadata (title, description ending in the primary source, …)."""
        out: list[dict] = []
        for batch in _chunks(_unique(ids), self.batch_size):
            out.extend(self._metadata(f"{self.base_url}/kpi/{self._ids(batch)}"))
        return out

    def fetch_municipalities(self, type: str = "L") -> list[dict]:  # noqa: A002 - Kolada's name
        """The regions (type L) and Riket as Kolada titles them."""
        return self._metadata(f"{self.base_url}/municipality?type={quote(type)}")


def _swap_into_place(new: Path, dest: Path) -> None:
    """Replace dest by new with renames only, so a crash never leaves half a cache."""
    if not dest.exists():
        os.rename(new, dest)
        return
    backup = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(dest, backup)
    try:
        os.rename(new, dest)
    except BaseException:
        os.rename(backup, dest)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _in_old_order(meta: list[dict], dest: Path) -> list[dict]:
    """KPI metadata in the order of the snapshot it replaces, so `git diff` shows only changes."""
    try:
        old = json.loads((dest / "kpi.json").read_text(encoding="utf-8")).get("values", [])
        order = {str(v.get("id")): i for i, v in enumerate(old) if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        return meta
    return sorted(meta, key=lambda m: order.get(str(m.get("id")), len(order)))


def download_catalog(
    dest: Path | str | None = None,
    *,
    catalog: Any = None,
    client: KoladaClient | None = None,
    extra_kpis: Iterable[str] = (),
    check: Callable[[Path], None] | None = None,
    keep: Iterable[str] = (),
) -> Path:
    """Fetch every catalogue KPI for all regions and Riket into `dest`, atomically.

    The new snapshot is written beside `dest`, read back, handed to `check` (which raises to
    refuse it), and only then swapped in by renames; `keep` names files or folders of the
    old snapshot (its README, the kommun part) carried over unchanged.
    """
    if catalog is None:
        catalog = load_catalog()
    kpis = _unique(ind.kolada_id for ind in catalog.kolada() if getattr(ind, "kolada_id", None))
    if not kpis:
        raise NaravardError(
            f"{getattr(catalog, 'path', 'katalogen')}: inga indikatorer har kolada_id; "
            "lägg till Kolada-nyckeltal i katalogen"
        )
    kpis = _unique([*kpis, *extra_kpis])
    dest = Path(dest) if dest is not None else paths.snapshot_dir()
    client = client or KoladaClient()

    data = client.fetch_data(kpis, region_codes(include_riket=True))
    kpi_meta = _in_old_order(client.fetch_kpis(kpis), dest)
    municipalities = client.fetch_municipalities()
    retrieved = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        make_readable(tmp)  # mkdtemp makes it 0700; the snapshot is shared like the reports
        (tmp / "data").mkdir()
        for kpi in kpis:
            write_json(tmp / "data" / f"{kpi}.json", as_page(data.get(kpi, [])))
        write_json(tmp / "kpi.json", as_page(kpi_meta))
        write_json(tmp / "municipality.json", as_page(municipalities))
        write_json(tmp / RETRIEVED_FILE, {"retrieved": retrieved, "base_url": client.base_url})
        for name in keep:
            old = dest / name
            if old.is_dir():
                shutil.copytree(old, tmp / name)
            elif old.is_file():
                shutil.copy2(old, tmp / name)
        written = kolada.read_kolada_dir(
            tmp
        )  # prove it reads back before it replaces a working one
        if check is not None:
            check(tmp)
        _swap_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    empty = [k for k in kpis if not data.get(k)]
    print(
        f"Hämtade {len(kpis)} nyckeltal från Kolada ({len(written.frame)} värden, "
        f"21 regioner och riket) till {paths.display_path(dest)}."
    )
    if empty:
        print(f"Inga värden i Kolada för: {', '.join(empty)}.")
    return dest
