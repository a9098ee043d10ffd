"""One list, three formats: JSON (``{"data": [...], ...}``), GeoJSON (points, or unit outlines) and CSV.

Text from documents is data, never markup: JSON and CSV carry it as strings, and the dashboard inserts
it with ``textContent`` only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from typing import Any, Iterable, Sequence

import orjson
from fastapi import Response
from fastapi.responses import StreamingResponse
from ..analysis.units import is_cell_unit, unit_geometries

FORMATS = ("json", "geojson", "csv")


def _plain(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        try:
            return _plain(v.item())
        except Exception:  # noqa: BLE001
            return str(v)
    if v is not None and not isinstance(v, (str, int, float, bool, list, dict)):
        return str(v)
    return v


def dumps(obj: Any) -> bytes:
    """JSON bytes (orjson: dates as ISO 8601, NaN as null; anything else unusual through ``_plain``)."""
    return orjson.dumps(obj, default=_plain, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def clean(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in r.items()} for r in rows]


def json_response(obj: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(dumps(obj), status_code=status, media_type="application/json", headers=headers)


def _point(r: dict[str, Any]) -> dict | None:
    for lat, lon in (("latitude", "longitude"), ("lat", "lon")):
        if lat in r and lon in r:
            a, o = r.get(lat), r.get(lon)
            if a is None or o is None or (isinstance(a, float) and math.isnan(a)):
                return None
            return {"type": "Point", "coordinates": [float(o), float(a)]}
    return None


def feature_collection(rows: Sequence[dict[str, Any]], geometry=None, extra: dict | None = None) -> dict:
    feats = []
    for r in rows:
        g = geometry(r) if geometry else r.pop("geometry", None) or _point(r)
        props = {k: _plain(v) for k, v in r.items() if k != "geometry"}
        feats.append({"type": "Feature", "geometry": g, "properties": props})
    out = {"type": "FeatureCollection", "features": feats}
    if extra:
        out.update(extra)
    return out


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    buf = io.StringIO()
    cols = list(columns or (rows[0].keys() if rows else []))
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(
            [
                ""
                if r.get(c) is None
                else (
                    json.dumps(r[c], default=_plain, ensure_ascii=False)
                    if isinstance(r.get(c), (list, dict))
                    else _plain(r.get(c))
                )
                for c in cols
            ]
        )
    return buf.getvalue()


def csv_response(
    rows: Sequence[dict[str, Any]],
    filename: str,
    columns: Sequence[str] | None = None,
    headers: dict | None = None,
) -> Response:
    h = {"Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})}
    return Response(csv_text(rows, columns), media_type="text/csv; charset=utf-8", headers=h)


def stream_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> StreamingResponse:
    def gen():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        n = 0
        for r in rows:
            w.writerow(["" if r.get(c) is None else _plain(r.get(c)) for c in columns])
            n += 1
            if n % 2000 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(
        gen(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def stream_geojson(rows: Iterable[dict[str, Any]]) -> StreamingResponse:
    def gen():
        yield b'{"type":"FeatureCollection","features":['
        first = True
        for r in rows:
            g = _point(r)
            props = {k: v for k, v in r.items()}
            chunk = dumps({"type": "Feature", "geometry": g, "properties": props})
            yield chunk if first else b"," + chunk
            first = False
        yield b"]}"

    return StreamingResponse(gen(), media_type="application/geo+json")


def pick_format(fmt: str | None, accept: str | None) -> str:
    if fmt:
        return fmt
    a = (accept or "").lower()
    if "text/csv" in a:
        return "csv"
    if "application/geo+json" in a:
        return "geojson"
    return "json"


def unit_geometry(rows: Sequence[dict[str, Any]], key: str, unit: str | None):
    """A geometry function for ``feature_collection``: the outline of each row's cell (PRIO-GRID or H3)."""
    if unit is None or not is_cell_unit(unit):
        return lambda r: None
    import shapely

    values = list(dict.fromkeys(r.get(key) for r in rows if r.get(key) is not None))
    geoms = list(unit_geometries(values, unit).geometry) if values else []
    shapes = {v: (None if g is None else json.loads(shapely.to_geojson(g))) for v, g in zip(values, geoms)}
    return lambda r: shapes.get(r.get(key))
