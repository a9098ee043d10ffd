"""ACLED API client against recorded responses (tests/fixtures/acled_api), never the live API."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from sahelwatch.errors import InputError
from sahelwatch.ingest.acled_api import AcledApiError, AcledClient, export_row
from sahelwatch.model import ACLED_COLUMNS

FIX = Path(__file__).parent / "fixtures" / "acled_api"
USER, PASSWORD = "analyst@example.org", "s3cret-Passw0rd!"


def fixture(name: str) -> dict:
    return json.loads((FIX / name).read_text("utf-8"))


class Replay:
    """An httpx transport that answers from a script of recorded responses and logs the requests."""

    def __init__(self, token=None, reads=None):
        self.tokens = list(token or [(200, "token.json")])
        self.reads = list(reads or [])
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth/token":
            assert request.method == "POST"
            status, name = self.tokens.pop(0) if len(self.tokens) > 1 else self.tokens[0]
        elif request.url.path == "/api/acled/read":
            assert request.method == "GET"
            status, name = self.reads.pop(0)
        else:  # pragma: no cover - a wrong URL is a failing test
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        headers = {}
        if isinstance(name, tuple):
            name, headers = name
        body = (FIX / name).read_bytes() if name else b""
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json", **headers})

    def form(self, i: int) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.requests[i].content.decode()).items()}

    def reads_made(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/api/acled/read"]


def client(replay: Replay, **kw) -> tuple[AcledClient, list[float]]:
    slept: list[float] = []
    c = AcledClient(USER, PASSWORD, transport=httpx.MockTransport(replay), sleep=slept.append, **kw)
    return c, slept


def test_pages_until_a_short_page_with_oauth_and_filters():
    replay = Replay(reads=[(200, "mali_page1.json"), (200, "mali_page2.json")])
    c, _ = client(replay)
    rows = list(c.events(country="Mali", since="2025-03-01", until="2025-03-31", page_size=3))
    assert [r["event_id_cnty"] for r in rows] == ["MLI99104", "MLI99103", "MLI99102", "MLI99101"]
    # the token request: OAuth password grant with ACLED's client id
    assert replay.requests[0].url == "https://acleddata.com/oauth/token"
    assert replay.form(0) == {
        "username": USER,
        "password": PASSWORD,
        "grant_type": "password",
        "client_id": "acled",
    }
    reads = replay.reads_made()
    assert len(reads) == 2
    q1 = dict(reads[0].url.params)
    assert reads[0].url.host == "acleddata.com" and reads[0].url.path == "/api/acled/read"
    assert q1["_format"] == "json" and q1["country"] == "Mali"
    assert q1["event_date"] == "2025-03-01|2025-03-31" and q1["event_date_where"] == "BETWEEN"
    assert q1["limit"] == "3" and q1["page"] == "1" and q1["inter_num"] == "1"
    assert dict(reads[1].url.params)["page"] == "2"
    assert all(r.headers["Authorization"] == "Bearer fixture-access-token-1" for r in reads)
    assert len([r for r in replay.requests if r.url.path == "/oauth/token"]) == 1  # token reused


def test_rows_are_acled_export_rows_of_strings():
    replay = Replay(reads=[(200, "mali_page2.json")])
    c, _ = client(replay)
    (row,) = list(c.events(country="Mali", page_size=3))
    assert list(row)[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert all(isinstance(v, str) for v in row.values())
    assert row["inter1"] == "6" and row["inter2"] == "0"  # no actor2: inter2 0, as in ACLED CSV exports
    assert row["tags"] == "crowd size=dozens"


def test_text_inter_labels_numbers_and_nulls_are_normalised():
    rec = fixture("text_inter_page.json")["data"][0]
    row = export_row(rec)
    assert row["inter1"] == "2" and row["inter2"] == "7" and row["interaction"] == "27"
    assert row["fatalities"] == "3" and row["iso"] == "854" and row["tags"] == ""
    assert row["latitude"] == "14.4439" and row["timestamp"] == "1747300000"


def test_since_only_and_until_only():
    for kwargs, value, where in (
        ({"since": "2025-01-01"}, "2025-01-01", ">="),
        ({"until": "2025-02-01"}, "2025-02-01", "<="),
    ):
        replay = Replay(reads=[(200, "empty_page.json")])
        c, _ = client(replay)
        assert list(c.events(**kwargs)) == []
        q = dict(replay.reads_made()[0].url.params)
        assert q["event_date"] == value and q["event_date_where"] == where and "country" not in q


def test_several_countries_query_each():
    replay = Replay(reads=[(200, "mali_page2.json"), (200, "empty_page.json")])
    c, _ = client(replay)
    rows = list(c.events(country=["Mali", "Niger"], page_size=3))
    assert len(rows) == 1
    assert [dict(r.url.params)["country"] for r in replay.reads_made()] == ["Mali", "Niger"]


def test_401_refreshes_the_token_and_retries():
    replay = Replay(
        token=[(200, "token.json"), (200, "token_refreshed.json")],
        reads=[(401, "expired_token.json"), (200, "mali_page2.json")],
    )
    c, _ = client(replay)
    rows = list(c.events(country="Mali", page_size=3))
    assert len(rows) == 1
    token_calls = [i for i, r in enumerate(replay.requests) if r.url.path == "/oauth/token"]
    assert len(token_calls) == 2
    assert replay.form(token_calls[1]) == {
        "grant_type": "refresh_token",
        "refresh_token": "fixture-refresh-token-1",
        "client_id": "acled",
    }
    assert replay.reads_made()[-1].headers["Authorization"] == "Bearer fixture-access-token-2"


def test_expired_token_is_refreshed_before_the_request():
    now = [1000.0]
    replay = Replay(
        token=[(200, "token.json"), (200, "token_refreshed.json")],
        reads=[(200, "mali_page2.json"), (200, "mali_page2.json")],
    )
    c = AcledClient(
        USER, PASSWORD, transport=httpx.MockTransport(replay), sleep=lambda s: None, clock=lambda: now[0]
    )
    list(c.events(page_size=3))
    now[0] += 86400  # a day later the 24-hour token has expired
    list(c.events(page_size=3))
    auths = [r.headers["Authorization"] for r in replay.reads_made()]
    assert auths == ["Bearer fixture-access-token-1", "Bearer fixture-access-token-2"]


def test_refused_refresh_token_falls_back_to_password():
    replay = Replay(
        token=[(200, "token.json"), (400, "bad_credentials.json"), (200, "token_refreshed.json")],
        reads=[(401, "expired_token.json"), (200, "empty_page.json")],
    )
    c, _ = client(replay)
    assert list(c.events()) == []
    grants = [
        replay.form(i)["grant_type"] for i, r in enumerate(replay.requests) if r.url.path == "/oauth/token"
    ]
    assert grants == ["password", "refresh_token", "password"]


def test_retries_429_and_5xx_with_backoff_and_retry_after():
    replay = Replay(
        reads=[
            (429, ("empty_page.json", {"Retry-After": "7"})),
            (503, ""),
            (502, ""),
            (200, "mali_page2.json"),
        ]
    )
    c, slept = client(replay, backoff=1.0)
    assert len(list(c.events(page_size=3))) == 1
    assert slept == [7.0, 2.0, 4.0]  # Retry-After honoured, then exponential backoff


def test_gives_up_after_max_retries_with_clear_error():
    replay = Replay(reads=[(500, "")] * 4)
    c, slept = client(replay, max_retries=3, backoff=0.5)
    with pytest.raises(AcledApiError, match="HTTP 500"):
        list(c.events())
    assert slept == [0.5, 1.0, 2.0]


def test_bad_credentials_tell_the_user_what_to_check(caplog):
    replay = Replay(token=[(400, "bad_credentials.json")])
    c, _ = client(replay)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InputError) as err:
        list(c.events(country="Mali"))
    msg = str(err.value)
    assert "ACLED_USERNAME" in msg and "ACLED_PASSWORD" in msg and "credentials were incorrect" in msg
    assert PASSWORD not in msg and USER not in msg and "a***@example.org" in msg
    assert PASSWORD not in caplog.text and "fixture-access-token" not in caplog.text
    assert PASSWORD not in repr(c)


def test_forbidden_explains_account_access():
    replay = Replay(reads=[(403, "forbidden.json")])
    c, _ = client(replay)
    with pytest.raises(AcledApiError, match="terms of use"):
        list(c.events())


def test_missing_credentials(monkeypatch):
    monkeypatch.delenv("ACLED_USERNAME", raising=False)
    monkeypatch.delenv("ACLED_PASSWORD", raising=False)
    with pytest.raises(InputError, match="ACLED_USERNAME"):
        AcledClient()


def test_credentials_from_environment(monkeypatch):
    monkeypatch.setenv("ACLED_USERNAME", USER)
    monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
    replay = Replay(reads=[(200, "empty_page.json")])
    c = AcledClient(transport=httpx.MockTransport(replay))
    assert list(c.events()) == []
    assert replay.form(0)["username"] == USER


def test_bad_dates_rejected_before_any_request():
    replay = Replay()
    c, _ = client(replay)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        list(c.events(since="14/03/2025"))
    with pytest.raises(InputError, match="after"):
        list(c.events(since="2025-03-02", until="2025-03-01"))
    assert replay.requests == []


def test_rows_import_into_the_store_through_the_acled_importer(tmp_path):
    """The rows are ACLED export rows: the ACLED importer takes them unchanged, none rejected."""
    acled = pytest.importorskip("sahelwatch.ingest.acled")
    import sahelwatch

    replay = Replay(reads=[(200, "mali_page1.json"), (200, "mali_page2.json")])
    c, _ = client(replay)
    store = sahelwatch.open(str(tmp_path / "api.db"))
    report = acled.import_acled_rows(store, c.events(country="Mali", page_size=3))
    assert (report.rows, report.inserted, report.rejected) == (4, 4, 0), report.rejections
    again = acled.import_acled_rows(
        store,
        client(Replay(reads=[(200, "mali_page1.json"), (200, "mali_page2.json")]))[0].events(
            country="Mali", page_size=3
        ),
    )
    assert (again.inserted, again.unchanged) == (0, 4)  # idempotent: the same pages change nothing
