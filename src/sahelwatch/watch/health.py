"""Source health: each source has a freshness target; a source that fails, goes silent (nothing new for
longer than its target) or suddenly yields nothing (an empty answer where it used to give items) is flagged.

``status(store)`` is the library function behind `sahelwatch status` and the API's ``/api/status``.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from typing import Any, Sequence

from sqlalchemy import func, select

from ..store import schema
from .config import Source

FLAGS = ("ok", "failing", "silent", "empty", "never fetched")


def _aware(t: dt.datetime | None) -> dt.datetime | None:
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def assess(row: dict[str, Any] | None, src: Source | None, now: dt.datetime) -> dict[str, Any]:
    """One source's health from its stored state (``watch_sources`` row) and configuration."""
    name = (row or {}).get("source") or (src.name if src else "?")
    fresh = src.freshness if src else 3 * 86400.0
    out: dict[str, Any] = {
        "source": name,
        "kind": (row or {}).get("kind") or (src.kind if src else None),
        "freshness_hours": round(fresh / 3600, 1),
        "flag": "ok",
        "detail": "",
        "overdue_hours": 0.0,
        "failures": 0,
        "items_last": None,
        "last_attempt": None,
        "last_success": None,
        "last_new": None,
    }
    if not row or row.get("last_attempt") is None:
        out.update(flag="never fetched", detail="no cycle has fetched it yet")
        return out
    last_new = _aware(row.get("last_new"))
    last_success = _aware(row.get("last_success"))
    first = _aware(row.get("first_attempt")) or _aware(row.get("last_attempt"))
    out.update(
        failures=row.get("failures") or 0,
        items_last=row.get("items_last"),
        last_attempt=_aware(row["last_attempt"]).isoformat(timespec="seconds"),
        last_success=last_success.isoformat(timespec="seconds") if last_success else None,
        last_new=last_new.isoformat(timespec="seconds") if last_new else None,
    )
    since = last_new or first
    overdue = (now - since).total_seconds() - fresh if since else 0.0
    out["overdue_hours"] = round(max(0.0, overdue) / 3600, 1)
    history = json.loads(row.get("items_history") or "[]")
    if row.get("last_status") == "error":
        out.update(
            flag="failing",
            detail=f"{out['failures']} failed fetch(es) in a row; last: {row.get('last_error')}",
        )
    elif (
        row.get("last_status") == "ok"
        and row.get("items_last") == 0
        and len(history) >= 2
        and statistics.median(history[:-1]) > 0
    ):
        out.update(
            flag="empty",
            detail=f"the last answer held no items; before, a median of "
            f"{statistics.median(history[:-1]):g} items",
        )
    elif overdue > 0:
        out.update(
            flag="silent",
            detail=f"nothing new since {since:%Y-%m-%d %H:%M} UTC, "
            f"{out['overdue_hours']} h beyond its freshness target of "
            f"{out['freshness_hours']} h",
        )
    else:
        out["detail"] = "fresh"
    return out


def status(store, sources: Sequence[Source] | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Health of every watched source (those configured, and those the store knows), with ledger counts.

    Returns {"sources": [...], "flagged": n, "ledger": {status: count}, "alerts": {state: count}}.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    s, led, al = schema.watch_sources, schema.watch_ledger, schema.alerts
    with store.engine.connect() as conn:
        rows = {r.source: dict(r._mapping) for r in conn.execute(select(s))}
        counts: dict[str, dict[str, int]] = {}
        for src, st, n in conn.execute(
            select(led.c.source, led.c.status, func.count()).group_by(led.c.source, led.c.status)
        ):
            counts.setdefault(src, {})[st] = n
        first = {
            src: t
            for src, t in conn.execute(
                select(led.c.source, func.min(led.c.first_seen)).group_by(led.c.source)
            )
        }
        alerts = {st: n for st, n in conn.execute(select(al.c.state, func.count()).group_by(al.c.state))}
    by_name = {x.name: x for x in (sources or [])}
    names = list(by_name) + [n for n in rows if n not in by_name]
    out = []
    for n in names:
        row = rows.get(n)
        if row is not None:
            row = dict(row, first_attempt=row.get("first_attempt") or first.get(n))
        h = assess(row, by_name.get(n), now)
        h["documents"] = counts.get(n, {})
        out.append(h)
    ledger: dict[str, int] = {}
    for c in counts.values():
        for k, v in c.items():
            ledger[k] = ledger.get(k, 0) + v
    return {
        "checked_at": now.isoformat(timespec="seconds"),
        "sources": out,
        "flagged": sum(1 for h in out if h["flag"] != "ok"),
        "ledger": ledger,
        "alerts": alerts,
    }
