"""Export events from the store to the formats analysts use: ACLED CSV, GeoJSON, GeoPackage,
(Geo)Parquet and CSV with an optional HXL hashtag row for HDX.

Every function takes a frame as returned by ``store.events()`` (ACLED columns, ``event_date``
as datetime64, ``dataset``, ``date_end`` and optionally ``extra``: a dict per row holding the
source columns that have no ACLED home, e.g. ``data_id``, ``iso3``, ``event_id_no_cnty``).

    from sahelwatch.export import export_events, compare_acled
    export_events(store.events(countries=["Mali"]), "mali.csv", "acled")
    export_events(df, "mali.gpkg")                       # format from the extension

``compare_acled(a, b)`` lists the cell-level differences between two ACLED-style tables after
normalising types (dates parsed, numbers compared as numbers, empty == missing); it is the
proof behind "ACLED file -> store -> ACLED CSV gives the same value in every column".
See docs/formats.md.
"""
from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .io import format_column, format_number, is_missing, json_value, slices, write_csv_parts, write_table
from .io import to_geodataframe as io_to_geodataframe
from .model import ACLED_COLUMNS

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("acled", "geojson", "gpkg", "geoparquet", "csv", "parquet")

#: File extension -> format (``.csv`` is the full CSV; ask for ``acled`` explicitly for ACLED CSV).
EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "geoparquet",
    ".gpq": "geoparquet",
}

#: Columns of ACLED's monadic export: one actor per row, so no actor2 side.
MONADIC_DROP = ("actor2", "assoc_actor_2", "inter2")

#: HXL hashtags (HXL 1.1 hashtags and attributes; custom attributes only where the standard has none).
HXL_TAGS: dict[str, str] = {
    "event_id_cnty": "#event+id",
    "event_date": "#date",
    "year": "#date+year",
    "time_precision": "#date+precision",
    "disorder_type": "#event+type+disorder",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#actor+name+first",
    "assoc_actor_1": "#actor+name+first+assoc",
    "inter1": "#actor+type+first+code",
    "actor2": "#actor+name+second",
    "assoc_actor_2": "#actor+name+second+assoc",
    "inter2": "#actor+type+second+code",
    "interaction": "#event+interaction+code",
    "civilian_targeting": "#event+civilian_targeting",
    "iso": "#country+code+num",
    "region": "#region+name",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "admin3": "#adm3+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "geo_precision": "#geo+precision",
    "source": "#meta+source",
    "source_scale": "#meta+source+scale",
    "notes": "#description",
    "fatalities": "#affected+killed",
    "wounded": "#affected+injured",
    "tags": "#meta+tags",
    "timestamp": "#date+updated",
    "dataset": "#meta+dataset",
    "date_end": "#date+end",
    "iso3": "#country+code",
    "data_id": "#meta+id",
    "extra": "#meta+extra",
    # provenance columns of store.events()
    "prov_file": "#meta+source+file",
    "prov_row": "#meta+source+row",
    "document_id": "#meta+document+id",
    "sentence": "#meta+document+sentence",
    "char_start": "#meta+document+char_start",
    "char_end": "#meta+document+char_end",
    "coding_method": "#meta+coding+method",
    "confidence": "#meta+coding+confidence",
    "sources": "#meta+sources",
    "content_hash": "#meta+hash",
    "import_id": "#meta+import+id",
}

_DATE_COLUMNS = ("event_date", "date_end")


class ExportWarning(UserWarning):
    """Something was left out of an export; ``count`` says how many events."""

    def __init__(self, message: str, count: int = 0):
        super().__init__(message)
        self.count = count


# --------------------------------------------------------------------------- formatting (sahelwatch.io)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column of the frame, else the same key of ``extra``, else an empty column."""
    if name in df.columns:
        return df[name]
    if "extra" in df.columns:
        return df["extra"].map(lambda d: d.get(name) if isinstance(d, dict) else None)
    return pd.Series([None] * len(df), index=df.index, dtype=object)


# --------------------------------------------------------------------------- ACLED CSV


def acled_frame(
    df: pd.DataFrame,
    *,
    monadic: bool = False,
    columns: Sequence[str] | None = None,
    date_format: str = "%Y-%m-%d",
) -> pd.DataFrame:
    """The events as an ACLED export table of text cells (what ``export_events(..., 'acled')`` writes).

    ``columns`` picks and orders the output columns; names not in the frame are looked up in
    ``extra`` (e.g. ``data_id``, ``iso3``, ``event_id_no_cnty``). Default: the ACLED columns in
    ACLED's order (without actor2/assoc_actor_2/inter2 when ``monadic``).
    ``monadic=True`` writes one row per actor, as ACLED's monadic export: the actor2 side becomes
    a second row (right after the first) whose actor1/assoc_actor_1/inter1 are the actor2 side;
    events with no actor2 give one row.
    """
    if columns is None:
        columns = [c for c in ACLED_COLUMNS if not (monadic and c in MONADIC_DROP)]
    columns = list(columns)
    src = df.reset_index(drop=True)
    need = set(columns) | ({"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2"} if monadic else set())
    cells = {c: format_column(_column(src, c), date_format) for c in dict.fromkeys([*columns, *sorted(need)])}
    out = pd.DataFrame(cells, index=src.index)
    if monadic:
        has2 = out["actor2"].str.strip() != ""
        second = out.loc[has2].copy()
        second["actor1"] = second["actor2"]
        second["assoc_actor_1"] = second["assoc_actor_2"]
        second["inter1"] = second["inter2"]
        first = out.assign(_pos=out.index, _side=0)
        second = second.assign(_pos=second.index, _side=1)
        out = pd.concat([first, second]).sort_values(["_pos", "_side"], kind="stable")
        out = out.drop(columns=["_pos", "_side"]).reset_index(drop=True)
    return out[columns]


def _write_acled(df, path, *, monadic, columns, date_format):
    counted = [0]

    def parts():
        for part in slices(df):
            table = acled_frame(part, monadic=monadic, columns=columns, date_format=date_format)
            counted[0] += len(table)
            yield table

    write_csv_parts(parts(), path)
    return counted[0]


# --------------------------------------------------------------------------- full CSV / parquet


def _full_columns(df: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is not None:
        return pd.DataFrame({c: _column(df, c) for c in columns}, index=df.index)
    first = [c for c in ACLED_COLUMNS if c in df.columns]
    rest = [c for c in df.columns if c not in first and c != "geometry"]
    return df[first + rest]


def _write_csv(df, path, *, hxl, columns, date_format):
    table = _full_columns(df, columns)
    rows = [[hxl_tag(c) for c in table.columns]] if hxl else []
    write_table(table, path, format="csv", header_rows=rows, date_format=date_format)
    return len(table)


def hxl_tag(column: str) -> str:
    """The HXL hashtag of a column ('' when the column has none: HXL allows untagged columns)."""
    return HXL_TAGS.get(column, "")


def _write_parquet(df, path, *, columns):
    table = _full_columns(df, columns)
    write_table(table, path, format="parquet")
    return len(table)


# --------------------------------------------------------------------------- spatial formats


def _located(df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    lat = pd.to_numeric(_column(df, "latitude"), errors="coerce")
    lon = pd.to_numeric(_column(df, "longitude"), errors="coerce")
    ok = lat.notna() & lon.notna()
    missing = int((~ok).sum())
    if missing:
        msg = f"{missing} of {len(df)} events have no coordinates and were left out of the {fmt} output"
        log.warning(msg)
        warnings.warn(ExportWarning(msg, missing), stacklevel=3)
    return df.loc[ok]


def to_geodataframe(df: pd.DataFrame, columns: Sequence[str] | None = None, *, what: str = "GeoDataFrame"):
    """Located events as a GeoDataFrame (EPSG:4326 points) with JSON text for dict columns.

    Events without coordinates are left out (ExportWarning with the count)."""
    located = _located(df, what)
    return io_to_geodataframe(_full_columns(located, columns), what=what, coordinates=_points(located))


def _points(located: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (pd.to_numeric(located["longitude"]).to_numpy(dtype=float),
            pd.to_numeric(located["latitude"]).to_numpy(dtype=float))


def _write_geojson(df, path, *, columns):
    """RFC 7946 FeatureCollection: WGS84 lon/lat points, no ``crs`` member, one feature per event."""
    located = _located(df, "GeoJSON")
    table = _full_columns(located, columns)
    write_table(table, path, format="geojson", coordinates=_points(located),
                id_column="event_id_cnty" if "event_id_cnty" in table.columns else None)
    return len(table)


def _write_gpkg(df, path, *, columns, layer="events"):
    gdf = to_geodataframe(df, columns, what="GeoPackage")
    write_table(gdf, path, format="gpkg", layer=layer)
    return len(gdf)


def _write_geoparquet(df, path, *, columns):
    gdf = to_geodataframe(df, columns, what="GeoParquet")
    write_table(gdf, path, format="parquet")
    return len(gdf)


# --------------------------------------------------------------------------- entry point


def format_for(path: str | Path, format: str | None = None) -> str:  # noqa: A002 - the public name
    """The export format: ``format`` when given, else from the file extension."""
    if format:
        fmt = format.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
        return fmt
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        raise InputError(
            f"cannot tell the export format from {str(path)!r}; use one of the extensions "
            f"{', '.join(sorted(EXTENSIONS))} or pass a format ({', '.join(FORMATS)})"
        )
    return EXTENSIONS[ext]


def export_events(
    df: pd.DataFrame,
    path: str | Path,
    format: str | None = None,  # noqa: A002 - the public name
    *,
    hxl: bool = False,
    monadic: bool = False,
    columns: Sequence[str] | None = None,
    date_format: str = "%Y-%m-%d",
) -> Path:
    """Write events to ``path`` in ``format`` ('acled', 'geojson', 'gpkg', 'geoparquet', 'csv',
    'parquet'; default from the extension) and return the path.

    - ``hxl``: (csv only) add the HXL hashtag row under the header, for HDX.
    - ``monadic``: (acled only) one row per actor, like ACLED's monadic export.
    - ``columns``: pick and order columns; names missing from the frame are read from ``extra``.
    - ``date_format``: (acled, csv) strftime format of dates; ACLED's own files use
      '%Y-%m-%d' (current) or '%d %B %Y' (e.g. the 2017-2019 monadic exports).
    Spatial formats (geojson, gpkg, geoparquet) leave out events without coordinates and say
    how many in an ``ExportWarning`` (also logged).
    """
    fmt = format_for(path, format)
    path = Path(path)
    if hxl and fmt != "csv":
        raise InputError(f"the HXL hashtag row exists only for the csv format, not {fmt!r}")
    if monadic and fmt != "acled":
        raise InputError(f"monadic output exists only for the acled format, not {fmt!r}")
    if path.parent and not path.parent.exists():
        raise InputError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist")
    if fmt == "acled":
        n = _write_acled(df, path, monadic=monadic, columns=columns, date_format=date_format)
    elif fmt == "csv":
        n = _write_csv(df, path, hxl=hxl, columns=columns, date_format=date_format)
    elif fmt == "parquet":
        n = _write_parquet(df, path, columns=columns)
    elif fmt == "geojson":
        n = _write_geojson(df, path, columns=columns)
    elif fmt == "gpkg":
        n = _write_gpkg(df, path, columns=columns)
    else:
        n = _write_geoparquet(df, path, columns=columns)
    log.info("wrote %d rows to %s (%s)", n, path, fmt)
    return path


# --------------------------------------------------------------------------- comparison

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%d-%B-%Y", "%d %b %Y", "%Y-%m-%dT%H:%M:%S")


def _parse_dates(s: pd.Series) -> pd.Series:
    """Dates written any of ACLED's ways (2019-12-30, 30 December 2019, 30/12/2019) as datetime64."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.normalize()
    text = s.map(lambda v: None if is_missing(v) else (v.isoformat() if isinstance(v, (dt.date,)) else str(v).strip()))
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = text.notna()
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        out.loc[parsed.index[parsed.notna()]] = parsed[parsed.notna()]
        todo = todo & out.isna()
    return out.dt.normalize()


def _norm_text(s: pd.Series) -> pd.Series:
    return s.map(lambda v: None if is_missing(v) else (format_number(v) if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) else str(v).strip()) or None)


def _numeric(s: pd.Series) -> pd.Series | None:
    """The column as floats when every non-empty value is a number, else None."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64")
    text = _norm_text(s)
    nums = pd.to_numeric(text, errors="coerce")
    if (text.notna() & nums.isna()).any():
        return None
    return nums.astype("float64")


def _keyed(df: pd.DataFrame, key: str) -> pd.DataFrame:
    if key not in df.columns:
        raise InputError(f"compare_acled: key column {key!r} is missing")
    k = _norm_text(df[key]).fillna("")
    n = k.groupby(k).cumcount()
    ids = k.where(n == 0, k + "#" + (n + 1).astype(str))  # monadic files: second row of an id is id#2
    return df.set_index(pd.Index(ids, name="id"))


def compare_acled(a: pd.DataFrame, b: pd.DataFrame, key: str = "event_id_cnty",
                  columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Cell-by-cell differences between two ACLED-style tables, as rows (id, column, left, right).

    Rows are matched on ``key`` (a repeated id, as in monadic files, is matched by order of
    appearance: ``MLI3384`` then ``MLI3384#2``). Values are normalised before comparing: dates
    parsed whatever their format, numbers compared as numbers (``-8`` == ``-8.0`` == -8),
    empty strings, None and NaN equal. A row on one side only gives column '<row>'; a column on
    one side only gives id '*'. An empty result means the tables hold the same values.
    """
    left, right = _keyed(a, key), _keyed(b, key)
    out: list[tuple[str, str, Any, Any]] = []
    only_l = left.index.difference(right.index)
    only_r = right.index.difference(left.index)
    out += [(i, "<row>", "present", "missing") for i in only_l]
    out += [(i, "<row>", "missing", "present") for i in only_r]
    common_ids = left.index.intersection(right.index, sort=False)
    if columns is None:
        cols = [c for c in left.columns if c in right.columns and c != key]
        out += [("*", c, "column present", "column missing") for c in left.columns if c not in right.columns]
        out += [("*", c, "column missing", "column present") for c in right.columns if c not in left.columns]
    else:
        cols = [c for c in columns if c != key]
        for c in cols:
            if c not in left.columns or c not in right.columns:
                out.append(("*", c, "column present" if c in left.columns else "column missing",
                            "column present" if c in right.columns else "column missing"))
        cols = [c for c in cols if c in left.columns and c in right.columns]
    L, R = left.loc[common_ids], right.loc[common_ids]
    for c in cols:
        lc, rc = L[c], R[c]
        if "date" in c and c != "timestamp":
            lv, rv = _parse_dates(lc), _parse_dates(rc)
            same = (lv == rv) | (lv.isna() & rv.isna())
            bad_parse = (lv.isna() & _norm_text(lc).notna()) | (rv.isna() & _norm_text(rc).notna())
            same &= ~bad_parse | (_norm_text(lc) == _norm_text(rc))
        else:
            ln, rn = _numeric(lc), _numeric(rc)
            if ln is not None and rn is not None:
                same = np.isclose(ln.to_numpy(), rn.to_numpy(), rtol=1e-9, atol=1e-9, equal_nan=True)
                same = pd.Series(same, index=L.index)
            else:
                lt, rt = _norm_text(lc), _norm_text(rc)
                same = (lt == rt) | (lt.isna() & rt.isna())
        same = same.fillna(False).astype(bool)
        for i in same.index[~same.to_numpy()]:
            out.append((i, c, json_value(lc.loc[i]), json_value(rc.loc[i])))
    return pd.DataFrame(out, columns=["id", "column", "left", "right"])


__all__ = ["export_events", "compare_acled", "acled_frame", "to_geodataframe", "format_for", "hxl_tag",
           "format_number", "ExportWarning", "FORMATS", "EXTENSIONS", "HXL_TAGS"]
