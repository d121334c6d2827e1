"""The heat map: regions × indicators, coloured and marked by their position against Riket."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

import matplotlib
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm

from naravard.analysis import judgements as J
from naravard.charts.chart import Chart
from naravard.charts.fit import finish
from naravard.charts.style import (
    CHECK_FACE,
    CHECK_HATCH,
    MISSING_GREY,
    NEAR_FACE,
    RC,
    TO_CHECK,
    VERDICT_MARKS,
    judged_colour,
    new_figure,
    text_colour,
)
from naravard.config.regions import slugify
from naravard.wording import chart_text
from naravard.wording.chart_text import CHECK_MARK
from naravard.wording.text import DASH, is_missing


def heatmap_scores(
    values: pd.DataFrame,
    riket: Mapping[str, float] | pd.Series,
    directions: Mapping[str, str] | pd.Series,
) -> pd.DataFrame:
    """Direction-aware position relative to Riket, in percent of Riket's value.

    Positive means better than Riket (higher for "higher", lower for "lower"); neutral
    indicators are kept with the raw sign. values: regions × indicators.
    """
    scores = pd.DataFrame(index=values.index, columns=values.columns, dtype=float)
    for column in values.columns:
        base = riket.get(column) if hasattr(riket, "get") else None
        if is_missing(base) or float(base) == 0:
            continue
        sign = -1.0 if directions.get(column) == "lower" else 1.0
        col = pd.to_numeric(values[column], errors="coerce")
        scores[column] = sign * (col - float(base)) / abs(float(base)) * 100
    return scores


def heatmap_chart(
    matrix: pd.DataFrame,
    value_labels: pd.DataFrame | None = None,
    *,
    title: str = "Regionerna jämfört med riket",
    name: str = "heatmap",
    caption: str | None = None,
    neutral: Iterable[str] = (),
    highlight: str | None = None,
    limit: float | None = None,
    verdicts: pd.DataFrame | None = None,
) -> Chart:
    """Regions (rows) × indicators (columns) coloured by position relative to Riket.

    matrix: direction-aware scores (positive = better than Riket, e.g. from
    `heatmap_scores`); value_labels: the text printed in each cell (same shape; formatted
    values). verdicts: `judgements.versus_riket` per cell (same shape): a cell "nära riket"
    is left uncoloured and marked ≈, so the colours say what the text says; without them
    the sign of the score decides. A cell whose verdict is `TO_CHECK` (a value
    `naravard.analysis.plausibility` flags) is grey, dotted and marked ?: it is not judged. Cells get ▲ (better) / ▼ (worse) so the colour is never
    the only cue; neutral columns are coloured grey-free (no judgement), without arrows.
    """
    with matplotlib.rc_context(RC):
        return _heatmap_chart(
            matrix, value_labels, title, name, caption, set(neutral), highlight, limit, verdicts
        )


def _verdict(score: float, verdicts: pd.DataFrame | None, i: int, j: int) -> str:
    """The cell's better/worse/near, from `judgements.versus_riket` where it was passed."""
    if verdicts is not None:
        verdict = verdicts.iat[i, j]
        return verdict if isinstance(verdict, str) else ""
    rounded = round(score, 6)
    return (J.BETTER_THAN_RIKET if rounded > 0 else J.WORSE_THAN_RIKET) if rounded else ""


def _heatmap_chart(
    matrix, value_labels, title, name, caption, neutral, highlight, limit, verdicts=None
):
    scores = matrix.apply(pd.to_numeric, errors="coerce").astype(float)
    rows, cols = list(scores.index), list(scores.columns)
    n_rows, n_cols = len(rows), len(cols)
    judged = scores[[c for c in cols if c not in neutral]]
    finite = np.abs(judged.to_numpy()[np.isfinite(judged.to_numpy())])
    if limit is None:
        limit = float(np.nanpercentile(finite, 95)) if finite.size else 1.0
    limit = max(limit, 1e-9)
    cmap = matplotlib.colormaps["PuOr"]  # orange = worse, purple = better; CB-safe
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit)

    header_font = 6.5
    # characters per header line that fit a column (about 12.5 cm for all of them); when
    # there are many columns or a word is longer than that, headers turn upright instead
    fits = max(8, int(12.5 / max(n_cols, 1) * 28.35 / (0.6 * header_font)))
    longest = max((len(w) for c in cols for w in str(c).split()), default=0)
    rotate = n_cols > 8 or longest > fits
    label_width = 32 if rotate else fits
    # Shrink cell text so the widest "▲ 1 234,5" fits its column (about 12 cm for all);
    # with many columns the arrow goes on its own line above the value.
    widest = max(
        [len(str(v)) for v in np.ravel(value_labels.to_numpy())]
        if value_labels is not None and value_labels.size
        else [4]
    )
    widest += 0 if rotate else 2
    cell_font = max(4.5, min(7.0, 12 * 28.35 / max(n_cols, 1) / (widest * 0.64)))
    row_cm = 0.75 if rotate else 0.55
    separator = "\n" if rotate else " "
    col_labels = [_header(str(c), label_width, 4 if rotate else 6) for c in cols]
    header_lines = max([lab.count("\n") + 1 for lab in col_labels] or [1])
    fig = new_figure(2.2 + row_cm * n_rows + (4.2 if rotate else 0.32 * header_lines))
    ax = fig.add_subplot()
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    better = {r: 0 for r in rows}
    counted = {r: 0 for r in rows}
    near_cells = check_cells = 0
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            score = scores.iat[i, j]
            label = "" if value_labels is None else value_labels.iat[i, j]
            label = (
                DASH
                if label is None or (not isinstance(label, str) and is_missing(label))
                else str(label)
            )
            has_value = value_labels is not None and label not in ("", DASH)
            if has_value and verdicts is not None and verdicts.iat[i, j] == TO_CHECK:
                face, hatch, prefix = CHECK_FACE, CHECK_HATCH, CHECK_MARK + separator
                check_cells += 1
            elif is_missing(score) and not has_value:
                face, hatch, prefix, label = MISSING_GREY, "///", "", DASH
            elif col in neutral or is_missing(score):  # a value but nothing to judge it by
                face, hatch, prefix = "#F4F4F4", "", ""
            else:
                verdict = _verdict(score, verdicts, i, j)
                near = verdict == J.NEAR_RIKET
                near_cells += near
                face = (
                    NEAR_FACE if near else judged_colour(cmap, norm(max(-limit, min(limit, score))))
                )
                hatch = ""
                mark = VERDICT_MARKS.get(verdict, "")
                prefix = mark + separator if mark else ""
                counted[row] += 1
                better[row] += verdict == J.BETTER_THAN_RIKET
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (j - 0.5, i - 0.5),
                    1,
                    1,
                    facecolor=face,
                    edgecolor="white",
                    linewidth=1.2,
                    hatch=hatch,
                )
            )
            ax.text(
                j,
                i,
                (prefix + label) if label else prefix.strip() or DASH,
                ha="center",
                va="center",
                fontsize=cell_font,
                color=text_colour(face),
                fontweight="bold" if row == highlight else "normal",
                linespacing=1.0,
            )
    if rotate:
        ax.set_xticks(
            range(n_cols), col_labels, fontsize=header_font, rotation=90, ha="center", va="bottom"
        )
    else:
        ax.set_xticks(range(n_cols), col_labels, fontsize=header_font)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), [str(r) for r in rows])
    if highlight in rows:
        label = ax.get_yticklabels()[rows.index(highlight)]
        label.set_fontweight("bold")
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (-0.5, rows.index(highlight) - 0.5),
                n_cols,
                1,
                fill=False,
                edgecolor="black",
                linewidth=1.6,
                zorder=5,
            )
        )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # above the column headers: a figure title, for which the constrained layout makes room
    # (an axes title at the fixed rc position would overlap the top tick labels)
    fig.suptitle(
        title, x=0.01, ha="left", fontsize=matplotlib.rcParams["axes.titlesize"], fontweight="bold"
    )
    fig.supxlabel(
        chart_text.heatmap_key(verdicts is not None, bool(check_cells)),
        fontsize=7.5,
        color="#444444",
    )

    with_counts = [r for r in rows if counted[r]]
    most = fewest = said = None
    if with_counts:
        top = max(with_counts, key=lambda r: (better[r] / counted[r], better[r]))
        low = min(with_counts, key=lambda r: (better[r] / counted[r], better[r]))
        most, fewest = (top, better[top], counted[top]), (low, better[low], counted[low])
        if highlight in with_counts and highlight not in (top, low):
            said = (highlight, better[highlight], counted[highlight])
    alt, default_caption = chart_text.heatmap_texts(
        n_rows=n_rows,
        n_cols=n_cols,
        near=verdicts is not None,
        checked=check_cells,
        near_cells=near_cells,
        most=most,
        fewest=fewest,
        highlight=said,
    )
    caption = caption or default_caption
    return Chart(fig=finish(fig), alt=alt, name=slugify(name) or "heatmap", caption=caption)


def _header(text: str, width: int, max_lines: int) -> str:
    """A column header wrapped to its column; an ellipsis says when words were left out."""
    lines = textwrap.wrap(text, width, break_long_words=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _short(lines[-1] + " …", width + 1)
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
