"""`sahelwatch access`: roads under attack and towns being cut off (issue 5). A shell over
sahelwatch.analysis.access; see docs/access.md."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer

from ..cli_common import (ActorOption, Admin1Option, Admin2Option, BboxOption, CountryOption, DbOption,
                          EventTypeOption, Filters, MinFatalitiesOption, SinceOption, UntilOption, console, fail,
                          open_store, out, run)
from ..errors import InputError
from ..io import check_output, write_table
from .analyze import print_table


def register(app: typer.Typer) -> None:
    app.command("access", help="Roads hit by incidents and towns cut off: table, PNG map, GeoJSON danger layer.")(
        access_command)


def access_command(
    roads: Annotated[list[Path], typer.Option("--roads", help="Road file: GeoJSON, GPKG, Shapefile, .osm/.osm.pbf "
                                                            "(repeatable; any CRS).")],
    town: Annotated[Optional[list[str]], typer.Option("--town", help="Town to detail (repeatable); "
                                                                   "'Name, Admin1' for homonyms.")] = None,
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
    buffer_km: Annotated[float, typer.Option("--buffer-km", help="Events within this distance of a road are "
                                                                 "linked to it.")] = 3.0,
    window_days: Annotated[int, typer.Option("--window-days", help="A segment is hit when it had incidents in "
                                                                   "the last N days.")] = 30,
    min_population: Annotated[int, typer.Option("--min-population", help="Towns analysed: at least this many "
                                                                         "people (gazetteer).")] = 10_000,
    k: Annotated[int, typer.Option("--k", help="Neighbour towns per town (plus the capital).")] = 3,
    snap_m: Annotated[float, typer.Option("--snap-m", help="Road end points closer than this (m) are joined.")] = 50.0,
    assume_crs: Annotated[Optional[str], typer.Option("--assume-crs", help="CRS of road files that declare "
                                                                           "none, e.g. EPSG:4326.")] = None,
    timeline: Annotated[bool, typer.Option("--timeline", help="Write the weekly timeline (ACLED weeks) to "
                                                              "table outputs instead of the status.")] = False,
    geocode: Annotated[bool, typer.Option("--geocode/--no-geocode", help="Place events without coordinates "
                                                                        "from their names (gazetteer).")] = True,
    top: Annotated[int, typer.Option("--top", help="Rows of the stretch ranking shown.")] = 10,
    output: Annotated[Optional[list[Path]], typer.Option("-o", "--output", help="Output (repeatable): .png map, "
                      ".geojson/.gpkg danger layer, .csv/.parquet/.json table.")] = None,
) -> None:
    # lazy: start-up (geopandas, networkx, matplotlib: ~2 s on every CLI call)
    from ..analysis import access as ac
    from ..analysis.roads import read_roads

    for o in output or []:
        if o.suffix.lower() != ".png":
            run(check_output, o)
    filters = Filters.from_options(since, until, country, admin1, admin2, actor, event_type, bbox, min_fatalities)
    try:
        with console.status("reading roads…"):
            net = read_roads(roads, snap_m=snap_m, assume_crs=assume_crs)
    except InputError as exc:
        fail(str(exc))
    console.print(net.report.summary(), markup=False)
    store = open_store(db)
    fetch = filters.kwargs()
    if since:   # the window of the first weeks reaches back before --since
        try:
            fetch["since"] = str((pd.Timestamp(since) - pd.Timedelta(days=window_days)).date())
        except ValueError:
            fail(f"--since {since!r}: expected a date YYYY-MM-DD")
    events = store.events(**fetch)
    if len(events) == 0:
        fail("no events match the filters; widen them or import data (sahelwatch import acled FILE)")
    cty = (country[0] if country else events["country"].mode().iat[0])
    try:
        with console.status("geocoding and linking events to roads…"):
            if geocode and events["latitude"].isna().any():
                events = ac.geocode_events(events)
                g = events.attrs["geocoding"]
                console.print(f"geocoded {g['placed']}/{g['needed']} events without coordinates "
                              f"(levels {g['by_level']})")
            events = ac.mark_road_related(events)
            towns = ac.towns_from_gazetteer(cty, min_population)
            towns = ac.add_towns(towns, town or [], cty)     # a --town below the threshold, from the gazetteer
            if len(towns) < 2:
                fail(f"fewer than two towns of {min_population}+ people in {cty!r}; lower --min-population")
            events = ac.snap_events(events, net, buffer_km=buffer_km, towns=towns)
            console.print(f"events: {events.attrs['snapping']}; road-related {int(events['road_related'].sum())}")
            model = ac.AccessModel(net, towns, k=k)
            picked = [ac.resolve_town(t, model.towns) for t in (town or [])]
    except ac.TownLookupError as exc:
        if len(exc.candidates):
            print_table("candidates", exc.candidates.reset_index(drop=True), list(exc.candidates.columns))
        fail(str(exc))
    except InputError as exc:
        fail(str(exc))
    day = pd.Timestamp(until) if until else events["event_date"].max()
    status = model.status(events, on=day, window_days=window_days)
    shown = status.loc[picked] if picked else status.sort_values("isolation_index", ascending=False)
    print_table(f"Town access on {day.date()} (incidents in the last {window_days} days, buffer {buffer_km:g} km)",
                shown.reset_index(drop=True), ["town", "population", "routes", "routes_hit", "routes_cut",
                                               "share_routes_hit", "capital_detour", "isolation_index", "level",
                                               "incidents_on_routes", "note"], n=len(shown) if picked else 15)
    hit = model.hit_segments(events, day, window_days)
    for i in picked:
        rs = model.route_status(hit)
        rs = rs[rs["town_idx"] == i].assign(base_km=lambda d: d["base_m"] / 1000, new_km=lambda d: d["new_m"] / 1000)
        print_table(f"Access routes of {model.towns.loc[i, 'name']}", rs.reset_index(drop=True),
                    ["dest", "kind", "weight", "base_km", "hit", "hit_segments", "new_km", "detour", "cut",
                     "disruption"], n=len(rs))
    tl = None
    if timeline or picked:
        tl = model.timeline(events, since=since or events["event_date"].min(), until=day, window_days=window_days,
                            towns=picked or None)
        for i in picked:
            t_ = tl[tl["town_idx"] == i]
            counts = t_["level"].value_counts()
            out.print(f"{model.towns.loc[i, 'name']}: {len(t_)} weeks — " + ", ".join(
                f"{lv} {int(counts.get(lv, 0))}" for lv in ac.LEVELS) +
                f"; mean isolation {t_['isolation_index'].mean():.2f}")
    danger = ac.segment_danger(net, events, since=since, until=day)
    print_table("Most dangerous stretches (incidents per km, length floor 10 km)", ac.dangerous_stretches(danger, top),
                ["rank", "stretch", "length_km", "incidents", "road_related", "fatalities", "incidents_per_km",
                 "per_100km_month", "last_incident"], n=top)
    if net.report.partial:
        console.print("[yellow]partial result:[/yellow] the road network is incomplete (see the summary above)")
    for o in output or []:
        ext = o.suffix.lower()
        if ext == ".png":
            ac.plot_map(net, o, danger=danger, model=model, status=status,
                        town=(picked[0] if picked else None), hit=hit,
                        title=f"Road incidents and town access, {day.date()} ({window_days}-day window)")
        elif ext in (".geojson", ".gpkg"):
            layer = _danger_layer(ac, danger, model, status, picked, hit)
            write_table(layer, o, kind="access")
        elif ext in (".csv", ".parquet", ".json"):
            table = tl if (timeline and tl is not None) else status
            write_table(table.drop(columns=[c for c in ("town_idx",) if c in table.columns]), o, kind="access")
        else:
            fail(f"{o.name}: unknown output format {ext!r}; use .png, .geojson, .gpkg, .csv, .parquet or .json")
        console.print(f"wrote {o}")


def _danger_layer(ac, danger, model, status, picked, hit):
    """Segments (layer=segment) + towns (layer=town) + routes of the towns asked for (layer=route)."""
    import geopandas as gpd

    seg = danger.copy()
    seg["layer"] = "segment"
    for c in ("first_incident", "last_incident"):
        seg[c] = seg[c].dt.strftime("%Y-%m-%d")
    t = model.towns.join(status[["isolation_index", "level", "routes", "routes_hit", "routes_cut"]])
    tg = gpd.GeoDataFrame(t[["name", "population", "isolation_index", "level", "routes", "routes_hit",
                             "routes_cut"]].rename(columns={"name": "town"}),
                          geometry=gpd.points_from_xy(t["lon"], t["lat"]), crs="EPSG:4326")
    tg["layer"] = "town"
    parts = [seg, tg]
    for i in picked:
        rg = model.routes_geo(i, hit)
        rg = rg.drop(columns=["town_idx", "dest_idx"])
        rg["layer"] = "route"
        parts.append(rg)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
