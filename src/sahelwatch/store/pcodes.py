"""OCHA p-codes (admin1, admin2) for events, from the COD-AB table shipped in data/pcodes/ (HDX, open).

    from sahelwatch.store.pcodes import pcodes_for, add_pcodes
    pcodes_for("Mali", "Mopti", "Douentza")      # ('ML05', 'ML0502')

Names are matched after folding (accents, case, punctuation: "Ségou" == "Segou") and through the
gazetteer's admin aliases (``data/gazetteer/admin_aliases.yaml``: "Timbuktu" == "Tombouctou"); an
admin2 is looked up under its admin1. Unknown units get no p-code (never a guess).
"""

from __future__ import annotations

import csv
import io
import functools
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from ..gazetteer import name_key

__all__ = ["pcodes_for", "add_pcodes", "admin_names_for", "country_name", "PCODE_COLUMNS"]

PCODE_COLUMNS = ("admin1_pcode", "admin2_pcode")


def _key(text: str) -> str:
    return name_key(text)


# ---------------------------------------------------------------------------------- countries
# (here rather than in filters, which uses the p-codes: one direction between the two modules)


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], tuple[str, ...]]:
    """Lookup key (folded name, alias, ISO2, ISO3) → ACLED country name; and all names."""
    keys: dict[str, str] = {}
    names: list[str] = []
    path = resources.files("sahelwatch.data").joinpath("gazetteer", "countries.tsv")
    with io.StringIO(path.read_text(encoding="utf-8"), newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            names.append(r["name"])
            for k in [r["name"], r["iso2"], r["iso3"], *[a for a in r["aliases"].split("|") if a]]:
                keys.setdefault(name_key(k), r["name"])
    return keys, tuple(names)


def country_name(value: str) -> str | None:
    """ACLED's name of a country given by name, alias, ISO alpha-2 or alpha-3 (None if unknown)."""
    return _countries()[0].get(name_key(value))


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    data = resources.files("sahelwatch.data")
    adm1: dict[tuple[str, str], str] = {}  # (country, key(name)) -> pcode
    adm2: dict[tuple[str, str], str] = {}  # (admin1 pcode, key(name)) -> pcode
    names: dict[str, tuple[int, str]] = {}  # pcode -> (level, name)
    rows = []
    text = data.joinpath("pcodes", "pcodes_adm1_adm2_ML_BF_NE.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    iso3_name: dict[str, str] = {}
    for r in rows:
        code, level, name = r["P-Code"], int(r["Admin Level"]), r["Name"]
        names[code] = (level, name)
        if level == 1:
            country = iso3_name.setdefault(r["Location"], country_name(r["Location"]) or r["Location"])
            adm1[(country, _key(name))] = code
    for r in rows:
        if int(r["Admin Level"]) == 2:
            adm2[(r["Parent P-Code"], _key(r["Name"]))] = r["P-Code"]
    aliases: dict[str, list[str]] = {}
    try:
        with data.joinpath("gazetteer", "admin_aliases.yaml").open("r", encoding="utf-8") as fh:
            table = yaml.safe_load(fh) or {}
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        table = {}
    for iso2, units in table.items():
        country = country_name(str(iso2)) or str(iso2)
        for canonical, others in (units or {}).items():
            for other in others or []:
                aliases.setdefault(f"{country}\x1f{_key(canonical)}", []).append(other)
                for (c, k), code in list(adm1.items()):
                    if c == country and k == _key(canonical):
                        adm1.setdefault((country, _key(other)), code)
                for (p, k), code in list(adm2.items()):
                    if k == _key(canonical) and names[p][1] and p[:2] == code[:2]:
                        adm2.setdefault((p, _key(other)), code)
    return {"adm1": adm1, "adm2": adm2, "names": names, "aliases": aliases}


def pcodes_for(
    country: str | None, admin1: str | None, admin2: str | None = None
) -> tuple[str | None, str | None]:
    """(admin1 p-code, admin2 p-code) of a unit, None where unknown."""
    if not country or not admin1:
        return None, None
    t = _tables()
    p1 = t["adm1"].get((country, _key(admin1)))
    if p1 is None:
        return None, None
    p2 = t["adm2"].get((p1, _key(admin2))) if admin2 else None
    return p1, p2


def add_pcodes(df: pd.DataFrame) -> pd.DataFrame:
    """``admin1_pcode`` and ``admin2_pcode`` columns for a frame with country, admin1, admin2."""
    if not len(df):
        for c in PCODE_COLUMNS:
            df[c] = pd.Series([], dtype=object)
        return df
    keys = list(zip(df["country"], df["admin1"], df["admin2"]))
    memo = {k: pcodes_for(*[None if (v is None or v != v) else v for v in k]) for k in set(keys)}
    df["admin1_pcode"] = [memo[k][0] for k in keys]
    df["admin2_pcode"] = [memo[k][1] for k in keys]
    return df


def admin_names_for(level: str, code: str) -> list[str]:
    """The names an admin p-code stands for at ``level`` ('admin1' or 'admin2'): the OCHA name and
    its known spellings; [] when ``code`` is not a p-code of that level."""
    t = _tables()
    found = t["names"].get(code.strip().upper())
    if found is None or f"admin{found[0]}" != level:
        return []
    name = found[1]
    out = [name]
    for k, others in t["aliases"].items():
        if k.split("\x1f", 1)[1] == _key(name):
            out.extend(others)
    return list(dict.fromkeys(out))
