"""Every chart's Swedish words: alt texts, captions, keys, notes and the marks the heat and
tile maps print beside a value.

The charts measure and format the numbers (as the text formats them, `fmt_value`) and pass
them here; the sentences are made in one place, beside the rest of the report's wording.
"""

from __future__ import annotations

from collections.abc import Sequence

# Marks beside a value: colour is never the only cue
BETTER_MARK, WORSE_MARK, NEAR_MARK, CHECK_MARK = "▲", "▼", "≈", "?"

ZERO_NOTE = "Axeln börjar inte vid noll."
CHECK_KEY = f"{CHECK_MARK} värde att kontrollera (grå, prickig)"
CHECK_CAPTION = (
    f" Grå, prickig och {CHECK_MARK}: värde att kontrollera, det avviker kraftigt "
    "från regionens tidigare år och bedöms inte."
)

# Region names on two lines, or shortened, where a tile is too narrow for them
TILE_LABELS = {
    "Jämtland Härjedalen": "Jämtland\nHärjedalen",
    "Västra Götaland": "Västra\nGötaland",
    "Västernorrland": "Väster-\nnorrland",
    "Västerbotten": "Väster-\nbotten",
    "Östergötland": "Öster-\ngötland",
    "Jönköpings län": "Jönköping",
    "Örebro län": "Örebro",
    "Västmanland": "Väst-\nmanland",
}

Point = tuple[int, str]  # (year, the value as the text writes it)


def checked_alt(n: int) -> str:
    """The alt text's count of values to check ("" when there are none)."""
    if not n:
        return ""
    return f" {n} {'värde' if n == 1 else 'värden'} att kontrollera ({CHECK_MARK}) bedöms inte."


def period(years: Sequence[int]) -> str:
    """ "2016–2024", one year, or "" for none."""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")


def trend_texts(
    name: str,
    region_name: str,
    years: Sequence[int],
    region: Sequence[Point],
    riket: Point | None,
    n_context: int,
    breaks: Sequence[tuple[int, str]],
    target: str | None,
) -> tuple[str, str]:
    """A trend chart's alt text and caption. `region`: the region's first and last point,
    its only point, or none; `riket`: Riket's last point; `target` as the text writes it."""
    span = period(years)
    lead = f"Linjediagram: {name} i {region_name} {span}".rstrip()
    if len(region) >= 2:
        (first_year, first), (last_year, last) = region[0], region[-1]
        lead += f", från {first} ({first_year}) till {last} ({last_year})"
    elif len(region) == 1:
        last_year, last = region[-1]
        lead += f", {last}"
        if len(years) > 1:
            lead += f" ({last_year})"
    else:
        lead += f"; {region_name} saknar värden"
    parts = [lead]
    if riket is not None:
        parts.append(f"riket {riket[1]} {riket[0]}")
    alt = "; ".join(parts) + "."
    if n_context:
        alt += f" Övriga {n_context} regioner visas som tunna grå linjer."
    if breaks:
        alt += (
            " Tidsseriebrott "
            + ", ".join(f"{y}" + (f" ({r})" if r else "") for y, r in breaks)
            + "."
        )
    caption = f"{name}: {region_name} (blå, heldragen) och riket (streckad) {span}".rstrip()
    caption += ", övriga regioner i grått." if n_context else "."
    if target is not None:
        alt += f" Målet, {target}, visas som en grön prickad linje."
        caption += " Grön prickad linje: målet."
    return alt, caption


def value_missing_label(region_name: str, year: int) -> str:
    """The label a ranked chart prints when the region in focus has no value."""
    return f"{region_name}: värde saknas {year}"


def ranked_texts(
    *,
    name: str,
    year: int,
    n: int,
    judged: bool,
    dots: bool,
    focus: str | None,
    focus_value: str | None,
    place: tuple[str, int, int] | None,
    riket: str | None,
    top: tuple[str, str] | None,
    bottom: tuple[str, str] | None,
    absent: Sequence[str],
    target: str | None,
    axis_start: str | None,
) -> tuple[str, str]:
    """A ranked chart's alt text and caption.

    `focus`: the region in focus (None in the national report), `focus_value` its value
    (None: it has none); `place`: (place as printed, regions ranked, regions tied with it);
    `judged`: the indicator has a better direction (sorted best first); `axis_start`: where
    a cut value axis starts (None: at zero).
    """
    order = "från bäst till sämst" if judged else "från högst till lägst"
    kind = "Punktdiagram" if dots else "Stapeldiagram"
    alt = f"{kind}: {name} {year} för {n} regioner, sorterade {order}"
    if focus is not None and focus_value is not None:
        if place is not None:
            shown, n_ranked, n_tied = place
            shared = (
                f" (delad med {n_tied} {'annan' if n_tied == 1 else 'andra'})" if n_tied else ""
            )
            alt += f". {focus} ligger på plats {shown} av {n_ranked}{shared} med {focus_value}"
        else:
            alt += f". {focus} har {focus_value}"
    elif focus is not None:
        alt += f". {focus} saknar värde {year}"
    alt += f"; riket {riket}." if riket is not None else "."
    if top is not None and bottom is not None:
        alt += f" Överst {top[0]} {top[1]}, nederst {bottom[0]} {bottom[1]}."
    if absent and n:
        alt += " Värde saknas för " + ", ".join(absent) + "."
    if target is not None:
        alt += f" Målet är {target}."
    caption = f"{name} {year}, alla regioner sorterade {order}"
    if focus is not None:
        caption += (
            f". {focus} är markerad med blå romb"
            if dots
            else f". {focus} är markerad med blå, randig stapel"
        )
    # the line is named only where it is drawn: Riket may lack a value for the year
    caption += "." if riket is None else "; riket med streckad linje."
    if dots:
        caption += " Punkter i stället för staplar, eftersom värdena ligger nära varandra."
    if axis_start is not None:
        alt += f" Axeln börjar vid {axis_start}, inte vid noll."
    return alt, caption


def heatmap_key(near: bool, checked: bool) -> str:
    """The key under a heat map."""
    near_key = f"    {NEAR_MARK} nära riket (vit)" if near else ""
    check_key = f"\n{CHECK_KEY}" if checked else ""
    return (
        f"{BETTER_MARK} bättre än riket (lila)    {WORSE_MARK} sämre än riket (orange)"
        f"{near_key}    – värde saknas (grå, randig){check_key}"
    )


def heatmap_texts(
    *,
    n_rows: int,
    n_cols: int,
    near: bool,
    checked: int,
    near_cells: int,
    most: tuple[str, int, int] | None,
    fewest: tuple[str, int, int] | None,
    highlight: tuple[str, int, int] | None,
) -> tuple[str, str]:
    """A heat map's alt text and default caption. `near`: cells are judged against Riket's
    "nära riket"; `most`, `fewest`, `highlight`: (region, better, judged) of the regions most
    and least often better than Riket and of the highlighted one (None: not said)."""
    near_alt = f", {NEAR_MARK} nära riket" if near else ""
    check_alt = f", {CHECK_MARK} värde att kontrollera" if checked else ""
    alt = (
        f"Värmekarta: {n_rows} regioner och {n_cols} indikatorer; färg och tecken visar "
        f"läget jämfört med riket ({BETTER_MARK} bättre, {WORSE_MARK} sämre"
        f"{near_alt}{check_alt})."
    )
    if most is not None and fewest is not None:
        alt += (
            f" Flest bättre än riket: {most[0]} ({most[1]} av {most[2]});"
            f" färst: {fewest[0]} ({fewest[1]} av {fewest[2]})."
        )
    if highlight is not None:
        alt += f" {highlight[0]}: {highlight[1]} av {highlight[2]} bättre än riket."
    if near_cells:
        alt += f" {near_cells} {'ruta' if near_cells == 1 else 'rutor'} ligger nära riket."
    alt += checked_alt(checked)
    caption = (
        "Regionerna jämfört med riket per indikator. Lila och ▲ betyder "
        "bättre än riket, orange och ▼ sämre, med hänsyn till om höga eller "
        "låga värden är bäst."
        + (
            f" Vit och {NEAR_MARK}: nära riket, en skillnad mindre än den minsta som räknas."
            if near
            else ""
        )
        + (CHECK_CAPTION if checked else "")
    )
    return alt, caption


def tile_map_texts(
    *,
    title: str,
    n_present: int,
    n_regions: int,
    highest: tuple[str, str] | None,
    lowest: tuple[str, str] | None,
    highlight: tuple[str, str] | None,
    missing: Sequence[str],
    versus_riket: tuple[str, str, int, int, int] | None,
    checked: Sequence[str],
) -> tuple[str, str]:
    """A tile map's alt text and caption. `title`: the indicator's name and year;
    `highest`, `lowest`, `highlight`: (region, value); `versus_riket`: (Riket's value, the
    same short, better, near, worse) where the map is judged against Riket."""
    alt = f"Karta med rutor: {title} i {n_present} av {n_regions} regioner."
    if highest is not None and lowest is not None:
        alt += f" Högst {highest[0]} {highest[1]}, lägst {lowest[0]} {lowest[1]}."
        if highlight is not None:
            alt += f" {highlight[0]} {highlight[1]}."
    if missing:
        alt += " Värde saknas för " + ", ".join(missing) + "."
    if versus_riket is not None:
        riket, _short, better, near, worse = versus_riket
        alt += f" Jämfört med riket ({riket}): {better} bättre, {near} nära riket, {worse} sämre."
    if checked:
        alt += checked_alt(len(checked)).rstrip(".") + ": " + ", ".join(checked) + "."
    caption = (
        f"{title}. Lila ▲ bättre än riket ({versus_riket[1]}), "
        f"orange ▼ sämre, vit {NEAR_MARK} nära riket."
        if versus_riket is not None
        else f"{title} per region; mörkare ruta: högre värde."
    )
    if missing:
        caption += " Grå randig ruta: värde saknas."
    if checked:
        caption += CHECK_CAPTION
    return alt, caption
