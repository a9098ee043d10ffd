"""Forecasts and rolling-origin backtests.

At every origin t the panel is cut at t (:meth:`Panel.truncate`) *before* any model sees
it: features, fits, dispersion and baselines are all computed from months <= t, and the
forecasts for t+1 … t+6 are then scored against the full panel.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .baselines import all_baselines as default_baselines
from .models import GBMForecaster, reconcile
from .scoring import pit, score_all
from .targets import ForecastError, Panel, build_panel, month_str, parse_month

log = logging.getLogger(__name__)

MIN_HISTORY = 12  # months of history before the first origin (conflictology needs 12)


def _horizons(horizon) -> list[int]:
    if isinstance(horizon, str):
        a, _, b = horizon.partition("-")
        hs = list(range(int(a), int(b or a) + 1))
    elif isinstance(horizon, int):
        hs = list(range(1, horizon + 1))
    else:
        hs = sorted(int(h) for h in horizon)
    if not hs or min(hs) < 1 or max(hs) > 6:
        raise ForecastError(f"horizon {horizon!r}: expected months ahead between 1 and 6 (e.g. 1-6 or 3)")
    return hs


def _origin(panel: Panel, origin, min_history: int) -> int:
    t = (
        panel.last_month
        if origin is None
        else (parse_month(origin) if isinstance(origin, str) else int(origin))
    )
    if t > panel.last_month or t < panel.first_month:
        raise ForecastError(
            f"origin {month_str(t)} is outside the data ({month_str(panel.first_month)}.."
            f"{month_str(panel.last_month)}); the origin is the last month the model may see"
        )
    have = t - panel.first_month + 1
    if have < min_history:
        raise ForecastError(
            f"too short a history: {have} month(s) up to the origin {month_str(t)}, "
            f"need at least {min_history} (data start {month_str(panel.first_month)})"
        )
    return t


def get_model(name: str, **kw):
    if name in ("lgbm", "model"):
        return GBMForecaster(**kw)
    for b in default_baselines():
        if b.name == name:
            return b
    raise ForecastError(
        f"model {name!r}: expected lgbm or one of {', '.join(b.name for b in default_baselines())}"
    )


def samples_frame(samples: np.ndarray, units, origin: int, horizons) -> pd.DataFrame:
    """Long format: unit, month (YYYY-MM), horizon, sample, value."""
    n, H, S = samples.shape
    u = np.repeat(np.asarray(units, dtype=object), H * S)
    h = np.tile(np.repeat(np.asarray(horizons), S), n)
    return pd.DataFrame(
        {
            "unit": u,
            "month": month_str(origin + h),
            "horizon": h,
            "sample": np.tile(np.arange(S), n * H),
            "value": samples.reshape(-1),
        }
    )


def summarize(df: pd.DataFrame) -> pd.DataFrame:
    """Per unit-month: mean, median, 5/25/75/95% quantiles, P(value >= 1)."""
    g = df.groupby(["unit", "month", "horizon"], sort=False)["value"]
    out = g.agg(
        mean="mean",
        q05=lambda s: s.quantile(0.05),
        q25=lambda s: s.quantile(0.25),
        median="median",
        q75=lambda s: s.quantile(0.75),
        q95=lambda s: s.quantile(0.95),
        p_any=lambda s: (s >= 1).mean(),
    )
    return out.round(4).reset_index()


def forecast(
    events: pd.DataFrame | Panel,
    unit: str = "priogrid",
    target: str = "fatalities",
    violence: str = "all",
    horizon="1-6",
    samples: int = 1000,
    origin=None,
    model: str = "lgbm",
    seed: int = 0,
    units: str = "observed",
    allow_gaps: bool = False,
    min_history: int = MIN_HISTORY,
) -> pd.DataFrame:
    """Forecast ``horizon`` months after ``origin`` (default: the last month of the data).

    Returns the long frame ``unit, month, horizon, sample, value`` (``samples`` rows per unit-month)."""
    hs = _horizons(horizon)
    if samples < 1:
        raise ForecastError("samples must be at least 1 (VIEWS uses 1,000)")
    panel = (
        events
        if isinstance(events, Panel)
        else build_panel(events, unit, target, violence, units=units, allow_gaps=allow_gaps)
    )
    t = _origin(panel, origin, min_history)
    if panel.truncate(t).y.sum() == 0:
        raise ForecastError(
            f"no {panel.violence} {panel.target} in the history up to {month_str(t)}: "
            "every model would forecast zero; widen the filters or the period"
        )
    sims = get_model(model).predict(panel.truncate(t), hs, samples, seed)
    return samples_frame(sims, panel.units, t, hs)


# --------------------------------------------------------------------------- backtest
@dataclass
class BacktestResult:
    scores: pd.DataFrame  # model, seed, origin, horizon, subset, metric, value
    table: pd.DataFrame  # model, horizon, subset, metric: mean over origins, seed mean and sd
    pits: pd.DataFrame  # model, horizon, subset (conflict|active), pit (seed 0)
    points: pd.DataFrame  # model, origin, horizon, unit, lat, lon, mean, observed (seed 0)
    timing: dict
    meta: dict = field(default_factory=dict)

    def headline(self, metric: str = "crps", subset: str = "all", model: str = "lgbm") -> pd.DataFrame:
        """Per horizon: the model, the best baseline, the relative gain and the seed spread."""
        t = self.table[(self.table.metric == metric) & (self.table.subset == subset)]
        rows = []
        for h, g in t.groupby("horizon"):
            m = g[g.model == model].iloc[0]
            base = g[g.model != model].sort_values("mean").iloc[0]
            conf = g[g.model == "conflictology"]
            rows.append(
                {
                    "horizon": h,
                    "model": m["mean"],
                    "model_sd": m["sd"],
                    "best_baseline": base["model"],
                    "baseline": base["mean"],
                    "baseline_sd": base["sd"],
                    "gain_vs_best": 1 - m["mean"] / base["mean"] if base["mean"] > 0 else np.nan,
                    "conflictology": conf["mean"].iat[0] if len(conf) else np.nan,
                    "gain_vs_conflictology": 1 - m["mean"] / conf["mean"].iat[0] if len(conf) else np.nan,
                }
            )
        return pd.DataFrame(rows)


def backtest(
    events: pd.DataFrame | Panel,
    unit: str = "priogrid",
    target: str = "fatalities",
    violence: str = "all",
    origins=None,
    first_origin=None,
    last_origin=None,
    horizon="1-6",
    samples: int = 1000,
    seeds=(0, 1, 2),
    models=None,
    units: str = "observed",
    allow_gaps: bool = False,
    min_history: int = MIN_HISTORY,
    reconcile_to: str | None = None,
    progress=None,
) -> BacktestResult:
    """Rolling-origin backtest: for each origin t, every model is trained on months <= t and
    forecasts t+h for each horizon h; only months with data are scored.

    ``origins``: explicit list of 'YYYY-MM'; else every month from ``first_origin`` (default:
    data start + ``min_history`` - 1) to ``last_origin`` (default: the month before the last).
    ``models``: list of forecasters (default: the LightGBM model and all baselines).
    ``reconcile_to="admin1"`` also scores the bottom-up admin1 totals of every model."""
    hs = _horizons(horizon)
    panel = (
        events
        if isinstance(events, Panel)
        else build_panel(events, unit, target, violence, units=units, allow_gaps=allow_gaps)
    )
    models = models if models is not None else [GBMForecaster()] + default_baselines()
    if origins is not None:
        ts = [parse_month(o) if isinstance(o, str) else int(o) for o in origins]
    else:
        a = _origin(panel, first_origin, min_history) if first_origin else panel.first_month + min_history - 1
        b = (
            parse_month(last_origin)
            if isinstance(last_origin, str)
            else (last_origin or panel.last_month - 1)
        )
        ts = list(range(a, min(b, panel.last_month - 1) + 1))
    if not ts:
        raise ForecastError(
            f"too short a history to backtest: the data {month_str(panel.first_month)}..{month_str(panel.last_month)} "
            f"is shorter than {min_history} months of history plus one month to score"
        )
    for t in ts:
        _origin(panel, t, min_history)
        if t >= panel.last_month:
            raise ForecastError(f"origin {month_str(t)}: no later month in the data to score against")
    rows, pit_rows, pts = [], [], []
    per_origin = []
    fallbacks: dict[str, int] = {}
    group_of = panel.parent
    for i, t in enumerate(ts):
        t0 = time.perf_counter()
        seen = panel.truncate(t)
        h_ok = [h for h in hs if t + h <= panel.last_month]
        cols = np.array([t + h - panel.first_month for h in h_ok])
        obs = panel.y[:, cols]
        active = (seen.y[:, -12:].sum(axis=1) > 0)[:, None] & np.ones_like(obs, bool)
        for mdl in models:
            for s in seeds:
                sims = mdl.predict(seen, h_ok, samples, s)
                if getattr(mdl, "fallback_used", False):
                    fallbacks[mdl.name] = fallbacks.get(mdl.name, 0) + 1
                for j, h in enumerate(h_ok):
                    sc = score_all(sims[:, j], obs[:, j], extra_subsets={"active": active[:, j]})
                    for sub, d in sc.items():
                        for k, v in d.items():
                            rows.append((mdl.name, s, month_str(t), h, sub, k, v))
                    if s == seeds[0]:
                        u = pit(sims[:, j], obs[:, j], rng=1000 * t + h)
                        for sub, c in (("conflict", obs[:, j] >= 1), ("active", active[:, j])):
                            if c.any():
                                pit_rows.append(
                                    pd.DataFrame(
                                        {"model": mdl.name, "horizon": h, "subset": sub, "pit": u[c]}
                                    )
                                )
                        pts.append(
                            pd.DataFrame(
                                {
                                    "model": mdl.name,
                                    "origin": month_str(t),
                                    "horizon": h,
                                    "unit": panel.units,
                                    "lat": panel.lat,
                                    "lon": panel.lon,
                                    "mean": sims[:, j].mean(axis=1),
                                    "observed": obs[:, j],
                                }
                            )
                        )
                if reconcile_to and s == seeds[0]:
                    for coupling in ("independent", "comonotone"):
                        names, agg = reconcile(sims, group_of, coupling)
                        _, aobs = reconcile(obs[:, :, None], group_of)
                        for j, h in enumerate(h_ok):
                            sc = score_all(agg[:, j], aobs[:, j, 0])
                            for sub, d in sc.items():
                                for k, v in d.items():
                                    rows.append(
                                        (
                                            f"{mdl.name}@{reconcile_to}/{coupling}",
                                            s,
                                            month_str(t),
                                            h,
                                            sub,
                                            k,
                                            v,
                                        )
                                    )
        per_origin.append(time.perf_counter() - t0)
        if progress:
            progress(i + 1, len(ts), month_str(t), per_origin[-1])
    scores = pd.DataFrame(rows, columns=["model", "seed", "origin", "horizon", "subset", "metric", "value"])
    by_seed = (
        scores[scores.metric != "n"].groupby(["model", "horizon", "subset", "metric", "seed"])["value"].mean()
    )
    table = by_seed.groupby(["model", "horizon", "subset", "metric"]).agg(mean="mean", sd="std").reset_index()
    table["sd"] = table["sd"].fillna(0.0)
    timing = {
        "origins": len(ts),
        "seconds_total": float(np.sum(per_origin)),
        "seconds_per_origin": float(np.mean(per_origin)),
        "per_origin": [float(x) for x in per_origin],
    }
    meta = {
        "unit": panel.unit,
        "target": panel.target,
        "type": panel.violence,
        "n_units": int(panel.n_units),
        "data": f"{month_str(panel.first_month)}..{month_str(panel.last_month)}",
        "origins": [month_str(t) for t in ts],
        "horizons": hs,
        "samples": samples,
        "seeds": list(seeds),
        "models": [m.name for m in models],
        "warnings": panel.warnings,
        "fallbacks": fallbacks,
    }
    return BacktestResult(
        scores,
        table,
        pd.concat(pit_rows, ignore_index=True)
        if pit_rows
        else pd.DataFrame(columns=["model", "horizon", "subset", "pit"]),
        pd.concat(pts, ignore_index=True),
        timing,
        meta,
    )
