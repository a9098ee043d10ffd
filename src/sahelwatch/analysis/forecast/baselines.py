"""The VIEWS benchmark set, each returning samples.

Every forecaster has ``name`` and ``predict(panel, horizons, n_samples, seed)`` which
returns an array of shape (n_units, len(horizons), n_samples). ``panel`` must already be
truncated at the forecast origin (``Panel.truncate``): forecasters see nothing later.
Point forecasts (last value, window average) become samples by Poisson draws around them.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np

from .targets import ForecastError, Panel

log = logging.getLogger(__name__)


def _poisson(mean: np.ndarray, n_h: int, n_samples: int, rng: np.random.Generator) -> np.ndarray:
    lam = np.clip(np.asarray(mean, float), 0, None)[:, None, None]
    return rng.poisson(np.broadcast_to(lam, (len(lam), n_h, n_samples))).astype(float)


def _window(panel: Panel, w: int) -> np.ndarray:
    return panel.y[:, -w:]


@dataclass
class Zero:
    name: str = "zero"

    def predict(self, panel: Panel, horizons, n_samples: int, seed: int = 0) -> np.ndarray:
        return np.zeros((panel.n_units, len(horizons), n_samples))


@dataclass
class LastValue:
    """Last value carried forward (Poisson draws around it)."""

    name: str = "last"

    def predict(self, panel, horizons, n_samples, seed=0):
        return _poisson(panel.y[:, -1], len(horizons), n_samples, np.random.default_rng(seed))


@dataclass
class WindowMean:
    """Average of the last ``window`` months (Poisson draws around it)."""

    window: int = 6
    name: str = "average"

    def predict(self, panel, horizons, n_samples, seed=0):
        return _poisson(
            _window(panel, self.window).mean(axis=1), len(horizons), n_samples, np.random.default_rng(seed)
        )


@dataclass
class Conflictology:
    """Draw with replacement from the unit's own last ``window`` months (VIEWS: 12)."""

    window: int = 12
    name: str = "conflictology"

    def predict(self, panel, horizons, n_samples, seed=0):
        rng = np.random.default_rng(seed)
        hist = _window(panel, self.window)
        idx = rng.integers(0, hist.shape[1], size=(panel.n_units, len(horizons), n_samples))
        return np.take_along_axis(
            hist[:, None, :], idx.reshape(panel.n_units, -1)[:, None, :], axis=2
        ).reshape(panel.n_units, len(horizons), n_samples)


@dataclass
class Mixture:
    """Own last ``window`` months, or with probability ``lam`` a draw from the global pool of
    positive values (all units, same window)."""

    window: int = 12
    lam: float = 0.1
    name: str = "mixture"

    def predict(self, panel, horizons, n_samples, seed=0):
        rng = np.random.default_rng(seed)
        own = Conflictology(self.window).predict(panel, horizons, n_samples, seed)
        pool = _window(panel, self.window)
        pool = pool[pool > 0]
        if pool.size == 0:
            return own
        pick = rng.random(own.shape) < self.lam
        own[pick] = rng.choice(pool, size=int(pick.sum()))
        return own


def _design(panel: Panel, window: int = 12):
    """Training pairs for the pooled count regressions: y[t+1] on log1p(mean of the unit's
    previous ``window`` months up to t). Returns X, y, X_now (for the forecast)."""
    y = panel.y
    T = y.shape[1]
    cs = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
    rows_x, rows_y = [], []
    for t in range(min(window, T - 1) - 1, T - 1):
        lo = max(0, t + 1 - window)
        m = (cs[:, t + 1] - cs[:, lo]) / (t + 1 - lo)
        rows_x.append(np.log1p(m))
        rows_y.append(y[:, t + 1])
    lo = max(0, T - window)
    now = np.log1p((cs[:, T] - cs[:, lo]) / (T - lo))
    if not rows_x:
        raise ForecastError("history too short for the negative-binomial baselines (need at least 2 months)")
    X = np.concatenate(rows_x)
    return (
        np.column_stack([np.ones_like(X), X]),
        np.concatenate(rows_y),
        np.column_stack([np.ones_like(now), now]),
    )


def _nb_draw(mu, alpha, n_h, n_samples, rng):
    """NB2 draws: mean mu, variance mu + alpha mu^2."""
    mu = np.clip(np.asarray(mu, float), 1e-9, None)
    if alpha <= 1e-8:
        return _poisson(mu, n_h, n_samples, rng)
    r = 1.0 / alpha
    p = r / (r + mu)
    shape = (len(mu), n_h, n_samples)
    return rng.negative_binomial(r, np.broadcast_to(p[:, None, None], shape)).astype(float)


def _moments_nb(panel: Panel, window: int):
    """Fallback: per-unit mean and a pooled method-of-moments dispersion."""
    h = _window(panel, window)
    mu = h.mean(axis=1)
    var = h.var(axis=1)
    ok = mu > 0
    alpha = float(np.clip(np.median((var[ok] - mu[ok]) / mu[ok] ** 2), 0, 50)) if ok.any() else 0.0
    return mu, alpha


@dataclass
class NegBin:
    """Pooled negative-binomial regression (statsmodels NB2) of next month's value on
    log1p of the unit's own 12-month mean; falls back to per-unit moments when the fit
    fails or does not converge (logged)."""

    window: int = 12
    name: str = "negbin"
    fallback_used: bool = False

    def _fit(self, panel):
        import statsmodels.api as sm

        X, y, now = _design(panel, self.window)
        if y.sum() == 0:
            raise RuntimeError("all-zero training target")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200)
        if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(res.params)):
            raise RuntimeError("did not converge")
        alpha = float(res.params[-1])
        mu = np.exp(now @ res.params[:-1])
        return mu, alpha

    def _cached(self, panel, key, fit):
        """The fits are deterministic: reuse them across seeds for the same history."""
        k = (key, panel.y.shape, hash(panel.y.tobytes()))
        cache = self.__dict__.setdefault("_cache", {})
        if k not in cache:
            cache.clear()
            cache[k] = fit()
        return cache[k]

    def predict(self, panel, horizons, n_samples, seed=0):
        rng = np.random.default_rng(seed)
        try:
            mu, alpha = self._cached(panel, "nb", lambda: self._fit(panel))
            self.fallback_used = False
        except Exception as exc:  # statsmodels raises many kinds; the fallback is logged
            log.warning("%s: statsmodels fit failed (%s); falling back to per-unit moments", self.name, exc)
            self.fallback_used = True
            mu, alpha = _moments_nb(panel, self.window)
        return _nb_draw(mu, alpha, len(horizons), n_samples, rng)


@dataclass
class ZINegBin(NegBin):
    """Zero-inflated NB2 (statsmodels ZeroInflatedNegativeBinomialP); the same regressor
    drives the count part and the inflation part. Fallback: NB, then moments (logged)."""

    name: str = "zinb"

    def predict(self, panel, horizons, n_samples, seed=0):
        rng = np.random.default_rng(seed)
        try:
            pi, mu, alpha = self._cached(panel, "zinb", lambda: self._fit_zi(panel))
            self.fallback_used = False
            draws = _nb_draw(mu, alpha, len(horizons), n_samples, rng)
            draws[rng.random(draws.shape) < pi[:, None, None]] = 0.0
            return draws
        except Exception as exc:
            log.warning("%s: zero-inflated fit failed (%s); falling back to the NB baseline", self.name, exc)
            self.fallback_used = True
            return NegBin(self.window, name=self.name).predict(panel, horizons, n_samples, seed)

    def _fit_zi(self, panel):
        from statsmodels.discrete.count_model import ZeroInflatedNegativeBinomialP

        X, y, now = _design(panel, self.window)
        if (y > 0).sum() < 5:
            raise RuntimeError("fewer than 5 positive training values")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod = ZeroInflatedNegativeBinomialP(y, X, exog_infl=X, inflation="logit", p=2)
            res = mod.fit(disp=0, maxiter=300, method="bfgs")
        if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(res.params)):
            raise RuntimeError("did not converge")
        k = X.shape[1]
        pi = 1.0 / (1.0 + np.exp(-(now @ res.params[:k])))
        mu = np.exp(now @ res.params[k : 2 * k])
        return pi, mu, float(res.params[-1])


def all_baselines(window: int = 6, lam: float = 0.1) -> list:
    """The benchmark set, in report order."""
    return [Zero(), LastValue(), WindowMean(window), Conflictology(), Mixture(lam=lam), NegBin(), ZINegBin()]
