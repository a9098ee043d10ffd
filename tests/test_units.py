"""Units, periods and the aggregation cube (inputs written here; no ../shared data)."""

import h3
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from sahelwatch.analysis import units as U
from sahelwatch.analysis._checks import AnalysisInputError


def ev(rows):
    base = {
        "event_id_cnty": None,
        "event_type": "Battles",
        "actor1": "A",
        "actor2": None,
        "inter1": 2,
        "inter2": 0,
        "admin1": "Mopti",
        "admin2": "Bandiagara",
        "latitude": 14.35,
        "longitude": -3.6,
        "geo_precision": 1,
        "fatalities": 0,
    }
    out = []
    for i, r in enumerate(rows):
        d = dict(base)
        d.update(r)
        d["event_id_cnty"] = d["event_id_cnty"] or f"E{i}"
        d["event_date"] = pd.Timestamp(d["event_date"])
        out.append(d)
    df = pd.DataFrame(out)
    df["geo_precision"] = df["geo_precision"].astype("Int64")
    return df


def test_priogrid_gid_official_numbering():
    # corners of the world and a hand-computed Bamako cell: row 206, col 345
    assert U.priogrid_gid([-89.75], [-179.75])[0] == 1
    assert U.priogrid_gid([89.75], [179.75])[0] == 259200
    assert U.priogrid_gid([-89.75], [-179.25])[0] == 2
    assert U.priogrid_gid([12.65], [-8.0])[0] == (206 - 1) * 720 + 345
    assert U.priogrid_gid([np.nan], [1.0])[0] == 0


def test_priogrid_geometry_roundtrip():
    lat, lon = np.array([14.35, 12.65, -3.2]), np.array([-3.6, -8.0, 30.1])
    gid = U.priogrid_gid(lat, lon)
    clat, clon = U.priogrid_centroid(gid)
    assert np.all(np.abs(clat - lat) <= 0.25) and np.all(np.abs(clon - lon) <= 0.25)
    polys = U.priogrid_polygons(gid)
    assert all(p.covers(Point(x, y)) for p, x, y in zip(polys, lon, lat))
    assert U.priogrid_gid(clat, clon).tolist() == gid.tolist()


def test_h3_units_match_library():
    cells = U.h3_cells([14.35], [-3.6], 5)
    assert cells[0] == h3.latlng_to_cell(14.35, -3.6, 5)
    assert U.parse_unit("h3-6") == ("h3", 6)
    with pytest.raises(AnalysisInputError):
        U.parse_unit("h3-9")
    g = U.unit_geometries(list(cells), "h3-5")
    assert g.geometry.iloc[0].contains(Point(-3.6, 14.35))


def test_acled_weeks_run_saturday_to_friday():
    s = U.period_start(["2019-03-23", "2019-03-29", "2019-03-30", "2019-03-22"], "week")
    assert [d.date().isoformat() for d in s] == ["2019-03-23", "2019-03-23", "2019-03-30", "2019-03-16"]
    assert (s.dt.day_of_week == 5).all()
    assert U.period_label(U.period_start(["2019-05-17"], "quarter"), "quarter").iloc[0] == "2019-Q2"
    assert U.period_label(U.period_start(["2019-05-17"], "month"), "month").iloc[0] == "2019-05"
    assert U.period_label(U.period_start(["2019-05-17"], "year"), "year").iloc[0] == "2019"
    assert len(U.period_range("2019-01-05", "2019-02-01", "week")) == 4


def test_cube_counts_both_actors_and_excludes_imprecise_from_cells():
    df = ev(
        [
            {
                "event_date": "2019-01-02",
                "actor1": "JNIM",
                "actor2": "Military Forces of Mali",
                "inter2": 1,
                "fatalities": 3,
            },
            {"event_date": "2019-01-20", "actor1": "JNIM", "fatalities": 2},
            {"event_date": "2019-01-21", "actor1": "ISGS", "geo_precision": 3, "fatalities": 5},
            {"event_date": "2019-02-03", "actor1": "ISGS", "latitude": np.nan, "longitude": np.nan},
        ]
    )
    c = U.cube(df, "priogrid", "month", by=("actor",))
    assert c.attrs["excluded"] == 2 and "2 event(s)" in c.attrs["messages"][0]
    jan = c[c.period == "2019-01"].set_index("actor")
    assert jan.loc["JNIM", "events"] == 2 and jan.loc["JNIM", "fatalities"] == 5
    assert jan.loc["Military Forces of Mali", "events"] == 1
    assert "ISGS" not in set(c["actor"])
    a = U.cube(df, "admin1", "month", by=())
    assert a.attrs["excluded"] == 0
    assert (
        a.set_index("period").loc["2019-01", "events"] == 3
        and a.set_index("period").loc["2019-01", "fatalities"] == 10
    )
    assert int(a["events"].sum()) == 4


def test_cube_complete_adds_empty_periods_and_event_type():
    df = ev([{"event_date": "2019-01-02"}, {"event_date": "2019-03-02", "event_type": "Riots"}])
    c = U.cube(df, "admin2", "month", by=(), complete=True)
    assert c["period"].tolist() == ["2019-01", "2019-02", "2019-03"] and c["events"].tolist() == [1, 0, 1]
    t = U.cube(df, "h3-4", "year", by=("event_type",))
    assert set(t["event_type"]) == {"Battles", "Riots"}


def test_cube_bad_input():
    with pytest.raises(AnalysisInputError, match="no events"):
        U.cube(pd.DataFrame(), "priogrid", "month")
    df = ev([{"event_date": "2019-01-02", "latitude": np.nan, "longitude": np.nan}])
    c = U.cube(df, "priogrid", "month", by=())
    assert len(c) == 0 and c.attrs["excluded"] == 1 and c.attrs["messages"]
    assert U.cube(df, "admin1", "month", by=())["events"].tolist() == [1]
    with pytest.raises(AnalysisInputError, match="unknown period"):
        U.cube(df, "admin1", "fortnight")


def test_study_cells_includes_empty_cells_and_padding():
    df = ev(
        [
            {"event_date": "2019-01-02", "latitude": 14.1, "longitude": -3.9},
            {"event_date": "2019-01-02", "latitude": 15.4, "longitude": -2.1},
        ]
    )
    cells = U.study_cells(df, "priogrid", pad=1)
    # rows 14.0-15.5 → 3 rows (+2 pad), cols -4.0..-2.0 → 4 cols (+2 pad)
    assert len(cells) == 5 * 6
    nb = U.neighbours(cells, "priogrid")
    assert max(len(v) for v in nb.values()) == 8 and min(len(v) for v in nb.values()) == 3


def test_registry_group_map_merges_names():
    from sahelwatch.analysis.groups import registry_group_map

    m = registry_group_map()
    a = m("Islamic State (Greater Sahara)")
    b = m("Islamic State (West Africa) - Greater Sahara Faction")
    assert a == b
    assert m(None) is None and m("Some Local Group") == "Some Local Group"


def test_admin_names_only_frame():
    df = pd.DataFrame(
        {
            "event_date": ["2019-01-05", "2019-01-06"],
            "admin1": ["Mopti", "Gao"],
            "admin2": ["Koro", None],
            "fatalities": [2, None],
        }
    )
    c = U.cube(df, "admin2", "week", by=())
    assert (
        c["unit"].tolist() == ["Koro"] and c.attrs["excluded"] == 1 and c["period"].tolist() == ["2019-01-05"]
    )
    cells = U.cube(df, "priogrid", "week", by=())
    assert cells.empty and cells.attrs["excluded"] == 2
