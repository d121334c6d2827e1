"""The region report's "Ändrat sedan förra versionen": what differs from the version compared
with (the latest archived one, SEDAN=, or the report already published)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from naravard.analysis import revisions
from naravard.wording import text


def changes_html(rep: Any) -> str:
    """ "Ändrat sedan förra versionen (datum)": the values that differ from the report already
    published for this region and year; empty when nothing changed or there was none."""
    changes = rep.changes
    if changes is None or changes.empty:
        return ""
    archived = revisions.archived_on(changes.previous_dir)  # the version that was sent
    when = (
        f" (arkiverad {text.fmt_date(archived)})"
        if archived
        else f" ({text.fmt_date(changes.previous_date)})"
        if changes.previous_date
        else ""
    )
    lead = (
        "Jämfört med den arkiverade versionen av rapporten, den som skickades,"
        if archived
        else "Jämfört med den förra versionen av rapporten för samma år"
    )
    shown = changes.frame.head(12)
    items = Markup("").join(
        Markup("<li>{}</li>").format(revisions.describe(row)) for _, row in shown.iterrows()
    )
    more = len(changes.frame) - len(shown)
    tail = (
        f"… och {more} till; alla ändringar står i andringar.csv."
        if more
        else "Ändringarna står också i andringar.csv bredvid rapporten."
    )
    return Markup(
        "<h2 id='andrat'>Ändrat sedan förra versionen{}</h2><p>{} har dessa värden "
        "eller placeringar ändrats:</p><ul class='changes'>{}</ul><p>{}</p>"
    ).format(when, lead, items, tail)
