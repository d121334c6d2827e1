"""The one clock: SOURCE_DATE_EPOCH when it is set, else the real time.

With SOURCE_DATE_EPOCH (seconds since 1970, UTC; https://reproducible-builds.org) two runs
on the same inputs give identical reports, tables and manifests: every date naravard
writes comes from here. Read on each call, so a test or a batch can set it late.
"""

from __future__ import annotations

import datetime as dt
import os

VARIABLE = "SOURCE_DATE_EPOCH"


def source_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an int when it is set to a whole number (spaces ignored)."""
    value = os.environ.get(VARIABLE, "").strip()
    return int(value) if value.isdigit() else None


def now() -> dt.datetime:
    """Now in UTC, or SOURCE_DATE_EPOCH's moment."""
    epoch = source_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def local_now() -> dt.datetime:
    """Now in the machine's time zone (what a person reads in a manifest), or
    SOURCE_DATE_EPOCH's moment in UTC."""
    return now() if source_epoch() is not None else now().astimezone()


def today() -> dt.date:
    """Today's date where the report is made, or SOURCE_DATE_EPOCH's day (UTC)."""
    return now().date() if source_epoch() is not None else dt.date.today()
