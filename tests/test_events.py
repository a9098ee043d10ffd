"""Event cues and ACLED typing rules (events.classify), on sentences written for these tests.

A blank spaCy tokenizer + sentencizer + our cue matcher: fast, no trained model needed here.
"""

from __future__ import annotations

import pytest
import spacy

from sahelwatch import taxonomy
from sahelwatch.extract import events as ev


@pytest.fixture(scope="module")
def cue_nlp():
    ev.register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(ev.CUE_COMPONENT)
    return nlp


def typing(nlp, text, inter1=0, inter2=0, deaths=None):
    doc = nlp(text)
    return ev.classify(doc._.event_cues, inter1, inter2, deaths)


def sub(nlp, text, inter1=0, inter2=0, deaths=None):
    t = typing(nlp, text, inter1, inter2, deaths)
    return None if t is None else t.sub_event_type


# --------------------------------------------------------------------------- cues


def test_cues_carry_offsets_and_sentences(cue_nlp):
    text = "Nothing happened here. Gunmen abducted two traders near the market."
    doc = cue_nlp(text)
    cues = doc._.event_cues
    abd = [c for c in cues if c.name == "abduct"]
    assert len(abd) == 1
    assert text[abd[0].start_char : abd[0].end_char] == "abducted"
    assert abd[0].sent == 1


def test_longest_phrase_wins(cue_nlp):
    names = {c.name for c in cue_nlp("A drone strike hit the camp.")._.event_cues}
    assert "air" in names
    assert "protest" not in names  # "strike" inside "drone strike" is not a labour strike


def test_month_march_is_not_a_protest(cue_nlp):
    assert not any(c.name == "protest" for c in cue_nlp("On March 5, gunmen attacked a bus.")._.event_cues)
    assert any(c.name == "protest" for c in cue_nlp("Students will march to the ministry.")._.event_cues)


def test_no_trigger_no_event(cue_nlp):
    assert typing(cue_nlp, "The minister visited the region and met local elders.") is None


def test_passive_flag(cue_nlp):
    kills = [c for c in cue_nlp("Two soldiers were killed.")._.event_cues if c.name == "kill"]
    assert kills and kills[0].passive


# --------------------------------------------------------------------------- codebook rules


def test_suicide_vehicle_bomb_is_suicide_bomb(cue_nlp):
    assert sub(cue_nlp, "A suicide car bomb exploded at the entrance of the camp.", 2, 1, 3) == "Suicide bomb"


def test_defused_ied_is_disrupted_weapons_use(cue_nlp):
    t = typing(cue_nlp, "Soldiers found and defused an IED on the road to the town.", 1, 0, 0)
    assert (t.event_type, t.sub_event_type) == ("Strategic developments", "Disrupted weapons use")


def test_ied_strike_is_remote_explosive(cue_nlp):
    assert (
        sub(cue_nlp, "An army vehicle struck an IED, two soldiers were killed.", 2, 1, 2)
        == "Remote explosive/landmine/IED"
    )


def test_explosions_inside_a_battle_belong_to_the_battle(cue_nlp):
    t = typing(
        cue_nlp,
        "Militants attacked the base with mortars and the troops fought back; heavy fighting followed.",
        2,
        1,
        5,
    )
    assert (t.event_type, t.sub_event_type) == ("Battles", "Armed clash")


def test_abduction_with_deaths_is_an_attack(cue_nlp):
    t = typing(cue_nlp, "Gunmen abducted three villagers and killed one of them.", 2, 7, 1)
    assert (t.event_type, t.sub_event_type) == ("Violence against civilians", "Attack")


def test_abduction_without_harm(cue_nlp):
    assert sub(cue_nlp, "Unknown gunmen kidnapped a village chief.", 2, 7) == "Abduction/forced disappearance"


def test_air_and_drone_strikes(cue_nlp):
    assert (
        sub(cue_nlp, "French aircraft carried out an airstrike on a militant camp, killing ten.", 8, 2, 10)
        == "Air/drone strike"
    )


def test_shelling(cue_nlp):
    assert (
        sub(cue_nlp, "Militants fired several mortar shells at the peacekeepers' camp.", 2, 8)
        == "Shelling/artillery/missile attack"
    )


def test_grenade(cue_nlp):
    assert sub(cue_nlp, "A man threw a grenade at a police post.", 2, 1) == "Grenade"


def test_attack_on_civilians_vs_clash_follows_the_target(cue_nlp):
    assert sub(cue_nlp, "Armed men attacked the village and killed four civilians.", 2, 0, 4) == "Attack"
    assert sub(cue_nlp, "Armed men attacked an army patrol, killing two soldiers.", 2, 0, 2) == "Armed clash"
    # the actors say civilians: that decides
    assert sub(cue_nlp, "Militants killed two men near the well.", 2, 7, 2) == "Attack"


def test_looting_without_harm_to_people(cue_nlp):
    t = typing(cue_nlp, "Gunmen looted shops and stole cattle in the village.", 2, 0, 0)
    assert (t.event_type, t.sub_event_type) == ("Strategic developments", "Looting/property destruction")


def test_protest_variants(cue_nlp):
    assert (
        sub(cue_nlp, "Hundreds of residents held a demonstration against insecurity.", 6, 0)
        == "Peaceful protest"
    )
    assert (
        sub(cue_nlp, "Police fired tear gas to disperse the protesters.", 6, 1) == "Protest with intervention"
    )
    assert (
        sub(cue_nlp, "Security forces opened fire on protesters, two of them were killed.", 6, 1, 2)
        == "Excessive force against protesters"
    )
    assert sub(cue_nlp, "Rioters burned tyres and ransacked the town hall.", 5, 0) == "Violent demonstration"
    assert sub(cue_nlp, "An angry mob lynched a suspected thief.", 5, 7, 1) == "Mob violence"


def test_strategic_developments(cue_nlp):
    assert sub(cue_nlp, "Gendarmes arrested a local militia leader.", 1, 3) == "Arrests"
    assert sub(cue_nlp, "The two communities signed a peace agreement.", 4, 4) == "Agreement"
    assert (
        sub(cue_nlp, "The faction pledged allegiance to the Islamic State.", 2, 0)
        == "Change to group/activity"
    )
    assert (
        sub(cue_nlp, "The army withdrew from the post, handing it over to the militia.", 1, 3)
        == "Non-violent transfer of territory"
    )
    assert sub(cue_nlp, "A curfew was imposed on motorbikes in the district.", 1, 0) == "Other"


def test_territory(cue_nlp):
    assert (
        sub(cue_nlp, "After heavy fighting the army recaptured the town.", 1, 2)
        == "Government regains territory"
    )
    assert (
        sub(cue_nlp, "Militants attacked and took control of the town after clashes.", 2, 1)
        == "Non-state actor overtakes territory"
    )


def test_french_sentences(cue_nlp):
    assert (
        sub(cue_nlp, "Des hommes armés ont enlevé un commerçant.", 2, 7) == "Abduction/forced disappearance"
    )
    assert (
        sub(cue_nlp, "Un engin explosif a été désamorcé par les militaires.", 1, 0, 0)
        == "Disrupted weapons use"
    )
    assert (
        sub(cue_nlp, "Des manifestants ont été dispersés au gaz lacrymogène.", 6, 1)
        == "Protest with intervention"
    )


def test_every_rule_gives_a_valid_acled_pair(cue_nlp):
    texts = [
        "Gunmen attacked.",
        "A bomb exploded.",
        "Protesters marched.",
        "Soldiers arrested two men.",
        "Chlorine gas was used against residents.",
        "Women were raped by armed men.",
    ]
    for t in texts:
        r = typing(cue_nlp, t, 2, 7)
        assert r is not None
        assert taxonomy.check_types(r.event_type, r.sub_event_type) is None
        assert 0 < r.confidence <= 1 and r.rule


def test_typing_rejects_invalid_pairs():
    with pytest.raises(ValueError):
        ev.Typing("Battles", "Grenade", 0.5, "bad")


def test_civilian_targeting():
    assert ev.civilian_targeting("Violence against civilians", "Attack", 7) == "Civilian targeting"
    assert (
        ev.civilian_targeting("Explosions/Remote violence", "Remote explosive/landmine/IED", 7)
        == "Civilian targeting"
    )
    assert ev.civilian_targeting("Battles", "Armed clash", 1) is None


def test_cue_features_include_rule_and_inter(cue_nlp):
    doc = cue_nlp("Gunmen killed two villagers.")
    f = ev.cue_features(doc._.event_cues, 2, 7, 2)
    assert f["inter1=2"] == 1 and f["interaction=27"] == 1 and f["rule=Attack"] == 1 and f["deaths>0"] == 1


def test_victim_evidence(cue_nlp):
    doc = cue_nlp("Militants attacked the village and killed two herders.")
    civ, mil = ev.victim_evidence(doc._.event_cues)
    assert civ >= 1 and mil == 0


def test_trigger_file_is_validated(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("nothing: here\n")
    with pytest.raises(ValueError):
        ev.load_triggers(str(bad))


# --------------------------------------------------------------------------- who did what to whom


def victims(nlp, text, families=None):
    cues = nlp(text)._.event_cues
    return ev.victim_evidence(cues, families) if families else ev.victim_evidence(cues)


def test_a_community_name_before_an_armed_noun_is_a_modifier(cue_nlp):
    # "Dogon militiamen" are armed men, not Dogon civilians
    assert victims(cue_nlp, "Gunmen killed two Dogon militiamen near the well.") == (0, 1)
    assert victims(cue_nlp, "Gunmen killed two Dogon herders near the well.") == (1, 0)


def test_vehicles_and_livestock_are_property_not_victims(cue_nlp):
    assert victims(cue_nlp, "Gunmen attacked two vehicles on the road.") == (0, 0)
    assert any(c.name == "property" for c in cue_nlp("Gunmen attacked two vehicles.")._.event_cues)
    # stripping travellers of their goods, nobody hurt: looting, even though they "attacked" the truck
    assert (
        sub(cue_nlp, "Gunmen attacked a truck and stripped the passengers of their belongings.", 3, 7, 0)
        == "Looting/property destruction"
    )
    # ... but the same with a passenger shot is an attack on civilians
    assert sub(cue_nlp, "Gunmen attacked a truck and wounded two passengers.", 3, 7, 0) == "Attack"


def test_who_was_killed_names_the_target(cue_nlp):
    # the camp was attacked, but the dead are civilians: violence against civilians
    assert sub(cue_nlp, "Militants attacked a nomad camp, killing six civilians.", 2, 3, 6) == "Attack"
    assert sub(cue_nlp, "Militants attacked an army camp, killing six soldiers.", 2, 1, 6) == "Armed clash"


def test_passive_with_adverb_and_agent(cue_nlp):
    doc = cue_nlp("A shepherd was allegedly killed by militiamen near the river.")
    kill = [c for c in doc._.event_cues if c.name == "kill"][0]
    assert kill.passive
    assert victims(cue_nlp, "A shepherd was allegedly killed by militiamen near the river.") == (1, 0)
    assert victims(cue_nlp, "Two shepherds killed by militiamen near the river.") == (1, 0)


def test_victims_stay_in_their_clause(cue_nlp):
    # the individuals were arrested afterwards, not wounded
    assert victims(
        cue_nlp, "Attack on a patrol: two peacekeepers killed and one wounded, four individuals arrested."
    ) == (0, 2)


def test_premature_explosion_is_disrupted_weapons_use(cue_nlp):
    t = typing(cue_nlp, "Three militants were killed while planting an IED on the road.", 2, 0, 3)
    assert (t.event_type, t.sub_event_type) == ("Strategic developments", "Disrupted weapons use")


def test_ieds_seized_in_a_raid_do_not_make_an_explosion(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Soldiers raided a militant camp, killed five militants and seized IEDs and weapons.",
            1,
            2,
            5,
        )
        == "Armed clash"
    )
    assert (
        sub(cue_nlp, "An IED exploded under an army vehicle, killing two soldiers.", 2, 1, 2)
        == "Remote explosive/landmine/IED"
    )


def test_fighters_captured_by_an_armed_group(cue_nlp):
    assert sub(cue_nlp, "Gunmen abducted two militiamen near the well.", 3, 0) == "Armed clash"
    assert (
        sub(cue_nlp, "Gunmen abducted two traders near the well.", 3, 0) == "Abduction/forced disappearance"
    )


def test_armed_men_ransacking_is_looting_not_a_riot(cue_nlp):
    assert sub(cue_nlp, "Militants ransacked the voting office.", 2, 0) == "Looting/property destruction"
    assert sub(cue_nlp, "Protesters ransacked the town hall.", 6, 0) == "Violent demonstration"


def test_air_supported_ground_operation_is_a_battle(cue_nlp):
    assert (
        sub(cue_nlp, "The army killed 15 militants in an air-supported operation.", 1, 2, 15) == "Armed clash"
    )
    assert sub(cue_nlp, "A drone strike killed four militants.", 8, 2, 4) == "Air/drone strike"


# --------------------------------------------------------------------------- the trained typer


def _synthetic_notes(nlp):
    """Two years of short notes in our own words: civilians attacked, armed clashes, IEDs."""
    from sahelwatch.extract.train import NoteFeatures

    import pandas as pd

    patterns = [
        ("Gunmen attacked the village of {p} and killed {n} herders.", 3, 7, "Attack"),
        ("Militants clashed with soldiers near {p}, {n} soldiers were killed.", 2, 1, "Armed clash"),
        (
            "An IED exploded under a military vehicle near {p}, {n} soldiers were wounded.",
            2,
            1,
            "Remote explosive/landmine/IED",
        ),
        ("Unknown gunmen abducted {n} traders on the road to {p}.", 3, 7, "Abduction/forced disappearance"),
    ]
    places = [
        "Boni",
        "Douentza",
        "Hombori",
        "Gossi",
        "Tessit",
        "Ansongo",
        "Menaka",
        "Niono",
        "Djenne",
        "Koro",
    ]
    feats, labels, dates = [], [], []
    for year in (2017, 2018):
        for k, place in enumerate(places):
            for text, i1, i2, label in patterns:
                t = text.format(p=place, n=k % 4 + 2)
                doc = nlp(t)
                deaths = 0 if "wounded" in t or "abducted" in t else k % 4 + 2
                feats.append(NoteFeatures(t, list(doc._.event_cues), i1, i2, deaths))
                labels.append(label)
                dates.append(f"{year}-0{k % 9 + 1}-15")
    return feats, labels, pd.Series(pd.to_datetime(dates))


def test_model_on_rule_features_only_saves_and_loads(cue_nlp, tmp_path):
    from sahelwatch.extract.train import EventTypeModel

    feats, labels, _ = _synthetic_notes(cue_nlp)
    m = EventTypeModel().fit(feats, labels, C=1.0, text_features=False)
    assert m.vectorizer is None and m.meta["text_features"] is False
    m.save(tmp_path)
    back = EventTypeModel.load(tmp_path)
    pred = back.predict(feats[:4])
    assert [t.sub_event_type for t in pred] == labels[:4]
    assert all(t.method in ("model", "rule") for t in pred)


def test_choose_override_is_a_time_split_and_reports_rules_alone(cue_nlp):
    from sahelwatch.extract.train import choose_override

    feats, labels, dates = _synthetic_notes(cue_nlp)
    (tau, kappa), val = choose_override(feats, labels, dates, C=1.0)
    assert val["held_out"] == 2018 and val["n_fit"] == val["n_held_out"] == 40
    assert val["text_features"] in (True, False) and val["C"] in (1 / 16, 1 / 4, 1.0)
    # the rules type these clear notes right; the chosen combination cannot be worse than the rules alone
    assert val["f1_held_out_rules_only"] == 1.0
    assert val["f1_held_out"] >= val["f1_held_out_rules_only"]
    assert 0.0 <= tau <= 1.01 and 0.0 <= kappa <= 1.01


def test_choose_override_with_one_year_holds_out_its_last_third(cue_nlp):
    import pandas as pd

    from sahelwatch.extract.train import choose_override

    feats, labels, dates = _synthetic_notes(cue_nlp)
    one_year = pd.Series(pd.date_range("2018-01-01", "2018-12-31", periods=len(feats)))
    (tau, kappa), val = choose_override(feats, labels, one_year, C=1.0)
    assert str(val["held_out"]).startswith("after 2018-") and val["n_fit"] > val["n_held_out"] >= 20
    (tau, kappa), val = choose_override(feats[:20], labels[:20], one_year[:20], C=1.0)
    assert (tau, kappa) == (1.01, 0.0) and "rules decide" in val["note"]


def test_protesters_who_clash_with_police_riot(cue_nlp):
    assert (
        sub(cue_nlp, "Protesters clashed with the police, who dispersed them with tear gas.", 6, 1)
        == "Violent demonstration"
    )
    assert sub(cue_nlp, "Police dispersed the protesters with tear gas.", 6, 1) == "Protest with intervention"


def test_shots_fired_at_travellers_is_an_attack(cue_nlp):
    assert (
        sub(cue_nlp, "Gunmen fired shots at a bus carrying passengers near the market.", 3, 7, 0) == "Attack"
    )


def test_every_trigger_types_an_event_whatever_the_actors():
    """A trigger word never leaves an event untyped, whichever inter codes the actor module finds
    (the preliminary typing without actors and the final one must agree that there is an event)."""
    inters = (0, 1, 2, 3, 4, 5, 6, 7, 8)
    lexicon = ev.load_triggers()["cues"]
    for name in sorted(ev.trigger_cues()):
        word = lexicon[name]["en"][0]  # a real word of the family ("tear gas" for interventions)
        cue = ev.Cue(name, word, 0, len(word), 0, 0)
        for i1 in inters:
            for i2 in inters:
                for deaths in (0, 3):
                    t = ev.classify([cue], i1, i2, deaths)
                    assert t is not None, (name, i1, i2, deaths)


# --------------------------------------------------------------------------- who the target was (typing round 2)


def test_fire_and_ambush_words_against_civilians_alone_are_an_attack(cue_nlp):
    # "ambushed" and "gunfire" say how the attackers struck, not that anybody fought back
    assert (
        sub(cue_nlp, "A river boat was ambushed by unknown assailants. Five passengers were wounded.", 3, 0)
        == "Attack"
    )
    assert (
        sub(cue_nlp, "A car of an aid agency was hit by gunfire on the road. The driver was wounded.", 3, 7)
        == "Attack"
    )
    assert (
        sub(cue_nlp, "An army convoy was ambushed near the river, two soldiers were killed.", 3, 0, 2)
        == "Armed clash"
    )


def test_off_duty_or_retired_forces_are_civilian_targets(cue_nlp):
    assert sub(cue_nlp, "Two gunmen shot dead a retired gendarme at the market.", 3, 7, 1) == "Attack"
    assert sub(cue_nlp, "Gunmen killed an off-duty policeman near his house.", 3, 7, 1) == "Attack"
    assert sub(cue_nlp, "Gunmen killed a policeman near his house.", 3, 1, 1) == "Armed clash"


def test_armed_civilian_nouns_are_armed_targets(cue_nlp):
    assert sub(cue_nlp, "Soldiers shot dead two armed Fulani youths near the well.", 1, 7, 2) == "Armed clash"
    assert sub(cue_nlp, "Soldiers shot dead two Fulani youths near the well.", 1, 7, 2) == "Attack"


def test_people_named_only_as_persons_do_not_overturn_an_armed_target(cue_nlp):
    assert sub(cue_nlp, "Gunmen attacked a police checkpoint, killing one person.", 3, 0, 1) == "Armed clash"
    assert sub(cue_nlp, "Gunmen attacked a camp, killing six civilians.", 3, 0, 6) == "Attack"


def test_a_crowd_that_fights_or_lynches_is_mob_violence(cue_nlp):
    assert sub(cue_nlp, "Two thieves were lynched by a mob at the market.", 3, 7, 1) == "Mob violence"
    assert (
        sub(cue_nlp, "Clashes between the police and youths of the town left three wounded.", 1, 7)
        == "Mob violence"
    )
    assert (
        sub(cue_nlp, "Local youths captured two bandits and handed them to the army.", 1, 7) == "Mob violence"
    )
    # an identity word before the crowd noun, or arms, make it a community's fighters
    assert sub(cue_nlp, "Clashes between Arab and Songhai youths left three wounded.", 0, 0) != "Mob violence"
    assert (
        sub(cue_nlp, "Armed students clashed over a union post, nine were wounded.", 0, 0) != "Mob violence"
    )
    # an aside in a later sentence does not retype the event
    assert (
        sub(
            cue_nlp,
            "Militants assassinated an imam in the village. One attacker was later lynched by a mob.",
            2,
            7,
            1,
        )
        == "Attack"
    )


def test_place_names_joined_by_a_hyphen_are_not_communities(cue_nlp):
    doc = cue_nlp("Militants killed a Dozo militia leader in Nouhoun-Bozo and near Bambara-Maoude.")
    assert not any(c.text in ("Bozo", "Bambara") for c in doc._.event_cues)
    assert (
        sub(cue_nlp, "Militants assassinated a Dozo militia leader in Nouhoun-Bozo.", 2, 4, 1)
        == "Armed clash"
    )


def test_new_armed_target_words(cue_nlp):
    assert (
        sub(cue_nlp, "Unknown gunmen shot dead a forest agent between two villages.", 3, 1, 1)
        == "Armed clash"
    )
    assert sub(cue_nlp, "A militiaman shot dead his brother in arms in the camp.", 3, 3, 1) == "Armed clash"


def test_fighting_back_makes_the_battle(cue_nlp):
    assert (
        sub(cue_nlp, "Militants attacked the village, the villagers fended off the attack.", 4, 7)
        == "Armed clash"
    )
    assert (
        sub(
            cue_nlp,
            "Militants attacked a camp, killing one man, the local self-defense group retaliated.",
            2,
            7,
            1,
        )
        == "Armed clash"
    )


def test_firing_on_people_is_an_attack_even_when_nobody_is_hit(cue_nlp):
    assert (
        sub(cue_nlp, "Gunmen opened fire on a truck and robbed the passengers of their belongings.", 3, 7, 0)
        == "Attack"
    )
    assert (
        sub(cue_nlp, "Gunmen stopped a truck and robbed the passengers of their belongings.", 3, 7, 0)
        == "Looting/property destruction"
    )
    # shots in the air are no attack on anybody
    assert (
        sub(
            cue_nlp,
            "Gunmen fired gunshots in the air, burned a motorbike and seized phones in the school.",
            3,
            7,
            0,
        )
        == "Looting/property destruction"
    )
    assert sub(cue_nlp, "Gunmen fired shots in the air and abducted the village chief.", 3, 7, 0) == "Attack"


def test_the_agent_of_an_attack_noun_is_not_its_target(cue_nlp):
    # "an attack by X on Y": the target follows "on"; X, in the "by" phrase, is the attacker
    assert (
        sub(
            cue_nlp,
            "At least four people were killed in an attack by militants on the positions of a rebel group.",
            2,
            3,
            4,
        )
        == "Armed clash"
    )
    doc = cue_nlp("An attack by militants on the village.")
    assert [c.agent for c in doc._.event_cues if c.text == "militants"] == [True]
    # who reported it is not the target either
    assert (
        sub(cue_nlp, "An explosion followed by an exchange of fire was reported by residents.", 3, 0)
        == "Armed clash"
    )


def test_an_armed_escort_is_an_armed_target(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Militants opened fire on villagers aboard carts escorted by Dogon militiamen, killing four "
            "civilians.",
            2,
            7,
            4,
        )
        == "Armed clash"
    )


def test_air_support_to_a_ground_attack_is_the_battle(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Militants attacked an army post. French aircraft then carried out airstrikes against them.",
            2,
            1,
        )
        == "Armed clash"
    )
    assert (
        sub(cue_nlp, "French aircraft carried out airstrikes against militant positions.", 8, 2)
        == "Air/drone strike"
    )
    # "strikes" next to aircraft are air strikes, not a labour strike
    assert (
        sub(cue_nlp, "French aircraft carried out strikes that hit a hut, no casualties.", 8, 0)
        == "Air/drone strike"
    )


def test_an_ambush_with_explosives_on_an_armed_target_is_the_battle(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "A convoy was subjected to a complex ambush involving IEDs and RPGs, one peacekeeper killed.",
            8,
            7,
            1,
        )
        == "Armed clash"
    )


def test_weapons_found_are_not_weapons_used(cue_nlp):
    assert (
        sub(cue_nlp, "Soldiers discovered rockets and a launcher while searching a camp.", 1, 0)
        == "Disrupted weapons use"
    )


def test_captured_armed_men_and_the_battle(cue_nlp):
    assert (
        sub(cue_nlp, "French forces destroyed two vehicles carrying terrorists; others were captured.", 8, 0)
        == "Armed clash"
    )


def test_protests_and_what_they_are_against(cue_nlp):
    assert (
        sub(cue_nlp, "Residents protested and prevented traffic on the main road.", 6, 0)
        == "Peaceful protest"
    )
    assert sub(cue_nlp, "Police prevented the rally by firing tear gas.", 6, 1) == "Protest with intervention"
    # the arrest or the killings are the grievance, not an intervention or lethal force
    assert (
        sub(cue_nlp, "Members of the movement protested in the town over the arrest of their fighters.", 2, 0)
        == "Peaceful protest"
    )
    assert (
        sub(cue_nlp, "Women marched in the capital against the killings of herders.", 6, 0)
        == "Peaceful protest"
    )
    assert sub(cue_nlp, "Violent protests were reported in the suburb.", 6, 0) == "Violent demonstration"


def test_civilians_hurt_when_an_armed_target_is_attacked_belong_to_the_battle(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Gunmen attacked a checkpoint near the town. Two civilians were wounded in the attack.",
            3,
            7,
        )
        == "Armed clash"
    )
    # a camp may be a civilian one: the victims say who was targeted
    assert sub(cue_nlp, "Gunmen attacked a camp near the town, killing six civilians.", 3, 7, 6) == "Attack"


def test_what_someone_had_done_before_is_not_the_event(cue_nlp):
    assert (
        sub(cue_nlp, "Soldiers killed four militants who had executed an informer in the village.", 1, 7, 4)
        == "Armed clash"
    )
    doc = cue_nlp("Soldiers tortured three traders accused of helping militants who had attacked the post.")
    assert not any(c.text == "attacked" for c in doc._.event_cues)


def test_denied_fighting_and_names_are_no_fight(cue_nlp):
    assert (
        sub(cue_nlp, "Armed groups took control of the town. No clashes were reported.", 3, 0)
        == "Non-violent transfer of territory"
    )
    assert (
        sub(
            cue_nlp,
            "Gunmen burned four trucks on the road. There were no reports of clashes or injuries.",
            3,
            8,
        )
        == "Looting/property destruction"
    )
    # "Operation Barkhane" names a force; "no fewer than" denies nothing
    assert not any(
        c.name == "clash" for c in cue_nlp("Soldiers of Operation Barkhane seized a vehicle.")._.event_cues
    )
    assert any(c.name == "kill" for c in cue_nlp("No fewer than ten people were killed.")._.event_cues)


def test_bomb_making_materials_are_no_device(cue_nlp):
    assert not any(
        c.name == "ied" for c in cue_nlp("Soldiers seized motorbikes and IED-making materials.")._.event_cues
    )


def test_an_ied_and_gunfire_against_civilians_is_an_attack(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Militants carried out a complex attack (IED detonation followed by small arms fire) against a "
            "vehicle of marketgoers, no casualties.",
            3,
            7,
        )
        == "Attack"
    )


def test_what_a_crowd_does_to_property_or_people(cue_nlp):
    assert (
        sub(cue_nlp, "Youths burned the gendarmerie post after a resident was killed.", 7, 1)
        == "Violent demonstration"
    )
    assert (
        sub(cue_nlp, "Locals beat up two men suspected of theft and rape in the market.", 7, 7)
        == "Mob violence"
    )
    # a crowd noun after the violent verb is its victim
    assert (
        sub(cue_nlp, "Gunmen attacked the village, killing a youth and seizing cattle.", 3, 7, 1) == "Attack"
    )


def test_what_the_victims_were_accused_of_is_not_the_event(cue_nlp):
    doc = cue_nlp("Two men suspected of robberies and rapes were beaten.")
    assert not any(c.name in ("loot", "sexual") for c in doc._.event_cues)
    # an accusation made by someone is the report itself
    assert any(
        c.name == "loot" for c in cue_nlp("The movement accused the militia of stealing cattle.")._.event_cues
    )


def test_planters_killed_in_an_exchange_of_fire_is_a_battle(cue_nlp):
    assert (
        sub(
            cue_nlp,
            "Soldiers killed six militants in the process of planting an IED amidst exchanges of gunfire.",
            1,
            2,
            6,
        )
        == "Armed clash"
    )
    assert (
        sub(cue_nlp, "Two militants were killed while planting an IED on the road.", 2, 0, 2)
        == "Disrupted weapons use"
    )


def test_dismantling_is_defusing_only_for_a_device(cue_nlp):
    assert (
        sub(cue_nlp, "The movement attacked and dismantled the positions of the rival group.", 2, 3)
        == "Armed clash"
    )
    assert (
        sub(cue_nlp, "Engineers discovered and dismantled an IED on the road.", 1, 0)
        == "Disrupted weapons use"
    )


def test_territory_taken_without_a_fight_changes_hands_non_violently(cue_nlp):
    assert (
        sub(cue_nlp, "French forces occupied a post of the movement near the town.", 8, 2)
        == "Non-violent transfer of territory"
    )


def test_protesters_wounded_by_forces_and_denied_riots(cue_nlp):
    assert (
        sub(cue_nlp, "A demonstration was dispersed by police forces. Some were wounded.", 6, 1)
        == "Excessive force against protesters"
    )
    assert (
        sub(
            cue_nlp,
            "Protests continued in the town and crowds were dispersed by security forces. No riot was "
            "reported.",
            6,
            1,
        )
        == "Protest with intervention"
    )


def test_animals_killed_are_property(cue_nlp):
    assert (
        sub(cue_nlp, "Militiamen burned three huts and killed two sheep in the village.", 4, 7)
        == "Looting/property destruction"
    )
    # cattle thieves who kill people still kill people
    assert (
        sub(cue_nlp, "Men rustling cattle killed three members of a family in the village.", 4, 7, 3)
        == "Attack"
    )
    assert (
        sub(cue_nlp, "Gunmen attacked a transport truck, stripping the passengers of their belongings.", 3, 7)
        == "Looting/property destruction"
    )


def test_an_old_shell_picked_up_is_a_landmine_event(cue_nlp):
    assert (
        sub(cue_nlp, "A child was killed after picking up a grenade near the well.", 0, 7, 1)
        == "Remote explosive/landmine/IED"
    )
    assert (
        sub(
            cue_nlp,
            "A herder found a mortar fuze which exploded when he tried to break it, killing him.",
            0,
            7,
            1,
        )
        == "Remote explosive/landmine/IED"
    )
    assert sub(cue_nlp, "A man threw a grenade at a police post.", 2, 1) == "Grenade"


def test_intervention_words_alone_are_a_protest_stopped(cue_nlp):
    # no protest or riot word: the crowd is known only by the forces' dispersal of it
    assert (
        sub(cue_nlp, "Police fired tear gas to disperse a crowd near the market.", 1, 0)
        == "Protest with intervention"
    )
    assert (
        sub(cue_nlp, "Gendarmes dispersed the youths gathered at the town hall.", 1, 0)
        == "Protest with intervention"
    )
    assert (
        sub(cue_nlp, "Residents prevented lorries from using the road to the quarry.", 0, 0)
        == "Peaceful protest"
    )
    # warning shots with no crowd named are nothing to code
    assert typing(cue_nlp, "The soldiers fired warning shots.", 1, 0) is None
