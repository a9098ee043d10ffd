"""Claims that are not events, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from sahelwatch.extract.claims import find_claims, split_sentences, stated_by

PUB = dt.date(2021, 6, 1)


def kinds(claims):
    return sorted(c.kind for c in claims)


def only(claims, kind):
    got = [c for c in claims if c.kind == kind]
    assert len(got) == 1, claims
    return got[0]


def test_force_strength_with_qualifier_and_source():
    text = (
        "A jihadist coalition known as the Sahel Brotherhood has as many as 3,000 fighters in the region, "
        "according to a UN report released last week."
    )
    c = only(find_claims(text, document_id="d1", published=PUB), "force_strength")
    assert c.subject == "Sahel Brotherhood" and c.value == 3000 and c.qualifier == "at most"
    assert c.value_text == "as many as 3,000 fighters" and c.stated_by == "a UN report"
    assert c.provenance.document_id == "d1" and c.provenance.sentence == text
    assert (c.provenance.char_start, c.provenance.char_end) == (0, len(text)) and c.date == PUB


def test_hundreds_strong_is_conservative():
    text = "The Gourma Front, which attacked a convoy last year, is thought to be hundreds strong."
    c = only(find_claims(text), "force_strength")
    assert c.subject == "Gourma Front" and c.value == 100 and c.qualifier == "at least"


def test_troop_numbers_with_place_and_named_force():
    claims = find_claims(
        "About 2,500 German troops are based in Niger, said Colonel Ali Traore. "
        "The Burkinabe army has about 11,000 soldiers, he said."
    )
    a, b = [c for c in claims if c.kind == "troop_numbers"]
    assert (a.subject, a.value, a.country, a.stated_by) == ("German", 2500, "Niger", "Colonel Ali Traore")
    assert (b.subject, b.value, b.qualifier) == ("The Burkinabe army", 11000, "about")
    assert b.stated_by == "Colonel Ali Traore"  # "he" is the last named speaker


def test_casualty_counts_are_not_strengths():
    assert [c for c in find_claims("Gunmen killed 40 soldiers near the border.") if c.kind != "pattern"] == []


def test_alliance_rivalry_and_affiliation():
    claims = find_claims(
        "Fighters loyal to the Northern Front and the River Brigade are cooperating in the border area, "
        "officials say. The River Brigade and the Desert Army are enemies in the north. "
        "The Desert Army is affiliated to the Western Caliphate."
    )
    al = only(claims, "alliance")
    assert (al.subject, al.object, al.stated_by) == (
        "Fighters loyal to Northern Front",
        "Fighters loyal to River Brigade",
        "officials",
    )
    rv = only(claims, "rivalry")
    assert (rv.subject, rv.object) == ("River Brigade", "Desert Army")
    af = [c for c in claims if c.kind == "affiliation" and c.subject == "Desert Army"]
    assert af and af[0].object == "Western Caliphate"


def test_loyalists_called():
    c = only(
        find_claims("A group of Front loyalists called the Valley Battalion (VB) has about 500 members."),
        "affiliation",
    )
    assert c.subject == "Valley Battalion (VB)" and c.object == "Front"


def test_outraged_gives_a_rivalry_with_the_object():
    c = only(
        find_claims(
            "Front leaders were recently outraged when the Brigade affiliate tried to recruit in their area."
        ),
        "rivalry",
    )
    assert c.subject == "Front leaders" and c.object == "Brigade affiliate"


def test_patterns_and_militia_strength():
    claims = find_claims(
        "Farmers in the district face attacks every week, a local official said. "
        "Moussa Diallo, who leads a militia of 300 people in the valley, said his men were ready."
    )
    p = only(claims, "pattern")
    assert p.subject == "Farmers in the district" and p.stated_by == "a local official"
    f = only(claims, "force_strength")
    assert f.subject == "militia led by Moussa Diallo" and f.value == 300 and f.stated_by == "Moussa Diallo"


def test_french_claims():
    claims = find_claims("Le groupe compte environ 1 500 combattants, selon un rapport de l'ONU.", lang="fr")
    c = only(claims, "force_strength")
    assert (
        c.subject == "groupe"
        and c.value == 1500
        and c.qualifier == "about"
        and c.stated_by == "un rapport de l'ONU"
    )


def test_normalise_actor_hook():
    reg = {"Sahel Brotherhood": "Sahel Brotherhood (canonical)"}
    c = only(
        find_claims(
            "A coalition called the Sahel Brotherhood has about 900 fighters.", normalise_actor=reg.get
        ),
        "force_strength",
    )
    assert c.subject == "Sahel Brotherhood (canonical)"


def test_stated_by_variants():
    assert (
        stated_by("The army has 9,000 soldiers, according to the defence ministry.") == "the defence ministry"
    )
    assert stated_by("“We will fight,” said general Amadou Sow.") == "general Amadou Sow"
    assert stated_by("Local officials say the groups are cooperating.") == "Local officials"
    assert stated_by("Selon des sources locales, dix civils ont été tués.") == "des sources locales"


def test_sentence_offsets():
    text = "First sentence here. Mr. Sow said it. Third one!"
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["First sentence here.", "Mr. Sow said it.", "Third one!"]
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_document_and_spacy_doc_inputs():
    from sahelwatch.model import Document

    d = Document(
        id="abc", text="The army has about 9,000 soldiers, officials said.", published=PUB, language="en"
    )
    (c,) = find_claims(d)
    assert c.provenance.document_id == "abc" and c.date == PUB and c.value == 9000
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    (c2,) = find_claims(nlp(d.text), document_id="abc")
    assert c2.value == 9000 and c2.provenance.char_end == len(d.text)


def test_event_sentences_give_no_spurious_claims():
    for text in (
        "On September 15, thousands of people marched in Bamako against insecurity.",
        "Human Rights Watch documented the detention of 114 men by the army.",
        "The attack was linked to fighting in the area.",
        "Two vehicles were destroyed as part of the operation.",
    ):
        assert find_claims(text) == [], text


def test_a_claim_quotes_its_own_paragraph_not_the_quote_before_it():
    # the parser alone runs a closing quotation into the next paragraph; a blank line ends a sentence
    from sahelwatch.extract.pipeline import Pipeline

    text = (
        "“They don’t have the capacity to protect us.”\n\n"
        "Ali Maiga, who leads a militia of 600 men in central Mali, said his men are trying."
    )
    res = Pipeline.load().extract(text, published=PUB)
    c = only(res.claims, "force_strength")
    assert c.value == 600 and c.provenance.sentence.startswith("Ali Maiga")
    assert text[c.provenance.char_start : c.provenance.char_end].strip() == c.provenance.sentence.strip()


def test_sentence_hints_for_the_parser():
    # a lower-case word after ")" does not start a sentence; the first word after a blank line does
    from sahelwatch.extract.nlp import PARAGRAPHS
    from sahelwatch.extract.pipeline import build_nlp

    nlp = build_nlp("en")
    assert nlp.pipe_names.index(PARAGRAPHS) < nlp.pipe_names.index("parser")
    doc = nlp.make_doc(
        "A coalition called Harakat al-Sahel (HAS) has 3,000 fighters.\n\nIt recruits. Police said so."
    )
    doc = nlp.get_pipe(PARAGRAPHS)(doc)
    by_text = {t.text: t for t in doc}
    assert by_text["has"].is_sent_start is False and by_text["fighters"].is_sent_start is False
    assert by_text["It"].is_sent_start is True
    assert by_text["Police"].is_sent_start is None  # left to the parser
    assert [s.text.split()[0] for s in nlp(doc.text).sents] == ["A", "It", "Police"]


def test_french_subjects_end_at_the_verb_and_elided_articles_go():
    claims = find_claims(
        "Le Front du Gourma compterait environ 2 000 combattants dans la région, selon un rapport "
        "de l'ONU. Le Front du Gourma et l'Armée du Fleuve s'affrontent depuis 2020.",
        lang="fr",
    )
    fs = only(claims, "force_strength")
    assert (fs.subject, fs.value, fs.qualifier, fs.stated_by) == (
        "Front du Gourma",
        2000,
        "about",
        "un rapport de l'ONU",
    )
    rv = only(claims, "rivalry")
    assert (rv.subject, rv.object) == ("Front du Gourma", "Armée du Fleuve")


def test_a_verb_of_having_makes_men_a_strength_but_arrests_do_not():
    fs = only(find_claims("Le Front du Gourma disposerait de 1 500 hommes.", lang="fr"), "force_strength")
    assert (fs.subject, fs.value) == ("Front du Gourma", 1500)
    assert find_claims("La police a interpellé 114 hommes à Bamako.", lang="fr") == []
    assert find_claims("Police detained 114 men in Bamako.") == []


def test_affiliation_set_off_by_a_comma_describes_the_name_before_it():
    fr = only(
        find_claims(
            "L'attaque n'a pas été revendiquée, mais la zone est le fief du Front du Gourma (FDG), "
            "affilié au Califat de l'Ouest.",
            lang="fr",
        ),
        "affiliation",
    )
    assert (fr.subject, fr.object) == ("FDG", "Califat de l'Ouest")
    en = only(
        find_claims("The ambush was claimed by the River Brigade, linked to the Western Caliphate."),
        "affiliation",
    )
    assert (en.subject, en.object) == ("River Brigade", "Western Caliphate")


def test_a_claim_of_responsibility_names_no_speaker():
    assert stated_by("The River Brigade, an affiliate of the Western Caliphate, claimed the attack.") is None
    assert stated_by("The attack was deadly, claimed the minister.") == "the minister"


def test_paragraphs_one_a_line_and_hyphenated_names_for_the_parser():
    # a line break after "." before a capital ends a sentence (web pages give a paragraph a line); a token
    # glued to the one before, or one after a lower-case word on the same line, never starts one
    from sahelwatch.extract.pipeline import build_nlp

    nlp = build_nlp("fr")
    text = (
        "Une dizaine d'assaillants ont été neutralisés, selon l'armée, qui fait état de plusieurs blessés.\n"
        "Mardi, un engin explosif avait visé un convoi sur l'axe Dori-Gorom-Gorom, sans faire de victimes."
    )
    assert [s.text.split()[0] for s in nlp(text).sents] == ["Une", "Mardi,"]


def test_a_strength_beside_an_affiliation_and_vague_strengths():
    claims = find_claims(
        "Le Front du Gourma, affilié au Califat de l'Ouest, compterait plusieurs milliers de "
        "combattants dans la région, selon un rapport de l'ONU.",
        lang="fr",
    )
    assert kinds(claims) == ["affiliation", "force_strength"]
    fs = only(claims, "force_strength")
    assert (fs.subject, fs.value, fs.qualifier) == ("Front du Gourma", 1000, "at least")
    fr = only(
        find_claims("Le Front du Gourma disposerait de quelques centaines d'hommes.", lang="fr"),
        "force_strength",
    )
    assert (fr.value, fr.qualifier, fr.value_text) == (100, "at least", "quelques centaines d'hommes")
    en = only(find_claims("The River Brigade has several thousand fighters."), "force_strength")
    assert (en.subject, en.value, en.qualifier) == ("River Brigade", 1000, "at least")
    about = only(find_claims("La France a déployé une centaine de soldats.", lang="fr"), "troop_numbers")
    assert (about.value, about.qualifier) == (100, "about")


def test_a_range_of_fighters_is_read_at_its_lower_end():
    en = only(
        find_claims("The River Brigade is estimated to have between 1,000 and 2,000 fighters."),
        "force_strength",
    )
    assert (en.subject, en.value, en.qualifier, en.value_text) == (
        "River Brigade",
        1000,
        "at least",
        "between 1,000 and 2,000 fighters",
    )
    fr = only(
        find_claims("Le Front du Gourma compterait entre 300 et 500 combattants.", lang="fr"),
        "force_strength",
    )
    assert (fr.subject, fr.value, fr.qualifier) == ("Front du Gourma", 300, "at least")
