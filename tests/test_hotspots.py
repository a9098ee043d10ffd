"""Gi* hot spots, emerging hot spots and space-time clusters on inputs built here."""

import numpy as np
import pandas as pd
import pytest

from sahelwatch.analysis import hotspots as H
from sahelwatch.analysis._checks import AnalysisInputError


def grid_events(seed=0, n_noise=200, hot=(14.25, -3.25), n_hot=80, days=365):
    """Uniform noise over a 5°x5° box plus a dense block around `hot`."""
    rng = np.random.default_rng(seed)
    lat = np.r_[rng.uniform(12, 17, n_noise), hot[0] + rng.uniform(-0.7, 0.7, n_hot)]
    lon = np.r_[rng.uniform(-6, -1, n_noise), hot[1] + rng.uniform(-0.7, 0.7, n_hot)]
    n = len(lat)
    return pd.DataFrame(
        {
            "event_date": pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, days, n), "D"),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": 1,
            "fatalities": 1,
            "event_type": "Battles",
            "actor1": "A",
            "inter1": 2,
            "admin1": "R",
        }
    )


def test_gi_star_finds_planted_hot_block():
    df = grid_events()
    g = H.gi_star(df, permutations=199, seed=1)
    assert g["gi_z"].notna().all() and not g.empty
    hot = g[g["class"].str.startswith("hot")]
    assert len(hot) >= 4
    # every hot cell lies within ~1° of the planted block, none far away
    assert ((hot["lat"] - 14.25).abs() <= 1.0).all() and ((hot["lon"] + 3.25).abs() <= 1.0).all()
    assert (g["events"] == 0).any()  # zero cells are part of the grid
    nofdr = H.gi_star(df, permutations=199, seed=1, fdr=False)
    assert (nofdr["confidence"] > 0).sum() >= (g["confidence"] > 0).sum()
    assert set(g["confidence"]) <= {0, 90, 95, 99}


def test_gi_star_distance_band_and_isolated_cells():
    df = grid_events(n_noise=50, n_hot=30)
    d = H.gi_star(df, neighbours="distance", distance_km=80, permutations=99)
    assert (d["neighbours"] > 0).all()
    iso = H.gi_star(df, neighbours="distance", distance_km=10, permutations=99)
    assert (iso["class"] == "no neighbours").all()
    assert any("no neighbour" in m for m in iso.attrs["messages"])
    with pytest.raises(AnalysisInputError):
        H.gi_star(df, unit="admin1")


def test_gi_star_bad_input():
    with pytest.raises(AnalysisInputError, match="no events"):
        H.gi_star(pd.DataFrame(columns=["event_date", "latitude", "longitude"]))
    nocoord = pd.DataFrame(
        {"event_date": ["2019-01-01"], "latitude": [np.nan], "longitude": [np.nan], "geo_precision": [3]}
    )
    with pytest.raises(AnalysisInputError, match="usable coordinates"):
        H.gi_star(nocoord)
    region_only = grid_events(n_noise=5, n_hot=0).assign(geo_precision=3)
    with pytest.raises(AnalysisInputError, match="geo_precision 3"):
        H.gi_star(region_only)
    one = grid_events(n_noise=0, n_hot=1)
    g = H.gi_star(one, permutations=99)
    assert len(g) == 9 and g["gi_z"].notna().all()  # 3x3 grid around the event
    assert any("very little data" in m for m in g.attrs["messages"])
    zero = H.gi_star(one.assign(fatalities=0), value="fatalities", permutations=99)
    assert (zero["class"] == "not significant").all() and zero.attrs["messages"]


@pytest.mark.parametrize(
    "hot,cold,trend,expected",
    [
        ([0] * 9 + [1], [0] * 10, "no trend", "new hot spot"),
        ([0] * 7 + [1, 1, 1], [0] * 10, "increasing", "consecutive hot spot"),
        ([1] * 10, [0] * 10, "increasing", "intensifying hot spot"),
        ([1] * 10, [0] * 10, "no trend", "persistent hot spot"),
        ([1] * 10, [0] * 10, "decreasing", "diminishing hot spot"),
        ([1, 0, 1, 0, 0, 1, 0, 0, 0, 1], [0] * 10, "no trend", "sporadic hot spot"),
        ([0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], "no trend", "oscillating hot spot"),
        ([1] * 9 + [0], [0] * 10, "no trend", "historical hot spot"),
        ([0] * 10, [0] * 9 + [1], "no trend", "new cold spot"),
        ([0] * 10, [1] * 10, "decreasing", "intensifying cold spot"),
        ([0, 1, 0, 0, 0, 0, 0, 0, 0, 0], [0] * 10, "no trend", "no pattern detected"),
    ],
)
def test_emerging_classes(hot, cold, trend, expected):
    assert H.classify_emerging(np.array(hot, bool), np.array(cold, bool), trend) == expected


def test_emerging_hotspots_on_designed_cube():
    rng = np.random.default_rng(3)
    rows = []
    months = pd.date_range("2018-01-01", periods=12, freq="MS")
    for i, m in enumerate(months):
        # background: a few events anywhere in a 4°x4° box every month
        for _ in range(6):
            rows.append(
                (m + pd.Timedelta(days=int(rng.integers(0, 27))), rng.uniform(12, 16), rng.uniform(-6, -2))
            )
        # persistent block every month in the north-west
        for _ in range(12):
            rows.append(
                (
                    m + pd.Timedelta(days=int(rng.integers(0, 27))),
                    15.6 + rng.uniform(-0.2, 0.2),
                    -5.6 + rng.uniform(-0.2, 0.2),
                )
            )
        # a new block in the south-east only in the last month
        if i == 11:
            for _ in range(25):
                rows.append(
                    (
                        m + pd.Timedelta(days=int(rng.integers(0, 27))),
                        12.3 + rng.uniform(-0.2, 0.2),
                        -2.3 + rng.uniform(-0.2, 0.2),
                    )
                )
    df = pd.DataFrame(rows, columns=["event_date", "latitude", "longitude"]).assign(
        geo_precision=1, fatalities=0
    )
    e = H.emerging_hotspots(df, "priogrid", "month")
    by = e.set_index("unit")
    from sahelwatch.analysis.units import priogrid_gid

    nw = priogrid_gid([15.6], [-5.6])[0]
    se = priogrid_gid([12.3], [-2.3])[0]
    assert by.loc[nw, "pattern"] in ("persistent hot spot", "intensifying hot spot", "diminishing hot spot")
    assert by.loc[se, "pattern"] == "new hot spot"
    assert e.attrs["z"].shape == (len(e), 12)
    with pytest.raises(AnalysisInputError, match="at least 3"):
        H.emerging_hotspots(df[df.event_date < "2018-02-01"], "priogrid", "month")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_st_dbscan_recovers_planted_clusters(seed):
    df = H.synthetic_clusters(seed=seed)
    table, labels = H.st_clusters(df, eps_km=25, eps_days=20, min_samples=10, return_labels=True)
    s = H.score_clusters(df["truth"], labels)
    assert s["precision"] >= 0.9 and s["recall"] >= 0.9, s
    assert s["event_precision"] >= 0.9 and s["event_recall"] >= 0.9, s
    assert len(table) == s["found"]
    row = table.iloc[0]
    assert (
        row["events"] >= 10
        and row["start"] <= row["end"]
        and row["radius_km"] > 0
        and "A (" in row["main_actors"]
    )


def test_hdbscan_option_runs_and_finds_clusters():
    df = H.synthetic_clusters(seed=0)
    table, labels = H.st_clusters(
        df, method="hdbscan", eps_km=25, eps_days=20, min_samples=10, min_cluster_size=25, return_labels=True
    )
    s = H.score_clusters(df["truth"], labels)
    assert s["recall"] >= 0.75, s


def test_clusters_reduced_results():
    one = grid_events(n_noise=0, n_hot=1)
    t = H.st_clusters(one)
    assert len(t) == 0 and any("no space-time cluster" in m for m in t.attrs["messages"])
    mixed = pd.concat([one, one.assign(latitude=np.nan, longitude=np.nan)], ignore_index=True)
    t, lab = H.st_clusters(mixed, return_labels=True)
    assert lab.tolist() == [-1, -2] and t.attrs["excluded"] == 1
