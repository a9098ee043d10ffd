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
import operator
import sqlite3
from typing import Any, Iterable

from sqlalchemy import Connection, delete, insert, select

from ..model import ACLED_COLUMNS
from ..reports import ImportReport
from . import schema

# Columns that make an event's content (provenance of the copy we read is not content).
BASE_COLUMNS = _BASE = schema.EVENT_COLUMNS[:-2]  # all but content_hash, import_id (the last two)
assert schema.EVENT_COLUMNS[-2:] == ("content_hash", "import_id")
_CONTENT_IDX = [i for i, c in enumerate(_BASE) if c not in ("prov_file", "prov_row", "sources")]
_content = operator.itemgetter(*_CONTENT_IDX)
_ID_BATCH = 2000

# SQLite stores our dates as ISO strings (what SQLAlchemy's Date type writes and reads back). The adapter does
# it inside the driver's executemany instead of a Python loop over every row (exact type: datetimes untouched).
sqlite3.register_adapter(dt.date, dt.date.isoformat)

# Bulk loads into an empty events table (EventStore.importing): the ids written so far by this import, so a
# batch looks up only ids it may already have written instead of querying the table for every id.
_BULK: dict[int, set[str]] = {}


def begin_bulk(import_id: int) -> None:
    _BULK[import_id] = set()


def end_bulk(import_id: int) -> None:
    _BULK.pop(import_id, None)


def _digest(base_row: tuple) -> str:
    return hashlib.blake2b(repr(_content(base_row)).encode("utf-8"), digest_size=16).hexdigest()


def content_hash(record: dict[str, Any]) -> str:
    """A digest of what the event says (not of where the copy was read from). Empty strings
    count as missing; dates are ``datetime.date``."""
    return _digest(tuple(None if (v := record.get(c)) == "" else v for c in _BASE))


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
        part = ids[i : i + _ID_BATCH]
        for row in conn.execute(
            select(t.c.event_id_cnty, t.c.timestamp, t.c.content_hash).where(t.c.event_id_cnty.in_(part))
        ):
            out[row[0]] = (row[1], row[2])
    return out


def move_to_history(conn: Connection, ids: list[str], import_id: int | None) -> None:
    """Copy the stored versions of ``ids`` into events_history and delete them from events."""
    t, h = schema.events, schema.events_history
    now = dt.datetime.now(dt.timezone.utc)
    cols = [c for c in schema.EVENT_COLUMNS]
    for i in range(0, len(ids), _ID_BATCH):
        part = ids[i : i + _ID_BATCH]
        sel = select(*[t.c[c] for c in cols]).where(t.c.event_id_cnty.in_(part))
        old = [dict(r._mapping) for r in conn.execute(sel)]
        for r in old:
            r["replaced_at"] = now
            r["replaced_by_import"] = import_id
        if old:
            conn.execute(insert(h), old)
        conn.execute(delete(t).where(t.c.event_id_cnty.in_(part)))


def upsert(
    conn: Connection, records: list[dict[str, Any]], report: ImportReport, import_id: int | None
) -> None:
    """Write one batch of records (dicts; ids unique within the batch; empty strings already None)."""
    upsert_rows(conn, [tuple(map(r.get, _BASE)) for r in records], report, import_id)


def upsert_rows(conn: Connection, rows: list[tuple], report: ImportReport, import_id: int | None) -> None:
    """Write one batch of rows in ``BASE_COLUMNS`` order (ids unique within the batch)."""
    if not rows:
        return
    hashes = [_digest(t) for t in rows]
    ids = [t[0] for t in rows]
    written = _BULK.get(import_id) if import_id is not None else None
    if written is not None:  # the table was empty when this import began: only our own ids can be there
        stored = _existing(conn, [i for i in ids if i in written]) if written else {}
        written.update(ids)
    else:
        stored = _existing(conn, ids)
    fresh: list[tuple] = []
    replace: list[tuple] = []
    ts_idx = _BASE.index("timestamp")
    for t, h in zip(rows, hashes):
        old = stored.get(t[0])
        full = t + (h, import_id)
        if old is None:
            fresh.append(full)
        elif old[1] == h:
            report.unchanged += 1
        elif _newer(t[ts_idx], old[0]):
            replace.append(full)
        else:
            report.older_ignored += 1
    if replace:
        move_to_history(conn, [t[0] for t in replace], import_id)
    if fresh or replace:
        insert_rows(conn, fresh + replace)
    report.inserted += len(fresh)
    report.updated += len(replace)


def insert_rows(conn: Connection, rows: list[tuple]) -> None:
    """Bulk insert of full rows (in ``schema.EVENT_COLUMNS`` order) straight through the driver:
    SQLAlchemy's per-row parameter processing costs more than the database's own insert.

    PostgreSQL: ``COPY events (...) FROM STDIN`` (psycopg 3, binary-free text protocol, inside the caller's
    transaction). SQLite: one prepared statement, executemany (dates adapted by the driver)."""
    if not rows:
        return
    keys = schema.EVENT_COLUMNS
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None  # an open connection has its driver connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY events ({', '.join(keys)}) FROM STDIN") as cp:
                for t in rows:
                    cp.write_row(t)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO events ({', '.join(keys)}) VALUES ({', '.join([mark] * len(keys))})"
    conn.exec_driver_sql(sql, rows)


def records_from_events(events: Iterable[Any], dataset: str | None = None) -> Iterable[dict[str, Any]]:
    """Turn ``model.Event`` objects into store records."""
    for ev in events:
        rec = {c: (None if (v := getattr(ev, c)) == "" else v) for c in ACLED_COLUMNS}
        p = ev.provenance
        rec.update(
            dataset=dataset or p.dataset or "manual",
            date_end=ev.date_end,
            wounded=ev.wounded,
            prov_file=p.file,
            prov_row=p.row,
            document_id=p.document_id,
            sentence=p.sentence,
            char_start=p.char_start,
            char_end=p.char_end,
            coding_method=p.method,
            confidence=p.confidence,
            sources=dumps([_prov_dict(s) for s in ev.sources]),
            extra=dumps(ev.extra),
        )
        yield rec


def _prov_dict(p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: v for k, v in asdict(p).items() if v is not None}
