"""The actor registry: loading, normalisation, periods, free-text matching (inputs written here)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from sahelwatch.actors import Registry, canonical_names, fold, key, split_actors


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


def test_fold_keeps_length_and_strips_accents():
    s = "Hommes armés à Ménaka, État islamique"
    assert len(fold(s)) == len(s)
    assert fold(s) == "hommes armes a menaka, etat islamique"
    assert key("Jama'at Nusrat al-Islam") == key("JAMAAT nusrat al islam")


@pytest.mark.parametrize(
    "alias",
    [
        "JNIM",
        "GSIM",
        "Jama'at Nusrat al-Islam wal-Muslimin",
        "Jama'at Nasr al-Islam wal Muslimin",
        "Groupe de soutien à l'islam et aux musulmans",
        "groupe de soutien a l'islam et aux musulmans",
        "JNIM: Group for Support of Islam and Muslims",
    ],
)
def test_jnim_spellings(reg, alias):
    assert reg.normalise(alias).name == "JNIM: Group for Support of Islam and Muslims"


def test_islamic_state_sahel_lineage_by_date(reg):
    assert reg.normalise("EIGS", date="2018-06-01").name == "Islamic State (Greater Sahara)"
    assert (
        reg.normalise("ISGS", date="2020-01-10").name
        == "Islamic State (West Africa) - Greater Sahara Faction"
    )
    assert reg.normalise("IS Sahel Province", date="2023-05-01").name == "Islamic State Sahel Province"
    assert (
        reg.normalise("État islamique au Grand Sahara").name == "Islamic State Sahel Province"
    )  # latest name without a date
    # an exact canonical name is kept as given, and all three share one lineage
    assert (
        reg.normalise("Islamic State (Greater Sahara)", date="2023-01-01").name
        == "Islamic State (Greater Sahara)"
    )
    assert (
        len(
            {
                reg.lineage(n)
                for n in (
                    "ISGS",
                    "Islamic State Sahel Province",
                    "Islamic State (West Africa) - Greater Sahara Faction",
                )
            }
        )
        == 1
    )
    assert reg.lineage("JNIM") != reg.lineage("ISGS")


def test_state_forces_by_country_and_period(reg):
    assert reg.normalise("FAMa", date="2019-05-01").name == "Military Forces of Mali (2013-2020)"
    assert reg.normalise("FAMa", date="2020-12-01").name == "Military Forces of Mali (2020-2021)"
    assert reg.normalise("armée malienne", date=dt.date(2022, 3, 1)).name == "Military Forces of Mali (2021-)"
    assert (
        reg.normalise("soldiers", country="Burkina Faso", date="2019-03-01").name
        == "Military Forces of Burkina Faso (2015-2022)"
    )
    assert (
        reg.normalise("soldiers", country="Niger", date="2022-03-01").name
        == "Military Forces of Niger (2021-2023)"
    )
    assert reg.normalise("soldiers") is None  # a generic word needs the event's country
    assert reg.normalise("Barkhane", date="2016-02-01").name == "Military Forces of France (2012-2017)"
    assert reg.normalise("Barkhane", date="2019-02-01").name == "Military Forces of France (2017-)"
    assert (
        reg.normalise("US forces", date="2019-02-01").name
        == "Military Forces of the United States (2017-2021)"
    )
    assert reg.normalise("Military Forces of the United States (2017-2021)").country == "United States"


def test_gendarmerie_and_units(reg):
    assert (
        reg.normalise("gendarmes", country="Mali", date="2018-01-01").name
        == "Police Forces of Mali (2013-2020) Gendarmerie"
    )
    assert (
        reg.normalise("Burkinabe gendarmes", date="2023-01-01").name
        == "Police Forces of Burkina Faso (2022-) Gendarmerie"
    )
    assert (
        reg.normalise("gendarmes", country="Guinea", date="2019-01-01").name
        == "Military Forces of Guinea (2010-2021) Gendarmerie"
    )
    assert (
        reg.normalise("MOC", country="Mali", date="2019-01-01").name
        == "Military Forces of Mali (2013-2020) Operational Coordination Mechanism"
    )


def test_legacy_and_shaped_names(reg):
    # names ACLED used while a period was open map onto the closed period's name
    assert (
        reg.normalise("Military Forces of Burkina Faso (2015-)").name
        == "Military Forces of Burkina Faso (2015-2022)"
    )
    assert reg.normalise("Military Forces of Niger (2021-)").name == "Military Forces of Niger (2021-2023)"
    # per-country names are accepted by shape, with the right inter code
    assert reg.normalise("Civilians (Peru)").inter == 7
    assert reg.normalise("Kouakourou Communal Militia (Mali)").inter == 4
    assert reg.normalise("Peul Ethnic Group (Mali)").name == "Fulani Ethnic Group (Mali)"
    assert reg.normalise("Touareg Ethnic Militia (Niger)").name == "Tuareg Ethnic Militia (Niger)"
    assert reg.normalise("no such group at all") is None


@pytest.mark.parametrize(
    "alias,name",
    [
        ("Katiba Macina", "Katiba Macina"),
        ("FLM", "Katiba Macina"),
        ("Front de libération du Macina", "Katiba Macina"),
        ("Ansarul Islam", "Ansaroul Islam"),
        ("Ansar-ul-Islam", "Ansaroul Islam"),
        ("AQMI", "AQIM: Al Qaeda in the Islamic Maghreb"),
        ("Al-Mourabitoun", "Al Mourabitoune Battalion"),
        ("Dana Amassagou", "Dan Na Ambassagou"),
        ("Koglweogo", "Koglweogo Militia"),
        ("Volontaires pour la défense de la patrie", "VDP: Volunteers for the Defense of the Homeland"),
        ("GATIA", "GATIA: Imghad Tuareg and Allies Self-Defense Group"),
        ("casques bleus", None),
        ("Wagner", "Wagner Group"),
        ("G5 Sahel Joint Force", "G5S: G5 Sahel Force (2017-)"),
        ("Takuba", "Takuba Task Force"),
        ("Dozo hunters", "Dozo Communal Militia (Mali)"),
    ],
)
def test_aliases(reg, alias, name):
    a = reg.normalise(alias, date="2019-06-01")
    if name is None:
        assert a is not None and a.name.startswith("MINUSMA")
    else:
        assert a is not None and a.name == name


def test_inter_affiliation_and_helpers(reg):
    assert reg.inter("JNIM") == 2
    assert reg.inter("Military Forces of Mali (2013-2020)", country="Mali") == 1
    assert (
        reg.inter("Military Forces of Burkina Faso (2015-2022)", country="Mali") == 8
    )  # foreign forces are external
    assert reg.inter("Dan Na Ambassagou") == 4
    assert reg.inter("nonexistent group") == 0
    assert reg.affiliation("Katiba Serma") == "al-Qaeda"
    assert reg.affiliation("ISGS") == "Islamic State"
    assert reg.parent("Katiba Macina").name == "JNIM: Group for Support of Islam and Muslims"
    assert reg.unidentified("Niger").name == "Unidentified Armed Group (Niger)"
    assert reg.civilians("Burkina Faso").name == "Civilians (Burkina Faso)"
    assert reg.coded_as_assoc_of_parent("Katiba Macina")
    assert not reg.coded_as_assoc_of_parent("AQIM: Al Qaeda in the Islamic Maghreb", date="2016-01-01")
    assert reg.coded_as_assoc_of_parent("AQIM: Al Qaeda in the Islamic Maghreb", date="2018-01-01")
    names = canonical_names()
    assert "Civilians (Mali)" in names and "Military Forces of Mali (2021-)" in names and len(names) > 500
    assert split_actors("A; B ;") == ["A", "B"] and split_actors(float("nan")) == []


def test_match_text_offsets_longest_and_word_boundaries(reg):
    text = (
        "Le 3 mai, des hommes armés non identifiés ont attaqué Boni. Suspected JNIM militants of Katiba Macina "
        "ambushed a FAMa convoy; French Barkhane forces responded. A tunisian unit and a JNIMX cell were not involved."
    )
    ms = reg.match_text(text, country="Mali", date="2019-05-03", generic=True)
    got = [(text[m.start : m.end], m.actor.name) for m in ms]
    assert ("hommes armés non identifiés", "Unidentified Armed Group (Mali)") in got
    assert ("JNIM militants", "JNIM: Group for Support of Islam and Muslims") in got
    assert ("Katiba Macina", "Katiba Macina") in got
    assert ("FAMa", "Military Forces of Mali (2013-2020)") in got
    assert any(t.startswith("French Barkhane") and n == "Military Forces of France (2017-)" for t, n in got)
    assert not any(
        "JNIMX" in t or t.lower() == "un" for t, _ in got
    )  # no match inside a word; "un" is not the UN
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    named_only = reg.match_text(text, country="Mali")
    assert all(not m.generic for m in named_only)


def test_short_caps_aliases_need_caps(reg):
    assert [m.actor.name for m in reg.match_text("the MSA and the UN")] == [
        "MSA: Movement for Azawad Salvation",
        "UN: United Nations",
    ]
    assert reg.match_text("the msa said it was un peu") == []


def test_extra_aliases_generalise(reg):
    r2 = reg.with_aliases(
        {
            "FAMA troops": "Military Forces of Mali (2013-2020)",
            "blue berets": "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2020)",
            "motorbike riders": "Unidentified Armed Group (Mali)",
            "nonsense": "No Such Actor",
        }
    )
    assert r2.normalise("motorbike riders", country="Niger").name == "Unidentified Armed Group (Niger)"
    assert r2.normalise("blue berets", date="2019-01-01").name.startswith("MINUSMA")
    assert r2.normalise("nonsense") is None
    assert reg.normalise("motorbike riders", country="Niger") is None  # the original registry is untouched


def test_match_text_is_fast(reg):
    text = (
        "On 4 March, suspected ISGS militants and unidentified gunmen attacked Malian soldiers and villagers near Menaka. "
        * 10
    )
    reg.match_text(text, country="Mali", generic=True)
    t = time.perf_counter()
    for _ in range(200):
        reg.match_text(text, country="Mali", generic=True)
    assert (time.perf_counter() - t) / 200 < 0.005


def test_cli_actors_normalise_and_find(tmp_path):
    from typer.testing import CliRunner

    from sahelwatch.cli import app

    runner = CliRunner()
    res = runner.invoke(
        app, ["actors", "normalise", "EIGS", "--date", "2018-05-01", "-o", str(tmp_path / "a.json")]
    )
    assert res.exit_code == 0, res.output
    import json

    rows = json.loads((tmp_path / "a.json").read_text())
    assert rows[0]["name"] == "Islamic State (Greater Sahara)" and rows[0]["inter"] == 2
    res = runner.invoke(
        app,
        [
            "actors",
            "find",
            "Barkhane and FAMa pursued ISGS fighters",
            "--date",
            "2018-05-01",
            "-o",
            str(tmp_path / "m.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    import pandas as pd

    df = pd.read_csv(tmp_path / "m.csv")
    assert list(df["name"]) == [
        "Military Forces of France (2017-)",
        "Military Forces of Mali (2013-2020)",
        "Islamic State (Greater Sahara)",
    ]
    res = runner.invoke(app, ["actors", "normalise", "no such group"])
    assert res.exit_code == 1


def test_a_leading_article_does_not_hide_a_known_actor():
    from sahelwatch.actors import Registry

    r = Registry.load()
    assert r.normalise("The Malian army", date="2019-05-01").name == "Military Forces of Mali (2013-2020)"
    assert r.normalise("l'armée malienne", date="2019-05-01").name == "Military Forces of Mali (2013-2020)"
    assert r.normalise("the Pentagon", date="2019-05-01").name.startswith(
        "Military Forces of the United States"
    )
    assert r.normalise("The") is None and r.normalise("An unknown group") is None
