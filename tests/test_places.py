"""Toponym resolution on sentences written for these tests (not ACLED notes), with a tiny gazetteer
built in the test for the disambiguation rules and the shipped gazetteer for end-to-end checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.extract.places import PlaceResolver, event_location, resolve_places, split_glued
from sahelwatch.gazetteer import AdminUnit, Country, Gazetteer, haversine_km
from sahelwatch.model import Place

SHIPPED = Path(__file__).resolve().parents[1] / "src/sahelwatch/data/gazetteer/places.tsv.gz"
needs_shipped = pytest.mark.skipif(not SHIPPED.exists(), reason="shipped gazetteer not built")


@pytest.fixture(scope="module")
def tiny() -> PlaceResolver:
    P = Place
    places = [
        P("Kona", 14.95, -3.89, "ML", 1, "P", "PPL", "Mopti", "Mopti", None, 0),
        P("Kona", 13.20, -6.10, "ML", 2, "P", "PPL", "Segou", "Macina", None, 0),
        P("Mopti", 14.4843, -4.18296, "ML", 3, "P", "PPLA", "Mopti", "Mopti", None, 108456),
        P("Ségou", 13.4317, -6.2157, "ML", 4, "P", "PPLA", "Segou", "Segou", None, 92552, ["Segou"]),
        P("Macina", 13.96, -5.36, "ML", 5, "P", "PPLA2", "Segou", "Macina", None, 20000),
        P("Police", 13.0, -5.0, "ML", 6, "P", "PPL", "Segou", "Segou", None, 0),
        P("Gossi", 15.80, -1.32, "ML", 7, "P", "PPL", "Tombouctou", "Gourma-Rharous", None, 0),
        P("Hombori", 15.28, -1.70, "ML", 8, "P", "PPL", "Mopti", "Douentza", None, 0),
        P("Douentza", 15.0015, -2.9497, "ML", 9, "P", "PPLA2", "Mopti", "Douentza", None, 15000),
        P("Boulikessi", 15.26, -1.62, "ML", 10, "P", "PPL", "Mopti", "Douentza", None, 0),
        P("Gourma Rharous", 16.88, -1.92, "ML", 11, "P", "PPLA2", "Tombouctou", "Gourma-Rharous", None, 0),
        P(
            "Tombouctou",
            16.77,
            -3.0,
            "ML",
            12,
            "P",
            "PPLA",
            "Tombouctou",
            "Tombouctou",
            None,
            32000,
            ["Timbuktu"],
        ),
        P("Bamako", 12.65, -8.0, "ML", 13, "P", "PPLC", "Bamako", "Bamako", None, 1297281),
    ]
    U = AdminUnit
    admins = [
        U("ML", 1, "Mopti", None, None, None, 14.4843, -4.18296, 3, None, None, ["04"]),
        U("ML", 1, "Segou", None, None, None, 13.4317, -6.2157, 4, None, None, ["05"]),
        U("ML", 1, "Tombouctou", None, None, None, 16.77, -3.0, 12, None, None, ["08"]),
        U("ML", 2, "Douentza", "Mopti", None, None, 15.0015, -2.9497, 9, None, None),
        U("ML", 2, "Mopti", "Mopti", None, None, 14.4843, -4.18296, 3, None, None),
        U("ML", 2, "Macina", "Segou", None, None, 13.96, -5.36, 5, None, None),
        U("ML", 2, "Segou", "Segou", None, None, 13.4317, -6.2157, 4, None, None),
        U("ML", 2, "Gourma-Rharous", "Tombouctou", None, None, 16.88, -1.92, 11, None, None),
    ]
    countries = [
        Country("Mali", "ML", "MLI", 466, "Western Africa", "Bamako", 12.65, -8.0, [], True),
        Country("Niger", "NE", "NER", 562, "Western Africa", "Niamey", 13.51, 2.11, [], True),
        Country("Syria", "SY", "SYR", 760, "Middle East", "Damascus", 33.5, 36.3, [], False),
    ]
    gz = Gazetteer(
        places,
        admins,
        countries,
        ["04", "05", "04", "05", "05", "05", "08", "04", "04", "04", "08", "08", "01"],
    )
    return PlaceResolver(gz)


def _one(ms, text):
    got = [m for m in ms if m.text == text]
    assert got, f"{text!r} not among {[m.text for m in ms]}"
    return got[0]


# ----------------------------------------------------------------------------- tiny gazetteer


def test_parenthesised_admin_names_pick_the_homonym(tiny):
    ms = tiny.resolve("On 2 March, gunmen attacked the village of Kona (Macina, Segou).")
    k = _one(ms, "Kona")
    assert (k.place.geonameid, k.geo_precision, k.relation) == (2, 1, "in")
    # the admin names in parentheses are context, not mentions
    assert [m.text for m in ms] == ["Kona"]
    ms = tiny.resolve("Soldiers were ambushed near Kona (Mopti, Mopti).")
    k = _one(ms, "Kona")
    assert (k.place.geonameid, k.geo_precision, k.relation) == (1, 2, "near")


def test_comma_context_and_document_context(tiny):
    assert _one(tiny.resolve("Clashes in Kona, Segou on Monday."), "Kona").place.geonameid == 2
    # another place of the document anchors the homonym
    ms = tiny.resolve("Militants left Mopti and attacked Kona the next day.")
    assert _one(ms, "Kona").place.geonameid == 1


def test_unknown_name_with_admin_context_falls_back(tiny):
    ms = tiny.resolve("An IED hit a truck near Boulkessi (Douentza, Mopti).", country_focus="Mali")
    m = _one(ms, "Boulkessi")
    assert m.place is not None and m.place.geonameid == 10  # spelling variant in that cercle
    ms = tiny.resolve("Herders were killed in Zzyzxville (Douentza, Mopti).", country_focus="Mali")
    m = _one(ms, "Zzyzxville")
    assert (m.kind, m.geo_precision, m.admin2) == ("unknown", 2, "Douentza")
    assert (m.latitude, m.longitude) == pytest.approx((15.0015, -2.9497))


def test_between_codes_the_first_place(tiny):
    ms = tiny.resolve("Armed men ambushed a convoy between Gossi and Hombori.")
    first, second = _one(ms, "Gossi"), _one(ms, "Hombori")
    assert (first.relation, first.geo_precision) == ("between", 2)
    assert second.relation == "between-second"
    assert event_location(ms).text == "Gossi"


def test_common_words_and_person_names_are_not_places(tiny):
    assert tiny.resolve("Police said the attackers fled.") == []
    assert tiny.resolve("Katiba Macina claimed the attack.") == []
    ms = tiny.resolve("Militants attacked the police station in Macina.")
    assert [m.text for m in ms] == ["Macina"]


def test_hyphenated_compound_is_not_its_first_half(tiny):
    ms = tiny.resolve("Fighting in Gourma-Rharous and in Kona-Sokoura.")
    assert [m.text for m in ms] == ["Gourma-Rharous"]
    assert ms[0].place.geonameid == 11
    # a quarter or twin village ("-Peulh", "-Coura") is coded at the place itself
    ms = tiny.resolve("Fighting in Kona-Peulh (Macina, Segou).")
    assert [(m.text, m.place.geonameid) for m in ms] == [("Kona-Peulh", 2)]


def test_axis_is_a_between_pair(tiny):
    ms = tiny.resolve("A landmine exploded on the Gossi-Hombori axis.")
    assert [(m.text, m.relation, m.geo_precision) for m in ms] == [
        ("Gossi", "between", 2),
        ("Hombori", "between-second", 2),
    ]


def test_units_regions_and_countries(tiny):
    m = _one(tiny.resolve("Violence spread in the Mopti region."), "Mopti region")
    assert (m.kind, m.geo_precision, m.admin1) == ("admin", 3, "Mopti")
    ms = tiny.resolve("Attacks rose in northern Mali, in the tri-border area and across the Sahel.")
    kinds = {m.text: (m.kind, m.geo_precision) for m in ms}
    assert kinds["northern Mali"] == ("region", 3)
    assert kinds["the tri-border area"] == ("region", 3)
    assert kinds["the Sahel"] == ("region", 3)
    m = _one(tiny.resolve("Protests in Mali."), "Mali")
    assert (m.kind, m.geo_precision, m.latitude, m.longitude) == ("country", 3, 12.65, -8.0)
    m = _one(tiny.resolve("The raid in Syria killed him."), "Syria")
    assert m.out_of_region


def test_split_glued(tiny):
    assert split_glued("MaliNiger", tiny) == ["Mali", "Niger"]
    assert split_glued("McDonald", tiny) == []
    ms = tiny.resolve("Jihadists operate across MaliNiger borders.")
    assert [(m.text, m.kind) for m in ms] == [("Mali", "country"), ("Niger", "country")]
    assert ms[1].start_char == ms[0].end_char


# ----------------------------------------------------------------------------- shipped gazetteer


@needs_shipped
def test_shipped_end_to_end():
    text = (
        "JNIM fighters attacked soldiers near Djibo, in northern Burkina Faso, after meetings near the "
        "tri-border area (Liptako-Gourma). Convoys to Ouagadougou were halted; Bamako and Niamey "
        "reinforced patrols across West Africa."
    )
    ms = resolve_places(text)
    by = {m.text: m for m in ms}
    assert by["Djibo"].geo_precision == 2 and by["Djibo"].admin1 == "Sahel"
    assert haversine_km(by["Djibo"].latitude, by["Djibo"].longitude, 14.10, -1.63) < 5
    for t in ("Ouagadougou", "Bamako", "Niamey"):
        assert by[t].geo_precision == 1 and by[t].place.feature_code == "PPLC"
    assert by["northern Burkina Faso"].kind == "region"
    assert by["Liptako-Gourma"].kind == "region" and by["West Africa"].geo_precision == 3
    assert split_glued("MaliNiger") == ["Mali", "Niger"]


@needs_shipped
def test_shipped_quarters_and_areas_of_a_town_are_coded_at_the_town():
    def loc(text):
        m = event_location(resolve_places(text, "Mali"), country_focus="Mali")
        return m.name, m.geo_precision

    # a quarter is inside its town, known to the gazetteer or not; an area only when it lies next to it
    assert loc("Gunmen shot two traders in the Koyaratao quarter of Timbuktu.") == ("Timbuktu", 1)
    assert loc("Gunmen robbed shops in the Hamdallaye neighbourhood of Bamako.") == ("Bamako", 1)
    assert loc("Three people were wounded at a market in the Ntoubana area of Kati.") == ("Kati", 1)
    # the area of a region, or of a town far from the place so named, is not the town
    assert loc("Dozos attacked herders in the Tougou area of Segou.")[0] == "Tougou"
    assert loc("Soldiers came under fire in the Boni area of Douentza.")[0] == "Boni"


@needs_shipped
def test_shipped_french_and_spacy_component():
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("sahelwatch_places", config={"country_focus": "Mali"})
    doc = nlp("Des hommes armés ont attaqué le poste de Boni, près de Douentza, au centre du Mali.")
    texts = [m.text for m in doc._.places]
    assert "Boni" in texts and "Douentza" in texts
    boni = [m for m in doc._.places if m.text == "Boni"][0]
    assert boni.admin1 == "Mopti" and boni.geo_precision == 1
    assert [s.text for s in doc.spans["places"]] == texts


def test_group_names_hint_the_region(tiny):
    # Dan Na Ambassagou operates in Mopti (regions.yaml `context`): the Mopti homonym is preferred
    ms = tiny.resolve("Dan Na Ambassagou militiamen attacked the village of Kona.")
    assert _one(ms, "Kona").place.geonameid == 1
    ms = tiny.resolve("Fishermen of the village of Kona, Segou, protested.")
    assert _one(ms, "Kona").place.geonameid == 2


# ----------------------------------------------------------------------------- context rules (improvement round)


@pytest.fixture(scope="module")
def tiny2(tiny) -> PlaceResolver:
    """The tiny gazetteer plus foreign hamlets and a town named like an acronym."""
    P = Place
    extra = [
        P("Tessa", 14.2, 1.1, "NE", 101, "P", "PPL", None, None, None, 0),
        P("Fama", 12.0, -6.0, "ML", 102, "P", "PPL", "Segou", "Segou", None, 0),
    ]
    gz0 = tiny.gz
    admins = list(gz0.admins) + [
        AdminUnit("BF", 3, "Arbinda", "Sahel", "Soum", None, 14.23, -0.87, None, None, None)
    ]
    countries = list(gz0.countries) + [
        Country("Burkina Faso", "BF", "BFA", 854, "Western Africa", "Ouagadougou", 12.37, -1.53, [], True)
    ]
    gz = Gazetteer(
        list(gz0.places) + extra,
        admins,
        countries,
        ["04", "05", "04", "05", "05", "05", "08", "04", "04", "04", "08", "08", "01", "00", "05"],
    )
    return PlaceResolver(gz)


def test_small_foreign_homonym_is_refused_under_a_country_focus(tiny2):
    assert [m.text for m in tiny2.resolve("Gunmen burned the village of Tessa.", country_focus="Mali")] == []
    m = _one(tiny2.resolve("Gunmen burned the village of Tessa.", country_focus="Niger"), "Tessa")
    assert m.country_code == "NE"
    # the document names that country: the foreign village is allowed
    m = _one(tiny2.resolve("Gunmen burned the village of Tessa in Niger.", country_focus="Mali"), "Tessa")
    assert m.country_code == "NE"
    # a neighbour named as a border does not count, and is marked as such
    ms = tiny2.resolve("Gunmen burned the village of Tessa near the Niger border.", country_focus="Mali")
    assert [m.text for m in ms] == ["Niger"] and ms[0].relation == "border"


def test_acronym_after_on_is_not_a_place(tiny2):
    assert tiny2.resolve("Militants claimed an attack on FAMA soldiers.", country_focus="Mali") == []
    assert [m.text for m in tiny2.resolve("Clashes in Fama, Segou.", country_focus="Mali")] == ["Fama"]


def test_near_reference_constrains_the_homonym(tiny):
    # "X, near Y": the Kona close to Macina, not the one 190 km away
    assert _one(tiny.resolve("Gunmen attacked Kona, near Macina."), "Kona").place.geonameid == 2
    assert _one(tiny.resolve("Gunmen attacked Kona, 30 km from Douentza."), "Kona").place.geonameid == 1
    # the only Hombori lies 140 km from Douentza: another village, refused; the reference is the location
    ms = tiny.resolve("Gunmen attacked Hombori, near Douentza.", country_focus="Mali")
    assert [m.text for m in ms] == ["Douentza"] and ms[0].relation == "near"
    # an explicit distance widens the allowance
    ms = tiny.resolve("Gunmen attacked Hombori, 130 km east of Douentza.", country_focus="Mali")
    assert [m.text for m in ms] == ["Hombori", "Douentza"]


def test_area_of_an_admin_unit_and_cercle_after_a_comma(tiny):
    ms = tiny.resolve("A hunter was killed in the Kona area of Segou.", country_focus="Mali")
    m = _one(ms, "Kona")
    assert (m.place.geonameid, m.relation) == (2, "in")  # "in the X area": in, not a passing mention
    m = _one(tiny.resolve("Gunmen attacked the village of Kona, Cercle of Macina, Segou Region."), "Kona")
    assert m.place.geonameid == 2
    assert [x.text for x in tiny.resolve("Gunmen attacked Kona, Cercle of Macina.")] == ["Kona"]


def test_unknown_village_given_with_admin_names_after_a_comma(tiny):
    ms = tiny.resolve("Militants abducted the mayor in Zzyzxville, Douentza.", country_focus="Mali")
    m = _one(ms, "Zzyzxville")
    assert (m.kind, m.admin1, m.admin2, m.geo_precision) == ("unknown", "Mopti", "Douentza", 2)
    # a list is not admin names: "in Zzyzxville, Mopti and Segou"
    ms = tiny.resolve("Protests in Zzyzxville, Mopti and Segou.", country_focus="Mali")
    assert "Zzyzxville" not in [x.text for x in ms]


def test_a_town_loosely_called_a_region_is_the_town(tiny):
    m = _one(tiny.resolve("A post in Hombori Region was attacked.", country_focus="Mali"), "Hombori Region")
    assert (m.kind, m.geo_precision, m.place.geonameid) == ("place", 1, 8)
    m = _one(tiny.resolve("Violence spread in the Mopti region."), "Mopti region")
    assert (m.kind, m.geo_precision) == ("admin", 3)


@needs_shipped
def test_admin1_from_the_groups_named_and_the_capital():
    from sahelwatch.extract.places import capital_mention, context_admin1

    unit, share = context_admin1("Dan Na Ambassagou militiamen burned a hamlet.", "Mali")
    assert unit.name == "Mopti" and unit.level == 1 and 0 < share <= 1
    assert context_admin1("Unknown gunmen killed a trader.", "Mali") is None
    assert context_admin1("Dan Na Ambassagou militiamen burned a hamlet.", None) is None
    cap = capital_mention("Mali")
    assert (cap.admin1, cap.geo_precision, cap.relation) == ("Bamako", 3, "capital")
    m = _one(resolve_places("Churches were attacked in central Mali.", "Mali"), "central Mali")
    assert (m.kind, m.admin1, m.geo_precision) == ("region", "Mopti", 3)
    text = "Dan Na Ambassagou militiamen burned a hamlet near the Burkina Faso border."
    ms = resolve_places(text, "Mali")
    assert [m.relation for m in ms] == ["border"] and event_location(ms, country_focus="Mali") is None
    m = event_location(ms, country_focus="Mali", text=text)
    assert (m.kind, m.admin1, m.geo_precision, m.relation) == ("admin", "Mopti", 3, "context")


@needs_shipped
def test_pipeline_location_fallbacks():
    import datetime as dt

    from sahelwatch.extract.pipeline import Pipeline
    from sahelwatch.model import Document

    pipe = Pipeline.load(country_focus="Mali")

    def one(text):
        r = pipe.extract(
            Document(id="t", text=text, published=dt.date(2018, 6, 30), meta={"country": "Mali"})
        )
        assert r.events, r.messages
        return r.events[0]

    # no place: the region the groups named point to, at its capital, precision 3, flagged
    e = one("On 3 June, Dan Na Ambassagou militiamen killed two Fulani herders.")
    assert (e.admin1, e.geo_precision, e.extra.get("location_rule")) == (
        "Mopti",
        3,
        "admin1 from the groups named",
    )
    assert "location_from_context" in (e.tags or "")
    # a protest with no place: the capital
    e = one("On 3 June, hundreds of people demonstrated against the constitutional reform.")
    if e.event_type == "Protests":
        assert (e.admin1, e.geo_precision) == ("Bamako", 3)
    # the place of a neighbouring sentence; a protest in several cities: the focus country's one
    e = one("On 3 June, gunmen robbed the offices of an NGO in Menaka. Two guards were wounded by gunfire.")
    assert e.admin1 == "Menaka"
    e = one("On 3 June, people protested against the CFA franc in Dakar and in Bamako.")
    assert e.admin1 == "Bamako"
    # a neighbour named as a border is not the event's country
    e = one("On 3 June, Katiba Macina militants attacked a village near the border with Burkina Faso.")
    assert (e.country, e.admin1) == ("Mali", "Mopti")


def test_unknown_village_in_a_commune(tiny2):
    # a commune (admin3) alone after the comma: placed at the commune's seat, its admin1 kept
    m = _one(
        tiny2.resolve("Gunmen killed a herder in Zzyzxville, Arbinda.", country_focus="Burkina Faso"),
        "Zzyzxville",
    )
    assert (m.kind, m.admin1, m.admin2, m.admin3, m.geo_precision) == (
        "unknown",
        "Sahel",
        "Soum",
        "Arbinda",
        2,
    )


def test_the_unit_a_place_is_in_named_after_in(tiny):
    # "Kona in the Segou region", "Kona, dans la région de Ségou": the unit picks the homonym
    assert _one(tiny.resolve("A bomb went off near Kona in the Segou region."), "Kona").place.geonameid == 2
    assert (
        _one(tiny.resolve("Une bombe a explosé à Kona, dans la région de Ségou."), "Kona").place.geonameid
        == 2
    )
    assert _one(tiny.resolve("A bomb went off near Kona in the Mopti region."), "Kona").place.geonameid == 1
    # the only Gossi is in Tombouctou: a Gossi said to be in the Mopti region is not that one
    m = _one(tiny.resolve("A bomb went off near Gossi in the Mopti region.", country_focus="Mali"), "Gossi")
    assert m.admin1 == "Mopti" and m.place is None, m
