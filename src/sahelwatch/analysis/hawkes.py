"""Multivariate Hawkes processes over actors: simulation, EM fitting, parametric bootstrap.

Model (D types = actors, exponential kernel with a shared decay ``beta`` per day)::

    lambda_j(t) = mu_j + sum_{t_k < t} alpha[u_k, j] * beta * exp(-beta * (t - t_k))

``alpha[i, j]`` is the *branching matrix*: the expected number of type-j events directly
triggered by one type-i event (the kernel ``beta * exp(-beta s)`` integrates to 1).
``mu_j`` is the background rate (events per day).

Fitting is an EM of our own (Lewis & Mohler 2011 / Veen & Schoenberg 2008) with the
recursive formulation of the exponential kernel: for each event ``n`` and each source type
``i``, ``R_i(n) = sum_{k<n, u_k=i} exp(-beta (t_n - t_k))``.  ``R`` depends only on
``beta``; it is computed once per ``beta`` in O(N·D) with a segmented cumulative sum (no
Python loop over events, see :func:`decay_sums`), and every EM iteration is then a handful
of vectorised O(N·D) operations.  Memory is O(N·D).

Daily timestamps (ACLED) are tied; :func:`event_times` spreads the events of a day uniformly
at random inside that day (seeded), which is documented in docs/relations.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from .groups import side_groups

#: segment span in units of 1/beta for the segmented cumulative sum (exp(30) ~ 1e13 fits float64)
_SEGMENT = 30.0
#: default grid of decays (per day): mean lags of 30, 14, 7, 3 and 1 days
DEFAULT_BETAS: tuple[float, ...] = (1 / 30, 1 / 14, 1 / 7, 1 / 3, 1.0)


class HawkesError(InputError):
    """The input cannot support a Hawkes fit (too few events, one time point, ...)."""


@dataclass
class HawkesFit:
    """A fitted multivariate Hawkes process (time unit: days)."""

    types: list[str]
    mu: np.ndarray  # (D,) background rates, events per day (averaged over the window)
    alpha: np.ndarray  # (D, D) branching matrix, alpha[i, j] = i triggers j
    beta: float  # kernel decay per day (mean lag 1/beta days)
    T: float  # observation window length (days)
    counts: np.ndarray  # (D,) events per type
    loglik: float
    n_iter: int
    converged: bool
    seconds: float = 0.0
    mu_ci: np.ndarray | None = None  # (D, 2)
    alpha_ci: np.ndarray | None = None  # (D, D, 2)
    n_boot: int = 0
    loglik_by_beta: dict[float, float] = field(default_factory=dict)
    mu_piece: np.ndarray | None = None  # (B, D) piecewise-constant background rates
    edges: np.ndarray | None = None  # (B+1,) piece edges in days, edges[0] = 0, edges[-1] = T

    @property
    def spectral_radius(self) -> float:
        return float(np.max(np.abs(np.linalg.eigvals(self.alpha)))) if self.alpha.size else 0.0

    def branching_frame(self) -> pd.DataFrame:
        """One row per (source, target): ``branching`` = expected target events triggered by one source event."""
        rows = []
        for i, a in enumerate(self.types):
            for j, b in enumerate(self.types):
                lo, hi = self.alpha_ci[i, j] if self.alpha_ci is not None else (np.nan, np.nan)
                rows.append(
                    {
                        "source": a,
                        "target": b,
                        "branching": float(self.alpha[i, j]),
                        "ci_low": float(lo),
                        "ci_high": float(hi),
                        "n_source": int(self.counts[i]),
                        "n_target": int(self.counts[j]),
                    }
                )
        return pd.DataFrame(rows)

    def baseline_frame(self) -> pd.DataFrame:
        """One row per type: background rate ``mu`` (events/day) and the share of its events that are background."""
        rows = []
        n = self.counts.astype(float)
        for j, a in enumerate(self.types):
            lo, hi = self.mu_ci[j] if self.mu_ci is not None else (np.nan, np.nan)
            rows.append(
                {
                    "actor": a,
                    "mu": float(self.mu[j]),
                    "ci_low": float(lo),
                    "ci_high": float(hi),
                    "events": int(n[j]),
                    "background_share": float(self.mu[j] * self.T / n[j]) if n[j] else np.nan,
                }
            )
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``kind`` = baseline | branching, with estimate and bootstrap interval."""
        b = self.baseline_frame().rename(columns={"actor": "target", "mu": "estimate"})
        b.insert(0, "kind", "baseline")
        b["source"] = None
        b["unit"] = "events/day"
        r = self.branching_frame().rename(columns={"branching": "estimate"})
        r.insert(0, "kind", "branching")
        r["unit"] = "triggered events per source event"
        cols = ["kind", "source", "target", "estimate", "ci_low", "ci_high", "unit"]
        out = pd.concat([b[cols], r[cols]], ignore_index=True)
        out["beta"] = self.beta
        out["n_boot"] = self.n_boot
        return out


# --------------------------------------------------------------------------------------------
# simulation


def simulate(
    mu,
    alpha,
    beta: float,
    T: float,
    seed: int | None = 0,
    max_events: int = 50_000_000,
    edges: Sequence[float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate a multivariate exponential Hawkes process on [0, T) by its cluster (branching) representation.

    Immigrants of type j arrive as a Poisson process of rate ``mu[j]``; each event of type i has
    Poisson(``alpha[i, j]``) children of type j at Exp(``beta``) delays.  Vectorised per generation.
    A piecewise-constant background is given as ``mu`` of shape (B, D) with ``edges`` (B+1 times).
    Returns ``(times, types)`` sorted by time.  Requires spectral radius of ``alpha`` < 1.
    """
    rng = np.random.default_rng(seed)
    mu = np.asarray(mu, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    if mu.ndim == 1:
        mu = mu[None, :]
        edges = np.array([0.0, T])
    edges = np.asarray(edges, dtype=float)
    if edges.size != mu.shape[0] + 1:
        raise ValueError("piecewise mu needs B+1 edges")
    D = mu.shape[1]
    if alpha.shape != (D, D):
        raise ValueError(f"alpha must be {D}x{D}, got {alpha.shape}")
    if D and np.max(np.abs(np.linalg.eigvals(alpha))) >= 1:
        raise ValueError("alpha has spectral radius >= 1: the process explodes")
    L = np.diff(edges)
    n0 = rng.poisson(mu * L[:, None])  # (B, D)
    types = np.tile(np.arange(D), mu.shape[0]).repeat(n0.ravel())
    lo = np.repeat(edges[:-1], D).repeat(n0.ravel())
    times = lo + rng.uniform(0, 1, types.size) * np.repeat(L, D).repeat(n0.ravel())
    all_t, all_u = [times], [types]
    total = types.size
    while types.size:
        # children counts per (parent, target type)
        k = rng.poisson(alpha[types])  # (n, D)
        n_child = k.sum(1)
        if not n_child.any():
            break
        parent_t = np.repeat(times, n_child)
        child_u = np.repeat(np.tile(np.arange(D), k.shape[0]), k.ravel())
        child_t = parent_t + rng.exponential(1.0 / beta, parent_t.size)
        keep = child_t < T
        times, types = child_t[keep], child_u[keep]
        total += types.size
        if total > max_events:
            raise ValueError(f"simulation exceeded {max_events} events")
        all_t.append(times)
        all_u.append(types)
    t = np.concatenate(all_t)
    u = np.concatenate(all_u).astype(np.int64)
    order = np.argsort(t, kind="stable")
    return t[order], u[order]


# --------------------------------------------------------------------------------------------
# fitting


def decay_sums(t: np.ndarray, u: np.ndarray, D: int, beta: float) -> np.ndarray:
    """``R[n, i] = sum_{k < n, u_k = i} exp(-beta (t_n - t_k))`` for sorted ``t``, in O(N·D) without a Python loop.

    Time is cut into segments of length ``30/beta``; inside a segment, ``exp(beta (t - start))``
    stays below e^30 and a grouped cumulative sum is exact to float64 precision; the previous
    segment's events enter through its decayed total.  Events two or more segments back weigh
    less than e^-30 (≈1e-13) each and are dropped: that is the truncation.
    """
    N = t.size
    if N == 0:
        return np.zeros((0, D))
    span = _SEGMENT / beta
    seg = np.floor((t - t[0]) / span).astype(np.int64)
    ref = t[0] + seg * span
    x = np.exp(beta * (t - ref))  # in [1, e^30)
    onehot = np.zeros((N, D))
    onehot[np.arange(N), u] = x
    # grouped inclusive cumsum per segment (pandas groupby-cumsum is a C loop)
    cs = pd.DataFrame(onehot).groupby(seg, sort=False).cumsum().to_numpy(copy=True)
    cs -= onehot  # exclusive: k < n
    R = cs / x[:, None]
    # carry from the previous segment: sum_{k in seg-1} exp(-beta (start_seg - t_k)) = e^-30 * total(seg-1)
    useg, first = np.unique(seg, return_index=True)
    last = np.r_[first[1:], N] - 1
    totals = cs[last] + onehot[last]  # (S, D) segment totals in the segment's scale
    carry = np.zeros_like(totals)
    prev_is_adjacent = np.r_[False, np.diff(useg) == 1]
    carry[prev_is_adjacent] = totals[np.flatnonzero(prev_is_adjacent) - 1] * np.exp(-_SEGMENT)
    seg_pos = np.searchsorted(useg, seg)
    R += carry[seg_pos] / x[:, None]
    # ties (equal times): an event at the same instant is not a parent (k < n is kept, exp(0)=1);
    # jittered data has no ties, simulated data has none with probability 1.
    return R


def _pieces(T: float, baseline_days: float | None) -> np.ndarray:
    """Equal pieces of about ``baseline_days`` over [0, T] (one piece when None)."""
    B = 1 if not baseline_days else max(1, int(round(T / float(baseline_days))))
    return np.linspace(0.0, T, B + 1)


def _em(t, u, D, T, beta, mu0=None, alpha0=None, tol=1e-6, max_iter=1000, R=None, edges=None):
    N = t.size
    if R is None:
        R = decay_sums(t, u, D, beta)
    edges = np.array([0.0, T]) if edges is None else np.asarray(edges, float)
    B = edges.size - 1
    L = np.diff(edges)
    b = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, B - 1)
    cell = b * D + u  # (piece, type) of each event
    K = np.bincount(u, weights=1.0 - np.exp(-beta * (T - t)), minlength=D)  # compensator per source type
    K = np.maximum(K, 1e-12)
    if mu0 is None:
        mu = np.bincount(cell, minlength=B * D).reshape(B, D) / L[:, None] * 0.5
    else:
        mu = np.broadcast_to(np.asarray(mu0, float), (B, D)).copy()
    mu = np.maximum(mu, 1e-12)
    alpha = np.full((D, D), 0.5 / D) if alpha0 is None else np.asarray(alpha0, float).copy()
    onehot = np.zeros((N, D))
    onehot[np.arange(N), u] = 1.0
    bR = beta * R
    prev = -np.inf
    ll = -np.inf
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count of iterations is returned
        # intensity at each event: lam_n = mu[u_n] + sum_i alpha[i, u_n] * beta * R[n, i]
        lam = mu[b, u] + np.einsum("ni,ni->n", bR, alpha.T[u])
        lam = np.maximum(lam, 1e-300)
        inv = 1.0 / lam
        ll = float(np.log(lam).sum() - (mu * L[:, None]).sum() - (alpha * K[:, None]).sum())
        # E-step sums: S[i, j] = sum_{n: u_n=j} beta R[n,i] / lam_n
        S = (bR * inv[:, None]).T @ onehot
        bg = np.bincount(cell, weights=inv, minlength=B * D).reshape(B, D)
        alpha = alpha * S / K[:, None]
        mu = mu * bg / L[:, None]
        if np.isfinite(prev) and abs(ll - prev) <= tol * max(1.0, abs(ll)):
            converged = True
            break
        prev = ll
    return mu, alpha, ll, it, converged


def fit(
    times,
    types,
    T: float | None = None,
    beta: float | Sequence[float] | None = None,
    D: int | None = None,
    names: Sequence[str] | None = None,
    tol: float = 1e-6,
    max_iter: int = 1000,
    min_events: int = 2,
    baseline_days: float | None = None,
) -> HawkesFit:
    """Fit mu and the branching matrix by EM.

    ``times`` (days, any order), ``types`` (ints 0..D-1).  ``beta``: a fixed decay (per day), a
    sequence of decays to grid-search by log-likelihood, or None for :data:`DEFAULT_BETAS`.
    ``T``: window length; default ``max(times) - min(times)`` measured from ``min(times)``
    (times are shifted to start at 0 when T is None).
    ``baseline_days``: let the background rate of each type change every ~``baseline_days`` days
    (piecewise constant, equal pieces); None = constant.  A changing background keeps common trends
    (two groups escalating in the same season) from being read as one exciting the other.
    """
    import time as _time

    t0 = _time.perf_counter()
    t = np.asarray(times, dtype=float)
    u = np.asarray(types, dtype=np.int64)
    if t.shape != u.shape:
        raise ValueError("times and types differ in length")
    if D is None:
        D = int(u.max()) + 1 if u.size else 0
    names = list(names) if names is not None else [str(i) for i in range(D)]
    counts = np.bincount(u, minlength=D) if u.size else np.zeros(D, int)
    if u.size < max(min_events, 2) or D == 0:
        raise HawkesError(f"too few events for a Hawkes fit: {u.size} (need at least {max(min_events, 2)})")
    order = np.argsort(t, kind="stable")
    t, u = t[order], u[order]
    if T is None:
        t = t - t[0]
        T = float(t[-1]) if t[-1] > 0 else 0.0
    if T <= 0:
        raise HawkesError("all events at one instant: the window has zero length")
    betas = [float(beta)] if np.isscalar(beta) else list(beta if beta is not None else DEFAULT_BETAS)
    edges = _pieces(T, baseline_days)
    best = None
    lls: dict[float, float] = {}
    for b in betas:
        mu, alpha, ll, it, conv = _em(t, u, D, T, b, tol=tol, max_iter=max_iter, edges=edges)
        lls[b] = ll
        if best is None or ll > best[2]:
            best = (mu, alpha, ll, it, conv, b)
    mu, alpha, ll, it, conv, b = best
    return HawkesFit(
        types=names,
        mu=(mu * np.diff(edges)[:, None]).sum(0) / T,
        alpha=alpha,
        beta=b,
        T=T,
        counts=counts,
        loglik=ll,
        n_iter=it,
        converged=conv,
        seconds=_time.perf_counter() - t0,
        loglik_by_beta=lls,
        mu_piece=mu,
        edges=edges,
    )


def bootstrap(
    fit_: HawkesFit,
    n_boot: int = 50,
    level: float = 0.9,
    seed: int | None = 0,
    tol: float = 1e-6,
    max_iter: int = 1000,
) -> HawkesFit:
    """Parametric bootstrap: simulate ``n_boot`` processes from the fit on the same window (same
    piecewise background), refit (same beta) from the default start, and store basic bootstrap
    intervals at ``level`` in ``mu_ci`` / ``alpha_ci`` (clipped at 0).  Returns ``fit_``."""
    if n_boot <= 0:
        return fit_
    rng = np.random.default_rng(seed)
    D = len(fit_.types)
    alpha = fit_.alpha
    rho = np.max(np.abs(np.linalg.eigvals(alpha))) if D else 0
    if (
        rho >= 1
    ):  # a supercritical fit cannot be simulated stationarily: shrink just below 1 for the bootstrap
        alpha = alpha * (0.99 / rho)
    mus, alphas = [], []
    edges = fit_.edges if fit_.edges is not None else np.array([0.0, fit_.T])
    mu_p = fit_.mu_piece if fit_.mu_piece is not None else fit_.mu[None, :]
    L = np.diff(edges)
    for _ in range(n_boot):
        t, u = simulate(mu_p, alpha, fit_.beta, fit_.T, seed=int(rng.integers(2**31)), edges=edges)
        if t.size < 2:
            mus.append(np.zeros(D))
            alphas.append(np.zeros((D, D)))
            continue
        # refit from the default start (starting at the fit would shrink the intervals)
        mu, a, *_ = _em(t, u, D, fit_.T, fit_.beta, tol=tol, max_iter=max_iter, edges=edges)
        mus.append((mu * L[:, None]).sum(0) / fit_.T)
        alphas.append(a)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    # basic (reverse-percentile) interval [2θ - q_hi, 2θ - q_lo], clipped at 0: it corrects the EM's small-sample
    # bias that the plain percentile interval inherits (measured coverage: docs/relations.md).  Near 0 the basic
    # upper end collapses onto the estimate, so the upper end is the larger of the basic and percentile ones.
    for name, est, reps in (("mu_ci", fit_.mu, mus), ("alpha_ci", fit_.alpha, alphas)):
        qlo, qhi = np.percentile(np.array(reps), q, axis=0)
        lo = np.maximum(2 * est - qhi, 0.0)
        hi = np.maximum(np.maximum(2 * est - qlo, qhi), lo)
        setattr(fit_, name, np.stack([lo, hi], axis=-1))
    fit_.n_boot = n_boot
    return fit_


# --------------------------------------------------------------------------------------------
# events DataFrame → times


def event_times(dates: pd.Series, seed: int | None = 0, origin: pd.Timestamp | None = None) -> np.ndarray:
    """Days since ``origin`` (default: first date) with tied daily dates jittered uniformly inside their day (seeded)."""
    d = pd.to_datetime(dates).dt.normalize()
    origin = d.min() if origin is None else pd.Timestamp(origin)
    days = ((d - origin) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    return days + rng.uniform(0.0, 1.0, days.size)


def hawkes_actors(
    events: pd.DataFrame,
    actors: Sequence[str] | None = None,
    *,
    actor_map: Callable[[str], str | None] | None = None,
    beta=None,
    n_boot: int = 30,
    level: float = 0.9,
    seed: int = 0,
    min_events: int = 10,
    top: int = 5,
    baseline_days: float | None = None,
) -> pd.DataFrame:
    """Fit a Hawkes process to the events initiated by each actor (actor1 side, assoc actors included via ``actor_map``).

    ``actors``: canonical names (after ``actor_map``); default the ``top`` most active actor1 groups.
    An event whose actor1 side holds several of the chosen actors counts once for each.
    Returns the tidy table of :meth:`HawkesFit.to_frame` (kind, source, target, estimate, ci_low, ci_high, ...).
    Raises :class:`HawkesError` with a plain message when the selection cannot support a fit.
    """
    if events is None or len(events) == 0:
        raise HawkesError("no events in the selection")
    groups = side_groups(events, actor_map=actor_map, side=1)
    if actors is None:
        cnt = pd.Series([g for s in groups for g in s]).value_counts()
        actors = list(cnt.index[:top])
    actors = list(dict.fromkeys(actors))
    if len(actors) < 1:
        raise HawkesError("no actors to model")
    idx = {a: i for i, a in enumerate(actors)}
    rows, typ = [], []
    for r, s in enumerate(groups):
        for g in s:
            if g in idx:
                rows.append(r)
                typ.append(idx[g])
    typ = np.asarray(typ, dtype=np.int64)
    counts = np.bincount(typ, minlength=len(actors))
    short = [f"{a} ({c})" for a, c in zip(actors, counts) if c < min_events]
    if short:
        raise HawkesError(
            f"too few events for a Hawkes fit (need {min_events} per actor): " + ", ".join(short)
        )
    dates = events["event_date"].iloc[rows].reset_index(drop=True)
    origin = pd.to_datetime(events["event_date"]).min().normalize()
    t = event_times(dates, seed=seed, origin=origin)
    end = (pd.to_datetime(events["event_date"]).max().normalize() - origin) / pd.Timedelta(days=1) + 1
    f = fit(t, typ, T=float(end), beta=beta, D=len(actors), names=actors, baseline_days=baseline_days)
    bootstrap(f, n_boot=n_boot, level=level, seed=seed)
    out = f.to_frame()
    out.attrs["fit"] = f
    return out
