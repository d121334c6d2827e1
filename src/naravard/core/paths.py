"""Where the project's folders are, so that every module agrees on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from naravard.core.settings import settings


PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = PACKAGE_DIR / "templates"  # Jinja blocks and the nbconvert template, package data


def project_root() -> Path:
    """The project folder: `NARAVARD_ROOT` if set, else the checkout this package lives in.

    Tests point `NARAVARD_ROOT` at a temporary copy so that nothing under the real
    `output/` or `data/cache/` is touched.
    """
    env = settings().root
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "catalog").is_dir():
            return parent
    return Path.cwd()


def repo_root() -> Path:
    """The checkout holding the package's own data (catalogue, questionnaire), never redirected."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "catalog").is_dir():
            return parent
    return project_root()


def display_path(path: Path) -> str:
    """A path as the user knows it: relative to the checkout when inside it, else as given."""
    try:
        return Path(path).resolve().relative_to(repo_root().resolve()).as_posix()
    except ValueError:
        return str(path)


def data_dir() -> Path:
    return repo_root() / "data"


def catalog_path() -> Path:
    return data_dir() / "catalog" / "indicators.yaml"


def units_path() -> Path:
    return catalog_path().with_name("units.yaml")


def areas_path() -> Path:
    return catalog_path().with_name("areas.yaml")


def catalog_files() -> list[Path]:
    """The files every report is made from besides the data: each catalogue file (indicators,
    units, areas, related questions, sjukvårdsregioner, kommun indicators) and the comparison
    groups. An edit to any of them renders the reports again."""
    return [
        catalog_path(),
        *sorted(p for p in catalog_path().parent.glob("*.yaml") if p != catalog_path()),
        peer_groups_path(),
    ]


def peer_groups_path() -> Path:
    """data/jamforelsegrupper.yaml: the regions' own comparison groups (naravard.config.peer_groups)."""
    return data_dir() / "jamforelsegrupper.yaml"


def _env_dir(value: str, default: Path) -> Path:
    """`default`, unless its NARAVARD_* variable (`value`) points elsewhere (tests, other teams)."""
    return Path(value).resolve() if value else default


def regional_dir() -> Path:
    """The region's own figures; `NARAVARD_REGIONAL_DIR` points elsewhere (tests, other teams)."""
    return _env_dir(settings().regional_dir, data_dir() / "regional")


def questionnaire_dir() -> Path:
    return data_dir() / "questionnaire"


def snapshot_dir() -> Path:
    """The committed, dated Kolada snapshot every report uses unless told otherwise.

    It lives in the checkout (like the catalogue), so a clone with nothing beside it and no
    network makes the real report; `make data` refreshes it. `NARAVARD_SNAPSHOT` points
    elsewhere (tests that must not touch the committed files).
    """
    return _env_dir(settings().snapshot, data_dir() / "kolada")


def output_dir() -> Path:
    return project_root() / "output"


def figures_dir() -> Path:
    return project_root() / "figures"


EXAMPLE_FOLDER = "exempeldata"


def report_roots(obs: Any) -> tuple[Path, Path]:
    """Where reports and figures go: a report from example data never replaces a real one,
    so it goes under `output/exempeldata/` (and `figures/exempeldata/`)."""
    if getattr(obs, "is_example", False):
        return output_dir() / EXAMPLE_FOLDER, figures_dir() / EXAMPLE_FOLDER
    return output_dir(), figures_dir()


def archive_dir() -> Path:
    """Where `make arkivera` keeps the versions that were sent: arkiv/<region>/<år>/<datum>/."""
    return project_root() / "arkiv"


def scratch_dir() -> Path:
    """Where a notebook run outside `make report` (JupyterLab, papermill) saves its charts.

    Only `make report`'s staged publish writes into `figures/`: a notebook run file by file
    into the published folder would mix its charts with the published report's.
    """
    return project_root() / "scratch"


def notebooks_dir() -> Path:
    """The report notebooks; `NARAVARD_NOTEBOOKS_DIR` points elsewhere (tests)."""
    return _env_dir(settings().notebooks_dir, repo_root() / "notebooks")


def own_notebooks_dir() -> Path:
    """Region-specific notebooks, `egna/<slug>.ipynb`, appended to that region's report."""
    return notebooks_dir() / "egna"


def commentary_dir() -> Path:
    """The analysts' comment files; `NARAVARD_COMMENTARY_DIR` points elsewhere (tests)."""
    return _env_dir(settings().commentary_dir, data_dir() / "kommentarer")


def goals_dir() -> Path:
    """The regions' own goals, `<slug>.yaml`; `NARAVARD_GOALS_DIR` points elsewhere (tests)."""
    return _env_dir(settings().goals_dir, data_dir() / "mal")


def mallar_dir() -> Path:
    """The analyst's own templates (the region's slide template); `NARAVARD_MALLAR_DIR`
    points elsewhere (tests)."""
    return _env_dir(settings().mallar_dir, data_dir() / "mallar")
