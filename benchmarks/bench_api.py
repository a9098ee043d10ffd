"""Web API and dashboard speed (issue 14), as ratios against the underlying SQL measured in the same run.

1. A synthetic store of N events (default 1,000,000; generated here, written straight into the events table) on
   SQLite and, when $SAHELWATCH_TEST_PG_URL is set, on PostgreSQL (a throw-away database).
2. A real uvicorn server on 127.0.0.1 over that store; an HTTP client asks for
   - /api/events pages of 1,000 (first pages and deep keyset pages, with and without filters), and
   - /api/aggregates by PRIO-GRID cell and month (a country-year, and the whole store),
   and the same SQL runs directly through SQLAlchemy (rows fetched, nothing serialised): ratio of medians, p95.
   Targets: ratio <= 2, p95 <= 300 ms.
3. The dashboard on a 100,000-event store in headless Chromium (Debian's): time to the first complete render,
   then frame times while panning (requestAnimationFrame intervals measured in the page).

    .venv/bin/python benchmarks/bench_api.py [--events 1000000] [--repeat 30] [--no-pg] [--no-browser] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import create_engine, insert, text

import sahelwatch
from sahelwatch.store import query as Q
from sahelwatch.store import schema
from sahelwatch.web.app import create_app

COUNTRIES = [
    ("Mali", 466, "MLI", (-12.0, 10.2, 4.2, 25.0), ["Mopti", "Segou", "Gao", "Timbuktu", "Menaka", "Kidal"]),
    (
        "Burkina Faso",
        854,
        "BFO",
        (-5.5, 9.4, 2.4, 15.1),
        ["Sahel", "Nord", "Est", "Centre-Nord", "Boucle du Mouhoun"],
    ),
    ("Niger", 562, "NIG", (0.2, 11.7, 16.0, 23.5), ["Tillaberi", "Tahoua", "Diffa", "Maradi", "Agadez"]),
]
TYPES = [
    ("Battles", "Armed clash", 2, 1),
    ("Violence against civilians", "Attack", 2, 7),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 2, 1),
    ("Protests", "Peaceful protest", 6, 0),
    ("Riots", "Mob violence", 5, 7),
    ("Strategic developments", "Looting/property destruction", 4, 7),
]
ACTORS = [
    "JNIM: Group for Support of Islam and Muslims",
    "Islamic State (West Africa) - Greater Sahara Faction",
    "Military Forces of Mali (2021-)",
    "Military Forces of Burkina Faso (2022-)",
    "Wagner Group",
    "Dozo Communal Militia (Mali)",
    "VDP: Volunteers for the Defense of the Homeland",
]
LAUNCH = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--use-gl=swiftshader",
    "--enable-unsafe-swiftshader",
]


# ----------------------------------------------------------------------------------------- data
def fill(store, n: int, seed: int = 7, batch: int = 20_000) -> float:
    """N synthetic events, clustered around hot areas, 2012-2024, straight into the events table."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    base = dt.date(2012, 1, 1).toordinal()
    with store.importing("bench") as (conn, report):
        for start in range(0, n, batch):
            k = min(batch, n - start)
            ci = rng.choice(3, size=k, p=[0.45, 0.4, 0.15])
            ti = rng.choice(len(TYPES), size=k, p=[0.3, 0.25, 0.15, 0.15, 0.05, 0.1])
            days = rng.integers(0, 13 * 365, size=k)
            fat = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 15, 40], size=k)
            ai = rng.integers(0, len(ACTORS), size=k)
            rows = []
            for j in range(k):
                name, iso, code, (x0, y0, x1, y1), a1s = COUNTRIES[ci[j]]
                cx, cy = x0 + (x1 - x0) * ((j * 7919) % 97) / 97, y0 + (y1 - y0) * ((j * 104729) % 89) / 89
                lon = float(np.clip(cx + rng.normal(0, 0.4), x0, x1))
                lat = float(np.clip(cy + rng.normal(0, 0.4), y0, y1))
                et, st, i1, i2 = TYPES[ti[j]]
                d = dt.date.fromordinal(base + int(days[j]))
                i = start + j
                rows.append(
                    {
                        "event_id_cnty": f"{code}{i:07d}",
                        "event_date": d,
                        "year": d.year,
                        "time_precision": 1,
                        "disorder_type": "Political violence",
                        "event_type": et,
                        "sub_event_type": st,
                        "actor1": ACTORS[ai[j]],
                        "inter1": i1,
                        "actor2": ACTORS[(ai[j] + 2) % len(ACTORS)] if i2 else None,
                        "inter2": i2,
                        "interaction": 10 * min(i1, i2) + max(i1, i2) if i2 else 10 * i1,
                        "iso": iso,
                        "region": "Western Africa",
                        "country": name,
                        "admin1": a1s[j % len(a1s)],
                        "admin2": f"{a1s[j % len(a1s)]} {j % 7}",
                        "location": f"Village {i % 9000}",
                        "latitude": round(lat, 4),
                        "longitude": round(lon, 4),
                        "geo_precision": 1 + j % 3,
                        "source": "Synthetic Wire",
                        "source_scale": "National",
                        "notes": f"On {d}, synthetic event {i} near village {i % 9000}.",
                        "fatalities": int(fat[j]),
                        "timestamp": 1600000000 + i,
                        "dataset": "bench",
                        "sources": "[]",
                        "extra": "{}",
                        "content_hash": f"{i:032x}",
                        "import_id": report.import_id,
                    }
                )
            conn.execute(insert(schema.events), rows)
        report.rows = report.inserted = n
    return time.perf_counter() - t0


def _pg_database(admin_url: str) -> tuple[str, callable]:
    admin = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"sw_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.rsplit("/", 1)[0] + "/" + name, drop


# ----------------------------------------------------------------------------------------- server
class Server:
    def __init__(self, store):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return float(np.percentile(xs, 95))


def measure_api(store, repeat: int) -> list[dict]:
    """API over HTTP vs the same SQL run directly, alternating so load on the machine hits both alike."""
    results = []
    with Server(store) as base, httpx.Client(base_url=base, timeout=120) as client:
        client.get("/api/status")
        # deep cursors spread over the store (keyset: any depth costs the same)
        cursors = [None]
        r = client.get("/api/events", params={"limit": 10_000, "fields": "event_id_cnty,event_date"}).json()
        for _ in range(3):
            if r["next"]:
                cursors.append(httpx.URL(r["next"]).params["cursor"])
                r = client.get(r["next"]).json()
        cases = [
            ("events page 1,000, no filter", {}, cursors),
            (
                "events page 1,000, Mali 2019, deep pages",
                {"country": "Mali", "since": "2019-01-01", "until": "2019-12-31"},
                [None],
            ),
            ("events page 1,000, bbox + event type", {"bbox": "-5,12,0,16", "event_type": "Battles"}, [None]),
        ]
        for label, flt, curs in cases:
            kw = _store_filters(flt)
            api_ms, sql_ms = [], []
            for i in range(repeat):
                cur = curs[i % len(curs)]
                params = {**flt, "limit": 1000, **({"cursor": cur} if cur else {})}
                t0 = time.perf_counter()
                resp = client.get("/api/events", params=params)
                resp.raise_for_status()
                api_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                rows = Q.page(store, kw, limit=1000, cursor=cur).rows if cur else Q.sql_page(store, kw, 1000)
                sql_ms.append((time.perf_counter() - t0) * 1000)
                assert len(resp.json()["data"]) == len(rows)
            results.append(_row(label, api_ms, sql_ms))
        for label, flt in (
            (
                "aggregates cell x month, Mali 2019",
                {"country": "Mali", "since": "2019-01-01", "until": "2019-12-31"},
            ),
            ("aggregates cell x month, one admin1, all years", {"admin1": "Mopti"}),
            ("aggregates cell x month, whole store", {}),
        ):
            kw = _store_filters(flt)
            api_ms, sql_ms = [], []
            for _ in range(max(5, repeat // 3) if not flt else repeat):
                t0 = time.perf_counter()
                resp = client.get("/api/aggregates", params={**flt, "by": ["priogrid", "month"]})
                resp.raise_for_status()
                api_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                rows = Q.sql_aggregate_cell_month(store, kw)
                sql_ms.append((time.perf_counter() - t0) * 1000)
                assert resp.json()["count"] == len(rows)
            results.append(_row(label, api_ms, sql_ms))
    return results


def _store_filters(flt: dict) -> dict:
    kw = {}
    if "country" in flt:
        kw["countries"] = [flt["country"]]
    if "admin1" in flt:
        kw["admin1"] = [flt["admin1"]]
    for k in ("since", "until"):
        if k in flt:
            kw[k] = flt[k]
    if "bbox" in flt:
        kw["bbox"] = tuple(float(x) for x in flt["bbox"].split(","))
    if "event_type" in flt:
        kw["event_types"] = [flt["event_type"]]
    return kw


def _row(label, api_ms, sql_ms) -> dict:
    m_api, m_sql = statistics.median(api_ms), statistics.median(sql_ms)
    return {
        "case": label,
        "api_median_ms": round(m_api, 1),
        "api_p95_ms": round(p95(api_ms), 1),
        "sql_median_ms": round(m_sql, 1),
        "sql_p95_ms": round(p95(sql_ms), 1),
        "ratio": round(m_api / m_sql, 2),
        "n": len(api_ms),
    }


# ----------------------------------------------------------------------------------------- browser
def measure_dashboard(store, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    from sahelwatch.web.app import static_dir

    if not (static_dir() / "index.html").is_file():
        return {"skipped": "dashboard not built (make dashboard)"}
    with Server(store) as base, sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH)
        ctx = b.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        renders = []
        for _ in range(3):
            t0 = time.perf_counter()
            page.goto(base + "/?lang=en")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            wall = (time.perf_counter() - t0) * 1000
            perf = page.evaluate("window.__sw.perf")
            renders.append(
                {
                    "wall_ms": round(wall),
                    "in_page_ms": round(perf["readyMs"]),
                    "map_load_ms": round(perf["mapLoadMs"]),
                    "points_fetch_ms": round(perf["fetchMs"]),
                    "cluster_and_draw_ms": round(perf.get("idleAfterDataMs") or 0),
                    "events": page.evaluate("window.__sw.shown.events"),
                }
            )
        frames = page.evaluate("""() => new Promise(resolve => {
            const map = window.__sw.map, times = []; let last = performance.now(), i = 0;
            function step(now) { times.push(now - last); last = now; i += 1;
              map.panBy([i % 60 < 30 ? 12 : -12, 4 * Math.sin(i / 10)], {animate: false});
              if (i < 240) requestAnimationFrame(step); else resolve(times.slice(5)); }
            requestAnimationFrame(step); })""")
        zoomed = page.evaluate("""() => new Promise(resolve => {
            const map = window.__sw.map; map.jumpTo({center: [-2, 14], zoom: 7});
            map.once('idle', () => { const times = []; let last = performance.now(), i = 0;
              function step(now) { times.push(now - last); last = now; i += 1;
                map.panBy([i % 60 < 30 ? 15 : -15, 0], {animate: false});
                if (i < 180) requestAnimationFrame(step); else resolve(times.slice(5)); }
              requestAnimationFrame(step); }); })""")
        b.close()
    return {
        "renders": renders,
        "first_render_ms": renders[0]["in_page_ms"],
        "pan_frame_ms": {
            "median": round(statistics.median(frames), 1),
            "p95": round(p95(frames), 1),
            "max": round(max(frames), 1),
            "frames": len(frames),
        },
        "pan_frame_ms_zoom7": {
            "median": round(statistics.median(zoomed), 1),
            "p95": round(p95(zoomed), 1),
            "max": round(max(zoomed), 1),
            "frames": len(zoomed),
        },
    }


# ----------------------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--dashboard-events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--chromium", default=os.environ.get("SAHELWATCH_CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--sqlite-db", type=Path, help="Reuse (or keep) the SQLite store here instead of a temporary one."
    )
    a = ap.parse_args()
    out: dict = {
        "events": a.events,
        "machine": f"{os.cpu_count()} cores",
        "when": dt.datetime.now(dt.timezone.utc).isoformat(),
        "load_average_start": os.getloadavg(),
    }
    print(
        f"load average at start: {os.getloadavg()} on {os.cpu_count()} cores (absolute times scale with it; "
        f"ratios much less)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="sw-bench-api-") as tmp:
        backends = [("sqlite", str(a.sqlite_db or Path(tmp) / "bench.db"), None)]
        pg = os.environ.get("SAHELWATCH_TEST_PG_URL")
        if pg and not a.no_pg:
            url, drop = _pg_database(pg)
            backends.append(("postgresql", url, drop))
        for name, url, drop in backends:
            try:
                store = sahelwatch.open(url)
                have = store.count()
                secs = fill(store, a.events) if have == 0 else 0.0
                if have and have != a.events:
                    raise SystemExit(f"{url} holds {have:,} events, not {a.events:,}")
                if name == "postgresql":
                    with store.engine.begin() as c:
                        c.execute(text("ANALYZE events"))
                print(f"[{name}] {a.events:,} events written in {secs:.0f} s", flush=True)
                rows = measure_api(store, a.repeat)
                out[name] = rows
                for r in rows:
                    ok = "ok" if r["ratio"] <= 2 and r["api_p95_ms"] <= 300 else "NOT MET"
                    print(
                        f"[{name}] {r['case']}: API median {r['api_median_ms']} ms, p95 {r['api_p95_ms']} ms; SQL "
                        f"median {r['sql_median_ms']} ms; ratio {r['ratio']} ({ok})",
                        flush=True,
                    )
                store.close()
            finally:
                if drop:
                    drop()
        if not a.no_browser and Path(a.chromium).exists():
            store = sahelwatch.open(Path(tmp) / "dash.db")
            fill(store, a.dashboard_events, seed=11)
            d = measure_dashboard(store, a.chromium)
            out["dashboard"] = {"events": a.dashboard_events, **d}
            print(
                f"[dashboard] {a.dashboard_events:,} events: first render {d.get('first_render_ms')} ms "
                f"(target < 2000); renders {d.get('renders')}; pan frames {d.get('pan_frame_ms')}; "
                f"at zoom 7 {d.get('pan_frame_ms_zoom7')}",
                flush=True,
            )
            store.close()
    out["load_average_end"] = os.getloadavg()
    print(f"load average at end: {os.getloadavg()}", flush=True)
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
