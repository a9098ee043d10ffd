"""The document-level event model of articles (long documents), on texts written for these tests, and its
rules as data (data/rules/document_events.yaml): every example sentence of the shipped lists is run."""

from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.errors import InputError
from sahelwatch.extract.document_events import DocumentRules
from sahelwatch.extract.pipeline import Pipeline
from sahelwatch.model import Document

RULES = DocumentRules.load()
FILLER = [
    "Officials say the militants are growing stronger across the region.",
    "Aid agencies have scaled back their work.",
    "Donors met in the capital to discuss funding.",
    "Schools have closed across the area.",
    "Analysts expect the situation to remain tense.",
]
FILLER_FR = [
    "Les autorités appellent la population au calme.",
    "Les écoles sont fermées dans la zone.",
    "Les partenaires se sont réunis dans la capitale.",
    "Les analystes s'attendent à une situation tendue.",
    "Les agences humanitaires ont réduit leurs activités.",
]


@pytest.fixture(scope="module")
def en():
    return Pipeline.load(country_focus="Mali")


@pytest.fixture(scope="module")
def fr():
    return Pipeline.load(lang="fr", country_focus="Mali")


def article(sentences, published=dt.date(2019, 6, 20), lang="en", filler=None, **kw):
    text = " ".join(list(sentences) + (filler or (FILLER if lang == "en" else FILLER_FR)))
    return Document(id="a1", text=text, published=published, language=lang, **kw)


@pytest.mark.parametrize(
    "concept,sentence,expected,value", RULES.examples, ids=[f"{c}:{s[:30]}" for c, s, _, _ in RULES.examples]
)
def test_every_example_of_the_rules_file(concept, sentence, expected, value):
    if concept == "relative_to_event":
        got = RULES.relative_days(sentence)
        assert (got == value) if expected else (got is None)
    elif concept == "statement":
        # the example's first date-like word after a statement word is the statement's day
        import re

        m = list(re.finditer(r"(?i)\b(on saturday|ce samedi|saturday)\b", sentence))
        assert bool(m) and RULES.statement_day(sentence, m[0].start()) is expected
    else:
        assert (concept in RULES.flags(sentence)) is expected


def test_a_user_file_extends_the_lists_without_code(tmp_path, en):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "aggregate:\n  en: [over the rainy season]\n  examples: ['Ten were killed over the rainy season.']\n",
        encoding="utf-8",
    )
    rules = DocumentRules.load([f])
    assert "aggregate" in rules.flags("Ten were killed over the rainy season.")
    assert "aggregate" not in RULES.flags("Ten were killed over the rainy season.")
    text = [
        "On 4 June 2019, gunmen attacked an army post in Boni.",
        "Ten soldiers were killed over the rainy season.",
    ]
    assert [e.fatalities for e in en.extract(article(text)).events] == [10]
    mine = Pipeline.load(country_focus="Mali", rules_files=[f])
    assert [e.fatalities for e in mine.extract(article(text)).events] == [0]


def test_a_bad_rules_file_is_named(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("aggregates:\n  en: [x]\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml: unknown concept 'aggregates'"):
        DocumentRules.load([f])
    f.write_text("relative_to_event:\n  - en: [the morrow]\n", encoding="utf-8")
    with pytest.raises(InputError, match="entry 1 needs an integer 'days'"):
        DocumentRules.load([f])


def test_a_dated_sentence_sets_the_time_of_the_event_sentence_after_it(fr):
    r = fr.extract(
        article(
            [
                "Les faits se sont produits tôt ce jeudi 13 juin 2019, près de Boni, dans la région de Mopti.",
                "Une patrouille de l'armée malienne est tombée dans une embuscade tendue par des hommes armés.",
            ],
            lang="fr",
        )
    )
    assert [(e.event_date, e.event_type) for e in r.events] == [(dt.date(2019, 6, 13), "Battles")]


def test_the_next_day_dates_from_the_event_before(en):
    r = en.extract(
        article(
            [
                "On 4 June 2019, gunmen killed three villagers in Boni.",
                "The next day, gunmen attacked the village of Hombori, killing two herders.",
            ]
        )
    )
    assert sorted(e.event_date for e in r.events) == [dt.date(2019, 6, 4), dt.date(2019, 6, 5)]


def test_a_toll_two_sentences_later_joins_the_attack(en):
    r = en.extract(
        article(
            [
                "On 4 June 2019, gunmen attacked an army post in Boni.",
                "The post was partly burned.",
                "Twelve soldiers were killed, the army said.",
            ]
        )
    )
    assert [(e.event_date, e.fatalities) for e in r.events] == [(dt.date(2019, 6, 4), 12)]


def test_the_day_a_statement_was_made_opens_no_second_event(en):
    r = en.extract(
        article(
            [
                "On 4 June 2019, gunmen attacked an army post in Boni.",
                "Six soldiers were killed, the army said in a statement on Wednesday.",
            ]
        )
    )
    assert [(e.event_date, e.fatalities) for e in r.events] == [(dt.date(2019, 6, 4), 6)]


def test_aggregates_forecasts_and_background_are_not_events(en):
    r = en.extract(
        article(
            [
                "More than 100 soldiers have been killed in Mopti since October.",
                "Officials fear the jihadists could attack Gao on Friday.",
                "On 4 June 2019, gunmen killed three villagers in Boni.",
            ]
        )
    )
    assert [e.event_date for e in r.events] == [dt.date(2019, 6, 4)]


def test_another_attack_the_same_day_is_another_event(en):
    r = en.extract(
        article(
            [
                "On 4 June 2019, gunmen killed three villagers in Boni.",
                "On the same day, another attack on the army in Hombori killed two soldiers.",
            ]
        )
    )
    assert sorted((e.event_date, e.location) for e in r.events) == [
        (dt.date(2019, 6, 4), "Boni"),
        (dt.date(2019, 6, 4), "Hombori"),
    ]


def test_a_demonstration_after_an_attack_is_its_own_event(en):
    r = en.extract(
        article(
            [
                "On 4 June 2019, gunmen killed three villagers in Boni.",
                "On 4 June, hundreds of people protested in Boni against the insecurity.",
            ]
        )
    )
    assert sorted(e.event_type for e in r.events) == ["Protests", "Violence against civilians"]


def test_a_page_stamp_is_metadata_and_dates_the_report(en):
    body = "\n" + " ".join(["Gunmen killed three villagers in Boni on Sunday."] + FILLER)
    r = en.extract(Document(id="s1", text=" date 2019-06-04 Three killed in Boni" + body, language="en"))
    assert r.document.published == dt.date(2019, 6, 4)
    assert [e.event_date for e in r.events] == [dt.date(2019, 6, 2)]
    # a month stamp: the report is read as of the day after the latest day it names
    body = "\n" + " ".join(
        [
            "Le 3 juin, des hommes armés ont tué trois villageois à Boni.",
            "Le lendemain, des hommes armés ont attaqué le village de Hombori, tuant deux bergers.",
        ]
        + FILLER_FR
    )
    r = Pipeline.load(lang="fr", country_focus="Mali").extract(
        Document(id="s2", text=" date 2019-06" + body, language="fr")
    )
    assert sorted(e.event_date for e in r.events) == [dt.date(2019, 6, 3), dt.date(2019, 6, 4)]
    assert any("estimated" in m for m in r.messages)


def test_a_paragraph_wrapped_over_lines_is_one_sentence(en):
    text = (
        " ".join(FILLER)
        + "\nOn 4 June 2019, gunmen attacked an army post in the town\nof Boni, killing three soldiers."
    )
    r = en.extract(Document(id="w1", text=text, published=dt.date(2019, 6, 20), language="en"))
    assert [(e.location, e.fatalities) for e in r.events] == [("Boni", 3)]
