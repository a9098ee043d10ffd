"""Shared fixtures: a store on SQLite and, where a server is reachable, on PostgreSQL.

PostgreSQL tests use $SAHELWATCH_TEST_PG_URL (an admin URL such as
postgresql://postgres@127.0.0.1:5432/postgres; .ci/run starts a server and sets it).
Without it they skip and say why.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

import sahelwatch

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_URL = os.environ.get("SAHELWATCH_TEST_PG_URL")


def _pg_database():
    """Create a throw-away database on the test server; yield its URL; drop it."""
    from sqlalchemy import create_engine, text

    if not PG_URL:
        pytest.skip("PostgreSQL tests need $SAHELWATCH_TEST_PG_URL (set by .ci/run, which starts a server)")
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"sw_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # server down: that is a failure in CI, a skip elsewhere
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {PG_URL} not reachable: {exc}")
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty store on each backend."""
    if request.param == "sqlite":
        s = sahelwatch.open(tmp_path / "events.db")
        yield s
        s.close()
    else:
        gen = _pg_database()
        url = next(gen)
        s = sahelwatch.open(url)
        try:
            yield s
        finally:
            s.close()
            for _ in gen:
                pass


@pytest.fixture
def sqlite_store(tmp_path):
    s = sahelwatch.open(tmp_path / "events.db")
    yield s
    s.close()


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); this integration test reads its real data")
    return SHARED
