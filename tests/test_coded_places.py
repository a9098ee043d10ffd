"""Places and regions learned from a user's own coded events (extract/coded_places.py), on an export
written by the test: invented events at real Malian places."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sahelwatch.extract import coded_places as cp
from sahelwatch.extract.pipeline import Pipeline
from sahelwatch.extract.places import resolve_places
from sahelwatch.workflows import train_model
from sahelwatch.gazetteer import Gazetteer

# (location, admin1, admin2, admin3, lat, lon, note)
CODED = [
    # a town GeoNames 2014 lacks, spelled two ways in the notes
    (
        "Boulikessi",
        "Mopti",
        "Douentza",
        "Mondoro",
        14.80,
        -1.32,
        "Militants attacked the army camp of Boulkessi, two soldiers were killed.",
    ),
    (
        "Boulikessi",
        "Mopti",
        "Douentza",
        "Mondoro",
        14.80,
        -1.32,
        "Gunmen on motorbikes fired on a patrol in Boulikessi.",
    ),
    # one of ten places called Douna, coded several times
    ("Douna", "Mopti", "Douentza", "Mondoro", 15.11, -1.735, "An IED hit a vehicle near Douna."),
    ("Douna", "Mopti", "Douentza", "Mondoro", 15.11, -1.735, "Unknown gunmen abducted a herder in Douna."),
    ("Douna", "Mopti", "Douentza", "Mondoro", 15.11, -1.735, "Soldiers arrested three men in Douna."),
    # GeoNames codes Anefis under Gao; the export under Kidal
    ("Anefis", "Kidal", "Kidal", "Anefif", 18.04, 0.6011, "Armed men attacked a checkpoint in Anefis."),
]


def export_frame(rows=CODED, geo_precision=1) -> pd.DataFrame:
    recs = []
    for k, (loc, a1, a2, a3, lat, lon, note) in enumerate(rows):
        recs.append(
            {
                "event_id_cnty": f"TST{k}",
                "event_date": pd.Timestamp(2018, 1 + k % 12, 3),
                "country": "Mali",
                "admin1": a1,
                "admin2": a2,
                "admin3": a3,
                "location": loc,
                "latitude": lat,
                "longitude": lon,
                "geo_precision": geo_precision,
                "notes": note,
            }
        )
    return pd.DataFrame(recs)


@pytest.fixture(scope="module")
def learned():
    return cp.learn_places(export_frame())


def test_learn_places_groups_events_matches_geonames_and_finds_spellings(learned):
    by = {p.name: p for p in learned}
    assert set(by) == {"Boulikessi", "Douna", "Anefis"}
    assert by["Douna"].events == 3 and by["Boulikessi"].events == 2
    assert by["Douna"].geonameid == 2458257  # the GeoNames record at the coded point
    assert by["Anefis"].geonameid == 2461022
    assert by["Boulikessi"].geonameid is None  # GeoNames lacks it: a new place
    assert by["Boulikessi"].aliases == ["Boulkessi"]  # the notes' other spelling


def test_region_capitals_are_not_learned():
    # geo_precision 3 is a region's capital standing for the region: no place knowledge in it
    assert cp.learn_places(export_frame(geo_precision=3)) == []


def test_overlay_adds_missing_places_priors_and_admin_names(learned):
    base = Gazetteer.load()
    assert resolve_places("Gunmen attacked an army post in Boulkessi.", "Mali") == []
    plain = resolve_places("Gunmen attacked the village of Douna.", "Mali")
    assert plain and plain[0].admin1 == "Segou"  # without the export: another Douna wins
    gz = cp.overlay(base, learned)
    m = resolve_places("Gunmen attacked an army post in Boulkessi.", "Mali", gazetteer=gz)
    assert m and (m[0].latitude, m[0].longitude) == (14.80, -1.32) and m[0].admin2 == "Douentza"
    m = resolve_places("Gunmen attacked the village of Douna.", "Mali", gazetteer=gz)
    assert (m[0].admin1, m[0].admin2, round(m[0].latitude, 2)) == ("Mopti", "Douentza", 15.11)
    m = resolve_places("Militants attacked a camp in Anefis.", "Mali", gazetteer=gz)
    assert m[0].admin1 == "Kidal"
    # the shipped gazetteer is untouched
    assert (
        not base.lookup("Boulikessi", country="ML")
        and base.prior(base.lookup("Douna", country="ML")[0]) == 0.0
    )
    # admin names given with a place still outweigh the prior
    m = resolve_places("Gunmen attacked Douna (Bla, Segou).", "Mali", gazetteer=gz)
    assert m[0].admin1 == "Segou"


def test_prior_weight_grows_slowly_and_is_capped():
    assert cp.prior_weight(0) == 0.0
    assert 0 < cp.prior_weight(1) < cp.prior_weight(4) < cp.prior_weight(64) <= cp.PRIOR_CAP
    assert cp.prior_weight(10_000) == cp.PRIOR_CAP


def test_save_and_load_round_trip(learned, tmp_path):
    f = cp.save_places(learned, tmp_path)
    assert f.name == cp.CODED_FILE
    assert cp.load_places(tmp_path) == learned


def test_a_bad_row_names_the_file_and_line(learned, tmp_path):
    f = cp.save_places(learned, tmp_path)
    lines = f.read_text("utf-8").splitlines()
    lines[2] = (
        lines[2].replace("\t3\t", "\tthree\t", 1)
        if "\t3\t" in lines[2]
        else lines[2].replace("\t2\t", "\ttwo\t", 1)
    )
    f.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(ValueError, match=rf"{cp.CODED_FILE}:3: bad coded place"):
        cp.load_places(tmp_path)
    (tmp_path / cp.CODED_FILE).write_text("a\tb\n", "utf-8")
    with pytest.raises(ValueError, match=":1: not a coded-places file"):
        cp.load_places(tmp_path)


def test_region_model_learns_where_notes_are_from():
    notes, admin1 = [], []
    for i in range(15):
        notes.append(f"Rockets struck the Super Camp near the airport, {i} peacekeepers wounded.")
        admin1.append("Tombouctou")
        notes.append(f"Dozo hunters and Dogon militiamen attacked a Fulani hamlet, {i} villagers killed.")
        admin1.append("Mopti")
    m = cp.RegionModel.fit(notes, ["Mali"] * len(notes), admin1)
    a1, p = m.predict("A mortar attack on the Super Camp was repelled.", "Mali")
    assert a1 == "Tombouctou" and 0.5 < p <= 1.0
    assert m.predict("Dogon militiamen burned a Fulani hamlet.", "Mali")[0] == "Mopti"
    assert m.predict("anything", "Niger") is None  # a country it has not seen
    probs = m.probabilities("Dozo hunters attacked a hamlet.", "Mali")
    assert set(probs) == {"Mopti", "Tombouctou"} and abs(sum(probs.values()) - 1) < 1e-9
    assert cp.RegionModel.fit(notes[:5], ["Mali"] * 5, admin1[:5]) is None  # too few notes


def _export_csv(path):
    """An ACLED-style export: 24 events at Boulikessi (unknown to GeoNames), 24 at Douna (Douentza) and
    24 at Ansongo (Gao)."""
    rows = []
    k = 0
    for y in (2017, 2018):
        for i in range(12):
            day = dt.date(y, 1 + i, 5)
            for loc, (a1, a2, a3), lat, lon, note in (
                (
                    "Boulikessi",
                    ("Mopti", "Douentza", "Mondoro"),
                    14.80,
                    -1.32,
                    "On {d}, militants attacked the army camp of Boulkessi, {n} soldiers were killed.",
                ),
                (
                    "Douna",
                    ("Mopti", "Douentza", "Mondoro"),
                    15.11,
                    -1.735,
                    "On {d}, unknown gunmen killed {n} villagers in Douna.",
                ),
                (
                    "Ansongo",
                    ("Gao", "Ansongo", "Ansongo"),
                    15.66,
                    0.50,
                    "On {d}, unknown gunmen killed {n} traders at the market of Ansongo.",
                ),
            ):
                k += 1
                n = 2 + i % 3
                soldiers = "camp" in note
                base = {
                    "event_id_cnty": f"TST{k}",
                    "event_date": day.strftime("%d %B %Y"),
                    "year": y,
                    "time_precision": 1,
                    "event_type": "Battles" if soldiers else "Violence against civilians",
                    "sub_event_type": "Armed clash" if soldiers else "Attack",
                    "actor1": "Unidentified Armed Group (Mali)",
                    "assoc_actor_1": None,
                    "inter1": 3,
                    "interaction": 13 if soldiers else 37,
                    "country": "Mali",
                    "admin1": a1,
                    "admin2": a2,
                    "admin3": a3,
                    "location": loc,
                    "latitude": lat,
                    "longitude": lon,
                    "geo_precision": 1,
                    "source": "test",
                    "notes": note.format(d=day.strftime("%-d %B %Y"), n=n),
                    "fatalities": n,
                    "timestamp": int(dt.datetime(y, 12, 31, tzinfo=dt.timezone.utc).timestamp()),
                }
                rows.append(base)
                rows.append(
                    {
                        **base,
                        "actor1": "Military Forces of Mali (2013-2020)" if soldiers else "Civilians (Mali)",
                        "inter1": 1 if soldiers else 7,
                    }
                )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_train_writes_coded_places_and_the_pipeline_uses_them(tmp_path):
    export = _export_csv(tmp_path / "export.csv")
    rules = Pipeline.load(country_focus="Mali")
    rep = train_model(export, tmp_path / "model", pipeline=rules, published="year-end")
    assert rep.places_learned == 3
    assert (tmp_path / "model" / cp.CODED_FILE).exists() and (tmp_path / "model" / cp.REGION_FILE).exists()
    text = "On 3 March 2019, militants attacked a post in Boulkessi, two soldiers were killed."
    assert (
        rules.extract(text, published="2019-12-31").events[0].latitude is None
        or rules.extract(text, published="2019-12-31").events[0].location != "Boulikessi"
    )
    trained = Pipeline.load(tmp_path / "model", country_focus="Mali")
    e = trained.extract(text, published="2019-12-31").events[0]
    assert (e.location, e.admin1, e.admin2, e.geo_precision) == ("Boulikessi", "Mopti", "Douentza", 1)
    # a note naming no place: the region the note's words point to, flagged and at precision 3
    e = trained.extract(
        "On 3 March 2019, militants attacked an army camp, two soldiers were killed.", published="2019-12-31"
    ).events[0]
    assert e.admin1 == "Mopti" and e.geo_precision == 3 and "location_from_context" in (e.tags or "")
    assert e.extra["location_rule"].startswith("admin1 from the note's words")


def test_region_probabilities_match_scikit_learn():
    import numpy as np

    notes = (
        [f"Rockets hit the Super Camp, {i} wounded." for i in range(12)]
        + [f"Dozo hunters attacked a Fulani hamlet, {i} killed." for i in range(12)]
        + [f"Gunmen robbed traders on the road to the gold mine, {i} hurt." for i in range(12)]
    )
    admin1 = ["Tombouctou"] * 12 + ["Mopti"] * 12 + ["Kayes"] * 12
    for n in (24, 36):  # two classes (one logit) and three
        m = cp.RegionModel.fit(notes[:n], ["Mali"] * n, admin1[:n])
        t = "Dozo hunters attacked the Super Camp."
        want = m.clf.predict_proba(m.vectorizer.transform([t]))[0]
        assert np.allclose(m._proba(t), want)
        probs = m.probabilities(t, "Mali")
        assert np.allclose([probs[str(c).split("|")[1]] for c in m.clf.classes_], want)
