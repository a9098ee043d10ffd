"""Writing events: idempotent upserts with version history.

For each incoming record (a dict keyed by ``schema.EVENT_COLUMNS``):
- unknown id → inserted;
- same id, same content hash → unchanged;
- same id, different content, newer ``timestamp`` (or neither has one) → the stored row moves
  to ``events_history`` and the new version replaces it;
- same id, different content, not newer → the stored version is kept (``older_ignored``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Iterable

from sqlalchemy import Connection, delete, insert, select

from ..ingest.report import ImportReport
from . import schema

# Columns that make an event's content (provenance of the copy we read is not content).
_CONTENT = tuple(c for c in schema.EVENT_COLUMNS
                 if c not in ("content_hash", "import_id", "prov_file", "prov_row", "sources"))
_ID_BATCH = 2000


def content_hash(record: dict[str, Any]) -> str:
    parts = []
    for c in _CONTENT:
        v = record.get(c)
        if v is None or v == "":
            parts.append("")
        elif isinstance(v, float):
            parts.append(repr(round(v, 6)))
        else:
            parts.append(str(v))
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def dumps(value: Any) -> str | None:
    if value in (None, {}, []):
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _newer(new_ts: Any, old_ts: Any) -> bool:
    if new_ts is None and old_ts is None:
        return True
    if new_ts is None or old_ts is None:
        return new_ts is not None
    return int(new_ts) > int(old_ts)


def _existing(conn: Connection, ids: list[str]) -> dict[str, tuple[Any, str]]:
    t = schema.events
    out: dict[str, tuple[Any, str]] = {}
    for i in range(0, len(ids), _ID_BATCH):
        part = ids[i:i + _ID_BATCH]
        for row in conn.execute(select(t.c.event_id_cnty, t.c.timestamp, t.c.content_hash)
                                .where(t.c.event_id_cnty.in_(part))):
            out[row[0]] = (row[1], row[2])
    return out


def move_to_history(conn: Connection, ids: list[str], import_id: int | None) -> None:
    """Copy the stored versions of ``ids`` into events_history and delete them from events."""
    t, h = schema.events, schema.events_history
    now = dt.datetime.now(dt.timezone.utc)
    cols = [c for c in schema.EVENT_COLUMNS]
    for i in range(0, len(ids), _ID_BATCH):
        part = ids[i:i + _ID_BATCH]
        sel = select(*[t.c[c] for c in cols]).where(t.c.event_id_cnty.in_(part))
        old = [dict(r._mapping) for r in conn.execute(sel)]
        for r in old:
            r["replaced_at"] = now
            r["replaced_by_import"] = import_id
        if old:
            conn.execute(insert(h), old)
        conn.execute(delete(t).where(t.c.event_id_cnty.in_(part)))


def upsert(conn: Connection, records: list[dict[str, Any]], report: ImportReport, import_id: int | None) -> None:
    """Write one batch of records (ids unique within the batch)."""
    if not records:
        return
    for r in records:
        r["content_hash"] = content_hash(r)
        r["import_id"] = import_id
    stored = _existing(conn, [r["event_id_cnty"] for r in records])
    fresh: list[dict[str, Any]] = []
    replace: list[dict[str, Any]] = []
    for r in records:
        old = stored.get(r["event_id_cnty"])
        if old is None:
            fresh.append(r)
        elif old[1] == r["content_hash"]:
            report.unchanged += 1
        elif _newer(r.get("timestamp"), old[0]):
            replace.append(r)
        else:
            report.older_ignored += 1
    if replace:
        move_to_history(conn, [r["event_id_cnty"] for r in replace], import_id)
    rows = fresh + replace
    if rows:
        keys = schema.EVENT_COLUMNS
        conn.execute(insert(schema.events), [{k: r.get(k) for k in keys} for r in rows])
    report.inserted += len(fresh)
    report.updated += len(replace)


def records_from_events(events: Iterable[Any], dataset: str | None = None) -> Iterable[dict[str, Any]]:
    """Turn ``model.Event`` objects into store records."""
    from ..model import ACLED_COLUMNS

    for ev in events:
        rec = {c: getattr(ev, c) for c in ACLED_COLUMNS}
        p = ev.provenance
        rec.update(
            dataset=dataset or p.dataset or "manual",
            date_end=ev.date_end, wounded=ev.wounded,
            prov_file=p.file, prov_row=p.row, document_id=p.document_id, sentence=p.sentence,
            char_start=p.char_start, char_end=p.char_end, coding_method=p.method, confidence=p.confidence,
            sources=dumps([_prov_dict(s) for s in ev.sources]), extra=dumps(ev.extra),
        )
        yield rec


def _prov_dict(p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: v for k, v in asdict(p).items() if v is not None}
