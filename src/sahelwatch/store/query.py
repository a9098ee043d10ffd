"""Queries behind the web API: keyset pages, aggregates, the store as it was (``as_of``), the change feed,
documents, and API tokens. SQLAlchemy Core only: every value reaches the database as a bound parameter.

The filters are the store's own (``EventStore._where``), so the CLI, the Python API and the web API select
the same events for the same filters.

Versions and time. Each stored version of an event (a row of ``events`` or of ``events_history``) was
written by an import; it became visible when that import started and, for a history row, stopped being
visible when the import that replaced it started. So the store *as of* T is: current rows whose import
started at or before T, plus history rows whose import started at or before T and whose replacing import
started after T.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from sqlalchemy import (
    Column,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import visitors

from ..errors import InputError
from . import schema
from .. import taxonomy

__all__ = [
    "Page",
    "page",
    "aggregate",
    "changes",
    "store_state",
    "event_detail",
    "create_token",
    "verify_token",
    "list_tokens",
    "revoke_token",
    "MAX_PAGE",
    "GROUPS",
]

MAX_PAGE = 10_000

#: Columns a list returns by default (ACLED's, with provenance; no raw ``extra`` or content hash).
LIST_COLUMNS: tuple[str, ...] = tuple(c for c in schema.EVENT_COLUMNS if c not in ("content_hash", "extra"))

#: What /api/aggregates can group by.
GROUPS = (
    "priogrid",
    "h3-4",
    "h3-5",
    "h3-6",
    "country",
    "admin1",
    "admin2",
    "week",
    "month",
    "year",
    "actor",
    "event_type",
    "sub_event_type",
)


# ---------------------------------------------------------------------------------------- time
def as_timestamp(value: str | dt.datetime | None, name: str) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 text (a date alone means its midnight, UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        ts = value
    else:
        try:
            ts = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                f"{name}={value!r}: expected an ISO 8601 time such as 2024-05-01 or 2024-05-01T12:00:00Z"
            ) from None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.timezone.utc)
    return ts.astimezone(dt.timezone.utc)


def _naive_if_sqlite(ts: dt.datetime, dialect: str) -> Any:
    # SQLite keeps DateTime as text without an offset (what the writer stored: UTC)
    return ts.replace(tzinfo=None) if dialect == "sqlite" else ts


# ---------------------------------------------------------------------------------------- sources
def _on(table, cond):
    """The store's filter conditions (written against ``events``) rewritten for another table with the
    same column names (``events_history`` or a subquery)."""
    if table is schema.events:
        return cond

    def repl(el: Any) -> Any:
        if isinstance(el, Column) and el.table is schema.events:
            return table.c[el.name]
        return None

    opts: dict[str, Any] = {}
    return [visitors.replacement_traverse(c, opts, repl) for c in cond]  # type: ignore[call-overload]


def versions_at(conditions: list, as_of: dt.datetime | None, dialect: str, columns: Sequence[str]):
    """A selectable of the events matching ``conditions`` as the store held them at ``as_of`` (now if None)."""
    t = schema.events
    if as_of is None:
        return select(*[t.c[c] for c in columns]).where(*conditions).subquery("ev")
    ts = _naive_if_sqlite(as_of, dialect)
    h, imp, rep = schema.events_history, schema.imports.alias("imp"), schema.imports.alias("rep")
    cur = (
        select(*[t.c[c] for c in columns])
        .select_from(t.outerjoin(imp, imp.c.import_id == t.c.import_id))
        .where(*conditions, or_(imp.c.started_at.is_(None), imp.c.started_at <= ts))
    )
    imp2 = schema.imports.alias("imp2")
    ended = func.coalesce(rep.c.started_at, h.c.replaced_at)
    old = (
        select(*[h.c[c] for c in columns])
        .select_from(
            h.outerjoin(imp2, imp2.c.import_id == h.c.import_id).outerjoin(
                rep, rep.c.import_id == h.c.replaced_by_import
            )
        )
        .where(*_on(h, conditions), or_(imp2.c.started_at.is_(None), imp2.c.started_at <= ts), ended > ts)
    )
    return union_all(cur, old).subquery("ev")


# ---------------------------------------------------------------------------------------- pages
@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None
    total_fatalities: int | None = None


def encode_cursor(date: Any, event_id: str) -> str:
    raw = json.dumps([str(date), event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        d, i = json.loads(raw)
        return dt.date.fromisoformat(d), str(i)
    except Exception:
        raise InputError(
            f"cursor={cursor[:40]!r}: not a cursor this server gave (use the `next` link)"
        ) from None


def _dialect(engine) -> str:
    return engine.dialect.name


def page(
    store,
    filters: dict[str, Any],
    *,
    limit: int = 100,
    cursor: str | None = None,
    as_of: dt.datetime | None = None,
    with_total: bool = False,
    columns: Sequence[str] = LIST_COLUMNS,
) -> Page:
    """One keyset page of events ordered by (event_date, event_id_cnty), and the cursor of the next."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit={limit}: must be between 1 and {MAX_PAGE}")
    cols = list(dict.fromkeys(["event_date", "event_id_cnty", *columns]))
    cond = store._where(**filters)
    dialect = _dialect(store.engine)
    ev = versions_at(cond, as_of, dialect, cols)
    q = select(*[ev.c[c] for c in cols])
    if cursor:
        d, i = decode_cursor(cursor)
        # the first conjunct is a plain range on event_date, so both databases walk the date index from there
        q = q.where(ev.c.event_date >= d, or_(ev.c.event_date > d, ev.c.event_id_cnty > i))
    q = q.order_by(ev.c.event_date, ev.c.event_id_cnty).limit(limit + 1)
    with store.engine.connect() as conn:
        res = conn.execute(q)
        keys = list(res.keys())
        rows = [dict(zip(keys, r)) for r in res.all()]
        total = fat = None
        if with_total:
            ev2 = versions_at(cond, as_of, dialect, ["fatalities"])
            total, fat = conn.execute(
                select(func.count(), func.coalesce(func.sum(ev2.c.fatalities), 0))
            ).one()
            total, fat = int(total), int(fat)
    nxt = None
    if len(rows) > limit:
        rows = rows[:limit]
        nxt = encode_cursor(rows[-1]["event_date"], rows[-1]["event_id_cnty"])
    return Page(rows, nxt, total, fat)


def sql_page(store, filters: dict[str, Any], limit: int, columns: Sequence[str] = LIST_COLUMNS):
    """The bare SQL of one page (no API around it): the benchmark's baseline."""
    t = schema.events
    q = (
        select(*[t.c[c] for c in columns])
        .where(*store._where(**filters))
        .order_by(t.c.event_date, t.c.event_id_cnty)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return conn.execute(q).all()


# ---------------------------------------------------------------------------------------- aggregates
def _priogrid_sql(ev, dialect: str):
    # gid = row*720 + col + 1 with row = floor((lat+90)*2), col = floor((lon+180)*2); both shifted values are
    # non-negative, so truncation is floor on SQLite (CAST); PostgreSQL's CAST rounds, so floor() there.
    def fl(x):
        return func.floor(x) if dialect == "postgresql" else x

    row = cast(fl((ev.c.latitude + 90.0) * 2.0), Integer)
    col = cast(fl((ev.c.longitude + 180.0) * 2.0), Integer)
    ok = and_(
        ev.c.latitude.isnot(None),
        ev.c.longitude.isnot(None),
        ev.c.latitude >= -90,
        ev.c.latitude < 90,
        ev.c.longitude >= -180,
        ev.c.longitude < 180,
    )
    return case((ok, row * 720 + col + 1), else_=null())


def _period_sql(ev, period: str, dialect: str):
    d = ev.c.event_date
    if dialect == "postgresql":
        if period == "month":
            return func.to_char(d, "YYYY-MM")
        if period == "year":
            return func.to_char(d, "YYYY")
        # ACLED weeks run Saturday to Friday: the week starts (dow + 1) % 7 days before
        return func.to_char(d - cast((cast(func.extract("dow", d), Integer) + 1) % 7, Integer), "YYYY-MM-DD")
    if period == "month":
        return func.strftime("%Y-%m", d)
    if period == "year":
        return func.strftime("%Y", d)
    shift = (cast(func.strftime("%w", d), Integer) + 1) % 7
    return func.date(d, literal("-") + cast(shift, String) + literal(" days"))


def _group_expr(ev, g: str, dialect: str):
    if g == "priogrid":
        return _priogrid_sql(ev, dialect)
    if g in ("week", "month", "year"):
        return _period_sql(ev, g, dialect)
    if g == "actor":
        return ev.c.actor1
    if g == "admin1":
        return ev.c.admin1
    if g == "admin2":
        return ev.c.admin2
    return ev.c[g]


def aggregate(
    store,
    filters: dict[str, Any],
    by: Sequence[str],
    *,
    as_of: dt.datetime | None = None,
    actor_side: str = "actor1",
) -> dict[str, Any]:
    """Counts and fatalities grouped by ``by`` (see GROUPS). Every matching event falls in exactly one
    group (a missing key is a null group), so the groups sum to the totals of /api/events."""
    by = list(dict.fromkeys(by))
    if not by:
        raise InputError(f"by: give at least one of {', '.join(GROUPS)}")
    for g in by:
        if g not in GROUPS:
            raise InputError(f"by={g!r}: unknown grouping; use {', '.join(GROUPS)}")
    dialect = _dialect(store.engine)
    cond = store._where(**filters)
    need = [
        "event_date",
        "fatalities",
        "latitude",
        "longitude",
        "country",
        "admin1",
        "admin2",
        "actor1",
        "event_type",
        "sub_event_type",
    ]
    ev = versions_at(cond, as_of, dialect, need)
    h3_res = [int(g.split("-")[1]) for g in by if g.startswith("h3-")]
    sql_keys, labels = [], []
    for g in by:
        if g.startswith("h3-"):
            continue
        sql_keys.append(_group_expr(ev, g, dialect).label(g.replace("-", "_")))
        labels.append(g)
    if h3_res:  # H3 is computed in Python from the coordinates, grouped exactly in SQL first
        sql_keys += [ev.c.latitude.label("_lat"), ev.c.longitude.label("_lon")]
    q = select(
        *sql_keys, func.count().label("events"), func.coalesce(func.sum(ev.c.fatalities), 0).label("fat")
    )
    if sql_keys:
        q = q.group_by(*sql_keys)
        if not h3_res:
            q = q.order_by(*sql_keys)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    pcodes = _pcodes() if ("admin1" in by or "admin2" in by) else {}
    out: list[dict[str, Any]] = []
    if h3_res:
        import h3

        groups: dict[tuple, list[int]] = {}
        nk = len(labels)
        for r in rows:
            lat, lon = r[nk], r[nk + 1]
            cells = iter(
                [
                    h3.latlng_to_cell(lat, lon, res) if lat is not None and lon is not None else None
                    for res in h3_res
                ]
            )
            plain = iter(r[:nk])
            key = tuple(next(cells) if g.startswith("h3-") else next(plain) for g in by)
            acc = groups.setdefault(key, [0, 0])
            acc[0] += int(r[-2])
            acc[1] += int(r[-1])
        items = sorted(groups.items(), key=lambda kv: tuple("" if v is None else str(v) for v in kv[0]))
        out = [{**dict(zip(by, k)), "events": n, "fatalities": f} for k, (n, f) in items]
    else:
        nk = len(labels)
        out = [
            {**dict(zip(labels, r[:nk])), "events": int(r[nk]), "fatalities": int(r[nk + 1])} for r in rows
        ]
    if pcodes:
        for rec in out:
            if "admin1" in by:
                rec["admin1_pcode"] = pcodes.get((rec.get("admin1"), None))
            if "admin2" in by:
                rec["admin2_pcode"] = pcodes.get(
                    (rec.get("admin1"), rec.get("admin2")) if "admin1" in by else (None, rec.get("admin2"))
                )
    return {
        "by": by,
        "groups": out,
        "events": sum(r["events"] for r in out),
        "fatalities": sum(r["fatalities"] for r in out),
    }


def sql_aggregate_cell_month(store, filters: dict[str, Any]):
    """The bare SQL of an aggregate by PRIO-GRID cell and month (the benchmark's baseline)."""
    t = schema.events
    dialect = _dialect(store.engine)
    ev = (
        select(t.c.event_date, t.c.latitude, t.c.longitude, t.c.fatalities)
        .where(*store._where(**filters))
        .subquery("ev")
    )
    keys = [_priogrid_sql(ev, dialect).label("priogrid"), _period_sql(ev, "month", dialect).label("month")]
    q = select(*keys, func.count(), func.coalesce(func.sum(ev.c.fatalities), 0)).group_by(*keys)
    with store.engine.connect() as conn:
        return conn.execute(q).all()


_PCODES: dict | None = None


def _pcodes() -> dict[tuple[str | None, str | None], str]:
    """(admin1, None) and (admin1, admin2) → OCHA p-code, from the shipped gazetteer's admin table."""
    global _PCODES
    if _PCODES is None:
        import csv
        from importlib import resources

        out: dict[tuple[str | None, str | None], str] = {}
        path = resources.files("sahelwatch.data").joinpath("gazetteer/admins.tsv")
        with path.open("r", encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                if not r.get("pcode"):
                    continue
                if r["level"] == "1":
                    out[(r["name"], None)] = r["pcode"]
                elif r["level"] == "2":
                    out[(r["admin1"], r["name"])] = r["pcode"]
                    out.setdefault((None, r["name"]), r["pcode"])
        _PCODES = out
    return _PCODES


# ---------------------------------------------------------------------------------------- changes
def changes(
    store, since: dt.datetime, *, limit: int = 1000, filters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Events created, updated and removed after ``since`` (import start times), from the history."""
    dialect = _dialect(store.engine)
    ts = _naive_if_sqlite(since, dialect)
    t, h, imp = schema.events, schema.events_history, schema.imports
    cond = store._where(**(filters or {}))
    first_seen = (
        select(h.c.event_id_cnty.label("eid"), func.min(imp.c.started_at).label("t0"))
        .select_from(h.join(imp, imp.c.import_id == h.c.import_id))
        .group_by(h.c.event_id_cnty)
        .subquery("fs")
    )
    cur_imp = schema.imports.alias("ci")
    base = (
        select(
            t.c.event_id_cnty,
            t.c.event_date,
            t.c.event_type,
            t.c.country,
            t.c.fatalities,
            cur_imp.c.started_at.label("at"),
            first_seen.c.t0,
        )
        .select_from(
            t.join(cur_imp, cur_imp.c.import_id == t.c.import_id).outerjoin(
                first_seen, first_seen.c.eid == t.c.event_id_cnty
            )
        )
        .where(*cond, cur_imp.c.started_at > ts)
    )
    created: list[dict] = []
    updated: list[dict] = []
    with store.engine.connect() as conn:
        for r in conn.execute(base.order_by(cur_imp.c.started_at, t.c.event_id_cnty).limit(limit + 1)):
            m = dict(r._mapping)
            t0 = m.pop("t0")
            kind = "created" if t0 is None or _aware(t0) > since else "updated"
            m["at"] = _iso(m["at"])
            m["event_date"] = str(m["event_date"])
            (created if kind == "created" else updated).append(m)
        gone = (
            select(h.c.event_id_cnty, func.max(h.c.replaced_at).label("at"))
            .where(
                *_on(h, cond), h.c.replaced_at > ts, ~exists().where(t.c.event_id_cnty == h.c.event_id_cnty)
            )
            .group_by(h.c.event_id_cnty)
            .order_by(h.c.event_id_cnty)
            .limit(limit + 1)
        )
        removed = [{"event_id_cnty": r[0], "at": _iso(r[1])} for r in conn.execute(gone)]
    truncated = len(created) + len(updated) > limit or len(removed) > limit
    return {
        "since": since.isoformat(),
        "created": created[:limit],
        "updated": updated[:limit],
        "removed": removed[:limit],
        "truncated": truncated,
        "state": store_state(store),
    }


def _aware(v: Any) -> dt.datetime:
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=dt.timezone.utc)


def _iso(v: Any) -> str | None:
    return None if v is None else _aware(v).isoformat()


def store_state(store) -> str:
    """A short digest that changes whenever events, history, documents or claims change (cache key)."""
    t, h = schema.events, schema.events_history
    with store.engine.connect() as conn:
        parts = [
            conn.execute(select(func.count(), func.max(t.c.import_id))).one(),
            conn.execute(select(func.count(), func.max(h.c.history_id))).one(),
            conn.execute(
                select(func.max(schema.imports.c.import_id), func.max(schema.imports.c.finished_at))
            ).one(),
            conn.execute(select(func.count()).select_from(schema.documents)).one(),
            conn.execute(select(func.count()).select_from(schema.claims)).one(),
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------- one event
def _paragraph(text: str, start: int, end: int) -> tuple[str, int, int, int]:
    """The paragraph (between blank lines) holding [start, end) and the offsets inside it."""
    a = text.rfind("\n\n", 0, start)
    a = 0 if a < 0 else a + 2
    b = text.find("\n\n", end)
    b = len(text) if b < 0 else b
    return text[a:b], start - a, end - a, a


def event_detail(store, event_id: str) -> dict[str, Any] | None:
    t, h, d = schema.events, schema.events_history, schema.documents
    with store.engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.event_id_cnty == event_id)).first()
        if row is None:
            return None
        ev = dict(row._mapping)
        hist = [
            dict(r._mapping)
            for r in conn.execute(select(h).where(h.c.event_id_cnty == event_id).order_by(h.c.history_id))
        ]
        sources = json.loads(ev.pop("sources") or "[]")
        doc_ids = [s.get("document_id") for s in sources if isinstance(s, dict) and s.get("document_id")]
        if ev.get("document_id"):
            doc_ids.insert(0, ev["document_id"])
        doc_ids = list(dict.fromkeys(doc_ids))
        docs = (
            {
                r.document_id: dict(r._mapping)
                for r in conn.execute(
                    select(
                        d.c.document_id, d.c.title, d.c.url, d.c.published, d.c.language, d.c.source, d.c.text
                    ).where(d.c.document_id.in_(doc_ids))
                )
            }
            if doc_ids
            else {}
        )
    ev["extra"] = json.loads(ev.get("extra") or "{}")
    ev.pop("content_hash", None)
    documents = []
    for did in doc_ids:
        doc = docs.get(did)
        if doc is None:
            documents.append({"document_id": did, "missing": True})
            continue
        text = doc.pop("text") or ""
        entry = {k: (str(v) if isinstance(v, dt.date) else v) for k, v in doc.items()}
        cs, ce = (ev.get("char_start"), ev.get("char_end")) if did == ev.get("document_id") else (None, None)
        if cs is not None and ce is not None and 0 <= cs <= ce <= len(text):
            para, ps, pe, off = _paragraph(text, cs, ce)
            entry.update(
                paragraph=para,
                highlight_start=ps,
                highlight_end=pe,
                paragraph_offset=off,
                sentence=text[cs:ce],
            )
        documents.append(entry)
    for r in hist:
        r.pop("content_hash", None)
        r["extra"] = json.loads(r.get("extra") or "{}")
        r["sources"] = json.loads(r.get("sources") or "[]")
    return {"event": ev, "sources": sources, "documents": documents, "history": hist}


def document(store, document_id: str) -> dict[str, Any] | None:
    d, t = schema.documents, schema.events
    with store.engine.connect() as conn:
        row = conn.execute(select(d).where(d.c.document_id == document_id)).first()
        if row is None:
            return None
        doc = dict(row._mapping)
        evs = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    t.c.event_id_cnty,
                    t.c.event_date,
                    t.c.event_type,
                    t.c.char_start,
                    t.c.char_end,
                    t.c.sentence,
                )
                .where(t.c.document_id == document_id)
                .order_by(t.c.char_start)
            )
        ]
    doc.pop("path", None)  # a path on the server's disk is not the client's business
    doc["bylines"] = json.loads(doc.get("bylines") or "[]")
    doc["meta"] = json.loads(doc.get("meta") or "{}")
    doc["events"] = evs
    return doc


# ---------------------------------------------------------------------------------------- tokens
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store, name: str) -> str:
    """A new random token (shown once); only its SHA-256 digest is stored."""
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise InputError("token name: give a name of 1 to 128 characters (who or what uses it)")
    token = "sw_" + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(
            schema.api_tokens.insert().values(
                name=name, token_hash=_digest(token), created_at=dt.datetime.now(dt.timezone.utc)
            )
        )
    return token


def verify_token(store, token: str | None) -> str | None:
    """The name of a valid, unrevoked token, else None."""
    if not token or len(token) > 200:
        return None
    k = schema.api_tokens
    digest = _digest(token)
    with store.engine.begin() as conn:
        row = conn.execute(
            select(k.c.token_id, k.c.name, k.c.token_hash).where(
                k.c.token_hash == digest, k.c.revoked_at.is_(None)
            )
        ).first()
        if row is None or not secrets.compare_digest(row.token_hash, digest):
            return None
        conn.execute(
            k.update()
            .where(k.c.token_id == row.token_id)
            .values(last_used_at=dt.datetime.now(dt.timezone.utc))
        )
    return row.name


def list_tokens(store) -> list[dict[str, Any]]:
    k = schema.api_tokens
    with store.engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(k.c.token_id, k.c.name, k.c.created_at, k.c.last_used_at, k.c.revoked_at).order_by(
                    k.c.token_id
                )
            )
        ]


def revoke_token(store, token_id: int) -> bool:
    k = schema.api_tokens
    with store.engine.begin() as conn:
        n = conn.execute(
            k.update()
            .where(k.c.token_id == int(token_id), k.c.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.timezone.utc))
        ).rowcount
    return bool(n)


def distinct_values(store, column: str, limit: int = 500) -> list[Any]:
    if column not in ("country", "admin1", "admin2", "event_type", "dataset"):
        raise InputError(f"{column!r}: no facet for that column")
    t = schema.events
    with store.engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                select(t.c[column])
                .where(t.c[column].isnot(None))
                .distinct()
                .order_by(t.c[column])
                .limit(limit)
            )
        ]


def iter_all(
    store, filters: dict[str, Any], *, as_of=None, chunk: int = 5000, columns: Sequence[str] = LIST_COLUMNS
) -> Iterable[dict[str, Any]]:
    """Every matching event, in keyset chunks (for streaming CSV/GeoJSON exports)."""
    cursor = None
    while True:
        p = page(store, filters, limit=chunk, cursor=cursor, as_of=as_of, columns=columns)
        yield from p.rows
        if not p.next_cursor:
            return
        cursor = p.next_cursor


def date_range(store) -> dict[str, str | None]:
    t = schema.events
    with store.engine.connect() as conn:
        lo, hi = conn.execute(select(func.min(t.c.event_date), func.max(t.c.event_date))).one()
    return {"first": None if lo is None else str(lo), "last": None if hi is None else str(hi)}


def points(
    store, filters: dict[str, Any], *, as_of: dt.datetime | None = None, limit: int = 500_000
) -> dict[str, Any]:
    """Columns of the located matching events (id, lon, lat, day number, type index, fatalities), compact
    enough for a browser to hold a few hundred thousand. Days count from 1970-01-01."""
    cols = ["event_id_cnty", "event_date", "longitude", "latitude", "event_type", "fatalities"]
    dialect = _dialect(store.engine)
    ev = versions_at(store._where(**filters), as_of, dialect, cols)
    if dialect == "postgresql":
        day = ev.c.event_date - literal(dt.date(1970, 1, 1))
    else:
        day = cast(func.julianday(ev.c.event_date) - 2440587.5, Integer)
    q = (
        select(
            ev.c.event_id_cnty,
            ev.c.longitude,
            ev.c.latitude,
            day,
            ev.c.event_type,
            func.coalesce(ev.c.fatalities, 0),
        )
        .where(ev.c.latitude.isnot(None), ev.c.longitude.isnot(None))
        .order_by(ev.c.event_date, ev.c.event_id_cnty)
        .limit(limit + 1)
    )
    types = list(taxonomy.event_types())
    index = {t: i for i, t in enumerate(types)}
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    truncated = len(rows) > limit
    rows = rows[:limit]
    out: dict[str, Any] = {"types": types}
    if rows:
        ids, lon, lat, days, typ, fat = zip(*rows)
        other = len(types)
        out.update(
            id=list(ids),
            lon=[float(x) for x in lon],
            lat=[float(x) for x in lat],
            day=[int(x) for x in days],
            type=[index.get(x, other) for x in typ],
            fat=[int(x) for x in fat],
        )
    else:
        out.update(id=[], lon=[], lat=[], day=[], type=[], fat=[])
    out["truncated"] = truncated
    return out


def status_counts(store) -> dict[str, Any]:
    """Counts for /api/status, cheap on a large store (no grouping)."""
    t = schema.events
    with store.engine.connect() as conn:
        n, lo, hi = conn.execute(
            select(func.count(), func.min(t.c.event_date), func.max(t.c.event_date))
        ).one()
        docs = conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()
        claims = conn.execute(select(func.count()).select_from(schema.claims)).scalar_one()
    return {
        "events": int(n),
        "first_date": None if lo is None else str(lo),
        "last_date": None if hi is None else str(hi),
        "documents": int(docs),
        "claims": int(claims),
    }
