"""The Jupyter kernels naravard starts to run its report notebooks.

A report kernel is started before the data is loaded and warms itself up while it starts
(imports the package, loads the catalogue, draws a first chart), so the notebook runs as
soon as the parent process has the data. Both `make report` and the `make reports` workers
use one. After the notebook, the kernel writes the charts' SVG files (`AFTER_NOTEBOOK`, run
as a `Background` task) while the parent prints the PDF.
"""

from __future__ import annotations

import os
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any
import queue
from naravard.core.errors import NaravardError
from naravard.speed.shortcuts import REPORT_KERNEL

# Imports marked "slow import: see top" load jupyter_client (0,10 s), pyzmq (0,02 s) and
# traitlets (0,03 s, measured December 2026): `naravard --help` imports this module and
# starts no kernel.

PREFERRED_KERNEL = "naravard"
FALLBACK_KERNEL = "python3"

# The kernel's own log goes to the user's terminal. Its only messages are about its sockets,
# e.g. a ZMQError traceback when Ctrl-C closed them while a reply was under way; a cell's
# errors travel as messages and are reported by naravard in one line.
# No output cache (Out, _): a report's blocks carry their figures and tables, and a batch
# kernel would keep every earlier report's for the collector to rescan.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--InteractiveShell.cache_size=0"]

# Run by the kernel while it starts (IPython's exec_lines), before it answers.
# `in_kernel.install` makes it a report kernel: heap settled after the load, SVGs deferred.
WARM_UP = (
    "import naravard.report.region, naravard.report.national, naravard.build.in_kernel; "
    "naravard.build.in_kernel.install(); "
    "naravard.config.catalog.load_catalog(); "
    "naravard.charts.warm_up()"
)


@lru_cache(maxsize=1)
def default_kernel_name() -> str:
    """The project's own kernel when installed (`ipykernel install --sys-prefix`), else python3."""
    from jupyter_client.kernelspec import KernelSpecManager  # slow import: see top

    try:
        specs = KernelSpecManager().find_kernel_specs()
    except Exception:  # a broken kernelspec dir must not stop a report
        specs = {}
    return PREFERRED_KERNEL if PREFERRED_KERNEL in specs else FALLBACK_KERNEL


@lru_cache(maxsize=1)
def kernel_config() -> Any:
    """Curve-encrypted kernel sockets where pyzmq allows: the kernel then starts without its
    "running over TCP without encryption" warning on the user's terminal."""
    import zmq  # slow import: see top
    from traitlets.config import Config  # slow import: see top

    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


# The client papermill/nbclient makes from a handed-over manager (`km.client()`). nbclient
# runs async and awaits its client's channels; a blocking client's `get_msg(timeout=None)`
# blocks its event loop instead, so the task that polls whether the kernel is alive never
# ran and a dead kernel was waited on for ever. With the async client a dead kernel is a
# DeadKernelError within about a second (nbclient polls the manager's process).
ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"


# set for a batch kernel (`start_report_kernel(shares_cores=True)`), read through core.settings
SHARES_CORES = "NARAVARD_KERNEL_SHARES_CORES"


def start_report_kernel(
    cwd: Path, *, kernel_name: str | None = None, shares_cores: bool = False
) -> Any:
    """Start a warm report kernel and return its manager without waiting for it.

    The kernel inherits this process's environment as it is now (the observation files'
    key among it) and is marked as a report kernel, which may freeze its heap
    (naravard.build.in_kernel.settle_heap): it runs reports only and ends with them.
    `shares_cores`: one of a batch's kernels, which with their workers keep every core busy;
    it draws its large PNGs itself instead of in a forked copy (naravard.build.in_kernel).
    """
    from jupyter_client.manager import KernelManager  # slow import: see top

    km = KernelManager(
        kernel_name=kernel_name or default_kernel_name(),
        config=kernel_config(),
        client_class=ASYNC_CLIENT,
    )
    km.start_kernel(
        cwd=str(cwd),
        env=os.environ | {REPORT_KERNEL: "1"} | ({SHARES_CORES: "1"} if shares_cores else {}),
        extra_arguments=[f"--IPKernelApp.exec_lines={WARM_UP}", *KERNEL_ARGUMENTS],
    )
    _STARTED.add(km)
    return km


_STARTED: weakref.WeakSet = weakref.WeakSet()  # this process's kernels, for kill_all


def _kill(km: Any) -> None:
    """SIGKILL the kernel's process directly: no message to it and no event loop, so
    nothing can wait on a kernel that is looping, dead or half-dead."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None:
        return
    try:
        process.kill()
        process.wait(timeout=5)
    except Exception:  # noqa: BLE001 - already gone, or not ours to wait for
        pass


def kill_all() -> None:
    """Kill every kernel this process started (a run that must end now)."""
    for km in list(_STARTED):
        _kill(km)


def wait_until_ready(km: Any, timeout: float = 120) -> None:
    """Return once the kernel answers (its warm-up done)."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    finally:
        kc.stop_channels()


def stop_kernel(km: Any) -> None:
    """Shut the kernel down at once; a kernel that is already gone is fine."""
    _kill(km)
    try:
        km.shutdown_kernel(now=True)  # its files and sockets
    except Exception:  # noqa: BLE001 - stopping is best effort, the kernel also exits with us
        pass


# What a report kernel does after its notebook, while this process prints the PDF: the
# charts' SVG files, large PNGs and figurer.csv, which only the figures folder needs
# (naravard.report.figure_files).
AFTER_NOTEBOOK = (
    "import naravard.report.figure_files; naravard.report.figure_files.write_deferred()"
)


class Background:
    """Code running in a started kernel while this process does something else.

    `wait` returns once it has finished, or raises NaravardError when it failed or the kernel
    died; `cancel` stops the kernel (a failed or interrupted report: nothing may go on
    writing into its staging folders).
    """

    def __init__(self, km: Any, code: str) -> None:
        self._km = km
        self._kc = km.blocking_client()
        self._kc.start_channels()
        self._msg_id = self._kc.execute(code, silent=True, store_history=False, allow_stdin=False)

    def wait(self) -> None:
        try:
            while True:
                try:
                    reply = self._kc.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not self._km.is_alive():
                        raise NaravardError(
                            "Jupyter-kärnan avslutades innan diagrammens "
                            "SVG-filer var skrivna; kör rapporten igen"
                        ) from None
                    continue
                if reply.get("parent_header", {}).get("msg_id") == self._msg_id:
                    break
        finally:
            self._kc.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise NaravardError(
                f"diagrammens SVG-filer: {content.get('ename', 'fel')}: "
                f"{' '.join(str(content.get('evalue', '')).split())[:300]}"
            )

    def cancel(self) -> None:
        self._kc.stop_channels()
        stop_kernel(self._km)
