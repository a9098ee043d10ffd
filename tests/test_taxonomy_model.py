import datetime as dt

import pytest

from sahelwatch import taxonomy
from sahelwatch.model import ACLED_COLUMNS, Event


def test_six_types_and_twenty_five_subtypes_with_exact_names():
    assert taxonomy.event_types() == (
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    )
    subs = taxonomy.sub_event_types()
    assert len(subs) == 25 and len(set(subs)) == 25
    assert "Remote explosive/landmine/IED" in subs and "Abduction/forced disappearance" in subs
    assert taxonomy.sub_event_parent()["Disrupted weapons use"] == "Strategic developments"


@pytest.mark.parametrize(
    "i1,i2,expected", [(1, 2, 12), (2, 1, 12), (8, 2, 28), (1, 0, 10), (0, 7, 70), (3, 3, 33)]
)
def test_interaction_is_the_two_codes_smaller_first(i1, i2, expected):
    assert taxonomy.interaction(i1, i2) == expected


def test_interaction_refuses_codes_outside_range():
    with pytest.raises(ValueError, match="0-8"):
        taxonomy.interaction(9, 1)


def test_disorder_types_follow_subtype():
    assert (
        taxonomy.disorder_type("Protests", "Excessive force against protesters")
        == "Political violence; Demonstrations"
    )
    assert taxonomy.disorder_type("Riots", "Violent demonstration") == "Demonstrations"
    assert taxonomy.disorder_type("Battles", "Armed clash") == "Political violence"


def test_legacy_types_map_without_inventing_subtypes():
    assert taxonomy.legacy_event_type("Battle-No change of territory") == ("Battles", "Armed clash")
    assert taxonomy.legacy_event_type("Remote violence") == ("Explosions/Remote violence", None)
    assert taxonomy.legacy_event_type("Riots/Protests", 5, 1) == ("Riots", None)
    assert taxonomy.legacy_event_type("Riots/Protests", 6, 0) == ("Protests", None)


def _event(**kw):
    base = dict(
        event_id_cnty="MLI1",
        event_date=dt.date(2019, 1, 5),
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="A",
        country="Mali",
        inter1=1,
        inter2=2,
    )
    base.update(kw)
    return Event(**base)


def test_event_derives_year_interaction_disorder():
    ev = _event()
    assert (ev.year, ev.interaction, ev.disorder_type) == (2019, 12, "Political violence")
    assert list(ev.acled_row()) == list(ACLED_COLUMNS)


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"sub_event_type": "Attack"}, "sub_event_type"),
        ({"event_type": "Skirmish", "sub_event_type": None}, "event_type"),
        ({"latitude": 95.0, "longitude": 1.0}, "latitude"),
        ({"latitude": 10.0, "longitude": None}, "longitude"),
        ({"geo_precision": 4}, "geo_precision"),
        ({"time_precision": 0}, "time_precision"),
        ({"event_id_cnty": ""}, "event_id_cnty"),
        ({"fatalities": -1}, "fatalities"),
    ],
)
def test_validation_names_the_field(kw, field):
    ev = (
        _event(**kw)
        if "event_type" not in kw
        else Event(event_id_cnty="X", event_date=dt.date(2019, 1, 1), actor1="A", country="Mali", **kw)
    )
    assert field in [f for f, _ in ev.problems()]


def test_valid_event_has_no_problems():
    assert _event(latitude=14.1, longitude=-3.2, geo_precision=1).problems() == []
