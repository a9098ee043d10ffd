"""Store behaviour: filters, geo frames, documents and claims, migrations, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

import sahelwatch
from sahelwatch.errors import InputError
from sahelwatch.ingest.acled import import_acled
from sahelwatch.model import Claim, Document, Provenance

from acled_samples import ISGS, JNIM, sample_rows, write_csv


@pytest.fixture
def loaded(store, tmp_path):
    import_acled(store, write_csv(tmp_path / "a.csv", sample_rows()))
    return store


def ids(df):
    return sorted(df["event_id_cnty"])


def test_filters(loaded):
    s = loaded
    assert ids(s.events(since="2019-04-01", until="2019-05-31")) == ["MLI9003", "MLI9004"]
    assert ids(s.events(countries=["Burkina Faso"])) == ["BFO9001"]
    assert ids(s.events(admin1=["Menaka"])) == ["MLI9002"]
    assert ids(s.events(admin2=["Douentza"])) == ["MLI9001", "MLI9003"]
    assert ids(s.events(event_types=["Battles"])) == ["BFO9001", "MLI9001"]
    assert ids(s.events(event_types=["Peaceful protest"])) == ["MLI9004"]
    assert ids(s.events(sub_event_types=["Remote explosive/landmine/IED"])) == ["MLI9003"]
    assert ids(s.events(min_fatalities=6)) == ["BFO9001", "MLI9002"]
    assert ids(s.events(bbox=(-4.0, 13.5, -2.5, 14.5))) == ["MLI9001", "MLI9003"]
    assert ids(s.events(actors=[JNIM])) == ["MLI9001", "MLI9003"]
    assert ids(s.events(actors=["Students"])) == ["MLI9004"]  # associated actors too
    assert s.count(countries=["Mali"]) == 4


def test_actor_alias_resolves_through_registry(loaded):
    assert ids(loaded.events(actors=["JNIM"])) == ["MLI9001", "MLI9003"]
    # one group across renamings: ISGS / EIGS finds ACLED's "(West Africa) - Greater Sahara Faction" name
    assert ids(loaded.events(actors=["EIGS"])) == ["BFO9001", "MLI9002"]
    # state forces across periods: FAMa finds "Military Forces of Mali (2013-2020)"
    assert ids(loaded.events(actors=["FAMa"])) == ["MLI9001", "MLI9003"]


def test_bad_filters_say_what_is_wrong(loaded):
    with pytest.raises(InputError, match="unknown event or sub-event type 'Skirmish'"):
        loaded.events(event_types=["Skirmish"])
    with pytest.raises(InputError, match="since: .last week. is not a date"):
        loaded.events(since="last week")
    with pytest.raises(InputError, match="bbox"):
        loaded.events(bbox=(10, 10, 0, 0))


def test_types_of_the_frame(loaded):
    df = loaded.events()
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert df["fatalities"].dtype == "int64"
    assert df["latitude"].dtype == "float64"
    assert str(df["inter1"].dtype) == "Int64"


def test_geo_frame(loaded):
    gdf = loaded.events(geo=True)
    assert gdf.crs.to_epsg() == 4326
    p = gdf.set_index("event_id_cnty").loc["MLI9002", "geometry"]
    assert (round(p.x, 2), round(p.y, 2)) == (0.17, 15.93)


def test_documents_and_claims(store):
    doc = Document(
        id="doc1",
        text="Some report.",
        title="T",
        published=dt.date(2020, 4, 3),
        language="en",
        bylines=["A Writer"],
    )
    assert store.add_documents([doc, doc]) == 1
    claim = Claim(
        claim_id="c1",
        kind="force_strength",
        subject=JNIM,
        value=2000,
        value_text="as many as 2,000",
        qualifier="at most",
        stated_by="a US report",
        text="JNIM has as many as 2,000 fighters.",
        date=dt.date(2020, 4, 3),
        provenance=Provenance(document_id="doc1", char_start=0, char_end=36, method="rule", confidence=0.8),
    )
    rival = Claim(claim_id="c2", kind="rivalry", subject=JNIM, object=ISGS, text="They are rivals.")
    assert store.add_claims([claim, rival, claim]) == 2
    cl = store.claims(kind="force_strength")
    assert cl.iloc[0]["value"] == 2000 and cl.iloc[0]["document_id"] == "doc1"
    assert len(store.claims(subject="JNIM")) == 2
    assert store.documents().iloc[0]["title"] == "T"


def test_schema_is_migrated_and_indexed(store):
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sahelwatch.store").joinpath("migrations")))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"the migrations must form one chain, heads: {heads}"
    assert store.schema_revision() == heads[0]
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("events")}
    assert {
        "ix_events_date",
        "ix_events_country_date",
        "ix_events_admin",
        "ix_events_actor1",
        "ix_events_latlon",
        "ix_events_type",
    } <= names
    sahelwatch.open(store.url if store.dialect != "sqlite" else store.engine.url.database)  # re-open: no-op


@pytest.mark.postgres
def test_postgis_geometry_when_available(store, tmp_path):
    if store.dialect != "postgresql":
        pytest.skip("PostGIS is a PostgreSQL feature")
    from sqlalchemy import text

    with store.engine.connect() as conn:
        has = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname='postgis'")).first()
    if not has:
        pytest.skip("this PostgreSQL server has no PostGIS extension")
    import_acled(store, write_csv(tmp_path / "a.csv", sample_rows()))
    with store.engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM events WHERE ST_Intersects(geom, "
                "ST_MakeEnvelope(-4, 13.5, -2.5, 14.5, 4326))"
            )
        ).scalar()
    assert n == 2
