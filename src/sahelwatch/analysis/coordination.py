"""Coordination and rivalry between armed groups, per actor pair and period (issue 4 §4).

Three kinds of evidence per pair (A, B) and period, combined into a label
(``coordinating`` | ``independent`` | ``rival`` | ``insufficient data``):

(a) Hawkes cross-excitation: a bivariate Hawkes process fitted to A's and B's own events
    (:mod:`sahelwatch.analysis.hawkes`) gives ``branching_ab`` (B events triggered per A event)
    and ``branching_ba``, with parametric-bootstrap intervals;
(b) space-time co-occurrence: a cross Knox statistic, the number of (A event, B event) pairs
    within ``d_km`` and ``t_days``, against a permutation null that shuffles the dates of A's
    events among A's events (keeping both groups' maps and calendars), giving a ratio
    observed/expected and a permutation p-value;
(c) direct clashes: events with A on one side and B on the other, and their fatalities; and, the
    other way round, joint events: A and B coded on the same side of one event (e.g. actor1 = A,
    assoc_actor_1 = B), the most direct evidence of cooperation the data can hold.

The decision rule is in :func:`label` and docs/relations.md.
"""

from __future__ import annotations

import itertools
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..taxonomy import ARMED_GROUPS
from . import hawkes as hk
from .common import fdr_qvalues, local_crs, project
from .groups import ActorMap, mapping_from, side_groups


#: ACLED inter codes of non-state armed groups (rebels, political militias, identity militias)
ARMED_GROUP_INTER = ARMED_GROUPS


class CoordinationError(InputError):
    """The selection cannot support the analysis at all (empty, a single actor)."""


# --------------------------------------------------------------------------------------------
# groups per event side (side_groups: sahelwatch.analysis.groups)


def default_actors(events: pd.DataFrame, *, actor_map: ActorMap | None = None, top: int = 4) -> list[str]:
    """The ``top`` most active non-state armed groups (inter1 2-4) on the actor1 side."""
    sel = events
    if "inter1" in events:
        sel = events[pd.to_numeric(events["inter1"], errors="coerce").isin(ARMED_GROUP_INTER)]
    cnt = pd.Series(
        [g for s in side_groups(sel, actor_map=actor_map, side=1, assoc=False) for g in s], dtype=object
    ).value_counts()
    return list(cnt.index[:top])


def periods(dates: pd.Series, by: str | None = "year") -> pd.Series:
    """Period label per date: ``2019`` (year), ``2019Q3`` (quarter), ``2019-07`` (month) or ``all``."""
    d = pd.to_datetime(dates)
    if by in (None, "all"):
        return pd.Series("all", index=dates.index)
    freq = {"year": "Y", "quarter": "Q", "month": "M"}.get(by)
    if freq is None:
        raise CoordinationError(f"by={by!r}: expected year, quarter, month or all")
    return d.dt.to_period(freq).astype(str)


def _period_bounds(label: str, by: str | None, dmin: pd.Timestamp, dmax: pd.Timestamp):
    if by in (None, "all"):
        return dmin, dmax
    p = pd.Period(label, freq={"year": "Y", "quarter": "Q", "month": "M"}[by])
    return max(p.start_time.normalize(), dmin), min(p.end_time.normalize(), dmax)


# --------------------------------------------------------------------------------------------
# (b) Knox test


def knox(
    xy_a: np.ndarray,
    t_a: np.ndarray,
    xy_b: np.ndarray,
    t_b: np.ndarray,
    d_km: float = 50.0,
    t_days: float = 14.0,
    n_perm: int = 499,
    seed: int | None = 0,
    max_cells: int = 5_000_000,
) -> dict:
    """Cross Knox statistic: pairs (a, b) with distance <= ``d_km`` and |t_a - t_b| <= ``t_days``.

    Null: A's dates permuted among A's events (space-time independence of A relative to B, both
    groups' maps and calendars kept).  Space-close pairs come once from a KD-tree; each permutation
    is then a vectorised count over those pairs (chunks of at most ``max_cells`` numbers).
    Returns observed, expected (permutation mean), ratio, ``knox_p`` (one-sided, excess),
    ``knox_p_low`` (one-sided, deficit: the groups keep apart in space-time), n_space_pairs.
    """
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    ta = np.asarray(t_a, float)
    tb = np.asarray(t_b, float)
    if len(xy_a) == 0 or len(xy_b) == 0:
        return {
            "knox_pairs": 0,
            "knox_expected": np.nan,
            "knox_ratio": np.nan,
            "knox_p": np.nan,
            "knox_p_low": np.nan,
            "space_pairs": 0,
        }
    sp = cKDTree(xy_a).sparse_distance_matrix(
        cKDTree(xy_b), d_km, output_type="ndarray"
    )  # keeps zero distances
    ia, ib = sp["i"].astype(np.int64), sp["j"].astype(np.int64)
    obs = int(np.count_nonzero(np.abs(ta[ia] - tb[ib]) <= t_days))
    if ia.size == 0 or n_perm <= 0:
        return {
            "knox_pairs": obs,
            "knox_expected": 0.0 if ia.size == 0 else np.nan,
            "knox_ratio": np.nan,
            "knox_p": 1.0 if ia.size == 0 else np.nan,
            "knox_p_low": 1.0 if ia.size == 0 else np.nan,
            "space_pairs": int(ia.size),
        }
    null = np.empty(n_perm, dtype=np.int64)
    chunk = max(1, max_cells // max(ia.size, 1))
    tb_ib = tb[ib]
    done = 0
    while done < n_perm:
        k = min(chunk, n_perm - done)
        perm = np.argsort(rng.random((k, ta.size)), axis=1)  # k permutations of A's dates
        tp = ta[perm][:, ia]  # (k, M)
        null[done : done + k] = np.count_nonzero(np.abs(tp - tb_ib) <= t_days, axis=1)
        done += k
    expected = float(null.mean())
    return {
        "knox_pairs": obs,
        "knox_expected": expected,
        "knox_ratio": obs / expected if expected > 0 else (np.inf if obs else np.nan),
        "knox_p": float((1 + np.count_nonzero(null >= obs)) / (1 + n_perm)),
        "knox_p_low": float((1 + np.count_nonzero(null <= obs)) / (1 + n_perm)),
        "space_pairs": int(ia.size),
    }


# --------------------------------------------------------------------------------------------
# the decision rule


def label(
    row: dict,
    *,
    min_clashes: int = 2,
    min_joint: int = 2,
    p_level: float = 0.05,
    min_ratio: float = 1.2,
    min_branching: float = 0.05,
) -> tuple[str, str]:
    """Label one pair-period from its evidence; returns (label, reason).

    1. rival        — at least ``min_clashes`` direct clashes between the two groups (whatever else);
    2. coordinating — fewer clashes, and either at least ``min_joint`` joint events (both groups on the
                      same side), or both statistical signals: Knox excess (p < ``p_level`` and ratio
                      >= ``min_ratio``) AND Hawkes cross-excitation (the bootstrap lower bound of the
                      branching A→B or B→A above ``min_branching``);
    3. independent  — otherwise, when at least one of the two tests (Knox, Hawkes) could be run or
                      joint events/clashes were counted;
    4. insufficient data — nothing could be measured.
    """
    clashes = int(row.get("clashes") or 0)
    joint = int(row.get("joint_events") or 0)
    if clashes >= min_clashes:
        extra = f"; also {joint} joint event(s)" if joint else ""
        return "rival", f"{clashes} direct clashes ({int(row.get('clash_fatalities') or 0)} killed){extra}"
    kp, kr = row.get("knox_p"), row.get("knox_ratio")
    knox_ok = kp is not None and not pd.isna(kp)
    knox_sig = knox_ok and kp < p_level and kr is not None and not pd.isna(kr) and kr >= min_ratio
    lows = [row.get("branching_ab_low"), row.get("branching_ba_low")]
    hawkes_ok = not pd.isna(row.get("branching_ab", np.nan))
    hawkes_sig = hawkes_ok and any((x is not None and not pd.isna(x) and x > min_branching) for x in lows)
    parts = []
    if joint:
        parts.append(
            f"{joint} joint event(s)"
            + ("" if joint >= min_joint else f", below the threshold of {min_joint}")
        )
    pl = row.get("knox_p_low")
    if knox_ok and pl is not None and not pd.isna(pl) and pl < p_level:
        parts.append("Knox deficit: fewer close pairs than chance (they keep apart)")
    else:
        parts.append(("Knox excess" if knox_sig else "no Knox excess") if knox_ok else "Knox not run")
    parts.append(
        ("Hawkes cross-excitation" if hawkes_sig else "no Hawkes cross-excitation")
        if hawkes_ok
        else "Hawkes not fitted"
    )
    if clashes:
        parts.append(f"{clashes} clash(es), below the rival threshold of {min_clashes}")
    if joint >= min_joint or (knox_sig and hawkes_sig):
        return "coordinating", "; ".join(parts)
    if not knox_ok and not hawkes_ok and not joint and not clashes:
        return (
            "insufficient data",
            "neither the Knox test nor the Hawkes fit could be run, and no joint events or clashes",
        )
    return "independent", "; ".join(parts)


# --------------------------------------------------------------------------------------------
# the table


def coordination(
    events: pd.DataFrame,
    actors: Sequence[str] | None = None,
    *,
    actor_map: ActorMap | None = None,
    by: str | None = "year",
    d_km: float = 50.0,
    t_days: float = 14.0,
    n_perm: int = 499,
    n_boot: int = 30,
    beta: float | Sequence[float] | None = None,
    min_events: int = 10,
    max_geo_precision: int = 2,
    min_clashes: int = 2,
    min_joint: int = 2,
    p_level: float = 0.05,
    min_ratio: float = 1.2,
    min_branching: float = 0.05,
    seed: int = 0,
    top: int = 4,
    baseline_days: float | None = 91.0,
) -> pd.DataFrame:
    """Per actor pair and period: evidence columns and a label (see :func:`label`).

    ``events``: the store's events frame.  ``actors``: canonical group names (after ``actor_map``);
    default the ``top`` most active armed groups.  ``by``: year | quarter | month | all.
    A group's *own* events are those with the group on the actor1 side (actor1 or an assoc actor
    mapped to it), excluding clashes between the pair and their joint events (counted apart).  Knox uses events with coordinates and
    geo_precision <= ``max_geo_precision``.  ``beta``: Hawkes decay per day; None grid-searches
    :data:`hawkes.DEFAULT_BETAS` once per pair on the whole selection, then holds it fixed per period.
    ``baseline_days``: the Hawkes background rate of each group may change every ~91 days (a quarter),
    so that common seasons or trends are not read as cross-excitation; None = constant background.
    Rows whose tests cannot run carry NaN in those columns and say why in ``note``.
    """
    if events is None or len(events) == 0:
        raise CoordinationError("no events in the selection: widen the filters (dates, country, actors)")
    ev = events.reset_index(drop=True)
    ev["event_date"] = pd.to_datetime(ev["event_date"], errors="coerce")
    ev = ev[ev["event_date"].notna()].reset_index(drop=True)
    if len(ev) == 0:
        raise CoordinationError("no event in the selection has a readable event_date")
    if actors is None:
        actors = default_actors(ev, actor_map=actor_map, top=top)
    actors = list(dict.fromkeys(a for a in actors if a))
    if len(actors) < 2:
        found = actors[0] if actors else "none"
        raise CoordinationError(
            f"coordination needs two actors; got only {found!s}. "
            "Name two with --actors A --actors B, or widen the filters"
        )
    g1 = side_groups(ev, actor_map=actor_map, side=1)
    g2 = side_groups(ev, actor_map=actor_map, side=2)
    per = periods(ev["event_date"], by)
    dmin, dmax = ev["event_date"].min().normalize(), ev["event_date"].max().normalize()
    origin = dmin
    days = ((ev["event_date"].dt.normalize() - origin) / pd.Timedelta(days=1)).to_numpy(float)
    jit = hk.event_times(ev["event_date"], seed=seed, origin=origin)
    lat = (
        pd.to_numeric(ev.get("latitude"), errors="coerce").to_numpy(float)
        if "latitude" in ev
        else np.full(len(ev), np.nan)
    )
    lon = (
        pd.to_numeric(ev.get("longitude"), errors="coerce").to_numpy(float)
        if "longitude" in ev
        else np.full(len(ev), np.nan)
    )
    located = np.isfinite(lat) & np.isfinite(lon)
    if "geo_precision" in ev:
        gp = pd.to_numeric(ev["geo_precision"], errors="coerce").to_numpy(float)
        located &= ~(gp > max_geo_precision)
    xy = np.full((len(ev), 2), np.nan)
    if located.any():
        la, lo = lat[located], lon[located]
        xy[located] = np.column_stack(project(la, lo, crs=local_crs(la, lo), km=True))
    fat = (
        pd.to_numeric(ev.get("fatalities", 0), errors="coerce").fillna(0).to_numpy(float)
        if "fatalities" in ev
        else np.zeros(len(ev))
    )
    has = {a: np.fromiter((a in s for s in g1), bool, len(ev)) for a in actors}
    has2 = {a: np.fromiter((a in s for s in g2), bool, len(ev)) for a in actors}
    per_values = per.to_numpy()
    labels_sorted = sorted(pd.unique(per_values))
    rows = []
    for a, b in itertools.combinations(actors, 2):
        clash = (has[a] & has2[b]) | (has[b] & has2[a])
        joint = ((has[a] & has[b]) | (has2[a] & has2[b])) & ~clash
        own_a = has[a] & ~clash & ~joint
        own_b = has[b] & ~clash & ~joint
        pair_beta = beta
        if beta is None or not np.isscalar(beta):
            sel = own_a | own_b
            try:
                t_all = jit[sel]
                u_all = np.where(own_a[sel], 0, 1)
                pair_beta = hk.fit(
                    t_all, u_all, T=float((dmax - dmin).days + 1), beta=beta, D=2, baseline_days=baseline_days
                ).beta
            except hk.HawkesError:
                pair_beta = hk.DEFAULT_BETAS[2]
        for p in labels_sorted:
            inp = per_values == p
            start, end = _period_bounds(p, by, dmin, dmax)
            ia, ib, ic, ij = own_a & inp, own_b & inp, clash & inp, joint & inp
            row = {
                "period": p,
                "actor_a": a,
                "actor_b": b,
                "events_a": int(ia.sum()),
                "events_b": int(ib.sum()),
                "fatalities_a": int(fat[ia].sum()),
                "fatalities_b": int(fat[ib].sum()),
                "clashes": int(ic.sum()),
                "clash_fatalities": int(fat[ic].sum()),
                "joint_events": int(ij.sum()),
                "joint_fatalities": int(fat[ij].sum()),
            }
            notes = []
            # (b) Knox
            la, lb = ia & located, ib & located
            row["located_a"], row["located_b"] = int(la.sum()), int(lb.sum())
            if la.sum() >= 2 and lb.sum() >= 2:
                row.update(
                    knox(
                        xy[la], days[la], xy[lb], days[lb], d_km=d_km, t_days=t_days, n_perm=n_perm, seed=seed
                    )
                )
            else:
                row.update(
                    {
                        "knox_pairs": np.nan,
                        "knox_expected": np.nan,
                        "knox_ratio": np.nan,
                        "knox_p": np.nan,
                        "knox_p_low": np.nan,
                        "space_pairs": np.nan,
                    }
                )
                notes.append(
                    f"Knox not run: needs >= 2 located events per group (have {int(la.sum())} and "
                    f"{int(lb.sum())}; events without coordinates or with geo_precision > "
                    f"{max_geo_precision} are left out)"
                )
            # (a) Hawkes
            T = float((end - start).days + 1)
            na_, nb_ = int(ia.sum()), int(ib.sum())
            hcols = [
                "branching_ab",
                "branching_ab_low",
                "branching_ab_high",
                "branching_ba",
                "branching_ba_low",
                "branching_ba_high",
                "branching_aa",
                "branching_bb",
            ]
            if na_ >= min_events and nb_ >= min_events:
                off = (start - origin).days
                t = np.r_[jit[ia], jit[ib]] - off
                u = np.r_[np.zeros(na_, int), np.ones(nb_, int)]
                try:
                    f = hk.fit(
                        t, u, T=T, beta=float(pair_beta), D=2, names=[a, b], baseline_days=baseline_days
                    )
                    hk.bootstrap(f, n_boot=n_boot, seed=seed)
                    ci = f.alpha_ci if f.alpha_ci is not None else np.full((2, 2, 2), np.nan)
                    row.update(
                        {
                            "branching_ab": f.alpha[0, 1],
                            "branching_ab_low": ci[0, 1, 0],
                            "branching_ab_high": ci[0, 1, 1],
                            "branching_ba": f.alpha[1, 0],
                            "branching_ba_low": ci[1, 0, 0],
                            "branching_ba_high": ci[1, 0, 1],
                            "branching_aa": f.alpha[0, 0],
                            "branching_bb": f.alpha[1, 1],
                        }
                    )
                except hk.HawkesError as exc:
                    row.update(dict.fromkeys(hcols, np.nan))
                    notes.append(f"Hawkes not fitted: {exc}")
            else:
                row.update(dict.fromkeys(hcols, np.nan))
                notes.append(
                    f"Hawkes not fitted: too few events ({na_} and {nb_}; need {min_events} per group)"
                )
            row["beta"] = float(pair_beta)
            lab, why = label(
                row,
                min_clashes=min_clashes,
                min_joint=min_joint,
                p_level=p_level,
                min_ratio=min_ratio,
                min_branching=min_branching,
            )
            row["label"], row["reason"], row["note"] = lab, why, "; ".join(notes)
            rows.append(row)
    cols = [
        "period",
        "actor_a",
        "actor_b",
        "label",
        "reason",
        "events_a",
        "events_b",
        "fatalities_a",
        "fatalities_b",
        "clashes",
        "clash_fatalities",
        "joint_events",
        "joint_fatalities",
        "located_a",
        "located_b",
        "knox_pairs",
        "knox_expected",
        "knox_ratio",
        "knox_p",
        "knox_p_low",
        "space_pairs",
        "branching_ab",
        "branching_ab_low",
        "branching_ab_high",
        "branching_ba",
        "branching_ba_low",
        "branching_ba_high",
        "branching_aa",
        "branching_bb",
        "beta",
        "note",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out.insert(out.columns.get_loc("knox_p_low"), "knox_q", fdr_qvalues(out["knox_p"]))
    out.attrs.update(
        {
            "d_km": d_km,
            "t_days": t_days,
            "n_perm": n_perm,
            "n_boot": n_boot,
            "by": by,
            "baseline_days": baseline_days,
        }
    )
    return out


def clashes(events: pd.DataFrame, a: str, b: str, *, actor_map: ActorMap | None = None) -> pd.DataFrame:
    """The events in which groups ``a`` and ``b`` are on opposite sides."""
    g1 = side_groups(events, actor_map=actor_map, side=1)
    g2 = side_groups(events, actor_map=actor_map, side=2)
    m = [(a in x and b in y) or (b in x and a in y) for x, y in zip(g1, g2)]
    return events.loc[np.asarray(m, bool) if len(m) else []]


__all__: Iterable[str] = [
    "coordination",
    "knox",
    "label",
    "side_groups",
    "default_actors",
    "periods",
    "clashes",
    "mapping_from",
    "CoordinationError",
]
