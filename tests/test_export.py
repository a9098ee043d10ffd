"""Exports: ACLED CSV (dyadic, monadic), GeoJSON, GeoPackage, GeoParquet, CSV+HXL, Parquet;
compare_acled. Events are invented for the test."""

from __future__ import annotations

import csv
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from sahelwatch.errors import InputError
from sahelwatch.export import (
    HXL_TAGS,
    ExportWarning,
    acled_frame,
    compare_acled,
    export_events,
    format_for,
    format_number,
)
from sahelwatch.model import ACLED_COLUMNS


def events_frame() -> pd.DataFrame:
    """A frame shaped like store.events(): ACLED columns, datetime64 event_date, dataset, date_end, extra."""
    rows = [
        dict(
            event_id_cnty="MLI90003",
            event_date="2019-12-30",
            time_precision=1,
            disorder_type="Political violence",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="Military Forces of Mali (2013-2020)",
            assoc_actor_1="",
            inter1=1,
            actor2="Katiba Macina",
            assoc_actor_2="JNIM: Group for Support of Islam and Muslims",
            inter2=2,
            interaction=12,
            civilian_targeting="",
            iso=466,
            region="Western Africa",
            country="Mali",
            admin1="Mopti",
            admin2="Tenenkou",
            admin3="Diafarabe",
            location="Dioura",
            latitude=14.7167,
            longitude=-5.2833,
            geo_precision=1,
            source="Invented Radio",
            source_scale="National",
            notes='Invented: soldiers and militants, with a comma, and "quotes".',
            fatalities=4,
            tags="",
            timestamp=1622068113,
            dataset="acled",
            date_end=None,
            extra={"data_id": 8000001, "iso3": "MLI", "event_id_no_cnty": 90003},
        ),
        dict(
            event_id_cnty="MLI90002",
            event_date="2019-12-29",
            time_precision=2,
            disorder_type="Demonstrations",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Mali)",
            assoc_actor_1="Students (Mali)",
            inter1=6,
            actor2="",
            assoc_actor_2="",
            inter2=0,
            interaction=60,
            civilian_targeting="",
            iso=466,
            region="Western Africa",
            country="Mali",
            admin1="Bamako",
            admin2="Bamako",
            admin3="Commune III",
            location="Bamako",
            latitude=12.65,
            longitude=-8.0,
            geo_precision=1,
            source="Invented Daily",
            source_scale="National",
            notes="Invented: a sit-in.",
            fatalities=0,
            tags="crowd size=no report",
            timestamp=1622068114,
            dataset="acled",
            date_end=None,
            extra={"data_id": 8000002, "iso3": "MLI", "event_id_no_cnty": 90002},
        ),
        dict(
            event_id_cnty="BFO90001",
            event_date="2020-01-05",
            time_precision=3,
            disorder_type="Political violence",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Unidentified Armed Group (Burkina Faso)",
            assoc_actor_1="",
            inter1=3,
            actor2="Civilians (Burkina Faso)",
            assoc_actor_2="Fulani Ethnic Group (Burkina Faso)",
            inter2=7,
            interaction=37,
            civilian_targeting="Civilian targeting",
            iso=854,
            region="Western Africa",
            country="Burkina Faso",
            admin1="Sahel",
            admin2="Soum",
            admin3="Djibo",
            location="Djibo",
            latitude=None,
            longitude=None,
            geo_precision=None,
            source="Invented Wire",
            source_scale="International",
            notes="Invented: no coordinates known.",
            fatalities=12,
            tags="",
            timestamp=1622068115,
            dataset="ucdp",
            date_end="2020-01-31",
            extra={"ucdp_id": "900003", "low": "10", "high": "15"},
        ),
    ]
    df = pd.DataFrame(rows)
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["date_end"] = pd.to_datetime(df["date_end"])
    df["year"] = df["event_date"].dt.year
    for c in ("time_precision", "geo_precision"):
        df[c] = df[c].astype("Int64")
    for c in ("inter1", "inter2", "interaction", "fatalities", "iso", "timestamp"):
        df[c] = df[c].astype("int64")
    # provenance columns as store.events() gives them: nullable ints with gaps, lists of sources
    df["prov_row"] = pd.array([2, None, 5], dtype="Int64")
    df["sources"] = [[], [{"dataset": "acled", "row": 3}], []]
    return df[[*ACLED_COLUMNS, "dataset", "date_end", "prov_row", "sources", "extra"]]


def read_text_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ------------------------------------------------------------------ ACLED CSV


def test_acled_csv_columns_and_cell_formats(tmp_path):
    out = export_events(events_frame(), tmp_path / "e.csv", "acled")
    back = read_text_csv(out)
    assert list(back.columns) == list(ACLED_COLUMNS)
    first = back.iloc[0]
    assert first["event_date"] == "2019-12-30" and first["year"] == "2019"
    assert first["inter1"] == "1" and first["fatalities"] == "4" and first["geo_precision"] == "1"
    assert first["latitude"] == "14.7167" and back.iloc[1]["longitude"] == "-8"  # integers without .0
    assert first["notes"].endswith('"quotes".')
    third = back.iloc[2]
    assert third["latitude"] == "" and third["geo_precision"] == "" and third["assoc_actor_1"] == ""
    assert not any(v.endswith(".0") for v in back.to_numpy().ravel())
    assert "nan" not in back.to_numpy().ravel() and "None" not in back.to_numpy().ravel()


def test_acled_round_trip_has_no_difference(tmp_path):
    df = events_frame()
    out = export_events(df, tmp_path / "e.csv", "acled")
    back = read_text_csv(out)
    assert compare_acled(df[list(ACLED_COLUMNS)], back).empty
    # and the comparison does see a changed cell
    back.loc[1, "admin2"] = "Kati"
    back.loc[0, "fatalities"] = "5"
    diff = compare_acled(df[list(ACLED_COLUMNS)], back)
    assert sorted(map(tuple, diff[["id", "column"]].to_numpy())) == [
        ("MLI90002", "admin2"),
        ("MLI90003", "fatalities"),
    ]
    row = diff.set_index("column").loc["fatalities"]
    assert (row["left"], row["right"]) == (4, "5")


def test_monadic_one_row_per_actor(tmp_path):
    df = events_frame()
    out = export_events(df, tmp_path / "m.csv", "acled", monadic=True)
    back = read_text_csv(out)
    assert (
        "actor2" not in back.columns and "inter2" not in back.columns and "assoc_actor_2" not in back.columns
    )
    assert list(back["event_id_cnty"]) == ["MLI90003", "MLI90003", "MLI90002", "BFO90001", "BFO90001"]
    second = back.iloc[1]
    assert (second["actor1"], second["assoc_actor_1"], second["inter1"]) == (
        "Katiba Macina",
        "JNIM: Group for Support of Islam and Muslims",
        "2",
    )
    assert second["interaction"] == "12" and second["fatalities"] == "4"  # event fields repeated
    assert back.iloc[4]["actor1"] == "Civilians (Burkina Faso)" and back.iloc[4]["inter1"] == "7"


def test_monadic_round_trip_with_source_columns_from_extra(tmp_path):
    """ACLED monadic file -> (merge) -> monadic export with the file's own columns and date format."""
    df = events_frame()
    columns = [
        "data_id",
        "iso",
        "event_id_cnty",
        "event_id_no_cnty",
        "event_date",
        "year",
        "actor1",
        "inter1",
        "interaction",
        "latitude",
        "longitude",
        "fatalities",
        "iso3",
    ]
    out = export_events(
        df, tmp_path / "m.csv", "acled", monadic=True, columns=columns, date_format="%d %B %Y"
    )
    text = out.read_text("utf-8").splitlines()
    assert text[0] == ",".join(columns)
    assert text[1].startswith("8000001,466,MLI90003,90003,30 December 2019,2019,")
    assert text[1].endswith(",MLI")
    back = read_text_csv(out)
    # merge the monadic rows back into events, then compare with the source frame
    first = back.groupby("event_id_cnty", sort=False).nth(0).set_index("event_id_cnty")
    second = back.groupby("event_id_cnty", sort=False).nth(1).set_index("event_id_cnty")
    merged = first.assign(actor2=second["actor1"], inter2=second["inter1"]).reset_index()
    src = df.assign(data_id=[d.get("data_id") for d in df["extra"]])
    diff = compare_acled(
        src, merged, columns=["event_date", "actor1", "actor2", "inter1", "inter2", "latitude", "data_id"]
    )
    # BFO90001's extra has no data_id, and inter2 0 with no actor2 reads back as empty: that is the only gap
    assert list(map(tuple, diff[["id", "column", "left", "right"]].to_numpy())) == [
        ("MLI90002", "inter2", 0, None)
    ]


def test_acled_frame_api_matches_file(tmp_path):
    df = events_frame()
    table = acled_frame(df)
    out = export_events(df, tmp_path / "e.csv", "acled")
    back = read_text_csv(out)
    assert list(table.columns) == list(back.columns)
    assert table.to_numpy().tolist() == back.to_numpy().tolist()


# ------------------------------------------------------------------ compare_acled


def test_compare_normalises_types_and_finds_structure_gaps():
    a = pd.DataFrame(
        {
            "event_id_cnty": ["X1", "X2", "X3"],
            "event_date": ["30 December 2019", "2019-12-29", "01/02/2020"],
            "longitude": ["-8", "1.5", ""],
            "fatalities": [3, 0, np.nan],
            "admin3": ["", "A", None],
            "only_a": ["1", "2", "3"],
        }
    )
    b = pd.DataFrame(
        {
            "event_id_cnty": ["X1", "X2", "X4"],
            "event_date": pd.to_datetime(["2019-12-30", "2019-12-29", "2020-02-01"]),
            "longitude": [-8.0, 1.5, 2.0],
            "fatalities": ["3", "0", "1"],
            "admin3": [np.nan, "A", "B"],
        }
    )
    diff = compare_acled(a, b)
    got = set(map(tuple, diff[["id", "column", "left", "right"]].astype(str).to_numpy()))
    assert got == {
        ("X3", "<row>", "present", "missing"),
        ("X4", "<row>", "missing", "present"),
        ("*", "only_a", "column present", "column missing"),
    }


def test_compare_dates_differ_and_monadic_duplicates_align():
    a = pd.DataFrame(
        {"event_id_cnty": ["M1", "M1", "M2"], "event_date": ["2019-01-02"] * 3, "actor1": ["A", "B", "C"]}
    )
    b = pd.DataFrame(
        {
            "event_id_cnty": ["M1", "M1", "M2"],
            "event_date": ["2 January 2019", "3 January 2019", "2 January 2019"],
            "actor1": ["A", "X", "C"],
        }
    )
    diff = compare_acled(a, b)
    assert sorted(map(tuple, diff[["id", "column"]].to_numpy())) == [
        ("M1#2", "actor1"),
        ("M1#2", "event_date"),
    ]


def test_format_number():
    assert [format_number(v) for v in (3.0, -8.0, 14.7167, np.int64(12), None, np.nan, 0.1 + 0.2)] == [
        "3",
        "-8",
        "14.7167",
        "12",
        "",
        "",
        "0.30000000000000004",
    ]


# ------------------------------------------------------------------ spatial formats


def test_geojson_rfc7946_and_missing_coordinates_counted(tmp_path):
    with pytest.warns(
        ExportWarning, match="1 of 3 events have no coordinates and were left out of the GeoJSON"
    ) as rec:
        out = export_events(events_frame(), tmp_path / "e.geojson")
    assert rec[0].message.count == 1

    def no_nan(constant):
        raise AssertionError(f"{constant} is not JSON (RFC 8259)")

    doc = json.loads(out.read_text("utf-8"), parse_constant=no_nan)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 2
    f = doc["features"][0]
    assert f["type"] == "Feature" and f["id"] == "MLI90003"
    assert f["geometry"] == {"type": "Point", "coordinates": [-5.2833, 14.7167]}  # lon, lat
    p = f["properties"]
    assert p["event_date"] == "2019-12-30" and p["fatalities"] == 4 and p["date_end"] is None
    assert p["assoc_actor_1"] is None and p["time_precision"] == 1  # empty text is null, not NaN
    assert p["extra"] == {"data_id": 8000001, "iso3": "MLI", "event_id_no_cnty": 90003}


def test_gpkg_reads_back_with_pyogrio(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    df = events_frame()
    with pytest.warns(ExportWarning):
        out = export_events(df, tmp_path / "e.gpkg")
    layers = pyogrio.list_layers(out)
    assert [name for name, _ in layers] == ["events"]
    back = pyogrio.read_dataframe(out, layer="events")
    assert back.crs.to_epsg() == 4326
    assert list(back["event_id_cnty"]) == ["MLI90003", "MLI90002"]
    assert back.geometry.iloc[0].x == pytest.approx(-5.2833) and back.geometry.iloc[0].y == pytest.approx(
        14.7167
    )
    assert list(back["fatalities"]) == [4, 0]
    assert pd.Timestamp(back["event_date"].iloc[0]).date().isoformat() == "2019-12-30"
    assert json.loads(back["extra"].iloc[0])["iso3"] == "MLI"
    assert json.loads(back["sources"].iloc[1]) == [{"dataset": "acled", "row": 3}]
    assert back["prov_row"].iloc[0] == 2 and pd.isna(back["prov_row"].iloc[1])
    info = pyogrio.read_info(out, layer="events")
    assert info["geometry_type"] == "Point" and info["features"] == 2
    # every ACLED column survives, values equal after normalisation
    cols = [c for c in ACLED_COLUMNS]
    assert compare_acled(df.iloc[:2][cols], pd.DataFrame(back[cols])).empty
    # writing again replaces the file instead of appending
    with pytest.warns(ExportWarning):
        export_events(df, out)
    assert pyogrio.read_info(out, layer="events")["features"] == 2


def test_geoparquet(tmp_path):
    gpd = pytest.importorskip("geopandas")
    with pytest.warns(ExportWarning):
        out = export_events(events_frame(), tmp_path / "e.parquet", "geoparquet")
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326 and len(back) == 2
    assert back.geometry.iloc[1].x == pytest.approx(-8.0)
    import pyarrow.parquet as pq

    assert b"geo" in pq.read_schema(out).metadata  # GeoParquet metadata


# ------------------------------------------------------------------ CSV + HXL, Parquet


HXL_RE = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")


def test_csv_with_hxl_row(tmp_path):
    out = export_events(events_frame(), tmp_path / "e.csv", hxl=True)
    with open(out, newline="", encoding="utf-8") as fh:
        header, tags, *rows = list(csv.reader(fh))
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS) and {"dataset", "date_end", "extra"} <= set(
        header
    )
    tag = dict(zip(header, tags))
    assert tag["event_id_cnty"] == "#event+code" and tag["event_date"] == "#date+occurred"  # HDX's ACLED tags
    assert tag["event_type"] == "#event+type" and tag["actor1"] == "#group+name+first"
    assert tag["admin1"] == "#adm1+name" and tag["latitude"] == "#geo+lat" and tag["longitude"] == "#geo+lon"
    assert tag["fatalities"] == "#affected+killed"
    assert all(HXL_RE.match(t) for t in tags if t), [t for t in tags if t and not HXL_RE.match(t)]
    assert all(HXL_RE.match(t) for t in HXL_TAGS.values())
    assert len(rows) == 3
    third = dict(zip(header, rows[2]))
    assert third["dataset"] == "ucdp" and third["date_end"] == "2020-01-31" and third["latitude"] == ""
    assert json.loads(third["extra"])["ucdp_id"] == "900003"


def test_csv_without_hxl_and_parquet(tmp_path):
    df = events_frame()
    out = export_events(df, tmp_path / "e.csv")
    assert read_text_csv(out).iloc[0]["event_id_cnty"] == "MLI90003"  # no tag row
    pq = export_events(df, tmp_path / "e.parquet")
    back = pd.read_parquet(pq)
    assert len(back) == 3 and back["event_date"].dtype.kind == "M"
    assert json.loads(back["extra"].iloc[2])["low"] == "10"
    assert compare_acled(df[list(ACLED_COLUMNS)], back[list(ACLED_COLUMNS)]).empty


def test_format_choice_and_errors(tmp_path):
    assert (
        format_for("x.csv") == "csv"
        and format_for("x.gpkg") == "gpkg"
        and format_for("x.geojson") == "geojson"
    )
    assert format_for("x.parquet") == "parquet" and format_for("x.txt", "ACLED") == "acled"
    with pytest.raises(InputError, match="extension"):
        format_for("x.docx")
    with pytest.raises(InputError, match="unknown export format"):
        format_for("x.csv", "kml")
    with pytest.raises(InputError, match="HXL"):
        export_events(events_frame(), tmp_path / "e.geojson", hxl=True)
    with pytest.raises(InputError, match="monadic"):
        export_events(events_frame(), tmp_path / "e.csv", "csv", monadic=True)
    with pytest.raises(InputError, match="does not exist"):
        export_events(events_frame(), tmp_path / "nope" / "e.csv", "acled")


def test_empty_frame_exports(tmp_path):
    empty = events_frame().iloc[0:0]
    assert read_text_csv(export_events(empty, tmp_path / "e.csv", "acled")).columns.tolist() == list(
        ACLED_COLUMNS
    )
    doc = json.loads(export_events(empty, tmp_path / "e.geojson").read_text())
    assert doc == {"type": "FeatureCollection", "features": []}


def test_big_exports_are_written_in_slices_with_the_same_result(tmp_path, monkeypatch):
    import sahelwatch.export as export

    df = events_frame()
    whole = {}
    cases = [
        ("acled", "a.csv", {"monadic": True}),
        ("csv", "c.csv", {"hxl": True}),
        ("geojson", "g.geojson", {}),
    ]
    for fmt, name, kw in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExportWarning)
            whole[fmt] = export_events(df, tmp_path / f"whole_{name}", fmt, **kw).read_bytes()
    monkeypatch.setattr(export, "CHUNK_ROWS", 1)
    for fmt, name, kw in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExportWarning)
            sliced = export_events(df, tmp_path / f"sliced_{name}", fmt, **kw).read_bytes()
        assert sliced == whole[fmt], fmt
    json.loads(whole["geojson"])  # still one valid document
