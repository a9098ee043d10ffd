"""Importing ACLED exports: formats, idempotence, versions, bad rows, encodings, interruption."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import sahelwatch
from sahelwatch.errors import InputError
from sahelwatch.ingest.acled import import_acled, import_acled_rows

from acled_samples import CURRENT_HEADER, FAMA, ISGS, JNIM, row, sample_rows, write_csv


def test_current_format_imports_every_row(store, tmp_path):
    f = write_csv(tmp_path / "a.csv", sample_rows())
    rep = import_acled(store, f)
    assert (rep.rows, rep.inserted, rep.rejected) == (5, 5, 0) and rep.balanced()
    df = store.events()
    assert len(df) == 5
    ev = df.set_index("event_id_cnty").loc["MLI9002"]
    assert ev["actor1"] == ISGS and ev["inter2"] == 7 and ev["fatalities"] == 6
    assert ev["disorder_type"] == "Political violence"  # derived from the sub-type
    assert ev["prov_row"] == 3 and ev["dataset"] == "acled"  # header is line 1


def test_same_file_twice_changes_nothing(store, tmp_path):
    f = write_csv(tmp_path / "a.csv", sample_rows())
    import_acled(store, f)
    before = store.events()
    rep = import_acled(store, f)
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 0, 5)
    after = store.events()
    assert before.drop(columns=["import_id"]).equals(after.drop(columns=["import_id"]))
    assert len(store.history("MLI9001")) == 0


def test_newer_version_replaces_and_old_goes_to_history(store, tmp_path):
    rows = sample_rows()
    import_acled(store, write_csv(tmp_path / "v1.csv", rows))
    rows[0]["fatalities"] = 9
    rows[0]["timestamp"] = 1700000000
    rows[1]["fatalities"] = 99  # changed but not newer: the stored version stays
    rep = import_acled(store, write_csv(tmp_path / "v2.csv", rows))
    assert (rep.updated, rep.older_ignored, rep.unchanged) == (1, 1, 3)
    df = store.events().set_index("event_id_cnty")
    assert df.loc["MLI9001", "fatalities"] == 9 and df.loc["MLI9002", "fatalities"] == 6
    hist = store.history("MLI9001")
    assert list(hist["fatalities"]) == [4] and hist["replaced_at"].notna().all()


def _monadic(rows):
    out = []
    for r in rows:
        a = {k: v for k, v in r.items() if k not in ("actor2", "assoc_actor_2", "inter2")}
        out.append(a)
        if r["actor2"]:
            b = dict(a, actor1=r["actor2"], assoc_actor_1=r["assoc_actor_2"], inter1=r["inter2"])
            out.append(b)
    return out


MONADIC_HEADER = [c for c in CURRENT_HEADER if c not in ("actor2", "assoc_actor_2", "inter2")]


@pytest.mark.parametrize("chunk_rows", [20000, 1])
def test_monadic_rows_merge_into_one_event(store, tmp_path, chunk_rows):
    rows = sample_rows()
    f = write_csv(tmp_path / "m.csv", _monadic(rows), MONADIC_HEADER)
    rep = import_acled(store, f, chunk_rows=chunk_rows)
    assert (rep.rows, rep.inserted, rep.merged, rep.rejected) == (9, 5, 4, 0) and rep.balanced()
    df = store.events().set_index("event_id_cnty")
    assert df.loc["MLI9001", "actor1"] == FAMA and df.loc["MLI9001", "actor2"] == JNIM
    assert df.loc["MLI9001", "inter2"] == 2 and df.loc["MLI9004", "inter2"] == 0
    assert df.loc["MLI9002", "assoc_actor_2"] == "Tuareg Ethnic Group (Mali)"
    again = import_acled(store, f, chunk_rows=chunk_rows)
    assert (again.inserted, again.updated, again.unchanged, again.merged) == (0, 0, 5, 4)


def test_monadic_third_row_is_refused_with_its_line(store, tmp_path):
    rows = _monadic(sample_rows()[:1])
    rows.append(dict(rows[1], actor1="Another actor"))
    rep = import_acled(store, write_csv(tmp_path / "m.csv", rows, MONADIC_HEADER))
    assert rep.rejected == 1 and rep.rejections[0].line == 4 and "third row" in rep.rejections[0].reason


def test_old_upper_case_format(store, tmp_path):
    header = [
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
    lines = [
        [
            "432",
            "1MLI",
            "1",
            "16/01/2012",
            "2012",
            "1",
            "Battle-No change of territory",
            "MNLA",
            "",
            "2",
            "Military Forces of Mali (2002-2012)",
            "",
            "1",
            "12",
            "Mali",
            "Gao",
            "Menaka",
            "",
            "Menaka",
            "15.9",
            "2.4",
            "1",
            "AFP",
            "Rebels attacked the army camp.",
            "3",
        ],
        [
            "432",
            "2MLI",
            "2",
            "02/02/2012",
            "2012",
            "1",
            "Riots/Protests",
            "Rioters (Mali)",
            "",
            "5",
            "",
            "",
            "0",
            "50",
            "Mali",
            "Koulikoro",
            "Kati",
            "",
            "Kati",
            "12.74",
            "-8.07",
            "1",
            "AFP",
            "Riot in Kati.",
            "0",
        ],
    ]
    f = tmp_path / "old.csv"
    with open(f, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(lines)
    rep = import_acled(store, f)
    assert rep.inserted == 2 and rep.rejected == 0, rep.rejections
    df = store.events().set_index("event_id_cnty")
    assert str(df.loc["1MLI", "event_date"].date()) == "2012-01-16"
    assert (df.loc["1MLI", "event_type"], df.loc["1MLI", "sub_event_type"]) == ("Battles", "Armed clash")
    assert df.loc["2MLI", "event_type"] == "Riots" and pd.isna(df.loc["2MLI", "sub_event_type"])
    assert df.loc["1MLI", "extra"] == {"gwno": "432", "event_id_no_cnty": "1"}


def test_bad_rows_are_reported_and_the_rest_imports(store, tmp_path):
    rows = sample_rows()
    rows[0]["event_date"] = "31/02/2019x"
    rows[1]["latitude"] = "123.5"
    rows[2]["event_type"] = "Skirmish"
    rows[3]["sub_event_type"] = "Armed clash"  # belongs to Battles, not Protests
    rows.append(row("", "2019-07-01", "Battles", "Armed clash", FAMA, 1, JNIM, 2))
    f = write_csv(tmp_path / "bad.csv", rows)
    rep = import_acled(store, f)
    assert (rep.rows, rep.inserted, rep.rejected) == (6, 1, 5) and rep.balanced()
    got = {(r.line, r.field) for r in rep.rejections}
    assert got == {
        (2, "event_date"),
        (3, "latitude"),
        (4, "event_type"),
        (5, "sub_event_type"),
        (7, "event_id_cnty"),
    }
    assert all(str(f) in str(r) for r in rep.rejections)
    assert "belongs to" in next(r for r in rep.rejections if r.line == 5).reason
    stored = store.rejections(rep.import_id)
    assert len(stored) == 5


def test_strict_aborts_without_writing(store, tmp_path):
    rows = sample_rows()
    rows[4]["latitude"] = "-95"
    rep = import_acled(store, write_csv(tmp_path / "bad.csv", rows), strict=True)
    assert rep.aborted and rep.rejected == 1
    assert store.count() == 0 and len(store.imports()) == 0


def test_quoted_multiline_notes_keep_true_line_numbers(store, tmp_path):
    rows = sample_rows()
    rows[0]["notes"] = "First line.\nSecond line.\nThird."
    rows[2]["fatalities"] = "many"
    rep = import_acled(store, write_csv(tmp_path / "ml.csv", rows))
    assert rep.rejections[0].line == 6 and rep.rejections[0].field == "fatalities"  # 1 header + 2 + 3 lines
    assert store.events(ids=["MLI9001"])["notes"].iloc[0] == "First line.\nSecond line.\nThird."


def test_utf8_bom_and_latin1(store, tmp_path):
    rows = sample_rows()[:2]
    rows[0]["location"] = "Ségou"
    rep = import_acled(store, write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig"))
    assert rep.inserted == 2 and not rep.warnings
    rows[0]["event_id_cnty"], rows[1]["event_id_cnty"] = "MLI9101", "MLI9102"
    rep = import_acled(store, write_csv(tmp_path / "latin.csv", rows, encoding="latin-1"))
    assert rep.inserted == 2 and any("Latin-1" in w for w in rep.warnings)
    assert store.events(ids=["MLI9101"])["location"].iloc[0] == "Ségou"


def test_not_an_acled_file_is_refused_clearly(store, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.csv:1: not an ACLED export: missing column"):
        import_acled(store, f)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        import_acled(store, tmp_path / "empty.csv")


def test_file_without_ids_gets_stable_ids_and_keeps_identical_rows(store, tmp_path):
    header = [
        "",
        "region",
        "country",
        "year",
        "event_date",
        "source",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "event_type",
        "sub_event_type",
        "interaction",
        "fatalities",
        "timestamp",
    ]
    base = {
        "region": "Western Africa",
        "country": "Burkina Faso",
        "year": "2021",
        "event_date": "2021-05-01",
        "source": "Radio",
        "admin1": "Sahel",
        "admin2": "Soum",
        "admin3": "Djibo",
        "location": "Djibo",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "interaction": "27",
        "fatalities": "2",
        "timestamp": "1620000000",
    }
    rows = [dict(base, **{"": "1"}), dict(base, **{"": "2"}), dict(base, **{"": "3", "fatalities": "5"})]
    f = write_csv(tmp_path / "noid.csv", rows, header)
    rep = import_acled(store, f)
    assert rep.inserted == 3 and rep.rejected == 0
    df = store.events()
    assert df["latitude"].isna().all() and df["geo_precision"].isna().all()  # nothing invented
    assert df["interaction"].tolist() == [27, 27, 27] and df["inter1"].isna().all()
    assert sorted(x.startswith("BURSW") for x in df["event_id_cnty"]) == [True] * 3
    assert import_acled(store, f).unchanged == 3


def test_api_rows_use_the_same_checks(store):
    rows = [{k: str(v) for k, v in r.items()} for r in sample_rows()]
    rows[1]["event_date"] = "not a date"
    rep = import_acled_rows(store, rows, source="ACLED API test")
    assert (rep.inserted, rep.rejected) == (4, 1) and rep.rejections[0].line == 2


def test_keyboard_interrupt_leaves_store_as_before(sqlite_store, tmp_path):
    import_acled(sqlite_store, write_csv(tmp_path / "a.csv", sample_rows()[:2]))
    rows = [
        row(f"MLI{10000 + i}", "2019-08-01", "Battles", "Armed clash", FAMA, 1, JNIM, 2) for i in range(50)
    ]
    f = write_csv(tmp_path / "big.csv", rows)
    calls = []

    def boom(_):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_acled(sqlite_store, f, chunk_rows=10, progress=boom)
    assert sqlite_store.count() == 2 and len(sqlite_store.imports()) == 1


@pytest.mark.slow
def test_kill_9_mid_import_leaves_store_as_before(tmp_path):
    db = tmp_path / "k.db"
    s = sahelwatch.open(db)
    import_acled(s, write_csv(tmp_path / "a.csv", sample_rows()))
    s.close()
    rows = [
        row(f"MLI{20000 + i}", "2019-08-01", "Battles", "Armed clash", FAMA, 1, JNIM, 2) for i in range(3000)
    ]
    big = write_csv(tmp_path / "big.csv", rows)
    marker = tmp_path / "started"
    script = textwrap.dedent(f"""
        import time, pathlib, sahelwatch
        from sahelwatch.ingest.acled import import_acled
        s = sahelwatch.open({str(db)!r})
        def slow(_):
            pathlib.Path({str(marker)!r}).write_text("x")
            time.sleep(0.2)
        import_acled(s, {str(big)!r}, chunk_rows=100, progress=slow)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # several chunks written inside the open transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    s = sahelwatch.open(db)
    assert s.count() == 5  # none of the killed import's rows
    assert import_acled(s, big).inserted == 3000  # and the import can simply be run again
