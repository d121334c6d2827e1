"""The version that was sent, kept: `make arkivera`, and what a new report compares with.

`archive` copies a published report folder (its files, manifest and figures) into
`arkiv/<region>/<year>/<date>/`, checked against the manifest's hashes, in one rename: the
archive holds the whole report or nothing, and an existing archive is never overwritten.
`baseline` says which earlier version the report's "Ändrat sedan …" compares with: the
folder given as SEDAN, else the latest archived version, else the report already published.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from naravard.build.manifest import outputs_intact, read_manifest
from naravard.core import publish
from naravard.core.errors import NaravardError
from naravard.core import clock
from naravard.core.paths import archive_dir, display_path, figures_dir, output_dir
from naravard.config.regions import get_region

DATE_FORMAT = "%Y-%m-%d"


def today() -> dt.date:
    """The archive's date: today here, or SOURCE_DATE_EPOCH's day when it is set."""
    return clock.today()


def _report_folders(region: str, year: object) -> tuple[str, str, Path, Path]:
    """(slug, year, report folder, figures folder) of a published report; `riket` is the
    national report."""

    slug = get_region(region, allow_riket=True).slug
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4):
        raise NaravardError(f"YEAR={text!r} är inget årtal; ange t.ex. YEAR=2024")
    return slug, text, output_dir() / slug / text, figures_dir() / slug / text


def archive(region: str, year: object) -> Path:
    """Copy the published report for `region` and `year` into arkiv/; returns the archive."""
    slug, year_text, out_dir, figures = _report_folders(region, year)
    manifest = read_manifest(out_dir / "manifest.json")
    if manifest is None:
        raise NaravardError(
            f"{display_path(out_dir)} har ingen publicerad rapport "
            f"(manifest.json saknas); kör make report REGION={region} "
            f"YEAR={year_text} först"
        )
    if not outputs_intact(manifest, out_dir, figures):
        raise NaravardError(
            f"{display_path(out_dir)}: rapportens filer stämmer inte med "
            "manifest.json (ändrade eller borttagna efter publiceringen); kör "
            "make report igen och arkivera den nya versionen"
        )
    target = archive_dir() / slug / year_text / today().strftime(DATE_FORMAT)
    if target.exists():
        raise NaravardError(
            f"{display_path(target)} finns redan och skrivs aldrig över; har "
            "rapporten ändrats sedan dess, byt namn på den gamla mappen (t.ex. "
            f"{target.name}-1) och arkivera igen"
        )
    staging = publish.staging_dir(target)
    try:
        for entry in sorted(out_dir.iterdir()):
            if entry.is_file() and not entry.name.startswith("."):
                shutil.copy2(entry, staging / entry.name)
        if figures.is_dir():
            shutil.copytree(figures, staging / "figures")
        if not outputs_intact(manifest, staging, staging / "figures"):
            raise NaravardError(
                f"{display_path(out_dir)} ändrades medan den arkiverades; arkivera igen"
            )
        if target.exists():  # made meanwhile by another run: never replaced
            raise NaravardError(f"{display_path(target)} finns redan och skrivs aldrig över")
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def archives(slug: str, year: int | str) -> list[Path]:
    """The archived versions of one report, oldest first (their folders are dated)."""
    folder = archive_dir() / slug / str(year)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()
    )


def baseline(slug: str, year: int, out_dir: Path, since: str | Path | None = None) -> Path:
    """The earlier version a report compares with: `since` (SEDAN=), else the latest archive
    of this report, else the version published in `out_dir`."""
    if since:
        folder = Path(since).expanduser()
        if not folder.is_absolute():
            folder = Path.cwd() / folder
        if not (folder / "indikatorer.csv").is_file():
            raise NaravardError(
                f"SEDAN={display_path(folder)}: där finns ingen rapport "
                "(indikatorer.csv saknas); ange en mapp i arkiv/, t.ex. "
                f"SEDAN=arkiv/{slug}/{year}/<datum>"
            )
        return folder
    kept = archives(slug, year)
    return kept[-1] if kept else out_dir


def print_archived(target: Path, slug: str, year: str) -> None:
    files = sum(1 for p in target.rglob("*") if p.is_file())
    print(f"Arkiverade rapporten i {display_path(target)} ({files} filer).")
    if (target / "indikatorer.csv").is_file():  # a region's report: naravard diff reads it
        print(
            f"Vad som ändrats sedan dess: make diff A={display_path(target)} "
            f"B={display_path(output_dir() / slug / year)}"
        )
