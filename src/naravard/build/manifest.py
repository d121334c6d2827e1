"""What a report was made from: parameters, input file hashes, package versions, timings.

The manifest makes a report traceable (which data, which code) and lets the batch runner
skip a report whose inputs are unchanged: `inputs_fingerprint` hashes only what decides the
report's content, never timings or the creation time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from naravard.core import clock
from naravard.core.errors import NaravardError, naming
from naravard.core.paths import display_path, repo_root
from naravard.core.publish import make_readable

MANIFEST_VERSION = 1
PACKAGES = (
    "naravard",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "weasyprint",
)
# Keys that say how a run went rather than what it was made from. "modified" (the inputs'
# file times) decides skipping but not the fingerprint: a touched file re-renders, as with
# make, while the fingerprint still names the content.
_NOT_FINGERPRINTED = {"created", "timings", "extra", "fingerprint", "modified", "outputs"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _display_path(path: Path) -> str:
    """Relative to the checkout when inside it, so manifests compare across clones."""
    return display_path(path.resolve())


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str | None]:
    versions = {name: _version(name) for name in PACKAGES}
    versions["python"] = platform.python_version()
    return versions


LOCK_FILE = "requirements.txt"  # the report lock, made by `make lock` from pyproject.toml


@lru_cache(maxsize=1)
def lock_hash() -> str | None:
    """SHA-256 of the package lock the environment was installed from (None outside a checkout).

    With `packages` it tells which environment made a report; a new lock re-renders.
    """
    lock = repo_root() / LOCK_FILE
    return sha256_file(lock) if lock.is_file() else None


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of naravard's own source and templates: its version number rarely changes."""
    root = Path(__file__).resolve().parents[1]  # the whole package, not only build/
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def build_manifest(
    parameters: Mapping[str, Any],
    data_origin: str | None,
    retrieved: str | None,
    input_files: Iterable[Path],
    timings: Mapping[str, float] | None = None,
    extra: Mapping[str, Any] | None = None,
    outputs: Mapping[str, str] | None = None,
) -> dict:
    """The manifest of one report; its `fingerprint` covers parameters, inputs and code.

    `outputs` (file name → sha256) lists what the report consists of, so that a later run
    skips it only when every one of them is still there, unchanged.
    """
    inputs: dict[str, str] = {}
    modified: dict[str, int] = {}
    for path in input_files:
        path = Path(path)
        if not path.is_file():
            raise NaravardError(
                f"indatafilen {path} finns inte; kontrollera underlaget och kör igen"
            )
        inputs[_display_path(path)] = sha256_file(path)
        modified[_display_path(path)] = path.stat().st_mtime_ns
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "created": _created(),
        "parameters": _jsonable(dict(parameters)),
        "data_origin": data_origin,
        "retrieved": retrieved,
        "inputs": dict(sorted(inputs.items())),
        "modified": dict(sorted(modified.items())),
        "packages": package_versions(),
        "lock_sha256": lock_hash(),
        "code_sha256": code_hash(),
        # measured durations differ from run to run: left out under SOURCE_DATE_EPOCH
        "timings": {} if clock.source_epoch() is not None else _jsonable(dict(timings or {})),
        "extra": _jsonable(dict(extra or {})),
        "outputs": dict(sorted((outputs or {}).items())),
    }
    manifest["fingerprint"] = inputs_fingerprint(manifest)
    return manifest


def _created() -> str:
    """Now in local time, or SOURCE_DATE_EPOCH (UTC) when set, for reproducible manifests."""
    return clock.local_now().isoformat(timespec="seconds")


def outputs_intact(manifest: Mapping[str, Any], out_dir: Path, figures: Path) -> bool:
    """True when every output the manifest lists exists with its recorded hash."""
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False  # an older manifest: render once more to record them
    for name, digest in outputs.items():
        path = (
            figures / name.removeprefix("figures/")
            if name.startswith("figures/")
            else out_dir / name
        )
        if not path.is_file() or sha256_file(path) != digest:
            return False
    return True


def inputs_fingerprint(manifest: Mapping[str, Any]) -> str:
    """A hash of what decides a report's content; equal fingerprints mean "up to date"."""
    relevant = {k: v for k, v in manifest.items() if k not in _NOT_FINGERPRINTED}
    text = json.dumps(
        _jsonable(relevant), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """True when a report made with `old` needs no new run for `new`: the same content,
    code and parameters, and no input file touched since (file times as make sees them)."""
    return inputs_fingerprint(old) == inputs_fingerprint(new) and old.get("modified") == new.get(
        "modified"
    )


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> Path:
    """Write the manifest as UTF-8 JSON; readers see the old file or the new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_jsonable(manifest), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with naming(path), os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        make_readable(Path(tmp))  # mkstemp makes it 0600; colleagues read manifests too
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_manifest(path: Path) -> dict | None:
    """The manifest at `path`, or None when it is missing or unreadable (then re-render)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
