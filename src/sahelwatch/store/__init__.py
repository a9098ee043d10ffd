"""The event store: SQLite (WAL) embedded by default, PostgreSQL (+PostGIS) by URL.

store = sahelwatch.open("sahelwatch.db")
store.add_events(events)                    # idempotent; newer versions replace, history kept
df = store.events(countries=["Mali"], actors=["JNIM"], since="2019-01-01")
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, and_, create_engine, event, func, insert, or_, select, text
from sqlalchemy.pool import StaticPool

from .. import taxonomy
from ..errors import InputError, Rejection
from ..model import as_date as _as_date
from ..reports import ImportReport
from ..settings import default_db
from . import filters, pcodes, schema, writer
from .lineages import actor_names as _actor_names

__all__ = ["EventStore", "resolve_url"]

_BATCH = 5000


def resolve_url(url_or_path: str | Path | None) -> str:
    """A SQLAlchemy URL for a path, ``:memory:`` or a URL."""
    if url_or_path is None:
        url_or_path = default_db()
    s = str(url_or_path)
    if s == ":memory:":
        return "sqlite://"
    if "://" in s:
        if s.startswith("postgresql://") or s.startswith("postgres://"):
            # psycopg 3 is the driver we ship
            s = "postgresql+psycopg://" + s.split("://", 1)[1]
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: index maintenance on large imports
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


class EventStore:
    """One store for events, their history, documents and claims."""

    def __init__(self, engine: Engine, *, actors: str | Path | None = None):
        self.engine = engine
        #: the actor registry the ``actors=`` filter expands names with (None: the shipped one)
        self.actors_path = str(actors) if actors else None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        url_or_path: str | Path | None = None,
        *,
        migrate: bool = True,
        echo: bool = False,
        actors: str | Path | None = None,
        create: bool = True,
    ) -> "EventStore":
        """Open a store. With ``create=False`` (read-only commands) a store that does not exist is an
        error and nothing is created: no file, no folder, no tables. ``actors``: the actor registry (YAML)
        whose names and renamings the ``actors=`` filters use (None: the shipped one)."""
        url = resolve_url(url_or_path)
        given = str(url_or_path) if url_or_path is not None else url
        missing = InputError(f"no store at {given} (create one with `sahelwatch import ...`)")
        if url.startswith("sqlite"):
            kwargs: dict[str, Any] = {}
            if not create and url != "sqlite://" and not Path(url.removeprefix("sqlite:///")).is_file():
                raise missing
            if url == "sqlite://":
                kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
            else:
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, echo=echo, pool_pre_ping=True)
        store = cls(engine, actors=actors)
        if not create and store.schema_revision() is None:
            engine.dispose()
            raise missing
        if migrate:
            store.migrate()
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option(
            "script_location", str(resources.files("sahelwatch.store").joinpath("migrations"))
        )
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except Exception:
                return None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ imports
    @contextlib.contextmanager
    def importing(
        self, dataset: str, file: str | None = None, sha256: str | None = None, strict: bool = False
    ) -> Iterator[tuple[Connection, ImportReport]]:
        """One import = one transaction: an interrupted import (Ctrl-C, kill -9) leaves the store
        as it was. With ``strict``, any rejection rolls everything back."""
        report = ImportReport(dataset=dataset, file=file, strict=strict)
        t0 = time.perf_counter()
        conn = self.engine.connect()
        trans = conn.begin()
        bulk_id = None
        try:
            key = conn.execute(
                insert(schema.imports).values(
                    dataset=dataset, file=file, sha256=sha256, started_at=dt.datetime.now(dt.timezone.utc)
                )
            ).inserted_primary_key
            assert key is not None  # an INSERT of one row always has its key
            report.import_id = key[0]
            # Loading into an empty store: build the secondary indexes once at the end, which is
            # several times cheaper than maintaining them row by row (same transaction: still atomic).
            bulk = conn.execute(select(schema.events.c.event_id_cnty).limit(1)).first() is None
            if bulk:
                for ix in schema.events.indexes:
                    ix.drop(conn)
                bulk_id = report.import_id
                writer.begin_bulk(bulk_id)
            yield conn, report
            if bulk:
                for ix in schema.events.indexes:
                    ix.create(conn)
            self._save_rejections(conn, report)
            conn.execute(
                schema.imports.update()
                .where(schema.imports.c.import_id == report.import_id)
                .values(
                    finished_at=dt.datetime.now(dt.timezone.utc),
                    rows=report.rows,
                    inserted=report.inserted,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    merged=report.merged,
                    older_ignored=report.older_ignored,
                    rejected=report.rejected,
                )
            )
            if strict and report.rejected:
                report.aborted = True
                trans.rollback()
                report.import_id = None
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
        finally:
            if bulk_id is not None:
                writer.end_bulk(bulk_id)
            conn.close()
            report.seconds = time.perf_counter() - t0

    def _save_rejections(self, conn: Connection, report: ImportReport) -> None:
        rows, report.pending = report.pending, []
        if rows:
            conn.execute(
                insert(schema.rejections),
                [
                    {
                        "import_id": report.import_id,
                        "file": r.file,
                        "line": r.line,
                        "field": r.field,
                        "reason": r.reason,
                        "value": None if r.value is None else str(r.value)[:500],
                    }
                    for r in rows
                ],
            )

    def write_records(self, conn: Connection, records: list[dict[str, Any]], report: ImportReport) -> None:
        """Write one batch of record dicts inside an import (and the rejections gathered so far)."""
        writer.upsert(conn, records, report, report.import_id)
        self._save_rejections(conn, report)

    def write_rows(self, conn: Connection, rows: list[tuple], report: ImportReport) -> None:
        """Write one batch of rows in ``writer.BASE_COLUMNS`` order inside an import."""
        writer.upsert_rows(conn, rows, report, report.import_id)
        self._save_rejections(conn, report)

    def add_events(
        self,
        events: Iterable[Any],
        *,
        dataset: str | None = None,
        file: str | None = None,
        strict: bool = False,
        allow_missing_sub: bool = False,
    ) -> ImportReport:
        """Validate and store ``model.Event`` objects (one transaction)."""
        with self.importing(dataset or "manual", file, strict=strict) as (conn, report):
            batch: list[Any] = []
            seen: set[str] = set()
            for ev in events:
                report.rows += 1
                where = ev.provenance.file or file or dataset or "events"
                line = ev.provenance.row or report.rows
                problems = ev.problems(allow_missing_sub=allow_missing_sub)
                if ev.event_id_cnty in seen:
                    problems.append(("event_id_cnty", "duplicate id in this batch"))
                if problems:
                    report.rejected += 1
                    for _i, (fld, why) in enumerate(problems):
                        report.reject(
                            Rejection(where, line, fld, why, str(getattr(ev, fld, ""))), new_row=False
                        )
                    continue
                seen.add(ev.event_id_cnty)
                batch.append(ev)
                if len(batch) >= _BATCH:
                    self.write_records(conn, list(writer.records_from_events(batch, dataset)), report)
                    batch.clear()
            self.write_records(conn, list(writer.records_from_events(batch, dataset)), report)
        return report

    # ------------------------------------------------------------------ queries
    def _where(
        self,
        *,
        since=None,
        until=None,
        countries=None,
        admin1=None,
        admin2=None,
        actors=None,
        event_types=None,
        sub_event_types=None,
        bbox=None,
        min_fatalities=None,
        datasets=None,
        ids=None,
    ) -> list[Any]:
        t = schema.events
        cond: list[Any] = []
        # one name is one name (``actors="JNIM"`` is not four letters); other types are refused
        countries, admin1, admin2, actors, event_types, sub_event_types, datasets, ids = (
            filters.as_list(k, v)
            for k, v in (
                ("countries", countries),
                ("admin1", admin1),
                ("admin2", admin2),
                ("actors", actors),
                ("event_types", event_types),
                ("sub_event_types", sub_event_types),
                ("datasets", datasets),
                ("ids", ids),
            )
        )
        if since is not None:
            cond.append(t.c.event_date >= _as_date(since, "since"))
        if until is not None:
            cond.append(t.c.event_date <= _as_date(until, "until"))
        if countries:
            cond.append(t.c.country.in_(_variants(countries)))
        if admin1:
            cond.append(t.c.admin1.in_(_variants(admin1)))
        if admin2:
            cond.append(t.c.admin2.in_(_variants(admin2)))
        if event_types or sub_event_types:
            types, subs = _split_types(list(event_types or []) + list(sub_event_types or []))
            parts = []
            if types:
                parts.append(t.c.event_type.in_(types))
            if subs:
                parts.append(t.c.sub_event_type.in_(subs))
            cond.append(or_(*parts))
        if actors:
            names = _actor_names(actors, self.actors_path)
            # substring match: LIKE's own wildcards in a name are literal characters ('%' is not "any actor")
            like = [
                c.ilike(f"%{_like_literal(n)}%", escape="\\")
                for n in actors
                for c in (t.c.actor1, t.c.actor2, t.c.assoc_actor_1, t.c.assoc_actor_2)
            ]
            cond.append(or_(t.c.actor1.in_(names), t.c.actor2.in_(names), *like))
        if bbox is not None:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
            if min_lon > max_lon or min_lat > max_lat:
                raise InputError(f"bbox {bbox}: expected min_lon,min_lat,max_lon,max_lat")
            cond.append(and_(t.c.latitude.between(min_lat, max_lat), t.c.longitude.between(min_lon, max_lon)))
        if min_fatalities is not None:
            cond.append(t.c.fatalities >= int(min_fatalities))
        if datasets:
            cond.append(t.c.dataset.in_(list(datasets)))
        if ids:
            cond.append(t.c.event_id_cnty.in_(list(ids)))
        return cond

    def events(
        self,
        *,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        countries: Sequence[str] | None = None,
        admin1: Sequence[str] | None = None,
        admin2: Sequence[str] | None = None,
        actors: Sequence[str] | None = None,
        event_types: Sequence[str] | None = None,
        sub_event_types: Sequence[str] | None = None,
        bbox: Sequence[float] | None = None,
        min_fatalities: int | None = None,
        datasets: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        geo: bool = False,
    ) -> pd.DataFrame:
        """Events as a DataFrame in ACLED's columns (plus provenance), ordered by date and id.

        ``actors`` match canonical names, registry aliases (e.g. "JNIM", "EIGS") and substrings of
        actor and associated-actor fields. ``event_types`` accepts event or sub-event types.
        ``geo=True`` returns a GeoDataFrame (EPSG:4326; events without coordinates have no geometry).
        """
        t = schema.events
        asked = filters.check_filters(
            self,
            since=since,
            until=until,
            countries=countries,
            admin1=admin1,
            admin2=admin2,
            actors=actors,
            event_types=event_types,
            sub_event_types=sub_event_types,
            bbox=bbox,
            min_fatalities=min_fatalities,
            datasets=datasets,
            ids=ids,
        )
        cond = self._where(**asked)
        cols = [t.c[c] for c in schema.EVENT_COLUMNS]
        q = select(*cols).where(*cond).order_by(t.c.event_date, t.c.event_id_cnty)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        df = pd.DataFrame(rows, columns=list(schema.EVENT_COLUMNS))
        df = pcodes.add_pcodes(_typed(df))
        if df.empty:  # say which filter emptied the result (df.attrs['empty_reason'] and a warning)
            reason = filters.explain_empty(self, **asked)
            if reason:
                import warnings

                df.attrs["empty_reason"] = reason
                warnings.warn(filters.EmptyResultWarning(reason), stacklevel=2)
        if geo:
            import geopandas as gpd

            pts = gpd.points_from_xy(df["longitude"], df["latitude"])
            df = gpd.GeoDataFrame(df, geometry=pts, crs="EPSG:4326")
            df.loc[df["latitude"].isna() | df["longitude"].isna(), "geometry"] = None
        return df

    def count(self, **filters: Any) -> int:
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(schema.events).where(*self._where(**filters))
            ).scalar_one()

    def history(self, event_id: str) -> pd.DataFrame:
        """Earlier versions of one event, oldest first."""
        h = schema.events_history
        with self.engine.connect() as conn:
            rows = conn.execute(select(h).where(h.c.event_id_cnty == event_id).order_by(h.c.history_id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in h.columns])

    def imports(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.imports).order_by(schema.imports.c.import_id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in schema.imports.columns])

    def rejections(self, import_id: int | None = None) -> pd.DataFrame:
        r = schema.rejections
        q = select(r).order_by(r.c.rejection_id)
        if import_id is not None:
            q = q.where(r.c.import_id == import_id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return pd.DataFrame(rows, columns=[c.name for c in r.columns])

    def stats(self) -> dict[str, Any]:
        """Counts for `sahelwatch stats`: totals, by dataset, country, year and event type."""
        t = schema.events
        out: dict[str, Any] = {"store": self.url, "schema_revision": self.schema_revision()}
        with self.engine.connect() as conn:
            total = conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(t.c.fatalities), 0),
                    func.min(t.c.event_date),
                    func.max(t.c.event_date),
                )
            ).one()
            out.update(
                events=total[0],
                fatalities=int(total[1]),
                first_date=str(total[2]) if total[2] else None,
                last_date=str(total[3]) if total[3] else None,
            )

            def group(*cols):
                q = (
                    select(*cols, func.count(), func.coalesce(func.sum(t.c.fatalities), 0))
                    .group_by(*cols)
                    .order_by(*cols)
                )
                return [list(r) for r in conn.execute(q).all()]

            out["by_dataset"] = group(t.c.dataset)
            out["by_country"] = group(t.c.country)
            out["by_year"] = group(t.c.year)
            out["by_event_type"] = group(t.c.event_type)
            out["without_coordinates"] = conn.execute(
                select(func.count()).where(t.c.latitude.is_(None))
            ).scalar_one()
            out["history_versions"] = conn.execute(
                select(func.count()).select_from(schema.events_history)
            ).scalar_one()
            out["documents"] = conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()
            out["claims"] = conn.execute(select(func.count()).select_from(schema.claims)).scalar_one()
            out["imports"] = conn.execute(select(func.count()).select_from(schema.imports)).scalar_one()
        return out

    # ------------------------------------------------------------------ documents and claims
    def add_documents(self, documents: Iterable[Any]) -> int:
        """Store documents (model.Document); an id already stored is left as it is. Returns new count."""
        d = schema.documents
        new = 0
        with self.engine.begin() as conn:
            for doc in documents:
                if conn.execute(select(d.c.document_id).where(d.c.document_id == doc.id)).first():
                    continue
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
                        added_at=dt.datetime.now(dt.timezone.utc),
                    )
                )
                new += 1
        return new

    def documents(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.documents).order_by(schema.documents.c.added_at)).all()
        return pd.DataFrame(rows, columns=[c.name for c in schema.documents.columns])

    def add_claims(self, claims: Iterable[Any]) -> int:
        """Store claims (model.Claim); idempotent on claim_id. Returns the number of new claims."""
        c = schema.claims
        new = 0
        with self.engine.begin() as conn:
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
                new += 1
        return new

    def claims(self, kind: str | None = None, subject: str | None = None) -> pd.DataFrame:
        c = schema.claims
        q = select(c).order_by(c.c.date, c.c.claim_id)
        if kind:
            q = q.where(c.c.kind == kind)
        if subject:
            q = q.where(
                c.c.subject.in_(_actor_names([subject], self.actors_path))
                | c.c.subject.ilike(f"%{_like_literal(subject)}%", escape="\\")
            )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return pd.DataFrame(rows, columns=[col.name for col in c.columns])


# ---------------------------------------------------------------------- helpers
_INT_COLS = (
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "iso",
    "geo_precision",
    "timestamp",
    "wounded",
    "prov_row",
    "char_start",
    "char_end",
    "import_id",
)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["date_end"] = pd.to_datetime(df["date_end"])
    for c in _INT_COLS:
        df[c] = pd.array(df[c], dtype="Int64") if len(df) else pd.Series([], dtype="Int64")
    df["fatalities"] = pd.to_numeric(df["fatalities"]).fillna(0).astype("int64")
    for c in ("latitude", "longitude", "confidence"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["extra"] = [json.loads(x) if isinstance(x, str) and x else {} for x in df["extra"]]
    df["sources"] = [json.loads(x) if isinstance(x, str) and x else [] for x in df["sources"]]
    return df


def _like_literal(value: str) -> str:
    """``value`` with LIKE's wildcards escaped (escape character: backslash)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _variants(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend({v, v.strip(), v.strip().title()})
    return out


def _split_types(values: list[str]) -> tuple[list[str], list[str]]:
    types, subs = [], []
    known_types = {t.lower(): t for t in taxonomy.event_types()}
    known_subs = {s.lower(): s for s in taxonomy.sub_event_types()}
    for v in values:
        key = v.strip().lower()
        if key in known_types:
            types.append(known_types[key])
        elif key in known_subs:
            subs.append(known_subs[key])
        else:
            raise InputError(f"unknown event or sub-event type {v!r}; see `sahelwatch types`")
    return types, subs
