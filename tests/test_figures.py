"""Figures: every kind draws from a frame written here; pictures of tables without one are refused first."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sahelwatch import figures
from sahelwatch.figures.base import OUTLINES, nice_length

TOWNS = {
    "Mopti": (14.49, -4.20),
    "Bandiagara": (14.35, -3.61),
    "Gao": (16.27, -0.04),
    "Menaka": (15.92, 2.40),
    "Bamako": (12.65, -8.00),
}


def _events(n=60, seed=1):
    rng = np.random.default_rng(seed)
    names = list(TOWNS)
    rows = []
    for i in range(n):
        t = names[i % len(names)]
        lat, lon = TOWNS[t]
        rows.append(
            {
                "event_id_cnty": f"T{i}",
                "event_date": pd.Timestamp("2019-01-05") + pd.Timedelta(days=int(i * 3)),
                "event_type": ["Battles", "Violence against civilians", "Explosions/Remote violence"][i % 3],
                "fatalities": int(rng.integers(0, 12)),
                "latitude": lat + rng.normal(0, 0.05),
                "longitude": lon + rng.normal(0, 0.05),
                "country": "Mali",
                "admin1": t if t != "Bandiagara" else "Mopti",
                "actor1": "JNIM" if i % 2 else "Military Forces of Mali",
                "dataset": "acled",
            }
        )
    return pd.DataFrame(rows)


def _is_png(p: Path) -> bool:
    return p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


def test_outlines_shipped_small_and_attributed():
    c = json.loads((OUTLINES / "countries.geojson").read_text())
    a = json.loads((OUTLINES / "admin1.geojson").read_text())
    assert {"ML", "BF", "NE"} <= {f["properties"]["iso2"] for f in c["features"]}
    mali = {f["properties"]["admin1"] for f in a["features"] if f["properties"]["iso2"] == "ML"}
    assert {"Mopti", "Gao", "Menaka", "Kidal", "Tombouctou", "Bamako"} <= mali
    assert sum(p.stat().st_size for p in OUTLINES.iterdir()) < 2_000_000
    text = (OUTLINES / "ATTRIBUTION").read_text()
    assert "Natural Earth" in text and "CC BY 4.0" in text and "APPROXIMATE" in text


def test_admin1_outlines_contain_their_towns():
    import shapely
    from shapely.geometry import shape

    a = json.loads((OUTLINES / "admin1.geojson").read_text())
    geo = {
        f["properties"]["admin1"]: shape(f["geometry"])
        for f in a["features"]
        if f["properties"]["iso2"] == "ML"
    }
    for town, (lat, lon) in {
        "Mopti": TOWNS["Mopti"],
        "Gao": TOWNS["Gao"],
        "Bamako": TOWNS["Bamako"],
        "Kidal": (18.44, 1.41),
        "Sikasso": (11.32, -5.67),
    }.items():
        assert geo[town].contains(shapely.Point(lon, lat)), town


def test_nice_length():
    assert [nice_length(x) for x in (0.7, 3, 180, 260, 999)] == [0.5, 2, 100, 200, 500]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_events_map(tmp_path, suffix):
    p = figures.draw(
        _events(),
        tmp_path / f"ev{suffix}",
        kind="events",
        title="Events",
        subtitle="period x",
        country="Mali",
    )
    if suffix == ".png":
        assert _is_png(p)
    else:
        svg = p.read_text()
        assert svg.lstrip().startswith("<?xml") and "ACLED (acleddata.com)" in svg and "km" in svg
        assert "Battles (20)" in svg  # legend counts the events of each type


def test_timeseries_counts_bars(tmp_path):
    ev = _events()
    p = figures.draw(
        ev, tmp_path / "ts.svg", kind="timeseries", by="month", since="2019-01-01", until="2019-06-30"
    )
    assert p.exists() and "fatalities" in p.read_text()
    from sahelwatch.figures.charts import period_starts

    weeks = period_starts(pd.Series(pd.to_datetime(["2019-03-08", "2019-03-09", "2019-03-15"])), "week")
    assert list(weeks.dt.strftime("%Y-%m-%d")) == [
        "2019-03-02",
        "2019-03-09",
        "2019-03-09",
    ]  # ACLED weeks start Saturday


def test_hotspot_influence_alert_forecast_network_maps(tmp_path):
    from sahelwatch.analysis import hotspots as H
    from sahelwatch.analysis import influence as I

    ev = _events(200)
    assert _is_png(
        figures.draw(H.gi_star(ev, permutations=0), tmp_path / "h.png", kind="hotspots", country="Mali")
    )
    assert _is_png(
        figures.draw(
            I.influence(ev, groups=["JNIM", "Military Forces of Mali"]),
            tmp_path / "i.png",
            kind="influence",
            country="Mali",
        )
    )
    al = pd.DataFrame({"kind": ["surge", "trend"], "unit": ["Mopti", "Gao"], "admin1": ["Mopti", "Gao"]})
    assert _is_png(figures.draw(al, tmp_path / "a.png", kind="alerts", country="Mali"))
    fc = pd.DataFrame(
        {
            "unit": [int(g) for g in H.gi_star(ev, permutations=0)["unit"].head(5)] * 10,
            "month": "2019-08",
            "horizon": 1,
            "sample": np.repeat(range(10), 5),
            "value": np.arange(50) % 3,
        }
    )
    assert _is_png(figures.draw(fc, tmp_path / "f.png", kind="forecast", country="Mali"))
    edges = pd.DataFrame(
        {
            "source": ["A", "A", "B"],
            "target": ["B", "C", "C"],
            "relation": ["opposition", "alliance", "opposition"],
            "events": [5, 2, 1],
        }
    )
    assert _is_png(figures.draw(edges, tmp_path / "n.png", kind="network"))


def test_refusals_name_the_file():
    with pytest.raises(figures.FigureError, match="x.png.*no picture"):
        figures.check_output("x.png", None)
    with pytest.raises(figures.FigureError, match="no figure of kind 'pie'"):
        figures.check_output("x.svg", "pie")
    figures.check_output("x.csv", None)  # tables are not this module's business
    with pytest.raises(figures.FigureError, match="empty"):
        figures.draw(_events().iloc[0:0], "e.png", kind="events")


def test_cli_picture_before_and_after_the_analysis(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import sahelwatch
    from sahelwatch.cli import app
    from sahelwatch.ingest.acled import import_acled
    from sahelwatch.demo import sample_path

    db = tmp_path / "s.db"
    store = sahelwatch.open(str(db))
    import_acled(store, sample_path(), dataset="sample")
    store.close()
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "analyze",
            "hotspots",
            "--db",
            str(db),
            "--country",
            "Mali",
            "--permutations",
            "0",
            "-o",
            str(tmp_path / "hot.png"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert _is_png(tmp_path / "hot.png")

    import sahelwatch.analysis.coordination as C

    def boom(*a, **k):  # the analysis must not start when its picture is refused
        raise AssertionError("analysis ran")

    monkeypatch.setattr(C, "coordination", boom)
    r = runner.invoke(app, ["analyze", "coordination", "--db", str(db), "-o", str(tmp_path / "rel.png")])
    assert r.exit_code == 2 and "no .png picture" in r.output
    r = runner.invoke(app, ["events", "--db", str(db), "--country", "Mali", "-o", str(tmp_path / "ev.svg")])
    assert r.exit_code == 0 and (tmp_path / "ev.svg").exists()


def test_cli_picture_says_its_period_and_filters(tmp_path):
    """A picture written by a command carries the period and filters that chose its events (issue 15)."""
    from typer.testing import CliRunner

    import sahelwatch
    from sahelwatch.cli import app
    from sahelwatch.cli_common import Filters
    from sahelwatch.demo import sample_path
    from sahelwatch.ingest.acled import import_acled

    assert Filters().describe() == "all events in the store"
    flt = Filters.from_options(since="2020-01-01", country=["Mali"], actor=["JNIM"], min_fatalities=5)
    assert flt.describe() == "Mali · 2020-01-01 to last event · actor JNIM · 5+ killed"
    assert flt.country == "Mali" and Filters(countries=["Mali", "Niger"]).country is None

    db = tmp_path / "s.db"
    store = sahelwatch.open(str(db))
    import_acled(store, sample_path(), dataset="sample")
    store.close()
    runner = CliRunner()
    for args, name in (
        (["analyze", "hotspots", "--permutations", "0"], "hot.svg"),
        (["events"], "events.svg"),
    ):
        out = tmp_path / name
        r = runner.invoke(
            app, [*args, "--db", str(db), "--country", "Mali", "--since", "2020-01-01", "-o", str(out)]
        )
        assert r.exit_code == 0, r.output
        assert "Mali · 2020-01-01 to last event" in out.read_text("utf-8"), name
