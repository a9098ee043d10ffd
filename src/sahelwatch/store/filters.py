"""Filter validation for event queries: a typo is an error that suggests the closest known names,
never a silent empty answer (issue 16).

    from sahelwatch.store.filters import check_filters, explain_empty
    clean = check_filters(store, countries="MLI", actors=["JNIM"], since="2019-01-01")
    # {'countries': ['Mali'], 'actors': ['JNIM'], 'since': datetime.date(2019, 1, 1)}

Rules (the same for the CLI, the Python API and the REST API):

- ``countries``, ``admin1``, ``admin2``, ``actors``, ``event_types``, ``sub_event_types``, ``datasets``
  and ``ids`` take a string or a list/tuple/set of strings; anything else is a ``FilterTypeError``
  (``actors="JNIM"`` is one actor, not four letters).
- Countries: names as stored, ISO alpha-2 or alpha-3 codes (``ML``, ``MLI``), names from the
  country table (``Côte d'Ivoire`` → ``Ivory Coast``).
- A country, admin name, actor or event type that is neither in the store nor in the reference data
  is a ``FilterError`` naming the closest known names (rapidfuzz).
- ``since`` after ``until`` is a ``FilterError``.
- ``explain_empty`` says which filter emptied a result (each filter added in turn, with counts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from sqlalchemy import func, or_, select

from .. import taxonomy
from ..errors import InputError
from ..model import as_date
from . import schema
from .lineages import actor_names, lineages
from .pcodes import _countries, admin_names_for, country_name

__all__ = [
    "FilterError",
    "FilterTypeError",
    "EmptyResultWarning",
    "check_filters",
    "explain_empty",
    "as_list",
    "suggest",
    "country_name",
    "LIST_FILTERS",
]

#: Filters that take one name or several.
LIST_FILTERS = (
    "countries",
    "admin1",
    "admin2",
    "actors",
    "event_types",
    "sub_event_types",
    "datasets",
    "ids",
)

_LABELS = {
    "countries": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "actors": "actor",
    "event_types": "event type",
    "sub_event_types": "sub-event type",
    "datasets": "dataset",
    "ids": "event id",
    "since": "since",
    "until": "until",
    "bbox": "bbox",
    "min_fatalities": "min_fatalities",
}


class FilterError(InputError):
    """A filter value that cannot match anything as written (unknown name, reversed range)."""


class FilterTypeError(FilterError, TypeError):
    """A filter given a value of the wrong type (e.g. a number where names are expected)."""


class EmptyResultWarning(UserWarning):
    """A query matched no event; the message says which filter emptied it."""


def as_list(name: str, value: Any) -> list[str] | None:
    """``None``, one string or a list/tuple/set of strings → a list of strings (else FilterTypeError)."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) or _is_array(value):
        items = list(value)
        bad = [v for v in items if not isinstance(v, str)]
        if bad:
            raise FilterTypeError(f"{name}: expected strings, got {type(bad[0]).__name__} {bad[0]!r}")
        return items
    raise FilterTypeError(
        f"{name}: expected a string or a list of strings, got {type(value).__name__} {value!r}"
    )


def _is_array(value: Any) -> bool:
    return type(value).__name__ in ("ndarray", "Series", "Index") and getattr(value, "ndim", 1) == 1


def suggest(value: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest known names to ``value`` (rapidfuzz WRatio on folded text), best first."""
    from rapidfuzz import fuzz, process, utils

    pool = sorted({c for c in choices if c})
    if not pool:
        return []
    # short words (acronyms, typos of short names) are compared whole: partial matching would rank any
    # long name that contains a similar fragment first
    scorer = fuzz.ratio if len(value.strip()) <= 6 else fuzz.WRatio
    found = process.extract(
        value, pool, scorer=scorer, processor=utils.default_process, limit=limit, score_cutoff=50
    )
    return [name for name, _score, _i in found]


def _unknown(kind: str, value: str, choices: Iterable[str], hint: str = "") -> FilterError:
    close = suggest(value, choices)
    did = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return FilterError(f"unknown {kind} {value!r}{did}{hint}")


# ---------------------------------------------------------------------------------- countries


# ---------------------------------------------------------------------------------- the check


def _distinct(conn, *columns) -> set[str]:
    out: set[str] = set()
    for c in columns:
        out.update(v for (v,) in conn.execute(select(c).distinct()) if v)
    return out


def _fold_match(values: Sequence[str], known: set[str]) -> dict[str, str | None]:
    by_fold = {k.casefold(): k for k in known}
    return {v: by_fold.get(v.strip().casefold()) for v in values}


def check_filters(store_or_engine: Any, **filters: Any) -> dict[str, Any]:
    """Validated, normalised filters for ``EventStore.events`` (raises FilterError / FilterTypeError).

    Names are checked against the store's own values (and the reference data for countries,
    actors and event types); an empty store accepts any name (there is nothing to compare with).
    """
    engine = getattr(store_or_engine, "engine", store_or_engine)
    out: dict[str, Any] = {}
    for k, v in filters.items():
        if v is None:
            continue
        out[k] = as_list(k, v) if k in LIST_FILTERS else v
    since = as_date(out["since"], "since") if "since" in out else None
    until = as_date(out["until"], "until") if "until" in out else None
    if since is not None:
        out["since"] = since
    if until is not None:
        out["until"] = until
    if since is not None and until is not None and since > until:
        raise FilterError(f"since {since} is after until {until}: the date range is reversed")
    if "min_fatalities" in out:
        try:
            out["min_fatalities"] = int(out["min_fatalities"])
        except (TypeError, ValueError):
            raise FilterTypeError(
                f"min_fatalities: expected a whole number, got {out['min_fatalities']!r}"
            ) from None
    if "bbox" in out:
        box = out["bbox"]
        try:
            box = tuple(float(v) for v in box)
        except (TypeError, ValueError):
            raise FilterTypeError(
                f"bbox: expected four numbers min_lon,min_lat,max_lon,max_lat, got {box!r}"
            ) from None
        if len(box) != 4:
            raise FilterTypeError(
                f"bbox: expected four numbers min_lon,min_lat,max_lon,max_lat, got {len(box)}"
            )
        if box[0] > box[2] or box[1] > box[3]:
            raise FilterError(f"bbox {box}: min greater than max (expected min_lon,min_lat,max_lon,max_lat)")
        out["bbox"] = box
    for k in ("event_types", "sub_event_types"):
        for v in out.get(k, []):
            _check_type(v)
    t = schema.events
    with engine.connect() as conn:
        empty = conn.execute(select(t.c.event_id_cnty).limit(1)).first() is None
        if "countries" in out:
            out["countries"] = _check_countries(conn, out["countries"], empty)
        if empty:
            return out
        if "admin1" in out:
            out["admin1"] = _check_admin(conn, "admin1", out["admin1"], t.c.admin1)
        if "admin2" in out:
            out["admin2"] = _check_admin(conn, "admin2", out["admin2"], t.c.admin2)
        if "actors" in out:
            _check_actors(conn, out["actors"], getattr(store_or_engine, "actors_path", None))
        if "datasets" in out:
            known = _distinct(conn, t.c.dataset)
            for v in out["datasets"]:
                if v not in known:
                    raise _unknown("dataset", v, known)
    return out


def _check_type(v: str) -> None:
    key = v.strip().casefold()
    names = list(taxonomy.event_types()) + list(taxonomy.sub_event_types())
    if key not in {n.casefold() for n in names}:
        raise _unknown("event or sub-event type", v, names, " (see `sahelwatch types`)")


def _check_countries(conn, values: list[str], empty: bool) -> list[str]:
    t = schema.events
    stored = set() if empty else _distinct(conn, t.c.country)
    keys, names = _countries()
    out: list[str] = []
    matched = _fold_match(values, stored)
    for v in values:
        found = matched[v]
        if found:
            out.append(found)
            continue
        name = country_name(v)
        if name is None:
            raise _unknown("country", v, stored | set(names), " (names, ISO2 or ISO3 codes are accepted)")
        out.append(name)
    return out


def _check_admin(conn, level: str, values: list[str], column) -> list[str]:
    known = _distinct(conn, column)
    matched = _fold_match(values, known)
    out: list[str] = []
    for v in values:
        found = matched[v]
        if found:
            out.append(found)
            continue
        by_code = admin_names_for(level, v)
        if by_code:
            out.extend(by_code)
            continue
        raise _unknown(level, v, known, f" (no event in the store has this {level}; p-codes are accepted)")
    return out


def _check_actors(conn, values: list[str], registry_path: str | None = None) -> None:
    t = schema.events
    cols = (t.c.actor1, t.c.actor2, t.c.assoc_actor_1, t.c.assoc_actor_2)
    registry = lineages(registry_path)[0]
    for v in values:
        if registry is not None and registry.normalise(v) is not None:
            continue
        names = actor_names([v], registry_path)
        q = select(t.c.event_id_cnty).where(
            or_(*[c.in_(names) for c in cols], *[c.ilike(f"%{v}%") for c in cols])
        )
        if conn.execute(q.limit(1)).first() is not None:
            continue
        known = _distinct(conn, *cols)
        if registry is not None:
            known |= set(registry.canonical_names())
            known |= {a for actor in registry.actors.values() for a in (actor.aliases or [])}
        raise _unknown("actor", v, known, " (no stored actor and no registry alias matches)")


def _registry(registry_path: str | None = None):
    return lineages(registry_path)[0]


# ---------------------------------------------------------------------------------- empty results


def explain_empty(store: Any, **filters: Any) -> str | None:
    """Why a query gave no event: the store is empty, or the first filter that emptied the result,
    with the count before it ("actor 'ISGS' leaves 0 of the 120 events matching country 'Mali'")."""
    t = schema.events
    active = {k: v for k, v in filters.items() if v is not None and k != "geo"}
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t)).scalar_one()
    if total == 0:
        return "the store holds no events (import some with `sahelwatch import ...`)"
    kept: dict[str, Any] = {}
    before = total
    for k, v in active.items():
        kept[k] = v
        n = store.count(**kept)
        if n == 0:
            alone = store.count(**{k: v})
            prior = ", ".join(f"{_LABELS.get(p, p)} {_show(q)}" for p, q in kept.items() if p != k)
            what = f"{_LABELS.get(k, k)} {_show(v)}"
            if alone == 0:
                return f"no event matches {what} (of {total} events in the store)"
            return (
                f"{what} leaves 0 of the {before} events matching {prior} ({alone} events match {what} alone)"
            )
        before = n
    return None


def _show(v: Any) -> str:
    if isinstance(v, (list, tuple)) and len(v) == 1:
        v = v[0]
    if isinstance(v, dt.date):
        return v.isoformat()
    return repr(v) if isinstance(v, str) else str(v)
