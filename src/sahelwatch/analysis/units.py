"""Spatial units (PRIO-GRID, H3, admin1/admin2), time periods and the aggregation cube.

Spatial units
    ``priogrid``      PRIO-GRID 0.5° cells with the official numbering:
                      ``gid = (row-1)*720 + col``, ``row = floor((lat+90)/0.5)+1``, ``col = floor((lon+180)/0.5)+1``.
    ``h3-4|h3-5|h3-6`` H3 cells (h3 4.x API) at resolution 4, 5 or 6 (mean edge ≈ 23, 8.5 and 3.2 km).
    ``admin1|admin2`` the event's own ``admin1``/``admin2`` names (the gazetteer's names as ACLED codes them).

Events with ``geo_precision`` 3 (only a region is known) or without coordinates cannot be put in a cell:
they are excluded from cell units, counted in ``result.attrs["excluded"]`` with a message in
``result.attrs["messages"]``, and kept for admin units.

Periods
    ``day``, ``week`` (ACLED week: Saturday to Friday, labelled by its Saturday ``YYYY-MM-DD``),
    ``month`` (``YYYY-MM``), ``quarter`` (``YYYY-Qn``), ``year`` (``YYYY``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ._checks import AnalysisInputError, add_message, located_mask, prepare
from .groups import ActorMap, default_actor_map

PRIOGRID_RES = 0.5
PRIOGRID_COLS = 720
CELL_UNITS = ("priogrid", "h3-4", "h3-5", "h3-6")
ADMIN_UNITS = ("admin1", "admin2")
UNITS = CELL_UNITS + ADMIN_UNITS
PERIODS = ("day", "week", "month", "quarter", "year")

#: Albers equal-area conic centred on the Sahel (standard parallels 10°N and 20°N, central meridian 0°):
#: equal-area, and distance distortion under ~1.5% between 5°N and 25°N across West Africa.
SAHEL_ALBERS = "+proj=aea +lat_0=15 +lon_0=0 +lat_1=10 +lat_2=20 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


# --------------------------------------------------------------------------------------------- units
def parse_unit(unit: str) -> tuple[str, int | None]:
    """``"h3-5"`` → ``("h3", 5)``; ``"priogrid"`` → ``("priogrid", None)``; admin units likewise."""
    u = (unit or "").strip().lower().replace("_", "-")
    if u in ("priogrid", "prio-grid", "pg"):
        return "priogrid", None
    if u in ADMIN_UNITS:
        return u, None
    if u.startswith("h3"):
        rest = u[2:].lstrip("-")
        if rest.isdigit() and 4 <= int(rest) <= 6:
            return "h3", int(rest)
    raise AnalysisInputError(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")


def is_cell_unit(unit: str) -> bool:
    """Whether ``unit`` is a grid of cells (priogrid, h3-N) rather than admin areas."""
    return parse_unit(unit)[0] in ("priogrid", "h3")


def priogrid_gid(lat, lon) -> np.ndarray:
    """PRIO-GRID gid for arrays of latitude/longitude (0 where a coordinate is missing or out of range)."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    # a point on the north pole / antimeridian belongs to the last row / column
    row = np.clip(np.floor((np.where(ok, lat, 0) + 90) / PRIOGRID_RES) + 1, 1, 360)
    col = np.clip(np.floor((np.where(ok, lon, 0) + 180) / PRIOGRID_RES) + 1, 1, 720)
    gid = (row - 1) * PRIOGRID_COLS + col
    return np.where(ok, gid, 0).astype("int64")


def priogrid_row_col(gid) -> tuple[np.ndarray, np.ndarray]:
    gid = np.asarray(gid, dtype="int64")
    return (gid - 1) // PRIOGRID_COLS + 1, (gid - 1) % PRIOGRID_COLS + 1


def priogrid_centroid(gid) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of the centres of PRIO-GRID cells."""
    row, col = priogrid_row_col(gid)
    return -90 + (row - 0.5) * PRIOGRID_RES, -180 + (col - 0.5) * PRIOGRID_RES


def priogrid_polygons(gids) -> list:
    from shapely import box

    row, col = priogrid_row_col(gids)
    minx = -180 + (col - 1) * PRIOGRID_RES
    miny = -90 + (row - 1) * PRIOGRID_RES
    return list(box(minx, miny, minx + PRIOGRID_RES, miny + PRIOGRID_RES))


def h3_cells(lat, lon, res: int) -> np.ndarray:
    """H3 cell ids (strings) for arrays of lat/lon; ``None`` where a coordinate is missing."""
    import h3

    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    out = np.empty(len(lat), dtype=object)
    for i, (a, b) in enumerate(zip(lat, lon)):
        out[i] = h3.latlng_to_cell(a, b, res) if np.isfinite(a) and np.isfinite(b) else None
    return out


def h3_polygons(cells) -> list:
    import h3
    from shapely.geometry import Polygon

    return [Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in cells]


def h3_centroid(cells) -> tuple[np.ndarray, np.ndarray]:
    import h3

    pts = np.array([h3.cell_to_latlng(c) for c in cells], dtype="float64").reshape(-1, 2)
    return pts[:, 0], pts[:, 1]


def unit_centroids(units: Sequence, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of cell centres for a cell unit."""
    kind, _ = parse_unit(unit)
    if kind == "priogrid":
        return priogrid_centroid(np.asarray(units, dtype="int64"))
    if kind == "h3":
        return h3_centroid(list(units))
    raise AnalysisInputError(f"unit {unit!r} has no cell centroids (admin units come from names)")


def unit_geometries(units: Sequence, unit: str):
    """GeoDataFrame (EPSG:4326) of cell polygons with ``unit``, ``lat``, ``lon`` columns."""
    import geopandas as gpd

    kind, _ = parse_unit(unit)
    units = list(units)
    if kind == "priogrid":
        geoms = priogrid_polygons(np.asarray(units, dtype="int64"))
    elif kind == "h3":
        geoms = h3_polygons(units)
    else:
        raise AnalysisInputError(
            f"unit {unit!r} has no geometry here: admin polygons come from the gazetteer"
        )
    lat, lon = unit_centroids(units, unit) if units else (np.array([]), np.array([]))
    return gpd.GeoDataFrame({"unit": units, "lat": lat, "lon": lon}, geometry=geoms, crs="EPSG:4326")


def assign_units(events: pd.DataFrame, unit: str) -> pd.Series:
    """The unit of each event (index aligned); missing (``<NA>``/``None``) where it cannot be placed.

    Cell units leave out events without coordinates or with geo_precision 3; admin units leave out
    events whose admin name is empty.
    """
    kind, res = parse_unit(unit)
    if kind in ADMIN_UNITS:
        col = events[kind] if kind in events.columns else pd.Series(pd.NA, index=events.index)
        s = col.astype("string").str.strip()
        return s.where(s.notna() & (s != ""), pd.NA)
    ok = located_mask(events)
    if kind == "priogrid":
        gid = priogrid_gid(events["latitude"].to_numpy(), events["longitude"].to_numpy())
        return pd.Series(pd.array(np.where(ok, gid, 0), dtype="Int64"), index=events.index).replace(0, pd.NA)
    cells = h3_cells(events["latitude"].to_numpy(), events["longitude"].to_numpy(), res)
    cells = np.where(ok.to_numpy(), cells, None)
    return pd.Series(cells, index=events.index, dtype="object")


def neighbours(units: Sequence, unit: str) -> dict:
    """Queen-contiguity neighbours of cells (8 around a PRIO-GRID cell, the ring of 6 around an H3 cell)."""
    kind, _ = parse_unit(unit)
    units = list(units)
    present = set(units)
    out: dict = {}
    if kind == "priogrid":
        for g in units:
            r, c = (g - 1) // PRIOGRID_COLS + 1, (g - 1) % PRIOGRID_COLS + 1
            nb = []
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if dr == 0 and dc == 0:
                        continue
                    rr, cc = r + dr, (c + dc - 1) % PRIOGRID_COLS + 1
                    if 1 <= rr <= 360:
                        n = (rr - 1) * PRIOGRID_COLS + cc
                        if n in present:
                            nb.append(n)
            out[g] = nb
    elif kind == "h3":
        import h3

        for c in units:
            out[c] = [n for n in h3.grid_ring(c, 1) if n in present]
    else:
        raise AnalysisInputError(f"queen contiguity needs a cell unit, not {unit!r}")
    return out


def study_cells(
    events: pd.DataFrame, unit: str, *, pad: int = 1, extent: tuple[float, float, float, float] | None = None
) -> list:
    """The regular grid of the study area, zero cells included.

    Extent rule: the bounding box of the located events (or ``extent`` = min_lon, min_lat, max_lon,
    max_lat when given), enlarged by ``pad`` cells on each side; every cell of that box is kept,
    with or without events, so that Gi* compares against the quiet cells too.
    """
    kind, res = parse_unit(unit)
    if extent is None:
        ok = located_mask(events)
        if not ok.any():
            raise AnalysisInputError("no event with usable coordinates: cannot draw a study grid")
        lat = events.loc[ok, "latitude"]
        lon = events.loc[ok, "longitude"]
        extent = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    minx, miny, maxx, maxy = extent
    if kind == "priogrid":
        r0 = int(np.floor((miny + 90) / PRIOGRID_RES)) + 1 - pad
        r1 = int(np.floor((maxy + 90) / PRIOGRID_RES)) + 1 + pad
        c0 = int(np.floor((minx + 180) / PRIOGRID_RES)) + 1 - pad
        c1 = int(np.floor((maxx + 180) / PRIOGRID_RES)) + 1 + pad
        rows = np.arange(max(r0, 1), min(r1, 360) + 1)
        cols = np.arange(max(c0, 1), min(c1, 720) + 1)
        rr, cc = np.meshgrid(rows, cols, indexing="ij")
        return sorted(((rr - 1) * PRIOGRID_COLS + cc).ravel().tolist())
    if kind == "h3":
        import h3

        # pad by about `pad` cell widths (H3 edge lengths in degrees, roughly)
        edge_deg = {4: 0.2, 5: 0.08, 6: 0.03}[res] * 2 * pad
        poly = h3.LatLngPoly(
            [
                (miny - edge_deg, minx - edge_deg),
                (miny - edge_deg, maxx + edge_deg),
                (maxy + edge_deg, maxx + edge_deg),
                (maxy + edge_deg, minx - edge_deg),
            ]
        )
        cells = set(h3.h3shape_to_cells(poly, res))
        # cells of the events themselves (a tiny box may hold no cell centre)
        ok = located_mask(events)
        if ok.any():
            cells.update(
                c for c in h3_cells(events.loc[ok, "latitude"], events.loc[ok, "longitude"], res) if c
            )
        return sorted(cells)
    raise AnalysisInputError(f"a study grid needs a cell unit (priogrid, h3-4..6), not {unit!r}")


# ------------------------------------------------------------------------------------------- periods
def period_start(dates, period: str) -> pd.Series:
    """First day of the period holding each date (ACLED weeks start on Saturday)."""
    p = (period or "").lower()
    d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    if p == "day":
        return d
    if p == "week":
        # Monday=0 ... Saturday=5: days since the last Saturday
        return d - pd.to_timedelta((d.dt.day_of_week - 5) % 7, unit="D")
    if p == "month":
        return d.dt.to_period("M").dt.start_time
    if p == "quarter":
        return d.dt.to_period("Q").dt.start_time
    if p == "year":
        return d.dt.to_period("Y").dt.start_time
    raise AnalysisInputError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def period_label(starts, period: str) -> pd.Series:
    s = pd.to_datetime(pd.Series(starts))
    p = period.lower()
    if p in ("day", "week"):
        return s.dt.strftime("%Y-%m-%d")
    if p == "month":
        return s.dt.strftime("%Y-%m")
    if p == "quarter":
        return s.dt.year.astype(str) + "-Q" + s.dt.quarter.astype(str)
    if p == "year":
        return s.dt.year.astype(str)
    raise AnalysisInputError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def period_range(first, last, period: str) -> pd.DatetimeIndex:
    """All period starts from the period of ``first`` to the period of ``last`` (empty periods included)."""
    a = period_start([first], period).iloc[0]
    b = period_start([last], period).iloc[0]
    freq = {"day": "D", "week": "7D", "month": "MS", "quarter": "QS", "year": "YS"}[period.lower()]
    return pd.date_range(a, b, freq=freq)


def acled_week(date) -> pd.Timestamp:
    """The Saturday starting the ACLED week that holds ``date``."""
    return period_start([pd.Timestamp(date)], "week").iloc[0]


# -------------------------------------------------------------------------------------------- actors
def actor_long(
    events: pd.DataFrame, actor_map: ActorMap | None = None, *, include_assoc: bool = False
) -> pd.DataFrame:
    """One row per (event, distinct actor): columns ``_row`` (position in ``events``), ``actor``, ``inter``.

    Both sides of the event count (actor1 and actor2); ``include_assoc`` adds the associated actors
    (``assoc_actor_1/2``, ``;``-separated) with their side's inter code. The same canonical actor is
    counted once per event.
    """
    amap = actor_map or default_actor_map
    parts = []
    n = len(events)
    pos = np.arange(n)
    sides = [("actor1", "inter1"), ("actor2", "inter2")]
    for col, icol in sides:
        if col not in events.columns:
            continue
        inter = events[icol] if icol in events.columns else pd.Series(0, index=events.index)
        parts.append(
            pd.DataFrame(
                {
                    "_row": pos,
                    "raw": events[col].to_numpy(dtype=object),
                    "inter": pd.to_numeric(inter, errors="coerce").fillna(0).astype(int).to_numpy(),
                }
            )
        )
    if include_assoc:
        for col, icol in (("assoc_actor_1", "inter1"), ("assoc_actor_2", "inter2")):
            if col not in events.columns:
                continue
            inter = (
                pd.to_numeric(events[icol], errors="coerce").fillna(0).astype(int)
                if icol in events.columns
                else pd.Series(0, index=events.index)
            )
            s = events[col].astype("string").str.split(";")
            tmp = pd.DataFrame({"_row": pos, "raw": s.to_numpy(dtype=object), "inter": inter.to_numpy()})
            tmp = tmp.explode("raw")
            parts.append(tmp)
    if not parts:
        return pd.DataFrame(
            {
                "_row": pd.Series(dtype="int64"),
                "actor": pd.Series(dtype="object"),
                "inter": pd.Series(dtype="int64"),
            }
        )
    long = pd.concat(parts, ignore_index=True)
    mapped = {}
    for raw in pd.unique(long["raw"].astype(object)):
        mapped[raw] = amap(raw) if default_actor_map(raw) else None
    long["actor"] = long["raw"].map(mapped)
    long = long[long["actor"].notna()].drop(columns="raw")
    long = long.drop_duplicates(["_row", "actor"]).reset_index(drop=True)
    long["_row"] = long["_row"].astype("int64")
    return long


# ---------------------------------------------------------------------------------------------- cube
def cube(
    events: pd.DataFrame,
    unit: str = "priogrid",
    period: str = "month",
    by: Iterable[str] = ("event_type", "actor"),
    *,
    actor_map: ActorMap | None = None,
    complete: bool = False,
) -> pd.DataFrame:
    """Events and fatalities per unit × period × ``by`` (any event column, plus ``"actor"``).

    ``"actor"`` counts an event once for each of its distinct (mapped) actors, so summing over actors
    counts two-sided events twice; sum over ``unit``/``period`` only for totals. ``complete=True``
    (only without ``by``) adds the empty unit × period combinations with 0 events.

    Columns: ``unit``, ``period`` (label), ``period_start``, the ``by`` columns, ``events``, ``fatalities``.
    ``attrs``: ``unit``, ``period``, ``excluded`` (events that could not be placed), ``messages``.
    """
    df = prepare(events, "cube")
    by = list(by or ())
    kind, _ = parse_unit(unit)
    df["unit"] = assign_units(df, unit)
    placed = df["unit"].notna()
    excluded = int((~placed).sum())
    df = df[placed].copy()
    df["period_start"] = period_start(df["event_date"], period).to_numpy()
    df["_row"] = np.arange(len(df))
    if "actor" in by:
        long = actor_long(df, actor_map)
        df = df.merge(long[["_row", "actor"]], on="_row", how="inner")
    for col in by:
        if col != "actor" and col not in df.columns:
            raise AnalysisInputError(f"cube: no column {col!r} to break down by")
    keys = ["unit", "period_start", *by]
    if len(df):
        out = (
            df.groupby(keys, dropna=False, observed=True)
            .agg(events=("_row", "size"), fatalities=("fatalities", "sum"))
            .reset_index()
        )
    else:
        out = pd.DataFrame({k: pd.Series(dtype="object") for k in keys})
        out["events"] = pd.Series(dtype="int64")
        out["fatalities"] = pd.Series(dtype="int64")
    if complete and not by and len(out):
        periods = period_range(out["period_start"].min(), out["period_start"].max(), period)
        idx = pd.MultiIndex.from_product([pd.unique(out["unit"]), periods], names=["unit", "period_start"])
        out = out.set_index(["unit", "period_start"]).reindex(idx, fill_value=0).reset_index()
    out["period"] = (
        period_label(out["period_start"], period).to_numpy() if len(out) else pd.Series(dtype="object")
    )
    out = out[["unit", "period", "period_start", *by, "events", "fatalities"]]
    out[["events", "fatalities"]] = out[["events", "fatalities"]].astype("int64")
    out = out.sort_values(["period_start", "unit", *by], kind="stable").reset_index(drop=True)
    out.attrs.update({"unit": unit, "period": period, "excluded": excluded})
    if excluded:
        why = (
            "no coordinates or geo_precision 3 (only a region known)"
            if kind not in ADMIN_UNITS
            else f"no {kind} name"
        )
        add_message(out, f"{excluded} event(s) left out of unit {unit}: {why}.")
    return out
