"""Where violence concentrates: Getis-Ord Gi* hot spots, emerging hot spots, space-time clusters.

Three tools, each taking an events frame (the store's shape) and returning a (Geo)DataFrame:

``gi_star``            Getis-Ord Gi* (esda ``G_Local(star=True)``) on a regular grid of the study area
                       with its empty cells, permutation inference, Benjamini-Hochberg FDR, and classes
                       ``hot 99% / hot 95% / hot 90% / not significant / cold ... / no neighbours``.
``emerging_hotspots``  ESRI-style emerging hot-spot classes over a space-time cube (new, consecutive,
                       intensifying, persistent, diminishing, sporadic, oscillating, historical; cold
                       likewise), with a Mann-Kendall trend (pymannkendall) on each cell's Gi* z-scores.
``st_clusters``        ST-DBSCAN (exact space AND time radius, on projected coordinates) or HDBSCAN,
                       with a summary per cluster (centroid, extent, dates, events, fatalities, actors).

See docs/analysis.md for the methods, parameters and the validation figures.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._checks import AnalysisInputError, add_message, prepare, split_located
from .common import fdr_cutoff, project
from .units import (
    SAHEL_ALBERS,
    ActorMap,
    actor_long,
    assign_units,
    neighbours as queen_neighbours,
    parse_unit,
    period_label,
    period_range,
    period_start,
    study_cells,
    unit_centroids,
    unit_geometries,
)

CONFIDENCES = (99, 95, 90)


# ------------------------------------------------------------------------------------------ helpers
def _adjacency(units: list, unit: str, how: str, distance_km: float | None, crs: str) -> sp.csr_matrix:
    """Binary adjacency without the diagonal (queen contiguity or a distance band between cell centres)."""
    n = len(units)
    if how == "queen":
        nb = queen_neighbours(units, unit)
        index = {u: i for i, u in enumerate(units)}
        rows, cols = [], []
        for u, ns in nb.items():
            for v in ns:
                rows.append(index[u])
                cols.append(index[v])
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    if how == "distance":
        from scipy.spatial import cKDTree

        if not distance_km or distance_km <= 0:
            raise AnalysisInputError("neighbours='distance' needs distance_km > 0")
        lat, lon = unit_centroids(units, unit)
        x, y = project(lat, lon, crs=crs)
        pairs = cKDTree(np.c_[x, y]).query_pairs(distance_km * 1000.0, output_type="ndarray")
        rows = np.r_[pairs[:, 0], pairs[:, 1]] if len(pairs) else np.array([], int)
        cols = np.r_[pairs[:, 1], pairs[:, 0]] if len(pairs) else np.array([], int)
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    raise AnalysisInputError(f"unknown neighbours {how!r}: use 'queen' or 'distance'")


def _gi_star_values(y: np.ndarray, adj_self: sp.csr_matrix, permutations: int, seed: int | None):
    """Gi* z-scores and two-sided p-values; adjacency must carry the self weight on its diagonal."""
    from esda.getisord import G_Local
    from libpysal.weights import W

    w = W.from_sparse(adj_self.tocsr())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(
            y.astype("float64"),
            w,
            transform="B",
            star=True,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
            keep_simulations=bool(permutations),
        )
    if permutations:
        z = np.asarray(g.z_sim, dtype="float64")
        p_sim = np.asarray(g.p_sim, dtype="float64")
    else:
        z = np.asarray(g.Zs, dtype="float64")
        p_sim = np.full(len(y), np.nan)
    from scipy import stats

    z = np.where(np.isfinite(z), z, 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    return z, p, p_sim, np.asarray(g.Gs, dtype="float64")


def _classify(z: np.ndarray, p: np.ndarray, fdr: bool) -> tuple[np.ndarray, np.ndarray, dict]:
    """Confidence (99/95/90/0) and signed class per cell; the p cut-offs used."""
    cuts = {}
    conf = np.zeros(len(p), dtype="int64")
    for c in sorted(CONFIDENCES):  # 90, then 95, then 99 overwrite
        alpha = 1 - c / 100
        cut = fdr_cutoff(p, alpha) if fdr else alpha
        cuts[c] = cut
        conf[(p <= cut) & (cut > 0)] = c
    labels = np.where(
        conf == 0,
        "not significant",
        np.where(z > 0, "hot", "cold").astype(object) + " " + conf.astype(str) + "%",
    )
    return conf, labels.astype(object), cuts


# -------------------------------------------------------------------------------------------- Gi*
def gi_star(
    events: pd.DataFrame,
    unit: str = "priogrid",
    value: str = "events",
    *,
    neighbours: str = "queen",
    distance_km: float | None = None,
    permutations: int = 999,
    seed: int | None = 12345,
    fdr: bool = True,
    extent: tuple[float, float, float, float] | None = None,
    pad: int = 1,
    crs: str = SAHEL_ALBERS,
):
    """Getis-Ord Gi* hot and cold spots on a regular grid of the study area.

    Parameters
    ----------
    unit : ``priogrid`` or ``h3-4|h3-5|h3-6``.
    value : ``events`` (count) or ``fatalities`` (sum) per cell.
    neighbours : ``queen`` (cells sharing an edge or corner) or ``distance`` (cell centres within
        ``distance_km``). The focal cell is always included (Gi*, binary weights).
    permutations, seed : conditional-randomisation inference (esda); the z-score is standardised against
        the permutation distribution and turned into a two-sided p-value. ``permutations=0`` uses the
        analytical z-score.
    fdr : Benjamini-Hochberg false-discovery-rate cut-offs at 10%, 5% and 1% (ESRI's FDR option);
        False uses the plain 0.10/0.05/0.01 thresholds.
    extent, pad : study-area rule, see :func:`sahelwatch.analysis.units.study_cells`.

    Returns a GeoDataFrame, one row per grid cell (empty cells included): ``unit, lat, lon, events,
    fatalities, value, neighbours, gi_z, p_value, p_sim, confidence, class, geometry``. Cells without
    any neighbour get class ``no neighbours`` and no z/p (Gi* would only compare them with themselves).
    ``attrs``: ``excluded``, ``p_cutoffs``, ``messages``.
    """
    if value not in ("events", "fatalities"):
        raise AnalysisInputError(f"value must be 'events' or 'fatalities', not {value!r}")
    kind, _ = parse_unit(unit)
    if kind not in ("priogrid", "h3"):
        raise AnalysisInputError(f"Gi* needs a regular grid: unit priogrid or h3-4..6, not {unit!r}")
    df = prepare(events, "hotspots")
    located, excluded, msg = split_located(df, "hotspots")
    cells = study_cells(located, unit, pad=pad, extent=extent)
    located["unit"] = assign_units(located, unit)
    agg = located.groupby("unit").agg(events=("event_date", "size"), fatalities=("fatalities", "sum"))
    grid = unit_geometries(cells, unit)
    grid = grid.join(agg, on="unit")
    outside = int(located["unit"].isin(cells).eq(False).sum())
    grid[["events", "fatalities"]] = grid[["events", "fatalities"]].fillna(0).astype("int64")
    grid["value"] = grid[value].astype("float64")
    adj = _adjacency(cells, unit, neighbours, distance_km, crs)
    n_nb = np.asarray(adj.sum(axis=1)).ravel().astype("int64")
    grid["neighbours"] = n_nb
    islands = n_nb == 0
    y = grid["value"].to_numpy()
    grid["gi_z"] = np.nan
    grid["p_value"] = np.nan
    grid["p_sim"] = np.nan
    grid["confidence"] = 0
    grid["class"] = "not significant"
    if y.sum() <= 0:
        add_message(grid, f"no {value} in the selection: every cell is 0, Gi* is undefined; nothing is hot.")
    elif (~islands).sum() < 2:
        add_message(
            grid, "fewer than two cells with neighbours: Gi* cannot compare a neighbourhood with the rest."
        )
    else:
        adj_self = (adj + sp.identity(len(cells), format="csr")).tocsr()
        z, p, p_sim, _ = _gi_star_values(y, adj_self, permutations, seed)
        z[islands] = np.nan
        p[islands] = np.nan
        conf, labels, cuts = _classify(z, np.where(islands, np.nan, p), fdr)
        grid["gi_z"] = z
        grid["p_value"] = p
        grid["p_sim"] = np.where(islands, np.nan, p_sim)
        grid["confidence"] = conf
        grid["class"] = labels
        grid.attrs["p_cutoffs"] = cuts
        if len(located) < 10:
            add_message(
                grid, f"only {len(located)} located event(s): the hot/cold classes rest on very little data."
            )
    if islands.any():
        grid.loc[islands, "class"] = "no neighbours"
        grid.loc[islands, "confidence"] = 0
        add_message(
            grid,
            f"{int(islands.sum())} cell(s) have no neighbour at this distance band: "
            "class 'no neighbours', no z-score (widen distance_km or use queen contiguity).",
        )
    grid.attrs["excluded"] = excluded
    add_message(grid, msg)
    if outside:
        add_message(grid, f"{outside} event(s) fall outside the given extent and are not counted.")
    grid.attrs["unit"] = unit
    cols = [
        "unit",
        "lat",
        "lon",
        "events",
        "fatalities",
        "value",
        "neighbours",
        "gi_z",
        "p_value",
        "p_sim",
        "confidence",
        "class",
        "geometry",
    ]
    return grid[cols]


# ---------------------------------------------------------------------------- emerging hot spots
EHSA_CLASSES = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)


def _final_run(flags: np.ndarray) -> int:
    n = 0
    for f in flags[::-1]:
        if not f:
            break
        n += 1
    return n


def classify_emerging(hot: np.ndarray, cold: np.ndarray, trend: str, *, share: float = 0.9) -> str:
    """ESRI emerging hot-spot class of one location from its significant hot/cold flags over time.

    ``hot``/``cold``: booleans per time step (oldest first); ``trend``: Mann-Kendall result on the
    location's Gi* z-scores (``increasing``, ``decreasing`` or ``no trend``). Cold classes mirror the hot
    ones with the trend reversed (a cold spot "intensifies" when its z-score falls).
    """
    hot = np.asarray(hot, bool)
    cold = np.asarray(cold, bool)
    for flags, other, side, up, down in (
        (hot, cold, "hot", "increasing", "decreasing"),
        (cold, hot, "cold", "decreasing", "increasing"),
    ):
        if not len(flags):
            break
        frac = flags.mean()
        final = flags[-1]
        if final:
            if frac >= share:
                if trend == up:
                    return f"intensifying {side} spot"
                if trend == down:
                    return f"diminishing {side} spot"
                return f"persistent {side} spot"
            if not flags[:-1].any():
                return f"new {side} spot"
            run = _final_run(flags)
            if run >= 2 and not flags[: len(flags) - run].any():
                return f"consecutive {side} spot"
            if other[:-1].any():
                return f"oscillating {side} spot"
            return f"sporadic {side} spot"
        if frac >= share:
            return f"historical {side} spot"
    return "no pattern detected"


def emerging_hotspots(
    events: pd.DataFrame,
    unit: str = "priogrid",
    period: str = "month",
    value: str = "events",
    *,
    time_window: int = 1,
    neighbours: str = "queen",
    distance_km: float | None = None,
    alpha: float = 0.10,
    fdr: bool = True,
    trend_alpha: float = 0.05,
    extent: tuple[float, float, float, float] | None = None,
    pad: int = 1,
    start=None,
    end=None,
    crs: str = SAHEL_ALBERS,
):
    """Emerging hot-spot analysis (after ESRI's tool) on a cell × period cube.

    Gi* is computed for every cell × period bin over the whole cube with space-time neighbours: the
    spatial neighbours (and the cell itself) in the same period and in the ``time_window`` previous
    periods (ESRI's "neighborhood time step"). Analytical z-scores; a bin is a significant hot (cold)
    spot when its two-sided p-value passes the FDR cut-off at ``alpha`` and z > 0 (< 0). Each cell's
    z-score series is tested for a monotonic trend with Mann-Kendall (pymannkendall.original_test,
    ``trend_alpha``), and its flags are classified by :func:`classify_emerging`.

    Returns a GeoDataFrame per cell: ``unit, lat, lon, events, fatalities, pattern, hot_periods,
    cold_periods, n_periods, final_z, trend, trend_p, trend_tau, count_trend, geometry``; attrs carry the
    z-score matrix (``attrs["z"]``, cells × periods) and the period labels.
    """
    import pymannkendall as mk

    if value not in ("events", "fatalities"):
        raise AnalysisInputError(f"value must be 'events' or 'fatalities', not {value!r}")
    kind, _ = parse_unit(unit)
    if kind not in ("priogrid", "h3"):
        raise AnalysisInputError(f"emerging hot spots need a grid unit (priogrid, h3-4..6), not {unit!r}")
    df = prepare(events, "emerging hot spots")
    located, excluded, msg = split_located(df, "emerging hot spots")
    cells = study_cells(located, unit, pad=pad, extent=extent)
    located["unit"] = assign_units(located, unit)
    located = located[located["unit"].isin(cells)]
    located["period_start"] = period_start(located["event_date"], period).to_numpy()
    first = pd.Timestamp(start) if start is not None else located["period_start"].min()
    last = pd.Timestamp(end) if end is not None else located["period_start"].max()
    periods = period_range(first, last, period)
    T, n = len(periods), len(cells)
    if T < 3:
        raise AnalysisInputError(
            f"emerging hot spots: the selection spans {T} {period}(s); at least 3 are needed "
            f"(ESRI recommends 10 or more). Use a shorter period (--by) or a longer selection."
        )
    cidx = {c: i for i, c in enumerate(cells)}
    tidx = {p: i for i, p in enumerate(periods)}
    located = located[located["period_start"].isin(tidx)]
    ci = located["unit"].map(cidx).to_numpy(dtype="int64")
    ti = located["period_start"].map(tidx).to_numpy(dtype="int64")
    vals = np.ones(len(located)) if value == "events" else located["fatalities"].to_numpy(dtype="float64")
    Y = np.zeros((n, T))
    np.add.at(Y, (ci, ti), vals)
    counts = np.zeros((n, T))
    np.add.at(counts, (ci, ti), 1)
    fat = np.zeros(n)
    np.add.at(fat, ci, located["fatalities"].to_numpy(dtype="float64"))

    adj = _adjacency(cells, unit, neighbours, distance_km, crs)
    spatial = (adj + sp.identity(n, format="csr")).tocsr()
    k = max(int(time_window), 0)
    temporal = sp.diags(
        [np.ones(T - d) for d in range(k + 1)], [-d for d in range(k + 1)], shape=(T, T), format="csr"
    )  # same period and the k previous ones
    st = sp.kron(temporal, spatial, format="csr")  # bins ordered period-major: bin = t*n + i
    y = Y.T.ravel()
    grid = unit_geometries(cells, unit)
    grid["events"] = counts.sum(axis=1).astype("int64")
    grid["fatalities"] = fat.astype("int64")
    if y.sum() <= 0:
        raise AnalysisInputError(f"emerging hot spots: no {value} in the selection")
    with np.errstate(divide="ignore", invalid="ignore"):
        # Gi* with binary weights and self included (Getis & Ord 1995), over all n*T bins
        N = len(y)
        xbar = y.mean()
        s = np.sqrt((y**2).mean() - xbar**2)
        wsum = np.asarray(st.sum(axis=1)).ravel()
        w2 = np.asarray(st.multiply(st).sum(axis=1)).ravel()
        num = st @ y - xbar * wsum
        den = s * np.sqrt((N * w2 - wsum**2) / (N - 1))
        z = np.where(den > 0, num / den, 0.0)
    from scipy import stats

    p = 2 * stats.norm.sf(np.abs(z))
    cut = fdr_cutoff(p, alpha) if fdr else alpha
    sig = (p <= cut) & (cut > 0)
    Z = z.reshape(T, n).T
    S = sig.reshape(T, n).T
    hot = S & (Z > 0)
    cold = S & (Z < 0)
    patterns, trends, tps, taus, ctrends = [], [], [], [], []
    for i in range(n):
        if np.allclose(Z[i], Z[i][0]):
            tr, tp, tau = "no trend", 1.0, 0.0
        else:
            r = mk.original_test(Z[i], alpha=trend_alpha)
            tr, tp, tau = r.trend, float(r.p), float(r.Tau)
        if counts[i].any() and not np.allclose(counts[i], counts[i][0]):
            ctrends.append(mk.original_test(counts[i], alpha=trend_alpha).trend)
        else:
            ctrends.append("no trend")
        trends.append(tr)
        tps.append(tp)
        taus.append(tau)
        patterns.append(classify_emerging(hot[i], cold[i], tr))
    grid["pattern"] = patterns
    grid["hot_periods"] = hot.sum(axis=1)
    grid["cold_periods"] = cold.sum(axis=1)
    grid["n_periods"] = T
    grid["final_z"] = Z[:, -1]
    grid["trend"] = trends
    grid["trend_p"] = tps
    grid["trend_tau"] = taus
    grid["count_trend"] = ctrends
    grid.attrs.update(
        {
            "z": Z,
            "periods": list(period_label(periods, period)),
            "p_cutoff": cut,
            "excluded": excluded,
            "unit": unit,
            "period": period,
        }
    )
    add_message(grid, msg)
    if T < 10:
        add_message(grid, f"only {T} periods: ESRI recommends at least 10 for the Mann-Kendall trend.")
    return grid


# ----------------------------------------------------------------------- space-time clusters
def st_clusters(
    events: pd.DataFrame,
    *,
    method: str = "stdbscan",
    eps_km: float = 30.0,
    eps_days: float = 30.0,
    min_samples: int = 5,
    min_cluster_size: int | None = None,
    crs: str = SAHEL_ALBERS,
    actor_map: ActorMap | None = None,
    return_labels: bool = False,
):
    """Space-time clusters of events on projected coordinates.

    ``method="stdbscan"``: ST-DBSCAN (Birant & Kut 2007) core logic — two events are neighbours when they
    lie within ``eps_km`` in space AND ``eps_days`` in time; DBSCAN (scikit-learn, precomputed sparse
    neighbourhoods) grows clusters from events with at least ``min_samples`` such neighbours (self included).
    ``method="hdbscan"``: scikit-learn HDBSCAN on (x/eps_km, y/eps_km, t/eps_days), so ``eps_km`` and
    ``eps_days`` set how space trades against time; ``min_cluster_size`` defaults to ``min_samples``.

    Returns a DataFrame, one row per cluster: ``cluster, events, fatalities, start, end, days, lat, lon,
    min_lon, min_lat, max_lon, max_lat, radius_km, admin1, main_actors, event_types``; with
    ``return_labels=True`` also the label of every input event (-1 = noise, -2 = not located).
    """
    df = prepare(events, "clusters")
    df = df.reset_index(drop=True)
    labels_all = np.full(len(df), -2, dtype="int64")
    located, excluded, msg = split_located(df, "clusters")
    # a canonical order (date, place, id) so that DBSCAN's border points do not depend on the input order
    keys = [c for c in ("event_date", "latitude", "longitude", "event_id_cnty") if c in located.columns]
    located = located.sort_values(keys, kind="stable")
    idx = located.index.to_numpy()
    x, y = project(located["latitude"], located["longitude"], crs=crs)
    xk, yk = x / 1000.0, y / 1000.0
    t = (located["event_date"] - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype="float64")
    if len(located) < max(min_samples, 2):
        labels = np.full(len(located), -1, dtype="int64")
    elif method == "stdbscan":
        from scipy.spatial import cKDTree
        from sklearn.cluster import DBSCAN

        pairs = cKDTree(np.c_[xk, yk]).query_pairs(eps_km, output_type="ndarray")
        if len(pairs):
            keep = np.abs(t[pairs[:, 0]] - t[pairs[:, 1]]) <= eps_days
            pairs = pairs[keep]
        m = len(located)
        rows = np.r_[pairs[:, 0], pairs[:, 1], np.arange(m)] if len(pairs) else np.arange(m)
        cols = np.r_[pairs[:, 1], pairs[:, 0], np.arange(m)] if len(pairs) else np.arange(m)
        # distances are irrelevant beyond "neighbour or not": store them as tiny positive numbers
        dist = sp.csr_matrix((np.full(len(rows), 1e-9), (rows, cols)), shape=(m, m))
        labels = DBSCAN(eps=1e-6, min_samples=min_samples, metric="precomputed").fit(dist).labels_
    elif method == "hdbscan":
        from sklearn.cluster import HDBSCAN

        X = np.c_[xk / eps_km, yk / eps_km, t / eps_days]
        labels = (
            HDBSCAN(
                min_cluster_size=max(min_cluster_size or min_samples, 2), min_samples=min_samples, copy=True
            )
            .fit(X)
            .labels_
        )
    else:
        raise AnalysisInputError(f"unknown clustering method {method!r}: use 'stdbscan' or 'hdbscan'")
    labels_all[idx] = labels
    located = located.assign(cluster=labels, _x=xk, _y=yk)
    rows = []
    clustered = located[located["cluster"] >= 0]
    long = actor_long(clustered.reset_index(drop=True), actor_map) if len(clustered) else None
    cl_of_row = clustered["cluster"].to_numpy()
    for c, g in clustered.groupby("cluster"):
        cx, cy = g["_x"].mean(), g["_y"].mean()
        actors = ""
        if long is not None and len(long):
            a = long[cl_of_row[long["_row"].to_numpy()] == c]["actor"].value_counts().head(3)
            actors = "; ".join(f"{k} ({v})" for k, v in a.items())
        types = g["event_type"].value_counts().head(3) if "event_type" in g else pd.Series(dtype=int)
        admin = g["admin1"].mode().iloc[0] if "admin1" in g and g["admin1"].notna().any() else None
        rows.append(
            {
                "cluster": int(c),
                "events": len(g),
                "fatalities": int(g["fatalities"].sum()),
                "start": g["event_date"].min().date().isoformat(),
                "end": g["event_date"].max().date().isoformat(),
                "days": int((g["event_date"].max() - g["event_date"].min()).days) + 1,
                "lat": float(g["latitude"].mean()),
                "lon": float(g["longitude"].mean()),
                "min_lon": float(g["longitude"].min()),
                "min_lat": float(g["latitude"].min()),
                "max_lon": float(g["longitude"].max()),
                "max_lat": float(g["latitude"].max()),
                "radius_km": float(np.sqrt((g["_x"] - cx) ** 2 + (g["_y"] - cy) ** 2).max()),
                "admin1": admin,
                "main_actors": actors,
                "event_types": "; ".join(f"{k} ({v})" for k, v in types.items()),
            }
        )
    cols = [
        "cluster",
        "events",
        "fatalities",
        "start",
        "end",
        "days",
        "lat",
        "lon",
        "min_lon",
        "min_lat",
        "max_lon",
        "max_lat",
        "radius_km",
        "admin1",
        "main_actors",
        "event_types",
    ]
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out = out.sort_values("events", ascending=False).reset_index(drop=True)
    out.attrs.update({"excluded": excluded, "noise": int((labels == -1).sum()), "method": method})
    add_message(out, msg)
    if not len(out):
        add_message(
            out,
            f"no space-time cluster: no group of ≥ {min_samples} events within {eps_km:g} km "
            f"and {eps_days:g} days ({len(located)} located events).",
        )
    if return_labels:
        return out, labels_all
    return out


# -------------------------------------------------------------------------------- validation
def synthetic_clusters(
    n_clusters: int = 8,
    per_cluster: int = 40,
    n_noise: int = 1500,
    *,
    seed: int = 0,
    bbox: tuple[float, float, float, float] = (-6.0, 12.0, 4.0, 18.0),
    days: int = 730,
    sd_km: float = 8.0,
    sd_days: float = 6.0,
) -> pd.DataFrame:
    """Events frame with clusters planted in uniform space-time noise; ``truth`` = cluster id or -1.

    Cluster centres are drawn uniformly and redrawn until each is at least 6 standard deviations from the
    others in space or in time, so that the planted truth is separable.
    """
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bbox
    t0 = pd.Timestamp("2018-01-01")
    lat = [rng.uniform(miny, maxy, n_noise)]
    lon = [rng.uniform(minx, maxx, n_noise)]
    day = [rng.integers(0, days, n_noise)]
    truth = [np.full(n_noise, -1)]
    centres: list[tuple[float, float, float]] = []
    for k in range(n_clusters):
        for _ in range(1000):  # planted clusters must be separable: ≥ 6 sd apart in space or in time
            clat = rng.uniform(miny + 0.5, maxy - 0.5)
            clon = rng.uniform(minx + 0.5, maxx - 0.5)
            cday = rng.uniform(30, days - 30)
            if all(
                np.hypot(clat - a, (clon - b) * np.cos(np.radians(clat))) * 111.0 > 6 * sd_km
                or abs(cday - c) > 6 * sd_days
                for a, b, c in centres
            ):
                break
        centres.append((clat, clon, cday))
        lat.append(clat + rng.normal(0, sd_km / 111.0, per_cluster))
        lon.append(clon + rng.normal(0, sd_km / (111.0 * np.cos(np.radians(clat))), per_cluster))
        day.append(np.clip(np.round(rng.normal(cday, sd_days, per_cluster)), 0, days - 1).astype(int))
        truth.append(np.full(per_cluster, k))
    n = n_noise + n_clusters * per_cluster
    df = pd.DataFrame(
        {
            "event_id_cnty": [f"SYN{i}" for i in range(n)],
            "event_date": t0 + pd.to_timedelta(np.concatenate(day), unit="D"),
            "event_type": "Battles",
            "actor1": "Group A",
            "actor2": None,
            "inter1": 2,
            "inter2": 0,
            "admin1": "Region",
            "admin2": "District",
            "latitude": np.concatenate(lat),
            "longitude": np.concatenate(lon),
            "geo_precision": 1,
            "fatalities": 1,
            "truth": np.concatenate(truth),
        }
    )
    return df


def score_clusters(truth: Sequence[int], found: Sequence[int], *, min_overlap: float = 0.5) -> dict:
    """Precision/recall of found clusters against planted ones.

    Cluster level: a found cluster is correct when ≥ ``min_overlap`` of its events belong to one planted
    cluster and it holds ≥ ``min_overlap`` of that cluster's events; precision = correct found / found,
    recall = planted clusters matched / planted. Event level: precision = share of clustered events that
    were planted, recall = share of planted events that were clustered.
    """
    truth = np.asarray(truth)
    found = np.asarray(found)
    planted = [k for k in np.unique(truth) if k >= 0]
    got = [k for k in np.unique(found) if k >= 0]
    matched_planted = set()
    correct = 0
    for f in got:
        members = truth[found == f]
        vals, cnt = np.unique(members, return_counts=True)
        j = int(np.argmax(cnt))
        k, c = vals[j], cnt[j]
        if k >= 0 and c / len(members) >= min_overlap and c / (truth == k).sum() >= min_overlap:
            correct += 1
            matched_planted.add(int(k))
    in_found = found >= 0
    in_truth = truth >= 0
    return {
        "planted": len(planted),
        "found": len(got),
        "precision": correct / len(got) if got else 0.0,
        "recall": len(matched_planted) / len(planted) if planted else 0.0,
        "event_precision": float((in_truth & in_found).sum() / in_found.sum()) if in_found.any() else 0.0,
        "event_recall": float((in_truth & in_found).sum() / in_truth.sum()) if in_truth.any() else 0.0,
    }
