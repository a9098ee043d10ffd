"""One watch cycle: fetch the due sources, record every document in the ledger, extract what is new, merge
its events into the store, evaluate the alert rules, deliver.

Crash safety (a cycle killed at any point resumes without loss or duplicates):

1. per source, one transaction writes the new ledger rows (status ``pending``, the document kept as JSON) and
   the source's new validators (ETag, Last-Modified, cursor): killed before it commits, the next cycle fetches
   the same items again unconditionally; after it, the items wait in the ledger;
2. per pending document, one transaction writes the document, its events (merged, ``store.merge``), its claims
   and the ledger status ``done``: killed in between, nothing of that document is stored and it is redone;
3. alerts have ids made of rule, place and week, so evaluating twice stores nothing twice; deliveries are marked
   per channel only after the channel accepted them.

A second run with nothing new changes nothing (the ledger knows every key and content hash).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import insert, select, update

from ..ingest.acled import import_acled_rows
from ..ingest.rows import import_mapped_csv
from ..ingest.ucdp import is_ucdp_header, map_ucdp_row
from ..store import schema, writer
from ..store.merge import merge_events
from . import alerting, health
from .config import Source, WatchConfig
from .sources import Fetched, Item, document_from_json, document_to_json, fetch

log = logging.getLogger(__name__)


@dataclass
class SourceResult:
    source: str
    fetched: int = 0
    new: int = 0
    not_modified: bool = False
    skipped: bool = False  # not due yet
    error: str | None = None
    messages: list[str] = field(default_factory=list)


@dataclass
class CycleReport:
    started: str
    sources: list[SourceResult] = field(default_factory=list)
    documents_new: int = 0  # new ledger entries this cycle
    documents_processed: int = 0  # extracted and stored (including those left pending by an earlier cycle)
    documents_failed: int = 0
    events_new: int = 0
    events_merged: int = 0
    claims_new: int = 0
    rows_imported: int = 0  # ACLED / UCDP rows
    events_deleted: int = 0  # ACLED deletions carried through
    alerts_new: int = 0
    alerts_suppressed: int = 0
    alerts: list[dict] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    health: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _state(conn, name: str) -> dict[str, Any]:
    s = schema.watch_sources
    row = conn.execute(select(s).where(s.c.source == name)).first()
    return dict(row._mapping) if row else {}


def _due(state: dict, src: Source, now: dt.datetime) -> bool:
    last = state.get("last_attempt")
    if last is None:
        return True
    last = last if last.tzinfo else last.replace(tzinfo=dt.timezone.utc)
    return (now - last).total_seconds() >= src.interval


def _save_fetch(store, src: Source, got: Fetched, now: dt.datetime) -> SourceResult:
    """Ledger rows for the new items + the source's state, in one transaction."""
    res = SourceResult(
        src.name,
        fetched=len(got.items),
        not_modified=got.not_modified,
        error=got.error,
        messages=list(got.messages),
    )
    s, led = schema.watch_sources, schema.watch_ledger
    with store.engine.begin() as conn:
        st = _state(conn, src.name)
        for it in got.items:
            hit = conn.execute(
                select(led.c.ledger_id).where(
                    led.c.source == src.name, led.c.doc_key == it.key, led.c.content_hash == it.content_hash
                )
            ).first()
            if hit:
                continue
            status, payload, err = "pending", _payload(it), None
            if it.kind == "failed":
                status, payload, err = "failed", None, it.payload["error"]
            conn.execute(
                insert(led).values(
                    source=src.name,
                    doc_key=it.key,
                    url=it.url,
                    content_hash=it.content_hash,
                    status=status,
                    payload=payload,
                    error=err,
                    first_seen=now,
                    updated_at=now,
                )
            )
            res.new += status == "pending"
        values: dict[str, Any] = {"kind": src.kind, "last_attempt": now}
        if got.error:
            values.update(last_status="error", last_error=got.error, failures=(st.get("failures") or 0) + 1)
        else:
            values.update(last_status="ok", last_error=None, failures=0, last_success=now)
            values.update({k: v for k, v in got.state.items() if k in ("etag", "last_modified", "cursor")})
            if not got.not_modified:
                hist = (json.loads(st.get("items_history") or "[]") + [len(got.items)])[-20:]
                values.update(items_last=len(got.items), items_history=json.dumps(hist))
            if res.new:
                values["last_new"] = now
        if st:
            conn.execute(update(s).where(s.c.source == src.name).values(**values))
        else:
            conn.execute(insert(s).values(source=src.name, first_attempt=now, **values))
    return res


def _payload(it: Item) -> str:
    if it.kind == "document":
        return json.dumps({"kind": "document", "document": json.loads(document_to_json(it.document))})
    return json.dumps({"kind": it.kind, **it.payload}, default=str)


class _Pipelines:
    """One extraction pipeline per country focus, loaded on first use (loading spaCy takes seconds)."""

    def __init__(self, model: str | None, factory: Callable | None = None):
        self.model, self.factory, self.cache = model, factory, {}

    def get(self, country: str | None, lang: str | None):
        key = (country, lang or "en")
        if key not in self.cache:
            if self.factory is not None:
                self.cache[key] = self.factory(country=country, lang=lang or "en")
            else:  # lazy: start-up (loading spaCy costs seconds that `status` and ACLED-only watches need not pay)
                from ..extract.pipeline import Pipeline

                self.cache[key] = Pipeline.load(self.model, lang=lang or "en", country_focus=country)
        return self.cache[key]


def _store_document(conn, doc) -> None:
    d = schema.documents
    if conn.execute(select(d.c.document_id).where(d.c.document_id == doc.id)).first():
        return
    conn.execute(
        insert(d).values(
            document_id=doc.id,
            title=doc.title,
            url=doc.url,
            path=doc.path,
            published=doc.published,
            language=doc.language,
            bylines=writer.dumps(list(doc.bylines)),
            source=doc.source,
            text=doc.text,
            meta=writer.dumps(doc.meta),
            added_at=_now(),
        )
    )


def _store_claims(conn, claims) -> int:
    c = schema.claims
    n = 0
    for cl in claims:
        if conn.execute(select(c.c.claim_id).where(c.c.claim_id == cl.claim_id)).first():
            continue
        p = cl.provenance
        conn.execute(
            insert(c).values(
                claim_id=cl.claim_id,
                kind=cl.kind,
                subject=cl.subject,
                object=cl.object,
                value=cl.value,
                value_text=cl.value_text,
                qualifier=cl.qualifier,
                stated_by=cl.stated_by,
                date=cl.date,
                country=cl.country,
                text=cl.text,
                document_id=p.document_id,
                char_start=p.char_start,
                char_end=p.char_end,
                coding_method=p.method,
                confidence=p.confidence,
            )
        )
        n += 1
    return n


def process_pending(
    store,
    cfg: WatchConfig,
    report: CycleReport,
    pipelines: _Pipelines,
    on_document: Callable[[int], None] | None = None,
) -> None:
    """Extract and store every pending ledger entry, one transaction each (oldest first)."""
    led = schema.watch_ledger
    by_name = {s.name: s for s in cfg.sources}
    with store.engine.connect() as conn:
        pending = conn.execute(
            select(led.c.ledger_id, led.c.source, led.c.payload)
            .where(led.c.status == "pending")
            .order_by(led.c.ledger_id)
        ).all()
    for ledger_id, source, payload in pending:
        src = by_name.get(source)
        body = json.loads(payload)
        try:
            if body["kind"] == "document":
                _process_document(store, ledger_id, body, src, cfg, report, pipelines)
            elif body["kind"] == "acled":
                _process_acled(store, ledger_id, body, report)
            elif body["kind"] == "ucdp":
                _process_ucdp(store, ledger_id, body, report)
            report.documents_processed += 1
        except Exception as exc:  # noqa: BLE001 - one bad document is recorded and the cycle goes on
            log.exception("ledger %s failed", ledger_id)
            with store.engine.begin() as conn:
                conn.execute(
                    update(led)
                    .where(led.c.ledger_id == ledger_id)
                    .values(status="failed", error=f"{type(exc).__name__}: {exc}"[:2000], updated_at=_now())
                )
            report.documents_failed += 1
        if on_document is not None:
            on_document(ledger_id)
        if cfg.pause:
            time.sleep(cfg.pause)


def _process_document(store, ledger_id, body, src, cfg, report, pipelines) -> None:
    led = schema.watch_ledger
    doc = document_from_json(json.dumps(body["document"]))
    country = (src.country if src else None) or cfg.country
    result = pipelines.get(country, None).extract(doc)
    with store.engine.begin() as conn:  # one document = one transaction
        _store_document(conn, doc)
        rep = merge_events(conn, result.events, dataset="extract")
        claims = _store_claims(conn, result.claims)
        conn.execute(
            update(led)
            .where(led.c.ledger_id == ledger_id)
            .values(
                status="done",
                document_id=doc.id,
                payload=None,
                events_new=rep.inserted,
                events_merged=rep.merged,
                error="; ".join(result.messages + rep.problems)[:2000] or None,
                updated_at=_now(),
            )
        )
    report.events_new += rep.inserted
    report.events_merged += rep.merged
    report.claims_new += claims


def _process_acled(store, ledger_id, body, report) -> None:
    led = schema.watch_ledger
    rep = import_acled_rows(store, body["rows"], source="ACLED API (watch)") if body["rows"] else None
    deleted = [d["event_id_cnty"] for d in body.get("deleted", [])]
    with store.engine.begin() as conn:
        t = schema.events
        present = (
            [r[0] for r in conn.execute(select(t.c.event_id_cnty).where(t.c.event_id_cnty.in_(deleted)))]
            if deleted
            else []
        )
        if (
            present
        ):  # ACLED deleted them: they leave the events table, their last version stays in the history
            writer.move_to_history(conn, present, None)
        conn.execute(
            update(led)
            .where(led.c.ledger_id == ledger_id)
            .values(
                status="done",
                payload=None,
                events_new=(rep.inserted + rep.updated) if rep else 0,
                events_merged=0,
                error=f"{len(present)} deleted by ACLED" if present else None,
                updated_at=_now(),
            )
        )
    report.rows_imported += (rep.inserted + rep.updated) if rep else 0
    report.events_deleted += len(present)


def _process_ucdp(store, ledger_id, body, report) -> None:
    led = schema.watch_ledger
    rep = import_mapped_csv(store, body["path"], map_ucdp_row, dataset="ucdp", check_header=is_ucdp_header)
    with store.engine.begin() as conn:
        conn.execute(
            update(led)
            .where(led.c.ledger_id == ledger_id)
            .values(
                status="done",
                payload=None,
                events_new=rep.inserted + rep.updated,
                events_merged=0,
                error=f"{rep.rejected} rows rejected" if rep.rejected else None,
                updated_at=_now(),
            )
        )
    report.rows_imported += rep.inserted + rep.updated


def run_cycle(
    store,
    cfg: WatchConfig,
    *,
    force: bool = True,
    now: dt.datetime | None = None,
    deliver: bool | None = None,
    pipeline_factory: Callable | None = None,
    on_document: Callable[[int], None] | None = None,
    alert_week=None,
) -> CycleReport:
    """One cycle. ``force`` fetches every source (``--once``); otherwise only the sources whose interval has
    passed. ``deliver`` overrides the configuration's dry-run setting."""
    t0 = time.perf_counter()
    now = now or _now()
    report = CycleReport(started=now.isoformat(timespec="seconds"))
    with store.engine.connect() as conn:
        states = {s.name: _state(conn, s.name) for s in cfg.sources}
    for src in cfg.sources:
        if not force and not _due(states[src.name], src, now):
            report.sources.append(SourceResult(src.name, skipped=True))
            continue
        got = fetch(src, states[src.name])
        res = _save_fetch(store, src, got, now)
        report.documents_new += res.new
        report.sources.append(res)
    process_pending(store, cfg, report, _Pipelines(cfg.model, pipeline_factory), on_document)
    # alerts: the rules over the stored events, plus the sources' own health
    rules = alerting.load_rules(cfg.rules)
    st = health.status(store, cfg.sources, now=now)
    report.health = st["sources"]
    events = store.events()
    cands = alerting.evaluate(
        events,
        rules,
        alert_week if len(events) else (alert_week or now.date()),
        unit=cfg.unit,
        health=st["sources"],
        today=now.date(),
    )
    new, suppressed = alerting.record(store, cands, rules)
    report.alerts_new, report.alerts_suppressed = len(new), suppressed
    report.alerts = [a.to_json() for a in new]
    dry = not (cfg.deliver if deliver is None else deliver)
    report.deliveries = [d.__dict__ for d in alerting.deliver(store, cfg.channels, dry_run=dry)]
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def run_forever(
    store,
    cfg: WatchConfig,
    *,
    tick: float = 30.0,
    on_cycle: Callable[[CycleReport], None] | None = None,
    stop: Callable[[], bool] = lambda: False,
    **kw,
) -> None:
    """Cycles until ``stop()`` is true (Ctrl-C ends it between two documents, safely)."""
    while not stop():
        rep = run_cycle(store, cfg, force=False, **kw)
        if on_cycle:
            on_cycle(rep)
        due = min(s.interval for s in cfg.sources)
        slept = 0.0
        while slept < min(tick, due) and not stop():
            time.sleep(1.0)
            slept += 1.0


__all__ = ["run_cycle", "run_forever", "CycleReport", "SourceResult", "process_pending"]
