"""Road networks: GeoJSON / GeoPackage / Shapefile / OpenStreetMap files → a routable graph.

    from sahelwatch.analysis.roads import read_roads
    net = read_roads(["roads.geojson"], snap_m=50)        # one or several files, any CRS
    print(net.report.summary())                          # what was skipped, assumed, disconnected
    net.segments                                          # GeoDataFrame, projected CRS, one row per segment
    net.graph                                             # networkx.MultiGraph, edge key = seg_id

Method (docs/access.md has the long version):

* every input file is read with pyogrio; features without geometry, empty or non-line geometries,
  non-finite coordinates and degenerate lines (fewer than two distinct points) are skipped and
  counted per reason in :class:`RoadReport`; MultiLineStrings are split into their parts;
* each file is reprojected on its own to one metric CRS (``crs="auto"``: the UTM zone of the data
  when it spans at most 6° of longitude, else a Lambert conformal conic fitted to its latitudes),
  so files in different CRS combine; a file without CRS is an error unless ``assume_crs`` is given,
  and an assumption is written in the report;
* lines are split at vertices they share with other lines (OSM ways cross at shared nodes), then
  segment end points closer than ``snap_m`` metres are merged into one graph node (union of
  pairs, so chains of close points merge too);
* ``length_m`` is the geodesic length on the WGS84 ellipsoid (exact, whatever the projection);
  the projected geometry is used for snapping, buffers and nearest-segment searches;
* the connected components are reported (segments and km per component): a network in pieces
  gives partial answers (towns in different pieces have no route), never silent ones.

OpenStreetMap: GDAL's OSM driver (in pyogrio's wheels) reads ``.osm`` and ``.osm.pbf``; the
``lines`` layer is read and filtered on the ``highway`` tag (``highways=`` argument; default the
classes a humanitarian convoy uses: motorway … tertiary, their links, unclassified and track is
left out). ``ref`` is taken from ``other_tags``. For a whole-country extract, cut it first
(``osmium extract`` / ``ogr2ogr -spat``) or pass ``bbox=``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

#: OSM highway classes kept by default (roads a truck convoy can use).
DEFAULT_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
)
#: Field names tried, in order, for the road reference (RN01, N1, D7 …), its name and its class.
REF_FIELDS = ("ref", "REF", "ROAD_NAME", "road_ref", "Code", "CODE", "route_ref", "ROUTE")
NAME_FIELDS = ("name", "NAME", "LINK_NAME", "Name", "road_name", "Route", "ROUTE_NAME", "nom", "NOM")
CLASS_FIELDS = ("highway", "class", "CLASS", "Classe", "fclass", "RD_TYPE", "type", "TYPE")
FROM_FIELDS = ("START_NODE", "Origine", "from", "FROM", "start")
TO_FIELDS = ("END_NODE", "Fin", "to", "TO", "end")

_OSM_SUFFIXES = (".osm", ".pbf")
_REF_TAG = re.compile(r'"ref"=>"((?:[^"\\]|\\.)*)"')


@dataclass
class RoadReport:
    """What happened while reading: nothing is dropped or assumed without being counted here."""

    files: list[str] = field(default_factory=list)
    crs: str = ""
    source_crs: dict[str, str | None] = field(default_factory=dict)
    assumed_crs: dict[str, str] = field(default_factory=dict)
    features: int = 0
    filtered_out: int = 0  # OSM features outside the highway classes asked for
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    multipart_split: int = 0  # extra segments created from MultiLineStrings
    vertex_split: int = 0  # extra segments created by splitting at shared vertices
    t_junction_split: int = 0  # extra segments created where a loose end touches a line's interior
    segments: int = 0
    nodes: int = 0
    snapped_endpoints: int = 0  # end points moved (merged) by snapping
    snap_m: float = 0.0
    components: list[int] = field(default_factory=list)  # segments per component, largest first
    component_km: list[float] = field(default_factory=list)
    total_km: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def n_skipped(self) -> int:
        return int(sum(self.skipped.values()))

    @property
    def connected(self) -> bool:
        return len(self.components) <= 1

    @property
    def partial(self) -> bool:
        """True when the graph is not the whole input as given: features skipped, pieces, CRS assumed."""
        return bool(self.n_skipped or not self.connected or self.assumed_crs)

    def summary(self) -> str:
        lines = [
            f"{self.segments} road segments ({self.total_km:,.0f} km) from {self.features} features in "
            f"{len(self.files)} file(s); {self.nodes} nodes; CRS {self.crs}; end points snapped within "
            f"{self.snap_m:g} m ({self.snapped_endpoints} merged)"
        ]
        if self.multipart_split or self.vertex_split or self.t_junction_split:
            lines.append(
                f"split: {self.multipart_split} extra parts from multi-lines, "
                f"{self.vertex_split} at shared vertices, {self.t_junction_split} at T junctions"
            )
        if self.filtered_out:
            lines.append(f"{self.filtered_out} features outside the highway classes asked for were left out")
        if self.skipped:
            lines.append("skipped: " + ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())))
        for f, c in self.assumed_crs.items():
            lines.append(f"ASSUMED CRS {c} for {f} (the file declares none)")
        if not self.connected:
            pieces = ", ".join(
                f"{n} seg/{km:,.0f} km" for n, km in zip(self.components[:6], self.component_km[:6])
            )
            more = f" and {len(self.components) - 6} more" if len(self.components) > 6 else ""
            lines.append(
                f"DISCONNECTED: {len(self.components)} pieces ({pieces}{more}); places in different "
                "pieces have no route between them"
            )
        lines.extend(self.warnings)
        if self.partial:
            lines.append("result is PARTIAL: see above")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["partial"] = self.partial
        return d


@dataclass
class RoadNetwork:
    """Road segments (projected GeoDataFrame) and the routable graph built from them."""

    segments: "object"  # geopandas.GeoDataFrame indexed 0..n-1 with seg_id == index
    nodes: "object"  # geopandas.GeoDataFrame of nodes (node id == index), with component
    crs: "object"  # pyproj.CRS of the geometries
    report: RoadReport
    _graph: object = None

    @property
    def graph(self):
        """networkx.MultiGraph: nodes with x, y, component; edges keyed by seg_id with ref, name, cls, length_m."""
        if self._graph is None:
            import networkx as nx

            g = nx.MultiGraph()
            for n, x, y, c in zip(
                self.nodes.index, self.nodes.geometry.x, self.nodes.geometry.y, self.nodes["component"]
            ):
                g.add_node(int(n), x=float(x), y=float(y), component=int(c))
            s = self.segments
            for sid, u, v, ref, name, cls, L in zip(
                s["seg_id"], s["u"], s["v"], s["ref"], s["name"], s["cls"], s["length_m"]
            ):
                g.add_edge(
                    int(u),
                    int(v),
                    key=int(sid),
                    seg_id=int(sid),
                    ref=ref,
                    name=name,
                    cls=cls,
                    length_m=float(L),
                )
            self._graph = g
        return self._graph

    def simple_graph(self):
        """networkx.Graph keeping the shortest of parallel segments (for nx.shortest_path & co)."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(self.graph.nodes(data=True))
        for u, v, d in self.graph.edges(data=True):
            if u == v:
                continue
            if not g.has_edge(u, v) or g[u][v]["length_m"] > d["length_m"]:
                g.add_edge(u, v, **d)
        return g

    def segments_wgs84(self):
        return self.segments.to_crs("EPSG:4326")

    def __len__(self) -> int:
        return len(self.segments)


# --------------------------------------------------------------------------------------- reading


def auto_crs(lon_min: float, lat_min: float, lon_max: float, lat_max: float):
    """A metric CRS for data in this lon/lat box: its UTM zone when narrow, else a fitted LCC."""
    from pyproj import CRS

    lon_c = (lon_min + lon_max) / 2
    lat_c = (lat_min + lat_max) / 2
    if lon_max - lon_min <= 6.0:
        zone = int(math.floor((lon_c + 180) / 6)) + 1
        return CRS.from_epsg((32600 if lat_c >= 0 else 32700) + zone)
    span = max(lat_max - lat_min, 1.0)
    lat1, lat2 = lat_min + span / 6, lat_max - span / 6
    return CRS.from_proj4(
        f"+proj=lcc +lat_0={lat_c:.4f} +lon_0={lon_c:.4f} +lat_1={lat1:.4f} +lat_2={lat2:.4f} "
        "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


def _first_field(columns: Sequence[str], wanted: str | None, candidates: Sequence[str]) -> str | None:
    if wanted:
        if wanted not in columns:
            raise InputError(f"field {wanted!r} is not in the road file (fields: {', '.join(columns)})")
        return wanted
    for c in candidates:
        if c in columns:
            return c
    return None


def _clean_str(values) -> np.ndarray:
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        else:
            s = str(v).strip()
            out.append(s or None)
    return np.array(out, dtype=object)


def _read_one(path: Path, layer, highways, bbox, assume_crs, fields, report: RoadReport):
    """One file → (GeoDataFrame in EPSG:4326 with ref/name/cls/from_name/to_name/source/feature, geometry)."""
    import geopandas as gpd
    import pyogrio

    if not path.exists():
        raise InputError(f"{path}: no such road file")
    is_osm = path.suffix.lower() in _OSM_SUFFIXES or path.name.lower().endswith(".osm.pbf")
    if is_osm and layer is None:
        layer = "lines"
    try:
        df = pyogrio.read_dataframe(path, layer=layer, bbox=bbox)
    except Exception as exc:  # unreadable, wrong layer, not a vector file
        raise InputError(f"{path}: cannot read as a road file ({exc})") from exc
    report.files.append(str(path))
    report.features += len(df)
    src_crs = df.crs
    report.source_crs[str(path)] = src_crs.to_string() if src_crs is not None else None
    if src_crs is None:
        if assume_crs is None:
            xy = df.geometry.bounds if len(df) else None
            looks = (
                xy is not None and len(xy) and np.nanmin(xy.values) >= -180 and np.nanmax(xy.values) <= 180
            )
            hint = (
                " Its coordinates look like longitude/latitude: pass assume_crs='EPSG:4326' "
                "(--assume-crs EPSG:4326) if that is what they are."
                if looks
                else " Pass assume_crs= (--assume-crs) with the CRS the coordinates are in."
            )
            raise InputError(
                f"{path}: the file declares no coordinate reference system (a Shapefile without .prj?).{hint}"
            )
        df = df.set_crs(assume_crs, allow_override=True)
        report.assumed_crs[str(path)] = str(assume_crs)
    cols = [c for c in df.columns if c != df.geometry.name]
    if is_osm:
        hw = df["highway"] if "highway" in df.columns else pd.Series([None] * len(df), index=df.index)
        keep = hw.isin(list(highways)) if highways else hw.notna()
        report.filtered_out += int((~keep).sum())
        df = df[keep.values]
        ref = (
            df["other_tags"].map(
                lambda t: _REF_TAG.search(t).group(1) if isinstance(t, str) and _REF_TAG.search(t) else None
            )
            if "other_tags" in df.columns
            else pd.Series([None] * len(df), index=df.index)
        )
        out = gpd.GeoDataFrame(
            {
                "ref": _clean_str(ref),
                "name": _clean_str(df.get("name", [None] * len(df))),
                "cls": _clean_str(df["highway"]) if len(df) else np.array([], dtype=object),
                "from_name": None,
                "to_name": None,
                "feature": _clean_str(df["osm_id"])
                if "osm_id" in df.columns
                else np.arange(len(df)).astype(str),
            },
            geometry=df.geometry.values,
            crs=df.crs,
        )
    else:
        f_ref = _first_field(cols, fields.get("ref"), REF_FIELDS)
        f_name = _first_field(cols, fields.get("name"), NAME_FIELDS)
        f_cls = _first_field(cols, fields.get("cls"), CLASS_FIELDS)
        f_from = _first_field(cols, None, FROM_FIELDS)
        f_to = _first_field(cols, None, TO_FIELDS)
        n = len(df)

        def col(f):
            return _clean_str(df[f].values) if f else np.array([None] * n, dtype=object)

        out = gpd.GeoDataFrame(
            {
                "ref": col(f_ref),
                "name": col(f_name),
                "cls": col(f_cls),
                "from_name": col(f_from),
                "to_name": col(f_to),
                "feature": np.arange(n).astype(str),
            },
            geometry=df.geometry.values,
            crs=df.crs,
        )
    out["source"] = path.name
    return out


def _explode_lines(gdf, report: RoadReport):
    """Keep usable lines only (counted by reason) and split multi-lines into their parts."""
    import geopandas as gpd
    import shapely

    geoms = gdf.geometry.values
    reasons = np.full(len(gdf), "", dtype=object)
    missing = pd.isna(np.asarray(geoms, dtype=object)) if len(gdf) else np.array([], bool)
    reasons[missing] = "features without geometry"
    arr = np.asarray(geoms, dtype=object)
    ok = ~missing
    gt = np.full(len(gdf), -1)
    if ok.any():
        gt[ok] = shapely.get_type_id(arr[ok])
    empty = ok & shapely.is_empty(np.where(ok, arr, None))
    reasons[empty] = "empty geometries"
    notline = ok & ~empty & ~np.isin(gt, [1, 2, 5])  # LineString, LinearRing, MultiLineString
    reasons[notline] = "non-line geometries"
    keep = ok & ~empty & ~notline
    for why in ("features without geometry", "empty geometries", "non-line geometries"):
        n = int((reasons == why).sum())
        if n:
            report.skipped[why] = report.skipped.get(why, 0) + n
    g = gdf[keep].copy()
    if len(g) == 0:
        return g
    parts, idx = shapely.get_parts(g.geometry.values, return_index=True)
    report.multipart_split += int(len(parts) - len(g))
    g = g.iloc[idx].copy()
    g = gpd.GeoDataFrame(g.drop(columns=g.geometry.name), geometry=np.asarray(parts), crs=gdf.crs)
    # non-finite coordinates, fewer than two distinct points
    coords, cidx = shapely.get_coordinates(g.geometry.values, return_index=True)
    finite = np.isfinite(coords).all(axis=1)
    bad = np.zeros(len(g), bool)
    np.logical_or.at(bad, cidx[~finite], True)
    n_bad = int(bad.sum())
    if n_bad:
        report.skipped["parts with non-finite coordinates"] = (
            report.skipped.get("parts with non-finite coordinates", 0) + n_bad
        )
    g = g[~bad]
    npts = shapely.get_num_points(g.geometry.values)
    distinct = (
        np.array(
            [
                len(np.unique(shapely.get_coordinates(x), axis=0)) >= 2 if n >= 2 else False
                for x, n in zip(g.geometry.values, npts)
            ]
        )
        if len(g)
        else np.array([], bool)
    )
    n_deg = int((~distinct).sum())
    if n_deg:
        report.skipped["degenerate lines (fewer than 2 distinct points)"] = (
            report.skipped.get("degenerate lines (fewer than 2 distinct points)", 0) + n_deg
        )
    return g[distinct]


def _split_shared_vertices(g, report: RoadReport, grid: float = 0.01):
    """Split lines at interior vertices shared with another line (OSM junctions)."""
    import geopandas as gpd
    import shapely

    if len(g) < 2:
        return g
    geoms = g.geometry.values
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    key = np.round(coords / grid).astype(np.int64)
    # each vertex key: how many distinct lines touch it
    kdf = pd.DataFrame({"kx": key[:, 0], "ky": key[:, 1], "line": idx})
    per_key = kdf.drop_duplicates().groupby(["kx", "ky"]).size().rename("n").reset_index()
    n_at = kdf.merge(per_key, on=["kx", "ky"], how="left")["n"].values
    # position of each vertex within its line
    starts = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
    counts = np.diff(np.r_[starts, len(idx)])
    pos = np.arange(len(idx)) - np.repeat(starts, counts)
    last = np.repeat(counts - 1, counts)
    cut = (n_at >= 2) & (pos > 0) & (pos < last)
    if not cut.any():
        return g
    lines_to_cut = np.unique(idx[cut])
    new_geoms, new_rows = [], []
    keep_mask = np.ones(len(g), bool)
    for li in lines_to_cut:
        sel = idx == li
        c = coords[sel]
        cuts = np.flatnonzero(cut[sel])
        bounds = [0, *cuts.tolist(), len(c) - 1]
        for a, b in zip(bounds[:-1], bounds[1:]):
            piece = c[a : b + 1]
            if b > a and (piece != piece[0]).any():  # no zero-length piece from repeated vertices
                new_geoms.append(shapely.linestrings(piece))
                new_rows.append(li)
        keep_mask[li] = False
    report.vertex_split += len(new_geoms) - len(lines_to_cut)
    kept = g[keep_mask]
    added = g.iloc[new_rows].copy()
    added = gpd.GeoDataFrame(added.drop(columns=added.geometry.name), geometry=new_geoms, crs=g.crs)
    return pd.concat([kept, added], ignore_index=True)


def _split_t_junctions(g, snap_m: float, report: RoadReport):
    """Split a line where another line's loose end touches its interior (within ``snap_m``).

    A road that ends on the middle of another (a T junction digitised without a vertex there)
    would otherwise stay unconnected. Only loose ends (no other end point within ``snap_m``) are used.
    """
    import geopandas as gpd
    import shapely
    from shapely.ops import substring
    from scipy.spatial import cKDTree

    n = len(g)
    if n < 2 or snap_m <= 0:
        return g
    geoms = g.geometry.values
    ends = np.vstack(
        [
            shapely.get_coordinates(shapely.get_point(geoms, 0)),
            shapely.get_coordinates(shapely.get_point(geoms, -1)),
        ]
    )
    owner = np.r_[np.arange(n), np.arange(n)]
    near = cKDTree(ends).query_ball_point(ends, snap_m, return_length=True)
    lonely = np.flatnonzero(near == 1)
    if not len(lonely):
        return g
    pts = shapely.points(ends[lonely])
    pi, li = shapely.STRtree(geoms).query(pts, predicate="dwithin", distance=snap_m)
    keep = li != owner[lonely][pi]
    cuts: dict[int, list[float]] = {}
    for p_, l_ in zip(pi[keep], li[keep]):
        line = geoms[l_]
        d = float(shapely.line_locate_point(line, pts[p_]))
        if snap_m < d < line.length - snap_m:
            cuts.setdefault(int(l_), []).append(d)
    if not cuts:
        return g
    new_geoms, new_rows = [], []
    for l_, ds in cuts.items():
        bounds = [0.0, *sorted(set(ds)), geoms[l_].length]
        for a, b in zip(bounds[:-1], bounds[1:]):
            if b - a > 1e-6:
                new_geoms.append(substring(geoms[l_], a, b))
                new_rows.append(l_)
    report.t_junction_split += len(new_geoms) - len(cuts)
    mask = np.ones(n, bool)
    mask[list(cuts)] = False
    added = g.iloc[new_rows].copy()
    added = gpd.GeoDataFrame(added.drop(columns=added.geometry.name), geometry=new_geoms, crs=g.crs)
    return pd.concat([g[mask], added], ignore_index=True)


def _geodesic_lengths(geoms_wgs84) -> np.ndarray:
    from pyproj import Geod
    import shapely

    geod = Geod(ellps="WGS84")
    coords, idx = shapely.get_coordinates(geoms_wgs84, return_index=True)
    if len(coords) == 0:
        return np.zeros(len(geoms_wgs84))
    same = idx[1:] == idx[:-1]
    _, _, d = geod.inv(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])
    out = np.zeros(len(geoms_wgs84))
    np.add.at(out, idx[1:][same], d)
    return out


def read_roads(
    paths: str | Path | Iterable[str | Path],
    *,
    snap_m: float = 50.0,
    crs="auto",
    assume_crs: str | None = None,
    layer: str | None = None,
    highways: Sequence[str] | None = DEFAULT_HIGHWAYS,
    bbox: tuple[float, float, float, float] | None = None,
    ref_field: str | None = None,
    name_field: str | None = None,
    class_field: str | None = None,
    split_shared_vertices: bool = True,
) -> RoadNetwork:
    """Read road files into a :class:`RoadNetwork` (segments + graph + report).

    ``paths``: one path or several (GeoJSON, GeoPackage, Shapefile, .osm/.osm.pbf; any CRS each).
    ``snap_m``: end points closer than this (metres) become one node. ``crs``: "auto" or any CRS
    pyproj understands for the geometries (must be metric). ``assume_crs``: CRS for files that
    declare none (recorded in ``report.assumed_crs``); without it such a file is an error.
    ``highways``: OSM highway classes kept (None = all). ``bbox``: read only this lon/lat box
    (in the file's CRS). ``*_field``: override the attribute used as ref/name/class.
    Raises :class:`InputError` when no usable line remains.
    """
    import geopandas as gpd
    import shapely
    from pyproj import CRS
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no road file given")
    if snap_m < 0:
        raise InputError(f"snap_m must be >= 0 (got {snap_m})")
    report = RoadReport(snap_m=float(snap_m))
    fields = {"ref": ref_field, "name": name_field, "cls": class_field}
    frames = []
    for p in paths:
        raw = _read_one(p, layer, highways, bbox, assume_crs, fields, report)
        lines = _explode_lines(raw, report)
        if len(lines):
            frames.append(lines.to_crs("EPSG:4326"))
        else:
            report.warnings.append(f"{p}: no usable road line")
    if not frames:
        raise InputError(
            "no usable road line in "
            + ", ".join(map(str, paths))
            + (f" ({report.n_skipped} features skipped: {report.skipped})" if report.skipped else "")
        )
    lines = pd.concat(frames, ignore_index=True)
    lines = gpd.GeoDataFrame(lines, geometry="geometry", crs="EPSG:4326")
    b = lines.total_bounds
    if not (np.isfinite(b).all() and b[0] >= -180.5 and b[2] <= 180.5 and b[1] >= -90.5 and b[3] <= 90.5):
        raise InputError(
            f"road coordinates fall outside longitude/latitude after reprojection ({b}); "
            "is the declared or assumed CRS right?"
        )
    target = auto_crs(*b) if (crs is None or str(crs).lower() == "auto") else CRS.from_user_input(crs)
    if not target.is_projected:
        raise InputError(f"crs {target.to_string()} is not projected; give a metric CRS or 'auto'")
    if target.to_epsg():
        report.crs = f"EPSG:{target.to_epsg()}"
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report.crs = target.to_proj4()
    proj = lines.to_crs(target)
    if split_shared_vertices:
        proj = _split_shared_vertices(proj, report)
    proj = _split_t_junctions(proj.reset_index(drop=True), float(snap_m), report).reset_index(drop=True)
    geoms = proj.geometry.values
    # length: geodesic on WGS84 from the (possibly split) projected parts brought back to lon/lat
    wgs = gpd.GeoSeries(geoms, crs=target).to_crs("EPSG:4326").values
    length_m = _geodesic_lengths(wgs)
    zero = length_m <= 0
    if zero.any():
        report.skipped["zero-length lines"] = report.skipped.get("zero-length lines", 0) + int(zero.sum())
        proj = proj[~zero].reset_index(drop=True)
        geoms = proj.geometry.values
        length_m = length_m[~zero]
    n = len(proj)
    ends = np.vstack(
        [
            shapely.get_coordinates(shapely.get_point(geoms, 0)),
            shapely.get_coordinates(shapely.get_point(geoms, -1)),
        ]
    )
    # snap end points: union of pairs closer than snap_m (exact duplicates always merge)
    pairs = cKDTree(ends).query_pairs(max(float(snap_m), 1e-6), output_type="ndarray")
    m = len(ends)
    rows = np.r_[pairs[:, 0], np.arange(m)]
    cols = np.r_[pairs[:, 1], np.arange(m)]
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(m, m))
    ncl, label = connected_components(A, directed=False)
    node_xy = np.zeros((ncl, 2))
    np.add.at(node_xy, label, ends)
    cnt = np.bincount(label, minlength=ncl)
    node_xy /= cnt[:, None]
    moved = np.hypot(*(ends - node_xy[label]).T) > 1e-6
    report.snapped_endpoints = int(moved.sum())
    u, v = label[:n], label[n:]
    # components over segments
    E = coo_matrix((np.ones(n), (u, v)), shape=(ncl, ncl))
    ncomp, comp = connected_components(E, directed=False)
    seg_comp = comp[u]
    seg_counts = np.bincount(seg_comp, minlength=ncomp)
    comp_km = np.bincount(seg_comp, weights=length_m, minlength=ncomp) / 1000
    order = np.argsort(-comp_km, kind="stable")
    # renumber components: 0 = largest by km; drop node-only components (cannot happen: nodes come from segments)
    rank = np.empty(ncomp, int)
    rank[order] = np.arange(ncomp)
    report.components = [int(seg_counts[i]) for i in order if seg_counts[i] > 0]
    report.component_km = [float(comp_km[i]) for i in order if seg_counts[i] > 0]
    report.segments = n
    report.nodes = int(ncl)
    report.total_km = float(length_m.sum() / 1000)
    segs = gpd.GeoDataFrame(
        {
            "seg_id": np.arange(n),
            "u": u,
            "v": v,
            "ref": proj["ref"].values,
            "name": proj["name"].values,
            "cls": proj["cls"].values,
            "length_m": length_m,
            "from_name": proj["from_name"].values,
            "to_name": proj["to_name"].values,
            "component": rank[seg_comp],
            "source": proj["source"].values,
            "feature": proj["feature"].values,
        },
        geometry=geoms,
        crs=target,
    )
    nodes = gpd.GeoDataFrame(
        {"node": np.arange(ncl), "component": rank[comp], "degree": np.bincount(np.r_[u, v], minlength=ncl)},
        geometry=shapely.points(node_xy),
        crs=target,
    )
    if not report.connected:
        small = sum(report.components[1:])
        report.warnings.append(
            f"{small} segment(s) lie outside the largest piece; try a larger snap_m "
            f"(now {snap_m:g} m) if pieces should touch"
        )
    return RoadNetwork(segments=segs, nodes=nodes, crs=target, report=report)


__all__ = ["read_roads", "RoadNetwork", "RoadReport", "auto_crs", "DEFAULT_HIGHWAYS"]
