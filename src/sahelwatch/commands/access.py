"""`sahelwatch access`: roads under attack and towns being cut off (issue 5). A shell over
sahelwatch.analysis.access; see docs/access.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

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
    SinceOption,
    UntilOption,
    console,
    fail,
    open_store,
    out,
)
from ..errors import SahelwatchError
from .analyze import print_table


def register(app: typer.Typer) -> None:
    app.command(
        "access", help="Roads hit by incidents and towns cut off: table, PNG map, GeoJSON danger layer."
    )(access_command)


def access_command(
    roads: Annotated[
        list[Path],
        typer.Option(
            "--roads", help="Road file: GeoJSON, GPKG, Shapefile, .osm/.osm.pbf (repeatable; any CRS)."
        ),
    ],
    town: Annotated[
        Optional[list[str]],
        typer.Option("--town", help="Town to detail (repeatable); 'Name, Admin1' for homonyms."),
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
    buffer_km: Annotated[
        float, typer.Option("--buffer-km", help="Events within this distance of a road are linked to it.")
    ] = 3.0,
    window_days: Annotated[
        int, typer.Option("--window-days", help="A segment is hit when it had incidents in the last N days.")
    ] = 30,
    min_population: Annotated[
        int, typer.Option("--min-population", help="Towns analysed: at least this many people (gazetteer).")
    ] = 10_000,
    k: Annotated[int, typer.Option("--k", help="Neighbour towns per town (plus the capital).")] = 3,
    snap_m: Annotated[
        float, typer.Option("--snap-m", help="Road end points closer than this (m) are joined.")
    ] = 50.0,
    assume_crs: Annotated[
        Optional[str],
        typer.Option("--assume-crs", help="CRS of road files that declare none, e.g. EPSG:4326."),
    ] = None,
    timeline: Annotated[
        bool,
        typer.Option(
            "--timeline",
            help="Write the weekly timeline (ACLED weeks) to table outputs instead of the status.",
        ),
    ] = False,
    geocode: Annotated[
        bool,
        typer.Option(
            "--geocode/--no-geocode", help="Place events without coordinates from their names (gazetteer)."
        ),
    ] = True,
    top: Annotated[int, typer.Option("--top", help="Rows of the stretch ranking shown.")] = 10,
    output: Annotated[
        Optional[list[Path]],
        typer.Option(
            "-o",
            "--output",
            help="Output (repeatable): .png map, .geojson/.gpkg danger layer, .csv/.parquet/.json table.",
        ),
    ] = None,
) -> None:
    filters = Filters.from_options(
        since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities
    )
    try:
        with console.status("reading roads, linking events, modelling access…"):
            rep = workflows.access_report(
                open_store(db),
                roads,
                filters=filters.kwargs(),
                towns=town or [],
                country=country[0] if country else None,
                since=since,
                until=until,
                buffer_km=buffer_km,
                window_days=window_days,
                min_population=min_population,
                k=k,
                snap_m=snap_m,
                assume_crs=assume_crs,
                timeline=timeline,
                geocode=geocode,
                top=top,
                outputs=output or [],
            )
    except SahelwatchError as exc:  # TownLookupError lists the candidate towns
        candidates = getattr(exc, "candidates", None)
        if candidates is not None and len(candidates):
            print_table("candidates", candidates.reset_index(drop=True), list(candidates.columns))
        fail(str(exc))
    for note in rep.notes:
        console.print(note, markup=False)
    shown = (
        rep.status.loc[rep.picked]
        if rep.picked
        else rep.status.sort_values("isolation_index", ascending=False)
    )
    print_table(
        f"Town access on {rep.day.date()} (incidents in the last {window_days} days, buffer {buffer_km:g} km)",
        shown.reset_index(drop=True),
        [
            "town",
            "population",
            "routes",
            "routes_hit",
            "routes_cut",
            "share_routes_hit",
            "capital_detour",
            "isolation_index",
            "level",
            "incidents_on_routes",
            "note",
        ],
        n=len(shown) if rep.picked else 15,
    )
    for name, rs in rep.routes.items():
        print_table(
            f"Access routes of {name}",
            rs,
            [
                "dest",
                "kind",
                "weight",
                "base_km",
                "hit",
                "hit_segments",
                "new_km",
                "detour",
                "cut",
                "disruption",
            ],
            n=len(rs),
        )
    for line in rep.town_weeks:
        out.print(line)
    print_table(
        "Most dangerous stretches (incidents per km, length floor 10 km)",
        rep.stretches,
        [
            "rank",
            "stretch",
            "length_km",
            "incidents",
            "road_related",
            "fatalities",
            "incidents_per_km",
            "per_100km_month",
            "last_incident",
        ],
        n=top,
    )
    for o in rep.written:
        console.print(f"wrote {o}")
