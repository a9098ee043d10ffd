import numpy as np
import pandas as pd
import pytest

from sahelwatch.analysis import forecast as fc
from sahelwatch.analysis.forecast.baselines import Conflictology, Mixture, NegBin, Zero, ZINegBin
from sahelwatch.analysis.forecast.models import GBMForecaster, analog_samples, feature_tensor, reconcile
from sahelwatch.analysis.forecast.targets import ForecastError, build_panel, month_str

from _forecast_data import synthetic_events

SMALL = dict(n_estimators=30, folds=2)


@pytest.fixture(scope="module")
def events():
    return synthetic_events(months=26, seed=11)


@pytest.fixture(scope="module")
def panel(events):
    return build_panel(events, unit="priogrid")


def test_features_use_no_later_month(panel):
    F, names = feature_tensor(panel)
    t = 15
    Ft, _ = feature_tensor(panel.truncate(panel.months[t]))
    np.testing.assert_allclose(F[:, : t + 1], Ft)  # features up to t are the same whatever follows
    assert {"y_l0", "nb1_y3", "since_event", "share_jnim"} <= set(names)


@pytest.mark.parametrize(
    "model",
    [
        GBMForecaster(**SMALL),
        GBMForecaster(dist="nb", **SMALL),
        Conflictology(),
        Mixture(),
        NegBin(),
        ZINegBin(),
    ],
    ids=lambda m: m.name + getattr(m, "dist", ""),
)
def test_poisoned_future_does_not_change_forecasts(events, model):
    """Forecasts at an origin must not depend on anything after it: blow up every later event."""
    origin = "2018-02"
    cut = pd.Timestamp("2018-03-01")
    poisoned = events.copy()
    later = poisoned.event_date >= cut
    poisoned.loc[later, "fatalities"] = poisoned.loc[later, "fatalities"] * 100 + 500
    poisoned.loc[later, "event_type"] = "Battles"
    p1, p2 = build_panel(events), build_panel(poisoned)
    assert (p1.y != p2.y).any()
    a = (
        fc.forecast(p1, horizon="1-3", samples=50, origin=origin, model="lgbm", seed=4)
        if model.name == "lgbm" and model.dist == "analog"
        else None
    )
    if a is not None:
        b = fc.forecast(p2, horizon="1-3", samples=50, origin=origin, model="lgbm", seed=4)
        pd.testing.assert_frame_equal(a, b)
    t = fc.parse_month(origin)
    np.testing.assert_array_equal(
        model.predict(p1.truncate(t), [1, 2, 3], 50, seed=4),
        model.predict(p2.truncate(t), [1, 2, 3], 50, seed=4),
    )


def test_backtest_scores_never_see_the_predicted_month(events):
    """Same backtest on clean and poisoned data: origins before the poisoning score identically
    on months before it; the poisoned months only change the observed values."""
    cut = pd.Timestamp("2018-09-01")
    poisoned = events.copy()
    later = poisoned.event_date >= cut
    poisoned.loc[later, "fatalities"] += 1000
    kw = dict(
        origins=["2018-03", "2018-04"],
        horizon="1-3",
        samples=60,
        seeds=(0,),
        models=[GBMForecaster(**SMALL), Zero()],
    )
    a = fc.backtest(build_panel(events), **kw).points
    b = fc.backtest(build_panel(poisoned), **kw).points
    np.testing.assert_allclose(a["mean"], b["mean"])


def test_forecast_frame_shape_and_months(panel):
    df = fc.forecast(panel, horizon="1-6", samples=100, model="conflictology")
    assert list(df.columns) == ["unit", "month", "horizon", "sample", "value"]
    assert len(df) == panel.n_units * 6 * 100
    last = month_str(panel.last_month)
    assert df.loc[df.horizon == 1, "month"].iat[0] > last
    s = fc.summarize(df)
    assert {"mean", "q05", "q95", "p_any"} <= set(s.columns) and len(s) == panel.n_units * 6
    assert (s.q05 <= s.q95).all()


def test_model_beats_zero_and_tracks_hot_spots(panel):
    m = GBMForecaster(n_estimators=60)
    t = panel.months[-4]
    mu, _ = m.predict_mean(panel.truncate(t), [1])
    hot = panel.y[:, :-4].sum(axis=1)
    assert np.corrcoef(mu[:, 0], hot)[0, 1] > 0.6


def test_analog_samples_follow_the_rank_of_the_prediction():
    rng = np.random.default_rng(0)
    pool_mu = np.arange(100.0)
    pool_y = np.arange(100.0) * 2
    s = analog_samples(np.array([-5.0, 50.0, 1e6]), pool_mu, pool_y, 10, 500, rng)
    assert s[0].max() <= 18 and 80 <= s[1].min() and s[1].max() <= 120 and s[2].min() >= 180


def test_backtest_table_and_seed_spread(panel):
    res = fc.backtest(
        panel,
        first_origin="2017-12",
        last_origin="2018-02",
        horizon="1-2",
        samples=80,
        seeds=(0, 1),
        models=[GBMForecaster(**SMALL), Conflictology(), Zero()],
    )
    t = res.table
    assert set(t.model) == {"lgbm", "conflictology", "zero"}
    assert set(t.subset) == {"all", "conflict", "active"} and set(t.horizon) == {1, 2}
    assert set(t.metric) == {"crps", "ign", "is90", "mse_log", "ap"}
    assert (t.loc[t.model == "zero", "sd"] == 0).all()  # zero is deterministic
    assert (t.loc[(t.model == "lgbm") & (t.metric == "crps"), "sd"] > 0).any()  # seeds do matter
    h = res.headline()
    assert list(h.horizon) == [1, 2] and {"gain_vs_best", "gain_vs_conflictology"} <= set(h.columns)
    assert res.timing["origins"] == 3 and len(res.timing["per_origin"]) == 3
    assert len(res.pits) > 0 and res.pits.pit.between(0, 1).all()


def test_reconciliation_is_coherent(panel):
    sims = Conflictology().predict(panel, [1, 2], 200, seed=0)
    names, agg = reconcile(sims, panel.parent)
    for g, a in zip(names, agg):
        np.testing.assert_allclose(a, sims[panel.parent == g].sum(axis=0))
    _, country = reconcile(sims, np.full(panel.n_units, "Mali", dtype=object))
    np.testing.assert_allclose(country[0], sims.sum(axis=0))
    _, com = reconcile(sims, panel.parent, "comonotone")
    np.testing.assert_allclose(com.mean(axis=-1), agg.mean(axis=-1))  # same means, wider spread
    assert com.std(axis=-1).sum() >= agg.std(axis=-1).sum()
    res = fc.backtest(
        panel,
        origins=["2018-01"],
        horizon="1",
        samples=50,
        seeds=(0,),
        models=[Conflictology()],
        reconcile_to="admin1",
    )
    assert {"conflictology@admin1/independent", "conflictology@admin1/comonotone"} <= set(res.table.model)


def test_bad_input_is_explained(events, panel):
    with pytest.raises(ForecastError, match="too short a history"):
        fc.forecast(panel, origin="2017-06", samples=10)
    with pytest.raises(ForecastError, match="outside the data"):
        fc.forecast(panel, origin="2021-01", samples=10)
    with pytest.raises(ForecastError, match="horizon"):
        fc.forecast(panel, horizon="1-9", samples=10)
    with pytest.raises(ForecastError, match="no later month"):
        fc.backtest(panel, origins=[month_str(panel.last_month)], samples=10)
    with pytest.raises(ForecastError, match="too short"):
        fc.backtest(build_panel(synthetic_events(months=8)), samples=10)
    quiet = events[events.admin1 == "Bamako"]  # protests only: no violence to learn from
    with pytest.raises(ForecastError, match="no all fatalities"):
        fc.forecast(quiet, unit="admin1", samples=10)
    with pytest.raises(ForecastError, match="model"):
        fc.forecast(panel, model="oracle", samples=10)


def test_report_html(tmp_path, panel):
    res = fc.backtest(
        panel,
        origins=["2018-01", "2018-02"],
        horizon="1-2",
        samples=60,
        seeds=(0, 1),
        models=[GBMForecaster(**SMALL), Conflictology(), Zero()],
    )
    out = fc.write_report(res, tmp_path / "r.html")
    html = out.read_text()
    assert html.count("data:image/png;base64,") >= 3
    assert "CRPS" in html and "conflictology" in html and "PIT" in html and "2018-01" in html
