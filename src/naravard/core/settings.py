"""naravard's settings from the environment: every NARAVARD_* variable, read in one place.

`settings()` reads them all together into a frozen `Settings`, and again only when one of
them has changed since (a test sets one with monkeypatch, a batch worker adopts its
parent's key, the command creates the observations' key). Values a module must check with
its own one-line error (a timeout, a deadline) are kept as the text the user wrote and
checked where they are used; docs/environment.md lists every variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

PREFIX = "NARAVARD_"
OFF_WORDS = ("", "0", "no", "false")


@dataclass(frozen=True)
class Settings:
    """The NARAVARD_* variables; "" where one is not set."""

    root: str = ""  # NARAVARD_ROOT: the project folder (tests: a temporary copy)
    data: str = ""  # NARAVARD_DATA: what a report reads when no DATA is given
    snapshot: str = ""  # NARAVARD_SNAPSHOT: the Kolada snapshot instead of data/kolada
    regional_dir: str = ""  # NARAVARD_REGIONAL_DIR: the regions' own figures
    notebooks_dir: str = ""  # NARAVARD_NOTEBOOKS_DIR: the report notebooks
    commentary_dir: str = ""  # NARAVARD_COMMENTARY_DIR: the analysts' comment files
    goals_dir: str = ""  # NARAVARD_GOALS_DIR: the regions' own goals
    mallar_dir: str = ""  # NARAVARD_MALLAR_DIR: the analysts' own templates
    kolada_url: str = ""  # NARAVARD_KOLADA_URL: a Kolada mirror (tests)
    kolada_deadline: str = ""  # NARAVARD_KOLADA_DEADLINE: seconds for a whole download
    own_timeout: str = ""  # NARAVARD_OWN_TIMEOUT: seconds for a region's own notebook cell
    own_memory_mb: str = ""  # NARAVARD_OWN_MEMORY_MB: memory for a region's own notebook
    observations_key: str = ""  # NARAVARD_OBSERVATIONS_KEY: signs this run's observation files
    no_speedups: bool = False  # NARAVARD_NO_SPEEDUPS: every shortcut off
    report_kernel: bool = False  # NARAVARD_REPORT_KERNEL=1: a kernel naravard started for reports
    # NARAVARD_KERNEL_SHARES_CORES=1: one of `make reports`' kernels, which keep every core busy
    kernel_shares_cores: bool = False


def settings() -> Settings:
    """The settings as the environment holds them now."""
    return _read(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIX))))


@lru_cache(maxsize=8)
def _read(items: tuple[tuple[str, str], ...]) -> Settings:
    env = dict(items)

    def text(name: str) -> str:
        return env.get(PREFIX + name, "").strip()

    return Settings(
        root=text("ROOT"),
        data=text("DATA"),
        snapshot=text("SNAPSHOT"),
        regional_dir=text("REGIONAL_DIR"),
        notebooks_dir=text("NOTEBOOKS_DIR"),
        commentary_dir=text("COMMENTARY_DIR"),
        goals_dir=text("GOALS_DIR"),
        mallar_dir=text("MALLAR_DIR"),
        kolada_url=text("KOLADA_URL"),
        kolada_deadline=text("KOLADA_DEADLINE"),
        own_timeout=text("OWN_TIMEOUT"),
        own_memory_mb=text("OWN_MEMORY_MB"),
        observations_key=env.get(PREFIX + "OBSERVATIONS_KEY", ""),
        no_speedups=text("NO_SPEEDUPS").lower() not in OFF_WORDS,
        report_kernel=env.get(PREFIX + "REPORT_KERNEL") == "1",
        kernel_shares_cores=env.get(PREFIX + "KERNEL_SHARES_CORES") == "1",
    )
