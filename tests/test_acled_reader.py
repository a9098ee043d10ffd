"""train/evaluate read ACLED exports through the importer's reader: every format and date style `import acled`
takes; a file from which no event can be read says why (column and an example value). Exports written here."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from typer.testing import CliRunner

from sahelwatch import workflows
from sahelwatch.errors import InputError
from sahelwatch.extract.pipeline import Pipeline
from sahelwatch.ingest.acled import read_acled

from acled_samples import CURRENT_HEADER, FAMA, row, write_csv

NOTES = [
    (
        "Battles",
        "Armed clash",
        "On {d}, JNIM militants clashed with soldiers near Douentza. {n} soldiers were killed.",
    ),
    ("Violence against civilians", "Attack", "On {d}, unknown gunmen killed {n} villagers in Boni."),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "On {d}, an army vehicle struck an IED near Douentza, {n} soldiers were killed.",
    ),
]


def _excel_rows(n: int = 9) -> list[dict]:
    """A current-format export whose dates were saved by Excel as 16-Feb-21."""
    rows = []
    for i in range(n):
        et, st, note = NOTES[i % 3]
        day = dt.date(2021, 1 + i % 6, 2 + i)
        r = row(
            f"MLI{7000 + i}",
            day.isoformat(),
            et,
            st,
            "JNIM: Group for Support of Islam and Muslims",
            2,
            FAMA if et != "Violence against civilians" else "Civilians (Mali)",
            1 if et != "Violence against civilians" else 7,
            fat=2 + i % 3,
            notes=note.format(d=day.strftime("%-d %B %Y"), n=2 + i % 3),
            ts=int(dt.datetime(2021, 12, 31, tzinfo=dt.timezone.utc).timestamp()),
        )
        r["event_date"] = day.strftime("%d-%b-%y")  # 16-Feb-21
        rows.append(r)
    return rows


LEGACY_HEADER = [
    "GWNO",
    "EVENT_ID_CNTY",
    "EVENT_ID_NO_CNTY",
    "EVENT_DATE",
    "YEAR",
    "TIME_PRECISION",
    "EVENT_TYPE",
    "ACTOR1",
    "ALLY_ACTOR_1",
    "INTER1",
    "ACTOR2",
    "ALLY_ACTOR_2",
    "INTER2",
    "INTERACTION",
    "COUNTRY",
    "ADMIN1",
    "ADMIN2",
    "ADMIN3",
    "LOCATION",
    "LATITUDE",
    "LONGITUDE",
    "GEO_PRECISION",
    "SOURCE",
    "NOTES",
    "FATALITIES",
]
LEGACY = [
    (
        "Battle-No change of territory",
        "On {d}, JNIM militants clashed with soldiers near Douentza. {n} soldiers were killed.",
        1,
    ),
    ("Violence against civilians", "On {d}, unknown gunmen killed {n} villagers in Boni.", 7),
    ("Remote violence", "On {d}, an army vehicle struck an IED near Douentza, {n} soldiers were killed.", 1),
]


def _legacy_export(path, n: int = 6):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(LEGACY_HEADER)
        for i in range(n):
            et, note, i2 = LEGACY[i % 3]
            day = dt.date(2016, 3, 1 + 2 * i)
            actor2 = FAMA if i2 == 1 else "Civilians (Mali)"
            w.writerow(
                [
                    432,
                    f"MLI{5000 + i}",
                    5000 + i,
                    day.strftime("%d/%m/%Y"),
                    2016,
                    1,
                    et,
                    "JNIM: Group for Support of Islam and Muslims",
                    "",
                    2,
                    actor2,
                    "",
                    i2,
                    int(f"2{i2}"),
                    "Mali",
                    "Mopti",
                    "Douentza",
                    "",
                    "Douentza",
                    "15.0",
                    "-2.95",
                    1,
                    "Test Wire",
                    note.format(d=day.strftime("%-d %B %Y"), n=2 + i % 2),
                    2 + i % 2,
                ]
            )
    return path


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline.load(country_focus="Mali")


def test_excel_dates_are_read_like_the_importer_reads_them(tmp_path):
    path = write_csv(tmp_path / "excel.csv", _excel_rows())
    got = read_acled(path)
    assert len(got.frame) == 9 and got.report.rejected == 0
    assert str(got.frame["event_date"].min().date()) == "2021-01-02"


def test_evaluate_scores_every_event_of_an_excel_export(tmp_path, pipeline):
    path = write_csv(tmp_path / "excel.csv", _excel_rows())
    rep = workflows.evaluate_export(path, pipeline=pipeline, published="year-end")
    assert rep.counts["notes"] == 9 and rep.meta["not_scored"] == {}
    assert rep.metrics["date_exact"] >= 0.8 and rep.metrics["event_type_accuracy"] >= 0.6


def test_evaluate_on_an_old_upper_case_export_scores_mapped_types_and_says_what_it_cannot(tmp_path, pipeline):
    path = _legacy_export(tmp_path / "legacy.csv")
    got = read_acled(path)
    assert got.legacy and len(got.frame) == 6
    assert set(got.frame["event_type"]) == {
        "Battles",
        "Violence against civilians",
        "Explosions/Remote violence",
    }
    rep = workflows.evaluate_export(path, pipeline=pipeline, published="year-end")
    assert rep.counts["notes"] == 6
    assert rep.metrics["event_type_accuracy"] is not None and rep.metrics["event_type_accuracy"] >= 0.5
    # the battles map to Armed clash; the others have no sub-event type in the old format: scored on the battles
    assert rep.counts["notes_with_sub_event_type"] == 2
    assert "the 2 of 6 events" in rep.meta["partly_scored"]["sub_event_type_f1"]
    assert rep.meta["format"].startswith("old upper-case")


def test_a_legacy_export_without_any_sub_type_says_so(tmp_path, pipeline):
    path = tmp_path / "legacy_vac.csv"
    _legacy_export(path)
    lines = path.read_text().splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if "Battle-" not in ln]
    path.write_text("\n".join(keep) + "\n")
    rep = workflows.evaluate_export(path, pipeline=pipeline, published="year-end")
    assert rep.metrics["sub_event_type_f1"] is None
    assert "sub_event_type" in rep.meta["not_scored"]["sub_event_type_f1"]


def test_no_readable_event_names_the_column_and_an_example(tmp_path):
    rows = _excel_rows(4)
    for r in rows:
        r["event_date"] = "sometime in spring"
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError, match=r"column event_date: cannot read the date.*'sometime in spring'"):
        workflows.read_acled_export(path)
    from sahelwatch.cli import app

    res = CliRunner().invoke(app, ["evaluate", "--acled", str(path)])
    said = " ".join(res.output.split())  # the console wraps long lines
    assert res.exit_code == 2 and "column event_date" in said and "'sometime in spring'" in said


def test_not_an_acled_file_is_refused_with_its_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\nx,1\n")
    with pytest.raises(InputError, match="not an ACLED export: missing column"):
        workflows.read_acled_export(path)


def test_cli_evaluate_on_an_excel_export(tmp_path):
    from sahelwatch.cli import app

    path = write_csv(tmp_path / "excel.csv", _excel_rows(6), header=CURRENT_HEADER)
    res = CliRunner().invoke(app, ["evaluate", "--acled", str(path), "--published", "year-end"])
    assert res.exit_code == 0, res.output
    assert "6 events scored (current, dyadic export)" in res.output
