"""Speed of the forecasting pieces, as ratios (no ../shared data needed).

    .venv/bin/python benchmarks/bench_forecast.py

1. CRPS: the sort-based ensemble estimator against the O(S^2) pairwise definition.
2. One backtest origin on a synthetic 200-cell, 36-month panel: the model against the
   conflictology baseline (fit + 1,000 samples x 6 horizons), and the scoring.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sahelwatch.analysis.forecast import GBMForecaster, Conflictology, build_panel, crps_ensemble, score_all  # noqa: E402
from sahelwatch.analysis.forecast.scoring import crps_pairs  # noqa: E402


def timeit(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def synthetic_panel(n_side=14, months=36, seed=0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = []
    rate = rng.gamma(0.3, 2.0, size=(n_side, n_side))
    for m in range(months):
        for i in range(n_side):
            for j in range(n_side):
                for _ in range(rng.poisson(rate[i, j] * (1 + 0.4 * np.sin(m / 5)))):
                    rows.append(
                        dict(
                            event_date=pd.Timestamp("2017-01-01")
                            + pd.DateOffset(months=m, days=int(rng.integers(28))),
                            event_type="Battles",
                            inter1=1,
                            inter2=2,
                            fatalities=int(rng.negative_binomial(1, 0.3)),
                            latitude=12.0 + 0.5 * i + 0.2,
                            longitude=-6.0 + 0.5 * j + 0.2,
                            admin1=f"A{i // 5}",
                            actor1="x",
                            actor2="y",
                        )
                    )
    return build_panel(pd.DataFrame(rows), unit="priogrid", allow_gaps=True)


def main():
    rng = np.random.default_rng(0)
    x = rng.negative_binomial(1, 0.2, size=(200, 1000)).astype(float)
    y = rng.poisson(3, size=200).astype(float)
    fast = timeit(lambda: crps_ensemble(x, y))
    slow = timeit(lambda: crps_pairs(x[:20], y[:20]), repeat=1) * 10  # 20 of 200 units, scaled
    print(
        f"CRPS, 200 units x 1000 samples: sort-based {fast * 1e3:.1f} ms, pairwise {slow * 1e3:.0f} ms "
        f"-> ratio {slow / fast:.0f}x"
    )

    panel = synthetic_panel()
    seen = panel.truncate(panel.months[-7])
    hs = [1, 2, 3, 4, 5, 6]
    t_conf = timeit(lambda: Conflictology().predict(seen, hs, 1000, 0))
    t_gbm = timeit(lambda: GBMForecaster().predict(seen, hs, 1000, 0), repeat=1)
    sims = GBMForecaster().predict(seen, hs, 1000, 0)
    t_score = timeit(lambda: [score_all(sims[:, j], panel.y[:, -7 + j + 1]) for j in range(6)])
    print(
        f"one origin, {panel.n_units} cells x 6 horizons x 1000 samples: lgbm {t_gbm:.2f} s, "
        f"conflictology {t_conf * 1e3:.0f} ms (ratio {t_gbm / t_conf:.0f}x), scoring all metrics {t_score:.2f} s"
    )


if __name__ == "__main__":
    main()
