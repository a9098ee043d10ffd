import numpy as np
import pytest

from sahelwatch.analysis.forecast import scoring as sc


def test_crps_hand_computed():
    # X in {0, 2}, y = 1: mean|X-y| = 1, mean|X-X'| = (0+2+2+0)/4 = 1 -> 1 - 0.5 = 0.5
    assert sc.crps_ensemble(np.array([0.0, 2.0]), 1.0) == pytest.approx(0.5)
    # a point mass is the absolute error
    assert sc.crps_ensemble(np.full(10, 3.0), 7.0) == pytest.approx(4.0)
    # {0, 0, 0, 10}, y = 0: mean|X-y| = 2.5; pairs: 6 of 16 ordered pairs differ by 10 -> 3.75; 2.5 - 1.875
    assert sc.crps_ensemble(np.array([0, 0, 0, 10.0]), 0.0) == pytest.approx(0.625)


def test_crps_sorted_matches_pairwise_and_vectorises():
    rng = np.random.default_rng(1)
    x = rng.negative_binomial(1, 0.2, size=(4, 3, 200)).astype(float)
    y = rng.poisson(3, size=(4, 3)).astype(float)
    fast = sc.crps_ensemble(x, y)
    assert fast.shape == (4, 3)
    np.testing.assert_allclose(fast, sc.crps_pairs(x, y), rtol=1e-10, atol=1e-12)
    # order of samples does not matter
    np.testing.assert_allclose(sc.crps_ensemble(x[..., ::-1], y), fast)


def test_crps_prefers_the_right_forecast():
    rng = np.random.default_rng(2)
    good = rng.poisson(5, 1000).astype(float)
    bad = rng.poisson(20, 1000).astype(float)
    assert sc.crps_ensemble(good, 5.0) < sc.crps_ensemble(bad, 5.0)


def test_ignorance_bins_and_smoothing():
    S = 100
    zeros = np.zeros(S)
    # all samples in the observed bin [0, 0.5): p = (100 + 1) / (100 + 11)
    assert sc.ignorance(zeros, 0.0) == pytest.approx(-np.log2(101 / 111))
    # observed 3 falls in the empty bin [2.5, 5.5): finite thanks to the smoothing
    assert sc.ignorance(zeros, 3.0) == pytest.approx(-np.log2(1 / 111))
    # 1 and 2 share the bin [0.5, 2.5); 3 does not
    x = np.array([1.0] * 50 + [2.0] * 50)
    assert sc.ignorance(x, 2.0) == pytest.approx(-np.log2(101 / 111))
    assert sc.ignorance(x, 2000.0) == pytest.approx(-np.log2(1 / 111))  # the open top bin
    assert len(sc.VIEWS_BINS) == 11


def test_interval_score():
    x = np.arange(0, 101, dtype=float)  # 5% and 95% quantiles: 5 and 95
    assert sc.interval_score(x, 50.0) == pytest.approx(90.0)
    assert sc.interval_score(x, 100.0) == pytest.approx(90.0 + 20 * 5)
    assert sc.interval_score(x, 0.0) == pytest.approx(90.0 + 20 * 5)


def test_mse_log_and_average_precision():
    assert sc.mse_log(np.full(5, np.e - 1), 0.0) == pytest.approx(1.0)
    x = np.stack([np.ones(10), np.zeros(10), np.r_[np.ones(5), np.zeros(5)]])
    assert sc.average_precision(x, np.array([1, 0, 0])) == pytest.approx(1.0)
    assert sc.average_precision(x, np.array([0, 1, 0])) < 0.5
    assert np.isnan(sc.average_precision(x, np.zeros(3)))  # one class only


def test_pit_uniform_when_calibrated_and_skewed_when_not():
    rng = np.random.default_rng(3)
    n = 3000
    mu = rng.uniform(1, 20, n)
    y = rng.poisson(mu).astype(float)
    cal = rng.poisson(mu[:, None], size=(n, 400)).astype(float)
    u = sc.pit(cal, y, rng=4)
    hist = np.histogram(u, bins=10, range=(0, 1))[0] / n
    assert np.all(np.abs(hist - 0.1) < 0.03)
    low = rng.poisson(mu[:, None] / 3, size=(n, 400)).astype(float)  # too low: PIT piles up near 1
    assert np.mean(sc.pit(low, y, rng=4) > 0.9) > 0.4


def test_score_all_subsets():
    x = np.stack([np.zeros(50), np.full(50, 4.0)])
    y = np.array([0.0, 4.0])
    s = sc.score_all(x, y)
    assert s["all"]["n"] == 2 and s["conflict"]["n"] == 1
    assert s["conflict"]["crps"] == pytest.approx(0.0)
    assert set(s["all"]) >= {"crps", "ign", "is90", "mse_log", "ap"}
