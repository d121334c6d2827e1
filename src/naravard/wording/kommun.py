"""Sentences about the kommuner of a län, made only from naravard.analysis.kommun's judgements."""

from __future__ import annotations

from naravard.analysis import kommun as K
from naravard.config import units
from naravard.wording import text


def _each_number(unit: str) -> bool:
    """A unit short enough to write after every number; a longer one is said once, before."""
    found = units.get(unit)
    return bool(found and found.each_number)


def _v(item: K.KommunIndicator, x: float | None) -> str:
    ind = item.indicator
    return text.fmt_value(x, ind.unit, ind.decimals, short=not _each_number(ind.unit))


def threshold(item: K.KommunIndicator) -> str:
    ind = item.indicator
    return text.threshold_text({"min_change": ind.min_change, "unit": ind.unit})


def lan_words(item: K.KommunIndicator) -> str:
    """ "länet 15,2 % (ovägt medel av kommunerna)" or "Region Västerbotten 2,2 dagar"."""
    if item.lan_label == K.LAN_MEAN_LABEL:
        return f"ovägt medel för länets kommuner {_v(item, item.lan)}"
    return f"{item.lan_label} {_v(item, item.lan)}"


def spread_sentence(item: K.KommunIndicator) -> str:
    have = item.with_value
    if len(have) == 1:
        only = have[0]
        return f"{item.year} har bara {only.name} ett värde i Kolada: {_v(item, only.value)}."
    low = min(have, key=lambda k: (k.value, k.name))
    high = max(have, key=lambda k: (k.value, k.name))
    riket = f", riket {_v(item, item.riket)}" if item.riket is not None else ""
    unit = (
        ""
        if _each_number(item.indicator.unit)
        else f" ({text.unit_label(item.indicator.unit).lower()})"
    )
    return (
        f"{item.year} låg värdet{unit} mellan {_v(item, low.value)} i {low.name} och "
        f"{_v(item, high.value)} i {high.name} ({lan_words(item)}{riket})."
    )


def _sides(sides: list[tuple[list[str], str]], sep: str, tail: str) -> str:
    """The words of each side that has names, joined, as one sentence."""
    return text.upper_first(sep.join(words for names, words in sides if names) + tail)


def standing_out_sentence(item: K.KommunIndicator) -> str:
    """Who differs from the län by at least the indicator's smallest clear difference."""
    neutral = item.indicator.direction == "neutral"
    first, second = (K.ABOVE, K.BELOW) if neutral else (K.BETTER, K.WORSE)
    up = [k.name for k in item.standing_out(first)]
    down = [k.name for k in item.standing_out(second)]
    limit = threshold(item)
    if not up and not down:
        return (
            f"Ingen kommun skiljer sig från länet med {limit} eller mer, den minsta "
            "skillnad som räknas."
        )
    return _sides(
        [(up, f"{first} är {text.join_sv(up)}"), (down, f"{second} är {text.join_sv(down)}")],
        "; ",
        f" (skillnad minst {limit}).",
    )


def gender_sentence(item: K.KommunIndicator) -> str:
    if not item.gender_compared:
        return ""
    women, men = item.gender_counted.get("K", []), item.gender_counted.get("M", [])
    n = item.gender_compared
    limit = threshold(item)
    if not women and not men:
        return (
            f"Kvinnor och män skiljer sig mindre än {limit} i alla {n} kommuner där Kolada "
            "redovisar båda."
        )
    return _sides(
        [
            (women, f"kvinnor har högre värde än män i {len(women)}"),
            (men, f"män har högre värde än kvinnor i {len(men)}"),
        ],
        " och ",
        f" av de {n} kommuner där Kolada redovisar båda (skillnad minst {limit}).",
    )


def _with_size(k: K.KommunValue) -> str:
    """ "Sorsele (2 412 invånare 2023)" when the data has the population, else the name."""
    if k.population is None:
        return k.name
    year, people = k.population
    return f"{k.name} ({text.fmt_number(people, 0)} invånare {year})"


def caution_sentence(item: K.KommunIndicator) -> str:
    names = [_with_size(k) for k in item.unstable]
    if not names:
        return ""
    return (
        f"Kolada saknar värde för {text.join_sv(names)} något av åren "
        f"{item.year - K.WINDOW + 1}–{item.year}; jämför de enskilda åren med försiktighet."
    )


def missing_sentence(item: K.KommunIndicator) -> str:
    """The kommuner without a value in the shown year, each with the reason: never dropped."""
    if not item.missing:
        return ""
    return (
        f"Inget värde {item.year} för "
        + text.join_sv(f"{k.name} ({k.reason})" for k in item.missing)
        + "."
    )


def sentences(item: K.KommunIndicator) -> list[str]:
    """Spread, who stands out, women and men, who has no value, caution."""
    return [
        s
        for s in (
            spread_sentence(item),
            standing_out_sentence(item),
            gender_sentence(item),
            missing_sentence(item),
            caution_sentence(item),
        )
        if s
    ]
