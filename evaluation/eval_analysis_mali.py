"""What hot spots, areas of influence and alerts say about the Mali events 2017-2019 (../shared, evaluation only).

    .venv/bin/python evaluation/eval_analysis_mali.py                  # reads the monadic CSV directly
    .venv/bin/python evaluation/eval_analysis_mali.py --db mali.db     # or a store holding the imported file
    .venv/bin/python evaluation/eval_analysis_mali.py --out /tmp/analysis_mali.md

Prints a short plain-language summary with figures and the run time of each analysis. Nothing from the
data is written into the repository (use --out for a file outside it).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sahelwatch.analysis import alerts as A
from sahelwatch.analysis import hotspots as H
from sahelwatch.analysis import influence as I
from sahelwatch.analysis.groups import registry_group_map
from sahelwatch.analysis.units import acled_week, cube

SHARED = Path(os.environ.get("SAHELWATCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
MALI = SHARED / "data" / "acled" / "acled_mali_2017_2019_monadic.csv"


def mali_events(db: str | None = None) -> pd.DataFrame:
    """From a store holding the imported Mali file when ``db`` is given, else straight from the monadic CSV."""
    if db:
        import sahelwatch

        return sahelwatch.open(db).events(countries=["Mali"])
    from evaluation._data import acled_events

    return acled_events(MALI)


JNIM = "JNIM: Group for Support of Islam and Muslims"
ISGS = "Islamic State Sahel"  # the registry's group for "Islamic State (Greater Sahara)" and
# "Islamic State (West Africa) - Greater Sahara Faction", the two ACLED names in this file


def timed(label, fn, timings):
    t = time.perf_counter()
    out = fn()
    timings[label] = time.perf_counter() - t
    return out


def place_names(events: pd.DataFrame, units, unit_col="_gid") -> dict:
    """Most frequent 'location (admin2, admin1)' of the events in each cell."""
    out = {}
    sub = events[events[unit_col].isin(set(units))]
    for u, g in sub.groupby(unit_col):
        loc = g["location"].mode().iloc[0] if g["location"].notna().any() else "?"
        a2 = g["admin2"].mode().iloc[0] if g["admin2"].notna().any() else "?"
        a1 = g["admin1"].mode().iloc[0] if g["admin1"].notna().any() else "?"
        out[u] = f"{loc} ({a2}, {a1})"
    missing = [u for u in units if u not in out]
    if missing:  # cells without events (hot through their neighbours): the nearest event's place
        from sahelwatch.analysis.units import priogrid_centroid

        located = events[events["latitude"].notna()]
        lat, lon = priogrid_centroid(np.asarray(missing, dtype="int64"))
        for u, a, b in zip(missing, lat, lon):
            i = ((located["latitude"] - a) ** 2 + (located["longitude"] - b) ** 2).idxmin()
            r = located.loc[i]
            out[u] = f"empty cell {u}, nearest event at {r['location']} ({r['admin2']}, {r['admin1']})"
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="store holding the imported Mali file (default: read the CSV)")
    ap.add_argument("--week", help="ACLED week for the alerts (default: the deadliest week of 2019)")
    ap.add_argument("--out", type=Path, help="also write the summary to this Markdown file")
    args = ap.parse_args(argv)
    if not args.db and not MALI.exists():
        print(f"skipped: {MALI} not found (../shared is needed for this evaluation)")
        return 0
    timings: dict[str, float] = {}
    timed(
        "import esda, libpysal, scikit-learn, pymannkendall (once)",
        lambda: [__import__(m) for m in ("esda", "libpysal", "sklearn.cluster", "pymannkendall")],
        timings,
    )
    ev = timed("load", lambda: mali_events(args.db), timings)
    from sahelwatch.analysis.units import priogrid_gid

    ev["_gid"] = priogrid_gid(ev["latitude"], ev["longitude"])
    amap = registry_group_map()
    L: list[str] = []
    say = L.append
    say("# Mali 2017-2019: hot spots, areas of influence, alerts\n")
    say(
        f"{len(ev)} events, {int(ev['fatalities'].sum())} deaths, {ev['event_date'].min().date()} to "
        f"{ev['event_date'].max().date()}; {int((ev['geo_precision'] == 3).sum())} events have geo_precision 3.\n"
    )

    # ---- cube
    c = timed(
        "cube (priogrid x month x event_type x actor)",
        lambda: cube(ev, "priogrid", "month", actor_map=amap),
        timings,
    )
    say(
        f"Cube priogrid x month x event type x actor: {len(c)} rows (excluded from cells: {c.attrs['excluded']}).\n"
    )

    # ---- Gi*
    g = timed(
        "hotspots: Gi* (priogrid, 999 permutations)", lambda: H.gi_star(ev, "priogrid", "events"), timings
    )
    hot = g[g["class"].str.startswith("hot")].sort_values("gi_z", ascending=False)
    names = place_names(ev, hot["unit"])
    say("## Hot areas (Gi* on events per PRIO-GRID cell, queen neighbours, FDR)\n")
    say(
        f"{len(hot)} of {len(g)} cells are hot spots ({int((hot.confidence == 99).sum())} at 99%), "
        f"{int(g['class'].str.startswith('cold').sum())} cold spots. The hot cells hold "
        f"{int(hot['events'].sum())} events ({hot['events'].sum() / g['events'].sum():.0%} of located events) and "
        f"{int(hot['fatalities'].sum())} deaths."
    )
    a1 = ev[ev["_gid"].isin(set(hot["unit"]))]["admin1"].value_counts()
    say("Hot-spot events by region: " + ", ".join(f"{k} {v}" for k, v in a1.head(5).items()) + ".")
    say("Strongest hot cells (gid, z, events, deaths, main place):")
    for r in hot.head(6).itertuples():
        say(f"- {r.unit}: z {r.gi_z:.1f}, {r.events} events, {r.fatalities} deaths, {names.get(r.unit, '—')}")
    gf = timed("hotspots: Gi* on fatalities", lambda: H.gi_star(ev, "priogrid", "fatalities"), timings)
    hotf = gf[gf["class"].str.startswith("hot")]
    say(
        f"\nOn deaths instead of events: {len(hotf)} hot cells, "
        f"{len(set(hotf['unit']) & set(hot['unit']))} of them also hot on events.\n"
    )

    e = timed(
        "hotspots: emerging (priogrid x month)", lambda: H.emerging_hotspots(ev, "priogrid", "month"), timings
    )
    pat = e["pattern"].value_counts()
    say("## Emerging hot spots (36 months, space-time Gi*, Mann-Kendall)\n")
    say(
        ", ".join(f"{k}: {v}" for k, v in pat.items() if k != "no pattern detected")
        + f"; {pat.get('no pattern detected', 0)} cells without pattern."
    )
    en = place_names(ev, e.loc[e.pattern != "no pattern detected", "unit"])
    for p in (
        "intensifying hot spot",
        "persistent hot spot",
        "consecutive hot spot",
        "new hot spot",
        "diminishing hot spot",
    ):
        cells = e[e.pattern == p]
        if len(cells):
            say(
                f"- {p}: "
                + "; ".join(
                    en.get(u, str(u)) for u in cells.sort_values("events", ascending=False)["unit"].head(4)
                )
            )
    say("")

    cl = timed(
        "hotspots: ST-DBSCAN clusters (25 km, 20 days, 10 events)",
        lambda: H.st_clusters(ev, eps_km=25, eps_days=20, min_samples=10, actor_map=amap),
        timings,
    )
    say("## Space-time clusters (ST-DBSCAN: 25 km, 20 days, ≥ 10 events)\n")
    say(
        f"{len(cl)} clusters holding {int(cl['events'].sum()) if len(cl) else 0} events; {cl.attrs['noise']} events are noise."
    )
    for r in cl.head(5).itertuples():
        say(
            f"- {r.start} to {r.end}, {r.admin1}: {r.events} events, {r.fatalities} deaths, radius {r.radius_km:.0f} km; "
            f"actors {r.main_actors}"
        )
    say("")

    # ---- influence
    say("## Areas of influence: JNIM and the Islamic State Sahel\n")
    names_in = pd.concat([ev["actor1"], ev["actor2"]]).dropna()
    say(
        "ACLED names in the file: "
        + "; ".join(
            f"{n!r} ({int((names_in == n).sum())})"
            for n in sorted(set(names_in))
            if "Islamic State" in n or n.startswith("JNIM")
        )
        + ". The registry maps both Islamic State names to one group; "
        "the 'JNIM ... and/or Islamic State' events are left out (attribution unknown)."
    )
    inf = timed(
        "influence: all non-state groups (priogrid)", lambda: I.influence(ev, actor_map=amap), timings
    )
    act = inf[inf.status != "no activity"]
    dom = act["dominant"].value_counts()
    say(
        f"\nAll non-state armed groups (inter 2-3, {len(inf.attrs['groups'])} groups), kernel 40 km, half-life 365 days, "
        f"reference {inf.attrs['reference_date']}: {len(act)} active cells, {int(act['contested'].sum())} contested. "
        "Dominant: " + ", ".join(f"{k} {v}" for k, v in dom.head(6).items()) + "."
    )
    two = timed(
        "influence: JNIM vs IS Sahel, no decay",
        lambda: I.influence(ev, actor_map=amap, groups=[JNIM, ISGS], half_life_days=None),
        timings,
    )
    a2 = two[two.status != "no activity"]
    both = a2[(a2[f"share:{JNIM}"] >= 0.2) & (a2[f"share:{ISGS}"] >= 0.2)]
    say(
        f"\nJNIM vs Islamic State Sahel only, all three years without time decay ({two.attrs['events_per_group']}):"
    )
    for grp in (JNIM, ISGS):
        cells = a2[(a2.status == "dominant") & (a2.dominant == grp)]
        evg = ev[ev["_gid"].isin(set(cells["unit"]))]
        regions = evg["admin1"].value_counts().head(3)
        lon = cells["lon"]
        say(
            f"- {grp}: dominant in {len(cells)} cells, longitudes {lon.min():.1f} to {lon.max():.1f}; events in its zone by "
            f"region: " + ", ".join(f"{k} {v}" for k, v in regions.items())
        )
    say(
        f"- overlap: {len(both)} active cells where each group holds ≥ 20% of the activity, "
        f"{int(a2['contested'].sum())} contested (second share ≥ 0.6 × first); overlap cells by region: "
        + ", ".join(
            f"{k} {v}"
            for k, v in ev[ev["_gid"].isin(set(both["unit"]))]["admin1"].value_counts().head(3).items()
        )
    )
    summ, ch = timed(
        "influence: gains and losses per quarter",
        lambda: I.influence_changes(ev, "quarter", actor_map=amap, groups=[JNIM, ISGS], half_life_days=180),
        timings,
    )
    say(
        "\nCells dominated per quarter (half-life 180 days): "
        + "; ".join(
            f"{p}: JNIM {int(s.loc[s.actor == JNIM, 'cells'].sum())}, IS Sahel {int(s.loc[s.actor == ISGS, 'cells'].sum())}, "
            f"contested {int(s['contested_cells'].max()) if len(s) else 0}"
            for p, s in summ.groupby("period")
            if p.endswith("Q4") or p.endswith("Q2")
        )
    )
    for y in (2017, 2018, 2019):
        try:
            yy = I.influence(
                ev[ev.event_date.dt.year == y], actor_map=amap, groups=[JNIM, ISGS], half_life_days=None
            )
        except Exception as exc:  # noqa: BLE001
            say(f"- {y}: {exc}")
            continue
        ay = yy[yy.status != "no activity"]
        bo = ay[(ay[f"share:{JNIM}"] >= 0.2) & (ay[f"share:{ISGS}"] >= 0.2)]
        say(
            f"- {y}: events {yy.attrs['events_per_group']}; JNIM dominant cells {int(((ay.status == 'dominant') & (ay.dominant == JNIM)).sum())}, "
            f"IS Sahel {int(((ay.status == 'dominant') & (ay.dominant == ISGS)).sum())}, overlap (both ≥ 20%) {len(bo)}, contested {int(ay.contested.sum())}"
        )
    say("")

    # ---- alerts
    ev19 = ev[ev.event_date.dt.year == 2019]
    if args.week:
        week = acled_week(args.week)
    else:
        wk = ev19.assign(w=ev19["event_date"].map(acled_week)).groupby("w")["fatalities"].sum()
        week = wk.idxmax()
    al = timed("alerts (admin1)", lambda: A.alerts(ev, "admin1", week, actor_map=amap), timings)
    al2 = timed("alerts (admin2)", lambda: A.alerts(ev, "admin2", week, actor_map=amap), timings)
    wev = ev[(ev.event_date >= week) & (ev.event_date <= week + pd.Timedelta(days=6))]
    say(
        f"## Alerts for the ACLED week of {week.date()} ({'chosen' if args.week else 'the deadliest week of 2019'}: "
        f"{len(wev)} events, {int(wev.fatalities.sum())} deaths)\n"
    )
    say(
        f"admin1: {len(al)} alerts ({', '.join(f'{k} {v}' for k, v in al.kind.value_counts().items())}); "
        f"admin2: {len(al2)} alerts ({', '.join(f'{k} {v}' for k, v in al2.kind.value_counts().items())})."
    )
    for m in pd.concat([al, al2[al2.kind.isin(["surge", "lethality_jump", "emerging_actor"])]])[
        "message"
    ].head(14):
        say(f"- {m}")
    say("\n## Run time on the Mali file (seconds, this machine)\n")
    for k, v in timings.items():
        say(f"- {k}: {v:.2f}")
    text = "\n".join(L)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
