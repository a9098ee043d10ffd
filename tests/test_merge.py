"""store/merge.py: reports of the same event merge into one event (sources grow, the most conservative toll,
history kept, undoable); different events stay apart."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.errors import InputError
from sahelwatch.model import Event, Provenance
from sahelwatch.store.merge import match_score, merge_events, merges, undo_merge


def ev(
    eid,
    day="2019-03-24",
    *,
    etype="Violence against civilians",
    sub="Attack",
    a1="Unidentified Armed Group (Mali)",
    a2="Civilians (Mali)",
    loc="Ogossogou",
    lat=14.19,
    lon=-3.58,
    prec=1,
    fat=12,
    admin2="Bankass",
    src="Wire A",
    doc=None,
    i2=7,
):
    return Event(
        event_id_cnty=eid,
        event_date=dt.date.fromisoformat(day),
        event_type=etype,
        sub_event_type=sub,
        actor1=a1,
        actor2=a2,
        inter1=3 if "Unidentified" in a1 else 2,
        inter2=i2,
        country="Mali",
        admin1="Mopti",
        admin2=admin2,
        location=loc,
        latitude=lat,
        longitude=lon,
        geo_precision=prec,
        fatalities=fat,
        source=src,
        provenance=Provenance(
            dataset="extract", document_id=doc or f"doc-{eid}", method="rule", confidence=0.8
        ),
    )


def _write(store, events):
    with store.engine.begin() as conn:
        return merge_events(conn, events)


def test_a_second_report_merges_sources_grow_toll_is_the_lowest_and_history_is_kept(store):
    r1 = _write(store, [ev("SW1", fat=12, src="Wire A")])
    assert (r1.inserted, r1.merged) == (1, 0)
    r2 = _write(
        store,
        [
            ev(
                "SW2",
                day="2019-03-25",
                loc="Ogossagou",
                lat=14.20,
                lon=-3.57,
                fat=15,
                src="Radio B",
                a1="JNIM: Group for Support of Islam and Muslims",
            )
        ],
    )
    assert (r2.inserted, r2.merged) == (0, 1)
    df = store.events()
    assert len(df) == 1
    e = df.iloc[0]
    assert e["event_id_cnty"] == "SW1"
    assert e["fatalities"] == 12
    assert (
        e["actor1"] == "JNIM: Group for Support of Islam and Muslims"
    )  # a named perpetrator replaces "Unidentified"
    assert e["source"] == "Wire A; Radio B"
    assert {s["document_id"] for s in e["sources"]} == {"doc-SW1", "doc-SW2"}
    assert len(store.history("SW1")) == 1
    # idempotent: the same report again changes nothing
    r3 = _write(store, [ev("SW2", day="2019-03-25", fat=15, src="Radio B")])
    assert (r3.inserted, r3.merged, r3.already_merged) == (0, 0, 1)
    assert len(store.events()) == 1


def test_a_report_without_a_toll_does_not_lower_it(store):
    _write(store, [ev("SW1", fat=0)])
    _write(store, [ev("SW2", fat=7)])
    assert store.events().iloc[0]["fatalities"] == 7


def test_undo_restores_both_events(store):
    _write(store, [ev("SW1", fat=12)])
    _write(store, [ev("SW2", fat=5, src="Radio B")])
    _write(store, [ev("SW3", fat=20, src="Paper C")])
    m = merges(store, "SW1")
    assert list(m["absorbed_id"]) == ["SW2", "SW3"]
    assert store.events().iloc[0]["fatalities"] == 5
    undo_merge(store, int(m.iloc[0]["merge_id"]))  # SW2 was wrong
    df = store.events().set_index("event_id_cnty")
    assert set(df.index) == {"SW1", "SW2"}
    assert df.loc["SW1", "fatalities"] == 12  # rebuilt from its own report and SW3's
    assert df.loc["SW1", "source"] == "Wire A; Paper C"
    assert df.loc["SW2", "fatalities"] == 5
    with pytest.raises(InputError, match="already undone"):
        undo_merge(store, int(m.iloc[0]["merge_id"]))
    with pytest.raises(InputError, match="no such merge"):
        undo_merge(store, 999)


@pytest.mark.parametrize(
    "other, why",
    [
        (dict(day="2019-03-27"), "three days later"),
        (dict(loc="Mopti", lat=14.49, lon=-4.18), "45 km away"),
        (
            dict(etype="Protests", sub="Peaceful protest", a1="Protesters (Mali)", a2=None, i2=0),
            "another type",
        ),
        (
            dict(
                a1="Dozo Communal Militia (Mali)",
                a2="Fulani Ethnic Militia (Mali)",
                etype="Battles",
                sub="Armed clash",
                i2=4,
            ),
            "other actors",
        ),
    ],
)
def test_different_events_do_not_merge(store, other, why):
    _write(store, [ev("SW1", a1="JNIM: Group for Support of Islam and Muslims")])
    r = _write(store, [ev("SW2", **{"a1": "JNIM: Group for Support of Islam and Muslims", **other})])
    assert r.merged == 0, why
    assert len(store.events()) == 2


def test_scores():
    def rec(**k):
        return {
            "country": "Mali",
            "event_date": dt.date(2019, 3, 24),
            "event_type": "Battles",
            "actor1": "Military Forces of Mali (2013-2020)",
            "actor2": "JNIM",
            "location": "Boni",
            "latitude": 15.07,
            "longitude": -2.22,
            "geo_precision": 1,
            "time_precision": 1,
            **k,
        }

    assert match_score(rec(), rec()) == 1.0
    assert match_score(rec(), rec(actor1="Military Forces of Mali (2020-2021)")) == 1.0  # periods ignored
    assert (
        match_score(rec(), rec(actor1="JNIM", actor2="Military Forces of Mali (2013-2020)")) == 1.0
    )  # order
    assert match_score(rec(), rec(event_date=dt.date(2019, 3, 25))) == 0.7
    assert match_score(rec(), rec(event_type="Explosions/Remote violence")) == 0.7
    assert match_score(rec(), rec(country="Niger")) == 0.0
    assert match_score(rec(), rec(event_date=dt.date(2019, 3, 26), time_precision=2)) == 0.5


def test_acled_rows_never_absorb_reports(store):
    e = ev("MLI1")
    e.provenance.dataset = "acled"
    with store.engine.begin() as conn:
        merge_events(conn, [e], dataset="acled")
    r = _write(store, [ev("SW2")])
    assert (r.inserted, r.merged) == (1, 0)


def test_same_document_events_stay_apart_and_unnamed_jihadists_match_a_named_group(store):
    _write(store, [ev("SW1", doc="d1"), ev("SW2", day="2019-03-25", doc="d1")])  # one report, two events
    assert len(store.events()) == 2
    r = _write(store, [ev("SW3", day="2019-03-25", a1="Islamist Militia (Mali)", doc="d2")])
    assert r.merged == 1 and r.merges[0][1] == "SW2"  # the same day wins over the adjacent one


def test_a_report_without_any_place_neither_helps_nor_blocks(store):
    _write(store, [ev("SW1", a1="JNIM: Group for Support of Islam and Muslims")])
    e = ev(
        "SW2",
        a1="JNIM: Group for Support of Islam and Muslims",
        loc=None,
        lat=None,
        lon=None,
        prec=None,
        admin2=None,
    )
    e.admin1 = None
    r = _write(store, [e])
    assert r.merged == 1
