"""naravard's shortcuts into other libraries' internals: one off switch, one check each.

Two shortcuts only make reports faster; a report is the same without them:
`naravard.speed.pdf_speedups` (WeasyPrint's PNG embedding and font subsetting) and the layered SVG
in `naravard.charts` (matplotlib's SVG renderer state). Each applies only when its library's
version is in the range it was tested with and the internals it touches look as expected;
otherwise it stays off and says so in one line on stderr, once per process.
`NARAVARD_NO_SPEEDUPS=1` turns all of them off.

To widen a tested range after `make lock`: run `make test` (tests/unit/speed/test_shortcuts.py renders
a report with and without the shortcuts and compares the pages) and change the range here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from importlib import metadata

from naravard.core.settings import settings

OFF_SWITCH = "NARAVARD_NO_SPEEDUPS"
# Set by naravard.build.kernels in the environment of the kernels it starts for reports: only there
# may the kernel freeze its heap (naravard.build.in_kernel.settle_heap), never in an analyst's kernel.
REPORT_KERNEL = "NARAVARD_REPORT_KERNEL"

# shortcut name -> (distribution, lowest tested version, first version not tested)
TESTED: dict[str, tuple[str, str, str]] = {
    "pdf-png": ("weasyprint", "70.0", "71"),
    "pdf-fonts": ("weasyprint", "70.0", "71"),
    "svg-layers": ("matplotlib", "3.11.0", "3.12"),
}

# what each shortcut decided in this process: "på", "avstängd" or the reason it is off
STATUS: dict[str, str] = {}


def switched_off() -> bool:
    """True when the user asked for no shortcuts at all (NARAVARD_NO_SPEEDUPS=1)."""
    return settings().no_speedups


def _version_tuple(text: str) -> tuple[int, ...]:
    """The release numbers a version starts with: "3.12.0rc1" -> (3, 12, 0)."""
    found = re.match(r"\d+(?:\.\d+)*", text.strip())
    return tuple(int(n) for n in found.group().split(".")) if found else ()


def version_in_range(version: str, lowest: str, below: str) -> bool:
    """lowest <= version < below, compared as release numbers (3.11.2 < 3.12)."""
    v = _version_tuple(version)
    return bool(v) and _version_tuple(lowest) <= v < _version_tuple(below)


def allowed(name: str, internals_ok: Callable[[], bool]) -> bool:
    """Whether shortcut `name` may patch now; tells stderr once why not, when it may not."""
    if name in STATUS:
        return STATUS[name] == "på"
    if switched_off():
        STATUS[name] = "avstängd"
        return False
    distribution, lowest, below = TESTED[name]
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        version = ""
    if not version_in_range(version, lowest, below):
        return _off(
            name,
            f"{distribution} {version or 'saknas'} är inte testad "
            f"(testad: {lowest} till före {below})",
        )
    try:
        ok = bool(internals_ok())
    except Exception:  # noqa: BLE001 - an unexpected shape of the internals means: stay off
        ok = False
    if not ok:
        return _off(name, f"{distribution} {version} ser inte ut som väntat inuti")
    STATUS[name] = "på"
    return True


def _off(name: str, reason: str) -> bool:
    STATUS[name] = reason
    print(
        f"naravard: genvägen {name} används inte: {reason}; rapporten blir densamma, "
        f"bara långsammare ({OFF_SWITCH}=1 stänger av alla genvägar)",
        file=sys.stderr,
    )
    return False


def in_report_kernel() -> bool:
    """True inside a kernel that naravard started to run reports (see REPORT_KERNEL)."""
    return settings().report_kernel and not switched_off()
