"""The one YAML reader for every file the project reads (catalogue, questionnaire, answers).

PyYAML's safe loader still expands aliases (`*a`) without bound, so a few lines of anchors
grow to gigabytes ("billion laughs"), and it lets a key written twice silently overwrite the
first. Neither has a use in hand-written project files, so both are refused with one Swedish
line naming the file and line; no error message quotes more than a short excerpt of a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from naravard.core.errors import EXCERPT_CHARS, NaravardError, excerpt
from naravard.core.paths import display_path

# libyaml's safe loader when PyYAML was built with it: several times faster
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in one mapping (PyYAML would keep the last silently)."""


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """A safe loader that refuses a mapping key written twice."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key: let PyYAML's own error say so
            continue
        if duplicate:
            raise _DuplicateKey(
                None, None, f"nyckeln {excerpt(key)} står två gånger", key_node.start_mark
            )
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _BadValue(yaml.constructor.ConstructorError):
    """A value shaped like a date or time that is none (`2025-13-45`, `2024-02-30`)."""


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # PyYAML builds the date itself and lets its ValueError escape without a line number
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise _BadValue(
            None,
            None,
            f"{excerpt(node.value)} är inget giltigt datum ({exc}); "
            "skriv ett datum som finns, ÅÅÅÅ-MM-DD",
            node.start_mark,
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _refuse_anchors(text: str, where: str) -> None:
    """Scan the event stream (cheap, nothing is built) for anchors and aliases."""
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise NaravardError(
                f"{where} rad {line}: YAML-ankare och alias (&namn, *namn) används inte i "
                "naravards filer; skriv ut värdet i stället"
            )


def _line_of(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" rad {mark.line + 1}" if mark is not None else ""


def load_text(text: str, where: str) -> Any:
    """Parse YAML `text`; `where` (a file name as the user knows it) starts every error line."""
    try:
        _refuse_anchors(text, where)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except _DuplicateKey as exc:
        raise NaravardError(
            f"{where}{_line_of(exc)}: {exc.problem}; ta bort den ena (annars gäller tyst den sista)"
        ) from None
    except _BadValue as exc:
        raise NaravardError(f"{where}{_line_of(exc)}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        problem = str(getattr(exc, "problem", None) or exc).split("\n")[0]
        problem = (
            problem if len(problem) <= 2 * EXCERPT_CHARS else problem[: 2 * EXCERPT_CHARS] + "…"
        )
        raise NaravardError(
            f"{where}{_line_of(exc)}: ogiltig YAML ({problem}); rätta syntaxen "
            "(indrag, kolon, citattecken) på raden"
        ) from None
    except (ValueError, OverflowError) as exc:  # any other value PyYAML cannot build
        raise NaravardError(
            f"{where}: ett värde går inte att läsa ({excerpt(str(exc))}); rätta värdet"
        ) from None
    except RecursionError:
        raise NaravardError(
            f"{where}: YAML-strukturen är för djupt nästlad; skriv filen med färre nivåer"
        ) from None


def read_text(path: Path, where: str) -> str:
    """The file as UTF-8 text, or one line saying why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NaravardError(f"{where}: filen finns inte") from None
    except IsADirectoryError:
        raise NaravardError(f"{where}: är en mapp, inte en fil; ange YAML-filen") from None
    except UnicodeDecodeError:
        raise NaravardError(f"{where}: filen är inte UTF-8; spara den som UTF-8") from None
    except OSError as exc:
        raise NaravardError(f"{where}: kan inte läsas ({exc.strerror or exc})") from None


def load_file(path: Path, where: str | None = None) -> Any:
    """Read and parse one YAML file with the checks above."""
    where = where or display_path(Path(path))
    return load_text(read_text(path, where), where)
