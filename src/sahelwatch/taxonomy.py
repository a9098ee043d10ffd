"""ACLED's vocabulary as data: event types, sub-event types, disorder types, codes.

Everything here is read from ``data/taxonomy.yaml``; code only adds the rules
(interaction from two inter codes, validation, legacy mapping).
"""

from __future__ import annotations

from enum import IntEnum
from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml


class Inter(IntEnum):
    """ACLED's inter codes: the kind of actor on one side of an event (data/taxonomy.yaml names them)."""

    NO_SECOND_ACTOR = 0
    STATE_FORCES = 1
    REBEL_GROUPS = 2
    POLITICAL_MILITIAS = 3
    IDENTITY_MILITIAS = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_FORCES = 8


#: non-state armed groups (rebels, political and identity militias)
ARMED_GROUPS: tuple[Inter, ...] = (Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS, Inter.IDENTITY_MILITIAS)
#: sides that are not armed actors: rioters, protesters, civilians
UNARMED: tuple[Inter, ...] = (Inter.RIOTERS, Inter.PROTESTERS, Inter.CIVILIANS)


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("sahelwatch.data").joinpath("taxonomy.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def event_types() -> tuple[str, ...]:
    """The six ACLED event types, in codebook order."""
    return tuple(_data()["event_types"])


def sub_event_types(event_type: str | None = None) -> tuple[str, ...]:
    """The 25 sub-event types (or those of one event type)."""
    types: Mapping[str, Mapping[str, str]] = _data()["event_types"]
    if event_type is not None:
        if event_type not in types:
            raise ValueError(f"unknown event_type {event_type!r}; expected one of {', '.join(types)}")
        return tuple(types[event_type])
    return tuple(s for subs in types.values() for s in subs)


@lru_cache(maxsize=1)
def sub_event_parent() -> dict[str, str]:
    """Map each sub-event type to its event type."""
    return {s: t for t, subs in _data()["event_types"].items() for s in subs}


def disorder_type(event_type: str, sub_event_type: str | None) -> str:
    """ACLED's disorder_type for an event of this type/sub-type."""
    types = _data()["event_types"]
    if sub_event_type:
        return types[event_type][sub_event_type]
    values = set(types[event_type].values())
    # legacy events without a sub-type: the value most sub-types of the type take
    return sorted(values, key=lambda v: list(types[event_type].values()).count(v))[-1]


def inter_codes() -> dict[int, str]:
    return {int(k): v for k, v in _data()["inter_codes"].items()}


def interaction(inter1: int | None, inter2: int | None) -> int:
    """ACLED interaction code: the two inter codes, the smaller first (10 = state forces alone)."""
    a = int(inter1 or 0)
    b = int(inter2 or 0)
    for code in (a, b):
        if code not in range(0, 9):
            raise ValueError(f"inter code {code} is not in 0-8")
    if a == 0 and b == 0:
        return 0
    if a == 0 or b == 0:
        return 10 * max(a, b)
    lo, hi = sorted((a, b))
    return 10 * lo + hi


def check_types(
    event_type: str | None, sub_event_type: str | None, *, allow_missing_sub: bool = False
) -> str | None:
    """Return None when the pair is valid, else the reason (for error messages)."""
    types = _data()["event_types"]
    if not event_type:
        return "event_type is empty"
    if event_type not in types:
        return f"unknown event_type {event_type!r}"
    if not sub_event_type:
        return None if allow_missing_sub else "sub_event_type is empty"
    if sub_event_type not in types[event_type]:
        parent = sub_event_parent().get(sub_event_type)
        if parent:
            return f"sub_event_type {sub_event_type!r} belongs to {parent!r}, not {event_type!r}"
        return f"unknown sub_event_type {sub_event_type!r}"
    return None


def legacy_event_type(
    name: str, inter1: int | None = None, inter2: int | None = None
) -> tuple[str | None, str | None]:
    """Map a pre-2019 ACLED event type onto (event_type, sub_event_type)."""
    table = _data()["legacy_event_types"]
    key = name.strip()
    if key in types_set():
        return key, None
    if key not in table and name not in table:
        raise ValueError(f"unknown legacy event type {name!r}")
    et, st = table.get(key, table.get(name))
    if et is None:  # Riots/Protests: split by the presence of rioters
        et = "Riots" if 5 in (inter1, inter2) else "Protests"
    return et, st


def types_set() -> frozenset[str]:
    return frozenset(_data()["event_types"])
