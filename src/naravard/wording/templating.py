"""Jinja templates for the report's HTML blocks (src/naravard/templates/blocks/).

Wording and layout live in the templates; the Python modules compute what to say and pass
plain values. Autoescape is on for every template and undefined names fail loudly, so no
value can reach the HTML unescaped or silently empty. Only `Markup` (already-safe HTML,
e.g. a rendered sub-block or an analyst's comment) passes through as it is.
"""

from __future__ import annotations

import base64
import functools
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from naravard.core.paths import TEMPLATES_DIR

TEMPLATES = TEMPLATES_DIR / "blocks"


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process: templates are parsed once and then cached by Jinja."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["png_base64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def render(template: str, /, **context: Any) -> str:
    """The `template` rendered with `context`, as a plain string of safe HTML."""
    return environment().get_template(template).render(**context)


def safe(html: str | None) -> Markup:
    """Mark HTML that naravard itself rendered (a sub-block) as safe to embed."""
    return Markup(html or "")


__all__ = ["environment", "render", "safe", "Markup"]
