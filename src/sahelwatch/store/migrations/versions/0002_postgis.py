"""PostGIS, where the server has it: a point geometry generated from latitude/longitude, GiST-indexed,
so GIS clients (QGIS) read the shared store as a spatial layer. Nothing happens on SQLite or
on a PostgreSQL server without the extension.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _has_postgis(bind) -> bool:
    if bind.dialect.name != "postgresql":
        return False
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
    if not available:
        return False
    installed = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
    if not installed:
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
        except sa.exc.DBAPIError:  # no privilege to create it: stay without geometry
            return False
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if not _has_postgis(bind):
        return
    bind.execute(sa.text(
        "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
        "(CASE WHEN longitude IS NULL OR latitude IS NULL THEN NULL "
        "ELSE ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END) STORED"))
    bind.execute(sa.text("CREATE INDEX ix_events_geom ON events USING GIST (geom)"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP INDEX IF EXISTS ix_events_geom"))
        bind.execute(sa.text("ALTER TABLE events DROP COLUMN IF EXISTS geom"))
