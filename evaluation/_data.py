"""The real exports in ../shared, read the way users read them: through the importer into a store."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

SHARED = Path(__file__).resolve().parents[2] / "shared"
MALI = SHARED / "data" / "acled" / "acled_mali_2017_2019_monadic.csv"
BURKINA = SHARED / "data" / "acled" / "acled_burkina_2019_2022_no_actors_no_coords.csv"


@lru_cache(maxsize=4)
def _events(path: str) -> pd.DataFrame:
    import sahelwatch
    from sahelwatch.ingest.acled import import_acled

    store = sahelwatch.open(":memory:")
    report = import_acled(store, path)
    if report.rejected:
        raise SystemExit(f"{path}: {report.summary()}")
    return store.events()


def acled_events(path: str | Path = MALI) -> pd.DataFrame:
    """One row per event (monadic exports merged by the importer), as ``store.events()`` gives them."""
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"skipped: {path} is absent (../shared holds the evaluation data)")
    return _events(str(path)).copy()
