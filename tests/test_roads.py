"""Road network import (issue 5 §1) on networks the tests build themselves."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiLineString, Point

from sahelwatch.analysis.roads import auto_crs, read_roads
from sahelwatch.errors import InputError

UTM = "EPSG:32630"
X0, Y0 = 500_000.0, 1_400_000.0  # about 12.66 N, 3 W


def _line(*pts):
    return LineString([(X0 + x * 1000, Y0 + y * 1000) for x, y in pts])  # km offsets → metres


def _write(tmp_path, fname, geoms, crs=UTM, **cols):
    g = gpd.GeoDataFrame(
        {
            "ref": cols.get("ref", [f"R{i}" for i in range(len(geoms))]),
            **{k: v for k, v in cols.items() if k != "ref"},
        },
        geometry=list(geoms),
        crs=crs,
    )
    p = tmp_path / fname
    g.to_file(p)
    return p


def test_lengths_ids_and_connectivity(tmp_path):
    p = _write(
        tmp_path,
        "r.gpkg",
        [_line((0, 0), (20, 0)), _line((20, 0), (40, 0)), _line((20, 0), (20, 15))],
        name=["a", "b", "c"],
        highway=["primary", "primary", "secondary"],
    )
    net = read_roads(p)
    s = net.segments
    assert list(s["ref"]) == ["R0", "R1", "R2"]
    assert list(s["name"]) == ["a", "b", "c"]
    assert list(s["cls"]) == ["primary", "primary", "secondary"]
    # geodesic length: 20 km in UTM is 20 km within the zone's scale error (< 0.1 %)
    assert s["length_m"].iloc[0] == pytest.approx(20_000, rel=1e-3)
    assert s["length_m"].iloc[2] == pytest.approx(15_000, rel=1e-3)
    assert net.report.nodes == 4 and net.report.connected and not net.report.partial
    g = net.graph
    assert g.number_of_edges() == 3 and g.number_of_nodes() == 4
    assert {d["seg_id"] for _, _, d in g.edges(data=True)} == {0, 1, 2}
    assert net.crs.to_epsg() == 32630  # narrow data: its UTM zone


def test_snap_tolerance_joins_close_ends(tmp_path):
    # end points 30 m apart: joined at 50 m, not at 10 m
    p = _write(tmp_path, "r.gpkg", [_line((0, 0), (10, 0)), _line((10.03, 0), (20, 0))])
    assert read_roads(p, snap_m=50).report.connected
    rep = read_roads(p, snap_m=10).report
    assert not rep.connected and rep.components == [1, 1] and rep.partial
    assert "DISCONNECTED" in rep.summary()


def test_multilinestring_split_and_t_junction(tmp_path):
    mls = MultiLineString([_line((0, 0), (10, 0)), _line((10, 0), (10, 10))])
    # a road ending 20 m off the middle of another (no vertex there): split and joined
    t = _line((5, 0.02), (5, -8))
    net = read_roads(_write(tmp_path, "r.gpkg", [mls, t]))
    assert net.report.multipart_split == 1
    assert net.report.t_junction_split == 1
    assert net.report.connected
    assert len(net.segments) == 4
    assert net.segments["length_m"].sum() == pytest.approx(28_000, rel=2e-3)


def test_broken_geometries_are_skipped_and_counted(tmp_path):
    geoms = [
        _line((0, 0), (10, 0)),
        None,
        LineString(),
        Point(X0, Y0),
        LineString([(X0, Y0), (X0, Y0)]),
        _line((10, 0), (20, 0)),
    ]
    p = tmp_path / "broken.geojson"
    gpd.GeoDataFrame({"ref": list("abcdef")}, geometry=geoms, crs=UTM).to_crs(4326).to_file(p)
    net = read_roads(p)
    rep = net.report
    assert len(net.segments) == 2 and rep.features == 6
    assert rep.n_skipped == 4
    assert rep.skipped["non-line geometries"] == 1
    assert rep.skipped["degenerate lines (fewer than 2 distinct points)"] == 1
    assert rep.skipped.get("features without geometry", 0) + rep.skipped.get("empty geometries", 0) == 2
    assert rep.partial and "skipped" in rep.summary()


def test_mixed_crs_files_combine(tmp_path):
    a = _write(tmp_path, "a.gpkg", [_line((0, 0), (10, 0))], crs=UTM)
    b = tmp_path / "b.geojson"
    gpd.GeoDataFrame({"ref": ["B"]}, geometry=[_line((10, 0), (10, 12))], crs=UTM).to_crs(4326).to_file(b)
    c = tmp_path / "c.gpkg"
    gpd.GeoDataFrame({"ref": ["C"]}, geometry=[_line((10, 12), (0, 12))], crs=UTM).to_crs(3857).to_file(c)
    net = read_roads([a, b, c])
    rep = net.report
    assert set(rep.source_crs.values()) == {"EPSG:32630", "EPSG:4326", "EPSG:3857"}
    assert rep.connected and rep.nodes == 4
    assert net.segments["length_m"].tolist() == pytest.approx([10_000, 12_000, 10_000], rel=1e-3)


def test_missing_crs_is_an_error_or_a_flagged_assumption(tmp_path):
    p = tmp_path / "noprj.shp"
    gpd.GeoDataFrame({"ref": ["A"]}, geometry=[LineString([(-1.5, 12.3), (-1.4, 12.3)])], crs=4326).to_file(p)
    p.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match="no coordinate reference system.*assume_crs"):
        read_roads(p)
    net = read_roads(p, assume_crs="EPSG:4326")
    assert net.report.assumed_crs == {str(p): "EPSG:4326"}
    assert net.report.partial and "ASSUMED CRS" in net.report.summary()
    assert net.segments["length_m"].iloc[0] == pytest.approx(10_870, rel=0.01)  # 0.1° at 12.3 N


def test_nothing_usable_is_an_error(tmp_path):
    p = tmp_path / "pts.geojson"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326).to_file(p)
    with pytest.raises(InputError, match="no usable road line"):
        read_roads(p)
    with pytest.raises(InputError, match="no such road file"):
        read_roads(tmp_path / "missing.geojson")


OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="sahelwatch-test">
 <node id="1" lat="12.30" lon="-1.60" version="1"/>
 <node id="2" lat="12.30" lon="-1.50" version="1"/>
 <node id="3" lat="12.30" lon="-1.40" version="1"/>
 <node id="4" lat="12.40" lon="-1.50" version="1"/>
 <node id="5" lat="12.20" lon="-1.50" version="1"/>
 <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
   <tag k="highway" v="primary"/><tag k="ref" v="RN04"/><tag k="name" v="Route de Fada"/></way>
 <way id="11" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="secondary"/></way>
 <way id="12" version="1"><nd ref="4"/><nd ref="3"/><tag k="highway" v="footway"/></way>
</osm>
"""


def test_openstreetmap_ways_split_at_shared_nodes(tmp_path):
    p = tmp_path / "tiny.osm"
    p.write_text(OSM)
    net = read_roads(p)
    rep = net.report
    assert rep.filtered_out == 1  # the footway
    assert rep.vertex_split == 2  # both ways cut at their shared node 2
    assert len(net.segments) == 4 and rep.nodes == 5 and rep.connected
    assert set(net.segments["ref"].dropna()) == {"RN04"}
    assert set(net.segments["cls"]) == {"primary", "secondary"}
    assert net.graph.degree[int(net.segments.loc[0, "v"])] == 4


def test_auto_crs_wide_extent_is_conic():
    c = auto_crs(-17, 10, 16, 24)
    assert c.is_projected and "Lambert Conic Conformal" in c.coordinate_operation.method_name
    assert auto_crs(-5, 10, 0, 15).to_epsg() == 32630
