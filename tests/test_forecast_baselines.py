import logging

import numpy as np
import pytest

from sahelwatch.analysis.forecast import baselines as bl
from sahelwatch.analysis.forecast.targets import build_panel

from _forecast_data import synthetic_events


@pytest.fixture(scope="module")
def panel():
    return build_panel(synthetic_events(months=24, seed=5), unit="priogrid")


@pytest.mark.parametrize("model", bl.all_baselines(), ids=lambda m: m.name)
def test_every_baseline_gives_seeded_nonnegative_samples(panel, model):
    a = model.predict(panel, [1, 2, 3], 1000, seed=1)
    assert a.shape == (panel.n_units, 3, 1000)
    assert np.all(a >= 0) and np.all(np.isfinite(a))
    np.testing.assert_array_equal(a, model.predict(panel, [1, 2, 3], 1000, seed=1))


def test_zero_last_average(panel):
    assert not bl.Zero().predict(panel, [1], 10).any()
    last = bl.LastValue().predict(panel, [1], 4000, seed=0)[:, 0].mean(axis=1)
    np.testing.assert_allclose(last, panel.y[:, -1], atol=0.15 * np.sqrt(panel.y[:, -1].max() + 1))
    avg = bl.WindowMean(6).predict(panel, [1], 4000, seed=0)[:, 0].mean(axis=1)
    np.testing.assert_allclose(avg, panel.y[:, -6:].mean(axis=1), atol=0.3)


def test_conflictology_resamples_own_last_12_months(panel):
    a = bl.Conflictology().predict(panel, [1, 6], 500, seed=2)
    for i in range(panel.n_units):
        assert set(np.unique(a[i])) <= set(panel.y[i, -12:])
    busiest = panel.y[:, -12:].sum(axis=1).argmax()
    assert a[busiest].mean() == pytest.approx(panel.y[busiest, -12:].mean(), rel=0.15)


def test_mixture_draws_from_the_global_pool(panel):
    quiet = int(np.nonzero(panel.y[:, -12:].sum(axis=1) == 0)[0][0])
    a = bl.Mixture(lam=0.5).predict(panel, [1], 2000, seed=3)
    share = (a[quiet] > 0).mean()
    assert 0.35 < share < 0.65  # about lam of its draws come from the positive pool
    assert set(np.unique(a[quiet])) - {0.0} <= set(panel.y[:, -12:][panel.y[:, -12:] > 0])


def test_negbin_fallback_is_logged(caplog):
    p = build_panel(synthetic_events(months=14, seed=1), unit="priogrid")
    p.y[:] = 0.0
    p.y[0, -1] = 3.0  # almost nothing to fit
    nb = bl.NegBin()
    with caplog.at_level(logging.WARNING):
        a = nb.predict(p, [1], 200, seed=0)
    assert nb.fallback_used and "falling back" in caplog.text
    assert a.shape == (p.n_units, 1, 200)
    zi = bl.ZINegBin()
    zi.predict(p, [1], 200, seed=0)
    assert zi.fallback_used


def test_negbin_fits_converge_on_real_signal(panel):
    nb, zi = bl.NegBin(), bl.ZINegBin()
    nb.predict(panel, [1], 100)
    zi.predict(panel, [1], 100)
    assert not nb.fallback_used
