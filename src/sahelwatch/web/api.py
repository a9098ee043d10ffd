"""Read endpoints: events, one event, aggregates, changes, documents, claims, actors, places, reference lists.

Every list answers JSON, GeoJSON or CSV (``format=``); an empty answer says why (``message``).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from ..errors import InputError
from ..store import filters as F
from ..store import query as Q
from ..watch import status as watch_status
from . import render as R
from .params import EventFilters, ParamError, event_filters, no_unknown_params
from ..actors import Registry, key
from .. import gazetteer as G
from .. import taxonomy
from .outlines import outline_geojson

router = APIRouter(prefix="/api", dependencies=[Depends(no_unknown_params)])

Fmt = Annotated[
    Optional[Literal["json", "geojson", "csv"]], Query(description="json (default), geojson or csv.")
]


def store_of(request: Request):
    return request.app.state.store


def _next_link(request: Request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    return str(request.url.include_query_params(cursor=cursor))


def _fields(fields: str | None) -> list[str]:
    if not fields:
        return list(Q.LIST_COLUMNS)
    want = [f.strip() for f in fields.split(",") if f.strip()]
    bad = [f for f in want if f not in Q.LIST_COLUMNS]
    if bad:
        raise ParamError(
            "fields",
            f"fields: unknown column {bad[0][:60]!r}; use ACLED column names "
            f"such as event_id_cnty,event_date,fatalities",
        )
    return want


def _recheck(store, flt: EventFilters) -> dict | None:
    """After an empty answer: the store's filter validation (store/filters.py, the CLI's and the Python API's).
    An unknown name is a 400 naming the filter with the closest known names; a name written another way
    (ISO code, p-code, case) gives the filters to run again; None when the filters were right as given."""
    if not flt.kwargs:
        return None
    try:
        clean = F.check_filters(store, **flt.kwargs)
    except F.FilterError as exc:
        raise ParamError(_PARAM.get(_first_named(str(exc)), "filters"), str(exc)) from None
    same = all(clean.get(k) == v or str(clean.get(k)) == str(v) for k, v in flt.kwargs.items())
    return None if same else clean


_PARAM = {
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "actor": "actor",
    "event type": "event_type",
    "sub-event type": "event_type",
    "dataset": "dataset",
    "since": "since",
    "until": "until",
    "bbox": "bbox",
}


def _first_named(message: str) -> str:
    m = message.lower()
    hits = [(m.find(k), k) for k in _PARAM if m.find(k) >= 0]
    return min(hits)[1] if hits else ""


def _explain(store, flt: EventFilters) -> str:
    if flt.as_of is None and flt.kwargs:
        try:
            why = F.explain_empty(store, **flt.kwargs)
        except Exception:  # noqa: BLE001 - an explanation must never turn an answer into an error
            why = None
        if why:
            return why
    return _why_empty(flt)


def _why_empty(flt: EventFilters) -> str:
    if not flt.kwargs and flt.as_of is None:
        return "the store holds no events: import data first (sahelwatch import acled FILE)"
    parts = ", ".join(f"{k}={v}" for k, v in flt.kwargs.items())
    return (
        f"no event matches these filters ({parts or 'none'}"
        + (f"; as_of={flt.as_of.isoformat()}" if flt.as_of else "")
        + ")"
    )


def _decode_json_columns(rows: list[dict]) -> list[dict]:
    for r in rows:
        s = r.get("sources")
        if isinstance(s, str):
            try:
                r["sources"] = json.loads(s) if s else []
            except ValueError:
                pass
    return rows


@router.get("/events", summary="Events matching the filters, one keyset page at a time")
async def events(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    limit: Annotated[int, Query(ge=1, le=Q.MAX_PAGE, description="Page size (≤ 10,000).")] = 100,
    cursor: Annotated[Optional[str], Query(max_length=400, description="From the `next` link.")] = None,
    total: Annotated[bool, Query(description="Also count every matching event (slower).")] = False,
    fields: Annotated[Optional[str], Query(max_length=2000, description="Comma-separated columns.")] = None,
    format: Fmt = None,
):
    store = store_of(request)
    cols = _fields(fields)
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt == "geojson":
        cols = list(dict.fromkeys([*cols, "latitude", "longitude"]))
    p = await run_in_threadpool(
        Q.page, store, flt.kwargs, limit=limit, cursor=cursor, as_of=flt.as_of, with_total=total, columns=cols
    )
    if not p.rows and not cursor:
        clean = await run_in_threadpool(_recheck, store, flt)
        if clean is not None:
            flt = EventFilters(clean, flt.as_of)
            p = await run_in_threadpool(
                Q.page,
                store,
                clean,
                limit=limit,
                cursor=None,
                as_of=flt.as_of,
                with_total=total,
                columns=cols,
            )
    rows = p.rows
    if rows and len(rows[0]) != len(cols):
        rows = [{c: r[c] for c in cols} for r in rows]
    nxt = _next_link(request, p.next_cursor)
    meta: dict = {"count": len(rows), "next": nxt}
    if total:
        meta.update(total=p.total, total_fatalities=p.total_fatalities)
    if flt.as_of:
        meta["as_of"] = flt.as_of.isoformat()
    if not rows:
        meta["message"] = (
            await run_in_threadpool(_explain, store, flt)
            if not cursor
            else "no more events after this cursor"
        )
    headers = {"Link": f'<{nxt}>; rel="next"'} if nxt else {}
    if fmt == "csv":
        if total:
            headers["X-Total-Count"] = str(p.total)
        return R.csv_response(rows, "events.csv", cols, headers)
    rows = _decode_json_columns(rows)
    if fmt == "geojson":
        return R.json_response(R.feature_collection(rows, extra=meta), headers=headers)
    return R.json_response({"data": rows, **meta}, headers=headers)


@router.get("/export/events", summary="Every event matching the filters, streamed (CSV or GeoJSON)")
async def export_events(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    format: Annotated[Literal["csv", "geojson"], Query()] = "csv",
    fields: Annotated[Optional[str], Query(max_length=2000)] = None,
):
    store = store_of(request)
    cols = _fields(fields)
    if format == "geojson":
        cols = list(dict.fromkeys([*cols, "latitude", "longitude"]))
    rows = Q.iter_all(store, flt.kwargs, as_of=flt.as_of, columns=cols)
    if format == "csv":
        return R.stream_csv(rows, cols, "sahelwatch_events.csv")
    return R.stream_geojson(_decode_json_columns([r])[0] for r in rows)


@router.get("/map/points", summary="Compact columns of every matching located event, for the dashboard")
async def map_points(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    max_points: Annotated[int, Query(ge=1, le=1_000_000)] = 500_000,
):
    store = store_of(request)
    data = await run_in_threadpool(Q.points, store, flt.kwargs, as_of=flt.as_of, limit=max_points)
    if not data["id"]:
        clean = await run_in_threadpool(_recheck, store, flt)
        if clean is not None:
            flt = EventFilters(clean, flt.as_of)
            data = await run_in_threadpool(Q.points, store, clean, as_of=flt.as_of, limit=max_points)
    if not data["id"]:
        data["message"] = await run_in_threadpool(_explain, store, flt)
    return R.json_response(data)


@router.get("/events/{event_id}", summary="One event: sources, documents, the sentence with offsets, history")
async def event(request: Request, event_id: str):
    if len(event_id) > 64:
        raise ParamError("event_id", "event_id: at most 64 characters")
    d = await run_in_threadpool(Q.event_detail, store_of(request), event_id)
    if d is None:
        raise HTTPException(404, f"no event {event_id!r} in this store")
    return R.json_response(d)


@router.get("/aggregates", summary="Counts and fatalities by cell, admin unit, period, actor or type")
async def aggregates(
    request: Request,
    flt: EventFilters = Depends(event_filters),
    by: Annotated[list[str], Query(description="Grouping (repeatable): " + ", ".join(Q.GROUPS))] = [  # noqa: B006
        "priogrid"
    ],
    format: Fmt = None,
):
    store = store_of(request)
    groups = [g for v in by for g in v.split(",") if g]
    for g in groups:
        if g not in Q.GROUPS:
            raise ParamError("by", f"by={g[:40]!r}: use {', '.join(Q.GROUPS)}")
    res = await run_in_threadpool(Q.aggregate, store, flt.kwargs, groups, as_of=flt.as_of)
    if not res["groups"]:
        clean = await run_in_threadpool(_recheck, store, flt)
        if clean is not None:
            flt = EventFilters(clean, flt.as_of)
            res = await run_in_threadpool(Q.aggregate, store, clean, groups, as_of=flt.as_of)
    rows = res["groups"]
    meta = {"by": res["by"], "events": res["events"], "fatalities": res["fatalities"], "count": len(rows)}
    if flt.as_of:
        meta["as_of"] = flt.as_of.isoformat()
    if not rows:
        meta["message"] = await run_in_threadpool(_explain, store, flt)
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt == "csv":
        return R.csv_response(rows, "aggregates.csv")
    if fmt == "geojson":
        unit = next((g for g in groups if g == "priogrid" or g.startswith("h3-")), None)
        rows = [dict(r) for r in rows]
        return R.json_response(
            R.feature_collection(rows, geometry=R.unit_geometry(rows, unit or "", unit), extra=meta)
        )
    return R.json_response({"data": rows, **meta})


@router.get("/changes", summary="Events created, updated and removed since a time (from the history)")
async def changes(
    request: Request,
    since: Annotated[str, Query(description="ISO 8601 time, e.g. 2024-05-01T00:00:00Z.")],
    limit: Annotated[int, Query(ge=1, le=Q.MAX_PAGE)] = 1000,
    format: Fmt = None,
):
    try:
        ts = Q.as_timestamp(since, "since")
    except InputError as exc:
        raise ParamError("since", str(exc)) from None
    if ts is None:
        raise ParamError("since", "since: give a time, e.g. 2024-05-01T00:00:00Z")
    res = await run_in_threadpool(Q.changes, store_of(request), ts, limit=limit)
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt in ("csv", "geojson"):
        rows = (
            [{"change": "created", **r} for r in res["created"]]
            + [{"change": "updated", **r} for r in res["updated"]]
            + [{"change": "removed", **r} for r in res["removed"]]
        )
        if fmt == "csv":
            return R.csv_response(
                rows,
                "changes.csv",
                ["change", "event_id_cnty", "at", "event_date", "event_type", "country", "fatalities"],
            )
        return R.json_response(R.feature_collection(rows, geometry=lambda r: None))
    if not (res["created"] or res["updated"] or res["removed"]):
        res["message"] = f"nothing changed since {ts.isoformat()}"
    return R.json_response(res)


@router.get("/documents/{document_id}", summary="One document: text, metadata and the events read from it")
async def document(request: Request, document_id: str):
    if len(document_id) > 64:
        raise ParamError("document_id", "document_id: at most 64 characters")
    d = await run_in_threadpool(Q.document, store_of(request), document_id)
    if d is None:
        raise HTTPException(404, f"no document {document_id!r} in this store")
    return R.json_response(d)


@router.get("/claims", summary="Claims read from documents (force strengths, alliances, rivalries)")
async def claims(
    request: Request,
    kind: Annotated[Optional[str], Query(max_length=64)] = None,
    subject: Annotated[Optional[str], Query(max_length=200)] = None,
    format: Fmt = None,
):
    df = await run_in_threadpool(store_of(request).claims, kind, subject)
    rows = R.clean(df.to_dict("records"))
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt == "csv":
        return R.csv_response(rows, "claims.csv", list(df.columns))
    if fmt == "geojson":
        return R.json_response(R.feature_collection(rows, geometry=lambda r: None))
    out = {"data": rows, "count": len(rows)}
    if not rows:
        out["message"] = "no claims in this store" + (" for these parameters" if kind or subject else "")
    return R.json_response(out)


@router.get("/actors", summary="The actor registry: canonical names, aliases, inter codes")
async def actors(
    request: Request, q: Annotated[Optional[str], Query(max_length=200)] = None, format: Fmt = None
):
    rows = await run_in_threadpool(_actor_rows, q)
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt == "csv":
        return R.csv_response(rows, "actors.csv", ["name", "inter", "affiliation", "country", "aliases"])
    if fmt == "geojson":
        return R.json_response(R.feature_collection(rows, geometry=lambda r: None))
    out = {"data": rows, "count": len(rows)}
    if not rows:
        out["message"] = f"no actor named or aliased like {q!r}"
    return R.json_response(out)


def _actor_rows(q: str | None) -> list[dict]:
    reg = Registry.load()
    hit = reg.normalise(q) if q else None
    rows = []
    qk = key(q) if q else None
    for name in reg.canonical_names():
        a = reg.actors[name]
        aliases = list(a.aliases or [])
        if (
            q
            and not (hit is not None and hit.name == name)
            and qk not in key(name)
            and not any(qk in key(x) for x in aliases)
        ):
            continue
        rows.append(
            {
                "name": name,
                "inter": a.inter,
                "affiliation": a.affiliation,
                "country": a.country,
                "aliases": aliases,
            }
        )
    return rows


@router.get("/places", summary="Gazetteer search with fuzzy matching (GeoNames-derived)")
async def places(
    request: Request,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    country: Annotated[Optional[str], Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    format: Fmt = None,
):
    rows = await run_in_threadpool(_place_rows, q, country, limit)
    fmt = R.pick_format(format, request.headers.get("accept"))
    if fmt == "csv":
        return R.csv_response(rows, "places.csv")
    if fmt == "geojson":
        return R.json_response(R.feature_collection([dict(r) for r in rows]))
    out = {"data": rows, "count": len(rows)}
    if not rows:
        out["message"] = f"no place spelled like {q!r}" + (f" in {country}" if country else "")
    return R.json_response(out)


def _place_rows(q: str, country: str | None, limit: int) -> list[dict]:
    gz = G.load()
    if country and gz.country_code(country) is None:
        raise ParamError("country", f"country={country!r}: not a country the gazetteer knows")
    codes = [gz.country_code(country)] if country else sorted({p.country_code for p in gz.places[:]})
    found: dict[int, tuple] = {}
    for cc in codes:
        for p in gz.lookup(q, cc) or []:
            found.setdefault(p.geonameid, (p, 1.0, "exact"))
        for p, score in gz.lookup_fuzzy(q, cc, quick=True) if len(q) >= 4 else []:
            if p.geonameid not in found:
                found[p.geonameid] = (p, score, "fuzzy")
    ranked = sorted(found.values(), key=lambda t: (-t[1], -(t[0].population or 0)))[:limit]
    return [
        {
            "geonameid": p.geonameid,
            "name": p.name,
            "country_code": p.country_code,
            "admin1": p.admin1,
            "admin2": p.admin2,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "population": p.population,
            "feature_code": p.feature_code,
            "match": how,
            "score": round(float(s), 3),
        }
        for p, s, how in ranked
    ]


@router.get("/types", summary="ACLED's event types and sub-event types")
async def types():
    return R.json_response(
        {"event_types": {t: list(taxonomy.sub_event_types(t)) for t in taxonomy.event_types()}}
    )


@router.get(
    "/facets", summary="Values present in the store (countries, admin1, admin2, event types, datasets)"
)
async def facets(request: Request):
    store = store_of(request)

    def work():
        return {
            c: Q.distinct_values(store, c) for c in ("country", "admin1", "admin2", "event_type", "dataset")
        } | {"date_range": Q.date_range(store)}

    return R.json_response(await run_in_threadpool(work))


@router.get("/status", summary="The store this server reads: schema revision, counts, state digest")
async def status(request: Request):
    store = store_of(request)

    def work():
        return {
            "store": store.dialect,
            "schema_revision": store.schema_revision(),
            **Q.status_counts(store),
            "state": Q.store_state(store),
            "watch": watch_status(store),
        }

    return R.json_response(await run_in_threadpool(work))


@router.get("/outlines/{layer}", summary="Base-map outlines shipped with the package (GeoJSON)")
async def outlines(layer: Literal["countries", "admin1", "admin2"]):
    return R.Response(
        await run_in_threadpool(outline_geojson, layer),
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )
