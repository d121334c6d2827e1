"""Bounds on a region's own notebook, run inside the report's kernel (naravard.report.own).

An own notebook is the analyst's code: a cell that loops, prints 200 000 lines or draws a
300 × 300-inch figure must end the report with one line naming the notebook and cell, not
hold it for ever nor take the shared machine's memory. Each code cell gets a time limit
(SIGALRM in the kernel, whose cells run in its main thread), the notebook's published text
and displays are counted, and the kernel's address space is capped (RLIMIT_AS) while the
notebook runs. A cell that hangs in C code, where no signal is seen, is the parent's to end
(SIGTERM and Ctrl-C kill the kernel, see naravard.build.kernels).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any
import struct
import time

from naravard.core.errors import NaravardError
from naravard.core.settings import settings

# Imports marked "Unix only: see top" (fcntl, termios, resource) do not exist on Windows,
# where an analyst may run the workbench: the functions that use them are for report kernels.

TIMEOUT_ENV = "NARAVARD_OWN_TIMEOUT"
MEMORY_ENV = "NARAVARD_OWN_MEMORY_MB"
DEFAULT_TIMEOUT = 180  # seconds per cell: an own analysis draws a few charts
DEFAULT_MEMORY_MB = 2048  # more address space than the kernel had when the notebook began
MAX_TEXT = 100_000  # printed characters in the whole notebook (some 30 pages)
MAX_DISPLAY = 20_000_000  # characters of displayed HTML and images (base64) in the notebook


class OwnLimit(BaseException):
    """A bound was passed. A BaseException, so that the notebook's `except Exception` does
    not swallow it; IPython reports it as the cell's error."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _setting(name: str, default: int) -> int:
    raw = {TIMEOUT_ENV: settings().own_timeout, MEMORY_ENV: settings().own_memory_mb}[name]
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise NaravardError(f"{name}={raw!r} är inget heltal; ange t.ex. {default}") from None
    if value < 1:
        raise NaravardError(f"{name}={value} är för litet; ange 1 eller mer")
    return value


def timeout_seconds() -> int:
    return _setting(TIMEOUT_ENV, DEFAULT_TIMEOUT)


@contextlib.contextmanager
def cell_time_limit(seconds: int) -> Iterator[None]:
    """Raise OwnLimit in the running cell after `seconds`, and every second after that
    (a bare `except:` in the cell swallows one)."""

    def expired(signum: int, frame: Any) -> None:
        raise OwnLimit(
            f"cellen körde längre än {seconds} s; gör beräkningen snabbare eller "
            f"höj gränsen med {TIMEOUT_ENV}=<sekunder>"
        )

    saved = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        while True:  # an alarm due just now may raise here once more; the timer must stop
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, saved)
                break
            except OwnLimit:
                continue


class OutputBudget:
    """Counts what the notebook's published cells print and display, across the notebook."""

    def __init__(self, text: int = MAX_TEXT, display: int = MAX_DISPLAY) -> None:
        self.text_left, self.display_left = text, display
        self.text_limit, self.display_limit = text, display

    def spend_text(self, chars: int) -> None:
        self.text_left -= chars
        if self.text_left < 0:
            raise OwnLimit(
                f"notebooken skriver ut mer än {self.text_limit} tecken text; "
                "skriv ut en sammanfattning eller en tabell i stället"
            )

    def spend_display(self, data: Any) -> None:
        size = (
            sum(len(v) if isinstance(v, (str, bytes)) else 0 for v in (data or {}).values())
            if isinstance(data, dict)
            else 0
        )
        self.display_left -= size
        if self.display_left < 0:
            raise OwnLimit(
                f"notebooken visar mer än {self.display_limit // 1_000_000} MB "
                "diagram och tabeller; visa färre eller mindre figurer"
            )

    @contextlib.contextmanager
    def counting(self, shell: Any) -> Iterator[None]:
        """While a published cell runs: what it prints (stderr too: the report drops it, but
        every line still travels to naravard) and its display() calls are counted.

        The kernel's stream objects themselves are counted, not a wrapper in sys.stdout: a
        subprocess's or C code's output reaches them from ipykernel's pipe-watching thread.
        That thread cannot stop the cell; past the bound it drops the output, and the cell
        fails when it ends."""
        budget, pub = self, shell.display_pub
        publish = pub.publish
        cell_thread = threading.get_ident()

        def counted(write: Any) -> Any:
            def counted_write(text: str) -> int:
                if threading.get_ident() == cell_thread:
                    budget.spend_text(len(text))
                else:
                    budget.text_left -= len(text)
                    if budget.text_left < 0:
                        return len(text)
                return write(text)

            return counted_write

        def counted_publish(data: Any = None, *args: Any, **kwargs: Any) -> Any:
            budget.spend_display(data)
            return publish(data, *args, **kwargs)

        pub.publish = counted_publish
        try:
            with _streams_written(counted):
                yield
        finally:
            pub.publish = publish
        budget.spend_text(0)  # output dropped in the watching thread fails the cell here


def muted() -> contextlib.AbstractContextManager[None]:
    """While an unpublished cell runs, its output goes nowhere, a subprocess's too."""
    return _streams_written(lambda write: len)


@contextlib.contextmanager
def _streams_written(writer: Any) -> Iterator[None]:
    """The kernel's stdout and stderr objects write through `writer(their write)` while
    inside; the pipe-watching thread's backlog is taken before they are restored."""
    streams = (sys.stdout, sys.stderr)
    for stream in streams:
        stream.write = writer(stream.write)
    try:
        yield
    finally:
        drain(streams)
        for stream in streams:
            del stream.write


def drain(streams: tuple[Any, ...], seconds: float = 2.0) -> None:
    """Wait (at most `seconds`) until ipykernel's pipe-watching thread has taken what the
    cell's subprocesses wrote, so that none of it is published after the cell's bounds end."""
    import fcntl  # Unix only: see top
    import termios  # Unix only: see top

    pipes = [fid for fid in (getattr(s, "_fid", None) for s in streams) if fid is not None]
    deadline, quiet = time.monotonic() + seconds, 0
    while pipes and quiet < 3 and time.monotonic() < deadline:
        pending = 0
        for fid in pipes:
            with contextlib.suppress(OSError):
                pending += struct.unpack("i", fcntl.ioctl(fid, termios.FIONREAD, b"\0" * 4))[0]
        quiet = quiet + 1 if pending == 0 else 0
        time.sleep(0.02)


def check_settings() -> None:
    """The limits' environment variables, checked where the run starts (one line, before
    any kernel runs the notebook)."""
    timeout_seconds()
    _setting(MEMORY_ENV, DEFAULT_MEMORY_MB)


def _address_space() -> int:
    """This process's virtual size in bytes (Linux), or 0 when it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def memory_limit() -> Iterator[None]:
    """Cap the kernel's address space at its present size plus NARAVARD_OWN_MEMORY_MB while
    the notebook runs; a larger allocation fails with MemoryError instead of taking the
    machine's memory. Where the limit cannot be set (no /proc, no RLIMIT_AS) nothing is."""
    try:
        import resource  # Unix only: see top
    except ImportError:  # not on this platform
        yield
        return
    extra = _setting(MEMORY_ENV, DEFAULT_MEMORY_MB) * 1024 * 1024
    current = _address_space()
    saved = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra
    if not current or (saved[1] != resource.RLIM_INFINITY and limit > saved[1]):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, saved[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, saved)


def describe(error: BaseException) -> str:
    """A cell's error as the one line names it."""
    if isinstance(error, OwnLimit):
        return error.text
    if isinstance(error, MemoryError):
        return (
            f"cellen behövde mer minne än de {_setting(MEMORY_ENV, DEFAULT_MEMORY_MB)} MB "
            f"en egen notebook får; gör figurer och tabeller mindre, eller höj gränsen med "
            f"{MEMORY_ENV}=<MB>"
        )
    return f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
