"""Issue 5 on real data: Burkina Faso events (ACLED sample, no coordinates) against the national roads.

    .venv/bin/python evaluation/eval_access_burkina.py [--out DIR] [--buffer-km 3] [--window-days 30]

Reads ../shared (never copied into the repository): the ACLED Burkina Faso file (4,999 events,
2019-09-24 … 2022-09-23, no coordinates, no notes) is imported into a temporary store, its events
placed by the gazetteer from their location/admin names, linked to the national road segments and
run through the access model. Prints a plain-language summary with figures and limits; writes the
weekly timeline (CSV), the danger layer (GeoJSON) and two maps (PNG) to --out (default
/tmp/sahelwatch_eval_access, outside the repository: they are derived from ACLED rows).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
ACLED = SHARED / "data/acled/acled_burkina_2019_2022_no_actors_no_coords.csv"
ROADS = SHARED / "data/roads/burkina_faso_roads.geojson"
SINCE, UNTIL = "2019-10-01", "2022-09-23"


def runs(flags: np.ndarray) -> int:
    """Longest run of True."""
    best = cur = 0
    for f in flags:
        cur = cur + 1 if f else 0
        best = max(best, cur)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/sahelwatch_eval_access"))
    ap.add_argument("--buffer-km", type=float, default=3.0)
    ap.add_argument("--window-days", type=int, default=30)
    ap.add_argument("--no-sensitivity", action="store_true")
    ap.add_argument("--json", type=Path, help="write the key figures here (for evaluation/run_all.py)")
    a = ap.parse_args(argv)
    if not ACLED.exists() or not ROADS.exists():
        print(f"skip: {ACLED} or {ROADS} is missing")
        if a.json:
            a.json.write_text(json.dumps({"skipped": True}))
        return 0
    import sahelwatch
    from sahelwatch import figures
    from sahelwatch.analysis import access as ac
    from sahelwatch.analysis.roads import read_roads
    from sahelwatch.gazetteer import Gazetteer
    from sahelwatch.ingest.acled import import_acled

    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = sahelwatch.open(str(Path(tmp) / "bf.db"))
        rep = import_acled(store, ACLED)
        events = store.events(countries=["Burkina Faso"])
    print(f"== Burkina Faso access evaluation (sahelwatch {sahelwatch.__version__})")
    print(
        f"events imported: {len(events)} ({events['event_date'].min().date()} … {events['event_date'].max().date()});"
        f" rejected {len(getattr(rep, 'rejected', []) or [])}"
    )
    per_q = events["event_date"].dt.to_period("Q").value_counts().sort_index()
    print(
        "events per quarter (the sample thins out going back in time): "
        + ", ".join(f"{q} {v}" for q, v in per_q.items())
    )

    # 1. geocoding ---------------------------------------------------------------------------
    gz = Gazetteer.load()
    ev = ac.geocode_events(events, gz)
    g = ev.attrs["geocoding"]
    n = g["needed"]
    print(f"\n-- geocoding (no coordinates in the file): {g['placed']}/{n} placed ({g['placed'] / n:.1%})")
    labels = {
        "location": "location name found (precision 1)",
        "location~": "location by close spelling within its admin1 (precision 1)",
        "admin3": "unknown location -> admin3 seat (precision 2)",
        "admin2": "unknown location -> admin2 seat (precision 2)",
        "admin1": "admin1 seat (precision 3: never snapped)",
        "country": "country (precision 3)",
    }
    for k, v in sorted(g["by_level"].items(), key=lambda kv: -kv[1]):
        print(f"   {v:5d} ({v / n:5.1%})  {labels.get(k, k)}")

    # 2. roads ---------------------------------------------------------------------------------
    net = read_roads(ROADS)
    print("\n-- road network\n   " + net.report.summary().replace("\n", "\n   "))

    # 3. events to roads -------------------------------------------------------------------------
    towns = ac.towns_from_gazetteer("Burkina Faso", 10_000, gz)
    ev = ac.mark_road_related(ev)
    ev = ac.snap_events(ev, net, buffer_km=a.buffer_km, towns=towns)
    inc = ac.incident_mask(ev)
    snapped_inc = int((inc & (ev["snap"] == "snapped")).sum())
    print(f"\n-- events to roads (buffer {a.buffer_km:g} km)")
    for k, v in ev.attrs["snapping"].items():
        print(f"   {v:5d} {k}")
    print(
        f"   road-related: {int(ev['road_related'].sum())} "
        f"({ev['road_basis'].value_counts().to_dict()}); incidents on roads (violence or road-related, snapped): "
        f"{snapped_inc}"
    )

    # 4. access model and timeline ---------------------------------------------------------------
    model = ac.AccessModel(net, towns, k=3, capital_routes="regional")  # capital → the 12 regional capitals
    t1 = time.perf_counter()
    tl = model.timeline(ev, since=SINCE, until=UNTIL, window_days=a.window_days)
    t_tl = time.perf_counter() - t1
    weeks = tl["week_end"].nunique()
    print(
        f"\n-- weekly isolation timeline: {model.towns['attached'].sum()} towns of 10,000+ on the network "
        f"(of {len(towns)}; off-network: {', '.join(model.unattached['name']) or 'none'}) x {weeks} ACLED weeks "
        f"in {t_tl:.1f} s; window {a.window_days} days"
    )
    tl.drop(columns=["town_idx"]).to_csv(a.out / "timeline_towns.csv", index=False)

    def town_story(name: str) -> pd.DataFrame:
        t = tl[tl["town"] == name].copy()
        t["year"] = t["week_end"].dt.year
        yearly = t.groupby("year").agg(
            weeks=("level", "size"),
            open=("level", lambda s: (s == "open").mean()),
            disrupted=("level", lambda s: (s == "disrupted").mean()),
            cut_off=("level", lambda s: (s == "cut off").mean()),
            mean_index=("isolation_index", "mean"),
        )
        return t, yearly

    # Djibo
    dj, djy = town_story("Djibo")
    cut = dj["level"].eq("cut off").to_numpy()
    first_cut = dj.loc[dj["level"].eq("cut off"), "week_end"].min()
    print("\n-- Djibo (Soum, Sahel): routes to Ouagadougou (capital) and its 3 nearest towns of 10,000+")
    print(
        "   "
        + ", ".join(
            f"{r.dest} {r.base_m / 1000:.0f} km"
            for r in model.routes[model.routes["town"] == "Djibo"].itertuples()
        )
    )
    print(djy.to_string(float_format=lambda x: f"{x:.2f}").replace("\n", "\n   "))
    print(
        f"   cut off {cut.sum()}/{len(cut)} weeks ({cut.mean():.0%}); first cut-off week ending "
        f"{first_cut.date() if pd.notna(first_cut) else '-'}; longest run {runs(cut)} weeks"
    )
    dj_m = dj.set_index("week_end")["isolation_index"].resample("QE").mean()
    print(
        "   quarterly mean isolation: " + ", ".join(f"{i.year}Q{i.quarter} {v:.2f}" for i, v in dj_m.items())
    )

    # Ouagadougou
    og, ogy = town_story("Ouagadougou")
    print("\n-- Ouagadougou: routes to the 12 regional capitals")
    print(ogy.to_string(float_format=lambda x: f"{x:.2f}").replace("\n", "\n   "))
    rows = []
    for _ws, we in ac.acled_weeks(SINCE, UNTIL):
        hit = model.hit_segments(ev, we, a.window_days)
        rs = model.route_status(hit)
        rs = rs[rs["town"] == "Ouagadougou"]
        rows.append(rs.assign(week_end=we))
    og_routes = pd.concat(rows)
    per_route = og_routes.groupby("dest").agg(
        base_km=("base_m", lambda x: x.iloc[0] / 1000),
        weeks_hit=("hit", "mean"),
        weeks_cut=("cut", "mean"),
        median_detour_when_hit=("detour", lambda d: d[np.isfinite(d) & (d > 1)].median()),
    )
    per_route = per_route.sort_values("weeks_hit", ascending=False)
    print(
        "   share of weeks each corridor out of the capital was hit / cut (no path left without hit segments):"
    )
    print(per_route.to_string(float_format=lambda x: f"{x:.2f}").replace("\n", "\n   "))
    # hits near the capital: corridor-weeks whose hit segments include one within 50 km of the city
    import geopandas as gpd

    cap = model.towns.loc[model.capital_idx]
    cpt = gpd.GeoSeries(gpd.points_from_xy([cap["lon"]], [cap["lat"]]), crs=4326).to_crs(net.crs).iloc[0]
    near = set(net.segments.loc[net.segments.distance(cpt) <= 50_000, "seg_id"].astype(int))
    hit_rows = og_routes[og_routes["hit"]]
    near_share = hit_rows["hit_segments"].map(lambda s: bool(set(s) & near)).mean() if len(hit_rows) else 0.0
    print(f"   of the corridor-weeks hit, {near_share:.0%} had a hit segment within 50 km of the capital")
    og_by_year = (
        og_routes.assign(year=og_routes["week_end"].dt.year)
        .groupby("year")
        .agg(corridors_hit=("hit", "mean"), corridors_cut=("cut", "mean"))
    )
    print(
        "   mean share of corridors hit / cut per week, by year: "
        + "; ".join(f"{y}: {r.corridors_hit:.0%} / {r.corridors_cut:.0%}" for y, r in og_by_year.iterrows())
    )

    # all towns
    by_town = tl.groupby("town").agg(
        mean_index=("isolation_index", "mean"),
        weeks_cut_off=("level", lambda s: (s == "cut off").mean()),
        weeks_disrupted=("level", lambda s: (s == "disrupted").mean()),
    )
    by_town = by_town.sort_values("mean_index", ascending=False)
    print("\n-- most isolated towns (mean index over the period; share of weeks cut off / disrupted)")
    print(by_town.head(10).to_string(float_format=lambda x: f"{x:.2f}").replace("\n", "\n   "))

    # 5. roads ---------------------------------------------------------------------------------
    danger = ac.segment_danger(net, ev, since=SINCE, until=UNTIL)
    top = ac.dangerous_stretches(danger, 10)
    print("\n-- most dangerous stretches (incidents per km, lengths below 10 km counted as 10 km)")
    print(
        top[
            [
                "rank",
                "stretch",
                "length_km",
                "incidents",
                "road_related",
                "fatalities",
                "per_100km_month",
                "last_incident",
            ]
        ].to_string(index=False, float_format=lambda x: f"{x:.2f}")
    )
    roads_sum = ac.road_summary(ac.road_rates(net, ev, since=SINCE, until=UNTIL))
    print("\n-- roads by incidents per 100 km per month")
    print(roads_sum.head(8).to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    layer = danger.copy()
    for c in ("first_incident", "last_incident"):
        layer[c] = layer[c].dt.strftime("%Y-%m-%d")
    layer.to_file(a.out / "danger_layer.geojson", driver="GeoJSON")
    day = pd.Timestamp("2022-06-30")
    hit = model.hit_segments(ev, day, a.window_days)
    st = model.status(ev, on=day, window_days=a.window_days)
    figures.draw(
        ac.danger_layer(danger, model, st, [ac.resolve_town("Djibo", model.towns)], hit),
        a.out / "djibo_2022-06-30.png",
        kind="access",
        title=f"Djibo's access routes, {a.window_days} days to 2022-06-30; roads by incidents 2019-2022",
    )
    figures.draw(
        ac.danger_layer(danger, model, st, [ac.resolve_town("Ouagadougou", model.towns)], hit),
        a.out / "ouagadougou_2022-06-30.png",
        kind="access",
        title="Ouagadougou's corridors to the regional capitals, 2022-06-30",
    )

    # 6. sensitivity ---------------------------------------------------------------------------
    if not a.no_sensitivity:
        print("\n-- sensitivity of Djibo's share of weeks cut off / Ouagadougou's mean index")
        for buf in (2.0, 5.0):
            e2 = ac.snap_events(
                ev.drop(columns=["seg_id", "road_ref", "road_distance_m", "snap"]),
                net,
                buffer_km=buf,
                towns=towns,
            )
            t2 = model.timeline(
                e2, since=SINCE, until=UNTIL, window_days=a.window_days, towns=["Djibo", "Ouagadougou"]
            )
            print(
                f"   buffer {buf:g} km: Djibo {t2[t2.town == 'Djibo']['level'].eq('cut off').mean():.0%}, "
                f"Ouagadougou {t2[t2.town == 'Ouagadougou']['isolation_index'].mean():.2f}"
            )
        e3 = ac.snap_events(
            ev.drop(columns=["seg_id", "road_ref", "road_distance_m", "snap"]),
            net,
            buffer_km=a.buffer_km,
            towns=None,
        )
        t3 = model.timeline(
            e3, since=SINCE, until=UNTIL, window_days=a.window_days, towns=["Djibo", "Ouagadougou"]
        )
        print(
            f"   town-centre events also snapped: Djibo {t3[t3.town == 'Djibo']['level'].eq('cut off').mean():.0%}, "
            f"Ouagadougou {t3[t3.town == 'Ouagadougou']['isolation_index'].mean():.2f}"
        )
        for wd in (14, 60):
            t4 = model.timeline(ev, since=SINCE, until=UNTIL, window_days=wd, towns=["Djibo", "Ouagadougou"])
            print(
                f"   window {wd} days: Djibo {t4[t4.town == 'Djibo']['level'].eq('cut off').mean():.0%}, "
                f"Ouagadougou {t4[t4.town == 'Ouagadougou']['isolation_index'].mean():.2f}"
            )

    if a.json:
        metrics = {
            "events": int(len(events)),
            "geocoded_share": round(g["placed"] / n, 4),
            "geocoded_precision1_share": round(
                (g["by_level"].get("location", 0) + g["by_level"].get("location~", 0)) / n, 4
            ),
            "geocoded_fuzzy_share": round(g["by_level"].get("location~", 0) / n, 4),
            "snapped_events": int(ev.attrs["snapping"].get("snapped", 0)),
            "in_town_events": int(ev.attrs["snapping"].get("in town", 0)),
            "road_related_events": int(ev["road_related"].sum()),
            "network_segments": int(net.report.segments),
            "network_components": len(net.report.components),
            "network_skipped": int(net.report.n_skipped),
            "towns_on_network": int(model.towns["attached"].sum()),
            "timeline_weeks": int(weeks),
            "timeline_seconds": round(t_tl, 3),
            "djibo_weeks_cut_off_share": round(float(cut.mean()), 4),
            "djibo_2022_cut_off_share": round(float(djy.loc[2022, "cut_off"]), 4)
            if 2022 in djy.index
            else None,
            "ouagadougou_weeks_cut_off_share": round(float(og["level"].eq("cut off").mean()), 4),
            "ouagadougou_corridor_weeks_hit_share": round(float(og_routes["hit"].mean()), 4),
            "top_stretch": str(top.loc[0, "stretch"]) if len(top) else None,
        }
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(metrics, indent=1, ensure_ascii=False))

    # 7. summary ---------------------------------------------------------------------------------
    y22 = djy.loc[2022] if 2022 in djy.index else None
    worst = per_route.index[0]
    print(f"""
== In plain words
* {g["placed"] / n:.0%} of the {n} events could be placed from their names: {
        g["by_level"].get("location", 0) + g["by_level"].get("location~", 0)
    } at the named place, the rest at the seat of their admin3/admin2
  (precision 2). {ev.attrs["snapping"].get("snapped", 0)} events lie within {
        a.buffer_km:g} km of a national road;
  {ev.attrs["snapping"].get("in town", 0)} sit on a town's centre point and are not assigned to any road.
* Djibo: its road links to {
        ", ".join(model.routes.loc[model.routes["town"] == "Djibo", "dest"])
    } were cut (every route crossing a
  segment with an incident in the previous {a.window_days} days) in {
        cut.mean():.0%} of the weeks from October 2019 to
  September 2022{
        f", and in {y22['cut_off']:.0%} of the weeks of 2022" if y22 is not None else ""
    }; the longest unbroken
  run was {runs(cut)} weeks. This is consistent in direction with the blockade reported on the town in 2022
  (an outside report, not in this data); it is an inference from incidents near the roads, not an
  observation of traffic.
* Ouagadougou was at level 'cut off' in {og["level"].eq("cut off").mean():.0%} of the weeks and 'disrupted' in
  {og["level"].eq("disrupted").mean():.0%} ({ogy["disrupted"].iloc[-1]:.0%} in {
        ogy.index[-1]
    }): its corridors to the regional
  capitals were hit in {og_routes["hit"].mean():.0%} of corridor-weeks and had no intact alternative in
  {og_routes["cut"].mean():.0%}; the corridor hit most often was the one to {worst} ({
        per_route.loc[worst, "weeks_hit"]:.0%}
  of weeks); {
        near_share:.0%} of the corridor hits involved a segment within 50 km of the city, the rest lie far out.
* The most dangerous stretch per km was {top.loc[0, "stretch"]} ({top.loc[0, "incidents"]} incidents on
  {top.loc[0, "length_km"]:.1f} km).
Limits: the file is a sample (the latest 4,999 events of an API page, not every event of the period; earlier
months are thinner), without coordinates or notes: places come from names (a wrong homonym moves an event), road
words can only come from location names and the IED sub-event type; an event within {
        a.buffer_km:g} km of a road is
counted on the nearest segment whether or not it happened on the road; the national network has no secondary roads
or tracks, so a 'cut' town may still be reachable by tracks, and detours are along national roads only; a route
counts as cut when every path crosses a segment with at least one incident in the window, which says danger, not
closure. Sensitivity figures above show how much the buffer, the window and the in-town rule move the answer.
(total {time.perf_counter() - t0:.0f} s; outputs in {a.out})""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
