"""`/api/analyses/{hotspots,influence,coordination,alerts,access,forecast}` and `/api/network`: the CLI's
analyses with the CLI's options, every row with the numbers behind its label.

Results are cached by (analysis, options, filters, store state): the same question on an unchanged store
is answered from memory; any import changes the state digest and so the key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Annotated, Any, Literal, Optional

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from ..analysis._checks import AnalysisInputError
from ..analysis.groups import registry_group_map
from ..errors import InputError, SahelwatchError
from ..store import query as Q
from . import render as R
from .params import EventFilters, ParamError, event_filters, no_unknown_params
from ..store import _typed
from ..analysis.groups import default_actor_map
from ..analysis import hotspots as H
from ..analysis import influence as I
from ..analysis import alerts as A
from .params import _date
from ..analysis.coordination import coordination as C
from ..analysis import forecast as fc
from ..analysis.forecast.backtest import summarize
from ..analysis.units import priogrid_centroid
from ..analysis import access as ac
from ..analysis.network import actor_network

router = APIRouter(prefix="/api", dependencies=[Depends(no_unknown_params)])

Unit = Literal["priogrid", "h3-4", "h3-5", "h3-6", "admin1", "admin2"]
Period = Literal["week", "month", "quarter", "year"]
Fmt = Annotated[Optional[Literal["json", "geojson", "csv"]], Query()]


class _Cache:
    def __init__(self, size: int = 64):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


def _frame_rows(df: pd.DataFrame) -> list[dict]:
    """Records of plain values; a GeoDataFrame's shapes become GeoJSON geometry objects."""
    geoms = None
    if "geometry" in df.columns:
        import json

        import shapely

        g = df["geometry"]
        geoms = [
            None if v is None or getattr(v, "is_empty", True) else json.loads(shapely.to_geojson(v))
            for v in g
        ]
        df = pd.DataFrame(df.drop(columns="geometry"))
    rows = R.clean(df.astype(object).where(df.notna(), None).to_dict("records"))
    if geoms is not None:
        for r, gj in zip(rows, geoms):
            r["geometry"] = gj
    return rows


def _attrs(df: pd.DataFrame) -> dict:
    out = {}
    for k, v in (df.attrs or {}).items():
        if isinstance(v, pd.DataFrame):
            continue
        if isinstance(v, np.ndarray):
            continue
        if isinstance(v, (str, int, float, bool, list, dict)) or v is None:
            out[k] = v
        else:
            out[k] = str(v)
    return out


def _run(request: Request, name: str, flt: EventFilters, options: dict[str, Any], fn, fmt: str | None):
    store = request.app.state.store
    cache: _Cache = request.app.state.analysis_cache

    def work():
        key = (
            name,
            tuple(sorted((k, repr(v)) for k, v in options.items())),
            flt.cache_key(),
            Q.store_state(store),
        )
        hit = cache.get(key)
        if hit is not None:
            return {**hit, "cached": True}
        t0 = time.perf_counter()
        events = _events(store, flt)
        try:
            df, extra = fn(events)
        except (AnalysisInputError, SahelwatchError, ValueError) as exc:
            raise InputError(str(exc)) from exc
        res = {
            "analysis": name,
            "options": options,
            "filters": {k: v for k, v in flt.kwargs.items()},
            "events_used": int(len(events)),
            "data": _frame_rows(df),
            "attrs": _attrs(df),
            **extra,
            "seconds": round(time.perf_counter() - t0, 3),
        }
        if not res["data"]:
            res["message"] = "no result rows: " + (
                "; ".join(map(str, df.attrs.get("messages", [])))
                or (
                    "no event matches the filters"
                    if len(events) == 0
                    else "the analysis found nothing to report for these events"
                )
            )
        cache.put(key, res)
        return {**res, "cached": False}

    async def go():
        res = await run_in_threadpool(work)
        f = R.pick_format(fmt, request.headers.get("accept"))
        if f == "csv":
            return R.csv_response(res["data"], f"{name}.csv")
        if f == "geojson":
            unit = options.get("unit")
            rows = [dict(r) for r in res["data"]]
            geom = None
            if (
                unit
                and options.get("method", "gi") != "clusters"
                and not any("geometry" in r for r in rows[:1])
            ):
                geom = R.unit_geometry(rows, "unit", unit)
            return R.json_response(
                R.feature_collection(
                    rows, geometry=geom, extra={k: v for k, v in res.items() if k not in ("data",)}
                )
            )
        return R.json_response(res)

    return go()


def _events(store, flt: EventFilters) -> pd.DataFrame:
    if flt.as_of is None:
        return store.events(**flt.kwargs)
    rows = list(Q.iter_all(store, flt.kwargs, as_of=flt.as_of))

    df = pd.DataFrame(rows)
    for c in ("extra", "content_hash"):
        if c not in df.columns:
            df[c] = None
    return _typed(df) if len(df) else store.events(ids=["\x00none"])


def _actor_map(raw_names: bool):
    return default_actor_map if raw_names else registry_group_map()


# ------------------------------------------------------------------------------------------ hotspots
@router.get("/analyses/hotspots", summary="Hot and cold spots (Gi* with FDR), emerging hot spots, clusters")
async def hotspots(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    method: Literal["gi", "emerging", "clusters"] = "gi",
    unit: Unit = "priogrid",
    by: Optional[Period] = None,
    value: Literal["events", "fatalities"] = "events",
    neighbours: Literal["queen", "distance"] = "queen",
    distance_km: Annotated[Optional[float], Query(gt=0, le=2000)] = None,
    permutations: Annotated[int, Query(ge=0, le=9999)] = 999,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 12345,
    fdr: bool = True,
    cluster_method: Literal["stdbscan", "hdbscan"] = "stdbscan",
    eps_km: Annotated[float, Query(gt=0, le=1000)] = 25.0,
    eps_days: Annotated[float, Query(gt=0, le=3650)] = 20.0,
    min_samples: Annotated[int, Query(ge=2, le=10000)] = 10,
    raw_names: bool = False,
    format: Fmt = None,
):
    opts = dict(
        method=method,
        unit=unit,
        by=by,
        value=value,
        neighbours=neighbours,
        distance_km=distance_km,
        permutations=permutations,
        seed=seed,
        fdr=fdr,
        cluster_method=cluster_method,
        eps_km=eps_km,
        eps_days=eps_days,
        min_samples=min_samples,
        raw_names=raw_names,
    )
    if neighbours == "distance" and distance_km is None:
        raise ParamError("distance_km", "distance_km: needed with neighbours=distance")

    def fn(ev):
        if method == "gi":
            return H.gi_star(
                ev,
                unit,
                value,
                neighbours=neighbours,
                distance_km=distance_km,
                permutations=permutations,
                seed=seed,
                fdr=fdr,
            ), {}
        if method == "emerging":
            return H.emerging_hotspots(
                ev, unit, by or "month", value, neighbours=neighbours, distance_km=distance_km, fdr=fdr
            ), {}
        return H.st_clusters(
            ev,
            method=cluster_method,
            eps_km=eps_km,
            eps_days=eps_days,
            min_samples=min_samples,
            actor_map=_actor_map(raw_names),
        ), {}

    return await _run(request, "hotspots", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ influence
@router.get("/analyses/influence", summary="Areas of influence: dominant group per cell, contested cells")
async def influence(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    unit: Unit = "priogrid",
    by: Optional[Period] = None,
    group: Annotated[Optional[list[str]], Query(max_length=200)] = None,
    bandwidth_km: Annotated[float, Query(gt=0, le=1000)] = 40.0,
    half_life_days: Annotated[float, Query(ge=0, le=36500)] = 365.0,
    contested_ratio: Annotated[float, Query(gt=0, le=1)] = 0.6,
    min_intensity: Annotated[float, Query(ge=0)] = 0.5,
    raw_names: bool = False,
    format: Fmt = None,
):
    opts = dict(
        unit=unit,
        by=by,
        group=group,
        bandwidth_km=bandwidth_km,
        half_life_days=half_life_days,
        contested_ratio=contested_ratio,
        min_intensity=min_intensity,
        raw_names=raw_names,
    )

    def fn(ev):
        kw = dict(
            groups=group or None,
            actor_map=_actor_map(raw_names),
            bandwidth_km=bandwidth_km,
            half_life_days=half_life_days or None,
            contested_ratio=contested_ratio,
            min_intensity=min_intensity,
        )
        if by:
            summary, changes = I.influence_changes(ev, by, unit, **kw)
            return summary, {"changes": _frame_rows(changes) if isinstance(changes, pd.DataFrame) else None}
        return I.influence(ev, unit, **kw), {}

    return await _run(request, "influence", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ alerts
@router.get(
    "/analyses/alerts", summary="Alerts for one ACLED week: trends, surges, spread, new actors, lethality"
)
async def alerts(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    unit: Unit = "admin1",
    week: Annotated[
        Optional[str], Query(max_length=10, description="Any day of the week, YYYY-MM-DD.")
    ] = None,
    surge_factor: Annotated[float, Query(gt=0, le=100)] = 2.0,
    min_change: Annotated[float, Query(ge=0, le=10000)] = 2.0,
    trends: bool = False,
    raw_names: bool = False,
    format: Fmt = None,
):

    week = _date("week", week)
    opts = dict(
        unit=unit,
        week=week,
        surge_factor=surge_factor,
        min_change=min_change,
        trends=trends,
        raw_names=raw_names,
    )

    def fn(ev):
        res = A.alerts(
            ev, unit, week, actor_map=_actor_map(raw_names), surge_factor=surge_factor, min_change=min_change
        )
        tr = res.attrs.get("trends")
        extra = {"week": str(res.attrs.get("week"))}
        if trends and isinstance(tr, pd.DataFrame):
            tr = tr.copy()
            tr.attrs = {k: v for k, v in res.attrs.items() if k != "trends"}
            return tr, extra
        return res, extra

    return await _run(request, "alerts", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ coordination
@router.get("/analyses/coordination", summary="Coordination, independence or rivalry per pair of groups")
async def coordination(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    actors: Annotated[Optional[list[str]], Query(max_length=200)] = None,
    by: Literal["year", "quarter", "month", "all"] = "year",
    d_km: Annotated[float, Query(gt=0, le=1000)] = 50.0,
    t_days: Annotated[float, Query(gt=0, le=3650)] = 14.0,
    permutations: Annotated[int, Query(ge=0, le=9999)] = 499,
    bootstrap: Annotated[int, Query(ge=0, le=500)] = 30,
    min_clashes: Annotated[int, Query(ge=1, le=1000)] = 2,
    min_joint: Annotated[int, Query(ge=1, le=1000)] = 2,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    components: bool = True,
    format: Fmt = None,
):
    opts = dict(
        actors=actors,
        by=by,
        d_km=d_km,
        t_days=t_days,
        permutations=permutations,
        bootstrap=bootstrap,
        min_clashes=min_clashes,
        min_joint=min_joint,
        seed=seed,
        components=components,
    )
    if actors is not None and len(actors) == 1:
        raise ParamError("actors", "actors: give at least two groups (or none for the most active)")

    def fn(ev):
        mapping = registry_group_map(components=components)
        names = [mapping(a) or a for a in actors] if actors else None
        return C(
            ev,
            actors=names,
            actor_map=mapping,
            by=by,
            d_km=d_km,
            t_days=t_days,
            n_perm=permutations,
            n_boot=bootstrap,
            min_clashes=min_clashes,
            min_joint=min_joint,
            seed=seed,
        ), {}

    return await _run(request, "coordination", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ forecast
@router.get("/analyses/forecast", summary="Forecast: per unit-month mean, quantiles and P(any fatality)")
async def forecast(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    unit: Literal["priogrid", "admin1", "admin2"] = "priogrid",
    target: Literal["fatalities", "events"] = "fatalities",
    type: Literal["all", "state", "nonstate", "onesided"] = "all",  # noqa: A002
    horizon: Annotated[str, Query(pattern=r"^\d{1,2}(-\d{1,2})?$")] = "1-3",
    samples: Annotated[int, Query(ge=10, le=2000)] = 200,
    origin: Annotated[Optional[str], Query(pattern=r"^\d{4}-\d{2}$")] = None,
    model: Literal["lgbm", "zero", "last", "average", "conflictology", "mixture", "negbin", "zinb"] = "lgbm",
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    units: Literal["observed", "extent"] = "observed",
    allow_gaps: bool = False,
    format: Fmt = None,
):

    opts = dict(
        unit=unit,
        target=target,
        type=type,
        horizon=horizon,
        samples=samples,
        origin=origin,
        model=model,
        seed=seed,
        units=units,
        allow_gaps=allow_gaps,
    )

    def fn(ev):
        panel = fc.build_panel(ev, unit, target, type, units=units, allow_gaps=allow_gaps)
        df = fc.forecast(panel, horizon=horizon, samples=samples, origin=origin, model=model, seed=seed)
        summ = summarize(df)
        if unit == "priogrid":
            lat, lon = priogrid_centroid(summ["unit"].astype("int64").to_numpy())
            summ["lat"], summ["lon"] = lat, lon
        summ.attrs = {"warnings": list(getattr(panel, "warnings", []))}
        return summ, {}

    return await _run(request, "forecast", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ access
@router.get("/analyses/access", summary="Town access and road danger (needs `sahelwatch serve --roads FILE`)")
async def access(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    buffer_km: Annotated[float, Query(gt=0, le=50)] = 3.0,
    window_days: Annotated[int, Query(ge=1, le=3650)] = 30,
    min_population: Annotated[int, Query(ge=0)] = 10_000,
    k: Annotated[int, Query(ge=1, le=10)] = 3,
    layer: Literal["towns", "roads"] = "towns",
    format: Fmt = None,
):
    net = request.app.state.roads
    if net is None:
        raise HTTPException(
            409,
            "access needs a road network: start the server with "
            "`sahelwatch serve --roads FILE` (the project ships no road data)",
        )

    opts = dict(buffer_km=buffer_km, window_days=window_days, min_population=min_population, k=k, layer=layer)

    def fn(ev):
        if len(ev) == 0:
            raise InputError("no events match the filters")
        if ev["latitude"].isna().any():
            ev = ac.geocode_events(ev)
        ev = ac.mark_road_related(ev)
        cty = flt.kwargs.get("countries", [None])[0] or ev["country"].mode().iat[0]
        towns = ac.towns_from_gazetteer(cty, min_population)
        if len(towns) < 2:
            raise InputError(
                f"fewer than two towns of {min_population}+ people in {cty!r}; lower min_population"
            )
        ev = ac.snap_events(ev, net, buffer_km=buffer_km, towns=towns)
        model = ac.AccessModel(net, towns, k=k)
        day = pd.Timestamp(flt.kwargs["until"]) if "until" in flt.kwargs else ev["event_date"].max()
        if layer == "towns":
            st = model.status(ev, on=day, window_days=window_days).drop(columns=["town_idx"], errors="ignore")
            st.attrs = {"day": str(day.date())}
            return st, {"day": str(day.date())}
        danger = ac.segment_danger(net, ev, since=flt.kwargs.get("since"), until=day)
        return danger, {"day": str(day.date())}

    return await _run(request, "access", flt, opts, fn, format)


# ------------------------------------------------------------------------------------------ network
@router.get("/network", summary="Actor network: who fights whom, who is allied (edges by period)")
async def network(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    by: Literal["year", "quarter", "month", "all"] = "year",
    claims: bool = True,
    armed_only: bool = False,
    components: bool = False,
    format: Fmt = None,
):
    opts = dict(by=by, claims=claims, armed_only=armed_only, components=components)
    store = request.app.state.store

    def fn(ev):
        cl = store.claims() if claims else None
        edges, graph = actor_network(
            ev,
            cl,
            actor_map=registry_group_map(components=components) if components else None,
            by=None if by == "all" else by,
            exclude_inter=(5, 6, 7) if armed_only else (),
        )
        nodes = [{"id": n, **{k: R._plain(v) for k, v in d.items()}} for n, d in graph.nodes(data=True)]
        return edges, {"nodes": nodes}

    return await _run(request, "network", flt, opts, fn, format)
