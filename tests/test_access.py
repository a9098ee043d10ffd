"""Humanitarian access (issue 5 §2-5) on a network the tests build.

The network (km, around 12.66 N, 3 W, UTM 30N):

        N(0,10) ──s1 10km── NE(20,10)
        │s2? no: s1 is N–NE; s6 C–N 10 km; s2 NE–T 10 km
        C(0,0) ──s0 20 km── T(20,0) ──s4 20 km── U(40,0)
        │s5 20 km
        V(0,-20)

C is the capital. T reaches C directly (s0, 20 km) or round the loop C–N–NE–T (40 km).
U hangs on T (dead end); V hangs on C.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from sahelwatch.analysis import access as ac
from sahelwatch.analysis.roads import read_roads
from sahelwatch.errors import InputError

UTM = "EPSG:32630"
X0, Y0 = 500_000.0, 1_400_000.0


def _xy(x, y):
    return X0 + x * 1000, Y0 + y * 1000


def _lonlat(x, y):
    p = gpd.GeoSeries(gpd.points_from_xy([_xy(x, y)[0]], [_xy(x, y)[1]]), crs=UTM).to_crs(4326)
    return float(p.y[0]), float(p.x[0])


SEGS = {  # seg id: (from, to, ref)
    0: ((0, 0), (20, 0), "RN1"),
    1: ((0, 10), (20, 10), "RN9"),
    2: ((20, 10), (20, 0), "RN9"),
    3: ((0, 0), (0, 10), "RN9"),
    4: ((20, 0), (40, 0), "RN1"),
    5: ((0, 0), (0, -20), "RN2"),
}


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    p = tmp_path_factory.mktemp("roads") / "grid.gpkg"
    g = gpd.GeoDataFrame(
        {"ref": [v[2] for v in SEGS.values()], "name": [f"s{k}" for k in SEGS]},
        geometry=[LineString([_xy(*a), _xy(*b)]) for a, b, _ in SEGS.values()],
        crs=UTM,
    )
    g.to_file(p)
    return read_roads(p)


def _towns(**extra):
    rows = [
        ("C", 0, 0, 100_000, True),
        ("T", 20, 0, 20_000, False),
        ("U", 40, 0, 15_000, False),
        ("V", 0, -20, 12_000, False),
    ]
    out = []
    for name, x, y, pop, cap in rows:
        lat, lon = _lonlat(x, y)
        out.append(
            {"name": name, "lat": lat, "lon": lon, "population": pop, "capital": cap, "admin1": "Centre"}
        )
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def model(net):
    return ac.AccessModel(net, _towns(), k=1)


def _seg(net, name):
    return int(net.segments.loc[net.segments["name"] == name, "seg_id"].iat[0])


def test_base_routes(model, net):
    r = model.routes.set_index(["town", "dest"])
    assert r.loc[("T", "C"), "kind"] == "capital" and r.loc[("T", "C"), "weight"] == 2
    assert r.loc[("T", "C"), "base_m"] == pytest.approx(20_000, rel=2e-3)
    assert set(r.loc[("T", "C"), "segments"]) == {_seg(net, "s0")}
    assert r.loc[("U", "C"), "base_m"] == pytest.approx(40_000, rel=2e-3)
    assert ("T", "U") in r.index and ("U", "T") in r.index and ("V", "C") in r.index
    assert model.towns["attach_km"].max() < 0.01


def test_known_detour_and_isolation(model, net):
    s0, s4, s1 = _seg(net, "s0"), _seg(net, "s4"), _seg(net, "s1")
    # s0 hit: T → C goes round the loop, 40 km instead of 20: detour 2,
    # disruption 0.25 + 0.75 * (2 - 1)/(3 - 1) = 0.625; T → U untouched; index (2*0.625 + 0)/3
    iso = model.isolation({s0}).set_index("town")
    rs = model.route_status({s0}).set_index(["town", "dest"])
    assert rs.loc[("T", "C"), "detour"] == pytest.approx(2.0, rel=2e-3)
    assert rs.loc[("T", "C"), "disruption"] == pytest.approx(0.625, abs=1e-3)
    assert rs.loc[("T", "U"), "hit"] == False  # noqa: E712
    assert iso.loc["T", "isolation_index"] == pytest.approx(2 * 0.625 / 3, abs=1e-3)
    assert iso.loc["T", "level"] == "disrupted"
    assert iso.loc["T", "share_routes_hit"] == pytest.approx(0.5)
    assert iso.loc["T", "capital_detour"] == pytest.approx(2.0, rel=2e-3)
    # U → C via s0 also detours: 60/40 = 1.5 → 0.25 + 0.75 * 0.25 = 0.4375; U → T not hit
    assert rs.loc[("U", "C"), "detour"] == pytest.approx(1.5, rel=2e-3)
    assert iso.loc["U", "isolation_index"] == pytest.approx(2 * 0.4375 / 3, abs=1e-3)
    # s4 hit: U's every route is cut → index 1, cut off; T loses U only: 1/3
    iso4 = model.isolation({s4}).set_index("town")
    assert iso4.loc["U", "isolation_index"] == pytest.approx(1.0)
    assert iso4.loc["U", "level"] == "cut off" and iso4.loc["U", "routes_cut"] == 2
    assert np.isinf(iso4.loc["U", "capital_detour"])
    assert iso4.loc["T", "isolation_index"] == pytest.approx(1 / 3, abs=1e-6)
    # both: T = (2*0.625 + 1)/3 = 0.75 → cut off
    both = model.isolation({s0, s4}).set_index("town")
    assert both.loc["T", "isolation_index"] == pytest.approx(0.75, abs=1e-3)
    assert both.loc["T", "level"] == "cut off"
    # a segment on no base route changes nothing
    none = model.isolation({s1}).set_index("town")
    assert (none["isolation_index"] == 0).all() and (none["level"] == "open").all()


def test_disruption_and_levels():
    d = ac.disruption(
        np.array([1.0, 1.0, 2.0, 3.0, 5.0, np.inf]), np.array([False, True, True, True, True, True])
    )
    assert d.tolist() == pytest.approx([0, 0.25, 0.625, 1.0, 1.0, 1.0])
    assert list(ac.level_of([0.0, 0.09, 0.1, 0.59, 0.6, 1.0])) == [
        "open",
        "open",
        "disrupted",
        "disrupted",
        "cut off",
        "cut off",
    ]
    assert list(ac.level_of([0.4], [2], [2])) == ["cut off"]  # every route cut


def test_town_in_the_middle_of_a_segment(net):
    t = _towns()
    lat, lon = _lonlat(10, 0.3)  # on s0, 300 m off the road
    t = pd.concat(
        [
            t,
            pd.DataFrame(
                [
                    {
                        "name": "M",
                        "lat": lat,
                        "lon": lon,
                        "population": 11_000,
                        "capital": False,
                        "admin1": "Centre",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    m = ac.AccessModel(net, t, k=1)
    r = m.routes.set_index(["town", "dest"])
    assert r.loc[("M", "C"), "base_m"] == pytest.approx(10_000, rel=2e-3)
    # s0 hit: M's halves of s0 are gone → M is cut off from everything
    iso = m.isolation({_seg(net, "s0")}).set_index("town")
    assert iso.loc["M", "isolation_index"] == 1.0 and iso.loc["M", "level"] == "cut off"


def _events(rows):
    out = []
    for i, (date, x, y, kw) in enumerate(rows):
        lat, lon = _lonlat(x, y) if x is not None else (np.nan, np.nan)
        base = {
            "event_id_cnty": f"TST{i}",
            "event_date": pd.Timestamp(date),
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "latitude": lat,
            "longitude": lon,
            "geo_precision": 1,
            "fatalities": 1,
            "notes": None,
            "location": "somewhere",
            "country": "Testland",
        }
        base.update(kw)
        out.append(base)
    df = pd.DataFrame(out)
    df["geo_precision"] = df["geo_precision"].astype("Int64")
    return df


def test_snapping_rules(net):
    ev = _events(
        [
            ("2021-03-03", 10, 1.5, {}),  # 1.5 km from s0 → snapped
            ("2021-03-03", 10, 5.0, {}),  # 5 km from s0 and s3/s1 → beyond 3 km
            ("2021-03-03", 10, 0.5, {"geo_precision": 3}),  # region only → never snapped
            ("2021-03-03", None, None, {}),  # no coordinates
            ("2021-03-03", 20.1, 0, {}),  # at town T → in town
            (
                "2021-03-03",
                20.1,
                0,
                {"notes": "IED hit a convoy on the road out of T."},
            ),  # road-related, in T
        ]
    )
    ev = ac.mark_road_related(ev)
    out = ac.snap_events(ev, net, buffer_km=3, towns=_towns())
    assert out["snap"].tolist() == [
        "snapped",
        "beyond buffer",
        "imprecise (geo_precision 3)",
        "no coordinates",
        "in town",
        "snapped",
    ]
    assert int(out["seg_id"].iat[0]) == _seg(net, "s0")
    assert out["road_distance_m"].iat[0] == pytest.approx(1500, rel=0.01)
    assert out["road_ref"].iat[0] == "RN1"
    assert ac.snap_events(ev, net, buffer_km=5.5)["snap"].iat[1] == "snapped"
    with pytest.raises(InputError):
        ac.snap_events(ev, net, buffer_km=0)


@pytest.mark.parametrize(
    "text,word",
    [
        ("Militants ambushed a military convoy near X.", "convoy"),
        ("Unknown gunmen blew up the bridge at Y.", "bridge"),
        ("Des hommes armés ont attaqué un convoi sur l'axe Djibo-Namsiguia.", "convoi"),
        ("Le pont de Naré a été détruit.", "pont"),
        ("An IED exploded on the RN22 between Kaya and Dori.", "RN22"),
        ("Gunmen set up a checkpoint and checked passengers.", "checkpoint"),
        ("Attaque sur l'axe Dori-Gorom.", "l'axe"),
        ("A man was killed with an axe in his field.", None),
        ("Clashes in the market of Z.", None),
    ],
)
def test_road_words(text, word):
    m = ac.match_road_words(text)
    assert (m[0] if m else None) == word


def test_mark_road_related_bases():
    ev = _events(
        [
            ("2021-01-01", 0, 0, {"notes": "Gunmen burned a truck."}),
            ("2021-01-01", 0, 0, {"sub_event_type": "Remote explosive/landmine/IED"}),
            ("2021-01-01", 0, 0, {"location": "Pont de Bani"}),
            ("2021-01-01", 0, 0, {}),
        ]
    )
    out = ac.mark_road_related(ev)
    assert out["road_related"].tolist() == [True, True, True, False]
    assert out["road_basis"].tolist()[:3] == ["notes", "sub-event type", "location"]
    assert out["road_word"].iat[0] == "truck"


def test_timeline_weeks_and_window(model, net):
    # an attack on s4 (between T and U) on Wednesday 2021-03-10
    ev = ac.snap_events(ac.mark_road_related(_events([("2021-03-10", 30, 0.5, {})])), net)
    tl = model.timeline(ev, since="2021-03-01", until="2021-04-30", window_days=14, towns=["U"])
    assert (tl["week_start"].dt.day_of_week == 5).all() and (tl["week_end"].dt.day_of_week == 4).all()
    cut = tl.loc[tl["level"] == "cut off", "week_end"].dt.strftime("%Y-%m-%d").tolist()
    # windows of 14 days ending Fri 12 and Fri 19 March contain the 10th; Fri 26 March's starts on the 13th
    assert cut == ["2021-03-12", "2021-03-19"]
    assert set(tl["town"]) == {"U"}
    st = model.status(ev, on="2021-03-12", window_days=14).set_index("town")
    assert st.loc["U", "level"] == "cut off" and st.loc["U", "incidents_on_routes"] == 1
    assert st.loc["C", "level"] == "open"


def test_protests_do_not_hit_roads(model, net):
    ev = ac.snap_events(
        ac.mark_road_related(
            _events(
                [("2021-03-10", 30, 0.5, {"event_type": "Protests", "sub_event_type": "Peaceful protest"})]
            )
        ),
        net,
    )
    assert model.status(ev, on="2021-03-12").set_index("town").loc["U", "level"] == "open"


def test_danger_layer_and_rates(net):
    ev = ac.snap_events(
        ac.mark_road_related(
            _events(
                [
                    ("2021-01-05", 10, 0.5, {"fatalities": 3}),
                    ("2021-01-20", 12, -0.5, {"notes": "ambush on the road"}),
                    ("2021-02-03", 30, 0.2, {}),
                ]
            )
        ),
        net,
    )
    d = ac.segment_danger(net, ev, since="2021-01-01", until="2021-02-28")
    s0 = d.set_index("seg_id").loc[_seg(net, "s0")]
    assert s0["incidents"] == 2 and s0["fatalities"] == 4 and s0["road_related"] == 1
    assert str(s0["last_incident"].date()) == "2021-01-20"
    months = 59 / (365.25 / 12)
    assert s0["per_100km_month"] == pytest.approx(2 / 0.2 / months, rel=1e-3)
    assert s0["rank"] == 1 and d.crs.to_epsg() == 4326
    top = ac.dangerous_stretches(d, n=5, min_incidents=1)
    assert top["seg_id"].tolist()[:2] == [_seg(net, "s0"), _seg(net, "s4")]
    rates = ac.road_rates(net, ev, since="2021-01-01", until="2021-02-28").set_index(["road", "month"])
    assert rates.loc[("RN1", "2021-01"), "incidents"] == 2
    assert rates.loc[("RN1", "2021-01"), "per_100km"] == pytest.approx(2 / 0.4, rel=2e-3)  # RN1 is 40 km
    assert rates.loc[("RN9", "2021-02"), "incidents"] == 0


def test_ambiguous_and_unknown_towns(net):
    t = _towns()
    lat, lon = _lonlat(0, -20)
    t = pd.concat(
        [
            t,
            pd.DataFrame(
                [
                    {
                        "name": "T",
                        "lat": lat + 0.001,
                        "lon": lon,
                        "population": 10_500,
                        "capital": False,
                        "admin1": "Sud",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(ac.TownLookupError, match="ambiguous") as e:
        ac.resolve_town("T", t)
    assert len(e.value.candidates) == 2 and set(e.value.candidates["admin1"]) == {"Centre", "Sud"}
    assert ac.resolve_town("T, Sud", t) == 4 and ac.resolve_town("t (centre)", t) == 1
    with pytest.raises(ac.TownLookupError, match="unknown town 'Vv'.*Did you mean: V"):
        ac.resolve_town("Vv", t)


def test_disconnected_pieces_are_reported(tmp_path):
    p = tmp_path / "two.gpkg"
    gpd.GeoDataFrame(
        {"ref": ["A", "B"]},
        geometry=[LineString([_xy(0, 0), _xy(20, 0)]), LineString([_xy(0, -20), _xy(0, -30)])],
        crs=UTM,
    ).to_file(p)
    net = read_roads(p)
    assert net.report.components == [1, 1]
    t = _towns().query("name != 'U'")
    m = ac.AccessModel(net, t, k=1)
    iso = m.isolation(set()).set_index("town")
    assert "unreachable" in iso.loc["V", "note"] or "no route" in iso.loc["V", "note"]
    assert not m.routes.set_index(["town", "dest"]).loc[("V", "C"), "reachable"]


def test_town_off_the_network(net):
    t = _towns()
    lat, lon = _lonlat(80, 80)
    t = pd.concat(
        [
            t,
            pd.DataFrame(
                [
                    {
                        "name": "Far",
                        "lat": lat,
                        "lon": lon,
                        "population": 50_000,
                        "capital": False,
                        "admin1": "Nord",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    m = ac.AccessModel(net, t, k=1)
    assert m.unattached["name"].tolist() == ["Far"]
    iso = m.isolation(set()).set_index("town")
    assert "not on the road network" in iso.loc["Far", "note"] and pd.isna(iso.loc["Far", "level"])


def test_caching_limits_dijkstra_runs(model, net):
    before = model.router.n_dijkstra
    model.isolation({_seg(net, "s5")})  # only V's route to C is hit: one source
    assert model.router.n_dijkstra - before == 1
    model.isolation({_seg(net, "s5")})  # cached
    assert model.router.n_dijkstra - before == 1


def test_map_png(model, net, tmp_path):
    ev = ac.snap_events(ac.mark_road_related(_events([("2021-03-10", 30, 0.5, {})])), net)
    d = ac.segment_danger(net, ev)
    st = model.status(ev, on="2021-03-12")
    from sahelwatch import figures

    i = ac.resolve_town("U", model.towns)
    layer = ac.danger_layer(d, model, st, [i], model.hit_segments(ev, "2021-03-12"))
    p = figures.draw(layer, tmp_path / "m.png", kind="access", title="access")
    assert p.stat().st_size > 5000 and p.read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------------------------------------------ CLI


def test_cli_access(tmp_path):
    import csv

    from typer.testing import CliRunner

    import sahelwatch
    from sahelwatch.cli import app
    from sahelwatch.gazetteer import Gazetteer
    from sahelwatch.ingest.acled import import_acled
    from acled_samples import CURRENT_HEADER, row

    gz = Gazetteer.load()
    pt = {
        n: gz.lookup(n, "BF", feature_classes="P")[0]
        for n in ("Ouagadougou", "Ziniaré", "Kombissiri", "Zorgo")
    }
    xy = {n: (p.longitude, p.latitude) for n, p in pt.items()}
    roads = tmp_path / "roads.geojson"
    gpd.GeoDataFrame(
        {"ref": ["RN3", "RN5", "RN4"]},
        geometry=[
            LineString([xy["Ouagadougou"], xy["Ziniaré"]]),
            LineString([xy["Ouagadougou"], xy["Kombissiri"]]),
            LineString([xy["Ziniaré"], xy["Zorgo"]]),
        ],
        crs=4326,
    ).to_file(roads)
    mid = [(a + b) / 2 for a, b in zip(xy["Ouagadougou"], xy["Ziniaré"])]
    rows = [
        row(
            f"BFO{i}",
            "2021-05-0" + str(i + 1),
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            "Unidentified Armed Group (Burkina Faso)",
            3,
            fat=1,
            lat=f"{mid[1]:.4f}",
            lon=f"{mid[0]:.4f}",
            loc="Somewhere on the road",
            admin1="Plateau-Central",
            admin2="Oubritenga",
            country="Burkina Faso",
            iso=854,
            notes="An invented IED blast on the road.",
        )
        for i in range(3)
    ]
    csv_path = tmp_path / "ev.csv"
    with csv_path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CURRENT_HEADER)
        w.writeheader()
        w.writerows(rows)
    db = tmp_path / "s.db"
    import_acled(sahelwatch.open(str(db)), csv_path)
    runner = CliRunner()
    outs = [tmp_path / "m.png", tmp_path / "d.geojson", tmp_path / "t.csv"]
    res = runner.invoke(
        app,
        [
            "access",
            "--roads",
            str(roads),
            "--db",
            str(db),
            "--town",
            "Ziniaré",
            "--until",
            "2021-05-10",
            "--k",
            "1",
            *sum((["-o", str(o)] for o in outs), []),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Access routes of Ziniaré" in res.output and "RN3" in res.output
    assert all(o.exists() and o.stat().st_size > 0 for o in outs)
    layer = gpd.read_file(outs[1])
    assert set(layer["layer"]) == {"segment", "town", "route"}
    seg = layer[layer["layer"] == "segment"].set_index("ref")
    assert seg.loc["RN3", "incidents"] == 3 and seg.loc["RN5", "incidents"] == 0
    table = pd.read_csv(outs[2]).set_index("town")
    assert table.loc["Ziniaré", "routes_hit"] >= 1 and table.loc["Ziniaré", "level"] in (
        "disrupted",
        "cut off",
    )
    bad = runner.invoke(app, ["access", "--roads", str(roads), "--db", str(db), "--town", "Zinare"])
    assert bad.exit_code == 2 and "unknown town" in bad.output and "Ziniaré" in bad.output
    # a village below the population threshold, asked for by name, comes from the gazetteer
    small = runner.invoke(
        app,
        [
            "access",
            "--roads",
            str(roads),
            "--db",
            str(db),
            "--town",
            "Loumbila",
            "--until",
            "2021-05-10",
            "--k",
            "1",
        ],
    )
    assert small.exit_code == 0, small.output
    assert "Access routes of Loumbila" in small.output


class _FakeGazetteer:
    def __init__(self, places):
        self.places = places

    def lookup(self, name, country=None, feature_classes=None, admin1=None):
        return [p for p in self.places if p.name == name and (admin1 is None or p.admin1 == admin1)]


def test_add_towns_from_gazetteer():
    from sahelwatch.model import Place

    lat, lon = _lonlat(30, 0)
    gz = _FakeGazetteer(
        [
            Place("Wa", lat, lon, "BF", admin1="Est", population=900, feature_class="P"),
            Place("Ko", lat, lon, "BF", admin1="Est", population=500, feature_class="P"),
            Place("Ko", lat + 1, lon, "BF", admin1="Nord", population=700, feature_class="P"),
        ]
    )
    t = ac.add_towns(_towns(), ["Wa", "T"], "BF", gz)
    assert t["name"].tolist() == ["C", "T", "U", "V", "Wa"] and t["extra"].tolist() == [False] * 4 + [True]
    with pytest.raises(ac.TownLookupError, match="ambiguous") as e:
        ac.add_towns(_towns(), ["Ko"], "BF", gz)
    assert sorted(e.value.candidates["admin1"]) == ["Est", "Nord"]
    assert ac.add_towns(_towns(), ["Ko, Nord"], "BF", gz)["name"].iloc[-1] == "Ko"
    with pytest.raises(ac.TownLookupError, match="unknown town"):
        ac.add_towns(_towns(), ["Nowhere"], "BF", gz)


def test_extra_towns_are_not_destinations(net):
    gz_lat, gz_lon = _lonlat(30, 0.2)
    t = pd.concat(
        [
            _towns(),
            pd.DataFrame(
                [
                    {
                        "name": "Wa",
                        "lat": gz_lat,
                        "lon": gz_lon,
                        "population": 900,
                        "capital": False,
                        "admin1": "Est",
                        "extra": True,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    m = ac.AccessModel(net, t, k=1)
    r = m.routes
    assert "Wa" not in set(r.loc[r["town"] != "Wa", "dest"])
    assert set(r.loc[r["town"] == "Wa", "dest"]) == {"C", "U"}
