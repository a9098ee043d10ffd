"""Fatalities and wounded, English and French, with ACLED's conventions (sentences written for these tests)."""

from __future__ import annotations

import pytest

from sahelwatch.extract.numbers import count_casualties, fatalities, parse_number


@pytest.mark.parametrize(
    "text, killed",
    [
        ("Gunmen killed four civilians in the village.", 4),
        ("Around fifteen civilians were killed.", 15),
        ("At least 22 herders were killed in the raid.", 22),
        ("More than 100 soldiers were killed since October.", 100),  # conservative: the figure given
        ("Between 10 and 15 people were killed.", 10),
        ("Militants killed 3 soldiers and 2 civilians.", 5),  # distinct victim groups are summed
        (
            "Two soldiers and three civilians were killed, two attackers also killed.",
            7,
        ),  # attackers count too
        (
            "4 dead (2 assailants, a soldier and a peacekeeper) and several wounded.",
            4,
        ),  # breakdown not counted twice
        ("Gunmen shot dead a farmer near the market.", 1),
        ("The village chief was killed.", 1),
        ("A mob lynched a thief to death.", 1),
        ("Soldiers beat a detainee to death.", 1),
        ("A dozen villagers were killed.", 12),
        ("Dozens of people were killed.", 12),
        ("Gunmen killed several villagers.", 3),
        ("Militants abducted six men and executed them.", 6),
        ("Militants killed the two occupants of the truck.", 2),
        ("Gunmen killed a policeman and a bystander and wounded two others.", 2),
        (
            "An IED killed three soldiers; the explosion also killed two donkeys.",
            3,
        ),  # animals are not victims
        ("the country has lost more than 100 soldiers in routine clashes", 100),
        ("the attack that killed four American soldiers", 4),
    ],
)
def test_english_counts(text, killed):
    assert fatalities(text, "en") == killed


@pytest.mark.parametrize(
    "text, killed, wounded",
    [
        ("Des hommes armés ont tué une dizaine de civils.", 10, None),
        ("L'attaque a fait une vingtaine de morts et trois blessés.", 20, 3),
        ("Quatre soldats ont été tués et cinq autres blessés.", 4, 5),
        ("Au moins 15 personnes ont péri dans l'attaque.", 15, None),
        ("Deux militaires ont perdu la vie.", 2, None),
        ("Les assaillants ont tué le chef du village.", 1, None),
        ("Plus de 100 soldats tués depuis octobre.", 100, None),
    ],
)
def test_french_counts(text, killed, wounded):
    c = count_casualties(text, "fr")
    assert (c.fatalities, c.wounded) == (killed, wounded)


def test_wounded_are_kept_apart():
    c = count_casualties("Two soldiers were killed and seven others wounded by the explosion.")
    assert (c.fatalities, c.wounded) == (2, 7)
    c = count_casualties("The explosion injured 12 people.")
    assert (c.fatalities, c.wounded) == (0, 12)


def test_casualties_without_deaths_and_negations_are_zero():
    for text in (
        "The attack caused heavy casualties among the troops.",
        "No casualties were reported.",
        "No one was killed in the attack.",
        "Aucune victime n'est à déplorer.",
        "Youths protested against the killing of three men last week.",
    ):  # a reference, not this event
        c = count_casualties(text)
        assert c.fatalities == 0, text
    assert count_casualties("No casualties were reported.").explicit_zero


def test_unspecified_deaths_follow_the_acled_rule_chosen_by_the_caller():
    text = "Gunmen attacked the village and killed civilians."
    assert count_casualties(text).unspecified
    assert fatalities(text) == 3
    assert fatalities(text, significant=True) == 10
    assert count_casualties(text, unspecified_limited=2).fatalities == 2
    # a known count plus "an unspecified number" adds the default for the unknown group
    c = count_casualties("One soldier was killed and an unspecified number of assailants were also killed.")
    assert c.fatalities == 4 and c.unspecified


def test_dates_times_and_measures_are_not_victims():
    assert fatalities("On 18 December 2019, two soldiers were killed 30 km from Gao.") == 2
    assert fatalities("Gunmen killed 3 herders and took 40 cattle.") == 3


def test_mentions_carry_offsets():
    text = "Gunmen killed at least 22 villagers."
    (m,) = count_casualties(text).mentions
    assert text[m.start_char : m.end_char] == m.text and m.value == 22 and m.qualifier == "at least"


@pytest.mark.parametrize(
    "phrase, value, qualifier",
    [
        ("more than 100", 100, "more than"),
        ("une dizaine", 10, "vague"),
        ("une vingtaine", 20, "vague"),
        ("a dozen", 12, "vague"),
        ("twenty-two", 22, "exact"),
        ("as many as 2,000", 2000, "at most"),
        ("vingt-deux", 22, "exact"),
    ],
)
def test_parse_number(phrase, value, qualifier):
    assert parse_number(phrase, "fr" if phrase.startswith(("une", "vingt")) else "en") == (value, qualifier)


def test_french_cost_of_lives_and_neutralised_in_quotes():
    assert (
        count_casualties("L'attaque a coûté la vie à une trentaine de civils dimanche.", "fr").fatalities
        == 30
    )
    assert count_casualties("L'attaque a coûté la vie aux deux gendarmes.", "fr").fatalities == 2
    assert count_casualties("Cette erreur lui a coûté cher.", "fr").fatalities == 0
    assert (
        count_casualties(
            "L'armée a affirmé avoir « neutralisé » une vingtaine de terroristes.", "fr"
        ).fatalities
        == 20
    )
    assert count_casualties('The army said it had "neutralised" 12 militants.').fatalities == 12


def test_the_source_after_a_toll_is_not_a_victim():
    assert (
        count_casualties("A bomb struck a bus, killing seven of them, the interior ministry said.").fatalities
        == 7
    )
    assert (
        count_casualties("Gunmen killed two soldiers, a civilian and the mayor, police said.").fatalities == 4
    )
    assert count_casualties("Gunmen killed two soldiers, a civilian and his son.").fatalities == 4
