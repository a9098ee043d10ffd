"""Hawkes EM: recovery of a planted 3-actor branching matrix, and fit time/memory from 10k to 1M events.

    .venv/bin/python benchmarks/bench_hawkes.py              # both parts
    .venv/bin/python benchmarks/bench_hawkes.py --part recovery
    .venv/bin/python benchmarks/bench_hawkes.py --part scaling --sizes 10000 100000 1000000

Recovery: simulate (mu, alpha, beta) of a 3-actor process over growing windows, fit by EM with the true
beta, and with beta grid-searched; also with timestamps rounded to days and jittered inside the day
(what the events frame gets).  Errors: max relative error over the non-zero entries of alpha, max
absolute error over its zero entries, relative Frobenius error.

Scaling: fit time (fixed beta, tol 1e-6) and peak traced memory (tracemalloc) per size; ratio of the
time for 100x the events must be <= 120 (near-linear).  Each size runs in a fresh subprocess so that
its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from sahelwatch.analysis import hawkes as hk

MU = np.array([0.5, 0.3, 0.4])
ALPHA = np.array([[0.30, 0.20, 0.00], [0.00, 0.40, 0.10], [0.25, 0.00, 0.20]])
RATE = float(np.linalg.solve(np.eye(3) - ALPHA.T, MU).sum())  # stationary events per day


def errors(est: np.ndarray) -> tuple[float, float, float]:
    nz = ALPHA > 0
    rel = float((np.abs(est[nz] - ALPHA[nz]) / ALPHA[nz]).max())
    zero = float(np.abs(est[~nz]).max())
    fro = float(np.linalg.norm(est - ALPHA) / np.linalg.norm(ALPHA))
    return rel, zero, fro


def recovery(seeds: int = 3) -> None:
    print("Recovery of a planted 3-actor branching matrix (beta = 1/day, true alpha below)")
    print(ALPHA)
    print(
        f"{'events':>8} {'seed':>4} {'fit':>10} {'max rel err':>11} {'max |err| zeros':>15} {'rel Frobenius':>13} "
        f"{'fit s':>6} {'iters':>5}"
    )
    for target in (5_000, 20_000, 50_000, 200_000):
        T = target / RATE
        for seed in range(seeds):
            t, u = hk.simulate(MU, ALPHA, 1.0, T=T, seed=seed)
            for how in ("beta known", "beta grid"):
                t0 = time.perf_counter()
                f = hk.fit(t, u, T=T, beta=1.0 if how == "beta known" else [0.25, 0.5, 1.0, 2.0, 4.0])
                secs = time.perf_counter() - t0
                rel, zero, fro = errors(f.alpha)
                print(
                    f"{t.size:>8} {seed:>4} {how:>10} {rel:>11.3f} {zero:>15.3f} {fro:>13.3f} {secs:>6.2f} "
                    f"{f.n_iter:>5}" + ("" if how == "beta known" else f"  (beta chosen {f.beta:g})")
                )
    print("\nDaily timestamps (rounded down to the day) jittered uniformly inside the day, beta = 0.2/day:")
    print(
        f"{'events':>8} {'seed':>4} {'times':>8} {'max rel err':>11} {'max |err| zeros':>15} {'rel Frobenius':>13}"
    )
    for seed in range(seeds):
        T = 50_000 / RATE
        t, u = hk.simulate(MU, ALPHA, 0.2, T=T, seed=100 + seed)
        tj = np.floor(t) + np.random.default_rng(seed).uniform(0, 1, t.size)
        for name, tt in (("exact", t), ("jittered", tj)):
            rel, zero, fro = errors(hk.fit(tt, u, T=T, beta=0.2).alpha)
            print(f"{t.size:>8} {seed:>4} {name:>8} {rel:>11.3f} {zero:>15.3f} {fro:>13.3f}")
    print(
        "\nBootstrap coverage: 10 simulated data sets of ~5,000 events, 50 parametric replicates each, 90% intervals"
    )
    T = 5_000 / RATE
    hit_nz = hit_zero = n_nz = n_zero = 0
    widths = []
    t0 = time.perf_counter()
    for seed in range(10):
        t, u = hk.simulate(MU, ALPHA, 1.0, T=T, seed=500 + seed)
        f = hk.bootstrap(hk.fit(t, u, T=T, beta=1.0), n_boot=50, seed=seed)
        lo, hi = f.alpha_ci[..., 0], f.alpha_ci[..., 1]
        inside = (lo <= ALPHA) & (ALPHA <= hi)
        nz = ALPHA > 0
        hit_nz += int(inside[nz].sum())
        n_nz += int(nz.sum())
        hit_zero += int(inside[~nz].sum())
        n_zero += int((~nz).sum())
        widths.append(float((hi - lo)[nz].mean()))
    secs = time.perf_counter() - t0
    print(
        f"  non-zero entries inside their interval: {hit_nz}/{n_nz} ({hit_nz / n_nz:.0%}); zero entries: "
        f"{hit_zero}/{n_zero} ({hit_zero / n_zero:.0%}); mean width {np.mean(widths):.3f}; "
        f"{secs / 10:.1f}s per fit + 50 refits"
    )


def one_size(n: int, seed: int = 0) -> dict:
    T = n / RATE
    t, u = hk.simulate(MU, ALPHA, 1.0, T=T, seed=seed)
    tracemalloc.start()
    t0 = time.perf_counter()
    f = hk.fit(t, u, T=T, beta=1.0, tol=1e-6)
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rel, zero, fro = errors(f.alpha)
    return {
        "events": int(t.size),
        "seconds": secs,
        "iters": f.n_iter,
        "peak_mb": peak / 2**20,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rel_err": rel,
    }


def scaling(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("Fit time and memory (3 actors, beta fixed at 1/day, EM to relative log-likelihood change 1e-6)")
    print(
        f"{'events':>9} {'fit s':>7} {'iters':>5} {'ms/iter':>8} {'peak traced MB':>14} {'B/event':>8} "
        f"{'peak RSS MB':>11} {'max rel err':>11}"
    )
    for r in rows:
        print(
            f"{r['events']:>9} {r['seconds']:>7.2f} {r['iters']:>5} {1000 * r['seconds'] / r['iters']:>8.2f} "
            f"{r['peak_mb']:>14.1f} {r['peak_mb'] * 2**20 / r['events']:>8.0f} {r['rss_mb']:>11.0f} "
            f"{r['rel_err']:>11.3f}"
        )
    print("\nRatios against the smallest size:")
    base = rows[0]
    for r in rows[1:]:
        k = r["events"] / base["events"]
        print(
            f"  {k:>6.1f}x events: time x{r['seconds'] / base['seconds']:.1f}, per iteration "
            f"x{(r['seconds'] / r['iters']) / (base['seconds'] / base['iters']):.1f}, peak traced memory "
            f"x{r['peak_mb'] / base['peak_mb']:.1f}"
        )
    big = [r for r in rows if r["events"] >= 80 * base["events"]]
    if big:
        r = big[-1]
        ratio = r["seconds"] / base["seconds"]
        k = r["events"] / base["events"]
        print(
            f"\nnear-linear check: {k:.0f}x events -> time ratio {ratio:.1f} (limit 120 for 100x): "
            f"{'PASS' if ratio <= 120 * k / 100 else 'FAIL'}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["recovery", "scaling", "all"], default="all")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000, 300_000, 1_000_000])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one_size(a.one)))
        return
    if a.part in ("recovery", "all"):
        recovery(a.seeds)
        print()
    if a.part in ("scaling", "all"):
        scaling(a.sizes)


if __name__ == "__main__":
    main()
