"""A Kolada snapshot with a year the product has not seen, built from the real one.

`build(src, dst)` copies `../shared/data/kolada` and adds 2025 (nothing is committed but this
recipe):
- every region and Riket moves a little from 2024 (within each indicator's min_change, up or
  down by region), so nothing stands still at "från X till X";
- SWING (Västerbotten) changes journal system: one-year swings of 19–25 p.e. on four
  indicators of one source (Väntetider i vården) and a share of exactly 100,0 %;
- UNPUBLISHED: indicators no region has a 2025 value for yet (the diabetes register, falls,
  cost, akutbesök 80+);
- ONLY_MISSING: an indicator only SWING lacks for 2025 (it must still read as missing).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

YEAR = 2025
SWING = "0024"
SWING_VALUES = {  # indicator id → the 2025 value (2024 in the comment)
    "medicinsk_bedomning_3d": 55.0,  # 79,5
    "bup_30d": 43.0,  # 18,3
    "psykiatri_forsta_besok_90d": 100.0,  # 79,4: a share at its bound and a jump
    "operation_90d": 82.0,  # 62,6
}
UNPUBLISHED = (
    "hba1c_over_70",
    "blodtryck_diabetes",
    "fotundersokning_diabetes",
    "ogonbotten_diabetes",
    "fallskador_65",
    "hsv_kostnad_strukturjusterad",
    "akutbesok_80",
)
ONLY_MISSING = "forsta_kontakt_90d"


def build(src: Path, dst: Path) -> Path:
    """The snapshot in `src` plus YEAR as described above, written to `dst`."""
    from naravard.config.catalog import load_catalog

    catalog = load_catalog()
    shutil.copytree(src, dst)
    for ind in catalog.kolada():
        path = dst / "data" / f"{ind.kolada_id}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        if ind.id in UNPUBLISHED:
            continue
        latest = {e["municipality"]: e for e in doc["values"] if e["period"] == YEAR - 1}
        for n, (code, entry) in enumerate(sorted(latest.items())):
            if code == SWING and ind.id == ONLY_MISSING:
                continue
            old = next((v["value"] for v in entry["values"] if v["gender"] == "T"), None)
            if old is None:
                continue
            step = ind.min_change * (0.4 if n % 2 else -0.3)
            new = SWING_VALUES.get(ind.id, old + step) if code == SWING else old + step
            if ind.unit == "procent":
                new = min(100.0, max(0.0, new))
            value = round(new, ind.decimals)
            doc["values"].append(
                {
                    "kpi": entry["kpi"],
                    "municipality": code,
                    "period": YEAR,
                    "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
                }
            )
        doc["count"] = len(doc["values"])
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return dst
