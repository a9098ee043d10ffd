"""The core commands, run as a user would (typer's runner, real store files)."""

from __future__ import annotations

import json

import pyogrio
from typer.testing import CliRunner

from sahelwatch.cli import app

from acled_samples import sample_rows, write_csv

runner = CliRunner()


def run(*args):
    res = runner.invoke(app, [str(a) for a in args])
    res.text = " ".join(res.output.split())  # rich wraps long lines
    res.flat = "".join(res.output.split())  # ... even inside a path:line
    return res


def test_import_events_stats_export(tmp_path):
    db = tmp_path / "s.db"
    f = write_csv(tmp_path / "a.csv", sample_rows())
    res = run("import", "acled", f, "--db", db)
    assert res.exit_code == 0, res.output
    assert "5 new" in res.output
    res = run("events", "--db", db, "--country", "Mali", "--event-type", "Battles")
    assert res.exit_code == 0 and "MLI9001" in res.output and "BFO9001" not in res.output
    res = run("stats", "--db", db, "--json")
    assert json.loads(res.output)["events"] == 5
    out = tmp_path / "e.gpkg"
    res = run("export", "--db", db, "-o", out, "--since", "2019-04-01")
    assert res.exit_code == 0, res.output
    assert len(pyogrio.read_dataframe(out)) == 3


def test_bad_rows_exit_zero_but_strict_exits_one(tmp_path):
    db = tmp_path / "s.db"
    rows = sample_rows()
    rows[1]["event_date"] = "yesterday"
    f = write_csv(tmp_path / "bad.csv", rows)
    res = run("import", "acled", f, "--db", db)
    assert res.exit_code == 0 and "bad.csv:3:event_date" in res.flat
    res = run("import", "acled", f, "--db", tmp_path / "t.db", "--strict")
    assert res.exit_code == 1 and "aborted" in res.text
    res = run("rejections", "--db", db)
    assert "bad.csv:3:event_date" in res.flat


def test_missing_file_is_a_clear_error(tmp_path):
    res = run("import", "acled", tmp_path / "nope.csv", "--db", tmp_path / "s.db")
    assert res.exit_code == 2 and "no such file" in res.text


def test_demo_writes_summary_and_exports(tmp_path):
    res = run("demo", "--out", tmp_path / "demo")
    assert res.exit_code == 0, res.output
    for name in (
        "summary.md",
        "summary.json",
        "events_acled.csv",
        "events.geojson",
        "events.gpkg",
        "events_hxl.csv",
    ):
        assert (tmp_path / "demo" / name).is_file(), name
    assert "600 events" in (tmp_path / "demo" / "summary.md").read_text()


def test_import_ucdp_maps_onto_acled_vocabulary(tmp_path):
    from sahelwatch.demo import sample_path

    import sahelwatch

    ged = sample_path().with_name("sample_ucdp_ged.csv")
    db = tmp_path / "u.db"
    res = run("import", "ucdp", ged, "--db", db)
    assert res.exit_code == 0, res.output
    df = sahelwatch.open(db).events()
    assert len(df) == 80 and df["event_id_cnty"].str.startswith("UCDP-").all()
    assert set(df["event_type"]) <= {"Battles", "Violence against civilians"}
    assert (df["fatalities"] > 0).all() and df["extra"].map(lambda e: "low" in e and "high" in e).all()
    again = run("import", "ucdp", ged, "--db", db)
    assert "80 unchanged" in again.text


def test_import_ucdp_refuses_an_acled_file(tmp_path):
    f = write_csv(tmp_path / "a.csv", sample_rows())
    res = run("import", "ucdp", f, "--db", tmp_path / "u.db")
    assert res.exit_code == 2 and "not a ucdp file" in res.text
