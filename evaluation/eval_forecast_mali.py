"""Rolling-origin backtest of the forecasting model against the VIEWS baselines on the
ACLED Mali events 2017-2019 (../shared). Not a unit test: reads real data, takes minutes.

    .venv/bin/python evaluation/eval_forecast_mali.py [--quick]

Writes evaluation/output/forecast.json and evaluation/output/forecast_<run>.html.
The model's settings were chosen on origins 2017-12..2018-05 (docs/forecasting.md); the
origins scored here (2018-06..2019-11) were not used to choose them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import pandas as pd

from sahelwatch.analysis import forecast as fc

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "acled" / "acled_mali_2017_2019_monadic.csv"
OUT = ROOT / "evaluation" / "output"
BAR_GAIN = 0.05  # the bar: CRPS at least 5% better than the best baseline at horizons 1-3


def load_events(path: Path = SHARED) -> pd.DataFrame:
    """Monadic ACLED export → one row per event, through the importer (see evaluation/_data.py)."""
    from evaluation._data import acled_events

    return acled_events(path)


def bar(res: fc.BacktestResult) -> dict:
    h_all = res.headline("crps", "all")
    h_con = res.headline("crps", "conflict")
    checks = []
    for _, r in h_all[h_all.horizon <= 3].iterrows():
        diff = r["baseline"] - r["model"]
        checks.append(
            {
                "check": f"h={int(r.horizon)}: CRPS >= 5% better than the best baseline ({r.best_baseline})",
                "model": r["model"],
                "baseline": r["baseline"],
                "gain": r["gain_vs_best"],
                "seed_spread": r["model_sd"] + r["baseline_sd"],
                "passed": bool(r["gain_vs_best"] >= BAR_GAIN and diff > r["model_sd"] + r["baseline_sd"]),
            }
        )
    for _, r in h_con.iterrows():
        checks.append(
            {
                "check": f"h={int(r.horizon)}: not worse than conflictology on unit-months with conflict",
                "model": r["model"],
                "baseline": r["conflictology"],
                "gain": r["gain_vs_conflictology"],
                "passed": bool(r["model"] <= r["conflictology"]),
            }
        )
    return {"passed": all(c["passed"] for c in checks), "checks": checks}


def table_records(res):
    t = res.table.copy()
    return t.round(5).to_dict(orient="records")


def run(ev, name, unit, target, origins, seeds, samples, reconcile_to=None):
    t0 = time.perf_counter()
    res = fc.backtest(
        ev,
        unit=unit,
        target=target,
        violence="all",
        first_origin=origins[0],
        last_origin=origins[1],
        horizon="1-6",
        samples=samples,
        seeds=seeds,
        reconcile_to=reconcile_to,
        progress=lambda i, n, o, s: print(f"  [{name}] origin {o} ({i}/{n}) {s:.1f}s", file=sys.stderr),
    )
    wall = time.perf_counter() - t0
    html = OUT / f"forecast_{name}.html"
    fc.write_report(res, html, title=f"Mali 2017-2019 backtest: {unit} {target} (all violence types)")
    checks = bar(res)
    crps = res.table[(res.table.metric == "crps")].pivot_table(
        index=["subset", "model"], columns="horizon", values="mean"
    )
    print(
        f"\n=== {name}: {unit} {target}, {res.meta['n_units']} units, {len(res.meta['origins'])} origins, "
        f"{res.timing['seconds_per_origin']:.1f} s/origin ==="
    )
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(crps.round(3))
        print(res.headline("crps", "all").round(4).to_string(index=False))
        print(res.headline("crps", "conflict").round(4).to_string(index=False))
    print("bar passed:", checks["passed"])
    for c in checks["checks"]:
        print(
            ("  PASS " if c["passed"] else "  FAIL ")
            + c["check"]
            + f": model {c['model']:.4f} vs {c['baseline']:.4f} ({c['gain']:+.1%})"
        )
    return {
        "unit": unit,
        "target": target,
        "meta": res.meta,
        "timing": res.timing,
        "wall_seconds": wall,
        "report": str(html.relative_to(ROOT)),
        "headline_all": res.headline("crps", "all").round(5).to_dict(orient="records"),
        "headline_conflict": res.headline("crps", "conflict").round(5).to_dict(orient="records"),
        "headline_active": res.headline("crps", "active").round(5).to_dict(orient="records"),
        "bar": checks,
        "table": table_records(res),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="one seed, 300 samples, headline run only")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not SHARED.exists():
        print(f"skip: {SHARED} not found", file=sys.stderr)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    ev = load_events()
    seeds, samples = ((0,), 300) if args.quick else ((0, 1, 2), 1000)
    origins = ("2018-06", "2019-11")  # 18 origins; 2017-12..2018-05 were used to choose the settings
    runs = {
        "priogrid_fatalities": run(
            ev,
            "priogrid_fatalities",
            "priogrid",
            "fatalities",
            origins,
            seeds,
            samples,
            reconcile_to="admin1",
        )
    }
    if not args.quick:
        runs["admin1_fatalities"] = run(
            ev, "admin1_fatalities", "admin1", "fatalities", origins, seeds, samples
        )
        runs["priogrid_events"] = run(ev, "priogrid_events", "priogrid", "events", origins, seeds, samples)
    out = {
        "data": "ACLED Mali 2017-2019 (../shared, monadic export collapsed to events)",
        "tuning_origins": "2017-12..2018-05",
        "evaluation_origins": "2018-06..2019-11",
        "bar": "CRPS >= 5% better than the best baseline at horizons 1-3 (difference > seed spread), "
        "never worse than conflictology on unit-months with conflict",
        "samples": samples,
        "seeds": list(seeds),
        "runs": runs,
    }
    (OUT / "forecast.json").write_text(
        json.dumps(out, indent=1, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    )
    print(f"wrote {OUT / 'forecast.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
