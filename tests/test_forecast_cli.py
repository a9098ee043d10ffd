import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import sahelwatch
from sahelwatch.cli import app
from sahelwatch.model import Event

from _forecast_data import synthetic_events

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fc") / "sw.db"
    df = synthetic_events(months=20, seed=3)
    events = [
        Event(
            event_id_cnty=r.event_id_cnty,
            event_date=r.event_date.date(),
            event_type=r.event_type,
            sub_event_type=r.sub_event_type,
            actor1=r.actor1,
            actor2=r.actor2,
            inter1=int(r.inter1),
            inter2=int(r.inter2),
            country="Mali",
            admin1=r.admin1,
            admin2=r.admin2,
            latitude=float(r.latitude),
            longitude=float(r.longitude),
            fatalities=int(r.fatalities),
            geo_precision=1,
            time_precision=1,
        )
        for r in df.itertuples()
    ]
    store = sahelwatch.open(str(path))
    rep = store.add_events(events, dataset="test")
    assert rep.accepted == len(events), rep
    return str(path)


def test_forecast_parquet_csv_geojson(db, tmp_path):
    out = tmp_path / "f.parquet"
    r = runner.invoke(
        app,
        [
            "forecast",
            "--db",
            db,
            "--unit",
            "priogrid",
            "--target",
            "fatalities",
            "--horizon",
            "1-2",
            "--samples",
            "40",
            "--model",
            "conflictology",
            "-o",
            str(out),
            "--summary",
            str(tmp_path / "s.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    df = pd.read_parquet(out)
    assert list(df.columns) == ["unit", "month", "horizon", "sample", "value"]
    assert df["month"].min() == "2018-09" and df["horizon"].max() == 2 and df["sample"].max() == 39
    s = pd.read_csv(tmp_path / "s.csv")
    assert {"mean", "q05", "q95", "p_any"} <= set(s.columns)
    g = tmp_path / "f.geojson"
    r = runner.invoke(
        app,
        [
            "forecast",
            "--db",
            db,
            "--unit",
            "admin1",
            "--type",
            "onesided",
            "--target",
            "events",
            "--horizon",
            "1",
            "--samples",
            "30",
            "--origin",
            "2018-06",
            "-o",
            str(g),
        ],
    )
    assert r.exit_code == 0, r.output
    gj = json.loads(g.read_text())
    assert gj["features"] and gj["features"][0]["geometry"]["type"] == "Point"
    assert {f["properties"]["month"] for f in gj["features"]} == {"2018-07"}


def test_backtest_html(db, tmp_path):
    out = tmp_path / "bt.html"
    r = runner.invoke(
        app,
        [
            "forecast",
            "backtest",
            "--db",
            db,
            "--unit",
            "admin1",
            "--horizon",
            "1-2",
            "--samples",
            "40",
            "--first-origin",
            "2018-04",
            "--last-origin",
            "2018-05",
            "--seeds",
            "1",
            "--models",
            "lgbm,conflictology,zero",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "data:image/png;base64," in out.read_text()


def test_bad_input_gives_a_message_not_a_traceback(db, tmp_path):
    r = runner.invoke(
        app, ["forecast", "--db", db, "--origin", "2030-01", "--samples", "10", "-o", str(tmp_path / "x.csv")]
    )
    assert r.exit_code == 2 and "outside the data" in r.output
    r = runner.invoke(
        app,
        ["forecast", "--db", db, "--since", "2018-01-01", "--samples", "10", "-o", str(tmp_path / "x.csv")],
    )
    assert r.exit_code == 2 and "too short a history" in r.output
    r = runner.invoke(app, ["forecast", "--db", db, "--country", "Niger", "-o", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "no events" in r.output
    r = runner.invoke(app, ["forecast", "--db", db, "--unit", "county", "-o", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "unit" in r.output
    r = runner.invoke(
        app,
        ["forecast", "--db", db, "--model", "conflictology", "--samples", "5", "-o", str(tmp_path / "x.txt")],
    )
    assert r.exit_code == 2 and "extension" in r.output
