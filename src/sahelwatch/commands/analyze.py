"""`sahelwatch analyze hotspots|influence|alerts` (issue 4 §1-3, §5): thin shells over sahelwatch.analysis.

Extension point: other analysis commands hang on the same sub-app. A module of this package
(e.g. ``analyze_relations.py`` for ``coordination`` and ``network``) does::

    from .analyze import analyze_app, load_events, print_table, run

    @analyze_app.command("coordination")
    def coordination(...): ...

    def register(app):  # cli.py calls it; the sub-app itself is registered here, once
        pass

Typer builds the click group when the CLI runs, so commands added at import time by any module of
``sahelwatch.commands`` appear under ``sahelwatch analyze``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import pandas as pd
import typer
from rich.table import Table

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
    out,
    settings,
)
from ..errors import SahelwatchError
from ..io import write_table

analyze_app = typer.Typer(
    name="analyze",
    help="Analyses of the events in the store: hot spots, areas of influence, alerts (and more, see below).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(analyze_app, name="analyze")


# ------------------------------------------------------------------------------- shared helpers
UnitOption = Annotated[
    str, typer.Option("--unit", help="Spatial unit: priogrid, h3-4, h3-5, h3-6, admin1, admin2.")
]
ByOption = Annotated[Optional[str], typer.Option("--by", help="Period: week, month, quarter or year.")]


def load_events(db: str | None, filters: Filters) -> pd.DataFrame:
    """Events of the store matching the filters (``open_store(db).events(**filters.kwargs())``)."""
    store = open_store(db)
    return store.events(**filters.kwargs())


def run(fn: Callable[[], Any]) -> Any:
    """Call an analysis; an input problem becomes a clear error message and exit code 2, not a traceback."""
    try:
        with console.status("analysing…"):
            return fn()
    except SahelwatchError as exc:  # AnalysisInputError, InputError, CoordinationError...
        fail(str(exc))


def analysis(
    name: str, events: pd.DataFrame, output: Path | None, *, filters: Filters | None = None, **params: Any
) -> Any:
    """``workflows.run_analysis`` with the CLI's error handling (the output is checked before the work); a
    picture's subtitle gives the period and filters, and a single country filter frames its map."""
    where = {"subtitle": filters.describe(), "country": filters.country} if filters else {}
    return run(lambda: workflows.run_analysis(name, events, output=output, **where, **params))


def print_table(title: str, df: pd.DataFrame, columns: list[str], n: int = 15) -> None:
    """A rich summary table of the first ``n`` rows, then the analysis' messages."""
    table = Table(title=title, show_lines=False)
    cols = [c for c in columns if c in df.columns]
    for c in cols:
        table.add_column(c, overflow="fold")
    for row in df[cols].head(n).itertuples(index=False):
        table.add_row(
            *[
                ""
                if v is None or (isinstance(v, float) and pd.isna(v))
                else (f"{v:.3g}" if isinstance(v, float) else str(v))
                for v in row
            ]
        )
    out.print(table)
    if len(df) > n:
        out.print(f"… {len(df) - n} more row(s)")
    for m in df.attrs.get("messages", []):
        console.print(f"[yellow]note:[/yellow] {m}")


def _filters(since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities) -> Filters:
    return Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )


def _actor_map(raw_names: bool):
    return workflows.actor_map(settings(), raw_names=raw_names)


RawNamesOption = Annotated[
    bool, typer.Option("--raw-names", help="Use actor names as written, not the registry's groups.")
]


# ------------------------------------------------------------------------------------ hotspots
@analyze_app.command("hotspots")
def hotspots_cmd(
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
    method: Annotated[
        str,
        typer.Option(
            "--method", help="gi (Getis-Ord Gi*), emerging (over time) or clusters (ST-DBSCAN/HDBSCAN)."
        ),
    ] = "gi",
    unit: UnitOption = "priogrid",
    by: ByOption = None,
    value: Annotated[str, typer.Option("--value", help="events or fatalities per cell.")] = "events",
    neighbours: Annotated[str, typer.Option("--neighbours", help="queen or distance.")] = "queen",
    distance_km: Annotated[
        Optional[float], typer.Option("--distance-km", help="Distance band for --neighbours distance.")
    ] = None,
    permutations: Annotated[
        int, typer.Option("--permutations", help="Permutations for Gi* inference (0: analytical).")
    ] = 999,
    seed: Annotated[int, typer.Option("--seed")] = 12345,
    no_fdr: Annotated[
        bool, typer.Option("--no-fdr", help="Plain 0.10/0.05/0.01 thresholds instead of FDR.")
    ] = False,
    cluster_method: Annotated[
        str, typer.Option("--cluster-method", help="stdbscan or hdbscan.")
    ] = "stdbscan",
    eps_km: Annotated[float, typer.Option("--eps-km", help="Cluster radius in space (km).")] = 25.0,
    eps_days: Annotated[float, typer.Option("--eps-days", help="Cluster radius in time (days).")] = 20.0,
    min_samples: Annotated[
        int, typer.Option("--min-samples", help="Events needed around a core event.")
    ] = 10,
    raw_names: RawNamesOption = False,
    output: OutputOption = None,
) -> None:
    """Hot and cold spots (Gi* with FDR), emerging hot spots over time, or space-time clusters."""
    if method not in ("gi", "emerging", "clusters"):
        fail(f"--method {method!r}: use gi, emerging or clusters")
    if output:
        run(lambda: workflows.check_output(output, kind={"gi": "hotspots"}.get(method, method)))
    flt = _filters(since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    events = load_events(db, flt)
    if method == "gi":
        res = analysis(
            "hotspots",
            events,
            output,
            filters=flt,
            unit=unit,
            value=value,
            neighbours=neighbours,
            distance_km=distance_km,
            permutations=permutations,
            seed=seed,
            fdr=not no_fdr,
        )
        shown = res[res["confidence"] > 0].sort_values("gi_z", ascending=False)
        title = (
            f"Gi* {value} per {unit}: {int((res['class'].str.startswith('hot')).sum())} hot, "
            f"{int((res['class'].str.startswith('cold')).sum())} cold of {len(res)} cells"
        )
        print_table(
            title,
            shown.assign(**{"class": shown["class"]}) if len(shown) else res,
            ["unit", "lat", "lon", "events", "fatalities", "gi_z", "p_value", "class"],
        )
    elif method == "emerging":
        res = analysis(
            "emerging",
            events,
            output,
            filters=flt,
            unit=unit,
            period=by or "month",
            value=value,
            neighbours=neighbours,
            distance_km=distance_km,
            fdr=not no_fdr,
        )
        counts = res["pattern"].value_counts().rename_axis("pattern").reset_index(name="cells")
        counts.attrs = res.attrs
        print_table(
            f"Emerging hot spots per {unit} and {by or 'month'} ({res['n_periods'].iloc[0]} periods)",
            counts,
            ["pattern", "cells"],
            n=20,
        )
    else:
        res = analysis(
            "clusters",
            events,
            output,
            filters=flt,
            method=cluster_method,
            eps_km=eps_km,
            eps_days=eps_days,
            min_samples=min_samples,
            actor_map=_actor_map(raw_names),
        )
        print_table(
            f"{len(res)} space-time cluster(s) ({cluster_method}, {eps_km:g} km, {eps_days:g} days)",
            res,
            ["cluster", "events", "fatalities", "start", "end", "admin1", "radius_km", "main_actors"],
        )
    if output:
        console.print(f"wrote {output}")


# ----------------------------------------------------------------------------------- influence
@analyze_app.command("influence")
def influence_cmd(
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
    unit: UnitOption = "priogrid",
    by: ByOption = None,
    group: Annotated[
        Optional[list[str]],
        typer.Option("--group", help="Group to compare (repeatable; default all non-state armed groups)."),
    ] = None,
    bandwidth_km: Annotated[float, typer.Option("--bandwidth-km", help="Kernel bandwidth (km).")] = 40.0,
    half_life_days: Annotated[
        float, typer.Option("--half-life-days", help="Time decay half-life (days; 0 = none).")
    ] = 365.0,
    contested_ratio: Annotated[
        float, typer.Option("--contested-ratio", help="Contested when share2 ≥ ratio × share1.")
    ] = 0.6,
    min_intensity: Annotated[
        float, typer.Option("--min-intensity", help="Cells below this activity are 'no activity'.")
    ] = 0.5,
    layers: Annotated[
        Optional[Path],
        typer.Option(
            "--layers",
            help="Also write one GeoJSON layer per group zone and the contested cells in this folder.",
        ),
    ] = None,
    raw_names: RawNamesOption = False,
    output: OutputOption = None,
) -> None:
    """Areas of influence: the dominant armed group per cell, contested cells; with --by, gains and losses per period."""
    flt = _filters(since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    events = load_events(db, flt)
    kw = dict(
        groups=group or None,
        actor_map=_actor_map(raw_names),
        bandwidth_km=bandwidth_km,
        half_life_days=half_life_days or None,
        contested_ratio=contested_ratio,
        min_intensity=min_intensity,
    )
    if by:
        summary, changes = analysis(
            "influence_changes", events, output, filters=flt, period=by, unit=unit, **kw
        )
        print_table(
            f"Dominant cells per {by}: gains and losses",
            summary,
            ["period", "actor", "cells", "contested_cells", "gained", "lost"],
            n=40,
        )
        res = summary
    else:
        res = analysis("influence", events, output, filters=flt, unit=unit, **kw)
        active = res[res["status"] != "no activity"]
        tab = (
            active.groupby("dominant")
            .agg(
                cells=("unit", "size"), contested=("contested", "sum"), mean_share=("dominant_share", "mean")
            )
            .sort_values("cells", ascending=False)
            .reset_index()
        )
        tab["events"] = tab["dominant"].map(res.attrs["events_per_group"])
        tab.attrs = res.attrs
        print_table(
            f"Areas of influence on {unit} ({len(active)} active cells, "
            f"{int(active['contested'].sum())} contested; reference {res.attrs['reference_date']})",
            tab,
            ["dominant", "cells", "contested", "mean_share", "events"],
        )
        if layers:
            for p in workflows.influence_layers(res, layers):
                console.print(f"wrote {p}")
    if output:
        console.print(f"wrote {output}")


# -------------------------------------------------------------------------------------- alerts
@analyze_app.command("alerts")
def alerts_cmd(
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
    unit: UnitOption = "admin1",
    week: Annotated[
        Optional[str],
        typer.Option(
            "--week", help="Any day of the ACLED week (Saturday-Friday), YYYY-MM-DD; default the latest."
        ),
    ] = None,
    surge_factor: Annotated[
        float,
        typer.Option("--surge-factor", help="Surge when the week ≥ factor × the previous 4 weeks' average."),
    ] = 2.0,
    min_change: Annotated[
        float, typer.Option("--min-change", help="Trend alerts need at least this many events of difference.")
    ] = 2.0,
    trends_only: Annotated[
        bool, typer.Option("--trends", help="Write the full trend table per unit instead of the alerts.")
    ] = False,
    raw_names: RawNamesOption = False,
    output: OutputOption = None,
) -> None:
    """Alerts for one ACLED week: trend classes (4 and 52 weeks), surges, spread, emerging actors, lethality jumps."""
    if output:
        run(lambda: workflows.check_output(output))
    flt = _filters(since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    events = load_events(db, flt)
    res = analysis(
        "alerts",
        events,
        None,
        unit=unit,
        week=week,
        actor_map=_actor_map(raw_names),
        surge_factor=surge_factor,
        min_change=min_change,
    )
    if trends_only:
        tr = res.attrs["trends"]
        print_table(
            f"Trends per {unit}, week of {res.attrs['week']}",
            tr,
            ["unit", "latest", "mean_4w", "class_4w", "mean_52w", "class_52w"],
            n=30,
        )
        res = tr
    else:
        print_table(
            f"{len(res)} alert(s) for the week of {res.attrs['week']} ({unit})",
            res,
            ["kind", "unit", "level", "actor", "latest", "baseline", "change_pct"],
            n=30,
        )
    if output:
        console.print(
            f"wrote {write_table(res, output, kind='trends' if trends_only else 'alerts', subtitle=flt.describe(), country=flt.country)}"
        )


# Other modules add commands to `analyze_app` (see the module docstring): coordination, network.
