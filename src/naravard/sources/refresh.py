"""`make data`: refresh the committed snapshot from live Kolada, or leave it exactly as it was.

A new answer replaces the snapshot only when the reports can use it: it passes the report's
own validation (naravard.sources.table), and every catalogue KPI still has values for the latest year
it had before. Then the snapshot is swapped in whole and the change is printed, so the analyst
can see (and commit) what Kolada revised.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from naravard.config.catalog import Catalog, load_catalog
from naravard.core import paths
from naravard.core.errors import NaravardError, excerpt
from naravard.sources.kolada import RETRIEVED_FILE, as_page, read_kolada_dir, write_json
from naravard.sources.kolada_client import KoladaClient, download_catalog
from naravard.sources.table import kolada_observations, origin_of, validate
from naravard.config.kommun_catalog import load_kommun_catalog
from naravard.sources.kommun import POPULATION_KPI

KEEP = ("README.md", "kommun")  # our own files in the snapshot, carried over unchanged
KEY = ["kpi", "region_code", "year", "gender"]


@dataclass
class Revision:
    count: int = 0
    largest: tuple[str, int, float, float] | None = None  # region, year, old, new


@dataclass
class Summary:
    """What differs between the old and the new snapshot, per KPI."""

    new_years: dict[str, list[int]] = field(default_factory=dict)
    revised: dict[str, Revision] = field(default_factory=dict)
    gone_values: dict[str, int] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (
            self.new_years or self.revised or self.gone_values or self.retired or self.renamed
        )


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",").replace("-", "−")


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.dropna(subset=["value"]).set_index(KEY)["value"]


def _titles(directory: Path) -> dict[str, str]:
    try:
        meta = json.loads((directory / "kpi.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    values = meta.get("values") if isinstance(meta, dict) else None
    return {
        str(v["id"]): str(v.get("title", ""))
        for v in values or []
        if isinstance(v, dict) and "id" in v
    }


def compare(old_dir: Path, new_dir: Path) -> Summary:
    """The change from the snapshot in `old_dir` to the one in `new_dir`."""
    old = _values(read_kolada_dir(old_dir).frame)
    new = _values(read_kolada_dir(new_dir).frame)
    summary = Summary()
    old_years = old.reset_index().groupby("kpi")["year"].agg(set).to_dict()
    for kpi, years in new.reset_index().groupby("kpi")["year"].agg(set).items():
        added = sorted(years - old_years.get(kpi, set()))
        if added:
            summary.new_years[str(kpi)] = added
    both = pd.concat([old.rename("old"), new.rename("new")], axis=1, join="inner")
    diff = (both["new"] - both["old"]).abs()
    changed = both[diff > 1e-9].assign(diff=diff[diff > 1e-9])
    for kpi, rows in changed.groupby(level="kpi"):
        top = rows.sort_values("diff", ascending=False).iloc[0]
        _, region, year, _ = top.name
        summary.revised[str(kpi)] = Revision(
            len(rows), (region, int(year), float(top["old"]), float(top["new"]))
        )
    gone = old.index.difference(new.index)
    for kpi, count in pd.Series(1, index=gone).groupby(level="kpi").sum().items():
        summary.gone_values[str(kpi)] = int(count)
    old_titles, new_titles = _titles(old_dir), _titles(new_dir)
    summary.retired = sorted(k for k in old_titles if k not in new_titles)
    summary.renamed = {
        k: (t, new_titles[k])
        for k, t in sorted(old_titles.items())
        if k in new_titles and new_titles[k] and t and new_titles[k] != t
    }
    return summary


def summary_lines(summary: Summary, catalog: Catalog) -> list[str]:
    """The change in Swedish, one line per KPI and kind, under the indicator's catalogue id."""

    def name(kpi: str) -> str:
        ind = catalog.by_kolada_id(kpi)
        return f"{kpi} ({ind.id})" if ind else kpi

    if summary.empty:
        return ["Inga ändringar: Kolada har samma värden som ögonblicksbilden."]
    lines = ["Ändringar sedan förra ögonblicksbilden:"]
    for kpi, years in summary.new_years.items():
        lines.append(f"  nytt år {', '.join(map(str, years))}: {name(kpi)}")
    for kpi, rev in summary.revised.items():
        region, year, before, after = rev.largest
        lines.append(
            f"  reviderade: {name(kpi)}: {rev.count} "
            f"{'värde' if rev.count == 1 else 'värden'}, störst {region} {year}: "
            f"{_num(before)} → {_num(after)}"
        )
    for kpi, count in summary.gone_values.items():
        lines.append(
            f"  borttagna i Kolada: {name(kpi)}: {count} {'värde' if count == 1 else 'värden'}"
        )
    for kpi in summary.retired:
        lines.append(f"  nyckeltalet finns inte längre i Kolada: {name(kpi)}")
    for kpi, (before, after) in summary.renamed.items():
        lines.append(f"  nytt namn: {name(kpi)}: {excerpt(before)} → {excerpt(after)}")
    return lines


def _latest_years(frame: pd.DataFrame, kpis: Iterable[str]) -> dict[str, int]:
    values = frame.dropna(subset=["value"])
    values = values[values["kpi"].isin(list(kpis))]
    return {str(k): int(y) for k, y in values.groupby("kpi")["year"].max().items()}


def _vanished(old_dir: Path, new_dir: Path, kpis: list[str]) -> list[str]:
    """KPIs (with the year) whose latest year with values in the old snapshot has none now."""
    before = _latest_years(read_kolada_dir(old_dir, kpis).frame, kpis)
    after = read_kolada_dir(new_dir, kpis).frame.dropna(subset=["value"])
    have = set(zip(after["kpi"], after["year"].astype(int)))
    return [f"{kpi} ({year})" for kpi, year in sorted(before.items()) if (kpi, year) not in have]


def _refuse_vanished(vanished: list[str], what: str) -> None:
    if vanished:
        shown = ", ".join(vanished[:8]) + (" …" if len(vanished) > 8 else "")
        raise NaravardError(
            f"Koladas svar saknar värden som ögonblicksbilden har för {len(vanished)} av "
            f"{what}: {shown}; ögonblicksbilden ändrades inte – försök igen senare"
        )


def check_usable(new_dir: Path, old_dir: Path | None, catalog: Catalog) -> None:
    """Refuse (NaravardError) an answer the reports cannot use, naming what is wrong."""
    obs = kolada_observations(new_dir, catalog, "snapshot")
    try:
        validate(obs.frame, catalog, origin_of(new_dir, paths.regional_dir(), catalog))
    except NaravardError as exc:
        where = (
            str(exc).replace(paths.display_path(new_dir) + "/", "").replace(str(new_dir) + "/", "")
        )
        raise NaravardError(
            f"Kolada svarade med värden som rapporterna inte kan använda: "
            f"{where}; ögonblicksbilden ändrades inte"
        ) from None
    if old_dir is None or not (old_dir / "data").is_dir():
        return
    kpis = [i.kolada_id for i in catalog.kolada()]
    _refuse_vanished(_vanished(old_dir, new_dir, kpis), "katalogens nyckeltal")


def _ids(path: Path) -> list[str]:
    values = json.loads(path.read_text(encoding="utf-8")).get("values", [])
    return [str(v["id"]) for v in values if isinstance(v, dict) and "id" in v]


def refresh_kommun(new_dir: Path, old_dir: Path, client: KoladaClient) -> Summary | None:
    """The kommun part (`kommun/`): the same KPIs for the same kommuner, fetched anew.

    Its municipality list, groups and kommun→län table are ours and carried over (already
    copied into `new_dir`); its KPI metadata keeps our own fields (unit, group, coverage)
    and takes Kolada's title and description.
    """
    old, new = old_dir / "kommun", new_dir / "kommun"
    if not (old / "data").is_dir():
        return None

    # the part's KPIs, every KPI the kommun catalogue (the report's chapter) needs, and the
    # kommuner's population (the chapter gives a small kommun's size)
    kpis = list(
        dict.fromkeys(
            [*_ids(old / "kpi.json"), *load_kommun_catalog().kolada_ids(), POPULATION_KPI]
        )
    )
    data = client.fetch_data(kpis, _ids(old / "municipality.json"))
    live = {str(m["id"]): m for m in client.fetch_kpis(kpis) if isinstance(m, dict) and "id" in m}
    ours = json.loads((old / "kpi.json").read_text(encoding="utf-8"))["values"]
    meta = [
        dict(m, **{k: live[m["id"]][k] for k in ("title", "description") if k in live[m["id"]]})
        for m in ours
        if m["id"] in live
    ]
    meta += [live[k] for k in kpis if k in live and k not in {m["id"] for m in ours}]
    shutil.rmtree(new / "data")
    (new / "data").mkdir()
    for kpi in kpis:
        write_json(new / "data" / f"{kpi}.json", as_page(data.get(kpi, [])))
    write_json(new / "kpi.json", as_page(meta))
    retrieved = json.loads((new_dir / RETRIEVED_FILE).read_text(encoding="utf-8"))
    write_json(
        new / RETRIEVED_FILE, {"retrieved": retrieved["retrieved"], "base_url": client.base_url}
    )
    try:
        read_kolada_dir(new)
    except NaravardError as exc:
        raise NaravardError(
            f"Kolada svarade i fel format för kommunerna: {exc}; ögonblicksbilden ändrades inte"
        ) from None
    _refuse_vanished(_vanished(old, new, kpis), "kommundelens nyckeltal")
    return compare(old, new)


def refresh_snapshot(
    dest: Path | str | None = None,
    *,
    client: KoladaClient | None = None,
    catalog: Catalog | None = None,
) -> int:
    """`naravard data download`: the checked, atomic refresh; prints what changed."""
    catalog = catalog or load_catalog()
    dest = Path(dest) if dest is not None else paths.snapshot_dir()
    old_dir = dest if (dest / "data").is_dir() else None
    if old_dir is not None:
        try:
            read_kolada_dir(old_dir)
        except NaravardError as exc:  # a broken snapshot is replaced, not compared with
            print(
                f"Den gamla ögonblicksbilden kan inte läsas ({exc}); den ersätts utan jämförelse."
            )
            old_dir = None
    extra = sorted(p.stem for p in (dest / "data").glob("*.json")) if old_dir else []
    summary: list[Summary] = []
    kommun: list[Summary] = []
    client = client or KoladaClient()

    def check(new_dir: Path) -> None:
        check_usable(new_dir, old_dir, catalog)
        if old_dir is not None:
            summary.append(compare(old_dir, new_dir))
            part = refresh_kommun(new_dir, old_dir, client)
            if part is not None:
                kommun.append(part)

    download_catalog(dest, catalog=catalog, client=client, extra_kpis=extra, check=check, keep=KEEP)
    if summary:
        print("\n".join(summary_lines(summary[0], catalog)))
    if kommun:
        lines = summary_lines(kommun[0], catalog)
        print(
            "\n".join(["Kommundelen (kommun/): " + lines[0][0].lower() + lines[0][1:], *lines[1:]])
        )
    print(f"Checka in den nya ögonblicksbilden: git add {paths.display_path(dest)} && git commit")
    return 0
