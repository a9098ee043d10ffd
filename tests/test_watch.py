"""`sahelwatch watch`: cycles against feeds served on 127.0.0.1 by a real HTTP server (fixture feeds written for
the tests, one changing between cycles, one failing), the ledger, crash safety (kill -9), source health."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

import sahelwatch
from sahelwatch.errors import InputError
from sahelwatch.store import schema
from sahelwatch.watch import parse_config, run_cycle, status
from sahelwatch.watch.health import assess

FIX = Path(__file__).parent / "fixtures" / "watch"


class FeedServer:
    """Serves ``routes`` (path -> bytes) with ETags; 304 on a matching If-None-Match; 500 on /broken.
    POSTs are recorded in ``posted`` (the webhook)."""

    def __init__(self):
        self.routes: dict[str, bytes] = {}
        self.log: list[tuple[str, int]] = []
        self.posted: list[dict] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def do_GET(self):
                if self.path == "/broken":
                    outer.log.append((self.path, 500))
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"internal error")
                    return
                body = outer.routes.get(self.path)
                if body is None:
                    outer.log.append((self.path, 404))
                    self.send_response(404)
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
                if self.headers.get("If-None-Match") == etag:
                    outer.log.append((self.path, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                outer.log.append((self.path, 200))
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                outer.posted.append(json.loads(self.rfile.read(n)))
                self.send_response(204)
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = FeedServer()
    s.routes["/wire.xml"] = (FIX / "wire.xml").read_bytes()
    s.routes["/local.xml"] = (FIX / "local_v1.xml").read_bytes()
    yield s
    s.close()


@pytest.fixture(scope="module")
def pipeline():
    from sahelwatch.extract.pipeline import Pipeline

    return Pipeline.load(country_focus="Mali")


def _config(server, tmp_path, **extra):
    raw = {
        "country": "Mali",
        "source": [
            {"name": "wire", "kind": "feed", "url": server.url + "/wire.xml", "interval": "15m"},
            {"name": "local", "kind": "feed", "url": server.url + "/local.xml", "interval": "15m"},
            {
                "name": "broken",
                "kind": "feed",
                "url": server.url + "/broken",
                "interval": "15m",
                "timeout": 5,
            },
        ],
        **extra,
    }
    return parse_config(raw, tmp_path / "watch.toml")


def _counts(store):
    t, led = schema.events, schema.watch_ledger
    with store.engine.connect() as conn:
        return {
            "events": conn.execute(select(func.count()).select_from(t)).scalar_one(),
            "documents": conn.execute(select(func.count()).select_from(schema.documents)).scalar_one(),
            "ledger": conn.execute(select(func.count()).select_from(led)).scalar_one(),
            "done": conn.execute(
                select(func.count()).select_from(led).where(led.c.status == "done")
            ).scalar_one(),
            "alerts": conn.execute(select(func.count()).select_from(schema.alerts)).scalar_one(),
            "merges": conn.execute(select(func.count()).select_from(schema.event_merges)).scalar_one(),
        }


def test_two_cycles_new_documents_merged_events_alerts_and_the_failing_source(server, tmp_path, pipeline):
    store = sahelwatch.open(tmp_path / "w.db")
    cfg = _config(server, tmp_path)
    factory = lambda **kw: pipeline  # noqa: E731 - one loaded pipeline for the whole module

    r1 = run_cycle(store, cfg, pipeline_factory=factory)
    assert (r1.documents_new, r1.documents_processed, r1.events_new, r1.events_merged) == (3, 3, 3, 0)
    by = {s.source: s for s in r1.sources}
    assert by["broken"].error and "HTTP 500" in by["broken"].error
    assert (by["wire"].new, by["local"].new) == (2, 1)
    kinds = sorted(a["kind"] for a in r1.alerts)
    # Mopti: 25 deaths in 2 events, nothing before -> lethality; the broken feed -> its own alert
    assert kinds == ["lethality", "source_health"], r1.alerts
    assert any(a["place"] == "source:broken" for a in r1.alerts)

    # between cycles the local feed gains a second report of the Ogossagou attack (another outlet, toll 15)
    server.routes["/local.xml"] = (FIX / "local_v2.xml").read_bytes()
    r2 = run_cycle(store, cfg, pipeline_factory=factory)
    by = {s.source: s for s in r2.sources}
    assert by["wire"].not_modified  # conditional GET: 304
    assert (by["local"].fetched, by["local"].new) == (2, 1)
    assert (r2.documents_new, r2.events_new, r2.events_merged) == (1, 0, 1)
    assert r2.alerts_new == 0 and r2.alerts_suppressed == 2  # same rule, place and week: not raised twice
    assert ("/wire.xml", 304) in server.log

    ev = store.events()
    assert len(ev) == 3
    ogo = ev[ev["event_type"] == "Violence against civilians"].iloc[0]
    assert ogo["fatalities"] == 12  # the most conservative of 12 and 15
    assert len(ogo["sources"]) == 2 and len({s["document_id"] for s in ogo["sources"]}) == 2
    assert len(store.history(ogo["event_id_cnty"])) == 1  # the version before the merge

    st = status(store, cfg.sources)
    flags = {h["source"]: h["flag"] for h in st["sources"]}
    assert flags == {"wire": "ok", "local": "ok", "broken": "failing"}
    assert st["ledger"] == {"done": 4}

    # a third cycle with nothing new changes nothing
    before = _counts(store)
    r3 = run_cycle(store, cfg, pipeline_factory=factory)
    assert (r3.documents_new, r3.events_new, r3.events_merged, r3.alerts_new) == (0, 0, 0, 0)
    assert _counts(store) == before


def test_kill_9_in_the_middle_of_a_cycle_then_rerun_loses_nothing_and_duplicates_nothing(
    server, tmp_path, pipeline
):
    server.routes["/local.xml"] = (FIX / "local_v2.xml").read_bytes()
    # reference: the same sources, one uninterrupted cycle
    ref = sahelwatch.open(tmp_path / "ref.db")
    run_cycle(ref, _config(server, tmp_path), pipeline_factory=lambda **kw: pipeline)
    ref_events = ref.events()[["event_id_cnty", "event_date", "event_type", "location", "fatalities"]]

    db = tmp_path / "killed.db"
    toml = tmp_path / "watch.toml"
    toml.write_text(
        'country = "Mali"\npause = "2s"\n'
        f'[[source]]\nname = "wire"\nkind = "feed"\nurl = "{server.url}/wire.xml"\n'
        f'[[source]]\nname = "local"\nkind = "feed"\nurl = "{server.url}/local.xml"\n'
        f'[[source]]\nname = "broken"\nkind = "feed"\nurl = "{server.url}/broken"\n',
        "utf-8",
    )
    cmd = [sys.executable, "-m", "sahelwatch.cli", "watch", "--config", str(toml), "--once", "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed_at = None
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                s = sahelwatch.open(db, migrate=False)
                c = _counts(s)
                s.close()
                if c["done"] >= 1:  # one document committed, the next in progress or waiting
                    proc.send_signal(signal.SIGKILL)
                    killed_at = c
                    break
            except Exception:
                pass
        time.sleep(0.05)
    proc.wait(30)
    assert killed_at is not None, "the cycle ended before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    s = sahelwatch.open(db)
    mid = _counts(s)
    assert mid["ledger"] == 4 and mid["done"] < 4  # everything fetched was recorded, not all extracted

    toml.write_text(toml.read_text("utf-8").replace('pause = "2s"', 'pause = "0s"'), "utf-8")
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    after = _counts(s)
    got = s.events()[["event_id_cnty", "event_date", "event_type", "location", "fatalities"]]
    assert after["done"] == 4 and after["ledger"] == 4 and after["documents"] == 4
    assert got["event_id_cnty"].is_unique
    assert sorted(map(tuple, got.astype(str).values)) == sorted(map(tuple, ref_events.astype(str).values))
    assert after["merges"] == _counts(ref)["merges"] == 1


def test_folder_source_reads_new_and_changed_files_including_pdf(tmp_path, pipeline):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "bulletin.txt").write_text(
        "Bulletin of 2 April 2019. Unidentified gunmen killed 3 civilians on Monday in Sevare, in the Mopti region "
        "of Mali, residents said.",
        "utf-8",
    )
    (drop / "report.pdf").write_bytes(
        _pdf(
            "Malian soldiers clashed with JNIM fighters near Boni on 26 March 2019. "
            "Four soldiers were killed."
        )
    )
    (drop / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    cfg = parse_config(
        {"country": "Mali", "source": [{"name": "drop", "kind": "folder", "path": str(drop)}]},
        tmp_path / "watch.toml",
    )
    store = sahelwatch.open(tmp_path / "f.db")
    r1 = run_cycle(store, cfg, pipeline_factory=lambda **kw: pipeline)
    assert r1.documents_new == 2 and r1.documents_processed == 2
    led = (
        store.engine.connect()
        .execute(
            select(schema.watch_ledger.c.doc_key, schema.watch_ledger.c.status, schema.watch_ledger.c.error)
        )
        .all()
    )
    states = {k: (s, e) for k, s, e in led}
    assert states["broken.pdf"][0] == "failed" and "PDF" in states["broken.pdf"][1]
    assert states["report.pdf"][0] == "done"
    r2 = run_cycle(store, cfg, pipeline_factory=lambda **kw: pipeline)
    assert r2.documents_new == 0
    (drop / "bulletin.txt").write_text("Bulletin of 3 April 2019. Nothing to report today in Mopti.", "utf-8")
    r3 = run_cycle(store, cfg, pipeline_factory=lambda **kw: pipeline)
    assert r3.documents_new == 1


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF with a text layer (Helvetica), written by hand for the test."""
    content = f"BT /F1 10 Tf 40 700 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_health_flags_silent_and_suddenly_empty_sources():
    from sahelwatch.watch.config import Source

    now = dt.datetime(2026, 1, 10, tzinfo=dt.timezone.utc)
    src = Source("s", "feed", url="http://x", interval=3600, freshness=86400)
    base = {
        "source": "s",
        "kind": "feed",
        "last_attempt": now,
        "last_success": now,
        "last_status": "ok",
        "failures": 0,
        "first_attempt": now - dt.timedelta(days=5),
    }
    fresh = assess(
        {**base, "last_new": now - dt.timedelta(hours=2), "items_last": 5, "items_history": "[5, 5]"},
        src,
        now,
    )
    assert fresh["flag"] == "ok"
    silent = assess(
        {**base, "last_new": now - dt.timedelta(days=3), "items_last": 5, "items_history": "[5, 5]"}, src, now
    )
    assert silent["flag"] == "silent" and silent["overdue_hours"] == 48.0
    empty = assess(
        {**base, "last_new": now - dt.timedelta(hours=1), "items_last": 0, "items_history": "[6, 5, 7, 0]"},
        src,
        now,
    )
    assert empty["flag"] == "empty" and "median of 6" in empty["detail"]
    never = assess(None, src, now)
    assert never["flag"] == "never fetched"
    failing = assess(
        {**base, "last_status": "error", "failures": 3, "last_error": "x: HTTP 503", "last_new": now},
        src,
        now,
    )
    assert failing["flag"] == "failing" and "HTTP 503" in failing["detail"]


@pytest.mark.parametrize(
    "raw, why",
    [
        ({}, "no [[source]]"),
        ({"source": [{"name": "a", "kind": "gopher"}]}, "kind 'gopher'"),
        ({"source": [{"name": "a", "kind": "feed"}]}, "needs 'url'"),
        (
            {"source": [{"name": "a", "kind": "feed", "url": "http://x", "interval": "soon"}]},
            "not a duration",
        ),
        (
            {
                "source": [
                    {"name": "a", "kind": "feed", "url": "http://x"},
                    {"name": "a", "kind": "feed", "url": "http://y"},
                ]
            },
            "used twice",
        ),
        (
            {
                "source": [{"name": "a", "kind": "feed", "url": "http://x"}],
                "alerts": {"channel": [{"kind": "email"}]},
            },
            "'host' is missing",
        ),
        (
            {"source": [{"name": "a", "kind": "feed", "url": "http://x"}], "sources": []},
            "unknown key 'sources'",
        ),
    ],
)
def test_config_errors_name_the_field(raw, why, tmp_path):
    with pytest.raises(InputError, match="watch.toml") as e:
        parse_config(raw, tmp_path / "watch.toml")
    assert why in str(e.value)


def test_cli_watch_once_and_status(server, tmp_path):
    toml = tmp_path / "watch.toml"
    toml.write_text(f'[[source]]\nname = "broken"\nkind = "feed"\nurl = "{server.url}/broken"\n', "utf-8")
    db = tmp_path / "cli.db"
    env = {**os.environ, "SAHELWATCH_DB": str(db)}
    r = subprocess.run(
        [sys.executable, "-m", "sahelwatch.cli", "watch", "--config", str(toml), "--once"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "0 new documents" in r.stderr and "HTTP 500" in r.stderr
    st = subprocess.run(
        [sys.executable, "-m", "sahelwatch.cli", "status", "--config", str(toml), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert st.returncode == 1  # a flagged source makes `status` fail, for cron and monitoring
    body = json.loads(st.stdout)
    assert body["sources"][0]["flag"] == "failing" and body["flagged"] == 1


class FakeAcled:
    """ACLED's API on 127.0.0.1: OAuth token, /api/acled/read (filter timestamp > cursor), /api/deleted/read."""

    def __init__(self, records, deleted):
        import urllib.parse

        self.records, self.deleted, self.queries = records, deleted, []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._json({"access_token": "tok", "refresh_token": "ref", "expires_in": 86400})

            def do_GET(self):
                u = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(u.query))
                outer.queries.append((u.path, q))
                cur = int(q.get("timestamp") or q.get("deleted_timestamp") or 0)
                if u.path == "/api/acled/read":
                    self._json(
                        {"success": True, "data": [r for r in outer.records if int(r["timestamp"]) > cur]}
                    )
                elif u.path == "/api/deleted/read":
                    self._json(
                        {
                            "success": True,
                            "data": [d for d in outer.deleted if int(d["deleted_timestamp"]) > cur],
                        }
                    )
                else:
                    self.send_response(404)
                    self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_acled_source_is_incremental_by_timestamp_and_carries_deletions(tmp_path, monkeypatch):
    monkeypatch.setenv("ACLED_USERNAME", "analyst@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", "not-a-real-password")
    base = json.loads((Path(__file__).parent / "fixtures" / "acled_api" / "mali_page2.json").read_text())[
        "data"
    ][0]
    rec = lambda i, ts, **k: {**base, "event_id_cnty": f"MLI9920{i}", "timestamp": str(ts), **k}  # noqa: E731
    api = FakeAcled([rec(1, 1000), rec(2, 1000)], [])
    try:
        cfg = parse_config(
            {
                "source": [
                    {
                        "name": "acled",
                        "kind": "acled",
                        "country": "Mali",
                        "base_url": api.url,
                        "since": "2025-01-01",
                    }
                ]
            },
            tmp_path / "watch.toml",
        )
        store = sahelwatch.open(tmp_path / "a.db")
        r1 = run_cycle(store, cfg)
        assert (r1.documents_new, r1.rows_imported, r1.events_deleted) == (1, 2, 0)
        assert api.queries[0][1].get("event_date") == "2025-01-01" and "timestamp" not in api.queries[0][1]
        # ACLED revises MLI99201 (a later timestamp, 3 deaths) and deletes MLI99202
        api.records.append(rec(1, 2000, fatalities="3"))
        api.deleted.append({"event_id_cnty": "MLI99202", "deleted_timestamp": "2100"})
        r2 = run_cycle(store, cfg)
        reads = [q for p, q in api.queries if p == "/api/acled/read"]
        assert reads[-1]["timestamp"] == "1000" and reads[-1]["timestamp_where"] == ">"
        assert (r2.documents_new, r2.rows_imported, r2.events_deleted) == (1, 1, 1)
        ev = store.events()
        assert list(ev["event_id_cnty"]) == ["MLI99201"] and ev.iloc[0]["fatalities"] == 3
        assert len(store.history("MLI99202")) == 1 and len(store.history("MLI99201")) == 1
        r3 = run_cycle(store, cfg)  # nothing newer than 2100: nothing to do
        assert (r3.documents_new, r3.rows_imported) == (0, 0)
        assert [q for p, q in api.queries if p == "/api/acled/read"][-1]["timestamp"] == "2100"
    finally:
        api.close()


def test_url_list_source_fetches_each_page_conditionally(server, tmp_path, pipeline):
    server.routes["/page1.html"] = (
        b"<html><head><title>Attack</title></head><body><p>Gunmen killed 4 civilians on "
        b"Monday 1 April 2019 in Sevare, in the Mopti region of Mali, witnesses said.</p>"
        b"</body></html>"
    )
    lst = tmp_path / "urls.txt"
    lst.write_text(f"{server.url}/page1.html\n{server.url}/missing.html\n", "utf-8")
    cfg = parse_config(
        {"country": "Mali", "source": [{"name": "pages", "kind": "urls", "path": str(lst)}]},
        tmp_path / "watch.toml",
    )
    store = sahelwatch.open(tmp_path / "u.db")
    r1 = run_cycle(store, cfg, pipeline_factory=lambda **kw: pipeline)
    assert r1.documents_new == 1 and any("HTTP 404" in m for m in r1.sources[0].messages)
    r2 = run_cycle(store, cfg, pipeline_factory=lambda **kw: pipeline)
    assert r2.documents_new == 0 and ("/page1.html", 304) in server.log


def test_api_status_shows_the_failing_source(server, tmp_path):
    from fastapi.testclient import TestClient

    from sahelwatch.web.app import create_app

    store = sahelwatch.open(tmp_path / "s.db")
    cfg = parse_config(
        {"source": [{"name": "broken", "kind": "feed", "url": server.url + "/broken"}]},
        tmp_path / "watch.toml",
    )
    run_cycle(store, cfg)
    body = TestClient(create_app(store)).get("/api/status").json()
    assert body["watch"]["flagged"] == 1
    assert (
        body["watch"]["sources"][0]["source"] == "broken" and body["watch"]["sources"][0]["flag"] == "failing"
    )
