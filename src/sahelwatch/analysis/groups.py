"""Actor grouping shared by the analyses: which canonical group stands on each side of an event.

An *actor map* is a function ``name -> group`` (or None to drop the name). :func:`registry_group_map`
builds one from an actor registry (the shipped one or the file named in :class:`sahelwatch.Settings`),
so a user's own ``actors.yaml`` changes what the analyses group. Coordination, Hawkes, network, influence
and alerts all group through this module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..actors import Registry

ActorMap = Callable[[str], "str | None"]


def default_actor_map(name) -> str | None:
    """Actor names as given (stripped); empty → None. Replace with a registry's canonical mapping."""
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    s = str(name).strip()
    return s or None


def split_names(value) -> list[str]:
    """The names of one actor cell (``;``-separated in ACLED's associated-actor columns)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def side_groups(
    events: pd.DataFrame, *, actor_map: ActorMap | None = None, side: int = 1, assoc: bool = True
) -> list[frozenset]:
    """For each event, the canonical groups on one side: ``actor_map(actor<side>)`` plus the mapped
    components of ``assoc_actor_<side>`` (e.g. "Katiba Macina" → JNIM when the map says so).
    ``actor_map`` returns a canonical name, or None to drop a name; default identity."""
    f = actor_map or (lambda s: s)
    cache: dict[str, str | None] = {}

    def m(name: str):
        if name not in cache:
            cache[name] = f(name)
        return cache[name]

    a_col, s_col = f"actor{side}", f"assoc_actor_{side}"
    actors = events[a_col].tolist() if a_col in events else [None] * len(events)
    assocs = events[s_col].tolist() if (assoc and s_col in events) else [None] * len(events)
    out = []
    for a, s in zip(actors, assocs):
        names = split_names(a) + split_names(s)
        out.append(frozenset(g for g in (m(n) for n in names) if g))
    return out


def mapping_from(table: dict[str, str | None] | None = None, fallback: ActorMap | None = None) -> ActorMap:
    """An actor map from a dict (exact names) with a fallback (default identity)."""
    table = dict(table or {})
    fb = fallback or (lambda s: s)
    return lambda s: table[s] if s in table else fb(s)


def registry_group_map(*, actors: str | Path | None = None, components: bool = True) -> ActorMap:
    """Actor name → group through the actor registry at ``actors`` (None: the shipped one).

    Names are normalised by the registry; with ``components`` a component coded with its parent
    (Katiba Macina, Ansar Dine → JNIM) maps to the parent; names of one group over time (the Islamic State
    in the Sahel's ACLED names) map to one label, ``"Islamic State Sahel"``. Unknown names pass through.
    The map is built once per (registry path, components).
    """
    return _group_map(str(actors) if actors else None, components)


@lru_cache(maxsize=8)
def _group_map(path: str | None, components: bool) -> ActorMap:
    reg = Registry.load(path)
    cache: dict = {}

    def mapping(name):
        raw = default_actor_map(name)
        if raw is None:
            return None
        if raw in cache:
            return cache[raw]
        actor = reg.normalise(raw)
        out = actor.name if actor is not None else raw
        if actor is not None:
            if components:
                par = reg.parent(actor.name)
                if par is not None:
                    out = par.name
            lin = reg.lineage(out)
            if isinstance(lin, str) and lin.startswith("lineage:") and "_or_" not in lin:
                out = lin.split(":", 1)[1].replace("_", " ").title().replace("Is ", "IS ")
        cache[raw] = out
        return out

    return mapping


__all__ = [
    "ActorMap",
    "default_actor_map",
    "split_names",
    "side_groups",
    "mapping_from",
    "registry_group_map",
]
