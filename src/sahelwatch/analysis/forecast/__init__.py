"""Probabilistic forecasts of violence per PRIO-GRID cell / admin area and month, with
rolling-origin backtests scored the VIEWS way (see docs/forecasting.md).

    from sahelwatch.analysis import forecast as fc
    df = fc.forecast(events, unit="priogrid", target="fatalities", horizon="1-6", samples=1000)
    res = fc.backtest(events, unit="priogrid", first_origin="2018-06", seeds=(0, 1, 2))
    fc.write_report(res, "backtest.html")
"""

from .backtest import BacktestResult, backtest, forecast, get_model, samples_frame, summarize
from .baselines import Conflictology, LastValue, Mixture, NegBin, WindowMean, Zero, ZINegBin, all_baselines
from .models import GBMForecaster, feature_tensor, reconcile
from .report import write_report
from .scoring import (
    VIEWS_BINS,
    average_precision,
    crps_ensemble,
    ignorance,
    interval_score,
    mse_log,
    pit,
    score_all,
)
from .targets import (
    ForecastError,
    Panel,
    build_panel,
    month_id,
    month_str,
    parse_month,
    priogrid_gid,
    violence_type,
)


__all__ = [
    "BacktestResult",
    "backtest",
    "forecast",
    "get_model",
    "samples_frame",
    "summarize",
    "Conflictology",
    "LastValue",
    "Mixture",
    "NegBin",
    "WindowMean",
    "Zero",
    "ZINegBin",
    "all_baselines",
    "GBMForecaster",
    "feature_tensor",
    "reconcile",
    "VIEWS_BINS",
    "average_precision",
    "crps_ensemble",
    "ignorance",
    "interval_score",
    "mse_log",
    "pit",
    "score_all",
    "ForecastError",
    "Panel",
    "build_panel",
    "month_id",
    "month_str",
    "parse_month",
    "priogrid_gid",
    "violence_type",
    "write_report",
]
