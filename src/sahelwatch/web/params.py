"""Query parameters shared by every list: the CLI's filters, read and checked once.

Each problem is a 400 whose body names the parameter: ``{"detail": ..., "parameter": "bbox"}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Optional

from fastapi import Query, Request

from ..errors import InputError
from ..store import query as Q
from .. import taxonomy


class ParamError(InputError):
    """A bad query parameter: a 400 naming it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


MAX_LIST = 50  # values of one repeatable filter
MAX_TEXT = 200  # characters of one filter value


def _texts(name: str, values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = []
    for v in values:
        for part in v.split("|") if name == "event_type" else [v]:
            part = part.strip()
            if not part:
                continue
            if len(part) > MAX_TEXT:
                raise ParamError(name, f"{name}: a value longer than {MAX_TEXT} characters")
            if "\x00" in part:
                raise ParamError(name, f"{name}: NUL characters are not allowed")
            out.append(part)
    if len(out) > MAX_LIST:
        raise ParamError(name, f"{name}: at most {MAX_LIST} values")
    return out or None


def _date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ParamError(name, f"{name}={value[:40]!r}: expected a date YYYY-MM-DD") from None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        raise ParamError(
            "bbox", f"bbox={value[:60]!r}: expected four numbers min_lon,min_lat,max_lon,max_lat"
        ) from None
    if len(parts) != 4 or any(p != p for p in parts):
        raise ParamError(
            "bbox", f"bbox={value[:60]!r}: expected four numbers min_lon,min_lat,max_lon,max_lat"
        )
    a, b, c, d = parts
    if not (-180 <= a <= 180 and -180 <= c <= 180 and -90 <= b <= 90 and -90 <= d <= 90) or a > c or b > d:
        raise ParamError(
            "bbox",
            f"bbox={value[:60]!r}: need -180 ≤ min_lon ≤ max_lon ≤ 180 and -90 ≤ min_lat ≤ max_lat ≤ 90",
        )
    return parts  # type: ignore[return-value]


@dataclass
class EventFilters:
    """The CLI's filters (``--since --until --country --admin1 --admin2 --actor --event-type --bbox
    --min-fatalities``) plus ``dataset`` and ``as_of``."""

    kwargs: dict[str, Any]
    as_of: dt.datetime | None

    def cache_key(self) -> tuple:
        return tuple(sorted((k, repr(v)) for k, v in self.kwargs.items())) + (repr(self.as_of),)


def event_filters(
    since: Annotated[Optional[str], Query(description="First day, YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], Query(description="Last day, YYYY-MM-DD.")] = None,
    country: Annotated[Optional[list[str]], Query(description="Country name (repeatable).")] = None,
    admin1: Annotated[Optional[list[str]], Query(description="Admin1 name (repeatable).")] = None,
    admin2: Annotated[Optional[list[str]], Query(description="Admin2 name (repeatable).")] = None,
    actor: Annotated[
        Optional[list[str]], Query(description="Actor name or alias such as JNIM (repeatable).")
    ] = None,
    event_type: Annotated[
        Optional[list[str]], Query(description="ACLED event or sub-event type (repeatable).")
    ] = None,
    bbox: Annotated[Optional[str], Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    min_fatalities: Annotated[
        Optional[int], Query(ge=0, le=1_000_000, description="At least this many deaths.")
    ] = None,
    dataset: Annotated[
        Optional[list[str]], Query(description="Dataset (acled, ucdp, extracted, ...).")
    ] = None,
    as_of: Annotated[Optional[str], Query(description="The store as it was at this time (ISO 8601).")] = None,
) -> EventFilters:
    kw: dict[str, Any] = {}
    s, u = _date("since", since), _date("until", until)
    if s:
        kw["since"] = s
    if u:
        kw["until"] = u
    if s and u and s > u:
        raise ParamError("until", f"until={u} is before since={s}")
    for name, key, vals in (
        ("country", "countries", country),
        ("admin1", "admin1", admin1),
        ("admin2", "admin2", admin2),
        ("actor", "actors", actor),
        ("event_type", "event_types", event_type),
        ("dataset", "datasets", dataset),
    ):
        v = _texts(name, vals)
        if v:
            kw[key] = v
    if "event_types" in kw:
        known = {t.lower() for t in taxonomy.event_types()} | {t.lower() for t in taxonomy.sub_event_types()}
        bad = [v for v in kw["event_types"] if v.lower() not in known]
        if bad:
            raise ParamError(
                "event_type",
                f"event_type={bad[0][:60]!r}: not an ACLED event or sub-event type (see /api/types)",
            )
    b = _bbox(bbox)
    if b:
        kw["bbox"] = b
    if min_fatalities is not None:
        kw["min_fatalities"] = min_fatalities
    try:
        ts = Q.as_timestamp(as_of, "as_of")
    except InputError as exc:
        raise ParamError("as_of", str(exc)) from None
    return EventFilters(kw, ts)


_KNOWN: dict[int, frozenset[str]] = {}


def no_unknown_params(request: Request) -> None:
    """A misspelt parameter (``contry=Mali``) is a 400, not silently every event."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    known = _KNOWN.get(id(route))
    if known is None:
        names: set[str] = set()
        todo = [route.dependant]
        while todo:
            d = todo.pop()
            names.update(p.alias for p in d.query_params)
            todo.extend(d.dependencies)
        known = frozenset(names)
        _KNOWN[id(route)] = known
    for name in request.query_params.keys():
        if name not in known:
            raise ParamError(
                name,
                f"{name[:40]}: unknown parameter for {route.path}; "
                f"known: {', '.join(sorted(known)) or 'none'}",
            )
