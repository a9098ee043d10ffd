"""Areas of influence of armed groups: activity surfaces, dominant group per cell, contested cells.

For each armed group an *activity surface* is computed on the grid of the study area: every event the
group took part in (as actor1 or actor2) adds a Gaussian kernel in projected distance (bandwidth
``bandwidth_km``, cut at 3 bandwidths) times an exponential time decay (weight halves every
``half_life_days`` before the reference date). A cell's *share* for a group is the group's surface over
the sum of all groups' surfaces there. The *dominant* group has the largest share; a cell is *contested*
when the second group's share is at least ``contested_ratio`` (default 0.6) times the first's; a cell
whose total surface is below ``min_intensity`` (in event-equivalents: one event in the cell today
counts 1) has *no activity*.

Actor names go through ``actor_map`` (default: the names as written) so that a registry can merge
aliases and components (JNIM's katibas, the two spellings of Islamic State Sahel) into one group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import write_table
from ..taxonomy import Inter
from ._checks import AnalysisInputError, add_message, prepare, split_located
from .common import project
from .units import (
    SAHEL_ALBERS,
    ActorMap,
    actor_long,
    period_label,
    period_range,
    study_cells,
    unit_geometries,
    parse_unit,
)

#: ACLED inter codes of non-state armed groups: rebel groups and political militias. Identity militias can
#: be added with ``inter_codes=taxonomy.ARMED_GROUPS``.
NON_STATE = (Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS)
#: Generic actor names that are not one group.
GENERIC = (r"^Unidentified\b", r"\band/or\b", r"^Civilians\b", r"^Protesters\b", r"^Rioters\b")


def _map_groups(groups: Iterable[str], actor_map: ActorMap | None) -> list[str]:
    """Group names as the mapping writes them ("JNIM" → the registry's canonical name), order kept."""
    out: list[str] = []
    for g in groups:
        m = (actor_map(g) if actor_map else None) or g
        if m not in out:
            out.append(m)
    return out


def armed_group_events(
    events: pd.DataFrame,
    *,
    groups: Iterable[str] | None = None,
    actor_map: ActorMap | None = None,
    inter_codes: Sequence[int] = NON_STATE,
    exclude: Sequence[str] = GENERIC,
    include_assoc: bool = False,
) -> pd.DataFrame:
    """One row per (event, armed group) with the event's date, coordinates and fatalities.

    With ``groups`` given, only those (mapped) names are kept whatever their inter code; otherwise every
    actor whose side has an inter code in ``inter_codes`` and whose name matches none of ``exclude``.
    """
    long = actor_long(events, actor_map, include_assoc=include_assoc)
    if groups is not None:
        wanted = set(_map_groups(groups, actor_map))
        long = long[long["actor"].isin(wanted)]
    else:
        long = long[long["inter"].isin(list(inter_codes))]
        if exclude and len(long):
            pat = re.compile("|".join(exclude), re.IGNORECASE)
            long = long[~long["actor"].map(lambda a: bool(pat.search(a)))]
    long = long.drop_duplicates(["_row", "actor"])
    ev = events.reset_index(drop=True)
    out = ev.iloc[long["_row"].to_numpy()][["event_date", "latitude", "longitude", "fatalities"]].copy()
    out["actor"] = long["actor"].to_numpy()
    return out.reset_index(drop=True)


def _surfaces(
    gev: pd.DataFrame,
    cells: list,
    unit: str,
    groups: list[str],
    *,
    bandwidth_km: float,
    half_life_days: float | None,
    reference_date: pd.Timestamp,
    weight: str,
    crs: str,
) -> np.ndarray:
    """Matrix cells × groups of kernel activity."""
    from scipy.spatial import cKDTree

    grid = unit_geometries(cells, unit)
    gx, gy = project(grid["lat"], grid["lon"], crs=crs)
    tree = cKDTree(np.c_[gx, gy] / 1000.0)
    S = np.zeros((len(cells), len(groups)))
    if not len(gev):
        return S
    ex, ey = project(gev["latitude"], gev["longitude"], crs=crs)
    ex, ey = ex / 1000.0, ey / 1000.0
    age = (reference_date - gev["event_date"]).dt.days.to_numpy(dtype="float64")
    tw = np.power(0.5, np.clip(age, 0, None) / half_life_days) if half_life_days else np.ones(len(gev))
    if weight == "fatalities":
        tw = tw * (1.0 + gev["fatalities"].to_numpy(dtype="float64"))
    gidx = {g: j for j, g in enumerate(groups)}
    gj = gev["actor"].map(gidx).to_numpy()
    near = tree.query_ball_point(np.c_[ex, ey], r=3 * bandwidth_km)
    for k, cells_k in enumerate(near):
        if not cells_k:
            continue
        ck = np.asarray(cells_k)
        d2 = (tree.data[ck, 0] - ex[k]) ** 2 + (tree.data[ck, 1] - ey[k]) ** 2
        S[ck, gj[k]] += tw[k] * np.exp(-d2 / (2 * bandwidth_km**2))
    return S


def _dominance(
    S: np.ndarray, groups: list[str], contested_ratio: float, min_intensity: float
) -> pd.DataFrame:
    total = S.sum(axis=1)
    n, g = S.shape
    order = np.argsort(-S, axis=1, kind="stable") if g else np.zeros((n, 0), int)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total[:, None] > 0, S / total[:, None], 0.0)
    first = order[:, 0] if g else np.zeros(n, int)
    s1 = shares[np.arange(n), first] if g else np.zeros(n)
    if g > 1:
        second = order[:, 1]
        s2 = shares[np.arange(n), second]
    else:
        second = np.zeros(n, int)
        s2 = np.zeros(n)
    active = total >= min_intensity
    contested = active & (s2 > 0) & (s2 >= contested_ratio * s1) if g > 1 else np.zeros(n, bool)
    names = np.array(groups, dtype=object) if g else np.array([], dtype=object)
    out = pd.DataFrame(
        {
            "dominant": np.where(active, names[first] if g else None, None),
            "dominant_share": np.where(active, s1, 0.0),
            "second": np.where(active & (s2 > 0), names[second] if g > 1 else None, None),
            "second_share": np.where(active, s2, 0.0),
            "intensity": total,
            "groups_present": (shares >= 0.05).sum(axis=1) * active,
            "contested": contested,
        }
    )
    out["status"] = np.where(~active, "no activity", np.where(contested, "contested", "dominant"))
    return out


def influence(
    events: pd.DataFrame,
    unit: str = "priogrid",
    *,
    groups: Iterable[str] | None = None,
    actor_map: ActorMap | None = None,
    inter_codes: Sequence[int] = NON_STATE,
    include_assoc: bool = False,
    bandwidth_km: float = 40.0,
    half_life_days: float | None = 365.0,
    reference_date=None,
    since=None,
    weight: str = "events",
    contested_ratio: float = 0.6,
    min_intensity: float = 0.5,
    extent: tuple[float, float, float, float] | None = None,
    pad: int = 1,
    crs: str = SAHEL_ALBERS,
):
    """Dominant and contested armed groups per grid cell.

    Parameters
    ----------
    groups : canonical group names to compare (after ``actor_map``); default every non-state armed actor
        (inter codes ``inter_codes``) except generic names (Unidentified..., "X and/or Y").
    bandwidth_km : Gaussian kernel bandwidth (standard deviation) in km; kernels are cut at 3 bandwidths.
    half_life_days : time decay: an event ``half_life_days`` before ``reference_date`` weighs 0.5
        (None: no decay). ``reference_date`` defaults to the last event date; later events are ignored,
        and so are events before ``since``.
    weight : ``events`` (each event 1) or ``fatalities`` (1 + deaths).
    contested_ratio : a cell is contested when share(second) ≥ contested_ratio × share(first).
    min_intensity : cells whose summed surface is below this have status ``no activity``.

    Returns a GeoDataFrame per cell: ``unit, lat, lon, dominant, dominant_share, second, second_share,
    intensity, groups_present, contested, status, geometry`` and one ``share:<group>`` column per group.
    ``attrs``: ``groups``, ``events_per_group``, ``reference_date``, ``excluded``, ``messages``.
    """
    kind, _ = parse_unit(unit)
    if kind not in ("priogrid", "h3"):
        raise AnalysisInputError(f"influence needs a grid unit (priogrid, h3-4..6), not {unit!r}")
    if not 0 < contested_ratio <= 1:
        raise AnalysisInputError("contested_ratio must be in (0, 1]")
    df = prepare(events, "influence")
    located, excluded, msg = split_located(df, "influence")
    ref = pd.Timestamp(reference_date) if reference_date is not None else located["event_date"].max()
    located = located[located["event_date"] <= ref]
    if since is not None:
        located = located[located["event_date"] >= pd.Timestamp(since)]
    gev = armed_group_events(
        located, groups=groups, actor_map=actor_map, inter_codes=inter_codes, include_assoc=include_assoc
    )
    if not len(gev):
        raise AnalysisInputError(
            "influence: no event of a non-state armed group with coordinates in the selection"
            + (
                f" (groups asked: {', '.join(groups)})"
                if groups is not None
                else f" (inter codes {tuple(inter_codes)}; pass groups=[...] to name them)"
            )
        )
    counts = gev["actor"].value_counts()
    if groups is not None:
        groups = _map_groups(groups, actor_map)
    names = list(counts.index) if groups is None else [g for g in groups if g in counts.index]
    if extent is not None:
        cells = study_cells(gev, unit, pad=pad, extent=extent)
    else:  # the box of the groups' events, padded by about one bandwidth
        cells = study_cells(gev, unit, pad=max(pad, int(np.ceil(bandwidth_km / 55.0))))
    S = _surfaces(
        gev,
        cells,
        unit,
        names,
        bandwidth_km=bandwidth_km,
        half_life_days=half_life_days,
        reference_date=ref,
        weight=weight,
        crs=crs,
    )
    grid = unit_geometries(cells, unit)
    dom = _dominance(S, names, contested_ratio, min_intensity)
    for c in dom.columns:
        grid[c] = dom[c].to_numpy()
    total = S.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j, g in enumerate(names):
            grid[f"share:{g}"] = np.where(total > 0, S[:, j] / np.where(total > 0, total, 1), 0.0)
    cols = (
        [
            "unit",
            "lat",
            "lon",
            "dominant",
            "dominant_share",
            "second",
            "second_share",
            "intensity",
            "groups_present",
            "contested",
            "status",
        ]
        + [f"share:{g}" for g in names]
        + ["geometry"]
    )
    grid = grid[cols]
    grid.attrs.update(
        {
            "groups": names,
            "events_per_group": {g: int(counts[g]) for g in names},
            "reference_date": ref.date().isoformat(),
            "excluded": excluded,
            "unit": unit,
            "contested_ratio": contested_ratio,
        }
    )
    add_message(grid, msg)
    if groups is not None:
        missing = [g for g in groups if g not in counts.index]
        if missing:
            add_message(grid, f"no located event for: {', '.join(missing)}.")
    if len(names) == 1:
        add_message(
            grid,
            f"only one armed group in the selection ({names[0]}): it dominates every active cell; "
            "no cell can be contested.",
        )
    return grid


def period_end(start, period: str) -> pd.Timestamp:
    """Last day of the period starting on ``start``."""
    s = pd.Timestamp(start)
    off = {
        "day": pd.Timedelta(0),
        "week": pd.Timedelta(days=6),
        "month": pd.offsets.MonthEnd(1),
        "quarter": pd.offsets.QuarterEnd(1, startingMonth=12),
        "year": pd.offsets.YearEnd(1),
    }
    if period not in off:
        raise AnalysisInputError(f"unknown period {period!r}")
    return s + off[period]


def influence_changes(events: pd.DataFrame, period: str = "quarter", unit: str = "priogrid", **kwargs):
    """Gains and losses of dominant cells per period (default quarter).

    The influence map is recomputed at the end of every period from the events up to that day (time decay
    relative to it) on one fixed grid; a group *gains* a cell it dominates now but did not at the end of the
    previous period, and *loses* one it dominated then but not now (to another group, to contest, or to
    inactivity). Returns ``(summary, changes)``: ``summary`` per period × group with ``cells``,
    ``contested_cells``, ``gained``, ``lost``; ``changes`` per period × cell whose status changed, with
    ``before`` and ``after``.
    """
    df = prepare(events, "influence changes")
    located, excluded, msg = split_located(df, "influence changes")
    starts = period_range(located["event_date"].min(), located["event_date"].max(), period)
    if len(starts) < 2:
        raise AnalysisInputError(f"influence changes: the selection spans one {period}; need at least two")
    bw = kwargs.get("bandwidth_km", 40.0)
    gev_all = armed_group_events(
        located,
        groups=kwargs.get("groups"),
        actor_map=kwargs.get("actor_map"),
        inter_codes=kwargs.get("inter_codes", NON_STATE),
        include_assoc=kwargs.get("include_assoc", False),
    )
    if not len(gev_all):
        raise AnalysisInputError("influence changes: no located event of a non-state armed group")
    if kwargs.get("extent") is None:
        lat, lon = gev_all["latitude"], gev_all["longitude"]
        kwargs["extent"] = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
        kwargs.setdefault("pad", max(1, int(np.ceil(bw / 55.0))))
    labels = period_label(starts, period)
    prev = None
    rows, changes = [], []
    for s, lab in zip(starts, labels):
        end = period_end(s, period)
        try:
            m = influence(located[located["event_date"] <= end], unit, reference_date=end, **kwargs)
        except AnalysisInputError:
            continue
        cur = m.set_index("unit")
        status = cur["dominant"].where(
            cur["status"] == "dominant", cur["status"].where(cur["status"] != "dominant")
        )
        for g in m.attrs["groups"]:
            now = set(cur.index[(cur["status"] == "dominant") & (cur["dominant"] == g)])
            cont = int(
                ((cur["status"] == "contested") & ((cur["dominant"] == g) | (cur["second"] == g))).sum()
            )
            before = set() if prev is None else set(prev.index[prev == g])
            rows.append(
                {
                    "period": lab,
                    "actor": g,
                    "cells": len(now),
                    "contested_cells": cont,
                    "gained": len(now - before) if prev is not None else 0,
                    "lost": len(before - now) if prev is not None else 0,
                }
            )
        if prev is not None:
            both = status.index.intersection(prev.index)
            diff = both[(status[both].astype(str) != prev[both].astype(str))]
            for u in diff:
                changes.append({"period": lab, "unit": u, "before": prev[u], "after": status[u]})
        prev = status
    summary = pd.DataFrame(rows, columns=["period", "actor", "cells", "contested_cells", "gained", "lost"])
    ch = pd.DataFrame(changes, columns=["period", "unit", "before", "after"])
    summary.attrs["excluded"] = excluded
    add_message(summary, msg)
    return summary, ch


def influence_layers(result) -> dict:
    """GeoJSON-ready layers from :func:`influence`: one dissolved zone per dominant group, and contested cells."""
    layers = {}
    dom = result[result["status"] == "dominant"]
    for g, part in dom.groupby("dominant"):
        zone = part.dissolve().reset_index(drop=True)[["geometry"]]
        zone["actor"] = g
        zone["cells"] = len(part)
        zone["mean_share"] = float(part["dominant_share"].mean())
        layers[f"zone:{g}"] = zone
    contested = result[result["status"] == "contested"]
    layers["contested"] = contested[
        ["unit", "dominant", "dominant_share", "second", "second_share", "intensity", "geometry"]
    ].copy()
    return layers


def write_layers(result, directory: str | Path) -> list[Path]:
    """Write :func:`influence_layers` as GeoJSON files in ``directory``; returns the paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, layer in influence_layers(result).items():
        slug = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()[:60]
        p = d / f"{slug}.geojson"
        paths.append(write_table(layer, p, kind="influence"))
    return paths


# -------------------------------------------------------------------------------- validation
def synthetic_territories(
    n_per_group: int = 300,
    *,
    seed: int = 0,
    noise: float = 0.15,
    density: tuple[float, float, float] = (1.0, 1.0, 1.0),
    bbox: tuple[float, float, float, float] = (-6.0, 12.0, 3.0, 18.0),
) -> tuple[pd.DataFrame, object]:
    """Three groups holding known territories; a share ``noise`` of each group's events fall anywhere.

    ``density`` multiplies each group's event density (A, B, C): (3, 1, 1) makes group A three times as
    active as the others, which pushes the kernel surfaces across the borders.

    Borders: group A west of 1.5°W; group B east of 1.5°W and north of 15°N; group C east of 1.5°W and
    south of 15°N. Returns ``(events, owner)`` where ``owner(lat, lon)`` gives the true group.
    """
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bbox

    def owner(lat, lon):
        lat = np.asarray(lat)
        lon = np.asarray(lon)
        return np.where(lon < -1.5, "Group A", np.where(lat >= 15.0, "Group B", "Group C"))

    rows = []
    boxes = {
        "Group A": (minx, miny, -1.5, maxy),
        "Group B": (-1.5, 15.0, maxx, maxy),
        "Group C": (-1.5, miny, maxx, 15.0),
    }
    for (g, (x0, y0, x1, y1)), dens in zip(boxes.items(), density):
        area = (x1 - x0) * (y1 - y0)
        n = int(n_per_group * dens * area / 27.0)  # events per square degree set by `density`
        k_noise = int(n * noise)
        lat = np.r_[rng.uniform(y0, y1, n - k_noise), rng.uniform(miny, maxy, k_noise)]
        lon = np.r_[rng.uniform(x0, x1, n - k_noise), rng.uniform(minx, maxx, k_noise)]
        day = rng.integers(0, 365, n)
        for a, b, d in zip(lat, lon, day):
            rows.append((g, a, b, d))
    ev = pd.DataFrame(rows, columns=["actor1", "latitude", "longitude", "day"])
    ev["event_date"] = pd.Timestamp("2019-01-01") + pd.to_timedelta(ev.pop("day"), unit="D")
    ev["actor2"] = "Civilians (Mali)"
    ev["inter1"] = 2
    ev["inter2"] = 7
    ev["event_type"] = "Violence against civilians"
    ev["geo_precision"] = 1
    ev["fatalities"] = 1
    ev["admin1"] = "Region"
    ev["admin2"] = "District"
    ev["event_id_cnty"] = [f"TER{i}" for i in range(len(ev))]
    return ev, owner


def territory_accuracy(result, owner) -> dict:
    """Share of active, uncontested cells whose dominant group owns the cell centre; contested share too."""
    active = result[result["status"] != "no activity"]
    dominant = active[active["status"] == "dominant"]
    truth = owner(dominant["lat"].to_numpy(), dominant["lon"].to_numpy())
    correct = float((dominant["dominant"].to_numpy() == truth).mean()) if len(dominant) else 0.0
    truth_all = owner(active["lat"].to_numpy(), active["lon"].to_numpy())
    all_correct = float((active["dominant"].to_numpy() == truth_all).mean()) if len(active) else 0.0
    return {
        "cells": len(result),
        "active": len(active),
        "contested": int((active["status"] == "contested").sum()),
        "accuracy_dominant_cells": correct,
        "accuracy_all_active_cells": all_correct,
    }
