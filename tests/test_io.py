"""write_table: the format from the suffix, refused before any work for an unknown suffix or a picture that
does not exist; the same table read back from every format."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from sahelwatch import workflows
from sahelwatch.errors import InputError
from sahelwatch.io import OmittedRowsWarning, check_output, picture_kinds, write_table


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": [1, 2, 3],
            "lat": [14.25, 15.75, None],
            "lon": [-3.25, -1.75, 0.5],
            "day": pd.to_datetime(["2019-01-05", "2019-02-01", "2019-03-01"]),
            "score": [0.5, 1.25, float("nan")],
            "groups": [["JNIM"], [], ["ISGS", "JNIM"]],
        }
    )


def test_every_table_format_round_trips(tmp_path):
    df = _frame()
    csv = pd.read_csv(write_table(df, tmp_path / "t.csv"))
    assert (
        list(csv["unit"]) == [1, 2, 3] and csv.loc[0, "day"] == "2019-01-05" and csv.loc[1, "score"] == 1.25
    )
    assert json.loads(csv.loc[2, "groups"]) == ["ISGS", "JNIM"]
    pq = pd.read_parquet(write_table(df, tmp_path / "t.parquet"))
    assert list(pq["unit"]) == [1, 2, 3] and json.loads(pq.loc[0, "groups"]) == ["JNIM"]
    records = json.loads((write_table(df, tmp_path / "t.json")).read_text())
    assert records[0] == {
        "unit": 1,
        "lat": 14.25,
        "lon": -3.25,
        "day": "2019-01-05",
        "score": 0.5,
        "groups": ["JNIM"],
    }
    assert records[2]["lat"] is None and records[2]["score"] is None
    assert "<table" in write_table(df, tmp_path / "t.html").read_text()
    with pytest.warns(OmittedRowsWarning, match="1 of 3 rows have no coordinates"):
        doc = json.loads(write_table(df, tmp_path / "t.geojson").read_text())
    assert [f["geometry"]["coordinates"] for f in doc["features"]] == [[-3.25, 14.25], [-1.75, 15.75]]
    assert "crs" not in doc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OmittedRowsWarning)
        g = gpd.read_file(write_table(df, tmp_path / "t.gpkg"))
    assert len(g) == 2 and g.crs.to_epsg() == 4326


def test_polygons_of_a_geodataframe(tmp_path):
    g = gpd.GeoDataFrame({"unit": [7], "z": [2.5]}, geometry=[box(-3.5, 14.0, -3.0, 14.5)], crs="EPSG:4326")
    doc = json.loads(write_table(g, tmp_path / "cells.geojson").read_text())
    assert (
        doc["features"][0]["geometry"]["type"] == "Polygon" and doc["features"][0]["properties"]["z"] == 2.5
    )
    csv = pd.read_csv(write_table(g, tmp_path / "cells.csv"))
    assert csv.loc[0, "geometry_wkt"].startswith("POLYGON")


def test_unknown_suffix_and_missing_pictures_are_refused_before_any_work(tmp_path):
    with pytest.raises(InputError, match=r"unknown output format \(file extension '.txt'\)"):
        check_output(tmp_path / "x.txt")
    kinds = picture_kinds()
    with pytest.raises(InputError, match="no .png picture"):
        check_output(tmp_path / "x.png", kind="no-such-kind")
    if not kinds:
        with pytest.raises(InputError, match="no .svg picture"):
            check_output(tmp_path / "x.svg", kind="hotspots")
    with pytest.raises(InputError, match="does not exist"):
        check_output(tmp_path / "missing" / "x.csv")
    with pytest.raises(InputError, match="no geometry"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.geojson")
    # an empty frame would make the analysis fail: the suffix is refused first
    with pytest.raises(InputError, match="unknown output format"):
        workflows.run_analysis("hotspots", pd.DataFrame(), output=tmp_path / "hot.xlsx")
    assert not (tmp_path / "hot.xlsx").exists()


def test_the_cli_refuses_a_bad_output_before_the_analysis(tmp_path):
    from typer.testing import CliRunner

    from sahelwatch.cli import app

    res = CliRunner().invoke(
        app, ["analyze", "hotspots", "--db", str(tmp_path / "empty.db"), "-o", str(tmp_path / "hot.docx")]
    )
    assert res.exit_code == 2 and "unknown output format" in " ".join(res.output.split())
