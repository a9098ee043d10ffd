"""The API against its own OpenAPI schema (schemathesis, generated requests): no input gives a server error, and
every answer has a status the schema allows or a 4xx that names the problem."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is a test dependency (requirements-test.lock)"
)
from hypothesis import HealthCheck, settings  # noqa: E402

import sahelwatch  # noqa: E402
from sahelwatch.ingest.acled import import_acled  # noqa: E402
from sahelwatch.web.app import create_app  # noqa: E402

from acled_samples import sample_rows, write_csv  # noqa: E402

_tmp = Path(tempfile.mkdtemp(prefix="sw-schema-"))
_store = sahelwatch.open(_tmp / "schema.db")
import_acled(_store, write_csv(_tmp / "events.csv", sample_rows()))
APP = create_app(_store, max_upload=10_000)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.exclude(path_regex=r"^/api/(analyses/.*|network)$").parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resp = case.call(timeout=120)
    assert resp.status_code < 500, (
        case.method,
        case.formatted_path,
        case.query,
        resp.status_code,
        resp.text[:300],
    )
    if resp.status_code >= 400:
        assert "detail" in resp.json(), resp.text[:300]
    if case.method == "POST" and case.path in ("/api/import/acled", "/api/extract"):
        assert resp.status_code == 401  # no token was sent: nothing written
    assert _store.count() == len(sample_rows())
