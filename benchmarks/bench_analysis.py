"""Speed of the analyses against the number of events (synthetic events, no ../shared data).

    .venv/bin/python benchmarks/bench_analysis.py            # 2,000 and 20,000 events
    .venv/bin/python benchmarks/bench_analysis.py --sizes 2000 20000 200000
    .venv/bin/python benchmarks/bench_analysis.py --validate   # planted-truth precision/recall/accuracy

Events are spread over a 10° x 6° box of the Sahel (about 240 PRIO-GRID cells) over two years, with
planted clusters (hotspots.synthetic_clusters) and three armed groups. Prints seconds per analysis and
size, and the time ratio between the largest and the smallest size (the event ratio is printed too).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from sahelwatch.analysis import alerts as A
from sahelwatch.analysis import hotspots as H
from sahelwatch.analysis import influence as I
from sahelwatch.analysis.units import cube


def make(n: int, seed: int = 0):
    per = 40
    k = max(1, n // 20 // per)
    df = H.synthetic_clusters(n_clusters=k, per_cluster=per, n_noise=n - k * per, seed=seed)
    rng = np.random.default_rng(seed)
    df["actor1"] = rng.choice(["Group A", "Group B", "Group C"], size=len(df))
    df["admin1"] = np.where(df["longitude"] < -1, "West", "East")
    df["admin2"] = (
        "D"
        + ((df["latitude"] - 12) // 1).astype(int).astype(str)
        + ((df["longitude"] + 6) // 2).astype(int).astype(str)
    )
    df["location"] = "Place"
    return df


ANALYSES = {
    "cube priogrid x month x actor": lambda d: cube(d, "priogrid", "month", by=("actor",)),
    "gi_star priogrid 999 perm": lambda d: H.gi_star(d, "priogrid"),
    "emerging priogrid x month": lambda d: H.emerging_hotspots(d, "priogrid", "month"),
    "st_dbscan 25 km 20 d": lambda d: H.st_clusters(d, eps_km=25, eps_days=20, min_samples=10),
    "influence 40 km": lambda d: I.influence(d),
    "alerts admin2": lambda d: A.alerts(d, "admin2"),
}


def validate(seeds: int = 10) -> None:
    """Planted-truth figures: clusters in noise (ST-DBSCAN, HDBSCAN) and territories with known borders."""
    runs = (
        ("stdbscan", 1500, {"min_samples": 10}),
        ("hdbscan", 1500, {"min_samples": 15, "min_cluster_size": 30}),
        ("stdbscan", 4000, {"min_samples": 10}),
    )
    for method, n_noise, params in runs:
        scores, secs = [], []
        for s in range(seeds):
            df = H.synthetic_clusters(seed=s, n_noise=n_noise)
            t = time.perf_counter()
            _, lab = H.st_clusters(df, method=method, eps_km=25, eps_days=20, return_labels=True, **params)
            secs.append(time.perf_counter() - t)
            scores.append(H.score_clusters(df["truth"], lab))
        m = {
            k: np.mean([x[k] for x in scores])
            for k in ("precision", "recall", "event_precision", "event_recall")
        }
        lo = {k: np.min([x[k] for x in scores]) for k in ("precision", "recall")}
        print(
            f"clusters {method:8s} {params} ({seeds} seeds, 8 clusters x 40 events in {n_noise:,} noise events): "
            f"precision {m['precision']:.3f} (min {lo['precision']:.3f}), recall {m['recall']:.3f} (min {lo['recall']:.3f}), "
            f"event precision {m['event_precision']:.3f}, event recall {m['event_recall']:.3f}, "
            f"{np.mean(secs):.2f} s/run"
        )
    for noise, density in ((0.15, (1, 1, 1)), (0.3, (1, 1, 1)), (0.15, (3, 1, 1))):
        acc = []
        for s in range(seeds):
            ev, owner = I.synthetic_territories(seed=s, noise=noise, density=density)
            acc.append(I.territory_accuracy(I.influence(ev), owner))
        print(
            f"territories noise {noise:.2f} density {density} ({seeds} seeds, 3 groups, ~{len(ev)} events): dominant actor right in "
            f"{np.mean([a['accuracy_all_active_cells'] for a in acc]):.3f} of active cells "
            f"(min {np.min([a['accuracy_all_active_cells'] for a in acc]):.3f}), "
            f"{np.mean([a['accuracy_dominant_cells'] for a in acc]):.3f} of uncontested cells; "
            f"{np.mean([a['contested'] for a in acc]):.1f} contested of {np.mean([a['active'] for a in acc]):.0f} active"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument(
        "--validate", action="store_true", help="print the planted-truth validation figures instead"
    )
    args = ap.parse_args()
    if args.validate:
        validate()
        return
    data = {n: make(n) for n in args.sizes}
    for f in ANALYSES.values():  # warm up imports
        f(data[args.sizes[0]])
    print(
        f"{'analysis':32s}" + "".join(f"{n:>12,d}" for n in args.sizes) + "   time ratio (events x"
        f"{args.sizes[-1] / args.sizes[0]:.0f})"
    )
    for name, f in ANALYSES.items():
        ts = []
        for n in args.sizes:
            t = time.perf_counter()
            f(data[n])
            ts.append(time.perf_counter() - t)
        print(f"{name:32s}" + "".join(f"{t:12.2f}" for t in ts) + f"   {ts[-1] / ts[0]:.1f}")


if __name__ == "__main__":
    main()
