"""Fatalities exact-match of ``count_casualties`` on the notes of an ACLED export.

    .venv/bin/python evaluation/eval_numbers.py [EXPORT.csv] [--show N]

Every unique event's note is read alone (deaths without a number take ACLED's limited-attack default, 3);
the count is compared with the coded ``fatalities``. Errors are grouped by category. Reads ../shared
data and prints figures only; ``--show N`` prints N error cases locally for development (never commit them).
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path
import json
import time

import pandas as pd

from sahelwatch.extract.numbers import count_casualties

DEFAULT = "/work/shared/data/acled/acled_mali_2017_2019_monadic.csv"


def category(pred, gold: int) -> str:
    if pred.fatalities == gold:
        return "exact"
    if gold == 0 and pred.fatalities > 0:
        return "counted deaths where ACLED coded 0" + (" (unspecified default)" if pred.unspecified else "")
    if gold > 0 and pred.fatalities == 0:
        return "missed deaths (predicted 0)"
    if pred.unspecified:
        return "unspecified default, ACLED coded a number"
    return "over-count" if pred.fatalities > gold else "under-count"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=DEFAULT)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--significant", action="store_true", help="code unspecified deaths as 10 instead of 3")
    ap.add_argument("--json", type=Path, help="write the figures here (for evaluation.run_all)")
    args = ap.parse_args()
    ev = pd.read_csv(args.path).drop_duplicates("event_id_cnty")
    cats: collections.Counter[str] = collections.Counter()
    by_year: collections.Counter[tuple[int, bool]] = collections.Counter()
    shown = 0
    t0 = time.perf_counter()
    for note, gold, year in zip(
        ev["notes"].astype(str), ev["fatalities"].astype(int), ev["year"].astype(int)
    ):
        pred = count_casualties(note, "en", significant=args.significant)
        c = category(pred, gold)
        cats[c] += 1
        by_year[(year, c == "exact")] += 1
        if c != "exact" and shown < args.show:
            shown += 1
            print(f"[{c}] gold={gold} pred={pred.fatalities} | {note[:300]}")
    dt = time.perf_counter() - t0
    n = len(ev)
    print(f"fatalities exact: {cats['exact'] / n:.3f} ({cats['exact']}/{n} notes), {n / dt:.0f} notes/s")
    for k, v in cats.most_common():
        if k != "exact":
            print(f"   {k}: {v} ({v / n:.1%})")
    per_year = {}
    for year in sorted({y for y, _ in by_year}):
        ok, bad = by_year[(year, True)], by_year[(year, False)]
        per_year[str(year)] = round(ok / (ok + bad), 4)
        print(f"   {year}: {per_year[str(year)]:.3f} ({ok}/{ok + bad})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "fatalities_exact": round(cats["exact"] / n, 4),
                    "notes": n,
                    "by_year": per_year,
                    "errors": dict(cats),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
