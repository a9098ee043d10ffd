"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a real `sahelwatch serve`
(uvicorn on 127.0.0.1) over a store written for the test. Screenshots go to test-artifacts/dashboard/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import sahelwatch
from sahelwatch.ingest.acled import import_acled
from sahelwatch.model import Document, Event, Provenance
from sahelwatch.web.app import static_dir

from acled_samples import FAMA, ISGS, JNIM, row, write_csv

CHROMIUM = os.environ.get("SAHELWATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard"
LAUNCH_ARGS = [
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

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        not (static_dir() / "index.html").is_file(),
        reason="dashboard not built: run `make dashboard` (npm ci + build)",
    ),
]

XSS_TEXT = (
    "Local officials described the week as tense.\n\n"
    'On 5 June 2019, <script>window.__xss = 1</script> gunmen <img src=x onerror="window.__xss = 2"> '
    "attacked the market of Boni, killing two traders.\n\nNo group claimed the attack."
)
XSS_SENTENCE = (
    'On 5 June 2019, <script>window.__xss = 1</script> gunmen <img src=x onerror="window.__xss = 2"> '
    "attacked the market of Boni, killing two traders."
)


def _rows() -> list[dict]:
    out = []
    spots = [
        ("14.35", "-3.61", "Mali", "Mopti", "Douentza"),
        ("13.10", "-4.10", "Mali", "Mopti", "Bankass"),
        ("15.93", "0.17", "Mali", "Menaka", "Menaka"),
        ("14.10", "-1.63", "Burkina Faso", "Sahel", "Soum"),
        ("13.45", "-0.45", "Burkina Faso", "Centre-Nord", "Sanmatenga"),
    ]
    for i in range(60):
        lat, lon, cty, a1, a2 = spots[i % len(spots)]
        day = dt.date(2019, 1, 3) + dt.timedelta(days=6 * i)
        out.append(
            row(
                f"{'MLI' if cty == 'Mali' else 'BFO'}6{i:03d}",
                day.isoformat(),
                ["Battles", "Violence against civilians", "Explosions/Remote violence"][i % 3],
                ["Armed clash", "Attack", "Remote explosive/landmine/IED"][i % 3],
                JNIM if i % 2 else ISGS,
                2,
                FAMA if i % 3 != 1 else f"Civilians ({cty})",
                1 if i % 3 != 1 else 7,
                fat=i % 5,
                lat=lat,
                lon=lon,
                country=cty,
                admin1=a1,
                admin2=a2,
                loc=a2,
                iso=466 if cty == "Mali" else 854,
                notes=f'Test note {i} <img src=x onerror="window.__xss = 3">',
            )
        )
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dash")
    db = tmp / "dash.db"
    store = sahelwatch.open(db)
    import_acled(store, write_csv(tmp / "events.csv", _rows()))
    store.add_documents(
        [
            Document(
                id="doc-xss",
                text=XSS_TEXT,
                title="Market attack <script>window.__xss=4</script>",
                language="en",
                published=dt.date(2019, 6, 6),
                url="javascript:window.__xss=5",
            )
        ]
    )
    start = XSS_TEXT.index(XSS_SENTENCE)
    store.add_events(
        [
            Event(
                event_id_cnty="EXTXSS1",
                event_date=dt.date(2019, 6, 5),
                event_type="Violence against civilians",
                sub_event_type="Attack",
                actor1="Unidentified Armed Group (Mali)",
                inter1=3,
                actor2="Civilians (Mali)",
                inter2=7,
                country="Mali",
                admin1="Mopti",
                admin2="Douentza",
                location="Boni",
                latitude=15.02,
                longitude=-2.21,
                geo_precision=1,
                fatalities=2,
                provenance=Provenance(
                    dataset="extract",
                    document_id="doc-xss",
                    sentence=XSS_SENTENCE,
                    char_start=start,
                    char_end=start + len(XSS_SENTENCE),
                    method="rule",
                    confidence=0.74,
                ),
            )
        ],
        dataset="extract",
    )
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sahelwatch.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(base + "/api/status", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            out = proc.stdout.read() if proc.poll() is not None else ""
            proc.kill()
            pytest.fail(f"sahelwatch serve did not start: {out[-2000:]}")
        time.sleep(0.2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield {"base": base, "db": db, "events": 61}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, served):
    # bypass_csp: the test's own probes (wait_for_function) evaluate strings, which the server's CSP forbids; it also
    # makes the XSS checks prove that text is never markup, whatever the CSP would have blocked.
    ctx = browser.new_context(
        viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="en-GB", bypass_csp=True
    )
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(served["base"]) or r.url.startswith(("blob:", "data:"))
            else outside.append(r.url)
        ),
    )
    pg.errors, pg.outside = errors, outside
    yield pg
    ctx.close()
    assert not outside, f"the dashboard reached outside the server: {outside[:5]}"


def ready(page, url: str):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_function("window.__sw && window.__sw.shown !== undefined")


def shown(page) -> int:
    return page.evaluate("window.__sw.shown.events")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_loads_with_every_located_event_and_no_outside_request(page, served):
    ready(page, served["base"] + "/?lang=en")
    assert shown(page) == served["events"]
    assert "61" in page.locator("#summary").inner_text()
    assert page.locator("#status").inner_text().startswith("61 events in the store")
    assert page.evaluate("window.__sw.map.getStyle().sources.countries !== undefined")
    shot(page, "01_loaded")
    assert not page.errors


def test_filter_time_slider_card_and_export(page, served, tmp_path):
    ready(page, served["base"] + "/?lang=en")
    page.select_option("#f-country", "Burkina Faso")
    page.click("#apply")
    page.wait_for_function("window.__sw.shown.events === 24")
    page.wait_for_function("location.search.includes('country=Burkina+Faso')")
    shot(page, "02_filtered")
    page.click("#reset")
    page.wait_for_function(f"window.__sw.shown.events === {served['events']}")
    # move the time slider: window Jan-Mar 2019 only
    page.evaluate("""() => { const e = document.getElementById('t-end'); e.value = '2';
                     e.dispatchEvent(new Event('input', {bubbles: true})); }""")
    page.wait_for_function("window.__sw.window[1] === 2")
    want = sum(1 for r in _rows() if r["event_date"] < "2019-04-01")
    assert shown(page) == want
    page.wait_for_function("new URLSearchParams(location.search).get('w') === '2019-01,2019-03'")
    shot(page, "03_time_window")
    # export what is shown
    with page.expect_download() as dl:
        page.click("#export-csv")
    path = tmp_path / "export.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    assert len(rows) == want and all(r["event_date"] < "2019-04-01" for r in rows)
    with page.expect_download() as dl2:
        page.click("#export-geojson")
    gj = dl2.value.path().read_text("utf-8")
    assert gj.count('"Feature"') == want
    # click one event: zoom to it so it is not clustered, click its pixel, read the card
    page.evaluate("""() => { const s = window.__sw; s.window = [0, s.months.length - 1];
                     document.getElementById('t-end').value = String(s.months.length - 1);
                     document.getElementById('t-end').dispatchEvent(new Event('input', {bubbles: true}));
                     s.map.jumpTo({center: [-2.21, 15.02], zoom: 12}); }""")
    page.wait_for_function(
        "window.__sw.map.loaded() && window.__sw.map.queryRenderedFeatures({layers: ['points']})"
        ".some(f => f.properties.id === 'EXTXSS1')",
        timeout=20_000,
    )
    xy = page.evaluate(
        "(() => { const p = window.__sw.map.project([-2.21, 15.02]); "
        "const r = document.getElementById('map').getBoundingClientRect(); "
        "return [r.left + p.x, r.top + p.y]; })()"
    )
    page.mouse.click(*xy)
    page.wait_for_selector("#event-card")
    card = page.locator("#event-card")
    assert "Violence against civilians" in card.text_content()
    mark = page.locator("#event-card mark.sentence")
    assert mark.inner_text() == XSS_SENTENCE  # the source sentence, highlighted, as text
    assert "No group claimed" not in page.locator("#event-card blockquote").inner_text()  # only its paragraph
    assert "rule · confidence 0.74" in card.text_content()
    page.wait_for_function("location.search.includes('ev=EXTXSS1')")
    shot(page, "04_event_card")
    assert page.evaluate("window.__xss") is None, "script from an article ran"
    assert page.locator("#event-card img, #event-card script").count() == 0
    assert page.locator("#event-card a[href^='javascript']").count() == 0
    assert not page.errors


def test_an_article_s_markup_never_runs_anywhere(page, served):
    ready(page, served["base"] + "/?lang=en&ev=EXTXSS1")
    page.wait_for_selector("#event-card mark.sentence")
    assert "<script>window.__xss = 1</script>" in page.locator("#event-card mark.sentence").inner_text()
    assert "<script>window.__xss=4</script>" in page.locator("#event-card .doc-title").inner_text()
    ready(page, served["base"] + "/?lang=en&ev=MLI6000")
    page.wait_for_selector("#event-card .notes")
    assert 'onerror="window.__xss = 3"' in page.locator("#event-card .notes").inner_text()
    page.click("#tab-alerts")
    page.wait_for_selector("#pane-alerts h3")
    page.click("#tab-network")
    page.wait_for_selector("#pane-network svg, #pane-network .note")
    assert page.evaluate("window.__xss") is None
    assert not page.errors


def test_french_interface_and_a_shared_link_keeps_the_view(page, served):
    ready(page, served["base"] + "/?lang=en")
    page.click("#lang-fr")
    assert page.locator("#apply").inner_text() == "Appliquer"
    assert "Violence contre les civils" in page.locator("#f-types").inner_text()
    page.wait_for_function("location.search.includes('lang=fr')")
    page.fill("#f-actor", "JNIM")
    page.click("#apply")
    page.wait_for_function("window.__sw.filters.actor === 'JNIM' && window.__sw.shown.events === 30")
    page.evaluate("window.__sw.map.jumpTo({center: [-1.5, 14.2], zoom: 6.5})")
    page.wait_for_function("location.search.includes('z=6.50') && location.search.includes('actor=JNIM')")
    link = page.url
    shot(page, "05_french_jnim")
    ready(page, link)  # a colleague opens the same link
    assert page.evaluate("window.__sw.filters.actor") == "JNIM" and shown(page) == 30
    assert abs(page.evaluate("window.__sw.map.getZoom()") - 6.5) < 0.01
    assert page.locator("#apply").inner_text() == "Appliquer"
    page.click("#tab-network")
    page.wait_for_selector("#pane-network svg")
    shot(page, "06_network")


def test_search_this_area_and_layers(page, served):
    ready(page, served["base"] + "/?lang=en")
    page.evaluate("window.__sw.map.fitBounds([[-2.5, 13], [0.5, 14.6]], {animate: false})")
    page.wait_for_timeout(200)
    page.click("#search-area")
    page.wait_for_function("window.__sw.bbox !== null && window.__sw.shown.events < 61")
    page.wait_for_function("location.search.includes('bbox=')")
    n = shown(page)
    bb = page.evaluate("window.__sw.bbox")
    pts = [(float(r["longitude"]), float(r["latitude"])) for r in _rows()] + [
        (-2.21, 15.02)
    ]  # + the extracted one
    want = sum(1 for x, y in pts if bb[0] <= x <= bb[2] and bb[1] <= y <= bb[3])
    assert n == want
    page.click("#clear-area")
    page.wait_for_function("window.__sw.shown.events === 61")
    page.check("#l-hotspots")
    page.wait_for_function("window.__sw['data:hotspots'] !== undefined", timeout=30_000)
    page.check("#l-access")
    page.wait_for_function(
        "document.getElementById('layer-note').textContent.includes('--roads')", timeout=30_000
    )
    shot(page, "07_layers")
    assert not page.errors
