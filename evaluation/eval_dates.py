"""Date exact-match of ``note_date`` on the notes of an ACLED export (default: the Mali 2017-2019 file).

    .venv/bin/python evaluation/eval_dates.py [EXPORT.csv]

Two readings of the reference day, because the notes often omit the year:
  * timestamp: the row's upload day (what `sahelwatch evaluate` uses as publication date);
  * year-end: 31 December of the row's `year` column (an export carries it; the day and month still
    come from the note alone).
Reads ../shared data; prints figures only (no note text).
"""

from __future__ import annotations

import collections
import sys
import datetime as dt

import pandas as pd

from sahelwatch.extract.dates import note_date

PATH = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/acled/acled_mali_2017_2019_monadic.csv"


def main() -> None:
    raw = pd.read_csv(PATH)
    ev = raw.drop_duplicates("event_id_cnty").copy()
    ev["gold"] = pd.to_datetime(ev["event_date"], format="%d %B %Y").dt.date
    ev["ts"] = pd.to_datetime(ev["timestamp"], unit="s").dt.date
    for label, refs in (("timestamp", ev["ts"]), ("year-end", [dt.date(int(y), 12, 31) for y in ev["year"]])):
        ok = prec_ok = found = 0
        errors: collections.Counter[str] = collections.Counter()
        for note, gold, ref, tp in zip(ev["notes"], ev["gold"], refs, ev["time_precision"]):
            m = note_date(str(note), ref)
            if m is None:
                errors["no date found"] += 1
                continue
            found += 1
            if m.date == gold:
                ok += 1
                prec_ok += int(m.time_precision == tp)
            elif (m.date.month, m.date.day) == (gold.month, gold.day):
                errors["wrong year"] += 1
            elif abs((m.date - gold).days) <= 7:
                errors["within a week"] += 1
            else:
                errors["other"] += 1
        n = len(ev)
        print(
            f"reference={label}: date exact {ok / n:.3f} ({ok}/{n}); on notes that state a date {ok / max(found, 1):.3f} "
            f"({ok}/{found}); time_precision agrees on {prec_ok}/{ok} exact dates; no date in the note {n - found}"
        )
        for k, v in errors.most_common():
            print(f"   {k}: {v}")


if __name__ == "__main__":
    main()
