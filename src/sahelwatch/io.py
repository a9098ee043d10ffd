"""The one place that writes tables: ``write_table(frame, path)``, the format from the file's suffix.

    from sahelwatch.io import write_table
    write_table(hotspots, "hot.geojson")          # polygons of a GeoDataFrame, or points from lat/lon
    write_table(alerts, "alerts.csv")
    write_table(cells, "hot.png", kind="hotspots", title="Gi* hot spots")   # a picture, where one exists

=============  ==========================================================================================
suffix         what is written
=============  ==========================================================================================
.csv           text cells (dates as ``date_format``, integers without .0, '' for missing), streamed in
               slices; a GeoDataFrame's geometry as a ``geometry_wkt`` column; ``header_rows`` (e.g. the
               HXL hashtag row) under the header
.parquet       the frame (dict/list cells as JSON text); a GeoDataFrame as GeoParquet
.geoparquet    GeoParquet (also .gpq); needs a geometry or lat/lon columns
.json          records, dates as YYYY-MM-DD, missing as null
.geojson       an RFC 7946 FeatureCollection (WGS84, no ``crs`` member), streamed; geometry from a
               GeoDataFrame or points from ``latitude``/``longitude`` (or ``lat``/``lon``)
.gpkg          GeoPackage (pyogrio), one layer
.html          an HTML table
.png .svg      a picture drawn by ``sahelwatch.figures.draw(frame, path, kind=..., title=...)`` for the
               kinds in ``figures.KINDS`` (maps and charts); refused for a kind with no picture
=============  ==========================================================================================

:func:`check_output` refuses an unknown suffix (or a picture of a kind that has none) before any work is
done; shells call it on their ``-o`` before running an analysis, and ``write_table`` calls it again.
Rows of a spatial format without coordinates are left out with an :class:`OmittedRowsWarning`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError

try:  # maps and charts (sahelwatch/figures/, being built in this session): the pictures of tables.
    # By name until the package exists: a static `from . import figures` of a missing module reads as an
    # import of the root package to import-linter. Make it static once sahelwatch/figures/ is in the tree.
    figures: Any = importlib.import_module("sahelwatch.figures")
except ModuleNotFoundError as exc:  # not in this tree yet: .png/.svg are refused
    if exc.name != "sahelwatch.figures":
        raise
    figures = None

TABLE_SUFFIXES = (".csv", ".parquet", ".geoparquet", ".gpq", ".json", ".geojson", ".gpkg", ".html")
PICTURE_SUFFIXES = (".png", ".svg")
SPATIAL = ("geojson", "gpkg", "geoparquet")
#: suffix -> format name
FORMAT_OF = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "geoparquet",
    ".gpq": "geoparquet",
    ".json": "json",
    ".geojson": "geojson",
    ".gpkg": "gpkg",
    ".html": "html",
    ".png": "picture",
    ".svg": "picture",
}
FORMATS = tuple(dict.fromkeys(FORMAT_OF.values()))

#: Rows formatted at a time: text cells cost ~60 bytes each, so big tables are written in slices.
CHUNK_ROWS = 50_000


class OmittedRowsWarning(UserWarning):
    """Rows were left out of a file (no coordinates for a spatial format); ``count`` says how many."""

    def __init__(self, message: str, count: int = 0):
        super().__init__(message)
        self.count = count


# ============================================================================================ checking


def picture_kinds() -> frozenset[str]:
    """The kinds of table that have a picture (``figures.KINDS``); empty without sahelwatch.figures."""
    return frozenset(getattr(figures, "KINDS", ())) if figures is not None else frozenset()


def check_output(path: str | Path, *, kind: str | None = None, format: str | None = None) -> str:  # noqa: A002
    """The format ``path`` will be written in; an :class:`InputError` for an unknown suffix, a picture of
    a kind that has none, or a missing folder. Call it before the work that produces the table."""
    p = Path(path)
    fmt = format or FORMAT_OF.get(p.suffix.lower())
    if fmt is None or fmt not in FORMATS:
        raise InputError(
            f"{p}: unknown output format (file extension {p.suffix or 'missing'!r}); use one of "
            f"{', '.join(TABLE_SUFFIXES + PICTURE_SUFFIXES)}"
        )
    if fmt == "picture":
        kinds = picture_kinds()
        if kind is None or kind not in kinds:
            what = f"a {kind} table" if kind else "this table"
            raise InputError(
                f"{p}: there is no {p.suffix} picture of {what}"
                + (
                    f" (pictures exist for: {', '.join(sorted(kinds))})"
                    if kinds
                    else " (no pictures: sahelwatch.figures is not installed)"
                )
                + f"; write one of {', '.join(TABLE_SUFFIXES)}"
            )
    if str(p.parent) not in ("", ".") and not p.parent.exists():
        raise InputError(f"cannot write {str(p)!r}: folder {str(p.parent)!r} does not exist")
    return fmt


# ============================================================================================ writing


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002
    kind: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    country: str | None = None,
    header_rows: Sequence[Sequence[str]] = (),
    date_format: str = "%Y-%m-%d",
    id_column: str | None = None,
    layer: str | None = None,
    coordinates: tuple[Sequence[float], Sequence[float]] | None = None,
    mkdir: bool = False,
) -> Path:
    """Write ``frame`` to ``path`` in the format of its suffix (or ``format``) and return the path.

    ``kind``/``title``/``subtitle``/``country``: what the table is (e.g. "hotspots"), the period and filters,
    and the country whose outline frames the map, for pictures. ``header_rows``: text rows
    under a CSV header (HXL). ``id_column``: the GeoJSON feature id. ``layer``: the GeoPackage layer.
    ``coordinates``: (longitudes, latitudes) of the rows' points, for a spatial format when the table's own
    columns leave them out. ``mkdir``: create the folder first (else a missing folder is an error)."""
    p = Path(path)
    if mkdir:
        p.parent.mkdir(parents=True, exist_ok=True)
    fmt = check_output(p, kind=kind, format=format)
    if fmt == "picture":
        extra = {"country": country} if country else {}
        return Path(figures.draw(frame, p, kind=kind, title=title, subtitle=subtitle, **extra))  # type: ignore[arg-type]
    if fmt == "csv":
        write_csv_parts([frame], p, header_rows=header_rows, date_format=date_format)
    elif fmt == "parquet":
        _write_parquet(frame, p)
    elif fmt == "json":
        _write_json(frame, p)
    elif fmt == "html":
        _plain(_drop_geometry(frame)).to_html(p, index=False)
    elif fmt == "geojson":
        _write_geojson(frame, p, id_column=id_column, coordinates=coordinates)
    elif fmt == "gpkg":
        _write_gpkg(
            to_geodataframe(frame, what="GeoPackage", coordinates=coordinates), p, layer=layer or p.stem
        )
    else:  # geoparquet
        to_geodataframe(frame, what="GeoParquet", coordinates=coordinates).to_parquet(p, index=False)
    return p


# ============================================================================================ cells


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v == "":
        return True
    try:
        return bool(pd.isna(v)) if np.isscalar(v) else False
    except (TypeError, ValueError):
        return False


def format_number(v: Any) -> str:
    """Numbers as ACLED writes them: integers without ``.0``, floats in their shortest exact form."""
    if is_missing(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def _format_value(v: Any, date_format: str) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return v.strftime(date_format)
    if isinstance(v, (int, float, np.integer, np.floating, bool, np.bool_)):
        return format_number(v)
    if isinstance(v, (dict, list, tuple, set, frozenset)):
        return json.dumps(
            sorted(v) if isinstance(v, (set, frozenset)) else v, ensure_ascii=False, default=str
        )
    return str(v)


def format_column(s: pd.Series, date_format: str = "%Y-%m-%d") -> pd.Series:
    """One column as text cells: dates in ``date_format``, integers without .0, '' for missing.

    Vectorised for the common dtypes (the slow per-cell path only runs on mixed object columns).
    """
    missing = s.isna()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.strftime(date_format).fillna("").astype(object)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.map(lambda v: "" if is_missing(v) else str(int(v))).astype(object)
    if pd.api.types.is_integer_dtype(s.dtype):  # int64 and nullable Int64
        return s.astype("string").fillna("").astype(object)
    if pd.api.types.is_float_dtype(s.dtype):
        text = s.astype(str).str.replace(r"\.0$", "", regex=True)
        big = s.abs() >= 1e15  # str() would switch to exponent notation
        if big.any():
            text[big] = s[big].map(format_number)
        return text.where(~missing, "").astype(object)
    if pd.api.types.is_string_dtype(s.dtype) and pd.api.types.infer_dtype(s, skipna=True) in (
        "string",
        "empty",
    ):
        return s.astype(object).where(~missing, "")
    return s.map(lambda v: _format_value(v, date_format)).astype(object)


def json_value(v: Any) -> Any:
    """A cell as a JSON-ready Python value (dates as YYYY-MM-DD, numpy scalars as Python numbers)."""
    if isinstance(v, (list, tuple, dict)):
        return v
    if isinstance(v, (set, frozenset)):
        return sorted(v)
    if is_missing(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if not math.isfinite(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 1e15 else f
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def json_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Columns as JSON-ready Python objects: dates as YYYY-MM-DD, NaN/NaT/NA/'' as None."""
    out = {}
    for c in table.columns:
        s = table[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            v = s.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype):
            v = s.astype(object)
        elif pd.api.types.is_float_dtype(s.dtype):
            v = s.astype(object).where(np.isfinite(s.to_numpy(dtype=float, na_value=np.nan)), None)
        elif pd.api.types.is_string_dtype(s.dtype) and pd.api.types.infer_dtype(s, skipna=True) in (
            "string",
            "empty",
        ):
            v = s.astype(object).where(s.notna() & (s.astype(object) != ""), None)
        else:  # map on object values: a str-dtype map would turn None back into NaN
            v = s.astype(object).map(json_value)
        v = v.astype(object)
        out[c] = v.where(v.notna(), None)
    return pd.DataFrame(out, index=table.index, dtype=object)


def _json_default(v: Any) -> Any:
    out = json_value(v)
    if out is v:
        return str(v)
    return out


def slices(df: pd.DataFrame, rows: int | None = None) -> Iterable[pd.DataFrame]:
    """The frame in slices of ``rows`` rows (default ``CHUNK_ROWS``; one empty slice for an empty frame)."""
    rows = rows or CHUNK_ROWS
    if len(df) == 0:
        yield df
    for start in range(0, len(df), rows):
        yield df.iloc[start : start + rows]


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding dicts/lists/sets become JSON text; date objects become datetime64."""
    out = pd.DataFrame(df).copy()
    out.attrs = {}
    for c in out.columns:
        if out[c].dtype == object:
            sample = out[c].dropna().head(50)
            if any(isinstance(v, (dict, list, tuple, set, frozenset)) for v in sample):
                out[c] = out[c].map(
                    lambda v: (
                        None
                        if not isinstance(v, (dict, list, tuple, set, frozenset)) and is_missing(v)
                        else json.dumps(json_value(v), ensure_ascii=False, default=str)
                    )
                )
            elif any(isinstance(v, (dt.date, dt.datetime)) for v in sample):
                out[c] = pd.to_datetime(out[c])
    return out


def _is_geo(df) -> bool:
    return (
        getattr(df, "geometry", None) is not None
        and hasattr(df, "crs")
        and "geometry" in getattr(df, "columns", ())
    )


def _drop_geometry(df: pd.DataFrame) -> pd.DataFrame:
    if not _is_geo(df):
        return df
    plain = pd.DataFrame(df.drop(columns=df.geometry.name))
    plain["geometry_wkt"] = df.geometry.to_wkt()
    return plain


# ============================================================================================ formats


def write_csv_parts(
    parts: Iterable[pd.DataFrame],
    path: str | Path,
    *,
    header_rows: Sequence[Sequence[str]] = (),
    date_format: str = "%Y-%m-%d",
) -> Path:
    """A CSV from a table given in parts (slices of one table, same columns), in bounded memory: each
    part is formatted as text cells and appended. The header comes from the first part."""
    p = Path(path)
    names: list[str] | None = None
    with open(p, "w", encoding="utf-8", newline="") as fh:
        for frame in parts:
            table = _drop_geometry(frame)
            if names is None:
                names = [str(c) for c in table.columns]
                pd.DataFrame(columns=names).to_csv(fh, index=False, lineterminator="\n")
                for row in header_rows:
                    pd.DataFrame([list(row)], columns=names).to_csv(
                        fh, index=False, header=False, lineterminator="\n"
                    )
            for part in slices(table):
                if not len(part):
                    continue
                cells = pd.DataFrame(
                    {n: format_column(part[c], date_format) for n, c in zip(names, table.columns)},
                    index=part.index,
                )
                cells.to_csv(fh, index=False, header=False, lineterminator="\n")
    return p


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    if _is_geo(df):
        g = df.copy()
        g.attrs = {}
        g[[c for c in g.columns if c != g.geometry.name]] = _plain(g.drop(columns=g.geometry.name))
        g.to_parquet(path, index=False)
        return
    _plain(df).reset_index(drop=True).to_parquet(path, index=False)


def _write_json(df: pd.DataFrame, path: Path) -> None:
    ready = json_ready(_drop_geometry(df))
    names = list(ready.columns)
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default, indent=None).encode
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n")
        n = 0
        for part in slices(ready):
            for values in zip(*(part[c].tolist() for c in names)):
                fh.write((",\n" if n else "") + dumps(dict(zip(names, values))))
                n += 1
        fh.write("\n]\n")


def _coordinates(df: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    for lat, lon in (("_lat_", "_lon_"), ("latitude", "longitude"), ("lat", "lon")):
        if lat in df.columns and lon in df.columns:
            return pd.to_numeric(df[lat], errors="coerce"), pd.to_numeric(df[lon], errors="coerce")
    return None


def located(df: pd.DataFrame, what: str) -> pd.DataFrame:
    """The rows with coordinates; an :class:`OmittedRowsWarning` with the count of the others."""
    if _is_geo(df):
        ok = ~(df.geometry.isna() | df.geometry.is_empty)
    else:
        coords = _coordinates(df)
        if coords is None:
            raise InputError(
                f"this table has no geometry and no latitude/longitude (or lat/lon) columns: "
                f"{what} needs them; write .csv, .parquet or .json instead"
            )
        ok = coords[0].notna() & coords[1].notna()
    missing = int((~ok).sum())
    if missing:
        warnings.warn(
            OmittedRowsWarning(
                f"{missing} of {len(df)} rows have no coordinates and were left out of the {what} output",
                missing,
            ),
            stacklevel=3,
        )
    return df.loc[ok]


def to_geodataframe(
    df: pd.DataFrame,
    *,
    what: str = "GeoDataFrame",
    coordinates: tuple[Sequence[float], Sequence[float]] | None = None,
):
    """The located rows as a GeoDataFrame in EPSG:4326 (points from lat/lon, or from ``coordinates`` =
    (longitudes, latitudes), unless it is one already), dict/list cells as JSON text."""
    import geopandas as gpd  # geopandas costs ~1 s to import: only the spatial formats need it

    if coordinates is not None:
        df = df.assign(
            _lon_=np.asarray(coordinates[0], dtype=float), _lat_=np.asarray(coordinates[1], dtype=float)
        )
    rows = located(df, what)
    if _is_geo(rows):
        g = rows.to_crs("EPSG:4326") if rows.crs is not None and rows.crs != "EPSG:4326" else rows
        plain = _plain(g.drop(columns=g.geometry.name))
        return gpd.GeoDataFrame(
            plain.reset_index(drop=True), geometry=g.geometry.reset_index(drop=True).values, crs="EPSG:4326"
        )
    lat, lon = _coordinates(rows)  # type: ignore[misc]
    table = _plain(rows.drop(columns=["_lon_", "_lat_"], errors="ignore"))
    for c in table.columns:  # nullable ints with gaps: GDAL fields are nullable anyway
        if isinstance(table[c].dtype, pd.Int64Dtype) and table[c].isna().any():
            table[c] = table[c].astype("float64")
    geom = gpd.points_from_xy(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float), crs="EPSG:4326")
    return gpd.GeoDataFrame(table.reset_index(drop=True), geometry=geom, crs="EPSG:4326")


def _write_geojson(
    df: pd.DataFrame,
    path: Path,
    *,
    id_column: str | None,
    coordinates: tuple[Sequence[float], Sequence[float]] | None,
) -> None:
    """RFC 7946 FeatureCollection: WGS84 lon/lat, no ``crs`` member, one feature per row, streamed."""
    if coordinates is not None:
        df = df.assign(
            _lon_=np.asarray(coordinates[0], dtype=float), _lat_=np.asarray(coordinates[1], dtype=float)
        )
    rows = located(df, "GeoJSON")
    if _is_geo(rows):
        g = rows.to_crs("EPSG:4326") if rows.crs is not None and rows.crs != "EPSG:4326" else rows
        geoms = [None if x is None else x.__geo_interface__ for x in g.geometry]
        table = pd.DataFrame(g.drop(columns=g.geometry.name))
    else:
        lat, lon = _coordinates(rows)  # type: ignore[misc]
        geoms = [
            {"type": "Point", "coordinates": [x, y]}
            for x, y in zip(lon.to_numpy(dtype=float).tolist(), lat.to_numpy(dtype=float).tolist())
        ]
        table = rows.drop(columns=["_lon_", "_lat_"], errors="ignore")
    names = list(table.columns)
    ids = (
        [json_value(v) for v in table[id_column]]
        if id_column and id_column in names
        else list(range(len(table)))
    )
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for part in slices(table):
            ready = json_ready(part)
            for values in zip(*(ready[c].tolist() for c in names)):
                feature = {
                    "type": "Feature",
                    "id": ids[n],
                    "geometry": geoms[n],
                    "properties": dict(zip(names, values)),
                }
                fh.write((",\n" if n else "") + dumps(feature))
                n += 1
        fh.write("\n]}\n")


def _write_gpkg(gdf, path: Path, *, layer: str) -> None:
    for c in gdf.columns:  # GPKG fields are plain scalars
        if c != gdf.geometry.name and gdf[c].dtype == object:
            gdf[c] = gdf[c].map(
                lambda v: v if v is None or isinstance(v, (str, int, float, bool)) else str(v)
            )
    if path.exists():
        path.unlink()  # a fresh file: no stale layers from an earlier run
    try:
        gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio", use_arrow=True)
    except Exception:  # older GDAL/pyogrio without Arrow writing: the row-by-row path
        if path.exists():
            path.unlink()
        gdf.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")


__all__ = [
    "write_table",
    "write_csv_parts",
    "check_output",
    "picture_kinds",
    "to_geodataframe",
    "located",
    "format_column",
    "format_number",
    "json_ready",
    "json_value",
    "is_missing",
    "slices",
    "OmittedRowsWarning",
    "TABLE_SUFFIXES",
    "PICTURE_SUFFIXES",
    "FORMATS",
    "CHUNK_ROWS",
]
