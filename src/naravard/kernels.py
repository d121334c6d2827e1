"""The Jupyter kernels naravard starts to run its report notebooks.

A report kernel is started before the data is loaded and warms itself up while it starts
(imports the package, loads the catalogue, draws a first chart), so the notebook runs as
soon as the parent process has the data. Both `make report` and the `make reports` workers
use one.

While a notebook runs, nbclient puts its own SIGINT/SIGTERM handlers on the event loop
(they shut the kernel down, so the run then fails with DeadKernelError and a partial
notebook) and afterwards resets both signals to Python's defaults. naravard's processes
decide themselves what a signal means (the CLI unwinds as KeyboardInterrupt; a batch worker
ignores Ctrl-C and stops on its parent's SIGTERM), so `keep_signal_handlers` puts the
process's own handlers back through nbclient's public `on_notebook_start` hook.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

PREFERRED_KERNEL = "naravard"
FALLBACK_KERNEL = "python3"

# The kernel's own log goes to the user's terminal. Its only messages are about its sockets,
# e.g. a ZMQError traceback when Ctrl-C closed them while a reply was under way; a cell's
# errors travel as messages and are reported by naravard in one line.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]

# Run by the kernel while it starts (IPython's exec_lines), before it answers.
WARM_UP = ("import naravard.report, naravard.national; naravard.catalog.load_catalog(); "
           "naravard.charts.warm_up()")

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@lru_cache(maxsize=1)
def default_kernel_name() -> str:
    """The project's own kernel when installed (`ipykernel install --sys-prefix`), else python3."""
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        specs = KernelSpecManager().find_kernel_specs()
    except Exception:  # a broken kernelspec dir must not stop a report
        specs = {}
    return PREFERRED_KERNEL if PREFERRED_KERNEL in specs else FALLBACK_KERNEL


@lru_cache(maxsize=1)
def kernel_config() -> Any:
    """Curve-encrypted kernel sockets where pyzmq allows: the kernel then starts without its
    "running over TCP without encryption" warning on the user's terminal."""
    import zmq
    from traitlets.config import Config

    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def start_report_kernel(cwd: Path, *, kernel_name: str | None = None) -> Any:
    """Start a warm report kernel and return its manager without waiting for it.

    The kernel inherits this process's environment as it is now (the observation files'
    key among it) and is marked as a report kernel, which may freeze its heap
    (naravard.report.settle_heap): it runs reports only and ends with them.
    """
    from jupyter_client.manager import KernelManager

    from naravard.shortcuts import REPORT_KERNEL

    km = KernelManager(kernel_name=kernel_name or default_kernel_name())
    if hasattr(km, "transport_encryption"):  # quiets the kernel's plain-TCP warning
        km.transport_encryption = "auto"
    km.start_kernel(cwd=str(cwd), env=os.environ | {REPORT_KERNEL: "1"},
                    extra_arguments=[f"--IPKernelApp.exec_lines={WARM_UP}", *KERNEL_ARGUMENTS])
    return km


def stop_kernel(km: Any) -> None:
    """Shut the kernel down at once; a kernel that is already gone is fine."""
    try:
        km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - stopping is best effort, the kernel also exits with us
        pass


def keep_signal_handlers() -> Callable[..., None] | None:
    """An nbclient `on_notebook_start` hook that restores this process's SIGINT and SIGTERM
    handlers, as they are now, over the ones nbclient has just installed.

    None outside the main thread, where nbclient installs none either.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    saved = {sig: signal.getsignal(sig) for sig in _SIGNALS}

    def restore(**_: Any) -> None:
        loop = asyncio.get_event_loop()
        for sig, handler in saved.items():
            loop.remove_signal_handler(sig)  # nbclient's; it then has nothing to reset
            if handler is not None:
                signal.signal(sig, handler)

    return restore
