"""Articles evaluation (extract.evaluate_articles): gold folders, matching and scoring, the full pipeline run
and `sahelwatch evaluate --articles`, on articles and gold written for these tests."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sahelwatch.errors import InputError
from sahelwatch.extract import evaluate_articles as ea

SCORER = Path(__file__).resolve().parents[1] / ".." / "shared" / "tools" / "score_articles.py"

EN = (
    "BAMAKO, 12 March 2019 - Gunmen killed five villagers in Boni on Monday, residents said. "
    "The attackers fled on motorbikes towards the forest. Officials said the army had reinforced the area. "
    "A local leader said several families had left. Markets stayed closed. Schools were shut. "
    "Thousands have fled the region since 2015."
)
FR = (
    "Des hommes armés ont tué trois civils mardi à Djibo, dans la province du Soum, selon des sources locales. "
    "Les assaillants ont pris la fuite. Le gouverneur a condamné l'attaque. Les écoles restent fermées. "
    "Les habitants ont peur. Des renforts sont arrivés."
)


def gold_event(**kw):
    e = {
        "event_date": "2019-03-11",
        "time_precision": 1,
        "country": "Mali",
        "admin1": "Mopti",
        "location": "Boni",
        "geo_precision": 1,
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "Unidentified Armed Group (Mali)",
        "assoc_actor_1": None,
        "actor2": "Civilians (Mali)",
        "fatalities": 5,
        "evidence": "Gunmen killed five villagers in Boni on Monday",
    }
    e.update(kw)
    return e


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    (d / "a01.txt").write_text(EN, encoding="utf-8")
    (d / "a02.txt").write_text(FR, encoding="utf-8")
    gold = [
        {
            "doc": "a01.txt",
            "lang": "en",
            "country_focus": "Mali",
            "published": "2019-03-12",
            "events": [gold_event()],
            "not_events": [],
        },
        {
            "doc": "a02.txt",
            "lang": "fr",
            "country_focus": "Burkina Faso",
            "published": "2019-03-13",
            "events": [
                gold_event(
                    event_date="2019-03-12",
                    country="Burkina Faso",
                    admin1="Sahel",
                    location="Djibo",
                    actor1="Unidentified Armed Group (Burkina Faso)",
                    actor2="Civilians (Burkina Faso)",
                    fatalities=3,
                )
            ],
        },
    ]
    (d / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return d


def write_pred(path: Path, rows: list[dict]):
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = [
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "admin1",
        "location",
        "fatalities",
        "sentence",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})


def pred(**kw):
    r = {
        "event_date": "2019-03-11",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "Unidentified Armed Group (Mali)",
        "actor2": "Civilians (Mali)",
        "admin1": "Mopti",
        "location": "Boni",
        "fatalities": "5",
    }
    r.update(kw)
    return r


# ---------------------------------------------------------------------------------------------- matching rules


def test_place_and_actor_rules():
    assert ea.places_agree("Djibo", "djibo")
    assert ea.places_agree("Ségou", "Segou region")  # one is a word of the other
    assert ea.places_agree("Tombouctou", "Tomb")  # one starts with the other
    assert not ea.places_agree("Boni", "Bamako")
    assert not ea.places_agree("", "Boni")
    assert ea.actor_family("Military Forces of Mali (2021-)") == ea.actor_family(
        "Military Forces of Mali (2013-2020)"
    )
    assert ea.actor_family("Military Forces of Mali (2021-)") != ea.actor_family(
        "Military Forces of Niger (2021-)"
    )


def test_perfect_predictions_score_one(folder, tmp_path):
    p = tmp_path / "pred"
    write_pred(p / "a01.csv", [pred()])
    write_pred(
        p / "a02.csv",
        [
            pred(
                event_date="2019-03-12",
                admin1="Sahel",
                location="Djibo",
                fatalities="3",
                actor1="Unidentified Armed Group (Burkina Faso)",
                actor2="Civilians (Burkina Faso)",
            )
        ],
    )
    rep = ea.score_folder(folder, p)
    o = rep.overall
    assert (o["event_recall"], o["event_precision"], o["event_f1"], o["end_to_end"]) == (1.0, 1.0, 1.0, 1.0)
    assert all(o[f"{k}_matched"] == 1.0 for k in ea.FIELDS)
    assert set(rep.by_language) == {"en", "fr"} and rep.by_language["fr"]["gold_events"] == 1


def test_a_match_needs_the_day_within_one_or_the_place(folder, tmp_path):
    p = tmp_path / "pred"
    # two days off and elsewhere: no match, so one miss and one spurious prediction
    write_pred(p / "a01.csv", [pred(event_date="2019-03-09", location="Mopti")])
    rep = ea.score_folder(folder, p)
    en = rep.by_language["en"]
    assert en["event_recall"] == 0.0 and en["event_precision"] == 0.0 and en["predicted_events"] == 1
    # a day off, other place: matched, with the date and place wrong
    write_pred(p / "a01.csv", [pred(event_date="2019-03-10", location="Mopti")])
    m = ea.score_folder(folder, p).matches[0]
    assert m.pred_index == 0 and m.fields["date"] == 0 and m.fields["place"] == 0 and m.e2e == 0
    # two days off but the same place: matched, date wrong
    write_pred(p / "a01.csv", [pred(event_date="2019-03-09")])
    m = ea.score_folder(folder, p).matches[0]
    assert m.pred_index == 0 and m.fields["date"] == 0 and m.fields["place"] == 1


def test_one_to_one_best_agreement_first(folder, tmp_path):
    p = tmp_path / "pred"
    # the second prediction agrees better (same day and type): it takes the gold event, the first is spurious
    write_pred(
        p / "a01.csv",
        [pred(event_type="Battles", sub_event_type="Armed clash", event_date="2019-03-12"), pred()],
    )
    rep = ea.score_folder(folder, p)
    m = rep.matches[0]
    assert m.pred_index == 1 and m.e2e == 1
    assert rep.by_language["en"]["event_precision"] == 0.5
    listing = ea.render_errors(rep)
    assert "SPURIOUS" in listing and "Battles" in listing and "MISSED" in listing  # a02 has no file: missed


def test_field_accuracies_are_over_matched_events(folder, tmp_path):
    p = tmp_path / "pred"
    write_pred(
        p / "a01.csv",
        [pred(actor1="JNIM: Group for Support of Islam and Muslims", fatalities="4.0", admin1="Ségou")],
    )
    rep = ea.score_folder(folder, p)
    en = rep.by_language["en"]
    assert en["a1_matched"] == 0.0 and en["fat_matched"] == 0.0 and en["adm1_matched"] == 0.0
    assert en["etype_matched"] == 1.0 and en["end_to_end"] == 0.0
    o = rep.overall  # the missed French event counts in recall, not in the field accuracies
    assert o["event_recall"] == 0.5 and o["etype_matched"] == 1.0
    text = ea.render_errors(rep, only=["a1"])
    assert "actor1: 'Unidentified Armed Group (Mali)' -> 'JNIM" in text and "fatalities:" not in text


def test_bad_gold_folders_are_named(tmp_path):
    with pytest.raises(InputError, match="gold.json: missing"):
        ea.load_gold(tmp_path)
    (tmp_path / "gold.json").write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        ea.load_gold(tmp_path)
    (tmp_path / "gold.json").write_text(json.dumps([{"doc": "x.txt", "events": []}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"'x.txt'.*missing"):
        ea.load_gold(tmp_path)
    (tmp_path / "x.txt").write_text("text", encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps([{"doc": "x.txt", "published": "12/03/2019"}]), "utf-8")
    with pytest.raises(InputError, match="published '12/03/2019' is not a date"):
        ea.load_gold(tmp_path)


@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/tools/score_articles.py is absent (shared data)")
def test_the_library_scores_as_the_shared_scorer(folder, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("score_articles", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    p = tmp_path / "pred"
    write_pred(
        p / "a01.csv",
        [
            pred(event_date="2019-03-10", actor1="Military Forces of Mali (2013-2020)"),
            pred(location="Bamako", event_date="2019-03-12", fatalities="0"),
        ],
    )
    write_pred(
        p / "a02.csv", [pred(event_date="2019-03-13", location="Djibo", admin1="Sahel", fatalities="3")]
    )
    scorer.main(str(folder), str(p))
    official = json.loads(capsys.readouterr().err)
    own = ea.score_folder(folder, p).overall
    for k in (
        "event_recall",
        "event_precision",
        "event_f1",
        "end_to_end",
        *[f"{f}_matched" for f in ea.FIELDS],
    ):
        assert own[k] == pytest.approx(official[k]), k


# ---------------------------------------------------------------------------------------------- full pipeline


def test_full_pipeline_writes_one_csv_per_document(folder, tmp_path):
    from sahelwatch.extract.pipeline import Pipeline
    from sahelwatch.ingest.documents import read_document

    out = tmp_path / "pred"
    rep = ea.evaluate_articles(folder, out, Pipeline.load(lang="en"), read_document)
    assert sorted(f.name for f in out.iterdir()) == ["a01.csv", "a02.csv"]
    rows = ea.read_prediction_file(out / "a01.csv")
    assert rows and rows[0]["event_date"] == "2019-03-11"  # 'Monday' against the gold's publication day
    assert rows[0]["location"] == "Boni" and rows[0]["sentence"].startswith("BAMAKO") is False
    assert rep.overall["gold_events"] == 2 and rep.by_language["en"]["event_recall"] == 1.0
    fr = ea.read_prediction_file(out / "a02.csv")
    assert fr and fr[0]["location"] == "Djibo" and fr[0]["event_date"] == "2019-03-12"  # 'mardi'
    with pytest.raises(InputError, match="no document zz"):
        ea.evaluate_articles(folder, out, None, read_document, docs=["zz"])


def test_cli_evaluate_articles(folder, tmp_path):
    from sahelwatch.cli import app

    res = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--articles",
            str(folder),
            "--json",
            str(tmp_path / "m.json"),
            "--predictions",
            str(tmp_path / "p"),
            "--errors",
        ],
    )
    assert res.exit_code == 0, res.output
    m = json.loads((tmp_path / "m.json").read_text())
    assert m["gold_events"] == 2 and set(m["by_language"]) == {"en", "fr"}
    assert "event recall" in res.output and (tmp_path / "p" / "a01.csv").is_file()
    res = CliRunner().invoke(app, ["evaluate", "--articles", str(tmp_path)])
    assert res.exit_code != 0 and "missing (an articles folder" in " ".join(res.output.split())
    res = CliRunner().invoke(app, ["evaluate"])
    assert res.exit_code != 0 and "--articles" in res.output
