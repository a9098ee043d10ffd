"""Issue 2's figures on the real exports in ../shared: import counts and the ACLED round trip.

    .venv/bin/python -m evaluation.eval_store [--json evaluation/output/store.json]

- Mali monadic file → store → ACLED CSV (monadic, the file's own columns and date format),
  compared cell by cell with the input: every difference is listed.
- The same events exported dyadic, compared with the input after the monadic merge.
- Burkina Faso file (no ids, actors, coordinates): every row accounted for, no coordinate invented.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import sahelwatch
from sahelwatch.export import compare_acled, export_events
from sahelwatch.ingest.acled import import_acled

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "acled"
MALI = SHARED / "acled_mali_2017_2019_monadic.csv"
BURKINA = SHARED / "acled_burkina_2019_2022_no_actors_no_coords.csv"


def merged_input(raw: pd.DataFrame) -> pd.DataFrame:
    """The monadic input merged by hand (pandas only), independent of the importer's code."""
    g = raw.groupby("event_id_cnty", sort=False)
    first, second = g.nth(0).set_index("event_id_cnty"), g.nth(1).set_index("event_id_cnty")
    out = first.copy()
    out["actor2"] = second["actor1"].reindex(out.index)
    out["assoc_actor_2"] = second["assoc_actor_1"].reindex(out.index)
    out["inter2"] = second["inter1"].reindex(out.index).fillna("0")
    return out.reset_index()


def run() -> dict:
    if not MALI.is_file():
        sys.exit(f"skipped: {MALI} is absent (../shared holds the evaluation data)")
    res: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = sahelwatch.open(tmp / "eval.db")
        t = time.perf_counter()
        rep = import_acled(store, MALI)
        res["mali_import_seconds"] = round(time.perf_counter() - t, 2)
        res["mali_rows"] = rep.rows
        res["mali_events"] = store.count(countries=["Mali"])
        res["mali_merged_rows"] = rep.merged
        res["mali_rejected"] = rep.rejected
        again = import_acled(store, MALI)
        res["mali_reimport_changes"] = again.inserted + again.updated

        raw = pd.read_csv(MALI, dtype=str, keep_default_na=False)
        df = store.events(countries=["Mali"])
        # in the file's own row order (provenance keeps each event's line), columns and date format
        mono = export_events(
            df.sort_values("prov_row"),
            tmp / "mali_monadic.csv",
            "acled",
            monadic=True,
            columns=list(raw.columns),
            date_format="%d %B %Y",
        )
        back = pd.read_csv(mono, dtype=str, keep_default_na=False)
        diff = compare_acled(raw, back)
        res["monadic_roundtrip_rows"] = [len(raw), len(back)]
        res["monadic_roundtrip_differences"] = len(diff)
        res["monadic_roundtrip_byte_identical"] = MALI.read_bytes() == mono.read_bytes()
        if len(diff):
            res["monadic_roundtrip_examples"] = diff.head(10).astype(str).to_dict("records")

        dy = export_events(df, tmp / "mali_dyadic.csv", "acled")
        dyadic = pd.read_csv(dy, dtype=str, keep_default_na=False)
        expected = merged_input(raw)
        shared_cols = [c for c in expected.columns if c in dyadic.columns]
        diff2 = compare_acled(expected[shared_cols], dyadic[shared_cols])
        res["dyadic_columns_compared"] = len(shared_cols)
        res["dyadic_roundtrip_differences"] = len(diff2)
        if len(diff2):
            res["dyadic_roundtrip_examples"] = diff2.head(10).astype(str).to_dict("records")

        rep_b = import_acled(store, BURKINA)
        b = store.events(countries=["Burkina Faso"])
        res["burkina_rows"] = rep_b.rows
        res["burkina_events"] = len(b)
        res["burkina_rejected"] = rep_b.rejected
        res["burkina_rows_accounted"] = rep_b.accepted + rep_b.rejected
        res["burkina_with_coordinates"] = int(b["latitude"].notna().sum())
        res["burkina_fatalities_sum_store"] = int(b["fatalities"].sum())
        res["burkina_fatalities_sum_file"] = int(pd.read_csv(BURKINA)["fatalities"].sum())
        store.close()
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res = run()
    print(json.dumps(res, indent=2, default=str))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2, default=str))


if __name__ == "__main__":
    main()
