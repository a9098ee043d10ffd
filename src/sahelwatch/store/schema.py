"""Tables of the event store (SQLAlchemy Core). Column names are ACLED's.

The same tables serve SQLite and PostgreSQL; PostGIS, where installed, adds a generated
point geometry with a GiST index (see migrations/versions/0002_postgis.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# ACLED export columns with their SQL types; the order is ACLED's.
_ACLED_SQL: list[tuple[str, Any]] = [
    ("event_id_cnty", String(64)),
    ("event_date", Date),
    ("year", Integer),
    ("time_precision", Integer),
    ("disorder_type", String(64)),
    ("event_type", String(64)),
    ("sub_event_type", String(64)),
    ("actor1", Text),
    ("assoc_actor_1", Text),
    ("inter1", Integer),
    ("actor2", Text),
    ("assoc_actor_2", Text),
    ("inter2", Integer),
    ("interaction", Integer),
    ("civilian_targeting", String(64)),
    ("iso", Integer),
    ("region", String(128)),
    ("country", String(128)),
    ("admin1", String(256)),
    ("admin2", String(256)),
    ("admin3", String(256)),
    ("location", Text),
    ("latitude", Float),
    ("longitude", Float),
    ("geo_precision", Integer),
    ("source", Text),
    ("source_scale", Text),
    ("notes", Text),
    ("fatalities", Integer),
    ("tags", Text),
    ("timestamp", BigInteger),
]

# Beyond ACLED: ranges, wounded, provenance, sources, columns kept for round trips.
_EXTRA_SQL: list[tuple[str, Any]] = [
    ("dataset", String(32)),
    ("date_end", Date),
    ("wounded", Integer),
    ("prov_file", Text),
    ("prov_row", Integer),
    ("document_id", String(64)),
    ("sentence", Text),
    ("char_start", Integer),
    ("char_end", Integer),
    ("coding_method", String(16)),
    ("confidence", Float),
    ("sources", Text),  # JSON list of provenance dicts
    ("extra", Text),  # JSON object of source columns with no ACLED home
    ("content_hash", String(32)),
    ("import_id", Integer),
]

EVENT_COLUMNS: tuple[str, ...] = tuple(n for n, _ in _ACLED_SQL + _EXTRA_SQL)


def _event_columns(primary: bool) -> list[Column]:
    cols: list[Column] = []
    for name, typ in _ACLED_SQL + _EXTRA_SQL:
        if name == "event_id_cnty":
            cols.append(Column(name, typ, primary_key=primary, nullable=False))
        elif name in ("event_date", "event_type", "dataset"):
            cols.append(Column(name, typ, nullable=False))
        else:
            cols.append(Column(name, typ))
    return cols


events = Table(
    "events",
    metadata,
    *_event_columns(primary=True),
    Index("ix_events_date", "event_date"),
    Index("ix_events_country_date", "country", "event_date"),
    Index("ix_events_admin", "country", "admin1", "admin2"),
    Index("ix_events_type", "event_type", "sub_event_type"),
    Index("ix_events_actor1", "actor1"),
    Index("ix_events_actor2", "actor2"),
    Index("ix_events_latlon", "latitude", "longitude"),
    Index("ix_events_dataset", "dataset"),
)

# Earlier versions of events replaced by a newer version (same id, later timestamp).
events_history = Table(
    "events_history",
    metadata,
    Column("history_id", Integer, primary_key=True, autoincrement=True),
    *_event_columns(primary=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by_import", Integer),
    Index("ix_history_event", "event_id_cnty"),
)

imports = Table(
    "imports",
    metadata,
    Column("import_id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(32), nullable=False),
    Column("file", Text),
    Column("sha256", String(64)),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("rows", Integer),
    Column("inserted", Integer),
    Column("updated", Integer),
    Column("unchanged", Integer),
    Column("merged", Integer),
    Column("older_ignored", Integer),
    Column("rejected", Integer),
)

rejections = Table(
    "rejections",
    metadata,
    Column("rejection_id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("imports.import_id"), nullable=False),
    Column("file", Text),
    Column("line", Integer),
    Column("field", String(64)),
    Column("reason", Text),
    Column("value", Text),
    Index("ix_rejections_import", "import_id"),
)

documents = Table(
    "documents",
    metadata,
    Column("document_id", String(64), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("path", Text),
    Column("published", Date),
    Column("language", String(8)),
    Column("bylines", Text),  # JSON list
    Column("source", Text),
    Column("text", Text),
    Column("meta", Text),  # JSON object
    Column("added_at", DateTime(timezone=True)),
)

claims = Table(
    "claims",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("subject", Text, nullable=False),
    Column("object", Text),
    Column("value", Float),
    Column("value_text", Text),
    Column("qualifier", String(32)),
    Column("stated_by", Text),
    Column("date", Date),
    Column("country", String(128)),
    Column("text", Text, nullable=False),
    Column("document_id", String(64)),
    Column("char_start", Integer),
    Column("char_end", Integer),
    Column("coding_method", String(16)),
    Column("confidence", Float),
    Index("ix_claims_subject", "subject"),
    Index("ix_claims_kind", "kind"),
)

# ---------------------------------------------------------------------- operations (revision 0004_ops)
# The watch ledger: every document a source gave, by key (URL or path, plus feed item) and content hash.
# status: pending (fetched, not yet extracted) -> done | failed. A pending row carries the document as JSON
# so that a cycle killed after fetching resumes without fetching again.
watch_ledger = Table(
    "watch_ledger",
    metadata,
    Column("ledger_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(128), nullable=False),
    Column("doc_key", Text, nullable=False),
    Column("url", Text),
    Column("content_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("document_id", String(64)),
    Column("payload", Text),
    Column("events_new", Integer),
    Column("events_merged", Integer),
    Column("error", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ux_ledger_key_hash", "source", "doc_key", "content_hash", unique=True),
    Index("ix_ledger_status", "status"),
)

# One row per watched source: conditional-GET validators, the ACLED cursor, and its health.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("source", String(128), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("cursor", Text),
    Column("first_attempt", DateTime(timezone=True)),
    Column("last_attempt", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("last_new", DateTime(timezone=True)),
    Column("last_status", String(16)),
    Column("last_error", Text),
    Column("failures", Integer),
    Column("items_last", Integer),
    Column("items_history", Text),  # JSON list of the item counts of the last cycles
)

# Alerts raised by the rules (data/alert_rules.yaml); the analyst sets the state.
alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", String(40), primary_key=True),
    Column("rule", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("place", Text, nullable=False),
    Column("admin1", Text),
    Column("week", Date),
    Column("numbers", Text),  # JSON: the figures that raised it
    Column("message", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("state_at", DateTime(timezone=True)),
    Column("state_note", Text),
    Column("delivered", Text),  # JSON: channel -> time
    Index("ix_alerts_rule_place", "rule", "place"),
    Index("ix_alerts_state", "state"),
)

# Reports merged into an existing event (store/merge.py): what came in, so the merge can be undone.
event_merges = Table(
    "event_merges",
    metadata,
    Column("merge_id", Integer, primary_key=True, autoincrement=True),
    Column("event_id_cnty", String(64), nullable=False),  # the event that absorbed the report
    Column("absorbed_id", String(64), nullable=False),  # the incoming event's own id
    Column("absorbed", Text, nullable=False),  # JSON record of the incoming event
    Column("base", Text),  # JSON record of the event before its first merge
    Column("score", Float),
    Column("reason", Text),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),
    Index("ix_merges_event", "event_id_cnty"),
    Index("ix_merges_absorbed", "absorbed_id"),
)

# Web API tokens (migration 0003_web): only a SHA-256 digest of each token is kept.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)
