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
import json
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .io import format_column, format_number
from .io import is_missing as _is_missing
from .model import ACLED_COLUMNS

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("acled", "geojson", "gpkg", "geoparquet", "csv", "parquet", "shp", "xlsx")

#: Formats that can be written to standard output (``-o -``): text ones.
STDOUT_FORMATS = ("acled", "csv", "geojson")
#: Formats that hold points only: events without coordinates are left out (and counted).
SPATIAL_FORMATS = ("geojson", "gpkg", "geoparquet", "shp")

#: File extension -> format (``.csv`` is the full CSV; ask for ``acled`` explicitly for ACLED CSV).
EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "geoparquet",
    ".gpq": "geoparquet",
    ".shp": "shp",
    ".xlsx": "xlsx",
}

#: Columns of ACLED's monadic export: one actor per row, so no actor2 side.
MONADIC_DROP = ("actor2", "assoc_actor_2", "inter2")

#: HXL hashtags, following the conventions of HDX's own ACLED datasets (``#event+code``, ``#date+occurred``,
#: ``#group+name+first``, ``#adm1+name``/``#adm1+code``…) and HXL 1.1. Only real dates carry ``#date``
#: (libhxl's validator checks every ``#date`` value as a date: precision codes and epoch timestamps are not).
HXL_TAGS: dict[str, str] = {
    "event_id_cnty": "#event+code",
    "event_id_no_cnty": "#event+num",
    "event_date": "#date+occurred",
    "year": "#date+year",
    "time_precision": "#meta+precision+time",
    "disorder_type": "#event+type+disorder",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first",
    "assoc_actor_1": "#group+name+first+assoc",
    "inter1": "#group+code+first",
    "actor2": "#group+name+second",
    "assoc_actor_2": "#group+name+second+assoc",
    "inter2": "#group+code+second",
    "interaction": "#group+code+interaction",
    "civilian_targeting": "#event+civilian_targeting",
    "iso": "#country+code+num",
    "region": "#region+name",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin1_pcode": "#adm1+code",
    "admin2": "#adm2+name",
    "admin2_pcode": "#adm2+code",
    "admin3": "#adm3+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "geo_precision": "#meta+precision+geo",
    "source": "#meta+source",
    "source_scale": "#meta+source+scale",
    "notes": "#description",
    "fatalities": "#affected+killed",
    "wounded": "#affected+injured",
    "tags": "#meta+tags",
    "timestamp": "#meta+timestamp",
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
_XL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportWarning(UserWarning):
    """Something was left out of an export; ``count`` says how many events."""

    def __init__(self, message: str, count: int = 0):
        super().__init__(message)
        self.count = count


# --------------------------------------------------------------------------- formatting


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
    need = set(columns) | (
        {"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2"} if monadic else set()
    )
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


#: Rows formatted at a time: text cells cost ~60 bytes each, so big exports are written in slices.
CHUNK_ROWS = 50_000


def _slices(df: pd.DataFrame) -> Iterable[pd.DataFrame]:
    if len(df) == 0:
        yield df
    for start in range(0, len(df), CHUNK_ROWS):
        yield df.iloc[start : start + CHUNK_ROWS]


def _write_acled(df, path, *, monadic, columns, date_format):
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i, part in enumerate(_slices(df)):
            table = acled_frame(part, monadic=monadic, columns=columns, date_format=date_format)
            table.to_csv(fh, index=False, header=i == 0, lineterminator="\n")
            n += len(table)
    return n


# --------------------------------------------------------------------------- full CSV / parquet


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding dicts/lists (extra, sources...) become JSON text."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            sample = out[c].dropna().head(50)
            if any(isinstance(v, (dict, list, tuple)) for v in sample):
                out[c] = out[c].map(
                    lambda v: None if _is_missing(v) else json.dumps(v, ensure_ascii=False, default=str)
                )
            elif any(isinstance(v, (dt.date, dt.datetime)) for v in sample):
                out[c] = pd.to_datetime(out[c])
    return out


def _full_columns(df: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is not None:
        return pd.DataFrame({c: _column(df, c) for c in columns}, index=df.index)
    first = [c for c in ACLED_COLUMNS if c in df.columns]
    rest = [c for c in df.columns if c not in first and c != "geometry"]
    return df[first + rest]


def _write_csv(df, path, *, hxl, columns, date_format):
    table = _full_columns(df, columns)
    names = list(table.columns)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        pd.DataFrame(columns=names).to_csv(fh, index=False, lineterminator="\n")
        if hxl:
            tags = pd.DataFrame([[hxl_tag(c) for c in names]], columns=names)
            tags.to_csv(fh, index=False, header=False, lineterminator="\n")
        for part in _slices(table):
            cells = pd.DataFrame({c: format_column(part[c], date_format) for c in names}, index=part.index)
            cells.to_csv(fh, index=False, header=False, lineterminator="\n")
    return len(table)


def hxl_tag(column: str) -> str:
    """The HXL hashtag of a column ('' when the column has none: HXL allows untagged columns)."""
    return HXL_TAGS.get(column, "")


def _write_parquet(df, path, *, columns):
    table = _plain(_full_columns(df, columns))
    table.reset_index(drop=True).to_parquet(path, index=False)
    return len(table)


# --------------------------------------------------------------------------- spatial formats


def _located(df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    lat = pd.to_numeric(_column(df, "latitude"), errors="coerce")
    lon = pd.to_numeric(_column(df, "longitude"), errors="coerce")
    ok = lat.notna() & lon.notna()
    missing = int((~ok).sum())
    if missing:
        msg = f"{missing} of {len(df)} events have no coordinates and were left out of the {fmt} output"
        log.info(msg)
        warnings.warn(ExportWarning(msg, missing), stacklevel=3)
    return df.loc[ok]


def to_geodataframe(df: pd.DataFrame, columns: Sequence[str] | None = None, *, what: str = "GeoDataFrame"):
    """Located events as a GeoDataFrame (EPSG:4326 points) with JSON text for dict columns.

    Events without coordinates are left out (ExportWarning with the count)."""
    import geopandas as gpd

    located = _located(df, what)
    table = _plain(_full_columns(located, columns))
    geom = gpd.points_from_xy(
        pd.to_numeric(located["longitude"]), pd.to_numeric(located["latitude"]), crs="EPSG:4326"
    )
    return gpd.GeoDataFrame(table.reset_index(drop=True), geometry=geom, crs="EPSG:4326")


def _json_value(v: Any) -> Any:
    if _is_missing(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return int(f) if f.is_integer() and abs(f) < 1e15 else f
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _json_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Columns as JSON-ready Python objects: dates as YYYY-MM-DD, NaN/NaT/NA/'' as None."""
    out = {}
    for c in table.columns:
        s = table[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            v = s.dt.strftime("%Y-%m-%d").astype(object)
        elif (
            pd.api.types.is_float_dtype(s.dtype)
            or pd.api.types.is_integer_dtype(s.dtype)
            or pd.api.types.is_bool_dtype(s.dtype)
        ):
            v = s.astype(object)
        elif pd.api.types.is_string_dtype(s.dtype) and pd.api.types.infer_dtype(s, skipna=True) in (
            "string",
            "empty",
        ):
            v = s.astype(object).where(s.notna() & (s.astype(object) != ""), None)
        else:  # map on object values: a str-dtype map would turn None back into NaN
            v = s.astype(object).map(_json_value)
        v = v.astype(object)
        out[c] = v.where(v.notna(), None)
    return pd.DataFrame(out, index=table.index, dtype=object)


def _write_geojson(df, path, *, columns):
    """RFC 7946 FeatureCollection: WGS84 lon/lat points, no ``crs`` member, one feature per event."""
    located = _located(df, "GeoJSON")
    table = _full_columns(located, columns)
    names = list(table.columns)
    ids = (
        [_json_value(v) for v in table["event_id_cnty"]]
        if "event_id_cnty" in names
        else list(range(len(table)))
    )
    lon = pd.to_numeric(located["longitude"]).to_numpy(dtype=float).tolist()
    lat = pd.to_numeric(located["latitude"]).to_numpy(dtype=float).tolist()
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for part in _slices(table):
            ready = _json_ready(part)
            for values in zip(*(ready[c].tolist() for c in names)):
                props = dict(zip(names, values))
                feature = {
                    "type": "Feature",
                    "id": ids[n],
                    "geometry": {"type": "Point", "coordinates": [lon[n], lat[n]]},
                    "properties": props,
                }
                fh.write((",\n" if n else "") + dumps(feature))
                n += 1
        fh.write("\n]}\n")
    return n


def _json_default(v: Any) -> Any:
    out = _json_value(v)
    if out is v:
        return str(v)
    return out


def _gdal_typed(gdf):
    """Fields as QGIS users expect them: calendar dates as DATE (not DateTime), counts and codes as
    integers even with gaps (nullable Int64 → Integer64 fields with NULLs, not reals)."""
    import pyarrow as pa

    out = gdf.copy()
    for c in out.columns:
        if c == out.geometry.name:
            continue
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            if ((s.dropna() - s.dropna().dt.normalize()) == pd.Timedelta(0)).all():
                out[c] = pd.array(
                    [None if pd.isna(v) else v.date() for v in s], dtype=pd.ArrowDtype(pa.date32())
                )
        elif isinstance(s.dtype, pd.Int64Dtype):
            out[c] = pd.array(s.to_numpy(dtype=object, na_value=None), dtype=pd.ArrowDtype(pa.int64()))
    return out


def _write_gdal(df, path, *, columns, driver, what, layer="events"):
    gdf = _gdal_typed(to_geodataframe(df, columns, what=what))
    path = Path(path)
    if path.exists():
        path.unlink()  # a fresh file: no stale layers from an earlier export
    gdf.to_file(path, layer=layer, driver=driver, engine="pyogrio", use_arrow=True)
    return len(gdf)


def _write_gpkg(df, path, *, columns, layer="events"):
    return _write_gdal(df, path, columns=columns, driver="GPKG", what="GeoPackage", layer=layer)


#: Shapefile (DBF) field names have at most 10 characters: ACLED's columns get these names (docs/formats.md).
SHAPEFILE_NAMES: dict[str, str] = {
    "event_id_cnty": "event_id",
    "event_date": "event_date",
    "year": "year",
    "time_precision": "time_prec",
    "disorder_type": "disorder",
    "event_type": "event_type",
    "sub_event_type": "sub_type",
    "actor1": "actor1",
    "assoc_actor_1": "assoc1",
    "inter1": "inter1",
    "actor2": "actor2",
    "assoc_actor_2": "assoc2",
    "inter2": "inter2",
    "interaction": "interact",
    "civilian_targeting": "civ_target",
    "iso": "iso",
    "region": "region",
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "admin3": "admin3",
    "location": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": "geo_prec",
    "source": "source",
    "source_scale": "src_scale",
    "notes": "notes",
    "fatalities": "fatalities",
    "tags": "tags",
    "timestamp": "timestamp",
    "admin1_pcode": "adm1_pcode",
    "admin2_pcode": "adm2_pcode",
    "dataset": "dataset",
}


def _write_shp(df, path, *, columns):
    """ESRI Shapefile: ACLED's columns (and p-codes) under 10-character names, dates as Date fields.
    DBF text fields hold 254 characters: longer notes are cut (GeoPackage keeps them whole)."""
    cols = (
        list(columns)
        if columns is not None
        else [c for c in SHAPEFILE_NAMES if c in df.columns or c in ACLED_COLUMNS]
    )
    gdf = _gdal_typed(to_geodataframe(df, cols, what="Shapefile"))
    long_text = 0
    for c in gdf.columns:
        if c != gdf.geometry.name and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c].dtype)):
            lens = gdf[c].map(lambda v: len(v) if isinstance(v, str) else 0)
            long_text = max(long_text, int((lens > 254).sum()))
            gdf[c] = gdf[c].map(lambda v: v[:254] if isinstance(v, str) else v)
    gdf = gdf.rename(
        columns={c: SHAPEFILE_NAMES.get(c, c[:10]) for c in gdf.columns if c != gdf.geometry.name}
    )
    path = Path(path)
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        path.with_suffix(ext).unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio", use_arrow=True, encoding="UTF-8")
    if long_text:
        msg = (
            f"{long_text} events have text longer than the 254 characters a Shapefile field holds; cut there"
        )
        log.info(msg)
        warnings.warn(ExportWarning(msg, long_text), stacklevel=3)
    return len(gdf)


def _write_xlsx(df, path, *, columns, date_format):
    """An Excel workbook (openpyxl): one sheet "events", dates as Excel dates, numbers as numbers."""
    table = _plain(_full_columns(df, columns))
    for c in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[c].dtype):
            table[c] = table[c].dt.tz_localize(None) if getattr(table[c].dt, "tz", None) else table[c]
        elif table[c].dtype == object or pd.api.types.is_string_dtype(
            table[c].dtype
        ):  # no control characters
            table[c] = table[c].map(lambda v: _XL_ILLEGAL.sub("", v)[:32767] if isinstance(v, str) else v)
    if len(table) > 1_048_575:
        raise InputError(
            f"{len(table)} events do not fit in one Excel sheet (1,048,575 rows); filter or use CSV"
        )
    with pd.ExcelWriter(
        path, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD"
    ) as xw:
        table.to_excel(xw, sheet_name="events", index=False)
    return len(table)


def _write_geoparquet(df, path, *, columns):
    gdf = to_geodataframe(df, columns, what="GeoParquet")
    gdf.to_parquet(path, index=False)
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


@dataclass
class ExportResult:
    """What an export wrote: ``rows`` written (features, for spatial formats) and the events left out
    because they have no coordinates."""

    path: Path | None
    format: str
    rows: int
    events: int
    without_coordinates: int = 0
    stdout: bool = False

    def summary(self) -> str:
        where = "standard output" if self.stdout else str(self.path)
        if self.format in SPATIAL_FORMATS:
            text = f"wrote {self.rows} features (points) to {where} ({self.format})"
            if self.without_coordinates:
                text += (
                    f"; {self.without_coordinates} of the {self.events} events have no coordinates and are "
                    "not in this file (CSV, Parquet or XLSX keep them)"
                )
            return text
        unit = "rows" if self.rows != self.events else "events"
        extra = f" for {self.events} events (one per actor)" if self.rows != self.events else ""
        return f"wrote {self.rows} {unit}{extra} to {where} ({self.format})"


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
    'parquet', 'shp', 'xlsx'; default from the extension) and return the path (see ``write_events``
    for what was written).

    - ``hxl``: (csv only) add the HXL hashtag row under the header, for HDX.
    - ``monadic``: (acled only) one row per actor, like ACLED's monadic export.
    - ``columns``: pick and order columns; names missing from the frame are read from ``extra``.
    - ``date_format``: (acled, csv) strftime format of dates; ACLED's own files use
      '%Y-%m-%d' (current) or '%d %B %Y' (e.g. the 2017-2019 monadic exports).
    Spatial formats (geojson, gpkg, geoparquet, shp) leave out events without coordinates and say
    how many in an ``ExportWarning`` (also logged).
    """
    return write_events(
        df, path, format, hxl=hxl, monadic=monadic, columns=columns, date_format=date_format
    ).path


def write_events(
    df: pd.DataFrame,
    path: str | Path,
    format: str | None = None,
    *,  # noqa: A002
    hxl: bool = False,
    monadic: bool = False,
    columns: Sequence[str] | None = None,
    date_format: str = "%Y-%m-%d",
) -> ExportResult:
    """``export_events`` returning an ``ExportResult``. ``path`` ``"-"`` writes a text format
    (acled, csv, geojson; csv by default) to standard output."""
    to_stdout = str(path) == "-"
    fmt = format_for(path, format) if not (to_stdout and not format) else "csv"
    if to_stdout and fmt not in STDOUT_FORMATS:
        raise InputError(f"{fmt} cannot be written to standard output; give a file name (-o events.{fmt})")
    path = Path(path)
    if hxl and fmt != "csv":
        raise InputError(f"the HXL hashtag row exists only for the csv format, not {fmt!r}")
    if monadic and fmt != "acled":
        raise InputError(f"monadic output exists only for the acled format, not {fmt!r}")
    if not to_stdout and path.parent and not path.parent.exists():
        raise InputError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist")
    if not to_stdout and path.is_dir():
        raise InputError(f"cannot write {str(path)!r}: it is a folder; give a file name")
    target = path
    if to_stdout:
        import tempfile

        tmp = tempfile.NamedTemporaryFile(prefix="sahelwatch-", suffix=f".{fmt}", delete=False)
        tmp.close()
        target = Path(tmp.name)
    try:
        n = _write(df, target, fmt, hxl=hxl, monadic=monadic, columns=columns, date_format=date_format)
        if to_stdout:
            import shutil
            import sys

            sys.stdout.flush()
            with open(target, "rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    finally:
        if to_stdout:
            target.unlink(missing_ok=True)
    missing = 0
    if fmt in SPATIAL_FORMATS:
        lat = pd.to_numeric(_column(df, "latitude"), errors="coerce")
        lon = pd.to_numeric(_column(df, "longitude"), errors="coerce")
        missing = int((lat.isna() | lon.isna()).sum())
    log.info("wrote %d rows to %s (%s)", n, "stdout" if to_stdout else path, fmt)
    return ExportResult(None if to_stdout else path, fmt, n, len(df), missing, to_stdout)


def _write(df, path, fmt, *, hxl, monadic, columns, date_format) -> int:
    if fmt == "acled":
        return _write_acled(df, path, monadic=monadic, columns=columns, date_format=date_format)
    if fmt == "csv":
        return _write_csv(df, path, hxl=hxl, columns=columns, date_format=date_format)
    if fmt == "parquet":
        return _write_parquet(df, path, columns=columns)
    if fmt == "geojson":
        return _write_geojson(df, path, columns=columns)
    if fmt == "gpkg":
        return _write_gpkg(df, path, columns=columns)
    if fmt == "shp":
        return _write_shp(df, path, columns=columns)
    if fmt == "xlsx":
        return _write_xlsx(df, path, columns=columns, date_format=date_format)
    return _write_geoparquet(df, path, columns=columns)


# --------------------------------------------------------------------------- comparison

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%d-%B-%Y", "%d %b %Y", "%Y-%m-%dT%H:%M:%S")


def _parse_dates(s: pd.Series) -> pd.Series:
    """Dates written any of ACLED's ways (2019-12-30, 30 December 2019, 30/12/2019) as datetime64."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.normalize()
    text = s.map(
        lambda v: None if _is_missing(v) else (v.isoformat() if isinstance(v, (dt.date,)) else str(v).strip())
    )
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
    return s.map(
        lambda v: (
            None
            if _is_missing(v)
            else (
                format_number(v)
                if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                else str(v).strip()
            )
            or None
        )
    )


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


def compare_acled(
    a: pd.DataFrame, b: pd.DataFrame, key: str = "event_id_cnty", columns: Iterable[str] | None = None
) -> pd.DataFrame:
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
                out.append(
                    (
                        "*",
                        c,
                        "column present" if c in left.columns else "column missing",
                        "column present" if c in right.columns else "column missing",
                    )
                )
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
            out.append((i, c, _json_value(lc.loc[i]), _json_value(rc.loc[i])))
    return pd.DataFrame(out, columns=["id", "column", "left", "right"])


__all__ = [
    "export_events",
    "write_events",
    "ExportResult",
    "compare_acled",
    "acled_frame",
    "to_geodataframe",
    "format_for",
    "hxl_tag",
    "format_number",
    "ExportWarning",
    "FORMATS",
    "EXTENSIONS",
    "HXL_TAGS",
]
