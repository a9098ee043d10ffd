"""One event from many reports: an extracted event that matches an event already in the store merges into it.

    from sahelwatch.store.merge import merge_into_store, undo_merge
    with store.engine.begin() as conn:
        rep = merge_into_store(conn, events)         # MergeReport: inserted, merged, unchanged, already_merged
    undo_merge(store, merge_id)                      # the report becomes its own event again

A match needs all four (scores multiply; the best candidate above ``MIN_SCORE`` wins):

- **day**: the same day (1.0) or the day before/after (0.7); when either report dates the event only to the
  week (``time_precision`` 2 or 3), up to ``WEEK_DAYS`` days (0.5);
- **place**: the same place name (1.0, case and accents ignored), else both located within ``max_km``
  (1.0 falling to 0.5 at ``max_km``), else the same admin2 when one report is only located to its district
  (0.5) or the same admin1 when one is only located to the region (0.4); a report that gives no place at all
  neither speaks for nor against (0.3);
- **type**: the same event type (1.0); battles and explosions, violence against civilians and explosions,
  protests and riots (0.7); battles and violence against civilians (0.5); anything else never merges;
- **actors**: the two sides pair up, in either order, where each pair is the same actor (one group across
  renamings and periods: the actor registry's lineage, so "Military Forces of Mali (2013-2020)" and
  "(2020-2021)", or "Islamic State (Greater Sahara)" and "Islamic State Sahel Province", are one), or one
  report does not name it (missing, "Unidentified ...", the generic "Islamist Militia (X)"). Sides unnamed on
  both reports only pass when everything else is exact.

Events of the same document never merge with each other: the pipeline already kept them apart.

Merging follows ACLED's rules across sources: the event keeps every source (``sources`` grows, the ``source``
field lists the outlets), the toll is the most conservative reported figure (the lowest non-zero count; a
report without a figure does not lower it), a more precise location (lower ``geo_precision``) replaces a
vaguer one. The stored version moves to ``events_history`` and the merge is recorded in ``event_merges``
with the incoming report, so :func:`undo_merge` can rebuild the event without it and restore the report as
an event of its own.

Only events of the datasets in ``into`` (default: ``extract``, our own coding) absorb reports: an ACLED or
UCDP row belongs to its publisher and is replaced whole by its next version.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, insert, select, update

from ..actors import Registry
from ..errors import InputError
from ..reports import ImportReport
from . import schema, writer

MIN_SCORE = 0.3
WEEK_DAYS = 3
MAX_KM = 25.0

_TYPE_PAIRS = {
    frozenset({"Battles", "Explosions/Remote violence"}): 0.7,
    frozenset({"Violence against civilians", "Explosions/Remote violence"}): 0.7,
    frozenset({"Protests", "Riots"}): 0.7,
    frozenset({"Battles", "Violence against civilians"}): 0.5,
}
_PERIOD = re.compile(r"\s*\((?:\d{4})?-?(?:\d{4})?\)\s*$")
# Actors a report leaves unnamed: ACLED's "Unidentified ..." and the generic "Islamist Militia (X)" of reports
# that say "jihadists" without a group, or sides whose country is unknown.
_GENERIC = re.compile(r"^(Unidentified\b|Islamist Militia\b)|\bUnknown\b", re.IGNORECASE)
UNKNOWN_PLACE = 0.3
_BASE = writer.BASE_COLUMNS


@dataclass
class MergeReport:
    inserted: int = 0
    merged: int = 0
    unchanged: int = 0
    already_merged: int = 0
    rejected: int = 0
    merges: list[tuple[str, str, float]] = field(default_factory=list)  # (absorbed id, into id, score)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- matching


def _fold(s: Any) -> str | None:
    if s is None or (isinstance(s, float) and math.isnan(s)) or str(s).strip() == "":
        return None
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


@functools.lru_cache(maxsize=4096)
def _actor(name: Any) -> str | None:
    """One key per group across renamings and periods (the actor registry's lineage; else the folded name
    without ACLED's period suffix)."""
    if not name:
        return None
    reg = _registry()
    if reg is not None:
        try:
            return reg.lineage(str(name))
        except Exception:  # noqa: BLE001 - an odd name is compared as text
            pass
    return _fold(_PERIOD.sub("", str(name)))


@functools.lru_cache(maxsize=1)
def _registry():
    try:
        return Registry.load()
    except Exception:  # noqa: BLE001 - reference data absent: names compare as text
        return None


def _generic(name: Any) -> bool:
    return not name or bool(_GENERIC.search(str(name)))


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def day_score(a: dict, b: dict) -> float:
    da, db = a["event_date"], b["event_date"]
    gap = abs((da - db).days)
    if gap == 0:
        return 1.0
    if gap == 1:
        return 0.7
    loose = max(a.get("time_precision") or 1, b.get("time_precision") or 1) > 1
    return 0.5 if loose and gap <= WEEK_DAYS else 0.0


def place_score(a: dict, b: dict, max_km: float = MAX_KM) -> float:
    la, lb = _fold(a.get("location")), _fold(b.get("location"))
    if la and lb and la == lb:
        return 1.0
    pa = (_num(a.get("latitude")), _num(a.get("longitude")))
    pb = (_num(b.get("latitude")), _num(b.get("longitude")))
    precise = lambda r: (r.get("geo_precision") or 1) == 1  # noqa: E731
    if None not in pa and None not in pb and precise(a) and precise(b):
        d = _km(*pa, *pb)
        return 1.0 - 0.5 * d / max_km if d <= max_km else 0.0
    vague = lambda r: (r.get("geo_precision") or 1) >= 2 or None in (_num(r.get("latitude")),)  # noqa: E731
    if vague(a) or vague(b):
        if _fold(a.get("admin2")) and _fold(a.get("admin2")) == _fold(b.get("admin2")):
            return 0.5
        if (
            (a.get("geo_precision") == 3 or b.get("geo_precision") == 3)
            and _fold(a.get("admin1"))
            and _fold(a.get("admin1")) == _fold(b.get("admin1"))
        ):
            return 0.4
    if None not in pa and None not in pb:  # not both precise, but both located: distance still speaks
        d = _km(*pa, *pb)
        return 0.5 * (1.0 - d / max_km) if d <= max_km else 0.0
    if _unplaced(a, la, pa) or _unplaced(b, lb, pb):
        return UNKNOWN_PLACE  # one report gives no place at all: neither for nor against
    return 0.0


def _unplaced(r: dict, loc: str | None, point: tuple) -> bool:
    return not loc and None in point and not _fold(r.get("admin1")) and not _fold(r.get("admin2"))


def type_score(a: dict, b: dict) -> float:
    if a["event_type"] == b["event_type"]:
        return 1.0
    return _TYPE_PAIRS.get(frozenset({a["event_type"], b["event_type"]}), 0.0)


def actor_score(a: dict, b: dict) -> float:
    def pair(x, y) -> float:
        if _generic(x) or _generic(y):
            return 0.6
        return 1.0 if _actor(x) == _actor(y) else 0.0

    best = max(
        pair(a.get("actor1"), b.get("actor1")) * pair(a.get("actor2"), b.get("actor2")),
        pair(a.get("actor1"), b.get("actor2")) * pair(a.get("actor2"), b.get("actor1")),
    )
    named = [
        x for x in (a.get("actor1"), a.get("actor2"), b.get("actor1"), b.get("actor2")) if not _generic(x)
    ]
    if best and not named:
        return 0.2  # nobody named on either side: only an exact day, place and type can carry it
    return best


def match_score(a: dict, b: dict, max_km: float = MAX_KM) -> float:
    """How well two event records (dicts in store columns) describe the same event; 0 = never merge."""
    if _fold(a.get("country")) != _fold(b.get("country")):
        return 0.0
    s = day_score(a, b)
    if s:
        s *= type_score(a, b)
    if s:
        s *= place_score(a, b, max_km)
    if s:
        s *= actor_score(a, b)
    return round(s, 4)


# ---------------------------------------------------------------------------------------------- merging


def _sources(rec: dict) -> list[dict]:
    raw = rec.get("sources")
    if raw:
        return json.loads(raw) if isinstance(raw, str) else list(raw)
    own = {
        "dataset": rec.get("dataset"),
        "file": rec.get("prov_file"),
        "row": rec.get("prov_row"),
        "document_id": rec.get("document_id"),
        "sentence": rec.get("sentence"),
        "char_start": rec.get("char_start"),
        "char_end": rec.get("char_end"),
        "method": rec.get("coding_method"),
        "confidence": rec.get("confidence"),
    }
    return [{k: v for k, v in own.items() if v is not None}]


def combine(into: dict, other: dict) -> dict:
    """The event ``into`` with the report ``other`` absorbed (ACLED's rules across sources)."""
    out = dict(into)
    srcs = _sources(into)
    seen = {json.dumps(s, sort_keys=True, default=str) for s in srcs}
    for s in _sources(other):
        k = json.dumps(s, sort_keys=True, default=str)
        if k not in seen:
            srcs.append(s)
            seen.add(k)
    out["sources"] = writer.dumps(srcs)
    tolls = [f for f in (into.get("fatalities"), other.get("fatalities")) if f]
    out["fatalities"] = min(tolls) if tolls else 0
    wounded = [w for w in (into.get("wounded"), other.get("wounded")) if w]
    out["wounded"] = min(wounded) if wounded else into.get("wounded")
    outlets = [x.strip() for s in (into.get("source"), other.get("source")) if s for x in str(s).split(";")]
    out["source"] = "; ".join(dict.fromkeys(x for x in outlets if x)) or None
    if (other.get("geo_precision") or 9) < (into.get("geo_precision") or 9):
        for c in ("location", "latitude", "longitude", "geo_precision", "admin1", "admin2", "admin3"):
            out[c] = other.get(c)
    if (other.get("time_precision") or 9) < (into.get("time_precision") or 9):
        out["event_date"], out["time_precision"], out["year"] = (
            other["event_date"],
            other["time_precision"],
            other["event_date"].year,
        )
    for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        if _generic(out.get(c)) and other.get(c) and not _generic(other.get(c)):
            out[c] = other[c]
            ic = "inter1" if c in ("actor1", "assoc_actor_1") else "inter2"
            if c in ("actor1", "actor2") and other.get(ic) is not None:
                out[ic] = other[ic]
    out["confidence"] = max(
        x for x in (into.get("confidence"), other.get("confidence"), 0.0) if x is not None
    )
    return out


def _json_record(rec: dict) -> str:
    return json.dumps({k: rec.get(k) for k in _BASE}, default=str, ensure_ascii=False, sort_keys=True)


def _from_json(s: str) -> dict:
    rec = json.loads(s)
    for c in ("event_date", "date_end"):
        if rec.get(c):
            rec[c] = dt.date.fromisoformat(rec[c])
    return rec


def _stored(conn: Connection, event_id: str) -> dict | None:
    t = schema.events
    row = conn.execute(select(*[t.c[c] for c in _BASE]).where(t.c.event_id_cnty == event_id)).first()
    return dict(row._mapping) if row else None


def _replace(conn: Connection, rec: dict, import_id: int | None) -> None:
    writer.move_to_history(conn, [rec["event_id_cnty"]], import_id)
    base_row = tuple(rec.get(c) for c in _BASE)
    writer.insert_rows(conn, [base_row + (writer._digest(base_row), import_id)])


def _candidates(conn: Connection, rec: dict, into: Sequence[str]) -> list[dict]:
    t = schema.events
    d = rec["event_date"]
    q = select(*[t.c[c] for c in _BASE]).where(
        t.c.dataset.in_(list(into)),
        t.c.country == rec.get("country"),
        t.c.event_date.between(d - dt.timedelta(days=WEEK_DAYS), d + dt.timedelta(days=WEEK_DAYS)),
        t.c.event_id_cnty != rec["event_id_cnty"],
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def merge_records(
    conn: Connection,
    records: Iterable[dict],
    *,
    into: Sequence[str] = ("extract",),
    import_id: int | None = None,
    max_km: float = MAX_KM,
    min_score: float = MIN_SCORE,
) -> MergeReport:
    """Write store records (dicts in ``writer.BASE_COLUMNS``): each merges into its best-matching stored
    event or is inserted. Runs on the caller's connection (the caller's transaction). Idempotent: a report
    already absorbed (same id, merge not undone) or already stored unchanged is counted, not written."""
    rep = MergeReport()
    m = schema.event_merges
    for rec in records:
        rec = {c: (None if rec.get(c) == "" else rec.get(c)) for c in _BASE}
        eid = rec["event_id_cnty"]
        done = conn.execute(
            select(m.c.event_id_cnty).where(m.c.absorbed_id == eid, m.c.undone_at.is_(None))
        ).first()
        if done:
            rep.already_merged += 1
            continue
        if _stored(conn, eid) is not None:
            ir = ImportReport(dataset=rec.get("dataset") or "extract")
            writer.upsert(conn, [rec], ir, import_id)
            rep.unchanged += ir.unchanged + ir.older_ignored
            rep.inserted += ir.updated
            continue
        docs = _documents(rec)
        scored = [
            (match_score(rec, c, max_km), c)
            for c in _candidates(conn, rec, into)
            if not (docs & _documents(c))
        ]  # one report's events were kept apart by the pipeline
        scored = [(s, c) for s, c in scored if s >= min_score]
        if not scored:
            writer.insert_rows(
                conn,
                [
                    tuple(rec.get(c) for c in _BASE)
                    + (writer._digest(tuple(rec.get(c) for c in _BASE)), import_id)
                ],
            )
            rep.inserted += 1
            continue
        score, target = max(
            scored,
            key=lambda sc: (
                sc[0],
                -abs((sc[1]["event_date"] - rec["event_date"]).days),
                sc[1]["event_id_cnty"],
            ),
        )
        first = conn.execute(
            select(m.c.merge_id).where(m.c.event_id_cnty == target["event_id_cnty"]).limit(1)
        ).first()
        conn.execute(
            insert(m).values(
                event_id_cnty=target["event_id_cnty"],
                absorbed_id=eid,
                absorbed=_json_record(rec),
                base=None if first else _json_record(target),
                score=score,
                reason=_reason(rec, target),
                merged_at=dt.datetime.now(dt.timezone.utc),
            )
        )
        _replace(conn, combine(target, rec), import_id)
        rep.merged += 1
        rep.merges.append((eid, target["event_id_cnty"], score))
    return rep


def _documents(rec: dict) -> set[str]:
    """The documents an event was read from (its own and those of the reports merged into it)."""
    found = {s.get("document_id") for s in _sources(rec)} | {rec.get("document_id")}
    return {str(d) for d in found if d is not None}


def _reason(a: dict, b: dict) -> str:
    return (
        f"day {day_score(a, b)}, place {place_score(a, b):.2f}, type {type_score(a, b)}, "
        f"actors {actor_score(a, b)}"
    )


def merge_events(conn: Connection, events: Iterable[Any], *, dataset: str = "extract", **kw) -> MergeReport:
    """:func:`merge_records` for ``model.Event`` objects (validated first; invalid ones are counted and named)."""
    good, rep_bad = [], []
    for ev in events:
        problems = ev.problems(allow_missing_sub=True)
        if problems:
            rep_bad.append(f"{ev.event_id_cnty}: " + "; ".join(f"{f}: {w}" for f, w in problems))
            continue
        if not ev.sources:
            ev.sources = [ev.provenance]
        good.append(ev)
    rep = merge_records(conn, writer.records_from_events(good, dataset), **kw)
    rep.rejected += len(rep_bad)
    rep.problems.extend(rep_bad)
    return rep


def merges(store, event_id: str | None = None):
    """The merges recorded in the store (a DataFrame), optionally those of one event."""
    import pandas as pd

    m = schema.event_merges
    q = select(m).order_by(m.c.merge_id)
    if event_id:
        q = q.where(m.c.event_id_cnty == event_id)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return pd.DataFrame(rows, columns=[c.name for c in m.columns])


def undo_merge(store, merge_id: int) -> dict:
    """Undo one merge: the event is rebuilt from its state before its first merge plus the merges still in
    force, and the absorbed report becomes an event of its own. Returns the rebuilt event record."""
    m = schema.event_merges
    with store.engine.begin() as conn:
        row = conn.execute(select(m).where(m.c.merge_id == merge_id)).first()
        if row is None:
            raise InputError(f"merge {merge_id}: no such merge")
        if row.undone_at is not None:
            raise InputError(f"merge {merge_id}: already undone on {row.undone_at:%Y-%m-%d %H:%M}")
        now = dt.datetime.now(dt.timezone.utc)
        conn.execute(update(m).where(m.c.merge_id == merge_id).values(undone_at=now))
        allm = conn.execute(
            select(m).where(m.c.event_id_cnty == row.event_id_cnty).order_by(m.c.merge_id)
        ).all()
        base = next(r.base for r in allm if r.base)
        rec = _from_json(base)
        for r in allm:
            if r.undone_at is None and r.merge_id != merge_id:
                rec = combine(rec, _from_json(r.absorbed))
        _replace(conn, rec, None)
        absorbed = _from_json(row.absorbed)
        if _stored(conn, absorbed["event_id_cnty"]) is None:
            t = tuple(absorbed.get(c) for c in _BASE)
            writer.insert_rows(conn, [t + (writer._digest(t), None)])
    return rec


__all__ = [
    "MergeReport",
    "match_score",
    "combine",
    "merge_records",
    "merge_events",
    "merges",
    "undo_merge",
    "MIN_SCORE",
    "MAX_KM",
]
