"""The actor network: relations from events and claims, periods, weights, exports, bad input."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from sahelwatch.analysis.network import EDGE_COLUMNS, actor_network, network_edges, network_graph, write_graph


def _ev():
    rows = [
        # date, actor1, assoc1, inter1, actor2, assoc2, inter2, fatalities
        ("2018-03-01", "Group A", "Katiba Alpha", 2, "Military Forces of Mali", None, 1, 5),
        ("2018-06-01", "Group A", None, 2, "Military Forces of Mali", "Militia M", 1, 3),
        ("2019-02-01", "Military Forces of Mali", None, 1, "Group A", None, 2, 2),
        ("2019-04-01", "Group A", None, 2, "Group B", None, 2, 10),
        ("2019-05-01", "Group B", None, 2, "Civilians (Mali)", "Fulani Ethnic Group (Mali)", 7, 4),
        ("2019-06-01", "Protesters (Mali)", "Teachers (Mali)", 6, None, None, 0, 0),
        ("2019-07-01", "Group B", "Group B", 2, "Civilians (Mali)", None, 7, 1),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "event_date",
            "actor1",
            "assoc_actor_1",
            "inter1",
            "actor2",
            "assoc_actor_2",
            "inter2",
            "fatalities",
        ],
    )
    df["event_date"] = pd.to_datetime(df["event_date"])
    return df


def _edge(e, a, b, rel, period="all"):
    s, t = sorted([a, b])
    r = e[(e.source == s) & (e.target == t) & (e.relation == rel) & (e.period == period)]
    return r.iloc[0] if len(r) else None


def test_relations_weights_and_undirected_order():
    e = network_edges(_ev())
    army = _edge(e, "Group A", "Military Forces of Mali", "opposition")
    assert army.events == 3 and army.fatalities == 10  # both orders of actor1/actor2 merge
    assert (
        _edge(e, "Katiba Alpha", "Military Forces of Mali", "opposition").events == 1
    )  # assoc joins the fight
    assert _edge(e, "Group A", "Katiba Alpha", "alliance").events == 1
    assert _edge(e, "Militia M", "Military Forces of Mali", "alliance").fatalities == 3
    assert _edge(e, "Group A", "Group B", "opposition").fatalities == 10
    # unarmed sides: assoc actors say who the people were
    assert _edge(e, "Civilians (Mali)", "Fulani Ethnic Group (Mali)", "association").events == 1
    assert _edge(e, "Protesters (Mali)", "Teachers (Mali)", "association") is not None
    assert _edge(e, "Civilians (Mali)", "Fulani Ethnic Group (Mali)", "alliance") is None
    assert not (e.source == e.target).any()  # no self-loops
    assert list(e.columns) == EDGE_COLUMNS
    assert (e.source < e.target).all()


def test_by_year_and_mapping_and_armed_only():
    e = network_edges(_ev(), by="year")
    assert _edge(e, "Group A", "Military Forces of Mali", "opposition", "2018").events == 2
    assert _edge(e, "Group A", "Military Forces of Mali", "opposition", "2019").events == 1
    m = network_edges(_ev(), actor_map=lambda s: "Group A" if s == "Katiba Alpha" else s)
    assert "Katiba Alpha" not in set(m.source) | set(m.target)
    assert _edge(m, "Group A", "Military Forces of Mali", "opposition").events == 3
    armed = network_edges(_ev(), exclude_inter=(5, 6, 7))
    assert "Civilians (Mali)" not in set(armed.source) | set(armed.target)
    dropped = network_edges(_ev(), actor_map=lambda s: None if s.startswith("Civilians") else s)
    assert "Civilians (Mali)" not in set(dropped.source) | set(dropped.target)


def test_claims_add_alliances_and_rivalries():
    claims = pd.DataFrame(
        [
            {
                "claim_id": "c1",
                "kind": "alliance",
                "subject": "Group A",
                "object": "Group C",
                "date": "2019-03-01",
            },
            {"claim_id": "c2", "kind": "rivalry", "subject": "Group B", "object": "Group A", "date": None},
            {"claim_id": "c3", "kind": "force_strength", "subject": "Group A", "object": None, "date": None},
        ]
    )
    e = network_edges(_ev(), claims=claims, by="year")
    c = _edge(e, "Group A", "Group C", "alliance", "2019")
    assert c.claims == 1 and c.events == 0
    assert _edge(e, "Group A", "Group B", "opposition", "undated").claims == 1
    only = network_edges(None, claims=claims)
    assert len(only) == 2


def test_graph_exports_round_trip(tmp_path):
    edges, g = actor_network(_ev())
    assert isinstance(g, nx.MultiGraph)
    assert g.nodes["Group A"]["events"] == 3
    key = "opposition:all"
    assert g.edges["Group A", "Military Forces of Mali", key]["fatalities"] == 10
    p = write_graph(g, tmp_path / "n.graphml")
    back = nx.read_graphml(p)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    j = json.loads(write_graph(g, tmp_path / "n.json").read_text())
    assert {"nodes", "edges"} <= set(j) and len(j["edges"]) == len(edges)
    with pytest.raises(ValueError, match="graphml or .json"):
        write_graph(g, tmp_path / "n.txt")


def test_empty_inputs_give_an_empty_table_with_columns():
    e = network_edges(pd.DataFrame(columns=["event_date", "actor1", "actor2"]))
    assert e.empty and list(e.columns) == EDGE_COLUMNS
    assert network_graph(e).number_of_nodes() == 0
    lone = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2019-01-01"]),
            "actor1": ["Group A"],
            "actor2": [None],
            "fatalities": [0],
        }
    )
    assert network_edges(lone).empty  # one actor: nobody to relate to
