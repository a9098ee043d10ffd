"""Forecast targets: violence per unit-month, as a dense zero-filled panel.

Units are PRIO-GRID cells (0.5 degrees), admin1 or admin2 areas. Months are counted as
VIEWS does: ``month_id = (year - 1980) * 12 + month`` (January 1980 = 1).

Violence types follow UCDP's three categories, mapped from ACLED codes
(see docs/forecasting.md, "Targets"):

* ``state``    Battles or Explosions/Remote violence with state forces (inter 1) or
               external/foreign forces (inter 8) on either side, civilians not a party;
* ``nonstate`` Battles or Explosions/Remote violence between non-state actors only;
* ``onesided`` Violence against civilians, and Battles/Explosions with civilians (inter 7)
               as a party (e.g. an IED or air strike on civilians);
* ``all``      the sum of the three.

Protests, riots and strategic developments are not violence targets (they still count
for the unit set and for the actor features).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ...errors import InputError
from ..units import priogrid_centroid, priogrid_gid  # noqa: F401 - re-exported by the forecast package

log = logging.getLogger(__name__)

VIOLENCE_TYPES = ("state", "nonstate", "onesided")
TYPE_CHOICES = ("all",) + VIOLENCE_TYPES
TARGETS = ("fatalities", "events")
UNITS = ("priogrid", "admin1", "admin2")
STATE_CODES = (1, 8)
CIVILIAN_CODE = 7
ARMED_TYPES = ("Battles", "Explosions/Remote violence")
ONESIDED_TYPE = "Violence against civilians"

# actor groups for the "who is present" features: (name, substrings matched in actor1/actor2/assoc actors)
ACTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "jnim": (
        "JNIM",
        "Group for Support of Islam and Muslims",
        "Katiba Macina",
        "Ansar Dine",
        "Ansaroul Islam",
        "AQIM",
        "Al Mourabitoune",
    ),
    "isgs": (
        "Islamic State (Greater Sahara)",
        "Greater Sahara Faction",
        "ISGS",
        "Islamic State (West Africa)",
    ),
}


class ForecastError(InputError):
    """The data cannot support the requested forecast (too short, empty, out of range, gaps)."""


# --------------------------------------------------------------------------- months
def month_id(year, month):
    """VIEWS month id: (year - 1980) * 12 + month (vectorised)."""
    return (np.asarray(year) - 1980) * 12 + np.asarray(month)


def month_id_from_dates(dates) -> np.ndarray:
    d = pd.DatetimeIndex(pd.to_datetime(dates))
    return month_id(d.year.to_numpy(), d.month.to_numpy()).astype(int)


def month_str(mid) -> str | np.ndarray:
    """month id(s) → 'YYYY-MM'."""
    m = np.asarray(mid, dtype=int)
    y, mo = 1980 + (m - 1) // 12, (m - 1) % 12 + 1
    if m.ndim == 0:
        return f"{int(y):04d}-{int(mo):02d}"
    return np.array([f"{a:04d}-{b:02d}" for a, b in zip(y, mo)])


def parse_month(text: str) -> int:
    """'YYYY-MM' (or 'YYYY-MM-DD') → month id, with a clear message on bad input."""
    import re

    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", str(text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ForecastError(f"month {text!r}: expected YYYY-MM")
    return int(month_id(int(m.group(1)), int(m.group(2))))


# --------------------------------------------------------------------------- units
# PRIO-GRID ids and centres come from the shared units module (one definition for every analysis).


def violence_type(event_type, inter1, inter2) -> np.ndarray:
    """Map ACLED codes to 'state' / 'nonstate' / 'onesided' / '' (not a violence target)."""
    et = pd.Series(event_type).astype(str).to_numpy()
    i1 = pd.to_numeric(pd.Series(inter1), errors="coerce").fillna(0).astype(int).to_numpy()
    i2 = pd.to_numeric(pd.Series(inter2), errors="coerce").fillna(0).astype(int).to_numpy()
    armed = np.isin(et, ARMED_TYPES)
    civ = (i1 == CIVILIAN_CODE) | (i2 == CIVILIAN_CODE)
    state = np.isin(i1, STATE_CODES) | np.isin(i2, STATE_CODES)
    out = np.full(len(et), "", dtype=object)
    out[et == ONESIDED_TYPE] = "onesided"
    out[armed & civ] = "onesided"
    out[armed & ~civ & state] = "state"
    out[armed & ~civ & ~state] = "nonstate"
    return out


def _unit_ids(ev: pd.DataFrame, unit: str) -> pd.Series:
    if unit == "priogrid":
        ok = ev["latitude"].notna() & ev["longitude"].notna()
        gid = pd.Series(pd.NA, index=ev.index, dtype="Int64")
        gid[ok] = priogrid_gid(ev.loc[ok, "latitude"], ev.loc[ok, "longitude"])
        return gid
    a1 = ev["admin1"].astype("string").str.strip().replace("", pd.NA)
    if unit == "admin1":
        return a1
    a2 = ev["admin2"].astype("string").str.strip().replace("", pd.NA)
    return (a1 + "/" + a2).astype("string")


# --------------------------------------------------------------------------- the panel
@dataclass
class Panel:
    """A zero-filled unit × month panel and what the features need, all aligned.

    ``y``            target (n_units, n_months) float
    ``counts``       dict of per-type arrays: ``fat_<type>``, ``ev_<type>`` for the three violence
                     types, ``ev_any`` (all events incl. protests), ``actor_<group>`` (events with
                     that actor group), ``actor_state``, ``actor_militia``
    ``months``       month ids (consecutive)
    ``units``        unit ids (int gid or admin names)
    ``lat``, ``lon`` unit centroids (cell centre; mean event location for admin areas)
    ``parent``       admin1 of each unit (most frequent among its events) for reconciliation
    """

    y: np.ndarray
    counts: dict[str, np.ndarray]
    months: np.ndarray
    units: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    parent: np.ndarray
    unit: str = "priogrid"
    target: str = "fatalities"
    violence: str = "all"
    warnings: list[str] = field(default_factory=list)

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def first_month(self) -> int:
        return int(self.months[0])

    @property
    def last_month(self) -> int:
        return int(self.months[-1])

    def truncate(self, last_month: int) -> "Panel":
        """A copy holding only months <= last_month: what a forecaster at that origin may see."""
        k = int(np.searchsorted(self.months, last_month, side="right"))
        if k == 0:
            raise ForecastError(
                f"origin {month_str(last_month)} is before the data ({month_str(self.first_month)})"
            )
        return replace(
            self,
            y=self.y[:, :k].copy(),
            months=self.months[:k].copy(),
            counts={n: a[:, :k].copy() for n, a in self.counts.items()},
            warnings=list(self.warnings),
        )

    def frame(self) -> pd.DataFrame:
        """Long table unit, month_id, month, value."""
        u = np.repeat(self.units, len(self.months))
        m = np.tile(self.months, self.n_units)
        return pd.DataFrame({"unit": u, "month_id": m, "month": month_str(m), "value": self.y.ravel()})


def _actor_mask(ev: pd.DataFrame, needles: tuple[str, ...]) -> np.ndarray:
    cols = [c for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2") if c in ev.columns]
    m = np.zeros(len(ev), dtype=bool)
    for c in cols:
        s = ev[c].astype("string").fillna("")
        for n in needles:
            m |= s.str.contains(n, regex=False).to_numpy(dtype=bool)
    return m


def build_panel(
    events: pd.DataFrame,
    unit: str = "priogrid",
    target: str = "fatalities",
    violence: str = "all",
    start: str | int | None = None,
    end: str | int | None = None,
    units: str = "observed",
    allow_gaps: bool = False,
) -> Panel:
    """Aggregate ACLED-style events into a zero-filled unit-month panel.

    ``units="observed"``: every unit with at least one event (of any type, protests included)
    between ``start`` and ``end``. ``units="extent"`` (PRIO-GRID only): every cell of the
    bounding box of the events, so cells that never saw an event are forecast too.
    ``start``/``end`` default to the first and last month of the events.
    A month with no event at all inside the range is a likely coverage gap: ForecastError
    unless ``allow_gaps`` (then a warning is recorded).
    """
    if unit not in UNITS:
        raise ForecastError(f"unit {unit!r}: expected one of {', '.join(UNITS)}")
    if target not in TARGETS:
        raise ForecastError(f"target {target!r}: expected one of {', '.join(TARGETS)}")
    if violence not in TYPE_CHOICES:
        raise ForecastError(f"type {violence!r}: expected one of {', '.join(TYPE_CHOICES)}")
    if units not in ("observed", "extent"):
        raise ForecastError(f"units {units!r}: expected 'observed' or 'extent'")
    if units == "extent" and unit != "priogrid":
        raise ForecastError("units='extent' (the full grid) only applies to --unit priogrid")
    if events is None or len(events) == 0:
        raise ForecastError("no events: nothing to forecast from (check the filters or import data first)")
    need = {"event_date", "event_type", "fatalities", "inter1"}
    need |= (
        {"latitude", "longitude"}
        if unit == "priogrid"
        else {"admin1"} | ({"admin2"} if unit == "admin2" else set())
    )
    missing = sorted(need - set(events.columns))
    if missing:
        raise ForecastError(f"events lack the column(s) {', '.join(missing)} needed for unit={unit}")

    ev = events.copy()
    ev["event_date"] = pd.to_datetime(ev["event_date"], errors="coerce")
    bad = ev["event_date"].isna().sum()
    if bad:
        raise ForecastError(f"{bad} event(s) have no valid event_date")
    if "inter2" not in ev.columns:
        ev["inter2"] = 0
    ev["month_id"] = month_id_from_dates(ev["event_date"])
    data_first, data_last = int(ev["month_id"].min()), int(ev["month_id"].max())
    m0 = data_first if start is None else (parse_month(start) if isinstance(start, str) else int(start))
    m1 = data_last if end is None else (parse_month(end) if isinstance(end, str) else int(end))
    if m0 > m1:
        raise ForecastError(f"start {month_str(m0)} is after end {month_str(m1)}")
    if m1 < data_first or m0 > data_last:
        raise ForecastError(
            f"the range {month_str(m0)}..{month_str(m1)} is outside the data "
            f"({month_str(data_first)}..{month_str(data_last)})"
        )
    ev = ev[(ev["month_id"] >= m0) & (ev["month_id"] <= m1)]
    ev["unit_id"] = _unit_ids(ev, unit)
    dropped = int(ev["unit_id"].isna().sum())
    notes: list[str] = []
    if dropped:
        notes.append(
            f"{dropped} event(s) without {'coordinates' if unit == 'priogrid' else unit} were left out"
        )
        ev = ev[ev["unit_id"].notna()]
    if ev.empty:
        raise ForecastError(f"no event in {month_str(m0)}..{month_str(m1)} has a {unit} unit")
    months = np.arange(m0, m1 + 1)
    present = np.bincount(ev["month_id"].to_numpy() - m0, minlength=len(months))
    empty = months[present == 0]
    if len(empty):
        msg = (
            f"{len(empty)} month(s) without any event: {', '.join(month_str(empty)[:6])}"
            f"{'…' if len(empty) > 6 else ''} — a coverage gap? (pass allow_gaps=True / --allow-gaps "
            "to treat them as true zeros)"
        )
        if not allow_gaps:
            raise ForecastError(msg)
        notes.append(msg)
        warnings.warn(msg, stacklevel=2)

    # unit set
    if unit == "priogrid":
        ev["unit_id"] = ev["unit_id"].astype(int)
        if units == "extent":
            g = ev["unit_id"].to_numpy()
            rows, cols = (g - 1) // 720, (g - 1) % 720
            rr, cc = np.meshgrid(
                np.arange(rows.min(), rows.max() + 1), np.arange(cols.min(), cols.max() + 1), indexing="ij"
            )
            uids = np.sort((rr * 720 + cc + 1).ravel())
        else:
            uids = np.sort(ev["unit_id"].unique())
        lat, lon = priogrid_centroid(uids)
    else:
        uids = np.array(sorted(ev["unit_id"].unique()), dtype=object)
        cen = (
            ev.groupby("unit_id")[["latitude", "longitude"]].mean()
            if {"latitude", "longitude"} <= set(ev.columns)
            else pd.DataFrame(index=uids, columns=["latitude", "longitude"], dtype=float)
        )
        cen = cen.reindex(uids)
        lat, lon = cen["latitude"].to_numpy(float), cen["longitude"].to_numpy(float)
    parent_map = (
        ev.groupby("unit_id")["admin1"].agg(lambda s: s.mode().iat[0] if s.notna().any() else "")
        if "admin1" in ev.columns
        else pd.Series(dtype=object)
    )
    parent = np.array([parent_map.get(u, "") for u in uids], dtype=object)

    ui = pd.Index(uids).get_indexer(ev["unit_id"].to_numpy())
    mi = ev["month_id"].to_numpy() - m0
    shape = (len(uids), len(months))

    def acc(mask, weights=None):
        a = np.zeros(shape)
        np.add.at(a, (ui[mask], mi[mask]), 1.0 if weights is None else weights[mask])
        return a

    vt = violence_type(ev["event_type"], ev["inter1"], ev["inter2"])
    fat = pd.to_numeric(ev["fatalities"], errors="coerce").fillna(0).clip(lower=0).to_numpy(float)
    counts: dict[str, np.ndarray] = {}
    for t in VIOLENCE_TYPES:
        counts[f"fat_{t}"] = acc(vt == t, fat)
        counts[f"ev_{t}"] = acc(vt == t)
    counts["ev_any"] = acc(np.ones(len(ev), dtype=bool))
    for g, needles in ACTOR_GROUPS.items():
        counts[f"actor_{g}"] = acc(_actor_mask(ev, needles) & (vt != ""))
    i1 = pd.to_numeric(ev["inter1"], errors="coerce").fillna(0).to_numpy()
    i2 = pd.to_numeric(ev["inter2"], errors="coerce").fillna(0).to_numpy()
    counts["actor_state"] = acc((np.isin(i1, STATE_CODES) | np.isin(i2, STATE_CODES)) & (vt != ""))
    counts["actor_militia"] = acc((np.isin(i1, (3, 4)) | np.isin(i2, (3, 4))) & (vt != ""))

    pre = "fat" if target == "fatalities" else "ev"
    types = VIOLENCE_TYPES if violence == "all" else (violence,)
    y = sum(counts[f"{pre}_{t}"] for t in types)
    if y.sum() == 0:
        notes.append(f"no {violence} violence ({target}) at all in {month_str(m0)}..{month_str(m1)}")
    for n in notes:
        log.warning(n)
    return Panel(
        y=np.asarray(y, dtype=float),
        counts=counts,
        months=months,
        units=uids,
        lat=lat,
        lon=lon,
        parent=parent,
        unit=unit,
        target=target,
        violence=violence,
        warnings=notes,
    )
