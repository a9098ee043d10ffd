"""Briefs on the bundled synthetic sample: numbers against counts made here from the CSV itself, every number of
the text found in the appendix, the PDF's pages and figures, French, and clear errors before any work."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import sahelwatch
from sahelwatch.demo import sample_path
from sahelwatch.report import brief as B

PERIOD = "2020-09"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from sahelwatch.ingest.acled import import_acled

    s = sahelwatch.open(str(tmp_path_factory.mktemp("brief") / "s.db"))
    import_acled(s, sample_path(), dataset="sample")
    return s


@pytest.fixture(scope="module")
def csv():
    d = pd.read_csv(sample_path())
    d["event_date"] = pd.to_datetime(d["event_date"])
    return d[d["country"] == "Mali"]


@pytest.fixture(scope="module")
def built(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    b = sahelwatch.brief(store, country="Mali", period=PERIOD, out_dir=out / "fig", samples=200)
    paths = B.render(b, [out / "brief.pdf", out / "brief.html"])
    return b, out, paths


def _span(d, a, b):
    m = (d["event_date"] >= a) & (d["event_date"] <= b)
    return int(m.sum()), int(d.loc[m, "fatalities"].sum())


def test_numbers_match_counts_made_from_the_file(built, csv):
    b, _, _ = built
    for tag, (a, z) in {
        "now": ("2020-09-01", "2020-09-30"),
        "prev": ("2020-08-01", "2020-08-31"),
        "yago": ("2019-09-01", "2019-09-30"),
    }.items():
        n, f = _span(csv, a, z)
        assert b.value(f"all:events:{tag}") == n and b.value(f"all:fatalities:{tag}") == f, tag
        for a1, g in csv.groupby("admin1"):
            key = f"a1:{a1}:events:{tag}"
            if key in b.numbers:
                assert b.value(key) == _span(g, a, z)[0], key
    sep = csv[(csv["event_date"] >= "2020-09-01") & (csv["event_date"] <= "2020-09-30")]
    civ = sep[sep["event_type"] == "Violence against civilians"]
    assert b.value("civilian_events") == len(civ) and b.value("civilian_fatalities") == int(
        civ["fatalities"].sum()
    )
    top = sep.sort_values("fatalities", ascending=False).iloc[0]
    ke = b.tables["key_events"]
    assert ke.iloc[0]["fatalities"] == top["fatalities"] and ke.iloc[0]["why"] == "deadliest"
    # the arrow follows the stated rule from the same counts
    assert b.sections["overall_trend"] == B.trend(
        b.value("all:events:now"),
        b.value("all:events:prev"),
        b.value("all:fatalities:now"),
        b.value("all:fatalities:prev"),
    )


def test_arrow_thresholds():
    assert B.trend(10, 5, 0, 0) == "deteriorated"  # +5 events, +100%
    assert B.trend(10, 8, 0, 0) == "unchanged"  # +2 events: below the 3-event floor
    assert B.trend(40, 36, 0, 0) == "unchanged"  # +4 events but +11%: below 25%
    assert B.trend(5, 10, 5, 30) == "improved"
    assert B.trend(10, 5, 5, 30) == "unchanged"  # events up, fatalities down: they cancel
    assert B.trend(5, 5, 40, 20) == "deteriorated"  # +20 fatalities, +100%


def test_every_number_of_the_text_is_in_the_appendix(built):
    from lxml import html as lh

    b, out, _ = built
    doc = lh.fromstring((out / "brief.html").read_text(encoding="utf-8"))
    appendix = {td.get("data-value"): td.text_content().strip() for td in doc.xpath("//td[@data-value]")}
    body = doc.xpath("//body")[0]
    spans = body.xpath("//span[@data-ref]")
    assert len(spans) > 50
    for s in spans:
        assert appendix.get(s.get("data-ref")) == s.text_content().strip(), s.get("data-ref")
    # no other number in the data parts: strip the numbers, dates, names, ids, method notes and the appendix
    for el in body.xpath(
        "//span[@data-ref]|//time|//span[@class='name']|//span[@class='id']|//p[@class='note']"
        "|//section[contains(@class,'appendix')]|//style|//th|//figcaption|//div[@class='sub']"
        "|//span[@class='src']"
    ):
        el.drop_tree() if el.getparent() is not None else None
    text = body.text_content()
    assert not re.findall(r"\d", text), re.findall(r".{20}\d.{20}", text)[:5]
    # and the JSON beside the PDF carries the same numbers with their filters
    j = json.loads((out / "brief.json").read_text())
    vals = {n["id"]: n for n in j["numbers"]}
    assert vals["all:events:now"]["value"] == b.value("all:events:now")
    assert vals["all:events:now"]["filter"] == {
        "country": "Mali",
        "since": "2020-09-01",
        "until": "2020-09-30",
    }
    assert j["meta"]["snapshot"]["events_sha256"] and j["meta"]["version"] == sahelwatch.__version__


def test_pdf_pages_and_figures(built):
    from pypdf import PdfReader

    _, out, paths = built
    r = PdfReader(str(out / "brief.pdf"))
    assert 3 <= len(r.pages) <= 12
    text = "\n".join(p.extract_text() for p in r.pages)
    for heading in (
        "Headline",
        "Alerts",
        "Key events",
        "Areas of influence",
        "Humanitarian access",
        "Outlook",
        "Data appendix",
    ):
        assert heading in text, heading
    assert re.search(r"Page 1 of \d+", text) and "sahelwatch " + sahelwatch.__version__ in text
    images = sum(len(p.images) for p in r.pages)
    assert images >= 2  # the map and the chart
    assert (out / "brief.pdf").stat().st_size < 2_000_000


def test_rebuild_gives_the_same_numbers(store, built, tmp_path):
    b, _, _ = built
    again = sahelwatch.brief(store, country="Mali", period=PERIOD, out_dir=tmp_path, samples=200)
    assert {k: v.value for k, v in again.numbers.items()} == {k: v.value for k, v in b.numbers.items()}


def test_french(store, tmp_path):
    b = sahelwatch.brief(
        store, country="Mali", period="2020-Q3", admin1="Mopti", lang="fr", out_dir=tmp_path, samples=100
    )
    html = B.render(b, [tmp_path / "note.html"])[0].read_text(encoding="utf-8")
    assert "3e trimestre 2020" in html and "Annexe des données" in html and "événements" in html
    assert b.meta["admin1"] == "Mopti" and b.meta["breakdown"] == "admin2"
    mopti = pd.read_csv(sample_path()).query("admin1 == 'Mopti'")
    assert set(b.tables["headline"]["admin1"].dropna()) <= set(mopti["admin2"])  # Mopti's districts only
    assert "Cercle (admin2)" in html


def test_unknown_country_or_period_fails_before_any_work(store, monkeypatch):
    import sahelwatch.analysis.hotspots as H

    monkeypatch.setattr(H, "gi_star", lambda *a, **k: pytest.fail("analysis ran"))
    with pytest.raises(B.BriefError, match=r"--country 'Atlantis': unknown country"):
        sahelwatch.brief(store, country="Atlantis", period=PERIOD)
    with pytest.raises(
        B.BriefError, match=r"--country 'Chad'.*countries in the store: Burkina Faso, Mali, Niger"
    ):
        sahelwatch.brief(store, country="Chad", period=PERIOD)
    with pytest.raises(B.BriefError, match="expected a week 2019-W14, a month 2019-04 or a quarter 2019-Q2"):
        sahelwatch.brief(store, country="Mali", period="March 2019")
    with pytest.raises(B.BriefError, match="month 13 does not exist"):
        sahelwatch.brief(store, country="Mali", period="2019-13")
    with pytest.raises(B.BriefError, match="outside them"):
        sahelwatch.brief(store, country="Mali", period="2015-04")
    with pytest.raises(B.BriefError, match="--admin1 'Kidal'"):
        sahelwatch.brief(store, country="Mali", period=PERIOD, admin1="Kidal")
    with pytest.raises(B.BriefError, match="--lang"):
        sahelwatch.brief(store, country="Mali", period=PERIOD, lang="de")


def test_periods():
    w = B.parse_period("2019-W14")
    assert (str(w.start.date()), str(w.end.date()), w.shift(-1).label) == (
        "2019-04-01",
        "2019-04-07",
        "2019-W13",
    )
    q = B.parse_period("2019-q2")
    assert (q.label, str(q.end.date()), q.shift(-1).label, q.year_before().label) == (
        "2019-Q2",
        "2019-06-30",
        "2019-Q1",
        "2018-Q2",
    )
    assert B.parse_period("2019-03").shift(-1).label == "2019-02"


def test_cli(store, tmp_path):
    from typer.testing import CliRunner

    from sahelwatch.cli import app

    r = CliRunner().invoke(
        app,
        [
            "brief",
            "--db",
            str(store.url).replace("sqlite:///", ""),
            "--country",
            "Mali",
            "--period",
            "2020-W30",
            "-o",
            str(tmp_path / "b.html"),
            "--samples",
            "50",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "numbers in the appendix" in r.output and (tmp_path / "b.html").stat().st_size > 50_000
    r = CliRunner().invoke(
        app,
        ["brief", "--db", "x.db", "--country", "Mali", "--period", "2020-09", "-o", str(tmp_path / "b.docx")],
    )
    assert r.exit_code == 2 and "b.docx" in r.output


def test_access_section_with_a_road_file(store, tmp_path):
    towns = {
        "Mopti": (-4.20, 14.49),
        "Sevare": (-4.10, 14.53),
        "Bandiagara": (-3.61, 14.35),
        "Douentza": (-2.95, 15.00),
        "Gao": (-0.04, 16.27),
        "Segou": (-6.27, 13.43),
        "Bamako": (-8.00, 12.65),
    }
    legs = [
        ("Bamako", "Segou"),
        ("Segou", "Sevare"),
        ("Sevare", "Mopti"),
        ("Sevare", "Bandiagara"),
        ("Sevare", "Douentza"),
        ("Douentza", "Gao"),
    ]
    feats = [
        {
            "type": "Feature",
            "properties": {"ref": f"R{i}", "START_NODE": a, "END_NODE": b},
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [
                        towns[a][0] + (towns[b][0] - towns[a][0]) * k / 8,
                        towns[a][1] + (towns[b][1] - towns[a][1]) * k / 8,
                    ]
                    for k in range(9)
                ],
            },
        }
        for i, (a, b) in enumerate(legs)
    ]
    roads = tmp_path / "roads.geojson"
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    b = sahelwatch.brief(store, country="Mali", period=PERIOD, out_dir=tmp_path, samples=50, roads=[roads])
    assert b.sections["access"] == "configured"
    assert "access_towns" in b.tables and "access_stretches" in b.tables
    html = B.render(b, [tmp_path / "a.html"])[0].read_text(encoding="utf-8")
    assert "No road file is configured" not in html
