"""Coordination and rivalry: Knox test, decision rule, planted scenarios, bad input, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sahelwatch.analysis import coordination as co

START = pd.Timestamp("2018-01-01")


def _events(rows):
    df = pd.DataFrame(
        rows,
        columns=[
            "event_date",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "assoc_actor_2",
            "latitude",
            "longitude",
            "fatalities",
            "inter1",
            "geo_precision",
        ],
    )
    df["event_date"] = pd.to_datetime(df["event_date"])
    return df.sort_values("event_date", ignore_index=True)


def planted(seed=0, days=730):
    """A attacks at random; B follows A (60% of A's attacks answered within 10 km and 0-5 days) plus noise;
    C is independent of both; D is random too and clashes with A six times."""
    rng = np.random.default_rng(seed)
    rows = []

    def rand_place(n):
        return rng.uniform(13.0, 16.0, n), rng.uniform(-4.0, 0.0, n)

    def add(name, d, lat, lon, actor2="Civilians (Mali)", fat=1):
        rows.append((START + pd.Timedelta(days=int(d)), name, None, actor2, None, lat, lon, fat, 2, 1))

    na = 240
    da = np.sort(rng.uniform(0, days, na))
    la, lo = rand_place(na)
    for d, y, x in zip(da, la, lo):
        add("Group A", d, y, x)
        if rng.random() < 0.6:
            r, th = rng.uniform(0, 10) / 111.0, rng.uniform(0, 2 * np.pi)
            dd = d + rng.uniform(0, 5)
            if dd < days:
                add("Group B", dd, y + r * np.sin(th), x + r * np.cos(th))
    for d, y, x in zip(rng.uniform(0, days, 60), *rand_place(60)):
        add("Group B", d, y, x)
    for d, y, x in zip(rng.uniform(0, days, 200), *rand_place(200)):
        add("Group C", d, y, x)
    for d, y, x in zip(rng.uniform(0, days, 100), *rand_place(100)):
        add("Group D", d, y, x)
    for d, y, x in zip(rng.uniform(0, days, 6), *rand_place(6)):
        add("Group A", d, y, x, actor2="Group D", fat=4)
    return _events(rows)


@pytest.fixture(scope="module")
def table():
    return co.coordination(
        planted(), actors=["Group A", "Group B", "Group C", "Group D"], by="all", n_perm=199, n_boot=20
    )


def _row(tab, a, b, period="all"):
    r = tab[(tab.actor_a == a) & (tab.actor_b == b) & (tab.period == period)]
    assert len(r) == 1
    return r.iloc[0]


def test_planted_coordination_is_found(table):
    r = _row(table, "Group A", "Group B")
    assert r.label == "coordinating", r.reason
    assert r.knox_p <= 0.01 and r.knox_ratio > 2
    assert r.branching_ab == pytest.approx(0.6, abs=0.2) and r.branching_ab_low > 0.05
    assert r.branching_ba < r.branching_ab


def test_independent_groups_are_independent(table):
    r = _row(table, "Group A", "Group C")
    assert r.label == "independent"
    assert r.knox_p > 0.05
    assert r.clashes == 0


def test_clashes_make_rivals(table):
    r = _row(table, "Group A", "Group D")
    assert r.label == "rival"
    assert r.clashes == 6 and r.clash_fatalities == 24
    # the clashes are not counted among either group's own events
    assert r.events_a == _row(table, "Group A", "Group C").events_a - 6
    assert "6 direct clashes" in r.reason


def test_every_row_has_evidence_and_a_label(table):
    assert len(table) == 6
    assert set(table.label) <= {"coordinating", "independent", "rival"}
    assert (
        table[["events_a", "events_b", "knox_ratio", "knox_p", "branching_ab", "branching_ba"]]
        .notna()
        .all()
        .all()
    )


def test_periods_by_year_and_quarter():
    ev = planted(seed=1)
    y = co.coordination(ev, actors=["Group A", "Group B"], by="year", n_perm=99, n_boot=10)
    assert list(y.period) == ["2018", "2019"]
    assert (y.label == "coordinating").all()
    q = co.coordination(ev, actors=["Group A", "Group B"], by="quarter", n_perm=49, n_boot=0)
    assert list(q.period)[:2] == ["2018Q1", "2018Q2"] and len(q) == 8
    assert q.events_a.sum() == y.events_a.sum()


def test_knox_statistic_against_a_planted_excess_and_noise():
    rng = np.random.default_rng(3)
    xy_a = rng.uniform(0, 500, (150, 2))
    t_a = rng.uniform(0, 365, 150)
    xy_b = np.r_[xy_a[:60] + rng.normal(0, 3, (60, 2)), rng.uniform(0, 500, (90, 2))]
    t_b = np.r_[t_a[:60] + rng.uniform(0, 3, 60), rng.uniform(0, 365, 90)]
    k = co.knox(xy_a, t_a, xy_b, t_b, d_km=20, t_days=7, n_perm=199, seed=0)
    assert k["knox_pairs"] >= 60 and k["knox_p"] <= 0.01 and k["knox_ratio"] > 3
    t_b2 = rng.uniform(0, 365, 150)
    k2 = co.knox(xy_a, t_a, rng.uniform(0, 500, (150, 2)), t_b2, d_km=20, t_days=7, n_perm=199, seed=0)
    assert k2["knox_p"] > 0.05 and 0.3 < k2["knox_ratio"] < 2
    # turn-taking: each group uses an area while the other is in the other one -> a deficit
    half = np.r_[np.zeros(75), np.ones(75)]
    xy_a2 = np.column_stack([half * 300 + rng.uniform(0, 40, 150), rng.uniform(0, 40, 150)])
    t_a2 = half * 180 + rng.uniform(0, 180, 150)
    xy_b2 = np.column_stack([(1 - half) * 300 + rng.uniform(0, 40, 150), rng.uniform(0, 40, 150)])
    k4 = co.knox(xy_a2, t_a2, xy_b2, t_a2 + rng.uniform(-5, 5, 150), d_km=50, t_days=14, n_perm=199, seed=0)
    assert k4["knox_ratio"] < 0.5 and k4["knox_p_low"] <= 0.01 and k4["knox_p"] > 0.5
    # identical places count (zero distance)
    k3 = co.knox(
        np.zeros((2, 2)),
        np.array([0.0, 100.0]),
        np.zeros((1, 2)),
        np.array([1.0]),
        d_km=1,
        t_days=2,
        n_perm=20,
    )
    assert k3["knox_pairs"] == 1 and k3["space_pairs"] == 2


def test_mapping_folds_components_into_the_group():
    ev = planted(seed=2)
    idx = ev.index[ev.actor1 == "Group A"][:30]
    ev.loc[idx, "actor1"] = "Unidentified Armed Group (Mali)"
    ev.loc[idx, "assoc_actor_1"] = "Katiba Alpha; Pastoralists (Mali)"
    plain = co.coordination(ev, actors=["Group A", "Group B"], by="all", n_perm=19, n_boot=0)
    mapped = co.coordination(
        ev,
        actors=["Group A", "Group B"],
        by="all",
        n_perm=19,
        n_boot=0,
        actor_map=co.mapping_from({"Katiba Alpha": "Group A"}),
    )
    assert mapped.events_a.iloc[0] == plain.events_a.iloc[0] + 30


def test_default_actors_are_the_most_active_armed_groups():
    ev = planted(seed=0)
    crowd = _events(
        [
            (START + pd.Timedelta(days=i), "Protesters (Mali)", None, None, None, 14.0, -2.0, 0, 6, 1)
            for i in range(400)
        ]
    )
    ev = pd.concat([ev, crowd], ignore_index=True)
    assert co.default_actors(ev, top=1) == ["Group A"]
    assert set(co.default_actors(ev, top=5)) == {"Group A", "Group B", "Group C", "Group D"}


# ------------------------------------------------------------------ bad input


def test_empty_selection():
    with pytest.raises(co.CoordinationError, match="no events"):
        co.coordination(pd.DataFrame(columns=["event_date", "actor1", "actor2"]))


def test_one_actor():
    ev = planted()
    ev = ev[ev.actor1 == "Group A"]
    ev = ev.assign(actor2="Civilians (Mali)", inter1=2)
    with pytest.raises(co.CoordinationError, match="needs two actors; got only Group A"):
        co.coordination(ev)
    with pytest.raises(co.CoordinationError, match="needs two actors"):
        co.coordination(ev, actors=["Group A", "Group A"])


def test_events_without_coordinates_give_a_reduced_result():
    ev = planted().assign(latitude=np.nan, longitude=np.nan)
    tab = co.coordination(ev, actors=["Group A", "Group B"], by="all", n_perm=19, n_boot=10)
    r = tab.iloc[0]
    assert np.isnan(r.knox_p) and "Knox not run" in r.note and "without coordinates" in r.note
    assert r.located_a == 0 and r.events_a > 200
    assert not np.isnan(r.branching_ab)  # Hawkes still runs on dates
    assert (
        r.label == "independent" and "Knox not run" in r.reason
    )  # coordination needs both kinds of evidence


def test_region_centroids_are_left_out_of_knox():
    ev = planted()
    ev.loc[ev.actor1 == "Group B", "geo_precision"] = 3
    r = co.coordination(ev, actors=["Group A", "Group B"], by="all", n_perm=19, n_boot=0).iloc[0]
    assert r.located_b == 0 and "geo_precision > 2" in r.note


def test_too_few_events_for_hawkes():
    ev = _events(
        [
            (START + pd.Timedelta(days=i), g, None, "Civilians (Mali)", None, 14.0 + i / 100, -2.0, 0, 2, 1)
            for i, g in enumerate(["Group A", "Group B"] * 4)
        ]
    )
    r = co.coordination(ev, actors=["Group A", "Group B"], by="all", n_perm=19, n_boot=0).iloc[0]
    assert np.isnan(r.branching_ab) and "too few events (4 and 4; need 10" in r.note
    assert not np.isnan(r.knox_p)
    one = _events(
        [
            (START, "Group A", None, None, None, np.nan, np.nan, 0, 2, 1),
            (START, "Group B", None, None, None, np.nan, np.nan, 0, 2, 1),
        ]
    )
    r1 = co.coordination(one, actors=["Group A", "Group B"], by="all").iloc[0]
    assert r1.label == "insufficient data"


def test_decision_rule():
    base = {
        "clashes": 0,
        "knox_p": 0.01,
        "knox_ratio": 2.0,
        "branching_ab": 0.3,
        "branching_ab_low": 0.1,
        "branching_ba_low": 0.0,
    }
    assert co.label(base)[0] == "coordinating"
    assert co.label({**base, "knox_p": 0.2})[0] == "independent"
    assert co.label({**base, "branching_ab_low": 0.01})[0] == "independent"
    assert co.label({**base, "clashes": 2, "clash_fatalities": 3})[0] == "rival"
    assert co.label({**base, "clashes": 1})[0] == "coordinating"
    assert co.label({**base, "clashes": 1}, min_clashes=1)[0] == "rival"
    quiet = {**base, "knox_p": 0.5}
    assert co.label({**quiet, "joint_events": 2})[0] == "coordinating"
    assert co.label({**quiet, "joint_events": 1})[0] == "independent"
    lab, why = co.label({**quiet, "joint_events": 3, "clashes": 2})
    assert lab == "rival" and "3 joint" in why


def test_joint_events_are_counted_apart_and_make_coordination():
    ev = planted(seed=3)
    c_rows = ev.index[ev.actor1 == "Group C"][:3]
    ev.loc[c_rows, "assoc_actor_1"] = "Group A"  # C and A coded on the same side three times
    r = co.coordination(ev, actors=["Group A", "Group C"], by="all", n_perm=49, n_boot=5).iloc[0]
    assert r.joint_events == 3 and r.label == "coordinating" and "3 joint event(s)" in r.reason
    plain = co.coordination(
        planted(seed=3), actors=["Group A", "Group C"], by="all", n_perm=49, n_boot=0
    ).iloc[0]
    assert r.events_b == plain.events_b - 3  # not among C's own events
    assert plain.joint_events == 0 and plain.label == "independent"


# ------------------------------------------------------------------ CLI


def test_cli_coordination_and_network(tmp_path):
    from typer.testing import CliRunner

    import sahelwatch
    from sahelwatch.cli import app
    from sahelwatch.model import Event

    ev = planted(seed=4)
    events = []
    for i, r in enumerate(ev.itertuples()):
        clash = r.actor2 != "Civilians (Mali)"
        events.append(
            Event(
                event_id_cnty=f"TST{i}",
                event_date=r.event_date.date(),
                event_type="Battles" if clash else "Violence against civilians",
                sub_event_type="Armed clash" if clash else "Attack",
                actor1=r.actor1,
                actor2=r.actor2,
                inter1=2,
                inter2=2 if clash else 7,
                country="Mali",
                latitude=float(r.latitude),
                longitude=float(r.longitude),
                geo_precision=1,
                fatalities=int(r.fatalities),
            )
        )
    db = str(tmp_path / "t.db")
    store = sahelwatch.open(db)
    store.add_events(events)
    group = "analyze"
    runner = CliRunner()
    out = tmp_path / "coord.csv"
    res = runner.invoke(
        app,
        [
            group,
            "coordination",
            "--db",
            db,
            "--actors",
            "Group A",
            "--actors",
            "Group B",
            "--actors",
            "Group D",
            "--by",
            "all",
            "--permutations",
            "49",
            "--bootstrap",
            "5",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    tab = pd.read_csv(out)
    assert len(tab) == 3 and set(tab.label) <= {"coordinating", "independent", "rival"}
    assert tab.set_index(["actor_a", "actor_b"]).loc[("Group A", "Group D"), "label"] == "rival"
    g = tmp_path / "net.graphml"
    res = runner.invoke(app, [group, "network", "--db", db, "-o", str(g)])
    assert res.exit_code == 0, res.output
    import networkx as nx

    graph = nx.read_graphml(g)
    assert graph.has_edge("Group A", "Group D")
    res = runner.invoke(app, [group, "coordination", "--db", db, "--since", "2030-01-01", "-o", str(out)])
    assert res.exit_code == 2 and "no events" in res.output
