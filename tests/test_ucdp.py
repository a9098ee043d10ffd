"""UCDP GED rows -> ACLED-vocabulary events (rows written for this test, not UCDP data)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from sahelwatch import taxonomy
from sahelwatch.errors import RowError
from sahelwatch.ingest.ucdp import (
    UCDP_COLUMNS,
    acled_country,
    admin_name,
    is_ucdp_header,
    map_ucdp_row,
    place_name,
    shipped_registry,
    ucdp_actor,
)


def ged(**kw) -> dict[str, str]:
    """A UCDP GED row (all text, as csv.DictReader gives) for an invented state-based clash in Mali."""
    row = {c: "" for c in UCDP_COLUMNS}
    row.update(
        {
            "id": "900001",
            "relid": "MLI-2019-1-900-11",
            "year": "2019",
            "active_year": "1",
            "code_status": "Clear",
            "type_of_violence": "1",
            "conflict_dset_id": "11347",
            "conflict_new_id": "11347",
            "conflict_name": "Mali:Government",
            "dyad_dset_id": "13302",
            "dyad_new_id": "13302",
            "dyad_name": "Government of Mali - JNIM",
            "side_a_dset_id": "62",
            "side_a_new_id": "62",
            "side_a": "Government of Mali",
            "side_b_dset_id": "6922",
            "side_b_new_id": "6922",
            "side_b": "JNIM",
            "number_of_sources": "2",
            "source_article": "Invented wire, 2019-03-04",
            "source_office": "AFP;Reuters",
            "source_date": "2019-03-04",
            "source_headline": "Invented headline",
            "source_original": "army",
            "where_prec": "1",
            "gwnoa": "432",
            "gwnob": "",
            "where_coordinates": "Dioura village",
            "where_description": "invented description",
            "adm_1": "Mopti region",
            "adm_2": "Tenenkou cercle",
            "latitude": "14.7167",
            "longitude": "-5.2833",
            "geom_wkt": "POINT (-5.2833 14.7167)",
            "priogrid_gid": "178540",
            "country": "Mali",
            "country_id": "432",
            "region": "Africa",
            "event_clarity": "1",
            "date_prec": "1",
            "date_start": "2019-03-03 00:00:00.000",
            "date_end": "2019-03-03 00:00:00.000",
            "deaths_a": "21",
            "deaths_b": "3",
            "deaths_civilians": "0",
            "deaths_unknown": "0",
            "best": "24",
            "high": "30",
            "low": "24",
        }
    )
    row.update(kw)
    return row


def test_state_based_event_maps_onto_acled():
    e = map_ucdp_row(ged(), registry=None)  # the rules alone; the registry is tested below
    assert e.event_id_cnty == "UCDP-900001" and e.extra["ucdp_id"] == "900001"
    assert (e.event_type, e.sub_event_type, e.disorder_type) == (
        "Battles",
        "Armed clash",
        "Political violence",
    )
    assert (e.actor1, e.inter1) == ("Military Forces of Mali", 1)
    assert (e.actor2, e.inter2) == ("JNIM", 2)
    assert e.interaction == 12 == taxonomy.interaction(1, 2)
    assert e.extra["side_a"] == "Government of Mali" and e.extra["side_b"] == "JNIM"
    assert e.event_date == dt.date(2019, 3, 3) and e.date_end is None and e.time_precision == 1
    assert (e.latitude, e.longitude, e.geo_precision) == (14.7167, -5.2833, 1)
    assert (e.admin1, e.admin2, e.location) == ("Mopti", "Tenenkou", "Dioura")
    assert e.fatalities == 24 and e.extra["low"] == "24" and e.extra["high"] == "30"
    assert e.extra["deaths_a"] == "21" and e.extra["priogrid_gid"] == "178540"
    assert (e.country, e.iso, e.region) == ("Mali", 466, "Western Africa")
    assert e.source == "AFP; Reuters"
    assert e.provenance.dataset == "ucdp" and e.provenance.method == "import"
    assert e.problems() == []


def test_one_sided_violence_targets_civilians_of_the_country():
    e = map_ucdp_row(
        ged(
            type_of_violence="3",
            side_a="IS Sahel",
            side_b="Civilians",
            country="Burkina Faso",
            best="7",
            low="5",
            high="9",
            adm_1="Sahel region",
            adm_2="Oudalan province",
        ),
        registry=None,
    )
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    assert (e.actor2, e.inter2) == ("Civilians (Burkina Faso)", 7)
    assert e.civilian_targeting == "Civilian targeting"
    assert (e.actor1, e.inter1) == ("IS Sahel", 2)
    assert e.interaction == 27 and e.fatalities == 7
    assert (e.admin1, e.admin2, e.iso) == ("Sahel", "Oudalan", 854)
    assert e.problems() == []


def test_non_state_conflict_between_communities():
    e = map_ucdp_row(
        ged(type_of_violence="2", side_a="Dogon", side_b="Fulani", dyad_name="Dogon - Fulani"), registry=None
    )
    assert (e.event_type, e.sub_event_type) == ("Battles", "Armed clash")
    assert (e.inter1, e.inter2, e.interaction) == (4, 4, 44)


def test_actor_registry_gives_acled_names():
    """With the shipped actor registry, UCDP names become ACLED's canonical names."""
    if shipped_registry() is None:
        pytest.skip("actor registry not available")
    e = map_ucdp_row(ged())
    assert (e.actor1, e.inter1) == ("Military Forces of Mali (2013-2020)", 1)  # the period of 2019
    assert (e.actor2, e.inter2) == ("JNIM: Group for Support of Islam and Muslims", 2)
    assert e.extra["side_a"] == "Government of Mali" and e.extra["side_b"] == "JNIM"
    late = map_ucdp_row(ged(date_start="2022-06-01", date_end="2022-06-01"))
    assert late.actor1 != e.actor1 and late.actor1.startswith("Military Forces of Mali (")
    communal = map_ucdp_row(ged(type_of_violence="2", side_a="Dogon", side_b="Fulani"))
    assert (communal.actor1, communal.actor2) == (
        "Dogon Ethnic Militia (Mali)",
        "Fulani Ethnic Militia (Mali)",
    )
    assert communal.interaction == 44
    french = map_ucdp_row(ged(side_a="Government of France"))
    assert french.actor1.startswith("Military Forces of France") and french.inter1 == 8  # external in Mali
    unknown = map_ucdp_row(ged(side_b="Invented Liberation Front of Nowhere"))
    assert (unknown.actor2, unknown.inter2) == (
        "Invented Liberation Front of Nowhere",
        2,
    )  # kept as UCDP writes it


@pytest.mark.parametrize(
    "name,tov,expected",
    [
        ("Government of Mali", 1, ("Military Forces of Mali", 1)),
        ("Government of France", 1, ("Military Forces of France", 8)),  # foreign forces: external
        ("Civilians", 3, ("Civilians (Mali)", 7)),
        ("CMA", 2, ("CMA", 2)),
        ("IS", 2, ("IS", 2)),
        ("Dan Na Ambassagou", 2, ("Dan Na Ambassagou", 4)),
        ("Fulani", 2, ("Fulani", 4)),
        ("Supporters of the opposition", 2, ("Supporters of the opposition", 3)),
        ("Front de Libération du Macina", 2, ("Front de Libération du Macina", 2)),
    ],
)
def test_actor_mapping(name, tov, expected):
    assert ucdp_actor(name, "Mali", type_of_violence=tov) == expected


@pytest.mark.parametrize(
    "where_prec,geo", [("1", 1), ("2", 2), ("3", 2), ("4", 3), ("5", 3), ("6", 3), ("7", 3)]
)
def test_where_prec_to_geo_precision(where_prec, geo):
    assert map_ucdp_row(ged(where_prec=where_prec)).geo_precision == geo


@pytest.mark.parametrize("date_prec,time", [("1", 1), ("2", 2), ("3", 2), ("4", 3), ("5", 3)])
def test_date_prec_to_time_precision_keeps_the_range(date_prec, time):
    e = map_ucdp_row(ged(date_prec=date_prec, date_start="2019-03-01", date_end="2019-03-31"))
    assert e.time_precision == time
    assert e.event_date == dt.date(2019, 3, 1) and e.date_end == dt.date(2019, 3, 31)
    assert e.extra["date_prec"] == date_prec


@pytest.mark.parametrize(
    "field,value,reason",
    [
        ("id", "", "missing id"),
        ("date_start", "March 2019", "unparseable date"),
        ("date_start", "2019-02-30", "unparseable date"),
        ("latitude", "95.2", "outside -90..90"),
        ("longitude", "-190", "outside -180..180"),
        ("type_of_violence", "4", "unknown type_of_violence"),
        ("type_of_violence", "x", "not a number"),
        ("best", "-1", "negative"),
        ("best", "", "missing value"),
        ("where_prec", "9", "location precision"),
        ("date_prec", "0", "date precision"),
    ],
)
def test_bad_rows_raise_row_error(field, value, reason):
    with pytest.raises(RowError) as err:
        map_ucdp_row(ged(**{field: value}))
    assert err.value.field == field and reason in err.value.reason
    assert err.value.value == value


def test_date_end_before_start_is_rejected():
    with pytest.raises(RowError) as err:
        map_ucdp_row(ged(date_start="2019-03-05", date_end="2019-03-01"))
    assert err.value.field == "date_end"


def test_country_and_place_names():
    assert acled_country("DR Congo (Zaire)") == "Democratic Republic of Congo"
    assert acled_country("Burkina Faso") == "Burkina Faso"
    assert acled_country("Yemen (North Yemen)") == "Yemen"
    assert admin_name("Mopti region") == "Mopti" and admin_name("Tenenkou cercle") == "Tenenkou"
    assert place_name("Boulkessi town") == "Boulkessi" and place_name("Mopti region") == "Mopti"
    e = map_ucdp_row(ged(where_coordinates="", adm_2="Djenne cercle"))
    assert e.location == "Djenne"


def test_rows_from_a_csv_file_with_header_detection():
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=UCDP_COLUMNS)
    w.writeheader()
    w.writerow(ged())
    w.writerow(ged(id="900002", type_of_violence="3", side_b="Civilians", best="2"))
    buf.seek(0)
    reader = csv.DictReader(buf)
    assert is_ucdp_header(reader.fieldnames)
    assert not is_ucdp_header(["event_id_cnty", "event_date", "actor1"])
    events = [map_ucdp_row(r) for r in reader]
    assert [e.event_id_cnty for e in events] == ["UCDP-900001", "UCDP-900002"]
    assert all(e.problems() == [] for e in events)
