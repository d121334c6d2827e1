"""The kommun catalogue: data/catalog/kommun_indicators.yaml, validated like the region one.

Kommun indicators are Indicator entries in a file of their own, so the region catalogue (and
everything that ranks regions) never sees them; one parser checks both files.
"""

from __future__ import annotations

import functools
from pathlib import Path

from naravard.core import paths
from naravard.core.errors import NaravardError
from naravard.config.catalog import Catalog, load_catalog

FILE_NAME = "kommun_indicators.yaml"


def kommun_catalog_path() -> Path:
    return paths.catalog_path().with_name(FILE_NAME)


def _check_apart(kommun: Catalog, region: Catalog) -> Catalog:
    """An id in both files would make a table row ambiguous: refuse it in one line."""
    region_ids = {i.id for i in region}
    region_kpis = {i.kolada_id for i in region if i.kolada_id}
    for ind in kommun:
        if ind.id in region_ids:
            raise NaravardError(
                f"{paths.display_path(kommun.path)}: indikator {ind.id!r} finns "
                f"redan i {paths.display_path(region.path)}; ge den ett eget id "
                "(kommunindikatorerna börjar med k_)"
            )
        if ind.kolada_id in region_kpis:
            raise NaravardError(
                f"{paths.display_path(kommun.path)}: indikator {ind.id!r}: "
                f"{ind.kolada_id} används redan av regionkatalogen; ett "
                "nyckeltal hör till en av katalogerna"
            )
    return kommun


@functools.lru_cache(maxsize=1)
def _default() -> Catalog:
    return _check_apart(load_catalog(kommun_catalog_path()), load_catalog())


def load_kommun_catalog(path: Path | None = None) -> Catalog:
    """The validated kommun catalogue; the default file is read once per process."""
    if path is None:
        return _default()
    return _check_apart(load_catalog(Path(path)), load_catalog())
