"""Input checks shared by the analyses: clear messages instead of crashes or tables of NaN.

Every analysis takes an events DataFrame in the store's shape (ACLED columns, ``event_date`` as
datetime64, ``latitude``/``longitude`` float with NaN where unknown, ``geo_precision`` nullable Int64).
These helpers normalise such a frame, say plainly what cannot be analysed, and split off the
events that have no usable coordinates (missing, or ``geo_precision`` 3 = only a region is known).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError


class AnalysisInputError(InputError):
    """The selection cannot be analysed (empty, no coordinates, missing columns...)."""


#: geo_precision 3 = only a larger region is known: its centre is coded, not the place.
IMPRECISE_GEO = 3


def prepare(
    events: pd.DataFrame | None, what: str, *, required: Iterable[str] = ("event_date",)
) -> pd.DataFrame:
    """Validate and normalise an events frame; raise :class:`AnalysisInputError` with a plain message.

    Returns a copy with ``event_date`` as datetime64 (day resolution), ``fatalities`` as int (missing → 0),
    ``latitude``/``longitude`` as float and ``geo_precision`` as nullable Int64.
    """
    if events is None or len(events) == 0:
        raise AnalysisInputError(
            f"{what}: the selection holds no events; widen the filters (--since/--until/--country/--actor...) "
            "or import data first (sahelwatch import acled FILE)."
        )
    missing = [c for c in required if c not in events.columns]
    if missing:
        raise AnalysisInputError(
            f"{what}: the events lack column(s) {', '.join(missing)}; "
            "pass a frame from store.events() or with ACLED column names."
        )
    df = events.copy()
    df["event_date"] = pd.to_datetime(df["event_date"], errors="coerce")
    bad_dates = int(df["event_date"].isna().sum())
    if bad_dates == len(df):
        raise AnalysisInputError(f"{what}: no event has a readable event_date.")
    if bad_dates:
        df = df[df["event_date"].notna()].copy()
        df.attrs["dropped_no_date"] = bad_dates
    df["event_date"] = df["event_date"].dt.normalize()
    if "fatalities" in df.columns:
        df["fatalities"] = pd.to_numeric(df["fatalities"], errors="coerce").fillna(0).astype("int64")
    else:
        df["fatalities"] = 0
    for col in ("latitude", "longitude"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        else:
            df[col] = np.nan
    if "geo_precision" in df.columns:
        df["geo_precision"] = pd.to_numeric(df["geo_precision"], errors="coerce").astype("Int64")
    else:
        df["geo_precision"] = pd.array([pd.NA] * len(df), dtype="Int64")
    return df


def located_mask(df: pd.DataFrame) -> pd.Series:
    """True where the event has coordinates precise enough for a cell (not geo_precision 3, not missing)."""
    ok = df["latitude"].notna() & df["longitude"].notna()
    ok &= df["latitude"].between(-90, 90) & df["longitude"].between(-180, 180)
    if "geo_precision" in df.columns:
        gp = pd.to_numeric(df["geo_precision"], errors="coerce")
        ok &= ~(gp.fillna(0) == IMPRECISE_GEO).astype(bool)
    return ok.astype(bool)


def split_located(df: pd.DataFrame, what: str, *, require: int = 1) -> tuple[pd.DataFrame, int, str | None]:
    """Events usable on cells, the number excluded and a message about them.

    Raises :class:`AnalysisInputError` when fewer than ``require`` events remain.
    """
    mask = located_mask(df)
    kept = df[mask].copy()
    excluded = int((~mask).sum())
    message = None
    if excluded:
        message = (
            f"{excluded} of {len(df)} events excluded from cell units: no coordinates or geo_precision 3 "
            "(only a region known); they still count for admin1/admin2 units."
        )
    if len(kept) < require:
        raise AnalysisInputError(
            f"{what}: {len(kept)} event(s) with usable coordinates (need {require}); {excluded} have no coordinates "
            "or only a region (geo_precision 3). Use an admin unit (--unit admin1|admin2) or geocode the events."
        )
    return kept, excluded, message


def add_message(obj, message: str | None) -> None:
    """Append a plain-language message to ``obj.attrs['messages']`` (DataFrames carry them to the CLI)."""
    if not message:
        return
    msgs = list(obj.attrs.get("messages", []))
    if message not in msgs:
        msgs.append(message)
    obj.attrs["messages"] = msgs
