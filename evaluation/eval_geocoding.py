#!/usr/bin/env python
"""Evaluate the gazetteer and toponym resolution against ACLED files in ../shared (evaluation only).

    .venv/bin/python evaluation/eval_geocoding.py [--shared ../shared] [--json evaluation/output/geocoding.json]

(a) Burkina Faso file (names, no coordinates): share of rows geocoded, by precision level.
(b) Mali file: geocode each event from its location + admin names and compare with ACLED's coordinates
    (share within 10 km / 25 km); admin_names(ACLED's point) against ACLED's admin1/admin2.
(c) Toponym resolution on the Mali notes: the event location resolved from the note text alone
    (country focus Mali) within 10 km of ACLED's point for geo_precision-1 events; admin1 agreement.
(d) ACLED's admin names found in the gazetteer's admin table (exact after folding / spelling variants).
Targets (issue 3 §5): (c) >= 0.85 within 10 km, admin1 >= 0.95.
Nothing from the ACLED files is written except aggregate figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sahelwatch.gazetteer import Gazetteer, admin_key, admin_match, haversine_km  # noqa: E402

TARGETS = {"notes_within_10km_p1": 0.85, "notes_admin1_match": 0.95}


def _same(a, b) -> bool:
    if (
        a is None
        or b is None
        or (isinstance(a, float) and np.isnan(a))
        or (isinstance(b, float) and np.isnan(b))
    ):
        return False
    return admin_key(str(a)) == admin_key(str(b))


def _s(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x)


def eval_burkina(gz: Gazetteer, path: Path) -> dict:
    df = pd.read_csv(path)
    levels = Counter()
    precision = Counter()
    consistent = Counter()
    t = time.perf_counter()
    for r in df.itertuples(index=False):
        g = gz.geocode(r.country, _s(r.admin1), _s(r.admin2), _s(r.admin3), _s(r.location))
        if g is None:
            levels["none"] += 1
            precision["none"] += 1
        else:
            levels[g.matched_level] += 1
            precision[str(g.geo_precision)] += 1
            if g.matched_level.startswith("location"):
                # no coordinates to compare with: check that the point falls in the row's own units
                a1, a2, a3 = gz.admin_names(g.latitude, g.longitude, country="BF")
                consistent["n"] += 1
                consistent["admin1"] += _same(a1, r.admin1)
                consistent["admin2"] += _same(a2, r.admin2)
                consistent["admin3"] += _same(a3, r.admin3)
                consistent["admin3_variants"] += admin_match(a3, _s(r.admin3))
    n = len(df)
    cn = max(consistent["n"], 1)
    return {
        "rows": n,
        "seconds": round(time.perf_counter() - t, 2),
        "geocoded": round(1 - levels["none"] / n, 4),
        "by_precision": {k: round(v / n, 4) for k, v in sorted(precision.items())},
        "by_matched_level": {k: round(v / n, 4) for k, v in sorted(levels.items())},
        "location_point_in_row_admin1": round(consistent["admin1"] / cn, 4),
        "location_point_in_row_admin2": round(consistent["admin2"] / cn, 4),
        "location_point_in_row_admin3": round(consistent["admin3"] / cn, 4),
        "location_point_in_row_admin3_spelling_variants_allowed": round(
            consistent["admin3_variants"] / cn, 4
        ),
    }


def eval_admin_names(gz: Gazetteer, frames: dict[str, pd.DataFrame]) -> dict:
    """Share of ACLED's distinct admin names (and of rows) found in the gazetteer's admin table:
    exactly (after folding and unit words) and allowing spelling variants (admin_match)."""
    out = {}
    for cc, df in frames.items():
        for level, col in ((1, "admin1"), (2, "admin2"), (3, "admin3")):
            units = [u for u in gz.admins if u.country_code == cc and u.level == level]
            if not units:
                continue
            keys = {admin_key(n) for u in units for n in (u.name, *u.aliases)}
            names = df[col].dropna().astype(str)
            distinct = names.unique()
            exact = {n for n in distinct if admin_key(n) in keys}
            loose = {n for n in distinct if n in exact or any(admin_match(n, u.name) for u in units)}
            out[f"{cc}_{col}"] = {
                "distinct": len(distinct),
                "exact": len(exact),
                "with_variants": len(loose),
                "rows_exact": round(float(names.isin(exact).mean()), 4),
                "rows_with_variants": round(float(names.isin(loose).mean()), 4),
            }
    return out


def mali_events(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path)
    return raw.groupby("event_id_cnty", sort=False).nth(0).reset_index(drop=True)


def eval_mali_geocode(gz: Gazetteer, ev: pd.DataFrame) -> dict:
    d, lvl = [], Counter()
    a1_ok = a2_ok = 0
    for r in ev.itertuples(index=False):
        g = gz.geocode("Mali", _s(r.admin1), _s(r.admin2), _s(r.admin3), _s(r.location))
        if g is None:
            d.append(np.inf)
            lvl["none"] += 1
        else:
            d.append(float(haversine_km(g.latitude, g.longitude, r.latitude, r.longitude)))
            lvl[g.matched_level] += 1
        a1, a2, _ = gz.admin_names(r.latitude, r.longitude, country="ML")
        a1_ok += _same(a1, r.admin1)
        a2_ok += _same(a2, r.admin2)
    d = np.array(d)
    n = len(ev)
    return {
        "events": n,
        "geocode_within_10km": round(float((d <= 10).mean()), 4),
        "geocode_within_25km": round(float((d <= 25).mean()), 4),
        "geocode_median_km": round(float(np.median(d[np.isfinite(d)])), 2) if np.isfinite(d).any() else None,
        "geocode_by_matched_level": {k: round(v / n, 4) for k, v in sorted(lvl.items())},
        "admin_names_of_acled_point_admin1_match": round(a1_ok / n, 4),
        "admin_names_of_acled_point_admin2_match": round(a2_ok / n, 4),
    }


def eval_mali_notes(ev: pd.DataFrame) -> dict:
    from sahelwatch.extract.places import event_location, resolve_places

    n = len(ev)
    found = within = p1 = 0
    within_all = 0
    a1_ok = a1_den = 0
    t = time.perf_counter()
    for r in ev.itertuples(index=False):
        mentions = resolve_places(str(r.notes), country_focus="Mali")
        m = event_location(mentions, country_focus="Mali", text=str(r.notes))
        if m is None:
            if r.geo_precision == 1:
                p1 += 1
            a1_den += 1
            continue
        found += 1
        dist = float(haversine_km(m.latitude, m.longitude, r.latitude, r.longitude))
        within_all += dist <= 10
        if r.geo_precision == 1:
            p1 += 1
            within += dist <= 10
        a1_den += 1
        a1_ok += _same(m.admin1, r.admin1)
    secs = time.perf_counter() - t
    return {
        "events": n,
        "resolved": round(found / n, 4),
        "notes_within_10km_p1": round(within / max(p1, 1), 4),
        "notes_within_10km_all": round(within_all / n, 4),
        "notes_admin1_match": round(a1_ok / max(a1_den, 1), 4),
        "notes_admin1_match_when_resolved": round(a1_ok / max(found, 1), 4),
        "geo_precision_1_events": p1,
        "seconds": round(secs, 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", type=Path, default=ROOT / "evaluation/output/geocoding.json")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: a,b,c,d")
    args = ap.parse_args(argv)
    acled = args.shared / "data/acled"
    if not acled.exists():
        print(f"{acled} not found: nothing to evaluate", file=sys.stderr)
        return 0
    t = time.perf_counter()
    gz = Gazetteer.load()
    res: dict = {"load_seconds": round(time.perf_counter() - t, 2)}
    skip = set(args.skip.split(","))
    if "a" not in skip:
        res["burkina_geocode"] = eval_burkina(gz, acled / "acled_burkina_2019_2022_no_actors_no_coords.csv")
    ev = mali_events(acled / "acled_mali_2017_2019_monadic.csv")
    if "d" not in skip:
        res["admin_name_coverage"] = eval_admin_names(
            gz, {"ML": ev, "BF": pd.read_csv(acled / "acled_burkina_2019_2022_no_actors_no_coords.csv")}
        )
    if "b" not in skip:
        res["mali_geocode"] = eval_mali_geocode(gz, ev)
    if "c" not in skip:
        res["mali_notes"] = eval_mali_notes(ev)
        res["targets"] = {
            k: {"target": v, "value": res["mali_notes"][k], "met": res["mali_notes"][k] >= v}
            for k, v in TARGETS.items()
        }
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Geocoding evaluation")
    table.add_column("part")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for part, vals in res.items():
        if not isinstance(vals, dict):
            table.add_row("", part, str(vals))
            continue
        for k, v in vals.items():
            table.add_row(part, k, json.dumps(v) if isinstance(v, dict) else str(v))
    Console().print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
