"""The actor network: who fights whom and who is allied (issue 4 §6).

From events: ``actor1`` vs ``actor2`` is *opposition* (every group of side 1 against every group
of side 2, assoc actors included); ``actor1`` with an ``assoc_actor_1`` (and ``actor2`` with an
``assoc_actor_2``) is *alliance* — or *association* when that side is unarmed (inter 5-7: rioters,
protesters, civilians), whose assoc actors only say who the people were.  From claims (``store.claims()``): kind ``alliance`` → alliance,
kind ``rivalry`` → opposition, between ``subject`` and ``object``.  Edges are undirected (names in
alphabetical order), per period, weighted by events and fatalities (claims counted apart).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ..taxonomy import UNARMED
from .coordination import periods
from .groups import ActorMap, side_groups, split_names


#: ACLED inter codes of unarmed sides (rioters, protesters, civilians): their assoc actors describe who they
#: are (an ethnic group, teachers), so the edge is an ``association``, not an alliance
UNARMED_INTER = UNARMED

EDGE_COLUMNS = [
    "period",
    "source",
    "target",
    "relation",
    "events",
    "fatalities",
    "claims",
    "first_date",
    "last_date",
]


def _mapped(names: list[str], f: ActorMap, cache: dict) -> list[str]:
    out = []
    for n in names:
        if n not in cache:
            cache[n] = f(n)
        g = cache[n]
        if g and g not in out:
            out.append(g)
    return out


def network_edges(
    events: pd.DataFrame | None,
    claims: pd.DataFrame | None = None,
    *,
    actor_map: ActorMap | None = None,
    by: str | None = None,
    exclude_inter: tuple[int, ...] = (),
) -> pd.DataFrame:
    """Edge table: one row per (period, source, target, relation) with events, fatalities and claims.

    ``by``: None/"all" (one period ``all``), year, quarter or month.  ``exclude_inter``: ACLED inter
    codes whose side is left out (e.g. ``(7,)`` drops civilians, ``(5, 6, 7)`` rioters, protesters
    and civilians).  Self-loops (a group against itself after actor_map) are dropped.
    """
    f = actor_map or (lambda s: s)
    cache: dict = {}
    recs = []
    if events is not None and len(events):
        ev = events.reset_index(drop=True)
        per = periods(pd.to_datetime(ev["event_date"]), by).to_numpy()
        dates = pd.to_datetime(ev["event_date"]).to_numpy()
        fat = (
            pd.to_numeric(ev["fatalities"], errors="coerce").fillna(0).to_numpy(int)
            if "fatalities" in ev
            else np.zeros(len(ev), int)
        )
        cols = {
            c: (ev[c].tolist() if c in ev else [None] * len(ev))
            for c in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2")
        }
        for k in range(len(ev)):
            sides = []
            for s in (1, 2):
                inter = cols[f"inter{s}"][k]
                try:
                    skip = inter is not None and not pd.isna(inter) and int(inter) in exclude_inter
                except (TypeError, ValueError):
                    skip = False
                try:
                    unarmed = inter is not None and not pd.isna(inter) and int(inter) in UNARMED_INTER
                except (TypeError, ValueError):
                    unarmed = False
                main = [] if skip else _mapped(split_names(cols[f"actor{s}"][k]), f, cache)
                assoc = _mapped(split_names(cols[f"assoc_actor_{s}"][k]), f, cache)
                sides.append((main, assoc, "association" if unarmed else "alliance"))
            (m1, a1, _), (m2, a2, _) = sides
            g1 = list(dict.fromkeys(m1 + a1)) if m1 else []
            g2 = list(dict.fromkeys(m2 + a2)) if m2 else []
            for x in g1:
                for y in g2:
                    if x != y:
                        recs.append((per[k], x, y, "opposition", 1, fat[k], 0, dates[k]))
            for main, assoc, rel in sides:
                for x in main:
                    for y in assoc:
                        if x != y:
                            recs.append((per[k], x, y, rel, 1, fat[k], 0, dates[k]))
    if claims is not None and len(claims):
        c = claims[claims["kind"].isin(["alliance", "rivalry"])]
        c = c[c["object"].notna() & c["subject"].notna()] if "object" in c else c.iloc[0:0]
        cd = pd.to_datetime(c["date"], errors="coerce") if "date" in c else pd.Series(pd.NaT, index=c.index)
        cper = periods(cd.fillna(pd.Timestamp("1900-01-01")), by) if len(c) else pd.Series(dtype=object)
        for (_idx, r), p, d in zip(c.iterrows(), cper.tolist(), cd.tolist()):
            x, y = f(str(r["subject"])), f(str(r["object"]))
            if x and y and x != y:
                rel = "alliance" if r["kind"] == "alliance" else "opposition"
                recs.append((p if not pd.isna(d) else "undated", x, y, rel, 0, 0, 1, d))
    if not recs:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    df = pd.DataFrame(
        recs, columns=["period", "a", "b", "relation", "events", "fatalities", "claims", "date"]
    )
    df["source"] = df[["a", "b"]].min(axis=1)
    df["target"] = df[["a", "b"]].max(axis=1)
    out = (
        df.groupby(["period", "source", "target", "relation"], sort=True)
        .agg(
            events=("events", "sum"),
            fatalities=("fatalities", "sum"),
            claims=("claims", "sum"),
            first_date=("date", "min"),
            last_date=("date", "max"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["period", "events", "fatalities"], ascending=[True, False, False], ignore_index=True
    )
    return out[EDGE_COLUMNS]


def network_graph(
    edges: pd.DataFrame, events: pd.DataFrame | None = None, *, actor_map: ActorMap | None = None
) -> nx.MultiGraph:
    """A networkx MultiGraph from :func:`network_edges`: one edge per (period, relation), key ``relation:period``,
    attributes relation, period, events, fatalities, claims, weight (= events + claims).
    Nodes carry ``events`` (as actor1 side) when ``events`` is given."""
    g = nx.MultiGraph()
    for r in edges.itertuples(index=False):
        for n in (r.source, r.target):
            if n not in g:
                g.add_node(n, label=n)
        g.add_edge(
            r.source,
            r.target,
            key=f"{r.relation}:{r.period}",
            relation=r.relation,
            period=str(r.period),
            events=int(r.events),
            fatalities=int(r.fatalities),
            claims=int(r.claims),
            weight=float(r.events + r.claims),
            first_date="" if pd.isna(r.first_date) else str(pd.Timestamp(r.first_date).date()),
            last_date="" if pd.isna(r.last_date) else str(pd.Timestamp(r.last_date).date()),
        )
    if events is not None and len(events):
        cnt = pd.Series(
            [x for s in side_groups(events, actor_map=actor_map, side=1) for x in s], dtype=object
        ).value_counts()
        for n in g.nodes:
            g.nodes[n]["events"] = int(cnt.get(n, 0))
    return g


def actor_network(
    events: pd.DataFrame | None,
    claims: pd.DataFrame | None = None,
    *,
    actor_map: ActorMap | None = None,
    by: str | None = None,
    exclude_inter: tuple[int, ...] = (),
) -> tuple[pd.DataFrame, nx.MultiGraph]:
    """Edges table and graph in one call."""
    e = network_edges(events, claims, actor_map=actor_map, by=by, exclude_inter=exclude_inter)
    return e, network_graph(e, events, actor_map=actor_map)


def write_graph(graph: nx.MultiGraph, path: str | Path) -> Path:
    """GraphML (``.graphml``) or node-link JSON (``.json``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
    elif suffix == ".json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"{path.name}: the network is written as .graphml or .json")
    return path


__all__ = ["network_edges", "network_graph", "actor_network", "write_graph", "EDGE_COLUMNS"]
