"""The one exception type a user is meant to read, and how a message quotes a bad value."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
import reprlib
import logging
import sys
import threading
import warnings

EXCERPT_CHARS = 80


class NaravardError(Exception):
    """A problem with the user's input or environment, told in one line.

    The message names the file, field or value at fault and how to fix it; the CLI prints it
    as `fel: <message>` and exits non-zero, with no traceback.
    """


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """`repr(value)` cut to `limit` characters, so a huge value never floods the terminal."""

    text = value if isinstance(value, str) else reprlib.repr(value)  # bounded, even when huge
    text = " ".join(text[: limit * 4].split())
    if isinstance(value, str):
        text = repr(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quiet_unwinding() -> None:
    """After Ctrl-C or SIGTERM, what breaks while libraries unwind (asyncio tasks, kernel
    sockets, papermill's "Kernel died" when its kernel is stopped, threads) is a consequence
    of the interruption, not news for the user: the one line saying so is all they see."""

    for name in ("asyncio", "traitlets", "papermill", "nbclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    sys.unraisablehook = lambda unraisable: None
    threading.excepthook = lambda args: None
    warnings.simplefilter("ignore")  # e.g. a coroutine cut off before it was awaited


@contextlib.contextmanager
def naming(path: object) -> Iterator[None]:
    """An OSError raised inside without a file name (a write on a full disk: ENOSPC) gets
    `path`, so that the CLI's one line says which file could not be written."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
