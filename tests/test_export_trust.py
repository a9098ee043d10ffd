"""Exports that validate and say what they wrote (issue 16, items 4 and 5): HXL with HDX's ACLED hashtags
passing libhxl's validator, p-codes, GeoPackage fields typed for QGIS, Shapefile and XLSX, `-o -`, -q,
grouped warnings, no wrapping off a terminal."""

from __future__ import annotations

import csv
import json
import sqlite3
import warnings

import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

import sahelwatch
from sahelwatch.cli import app
from sahelwatch.export import ExportWarning, write_events
from sahelwatch.ingest.acled import import_acled

from acled_samples import sample_rows, write_csv


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path):
    rows = sample_rows()
    rows[1]["latitude"] = rows[1]["longitude"] = ""  # one event without coordinates
    rows[0]["notes"] = "A long note. " * 40  # 520 characters
    path = tmp_path / "s.db"
    s = sahelwatch.open(path)
    import_acled(s, write_csv(tmp_path / "a.csv", rows))
    s.close()
    return path


def _events(db):
    s = sahelwatch.open(db)
    try:
        return s.events()
    finally:
        s.close()


def test_hxl_export_uses_hdx_hashtags_and_passes_hxlvalidate(db, tmp_path):
    hxl = pytest.importorskip("hxl")
    out = tmp_path / "hdx.csv"
    write_events(_events(db), out, hxl=True)
    with open(out, newline="", encoding="utf-8") as fh:
        header, tags = next(csv.reader(fh)), next(csv.reader(fh))
    tag = dict(zip(header, tags))
    assert tag["event_id_cnty"] == "#event+code" and tag["event_date"] == "#date+occurred"
    assert tag["actor1"] == "#group+name+first" and tag["admin1"] == "#adm1+name"
    assert tag["admin1_pcode"] == "#adm1+code" and tag["admin2_pcode"] == "#adm2+code"
    assert not [
        c for c, t in tag.items() if t.startswith("#date") and c not in ("event_date", "year", "date_end")
    ]
    errors = []
    schema = hxl.schema(callback=lambda e: errors.append(e))
    ok = schema.validate(hxl.data(str(out), hxl.InputOptions(allow_local=True)))
    assert ok and not [e for e in errors if getattr(e, "rule", None) is None or e.rule.severity == "error"], [
        str(e.message) + " " + str(e.value) for e in errors
    ][:5]
    rows = pd.read_csv(out, skiprows=[1])
    assert rows.set_index("event_id_cnty").loc["MLI9001", "admin1_pcode"] == "ML05"


def test_geopackage_fields_are_typed_as_qgis_expects(db, tmp_path):
    out = tmp_path / "e.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        res = write_events(_events(db), out)
    con = sqlite3.connect(out)
    types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(events)")}
    con.close()
    assert types["event_date"] == "DATE"
    for c in ("fatalities", "year", "inter1", "inter2", "geo_precision", "timestamp"):
        assert types[c] in ("INTEGER", "MEDIUMINT", "INT"), (c, types[c])
    assert types["latitude"] == "REAL"
    assert res.rows == 4 and res.without_coordinates == 1 and res.events == 5
    assert "wrote 4 features" in res.summary() and "1 of the 5 events have no coordinates" in res.summary()


def test_export_without_coordinates_says_zero_features(db, tmp_path):
    df = _events(db)
    df["latitude"] = df["longitude"] = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        res = write_events(df, tmp_path / "none.gpkg")
    assert res.rows == 0 and "wrote 0 features" in res.summary() and "5 of the 5 events" in res.summary()
    res = _run("export", "--db", db, "-o", tmp_path / "cli.gpkg")
    flat = " ".join(res.output.split())
    assert res.exit_code == 0 and "wrote 4 features (points)" in flat and "1 of the 5 events" in flat


def test_shapefile_and_xlsx_exports(db, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = write_events(_events(db), tmp_path / "e.shp")
    assert res.rows == 4
    assert any(issubclass(w.category, ExportWarning) and "254 characters" in str(w.message) for w in caught)
    shp = pyogrio.read_dataframe(tmp_path / "e.shp")
    info = pyogrio.read_info(tmp_path / "e.shp")
    assert {"event_id", "event_date", "sub_type", "fatalities", "adm1_pcode"} <= set(shp.columns)
    assert dict(zip(info["fields"], info["dtypes"]))["event_date"].startswith("datetime64")
    assert dict(zip(info["fields"], info["dtypes"]))["fatalities"].startswith("int")
    assert shp.crs.to_epsg() == 4326
    openpyxl = pytest.importorskip("openpyxl")
    res = write_events(_events(db), tmp_path / "e.xlsx")
    assert res.rows == 5  # tables keep events without coordinates
    ws = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2])}
    assert hasattr(row["event_date"], "year") and isinstance(row["fatalities"], int)


def test_dash_writes_csv_and_json_to_stdout(db, tmp_path):
    res = _run("-q", "export", "--db", db, "-o", "-")
    lines = res.stdout.splitlines()
    assert res.exit_code == 0 and lines[0].startswith("event_id_cnty,") and len(lines) == 6
    res = _run("-q", "export", "--db", db, "-o", "-", "--format", "geojson")
    assert json.loads(res.stdout)["type"] == "FeatureCollection"
    res = _run("export", "--db", db, "-o", "-", "--format", "gpkg")
    assert res.exit_code == 2 and "standard output" in res.output


def test_quiet_keeps_errors(db, tmp_path):
    res = _run("-q", "import", "acled", write_csv(tmp_path / "b.csv", sample_rows()), "--db", db)
    assert res.exit_code == 0 and "rows read" not in res.output
    res = _run("-q", "stats", "--db", tmp_path / "missing.db")
    assert res.exit_code == 2 and "no store at" in res.output


def test_import_warnings_are_grouped_with_counts_and_lines(tmp_path):
    rows = [
        dict(r, event_id_cnty=f"{r['event_id_cnty']}{k}", fatalities="x")
        for k in range(3)
        for r in sample_rows()
    ]
    res = _run("import", "acled", write_csv(tmp_path / "bad.csv", rows), "--db", tmp_path / "s.db")
    refused = [ln for ln in res.output.splitlines() if ln.startswith("refused")]
    assert len(refused) == 1 and "15 rows (lines 2, 3, 4, 5, 6, …)" in refused[0]


def test_output_is_not_wrapped_off_a_terminal(tmp_path):
    import subprocess
    import sys

    long = tmp_path / ("x" * 120) / "a.db"
    r = subprocess.run(
        [sys.executable, "-m", "sahelwatch.cli", "stats", "--db", str(long)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(ln for ln in r.stderr.splitlines() if "no store at" in ln)
    assert str(long) in line  # one line, not cut at 80 columns
