"""Fail loudly (issue 16, item 2): a missing store, a typo in a filter, a reversed range or a wrong type is
an error that says what is wrong; an empty result says which filter emptied it."""

from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

import sahelwatch
from sahelwatch.cli import app
from sahelwatch.errors import InputError
from sahelwatch.ingest.acled import import_acled
from sahelwatch.store import EventStore
from sahelwatch.store.filters import EmptyResultWarning, FilterError, FilterTypeError, suggest
from sahelwatch.store.pcodes import pcodes_for

from acled_samples import ISGS, sample_rows, write_csv


@pytest.fixture
def filled(store, tmp_path):
    import_acled(store, write_csv(tmp_path / "a.csv", sample_rows()))
    return store


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", [["stats"], ["events"], ["export", "-o", "x.csv"], ["rejections"]])
def test_read_only_commands_on_a_missing_store_fail_and_create_nothing(tmp_path, command):
    db = tmp_path / "typo" / "sub" / "typo.db"
    res = _run(*command, "--db", db)
    assert res.exit_code == 2
    assert f"no store at {db}" in " ".join(res.output.split()) and "sahelwatch import" in res.output
    assert not (tmp_path / "typo").exists()


def test_open_with_create_false_refuses_a_missing_store(tmp_path):
    with pytest.raises(InputError, match="no store at"):
        EventStore.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()
    sahelwatch.open(tmp_path / "made.db").close()  # the API still creates by default
    EventStore.open(tmp_path / "made.db", create=False).close()


@pytest.mark.postgres
def test_create_false_on_an_empty_postgres_database(tmp_path):
    from conftest import _pg_database

    gen = _pg_database()
    url = next(gen)
    try:
        with pytest.raises(InputError, match="no store at"):
            EventStore.open(url, create=False)
    finally:
        for _ in gen:
            pass


def test_iso_codes_are_accepted_for_countries(filled):
    n = len(filled.events(countries=["Mali"]))
    assert n == 4
    assert len(filled.events(countries=["MLI"])) == n and len(filled.events(countries="ML")) == n
    assert len(filled.events(countries=["bfa"])) == 1


def test_a_string_is_one_name_and_other_types_are_refused(filled):
    assert set(filled.events(actors="JNIM")["event_id_cnty"]) == {"MLI9001", "MLI9003"}
    assert len(filled.events(countries="Mali")) == 4
    for bad in (3, {"Mali": 1}, b"Mali", [1, 2]):
        with pytest.raises(FilterTypeError):
            filled.events(countries=bad)
    with pytest.raises(TypeError):
        filled.events(actors=42)


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"countries": ["Mlai"]}, "'Mali'"),
        ({"actors": ["JNMI"]}, "JNIM"),
        ({"admin1": ["Mopt"]}, "'Mopti'"),
        ({"admin2": ["Douenza"]}, "'Douentza'"),
        ({"event_types": ["Batles"]}, "'Battles'"),
    ],
)
def test_unknown_names_are_errors_with_the_closest_known(filled, kw, expected):
    with pytest.raises(FilterError, match="unknown") as info:
        filled.events(**kw)
    assert expected in str(info.value) and "did you mean" in str(info.value)


def test_reversed_dates_are_an_error(filled):
    with pytest.raises(FilterError, match="after until"):
        filled.events(since="2019-05-01", until="2019-01-01")
    res = (
        _run(
            "events",
            "--db",
            filled.url.removeprefix("sqlite:///"),
            "--since",
            "2020-01-01",
            "--until",
            "2019-01-01",
        )
        if filled.dialect == "sqlite"
        else None
    )
    if res is not None:
        assert res.exit_code == 2 and "reversed" in res.output


def test_an_empty_result_says_which_filter_emptied_it(filled):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = filled.events(countries=["Mali"], actors=["ISGS"], since="2019-04-01")
    assert df.empty
    reason = df.attrs["empty_reason"]
    assert "actor 'ISGS'" in reason and "leaves 0" in reason and "country 'Mali'" in reason
    assert any(issubclass(w.category, EmptyResultWarning) for w in caught)
    df = filled.events(countries=["Niger"])  # a real country, no events in the store
    assert "no event matches country 'Niger'" in df.attrs["empty_reason"]


def test_cli_events_prints_why_it_is_empty(tmp_path):
    db = tmp_path / "s.db"
    _run("import", "acled", write_csv(tmp_path / "a.csv", sample_rows()), "--db", db)
    res = _run("events", "--db", db, "--country", "MLI", "--actor", ISGS, "--since", "2019-06-01")
    assert res.exit_code == 0 and "leaves 0" in " ".join(res.output.split())
    res = _run("events", "--db", db, "--actor", "Nobody at all")
    assert res.exit_code == 2 and "unknown actor" in res.output


def test_pcodes_on_events_and_as_filters(filled):
    assert pcodes_for("Mali", "Mopti", "Douentza") == ("ML05", "ML0504")
    assert pcodes_for("Mali", "Timbuktu", None)[0] == "ML06"  # an alias of Tombouctou
    assert pcodes_for("Mali", "Nowhere", None) == (None, None)
    df = filled.events().set_index("event_id_cnty")
    assert df.loc["MLI9001", "admin1_pcode"] == "ML05" and df.loc["MLI9001", "admin2_pcode"] == "ML0504"
    assert df.loc["BFO9001", "admin1_pcode"] == pcodes_for("Burkina Faso", "Sahel")[0] is not None
    assert set(filled.events(admin1=["ML05"])["event_id_cnty"]) == {"MLI9001", "MLI9003"}


def test_suggest_ranks_the_closest_first():
    assert suggest("Tombuctou", ["Gao", "Tombouctou", "Kidal"])[0] == "Tombouctou"
    assert suggest("zzzz", ["Gao"]) == []
