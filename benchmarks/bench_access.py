"""Speed of the access analysis (issue 5): weekly isolation timeline of every Burkina Faso town of
10,000+ people over three years, as a ratio to one shortest-path pass.

    .venv/bin/python benchmarks/bench_access.py [--repeat 3] [--naive-weeks 20]

Uses ../shared's national roads and, when present, the ACLED Burkina Faso events geocoded by the
gazetteer; without them, synthetic events spread over the same roads (so the script always runs
where the roads file exists). Prints seconds and ratios:

* one single-source Dijkstra (scipy, whole network) and one "base pass" (every town as a source);
* the timeline as the model runs it (Dijkstra only from towns whose base routes cross a hit segment,
  on the network minus the hit segments, cached per distinct hit set);
* a naive timeline: every town, every week, networkx single-source Dijkstra on a copy of the graph
  without the hit segments (measured on --naive-weeks weeks, extrapolated to all).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
ROADS = SHARED / "data/roads/burkina_faso_roads.geojson"
ACLED = SHARED / "data/acled/acled_burkina_2019_2022_no_actors_no_coords.csv"
SINCE, UNTIL = "2019-10-01", "2022-09-23"


def _events(net, towns):
    from sahelwatch.analysis import access as ac

    if ACLED.exists():
        raw = pd.read_csv(ACLED)
        raw["event_date"] = pd.to_datetime(raw["event_date"])
        ev = ac.geocode_events(raw)
        ev = ac.mark_road_related(ev)
        return ac.snap_events(ev, net, towns=towns), "ACLED Burkina Faso sample, geocoded"
    rng = np.random.default_rng(5)
    n = 5000
    segs = net.segments_wgs84()
    pick = rng.choice(len(segs), n, p=segs["length_m"] / segs["length_m"].sum())
    pts = segs.geometry.values[pick].interpolate(rng.random(n), normalized=True)
    days = pd.to_datetime(SINCE) + pd.to_timedelta(rng.integers(0, 1088, n), unit="D")
    ev = pd.DataFrame(
        {
            "event_date": days,
            "event_type": "Battles",
            "latitude": [p.y for p in pts],
            "longitude": [p.x for p in pts],
            "geo_precision": 1,
        }
    )
    return ac.snap_events(ev, net, towns=towns), "synthetic: 5,000 events on the roads"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--naive-weeks", type=int, default=20)
    a = ap.parse_args(argv)
    if not ROADS.exists():
        print(f"skip: {ROADS} missing")
        return 0
    import networkx as nx

    from sahelwatch.analysis import access as ac
    from sahelwatch.analysis.roads import read_roads

    t = time.perf_counter()
    net = read_roads(ROADS)
    t_read = time.perf_counter() - t
    towns = ac.towns_from_gazetteer("Burkina Faso", 10_000)
    t = time.perf_counter()
    ev, what = _events(net, towns)
    t_events = time.perf_counter() - t
    t = time.perf_counter()
    model = ac.AccessModel(net, towns, k=3)
    t_model = time.perf_counter() - t
    srcs = model.towns.loc[model.towns["attached"], "node"].to_numpy()
    r = model.router

    # one single-source pass and one base pass (all towns), best of repeat
    def best(fn, k=a.repeat):
        ts = []
        for _ in range(k):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        return min(ts)

    t_one = best(lambda: [r.dijkstra([s]) for s in srcs]) / len(srcs)
    t_base = best(lambda: r.dijkstra(srcs))
    weeks = ac.acled_weeks(SINCE, UNTIL)

    def run_timeline():
        model._cache.clear()
        r.n_dijkstra = 0
        return model.timeline(ev, since=SINCE, until=UNTIL, window_days=30)

    t_tl = best(run_timeline)
    tl = run_timeline()
    n_sources = r.n_dijkstra
    n_towns = int(model.towns["attached"].sum())

    # naive: networkx, every town every week on the graph minus the hit segments
    g = net.graph
    inc = ac._incidents(ev)
    sample = weeks[:: max(1, len(weeks) // a.naive_weeks)][: a.naive_weeks]
    t0 = time.perf_counter()
    for _, we in sample:
        hit = model.hit_segments(inc, we, 30)
        h = g.copy()
        h.remove_edges_from([(u, v, k) for u, v, k in g.edges(keys=True) if k in hit])
        for n_ in model.towns.loc[model.towns["attached"], "node"]:
            if n_ in h:
                nx.single_source_dijkstra_path_length(h, int(n_), weight="length_m")
    t_naive = (time.perf_counter() - t0) / len(sample) * len(weeks)

    print(f"== access benchmark ({what}); network {len(net.segments)} segments / {net.report.nodes} nodes")
    print(f"read roads {t_read:.2f} s; model (attach towns, base routes) {t_model:.2f} s")
    print(f"one single-source Dijkstra (scipy):      {t_one * 1e3:8.3f} ms")
    print(f"one base pass ({n_towns} towns as sources):   {t_base * 1e3:8.3f} ms")
    print(
        f"weekly timeline: {n_towns} towns x {len(weeks)} weeks = {len(tl)} rows in {t_tl:.3f} s "
        f"(best of {a.repeat}); Dijkstra sources run {n_sources} of {n_towns * len(weeks)} naive "
        f"({n_sources / (n_towns * len(weeks)):.0%}); distinct hit sets {len(model._cache)}"
    )
    print(f"  ratio to one base pass:              {t_tl / t_base:8.1f}x")
    print(f"  ratio to one single-source Dijkstra: {t_tl / t_one:8.1f}x")
    print(
        f"naive networkx timeline (extrapolated from {len(sample)} weeks): {t_naive:.1f} s "
        f"-> model is {t_naive / t_tl:.0f}x faster"
    )
    print(
        f"end to end (read roads, geocode+snap events {t_events:.1f} s, model, timeline): "
        f"{t_read + t_events + t_model + t_tl:.1f} s"
    )
    print(f"target: < 60 s -> {'OK' if t_tl < 60 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
