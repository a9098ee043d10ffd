"""Integration on the real exports in ../shared (skips, saying so, where ../shared is absent)."""

from __future__ import annotations

import pandas as pd
import pytest

import sahelwatch
from sahelwatch.export import compare_acled, export_events
from sahelwatch.ingest.acled import import_acled

pytestmark = pytest.mark.shared


def test_mali_monadic_round_trip(shared_dir, tmp_path):
    src = shared_dir / "data/acled/acled_mali_2017_2019_monadic.csv"
    store = sahelwatch.open(tmp_path / "m.db")
    rep = import_acled(store, src)
    assert (rep.rows, rep.inserted, rep.merged, rep.rejected) == (3837, 2046, 1791, 0)
    raw = pd.read_csv(src, dtype=str, keep_default_na=False)
    out = export_events(
        store.events().sort_values("prov_row"),
        tmp_path / "back.csv",
        "acled",
        monadic=True,
        columns=list(raw.columns),
        date_format="%d %B %Y",
    )
    assert compare_acled(raw, pd.read_csv(out, dtype=str, keep_default_na=False)).empty
    assert out.read_bytes() == src.read_bytes()


def test_burkina_rows_all_accounted_nothing_invented(shared_dir, tmp_path):
    src = shared_dir / "data/acled/acled_burkina_2019_2022_no_actors_no_coords.csv"
    store = sahelwatch.open(tmp_path / "b.db")
    rep = import_acled(store, src)
    assert rep.rows == 4999 and rep.balanced() and rep.rejected == 0
    df = store.events()
    assert len(df) == 4999 and df["latitude"].isna().all() and df["actor1"].isna().all()
