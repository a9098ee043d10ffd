"""`sahelwatch forecast` (write forecasts) and `sahelwatch forecast backtest` (HTML report).

    sahelwatch forecast --unit priogrid --target fatalities --horizon 1-6 --samples 1000 -o fc.parquet
    sahelwatch forecast backtest --unit admin1 --first-origin 2018-06 --seeds 3 -o backtest.html

Thin shells over ``sahelwatch.analysis.forecast``; see docs/forecasting.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.progress import Progress

from .. import workflows
from ..cli_common import (
    ActorOption,
    Admin1Option,
    Admin2Option,
    BboxOption,
    CountryOption,
    DbOption,
    EventTypeOption,
    Filters,
    MinFatalitiesOption,
    OutputOption,
    SinceOption,
    UntilOption,
    console,
    fail,
    open_store,
)
from ..errors import SahelwatchError
from ..io import check_output

forecast_app = typer.Typer(
    name="forecast",
    help="Probabilistic forecasts of violence per PRIO-GRID cell or admin area and month (samples), "
    "and rolling-origin backtests against the VIEWS baselines (`sahelwatch forecast backtest`).",
    invoke_without_command=True,
)

UnitOpt = Annotated[str, typer.Option("--unit", help="priogrid, admin1 or admin2.")]
TargetOpt = Annotated[str, typer.Option("--target", help="fatalities or events.")]
TypeOpt = Annotated[str, typer.Option("--type", help="Violence type: all, state, nonstate or onesided.")]
HorizonOpt = Annotated[str, typer.Option("--horizon", help="Months ahead: '1-6', '1-3' or '3'.")]
SamplesOpt = Annotated[int, typer.Option("--samples", help="Samples per unit-month (VIEWS uses 1000).")]
UnitsOpt = Annotated[
    str,
    typer.Option(
        "--units",
        help="observed (units with at least one event) or extent (every grid cell of the events' bounding box).",
    ),
]
GapsOpt = Annotated[
    bool, typer.Option("--allow-gaps", help="Treat calendar months with no event at all as true zeros.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(forecast_app, name="forecast")


def _events(
    db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
) -> pd.DataFrame:
    filters = Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )
    return open_store(db).events(**filters.kwargs())


@forecast_app.callback()
def forecast_cmd(
    ctx: typer.Context,
    unit: UnitOpt = "priogrid",
    target: TargetOpt = "fatalities",
    type_: TypeOpt = "all",
    horizon: HorizonOpt = "1-6",
    samples: SamplesOpt = 1000,
    origin: Annotated[
        Optional[str],
        typer.Option(
            "--origin", help="Last month the model sees, YYYY-MM (default: the last month of the data)."
        ),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help="lgbm (default) or a baseline: zero, last, average, conflictology, mixture, negbin, zinb.",
        ),
    ] = "lgbm",
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    units: UnitsOpt = "observed",
    allow_gaps: GapsOpt = False,
    summary: Annotated[
        Optional[Path],
        typer.Option("--summary", help="Also write mean/quantiles/P(>=1) per unit-month here."),
    ] = None,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
    output: OutputOption = None,
) -> None:
    """Forecast violence 1-6 months after the origin; -o writes samples (unit, month, horizon, sample, value)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..analysis import forecast as fc  # lazy: start-up (LightGBM, statsmodels)

    if output is None:
        fail("-o FILE is required (.parquet or .csv: samples; .geojson/.gpkg/.json: per unit-month summary)")
    try:
        for f in (output, summary):
            if f is not None:
                check_output(f, kind="forecast")
        ev = _events(db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
        panel = fc.build_panel(ev, unit, target, type_, units=units, allow_gaps=allow_gaps)
        df = fc.forecast(panel, horizon=horizon, samples=samples, origin=origin, model=model, seed=seed)
        workflows.write_forecast(df, output, panel)
        if summary:
            if summary.suffix.lower() in workflows.SUMMARY_SUFFIXES:
                workflows.write_forecast(df, summary, panel)
            else:
                workflows.write_table(fc.summarize(df), summary, kind="forecast")
    except (SahelwatchError, ValueError) as exc:
        fail(str(exc))
    for w in panel.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
    console.print(
        f"{df['unit'].nunique()} units × {df['horizon'].nunique()} horizons × {samples} samples "
        f"({unit} {target}, {type_}, model {model}) → {output}"
    )


@forecast_app.command("backtest")
def backtest_cmd(
    unit: UnitOpt = "priogrid",
    target: TargetOpt = "fatalities",
    type_: TypeOpt = "all",
    horizon: HorizonOpt = "1-6",
    samples: SamplesOpt = 1000,
    first_origin: Annotated[
        Optional[str],
        typer.Option(
            "--first-origin", help="First origin YYYY-MM (default: 12 months after the data start)."
        ),
    ] = None,
    last_origin: Annotated[
        Optional[str],
        typer.Option("--last-origin", help="Last origin YYYY-MM (default: the month before the last)."),
    ] = None,
    seeds: Annotated[
        int, typer.Option("--seeds", help="Number of seeds (0..N-1); their spread is reported.")
    ] = 3,
    models: Annotated[
        Optional[str],
        typer.Option(
            "--models", help="Comma-separated models to compare (default: lgbm and every baseline)."
        ),
    ] = None,
    reconcile: Annotated[
        bool,
        typer.Option(
            "--reconcile/--no-reconcile", help="Also score bottom-up admin1 totals (cells/admin2 only)."
        ),
    ] = False,
    units: UnitsOpt = "observed",
    allow_gaps: GapsOpt = False,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    admin2: Admin2Option = None,
    actor: ActorOption = None,
    event_type: EventTypeOption = None,
    bbox: BboxOption = None,
    min_fatalities: MinFatalitiesOption = None,
    output: OutputOption = None,
) -> None:
    """Rolling-origin backtest of the model against every baseline; -o report.html (or .csv/.parquet/.json: the results table)."""
    from ..analysis import forecast as fc  # lazy: start-up (LightGBM, statsmodels)

    if output is None:
        fail("-o FILE is required (.html report, or .csv/.parquet/.json results table)")
    if seeds < 1:
        fail("--seeds must be at least 1")
    try:
        if output.suffix.lower() != ".html":
            check_output(output, kind="backtest")
        ev = _events(db, since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
        panel = fc.build_panel(ev, unit, target, type_, units=units, allow_gaps=allow_gaps)
        chosen = [fc.get_model(m.strip()) for m in models.split(",") if m.strip()] if models else None
        with Progress(console=console, transient=True) as prog:
            task = prog.add_task("backtest", total=None)

            def tick(i, n, o, s):
                prog.update(task, total=n, completed=i, description=f"origin {o} ({s:.1f}s)")

            res = fc.backtest(
                panel,
                first_origin=first_origin,
                last_origin=last_origin,
                horizon=horizon,
                samples=samples,
                seeds=tuple(range(seeds)),
                models=chosen,
                reconcile_to="admin1" if reconcile and unit != "admin1" else None,
                progress=tick,
            )
        workflows.write_backtest(res, output)
    except (SahelwatchError, ValueError) as exc:
        fail(str(exc))
    h = res.headline() if "lgbm" in set(res.table.model) and res.table.model.nunique() > 1 else pd.DataFrame()
    for _, r in h.iterrows():
        console.print(
            f"h={int(r.horizon)}: CRPS model {r.model:.3f} vs best baseline {r.best_baseline} "
            f"{r.baseline:.3f} ({r.gain_vs_best:+.1%}); conflictology {r.conflictology:.3f}"
        )
    console.print(
        f"{len(res.meta['origins'])} origins, {res.timing['seconds_per_origin']:.1f} s per origin → {output}"
    )
