"""Integrity of imports (issue 16, item 1): a monadic pair is accepted or refused as a whole, every
physical line of a file is accounted for, and the corrected file then imports exactly the right events."""

from __future__ import annotations

import pandas as pd
import pytest

import sahelwatch
from sahelwatch.ingest.acled import import_acled

from acled_samples import CURRENT_HEADER, FAMA, JNIM, row, sample_rows, write_csv

MONADIC_HEADER = [c for c in CURRENT_HEADER if c not in ("actor2", "assoc_actor_2", "inter2")]


def _monadic(rows):
    out = []
    for r in rows:
        a = {k: v for k, v in r.items() if k not in ("actor2", "assoc_actor_2", "inter2")}
        out.append(a)
        if r["actor2"]:
            out.append(dict(a, actor1=r["actor2"], assoc_actor_1=r["assoc_actor_2"], inter1=r["inter2"]))
    return out


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _events(store):
    return store.events().drop(columns=["import_id", "prov_file"]).reset_index(drop=True)


@pytest.mark.parametrize("chunk_rows", [20000, 1])
def test_monadic_pair_with_a_bad_second_row_is_refused_whole(store, tmp_path, chunk_rows):
    rows = _monadic(sample_rows())  # lines: 2 MLI9001 FAMA, 3 MLI9001 JNIM, 4 MLI9002 ISGS, 5 civilians...
    rows[3]["fatalities"] = "six"  # second row of MLI9002 (line 5)
    rep = import_acled(store, write_csv(tmp_path / "m.csv", rows, MONADIC_HEADER), chunk_rows=chunk_rows)
    assert "MLI9002" not in set(store.events()["event_id_cnty"])  # not ISGS alone, not civilians alone
    by_line = {r.line: r for r in rep.rejections}
    assert by_line[5].field == "fatalities"
    assert "refused as a whole" in by_line[4].reason and "line 5" in by_line[4].reason
    assert "lines 4 and 5" in by_line[4].reason and "fatalities" in by_line[4].reason
    assert rep.rejected == 2 and rep.balanced()


def test_monadic_pair_with_a_truncated_row_is_refused_whole(store, tmp_path):
    f = write_csv(tmp_path / "m.csv", _monadic(sample_rows()), MONADIC_HEADER)
    lines = _lines(f)
    lines[4] = lines[4][: len(lines[4]) // 2] + "\n"  # line 5 (second row of MLI9002) cut in half
    f.write_text("".join(lines), encoding="utf-8")
    rep = import_acled(store, f)
    df = store.events().set_index("event_id_cnty")
    assert "MLI9002" not in df.index
    assert df.loc["MLI9001", "actor2"] == JNIM  # the other pairs are whole
    reasons = {r.line: r.reason for r in rep.rejections}
    assert "fields where the header has" in reasons[5]
    assert "refused as a whole" in reasons[4] and "line 5" in reasons[4]
    assert rep.balanced()


def test_first_row_refused_refuses_the_second(store, tmp_path):
    rows = _monadic(sample_rows())
    rows[2]["event_date"] = "31/31/2019"  # line 4, first row of MLI9002
    rep = import_acled(store, write_csv(tmp_path / "m.csv", rows, MONADIC_HEADER))
    assert "MLI9002" not in set(store.events()["event_id_cnty"])
    second = next(r for r in rep.rejections if r.line == 5)
    assert "line 4" in second.reason and "event_date" in second.reason


def test_unclosed_quote_is_a_quoting_problem_and_every_line_is_counted(store, tmp_path):
    rows = sample_rows() + [
        row(f"MLI91{i:02d}", "2019-07-01", "Battles", "Armed clash", FAMA, 1, JNIM, 2) for i in range(7)
    ]
    good = write_csv(tmp_path / "good.csv", rows)
    lines = _lines(good)
    assert len(lines) == 13  # header + 12 data lines
    # line 5: the notes field opens a quote that is never closed; the reader joins line 6 into it
    lines[4] = lines[4].replace('test event MLI9004.",', "test event MLI9004.,")
    assert lines[4] != _lines(good)[4]
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    rep = import_acled(store, broken)
    assert rep.lines == 12 and rep.rows == 12 and rep.balanced(), rep.summary()
    q = next(r for r in rep.rejections if r.field == "(quoting)")
    assert q.line == 5 and "quoting problem" in q.reason and "line 5" in q.reason
    assert "lines 5-6" in q.reason and "resynchronised at line 7" in q.reason
    swallowed = next(r for r in rep.rejections if r.line == 6)
    assert "quoted field opened on line 5" in swallowed.reason
    ids = set(store.events()["event_id_cnty"])
    assert "MLI9004" not in ids and "BFO9001" not in ids and len(ids) == 10
    assert "12 rows read from 12 lines" in rep.summary()

    again = import_acled(store, good)  # the corrected file
    fresh = sahelwatch.open(tmp_path / "fresh.db")
    import_acled(fresh, good)
    assert again.inserted == 2 and again.unchanged == 10
    pd.testing.assert_frame_equal(
        _events(store).drop(columns=["prov_row"]), _events(fresh).drop(columns=["prov_row"])
    )
    fresh.close()


def test_unclosed_quote_in_a_monadic_file_refuses_the_pairs_it_touches(store, tmp_path):
    f = write_csv(tmp_path / "m.csv", _monadic(sample_rows()), MONADIC_HEADER)
    lines = _lines(f)  # line 3 = MLI9001 second row; line 4 = MLI9002 first row; line 5 its second row
    lines[2] = lines[2].replace('4 killed.",', "4 killed.,")
    f.write_text("".join(lines), encoding="utf-8")
    rep = import_acled(store, f)
    ids = set(store.events()["event_id_cnty"])
    assert "MLI9001" not in ids and "MLI9002" not in ids  # line 4 (MLI9002's first row) was swallowed
    reasons = {r.line: r.reason for r in rep.rejections}
    assert "refused as a whole" in reasons[2] and "refused as a whole" in reasons[5]
    assert rep.balanced() and rep.lines == 9
    for r in rep.rejections:
        assert r.line in range(2, 10)
    # no event is stored with one side of a pair only
    df = store.events().set_index("event_id_cnty")
    for eid in ("MLI9002", "MLI9003"):
        if eid in df.index:
            assert isinstance(df.loc[eid, "actor2"], str)


def test_legitimate_line_breaks_in_notes_are_accounted(store, tmp_path):
    rows = sample_rows()
    rows[0]["notes"] = "First line.\nSecond line, with a comma.\nThird."
    with_blank = write_csv(tmp_path / "ml.csv", rows)
    with_blank.write_text(with_blank.read_text() + "\n", encoding="utf-8")
    rep = import_acled(store, with_blank)
    assert rep.inserted == 5 and rep.rejected == 0
    assert (rep.lines, rep.rows, rep.continuation_lines, rep.blank_lines) == (8, 5, 2, 1) and rep.balanced()
    assert "2 more in quoted line breaks" in rep.summary() and "1 blank" in rep.summary()


def test_grouped_warnings_give_a_count_and_the_first_lines(store, tmp_path):
    rows = sample_rows() * 1
    rows = [dict(r, event_id_cnty=f"{r['event_id_cnty']}{k}", fatalities="x") for k in range(3) for r in rows]
    rep = import_acled(store, write_csv(tmp_path / "bad.csv", rows))
    grouped = rep.grouped_warnings()
    assert len(grouped) == 1
    assert "fatalities: not a whole number: 15 rows (lines 2, 3, 4, 5, 6, …)" in grouped[0]
