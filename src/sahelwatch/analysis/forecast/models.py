"""The forecasting model: LightGBM (Tweedie objective) on temporal, spatial and actor
features, one direct model per horizon, turned into samples by negative-binomial draws
whose dispersion is fitted on a held-out tail of the training period.

Also :func:`reconcile`: bottom-up aggregation of cell (or admin2) samples to admin1 and
country totals.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from .targets import ForecastError, Panel, VIOLENCE_TYPES

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- features
def _rolling_mean(a: np.ndarray, w: int) -> np.ndarray:
    """Mean over the last w months up to and including each month (fewer at the start)."""
    cs = np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a, axis=1)], axis=1)
    T = a.shape[1]
    hi = np.arange(1, T + 1)
    lo = np.maximum(0, hi - w)
    return (cs[:, hi] - cs[:, lo]) / (hi - lo)


def _months_since(a: np.ndarray, cap: int = 36) -> np.ndarray:
    out = np.empty(a.shape)
    last = np.full(a.shape[0], -cap, dtype=float)
    for t in range(a.shape[1]):
        last = np.where(a[:, t] > 0, t, last)
        out[:, t] = np.minimum(t - last, cap)
    return out


def neighbour_weights(panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    """Two binary spatial weight matrices (first ring, second ring, both without self).
    Grid: cells whose centres are within 0.5 degree (queen contiguity) / 1.0 degree (two rings).
    Admin areas: the 3 / 8 nearest by centroid distance (km-ish: longitude scaled by cos(lat)).
    Units without coordinates get no neighbours."""
    lat, lon = np.asarray(panel.lat, float), np.asarray(panel.lon, float)
    n = len(lat)
    if panel.unit == "priogrid":
        dy = np.abs(lat[:, None] - lat[None, :])
        dx = np.abs(lon[:, None] - lon[None, :])
        cheb = np.maximum(dx, dy)
        w1 = (cheb < 0.51) & (cheb > 0.01)
        w2 = (cheb < 1.01) & (cheb > 0.01)
        return w1.astype(float), w2.astype(float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    c = np.cos(np.deg2rad(np.nanmean(lat) if ok.any() else 0.0))
    d = np.hypot(lat[:, None] - lat[None, :], (lon[:, None] - lon[None, :]) * c)
    d[~ok, :] = np.inf
    d[:, ~ok] = np.inf
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1)
    w1, w2 = np.zeros((n, n)), np.zeros((n, n))
    for k, w in ((3, w1), (8, w2)):
        kk = min(k, n - 1)
        rows = np.repeat(np.arange(n), kk)
        cols = order[:, :kk].ravel()
        keep = np.isfinite(d[rows, cols])
        w[rows[keep], cols[keep]] = 1.0
    return w1, w2


def feature_tensor(panel: Panel) -> tuple[np.ndarray, list[str]]:
    """Features for every unit and month, each computed from that month and earlier only.
    Returns (n_units, n_months, n_features) and the feature names."""
    y = panel.y
    c = panel.counts
    vio_ev = sum(c[f"ev_{t}"] for t in VIOLENCE_TYPES)
    f: dict[str, np.ndarray] = {}
    ly = np.log1p(y)
    f["y_l0"] = ly
    f["y_l1"] = np.concatenate([np.zeros((y.shape[0], 1)), ly[:, :-1]], axis=1)
    f["y_l2"] = np.concatenate([np.zeros((y.shape[0], 2)), ly[:, :-2]], axis=1)[:, : y.shape[1]]
    for w in (3, 6, 12):
        f[f"y_m{w}"] = np.log1p(_rolling_mean(y, w))
    f["y_mall"] = np.log1p(_rolling_mean(y, 10_000))
    f["y_max12"] = np.log1p(
        np.stack([np.max(y[:, max(0, t - 11) : t + 1], axis=1) for t in range(y.shape[1])], axis=1)
    )
    f["ev_m3"] = np.log1p(_rolling_mean(vio_ev, 3))
    f["ev_m12"] = np.log1p(_rolling_mean(vio_ev, 12))
    f["any_m12"] = np.log1p(_rolling_mean(c["ev_any"], 12))
    for t in VIOLENCE_TYPES:
        f[f"fat_{t}_m12"] = np.log1p(_rolling_mean(c[f"fat_{t}"], 12))
    f["since_event"] = _months_since(vio_ev)
    f["since_y"] = _months_since(y)
    vio12 = _rolling_mean(vio_ev, 12)
    for g in ("jnim", "isgs", "state", "militia"):
        a12 = _rolling_mean(c[f"actor_{g}"], 12)
        f[f"share_{g}"] = np.divide(a12, vio12, out=np.zeros_like(a12), where=vio12 > 0)
    w1, w2 = neighbour_weights(panel)
    y3, y12, e3 = _rolling_mean(y, 3), _rolling_mean(y, 12), _rolling_mean(vio_ev, 3)
    f["nb1_y3"] = np.log1p(w1 @ y3)
    f["nb1_y12"] = np.log1p(w1 @ y12)
    f["nb1_ev3"] = np.log1p(w1 @ e3)
    f["nb2_y12"] = np.log1p(w2 @ y12)
    f["nb2_ev3"] = np.log1p(w2 @ e3)
    tot = y.sum(axis=0, keepdims=True)
    f["all_l0"] = np.broadcast_to(np.log1p(tot), y.shape)
    f["all_m3"] = np.broadcast_to(np.log1p(_rolling_mean(tot, 3)), y.shape)
    names = list(f)
    return np.stack([np.asarray(f[k], float) for k in names], axis=-1), names


# --------------------------------------------------------------------------- NB dispersion
def fit_nb_alpha(y: np.ndarray, mu: np.ndarray, lo: float = 1e-3, hi: float = 100.0) -> float:
    """Maximum-likelihood NB2 dispersion alpha given fixed means (bounded 1-D search)."""
    from scipy.optimize import minimize_scalar
    from scipy.special import gammaln

    y = np.asarray(y, float)
    mu = np.clip(np.asarray(mu, float), 1e-6, None)

    def nll(log_a):
        a = np.exp(log_a)
        r = 1.0 / a
        return -np.sum(
            gammaln(y + r)
            - gammaln(r)
            - gammaln(y + 1)
            + r * np.log(r / (r + mu))
            + y * np.log(mu / (r + mu))
        )

    res = minimize_scalar(nll, bounds=(np.log(lo), np.log(hi)), method="bounded")
    return float(np.exp(res.x))


def nb_samples(mu: np.ndarray, alpha: float, n_samples: int, rng: np.random.Generator) -> np.ndarray:
    mu = np.clip(np.asarray(mu, float), 1e-9, None)
    r = 1.0 / max(alpha, 1e-6)
    p = r / (r + mu)
    return rng.negative_binomial(r, np.broadcast_to(p[:, None], (len(mu), n_samples))).astype(float)


# --------------------------------------------------------------------------- the model
@dataclass
class GBMForecaster:
    """LightGBM, one direct model per horizon, turned into samples.

    For horizon h the training pairs are (features at month t, value at t + h) for every t
    with t + h <= the origin. Samples: ``dist="analog"`` draws from the observed outcomes of
    the ``neighbours`` calibration rows whose out-of-fold prediction is nearest (an
    empirical conditional distribution), ``dist="nb"`` draws negative-binomial values with a
    dispersion fitted on those rows. ``blend`` is the weight of a linear pool with the
    unit's own last 12 months (the conflictology distribution). Defaults were chosen on the
    origins 2017-12..2018-05 of the Mali data and are reported on later origins only
    (docs/forecasting.md). Everything is seeded (LightGBM bagging, folds and draws)."""

    objective: str = "poisson"
    tweedie_power: float = 1.3
    n_estimators: int = 150
    learning_rate: float = 0.06
    num_leaves: int = 15
    min_child_samples: int = 20
    subsample: float = 0.8
    colsample: float = 0.8
    reg_lambda: float = 1.0
    dist: str = "analog"
    neighbours: int = 100
    pool_months: int = 12
    blend: float = 0.7
    blend_window: int = 12
    global_share: float = 0.05
    folds: int = 2
    warmup: int = 2
    min_train_months: int = 3
    name: str = "lgbm"
    feature_names: list = field(default_factory=list)
    last_alpha: dict = field(default_factory=dict)
    last_importance: dict = field(default_factory=dict)

    def _model(self, seed: int):
        import lightgbm as lgb

        kw = dict(
            objective=self.objective,
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_child_samples=self.min_child_samples,
            subsample=self.subsample,
            subsample_freq=1,
            colsample_bytree=self.colsample,
            reg_lambda=self.reg_lambda,
            random_state=seed,
            n_jobs=1,
            verbose=-1,
        )
        if self.objective == "tweedie":
            kw["tweedie_variance_power"] = self.tweedie_power
        return lgb.LGBMRegressor(**kw)

    def _pairs(self, F, y, h):
        T = y.shape[1]
        ts = np.arange(self.warmup, T - h)  # feature months; targets at ts + h <= T - 1
        if len(ts) < self.min_train_months:
            raise ForecastError(
                f"history too short for horizon {h}: {T} month(s) up to the origin, "
                f"need at least {self.warmup + h + self.min_train_months}"
            )
        n = y.shape[0]
        X = F[:, ts, :].reshape(-1, F.shape[-1])
        Y = y[:, ts + h].reshape(-1)
        tgt = np.tile(ts + h, n)
        unit = np.repeat(np.arange(n), len(ts))
        return X, Y, tgt, unit

    def fit_horizon(self, F, y, h, seed):
        """Fit horizon h. Returns (mean for each unit at the origin, calibration pool (mu_oof, y))
        where the pool holds out-of-fold predictions for the last ``pool_months`` target months:
        the units are split in ``folds`` groups and each group is predicted by a model that
        never saw it (all rows still end at the origin: nothing after it is used)."""
        X, Y, tgt, unit = self._pairs(F, y, h)
        T = y.shape[1]
        if Y.sum() == 0:
            return np.zeros(y.shape[0]), (np.zeros(1), np.zeros(1))
        final = self._model(seed).fit(X, Y)
        mu = np.clip(final.predict(F[:, T - 1, :]), 0, None)
        if h == 1:
            self.last_importance = dict(
                zip(self.feature_names, final.booster_.feature_importance("gain").tolist())
            )
        recent = tgt >= T - self.pool_months
        rng = np.random.default_rng(seed + 104729 * h)
        fold = rng.permutation(y.shape[0]) % self.folds
        oof = np.full(len(Y), np.nan)
        for k in range(self.folds):
            test = fold[unit] == k
            train = ~test
            if Y[train].sum() == 0:
                oof[test & recent] = 0.0
                continue
            m = self._model(seed + k + 1).fit(X[train], Y[train])
            oof[test & recent] = m.predict(X[test & recent])
        return mu, (np.clip(oof[recent], 0, None), Y[recent])

    def predict_mean(self, panel: Panel, horizons, seed: int = 0):
        """(n_units, H) means and, per horizon, the calibration pool (mu_oof, y)."""
        F, self.feature_names = feature_tensor(panel)
        mu = np.zeros((panel.n_units, len(horizons)))
        pools = []
        for j, h in enumerate(horizons):
            mu[:, j], pool = self.fit_horizon(F, panel.y, h, seed)
            pools.append(pool)
        return mu, pools

    def predict(self, panel: Panel, horizons, n_samples: int, seed: int = 0) -> np.ndarray:
        if panel.n_units < 20:
            log.warning(
                "%s: only %d units: too few for the model to learn much; on the Mali admin1 backtest "
                "the conflictology and zinb baselines beat it (docs/forecasting.md)",
                self.name,
                panel.n_units,
            )
        mu, pools = self.predict_mean(panel, horizons, seed)
        rng = np.random.default_rng(seed + 7919)
        out = np.empty((panel.n_units, len(horizons), n_samples))
        self.last_alpha = {}
        for j, h in enumerate(horizons):
            pm, py = pools[j]
            if self.dist == "nb":
                a = fit_nb_alpha(py, pm) if py.sum() > 0 else 1.0
                self.last_alpha[h] = a
                out[:, j] = nb_samples(mu[:, j], a, n_samples, rng)
            else:
                # at most a tenth of the pool, so that few units (admin1) still get local analogs
                k = min(self.neighbours, max(5, len(pm) // 10))
                out[:, j] = analog_samples(mu[:, j], pm, py, k, n_samples, rng)
        if self.blend > 0:
            # linear pool with the unit's own recent history (the conflictology distribution)
            hist = panel.y[:, -self.blend_window :]
            pick = rng.random(out.shape) < self.blend
            u = np.nonzero(pick)[0]
            out[pick] = hist[u, rng.integers(0, hist.shape[1], size=len(u))]
        if self.global_share > 0:
            # like the mixture baseline: a small share of draws from all positive recent values
            pool = panel.y[:, -self.blend_window :]
            pool = pool[pool > 0]
            if pool.size:
                pick = rng.random(out.shape) < self.global_share
                out[pick] = rng.choice(pool, size=int(pick.sum()))
        return out


def analog_samples(
    mu: np.ndarray, pool_mu: np.ndarray, pool_y: np.ndarray, k: int, n_samples: int, rng: np.random.Generator
) -> np.ndarray:
    """Predictive samples drawn from the observed outcomes of the ``k`` calibration rows whose
    out-of-fold predicted mean is closest (in rank) to each unit's predicted mean: an
    empirical conditional distribution given the model's prediction (an analog ensemble).
    Only the ordering of the predictions matters, so a biased mean does not bias the draws."""
    order = np.argsort(pool_mu, kind="stable")
    pm, py = pool_mu[order], pool_y[order]
    n = len(pm)
    k = max(1, min(k, n))
    pos = np.searchsorted(pm, mu)
    lo = np.clip(pos - k // 2, 0, n - k)
    idx = lo[:, None] + rng.integers(0, k, size=(len(mu), n_samples))
    return py[idx].astype(float)


# --------------------------------------------------------------------------- reconciliation
def reconcile(samples: np.ndarray, groups, coupling: str = "independent", seed: int = 0):
    """Bottom-up reconciliation: admin (or country) samples are sums of the samples of the
    cells they contain, so cell, admin and country forecasts are coherent by construction.

    ``samples`` (n_units, H, S); ``groups`` the parent of each unit (e.g. ``Panel.parent``,
    the admin1 holding most of a cell's events; pass a constant for a country total).
    ``coupling``: "independent" sums the draws as they come (the cells' errors independent;
    totals are then narrower than reality), "comonotone" sums the sorted draws (perfectly
    dependent cells; wider totals). The truth lies between; the backtest scores both.
    Returns (group_names, samples (n_groups, H, S))."""
    groups = np.asarray(groups, dtype=object)
    names = np.array(sorted(set(groups.tolist())), dtype=object)
    x = np.asarray(samples, float)
    if coupling == "comonotone":
        x = np.sort(x, axis=-1)
    elif coupling != "independent":
        raise ValueError(f"coupling {coupling!r}: expected 'independent' or 'comonotone'")
    out = np.zeros((len(names),) + x.shape[1:])
    idx = np.searchsorted(names, groups)
    np.add.at(out, idx, x)
    return names, out
