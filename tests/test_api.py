"""The REST API on both backends, in-process (FastAPI's test client over the real application and store):
paging, formats, one event with its sentence, aggregates that reconcile with the lists, as_of and the change
feed, analyses, bad input, injection payloads and tokens."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sahelwatch.analysis.units import priogrid_gid
from sahelwatch.ingest.acled import import_acled
from sahelwatch.model import Document, Event, Provenance
from sahelwatch.store import query as Q
from sahelwatch.web.app import create_app

from acled_samples import FAMA, ISGS, JNIM, row, sample_rows, write_csv

ARTICLE = (
    "Security sources said on Monday that the army was on alert.\n\n"
    "On 3 June 2019, gunmen killed five villagers near Boni. Residents fled towards Douentza.\n\n"
    "The attack was not claimed."
)
SENTENCE = "On 3 June 2019, gunmen killed five villagers near Boni."


def more_rows() -> list[dict]:
    """Events over several weeks, months, cells and admin units (plus one without coordinates)."""
    out = sample_rows()
    spots = [
        ("14.35", "-3.61", "Mopti", "Douentza"),
        ("14.90", "-3.20", "Mopti", "Douentza"),
        ("13.10", "-4.10", "Mopti", "Bankass"),
        ("15.93", "0.17", "Menaka", "Menaka"),
        ("16.27", "-0.04", "Gao", "Gao"),
    ]
    for i in range(40):
        lat, lon, a1, a2 = spots[i % len(spots)]
        day = dt.date(2019, 1, 1) + dt.timedelta(days=7 * i + (i % 5))
        out.append(
            row(
                f"MLI8{i:03d}",
                day.isoformat(),
                "Battles" if i % 3 else "Violence against civilians",
                "Armed clash" if i % 3 else "Attack",
                JNIM if i % 2 else ISGS,
                2,
                FAMA if i % 3 else "Civilians (Mali)",
                1 if i % 3 else 7,
                fat=i % 7,
                lat=lat,
                lon=lon,
                admin1=a1,
                admin2=a2,
                loc=a2,
            )
        )
    out.append(
        row("MLI7000", "2019-07-07", "Battles", "Armed clash", JNIM, 2, FAMA, 1, fat=3, lat="", lon="", gp=3)
    )
    return out


@pytest.fixture
def loaded(store, tmp_path):
    import_acled(store, write_csv(tmp_path / "events.csv", more_rows()))
    doc = Document(
        id="doc-boni",
        text=ARTICLE,
        title="Villagers killed near <b>Boni</b>",
        language="en",
        published=dt.date(2019, 6, 4),
    )
    store.add_documents([doc])
    start = ARTICLE.index(SENTENCE)
    ev = Event(
        event_id_cnty="EXT0001",
        event_date=dt.date(2019, 6, 3),
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
        latitude=15.0,
        longitude=-2.2,
        geo_precision=1,
        fatalities=5,
        provenance=Provenance(
            dataset="extract",
            document_id="doc-boni",
            sentence=SENTENCE,
            char_start=start,
            char_end=start + len(SENTENCE),
            method="rule",
            confidence=0.8,
        ),
    )
    store.add_events([ev], dataset="extract")
    return store


@pytest.fixture
def client(loaded):
    return TestClient(create_app(loaded))


def walk(client, params) -> list[dict]:
    got, url = [], "/api/events"
    r = client.get(url, params=params)
    while True:
        assert r.status_code == 200, r.text
        body = r.json()
        got += body["data"]
        if not body["next"]:
            return got
        r = client.get(body["next"])


def test_keyset_pages_cover_every_event_once_in_order(client, loaded):
    got = walk(client, {"limit": 7})
    ids = [e["event_id_cnty"] for e in got]
    want = list(loaded.events()["event_id_cnty"])
    assert ids == want and len(set(ids)) == len(ids) == 47


def test_totals_only_when_asked_and_page_size_is_bounded(client):
    body = client.get("/api/events", params={"limit": 5}).json()
    assert "total" not in body and body["count"] == 5
    body = client.get("/api/events", params={"limit": 5, "total": "true", "country": "Mali"}).json()
    assert body["total"] == 46 and body["total_fatalities"] == sum(
        e["fatalities"] for e in walk(client, {"country": "Mali", "limit": 1000})
    )
    r = client.get("/api/events", params={"limit": 10_001})
    assert r.status_code == 422 and r.json()["parameter"] == "limit"
    assert client.get("/api/events", params={"limit": 10_000}).status_code == 200


def test_filters_are_the_store_s_filters(client, loaded):
    cases = [
        {"actor": "JNIM"},
        {"country": "Burkina Faso"},
        {"event_type": "Battles", "min_fatalities": 3},
        {"since": "2019-03-01", "until": "2019-05-31"},
        {"bbox": "-4,13.5,-1,15.5"},
        {"admin2": "Douentza"},
        {"event_type": "Attack"},
    ]
    py = [
        dict(actors=["JNIM"]),
        dict(countries=["Burkina Faso"]),
        dict(event_types=["Battles"], min_fatalities=3),
        dict(since="2019-03-01", until="2019-05-31"),
        dict(bbox=(-4, 13.5, -1, 15.5)),
        dict(admin2=["Douentza"]),
        dict(event_types=["Attack"]),
    ]
    for params, kw in zip(cases, py):
        ids = [e["event_id_cnty"] for e in walk(client, {**params, "limit": 10})]
        assert ids == list(loaded.events(**kw)["event_id_cnty"]), params
        assert ids, params


def test_csv_and_geojson(client):
    r = client.get("/api/events", params={"format": "csv", "limit": 3, "fields": "event_id_cnty,fatalities"})
    assert r.headers["content-type"].startswith("text/csv") and 'rel="next"' in r.headers["link"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["event_id_cnty", "fatalities"] and len(rows) == 3
    g = client.get("/api/events", params={"format": "geojson", "country": "Burkina Faso"}).json()
    assert g["type"] == "FeatureCollection" and g["features"][0]["geometry"]["coordinates"] == [-1.63, 14.1]
    full = client.get("/api/export/events", params={"format": "csv", "country": "Mali"}).text
    assert len(list(csv.DictReader(io.StringIO(full)))) == 46
    gj = client.get("/api/export/events", params={"format": "geojson"}).json()
    assert len(gj["features"]) == 47
    bad = client.get("/api/events", params={"fields": "event_id_cnty,password"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "fields"


def test_one_event_has_its_sentence_in_its_paragraph(client):
    d = client.get("/api/events/EXT0001").json()
    doc = d["documents"][0]
    assert doc["document_id"] == "doc-boni" and doc["title"] == "Villagers killed near <b>Boni</b>"
    assert doc["paragraph"].startswith("On 3 June 2019") and "Residents fled" in doc["paragraph"]
    assert doc["paragraph"][doc["highlight_start"] : doc["highlight_end"]] == SENTENCE
    assert d["event"]["coding_method"] == "rule" and d["event"]["confidence"] == 0.8
    assert client.get("/api/events/NOPE").status_code == 404
    dd = client.get("/api/documents/doc-boni").json()
    assert dd["text"] == ARTICLE and "path" not in dd and dd["events"][0]["event_id_cnty"] == "EXT0001"


AGG_FILTERS = [
    {},
    {"country": "Mali"},
    {"actor": "JNIM"},
    {"event_type": "Battles", "since": "2019-02-01"},
    {"bbox": "-4,13,0,16"},
    {"min_fatalities": 2},
]
AGG_GROUPS = [
    ["priogrid"],
    ["priogrid", "month"],
    ["h3-5"],
    ["admin1"],
    ["admin1", "admin2"],
    ["week"],
    ["actor", "event_type"],
    ["country", "year"],
]


@pytest.mark.parametrize("flt", AGG_FILTERS, ids=lambda f: ",".join(f) or "all")
def test_aggregates_reconcile_exactly_with_the_event_list(client, flt):
    events = walk(client, {**flt, "limit": 1000})
    n, fat = len(events), sum(e["fatalities"] for e in events)
    for by in AGG_GROUPS:
        body = client.get("/api/aggregates", params={**flt, "by": by}).json()
        assert (sum(g["events"] for g in body["data"]), sum(g["fatalities"] for g in body["data"])) == (
            n,
            fat,
        ), by
        assert (body["events"], body["fatalities"]) == (n, fat)


def test_aggregate_keys_are_the_analysis_units(client):
    events = walk(client, {"limit": 1000})
    cells = client.get("/api/aggregates", params={"by": "priogrid"}).json()["data"]
    want: dict = {}
    for e in events:
        g = int(priogrid_gid([e["latitude"]], [e["longitude"]])[0]) if e["latitude"] is not None else None
        want[g or None] = want.get(g or None, 0) + 1
    assert {c["priogrid"]: c["events"] for c in cells} == want
    weeks = client.get("/api/aggregates", params={"by": "week"}).json()["data"]
    assert all(
        dt.date.fromisoformat(w["week"]).weekday() == 5 for w in weeks
    )  # ACLED weeks start on Saturday
    a1 = client.get("/api/aggregates", params={"by": "admin1", "country": "Mali"}).json()["data"]
    assert {r["admin1"]: r["admin1_pcode"] for r in a1}["Mopti"] == "ML05"
    geo = client.get("/api/aggregates", params={"by": "priogrid", "format": "geojson"}).json()
    located = [f for f in geo["features"] if f["properties"]["priogrid"] is not None]
    assert located and all(f["geometry"]["type"] == "Polygon" for f in located)
    assert [f["geometry"] for f in geo["features"] if f["properties"]["priogrid"] is None] == [None]
    assert client.get("/api/aggregates", params={"by": "galaxy"}).json()["parameter"] == "by"


def test_as_of_and_changes_follow_the_history(store, tmp_path):
    import_acled(store, write_csv(tmp_path / "v1.csv", sample_rows()))
    time.sleep(0.05)
    t1 = dt.datetime.now(dt.timezone.utc)
    time.sleep(0.05)
    v2 = sample_rows()
    v2[0]["fatalities"], v2[0]["timestamp"] = 9, 1700000000  # MLI9001 revised
    v2.append(row("MLI9100", "2019-08-01", "Battles", "Armed clash", FAMA, 1, JNIM, 2, fat=1))
    import_acled(store, write_csv(tmp_path / "v2.csv", v2))
    c = TestClient(create_app(store))
    now = {e["event_id_cnty"]: e["fatalities"] for e in c.get("/api/events").json()["data"]}
    then = {
        e["event_id_cnty"]: e["fatalities"]
        for e in c.get("/api/events", params={"as_of": t1.isoformat()}).json()["data"]
    }
    assert now["MLI9001"] == 9 and then["MLI9001"] == 4 and "MLI9100" in now and "MLI9100" not in then
    assert len(then) == 5 and len(now) == 6
    agg = c.get("/api/aggregates", params={"by": "country", "as_of": t1.isoformat()}).json()
    assert agg["events"] == 5 and agg["fatalities"] == sum(then.values())
    before = c.get("/api/events", params={"as_of": "2000-01-01"}).json()
    assert before["data"] == [] and "as_of" in before["message"]
    ch = c.get("/api/changes", params={"since": t1.isoformat()}).json()
    assert [e["event_id_cnty"] for e in ch["created"]] == ["MLI9100"]
    assert [e["event_id_cnty"] for e in ch["updated"]] == ["MLI9001"] and ch["removed"] == []
    assert c.get("/api/changes", params={"since": "yesterday"}).json()["parameter"] == "since"
    later = c.get("/api/changes", params={"since": dt.datetime.now(dt.timezone.utc).isoformat()}).json()
    assert "nothing changed" in later["message"]


def test_analyses_answer_with_their_numbers_and_are_cached(client):
    r = client.get("/api/analyses/hotspots", params={"permutations": 99, "country": "Mali"}).json()
    assert (
        r["cached"] is False and r["events_used"] == 46 and {"gi_z", "p_value", "class"} <= set(r["data"][0])
    )
    again = client.get("/api/analyses/hotspots", params={"permutations": 99, "country": "Mali"}).json()
    assert again["cached"] is True and again["data"] == r["data"]
    al = client.get("/api/analyses/alerts", params={"unit": "admin1"}).json()
    assert all("baseline" in a and "latest" in a for a in al["data"])
    inf = client.get("/api/analyses/influence", params={"format": "geojson"}).json()
    assert inf["type"] == "FeatureCollection" and inf["features"][0]["geometry"]["type"] == "Polygon"
    net = client.get("/api/network", params={"by": "year"}).json()
    assert net["nodes"] and {"period", "weight"} & set(net["data"][0])
    acc = client.get("/api/analyses/access")
    assert acc.status_code == 409 and "--roads" in acc.json()["detail"]
    bad = client.get("/api/analyses/hotspots", params={"method": "magic"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "method"


def test_reference_lists(client):
    assert any("JNIM" in a["aliases"] for a in client.get("/api/actors", params={"q": "JNIM"}).json()["data"])
    djibo = client.get("/api/places", params={"q": "Djiboo", "country": "Burkina Faso"}).json()["data"]
    assert djibo and djibo[0]["name"] == "Djibo" and djibo[0]["match"] == "fuzzy"
    assert (
        client.get("/api/places", params={"q": "Djibo", "country": "Atlantis"}).json()["parameter"]
        == "country"
    )
    assert "Battles" in client.get("/api/types").json()["event_types"]
    f = client.get("/api/facets").json()
    assert "Mali" in f["country"] and f["date_range"]["first"] == "2019-01-01"
    assert client.get("/api/outlines/countries").json()["features"]
    assert client.get("/api/outlines/../../etc/passwd").status_code == 404


INJECTED = [
    "country",
    "admin1",
    "admin2",
    "actor",
    "event_type",
    "since",
    "until",
    "bbox",
    "min_fatalities",
    "dataset",
    "as_of",
    "cursor",
    "fields",
    "limit",
    "by",
    "q",
]
PAYLOADS = [
    "' OR 1=1 --",
    "Mali'); DROP TABLE events; --",
    '" OR ""="',
    "1 UNION SELECT token_hash FROM api_tokens",
    "%' AND 1=0 UNION SELECT 1 --",
    "\x00",
    "' OR '1'='1",
    "*",
    "%",
    "_",
]


def test_injection_payloads_give_4xx_or_nothing(client, loaded):
    """Every payload in every parameter of every list: a 4xx, or an answer with no data; never a 500; the store
    is unchanged."""
    before = loaded.count()
    for url in (
        "/api/events",
        "/api/aggregates",
        "/api/export/events",
        "/api/map/points",
        "/api/changes",
        "/api/places",
        "/api/actors",
    ):
        for param in INJECTED:
            for payload in PAYLOADS:
                r = client.get(url, params={param: payload})
                assert r.status_code < 500, (url, param, payload, r.status_code, r.text[:200])
                if r.status_code != 200:
                    assert 400 <= r.status_code < 500 and r.json()["detail"]
                    continue
                if url == "/api/export/events":
                    assert r.text.count("\n") <= 1, (param, payload)  # header only
                    continue
                body = r.json()
                if url in ("/api/places", "/api/actors"):
                    continue  # in-memory fuzzy searches on folded words ('" OR ""="' is a search for 'or')
                assert not body.get("data") and not body.get("id") and not body.get("events"), (
                    url,
                    param,
                    payload,
                    str(body)[:300],
                )
    assert loaded.count() == before


def test_writes_need_a_valid_token_and_write_nothing_without(client, loaded, tmp_path):
    body = write_csv(
        tmp_path / "new.csv", [row("MLI5000", "2020-01-04", "Battles", "Armed clash", FAMA, 1, JNIM, 2)]
    ).read_bytes()
    before = loaded.count()
    for headers in (
        {},
        {"Authorization": "Bearer sw_wrong"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ):
        r = client.post("/api/import/acled", content=body, headers=headers)
        assert r.status_code == 401, headers
        assert (
            client.post("/api/extract", content=b"Gunmen killed 3 people.", headers=headers).status_code
            == 401
        )
    assert loaded.count() == before
    token = Q.create_token(loaded, "tests")
    assert len(loaded.engine.connect().execute(Q.select(Q.schema.api_tokens.c.token_hash)).scalar()) == 64
    ok = client.post("/api/import/acled", content=body, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["inserted"] == 1 and loaded.count() == before + 1
    tid = Q.list_tokens(loaded)[0]["token_id"]
    assert Q.revoke_token(loaded, tid)
    r = client.post("/api/import/acled", content=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_uploads_are_size_limited(loaded, tmp_path):
    c = TestClient(create_app(loaded, max_upload=1000))
    token = Q.create_token(loaded, "tests")
    before = loaded.count()
    big = write_csv(tmp_path / "big.csv", more_rows()).read_bytes()
    assert len(big) > 1000
    r = c.post("/api/import/acled", content=big, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 413 and loaded.count() == before
    r = c.post("/api/import/acled", content=b"", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400


def test_bad_parameters_are_named(client):
    for params, name in (
        ({"since": "03/02/2019"}, "since"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,0,0,10"}, "bbox"),
        ({"min_fatalities": "-1"}, "min_fatalities"),
        ({"event_type": "Picnic"}, "event_type"),
        ({"since": "2019-05-01", "until": "2019-01-01"}, "until"),
        ({"cursor": "garbage"}, None),
        ({"as_of": "last week"}, "as_of"),
    ):
        r = client.get("/api/events", params=params)
        assert 400 <= r.status_code < 500, params
        if name:
            assert r.json()["parameter"] == name, (params, r.json())
        assert r.json()["detail"]


def test_openapi_docs_and_security_headers(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/aggregates",
        "/api/changes",
        "/api/claims",
        "/api/documents/{document_id}",
        "/api/actors",
        "/api/places",
        "/api/import/acled",
        "/api/extract",
        *(
            f"/api/analyses/{a}"
            for a in ("hotspots", "influence", "coordination", "alerts", "access", "forecast")
        ),
    ):
        assert path in spec["paths"], path
    r = client.get("/docs")
    assert r.status_code == 200
    assert "script-src 'self'" in client.get("/api/status").headers["content-security-policy"]


def test_a_misspelt_parameter_is_refused_not_ignored(client):
    r = client.get("/api/events", params={"contry": "Mali"})
    assert r.status_code == 400 and r.json()["parameter"] == "contry" and "country" in r.json()["detail"]


def test_token_commands(tmp_path):
    from typer.testing import CliRunner

    from sahelwatch.cli import app

    import sahelwatch

    db = str(tmp_path / "t.db")
    assert (
        CliRunner().invoke(app, ["token", "create", "--db", db]).exit_code == 2
    )  # no store there: nothing made
    assert not (tmp_path / "t.db").exists()
    sahelwatch.open(db, create=True).close()
    r = CliRunner().invoke(app, ["token", "create", "--name", "analyst desk", "--db", db])
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[0]
    assert token.startswith("sw_") and len(token) > 40
    listed = CliRunner().invoke(app, ["token", "list", "--db", db])
    assert "analyst desk" in listed.stdout and token not in listed.stdout

    s = sahelwatch.open(db)
    assert Q.verify_token(s, token) == "analyst desk" and Q.verify_token(s, token + "x") is None
    assert CliRunner().invoke(app, ["token", "revoke", "1", "--db", db]).exit_code == 0
    assert Q.verify_token(s, token) is None
    assert CliRunner().invoke(app, ["token", "revoke", "1", "--db", db]).exit_code != 0


def test_map_points_are_the_located_events(client, loaded):
    p = client.get("/api/map/points", params={"country": "Mali"}).json()
    df = loaded.events(countries=["Mali"])
    df = df[df["latitude"].notna()]
    assert p["id"] == list(df["event_id_cnty"])
    epoch = dt.date(1970, 1, 1)
    assert p["day"] == [(d.date() - epoch).days for d in df["event_date"]]
    assert [p["types"][i] for i in p["type"]] == list(df["event_type"]) and p["fat"] == list(df["fatalities"])
    r = client.get("/api/map/points", params={"country": "Atlantis"})  # a typo: the store's filter check
    assert r.status_code == 400 and r.json()["parameter"] == "country"
    assert client.get("/api/map/points", params={"country": "MLI"}).json()["id"] == p["id"]  # ISO code
    empty = client.get("/api/map/points", params={"country": "Burkina Faso", "actor": "JNIM"}).json()
    assert empty["id"] == [] and "leaves 0" in empty["message"]


def test_a_removed_event_is_in_the_change_feed_and_in_the_past(store, tmp_path):
    from sahelwatch.store import writer

    import_acled(store, write_csv(tmp_path / "v1.csv", sample_rows()))
    time.sleep(0.05)
    t1 = dt.datetime.now(dt.timezone.utc)
    time.sleep(0.05)
    with (
        store.engine.begin() as conn
    ):  # what a deletion by the source does (watch): the last version to history
        writer.move_to_history(conn, ["MLI9002"], None)
    c = TestClient(create_app(store))
    ch = c.get("/api/changes", params={"since": t1.isoformat()}).json()
    assert (
        [r["event_id_cnty"] for r in ch["removed"]] == ["MLI9002"] and not ch["created"] and not ch["updated"]
    )
    then = [e["event_id_cnty"] for e in c.get("/api/events", params={"as_of": t1.isoformat()}).json()["data"]]
    now = [e["event_id_cnty"] for e in c.get("/api/events").json()["data"]]
    assert "MLI9002" in then and "MLI9002" not in now and len(then) == len(now) + 1


def test_extract_upload_stores_events_with_their_sentence(sqlite_store):
    c = TestClient(create_app(sqlite_store))
    token = Q.create_token(sqlite_store, "tests")
    report = (
        "<html><head><title>Attack near Djibo</title></head><body><article>"
        "<p>Ouagadougou, 4 March 2021 - On 2 March 2021, gunmen killed four soldiers near Djibo, in the Soum "
        "province, the army said.</p><p>The attackers fled towards the border.</p></article></body></html>"
    )
    r = c.post(
        "/api/extract",
        content=report.encode(),
        params={"country": "Burkina Faso", "published": "2021-03-04"},
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/html"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["events"], body
    d = c.get(f"/api/events/{body['events'][0]}").json()
    doc = d["documents"][0]
    assert doc["document_id"] == body["document_id"] and "four soldiers" in doc["sentence"]
    assert doc["paragraph"][doc["highlight_start"] : doc["highlight_end"]] == doc["sentence"]
    assert d["event"]["fatalities"] == 4 and d["event"]["coding_method"] in ("rule", "model")
    bad = c.post(
        "/api/extract",
        content=b"x",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/pdf"},
    )
    assert bad.status_code == 415
