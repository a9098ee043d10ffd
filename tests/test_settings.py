"""Settings: defaults < sahelwatch.toml < environment < flags; a custom actor registry given in the settings
reaches extraction, the store's actor filter and the analyses' grouping."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sahelwatch import Settings, workflows
from sahelwatch.actors import Registry
from sahelwatch.analysis.groups import registry_group_map
from sahelwatch.gazetteer import Gazetteer
from sahelwatch.model import Event, Provenance
from sahelwatch.settings import DEFAULT_DB, SettingsError

# an invented group, written for this test: a katiba of JNIM with an alias no shipped actor has
CUSTOM_ACTOR = """
  - name: "Katiba Tessit Test"
    inter: 2
    kind: rebel
    affiliation: al-Qaeda
    parent: "JNIM: Group for Support of Islam and Muslims"
    country: Mali
    active: [2015, null]
    coding: assoc_of_parent
    aliases: [Katiba Tessit Test, KTT fighters, Tessit brigade]
"""


@pytest.fixture(scope="module")
def custom_registry(tmp_path_factory) -> Path:
    shipped = resources.files("sahelwatch.data").joinpath("actors.yaml").read_text("utf-8")
    path = tmp_path_factory.mktemp("registry") / "actors.yaml"
    path.write_text(shipped.rstrip("\n") + "\n" + CUSTOM_ACTOR, "utf-8")  # `actors:` is the last section
    return path


def test_precedence_defaults_file_environment_flags(tmp_path):
    assert Settings.load(env={}, cwd=tmp_path).db == DEFAULT_DB
    (tmp_path / "sahelwatch.toml").write_text(
        '[sahelwatch]\ndb = "from_file.db"\ncountry = "Niger"\nactors = "my/actors.yaml"\n'
    )
    s = Settings.load(env={}, cwd=tmp_path)
    assert s.db == str(tmp_path / "from_file.db") and s.country == "Niger"
    assert s.actors == tmp_path / "my" / "actors.yaml"  # relative to the file's folder
    assert s.config_file == tmp_path / "sahelwatch.toml"
    s = Settings.load(env={"SAHELWATCH_DB": "postgresql://h/db", "SAHELWATCH_COUNTRY": "Mali"}, cwd=tmp_path)
    assert s.db == "postgresql://h/db" and s.country == "Mali"
    s = Settings.load(env={"SAHELWATCH_DB": "postgresql://h/db"}, cwd=tmp_path, db="flag.db", country=None)
    assert s.db == "flag.db" and s.country == "Niger"  # None flags leave the lower levels


def test_bad_configuration_names_the_file_and_key(tmp_path):
    f = tmp_path / "conf.toml"
    f.write_text('dbb = "x.db"\n')
    with pytest.raises(SettingsError, match=r"conf\.toml: unknown setting 'dbb'"):
        Settings.load(f, env={})
    f.write_text("db = [1, 2]\n")
    with pytest.raises(SettingsError, match="db must be a string"):
        Settings.load(f, env={})
    with pytest.raises(SettingsError, match="no such configuration file"):
        Settings.load(tmp_path / "missing.toml", env={})


def test_reference_data_is_loaded_once_per_path(custom_registry):
    assert Registry.load(custom_registry) is Registry.load(str(custom_registry))
    assert Registry.load(custom_registry) is not Registry.load()
    assert Gazetteer.load() is Gazetteer.load()


def test_a_custom_registry_reaches_the_analyses(custom_registry):
    shipped, custom = registry_group_map(), registry_group_map(actors=custom_registry)
    assert shipped("Katiba Tessit Test") == "Katiba Tessit Test"  # unknown: passes through
    assert custom("Katiba Tessit Test") == "JNIM: Group for Support of Islam and Muslims"
    assert custom("Tessit brigade") == "JNIM: Group for Support of Islam and Muslims"
    s = Settings(actors=custom_registry)
    events = pd.DataFrame(
        {
            "actor1": ["Tessit brigade", "Katiba Macina"],
            "assoc_actor_1": [None, None],
            "actor2": ["Civilians (Mali)"] * 2,
            "assoc_actor_2": [None, None],
        }
    )
    from sahelwatch.analysis.groups import side_groups

    groups = side_groups(events, actor_map=workflows.actor_map(s), side=1)
    assert groups == [frozenset({"JNIM: Group for Support of Islam and Muslims"})] * 2


def _event(actor1: str) -> Event:
    return Event(
        event_id_cnty="MLITEST1",
        event_date=pd.Timestamp("2019-05-03").date(),
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1=actor1,
        inter1=2,
        actor2="Military Forces of Mali (2013-2020)",
        inter2=1,
        country="Mali",
        admin1="Mopti",
        location="Boni",
        latitude=15.03,
        longitude=-1.95,
        geo_precision=1,
        fatalities=2,
        provenance=Provenance(method="rule", confidence=0.9),
    )


def test_a_custom_registry_reaches_the_store_filter(custom_registry, tmp_path):
    db = str(tmp_path / "sw.db")
    store = workflows.open_store(Settings(db=db))
    store.add_events([_event("Katiba Tessit Test")], dataset="test")
    assert store.count(actors=["Tessit brigade"]) == 0  # the shipped registry
    store.close()
    custom = workflows.open_store(Settings(db=db, actors=custom_registry))
    assert custom.count(actors=["Tessit brigade"]) == 1  # alias -> canonical name
    assert custom.count(actors=["KTT fighters"]) == 1
    custom.close()


def test_a_custom_registry_reaches_extraction(custom_registry):
    text = "On 3 May 2019, Tessit brigade fighters attacked an army post in Boni, killing two soldiers."
    shipped = workflows.load_pipeline(Settings(country="Mali"))
    custom = workflows.load_pipeline(Settings(country="Mali", actors=custom_registry))
    before = shipped.extract(text, published="2019-05-04").events
    after = custom.extract(text, published="2019-05-04").events
    assert after, "the custom pipeline found no event"
    coded = {after[0].actor1, after[0].assoc_actor_1 or ""}
    assert "Katiba Tessit Test" in " ".join(coded) or after[0].actor1.startswith("JNIM"), after[0]
    assert not before or "Katiba Tessit Test" not in f"{before[0].actor1} {before[0].assoc_actor_1}"


def test_cli_root_option_actors_reaches_the_store_filter(custom_registry, tmp_path):
    from sahelwatch.cli import app

    db = str(tmp_path / "cli.db")
    store = workflows.open_store(Settings(db=db))
    store.add_events([_event("Katiba Tessit Test")], dataset="test")
    store.close()
    runner = CliRunner()
    plain = runner.invoke(app, ["events", "--db", db, "--actor", "Tessit brigade"])
    assert plain.exit_code == 2 and "unknown actor 'Tessit brigade'" in plain.output  # the shipped registry
    res = runner.invoke(
        app, ["--actors", str(custom_registry), "events", "--db", db, "--actor", "Tessit brigade"]
    )
    assert res.exit_code == 0, res.output
    assert "1 events" in res.output
