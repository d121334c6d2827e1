"""Publishing a report as one unit: staged beside its place, checked, swapped in by renames.

A report is a folder (HTML, PDF, notebook, tables, manifest) plus its figures folder. Both
are built in staging folders beside their destinations; every destination is checked before
the first rename (a folder where `rapport.pdf` should be, a file where `figures/` should be,
a read-only parent), then each old folder is renamed away and the new one renamed in. A
reader sees the old report or the new one, never a mix; on any failure the old one stays.

Staging and trash folders carry the pid of the process that made them
(`.2024.staging-<pid>-…`), so a later run removes those whose process is gone (SIGKILL,
power loss). Folders and files are made readable for colleagues as the umask allows (a
temporary folder would otherwise be 0700).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from naravard.core.errors import NaravardError
from naravard.core.paths import display_path

STALE = re.compile(r"^(?:\..+\.(?:staging|trash)|naravard-[a-z]+)-(?P<pid>\d+)-")
# Staging folders of naravard versions before the process id was in the name:
# tempfile.mkdtemp(prefix=".<year>-"), eight random characters, and the temporary folders
# of render.warm_up (prefix "naravard-warm-"). No run takes a day.
LEGACY_STAGING = re.compile(r"^(?:\.\d{4}|naravard-warm)-[a-z0-9_]{8}$")
LEGACY_AGE = 24 * 3600


# --- modes ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def dir_mode() -> int:
    """What `mkdir` would give a folder (0755 under the usual umask 022)."""
    return 0o777 & ~_umask()


def file_mode() -> int:
    """What `open(…, "w")` would give a file (0644 under the usual umask 022)."""
    return 0o666 & ~_umask()


def make_readable(path: Path) -> None:
    """Give a folder from mkdtemp or a file from mkstemp (both private) the ordinary mode."""
    os.chmod(path, dir_mode() if Path(path).is_dir() else file_mode())


def _shown(path: Path) -> str:
    return display_path(path)


# --- staging and stale folders ------------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid: leave it alone
    return True


def remove_stale(parent: Path) -> list[Path]:
    """Remove staging/trash folders in `parent` whose process no longer runs, and day-old
    staging folders of older naravard versions (no process id in the name); returns them."""
    removed: list[Path] = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in sorted(entries):
        match = STALE.match(entry.name)
        if match and not _alive(int(match["pid"])):
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(
                missing_ok=True
            )
            removed.append(entry)
        elif LEGACY_STAGING.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            try:
                old = now - entry.stat().st_mtime > LEGACY_AGE
            except OSError:
                continue
            if old:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _ensure_folder(folder: Path) -> None:
    """Create `folder` (and parents), or explain in one line why it cannot be."""
    for part in [*reversed(folder.parents), folder]:
        if part.exists() and not part.is_dir():
            raise NaravardError(
                f"{_shown(part)} är en fil, men naravard behöver en mapp där; "
                "flytta eller ta bort filen"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise NaravardError(
            f"{_shown(folder)}: mappen kan inte skapas (saknar skrivrätt); "
            "ändra rättigheterna eller välj en annan projektmapp"
        ) from None
    except OSError as exc:
        raise NaravardError(f"{_shown(folder)}: mappen kan inte skapas ({exc.strerror})") from None


def staging_dir(target: Path) -> Path:
    """An empty folder beside `target` to build its next version in."""
    target = Path(target)
    _ensure_folder(target.parent)
    try:
        path = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent)
        )
    except PermissionError:
        raise NaravardError(
            f"{_shown(target.parent)}: mappen är skrivskyddad; naravard kan "
            "inte skriva rapporten där – ändra rättigheterna"
        ) from None
    make_readable(path)
    return path


def check_destination(target: Path, names: Iterable[str]) -> None:
    """Raise NaravardError when `target` cannot take a new version holding `names`."""
    target = Path(target)
    for part in [*reversed(target.parents), target]:
        if part.exists() and not part.is_dir():
            raise NaravardError(
                f"{_shown(part)} är en fil, men naravard behöver en mapp där; "
                "flytta eller ta bort filen"
            )
    for name in names:
        path = target / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise NaravardError(
                f"{_shown(path)} är en mapp eller länk där naravard ska skriva "
                "en fil; flytta eller ta bort den och kör igen"
            )
    parent = target.parent
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise NaravardError(
            f"{_shown(parent)}: mappen är skrivskyddad; naravard kan inte "
            "byta ut rapporten där – ändra rättigheterna"
        )
    if target.exists() and not os.access(target, os.R_OK | os.X_OK):
        raise NaravardError(f"{_shown(target)}: mappen kan inte läsas; ändra rättigheterna")


# --- the swap ---------------------------------------------------------------------------------


def _carry(source: Path, dest: Path) -> None:
    """Put an entry of the old folder into the new one (hard links: no copying)."""
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, dest, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, dest)


def _link_or_copy(source: str | Path, dest: str | Path) -> None:
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)


Keep = Callable[[Path], bool]


def swap_in(units: Sequence[tuple[Path, Path, Keep | None]]) -> None:
    """Replace each `target` folder by its `staging` folder: every target or none.

    `keep(old_entry)` says which entries of the old target that the new one lacks are carried
    over (files the user put there); None carries over nothing.
    """
    for staging, target, _ in units:
        check_destination(target, [p.name for p in Path(staging).iterdir()])
    for staging, target, keep in units:
        if keep is not None and target.is_dir():
            for entry in target.iterdir():
                if not (staging / entry.name).exists() and keep(entry):
                    _carry(entry, staging / entry.name)
    done: list[tuple[Path, Path, Path | None]] = []
    try:
        for staging, target, _ in units:
            trash = None
            if target.exists():
                trash = target.with_name(
                    f".{target.name}.trash-{os.getpid()}-{os.urandom(4).hex()}"
                )
                os.rename(target, trash)
            try:
                os.rename(staging, target)
            except BaseException:
                if trash is not None:
                    os.rename(trash, target)
                raise
            done.append((staging, target, trash))
    except BaseException as exc:
        for staging, target, trash in reversed(done):  # put every old folder back
            os.rename(target, staging)
            if trash is not None:
                os.rename(trash, target)
        if isinstance(exc, OSError):
            raise NaravardError(
                f"{_shown(Path(exc.filename or units[0][1]))}: rapporten kunde "
                f"inte bytas ut ({exc.strerror}); den förra är kvar"
            ) from None
        raise
    for _, _, trash in done:
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)
