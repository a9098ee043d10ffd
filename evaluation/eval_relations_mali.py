"""Evaluation on the Mali ACLED file (../shared): the JNIM–ISGS relation by year, the top network edges, timings.

    .venv/bin/python evaluation/eval_relations_mali.py [--n-perm 999] [--n-boot 100]

Reads /work/shared/data/acled/acled_mali_2017_2019_monadic.csv (evaluation only; nothing is copied
into the repository).  Prints tables; no thresholds are asserted here (this is a description).
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from sahelwatch.analysis.coordination import coordination
from sahelwatch.analysis.hawkes import hawkes_actors
from sahelwatch.analysis.network import network_edges

MALI = os.environ.get("SAHELWATCH_MALI", "/work/shared/data/acled/acled_mali_2017_2019_monadic.csv")

JNIM = "JNIM: Group for Support of Islam and Muslims"
ISGS_NAMES = ["Islamic State (Greater Sahara)", "Islamic State (West Africa) - Greater Sahara Faction"]
JOINT = (
    "JNIM: Group for Support of Islam and Muslims and/or Islamic State (West Africa) - Greater Sahara Faction"
)


def load_mali(path: str = MALI) -> pd.DataFrame:
    from evaluation._data import acled_events

    return acled_events(path)


def mapping():
    """The actor registry's groups (the mapping the CLI uses): JNIM with its components (Katiba Macina,
    Katiba Serma, Katiba Al Mansour, Ansar Dine, AQIM, Al Mourabitoune...) and the Islamic State in the
    Greater Sahara under both its ACLED names (+ Katiba Salaheddine), shortened to "JNIM" and "ISGS"
    for display; the joint "JNIM and/or ISGS" attribution is ambiguous and dropped (None)."""
    from sahelwatch.analysis.groups import registry_group_map

    reg = registry_group_map(components=True)
    short = {reg(JNIM): "JNIM", reg(ISGS_NAMES[0]): "ISGS"}
    assert reg(ISGS_NAMES[1]) == reg(ISGS_NAMES[0]), "the registry should give both ISGS names one group"

    def m(name):
        if name == JOINT:
            return None
        g = reg(name)
        return short.get(g, g)

    return m


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-perm", type=int, default=999)
    ap.add_argument("--n-boot", type=int, default=100)
    ap.add_argument("--d-km", type=float, default=50.0)
    ap.add_argument("--t-days", type=float, default=14.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    ev = load_mali()
    t_load = time.perf_counter() - t0
    print(
        f"events: {len(ev)} ({ev.event_date.min().date()} .. {ev.event_date.max().date()}), load {t_load:.2f}s"
    )
    for n in [JNIM, *ISGS_NAMES, JOINT]:
        print(
            f"  {n!r}: actor1 {int((ev.actor1 == n).sum())}, actor2 {int((ev.actor2 == n).sum())}, "
            f"assoc {int(ev.assoc_actor_1.fillna('').str.contains(n, regex=False).sum())}"
        )
    m = mapping()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    for by in ("year", "all"):
        t0 = time.perf_counter()
        tab = coordination(
            ev,
            actors=["JNIM", "ISGS"],
            actor_map=m,
            by=by,
            n_perm=args.n_perm,
            n_boot=args.n_boot,
            d_km=args.d_km,
            t_days=args.t_days,
        )
        dt = time.perf_counter() - t0
        print(
            f"\nJNIM–ISGS by {by} (d={args.d_km:g} km, t={args.t_days:g} days, {args.n_perm} permutations, "
            f"{args.n_boot} bootstrap fits): {dt:.2f}s"
        )
        show = [
            "period",
            "label",
            "events_a",
            "events_b",
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
            "branching_ab",
            "branching_ab_low",
            "branching_ab_high",
            "branching_ba",
            "branching_ba_low",
            "branching_ba_high",
            "beta",
        ]
        print(tab[show].round(3).to_string(index=False))
        for r in tab.itertuples():
            print(f"  {r.period}: {r.label} — {r.reason}" + (f" [{r.note}]" if r.note else ""))
    # sensitivity of the Knox test to the window
    t0 = time.perf_counter()
    sens = []
    for d, t in [(25, 7), (50, 14), (100, 30)]:
        tab = coordination(
            ev,
            actors=["JNIM", "ISGS"],
            actor_map=m,
            by="year",
            n_perm=args.n_perm,
            n_boot=0,
            d_km=d,
            t_days=t,
        )
        for r in tab.itertuples():
            sens.append(
                {
                    "d_km": d,
                    "t_days": t,
                    "period": r.period,
                    "pairs": r.knox_pairs,
                    "expected": round(r.knox_expected, 1),
                    "ratio": round(r.knox_ratio, 2),
                    "p_excess": r.knox_p,
                    "p_deficit": r.knox_p_low,
                }
            )
    print(f"\nKnox sensitivity ({time.perf_counter() - t0:.2f}s):")
    print(pd.DataFrame(sens).to_string(index=False))
    # the four most active armed groups, all pairs
    t0 = time.perf_counter()
    tab = coordination(ev, actor_map=m, by="all", n_perm=args.n_perm, n_boot=args.n_boot)
    print(f"\nall pairs of the 4 most active armed groups, 2017-2019 ({time.perf_counter() - t0:.2f}s):")
    print(
        tab[
            [
                "actor_a",
                "actor_b",
                "label",
                "events_a",
                "events_b",
                "clashes",
                "joint_events",
                "knox_ratio",
                "knox_p",
                "branching_ab",
                "branching_ab_low",
                "branching_ba",
                "branching_ba_low",
            ]
        ]
        .round(3)
        .to_string(index=False)
    )
    # Hawkes over the top actors
    t0 = time.perf_counter()
    who = ["JNIM", "ISGS", "Military Forces of Mali (2013-2020)", "Military Forces of France (2017-)"]
    h = hawkes_actors(ev, actors=who, actor_map=m, n_boot=args.n_boot, baseline_days=91)
    print(
        f"\nHawkes over JNIM, ISGS and the Malian and French forces (actor1 side), background free to change "
        f"every ~91 days ({time.perf_counter() - t0:.2f}s, beta "
        f"{h.attrs['fit'].beta:.3f}/day):"
    )
    print(h.drop(columns=["unit"]).round(3).to_string(index=False))
    # network
    t0 = time.perf_counter()
    edges = network_edges(ev, actor_map=m, by=None)
    dt = time.perf_counter() - t0
    print(
        f"\nnetwork: {len(edges)} edges in {dt:.2f}s; top opposition edges between armed actors (civilians, "
        "protesters, rioters left out):"
    )
    armed = network_edges(ev, actor_map=m, by=None, exclude_inter=(5, 6, 7))
    print(
        armed[armed.relation == "opposition"]
        .head(12)[["source", "target", "events", "fatalities"]]
        .to_string(index=False)
    )
    print("\ntop alliance edges:")
    print(
        edges[edges.relation == "alliance"]
        .head(10)[["source", "target", "events", "fatalities"]]
        .to_string(index=False)
    )
    yearly = network_edges(ev, actor_map=m, by="year")
    ji = yearly[((yearly.source == "ISGS") & (yearly.target == "JNIM"))]
    print("\nJNIM–ISGS edges by year:")
    print(ji.to_string(index=False) if len(ji) else "  none")


if __name__ == "__main__":
    main()
