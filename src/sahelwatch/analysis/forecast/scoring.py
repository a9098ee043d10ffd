"""Scores for sample forecasts (the VIEWS conventions; see docs/forecasting.md).

Shapes: ``samples`` (..., S), ``y`` (...). Each ``*_per_unit`` function returns one value
per unit-month; :func:`score_all` averages them over all unit-months and over the
"conflict" subset (observed >= 1).
"""

from __future__ import annotations

import numpy as np

VIEWS_BINS = np.array([0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5])
METRICS = ("crps", "ign", "is90", "mse_log", "ap")


def crps_ensemble(samples, y) -> np.ndarray:
    """CRPS of an ensemble: mean|X - y| - 1/2 mean|X - X'| (all pairs, X' over the same
    samples, as properscoring's ``crps_ensemble``). Sort-based: O(S log S) per unit,
    using mean|X - X'| = 2/S^2 * sum_i (2i - S - 1) x_(i) over the sorted samples."""
    x = np.sort(np.asarray(samples, dtype=float), axis=-1)
    y = np.asarray(y, dtype=float)
    S = x.shape[-1]
    term1 = np.abs(x - y[..., None]).mean(axis=-1)
    w = 2.0 * np.arange(1, S + 1) - S - 1
    term2 = 2.0 * (x * w).sum(axis=-1) / S**2
    return term1 - 0.5 * term2


def crps_pairs(samples, y) -> np.ndarray:
    """The O(S^2) definition, for tests only."""
    x = np.asarray(samples, dtype=float)
    y = np.asarray(y, dtype=float)
    t1 = np.abs(x - y[..., None]).mean(axis=-1)
    t2 = np.abs(x[..., :, None] - x[..., None, :]).mean(axis=(-1, -2))
    return t1 - 0.5 * t2


def ignorance(samples, y, bins=VIEWS_BINS, pseudo: float = 1.0) -> np.ndarray:
    """-log2 of the forecast probability of the observed value's bin. The bin shares are
    smoothed with ``pseudo`` counts per bin (Laplace), so an empty bin costs
    log2((S + pseudo*K)/pseudo) bits rather than infinity (K = 11 bins)."""
    x = np.asarray(samples, dtype=float)
    y = np.asarray(y, dtype=float)
    K = len(bins)
    S = x.shape[-1]
    ybin = np.digitize(y, bins[1:])  # 0..K-1
    inbin = np.digitize(x, bins[1:]) == ybin[..., None]
    p = (inbin.sum(axis=-1) + pseudo) / (S + pseudo * K)
    return -np.log2(p)


def interval_score(samples, y, coverage: float = 0.9) -> np.ndarray:
    """Interval score of the central ``coverage`` interval (Gneiting & Raftery 2007):
    (u - l) + 2/alpha (l - y)+ + 2/alpha (y - u)+, alpha = 1 - coverage."""
    a = 1.0 - coverage
    lo, hi = np.quantile(np.asarray(samples, float), [a / 2, 1 - a / 2], axis=-1)
    y = np.asarray(y, dtype=float)
    return (hi - lo) + 2.0 / a * np.clip(lo - y, 0, None) + 2.0 / a * np.clip(y - hi, 0, None)


def mse_log(samples, y) -> np.ndarray:
    """Squared error on the log1p scale of the point forecast (the sample mean)."""
    return (np.log1p(np.asarray(samples, float).mean(axis=-1)) - np.log1p(np.asarray(y, float))) ** 2


def prob_positive(samples, threshold: float = 1.0) -> np.ndarray:
    return (np.asarray(samples) >= threshold).mean(axis=-1)


def average_precision(samples, y, threshold: float = 1.0) -> float:
    """Average precision of P(value >= threshold) for the event y >= threshold (NaN when the
    observed outcomes are all of one class)."""
    from sklearn.metrics import average_precision_score

    obs = np.asarray(y).ravel() >= threshold
    if obs.all() or not obs.any():
        return float("nan")
    return float(average_precision_score(obs, prob_positive(samples, threshold).ravel()))


def pit(samples, y, rng: np.random.Generator | int | None = 0) -> np.ndarray:
    """Randomised PIT for count forecasts: F(y-1) + V (F(y) - F(y-1)), V ~ U(0, 1), with F
    the ensemble's empirical CDF. Uniform when the forecast is calibrated."""
    x = np.asarray(samples, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    below = (x < y[..., None]).mean(axis=-1)
    at_or_below = (x <= y[..., None]).mean(axis=-1)
    return below + rng.random(below.shape) * (at_or_below - below)


def score_all(
    samples, y, conflict_threshold: float = 1.0, extra_subsets: dict | None = None
) -> dict[str, dict[str, float]]:
    """Mean scores over all unit-months and over subsets: ``all``, ``conflict`` (observed >=
    threshold: the VIEWS "units with conflict"), plus ``extra_subsets`` {name: boolean mask}."""
    x = np.asarray(samples, float)
    y = np.asarray(y, float)
    per = {
        "crps": crps_ensemble(x, y),
        "ign": ignorance(x, y),
        "is90": interval_score(x, y),
        "mse_log": mse_log(x, y),
    }
    subsets = {"all": np.ones(y.shape, bool), "conflict": y >= conflict_threshold}
    subsets.update(extra_subsets or {})
    out: dict[str, dict[str, float]] = {}
    for name, m in subsets.items():
        m = np.asarray(m, bool)
        d = {k: (float(v[m].mean()) if m.any() else float("nan")) for k, v in per.items()}
        d["ap"] = average_precision(x[m], y[m]) if m.any() else float("nan")
        d["n"] = int(m.sum())
        out[name] = d
    return out
