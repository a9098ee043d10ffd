"""An actor's names across renamings and periods, for the store's ``actors=`` filter and its checks.

The registry is the shipped one or the file a :class:`sahelwatch.Settings` names (``EventStore.open(actors=)``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from ..actors import Registry


@functools.lru_cache(maxsize=8)
def lineages(path: str | None = None) -> tuple[Any, dict[str, set[str]]]:
    """The actor registry at ``path`` (None: shipped) and, per lineage (one group across renamings and
    periods), its names. Cached per path."""
    registry = Registry.load(path)
    groups: dict[str, set[str]] = {}
    for name in registry.canonical_names():
        groups.setdefault(registry.lineage(name), set()).add(name)
    return registry, groups


def actor_names(actors: Iterable[str], registry_path: str | None = None) -> list[str]:
    """Every canonical name of the asked-for actors across their renamings and periods ("ISGS" →
    "Islamic State (Greater Sahara)", "Islamic State (West Africa) - Greater Sahara Faction", …)."""
    registry, groups = lineages(registry_path)
    names: set[str] = set()
    for a in actors:
        names.add(a)
        found = registry.normalise(a)
        if found is not None:
            names.add(found.name)
            names.update(groups.get(registry.lineage(found.name), ()))
    return sorted(names)


__all__ = ["lineages", "actor_names"]
