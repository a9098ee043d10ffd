"""Areas of influence: synthetic territories with known borders, contested cells, changes, bad input."""

import numpy as np
import pandas as pd
import pytest

from sahelwatch.analysis import influence as I
from sahelwatch.analysis._checks import AnalysisInputError


@pytest.mark.parametrize(
    "seed,noise,density", [(0, 0.15, (1, 1, 1)), (1, 0.3, (1, 1, 1)), (2, 0.15, (3, 1, 1))]
)
def test_synthetic_territories_dominant_actor(seed, noise, density):
    ev, owner = I.synthetic_territories(seed=seed, noise=noise, density=density)
    res = I.influence(ev)
    acc = I.territory_accuracy(res, owner)
    assert acc["accuracy_all_active_cells"] >= 0.85, acc
    assert acc["accuracy_dominant_cells"] >= 0.85, acc
    assert acc["active"] >= 0.8 * acc["cells"]
    assert set(res.attrs["groups"]) == {"Group A", "Group B", "Group C"}
    shares = res[[c for c in res.columns if c.startswith("share:")]].sum(axis=1)
    assert np.allclose(shares[res["intensity"] > 0], 1.0)


def _two_groups_same_place(n=60, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for g in ("JNIM", "ISGS"):
        for _ in range(n):
            rows.append(
                {
                    "actor1": g,
                    "inter1": 2,
                    "actor2": "Civilians (Mali)",
                    "inter2": 7,
                    "latitude": 15.0 + rng.normal(0, 0.3),
                    "longitude": -1.0 + rng.normal(0, 0.3),
                    "event_date": pd.Timestamp("2019-01-01") + pd.Timedelta(days=int(rng.integers(0, 300))),
                    "geo_precision": 1,
                    "fatalities": 1,
                }
            )
    return pd.DataFrame(rows)


def test_contested_cells_where_two_groups_overlap():
    df = _two_groups_same_place()
    res = I.influence(df)
    core = res[(res["lat"] - 15.0).abs() < 0.5]
    core = core[(core["lon"] + 1.0).abs() < 0.5]
    assert (core["status"] == "contested").mean() >= 0.5
    strict = I.influence(df, contested_ratio=0.99)
    assert (strict["status"] == "contested").sum() < (res["status"] == "contested").sum()
    assert not (res["dominant"].isna() & (res["status"] != "no activity")).any()


def test_actor_map_and_groups_merge_names():
    df = _two_groups_same_place(n=30)
    df.loc[df.index[:10], "actor1"] = "JNIM: Group for Support of Islam and Muslims"
    mapping = lambda s: "JNIM" if s and s.startswith("JNIM") else s  # noqa: E731
    res = I.influence(df, actor_map=mapping, groups=["JNIM", "ISGS", "Absent Group"])
    assert res.attrs["groups"] == ["JNIM", "ISGS"]
    assert res.attrs["events_per_group"]["JNIM"] == 30
    assert any("Absent Group" in m for m in res.attrs["messages"])


def test_one_actor_is_explicit():
    df = _two_groups_same_place(n=20)
    df = df[df.actor1 == "JNIM"]
    res = I.influence(df)
    assert set(res.loc[res.status != "no activity", "dominant"]) == {"JNIM"}
    assert not res["contested"].any()
    assert any("only one armed group" in m for m in res.attrs["messages"])


def test_bad_input_messages():
    with pytest.raises(AnalysisInputError, match="no events"):
        I.influence(pd.DataFrame())
    civ = _two_groups_same_place(n=5).assign(inter1=7, actor1="Civilians (Mali)")
    with pytest.raises(AnalysisInputError, match="non-state armed group"):
        I.influence(civ)
    nocoord = _two_groups_same_place(n=5).assign(latitude=np.nan)
    with pytest.raises(AnalysisInputError, match="usable coordinates"):
        I.influence(nocoord)
    one = _two_groups_same_place(n=1).iloc[:1]
    res = I.influence(one)
    assert (res["status"] != "no activity").sum() >= 1 and res["intensity"].notna().all()


def test_gains_and_losses_per_quarter():
    rng = np.random.default_rng(2)
    rows = []
    # group A holds the west in Q1-Q2 2019; in Q3-Q4 it moves east; group B stays in the middle south
    for q, (x0, x1) in enumerate([(-6, -4), (-6, -4), (-1, 1), (-1, 1)]):
        start = pd.Timestamp("2019-01-01") + pd.DateOffset(months=3 * q)
        for _ in range(80):
            rows.append(
                (
                    "Group A",
                    rng.uniform(14, 16),
                    rng.uniform(x0, x1),
                    start + pd.Timedelta(days=int(rng.integers(0, 85))),
                )
            )
            rows.append(
                (
                    "Group B",
                    rng.uniform(12, 13),
                    rng.uniform(-3, -2),
                    start + pd.Timedelta(days=int(rng.integers(0, 85))),
                )
            )
    df = pd.DataFrame(rows, columns=["actor1", "latitude", "longitude", "event_date"]).assign(
        inter1=2, geo_precision=1, fatalities=0
    )
    summary, changes = I.influence_changes(df, "quarter", half_life_days=30)
    a = summary[summary.actor == "Group A"].set_index("period")
    assert a.loc["2019-Q3", "gained"] >= 5 and a.loc["2019-Q3", "lost"] >= 5
    assert a.loc["2019-Q2", "gained"] + a.loc["2019-Q2", "lost"] <= a.loc["2019-Q3", "gained"]
    assert set(changes.columns) == {"period", "unit", "before", "after"} and len(changes) > 0


def test_layers_written_as_geojson(tmp_path):
    import geopandas as gpd

    ev, _ = I.synthetic_territories(seed=0, n_per_group=120)
    res = I.influence(ev)
    paths = I.write_layers(res, tmp_path)
    names = {p.name for p in paths}
    assert {
        "zone_group_a.geojson",
        "zone_group_b.geojson",
        "zone_group_c.geojson",
        "contested.geojson",
    } <= names
    zone = gpd.read_file(tmp_path / "zone_group_a.geojson")
    assert zone["actor"].iloc[0] == "Group A" and zone.geometry.iloc[0].area > 0
