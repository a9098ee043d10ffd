"""Multivariate Hawkes: the recursion, simulation, EM recovery, bootstrap, events frames, bad input."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from sahelwatch.analysis import hawkes as hk

MU = np.array([0.5, 0.3, 0.4])
ALPHA = np.array([[0.30, 0.20, 0.00], [0.00, 0.40, 0.10], [0.25, 0.00, 0.20]])


def brute_sums(t, u, D, beta):
    R = np.zeros((t.size, D))
    for n in range(t.size):
        d = t[n] - t[:n]
        for i in range(D):
            R[n, i] = np.exp(-beta * d[u[:n] == i]).sum()
    return R


@pytest.mark.parametrize("beta", [0.05, 1.0, 8.0])  # 8/day: many segments of 30/beta days, crossing carries
def test_decay_sums_match_brute_force(beta):
    t, u = hk.simulate(MU, ALPHA, 1.0, T=400, seed=3)
    R = hk.decay_sums(t, u, 3, beta)
    assert np.allclose(R, brute_sums(t, u, 3, beta), rtol=1e-9, atol=1e-11)


def test_simulated_counts_match_theory():
    T = 5000
    t, u = hk.simulate(MU, ALPHA, 0.5, T=T, seed=7)
    expected = np.linalg.solve(np.eye(3) - ALPHA.T, MU) * T  # stationary rates (I - A^T)^-1 mu
    got = np.bincount(u, minlength=3)
    assert np.all(np.abs(got - expected) / expected < 0.06), (got, expected)
    assert np.all(np.diff(t) >= 0) and t.min() >= 0 and t.max() < T


def test_simulate_rejects_explosive():
    with pytest.raises(ValueError, match="spectral radius"):
        hk.simulate([0.1], [[1.2]], 1.0, 100)


def test_em_recovers_three_actor_branching_matrix():
    """Planted truth: ~35,000 events; every non-zero entry within 15% relative error, zeros below 0.03."""
    t, u = hk.simulate(MU, ALPHA, 1.0, T=15000, seed=11)
    t0 = time.perf_counter()
    f = hk.fit(t, u, T=15000, beta=1.0)
    secs = time.perf_counter() - t0
    nz = ALPHA > 0
    rel = np.abs(f.alpha[nz] - ALPHA[nz]) / ALPHA[nz]
    assert t.size > 30000
    assert rel.max() < 0.15, (f.alpha, rel)
    assert np.abs(f.alpha[~nz]).max() < 0.03
    assert np.allclose(f.mu, MU, rtol=0.15)
    assert f.converged and secs < 10


def test_grid_search_picks_the_true_decay():
    t, u = hk.simulate(MU, ALPHA, 0.2, T=20000, seed=5)
    f = hk.fit(t, u, T=20000, beta=[0.05, 0.2, 1.0])
    assert f.beta == 0.2
    assert f.loglik_by_beta[0.2] > max(f.loglik_by_beta[0.05], f.loglik_by_beta[1.0])


def test_daily_ties_with_jitter_still_recover_a_slow_kernel():
    """Timestamps rounded to days, then jittered inside the day: a kernel with a mean lag of 10 days survives."""
    beta = 0.1
    t, u = hk.simulate(MU / 4, ALPHA, beta, T=80000, seed=2)
    days = np.floor(t)
    tj = days + np.random.default_rng(0).uniform(0, 1, days.size)
    exact = hk.fit(t, u, T=80000, beta=beta)
    f = hk.fit(tj, u, T=80000, beta=beta)
    assert np.abs(f.alpha - exact.alpha).max() < 0.03  # the jitter costs little against exact times
    assert np.abs(f.alpha - ALPHA).max() < 0.07


def test_piecewise_background_absorbs_a_common_trend():
    """Two groups that do not excite each other but share a trend: a constant background reads the trend as
    cross-excitation; a background free to change every 300 days does not."""
    A = np.array([[0.3, 0.0], [0.0, 0.3]])
    edges = np.linspace(0, 1200, 5)
    mu = np.array([[0.05, 0.05], [0.6, 0.4], [0.1, 0.1], [0.8, 0.5]])
    t, u = hk.simulate(mu, A, 0.5, T=1200, seed=0, edges=edges)
    const = hk.fit(t, u, T=1200, beta=0.5)
    piece = hk.fit(t, u, T=1200, beta=0.5, baseline_days=300)
    assert min(const.alpha[0, 1], const.alpha[1, 0]) > 0.15  # the confound
    assert max(piece.alpha[0, 1], piece.alpha[1, 0]) < 0.05
    assert piece.mu_piece.shape == (4, 2) and np.allclose(piece.mu_piece, mu, atol=0.2)
    assert piece.mu == pytest.approx((piece.mu_piece * 300).sum(0) / 1200)
    hk.bootstrap(piece, n_boot=5, seed=0)
    assert piece.alpha_ci[0, 1, 1] < 0.1


def test_bootstrap_intervals_cover_truth():
    t, u = hk.simulate(MU, ALPHA, 1.0, T=3000, seed=4)
    f = hk.bootstrap(hk.fit(t, u, T=3000, beta=1.0), n_boot=25, level=0.9, seed=1)
    lo, hi = f.alpha_ci[..., 0], f.alpha_ci[..., 1]
    assert np.all(lo <= hi)
    covered = (lo - 0.02 <= ALPHA) & (ALPHA <= hi + 0.02)
    assert covered.sum() >= 8
    assert np.all((f.mu_ci[:, 0] < MU * 1.3) & (f.mu_ci[:, 1] > MU * 0.7))
    tab = f.to_frame()
    assert set(tab["kind"]) == {"baseline", "branching"} and len(tab) == 3 + 9
    assert tab[["estimate", "ci_low", "ci_high"]].notna().all().all()


def test_event_times_jitter_inside_the_day_and_is_seeded():
    d = pd.Series(pd.to_datetime(["2019-01-01", "2019-01-01", "2019-01-03"]))
    a = hk.event_times(d, seed=1)
    b = hk.event_times(d, seed=1)
    assert np.array_equal(a, b)
    assert np.all(np.floor(a) == [0, 0, 2])
    assert a[0] != a[1]


def _frame_from(t, u, names, start="2017-01-01"):
    dates = pd.Timestamp(start) + pd.to_timedelta(np.floor(t), unit="D")
    return pd.DataFrame(
        {
            "event_date": dates,
            "actor1": [names[i] for i in u],
            "assoc_actor_1": None,
            "actor2": "Civilians (Mali)",
            "fatalities": 1,
        }
    )


def test_hawkes_actors_on_an_events_frame():
    t, u = hk.simulate([0.3, 0.2], [[0.2, 0.3], [0.0, 0.2]], 0.1, T=6000, seed=2)
    ev = _frame_from(t, u, ["Group A", "Group B"])
    tab = hk.hawkes_actors(ev, actors=["Group A", "Group B"], beta=0.1, n_boot=10)
    br = tab[tab.kind == "branching"].set_index(["source", "target"])["estimate"]
    assert br[("Group A", "Group B")] == pytest.approx(0.3, abs=0.07)
    assert br[("Group B", "Group A")] < 0.12
    # the mapping folds a component into its group
    ev.loc[ev.index[::5], "assoc_actor_1"] = "Katiba X"
    ev.loc[ev.index[::5], "actor1"] = "Unidentified Armed Group (Mali)"
    tab2 = hk.hawkes_actors(
        ev, actors=["Group A"], actor_map=lambda s: "Group A" if s == "Katiba X" else s, beta=0.1, n_boot=0
    )
    assert tab2.attrs["fit"].counts[0] >= (u == 0).sum() - 1


def test_bad_input_messages():
    with pytest.raises(hk.HawkesError, match="no events"):
        hk.hawkes_actors(pd.DataFrame(columns=["event_date", "actor1"]))
    ev = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2019-01-01"] * 3 + ["2019-02-01"] * 30),
            "actor1": ["Lone Group"] * 3 + ["Big Group"] * 30,
        }
    )
    with pytest.raises(hk.HawkesError, match=r"too few events.*Lone Group \(3\)"):
        hk.hawkes_actors(ev, actors=["Big Group", "Lone Group"])
    with pytest.raises(hk.HawkesError, match="too few events"):
        hk.fit([1.0], [0])
    with pytest.raises(hk.HawkesError, match="zero length"):
        hk.fit([2.0, 2.0, 2.0], [0, 0, 0])
    # one actor is a valid (univariate) fit
    t, u = hk.simulate([0.5], [[0.4]], 1.0, T=2000, seed=1)
    f = hk.fit(t, u, T=2000, beta=1.0)
    assert f.alpha.shape == (1, 1) and abs(f.alpha[0, 0] - 0.4) < 0.1
