"""One reader for the small catalogue files that are a list of entries (units, areas).

Each file has one top-level key holding a list of mappings with a unique `key`; every mistake
gets one Swedish line naming the file, the entry and the field, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from naravard.core import safe_yaml
from naravard.core.errors import NaravardError, excerpt
from naravard.core.paths import display_path

MAX_ENTRIES = 100  # a dozen exist; a longer file is a mistake

_KINDS = {str: "en text", bool: "true eller false", dict: "en post med fält"}


class Entry:
    """One entry of a list file; `get` checks a field's type and says where it went wrong."""

    def __init__(self, where: str, label: str, raw: dict, fields: Mapping[str, type]) -> None:
        self.where, self.label, self.raw = where, label, raw
        unknown = [k for k in raw if k not in fields]
        if unknown:
            raise self.fail(str(unknown[0]), "okänt fält", "tillåtna fält: " + ", ".join(fields))
        for name, kind in fields.items():
            value = raw.get(name)
            if value is not None and (type(value) is not kind):
                raise self.fail(
                    name, f"värdet {excerpt(value)} är inte {_KINDS[kind]}", "rätta värdet"
                )

    def fail(self, field: str, problem: str, fix: str) -> NaravardError:
        return NaravardError(f"{self.where}: {self.label}, fältet {field}: {problem}; {fix}")

    def text(self, field: str, default: str | None = None, *, empty: bool = False) -> str:
        value = self.raw.get(field, default)
        if value is None or (not empty and not value.strip()):
            raise self.fail(field, "saknas eller är tom", f"skriv {field}: … i posten")
        return value.strip()

    def flag(self, field: str, default: bool) -> bool:
        value = self.raw.get(field)
        return default if value is None else value


def read_entries(path: Path, top: str, what: str, fields: Mapping[str, type]) -> Iterator[Entry]:
    """The entries of `path` under `top:`, each checked for unknown fields, types and its key."""
    where = display_path(path)
    if not Path(path).exists():
        raise NaravardError(f"{where}: filen finns inte; återställ den från git")
    data = safe_yaml.load_file(path, where)
    if not isinstance(data, dict) or set(data) != {top}:
        raise NaravardError(f"{where}: filen ska ha en enda nyckel {top}: med en lista under")
    raw = data[top]
    if not isinstance(raw, list) or not raw or len(raw) > MAX_ENTRIES:
        raise NaravardError(
            f"{where}: {top} ska vara en lista med 1–{MAX_ENTRIES} poster som börjar med - key: …"
        )
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise NaravardError(
                f"{where}: {what} nr {position} är ingen post; skriv key: … under ett -"
            )
        key = item.get("key")
        label = f"{what} {key!r}" if isinstance(key, str) and key else f"{what} nr {position}"
        entry = Entry(where, label, item, {"key": str, **fields})
        key = entry.text("key")
        if not key.isidentifier() or not key.islower() or not key.isascii():
            raise entry.fail("key", f"{key!r} är inte snake_case", "använd a–z, siffror och _")
        if key in seen:
            raise entry.fail("key", "står två gånger", "ge varje post en egen key")
        seen.add(key)
        yield entry


class LazyMap(Mapping[str, str]):
    """A read-only mapping filled from a data file on first use, so importing costs nothing
    and a bad file is reported where the command's error handling can say it in one line."""

    def __init__(self, load: Callable[[], Mapping[str, str]]) -> None:
        self._load = load

    def __getitem__(self, key: str) -> str:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"LazyMap({dict(self._load())!r})"
