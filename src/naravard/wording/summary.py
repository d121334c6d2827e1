"""The region report's Sammanfattning and the national profiles' target line: sentences
over a whole indicator table, made from the judgement columns as `text` makes each
indicator's sentences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from naravard.wording.text import (
    as_int,
    cell_value,
    fmt_number,
    join_sv,
    lower_first,
    place_text,
    plural,
)


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in table.to_dict(orient="records")]


def summary_sentences(table: pd.DataFrame, region_name: str, year: int) -> list[str]:
    """The report's Sammanfattning: changes, strongest and weakest positions, targets.

    Counts use the judgements: a change smaller than the indicator's min_change is "ingen
    tydlig förändring"; series breaks and changed definitions are not judged and not counted;
    neutral indicators are left out of every count that implies better or worse. A shared
    place is always said to be shared.
    """
    rows = _rows(table) if table is not None and len(table) else []
    with_value = [r for r in rows if cell_value(r, "value") is not None]
    sentences: list[str] = []
    if not with_value:
        return [f"Det finns inga värden för {region_name} {year}."]
    lagged = [r for r in with_value if cell_value(r, "published_note")]
    sentences.append(
        f"För {region_name} finns värden för {fmt_number(len(with_value) - len(lagged), 0)} av "
        f"{plural(len(rows), 'indikator', 'indikatorer')} {year}."
    )
    if lagged:
        latest = sorted({str(as_int(cell_value(r, "year"))) for r in lagged})
        sentences.append(
            f"{plural(len(lagged), 'indikator', 'indikatorer')} är ännu inte "
            f"{'publicerad' if len(lagged) == 1 else 'publicerade'} för {year}; där visas "
            f"senaste år ({join_sv(latest)}) och de räknas inte nedan."
        )
        with_value = [r for r in with_value if not cell_value(r, "published_note")]

    directional = [
        r
        for r in with_value
        if str(cell_value(r, "direction") or "") in ("higher", "lower")
        and cell_value(r, "prev_value") is not None
    ]
    counts = {"förbättring": 0, "försämring": 0, "ingen tydlig förändring": 0}
    not_judged, to_check = [], []
    for r in directional:
        judged = str(cell_value(r, "change_judgement") or "")
        if judged in counts:
            counts[judged] += 1
        elif cell_value(r, "plausibility"):
            to_check.append(str(r.get("name", "")))
        else:
            not_judged.append(str(r.get("name", "")))
    compared = sum(counts.values())
    if compared:
        text = (
            f"Jämfört med föregående år har {counts['förbättring']} av "
            f"{plural(compared, 'jämförbar indikator', 'jämförbara indikatorer')} "
            f"förbättrats tydligt, {counts['försämring']} försämrats tydligt och "
            f"{counts['ingen tydlig förändring']} har ingen tydlig förändring (mindre än "
            "vad mätningen kan skilja ut)"
        )
        if not_judged:
            text += (
                f"; {plural(len(not_judged), 'indikator', 'indikatorer')} med "
                "tidsseriebrott eller ändrad definition bedöms inte"
            )
        gaps = [
            f"{lower_first(str(r.get('name', '')))} "
            f"saknar värde {year - 1} och jämförs med {as_int(cell_value(r, 'prev_year'))}"
            for r in directional
            if str(cell_value(r, "change_judgement") or "") in counts
            and as_int(cell_value(r, "prev_year")) not in (None, year - 1)
        ]
        if gaps:
            text += "; " + "; ".join(gaps)
        sentences.append(text + ". Indikatorer utan given riktning är inte medräknade.")
    elif not to_check:
        sentences.append("Inga indikatorer med given riktning kan jämföras med föregående år.")
    if to_check:
        sentences.append(
            f"Förändringen för {join_sv(lower_first(n) for n in to_check)} avviker "
            "kraftigt från tidigare år, vilket kan bero på ändrad registrering eller i en "
            "enkät på urvalet, och bedöms inte."
        )

    ranked = [
        r
        for r in with_value  # a value to check is never a strongest or weakest place
        if str(cell_value(r, "direction") or "") in ("higher", "lower")
        and as_int(cell_value(r, "rank")) is not None
        and as_int(cell_value(r, "n_ranked"))
        and not cell_value(r, "plausibility")
    ]

    def relative(r: Mapping[str, Any], worst: bool = False) -> tuple[float, int, str]:
        n = int(r["n_ranked"])
        place = int(r["rank_to"]) if worst and as_int(cell_value(r, "rank_to")) else int(r["rank"])
        rel = (place - 1) / (n - 1) if n > 1 else 0.0
        return (
            -rel if worst else rel,
            as_int(cell_value(r, "n_tied")) or 0,
            str(r.get("name", "")),
        )

    def described(rs: Sequence[Mapping[str, Any]]) -> str:
        return join_sv(f"{r.get('name', '')} ({place_text(r)})" for r in rs)

    if ranked:
        # strongest from the better half of places, weakest from the worse half
        best = [r for r in sorted(ranked, key=relative) if relative(r)[0] <= 0.5][:3]
        worst = [
            r
            for r in sorted(ranked, key=lambda r: relative(r, True))
            if -relative(r, True)[0] > 0.5 and r not in best
        ][:3]
        if best:
            sentences.append(f"Starkast placering bland regionerna: {described(best)}.")
        if worst:
            sentences.append(f"Svagast placering bland regionerna: {described(worst)}.")

    targeted = [r for r in rows if cell_value(r, "target") is not None]
    if targeted:
        groups: dict[str, list[str]] = {"uppfylls": [], "uppfylls delvis": [], "uppfylls inte": []}
        unknown = []
        for r in targeted:
            status = str(cell_value(r, "target_status") or "")
            shown = as_int(cell_value(r, "year"))  # not yet published: the year judged is named
            name = str(r.get("name", "")) + (f" ({shown})" if shown and shown != year else "")
            (groups[status] if status in groups else unknown).append(name)
        parts = [f"{status} för {join_sv(names)}" for status, names in groups.items() if names]
        text = (
            f"Av {plural(len(targeted), 'indikator', 'indikatorer')} med ett officiellt mål: "
            + ("målet " + join_sv(parts) if parts else "inget kan bedömas")
        )
        sentences.append(text + ".")
        late = [
            r
            for r in targeted
            if as_int(cell_value(r, "target_for")) is not None
            and as_int(cell_value(r, "target_for")) < year
            and cell_value(r, "value") is not None
            and not cell_value(r, "published_note")
        ]
        if late:
            which = join_sv(str(r.get("name", "")).lower() for r in late)
            sentences.append(
                f"{'Målet' if len(late) == 1 else 'Målen'} för {which} gällde "
                f"{join_sv(sorted({str(as_int(r['target_for'])) for r in late}))} och jämförs med "
                f"{year} års värden eftersom inget senare mål finns."
            )
        if unknown:
            sentences.append(
                "Måluppfyllelsen kan inte bedömas för "
                f"{join_sv(lower_first(n) for n in unknown)} eftersom "
                "värde saknas."
            )
    return sentences


def target_status_words(table: pd.DataFrame) -> str:
    """The targets of one region in one line, by the same status as its own report:
    "Målet uppfylls för a; uppfylls delvis för b; uppfylls inte för c." ("" without a target
    with a value; targets without a value are left out, as a profile has no room for them)."""
    rows = _rows(table) if table is not None and len(table) else []
    groups: dict[str, list[str]] = {"uppfylls": [], "uppfylls delvis": [], "uppfylls inte": []}
    for r in rows:
        status = str(cell_value(r, "target_status") or "")
        if status in groups and cell_value(r, "target") is not None:
            name = str(r.get("name", ""))
            groups[status].append(lower_first(name))
    parts = [
        f"{'målet ' if not i else ''}{status} för {join_sv(names)}"
        for i, (status, names) in enumerate((s, n) for s, n in groups.items() if n)
    ]
    return ("; ".join(parts)[:1].upper() + "; ".join(parts)[1:] + ".") if parts else ""
