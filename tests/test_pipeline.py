"""The extraction pipeline end to end, on short reports written for these tests (no ../shared data)."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.extract.pipeline import ExtractionResult, Pipeline, merge_events
from sahelwatch.model import Document

PUB = dt.date(2019, 12, 31)


@pytest.fixture(scope="session")
def pipeline():
    return Pipeline.load(country_focus="Mali")


def doc(text, id="d1", published=PUB, language="en", **meta):
    return Document(id=id, text=text, published=published, language=language, meta=meta)


def test_components_registered_by_name(pipeline):
    assert "sahelwatch_event_cues" in pipeline.nlp.pipe_names
    assert "ner" not in pipeline.nlp.pipe_names  # not used: actors and places come from our data


def test_one_note_one_event_with_provenance(pipeline):
    text = "On 3 May 2019, unknown gunmen killed four villagers in Boni. The attackers fled on motorbikes."
    r = pipeline.extract(doc(text))
    assert isinstance(r, ExtractionResult) and len(r.events) == 1
    e = r.events[0]
    assert e.event_date == dt.date(2019, 5, 3) and e.time_precision == 1
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    assert e.fatalities == 4
    assert e.inter2 == 7 and e.interaction == 10 * min(e.inter1, 7) + max(e.inter1, 7)
    assert e.civilian_targeting == "Civilian targeting"
    p = e.provenance
    assert p.document_id == "d1" and p.method == "rule" and 0 < p.confidence <= 1
    assert text[p.char_start : p.char_end] == p.sentence
    assert "Boni" in p.sentence
    assert e.sources and e.sources[0].document_id == "d1"
    assert e.problems() == []


def test_follow_up_sentence_joins_the_event(pipeline):
    text = "On 12 June 2019, militants attacked an army post in Boulkessi. Two soldiers were killed."
    r = pipeline.extract(doc(text))
    assert len(r.events) == 1
    assert r.events[0].event_type == "Battles" and r.events[0].fatalities == 2


def test_two_days_two_events(pipeline):
    text = (
        "On 2 March 2019, gunmen abducted a trader near Douentza. "
        "On 9 March 2019, a roadside bomb hit a truck near Gao, killing the driver."
    )
    r = pipeline.extract(doc(text))
    dates = sorted(e.event_date for e in r.events)
    assert dates == [dt.date(2019, 3, 2), dt.date(2019, 3, 9)]
    types = {e.event_date: e.sub_event_type for e in r.events}
    assert types[dt.date(2019, 3, 2)] == "Abduction/forced disappearance"


def test_long_article_background_is_not_an_event(pipeline):
    sentences = [
        "Officials say the militants are growing stronger across the region.",
        "Attacks on soldiers happen every week, one commander said.",
        "The groups recruit young men with cash and promises.",
        "On 4 April 2019, gunmen killed three soldiers at a checkpoint in Mopti.",
        "Analysts expect the violence to continue.",
        "Aid agencies have scaled back their work.",
        "Donors met in the capital to discuss funding.",
    ]
    r = pipeline.extract(doc(" ".join(sentences)))
    assert len(r.events) == 1
    assert r.events[0].event_date == dt.date(2019, 4, 4) and r.events[0].fatalities == 3


def test_an_articles_toll_sentence_joins_the_event_before_it(pipeline):
    sentences = [
        "Officials say the militants are growing stronger across the region.",
        "On 4 April 2019, gunmen attacked an army post at Boni, killing 12 soldiers.",
        "Around 15 attackers were killed in the fighting, the army said.",
        "Analysts expect the violence to continue.",
        "Aid agencies have scaled back their work.",
        "Donors met in the capital to discuss funding.",
        "Schools have closed across the area.",
    ]
    r = pipeline.extract(doc(" ".join(sentences)))
    assert [(e.event_date, e.fatalities) for e in r.events] == [(dt.date(2019, 4, 4), 27)]


def test_out_of_region_events_are_kept_and_flagged(pipeline):
    r = pipeline.extract(doc("On 20 October 2019, an air strike killed five fighters in Syria."))
    assert len(r.events) == 1
    assert "out_of_region" in (r.events[0].tags or "")


def test_date_falls_back_to_publication_date(pipeline):
    r = pipeline.extract(doc("Gunmen attacked a gendarmerie post in Sevare, two gendarmes were killed."))
    assert len(r.events) == 1
    e = r.events[0]
    assert e.event_date == PUB and "date_from_publication" in e.tags and e.provenance.confidence < 0.8


def test_nothing_found_is_said(pipeline):
    r = pipeline.extract(doc("The weather in Bamako was hot and dry this week."))
    assert r.events == [] and any("no event" in m for m in r.messages)


def test_empty_and_unsupported_documents_are_reported(pipeline):
    assert pipeline.extract(doc("   ")).messages[0].endswith("empty document, nothing extracted")
    r = pipeline.extract(doc("Hoy hubo un ataque en el pueblo.", language="es"))
    assert r.events == [] and "not supported" in r.messages[0]


def test_pipe_streams_like_extract(pipeline):
    texts = [f"On {d} May 2019, gunmen abducted two herders near Menaka." for d in (1, 2, 3)]
    docs = [doc(t, id=f"n{i}") for i, t in enumerate(texts)]
    streamed = list(pipeline.pipe(docs, batch_size=2))
    assert [r.document.id for r in streamed] == ["n0", "n1", "n2"]
    single = [pipeline.extract(doc(t, id=f"n{i}")) for i, t in enumerate(texts)]
    for a, b in zip(streamed, single):
        assert [(e.event_date, e.sub_event_type, e.actor1) for e in a.events] == [
            (e.event_date, e.sub_event_type, e.actor1) for e in b.events
        ]


def test_french_document(pipeline):
    r = pipeline.extract(
        doc("Le 5 mars 2019, des hommes armés ont enlevé un commerçant près de Douentza.", language="fr")
    )
    assert len(r.events) == 1
    assert r.events[0].sub_event_type == "Abduction/forced disappearance"
    assert r.events[0].event_date == dt.date(2019, 3, 5)


def test_reports_of_the_same_event_merge(pipeline):
    a = pipeline.extract(doc("On 7 July 2019, unknown gunmen killed five civilians in Boni.", id="a")).events
    b = pipeline.extract(
        doc("On 7 July 2019, unknown gunmen killed six civilians in Boni, residents said.", id="b")
    ).events
    merged = merge_events(a + b)
    assert len(merged) == 1
    assert {s.document_id for s in merged[0].sources} == {"a", "b"}
    assert merged[0].fatalities == 5  # the most conservative figure


def test_different_events_do_not_merge(pipeline):
    a = pipeline.extract(doc("On 7 July 2019, unknown gunmen killed five civilians in Boni.", id="a")).events
    b = pipeline.extract(doc("On 8 July 2019, unknown gunmen killed five civilians in Boni.", id="b")).events
    assert len(merge_events(a + b)) == 2


def test_plain_string_input(pipeline):
    r = pipeline.extract("On 3 May 2019, gunmen kidnapped a nurse in Kidal.", published="2019-05-05")
    assert r.document.published == dt.date(2019, 5, 5) and len(r.events) == 1


def test_country_inferred_when_no_focus(pipeline):
    bare = Pipeline(pipeline.nlp, country_focus=None)
    r = bare.extract(
        doc("On 12 February 2020, armed men attacked the village of Ogossagou and killed 20 civilians.")
    )
    assert len(r.events) == 1
    e = r.events[0]
    assert e.country == "Mali" and e.latitude is not None and e.actor2 == "Civilians (Mali)"


def test_a_claim_of_responsibility_in_its_own_sentence_names_the_attacker(pipeline):
    r = pipeline.extract(
        doc(
            "On 3 May 2019, two soldiers were killed when their vehicle hit a mine near Boni. "
            "JNIM claimed responsibility."
        )
    )
    assert len(r.events) == 1
    e = r.events[0]
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.actor1 == "JNIM: Group for Support of Islam and Muslims"
    assert e.actor2.startswith("Military Forces of Mali")


def test_a_crowd_that_lynches_riots(pipeline):
    r = pipeline.extract(doc("On 3 April 2019, two suspected thieves were lynched by a mob in Gao."))
    e = r.events[0]
    assert (e.event_type, e.sub_event_type) == ("Riots", "Mob violence")
    assert e.actor1 == "Rioters (Mali)" and e.actor2 == "Civilians (Mali)"


def test_a_claim_after_an_event_is_not_part_of_it(pipeline):
    # the strength claim names a group and a source; neither did the bombing
    r = pipeline.extract(
        doc(
            "On 3 May 2019, a bridge on the road between Gao and Ansongo was damaged by an explosive "
            "device; no casualties were reported. According to a UN report, the Islamic State in "
            "the Greater Sahara has about 400 fighters near Menaka."
        )
    )
    assert len(r.events) == 1 and "UN report" not in r.events[0].provenance.sentence
    assert r.events[0].actor1 == "Unidentified Armed Group (Mali)" and not r.events[0].actor2
    assert [c.kind for c in r.claims] == ["force_strength"]


def test_the_country_a_document_names_is_its_focus(pipeline):
    # "Arbinda" is a spelling GeoNames lacks ("Aribinda"): variants are searched only under a focus country
    bare = Pipeline(pipeline.nlp, country_focus=None)
    r = bare.extract(
        doc(
            "Burkina Faso: teachers kidnapped.\n\nOn 19 March 2021, armed men abducted two teachers "
            "in Arbinda.",
            published=dt.date(2021, 3, 20),
        )
    )
    e = r.events[0]
    assert (e.country, e.location, e.admin1, e.geo_precision) == ("Burkina Faso", "Arbinda", "Sahel", 1)


def test_french_elided_place_cue_and_the_document_country_without_focus(pipeline):
    bare = Pipeline.load(lang="fr")
    text = (
        "Le 12 février 2023, des hommes armés ont enlevé une cinquantaine de femmes près d'Arbinda. Elles "
        "cherchaient du bois. Leurs familles sont sans nouvelles. Le gouvernement a condamné l'enlèvement. "
        "Des habitants ont fui vers Djibo.\n\nLe 14 février 2023, des soldats ont été attaqués près de "
        "Xyzvillage. Le bilan n'est pas connu. La zone est sous couvre-feu."
    )
    r = bare.extract(doc(text, language="fr", published=dt.date(2023, 2, 20)))
    first = r.events[0]
    assert (first.location, first.geo_precision, first.country) == (
        "Arbinda",
        2,
        "Burkina Faso",
    )  # as written
    # the place of the second report is unknown: the event is still in the country the document is about
    assert all(e.country == "Burkina Faso" for e in r.events), [(e.location, e.country) for e in r.events]


def test_the_day_a_claim_was_made_is_not_the_day_of_the_event(pipeline):
    r = pipeline.extract(
        doc(
            "Le groupe a revendiqué mercredi l'attaque qui a coûté la vie à une trentaine de civils "
            "dimanche dans le village d'Anderamboukane.",
            language="fr",
            published=dt.date(2022, 6, 22),
        )
    )
    e = r.events[0]
    assert (e.event_date, e.fatalities) == (dt.date(2022, 6, 19), 30)


def test_a_french_web_article_one_paragraph_a_line():
    # paragraphs of a page come a line each: the riposte's toll joins the ambush, the IED two days earlier is an
    # event of its own on the Dori-Gorom-Gorom road ("l'axe": the article is cut off the road word)
    text = (
        "Au moins vingt soldats ont été tués jeudi dans une embuscade tendue par des hommes armés près de Déou, "
        "dans la province de l'Oudalan.\n"
        "Une dizaine d'assaillants ont également été neutralisés lors de la riposte, selon l'armée.\n"
        "Mardi, un engin explosif improvisé avait visé un convoi sur l'axe Dori-Gorom-Gorom, sans faire de victimes."
    )
    r = Pipeline.load().extract(doc(text, language="fr", published=dt.date(2023, 2, 18)))
    got = sorted(
        (e.event_date.isoformat(), e.sub_event_type, e.location, e.geo_precision, e.fatalities)
        for e in r.events
    )
    assert got == [
        ("2023-02-14", "Remote explosive/landmine/IED", "Dori", 2, 0),
        ("2023-02-16", "Armed clash", "Déou", 2, 30),
    ], got
