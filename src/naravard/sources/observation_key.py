"""The key that signs this run's observation files (see naravard.sources.table).

Observations travel from the parent to notebook kernels and batch workers as a pickle. A
pickle runs code when loaded, so only files this run wrote are loaded: each starts with an
HMAC of its content under a key that lives in this process tree's environment only
(inherited by kernels and workers); a file from anywhere else (DATA=x.pkl) fails the check
before anything is unpickled. This module imports nothing heavy: batch workers adopt the key
without loading pandas, which only their kernels need.
"""

from __future__ import annotations

import os
import secrets
import hashlib
import hmac

from naravard.core.settings import settings

KEY_ENV = "NARAVARD_OBSERVATIONS_KEY"


def observations_key() -> str:
    """This run's key for signing observation files; created on first use."""

    key = settings().observations_key
    if not key:
        key = os.environ[KEY_ENV] = secrets.token_hex(32)
    return key


def use_observations_key(key: str) -> None:
    """Adopt the parent's key (batch workers), so its observation files verify here too."""
    os.environ[KEY_ENV] = key


def signature(key: str, payload: bytes) -> bytes:
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest().encode()
