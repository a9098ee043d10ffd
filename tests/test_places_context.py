"""Places with document context (extract.places.place_in_context, one sense per name, written names), on
sentences and short reports written for these tests; the shipped gazetteer."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.extract.places import place_in_context, resolve_places
from sahelwatch.model import Document


def mentions(text, focus="Mali"):
    return resolve_places(text, country_focus=focus)


def first(ms, kind):
    return next(m for m in ms if m.kind == kind)


# ---------------------------------------------------------------------------------------------- names


def test_location_is_written_as_the_report_spells_it():
    m = mentions("Armed men abducted two teachers in Arbinda on Friday.", "Burkina Faso")[0]
    assert m.location == "Arbinda" and m.place.name != "Arbinda"  # the gazetteer's transliteration
    assert m.admin1 == "Sahel" and m.latitude is not None
    # standard names stay for admin1 seats (a French exonym) and all-capitals datelines
    assert mentions("Des tirs ont visé le camp de Tombouctou.")[0].location == "Timbuktu"
    assert mentions("BAMAKO, 3 May - Protesters gathered in Bamako.")[0].location == "Bamako"


def test_one_place_per_name_in_a_document():
    # the second "Diabaly" opens a sentence with no cue: recognised because the document names it as a place
    ms = mentions(
        "Troops retook the town of Diabaly. Diabaly, which is in central Mali, had fallen on Monday."
    )
    got = [m for m in ms if m.location == "Diabaly"]
    assert len(got) == 2 and got[1].start_char > got[0].start_char
    assert {m.place.geonameid for m in got} == {got[0].place.geonameid}


def test_a_facility_of_a_town_is_in_the_town():
    ms = mentions("Le poste de Boni, entre Douentza et Hombori dans la région de Mopti, a été attaqué.")
    boni = next(m for m in ms if m.location == "Boni")
    assert boni.relation == "in" and boni.geo_precision == 1


# ---------------------------------------------------------------------------------------------- narrowing


def test_the_capital_the_report_names():
    text = "Militants killed five people in an attack on a restaurant in Mali's capital on Saturday."
    ms = mentions(text)
    place, rule = place_in_context(
        first(ms, "country"), ms, ms, text=text, span=(0, len(text)), country="Mali"
    )
    assert place.location == "Bamako" and place.geo_precision == 1 and "capital" in rule


def test_a_town_of_the_event_sentence_inside_the_named_area():
    text = "Jihadists attacked the army camps of Diabaly and Niono, in central Mali, on Monday."
    ms = mentions(text)
    region = first(ms, "region")
    place, rule = place_in_context(
        region, ms, ms, anchor=text.index("attacked"), text=text, span=(0, len(text)), country="Mali"
    )
    assert place.location == "Diabaly" and rule.startswith("a town of the event")


def test_the_document_town_inside_the_area_and_its_admin_unit():
    text = (
        "In a video, the group took credit for the attack in the Kayes region on Sunday. "
        "Officials said the convoy was on the road from Kayes to Bamako when it was hit."
    )
    ms = mentions(text)
    event = [m for m in ms if m.start_char < text.index(".")]
    area = first(event, "admin")
    assert area.location == "Kayes" and area.geo_precision == 3
    # the admin1 region named: its town of the same name, named elsewhere in the document, is more precise
    place, rule = place_in_context(
        area, event, ms, anchor=text.index("attack"), text=text, span=(0, text.index(".") + 1), country="Mali"
    )
    assert (place.location, place.kind, place.geo_precision) == ("Kayes", "place", 1)
    assert rule.startswith("the document's town")


def test_a_town_outside_the_named_region_is_never_taken():
    text = (
        "Gunmen killed three villagers in the Mopti region on Sunday. "
        "The governor spoke from Segou, where displaced families arrived in Segou and in Niono."
    )
    ms = mentions(text)
    event = [m for m in ms if m.start_char < text.index(".")]
    area = first(event, "admin")
    place, rule = place_in_context(area, event, ms, text=text, span=(0, text.index(".") + 1), country="Mali")
    assert place is area and rule is None  # Segou and Niono are not in Mopti: the region stays


def test_ambiguous_towns_leave_the_area():
    text = (
        "Gunmen killed three villagers in northern Mali on Sunday. "
        "Residents of Gao and of Kidal said markets closed."
    )
    ms = mentions(text)
    event = [m for m in ms if m.start_char < text.index(".")]
    area = first(event, "region")
    place, rule = place_in_context(area, event, ms, text=text, span=(0, text.index(".") + 1), country="Mali")
    assert place is area and rule is None and place.geo_precision == 3
    # the same document naming one of them where something happens: that one stands out
    text2 = text + " Fighting was reported in Gao on Monday."
    ms2 = mentions(text2)
    place2, rule2 = place_in_context(
        area, event, ms2, text=text2, span=(0, text.index(".") + 1), country="Mali"
    )
    assert place2.location == "Gao" and rule2 is not None


def test_a_precise_place_stands():
    text = "Gunmen attacked Boni, in the Mopti region, on Sunday."
    ms = mentions(text)
    boni = next(m for m in ms if m.location == "Boni")
    assert place_in_context(boni, ms, ms, text=text, span=(0, len(text)), country="Mali") == (boni, None)


# ---------------------------------------------------------------------------------------------- in the pipeline


@pytest.fixture(scope="module")
def pipeline():
    from sahelwatch.extract.pipeline import Pipeline

    return Pipeline.load()


def test_pipeline_codes_the_document_town_for_an_event_told_in_a_region(pipeline):
    text = (
        "Army post attacked in central Mali.\n\n"
        "Jihadists attacked an army post in the Mopti region on Sunday, 3 March 2019, killing four soldiers, "
        "the army said. "
        "Schools stayed shut. Traders left the market. "
        "Residents of Boni said the road was closed. "
        "The army sent reinforcements. Officials promised an inquiry."
    )
    doc = Document(id="t1", text=text, published=dt.date(2019, 3, 5), language="en")
    e = pipeline.extract(doc).events[0]
    assert (e.location, e.admin1, e.geo_precision) == ("Boni", "Mopti", 1)
    assert e.extra.get("location_rule", "").startswith("the document's town")
    assert "location_from_context" in (e.tags or "")


# ---------------------------------------------------------------------------------------------- names the gazetteer lacks


def test_a_cued_village_missing_from_the_gazetteer_is_placed_by_its_sentence():
    ms = mentions("Des militaires ont tué cinq civils à Zorkatafane, région de Tombouctou.")
    v = next(m for m in ms if m.text == "Zorkatafane")
    assert (v.kind, v.location, v.admin1, v.geo_precision) == ("unknown", "Zorkatafane", "Tombouctou", 3)
    assert v.latitude is not None
    ms = mentions(
        '"Around 6 p.m. Monday, the Zelbendja bridge near Ansongo was damaged by an explosion," he said.'
    )
    v = next(m for m in ms if m.text == "Zelbendja")
    ansongo = next(m for m in ms if m.location == "Ansongo")
    assert (v.kind, v.admin1, v.geo_precision) == ("unknown", "Gao", 2)
    assert ansongo.relation == "ref"  # it locates Zelbendja: not the event's place
    # no known place in its sentence: not guessed
    assert not [
        m
        for m in mentions("L'attaque du camp militaire de Zorkatafane a fait dix morts.")
        if m.kind == "unknown"
    ]


def test_compass_words_and_foreign_capitals_are_not_sahel_places():
    ms = mentions(
        "Des hommes armés ont attaqué un détachement à Nassoumbou, situé à 45 km au Nord de Djibo.",
        "Burkina Faso",
    )
    assert [m.location for m in ms] == ["Nassoumbou", "Djibo"]  # not the Nord region
    paris = mentions("A spokesman for the French military in Paris said the strikes hit two bridges.")
    assert [(m.location, m.kind, m.out_of_region) for m in paris] == [("France", "country", True)]


def test_a_dateline_is_not_the_event_place():
    from sahelwatch.extract.places import is_dateline

    text = "(Bamako) – An ethnic militia in Mali massacred 35 villagers on Friday, Human Rights Watch said."
    ms = mentions(text)
    bamako = next(m for m in ms if m.location == "Bamako")
    assert is_dateline(text, bamako)
    mali = next(m for m in ms if m.kind == "country" and m.start_char > 10)
    place, rule = place_in_context(mali, ms, ms, text=text, span=(0, len(text)), country="Mali")
    assert place is mali and rule is None
    assert not is_dateline(
        "Gunmen attacked Bamako - the capital - on Friday.",
        mentions("Gunmen attacked Bamako - the capital - on Friday.")[0],
    )
