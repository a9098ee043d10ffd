"""An integrity check of a store: what `kill -9` at any moment must never leave behind (issue 16).

    from sahelwatch.store.integrity import check_integrity
    problems = check_integrity(store)        # [] when the store is whole

Checked: every event is complete (id, date, type, dataset, country, fatalities, year) and its
content hash matches its content (no torn or half-updated row); ids are unique; every event and every
history version belongs to a finished import; every history version's event is still stored (a
replaced event has a newer version); no import was left unfinished; rejections belong to imports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from . import schema, writer

__all__ = ["check_integrity"]

_REQUIRED = ("event_id_cnty", "event_date", "event_type", "dataset", "country", "fatalities", "year")


def check_integrity(store: Any, *, limit: int = 20) -> list[str]:
    """Problems found (at most ``limit`` examples per kind); an empty list means the store is whole."""
    t, h, imp, rej = schema.events, schema.events_history, schema.imports, schema.rejections
    problems: list[str] = []
    with store.engine.connect() as conn:
        finished = {r[0] for r in conn.execute(select(imp.c.import_id).where(imp.c.finished_at.is_not(None)))}
        unfinished = [r[0] for r in conn.execute(select(imp.c.import_id).where(imp.c.finished_at.is_(None)))]
        if unfinished:
            problems.append(f"{len(unfinished)} imports never finished (ids {unfinished[:limit]})")
        n, distinct = conn.execute(select(func.count(), func.count(func.distinct(t.c.event_id_cnty)))).one()
        if n != distinct:
            problems.append(f"{n - distinct} duplicated event ids")
        cols = [t.c[c] for c in schema.EVENT_COLUMNS]
        bad_hash: list[str] = []
        incomplete: list[str] = []
        orphan: list[str] = []
        stored_ids: set[str] = set()
        for row in conn.execute(select(*cols)):
            rec = dict(zip(schema.EVENT_COLUMNS, row))
            stored_ids.add(rec["event_id_cnty"])
            missing = [c for c in _REQUIRED if rec.get(c) in (None, "")]
            if missing:
                incomplete.append(f"{rec['event_id_cnty']} (no {', '.join(missing)})")
            if rec["content_hash"] != writer.content_hash(rec):
                bad_hash.append(str(rec["event_id_cnty"]))
            if rec["import_id"] is not None and rec["import_id"] not in finished:
                orphan.append(str(rec["event_id_cnty"]))
        if incomplete:
            problems.append(f"{len(incomplete)} incomplete events: {incomplete[:limit]}")
        if bad_hash:
            problems.append(
                f"{len(bad_hash)} events whose content does not match their hash: {bad_hash[:limit]}"
            )
        if orphan:
            problems.append(
                f"{len(orphan)} events written by an unfinished or unknown import: {orphan[:limit]}"
            )
        lost: list[str] = []
        for eid, by in conn.execute(select(h.c.event_id_cnty, h.c.replaced_by_import)):
            if eid not in stored_ids:
                lost.append(eid)
            if by is not None and by not in finished:
                problems.append(f"history version of {eid} replaced by unfinished import {by}")
        if lost:
            problems.append(f"{len(lost)} history versions of events no longer stored: {lost[:limit]}")
        stray = (
            conn.execute(
                select(func.count()).select_from(rej).where(rej.c.import_id.not_in(finished))
            ).scalar_one()
            if finished
            else conn.execute(select(func.count()).select_from(rej)).scalar_one()
        )
        if stray:
            problems.append(f"{stray} rejections of unfinished or unknown imports")
    return problems
