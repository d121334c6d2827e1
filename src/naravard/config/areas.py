"""The utvecklingsområden as data (data/catalog/areas.yaml), in the report's chapter order."""

from __future__ import annotations

import functools
from pathlib import Path

from naravard.config.listfile import read_entries
from naravard.core.paths import areas_path


def default_path() -> Path:
    return areas_path()


def parse(path: Path) -> dict[str, str]:
    """Key → chapter title, in the file's order (the report's order)."""
    return {
        e.text("key"): e.text("title")
        for e in read_entries(path, "areas", "område", {"title": str})
    }


@functools.lru_cache(maxsize=1)
def _default() -> dict[str, str]:
    return parse(default_path())


def load(path: Path | None = None) -> dict[str, str]:
    """The areas; the project's file is read once per process, a given path always."""
    return _default() if path is None else parse(Path(path))
